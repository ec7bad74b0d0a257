package web

import (
	"net/http"

	"github.com/okrahq/okra/internal/errs"
)

// signInForm shows the sign-in page; a signed-in browser goes home.
func (h *Handler) signInForm(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(h.cookie); err == nil {
		if _, err := h.app.SessionActor(r.Context(), c.Value, requestID(r)); err == nil {
			http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, 0, signInPage(h.bareShell("Sign in"), "", r.URL.Query().Get("next"), nil))
}

// signIn checks the password and starts a new session.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	email, next := r.PostFormValue("email"), r.PostFormValue("next")
	in, err := h.app.SignIn(r.Context(), email, r.PostFormValue("password"), "", requestID(r))
	if errs.Is(err, errs.Unauthenticated) || errs.Is(err, errs.Invalid) {
		w.Header().Set("Cache-Control", "no-store")
		h.render(w, r, http.StatusUnauthorized, signInPage(h.bareShell("Sign in"), email, next,
			FieldErrors{"": "The e-mail or password is wrong. Check both and try again."}))
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.setSession(w, in.Secret)
	http.Redirect(w, r, localPath(next), http.StatusSeeOther)
}

// signOut ends the session on the server, then in the browser.
func (h *Handler) signOut(w http.ResponseWriter, r *Request) {
	if err := h.app.SignOut(r.Context(), r.Secret); err != nil {
		h.serverError(w, r.Request, err)
		return
	}
	h.clearSession(w)
	http.Redirect(w, r.Request, "/signin", http.StatusSeeOther)
}

// switchOrg moves the session to another organization of the person's.
func (h *Handler) switchOrg(w http.ResponseWriter, r *Request) {
	in, err := h.app.SwitchOrganization(r.Context(), r.Secret, r.PostFormValue("org"), requestID(r.Request))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setSession(w, in.Secret)
	http.SetCookie(w, &http.Cookie{Name: periodCookie, Value: "", Path: "/", Secure: h.secure, HttpOnly: true, MaxAge: -1})
	h.redirect(w, r.Request, "/", "You are now in "+in.Org.Name+".")
}

func (h *Handler) passwordForm(w http.ResponseWriter, r *Request) {
	h.render(w, r.Request, 0, passwordPage(h.shell(w, r, "Change password", ""), nil))
}

func (h *Handler) changePassword(w http.ResponseWriter, r *Request) {
	err := h.app.ChangePassword(r.Context(), r.Actor, r.Secret, r.PostFormValue("current_password"), r.PostFormValue("new_password"))
	if fe, ok := fieldErrors(err); ok {
		h.render(w, r.Request, http.StatusUnprocessableEntity, passwordPage(h.shell(w, r, "Change password", ""), fe))
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/", "Your password is changed. Other browsers signed in as you are signed out.")
}

// invitationView is an invitation as the accept page shows it.
type invitationView struct {
	Secret, OrgName, Email, Name, Role string
	ExistingUser                       bool
}

func (h *Handler) invitation(r *http.Request) (invitationView, error) {
	secret := r.PathValue("secret")
	p, err := h.app.InvitationBySecret(r.Context(), secret)
	return invitationView{Secret: secret, OrgName: p.OrgName, Email: p.Email, Name: p.Name, Role: string(p.Role),
		ExistingUser: p.ExistingUser}, err
}

// acceptForm shows an invitation: the invitee sets a password.
func (h *Handler) acceptForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	inv, err := h.invitation(r)
	if errs.Is(err, errs.NotFound) {
		w.WriteHeader(http.StatusNotFound)
		h.renderBare(w, r, errorPage(h.bareShell("Invitation"), "This invitation cannot be used",
			"The link is unknown, already used or expired. Ask the person who invited you for a new one."))
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, 0, acceptPage(h.bareShell("Join "+inv.OrgName), inv, nil))
}

// accept takes the invitation and signs the new member in.
func (h *Handler) accept(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	in, err := h.app.AcceptInvitation(r.Context(), r.PathValue("secret"), r.PostFormValue("name"), r.PostFormValue("password"), requestID(r))
	if fe, ok := fieldErrors(err); ok {
		inv, ierr := h.invitation(r)
		if ierr == nil {
			inv.Name = r.PostFormValue("name")
			h.render(w, r, http.StatusUnprocessableEntity, acceptPage(h.bareShell("Join "+inv.OrgName), inv, fe))
			return
		}
		err = ierr
	}
	if errs.Is(err, errs.NotFound) {
		h.acceptForm(w, r)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.setSession(w, in.Secret)
	h.flash(w, "Welcome to "+in.Org.Name+".")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
