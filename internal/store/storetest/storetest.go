// Package storetest opens okra stores for tests: SQLite in a temporary
// directory (always available) and PostgreSQL on a fresh database of the
// server named by OKRA_TEST_DATABASE_URL (see internal/pgtest: skipped
// locally without a server, a failure under CI=true).
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/pgtest"
	"github.com/okrahq/okra/internal/store"
)

// openTimeout bounds opening a store and applying its migrations.
const openTimeout = time.Minute

// SQLite opens a store on SQLite in cfg.DataDir (a new tb.TempDir() when
// empty), with cfg's other settings, and closes it when the test ends. The
// database file is okra.db in that directory.
func SQLite(tb testing.TB, cfg store.Config) *store.Store {
	tb.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = tb.TempDir()
	}
	cfg.DatabaseURL = ""
	return open(tb, cfg)
}

// Postgres opens a store on a new, empty PostgreSQL database (pgtest.URL),
// with cfg's other settings, and closes it when the test ends.
func Postgres(tb testing.TB, cfg store.Config) *store.Store {
	tb.Helper()
	cfg.DataDir, cfg.DatabaseURL = "", pgtest.URL(tb)
	return open(tb, cfg)
}

// Each runs fn twice, as the subtests "sqlite" and "postgres", each on a new
// store of its own opened with cfg (its DataDir and DatabaseURL are set
// here). The postgres subtest is skipped, or fails under CI=true, without a
// server.
func Each(t *testing.T, cfg store.Config, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		c := cfg
		c.DataDir = ""
		fn(t, SQLite(t, c))
	})
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t, cfg)) })
}

func open(tb testing.TB, cfg store.Config) *store.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("storetest: open store: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("storetest: close store: %v", err)
		}
	})
	return s
}
