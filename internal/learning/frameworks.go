package learning

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxImportedSkills is the most skills one framework file may hold.
const MaxImportedSkills = 50_000

// maxNameRunes is the longest skill name an import produces.
const maxNameRunes = 200

// ImportedSkill is a skill read from a framework file (ESCO, O*NET or CASE).
// URI identifies it in its framework, so that importing the same file again
// updates the skills instead of adding them twice.
type ImportedSkill struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Category    string    `json:"category"`
	Framework   Framework `json:"framework"`
	URI         string    `json:"uri"`
}

// ParseESCO reads ESCO's skills export (skills_en.csv, or the same file in
// another language). Columns are found by their header names, in any order;
// conceptUri and preferredLabel are required, description (else definition),
// skillType, reuseLevel and status are used when present.
//
// Name is preferredLabel; URI is conceptUri; Category is skillType
// ("skill/competence" or "knowledge"), or reuseLevel ("transversal",
// "cross-sector"…) for a row without a skill type. Rows whose status is not
// "released" are skipped when the file has a status column. A URI seen twice
// keeps its first row. A row of another concept type (an occupation, a skill
// group) refuses the file: only skills are imported.
func ParseESCO(r io.Reader) ([]ImportedSkill, error) {
	t, err := openTable(r)
	if err != nil {
		return nil, err
	}
	hint := "is this ESCO's skills_en.csv?"
	uriCol, err := t.need("conceptUri", hint)
	if err != nil {
		return nil, err
	}
	labelCol, err := t.need("preferredLabel", hint)
	if err != nil {
		return nil, err
	}
	var (
		typeCol    = t.col("conceptType")
		statusCol  = t.col("status")
		descCol    = t.col("description")
		defCol     = t.col("definition")
		skillCol   = t.col("skillType")
		reuseCol   = t.col("reuseLevel")
		out        []ImportedSkill
		seen       = map[string]bool{}
		complaints problems
	)
	for {
		rec, line, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if typeCol >= 0 {
			if ct := cellAt(rec, typeCol); ct != "" && !strings.EqualFold(ct, "KnowledgeSkillCompetence") {
				return nil, fmt.Errorf("line %d: the concept type is %q, not a skill (KnowledgeSkillCompetence): "+
					"import ESCO's skills_en.csv", line, ct)
			}
		}
		if statusCol >= 0 && !strings.EqualFold(cellAt(rec, statusCol), "released") {
			continue
		}
		uri, label := cellAt(rec, uriCol), oneLine(cellAt(rec, labelCol))
		ok := true
		if uri == "" {
			complaints.add(fmt.Errorf("line %d: the %q column is empty", line, t.header[uriCol]))
			ok = false
		} else if !absoluteURI(uri) {
			complaints.add(fmt.Errorf("line %d: %q in the %q column is not a URI such as "+
				"http://data.europa.eu/esco/skill/…", line, uri, t.header[uriCol]))
			ok = false
		}
		if label == "" {
			complaints.add(fmt.Errorf("line %d: the %q column is empty", line, t.header[labelCol]))
			ok = false
		} else if utf8.RuneCountInString(label) > maxNameRunes {
			complaints.add(fmt.Errorf("line %d: the %q column is longer than %d characters",
				line, t.header[labelCol], maxNameRunes))
			ok = false
		}
		if !ok || seen[uri] {
			continue
		}
		seen[uri] = true
		desc := cellAt(rec, descCol)
		if desc == "" {
			desc = cellAt(rec, defCol)
		}
		cat := cellAt(rec, skillCol)
		if cat == "" {
			cat = cellAt(rec, reuseCol)
		}
		out = append(out, ImportedSkill{Name: label, Description: desc, Category: cat, Framework: FrameworkESCO, URI: uri})
		if len(out) > MaxImportedSkills {
			return nil, errTooManySkills
		}
	}
	if err := complaints.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ParseONET reads an O*NET content-model file: the Content Model Reference,
// or the Skills, Knowledge or Abilities file, as CSV or as O*NET's
// tab-separated text (told apart by the header line). "Element ID" and
// "Element Name" are required, "Description" is used when present. The rows of
// a file by occupation (with "O*NET-SOC Code" and one row per occupation and
// scale) give each element once.
//
// URI is "onet:" and the element id (onet:2.A.1.a). Category comes from the
// id: 2.A "Basic skills", 2.B "Cross-functional skills", 2.C "Knowledge",
// 1.A "Abilities", else "O*NET". An element whose sub-elements are in the file
// too (2.A.1 "Content" above 2.A.1.a "Reading Comprehension") is a heading of
// the content model, not a skill, and is left out.
func ParseONET(r io.Reader) ([]ImportedSkill, error) {
	t, err := openTable(r)
	if err != nil {
		return nil, err
	}
	hint := "is this an O*NET content-model file (Content Model Reference, Skills, Knowledge or Abilities)?"
	idCol, err := t.need("Element ID", hint)
	if err != nil {
		return nil, err
	}
	nameCol, err := t.need("Element Name", hint)
	if err != nil {
		return nil, err
	}
	descCol := t.col("Description")
	var (
		out        []ImportedSkill
		seen       = map[string]bool{}
		complaints problems
	)
	for {
		rec, line, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		id, name := cellAt(rec, idCol), oneLine(cellAt(rec, nameCol))
		ok := true
		if id == "" {
			complaints.add(fmt.Errorf("line %d: the %q column is empty", line, t.header[idCol]))
			ok = false
		} else if !onetID(id) {
			complaints.add(fmt.Errorf("line %d: %q is not an O*NET element id such as 2.A.1.a", line, id))
			ok = false
		}
		if name == "" {
			complaints.add(fmt.Errorf("line %d: the %q column is empty", line, t.header[nameCol]))
			ok = false
		} else if utf8.RuneCountInString(name) > maxNameRunes {
			complaints.add(fmt.Errorf("line %d: the %q column is longer than %d characters",
				line, t.header[nameCol], maxNameRunes))
			ok = false
		}
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, ImportedSkill{Name: name, Description: cellAt(rec, descCol), Category: onetCategory(id),
			Framework: FrameworkONET, URI: "onet:" + id})
		if len(out) > 2*MaxImportedSkills { // headings included: far too many either way
			return nil, errTooManySkills
		}
	}
	if err := complaints.err(); err != nil {
		return nil, err
	}
	// Leave out the headings: the elements that are the parent of another.
	heading := map[string]bool{}
	for id := range seen {
		for i := strings.LastIndexByte(id, '.'); i > 0; i = strings.LastIndexByte(id[:i], '.') {
			heading[id[:i]] = true
		}
	}
	skills := out[:0]
	for _, s := range out {
		if !heading[strings.TrimPrefix(s.URI, "onet:")] {
			skills = append(skills, s)
		}
	}
	if len(skills) > MaxImportedSkills {
		return nil, errTooManySkills
	}
	return skills, nil
}

// onetID reports whether id looks like an O*NET element id: a number, then
// dot-separated letters or numbers (1.A.1.a.1).
func onetID(id string) bool {
	for i, part := range strings.Split(id, ".") {
		if part == "" {
			return false
		}
		for _, c := range part {
			if c > unicode.MaxASCII || !(unicode.IsDigit(c) || i > 0 && unicode.IsLetter(c)) {
				return false
			}
		}
	}
	return true
}

// onetCategory names the part of the O*NET content model an element id is in.
func onetCategory(id string) string {
	for _, c := range []struct{ prefix, name string }{
		{"2.A", "Basic skills"},
		{"2.B", "Cross-functional skills"},
		{"2.C", "Knowledge"},
		{"1.A", "Abilities"},
	} {
		if id == c.prefix || strings.HasPrefix(id, c.prefix+".") {
			return c.name
		}
	}
	return "O*NET"
}

// casePackage is the part of a 1EdTech CASE 1.0 CFPackage that okra reads.
type casePackage struct {
	CFDocument *struct {
		Title string `json:"title"`
	} `json:"CFDocument"`
	CFItems []caseItem `json:"CFItems"`
	// CFPackage: some tools wrap the package in an object of this name.
	CFPackage *casePackage `json:"CFPackage"`
}

type caseItem struct {
	Identifier           string `json:"identifier"`
	URI                  string `json:"uri"`
	FullStatement        string `json:"fullStatement"`
	AbbreviatedStatement string `json:"abbreviatedStatement"`
	HumanCodingScheme    string `json:"humanCodingScheme"`
	CFItemType           string `json:"CFItemType"`
	CFItemTypeURI        *struct {
		Title string `json:"title"`
	} `json:"CFItemTypeURI"`
	Notes string `json:"notes"`
}

// ParseCASE reads a 1EdTech CASE 1.0 CFPackage (the JSON of a framework, as
// CASE servers and editors export it: CFDocument, CFItems, CFAssociations).
// Each CFItem becomes a skill.
//
// Name is the abbreviatedStatement, else the fullStatement; a name longer than
// 200 characters is cut at a word boundary. Description is the fullStatement
// when it is not the name, and the item's notes. URI is the item's uri, else
// "urn:case:" and its identifier. Category is the CFItemType (or the title of
// its CFItemTypeURI), else the CFDocument's title. A URI seen twice keeps its
// first item.
func ParseCASE(r io.Reader) ([]ImportedSkill, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, bom)
	var pkg casePackage
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, jsonError(data, err)
	}
	if pkg.CFItems == nil && pkg.CFPackage != nil {
		pkg = *pkg.CFPackage
	}
	if pkg.CFItems == nil {
		if pkg.CFDocument == nil {
			return nil, errors.New(`no "CFDocument" and no "CFItems": is this a 1EdTech CASE 1.0 CFPackage (JSON)?`)
		}
		return nil, errors.New(`the package has no "CFItems": export the framework as a CFPackage, with its items`)
	}
	if len(pkg.CFItems) > MaxImportedSkills {
		return nil, errTooManySkills
	}
	title := ""
	if pkg.CFDocument != nil {
		title = strings.TrimSpace(pkg.CFDocument.Title)
	}
	var (
		out        []ImportedSkill
		seen       = map[string]bool{}
		complaints problems
	)
	for i, it := range pkg.CFItems {
		where := fmt.Sprintf("CFItems item %d", i+1)
		if id := strings.TrimSpace(it.Identifier); id != "" {
			where += fmt.Sprintf(" (identifier %q)", id)
		}
		full, abbr := strings.TrimSpace(it.FullStatement), strings.TrimSpace(it.AbbreviatedStatement)
		uri := strings.TrimSpace(it.URI)
		ok := true
		if full == "" && abbr == "" {
			complaints.add(fmt.Errorf(`%s: "fullStatement" is empty`, where))
			ok = false
		}
		switch {
		case uri != "" && !absoluteURI(uri):
			complaints.add(fmt.Errorf(`%s: "uri" %q is not a URI`, where, uri))
			ok = false
		case uri == "" && strings.TrimSpace(it.Identifier) == "":
			complaints.add(fmt.Errorf(`%s: no "uri" and no "identifier"`, where))
			ok = false
		case uri == "":
			uri = "urn:case:" + strings.TrimSpace(it.Identifier)
		}
		if !ok || seen[uri] {
			continue
		}
		seen[uri] = true
		name := abbr
		if name == "" {
			name = full
		}
		name = shorten(oneLine(name), maxNameRunes)
		var desc []string
		if full != "" && full != name {
			desc = append(desc, full)
		}
		if notes := strings.TrimSpace(it.Notes); notes != "" {
			desc = append(desc, notes)
		}
		cat := strings.TrimSpace(it.CFItemType)
		if cat == "" && it.CFItemTypeURI != nil {
			cat = strings.TrimSpace(it.CFItemTypeURI.Title)
		}
		if cat == "" {
			cat = title
		}
		out = append(out, ImportedSkill{Name: name, Description: strings.Join(desc, "\n\n"), Category: cat,
			Framework: FrameworkCASE, URI: uri})
	}
	if err := complaints.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// DetectFramework guesses the format of a framework file from its name and
// its first bytes (a few hundred are enough): FrameworkESCO, FrameworkONET or
// FrameworkCASE, or "" when it cannot tell. The content decides before the name.
func DetectFramework(name string, head []byte) Framework {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	if len(h) > 0 && h[0] == '{' {
		for _, key := range []string{`"CFItems"`, `"CFDocument"`, `"CFPackage"`} {
			if bytes.Contains(h, []byte(key)) {
				return FrameworkCASE
			}
		}
	}
	first := h
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	first = bytes.ToLower(first)
	switch {
	case bytes.Contains(first, []byte("concepturi")) || bytes.Contains(first, []byte("preferredlabel")):
		return FrameworkESCO
	case bytes.Contains(first, []byte("element id")):
		return FrameworkONET
	}
	// The name with its folders: ESCO and O*NET downloads unpack into folders named after them.
	name = strings.ToLower(name)
	switch {
	case strings.Contains(name, "esco"):
		return FrameworkESCO
	case strings.Contains(name, "onet") || strings.Contains(name, "o*net") || strings.Contains(name, "o_net"):
		return FrameworkONET
	case strings.HasSuffix(name, ".json"):
		return FrameworkCASE
	}
	return ""
}

var errTooManySkills = fmt.Errorf("the file has more than %d skills: split it into smaller files", MaxImportedSkills)

// absoluteURI reports whether s is an absolute URI (with a scheme).
func absoluteURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && !strings.ContainsAny(s, " \t\r\n")
}

// oneLine folds runs of white space, new lines included, into single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// shorten cuts s to at most n runes at a word boundary, ending it with "…"
// when it cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)[:n-1]
	cut := len(runes)
	for i := len(runes) - 1; i > n/2; i-- {
		if unicode.IsSpace(runes[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(runes[:cut]), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r)
	}) + "…"
}

// jsonError says where a JSON document is wrong, by line.
func jsonError(data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax) && syntax.Offset >= int64(len(data)):
		return errors.New("the JSON ends too early: is the file complete?")
	case errors.As(err, &syntax):
		return fmt.Errorf("line %d: the file is not valid JSON: %v", lineAt(data, syntax.Offset), syntax)
	case errors.As(err, &typ):
		return fmt.Errorf("line %d: %q should be a %s, not a %s", lineAt(data, typ.Offset), typ.Field, typ.Type, typ.Value)
	}
	return fmt.Errorf("the file is not valid JSON: %w", err)
}

// lineAt is the line number (from 1) of a byte offset.
func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// problems collects the errors of a file, up to a point.
type problems struct {
	list []error
	more int
}

// maxProblems is how many of a file's problems an error lists.
const maxProblems = 10

func (p *problems) add(err error) {
	if len(p.list) < maxProblems {
		p.list = append(p.list, err)
	} else {
		p.more++
	}
}

// err joins the problems, one a line; nil when there are none.
func (p *problems) err() error {
	if p.more > 0 {
		return errors.Join(append(p.list, fmt.Errorf("and %d more", p.more))...)
	}
	return errors.Join(p.list...)
}

// CSV tables, shared by the framework and completion-report parsers.

var bom = []byte("\xef\xbb\xbf")

// csvTable reads a delimited text file with a header line.
type csvTable struct {
	r      *csv.Reader
	comma  rune
	header []string // as written, trimmed
	index  map[string]int
}

// openTable skips a byte-order mark, tells the separator (comma, semicolon or
// tab: whichever the header line has most of) and reads the header.
func openTable(r io.Reader) (*csvTable, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		if _, err := br.Discard(len(bom)); err != nil {
			return nil, err
		}
	}
	head, _ := br.Peek(64 << 10)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	t := &csvTable{comma: ','}
	if n := bytes.Count(head, []byte(";")); n > bytes.Count(head, []byte(",")) {
		t.comma = ';'
	}
	if n := bytes.Count(head, []byte("\t")); n > bytes.Count(head, []byte(string(t.comma))) {
		t.comma = '\t'
	}
	t.r = csv.NewReader(br)
	t.r.Comma = t.comma
	t.r.FieldsPerRecord = -1
	// Tab-separated exports (O*NET's) do not quote their fields.
	t.r.LazyQuotes = t.comma == '\t'
	rec, _, err := t.next()
	if err == io.EOF {
		return nil, errors.New("the file is empty: it needs a header line and a line per row")
	}
	if err != nil {
		return nil, err
	}
	t.header = rec
	t.index = make(map[string]int, len(rec))
	for i, h := range rec {
		if k := columnKey(h); k != "" {
			if _, dup := t.index[k]; !dup {
				t.index[k] = i
			}
		}
	}
	return t, nil
}

// columnKey is how column names compare: ignoring case and surrounding spaces.
func columnKey(name string) string {
	return strings.ToLower(strings.TrimSpace(name))
}

// col is the index of a column, or -1.
func (t *csvTable) col(name string) int {
	if i, ok := t.index[columnKey(name)]; ok {
		return i
	}
	return -1
}

// need is the index of a column the file must have.
func (t *csvTable) need(name, hint string) (int, error) {
	if i := t.col(name); i >= 0 {
		return i, nil
	}
	return -1, fmt.Errorf("missing column %q: %s Its columns are %s", name, hint, t.columns())
}

// columns lists the header's names, quoted.
func (t *csvTable) columns() string {
	q := make([]string, 0, len(t.header))
	for _, h := range t.header {
		q = append(q, fmt.Sprintf("%q", h))
	}
	if len(q) == 0 {
		return "(none)"
	}
	return strings.Join(q, ", ")
}

// next reads the next row that is not blank, its fields trimmed, and the line
// it starts on; io.EOF at the end.
func (t *csvTable) next() ([]string, int, error) {
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, 0, fmt.Errorf("line %d: the file is not valid CSV: %v", pe.StartLine, pe.Err)
			}
			return nil, 0, err
		}
		line, _ := t.r.FieldPos(0)
		blank := true
		for i, f := range rec {
			if !utf8.ValidString(f) {
				return nil, 0, fmt.Errorf("line %d: the file is not UTF-8 text: save it as CSV UTF-8", line)
			}
			rec[i] = strings.TrimSpace(f)
			blank = blank && rec[i] == ""
		}
		if !blank {
			return rec, line, nil
		}
	}
}

// cellAt is the i-th field of a row, "" when the row is shorter or i < 0.
func cellAt(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}
