package learning

import (
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MaxCompletionRows is the most rows one completion report may hold.
const MaxCompletionRows = 100_000

// CompletionMapping names the columns of an LMS completion report (CSV) by
// their header names, matched ignoring case and surrounding spaces. Email and
// Program are required; the other columns are read when named.
type CompletionMapping struct {
	// Email is the column of the learner's e-mail.
	Email string `json:"email"`
	// Program is the column of the program's external id (or title).
	Program string `json:"program"`
	// Status is the column of the completion status: completed, passed,
	// failed, in progress, not started and their usual synonyms.
	Status string `json:"status,omitempty"`
	// Score is the column of the score: 0–100 ("85" or "85%"), or 0–1 when
	// every score of the file without a % sign is at most 1.
	Score string `json:"score,omitempty"`
	// Completed is the column of the completion date: YYYY-MM-DD,
	// "YYYY-MM-DD HH:MM[:SS]" (UTC) or RFC 3339.
	Completed string `json:"completed,omitempty"`
	// Hours is the column of the time spent: decimal hours ("1.5") or
	// "H:MM" ("1:30", also "H:MM:SS").
	Hours string `json:"hours,omitempty"`
	// Progress is the column of the progress in percent: "45" or "45%".
	Progress string `json:"progress,omitempty"`
}

// CompletionRow is a row of a completion report, as understood.
type CompletionRow struct {
	// Line is where the row starts in the file (the header is line 1).
	Line    int    `json:"line"`
	Email   string `json:"email"`
	Program string `json:"program"`
	// Status is completed, failed, in_progress or assigned; "" when the
	// report has no status (no column, or an empty cell).
	Status EnrollmentStatus `json:"status,omitempty"`
	// Passed is true for "passed", false for "failed", nil otherwise.
	Passed    *bool      `json:"passed,omitempty"`
	Score     *float64   `json:"score,omitempty"` // 0–100
	Completed *time.Time `json:"completed_at,omitempty"`
	Hours     *float64   `json:"hours,omitempty"`
	Progress  *float64   `json:"progress,omitempty"` // 0.0–1.0
}

// RowError is a cell of a completion report that could not be read.
type RowError struct {
	Line int `json:"line"`
	// Column is the column's name as the file writes it.
	Column  string `json:"column"`
	Message string `json:"message"`
}

// Error says where the cell is and what is wrong with it.
func (e RowError) Error() string {
	return fmt.Sprintf("line %d, column %q: %s", e.Line, e.Column, e.Message)
}

// ParseCompletions reads an LMS completion report: a CSV file (comma,
// semicolon or tab separated, told from the header line) whose columns the
// mapping names. It returns the rows it understood and a RowError for each
// cell it did not; a row with such a cell is left out of the rows. The error
// is for a file it cannot read at all: a mapping without an e-mail or program
// column, a named column the file lacks, a file that is not CSV or holds more
// than MaxCompletionRows rows.
//
// Status words are read ignoring case, "_" and "-": completed, complete,
// finished and done are Completed; passed and pass are Completed with Passed
// true; failed and fail are Failed with Passed false; in progress, started and
// incomplete are InProgress; not started, not attempted, enrolled and assigned
// are Assigned. In a semicolon-separated file, numbers may use a decimal comma
// ("85,5").
func ParseCompletions(r io.Reader, m CompletionMapping) ([]CompletionRow, []RowError, error) {
	if strings.TrimSpace(m.Email) == "" || strings.TrimSpace(m.Program) == "" {
		var missing []string
		if strings.TrimSpace(m.Email) == "" {
			missing = append(missing, "the learner's e-mail (email)")
		}
		if strings.TrimSpace(m.Program) == "" {
			missing = append(missing, "the program's id or title (program)")
		}
		return nil, nil, fmt.Errorf("the column mapping must name the column of %s", strings.Join(missing, " and of "))
	}
	t, err := openTable(r)
	if err != nil {
		return nil, nil, err
	}
	cols := map[string]int{}
	var missing []string
	for _, c := range []struct{ key, name string }{
		{"email", m.Email}, {"program", m.Program}, {"status", m.Status}, {"score", m.Score},
		{"completed", m.Completed}, {"hours", m.Hours}, {"progress", m.Progress},
	} {
		if strings.TrimSpace(c.name) == "" {
			cols[c.key] = -1
			continue
		}
		i := t.col(c.name)
		if i < 0 {
			missing = append(missing, fmt.Sprintf("%q (%s)", strings.TrimSpace(c.name), c.key))
		}
		cols[c.key] = i
	}
	if len(missing) > 0 {
		s := ""
		if len(missing) > 1 {
			s = "s"
		}
		return nil, nil, fmt.Errorf("the file has no column%s %s: its columns are %s",
			s, strings.Join(missing, ", "), t.columns())
	}

	p := cellParser{decimalComma: t.comma == ';'}
	var (
		rows     []CompletionRow
		fraction []bool // per row: its score was a bare number, maybe 0–1
		bad      []RowError
		count    int
	)
	for {
		rec, line, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if count++; count > MaxCompletionRows {
			return nil, nil, fmt.Errorf("the file has more than %d rows: split it into smaller files", MaxCompletionRows)
		}
		row := CompletionRow{Line: line}
		ok := true
		cell := func(key string, parse func(string) error) {
			i := cols[key]
			if i < 0 {
				return
			}
			if err := parse(cellAt(rec, i)); err != nil {
				bad = append(bad, RowError{Line: line, Column: t.header[i], Message: err.Error()})
				ok = false
			}
		}
		bare := false
		cell("email", func(s string) (err error) { row.Email, err = parseEmail(s); return })
		cell("program", func(s string) error {
			if row.Program = oneLine(s); row.Program == "" {
				return errors.New("the program is empty")
			}
			return nil
		})
		cell("status", func(s string) (err error) { row.Status, row.Passed, err = parseStatus(s); return })
		cell("score", func(s string) (err error) { row.Score, bare, err = p.score(s); return })
		cell("completed", func(s string) (err error) { row.Completed, err = parseCompleted(s); return })
		cell("hours", func(s string) (err error) { row.Hours, err = p.hours(s); return })
		cell("progress", func(s string) (err error) { row.Progress, err = p.progress(s); return })
		if ok {
			rows = append(rows, row)
			fraction = append(fraction, bare)
		}
	}

	// Scores of 0–1: when every bare score is at most 1, they are fractions.
	scaled, anyBare := true, false
	for i, row := range rows {
		if fraction[i] {
			anyBare = true
			scaled = scaled && *row.Score <= 1
		}
	}
	if anyBare && scaled {
		for i := range rows {
			if fraction[i] {
				*rows[i].Score *= 100
			}
		}
	}
	return rows, bad, nil
}

// parseEmail checks that s looks like an e-mail address ("mailto:" is dropped).
func parseEmail(s string) (string, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "mailto:"))
	if s == "" {
		return "", errors.New("the e-mail is empty")
	}
	local, domain, found := strings.Cut(s, "@")
	if !found || local == "" || domain == "" || strings.Contains(domain, "@") || strings.ContainsAny(s, " \t<>,;") {
		return "", fmt.Errorf("%q is not an e-mail address", s)
	}
	return s, nil
}

// parseStatus normalizes a status word (ignoring case, "_" and "-"); "" for
// an empty cell.
func parseStatus(s string) (EnrollmentStatus, *bool, error) {
	key := strings.Join(strings.Fields(strings.NewReplacer("_", " ", "-", " ").Replace(strings.ToLower(s))), " ")
	passed := func(v bool) *bool { return &v }
	switch key {
	case "":
		return "", nil, nil
	case "completed", "complete", "finished", "done":
		return Completed, nil, nil
	case "passed", "pass":
		return Completed, passed(true), nil
	case "failed", "fail":
		return Failed, passed(false), nil
	case "in progress", "started", "incomplete":
		return InProgress, nil, nil
	case "not started", "not attempted", "enrolled", "assigned":
		return Assigned, nil, nil
	}
	return "", nil, fmt.Errorf("%q is not a status okra knows: use completed, passed, failed, in progress or "+
		"not started (or complete, finished, done, pass, fail, started, incomplete, not attempted, enrolled, assigned)", s)
}

// cellParser reads the numbers of one file.
type cellParser struct {
	decimalComma bool // "85,5" is 85.5
}

// number reads a decimal number.
func (p cellParser) number(s string) (float64, bool) {
	if p.decimalComma && !strings.Contains(s, ".") && strings.Count(s, ",") == 1 {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// percent reads "45" or "45%" as a number 0–100; pct says whether it had a
// % sign. what names the value in messages.
func (p cellParser) percent(s, what string) (v float64, pct bool, err error) {
	num := s
	if t, found := strings.CutSuffix(s, "%"); found {
		num, pct = strings.TrimSpace(t), true
	}
	v, ok := p.number(num)
	if !ok {
		return 0, false, fmt.Errorf("%q is not a %s: write a number from 0 to 100, such as 85 or 85%%", s, what)
	}
	if v < 0 || v > 100 {
		return 0, false, fmt.Errorf("the %s %s is not between 0 and 100", what, s)
	}
	return v, pct, nil
}

// score reads a score 0–100; bare says it had no % sign (it may be 0–1).
func (p cellParser) score(s string) (score *float64, bare bool, err error) {
	if s == "" {
		return nil, false, nil
	}
	v, pct, err := p.percent(s, "score")
	if err != nil {
		return nil, false, err
	}
	return &v, !pct, nil
}

// progress reads a percentage as a share 0.0–1.0.
func (p cellParser) progress(s string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	v, _, err := p.percent(s, "percentage")
	if err != nil {
		return nil, err
	}
	v /= 100
	return &v, nil
}

var clockHours = regexp.MustCompile(`^(\d+):([0-5]\d)(?::([0-5]\d))?$`)

// hours reads decimal hours or H:MM[:SS].
func (p cellParser) hours(s string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	if m := clockHours.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		mins, _ := strconv.Atoi(m[2])
		secs, _ := strconv.Atoi("0" + m[3])
		v := float64(h) + float64(mins)/60 + float64(secs)/3600
		return &v, nil
	}
	v, ok := p.number(s)
	if !ok {
		return nil, fmt.Errorf("%q is not a duration: write hours as a number (1.5) or as H:MM (1:30)", s)
	}
	if v < 0 {
		return nil, fmt.Errorf("the hours %s are negative", s)
	}
	return &v, nil
}

// Completion date forms; those without a zone are UTC.
var completedLayouts = []string{time.DateOnly, time.RFC3339Nano, time.DateTime, "2006-01-02 15:04",
	"2006-01-02T15:04:05", "2006-01-02T15:04"}

var slashDate = regexp.MustCompile(`^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b`)

// parseCompleted reads a completion date or time.
func parseCompleted(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	for _, layout := range completedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	if slashDate.MatchString(s) {
		return nil, fmt.Errorf("%q could be day/month or month/day: write the date as YYYY-MM-DD", s)
	}
	return nil, fmt.Errorf("%q is not a date: write YYYY-MM-DD, YYYY-MM-DD HH:MM:SS (UTC) "+
		"or an RFC 3339 time such as 2026-03-12T14:30:00+01:00", s)
}
