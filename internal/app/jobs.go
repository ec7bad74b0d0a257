package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

// JobStore is what the background jobs need from the database.
type JobStore interface {
	WebhookStore

	// InsertJob queues j (state queued, no attempts yet), stamped now; false,
	// and nothing inserted, when j.UniqueKey is set and a job with that key
	// already exists.
	InsertJob(ctx context.Context, j *Job) (bool, error)
	// ClaimJobs takes up to limit ready jobs (queued and due, or running with
	// an expired lease and attempts left) of any organization for worker:
	// each becomes running, locked by worker until lockedUntil, with one more
	// attempt. Concurrent claims never take the same job (SKIP LOCKED on
	// PostgreSQL; SQLite has one writer).
	ClaimJobs(ctx context.Context, worker string, lockedUntil time.Time, limit int) ([]Job, error)
	// BuryAbandonedJobs marks dead the running jobs whose lease expired and
	// that have no attempt left (their worker died on every attempt), with
	// AbandonedJobError, and returns them.
	BuryAbandonedJobs(ctx context.Context) ([]Job, error)
	// FinishJob marks a job of worker done with a result; errs.NotFound when
	// the job is no longer worker's (its lease expired and another took it).
	FinishJob(ctx context.Context, id, worker, result string) error
	// FailJob records a failed attempt of worker's job: queued again after
	// delay, or dead when it has no attempt left. It returns the new state;
	// errs.NotFound when the job is no longer worker's.
	FailJob(ctx context.Context, id, worker, message string, delay time.Duration) (JobState, error)
	// PruneJobs deletes the jobs done before the moment.
	PruneJobs(ctx context.Context, before time.Time) (int, error)
	// ListJobs returns up to f.Limit of orgID's jobs matching f, newest first.
	ListJobs(ctx context.Context, orgID string, f JobFilter) ([]Job, error)
	// GetJob returns one of orgID's jobs; errs.NotFound otherwise.
	GetJob(ctx context.Context, orgID, id string) (Job, error)
	// RequeueJob queues one of orgID's dead or queued jobs to run now with
	// its attempts reset; errs.NotFound when it is not one of those.
	RequeueJob(ctx context.Context, orgID, id string) error
	// DeleteJob removes one of orgID's jobs that is not running; errs.NotFound otherwise.
	DeleteJob(ctx context.Context, orgID, id string) error
	// AllOrganizations lists every organization, for the scheduler.
	AllOrganizations(ctx context.Context) ([]org.Organization, error)

	// ClaimOutbox returns up to limit outbox events not dispatched yet, oldest
	// first, locked against concurrent dispatchers until the transaction ends.
	ClaimOutbox(ctx context.Context, limit int) ([]OutboxEvent, error)
	// MarkOutboxDispatched stamps the events dispatched now.
	MarkOutboxDispatched(ctx context.Context, ids []string) error
	// PruneOutbox deletes the events dispatched before the moment.
	PruneOutbox(ctx context.Context, before time.Time) (int, error)
}

// Job kinds.
const (
	JobNotificationEmail = "notification.email" // payload {"notification_id"}
	JobChat              = "chat.send"          // payload ChatPayload
	JobWebhook           = "webhook.deliver"    // payload {"delivery_id"}
	JobReminders         = "reminders.scan"     // one organization's due reminders
	JobDigest            = "digest.weekly"      // one organization's weekly digests
)

// ChatPayload is a message for a Slack-compatible incoming webhook.
type ChatPayload struct {
	URL  string `json:"url"`
	Text string `json:"text"`
}

// JobState is where a job is in its life.
type JobState string

// Job states. A job that failed and waits for its next attempt is queued
// with attempts > 0 and its last error ("retrying" in the job list).
const (
	JobQueued  JobState = "queued"
	JobRunning JobState = "running"
	JobDone    JobState = "done"
	JobDead    JobState = "dead"
)

// Job is a unit of background work.
type Job struct {
	ID        string          `json:"id"`
	OrgID     string          `json:"-"`
	Kind      string          `json:"kind" doc:"What the job does: notification.email, chat.send, webhook.deliver, reminders.scan or digest.weekly."`
	Payload   json.RawMessage `json:"payload"`
	UniqueKey string          `json:"unique_key,omitempty" doc:"Jobs with a key are queued once per key."` // when set, a second job with the same key is not enqueued
	RunAt     time.Time       `json:"run_at" doc:"When the job runs (next)."`
	// MaxAttempts is how many times the job is tried; 0 takes the kind's default.
	MaxAttempts int `json:"max_attempts"`

	// Set by the store.
	State       JobState   `json:"state" enum:"queued,running,done,dead"`
	Attempts    int        `json:"attempts"`
	LockedBy    string     `json:"locked_by,omitempty" doc:"The worker running the job."`
	LockedUntil *time.Time `json:"locked_until,omitempty" doc:"Another worker takes the job again after this moment."`
	LastError   string     `json:"last_error" doc:"Why the last attempt failed; empty when none did."`
	Result      string     `json:"result" doc:"What the job did, when done (e.g. skipped: no SMTP server configured)."`
	Created     time.Time  `json:"created_at"`
	Updated     time.Time  `json:"updated_at"`
}

// Retrying reports whether the job failed and waits for another attempt.
func (j Job) Retrying() bool { return j.State == JobQueued && j.Attempts > 0 }

// JobFilter selects jobs, newest first.
type JobFilter struct {
	// State: queued, running, done, dead, or retrying (queued after a
	// failure); empty is every state.
	State  string
	Before string // cursor: ids smaller than this
	Limit  int
}

// defaultMaxAttempts is how often a job of each kind is tried.
func defaultMaxAttempts(kind string) int {
	switch kind {
	case JobWebhook:
		return 8
	case JobReminders, JobDigest:
		return 3
	}
	return 5
}

// enqueue queues a job in tx; false when its unique key was already queued.
func enqueue(ctx context.Context, tx Tx, j *Job) (bool, error) {
	if j.ID == "" {
		j.ID = NewID()
	}
	if j.RunAt.IsZero() {
		j.RunAt = tx.Now()
	}
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = defaultMaxAttempts(j.Kind)
	}
	if len(j.Payload) == 0 {
		j.Payload = json.RawMessage(`{}`)
	}
	ok, err := tx.InsertJob(ctx, j)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", j.Kind, err)
	}
	return ok, nil
}

// JobsConfig is what the background work needs from the server's
// configuration.
type JobsConfig struct {
	// SecretKey seals webhook signing secrets (AES-256-GCM, 32 bytes); nil
	// refuses to create webhooks.
	SecretKey []byte
	// PublicURL is the server's address as people reach it, for the links
	// in e-mails and chat messages (e.g. https://okra.example.com).
	PublicURL string
	// Resolver resolves webhook hosts at registration; nil is the system's.
	Resolver *net.Resolver
}

// SetJobsConfig sets the secret key and public URL.
func (a *App) SetJobsConfig(c JobsConfig) { a.jobs = c }

// PublicURL is the server's public address without a trailing slash; empty
// when not configured.
func (a *App) PublicURL() string { return a.jobs.PublicURL }

// ScheduleJobs enqueues, for every organization, the scheduled jobs of the
// current slots: reminders.scan once per hour and digest.weekly once per
// week (the week's slot starts Monday 07:00 in the organization's time
// zone). Unique keys make every process's scheduler enqueue each slot once.
// seen remembers the slots a process has already queued or found queued:
// when every current slot is in it, ScheduleJobs only reads (no write
// transaction); nil remembers nothing. It returns how many jobs were queued.
func (a *App) ScheduleJobs(ctx context.Context, seen map[string]bool) (int, error) {
	var due []*Job
	err := a.db.Read(ctx, func(tx Tx) error {
		orgs, err := tx.AllOrganizations(ctx)
		if err != nil {
			return err
		}
		now := tx.Now()
		hour := now.Truncate(time.Hour)
		for _, o := range orgs {
			week := WeekSlot(now, o.Location())
			for _, j := range []*Job{
				{OrgID: o.ID, Kind: JobReminders, RunAt: hour,
					UniqueKey: JobReminders + ":" + o.ID + ":" + hour.UTC().Format("2006-01-02T15")},
				{OrgID: o.ID, Kind: JobDigest, RunAt: week,
					UniqueKey: JobDigest + ":" + o.ID + ":" + week.Format("2006-01-02")},
			} {
				if !seen[j.UniqueKey] {
					due = append(due, j)
				}
			}
		}
		return nil
	})
	if err != nil || len(due) == 0 {
		return 0, err
	}
	n := 0
	err = a.db.Write(ctx, func(tx Tx) error {
		n = 0
		for _, j := range due {
			ok, err := enqueue(ctx, tx, j)
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		return nil
	})
	if err == nil && seen != nil {
		if len(seen) > 100_000 { // a long-running process forgets old slots
			clear(seen)
		}
		for _, j := range due {
			seen[j.UniqueKey] = true
		}
	}
	return n, err
}

// WeekSlot is the start of the weekly slot now falls in: the latest Monday
// 07:00 in loc at or before now.
func WeekSlot(now time.Time, loc *time.Location) time.Time {
	t := now.In(loc)
	days := (int(t.Weekday()) + 6) % 7 // days since Monday
	slot := time.Date(t.Year(), t.Month(), t.Day()-days, 7, 0, 0, 0, loc)
	if slot.After(t) {
		slot = slot.AddDate(0, 0, -7)
	}
	return slot
}

// AbandonedJobError is the last error of a job whose worker stopped before
// it finished, on every attempt.
const AbandonedJobError = "the worker running it stopped before it finished, on every attempt (lease expired)"

// ClaimJobs buries the jobs whose worker died on every attempt, then takes
// up to limit ready jobs for worker with a lease of the given length.
func (a *App) ClaimJobs(ctx context.Context, worker string, lease time.Duration, limit int) ([]Job, error) {
	var jobs []Job
	err := a.db.Write(ctx, func(tx Tx) error {
		buried, err := tx.BuryAbandonedJobs(ctx)
		if err != nil {
			return err
		}
		// A buried delivery failed: its log says so rather than "pending".
		for _, j := range buried {
			var p struct {
				DeliveryID string `json:"delivery_id"`
			}
			if j.Kind != JobWebhook || json.Unmarshal(j.Payload, &p) != nil || p.DeliveryID == "" {
				continue
			}
			err := tx.RecordDeliveryAttempt(ctx, j.OrgID, p.DeliveryID, DeliveryFailed, 0, AbandonedJobError)
			if err != nil && !errs.Is(err, errs.NotFound) {
				return err
			}
		}
		jobs, err = tx.ClaimJobs(ctx, worker, tx.Now().Add(lease), limit)
		return err
	})
	return jobs, err
}

// FinishJob records that worker did the job; result says what it did.
func (a *App) FinishJob(ctx context.Context, j Job, worker, result string) error {
	return a.db.Write(ctx, func(tx Tx) error { return tx.FinishJob(ctx, j.ID, worker, result) })
}

// FailJob records a failed attempt: the job runs again after delay, or is
// dead when it has no attempt left (the returned state says which).
func (a *App) FailJob(ctx context.Context, j Job, worker string, cause error, delay time.Duration) (JobState, error) {
	var state JobState
	msg := ClipText(cause.Error(), 2000)
	err := a.db.Write(ctx, func(tx Tx) error {
		var err error
		state, err = tx.FailJob(ctx, j.ID, worker, msg, delay)
		return err
	})
	return state, err
}

// ClipText makes s valid UTF-8 (a receiver's reply may be any bytes, and
// PostgreSQL refuses invalid text) and cuts it to at most n bytes on a
// character boundary, ending with "…" when cut.
func ClipText(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// jobRetention is how long done jobs and dispatched outbox events are kept.
const jobRetention = 14 * 24 * time.Hour

// PruneJobs forgets the jobs done and the events dispatched more than two
// weeks ago, and the webhook deliveries older than their retention.
func (a *App) PruneJobs(ctx context.Context) (int, error) {
	n := 0
	err := a.db.Write(ctx, func(tx Tx) error {
		now := tx.Now()
		jobs, err := tx.PruneJobs(ctx, now.Add(-jobRetention))
		if err != nil {
			return err
		}
		events, err := tx.PruneOutbox(ctx, now.Add(-jobRetention))
		if err != nil {
			return err
		}
		deliveries, err := tx.PruneDeliveries(ctx, now.Add(-deliveryRetention))
		n = jobs + events + deliveries
		return err
	})
	return n, err
}

// ListJobs lists the organization's jobs (admins), newest first; state
// filters: queued, running, done, dead, or retrying.
func (a *App) ListJobs(ctx context.Context, actor org.Actor, state string, p PageRequest) (Page[Job], error) {
	switch state {
	case "", string(JobQueued), string(JobRunning), string(JobDone), string(JobDead), "retrying":
	default:
		var f errs.Fields
		f.Add("state", "is not a job state; use queued, running, done, dead or retrying")
		return Page[Job]{}, f.Err()
	}
	if err := requireAdmin(actor); err != nil {
		return Page[Job]{}, err
	}
	return readPage(ctx, a, actor, p, func(j Job) string { return j.ID },
		func(tx Tx, before string, limit int) ([]Job, error) {
			return tx.ListJobs(ctx, actor.OrgID, JobFilter{State: state, Before: before, Limit: limit})
		}, nil)
}

// GetJob returns one of the organization's jobs (admins).
func (a *App) GetJob(ctx context.Context, actor org.Actor, id string) (Job, error) {
	var j Job
	if err := requireAdmin(actor); err != nil {
		return j, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		j, err = tx.GetJob(ctx, actor.OrgID, id)
		return err
	})
	return j, err
}

// RetryJob queues a dead (or waiting) job of the organization to run now
// with a fresh set of attempts (admins).
func (a *App) RetryJob(ctx context.Context, actor org.Actor, id string) (Job, error) {
	var j Job
	if err := requireAdmin(actor); err != nil {
		return j, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetJob(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if before.State != JobDead && before.State != JobQueued {
			return errs.E(errs.Conflict, "the job is %s; only a dead or waiting job can be retried", before.State)
		}
		if err := tx.RequeueJob(ctx, actor.OrgID, id); err != nil {
			return err
		}
		if j, err = tx.GetJob(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "job.retry", "job", id, before, j)
	})
	return j, err
}

// DiscardJob deletes a job of the organization that is not running (admins):
// a dead job nobody wants retried, or a waiting one to give up on.
func (a *App) DiscardJob(ctx context.Context, actor org.Actor, id string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetJob(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if before.State == JobRunning {
			return errs.E(errs.Conflict, "the job is running; wait for it to finish or fail")
		}
		if err := tx.DeleteJob(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "job.discard", "job", id, before, nil)
	})
}
