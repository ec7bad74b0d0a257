package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

var backupSeedTime = time.Date(2026, 5, 20, 14, 0, 0, 0, time.UTC)

// seedDemo seeds the demo organization into a new app over st (whose clock
// is clock) and then stops the clock at the seeding moment.
func seedDemo(tb testing.TB, st *store.Store, clock *demo.Clock) (*app.App, demo.Result) {
	tb.Helper()
	a := app.New(st, nil)
	res, err := demo.Seed(context.Background(), a, clock, backupSeedTime)
	if err != nil {
		tb.Fatal(err)
	}
	clock.Set(backupSeedTime.Add(time.Hour))
	tb.Cleanup(func() { clock.Set(time.Time{}) })
	return a, res
}

var backupIDPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// canonicalJSON is v as indented JSON with every id replaced by a label in
// the order ids first appear: two values equal "ids aside" give the same lines.
func canonicalJSON(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{}
	s := backupIDPattern.ReplaceAllStringFunc(string(b), func(id string) string {
		l, ok := labels[id]
		if !ok {
			l = fmt.Sprintf("<id %d>", len(labels)+1)
			labels[id] = l
		}
		return l
	})
	return strings.Split(s, "\n")
}

// canonicalDoc is a document ids aside, with the organization's id, name and
// slug and the export time set aside.
func canonicalDoc(t *testing.T, doc app.OrgDocument) []string {
	t.Helper()
	doc.Organization.ID, doc.Organization.Name, doc.Organization.Slug = "", "", ""
	doc.ExportedAt = time.Time{}
	return canonicalJSON(t, doc)
}

func sameLines(t *testing.T, what string, want, got []string) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		if len(d) > 6000 {
			d = d[:6000] + "\n…"
		}
		t.Errorf("%s differ (-want +got):\n%s", what, d)
	}
}

// rowIDs are the ids of a table's rows.
func rowIDs(doc app.OrgDocument, table string) []string {
	var out []string
	for _, r := range doc.Tables[table] {
		out = append(out, r["id"].(string))
	}
	return out
}

// demoTree reads the tree of the organization's active quarter as its owner,
// through a token minted by the operator.
func demoTree(t *testing.T, a *app.App, slug string) app.Tree {
	t.Helper()
	ctx := context.Background()
	tk, err := a.MintToken(ctx, slug, demo.OwnerEmail, "test", []org.Scope{org.ScopeRead})
	if err != nil {
		t.Fatal(err)
	}
	actor, err := a.Authenticate(ctx, tk.Secret, "test")
	if err != nil {
		t.Fatal(err)
	}
	periods, err := a.ListPeriods(ctx, actor, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range periods.Items {
		if p.State == okr.PeriodActive && p.Kind == okr.PeriodQuarterly {
			tree, err := a.Alignment(ctx, actor, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return tree
		}
	}
	t.Fatalf("%s has no active quarter", slug)
	return app.Tree{}
}

// TestOrganizationBackupRoundTrip: on each engine, the demo organization's
// backup restored into a new organization backs up again to the same
// document, ids aside; every id is new; the restored organization works
// (its tree reads the same, its owner signs in with a password and a token);
// a second restore into it is refused and writes nothing.
func TestOrganizationBackupRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo")
	}
	clock := &demo.Clock{}
	storetest.Each(t, store.Config{Now: clock.Now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a, res := seedDemo(t, st, clock)
		// What the demo does not make: a custom scale and an xAPI statement,
		// whose id its sender chose and a restore keeps.
		owner := actorOf(t, a, res.Token)
		if _, err := a.CreateScale(ctx, owner, app.ScaleInput{Name: "Traffic light", Levels: []learning.Level{
			{Level: 1, Name: "Red"}, {Level: 2, Name: "Amber"}, {Level: 3, Name: "Green"}}}, ""); err != nil {
			t.Fatal(err)
		}
		cred, err := a.CreateLRSCredential(ctx, owner, "Moodle")
		if err != nil {
			t.Fatal(err)
		}
		client, err := a.LRSActor(ctx, cred.Key, cred.Secret)
		if err != nil {
			t.Fatal(err)
		}
		const statementID = "6f1c7a52-3b7e-4d0a-9c61-5a4f2e8b9d10"
		if _, err := a.StoreStatements(ctx, client, []json.RawMessage{
			xstmt(statementID, demo.OwnerEmail, "completed", "https://lms.test/course/1", nil)}, ""); err != nil {
			t.Fatal(err)
		}
		doc1, err := a.BackupOrganization(ctx, res.OrgSlug)
		if err != nil {
			t.Fatal(err)
		}
		// Not vacuous: the demo fills nearly every table.
		var empty []string
		total := 0
		for _, tb := range app.OrgTables() {
			if len(doc1.Tables[tb.Name]) == 0 {
				empty = append(empty, tb.Name)
			}
			total += len(doc1.Tables[tb.Name])
		}
		if len(empty) > 0 {
			t.Errorf("tables the demo leaves empty: %v", empty)
		}
		t.Logf("%s: the demo's backup has %d rows in %d tables", st.Engine(), total, len(doc1.Tables))
		if doc1.Format != app.OrgDocumentFormat || doc1.Version != 1 || doc1.SchemaVersion < 12 || doc1.Organization.Slug != demo.OrgSlug {
			t.Errorf("header: %+v", doc1)
		}
		if _, ok := doc1.Tables["users"][0]["password_hash"]; ok {
			t.Error("the backup holds password hashes")
		}

		sum, err := a.RestoreOrganization(ctx, doc1, app.RestoreInput{Slug: "restored", Name: "Restored"})
		if err != nil {
			t.Fatal(err)
		}
		if sum.UsersMatched != len(doc1.Tables["users"]) || sum.UsersCreated != 0 || sum.MembersKept != 0 ||
			sum.Organization.Slug != "restored" || sum.Organization.Name != "Restored" || sum.Organization.TimeZone != doc1.Organization.TimeZone {
			t.Errorf("summary: %+v", sum)
		}
		for _, c := range sum.Tables {
			if want := len(doc1.Tables[c.Table]); c.Table != "users" && c.Rows != want {
				t.Errorf("restored %d rows of %s, the document has %d", c.Rows, c.Table, want)
			}
		}
		doc2, err := a.BackupOrganization(ctx, "restored")
		if err != nil {
			t.Fatal(err)
		}
		sameLines(t, "the demo's backup and the restored organization's", canonicalDoc(t, doc1), canonicalDoc(t, doc2))
		if doc2.Organization.ID == doc1.Organization.ID || doc2.Organization.Name != "Restored" {
			t.Errorf("restored organization: %+v", doc2.Organization)
		}
		for _, table := range []string{"teams", "periods", "objectives", "key_results", "check_ins", "audit_events"} {
			old, fresh := rowIDs(doc1, table), rowIDs(doc2, table)
			for i := range old {
				if old[i] == fresh[i] {
					t.Errorf("%s[%d] kept its id %s", table, i, old[i])
				}
			}
			if !slices.IsSorted(fresh) || len(fresh) != len(old) {
				t.Errorf("%s: the new ids are not in the old ids' order", table)
			}
		}
		if got := rowIDs(doc2, "xapi_statements"); !slices.Equal(got, []string{statementID}) {
			t.Errorf("xAPI statement ids: %v, want the sender's %s", got, statementID)
		}
		if !slices.Equal(rowIDs(doc1, "users"), rowIDs(doc2, "users")) {
			t.Error("the people were not matched to their accounts by e-mail")
		}

		// The restored organization works like the demo.
		sameLines(t, "alignment trees", canonicalJSON(t, demoTree(t, a, demo.OrgSlug)), canonicalJSON(t, demoTree(t, a, "restored")))
		signed, err := a.SignIn(ctx, demo.OwnerEmail, demo.OwnerPassword, "restored", "test")
		if err != nil || signed.Org.ID != sum.Organization.ID {
			t.Errorf("sign in to the restored organization: %+v, %v", signed, err)
		}

		// A second restore into it is refused, and changes nothing.
		before, err := a.BackupOrganization(ctx, "restored")
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.RestoreOrganization(ctx, doc1, app.RestoreInput{Slug: "restored"})
		if !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "is not empty") {
			t.Errorf("restore into a full organization: %v, want a conflict", err)
		}
		doc3, err := a.BackupOrganization(ctx, "restored")
		if err != nil {
			t.Fatal(err)
		}
		doc3.ExportedAt = before.ExportedAt
		rawEqual(t, before, doc3)
	})
}

// rawEqual fails unless two documents are equal to the byte, ids included.
func rawEqual(t *testing.T, a, b app.OrgDocument) {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Error("the documents differ, ids included")
	}
}

// TestOrganizationBackupAcrossEngines: the demo seeded on SQLite restores
// into PostgreSQL (whose database knows none of its people: they are created,
// without a password) and backs up there to the same document, ids aside.
func TestOrganizationBackupAcrossEngines(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo")
	}
	ctx := context.Background()
	clock := &demo.Clock{}
	a, res := seedDemo(t, storetest.SQLite(t, store.Config{Now: clock.Now}), clock)
	doc1, err := a.BackupOrganization(ctx, res.OrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	// Through the file: encoded and decoded as okra backup writes and okra import reads it.
	b, err := json.MarshalIndent(doc1, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var decoded app.OrgDocument
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	pg := app.New(storetest.Postgres(t, store.Config{Now: clock.Now}), nil)
	sum, err := pg.RestoreOrganization(ctx, decoded, app.RestoreInput{Slug: demo.OrgSlug})
	if err != nil {
		t.Fatal(err)
	}
	if sum.UsersCreated != len(doc1.Tables["users"]) || sum.UsersMatched != 0 || sum.Organization.Name != doc1.Organization.Name {
		t.Errorf("summary: %+v", sum)
	}
	doc2, err := pg.BackupOrganization(ctx, demo.OrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, "the SQLite backup and the PostgreSQL one", canonicalDoc(t, doc1), canonicalDoc(t, doc2))
	sameLines(t, "alignment trees", canonicalJSON(t, demoTree(t, a, demo.OrgSlug)), canonicalJSON(t, demoTree(t, pg, demo.OrgSlug)))
	// The people came without their passwords: the owner signs in with a token only.
	if _, err := pg.SignIn(ctx, demo.OwnerEmail, demo.OwnerPassword, "", "test"); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("sign in without a password: %v, want unauthenticated", err)
	}
}

// TestOrganizationImportRefusals: what is not a backup of this okra, a
// document naming unknown or left-out tables, a row that does not fit, and
// an import by someone not an owner are refused with what to fix, and
// nothing is written. An import through the API's use case into an
// organization fresh from okra init keeps its owner.
func TestOrganizationImportRefusals(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newWorldOn(t, st)
		a := w.a
		doc, err := a.ExportOrganization(ctx, w.owner)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.ExportOrganization(ctx, w.ann); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a member exports: %v, want forbidden", err)
		}
		// A team of another organization, which no backup of Acme may name.
		globex, err := a.Init(ctx, app.InitInput{OrgName: "Globex", Email: "owner@globex.test"})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := a.CreateTeam(ctx, actorOf(t, a, globex.Token), app.TeamInput{Name: "Secret team"}, "")
		if err != nil {
			t.Fatal(err)
		}
		fields := func(err error) []errs.FieldError {
			var e *errs.Error
			if !errors.As(err, &e) {
				return nil
			}
			return e.Fields
		}
		cases := []struct {
			name  string
			edit  func(d *app.OrgDocument)
			kind  errs.Kind
			field errs.FieldError
		}{
			{"not a backup", func(d *app.OrgDocument) { d.Format = "okr-file" }, errs.Invalid,
				errs.FieldError{Field: "format", Message: `is "okr-file", not "okra-organization": this is not an okra organization backup`}},
			{"a newer format", func(d *app.OrgDocument) { d.Version = 2 }, errs.Invalid,
				errs.FieldError{Field: "version", Message: "is 2; this okra reads version 1 of the backup format"}},
			{"another schema", func(d *app.OrgDocument) { d.SchemaVersion = 3 }, errs.Invalid,
				errs.FieldError{Field: "schema_version", Message: fmt.Sprintf("is 3 but this okra's database is at %d: import the backup with the okra version that wrote it, then upgrade", doc.SchemaVersion)}},
			{"a left-out table", func(d *app.OrgDocument) { d.Tables["api_tokens"] = []app.OrgRow{} }, errs.Invalid,
				errs.FieldError{Field: "tables.api_tokens", Message: "is not part of an organization backup (credentials: mint new tokens after a restore (okra token)); remove it"}},
			{"an unknown table", func(d *app.OrgDocument) { d.Tables["gadgets"] = []app.OrgRow{} }, errs.Invalid,
				errs.FieldError{Field: "tables.gadgets", Message: "is not a table okra knows"}},
			{"a bad time zone", func(d *app.OrgDocument) { d.Organization.TimeZone = "Mars/Olympus" }, errs.Invalid,
				errs.FieldError{Field: "organization.time_zone", Message: `"Mars/Olympus" is not a time zone name like Europe/Berlin`}},
			{"a password hash", func(d *app.OrgDocument) { d.Tables["users"][1]["password_hash"] = "$argon2id$…" }, errs.Invalid,
				errs.FieldError{Field: "tables.users[1].password_hash", Message: "is never part of a backup; remove it"}},
			{"a row without its column", func(d *app.OrgDocument) { delete(d.Tables["periods"][0], "name") }, errs.Invalid,
				errs.FieldError{Field: "tables.periods[0].name", Message: "is missing"}},
			{"a dangling reference", func(d *app.OrgDocument) {
				d.Tables["team_members"] = append(d.Tables["team_members"], app.OrgRow{"team_id": app.NewID(), "user_id": w.ann.UserID, "is_lead": false})
			}, errs.Invalid, errs.FieldError{Field: fmt.Sprintf("tables.team_members[%d]", len(doc.Tables["team_members"])),
				Message: "refers to a row that is neither in the backup nor in the organization"}},
			{"another organization's row", func(d *app.OrgDocument) {
				d.Tables["team_members"] = append(d.Tables["team_members"], app.OrgRow{"team_id": theirs.ID, "user_id": w.ann.UserID, "is_lead": false})
			}, errs.Invalid, errs.FieldError{Field: "tables.team_members.team_id",
				Message: "refers to a row of another organization; a backup refers only to its own rows"}},
		}
		for _, c := range cases {
			var d app.OrgDocument
			b, _ := json.Marshal(doc)
			if err := json.Unmarshal(b, &d); err != nil {
				t.Fatal(err)
			}
			c.edit(&d)
			_, err := a.RestoreOrganization(ctx, d, app.RestoreInput{Slug: "copy"})
			if got := fields(err); errs.KindOf(err) != c.kind || !slices.Contains(got, c.field) {
				t.Errorf("%s: %v, want %s with %+v", c.name, err, c.kind, c.field)
			}
		}
		if _, err := a.BackupOrganization(ctx, "copy"); !errs.Is(err, errs.NotFound) {
			t.Errorf("a refused restore left an organization behind: %v", err)
		}
		if _, err := a.RestoreOrganization(ctx, doc, app.RestoreInput{Slug: "Not A Slug"}); !slices.Contains(fields(err),
			errs.FieldError{Field: "slug", Message: "use lower-case letters, digits and dashes"}) {
			t.Errorf("a bad slug: %v", err)
		}

		// Into an organization fresh from okra init: only its owner may import,
		// who stays its owner; the rest comes from the document.
		res, err := a.Init(ctx, app.InitInput{OrgName: "Fresh", Email: "importer@fresh.test"})
		if err != nil {
			t.Fatal(err)
		}
		owner := actorOf(t, a, res.Token)
		asAdmin := owner
		asAdmin.Role = org.RoleAdmin
		if _, err := a.ImportOrganization(ctx, asAdmin, doc); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an admin imports: %v, want forbidden", err)
		}
		if _, err := a.ImportOrganization(ctx, w.owner, doc); !errs.Is(err, errs.Conflict) {
			t.Errorf("import into Acme, which has content: %v, want a conflict", err)
		}
		sum, err := a.ImportOrganization(ctx, owner, doc)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Organization.Slug != "fresh" || sum.UsersMatched != len(doc.Tables["users"]) || sum.MembersKept != 0 {
			t.Errorf("summary: %+v", sum)
		}
		got, err := a.ExportOrganization(ctx, owner)
		if err != nil {
			t.Fatal(err)
		}
		// What init made stays: its owner (a user and a membership) and its audit
		// event before the imported ones; the import's own audit event comes last.
		audit := got.Tables["audit_events"]
		if first, last := audit[0], audit[len(audit)-1]; first["action"] != "organization.create" || last["action"] != "organization.import" ||
			last["actor_id"] != owner.UserID {
			t.Errorf("audit events: first %v, last %v", first, last)
		}
		got.Tables["audit_events"] = audit[1 : len(audit)-1]
		drop := func(table, col, value string) {
			got.Tables[table] = slices.DeleteFunc(got.Tables[table], func(r app.OrgRow) bool { return r[col] == value })
		}
		drop("users", "email", "importer@fresh.test")
		drop("memberships", "user_id", owner.UserID)
		sameLines(t, "the document and the import", canonicalDoc(t, doc), canonicalDoc(t, got))
	})
}

// BenchmarkOrganizationBackup measures the demo organization's backup and
// restore on each engine (PostgreSQL with OKRA_TEST_DATABASE_URL).
func BenchmarkOrganizationBackup(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			clock := &demo.Clock{}
			cfg := store.Config{Now: clock.Now}
			var st *store.Store
			if engine == "sqlite" {
				st = storetest.SQLite(b, cfg)
			} else {
				st = storetest.Postgres(b, cfg)
			}
			a, res := seedDemo(b, st, clock)
			doc, err := a.BackupOrganization(ctx, res.OrgSlug)
			if err != nil {
				b.Fatal(err)
			}
			js, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				b.Fatal(err)
			}
			b.Run("export", func(b *testing.B) {
				for b.Loop() {
					d, err := a.BackupOrganization(ctx, res.OrgSlug)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := json.MarshalIndent(d, "", "  "); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(js)), "doc-bytes")
			})
			b.Run("import", func(b *testing.B) {
				n := 0
				for b.Loop() {
					n++
					var d app.OrgDocument
					if err := json.Unmarshal(js, &d); err != nil {
						b.Fatal(err)
					}
					if _, err := a.RestoreOrganization(ctx, d, app.RestoreInput{Slug: fmt.Sprintf("copy-%d", n)}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
