package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
)

// ---- LRS credentials

const lrsCredentialColumns = `id, org_id, name, key, secret_hash, created_by, created_at, last_used_at, revoked_at`

func scanLRSCredential(sc interface{ Scan(...any) error }) (learning.LRSCredential, error) {
	var c learning.LRSCredential
	var used, revoked sql.NullTime
	err := sc.Scan(&c.ID, &c.OrgID, &c.Name, &c.Key, &c.SecretHash, &c.CreatedBy, &c.Created, &used, &revoked)
	c.LastUsed, c.Revoked = timePtr(used), timePtr(revoked)
	return c, err
}

// CreateLRSCredential inserts an LRS credential with the hash of its secret;
// a key taken in any organization is a Conflict.
func (t *Tx) CreateLRSCredential(ctx context.Context, c *learning.LRSCredential) error {
	c.Created, c.LastUsed, c.Revoked = t.now, nil, nil
	_, err := t.exec(ctx, "LRS credential with the key "+c.Key,
		`INSERT INTO lrs_credentials (id, org_id, name, key, secret_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.OrgID, c.Name, c.Key, c.SecretHash, c.CreatedBy, t.now)
	return err
}

// LRSCredentialByKey returns the credential with a key, in any organization,
// revoked or not.
func (t *Tx) LRSCredentialByKey(ctx context.Context, key string) (learning.LRSCredential, error) {
	c, err := scanLRSCredential(t.row(ctx, `SELECT `+lrsCredentialColumns+` FROM lrs_credentials WHERE key = ?`, key))
	return c, t.d.classify(err, "LRS credential")
}

// ListLRSCredentials returns the organization's credentials by id, revoked ones included.
func (t *Tx) ListLRSCredentials(ctx context.Context, orgID string) ([]learning.LRSCredential, error) {
	var out []learning.LRSCredential
	err := t.each(ctx, "list LRS credentials", `SELECT `+lrsCredentialColumns+` FROM lrs_credentials WHERE org_id = ? ORDER BY id`,
		[]any{orgID}, func(r *sql.Rows) error {
			c, err := scanLRSCredential(r)
			out = append(out, c)
			return err
		})
	return out, err
}

// RevokeLRSCredential marks a credential of the organization revoked now,
// unless it is revoked already.
func (t *Tx) RevokeLRSCredential(ctx context.Context, orgID, id string) error {
	return t.execOne(ctx, "LRS credential "+id,
		`UPDATE lrs_credentials SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL`, t.now, orgID, id)
}

// TouchLRSCredential records a credential's use now.
func (t *Tx) TouchLRSCredential(ctx context.Context, id string) error {
	return t.execOne(ctx, "LRS credential "+id, `UPDATE lrs_credentials SET last_used_at = ? WHERE id = ?`, t.now, id)
}

// ---- xAPI statements

const statementColumns = `id, org_id, credential_id, raw, digest, verb, activity_id, actor, occurred_at, stored_at, matched,
	COALESCE(user_id, ''), COALESCE(program_id, ''), COALESCE(enrollment_id, ''), outcome`

func scanStatement(sc interface{ Scan(...any) error }) (learning.Statement, error) {
	var s learning.Statement
	var raw string
	err := sc.Scan(&s.ID, &s.OrgID, &s.CredentialID, &raw, &s.Digest, &s.Verb, &s.ActivityID, &s.Actor, &s.Timestamp, &s.Stored, &s.Matched,
		&s.UserID, &s.ProgramID, &s.EnrollmentID, &s.Outcome)
	s.Raw = json.RawMessage(raw)
	return s, err
}

// InsertStatement stores an xAPI statement as received, stamped stored now
// (its timestamp is kept in UTC to the microsecond); an id the organization
// already has is a Conflict. The Conflict leaves the transaction usable, so
// that the caller can then read the statement stored first and compare.
func (t *Tx) InsertStatement(ctx context.Context, s *learning.Statement) error {
	ts := instant(s.Timestamp)
	n, err := t.affected(ctx, "statement "+s.ID,
		`INSERT INTO xapi_statements (id, org_id, credential_id, raw, digest, verb, activity_id, actor, occurred_at, stored_at, matched,
		 user_id, program_id, enrollment_id, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (org_id, id) DO NOTHING`,
		s.ID, s.OrgID, s.CredentialID, string(s.Raw), s.Digest, s.Verb, s.ActivityID, s.Actor, ts, t.now, s.Matched,
		nullString(s.UserID), nullString(s.ProgramID), nullString(s.EnrollmentID), s.Outcome)
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.E(errs.Conflict, "statement %s: already exists", s.ID)
	}
	s.Stored, s.Timestamp = t.now, ts
	return nil
}

// GetStatement returns a statement of the organization.
func (t *Tx) GetStatement(ctx context.Context, orgID, id string) (learning.Statement, error) {
	s, err := scanStatement(t.row(ctx, `SELECT `+statementColumns+` FROM xapi_statements WHERE org_id = ? AND id = ?`, orgID, id))
	return s, t.d.classify(err, "statement "+id)
}

// ListStatements returns the statements matching the filter by stored time
// then id, newest first unless f.Ascending, after the cursor statement. A
// cursor that names no statement of the organization is Invalid.
func (t *Tx) ListStatements(ctx context.Context, orgID string, f learning.StatementFilter) ([]learning.Statement, error) {
	q := `SELECT ` + statementColumns + ` FROM xapi_statements WHERE org_id = ?`
	args := []any{orgID}
	for _, c := range []struct{ col, v string }{{"verb", f.Verb}, {"activity_id", f.ActivityID}, {"actor", f.Actor}} {
		if c.v != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	if f.Since != nil {
		q += ` AND stored_at > ?`
		args = append(args, f.Since.UTC())
	}
	if f.Until != nil {
		q += ` AND stored_at <= ?`
		args = append(args, f.Until.UTC())
	}
	if f.Matched != nil {
		q += ` AND matched = ?`
		args = append(args, *f.Matched)
	}
	op, order := "<", ` ORDER BY stored_at DESC, id DESC`
	if f.Ascending {
		op, order = ">", ` ORDER BY stored_at, id`
	}
	if f.After != "" {
		var at time.Time
		if err := t.get(ctx, "statement "+f.After, `SELECT stored_at FROM xapi_statements WHERE org_id = ? AND id = ?`,
			[]any{orgID, f.After}, &at); err != nil {
			if errs.Is(err, errs.NotFound) {
				return nil, errs.Wrap(errs.Invalid, err, "the cursor %s names no statement; list again without it", f.After)
			}
			return nil, err
		}
		q += ` AND (stored_at ` + op + ` ? OR (stored_at = ? AND id ` + op + ` ?))`
		args = append(args, at, at, f.After)
	}
	q += order
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []learning.Statement
	err := t.each(ctx, "list statements", q, args, func(r *sql.Rows) error {
		s, err := scanStatement(r)
		out = append(out, s)
		return err
	})
	return out, err
}

// SetStatementOutcome records what okra made of a stored statement: matched,
// person, program, enrollment and outcome, nothing else.
func (t *Tx) SetStatementOutcome(ctx context.Context, s *learning.Statement) error {
	return t.execOne(ctx, "statement "+s.ID,
		`UPDATE xapi_statements SET matched = ?, user_id = ?, program_id = ?, enrollment_id = ?, outcome = ? WHERE org_id = ? AND id = ?`,
		s.Matched, nullString(s.UserID), nullString(s.ProgramID), nullString(s.EnrollmentID), s.Outcome, s.OrgID, s.ID)
}
