package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/okr"
)

// Import & export on the demo organization: the download links (a CSV
// fetched as the browser would), then a spreadsheet from another OKR tool
// uploaded, its guessed column mapping and first rows shown, the dry run
// checked, the import made, and the objectives found on the alignment page.

func TestBrowserData(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// The period the page imports into by default: the one the shell shows.
	s.visit("/data")
	if got := s.text("h1"); got != "Import & export" {
		t.Fatalf("/data shows %q", got)
	}
	periodID := get(s, "import period", chromedp.Evaluate[string](`document.querySelector("#import-period").value`))
	p, err := s.m.App.GetPeriod(ctx, actor, periodID)
	if err != nil {
		t.Fatalf("the import period %q: %v", periodID, err)
	}
	if n := get(s, "count download links", chromedp.Evaluate[int](`document.querySelectorAll(".data-downloads a[download]").length`)); n != 10 {
		t.Errorf("%d download links, want 5 datasets × 2 formats", n)
	}
	csv := get(s, "download key results", chromedp.Evaluate[string](
		`fetch(document.querySelector('.data-downloads a[href*="key_results"][href*="format=csv"]').href).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	if !strings.HasPrefix(csv, "id,slug,period,objective,objective_id,title,owner,") || !strings.Contains(csv, ","+p.Name+",") {
		t.Errorf("the key results download starts %.200q", csv)
	}
	s.checkAccessibility("data")
	s.screenshots("data")

	// A flat export of another tool: day-first dates, a decimal comma, a percentage, an objective alone.
	day := func(d okr.Date, offset int) string {
		tm, err := time.Parse(okr.DateLayout, string(d))
		if err != nil {
			t.Fatal(err)
		}
		return tm.AddDate(0, 0, offset).Format("02/01/2006")
	}
	file := filepath.Join(t.TempDir(), "viva-goals-export.csv")
	content := "Objective,Key Result,Owner,Start value,Target,Unit,Due date,Progress\n" +
		"Make onboarding effortless,Cut time to first value,ceo@northwind.test,\"12,5\",4,days," + day(p.EndDate, 0) + ",\"10,0\"\n" +
		"Make onboarding effortless,Raise activation,ceo@northwind.test,40%,60%,," + day(p.EndDate, -10) + ",44%\n" +
		"Make onboarding effortless,Publish the setup guide,ceo@northwind.test,0,1,,," + "\n" +
		"Hear every customer,,,,,,,\n"
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	s.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{file}),
		chromedp.SetValue(chromedp.CSS("#import-dates"), string(app.DateDMY)))
	lrnClickAndWait(s, "upload the file", ".data-upload button.btn-primary", "/data/import")

	// The guessed mapping and the first rows.
	for sel, want := range map[string]string{"#map-objective": "Objective", "#map-key_result": "Key Result", "#map-owner": "Owner",
		"#map-baseline": "Start value", "#map-target": "Target", "#map-current": "Progress", "#map-unit": "Unit", "#map-due_date": "Due date",
		"#map-objective_owner": ""} {
		if got := get(s, "read "+sel, chromedp.Evaluate[string](`document.querySelector("`+sel+`").value`)); got != want {
			t.Errorf("%s maps %q, want %q", sel, got, want)
		}
	}
	if got := s.text(".data-preview tbody tr:first-child"); !strings.Contains(got, "Cut time to first value") || !strings.Contains(got, "12,5") {
		t.Errorf("the preview's first row reads %q", got)
	}
	// The dry run: everything new, two values to check in, nothing stored yet.
	rows := get(s, "dry run rows", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".data-rows tbody tr")].map(r => r.innerText.replace(/\s+/g, " ").trim())`))
	want := []string{
		"2 Make onboarding effortless new Cut time to first value new checks in 10",
		"3 Make onboarding effortless Raise activation new checks in 44",
		"4 Make onboarding effortless Publish the setup guide new —",
		"5 Hear every customer new none —",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("the dry run reads\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if got := s.text("#dry-run p"); !strings.Contains(got, "would create 5, change 0") || !strings.Contains(got, "check in 2 current values") {
		t.Errorf("the dry run's summary reads %q", got)
	}
	if page, _ := s.m.App.ListObjectives(ctx, actor, app.ObjectiveQuery{PeriodID: p.ID, PageRequest: app.PageRequest{Limit: 200}}); hasTitle(page.Items, "Make onboarding effortless") {
		t.Fatal("the dry run stored the objective")
	}
	s.checkAccessibility("data import")
	s.screenshots("data-import")

	// A wrong mapping shows its problems on the rows, with the column.
	s.do("map the target to the unit", chromedp.SetValue(chromedp.CSS("#map-target"), "Unit"))
	lrnClickAndWait(s, "check again", `#import-map button[value=check]`, "/data/import")
	if got := s.text(".data-rows tbody tr:first-child"); !strings.Contains(got, `Problem in “Unit”: "days" is not a number`) {
		t.Errorf("a wrong mapping's first row reads %q", got)
	}
	if n := get(s, "import buttons", chromedp.Evaluate[int](`document.querySelectorAll("button[value=apply]").length`)); n != 0 {
		t.Errorf("a file with problems offers %d import buttons", n)
	}
	s.checkAccessibility("data import with problems")
	s.screenshots("data-import-problems")
	s.do("map the target back", chromedp.SetValue(chromedp.CSS("#map-target"), "Target"))
	lrnClickAndWait(s, "check again", `#import-map button[value=check]`, "/data/import")

	// The import lands on the alignment page, which shows the objectives.
	lrnClickAndWait(s, "import", `button[value=apply]`, "/alignment")
	if got := s.text(".flash"); !strings.Contains(got, "Imported viva-goals-export.csv: 5 created") || !strings.Contains(got, "2 current values checked in") {
		t.Errorf("after the import, the flash says %q", got)
	}
	body := s.text("main")
	for _, title := range []string{"Make onboarding effortless", "Hear every customer"} {
		if !strings.Contains(body, title) {
			t.Errorf("the alignment page lacks %q", title)
		}
	}
	page, err := s.m.App.ListKeyResults(ctx, actor, app.KeyResultQuery{PeriodID: p.ID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range page.Items {
		if k.Title == "Cut time to first value" && (k.Kind != okr.Decrease || k.Current != 10 || k.UnitLabel != "days") {
			t.Errorf("Cut time to first value is %s %s at %g", k.Kind, k.UnitLabel, k.Current)
		}
	}

	// The same file again: nothing to do.
	s.visit("/data")
	s.do("choose the file again", chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{file}),
		chromedp.SetValue(chromedp.CSS("#import-dates"), string(app.DateDMY)))
	lrnClickAndWait(s, "upload the file again", ".data-upload button.btn-primary", "/data/import")
	if got := s.text("#dry-run"); !strings.Contains(got, "Nothing to import: the period already matches the file.") {
		t.Errorf("the second dry run reads %q", got)
	}
}

func hasTitle(os []okr.Objective, title string) bool {
	for _, o := range os {
		if o.Title == title {
			return true
		}
	}
	return false
}
