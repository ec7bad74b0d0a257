package okrfile_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/okrfile"
)

var update = flag.Bool("update", false, "rewrite docs/examples/okrs.json from docs/examples/okrs.yaml")

func f64(v float64) *float64 { return &v }

// The example in the docs reads the same in YAML and JSON, and encodes back
// to the same document.
func TestExamples(t *testing.T) {
	y, err := os.ReadFile("../../docs/examples/okrs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := okrfile.Decode(y, "okrs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		b, err := okrfile.Encode(doc, okrfile.JSON)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("../../docs/examples/okrs.json", b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	j, err := os.ReadFile("../../docs/examples/okrs.json")
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := okrfile.Decode(j, "okrs.json")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(doc, fromJSON); d != "" {
		t.Fatalf("okrs.yaml and okrs.json differ (-yaml +json):\n%s", d)
	}
	if doc.Period != "2027-Q1" || len(doc.Objectives) != 4 || len(doc.Initiatives) != 3 {
		t.Fatalf("example: period %q, %d objectives, %d initiatives", doc.Period, len(doc.Objectives), len(doc.Initiatives))
	}
	// The dates stay the text they are written as, however YAML reads them.
	if k := doc.Objectives[0].KeyResults[0]; k.DueDate != "2027-03-31" || *k.Baseline != 72 || *k.Target != 86 || k.Measure.KPI != "Customer satisfaction (CSAT)" {
		t.Fatalf("first key result: %+v", k)
	}
	for _, format := range []string{okrfile.YAML, okrfile.JSON} {
		b, err := okrfile.Encode(doc, format)
		if err != nil {
			t.Fatal(err)
		}
		again, err := okrfile.Decode(b, "")
		if err != nil {
			t.Fatalf("%s: %v\n%s", format, err, b)
		}
		if d := cmp.Diff(doc, again); d != "" {
			t.Fatalf("%s does not round-trip (-before +after):\n%s", format, d)
		}
		if okrfile.FormatOf("", b) != format {
			t.Fatalf("encoded %s sniffed as %s", format, okrfile.FormatOf("", b))
		}
	}
}

// Encode writes fields in the format's order, leaves empty ones out, quotes
// what YAML would read as something else, and always gives the same bytes.
func TestEncode(t *testing.T) {
	doc := app.OKRDocument{Okra: 1, Period: "2027-Q1", Objectives: []app.DocObjective{{
		Slug: "grow", Title: "Grow: the business", Description: "Two lines\nof text\n", Weight: f64(1.5), Tags: []string{"yes", "12"},
		KeyResults: []app.DocKeyResult{{Slug: "arr", Title: "ARR", Baseline: f64(0), Target: f64(1e6), DueDate: "2027-03-31",
			Band: &okr.Band{Low: 1, High: 2.25}}},
	}}}
	want := `okra: 1
period: 2027-Q1
objectives:
  - slug: grow
    title: 'Grow: the business'
    description: |
      Two lines
      of text
    weight: 1.5
    tags:
      - yes
      - "12"
    key_results:
      - slug: arr
        title: ARR
        baseline: 0
        target: 1000000
        band:
          low: 1
          high: 2.25
        due_date: "2027-03-31"
`
	for range 3 {
		b, err := okrfile.Encode(doc, okrfile.YAML)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != want {
			t.Fatalf("YAML:\n%s\nwant:\n%s", b, want)
		}
	}
	b, err := okrfile.Encode(doc, okrfile.JSON)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "{\n  \"okra\": 1,\n  \"period\": \"2027-Q1\",\n  \"objectives\": [\n    {\n      \"slug\": \"grow\",") ||
		strings.Contains(string(b), "initiatives") || strings.Contains(string(b), `"owner"`) {
		t.Fatalf("JSON:\n%s", b)
	}
	if _, err := okrfile.Encode(doc, "toml"); err == nil {
		t.Fatal("encoded toml")
	}
}

// A bad file gets every problem at once, each at its path and, in YAML, its line.
func TestDecodeErrors(t *testing.T) {
	yamlDoc := `okra: 1
period: 2027-Q1
objectives:
  - slug: a
    title: Grow
    weight: heavy
    key_results:
      - slug: k
        title: KR
        targt: 10
        baseline: "4"
        band: {low: 1, high: x}
    frob: 1
initiatives: none
`
	_, err := okrfile.Decode([]byte(yamlDoc), "okrs.yml")
	want := []errs.FieldError{
		{Field: "objectives[0].weight", Message: `line 6: must be a number, not the text "heavy"`},
		{Field: "objectives[0].key_results[0].targt", Message: "line 10: is not a field of the format here; did you mean target?"},
		{Field: "objectives[0].key_results[0].baseline", Message: `line 11: must be a number, not the text "4"`},
		{Field: "objectives[0].key_results[0].band.high", Message: `line 12: must be a number, not the text "x"`},
		{Field: "objectives[0].frob", Message: "line 13: is not a field of the format here; the fields are: slug, title, description, owner, champion, kind, visibility, state, outcome, weight, tags, aligns_to, alignment_note, kpis, skills, key_results"},
		{Field: "initiatives", Message: `line 14: must be a list, not the text "none"`},
	}
	var e *errs.Error
	if !asErr(err, &e) || e.Kind != errs.Invalid {
		t.Fatalf("got %v", err)
	}
	if d := cmp.Diff(want, e.Fields); d != "" {
		t.Fatalf("fields (-want +got):\n%s", d)
	}

	// The same mistakes in JSON: the same paths, with lines too (JSON is YAML).
	jsonDoc := `{"okra": 1, "period": "2027-Q1",
 "objectives": [{"slug": "a", "title": "Grow", "weight": "heavy",
   "key_results": [{"slug": "k", "title": "KR", "targt": 10}]}]}`
	_, err = okrfile.Decode([]byte(jsonDoc), "okrs.json")
	if !asErr(err, &e) {
		t.Fatalf("got %v", err)
	}
	got := map[string]string{}
	for _, f := range e.Fields {
		got[f.Field] = f.Message
	}
	wantJSON := map[string]string{
		"objectives[0].weight":               `line 2: must be a number, not the text "heavy"`,
		"objectives[0].key_results[0].targt": "line 3: is not a field of the format here; did you mean target?",
	}
	if d := cmp.Diff(wantJSON, got); d != "" {
		t.Fatalf("JSON fields (-want +got):\n%s", d)
	}

	for name, c := range map[string]struct{ file, data, want string }{
		"empty":        {"a.yaml", "  \n", "the file is empty"},
		"bad yaml":     {"a.yaml", "okra: [1\n", "the YAML file is not valid YAML"},
		"bad json":     {"a.json", "{\"okra\": 1,\n \"period\": }", "the JSON file is not valid JSON: line 2"},
		"two docs":     {"a.yaml", "okra: 1\n---\nokra: 1\n", "more than one document"},
		"two values":   {"a.json", "{} {}", "more than one value"},
		"duplicate":    {"a.yaml", "okra: 1\nokra: 2\n", "okra: line 2: is given twice"},
		"not a map":    {"a.yaml", "- 1\n", "(document): line 1: must be an object"},
		"null number":  {"a.yaml", "okra: ~\n", "okra: line 1: must not be null"},
		"infinity":     {"a.yaml", "okra: 1\nobjectives: [{slug: a, weight: .inf}]\n", "objectives[0].weight: line 2: \".inf\" is not a finite number"},
		"whole number": {"a.yaml", "okra: 1.5\n", "okra: line 1: must be a whole number, not 1.5"},
	} {
		_, err := okrfile.Decode([]byte(c.data), c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) || errs.KindOf(err) != errs.Invalid {
			t.Errorf("%s: got %v, want …%s…", name, err, c.want)
		}
	}
}

// The format comes from the name, else from the content.
func TestFormatOf(t *testing.T) {
	for _, c := range []struct{ name, data, want string }{
		{"okrs.yaml", "{}", okrfile.YAML}, {"okrs.YML", "", okrfile.YAML}, {"okrs.json", "okra: 1", okrfile.JSON},
		{"", " \n{\"okra\": 1}", okrfile.JSON}, {"-", "okra: 1", okrfile.YAML}, {"okrs.txt", "\ufeff{", okrfile.JSON},
	} {
		if got := okrfile.FormatOf(c.name, []byte(c.data)); got != c.want {
			t.Errorf("FormatOf(%q, %q) = %s, want %s", c.name, c.data, got, c.want)
		}
	}
}

func asErr(err error, target **errs.Error) bool {
	e, ok := err.(*errs.Error)
	*target = e
	return ok
}
