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
)

// The coach in the UI on the demo organization: hints beside the objective
// form's fields that change as one types (htmx), the same hints rendered by
// the server after a submit that fails and on the edit form, the coach
// section of the objective page, the dashboard's card (weakest objectives
// first) and the period's coach page.

// coachHint reads the status of one check beside a field, "" when absent.
func coachHint(s *site, field, check string) string {
	s.t.Helper()
	return get(s, "read the "+check+" hint", chromedp.Evaluate[string](`(function(){
		var li = document.querySelector('#coach-`+field+` [data-check="`+check+`"]');
		return li ? li.className.replace("coach-finding", "").trim() : "";
	})()`))
}

// coachSetValue sets a control's value with script (htmx swaps beside it
// leave chromedp's cached nodes behind).
func coachSetValue(s *site, sel, value string) {
	s.t.Helper()
	s.do("set "+sel, chromedp.Evaluate[chromedp.Void](`(function(){
		var el = document.querySelector(`+strconv.Quote(sel)+`);
		el.value = `+strconv.Quote(value)+`;
		el.dispatchEvent(new Event("input", {bubbles: true}));
	})()`))
}

// waitCoachHint waits until a check beside a field shows a status.
func waitCoachHint(s *site, field, check string, status okr.CheckStatus) {
	s.t.Helper()
	get(s, "the "+check+" hint turns "+string(status), chromedp.Poll[bool](`(function(){
		var li = document.querySelector('#coach-`+field+` [data-check="`+check+`"]');
		return !!li && li.classList.contains("coach-`+string(status)+`");
	})()`))
}

func TestBrowserCoach(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// A new objective: nothing to judge before a title.
	s.visit("/objectives/new?period=" + s.demo.PeriodID)
	if got := s.text("#coach-status"); !strings.Contains(got, "The coach checks this objective as you write") {
		t.Errorf("before a title the coach says %q", got)
	}
	if n := get(s, "count hints", chromedp.Evaluate[int](`document.querySelectorAll("#coach-title li").length`)); n != 0 {
		t.Errorf("%d hints beside an empty title", n)
	}

	// A title with a number and a deliverable verb: the hints fail on both, in place.
	s.do("type a deliverable", chromedp.SendKeys(chromedp.CSS("#title"), "Launch 3 new support channels"))
	waitCoachHint(s, "title", okr.RuleQualitative, okr.CheckFail)
	waitCoachHint(s, "title", okr.RuleObjectiveOutcome, okr.CheckFail)
	if got := coachHint(s, "title", okr.RuleLength); got != "coach-pass" {
		t.Errorf("a five-word title's length hint is %q, want a pass", got)
	}
	if got := s.text(`#coach-title [data-check="objective.qualitative"]`); !strings.Contains(got, "Fail") ||
		!strings.Contains(got, "The title holds a number (3): metrics belong in key results.") ||
		!strings.Contains(got, "What change in the world would this number show?") {
		t.Errorf("the qualitative hint reads %q; want the word Fail, the reason and the prompt", got)
	}
	// A person's objective aligned to nothing: a warning beside the alignment picker.
	waitCoachHint(s, "alignments", okr.RuleAlignment, okr.CheckWarn)
	if got := s.text("#coach-status"); !strings.Contains(got, "Strength") || !strings.Contains(got, "failure") {
		t.Errorf("the coach's status line reads %q", got)
	}
	if got := s.text("#coach-other"); !strings.Contains(got, "It has no key result") {
		t.Errorf("the panel does not say the objective has no key result yet: %q", got)
	}
	s.checkAccessibility("objective form with coach hints")
	s.screenshots("coach-form-fail")

	// Rewritten as a qualitative outcome: every title check passes.
	s.do("rewrite the title", chromedp.Evaluate[chromedp.Void](`document.querySelector("#title").value = ""`),
		chromedp.SendKeys(chromedp.CSS("#title"), "Every shopper finds help on the channel they already use"))
	waitCoachHint(s, "title", okr.RuleQualitative, okr.CheckPass)
	waitCoachHint(s, "title", okr.RuleObjectiveOutcome, okr.CheckPass)
	if got := coachHint(s, "title", okr.RuleLength); got != "coach-pass" {
		t.Errorf("the length hint is %q after the rewrite", got)
	}
	// Choosing a parent turns the alignment hint into a pass (the note hides).
	parent := get(s, "first parent", chromedp.Evaluate[string](`document.querySelector('#align-list input[name="align"]').id`))
	s.do("choose a parent", chromedp.Click(chromedp.CSS("#"+parent)))
	waitCoachHint(s, "alignments", okr.RuleAlignment, okr.CheckPass)
	if hidden := get(s, "note hidden", chromedp.Evaluate[bool](`document.querySelector("[data-alignment-note]").hidden`)); !hidden {
		t.Errorf("the alignment note still shows with a parent chosen")
	}
	s.screenshots("coach-form-pass")

	// A submit that fails (a weight above 100) comes back with the hints rendered by the server.
	coachSetValue(s, "#weight", "500")
	lrnClickAndWait(s, "create with a bad weight", "form.form-card button.btn-primary", "/objectives/new")
	if got := s.text("#weight-error"); got == "" {
		t.Fatalf("a bad weight shows no error")
	}
	if got := coachHint(s, "title", okr.RuleObjectiveOutcome); got != "coach-pass" {
		t.Errorf("after the failed submit the outcome hint is %q, want the server's pass", got)
	}
	coachSetValue(s, "#weight", "1")
	lrnClickAndWait(s, "create the objective", "form.form-card button.btn-primary", "/objectives/0")
	id := get(s, "objective id", chromedp.Evaluate[string](`location.pathname.split("/")[2]`))
	o, err := s.m.App.GetObjective(ctx, actor, id)
	if err != nil {
		t.Fatal(err)
	}
	if o.Title != "Every shopper finds help on the channel they already use" || len(o.Alignments) != 1 {
		t.Fatalf("created %q with %d alignments", o.Title, len(o.Alignments))
	}

	// Its page has a Coach section: no key results yet fails.
	if got := s.text("#coach"); !strings.Contains(got, "It has no key result") || !strings.Contains(got, "Fail") {
		t.Errorf("the objective page's coach section reads %q", got)
	}
	s.checkAccessibility("objective page with the coach")
	s.do("scroll to the coach", chromedp.ScrollIntoView(chromedp.CSS("#coach")))
	s.screenshots("coach-objective")

	// The edit form shows the stored objective's hints without a keystroke.
	s.visit("/objectives/" + id + "/edit")
	if got := coachHint(s, "title", okr.RuleQualitative); got != "coach-pass" {
		t.Errorf("the edit form's qualitative hint is %q", got)
	}
	if got := s.text("#coach-other"); !strings.Contains(got, "It has no key result") {
		t.Errorf("the edit form's panel reads %q", got)
	}

	// The key result form: an activity count fails beside the title, a plain number warns beside the unit.
	s.visit("/key-results/new?objective=" + id)
	s.do("type an activity", chromedp.SendKeys(chromedp.CSS("#title"), "Hold 12 customer interviews"))
	waitCoachHint(s, "title", okr.RuleKeyResultOutcome, okr.CheckFail)
	waitCoachHint(s, "unit", okr.RuleUnit, okr.CheckWarn)
	waitCoachHint(s, "target", okr.RuleTarget, okr.CheckFail)
	s.do("give a target", chromedp.SendKeys(chromedp.CSS("#baseline"), "40"), chromedp.SendKeys(chromedp.CSS("#target"), "75"))
	waitCoachHint(s, "target", okr.RuleTarget, okr.CheckPass)
	s.checkAccessibility("key result form with coach hints")
	s.screenshots("coach-kr-form")

	// The initiative form: linked to nothing fails beside the key result picker; one link passes.
	s.visit("/initiatives/new")
	s.do("type an initiative", chromedp.SendKeys(chromedp.CSS("#title"), "Pilot a chat widget on the help pages"))
	waitCoachHint(s, "key_results", okr.RuleInitiativeAligned, okr.CheckFail)
	s.do("link a key result", chromedp.Click(chromedp.CSS(`#kr-list input[name="key_result_ids"]`)))
	waitCoachHint(s, "key_results", okr.RuleInitiativeAligned, okr.CheckPass)
	if got := s.text(`#coach-key_results [data-check="initiative.aligned"]`); !strings.Contains(got, "It moves 1 key result.") {
		t.Errorf("the initiative's hint reads %q", got)
	}
	s.checkAccessibility("initiative form with coach hints")

	// The dashboard's card lists the weakest objectives first, as the coach ranks them.
	rep, err := s.m.App.CoachPeriod(ctx, actor, s.demo.PeriodID)
	if err != nil {
		t.Fatal(err)
	}
	s.visit("/dashboard?period=" + s.demo.PeriodID)
	if got := s.text("#coach-card .coach-dash-stats .value"); got != pctText(rep.Strength) {
		t.Errorf("the card's strength is %q, want %q", got, pctText(rep.Strength))
	}
	first := s.text("#coach-card .coach-weakest > li:first-child .coach-weak-head a")
	if first != rep.Objectives[0].Title {
		t.Errorf("the card's weakest objective is %q, want %q", first, rep.Objectives[0].Title)
	}
	if n := get(s, "count weakest", chromedp.Evaluate[int](`document.querySelectorAll("#coach-card .coach-weakest > li").length`)); n != min(5, len(rep.Objectives)) {
		t.Errorf("the card lists %d objectives, want %d", n, min(5, len(rep.Objectives)))
	}
	s.checkAccessibility("dashboard with the coach card")
	s.screenshots("coach-dashboard")

	// The period's coach page: every objective, weakest first, and the set's own findings.
	lrnClickAndWait(s, "open all findings", `#coach-card a[href$="/coach"]`, "/periods/"+s.demo.PeriodID+"/coach")
	if got := s.text("h1"); got != "OKR coach" {
		t.Errorf("the coach page is titled %q", got)
	}
	titles := get(s, "objective titles", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".coach-objective .card-head h2 a")).map(a => a.textContent)`))
	if len(titles) != len(rep.Objectives) {
		t.Fatalf("the coach page lists %d objectives, want %d", len(titles), len(rep.Objectives))
	}
	for i, o := range rep.Objectives {
		if titles[i] != o.Title {
			t.Errorf("objective %d on the coach page is %q, want %q", i, titles[i], o.Title)
		}
	}
	if got := s.text("main"); !strings.Contains(got, "People’s load") {
		t.Errorf("the coach page has no People’s load section")
	}
	s.checkAccessibility("period coach page")
	s.screenshots("coach-period")

	// Another organization's period and objective answer "not found", on the page and to the hints' post.
	other, err := s.m.App.Init(ctx, app.InitInput{OrgName: "Harbor Labs", Email: "owner@harbor.test"})
	if err != nil {
		t.Fatal(err)
	}
	harbor, err := s.m.App.Authenticate(ctx, other.Token, "test")
	if err != nil {
		t.Fatal(err)
	}
	hp, err := s.m.App.CreatePeriod(ctx, harbor, app.PeriodInput{Name: "Harbor Q1", Kind: okr.PeriodQuarterly,
		StartDate: "2026-10-01", EndDate: "2026-12-31"}, "")
	if err != nil {
		t.Fatal(err)
	}
	ho, err := s.m.App.CreateObjective(ctx, harbor, app.ObjectiveInput{PeriodID: hp.ID, Title: "Open the harbor office",
		Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}
	s.visit("/periods/" + hp.ID + "/coach")
	if got := s.text("h1"); got != "Not found" {
		t.Errorf("another organization's coach page shows %q", got)
	}
	for _, path := range []string{"/coach/objective-form?id=" + ho.ID, "/coach/key-result-form?objective=" + ho.ID} {
		status := get(s, "post "+path, chromedp.Evaluate[int](`fetch(`+strconv.Quote(path)+`, {method: "POST",
			headers: {"X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content, "Content-Type": "application/x-www-form-urlencoded"},
			body: "title=Open+the+harbor+office"}).then(r => r.status)`, chromedp.EvalAwaitPromise))
		if status != 404 {
			t.Errorf("POST %s for another organization answers %d, want 404", path, status)
		}
	}
}

// pctText is a share as the pages write it: 72%.
func pctText(x float64) string { return strconv.Itoa(int(math.Round(x*100))) + "%" }
