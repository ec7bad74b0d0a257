package app_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// sheet is a world in an active period: the company objective, and two
// objectives of Ann's contributing to it with four key results of hers, and
// Bob's objectives (one public, one private) with a key result each.
type sheet struct {
	*world
	company, annA, annB, bobPublic, bobPrivate okr.Objective
	// k1 increase 0→100, k2 boolean (on annA); k3 milestone, k4 increase (on annB).
	k1, k2, k3, k4   okr.KeyResult
	bobKR, bobSecret okr.KeyResult
}

func newSheet(t *testing.T) *sheet {
	t.Helper()
	ctx := context.Background()
	s := &sheet{world: newWorld(t)}
	a := s.a
	if _, err := a.ActivatePeriod(ctx, s.owner, s.period.ID); err != nil {
		t.Fatal(err)
	}
	objective := func(actor org.Actor, in app.ObjectiveInput) okr.Objective {
		t.Helper()
		in.PeriodID = s.period.ID
		o, err := a.CreateObjective(ctx, actor, in, "")
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	kr := func(actor org.Actor, in app.KeyResultInput) okr.KeyResult {
		t.Helper()
		k, err := a.CreateKeyResult(ctx, actor, in, "")
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	s.company = objective(s.owner, app.ObjectiveInput{Title: "Grow", Owner: app.OwnerInput{Type: okr.OwnerOrg}})
	up := []app.AlignmentInput{{ParentType: okr.ParentObjective, ParentID: s.company.ID}}
	s.annA = objective(s.ann, app.ObjectiveInput{Title: "Win customers", Owner: app.OwnerInput{Type: okr.OwnerUser}, Alignments: up})
	s.annB = objective(s.ann, app.ObjectiveInput{Title: "Ship the app", Owner: app.OwnerInput{Type: okr.OwnerUser}, Alignments: up})
	s.k1 = kr(s.ann, app.KeyResultInput{ObjectiveID: s.annA.ID, Title: "Deals", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(100.0)})
	s.k2 = kr(s.ann, app.KeyResultInput{ObjectiveID: s.annA.ID, Title: "Pricing page live", Kind: okr.Boolean})
	s.k3 = kr(s.ann, app.KeyResultInput{ObjectiveID: s.annB.ID, Title: "Launch", Kind: okr.Milestone,
		Milestones: []app.MilestoneInput{{Title: "Beta"}, {Title: "GA", Weight: ptr(3.0)}}})
	s.k4 = kr(s.ann, app.KeyResultInput{ObjectiveID: s.annB.ID, Title: "Installs", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)})
	s.bobPublic = objective(s.bob, app.ObjectiveInput{Title: "Bob's public", Owner: app.OwnerInput{Type: okr.OwnerUser}})
	s.bobPrivate = objective(s.bob, app.ObjectiveInput{Title: "Bob's secret", Owner: app.OwnerInput{Type: okr.OwnerUser}, Visibility: okr.Private})
	s.bobKR = kr(s.bob, app.KeyResultInput{ObjectiveID: s.bobPublic.ID, Title: "Calls", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)})
	s.bobSecret = kr(s.bob, app.KeyResultInput{ObjectiveID: s.bobPrivate.ID, Title: "Secret", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)})
	return s
}

// fieldsOf maps an invalid error's fields to their messages.
func sheetFields(t *testing.T, err error) map[string]string {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid {
		t.Fatalf("got %v, want an invalid-input error", err)
	}
	out := map[string]string{}
	for _, f := range e.Fields {
		out[f.Field] = f.Message
	}
	return out
}

// checkIns counts a key result's check-ins.
func (s *sheet) checkIns(t *testing.T, k okr.KeyResult) int {
	t.Helper()
	p, err := s.a.ListCheckIns(context.Background(), s.owner, k.ID, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Items)
}

func (s *sheet) kr(t *testing.T, k okr.KeyResult) okr.KeyResult {
	t.Helper()
	got, err := s.a.GetKeyResult(context.Background(), s.owner, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (s *sheet) progress(t *testing.T, o okr.Objective) float64 {
	t.Helper()
	got, err := s.a.GetObjective(context.Background(), s.owner, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Progress
}

func sheetNear(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestCheckInManyRecordsAllAndRollsUp(t *testing.T) {
	ctx := context.Background()
	s := newSheet(t)
	res, err := s.a.CheckInMany(ctx, s.ann, app.MultiCheckInInput{
		Note: "Good week",
		Entries: []app.MultiCheckInEntry{
			{KeyResultID: s.k1.ID, Value: ptr(50.0), Confidence: ptr(0.8), Status: okr.OnTrack},
			{KeyResultID: s.k2.ID, Value: ptr(1.0), Confidence: ptr(0.3), Status: okr.AtRisk},
			{KeyResultID: s.k3.ID, MilestonesDone: []string{s.k3.Milestones[1].ID}, Confidence: ptr(0.6), Status: okr.OnTrack},
			{KeyResultID: s.k4.ID}, // untouched: skipped
		},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("%d check-ins recorded, want 3 (the untouched entry skipped)", len(res))
	}
	for i, want := range []string{s.k1.ID, s.k2.ID, s.k3.ID} {
		if res[i].KeyResultID != want || res[i].Note != "Good week" || res[i].AuthorID != s.ann.UserID {
			t.Errorf("result %d: %+v, want key result %s with the shared note by Ann", i, res[i].CheckIn, want)
		}
	}
	// Low confidence without a blocker warns; the others do not.
	if len(res[0].Warnings) != 0 || len(res[1].Warnings) != 1 || len(res[2].Warnings) != 0 {
		t.Errorf("warnings %v / %v / %v, want one on the boolean key result only", res[0].Warnings, res[1].Warnings, res[2].Warnings)
	}
	if got := s.kr(t, s.k1); got.Current != 50 || got.LastStatus != okr.OnTrack || *got.Confidence != 0.8 {
		t.Errorf("k1 current %v status %s, want 50 on_track", got.Current, got.LastStatus)
	}
	if got := s.kr(t, s.k2); got.Current != 1 || got.Progress != 1 {
		t.Errorf("k2 current %v progress %v, want done", got.Current, got.Progress)
	}
	if got := s.kr(t, s.k3); !sheetNear(got.Progress, 0.75) {
		t.Errorf("k3 progress %v, want 0.75", got.Progress)
	}
	if n := s.checkIns(t, s.k4); n != 0 {
		t.Errorf("the untouched k4 has %d check-ins", n)
	}
	// Both objectives and their parent rolled up in the same call.
	a, b := (0.5+1)/2, (0.75+0)/2
	if got := s.progress(t, s.annA); !sheetNear(got, a) {
		t.Errorf("annA progress %v, want %v", got, a)
	}
	if got := s.progress(t, s.annB); !sheetNear(got, b) {
		t.Errorf("annB progress %v, want %v", got, b)
	}
	if got := s.progress(t, s.company); !sheetNear(got, (a+b)/2) {
		t.Errorf("company progress %v, want %v", got, (a+b)/2)
	}

	// Due: MyKeyResults no longer asks for the three, still for k4.
	mine, err := s.a.MyKeyResults(ctx, s.ann)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mine {
		if m.Due != (m.KeyResult.ID == s.k4.ID) {
			t.Errorf("%s due %v after the check-in", m.KeyResult.Title, m.Due)
		}
	}

	// Left out, confidence and status keep the last ones.
	res, err = s.a.CheckInMany(ctx, s.ann, app.MultiCheckInInput{Entries: []app.MultiCheckInEntry{{KeyResultID: s.k1.ID, Value: ptr(60.0)}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Confidence != 0.8 || res[0].Status != okr.OnTrack || res[0].PreviousValue != 50 || res[0].Value != 60 {
		t.Errorf("defaults: %+v, want confidence 0.8, on_track, 50 → 60", res[0].CheckIn)
	}
	// Confidence and status alone keep the value.
	res, err = s.a.CheckInMany(ctx, s.ann, app.MultiCheckInInput{Entries: []app.MultiCheckInEntry{{KeyResultID: s.k1.ID, Confidence: ptr(0.5), Status: okr.AtRisk}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Value != 60 || res[0].Status != okr.AtRisk {
		t.Errorf("confidence only: %+v, want value 60 at_risk", res[0].CheckIn)
	}
}

func TestCheckInManyIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := newSheet(t)
	before := s.progress(t, s.company)
	_, err := s.a.CheckInMany(ctx, s.ann, app.MultiCheckInInput{
		Blockers: []okr.Blocker{{Type: "weather", Description: "rain"}},
		Entries: []app.MultiCheckInEntry{
			{KeyResultID: s.k1.ID, Value: ptr(50.0), Confidence: ptr(0.8), Status: okr.OnTrack},
			{KeyResultID: s.k2.ID, Value: ptr(5.0), Confidence: ptr(0.8), Status: okr.OnTrack},
			{KeyResultID: s.k3.ID, Value: ptr(1.0), Confidence: ptr(2.0), Status: "fine"},
			{KeyResultID: s.k4.ID, Value: ptr(3.0)}, // first check-in: no confidence or status to keep
		},
	}, "")
	f := sheetFields(t, err)
	for _, want := range []string{"entries[1].value", "entries[2].value", "entries[2].confidence", "entries[2].status",
		"entries[3].confidence", "entries[3].status", "blockers[0].type"} {
		if f[want] == "" {
			t.Errorf("no message for %s in %v", want, f)
		}
	}
	if f["entries[0].value"] != "" {
		t.Errorf("the valid entry has a message: %v", f)
	}
	for _, k := range []okr.KeyResult{s.k1, s.k2, s.k3, s.k4} {
		if n := s.checkIns(t, k); n != 0 {
			t.Errorf("%s has %d check-ins after a refused batch", k.Title, n)
		}
	}
	if got := s.kr(t, s.k1); got.Current != 0 || got.LastCheckIn != nil {
		t.Errorf("k1 changed by a refused batch: current %v", got.Current)
	}
	if got := s.progress(t, s.company); got != before {
		t.Errorf("company progress moved from %v to %v", before, got)
	}

	// Listing a key result twice is refused too.
	_, err = s.a.CheckInMany(ctx, s.ann, app.MultiCheckInInput{Entries: []app.MultiCheckInEntry{
		{KeyResultID: s.k1.ID, Value: ptr(1.0), Confidence: ptr(0.8), Status: okr.OnTrack},
		{KeyResultID: s.k1.ID, Value: ptr(2.0), Confidence: ptr(0.8), Status: okr.OnTrack},
	}}, "")
	if f := sheetFields(t, err); f["entries[1].key_result_id"] == "" {
		t.Errorf("a key result listed twice: %v", f)
	}
	// Nothing new at all.
	_, err = s.a.CheckInMany(ctx, s.ann, app.MultiCheckInInput{Entries: []app.MultiCheckInEntry{{KeyResultID: s.k1.ID}}}, "")
	if f := sheetFields(t, err); f["entries"] == "" {
		t.Errorf("an empty check-in: %v", f)
	}
	if n := s.checkIns(t, s.k1); n != 0 {
		t.Errorf("k1 has %d check-ins", n)
	}
}

func TestCheckInManyAuthorization(t *testing.T) {
	ctx := context.Background()
	s := newSheet(t)
	mine := app.MultiCheckInEntry{KeyResultID: s.k1.ID, Value: ptr(40.0), Confidence: ptr(0.8), Status: okr.OnTrack}

	// Ann may not check in Bob's key result: the whole batch is refused.
	_, err := s.a.CheckInMany(ctx, s.ann, app.MultiCheckInInput{Entries: []app.MultiCheckInEntry{mine,
		{KeyResultID: s.bobKR.ID, Value: ptr(3.0), Confidence: ptr(0.8), Status: okr.OnTrack}}}, "")
	wantKind(t, err, errs.Forbidden)
	// One she cannot see is unknown to her, not forbidden.
	_, err = s.a.CheckInMany(ctx, s.ann, app.MultiCheckInInput{Entries: []app.MultiCheckInEntry{mine,
		{KeyResultID: s.bobSecret.ID, Value: ptr(3.0), Confidence: ptr(0.8), Status: okr.OnTrack}}}, "")
	if f := sheetFields(t, err); f["entries[1].key_result_id"] == "" {
		t.Errorf("a hidden key result: %v", f)
	}
	if n := s.checkIns(t, s.k1); n != 0 {
		t.Fatalf("k1 has %d check-ins after refused batches", n)
	}
	// A viewer checks in nothing.
	_, err = s.a.CheckInMany(ctx, s.viola, app.MultiCheckInInput{Entries: []app.MultiCheckInEntry{mine}}, "")
	wantKind(t, err, errs.Forbidden)

	// An admin may check in anyone's key results, as with CheckIn.
	res, err := s.a.CheckInMany(ctx, s.owner, app.MultiCheckInInput{Entries: []app.MultiCheckInEntry{mine,
		{KeyResultID: s.bobSecret.ID, Value: ptr(3.0), Confidence: ptr(0.8), Status: okr.OnTrack}}}, "")
	if err != nil || len(res) != 2 {
		t.Fatalf("admin: %v, %d results", err, len(res))
	}
	// A closed period is read-only.
	if _, err := s.a.ClosePeriod(ctx, s.owner, s.period.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.a.CheckInMany(ctx, s.ann, app.MultiCheckInInput{Entries: []app.MultiCheckInEntry{mine}}, "")
	wantKind(t, err, errs.Conflict)
}

func TestCheckInManyIdempotency(t *testing.T) {
	ctx := context.Background()
	s := newSheet(t)
	in := app.MultiCheckInInput{Entries: []app.MultiCheckInEntry{
		{KeyResultID: s.k1.ID, Value: ptr(10.0), Confidence: ptr(0.8), Status: okr.OnTrack},
		{KeyResultID: s.k4.ID, Value: ptr(2.0), Confidence: ptr(0.7), Status: okr.OnTrack},
	}}
	first, err := s.a.CheckInMany(ctx, s.ann, in, "sheet-1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.a.CheckInMany(ctx, s.ann, in, "sheet-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 2 || again[0].ID != first[0].ID || again[1].ID != first[1].ID {
		t.Fatalf("a retry recorded new check-ins: %v then %v", first, again)
	}
	if n := s.checkIns(t, s.k1); n != 1 {
		t.Fatalf("k1 has %d check-ins after a double submit, want 1", n)
	}
	in.Entries[0].Value = ptr(11.0)
	_, err = s.a.CheckInMany(ctx, s.ann, in, "sheet-1")
	wantKind(t, err, errs.Conflict)
}

// CheckInObjective, now built on the same batch, keeps its behaviour.
func TestCheckInObjectiveStillWorks(t *testing.T) {
	ctx := context.Background()
	s := newSheet(t)
	res, err := s.a.CheckInObjective(ctx, s.ann, s.annA.ID, app.ObjectiveCheckInInput{Status: okr.OnTrack, Entries: []app.CheckInEntry{
		{KeyResultID: s.k1.ID, Value: ptr(20.0), Confidence: 0.9},
		{KeyResultID: s.k2.ID, Value: ptr(0.0), Confidence: 0.9},
	}}, "")
	if err != nil || len(res) != 2 {
		t.Fatalf("%v, %d results", err, len(res))
	}
	if got := s.progress(t, s.annA); !sheetNear(got, 0.1) {
		t.Errorf("annA progress %v, want 0.1", got)
	}
	_, err = s.a.CheckInObjective(ctx, s.ann, s.annA.ID, app.ObjectiveCheckInInput{Status: okr.OnTrack, Entries: []app.CheckInEntry{
		{KeyResultID: s.k1.ID, Value: ptr(30.0), Confidence: 0.9},
		{KeyResultID: s.k3.ID, Confidence: 0.9},
	}}, "")
	if f := sheetFields(t, err); f["entries[1].key_result_id"] == "" {
		t.Errorf("a key result of another objective: %v", f)
	}
	if got := s.kr(t, s.k1); got.Current != 20 {
		t.Errorf("k1 is %v after a refused objective check-in, want 20", got.Current)
	}
}
