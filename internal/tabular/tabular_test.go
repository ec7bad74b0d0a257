package tabular_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/okrahq/okra/internal/tabular"
)

// dangerous are the six leading characters OWASP names, each in a cell.
var dangerous = []string{"=1+2", "+1+2", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"}

func sample() tabular.Table {
	rows := [][]any{}
	for _, d := range dangerous {
		rows = append(rows, []any{d, -3.5, 0.62, "2027-03-31", time.Date(2027, 1, 2, 9, 30, 0, 0, time.UTC), true})
	}
	rows = append(rows, []any{"Plain, \"quoted\"\ntext", nil, nil, "", nil, false})
	return tabular.Table{Name: "Key results", Columns: []tabular.Column{
		{Name: "title", Kind: tabular.Text}, {Name: "value", Kind: tabular.Number}, {Name: "progress", Kind: tabular.Percent},
		{Name: "due_date", Kind: tabular.Date}, {Name: "at", Kind: tabular.Time}, {Name: "aligned", Kind: tabular.Bool},
	}, Rows: rows}
}

func TestNeutralize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=1+2", "'=1+2"}, {"+1", "'+1"}, {"-1", "'-1"}, {"@x", "'@x"}, {"\tx", "'\tx"}, {"\rx", "'\rx"},
		{"", ""}, {"Grow revenue", "Grow revenue"}, {"a=b", "a=b"}, {"'=x", "'=x"}, {" =x", " =x"},
	} {
		if got := tabular.Neutralize(c.in); got != c.want {
			t.Errorf("Neutralize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	if err := sample().Write(&b, tabular.CSV); err != nil {
		t.Fatal(err)
	}
	want := "title,value,progress,due_date,at,aligned\n" +
		"'=1+2,-3.5,0.62,2027-03-31,2027-01-02T09:30:00Z,true\n" +
		"'+1+2,-3.5,0.62,2027-03-31,2027-01-02T09:30:00Z,true\n" +
		"'-1+2,-3.5,0.62,2027-03-31,2027-01-02T09:30:00Z,true\n" +
		"'@SUM(A1),-3.5,0.62,2027-03-31,2027-01-02T09:30:00Z,true\n" +
		"'\tcmd,-3.5,0.62,2027-03-31,2027-01-02T09:30:00Z,true\n" +
		"\"'\rcmd\",-3.5,0.62,2027-03-31,2027-01-02T09:30:00Z,true\n" +
		"\"Plain, \"\"quoted\"\"\ntext\",,,,,false\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("CSV (-want +got):\n%s", diff)
	}
	// Read back: every row, at its line (the quoted line break makes the last row start at line 8).
	s, err := tabular.Read(&b, tabular.CSV, "")
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	var titles []string
	for _, r := range s.Rows {
		lines = append(lines, r.Line)
		titles = append(titles, r.Cells[0])
	}
	if diff := cmp.Diff([]int{2, 3, 4, 5, 6, 7, 8}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	wantTitles := []string{"'=1+2", "'+1+2", "'-1+2", "'@SUM(A1)", "'\tcmd", "'\rcmd", "Plain, \"quoted\"\ntext"}
	if diff := cmp.Diff(wantTitles, titles); diff != "" {
		t.Errorf("titles (-want +got):\n%s", diff)
	}
}

func TestWriteXLSX(t *testing.T) {
	var b bytes.Buffer
	if err := sample().Write(&b, tabular.XLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !cmp.Equal(got, []string{"Key results"}) {
		t.Fatalf("sheets = %q", got)
	}
	const sh = "Key results"
	// Every text cell neutralized, with each of the six characters.
	for i, d := range dangerous {
		v, err := f.GetCellValue(sh, cell(t, 1, i+2))
		if err != nil {
			t.Fatal(err)
		}
		if v != "'"+d {
			t.Errorf("A%d = %q, want %q", i+2, v, "'"+d)
		}
		if typ, _ := f.GetCellType(sh, cell(t, 1, i+2)); typ == excelize.CellTypeFormula {
			t.Errorf("A%d is a formula", i+2)
		}
	}
	// Numbers are numbers (a negative one too, never neutralized), the percentage shows as one,
	// dates and times are dates.
	for _, c := range []struct {
		axis, raw, shown string
	}{
		{"B2", "-3.5", "-3.5"},
		{"C2", "0.62", "62%"},
		{"D2", "46477", "2027-03-31"},
		{"E2", "46389.395833333336", "2027-01-02 09:30"},
		{"F2", "1", "TRUE"},
	} {
		raw, _ := f.GetCellValue(sh, c.axis, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue(sh, c.axis)
		if raw != c.raw || shown != c.shown {
			t.Errorf("%s = %q shown as %q, want %q shown as %q", c.axis, raw, shown, c.raw, c.shown)
		}
	}
	if typ, _ := f.GetCellType(sh, "B2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B2 type = %v, want a number", typ)
	}
	// The header is bold and frozen.
	id, _ := f.GetCellStyle(sh, "A1")
	st, _ := f.GetStyle(id)
	if st == nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("A1's style %+v is not bold", st)
	}
	panes, err := f.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v; want the first row frozen", panes, err)
	}

	// Reading it back gives dates and percentages as a person writes them.
	s, err := tabular.Read(bytes.NewReader(b.Bytes()), tabular.XLSX, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"title", "value", "progress", "due_date", "at", "aligned"}, s.Header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"'=1+2", "-3.5", "62%", "2027-03-31", "2027-01-02", "1"}, s.Rows[0].Cells); diff != "" {
		t.Errorf("row 2 (-want +got):\n%s", diff)
	}
	if s.Rows[0].Line != 2 || len(s.Rows) != 7 {
		t.Errorf("rows: %d, first at line %d", len(s.Rows), s.Rows[0].Line)
	}
}

func cell(t *testing.T, col, row int) string {
	t.Helper()
	a, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestReadXLSXFormats reads a workbook written the way a spreadsheet user
// writes one: dates in a locale format, a percentage, a thousands format,
// a second sheet chosen by name.
func TestReadXLSXFormats(t *testing.T) {
	f := excelize.NewFile()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.NewSheet("OKRs")
	must(err)
	usDate, _ := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yyyy
	custom := "dd.mm.yyyy"
	deDate, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	thousands, _ := f.NewStyle(&excelize.Style{NumFmt: 4})
	must(f.SetSheetRow("OKRs", "A1", &[]any{"Objective", "Due date", "Other date", "Progress", "Target"}))
	must(f.SetSheetRow("OKRs", "A2", &[]any{"Delight customers", time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC),
		time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC), 0.145, 1234567.5}))
	must(f.SetCellStyle("OKRs", "B2", "B2", usDate))
	must(f.SetCellStyle("OKRs", "C2", "C2", deDate))
	must(f.SetCellStyle("OKRs", "D2", "D2", pct))
	must(f.SetCellStyle("OKRs", "E2", "E2", thousands))
	var b bytes.Buffer
	must(f.Write(&b))

	s, err := tabular.Read(bytes.NewReader(b.Bytes()), tabular.XLSX, "okrs")
	must(err)
	want := tabular.Sheet{Header: []string{"Objective", "Due date", "Other date", "Progress", "Target"},
		Rows: []tabular.Row{{Line: 2, Cells: []string{"Delight customers", "2027-03-31", "2027-06-30", "14.5%", "1234567.5"}}}}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("sheet (-want +got):\n%s", diff)
	}
	// The first sheet is Sheet1, empty.
	if _, err := tabular.Read(bytes.NewReader(b.Bytes()), tabular.XLSX, ""); err == nil || !strings.Contains(err.Error(), `sheet "Sheet1" is empty`) {
		t.Errorf("first sheet: %v", err)
	}
	if _, err := tabular.Read(bytes.NewReader(b.Bytes()), tabular.XLSX, "Plan"); err == nil ||
		err.Error() != `the workbook has no sheet "Plan": its sheets are "Sheet1", "OKRs"` {
		t.Errorf("missing sheet: %v", err)
	}
}

func TestReadCSV(t *testing.T) {
	for _, c := range []struct {
		name, file string
		want       tabular.Sheet
		err        string
	}{
		{name: "semicolons with a byte order mark and blank lines at the end",
			file: "\xEF\xBB\xBFObjective;Target\r\nGrow;12,5\r\n\r\n;\r\n",
			want: tabular.Sheet{Header: []string{"Objective", "Target"}, Separator: ';',
				Rows: []tabular.Row{{Line: 2, Cells: []string{"Grow", "12,5"}}}}},
		{name: "tabs", file: "a\tb\n1\t2\n",
			want: tabular.Sheet{Header: []string{"a", "b"}, Separator: '\t', Rows: []tabular.Row{{Line: 2, Cells: []string{"1", "2"}}}}},
		{name: "empty", file: "", err: "the file is empty: it needs a header line and a line per row"},
		{name: "bad quote", file: "a,b\n1,\"x\"y\n", err: `line 2: extraneous or missing " in quoted-field`},
		{name: "not UTF-8", file: "a,b\n1,caf\xe9\n", err: "line 2, column 2: the file is not UTF-8 text; save it as CSV UTF-8"},
		{name: "an XLSX file", file: "PK\x03\x04....", err: "this is an XLSX file, not CSV: choose the format xlsx"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := tabular.Read(strings.NewReader(c.file), tabular.CSV, "")
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("err = %v, want %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, s); diff != "" {
				t.Errorf("sheet (-want +got):\n%s", diff)
			}
		})
	}
}
