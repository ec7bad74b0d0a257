package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// A person in two organizations sees one at a time: the other's objectives
// are absent from every page and their addresses answer the 404 page, until
// the person switches, which starts a new session in the other organization.
func TestBrowserTenancyOrganizationSwitch(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()

	// The demo owner also owns a second organization with an objective.
	other, err := s.m.App.Init(ctx, app.InitInput{OrgName: "Harbor Labs", Email: demo.OwnerEmail})
	if err != nil {
		t.Fatal(err)
	}
	owner := org.Actor{OrgID: other.Org.ID, UserID: other.Owner.ID, Role: org.RoleOwner,
		Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite, org.ScopeAdmin}, RequestID: "test"}
	p, err := s.m.App.CreatePeriod(ctx, owner, app.PeriodInput{Name: "Harbor Q1", Kind: okr.PeriodQuarterly,
		StartDate: "2026-10-01", EndDate: "2026-12-31"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.m.App.ActivatePeriod(ctx, owner, p.ID); err != nil {
		t.Fatal(err)
	}
	harbor, err := s.m.App.CreateObjective(ctx, owner, app.ObjectiveInput{PeriodID: p.ID,
		Title: "Open the harbor office", Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}

	// Signed in, the owner is in Northwind (the older membership).
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)
	if got := s.text(".org-switch summary .org-name"); got != "Northwind Group" {
		t.Fatalf("signed in to %q, want Northwind Group", got)
	}
	for _, path := range []string{"/objectives/" + harbor.ID, "/alignment?period=" + p.ID} {
		s.visit(path)
		if body := s.text("main"); strings.Contains(body, "Open the harbor office") {
			t.Errorf("Northwind's session shows Harbor's objective on %s", path)
		}
	}
	s.visit("/objectives/" + harbor.ID)
	if got := s.text("h1"); got != "Not found" {
		t.Errorf("Harbor's objective in a Northwind session shows %q, want the 404 page", got)
	}
	northwindObjective := firstObjective(t, s, s.demo.PeriodID)

	// Switching starts a session in Harbor: now Harbor's objective shows, and
	// Northwind's is the one not found.
	s.do("switch organization",
		chromedp.Click(chromedp.CSS(".org-switch summary")),
		chromedp.Click(chromedp.CSS(`.org-switch form button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if got := s.text(".flash"); !strings.Contains(got, "Harbor Labs") {
		t.Fatalf("after switching, the message is %q", got)
	}
	s.visit("/objectives/" + harbor.ID)
	if got := s.text("h1"); !strings.Contains(got, "Open the harbor office") {
		t.Errorf("Harbor's objective in a Harbor session shows %q", got)
	}
	s.visit("/objectives/" + northwindObjective.ID)
	if got := s.text("h1"); got != "Not found" {
		t.Errorf("Northwind's objective in a Harbor session shows %q, want the 404 page", got)
	}
	s.visit("/alignment")
	if body := s.text("main"); strings.Contains(body, northwindObjective.Title) {
		t.Errorf("the Harbor alignment page shows Northwind's objective %q", northwindObjective.Title)
	}
}

// firstObjective returns a company objective of the demo's period, read as the demo owner.
func firstObjective(t *testing.T, s *site, periodID string) okr.Objective {
	t.Helper()
	page, err := s.m.App.ListObjectives(context.Background(), s.ownerActor(), app.ObjectiveQuery{PeriodID: periodID, OwnerType: okr.OwnerOrg})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("no company objective in the demo period: %v", err)
	}
	return page.Items[0]
}
