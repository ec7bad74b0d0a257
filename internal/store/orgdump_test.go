package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// TestOrgBackupCoversEveryTable: every table of the schema is either in the
// organization backup or left out with a reason; the backup's key of each
// table is its primary key (without org_id); every foreign key points to the
// organization, to a table inserted before, or to the same table through a
// column the import orders by (Parents). A migration that adds a table fails
// here until the table is placed.
func TestOrgBackupCoversEveryTable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := storetest.SQLite(t, store.Config{DataDir: dir})
	tables, err := st.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	left := app.OrgTablesLeftOut()
	placed := map[string]int{}
	for i, tb := range app.OrgTables() {
		if _, dup := placed[tb.Name]; dup {
			t.Errorf("%s is in OrgTables twice", tb.Name)
		}
		placed[tb.Name] = i
		if _, ok := left[tb.Name]; ok {
			t.Errorf("%s is both backed up and left out", tb.Name)
		}
		if _, ok := tables[tb.Name]; !ok {
			t.Errorf("OrgTables names %s, which the schema does not have", tb.Name)
		}
	}
	for name := range left {
		if _, ok := tables[name]; !ok {
			t.Errorf("OrgTablesLeftOut names %s, which the schema does not have", name)
		}
	}
	for name := range tables {
		_, in := placed[name]
		_, out := left[name]
		if !in && !out {
			t.Errorf("table %s is neither in app.OrgTables (backed up) nor in app.OrgTablesLeftOut (with the reason)", name)
		}
	}
	if len(placed) < 35 {
		t.Errorf("only %d tables are backed up", len(placed))
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "okra.db")+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	strs := func(q string, args ...any) [][]string {
		t.Helper()
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out [][]string
		for rows.Next() {
			var a, b string
			if err := rows.Scan(&a, &b); err != nil {
				t.Fatal(err)
			}
			out = append(out, []string{a, b})
		}
		return out
	}
	for _, tb := range app.OrgTables() {
		var key []string
		for _, r := range strs(`SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`, tb.Name) {
			if r[0] != "org_id" {
				key = append(key, r[0])
			}
		}
		if !slices.Equal(key, tb.OrderBy()) {
			t.Errorf("%s: the backup orders by %v, the primary key is %v", tb.Name, tb.OrderBy(), key)
		}
		for _, r := range strs(`SELECT "table", "from" FROM pragma_foreign_key_list(?)`, tb.Name) {
			to, from := r[0], r[1]
			switch i, ok := placed[to]; {
			case to == "organizations":
			case to == tb.Name:
				if !slices.Contains(tb.Parents, from) {
					t.Errorf("%s.%s refers to %s itself: name it in Parents", tb.Name, from, to)
				}
			case !ok:
				t.Errorf("%s.%s refers to %s, which backups leave out", tb.Name, from, to)
			case i >= placed[tb.Name]:
				t.Errorf("%s.%s refers to %s, which OrgTables places after it", tb.Name, from, to)
			}
		}
		for _, p := range tb.Parents {
			if !slices.Contains(tables[tb.Name], p) {
				t.Errorf("%s: parent column %s does not exist", tb.Name, p)
			}
		}
	}
}

// TestOrgRows: DumpRows writes each column by its type, the same on both
// engines (times RFC 3339 UTC, NULL null, booleans, integers and reals),
// leaves out org_id and the omitted columns, orders rows by key; InsertRows
// writes such rows back into another organization, all of them checked
// before any is written.
func TestOrgRows(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		ids := struct{ org, org2, ann, bob, root, child string }{
			"0190a000-0000-7000-8000-00000000000a", "0190a000-0000-7000-8000-00000000000b",
			"0190a000-0000-7000-8000-000000000001", "0190a000-0000-7000-8000-000000000002",
			"0190a000-0000-7000-8000-000000000010", "0190a000-0000-7000-8000-000000000011",
		}
		grace := 2
		var t1, t2 time.Time
		t1 = write(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, o := range []string{ids.org, ids.org2} {
				if err := tx.CreateOrganization(ctx, &org.Organization{ID: o, Name: o, Slug: "s" + o[len(o)-1:], TimeZone: "UTC"}); err != nil {
					return err
				}
			}
			for _, u := range []org.User{{ID: ids.bob, Email: "bob@x.test", Name: "Bob", PasswordHash: "secret-hash"},
				{ID: ids.ann, Email: "ann@x.test", Name: "Ann"}} {
				if err := tx.CreateUser(ctx, &u); err != nil {
					return err
				}
			}
			for _, m := range []org.Membership{{OrgID: ids.org, UserID: ids.bob, Role: org.RoleMember, Active: false},
				{OrgID: ids.org, UserID: ids.ann, Name: "Annie", Role: org.RoleOwner, Active: true}} {
				if err := tx.AddMembership(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		t2 = write(t, s, func(ctx context.Context, tx app.Tx) error {
			weekly := org.Weekly
			if err := tx.CreateTeam(ctx, &org.Team{ID: ids.root, OrgID: ids.org, Name: "Root", Slug: "root", Cadence: &weekly,
				GraceDays: &grace, ChatWebhookURL: "https://chat.test/x"}); err != nil {
				return err
			}
			return tx.CreateTeam(ctx, &org.Team{ID: ids.child, OrgID: ids.org, Name: "Child", Slug: "child", ParentID: ids.root, LeadIDs: []string{ids.ann}})
		})
		ts := func(tm time.Time) string { return tm.UTC().Format(time.RFC3339Nano) }
		tables := map[string]app.OrgTable{}
		for _, tb := range app.OrgTables() {
			tables[tb.Name] = tb
		}
		dump := func(orgID, table string) []app.OrgRow {
			t.Helper()
			var rows []app.OrgRow
			read(t, s, func(ctx context.Context, tx app.Tx) error {
				var err error
				rows, err = tx.DumpRows(ctx, orgID, tables[table])
				return err
			})
			return rows
		}
		want := map[string][]app.OrgRow{
			"users": {
				{"id": ids.ann, "email": "ann@x.test", "name": "Ann", "created_at": ts(t1)},
				{"id": ids.bob, "email": "bob@x.test", "name": "Bob", "created_at": ts(t1)},
			},
			"memberships": {
				{"user_id": ids.ann, "name": "Annie", "role": "owner", "active": true, "version": int64(1), "created_at": ts(t1)},
				{"user_id": ids.bob, "name": "", "role": "member", "active": false, "version": int64(1), "created_at": ts(t1)},
			},
			"teams": {
				{"id": ids.root, "name": "Root", "slug": "root", "parent_id": nil, "cadence": "weekly", "grace_days": int64(2),
					"chat_webhook_url": "https://chat.test/x", "version": int64(1), "created_at": ts(t2), "updated_at": ts(t2)},
				{"id": ids.child, "name": "Child", "slug": "child", "parent_id": ids.root, "cadence": nil, "grace_days": nil,
					"chat_webhook_url": "", "version": int64(1), "created_at": ts(t2), "updated_at": ts(t2)},
			},
			"team_members": {{"team_id": ids.child, "user_id": ids.ann, "is_lead": true}},
		}
		for _, name := range []string{"users", "memberships", "teams", "team_members"} {
			same(t, name, want[name], dump(ids.org, name))
			if got := dump(ids.org2, name); len(got) != 0 {
				t.Errorf("%s of another organization: %v", name, got)
			}
		}
		if !strings.HasSuffix(ts(t1), "Z") || !strings.Contains(ts(t1), ".") {
			t.Errorf("time %s is not RFC 3339 UTC with its fraction", ts(t1))
		}

		// Reals and times written by InsertRows read back the same.
		kpi := app.OrgRow{"id": "0190a000-0000-7000-8000-000000000020", "name": "Churn", "description": "", "unit": "percent",
			"unit_label": "", "currency": "", "direction": "lower_is_better", "owner_id": ids.ann, "green": 0.1, "red": 1e-7,
			"frequency": "weekly", "version": 3.0, "created_at": "2027-02-03T04:00:15.123456Z", "updated_at": "2027-02-03T04:00:16Z"}
		noErr(t, attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.InsertRows(ctx, ids.org2, tables["kpis"], []app.OrgRow{kpi}, nil)
		}))
		kpi["version"] = int64(3)
		same(t, "kpis", []app.OrgRow{kpi}, dump(ids.org2, "kpis"))

		// A row with a missing, unknown or mistyped column is refused, and nothing is written.
		bad := []app.OrgRow{
			{"id": "0190a000-0000-7000-8000-000000000030", "name": "Fine", "slug": "fine", "parent_id": nil, "cadence": nil, "grace_days": nil,
				"chat_webhook_url": "", "version": int64(1), "created_at": ts(t2), "updated_at": ts(t2)},
			{"id": "0190a000-0000-7000-8000-000000000031", "name": 7, "parent_id": nil, "cadence": nil, "grace_days": 1.5,
				"chat_webhook_url": "", "version": int64(1), "created_at": "yesterday", "updated_at": nil, "colour": "red"},
		}
		err := attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.InsertRows(ctx, ids.org2, tables["teams"], bad, []int{4, 9})
		})
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.Invalid {
			t.Fatalf("bad rows: %v, want invalid", err)
		}
		same(t, "field errors", []errs.FieldError{
			{Field: "tables.teams[9].name", Message: "must be a string"},
			{Field: "tables.teams[9].slug", Message: "is missing"},
			{Field: "tables.teams[9].created_at", Message: "must be a time like 2026-05-20T14:00:00.123456Z"},
			{Field: "tables.teams[9].updated_at", Message: "must not be null"},
			{Field: "tables.teams[9].grace_days", Message: "must be a whole number"},
			{Field: "tables.teams[9].colour", Message: "is not a column of teams in this okra's schema"},
		}, e.Fields)
		if got := dump(ids.org2, "teams"); len(got) != 0 {
			t.Errorf("refused rows wrote teams: %v", got)
		}

		// A row naming a row that does not exist is refused with its place in the document.
		orphan := app.OrgRow{"team_id": "0190a000-0000-7000-8000-0000000000ff", "user_id": ids.ann, "is_lead": false}
		err = attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.InsertRows(ctx, ids.org2, tables["team_members"], []app.OrgRow{orphan}, []int{3})
		})
		if !errors.As(err, &e) || e.Kind != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "tables.team_members[3]" {
			t.Errorf("orphan row: %v, want invalid at tables.team_members[3]", err)
		}

		// Users are written without org_id and with an empty password; a
		// password hash in the document is refused.
		cy := app.OrgRow{"id": "0190a000-0000-7000-8000-000000000003", "email": "cy@x.test", "name": "Cy", "created_at": ts(t1)}
		withHash := app.OrgRow{"password_hash": "secret-hash"}
		for k, v := range cy {
			withHash[k] = v
		}
		err = attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.InsertRows(ctx, "", tables["users"], []app.OrgRow{withHash}, nil)
		})
		if !errors.As(err, &e) || !slices.Equal(e.Fields, []errs.FieldError{{Field: "tables.users[0].password_hash", Message: "is never part of a backup; remove it"}}) {
			t.Errorf("a user with a password hash: %v", err)
		}
		noErr(t, attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.InsertRows(ctx, "", tables["users"], []app.OrgRow{cy}, nil)
		}))
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			u, err := tx.GetUserByEmail(ctx, "cy@x.test")
			same(t, "the imported user", org.User{ID: cy["id"].(string), Email: "cy@x.test", Name: "Cy", Created: t1.UTC()}, u)
			return err
		})

		// Counts and the schema version.
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for name, n := range map[string]int{"users": 2, "teams": 2, "team_members": 1, "kpis": 0} {
				got, err := tx.CountRows(ctx, ids.org, tables[name])
				if err != nil {
					return err
				}
				if got != n {
					t.Errorf("CountRows(%s) = %d, want %d", name, got, n)
				}
			}
			v, err := tx.SchemaVersion(ctx)
			if err != nil {
				return err
			}
			if mv, err := s.MigrationVersion(ctx); err != nil || v != mv || v < 12 {
				t.Errorf("SchemaVersion = %d, MigrationVersion = %d, %v", v, mv, err)
			}
			return nil
		})
	})
}
