package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
)

// The organization backup reads and writes rows generically: a table's
// columns and their types come from the database itself, so that a column
// a migration adds is in the next backup with no change here.

// colKind is how a column's values are written in a backup.
type colKind int

const (
	kindText colKind = iota
	kindInt
	kindReal
	kindBool
	kindTime
)

// column is one column of a table, as the database describes it.
type column struct {
	name    string
	kind    colKind
	notNull bool
}

// kindOfType maps a declared type (SQLite) or data type (PostgreSQL) to a kind.
func kindOfType(typ string) (colKind, bool) {
	switch strings.ToLower(typ) {
	case "text", "character varying", "varchar":
		return kindText, true
	case "integer", "int", "bigint", "smallint":
		return kindInt, true
	case "real", "double precision", "double":
		return kindReal, true
	case "boolean":
		return kindBool, true
	case "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone":
		return kindTime, true
	}
	return 0, false
}

// columnsOf returns a table's columns in their declared order.
func (t *Tx) columnsOf(ctx context.Context, table string) ([]column, error) {
	q := `SELECT name, type, "notnull" <> 0 FROM pragma_table_info(?) ORDER BY cid`
	if t.d.name() == "postgres" {
		q = `SELECT column_name, data_type, is_nullable = 'NO' FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`
	}
	var cols []column
	err := t.each(ctx, "columns of "+table, q, []any{table}, func(r *sql.Rows) error {
		var (
			c   column
			typ string
		)
		if err := r.Scan(&c.name, &typ, &c.notNull); err != nil {
			return err
		}
		k, ok := kindOfType(typ)
		if !ok {
			return fmt.Errorf("column %s.%s has type %s, which backups do not know", table, c.name, typ)
		}
		c.kind = k
		cols = append(cols, c)
		return nil
	})
	if err == nil && len(cols) == 0 {
		err = fmt.Errorf("the database has no table %s", table)
	}
	return cols, err
}

// backupColumns are the columns of t a backup holds: all but org_id and t.Omit.
func (t *Tx) backupColumns(ctx context.Context, tb app.OrgTable) (keep []column, omitted []column, err error) {
	cols, err := t.columnsOf(ctx, tb.Name)
	if err != nil {
		return nil, nil, err
	}
	hasOrg := false
	for _, c := range cols {
		switch {
		case c.name == "org_id":
			hasOrg = true
		case slices.Contains(tb.Omit, c.name):
			omitted = append(omitted, c)
		default:
			keep = append(keep, c)
		}
	}
	if !hasOrg && !tb.Members {
		return nil, nil, fmt.Errorf("table %s has no org_id column", tb.Name)
	}
	return keep, omitted, nil
}

// quote quotes an identifier the same way on both engines.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

// SchemaVersion returns the version of the latest migration applied.
func (t *Tx) SchemaVersion(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	err := t.get(ctx, "schema version", `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied = ?`, []any{true}, &v)
	return v.Int64, err
}

// DumpRows returns an organization's rows of a table in key order (see app.OrgDumpStore).
func (t *Tx) DumpRows(ctx context.Context, orgID string, tb app.OrgTable) ([]app.OrgRow, error) {
	cols, _, err := t.backupColumns(ctx, tb)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	where := `WHERE org_id = ?`
	if tb.Members {
		where = `WHERE id IN (SELECT user_id FROM memberships WHERE org_id = ?)`
	}
	q := `SELECT ` + quoteAll(names) + ` FROM ` + quote(tb.Name) + ` ` + where + ` ORDER BY ` + quoteAll(tb.OrderBy())
	var out []app.OrgRow
	dest := make([]any, len(cols))
	for i, c := range cols {
		switch c.kind {
		case kindText:
			dest[i] = new(sql.NullString)
		case kindInt:
			dest[i] = new(sql.NullInt64)
		case kindReal:
			dest[i] = new(sql.NullFloat64)
		case kindBool:
			dest[i] = new(sql.NullBool)
		case kindTime:
			dest[i] = new(sql.NullTime)
		}
	}
	err = t.each(ctx, "dump "+tb.Name, q, []any{orgID}, func(r *sql.Rows) error {
		if err := r.Scan(dest...); err != nil {
			return err
		}
		row := make(app.OrgRow, len(cols))
		for i, c := range cols {
			var v any
			switch d := dest[i].(type) {
			case *sql.NullString:
				if d.Valid {
					v = d.String
				}
			case *sql.NullInt64:
				if d.Valid {
					v = d.Int64
				}
			case *sql.NullFloat64:
				if d.Valid {
					v = d.Float64
				}
			case *sql.NullBool:
				if d.Valid {
					v = d.Bool
				}
			case *sql.NullTime:
				if d.Valid {
					v = d.Time.UTC().Format(time.RFC3339Nano)
				}
			}
			row[c.name] = v
		}
		out = append(out, row)
		return nil
	})
	return out, err
}

// maxRowErrors bounds the field errors one import reports.
const maxRowErrors = 50

// InsertRows inserts rows of a backup into a table (see app.OrgDumpStore).
func (t *Tx) InsertRows(ctx context.Context, orgID string, tb app.OrgTable, rows []app.OrgRow, at []int) error {
	cols, omitted, err := t.backupColumns(ctx, tb)
	if err != nil {
		return err
	}
	pos := func(k int) string {
		i := k
		if at != nil {
			i = at[k]
		}
		return fmt.Sprintf("tables.%s[%d]", tb.Name, i)
	}
	known := make(map[string]bool, len(cols))
	names := make([]string, 0, len(cols)+len(omitted)+1)
	if !tb.Members {
		names = append(names, "org_id")
	}
	for _, c := range cols {
		known[c.name] = true
		names = append(names, c.name)
	}
	for _, c := range omitted {
		names = append(names, c.name)
	}
	q := `INSERT INTO ` + quote(tb.Name) + ` (` + quoteAll(names) + `) VALUES (` + placeholders(len(names)) + `)`

	// Check every row before writing any.
	var f errs.Fields
	args := make([][]any, len(rows))
	for k, r := range rows {
		a := make([]any, 0, len(names))
		if !tb.Members {
			a = append(a, orgID)
		}
		for _, c := range cols {
			v, ok := r[c.name]
			if !ok {
				f.Add(pos(k)+"."+c.name, "is missing")
				continue
			}
			dv, msg := fromBackup(c, v)
			if msg != "" {
				f.Add(pos(k)+"."+c.name, "%s", msg)
			}
			a = append(a, dv)
		}
		for _, c := range omitted {
			a = append(a, emptyValue(c))
		}
		var unknown []string
		for name := range r {
			if !known[name] {
				unknown = append(unknown, name)
			}
		}
		slices.Sort(unknown)
		for _, name := range unknown {
			if slices.ContainsFunc(omitted, func(c column) bool { return c.name == name }) {
				f.Add(pos(k)+"."+name, "is never part of a backup; remove it")
			} else {
				f.Add(pos(k)+"."+name, "is not a column of %s in this okra's schema", tb.Name)
			}
		}
		if len(f) >= maxRowErrors {
			break
		}
		args[k] = a
	}
	if err := f.Err(); err != nil {
		return err
	}
	for k, a := range args {
		if _, err := t.exec(ctx, "insert into "+tb.Name, q, a...); err != nil {
			var msg string
			switch errs.KindOf(err) {
			case errs.Invalid:
				msg = "refers to a row that is neither in the backup nor in the organization"
			case errs.Conflict:
				msg = "has a key or a unique value that another row already has"
			default:
				return err
			}
			return &errs.Error{Kind: errs.KindOf(err), Message: "a row of the backup does not fit",
				Fields: []errs.FieldError{{Field: pos(k), Message: msg}}, Err: err}
		}
	}
	return nil
}

// fromBackup converts a document's value to the column's type; msg says
// what is wrong with it.
func fromBackup(c column, v any) (out any, msg string) {
	if v == nil {
		if c.notNull {
			return nil, "must not be null"
		}
		return nil, ""
	}
	switch c.kind {
	case kindText:
		if s, ok := v.(string); ok {
			return s, ""
		}
		return nil, "must be a string"
	case kindInt:
		switch n := v.(type) {
		case int64:
			return n, ""
		case int:
			return int64(n), ""
		case float64:
			if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
				return int64(n), ""
			}
		case json.Number:
			if i, err := n.Int64(); err == nil {
				return i, ""
			}
		}
		return nil, "must be a whole number"
	case kindReal:
		switch n := v.(type) {
		case float64:
			return n, ""
		case int64:
			return float64(n), ""
		case int:
			return float64(n), ""
		case json.Number:
			if x, err := n.Float64(); err == nil {
				return x, ""
			}
		}
		return nil, "must be a number"
	case kindBool:
		if b, ok := v.(bool); ok {
			return b, ""
		}
		return nil, "must be true or false"
	case kindTime:
		if s, ok := v.(string); ok {
			if ts, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return ts.UTC(), ""
			}
		}
		return nil, "must be a time like 2026-05-20T14:00:00.123456Z"
	}
	return nil, "has a type backups do not know"
}

// emptyValue is what an import writes into a column the backup leaves out.
func emptyValue(c column) any {
	if !c.notNull {
		return nil
	}
	switch c.kind {
	case kindInt:
		return int64(0)
	case kindReal:
		return 0.0
	case kindBool:
		return false
	case kindTime:
		return time.Time{}
	}
	return ""
}

// CountRows counts an organization's rows of a table.
func (t *Tx) CountRows(ctx context.Context, orgID string, tb app.OrgTable) (int, error) {
	table := tb.Name
	if tb.Members {
		table = "memberships"
	}
	var n int
	err := t.get(ctx, "count "+table, `SELECT COUNT(*) FROM `+quote(table)+` WHERE org_id = ?`, []any{orgID}, &n)
	return n, err
}

// UpdateOrganizationTimeZone sets an organization's time zone.
func (t *Tx) UpdateOrganizationTimeZone(ctx context.Context, id, timeZone string) error {
	return t.execOne(ctx, "organization "+id, `UPDATE organizations SET time_zone = ? WHERE id = ?`, timeZone, id)
}

// ForeignOrgReferences lists, as "table.column", the references of orgID's
// rows to rows of another organization, through every foreign key between
// two tables that both carry org_id (a key that includes org_id keeps to one
// organization by itself) (see app.OrgDumpStore).
func (t *Tx) ForeignOrgReferences(ctx context.Context, orgID string) ([]string, error) {
	q := `SELECT m.name, f."from", f."table", f."to" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND NOT EXISTS (SELECT 1 FROM pragma_foreign_key_list(m.name) g WHERE g.id = f.id AND g."from" = 'org_id')`
	if t.d.name() == "postgres" {
		q = `SELECT kcu.table_name, kcu.column_name, ccu.table_name, ccu.column_name
			FROM information_schema.table_constraints tc
			JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
			JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
			WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
			AND NOT EXISTS (SELECT 1 FROM information_schema.key_column_usage k2
				WHERE k2.constraint_name = tc.constraint_name AND k2.table_schema = tc.table_schema AND k2.column_name = 'org_id')`
	}
	type fk struct{ table, column, parent, key string }
	var fks []fk
	if err := t.each(ctx, "foreign keys", q, nil, func(r *sql.Rows) error {
		var k fk
		err := r.Scan(&k.table, &k.column, &k.parent, &k.key)
		fks = append(fks, k)
		return err
	}); err != nil {
		return nil, err
	}
	withOrg := map[string]bool{}
	var out []string
	for _, k := range fks {
		for _, name := range []string{k.table, k.parent} {
			if _, seen := withOrg[name]; !seen {
				cols, err := t.columnsOf(ctx, name)
				if err != nil {
					return nil, err
				}
				for _, c := range cols {
					withOrg[name] = withOrg[name] || c.name == "org_id"
				}
			}
		}
		if !withOrg[k.table] || !withOrg[k.parent] || slices.Contains(out, k.table+"."+k.column) {
			continue
		}
		var n int
		err := t.get(ctx, "foreign references of "+k.table, `SELECT COUNT(*) FROM `+quote(k.table)+` c JOIN `+quote(k.parent)+` p ON p.`+
			quote(k.key)+` = c.`+quote(k.column)+` WHERE c.org_id = ? AND p.org_id <> c.org_id`, []any{orgID}, &n)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, k.table+"."+k.column)
		}
	}
	return out, nil
}
