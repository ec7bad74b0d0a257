package app

// The organization backup: everything an organization owns as one JSON
// document a person can read, and its import into an empty organization.
// The document is schema-driven: each table of OrgTables is dumped whole,
// column by column, so a column added by a migration is in the next backup
// without a change here; a table added by a migration must be named in
// OrgTables or OrgTablesLeftOut (a store test fails until it is).

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

// The document's format name and version.
const (
	OrgDocumentFormat  = "okra-organization"
	OrgDocumentVersion = 1
)

// OrgDocument is a whole organization: its name, time zone and settings, and
// the rows of every table it owns, including its members' accounts (without
// their passwords). What it leaves out is in OrgTablesLeftOut.
type OrgDocument struct {
	Format        string         `json:"format" doc:"Always okra-organization."`
	Version       int            `json:"version" doc:"The document format's version: 1."`
	SchemaVersion int64          `json:"schema_version" doc:"The database schema (migration) version the rows follow; an import needs an okra at the same version."`
	ExportedAt    time.Time      `json:"exported_at"`
	Organization  OrgDocumentOrg `json:"organization"`
	Tables        OrgRows        `json:"tables" doc:"The rows of each table, in the order an import inserts them, each table's rows by primary key. A row holds every column but org_id: text as a string, numbers, booleans, times as RFC 3339 UTC strings, NULL as null."`
}

// OrgDocumentOrg is the organization itself. An import keeps the target's
// name and slug; id is only there to be replaced where rows mention it.
type OrgDocumentOrg struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	Slug     string       `json:"slug"`
	TimeZone string       `json:"time_zone"`
	Settings org.Settings `json:"settings"`
}

// OrgRow is one row of a table: column name to value (string, int64 or
// float64, bool, nil; times as RFC 3339 strings). A decoded document may
// hold float64 or json.Number for any number: the store converts by column.
type OrgRow map[string]any

// OrgRows are a document's rows by table name. They encode in the order of
// OrgTables (then any other name, sorted), so that two backups diff well.
type OrgRows map[string][]OrgRow

// MarshalJSON writes the tables in import order.
func (r OrgRows) MarshalJSON() ([]byte, error) {
	names := make([]string, 0, len(r))
	for _, t := range OrgTables() {
		if _, ok := r[t.Name]; ok {
			names = append(names, t.Name)
		}
	}
	var other []string
	for n := range r {
		if !slices.Contains(names, n) {
			other = append(other, n)
		}
	}
	sort.Strings(other)
	var b strings.Builder
	b.WriteByte('{')
	for i, n := range append(names, other...) {
		if i > 0 {
			b.WriteByte(',')
		}
		rows := r[n]
		if rows == nil {
			rows = []OrgRow{}
		}
		b.Write(marshalOrNil(n))
		b.WriteByte(':')
		v := marshalOrNil(rows)
		if v == nil {
			return nil, fmt.Errorf("encode the rows of %s", n)
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// OrgTable is one table of the organization backup.
type OrgTable struct {
	Name string
	// Key orders the rows: the table's primary key without org_id; nil means id.
	Key []string
	// Parents are the columns that name another row of the same table: an
	// import inserts the row they name first.
	Parents []string
	// Members marks the users table, which belongs to no organization: its
	// rows are the users the organization's memberships name.
	Members bool
	// Omit are columns left out of the document; an import writes their empty
	// value ("", 0, false, or NULL where allowed).
	Omit []string
	// ForeignIDs marks a table whose id column holds ids okra did not make
	// (xAPI statement ids, chosen by the sender): an import keeps them.
	ForeignIDs bool
}

// OrderBy is the table's key: Key, or id.
func (t OrgTable) OrderBy() []string {
	if len(t.Key) == 0 {
		return []string{"id"}
	}
	return t.Key
}

// OrgTables lists the tables of an organization backup in the order an
// import inserts them: every table a row refers to comes before it.
func OrgTables() []OrgTable {
	return []OrgTable{
		{Name: "users", Members: true, Omit: []string{"password_hash"}},
		{Name: "memberships", Key: []string{"user_id"}},
		{Name: "teams", Parents: []string{"parent_id"}},
		{Name: "team_members", Key: []string{"team_id", "user_id"}},
		{Name: "periods", Parents: []string{"parent_id"}},
		{Name: "objectives", Parents: []string{"carried_from"}},
		{Name: "key_results"},
		{Name: "alignments"},
		{Name: "check_ins"},
		{Name: "initiatives"},
		{Name: "initiative_key_results", Key: []string{"initiative_id", "key_result_id"}},
		{Name: "tasks"},
		{Name: "comments"},
		{Name: "kpis"},
		{Name: "kpi_records"},
		{Name: "objective_kpis", Key: []string{"objective_id", "kpi_id"}},
		{Name: "retrospectives", Key: []string{"objective_id"}},
		{Name: "objective_decisions", Key: []string{"objective_id"}},
		{Name: "scales"},
		{Name: "skills"},
		{Name: "skill_requirements"},
		{Name: "role_profiles"},
		{Name: "role_holders", Key: []string{"role_id", "user_id"}},
		{Name: "programs"},
		{Name: "program_skills", Key: []string{"program_id", "skill_id"}},
		{Name: "learning_objectives"},
		{Name: "learning_objective_programs", Key: []string{"learning_objective_id", "program_id"}},
		{Name: "enrollments"},
		{Name: "assessments"},
		{Name: "mentorships"},
		{Name: "feedback"},
		{Name: "xapi_statements", ForeignIDs: true},
		{Name: "notifications"},
		{Name: "sent_reminders", Key: []string{"key_result_id", "due_at"}},
		{Name: "lessons"},
		{Name: "lesson_votes", Key: []string{"lesson_id", "user_id"}},
		{Name: "kudos"},
		{Name: "celebrations"},
		{Name: "audit_events"},
	}
}

// OrgTablesLeftOut names the database's tables that are not in an
// organization backup, each with the reason.
func OrgTablesLeftOut() map[string]string {
	return map[string]string{
		"organizations":      "the organization's own row is the document's organization (name, slug, time zone, settings); an import creates or keeps its own",
		"goose_db_version":   "the database's migration bookkeeping: the document says its schema_version instead",
		"api_tokens":         "credentials: mint new tokens after a restore (okra token)",
		"sessions":           "credentials: browser sessions end with the old server",
		"invitations":        "credentials: an invitation's link would work twice; invite again",
		"lrs_credentials":    "credentials: create new LRS keys for the learning systems after a restore",
		"idempotency_keys":   "remember retried requests for a day only",
		"jobs":               "background work of the old server; the new one schedules its own",
		"outbox":             "events already sent: importing them would send them again",
		"webhooks":           "their signing secrets are sealed with the old server's key; register the webhooks again",
		"webhook_deliveries": "deliveries of webhooks that are left out",
	}
}

// orgTable returns the table named name.
func orgTable(name string) (OrgTable, bool) {
	for _, t := range OrgTables() {
		if t.Name == name {
			return t, true
		}
	}
	return OrgTable{}, false
}

// OrgDumpStore reads and writes an organization's rows table by table,
// whatever their columns: the organization backup.
type OrgDumpStore interface {
	// SchemaVersion returns the version of the latest migration applied.
	SchemaVersion(ctx context.Context) (int64, error)
	// DumpRows returns orgID's rows of t (for t.Members, the users of orgID's
	// memberships) ordered by t.OrderBy, each with every column but org_id and
	// t.Omit: text as string, integers as int64, reals as float64, booleans as
	// bool, times as RFC 3339 strings in UTC with their full precision, NULL
	// as nil.
	DumpRows(ctx context.Context, orgID string, t OrgTable) ([]OrgRow, error)
	// InsertRows inserts rows into t for orgID (into users, for t.Members), in
	// their order, with the columns t.Omit names set to their empty value. A
	// row must hold exactly the columns DumpRows gives. Errors name a row by
	// its index in the document, at[k] for rows[k] (nil: k): errs.Invalid with
	// the field "tables.NAME[i].COLUMN" for a missing, unknown or mistyped
	// column, "tables.NAME[i]" for a row that refers to something that does
	// not exist; errs.Conflict for a row whose key or unique value is taken.
	InsertRows(ctx context.Context, orgID string, t OrgTable, rows []OrgRow, at []int) error
	// CountRows counts orgID's rows of t (for t.Members: orgID's memberships).
	CountRows(ctx context.Context, orgID string, t OrgTable) (int, error)
	// ForeignOrgReferences lists, as "table.column", the columns through
	// which orgID's rows refer to rows of another organization.
	ForeignOrgReferences(ctx context.Context, orgID string) ([]string, error)
	// UpdateOrganizationTimeZone sets an organization's time zone; errs.NotFound if there is none.
	UpdateOrganizationTimeZone(ctx context.Context, id, timeZone string) error
}

// OrgImportSummary says what an import wrote.
type OrgImportSummary struct {
	Organization org.Organization `json:"organization"`
	// Tables are the rows inserted per table, in import order.
	Tables []OrgTableCount `json:"tables"`
	// UsersCreated are accounts made for e-mails the database did not know
	// (they have no password); UsersMatched are accounts that existed.
	UsersCreated int `json:"users_created"`
	UsersMatched int `json:"users_matched"`
	// MembersKept are people already members of the target organization:
	// their membership stays as it was, the document's is skipped.
	MembersKept int `json:"members_kept"`
}

// OrgTableCount is how many rows of a table an import wrote.
type OrgTableCount struct {
	Table string `json:"table"`
	Rows  int    `json:"rows"`
}

// ExportOrganization returns the actor's organization as one document (admin).
func (a *App) ExportOrganization(ctx context.Context, actor org.Actor) (OrgDocument, error) {
	if err := requireAdmin(actor); err != nil {
		return OrgDocument{}, err
	}
	var doc OrgDocument
	err := a.db.Read(ctx, func(tx Tx) error {
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		doc, err = exportOrg(ctx, tx, o)
		return err
	})
	return doc, err
}

// BackupOrganization returns the organization with slug as one document, on
// behalf of an operator who runs okra's command line against the database
// itself (no actor: access to the database is the authority).
func (a *App) BackupOrganization(ctx context.Context, slug string) (OrgDocument, error) {
	var doc OrgDocument
	err := a.db.Read(ctx, func(tx Tx) error {
		o, err := tx.GetOrganizationBySlug(ctx, slug)
		if err != nil {
			return errs.Wrap(errs.NotFound, err, "no organization with slug %q", slug)
		}
		doc, err = exportOrg(ctx, tx, o)
		return err
	})
	return doc, err
}

func exportOrg(ctx context.Context, tx Tx, o org.Organization) (OrgDocument, error) {
	v, err := tx.SchemaVersion(ctx)
	if err != nil {
		return OrgDocument{}, err
	}
	doc := OrgDocument{
		Format: OrgDocumentFormat, Version: OrgDocumentVersion, SchemaVersion: v, ExportedAt: tx.Now(),
		Organization: OrgDocumentOrg{ID: o.ID, Name: o.Name, Slug: o.Slug, TimeZone: o.TimeZone, Settings: o.Settings},
		Tables:       OrgRows{},
	}
	for _, t := range OrgTables() {
		rows, err := tx.DumpRows(ctx, o.ID, t)
		if err != nil {
			return doc, fmt.Errorf("export %s: %w", t.Name, err)
		}
		if rows == nil {
			rows = []OrgRow{}
		}
		doc.Tables[t.Name] = rows
	}
	return doc, nil
}

// ImportOrganization imports a document into the actor's organization, which
// must be empty: nothing but its members (and its audit log) yet, as okra
// init leaves it (owner, with an admin-scoped token). The organization keeps
// its name and slug and its members their roles; it takes the document's
// time zone, settings and everything else. All or nothing.
func (a *App) ImportOrganization(ctx context.Context, actor org.Actor, doc OrgDocument) (OrgImportSummary, error) {
	var sum OrgImportSummary
	if !actor.IsAdmin() || actor.Role != org.RoleOwner {
		return sum, errs.E(errs.Forbidden, "only an owner (with an admin-scoped token) may import an organization")
	}
	if err := checkOrgDocument(doc); err != nil {
		return sum, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		if sum, err = importOrg(ctx, tx, o, doc); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "organization.import", "organization", o.ID, nil, map[string]any{
			"exported_at": doc.ExportedAt, "from": doc.Organization.Slug, "tables": sum.Tables,
			"users_created": sum.UsersCreated, "users_matched": sum.UsersMatched})
	})
	return sum, err
}

// RestoreInput says where an operator's import goes.
type RestoreInput struct {
	// Slug names the organization: a new one is created; an existing one must
	// be empty (see ImportOrganization).
	Slug string
	// Name of a new organization; empty: the document's.
	Name string
}

// RestoreOrganization imports a document as the operator (the database is
// the authority): into a new organization with in.Slug, or into the existing
// empty one with that slug. It records no audit event of its own, so that a
// new organization holds exactly the document.
func (a *App) RestoreOrganization(ctx context.Context, doc OrgDocument, in RestoreInput) (OrgImportSummary, error) {
	var sum OrgImportSummary
	var f errs.Fields
	if !slugPattern.MatchString(in.Slug) {
		f.Add("slug", "use lower-case letters, digits and dashes")
	}
	if err := f.Err(); err != nil {
		return sum, err
	}
	if err := checkOrgDocument(doc); err != nil {
		return sum, err
	}
	err := a.db.Write(ctx, func(tx Tx) error {
		o, err := tx.GetOrganizationBySlug(ctx, in.Slug)
		switch {
		case errs.Is(err, errs.NotFound):
			name := strings.TrimSpace(in.Name)
			if name == "" {
				name = doc.Organization.Name
			}
			o = org.Organization{ID: NewID(), Name: name, Slug: in.Slug, TimeZone: doc.Organization.TimeZone, Settings: doc.Organization.Settings}
			if err := tx.CreateOrganization(ctx, &o); err != nil {
				return slugTaken(err, "organization", in.Slug)
			}
		case err != nil:
			return err
		default:
			if err := tx.LockOrganization(ctx, o.ID); err != nil {
				return err
			}
		}
		sum, err = importOrg(ctx, tx, o, doc)
		return err
	})
	return sum, err
}

// checkOrgDocument refuses what is not a backup this okra writes.
func checkOrgDocument(doc OrgDocument) error {
	var f errs.Fields
	if doc.Format != OrgDocumentFormat {
		f.Add("format", "is %q, not %q: this is not an okra organization backup", doc.Format, OrgDocumentFormat)
	} else if doc.Version != OrgDocumentVersion {
		f.Add("version", "is %d; this okra reads version %d of the backup format", doc.Version, OrgDocumentVersion)
	}
	if _, err := time.LoadLocation(doc.Organization.TimeZone); err != nil || doc.Organization.TimeZone == "" {
		f.Add("organization.time_zone", "%q is not a time zone name like Europe/Berlin", doc.Organization.TimeZone)
	}
	if doc.Organization.ID == "" {
		f.Add("organization.id", "is required")
	}
	return f.Err()
}

// uuidPattern finds okra's ids (UUIDs) in any text.
var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// importOrg writes doc into o, which must be empty, in tx.
func importOrg(ctx context.Context, tx Tx, o org.Organization, doc OrgDocument) (OrgImportSummary, error) {
	sum := OrgImportSummary{Organization: o}
	v, err := tx.SchemaVersion(ctx)
	if err != nil {
		return sum, err
	}
	if doc.SchemaVersion != v {
		var f errs.Fields
		f.Add("schema_version", "is %d but this okra's database is at %d: import the backup with the okra version that wrote it, then upgrade", doc.SchemaVersion, v)
		return sum, f.Err()
	}
	var f errs.Fields
	left := OrgTablesLeftOut()
	for name := range doc.Tables {
		if _, ok := orgTable(name); ok {
			continue
		}
		if why, ok := left[name]; ok {
			f.Add("tables."+name, "is not part of an organization backup (%s); remove it", why)
		} else {
			f.Add("tables."+name, "is not a table okra knows")
		}
	}
	if err := f.Err(); err != nil {
		return sum, err
	}

	// Refuse an organization that holds anything but members and its audit log.
	for _, t := range OrgTables() {
		if t.Members || t.Name == "memberships" || t.Name == "audit_events" {
			continue
		}
		n, err := tx.CountRows(ctx, o.ID, t)
		if err != nil {
			return sum, err
		}
		if n > 0 {
			return sum, errs.E(errs.Conflict, "the organization %s is not empty (it has %d rows of %s): import into a new organization", o.Slug, n, t.Name)
		}
	}

	// People: an e-mail the database knows keeps its account; the others get one without a password.
	ids := map[string]string{doc.Organization.ID: o.ID}
	usersTable, _ := orgTable("users")
	users := doc.Tables["users"]
	created := make([]bool, len(users))
	emails := map[string]bool{}
	var fresh []string // old ids that get a new one
	for i, u := range users {
		id, _ := u["id"].(string)
		email, _ := u["email"].(string)
		email = strings.ToLower(strings.TrimSpace(email))
		path := fmt.Sprintf("tables.users[%d]", i)
		for _, c := range usersTable.Omit {
			if _, ok := u[c]; ok {
				f.Add(path+"."+c, "is never part of a backup; remove it")
			}
		}
		switch {
		case id == "":
			f.Add(path+".id", "is required")
			continue
		case email == "":
			f.Add(path+".email", "is required")
			continue
		case emails[email]:
			f.Add(path+".email", "%s appears twice", email)
			continue
		}
		emails[email] = true
		existing, err := tx.GetUserByEmail(ctx, email)
		switch {
		case err == nil:
			ids[id] = existing.ID
			sum.UsersMatched++
		case errs.Is(err, errs.NotFound):
			created[i] = true
			fresh = append(fresh, id)
			sum.UsersCreated++
		default:
			return sum, err
		}
	}
	if err := f.Err(); err != nil {
		return sum, err
	}

	// Every other id gets a new one, in the old ids' order, so that whatever
	// okra lists by id keeps its order.
	for _, t := range OrgTables() {
		if t.Members || t.ForeignIDs {
			continue
		}
		for i, r := range doc.Tables[t.Name] {
			if id, ok := r["id"].(string); ok {
				fresh = append(fresh, id)
			} else if _, has := r["id"]; has {
				f.Add(fmt.Sprintf("tables.%s[%d].id", t.Name, i), "is not a string")
			}
		}
	}
	if err := f.Err(); err != nil {
		return sum, err
	}
	sort.Strings(fresh)
	for _, id := range slices.Compact(fresh) {
		if _, ok := ids[id]; !ok {
			ids[id] = NewID()
		}
	}
	remap := func(r OrgRow) OrgRow {
		out := make(OrgRow, len(r))
		for k, v := range r {
			if s, ok := v.(string); ok {
				v = uuidPattern.ReplaceAllStringFunc(s, func(id string) string {
					if n, ok := ids[id]; ok {
						return n
					}
					return id
				})
			}
			out[k] = v
		}
		return out
	}

	for _, t := range OrgTables() {
		var (
			rows []OrgRow
			at   []int // each row's index in the document
		)
		for i, r := range doc.Tables[t.Name] {
			switch {
			case t.Members && !created[i]:
				continue
			case t.Name == "memberships":
				old, _ := r["user_id"].(string)
				if uid, ok := ids[old]; ok {
					_, err := tx.GetMember(ctx, o.ID, uid)
					if err == nil {
						sum.MembersKept++
						continue
					}
					if !errs.Is(err, errs.NotFound) {
						return sum, err
					}
				}
			}
			r = remap(r)
			if t.Members {
				r["email"] = strings.ToLower(strings.TrimSpace(r["email"].(string)))
			}
			rows = append(rows, r)
			at = append(at, i)
		}
		if len(rows) > 0 {
			order, err := parentsFirst(t, rows, at)
			if err != nil {
				return sum, err
			}
			sorted, sortedAt := make([]OrgRow, len(rows)), make([]int, len(rows))
			for k, i := range order {
				sorted[k], sortedAt[k] = rows[i], at[i]
			}
			if err := tx.InsertRows(ctx, o.ID, t, sorted, sortedAt); err != nil {
				return sum, err
			}
		}
		sum.Tables = append(sum.Tables, OrgTableCount{Table: t.Name, Rows: len(rows)})
	}
	// An id the document does not define stays as it is: it must not name
	// another organization's row.
	foreign, err := tx.ForeignOrgReferences(ctx, o.ID)
	if err != nil {
		return sum, err
	}
	for _, col := range foreign {
		f.Add("tables."+col, "refers to a row of another organization; a backup refers only to its own rows")
	}
	if err := f.Err(); err != nil {
		return sum, err
	}
	if err := tx.UpdateOrganizationSettings(ctx, o.ID, doc.Organization.Settings); err != nil {
		return sum, err
	}
	if err := tx.UpdateOrganizationTimeZone(ctx, o.ID, doc.Organization.TimeZone); err != nil {
		return sum, err
	}
	sum.Organization, err = tx.GetOrganization(ctx, o.ID)
	return sum, err
}

// parentsFirst returns the order to insert rows in: a row named by
// another's Parents column comes before it, the given order otherwise. at
// are the rows' indexes in the document, for errors.
func parentsFirst(t OrgTable, rows []OrgRow, at []int) ([]int, error) {
	order := make([]int, 0, len(rows))
	if len(t.Parents) == 0 {
		for i := range rows {
			order = append(order, i)
		}
		return order, nil
	}
	index := make(map[string]int, len(rows))
	for i, r := range rows {
		if id, ok := r["id"].(string); ok {
			index[id] = i
		}
	}
	state := make([]byte, len(rows)) // 0 new, 1 visiting, 2 placed
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case 2:
			return nil
		case 1:
			var f errs.Fields
			f.Add(fmt.Sprintf("tables.%s[%d]", t.Name, at[i]), "is its own ancestor through %s", strings.Join(t.Parents, ", "))
			return f.Err()
		}
		state[i] = 1
		for _, c := range t.Parents {
			if p, ok := rows[i][c].(string); ok {
				if j, ok := index[p]; ok && j != i {
					if err := visit(j); err != nil {
						return err
					}
				}
			}
		}
		state[i] = 2
		order = append(order, i)
		return nil
	}
	for i := range rows {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return order, nil
}
