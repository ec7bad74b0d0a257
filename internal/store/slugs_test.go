package store_test

import (
	"context"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/store"
)

// TestSlugBackfill: rows stored without a slug (as before slugs existed) get
// one from their title, unique in their scope, the next time the store
// migrates; Slugs lists them.
func TestSlugBackfill(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		o := newOrg("slugs")
		p := okr.Period{ID: app.NewID(), OrgID: o.ID, Name: "2027-Q1", Kind: okr.PeriodQuarterly, StartDate: "2027-01-01", EndDate: "2027-03-31", State: okr.PeriodActive}
		objs := []okr.Objective{
			{ID: app.NewID(), OrgID: o.ID, PeriodID: p.ID, Title: "Grow revenue", Owner: okr.Owner{Type: okr.OwnerOrg}, Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1},
			{ID: app.NewID(), OrgID: o.ID, PeriodID: p.ID, Title: "Grow Revenue!", Owner: okr.Owner{Type: okr.OwnerOrg}, Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1},
			{ID: app.NewID(), OrgID: o.ID, PeriodID: p.ID, Title: "Kept", Slug: "grow-revenue-2", Owner: okr.Owner{Type: okr.OwnerOrg}, Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1},
		}
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.CreateOrganization(ctx, &o); err != nil {
				return err
			}
			if err := tx.CreatePeriod(ctx, &p); err != nil {
				return err
			}
			for i := range objs {
				if err := tx.CreateObjective(ctx, &objs[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.Slugs(ctx, o.ID, okr.SlugObjective, p.ID)
			if err != nil {
				return err
			}
			want := map[string]string{"grow-revenue": objs[0].ID, "grow-revenue-3": objs[1].ID, "grow-revenue-2": objs[2].ID}
			same(t, "slugs after the backfill", want, got)
			return nil
		})
	})
}
