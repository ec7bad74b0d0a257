package org

import "context"

// Store is what the organization use cases need from the database, inside
// one transaction. Lookups of something that does not exist, or that belongs
// to another organization, return errs.NotFound; a duplicate returns
// errs.Conflict; an update with a stale version returns errs.PreconditionFailed.
type Store interface {
	CreateOrganization(ctx context.Context, o *Organization) error
	GetOrganization(ctx context.Context, id string) (Organization, error)
	GetOrganizationBySlug(ctx context.Context, slug string) (Organization, error)
	UpdateOrganizationSettings(ctx context.Context, id string, s Settings) error
	// CountOrganizations counts the organizations (the tenants) in the database.
	CountOrganizations(ctx context.Context) (int, error)

	CreateUser(ctx context.Context, u *User) error
	GetUserByEmail(ctx context.Context, email string) (User, error)
	AddMembership(ctx context.Context, m Membership) error
	UpdateMembership(ctx context.Context, orgID, userID string, role Role, active bool, expectVersion int) error
	CountActiveOwners(ctx context.Context, orgID string) (int, error)
	GetMember(ctx context.Context, orgID, userID string) (Member, error)
	ListMembers(ctx context.Context, orgID, after string, limit int) ([]Member, error)
	ListMemberships(ctx context.Context, userID string) ([]Membership, error)

	CreateTeam(ctx context.Context, t *Team) error
	GetTeam(ctx context.Context, orgID, id string) (Team, error)
	ListTeams(ctx context.Context, orgID string) ([]Team, error)
	UpdateTeam(ctx context.Context, t *Team, expectVersion int) error
	DeleteTeam(ctx context.Context, orgID, id string) error
	TeamsOfUser(ctx context.Context, orgID, userID string) ([]string, error)

	CreateToken(ctx context.Context, t *Token) error
	TokenByHash(ctx context.Context, hash string) (Token, error)
	GetToken(ctx context.Context, orgID, id string) (Token, error)
	ListTokens(ctx context.Context, orgID, userID string) ([]Token, error)
	RevokeToken(ctx context.Context, orgID, id string) error
	TouchToken(ctx context.Context, id string) error
}
