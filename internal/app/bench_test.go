package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// BenchmarkCheckIn measures the whole check-in use case on SQLite: the
// check-in, the key result, the forecast, the roll-up through three levels of
// objectives, the audit event and the outbox, in one transaction.
func BenchmarkCheckIn(b *testing.B) {
	ctx := context.Background()
	w := newWorld(b)
	a := w.a
	parent := ""
	var krID string
	for level := 0; level < 3; level++ {
		in := app.ObjectiveInput{PeriodID: w.period.ID, Title: fmt.Sprintf("Level %c objective", 'A'+level), Owner: app.OwnerInput{Type: okr.OwnerOrg}}
		if parent != "" {
			in.Alignments = []app.AlignmentInput{{ParentType: okr.ParentObjective, ParentID: parent}}
		}
		o, err := a.CreateObjective(ctx, w.owner, in, "")
		if err != nil {
			b.Fatal(err)
		}
		parent = o.ID
		for i := 0; i < 3; i++ {
			k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "Grow", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(1e9)}, "")
			if err != nil {
				b.Fatal(err)
			}
			krID = k.ID
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := float64(i)
		if _, err := a.CheckIn(ctx, w.owner, krID, app.CheckInInput{Value: &v, Confidence: 0.8, Status: okr.OnTrack}, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetObjective measures reading one objective with its health.
func BenchmarkGetObjective(b *testing.B) {
	ctx := context.Background()
	w := newWorld(b)
	o, err := w.a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Read often", Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if _, err := w.a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "Grow", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)}, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.a.GetObjective(ctx, w.owner, o.ID); err != nil {
			b.Fatal(err)
		}
	}
}
