package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/org"
)

var _ app.RhythmStore = (*Tx)(nil)

// InsertNotification puts a notification in its person's inbox; false when
// one with the same dedupe key is already there (nothing is written).
func (t *Tx) InsertNotification(ctx context.Context, n *app.Notification) (bool, error) {
	n.Created, n.ReadAt = t.now, nil
	res, err := t.exec(ctx, "insert notification",
		`INSERT INTO notifications (id, org_id, user_id, kind, title, body, link, dedupe_key, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, user_id, dedupe_key) DO NOTHING`,
		n.ID, n.OrgID, n.UserID, n.Kind, n.Title, n.Body, n.Link, nullString(n.DedupeKey), t.now)
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	if err != nil {
		return false, t.d.classify(err, "insert notification")
	}
	return k == 1, nil
}

const notificationColumns = `id, org_id, user_id, kind, title, body, link, COALESCE(dedupe_key, ''), created_at, read_at`

func scanNotification(sc interface{ Scan(...any) error }) (app.Notification, error) {
	var n app.Notification
	var read sql.NullTime
	err := sc.Scan(&n.ID, &n.OrgID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.DedupeKey, &n.Created, &read)
	n.Created = n.Created.UTC()
	n.ReadAt = timePtr(read)
	return n, err
}

// GetNotification returns a notification of the organization.
func (t *Tx) GetNotification(ctx context.Context, orgID, id string) (app.Notification, error) {
	n, err := scanNotification(t.row(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE org_id = ? AND id = ?`, orgID, id))
	return n, t.d.classify(err, "notification "+id)
}

// ListNotifications returns a person's notifications matching f, newest first.
func (t *Tx) ListNotifications(ctx context.Context, orgID, userID string, f app.NotificationFilter) ([]app.Notification, error) {
	q := `SELECT ` + notificationColumns + ` FROM notifications WHERE org_id = ? AND user_id = ?`
	args := []any{orgID, userID}
	if f.Unread {
		q += ` AND read_at IS NULL`
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	if f.Before != "" {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	q += ` ORDER BY id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []app.Notification
	err := t.each(ctx, "list notifications", q, args, func(r *sql.Rows) error {
		n, err := scanNotification(r)
		out = append(out, n)
		return err
	})
	return out, err
}

// CountUnreadNotifications counts a person's unread notifications.
func (t *Tx) CountUnreadNotifications(ctx context.Context, orgID, userID string) (int, error) {
	var n int
	err := t.get(ctx, "count unread notifications",
		`SELECT COUNT(*) FROM notifications WHERE org_id = ? AND user_id = ? AND read_at IS NULL`, []any{orgID, userID}, &n)
	return n, err
}

// MarkNotificationsRead marks a person's unread notification id read, or
// all of them when id is empty, and returns how many it marked.
func (t *Tx) MarkNotificationsRead(ctx context.Context, orgID, userID, id string) (int, error) {
	q := `UPDATE notifications SET read_at = ? WHERE org_id = ? AND user_id = ? AND read_at IS NULL`
	args := []any{t.now, orgID, userID}
	if id != "" {
		q += ` AND id = ?`
		args = append(args, id)
	}
	res, err := t.exec(ctx, "mark notifications read", q, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), t.d.classify(err, "mark notifications read")
}

// InsertSentReminder records a reminder for a key result's due moment;
// false when that moment was already reminded (nothing is written).
func (t *Tx) InsertSentReminder(ctx context.Context, r app.SentReminder) (bool, error) {
	res, err := t.exec(ctx, "insert sent reminder",
		`INSERT INTO sent_reminders (org_id, key_result_id, due_at, user_id, notification_id, created_at)
		 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, key_result_id, due_at) DO NOTHING`,
		r.OrgID, r.KeyResultID, instant(r.DueAt), r.UserID, r.NotificationID, t.now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, t.d.classify(err, "insert sent reminder")
	}
	return n == 1, nil
}

// ListSentReminders returns the reminders sent on the organization's key
// results since the moment, oldest due moment first.
func (t *Tx) ListSentReminders(ctx context.Context, orgID string, since time.Time) ([]app.SentReminder, error) {
	var out []app.SentReminder
	err := t.each(ctx, "list sent reminders",
		`SELECT org_id, key_result_id, due_at, user_id, notification_id, created_at FROM sent_reminders
		 WHERE org_id = ? AND created_at >= ? ORDER BY due_at, key_result_id`, []any{orgID, instant(since)},
		func(r *sql.Rows) error {
			var s app.SentReminder
			err := r.Scan(&s.OrgID, &s.KeyResultID, &s.DueAt, &s.UserID, &s.NotificationID, &s.Created)
			s.DueAt, s.Created = s.DueAt.UTC(), s.Created.UTC()
			out = append(out, s)
			return err
		})
	return out, err
}

// ListTeamRhythms returns the organization's teams with their cadence,
// grace days and chat webhook, without their people.
func (t *Tx) ListTeamRhythms(ctx context.Context, orgID string) ([]org.Team, error) {
	var out []org.Team
	err := t.each(ctx, "list team rhythms", `SELECT `+teamColumns+` FROM teams WHERE org_id = ? ORDER BY name, id`,
		[]any{orgID}, func(r *sql.Rows) error {
			tm, err := scanTeam(r)
			out = append(out, tm)
			return err
		})
	return out, err
}

// TeamRhythmChain returns a team and its ancestors, nearest first, with their
// cadence, grace days and chat webhook: one query however large the
// organization. The columns are teamColumns, qualified. CROSS JOIN keeps
// SQLite walking the chain by primary key rather than scanning the
// organization's teams.
func (t *Tx) TeamRhythmChain(ctx context.Context, orgID, teamID string) ([]org.Team, error) {
	var out []org.Team
	err := t.each(ctx, "list a team's ancestors",
		`WITH RECURSIVE chain(id, depth) AS (
			SELECT id, 0 FROM teams WHERE id = ? AND org_id = ?
			UNION ALL
			SELECT t.parent_id, c.depth + 1 FROM chain c CROSS JOIN teams t
			WHERE t.id = c.id AND t.parent_id IS NOT NULL AND c.depth < 1000)
		 SELECT t.id, t.org_id, t.name, t.slug, COALESCE(t.parent_id, ''), COALESCE(t.cadence, ''), t.grace_days,
		        t.chat_webhook_url, t.version, t.created_at, t.updated_at
		 FROM chain c CROSS JOIN teams t WHERE t.id = c.id AND t.org_id = ? ORDER BY c.depth`,
		[]any{teamID, orgID, orgID}, func(r *sql.Rows) error {
			tm, err := scanTeam(r)
			out = append(out, tm)
			return err
		})
	return out, err
}
