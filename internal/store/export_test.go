package store

import (
	"context"
	"database/sql"

	"github.com/okrahq/okra/internal/app"
)

// Test-only access to rows that no store interface reads back.

// OutboxForTest returns an organization's outbox events, oldest first, and
// for each whether it has been sent.
func (s *Store) OutboxForTest(ctx context.Context, orgID string) ([]app.OutboxEvent, []bool, error) {
	var (
		out  []app.OutboxEvent
		sent []bool
	)
	err := s.run(ctx, s.reader, true, func(tx *Tx) error {
		return tx.each(ctx, "outbox", `SELECT id, org_id, event_type, subject_id, payload, created_at, sent_at FROM outbox WHERE org_id = ? ORDER BY id`,
			[]any{orgID}, func(r *sql.Rows) error {
				var e app.OutboxEvent
				var payload string
				var at sql.NullTime
				if err := r.Scan(&e.ID, &e.OrgID, &e.Type, &e.SubjectID, &payload, &e.Created, &at); err != nil {
					return err
				}
				e.Payload = []byte(payload)
				out = append(out, e)
				sent = append(sent, at.Valid)
				return nil
			})
	})
	return out, sent, err
}

// CountForTest runs a SELECT COUNT(*) … query (with ? placeholders) in a read transaction.
func (s *Store) CountForTest(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := s.run(ctx, s.reader, true, func(tx *Tx) error {
		return tx.get(ctx, "count", query, args, &n)
	})
	return n, err
}

// QueuedWrites is how many write transactions wait for SQLite's writer.
func (s *Store) QueuedWrites() int { return len(s.commits.queue) }
