package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/demo"
)

// adminAwait waits until the page the browser had (marked by adminMark) is
// replaced by a new, fully loaded one: the answer to a form post.
func (s *site) adminAwait(what string) {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(s.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__okraOld !== true && document.readyState === "complete" && !!document.querySelector("main")`))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	loc, _ := chromedp.Run(s.ctx, chromedp.Location())
	body, _ := chromedp.Run(s.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 600) : ""`))
	if png, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(filepath.Join(screenshotDir(s.t), "admin-failure.png"), png, 0o644)
	}
	s.t.Fatalf("%s: no new page (at %s): %s", what, loc, body)
}

// adminPost marks the page, runs the steps that send a form (confirmation
// dialogs accepted), and waits for the page that answers.
func (s *site) adminPost(what string, steps ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	s.do(what+": mark the page", chromedp.Evaluate[chromedp.Void](`window.__okraOld = true; window.confirm = () => true`))
	s.do(what, steps...)
	s.adminAwait(what)
}

// adminEval evaluates a script that returns a string.
func (s *site) adminEval(what, js string) string {
	s.t.Helper()
	return get(s, what, chromedp.Evaluate[string](js))
}

// adminRowID is the id of the first table row (selector rows) whose text has
// want, without its prefix ("member-", "team-", ...).
func (s *site) adminRowID(rows, want, prefix string) string {
	s.t.Helper()
	id := s.adminEval("find row "+want, `(() => { const tr = [...document.querySelectorAll(`+adminJS(rows)+`)].find(tr => tr.textContent.includes(`+adminJS(want)+`)); return tr ? tr.id : ""; })()`)
	if !strings.HasPrefix(id, prefix) {
		errors := s.adminEval("errors", `[...document.querySelectorAll(".form-error, .error, .flash")].map(e => e.textContent).join(" | ")`)
		s.t.Fatalf("no row with %q in %s (got id %q; messages: %s)", want, rows, id, errors)
	}
	return strings.TrimPrefix(id, prefix)
}

func adminJS(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// adminAPIStatus calls GET /api/v1/me with a token and returns the status.
func (s *site) adminAPIStatus(token string) int {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.base+"/api/v1/me", nil)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (s *site) adminSignOut() {
	s.t.Helper()
	s.adminPost("sign out",
		chromedp.Click(chromedp.CSS(".user-menu summary")),
		chromedp.Click(chromedp.CSS(`.user-menu form[action="/signout"] button`)),
	)
}

// TestBrowserAdmin walks the admin area as the demo owner: invite a person
// who joins through the link, change their role, put them in a new team,
// create and activate a period, mint and revoke an API token; and checks
// that a member is refused.
func TestBrowserAdmin(t *testing.T) {
	s := startSite(t)
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// The overview counts what the demo seeded: the owner and 14 people.
	s.visit("/admin")
	if got := s.text("h1"); got != "Admin" {
		t.Fatalf("/admin shows %q", got)
	}
	if got := s.text("#admin-members-h + .admin-big"); !strings.Contains(got, "15 active members") {
		t.Errorf("members card says %q, want 15 active members", got)
	}
	if got := s.text(".admin-tabs [aria-current=page]"); got != "Overview" {
		t.Errorf("current admin tab is %q", got)
	}
	s.checkAccessibility("admin")
	s.screenshots("admin")

	// Invite a new person: the link is shown once, absolute, with whom to send it to.
	s.visit("/admin/members")
	if got := s.text(".members-table"); !strings.Contains(got, "Sofia Marin") || !strings.Contains(got, "Shop Support") {
		t.Errorf("members table lacks Sofia Marin in Shop Support: %q", got)
	}
	s.adminPost("invite",
		chromedp.SendKeys(chromedp.CSS("#invite-email"), "nina.novak@northwind.test"),
		chromedp.SendKeys(chromedp.CSS("#invite-name"), "Nina Novak"),
		chromedp.Submit(chromedp.CSS(`main form[action="/admin/invitations"] button[type=submit]`)),
	)
	link := get(s, "invitation link", chromedp.Value(chromedp.CSS("#invitation-link")))
	if !strings.HasPrefix(link, s.base+"/invitations/okrai_") {
		t.Fatalf("invitation link %q is not an absolute link to %s/invitations/", link, s.base)
	}
	if got := s.text(".admin-secret"); !strings.Contains(got, "Send this link to Nina Novak; it works once and expires on") {
		t.Errorf("invitation card says %q", got)
	}
	if got := s.text("#invitations"); !strings.Contains(got, "nina.novak@northwind.test") {
		t.Errorf("pending invitations lack Nina: %q", got)
	}
	s.checkAccessibility("admin members")
	s.screenshots("admin-members")

	// A wrong e-mail is refused beside the field. (The screenshots leave the
	// viewport emulated: a fresh page gets the clicks where they belong.)
	s.visit("/admin/members")
	s.adminPost("invite with a bad e-mail",
		chromedp.SendKeys(chromedp.CSS("#invite-email"), "not-an-email"),
		chromedp.Submit(chromedp.CSS(`main form[action="/admin/invitations"] button[type=submit]`)),
	)
	if got := s.text("#invite-email-error"); got == "" {
		t.Error("a bad e-mail shows no message beside the field")
	}

	// Nina opens the link in the same browser after the owner signs out,
	// sets her password and lands on Home as a member of Northwind.
	s.adminSignOut()
	s.do("open the invitation", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#password")))
	if got := s.text("h1"); got != "Join Northwind Group" {
		t.Fatalf("invitation page shows %q", got)
	}
	s.adminPost("accept the invitation",
		chromedp.SetValue(chromedp.CSS("#name"), "Nina Novak"),
		chromedp.SendKeys(chromedp.CSS("#password"), "nina-password-2027"),
		chromedp.Submit(chromedp.CSS("#password")),
	)
	if loc := get(s, "location", chromedp.Location()); loc != s.base+"/" {
		t.Fatalf("after accepting, the browser is at %s, want Home", loc)
	}
	if got := s.text(".flash"); !strings.Contains(got, "Welcome to Northwind Group") {
		t.Errorf("Home greets Nina with %q", got)
	}
	if got := s.text(".user-menu summary"); !strings.Contains(got, "Nina Novak") {
		t.Errorf("signed in as %q, want Nina Novak", got)
	}

	// A member visiting the admin area gets the 403 page, and no Admin item.
	s.visit("/admin")
	if got := s.text("main h1"); got != "You cannot do this" {
		t.Errorf("a member's /admin shows %q, want the 403 page", got)
	}
	if n := get(s, "admin nav item", chromedp.Evaluate[int](`document.querySelectorAll('#main-nav a[href="/admin"]').length`)); n != 0 {
		t.Error("a member sees the Admin navigation item")
	}
	s.visit("/admin/members")
	if got := s.text("main h1"); got != "You cannot do this" {
		t.Errorf("a member's /admin/members shows %q, want the 403 page", got)
	}
	// Her own API tokens page works, without the choice of whom a token acts as.
	s.visit("/account/tokens")
	if got := s.text("h1"); got != "My API tokens" {
		t.Errorf("/account/tokens shows %q", got)
	}
	if n := get(s, "acts-as field", chromedp.Evaluate[int](`document.querySelectorAll('#token-user, input[value=admin]').length`)); n != 0 {
		t.Error("a member's token form offers other people or the admin scope")
	}
	s.checkAccessibility("my tokens")
	s.screenshots("account-tokens")
	s.visit("/account/tokens")
	s.adminSignOut()

	// The owner makes Nina an admin, and a member again.
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)
	s.visit("/admin/members")
	nina := s.adminRowID(".members-table tbody tr", "Nina Novak", "member-")
	for _, role := range []string{"admin", "member"} {
		s.adminPost("make Nina "+role,
			chromedp.SetValue(chromedp.CSS("#role-"+nina), role),
			chromedp.Submit(chromedp.CSS("#member-"+nina+" button[type=submit]")),
		)
		if got := s.text(".flash"); got != "Nina Novak is now "+role+"." {
			t.Errorf("after making Nina %s the page says %q", role, got)
		}
		if got := get(s, "Nina's role", chromedp.Value(chromedp.CSS("#role-"+nina))); got != role {
			t.Errorf("Nina's role shows %q, want %s", got, role)
		}
	}
	// The last owner cannot step down: the use case's message shows.
	owner := s.adminRowID(".members-table tbody tr", "Charlotte Brennan", "member-")
	s.adminPost("make the only owner an admin",
		chromedp.SetValue(chromedp.CSS("#role-"+owner), "admin"),
		chromedp.Submit(chromedp.CSS("#member-"+owner+" button[type=submit]")),
	)
	if got := s.text("#member-error"); !strings.Contains(got, "Could not change Charlotte Brennan") || !strings.Contains(got, "at least one active owner") {
		t.Errorf("refusal says %q", got)
	}

	// A new team with Nina as its lead.
	s.visit("/admin/teams/new")
	s.checkAccessibility("admin team form")
	s.screenshots("admin-team-form")
	s.visit("/admin/teams/new")
	s.adminPost("create a team",
		chromedp.SendKeys(chromedp.CSS("#team-name"), "Onboarding Guild"),
		chromedp.Click(chromedp.CSS("#lead-"+nina)),
		chromedp.Submit(chromedp.CSS(`main form[action="/admin/teams"] button[type=submit]`)),
	)
	if got := s.text(".flash"); got != "Team Onboarding Guild is created." {
		t.Errorf("after creating a team the page says %q", got)
	}
	team := s.adminRowID(".teams-table tbody tr", "Onboarding Guild", "team-")
	if got := s.text("#team-" + team); !strings.Contains(got, "onboarding-guild") || !strings.Contains(got, "Nina Novak") {
		t.Errorf("the new team's row reads %q, want its slug and lead", got)
	}
	s.checkAccessibility("admin teams")
	s.screenshots("admin-teams")
	s.visit("/admin/members")
	if got := s.text("#member-" + nina); !strings.Contains(got, "Onboarding Guild") {
		t.Errorf("Nina's row lacks her new team: %q", got)
	}

	// An id that is not this organization's answers the 404 page.
	s.visit("/admin/teams/01a00000-0000-7000-8000-000000000000")
	if got := s.text("main h1"); got != "Not found" {
		t.Errorf("an unknown team's admin page shows %q, want the 404 page", got)
	}

	// A period: created in planning, then activated.
	s.visit("/admin/periods")
	s.adminPost("create a period",
		chromedp.SendKeys(chromedp.CSS("#period-name"), "Onboarding sprint"),
		chromedp.SetValue(chromedp.CSS("#period-kind"), "custom"),
		chromedp.SetValue(chromedp.CSS("#period-start"), "2031-01-05"),
		chromedp.SetValue(chromedp.CSS("#period-end"), "2031-02-27"),
		chromedp.Submit(chromedp.CSS(`main form[action="/admin/periods"] button[type=submit]`)),
	)
	period := s.adminRowID(".periods-table tbody tr", "Onboarding sprint", "period-")
	if got := s.text("#period-" + period + " .period-state"); got != "Planning" {
		t.Errorf("a new period is %q, want Planning", got)
	}
	if got := s.text("#period-" + period); !strings.Contains(got, "5 Jan 2031 – 27 Feb 2031") {
		t.Errorf("the new period's row reads %q", got)
	}
	s.adminPost("activate the period",
		chromedp.Submit(chromedp.CSS("#period-"+period+` form[action$="/activate"] button`)),
	)
	if got := s.text("#period-" + period + " .period-state"); got != "Active" {
		t.Errorf("an activated period is %q, want Active", got)
	}
	s.checkAccessibility("admin periods")
	s.screenshots("admin-periods")
	// Closing asks first, and says what it does.
	s.visit("/admin/periods/" + period + "/close")
	if got := s.text(".admin-confirm"); !strings.Contains(got, "read-only") {
		t.Errorf("the close confirmation says %q", got)
	}
	s.checkAccessibility("close period")

	// An API token: the secret once, then only the name; revoked, the API refuses it.
	s.visit("/admin/tokens")
	s.adminPost("create a token",
		chromedp.SendKeys(chromedp.CSS("#token-name"), "Release bot"),
		chromedp.Click(chromedp.CSS(`input[name=scopes][value=write]`)),
		chromedp.Submit(chromedp.CSS(`main form[action="/admin/tokens"] button[type=submit]`)),
	)
	secret := get(s, "token secret", chromedp.Value(chromedp.CSS("#new-token-secret")))
	if !strings.HasPrefix(secret, "okra_") {
		t.Fatalf("the new token's secret is %q", secret)
	}
	if got := s.text(".admin-secret"); !strings.Contains(got, "only this once") {
		t.Errorf("the secret's card says %q", got)
	}
	s.checkAccessibility("admin tokens")
	s.screenshots("admin-tokens")
	if code := s.adminAPIStatus(secret); code != http.StatusOK {
		t.Fatalf("GET /api/v1/me with the new token answers %d", code)
	}
	s.visit("/admin/tokens")
	html := get(s, "tokens page", chromedp.OuterHTML(chromedp.CSS("html")))
	if strings.Contains(html, secret) {
		t.Error("the token's secret shows a second time")
	}
	token := s.adminRowID(".tokens-table tbody tr", "Release bot", "token-")
	if got := s.text("#token-" + token); !strings.Contains(got, "read") || !strings.Contains(got, "write") || !strings.Contains(got, "just now") {
		t.Errorf("the token's row reads %q, want its scopes and its use just now", got)
	}
	s.adminPost("revoke the token", chromedp.Submit(chromedp.CSS("#token-"+token+` form[action$="/revoke"] button`)))
	if got := s.adminEval("revoked row", `(document.querySelector("#revoked-tokens #token-`+token+`") || {}).textContent || ""`); !strings.Contains(got, "Revoked just now") {
		t.Errorf("a revoked token's row reads %q, want it among the revoked, revoked just now", got)
	}
	if code := s.adminAPIStatus(secret); code != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me with the revoked token answers %d, want 401", code)
	}
}
