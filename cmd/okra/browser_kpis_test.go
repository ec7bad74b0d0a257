package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/okr"
)

// The KPI pages on the demo organization: the list, a KPI's page with its
// chart and records, recording a value by hand (which checks in the key
// result following the KPI), a CSV upload checked first and then imported,
// the KPI form, the objective page's section and the key result form's KPI
// source.

// kpiByName finds a demo KPI.
func kpiByName(t *testing.T, s *site, name string) okr.KPI {
	t.Helper()
	page, err := s.m.App.ListKPIs(context.Background(), s.ownerActor(), app.KPIQuery{PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range page.Items {
		if k.Name == name {
			return k
		}
	}
	t.Fatalf("the demo has no KPI %q", name)
	return okr.KPI{}
}

func TestBrowserKPIs(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	frt := kpiByName(t, s, "Support first-response time")
	if len(frt.KeyResultIDs) != 1 {
		t.Fatalf("first-response time feeds %v", frt.KeyResultIDs)
	}
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// The list: every KPI with its latest value and status in words.
	s.visit("/kpis")
	if got := s.text("h1"); got != "KPIs" {
		t.Fatalf("/kpis shows %q", got)
	}
	if got := s.text(`.nav a[aria-current="page"]`); got != "KPIs" {
		t.Errorf("the navigation marks %q as the current page, want KPIs", got)
	}
	if n := get(s, "count rows", chromedp.Evaluate[int](`document.querySelectorAll(".kpi-row").length`)); n != 6 {
		t.Errorf("the list shows %d KPIs, want the demo's 6", n)
	}
	row := s.text("#kpi-" + frt.ID)
	if !strings.Contains(row, "Support first-response time") || !strings.Contains(row, strconv.Itoa(int(frt.Latest.Value))+" minutes") {
		t.Errorf("the first-response row reads %q; want its name and latest value %g minutes", row, frt.Latest.Value)
	}
	if n := get(s, "count sparklines", chromedp.Evaluate[int](`document.querySelectorAll("svg.kpi-spark").length`)); n != 6 {
		t.Errorf("%d sparklines, want 6", n)
	}
	s.checkAccessibility("kpis")
	s.screenshots("kpis")

	// A KPI's page: where it stands, the chart with its thresholds, the records and what it moves.
	lrnClickAndWait(s, "open the KPI", "#kpi-"+frt.ID+" a.title", "/kpis/"+frt.ID)
	if got := s.text("h1"); got != frt.Name {
		t.Fatalf("the KPI's page is titled %q", got)
	}
	if got := s.text("#kpi-status"); !strings.Contains(got, kpiWord(frt.Status)) {
		t.Errorf("the status card reads %q, want %q", got, kpiWord(frt.Status))
	}
	get(s, "chart drawn", chromedp.Poll[bool](`!!document.querySelector('canvas[data-chart="kpi-chart-data"][data-drawn]')`))
	hist, err := s.m.App.KPIHistory(ctx, actor, frt.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := get(s, "count records", chromedp.Evaluate[int](`document.querySelectorAll(".kpi-table tbody tr").length`)); n != len(hist) {
		t.Errorf("the table has %d rows, want %d records", n, len(hist))
	}
	kr, err := s.m.App.GetKeyResult(ctx, actor, frt.KeyResultIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := s.text(`[aria-labelledby="kpi-moves-h"]`); !strings.Contains(got, kr.Title) {
		t.Errorf("what it moves reads %q, want the key result %q", got, kr.Title)
	}
	s.checkAccessibility("kpi")
	s.screenshots("kpi")

	// A value without a number says so beside the field and stores nothing.
	s.do("clear the value", chromedp.SetValue(chromedp.CSS("#kpi-value"), ""))
	lrnClickAndWait(s, "record without a value", "#record button[type=submit]", "/kpis/"+frt.ID)
	if got := s.text("#kpi-value-error"); !strings.Contains(got, "required") {
		t.Errorf("a record without a value says %q", got)
	}

	// A value for today moves the key result by itself.
	today := time.Now().In(mustLoc(t, "Europe/Berlin")).Format(okr.DateLayout)
	s.do("fill the record",
		chromedp.SetValue(chromedp.CSS("#kpi-date"), today),
		chromedp.SetValue(chromedp.CSS("#kpi-value"), "58"),
		chromedp.SetValue(chromedp.CSS("#kpi-note"), "Night shift covered by the new queue"),
	)
	lrnClickAndWait(s, "record the value", "#record button[type=submit]", "/kpis/"+frt.ID)
	if got := s.text(".flash"); !strings.Contains(got, "58 minutes") || !strings.Contains(got, "1 key result following it checked in") {
		t.Errorf("after recording, the flash says %q", got)
	}
	kr, err = s.m.App.GetKeyResult(ctx, actor, kr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if kr.Current != 58 || kr.Progress != 1 {
		t.Errorf("the key result is at %g (progress %g), want 58 and its target reached", kr.Current, kr.Progress)
	}
	if got := s.text("#kpi-latest"); !strings.Contains(got, "58 minutes") {
		t.Errorf("the latest value reads %q", got)
	}

	// A CSV file: checked first (nothing saved), then imported.
	dir := t.TempDir()
	file := filepath.Join(dir, "first-response.csv")
	past := time.Now().AddDate(0, -5, 0)
	csv := "date,value,note\n" + past.Format(okr.DateLayout) + ",131,from the old help desk\n" + past.AddDate(0, 0, 7).Format(okr.DateLayout) + ",127,\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	s.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#kpi-file"), []string{file}))
	lrnClickAndWait(s, "check the file", `#import button[name=dry_run]`, "/kpis/"+frt.ID)
	if got := s.text("#kpi-import-preview"); !strings.Contains(got, "would add 2 new") || !strings.Contains(got, "131 minutes") {
		t.Errorf("the preview reads %q", got)
	}
	if n, _ := s.m.App.KPIHistory(ctx, actor, frt.ID, ""); len(n) != len(hist)+1 {
		t.Errorf("checking the file stored records: %d, want %d", len(n), len(hist)+1)
	}
	s.checkAccessibility("kpi import preview")
	s.do("choose the file again", chromedp.SetUploadFiles(chromedp.CSS("#kpi-file"), []string{file}))
	lrnClickAndWait(s, "import the file", `#import button.btn-primary`, "/kpis/"+frt.ID)
	if got := s.text(".flash"); !strings.Contains(got, "Imported 2 records: 2 new") {
		t.Errorf("after the import, the flash says %q", got)
	}
	// A file with a bad line is refused whole, with the line.
	if err := os.WriteFile(file, []byte("date,value\n"+today+",12\n"+today+"x,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.do("choose the bad file", chromedp.SetUploadFiles(chromedp.CSS("#kpi-file"), []string{file}))
	lrnClickAndWait(s, "import the bad file", `#import button.btn-primary`, "/kpis/"+frt.ID)
	if got := s.text("#kpi-import-errors"); !strings.Contains(got, "line 3") {
		t.Errorf("a bad file says %q", got)
	}

	// The KPI form: a new KPI with thresholds against its direction is refused beside the field.
	s.visit("/kpis/new")
	s.do("fill the KPI",
		chromedp.SendKeys(chromedp.CSS("#name"), "Order accuracy"),
		chromedp.SetValue(chromedp.CSS("#unit"), "percent"),
		chromedp.SetValue(chromedp.CSS("#direction"), "increase"),
		chromedp.SendKeys(chromedp.CSS("#green"), "95"),
		chromedp.SendKeys(chromedp.CSS("#red"), "99"),
	)
	lrnClickAndWait(s, "create with crossed thresholds", "form.form-card button.btn-primary", "/kpis/new")
	if got := s.text("#green-error"); !strings.Contains(got, "above the red") {
		t.Errorf("crossed thresholds say %q", got)
	}
	s.checkAccessibility("kpi form")
	s.screenshots("kpi-form")
	s.do("fix the red threshold", chromedp.SetValue(chromedp.CSS("#red"), "90"))
	lrnClickAndWait(s, "create the KPI", "form.form-card button.btn-primary", "/kpis/0")
	if got := s.text("h1"); got != "Order accuracy" {
		t.Errorf("after creating, the page is %q", got)
	}
	if got := s.text("#kpi-status"); !strings.Contains(got, "No data yet") {
		t.Errorf("a new KPI's status reads %q", got)
	}

	// The objective page lists the KPIs it moves.
	o, err := s.m.App.GetObjective(ctx, actor, kr.ObjectiveID)
	if err != nil {
		t.Fatal(err)
	}
	s.visit("/objectives/" + o.ID)
	if got := s.text("#kpis"); !strings.Contains(got, frt.Name) || !strings.Contains(got, "58 minutes") {
		t.Errorf("the objective's KPIs read %q", got)
	}

	// The key result form offers the KPI source and its picker.
	s.visit("/key-results/new?objective=" + o.ID)
	s.do("choose the KPI source", chromedp.SetValue(chromedp.CSS("#source"), "kpi"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#source").dispatchEvent(new Event("change", {bubbles: true}))`))
	get(s, "the KPI picker shows", chromedp.Poll[bool](`!!document.querySelector("#kpi_id") && document.querySelector("#kpi_id").offsetParent !== null`))
	s.checkAccessibility("key result form with a KPI")
}

func kpiWord(s okr.KPIStatus) string {
	switch s {
	case okr.KPIGreen:
		return "Green"
	case okr.KPIYellow:
		return "Yellow"
	case okr.KPIRed:
		return "Red"
	case okr.KPIOverdue:
		return "Overdue"
	}
	return "No data yet"
}

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
