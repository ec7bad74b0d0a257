package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// objectiveForm is what the objective form shows and sends back: the values
// as typed, so that an invalid form comes back as it was left.
type objectiveForm struct {
	ID          string // empty for a new objective
	Version     int
	Idem        string
	PeriodID    string
	Title       string
	Description string
	OwnerType   string
	TeamID      string
	UserID      string
	ChampionID  string
	Kind        string
	Visibility  string
	State       string
	Weight      string
	Tags        string
	// Aligned maps each chosen parent ("objective:ID" or "key_result:ID")
	// to its link (contributes or supports).
	Aligned map[string]string
	// KPIIDs are the KPIs chosen (kpis.go offers them in KPIs).
	KPIIDs []string
	// AlignmentNote says why it aligns to nothing above.
	AlignmentNote string

	// What the form offers.
	Periods   []okr.Period // the open periods (new objectives)
	Period    okr.Period   // the objective's period
	Choices   []app.AlignmentChoice
	Dir       *directory
	OrgName   string
	Objective okr.Objective // the objective being edited
	KPIs      []okr.KPI
	// Coach are the coach's hints beside the fields (coach.go).
	Coach *coachHints
}

// formAlignKey names a parent in the alignment picker.
func formAlignKey(t okr.ParentType, id string) string { return string(t) + ":" + id }

// linkOf is the link chosen for a parent (contributes unless supports).
func (f *objectiveForm) linkOf(key string) string {
	if f.Aligned[key] == string(okr.Supports) {
		return string(okr.Supports)
	}
	return string(okr.Contributes)
}

// readObjectiveForm reads the posted (or, for a new form, queried) values.
func readObjectiveForm(r *http.Request) *objectiveForm {
	_ = r.ParseForm()
	f := &objectiveForm{PeriodID: r.FormValue("period_id"), Title: r.FormValue("title"), Description: r.FormValue("description"),
		OwnerType: r.FormValue("owner_type"), TeamID: r.FormValue("owner_team"), UserID: r.FormValue("owner_user"),
		ChampionID: r.FormValue("champion_id"), Kind: r.FormValue("kind"), Visibility: r.FormValue("visibility"),
		State: r.FormValue("state"), Weight: strings.TrimSpace(r.FormValue("weight")), Tags: r.FormValue("tags"),
		Aligned: map[string]string{}, Idem: formKeyOf(r), KPIIDs: r.Form["kpi_ids"], AlignmentNote: r.FormValue("alignment_note")}
	for _, key := range r.Form["align"] {
		t, id, ok := strings.Cut(key, ":")
		if !ok || id == "" || (t != string(okr.ParentObjective) && t != string(okr.ParentKeyResult)) {
			continue
		}
		f.Aligned[key] = r.FormValue("link-" + id)
	}
	return f
}

// owner is the owner the form names: the team or person select that
// matches the owner type (without JavaScript both selects are shown).
func (f *objectiveForm) owner() app.OwnerInput {
	switch okr.OwnerType(f.OwnerType) {
	case okr.OwnerTeam:
		return app.OwnerInput{Type: okr.OwnerTeam, ID: f.TeamID}
	case okr.OwnerUser:
		return app.OwnerInput{Type: okr.OwnerUser, ID: f.UserID}
	}
	return app.OwnerInput{Type: okr.OwnerType(f.OwnerType)}
}

// alignments are the chosen parents in the order the picker lists them.
func (f *objectiveForm) alignments() []app.AlignmentInput {
	out := []app.AlignmentInput{}
	add := func(t okr.ParentType, id string) {
		key := formAlignKey(t, id)
		if _, ok := f.Aligned[key]; ok {
			out = append(out, app.AlignmentInput{ParentType: t, ParentID: id, Link: okr.Link(f.linkOf(key))})
			delete(f.Aligned, key)
		}
	}
	for _, c := range f.Choices {
		add(okr.ParentObjective, c.Objective.ID)
		for _, k := range c.KeyResults {
			add(okr.ParentKeyResult, k.ID)
		}
	}
	// Parents the picker no longer lists (another period, say) still go to
	// the use case, which says what is wrong with them.
	for key, link := range f.Aligned {
		t, id, _ := strings.Cut(key, ":")
		out = append(out, app.AlignmentInput{ParentType: okr.ParentType(t), ParentID: id, Link: okr.Link(link)})
	}
	for _, a := range out {
		f.Aligned[formAlignKey(a.ParentType, a.ParentID)] = string(a.Link)
	}
	return out
}

func (f *objectiveForm) tags() []string {
	var out []string
	for _, t := range strings.Split(f.Tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// fillObjectiveOffer loads what the form offers: periods, parents, people and teams.
func (h *Handler) fillObjectiveOffer(r *Request, f *objectiveForm) error {
	d, err := h.directory(r)
	if err != nil {
		return err
	}
	f.Dir = d
	me, err := h.app.Me(r.Ctx(), r.Actor)
	if err != nil {
		return err
	}
	f.OrgName = me.Org.Name
	if f.KPIs, err = h.kpiChoices(r); err != nil {
		return err
	}
	if f.ID == "" {
		all, err := h.periods(r)
		if err != nil {
			return err
		}
		for _, p := range all {
			if p.State != okr.PeriodClosed {
				f.Periods = append(f.Periods, p)
			}
			if p.ID == f.PeriodID {
				f.Period = p
			}
		}
		if f.Period.ID == "" {
			f.Period = pickPeriod(f.Periods, "", cookieValue(r.Request, periodCookie))
			f.PeriodID = f.Period.ID
		}
	} else if f.Period, err = h.app.GetPeriod(r.Ctx(), r.Actor, f.PeriodID); err != nil {
		return err
	}
	if f.Period.ID != "" {
		f.Choices, err = h.app.AlignmentChoices(r.Ctx(), r.Actor, f.Period.ID, f.ID)
	}
	return err
}

// newObjective shows the form for a new objective: ?period= preselects the
// period, ?parent= an objective (or key result) to align to.
func (h *Handler) newObjective(w http.ResponseWriter, r *Request) {
	f := &objectiveForm{PeriodID: r.URL.Query().Get("period"), OwnerType: string(okr.OwnerUser), UserID: r.Actor.UserID,
		Kind: string(okr.Committed), Visibility: string(okr.Public), State: string(okr.Active), Weight: "1",
		Aligned: map[string]string{}, Idem: formKey()}
	if parent := r.URL.Query().Get("parent"); parent != "" {
		if o, err := h.app.GetObjective(r.Ctx(), r.Actor, parent); err == nil {
			f.Aligned[formAlignKey(okr.ParentObjective, o.ID)] = string(okr.Contributes)
			if f.PeriodID == "" {
				f.PeriodID = o.PeriodID
			}
		} else if k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, parent); err == nil {
			f.Aligned[formAlignKey(okr.ParentKeyResult, k.ID)] = string(okr.Contributes)
			if o, err := h.app.GetObjective(r.Ctx(), r.Actor, k.ObjectiveID); err == nil && f.PeriodID == "" {
				f.PeriodID = o.PeriodID
			}
		}
	}
	h.showObjectiveForm(w, r, f, nil, 0)
}

func (h *Handler) showObjectiveForm(w http.ResponseWriter, r *Request, f *objectiveForm, fe FieldErrors, status int) {
	if err := h.fillObjectiveOffer(r, f); err != nil {
		h.fail(w, r, err)
		return
	}
	title := "New objective"
	if f.ID != "" {
		title = "Edit objective"
	}
	f.Coach = h.objectiveHints(r, f)
	s := h.shell(w, r, title, "alignment")
	if f.ID != "" {
		s.Crumbs = formObjectiveCrumbs(f.Objective)
	} else if f.Period.ID != "" {
		s.Crumbs = []Crumb{{Label: "Alignment", Href: "/alignment?period=" + f.Period.ID}}
	}
	h.render(w, r.Request, status, objectiveFormPage(s, f, fe))
}

// objectiveParents answers the period select of a new objective (htmx):
// the alignment picker of the chosen period.
func (h *Handler) objectiveParents(w http.ResponseWriter, r *Request) {
	f := &objectiveForm{PeriodID: r.URL.Query().Get("period_id"), Aligned: map[string]string{}}
	if err := h.fillObjectiveOffer(r, f); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, 0, alignmentPicker(f, nil))
}

// createObjective posts the new objective to CreateObjective. The "refresh"
// action (the period changed, without JavaScript) shows the form again with
// that period's parents.
func (h *Handler) createObjective(w http.ResponseWriter, r *Request) {
	f := readObjectiveForm(r.Request)
	if r.PostFormValue("action") == "refresh" {
		f.Aligned = map[string]string{}
		h.showObjectiveForm(w, r, f, nil, 0)
		return
	}
	if err := h.fillObjectiveOffer(r, f); err != nil {
		h.fail(w, r, err)
		return
	}
	fe := FieldErrors{}
	weight := formNumberField(r.Request, "weight", fe)
	in := app.ObjectiveInput{PeriodID: f.PeriodID, Title: f.Title, Description: f.Description, Owner: f.owner(),
		ChampionID: f.ChampionID, Kind: okr.ObjectiveKind(f.Kind), Visibility: okr.Visibility(f.Visibility),
		State: okr.ObjectiveState(f.State), Weight: weight, Tags: f.tags(), Alignments: f.alignments(), KPIIDs: f.KPIIDs,
		AlignmentNote: strings.TrimSpace(f.AlignmentNote)}
	var o okr.Objective
	var err error
	if len(fe) == 0 {
		o, err = h.app.CreateObjective(r.Ctx(), r.Actor, in, f.Idem)
	}
	if more, ok := fieldErrors(err); ok || len(fe) > 0 {
		for k, v := range more {
			fe[k] = v
		}
		h.showObjectiveForm(w, r, f, objectiveFieldErrors(fe, in.Alignments), http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/objectives/"+o.ID, "Objective created. Add its key results next.")
}

// objectiveFieldErrors moves the use case's messages to the fields the form
// shows: owner.type and owner.id belong to the owner, an alignment's
// message to the parent it names.
func objectiveFieldErrors(fe FieldErrors, as []app.AlignmentInput) FieldErrors {
	out := FieldErrors{}
	for k, v := range fe {
		switch {
		case strings.HasPrefix(k, "owner"):
			out["owner"] = formJoinMsg(out["owner"], v)
		case strings.HasPrefix(k, "kpi_ids"):
			out["kpi_ids"] = formJoinMsg(out["kpi_ids"], v)
		case strings.HasPrefix(k, "alignments["):
			msg := v
			var i int
			if _, err := fmt.Sscanf(k, "alignments[%d]", &i); err == nil && i < len(as) {
				out["align:"+as[i].ParentID] = formJoinMsg(out["align:"+as[i].ParentID], v)
				msg = "one of the chosen parents cannot be used; see the message beside it"
			}
			out["alignments"] = formJoinMsg(out["alignments"], msg)
		default:
			out[k] = v
		}
	}
	return out
}

func formJoinMsg(a, b string) string {
	if a == "" || a == b {
		return b
	}
	return a + "; " + b
}

// editObjective shows the objective's edit form.
func (h *Handler) editObjective(w http.ResponseWriter, r *Request) {
	o, err := h.app.GetObjective(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := &objectiveForm{ID: o.ID, Version: o.Version, PeriodID: o.PeriodID, Title: o.Title, Description: o.Description,
		OwnerType: string(o.Owner.Type), ChampionID: o.ChampionID, Kind: string(o.Kind), Visibility: string(o.Visibility),
		State: string(o.State), Weight: formNumber(o.Weight), Tags: strings.Join(o.Tags, ", "), Aligned: map[string]string{},
		Objective: o, KPIIDs: o.KPIIDs, AlignmentNote: o.AlignmentNote}
	switch o.Owner.Type {
	case okr.OwnerTeam:
		f.TeamID = o.Owner.ID
	case okr.OwnerUser:
		f.UserID = o.Owner.ID
	}
	for _, a := range o.Alignments {
		f.Aligned[formAlignKey(a.ParentType, a.ParentID)] = string(a.Link)
	}
	h.showObjectiveForm(w, r, f, nil, 0)
}

// updateObjective posts the edit to UpdateObjective with the version the
// form was loaded with.
func (h *Handler) updateObjective(w http.ResponseWriter, r *Request) {
	o, err := h.app.GetObjective(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := readObjectiveForm(r.Request)
	f.ID, f.PeriodID, f.Objective = o.ID, o.PeriodID, o
	version := formVersion(r.Request)
	if version != nil {
		f.Version = *version
	}
	if err := h.fillObjectiveOffer(r, f); err != nil {
		h.fail(w, r, err)
		return
	}
	fe := FieldErrors{}
	owner := f.owner()
	kind, vis, state := okr.ObjectiveKind(f.Kind), okr.Visibility(f.Visibility), okr.ObjectiveState(f.State)
	tags, als := f.tags(), f.alignments()
	up := app.ObjectiveUpdate{Title: &f.Title, Description: &f.Description, Kind: &kind, Visibility: &vis,
		Weight: formNumberField(r.Request, "weight", fe), Tags: &tags, Alignments: &als}
	if owner.Type != o.Owner.Type || owner.ID != o.Owner.ID || f.ChampionID != o.ChampionID {
		up.Owner, up.ChampionID = &owner, &f.ChampionID
	}
	if f.State != "" && state != o.State {
		up.State = &state
	}
	if note := strings.TrimSpace(f.AlignmentNote); note != o.AlignmentNote {
		up.AlignmentNote = &note
	}
	if r.PostFormValue("kpis_shown") == "1" {
		up.KPIIDs = &f.KPIIDs
	}
	if len(fe) == 0 {
		_, err = h.app.UpdateObjective(r.Ctx(), r.Actor, o.ID, version, up)
	}
	if formIsStale(err) {
		fe[""] = formStaleMessage("objective")
	} else if more, ok := fieldErrors(err); ok {
		for k, v := range more {
			fe[k] = v
		}
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(fe) > 0 {
		status := http.StatusUnprocessableEntity
		if formIsStale(err) {
			status = http.StatusConflict
		}
		h.showObjectiveForm(w, r, f, objectiveFieldErrors(fe, als), status)
		return
	}
	h.redirect(w, r.Request, "/objectives/"+o.ID, "Objective saved.")
}

// deleteObjectiveConfirm asks before deleting an objective.
func (h *Handler) deleteObjectiveConfirm(w http.ResponseWriter, r *Request) {
	o, err := h.app.GetObjective(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	krs, err := h.app.ListKeyResults(r.Ctx(), r.Actor, app.KeyResultQuery{ObjectiveID: o.ID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, "Delete objective", "alignment")
	s.Crumbs = formObjectiveCrumbs(o)
	h.render(w, r.Request, 0, formDeleteConfirmPage(s, formDeleteConfirm{
		What: "objective", Title: o.Title, Action: "/objectives/" + o.ID + "/delete", Back: "/objectives/" + o.ID,
		Consequences: []string{
			okr.Plural(len(krs.Items), "key result") + " with all their check-ins and comments are deleted with it.",
			"Objectives aligned to it lose that parent; what it contributed to is recalculated.",
			"This cannot be undone. To end an objective but keep its history, close it instead.",
		}}))
}

// deleteObjective deletes an objective after the confirmation.
func (h *Handler) deleteObjective(w http.ResponseWriter, r *Request) {
	o, err := h.app.GetObjective(r.Ctx(), r.Actor, r.PathValue("id"))
	if err == nil {
		err = h.app.DeleteObjective(r.Ctx(), r.Actor, o.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/alignment?period="+o.PeriodID, "Objective “"+o.Title+"” deleted.")
}

// formDeleteConfirm is the confirmation step before a deletion.
type formDeleteConfirm struct {
	What, Title, Action, Back string
	Consequences              []string
}
