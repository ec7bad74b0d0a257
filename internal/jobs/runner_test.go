package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/jobs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/pgtest"
	"github.com/okrahq/okra/internal/smtptest"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// lowConfidenceCheckIn makes okra ask its author for a blocker: a
// notification whose e-mail is a job.
func lowConfidenceCheckIn(t *testing.T, e *env) {
	t.Helper()
	k := e.okrs(t)
	v := 4.0
	if _, err := e.a.CheckIn(context.Background(), e.owner, k.ID, app.CheckInInput{Value: &v, Confidence: 0.2, Status: okr.AtRisk}, ""); err != nil {
		t.Fatal(err)
	}
}

func jobsOf(t *testing.T, e *env, kind, state string) []app.Job {
	t.Helper()
	page, err := e.a.ListJobs(context.Background(), e.owner, state, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []app.Job
	for _, j := range page.Items {
		if j.Kind == kind {
			out = append(out, j)
		}
	}
	return out
}

func TestNotificationEmailReachesSMTPServer(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		srv := smtptest.New(t)
		host, port := srv.Addr()
		mailer, err := jobs.NewSMTPMailer(jobs.SMTPConfig{Host: host, Port: port, From: "okra <okra@acme.test>", TLS: jobs.TLSNone})
		if err != nil {
			t.Fatal(err)
		}
		e.runner = jobs.New(jobs.Config{App: e.a, Now: e.clock.Now, Mailer: mailer})
		lowConfidenceCheckIn(t, e)
		e.tick(t)
		// The tick also ran the week's digest: every notification e-mail is
		// sent once, the blocker question among them.
		msgs := srv.Messages()
		done := jobsOf(t, e, app.JobNotificationEmail, "done")
		if len(msgs) == 0 || len(msgs) != len(done) {
			t.Fatalf("the SMTP server received %d messages for %d e-mail jobs", len(msgs), len(done))
		}
		for _, j := range done {
			if j.Result != "sent to owner@acme.test" {
				t.Errorf("e-mail job result %q", j.Result)
			}
		}
		found := 0
		for _, m := range msgs {
			if m.From != "okra@acme.test" || len(m.To) != 1 || m.To[0] != "owner@acme.test" {
				t.Fatalf("envelope from %q to %v", m.From, m.To)
			}
			if m.Subject != `[Acme] What stands in the way of "Ship ten improvements"?` {
				continue
			}
			found++
			text := m.Text
			if !strings.Contains(text, "Hello Olga Owner") || !strings.Contains(text, "https://okra.test/checkin") {
				t.Errorf("body:\n%s", text)
			}
		}
		if found != 1 {
			t.Errorf("%d blocker e-mails among %d messages, want 1", found, len(msgs))
		}
		e.tick(t)
		if n := len(srv.Messages()); n != len(msgs) {
			t.Errorf("%d messages after another tick", n)
		}
	})
}

func TestEmailWithoutSMTPIsSkipped(t *testing.T) {
	c := newClock()
	e := newEnv(t, storetest.SQLite(t, store.Config{Now: c.Now}), c, nil)
	lowConfidenceCheckIn(t, e)
	e.tick(t)
	done := jobsOf(t, e, app.JobNotificationEmail, "done")
	if len(done) == 0 {
		t.Fatal("no e-mail job done")
	}
	for _, j := range done {
		if j.Result != "skipped: no SMTP server configured" {
			t.Errorf("e-mail job result %q", j.Result)
		}
	}
}

func TestSchedulerQueuesEachSlotOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		// Wednesday 2027-01-06 10:00 UTC: the week's slot (Europe/Berlin) began Monday 07:00 CET = 06:00 UTC.
		for range 2 {
			if _, err := e.a.ScheduleJobs(ctx, nil); err != nil {
				t.Fatal(err)
			}
		}
		// A process that remembers the slots it found queued does not queue them again.
		seen := map[string]bool{}
		for i := range 2 {
			if n, err := e.a.ScheduleJobs(ctx, seen); err != nil || n != 0 || len(seen) != 2 {
				t.Fatalf("call %d with memory: queued %d, remembers %d (%v); want 0 and 2", i, n, len(seen), err)
			}
		}
		rem, dig := jobsOf(t, e, app.JobReminders, ""), jobsOf(t, e, app.JobDigest, "")
		if len(rem) != 1 || len(dig) != 1 {
			t.Fatalf("%d reminder scans and %d digests, want 1 and 1", len(rem), len(dig))
		}
		if want := time.Date(2027, 1, 4, 6, 0, 0, 0, time.UTC); !dig[0].RunAt.Equal(want) {
			t.Errorf("digest slot %v, want %v", dig[0].RunAt, want)
		}
		if want := time.Date(2027, 1, 6, 10, 0, 0, 0, time.UTC); !rem[0].RunAt.Equal(want) {
			t.Errorf("reminder slot %v, want %v", rem[0].RunAt, want)
		}
		e.clock.Add(59 * time.Minute)
		e.tick(t)
		e.clock.Add(time.Minute) // 11:00: a new hour
		e.tick(t)
		e.tick(t)
		if rem := jobsOf(t, e, app.JobReminders, ""); len(rem) != 2 || rem[0].State != app.JobDone {
			t.Fatalf("reminder scans after an hour: %+v", rem)
		}
		// Monday 2027-01-11 06:59 Berlin is still last week's slot; 07:00 starts the next.
		e.clock.Add(time.Date(2027, 1, 11, 5, 59, 0, 0, time.UTC).Sub(e.clock.Now()))
		e.tick(t)
		if n := len(jobsOf(t, e, app.JobDigest, "")); n != 1 {
			t.Fatalf("%d digests before Monday 07:00, want 1", n)
		}
		e.clock.Add(time.Minute)
		e.tick(t)
		if n := len(jobsOf(t, e, app.JobDigest, "")); n != 2 {
			t.Fatalf("%d digests after Monday 07:00, want 2", n)
		}
	})
}

func TestWeekSlot(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	for _, c := range []struct{ now, want string }{
		{"2027-01-11T07:00:00-05:00", "2027-01-11T07:00:00-05:00"}, // Monday 07:00
		{"2027-01-11T06:59:59-05:00", "2027-01-04T07:00:00-05:00"}, // just before
		{"2027-01-17T23:00:00-05:00", "2027-01-11T07:00:00-05:00"}, // Sunday night
		{"2027-03-15T08:00:00-04:00", "2027-03-15T07:00:00-04:00"}, // after the DST change
	} {
		now, _ := time.Parse(time.RFC3339, c.now)
		want, _ := time.Parse(time.RFC3339, c.want)
		if got := app.WeekSlot(now, ny); !got.Equal(want) {
			t.Errorf("WeekSlot(%s) = %s, want %s", c.now, got, c.want)
		}
	}
}

// TestTwoRunnersRunEachJobOnce runs two runners ticking concurrently: on
// PostgreSQL two stores (two app servers) on one database, on SQLite two
// runners over one store. Every event reaches the receiver once, and every
// scheduled slot is queued once.
func TestTwoRunnersRunEachJobOnce(t *testing.T) {
	run := func(t *testing.T, e1 *env, a2 *app.App) {
		ctx := context.Background()
		r2 := jobs.New(jobs.Config{App: a2, Now: e1.clock.Now, Worker: "w2"})
		rcv := newReceiver(t)
		e1.allow(t, rcv.URL)
		e1.webhook(t, rcv.URL, "*")
		k := e1.okrs(t)
		for i := range 40 {
			v := float64(i % 10)
			if _, err := e1.a.CheckIn(ctx, e1.owner, k.ID, app.CheckInInput{Value: &v, Confidence: 0.9, Status: okr.OnTrack, Note: fmt.Sprint(i)}, ""); err != nil {
				t.Fatal(err)
			}
		}
		for round := range 3 {
			var wg sync.WaitGroup
			for _, r := range []*jobs.Runner{e1.runner, r2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := r.Tick(ctx); err != nil {
						t.Errorf("round %d: %v", round, err)
					}
				}()
			}
			wg.Wait()
			e1.clock.Add(time.Hour)
		}
		seen := map[string]int{}
		for _, r := range rcv.requests() {
			seen[r.Event.ID]++
		}
		checkIns := 0
		for _, r := range rcv.requests() {
			if seen[r.Event.ID] != 1 {
				t.Errorf("event %s (%s) received %d times", r.Event.ID, r.Event.Type, seen[r.Event.ID])
			}
			if r.Event.Type == "check_in.create" {
				checkIns++
			}
		}
		if checkIns != 41 {
			t.Errorf("%d check-in events received, want 41", checkIns)
		}
		// Three hourly slots, one week: each queued and run once.
		if rem := jobsOf(t, e1, app.JobReminders, "done"); len(rem) != 3 {
			t.Errorf("%d reminder scans done, want 3", len(rem))
		}
		if dig := jobsOf(t, e1, app.JobDigest, "done"); len(dig) != 1 {
			t.Errorf("%d digests done, want 1", len(dig))
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		c := newClock()
		e := newEnv(t, storetest.SQLite(t, store.Config{Now: c.Now}), c, nil)
		run(t, e, e.a)
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.URL(t)
		c := newClock()
		open := func() *store.Store {
			s, err := store.Open(context.Background(), store.Config{DatabaseURL: url, Now: c.Now})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		e := newEnv(t, open(), c, nil)
		a2 := app.New(open(), nil)
		a2.SetJobsConfig(app.JobsConfig{SecretKey: e.key})
		run(t, e, a2)
	})
}

// BenchmarkJobClaimComplete measures how fast a worker claims jobs (16 at a
// time) and marks them done: the job table's own overhead per job.
func BenchmarkJobClaimComplete(b *testing.B) {
	bench := func(b *testing.B, s *store.Store) {
		ctx := context.Background()
		a := app.New(s, nil)
		// b.N ready jobs, queued before the clock starts.
		if err := s.Write(ctx, func(tx app.Tx) error {
			for i := range b.N {
				if _, err := tx.InsertJob(ctx, &app.Job{ID: app.NewID(), Kind: app.JobChat, Payload: []byte(`{}`), RunAt: tx.Now(), MaxAttempts: 3,
					UniqueKey: fmt.Sprint("bench:", i)}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		done := 0
		for done < b.N {
			batch, err := a.ClaimJobs(ctx, "bench", time.Minute, 16)
			if err != nil {
				b.Fatal(err)
			}
			if len(batch) == 0 {
				b.Fatalf("no job left after %d of %d", done, b.N)
			}
			for _, j := range batch {
				if err := a.FinishJob(ctx, j, "bench", "ok"); err != nil {
					b.Fatal(err)
				}
			}
			done += len(batch)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
	}
	b.Run("sqlite", func(b *testing.B) { bench(b, storetest.SQLite(b, store.Config{})) })
	b.Run("postgres", func(b *testing.B) { bench(b, storetest.Postgres(b, store.Config{})) })
}
