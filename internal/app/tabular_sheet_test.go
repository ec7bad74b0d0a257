package app_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/tabular"
)

// vivaCSV is a flat export of another OKR tool: one row per key result,
// its objective's title repeated, day-first dates, decimal commas in quoted
// cells, percentages, and an objective without key results.
const vivaCSV = `Objective,Key Result,Owner,Start value,Target,Unit,Due date,Progress,Notes
Delight our customers,Raise NPS,ann@acme.test,32,45,number,31/03/2027,38,from the survey
Delight our customers,Cut first response time,bob@acme.test,"12,5",4,hours,15/03/2027,"10,0",
delight our  customers,Resolve tickets in one contact,ann@acme.test,60%,75%,,31/03/2027,,
Grow revenue steadily,,,,,,,,
`

func readSheet(t *testing.T, file string) tabular.Sheet {
	t.Helper()
	s, err := tabular.Read(strings.NewReader(file), tabular.CSV, "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGuessOKRMapping(t *testing.T) {
	for _, c := range []struct {
		header []string
		want   app.OKRMapping
	}{
		{[]string{"Objective", "Key Result", "Owner", "Start value", "Target", "Unit", "Due date", "Progress", "Notes"},
			app.OKRMapping{Objective: "Objective", KeyResult: "Key Result", Owner: "Owner", Baseline: "Start value", Target: "Target",
				Unit: "Unit", DueDate: "Due date", Current: "Progress"}},
		// okra's own key-result export: title is the key result, current beats progress.
		{[]string{"id", "slug", "period", "objective", "objective_id", "title", "owner", "owner_id", "kind", "unit", "baseline",
			"target", "current", "due_date", "progress"},
			app.OKRMapping{Objective: "objective", KeyResult: "title", Owner: "owner", Baseline: "baseline", Target: "target",
				Current: "current", Unit: "unit", DueDate: "due_date"}},
		{[]string{" OBJECTIVE TITLE ", "KR", "Key result owner", "Baseline", "Target value", "Current value", "Deadline", "Team", "Objective description"},
			app.OKRMapping{Objective: "OBJECTIVE TITLE", KeyResult: "KR", Owner: "Key result owner", Baseline: "Baseline",
				Target: "Target value", Current: "Current value", DueDate: "Deadline", ObjectiveOwner: "Team", ObjectiveDescription: "Objective description"}},
		{[]string{"a", "b"}, app.OKRMapping{}},
	} {
		if diff := cmp.Diff(c.want, app.GuessOKRMapping(c.header)); diff != "" {
			t.Errorf("GuessOKRMapping(%q) (-want +got):\n%s", c.header, diff)
		}
	}
}

func TestReadOKRSheet(t *testing.T) {
	s := readSheet(t, vivaCSV)
	m := app.GuessOKRMapping(s.Header)
	base := &app.OKRDocument{Objectives: []app.DocObjective{
		// A stored objective with another title, whose slug the new one must not take.
		{Slug: "grow-revenue-steadily", Title: "Grow revenue (old)"},
	}}
	got, problems := app.ReadOKRSheet(s, app.OKRSheetOptions{Period: "2027-Q1", Mapping: m, DateFormat: app.DateDMY, Base: base})
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	want := app.OKRDocument{Okra: 1, Period: "2027-Q1", Objectives: []app.DocObjective{
		{Slug: "delight-our-customers", Title: "Delight our customers", KeyResults: []app.DocKeyResult{
			{Slug: "raise-nps", Title: "Raise NPS", Owner: "ann@acme.test", Kind: okr.Increase, Unit: okr.UnitNumber,
				Baseline: ptr(32.0), Target: ptr(45.0), DueDate: "2027-03-31"},
			{Slug: "cut-first-response-time", Title: "Cut first response time", Owner: "bob@acme.test", Kind: okr.Decrease,
				Unit: okr.UnitCustom, UnitLabel: "hours", Baseline: ptr(12.5), Target: ptr(4.0), DueDate: "2027-03-15"},
			{Slug: "resolve-tickets-in-one-contact", Title: "Resolve tickets in one contact", Owner: "ann@acme.test", Kind: okr.Increase,
				Unit: okr.UnitPercent, Baseline: ptr(60.0), Target: ptr(75.0), DueDate: "2027-03-31"},
		}},
		{Slug: "grow-revenue-steadily-2", Title: "Grow revenue steadily"},
	}}
	if diff := cmp.Diff(want, got.Document); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}
	wantRows := []app.OKRSheetRow{{Line: 2, Objective: 0, KeyResult: 0}, {Line: 3, Objective: 0, KeyResult: 1},
		{Line: 4, Objective: 0, KeyResult: 2}, {Line: 5, Objective: 1, KeyResult: -1}}
	if diff := cmp.Diff(wantRows, got.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	wantCurrents := []app.OKRSheetCurrent{{Line: 2, Objective: "delight-our-customers", KeyResult: "raise-nps", Value: 38},
		{Line: 3, Objective: "delight-our-customers", KeyResult: "cut-first-response-time", Value: 10}}
	if diff := cmp.Diff(wantCurrents, got.Currents); diff != "" {
		t.Errorf("currents (-want +got):\n%s", diff)
	}

	// A stored objective with the same title (any case) keeps its slug, and so do its key results.
	base = &app.OKRDocument{Objectives: []app.DocObjective{{Slug: "q1-delight", Title: "DELIGHT OUR CUSTOMERS",
		KeyResults: []app.DocKeyResult{{Slug: "nps", Title: "raise nps", Kind: okr.Maintain}}}}}
	got, problems = app.ReadOKRSheet(s, app.OKRSheetOptions{Period: "2027-Q1", Mapping: m, DateFormat: app.DateDMY, Base: base})
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	o := got.Document.Objectives[0]
	if o.Slug != "q1-delight" || o.KeyResults[0].Slug != "nps" || o.KeyResults[0].Kind != "" {
		t.Errorf("stored slugs: objective %q, key result %q (kind %q); want q1-delight, nps and no kind (a maintain key result stays one)",
			o.Slug, o.KeyResults[0].Slug, o.KeyResults[0].Kind)
	}
}

func TestReadOKRSheetProblems(t *testing.T) {
	file := `Objective;Key Result;Owner;Start value;Target;Unit;Due date;Current
Delight customers;Raise NPS;ann(at)acme.test;32;45 pts;number;2027-02-30;38
Delight customers;Raise NPS;ann@acme.test;1;2;;;
;Orphan key result;;;;;;
Delight customers;;;;10;;;
Ship faster;Cut lead time;;1,000;5;currency;03/31/27;
Ship faster;Cut cycle time;;1.234,5;1.000.000;€;2027-03-31;abc
`
	s := readSheet(t, file)
	got, problems := app.ReadOKRSheet(s, app.OKRSheetOptions{Period: "2027-Q1", Mapping: app.GuessOKRMapping(s.Header)})
	want := []app.ImportError{
		{Line: 2, Column: "Owner", Field: "owner", Message: `"ann(at)acme.test" is not an e-mail address: give the owner's e-mail, e.g. ada@example.com`},
		{Line: 2, Column: "Target", Field: "target", Message: `"45 pts" is not a number: write it as 1234.5, 1234,5 or 45%, without units or currency signs`},
		{Line: 2, Column: "Due date", Field: "due_date", Message: `"2027-02-30" is not a day of the calendar (read as year 2027, month 2, day 30): check the date format`},
		{Line: 3, Column: "Key Result", Field: "key_result", Message: `"Raise NPS" is already on line 2 for the same objective: give each key result one row`},
		{Line: 4, Column: "Objective", Field: "objective", Message: "is empty: give the title of the key result's objective"},
		{Line: 5, Column: "Key Result", Field: "key_result", Message: "is empty, but the row gives a key result's target: name the key result, or leave its cells empty"},
		{Line: 6, Column: "Start value", Field: "baseline", Message: `"1,000" could be 1000 or 1.000: write it without a thousands separator, or choose the decimal separator`},
		{Line: 6, Column: "Unit", Field: "unit", Message: `"currency" does not say which currency: write its ISO code (EUR, USD) or sign (€, $)`},
		{Line: 6, Column: "Due date", Field: "due_date", Message: `"03/31/27" is not a date like 2027-03-31 (YYYY-MM-DD): write it so, or choose the file's date format`},
		{Line: 7, Column: "Current", Field: "current", Message: `"abc" is not a number: write it as 1234.5, 1234,5 or 45%, without units or currency signs`},
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	// Line 7's good cells are read: thousands separators where the decimal separator tells them apart.
	k := got.Document.Objectives[1].KeyResults[1]
	if *k.Baseline != 1234.5 || *k.Target != 1e6 || k.Unit != okr.UnitCurrency || k.Currency != "EUR" {
		t.Errorf("line 7: baseline %v, target %v, unit %s %s", *k.Baseline, *k.Target, k.Unit, k.Currency)
	}

	// A mapping naming a column the file lacks, and none for the objective.
	_, problems = app.ReadOKRSheet(s, app.OKRSheetOptions{Mapping: app.OKRMapping{Target: "Goal"}})
	want = []app.ImportError{
		{Field: "objective", Message: "choose the column that holds the objective"},
		{Column: "Goal", Field: "target", Message: `the file has no such column (for target): its columns are "Objective", "Key Result", "Owner", "Start value", "Target", "Unit", "Due date", "Current"`},
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("mapping problems (-want +got):\n%s", diff)
	}
}

func TestReadOKRSheetValues(t *testing.T) {
	for _, c := range []struct {
		format  app.DateFormat
		decimal string
		target  string
		due     string
		want    float64
		wantDue okr.Date
		problem string
	}{
		{format: app.DateISO, target: "1234.5", due: "2027-03-31", want: 1234.5, wantDue: "2027-03-31"},
		{format: app.DateISO, target: "-0,25", due: "2027-03-31T00:00:00", want: -0.25, wantDue: "2027-03-31"},
		{format: app.DateDMY, target: "1 234,5", due: "5.3.2027", want: 1234.5, wantDue: "2027-03-05"},
		{format: app.DateMDY, target: "1,234.5", due: "3/5/2027", want: 1234.5, wantDue: "2027-03-05"},
		{format: app.DateMDY, decimal: ".", target: "1,000", due: "2027-3-5", want: 1000, wantDue: "2027-03-05"},
		{format: app.DateDMY, decimal: ",", target: "1,000", due: "31/12/2027", want: 1, wantDue: "2027-12-31"},
		{format: app.DateISO, target: "0.125", due: "2027-01-01", want: 0.125, wantDue: "2027-01-01"},
		{format: app.DateISO, target: "45%", due: "2027-01-01", want: 45, wantDue: "2027-01-01"},
		{format: app.DateMDY, target: "1", due: "31/3/2027", problem: `"31/3/2027" is not a day of the calendar (read as year 2027, month 31, day 3): check the date format`},
		{format: app.DateDMY, target: "1", due: "31/3/27", problem: `"31/3/27" has a two-digit year: write the year in full, e.g. 31/03/2027`},
		{format: app.DateISO, target: "1,2,3", due: "2027-01-01", problem: `"1,2,3" is not a number: its "," does not separate thousands`},
		{format: app.DateDMY, target: "1", due: "March 31", problem: `"March 31" is not a date like 31/03/2027 (DD/MM/YYYY) or 2027-03-31: write it so, or choose the file's date format`},
		{format: app.DateISO, target: "$12", due: "2027-01-01", problem: `"$12" is not a number: write it as 1234.5, 1234,5 or 45%, without units or currency signs`},
	} {
		file := "Objective,Key result,Target,Due\nO,K,\"" + c.target + "\"," + c.due + "\n"
		got, problems := app.ReadOKRSheet(readSheet(t, file), app.OKRSheetOptions{DateFormat: c.format, Decimal: c.decimal,
			Mapping: app.OKRMapping{Objective: "Objective", KeyResult: "Key result", Target: "Target", DueDate: "Due"}})
		if c.problem != "" {
			if len(problems) != 1 || problems[0].Message != c.problem {
				t.Errorf("%s %s: problems %v, want %s", c.target, c.due, problems, c.problem)
			}
			continue
		}
		if len(problems) > 0 {
			t.Errorf("%s %s: %v", c.target, c.due, problems)
			continue
		}
		k := got.Document.Objectives[0].KeyResults[0]
		if *k.Target != c.want || k.DueDate != c.wantDue {
			t.Errorf("%s %s (%s, decimal %q) = %v, %s; want %v, %s", c.target, c.due, c.format, c.decimal, *k.Target, k.DueDate, c.want, c.wantDue)
		}
	}
}
