// Package pgtest gives a test a fresh, empty PostgreSQL database on a real
// server.
//
// The server is named by the environment variable OKRA_TEST_DATABASE_URL, a
// postgres:// URL whose user may CREATE DATABASE. ./scripts/test starts a
// throwaway server and sets the variable; a developer may also point it at a
// server of their own:
//
//	OKRA_TEST_DATABASE_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' go test ./...
//
// Without the variable, a test that asks for a database is skipped, except
// when CI=true: CI must run the PostgreSQL suite, so there the test fails.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	// Registers the "pgx" database/sql driver.
	_ "github.com/jackc/pgx/v5/stdlib"
)

// Environment variables read by URL.
const (
	// EnvDatabaseURL names a postgres:// URL of a server on which the user may
	// CREATE DATABASE. Each call of URL creates a new database there.
	EnvDatabaseURL = "OKRA_TEST_DATABASE_URL"

	// EnvMarkerDir names a directory into which URL writes MarkerFile when it
	// hands out a database, so that CI can prove the PostgreSQL suite ran.
	EnvMarkerDir = "OKRA_TEST_MARKER_DIR"
)

// MarkerFile is the name of the file written into the directory named by
// EnvMarkerDir once a test has been given a database.
const MarkerFile = "postgres-suite-ran"

// timeout bounds connecting to the server, creating and dropping a database.
const timeout = 30 * time.Second

// URL returns the URL of a new, empty PostgreSQL database created for tb on
// the server named by OKRA_TEST_DATABASE_URL, and registers a cleanup that
// drops the database (WITH (FORCE), so connections the test left open do not
// keep it alive).
//
// Without OKRA_TEST_DATABASE_URL, URL skips the test, or fails it when CI=true.
// It fails the test if the server cannot be reached or the database cannot be
// created.
func URL(tb testing.TB) string {
	tb.Helper()

	serverURL := os.Getenv(EnvDatabaseURL)
	if serverURL == "" {
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			tb.Fatalf("pgtest: %s is not set, but the PostgreSQL suite must run under CI (CI=true): "+
				"run the tests with ./scripts/test, which starts a throwaway PostgreSQL server when its binaries "+
				"are installed (apt-get install postgresql), or set %s to a postgres:// URL of a server "+
				"where the user may CREATE DATABASE", EnvDatabaseURL, EnvDatabaseURL)
		}
		tb.Skipf("pgtest: PostgreSQL suite skipped: %s is not set; run ./scripts/test (it starts a throwaway "+
			"PostgreSQL server), or set %s to a postgres:// URL of a server where the user may CREATE DATABASE, "+
			"e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", EnvDatabaseURL, EnvDatabaseURL)
	}

	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("pgtest: %s must be a postgres:// URL, got %q", EnvDatabaseURL, redact(serverURL))
	}

	name, err := databaseName()
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	if err := exec(serverURL, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("pgtest: create database %s on %s: %v", name, u.Redacted(), err)
	}
	tb.Cleanup(func() {
		if err := exec(serverURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: drop database %s on %s: %v", name, u.Redacted(), err)
		}
	})

	if err := writeMarker(); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}

	dbURL := *u
	dbURL.Path = "/" + name
	dbURL.RawPath = ""
	return dbURL.String()
}

// databaseName returns a new name okra_test_<16 hex digits>: lowercase, so it
// needs no quoting in SQL.
func databaseName() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random database name: %w", err)
	}
	return "okra_test_" + hex.EncodeToString(b), nil
}

// exec runs one statement outside a transaction on the database named by
// serverURL, over a connection of its own.
func exec(serverURL, query string) error {
	db, err := sql.Open("pgx", serverURL)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_, err = db.ExecContext(ctx, query)
	return err
}

// writeMarker creates MarkerFile in the directory named by EnvMarkerDir, if
// that variable is set. Creating it again is harmless, also from parallel test
// processes.
func writeMarker() error {
	dir := os.Getenv(EnvMarkerDir)
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("marker dir %s: %w", dir, err)
	}
	path := filepath.Join(dir, MarkerFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("write marker: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write marker %s: %w", path, err)
	}
	return nil
}

// redact hides the password of a URL that may not parse.
func redact(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparsable URL)"
}
