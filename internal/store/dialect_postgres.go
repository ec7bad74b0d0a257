package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/okrahq/okra/internal/errs"
)

type postgresDialect struct{}

// openPostgres opens a pgx pool; readers and the writer share it, and the
// server's own locking serializes what must be.
func openPostgres(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "the database URL is not valid")
	}
	// Times read back are UTC, not the server process's Local.
	cfg.AfterConnect = func(_ context.Context, conn *pgx.Conn) error {
		conn.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		pool.Close()
		return nil, errs.Wrap(errs.Unavailable, err, "PostgreSQL does not answer")
	}
	// Closing the *sql.DB does not close the pool it wraps.
	return &Store{writer: db, reader: db, dialect: postgresDialect{}, closePool: pool.Close}, nil
}

func (postgresDialect) name() string { return "postgres" }

// rebind turns ? into $1, $2, … outside of string literals.
func (postgresDialect) rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inString := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inString = !inString
			b.WriteByte(c)
		case c == '?' && !inString:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (postgresDialect) classify(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Wrap(errs.NotFound, err, "%s: not found", what)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return errs.Wrap(errs.Conflict, err, "%s: already exists", what)
		case "23503":
			return errs.Wrap(errs.Invalid, err, "%s: refers to something that does not exist", what)
		case "40001", "40P01":
			return errs.Wrap(errs.Conflict, err, "%s: a concurrent change won; try again", what)
		}
		switch pe.Code[:2] {
		case "08", "53", "57":
			return errs.Wrap(errs.Unavailable, err, "%s: the database is unavailable", what)
		}
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return errs.Wrap(errs.Unavailable, err, "%s: the database is unavailable", what)
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return errs.Wrap(errs.Unavailable, err, "%s: the database is unavailable", what)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return errs.Wrap(errs.Unavailable, err, "%s: cancelled", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// lockOrganization takes the organization's advisory lock until the
// transaction ends, across every connection and app server. Without it two
// transactions rolling up under a common parent each compute the parent from
// the other's stale child, and the last to commit wins. Organizations do not
// wait for each other.
func (postgresDialect) lockOrganization(ctx context.Context, tx *sql.Tx, orgID string) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('okra-org:' || $1, 0))`, orgID)
	return err
}

// txOptions: a read sees one snapshot (repeatable read), so that a tree's
// objectives and key results agree with each other.
func (postgresDialect) txOptions(readOnly bool) *sql.TxOptions {
	if readOnly {
		return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	return nil
}

func (postgresDialect) goose() goose.Dialect { return goose.DialectPostgres }

func (postgresDialect) gooseOptions() []goose.ProviderOption {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil
	}
	return []goose.ProviderOption{goose.WithSessionLocker(locker)}
}

func (postgresDialect) tablesQuery() string {
	return `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
}

func (postgresDialect) columnsQuery() string {
	return `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY column_name`
}

func (postgresDialect) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

func (postgresDialect) bulkPragmas(bool) []string { return nil }
