package web

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

// My learning plan: my enrollments (open ones with due dates and overdue
// flags first, then the finished ones), what they build, and an
// enrollment's page with the progress form, completion and the learner's
// feedback; and the "learning due" card of Home.

// lpItem is one of my enrollments with its program.
type lpItem struct {
	E       learning.Enrollment
	P       learning.Program
	Overdue bool
}

// lpView is my learning plan.
type lpView struct {
	S     *Shell
	D     *directory
	Today okr.Date
	Now   time.Time
	// Open are assigned and in-progress enrollments: overdue first, then by due date.
	Open []lpItem
	// Done are completed, failed and withdrawn ones, latest first.
	Done []lpItem
	// Builds are the skills my open enrollments teach, with my level now.
	Builds []lpBuild
	// Plan holds my learning objectives and my teams'.
	Plan app.LearningPlan
	// Serves names the key results and objectives the learning objectives serve, by id.
	Serves map[string]lpServes
	lrn    lrnNames
}

// lpServes is what a learning objective serves: a key result (with its
// objective) or an objective.
type lpServes struct {
	Title string
	Href  string
}

// lpBuild is a skill my open learning teaches: my level now and the level
// my programs take me to.
type lpBuild struct {
	SkillID  string
	Name     string
	Now, To  string
	Level    int
	Target   int
	Programs []string
}

// lpMine gives my enrollments (as the frame read them) their programs,
// sorted as the plan shows them.
func (h *Handler) lpMine(r *Request, s *Shell, today okr.Date) (open, done []lpItem, err error) {
	es, err := s.MyEnrollments()
	if err != nil {
		return nil, nil, err
	}
	programs := map[string]learning.Program{}
	for _, e := range es {
		p, ok := programs[e.ProgramID]
		if !ok {
			if p, err = h.app.GetProgram(r.Ctx(), r.Actor, e.ProgramID); err != nil {
				return nil, nil, err
			}
			programs[e.ProgramID] = p
		}
		it := lpItem{E: e, P: p, Overdue: !e.Done() && e.DueDate != "" && e.DueDate < today}
		if e.Done() {
			done = append(done, it)
		} else {
			open = append(open, it)
		}
	}
	slices.SortStableFunc(open, lpByDue)
	slices.SortStableFunc(done, func(a, b lpItem) int { return lpEnded(b.E).Compare(lpEnded(a.E)) })
	return open, done, nil
}

// lpByDue orders open enrollments: by due date (none last), then title.
func lpByDue(a, b lpItem) int {
	switch {
	case a.E.DueDate == "" && b.E.DueDate != "":
		return 1
	case a.E.DueDate != "" && b.E.DueDate == "":
		return -1
	}
	return cmp.Or(cmp.Compare(a.E.DueDate, b.E.DueDate), cmp.Compare(strings.ToLower(a.P.Title), strings.ToLower(b.P.Title)))
}

// lpEnded is when an enrollment ended (its last change when it has no completion time).
func lpEnded(e learning.Enrollment) time.Time {
	if e.Completed != nil {
		return *e.Completed
	}
	return e.Updated
}

// learningPlan shows my learning plan.
func (h *Handler) learningPlan(w http.ResponseWriter, r *Request) {
	s := h.shell(w, r, "My learning", "learning")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := lpView{S: s, D: d, Now: time.Now(), Serves: map[string]lpServes{}}
	if v.Plan, err = h.app.MyLearningPlan(r.Ctx(), r.Actor, r.Actor.UserID); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Today = v.Plan.Today
	if v.lrn, _, err = h.lrnLoadNames(r); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Open, v.Done, err = h.lpMine(r, s, v.Today); err != nil {
		h.fail(w, r, err)
		return
	}
	us, err := h.app.UserSkills(r.Ctx(), r.Actor, r.Actor.UserID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Builds = lpBuilds(v.lrn, v.Open, us)
	for _, o := range v.Plan.Objectives {
		if err := h.lpServed(r, o.LearningObjective, v.Serves); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r.Request, 0, learningPlanPage(v))
}

// lpServed names the key result or objective a learning objective serves.
func (h *Handler) lpServed(r *Request, l learning.LearningObjective, into map[string]lpServes) error {
	switch {
	case l.KeyResultID != "":
		if _, ok := into[l.KeyResultID]; ok {
			return nil
		}
		k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, l.KeyResultID)
		if errs.Is(err, errs.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		into[l.KeyResultID] = lpServes{Title: k.Title, Href: "/objectives/" + k.ObjectiveID + "#kr-" + k.ID}
	case l.ObjectiveID != "":
		if _, ok := into[l.ObjectiveID]; ok {
			return nil
		}
		o, err := h.app.GetObjective(r.Ctx(), r.Actor, l.ObjectiveID)
		if errs.Is(err, errs.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		into[l.ObjectiveID] = lpServes{Title: o.Title, Href: "/objectives/" + o.ID}
	}
	return nil
}

// serves is what a learning objective serves (zero when nothing visible).
func (v lpView) serves(o app.PlanObjective) lpServes {
	if o.KeyResultID != "" {
		return v.Serves[o.KeyResultID]
	}
	return v.Serves[o.ObjectiveID]
}

// lpGapText says how far a learning objective is from its target.
func lpGapText(o app.PlanObjective) string {
	if o.Reached {
		return "reached"
	}
	return okr.Plural(o.Gap, "level") + " to go"
}

// lpGoalSteps are a learning objective's levels up to the target, filled
// up to the current level.
func lpGoalSteps(o app.PlanObjective) []skStep {
	out := make([]skStep, max(0, o.TargetLevel))
	for i := range out {
		out[i].On = i < o.CurrentLevel
	}
	return out
}

// lrnOr is s, or alt when s is empty.
func lrnOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// lpObjectiveDue says when a learning objective is due.
func lpObjectiveDue(o app.PlanObjective) string {
	switch {
	case o.DueDate == "":
		return "no due date"
	case o.Overdue:
		return "was due " + day(o.DueDate)
	}
	return "due " + day(o.DueDate)
}

// lpBuilds lists the skills my open enrollments teach, my level now and the
// highest level they teach, by skill name.
func lpBuilds(n lrnNames, open []lpItem, us []app.UserSkill) []lpBuild {
	level := map[string]int{}
	for _, u := range us {
		level[u.Skill.ID] = u.EffectiveLevel
	}
	by := map[string]*lpBuild{}
	var out []*lpBuild
	for _, it := range open {
		for _, ts := range it.P.Skills {
			b := by[ts.SkillID]
			if b == nil {
				b = &lpBuild{SkillID: ts.SkillID, Name: n.skillName(ts.SkillID), Level: level[ts.SkillID]}
				by[ts.SkillID] = b
				out = append(out, b)
			}
			b.Target = max(b.Target, ts.Level)
			b.Programs = append(b.Programs, it.P.Title)
		}
	}
	res := make([]lpBuild, 0, len(out))
	for _, b := range out {
		b.Now, b.To = n.levelText(b.SkillID, b.Level), n.levelText(b.SkillID, b.Target)
		res = append(res, *b)
	}
	slices.SortFunc(res, func(a, b lpBuild) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return res
}

// overdue counts the overdue open enrollments.
func (v lpView) overdue() int {
	n := 0
	for _, it := range v.Open {
		if it.Overdue {
			n++
		}
	}
	return n
}

func (v lpView) subtitle() string {
	s := okr.Plural(len(v.Open), "open enrollment")
	if n := v.overdue(); n > 0 {
		s += " · " + strconv.Itoa(n) + " overdue"
	}
	return s + " · " + strconv.Itoa(lpCompleted(v.Done)) + " completed"
}

// lpCompleted counts completions.
func lpCompleted(items []lpItem) int {
	n := 0
	for _, it := range items {
		if it.E.Status == learning.Completed {
			n++
		}
	}
	return n
}

// ---- an enrollment's page and its forms

// lpEnrollView is an enrollment's page.
type lpEnrollView struct {
	S       *Shell
	D       *directory
	Item    lpItem
	Taught  []lrnTaught
	Learner bool
	Today   okr.Date
	Form    lpForm
	FB      lpFeedbackForm
}

// lpForm is the progress form's input and errors.
type lpForm struct {
	Status, Progress, Hours, Score, Due string
	Errors                              FieldErrors
}

// lpFeedbackForm is the learner's feedback form.
type lpFeedbackForm struct {
	Rating, Text string
	Errors       FieldErrors
}

func (h *Handler) enrollment(w http.ResponseWriter, r *Request) {
	h.renderEnrollment(w, r, 0, nil, nil)
}

// renderEnrollment renders an enrollment's page; a nil form shows the
// enrollment as stored.
func (h *Handler) renderEnrollment(w http.ResponseWriter, r *Request, status int, f *lpForm, fb *lpFeedbackForm) {
	e, err := h.app.GetEnrollment(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.app.GetProgram(r.Ctx(), r.Actor, e.ProgramID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, p.Title, "learning")
	s.Crumbs = []Crumb{{Label: "Learning", Href: "/learning"}}
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	names, _, err := h.lrnLoadNames(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	today := lrnToday(s)
	v := lpEnrollView{S: s, D: d, Item: lpItem{E: e, P: p, Overdue: !e.Done() && e.DueDate != "" && e.DueDate < today},
		Taught: names.taught(p), Learner: e.UserID == r.Actor.UserID, Today: today}
	if !v.Learner {
		s.Title = p.Title + ": " + d.PersonName(e.UserID)
	}
	if f != nil {
		v.Form = *f
	} else {
		v.Form = lpFormOf(e)
	}
	if fb != nil {
		v.FB = *fb
	} else if e.Feedback != nil {
		v.FB = lpFeedbackForm{Rating: strconv.Itoa(e.Feedback.Rating), Text: e.Feedback.Text}
	}
	if v.Form.Errors == nil {
		v.Form.Errors = FieldErrors{}
	}
	if v.FB.Errors == nil {
		v.FB.Errors = FieldErrors{}
	}
	h.render(w, r.Request, status, enrollmentPage(v))
}

// mayUpdate: the learner, admins and whoever assigned it get the progress
// form (the use case decides what each may change).
func (v lpEnrollView) mayUpdate() bool {
	return v.Learner || v.S.IsAdmin() || v.Item.E.AssignedBy == v.S.Me.User.ID
}

// lpFormOf fills the progress form from an enrollment.
func lpFormOf(e learning.Enrollment) lpForm {
	f := lpForm{Status: string(e.Status), Progress: strconv.Itoa(int(math.Round(e.Progress * 100))),
		Hours: formNumberPtr(e.Hours), Score: formNumberPtr(e.Score), Due: string(e.DueDate)}
	return f
}

// lpUpdate saves the progress form: status, progress, hours (and, for
// whoever oversees the learning, score and due date).
func (h *Handler) lpUpdate(w http.ResponseWriter, r *Request) {
	_ = r.ParseForm()
	f := lpForm{Status: r.PostFormValue("status"), Progress: strings.TrimSpace(r.PostFormValue("progress")),
		Hours: strings.TrimSpace(r.PostFormValue("hours")), Score: strings.TrimSpace(r.PostFormValue("score")),
		Due: strings.TrimSpace(r.PostFormValue("due_date")), Errors: FieldErrors{}}
	var in app.EnrollmentUpdate
	if f.Status != "" {
		st := learning.EnrollmentStatus(f.Status)
		in.Status = &st
	}
	if x := formNumberField(r.Request, "progress", f.Errors); x != nil {
		if *x < 0 || *x > 100 {
			f.Errors["progress"] = "must be a percentage from 0 to 100"
		} else {
			share := *x / 100
			in.Progress = &share
		}
	}
	in.Hours = formNumberField(r.Request, "hours", f.Errors)
	if _, ok := r.PostForm["score"]; ok {
		in.Score = formNumberField(r.Request, "score", f.Errors)
	}
	if _, ok := r.PostForm["due_date"]; ok {
		due := okr.Date(f.Due)
		in.DueDate = &due
	}
	if len(f.Errors) > 0 {
		h.renderEnrollment(w, r, http.StatusUnprocessableEntity, &f, nil)
		return
	}
	e, err := h.app.UpdateEnrollment(r.Ctx(), r.Actor, r.PathValue("id"), formVersion(r.Request), in)
	if formIsStale(err) {
		f.Errors[""] = formStaleMessage("enrollment")
		h.renderEnrollment(w, r, http.StatusPreconditionFailed, &f, nil)
		return
	}
	if fe, ok := fieldErrors(err); ok {
		f.Errors = fe
		h.renderEnrollment(w, r, http.StatusUnprocessableEntity, &f, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.lpDone(w, r, e, "Progress saved: "+lrnStatusText(e)+", "+pct(e.Progress)+".")
}

// lpComplete marks an enrollment completed.
func (h *Handler) lpComplete(w http.ResponseWriter, r *Request) {
	st := learning.Completed
	e, err := h.app.UpdateEnrollment(r.Ctx(), r.Actor, r.PathValue("id"), formVersion(r.Request), app.EnrollmentUpdate{Status: &st})
	if formIsStale(err) {
		h.renderEnrollment(w, r, http.StatusPreconditionFailed, &lpForm{Errors: FieldErrors{"": formStaleMessage("enrollment")}}, nil)
		return
	}
	if fe, ok := fieldErrors(err); ok {
		h.renderEnrollment(w, r, http.StatusUnprocessableEntity, &lpForm{Errors: fe}, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	msg := "Completed. How was it? Rate it below."
	if e.Status == learning.Failed {
		msg = "Recorded as not passed."
	}
	h.redirect(w, r.Request, "/learning/enrollments/"+e.ID+"#feedback", msg)
}

// lpFeedback saves the learner's rating and words.
func (h *Handler) lpFeedback(w http.ResponseWriter, r *Request) {
	_ = r.ParseForm()
	fb := lpFeedbackForm{Rating: r.PostFormValue("rating"), Text: strings.TrimSpace(r.PostFormValue("text")), Errors: FieldErrors{}}
	rating, err := strconv.Atoi(fb.Rating)
	if err != nil {
		fb.Errors["feedback.rating"] = "choose a rating from 1 to 5"
		h.renderEnrollment(w, r, http.StatusUnprocessableEntity, nil, &fb)
		return
	}
	e, err := h.app.UpdateEnrollment(r.Ctx(), r.Actor, r.PathValue("id"), formVersion(r.Request),
		app.EnrollmentUpdate{Feedback: &learning.LearnerFeedback{Rating: rating, Text: fb.Text}})
	if formIsStale(err) {
		fb.Errors[""] = formStaleMessage("enrollment")
		h.renderEnrollment(w, r, http.StatusPreconditionFailed, nil, &fb)
		return
	}
	if fe, ok := fieldErrors(err); ok {
		fb.Errors = fe
		h.renderEnrollment(w, r, http.StatusUnprocessableEntity, nil, &fb)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/learning/enrollments/"+e.ID, "Thank you: your rating is saved.")
}

// lpDone answers a saved enrollment: back to the plan when the form came
// from there, else to the enrollment.
func (h *Handler) lpDone(w http.ResponseWriter, r *Request, e learning.Enrollment, msg string) {
	to := "/learning/enrollments/" + e.ID
	if r.PostFormValue("back") == "plan" {
		to = "/learning#enrollment-" + e.ID
	}
	h.redirect(w, r.Request, to, msg)
}

// lpLearnerCompletes reports whether the learner may mark the program
// completed: programs with a pass mark and certifications are completed by
// their assessment (the LMS, an admin or whoever assigned them).
func lpLearnerCompletes(p learning.Program) bool {
	return p.PassMark == nil && p.Kind != learning.KindCertification
}

// lpStatusChoices are the statuses the progress form offers.
func lpStatusChoices(p learning.Program, overseer bool) []learning.EnrollmentStatus {
	out := []learning.EnrollmentStatus{learning.Assigned, learning.InProgress}
	if overseer || lpLearnerCompletes(p) {
		out = append(out, learning.Completed)
	}
	if overseer {
		out = append(out, learning.Failed)
	}
	return append(out, learning.Withdrawn)
}

// lpDueText says when an enrollment is due: "due 3 Mar 2026", "was due …".
func lpDueText(it lpItem) string {
	switch {
	case it.E.DueDate == "":
		return "no due date"
	case it.Overdue:
		return "was due " + day(it.E.DueDate)
	}
	return "due " + day(it.E.DueDate)
}

// lpFeedbackOpen reports whether the learner may leave feedback: once the
// enrollment has ended with a completion or a failure.
func lpFeedbackOpen(e learning.Enrollment) bool {
	return e.Status == learning.Completed || e.Status == learning.Failed
}

// lpRatingWords name the ratings of the feedback form.
var lpRatingWords = []string{"Poor", "Fair", "Good", "Very good", "Excellent"}

// ---- Home

// lpDue is Home's "learning due": my next open enrollments.
type lpDue struct {
	Items []lpItem
	// Open counts all my open enrollments.
	Open int
}

// lpDueSoon returns my next n open enrollments by due date.
func (h *Handler) lpDueSoon(r *Request, s *Shell, n int) (lpDue, error) {
	open, _, err := h.lpMine(r, s, lrnToday(s))
	if err != nil {
		return lpDue{}, err
	}
	return lpDue{Items: open[:min(n, len(open))], Open: len(open)}, nil
}
