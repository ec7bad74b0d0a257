package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/org"
)

// SetPasswordHash replaces a user's password hash.
func (t *Tx) SetPasswordHash(ctx context.Context, userID, hash string) error {
	return t.execOne(ctx, "user "+userID, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
}

// CreateSession inserts a browser session (its hash, never its secret),
// created and last seen now.
func (t *Tx) CreateSession(ctx context.Context, s *org.Session) error {
	s.Created, s.LastSeen = t.now, t.now
	_, err := t.exec(ctx, "create session",
		`INSERT INTO sessions (hash, user_id, org_id, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)`,
		s.Hash, s.UserID, s.OrgID, t.now, t.now)
	return err
}

// SessionByHash returns the session whose secret hashes to hash (any organization).
func (t *Tx) SessionByHash(ctx context.Context, hash string) (org.Session, error) {
	var s org.Session
	err := t.get(ctx, "session",
		`SELECT hash, user_id, org_id, created_at, last_seen_at FROM sessions WHERE hash = ?`,
		[]any{hash}, &s.Hash, &s.UserID, &s.OrgID, &s.Created, &s.LastSeen)
	return s, err
}

// TouchSession records that a session was used now.
func (t *Tx) TouchSession(ctx context.Context, hash string) error {
	return t.execOne(ctx, "session", `UPDATE sessions SET last_seen_at = ? WHERE hash = ?`, t.now, hash)
}

// DeleteSession removes a session.
func (t *Tx) DeleteSession(ctx context.Context, hash string) error {
	return t.execOne(ctx, "session", `DELETE FROM sessions WHERE hash = ?`, hash)
}

// DeleteUserSessions removes a user's sessions (all organizations) but the one to keep.
func (t *Tx) DeleteUserSessions(ctx context.Context, userID, keep string) (int, error) {
	return t.affected(ctx, "delete sessions", `DELETE FROM sessions WHERE user_id = ? AND hash <> ?`, userID, keep)
}

// PruneSessions removes a user's expired sessions (all organizations).
func (t *Tx) PruneSessions(ctx context.Context, userID string, seenBefore, createdBefore time.Time) error {
	_, err := t.exec(ctx, "prune sessions", `DELETE FROM sessions WHERE user_id = ? AND (last_seen_at < ? OR created_at < ?)`,
		userID, seenBefore.UTC(), createdBefore.UTC())
	return err
}

// affected runs a statement and returns how many rows it touched.
func (t *Tx) affected(ctx context.Context, what, q string, args ...any) (int, error) {
	res, err := t.exec(ctx, what, q, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, t.d.classify(err, what)
	}
	return int(n), nil
}

// CreateInvitation inserts an invitation with the hash of its secret.
func (t *Tx) CreateInvitation(ctx context.Context, i *org.Invitation, hash string) error {
	i.Created = t.now
	i.Email = strings.ToLower(i.Email)
	i.Expires = i.Expires.UTC()
	i.AcceptedAt, i.RevokedAt = nil, nil
	_, err := t.exec(ctx, "create invitation",
		`INSERT INTO invitations (id, org_id, email, name, role, hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		i.ID, i.OrgID, i.Email, i.Name, string(i.Role), hash, i.InvitedBy, t.now, i.Expires)
	return err
}

const invitationColumns = `id, org_id, email, name, role, invited_by, created_at, expires_at, accepted_at, revoked_at`

func scanInvitation(sc interface{ Scan(...any) error }) (org.Invitation, error) {
	var i org.Invitation
	var role string
	var accepted, revoked sql.NullTime
	if err := sc.Scan(&i.ID, &i.OrgID, &i.Email, &i.Name, &role, &i.InvitedBy, &i.Created, &i.Expires, &accepted, &revoked); err != nil {
		return i, err
	}
	i.Role = org.Role(role)
	i.AcceptedAt, i.RevokedAt = timePtr(accepted), timePtr(revoked)
	return i, nil
}

// InvitationByHash returns the invitation whose secret hashes to hash (any organization).
func (t *Tx) InvitationByHash(ctx context.Context, hash string) (org.Invitation, error) {
	i, err := scanInvitation(t.row(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE hash = ?`, hash))
	return i, t.d.classify(err, "invitation")
}

// GetInvitation returns an invitation of the organization.
func (t *Tx) GetInvitation(ctx context.Context, orgID, id string) (org.Invitation, error) {
	i, err := scanInvitation(t.row(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE org_id = ? AND id = ?`, orgID, id))
	return i, t.d.classify(err, "invitation "+id)
}

// ListInvitations returns the organization's invitations, newest first.
func (t *Tx) ListInvitations(ctx context.Context, orgID string) ([]org.Invitation, error) {
	var out []org.Invitation
	err := t.each(ctx, "list invitations",
		`SELECT `+invitationColumns+` FROM invitations WHERE org_id = ? ORDER BY created_at DESC, id DESC`,
		[]any{orgID}, func(r *sql.Rows) error {
			i, err := scanInvitation(r)
			out = append(out, i)
			return err
		})
	return out, err
}

// RevokeInvitation marks an invitation revoked, unless it was accepted or revoked already.
func (t *Tx) RevokeInvitation(ctx context.Context, orgID, id string) error {
	return t.execOne(ctx, "invitation "+id,
		`UPDATE invitations SET revoked_at = ? WHERE org_id = ? AND id = ? AND accepted_at IS NULL AND revoked_at IS NULL`,
		t.now, orgID, id)
}

// RevokePendingInvitations revokes the e-mail's invitations that may still be accepted.
func (t *Tx) RevokePendingInvitations(ctx context.Context, orgID, email string) (int, error) {
	return t.affected(ctx, "revoke invitations",
		`UPDATE invitations SET revoked_at = ?
		 WHERE org_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?`,
		t.now, orgID, strings.ToLower(email), t.now)
}

// AcceptInvitation marks a pending invitation accepted: only once, and only before it expires.
func (t *Tx) AcceptInvitation(ctx context.Context, orgID, id string) error {
	return t.execOne(ctx, "invitation "+id,
		`UPDATE invitations SET accepted_at = ?
		 WHERE org_id = ? AND id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?`,
		t.now, orgID, id, t.now)
}
