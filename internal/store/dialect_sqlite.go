package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/okrahq/okra/internal/errs"
)

// WALLimit is the size SQLite truncates its write-ahead log back to after a
// checkpoint, so that the WAL stays bounded under a long stream of writes.
const WALLimit = 64 << 20

// MmapSize is how much of the database file every connection reads through
// memory mapping rather than read calls into its own page cache: the
// operating system's page cache is shared by all connections and survives
// the writes that empty a reader's cache. It is address space, not memory
// okra allocates.
const MmapSize = 4 << 30

// WriterCacheKiB is the page cache of the writer connection, which keeps it
// across transactions: the pages a write touches (indexes, the top of the
// alignment tree) stay in memory. Readers keep SQLite's default.
const WriterCacheKiB = 32 << 10

type sqliteDialect struct{}

// openSQLite opens DataDir/okra.db: one writer connection that begins
// immediate transactions, and a pool of query-only readers.
func openSQLite(ctx context.Context, dataDir string, syncFull bool) (*Store, error) {
	if dataDir == "" {
		return nil, errs.E(errs.Invalid, "no data directory: set --data or OKRA_DATA")
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dataDir, err)
	}
	path := filepath.Join(dataDir, "okra.db")
	sync := "NORMAL"
	if syncFull {
		sync = "FULL"
	}
	dsn := func(extra ...string) string {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous("+sync+")")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", WALLimit))
		q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", MmapSize))
		q.Set("_time_format", "sqlite")
		q.Set("_timezone", "UTC") // times read back are UTC, not the server's Local
		for i := 0; i+1 < len(extra); i += 2 {
			q.Add(extra[i], extra[i+1])
		}
		return "file:" + path + "?" + q.Encode()
	}
	writer, err := sql.Open("sqlite", dsn("_txlock", "immediate", "_pragma", fmt.Sprintf("cache_size(%d)", -WriterCacheKiB)))
	if err != nil {
		return nil, err
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	reader, err := sql.Open("sqlite", dsn("_pragma", "query_only(1)"))
	if err != nil {
		writer.Close()
		return nil, err
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	return &Store{writer: writer, reader: reader, dialect: sqliteDialect{},
		writerStmts: newStmtCache(writer), readerStmts: newStmtCache(reader)}, nil
}

func (sqliteDialect) name() string { return "sqlite" }

func (sqliteDialect) rebind(q string) string { return q }

func (sqliteDialect) classify(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Wrap(errs.NotFound, err, "%s: not found", what)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errs.Wrap(errs.Conflict, err, "%s: already exists", what)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errs.Wrap(errs.Invalid, err, "%s: refers to something that does not exist", what)
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_READONLY:
			return errs.Wrap(errs.Unavailable, err, "%s: the database is unavailable", what)
		}
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_CANTOPEN:
			return errs.Wrap(errs.Unavailable, err, "%s: the database is unavailable", what)
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return errs.Wrap(errs.Unavailable, err, "%s: cancelled", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// lockOrganization does nothing: the one writer connection and BEGIN
// IMMEDIATE already run every write transaction one at a time.
func (sqliteDialect) lockOrganization(context.Context, *sql.Tx, string) error { return nil }

// txOptions: a SQLite read transaction already reads one snapshot (WAL), and
// the driver refuses isolation levels.
func (sqliteDialect) txOptions(bool) *sql.TxOptions { return nil }

func (sqliteDialect) goose() goose.Dialect { return goose.DialectSQLite3 }

func (sqliteDialect) gooseOptions() []goose.ProviderOption { return nil }

func (sqliteDialect) tablesQuery() string {
	return `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
}

func (sqliteDialect) columnsQuery() string {
	return `SELECT name FROM pragma_table_info(?) ORDER BY name`
}

func (sqliteDialect) skipLocked() string { return "" }

// A bulk load keeps its pages in a large cache (256 MiB) rather than spilling
// them to the WAL while the transaction is open; the default cache is 2 MiB.
func (sqliteDialect) bulkPragmas(on bool) []string {
	if on {
		return []string{"PRAGMA cache_size = -262144"}
	}
	return []string{"PRAGMA cache_size = -2000"}
}
