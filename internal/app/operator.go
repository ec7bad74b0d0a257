package app

import (
	"context"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

// MintToken issues an API token for a member, on behalf of an operator who
// runs okra's command line against the database itself (no actor: access to
// the database is the authority). It is audited like any token.
func (a *App) MintToken(ctx context.Context, orgSlug, email, name string, scopes []org.Scope) (NewToken, error) {
	var out NewToken
	secret, hash := newSecret(tokenPrefix)
	err := a.db.Write(ctx, func(tx Tx) error {
		o, err := tx.GetOrganizationBySlug(ctx, orgSlug)
		if err != nil {
			return errs.Wrap(errs.NotFound, err, "no organization with slug %q", orgSlug)
		}
		u, err := tx.GetUserByEmail(ctx, strings.ToLower(email))
		if err != nil {
			return errs.Wrap(errs.NotFound, err, "no user %s", email)
		}
		m, err := tx.GetMember(ctx, o.ID, u.ID)
		if err != nil {
			return errs.Wrap(errs.NotFound, err, "%s is not a member of %s", email, o.Name)
		}
		for _, s := range scopes {
			if !m.Role.MayHold(s) {
				return errs.E(errs.Invalid, "a %s may not hold a %q token", m.Role, s)
			}
		}
		tk := org.Token{ID: NewID(), OrgID: o.ID, UserID: u.ID, Name: name, Hash: hash, Scopes: scopes}
		if err := tx.CreateToken(ctx, &tk); err != nil {
			return err
		}
		out = NewToken{Token: tk, Secret: secret}
		actor := org.Actor{OrgID: o.ID, UserID: u.ID, Role: m.Role, RequestID: "cli"}
		return audit(ctx, tx, actor, "token.create", "token", tk.ID, nil, tk)
	})
	return out, err
}

// CountOrganizations counts the organizations in the database, for the operator.
func (a *App) CountOrganizations(ctx context.Context) (int, error) {
	var n int
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		n, err = tx.CountOrganizations(ctx)
		return err
	})
	return n, err
}
