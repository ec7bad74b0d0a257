package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// A team's skills: the heatmap of its people against the skills the team
// and its objectives require, the gaps ranked by burden with programs and
// mentors that could close them, the form that adds a requirement and the
// one that assigns a program to the whole team.

// tskView is a team's skills page.
type tskView struct {
	S    *Shell
	D    *directory
	Team org.Team
	Rep  app.GapReport
	// CanEdit: the reader leads the team or is an admin (requirements and
	// assignments are theirs to change).
	CanEdit  bool
	Programs []learning.Program
	Skills   []learning.Skill
	Subjects map[string]gapSubject
	Titles   map[string]string // program titles by id
	lrn      lrnNames
	// Req is the requirement form; Assign the assignment form.
	Req    reqForm
	Assign tskAssignForm
	// LS is the team's learning objectives.
	LS lsTeam
}

// tskAssignForm is "assign learning to the team" as typed.
type tskAssignForm struct {
	ProgramID, DueDate, Key string
	FE                      FieldErrors
}

// gapSubject names what a requirement belongs to, with its page.
type gapSubject struct{ Title, Href string }

// reqForm is the form that adds a skill requirement to a subject, as typed.
type reqForm struct {
	// Subject is "type:id" when the form offers several subjects.
	Subject, SkillID, Level, Headcount string
	Essential                          bool
	Key                                string
	FE                                 FieldErrors
}

// newReqForm is an empty requirement form: one essential person.
func newReqForm() reqForm {
	return reqForm{Headcount: "1", Essential: true, Key: formKey()}
}

// readReqForm reads a posted requirement form into the use case's input;
// numbers that do not parse are noted in the form's errors.
func readReqForm(r *Request, subject learning.Subject) (reqForm, app.RequirementInput) {
	f := reqForm{Subject: r.PostFormValue("subject"), SkillID: r.PostFormValue("skill_id"), Level: strings.TrimSpace(r.PostFormValue("level")),
		Headcount: strings.TrimSpace(r.PostFormValue("headcount")), Essential: r.PostFormValue("essential") != "",
		Key: formKeyOf(r.Request), FE: FieldErrors{}}
	in := app.RequirementInput{Subject: subject, SkillID: f.SkillID, Essential: &f.Essential}
	if f.SkillID == "" {
		f.FE["skill_id"] = "choose the skill that is needed"
	}
	if n, err := strconv.Atoi(f.Level); err != nil {
		f.FE["level"] = "choose the level needed, a whole number like 3"
	} else {
		in.Level = n
	}
	if f.Headcount != "" {
		if n, err := strconv.Atoi(f.Headcount); err != nil {
			f.FE["headcount"] = "must be a whole number of people, like 2"
		} else {
			in.Headcount = &n
		}
	}
	return f, in
}

// mergeErrors adds a use case's field messages to the form's own,
// moving those about the subject to the form as a whole.
func mergeErrors(into FieldErrors, more FieldErrors) {
	for k, v := range more {
		if strings.HasPrefix(k, "subject") {
			k = "subject"
		}
		if _, seen := into[k]; !seen {
			into[k] = v
		}
	}
}

// teamSkills shows a team's skills page.
func (h *Handler) teamSkills(w http.ResponseWriter, r *Request) {
	h.tskRender(w, r, 0, nil, nil)
}

// tskRender renders the page; req and assign carry a form that could not
// be saved (nil: empty forms).
func (h *Handler) tskRender(w http.ResponseWriter, r *Request, status int, req *reqForm, assign *tskAssignForm) {
	t, err := h.app.GetTeam(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, "Skills of "+t.Name, "teams")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s.Crumbs = append(append([]Crumb{{Label: "Teams", Href: "/teams"}}, teamAncestors(d, t)...), Crumb{Label: t.Name, Href: "/teams/" + t.ID})
	v := tskView{S: s, D: d, Team: t, CanEdit: r.Actor.EditsAll() || slices.Contains(t.LeadIDs, r.Actor.UserID),
		Req: newReqForm(), Assign: tskAssignForm{Key: formKey()}}
	if req != nil {
		v.Req = *req
	}
	if assign != nil {
		v.Assign = *assign
	}
	if v.Rep, err = h.app.Gaps(r.Ctx(), r.Actor, app.GapQuery{Scope: "team:" + t.ID}); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.lrn, v.Skills, err = h.lrnLoadNames(r); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Programs, err = h.lrnPrograms(r, app.ProgramQuery{}); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Titles = programTitles(v.Programs)
	if v.Subjects, err = h.gapSubjects(r, d, v.Rep.Items); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.LS, err = h.lsLoadTeam(r, t.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, status, teamSkillsPage(v))
}

// programTitles maps program ids to their titles.
func programTitles(ps []learning.Program) map[string]string {
	out := make(map[string]string, len(ps))
	for _, p := range ps {
		out[p.ID] = p.Title
	}
	return out
}

// gapSubjects names the subjects of gaps: teams, objectives, key results
// and role profiles. A subject the reader may not see keeps no name.
func (h *Handler) gapSubjects(r *Request, d *directory, items []app.GapItem) (map[string]gapSubject, error) {
	out := map[string]gapSubject{}
	for _, g := range items {
		key := subjectKey(g.Subject)
		if _, ok := out[key]; ok {
			continue
		}
		var sv gapSubject
		switch g.Subject.Type {
		case learning.SubjectTeam:
			sv = gapSubject{Title: "team " + d.Team(g.Subject.ID).Name, Href: "/teams/" + g.Subject.ID + "/skills"}
		case learning.SubjectObjective:
			o, err := h.app.GetObjective(r.Ctx(), r.Actor, g.Subject.ID)
			if err != nil && !errs.Is(err, errs.NotFound) {
				return nil, err
			}
			if o.ID != "" {
				sv = gapSubject{Title: "objective “" + o.Title + "”", Href: "/objectives/" + o.ID + "#skills"}
			}
		case learning.SubjectKeyResult:
			k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, g.Subject.ID)
			if err != nil && !errs.Is(err, errs.NotFound) {
				return nil, err
			}
			if k.ID != "" {
				sv = gapSubject{Title: "key result “" + k.Title + "”", Href: "/objectives/" + k.ObjectiveID + "#skills"}
			}
		case learning.SubjectRole:
			ro, err := h.app.GetRole(r.Ctx(), r.Actor, g.Subject.ID)
			if err != nil && !errs.Is(err, errs.NotFound) {
				return nil, err
			}
			if ro.ID != "" {
				sv = gapSubject{Title: "role " + ro.Name}
				if r.Actor.IsAdmin() {
					sv.Href = "/admin/learning/roles/" + ro.ID
				}
			}
		}
		out[key] = sv
	}
	return out, nil
}

func subjectKey(s learning.Subject) string { return string(s.Type) + ":" + s.ID }

// tskAddRequirement adds a requirement to the team.
func (h *Handler) tskAddRequirement(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	f, in := readReqForm(r, learning.Subject{Type: learning.SubjectTeam, ID: id})
	if len(f.FE) == 0 {
		req, err := h.app.CreateRequirement(r.Ctx(), r.Actor, in, f.Key)
		if err == nil {
			h.redirect(w, r.Request, "/teams/"+id+"/skills#gaps", "The team now requires "+h.skillName(r, req.SkillID)+" at level "+strconv.Itoa(req.Level)+".")
			return
		}
		more, ok := fieldErrors(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		mergeErrors(f.FE, more)
	}
	h.tskRender(w, r, http.StatusUnprocessableEntity, &f, nil)
}

// skillName names a skill for a message ("the skill" when it cannot be read).
func (h *Handler) skillName(r *Request, id string) string {
	sk, err := h.app.GetSkill(r.Ctx(), r.Actor, id)
	if err != nil {
		return "the skill"
	}
	return "“" + sk.Name + "”"
}

// tskRemoveRequirement removes one of the team's requirements.
func (h *Handler) tskRemoveRequirement(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	req, err := h.app.GetRequirement(r.Ctx(), r.Actor, r.PathValue("req"))
	if err == nil && (req.Subject.Type != learning.SubjectTeam || req.Subject.ID != id) {
		err = errs.NotFoundf("skill requirement %s: not found", req.ID)
	}
	if err == nil {
		err = h.app.DeleteRequirement(r.Ctx(), r.Actor, req.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/teams/"+id+"/skills#gaps", "The team no longer requires "+h.skillName(r, req.SkillID)+".")
}

// tskAssign enrolls the team's people in a program.
func (h *Handler) tskAssign(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	f := tskAssignForm{ProgramID: r.PostFormValue("program_id"), DueDate: strings.TrimSpace(r.PostFormValue("due_date")),
		Key: formKeyOf(r.Request), FE: FieldErrors{}}
	if f.ProgramID == "" {
		f.FE["program_id"] = "choose the program to assign"
	} else {
		res, err := h.app.AssignToTeam(r.Ctx(), r.Actor, app.TeamAssignmentInput{TeamID: id, ProgramID: f.ProgramID,
			DueDate: okr.Date(f.DueDate)}, f.Key)
		if err == nil {
			d, err := h.directory(r)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			p, err := h.app.GetProgram(r.Ctx(), r.Actor, f.ProgramID)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			h.redirect(w, r.Request, "/teams/"+id+"/skills#assign", assignedMessage(d, p, res))
			return
		}
		more, ok := fieldErrors(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		mergeErrors(f.FE, more)
		if msg, ok := f.FE["team_id"]; ok {
			delete(f.FE, "team_id")
			f.FE[""] = strings.ToUpper(msg[:1]) + msg[1:] + "."
		}
	}
	h.tskRender(w, r, http.StatusUnprocessableEntity, nil, &f)
}

// assignedMessage says whom an assignment enrolled and whom it skipped.
func assignedMessage(d *directory, p learning.Program, res app.TeamAssignment) string {
	var enrolled []string
	for _, e := range res.Enrollments {
		enrolled = append(enrolled, e.UserID)
	}
	msg := ""
	if len(enrolled) == 0 {
		msg = "Nobody new was enrolled in “" + p.Title + "”."
	} else {
		msg = "Enrolled in “" + p.Title + "”: " + nameList(d, enrolled) + "."
	}
	if len(res.Skipped) > 0 {
		msg += " Skipped, already enrolled or passed: " + nameList(d, res.Skipped) + "."
	}
	return msg
}

// nameList names people, the first eight by name and the rest as a count.
func nameList(d *directory, ids []string) string {
	const shown = 8
	names := make([]string, 0, min(len(ids), shown))
	for _, id := range ids[:min(len(ids), shown)] {
		names = append(names, d.PersonName(id))
	}
	slices.Sort(names)
	s := strings.Join(names, ", ")
	if len(ids) > shown {
		s += " and " + strconv.Itoa(len(ids)-shown) + " more"
	}
	return s
}

// ---- what the page shows

// subtitle sums the page up: skills required, people, gaps.
func (v tskView) subtitle() string {
	gaps := 0
	for _, g := range v.Rep.Items {
		if g.Below > 0 {
			gaps++
		}
	}
	s := okr.Plural(len(v.Rep.Items), "skill requirement") + " · " + peopleCount(len(v.Rep.Heatmap.People))
	switch gaps {
	case 0:
		return s + " · no gaps"
	case 1:
		return s + " · 1 with people below the level"
	}
	return s + " · " + strconv.Itoa(gaps) + " with people below the level"
}

// ownRequirement reports whether a gap is one of the team's own requirements
// (the others belong to its objectives and key results).
func (v tskView) ownRequirement(g app.GapItem) bool {
	return g.Subject.Type == learning.SubjectTeam && g.Subject.ID == v.Team.ID
}

func (v tskView) subject(g app.GapItem) gapSubject { return v.Subjects[subjectKey(g.Subject)] }

// columnRequired is the highest level a heatmap column requires.
func (v tskView) columnRequired(col int) int {
	req := 0
	for _, row := range v.Rep.Heatmap.Cells {
		if col < len(row) {
			req = max(req, row[col].Required)
		}
	}
	return req
}

// heatClass colors a heatmap cell by its gap: none, 1, 2, 3 or more levels
// short, or not required.
func heatClass(c learning.HeatCell) string {
	switch {
	case c.Required == 0:
		return "heat heat-na"
	case c.Gap <= 0:
		return "heat heat-0"
	case c.Gap >= 3:
		return "heat heat-3"
	}
	return "heat heat-" + strconv.Itoa(c.Gap)
}

// heatWords says a cell in words for screen readers: "level 1, needs 3, 2 short".
func heatWords(c learning.HeatCell) string {
	if c.Required == 0 {
		return "level " + strconv.Itoa(c.Level) + ", not required"
	}
	s := "level " + strconv.Itoa(c.Level) + ", needs " + strconv.Itoa(c.Required)
	if c.Gap > 0 {
		return s + ", " + strconv.Itoa(c.Gap) + " short"
	}
	return s + ", at the level"
}

// deficit formats a mean deficit: "1.5 levels".
func deficit(x float64) string {
	if x == 1 {
		return "1 level"
	}
	return strconv.FormatFloat(float64(int(x*10+0.5))/10, 'f', -1, 64) + " levels"
}

// belowPeople are the people of a gap under the required level, lowest first.
func belowPeople(g app.GapItem) []learning.PersonLevel {
	var out []learning.PersonLevel
	for _, p := range g.People {
		if p.Level < p.Required {
			out = append(out, p)
		}
	}
	return out
}

// skillsByCategory groups skills for a select, categories by name and
// skills by name within them ("" last, as "Other").
func skillsByCategory(skills []learning.Skill) []skillGroup {
	idx := map[string]int{}
	var out []skillGroup
	for _, s := range skills {
		i, ok := idx[s.Category]
		if !ok {
			i = len(out)
			idx[s.Category] = i
			out = append(out, skillGroup{Category: s.Category})
		}
		out[i].Skills = append(out[i].Skills, s)
	}
	slices.SortFunc(out, func(a, b skillGroup) int {
		if (a.Category == "") != (b.Category == "") {
			if a.Category == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(strings.ToLower(a.Category), strings.ToLower(b.Category))
	})
	for _, g := range out {
		slices.SortFunc(g.Skills, func(a, b learning.Skill) int {
			return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		})
	}
	return out
}

// skillGroup is a category of skills in a select.
type skillGroup struct {
	Category string
	Skills   []learning.Skill
}

func (g skillGroup) label() string {
	if g.Category == "" {
		return "Other"
	}
	return g.Category
}
