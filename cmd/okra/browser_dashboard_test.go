package main

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// pageText is everything the page says.
func (s *site) pageText() string {
	s.t.Helper()
	return get(s, "page text", chromedp.Evaluate[string](`document.body.innerText`))
}

// status opens a page and returns its HTTP status.
func (s *site) status(path string) int64 {
	s.t.Helper()
	resp := get(s, "open "+path, chromedp.NavigateResponse(s.base+path))
	s.do("wait for "+path, chromedp.WaitReady(chromedp.CSS("main")))
	return resp.Status
}

func percent(x float64) string { return strconv.Itoa(int(math.Round(x*100))) + "%" }

// teamByName finds a demo team.
func teamByName(t *testing.T, a *app.App, actor org.Actor, name string) org.Team {
	t.Helper()
	page, err := a.ListTeams(context.Background(), actor, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range page.Items {
		if tm.Name == name {
			return tm
		}
	}
	t.Fatalf("no team %q in the demo", name)
	return org.Team{}
}

func TestBrowserDashboard(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	owner := s.ownerActor()
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	want, err := s.m.App.Dashboard(ctx, owner, app.DashboardQuery{PeriodID: s.demo.PeriodID})
	if err != nil {
		t.Fatal(err)
	}
	if want.Objectives == 0 || want.Discipline.Total == 0 || len(want.AtRisk) == 0 {
		t.Fatalf("the demo's dashboard is empty: %+v", want)
	}
	s.visit("/dashboard?period=" + s.demo.PeriodID)
	if got := s.text("h1"); got != "Dashboard" {
		t.Fatalf("/dashboard shows %q", got)
	}
	if got := s.text("#stat-objectives .value"); got != strconv.Itoa(want.Objectives) {
		t.Errorf("objectives shown %q, the app counts %d", got, want.Objectives)
	}
	if got := s.text("#stat-discipline .value"); got != percent(want.Discipline.Share) {
		t.Errorf("discipline shown %q, the app computes %s", got, percent(want.Discipline.Share))
	}
	if got := s.text("#stat-progress .value"); got != percent(want.Progress) {
		t.Errorf("average progress shown %q, the app computes %s", got, percent(want.Progress))
	}
	// The worst risk comes first, with its reasons.
	first := want.AtRisk[0]
	if got := s.text(".dash-risks li:first-child .dash-risk-title"); got != first.Title {
		t.Errorf("first risk %q, want %q", got, first.Title)
	}
	if got := s.text(".dash-risks li:first-child .dash-reasons"); !strings.Contains(strings.ToLower(got), strings.ToLower(first.Reasons[0])) {
		t.Errorf("first risk's reasons %q lack %q", got, first.Reasons[0])
	}
	// Discipline per team: every team row of the app is in the table.
	table := s.text("#dash-team-discipline")
	for _, td := range want.TeamDiscipline {
		if !strings.Contains(table, td.Name) || !strings.Contains(table, strconv.Itoa(td.OnTime)+" of "+strconv.Itoa(td.Total)) {
			t.Errorf("team discipline table lacks %s %d of %d: %s", td.Name, td.OnTime, td.Total, table)
		}
	}
	s.checkAccessibility("dashboard")
	s.screenshots("dashboard")

	// The team filter (a GET form) cuts the numbers to a business unit.
	care := teamByName(t, s.m.App, owner, "Northwind Care")
	wantCare, err := s.m.App.Dashboard(ctx, owner, app.DashboardQuery{PeriodID: s.demo.PeriodID, TeamID: care.ID})
	if err != nil {
		t.Fatal(err)
	}
	if wantCare.Objectives == want.Objectives {
		t.Fatalf("the Care dashboard counts as many objectives as the whole group (%d)", want.Objectives)
	}
	s.do("filter by team",
		chromedp.SetValue(chromedp.CSS("#dash-team"), care.ID),
		chromedp.Submit(chromedp.CSS("#dash-team")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/teams/`+care.ID+`"]`)),
	)
	if got := s.text("#stat-objectives .value"); got != strconv.Itoa(wantCare.Objectives) {
		t.Errorf("Care objectives shown %q, the app counts %d", got, wantCare.Objectives)
	}
	if got := s.text("#stat-discipline .value"); wantCare.Discipline.Total > 0 && got != percent(wantCare.Discipline.Share) {
		t.Errorf("Care discipline shown %q, the app computes %s", got, percent(wantCare.Discipline.Share))
	}
	if got := s.text(".page-head .sub"); !strings.Contains(got, "Northwind Care") {
		t.Errorf("the filtered dashboard's subtitle %q does not name the team", got)
	}
	s.checkAccessibility("dashboard-team")
}

func TestBrowserTeams(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	owner := s.ownerActor()
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// The teams list shows the demo's tree.
	s.visit("/teams")
	list := s.text(".team-tree")
	page, err := s.m.App.ListTeams(ctx, owner, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) < 8 {
		t.Fatalf("the demo has %d teams", len(page.Items))
	}
	for _, tm := range page.Items {
		if !strings.Contains(list, tm.Name) {
			t.Errorf("/teams lacks %q", tm.Name)
		}
	}
	s.checkAccessibility("teams")
	s.screenshots("teams")

	// A team page: its people and its objectives in the period.
	shop := teamByName(t, s.m.App, owner, "Northwind Shop")
	s.visit("/teams/" + shop.ID + "?period=" + s.demo.PeriodID)
	if got := s.text("h1"); got != "Northwind Shop" {
		t.Fatalf("team page title %q", got)
	}
	if got := s.text(".crumbs"); !strings.Contains(got, "Northwind Group") {
		t.Errorf("crumbs %q lack the parent team", got)
	}
	people := s.text(".people-list")
	for _, name := range []string{"Daniel Okafor", "Sofia Marin"} {
		if !strings.Contains(people, name) {
			t.Errorf("the Shop's people %q lack %s", people, name)
		}
	}
	objs, err := s.m.App.ListObjectives(ctx, owner, app.ObjectiveQuery{PeriodID: s.demo.PeriodID, OwnerType: okr.OwnerTeam, OwnerID: shop.ID})
	if err != nil || len(objs.Items) == 0 {
		t.Fatalf("the Shop owns %d objectives (%v)", len(objs.Items), err)
	}
	shown := s.text(".team-objectives")
	for _, o := range objs.Items {
		if !strings.Contains(shown, o.Title) {
			t.Errorf("the Shop's page lacks its objective %q", o.Title)
		}
	}
	href := get(s, "new objective link", chromedp.Evaluate[string](`document.querySelector(".page-head .btn-primary").getAttribute("href")`))
	if want := "/objectives/new?period=" + s.demo.PeriodID + "&owner_type=team&owner_id=" + shop.ID; href != want {
		t.Errorf("primary action %q, want %q", href, want)
	}
	s.checkAccessibility("team")
	s.screenshots("team")

	// A person's page: their key results in the period.
	var sofia org.Member
	for _, id := range shop.MemberIDs {
		m, err := s.m.App.GetUser(ctx, owner, id)
		if err != nil {
			t.Fatal(err)
		}
		if m.Name == "Sofia Marin" {
			sofia = m
		}
	}
	krs, err := s.m.App.ListKeyResults(ctx, owner, app.KeyResultQuery{PeriodID: s.demo.PeriodID, OwnerID: sofia.ID})
	if err != nil || len(krs.Items) == 0 {
		t.Fatalf("Sofia owns %d key results (%v)", len(krs.Items), err)
	}
	s.do("open Sofia from the team page", chromedp.Click(chromedp.CSS(`.people-list a[href="/people/`+sofia.ID+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(".person-card")))
	if got := s.text("h1"); got != "Sofia Marin" {
		t.Fatalf("person page title %q", got)
	}
	if got := s.text(".person-card"); !strings.Contains(got, "sofia.marin@northwind.test") {
		t.Errorf("person card %q lacks the e-mail", got)
	}
	shownKRs := s.text(".person-krs")
	for _, k := range krs.Items {
		if !strings.Contains(shownKRs, k.Title) {
			t.Errorf("Sofia's page lacks her key result %q", k.Title)
		}
	}
	s.checkAccessibility("person")
	s.screenshots("person")
}

// TestBrowserTeamsTenantIsolation makes a second organization in the same
// database and checks that the demo owner reaches none of it through the pages.
func TestBrowserTeamsTenantIsolation(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	const marker = "Zeta-confidential"
	res, err := s.m.App.Init(ctx, app.InitInput{OrgName: "Zeta Corp", Email: "boss@zeta.test", Name: "Zed " + marker})
	if err != nil {
		t.Fatal(err)
	}
	zeta, err := s.m.App.Authenticate(ctx, res.Token, "browser-test")
	if err != nil {
		t.Fatal(err)
	}
	team, err := s.m.App.CreateTeam(ctx, zeta, app.TeamInput{Name: "Team " + marker, LeadIDs: []string{zeta.UserID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.m.App.CreatePeriod(ctx, zeta, app.PeriodInput{Name: "Q " + marker, Kind: okr.PeriodQuarterly, StartDate: "2026-01-01", EndDate: "2026-12-31"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.m.App.ActivatePeriod(ctx, zeta, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.m.App.CreateObjective(ctx, zeta, app.ObjectiveInput{PeriodID: p.ID, Title: "Objective " + marker,
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: team.ID}}, ""); err != nil {
		t.Fatal(err)
	}

	s.signIn(demo.OwnerEmail, demo.OwnerPassword)
	for _, path := range []string{
		"/teams/" + team.ID,
		"/people/" + zeta.UserID,
		"/dashboard?team=" + team.ID,
	} {
		if got := s.status(path); got != 404 {
			t.Errorf("%s answers %d, want 404", path, got)
		}
		if got := s.text("h1"); got != "Not found" {
			t.Errorf("%s shows %q, want the not-found page", path, got)
		}
		if strings.Contains(s.pageText(), marker) {
			t.Errorf("%s shows the other organization's data", path)
		}
	}
	// The dashboard, even asked for the other period, shows the demo's own.
	for _, path := range []string{"/dashboard", "/dashboard?period=" + p.ID, "/teams", "/teams?period=" + p.ID} {
		if got := s.status(path); got != 200 {
			t.Errorf("%s answers %d", path, got)
		}
		if text := s.pageText(); strings.Contains(text, marker) {
			t.Errorf("%s shows the other organization's data", path)
		}
	}
}
