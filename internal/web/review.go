package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

// The period review: the review page (/periods/{id}/review) with the close,
// the scores and their adjustments, retrospectives and decisions; and the
// objective page's Review section. Every form posts to the same use cases as
// the API; a refused form comes back on the review page with its errors.

func (h *Handler) reviewRoutes() {
	m := h.mux
	m.HandleFunc("GET /periods/{id}/review", h.signedIn(h.review))
	m.HandleFunc("POST /periods/{id}/review/close", h.signedIn(h.rvClose))
	m.HandleFunc("POST /key-results/{id}/score", h.signedIn(h.rvAdjust))
	m.HandleFunc("POST /objectives/{id}/retrospective", h.signedIn(h.rvRetrospective))
	m.HandleFunc("POST /objectives/{id}/decision", h.signedIn(h.rvDecide))
}

// rvForm is a refused review form: which one, what was sent, what is wrong.
type rvForm struct {
	Kind string // "close", "score", "retrospective", "decision"
	ID   string // the key result's or objective's id
	FE   FieldErrors
	Vals map[string]string
}

func (f rvForm) is(kind, id string) bool { return f.Kind == kind && f.ID == id }

// val is what the refused form sent for name, else def.
func (f rvForm) val(kind, id, name, def string) string {
	if f.is(kind, id) {
		return f.Vals[name]
	}
	return def
}

// fe is the refused form's errors when it is this one.
func (f rvForm) fe(kind, id string) FieldErrors {
	if f.is(kind, id) {
		return f.FE
	}
	return nil
}

// rvView is the period review page.
type rvView struct {
	S *Shell
	D *directory
	R app.PeriodReview
	// Open are the periods a decision may carry an objective into; Next the
	// default one for this period.
	Open []okr.Period
	Next okr.Period
	F    rvForm
}

// rvNext is the default next period of p: the first open period of the same
// kind that starts after it (as the use case chooses).
func rvNext(ps []okr.Period, p okr.Period) okr.Period {
	var best okr.Period
	for _, c := range ps {
		if c.Kind == p.Kind && c.StartDate > p.StartDate && c.State != okr.PeriodClosed && (best.ID == "" || c.StartDate < best.StartDate) {
			best = c
		}
	}
	return best
}

// rvOpen are the periods an objective of p may be carried into: open ones
// that start after p.
func rvOpen(ps []okr.Period, p okr.Period) []okr.Period {
	var out []okr.Period
	for _, c := range ps {
		if c.State != okr.PeriodClosed && c.StartDate > p.StartDate {
			out = append(out, c)
		}
	}
	return out
}

func (h *Handler) review(w http.ResponseWriter, r *Request) {
	h.rvRender(w, r, r.PathValue("id"), 0, rvForm{})
}

func (h *Handler) rvRender(w http.ResponseWriter, r *Request, periodID string, status int, f rvForm) {
	rv, err := h.app.Review(r.Ctx(), r.Actor, periodID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, rv.Period.Name+" review", "dashboard")
	s.Crumbs = []Crumb{{Label: "Dashboard", Href: "/dashboard?period=" + rv.Period.ID}}
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := rvView{S: s, D: d, R: rv, F: f, Open: rvOpen(s.Periods, rv.Period), Next: rvNext(s.Periods, rv.Period)}
	h.render(w, r.Request, status, reviewPage(v))
}

// rvBack is where a review form returns: the objective page or the period review.
func rvBack(r *Request, periodID, objectiveID string) string {
	if r.PostFormValue("back") == "objective" && objectiveID != "" {
		return "/objectives/" + objectiveID + "#review"
	}
	return "/periods/" + periodID + "/review#objective-" + objectiveID
}

// rvRefused re-renders the review page with a refused form, or fails.
func (h *Handler) rvRefused(w http.ResponseWriter, r *Request, periodID string, err error, f rvForm) {
	fe, ok := fieldErrors(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	f.FE = fe
	f.Vals = map[string]string{}
	for k, vs := range r.PostForm {
		if len(vs) > 0 {
			f.Vals[k] = vs[0]
		}
	}
	h.rvRender(w, r, periodID, adminStatus(err), f)
}

func (h *Handler) rvClose(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	if r.PostFormValue("confirm") != "yes" {
		h.rvRefused(w, r, id, errInvalidField("confirm", "tick the box to confirm: a closed period cannot be opened again"), rvForm{Kind: "close"})
		return
	}
	p, err := h.app.ClosePeriod(r.Ctx(), r.Actor, id)
	if err != nil {
		h.rvRefused(w, r, id, err, rvForm{Kind: "close"})
		return
	}
	h.redirect(w, r.Request, "/periods/"+id+"/review",
		p.Name+" is closed and scored. Each objective's owners are asked for its retrospective and a decision for the next period.")
}

func (h *Handler) rvAdjust(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ov, err := h.app.GetObjective(r.Ctx(), r.Actor, k.ObjectiveID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := app.ScoreInput{Reason: r.PostFormValue("reason")}
	fe := FieldErrors{}
	if r.PostFormValue("clear") == "" {
		in.Adjusted = formNumberField(r.Request, "adjusted", fe)
		if in.Adjusted == nil && fe["adjusted"] == "" {
			fe["adjusted"] = "give the adjusted score, between 0 and 1, e.g. 0.7"
		}
	}
	if len(fe) > 0 {
		h.rvRefused(w, r, ov.PeriodID, errFields(fe), rvForm{Kind: "score", ID: id})
		return
	}
	got, err := h.app.AdjustScore(r.Ctx(), r.Actor, id, formVersion(r.Request), in)
	if err != nil {
		h.rvRefused(w, r, ov.PeriodID, err, rvForm{Kind: "score", ID: id})
		return
	}
	msg := fmt.Sprintf("The score of %q is %s now.", got.Title, rvScore(got.Score.Final))
	if got.Score.Adjusted == nil {
		msg = fmt.Sprintf("The adjustment of %q is removed: its score is the computed %s.", got.Title, rvScore(got.Score.Final))
	}
	h.redirect(w, r.Request, rvBack(r, ov.PeriodID, ov.ID), msg)
}

func (h *Handler) rvRetrospective(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	o, err := h.app.GetObjective(r.Ctx(), r.Actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := app.RetrospectiveInput{WentWell: r.PostFormValue("went_well"), WentBadly: r.PostFormValue("went_badly")}
	if t := strings.TrimSpace(r.PostFormValue("lesson_title")); t != "" || strings.TrimSpace(r.PostFormValue("lesson_body")) != "" {
		in.Lessons = []app.RetrospectiveLesson{{Title: t, Body: r.PostFormValue("lesson_body"), Tags: rvTags(r.PostFormValue("lesson_tags"))}}
	}
	_, err = h.app.PutRetrospective(r.Ctx(), r.Actor, id, formVersion(r.Request), in)
	if err != nil {
		h.rvRefused(w, r, o.PeriodID, rvLessonFields(err), rvForm{Kind: "retrospective", ID: id})
		return
	}
	msg := "The retrospective of " + o.Title + " is saved."
	if len(in.Lessons) > 0 {
		msg += " Its lesson is in the lessons library for everyone."
	}
	h.redirect(w, r.Request, rvBack(r, o.PeriodID, o.ID), msg)
}

func (h *Handler) rvDecide(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	o, err := h.app.GetObjective(r.Ctx(), r.Actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := app.DecisionInput{Decision: okr.Decision(r.PostFormValue("decision")), NextPeriodID: r.PostFormValue("next_period_id")}
	if in.Decision == okr.Modify {
		in.Title = r.PostFormValue("title")
		if in.Title == o.Title {
			in.Title = ""
		}
	}
	got, err := h.app.Decide(r.Ctx(), r.Actor, id, in, formKeyOf(r.Request))
	if err != nil {
		h.rvRefused(w, r, o.PeriodID, err, rvForm{Kind: "decision", ID: id})
		return
	}
	switch in.Decision {
	case okr.Drop:
		h.redirect(w, r.Request, rvBack(r, o.PeriodID, o.ID), o.Title+" is dropped: it will not continue next period.")
	default:
		h.redirect(w, r.Request, "/objectives/"+got.ID,
			o.Title+" is carried into the next period as a draft, with its key results starting where they ended. Review it and activate it when ready.")
	}
}

// rvTags splits "a, b c" into tags.
func rvTags(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// rvLessonFields maps lessons[0].x, the form's one lesson, to lesson_x.
func rvLessonFields(err error) error {
	fe, ok := fieldErrors(err)
	if !ok || len(fe) == 0 {
		return err
	}
	out := FieldErrors{}
	for k, v := range fe {
		if rest, ok := strings.CutPrefix(k, "lessons[0]."); ok {
			k = "lesson_" + rest
		}
		out[k] = v
	}
	if _, only := fe[""]; only && len(fe) == 1 {
		return err
	}
	return errFields(out)
}

// rvScore formats a score as 0.85.
func rvScore(x float64) string { return fmt.Sprintf("%.2f", x) }

// rvBandWord is a score band for people.
func rvBandWord(b okr.ScoreBand) string {
	switch b {
	case okr.ScoreGreen:
		return "green"
	case okr.ScoreYellow:
		return "yellow"
	}
	return "red"
}

// rvVerdictWord is a verdict for people.
func rvVerdictWord(v okr.Verdict) string {
	switch v {
	case okr.TooSafe:
		return "Targets too safe"
	case okr.Healthy:
		return "Healthy"
	case okr.Partial:
		return "Partial"
	}
	return "Targets outran capacity"
}

// rvOutcomeWord is an outcome for people.
func rvOutcomeWord(o okr.Outcome) string {
	switch o {
	case okr.Achieved:
		return "Achieved"
	case okr.Missed:
		return "Missed"
	case okr.Abandoned:
		return "Abandoned"
	}
	return "Open"
}

// rvDecisionWord says what a decision did.
func rvDecisionWord(d okr.Decision) string {
	switch d {
	case okr.Keep:
		return "Keep: carried into the next period as it is"
	case okr.Modify:
		return "Modify: carried into the next period, to be changed"
	}
	return "Drop: it does not continue"
}

// reviewObjView is the objective page's Review section: its score,
// retrospective, decision and where it was carried from and to.
type reviewObjView struct {
	Show bool
	S    *Shell
	R    app.ObjectiveReview
	Open []okr.Period
}

func (h *Handler) reviewObjLoad(r *Request, s *Shell, d *directory, ov app.ObjectiveOverview) (reviewObjView, error) {
	rv, err := h.app.ReviewOfObjective(r.Ctx(), r.Actor, ov.Objective.ID)
	if err != nil {
		return reviewObjView{}, err
	}
	v := reviewObjView{S: s, R: rv, Open: rvOpen(s.Periods, rv.Period)}
	v.Show = rv.Objective.State == okr.Closed || rv.CarriedFrom != nil || len(rv.CarriedTo) > 0
	return v, nil
}

// errFields is an invalid-input error with fe's messages.
func errFields(fe FieldErrors) error {
	var f errs.Fields
	for k, v := range fe {
		f.Add(k, "%s", v)
	}
	return f.Err()
}

// errInvalidField is an invalid-input error on one field.
func errInvalidField(name, msg string) error { return errFields(FieldErrors{name: msg}) }
