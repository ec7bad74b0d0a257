// Package jobs runs okra's background work: a scheduler that queues each
// organization's periodic jobs once per slot, a dispatcher that turns
// domain events into webhook deliveries, and workers that claim ready jobs
// from the job table and run them (e-mail, chat messages, webhook
// deliveries, reminder scans, weekly digests), retrying failures with
// exponential backoff until they are dead.
//
// Any number of okra processes may run a Runner on one PostgreSQL database:
// claims skip rows other workers hold, and scheduled jobs carry unique keys,
// so every job runs once. On SQLite one process owns the database.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mathrand "math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/okrahq/okra/internal/app"
)

// Config configures a Runner; zero fields take the defaults.
type Config struct {
	App *app.App
	Log *slog.Logger
	// Mailer sends e-mail; nil completes e-mail jobs as skipped.
	Mailer Mailer
	// Now is the clock of signature timestamps; nil is time.Now. (The
	// database's clock decides when jobs are due.)
	Now func() time.Time
	// Poll is the background loop's interval (default 5 s).
	Poll time.Duration
	// Workers is how many jobs run at once (default 4).
	Workers int
	// Lease is how long a claimed job stays this worker's before another
	// may take it again (default 5 min): longer than any job runs.
	Lease time.Duration
	// HTTPTimeout bounds a webhook or chat request (default 10 s).
	HTTPTimeout time.Duration
	// RetryBase is the first retry's delay, doubled on each further
	// attempt up to RetryMax (defaults 30 s and 6 h), with ±20 % jitter.
	RetryBase, RetryMax time.Duration
	// Worker names this runner in locked_by (default host-pid-random).
	Worker string
}

// Mailer sends a plain-text e-mail.
type Mailer interface {
	Send(ctx context.Context, to, subject, text string) error
}

// Runner schedules, dispatches and runs jobs.
type Runner struct {
	cfg       Config
	mu        sync.Mutex
	lastPrune time.Time
	// scheduled are the slots this runner has queued or found queued.
	scheduled map[string]bool
	stop      context.CancelFunc
	done      chan struct{}
}

// New returns a runner; it does nothing until Tick or Start.
func New(cfg Config) *Runner {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 5 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Minute
	}
	if cfg.HTTPTimeout <= 0 {
		cfg.HTTPTimeout = 10 * time.Second
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 30 * time.Second
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = 6 * time.Hour
	}
	if cfg.Worker == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		cfg.Worker = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	return &Runner{cfg: cfg, scheduled: map[string]bool{}}
}

// Worker is the name this runner locks jobs with.
func (r *Runner) Worker() string { return r.cfg.Worker }

// Tick does one round of everything, until nothing is left to do now: it
// queues the current slots' scheduled jobs, dispatches the pending domain
// events, and runs every ready job (including the ones those jobs queue),
// then prunes old rows at most once an hour. Tests drive a fake clock with
// it; the background loop calls it every Poll.
func (r *Runner) Tick(ctx context.Context) error {
	r.mu.Lock() // one round at a time per runner
	defer r.mu.Unlock()
	if _, err := r.cfg.App.ScheduleJobs(ctx, r.scheduled); err != nil {
		return fmt.Errorf("schedule jobs: %w", err)
	}
	for {
		dispatched, err := r.dispatch(ctx)
		if err != nil {
			return err
		}
		ran, err := r.runReady(ctx)
		if err != nil {
			return err
		}
		if dispatched == 0 && ran == 0 {
			break
		}
	}
	if now := r.cfg.Now(); now.Sub(r.lastPrune) >= time.Hour || now.Before(r.lastPrune) {
		if _, err := r.cfg.App.PruneJobs(ctx); err != nil {
			return fmt.Errorf("prune jobs: %w", err)
		}
		r.lastPrune = now
	}
	return nil
}

// dispatch turns every pending domain event into webhook deliveries.
func (r *Runner) dispatch(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := r.cfg.App.DispatchOutbox(ctx, 200)
		if err != nil {
			return total, fmt.Errorf("dispatch events: %w", err)
		}
		total += n
		if n == 0 {
			return total, nil
		}
	}
}

// runReady claims ready jobs a batch at a time (Workers of them), runs a
// batch concurrently and claims again, until none is ready. It returns how
// many jobs ran.
func (r *Runner) runReady(ctx context.Context) (int, error) {
	total := 0
	for ctx.Err() == nil {
		batch, err := r.cfg.App.ClaimJobs(ctx, r.cfg.Worker, r.cfg.Lease, r.cfg.Workers)
		if err != nil {
			return total, fmt.Errorf("claim jobs: %w", err)
		}
		if len(batch) == 0 {
			return total, nil
		}
		var wg sync.WaitGroup
		for _, j := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// A started job finishes (and is recorded) even when the
				// runner is stopping; its own timeouts bound it.
				r.run(context.WithoutCancel(ctx), j)
			}()
		}
		wg.Wait()
		total += len(batch)
	}
	return total, ctx.Err()
}

// run runs one claimed job and records how it went.
func (r *Runner) run(ctx context.Context, j app.Job) {
	log := r.cfg.Log.With("job", j.ID, "kind", j.Kind, "org", j.OrgID, "attempt", j.Attempts)
	result, err := r.handle(ctx, j)
	if err == nil {
		if ferr := r.cfg.App.FinishJob(ctx, j, r.cfg.Worker, result); ferr != nil {
			log.Warn("job done but not recorded", "err", ferr)
		}
		return
	}
	delay := r.backoff(j.Attempts)
	state, ferr := r.cfg.App.FailJob(ctx, j, r.cfg.Worker, err, delay)
	switch {
	case ferr != nil:
		log.Warn("job failed and the failure was not recorded", "err", err, "record_err", ferr)
	case state == app.JobDead:
		log.Error("job dead after its last attempt", "err", err)
	default:
		log.Info("job failed; will retry", "err", err, "retry_in", delay.Round(time.Second))
	}
}

// backoff is the delay before the attempt after the given one: RetryBase
// doubled per attempt, at most RetryMax, with ±20 % jitter so that jobs that
// failed together do not retry together.
func (r *Runner) backoff(attempt int) time.Duration {
	d := r.cfg.RetryBase
	for i := 1; i < attempt && d < r.cfg.RetryMax; i++ {
		d *= 2
	}
	d = min(d, r.cfg.RetryMax)
	jitter := 0.8 + 0.4*mathrand.Float64()
	return time.Duration(float64(d) * jitter)
}

// Start runs Tick every Poll in the background until Stop (or ctx ends).
func (r *Runner) Start(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	r.stop = cancel
	r.done = make(chan struct{})
	go func() {
		defer close(r.done)
		t := time.NewTicker(r.cfg.Poll)
		defer t.Stop()
		for {
			if err := r.Tick(ctx); err != nil && ctx.Err() == nil {
				r.cfg.Log.Warn("background jobs", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Stop ends the background loop and waits for the running jobs to finish.
func (r *Runner) Stop() {
	if r.stop == nil {
		return
	}
	r.stop()
	<-r.done
	r.stop = nil
}

// errUnknownKind fails a job no handler knows.
var errUnknownKind = errors.New("no handler for this kind of job")
