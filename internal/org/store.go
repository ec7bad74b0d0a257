package org

import (
	"context"
	"time"
)

// Store is what the organization use cases need from the database, inside
// one transaction. Lookups of something that does not exist, or that belongs
// to another organization, return errs.NotFound; a duplicate returns
// errs.Conflict; an update with a stale version returns errs.PreconditionFailed.
type Store interface {
	// CreateOrganization inserts an organization; an id or slug already taken is errs.Conflict.
	CreateOrganization(ctx context.Context, o *Organization) error
	// GetOrganization returns an organization by id; errs.NotFound if there is none.
	GetOrganization(ctx context.Context, id string) (Organization, error)
	// GetOrganizationBySlug returns an organization by slug; errs.NotFound if there is none.
	GetOrganizationBySlug(ctx context.Context, slug string) (Organization, error)
	// UpdateOrganizationSettings replaces an organization's settings (no version
	// check); errs.NotFound if the organization does not exist.
	UpdateOrganizationSettings(ctx context.Context, id string, s Settings) error
	// CountOrganizations counts the organizations (the tenants) in the database.
	CountOrganizations(ctx context.Context) (int, error)

	// CreateUser inserts a user (users belong to no organization) with the e-mail
	// in lower case; an id or e-mail already taken is errs.Conflict.
	CreateUser(ctx context.Context, u *User) error
	// GetUserByEmail returns the user with an e-mail, ignoring case, whatever their
	// organizations; errs.NotFound if there is none.
	GetUserByEmail(ctx context.Context, email string) (User, error)
	// SetPasswordHash replaces a user's password hash (an argon2id PHC string, or "" for
	// none); errs.NotFound if there is no such user.
	SetPasswordHash(ctx context.Context, userID, hash string) error
	// AddMembership makes a user a member of m.OrgID at version 1; errs.Conflict if
	// already a member, errs.Invalid if the organization or user does not exist.
	AddMembership(ctx context.Context, m Membership) error
	// UpdateMembership sets a member's role and active flag if its version is still expectVersion;
	// errs.PreconditionFailed if stale, errs.NotFound if the user is not a member of orgID.
	UpdateMembership(ctx context.Context, orgID, userID string, role Role, active bool, expectVersion int) error
	// CountActiveOwners counts orgID's active members whose role is owner.
	CountActiveOwners(ctx context.Context, orgID string) (int, error)
	// GetMember returns a member of orgID, active or not, under the organization's name for
	// them; errs.NotFound if the user is not a member.
	GetMember(ctx context.Context, orgID, userID string) (Member, error)
	// ListMembers returns up to limit of orgID's members, active or not, by user id after the cursor id.
	ListMembers(ctx context.Context, orgID, after string, limit int) ([]Member, error)
	// ListMemberships returns a user's memberships in every organization, oldest first.
	ListMemberships(ctx context.Context, userID string) ([]Membership, error)

	// CreateTeam inserts a team of t.OrgID at version 1 with its leads and members; errs.Conflict
	// if its slug is taken in the organization, errs.Invalid if its parent or a person does not exist.
	CreateTeam(ctx context.Context, t *Team) error
	// GetTeam returns a team of orgID with its leads and members; errs.NotFound if it is not in the organization.
	GetTeam(ctx context.Context, orgID, id string) (Team, error)
	// ListTeams returns all of orgID's teams with their leads and members, by name.
	ListTeams(ctx context.Context, orgID string) ([]Team, error)
	// UpdateTeam stores a team's name, slug, parent and people if its version is still expectVersion; errs.PreconditionFailed
	// if stale, errs.NotFound if not in t.OrgID, errs.Conflict for a taken slug, errs.Invalid for an unknown parent or person.
	UpdateTeam(ctx context.Context, t *Team, expectVersion int) error
	// DeleteTeam removes a team of orgID and moves its sub-teams to its parent; errs.NotFound if
	// it is not in the organization.
	DeleteTeam(ctx context.Context, orgID, id string) error
	// TeamsOfUser returns the ids of orgID's teams that a user leads or belongs to.
	TeamsOfUser(ctx context.Context, orgID, userID string) ([]string, error)

	// CreateToken inserts an API token (its hash, never its secret); errs.Conflict for an id or hash
	// already taken, errs.Invalid if the organization or user does not exist.
	CreateToken(ctx context.Context, t *Token) error
	// TokenByHash returns the token with this hash in any organization, revoked or not;
	// errs.NotFound if there is none.
	TokenByHash(ctx context.Context, hash string) (Token, error)
	// GetToken returns a token of orgID, revoked or not; errs.NotFound if it is not in the organization.
	GetToken(ctx context.Context, orgID, id string) (Token, error)
	// ListTokens returns orgID's tokens by id, revoked ones included; only userID's when it is set.
	ListTokens(ctx context.Context, orgID, userID string) ([]Token, error)
	// RevokeToken marks a token of orgID revoked now; errs.NotFound if it is not in the
	// organization or is already revoked.
	RevokeToken(ctx context.Context, orgID, id string) error
	// TouchToken sets a token's last use to now, by id in any organization; errs.NotFound if there is none.
	TouchToken(ctx context.Context, id string) error

	// CreateSession inserts a browser session (its hash, never its secret) created and last
	// seen now; errs.Conflict for a hash already taken, errs.Invalid if the organization or
	// user does not exist.
	CreateSession(ctx context.Context, s *Session) error
	// SessionByHash returns the session with this hash in any organization, expired or not;
	// errs.NotFound if there is none.
	SessionByHash(ctx context.Context, hash string) (Session, error)
	// TouchSession sets a session's last-seen time to now; errs.NotFound if there is none.
	TouchSession(ctx context.Context, hash string) error
	// DeleteSession removes a session; errs.NotFound if there is none.
	DeleteSession(ctx context.Context, hash string) error
	// DeleteUserSessions removes a user's sessions in every organization except the one
	// with the hash keep ("" keeps none), and returns how many it removed.
	DeleteUserSessions(ctx context.Context, userID, keep string) (int, error)
	// PruneSessions removes a user's sessions, in every organization, last seen before
	// seenBefore or created before createdBefore: the expired ones.
	PruneSessions(ctx context.Context, userID string, seenBefore, createdBefore time.Time) error

	// CreateInvitation inserts an invitation of i.OrgID created now, with the hash of its
	// secret (never the secret) and the e-mail in lower case; errs.Conflict for an id or hash
	// already taken, errs.Invalid if the organization does not exist.
	CreateInvitation(ctx context.Context, i *Invitation, hash string) error
	// InvitationByHash returns the invitation with this hash in any organization, whatever
	// its status; errs.NotFound if there is none.
	InvitationByHash(ctx context.Context, hash string) (Invitation, error)
	// GetInvitation returns an invitation of orgID, whatever its status; errs.NotFound if it
	// is not in the organization.
	GetInvitation(ctx context.Context, orgID, id string) (Invitation, error)
	// ListInvitations returns all of orgID's invitations, whatever their status, newest first.
	ListInvitations(ctx context.Context, orgID string) ([]Invitation, error)
	// RevokeInvitation marks an invitation of orgID revoked now; errs.NotFound if it is not
	// in the organization or was already accepted or revoked.
	RevokeInvitation(ctx context.Context, orgID, id string) error
	// RevokePendingInvitations marks revoked now every invitation of orgID for the e-mail
	// (ignoring case) that is neither accepted, revoked nor expired, and returns how many.
	RevokePendingInvitations(ctx context.Context, orgID, email string) (int, error)
	// AcceptInvitation marks an invitation of orgID accepted now, once: errs.NotFound if it
	// is not in the organization, or was already accepted or revoked, or has expired.
	AcceptInvitation(ctx context.Context, orgID, id string) error
}
