package web

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// The skills pages: my skills (every skill I was assessed in, with its
// effective level, the assertion behind it and whether it decayed), a
// skill's page with my levels over time and the self-assessment form, and
// a person's skills. The learning pages (catalog.go, learning.go, lnd.go)
// share the helpers at the end of this file.

// skView is my skills page, or a person's.
type skView struct {
	S      *Shell
	D      *directory
	Person org.Member
	Mine   bool
	Rows   []skRow
	// Others are the skills of the organization the person was never assessed in.
	Others []learning.Skill
	// DecayDays is the organization's decay window.
	DecayDays int
}

// skRow is one skill of a person with the scale it is measured on.
type skRow struct {
	US    app.UserSkill
	Scale learning.Scale
}

// skills shows the signed-in person's skills.
func (h *Handler) skills(w http.ResponseWriter, r *Request) {
	h.skillsOf(w, r, r.Actor.UserID)
}

// personSkills shows a person's skills (read only unless it is me).
func (h *Handler) personSkills(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	if id == r.Actor.UserID {
		http.Redirect(w, r.Request, "/skills", http.StatusSeeOther)
		return
	}
	h.skillsOf(w, r, id)
}

func (h *Handler) skillsOf(w http.ResponseWriter, r *Request, userID string) {
	m, err := h.app.GetUser(r.Ctx(), r.Actor, userID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	mine := userID == r.Actor.UserID
	title := "My skills"
	if !mine {
		title = "Skills of " + m.Name
	}
	s := h.shell(w, r, title, "skills")
	if !mine {
		s.Crumbs = []Crumb{{Label: "Teams", Href: "/teams"}, {Label: m.Name, Href: "/people/" + m.ID}}
	}
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	scales, err := h.lrnScales(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	us, err := h.app.UserSkills(r.Ctx(), r.Actor, userID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	all, err := h.app.AllSkills(r.Ctx(), r.Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := skView{S: s, D: d, Person: m, Mine: mine, DecayDays: lrnDecayDays(s)}
	known := map[string]bool{}
	for _, u := range us {
		known[u.Skill.ID] = true
		v.Rows = append(v.Rows, skRow{US: u, Scale: lrnScaleOf(scales, u.Skill.ScaleID)})
	}
	slices.SortStableFunc(v.Rows, func(a, b skRow) int {
		return cmp.Or(cmp.Compare(b.US.EffectiveLevel, a.US.EffectiveLevel),
			cmp.Compare(strings.ToLower(a.US.Skill.Name), strings.ToLower(b.US.Skill.Name)))
	})
	for _, sk := range all {
		if !known[sk.ID] {
			v.Others = append(v.Others, sk)
		}
	}
	h.render(w, r.Request, 0, skillsPage(v))
}

// skPick answers the "assess a skill" picker (a GET form): to the skill's page.
func (h *Handler) skPick(w http.ResponseWriter, r *Request) {
	id := strings.TrimSpace(r.URL.Query().Get("skill"))
	if id == "" {
		h.redirect(w, r.Request, "/skills", "Choose a skill to assess yourself in.")
		return
	}
	http.Redirect(w, r.Request, "/skills/"+id+"#self-assessment", http.StatusSeeOther)
}

// skSkillView is a skill's page: the skill and its scale, my standing and
// levels over time, the self-assessment form and the programs that teach it.
type skSkillView struct {
	S     *Shell
	D     *directory
	Skill learning.Skill
	Scale learning.Scale
	// Mine is my standing in the skill (nil when I was never assessed in it).
	Mine      *app.UserSkill
	Programs  []learning.Program
	Form      skAssessForm
	DecayDays int
}

// skAssessForm is the self-assessment form's input and errors.
type skAssessForm struct {
	Level, Note, URL, Date string
	Key                    string
	Errors                 FieldErrors
}

func (h *Handler) skill(w http.ResponseWriter, r *Request) {
	h.renderSkill(w, r, 0, skAssessForm{Key: formKey()})
}

// renderSkill renders a skill's page with the self-assessment form as given.
func (h *Handler) renderSkill(w http.ResponseWriter, r *Request, status int, f skAssessForm) {
	sk, err := h.app.GetSkill(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, sk.Name, "skills")
	s.Crumbs = []Crumb{{Label: "My skills", Href: "/skills"}}
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	scales, err := h.lrnScales(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := skSkillView{S: s, D: d, Skill: sk, Scale: lrnScaleOf(scales, sk.ScaleID), Form: f, DecayDays: lrnDecayDays(s)}
	us, err := h.app.UserSkills(r.Ctx(), r.Actor, r.Actor.UserID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for i := range us {
		if us[i].Skill.ID == sk.ID {
			v.Mine = &us[i]
		}
	}
	if v.Form.Level == "" && v.Mine != nil {
		v.Form.Level = strconv.Itoa(v.Mine.EffectiveLevel)
	}
	if v.Programs, err = h.lrnPrograms(r, app.ProgramQuery{SkillID: sk.ID}); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, status, skillPage(v))
}

// skAssess records a self-assessment.
func (h *Handler) skAssess(w http.ResponseWriter, r *Request) {
	_ = r.ParseForm()
	f := skAssessForm{Level: r.PostFormValue("level"), Note: strings.TrimSpace(r.PostFormValue("note")),
		URL: strings.TrimSpace(r.PostFormValue("url")), Date: strings.TrimSpace(r.PostFormValue("date")),
		Key: formKeyOf(r.Request), Errors: FieldErrors{}}
	level, err := strconv.Atoi(f.Level)
	if err != nil {
		f.Errors["level"] = "choose the level you are at"
	}
	if f.URL != "" && !strings.HasPrefix(f.URL, "http://") && !strings.HasPrefix(f.URL, "https://") {
		f.Errors["evidence.url"] = "must be an http or https address, like https://example.com/certificate"
	}
	if len(f.Errors) > 0 {
		h.renderSkill(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	skillID := r.PathValue("id")
	as, err := h.app.CreateAssessment(r.Ctx(), r.Actor, app.AssessmentInput{UserID: r.Actor.UserID, SkillID: skillID,
		Level: level, Source: learning.SourceSelf, Evidence: learning.Evidence{Note: f.Note, URL: f.URL},
		Date: okr.Date(f.Date)}, f.Key)
	if fe, ok := fieldErrors(err); ok {
		f.Errors = fe
		f.Key = formKey()
		h.renderSkill(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/skills/"+skillID, "Your self-assessment is recorded: level "+strconv.Itoa(as.Level)+".")
}

// ---- what the skills pages show

// skSourceWord names an assessment source for people.
func skSourceWord(s learning.Source) string {
	switch s {
	case learning.SourceSelf:
		return "Self-assessment"
	case learning.SourceManager:
		return "Manager"
	case learning.SourcePeer:
		return "Peer"
	case learning.SourceAssessment:
		return "Assessment"
	case learning.SourceCertification:
		return "Certification"
	case learning.SourceLearning:
		return "Learning completion"
	case learning.SourceXAPI:
		return "LMS (xAPI)"
	case learning.SourceBadge:
		return "Badge"
	}
	return string(s)
}

// skLevelText is a level with its name on a scale: "3 · Competent", "0 · none".
func skLevelText(sc learning.Scale, level int) string {
	if level <= 0 {
		return "0 · none"
	}
	if n := sc.LevelName(level); n != "" {
		return strconv.Itoa(level) + " · " + n
	}
	return strconv.Itoa(level)
}

// skLevelOf is "3 of 5".
func skLevelOf(sc learning.Scale, level int) string {
	return strconv.Itoa(max(0, level)) + " of " + strconv.Itoa(sc.Max())
}

// skStep is one step of a level meter.
type skStep struct{ On bool }

// skSteps is a level as a row of steps, filled up to the level.
func skSteps(sc learning.Scale, level int) []skStep {
	out := make([]skStep, sc.Max())
	for i := range out {
		out[i].On = i < level
	}
	return out
}

// skBasisText says where an effective level comes from.
func skBasisText(d *directory, sc learning.Scale, u app.UserSkill) string {
	b := u.Basis
	if b == nil {
		return "No assessment yet."
	}
	t := skSourceWord(b.Source) + ": " + skLevelText(sc, b.Level) + " on " + day(b.Date)
	if b.AssessorID != "" && b.AssessorID != b.UserID && b.Source != learning.SourceLearning && b.Source != learning.SourceXAPI {
		t += " by " + d.PersonName(b.AssessorID)
	}
	return t + "."
}

// skDecayText explains a decayed level.
func skDecayText(days int) string {
	return "Counts one level lower: the latest assessment is older than " + okr.Plural(days, "day") +
		". A new assessment brings it back."
}

// skEvidenceURL is an evidence link that is safe to follow (http or https only).
func skEvidenceURL(e learning.Evidence) templ.SafeURL {
	if strings.HasPrefix(e.URL, "http://") || strings.HasPrefix(e.URL, "https://") {
		return templ.SafeURL(e.URL)
	}
	return ""
}

// skHistoryChart is a person's assertions in a skill over time (oldest
// first) with the effective level now as a dashed line.
func skHistoryChart(u app.UserSkill) lrnChart {
	list := slices.Clone(u.Assessments)
	slices.Reverse(list) // Assessments are newest first
	c := lrnChart{Type: "line"}
	asserted := lrnDataset{Label: "Asserted level", Color: "--accent"}
	effective := lrnDataset{Label: "Effective level now", Color: "--text-2", Dashed: true, Points: lrnFalse()}
	for _, a := range list {
		c.Labels = append(c.Labels, day(a.Date))
		asserted.Data = append(asserted.Data, lrnNum(float64(a.Level)))
		effective.Data = append(effective.Data, lrnNum(float64(u.EffectiveLevel)))
	}
	c.Datasets = []lrnDataset{asserted, effective}
	return c
}

// skChartID is the id of a skill's history chart data.
func skChartID(skillID string) string { return "skill-history-" + skillID }

// skLevelChoices are the levels of the self-assessment form: none, then the scale's.
func skLevelChoices(sc learning.Scale) []learning.Level {
	return append([]learning.Level{{Level: 0, Name: "None", Descriptor: "I have not used this skill yet."}}, sc.Levels...)
}

// ---- helpers the learning pages share

// lrnScales is every scale of the organization by id.
func (h *Handler) lrnScales(r *Request) (map[string]learning.Scale, error) {
	list, err := h.app.ListScales(r.Ctx(), r.Actor)
	if err != nil {
		return nil, err
	}
	out := make(map[string]learning.Scale, len(list))
	for _, s := range list {
		out[s.ID] = s
	}
	return out, nil
}

// lrnScaleOf is a scale by id, the default scale when it is unknown.
func lrnScaleOf(scales map[string]learning.Scale, id string) learning.Scale {
	if s, ok := scales[id]; ok {
		return s
	}
	if s, ok := scales[learning.DefaultScaleID]; ok {
		return s
	}
	s, _ := learning.BuiltInScale(learning.DefaultScaleID)
	return s
}

// lrnSkillMap is every skill of the organization by id.
func (h *Handler) lrnSkillMap(r *Request) ([]learning.Skill, map[string]learning.Skill, error) {
	all, err := h.app.AllSkills(r.Ctx(), r.Actor)
	if err != nil {
		return nil, nil, err
	}
	m := make(map[string]learning.Skill, len(all))
	for _, s := range all {
		m[s.ID] = s
	}
	return all, m, nil
}

// lrnPrograms lists every program a query selects.
func (h *Handler) lrnPrograms(r *Request, q app.ProgramQuery) ([]learning.Program, error) {
	out, err := everyPage(func(p app.PageRequest) (app.Page[learning.Program], error) {
		q.PageRequest = p
		return h.app.ListPrograms(r.Ctx(), r.Actor, q)
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b learning.Program) int {
		return cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
	})
	return out, nil
}

// lrnEnrollments lists every enrollment a query selects.
func (h *Handler) lrnEnrollments(r *Request, q app.EnrollmentQuery) ([]learning.Enrollment, error) {
	return everyPage(func(p app.PageRequest) (app.Page[learning.Enrollment], error) {
		q.PageRequest = p
		return h.app.ListEnrollments(r.Ctx(), r.Actor, q)
	})
}

// lrnDecayDays is the organization's decay window in days.
func lrnDecayDays(s *Shell) int {
	if d := s.Me.Org.Settings.SkillDecayDays; d > 0 {
		return d
	}
	return learning.DefaultDecayDays
}

// lrnToday is today's date in the organization's time zone.
func lrnToday(s *Shell) okr.Date {
	return okr.Date(time.Now().In(s.Me.Org.Location()).Format(okr.DateLayout))
}

// lrnChart and lrnDataset are the JSON app.js draws a chart from; a nil
// value leaves a gap.
type lrnChart struct {
	Type     string       `json:"type"`
	Stacked  bool         `json:"stacked,omitempty"`
	Labels   []string     `json:"labels"`
	Datasets []lrnDataset `json:"datasets"`
}

type lrnDataset struct {
	Label   string     `json:"label"`
	Data    []*float64 `json:"data"`
	Color   string     `json:"color"`
	Dashed  bool       `json:"dashed,omitempty"`
	Points  *bool      `json:"points,omitempty"`
	Stepped bool       `json:"stepped,omitempty"`
	Type    string     `json:"type,omitempty"`
}

func lrnNum(x float64) *float64 { return &x }

func lrnFalse() *bool { f := false; return &f }

// lrnScore formats a score (0–100) or a rating without needless decimals.
func lrnScore(x *float64) string {
	if x == nil {
		return "—"
	}
	return strconv.FormatFloat(math.Round(*x*10)/10, 'f', -1, 64)
}
