package main

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/okr"
)

// The loop through the pages: sign in, create a company objective with a key
// result, align a team objective with its own key result to it, check in on
// the weekly page, and see the progress roll up in the tree and on the
// dashboard.
func TestBrowserLoopCreateAlignCheckInRollUp(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// A company objective.
	const companyTitle = "Win the Nordic market"
	s.visit("/objectives/new?period=" + s.demo.PeriodID)
	formsMark(s)
	s.do("create the company objective",
		chromedp.SendKeys(chromedp.CSS("#title"), companyTitle),
		chromedp.SetValue(chromedp.CSS("#owner_type"), "org"),
		chromedp.Click(chromedp.CSS(`main form button.btn-primary[type="submit"]`)),
	)
	formsWaitPath(s, "company objective created", "/objectives/")
	company := formsObjectiveByTitle(s, actor, companyTitle)

	// Its key result, owned by the signed-in owner.
	s.loopAddKeyResult(company.ID, "Sign 10 Nordic partners", "0", "10")

	// A team objective aligned to it, with a key result of its own.
	shop := s.loopTeam("Northwind Shop")
	const teamTitle = "Make the shop ready for Nordic customers"
	s.visit("/objectives/new?period=" + s.demo.PeriodID + "&parent=" + company.ID)
	formsMark(s)
	s.do("create the team objective",
		chromedp.SendKeys(chromedp.CSS("#title"), teamTitle),
		chromedp.SetValue(chromedp.CSS("#owner_type"), "team"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#owner_type").dispatchEvent(new Event("change", {bubbles: true}))`),
		chromedp.SetValue(chromedp.CSS("#owner_team"), shop),
		chromedp.Click(chromedp.CSS(`main form button.btn-primary[type="submit"]`)),
	)
	formsWaitPath(s, "team objective created", "/objectives/")
	team := formsObjectiveByTitle(s, actor, teamTitle)
	if len(team.Alignments) != 1 || team.Alignments[0].ParentID != company.ID || team.Alignments[0].Link != okr.Contributes {
		t.Fatalf("the team objective's alignments are %+v, want one contributing to %s", team.Alignments, company.ID)
	}
	teamKR := s.loopAddKeyResult(team.ID, "Translate the shop into 4 Nordic languages", "0", "4")

	// The weekly check-in: the new key result to 3 of 4.
	s.visit("/checkin")
	i := s.checkinRowIndex(teamKR)
	formsMark(s)
	s.do("check in 3 of 4",
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf("#ci-%d-value", i)), "3"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for="ci-%d-conf-8"]`, i))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="entries[%d].status"][value="on_track"] + label, label:has(input[name="entries[%d].status"][value="on_track"])`, i, i))),
	)
	s.do("save the check-in", chromedp.Click(chromedp.CSS(`main form button.btn-primary[type="submit"]`)))
	formsWaitPath(s, "check-in saved", "/checkin")
	if got := s.text(".flash"); !strings.Contains(got, "checked in") {
		t.Fatalf("after the check-in the page says %q", got)
	}

	// The roll-up: the team objective is at 75%, the company objective
	// averages its own key result (0%) and the team objective (75%).
	gotTeam, err := s.m.App.GetObjective(ctx, actor, team.ID)
	if err != nil {
		t.Fatal(err)
	}
	gotCompany, err := s.m.App.GetObjective(ctx, actor, company.ID)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(gotTeam.Progress-0.75) > 1e-9 || math.Abs(gotCompany.Progress-0.375) > 1e-9 {
		t.Fatalf("progress after the check-in: team %.4f, company %.4f; want 0.75 and 0.375", gotTeam.Progress, gotCompany.Progress)
	}

	// The tree shows both numbers.
	s.visit("/alignment?period=" + s.demo.PeriodID)
	body := s.pageText()
	for _, want := range []string{companyTitle, teamTitle} {
		if !strings.Contains(body, want) {
			t.Errorf("the alignment page lacks %q", want)
		}
	}
	companyRow := get(s, "company row", chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { const a = [...document.querySelectorAll("main a")].find(a => a.textContent.trim() === %q);
			let row = a; while (row && !row.querySelector(".pct")) row = row.parentElement;
			return row ? row.querySelector(".pct").textContent : "" })()`, companyTitle)))
	if strings.TrimSpace(companyRow) != "38%" {
		t.Errorf("the tree shows the company objective at %q, want 38%%", companyRow)
	}

	// The dashboard lists both objectives with their progress.
	s.visit("/dashboard?period=" + s.demo.PeriodID)
	dash := s.pageText()
	if !strings.Contains(dash, companyTitle) || !strings.Contains(dash, teamTitle) {
		t.Errorf("the dashboard lacks the new objectives")
	}
	teamRow := get(s, "dashboard row", chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { const tr = [...document.querySelectorAll("main tr")].find(tr => tr.textContent.includes(%q));
			return tr ? tr.innerText : "" })()`, teamTitle)))
	if !strings.Contains(teamRow, "75%") {
		t.Errorf("the dashboard's row of the team objective reads %q, want 75%%", teamRow)
	}
}

// loopAddKeyResult adds an increasing number key result through the form
// and returns its id.
func (s *site) loopAddKeyResult(objectiveID, title, baseline, target string) string {
	s.t.Helper()
	s.visit("/key-results/new?objective=" + objectiveID)
	formsMark(s)
	s.do("create key result "+title,
		chromedp.SendKeys(chromedp.CSS("#title"), title),
		chromedp.SetValue(chromedp.CSS("#owner_id"), s.ownerActor().UserID),
		chromedp.SetValue(chromedp.CSS("#baseline"), baseline),
		chromedp.SetValue(chromedp.CSS("#target"), target),
		chromedp.Click(chromedp.CSS(`main form button.btn-primary[type="submit"]`)),
	)
	formsWaitPath(s, "key result created", "/objectives/")
	page, err := s.m.App.ListKeyResults(context.Background(), s.ownerActor(), app.KeyResultQuery{ObjectiveID: objectiveID})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, k := range page.Items {
		if k.Title == title {
			return k.ID
		}
	}
	s.t.Fatalf("no key result %q stored", title)
	return ""
}

// loopTeam finds a demo team's id by name.
func (s *site) loopTeam(name string) string {
	s.t.Helper()
	page, err := s.m.App.ListTeams(context.Background(), s.ownerActor(), app.PageRequest{Limit: 200})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, tm := range page.Items {
		if tm.Name == name {
			return tm.ID
		}
	}
	s.t.Fatalf("no team %q in the demo", name)
	return ""
}
