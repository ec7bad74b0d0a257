package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// Learning objectives, mentorships and feedback: planning learning for a
// gap of a team's skills and listing the team's learning objectives; a
// person's mentorships and the feedback the reader may see about them,
// with the forms that start a mentorship and give feedback. A form the use
// case refuses comes back on a page of its own, its messages beside the
// fields.

// ---- learning objectives of a team

// lsTeam is what the team's skills page shows of its learning objectives.
type lsTeam struct {
	Objectives []learning.LearningObjective
	// Serves names what each objective serves (an objective or key result), by its id.
	Serves map[string]gapSubject
}

// lsPlanForm is "plan learning for this gap" as typed.
type lsPlanForm struct {
	TeamID, SkillID, RequirementID string
	// Serves is "objective:ID" or "key_result:ID" ("": nothing in particular).
	Serves, TargetLevel, DueDate, ProgramID, Note, Key string
	FE                                                 FieldErrors
}

// lsPlanView is the plan form with what it offers.
type lsPlanView struct {
	S *Shell
	F lsPlanForm
	// IDP prefixes the form's element ids (one form per gap on a page).
	IDP      string
	Skill    string
	Required string
	Programs []learning.Program
	// ServesLabel names the requirement's objective or key result ("": none).
	ServesLabel string
}

// intro says what the plan form sets.
func (v lsPlanView) intro() string {
	s := "The team learns " + v.Skill
	if v.Required != "" {
		s += " (required: " + v.Required + ")"
	}
	return s + "; the plan shows on each member's learning plan."
}

// lsLoadTeam loads the team's learning objectives and names what they serve.
func (h *Handler) lsLoadTeam(r *Request, teamID string) (lsTeam, error) {
	out := lsTeam{Serves: map[string]gapSubject{}}
	page, err := h.app.ListLearningObjectives(r.Ctx(), r.Actor, app.LearningObjectiveQuery{TeamID: teamID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		return out, err
	}
	out.Objectives = page.Items
	for _, l := range out.Objectives {
		if sv, err := h.lsServes(r, l.ObjectiveID, l.KeyResultID); err != nil {
			return out, err
		} else if sv.Title != "" {
			out.Serves[l.ID] = sv
		}
	}
	return out, nil
}

// lsServes names the key result (or else the objective) a learning
// objective serves; zero when it serves none the reader may see.
func (h *Handler) lsServes(r *Request, objectiveID, keyResultID string) (gapSubject, error) {
	if keyResultID != "" {
		k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, keyResultID)
		if err == nil {
			return gapSubject{Title: "key result “" + k.Title + "”", Href: "/objectives/" + k.ObjectiveID + "#kr-" + k.ID}, nil
		}
		if !errs.Is(err, errs.NotFound) {
			return gapSubject{}, err
		}
	}
	if objectiveID != "" {
		o, err := h.app.GetObjective(r.Ctx(), r.Actor, objectiveID)
		if err == nil {
			return gapSubject{Title: "objective “" + o.Title + "”", Href: "/objectives/" + o.ID}, nil
		}
		if !errs.Is(err, errs.NotFound) {
			return gapSubject{}, err
		}
	}
	return gapSubject{}, nil
}

// planForm is the "plan learning for this gap" form of a gap with people
// below the level, for the team's leads and admins (nil for others).
func (v tskView) planForm(g app.GapItem) templ.Component {
	if !v.CanEdit || g.Below == 0 {
		return nil
	}
	f := lsPlanForm{TeamID: v.Team.ID, SkillID: g.SkillID, RequirementID: g.RequirementID,
		TargetLevel: strconv.Itoa(g.RequiredLevel), Key: formKey()}
	if len(g.SuggestedProgramIDs) > 0 {
		f.ProgramID = g.SuggestedProgramIDs[0]
	}
	sv := v.subject(g)
	if g.Subject.Type == learning.SubjectObjective || g.Subject.Type == learning.SubjectKeyResult {
		f.Serves = string(g.Subject.Type) + ":" + g.Subject.ID
		if sv.Title == "" {
			f.Serves = ""
		}
	}
	pv := lsPlanView{S: v.S, F: f, IDP: "plan-" + g.RequirementID, Skill: v.lrn.skillName(g.SkillID),
		Required: v.lrn.levelText(g.SkillID, g.RequiredLevel), Programs: teaching(v.Programs, g.SkillID)}
	if f.Serves != "" {
		pv.ServesLabel = sv.Title
	}
	return lsPlanDetails(pv)
}

// noObjectives says the team has no learning objectives, and how to set one.
func (v tskView) noObjectives() string {
	s := v.Team.Name + " has no learning objectives yet."
	if v.CanEdit {
		s += " Plan learning under a gap above to set one."
	}
	return s
}

// teaching keeps the programs that teach a skill and are not archived.
func teaching(ps []learning.Program, skillID string) []learning.Program {
	var out []learning.Program
	for _, p := range ps {
		if !p.Archived && slices.ContainsFunc(p.Skills, func(t learning.TaughtSkill) bool { return t.SkillID == skillID }) {
			out = append(out, p)
		}
	}
	return out
}

// lsPlan creates a learning objective for the team from a gap.
func (h *Handler) lsPlan(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	f := lsPlanForm{TeamID: id, SkillID: r.PostFormValue("skill_id"), RequirementID: r.PostFormValue("requirement_id"),
		Serves: r.PostFormValue("serves"), TargetLevel: strings.TrimSpace(r.PostFormValue("target_level")),
		DueDate: strings.TrimSpace(r.PostFormValue("due_date")), ProgramID: r.PostFormValue("program_id"),
		Note: r.PostFormValue("note"), Key: formKeyOf(r.Request), FE: FieldErrors{}}
	in := app.LearningObjectiveInput{TeamID: id, SkillID: f.SkillID, DueDate: okr.Date(f.DueDate),
		RequirementID: f.RequirementID, Note: f.Note}
	if n, err := strconv.Atoi(f.TargetLevel); err != nil {
		f.FE["target_level"] = "choose the level to reach, a whole number like 3"
	} else {
		in.TargetLevel = n
	}
	switch kind, sid, _ := strings.Cut(f.Serves, ":"); kind {
	case string(learning.SubjectObjective):
		in.ObjectiveID = sid
	case string(learning.SubjectKeyResult):
		in.KeyResultID = sid
	}
	if f.ProgramID != "" {
		in.ProgramIDs = []string{f.ProgramID}
	}
	if len(f.FE) == 0 {
		res, err := h.app.CreateLearningObjective(r.Ctx(), r.Actor, in, f.Key)
		if err == nil {
			msg := "Planned: the team learns " + h.skillName(r, res.SkillID) + " to level " + strconv.Itoa(res.TargetLevel)
			if res.DueDate != "" {
				msg += " by " + day(res.DueDate)
			}
			msg += "."
			if len(res.Warnings) > 0 {
				msg += " " + strings.Join(res.Warnings, " ")
			}
			h.redirect(w, r.Request, "/teams/"+id+"/skills#learning-objectives", msg)
			return
		}
		more, ok := fieldErrors(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		for k, m := range more {
			if k == "objective_id" || k == "key_result_id" {
				k = "serves"
			} else if k == "program_ids" || strings.HasPrefix(k, "program_ids[") {
				k = "program_id"
			} else if k != "target_level" && k != "due_date" && k != "note" && k != "" {
				k = ""
				m = strings.TrimSpace(adminSentence(m))
			}
			if _, seen := f.FE[k]; !seen {
				f.FE[k] = m
			}
		}
	}
	h.lsPlanAgain(w, r, f)
}

// lsPlanAgain shows a plan form the use case refused, on a page of its own.
func (h *Handler) lsPlanAgain(w http.ResponseWriter, r *Request, f lsPlanForm) {
	t, err := h.app.GetTeam(r.Ctx(), r.Actor, f.TeamID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, "Plan learning for "+t.Name, "teams")
	s.Crumbs = []Crumb{{Label: "Teams", Href: "/teams"}, {Label: t.Name, Href: "/teams/" + t.ID}, {Label: "Skills", Href: "/teams/" + t.ID + "/skills"}}
	names, _, err := h.lrnLoadNames(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ps, err := h.lrnPrograms(r, app.ProgramQuery{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := lsPlanView{S: s, F: f, IDP: "plan", Skill: names.skillName(f.SkillID), Programs: teaching(ps, f.SkillID)}
	if req, err := h.app.GetRequirement(r.Ctx(), r.Actor, f.RequirementID); err == nil {
		v.Required = names.levelText(req.SkillID, req.Level)
	}
	if kind, sid, ok := strings.Cut(f.Serves, ":"); ok {
		var sv gapSubject
		if kind == string(learning.SubjectKeyResult) {
			sv, err = h.lsServes(r, "", sid)
		} else {
			sv, err = h.lsServes(r, sid, "")
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.ServesLabel = sv.Title
	}
	h.render(w, r.Request, http.StatusUnprocessableEntity, lsPlanPage(v, t))
}

// lsDeleteObjective removes a learning objective and goes back to its team
// (or to the learner's plan).
func (h *Handler) lsDeleteObjective(w http.ResponseWriter, r *Request) {
	l, err := h.app.GetLearningObjective(r.Ctx(), r.Actor, r.PathValue("id"))
	if err == nil {
		err = h.app.DeleteLearningObjective(r.Ctx(), r.Actor, l.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	to := "/learning"
	if l.TeamID != "" {
		to = "/teams/" + l.TeamID + "/skills#learning-objectives"
	}
	h.redirect(w, r.Request, to, "Removed the learning objective in "+h.skillName(r, l.SkillID)+". Its enrollments stay.")
}

// ---- mentorships and feedback of a person

// lsPerson is what a person's page shows of their mentorships and the
// feedback about them.
type lsPerson struct {
	Mentors  []learning.Mentorship // the person mentors
	Mentees  []learning.Mentorship // the person is mentored
	Feedback []learning.Feedback
	Skills   []learning.Skill
	lrn      lrnNames
	Mentor   lsMentorForm
	Give     lsFeedbackForm
}

// lsMentorForm is "start a mentorship" as typed.
type lsMentorForm struct {
	SkillID, StartDate, Key string
	FE                      FieldErrors
}

// lsFeedbackForm is "give feedback" as typed.
type lsFeedbackForm struct {
	Relation, SkillID, Body, Visibility, Key string
	FE                                       FieldErrors
}

// lsLoadPerson loads a person's mentorships and the feedback the reader may see.
func (h *Handler) lsLoadPerson(r *Request, personID string) (lsPerson, error) {
	v := lsPerson{Mentor: lsMentorForm{Key: formKey()}, Give: lsFeedbackForm{Relation: app.RelationPeer,
		Visibility: string(learning.VisibleRecipient), Key: formKey()}}
	var err error
	if v.lrn, v.Skills, err = h.lrnLoadNames(r); err != nil {
		return v, err
	}
	ms, err := h.app.ListMentorships(r.Ctx(), r.Actor, app.MentorshipQuery{UserID: personID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		return v, err
	}
	for _, m := range ms.Items {
		if m.MentorID == personID {
			v.Mentors = append(v.Mentors, m)
		} else {
			v.Mentees = append(v.Mentees, m)
		}
	}
	fb, err := h.app.ListFeedback(r.Ctx(), r.Actor, app.FeedbackQuery{ToID: personID, PageRequest: app.PageRequest{Limit: 50}})
	if err != nil {
		return v, err
	}
	v.Feedback = fb.Items
	return v, nil
}

// lsMentor records that the reader mentors the person.
func (h *Handler) lsMentor(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	f := lsMentorForm{SkillID: r.PostFormValue("skill_id"), StartDate: strings.TrimSpace(r.PostFormValue("start_date")),
		Key: formKeyOf(r.Request), FE: FieldErrors{}}
	m, err := h.app.CreateMentorship(r.Ctx(), r.Actor, app.MentorshipInput{MentorID: r.Actor.UserID, MenteeID: id,
		SkillID: f.SkillID, StartDate: okr.Date(f.StartDate)}, f.Key)
	if err == nil {
		name := "this person"
		if p, err := h.app.GetUser(r.Ctx(), r.Actor, id); err == nil {
			name = p.Name
		}
		msg := "You mentor " + name + " from " + day(m.StartDate)
		if m.SkillID != "" {
			msg += " in " + h.skillName(r, m.SkillID)
		}
		h.redirect(w, r.Request, "/people/"+id+"#mentorships", msg+".")
		return
	}
	fe, ok := fieldErrors(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	for k, msg := range fe {
		if k != "skill_id" && k != "start_date" {
			k, msg = "", adminSentence(msg)
		}
		if _, seen := f.FE[k]; !seen {
			f.FE[k] = msg
		}
	}
	h.lsPersonAgain(w, r, id, &f, nil)
}

// lsFeedback gives the person feedback.
func (h *Handler) lsFeedback(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	f := lsFeedbackForm{Relation: r.PostFormValue("relation"), SkillID: r.PostFormValue("skill_id"), Body: r.PostFormValue("body"),
		Visibility: r.PostFormValue("visibility"), Key: formKeyOf(r.Request), FE: FieldErrors{}}
	in := app.FeedbackInput{ToID: id, Relation: f.Relation, Body: f.Body, Visibility: learning.FeedbackVisibility(f.Visibility)}
	if f.SkillID != "" {
		in.SubjectType, in.SubjectID = app.FeedbackAboutSkill, f.SkillID
	}
	_, err := h.app.GiveFeedback(r.Ctx(), r.Actor, in, f.Key)
	if err == nil {
		h.redirect(w, r.Request, "/people/"+id+"#feedback", "Your feedback is saved; "+visibilityWords(in.Visibility)+".")
		return
	}
	fe, ok := fieldErrors(err)
	if !ok && errs.Is(err, errs.Forbidden) {
		// The relation is not the author's: say so beside it.
		fe, ok = FieldErrors{"relation": messageOf(err)}, true
	}
	if !ok {
		h.fail(w, r, err)
		return
	}
	for k, msg := range fe {
		switch k {
		case "subject_id", "subject_type":
			k = "skill_id"
		case "relation", "body", "visibility":
		default:
			k, msg = "", adminSentence(msg)
		}
		if _, seen := f.FE[k]; !seen {
			f.FE[k] = msg
		}
	}
	h.lsPersonAgain(w, r, id, nil, &f)
}

// visibilityWords says who reads a piece of feedback.
func visibilityWords(v learning.FeedbackVisibility) string {
	switch v {
	case learning.VisibleManagers:
		return "the person and the leads of their teams read it"
	case learning.VisiblePrivate:
		return "the leads of the person's teams read it, the person does not"
	}
	return "the person reads it"
}

// lsPersonAgain shows a mentorship or feedback form the use case refused,
// on a page of its own.
func (h *Handler) lsPersonAgain(w http.ResponseWriter, r *Request, id string, mentor *lsMentorForm, give *lsFeedbackForm) {
	m, err := h.app.GetUser(r.Ctx(), r.Actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	title := "Give feedback to " + m.Name
	if mentor != nil {
		title = "Mentor " + m.Name
	}
	s := h.shell(w, r, title, "")
	s.Crumbs = []Crumb{{Label: "Teams", Href: "/teams"}, {Label: m.Name, Href: "/people/" + m.ID}}
	v := lsPersonFormView{S: s, Person: m}
	if v.Skills, _, err = h.lrnSkillMap(r); err != nil {
		h.fail(w, r, err)
		return
	}
	if mentor != nil {
		v.Mentor = mentor
	} else {
		v.Give = give
	}
	h.render(w, r.Request, http.StatusUnprocessableEntity, lsPersonFormPage(v))
}

// lsPersonFormView is a refused mentorship or feedback form on its own page.
type lsPersonFormView struct {
	S      *Shell
	Person org.Member
	Skills []learning.Skill
	Mentor *lsMentorForm
	Give   *lsFeedbackForm
}

// mayGive reports whether the reader may start a mentorship with the
// person or give them feedback: anyone who writes, about someone else.
func (v personView) mayGive() bool { return !v.isMe() && canWrite(v.S) && v.Person.Active }

// mentorshipDates are a mentorship's dates: "from 3 Mar 2026" or "3 Mar – 5 Jun 2026".
func mentorshipDates(m learning.Mentorship) string {
	if m.EndDate == "" {
		return "since " + day(m.StartDate)
	}
	return day(m.StartDate) + " – " + day(m.EndDate)
}

// relationWord says a feedback author's relation to the recipient.
func relationWord(rel string) string {
	switch rel {
	case app.RelationManager:
		return "as manager"
	case app.RelationMentor:
		return "as mentor"
	}
	return "as peer"
}

// visibilityShort names who reads a piece of feedback, in a pill.
func visibilityShort(v learning.FeedbackVisibility) string {
	switch v {
	case learning.VisibleManagers:
		return "person and leads"
	case learning.VisiblePrivate:
		return "leads only"
	}
	return "the person"
}
