package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

const jobColumns = `id, COALESCE(org_id, ''), kind, payload, COALESCE(unique_key, ''), state, run_at, attempts, max_attempts,
	COALESCE(locked_by, ''), locked_until, last_error, result, created_at, updated_at`

func scanJob(sc interface{ Scan(...any) error }) (app.Job, error) {
	var j app.Job
	var payload string
	var until sql.NullTime
	err := sc.Scan(&j.ID, &j.OrgID, &j.Kind, &payload, &j.UniqueKey, &j.State, &j.RunAt, &j.Attempts, &j.MaxAttempts,
		&j.LockedBy, &until, &j.LastError, &j.Result, &j.Created, &j.Updated)
	j.Payload = []byte(payload)
	j.LockedUntil = timePtr(until)
	j.RunAt = j.RunAt.UTC()
	return j, err
}

// InsertJob queues a job; false when its unique key is taken.
func (t *Tx) InsertJob(ctx context.Context, j *app.Job) (bool, error) {
	j.State, j.Attempts, j.LockedBy, j.LockedUntil, j.LastError, j.Result = app.JobQueued, 0, "", nil, "", ""
	j.Created, j.Updated = t.now, t.now
	j.RunAt = j.RunAt.UTC().Truncate(time.Microsecond)
	n, err := t.affected(ctx, "enqueue job",
		`INSERT INTO jobs (id, org_id, kind, payload, unique_key, state, run_at, attempts, max_attempts, last_error, result, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, 'queued', ?, 0, ?, '', '', ?, ?) ON CONFLICT (unique_key) DO NOTHING`,
		j.ID, nullString(j.OrgID), j.Kind, string(j.Payload), nullString(j.UniqueKey), j.RunAt, j.MaxAttempts, t.now, t.now)
	return n == 1, err
}

// ClaimJobs takes ready jobs for a worker. The candidates are selected and
// locked (skipping rows other transactions hold) in the CTE, then updated;
// the rows are drained (never QueryRow on an UPDATE … RETURNING).
func (t *Tx) ClaimJobs(ctx context.Context, worker string, lockedUntil time.Time, limit int) ([]app.Job, error) {
	q := `WITH c AS (
			SELECT id FROM jobs
			WHERE (state = 'queued' AND run_at <= ?) OR (state = 'running' AND locked_until < ? AND attempts < max_attempts)
			ORDER BY run_at, id LIMIT ?` + t.d.skipLocked() + `
		)
		UPDATE jobs SET state = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1, updated_at = ?
		WHERE id IN (SELECT id FROM c)
		RETURNING ` + jobColumns
	var out []app.Job
	err := t.each(ctx, "claim jobs", q, []any{t.now, t.now, limit, worker, lockedUntil.UTC(), t.now}, func(r *sql.Rows) error {
		j, err := scanJob(r)
		out = append(out, j)
		return err
	})
	slices.SortFunc(out, func(a, b app.Job) int {
		if c := a.RunAt.Compare(b.RunAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, err
}

// BuryAbandonedJobs marks dead the running jobs with an expired lease and no
// attempt left, and returns them (the rows drained, never QueryRow).
func (t *Tx) BuryAbandonedJobs(ctx context.Context) ([]app.Job, error) {
	var out []app.Job
	err := t.each(ctx, "bury abandoned jobs",
		`UPDATE jobs SET state = 'dead', last_error = ?, locked_by = NULL, locked_until = NULL, updated_at = ?
		 WHERE state = 'running' AND locked_until < ? AND attempts >= max_attempts
		 RETURNING `+jobColumns, []any{app.AbandonedJobError, t.now, t.now}, func(r *sql.Rows) error {
			j, err := scanJob(r)
			out = append(out, j)
			return err
		})
	return out, err
}

// FinishJob marks a worker's job done.
func (t *Tx) FinishJob(ctx context.Context, id, worker, result string) error {
	return t.execOne(ctx, "job "+id,
		`UPDATE jobs SET state = 'done', result = ?, locked_by = NULL, locked_until = NULL, updated_at = ?
		 WHERE id = ? AND locked_by = ? AND state = 'running'`, result, t.now, id, worker)
}

// FailJob records a failed attempt: queued again after delay, or dead.
func (t *Tx) FailJob(ctx context.Context, id, worker, message string, delay time.Duration) (app.JobState, error) {
	var state app.JobState
	found := false
	err := t.each(ctx, "job "+id,
		`UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
		 run_at = ?, last_error = ?, locked_by = NULL, locked_until = NULL, updated_at = ?
		 WHERE id = ? AND locked_by = ? AND state = 'running'
		 RETURNING state`, []any{t.now.Add(delay).Truncate(time.Microsecond), message, t.now, id, worker}, func(r *sql.Rows) error {
			found = true
			return r.Scan(&state)
		})
	if err == nil && !found {
		err = errs.NotFoundf("job %s: not found (no longer this worker's)", id)
	}
	return state, err
}

// PruneJobs deletes the jobs done before the moment.
func (t *Tx) PruneJobs(ctx context.Context, before time.Time) (int, error) {
	return t.affected(ctx, "prune jobs", `DELETE FROM jobs WHERE state = 'done' AND updated_at < ?`, before.UTC())
}

// ListJobs returns an organization's jobs, newest first.
func (t *Tx) ListJobs(ctx context.Context, orgID string, f app.JobFilter) ([]app.Job, error) {
	q := `SELECT ` + jobColumns + ` FROM jobs WHERE org_id = ?`
	args := []any{orgID}
	switch f.State {
	case "":
	case "retrying":
		q += ` AND state = 'queued' AND attempts > 0`
	default:
		q += ` AND state = ?`
		args = append(args, f.State)
	}
	if f.Before != "" {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	var out []app.Job
	err := t.each(ctx, "list jobs", q, args, func(r *sql.Rows) error {
		j, err := scanJob(r)
		out = append(out, j)
		return err
	})
	return out, err
}

// GetJob returns one of an organization's jobs.
func (t *Tx) GetJob(ctx context.Context, orgID, id string) (app.Job, error) {
	j, err := scanJob(t.row(ctx, `SELECT `+jobColumns+` FROM jobs WHERE org_id = ? AND id = ?`, orgID, id))
	return j, t.d.classify(err, "job "+id)
}

// RequeueJob queues a dead or waiting job to run now with its attempts reset.
func (t *Tx) RequeueJob(ctx context.Context, orgID, id string) error {
	return t.execOne(ctx, "job "+id,
		`UPDATE jobs SET state = 'queued', run_at = ?, attempts = 0, updated_at = ?
		 WHERE org_id = ? AND id = ? AND state IN ('dead', 'queued')`, t.now, t.now, orgID, id)
}

// DeleteJob removes a job that is not running.
func (t *Tx) DeleteJob(ctx context.Context, orgID, id string) error {
	return t.execOne(ctx, "job "+id, `DELETE FROM jobs WHERE org_id = ? AND id = ? AND state <> 'running'`, orgID, id)
}

// AllOrganizations lists every organization by id.
func (t *Tx) AllOrganizations(ctx context.Context) ([]org.Organization, error) {
	var out []org.Organization
	err := t.each(ctx, "list organizations", `SELECT `+orgColumns+` FROM organizations ORDER BY id`, nil, func(r *sql.Rows) error {
		o, err := scanOrg(r)
		out = append(out, o)
		return err
	})
	return out, err
}

// ClaimOutbox returns undispatched events, oldest first, locked for this transaction.
func (t *Tx) ClaimOutbox(ctx context.Context, limit int) ([]app.OutboxEvent, error) {
	var out []app.OutboxEvent
	err := t.each(ctx, "claim outbox",
		`SELECT id, org_id, event_type, subject_id, payload, created_at FROM outbox
		 WHERE dispatched_at IS NULL ORDER BY id LIMIT ?`+t.d.skipLocked(), []any{limit}, func(r *sql.Rows) error {
			var e app.OutboxEvent
			var payload string
			err := r.Scan(&e.ID, &e.OrgID, &e.Type, &e.SubjectID, &payload, &e.Created)
			if payload != "" {
				e.Payload = []byte(payload)
			}
			e.Created = e.Created.UTC()
			out = append(out, e)
			return err
		})
	return out, err
}

// MarkOutboxDispatched stamps events dispatched now.
func (t *Tx) MarkOutboxDispatched(ctx context.Context, ids []string) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := []any{t.now}
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		if _, err := t.exec(ctx, "mark outbox dispatched",
			`UPDATE outbox SET dispatched_at = ? WHERE id IN (`+placeholders(n)+`)`, args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// PruneOutbox deletes the events dispatched before the moment.
func (t *Tx) PruneOutbox(ctx context.Context, before time.Time) (int, error) {
	return t.affected(ctx, "prune outbox", `DELETE FROM outbox WHERE dispatched_at < ?`, before.UTC())
}
