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

// The lessons library, kudos and the celebration feed, Home's card, a
// person's kudos and review packet, and an objective's lessons, on the demo.

func recUser(t *testing.T, s *site, actor org.Actor, email string) org.Member {
	t.Helper()
	page, err := s.m.App.ListUsers(context.Background(), actor, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Items {
		if m.Email == email {
			return m
		}
	}
	t.Fatalf("no member %s in the demo", email)
	return org.Member{}
}

func TestBrowserRecognition(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	liam := recUser(t, s, actor, "liam.chen@northwind.test")
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// The library: search finds Shop Support's lesson from the CEO's account.
	s.visit("/lessons")
	if got := s.text("h1"); got != "Lessons learned" {
		t.Fatalf("/lessons shows %q", got)
	}
	if got := s.text(`.nav a[aria-current="page"]`); got != "Lessons" {
		t.Errorf("the navigation marks %q, want Lessons", got)
	}
	s.checkAccessibility("lessons")
	s.screenshots("lessons")
	s.do("search", chromedp.SetValue(chromedp.CSS("#lesson-q"), "ESCALATION"))
	lrnClickAndWait(s, "search the lessons", `.rec-search button[type=submit]`, "/lessons")
	if got := s.text(".rec-lesson-list li:first-child .title"); got != "Give every escalation one named owner" {
		t.Fatalf("the first lesson found for escalation is %q", got)
	}
	lrnClickAndWait(s, "open the lesson", `.rec-lesson-list li:first-child a.title`, "/lessons/")
	s.checkAccessibility("lesson")
	s.screenshots("lesson")
	if got := s.text(".rec-helpful span"); got != "4 people found it helpful." {
		t.Errorf("the lesson says %q", got)
	}
	lrnClickAndWait(s, "find it helpful", `.rec-helpful button[type=submit]`, "/lessons/")
	if got := s.text(".rec-helpful span"); got != "5 people found it helpful." {
		t.Errorf("after the vote the lesson says %q", got)
	}

	// Writing a lesson: a missing title is said beside the field; then saved.
	s.visit("/lessons/new")
	s.checkAccessibility("lesson form")
	lrnClickAndWait(s, "save without a title", `.rec-form button[type=submit]`, "/lessons")
	if got := s.text("#lesson-title-error"); !strings.Contains(got, "is required") {
		t.Errorf("a lesson without a title says %q", got)
	}
	s.do("fill the lesson",
		chromedp.SetValue(chromedp.CSS("#lesson-title"), "Share the weekly numbers before the meeting"),
		chromedp.SetValue(chromedp.CSS("#lesson-body"), "People come **prepared** when they read the numbers first."),
		chromedp.SetValue(chromedp.CSS("#lesson-tags"), "Meetings, rituals"))
	lrnClickAndWait(s, "save the lesson", `.rec-form button[type=submit]`, "/lessons/")
	if got := s.text("h1"); got != "Share the weekly numbers before the meeting" {
		t.Fatalf("the new lesson's page is titled %q", got)
	}
	found, err := s.m.App.ListLessons(ctx, actor, app.LessonQuery{Tag: "meetings"})
	if err != nil || len(found.Items) != 1 || found.Items[0].AuthorID != actor.UserID || strings.Join(found.Items[0].Tags, ",") != "meetings,rituals" {
		t.Fatalf("the lesson stored: %+v %v", found.Items, err)
	}

	// Kudos: the form and the feed, with achievements nobody posted.
	s.visit("/kudos")
	s.checkAccessibility("kudos")
	s.screenshots("kudos")
	feedText := s.text("#feed")
	for _, want := range []string{"passed the certification", "gave kudos to"} {
		if !strings.Contains(feedText, want) {
			t.Errorf("the feed has no %q: %s", want, feedText)
		}
	}
	s.do("give kudos",
		chromedp.SetValue(chromedp.CSS("#kudos-to"), "user:"+liam.ID),
		chromedp.SetValue(chromedp.CSS("#kudos-message"), "Thanks for the calm handover on Friday."))
	lrnClickAndWait(s, "send the kudos", `.rec-form button[type=submit]`, "/kudos")
	if got := s.text(".rec-feed li:first-child .rec-quote"); got != "Thanks for the calm handover on Friday." {
		t.Errorf("the newest entry quotes %q", got)
	}
	ks, err := s.m.App.ListKudos(ctx, actor, app.KudosQuery{ToUserID: liam.ID, PageRequest: app.PageRequest{Limit: 1}})
	if err != nil || len(ks.Items) != 1 || ks.Items[0].FromID != actor.UserID {
		t.Errorf("the kudos stored: %+v %v", ks.Items, err)
	}
	s.visit("/kudos?kind=certification_passed")
	if got := s.text(".rec-feed li:first-child .rec-what p"); !strings.Contains(got, "passed the certification") {
		t.Errorf("the certification filter shows %q", got)
	}

	// Home's card, a person's kudos and review packet.
	s.visit("/")
	if got := s.text("#home-celebrations-title"); !strings.HasPrefix(got, "Celebrations") {
		t.Errorf("Home's card is titled %q", got)
	}
	s.visit("/people/" + liam.ID)
	if got := s.text("#kudos"); !strings.Contains(got, "Thanks for the calm handover on Friday.") {
		t.Errorf("liam's page shows no kudos: %s", got)
	}
	lrnClickAndWait(s, "open the review packet", `#kudos a[href$="/review"]`, "/people/"+liam.ID+"/review")
	if got := s.text("h1"); got != "Review packet: "+liam.Name {
		t.Fatalf("the packet is titled %q", got)
	}
	packet := s.text(".packet")
	for _, want := range []string{"It is not a grade", "Check-in discipline", "Kudos received", "Thanks for the calm handover"} {
		if !strings.Contains(packet, want) {
			t.Errorf("the packet has no %q", want)
		}
	}
	s.checkAccessibility("review packet")
	s.screenshots("review-packet")

	// The objective page surfaces the lessons for it.
	objs, err := s.m.App.ListObjectives(ctx, actor, app.ObjectiveQuery{PeriodID: s.demo.PeriodID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	var support okr.Objective
	for _, o := range objs.Items {
		if o.Title == "Equip every support agent to resolve conflicts with confidence" {
			support = o
		}
	}
	if support.ID == "" {
		t.Fatal("no Shop Support objective in the demo")
	}
	s.visit("/objectives/" + support.ID)
	if got := s.text("#lessons"); !strings.Contains(got, "Give every escalation one named owner") || !strings.Contains(got, "learned on this objective") {
		t.Errorf("the objective's lessons: %s", got)
	}
	s.checkAccessibility("objective with lessons")
}
