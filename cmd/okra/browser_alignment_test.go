package main

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// alWaitFor evaluates a JavaScript condition until it holds, across page
// loads (an evaluation during a navigation fails and is tried again).
func (s *site) alWaitFor(what, cond string) {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			loc, _ := chromedp.Run(s.ctx, chromedp.Location())
			s.t.Fatalf("%s (at %s): never held: %s (last error: %v)", what, loc, cond, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// eval evaluates JavaScript in the page.
func alEval[T any](s *site, what, expr string) T {
	s.t.Helper()
	return get(s, what, chromedp.Evaluate[T](expr))
}

func alPct(x float64) string { return strconv.Itoa(int(math.Round(x*100))) + "%" }

func TestBrowserAlignmentAndObjective(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	owner := s.ownerActor()
	outline, err := s.m.App.AlignmentOutline(ctx, owner, s.demo.PeriodID, app.AlignmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)
	s.visit("/alignment?period=" + s.demo.PeriodID)

	// The company's objectives are there, each with its progress number.
	rows := alEval[map[string]string](s, "read the rows", `Object.fromEntries([...document.querySelectorAll(".align-row")].map(r =>
		[r.querySelector(".align-title").textContent.trim(), r.querySelector(".pct").textContent.trim()]))`)
	companies := 0
	for _, r := range outline.Roots {
		if r.Owner == nil || r.Owner.Type != okr.OwnerOrg {
			continue
		}
		companies++
		got, ok := rows[r.Title]
		if !ok {
			t.Fatalf("company objective %q is not on /alignment (rows: %v)", r.Title, rows)
		}
		if want := alPct(r.Progress); got != want {
			t.Errorf("%q shows %s, want %s", r.Title, got, want)
		}
	}
	if companies == 0 {
		t.Fatal("the demo has no company objectives in its active quarter")
	}
	if got, want := s.text(".align-summary .stat .value"), strconv.Itoa(outline.Summary.Objectives); got != want {
		t.Errorf("summary counts %s objectives, want %s", got, want)
	}
	s.checkAccessibility("alignment")
	s.screenshots("alignment")

	// Collapse all, then expand all: links that work without JavaScript.
	details := alEval[int](s, "count disclosures", `document.querySelectorAll("details.align-children").length`)
	s.do("collapse all", chromedp.Click(chromedp.CSS(`a[href*="expand=none"]`)))
	s.alWaitFor("collapsed", `location.search.includes("expand=none") && document.readyState === "complete" && document.querySelectorAll("details.align-children[open]").length === 0`)
	if n := alEval[int](s, "count disclosures", `document.querySelectorAll("details.align-children").length`); n != details {
		t.Fatalf("collapsed page has %d disclosures, want %d", n, details)
	}
	s.do("expand all", chromedp.Click(chromedp.CSS(`a[href*="expand=all"]`)))
	s.alWaitFor("expanded", `location.search.includes("expand=all") && document.readyState === "complete" && document.querySelectorAll("details.align-children:not([open])").length === 0`)
	// One disclosure toggles by itself.
	s.do("collapse one", chromedp.Click(chromedp.CSS("details.align-children > summary")))
	if open := alEval[bool](s, "first disclosure", `document.querySelector("details.align-children").open`); open {
		t.Fatal("clicking a summary did not collapse its objective")
	}

	// Filter by a health some objective has: only those match, the rest is context.
	var health okr.Health
	for _, h := range []okr.Health{okr.HealthAtRisk, okr.HealthOffTrack, okr.HealthOnTrack, okr.HealthOutdated} {
		if outline.Summary.Health[h] > 0 {
			health = h
			break
		}
	}
	if health == "" {
		t.Fatalf("no objective with a health to filter by: %v", outline.Summary.Health)
	}
	filtered, err := s.m.App.AlignmentOutline(ctx, owner, s.demo.PeriodID, app.AlignmentFilter{Health: health})
	if err != nil {
		t.Fatal(err)
	}
	s.do("filter by health",
		chromedp.SetValue(chromedp.CSS("#filter-health"), string(health)),
		chromedp.Click(chromedp.CSS(`.align-filters button[type="submit"]`)),
	)
	s.alWaitFor("filtered", `location.search.includes("health=`+string(health)+`") && document.readyState === "complete"`)
	got := alEval[[]string](s, "matching healths", `[...document.querySelectorAll(".align-node:not(.context) > .align-row .health")].map(h => h.className)`)
	if len(got) != filtered.Summary.Objectives {
		t.Fatalf("%d objectives match %s on the page, want %d", len(got), health, filtered.Summary.Objectives)
	}
	for _, c := range got {
		if !strings.Contains(c, string(health)) {
			t.Fatalf("filtered by %s, a matching row shows %q", health, c)
		}
	}
	if got, want := s.text(".align-summary .stat .value"), strconv.Itoa(filtered.Summary.Objectives); got != want {
		t.Errorf("filtered summary counts %s, want %s", got, want)
	}
	s.screenshots("alignment-filtered")

	// Open the first company objective.
	var target *app.OutlineObjective
	for _, r := range outline.Roots {
		if r.Owner != nil && r.Owner.Type == okr.OwnerOrg && len(r.KeyResults) > 0 {
			target = r
			break
		}
	}
	ov, err := s.m.App.ObjectiveOverview(ctx, owner, target.ID)
	if err != nil {
		t.Fatal(err)
	}
	s.visit("/alignment?period=" + s.demo.PeriodID)
	s.do("open "+target.Title, chromedp.Click(chromedp.CSS(`#o-`+target.ID+` .align-title`)))
	s.alWaitFor("objective page", `location.pathname === "/objectives/`+target.ID+`" && document.readyState === "complete"`)
	if got := s.text("h1"); got != target.Title {
		t.Fatalf("the objective page's title is %q, want %q", got, target.Title)
	}
	if n := alEval[int](s, "key results", `document.querySelectorAll(".obj-krs > .obj-kr").length`); n != len(ov.KeyResults) {
		t.Errorf("%d key results on the page, want %d", n, len(ov.KeyResults))
	}
	for _, k := range ov.KeyResults {
		if got := s.text("#kr-" + k.ID + " h3"); got != k.Title {
			t.Errorf("key result shows %q, want %q", got, k.Title)
		}
	}
	// Chart.js drew the charts (the canvas is marked once drawn), and the numbers are in a table too.
	s.alWaitFor("charts drawn", `document.querySelectorAll("canvas[data-chart]").length > 0 && [...document.querySelectorAll("canvas[data-chart]")].every(c => c.dataset.drawn === "1")`)
	if n := alEval[int](s, "data tables", `document.querySelectorAll(".obj-kr details.data-table table tbody tr").length`); n == 0 {
		t.Error("no chart data tables")
	}
	if n := alEval[int](s, "check-ins", `document.querySelectorAll(".obj-checkins > li").length`); n != len(ov.CheckIns) || n == 0 {
		t.Errorf("%d check-ins listed, want %d (and some)", n, len(ov.CheckIns))
	}
	s.checkAccessibility("objective")
	s.screenshots("objective")

	// A comment with a mention appears in place, and the form comes back empty.
	s.do("comment",
		chromedp.SendKeys(chromedp.CSS("#comment-body"), "Great pace this week, thanks @sofia.marin@northwind.test"),
		chromedp.Click(chromedp.CSS(`.obj-comment-form button[type="submit"]`)),
	)
	s.alWaitFor("comment shown", `[...document.querySelectorAll(".obj-comment-body")].some(c => c.textContent.includes("Great pace this week"))`)
	if got := s.text(".obj-comment-body .obj-mention"); got != "@Sofia Marin" {
		t.Errorf("the mention shows %q, want @Sofia Marin", got)
	}
	if v := get(s, "comment box", chromedp.Value(chromedp.CSS("#comment-body"))); v != "" {
		t.Errorf("the comment box still holds %q", v)
	}
	if loc := alEval[string](s, "location", `location.pathname`); loc != "/objectives/"+target.ID {
		t.Errorf("commenting left the page for %s", loc)
	}

	// Rename in place.
	renamed := target.Title + " (renamed)"
	s.do("edit the title",
		chromedp.Click(chromedp.CSS("#objective-title .obj-edit-link")),
		chromedp.WaitVisible(chromedp.CSS("#objective-title-input")),
		chromedp.SetValue(chromedp.CSS("#objective-title-input"), renamed),
		chromedp.Click(chromedp.CSS(`#objective-title button[type="submit"]`)),
	)
	s.alWaitFor("renamed", `document.querySelector("#objective-title h1") && document.querySelector("#objective-title h1").textContent === `+alJSString(renamed))
	o, err := s.m.App.GetObjective(ctx, owner, target.ID)
	if err != nil || o.Title != renamed {
		t.Fatalf("after the rename the objective is %q (%v), want %q", o.Title, err, renamed)
	}

	// Someone else renames it while the form is open: the save is refused and says so.
	// (Wait until htmx has settled the swapped title and bound its edit link.)
	s.alWaitFor("settled", `!document.querySelector(".htmx-settling, .htmx-swapping, .htmx-request") && `+
		`document.querySelector("#objective-title .obj-edit-link")["htmx-internal-data"] !== undefined`)
	s.do("edit again", chromedp.Click(chromedp.CSS("#objective-title .obj-edit-link")), chromedp.WaitVisible(chromedp.CSS("#objective-title-input")))
	theirs := "Renamed by someone else"
	if _, err := s.m.App.UpdateObjective(ctx, owner, target.ID, &o.Version, app.ObjectiveUpdate{Title: &theirs}); err != nil {
		t.Fatal(err)
	}
	s.do("save a stale title",
		chromedp.SetValue(chromedp.CSS("#objective-title-input"), "Mine"),
		chromedp.Click(chromedp.CSS(`#objective-title button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#objective-title .form-error")),
	)
	if msg := s.text("#objective-title .form-error"); !strings.Contains(msg, "Someone else changed") || !strings.Contains(msg, theirs) {
		t.Errorf("stale save says %q", msg)
	}
	if o, _ := s.m.App.GetObjective(ctx, owner, target.ID); o.Title != theirs {
		t.Errorf("a stale save overwrote the title: %q", o.Title)
	}
}

func alJSString(s string) string { return fmt.Sprintf("%q", s) }

func TestBrowserAlignmentPrivateObjective(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	owner := s.ownerActor()
	tree, err := s.m.App.Alignment(ctx, owner, s.demo.PeriodID)
	if err != nil {
		t.Fatal(err)
	}
	var private, public app.TreeNode
	for _, n := range tree.Nodes {
		if n.Type != okr.NodeObjective {
			continue
		}
		if n.Visibility == okr.Private && private.ID == "" {
			private = n
		}
		if n.Visibility == okr.Public && public.ID == "" {
			public = n
		}
	}
	if private.ID == "" {
		t.Fatal("the demo has no private objective in its active quarter")
	}

	// A new member, in no team: the private objective is not theirs to see.
	inv, err := s.m.App.Invite(ctx, owner, app.InvitationInput{Email: "visitor@northwind.test", Name: "Vic Visitor", Role: org.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.m.App.AcceptInvitation(ctx, inv.Secret, "Vic Visitor", "visitor-password-1", "browser-test"); err != nil {
		t.Fatal(err)
	}
	s.signIn("visitor@northwind.test", "visitor-password-1")
	s.visit("/alignment?period=" + s.demo.PeriodID)
	page := s.text("main")
	if !strings.Contains(page, public.Title) {
		t.Fatalf("the member does not see the public objective %q", public.Title)
	}
	if strings.Contains(page, private.Title) {
		t.Fatalf("the member sees the private objective %q on /alignment", private.Title)
	}
	s.visit("/objectives/" + private.ID)
	if got := s.text("h1"); got != "Not found" {
		t.Fatalf("the private objective's page shows %q to the member, want the 404 page", got)
	}
	st := get(s, "status", chromedp.Evaluate[int](`fetch(location.href).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if st != 404 {
		t.Fatalf("the private objective's page answers %d, want 404", st)
	}

	// The owner (an admin) does see it.
	if _, err := s.m.App.ObjectiveOverview(ctx, owner, private.ID); err != nil {
		t.Fatal(err)
	}
}
