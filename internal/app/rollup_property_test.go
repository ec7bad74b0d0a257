package app_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// TestRollupThroughUseCasesMatchesRecompute drives random sequences of the
// operations that move progress — check-ins, new and edited key results,
// weight changes, re-alignments, deletions — through the use cases, on both
// databases, and after each sequence compares every stored progress with a
// from-scratch recomputation.
func TestRollupThroughUseCasesMatchesRecompute(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, s *store.Store) {
		sequences, ops := 12, 40
		if s.Engine() == "postgres" {
			sequences, ops = 4, 30
		}
		for seed := range sequences {
			runRollupSequence(t, app.New(s, nil), uint64(seed), ops)
		}
	})
}

func runRollupSequence(t *testing.T, a *app.App, seed uint64, ops int) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 42))
	res, err := a.Init(ctx, app.InitInput{OrgName: "Property", OrgSlug: "property-" + app.NewID()[24:], Email: "p" + app.NewID()[24:] + "@prop.test"})
	if err != nil {
		t.Fatal(err)
	}
	owner, err := a.Authenticate(ctx, res.Token, "prop")
	if err != nil {
		t.Fatal(err)
	}
	period, err := a.CreatePeriod(ctx, owner, app.PeriodInput{Name: "Q", Kind: okr.PeriodQuarterly, StartDate: "2027-01-01", EndDate: "2027-03-31"}, "")
	if err != nil {
		t.Fatal(err)
	}
	var objectives, keyResults []string
	pick := func(ids []string) string { return ids[rng.IntN(len(ids))] }
	alignments := func() []app.AlignmentInput {
		var out []app.AlignmentInput
		for range rng.IntN(3) {
			link := okr.Contributes
			if rng.IntN(4) == 0 {
				link = okr.Supports
			}
			if len(keyResults) > 0 && rng.IntN(3) == 0 {
				out = append(out, app.AlignmentInput{ParentType: okr.ParentKeyResult, ParentID: pick(keyResults), Link: link})
			} else if len(objectives) > 0 {
				out = append(out, app.AlignmentInput{ParentType: okr.ParentObjective, ParentID: pick(objectives), Link: link})
			}
		}
		return out
	}
	weight := func() *float64 { w := float64(rng.IntN(5)); return &w }
	applied := 0
	for range ops {
		var err error
		switch op := rng.IntN(10); {
		case op == 0 || len(objectives) < 2:
			var o okr.Objective
			o, err = a.CreateObjective(ctx, owner, app.ObjectiveInput{PeriodID: period.ID, Title: "Objective", Owner: app.OwnerInput{Type: okr.OwnerOrg},
				Weight: weight(), Alignments: alignments()}, "")
			if err == nil {
				objectives = append(objectives, o.ID)
			}
		case op == 1 || len(keyResults) == 0:
			in := app.KeyResultInput{ObjectiveID: pick(objectives), Title: "Key result", Weight: weight()}
			switch rng.IntN(5) {
			case 0:
				in.Kind, in.Baseline, in.Target = okr.Increase, ptr(0.0), ptr(float64(1+rng.IntN(100)))
			case 1:
				in.Kind, in.Baseline, in.Target = okr.Decrease, ptr(100.0), ptr(float64(rng.IntN(100)))
			case 2:
				in.Kind, in.Band = okr.Maintain, &okr.Band{Low: 10, High: 20}
			case 3:
				in.Kind, in.Milestones = okr.Milestone, []app.MilestoneInput{{Title: "a"}, {Title: "b", Weight: ptr(2.0)}}
			default:
				in.Kind = okr.Boolean
			}
			if in.Kind != okr.Maintain && in.Kind != okr.Milestone && rng.IntN(3) == 0 {
				in.Source = okr.SourceChildren
			}
			var k okr.KeyResult
			k, err = a.CreateKeyResult(ctx, owner, in, "")
			if err == nil {
				keyResults = append(keyResults, k.ID)
			}
		case op <= 4: // check in
			var k okr.KeyResult
			if k, err = a.GetKeyResult(ctx, owner, pick(keyResults)); err == nil {
				in := app.CheckInInput{Confidence: rng.Float64(), Status: okr.OnTrack}
				switch {
				case k.Source == okr.SourceChildren:
				case k.Kind == okr.Milestone:
					in.MilestonesDone = []string{}
					for _, m := range k.Milestones {
						if rng.IntN(2) == 0 {
							in.MilestonesDone = append(in.MilestonesDone, m.ID)
						}
					}
				case k.Kind == okr.Boolean:
					in.Value = ptr(float64(rng.IntN(2)))
				default:
					in.Value = ptr(float64(rng.IntN(130)) - 10)
				}
				_, err = a.CheckIn(ctx, owner, k.ID, in, "")
			}
		case op == 5: // an objective's weight
			var o okr.Objective
			if o, err = a.GetObjective(ctx, owner, pick(objectives)); err == nil {
				_, err = a.UpdateObjective(ctx, owner, o.ID, &o.Version, app.ObjectiveUpdate{Weight: weight()})
			}
		case op == 6: // re-align
			var o okr.Objective
			if o, err = a.GetObjective(ctx, owner, pick(objectives)); err == nil {
				as := alignments()
				_, err = a.UpdateObjective(ctx, owner, o.ID, &o.Version, app.ObjectiveUpdate{Alignments: &as})
			}
		case op == 7: // a key result's weight, target or kind
			var k okr.KeyResult
			if k, err = a.GetKeyResult(ctx, owner, pick(keyResults)); err == nil {
				up := app.KeyResultUpdate{Weight: weight()}
				if k.Kind == okr.Increase && rng.IntN(2) == 0 {
					up.Target = ptr(k.Baseline + float64(1+rng.IntN(50)))
				}
				if k.Kind == okr.Decrease && rng.IntN(2) == 0 {
					up.Baseline = ptr(k.Target + float64(1+rng.IntN(50)))
				}
				if k.Source != okr.SourceChildren && rng.IntN(4) == 0 {
					kind := okr.Boolean
					up.Kind = &kind
				}
				_, err = a.UpdateKeyResult(ctx, owner, k.ID, &k.Version, up)
			}
		case op == 8 && len(keyResults) > 1:
			i := rng.IntN(len(keyResults))
			if err = a.DeleteKeyResult(ctx, owner, keyResults[i]); err == nil {
				keyResults = append(keyResults[:i], keyResults[i+1:]...)
			}
		case op == 9 && len(objectives) > 2:
			i := rng.IntN(len(objectives))
			if err = a.DeleteObjective(ctx, owner, objectives[i]); err == nil {
				objectives = append(objectives[:i], objectives[i+1:]...)
				// Its key results went with it.
				page, lerr := a.ListKeyResults(ctx, owner, app.KeyResultQuery{PeriodID: period.ID, PageRequest: app.PageRequest{Limit: 200}})
				if lerr != nil {
					t.Fatal(lerr)
				}
				keyResults = keyResults[:0]
				for _, k := range page.Items {
					keyResults = append(keyResults, k.ID)
				}
			}
		}
		switch {
		case err == nil:
			applied++
		case errs.Is(err, errs.Invalid): // a cycle refused, say: nothing changed
		default:
			t.Fatalf("seed %d: %v", seed, err)
		}
		// After every operation: a later one could otherwise mend what an
		// earlier one left stale.
		assertMatchesRecompute(t, a, owner, period.ID, seed)
		if t.Failed() {
			t.FailNow()
		}
	}
	if applied < ops/2 {
		t.Fatalf("seed %d: only %d of %d operations applied", seed, applied, ops)
	}
}

func assertMatchesRecompute(t *testing.T, a *app.App, owner org.Actor, periodID string, seed uint64) {
	t.Helper()
	ctx := context.Background()
	os, err := a.ListObjectives(ctx, owner, app.ObjectiveQuery{PeriodID: periodID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	ks, err := a.ListKeyResults(ctx, owner, app.KeyResultQuery{PeriodID: periodID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	var alignments []okr.Alignment
	for _, o := range os.Items {
		alignments = append(alignments, o.Alignments...)
	}
	objP, krP := okr.Recompute(os.Items, ks.Items, alignments)
	for _, o := range os.Items {
		if math.Abs(o.Progress-objP[o.ID]) > 1e-9 {
			t.Errorf("seed %d: objective %s stored %v, recomputed %v", seed, o.ID, o.Progress, objP[o.ID])
		}
	}
	for _, k := range ks.Items {
		if math.Abs(k.Progress-krP[k.ID]) > 1e-9 {
			t.Errorf("seed %d: key result %s (%s, %s) stored %v, recomputed %v", seed, k.ID, k.Kind, k.Source, k.Progress, krP[k.ID])
		}
		if k.Source == okr.SourceChildren && math.Abs(okr.KRProgress(k)-k.Progress) > 1e-9 {
			t.Errorf("seed %d: key result %s: current %v does not show its progress %v", seed, k.ID, k.Current, k.Progress)
		}
	}
}
