package load

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/okrahq/okra/internal/store"
)

// Ceiling is a running bare server: the least work a request of its kind can
// do on this machine, to which okra's own figures are compared.
type Ceiling struct {
	// Name labels its result: "json", "sqlite-insert", "sqlite-select",
	// "postgres-insert" or "postgres-select".
	Name string
	// URL is the server's base URL, http://127.0.0.1:port.
	URL string
	// Request builds the requests that exercise it (for a select, the i-th
	// request reads row i modulo the number of rows).
	Request RequestFunc

	db    *sql.DB // the database that Rows counts in, if any
	table string
	stop  []func() error // run in reverse order by Close
}

// Close stops the server, drops the scratch table (PostgreSQL) and closes the
// database. It returns the first error met.
func (c *Ceiling) Close() error {
	var first error
	for i := len(c.stop) - 1; i >= 0; i-- {
		if err := c.stop[i](); err != nil && first == nil {
			first = err
		}
	}
	c.stop = nil
	return first
}

// Rows returns the number of rows in the ceiling's table: for an insert
// ceiling, the number of inserts that succeeded. It fails for a ceiling
// without a table.
func (c *Ceiling) Rows(ctx context.Context) (int64, error) {
	if c.db == nil {
		return 0, fmt.Errorf("%s: no table", c.Name)
	}
	var n int64
	err := c.db.QueryRowContext(ctx, "SELECT count(*) FROM "+c.table).Scan(&n)
	return n, err
}

// serve starts h on 127.0.0.1:0 and adds its shutdown to c.
func (c *Ceiling) serve(h http.Handler) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("%s: listen: %w", c.Name, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	c.URL = "http://" + ln.Addr().String()
	c.stop = append(c.stop, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(ctx)
	})
	return nil
}

// fail closes what c has started and returns err.
func (c *Ceiling) fail(err error) (*Ceiling, error) {
	c.Close()
	return nil, err
}

var jsonBody = []byte(`{"id":"0f6c2c1e-6a4b-4d5e-9b1a-3c2d1e0f9a8b","title":"Ship the benchmark","progress":0.42}` + "\n")

// StartJSON starts a bare net/http handler that answers every request with a
// small constant JSON object.
func StartJSON() (*Ceiling, error) {
	c := &Ceiling{Name: "json"}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(jsonBody)))
		w.Write(jsonBody)
	})
	if err := c.serve(h); err != nil {
		return c.fail(err)
	}
	c.Request = Get(c.URL + "/")
	return c, nil
}

// The scratch table: about the size of a check-in row.
const (
	sqliteTable = `CREATE TABLE IF NOT EXISTS %s (id INTEGER PRIMARY KEY, key_result TEXT NOT NULL,
		value REAL NOT NULL, note TEXT NOT NULL, created_at TIMESTAMP NOT NULL)`
	postgresTable = `CREATE TABLE %s (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key_result TEXT NOT NULL,
		value DOUBLE PRECISION NOT NULL, note TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)`
	insertRow = `INSERT INTO %s (key_result, value, note, created_at) VALUES (%s, %s, %s, %s)`
	selectRow = `SELECT id, key_result, value, note, created_at FROM %s WHERE id = %s`
)

// sqliteDSN is okra's own SQLite connection string (internal/store): WAL,
// synchronous=NORMAL, the same busy timeout and WAL size limit, UTC times.
func sqliteDSN(path string, extra ...string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", store.WALLimit))
	q.Set("_time_format", "sqlite")
	q.Set("_timezone", "UTC")
	for i := 0; i+1 < len(extra); i += 2 {
		q.Add(extra[i], extra[i+1])
	}
	return "file:" + path + "?" + q.Encode()
}

// openSQLiteWriter opens dir/name.db with okra's single writer connection and
// creates the scratch table.
func (c *Ceiling) openSQLiteWriter(ctx context.Context, path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", sqliteDSN(path, "_txlock", "immediate"))
	if err != nil {
		return nil, err
	}
	c.stop = append(c.stop, db.Close)
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if _, err := db.ExecContext(ctx, fmt.Sprintf(sqliteTable, "bench_rows")); err != nil {
		return nil, fmt.Errorf("%s: create table in %s: %w", c.Name, path, err)
	}
	return db, nil
}

func sqlitePath(dir, name string) (string, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	path := filepath.Join(dir, name+".db")
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
	}
	return path, nil
}

// StartSQLiteInsert starts a bare handler that inserts one row per request
// into a fresh SQLite database dir/sqlite-insert.db, opened as okra opens its
// own: WAL, synchronous=NORMAL, busy_timeout, one writer connection. Each
// insert is its own autocommit transaction.
func StartSQLiteInsert(ctx context.Context, dir string) (*Ceiling, error) {
	c := &Ceiling{Name: "sqlite-insert", table: "bench_rows"}
	path, err := sqlitePath(dir, c.Name)
	if err != nil {
		return c.fail(err)
	}
	db, err := c.openSQLiteWriter(ctx, path)
	if err != nil {
		return c.fail(err)
	}
	c.db = db
	if err := c.startInsert(ctx, db, fmt.Sprintf(insertRow, c.table, "?", "?", "?", "?")); err != nil {
		return c.fail(err)
	}
	return c, nil
}

// StartSQLiteSelect starts a bare handler that selects one row by primary key
// per request, on a pool of query-only readers the size of okra's, from a
// fresh SQLite database dir/sqlite-select.db holding rows rows.
func StartSQLiteSelect(ctx context.Context, dir string, rows int) (*Ceiling, error) {
	c := &Ceiling{Name: "sqlite-select", table: "bench_rows"}
	path, err := sqlitePath(dir, c.Name)
	if err != nil {
		return c.fail(err)
	}
	writer, err := c.openSQLiteWriter(ctx, path)
	if err != nil {
		return c.fail(err)
	}
	if err := seed(ctx, writer, fmt.Sprintf(insertRow, c.table, "?", "?", "?", "?"), rows); err != nil {
		return c.fail(fmt.Errorf("%s: %w", c.Name, err))
	}
	reader, err := sql.Open("sqlite", sqliteDSN(path, "_pragma", "query_only(1)"))
	if err != nil {
		return c.fail(err)
	}
	c.stop = append(c.stop, reader.Close)
	n := max(4, runtime.GOMAXPROCS(0)*2)
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	c.db = reader
	if err := c.startSelect(ctx, reader, fmt.Sprintf(selectRow, c.table, "?"), rows); err != nil {
		return c.fail(err)
	}
	return c, nil
}

// StartPostgresInsert starts a bare handler that inserts one row per request
// into a scratch table (created now, dropped by Close) on the PostgreSQL
// server at databaseURL, through a pgx pool as okra's store opens it.
func StartPostgresInsert(ctx context.Context, databaseURL string) (*Ceiling, error) {
	c := &Ceiling{Name: "postgres-insert"}
	db, err := c.openPostgres(ctx, databaseURL)
	if err != nil {
		return c.fail(err)
	}
	if err := c.startInsert(ctx, db, fmt.Sprintf(insertRow, c.table, "$1", "$2", "$3", "$4")); err != nil {
		return c.fail(err)
	}
	return c, nil
}

// StartPostgresSelect starts a bare handler that selects one row by primary
// key per request from a scratch table of rows rows (created now, dropped by
// Close) on the PostgreSQL server at databaseURL.
func StartPostgresSelect(ctx context.Context, databaseURL string, rows int) (*Ceiling, error) {
	c := &Ceiling{Name: "postgres-select"}
	db, err := c.openPostgres(ctx, databaseURL)
	if err != nil {
		return c.fail(err)
	}
	if err := seed(ctx, db, fmt.Sprintf(insertRow, c.table, "$1", "$2", "$3", "$4"), rows); err != nil {
		return c.fail(fmt.Errorf("%s: %w", c.Name, err))
	}
	if _, err := db.ExecContext(ctx, "ANALYZE "+c.table); err != nil {
		return c.fail(fmt.Errorf("%s: analyze: %w", c.Name, err))
	}
	if err := c.startSelect(ctx, db, fmt.Sprintf(selectRow, c.table, "$1"), rows); err != nil {
		return c.fail(err)
	}
	return c, nil
}

// openPostgres connects as okra's store does (a pgx pool behind
// database/sql) and creates a uniquely named scratch table that Close drops.
func (c *Ceiling) openPostgres(ctx context.Context, databaseURL string) (*sql.DB, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("%s: the database URL is not valid: %w", c.Name, err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: connect to PostgreSQL: %w", c.Name, err)
	}
	c.stop = append(c.stop, func() error { pool.Close(); return nil })
	db := stdlib.OpenDBFromPool(pool)
	c.stop = append(c.stop, db.Close)
	var b [6]byte
	rand.Read(b[:])
	table := "okra_bench_" + hex.EncodeToString(b[:])
	if _, err := db.ExecContext(ctx, fmt.Sprintf(postgresTable, table)); err != nil {
		return nil, fmt.Errorf("%s: create table: %w", c.Name, err)
	}
	c.stop = append(c.stop, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+table)
		return err
	})
	c.db, c.table = db, table
	return db, nil
}

// rowArgs are the values of the i-th row.
func rowArgs(i int, now time.Time) []any {
	return []any{"kr-" + strconv.Itoa(i%1000), float64(i%100) + 0.5, "on track, blocked on review", now.UTC()}
}

// seed inserts rows rows in one transaction.
func seed(ctx context.Context, db *sql.DB, insert string, rows int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, insert)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	now := time.Now()
	for i := range rows {
		if _, err := st.ExecContext(ctx, rowArgs(i, now)...); err != nil {
			return fmt.Errorf("seed row %d: %w", i, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// startInsert serves POST /rows: one insert, 201 and a small JSON.
func (c *Ceiling) startInsert(ctx context.Context, db *sql.DB, insert string) error {
	st, err := db.PrepareContext(ctx, insert)
	if err != nil {
		return fmt.Errorf("%s: prepare: %w", c.Name, err)
	}
	c.stop = append(c.stop, st.Close)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if _, err := st.ExecContext(r.Context(), rowArgs(0, time.Now())...); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"ok":true}` + "\n"))
	})
	if err := c.serve(h); err != nil {
		return err
	}
	c.Request = Post(c.URL+"/rows", func(int) []byte { return []byte(`{"value":42.5,"note":"on track"}`) })
	return nil
}

type row struct {
	ID        int64     `json:"id"`
	KeyResult string    `json:"key_result"`
	Value     float64   `json:"value"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// startSelect serves GET /rows/{id}: one primary-key select, the row as JSON.
func (c *Ceiling) startSelect(ctx context.Context, db *sql.DB, query string, rows int) error {
	if rows < 1 {
		return fmt.Errorf("%s: no rows to select", c.Name)
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return fmt.Errorf("%s: prepare: %w", c.Name, err)
	}
	c.stop = append(c.stop, st.Close)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /rows/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		var x row
		err = st.QueryRowContext(r.Context(), id).Scan(&x.ID, &x.KeyResult, &x.Value, &x.Note, &x.CreatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(x)
	})
	if err := c.serve(mux); err != nil {
		return err
	}
	base := c.URL + "/rows/"
	c.Request = func(i int) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, base+strconv.Itoa(i%rows+1), nil)
	}
	return nil
}
