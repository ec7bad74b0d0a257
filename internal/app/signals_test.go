package app_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/store"
)

// TestExpectedProgressAndBehind checks the signals a read derives, at a
// fixed moment: halfway through a 90-day quarter.
func TestExpectedProgressAndBehind(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2027, 2, 15, 0, 0, 0, 0, time.UTC) // day 45 of 90 (2027-01-01..2027-03-31)
	w := newWorldWith(t, store.Config{Now: func() time.Time { return now }})
	a := w.a
	o, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Grow revenue steadily", Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}
	mk := func(current float64, due okr.Date) okr.KeyResult {
		k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "Deals", Kind: okr.Increase,
			Baseline: ptr(0.0), Target: ptr(100.0), DueDate: due}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.CheckIn(ctx, w.owner, k.ID, app.CheckInInput{Value: &current, Confidence: 0.8, Status: okr.OnTrack}, ""); err != nil {
			t.Fatal(err)
		}
		k, err = a.GetKeyResult(ctx, w.owner, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	for _, c := range []struct {
		current  float64
		due      okr.Date
		expected float64
		behind   bool
	}{
		{20, "", 0.5, true},             // 45/90 elapsed; 0.5 − 0.2 = 0.3 > 0.25
		{30, "", 0.5, false},            // 0.5 − 0.3 = 0.2
		{70, "2027-01-31", 1, true},     // due date passed: expected 1; 1 − 0.7 = 0.3
		{60, "2027-03-01", 0.75, false}, // 45 of 60 days; 0.75 − 0.6 = 0.15
	} {
		k := mk(c.current, c.due)
		if math.Abs(k.Expected-c.expected) > 1e-9 || k.Behind != c.behind {
			t.Errorf("current %v due %q: expected %v behind %v, want %v %v", c.current, c.due, k.Expected, k.Behind, c.expected, c.behind)
		}
	}
	// The objective: mean progress (0.2+0.3+0.7+0.6)/4 = 0.45 against 0.5 expected: not behind.
	got, err := a.GetObjective(ctx, w.owner, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.Progress-0.45) > 1e-9 || math.Abs(got.Expected-0.5) > 1e-9 || got.Behind {
		t.Errorf("objective: progress %v expected %v behind %v", got.Progress, got.Expected, got.Behind)
	}
}

// TestIdempotencyKeysAreRememberedForADay: within 24 hours a key replays (or
// refuses another body); after it, the key is forgotten and creates anew.
func TestIdempotencyKeysAreRememberedForADay(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
	w := newWorldWith(t, store.Config{Now: func() time.Time { return now }})
	a := w.a
	create := func(title string) (okr.Objective, error) {
		return a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: title, Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "monday-okr")
	}
	first, err := create("Ship a calmer product")
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(23 * time.Hour)
	again, err := create("Ship a calmer product")
	if err != nil || again.ID != first.ID {
		t.Fatalf("replay within the day: %v, id %s want %s", err, again.ID, first.ID)
	}
	_, err = create("Something else entirely")
	wantKind(t, err, errs.Conflict)
	now = now.Add(2 * time.Hour) // 25 hours after the first use
	fresh, err := create("Something else entirely")
	if err != nil || fresh.ID == first.ID {
		t.Fatalf("after a day: %v, id %s (first %s)", err, fresh.ID, first.ID)
	}
}
