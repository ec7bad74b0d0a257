package httpapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/tabular"
)

// exportIsolation checks the exports and the import across organizations:
// B exports nothing of A's and cannot import into A's period.
func exportIsolation(t *testing.T, e *env, a, b *fixture, marker string) isolationExtra {
	t.Helper()
	for _, d := range app.Datasets {
		for _, format := range []string{"csv", "xlsx"} {
			ans := e.call(t, "GET", "/api/v1/exports/"+string(d)+"?format="+format+"&period_id="+a.period.ID, b.token, "", nil)
			if ans.status != 404 || strings.Contains(ans.body, marker) {
				t.Errorf("B exports %s of A's period as %s: %d %s", d, format, ans.status, ans.body)
			}
			ans = e.call(t, "GET", "/api/v1/exports/"+string(d)+"?format=csv", b.token, "", nil)
			if ans.status != 200 || strings.Contains(ans.body, marker) || strings.Contains(ans.body, a.objective.ID) {
				t.Errorf("B exports every %s: %d %s", d, ans.status, ans.body)
			}
		}
	}
	body := `{"format":"csv","content":"Objective,Key result,Start value,Target\nSteal,Win,0,1\n"}`
	return isolationExtra{
		filters:       map[string]string{"format": "csv"},
		refusingLists: map[string]bool{"/api/v1/exports/{dataset}": true}, // the literal {dataset} is not a dataset: 422
		refs:          []struct{ path, body string }{{"/api/v1/imports/okrs?period_id=" + a.period.ID, body}},
	}
}

func TestExportAPI(t *testing.T) {
	e := newEnv(t)
	f := e.newFixture(t, "Acme", "owner@acme.test", "alpha")
	ctx := context.Background()
	// Titles a spreadsheet would run as formulas.
	for _, title := range []string{"=HYPERLINK(\"http://evil.test\") alpha", "+SUM(1) alpha", "-2+3 alpha", "@cmd alpha"} {
		if _, err := f.client.CreateObjective(ctx, app.ObjectiveInput{PeriodID: f.period.ID, Title: title, Owner: app.OwnerInput{Type: okr.OwnerOrg}}); err != nil {
			t.Fatal(err)
		}
	}
	fill := strings.NewReplacer("{period}", f.period.ID, "{kr}", f.keyResult.ID)
	tokens := map[string]string{"owner": f.token, "member": f.memberToken, "viewer": f.viewerToken}
	for _, sc := range []apiScenario{
		{name: "objectives as CSV", method: "GET", path: "/api/v1/exports/objectives?period_id={period}&format=csv", token: "viewer", status: 200,
			contains: []string{"id,slug,period,title,", `,"'=HYPERLINK(""http://evil.test"") alpha",`, ",'+SUM(1) alpha,", ",'-2+3 alpha,", ",'@cmd alpha,",
				",Delight customers alpha,"},
			notContain: []string{",=HYPERLINK", ",+SUM", ",-2+3", ",@cmd"},
			header: map[string]string{"Content-Type": "text/csv; charset=utf-8",
				"Content-Disposition": "attachment; filename=okra-objectives-2027-alpha.csv"}},
		{name: "key results as XLSX", method: "GET", path: "/api/v1/exports/key_results?period_id={period}&format=xlsx", token: "member", status: 200,
			contains: []string{"PK"},
			header: map[string]string{"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
				"Content-Disposition": "attachment; filename=okra-key-results-2027-alpha.xlsx"}},
		{name: "check-ins, CSV by default", method: "GET", path: "/api/v1/exports/check_ins?period_id={period}", token: "owner", status: 200,
			contains: []string{"{kr}", "note alpha", ",api\n"}, header: map[string]string{"Content-Type": "text/csv; charset=utf-8"}},
		{name: "an unknown format", method: "GET", path: "/api/v1/exports/objectives?format=ods", token: "owner", status: 422, contains: []string{"format"}},
		{name: "an unknown dataset", method: "GET", path: "/api/v1/exports/people", token: "owner", status: 422, contains: []string{"dataset"}},
		{name: "an unknown period", method: "GET", path: "/api/v1/exports/objectives?period_id=0190c0de-0000-7000-8000-000000000000", token: "owner", status: 404},
		{name: "no token", method: "GET", path: "/api/v1/exports/objectives", status: 401},
	} {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, e, fill, tokens) })
	}

	// The XLSX file reads back with the same rows, formulas neutralized there too.
	ans := e.call(t, "GET", "/api/v1/exports/objectives?period_id="+f.period.ID+"&format=xlsx", f.token, "", nil)
	s, err := tabular.Read(strings.NewReader(ans.body), tabular.XLSX, "")
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, r := range s.Rows {
		titles = append(titles, r.Cell(s.Column("title")))
	}
	want := "Delight customers alpha|'=HYPERLINK(\"http://evil.test\") alpha|'+SUM(1) alpha|'-2+3 alpha|'@cmd alpha"
	if got := strings.Join(titles, "|"); got != want {
		t.Errorf("XLSX titles %s, want %s", got, want)
	}
}

func TestImportAPI(t *testing.T) {
	e := newEnv(t)
	f := e.newFixture(t, "Acme", "owner@acme.test", "alpha")
	csvFile := "Objective;Key Result;Owner;Start value;Target;Unit;Due date;Current\n" +
		"Grow revenue steadily;Reach ARR;owner@acme.test;1,5;3;EUR;30/06/2027;2\n" +
		"Grow revenue steadily;Win logos;member@acme.test;10;25;;30/09/2027;\n"
	body := func(extra string) string {
		b, _ := json.Marshal(csvFile)
		return `{"format":"csv","content":` + string(b) + `,"date_format":"DD/MM/YYYY"` + extra + `}`
	}
	xlsx := tabular.Table{Name: "OKRs", Columns: []tabular.Column{{Name: "Objective"}, {Name: "KR"}, {Name: "Baseline", Kind: tabular.Number},
		{Name: "Target value", Kind: tabular.Number}, {Name: "Deadline", Kind: tabular.Date}},
		Rows: [][]any{{"Ship faster", "Cut lead time", 20.0, 5.0, "2027-06-30"}}}
	var xb bytes.Buffer
	if err := xlsx.Write(&xb, tabular.XLSX); err != nil {
		t.Fatal(err)
	}
	xlsxBody := `{"format":"xlsx","content_base64":"` + base64.StdEncoding.EncodeToString(xb.Bytes()) + `"}`
	fill := strings.NewReplacer("{period}", f.period.ID)
	tokens := map[string]string{"owner": f.token, "member": f.memberToken, "viewer": f.viewerToken}
	for _, sc := range []apiScenario{
		{name: "a dry run", method: "POST", path: "/api/v1/imports/okrs?period_id={period}&dry_run=true", token: "owner", body: body(""), status: 200,
			contains: []string{`"dry_run":true`, `"imported":false`, `"objective_action":"create"`, `"key_result_ref":"grow-revenue-steadily/reach-arr"`,
				`"check_in":2`, `"counts":{"rows":2,"create":3,"update":0,"unchanged":0,"check_ins":1,"errors":0}`,
				`"mapping":{"objective":"Objective","key_result":"Key Result","owner":"Owner","baseline":"Start value","target":"Target","current":"Current","unit":"Unit","due_date":"Due date"}`}},
		{name: "a viewer", method: "POST", path: "/api/v1/imports/okrs?period_id={period}&dry_run=true", token: "viewer", body: body(""), status: 403},
		{name: "the import", method: "POST", path: "/api/v1/imports/okrs?period_id={period}", token: "owner", body: body(""), status: 200,
			contains: []string{`"imported":true`, `"counts":{"rows":2,"create":3,"update":0,"unchanged":0,"check_ins":1,"errors":0}`}},
		{name: "the same file again", method: "POST", path: "/api/v1/imports/okrs?period_id={period}", token: "owner", body: body(""), status: 200,
			contains: []string{`"counts":{"rows":2,"create":0,"update":0,"unchanged":3,"check_ins":0,"errors":0}`}},
		{name: "an XLSX file", method: "POST", path: "/api/v1/imports/okrs?period_id={period}&dry_run=true", token: "owner", body: xlsxBody, status: 200,
			contains: []string{`"key_result_ref":"ship-faster/cut-lead-time"`, `"action":"create"`, `"baseline":"Baseline","target":"Target value"`, `"due_date":"Deadline"`}},
		{name: "a problem in a row", method: "POST", path: "/api/v1/imports/okrs?period_id={period}", token: "owner",
			body: strings.Replace(body(""), "10;25", "10;lots", 1), status: 422,
			contains: []string{`"field":"file"`, `line 3, column \"Target\": \"lots\" is not a number`, "nothing was imported"}},
		{name: "a problem in a row, dry run", method: "POST", path: "/api/v1/imports/okrs?period_id={period}&dry_run=true", token: "owner",
			body: strings.Replace(body(""), "10;25", "10;lots", 1), status: 200,
			contains: []string{`"errors":[{"line":3,"column":"Target","field":"target","message":"\"lots\" is not a number`,
				`"counts":{"rows":2,"create":0,"update":0,"unchanged":0,"check_ins":0,"errors":1}`}},
		{name: "a mapping naming a missing column", method: "POST", path: "/api/v1/imports/okrs?period_id={period}", token: "owner",
			body: body(`,"mapping":{"objective":"Goal"}`), status: 422,
			contains: []string{`"field":"file"`, `column \"Goal\": the file has no such column (for objective)`}},
		{name: "no file", method: "POST", path: "/api/v1/imports/okrs?period_id={period}", token: "owner", body: `{"format":"csv"}`, status: 422,
			contains: []string{`"field":"content"`}},
		{name: "an XLSX file sent as text", method: "POST", path: "/api/v1/imports/okrs?period_id={period}", token: "owner",
			body: `{"format":"xlsx","content":"Objective\nx\n"}`, status: 422, contains: []string{"not an XLSX workbook"}},
		{name: "another organization's period", method: "POST", path: "/api/v1/imports/okrs?period_id=0190c0de-0000-7000-8000-000000000000", token: "owner",
			body: body(""), status: 404},
	} {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, e, fill, tokens) })
	}

	// The alignment tree shows what was imported.
	ans := e.call(t, "GET", "/api/v1/alignment?period_id="+f.period.ID, f.token, "", nil)
	for _, s := range []string{"Grow revenue steadily", "Reach ARR", "Win logos"} {
		if !strings.Contains(ans.body, s) {
			t.Errorf("alignment lacks %q: %s", s, ans.body)
		}
	}
	if strings.Count(ans.body, `"title":"Reach ARR"`) != 1 {
		t.Errorf("Reach ARR is in the tree %d times", strings.Count(ans.body, `"title":"Reach ARR"`))
	}
}
