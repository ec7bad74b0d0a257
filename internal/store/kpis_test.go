package store_test

import (
	"context"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/store"
)

// TestKPIRoundTrip: KPIs read back as written, with a unique name and a
// version check; records are one per date (a second put replaces the value
// and keeps the id); the latest record is the latest date; objective links
// replace and cascade; nothing crosses organizations.
func TestKPIRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w := newOKRWorld(t, s, "kpis")
		other := newOKRWorld(t, s, "kpis-other")
		o := w.org.ID
		churn := okr.KPI{ID: app.NewID(), OrgID: o, Name: "Churn", Description: "Monthly logo churn", Unit: okr.UnitPercent,
			Direction: okr.LowerIsBetter, OwnerID: w.ann.ID, Green: 2, Red: 4.5, Frequency: okr.Monthly}
		nps := okr.KPI{ID: app.NewID(), OrgID: o, Name: "NPS", Unit: okr.UnitCustom, UnitLabel: "points", Direction: okr.HigherIsBetter,
			Green: 40, Red: 20, Frequency: okr.Quarterly}
		obj := okr.Objective{ID: app.NewID(), OrgID: o, PeriodID: w.q1.ID, Title: "Keep customers", Owner: okr.Owner{Type: okr.OwnerOrg},
			Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1, Tags: []string{}}
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			noErr(t, tx.CreateKPI(ctx, &churn))
			noErr(t, tx.CreateKPI(ctx, &nps))
			return tx.CreateObjective(ctx, &obj)
		})
		dup := okr.KPI{ID: app.NewID(), OrgID: o, Name: "Churn", Unit: okr.UnitNumber, Direction: okr.HigherIsBetter, Frequency: okr.Daily}
		wantKind(t, "a taken name", attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateKPI(ctx, &dup) }), errs.Conflict)
		// The same name in another organization is fine.
		theirs := okr.KPI{ID: app.NewID(), OrgID: other.org.ID, Name: "Churn", Unit: okr.UnitNumber, Direction: okr.HigherIsBetter,
			Green: 2, Red: 1, Frequency: okr.Daily}
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateKPI(ctx, &theirs) })

		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetKPI(ctx, o, churn.ID)
			noErr(t, err)
			same(t, "churn", churn, got)
			_, err = tx.GetKPI(ctx, other.org.ID, churn.ID)
			wantKind(t, "another organization's KPI", err, errs.NotFound)
			all, err := tx.ListKPIs(ctx, o, okr.KPIFilter{})
			noErr(t, err)
			if len(all) != 2 {
				t.Errorf("ListKPIs: %d, want 2", len(all))
			}
			q, err := tx.ListKPIs(ctx, o, okr.KPIFilter{Query: "LOGO"})
			noErr(t, err)
			if len(q) != 1 || q[0].ID != churn.ID {
				t.Errorf("ListKPIs q=LOGO: %+v", q)
			}
			mine, err := tx.ListKPIs(ctx, o, okr.KPIFilter{OwnerID: w.ann.ID})
			noErr(t, err)
			if len(mine) != 1 || mine[0].ID != churn.ID {
				t.Errorf("ListKPIs owner: %+v", mine)
			}
			return nil
		})

		changed := churn
		changed.Green, changed.Name = 1.5, "Logo churn"
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateKPI(ctx, &changed, 1) })
		if changed.Version != 2 {
			t.Errorf("version after update: %d", changed.Version)
		}
		wantKind(t, "a stale update", attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateKPI(ctx, &changed, 1) }), errs.PreconditionFailed)

		// Records: one per date.
		put := func(d okr.Date, v float64) (okr.KPIRecord, bool) {
			r := okr.KPIRecord{ID: app.NewID(), OrgID: o, KPIID: churn.ID, Date: d, Value: v, AuthorID: w.ann.ID, Source: okr.SourceAPI}
			var replaced bool
			write(t, s, func(ctx context.Context, tx app.Tx) error {
				var err error
				replaced, err = tx.PutKPIRecord(ctx, &r)
				return err
			})
			return r, replaced
		}
		first, replaced := put("2027-01-31", 4.1)
		if replaced {
			t.Error("a new date replaced something")
		}
		put("2027-02-28", 3.6)
		put("2027-01-01", 5)
		again, replaced := put("2027-01-31", 3.9)
		if !replaced || again.ID != first.ID || !again.Created.Equal(first.Created) || again.Updated.Equal(first.Updated) {
			t.Errorf("replacing a date: replaced %v, %+v vs %+v", replaced, again, first)
		}
		npsRec := okr.KPIRecord{ID: app.NewID(), OrgID: o, KPIID: nps.ID, Date: "2027-01-15", Value: 31, Note: "survey", AuthorID: w.bob.ID, Source: okr.SourceImport}
		write(t, s, func(ctx context.Context, tx app.Tx) error { _, err := tx.PutKPIRecord(ctx, &npsRec); return err })
		bad := okr.KPIRecord{ID: app.NewID(), OrgID: other.org.ID, KPIID: churn.ID, Date: "2027-01-15", Value: 1, AuthorID: w.bob.ID, Source: okr.SourceAPI}
		wantKind(t, "a record of another organization's KPI", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.PutKPIRecord(ctx, &bad)
			return err
		}), errs.Invalid)

		read(t, s, func(ctx context.Context, tx app.Tx) error {
			recs, err := tx.ListKPIRecords(ctx, o, okr.KPIRecordFilter{KPIIDs: []string{churn.ID}})
			noErr(t, err)
			var dates []okr.Date
			for _, r := range recs {
				dates = append(dates, r.Date)
			}
			same(t, "dates oldest first", []okr.Date{"2027-01-01", "2027-01-31", "2027-02-28"}, dates)
			if recs[1].Value != 3.9 {
				t.Errorf("the replaced value: %g", recs[1].Value)
			}
			page, err := tx.ListKPIRecords(ctx, o, okr.KPIRecordFilter{KPIIDs: []string{churn.ID}, Newest: true, Before: "2027-02-28", Limit: 1})
			noErr(t, err)
			if len(page) != 1 || page[0].Date != "2027-01-31" {
				t.Errorf("newest before 02-28, limit 1: %+v", page)
			}
			span, err := tx.ListKPIRecords(ctx, o, okr.KPIRecordFilter{From: "2027-01-15", To: "2027-01-31"})
			noErr(t, err)
			if len(span) != 2 {
				t.Errorf("records from 01-15 to 01-31 of every KPI: %d, want 2", len(span))
			}
			latest, err := tx.LatestKPIRecords(ctx, o, []string{churn.ID, nps.ID, "none"})
			noErr(t, err)
			if len(latest) != 2 || latest[churn.ID].Value != 3.6 || latest[nps.ID].Note != "survey" || latest[nps.ID].Source != okr.SourceImport {
				t.Errorf("latest: %+v", latest)
			}
			theirLatest, err := tx.LatestKPIRecords(ctx, other.org.ID, []string{churn.ID})
			noErr(t, err)
			if len(theirLatest) != 0 {
				t.Errorf("another organization sees records: %+v", theirLatest)
			}
			return nil
		})

		// Objective links.
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.SetObjectiveKPIs(ctx, o, obj.ID, []string{nps.ID, churn.ID, nps.ID})
		})
		wantKind(t, "linking an unknown KPI", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.SetObjectiveKPIs(ctx, o, obj.ID, []string{theirs.ID})
		}), errs.Invalid)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			links, err := tx.ObjectiveKPIs(ctx, o, []string{obj.ID})
			noErr(t, err)
			same(t, "objective's KPIs", sorted([]string{nps.ID, churn.ID}), links[obj.ID])
			back, err := tx.KPIObjectives(ctx, o, []string{churn.ID, nps.ID})
			noErr(t, err)
			same(t, "KPI's objectives", map[string][]string{churn.ID: {obj.ID}, nps.ID: {obj.ID}}, back)
			theirLinks, err := tx.ObjectiveKPIs(ctx, other.org.ID, []string{obj.ID})
			noErr(t, err)
			if len(theirLinks) != 0 {
				t.Errorf("another organization sees links: %v", theirLinks)
			}
			return nil
		})

		// Deleting a KPI takes its records and links; deleting an objective its links.
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteKPI(ctx, o, nps.ID) })
		wantKind(t, "deleting another organization's KPI", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.DeleteKPI(ctx, other.org.ID, churn.ID)
		}), errs.NotFound)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			recs, err := tx.ListKPIRecords(ctx, o, okr.KPIRecordFilter{KPIIDs: []string{nps.ID}})
			noErr(t, err)
			links, err := tx.ObjectiveKPIs(ctx, o, []string{obj.ID})
			noErr(t, err)
			if len(recs) != 0 || len(links[obj.ID]) != 1 {
				t.Errorf("after deleting NPS: %d records, links %v", len(recs), links)
			}
			return nil
		})
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteObjective(ctx, o, obj.ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			back, err := tx.KPIObjectives(ctx, o, []string{churn.ID})
			noErr(t, err)
			if len(back) != 0 {
				t.Errorf("links of a deleted objective: %v", back)
			}
			return nil
		})
	})
}
