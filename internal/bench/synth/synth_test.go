package synth_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/bench/synth"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

var testNow = time.Date(2027, 3, 31, 12, 0, 0, 0, time.UTC)

func TestGenerate(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const people = 300
		res, err := synth.Generate(ctx, s, synth.Config{People: people, Seed: 7, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		a := app.New(s, nil)
		tk, err := a.MintToken(ctx, res.Slug, res.OwnerEmail, "test", []org.Scope{org.ScopeRead})
		if err != nil {
			t.Fatal(err)
		}
		actor, err := a.Authenticate(ctx, tk.Secret, "test")
		if err != nil {
			t.Fatal(err)
		}
		tree, err := a.Alignment(ctx, actor, res.QuarterID)
		if err != nil {
			t.Fatal(err)
		}
		if tree.Period.Kind != okr.PeriodQuarterly || tree.Period.ParentID != res.AnnualID || tree.Period.State != okr.PeriodActive {
			t.Errorf("period = %+v, want an active quarter under %s", tree.Period, res.AnnualID)
		}

		// Progress: every objective is the weighted mean of its key results
		// and of the objectives contributing to it.
		nodes := map[string]app.TreeNode{}
		inputs := map[string][]okr.Weighted{}
		var krs []app.TreeNode
		for _, n := range tree.Nodes {
			nodes[n.ID] = n
			if n.Type == okr.NodeKeyResult {
				krs = append(krs, n)
				inputs[n.ParentID] = append(inputs[n.ParentID], okr.Weighted{Progress: n.Progress, Weight: n.Weight})
			}
		}
		objectives := 0
		for _, n := range tree.Nodes {
			if n.Type != okr.NodeObjective {
				continue
			}
			objectives++
			for _, al := range n.Alignments {
				if al.Link == okr.Contributes && al.ParentType == okr.ParentObjective {
					inputs[al.ParentID] = append(inputs[al.ParentID], okr.Weighted{Progress: n.Progress, Weight: n.Weight})
				}
			}
		}
		if objectives != res.Objectives {
			t.Errorf("tree has %d objectives, generated %d", objectives, res.Objectives)
		}
		var nonzero int
		for _, n := range tree.Nodes {
			if n.Type != okr.NodeObjective {
				continue
			}
			if want := okr.WeightedMean(inputs[n.ID]); math.Abs(n.Progress-want) > 1e-9 {
				t.Errorf("objective %q: progress %v, rules give %v", n.Title, n.Progress, want)
			}
			if n.Progress > 0 {
				nonzero++
			}
		}
		if nonzero < objectives/2 {
			t.Errorf("only %d of %d objectives have progress", nonzero, objectives)
		}

		// Five team levels: a squad's objective reaches the organization's
		// through four team objectives above it.
		depth := 0
		for _, n := range tree.Nodes {
			if n.Type != okr.NodeObjective || n.Owner.Type != okr.OwnerTeam {
				continue
			}
			d := 0
			for cur := n; cur.Owner != nil && cur.Owner.Type == okr.OwnerTeam; cur = nodes[cur.ParentID] {
				d++
			}
			depth = max(depth, d)
		}
		if depth != synth.TeamLevels {
			t.Errorf("team objectives are %d levels deep, want %d", depth, synth.TeamLevels)
		}

		// About three key results per person.
		if per := float64(len(krs)) / people; per < 2.7 || per > 3.3 {
			t.Errorf("%d key results for %d people: %.2f each, want 3 ± 10%%", len(krs), people, per)
		}

		// Check-ins: on most key results, the latest equal to the key
		// result's value.
		checked := 0
		for _, k := range krs {
			page, err := a.ListCheckIns(ctx, actor, k.ID, app.PageRequest{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if k.LastCheckIn == nil {
				if len(page.Items) != 0 {
					t.Errorf("key result %s: check-ins but no last check-in", k.ID)
				}
				continue
			}
			checked++
			if len(page.Items) != 1 {
				t.Fatalf("key result %s: last check-in %v but no check-ins", k.ID, k.LastCheckIn)
			}
			if c := page.Items[0]; c.Value != *k.Current || !c.Created.Equal(*k.LastCheckIn) || k.Confidence == nil || c.Confidence != *k.Confidence {
				t.Errorf("key result %s: latest check-in %v at %v (confidence %v), key result %v at %v", k.ID, c.Value, c.Created, c.Confidence, *k.Current, *k.LastCheckIn)
			}
		}
		if share := float64(checked) / float64(len(krs)); share < 0.6 || share > 0.8 {
			t.Errorf("%d of %d key results checked in, want about 70%%", checked, len(krs))
		}
		if res.CheckIns < checked*10 {
			t.Errorf("%d check-ins on %d key results: want about weekly over a quarter", res.CheckIns, checked)
		}
	})
}

func BenchmarkGenerate1k(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := store.Open(ctx, store.Config{DataDir: filepath.Join(b.TempDir(), "db")})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := synth.Generate(ctx, s, synth.Config{People: 1000, Seed: 1, Now: testNow}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
	}
}
