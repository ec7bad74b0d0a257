package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/org"
)

// API tokens: admins manage every token of the organization at
// /admin/tokens; every member manages their own at /account/tokens, on the
// same page (the use cases limit a member to their own tokens).

// adminTokensView is the tokens page.
type adminTokensView struct {
	// Admin is the admin area's page (all tokens, minting for others); Base
	// is its address.
	Admin bool
	Base  string
	Frame adminFrame
	Dir   *directory
	// Tokens are active ones first, newest first.
	Tokens []org.Token
	Now    time.Time
	Loc    *time.Location
	// Scopes are the scopes the signed-in person may give.
	Scopes []org.Scope
	// The form: name, scopes, for whom, its Idempotency-Key and errors.
	Name    string
	Checked map[org.Scope]bool
	UserID  string
	Key     string
	Errors  FieldErrors
	Created *app.NewToken
}

// Live are the tokens not revoked.
func (v adminTokensView) Live() []org.Token {
	var out []org.Token
	for _, t := range v.Tokens {
		if t.RevokedAt == nil {
			out = append(out, t)
		}
	}
	return out
}

// Revoked are the revoked tokens.
func (v adminTokensView) Revoked() []org.Token {
	var out []org.Token
	for _, t := range v.Tokens {
		if t.RevokedAt != nil {
			out = append(out, t)
		}
	}
	return out
}

// adminRenderTokens renders the tokens page, in the admin area or the account.
func (h *Handler) adminRenderTokens(w http.ResponseWriter, r *Request, admin bool, status int, v adminTokensView) {
	var s *Shell
	if admin {
		var f adminFrame
		var ok bool
		if s, f, ok = h.adminShell(w, r, "API tokens", adminTabTokens); !ok {
			return
		}
		v.Frame, v.Base = f, "/admin/tokens"
	} else {
		s = h.shell(w, r, "My API tokens", "")
		v.Base = "/account/tokens"
	}
	v.Admin = admin
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Dir, v.Now, v.Loc = d, time.Now(), s.Me.Org.Location()
	for p := (app.PageRequest{Limit: 200}); ; {
		page, err := h.app.ListTokens(r.Context(), r.Actor, p)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, t := range page.Items {
			// My tokens are mine only, also for an admin.
			if admin || t.UserID == r.Actor.UserID {
				v.Tokens = append(v.Tokens, t)
			}
		}
		if page.NextCursor == "" {
			break
		}
		p.Cursor = page.NextCursor
	}
	slices.SortStableFunc(v.Tokens, func(a, b org.Token) int {
		if (a.RevokedAt == nil) != (b.RevokedAt == nil) {
			if a.RevokedAt == nil {
				return -1
			}
			return 1
		}
		return b.Created.Compare(a.Created)
	})
	for _, sc := range []org.Scope{org.ScopeRead, org.ScopeWrite, org.ScopeAdmin} {
		if s.Me.Role.MayHold(sc) && org.HasScope(r.Actor.Scopes, sc) {
			v.Scopes = append(v.Scopes, sc)
		}
	}
	if v.Checked == nil {
		v.Checked = map[org.Scope]bool{org.ScopeRead: true}
	}
	if v.UserID == "" {
		v.UserID = r.Actor.UserID
	}
	if v.Key == "" || v.Created != nil {
		v.Key = adminFormKey()
	}
	h.render(w, r.Request, status, adminTokensPage(s, v))
}

func (h *Handler) adminTokens(w http.ResponseWriter, r *Request) {
	h.adminRenderTokens(w, r, true, 0, adminTokensView{})
}

func (h *Handler) accountTokens(w http.ResponseWriter, r *Request) {
	h.adminRenderTokens(w, r, false, 0, adminTokensView{})
}

func (h *Handler) adminCreateToken(w http.ResponseWriter, r *Request) { h.adminMintToken(w, r, true) }

func (h *Handler) accountCreateToken(w http.ResponseWriter, r *Request) {
	h.adminMintToken(w, r, false)
}

// adminMintToken mints a token and shows its secret this once.
func (h *Handler) adminMintToken(w http.ResponseWriter, r *Request, admin bool) {
	if admin && !h.adminGate(w, r) {
		return
	}
	_ = r.ParseForm()
	v := adminTokensView{Name: r.PostFormValue("name"), UserID: r.PostFormValue("user_id"), Key: r.PostFormValue("key"),
		Checked: map[org.Scope]bool{}}
	in := app.TokenInput{Name: v.Name, UserID: v.UserID}
	if !admin {
		in.UserID = ""
	}
	for _, sc := range r.PostForm["scopes"] {
		v.Checked[org.Scope(sc)] = true
		in.Scopes = append(in.Scopes, org.Scope(sc))
	}
	tk, err := h.app.CreateToken(r.Context(), r.Actor, in, v.Key)
	if fe, ok := fieldErrors(err); ok {
		v.Errors = fe
		h.adminRenderTokens(w, r, admin, adminStatus(err), v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.adminRenderTokens(w, r, admin, http.StatusCreated, adminTokensView{Created: &tk})
}

func (h *Handler) adminRevokeToken(w http.ResponseWriter, r *Request) {
	h.adminRevokeTokenAt(w, r, "/admin/tokens")
}

func (h *Handler) accountRevokeToken(w http.ResponseWriter, r *Request) {
	h.adminRevokeTokenAt(w, r, "/account/tokens")
}

func (h *Handler) adminRevokeTokenAt(w http.ResponseWriter, r *Request, back string) {
	if back == "/admin/tokens" && !h.adminGate(w, r) {
		return
	}
	if err := h.app.RevokeToken(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	msg := "The token is revoked: requests with it are refused from now on."
	if name != "" {
		msg = "Token “" + name + "” is revoked: requests with it are refused from now on."
	}
	h.redirect(w, r.Request, back, msg)
}
