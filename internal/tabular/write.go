// Package tabular reads and writes the spreadsheets people move data in and
// out with: CSV (UTF-8, a header line) and XLSX (one sheet). Writing
// neutralizes formula injection in every text cell (OWASP's CSV injection
// advice); reading gives each row's line (CSV) or row number (XLSX) so that
// errors can say where a value is.
package tabular

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Format is a file format.
type Format string

// The formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ParseFormat reads "csv" or "xlsx" (ignoring case and a leading dot).
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "."))); f {
	case CSV, XLSX:
		return f, nil
	}
	return "", fmt.Errorf("%q is not a format okra reads or writes: use csv or xlsx", s)
}

// ContentType is the media type of the format.
func (f Format) ContentType() string {
	if f == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// Kind is what a column holds, and so how its cells are written.
type Kind int

// Column kinds. A cell's value is a string for Text, a float64 or int for
// Number and Percent (nil for an empty cell), a "YYYY-MM-DD" string for Date
// and a time.Time for Time (a zero time or nil for an empty cell).
const (
	Text Kind = iota
	Number
	// Percent is a fraction (0.62) that a spreadsheet shows as 62%.
	Percent
	Date
	Time
	// Bool is written true or false (TRUE and FALSE in a spreadsheet).
	Bool
)

// Column is a column of a table.
type Column struct {
	Name string
	Kind Kind
}

// Table is what an export writes: a header of columns, then rows of values.
type Table struct {
	// Name is the sheet's name in an XLSX file (at most 31 characters).
	Name    string
	Columns []Column
	Rows    [][]any
}

// Neutralize makes a text cell safe to open in a spreadsheet: a cell that
// starts with =, +, -, @, a tab or a carriage return could run as a formula
// (CSV injection), so it gets a single quote in front, as OWASP recommends.
// Other text is returned as is.
func Neutralize(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Write writes the table in the format: CSV is UTF-8 with a header line;
// XLSX is one sheet with a bold, frozen header, numbers as numbers and dates
// as dates. Every text cell is neutralized.
func (t Table) Write(w io.Writer, f Format) error {
	if f == XLSX {
		return t.writeXLSX(w)
	}
	return t.writeCSV(w)
}

func (t Table) writeCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = Neutralize(c.Name)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, row := range t.Rows {
		for i, c := range t.Columns {
			rec[i] = csvCell(c.Kind, cellAt(row, i))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func cellAt(row []any, i int) any {
	if i < len(row) {
		return row[i]
	}
	return nil
}

// csvCell formats a value for CSV: numbers in Go's shortest form with a
// decimal point, times in RFC 3339 UTC, text neutralized.
func csvCell(k Kind, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.UTC().Format(time.RFC3339)
	case string:
		if k == Date {
			return v // YYYY-MM-DD, written by okra
		}
		return Neutralize(v)
	}
	return Neutralize(fmt.Sprint(v))
}

// XLSX number formats.
const (
	fmtDate    = "yyyy-mm-dd"
	fmtTime    = "yyyy-mm-dd hh:mm"
	fmtPercent = 9 // built-in 0%
)

// maxSheetName is the longest sheet name a spreadsheet accepts.
const maxSheetName = 31

func (t Table) writeXLSX(w io.Writer) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	name := sheetName(t.Name)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	dateFmt, timeFmt := fmtDate, fmtTime
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	instant, err := f.NewStyle(&excelize.Style{CustomNumFmt: &timeFmt})
	if err != nil {
		return err
	}
	percent, err := f.NewStyle(&excelize.Style{NumFmt: fmtPercent})
	if err != nil {
		return err
	}
	for i, c := range t.Columns {
		width := 14.0
		switch c.Kind {
		case Text:
			width = 24
		case Time:
			width = 18
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = excelize.Cell{StyleID: bold, Value: Neutralize(c.Name)}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	cells := make([]any, len(t.Columns))
	for r, row := range t.Rows {
		for i, c := range t.Columns {
			cells[i] = xlsxCell(c.Kind, cellAt(row, i), date, instant, percent)
		}
		axis, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(axis, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// xlsxCell types a value for a sheet: numbers and percentages as numbers,
// dates and times as dates, text neutralized.
func xlsxCell(k Kind, v any, date, instant, percent int) any {
	switch v := v.(type) {
	case nil:
		return nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		if k == Percent {
			return excelize.Cell{StyleID: percent, Value: v}
		}
		return v
	case int:
		return v
	case bool:
		return v
	case time.Time:
		if v.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: instant, Value: v.UTC()}
	case string:
		if k == Date {
			if d, err := time.Parse(time.DateOnly, v); err == nil {
				return excelize.Cell{StyleID: date, Value: d}
			}
			if v == "" {
				return nil
			}
		}
		return Neutralize(v)
	}
	return Neutralize(fmt.Sprint(v))
}

// sheetName makes a name a valid sheet name: no []:*?/\ and at most 31 characters.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, strings.Trim(strings.TrimSpace(s), "'"))
	if r := []rune(s); len(r) > maxSheetName {
		s = string(r[:maxSheetName])
	}
	if s == "" {
		return "Sheet1"
	}
	return s
}
