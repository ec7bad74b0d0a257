package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// The weekly check-in: every key result the person owns in an active
// period on one page, a row each (new value, confidence 1–10, status), one
// note and a few blockers below, one submit. A row's fields arrive as
// entries[i].…, with the state the row was shown with (c0, s0, v0) so that a
// row left as it was shown counts as untouched and is skipped.

// checkinBlockerRows is how many blocker rows the form offers.
const checkinBlockerRows = 2

// checkinView is the check-in page.
type checkinView struct {
	S      *Shell
	D      *directory
	Now    time.Time
	Groups []checkinGroup
	Due    int
	Note   string
	// Blockers are the blocker rows as typed (always checkinBlockerRows).
	Blockers []okr.Blocker
	FE       FieldErrors
	Idem     string
}

// checkinGroup is an objective and the person's key results in it.
type checkinGroup struct {
	Objective okr.Objective
	Rows      []checkinRow
}

// checkinRow is one key result's row: what it shows and what was typed.
type checkinRow struct {
	Index int
	Due   bool
	KR    okr.KeyResult
	// Value is the value field as typed ("" for none; "0"/"1" for boolean).
	Value string
	// Done are the milestones ticked.
	Done []string
	// Confidence is 1–10, or 0 when none is chosen.
	Confidence int
	Status     okr.Status
	// The row's state when it was shown: confidence, status, value (boolean
	// "0"/"1", milestones done as sorted ids joined by commas).
	C0, S0, V0 string
}

// field is the form name of one of the row's fields.
func (r checkinRow) field(name string) string { return fmt.Sprintf("entries[%d].%s", r.Index, name) }

// id is an element id for one of the row's fields.
func (r checkinRow) id(name string) string { return fmt.Sprintf("ci-%d-%s", r.Index, name) }

// valueless: the key result's value is not checked in (it is rolled up from
// aligned objectives, computed from learning records, or follows a KPI).
func (r checkinRow) valueless() bool {
	return r.KR.Source == okr.SourceChildren || r.KR.Source == okr.SourceLearning || r.KR.Source == okr.SourceKPI
}

func checkinConfidenceOf(c *float64) int {
	if c == nil {
		return 0
	}
	return int(math.Round(*c * 10))
}

// checkinDone lists a key result's milestones done.
func checkinDone(k okr.KeyResult) []string {
	var out []string
	for _, m := range k.Milestones {
		if m.Done {
			out = append(out, m.ID)
		}
	}
	return out
}

func checkinJoin(ids []string) string {
	s := slices.Clone(ids)
	slices.Sort(s)
	return strings.Join(s, ",")
}

// checkinFresh is a key result's row as its last state prefills it.
func checkinFresh(i int, m app.MyKeyResult) checkinRow {
	k := m.KeyResult
	row := checkinRow{Index: i, Due: m.Due, KR: k, Confidence: checkinConfidenceOf(k.Confidence), Status: k.LastStatus}
	switch k.Kind {
	case okr.Boolean:
		row.Value = "0"
		if k.Current >= 1 {
			row.Value = "1"
		}
		row.V0 = row.Value
	case okr.Milestone:
		row.Done = checkinDone(k)
		row.V0 = checkinJoin(row.Done)
	}
	if row.Confidence > 0 {
		row.C0 = strconv.Itoa(row.Confidence)
	}
	row.S0 = string(k.LastStatus)
	return row
}

// checkinGroups groups the person's key results by objective (objectives
// by title, key results by title), numbering the rows in that order.
func checkinGroups(mine []app.MyKeyResult) []checkinGroup {
	sorted := slices.Clone(mine)
	slices.SortStableFunc(sorted, func(a, b app.MyKeyResult) int {
		if c := strings.Compare(a.Objective.Title, b.Objective.Title); c != 0 {
			return c
		}
		if c := strings.Compare(a.Objective.ID, b.Objective.ID); c != 0 {
			return c
		}
		return strings.Compare(a.KeyResult.Title, b.KeyResult.Title)
	})
	var out []checkinGroup
	for i, m := range sorted {
		if len(out) == 0 || out[len(out)-1].Objective.ID != m.Objective.ID {
			out = append(out, checkinGroup{Objective: m.Objective})
		}
		g := &out[len(out)-1]
		g.Rows = append(g.Rows, checkinFresh(i, m))
	}
	return out
}

// checkinIdem is a fresh idempotency key for the page's form.
func checkinIdem() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "web-checkin-" + hex.EncodeToString(b)
}

// checkinForm shows the weekly check-in.
func (h *Handler) checkinForm(w http.ResponseWriter, r *Request) {
	v, ok := h.checkinLoad(w, r)
	if !ok {
		return
	}
	h.render(w, r.Request, 0, checkinPage(v))
}

// checkinLoad builds the page with every row as its key result's last
// state prefills it.
func (h *Handler) checkinLoad(w http.ResponseWriter, r *Request) (checkinView, bool) {
	s := h.shell(w, r, "Weekly check-in", "checkin")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return checkinView{}, false
	}
	mine, err := s.MyKeyResults()
	if err != nil {
		h.fail(w, r, err)
		return checkinView{}, false
	}
	v := checkinView{S: s, D: d, Now: time.Now(), Groups: checkinGroups(mine), Due: s.Due,
		Blockers: make([]okr.Blocker, checkinBlockerRows), FE: FieldErrors{}, Idem: checkinIdem()}
	// The objectives as their page shows them: health and expected progress.
	for i := range v.Groups {
		o, err := h.app.GetObjective(r.Ctx(), r.Actor, v.Groups[i].Objective.ID)
		if err != nil {
			h.fail(w, r, err)
			return checkinView{}, false
		}
		v.Groups[i].Objective = o
	}
	return v, true
}

var checkinIdemPattern = regexp.MustCompile(`^web-checkin-[0-9a-f]{24}$`)

// checkinSave records the weekly check-in in one transaction and comes back
// to the page with what happened; a problem shows beside its row, and then
// nothing is recorded.
func (h *Handler) checkinSave(w http.ResponseWriter, r *Request) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, err)
		return
	}
	v, ok := h.checkinLoad(w, r)
	if !ok {
		return
	}
	if idem := r.PostFormValue("idem"); checkinIdemPattern.MatchString(idem) {
		v.Idem = idem
	}
	rows := map[string]*checkinRow{}
	for gi := range v.Groups {
		for ri := range v.Groups[gi].Rows {
			row := &v.Groups[gi].Rows[ri]
			rows[row.KR.ID] = row
		}
	}
	// The form's rows, in its order: the index the use case reports
	// problems under is the row's index in the form.
	var in app.MultiCheckInInput
	var shown []*checkinRow // the page row of each entry (nil: no longer mine)
	fe := FieldErrors{}
	for i := 0; i < 1000; i++ {
		prefix := fmt.Sprintf("entries[%d].", i)
		krID := r.PostFormValue(prefix + "kr")
		if krID == "" {
			break
		}
		e, row := checkinDecodeRow(r, i, krID, rows[krID], fe)
		in.Entries = append(in.Entries, e)
		shown = append(shown, row)
	}
	v.Note = r.PostFormValue("note")
	in.Note = strings.TrimSpace(v.Note)
	var blockerRow []int // the form row of each blocker sent
	for j := range v.Blockers {
		b := okr.Blocker{Type: okr.BlockerType(r.PostFormValue(fmt.Sprintf("blockers[%d].type", j))),
			Description: r.PostFormValue(fmt.Sprintf("blockers[%d].description", j))}
		v.Blockers[j] = b
		if b.Type != "" || strings.TrimSpace(b.Description) != "" {
			in.Blockers = append(in.Blockers, b)
			blockerRow = append(blockerRow, j)
		}
	}
	// Rows as typed, renumbered to the form's indexes so that the messages
	// land beside them.
	checkinRenumber(&v, shown)
	if len(fe) == 0 {
		res, err := h.app.CheckInMany(r.Ctx(), r.Actor, in, v.Idem)
		if err == nil {
			h.redirect(w, r.Request, "/checkin", checkinFlash(res, rows))
			return
		}
		got, ok := fieldErrors(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		for k, msg := range got {
			fe[checkinBlockerField(k, blockerRow)] = msg
		}
	}
	v.FE = fe
	h.render(w, r.Request, http.StatusUnprocessableEntity, checkinPage(v))
}

// checkinDecodeRow reads one row of the form into an entry of the use case,
// leaving out what is as the row was shown, and updates the page's row to
// show what was typed. A number that is no number is noted in fe.
func checkinDecodeRow(r *Request, i int, krID string, row *checkinRow, fe FieldErrors) (app.MultiCheckInEntry, *checkinRow) {
	e := app.MultiCheckInEntry{KeyResultID: krID}
	f := func(name string) string { return fmt.Sprintf("entries[%d].%s", i, name) }
	v0, c0, s0 := r.PostFormValue(f("v0")), r.PostFormValue(f("c0")), r.PostFormValue(f("s0"))
	kind := okr.Increase
	if row != nil {
		kind = row.KR.Kind
	}
	value := strings.TrimSpace(r.PostFormValue(f("value")))
	switch {
	case kind == okr.Milestone:
		if r.PostFormValue(f("milestones_shown")) != "" {
			done := r.PostForm[f("milestones")]
			if done == nil {
				done = []string{}
			}
			if checkinJoin(done) != v0 {
				e.MilestonesDone = done
			}
			if row != nil {
				row.Done = done
			}
		}
		if value != "" {
			// Not offered for a milestone key result: let the use case say so.
			e.Value = checkinParse(value, f("value"), fe)
		}
	case kind == okr.Boolean:
		if value != "" && value != v0 {
			e.Value = checkinParse(value, f("value"), fe)
		}
	default:
		if value != "" {
			e.Value = checkinParse(value, f("value"), fe)
		}
	}
	conf := r.PostFormValue(f("confidence"))
	if conf != "" && conf != c0 {
		n, err := strconv.Atoi(conf)
		if err != nil || n < 1 || n > 10 {
			fe[f("confidence")] = "choose a confidence from 1 to 10"
		} else {
			c := float64(n) / 10
			e.Confidence = &c
		}
	}
	if st := r.PostFormValue(f("status")); st != "" && st != s0 {
		e.Status = okr.Status(st)
	}
	if row != nil {
		row.Value = r.PostFormValue(f("value"))
		if kind == okr.Boolean && row.Value == "" {
			row.Value = v0
		}
		row.C0, row.S0, row.V0 = c0, s0, v0
		row.Confidence, _ = strconv.Atoi(conf)
		row.Status = okr.Status(r.PostFormValue(f("status")))
	}
	return e, row
}

// checkinParse reads a number typed into a value field.
func checkinParse(s, field string, fe FieldErrors) *float64 {
	x, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		fe[field] = "enter a number, like 42 or 3.5"
		return nil
	}
	return &x
}

// checkinRenumber gives the page's rows the indexes they had in the posted
// form (the order may have changed since it was shown, if key results came
// or went); rows the form did not hold get indexes after them.
func checkinRenumber(v *checkinView, shown []*checkinRow) {
	index := map[*checkinRow]int{}
	for i, row := range shown {
		if row != nil {
			index[row] = i
		}
	}
	next := len(shown)
	for gi := range v.Groups {
		for ri := range v.Groups[gi].Rows {
			row := &v.Groups[gi].Rows[ri]
			if i, ok := index[row]; ok {
				row.Index = i
			} else {
				row.Index = next
				next++
			}
		}
	}
}

var checkinBlockerKey = regexp.MustCompile(`^blockers\[(\d+)\]`)

// checkinBlockerField maps a problem with the k-th blocker sent to the form
// row it came from.
func checkinBlockerField(key string, rows []int) string {
	m := checkinBlockerKey.FindStringSubmatch(key)
	if m == nil {
		return key
	}
	k, err := strconv.Atoi(m[1])
	if err != nil || k >= len(rows) {
		return key
	}
	return fmt.Sprintf("blockers[%d]", rows[k]) + key[len(m[0]):]
}

// checkinFlash says what the check-in recorded, with the warnings the use
// case gave (low confidence without a blocker, say), naming their key results.
func checkinFlash(res []app.CheckInResult, rows map[string]*checkinRow) string {
	msg := okr.Plural(len(res), "key result") + " checked in."
	if len(res) == 1 {
		msg = "1 key result checked in."
	}
	var order []string
	titles := map[string][]string{}
	for _, c := range res {
		title := "a key result"
		if row := rows[c.KeyResultID]; row != nil {
			title = "“" + row.KR.Title + "”"
		}
		for _, w := range c.Warnings {
			if _, ok := titles[w]; !ok {
				order = append(order, w)
			}
			titles[w] = append(titles[w], title)
		}
	}
	for _, w := range order {
		msg += " " + strings.Join(titles[w], ", ") + ": " + w
	}
	return msg
}

// checkinBlockerTypes are the blocker types the form offers, with their words.
var checkinBlockerTypes = []struct {
	Type  okr.BlockerType
	Label string
}{
	{okr.BlockerResource, "Resources"},
	{okr.BlockerDependency, "Dependency"},
	{okr.BlockerClarity, "Unclear goal"},
	{okr.BlockerPriorityConflict, "Priority conflict"},
	{okr.BlockerExternal, "External"},
	{okr.BlockerApproachNotWorking, "Approach not working"},
	{okr.BlockerOther, "Other"},
}

// rowCount counts the rows of the page.
func (v checkinView) rowCount() int {
	n := 0
	for _, g := range v.Groups {
		n += len(g.Rows)
	}
	return n
}

// checkinProblem is one line of the summary of what stopped a save: a
// message, and the field it belongs to (an in-page link), if any.
type checkinProblem struct {
	Label, Message, Href string
}

// checkinRowFields are a row's fields in the order they are shown, with the
// id of the element each message links to.
var checkinRowFields = []struct{ name, id, label string }{
	{"key_result_id", "title", ""},
	{"value", "value", "new value"},
	{"milestones_done", "milestones", "milestones"},
	{"confidence", "confidence", "confidence"},
	{"status", "status", "status"},
}

// problems lists every message of the page, rows first in their order,
// then the blockers', then the rest.
func (v checkinView) problems() []checkinProblem {
	var out []checkinProblem
	seen := map[string]bool{}
	for _, g := range v.Groups {
		for _, row := range g.Rows {
			for _, f := range checkinRowFields {
				key := row.field(f.name)
				if msg := v.FE[key]; msg != "" {
					seen[key] = true
					label := row.KR.Title
					if f.label != "" {
						label += ", " + f.label
					}
					out = append(out, checkinProblem{Label: label, Message: msg, Href: "#" + row.id(f.id)})
				}
			}
		}
	}
	for j := range v.Blockers {
		for _, name := range []string{"type", "description", "owner_id", "due_date"} {
			key := fmt.Sprintf("blockers[%d].%s", j, name)
			if msg := v.FE[key]; msg != "" {
				seen[key] = true
				href := ""
				if name == "type" || name == "description" {
					href = fmt.Sprintf("#ci-blocker-%d-%s", j, name)
				}
				out = append(out, checkinProblem{Label: fmt.Sprintf("Blocker %d, %s", j+1, name), Message: msg, Href: href})
			}
		}
	}
	keys := make([]string, 0, len(v.FE))
	for k := range v.FE {
		if !seen[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		out = append(out, checkinProblem{Message: checkinSentence(v.FE[k])})
	}
	return out
}

// checkinSentence starts a message with a capital letter.
func checkinSentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// valueHint says what a row's value is now and where it goes.
func checkinValueHint(k okr.KeyResult) string {
	switch k.Kind {
	case okr.Maintain:
		if k.Band != nil {
			return "keep between " + krValue(k, k.Band.Low) + " and " + krValue(k, k.Band.High)
		}
	case okr.Increase, okr.Decrease:
		return "target " + krValue(k, k.Target)
	}
	return ""
}

// checkinUnit is the unit shown beside a value field.
func checkinUnit(k okr.KeyResult) string {
	switch k.Unit {
	case okr.UnitPercent:
		return "%"
	case okr.UnitCurrency:
		return k.Currency
	case okr.UnitCustom:
		return k.UnitLabel
	}
	return ""
}

// checkinCurrentValue is a row's value as it stands, for the field's placeholder.
func checkinCurrentValue(k okr.KeyResult) string {
	return strconv.FormatFloat(k.Current, 'f', -1, 64)
}

var checkinStatuses = []okr.Status{okr.OnTrack, okr.AtRisk, okr.OffTrack}

// describedBy joins the ids of the texts that describe a field.
func checkinDescribedBy(ids ...string) string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return strings.Join(out, " ")
}

// checkinHas reports whether a field has a message.
func checkinHas(fe FieldErrors, name string) bool { return fe[name] != "" }

// checkinErrID is the id of a row's message for a field, or "" when it has none.
func checkinErrID(v checkinView, row checkinRow, name, id string) string {
	if !checkinHas(v.FE, row.field(name)) {
		return ""
	}
	return row.id(id) + "-error"
}

// checkinRowInvalid reports whether any field of a row has a message.
func checkinRowInvalid(v checkinView, row checkinRow) bool {
	for _, f := range checkinRowFields {
		if checkinHas(v.FE, row.field(f.name)) {
			return true
		}
	}
	return false
}

// checkinBand colors a confidence button faintly by its band.
func checkinBand(n int) string {
	switch okr.ConfidenceBand(float64(n) / 10) {
	case "high":
		return "high"
	case "medium":
		return "medium"
	}
	return "low"
}

// checkinSubtitle sums the page up.
func checkinSubtitle(v checkinView) string {
	n := v.rowCount()
	if n == 0 {
		return "Nothing to check in"
	}
	s := okr.Plural(n, "key result") + " you own in active periods"
	switch v.Due {
	case 0:
		s += " · all checked in this week"
	case 1:
		s += " · 1 waits for a check-in"
	default:
		s += " · " + strconv.Itoa(v.Due) + " wait for a check-in"
	}
	return s
}
