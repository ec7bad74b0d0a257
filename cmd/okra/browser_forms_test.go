package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// formsActor is the demo owner acting through the app, to check what the
// forms stored.
func formsActor(s *site) org.Actor {
	s.t.Helper()
	actor, err := s.m.App.Authenticate(context.Background(), s.demo.Token, "browser-forms-test")
	if err != nil {
		s.t.Fatal(err)
	}
	return actor
}

// formsMark marks the page in the browser, so that formsWaitPath can tell
// the next page from it.
func formsMark(s *site) {
	s.t.Helper()
	get(s, "mark the page", chromedp.Evaluate[bool](`window.formsOldPage = true`))
}

// formsWaitPath waits until the browser has left the marked page for a
// loaded page whose path starts with prefix (a form's redirect).
func formsWaitPath(s *site, what, prefix string) string {
	s.t.Helper()
	expr := `!window.formsOldPage && location.pathname.startsWith(` + formsJSString(prefix) + `) && document.readyState === "complete" && !!document.querySelector("main")`
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		// A navigation replaces the page's context under a running
		// evaluation: an error here means "not yet".
		ctx, cancel := context.WithTimeout(s.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return get(s, "location", chromedp.Location())
		}
		time.Sleep(100 * time.Millisecond)
	}
	loc, _ := chromedp.Run(s.ctx, chromedp.Location())
	s.t.Fatalf("%s: still at %s, want a new page under %s", what, loc, prefix)
	return ""
}

func formsJSString(s string) string { return "'" + strings.ReplaceAll(s, "'", "\\'") + "'" }

// formsObjectiveByTitle finds an objective of the period by its title.
func formsObjectiveByTitle(s *site, actor org.Actor, title string) okr.Objective {
	s.t.Helper()
	page, err := s.m.App.ListObjectives(context.Background(), actor, app.ObjectiveQuery{PeriodID: s.demo.PeriodID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, o := range page.Items {
		if o.Title == title {
			return o
		}
	}
	s.t.Fatalf("no objective %q in the demo's quarter", title)
	return okr.Objective{}
}

func TestBrowserForms(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := formsActor(s)
	company := formsObjectiveByTitle(s, actor, "Give every shopper support worth recommending to a friend")
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// A new objective in the active quarter, aligned to a company objective.
	s.visit("/objectives/new?period=" + s.demo.PeriodID)
	if got := s.text("h1"); got != "New objective" {
		t.Fatalf("/objectives/new shows %q", got)
	}
	if got := get(s, "period", chromedp.Value(chromedp.CSS("#period_id"))); got != s.demo.PeriodID {
		t.Fatalf("?period= preselects %q, want the active quarter %q", got, s.demo.PeriodID)
	}
	s.checkAccessibility("new-objective")
	s.screenshots("forms-new-objective")
	// The filter narrows the picker to what matches.
	s.do("filter parents", chromedp.SendKeys(chromedp.CSS("#align-filter"), "recommending"))
	shown := get(s, "count shown parents", chromedp.Evaluate[int](`[...document.querySelectorAll("#align-list > li")].filter(li => !li.hidden).length`))
	total := get(s, "count parents", chromedp.Evaluate[int](`document.querySelectorAll("#align-list > li").length`))
	if shown != 1 || total < 3 {
		t.Fatalf("filtering parents by “recommending” shows %d of %d, want 1", shown, total)
	}
	const title = "Turn happy shoppers into our best marketing channel"
	formsMark(s)
	s.do("fill the objective",
		chromedp.SendKeys(chromedp.CSS("#title"), title),
		chromedp.SetValue(chromedp.CSS("#owner_type"), "org"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#owner_type").dispatchEvent(new Event("change", {bubbles: true}))`),
		chromedp.Click(chromedp.CSS("#al-"+company.ID)),
		chromedp.Click(chromedp.CSS(`form button.btn-primary[type="submit"]`)),
	)
	formsWaitPath(s, "objective created", "/objectives/")
	o := formsObjectiveByTitle(s, actor, title)
	if o.Owner.Type != okr.OwnerOrg || len(o.Alignments) != 1 || o.Alignments[0].ParentID != company.ID || o.Alignments[0].Link != okr.Contributes {
		t.Fatalf("the objective stored owner %+v, alignments %+v; want the organization, contributing to %s", o.Owner, o.Alignments, company.ID)
	}

	// Picking another period brings that period's parents (htmx).
	next, err := s.m.App.GetPeriod(ctx, actor, s.demo.NextPeriodID)
	if err != nil {
		t.Fatal(err)
	}
	s.visit("/objectives/new?period=" + s.demo.PeriodID)
	s.do("pick the next quarter",
		chromedp.SetValue(chromedp.CSS("#period_id"), next.ID),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#period_id").dispatchEvent(new Event("change", {bubbles: true}))`),
	)
	get(s, "the next quarter's parents", chromedp.Poll[bool](`document.querySelector("#align-hint").textContent.includes(`+formsJSString(next.Name)+`)`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if n := get(s, "parents offered", chromedp.Evaluate[int](`document.querySelectorAll("#alignment-picker input[name=align][value='objective:`+company.ID+`']").length`)); n != 0 {
		t.Fatal("the next quarter's picker still offers this quarter's company objective")
	}

	// A key result without a target comes back with the message beside the field, the values kept.
	s.visit("/key-results/new?objective=" + o.ID)
	if got := s.text("h1"); got != "New key result" {
		t.Fatalf("/key-results/new shows %q", got)
	}
	s.checkAccessibility("new-key-result")
	s.screenshots("forms-new-key-result")
	s.do("an invalid key result",
		chromedp.SendKeys(chromedp.CSS("#title"), "Raise the share of promoters from 40% to 55%"),
		chromedp.SetValue(chromedp.CSS("#unit"), "percent"),
		chromedp.SendKeys(chromedp.CSS("#baseline"), "40"),
		chromedp.Click(chromedp.CSS(`form button.btn-primary[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#target-error")),
	)
	if got := s.text("#target-error"); !strings.Contains(got, "say where the key result should end") {
		t.Fatalf("a missing target says %q", got)
	}
	if got := get(s, "target invalid", chromedp.Evaluate[string](`document.querySelector("#target").getAttribute("aria-invalid") + " " + document.querySelector("#target").getAttribute("aria-describedby")`)); got != "true target-hint target-error" {
		t.Fatalf("the target field has aria-invalid/aria-describedby %q", got)
	}
	if got := get(s, "kept title", chromedp.Value(chromedp.CSS("#title"))); got != "Raise the share of promoters from 40% to 55%" {
		t.Fatalf("the invalid form kept the title %q", got)
	}
	status := get(s, "status of an invalid post", chromedp.Evaluate[int](`fetch(location.href, {method: "POST",
		body: new URLSearchParams(new FormData(document.querySelector("form[data-kr-form]")))}).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if status != 422 {
		t.Fatalf("an invalid key result answers %d, want 422", status)
	}
	if got := get(s, "kept baseline", chromedp.Value(chromedp.CSS("#baseline"))); got != "40" {
		t.Fatalf("the invalid form kept the baseline %q", got)
	}
	// Fixed, and saved with "Save and add another".
	formsMark(s)
	s.do("fix the target",
		chromedp.SendKeys(chromedp.CSS("#target"), "55"),
		chromedp.Click(chromedp.CSS(`button[name="next"][value="another"]`)),
	)
	formsWaitPath(s, "back to a new key result", "/key-results/new")
	if got := s.text(".flash"); !strings.Contains(got, "Add another") {
		t.Fatalf("after saving and adding another the page says %q", got)
	}
	// A milestone key result with three milestones: the form shows only the milestone fields.
	formsMark(s)
	s.do("a milestone key result",
		chromedp.SendKeys(chromedp.CSS("#title"), "Launch the referral program"),
		chromedp.Click(chromedp.CSS(`input[name="kind"][value="milestone"]`)),
		chromedp.WaitVisible(chromedp.CSS("#ms-title-0")),
		chromedp.WaitNotVisible(chromedp.CSS("#baseline")),
		chromedp.SendKeys(chromedp.CSS("#ms-title-0"), "Pick the reward"),
		chromedp.Click(chromedp.CSS("[data-row-add]")),
		chromedp.SendKeys(chromedp.CSS("#ms-title-1"), "Build the referral page"),
		chromedp.Click(chromedp.CSS("[data-row-add]")),
		chromedp.SendKeys(chromedp.CSS("#ms-title-2"), "Invite the first 500 customers"),
		chromedp.Click(chromedp.CSS(`form button.btn-primary[type="submit"]`)),
	)
	formsWaitPath(s, "key result created", "/objectives/"+o.ID)
	krs, err := s.m.App.ListKeyResults(ctx, actor, app.KeyResultQuery{ObjectiveID: o.ID, PageRequest: app.PageRequest{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	if len(krs.Items) != 2 {
		t.Fatalf("the objective has %d key results, want 2", len(krs.Items))
	}
	var promoters, referral okr.KeyResult
	for _, k := range krs.Items {
		switch k.Kind {
		case okr.Increase:
			promoters = k
		case okr.Milestone:
			referral = k
		}
	}
	if promoters.Unit != okr.UnitPercent || promoters.Baseline != 40 || promoters.Target != 55 || promoters.OwnerID != actor.UserID {
		t.Fatalf("the increase key result stored %+v", promoters)
	}
	if len(referral.Milestones) != 3 || referral.Milestones[0].Title != "Pick the reward" || referral.Milestones[2].Title != "Invite the first 500 customers" {
		t.Fatalf("the milestone key result stored milestones %+v", referral.Milestones)
	}

	// Editing the title; a stale version is refused with a message to reload.
	s.visit("/objectives/" + o.ID + "/edit")
	other := "Make happy shoppers our loudest advocates"
	if _, err := s.m.App.UpdateObjective(ctx, actor, o.ID, &o.Version, app.ObjectiveUpdate{Description: &other}); err != nil {
		t.Fatal(err)
	}
	s.do("a stale edit",
		chromedp.Clear(chromedp.CSS("#title")),
		chromedp.SendKeys(chromedp.CSS("#title"), other),
		chromedp.Click(chromedp.CSS(`form button.btn-primary[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".form-error")),
	)
	if got := s.text(".form-error"); !strings.Contains(got, "Reload the page") {
		t.Fatalf("a stale edit says %q", got)
	}
	s.visit("/objectives/" + o.ID + "/edit")
	formsMark(s)
	s.do("edit the title",
		chromedp.Clear(chromedp.CSS("#title")),
		chromedp.SendKeys(chromedp.CSS("#title"), other),
		chromedp.Click(chromedp.CSS(`form button.btn-primary[type="submit"]`)),
	)
	formsWaitPath(s, "objective saved", "/objectives/"+o.ID)
	if got, err := s.m.App.GetObjective(ctx, actor, o.ID); err != nil || got.Title != other || len(got.Alignments) != 1 {
		t.Fatalf("after the edit: title %q, alignments %+v (err %v)", got.Title, got.Alignments, err)
	}

	// An initiative on the increase key result, with two tasks; one ticked in place.
	s.visit("/initiatives/new?key_result=" + promoters.ID)
	if checked := get(s, "linked", chromedp.Evaluate[bool](`document.querySelector("#kr-`+promoters.ID+`").checked`)); !checked {
		t.Fatal("?key_result= does not preselect the key result")
	}
	formsMark(s)
	s.do("fill the initiative",
		chromedp.SendKeys(chromedp.CSS("#title"), "Ask delighted customers for a review"),
		chromedp.SendKeys(chromedp.CSS("#task-title-0"), "Draft the review request e-mail"),
		chromedp.Click(chromedp.CSS("[data-row-add]")),
		chromedp.SendKeys(chromedp.CSS("#task-title-1"), "Brief the support team"),
		chromedp.Click(chromedp.CSS(`form button.btn-primary[type="submit"]`)),
	)
	loc := formsWaitPath(s, "initiative created", "/initiatives/")
	id := loc[strings.LastIndex(loc, "/")+1:]
	if got := s.text("#tasks-count"); got != "0 of 2 done" {
		t.Fatalf("the new initiative's tasks say %q", got)
	}
	s.do("tick the first task",
		chromedp.Click(chromedp.CSS("#tasks .task:first-child .task-check")),
		chromedp.WaitVisible(chromedp.CSS("#tasks .task.done")),
	)
	if got := s.text("#tasks-count"); got != "1 of 2 done" {
		t.Fatalf("after ticking a task the list says %q", got)
	}
	if got := get(s, "location after tick", chromedp.Location()); got != loc {
		t.Fatalf("ticking a task left the page %s for %s", loc, got)
	}
	in, err := s.m.App.GetInitiative(ctx, actor, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Tasks) != 2 || !in.Tasks[0].Done || in.Tasks[1].Done || in.Tasks[1].Title != "Brief the support team" ||
		len(in.KeyResultIDs) != 1 || in.KeyResultIDs[0] != promoters.ID {
		t.Fatalf("the initiative stored tasks %+v, key results %v", in.Tasks, in.KeyResultIDs)
	}
	s.checkAccessibility("initiative")
	s.screenshots("forms-initiative")
	// A second tick right away works: the list came back with the new version.
	s.do("tick the second task", chromedp.Click(chromedp.CSS("#tasks .task:nth-child(2) .task-check")))
	get(s, "both ticked", chromedp.Poll[bool](`document.querySelectorAll("#tasks .task.done").length === 2`, chromedp.WithPollingTimeout(10*time.Second)))

	// The milestone key result's edit form shows its milestones.
	s.visit("/key-results/" + referral.ID + "/edit")
	if got := get(s, "first milestone", chromedp.Value(chromedp.CSS("#ms-title-0"))); got != "Pick the reward" {
		t.Fatalf("the edit form's first milestone is %q", got)
	}
	s.checkAccessibility("edit-key-result")

	// Deleting the initiative asks first, then deletes it.
	s.visit("/initiatives/" + id + "/delete")
	s.checkAccessibility("delete-initiative")
	formsMark(s)
	s.do("delete the initiative", chromedp.Click(chromedp.CSS(`form button.btn-danger-solid`)))
	formsWaitPath(s, "initiative deleted", "/objectives/"+o.ID)
	if _, err := s.m.App.GetInitiative(ctx, actor, id); err == nil {
		t.Fatal("the initiative is still there after its deletion")
	}
}
