package demo_test

import (
	"context"
	"math"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// TestPreviousQuarter: the demo's previous quarter is closed and scored (one
// score adjusted with its reason), three objectives have a retrospective, and
// its decisions carried one objective as it was and one modified into the
// quarter in planning, and dropped one.
func TestPreviousQuarter(t *testing.T) {
	s := seed(t, mid2026)
	ctx := context.Background()
	ps, err := s.a.ListPeriods(ctx, s.owner, app.PageRequest{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var prev okr.Period
	for _, p := range ps.Items {
		if p.Name == "2026-Q1" {
			prev = p
		}
	}
	if prev.State != okr.PeriodClosed {
		t.Fatalf("previous quarter: %+v, want 2026-Q1 closed", prev)
	}
	r, err := s.a.Review(ctx, s.owner, prev.ID)
	if err != nil {
		t.Fatal(err)
	}
	// (22/28 + 1)/2, (1 + 0.6)/2, (4/7 + 1 + 0.7)/3, (1 + 0.45)/2.
	want := ((22.0/28+1)/2 + 0.8 + (4.0/7+1+0.7)/3 + 0.725) / 4
	if math.Abs(r.MeanScore-want) > 1e-9 || r.Verdict != okr.Healthy || r.Preview || len(r.Objectives) != 4 {
		t.Fatalf("review: mean %v verdict %s preview %v objectives %d; want %v healthy", r.MeanScore, r.Verdict, r.Preview, len(r.Objectives), want)
	}
	if r.Retrospectives != 3 || r.Decisions != 3 {
		t.Errorf("review progress: %d retrospectives, %d decisions; want 3 and 3", r.Retrospectives, r.Decisions)
	}
	adjusted := 0
	decisions := map[okr.Decision]int{}
	for _, o := range r.Objectives {
		for _, k := range o.KeyResults {
			if k.Score.Adjusted != nil {
				adjusted++
				if k.Score.Reason == nil || *k.Score.Reason == "" || *k.Score.Adjusted != 0.7 || k.Score.Computed != 0 {
					t.Errorf("adjusted score %+v", k.Score)
				}
			}
		}
		if o.Decision != nil {
			decisions[o.Decision.Decision]++
		}
		if o.Retrospective != nil && len(o.Retrospective.Lessons) != 1 {
			t.Errorf("%q: lessons %+v, want one", o.Title, o.Retrospective.Lessons)
		}
	}
	if adjusted != 1 || decisions[okr.Keep] != 1 || decisions[okr.Modify] != 1 || decisions[okr.Drop] != 1 {
		t.Errorf("adjusted %d, decisions %v", adjusted, decisions)
	}
	next, err := s.a.ListObjectives(ctx, s.owner, app.ObjectiveQuery{PeriodID: s.res.NextPeriodID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	carried := 0
	for _, o := range next.Items {
		if o.CarriedFrom != "" {
			carried++
			if o.State != okr.Draft {
				t.Errorf("carried %q is %s, want draft", o.Title, o.State)
			}
		}
	}
	if carried != 2 {
		t.Errorf("%d objectives carried into the next quarter, want 2", carried)
	}
}
