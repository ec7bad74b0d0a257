package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

// The admin area: members and roles, invitations, teams, periods and API
// tokens. Every page starts from the use case AdminSummary, which refuses
// anyone but an admin: a member who finds the address gets the 403 page.

// adminTab names the admin section a page belongs to.
type adminTab string

const (
	adminTabOverview adminTab = "overview"
	adminTabMembers  adminTab = "members"
	adminTabTeams    adminTab = "teams"
	adminTabPeriods  adminTab = "periods"
	adminTabTokens   adminTab = "tokens"
)

// adminFrame is what every admin page shows around its content: the section
// tabs with their counts.
type adminFrame struct {
	Tab     adminTab
	Summary app.AdminSummary
}

// adminShell loads the admin summary (refusing non-admins with the 403 page)
// and the page frame. ok is false when the answer was written already.
func (h *Handler) adminShell(w http.ResponseWriter, r *Request, title string, tab adminTab) (*Shell, adminFrame, bool) {
	sum, err := h.app.AdminSummary(r.Context(), r.Actor)
	if err != nil {
		h.fail(w, r, err)
		return nil, adminFrame{}, false
	}
	s := h.shell(w, r, title, "admin")
	if tab != adminTabOverview {
		s.Crumbs = []Crumb{{Label: "Admin", Href: "/admin"}}
	}
	return s, adminFrame{Tab: tab, Summary: sum}, true
}

// adminGate refuses a form of the admin area to anyone but an admin (the
// 403 page), before anything changes; it reports whether to go on.
func (h *Handler) adminGate(w http.ResponseWriter, r *Request) bool {
	if _, err := h.app.AdminSummary(r.Context(), r.Actor); err != nil {
		h.fail(w, r, err)
		return false
	}
	return true
}

// adminOverview shows the admin area: a card per section with its counts.
func (h *Handler) adminOverview(w http.ResponseWriter, r *Request) {
	s, f, ok := h.adminShell(w, r, "Admin", adminTabOverview)
	if !ok {
		return
	}
	h.render(w, r.Request, 0, adminOverviewPage(s, f))
}

// adminMemberRow is a member with the teams they lead or belong to.
type adminMemberRow struct {
	org.Member
	Teams []org.Team
}

// adminInvitedView is an invitation just made: its link is shown this once.
type adminInvitedView struct {
	Name, Email, Link, Expires string
}

// adminMembersView is the members page.
type adminMembersView struct {
	Frame   adminFrame
	Dir     *directory
	Members []adminMemberRow
	// Pending invitations may still be accepted; Past ones were accepted,
	// revoked or expired.
	Pending, Past []org.Invitation
	Now           time.Time
	Loc           *time.Location
	// Invite is the invitation form's input and errors.
	InviteEmail, InviteName, InviteRole string
	InviteErrors                        FieldErrors
	Invited                             *adminInvitedView
	// MemberError says why a change to a member was refused.
	MemberError   string
	MemberErrorID string
}

// adminLoadMembers fills the members page from the use cases.
func (h *Handler) adminLoadMembers(r *Request, v *adminMembersView, s *Shell) error {
	d, err := h.directory(r)
	if err != nil {
		return err
	}
	invs, err := h.app.ListInvitations(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	v.Dir, v.Now, v.Loc = d, time.Now(), s.Me.Org.Location()
	if v.InviteRole == "" {
		v.InviteRole = string(org.RoleMember)
	}
	for _, m := range d.Members {
		row := adminMemberRow{Member: m}
		for _, t := range d.Teams {
			if slices.Contains(t.LeadIDs, m.ID) || slices.Contains(t.MemberIDs, m.ID) {
				row.Teams = append(row.Teams, t)
			}
		}
		v.Members = append(v.Members, row)
	}
	// Active members first, then by name.
	slices.SortStableFunc(v.Members, func(a, b adminMemberRow) int {
		if a.Active != b.Active {
			if a.Active {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	for _, inv := range invs {
		if inv.Pending(v.Now) {
			v.Pending = append(v.Pending, inv)
		} else {
			v.Past = append(v.Past, inv)
		}
	}
	return nil
}

// adminRenderMembers renders the members page with status.
func (h *Handler) adminRenderMembers(w http.ResponseWriter, r *Request, status int, v adminMembersView) {
	s, f, ok := h.adminShell(w, r, "Members and roles", adminTabMembers)
	if !ok {
		return
	}
	v.Frame = f
	if err := h.adminLoadMembers(r, &v, s); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, status, adminMembersPage(s, v))
}

func (h *Handler) adminMembers(w http.ResponseWriter, r *Request) {
	h.adminRenderMembers(w, r, 0, adminMembersView{})
}

// adminToMembers answers a GET of an address that only takes forms (the
// period picker of a page rendered after a post sends one): the members page.
func (h *Handler) adminToMembers(w http.ResponseWriter, r *Request) {
	to := "/admin/members"
	if id := r.PathValue("id"); id != "" {
		to += "#member-" + id
	}
	http.Redirect(w, r.Request, to, http.StatusSeeOther)
}

// adminUpdateMember changes a member's role, or deactivates or reactivates
// them, with the version the form was rendered with.
func (h *Handler) adminUpdateMember(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	var in app.MemberUpdate
	if v := r.PostFormValue("role"); v != "" {
		role := org.Role(v)
		in.Role = &role
	}
	if v := r.PostFormValue("active"); v != "" {
		active := v == "true"
		in.Active = &active
	}
	m, err := h.app.UpdateUser(r.Context(), r.Actor, id, adminVersion(r), in)
	if err != nil {
		if !r.Actor.IsAdmin() || !adminRefusal(err) {
			h.fail(w, r, err)
			return
		}
		// A refused change (the last owner, an admin touching an owner, a
		// stale version) is shown on the members page, above the table.
		name := "this member"
		if before, gerr := h.app.GetUser(r.Context(), r.Actor, id); gerr == nil {
			name = before.Name
		}
		h.adminRenderMembers(w, r, adminStatus(err), adminMembersView{MemberErrorID: id,
			MemberError: "Could not change " + name + ": " + adminSentence(messageOf(err))})
		return
	}
	var msg string
	switch {
	case in.Active != nil && !*in.Active:
		msg = m.Name + " is deactivated: they can no longer sign in here. Reactivate them any time."
	case in.Active != nil:
		msg = m.Name + " is active again, as " + string(m.Role) + "."
	default:
		msg = m.Name + " is now " + string(m.Role) + "."
	}
	h.redirect(w, r.Request, "/admin/members", msg)
}

// adminInvite invites a person and shows the invitation's link this once:
// okra sends no e-mail yet, so the admin passes the link on.
func (h *Handler) adminInvite(w http.ResponseWriter, r *Request) {
	in := app.InvitationInput{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: org.Role(r.PostFormValue("role"))}
	out, err := h.app.Invite(r.Context(), r.Actor, in)
	if fe, ok := fieldErrors(err); ok {
		h.adminRenderMembers(w, r, adminStatus(err), adminMembersView{InviteEmail: in.Email, InviteName: in.Name,
			InviteRole: string(in.Role), InviteErrors: fe})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	inv := out.Invitation
	who := inv.Name
	if who == "" {
		who = inv.Email
	}
	me, err := h.app.Me(r.Context(), r.Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.adminRenderMembers(w, r, http.StatusCreated, adminMembersView{Invited: &adminInvitedView{
		Name: who, Email: inv.Email, Link: adminSiteURL(r.Request) + "/invitations/" + out.Secret,
		Expires: inv.Expires.In(me.Org.Location()).Format("Monday 2 January 2006 at 15:04 MST"),
	}})
}

// adminRevokeInvitation revokes an invitation: its link stops working.
func (h *Handler) adminRevokeInvitation(w http.ResponseWriter, r *Request) {
	if err := h.app.RevokeInvitation(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/members", "The invitation is revoked: its link no longer works.")
}

// adminSiteURL is the address this request reached okra at, for links people
// open elsewhere: the scheme from TLS or the proxy's X-Forwarded-Proto, the
// host from the request.
func adminSiteURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := strings.ToLower(strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0])); p == "https" || p == "http" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

// adminVersion reads the version a form was rendered with (nil when absent:
// the use case then asks for it).
func adminVersion(r *Request) *int {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return nil
	}
	return &v
}

// adminFormKey is a fresh Idempotency-Key for a creating form: a form sent
// twice creates one thing.
func adminFormKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "form-" + hex.EncodeToString(b)
}

// adminStatus is the status of a page re-rendered after a refused change.
func adminStatus(err error) int {
	switch errs.KindOf(err) {
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.PreconditionFailed:
		return http.StatusPreconditionFailed
	case errs.PreconditionRequired:
		return http.StatusPreconditionRequired
	}
	return http.StatusConflict
}

// adminRefusal reports whether err is a use case refusing a change for a
// reason the admin can act on (shown on the page, not as an error page).
func adminRefusal(err error) bool {
	switch errs.KindOf(err) {
	case errs.Invalid, errs.Conflict, errs.Forbidden, errs.PreconditionFailed, errs.PreconditionRequired:
		return true
	}
	return false
}

// adminSentence makes a use case's message a sentence: capital first, full stop last.
func adminSentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return msg
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// adminCap capitalizes a word: "quarterly" → "Quarterly".
func adminCap(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// adminRoles are the roles a member may hold, most powerful first.
var adminRoles = []org.Role{org.RoleOwner, org.RoleAdmin, org.RoleMember, org.RoleViewer}

// adminInviteRoles are the roles an invitation may give (owners are made from members).
var adminInviteRoles = []org.Role{org.RoleAdmin, org.RoleMember, org.RoleViewer}

// adminRoleHint says what a role may do.
func adminRoleHint(r org.Role) string {
	switch r {
	case org.RoleOwner:
		return "everything, including making other owners"
	case org.RoleAdmin:
		return "people, teams, periods and tokens; edits every OKR"
	case org.RoleMember:
		return "sets and checks in on their own and their teams' OKRs"
	case org.RoleViewer:
		return "reads everything shared with them; changes nothing"
	}
	return ""
}

// adminWhen formats a moment in the organization's time zone: "3 Mar 2026, 14:05".
func adminWhen(t time.Time, loc *time.Location) string { return t.In(loc).Format("2 Jan 2006, 15:04") }

// adminPlural is a word in the plural unless n is 1: "member", "members".
func adminPlural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
