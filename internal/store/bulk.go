package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// maxBulkParams bounds the parameters of one multi-row INSERT (SQLite allows
// 32766, PostgreSQL 65535).
const maxBulkParams = 30000

// maxBulkRows bounds the rows of one multi-row INSERT.
const maxBulkRows = 500

// Bulk runs fn in one write transaction whose Loader inserts many rows per
// statement, for loading large generated data sets (okra bench). It bypasses
// the use cases: the caller writes rows exactly as the store would, with
// times as time.Time, JSON columns as text and the organization's id on
// every tenant row.
func (s *Store) Bulk(ctx context.Context, fn func(*Loader) error) error {
	conn, err := s.writer.Conn(ctx)
	if err != nil {
		return s.dialect.classify(err, "bulk load connection")
	}
	defer conn.Close()
	for _, q := range s.dialect.bulkPragmas(true) {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return s.dialect.classify(err, "bulk load setup")
		}
	}
	defer func() {
		for _, q := range s.dialect.bulkPragmas(false) {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), q)
		}
	}()
	tx, err := conn.BeginTx(ctx, s.dialect.txOptions(false))
	if err != nil {
		return s.dialect.classify(err, "begin bulk load")
	}
	l := &Loader{tx: tx, d: s.dialect, stmts: map[string]*sql.Stmt{}}
	defer func() {
		for _, st := range l.stmts {
			_ = st.Close()
		}
	}()
	if err := fn(l); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.dialect.classify(err, "commit bulk load")
	}
	return nil
}

// Loader inserts rows in bulk inside one transaction (see Store.Bulk).
type Loader struct {
	tx    *sql.Tx
	d     dialect
	stmts map[string]*sql.Stmt
}

// Table returns an inserter of rows into table's columns. Call Flush when
// done: rows are sent in batches.
func (l *Loader) Table(table string, columns ...string) *Inserter {
	per := maxBulkParams / len(columns)
	if per > maxBulkRows {
		per = maxBulkRows
	}
	return &Inserter{l: l, table: table, columns: columns, perStmt: per,
		buf: make([]any, 0, per*len(columns))}
}

// Exec runs one statement in the load's transaction (? placeholders).
func (l *Loader) Exec(ctx context.Context, q string, args ...any) error {
	_, err := l.tx.ExecContext(ctx, l.d.rebind(q), args...)
	return l.d.classify(err, "bulk exec")
}

// Inserter batches the rows of one table (see Loader.Table).
type Inserter struct {
	l       *Loader
	table   string
	columns []string
	perStmt int
	buf     []any
	// Rows counts the rows added.
	Rows int
}

// Add adds one row, its values in the order of the columns.
func (in *Inserter) Add(ctx context.Context, values ...any) error {
	if len(values) != len(in.columns) {
		return fmt.Errorf("bulk insert into %s: %d values for %d columns", in.table, len(values), len(in.columns))
	}
	in.buf = append(in.buf, values...)
	in.Rows++
	if len(in.buf) == in.perStmt*len(in.columns) {
		return in.Flush(ctx)
	}
	return nil
}

// Flush inserts the rows added since the last flush.
func (in *Inserter) Flush(ctx context.Context) error {
	n := len(in.buf) / len(in.columns)
	if n == 0 {
		return nil
	}
	key := fmt.Sprintf("%s|%d|%s", in.table, n, strings.Join(in.columns, ","))
	st, ok := in.l.stmts[key]
	if !ok {
		var b strings.Builder
		b.WriteString("INSERT INTO " + in.table + " (" + strings.Join(in.columns, ", ") + ") VALUES ")
		row := "(" + placeholders(len(in.columns)) + ")"
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
		}
		var err error
		st, err = in.l.tx.Prepare(in.l.d.rebind(b.String()))
		if err != nil {
			return in.l.d.classify(err, "prepare bulk insert into "+in.table)
		}
		in.l.stmts[key] = st
	}
	if _, err := st.ExecContext(ctx, in.buf...); err != nil {
		return in.l.d.classify(err, "bulk insert into "+in.table)
	}
	in.buf = in.buf[:0]
	return nil
}
