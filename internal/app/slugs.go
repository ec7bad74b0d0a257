package app

import (
	"context"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

// settleSlug gives an object its slug, unique in its scope (see okr.Slugs):
// the one asked for, checked, or for a new object without one, one derived
// from its title. id is the object's own id (a slug it already holds is
// not taken); field names the input for error messages.
func settleSlug(ctx context.Context, tx Tx, orgID string, kind okr.SlugKind, scope, id, asked, title, field string, f *errs.Fields) (string, error) {
	taken, err := tx.Slugs(ctx, orgID, kind, scope)
	if err != nil {
		return "", err
	}
	if asked == "" {
		return okr.UniqueSlug(okr.Slugify(title), func(s string) bool { owner, ok := taken[s]; return ok && owner != id }), nil
	}
	if !okr.ValidSlug(asked) {
		f.Add(field, "%q is not a slug: use 1 to %d lowercase letters, digits and single hyphens, e.g. %q", asked, okr.SlugMaxLen, okr.Slugify(asked))
		return asked, nil
	}
	if owner, ok := taken[asked]; ok && owner != id {
		f.Add(field, "slug %q is taken by another %s in the same %s; choose another", asked, slugNoun[kind], slugScopeNoun[kind])
	}
	return asked, nil
}

var slugNoun = map[okr.SlugKind]string{okr.SlugObjective: "objective", okr.SlugKeyResult: "key result", okr.SlugInitiative: "initiative"}

var slugScopeNoun = map[okr.SlugKind]string{okr.SlugObjective: "period", okr.SlugKeyResult: "objective", okr.SlugInitiative: "organization"}
