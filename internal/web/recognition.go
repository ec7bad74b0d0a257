package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

// Lessons, kudos and celebrations: the lessons library (search, a lesson's
// page, the write and edit forms), the kudos page (give kudos, the
// celebration feed), the Home card, the objective page's lessons and the
// kudos on a person's page.

func (h *Handler) recognitionRoutes() {
	m := h.mux
	m.HandleFunc("GET /lessons", h.signedIn(h.lessons))
	m.HandleFunc("GET /lessons/new", h.signedIn(h.recNewLesson))
	m.HandleFunc("POST /lessons", h.signedIn(h.recCreateLesson))
	m.HandleFunc("GET /lessons/{id}", h.signedIn(h.lesson))
	m.HandleFunc("GET /lessons/{id}/edit", h.signedIn(h.recEditLesson))
	m.HandleFunc("POST /lessons/{id}/edit", h.signedIn(h.recUpdateLesson))
	m.HandleFunc("POST /lessons/{id}/delete", h.signedIn(h.recDeleteLesson))
	m.HandleFunc("POST /lessons/{id}/helpful", h.signedIn(h.recHelpful))
	m.HandleFunc("GET /kudos", h.signedIn(h.kudos))
	m.HandleFunc("POST /kudos", h.signedIn(h.recGiveKudos))
	m.HandleFunc("POST /kudos/{id}/delete", h.signedIn(h.recDeleteKudos))
	m.HandleFunc("GET /people/{id}/review", h.signedIn(h.packet))
}

// ---- the feed

// recFeed is a list of celebrations with what names them.
type recFeed struct {
	S     *Shell
	D     *directory
	Items []okr.Celebration
	// Kudos by id, for the ones the reader may remove.
	Next string
}

// celebrationWho names whom an entry celebrates: a person, else a team.
func (f recFeed) whoHref(c okr.Celebration) (string, string) {
	switch {
	case c.UserID != "":
		return f.D.PersonName(c.UserID), "/people/" + c.UserID
	case c.TeamID != "":
		return f.D.Team(c.TeamID).Name, "/teams/" + c.TeamID
	}
	return f.S.Me.Org.Name, "/alignment"
}

// verb says what happened, after the name of whom it celebrates.
func celebrationVerb(c okr.Celebration) string {
	switch c.Kind {
	case okr.KeyResultReached:
		return "reached the key result"
	case okr.ObjectiveAchieved:
		return "achieved the objective"
	case okr.CertificationPassed:
		return "passed the certification"
	case okr.SkillLevelGained:
		return "reached level " + strconv.Itoa(c.Level) + " in"
	}
	return "received kudos"
}

// celebrationIcon is an entry's mark, hidden from screen readers (the
// sentence says it).
func celebrationIcon(k okr.CelebrationKind) string {
	switch k {
	case okr.KeyResultReached:
		return "✔"
	case okr.ObjectiveAchieved:
		return "★"
	case okr.CertificationPassed:
		return "✪"
	case okr.SkillLevelGained:
		return "↑"
	}
	return "♥"
}

// celebrationHref links an entry's subject.
func celebrationHref(c okr.Celebration) string {
	switch c.SubjectType {
	case "key_result":
		return "/objectives/" + c.ObjectiveID + "#kr-" + c.SubjectID
	case "objective":
		return "/objectives/" + c.SubjectID
	case "skill":
		return "/skills/" + c.SubjectID
	case "enrollment":
		return "/learning/enrollments/" + c.SubjectID
	}
	if c.ObjectiveID != "" {
		return "/objectives/" + c.ObjectiveID
	}
	return ""
}

// mayRemove says whether the reader may remove a kudos entry.
func (f recFeed) mayRemove(c okr.Celebration) bool {
	return c.Kind == okr.KudosGiven && canWrite(f.S) && (c.ActorID == f.S.Me.User.ID || f.S.IsAdmin())
}

func (h *Handler) recLoadFeed(r *Request, s *Shell, d *directory, q app.CelebrationQuery) (recFeed, error) {
	page, err := h.app.ListCelebrations(r.Ctx(), r.Actor, q)
	return recFeed{S: s, D: d, Items: page.Items, Next: page.NextCursor}, err
}

// recHomeLoad is Home's Celebrations card: the latest few entries.
func (h *Handler) recHomeLoad(r *Request, s *Shell, d *directory) recFeed {
	f, err := h.recLoadFeed(r, s, d, app.CelebrationQuery{PageRequest: app.PageRequest{Limit: 5}})
	if err != nil {
		h.log.Warn("home: celebrations", "err", err)
	}
	f.Next = ""
	return f
}

// ---- kudos page

// recKudosForm is "give kudos" as typed.
type recKudosForm struct {
	To, About, Message, Key string
	FE                      FieldErrors
}

// recAbout is an objective or key result kudos may be about.
type recAbout struct{ Value, Label string }

// recKudosView is the kudos page: the form and the feed.
type recKudosView struct {
	S     *Shell
	D     *directory
	F     recKudosForm
	About []recAbout
	Feed  recFeed
	Kind  string
}

// recAboutChoices are the objectives and key results of the period shown
// that kudos may be about.
func (h *Handler) recAboutChoices(r *Request, s *Shell) ([]recAbout, error) {
	var out []recAbout
	if s.Period.ID == "" {
		return out, nil
	}
	objs, err := h.app.ListObjectives(r.Ctx(), r.Actor, app.ObjectiveQuery{PeriodID: s.Period.ID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		return nil, err
	}
	krs, err := h.keyResultsOf(r, app.KeyResultQuery{PeriodID: s.Period.ID})
	if err != nil {
		return nil, err
	}
	for _, o := range objs.Items {
		out = append(out, recAbout{Value: "objective:" + o.ID, Label: "Objective: " + o.Title})
		for _, k := range krs {
			if k.ObjectiveID == o.ID {
				out = append(out, recAbout{Value: "key_result:" + k.ID, Label: "— Key result: " + k.Title})
			}
		}
	}
	return out, nil
}

// kudos shows the give-kudos form and the celebration feed.
func (h *Handler) kudos(w http.ResponseWriter, r *Request) {
	h.kudosPage(w, r, recKudosForm{To: r.URL.Query().Get("to"), About: r.URL.Query().Get("about"), Key: formKey()}, http.StatusOK)
}

func (h *Handler) kudosPage(w http.ResponseWriter, r *Request, f recKudosForm, status int) {
	s := h.shell(w, r, "Kudos and celebrations", "kudos")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := recKudosView{S: s, D: d, F: f, Kind: r.URL.Query().Get("kind")}
	if v.About, err = h.recAboutChoices(r, s); err != nil {
		h.fail(w, r, err)
		return
	}
	q := app.CelebrationQuery{Kind: okr.CelebrationKind(v.Kind), PageRequest: app.PageRequest{Limit: 30, Cursor: r.URL.Query().Get("cursor")}}
	if v.Feed, err = h.recLoadFeed(r, s, d, q); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, status, recKudosPage(v))
}

// nextHref is the link to the feed's next page.
func (v recKudosView) nextHref() string {
	q := url.Values{"cursor": {v.Feed.Next}}
	if v.Kind != "" {
		q.Set("kind", v.Kind)
	}
	return "/kudos?" + q.Encode() + "#feed"
}

// recGiveKudos gives kudos to a person ("user:ID") or a team ("team:ID").
func (h *Handler) recGiveKudos(w http.ResponseWriter, r *Request) {
	f := recKudosForm{To: r.PostFormValue("to"), About: r.PostFormValue("about"), Message: r.PostFormValue("message"),
		Key: formKeyOf(r.Request), FE: FieldErrors{}}
	in := app.KudosInput{Message: f.Message}
	switch kind, id, _ := strings.Cut(f.To, ":"); kind {
	case "user":
		in.ToUserID = id
	case "team":
		in.ToTeamID = id
	default:
		f.FE["to"] = "choose the person or team you recognize"
	}
	if kind, id, ok := strings.Cut(f.About, ":"); ok {
		in.SubjectType, in.SubjectID = kind, id
	}
	if len(f.FE) == 0 {
		_, err := h.app.GiveKudos(r.Ctx(), r.Actor, in, f.Key)
		if err == nil {
			h.redirect(w, r.Request, "/kudos#feed", "Your kudos is in the celebration feed.")
			return
		}
		fe, ok := fieldErrors(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		for k, msg := range fe {
			switch k {
			case "to_user_id", "to_team_id":
				k = "to"
			case "subject_id", "subject_type":
				k = "about"
			case "message":
			default:
				k, msg = "", adminSentence(msg)
			}
			if _, seen := f.FE[k]; !seen {
				f.FE[k] = msg
			}
		}
	}
	h.kudosPage(w, r, f, http.StatusUnprocessableEntity)
}

func (h *Handler) recDeleteKudos(w http.ResponseWriter, r *Request) {
	if err := h.app.DeleteKudos(r.Ctx(), r.Actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/kudos#feed", "The kudos is removed.")
}

// ---- a person's kudos (person page)

// recPerson is what a person's page shows of recognition: the kudos they
// received and the link to their review packet.
type recPerson struct {
	Kudos []okr.Kudos
	// Packet: the reader may open the person's review packet.
	Packet bool
}

func (h *Handler) recLoadPerson(r *Request, s *Shell, personID string, teams []string) (recPerson, error) {
	var v recPerson
	page, err := h.app.ListKudos(r.Ctx(), r.Actor, app.KudosQuery{ToUserID: personID, PageRequest: app.PageRequest{Limit: 10}})
	if err != nil {
		return v, err
	}
	v.Kudos = page.Items
	v.Packet = personID == s.Me.User.ID || s.IsAdmin() || slices.Contains(teams, s.Me.User.ID)
	return v, nil
}

// ---- lessons library

// recLessonsView is the lessons page: search, tags, results.
type recLessonsView struct {
	S       *Shell
	D       *directory
	Q, Tag  string
	Tags    []app.TagCount
	Lessons []okr.Lesson
	Next    string
}

func (v recLessonsView) nextHref() string {
	q := url.Values{"cursor": {v.Next}}
	if v.Q != "" {
		q.Set("q", v.Q)
	}
	if v.Tag != "" {
		q.Set("tag", v.Tag)
	}
	return "/lessons?" + q.Encode()
}

func tagHref(tag string) string { return "/lessons?" + url.Values{"tag": {tag}}.Encode() }

// resultsTitle says what the list shows.
func (v recLessonsView) resultsTitle() string {
	switch {
	case v.Q != "" && v.Tag != "":
		return "Lessons matching “" + v.Q + "” tagged " + v.Tag
	case v.Q != "":
		return "Lessons matching “" + v.Q + "”"
	case v.Tag != "":
		return "Lessons tagged " + v.Tag
	}
	return "Lessons, most helpful first"
}

// lessons searches the organization's lessons.
func (h *Handler) lessons(w http.ResponseWriter, r *Request) {
	s := h.shell(w, r, "Lessons learned", "lessons")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := recLessonsView{S: s, D: d, Q: strings.TrimSpace(q.Get("q")), Tag: strings.TrimSpace(q.Get("tag"))}
	if v.Tags, err = h.app.LessonTags(r.Ctx(), r.Actor); err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := h.app.ListLessons(r.Ctx(), r.Actor, app.LessonQuery{Q: v.Q, Tag: v.Tag,
		PageRequest: app.PageRequest{Limit: 20, Cursor: q.Get("cursor")}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Lessons, v.Next = page.Items, page.NextCursor
	h.render(w, r.Request, 0, recLessonsPage(v))
}

// recLessonView is a lesson's page.
type recLessonView struct {
	S         *Shell
	D         *directory
	L         okr.Lesson
	Objective okr.Objective
	Skills    []learning.Skill
	Period    okr.Period
}

// mayEdit: the author and admins.
func (v recLessonView) mayEdit() bool {
	return canWrite(v.S) && (v.L.AuthorID == v.S.Me.User.ID || v.S.IsAdmin())
}

// mayVote: anyone who writes but the author.
func (v recLessonView) mayVote() bool { return canWrite(v.S) && v.L.AuthorID != v.S.Me.User.ID }

func sourceWord(source string) string {
	if source == okr.LessonRetrospective {
		return "From a retrospective"
	}
	return "Written by hand"
}

// lesson shows a lesson.
func (h *Handler) lesson(w http.ResponseWriter, r *Request) {
	l, err := h.app.GetLesson(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, l.Title, "lessons")
	s.Crumbs = []Crumb{{Label: "Lessons", Href: "/lessons"}}
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := recLessonView{S: s, D: d, L: l}
	if l.ObjectiveID != "" {
		if v.Objective, err = h.app.GetObjective(r.Ctx(), r.Actor, l.ObjectiveID); err != nil && !errs.Is(err, errs.NotFound) {
			h.fail(w, r, err)
			return
		}
	}
	if l.PeriodID != "" {
		if v.Period, err = h.app.GetPeriod(r.Ctx(), r.Actor, l.PeriodID); err != nil && !errs.Is(err, errs.NotFound) {
			h.fail(w, r, err)
			return
		}
	}
	for _, id := range l.SkillIDs {
		sk, err := h.app.GetSkill(r.Ctx(), r.Actor, id)
		if err == nil {
			v.Skills = append(v.Skills, sk)
		} else if !errs.Is(err, errs.NotFound) {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r.Request, 0, recLessonPage(v))
}

// recHelpful records or withdraws the reader's helpful vote.
func (h *Handler) recHelpful(w http.ResponseWriter, r *Request) {
	on := r.PostFormValue("helpful") != "off"
	l, err := h.app.VoteLesson(r.Ctx(), r.Actor, r.PathValue("id"), on)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	msg := "Thanks: you found this lesson helpful."
	if !on {
		msg = "Your helpful vote is withdrawn."
	}
	h.redirect(w, r.Request, "/lessons/"+l.ID, msg)
}

// recLessonForm is the write or edit form as typed.
type recLessonForm struct {
	ID, Title, Body, Tags, ObjectiveID, TeamID, Key string
	SkillIDs                                        []string
	Version                                         int
	FE                                              FieldErrors
}

// recLessonFormView is the form with what it offers.
type recLessonFormView struct {
	S          *Shell
	D          *directory
	F          recLessonForm
	Skills     []learning.Skill
	Objectives []okr.Objective
}

func (v recLessonFormView) action() string {
	if v.F.ID == "" {
		return "/lessons"
	}
	return "/lessons/" + v.F.ID + "/edit"
}

func (h *Handler) recLessonFormPage(w http.ResponseWriter, r *Request, f recLessonForm, status int) {
	title := "Write a lesson"
	if f.ID != "" {
		title = "Edit the lesson"
	}
	s := h.shell(w, r, title, "lessons")
	s.Crumbs = []Crumb{{Label: "Lessons", Href: "/lessons"}}
	if f.ID != "" {
		s.Crumbs = append(s.Crumbs, Crumb{Label: f.Title, Href: "/lessons/" + f.ID})
	}
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := recLessonFormView{S: s, D: d, F: f}
	if _, v.Skills, err = h.lrnLoadNames(r); err != nil {
		h.fail(w, r, err)
		return
	}
	if s.Period.ID != "" {
		page, err := h.app.ListObjectives(r.Ctx(), r.Actor, app.ObjectiveQuery{PeriodID: s.Period.ID, PageRequest: app.PageRequest{Limit: 200}})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Objectives = page.Items
	}
	if f.ObjectiveID != "" && !slices.ContainsFunc(v.Objectives, func(o okr.Objective) bool { return o.ID == f.ObjectiveID }) {
		if o, err := h.app.GetObjective(r.Ctx(), r.Actor, f.ObjectiveID); err == nil {
			v.Objectives = append([]okr.Objective{o}, v.Objectives...)
		}
	}
	h.render(w, r.Request, status, recLessonFormPageView(v))
}

func (h *Handler) recNewLesson(w http.ResponseWriter, r *Request) {
	h.recLessonFormPage(w, r, recLessonForm{ObjectiveID: r.URL.Query().Get("objective_id"), Key: formKey()}, http.StatusOK)
}

func (h *Handler) recEditLesson(w http.ResponseWriter, r *Request) {
	l, err := h.app.GetLesson(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.recLessonFormPage(w, r, recLessonForm{ID: l.ID, Title: l.Title, Body: l.Body, Tags: strings.Join(l.Tags, ", "),
		ObjectiveID: l.ObjectiveID, TeamID: l.TeamID, SkillIDs: l.SkillIDs, Version: l.Version}, http.StatusOK)
}

// recLessonTyped reads the form.
func recLessonTyped(r *Request) recLessonForm {
	f := recLessonForm{ID: r.PathValue("id"), Title: r.PostFormValue("title"), Body: r.PostFormValue("body"),
		Tags: r.PostFormValue("tags"), ObjectiveID: r.PostFormValue("objective_id"), TeamID: r.PostFormValue("team_id"),
		Key: formKeyOf(r.Request), FE: FieldErrors{}}
	if err := r.ParseForm(); err == nil {
		f.SkillIDs = r.PostForm["skill_ids"]
	}
	if v := formVersion(r.Request); v != nil {
		f.Version = *v
	}
	return f
}

func splitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' })
}

// recLessonErrors places the use case's messages beside the fields.
func recLessonErrors(f *recLessonForm, err error) bool {
	fe, ok := fieldErrors(err)
	if !ok {
		return false
	}
	for k, msg := range fe {
		switch {
		case strings.HasPrefix(k, "skill_ids"):
			k = "skill_ids"
		case k == "title" || k == "body" || k == "tags" || k == "objective_id" || k == "team_id":
		default:
			k, msg = "", adminSentence(msg)
		}
		if _, seen := f.FE[k]; !seen {
			f.FE[k] = msg
		}
	}
	return true
}

func (h *Handler) recCreateLesson(w http.ResponseWriter, r *Request) {
	f := recLessonTyped(r)
	l, err := h.app.CreateLesson(r.Ctx(), r.Actor, app.LessonInput{Title: f.Title, Body: f.Body, Tags: splitTags(f.Tags),
		ObjectiveID: f.ObjectiveID, TeamID: f.TeamID, SkillIDs: f.SkillIDs}, f.Key)
	if err == nil {
		h.redirect(w, r.Request, "/lessons/"+l.ID, "Your lesson is in the library; everyone in the organization can find it.")
		return
	}
	if !recLessonErrors(&f, err) {
		h.fail(w, r, err)
		return
	}
	h.recLessonFormPage(w, r, f, http.StatusUnprocessableEntity)
}

func (h *Handler) recUpdateLesson(w http.ResponseWriter, r *Request) {
	f := recLessonTyped(r)
	tags := splitTags(f.Tags)
	skills := f.SkillIDs
	if skills == nil {
		skills = []string{}
	}
	_, err := h.app.UpdateLesson(r.Ctx(), r.Actor, f.ID, &f.Version, app.LessonUpdate{Title: &f.Title, Body: &f.Body,
		Tags: &tags, ObjectiveID: &f.ObjectiveID, TeamID: &f.TeamID, SkillIDs: &skills})
	if err == nil {
		h.redirect(w, r.Request, "/lessons/"+f.ID, "The lesson is saved.")
		return
	}
	if formIsStale(err) {
		f.FE[""] = formStaleMessage("lesson")
	} else if !recLessonErrors(&f, err) {
		h.fail(w, r, err)
		return
	}
	h.recLessonFormPage(w, r, f, http.StatusUnprocessableEntity)
}

func (h *Handler) recDeleteLesson(w http.ResponseWriter, r *Request) {
	if err := h.app.DeleteLesson(r.Ctx(), r.Actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/lessons", "The lesson is deleted.")
}

// ---- the objective page's lessons

// lessonObjView is the objective page's lessons worth reading.
type lessonObjView struct {
	ObjectiveID string
	Lessons     []app.RelatedLesson
	CanWrite    bool
}

// lessonObjLimit is how many lessons the objective page shows.
const lessonObjLimit = 5

func (h *Handler) lessonObjLoad(r *Request, s *Shell, d *directory, ov app.ObjectiveOverview) (lessonObjView, error) {
	ls, err := h.app.ObjectiveLessons(r.Ctx(), r.Actor, ov.Objective.ID, lessonObjLimit)
	return lessonObjView{ObjectiveID: ov.Objective.ID, Lessons: ls, CanWrite: canWrite(s)}, err
}

// leads are the leads of the person's teams: they read the review packet
// (so do the leads of parent teams; the packet page itself decides).
func (v personView) leads() []string {
	var out []string
	for _, t := range v.Teams {
		out = append(out, t.LeadIDs...)
	}
	return out
}

// helpfulText says how many people found a lesson helpful.
func helpfulText(n int) string {
	switch n {
	case 0:
		return "Nobody has voted it helpful yet"
	case 1:
		return "1 person found it helpful"
	}
	return strconv.Itoa(n) + " people found it helpful"
}
