package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

// outlineWorld: a company objective, Support's objective aligned to it
// through its key result, Bob's private objective aligned to Support's, and
// Bob's public unaligned one.
type outlineWorld struct {
	*world
	company, support, secret, loose okr.Objective
	companyKR                       okr.KeyResult
}

func newOutlineWorld(t *testing.T) *outlineWorld {
	t.Helper()
	ctx := context.Background()
	w := &outlineWorld{world: newWorld(t)}
	a := w.a
	var err error
	must := func(o okr.Objective, err error) okr.Objective {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	w.company = must(a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Win the market",
		Owner: app.OwnerInput{Type: okr.OwnerOrg}}, ""))
	zero, hundred, half, two := 0.0, 100.0, 0.5, 2.0
	if w.companyKR, err = a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: w.company.ID, Title: "Reach 100 customers",
		Kind: okr.Increase, Unit: okr.UnitCustom, UnitLabel: "customers", Baseline: &zero, Target: &hundred, Weight: &two}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: w.company.ID, Title: "Launch", Kind: okr.Boolean, Weight: &half}, ""); err != nil {
		t.Fatal(err)
	}
	w.support = must(a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Delight customers",
		Owner:      app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID},
		Alignments: []app.AlignmentInput{{ParentType: okr.ParentKeyResult, ParentID: w.companyKR.ID}}}, ""))
	w.secret = must(a.CreateObjective(ctx, w.bob, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Learn negotiation",
		Owner: app.OwnerInput{Type: okr.OwnerUser}, Visibility: okr.Private,
		Alignments: []app.AlignmentInput{{ParentType: okr.ParentObjective, ParentID: w.support.ID, Link: okr.Supports}}}, ""))
	w.loose = must(a.CreateObjective(ctx, w.bob, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Write docs",
		Owner: app.OwnerInput{Type: okr.OwnerUser}}, ""))
	return w
}

func titles(os []*app.OutlineObjective) []string {
	var out []string
	for _, o := range os {
		out = append(out, o.Title)
	}
	return out
}

func TestAlignmentOutlineNestsAndFilters(t *testing.T) {
	ctx := context.Background()
	w := newOutlineWorld(t)
	a := w.a

	// Unfiltered, for the owner: the company objective holds its key results
	// and Support's objective (aligned through a key result), which holds Bob's secret.
	out, err := a.AlignmentOutline(ctx, w.owner, w.period.ID, app.AlignmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(out.Roots); len(got) != 2 || got[0] != "Win the market" || got[1] != "Write docs" {
		t.Fatalf("roots %q, want the company objective then Bob's loose one", got)
	}
	company := out.Roots[0]
	if len(company.KeyResults) != 2 || len(company.Children) != 1 || company.Children[0].ID != w.support.ID {
		t.Fatalf("company objective: %d key results, children %q", len(company.KeyResults), titles(company.Children))
	}
	kr := company.KeyResults[0]
	if kr.KRKind != okr.Increase || kr.UnitLabel != "customers" || kr.Target == nil || *kr.Target != 100 {
		t.Fatalf("a key result node lacks what shows its value: %+v", kr)
	}
	support := company.Children[0]
	if support.Depth != 1 || len(support.Children) != 1 || support.Children[0].ID != w.secret.ID || support.Children[0].Depth != 2 {
		t.Fatalf("Support's objective: depth %d, children %q", support.Depth, titles(support.Children))
	}
	if out.Total != 4 || out.Summary.Objectives != 4 || out.Summary.Health[okr.HealthPending] != 4 {
		t.Fatalf("total %d, summary %+v", out.Total, out.Summary)
	}

	// Ann may not see Bob's private objective: it is not in her outline.
	out, err = a.AlignmentOutline(ctx, w.ann, w.period.ID, app.AlignmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if out.Total != 3 || len(out.Roots[0].Children[0].Children) != 0 {
		t.Fatalf("Ann sees %d objectives; Support's children %q", out.Total, titles(out.Roots[0].Children[0].Children))
	}

	// Filtered by owner: Bob's objectives match; their ancestors stay as context.
	out, err = a.AlignmentOutline(ctx, w.owner, w.period.ID, app.AlignmentFilter{OwnerID: w.bob.UserID})
	if err != nil {
		t.Fatal(err)
	}
	if out.Summary.Objectives != 2 || len(out.Roots) != 2 || out.Roots[0].Match || out.Roots[0].Children[0].Match ||
		!out.Roots[0].Children[0].Children[0].Match || !out.Roots[1].Match {
		t.Fatalf("owner filter: summary %+v, roots %q", out.Summary, titles(out.Roots))
	}

	// Filtered by team: Support's objective (owned by the team) and Ann's (a lead) match; Bob is not in it.
	out, err = a.AlignmentOutline(ctx, w.owner, w.period.ID, app.AlignmentFilter{TeamID: w.team.ID})
	if err != nil {
		t.Fatal(err)
	}
	if out.Summary.Objectives != 1 || len(out.Roots) != 1 || out.Roots[0].Match || !out.Roots[0].Children[0].Match ||
		len(out.Roots[0].Children[0].Children) != 0 {
		t.Fatalf("team filter: summary %+v, roots %q", out.Summary, titles(out.Roots))
	}

	// Filtered by a health nobody has: nothing.
	out, err = a.AlignmentOutline(ctx, w.owner, w.period.ID, app.AlignmentFilter{Health: okr.HealthOffTrack})
	if err != nil || len(out.Roots) != 0 || out.Summary.Objectives != 0 || out.Total != 4 {
		t.Fatalf("health filter: %v, %d roots, summary %+v", err, len(out.Roots), out.Summary)
	}

	// A filter naming what does not exist is invalid, per field.
	_, err = a.AlignmentOutline(ctx, w.owner, w.period.ID, app.AlignmentFilter{TeamID: "nope", Health: "great"})
	wantKind(t, err, errs.Invalid)
}

func TestObjectiveOverview(t *testing.T) {
	ctx := context.Background()
	w := newOutlineWorld(t)
	a := w.a
	if _, err := a.ActivatePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	v := 10.0
	if _, err := a.CheckIn(ctx, w.owner, w.companyKR.ID, app.CheckInInput{Value: &v, Confidence: 0.7, Status: okr.OnTrack, Note: "first"}, ""); err != nil {
		t.Fatal(err)
	}
	ov, err := a.ObjectiveOverview(ctx, w.owner, w.company.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.KeyResults) != 2 || len(ov.CheckIns) != 1 || ov.CheckIns[0].Note != "first" || !ov.CanEdit {
		t.Fatalf("overview: %d key results, %d check-ins, can edit %v", len(ov.KeyResults), len(ov.CheckIns), ov.CanEdit)
	}
	if ov.Confidence == nil || *ov.Confidence != 0.7 {
		t.Fatalf("confidence %v, want 0.7 (the only key result with one)", ov.Confidence)
	}
	if len(ov.Children) != 1 || ov.Children[0].Objective.ID != w.support.ID || ov.Children[0].KeyResult == nil ||
		ov.Children[0].KeyResult.ID != w.companyKR.ID {
		t.Fatalf("children %+v, want Support's objective through the customers key result", ov.Children)
	}

	// Bob's secret: its ancestors are the chain up; Ann cannot open it; Bob can but not the company's edit.
	ov, err = a.ObjectiveOverview(ctx, w.bob, w.secret.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.Ancestors) != 2 || ov.Ancestors[0].ID != w.company.ID || ov.Ancestors[1].ID != w.support.ID ||
		len(ov.Parents) != 1 || ov.Parents[0].Link != okr.Supports {
		t.Fatalf("ancestors %v, parents %v", ov.Ancestors, ov.Parents)
	}
	_, err = a.ObjectiveOverview(ctx, w.ann, w.secret.ID)
	wantKind(t, err, errs.NotFound)
	ov, err = a.ObjectiveOverview(ctx, w.bob, w.company.ID)
	if err != nil || ov.CanEdit {
		t.Fatalf("Bob on the company objective: %v, can edit %v", err, ov.CanEdit)
	}
	if len(ov.Children) != 1 {
		t.Fatalf("Bob sees %d children of the company objective, want 1", len(ov.Children))
	}
}

func TestValueSeries(t *testing.T) {
	loc := time.UTC
	at := func(s string) time.Time { tm, _ := time.ParseInLocation("2006-01-02 15:04", s, loc); return tm }
	k := okr.KeyResult{Baseline: 0, Target: 100, Current: 40, DueDate: "2026-01-29", Forecast: &okr.Forecast{Value: 90}}
	cs := []okr.CheckIn{ // newest first, as the store lists them
		{Value: 40, PreviousValue: 20, Created: at("2026-01-10 09:00")},
		{Value: 20, PreviousValue: 0, Created: at("2026-01-03 09:00")},
	}
	s := app.ValueSeries(k, cs, "2026-01-01", at("2026-01-12 10:00"), loc)
	var dates []string
	for _, p := range s {
		dates = append(dates, string(p.Date))
	}
	want := []string{"2026-01-01", "2026-01-08", "2026-01-12", "2026-01-15", "2026-01-22", "2026-01-29"}
	if len(dates) != len(want) {
		t.Fatalf("dates %v, want %v", dates, want)
	}
	for i := range want {
		if dates[i] != want[i] {
			t.Fatalf("dates %v, want %v", dates, want)
		}
	}
	val := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	if val(s[0].Value) != 0 || val(s[1].Value) != 20 || val(s[2].Value) != 40 || s[3].Value != nil {
		t.Fatalf("values %v %v %v %v", val(s[0].Value), val(s[1].Value), val(s[2].Value), val(s[3].Value))
	}
	if s[1].Forecast != nil || val(s[2].Forecast) != 40 || val(s[5].Forecast) != 90 {
		t.Fatalf("forecast %v %v %v", val(s[1].Forecast), val(s[2].Forecast), val(s[5].Forecast))
	}
}

func TestObjectiveConfidence(t *testing.T) {
	c := func(x float64) *float64 { return &x }
	if got := app.ObjectiveConfidence(nil); got != nil {
		t.Fatalf("no key results: %v", *got)
	}
	got := app.ObjectiveConfidence([]okr.KeyResult{{Weight: 1, Confidence: c(0.9)}, {Weight: 3, Confidence: c(0.5)}, {Weight: 2}})
	if got == nil || *got != 0.6 {
		t.Fatalf("weighted confidence %v, want 0.6", got)
	}
}
