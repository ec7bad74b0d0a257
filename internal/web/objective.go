package web

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// objView is an objective's page.
type objView struct {
	S        *Shell
	D        *directory
	O        app.ObjectiveOverview
	Comments objCommentsView
	Now      time.Time
	// Skills is the "Skills required" section (okr_skills.go).
	Skills oksView
	// KPIs is the "KPIs" section (kpis.go), Review the score, retrospective
	// and decision (review.go), Lessons the lessons worth reading (recognition.go).
	KPIs    kpiObjView
	Review  reviewObjView
	Lessons lessonObjView
	// Coach is the coach's section (coach.go).
	Coach coachObjView
}

// objCommentsView is the comments section: the list and the form to add one.
type objCommentsView struct {
	S           *Shell
	D           *directory
	ObjectiveID string
	Items       []okr.Comment
	Body        string
	FE          FieldErrors
	// Idem is the idempotency key of the form: a double post adds one comment.
	Idem string
	Now  time.Time
}

// objective shows an objective's page.
func (h *Handler) objective(w http.ResponseWriter, r *Request) {
	h.objShow(w, r, 0, "", nil)
}

// objShow renders the page; body and fe carry a comment that could
// not be added.
func (h *Handler) objShow(w http.ResponseWriter, r *Request, status int, body string, fe FieldErrors) {
	ov, err := h.app.ObjectiveOverview(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, ov.Objective.Title, "alignment")
	s.Crumbs = []Crumb{{Label: "Alignment", Href: "/alignment?period=" + ov.Period.ID}}
	for _, a := range ov.Ancestors {
		s.Crumbs = append(s.Crumbs, Crumb{Label: a.Title, Href: "/objectives/" + a.ID})
	}
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cv, err := h.objLoadComments(r, s, d, ov.Objective.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cv.Body, cv.FE = body, fe
	sk, err := h.oksLoad(r, s, d, ov)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := objView{S: s, D: d, O: ov, Comments: cv, Now: time.Now(), Skills: sk}
	if v.KPIs, err = h.kpiObjLoad(r, s, d, ov); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Review, err = h.reviewObjLoad(r, s, d, ov); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Lessons, err = h.lessonObjLoad(r, s, d, ov); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Coach = h.coachObjLoad(r, ov)
	h.render(w, r.Request, status, objectivePage(v))
}

// comments loads an objective's comments, oldest first.
func (h *Handler) objLoadComments(r *Request, s *Shell, d *directory, objectiveID string) (objCommentsView, error) {
	cv := objCommentsView{S: s, D: d, ObjectiveID: objectiveID, Idem: objIdem(), Now: time.Now()}
	var err error
	cv.Items, err = everyPage(func(p app.PageRequest) (app.Page[okr.Comment], error) {
		return h.app.ListComments(r.Ctx(), r.Actor, okr.SubjectObjective, objectiveID, p)
	})
	return cv, err
}

func objIdem() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "web-comment-" + hex.EncodeToString(b)
}

func objIsHX(r *Request) bool { return r.Header.Get("HX-Request") == "true" }

// objFragmentShell is the little of the frame a fragment needs: the CSRF token
// and who is signed in.
func (h *Handler) objFragmentShell(r *Request) *Shell {
	s := &Shell{CSRF: r.CSRF, assets: h.assets}
	if me, err := h.app.Me(r.Ctx(), r.Actor); err == nil {
		s.Me = me
	}
	return s
}

// objAddComment adds a comment to an objective; htmx gets the comments
// section back (with a fresh form), a plain form post a redirect.
func (h *Handler) objAddComment(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	body := r.PostFormValue("body")
	_, err := h.app.CreateComment(r.Ctx(), r.Actor, app.CommentInput{SubjectType: okr.SubjectObjective, SubjectID: id, Body: body},
		r.PostFormValue("idem"))
	fe, invalid := fieldErrors(err)
	if err != nil && !invalid {
		h.fail(w, r, err)
		return
	}
	if invalid && fe["body"] == "" {
		fe["body"] = strings.TrimSpace(fe[""] + " " + fe["subject_id"])
	}
	if !objIsHX(r) {
		if invalid {
			h.objShow(w, r, http.StatusUnprocessableEntity, body, fe)
			return
		}
		h.redirect(w, r.Request, "/objectives/"+id+"#comments", "Comment added.")
		return
	}
	h.objCommentsFragment(w, r, id, body, fe)
}

// objDeleteComment removes a comment (its author's or, for admins, anyone's).
func (h *Handler) objDeleteComment(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	if err := h.app.DeleteComment(r.Ctx(), r.Actor, r.PathValue("comment")); err != nil {
		h.fail(w, r, err)
		return
	}
	if !objIsHX(r) {
		h.redirect(w, r.Request, "/objectives/"+id+"#comments", "Comment deleted.")
		return
	}
	h.objCommentsFragment(w, r, id, "", nil)
}

func (h *Handler) objCommentsFragment(w http.ResponseWriter, r *Request, objectiveID, body string, fe FieldErrors) {
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cv, err := h.objLoadComments(r, h.objFragmentShell(r), d, objectiveID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if fe != nil {
		cv.Body, cv.FE = body, fe
	}
	// htmx swaps only successful answers: an invalid comment comes back as
	// 200 with its message beside the field.
	h.render(w, r.Request, 0, objCommentsSection(cv))
}

// objEditField is what can be edited in place on an objective's page.
type objEditField struct {
	Name  string // title or description
	Label string
	// Value is what the field shows; Version the objective's version it
	// was read at.
	Value   string
	Version int
	FE      FieldErrors
	// Stale is the message shown when someone else changed the objective.
	Stale string
}

func (f objEditField) id() string { return "objective-" + f.Name }

// objFieldFor reads one editable field of an objective.
func objFieldFor(o okr.Objective, name string) objEditField {
	f := objEditField{Name: name, Version: o.Version, Label: "Title", Value: o.Title}
	if name == "description" {
		f.Label, f.Value = "Description", o.Description
	}
	return f
}

// objShowField answers GET /objectives/{id}/title (and /description): the
// field as the page shows it, after a cancel.
func (h *Handler) objShowField(name string) func(http.ResponseWriter, *Request) {
	return func(w http.ResponseWriter, r *Request) {
		o, err := h.app.GetObjective(r.Ctx(), r.Actor, r.PathValue("id"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if !objIsHX(r) {
			http.Redirect(w, r.Request, "/objectives/"+o.ID, http.StatusSeeOther)
			return
		}
		h.render(w, r.Request, 0, objFieldDisplay(o.ID, objFieldFor(o, name), true))
	}
}

// objEditFieldForm answers GET /objectives/{id}/title/edit: the field as a form.
func (h *Handler) objEditFieldForm(name string) func(http.ResponseWriter, *Request) {
	return func(w http.ResponseWriter, r *Request) {
		o, err := h.app.GetObjective(r.Ctx(), r.Actor, r.PathValue("id"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f := objFieldFor(o, name)
		if objIsHX(r) {
			h.render(w, r.Request, 0, objFieldForm(h.objFragmentShell(r), o.ID, f))
			return
		}
		s := h.shell(w, r, "Edit "+strings.ToLower(f.Label), "alignment")
		s.Crumbs = []Crumb{{Label: "Alignment", Href: "/alignment?period=" + o.PeriodID}, {Label: o.Title, Href: "/objectives/" + o.ID}}
		h.render(w, r.Request, 0, objFieldPage(s, o.ID, f))
	}
}

// objSaveField answers POST /objectives/{id}/title: it changes the field at
// the version the form was read at. A stale version is refused with the
// current value named, and the form offers to save again.
func (h *Handler) objSaveField(name string) func(http.ResponseWriter, *Request) {
	return func(w http.ResponseWriter, r *Request) {
		id := r.PathValue("id")
		value := r.PostFormValue(name)
		f := objEditField{Name: name, Label: "Title", Value: value}
		if name == "description" {
			f.Label = "Description"
		}
		version, err := strconv.Atoi(r.PostFormValue("version"))
		var up app.ObjectiveUpdate
		if name == "description" {
			up.Description = &value
		} else {
			up.Title = &value
		}
		var o okr.Objective
		if err == nil {
			o, err = h.app.UpdateObjective(r.Ctx(), r.Actor, id, &version, up)
		} else {
			err = errs.E(errs.Invalid, "the form lost the objective's version; reload the page and try again")
		}
		if err == nil {
			if !objIsHX(r) {
				h.redirect(w, r.Request, "/objectives/"+id, f.Label+" saved.")
				return
			}
			h.render(w, r.Request, 0, objFieldDisplay(o.ID, objFieldFor(o, name), true))
			return
		}
		status := http.StatusUnprocessableEntity
		switch errs.KindOf(err) {
		case errs.PreconditionFailed:
			// Someone saved in between: show what is there now, keep the
			// person's text, and let a second save replace theirs knowingly.
			cur, gerr := h.app.GetObjective(r.Ctx(), r.Actor, id)
			if gerr != nil {
				h.fail(w, r, gerr)
				return
			}
			now := objFieldFor(cur, name)
			f.Version = cur.Version
			f.Stale = "Someone else changed this objective while you were editing, so your change was not saved. "
			if now.Value == "" {
				f.Stale += "The " + strings.ToLower(f.Label) + " is now empty."
			} else {
				f.Stale += "The " + strings.ToLower(f.Label) + " is now “" + now.Value + "”."
			}
			f.Stale += " Save again to replace it with yours, or cancel to keep theirs."
			status = http.StatusConflict
		case errs.Invalid:
			f.FE, _ = fieldErrors(err)
			f.Version = version
		case errs.Forbidden, errs.Conflict:
			f.FE = FieldErrors{"": messageOf(err)}
			f.Version = version
			status = http.StatusConflict
			if errs.KindOf(err) == errs.Forbidden {
				status = http.StatusForbidden
			}
		default:
			h.fail(w, r, err)
			return
		}
		if objIsHX(r) {
			// htmx swaps only successful answers: the form comes back with
			// its message as a 200.
			h.render(w, r.Request, 0, objFieldForm(h.objFragmentShell(r), id, f))
			return
		}
		s := h.shell(w, r, "Edit "+strings.ToLower(f.Label), "alignment")
		s.Crumbs = []Crumb{{Label: "Alignment", Href: "/alignment"}, {Label: "Objective", Href: "/objectives/" + id}}
		h.render(w, r.Request, status, objFieldPage(s, id, f))
	}
}

// objChartJSON is a key result's chart for app.js: values, target, forecast.
func objChartJSON(k app.KeyResultOverview) string {
	type dataset struct {
		Label  string     `json:"label"`
		Data   []*float64 `json:"data"`
		Color  string     `json:"color"`
		Dashed bool       `json:"dashed,omitempty"`
		Points *bool      `json:"points,omitempty"`
	}
	no := false
	labels := make([]string, len(k.Series))
	values := make([]*float64, len(k.Series))
	target := make([]*float64, len(k.Series))
	forecast := make([]*float64, len(k.Series))
	hasForecast := false
	for i, p := range k.Series {
		labels[i] = objShortDay(p.Date)
		values[i] = p.Value
		t := k.Target
		target[i] = &t
		forecast[i] = p.Forecast
		hasForecast = hasForecast || p.Forecast != nil
	}
	ds := []dataset{
		{Label: "Value", Data: values, Color: "--accent"},
		{Label: "Target", Data: target, Color: "--text-3", Points: &no},
	}
	if hasForecast {
		ds = append(ds, dataset{Label: "Forecast", Data: forecast, Color: "--at-risk", Dashed: true, Points: &no})
	}
	b, _ := json.Marshal(map[string]any{"type": "line", "labels": labels, "datasets": ds, "beginAtZero": false})
	return string(b)
}

// objChartData is the chart's data block beside its canvas (JSON, which
// escapes <, > and &, so it cannot end the script element early).
func objChartData(k app.KeyResultOverview) templ.Component {
	return templ.Raw(`<script type="application/json" id="chart-` + templ.EscapeString(k.ID) + `">` + objChartJSON(k) + `</script>`)
}

// objShortDay formats a date for a chart's axis: "3 Mar".
func objShortDay(d okr.Date) string {
	t, err := time.Parse(okr.DateLayout, string(d))
	if err != nil {
		return string(d)
	}
	return t.Format("2 Jan")
}

// objValueChange says how a check-in moved the value: "40 → 38 minutes".
func objValueChange(k okr.KeyResult, c okr.CheckIn) string {
	if c.Value == c.PreviousValue {
		return krValue(k, c.Value) + " (no change)"
	}
	return krValue(k, c.PreviousValue) + " → " + krValue(k, c.Value)
}

// krByID finds a key result of the overview.
func (v objView) kr(id string) okr.KeyResult {
	for _, k := range v.O.KeyResults {
		if k.ID == id {
			return k.KeyResult
		}
	}
	return okr.KeyResult{}
}

func (v objView) canWrite() bool { return v.S.Me.Role != org.RoleViewer }

// objTasksDone counts an initiative's finished tasks.
func objTasksDone(in okr.Initiative) string {
	n := 0
	for _, t := range in.Tasks {
		if t.Done {
			n++
		}
	}
	return strconv.Itoa(n) + " of " + strconv.Itoa(len(in.Tasks)) + " tasks done"
}

func objBlockerWord(t okr.BlockerType) string {
	return strings.ToUpper(string(t[:1])) + strings.ReplaceAll(string(t[1:]), "_", " ")
}

func objStateWord(o okr.Objective) string {
	switch o.State {
	case okr.Draft:
		return "Draft"
	case okr.Closed:
		if o.Outcome != "" {
			return "Closed (" + string(o.Outcome) + ")"
		}
		return "Closed"
	}
	return "Active"
}

func objExpected(o okr.Objective) float64 {
	if o.State == okr.Closed {
		return -1
	}
	return o.Expected
}

func objKRExpected(k okr.KeyResult) float64 {
	return k.Expected
}

// objCommentPart is a piece of a comment's text: plain, or a mention of a member.
type objCommentPart struct {
	Text     string
	PersonID string
}

var objMentionRE = regexp.MustCompile(`@([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})`)

// objCommentParts splits a comment into text and the mentions the use case
// recorded, so that a mention links to the person.
func objCommentParts(d *directory, c okr.Comment) []objCommentPart {
	byEmail := map[string]string{}
	for _, id := range c.Mentions {
		if m := d.Person(id); m.ID != "" {
			byEmail[strings.ToLower(m.Email)] = m.ID
		}
	}
	var out []objCommentPart
	rest := c.Body
	for {
		loc := objMentionRE.FindStringSubmatchIndex(rest)
		if loc == nil {
			break
		}
		email := strings.ToLower(rest[loc[2]:loc[3]])
		id, ok := byEmail[email]
		if !ok {
			out = append(out, objCommentPart{Text: rest[:loc[1]]})
			rest = rest[loc[1]:]
			continue
		}
		out = append(out, objCommentPart{Text: rest[:loc[0]]}, objCommentPart{Text: "@" + d.PersonName(id), PersonID: id})
		rest = rest[loc[1]:]
	}
	return append(out, objCommentPart{Text: rest})
}

func (cv objCommentsView) canDelete(c okr.Comment) bool {
	return c.AuthorID == cv.S.Me.User.ID || cv.S.IsAdmin()
}

func objCommentAction(objectiveID string) templ.SafeURL {
	return templ.SafeURL("/objectives/" + objectiveID + "/comments")
}

func objDeleteCommentAction(objectiveID, commentID string) templ.SafeURL {
	return templ.SafeURL("/objectives/" + objectiveID + "/comments/" + commentID + "/delete")
}

func objFieldURL(objectiveID, name, suffix string) string {
	return "/objectives/" + objectiveID + "/" + name + suffix
}

func objLastCheckIn(k okr.KeyResult, now time.Time) string {
	if k.LastCheckIn == nil {
		return "no check-in yet"
	}
	return "checked in " + ago(*k.LastCheckIn, now)
}

func objInt(n int) string { return strconv.Itoa(n) }

// objMentionExample is a colleague's e-mail, to show how a mention is written.
func objMentionExample(cv objCommentsView) string {
	for _, m := range cv.D.Members {
		if m.ID != cv.S.Me.User.ID && m.Email != "" {
			return m.Email
		}
	}
	return "name@example.com"
}

// A comment's text between mentions keeps the inline Markdown people use
// in a sentence (**strong**, *emphasis*, `code`); it is escaped first, so
// nothing the writer types becomes markup. Whole notes and descriptions go
// through markdownHTML.
var (
	objStrongRE = regexp.MustCompile(`\*\*([^*\n]+?)\*\*`)
	objEmRE     = regexp.MustCompile(`(^|[^*\w])\*([^*\s][^*\n]*?)\*`)
	objCodeRE   = regexp.MustCompile("`([^`\n]+)`")
)

// objInlineHTML renders one run of text with strong, emphasis and code.
func objInlineHTML(s string) string {
	s = templ.EscapeString(s)
	s = objCodeRE.ReplaceAllString(s, "<code>$1</code>")
	s = objStrongRE.ReplaceAllString(s, "<strong>$1</strong>")
	return objEmRE.ReplaceAllString(s, "$1<em>$2</em>")
}

// objInline renders a run of text (a part of a comment) without blocks.
func objInline(s string) templ.Component { return templ.Raw(objInlineHTML(s)) }

// objMarkdown renders a note or description.
func objMarkdown(s string) templ.Component { return markdownHTML(s) }
