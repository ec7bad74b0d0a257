package pgtest_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/pgtest"
)

// open opens the database at dbURL and closes it when the test ends.
func open(tb testing.TB, dbURL string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		tb.Fatalf("open %s: %v", dbURL, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestURL(t *testing.T) {
	dbURL := pgtest.URL(t)
	db := open(t, dbURL)
	ctx := context.Background()

	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatalf("parse %s: %v", dbURL, err)
	}
	var current string
	if err := db.QueryRowContext(ctx, "SELECT current_database()").Scan(&current); err != nil {
		t.Fatalf("current_database: %v", err)
	}
	if want := strings.TrimPrefix(u.Path, "/"); current != want || !strings.HasPrefix(current, "okra_test_") {
		t.Fatalf("connected to database %q, want %q (prefixed okra_test_)", current, want)
	}

	var tables int
	if err := db.QueryRowContext(ctx,
		"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").Scan(&tables); err != nil {
		t.Fatalf("count tables: %v", err)
	}
	if tables != 0 {
		t.Fatalf("new database has %d tables in schema public, want 0", tables)
	}

	if _, err := db.ExecContext(ctx, "CREATE TABLE objective (id bigint PRIMARY KEY, title text NOT NULL)"); err != nil {
		t.Fatalf("create table: %v", err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO objective (id, title) VALUES ($1, $2)", 7, "Ship okra"); err != nil {
		t.Fatalf("insert: %v", err)
	}
	var title string
	if err := db.QueryRowContext(ctx, "SELECT title FROM objective WHERE id = $1", 7).Scan(&title); err != nil {
		t.Fatalf("select: %v", err)
	}
	if title != "Ship okra" {
		t.Fatalf("title = %q, want %q", title, "Ship okra")
	}
}

// TestURLFreshDatabases proves each call gets a database of its own, that the
// marker file is written, and that the database is dropped when its test ends.
func TestURLFreshDatabases(t *testing.T) {
	serverURL := os.Getenv(pgtest.EnvDatabaseURL)
	if serverURL == "" {
		pgtest.URL(t) // skips, or fails under CI
		return
	}
	markerDir := filepath.Join(t.TempDir(), "marker")
	t.Setenv(pgtest.EnvMarkerDir, markerDir)

	var names []string
	t.Run("two databases", func(t *testing.T) {
		first, second := open(t, pgtest.URL(t)), open(t, pgtest.URL(t))
		if _, err := first.Exec("CREATE TABLE only_in_first (id int)"); err != nil {
			t.Fatalf("create table: %v", err)
		}
		var n int
		if err := second.QueryRow(
			"SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_in_first'").Scan(&n); err != nil {
			t.Fatalf("count tables: %v", err)
		}
		if n != 0 {
			t.Fatalf("a table created in one database is seen in the other")
		}
		for _, db := range []*sql.DB{first, second} {
			var name string
			if err := db.QueryRow("SELECT current_database()").Scan(&name); err != nil {
				t.Fatalf("current_database: %v", err)
			}
			names = append(names, name)
		}
		if names[0] == names[1] {
			t.Fatalf("both calls got database %q", names[0])
		}
	})
	if len(names) != 2 {
		t.Fatalf("subtest did not record two databases")
	}

	if _, err := os.Stat(filepath.Join(markerDir, pgtest.MarkerFile)); err != nil {
		t.Errorf("marker file not written: %v", err)
	}

	admin := open(t, serverURL)
	for _, name := range names {
		var exists bool
		if err := admin.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
			t.Fatalf("look up database %s: %v", name, err)
		}
		if exists {
			t.Errorf("database %s still exists after its test ended", name)
		}
	}
}

// fakeTB records how URL stops a test that has no server.
type fakeTB struct {
	testing.TB
	fatal, skip string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatal(args ...any) {
	f.fatal = fmt.Sprint(args...)
	runtime.Goexit()
}

func (f *fakeTB) Skipf(format string, args ...any) {
	f.skip = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Skip(args ...any) {
	f.skip = fmt.Sprint(args...)
	runtime.Goexit()
}

func TestURLWithoutServer(t *testing.T) {
	tests := []struct {
		ci        string
		wantFatal string
		wantSkip  string
	}{
		{ci: "true", wantFatal: "must run under CI"},
		{ci: "", wantSkip: "./scripts/test"},
		{ci: "false", wantSkip: "./scripts/test"},
	}
	for _, tt := range tests {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			t.Setenv(pgtest.EnvDatabaseURL, "")
			t.Setenv("CI", tt.ci)

			fake := &fakeTB{TB: t}
			done := make(chan string)
			go func() {
				var got string
				defer func() { done <- got }()
				got = pgtest.URL(fake)
			}()
			if got := <-done; got != "" {
				t.Fatalf("URL returned %q without a server", got)
			}

			if tt.wantFatal != "" && !strings.Contains(fake.fatal, tt.wantFatal) {
				t.Errorf("fatal message %q does not contain %q (skip: %q)", fake.fatal, tt.wantFatal, fake.skip)
			}
			if tt.wantSkip != "" && !strings.Contains(fake.skip, tt.wantSkip) {
				t.Errorf("skip message %q does not contain %q (fatal: %q)", fake.skip, tt.wantSkip, fake.fatal)
			}
			if tt.wantFatal != "" && fake.skip != "" {
				t.Errorf("skipped under CI=%s: %q", tt.ci, fake.skip)
			}
			if tt.wantSkip != "" && fake.fatal != "" {
				t.Errorf("failed with CI=%s: %q", tt.ci, fake.fatal)
			}
		})
	}
}
