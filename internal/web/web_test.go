package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
	"github.com/okrahq/okra/internal/web"
)

// site is the web UI over the demo organization on SQLite, served by
// httptest over TLS (so that the Secure session cookie travels).
type site struct {
	srv  *httptest.Server
	app  *app.App
	demo demo.Result
}

func newSite(tb testing.TB) *site {
	tb.Helper()
	clock := &demo.Clock{}
	st := storetest.SQLite(tb, store.Config{Now: clock.Now})
	a := app.New(st, nil)
	res, err := demo.Seed(context.Background(), a, clock, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	h, err := web.New(web.Config{App: a})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewTLSServer(h)
	tb.Cleanup(srv.Close)
	return &site{srv: srv, app: a, demo: res}
}

// browser is a client with a cookie jar that does not follow redirects.
func (s *site) browser(tb testing.TB) *http.Client {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	c := s.srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// signIn posts the sign-in form and returns the session cookie it set.
func (s *site) signIn(tb testing.TB, c *http.Client) *http.Cookie {
	tb.Helper()
	resp, err := c.PostForm(s.srv.URL+"/signin", url.Values{"email": {demo.OwnerEmail}, "password": {demo.OwnerPassword}, "next": {"/alignment"}})
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/alignment" {
		tb.Fatalf("sign-in answered %d to %q, want 303 to /alignment", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "__Host-okra_session" {
			return ck
		}
	}
	tb.Fatal("sign-in set no __Host-okra_session cookie")
	return nil
}

func get(tb testing.TB, c *http.Client, u string) (*http.Response, string) {
	tb.Helper()
	resp, err := c.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

func TestSessionCookie(t *testing.T) {
	s := newSite(t)
	c := s.browser(t)
	first := s.signIn(t, c)
	if !first.Secure || !first.HttpOnly || first.SameSite != http.SameSiteLaxMode || first.Path != "/" || first.Domain != "" {
		t.Errorf("session cookie %+v: want Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain", first)
	}
	if !strings.HasPrefix(first.Value, "okras_") {
		t.Errorf("session secret %q lacks its prefix", first.Value)
	}
	// A new session id at every sign-in.
	if second := s.signIn(t, s.browser(t)); second.Value == first.Value {
		t.Error("two sign-ins got the same session id")
	}
}

func TestSignedOutPagesGoToSignIn(t *testing.T) {
	s := newSite(t)
	resp, _ := get(t, s.browser(t), s.srv.URL+"/objectives/x?a=1")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin?next=%2Fobjectives%2Fx%3Fa%3D1" {
		t.Fatalf("a signed-out page answered %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestSignInNeverRedirectsOffSite(t *testing.T) {
	s := newSite(t)
	for _, next := range []string{"//evil.example/x", "https://evil.example/", `/\evil.example`, "javascript:alert(1)"} {
		resp, err := s.browser(t).PostForm(s.srv.URL+"/signin", url.Values{"email": {demo.OwnerEmail}, "password": {demo.OwnerPassword}, "next": {next}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q sent the browser to %q, want /", next, loc)
		}
	}
}

func TestStateChangesNeedTheCSRFToken(t *testing.T) {
	s := newSite(t)
	c := s.browser(t)
	s.signIn(t, c)
	_, page := get(t, c, s.srv.URL+"/account/password")
	m := csrfMeta.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page carries no CSRF token")
	}
	post := func(form url.Values, header http.Header) int {
		req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/account/password", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	wrong := url.Values{"current_password": {"wrong-password"}, "new_password": {"a-new-password-1"}}
	if got := post(wrong, nil); got != http.StatusForbidden {
		t.Errorf("a post without the token answered %d, want 403", got)
	}
	withToken := url.Values{"csrf": {m[1]}, "current_password": {"wrong-password"}, "new_password": {"a-new-password-1"}}
	if got := post(withToken, http.Header{"Sec-Fetch-Site": {"cross-site"}}); got != http.StatusForbidden {
		t.Errorf("a cross-site post answered %d, want 403", got)
	}
	// With the token, the form reaches the use case (which refuses the wrong current password).
	if got := post(withToken, nil); got != http.StatusUnprocessableEntity {
		t.Errorf("a post with the token answered %d, want the form's 422", got)
	}
	if got := post(url.Values{"current_password": {"x"}}, http.Header{"X-Csrf-Token": {m[1]}}); got != http.StatusUnprocessableEntity {
		t.Errorf("an htmx post with the token in its header answered %d, want 422", got)
	}
}

func TestSignOutEndsTheSessionOnTheServer(t *testing.T) {
	s := newSite(t)
	c := s.browser(t)
	cookie := s.signIn(t, c)
	_, page := get(t, c, s.srv.URL+"/account/password")
	token := csrfMeta.FindStringSubmatch(page)[1]
	resp, err := c.PostForm(s.srv.URL+"/signout", url.Values{"csrf": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// The old cookie, replayed by another client, no longer works.
	replay := s.browser(t)
	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+"/account/password", nil)
	req.AddCookie(cookie)
	resp, err = replay.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a signed-out session's cookie answered %d, want 303 to the sign-in page", resp.StatusCode)
	}
}

func TestSecurityHeadersAndAssets(t *testing.T) {
	s := newSite(t)
	c := s.browser(t)
	resp, page := get(t, c, s.srv.URL+"/signin")
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no X-Content-Type-Options: nosniff")
	}
	// Every script and style sheet is okra's own, under a content-hashed name.
	refs := regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(refs) < 4 {
		t.Fatalf("the sign-in page links %d assets, want the style sheet, htmx, Chart.js and okra's script", len(refs))
	}
	for _, r := range refs {
		if !regexp.MustCompile(`\.[0-9a-f]{10}\.(css|js|svg)$`).MatchString(r[1]) {
			t.Errorf("asset %s has no content hash in its name", r[1])
		}
		resp, body := get(t, c, s.srv.URL+r[1])
		if resp.StatusCode != http.StatusOK || len(body) == 0 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("asset %s: %d, %d bytes, Cache-Control %q", r[1], resp.StatusCode, len(body), resp.Header.Get("Cache-Control"))
		}
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Error("the sign-in page refers to something on the internet")
	}
	if resp, _ := get(t, c, s.srv.URL+"/static/app.0000000000.css"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown asset answered %d", resp.StatusCode)
	}
}

// The pages people open most, rendered over the demo organization
// (three business units, 47 key results, eight weeks of check-ins and learning), through the
// whole handler: session lookup, use cases, templates.
func BenchmarkPages(b *testing.B) {
	s := newSite(b)
	c := s.browser(b)
	s.signIn(b, c)
	objective := s.firstObjective(b)
	for _, p := range []struct{ name, path string }{
		{"home", "/"},
		{"alignment", "/alignment?period=" + s.demo.PeriodID},
		{"objective", "/objectives/" + objective},
		{"checkin", "/checkin"},
		{"dashboard", "/dashboard?period=" + s.demo.PeriodID},
		{"my-skills", "/skills"},
		{"my-learning", "/learning"},
		{"catalog", "/learning/catalog"},
		{"learning-dashboard", "/learning/dashboard"},
		{"team-skills", "/teams/" + s.teamID(b, "shop-support") + "/skills"},
		{"inbox", "/inbox"},
		{"kpis", "/kpis"},
		{"kpi", "/kpis/" + s.firstKPI(b)},
		{"period-review", "/periods/" + s.closedQuarter(b) + "/review"},
		{"lessons", "/lessons"},
		{"kudos", "/kudos"},
		{"review-packet", "/people/" + s.userID(b, "liam.chen@northwind.test") + "/review?period=" + s.demo.PeriodID},
		{"admin-settings", "/admin/settings"},
		{"admin-webhooks", "/admin/webhooks"},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				resp, err := c.Get(s.srv.URL + p.path)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s answered %d", p.path, resp.StatusCode)
				}
			}
		})
	}
}

// teamID finds a demo team by its slug.
func (s *site) teamID(tb testing.TB, slug string) string {
	tb.Helper()
	actor, err := s.app.Authenticate(context.Background(), s.demo.Token, "bench")
	if err != nil {
		tb.Fatal(err)
	}
	page, err := s.app.ListTeams(context.Background(), actor, app.PageRequest{Limit: 200})
	if err != nil {
		tb.Fatal(err)
	}
	for _, t := range page.Items {
		if t.Slug == slug {
			return t.ID
		}
	}
	tb.Fatalf("no demo team %s", slug)
	return ""
}

// owner is the demo owner, through the demo's API token.
func (s *site) owner(tb testing.TB) org.Actor {
	tb.Helper()
	actor, err := s.app.Authenticate(context.Background(), s.demo.Token, "bench")
	if err != nil {
		tb.Fatal(err)
	}
	return actor
}

func (s *site) firstKPI(tb testing.TB) string {
	tb.Helper()
	page, err := s.app.ListKPIs(context.Background(), s.owner(tb), app.KPIQuery{})
	if err != nil || len(page.Items) == 0 {
		tb.Fatalf("no KPI: %v", err)
	}
	return page.Items[0].ID
}

// closedQuarter is the demo's previous quarter, closed and reviewed.
func (s *site) closedQuarter(tb testing.TB) string {
	tb.Helper()
	page, err := s.app.ListPeriods(context.Background(), s.owner(tb), app.PageRequest{Limit: 50})
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range page.Items {
		if p.State == okr.PeriodClosed && p.Kind == okr.PeriodQuarterly {
			return p.ID
		}
	}
	tb.Fatal("the demo has no closed quarter")
	return ""
}

func (s *site) userID(tb testing.TB, email string) string {
	tb.Helper()
	page, err := s.app.ListUsers(context.Background(), s.owner(tb), app.PageRequest{Limit: 200})
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range page.Items {
		if m.Email == email {
			return m.ID
		}
	}
	tb.Fatalf("no demo user %s", email)
	return ""
}

func (s *site) firstObjective(tb testing.TB) string {
	tb.Helper()
	actor, err := s.app.Authenticate(context.Background(), s.demo.Token, "bench")
	if err != nil {
		tb.Fatal(err)
	}
	page, err := s.app.ListObjectives(context.Background(), actor, app.ObjectiveQuery{PeriodID: s.demo.PeriodID})
	if err != nil || len(page.Items) == 0 {
		tb.Fatalf("no objective: %v", err)
	}
	return page.Items[0].ID
}
