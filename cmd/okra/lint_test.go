package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/app"
)

// lintGood passes every check but two warnings on its last key result.
const lintGood = `okra: 1
period: 2027-Q1
objectives:
  - slug: support-people-love
    title: Customers get answers they trust from a support team they love
    owner: team:support
    champion: sam@shopwell.example
    aligns_to:
      - objective: customers-feel-helped
    key_results:
      - slug: csat
        title: Raise customer satisfaction from 72% to 86%
        owner: sam@shopwell.example
        unit: percent
        baseline: 72
        target: 86
        due_date: 2027-03-31
      - slug: first-contact
        title: Resolve more tickets at the first contact
        owner: priya@shopwell.example
        unit: percent
        baseline: 55
        target: 70
        due_date: 2027-03-31
      - slug: wait
        title: Cut the time customers wait for a first answer
        owner: priya@shopwell.example
        kind: decrease
        baseline: 9
        target: 2
`

// lintBad fails three checks: a deliverable for a title, no alignment, an
// activity count for a key result.
const lintBad = `{"okra": 1, "period": "2027-Q1", "objectives": [{"slug": "help-center", "title": "Launch the help center",
  "owner": "team:support", "key_results": [{"slug": "articles", "title": "Publish 40 help articles",
  "owner": "sam@shopwell.example", "unit": "custom", "unit_label": "articles", "baseline": 0, "target": 40}]}]}
`

func lintFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLint(t *testing.T) {
	// A good file: its warnings with their prompts, exit 0.
	out, errOut, code := okraCmd(t, "lint", lintFile(t, "good.yaml", lintGood))
	want := `Customers get answers they trust from a support team they love (support-people-love): strength 95%
  warn  key_result.unit  support-people-love/wait: It is a plain number without a label.
        → A number of what? Label the unit (customers, tickets, days…) so that everyone reads it the same way.
  warn  key_result.due_date  support-people-love/wait: It has no due date: it will be due at the period's end.
        → When should the result be there? An earlier date for an early result makes the period's rhythm visible.

2027-Q1: strength 95%, 22 checks: 20 pass, 2 warn, 0 fail
`
	if code != 0 || out != want || errOut != "" {
		t.Errorf("lint good.yaml: exit %d, stderr %q, stdout:\n%s\nwant:\n%s", code, errOut, out, want)
	}

	// A failing check: exit 1, nothing on stderr (the findings are the message).
	bad := lintFile(t, "bad.json", lintBad)
	out, errOut, code = okraCmd(t, "lint", bad)
	for _, line := range []string{
		"Launch the help center (help-center): strength 60%",
		`  fail  objective.outcome: The title starts with "launch": it names a deliverable, not the outcome it should bring.`,
		"        → Suppose it is launched and nothing changes for anyone: would that count? Name the change it should bring (for customers, users, the team) and make the delivery an initiative.",
		"  fail  objective.alignment: It aligns to nothing above it and does not say why.",
		`  fail  key_result.outcome  help-center/articles: It counts an activity ("publish" and a number): doing more of it does not show the objective is met.`,
		"2027-Q1: strength 64%, 11 checks: 6 pass, 2 warn, 3 fail",
	} {
		if !slices.Contains(strings.Split(out, "\n"), line) {
			t.Errorf("lint bad.json lacks the line %q:\n%s", line, out)
		}
	}
	if code != 1 || errOut != "" {
		t.Errorf("lint bad.json: exit %d, stderr %q", code, errOut)
	}

	// --format json: the coach's report, the same exit status.
	out, _, code = okraCmd(t, "lint", "--format", "json", bad)
	var r app.CoachReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("lint --format json: %v\n%s", err, out)
	}
	if code != 1 || r.Pass != 6 || r.Warn != 2 || r.Fail != 3 || len(r.Objectives) != 1 || r.Objectives[0].Ref != "help-center" ||
		len(r.Objectives[0].Findings) != 10 || r.Objectives[0].Strength != 0.6 {
		t.Errorf("lint --format json: exit %d, %+v", code, r)
	}

	// What is no OKR document: exit 2 with the path of each problem.
	out, errOut, code = okraCmd(t, "lint", lintFile(t, "broken.yaml", "okra: 1\nobjectives: 3\n"))
	if code != 2 || out != "" || !strings.Contains(errOut, "\n  objectives: line 2: must be a list, not the number 3\n") {
		t.Errorf("lint broken.yaml: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, errOut, code = okraCmd(t, "lint", filepath.Join(t.TempDir(), "missing.yaml")); code != 2 || !strings.Contains(errOut, "no such file") {
		t.Errorf("lint of a missing file: exit %d, %q", code, errOut)
	}
}

// The example of the docs passes the coach.
func TestLintDocsExample(t *testing.T) {
	example := filepath.Join("..", "..", "docs", "examples", "okrs.yaml")
	if _, err := os.Stat(example); err != nil {
		t.Skip("no docs/examples/okrs.yaml yet")
	}
	out, errOut, code := okraCmd(t, "lint", example)
	if code != 0 || !strings.Contains(out, "2027-Q1: strength ") || !strings.Contains(out, " 0 fail\n") {
		t.Errorf("lint %s: exit %d, stderr %q, stdout:\n%s", example, code, errOut, out)
	}
}
