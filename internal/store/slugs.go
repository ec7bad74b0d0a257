package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/okrahq/okra/internal/okr"
)

// slugTables says, per kind, the table and the column that scopes a slug.
var slugTables = map[okr.SlugKind]struct{ table, scope string }{
	okr.SlugObjective:  {"objectives", "period_id"},
	okr.SlugKeyResult:  {"key_results", "objective_id"},
	okr.SlugInitiative: {"initiatives", "org_id"},
}

// Slugs returns the slugs in use in a scope, each with its object's id.
func (t *Tx) Slugs(ctx context.Context, orgID string, kind okr.SlugKind, scope string) (map[string]string, error) {
	st, ok := slugTables[kind]
	if !ok {
		return nil, fmt.Errorf("slugs: unknown kind %q", kind)
	}
	if kind == okr.SlugInitiative {
		scope = orgID
	}
	out := map[string]string{}
	err := t.each(ctx, "slugs of "+st.table, `SELECT slug, id FROM `+st.table+` WHERE org_id = ? AND `+st.scope+` = ? AND slug <> ''`,
		[]any{orgID, scope}, func(r *sql.Rows) error {
			var slug, id string
			err := r.Scan(&slug, &id)
			out[slug] = id
			return err
		})
	return out, err
}

// backfillSlugs gives rows created before slugs existed a slug from their
// title, unique in its scope, oldest first. It reads only when all have one.
func (s *Store) backfillSlugs(ctx context.Context) error {
	for _, kind := range []okr.SlugKind{okr.SlugObjective, okr.SlugKeyResult, okr.SlugInitiative} {
		st := slugTables[kind]
		err := s.run(ctx, s.writer, false, func(tx *Tx) error {
			type row struct{ id, org, scope, title string }
			var rows []row
			err := tx.each(ctx, "rows without a slug", `SELECT id, org_id, `+st.scope+`, title FROM `+st.table+` WHERE slug = '' ORDER BY id`, nil,
				func(r *sql.Rows) error {
					var x row
					err := r.Scan(&x.id, &x.org, &x.scope, &x.title)
					rows = append(rows, x)
					return err
				})
			if err != nil {
				return err
			}
			taken := map[[2]string]map[string]string{}
			for _, x := range rows {
				key := [2]string{x.org, x.scope}
				if taken[key] == nil {
					if taken[key], err = tx.Slugs(ctx, x.org, kind, x.scope); err != nil {
						return err
					}
				}
				slug := okr.UniqueSlug(okr.Slugify(x.title), func(s string) bool { _, ok := taken[key][s]; return ok })
				taken[key][slug] = x.id
				if _, err := tx.exec(ctx, "backfill slug", `UPDATE `+st.table+` SET slug = ? WHERE id = ?`, slug, x.id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("backfill %s slugs: %w", kind, err)
		}
	}
	return nil
}
