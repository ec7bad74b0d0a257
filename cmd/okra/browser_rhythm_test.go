package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// The inbox (a low-confidence check-in without a blocker asks for one; the
// demo's digests), Admin → Settings with its validation, and a team's own
// check-in rhythm on the team form.

// The save buttons, clicked as a person would. The page's period picker is
// also a form whose action is the page's own path (its "Show" button is
// visually hidden when JavaScript runs), so the selectors name the post form.
const (
	rhySaveSettings = `main form[method="post"][action="/admin/settings"] .actions button[type=submit]`
	rhySaveTeam     = `main form[method="post"] .actions button[type=submit].btn-primary`
)

// rhySomeKeyResult picks a manual key result of an open objective.
func rhySomeKeyResult(t *testing.T, s *site, actor org.Actor) okr.KeyResult {
	t.Helper()
	mine, err := s.m.App.ListKeyResults(context.Background(), actor, app.KeyResultQuery{PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range mine.Items {
		if k.Source == okr.SourceManual && k.Kind == okr.Increase && k.Health != okr.HealthClosed {
			if _, err := s.m.App.CheckIn(context.Background(), actor, k.ID, app.CheckInInput{Confidence: 0.2, Status: okr.AtRisk}, ""); err == nil {
				return k
			}
		}
	}
	t.Fatal("no manual key result the owner could check in")
	return okr.KeyResult{}
}

func TestBrowserRhythm(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	owner := s.ownerActor()
	k := rhySomeKeyResult(t, s, owner) // checked in at confidence 2 in 10, no blocker
	in, err := s.m.App.ListNotifications(ctx, owner, true, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var ask app.Notification
	for _, n := range in.Items {
		if n.Kind == app.NotifyBlocker && strings.Contains(n.Title, k.Title) {
			ask = n
		}
	}
	if ask.ID == "" {
		t.Fatalf("no request for a blocker after a check-in at 2 in 10: %+v", in.Items)
	}
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// The inbox, its count in the navigation.
	s.visit("/inbox")
	if got := s.text("h1"); got != "Inbox" {
		t.Fatalf("/inbox shows %q", got)
	}
	if got := s.text(`.nav a[aria-current="page"]`); !strings.HasPrefix(got, "Inbox") || !strings.Contains(got, strconv.Itoa(in.Unread)) {
		t.Errorf("the navigation's current item reads %q, want Inbox with %d unread", got, in.Unread)
	}
	if got := s.text("#n-" + ask.ID + " h3"); got != ask.Title {
		t.Errorf("the blocker request reads %q, want %q", got, ask.Title)
	}
	s.checkAccessibility("inbox")
	s.screenshots("inbox")

	// Mark one read: it stays listed, no longer unread.
	formsMark(s)
	s.do("mark the request read", chromedp.Click(chromedp.CSS(`#n-`+ask.ID+` form[action$="/read"] button`)))
	formsWaitPath(s, "mark read", "/inbox")
	if cls := get(s, "class of the request", chromedp.Evaluate[string](`document.querySelector("#n-`+ask.ID+`").className`)); strings.Contains(cls, "unread") {
		t.Errorf("the request read is still shown unread (%q)", cls)
	}
	if n, err := s.m.App.ReadNotification(ctx, owner, ask.ID); err != nil || n.ReadAt == nil {
		t.Errorf("the request is not read in the store: %+v %v", n, err)
	}

	// The unread filter, then mark all read.
	s.visit("/inbox?unread=1")
	if got := get(s, "unread items", chromedp.Evaluate[int](`document.querySelectorAll(".inbox-item").length`)); got != in.Unread-1 {
		t.Errorf("the unread filter lists %d, want %d", got, in.Unread-1)
	}
	if in.Unread > 1 {
		formsMark(s)
		s.do("mark all read", chromedp.Click(chromedp.CSS(`form[action="/inbox/read-all"] button`)))
		formsWaitPath(s, "mark all read", "/inbox")
		if got := s.text(".flash"); !strings.Contains(got, "Marked ") {
			t.Errorf("after marking all read the page says %q", got)
		}
	}
	if n, err := s.m.App.UnreadNotifications(ctx, owner); err != nil || n != 0 {
		t.Errorf("unread after marking all read: %d %v", n, err)
	}

	// Admin → Settings: a wrong value is refused beside its field; a right one is saved.
	s.visit("/admin/settings")
	if got := s.text("h1"); got != "Settings" {
		t.Fatalf("/admin/settings shows %q", got)
	}
	s.checkAccessibility("admin-settings")
	s.screenshots("admin-settings")
	s.do("choose biweekly and a grace too long",
		chromedp.SetValue(chromedp.CSS("#set-cadence"), "biweekly"),
		chromedp.SetValue(chromedp.CSS("#set-grace"), "40"))
	formsMark(s)
	s.do("save", chromedp.Click(chromedp.CSS(rhySaveSettings)))
	formsWaitPath(s, "save the settings", "/admin/settings")
	if got := s.text("#set-grace-error"); !strings.Contains(got, "between 0 and 30") {
		t.Errorf("a grace of 40 days says %q", got)
	}
	s.checkAccessibility("admin-settings-error")
	s.do("a grace of four days", chromedp.SetValue(chromedp.CSS("#set-grace"), "4"))
	formsMark(s)
	s.do("save again", chromedp.Click(chromedp.CSS(rhySaveSettings)))
	formsWaitPath(s, "save the settings", "/admin/settings")
	if got, err := s.m.App.GetSettings(ctx, owner); err != nil || got.Cadence != org.Biweekly || got.CadenceDays != 14 || got.GraceDays != 4 {
		t.Errorf("the settings saved: %+v %v", got, err)
	}

	// A team's own rhythm on the team form.
	teams, err := s.m.App.ListTeams(ctx, owner, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	team := teams.Items[0]
	s.visit("/admin/teams/" + team.ID)
	s.do("monthly, two days of grace",
		chromedp.SetValue(chromedp.CSS("#team-cadence"), "monthly"),
		chromedp.SetValue(chromedp.CSS("#team-grace"), "2"))
	s.checkAccessibility("team-rhythm")
	s.screenshots("team-rhythm")
	formsMark(s)
	s.do("save the team", chromedp.Click(chromedp.CSS(rhySaveTeam)))
	formsWaitPath(s, "save the team", "/admin/teams")
	got, err := s.m.App.GetTeam(ctx, owner, team.ID)
	if err != nil || got.Cadence == nil || *got.Cadence != org.Monthly || got.GraceDays == nil || *got.GraceDays != 2 {
		t.Errorf("the team's rhythm: %+v %v", got, err)
	}
	// Back to inheriting.
	s.visit("/admin/teams/" + team.ID)
	s.do("inherit", chromedp.SetValue(chromedp.CSS("#team-cadence"), "inherit"), chromedp.SetValue(chromedp.CSS("#team-grace"), ""))
	formsMark(s)
	s.do("save the team", chromedp.Click(chromedp.CSS(rhySaveTeam)))
	formsWaitPath(s, "save the team", "/admin/teams")
	if got, err := s.m.App.GetTeam(ctx, owner, team.ID); err != nil || got.Cadence != nil || got.GraceDays != nil {
		t.Errorf("the team after choosing inherit: %+v %v", got, err)
	}
}
