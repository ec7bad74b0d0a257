package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

// The skills side of objectives and key results: the "Skills required"
// section of an objective's page (the requirements of the objective and of
// its key results, each with its gap), and the learning measure of the key
// result form (a key result whose value comes from learning records).

// oksView is an objective's "Skills required" section.
type oksView struct {
	S           *Shell
	D           *directory
	ObjectiveID string
	// CanEdit: the reader may change the objective, and so what it requires.
	CanEdit bool
	Groups  []oksGroup
	// Subjects are the form's choices: the objective and its key results.
	Subjects []reqSubject
	Skills   []learning.Skill
	Titles   map[string]string
	lrn      lrnNames
	Form     reqForm
}

// oksGroup is what one subject (the objective, or a key result) requires.
type oksGroup struct {
	Title string
	// KeyResultID is empty for the objective itself.
	KeyResultID string
	Items       []app.GapItem
}

// empty reports whether nothing is required at all.
func (v oksView) empty() bool {
	for _, g := range v.Groups {
		if len(g.Items) > 0 {
			return false
		}
	}
	return true
}

// oksLoad reads the requirements of an objective and its key results with
// their gaps (measured against the people of the objective's owner).
func (h *Handler) oksLoad(r *Request, s *Shell, d *directory, ov app.ObjectiveOverview) (oksView, error) {
	v := oksView{S: s, D: d, ObjectiveID: ov.Objective.ID, CanEdit: ov.CanEdit, Form: newReqForm()}
	rep, err := h.app.Gaps(r.Ctx(), r.Actor, app.GapQuery{Scope: "objective:" + ov.Objective.ID})
	if err != nil {
		return v, err
	}
	if len(rep.Items) == 0 && !v.CanEdit {
		return v, nil
	}
	if v.lrn, v.Skills, err = h.lrnLoadNames(r); err != nil {
		return v, err
	}
	if len(rep.Items) > 0 {
		ps, err := h.lrnPrograms(r, app.ProgramQuery{})
		if err != nil {
			return v, err
		}
		v.Titles = programTitles(ps)
	}
	krs := make([]oksGroup, 0, len(ov.KeyResults))
	for _, k := range ov.KeyResults {
		krs = append(krs, oksGroup{Title: k.Title, KeyResultID: k.ID})
	}
	own := oksGroup{Title: "This objective"}
	for _, g := range rep.Items {
		switch g.Subject.Type {
		case learning.SubjectObjective:
			own.Items = append(own.Items, g)
		case learning.SubjectKeyResult:
			if i := slices.IndexFunc(krs, func(x oksGroup) bool { return x.KeyResultID == g.Subject.ID }); i >= 0 {
				krs[i].Items = append(krs[i].Items, g)
			}
		}
	}
	v.Groups = append([]oksGroup{own}, krs...)
	v.Subjects = oksSubjects(ov.Objective, keyResultsOfOverview(ov))
	return v, nil
}

func keyResultsOfOverview(ov app.ObjectiveOverview) []okr.KeyResult {
	out := make([]okr.KeyResult, len(ov.KeyResults))
	for i, k := range ov.KeyResults {
		out[i] = k.KeyResult
	}
	return out
}

// oksSubjects are the form's choices: the objective, then its key results.
func oksSubjects(o okr.Objective, krs []okr.KeyResult) []reqSubject {
	out := []reqSubject{{Value: "objective:" + o.ID, Label: "This objective"}}
	for _, k := range krs {
		out = append(out, reqSubject{Value: "key_result:" + k.ID, Label: "Key result: " + k.Title})
	}
	return out
}

// oksSubject reads the form's subject and checks that it is the objective
// or one of its key results.
func oksSubject(value string, o okr.Objective, krs []okr.KeyResult) (learning.Subject, bool) {
	kind, id, _ := strings.Cut(value, ":")
	switch {
	case value == "" || kind == "objective" && id == o.ID:
		return learning.Subject{Type: learning.SubjectObjective, ID: o.ID}, true
	case kind == "key_result" && slices.ContainsFunc(krs, func(k okr.KeyResult) bool { return k.ID == id }):
		return learning.Subject{Type: learning.SubjectKeyResult, ID: id}, true
	}
	return learning.Subject{}, false
}

// oksAdd adds a requirement to the objective or one of its key results.
func (h *Handler) oksAdd(w http.ResponseWriter, r *Request) {
	o, err := h.app.GetObjective(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	krs, err := h.keyResultsOf(r, app.KeyResultQuery{ObjectiveID: o.ID})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sub, ok := oksSubject(r.PostFormValue("subject"), o, krs)
	f, in := readReqForm(r, sub)
	if !ok {
		f.FE["subject"] = "choose this objective or one of its key results"
	}
	if len(f.FE) == 0 {
		req, err := h.app.CreateRequirement(r.Ctx(), r.Actor, in, f.Key)
		if err == nil {
			h.redirect(w, r.Request, "/objectives/"+o.ID+"#skills", "Now requires "+h.skillName(r, req.SkillID)+" at level "+strconv.Itoa(req.Level)+".")
			return
		}
		more, ok := fieldErrors(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		mergeErrors(f.FE, more)
	}
	// The form again, on a page of its own, with the messages beside the fields.
	s := h.shell(w, r, "Add a required skill", "alignment")
	s.Crumbs = formObjectiveCrumbs(o)
	_, skills, err := h.lrnLoadNames(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, http.StatusUnprocessableEntity, oksFormPage(s, o, f, skills, oksSubjects(o, krs)))
}

// oksRemove removes a requirement of the objective or of one of its key results.
func (h *Handler) oksRemove(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	req, err := h.app.GetRequirement(r.Ctx(), r.Actor, r.PathValue("req"))
	if err == nil {
		err = h.oksOwns(r, id, req.Subject)
	}
	if err == nil {
		err = h.app.DeleteRequirement(r.Ctx(), r.Actor, req.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/objectives/"+id+"#skills", "No longer requires "+h.skillName(r, req.SkillID)+".")
}

// oksOwns checks that a requirement's subject is the objective or one of
// its key results (NotFound otherwise).
func (h *Handler) oksOwns(r *Request, objectiveID string, s learning.Subject) error {
	switch s.Type {
	case learning.SubjectObjective:
		if s.ID == objectiveID {
			return nil
		}
	case learning.SubjectKeyResult:
		k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, s.ID)
		if err != nil {
			return err
		}
		if k.ObjectiveID == objectiveID {
			return nil
		}
	}
	return errs.NotFoundf("the objective has no such skill requirement")
}

// ---- the learning measure of the key result form

// krMeasureForm is a learning key result's measure as typed.
type krMeasureForm struct {
	Type, ProgramID, SkillID, Level string
	// Population is team, role or users; TeamID, RoleID and UserIDs the choice of each.
	Population, TeamID, RoleID string
	UserIDs                    []string
}

// krLearningChoices are what the measure's fields offer.
type krLearningChoices struct {
	Programs []learning.Program
	Skills   []learning.Skill
	Roles    []learning.RoleProfile
}

// krMeasureKinds are the measures, with what each counts.
var krMeasureKinds = []struct{ Value, Label, Hint string }{
	{string(learning.CompletionRate), "Completion rate", "Share of the people who passed a program, in percent."},
	{string(learning.CertifiedCount), "Certified people", "How many people hold a skill at a level, by certification or assessment."},
	{string(learning.MeanScore), "Mean score", "The people's mean score (0–100) in a program."},
	{string(learning.AtLevelShare), "Share at level", "Share of the people at or above a level in a skill, in percent."},
	{string(learning.LearningHours), "Learning hours", "Hours of completed learning, in one program or all."},
}

// krLearningLoad reads what the measure's fields offer.
func (h *Handler) krLearningLoad(r *Request) (krLearningChoices, error) {
	var c krLearningChoices
	var err error
	if c.Programs, err = h.lrnPrograms(r, app.ProgramQuery{}); err != nil {
		return c, err
	}
	if c.Skills, err = h.app.AllSkills(r.Ctx(), r.Actor); err != nil {
		return c, err
	}
	c.Roles, err = h.adlAllRoles(r)
	return c, err
}

// readKRMeasure reads the measure's fields of a posted key result form.
func readKRMeasure(r *http.Request) krMeasureForm {
	return krMeasureForm{Type: r.PostFormValue("measure_type"), ProgramID: r.PostFormValue("measure_program_id"),
		SkillID: r.PostFormValue("measure_skill_id"), Level: strings.TrimSpace(r.PostFormValue("measure_level")),
		Population: r.PostFormValue("population_type"), TeamID: r.PostFormValue("population_team"),
		RoleID: r.PostFormValue("population_role"), UserIDs: r.PostForm["population_users"]}
}

// krMeasureOf fills the measure's fields from a stored measure.
func krMeasureOf(raw json.RawMessage) krMeasureForm {
	var m learning.Measure
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return krMeasureForm{Type: string(learning.CompletionRate), Population: string(learning.PopulationTeam)}
	}
	f := krMeasureForm{Type: string(m.Type), ProgramID: m.ProgramID, SkillID: m.SkillID, Population: string(m.Population.Type),
		UserIDs: m.Population.UserIDs}
	if m.Level > 0 {
		f.Level = strconv.Itoa(m.Level)
	}
	switch m.Population.Type {
	case learning.PopulationTeam:
		f.TeamID = m.Population.ID
	case learning.PopulationRole:
		f.RoleID = m.Population.ID
	}
	return f
}

// measure builds the measure the use case takes (as JSON) from the fields
// that apply to its type, and the unit its values are counted in; a level
// that is no number is noted in fe.
func (m krMeasureForm) measure(fe FieldErrors) (json.RawMessage, okr.Unit, string) {
	out := learning.Measure{Type: learning.MeasureType(m.Type), Population: learning.Population{Type: learning.PopulationType(m.Population)}}
	switch out.Type {
	case learning.CompletionRate, learning.MeanScore, learning.LearningHours:
		out.ProgramID = m.ProgramID
	case learning.CertifiedCount, learning.AtLevelShare:
		out.SkillID = m.SkillID
		if m.Level != "" {
			n, err := strconv.Atoi(m.Level)
			if err != nil {
				fe["measure.level"] = "must be a whole number, like 3"
			}
			out.Level = n
		}
	}
	switch out.Population.Type {
	case learning.PopulationTeam:
		out.Population.ID = m.TeamID
	case learning.PopulationRole:
		out.Population.ID = m.RoleID
	case learning.PopulationUsers:
		out.Population.UserIDs = m.UserIDs
	}
	raw, _ := json.Marshal(out)
	unit, label := learning.MeasureUnit(out.Type)
	return raw, okr.Unit(unit), label
}

// krMeasureErrors puts the use case's messages about the measure beside
// the fields that hold them: the population's id beside the team or the
// role chosen, each person's beside the people.
func krMeasureErrors(fe FieldErrors, m krMeasureForm) {
	for k, v := range fe {
		switch {
		case k == "measure.population.id":
			delete(fe, k)
			if m.Population == string(learning.PopulationRole) {
				fe["measure.population.role"] = v
			} else {
				fe["measure.population.team"] = v
			}
		case strings.HasPrefix(k, "measure.population.user_ids["):
			delete(fe, k)
			if _, seen := fe["measure.population.user_ids"]; !seen {
				fe["measure.population.user_ids"] = v
			}
		}
	}
}

// hasUser reports whether a person is among the measure's named people.
func (m krMeasureForm) hasUser(id string) bool { return slices.Contains(m.UserIDs, id) }
