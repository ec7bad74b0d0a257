package web

import (
	"net/http"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// keyResultForm is what the key result form shows and sends back, as typed.
type keyResultForm struct {
	ID         string // empty for a new key result
	Version    int
	Idem       string
	Title      string
	OwnerID    string
	Kind       string
	Unit       string
	Currency   string
	UnitLabel  string
	Baseline   string
	Target     string
	BandLow    string
	BandHigh   string
	Milestones []milestoneRow
	Weight     string
	DueDate    string
	Source     string
	Indicator  string
	Objective  okr.Objective
	Period     okr.Period
	Dir        *directory
	KeyResult  okr.KeyResult // the key result being edited

	// Measure is a learning key result's measure; Learn what its fields offer.
	Measure krMeasureForm
	Learn   krLearningChoices
	// KPIID is the KPI a kpi key result follows; KPIs the ones to pick from.
	KPIID string
	KPIs  []okr.KPI
	// Coach are the coach's hints beside the fields (coach.go).
	Coach *coachHints
}

// milestoneRow is one row of the milestone list.
type milestoneRow struct{ ID, Title, Weight string }

// blankMilestoneRows is how many empty rows the form offers (JavaScript
// trims them to one and adds rows on demand).
const blankMilestoneRows = 5

// padMilestones adds the empty rows after the filled ones.
func (f *keyResultForm) padMilestones() {
	for range blankMilestoneRows {
		f.Milestones = append(f.Milestones, milestoneRow{Weight: "1"})
	}
}

// readKeyResultForm reads the posted values; rows without a title are
// left out (clearing a milestone's title removes it).
func readKeyResultForm(r *http.Request) *keyResultForm {
	_ = r.ParseForm()
	f := &keyResultForm{Title: r.PostFormValue("title"), OwnerID: r.PostFormValue("owner_id"), Kind: r.PostFormValue("kind"),
		Unit: r.PostFormValue("unit"), Currency: r.PostFormValue("currency"), UnitLabel: r.PostFormValue("unit_label"),
		Baseline: r.PostFormValue("baseline"), Target: r.PostFormValue("target"), BandLow: r.PostFormValue("band_low"),
		BandHigh: r.PostFormValue("band_high"), Weight: r.PostFormValue("weight"), DueDate: r.PostFormValue("due_date"),
		Source: r.PostFormValue("source"), Indicator: r.PostFormValue("indicator"), Idem: formKeyOf(r), Measure: readKRMeasure(r),
		KPIID: r.PostFormValue("kpi_id")}
	titles, weights, ids := r.PostForm["ms_title"], r.PostForm["ms_weight"], r.PostForm["ms_id"]
	for i, t := range titles {
		if strings.TrimSpace(t) == "" {
			continue
		}
		row := milestoneRow{Title: t, Weight: "1"}
		if i < len(weights) && strings.TrimSpace(weights[i]) != "" {
			row.Weight = strings.TrimSpace(weights[i])
		}
		if i < len(ids) {
			row.ID = ids[i]
		}
		f.Milestones = append(f.Milestones, row)
	}
	return f
}

// parsed are the form's numbers and lists as the use cases take them;
// numbers that do not parse are noted in fe.
type keyResultParsed struct {
	Baseline, Target, Weight *float64
	Band                     *okr.Band
	Milestones               []app.MilestoneInput
}

func (f *keyResultForm) parse(r *http.Request, fe FieldErrors) keyResultParsed {
	p := keyResultParsed{Baseline: formNumberField(r, "baseline", fe), Target: formNumberField(r, "target", fe),
		Weight: formNumberField(r, "weight", fe)}
	low, high := formNumberField(r, "band_low", fe), formNumberField(r, "band_high", fe)
	if fe["band_low"] != "" || fe["band_high"] != "" {
		fe["band"] = "low and high must be numbers"
	} else if low != nil && high != nil {
		p.Band = &okr.Band{Low: *low, High: *high}
	}
	p.Milestones = []app.MilestoneInput{}
	for i, m := range f.Milestones {
		in := app.MilestoneInput{ID: m.ID, Title: m.Title}
		if w, err := formParseNumber(m.Weight); err != nil {
			fe[milestoneField(i, "weight")] = "must be a number"
		} else {
			in.Weight = &w
		}
		p.Milestones = append(p.Milestones, in)
	}
	return p
}

// milestoneField is the use case's name of a milestone's field.
func milestoneField(i int, name string) string { return "milestones[" + formInt(i) + "]." + name }

// loadKeyResultObjective loads the objective (and its period) a key result belongs to.
func (h *Handler) loadKeyResultObjective(r *Request, f *keyResultForm, objectiveID string) error {
	var err error
	if f.Objective, err = h.app.GetObjective(r.Ctx(), r.Actor, objectiveID); err != nil {
		return err
	}
	if f.Period, err = h.app.GetPeriod(r.Ctx(), r.Actor, f.Objective.PeriodID); err != nil {
		return err
	}
	if f.Learn, err = h.krLearningLoad(r); err != nil {
		return err
	}
	if f.KPIs, err = h.kpiChoices(r); err != nil {
		return err
	}
	f.Dir, err = h.directory(r)
	return err
}

func (h *Handler) showKeyResultForm(w http.ResponseWriter, r *Request, f *keyResultForm, fe FieldErrors, status int) {
	title := "New key result"
	if f.ID != "" {
		title = "Edit key result"
	}
	f.Coach = h.keyResultHints(r, f)
	s := h.shell(w, r, title, "alignment")
	s.Crumbs = formObjectiveCrumbs(f.Objective)
	h.render(w, r.Request, status, keyResultFormPage(s, f, fe))
}

// newKeyResult shows the form for a new key result of ?objective=.
func (h *Handler) newKeyResult(w http.ResponseWriter, r *Request) {
	f := &keyResultForm{Kind: string(okr.Increase), Unit: string(okr.UnitNumber), Weight: "1", Source: string(okr.SourceManual),
		Indicator: string(okr.Lagging), Idem: formKey(), Measure: krMeasureOf(nil)}
	if err := h.loadKeyResultObjective(r, f, r.URL.Query().Get("objective")); err != nil {
		h.fail(w, r, err)
		return
	}
	f.OwnerID = r.Actor.UserID
	if f.Objective.Owner.Type == okr.OwnerUser {
		f.OwnerID = f.Objective.Owner.ID
	}
	if f.Objective.Owner.Type == okr.OwnerTeam {
		f.Measure.TeamID = f.Objective.Owner.ID
	}
	f.padMilestones()
	h.showKeyResultForm(w, r, f, nil, 0)
}

// createKeyResult posts the new key result to CreateKeyResult; "Save and
// add another" comes back to an empty form for the same objective.
func (h *Handler) createKeyResult(w http.ResponseWriter, r *Request) {
	f := readKeyResultForm(r.Request)
	if err := h.loadKeyResultObjective(r, f, r.URL.Query().Get("objective")); err != nil {
		h.fail(w, r, err)
		return
	}
	fe := FieldErrors{}
	p := f.parse(r.Request, fe)
	in := app.KeyResultInput{ObjectiveID: f.Objective.ID, Title: f.Title, OwnerID: f.OwnerID, Kind: okr.KRKind(f.Kind),
		Unit: okr.Unit(f.Unit), UnitLabel: f.UnitLabel, Currency: f.Currency, Baseline: p.Baseline, Target: p.Target,
		Band: p.Band, Milestones: p.Milestones, Weight: p.Weight, DueDate: okr.Date(f.DueDate),
		Indicator: okr.Indicator(f.Indicator), Source: okr.Source(f.Source)}
	if in.Source == okr.SourceLearning {
		in.Measure, in.Unit, in.UnitLabel = f.Measure.measure(fe)
	}
	if in.Source == okr.SourceKPI {
		in.Measure = kpiMeasure(f.KPIID)
	}
	var k okr.KeyResult
	var err error
	if len(fe) == 0 {
		k, err = h.app.CreateKeyResult(r.Ctx(), r.Actor, in, f.Idem)
	}
	if more, ok := fieldErrors(err); ok || len(fe) > 0 {
		for key, v := range more {
			fe[key] = v
		}
		krMeasureErrors(fe, f.Measure)
		f.padMilestones()
		h.showKeyResultForm(w, r, f, fe, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.PostFormValue("next") == "another" {
		h.redirect(w, r.Request, "/key-results/new?objective="+f.Objective.ID, "Key result “"+k.Title+"” added. Add another.")
		return
	}
	h.redirect(w, r.Request, "/objectives/"+f.Objective.ID, "Key result “"+k.Title+"” added.")
}

// editKeyResult shows a key result's edit form.
func (h *Handler) editKeyResult(w http.ResponseWriter, r *Request) {
	k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := &keyResultForm{ID: k.ID, Version: k.Version, Title: k.Title, OwnerID: k.OwnerID, Kind: string(k.Kind), Unit: string(k.Unit),
		Currency: k.Currency, UnitLabel: k.UnitLabel, Weight: formNumber(k.Weight), DueDate: string(k.DueDate),
		Source: string(k.Source), Indicator: string(k.Indicator), KeyResult: k, Measure: krMeasureOf(k.Measure), KPIID: kpiMeasureOf(k)}
	if k.Kind == okr.Increase || k.Kind == okr.Decrease {
		f.Baseline, f.Target = formNumber(k.Baseline), formNumber(k.Target)
	}
	if k.Band != nil {
		f.BandLow, f.BandHigh = formNumber(k.Band.Low), formNumber(k.Band.High)
	}
	for _, m := range k.Milestones {
		f.Milestones = append(f.Milestones, milestoneRow{ID: m.ID, Title: m.Title, Weight: formNumber(m.Weight)})
	}
	if err := h.loadKeyResultObjective(r, f, k.ObjectiveID); err != nil {
		h.fail(w, r, err)
		return
	}
	f.padMilestones()
	h.showKeyResultForm(w, r, f, nil, 0)
}

// updateKeyResult posts the edit to UpdateKeyResult with the form's version.
func (h *Handler) updateKeyResult(w http.ResponseWriter, r *Request) {
	k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := readKeyResultForm(r.Request)
	f.ID, f.KeyResult = k.ID, k
	version := formVersion(r.Request)
	if version != nil {
		f.Version = *version
	}
	if err := h.loadKeyResultObjective(r, f, k.ObjectiveID); err != nil {
		h.fail(w, r, err)
		return
	}
	fe := FieldErrors{}
	p := f.parse(r.Request, fe)
	kind, unit, ind, src := okr.KRKind(f.Kind), okr.Unit(f.Unit), okr.Indicator(f.Indicator), okr.Source(f.Source)
	up := app.KeyResultUpdate{Title: &f.Title, OwnerID: &f.OwnerID, Kind: &kind, Unit: &unit, UnitLabel: &f.UnitLabel,
		Currency: &f.Currency, Baseline: p.Baseline, Target: p.Target, Band: p.Band, Weight: p.Weight, Indicator: &ind, Source: &src}
	if kind == okr.Milestone {
		up.Milestones = &p.Milestones
	}
	if src == okr.SourceLearning {
		up.Measure, unit, f.UnitLabel = f.Measure.measure(fe)
	}
	if src == okr.SourceKPI {
		up.Measure = kpiMeasure(f.KPIID)
	}
	if f.DueDate != "" {
		due := okr.Date(f.DueDate)
		up.DueDate = &due
	}
	if len(fe) == 0 {
		_, err = h.app.UpdateKeyResult(r.Ctx(), r.Actor, k.ID, version, up)
	}
	status := http.StatusUnprocessableEntity
	if formIsStale(err) {
		fe[""], status = formStaleMessage("key result"), http.StatusConflict
	} else if more, ok := fieldErrors(err); ok {
		for key, v := range more {
			fe[key] = v
		}
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(fe) > 0 {
		krMeasureErrors(fe, f.Measure)
		f.padMilestones()
		h.showKeyResultForm(w, r, f, fe, status)
		return
	}
	h.redirect(w, r.Request, "/objectives/"+k.ObjectiveID, "Key result “"+f.Title+"” saved.")
}

// deleteKeyResultConfirm asks before deleting a key result.
func (h *Handler) deleteKeyResultConfirm(w http.ResponseWriter, r *Request) {
	k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	o, err := h.app.GetObjective(r.Ctx(), r.Actor, k.ObjectiveID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, "Delete key result", "alignment")
	s.Crumbs = formObjectiveCrumbs(o)
	h.render(w, r.Request, 0, formDeleteConfirmPage(s, formDeleteConfirm{
		What: "key result", Title: k.Title, Action: "/key-results/" + k.ID + "/delete", Back: "/key-results/" + k.ID + "/edit",
		Consequences: []string{
			"Its check-ins and comments are deleted with it.",
			"Objectives aligned to it lose that parent; “" + o.Title + "” is recalculated without it.",
			"Initiatives linked to it stay, without this link.",
			"This cannot be undone.",
		}}))
}

// deleteKeyResult deletes a key result after the confirmation.
func (h *Handler) deleteKeyResult(w http.ResponseWriter, r *Request) {
	k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, r.PathValue("id"))
	if err == nil {
		err = h.app.DeleteKeyResult(r.Ctx(), r.Actor, k.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/objectives/"+k.ObjectiveID, "Key result “"+k.Title+"” deleted.")
}
