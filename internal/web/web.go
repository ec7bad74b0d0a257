// Package web is okra's server-rendered UI: pages built with templ, forms
// that post to the same use cases as the API, htmx for in-place updates and
// Chart.js for charts. Every asset is embedded; nothing loads from the
// internet.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

// Config is what the UI needs from the binary.
type Config struct {
	App *app.App
	Log *slog.Logger
	// InsecureCookies drops the Secure flag (and the __Host- prefix) from the
	// session cookie, for a trial over plain HTTP on a host other than
	// localhost. Never in production.
	InsecureCookies bool
}

// Handler serves the web UI.
type Handler struct {
	app     *app.App
	log     *slog.Logger
	assets  *assets
	cookie  string
	secure  bool
	mux     *http.ServeMux
	handler http.Handler
}

// New builds the UI's handler with every route registered.
func New(cfg Config) (*Handler, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	h := &Handler{app: cfg.App, log: cfg.Log, assets: a, mux: http.NewServeMux(),
		cookie: "__Host-okra_session", secure: true}
	if h.log == nil {
		h.log = slog.Default()
	}
	if cfg.InsecureCookies {
		h.cookie, h.secure = "okra_session", false
	}
	h.routes()
	// Browsers say where a request comes from (Sec-Fetch-Site, Origin): a
	// state-changing request from another site is refused before any handler
	// runs. The per-session CSRF token below is the second line.
	cop := http.NewCrossOriginProtection()
	h.handler = securityHeaders(cop.Handler(h.mux))
	return h, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.handler.ServeHTTP(w, r) }

// securityHeaders sets the headers every UI response carries: scripts only
// from okra itself, no framing, no referrer to other sites.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
			"img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "+
			"form-action 'self'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}

// Request is one signed-in request: who acts, and the CSRF token its forms carry.
type Request struct {
	*http.Request
	Actor  org.Actor
	Secret string
	CSRF   string
}

// Ctx is the request's context.
func (r *Request) Ctx() context.Context { return r.Context() }

// signedIn wraps a page handler: it finds the session (or sends the browser
// to the sign-in page), and refuses a state-changing request whose CSRF token
// is missing or wrong.
func (h *Handler) signedIn(fn func(http.ResponseWriter, *Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(h.cookie)
		var actor org.Actor
		if err == nil {
			actor, err = h.app.SessionActor(r.Context(), c.Value, requestID(r))
		}
		if err != nil {
			if !errs.Is(err, errs.Unauthenticated) && !errors.Is(err, http.ErrNoCookie) {
				h.serverError(w, r, err)
				return
			}
			h.clearSession(w)
			h.toSignIn(w, r)
			return
		}
		req := &Request{Request: r, Actor: actor, Secret: c.Value, CSRF: app.CSRFToken(c.Value)}
		if !safeMethod(r.Method) {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		if !safeMethod(r.Method) && !validCSRF(r, req.CSRF) {
			h.log.Warn("csrf token missing or wrong", "path", r.URL.Path)
			w.WriteHeader(http.StatusForbidden)
			h.renderBare(w, r, errorPage(h.bareShell("Form expired"), "This form has expired",
				"The page was open too long or came from somewhere else. Go back, reload the page and send it again."))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		fn(w, req)
	}
}

// maxBody bounds a form's body, uploads included (framework files and LMS
// reports, up to 32 MB each, are the largest).
const maxBody = 40 << 20

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return got != "" && got == want
}

// toSignIn sends the browser to the sign-in page, remembering where it was going.
func (h *Handler) toSignIn(w http.ResponseWriter, r *http.Request) {
	target := "/signin"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// setSession starts the browser's session: a new id at every sign-in.
func (h *Handler) setSession(w http.ResponseWriter, secret string) {
	http.SetCookie(w, &http.Cookie{Name: h.cookie, Value: secret, Path: "/", Secure: h.secure, HttpOnly: true,
		SameSite: http.SameSiteLaxMode})
}

func (h *Handler) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: h.cookie, Value: "", Path: "/", Secure: h.secure, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// localPath keeps a redirect target on this site: a path, never a URL to
// another host.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func requestID(r *http.Request) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "web-" + hex.EncodeToString(b)
}

// flash carries one message across a redirect.
const flashCookie = "okra_flash"

func (h *Handler) flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", Secure: h.secure,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func (h *Handler) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", Secure: h.secure, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	msg, _ := url.QueryUnescape(c.Value)
	return msg
}

// redirect answers a form post: a 303 to the next page, with a message.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to, msg string) {
	if msg != "" {
		h.flash(w, msg)
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// render writes a page (status 200 unless set).
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status != 0 {
		w.WriteHeader(status)
	}
	if err := c.Render(r.Context(), w); err != nil {
		h.log.Error("rendering a page", "path", r.URL.Path, "err", err)
	}
}

func (h *Handler) renderBare(w http.ResponseWriter, r *http.Request, c templ.Component) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := c.Render(r.Context(), w); err != nil {
		h.log.Error("rendering a page", "path", r.URL.Path, "err", err)
	}
}

// fail answers a request whose use case failed with the page that fits the
// error's kind. Invalid input is the forms' own business: they show it
// beside the fields.
func (h *Handler) fail(w http.ResponseWriter, r *Request, err error) {
	switch errs.KindOf(err) {
	case errs.NotFound:
		s := h.shell(w, r, "Not found", "")
		h.render(w, r.Request, http.StatusNotFound, errorPage(s, "Not found",
			"There is nothing here, or it is not shared with you. Check the address, or start from Home."))
	case errs.Forbidden:
		s := h.shell(w, r, "Not allowed", "")
		h.render(w, r.Request, http.StatusForbidden, errorPage(s, "You cannot do this", messageOf(err)))
	case errs.Unauthenticated:
		h.toSignIn(w, r.Request)
	case errs.Conflict, errs.PreconditionFailed, errs.Invalid:
		s := h.shell(w, r, "Could not save", "")
		h.render(w, r.Request, http.StatusConflict, errorPage(s, "Could not save", messageOf(err)))
	default:
		h.serverError(w, r.Request, err)
	}
}

func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("web request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	w.WriteHeader(http.StatusInternalServerError)
	h.renderBare(w, r, errorPage(h.bareShell("Error"), "Something went wrong",
		"okra could not finish this request. Try again in a moment; if it keeps failing, tell your administrator the time it happened."))
}

// messageOf is an error's message for people, without its cause.
func messageOf(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		msg := e.Message
		for _, f := range e.Fields {
			msg += " " + f.Message + "."
		}
		return strings.TrimSpace(msg)
	}
	return "Something went wrong."
}

// FieldErrors maps each field of an invalid input to what is wrong with it;
// "" holds a message that belongs to no field.
type FieldErrors map[string]string

// fieldErrors turns an Invalid error into per-field messages, the first
// one of each field (a use case names the most basic problem first); ok is
// false for any other error, which the caller passes to fail.
func fieldErrors(err error) (FieldErrors, bool) {
	var e *errs.Error
	if !errors.As(err, &e) || (e.Kind != errs.Invalid && e.Kind != errs.Conflict && e.Kind != errs.PreconditionFailed) {
		return nil, false
	}
	fe := FieldErrors{}
	for _, f := range e.Fields {
		if _, seen := fe[f.Field]; !seen {
			fe[f.Field] = f.Message
		}
	}
	if len(e.Fields) == 0 {
		fe[""] = e.Message
	}
	return fe, true
}
