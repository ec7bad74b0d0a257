package app_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
	"github.com/okrahq/okra/internal/tabular"
)

// importCSV imports a CSV file into the world's period with the guessed
// mapping and day-first dates.
func (w *world) importCSV(t *testing.T, actor org.Actor, file string, dryRun bool) (app.OKRImportResult, error) {
	t.Helper()
	return w.a.ImportOKRs(context.Background(), actor, app.OKRImportInput{PeriodID: w.period.ID, Format: tabular.CSV,
		Content: []byte(file), DateFormat: app.DateDMY, DryRun: dryRun})
}

// rowSummary writes an import's rows one a line: line, objective action,
// key result, action, fields, check-in, errors.
func rowSummary(rows []app.OKRImportRow) []string {
	var out []string
	for _, r := range rows {
		s := fmt.Sprintf("%d %s|%s %s|%s %s", r.Line, r.Objective, r.ObjectiveAction, r.KeyResult, r.Action, strings.Join(r.Fields, ","))
		if r.CheckIn != nil {
			s += fmt.Sprintf(" check-in %v", *r.CheckIn)
		}
		for _, e := range r.Errors {
			s += " ! " + e.Error()
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func TestImportOKRs(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newWorldOn(t, st)

		// A dry run says what would happen and stores nothing.
		res, err := w.importCSV(t, w.owner, vivaCSV, true)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"2 Delight our customers|create Raise NPS|create  check-in 38",
			"3 Delight our customers| Cut first response time|create  check-in 10",
			"4 Delight our customers| Resolve tickets in one contact|create",
			"5 Grow revenue steadily|create |",
		}
		if diff := cmp.Diff(want, rowSummary(res.Rows)); diff != "" {
			t.Errorf("dry run rows (-want +got):\n%s", diff)
		}
		wantCounts := app.OKRImportCounts{Rows: 4, Create: 5, CheckIns: 2}
		if res.Counts != wantCounts || !res.DryRun || res.Imported || len(res.Errors) != 0 {
			t.Errorf("dry run: counts %+v, dry run %v, imported %v, errors %v", res.Counts, res.DryRun, res.Imported, res.Errors)
		}
		if page, _ := w.a.ListObjectives(ctx, w.owner, app.ObjectiveQuery{PeriodID: w.period.ID}); len(page.Items) != 0 {
			t.Fatalf("the dry run stored %d objectives", len(page.Items))
		}

		// The import stores it all, with the current values checked in.
		res, err = w.importCSV(t, w.owner, vivaCSV, false)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, rowSummary(res.Rows)); diff != "" {
			t.Errorf("import rows (-want +got):\n%s", diff)
		}
		if !res.Imported || res.Counts != wantCounts {
			t.Errorf("import: imported %v, counts %+v", res.Imported, res.Counts)
		}
		krs, err := w.a.ListKeyResults(ctx, w.owner, app.KeyResultQuery{PeriodID: w.period.ID})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, k := range krs.Items {
			got = append(got, fmt.Sprintf("%s/%s %s %s %v→%v now %v due %s", k.Slug, k.Title, k.Kind, app.UnitText(k), k.Baseline, k.Target, k.Current, k.DueDate))
			cs, err := w.a.ListCheckIns(ctx, w.owner, k.ID, app.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs.Items {
				got = append(got, fmt.Sprintf("  check-in %v→%v %s %q", c.PreviousValue, c.Value, c.Source, c.Note))
			}
		}
		wantKRs := []string{
			"raise-nps/Raise NPS increase number 32→45 now 38 due 2027-03-31",
			`  check-in 32→38 import "Imported from a spreadsheet."`,
			"cut-first-response-time/Cut first response time decrease hours 12.5→4 now 10 due 2027-03-15",
			`  check-in 12.5→10 import "Imported from a spreadsheet."`,
			"resolve-tickets-in-one-contact/Resolve tickets in one contact increase percent 60→75 now 60 due 2027-03-31",
		}
		if diff := cmp.Diff(wantKRs, got); diff != "" {
			t.Errorf("stored key results (-want +got):\n%s", diff)
		}

		// The same file again changes nothing.
		res, err = w.importCSV(t, w.owner, vivaCSV, false)
		if err != nil {
			t.Fatal(err)
		}
		want = []string{
			"2 Delight our customers|unchanged Raise NPS|unchanged",
			"3 Delight our customers| Cut first response time|unchanged",
			"4 Delight our customers| Resolve tickets in one contact|unchanged",
			"5 Grow revenue steadily|unchanged |",
		}
		if diff := cmp.Diff(want, rowSummary(res.Rows)); diff != "" {
			t.Errorf("second import rows (-want +got):\n%s", diff)
		}
		if res.Counts != (app.OKRImportCounts{Rows: 4, Unchanged: 5}) {
			t.Errorf("second import counts %+v", res.Counts)
		}

		// A changed target and current value update one key result and check it in.
		changed := strings.Replace(vivaCSV, "32,45,number,31/03/2027,38", "32,50,number,31/03/2027,41", 1)
		res, err = w.importCSV(t, w.owner, changed, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := rowSummary(res.Rows)[0]; got != "2 Delight our customers|unchanged Raise NPS|update target check-in 41" {
			t.Errorf("changed row: %s", got)
		}

		// Problems the use cases find come back on their rows and columns: a dry run reports them,
		// an import refuses the whole file.
		bad := "Objective,Key Result,Owner,Start value,Target,Due date\n" +
			"Delight our customers,Raise NPS,ann@acme.test,32,45,31/03/2027\n" +
			"Delight our customers,Win awards,nobody@acme.test,0,1,31/03/2027\n"
		res, err = w.importCSV(t, w.owner, bad, true)
		if err != nil {
			t.Fatal(err)
		}
		want = []string{
			"2 Delight our customers| Raise NPS|",
			`3 Delight our customers| Win awards|  ! line 3, column "Owner": no member with the e-mail "nobody@acme.test" in this organization`,
		}
		if diff := cmp.Diff(want, rowSummary(res.Rows)); diff != "" || res.Counts.Errors != 1 {
			t.Errorf("apply problems: %d errors, rows (-want +got):\n%s", res.Counts.Errors, diff)
		}
		_, err = w.importCSV(t, w.owner, bad, false)
		wantKind(t, err, errs.Invalid)
		if f := fieldsOf(err); f["file"] != `line 3, column "Owner": no member with the e-mail "nobody@acme.test" in this organization` {
			t.Errorf("import error fields %v", f)
		}
		// The use cases' own refusals too (a key result needs a baseline).
		bad = "Objective,Key Result,Owner,Start value,Target,Due date\n" +
			"Delight our customers,Open a shop,ann@acme.test,,3,31/03/2027\n"
		_, err = w.importCSV(t, w.owner, bad, false)
		wantKind(t, err, errs.Invalid)
		if f := fieldsOf(err); f["file"] != `line 2, column "Start value": say where the key result starts` {
			t.Errorf("import error fields %v", f)
		}
		if page, _ := w.a.ListKeyResults(ctx, w.owner, app.KeyResultQuery{PeriodID: w.period.ID}); len(page.Items) != 3 {
			t.Errorf("a refused import stored something: %d key results", len(page.Items))
		}

		// A member imports as themself: an organization objective is not theirs to set.
		res, err = w.importCSV(t, w.bob, "Objective,Key result,Target\nBe the best,Win,1\n", true)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Errors) == 0 || res.Errors[0].Line != 2 || res.Errors[0].Column != "Objective" {
			t.Errorf("member's import: %v", res.Errors)
		}
		_, err = w.importCSV(t, w.viola, vivaCSV, true)
		wantKind(t, err, errs.Forbidden)
	})
}

// exportCSV exports a dataset as CSV and reads it back.
func exportCSV(t *testing.T, a *app.App, actor org.Actor, ds app.Dataset, periodID string) (string, tabular.Sheet) {
	t.Helper()
	x, err := a.Export(context.Background(), actor, app.ExportQuery{Dataset: ds, PeriodID: periodID})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := x.Table.Write(&b, tabular.CSV); err != nil {
		t.Fatal(err)
	}
	s, err := tabular.Read(bytes.NewReader(b.Bytes()), tabular.CSV, "")
	if err != nil {
		t.Fatal(err)
	}
	return x.Name, s
}

// column returns one column of a sheet by header.
func column(s tabular.Sheet, name string) []string {
	i := s.Column(name)
	var out []string
	for _, r := range s.Rows {
		out = append(out, r.Cell(i))
	}
	return out
}

// joinColumns joins some columns of each row with |.
func joinColumns(s tabular.Sheet, names ...string) []string {
	var out []string
	for _, r := range s.Rows {
		var cells []string
		for _, n := range names {
			cells = append(cells, r.Cell(s.Column(n)))
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func TestExport(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, st *store.Store) { testExport(t, newWorldOn(t, st)) })
}

func testExport(t *testing.T, w *world) {
	ctx := context.Background()
	if _, err := w.importCSV(t, w.owner, vivaCSV, false); err != nil {
		t.Fatal(err)
	}
	// Ann keeps a private objective whose title would be a formula.
	private, err := w.a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "=HYPERLINK(\"http://x\")",
		Owner: app.OwnerInput{Type: okr.OwnerUser}, Visibility: okr.Private}, "")
	if err != nil {
		t.Fatal(err)
	}

	name, s := exportCSV(t, w.a, w.owner, app.DatasetObjectives, w.period.ID)
	if name != "okra-objectives-2027-q1" {
		t.Errorf("name %q", name)
	}
	if diff := cmp.Diff([]string{"Delight our customers", "Grow revenue steadily", "'=HYPERLINK(\"http://x\")"}, column(s, "title")); diff != "" {
		t.Errorf("owner's objectives (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Acme", "Acme", "ann@acme.test"}, column(s, "owner")); diff != "" {
		t.Errorf("owners (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", "", w.ann.UserID}, column(s, "owner_id")); diff != "" {
		t.Errorf("owner ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"3", "0", "0"}, column(s, "key_results")); diff != "" {
		t.Errorf("key result counts (-want +got):\n%s", diff)
	}
	// Bob sees what the list use case shows him: not Ann's private objective.
	_, s = exportCSV(t, w.a, w.bob, app.DatasetObjectives, w.period.ID)
	if diff := cmp.Diff([]string{"Delight our customers", "Grow revenue steadily"}, column(s, "title")); diff != "" {
		t.Errorf("bob's objectives (-want +got):\n%s", diff)
	}
	_ = private

	_, s = exportCSV(t, w.a, w.owner, app.DatasetKeyResults, w.period.ID)
	wantHeader := []string{"id", "slug", "period", "objective", "objective_id", "title", "owner", "owner_id", "kind", "unit",
		"baseline", "target", "current", "band_low", "band_high", "weight", "due_date", "indicator", "source",
		"progress", "confidence", "health", "last_check_in_at", "score"}
	if diff := cmp.Diff(wantHeader, s.Header); diff != "" {
		t.Errorf("key results header (-want +got):\n%s", diff)
	}
	var rows []string
	for _, r := range s.Rows {
		rows = append(rows, strings.Join(r.Cells[5:20], "|"))
	}
	wantRows := []string{
		"Raise NPS|ann@acme.test|" + w.ann.UserID + "|increase|number|32|45|38|||1|2027-03-31|lagging|manual|0.46153846153846156",
		"Cut first response time|bob@acme.test|" + w.bob.UserID + "|decrease|hours|12.5|4|10|||1|2027-03-15|lagging|manual|0.29411764705882354",
		"Resolve tickets in one contact|ann@acme.test|" + w.ann.UserID + "|increase|percent|60|75|60|||1|2027-03-31|lagging|manual|0",
	}
	if diff := cmp.Diff(wantRows, rows); diff != "" {
		t.Errorf("key results (-want +got):\n%s", diff)
	}

	// An export of key results imports back into another period as the same key results.
	next, err := w.a.CreatePeriod(ctx, w.owner, app.PeriodInput{Name: "2027-Q2", Kind: okr.PeriodQuarterly, StartDate: "2027-04-01", EndDate: "2027-06-30"}, "")
	if err != nil {
		t.Fatal(err)
	}
	x, err := w.a.Export(ctx, w.owner, app.ExportQuery{Dataset: app.DatasetKeyResults, PeriodID: w.period.ID})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := x.Table.Write(&b, tabular.XLSX); err != nil {
		t.Fatal(err)
	}
	res, err := w.a.ImportOKRs(ctx, w.owner, app.OKRImportInput{PeriodID: next.ID, Format: tabular.XLSX, Content: b.Bytes(), DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2 Delight our customers|create Raise NPS|create  check-in 38",
		"3 Delight our customers| Cut first response time|create  check-in 10",
		"4 Delight our customers| Resolve tickets in one contact|create",
	}
	if diff := cmp.Diff(want, rowSummary(res.Rows)); diff != "" || len(res.Errors) > 0 {
		t.Errorf("re-import of the export: errors %v, rows (-want +got):\n%s", res.Errors, diff)
	}
	if res.Mapping != (app.OKRMapping{Objective: "objective", KeyResult: "title", Owner: "owner", Baseline: "baseline", Target: "target",
		Current: "current", Unit: "unit", DueDate: "due_date"}) {
		t.Errorf("guessed mapping %+v", res.Mapping)
	}

	// Check-ins: the two the import made, with their source.
	_, s = exportCSV(t, w.a, w.owner, app.DatasetCheckIns, w.period.ID)
	if diff := cmp.Diff([]string{"Raise NPS", "Cut first response time"}, column(s, "key_result")); diff != "" {
		t.Errorf("check-ins (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"import", "import"}, column(s, "source")); diff != "" {
		t.Errorf("check-in sources (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"owner@acme.test", "owner@acme.test"}, column(s, "author")); diff != "" {
		t.Errorf("check-in authors (-want +got):\n%s", diff)
	}

	// Learning records: for a period, the enrollments due (or completed) within it.
	prog, err := w.a.CreateProgram(ctx, w.owner, app.ProgramInput{Title: "@Support basics", Kind: learning.KindCourse,
		Provider: "internal", Skills: []learning.TaughtSkill{}}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []app.EnrollmentInput{{UserID: w.ann.UserID, ProgramID: prog.ID, DueDate: "2027-02-15"},
		{UserID: w.bob.UserID, ProgramID: prog.ID, DueDate: "2027-05-15"}} {
		if _, err := w.a.Enroll(ctx, w.owner, e, ""); err != nil {
			t.Fatal(err)
		}
	}
	name, s = exportCSV(t, w.a, w.owner, app.DatasetLearning, w.period.ID)
	if name != "okra-learning-2027-q1" {
		t.Errorf("name %q", name)
	}
	if diff := cmp.Diff([]string{"ann@acme.test|'@Support basics|assigned|2027-02-15"}, joinColumns(s, "person", "program", "status", "due_date")); diff != "" {
		t.Errorf("learning in 2027-Q1 (-want +got):\n%s", diff)
	}
	name, s = exportCSV(t, w.a, w.owner, app.DatasetLearning, "")
	if name != "okra-learning" || len(s.Rows) != 2 {
		t.Errorf("all learning: %q, %d rows", name, len(s.Rows))
	}

	// An unknown dataset, another organization's period.
	_, err = w.a.Export(ctx, w.owner, app.ExportQuery{Dataset: "people"})
	wantKind(t, err, errs.Invalid)
	_, err = w.a.Export(ctx, w.owner, app.ExportQuery{Dataset: app.DatasetObjectives, PeriodID: "0190c0de-0000-7000-8000-000000000000"})
	wantKind(t, err, errs.NotFound)
}
