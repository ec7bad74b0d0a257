// Package store implements okra's store interfaces on SQLite and PostgreSQL
// with one set of hand-written SQL. What truly differs between the engines
// lives in dialect_sqlite.go and dialect_postgres.go; migrations are embedded,
// one folder per engine with the same versions.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
)

//go:embed migrations
var migrations embed.FS

// Config says which database to open.
type Config struct {
	// DataDir holds the SQLite file okra.db when DatabaseURL is empty.
	DataDir string
	// DatabaseURL is a postgres:// URL; empty means SQLite in DataDir.
	DatabaseURL string
	// SynchronousFull makes SQLite fsync on every commit (synchronous=FULL)
	// instead of at checkpoints (NORMAL).
	SynchronousFull bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Store is okra's database: a writer and a pool of readers. On PostgreSQL
// both are the same pool.
type Store struct {
	writer  *sql.DB
	reader  *sql.DB
	dialect dialect
	now     func() time.Time
	// Prepared statements of the writer and the readers (SQLite only).
	writerStmts, readerStmts *stmtCache
	// closePool closes the connection pool under the *sql.DB (PostgreSQL).
	closePool func()
	// commits groups concurrent write transactions into one commit
	// (SQLite, whose one writer would otherwise commit them one by one).
	commits *committer
}

// Open opens (and creates) the database and applies pending migrations.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	var (
		s   *Store
		err error
	)
	if cfg.DatabaseURL != "" {
		s, err = openPostgres(ctx, cfg.DatabaseURL)
	} else {
		s, err = openSQLite(ctx, cfg.DataDir, cfg.SynchronousFull)
	}
	if err != nil {
		return nil, err
	}
	s.now = cfg.Now
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.dialect.name() == "sqlite" {
		s.commits = newCommitter(s)
	}
	return s, nil
}

// Engine names the database engine: "sqlite" or "postgres".
func (s *Store) Engine() string { return s.dialect.name() }

// Close closes the connections.
func (s *Store) Close() error {
	if s.commits != nil {
		s.commits.close()
	}
	var err error
	for _, c := range []*stmtCache{s.writerStmts, s.readerStmts} {
		if c != nil {
			err = errors.Join(err, c.close())
		}
	}
	err = errors.Join(err, s.writer.Close())
	if s.reader != s.writer {
		err = errors.Join(err, s.reader.Close())
	}
	if s.closePool != nil {
		s.closePool()
	}
	return err
}

// Ping reports whether the database answers (on a reader: it does not wait
// behind writes).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.reader.PingContext(ctx); err != nil {
		return errs.Wrap(errs.Unavailable, err, "the database does not answer")
	}
	return nil
}

// Migrate applies the embedded migrations that have not run yet.
func (s *Store) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect.name())
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(s.dialect.goose(), s.writer, sub, s.dialect.gooseOptions()...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate %s: %w", s.dialect.name(), err)
	}
	return s.backfillSlugs(ctx)
}

// MigrationVersion returns the version of the latest applied migration.
func (s *Store) MigrationVersion(ctx context.Context) (int64, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect.name())
	if err != nil {
		return 0, err
	}
	p, err := goose.NewProvider(s.dialect.goose(), s.writer, sub)
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

var _ app.DB = (*Store)(nil)

// Write runs fn in a write transaction and commits when fn returns nil. On
// SQLite, writes that arrive together share one transaction on the one
// writer connection (BEGIN IMMEDIATE), each in its own savepoint, and one
// commit (group commit, groupcommit.go).
func (s *Store) Write(ctx context.Context, fn func(app.Tx) error) error {
	if s.commits != nil {
		return s.commits.write(ctx, func(t *Tx) error { return fn(t) })
	}
	return s.run(ctx, s.writer, false, func(t *Tx) error { return fn(t) })
}

// GroupCommits returns how many group commits SQLite's writer has made and
// how many write transactions they held (0, 0 on PostgreSQL).
func (s *Store) GroupCommits() (groups, writes int64) {
	if s.commits == nil {
		return 0, 0
	}
	return s.commits.stats()
}

// Read runs fn in a read-only transaction on a reader connection.
func (s *Store) Read(ctx context.Context, fn func(app.Tx) error) error {
	return s.run(ctx, s.reader, true, func(t *Tx) error { return fn(t) })
}

func (s *Store) run(ctx context.Context, db *sql.DB, readOnly bool, fn func(*Tx) error) (err error) {
	sqlTx, err := db.BeginTx(ctx, s.dialect.txOptions(readOnly))
	if err != nil {
		return s.dialect.classify(err, "begin transaction")
	}
	tx := &Tx{tx: sqlTx, d: s.dialect, stmts: s.readerStmts, now: s.now().UTC().Truncate(time.Microsecond)}
	if db == s.writer {
		tx.stmts = s.writerStmts
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return s.dialect.classify(err, "commit")
	}
	for _, f := range tx.afterCommit {
		f()
	}
	return nil
}
