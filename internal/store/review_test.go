package store_test

import (
	"context"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/store"
)

// TestReviewRoundTrip: scores, carried_from, retrospectives and decisions
// read back as written, on both engines, and stay inside their organization.
func TestReviewRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w := newOKRWorld(t, s, "review")
		other := newOKRWorld(t, s, "other")
		obj := func(periodID, title string) okr.Objective {
			return okr.Objective{ID: app.NewID(), OrgID: w.org.ID, PeriodID: periodID, Title: title, Owner: okr.Owner{Type: okr.OwnerOrg},
				Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1}
		}
		o, next := obj(w.q1.ID, "Grow"), obj(w.year.ID, "Grow more")
		k := okr.KeyResult{ID: app.NewID(), OrgID: w.org.ID, ObjectiveID: o.ID, Title: "Deals", Kind: okr.Increase, Unit: okr.UnitNumber,
			Target: 10, Weight: 1, DueDate: "2027-03-31", Indicator: okr.Lagging, Source: okr.SourceManual}
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			noErr(t, tx.CreateObjective(ctx, &o))
			noErr(t, tx.CreateObjective(ctx, &next))
			return tx.CreateKeyResult(ctx, &k)
		})
		adj := 0.6
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			noErr(t, tx.SetKeyResultScore(ctx, w.org.ID, k.ID, okr.NewKRScore(0.4, &adj, "moved")))
			noErr(t, tx.SetObjectiveScore(ctx, w.org.ID, o.ID, &okr.ObjectiveScore{Final: 0.6}))
			noErr(t, tx.SetCarriedFrom(ctx, w.org.ID, next.ID, o.ID))
			// Another organization's ids are not found.
			wantKind(t, "score of another organization's key result", tx.SetKeyResultScore(ctx, other.org.ID, k.ID, nil), errs.NotFound)
			wantKind(t, "score of another organization's objective", tx.SetObjectiveScore(ctx, other.org.ID, o.ID, nil), errs.NotFound)
			wantKind(t, "carried_from in another organization", tx.SetCarriedFrom(ctx, other.org.ID, next.ID, o.ID), errs.NotFound)
			return nil
		})
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			gk, err := tx.GetKeyResult(ctx, w.org.ID, k.ID)
			noErr(t, err)
			same(t, "key result score", okr.NewKRScore(0.4, &adj, "moved"), gk.Score)
			same(t, "key result version after scoring", k.Version+1, gk.Version)
			gos, err := tx.ListObjectives(ctx, w.org.ID, okr.ObjectiveFilter{})
			noErr(t, err)
			for _, g := range gos {
				switch g.ID {
				case o.ID:
					same(t, "objective score", &okr.ObjectiveScore{Final: 0.6}, g.Score)
					same(t, "objective carried_from", "", g.CarriedFrom)
				case next.ID:
					same(t, "carried objective score", (*okr.ObjectiveScore)(nil), g.Score)
					same(t, "carried_from", o.ID, g.CarriedFrom)
				}
			}
			to, err := tx.CarriedTo(ctx, w.org.ID, o.ID)
			noErr(t, err)
			same(t, "carried to", []string{next.ID}, to)
			to, err = tx.CarriedTo(ctx, other.org.ID, o.ID)
			noErr(t, err)
			same(t, "carried to, read by another organization", 0, len(to))
			return nil
		})
		// Clearing a score.
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.SetKeyResultScore(ctx, w.org.ID, k.ID, nil)
		})
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			gk, err := tx.GetKeyResult(ctx, w.org.ID, k.ID)
			same(t, "cleared score", (*okr.KRScore)(nil), gk.Score)
			return err
		})

		// Retrospectives: insert, replace under a version, list by period.
		r := okr.Retrospective{ObjectiveID: o.ID, OrgID: w.org.ID, WentWell: "well", WentBadly: "badly", AuthorID: w.ann.ID,
			Lessons: []okr.RetroLesson{{ID: "l1", Title: "Start early"}}}
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.PutRetrospective(ctx, &r, 0) })
		same(t, "retrospective version", 1, r.Version)
		err := attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			x := r
			return tx.PutRetrospective(ctx, &x, 5)
		})
		wantKind(t, "a stale retrospective version", err, errs.PreconditionFailed)
		r.WentBadly = "worse"
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.PutRetrospective(ctx, &r, 1) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetRetrospective(ctx, w.org.ID, o.ID)
			noErr(t, err)
			same(t, "retrospective", r, got)
			list, err := tx.ListRetrospectives(ctx, w.org.ID, w.q1.ID)
			noErr(t, err)
			same(t, "retrospectives of the quarter", []okr.Retrospective{r}, list)
			_, err = tx.GetRetrospective(ctx, other.org.ID, o.ID)
			wantKind(t, "another organization's retrospective", err, errs.NotFound)
			list, err = tx.ListRetrospectives(ctx, other.org.ID, w.q1.ID)
			noErr(t, err)
			same(t, "retrospectives read by another organization", 0, len(list))
			return nil
		})

		// Decisions: one per objective.
		d := okr.ObjectiveDecision{ObjectiveID: o.ID, OrgID: w.org.ID, Decision: okr.Keep, NextID: next.ID, AuthorID: w.ann.ID}
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.InsertDecision(ctx, &d) })
		err = attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			x := d
			x.Decision = okr.Drop
			return tx.InsertDecision(ctx, &x)
		})
		wantKind(t, "a second decision", err, errs.Conflict)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetDecision(ctx, w.org.ID, o.ID)
			noErr(t, err)
			same(t, "decision", d, got)
			list, err := tx.ListDecisions(ctx, w.org.ID, w.q1.ID)
			noErr(t, err)
			same(t, "decisions of the quarter", []okr.ObjectiveDecision{d}, list)
			_, err = tx.GetDecision(ctx, other.org.ID, o.ID)
			wantKind(t, "another organization's decision", err, errs.NotFound)
			return nil
		})
	})
}
