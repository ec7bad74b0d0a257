package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/org"
)

// adminTeamNode is a team at its depth in the team tree.
type adminTeamNode struct {
	org.Team
	Depth int
}

// adminTeamTree orders teams as their tree reads: each parent followed by
// its sub-teams, siblings by name (the order ListTeams gives). A team whose
// parent is unknown starts a tree of its own.
func adminTeamTree(teams []org.Team) []adminTeamNode {
	known := map[string]bool{}
	for _, t := range teams {
		known[t.ID] = true
	}
	children := map[string][]org.Team{}
	for _, t := range teams {
		parent := t.ParentID
		if !known[parent] {
			parent = ""
		}
		children[parent] = append(children[parent], t)
	}
	var out []adminTeamNode
	seen := map[string]bool{}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, t := range children[parent] {
			if seen[t.ID] {
				continue
			}
			seen[t.ID] = true
			out = append(out, adminTeamNode{Team: t, Depth: depth})
			walk(t.ID, depth+1)
		}
	}
	walk("", 0)
	return out
}

// adminTeamsView is the teams list.
type adminTeamsView struct {
	Frame adminFrame
	Dir   *directory
	Tree  []adminTeamNode
}

func (h *Handler) adminTeams(w http.ResponseWriter, r *Request) {
	s, f, ok := h.adminShell(w, r, "Teams", adminTabTeams)
	if !ok {
		return
	}
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, 0, adminTeamsPage(s, adminTeamsView{Frame: f, Dir: d, Tree: adminTeamTree(d.Teams)}))
}

// adminTeamForm is the team form's input, errors and choices.
type adminTeamForm struct {
	Frame adminFrame
	// ID is empty for a new team.
	ID, Name, Slug, ParentID string
	Version                  int
	// Cadence ("inherit" or a cadence), GraceDays ("" inherits) and the
	// chat webhook of the team's reminders and digests.
	Cadence, GraceDays, ChatWebhookURL string
	Leads, Members                     map[string]bool
	Key                                string // Idempotency-Key of a new team
	Errors                             FieldErrors
	Dir                                *directory
	Parents                            []adminTeamNode
	// People are the members to choose leads and members from, by name.
	People []org.Member
}

func (f adminTeamForm) Action() string {
	if f.ID == "" {
		return "/admin/teams"
	}
	return "/admin/teams/" + f.ID
}

// adminRenderTeamForm renders the new or edit form with status.
func (h *Handler) adminRenderTeamForm(w http.ResponseWriter, r *Request, status int, tf adminTeamForm) {
	title := "New team"
	if tf.ID != "" {
		title = "Edit " + tf.Name
	}
	s, f, ok := h.adminShell(w, r, title, adminTabTeams)
	if !ok {
		return
	}
	s.Crumbs = append(s.Crumbs, Crumb{Label: "Teams", Href: "/admin/teams"})
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	tf.Frame, tf.Dir = f, d
	tf.People = slices.Clone(d.Members)
	slices.SortStableFunc(tf.People, func(a, b org.Member) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	for _, n := range adminTeamTree(d.Teams) {
		if n.ID != tf.ID {
			tf.Parents = append(tf.Parents, n)
		}
	}
	if tf.Leads == nil {
		tf.Leads = map[string]bool{}
	}
	if tf.Members == nil {
		tf.Members = map[string]bool{}
	}
	h.render(w, r.Request, status, adminTeamFormPage(s, tf))
}

func (h *Handler) adminNewTeam(w http.ResponseWriter, r *Request) {
	h.adminRenderTeamForm(w, r, 0, adminTeamForm{Key: adminFormKey(), ParentID: r.URL.Query().Get("parent")})
}

// adminTeamFormInput reads the team form.
func adminTeamFormInput(r *Request) adminTeamForm {
	_ = r.ParseForm()
	tf := adminTeamForm{Name: r.PostFormValue("name"), Slug: strings.TrimSpace(r.PostFormValue("slug")),
		ParentID: r.PostFormValue("parent_id"), Key: r.PostFormValue("key"),
		Cadence: r.PostFormValue("cadence"), GraceDays: strings.TrimSpace(r.PostFormValue("grace_days")),
		ChatWebhookURL: strings.TrimSpace(r.PostFormValue("chat_webhook_url")), Leads: map[string]bool{},
		Members: map[string]bool{}}
	for _, id := range r.PostForm["lead_ids"] {
		tf.Leads[id] = true
	}
	for _, id := range r.PostForm["member_ids"] {
		tf.Members[id] = true
	}
	return tf
}

// adminIDs lists the keys set in a form's checkbox map, sorted.
func adminIDs(set map[string]bool) []string {
	out := []string{}
	for id, on := range set {
		if on {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// adminTeamGrace reads the grace days typed in the team form: nil for empty
// (inherit); a field error for anything but a whole number.
func adminTeamGrace(tf *adminTeamForm) (*int, bool) {
	if tf.GraceDays == "" {
		return nil, true
	}
	g, err := strconv.Atoi(tf.GraceDays)
	if err != nil {
		tf.Errors = FieldErrors{"grace_days": "enter a whole number of days, or leave it empty to inherit"}
		return nil, false
	}
	return &g, true
}

func (h *Handler) adminCreateTeam(w http.ResponseWriter, r *Request) {
	tf := adminTeamFormInput(r)
	grace, ok := adminTeamGrace(&tf)
	if !ok {
		h.adminRenderTeamForm(w, r, http.StatusUnprocessableEntity, tf)
		return
	}
	in := app.TeamInput{Name: tf.Name, Slug: tf.Slug, ParentID: tf.ParentID,
		LeadIDs: adminIDs(tf.Leads), MemberIDs: adminIDs(tf.Members), GraceDays: grace, ChatWebhookURL: tf.ChatWebhookURL}
	if tf.Cadence != "inherit" {
		in.Cadence = org.Cadence(tf.Cadence)
	}
	t, err := h.app.CreateTeam(r.Context(), r.Actor, in, tf.Key)
	if fe, ok := fieldErrors(err); ok {
		tf.Errors = fe
		h.adminRenderTeamForm(w, r, adminStatus(err), tf)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/teams", "Team "+t.Name+" is created.")
}

func (h *Handler) adminEditTeam(w http.ResponseWriter, r *Request) {
	t, err := h.app.GetTeam(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	tf := adminTeamForm{ID: t.ID, Name: t.Name, Slug: t.Slug, ParentID: t.ParentID, Version: t.Version,
		Cadence: "inherit", ChatWebhookURL: t.ChatWebhookURL, Leads: map[string]bool{}, Members: map[string]bool{}}
	if t.Cadence != nil {
		tf.Cadence = string(*t.Cadence)
	}
	if t.GraceDays != nil {
		tf.GraceDays = strconv.Itoa(*t.GraceDays)
	}
	for _, id := range t.LeadIDs {
		tf.Leads[id] = true
	}
	for _, id := range t.MemberIDs {
		tf.Members[id] = true
	}
	h.adminRenderTeamForm(w, r, 0, tf)
}

func (h *Handler) adminUpdateTeam(w http.ResponseWriter, r *Request) {
	tf := adminTeamFormInput(r)
	tf.ID = r.PathValue("id")
	leads, members := adminIDs(tf.Leads), adminIDs(tf.Members)
	version := adminVersion(r)
	if version != nil {
		tf.Version = *version
	}
	grace, ok := adminTeamGrace(&tf)
	if !ok {
		h.adminRenderTeamForm(w, r, http.StatusUnprocessableEntity, tf)
		return
	}
	if grace == nil {
		inherit := -1
		grace = &inherit
	}
	up := app.TeamUpdate{Name: &tf.Name, Slug: &tf.Slug, ParentID: &tf.ParentID, LeadIDs: &leads, MemberIDs: &members,
		GraceDays: grace, ChatWebhookURL: &tf.ChatWebhookURL}
	if tf.Cadence != "" {
		up.Cadence = &tf.Cadence
	}
	t, err := h.app.UpdateTeam(r.Context(), r.Actor, tf.ID, version, up)
	if fe, ok := fieldErrors(err); ok && r.Actor.IsAdmin() {
		tf.Errors = fe
		h.adminRenderTeamForm(w, r, adminStatus(err), tf)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/teams", "Team "+t.Name+" is saved.")
}

// adminTeamDeleteView is the confirmation before a team is deleted.
type adminTeamDeleteView struct {
	Frame      adminFrame
	Team       org.Team
	Parent     org.Team
	SubTeams   []org.Team
	Error      string
	Dir        *directory
	HasMembers bool
}

func (h *Handler) adminRenderTeamDelete(w http.ResponseWriter, r *Request, status int, errMsg string) {
	t, err := h.app.GetTeam(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s, f, ok := h.adminShell(w, r, "Delete "+t.Name, adminTabTeams)
	if !ok {
		return
	}
	s.Crumbs = append(s.Crumbs, Crumb{Label: "Teams", Href: "/admin/teams"})
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := adminTeamDeleteView{Frame: f, Team: t, Parent: d.Team(t.ParentID), Error: errMsg, Dir: d,
		HasMembers: len(t.LeadIDs)+len(t.MemberIDs) > 0}
	for _, c := range d.Teams {
		if c.ParentID == t.ID {
			v.SubTeams = append(v.SubTeams, c)
		}
	}
	h.render(w, r.Request, status, adminTeamDeletePage(s, v))
}

func (h *Handler) adminConfirmDeleteTeam(w http.ResponseWriter, r *Request) {
	h.adminRenderTeamDelete(w, r, 0, "")
}

func (h *Handler) adminDeleteTeam(w http.ResponseWriter, r *Request) {
	t, err := h.app.GetTeam(r.Context(), r.Actor, r.PathValue("id"))
	if err == nil {
		err = h.app.DeleteTeam(r.Context(), r.Actor, t.ID)
	}
	if err != nil && r.Actor.IsAdmin() && adminRefusal(err) {
		h.adminRenderTeamDelete(w, r, adminStatus(err), adminSentence(messageOf(err)))
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/teams", "Team "+t.Name+" is deleted.")
}

// adminTeamSize counts a team's people: leads and members, each once.
func adminTeamSize(t org.Team) int {
	set := map[string]bool{}
	for _, id := range append(append([]string(nil), t.LeadIDs...), t.MemberIDs...) {
		set[id] = true
	}
	return len(set)
}

// adminIndent indents a row of a tree by its depth (an inline width, which
// the style policy allows).
func adminIndent(depth int) templ.SafeCSS {
	return templ.SafeCSS(fmt.Sprintf("padding-left:%.2frem", float64(depth)*1.25))
}

// adminIndentText indents an option of a select by its depth.
func adminIndentText(depth int) string { return strings.Repeat("\u00a0\u00a0\u00a0", depth) }
