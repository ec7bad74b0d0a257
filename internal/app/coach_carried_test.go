package app_test

import (
	"context"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// TestCoachAmbitionFromCarriedHistory: a key result carried (keep) into the
// next period has no check-ins of its own and no KPI, so its ambition is
// judged against the check-ins of the key result it continues. The same
// key result created fresh (no carried_from, no check-ins) is not judged.
//
// In 2027-Q1 (UTC), each key result is checked in at 09:00 on 2027-03-08,
// 03-15 and 03-22 (x = 0, 7, 14 days):
//
//	A "Teams adopt the product every week":
//	  kA1 "Grow weekly active teams" 10, 24, 38 (slope 2 a day),     target 1500
//	  kA2 "Grow paying teams"        100, 103.5, 107 (slope 0.5 a day), target 400
//	B "Customers renew without being asked":
//	  kB1 "Raise renewals"           10, 24, 38 (slope 2 a day),     target 300
//
// Kept into 2027-Q2, each carried key result is due 2027-06-30: from the
// latest value (2027-03-22 09:00) to the end of the due date (2027-07-01
// 00:00) are 101 days less 9 hours = 100.625 days. With lofty = 3:
//
//	kA1: gain 2 × 100.625 = 201.25 (projects 38 + 201.25 = 239.25);
//	     ratio (1500 − 38) / 201.25 = 1462 / 201.25 = 7.2646… > 6 → fail "Too lofty", 7.26
//	kA2: gain 0.5 × 100.625 = 50.3125 (projects 107 + 50.3125 = 157.3125 → 157.31);
//	     ratio (400 − 107) / 50.3125 = 293 / 50.3125 = 5.8236… in (3, 6] → warn "Lofty", 5.82
//	kB1: gain 201.25 (projects 239.25);
//	     ratio (300 − 38) / 201.25 = 262 / 201.25 = 1.3018… in [1/3, 3] → pass, 1.3
func TestCoachAmbitionFromCarriedHistory(t *testing.T) {
	clock := &dayClock{}
	storetest.Each(t, store.Config{Now: clock.Now}, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock.set(t, "2027-01-02")
		w := newWorldOn(t, s)
		a, owner := w.a, w.owner
		next, err := a.CreatePeriod(ctx, owner, app.PeriodInput{Name: "2027-Q2", Kind: okr.PeriodQuarterly, StartDate: "2027-04-01", EndDate: "2027-06-30"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.ActivatePeriod(ctx, owner, w.period.ID); err != nil {
			t.Fatal(err)
		}
		objective := func(periodID, title string) okr.Objective {
			t.Helper()
			o, err := a.CreateObjective(ctx, owner, app.ObjectiveInput{PeriodID: periodID, Title: title, Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
			if err != nil {
				t.Fatalf("%s: %v", title, err)
			}
			return o
		}
		kr := func(o okr.Objective, title string, baseline, target float64) okr.KeyResult {
			t.Helper()
			k, err := a.CreateKeyResult(ctx, owner, app.KeyResultInput{ObjectiveID: o.ID, Title: title, OwnerID: w.ann.UserID,
				Kind: okr.Increase, Baseline: ptr(baseline), Target: ptr(target)}, "")
			if err != nil {
				t.Fatalf("%s: %v", title, err)
			}
			return k
		}
		oA := objective(w.period.ID, "Teams adopt the product every week")
		kA1 := kr(oA, "Grow weekly active teams", 10, 1500)
		kA2 := kr(oA, "Grow paying teams", 100, 400)
		oB := objective(w.period.ID, "Customers renew without being asked")
		kB1 := kr(oB, "Raise renewals", 10, 300)
		history := map[string][]float64{kA1.ID: {10, 24, 38}, kA2.ID: {100, 103.5, 107}, kB1.ID: {10, 24, 38}}
		for i, day := range []string{"2027-03-08", "2027-03-15", "2027-03-22"} {
			clock.set(t, day)
			for _, k := range []okr.KeyResult{kA1, kA2, kB1} {
				if _, err := a.CheckIn(ctx, owner, k.ID, app.CheckInInput{Value: ptr(history[k.ID][i]), Confidence: 0.7, Status: okr.OnTrack}, ""); err != nil {
					t.Fatalf("check in %s on %s: %v", k.Title, day, err)
				}
			}
		}

		clock.set(t, "2027-03-31")
		if _, err := a.ClosePeriod(ctx, owner, w.period.ID); err != nil {
			t.Fatal(err)
		}
		cA, err := a.Decide(ctx, owner, oA.ID, app.DecisionInput{Decision: okr.Keep}, "")
		if err != nil {
			t.Fatal(err)
		}
		cB, err := a.Decide(ctx, owner, oB.ID, app.DecisionInput{Decision: okr.Keep}, "")
		if err != nil {
			t.Fatal(err)
		}
		if cA.CarriedFrom != oA.ID || cA.PeriodID != next.ID || cB.CarriedFrom != oB.ID || cB.PeriodID != next.ID {
			t.Fatalf("carried: A %+v, B %+v", cA, cB)
		}
		// The carried key results, by title: no check-ins of their own.
		carried := map[string]okr.KeyResult{}
		for _, o := range []okr.Objective{cA, cB} {
			krs, err := a.ListKeyResults(ctx, owner, app.KeyResultQuery{ObjectiveID: o.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range krs.Items {
				carried[k.Title] = k
			}
		}
		for _, want := range []struct {
			title    string
			baseline float64
			target   float64
			status   okr.CheckStatus
			reason   string
		}{
			{kA1.Title, 38, 1500, okr.CheckFail, "Too lofty: the target (1500) needs 7.26 times the pace of its trend " +
				"(the trend of its last 3 values projects 239.25 by 2027-06-30)."},
			{kA2.Title, 107, 400, okr.CheckWarn, "Lofty: the target (400) needs 5.82 times the pace of its trend " +
				"(the trend of its last 3 values projects 157.31 by 2027-06-30)."},
			{kB1.Title, 38, 300, okr.CheckPass, "The target (300) needs 1.3 times the pace of its trend " +
				"(the trend of its last 3 values projects 239.25 by 2027-06-30)."},
		} {
			k, ok := carried[want.title]
			if !ok {
				t.Fatalf("%s was not carried: %v", want.title, carried)
			}
			if k.Baseline != want.baseline || k.Target != want.target || k.DueDate != "2027-06-30" {
				t.Fatalf("carried %s: baseline %v target %v due %s", want.title, k.Baseline, k.Target, k.DueDate)
			}
			r, err := a.CoachObjective(ctx, owner, k.ObjectiveID)
			if err != nil {
				t.Fatal(err)
			}
			if f := finding(t, r, k.ID, okr.RuleAmbition); f.Status != want.status || f.Reason != want.reason || f.Field != "target" {
				t.Errorf("%s's ambition: %s %q, want %s %q", want.title, f.Status, f.Reason, want.status, want.reason)
			}
		}

		// The same shape created fresh in 2027-Q2: no carried_from, no
		// check-ins, so no history and no ambition finding.
		fresh := objective(next.ID, "Teams adopt the product every day")
		if fresh.CarriedFrom != "" {
			t.Fatalf("fresh objective carried from %s", fresh.CarriedFrom)
		}
		fk := kr(fresh, kA1.Title, 38, 1500)
		r, err := a.CoachObjective(ctx, owner, fresh.ID)
		if err != nil {
			t.Fatal(err)
		}
		_ = finding(t, r, fk.ID, okr.RuleTarget) // the key result is checked
		for _, o := range r.Objectives {
			for _, f := range o.Findings {
				if f.Check == okr.RuleAmbition {
					t.Errorf("ambition judged without history: %+v", f)
				}
			}
		}
		for _, f := range r.Findings {
			if f.Check == okr.RuleAmbition {
				t.Errorf("ambition judged without history: %+v", f)
			}
		}
	})
}
