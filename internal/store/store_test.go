package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// The store acceptance suite: every test that takes a *store.Store through
// runBoth runs on SQLite (always) and on PostgreSQL (through pgtest).

// clock is a test clock: each call returns a moment 1.5 s after the previous
// one, in a time zone east of UTC and with nanoseconds, so that the store's
// conversion to UTC and truncation to microseconds can be seen.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2027, 2, 3, 9, 30, 15, 123456789, time.FixedZone("UTC+5:30", 5*3600+1800))}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(1500*time.Millisecond + 7)
	return c.t
}

// runBoth runs fn as the subtests sqlite and postgres, each on a new store
// whose clock is a test clock.
func runBoth(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	storetest.Each(t, store.Config{Now: newClock().Now}, fn)
}

// write runs fn in a write transaction and fails the test on an error. It
// returns the transaction's moment.
func write(tb testing.TB, s *store.Store, fn func(ctx context.Context, tx app.Tx) error) time.Time {
	tb.Helper()
	ctx := context.Background()
	var now time.Time
	if err := s.Write(ctx, func(tx app.Tx) error {
		now = tx.Now()
		return fn(ctx, tx)
	}); err != nil {
		tb.Fatalf("write: %v", err)
	}
	return now
}

// read runs fn in a read transaction and fails the test on an error.
func read(tb testing.TB, s *store.Store, fn func(ctx context.Context, tx app.Tx) error) {
	tb.Helper()
	ctx := context.Background()
	if err := s.Read(ctx, func(tx app.Tx) error { return fn(ctx, tx) }); err != nil {
		tb.Fatalf("read: %v", err)
	}
}

// attempt runs fn in a write transaction that then tries to commit whatever
// fn did, and returns fn's error: a method that fails must also have changed
// nothing. (On PostgreSQL a failed statement aborts the transaction, and the
// commit then rolls back.)
func attempt(tb testing.TB, s *store.Store, fn func(ctx context.Context, tx app.Tx) error) error {
	tb.Helper()
	ctx := context.Background()
	var got error
	if err := s.Write(ctx, func(tx app.Tx) error {
		got = fn(ctx, tx)
		return nil
	}); err != nil && got == nil {
		tb.Fatalf("commit: %v", err)
	}
	return got
}

// wantKind fails the test unless err is an okra error of kind want.
func wantKind(tb testing.TB, what string, err error, want errs.Kind) {
	tb.Helper()
	if err == nil {
		tb.Errorf("%s: no error, want %s", what, want)
		return
	}
	if got := errs.KindOf(err); got != want {
		tb.Errorf("%s: error %q is %s, want %s", what, err, got, want)
	}
}

// noErr fails the test on an error.
func noErr(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Errorf("unexpected error: %v", err)
	}
}

// exact compares times as instants and also by location: every time the
// store returns must be UTC, as every expected time here is.
var exact = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) && a.Location() == b.Location() })

// same fails the test when got differs from want (times must be equal and both UTC).
func same(tb testing.TB, what string, want, got any, opts ...cmp.Option) {
	tb.Helper()
	if d := cmp.Diff(want, got, append([]cmp.Option{exact}, opts...)...); d != "" {
		tb.Errorf("%s: mismatch (-want +got):\n%s", what, d)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestSchemaParity: after migration both engines have the same tables with
// the same columns, and the same migration version, which is the latest
// migration file of each folder (and the folders have the same versions).
func TestSchemaParity(t *testing.T) {
	ctx := context.Background()
	dirs := map[string][]string{}
	for _, engine := range []string{"sqlite", "postgres"} {
		entries, err := os.ReadDir("migrations/" + engine)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			dirs[engine] = append(dirs[engine], e.Name())
		}
	}
	if len(dirs["sqlite"]) == 0 {
		t.Fatal("no SQLite migrations found")
	}
	same(t, "migration files (-sqlite +postgres)", dirs["sqlite"], dirs["postgres"])
	var latest int64
	last := dirs["sqlite"][len(dirs["sqlite"])-1]
	if _, err := fmt.Sscanf(last, "%d_", &latest); err != nil || latest == 0 {
		t.Fatalf("the version of migration %s: %d, %v", last, latest, err)
	}

	schema := func(t *testing.T, s *store.Store) (map[string][]string, int64) {
		t.Helper()
		tables, err := s.Tables(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for name, cols := range tables {
			tables[name] = sorted(cols) // engines sort by their own collations
		}
		v, err := s.MigrationVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != latest {
			t.Errorf("%s: migration version %d, want %d (the latest file)", s.Engine(), v, latest)
		}
		return tables, v
	}

	lite, liteVersion := schema(t, storetest.SQLite(t, store.Config{}))
	// Not vacuous: the core tables are there, with their columns.
	for _, name := range []string{"organizations", "users", "memberships", "teams", "team_members", "api_tokens", "periods",
		"objectives", "alignments", "key_results", "check_ins", "initiatives", "initiative_key_results", "tasks", "comments",
		"audit_events", "outbox", "idempotency_keys"} {
		if len(lite[name]) < 3 || !slices.Contains(lite[name], "created_at") && !slices.Contains(lite[name], "org_id") {
			t.Errorf("SQLite table %s has columns %v", name, lite[name])
		}
	}
	if cols := lite["key_results"]; !slices.Contains(cols, "forecast_on_track") || !slices.Contains(cols, "org_id") {
		t.Errorf("SQLite key_results columns = %v, want org_id and forecast_on_track among them", cols)
	}

	pg, pgVersion := schema(t, storetest.Postgres(t, store.Config{}))
	same(t, "tables and columns (-sqlite +postgres)", lite, pg)
	if liteVersion != pgVersion {
		t.Errorf("migration version: sqlite %d, postgres %d", liteVersion, pgVersion)
	}
}

// TestTransactions: a transaction's moment comes from the clock, in UTC,
// truncated to microseconds; a write that fails rolls back everything it did
// and runs no after-commit function; a committed one runs them after commit.
func TestTransactions(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := newOrg("tx")

		var committed []string
		err := s.Write(ctx, func(tx app.Tx) error {
			if err := tx.CreateOrganization(ctx, &o); err != nil {
				return err
			}
			tx.AfterCommit(func() { committed = append(committed, "rolled back") })
			if err := tx.CreateOrganization(ctx, &o); err != nil { // the same id again
				return err
			}
			return nil
		})
		wantKind(t, "create the same organization twice", err, errs.Conflict)
		if len(committed) != 0 {
			t.Errorf("after-commit functions of a rolled-back transaction ran: %v", committed)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetOrganization(ctx, o.ID)
			wantKind(t, "organization of a rolled-back transaction", err, errs.NotFound)
			return nil
		})

		boom := errors.New("boom")
		err = s.Write(ctx, func(tx app.Tx) error {
			if err := tx.CreateOrganization(ctx, &o); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("Write returned %v, want fn's error", err)
		}

		var inside []string
		var now time.Time
		if err := s.Write(ctx, func(tx app.Tx) error {
			now = tx.Now()
			tx.AfterCommit(func() {
				// Runs after commit: a new transaction sees the row.
				read(t, s, func(ctx context.Context, tx app.Tx) error {
					got, err := tx.GetOrganization(ctx, o.ID)
					inside = append(inside, got.Slug)
					return err
				})
			})
			if len(inside) != 0 {
				t.Error("after-commit function ran before commit")
			}
			return tx.CreateOrganization(ctx, &o)
		}); err != nil {
			t.Fatal(err)
		}
		same(t, "after-commit reads", []string{o.Slug}, inside)
		if now.Location() != time.UTC || now.Nanosecond()%1000 != 0 || now.Nanosecond() == 0 {
			t.Errorf("transaction moment %v: want UTC, whole microseconds", now)
		}
		if now.Year() != 2027 || now.Month() != 2 || now.Day() != 3 || now.Hour() != 4 {
			t.Errorf("transaction moment %v does not come from the test clock (2027-02-03 04:xx UTC)", now)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetOrganization(ctx, o.ID)
			same(t, "created_at", now, got.Created)
			return err
		})
	})
}
