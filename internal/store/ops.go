package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/okrahq/okra/internal/app"
)

var _ app.Tx = (*Tx)(nil)

// InsertAuditEvent appends an audit event; audit events are never changed.
func (t *Tx) InsertAuditEvent(ctx context.Context, e *app.AuditEvent) error {
	e.Created = t.now
	_, err := t.exec(ctx, "audit event",
		`INSERT INTO audit_events (id, org_id, actor_id, action, subject_type, subject_id, before_json, after_json, request_id, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.OrgID, nullString(e.ActorID), e.Action, e.SubjectType, e.SubjectID, nullString(string(e.Before)), nullString(string(e.After)),
		e.RequestID, t.now)
	return err
}

// ListAuditEvents returns the organization's audit events, newest first, before the cursor id.
func (t *Tx) ListAuditEvents(ctx context.Context, orgID string, f app.AuditFilter) ([]app.AuditEvent, error) {
	q := `SELECT id, org_id, COALESCE(actor_id, ''), action, subject_type, subject_id, COALESCE(before_json, ''), COALESCE(after_json, ''),
		request_id, created_at FROM audit_events WHERE org_id = ?`
	args := []any{orgID}
	if f.Before != "" {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	if f.SubjectID != "" {
		q += ` AND subject_id = ?`
		args = append(args, f.SubjectID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	var out []app.AuditEvent
	err := t.each(ctx, "list audit events", q, args, func(r *sql.Rows) error {
		var e app.AuditEvent
		var before, after string
		err := r.Scan(&e.ID, &e.OrgID, &e.ActorID, &e.Action, &e.SubjectType, &e.SubjectID, &before, &after, &e.RequestID, &e.Created)
		if before != "" {
			e.Before = []byte(before)
		}
		if after != "" {
			e.After = []byte(after)
		}
		out = append(out, e)
		return err
	})
	return out, err
}

// InsertOutbox records a domain event to be delivered after commit.
func (t *Tx) InsertOutbox(ctx context.Context, e *app.OutboxEvent) error {
	e.Created = t.now
	_, err := t.exec(ctx, "outbox event",
		`INSERT INTO outbox (id, org_id, event_type, subject_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		e.ID, e.OrgID, e.Type, e.SubjectID, string(e.Payload), t.now)
	return err
}

// GetIdempotency returns the record of an earlier create with the same key.
func (t *Tx) GetIdempotency(ctx context.Context, orgID, userID, key string) (app.IdempotencyRecord, error) {
	var r app.IdempotencyRecord
	err := t.get(ctx, "idempotency key",
		`SELECT org_id, user_id, key, operation, body_hash, result_id, created_at FROM idempotency_keys WHERE org_id = ? AND user_id = ? AND key = ?`,
		[]any{orgID, userID, key}, &r.OrgID, &r.UserID, &r.Key, &r.Operation, &r.BodyHash, &r.ResultID, &r.Created)
	return r, err
}

// PruneIdempotency forgets a user's keys recorded before the moment.
func (t *Tx) PruneIdempotency(ctx context.Context, orgID, userID string, before time.Time) error {
	_, err := t.exec(ctx, "prune idempotency keys", `DELETE FROM idempotency_keys WHERE org_id = ? AND user_id = ? AND created_at < ?`,
		orgID, userID, before.UTC())
	return err
}

// PutIdempotency records what a create with a key produced.
func (t *Tx) PutIdempotency(ctx context.Context, r app.IdempotencyRecord) error {
	_, err := t.exec(ctx, "idempotency key",
		`INSERT INTO idempotency_keys (org_id, user_id, key, operation, body_hash, result_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.OrgID, r.UserID, r.Key, r.Operation, r.BodyHash, r.ResultID, t.now)
	return err
}

// Tables lists the database's tables, for the schema-parity test.
func (s *Store) Tables(ctx context.Context) (map[string][]string, error) {
	out := map[string][]string{}
	err := s.run(ctx, s.reader, true, func(tx *Tx) error {
		var names []string
		if err := tx.each(ctx, "tables", s.dialect.tablesQuery(), nil, func(r *sql.Rows) error {
			var n string
			err := r.Scan(&n)
			names = append(names, n)
			return err
		}); err != nil {
			return err
		}
		for _, n := range names {
			var cols []string
			if err := tx.each(ctx, "columns", s.dialect.columnsQuery(), []any{n}, func(r *sql.Rows) error {
				var c string
				err := r.Scan(&c)
				cols = append(cols, c)
				return err
			}); err != nil {
				return err
			}
			out[n] = cols
		}
		return nil
	})
	return out, err
}
