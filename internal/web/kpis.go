package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

// KPIs: the list with each KPI's latest value, status and a sparkline; a
// KPI's page with its history chart, thresholds, records, the record and CSV
// forms and what it moves; the admins' create and edit form; and the
// objective page's section.

func (h *Handler) kpiRoutes() {
	m := h.mux
	m.HandleFunc("GET /kpis", h.signedIn(h.kpiList))
	m.HandleFunc("GET /kpis/new", h.signedIn(h.kpiNew))
	m.HandleFunc("POST /kpis/new", h.signedIn(h.kpiCreate))
	m.HandleFunc("GET /kpis/{id}", h.signedIn(h.kpiPage))
	m.HandleFunc("GET /kpis/{id}/edit", h.signedIn(h.kpiEdit))
	m.HandleFunc("POST /kpis/{id}/edit", h.signedIn(h.kpiUpdate))
	m.HandleFunc("POST /kpis/{id}/records", h.signedIn(h.kpiRecord))
	m.HandleFunc("POST /kpis/{id}/import", h.signedIn(h.kpiImport))
	m.HandleFunc("GET /kpis/{id}/delete", h.signedIn(h.kpiDeleteConfirm))
	m.HandleFunc("POST /kpis/{id}/delete", h.signedIn(h.kpiDelete))
}

// kpiSparkDays is how far back the list's sparklines reach.
const kpiSparkDays = 120

// kpiToday is today in the organization's time zone.
func kpiToday(s *Shell) okr.Date {
	return okr.Date(time.Now().In(s.Me.Org.Location()).Format(okr.DateLayout))
}

// ---- the list

type kpiListView struct {
	S     *Shell
	D     *directory
	Items []kpiItem
}

type kpiItem struct {
	K       okr.KPI
	History []okr.KPIRecord
}

func (h *Handler) kpiList(w http.ResponseWriter, r *Request) {
	s := h.shell(w, r, "KPIs", "kpis")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var ks []okr.KPI
	p := app.PageRequest{Limit: 200}
	for {
		page, err := h.app.ListKPIs(r.Ctx(), r.Actor, app.KPIQuery{PageRequest: p})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		ks = append(ks, page.Items...)
		if page.NextCursor == "" {
			break
		}
		p.Cursor = page.NextCursor
	}
	slices.SortFunc(ks, func(a, b okr.KPI) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	from := okr.Date(time.Now().AddDate(0, 0, -kpiSparkDays).Format(okr.DateLayout))
	hist, err := h.app.KPIsHistory(r.Ctx(), r.Actor, from)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := kpiListView{S: s, D: d}
	for _, k := range ks {
		v.Items = append(v.Items, kpiItem{K: k, History: hist[k.ID]})
	}
	h.render(w, r.Request, 0, kpiListPage(v))
}

// counts sums the KPIs by status, worst first, for the list's summary.
func (v kpiListView) counts() []kpiCount {
	n := map[okr.KPIStatus]int{}
	for _, it := range v.Items {
		n[it.K.Status]++
	}
	var out []kpiCount
	for _, st := range []okr.KPIStatus{okr.KPIRed, okr.KPIOverdue, okr.KPIYellow, okr.KPIGreen, okr.KPINoData} {
		if n[st] > 0 {
			out = append(out, kpiCount{Status: st, N: n[st]})
		}
	}
	return out
}

type kpiCount struct {
	Status okr.KPIStatus
	N      int
}

// ---- what KPIs show

// kpiValue formats a value in the KPI's unit.
func kpiValue(k okr.KPI, x float64) string {
	return krValue(okr.KeyResult{Kind: okr.Increase, Unit: k.Unit, UnitLabel: k.UnitLabel, Currency: k.Currency}, x)
}

// kpiStatusWord says a status in words.
func kpiStatusWord(s okr.KPIStatus) string {
	switch s {
	case okr.KPIGreen:
		return "Green"
	case okr.KPIYellow:
		return "Yellow"
	case okr.KPIRed:
		return "Red"
	case okr.KPIOverdue:
		return "Overdue"
	}
	return "No data yet"
}

// kpiDirectionWord says which way is better.
func kpiDirectionWord(d okr.Direction) string {
	if d == okr.LowerIsBetter {
		return "Lower is better"
	}
	return "Higher is better"
}

// kpiFrequencyWord names a frequency.
func kpiFrequencyWord(f okr.Frequency) string {
	switch f {
	case okr.Daily:
		return "Daily"
	case okr.Weekly:
		return "Weekly"
	case okr.Monthly:
		return "Monthly"
	case okr.Quarterly:
		return "Quarterly"
	}
	return string(f)
}

// kpiThresholds says what the bands are: "green at 2% or less, red at 4% or more".
func kpiThresholds(k okr.KPI) string {
	if k.Direction == okr.LowerIsBetter {
		return "Green at " + kpiValue(k, k.Green) + " or less, red at " + kpiValue(k, k.Red) + " or more, yellow between"
	}
	return "Green at " + kpiValue(k, k.Green) + " or more, red at " + kpiValue(k, k.Red) + " or less, yellow between"
}

// kpiDue says when the next record is due: "due by 8 Feb 2027".
func kpiDue(k okr.KPI) string {
	if k.Latest == nil {
		return ""
	}
	d, err := okr.DueAfter(k.Frequency, k.Latest.Date)
	if err != nil {
		return ""
	}
	return "next value due by " + day(d)
}

// kpiSparkline draws a KPI's recent values as a small SVG line (no script
// needed); the row beside it says the latest value in words.
func kpiSparkline(recs []okr.KPIRecord) templ.Component {
	const w, h, pad = 120.0, 32.0, 3.0
	if len(recs) < 2 {
		return templ.Raw(`<span class="kpi-spark-none muted">—</span>`)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range recs {
		lo, hi = math.Min(lo, r.Value), math.Max(hi, r.Value)
	}
	span := hi - lo
	if span == 0 {
		span = 1
	}
	var pts []string
	for i, r := range recs {
		x := pad + (w-2*pad)*float64(i)/float64(len(recs)-1)
		y := h - pad - (h-2*pad)*(r.Value-lo)/span
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	last := strings.Split(pts[len(pts)-1], ",")
	return templ.Raw(fmt.Sprintf(`<svg class="kpi-spark" viewBox="0 0 %g %g" width="%g" height="%g" aria-hidden="true" focusable="false">`+
		`<polyline points="%s" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/>`+
		`<circle cx="%s" cy="%s" r="2.4" fill="currentColor"/></svg>`, w, h, w, h, strings.Join(pts, " "), last[0], last[1]))
}

// kpiTrend says how the latest value moved from the one before: "↓ 0.4% since 31 Jan".
func kpiTrend(k okr.KPI, recs []okr.KPIRecord) string {
	if len(recs) < 2 {
		return ""
	}
	a, b := recs[len(recs)-2], recs[len(recs)-1]
	diff := b.Value - a.Value
	switch {
	case diff > 0:
		return "up " + kpiValue(k, diff) + " since " + day(a.Date)
	case diff < 0:
		return "down " + kpiValue(k, -diff) + " since " + day(a.Date)
	}
	return "unchanged since " + day(a.Date)
}

// ---- a KPI's page

type kpiPageView struct {
	S          *Shell
	D          *directory
	K          okr.KPI
	History    []okr.KPIRecord // oldest first
	Objectives []okr.Objective
	KeyResults []okr.KeyResult
	CanRecord  bool
	Today      okr.Date
	// The record form's values and errors.
	Date, Value, Note string
	FE                FieldErrors
	// The import's errors and its dry-run report.
	ImportFE FieldErrors
	Import   *app.KPIImport
	CSVName  string
}

func (h *Handler) kpiPage(w http.ResponseWriter, r *Request) {
	v, err := h.kpiLoad(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, 0, kpiPage(v))
}

// kpiLoad reads a KPI's page.
func (h *Handler) kpiLoad(w http.ResponseWriter, r *Request) (kpiPageView, error) {
	k, err := h.app.GetKPI(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		return kpiPageView{}, err
	}
	s := h.shell(w, r, k.Name, "kpis")
	s.Crumbs = []Crumb{{Label: "KPIs", Href: "/kpis"}}
	v := kpiPageView{S: s, K: k, Today: kpiToday(s), FE: FieldErrors{}, ImportFE: FieldErrors{},
		CanRecord: r.Actor.CanWrite() && (r.Actor.IsAdmin() || k.OwnerID == r.Actor.UserID)}
	v.Date = string(v.Today)
	if v.D, err = h.directory(r); err != nil {
		return v, err
	}
	if v.History, err = h.app.KPIHistory(r.Ctx(), r.Actor, k.ID, ""); err != nil {
		return v, err
	}
	for _, id := range k.ObjectiveIDs {
		o, err := h.app.GetObjective(r.Ctx(), r.Actor, id)
		if err != nil {
			return v, err
		}
		v.Objectives = append(v.Objectives, o)
	}
	for _, id := range k.KeyResultIDs {
		kr, err := h.app.GetKeyResult(r.Ctx(), r.Actor, id)
		if err != nil {
			return v, err
		}
		v.KeyResults = append(v.KeyResults, kr)
	}
	return v, nil
}

// newestFirst is the history for the table.
func (v kpiPageView) newestFirst() []okr.KPIRecord {
	out := slices.Clone(v.History)
	slices.Reverse(out)
	return out
}

// chartJSON is the history chart: the values, and the green and red
// thresholds as dashed lines.
func (v kpiPageView) chartJSON() string {
	type dataset struct {
		Label  string     `json:"label"`
		Data   []*float64 `json:"data"`
		Color  string     `json:"color"`
		Dashed bool       `json:"dashed,omitempty"`
		Points *bool      `json:"points,omitempty"`
	}
	no := false
	n := len(v.History)
	labels := make([]string, n)
	values, green, red := make([]*float64, n), make([]*float64, n), make([]*float64, n)
	for i, rec := range v.History {
		labels[i] = objShortDay(rec.Date)
		x, g, rd := rec.Value, v.K.Green, v.K.Red
		values[i], green[i], red[i] = &x, &g, &rd
	}
	b, _ := json.Marshal(map[string]any{"type": "line", "labels": labels, "beginAtZero": false, "datasets": []dataset{
		{Label: v.K.Name, Data: values, Color: "--accent"},
		{Label: "Green threshold", Data: green, Color: "--on-track", Dashed: true, Points: &no},
		{Label: "Red threshold", Data: red, Color: "--off-track", Dashed: true, Points: &no},
	}})
	return string(b)
}

// chartData is the chart's data block (JSON escapes <, > and &).
func (v kpiPageView) chartData() templ.Component {
	return templ.Raw(`<script type="application/json" id="kpi-chart-data">` + v.chartJSON() + `</script>`)
}

// recordStatus is a record's band by the thresholds.
func (v kpiPageView) recordStatus(rec okr.KPIRecord) okr.KPIStatus {
	return okr.ValueStatus(v.K, rec.Value)
}

// kpiSourceWord names where a record came from.
func kpiSourceWord(s okr.Source) string {
	switch s {
	case okr.SourceAPI:
		return "API"
	case okr.SourceImport:
		return "CSV import"
	}
	return "by hand"
}

// kpiRecord records one value from the page's form.
func (h *Handler) kpiRecord(w http.ResponseWriter, r *Request) {
	_ = r.ParseForm()
	date, value, note := strings.TrimSpace(r.PostFormValue("date")), strings.TrimSpace(r.PostFormValue("value")), r.PostFormValue("note")
	fe := FieldErrors{}
	in := app.KPIRecordInput{Date: okr.Date(date), Note: note, Value: formNumberField(r.Request, "value", fe)}
	var err error
	var res app.KPIRecords
	if len(fe) == 0 {
		res, err = h.app.RecordKPIValue(r.Ctx(), r.Actor, r.PathValue("id"), in)
		if more, ok := fieldErrors(err); ok {
			fe = more
		} else if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if len(fe) > 0 {
		v, err := h.kpiLoad(w, r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Date, v.Value, v.Note, v.FE = date, value, note, fe
		h.render(w, r.Request, http.StatusUnprocessableEntity, kpiPage(v))
		return
	}
	msg := "Recorded " + kpiValue(res.KPI, *in.Value) + " for " + day(in.Date) + "."
	if res.Replaced > 0 {
		msg = "Replaced the value of " + day(in.Date) + " with " + kpiValue(res.KPI, *in.Value) + "."
	}
	if res.KeyResults > 0 {
		msg += " " + okr.Plural(res.KeyResults, "key result") + " following it checked in."
	}
	h.redirect(w, r.Request, "/kpis/"+res.KPI.ID, msg)
}

// kpiImport imports an uploaded CSV file; "Check the file" is a dry run
// that shows what would change.
func (h *Handler) kpiImport(w http.ResponseWriter, r *Request) {
	data, name, upErr := adlUpload(r, "file")
	dry := r.PostFormValue("dry_run") == "1"
	var res app.KPIImport
	var err error = upErr
	if err == nil {
		res, err = h.app.ImportKPIRecords(r.Ctx(), r.Actor, r.PathValue("id"), strings.NewReader(string(data)), dry)
	}
	if err != nil && !errs.Is(err, errs.Invalid) {
		h.fail(w, r, err)
		return
	}
	if err != nil || dry {
		v, lerr := h.kpiLoad(w, r)
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		v.CSVName = name
		status := 0
		if err != nil {
			v.ImportFE = kpiImportErrors(err)
			status = http.StatusUnprocessableEntity
		} else {
			v.Import = &res
		}
		h.render(w, r.Request, status, kpiPage(v))
		return
	}
	msg := fmt.Sprintf("Imported %s: %d new, %d replaced.", okr.Plural(len(res.Rows), "record"), res.Created, res.Replaced)
	if res.KeyResults > 0 {
		msg += " " + okr.Plural(res.KeyResults, "key result") + " following it checked in."
	}
	h.redirect(w, r.Request, "/kpis/"+res.KPI.ID, msg)
}

// kpiImportErrors lists an import's problems, each line's on its own.
func kpiImportErrors(err error) FieldErrors {
	var e *errs.Error
	fe := FieldErrors{}
	if !errors.As(err, &e) {
		fe[""] = messageOf(err)
		return fe
	}
	for i, f := range e.Fields {
		fe[fmt.Sprintf("%03d", i)] = f.Message
	}
	if len(e.Fields) == 0 {
		fe[""] = e.Message
	}
	return fe
}

// lines are the import's errors in order.
func (v kpiPageView) importLines() []string {
	var keys []string
	for k := range v.ImportFE {
		if k != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := []string{}
	if v.ImportFE[""] != "" {
		out = append(out, v.ImportFE[""])
	}
	for _, k := range keys {
		out = append(out, v.ImportFE[k])
	}
	return out
}

// ---- the form (admins create; admins and the owner edit)

type kpiForm struct {
	S *Shell
	D *directory
	// ID is empty for a new KPI.
	ID, Name, Description, Unit, UnitLabel, Currency, Direction, OwnerID, Green, Red, Frequency string
	Version                                                                                     int
	Key                                                                                         string
	FE                                                                                          FieldErrors
}

func (f kpiForm) action() string {
	if f.ID == "" {
		return "/kpis/new"
	}
	return "/kpis/" + f.ID + "/edit"
}

func (h *Handler) kpiRenderForm(w http.ResponseWriter, r *Request, status int, f kpiForm) {
	title := "New KPI"
	if f.ID != "" {
		title = "Edit " + f.Name
	}
	s := h.shell(w, r, title, "kpis")
	s.Crumbs = []Crumb{{Label: "KPIs", Href: "/kpis"}}
	var err error
	if f.D, err = h.directory(r); err != nil {
		h.fail(w, r, err)
		return
	}
	f.S = s
	if f.FE == nil {
		f.FE = FieldErrors{}
	}
	h.render(w, r.Request, status, kpiFormPage(f))
}

func (h *Handler) kpiNew(w http.ResponseWriter, r *Request) {
	if !r.Actor.IsAdmin() {
		h.fail(w, r, errs.E(errs.Forbidden, "only admins add KPIs"))
		return
	}
	h.kpiRenderForm(w, r, 0, kpiForm{Unit: string(okr.UnitNumber), Direction: string(okr.HigherIsBetter), Frequency: string(okr.Weekly),
		OwnerID: r.Actor.UserID, Key: formKey()})
}

func (h *Handler) kpiEdit(w http.ResponseWriter, r *Request) {
	k, err := h.app.GetKPI(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !r.Actor.IsAdmin() && (k.OwnerID != r.Actor.UserID || !r.Actor.CanWrite()) {
		h.fail(w, r, errs.E(errs.Forbidden, "only admins and the KPI's owner change it"))
		return
	}
	h.kpiRenderForm(w, r, 0, kpiForm{ID: k.ID, Name: k.Name, Description: k.Description, Unit: string(k.Unit), UnitLabel: k.UnitLabel,
		Currency: k.Currency, Direction: string(k.Direction), OwnerID: k.OwnerID, Green: formNumber(k.Green), Red: formNumber(k.Red),
		Frequency: string(k.Frequency), Version: k.Version})
}

// kpiFormInput reads the form; numbers that do not parse are noted in FE.
func kpiFormInput(r *Request) kpiForm {
	_ = r.ParseForm()
	f := kpiForm{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), Unit: r.PostFormValue("unit"),
		UnitLabel: r.PostFormValue("unit_label"), Currency: r.PostFormValue("currency"), Direction: r.PostFormValue("direction"),
		OwnerID: r.PostFormValue("owner_id"), Green: strings.TrimSpace(r.PostFormValue("green")), Red: strings.TrimSpace(r.PostFormValue("red")),
		Frequency: r.PostFormValue("frequency"), Key: formKeyOf(r.Request), FE: FieldErrors{}}
	return f
}

func (h *Handler) kpiCreate(w http.ResponseWriter, r *Request) {
	f := kpiFormInput(r)
	green, red := formNumberField(r.Request, "green", f.FE), formNumberField(r.Request, "red", f.FE)
	if len(f.FE) > 0 {
		h.kpiRenderForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	k, err := h.app.CreateKPI(r.Ctx(), r.Actor, app.KPIInput{Name: f.Name, Description: f.Description, Unit: okr.Unit(f.Unit),
		UnitLabel: f.UnitLabel, Currency: f.Currency, Direction: okr.Direction(f.Direction), OwnerID: f.OwnerID, Green: green, Red: red,
		Frequency: okr.Frequency(f.Frequency)}, f.Key)
	if fe, ok := fieldErrors(err); ok {
		f.FE, f.Key = fe, formKey()
		h.kpiRenderForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/kpis/"+k.ID, k.Name+" is tracked. Record its first value.")
}

func (h *Handler) kpiUpdate(w http.ResponseWriter, r *Request) {
	f := kpiFormInput(r)
	f.ID = r.PathValue("id")
	version := formVersion(r.Request)
	if version != nil {
		f.Version = *version
	}
	green, red := formNumberField(r.Request, "green", f.FE), formNumberField(r.Request, "red", f.FE)
	if len(f.FE) > 0 {
		h.kpiRenderForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	unit, dir, freq := okr.Unit(f.Unit), okr.Direction(f.Direction), okr.Frequency(f.Frequency)
	up := app.KPIUpdate{Name: &f.Name, Description: &f.Description, Unit: &unit, UnitLabel: &f.UnitLabel, Currency: &f.Currency,
		Direction: &dir, Green: green, Red: red, Frequency: &freq}
	if r.Actor.IsAdmin() {
		up.OwnerID = &f.OwnerID
	}
	k, err := h.app.UpdateKPI(r.Ctx(), r.Actor, f.ID, version, up)
	if formIsStale(err) {
		f.FE = FieldErrors{"": formStaleMessage("KPI")}
		h.kpiRenderForm(w, r, http.StatusPreconditionFailed, f)
		return
	}
	if fe, ok := fieldErrors(err); ok {
		f.FE = fe
		h.kpiRenderForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/kpis/"+k.ID, k.Name+" is saved.")
}

func (h *Handler) kpiDeleteConfirm(w http.ResponseWriter, r *Request) {
	k, err := h.app.GetKPI(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !r.Actor.IsAdmin() {
		h.fail(w, r, errs.E(errs.Forbidden, "only admins delete KPIs"))
		return
	}
	s := h.shell(w, r, "Delete KPI", "kpis")
	s.Crumbs = []Crumb{{Label: "KPIs", Href: "/kpis"}, {Label: k.Name, Href: "/kpis/" + k.ID}}
	cons := []string{"Its records are deleted with it.", "Objectives that name it no longer do.", "This cannot be undone."}
	if n := len(k.KeyResultIDs); n > 0 {
		cons = append([]string{okr.Plural(n, "key result") + " follow it: give them another source first, or the deletion is refused."}, cons...)
	}
	h.render(w, r.Request, 0, formDeleteConfirmPage(s, formDeleteConfirm{What: "KPI", Title: k.Name, Action: "/kpis/" + k.ID + "/delete",
		Back: "/kpis/" + k.ID, Consequences: cons}))
}

func (h *Handler) kpiDelete(w http.ResponseWriter, r *Request) {
	k, err := h.app.GetKPI(r.Ctx(), r.Actor, r.PathValue("id"))
	if err == nil {
		err = h.app.DeleteKPI(r.Ctx(), r.Actor, k.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/kpis", k.Name+" is deleted.")
}

// ---- the objective page's section

// kpiObjView is the objective page's "KPIs" section: the KPIs it names.
type kpiObjView struct {
	ObjectiveID string
	KPIs        []okr.KPI
	CanEdit     bool
}

func (h *Handler) kpiObjLoad(r *Request, s *Shell, d *directory, ov app.ObjectiveOverview) (kpiObjView, error) {
	ks, err := h.app.KPIsOfObjective(r.Ctx(), r.Actor, ov.Objective.ID)
	return kpiObjView{ObjectiveID: ov.Objective.ID, KPIs: ks, CanEdit: ov.CanEdit}, err
}

// kpiUnitHint says what unit a value is in.
func kpiUnitHint(k okr.KPI) string {
	switch k.Unit {
	case okr.UnitPercent:
		return "In percent, e.g. 3.5 for 3.5%."
	case okr.UnitCurrency:
		return "In " + k.Currency + ", without thousands separators."
	case okr.UnitCustom:
		return "In " + k.UnitLabel + "."
	}
	return "A number, without thousands separators."
}

// kpiChoices are the KPIs a form offers, by name.
func (h *Handler) kpiChoices(r *Request) ([]okr.KPI, error) {
	var out []okr.KPI
	p := app.PageRequest{Limit: 200}
	for {
		page, err := h.app.ListKPIs(r.Ctx(), r.Actor, app.KPIQuery{PageRequest: p})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			break
		}
		p.Cursor = page.NextCursor
	}
	slices.SortFunc(out, func(a, b okr.KPI) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, nil
}

// kpiMeasure is a kpi key result's measure for the KPI picked ("" leaves it
// out, and the use case asks for one).
func kpiMeasure(id string) json.RawMessage {
	if strings.TrimSpace(id) == "" {
		return nil
	}
	b, _ := json.Marshal(okr.KPIMeasure{KPIID: strings.TrimSpace(id)})
	return b
}

// kpiMeasureOf is the KPI a key result follows ("" for none).
func kpiMeasureOf(k okr.KeyResult) string {
	var m okr.KPIMeasure
	if k.Source != okr.SourceKPI || json.Unmarshal(k.Measure, &m) != nil {
		return ""
	}
	return m.KPIID
}
