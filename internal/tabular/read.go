package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// MaxRows is the most rows (the header aside) Read accepts.
const MaxRows = 10_000

// Sheet is a file as read: its header and its rows.
type Sheet struct {
	// Header is the first line's cells, as the file writes them.
	Header []string
	Rows   []Row
	// Separator is a CSV file's separator (',', ';' or '\t'); 0 for XLSX.
	Separator rune
}

// Row is one row of a sheet.
type Row struct {
	// Line is where the row is: its line in a CSV file (where it starts, for
	// a quoted cell over several lines), its row number in a sheet. The
	// header is line 1.
	Line  int
	Cells []string
}

// Cell returns the row's i-th cell, trimmed; "" beyond the row's end.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return strings.TrimSpace(r.Cells[i])
}

// Empty reports whether every cell of the row is blank.
func (r Row) Empty() bool {
	for _, c := range r.Cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Column is the index of the header cell named name (ignoring case and
// surrounding spaces), or -1.
func (s Sheet) Column(name string) int {
	key := strings.ToLower(strings.TrimSpace(name))
	if key == "" {
		return -1
	}
	for i, h := range s.Header {
		if strings.ToLower(strings.TrimSpace(h)) == key {
			return i
		}
	}
	return -1
}

// Columns lists the header's names for a message: "Objective", "Target", ….
func (s Sheet) Columns() string {
	q := make([]string, 0, len(s.Header))
	for _, h := range s.Header {
		if h = strings.TrimSpace(h); h != "" {
			q = append(q, strconv.Quote(h))
		}
	}
	return strings.Join(q, ", ")
}

// Read reads a CSV or XLSX file. A CSV file is UTF-8 (a byte order mark is
// skipped) separated by commas, semicolons or tabs, whichever its header line
// holds most of. An XLSX file is read from the named sheet, or the first; a
// number cell formatted as a date reads "YYYY-MM-DD", one formatted as a
// percentage "45%", other numbers in full precision ("1234.5"), whatever the
// display format. Blank lines at the end are dropped. The error says why a
// file cannot be read, for a person.
func Read(r io.Reader, f Format, sheet string) (Sheet, error) {
	var (
		s   Sheet
		err error
	)
	switch f {
	case CSV:
		s, err = readCSV(r)
	case XLSX:
		s, err = readXLSX(r, sheet)
	default:
		return s, fmt.Errorf("%q is not a format okra reads: use csv or xlsx", f)
	}
	if err != nil {
		return s, err
	}
	for len(s.Rows) > 0 && s.Rows[len(s.Rows)-1].Empty() {
		s.Rows = s.Rows[:len(s.Rows)-1]
	}
	if len(s.Header) == 0 || (Row{Cells: s.Header}).Empty() {
		return s, errors.New("the file has no header: its first line must name the columns")
	}
	if len(s.Rows) > MaxRows {
		return s, fmt.Errorf("the file has %d rows; import at most %d at a time", len(s.Rows), MaxRows)
	}
	return s, nil
}

var bom = []byte{0xEF, 0xBB, 0xBF}

func readCSV(r io.Reader) (Sheet, error) {
	var s Sheet
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		if _, err := br.Discard(len(bom)); err != nil {
			return s, err
		}
	}
	head, _ := br.Peek(64 << 10)
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return s, errors.New("this is an XLSX file, not CSV: choose the format xlsx")
	}
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	s.Separator = ','
	for _, sep := range []rune{';', '\t'} {
		if bytes.Count(head, []byte(string(sep))) > bytes.Count(head, []byte(string(s.Separator))) {
			s.Separator = sep
		}
	}
	cr := csv.NewReader(br)
	cr.Comma = s.Separator
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return s, fmt.Errorf("line %d: %v", pe.Line, pe.Err)
		}
		if err != nil {
			return s, fmt.Errorf("the file cannot be read: %v", err)
		}
		line, _ := cr.FieldPos(0)
		for i, c := range rec {
			if !isText(c) {
				return s, fmt.Errorf("line %d, column %d: the file is not UTF-8 text; save it as CSV UTF-8", line, i+1)
			}
		}
		if s.Header == nil {
			s.Header = rec
			continue
		}
		if len(s.Rows) > MaxRows {
			return s, fmt.Errorf("the file has more than %d rows; import at most %d at a time", MaxRows, MaxRows)
		}
		s.Rows = append(s.Rows, Row{Line: line, Cells: rec})
	}
	if s.Header == nil {
		return s, errors.New("the file is empty: it needs a header line and a line per row")
	}
	return s, nil
}

// isText reports whether s is valid UTF-8 without NUL bytes.
func isText(s string) bool {
	return strings.ToValidUTF8(s, "\uFFFD") == s && !strings.ContainsRune(s, 0)
}

func readXLSX(r io.Reader, name string) (s Sheet, err error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return s, errors.New("the file is not an XLSX workbook (Excel 2007 or later); save it as .xlsx, or export CSV")
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return s, errors.New("the workbook has no sheet")
	}
	sheet := sheets[0]
	if name = strings.TrimSpace(name); name != "" {
		sheet = ""
		for _, n := range sheets {
			if strings.EqualFold(n, name) {
				sheet = n
			}
		}
		if sheet == "" {
			q := make([]string, len(sheets))
			for i, n := range sheets {
				q[i] = strconv.Quote(n)
			}
			return s, fmt.Errorf("the workbook has no sheet %q: its sheets are %s", name, strings.Join(q, ", "))
		}
	}
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return s, fmt.Errorf("sheet %q cannot be read: %v", sheet, err)
	}
	if len(raw) > MaxRows+1 {
		return s, fmt.Errorf("the sheet has %d rows; import at most %d at a time", len(raw)-1, MaxRows)
	}
	formats := xlsxFormats{f: f, sheet: sheet, styles: map[int]cellFormat{}}
	for i, cells := range raw {
		for j, c := range cells {
			if cells[j], err = formats.value(c, j+1, i+1); err != nil {
				return s, err
			}
		}
		if i == 0 {
			s.Header = cells
			continue
		}
		s.Rows = append(s.Rows, Row{Line: i + 1, Cells: cells})
	}
	if s.Header == nil {
		return s, fmt.Errorf("sheet %q is empty: it needs a header row and a row per item", sheet)
	}
	return s, nil
}

// cellFormat is how a number cell's style shows it.
type cellFormat int

const (
	plainNumber cellFormat = iota
	dateNumber
	percentNumber
)

// xlsxFormats reads number cells as their formats mean them.
type xlsxFormats struct {
	f      *excelize.File
	sheet  string
	styles map[int]cellFormat
}

// value turns a raw cell value into its text: dates as YYYY-MM-DD,
// percentages with a % sign.
func (x *xlsxFormats) value(raw string, col, row int) (string, error) {
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return raw, nil
	}
	axis, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return raw, err
	}
	id, err := x.f.GetCellStyle(x.sheet, axis)
	if err != nil || id == 0 {
		return raw, nil // no style (or an unreadable one): a plain number
	}
	kind, ok := x.styles[id]
	if !ok {
		kind = plainNumber
		if st, err := x.f.GetStyle(id); err == nil {
			kind = formatOf(st)
		}
		x.styles[id] = kind
	}
	switch kind {
	case dateNumber:
		t, err := excelize.ExcelDateToTime(v, false)
		if err != nil {
			return raw, nil // out of a date's range: the number stays
		}
		return t.Format("2006-01-02"), nil
	case percentNumber:
		return strconv.FormatFloat(roundTo(v*100, 9), 'f', -1, 64) + "%", nil
	}
	return raw, nil
}

// roundTo rounds v to n decimals (0.145*100 is 14.499999999999998).
func roundTo(v float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(v*p) / p
}

// Built-in number formats that show dates (ECMA-376 18.8.30, with the East
// Asian ones).
func builtInDate(id int) bool {
	return id >= 14 && id <= 17 || id == 22 || id >= 27 && id <= 36 || id >= 50 && id <= 58
}

func formatOf(st *excelize.Style) cellFormat {
	if st.CustomNumFmt != nil {
		return customFormatOf(*st.CustomNumFmt)
	}
	switch {
	case st.NumFmt == 9 || st.NumFmt == 10:
		return percentNumber
	case builtInDate(st.NumFmt):
		return dateNumber
	}
	return plainNumber
}

// customFormatOf reads a format code: a % outside quotes makes a percentage;
// a y, d (or an m without h or s) outside quotes and brackets makes a date.
func customFormatOf(code string) cellFormat {
	code, _, _ = strings.Cut(code, ";") // the positive section decides
	var b strings.Builder
	quoted, bracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\\' || c == '_' || c == '*':
			i++ // an escaped or spacing character
		case c == '[':
			bracket = true
		case c == ']':
			bracket = false
		case bracket:
		default:
			b.WriteByte(c)
		}
	}
	plain := strings.ToLower(b.String())
	switch {
	case strings.Contains(plain, "%"):
		return percentNumber
	case strings.ContainsAny(plain, "yd"):
		return dateNumber
	case strings.Contains(plain, "m") && !strings.ContainsAny(plain, "hs"):
		return dateNumber
	}
	return plainNumber
}
