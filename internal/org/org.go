// Package org holds okra's tenants and people: organizations, users,
// memberships with roles, teams, API tokens, and who may do what.
package org

import (
	"time"

	"github.com/okrahq/okra/internal/okr"
)

// Organization is a tenant: every tenant-owned row carries its id.
type Organization struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Slug     string    `json:"slug"`
	TimeZone string    `json:"time_zone"`
	Settings Settings  `json:"-"`
	Created  time.Time `json:"created_at"`
}

// Location returns the organization's time zone, UTC when unknown.
func (o Organization) Location() *time.Location {
	if loc, err := time.LoadLocation(o.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// Settings are an organization's rules of rhythm and thresholds.
type Settings struct {
	// Cadence is how often check-ins are expected; CadenceDays follows it
	// (empty: CadenceDays alone, as stored before cadences had names).
	Cadence Cadence `json:"cadence,omitempty"`
	// CadenceDays is the expected time between check-ins on a key result.
	CadenceDays int `json:"cadence_days"`
	// GraceDays are added to the cadence before a key result turns outdated.
	GraceDays int `json:"grace_days"`
	// BehindThreshold: behind when expected − actual progress exceeds it.
	BehindThreshold float64 `json:"behind_threshold"`
	// ForecastPoints is how many recent check-ins the forecast fits (at least 3).
	ForecastPoints int `json:"forecast_points"`
	// SkillDecayDays is how long a skill assessment counts at its full level.
	SkillDecayDays int `json:"skill_decay_days"`
	// PrivateWebhookTargets are the private addresses webhooks and chat
	// messages may reach: "host:port" entries or CIDR blocks (see netguard).
	PrivateWebhookTargets []string `json:"private_webhook_targets,omitempty"`
	// ChatWebhookURL is the Slack-compatible incoming webhook that gets the
	// reminders and digests of teams without one of their own.
	ChatWebhookURL string `json:"chat_webhook_url,omitempty"`
	// Coach holds the OKR coach's thresholds (docs/coach.md).
	Coach CoachSettings `json:"coach"`
	// Version counts the changes to the settings (If-Match on updates).
	Version int `json:"version,omitempty"`
}

// CoachSettings are the OKR coach's thresholds: how many key results an
// objective has, how long its title is, what one person owns in a period,
// and how far a target may run ahead of its trend.
type CoachSettings = okr.CoachThresholds

// Cadence names how often check-ins on a key result are expected.
type Cadence string

// Cadences.
const (
	Weekly   Cadence = "weekly"
	Biweekly Cadence = "biweekly"
	Monthly  Cadence = "monthly"
)

// Days is the cadence's length in days: 7, 14 or 30; 0 for an unknown one.
func (c Cadence) Days() int {
	switch c {
	case Weekly:
		return 7
	case Biweekly:
		return 14
	case Monthly:
		return 30
	}
	return 0
}

// CadenceOf names a length in days, empty when it has no name.
func CadenceOf(days int) Cadence {
	for _, c := range []Cadence{Weekly, Biweekly, Monthly} {
		if c.Days() == days {
			return c
		}
	}
	return ""
}

// DefaultSettings are a new organization's settings: a weekly cadence with
// three days of grace.
func DefaultSettings() Settings {
	return Settings{CadenceDays: 7, GraceDays: 3, BehindThreshold: 0.25, ForecastPoints: 6, SkillDecayDays: 365,
		Coach: okr.DefaultCoachThresholds()}
}

// User is a person; they belong to organizations through memberships.
type User struct {
	ID           string    `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	PasswordHash string    `json:"-"`
	Created      time.Time `json:"created_at"`
}

// Role is a member's role in an organization.
type Role string

// Roles, from most to least powerful.
const (
	RoleOwner  Role = "owner"
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
	RoleViewer Role = "viewer"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleOwner, RoleAdmin, RoleMember, RoleViewer:
		return true
	}
	return false
}

// IsAdmin reports whether the role administers the organization.
func (r Role) IsAdmin() bool { return r == RoleOwner || r == RoleAdmin }

// Membership ties a user to an organization with a role.
type Membership struct {
	OrgID  string `json:"-"`
	UserID string `json:"user_id"`
	// Name is what the organization calls the member; empty: the user's own name.
	Name    string    `json:"name"`
	Role    Role      `json:"role"`
	Active  bool      `json:"active"`
	Version int       `json:"version"`
	Created time.Time `json:"created_at"`
}

// Member is a user as seen inside one organization: the name the
// organization gave them, the role, and since when they are a member
// (created_at). Nothing of the account beyond this organization shows.
type Member struct {
	User
	Role    Role `json:"role"`
	Active  bool `json:"active"`
	Version int  `json:"version"`
}

// MayHold reports whether a member of this role may hold a token with the
// scope: admin scopes for admins and owners, write for all but viewers.
func (r Role) MayHold(s Scope) bool {
	switch s {
	case ScopeAdmin:
		return r.IsAdmin()
	case ScopeWrite:
		return r != RoleViewer
	}
	return true
}

// Team is a node of the organization's team tree.
type Team struct {
	ID        string   `json:"id"`
	OrgID     string   `json:"-"`
	Name      string   `json:"name"`
	Slug      string   `json:"slug"`
	ParentID  string   `json:"parent_id,omitempty"`
	LeadIDs   []string `json:"lead_ids"`
	MemberIDs []string `json:"member_ids"`
	// Cadence of the check-ins on the team's key results; nil inherits the
	// parent team's, then the organization's.
	Cadence *Cadence `json:"cadence" enum:"weekly,biweekly,monthly" nullable:"true"`
	// GraceDays after the cadence before a key result turns outdated; nil inherits.
	GraceDays *int `json:"grace_days" nullable:"true"`
	// ChatWebhookURL gets the team's reminders and its leads' digests
	// (shown to admins and the team's leads only).
	ChatWebhookURL string    `json:"chat_webhook_url,omitempty"`
	Version        int       `json:"version"`
	Created        time.Time `json:"created_at"`
	Updated        time.Time `json:"updated_at"`
}

// Scope is what an API token may do.
type Scope string

// Token scopes.
const (
	ScopeRead  Scope = "read"
	ScopeWrite Scope = "write"
	ScopeAdmin Scope = "admin"
)

// Token is an API token; only the SHA-256 hash of its secret is stored.
type Token struct {
	ID        string     `json:"id"`
	OrgID     string     `json:"-"`
	UserID    string     `json:"user_id"`
	Name      string     `json:"name"`
	Hash      string     `json:"-"`
	Scopes    []Scope    `json:"scopes"`
	Created   time.Time  `json:"created_at"`
	LastUsed  *time.Time `json:"last_used_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// HasScope reports whether scopes grant s; admin implies write, write implies read.
func HasScope(scopes []Scope, s Scope) bool {
	rank := map[Scope]int{ScopeRead: 1, ScopeWrite: 2, ScopeAdmin: 3}
	for _, have := range scopes {
		if rank[have] >= rank[s] {
			return true
		}
	}
	return false
}

// Actor is who performs a use case: a member of one organization acting
// through a session or a token with scopes.
type Actor struct {
	OrgID  string
	UserID string
	Role   Role
	// Scopes limit what the actor may do beyond its role (a token's scopes).
	Scopes []Scope
	// Session is true when the actor acts through a browser session, not an API token.
	Session   bool
	RequestID string
}

// CanRead reports whether the actor may read the organization's data.
func (a Actor) CanRead() bool { return HasScope(a.Scopes, ScopeRead) }

// CanWrite reports whether the actor may change anything at all.
func (a Actor) CanWrite() bool { return a.Role != RoleViewer && HasScope(a.Scopes, ScopeWrite) }

// IsAdmin reports whether the actor may administer the organization.
func (a Actor) IsAdmin() bool { return a.Role.IsAdmin() && HasScope(a.Scopes, ScopeAdmin) }

// EditsAll reports whether the actor may change every objective, key result,
// initiative and comment of the organization: an admin's role with a write
// token (administration itself needs the admin scope, see IsAdmin).
func (a Actor) EditsAll() bool { return a.Role.IsAdmin() && a.CanWrite() }

// IsAdminReader reports whether the actor's role sees everything (private objectives included).
func (a Actor) IsAdminReader() bool { return a.Role.IsAdmin() }

// Session is a signed-in browser: only the SHA-256 hash of its secret (the
// cookie) is stored. It acts in one organization.
type Session struct {
	Hash     string
	UserID   string
	OrgID    string
	Created  time.Time
	LastSeen time.Time
}

// Invitation asks a person, by e-mail, to join an organization with a role;
// only the SHA-256 hash of its secret (the link) is stored.
type Invitation struct {
	ID    string `json:"id"`
	OrgID string `json:"-"`
	Email string `json:"email"`
	// Name is what the organization will call the person; empty: their own name.
	Name       string     `json:"name"`
	Role       Role       `json:"role"`
	InvitedBy  string     `json:"invited_by"`
	Created    time.Time  `json:"created_at"`
	Expires    time.Time  `json:"expires_at"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// InvitationStatus is where an invitation stands.
type InvitationStatus string

// Invitation statuses.
const (
	InvitationPending  InvitationStatus = "pending"
	InvitationAccepted InvitationStatus = "accepted"
	InvitationRevoked  InvitationStatus = "revoked"
	InvitationExpired  InvitationStatus = "expired"
)

// Status says whether the invitation was accepted, revoked, has expired at
// now, or is still pending.
func (i Invitation) Status(now time.Time) InvitationStatus {
	switch {
	case i.AcceptedAt != nil:
		return InvitationAccepted
	case i.RevokedAt != nil:
		return InvitationRevoked
	case !now.Before(i.Expires):
		return InvitationExpired
	}
	return InvitationPending
}

// Pending reports whether the invitation may still be accepted at now.
func (i Invitation) Pending(now time.Time) bool { return i.Status(now) == InvitationPending }
