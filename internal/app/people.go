package app

import (
	"context"
	"slices"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

// Me is the actor's own view: who, where, with what role.
type Me struct {
	User org.User         `json:"user"`
	Org  org.Organization `json:"org"`
	Role org.Role         `json:"role"`
}

// Me returns the actor's user, organization and role.
func (a *App) Me(ctx context.Context, actor org.Actor) (Me, error) {
	var me Me
	err := a.db.Read(ctx, func(tx Tx) error {
		m, err := tx.GetMember(ctx, actor.OrgID, actor.UserID)
		if err != nil {
			return err
		}
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		me = Me{User: m.User, Org: o, Role: m.Role}
		return nil
	})
	return me, err
}

// UserInput adds a person to the organization.
type UserInput struct {
	Email string   `json:"email" doc:"The person's e-mail address; it identifies them across organizations."`
	Name  string   `json:"name" doc:"The person's display name."`
	Role  org.Role `json:"role" enum:"admin,member,viewer" doc:"Their role in this organization."`
}

// CreateUser adds a member to the organization (admin only). A person who
// already has an account in another organization joins with it; the answer
// is the same either way.
func (a *App) CreateUser(ctx context.Context, actor org.Actor, in UserInput, idemKey string) (org.Member, error) {
	var m org.Member
	if err := requireAdmin(actor); err != nil {
		return m, err
	}
	var f errs.Fields
	email, err := normalizeEmail(in.Email)
	if err != nil {
		f.Add("email", "%s", err.Error())
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		f.Add("name", "is required")
	}
	in.Role = newMemberRole(&f, in.Role)
	if err := f.Err(); err != nil {
		return m, err
	}
	in.Email = email
	err = a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "user.create", in, func() (string, error) {
			u, err := tx.GetUserByEmail(ctx, email)
			if errs.Is(err, errs.NotFound) {
				u = org.User{ID: NewID(), Email: email, Name: in.Name}
				err = tx.CreateUser(ctx, &u)
			}
			if err != nil {
				return "", err
			}
			// The organization knows the member by the name it gave: an account
			// that exists elsewhere shows nothing of itself here.
			if err := tx.AddMembership(ctx, org.Membership{OrgID: actor.OrgID, UserID: u.ID, Name: in.Name, Role: in.Role, Active: true}); err != nil {
				if errs.Is(err, errs.Conflict) {
					return "", &errs.Error{Kind: errs.Conflict, Message: "this person is already a member",
						Fields: []errs.FieldError{{Field: "email", Message: email + " is already a member of this organization"}}}
				}
				return "", err
			}
			return u.ID, record(ctx, tx, actor, "user.create", "user", u.ID, nil, map[string]any{"email": email, "role": in.Role})
		})
		if err != nil {
			return err
		}
		m, err = tx.GetMember(ctx, actor.OrgID, id)
		return err
	})
	return m, err
}

// newMemberRole checks the role an admin gives a new member (member when
// empty): admin, member or viewer; owners are made, by an owner, from
// members (UpdateUser).
func newMemberRole(f *errs.Fields, r org.Role) org.Role {
	if r == "" {
		r = org.RoleMember
	}
	if !r.Valid() || r == org.RoleOwner {
		f.Add("role", "must be admin, member or viewer")
	}
	return r
}

// ListUsers lists the organization's members.
func (a *App) ListUsers(ctx context.Context, actor org.Actor, p PageRequest) (Page[org.Member], error) {
	return readPage(ctx, a, actor, p, func(m org.Member) string { return m.ID },
		func(tx Tx, after string, limit int) ([]org.Member, error) {
			return tx.ListMembers(ctx, actor.OrgID, after, limit)
		}, nil)
}

// GetUser returns a member of the organization.
func (a *App) GetUser(ctx context.Context, actor org.Actor, id string) (org.Member, error) {
	var m org.Member
	if err := requireRead(actor); err != nil {
		return m, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		m, err = tx.GetMember(ctx, actor.OrgID, id)
		return err
	})
	return m, err
}

// MemberUpdate changes a member's role or deactivates them.
type MemberUpdate struct {
	Role   *org.Role `json:"role,omitempty" enum:"owner,admin,member,viewer"`
	Active *bool     `json:"active,omitempty"`
}

// UpdateUser changes a member's role or active flag (admin only, with the
// member's version in ifMatch). Only an owner may touch an owner or make one,
// and the last active owner stays.
func (a *App) UpdateUser(ctx context.Context, actor org.Actor, id string, ifMatch *int, in MemberUpdate) (org.Member, error) {
	var m org.Member
	if err := requireAdmin(actor); err != nil {
		return m, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetMember(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "member"); err != nil {
			return err
		}
		role, active := before.Role, before.Active
		if in.Role != nil {
			if !in.Role.Valid() {
				var f errs.Fields
				f.Add("role", "must be owner, admin, member or viewer")
				return f.Err()
			}
			role = *in.Role
		}
		if in.Active != nil {
			active = *in.Active
		}
		if (role == org.RoleOwner || before.Role == org.RoleOwner) && actor.Role != org.RoleOwner {
			return errs.E(errs.Forbidden, "only an owner may make, unmake or deactivate owners")
		}
		if before.Role == org.RoleOwner && before.Active && (role != org.RoleOwner || !active) {
			owners, err := tx.CountActiveOwners(ctx, actor.OrgID)
			if err != nil {
				return err
			}
			if owners <= 1 {
				return errs.E(errs.Conflict, "the organization needs at least one active owner; make someone else owner first")
			}
		}
		if err := tx.UpdateMembership(ctx, actor.OrgID, id, role, active, before.Version); err != nil {
			return err
		}
		if m, err = tx.GetMember(ctx, actor.OrgID, id); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "user.update", "user", id, map[string]any{"role": before.Role, "active": before.Active},
			map[string]any{"role": role, "active": active}); err != nil {
			return err
		}
		if active != before.Active {
			_, err = refreshLearning(ctx, tx, actor) // learning key results count active members only
		}
		return err
	})
	return m, err
}

// TokenInput asks for a new API token.
type TokenInput struct {
	UserID string      `json:"user_id,omitempty" doc:"Mint the token for this member (admins only); yourself when empty."`
	Name   string      `json:"name" doc:"What the token is for, e.g. 'CI check-ins'."`
	Scopes []org.Scope `json:"scopes" doc:"read, write and/or admin."`
}

// NewToken is a token as created: the secret is shown this once.
type NewToken struct {
	org.Token
	Secret string `json:"token"`
}

// CreateToken mints an API token for the actor, or, for an admin, for
// another member; a token never has more scopes than its user's role allows.
// A retry with the same Idempotency-Key is a Conflict: the secret cannot be
// shown twice, and no second token is made.
func (a *App) CreateToken(ctx context.Context, actor org.Actor, in TokenInput, idemKey string) (NewToken, error) {
	var out NewToken
	if err := requireRead(actor); err != nil {
		return out, err
	}
	if in.UserID == "" {
		in.UserID = actor.UserID
	}
	if in.UserID != actor.UserID {
		if err := requireAdmin(actor); err != nil {
			return out, err
		}
	}
	var f errs.Fields
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		f.Add("name", "say what the token is for")
	}
	if len(in.Scopes) == 0 {
		f.Add("scopes", "give at least one of read, write, admin")
	}
	for _, s := range in.Scopes {
		if s != org.ScopeRead && s != org.ScopeWrite && s != org.ScopeAdmin {
			f.Add("scopes", "%q is not a scope; use read, write or admin", s)
		}
	}
	// A token never grants more than the actor's own token does.
	for _, s := range in.Scopes {
		if !org.HasScope(actor.Scopes, s) {
			f.Add("scopes", "your own token lacks %q, so it cannot grant it", s)
		}
	}
	if err := f.Err(); err != nil {
		return out, err
	}
	secret, hash := newSecret(tokenPrefix)
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		m, err := tx.GetMember(ctx, actor.OrgID, in.UserID)
		if err != nil {
			return err
		}
		for _, s := range in.Scopes {
			if !m.Role.MayHold(s) {
				var f errs.Fields
				f.Add("scopes", "a %s may not hold a %q token", m.Role, s)
				return f.Err()
			}
		}
		minted := false
		id, err := idempotent(ctx, tx, actor, idemKey, "token.create", in, func() (string, error) {
			tk := org.Token{ID: NewID(), OrgID: actor.OrgID, UserID: in.UserID, Name: in.Name, Hash: hash, Scopes: slices.Compact(in.Scopes)}
			if err := tx.CreateToken(ctx, &tk); err != nil {
				return "", err
			}
			out, minted = NewToken{Token: tk, Secret: secret}, true
			return tk.ID, audit(ctx, tx, actor, "token.create", "token", tk.ID, nil, tk)
		})
		if err == nil && !minted {
			return errs.E(errs.Conflict, "token %s was already minted with this Idempotency-Key; its secret is shown only once, so revoke it and mint another if it was lost", id)
		}
		return err
	})
	return out, err
}

// ListTokens lists the actor's tokens, or every token of the organization
// for an admin, by id.
func (a *App) ListTokens(ctx context.Context, actor org.Actor, p PageRequest) (Page[org.Token], error) {
	userID := actor.UserID
	if actor.IsAdmin() {
		userID = ""
	}
	return inMemoryPage(ctx, a, actor, p, func(t org.Token) string { return t.ID }, func(tx Tx) ([]org.Token, error) {
		return tx.ListTokens(ctx, actor.OrgID, userID)
	})
}

// RevokeToken revokes one of the actor's tokens, or any token for an admin.
func (a *App) RevokeToken(ctx context.Context, actor org.Actor, id string) error {
	if err := requireRead(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		tk, err := tx.GetToken(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if tk.UserID != actor.UserID && !actor.IsAdmin() {
			return errs.NotFoundf("token %s: not found", id)
		}
		if tk.RevokedAt != nil {
			return nil
		}
		if err := tx.RevokeToken(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "token.revoke", "token", id, tk, nil)
	})
}
