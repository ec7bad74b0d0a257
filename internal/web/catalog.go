package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

// The learning catalog: programs filtered by skill and text, a program's
// page with its enrollments in sum and "Enroll me", and the admins' form
// to create and edit a program with the skills it teaches.

// catView is the catalog page.
type catView struct {
	S      *Shell
	Items  []catItem
	Skills []learning.Skill
	// Filters as asked.
	Query, SkillID string
	Archived       bool
	lrn            lrnNames
}

// catItem is a program with my enrollment in it (nil when I have none).
type catItem struct {
	P    learning.Program
	Mine *learning.Enrollment
}

// lrnNames knows the skills and scales the learning pages name.
type lrnNames struct {
	skills map[string]learning.Skill
	scales map[string]learning.Scale
}

// lrnTaught is a taught skill with its name and level name.
type lrnTaught struct {
	SkillID, Name, Level string
}

// taught names the skills a program teaches with their levels.
func (n lrnNames) taught(p learning.Program) []lrnTaught {
	out := make([]lrnTaught, 0, len(p.Skills))
	for _, ts := range p.Skills {
		sk, ok := n.skills[ts.SkillID]
		name := sk.Name
		if !ok || name == "" {
			name = "a removed skill"
		}
		out = append(out, lrnTaught{SkillID: ts.SkillID, Name: name, Level: skLevelText(lrnScaleOf(n.scales, sk.ScaleID), ts.Level)})
	}
	return out
}

// skillName names a skill ("a removed skill" when unknown).
func (n lrnNames) skillName(id string) string {
	if sk, ok := n.skills[id]; ok {
		return sk.Name
	}
	return "a removed skill"
}

// levelText is a level on a skill's scale: "3 · Competent".
func (n lrnNames) levelText(skillID string, level int) string {
	return skLevelText(lrnScaleOf(n.scales, n.skills[skillID].ScaleID), level)
}

// lrnLoadNames loads the skills and scales of the organization.
func (h *Handler) lrnLoadNames(r *Request) (lrnNames, []learning.Skill, error) {
	scales, err := h.lrnScales(r)
	if err != nil {
		return lrnNames{}, nil, err
	}
	all, byID, err := h.lrnSkillMap(r)
	if err != nil {
		return lrnNames{}, nil, err
	}
	return lrnNames{skills: byID, scales: scales}, all, nil
}

// catalog lists the programs, filtered by ?q= and ?skill=.
func (h *Handler) catalog(w http.ResponseWriter, r *Request) {
	s := h.shell(w, r, "Learning catalog", "learning")
	s.Crumbs = []Crumb{{Label: "Learning", Href: "/learning"}}
	q := r.URL.Query()
	v := catView{S: s, Query: strings.TrimSpace(q.Get("q")), SkillID: q.Get("skill"), Archived: q.Get("archived") == "1" && s.IsAdmin()}
	var err error
	if v.lrn, v.Skills, err = h.lrnLoadNames(r); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, ok := v.lrn.skills[v.SkillID]; !ok {
		v.SkillID = ""
	}
	ps, err := h.lrnPrograms(r, app.ProgramQuery{Query: v.Query, SkillID: v.SkillID, IncludeArchived: v.Archived})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	mine, err := s.MyEnrollments()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, p := range ps {
		v.Items = append(v.Items, catItem{P: p, Mine: catMyEnrollment(mine, p.ID)})
	}
	h.render(w, r.Request, 0, catalogPage(v))
}

// catMyEnrollment picks the enrollment that says where I stand in a
// program: an open one, else a passed one, else the latest.
func catMyEnrollment(es []learning.Enrollment, programID string) *learning.Enrollment {
	var open, passed, latest *learning.Enrollment
	for i := range es {
		e := &es[i]
		if e.ProgramID != programID {
			continue
		}
		switch {
		case !e.Done():
			open = e
		case e.PassedCompletion():
			passed = e
		}
		if latest == nil || e.Created.After(latest.Created) {
			latest = e
		}
	}
	switch {
	case open != nil:
		return open
	case passed != nil:
		return passed
	}
	return latest
}

// catSubtitle says how many programs show and what filters them.
func (v catView) subtitle() string {
	s := okr.Plural(len(v.Items), "program")
	if v.SkillID != "" {
		s += " teaching " + v.lrn.skillName(v.SkillID)
	}
	if v.Query != "" {
		s += " matching “" + v.Query + "”"
	}
	return s
}

// filtered reports whether a filter is on.
func (v catView) filtered() bool { return v.Query != "" || v.SkillID != "" || v.Archived }

// ---- a program's page

// catProgramView is a program's page.
type catProgramView struct {
	S      *Shell
	P      learning.Program
	Taught []lrnTaught
	// Stats sums up every enrollment in the program.
	Stats learning.ProgramStats
	// Feedback is what learners wrote, newest first.
	Feedback []learning.LearnerFeedback
	Mine     *learning.Enrollment
	Today    okr.Date
	Key      string
	Due      string
	Errors   FieldErrors
}

func (h *Handler) program(w http.ResponseWriter, r *Request) {
	h.renderProgram(w, r, 0, FieldErrors{}, "")
}

// renderProgram renders a program's page with the enroll form's errors.
func (h *Handler) renderProgram(w http.ResponseWriter, r *Request, status int, fe FieldErrors, due string) {
	p, err := h.app.GetProgram(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, p.Title, "learning")
	s.Crumbs = []Crumb{{Label: "Learning", Href: "/learning"}, {Label: "Catalog", Href: "/learning/catalog"}}
	names, _, err := h.lrnLoadNames(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	es, err := h.lrnEnrollments(r, app.EnrollmentQuery{ProgramID: p.ID})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := catProgramView{S: s, P: p, Taught: names.taught(p), Today: lrnToday(s), Key: formKey(), Due: due, Errors: fe}
	if st := learning.ProgramAnalytics([]learning.Program{p}, es); len(st) == 1 {
		v.Stats = st[0]
	}
	var mine []learning.Enrollment
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		if e.UserID == r.Actor.UserID {
			mine = append(mine, e)
		}
		if e.Feedback != nil && strings.TrimSpace(e.Feedback.Text) != "" {
			v.Feedback = append(v.Feedback, *e.Feedback)
		}
	}
	v.Feedback = v.Feedback[:min(len(v.Feedback), 6)]
	v.Mine = catMyEnrollment(mine, p.ID)
	h.render(w, r.Request, status, programPage(v))
}

// canEnroll: I may enroll unless I am in it or passed it, or it is archived.
func (v catProgramView) canEnroll() bool {
	return !v.P.Archived && canWrite(v.S) && (v.Mine == nil || v.Mine.Done() && !v.Mine.PassedCompletion())
}

// catEnroll enrolls the signed-in person in a program.
func (h *Handler) catEnroll(w http.ResponseWriter, r *Request) {
	_ = r.ParseForm()
	due := strings.TrimSpace(r.PostFormValue("due_date"))
	e, err := h.app.Enroll(r.Ctx(), r.Actor, app.EnrollmentInput{UserID: r.Actor.UserID, ProgramID: r.PathValue("id"),
		DueDate: okr.Date(due)}, formKeyOf(r.Request))
	if fe, ok := fieldErrors(err); ok {
		status := http.StatusUnprocessableEntity
		if errs.Is(err, errs.Conflict) {
			status = http.StatusConflict
		}
		h.renderProgram(w, r, status, fe, due)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.app.GetProgram(r.Ctx(), r.Actor, e.ProgramID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/learning#enrollment-"+e.ID, "You are enrolled in "+p.Title+". It is in your learning plan.")
}

// ---- the program form (admins)

// catForm is the program form's input, errors and choices.
type catForm struct {
	S *Shell
	// ID is empty for a new program.
	ID, Title, Description, Kind, Provider, ExternalID, URL string
	Hours, PassMark, CostAmount, CostCurrency               string
	Archived                                                bool
	Version                                                 int
	Rows                                                    []catRow
	Key                                                     string
	Errors                                                  FieldErrors
	Skills                                                  []learning.Skill
	lrn                                                     lrnNames
}

// catRow is one taught-skill row of the form.
type catRow struct{ SkillID, Level string }

// catBlankRows is how many empty taught-skill rows the form offers.
const catBlankRows = 2

func (f catForm) action() string {
	if f.ID == "" {
		return "/learning/programs"
	}
	return "/learning/programs/" + f.ID + "/edit"
}

// catRowField is the use case's name of a taught skill's field.
func catRowField(i int, name string) string { return fmt.Sprintf("skills[%d].%s", i, name) }

// renderProgramForm renders the new or edit form.
func (h *Handler) renderProgramForm(w http.ResponseWriter, r *Request, status int, f catForm) {
	if !r.Actor.IsAdmin() {
		h.fail(w, r, errs.E(errs.Forbidden, "only admins change the learning catalog"))
		return
	}
	title := "New program"
	if f.ID != "" {
		title = "Edit " + f.Title
	}
	s := h.shell(w, r, title, "learning")
	s.Crumbs = []Crumb{{Label: "Learning", Href: "/learning"}, {Label: "Catalog", Href: "/learning/catalog"}}
	if f.ID != "" {
		s.Crumbs = append(s.Crumbs, Crumb{Label: f.Title, Href: "/learning/programs/" + f.ID})
	}
	var err error
	if f.lrn, f.Skills, err = h.lrnLoadNames(r); err != nil {
		h.fail(w, r, err)
		return
	}
	f.S = s
	if f.Errors == nil {
		f.Errors = FieldErrors{}
	}
	for range catBlankRows {
		f.Rows = append(f.Rows, catRow{Level: "3"})
	}
	h.render(w, r.Request, status, programFormPage(f))
}

func (h *Handler) catNewProgram(w http.ResponseWriter, r *Request) {
	h.renderProgramForm(w, r, 0, catForm{Kind: string(learning.KindCourse), Key: formKey()})
}

func (h *Handler) catEditProgram(w http.ResponseWriter, r *Request) {
	p, err := h.app.GetProgram(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := catForm{ID: p.ID, Title: p.Title, Description: p.Description, Kind: string(p.Kind), Provider: p.Provider,
		ExternalID: p.ExternalID, URL: p.URL, Hours: formNumberPtr(p.Hours), PassMark: formNumberPtr(p.PassMark),
		Archived: p.Archived, Version: p.Version}
	if p.Cost != nil {
		f.CostAmount, f.CostCurrency = p.Cost.Amount, p.Cost.Currency
	}
	for _, ts := range p.Skills {
		f.Rows = append(f.Rows, catRow{SkillID: ts.SkillID, Level: strconv.Itoa(ts.Level)})
	}
	h.renderProgramForm(w, r, 0, f)
}

// catFormInput reads the program form; what is not a number is noted in Errors.
func catFormInput(r *Request) (catForm, app.ProgramInput) {
	_ = r.ParseForm()
	f := catForm{Title: r.PostFormValue("title"), Description: strings.TrimSpace(r.PostFormValue("description")),
		Kind: r.PostFormValue("kind"), Provider: strings.TrimSpace(r.PostFormValue("provider")),
		ExternalID: strings.TrimSpace(r.PostFormValue("external_id")), URL: strings.TrimSpace(r.PostFormValue("url")),
		Hours: strings.TrimSpace(r.PostFormValue("hours")), PassMark: strings.TrimSpace(r.PostFormValue("pass_mark")),
		CostAmount: strings.TrimSpace(r.PostFormValue("cost_amount")), CostCurrency: strings.TrimSpace(r.PostFormValue("cost_currency")),
		Archived: r.PostFormValue("archived") == "1", Key: formKeyOf(r.Request), Errors: FieldErrors{}}
	in := app.ProgramInput{Title: f.Title, Description: f.Description, Kind: learning.ProgramKind(f.Kind), Provider: f.Provider,
		ExternalID: f.ExternalID, URL: f.URL, Skills: []learning.TaughtSkill{}}
	in.Hours = formNumberField(r.Request, "hours", f.Errors)
	in.PassMark = formNumberField(r.Request, "pass_mark", f.Errors)
	if f.CostAmount != "" || f.CostCurrency != "" {
		in.Cost = &okr.Money{Amount: strings.ReplaceAll(f.CostAmount, ",", ""), Currency: f.CostCurrency}
	}
	ids, levels := r.PostForm["skill_id"], r.PostForm["skill_level"]
	for i, id := range ids {
		row := catRow{SkillID: strings.TrimSpace(id)}
		if i < len(levels) {
			row.Level = strings.TrimSpace(levels[i])
		}
		if row.SkillID == "" {
			continue
		}
		f.Rows = append(f.Rows, row)
		level, err := strconv.Atoi(row.Level)
		if err != nil {
			f.Errors[catRowField(len(f.Rows)-1, "level")] = "must be a whole number, like 3"
		}
		in.Skills = append(in.Skills, learning.TaughtSkill{SkillID: row.SkillID, Level: level})
	}
	return f, in
}

// catFormErrors keeps the use case's messages under the form's names.
func catFormErrors(fe FieldErrors) FieldErrors {
	out := FieldErrors{}
	for k, msg := range fe {
		switch k {
		case "cost.amount", "cost.currency":
			k = strings.Replace(k, ".", "_", 1)
		}
		out[k] = msg
	}
	return out
}

func (h *Handler) catCreateProgram(w http.ResponseWriter, r *Request) {
	f, in := catFormInput(r)
	if len(f.Errors) > 0 {
		h.renderProgramForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	p, err := h.app.CreateProgram(r.Ctx(), r.Actor, in, f.Key)
	if fe, ok := fieldErrors(err); ok {
		f.Errors, f.Key = catFormErrors(fe), formKey()
		h.renderProgramForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/learning/programs/"+p.ID, p.Title+" is in the catalog.")
}

func (h *Handler) catUpdateProgram(w http.ResponseWriter, r *Request) {
	f, in := catFormInput(r)
	f.ID = r.PathValue("id")
	version := formVersion(r.Request)
	if version != nil {
		f.Version = *version
	}
	if len(f.Errors) > 0 {
		h.renderProgramForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	kind := learning.ProgramKind(f.Kind)
	p, err := h.app.UpdateProgram(r.Ctx(), r.Actor, f.ID, version, app.ProgramUpdate{Title: &in.Title,
		Description: &in.Description, Kind: &kind, Provider: &in.Provider, ExternalID: &in.ExternalID, URL: &in.URL,
		Hours: in.Hours, Cost: in.Cost, Skills: &in.Skills, PassMark: in.PassMark, Archived: &f.Archived})
	if formIsStale(err) {
		f.Errors = FieldErrors{"": formStaleMessage("program")}
		h.renderProgramForm(w, r, http.StatusPreconditionFailed, f)
		return
	}
	if fe, ok := fieldErrors(err); ok {
		f.Errors = catFormErrors(fe)
		h.renderProgramForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/learning/programs/"+p.ID, p.Title+" is saved.")
}

// ---- what the catalog shows

// catKindWord names a program kind for people.
func catKindWord(k learning.ProgramKind) string {
	switch k {
	case learning.KindCourse:
		return "Course"
	case learning.KindELearning:
		return "E-learning"
	case learning.KindWorkshop:
		return "Workshop"
	case learning.KindMentorship:
		return "Mentorship"
	case learning.KindCoaching:
		return "Coaching"
	case learning.KindCertification:
		return "Certification"
	case learning.KindOnTheJob:
		return "On-the-job project"
	}
	return string(k)
}

// catHours is "12 h".
func catHours(h float64) string { return number(h) + " h" }

// catCost is "EUR 1,200.00" (or "free" for zero).
func catCost(m *okr.Money) string {
	if m == nil {
		return ""
	}
	x, err := strconv.ParseFloat(m.Amount, 64)
	if err != nil {
		return strings.TrimSpace(m.Currency + " " + m.Amount)
	}
	if x == 0 {
		return "free"
	}
	return strings.TrimSpace(m.Currency + " " + number(x))
}

// catPassMark is "pass mark 70", or "no pass mark".
func catPassMark(p learning.Program) string {
	if p.PassMark == nil {
		return "no pass mark"
	}
	return "pass mark " + number(*p.PassMark)
}

// catTaughtLevel is the level a program teaches a skill to (0 when it does not).
func catTaughtLevel(p learning.Program, skillID string) int {
	for _, ts := range p.Skills {
		if ts.SkillID == skillID {
			return ts.Level
		}
	}
	return 0
}

// lrnStatusWord names an enrollment status for people.
func lrnStatusWord(s learning.EnrollmentStatus) string {
	switch s {
	case learning.Assigned:
		return "Assigned"
	case learning.InProgress:
		return "In progress"
	case learning.Completed:
		return "Completed"
	case learning.Failed:
		return "Not passed"
	case learning.Withdrawn:
		return "Withdrawn"
	}
	return string(s)
}

// lrnStatusText is where an enrollment stands, in words: "Completed, passed".
func lrnStatusText(e learning.Enrollment) string {
	if e.Status == learning.Completed && e.Passed != nil && *e.Passed {
		return "Completed and passed"
	}
	return lrnStatusWord(e.Status)
}

// catRating says what a mean rating is out of and how many make it: "of 5 · 12 ratings".
func catRating(s learning.ProgramStats) string {
	if s.MeanRating == nil {
		return "No ratings yet"
	}
	return "of 5 · " + okr.Plural(s.Ratings, "rating")
}

// catKinds are the program kinds in the form's order.
func catKinds() []learning.ProgramKind { return learning.ProgramKinds }

// lrnPassSource is the source a passed completion asserts the taught levels with.
func lrnPassSource(p learning.Program) string {
	if p.Kind == learning.KindCertification {
		return "certification"
	}
	return "learning completion"
}

// lrnStars draws a rating (1–5) as stars; the element around it carries the words.
func lrnStars(n int) string {
	n = max(0, min(5, n))
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}
