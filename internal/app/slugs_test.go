package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// TestSlugs: objects get stable slugs from their titles, unique in their
// scope; a slug asked for is checked; a title change keeps the slug.
func TestSlugs(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newWorldOn(t, st)
		a := w.a
		obj := func(title, slug string) (okr.Objective, error) {
			return a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: title, Slug: slug,
				Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
		}
		o1, err := obj("Customers love our Support!", "")
		if err != nil {
			t.Fatal(err)
		}
		o2, err := obj("Customers love our support", "")
		if err != nil {
			t.Fatal(err)
		}
		if o1.Slug != "customers-love-our-support" || o2.Slug != "customers-love-our-support-2" {
			t.Fatalf("slugs %q, %q", o1.Slug, o2.Slug)
		}
		_, err = obj("Another", "customers-love-our-support")
		if !errs.Is(err, errs.Invalid) || !slugFieldError(err) {
			t.Fatalf("taken slug: %v", err)
		}
		_, err = obj("Another", "Not A Slug")
		if !errs.Is(err, errs.Invalid) || !slugFieldError(err) {
			t.Fatalf("bad slug: %v", err)
		}

		// A title change keeps the slug; a slug change is checked.
		title := "Customers adore our support"
		o1, err = a.UpdateObjective(ctx, w.owner, o1.ID, &o1.Version, app.ObjectiveUpdate{Title: &title})
		if err != nil || o1.Slug != "customers-love-our-support" {
			t.Fatalf("after a title change: %q, %v", o1.Slug, err)
		}
		taken := o2.Slug
		if _, err = a.UpdateObjective(ctx, w.owner, o1.ID, &o1.Version, app.ObjectiveUpdate{Slug: &taken}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("renaming to a taken slug: %v", err)
		}
		fresh := "support-love"
		if o1, err = a.UpdateObjective(ctx, w.owner, o1.ID, &o1.Version, app.ObjectiveUpdate{Slug: &fresh}); err != nil || o1.Slug != fresh {
			t.Fatalf("renaming: %q, %v", o1.Slug, err)
		}

		// Key results are unique within their objective; initiatives within the organization.
		kr := func(o okr.Objective) okr.KeyResult {
			t.Helper()
			k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "First response < 1h",
				Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)}, "")
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
		k1, k2, k3 := kr(o1), kr(o1), kr(o2)
		if k1.Slug != "first-response-1h" || k2.Slug != "first-response-1h-2" || k3.Slug != "first-response-1h" {
			t.Fatalf("key result slugs %q %q %q", k1.Slug, k2.Slug, k3.Slug)
		}
		i1, err := a.CreateInitiative(ctx, w.owner, app.InitiativeInput{Title: "Hire two agents", KeyResultIDs: []string{k1.ID}}, "")
		if err != nil {
			t.Fatal(err)
		}
		i2, err := a.CreateInitiative(ctx, w.owner, app.InitiativeInput{Title: "Hire two agents", KeyResultIDs: []string{k3.ID}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if i1.Slug != "hire-two-agents" || i2.Slug != "hire-two-agents-2" {
			t.Fatalf("initiative slugs %q %q", i1.Slug, i2.Slug)
		}
		got, err := a.GetKeyResult(ctx, w.owner, k2.ID)
		if err != nil || got.Slug != k2.Slug {
			t.Fatalf("read back %q, %v", got.Slug, err)
		}
	})
}

func slugFieldError(err error) bool {
	var e *errs.Error
	return errors.As(err, &e) && len(e.Fields) == 1 && e.Fields[0].Field == "slug"
}
