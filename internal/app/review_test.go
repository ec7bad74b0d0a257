package app_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// reviewSet is the hand-worked quarter of TestPeriodCloseScores.
type reviewSet struct {
	w                  *world
	next               okr.Period
	o1, o2, o3, o4, o5 okr.Objective
	k                  map[string]okr.KeyResult
}

func nearScore(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// newReviewSet builds four objectives with mixed kinds and weights and a draft,
// checks their key results in and returns them before the close:
//
//	O1 committed:    K1 increase 0→100 at 100 (1.0, w1), K2 increase 0→10 at 8 (0.8, w3)   → 3.4/4 = 0.85, missed
//	O2 aspirational: K3 decrease 50→10 at 20 (0.75, w2), K4 boolean done (1.0, w1)          → 2.5/3 = 0.8333…, achieved
//	O3 committed (team Support, aligned to O1): K5 milestones 2 of 4 (0.5), K6 increase 0→20 at 5 (0.25) → 0.375, missed
//	O4 aspirational (Bob's): K7 increase 0→4 at 2 (0.5), K8 maintain 95–100 at 90 (0.0)     → 0.25, missed
//	O5 draft with K9: abandoned at the close, unscored (K9 too).
//
// Mean = (0.85 + 0.8333… + 0.375 + 0.25) / 4 = 0.577083… → partial.
func newReviewSet(t *testing.T) *reviewSet {
	t.Helper()
	return newReviewSetIn(t, newWorld(t))
}

// eachReviewSet runs fn on the hand-worked set on each engine.
func eachReviewSet(t *testing.T, fn func(t *testing.T, s *reviewSet)) {
	storetest.Each(t, store.Config{}, func(t *testing.T, st *store.Store) { fn(t, newReviewSetIn(t, newWorldOn(t, st))) })
}

func newReviewSetIn(t *testing.T, w *world) *reviewSet {
	t.Helper()
	ctx := context.Background()
	a := w.a
	s := &reviewSet{w: w, k: map[string]okr.KeyResult{}}
	var err error
	s.next, err = a.CreatePeriod(ctx, w.owner, app.PeriodInput{Name: "2027-Q2", Kind: okr.PeriodQuarterly, StartDate: "2027-04-01", EndDate: "2027-06-30"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ActivatePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	obj := func(in app.ObjectiveInput) okr.Objective {
		t.Helper()
		in.PeriodID = w.period.ID
		o, err := a.CreateObjective(ctx, w.owner, in, "")
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	f := func(x float64) *float64 { return &x }
	kr := func(name string, in app.KeyResultInput) {
		t.Helper()
		k, err := a.CreateKeyResult(ctx, w.owner, in, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.k[name] = k
	}
	checkIn := func(name string, in app.CheckInInput) {
		t.Helper()
		in.Confidence, in.Status = 0.7, okr.OnTrack
		if _, err := a.CheckIn(ctx, w.owner, s.k[name].ID, in, ""); err != nil {
			t.Fatalf("check in %s: %v", name, err)
		}
	}
	s.o1 = obj(app.ObjectiveInput{Title: "Customers love the product", Owner: app.OwnerInput{Type: okr.OwnerOrg}})
	kr("K1", app.KeyResultInput{ObjectiveID: s.o1.ID, Title: "Reviews", Kind: okr.Increase, Baseline: f(0), Target: f(100)})
	kr("K2", app.KeyResultInput{ObjectiveID: s.o1.ID, Title: "Referrals", Kind: okr.Increase, Baseline: f(0), Target: f(10), Weight: f(3)})
	s.o2 = obj(app.ObjectiveInput{Title: "Support answers fast", Kind: okr.Aspirational, Owner: app.OwnerInput{Type: okr.OwnerOrg}})
	kr("K3", app.KeyResultInput{ObjectiveID: s.o2.ID, Title: "First response minutes", Kind: okr.Decrease, Baseline: f(50), Target: f(10), Weight: f(2)})
	kr("K4", app.KeyResultInput{ObjectiveID: s.o2.ID, Title: "Chat launched", Kind: okr.Boolean})
	s.o3 = obj(app.ObjectiveInput{Title: "The help center answers itself", Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID},
		Alignments: []app.AlignmentInput{{ParentType: okr.ParentObjective, ParentID: s.o1.ID}}})
	kr("K5", app.KeyResultInput{ObjectiveID: s.o3.ID, Title: "Guides written", Kind: okr.Milestone,
		Milestones: []app.MilestoneInput{{Title: "Billing"}, {Title: "Setup"}, {Title: "Export"}, {Title: "API"}}})
	kr("K6", app.KeyResultInput{ObjectiveID: s.o3.ID, Title: "Deflected tickets", Kind: okr.Increase, Baseline: f(0), Target: f(20)})
	s.o4 = obj(app.ObjectiveInput{Title: "Uptime customers can trust", Kind: okr.Aspirational, Owner: app.OwnerInput{Type: okr.OwnerUser, ID: w.bob.UserID}})
	kr("K7", app.KeyResultInput{ObjectiveID: s.o4.ID, Title: "Incidents reviewed", Kind: okr.Increase, Baseline: f(0), Target: f(4)})
	kr("K8", app.KeyResultInput{ObjectiveID: s.o4.ID, Title: "Availability", Kind: okr.Maintain, Unit: okr.UnitPercent, Band: &okr.Band{Low: 95, High: 100}})
	s.o5 = obj(app.ObjectiveInput{Title: "An idea for later", State: okr.Draft, Owner: app.OwnerInput{Type: okr.OwnerOrg}})
	kr("K9", app.KeyResultInput{ObjectiveID: s.o5.ID, Title: "Idea tested", Kind: okr.Boolean})

	checkIn("K1", app.CheckInInput{Value: f(100)})
	checkIn("K2", app.CheckInInput{Value: f(8)})
	checkIn("K3", app.CheckInInput{Value: f(20)})
	checkIn("K4", app.CheckInInput{Value: f(1)})
	ms := s.k["K5"].Milestones
	checkIn("K5", app.CheckInInput{MilestonesDone: []string{ms[0].ID, ms[2].ID}})
	checkIn("K6", app.CheckInInput{Value: f(5)})
	checkIn("K7", app.CheckInInput{Value: f(2)})
	checkIn("K8", app.CheckInInput{Value: f(90)})
	return s
}

func (s *reviewSet) keyResult(t *testing.T, name string) okr.KeyResult {
	t.Helper()
	k, err := s.w.a.GetKeyResult(context.Background(), s.w.owner, s.k[name].ID)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestPeriodCloseScores: the hand-worked set gives exactly its scores, outcomes
// and verdict, in the preview and at the close; an adjustment (with a reason)
// changes the key result's final score, its objective's score and the verdict.
func TestPeriodCloseScores(t *testing.T) { eachReviewSet(t, testPeriodCloseScores) }

func testPeriodCloseScores(t *testing.T, s *reviewSet) {
	ctx := context.Background()
	w, a := s.w, s.w.a
	wantScores := map[string]float64{s.o1.ID: 0.85, s.o2.ID: 2.5 / 3, s.o3.ID: 0.375, s.o4.ID: 0.25}
	wantOutcome := map[string]okr.Outcome{s.o1.ID: okr.Missed, s.o2.ID: okr.Achieved, s.o3.ID: okr.Missed, s.o4.ID: okr.Missed}
	wantMean := (0.85 + 2.5/3 + 0.375 + 0.25) / 4

	check := func(r app.PeriodReview, preview bool) {
		t.Helper()
		if r.Preview != preview || !nearScore(r.MeanScore, wantMean) || r.Verdict != okr.Partial || r.Scored != 4 || len(r.Objectives) != 4 {
			t.Fatalf("review: preview %v mean %v verdict %s scored %d objectives %d; want %v, %v, partial, 4, 4",
				r.Preview, r.MeanScore, r.Verdict, r.Scored, len(r.Objectives), preview, wantMean)
		}
		for _, o := range r.Objectives {
			if !nearScore(o.Score, wantScores[o.ID]) || o.Outcome != wantOutcome[o.ID] {
				t.Errorf("%q: score %v outcome %s, want %v %s", o.Title, o.Score, o.Outcome, wantScores[o.ID], wantOutcome[o.ID])
			}
		}
	}
	preview, err := a.Review(ctx, w.owner, w.period.ID)
	if err != nil {
		t.Fatal(err)
	}
	check(preview, true)
	if !preview.CanClose {
		t.Error("the owner may close the active period")
	}

	// Only an admin closes.
	_, err = a.ClosePeriod(ctx, w.ann, w.period.ID)
	wantKind(t, err, errs.Forbidden)
	p, err := a.ClosePeriod(ctx, w.owner, w.period.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != okr.PeriodClosed {
		t.Fatalf("period state %s, want closed", p.State)
	}
	_, err = a.ClosePeriod(ctx, w.owner, w.period.ID)
	wantKind(t, err, errs.Conflict)

	closed, err := a.Review(ctx, w.owner, w.period.ID)
	if err != nil {
		t.Fatal(err)
	}
	check(closed, false)
	wantKR := map[string]float64{"K1": 1, "K2": 0.8, "K3": 0.75, "K4": 1, "K5": 0.5, "K6": 0.25, "K7": 0.5, "K8": 0}
	for name, want := range wantKR {
		k := s.keyResult(t, name)
		if k.Score == nil || !nearScore(k.Score.Computed, want) || !nearScore(k.Score.Final, want) || k.Score.Adjusted != nil || k.Score.Reason != nil {
			t.Errorf("%s score = %+v, want computed = final = %v", name, k.Score, want)
		}
	}
	for _, o := range []okr.Objective{s.o1, s.o2, s.o3, s.o4} {
		got, err := a.GetObjective(ctx, w.owner, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != okr.Closed || got.Outcome != wantOutcome[o.ID] || got.Score == nil || !nearScore(got.Score.Final, wantScores[o.ID]) {
			t.Errorf("%q after close: %s %s score %+v", o.Title, got.State, got.Outcome, got.Score)
		}
	}
	draft, err := a.GetObjective(ctx, w.owner, s.o5.ID)
	if err != nil {
		t.Fatal(err)
	}
	if draft.State != okr.Closed || draft.Outcome != okr.Abandoned || draft.Score != nil {
		t.Errorf("the draft after close: %s %s %+v, want closed, abandoned, no score", draft.State, draft.Outcome, draft.Score)
	}
	if k9 := s.keyResult(t, "K9"); k9.Score != nil {
		t.Errorf("the draft's key result after close has a score %+v, want none", k9.Score)
	}
	_, err = a.AdjustScore(ctx, w.owner, s.k["K9"].ID, nil, app.ScoreInput{})
	wantKind(t, err, errs.Conflict) // nothing to adjust on an abandoned draft

	// The period is read-only: check-ins and changes answer Conflict (409).
	ten := 10.0
	_, err = a.CheckIn(ctx, w.owner, s.k["K6"].ID, app.CheckInInput{Value: &ten, Confidence: 0.5, Status: okr.AtRisk}, "")
	wantKind(t, err, errs.Conflict)
	_, err = a.CheckInObjective(ctx, w.owner, s.o3.ID, app.ObjectiveCheckInInput{Status: okr.AtRisk,
		Entries: []app.CheckInEntry{{KeyResultID: s.k["K6"].ID, Value: &ten, Confidence: 0.5}}}, "")
	wantKind(t, err, errs.Conflict)
	k6 := s.keyResult(t, "K6")
	_, err = a.UpdateKeyResult(ctx, w.owner, k6.ID, &k6.Version, app.KeyResultUpdate{Target: &ten})
	wantKind(t, err, errs.Conflict)

	// Adjusting K8: a viewer may not, a reason is required, the score is 0–1.
	k8 := s.keyResult(t, "K8")
	adj := 0.6
	_, err = a.AdjustScore(ctx, w.viola, k8.ID, &k8.Version, app.ScoreInput{Adjusted: &adj, Reason: "x"})
	wantKind(t, err, errs.Forbidden)
	_, err = a.AdjustScore(ctx, w.ann, k8.ID, &k8.Version, app.ScoreInput{Adjusted: &adj, Reason: "x"})
	wantKind(t, err, errs.Forbidden) // not Ann's objective
	_, err = a.AdjustScore(ctx, w.bob, k8.ID, &k8.Version, app.ScoreInput{Adjusted: &adj, Reason: "  "})
	wantKind(t, err, errs.Invalid)
	big := 1.5
	_, err = a.AdjustScore(ctx, w.bob, k8.ID, &k8.Version, app.ScoreInput{Adjusted: &big, Reason: "more"})
	wantKind(t, err, errs.Invalid)
	stale := k8.Version - 1
	_, err = a.AdjustScore(ctx, w.bob, k8.ID, &stale, app.ScoreInput{Adjusted: &adj, Reason: "x"})
	wantKind(t, err, errs.PreconditionFailed)
	const reason = "the availability band was raised to 95% in week 6; the old 90% band was met"
	got, err := a.AdjustScore(ctx, w.bob, k8.ID, &k8.Version, app.ScoreInput{Adjusted: &adj, Reason: reason})
	if err != nil {
		t.Fatal(err)
	}
	if got.Score == nil || got.Score.Computed != 0 || *got.Score.Adjusted != 0.6 || *got.Score.Reason != reason || got.Score.Final != 0.6 ||
		got.Version != k8.Version+1 {
		t.Fatalf("adjusted K8 = %+v (version %d)", got.Score, got.Version)
	}
	// O4 = (0.5 + 0.6) / 2 = 0.55; mean = (0.85 + 0.8333… + 0.375 + 0.55) / 4 = 0.652083… → healthy.
	r, err := a.Review(ctx, w.owner, w.period.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !nearScore(r.MeanScore, (0.85+2.5/3+0.375+0.55)/4) || r.Verdict != okr.Healthy {
		t.Errorf("after the adjustment: mean %v verdict %s, want 0.652083… healthy", r.MeanScore, r.Verdict)
	}
	o4, err := a.GetObjective(ctx, w.owner, s.o4.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !nearScore(o4.Score.Final, 0.55) || o4.Outcome != okr.Missed {
		t.Errorf("O4 after the adjustment: %+v %s, want 0.55, still missed", o4.Score, o4.Outcome)
	}
	// Removing the adjustment restores the computed score.
	got, err = a.AdjustScore(ctx, w.owner, k8.ID, &got.Version, app.ScoreInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Score.Adjusted != nil || got.Score.Final != 0 {
		t.Errorf("after removing the adjustment: %+v", got.Score)
	}
	// An open key result has no score to adjust.
	s2, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: s.next.ID, Title: "Next quarter", Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}
	one := 1.0
	open, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: s2.ID, Title: "Done", Kind: okr.Boolean}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.AdjustScore(ctx, w.owner, open.ID, &open.Version, app.ScoreInput{Adjusted: &one, Reason: "x"})
	wantKind(t, err, errs.Conflict)
}

// TestDecisionsCarryIntoTheNextPeriod: keep carries an objective into the next
// quarter as a draft with its key results (baseline = final value, same
// target) and carried_from; a child carried before its parent is re-aligned
// to the parent's continuation; modify changes targets; drop carries nothing;
// a second decision is a conflict.
func TestDecisionsCarryIntoTheNextPeriod(t *testing.T) { eachReviewSet(t, testDecisionsCarry) }

func testDecisionsCarry(t *testing.T, s *reviewSet) {
	ctx := context.Background()
	w, a := s.w, s.w.a

	// Before the close there is nothing to decide.
	_, err := a.Decide(ctx, w.owner, s.o3.ID, app.DecisionInput{Decision: okr.Keep}, "")
	wantKind(t, err, errs.Conflict)
	if _, err := a.ClosePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	_, err = a.Decide(ctx, w.bob, s.o3.ID, app.DecisionInput{Decision: okr.Keep}, "")
	wantKind(t, err, errs.Forbidden) // Bob is not in Support
	_, err = a.Decide(ctx, w.ann, s.o3.ID, app.DecisionInput{Decision: "maybe"}, "")
	wantKind(t, err, errs.Invalid)

	// The child first (Ann leads Support): its parent O1 is closed and not carried yet, so no alignment.
	c3, err := a.Decide(ctx, w.ann, s.o3.ID, app.DecisionInput{Decision: okr.Keep}, "idem-1")
	if err != nil {
		t.Fatal(err)
	}
	if c3.CarriedFrom != s.o3.ID || c3.PeriodID != s.next.ID || c3.State != okr.Draft || c3.Title != s.o3.Title || len(c3.Alignments) != 0 {
		t.Fatalf("carried O3 = %+v", c3)
	}
	again, err := a.Decide(ctx, w.ann, s.o3.ID, app.DecisionInput{Decision: okr.Keep}, "idem-1")
	if err != nil || again.ID != c3.ID {
		t.Fatalf("a retry with the same Idempotency-Key: %v %v, want the same objective", again.ID, err)
	}
	_, err = a.Decide(ctx, w.ann, s.o3.ID, app.DecisionInput{Decision: okr.Drop}, "")
	wantKind(t, err, errs.Conflict)
	krs, err := a.ListKeyResults(ctx, w.owner, app.KeyResultQuery{ObjectiveID: c3.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(krs.Items) != 2 {
		t.Fatalf("carried key results: %d, want 2", len(krs.Items))
	}
	for _, k := range krs.Items {
		switch k.Title {
		case "Deflected tickets": // ended at 5 of 20
			if k.Baseline != 5 || k.Target != 20 || k.Current != 5 || k.Progress != 0 || k.DueDate != s.next.EndDate || k.Score != nil {
				t.Errorf("carried K6 = baseline %v target %v current %v progress %v due %s score %v", k.Baseline, k.Target, k.Current, k.Progress, k.DueDate, k.Score)
			}
		case "Guides written": // two of four milestones stay done
			if len(k.Milestones) != 4 || !nearScore(k.Progress, 0.5) {
				t.Errorf("carried K5 = %+v progress %v", k.Milestones, k.Progress)
			}
		default:
			t.Errorf("unexpected carried key result %q", k.Title)
		}
	}

	// Then the parent: the child's continuation aligns to the parent's.
	c1, err := a.Decide(ctx, w.owner, s.o1.ID, app.DecisionInput{Decision: okr.Keep}, "")
	if err != nil {
		t.Fatal(err)
	}
	c3, err = a.GetObjective(ctx, w.owner, c3.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c3.Alignments) != 1 || c3.Alignments[0].ParentID != c1.ID || c3.Alignments[0].Link != okr.Contributes {
		t.Fatalf("carried O3's alignments = %+v, want one to carried O1 %s", c3.Alignments, c1.ID)
	}
	// K1 ended at its target: the continuation starts there (reached).
	k1 := s.keyResult(t, "K1")
	cont, err := a.ListKeyResults(ctx, w.owner, app.KeyResultQuery{ObjectiveID: c1.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range cont.Items {
		if k.Title == k1.Title && (k.Baseline != 100 || k.Target != 100) {
			t.Errorf("carried K1: baseline %v target %v, want 100 and 100", k.Baseline, k.Target)
		}
	}

	// Modify with a new target for K3 (ended at 20; aim at 5 now) into a named period.
	k3 := s.keyResult(t, "K3")
	c2, err := a.Decide(ctx, w.owner, s.o2.ID, app.DecisionInput{Decision: okr.Modify, NextPeriodID: s.next.ID,
		Title: "Support answers in minutes", Targets: map[string]float64{k3.ID: 5}}, "")
	if err != nil {
		t.Fatal(err)
	}
	cont, err = a.ListKeyResults(ctx, w.owner, app.KeyResultQuery{ObjectiveID: c2.ID})
	if err != nil {
		t.Fatal(err)
	}
	if c2.Title != "Support answers in minutes" || len(cont.Items) != 2 {
		t.Fatalf("modified O2: %q with %d key results", c2.Title, len(cont.Items))
	}
	for _, k := range cont.Items {
		if k.Title == k3.Title && (k.Baseline != 20 || k.Target != 5) {
			t.Errorf("modified K3: baseline %v target %v, want 20 and 5", k.Baseline, k.Target)
		}
	}
	// Drop carries nothing and returns the objective itself.
	d4, err := a.Decide(ctx, w.bob, s.o4.ID, app.DecisionInput{Decision: okr.Drop}, "")
	if err != nil {
		t.Fatal(err)
	}
	if d4.ID != s.o4.ID {
		t.Errorf("drop returned %s, want the objective itself", d4.ID)
	}

	// The objective's review shows the links both ways, and the period review counts the decisions.
	ro, err := a.ReviewOfObjective(ctx, w.owner, s.o1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ro.CarriedTo) != 1 || ro.CarriedTo[0].ID != c1.ID || ro.Decision == nil || ro.Decision.Decision != okr.Keep || ro.Decision.NextID != c1.ID {
		t.Errorf("O1's review: carried to %+v decision %+v", ro.CarriedTo, ro.Decision)
	}
	rc, err := a.ReviewOfObjective(ctx, w.owner, c1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rc.CarriedFrom == nil || rc.CarriedFrom.ID != s.o1.ID || rc.CarriedFrom.Period != "2027-Q1" {
		t.Errorf("carried O1's review: carried from %+v", rc.CarriedFrom)
	}
	r, err := a.Review(ctx, w.owner, w.period.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Decisions != 4 || r.Retrospectives != 0 {
		t.Errorf("review progress: %d decisions %d retrospectives, want 4 and 0", r.Decisions, r.Retrospectives)
	}
}

// TestDecisionAlignsToACarriedParent: when the parent is carried first, the
// child's continuation aligns to it at once; without a later period of the
// same kind, keep is refused with a message on next_period_id.
func TestDecisionAlignsToACarriedParent(t *testing.T) {
	ctx := context.Background()
	s := newReviewSet(t)
	w, a := s.w, s.w.a
	if _, err := a.ClosePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	c1, err := a.Decide(ctx, w.owner, s.o1.ID, app.DecisionInput{Decision: okr.Keep}, "")
	if err != nil {
		t.Fatal(err)
	}
	c3, err := a.Decide(ctx, w.owner, s.o3.ID, app.DecisionInput{Decision: okr.Keep}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(c3.Alignments) != 1 || c3.Alignments[0].ParentID != c1.ID {
		t.Fatalf("carried O3's alignments = %+v, want one to %s", c3.Alignments, c1.ID)
	}
	// Close Q2 too: no open quarterly period follows, so keep has nowhere to go.
	if _, err := a.ActivatePeriod(ctx, w.owner, s.next.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ClosePeriod(ctx, w.owner, s.next.ID); err != nil {
		t.Fatal(err)
	}
	_, err = a.Decide(ctx, w.owner, s.o2.ID, app.DecisionInput{Decision: okr.Keep}, "")
	var e *errs.Error
	if !asErr(err, &e) || e.Kind != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "next_period_id" {
		t.Fatalf("keep without a next period: %v", err)
	}
	// A named period must start later than the objective's own.
	earlier, err := a.CreatePeriod(ctx, w.owner, app.PeriodInput{Name: "2026-Q4", Kind: okr.PeriodQuarterly, StartDate: "2026-10-01", EndDate: "2026-12-31"}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Decide(ctx, w.owner, s.o2.ID, app.DecisionInput{Decision: okr.Keep, NextPeriodID: earlier.ID}, "")
	if !asErr(err, &e) || e.Kind != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "next_period_id" ||
		!strings.Contains(e.Fields[0].Message, "later") {
		t.Fatalf("keep into an earlier period: %v", err)
	}
}

// TestRetrospectives: the owners write a closed objective's retrospective; its
// lessons go to the lessons library once each.
func TestRetrospectives(t *testing.T) {
	ctx := context.Background()
	s := newReviewSet(t)
	w, a := s.w, s.w.a
	in := app.RetrospectiveInput{WentWell: "The billing guide cut tickets by a third.", WentBadly: "We started the API guide too late.",
		Lessons: []app.RetrospectiveLesson{{Title: "Write the guide before the launch", Body: "Tickets spike in launch week.", Tags: []string{"support", "docs"}}}}
	_, err := a.PutRetrospective(ctx, w.ann, s.o3.ID, nil, in)
	wantKind(t, err, errs.Conflict) // still open
	if _, err := a.ClosePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	_, err = a.PutRetrospective(ctx, w.bob, s.o3.ID, nil, in)
	wantKind(t, err, errs.Forbidden)
	_, err = a.PutRetrospective(ctx, w.ann, s.o3.ID, nil, app.RetrospectiveInput{})
	wantKind(t, err, errs.Invalid)
	r, err := a.PutRetrospective(ctx, w.ann, s.o3.ID, nil, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Version != 1 || r.WentWell != in.WentWell || r.AuthorID != w.ann.UserID || len(r.Lessons) != 1 || r.Lessons[0].ID == "" {
		t.Fatalf("retrospective = %+v", r)
	}
	// Rewriting keeps the lesson (same title: not written twice) and adds a new one.
	in.WentBadly = "The API guide slipped to next quarter."
	in.Lessons = append(in.Lessons, app.RetrospectiveLesson{Title: "Count deflection from day one"})
	stale := 7
	_, err = a.PutRetrospective(ctx, w.ann, s.o3.ID, &stale, in)
	wantKind(t, err, errs.PreconditionFailed)
	r2, err := a.PutRetrospective(ctx, w.ann, s.o3.ID, &r.Version, in)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Version != 2 || r2.WentBadly != in.WentBadly || len(r2.Lessons) != 2 || r2.Lessons[0].ID != r.Lessons[0].ID {
		t.Fatalf("rewritten retrospective = %+v", r2)
	}
	got, err := a.Retrospective(ctx, w.viola, s.o3.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || len(got.Lessons) != 2 {
		t.Errorf("read back: %+v", got)
	}
	rv, err := a.Review(ctx, w.owner, w.period.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rv.Retrospectives != 1 {
		t.Errorf("review progress: %d retrospectives, want 1", rv.Retrospectives)
	}
}
