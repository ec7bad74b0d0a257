package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

// invitationLifetime is how long an invitation link may be used.
const invitationLifetime = 7 * 24 * time.Hour

// InvitationInput invites a person to the organization.
type InvitationInput struct {
	Email string
	// Name is what the organization will call the person; optional.
	Name string
	// Role is admin, member or viewer; member when empty.
	Role org.Role
}

// NewInvitation is an invitation as created: the secret, which goes into
// the link, is shown this once.
type NewInvitation struct {
	Invitation org.Invitation
	Secret     string
}

// Invite invites a person by e-mail to join the organization with a role
// (admin only); the link expires after seven days. A person who is already
// an active member is a Conflict; inviting an e-mail again revokes its
// earlier pending invitations.
func (a *App) Invite(ctx context.Context, actor org.Actor, in InvitationInput) (NewInvitation, error) {
	var out NewInvitation
	if err := requireAdmin(actor); err != nil {
		return out, err
	}
	var f errs.Fields
	email, err := normalizeEmail(in.Email)
	if err != nil {
		f.Add("email", "%s", err.Error())
	}
	in.Name = strings.TrimSpace(in.Name)
	in.Role = newMemberRole(&f, in.Role)
	if err := f.Err(); err != nil {
		return out, err
	}
	secret, hash := newSecret(invitationPrefix)
	err = a.write(ctx, actor.OrgID, func(tx Tx) error {
		u, err := tx.GetUserByEmail(ctx, email)
		if err == nil {
			m, err := tx.GetMember(ctx, actor.OrgID, u.ID)
			if err == nil && m.Active {
				return &errs.Error{Kind: errs.Conflict, Message: "this person is already a member",
					Fields: []errs.FieldError{{Field: "email", Message: email + " is already a member of this organization"}}}
			}
			if err != nil && !errs.Is(err, errs.NotFound) {
				return err
			}
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
		if _, err := tx.RevokePendingInvitations(ctx, actor.OrgID, email); err != nil {
			return err
		}
		inv := org.Invitation{ID: NewID(), OrgID: actor.OrgID, Email: email, Name: in.Name, Role: in.Role,
			InvitedBy: actor.UserID, Expires: tx.Now().Add(invitationLifetime)}
		if err := tx.CreateInvitation(ctx, &inv, hash); err != nil {
			return err
		}
		out = NewInvitation{Invitation: inv, Secret: secret}
		return record(ctx, tx, actor, "invitation.create", "invitation", inv.ID, nil, inv)
	})
	return out, err
}

// ListInvitations lists the organization's invitations (admin only): the
// pending ones first, then the accepted, revoked and expired ones, each
// newest first.
func (a *App) ListInvitations(ctx context.Context, actor org.Actor) ([]org.Invitation, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	var out []org.Invitation
	err := a.db.Read(ctx, func(tx Tx) error {
		all, err := tx.ListInvitations(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		now := tx.Now()
		slices.SortStableFunc(all, func(x, y org.Invitation) int {
			switch px, py := x.Pending(now), y.Pending(now); {
			case px && !py:
				return -1
			case py && !px:
				return 1
			}
			return 0
		})
		out = all
		return nil
	})
	return out, err
}

// RevokeInvitation revokes an invitation of the organization (admin only):
// its link stops working. Revoking one twice is no error; one already
// accepted is a Conflict.
func (a *App) RevokeInvitation(ctx context.Context, actor org.Actor, id string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetInvitation(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		switch {
		case before.RevokedAt != nil:
			return nil
		case before.AcceptedAt != nil:
			return errs.E(errs.Conflict, "this invitation was accepted already; deactivate the member instead")
		}
		if err := tx.RevokeInvitation(ctx, actor.OrgID, id); err != nil {
			return err
		}
		after, err := tx.GetInvitation(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		return record(ctx, tx, actor, "invitation.revoke", "invitation", id, before, after)
	})
}

// InvitationPreview is what an invitation link shows before it is accepted.
type InvitationPreview struct {
	OrgName string
	Email   string
	Name    string
	Role    org.Role
	// ExistingUser: the e-mail has an okra account already, so accepting asks
	// for its password and not for a name and a new password.
	ExistingUser bool
}

func errInvitationGone() error {
	return errs.NotFoundf("this invitation link is unknown, used or expired")
}

// pendingInvitation returns the invitation of a link's secret if it may
// still be accepted; else errs.NotFound.
func pendingInvitation(ctx context.Context, tx Tx, secret string) (org.Invitation, error) {
	if !strings.HasPrefix(secret, invitationPrefix) {
		return org.Invitation{}, errInvitationGone()
	}
	inv, err := tx.InvitationByHash(ctx, hashToken(secret))
	if errs.Is(err, errs.NotFound) || (err == nil && !inv.Pending(tx.Now())) {
		return inv, errInvitationGone()
	}
	return inv, err
}

// InvitationBySecret shows what an invitation link offers; a link that is
// unknown, accepted, revoked or expired is errs.NotFound.
func (a *App) InvitationBySecret(ctx context.Context, secret string) (InvitationPreview, error) {
	var p InvitationPreview
	err := a.db.Read(ctx, func(tx Tx) error {
		inv, err := pendingInvitation(ctx, tx, secret)
		if err != nil {
			return err
		}
		o, err := tx.GetOrganization(ctx, inv.OrgID)
		if err != nil {
			return err
		}
		_, err = tx.GetUserByEmail(ctx, inv.Email)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		p = InvitationPreview{OrgName: o.Name, Email: inv.Email, Name: inv.Name, Role: inv.Role, ExistingUser: err == nil}
		return nil
	})
	return p, err
}

// AcceptInvitation accepts an invitation link, once, and signs the person in
// to its organization. Without an account for the e-mail it creates one with
// name and password; with one, password must be that account's password
// (and name is ignored). The membership is added, or reactivated, with the
// invitation's role; an active one is left as it is.
func (a *App) AcceptInvitation(ctx context.Context, secret, name, password, requestID string) (SignedIn, error) {
	var (
		out      SignedIn
		inv      org.Invitation
		existing *org.User
	)
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		if inv, err = pendingInvitation(ctx, tx, secret); err != nil {
			return err
		}
		u, err := tx.GetUserByEmail(ctx, inv.Email)
		if err == nil {
			existing = &u
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	var (
		f       errs.Fields
		newHash string
	)
	if existing == nil {
		name = strings.TrimSpace(name)
		if name == "" {
			f.Add("name", "is required")
		}
		if len(password) < 10 {
			f.Add("password", "use at least 10 characters")
		} else if len(password) > maxPassword {
			f.Add("password", "use at most %d characters", maxPassword)
		}
		if err := f.Err(); err != nil {
			return out, err
		}
		newHash = HashPassword(password)
	} else {
		switch {
		case existing.PasswordHash == "":
			// Setting one here would let whoever holds the link into the
			// account's other organizations.
			f.Add("password", "this e-mail has an okra account without a password, so it cannot accept an invitation in the browser; ask an admin to add you instead")
		case len(password) > maxPassword || !CheckPassword(existing.PasswordHash, password):
			f.Add("password", "this e-mail already has an okra password: enter it")
		}
		if err := f.Err(); err != nil {
			return out, err
		}
	}
	err = a.write(ctx, inv.OrgID, func(tx Tx) error {
		// Single use: the first accept to commit wins, the others find nothing.
		if err := tx.AcceptInvitation(ctx, inv.OrgID, inv.ID); err != nil {
			if errs.Is(err, errs.NotFound) {
				return errInvitationGone()
			}
			return err
		}
		u, err := tx.GetUserByEmail(ctx, inv.Email)
		switch {
		case existing == nil && errs.Is(err, errs.NotFound):
			u = org.User{ID: NewID(), Email: inv.Email, Name: name, PasswordHash: newHash}
			err = tx.CreateUser(ctx, &u)
		case err == nil && (existing == nil || u.ID != existing.ID || u.PasswordHash != existing.PasswordHash):
			err = errs.E(errs.Conflict, "the account of %s changed meanwhile; open the invitation link again", inv.Email)
		}
		if err != nil {
			return err
		}
		memberName := ""
		if existing != nil {
			memberName = inv.Name // the organization's name for an account it does not know
		}
		m, err := tx.GetMember(ctx, inv.OrgID, u.ID)
		switch {
		case errs.Is(err, errs.NotFound):
			err = tx.AddMembership(ctx, org.Membership{OrgID: inv.OrgID, UserID: u.ID, Name: memberName, Role: inv.Role, Active: true})
		case err == nil && !m.Active:
			err = tx.UpdateMembership(ctx, inv.OrgID, u.ID, inv.Role, true, m.Version)
		}
		if err != nil {
			return err
		}
		after, err := tx.GetInvitation(ctx, inv.OrgID, inv.ID)
		if err != nil {
			return err
		}
		if m, err = tx.GetMember(ctx, inv.OrgID, u.ID); err != nil {
			return err
		}
		actor := org.Actor{OrgID: inv.OrgID, UserID: u.ID, Role: m.Role, RequestID: requestID}
		if err := record(ctx, tx, actor, "invitation.accept", "invitation", inv.ID, inv, after); err != nil {
			return err
		}
		out, err = a.startSession(ctx, tx, u.ID, inv.OrgID, requestID)
		return err
	})
	return out, err
}
