package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

var _ org.Store = (*Tx)(nil)

// CreateOrganization inserts an organization.
func (t *Tx) CreateOrganization(ctx context.Context, o *org.Organization) error {
	o.Created = t.now
	_, err := t.exec(ctx, "create organization",
		`INSERT INTO organizations (id, name, slug, time_zone, settings, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		o.ID, o.Name, o.Slug, o.TimeZone, toJSON(o.Settings), t.now)
	return err
}

const orgColumns = `id, name, slug, time_zone, settings, created_at`

func scanOrg(sc interface{ Scan(...any) error }) (org.Organization, error) {
	var o org.Organization
	var settings string
	if err := sc.Scan(&o.ID, &o.Name, &o.Slug, &o.TimeZone, &settings, &o.Created); err != nil {
		return o, err
	}
	o.Settings = org.DefaultSettings()
	return o, fromJSON(settings, &o.Settings)
}

// GetOrganization returns an organization by id.
func (t *Tx) GetOrganization(ctx context.Context, id string) (org.Organization, error) {
	o, err := scanOrg(t.row(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = ?`, id))
	return o, t.d.classify(err, "organization "+id)
}

// GetOrganizationBySlug returns an organization by slug.
func (t *Tx) GetOrganizationBySlug(ctx context.Context, slug string) (org.Organization, error) {
	o, err := scanOrg(t.row(ctx, `SELECT `+orgColumns+` FROM organizations WHERE slug = ?`, slug))
	return o, t.d.classify(err, "organization "+slug)
}

// UpdateOrganizationSettings stores an organization's settings.
func (t *Tx) UpdateOrganizationSettings(ctx context.Context, id string, s org.Settings) error {
	return t.execOne(ctx, "organization "+id, `UPDATE organizations SET settings = ? WHERE id = ?`, toJSON(s), id)
}

// CountOrganizations counts the tenants.
func (t *Tx) CountOrganizations(ctx context.Context) (int, error) {
	var n int
	err := t.get(ctx, "count organizations", `SELECT COUNT(*) FROM organizations`, nil, &n)
	return n, err
}

// CreateUser inserts a user with the e-mail in lower case (as
// GetUserByEmail looks it up); an e-mail already taken is a Conflict.
func (t *Tx) CreateUser(ctx context.Context, u *org.User) error {
	u.Created = t.now
	u.Email = strings.ToLower(u.Email)
	_, err := t.exec(ctx, "create user "+u.Email,
		`INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, u.PasswordHash, t.now)
	return err
}

// GetUserByEmail returns the user with an e-mail (any organization).
func (t *Tx) GetUserByEmail(ctx context.Context, email string) (org.User, error) {
	var u org.User
	err := t.get(ctx, "user "+email,
		`SELECT id, email, name, password_hash, created_at FROM users WHERE email = ?`,
		[]any{strings.ToLower(email)}, &u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Created)
	return u, err
}

// AddMembership makes a user a member of an organization.
func (t *Tx) AddMembership(ctx context.Context, m org.Membership) error {
	_, err := t.exec(ctx, "add membership",
		`INSERT INTO memberships (org_id, user_id, name, role, active, version, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)`,
		m.OrgID, m.UserID, m.Name, string(m.Role), m.Active, t.now)
	return err
}

// UpdateMembership changes a member's role and whether they are active, if
// the membership's version is still expectVersion.
func (t *Tx) UpdateMembership(ctx context.Context, orgID, userID string, role org.Role, active bool, expectVersion int) error {
	res, err := t.exec(ctx, "member "+userID,
		`UPDATE memberships SET role = ?, active = ?, version = version + 1 WHERE org_id = ? AND user_id = ? AND version = ?`,
		string(role), active, orgID, userID, expectVersion)
	if err != nil {
		return err
	}
	return t.versionChecked(ctx, res, "member "+userID, `SELECT 1 FROM memberships WHERE org_id = ? AND user_id = ?`, orgID, userID)
}

// CountActiveOwners counts the organization's active owners.
func (t *Tx) CountActiveOwners(ctx context.Context, orgID string) (int, error) {
	var n int
	err := t.get(ctx, "count owners", `SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'owner' AND active = ?`,
		[]any{orgID, true}, &n)
	return n, err
}

// memberSelect reads a member: the organization's name for them when it gave
// one, and the membership's own time and version.
const memberSelect = `SELECT u.id, u.email, CASE WHEN m.name <> '' THEN m.name ELSE u.name END, u.password_hash, m.created_at,
	m.role, m.active, m.version
	FROM memberships m JOIN users u ON u.id = m.user_id`

func scanMember(sc interface{ Scan(...any) error }) (org.Member, error) {
	var m org.Member
	var role string
	err := sc.Scan(&m.ID, &m.Email, &m.Name, &m.PasswordHash, &m.Created, &role, &m.Active, &m.Version)
	m.Role = org.Role(role)
	return m, err
}

// GetMember returns a user of the organization; a user who is not a member is NotFound.
func (t *Tx) GetMember(ctx context.Context, orgID, userID string) (org.Member, error) {
	m, err := scanMember(t.row(ctx, memberSelect+` WHERE m.org_id = ? AND m.user_id = ?`, orgID, userID))
	return m, t.d.classify(err, "user "+userID)
}

// ListMembers returns the organization's members ordered by id, after the cursor id.
func (t *Tx) ListMembers(ctx context.Context, orgID, after string, limit int) ([]org.Member, error) {
	var out []org.Member
	err := t.each(ctx, "list members", memberSelect+` WHERE m.org_id = ? AND u.id > ? ORDER BY u.id LIMIT ?`,
		[]any{orgID, after, limit}, func(r *sql.Rows) error {
			m, err := scanMember(r)
			out = append(out, m)
			return err
		})
	return out, err
}

// ListMemberships returns the organizations a user belongs to.
func (t *Tx) ListMemberships(ctx context.Context, userID string) ([]org.Membership, error) {
	var out []org.Membership
	err := t.each(ctx, "list memberships",
		`SELECT org_id, user_id, name, role, active, version, created_at FROM memberships WHERE user_id = ? ORDER BY created_at`,
		[]any{userID}, func(r *sql.Rows) error {
			var m org.Membership
			var role string
			err := r.Scan(&m.OrgID, &m.UserID, &m.Name, &role, &m.Active, &m.Version, &m.Created)
			m.Role = org.Role(role)
			out = append(out, m)
			return err
		})
	return out, err
}

// CreateTeam inserts a team with its leads and members.
func (t *Tx) CreateTeam(ctx context.Context, tm *org.Team) error {
	tm.Created, tm.Updated, tm.Version = t.now, t.now, 1
	if _, err := t.exec(ctx, "create team "+tm.Slug,
		`INSERT INTO teams (id, org_id, name, slug, parent_id, cadence, grace_days, chat_webhook_url, version, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tm.ID, tm.OrgID, tm.Name, tm.Slug, nullString(tm.ParentID), nullCadence(tm.Cadence), nullInt(tm.GraceDays), tm.ChatWebhookURL,
		tm.Version, t.now, t.now); err != nil {
		return err
	}
	return t.writeTeamPeople(ctx, tm)
}

func (t *Tx) writeTeamPeople(ctx context.Context, tm *org.Team) error {
	if _, err := t.exec(ctx, "team members", `DELETE FROM team_members WHERE org_id = ? AND team_id = ?`, tm.OrgID, tm.ID); err != nil {
		return err
	}
	leads := map[string]bool{}
	for _, id := range tm.LeadIDs {
		leads[id] = true
	}
	seen := map[string]bool{}
	for _, id := range append(append([]string(nil), tm.LeadIDs...), tm.MemberIDs...) {
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, err := t.exec(ctx, "team member "+id,
			`INSERT INTO team_members (org_id, team_id, user_id, is_lead) VALUES (?, ?, ?, ?)`,
			tm.OrgID, tm.ID, id, leads[id]); err != nil {
			return err
		}
	}
	return nil
}

// UpdateTeam stores a team's name, slug, parent and people if its version is
// still expectVersion (else PreconditionFailed), and bumps the version.
func (t *Tx) UpdateTeam(ctx context.Context, tm *org.Team, expectVersion int) error {
	res, err := t.exec(ctx, "update team "+tm.ID,
		`UPDATE teams SET name = ?, slug = ?, parent_id = ?, cadence = ?, grace_days = ?, chat_webhook_url = ?,
		 version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		tm.Name, tm.Slug, nullString(tm.ParentID), nullCadence(tm.Cadence), nullInt(tm.GraceDays), tm.ChatWebhookURL,
		t.now, tm.OrgID, tm.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "team "+tm.ID, `SELECT 1 FROM teams WHERE org_id = ? AND id = ?`, tm.OrgID, tm.ID); err != nil {
		return err
	}
	tm.Version, tm.Updated = expectVersion+1, t.now
	return t.writeTeamPeople(ctx, tm)
}

// versionChecked tells apart the outcomes of an update guarded by a
// version: none updated is NotFound when the row is not in the organization
// (the existence query finds nothing), else PreconditionFailed (stale).
func (t *Tx) versionChecked(ctx context.Context, res sql.Result, what, exists string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return t.d.classify(err, what)
	}
	if n > 0 {
		return nil
	}
	var one int
	if err := t.get(ctx, what, exists, args, &one); err != nil {
		return err // NotFound
	}
	return errs.E(errs.PreconditionFailed, "%s was changed by someone else; reload it and try again", what)
}

// DeleteTeam removes a team; its sub-teams move to its parent.
func (t *Tx) DeleteTeam(ctx context.Context, orgID, id string) error {
	tm, err := t.GetTeam(ctx, orgID, id)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, "reparent sub-teams", `UPDATE teams SET parent_id = ?, version = version + 1, updated_at = ? WHERE org_id = ? AND parent_id = ?`,
		nullString(tm.ParentID), t.now, orgID, id); err != nil {
		return err
	}
	return t.execOne(ctx, "team "+id, `DELETE FROM teams WHERE org_id = ? AND id = ?`, orgID, id)
}

const teamColumns = `id, org_id, name, slug, COALESCE(parent_id, ''), COALESCE(cadence, ''), grace_days, chat_webhook_url,
	version, created_at, updated_at`

func scanTeam(sc interface{ Scan(...any) error }) (org.Team, error) {
	var tm org.Team
	var cadence string
	var grace sql.NullInt64
	err := sc.Scan(&tm.ID, &tm.OrgID, &tm.Name, &tm.Slug, &tm.ParentID, &cadence, &grace, &tm.ChatWebhookURL,
		&tm.Version, &tm.Created, &tm.Updated)
	if cadence != "" {
		c := org.Cadence(cadence)
		tm.Cadence = &c
	}
	if grace.Valid {
		g := int(grace.Int64)
		tm.GraceDays = &g
	}
	return tm, err
}

// nullCadence stores an inherited (nil) cadence as NULL.
func nullCadence(c *org.Cadence) any {
	if c == nil {
		return nil
	}
	return string(*c)
}

// nullInt stores nil as NULL.
func nullInt(i *int) any {
	if i == nil {
		return nil
	}
	return *i
}

// GetTeam returns a team with its leads and members.
func (t *Tx) GetTeam(ctx context.Context, orgID, id string) (org.Team, error) {
	tm, err := scanTeam(t.row(ctx, `SELECT `+teamColumns+` FROM teams WHERE org_id = ? AND id = ?`, orgID, id))
	if err != nil {
		return tm, t.d.classify(err, "team "+id)
	}
	teams := []org.Team{tm}
	if err := t.fillTeamPeople(ctx, orgID, teams); err != nil {
		return tm, err
	}
	return teams[0], nil
}

// ListTeams returns the organization's teams (all of them: a tree is small).
func (t *Tx) ListTeams(ctx context.Context, orgID string) ([]org.Team, error) {
	var out []org.Team
	err := t.each(ctx, "list teams", `SELECT `+teamColumns+` FROM teams WHERE org_id = ? ORDER BY name, id`,
		[]any{orgID}, func(r *sql.Rows) error {
			tm, err := scanTeam(r)
			out = append(out, tm)
			return err
		})
	if err != nil {
		return nil, err
	}
	return out, t.fillTeamPeople(ctx, orgID, out)
}

func (t *Tx) fillTeamPeople(ctx context.Context, orgID string, teams []org.Team) error {
	if len(teams) == 0 {
		return nil
	}
	idx := map[string]int{}
	args := []any{orgID}
	for i, tm := range teams {
		idx[tm.ID] = i
		args = append(args, tm.ID)
	}
	q := `SELECT team_id, user_id, is_lead FROM team_members WHERE org_id = ?`
	if len(teams) < 500 {
		q += ` AND team_id IN (` + placeholders(len(teams)) + `)`
	} else {
		args = args[:1]
	}
	return t.each(ctx, "team members", q+` ORDER BY team_id, user_id`, args, func(r *sql.Rows) error {
		var teamID, userID string
		var lead bool
		if err := r.Scan(&teamID, &userID, &lead); err != nil {
			return err
		}
		i, ok := idx[teamID]
		if !ok {
			return nil
		}
		if lead {
			teams[i].LeadIDs = append(teams[i].LeadIDs, userID)
		} else {
			teams[i].MemberIDs = append(teams[i].MemberIDs, userID)
		}
		return nil
	})
}

// TeamsOfUser returns the ids of the teams a person leads or belongs to.
func (t *Tx) TeamsOfUser(ctx context.Context, orgID, userID string) ([]string, error) {
	var out []string
	err := t.each(ctx, "teams of user", `SELECT team_id FROM team_members WHERE org_id = ? AND user_id = ?`,
		[]any{orgID, userID}, func(r *sql.Rows) error {
			var id string
			err := r.Scan(&id)
			out = append(out, id)
			return err
		})
	return out, err
}

// CreateToken inserts an API token (its hash, never its secret).
func (t *Tx) CreateToken(ctx context.Context, tk *org.Token) error {
	tk.Created = t.now
	_, err := t.exec(ctx, "create token",
		`INSERT INTO api_tokens (id, org_id, user_id, name, hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		tk.ID, tk.OrgID, tk.UserID, tk.Name, tk.Hash, scopesText(tk.Scopes), t.now)
	return err
}

func scopesText(s []org.Scope) string {
	parts := make([]string, len(s))
	for i, x := range s {
		parts[i] = string(x)
	}
	return strings.Join(parts, " ")
}

const tokenColumns = `id, org_id, user_id, name, hash, scopes, created_at, last_used_at, revoked_at`

func scanToken(sc interface{ Scan(...any) error }) (org.Token, error) {
	var tk org.Token
	var scopes string
	var used, revoked sql.NullTime
	if err := sc.Scan(&tk.ID, &tk.OrgID, &tk.UserID, &tk.Name, &tk.Hash, &scopes, &tk.Created, &used, &revoked); err != nil {
		return tk, err
	}
	for _, s := range strings.Fields(scopes) {
		tk.Scopes = append(tk.Scopes, org.Scope(s))
	}
	tk.LastUsed, tk.RevokedAt = timePtr(used), timePtr(revoked)
	return tk, nil
}

// TokenByHash returns the token whose secret hashes to hash (any organization).
func (t *Tx) TokenByHash(ctx context.Context, hash string) (org.Token, error) {
	tk, err := scanToken(t.row(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = ?`, hash))
	return tk, t.d.classify(err, "token")
}

// GetToken returns a token of the organization.
func (t *Tx) GetToken(ctx context.Context, orgID, id string) (org.Token, error) {
	tk, err := scanToken(t.row(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE org_id = ? AND id = ?`, orgID, id))
	return tk, t.d.classify(err, "token "+id)
}

// ListTokens returns the organization's tokens, or one user's when userID is set.
func (t *Tx) ListTokens(ctx context.Context, orgID, userID string) ([]org.Token, error) {
	q := `SELECT ` + tokenColumns + ` FROM api_tokens WHERE org_id = ?`
	args := []any{orgID}
	if userID != "" {
		q += ` AND user_id = ?`
		args = append(args, userID)
	}
	var out []org.Token
	err := t.each(ctx, "list tokens", q+` ORDER BY id`, args, func(r *sql.Rows) error {
		tk, err := scanToken(r)
		out = append(out, tk)
		return err
	})
	return out, err
}

// TouchToken records that a token was used now.
func (t *Tx) TouchToken(ctx context.Context, id string) error {
	return t.execOne(ctx, "token "+id, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, t.now, id)
}

// RevokeToken marks a token revoked.
func (t *Tx) RevokeToken(ctx context.Context, orgID, id string) error {
	return t.execOne(ctx, "token "+id, `UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL`, t.now, orgID, id)
}
