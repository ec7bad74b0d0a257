package learning_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/learning"
)

// sampleMapping maps the columns of testdata/lms_completions.csv.
var sampleMapping = learning.CompletionMapping{Email: "User Email", Program: "Course ID", Status: "Completion Status",
	Progress: "Progress", Score: "Score", Completed: "Completion Date", Hours: "Time Spent (h)"}

// showRow writes a completion row on one line, its pointers as values.
func showRow(r learning.CompletionRow) string {
	num := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprintf("%.4g", math.Round(*p*10000)/10000)
	}
	passed, completed := "-", "-"
	if r.Passed != nil {
		passed = fmt.Sprint(*r.Passed)
	}
	if r.Completed != nil {
		completed = r.Completed.Format(time.RFC3339)
		if r.Completed.Location() != time.UTC {
			completed += " (not UTC)"
		}
	}
	return fmt.Sprintf("%d %s %s status=%s passed=%s score=%s completed=%s hours=%s progress=%s", r.Line, r.Email,
		r.Program, r.Status, passed, num(r.Score), completed, num(r.Hours), num(r.Progress))
}

// showRows writes rows one a line.
func showRows(rows []learning.CompletionRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, showRow(r))
	}
	return out
}

// showRowErrors writes row errors one a line.
func showRowErrors(errs []learning.RowError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

// parseCompletionsFile parses a report that must have no file-level error.
func parseCompletionsFile(tb testing.TB, file string, m learning.CompletionMapping) ([]string, []learning.RowError) {
	tb.Helper()
	rows, bad, err := learning.ParseCompletions(strings.NewReader(file), m)
	if err != nil {
		tb.Fatal(err)
	}
	return showRows(rows), bad
}

func TestParseCompletionsSample(t *testing.T) {
	rows, bad, err := learning.ParseCompletions(openSample(t, "lms_completions.csv"), sampleMapping)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 0 {
		t.Errorf("row errors %q", showRowErrors(bad))
	}
	want := []string{
		"2 liam.chen@northwind.test CR-301 status=completed passed=true score=88 completed=2026-10-14T16:42:10Z hours=12.5 progress=1",
		"3 priya.nair@northwind.test CR-301 status=in_progress passed=- score=- completed=- hours=5 progress=0.4",
		"4 sofia.marin@northwind.test CR-301 status=completed passed=true score=92 completed=2026-09-30T11:05:37Z hours=11 progress=1",
		"5 aisha.rahman@northwind.test SCHED-101 status=completed passed=- score=95 completed=2026-10-02T09:18:44Z hours=3 progress=1",
		"6 tomas.ortega@northwind.test SCHED-101 status=failed passed=false score=54 completed=2026-10-09T14:27:03Z hours=2.5 progress=1",
		"7 marcus.johnson@northwind.test SCHED-101 status=assigned passed=- score=- completed=- hours=0 progress=0",
		"8 noah.williams@northwind.test AGILE-210 status=completed passed=true score=81 completed=2026-10-20T17:55:21Z hours=16 progress=1",
		"9 fatima.zahra@northwind.test AGILE-210 status=in_progress passed=- score=- completed=- hours=7.5 progress=0.65",
		"10 elena.petrova@northwind.test AGILE-210 status=completed passed=true score=90 completed=2026-09-18T10:31:09Z hours=15 progress=1",
		"11 j.meyer@partner-agency.example CR-301 status=completed passed=true score=79 completed=2026-10-11T15:02:48Z hours=12 progress=1",
		"12 liam.chen@northwind.test GDPR-100 status=completed passed=- score=100 completed=2026-10-01T08:46:15Z hours=1 progress=1",
	}
	if got := showRows(rows); !slices.Equal(got, want) {
		t.Errorf("rows\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}

	// Only the required columns, named in another case and with spaces; the title as the program.
	rows, bad, err = learning.ParseCompletions(openSample(t, "lms_completions.csv"),
		learning.CompletionMapping{Email: " user email ", Program: "COURSE TITLE"})
	if err != nil || len(bad) != 0 {
		t.Fatal(err, bad)
	}
	if len(rows) != 11 || showRow(rows[6]) != "8 noah.williams@northwind.test Agile Project Management, Foundation "+
		"status= passed=- score=- completed=- hours=- progress=-" {
		t.Errorf("%d rows, the 7th %q", len(rows), showRow(rows[6]))
	}
}

func TestParseCompletionsStatusWords(t *testing.T) {
	words := []struct{ word, want string }{
		{"completed", "completed passed=-"}, {"Complete", "completed passed=-"}, {"FINISHED", "completed passed=-"},
		{"done", "completed passed=-"}, {"Passed", "completed passed=true"}, {"pass", "completed passed=true"},
		{"Failed", "failed passed=false"}, {"FAIL", "failed passed=false"}, {"In Progress", "in_progress passed=-"},
		{"in_progress", "in_progress passed=-"}, {"in-progress", "in_progress passed=-"}, {"started", "in_progress passed=-"},
		{"Incomplete", "in_progress passed=-"}, {"Not Started", "assigned passed=-"}, {"not_attempted", "assigned passed=-"},
		{"Not attempted", "assigned passed=-"}, {"enrolled", "assigned passed=-"}, {"Assigned", "assigned passed=-"},
		{"", " passed=-"},
	}
	var b strings.Builder
	b.WriteString("email,course,status\n")
	for _, w := range words {
		fmt.Fprintf(&b, "a@x.test,c1,%s\n", w.word)
	}
	b.WriteString("a@x.test,c1,withdrawn\n")
	rows, bad := parseCompletionsFile(t, b.String(), learning.CompletionMapping{Email: "email", Program: "course", Status: "status"})
	if len(rows) != len(words) {
		t.Fatalf("%d rows for %d words", len(rows), len(words))
	}
	for i, w := range words {
		if want := fmt.Sprintf("%d a@x.test c1 status=%s score=- completed=- hours=- progress=-", i+2, w.want); rows[i] != want {
			t.Errorf("%q: %q, want %q", w.word, rows[i], want)
		}
	}
	if len(bad) != 1 || bad[0].Line != len(words)+2 || bad[0].Column != "status" ||
		!strings.Contains(bad[0].Message, `"withdrawn" is not a status okra knows: use completed, passed, failed, in progress or not started`) {
		t.Errorf("row errors %q", showRowErrors(bad))
	}
}

func TestParseCompletionsValues(t *testing.T) {
	base := learning.CompletionMapping{Email: "email", Program: "program"}
	with := func(set func(*learning.CompletionMapping)) learning.CompletionMapping {
		m := base
		set(&m)
		return m
	}
	score := with(func(m *learning.CompletionMapping) { m.Score = "score" })
	for _, tc := range []struct {
		name string
		m    learning.CompletionMapping
		file string
		want []string
	}{
		{"scores", score, "email,program,score\n" +
			"a@x.test,p,85\n" + "a@x.test,p,85%\n" + "a@x.test,p,85.5 %\n" + "a@x.test,p,0.5\n" + "a@x.test,p,100\n" + "a@x.test,p,0\n",
			[]string{"score=85", "score=85", "score=85.5", "score=0.5", "score=100", "score=0"}},
		{"scores of 0–1", score, "email,program,score\n" +
			"a@x.test,p,0.85\n" + "a@x.test,p,1\n" + "a@x.test,p,0\n" + "a@x.test,p,72%\n" + "a@x.test,p,\n",
			[]string{"score=85", "score=100", "score=0", "score=72", "score=-"}},
		{"dates", with(func(m *learning.CompletionMapping) { m.Completed = "date" }), "email,program,date\n" +
			"a@x.test,p,2026-03-12\n" + "a@x.test,p,2026-03-12T14:30:00+01:00\n" + "a@x.test,p,2026-03-12T14:30:00.250Z\n" +
			"a@x.test,p,2026-03-12 14:30:05\n" + "a@x.test,p,2026-03-12 14:30\n" + "a@x.test,p,2026-03-12T14:30:05\n",
			[]string{"completed=2026-03-12T00:00:00Z", "completed=2026-03-12T13:30:00Z", "completed=2026-03-12T14:30:00Z",
				"completed=2026-03-12T14:30:05Z", "completed=2026-03-12T14:30:00Z", "completed=2026-03-12T14:30:05Z"}},
		{"hours", with(func(m *learning.CompletionMapping) { m.Hours = "hours" }), "email,program,hours\n" +
			"a@x.test,p,1.5\n" + "a@x.test,p,1:30\n" + "a@x.test,p,0:45\n" + "a@x.test,p,2:15:36\n" + "a@x.test,p,12\n" + "a@x.test,p,0\n",
			[]string{"hours=1.5", "hours=1.5", "hours=0.75", "hours=2.26", "hours=12", "hours=0"}},
		{"progress", with(func(m *learning.CompletionMapping) { m.Progress = "progress" }), "email,program,progress\n" +
			"a@x.test,p,45\n" + "a@x.test,p,45%\n" + "a@x.test,p,100\n" + "a@x.test,p,0.5\n",
			[]string{"progress=0.45", "progress=0.45", "progress=1", "progress=0.005"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, bad := parseCompletionsFile(t, tc.file, tc.m)
			if len(bad) != 0 {
				t.Errorf("row errors %q", showRowErrors(bad))
			}
			if len(rows) != len(tc.want) {
				t.Fatalf("rows %q, want %d", rows, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(rows[i]+" ", " "+w+" ") {
					t.Errorf("row %q, want %s", rows[i], w)
				}
			}
		})
	}
}

func TestParseCompletionsSemicolons(t *testing.T) {
	// A European export: byte-order mark, semicolons, decimal commas,
	// quoted fields, CRLF, blank lines and a row of empty cells.
	file := "\ufeff\"E-Mail\";\"Kurs-ID\";\"Status\";\"Punkte\";\"Abschluss\";\"Stunden\"\r\n" +
		"\"anna.schmidt@northwind.test\";\"CR-301\";\"passed\";\"87,5\";\"2026-10-14\";\"1,25\"\r\n" +
		"\r\n" +
		";;;;;\r\n" +
		"\"jonas@northwind.test\";\"AGILE; advanced\";\"in progress\";;;\"0:40\"\r\n"
	rows, bad := parseCompletionsFile(t, file, learning.CompletionMapping{Email: "e-mail", Program: "kurs-id",
		Status: "status", Score: "punkte", Completed: "abschluss", Hours: "stunden"})
	want := []string{
		"2 anna.schmidt@northwind.test CR-301 status=completed passed=true score=87.5 completed=2026-10-14T00:00:00Z hours=1.25 progress=-",
		"5 jonas@northwind.test AGILE; advanced status=in_progress passed=- score=- completed=- hours=0.6667 progress=-",
	}
	if !slices.Equal(rows, want) || len(bad) != 0 {
		t.Errorf("rows\n got %q\nwant %q\nrow errors %q", rows, want, showRowErrors(bad))
	}

	// In a comma-separated file a decimal comma is no number.
	_, bad = parseCompletionsFile(t, "email,program,score\na@x.test,p,\"87,5\"\n",
		learning.CompletionMapping{Email: "email", Program: "program", Score: "score"})
	if len(bad) != 1 || bad[0].Line != 2 || bad[0].Column != "score" {
		t.Errorf("row errors %q", showRowErrors(bad))
	}

	// Tabs.
	rows, bad = parseCompletionsFile(t, "email\tprogram\tscore\na@x.test\tp 1\t90\n",
		learning.CompletionMapping{Email: "email", Program: "program", Score: "score"})
	if len(bad) != 0 || len(rows) != 1 || rows[0] != "2 a@x.test p 1 status= passed=- score=90 completed=- hours=- progress=-" {
		t.Errorf("tab-separated: %q %q", rows, showRowErrors(bad))
	}
}

func TestParseCompletionsRowErrors(t *testing.T) {
	m := learning.CompletionMapping{Email: "Email", Program: "Course", Status: "Status", Score: "Score",
		Completed: "Date", Hours: "Hours", Progress: "Progress"}
	file := "Email,Course,Status,Score,Date,Hours,Progress\n" +
		"a@x.test,c1,passed,90,2026-01-05,1.5,100\n" + // line 2: fine
		"not-an-email,c1,passed,101,2026-01-05,1.5,100\n" + // line 3: two bad cells
		",,done,,,,\n" + // line 4
		"\"b@x.test\",\"c2\nsecond line\",done,,,,\n" + // lines 5–6: fine, a multi-line program
		"c@x.test,c3,done,abc,05/01/2026,-2,150\n" + // line 7
		"d@x.test,c4,done,-1,yesterday,1:75,half\n" + // line 8
		"mailto:e@x.test,c5,done,0.5,2026-02-30,1h,45%\n" + // line 9: a bad date and hours
		"f@x.test,c6\n" // line 10: a short row is fine
	rows, bad, err := learning.ParseCompletions(strings.NewReader(file), m)
	if err != nil {
		t.Fatal(err)
	}
	wantRows := []string{
		"2 a@x.test c1 status=completed passed=true score=90 completed=2026-01-05T00:00:00Z hours=1.5 progress=1",
		"5 b@x.test c2 second line status=completed passed=- score=- completed=- hours=- progress=-",
		"10 f@x.test c6 status= passed=- score=- completed=- hours=- progress=-",
	}
	if got := showRows(rows); !slices.Equal(got, wantRows) {
		t.Errorf("rows\n got %q\nwant %q", got, wantRows)
	}
	wantErrs := []string{
		`line 3, column "Email": "not-an-email" is not an e-mail address`,
		`line 3, column "Score": the score 101 is not between 0 and 100`,
		`line 4, column "Email": the e-mail is empty`,
		`line 4, column "Course": the program is empty`,
		`line 7, column "Score": "abc" is not a score: write a number from 0 to 100, such as 85 or 85%`,
		`line 7, column "Date": "05/01/2026" could be day/month or month/day: write the date as YYYY-MM-DD`,
		`line 7, column "Hours": the hours -2 are negative`,
		`line 7, column "Progress": the percentage 150 is not between 0 and 100`,
		`line 8, column "Score": the score -1 is not between 0 and 100`,
		`line 8, column "Date": "yesterday" is not a date: write YYYY-MM-DD`,
		`line 8, column "Hours": "1:75" is not a duration: write hours as a number (1.5) or as H:MM (1:30)`,
		`line 8, column "Progress": "half" is not a percentage: write a number from 0 to 100, such as 85 or 85%`,
		`line 9, column "Date": "2026-02-30" is not a date`,
		`line 9, column "Hours": "1h" is not a duration`,
	}
	got := showRowErrors(bad)
	if len(got) != len(wantErrs) {
		t.Fatalf("row errors\n got %q\nwant %q", got, wantErrs)
	}
	for i, w := range wantErrs {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("row error %d: %q, want %q", i, got[i], w)
		}
	}
	// A RowError says its column as the file writes it, apart from its message.
	if bad[0] != (learning.RowError{Line: 3, Column: "Email", Message: `"not-an-email" is not an e-mail address`}) {
		t.Errorf("first row error %+v", bad[0])
	}
}

func TestParseCompletionsFileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		m          learning.CompletionMapping
		want       []string
	}{
		{"missing columns", "User Email,Course ID,Score\n",
			learning.CompletionMapping{Email: "Email", Program: "Course ID", Score: "Score", Hours: "Duration"},
			[]string{`the file has no columns "Email" (email), "Duration" (hours): its columns are "User Email", "Course ID", "Score"`}},
		{"one missing column", "User Email,Course ID\n", learning.CompletionMapping{Email: "User Email", Program: "Course"},
			[]string{`the file has no column "Course" (program): its columns are "User Email", "Course ID"`}},
		{"no email in the mapping", "a,b\n", learning.CompletionMapping{Program: "b"},
			[]string{"the column mapping must name the column of the learner's e-mail (email)"}},
		{"empty mapping", "a,b\n", learning.CompletionMapping{},
			[]string{"the learner's e-mail (email) and of the program's id or title (program)"}},
		{"empty file", "", learning.CompletionMapping{Email: "a", Program: "b"}, []string{"the file is empty"}},
		{"bad CSV", "a,b\nx@y.test,\"p\n", learning.CompletionMapping{Email: "a", Program: "b"},
			[]string{"line 2: the file is not valid CSV"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, bad, err := learning.ParseCompletions(strings.NewReader(tc.file), tc.m)
			wantErr(t, err, tc.want...)
			if rows != nil || bad != nil {
				t.Errorf("rows %v and row errors %v with an error", rows, bad)
			}
		})
	}
}

func TestParseCompletionsTooMany(t *testing.T) {
	var b strings.Builder
	b.WriteString("e,p\n")
	for i := range learning.MaxCompletionRows {
		fmt.Fprintf(&b, "u%d@x.test,p\n", i)
	}
	m := learning.CompletionMapping{Email: "e", Program: "p"}
	rows, bad, err := learning.ParseCompletions(strings.NewReader(b.String()), m)
	if err != nil || len(bad) != 0 || len(rows) != learning.MaxCompletionRows {
		t.Fatalf("%d rows, %d row errors, error %v", len(rows), len(bad), err)
	}
	b.WriteString("last@x.test,p\n")
	_, _, err = learning.ParseCompletions(strings.NewReader(b.String()), m)
	wantErr(t, err, "more than 100000 rows")
}
