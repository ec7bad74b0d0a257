package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/okrahq/okra/internal/errs"
)

// Tx is one transaction. Every method that touches tenant data takes the
// organization's id and filters by it.
type Tx struct {
	tx          *sql.Tx
	d           dialect
	stmts       *stmtCache // nil: the driver caches statements itself
	now         time.Time
	afterCommit []func()
	// detached: the transaction is shared by a group of writes, so no one
	// caller's cancelled context may interrupt a statement (SQLite would
	// roll the whole group back).
	detached bool
}

// stmtCtx is the context a statement runs under.
func (t *Tx) stmtCtx(ctx context.Context) context.Context {
	if t.detached {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// Now is the transaction's one moment: every row it writes carries it.
func (t *Tx) Now() time.Time { return t.now }

// LockOrganization makes this transaction the organization's only writer
// until it ends (on SQLite every write transaction already is).
func (t *Tx) LockOrganization(ctx context.Context, orgID string) error {
	return t.d.classify(t.d.lockOrganization(ctx, t.tx, orgID), "lock organization")
}

// AfterCommit runs f once the transaction has committed.
func (t *Tx) AfterCommit(f func()) { t.afterCommit = append(t.afterCommit, f) }

func (t *Tx) exec(ctx context.Context, what, q string, args ...any) (sql.Result, error) {
	ctx = t.stmtCtx(ctx)
	var res sql.Result
	var err error
	if s := t.stmts.in(ctx, t.tx, q); s != nil {
		res, err = s.ExecContext(ctx, args...)
	} else {
		res, err = t.tx.ExecContext(ctx, t.d.rebind(q), args...)
	}
	if err != nil {
		return nil, t.d.classify(err, what)
	}
	return res, nil
}

// execOne runs an UPDATE or DELETE that must touch exactly one row; none is NotFound.
func (t *Tx) execOne(ctx context.Context, what, q string, args ...any) error {
	res, err := t.exec(ctx, what, q, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return t.d.classify(err, what)
	}
	if n == 0 {
		return errs.NotFoundf("%s: not found", what)
	}
	return nil
}

func (t *Tx) query(ctx context.Context, what, q string, args ...any) (*sql.Rows, error) {
	ctx = t.stmtCtx(ctx)
	var rows *sql.Rows
	var err error
	if s := t.stmts.in(ctx, t.tx, q); s != nil {
		rows, err = s.QueryContext(ctx, args...)
	} else {
		rows, err = t.tx.QueryContext(ctx, t.d.rebind(q), args...)
	}
	if err != nil {
		return nil, t.d.classify(err, what)
	}
	return rows, nil
}

// row runs a query that returns at most one row.
func (t *Tx) row(ctx context.Context, q string, args ...any) *sql.Row {
	ctx = t.stmtCtx(ctx)
	if s := t.stmts.in(ctx, t.tx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.d.rebind(q), args...)
}

// get scans one row; no row is NotFound.
func (t *Tx) get(ctx context.Context, what, q string, args []any, dest ...any) error {
	err := t.row(ctx, q, args...).Scan(dest...)
	if err != nil {
		return t.d.classify(err, what)
	}
	return nil
}

// each runs scan for every row of the query.
func (t *Tx) each(ctx context.Context, what, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := t.query(ctx, what, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return t.d.classify(err, what)
		}
	}
	return t.d.classify(rows.Err(), what)
}

// nullString stores "" as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only okra's own types are stored as JSON
	}
	return string(b)
}

func fromJSON(s string, v any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

func timePtr(nt sql.NullTime) *time.Time {
	if !nt.Valid {
		return nil
	}
	t := nt.Time.UTC()
	return &t
}

func floatPtr(nf sql.NullFloat64) *float64 {
	if !nf.Valid {
		return nil
	}
	f := nf.Float64
	return &f
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	if n == 0 {
		return ""
	}
	b := make([]byte, 0, n*3)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '?')
	}
	return string(b)
}
