package httpapi_test

import (
	"context"
	"math"
	"testing"

	"github.com/okrahq/okra/internal/apiclient"
	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// TestRollupThroughTheAPI builds a company objective with key results of
// every kind, team objectives aligned to it and to one of its key results,
// and a supports-only alignment, all through the API; checks in; and
// compares the progress at every level, read through GET /objectives/{id},
// GET /key-results/{id} and GET /alignment, with DESIGN §4's arithmetic.
func TestRollupThroughTheAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		acme := e.newTenant(t, "Acme", "owner@acme.test")
		c := acme.client
		ctx := context.Background()

		sales := must(c.CreateTeam(ctx, app.TeamInput{Name: "Sales", LeadIDs: []string{acme.owner.ID}}))(t)
		period := must(c.CreatePeriod(ctx, app.PeriodInput{Name: "2027", Kind: okr.PeriodAnnual, StartDate: "2027-01-01", EndDate: "2027-12-31"}))(t)
		must(c.ActivatePeriod(ctx, period.ID))(t)

		objective := func(title string, owner app.OwnerInput, weight float64, als ...app.AlignmentInput) okr.Objective {
			t.Helper()
			return must(c.CreateObjective(ctx, app.ObjectiveInput{PeriodID: period.ID, Title: title, Owner: owner, Weight: &weight, Alignments: als}))(t)
		}
		kr := func(in app.KeyResultInput) okr.KeyResult {
			t.Helper()
			return must(c.CreateKeyResult(ctx, in))(t)
		}
		team := app.OwnerInput{Type: okr.OwnerTeam, ID: sales.ID}

		// The company objective and its key results, one of every kind.
		company := objective("Customers love us", app.OwnerInput{Type: okr.OwnerOrg}, 1)
		k1 := kr(app.KeyResultInput{ObjectiveID: company.ID, Title: "Revenue", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(100.0), Weight: ptr(2.0)})
		k2 := kr(app.KeyResultInput{ObjectiveID: company.ID, Title: "Churn", Kind: okr.Decrease, Baseline: ptr(50.0), Target: ptr(10.0)})
		k3 := kr(app.KeyResultInput{ObjectiveID: company.ID, Title: "Uptime", Kind: okr.Maintain, Band: &okr.Band{Low: 90, High: 100}})
		k4 := kr(app.KeyResultInput{ObjectiveID: company.ID, Title: "Launch", Kind: okr.Milestone,
			Milestones: []app.MilestoneInput{{Title: "Design", Weight: ptr(1.0)}, {Title: "Build", Weight: ptr(3.0)}}})
		k5 := kr(app.KeyResultInput{ObjectiveID: company.ID, Title: "SOC 2", Kind: okr.Boolean, Weight: ptr(0.5)})
		k6 := kr(app.KeyResultInput{ObjectiveID: company.ID, Title: "Markets", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0),
			Source: okr.SourceChildren})

		// A team objective contributing to the company objective, with a
		// person's objective contributing to it in turn.
		t1 := objective("Sales team thrives", team, 2, app.AlignmentInput{ParentType: okr.ParentObjective, ParentID: company.ID, Link: okr.Contributes})
		t1a := kr(app.KeyResultInput{ObjectiveID: t1.ID, Title: "Deals", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)})
		t1b := kr(app.KeyResultInput{ObjectiveID: t1.ID, Title: "Playbook", Kind: okr.Boolean})
		u := objective("I grow as a seller", app.OwnerInput{Type: okr.OwnerUser}, 1, app.AlignmentInput{ParentType: okr.ParentObjective, ParentID: t1.ID})
		u1 := kr(app.KeyResultInput{ObjectiveID: u.ID, Title: "Courses", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(4.0)})

		// Two objectives contributing to the children-sourced key result k6.
		t2 := objective("Enter Spain", team, 3, app.AlignmentInput{ParentType: okr.ParentKeyResult, ParentID: k6.ID, Link: okr.Contributes})
		t2a := kr(app.KeyResultInput{ObjectiveID: t2.ID, Title: "Spanish customers", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(200.0)})
		t3 := objective("Enter Italy", team, 1, app.AlignmentInput{ParentType: okr.ParentKeyResult, ParentID: k6.ID, Link: okr.Contributes})
		t3a := kr(app.KeyResultInput{ObjectiveID: t3.ID, Title: "Time to first order (days)", Kind: okr.Decrease, Baseline: ptr(10.0), Target: ptr(0.0)})

		// Supports only: shown, never counted, however heavy and however done.
		s := objective("Brand refresh", team, 5,
			app.AlignmentInput{ParentType: okr.ParentObjective, ParentID: company.ID, Link: okr.Supports},
			app.AlignmentInput{ParentType: okr.ParentKeyResult, ParentID: k6.ID, Link: okr.Supports})
		s1 := kr(app.KeyResultInput{ObjectiveID: s.ID, Title: "New logo", Kind: okr.Boolean})

		// Check-ins.
		checkIn := func(k okr.KeyResult, in app.CheckInInput) {
			t.Helper()
			in.Confidence, in.Status = 0.8, okr.OnTrack
			must(c.CheckIn(ctx, k.ID, in, ""))(t)
		}
		checkIn(k1, app.CheckInInput{Value: ptr(40.0)})
		checkIn(k2, app.CheckInInput{Value: ptr(30.0)})
		checkIn(k3, app.CheckInInput{Value: ptr(85.0)})
		checkIn(k4, app.CheckInInput{MilestonesDone: []string{k4.Milestones[1].ID}})
		checkIn(k5, app.CheckInInput{Value: ptr(1.0)})
		must(c.CheckInObjective(ctx, t1.ID, app.ObjectiveCheckInInput{Status: okr.OnTrack, Entries: []app.CheckInEntry{
			{KeyResultID: t1a.ID, Value: ptr(5.0), Confidence: 0.8},
			{KeyResultID: t1b.ID, Value: ptr(0.0), Confidence: 0.8},
		}}, ""))(t)
		checkIn(u1, app.CheckInInput{Value: ptr(3.0)})
		checkIn(t2a, app.CheckInInput{Value: ptr(150.0)})
		checkIn(t3a, app.CheckInInput{Value: ptr(8.0)})
		checkIn(s1, app.CheckInInput{Value: ptr(1.0)})

		// DESIGN §4, by hand.
		want := map[string]float64{}
		// increase: (current − baseline) / (target − baseline) = (40 − 0) / (100 − 0)
		want[k1.ID] = (40.0 - 0) / (100 - 0)
		// decrease: (baseline − current) / (baseline − target) = (50 − 30) / (50 − 10)
		want[k2.ID] = (50.0 - 30) / (50 - 10)
		// maintain: 85 is 5 below the band 90..100 of width 10: 1 − 5/10
		want[k3.ID] = 1 - (90.0-85)/(100-90)
		// milestone: "Build" (weight 3) done of 1 + 3
		want[k4.ID] = 3.0 / (1 + 3)
		// boolean: done
		want[k5.ID] = 1
		want[t1a.ID] = (5.0 - 0) / (10 - 0)
		want[t1b.ID] = 0
		want[u1.ID] = (3.0 - 0) / (4 - 0)
		want[t2a.ID] = (150.0 - 0) / (200 - 0)
		want[t3a.ID] = (10.0 - 8) / (10 - 0)
		want[s1.ID] = 1
		// An objective is the weighted mean of its key results and of the
		// objectives contributing to it, each with its own weight (here 1 unless said).
		want[u.ID] = want[u1.ID]
		want[t2.ID] = want[t2a.ID]
		want[t3.ID] = want[t3a.ID]
		want[s.ID] = want[s1.ID]
		// T1: Deals (1), Playbook (1), and the person's objective U (weight 1).
		want[t1.ID] = (want[t1a.ID] + want[t1b.ID] + want[u.ID]) / 3
		// k6 (source children): T2 (weight 3) and T3 (weight 1); S only supports.
		want[k6.ID] = (3*want[t2.ID] + 1*want[t3.ID]) / (3 + 1)
		// The company: k1 (2), k2, k3, k4 (1 each), k5 (0.5), k6 (1), T1 (2); S only supports.
		companySum := 2*want[k1.ID] + want[k2.ID] + want[k3.ID] + want[k4.ID] + 0.5*want[k5.ID] + want[k6.ID]
		want[company.ID] = (companySum + 2*want[t1.ID]) / (2 + 1 + 1 + 1 + 0.5 + 1 + 2)

		objectives := []string{company.ID, t1.ID, u.ID, t2.ID, t3.ID, s.ID}
		keyResults := []string{k1.ID, k2.ID, k3.ID, k4.ID, k5.ID, k6.ID, t1a.ID, t1b.ID, u1.ID, t2a.ID, t3a.ID, s1.ID}
		assertProgress(t, c, period.ID, objectives, keyResults, want)

		// A children-sourced key result shows the point of the way from baseline to target: 0 + 0.6125 × (10 − 0).
		if got := must(c.GetKeyResult(ctx, k6.ID))(t).Current; math.Abs(got-want[k6.ID]*10) > 1e-9 {
			t.Errorf("k6 current %v, want %v", got, want[k6.ID]*10)
		}
		if got := want[company.ID]; math.Abs(got-4.495833333333333/8.5) > 1e-12 {
			t.Fatalf("the arithmetic above is off: %v", got) // guards the hand computation itself
		}

		// T1's weight drops to 1 (with If-Match): the company is recomputed.
		t1 = must(c.GetObjective(ctx, t1.ID))(t)
		must(c.UpdateObjective(ctx, t1.ID, t1.Version, app.ObjectiveUpdate{Weight: ptr(1.0)}))(t)
		want[company.ID] = (companySum + 1*want[t1.ID]) / (2 + 1 + 1 + 1 + 0.5 + 1 + 1)
		assertProgress(t, c, period.ID, objectives, keyResults, want)

		// S turns from supports to contributes (and drops its link to k6): now its
		// weight 5 counts in the company; k6 is unchanged.
		s = must(c.GetObjective(ctx, s.ID))(t)
		must(c.UpdateObjective(ctx, s.ID, s.Version, app.ObjectiveUpdate{Alignments: &[]app.AlignmentInput{
			{ParentType: okr.ParentObjective, ParentID: company.ID, Link: okr.Contributes}}}))(t)
		want[company.ID] = (companySum + 1*want[t1.ID] + 5*want[s.ID]) / (2 + 1 + 1 + 1 + 0.5 + 1 + 1 + 5)
		assertProgress(t, c, period.ID, objectives, keyResults, want)
	})
}

// assertProgress reads every objective and key result one by one and in the
// alignment tree, and compares their progress with want to 1e-9.
func assertProgress(t *testing.T, c *apiclient.Client, periodID string, objectives, keyResults []string, want map[string]float64) {
	t.Helper()
	ctx := context.Background()
	const eps = 1e-9
	for _, id := range objectives {
		o := must(c.GetObjective(ctx, id))(t)
		if math.Abs(o.Progress-want[id]) > eps {
			t.Errorf("objective %q: progress %.12f, want %.12f", o.Title, o.Progress, want[id])
		}
	}
	for _, id := range keyResults {
		k := must(c.GetKeyResult(ctx, id))(t)
		if math.Abs(k.Progress-want[id]) > eps {
			t.Errorf("key result %q: progress %.12f, want %.12f", k.Title, k.Progress, want[id])
		}
	}
	tree := must(c.Alignment(ctx, periodID))(t)
	seen := 0
	for _, n := range tree.Nodes {
		w, ok := want[n.ID]
		if !ok {
			t.Errorf("the tree shows an unexpected %s %q", n.Type, n.Title)
			continue
		}
		seen++
		if math.Abs(n.Progress-w) > eps {
			t.Errorf("tree %s %q: progress %.12f, want %.12f", n.Type, n.Title, n.Progress, w)
		}
	}
	if seen != len(objectives)+len(keyResults) {
		t.Errorf("the tree shows %d nodes, want %d", seen, len(objectives)+len(keyResults))
	}
}
