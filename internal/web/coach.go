package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// The OKR coach in the UI (DESIGN §4 "The OKR coach"): hints beside the
// fields of the objective, key result and initiative forms, refreshed as
// people write (htmx posts the form's values to /coach/…-form, and the
// answer swaps every hint out of band); a card on the period dashboard, the
// period's coach page, and a section of the objective page. The checks are
// the use cases' (App.CoachDocument, CoachObjective, CoachPeriod): the UI
// only places their findings.

func (h *Handler) coachRoutes() {
	m := h.mux
	m.HandleFunc("POST /coach/objective-form", h.signedIn(h.coachObjectiveForm))
	m.HandleFunc("POST /coach/key-result-form", h.signedIn(h.coachKeyResultForm))
	m.HandleFunc("POST /coach/initiative-form", h.signedIn(h.coachInitiativeForm))
	m.HandleFunc("GET /periods/{id}/coach", h.signedIn(h.coachPeriodPage))
}

// coachHints are the coach's findings on one form, each placed beside the
// field it belongs to; the ones no field of the form shows go to the panel
// above the form.
type coachHints struct {
	// Endpoint is where the form posts its values for fresh hints.
	Endpoint string
	// Ran is false until there is something to check (a title).
	Ran bool
	// Err says why the coach could not check the form (shown, never fatal).
	Err string
	// Slots are the fields of the form that show hints, in form order.
	Slots   []string
	byField map[string][]okr.Finding
	// Other are the form's findings that belong beside no field.
	Other []okr.Finding
	// Pass, Warn and Fail count the findings shown on the form.
	Pass, Warn, Fail int
	// What names the subject in the panel: "this objective".
	What string
}

// Field returns the findings shown beside a field.
func (c *coachHints) Field(name string) []okr.Finding { return c.byField[name] }

// place puts findings beside their fields (or, with no such field, into
// Other) and counts them.
func (c *coachHints) place(fs []okr.Finding) {
	if c.byField == nil {
		c.byField = map[string][]okr.Finding{}
	}
	c.Ran = true
	for _, f := range fs {
		field := f.Field
		if slices.Contains(c.Slots, field) {
			c.byField[field] = append(c.byField[field], f)
		} else {
			c.Other = append(c.Other, f)
		}
		switch f.Status {
		case okr.CheckPass:
			c.Pass++
		case okr.CheckWarn:
			c.Warn++
		case okr.CheckFail:
			c.Fail++
		}
	}
}

// Strength is the form's findings' strength score.
func (c *coachHints) Strength() float64 {
	n := c.Pass + c.Warn + c.Fail
	if n == 0 {
		return 1
	}
	return (float64(c.Pass) + float64(c.Warn)/2) / float64(n)
}

// The fields of each form that show hints.
var (
	coachObjectiveSlots  = []string{"title", "owner", "alignments"}
	coachKeyResultSlots  = []string{"title", "unit", "target", "band", "milestones", "due_date", "owner"}
	coachInitiativeSlots = []string{"owner", "key_results"}
)

// coachStatusWord names a status for people (the icon beside it is decoration).
func coachStatusWord(s okr.CheckStatus) string {
	switch s {
	case okr.CheckPass:
		return "Pass"
	case okr.CheckWarn:
		return "Warning"
	case okr.CheckFail:
		return "Fail"
	}
	return string(s)
}

func coachIcon(s okr.CheckStatus) string {
	switch s {
	case okr.CheckPass:
		return "✓"
	case okr.CheckWarn:
		return "!"
	}
	return "✕"
}

// coachWorst orders findings fail, warn, pass (stable), and keeps the first n
// that are not passes.
func coachWorst(fs []okr.Finding, n int) []okr.Finding {
	rank := map[okr.CheckStatus]int{okr.CheckFail: 0, okr.CheckWarn: 1}
	var out []okr.Finding
	for _, f := range fs {
		if f.Status != okr.CheckPass {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b okr.Finding) int { return rank[a.Status] - rank[b.Status] })
	return out[:min(len(out), n)]
}

// coachBand classes a strength score for its colour: strong (≥ 80%), fair
// (≥ 50%) or weak; the number beside it carries the meaning.
func coachBand(x float64) string {
	switch {
	case x >= 0.8:
		return "strong"
	case x >= 0.5:
		return "fair"
	}
	return "weak"
}

// coachSplit separates passes from the rest.
func coachSplit(fs []okr.Finding) (open, passed []okr.Finding) {
	for _, f := range fs {
		if f.Status == okr.CheckPass {
			passed = append(passed, f)
		} else {
			open = append(open, f)
		}
	}
	return open, passed
}

// coachCounts says "4 passed · 1 warning · 2 failures".
func coachCounts(pass, warn, fail int) string {
	return strconv.Itoa(pass) + " passed · " + okr.Plural(warn, "warning") + " · " + okr.Plural(fail, "failure")
}

// coachOwnerRef names an objective's owner the way an OKR document does.
func coachOwnerRef(o app.OwnerInput, d *directory) string {
	switch o.Type {
	case okr.OwnerTeam:
		if t := d.Team(o.ID); t.Slug != "" {
			return "team:" + t.Slug
		}
		return "team:" + o.ID
	case okr.OwnerUser:
		return coachEmail(d, o.ID)
	}
	return "org"
}

// coachEmail is a member's e-mail, as documents name people ("" for none;
// an unknown id stays as it is, so that the coach says it is not a member).
func coachEmail(d *directory, id string) string {
	if id == "" {
		return ""
	}
	if m := d.Person(id); m.Email != "" {
		return m.Email
	}
	return id
}

// coachDocKeyResult writes a stored key result as a document's.
func coachDocKeyResult(k okr.KeyResult, d *directory) app.DocKeyResult {
	dk := app.DocKeyResult{Slug: k.Slug, Title: k.Title, Owner: coachEmail(d, k.OwnerID), Kind: k.Kind, Unit: k.Unit,
		UnitLabel: k.UnitLabel, Currency: k.Currency, Band: k.Band, DueDate: k.DueDate, Indicator: k.Indicator, Source: k.Source}
	if k.Kind == okr.Increase || k.Kind == okr.Decrease {
		b, t := k.Baseline, k.Target
		dk.Baseline, dk.Target = &b, &t
	}
	for _, m := range k.Milestones {
		dk.Milestones = append(dk.Milestones, app.DocMilestone{Title: m.Title})
	}
	return dk
}

// coachNumber reads a typed number; nil when empty or not a number.
func coachNumber(s string) *float64 {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	v, err := formParseNumber(s)
	if err != nil {
		return nil
	}
	return &v
}

// coachStoredKeyResults lists an objective's key results.
func (h *Handler) coachStoredKeyResults(r *Request, objectiveID string) ([]okr.KeyResult, error) {
	return everyPage(func(p app.PageRequest) (app.Page[okr.KeyResult], error) {
		return h.app.ListKeyResults(r.Ctx(), r.Actor, app.KeyResultQuery{ObjectiveID: objectiveID, PageRequest: p})
	})
}

// coachIsObjective reports whether a finding is about an objective itself.
func coachIsObjective(f okr.Finding) bool { return f.Subject == "objective" }

// objectiveHints checks the objective form's values: the objective as typed,
// with its stored key results when it is edited.
func (h *Handler) objectiveHints(r *Request, f *objectiveForm) *coachHints {
	c := &coachHints{Endpoint: "/coach/objective-form", Slots: coachObjectiveSlots, What: "this objective"}
	if f.ID != "" {
		c.Endpoint += "?id=" + url.QueryEscape(f.ID)
	}
	if strings.TrimSpace(f.Title) == "" || f.Period.ID == "" || f.Dir == nil {
		return c
	}
	d := app.DocObjective{Slug: f.Objective.Slug, Title: f.Title, Description: f.Description,
		Owner: coachOwnerRef(f.owner(), f.Dir), Champion: coachEmail(f.Dir, f.ChampionID), Kind: okr.ObjectiveKind(f.Kind),
		State: okr.ObjectiveState(f.State), AlignmentNote: strings.TrimSpace(f.AlignmentNote)}
	if d.State == "" && f.ID != "" {
		d.State = f.Objective.State
	}
	d.AlignsTo = coachAlignments(f)
	if f.ID != "" {
		krs, err := h.coachStoredKeyResults(r, f.ID)
		if err != nil {
			c.Err = "The coach could not read the key results: " + messageOf(err)
			return c
		}
		for _, k := range krs {
			d.KeyResults = append(d.KeyResults, coachDocKeyResult(k, f.Dir))
		}
	}
	rep, err := h.app.CoachDocument(r.Ctx(), r.Actor, app.OKRDocument{Okra: 1, Period: f.Period.Name, Objectives: []app.DocObjective{d}})
	if err != nil {
		c.Err = "The coach could not check this objective: " + messageOf(err)
		return c
	}
	var fs []okr.Finding
	for _, o := range rep.Objectives {
		for _, fd := range o.Findings {
			if !coachIsObjective(fd) {
				fd.Field = "" // its key results' findings go to the panel, not beside this form's fields
			}
			fs = append(fs, fd)
		}
	}
	// People's load: the owner's and champion's, beside the ownership.
	for _, sf := range rep.Findings {
		if sf.Subject == "person" && sf.Status != okr.CheckPass {
			sf.Field = "owner"
			fs = append(fs, sf)
		}
	}
	c.place(fs)
	return c
}

// coachAlignments writes the chosen parents as a document's references.
func coachAlignments(f *objectiveForm) []app.DocAlignment {
	refs := map[string]string{}
	for _, ch := range f.Choices {
		refs[formAlignKey(okr.ParentObjective, ch.Objective.ID)] = ch.Objective.Slug
		for _, k := range ch.KeyResults {
			refs[formAlignKey(okr.ParentKeyResult, k.ID)] = ch.Objective.Slug + "/" + k.Slug
		}
	}
	var out []app.DocAlignment
	keys := make([]string, 0, len(f.Aligned))
	for key := range f.Aligned {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		t, id, _ := strings.Cut(key, ":")
		ref := refs[key]
		if ref == "" {
			ref = id
		}
		a := app.DocAlignment{Link: okr.Link(f.linkOf(key))}
		if okr.ParentType(t) == okr.ParentKeyResult {
			a.KeyResult = ref
		} else {
			a.Objective = ref
		}
		out = append(out, a)
	}
	return out
}

// coachObjectiveForm answers the objective form's htmx post with fresh hints.
func (h *Handler) coachObjectiveForm(w http.ResponseWriter, r *Request) {
	f := readObjectiveForm(r.Request)
	if id := r.URL.Query().Get("id"); id != "" {
		o, err := h.app.GetObjective(r.Ctx(), r.Actor, id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.ID, f.PeriodID, f.Objective = o.ID, o.PeriodID, o
	}
	if err := h.fillObjectiveOffer(r, f); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, 0, coachSwap(h.objectiveHints(r, f)))
}

// keyResultHints checks the key result form's values: the key result as
// typed, in its stored objective with the objective's other key results.
func (h *Handler) keyResultHints(r *Request, f *keyResultForm) *coachHints {
	c := &coachHints{Endpoint: "/coach/key-result-form?objective=" + url.QueryEscape(f.Objective.ID), Slots: coachKeyResultSlots,
		What: "this key result"}
	if f.ID != "" {
		c.Endpoint += "&id=" + url.QueryEscape(f.ID)
	}
	if strings.TrimSpace(f.Title) == "" || f.Objective.ID == "" || f.Dir == nil {
		return c
	}
	krs, err := h.coachStoredKeyResults(r, f.Objective.ID)
	if err != nil {
		c.Err = "The coach could not read the objective's key results: " + messageOf(err)
		return c
	}
	o := f.Objective
	d := app.DocObjective{Slug: o.Slug, Title: o.Title, Owner: coachOwnerRef(app.OwnerInput{Type: o.Owner.Type, ID: o.Owner.ID}, f.Dir),
		Champion: coachEmail(f.Dir, o.ChampionID), Kind: o.Kind, State: o.State, AlignmentNote: o.AlignmentNote}
	for _, a := range o.Alignments {
		d.AlignsTo = append(d.AlignsTo, app.DocAlignment{Objective: a.ParentID, Link: a.Link})
	}
	slug := f.KeyResult.Slug
	if f.ID == "" {
		// A new key result: a slug no stored one has, so that it is found
		// among the findings and judged without another's history.
		slug = "new-key-result"
		for slices.ContainsFunc(krs, func(k okr.KeyResult) bool { return k.Slug == slug }) {
			slug += "-x"
		}
	}
	for _, k := range krs {
		if k.ID != f.ID {
			d.KeyResults = append(d.KeyResults, coachDocKeyResult(k, f.Dir))
		}
	}
	dk := app.DocKeyResult{Slug: slug, Title: f.Title, Owner: coachEmail(f.Dir, f.OwnerID), Kind: okr.KRKind(f.Kind),
		Unit: okr.Unit(f.Unit), UnitLabel: f.UnitLabel, Currency: f.Currency, DueDate: okr.Date(strings.TrimSpace(f.DueDate)),
		Indicator: okr.Indicator(f.Indicator), Source: okr.Source(f.Source)}
	if dk.Kind == okr.Increase || dk.Kind == okr.Decrease {
		dk.Baseline, dk.Target = coachNumber(f.Baseline), coachNumber(f.Target)
	}
	if low, high := coachNumber(f.BandLow), coachNumber(f.BandHigh); low != nil && high != nil {
		dk.Band = &okr.Band{Low: *low, High: *high}
	}
	for _, m := range f.Milestones {
		if strings.TrimSpace(m.Title) != "" {
			dk.Milestones = append(dk.Milestones, app.DocMilestone{Title: m.Title})
		}
	}
	if dk.Source == okr.SourceKPI {
		for _, kpi := range f.KPIs {
			if kpi.ID == f.KPIID {
				dk.Measure = &app.DocMeasure{KPI: kpi.Name}
			}
		}
	}
	d.KeyResults = append(d.KeyResults, dk)
	rep, err := h.app.CoachDocument(r.Ctx(), r.Actor, app.OKRDocument{Okra: 1, Period: f.Period.Name, Objectives: []app.DocObjective{d}})
	if err != nil {
		c.Err = "The coach could not check this key result: " + messageOf(err)
		return c
	}
	ref := d.Slug + "/" + slug
	var fs []okr.Finding
	for _, oc := range rep.Objectives {
		for _, fd := range oc.Findings {
			if fd.Subject == "key_result" && strings.HasSuffix(fd.Ref, "/"+slug) && (d.Slug == "" || fd.Ref == ref) {
				fs = append(fs, fd)
			}
		}
	}
	for _, sf := range rep.Findings {
		if sf.Subject == "person" && sf.Status != okr.CheckPass {
			sf.Field = "owner"
			fs = append(fs, sf)
		}
	}
	c.place(fs)
	return c
}

// coachKeyResultForm answers the key result form's htmx post with fresh hints.
func (h *Handler) coachKeyResultForm(w http.ResponseWriter, r *Request) {
	f := readKeyResultForm(r.Request)
	if id := r.URL.Query().Get("id"); id != "" {
		k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.ID, f.KeyResult = k.ID, k
		if err := h.loadKeyResultObjective(r, f, k.ObjectiveID); err != nil {
			h.fail(w, r, err)
			return
		}
	} else if err := h.loadKeyResultObjective(r, f, r.URL.Query().Get("objective")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, 0, coachSwap(h.keyResultHints(r, f)))
}

// initiativeHints checks the initiative form's values: is it linked to key
// results of active objectives of the period the form shows, and its
// owner's load.
func (h *Handler) initiativeHints(r *Request, f *initiativeForm) *coachHints {
	c := &coachHints{Endpoint: "/coach/initiative-form", Slots: coachInitiativeSlots, What: "this initiative"}
	if f.ID != "" {
		c.Endpoint += "?id=" + url.QueryEscape(f.ID)
	}
	if strings.TrimSpace(f.Title) == "" || f.Dir == nil {
		return c
	}
	refs := map[string]string{}
	for _, ch := range f.Choices {
		for _, k := range ch.KeyResults {
			refs[k.ID] = ch.Objective.Slug + "/" + k.Slug
		}
	}
	d := app.DocInitiative{Slug: f.Slug, Title: f.Title, Owner: coachEmail(f.Dir, f.OwnerID), Status: okr.InitiativeStatus(f.Status)}
	for _, id := range f.keyResultIDs() {
		ref := refs[id]
		if ref == "" {
			// A key result of another period: the coach counts it as a
			// link outside this period.
			ref = "other-period:" + id
		}
		d.KeyResults = append(d.KeyResults, ref)
	}
	rep, err := h.app.CoachDocument(r.Ctx(), r.Actor, app.OKRDocument{Okra: 1, Period: f.Period.Name, Initiatives: []app.DocInitiative{d}})
	if err != nil {
		c.Err = "The coach could not check this initiative: " + messageOf(err)
		return c
	}
	var fs []okr.Finding
	for _, sf := range rep.Findings {
		switch {
		case sf.Subject == "initiative":
			fs = append(fs, sf)
		case sf.Subject == "person" && sf.Status != okr.CheckPass:
			sf.Field = "owner"
			fs = append(fs, sf)
		}
	}
	c.place(fs)
	return c
}

// coachInitiativeForm answers the initiative form's htmx post with fresh hints.
func (h *Handler) coachInitiativeForm(w http.ResponseWriter, r *Request) {
	f := readInitiativeForm(r.Request)
	if id := r.URL.Query().Get("id"); id != "" {
		in, err := h.app.GetInitiative(r.Ctx(), r.Actor, id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.ID, f.Slug = in.ID, in.Slug
	}
	if err := h.fillInitiativeOffer(w, r, f, firstChosen(r.PostForm["key_result_ids"])); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, 0, coachSwap(h.initiativeHints(r, f)))
}

// coachObjView is the "Coach" section of an objective's page.
type coachObjView struct {
	Report app.CoachReport
	// Objective is the objective's own part of the report.
	Objective app.ObjectiveCoach
	Err       string
	CanEdit   bool
	EditHref  string
}

// coachObjLoad checks a stored objective for its page; a failure leaves the
// section with a message rather than failing the page.
func (h *Handler) coachObjLoad(r *Request, ov app.ObjectiveOverview) coachObjView {
	v := coachObjView{CanEdit: ov.CanEdit, EditHref: "/objectives/" + ov.Objective.ID + "/edit"}
	rep, err := h.app.CoachObjective(r.Ctx(), r.Actor, ov.Objective.ID)
	if err != nil {
		h.log.Warn("coach: objective", "objective", ov.Objective.ID, "err", err)
		v.Err = "The coach could not check this objective right now."
		return v
	}
	v.Report = rep
	for _, o := range rep.Objectives {
		if o.Ref == ov.Objective.ID {
			v.Objective = o
		}
	}
	return v
}

// coachGroup is a titled list of findings.
type coachGroup struct {
	Title    string
	Href     string
	Findings []okr.Finding
}

// coachByKeyResult splits an objective's findings: its own, then one group
// per key result, in the order the report lists them.
func coachByKeyResult(fs []okr.Finding) (own []okr.Finding, krs []coachGroup) {
	for _, f := range fs {
		if coachIsObjective(f) {
			own = append(own, f)
			continue
		}
		if n := len(krs); n > 0 && krs[n-1].Href == f.Ref {
			krs[n-1].Findings = append(krs[n-1].Findings, f)
			continue
		}
		krs = append(krs, coachGroup{Title: f.Title, Href: f.Ref, Findings: []okr.Finding{f}})
	}
	return own, krs
}

// coachSetGroups groups a report's set-level findings by subject.
func coachSetGroups(fs []okr.Finding) []coachGroup {
	titles := []struct{ subject, title string }{
		{"person", "People’s load"}, {"initiative", "Initiatives"}, {"learning_objective", "Learning objectives"},
	}
	var out []coachGroup
	for _, t := range titles {
		g := coachGroup{Title: t.title}
		for _, f := range fs {
			if f.Subject == t.subject {
				g.Findings = append(g.Findings, f)
			}
		}
		if len(g.Findings) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// coachDashShown is how many of the weakest objectives the dashboard card lists.
const coachDashShown = 5

// coachDashView is the dashboard's coach card.
type coachDashView struct {
	PeriodID string
	Report   app.CoachReport
	Err      string
}

// Weakest are the objectives the card lists.
func (v coachDashView) Weakest() []app.ObjectiveCoach {
	return v.Report.Objectives[:min(len(v.Report.Objectives), coachDashShown)]
}

// coachDashLoad checks the dashboard's period; a failure leaves the card with a message.
func (h *Handler) coachDashLoad(r *Request, periodID string) coachDashView {
	v := coachDashView{PeriodID: periodID}
	rep, err := h.app.CoachPeriod(r.Ctx(), r.Actor, periodID)
	if err != nil {
		h.log.Warn("coach: period", "period", periodID, "err", err)
		v.Err = "The coach could not check this period right now."
		return v
	}
	v.Report = rep
	return v
}

// coachPeriodView is the period's coach page.
type coachPeriodView struct {
	S      *Shell
	Period okr.Period
	Report app.CoachReport
}

// coachPeriodPage lists every finding of a period: objectives weakest first,
// then people's load, initiatives and learning objectives.
func (h *Handler) coachPeriodPage(w http.ResponseWriter, r *Request) {
	p, err := h.app.GetPeriod(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rep, err := h.app.CoachPeriod(r.Ctx(), r.Actor, p.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, "OKR coach", "dashboard")
	s.Crumbs = []Crumb{{Label: "Dashboard", Href: "/dashboard?period=" + p.ID}}
	h.render(w, r.Request, 0, coachPeriodPage(coachPeriodView{S: s, Period: p, Report: rep}))
}
