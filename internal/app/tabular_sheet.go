package app

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/tabular"
)

// Spreadsheet import of objectives and key results (issue 6), the pure part:
// a sheet's rows become an OKRDocument, which ApplyDocument then applies.
// Forgiving about column names (a mapping the person chooses, guessed from
// the header), strict about values: every error names the line and the
// column.

// OKRMapping names, for each field of an import, the column (by its header,
// ignoring case and surrounding spaces) that holds it. Objective is
// required; every other field is read when named. Each row is a key result
// with its objective's title; rows with the same objective title (ignoring
// case) are one objective; a row without a key result makes an objective alone.
type OKRMapping struct {
	Objective            string `json:"objective" doc:"The column of the objective's title (required)."`
	ObjectiveDescription string `json:"objective_description,omitempty" doc:"The column of the objective's description."`
	ObjectiveOwner       string `json:"objective_owner,omitempty" doc:"The column of the objective's owner: org, a team's name or slug (team:slug), or a person's e-mail. Default org."`
	KeyResult            string `json:"key_result,omitempty" doc:"The column of the key result's title; an empty cell makes the row an objective alone."`
	Owner                string `json:"owner,omitempty" doc:"The column of the key result owner's e-mail."`
	Baseline             string `json:"baseline,omitempty" doc:"The column of the start value (baseline)."`
	Target               string `json:"target,omitempty" doc:"The column of the target value."`
	Current              string `json:"current,omitempty" doc:"The column of the current value: when it differs from the key result's, the import checks it in (source import)."`
	Unit                 string `json:"unit,omitempty" doc:"The column of the unit: number, percent (or %), a currency's ISO code (EUR) or sign ($), or a custom label (hours)."`
	DueDate              string `json:"due_date,omitempty" doc:"The column of the key result's due date."`
}

// ImportField describes a field of an OKRMapping for pages and docs.
type ImportField struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// Required fields must be mapped.
	Required bool `json:"required,omitempty"`
	// headers are the header names (compared as lower-case letters and
	// digits) that Guess maps to the field, the likeliest first.
	headers []string
	get     func(*OKRMapping) *string
}

// OKRImportFields are the mapping's fields, in the order pages show them.
var OKRImportFields = []ImportField{
	{Key: "objective", Label: "Objective", Required: true, get: func(m *OKRMapping) *string { return &m.Objective },
		headers: []string{"objective", "objectivetitle", "objectivename", "objectives", "goal", "goaltitle", "goalname", "parentobjective", "okr"}},
	{Key: "objective_description", Label: "Objective description", get: func(m *OKRMapping) *string { return &m.ObjectiveDescription },
		headers: []string{"objectivedescription", "objectivedetails", "goaldescription"}},
	{Key: "objective_owner", Label: "Objective owner", get: func(m *OKRMapping) *string { return &m.ObjectiveOwner },
		headers: []string{"objectiveowner", "objectiveowneremail", "objectiveteam", "goalowner", "team", "ownerteam", "ownerteamname"}},
	{Key: "key_result", Label: "Key result", get: func(m *OKRMapping) *string { return &m.KeyResult },
		headers: []string{"keyresult", "keyresulttitle", "keyresultname", "keyresults", "kr", "krtitle", "krname", "title", "metric", "metricname"}},
	{Key: "owner", Label: "Key result owner (e-mail)", get: func(m *OKRMapping) *string { return &m.Owner },
		headers: []string{"keyresultowner", "keyresultowneremail", "krowner", "krowneremail", "owner", "owneremail", "email", "assignee", "assigneeemail", "responsible"}},
	{Key: "baseline", Label: "Start value (baseline)", get: func(m *OKRMapping) *string { return &m.Baseline },
		headers: []string{"baseline", "startvalue", "start", "startingvalue", "initialvalue", "baselinevalue", "from"}},
	{Key: "target", Label: "Target", get: func(m *OKRMapping) *string { return &m.Target },
		headers: []string{"target", "targetvalue", "goalvalue", "targetnumber", "to"}},
	{Key: "current", Label: "Current value", get: func(m *OKRMapping) *string { return &m.Current },
		headers: []string{"current", "currentvalue", "actual", "actualvalue", "latestvalue", "value", "progress"}},
	{Key: "unit", Label: "Unit", get: func(m *OKRMapping) *string { return &m.Unit },
		headers: []string{"unit", "units", "unitofmeasure", "metricunit", "measureunit"}},
	{Key: "due_date", Label: "Due date", get: func(m *OKRMapping) *string { return &m.DueDate },
		headers: []string{"duedate", "due", "dueon", "deadline", "targetdate", "enddate", "end"}},
}

// Column returns the column a field is mapped to ("" when it is not).
func (m OKRMapping) Column(key string) string {
	for _, f := range OKRImportFields {
		if f.Key == key {
			return strings.TrimSpace(*f.get(&m))
		}
	}
	return ""
}

// Set maps a field to a column; unknown keys are ignored.
func (m *OKRMapping) Set(key, column string) {
	for _, f := range OKRImportFields {
		if f.Key == key {
			*f.get(m) = strings.TrimSpace(column)
		}
	}
}

// headerKey is how a header compares with the guesses: lower-case letters
// and digits only ("Key Result " and "key_result" are both "keyresult").
func headerKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// GuessOKRMapping maps fields to a header's columns by their names
// ("Objective", "Key Result", "Owner", "Start value" or "Baseline",
// "Target", "Unit", "Due date", "Current" or "Progress", …), each column to
// at most one field, fields in the order of OKRImportFields.
func GuessOKRMapping(header []string) OKRMapping {
	var m OKRMapping
	used := make([]bool, len(header))
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = headerKey(h)
	}
	for _, f := range OKRImportFields {
	guess:
		for _, want := range f.headers {
			for i, k := range keys {
				if !used[i] && k == want {
					used[i] = true
					*f.get(&m) = strings.TrimSpace(header[i])
					break guess
				}
			}
		}
	}
	return m
}

// DateFormat is how an import reads dates that are not YYYY-MM-DD.
type DateFormat string

// Date formats. Every format also reads YYYY-MM-DD, and an XLSX date cell
// is a date whatever its display.
const (
	DateISO DateFormat = "YYYY-MM-DD"
	DateDMY DateFormat = "DD/MM/YYYY"
	DateMDY DateFormat = "M/D/YYYY"
)

// DateFormats lists the date formats in the order pages offer them.
var DateFormats = []DateFormat{DateISO, DateDMY, DateMDY}

// OKRSheetOptions say how to read a sheet into an OKR document.
type OKRSheetOptions struct {
	// Period is the name of the period the document is for.
	Period  string
	Mapping OKRMapping
	// DateFormat reads dates (default YYYY-MM-DD).
	DateFormat DateFormat
	// Decimal is the decimal separator: "." or ","; empty reads either (a
	// number such as 1,234 or 1.234 is then ambiguous, an error).
	Decimal string
	// Base is the period's objectives as they are (ExportDocument): an
	// objective whose title (ignoring case) is in the sheet keeps its stored
	// slug, and so do its key results; a new one gets a slug no stored one
	// has. Empty cells name nothing, so ApplyDocument leaves stored values.
	Base *OKRDocument
	// Teams maps team names and slugs (lower case) to slugs, to read
	// objective owners; nil passes names through as team slugs.
	Teams map[string]string
}

// ImportError is a problem with a file: where it is and what to do.
type ImportError struct {
	// Line is the row's line in a CSV file, its row number in a sheet (the
	// header is line 1); 0 for a problem with the whole file.
	Line int `json:"line,omitempty" doc:"The row's line (CSV) or row number (XLSX); the header is line 1. Absent for the whole file."`
	// Column is the column's header as the file writes it.
	Column string `json:"column,omitempty"`
	// Field is the mapping's field (objective, target, …).
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Error says where the problem is and what is wrong.
func (e ImportError) Error() string {
	switch {
	case e.Line > 0 && e.Column != "":
		return fmt.Sprintf("line %d, column %q: %s", e.Line, e.Column, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	case e.Column != "":
		return fmt.Sprintf("column %q: %s", e.Column, e.Message)
	}
	return e.Message
}

// OKRSheet is a sheet read into an OKR document, with where each part came from.
type OKRSheet struct {
	Document OKRDocument
	// Rows are the sheet's rows that hold something, in order.
	Rows []OKRSheetRow
	// Currents are the current values to check in after the apply.
	Currents []OKRSheetCurrent
	// Columns maps the mapping's fields to the file's headers.
	Columns map[string]string
}

// OKRSheetRow is where a row went in the document.
type OKRSheetRow struct {
	Line int
	// Objective and KeyResult index the document (KeyResult -1 for a row
	// that is an objective alone).
	Objective, KeyResult int
}

// OKRSheetCurrent is a key result's current value as the file gives it.
type OKRSheetCurrent struct {
	Line      int
	Objective string // slug
	KeyResult string // slug
	Value     float64
}

// sheetObjective is an objective being read, with where its parts came from.
type sheetObjective struct {
	doc       DocObjective
	line      int
	krByTitle map[string]int // lower-case title → index in doc.KeyResults
	krLines   map[int]int    // index → line
	// stored are the stored objective's key results, by lower-case title.
	stored    map[string]DocKeyResult
	descLine  int
	ownerLine int
}

// storedSlug finds a stored key result by slug.
func (so *sheetObjective) storedSlug(slug string) (DocKeyResult, bool) {
	for _, k := range so.stored {
		if k.Slug == slug {
			return k, true
		}
	}
	return DocKeyResult{}, false
}

// ReadOKRSheet turns a sheet's rows into an OKR document for the period:
// objectives in the order they first appear, each with its key results in
// row order. Slugs come from titles (okr.Slugify, made unique), or from
// Base for what it holds. It returns every problem it finds, each with its
// line and column; the document is only meant to be applied without them.
func ReadOKRSheet(s tabular.Sheet, o OKRSheetOptions) (OKRSheet, []ImportError) {
	out := OKRSheet{Document: OKRDocument{Okra: 1, Period: o.Period, Objectives: []DocObjective{}}, Columns: map[string]string{}}
	var problems []ImportError
	idx := map[string]int{}
	for _, f := range OKRImportFields {
		col := strings.TrimSpace(*f.get(&o.Mapping))
		if col == "" {
			if f.Required {
				problems = append(problems, ImportError{Field: f.Key, Message: fmt.Sprintf("choose the column that holds the %s", strings.ToLower(f.Label))})
			}
			continue
		}
		i := s.Column(col)
		if i < 0 {
			problems = append(problems, ImportError{Column: col, Field: f.Key,
				Message: fmt.Sprintf("the file has no such column (for %s): its columns are %s", strings.ToLower(f.Label), s.Columns())})
			continue
		}
		idx[f.Key] = i
		out.Columns[f.Key] = strings.TrimSpace(s.Header[i])
	}
	if len(problems) > 0 {
		return out, problems
	}
	if o.DateFormat == "" {
		o.DateFormat = DateISO
	}
	if !slices.Contains(DateFormats, o.DateFormat) {
		return out, []ImportError{{Field: "date_format", Message: "must be YYYY-MM-DD, DD/MM/YYYY or M/D/YYYY"}}
	}
	if o.Decimal != "" && o.Decimal != "." && o.Decimal != "," {
		return out, []ImportError{{Field: "decimal", Message: `must be "." or ","`}}
	}
	p := valueParser{dates: o.DateFormat, decimal: o.Decimal}

	base := map[string]DocObjective{} // lower-case title → stored objective
	takenObjectives := map[string]bool{}
	if o.Base != nil {
		for _, bo := range o.Base.Objectives {
			base[titleKey(bo.Title)] = bo
			takenObjectives[bo.Slug] = true
		}
	}
	var objectives []*sheetObjective
	byTitle := map[string]int{}

	for _, row := range s.Rows {
		if row.Empty() {
			continue
		}
		line := row.Line
		cell := func(key string) string {
			if i, ok := idx[key]; ok {
				return unneutralize(row.Cell(i))
			}
			return ""
		}
		bad := func(key, format string, args ...any) {
			problems = append(problems, ImportError{Line: line, Column: out.Columns[key], Field: key, Message: fmt.Sprintf(format, args...)})
		}
		title := oneLineText(cell("objective"))
		krTitle := oneLineText(cell("key_result"))
		if title == "" {
			if krTitle != "" {
				bad("objective", "is empty: give the title of the key result's objective")
			} else {
				bad("objective", "is empty: give the objective's title, or delete the row")
			}
			continue
		}
		// The objective.
		oi, seen := byTitle[titleKey(title)]
		if !seen {
			so := &sheetObjective{line: line, krByTitle: map[string]int{}, krLines: map[int]int{}, stored: map[string]DocKeyResult{}}
			if bo, ok := base[titleKey(title)]; ok {
				so.doc = DocObjective{Slug: bo.Slug, Title: title}
				for _, k := range bo.KeyResults {
					so.stored[titleKey(k.Title)] = k
				}
			} else {
				slug := okr.UniqueSlug(okr.Slugify(title), func(s string) bool { return takenObjectives[s] })
				takenObjectives[slug] = true
				so.doc = DocObjective{Slug: slug, Title: title}
			}
			oi = len(objectives)
			byTitle[titleKey(title)] = oi
			objectives = append(objectives, so)
		}
		so := objectives[oi]
		if d := cell("objective_description"); d != "" {
			if so.descLine != 0 && d != so.doc.Description {
				bad("objective_description", "differs from line %d's description of the same objective: give it once, or the same on every row", so.descLine)
			} else if so.descLine == 0 {
				so.doc.Description, so.descLine = d, line
			}
		}
		if c := cell("objective_owner"); c != "" {
			owner, msg := p.objectiveOwner(c, o.Teams)
			switch {
			case msg != "":
				bad("objective_owner", "%s", msg)
			case so.ownerLine != 0 && owner != so.doc.Owner:
				bad("objective_owner", "%q differs from line %d's owner of the same objective (%s)", c, so.ownerLine, so.doc.Owner)
			case so.ownerLine == 0:
				so.doc.Owner, so.ownerLine = owner, line
			}
		}

		// The key result.
		krCells := []string{"owner", "baseline", "target", "current", "unit", "due_date"}
		if krTitle == "" {
			for _, k := range krCells {
				if cell(k) != "" {
					bad("key_result", "is empty, but the row gives a key result's %s: name the key result, or leave its cells empty",
						strings.ToLower(fieldLabel(k)))
					break
				}
			}
			out.Rows = append(out.Rows, OKRSheetRow{Line: line, Objective: oi, KeyResult: -1})
			continue
		}
		if first, dup := so.krByTitle[titleKey(krTitle)]; dup {
			bad("key_result", "%q is already on line %d for the same objective: give each key result one row", krTitle, so.krLines[first])
			continue
		}
		stored, isStored := so.stored[titleKey(krTitle)]
		slug := stored.Slug
		if !isStored {
			slug = okr.UniqueSlug(okr.Slugify(krTitle), func(s string) bool {
				_, clash := so.storedSlug(s)
				return clash || slices.ContainsFunc(so.doc.KeyResults, func(k DocKeyResult) bool { return k.Slug == s })
			})
		}
		so.doc.KeyResults = append(so.doc.KeyResults, DocKeyResult{Slug: slug, Title: krTitle})
		ki := len(so.doc.KeyResults) - 1
		so.krByTitle[titleKey(krTitle)] = ki
		so.krLines[ki] = line
		k := &so.doc.KeyResults[ki]
		k.Title = krTitle
		rowOK := true
		if c := cell("owner"); c != "" {
			if email, msg := parseImportEmail(c); msg != "" {
				bad("owner", "%s", msg)
				rowOK = false
			} else {
				k.Owner = email
			}
		}
		var percentSeen bool
		number := func(key string, set func(float64)) {
			c := cell(key)
			if c == "" {
				return
			}
			v, pct, msg := p.number(c)
			if msg != "" {
				bad(key, "%s", msg)
				rowOK = false
				return
			}
			percentSeen = percentSeen || pct
			set(v)
		}
		number("baseline", func(v float64) { k.Baseline = &v })
		number("target", func(v float64) { k.Target = &v })
		var current *float64
		number("current", func(v float64) { current = &v })
		if c := cell("unit"); c != "" {
			unit, label, currency, msg := parseUnit(c)
			if msg != "" {
				bad("unit", "%s", msg)
				rowOK = false
			} else {
				k.Unit, k.UnitLabel, k.Currency = unit, label, currency
			}
		} else if percentSeen && k.Unit == "" {
			k.Unit = okr.UnitPercent
		}
		if c := cell("due_date"); c != "" {
			d, msg := p.date(c)
			if msg != "" {
				bad("due_date", "%s", msg)
				rowOK = false
			} else {
				k.DueDate = d
			}
		}
		if k.Baseline != nil && k.Target != nil && (!isStored || stored.Kind == "" || stored.Kind == okr.Increase || stored.Kind == okr.Decrease) {
			k.Kind = okr.Increase
			if *k.Target < *k.Baseline {
				k.Kind = okr.Decrease
			}
		}
		if rowOK && current != nil {
			out.Currents = append(out.Currents, OKRSheetCurrent{Line: line, Objective: so.doc.Slug, KeyResult: k.Slug, Value: *current})
		}
		out.Rows = append(out.Rows, OKRSheetRow{Line: line, Objective: oi, KeyResult: ki})
	}
	for _, so := range objectives {
		out.Document.Objectives = append(out.Document.Objectives, so.doc)
	}
	if len(out.Rows) == 0 && len(problems) == 0 {
		problems = append(problems, ImportError{Message: "the file has no rows below its header"})
	}
	return out, problems
}

func fieldLabel(key string) string {
	for _, f := range OKRImportFields {
		if f.Key == key {
			return f.Label
		}
	}
	return key
}

// titleKey is how titles compare: ignoring case and runs of spaces.
func titleKey(s string) string { return strings.ToLower(oneLineText(s)) }

// oneLineText collapses a cell's spaces and line breaks.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// unneutralize undoes an export's neutralization: a single quote before
// =, +, -, @, a tab or a carriage return goes.
func unneutralize(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// parseImportEmail checks an e-mail cell ("mailto:" is dropped).
func parseImportEmail(s string) (string, string) {
	s = strings.TrimSpace(strings.TrimPrefix(s, "mailto:"))
	local, domain, found := strings.Cut(s, "@")
	if !found || local == "" || !strings.Contains(domain, ".") || strings.Contains(domain, "@") || strings.ContainsAny(s, " \t<>,;") {
		return "", fmt.Sprintf("%q is not an e-mail address: give the owner's e-mail, e.g. ada@example.com", s)
	}
	return strings.ToLower(s), ""
}

// valueParser reads the numbers and dates of one import.
type valueParser struct {
	dates   DateFormat
	decimal string // "", "." or ","
}

var digitsOnly = regexp.MustCompile(`^\d+$`)

// number reads a number: "1234.5", "1234,5", "1,234.5", "1.234,5",
// "1 234,5", "-3", "45%" (45, with pct true). The message says what is wrong.
func (p valueParser) number(s string) (v float64, pct bool, msg string) {
	orig := s
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' {
			return -1
		}
		return r
	}, s)
	if t, ok := strings.CutSuffix(s, "%"); ok {
		s, pct = t, true
	}
	sign := ""
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") || strings.HasPrefix(s, "\u2212") {
		if !strings.HasPrefix(s, "+") {
			sign = "-"
		}
		s = strings.TrimLeft(s, "+-\u2212")
	}
	notNumber := fmt.Sprintf("%q is not a number: write it as 1234.5, 1234,5 or 45%%, without units or currency signs", orig)
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.' || r == ',') }) >= 0 {
		return 0, false, notNumber
	}
	dec := p.decimal
	if dec == "" {
		dots, commas := strings.Count(s, "."), strings.Count(s, ",")
		switch {
		case dots > 0 && commas > 0:
			dec = string(s[strings.LastIndexAny(s, ".,")])
		case dots > 1:
			dec = ","
		case commas > 1:
			dec = "."
		case dots == 1 || commas == 1:
			sep := "."
			if commas == 1 {
				sep = ","
			}
			whole, frac, _ := strings.Cut(s, sep)
			if len(frac) == 3 && strings.TrimLeft(whole, "0") != "" {
				return 0, false, fmt.Sprintf("%q could be %s or %s: write it without a thousands separator, or choose the decimal separator",
					orig, sign+whole+frac, sign+whole+"."+frac)
			}
			dec = sep
		default:
			dec = "."
		}
	}
	group := ","
	if dec == "," {
		group = "."
	}
	whole, frac, hasFrac := strings.Cut(s, dec)
	if hasFrac && !digitsOnly.MatchString(frac) {
		return 0, false, notNumber
	}
	if strings.Contains(whole, group) {
		parts := strings.Split(whole, group)
		for i, g := range parts {
			if i == 0 && (len(g) == 0 || len(g) > 3) || i > 0 && len(g) != 3 || !digitsOnly.MatchString(g) {
				return 0, false, fmt.Sprintf("%q is not a number: its %q does not separate thousands", orig, group)
			}
		}
		whole = strings.Join(parts, "")
	}
	if whole == "" && !hasFrac || whole != "" && !digitsOnly.MatchString(whole) {
		return 0, false, notNumber
	}
	num := sign + whole
	if hasFrac {
		num += "." + frac
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false, notNumber
	}
	return v, pct, ""
}

var (
	isoDate   = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$`)
	otherDate = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$`)
)

// date reads YYYY-MM-DD, or the format's day-month or month-day order.
func (p valueParser) date(s string) (okr.Date, string) {
	var y, m, d string
	if g := isoDate.FindStringSubmatch(s); g != nil {
		y, m, d = g[1], g[2], g[3]
	} else if g := otherDate.FindStringSubmatch(s); g != nil && p.dates != DateISO {
		if len(g[3]) != 4 {
			return "", fmt.Sprintf("%q has a two-digit year: write the year in full, e.g. %s", s, exampleDate(p.dates))
		}
		y, m, d = g[3], g[2], g[1]
		if p.dates == DateMDY {
			m, d = g[1], g[2]
		}
	} else if p.dates == DateISO {
		return "", fmt.Sprintf("%q is not a date like 2027-03-31 (YYYY-MM-DD): write it so, or choose the file's date format", s)
	} else {
		return "", fmt.Sprintf("%q is not a date like %s (%s) or 2027-03-31: write it so, or choose the file's date format", s, exampleDate(p.dates), p.dates)
	}
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	iso := fmt.Sprintf("%04d-%02d-%02d", yy, mm, dd)
	if _, err := time.Parse(okr.DateLayout, iso); err != nil {
		return "", fmt.Sprintf("%q is not a day of the calendar (read as year %d, month %d, day %d): check the date format", s, yy, mm, dd)
	}
	return okr.Date(iso), ""
}

func exampleDate(f DateFormat) string {
	switch f {
	case DateDMY:
		return "31/03/2027"
	case DateMDY:
		return "3/31/2027"
	}
	return "2027-03-31"
}

// currencySigns are the currency signs a unit cell may hold.
var currencySigns = map[string]string{"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF"}

var isoCurrency = regexp.MustCompile(`^[A-Z]{3}$`)

// parseUnit reads a unit cell.
func parseUnit(s string) (unit okr.Unit, label, currency, msg string) {
	switch strings.ToLower(s) {
	case "number", "#", "count", "numeric", "num":
		return okr.UnitNumber, "", "", ""
	case "percent", "%", "percentage", "pct", "per cent":
		return okr.UnitPercent, "", "", ""
	case "currency", "money":
		return "", "", "", fmt.Sprintf("%q does not say which currency: write its ISO code (EUR, USD) or sign (€, $)", s)
	}
	if c, ok := currencySigns[s]; ok {
		return okr.UnitCurrency, "", c, ""
	}
	if isoCurrency.MatchString(s) {
		return okr.UnitCurrency, "", s, ""
	}
	if n := len([]rune(s)); n > 40 {
		return "", "", "", fmt.Sprintf("is %d characters long: a unit is a word or two, e.g. hours", n)
	}
	return okr.UnitCustom, s, "", ""
}

// objectiveOwner reads an owner cell: org, an e-mail, team:slug, or a team's
// name or slug (looked up in teams when given).
func (p valueParser) objectiveOwner(s string, teams map[string]string) (string, string) {
	switch strings.ToLower(s) {
	case "org", "organization", "organisation", "company":
		return "org", ""
	}
	if strings.Contains(s, "@") {
		email, msg := parseImportEmail(s)
		return email, msg
	}
	name := strings.TrimSpace(strings.TrimPrefix(s, "team:"))
	if teams == nil {
		return "team:" + name, ""
	}
	if slug, ok := teams[strings.ToLower(name)]; ok {
		return "team:" + slug, ""
	}
	return "", fmt.Sprintf("no team is called %q: give a team's name or slug, a person's e-mail, or org", name)
}
