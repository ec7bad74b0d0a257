package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/okr"
)

// The period review on the demo organization: the previous quarter's review
// (verdict, scores, a retrospective and a decision written through the
// forms), an objective's Review section, and the close of the active quarter
// from its preview, followed by a keep that carries an objective forward.

// rvPeriods finds the demo's closed previous quarter.
func rvPrevious(t *testing.T, s *site) okr.Period {
	t.Helper()
	ps, err := s.m.App.ListPeriods(context.Background(), s.ownerActor(), app.PageRequest{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps.Items {
		if p.State == okr.PeriodClosed && p.Kind == okr.PeriodQuarterly {
			return p
		}
	}
	t.Fatal("the demo has no closed quarter")
	return okr.Period{}
}

func TestBrowserReview(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	prev := rvPrevious(t, s)
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// The previous quarter: scored, with its verdict and how far the review came.
	s.visit("/periods/" + prev.ID + "/review")
	if got := s.text("h1"); got != prev.Name+" review" {
		t.Fatalf("the review page is titled %q", got)
	}
	if got := s.text(".rv-verdict-word"); got != "Healthy" {
		t.Errorf("the verdict reads %q, want Healthy", got)
	}
	if got := s.text(".rv-progress"); !strings.Contains(got, "3 of 4") {
		t.Errorf("the review progress reads %q, want 3 of 4 retrospectives and decisions", got)
	}
	if got := s.text("main"); !strings.Contains(got, "Adjusted: Staging was down") {
		t.Errorf("the adjusted score's reason is not shown: %q", got)
	}
	s.checkAccessibility("period review")
	s.screenshots("review-closed")

	// Liam's objective waits for its retrospective and decision.
	r, err := s.m.App.Review(ctx, actor, prev.ID)
	if err != nil {
		t.Fatal(err)
	}
	var waiting app.ReviewObjective
	for _, o := range r.Objectives {
		if o.Retrospective == nil {
			waiting = o
		}
	}
	if waiting.ID == "" {
		t.Fatal("no objective of the previous quarter waits for its retrospective")
	}
	sec := "#objective-" + waiting.ID
	// An empty retrospective is refused beside its field (the review page, re-rendered where the form posted).
	lrnClickAndWait(s, "save an empty retrospective", sec+` form[action$="/retrospective"] button[type=submit]`, "/objectives/"+waiting.ID+"/retrospective")
	if got := s.text("#rv-well-" + waiting.ID + "-error"); !strings.Contains(got, "went well") {
		t.Errorf("an empty retrospective says %q", got)
	}
	s.do("write the retrospective",
		chromedp.SendKeys(chromedp.CSS("#rv-well-"+waiting.ID), "Shadowing first made the calls far less scary."),
		chromedp.SendKeys(chromedp.CSS("#rv-badly-"+waiting.ID), "Too few escalations reached me to practise alone."),
		chromedp.SendKeys(chromedp.CSS("#rv-lt-"+waiting.ID), "Ask for the escalations nobody wants"),
		chromedp.SendKeys(chromedp.CSS("#rv-ltags-"+waiting.ID), "support, learning"),
	)
	lrnClickAndWait(s, "save the retrospective", sec+` form[action$="/retrospective"] button[type=submit]`, "/periods/"+prev.ID+"/review")
	retro, err := s.m.App.Retrospective(ctx, actor, waiting.ID)
	if err != nil {
		t.Fatalf("the retrospective was not saved: %v", err)
	}
	if retro.WentWell != "Shadowing first made the calls far less scary." || len(retro.Lessons) != 1 {
		t.Errorf("saved retrospective %+v", retro)
	}
	// Drop it.
	s.do("choose drop", chromedp.Click(chromedp.CSS("#rv-dec-"+waiting.ID+"-drop")))
	lrnClickAndWait(s, "decide", sec+` form[action$="/decision"] button[type=submit]`, "/periods/"+prev.ID+"/review")
	if got := s.text(".rv-progress"); !strings.Contains(got, "4 of 4") {
		t.Errorf("after the last retrospective and decision the progress reads %q", got)
	}

	// The objective's page shows its Review section.
	s.visit("/objectives/" + waiting.ID)
	if got := s.text("#review"); !strings.Contains(got, "Drop: it does not continue") || !strings.Contains(got, "Shadowing first") {
		t.Errorf("the objective's Review section reads %q", got)
	}
	s.checkAccessibility("objective review section")
	s.screenshots("review-objective")

	// The active quarter: a preview, and the close behind a confirmation.
	s.visit("/periods/" + s.demo.PeriodID + "/review")
	if got := s.text(".page-head .sub"); !strings.Contains(got, "preview") {
		t.Errorf("the active quarter's review says %q, want a preview", got)
	}
	s.checkAccessibility("review preview")
	s.screenshots("review-preview")
	lrnClickAndWait(s, "close without confirming", `#close button[type=submit]`, "/periods/"+s.demo.PeriodID+"/review/close")
	if got := s.text("#rv-confirm-error"); !strings.Contains(got, "confirm") {
		t.Errorf("closing without the confirmation says %q", got)
	}
	s.do("confirm", chromedp.Click(chromedp.CSS("#rv-confirm")))
	lrnClickAndWait(s, "close the quarter", `#close button[type=submit]`, "/periods/"+s.demo.PeriodID+"/review")
	p, err := s.m.App.GetPeriod(ctx, actor, s.demo.PeriodID)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != okr.PeriodClosed {
		t.Fatalf("after the close the quarter is %s", p.State)
	}
	if got := s.text(".rv-verdict-word"); got == "" {
		t.Error("the closed quarter shows no verdict")
	}

	// Keep the first objective: the browser lands on its draft in the next quarter.
	r, err = s.m.App.Review(ctx, actor, s.demo.PeriodID)
	if err != nil {
		t.Fatal(err)
	}
	first := r.Objectives[0]
	sec = "#objective-" + first.ID
	s.do("choose keep", chromedp.Click(chromedp.CSS("#rv-dec-"+first.ID+"-keep")))
	lrnClickAndWait(s, "keep", sec+` form[action$="/decision"] button[type=submit]`, "/objectives/")
	if got := s.text("#review"); !strings.Contains(got, "Carried from "+first.Title) {
		t.Errorf("the carried objective's Review section reads %q", got)
	}
	s.screenshots("review-carried")
}
