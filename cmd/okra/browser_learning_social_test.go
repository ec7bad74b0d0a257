package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/learning"
)

// Learning objectives, mentorships and feedback on the demo organization:
// planning learning for a team's top gap, giving a person feedback and
// starting a mentorship with them.

func TestBrowserLearningSocialPlanGap(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	team := ltTeam(t, s, actor, "Shop Support")
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	rep := ltGaps(t, s, actor, "team:"+team.ID)
	if len(rep.Items) == 0 || rep.Items[0].Below == 0 {
		t.Fatalf("the demo's Shop Support has no gap with people below the level: %+v", rep.Items)
	}
	top := rep.Items[0]
	before, err := s.m.App.ListLearningObjectives(ctx, actor, app.LearningObjectiveQuery{TeamID: team.ID})
	if err != nil {
		t.Fatal(err)
	}

	s.visit("/teams/" + team.ID + "/skills")
	row := "#req-" + top.RequirementID
	idp := "#plan-" + top.RequirementID
	s.do("open the plan form", chromedp.Click(chromedp.CSS(row+" .ls-plan > summary")), chromedp.WaitVisible(chromedp.CSS(idp+"-level")))
	// The form is prefilled with the required level and the first suggested program.
	level := get(s, "read the target level", chromedp.Value(chromedp.CSS(idp+"-level")))
	if want := strconv.Itoa(top.RequiredLevel); level != want {
		t.Errorf("the target level is prefilled with %q, want the required %s", level, want)
	}
	if len(top.SuggestedProgramIDs) > 0 {
		if got := get(s, "read the program", chromedp.Value(chromedp.CSS(idp+"-program"))); got != top.SuggestedProgramIDs[0] {
			t.Errorf("the program is prefilled with %q, want the first suggestion %s", got, top.SuggestedProgramIDs[0])
		}
	}
	s.checkAccessibility("team skills with the plan form open")
	s.screenshots("learning-social-team")

	// A level beyond the scale is refused beside the level, on a page of its own.
	s.do("type a level beyond the scale", chromedp.SetValue(chromedp.CSS(idp+"-level"), "9"))
	lrnClickAndWait(s, "plan with a bad level", row+" .ls-plan button[type=submit]", "/teams/"+team.ID+"/learning-objectives")
	if got := s.text("#plan-level-error"); got == "" {
		t.Error("a level beyond the scale says nothing beside the level")
	}
	s.checkAccessibility("refused plan form")

	s.do("fill the plan", chromedp.SetValue(chromedp.CSS("#plan-level"), level), chromedp.SetValue(chromedp.CSS("#plan-due"), "2099-06-30"))
	lrnClickAndWait(s, "plan the learning", ".ls-form button[type=submit]", "/teams/"+team.ID+"/skills")
	if got := s.text(".flash"); !strings.Contains(got, "Planned") {
		t.Errorf("the flash after planning says %q", got)
	}
	after, err := s.m.App.ListLearningObjectives(ctx, actor, app.LearningObjectiveQuery{TeamID: team.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Items) != len(before.Items)+1 {
		t.Fatalf("the team has %d learning objectives after planning, want %d", len(after.Items), len(before.Items)+1)
	}
	var lo learning.LearningObjective
	for _, l := range after.Items {
		if l.RequirementID == top.RequirementID {
			lo = l
		}
	}
	if lo.ID == "" || lo.SkillID != top.SkillID || lo.TargetLevel != top.RequiredLevel || lo.DueDate != "2099-06-30" {
		t.Fatalf("the planned learning objective is %+v, want skill %s to level %d by 2099-06-30 for requirement %s",
			lo, top.SkillID, top.RequiredLevel, top.RequirementID)
	}
	if len(top.SuggestedProgramIDs) > 0 && (len(lo.ProgramIDs) != 1 || lo.ProgramIDs[0] != top.SuggestedProgramIDs[0]) {
		t.Errorf("the learning objective's programs are %v, want %s", lo.ProgramIDs, top.SuggestedProgramIDs[0])
	}
	skill, err := s.m.App.GetSkill(ctx, actor, top.SkillID)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.text("#learning-objectives"); !strings.Contains(got, skill.Name) || !strings.Contains(got, "30 Jun 2099") {
		t.Errorf("the team's learning objectives say %q, want %q due 30 Jun 2099", got, skill.Name)
	}
	s.checkAccessibility("team skills with a learning objective")

	// Removing it takes it off the list and out of the app.
	lrnClickAndWait(s, "remove the learning objective", `#learning-objectives form[action="/learning-objectives/`+lo.ID+`/delete"] button`, "/teams/"+team.ID+"/skills")
	if _, err := s.m.App.GetLearningObjective(ctx, actor, lo.ID); err == nil {
		t.Error("the removed learning objective is still in the app")
	}
	if n := ltCount(s, `#learning-objectives form[action="/learning-objectives/`+lo.ID+`/delete"]`); n != 0 {
		t.Error("the removed learning objective is still listed")
	}
}

func TestBrowserLearningSocialPerson(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	team := ltTeam(t, s, actor, "Shop Support")
	person := ""
	for _, id := range append(append([]string{}, team.MemberIDs...), team.LeadIDs...) {
		if id != actor.UserID {
			person = id
			break
		}
	}
	if person == "" {
		t.Fatal("Shop Support has nobody but the owner")
	}
	listen := ltSkill(t, s, actor, "listen actively")
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// Your own page lists, but offers no form to mentor or give yourself feedback.
	s.visit("/people/" + actor.UserID)
	if n := ltCount(s, `form[action$="/feedback"], form[action$="/mentorships"]`); n != 0 {
		t.Errorf("your own page offers %d mentorship or feedback forms, want none", n)
	}

	s.visit("/people/" + person)
	s.checkAccessibility("person page")

	// Feedback without a body is refused beside the body.
	s.do("open the feedback form", chromedp.Click(chromedp.CSS("#feedback .ls-plan > summary")), chromedp.WaitVisible(chromedp.CSS("#fb-body")))
	lrnClickAndWait(s, "give empty feedback", "#feedback button[type=submit]", "/people/"+person+"/feedback")
	if got := s.text("#fb-body-error"); !strings.Contains(got, "required") {
		t.Errorf("empty feedback says %q beside the body", got)
	}
	s.checkAccessibility("refused feedback form")

	// Peer feedback about a skill, for the person to read.
	s.do("write the feedback",
		chromedp.Click(chromedp.CSS("#fb-relation-peer")),
		chromedp.SetValue(chromedp.CSS("#fb-skill"), listen.ID),
		chromedp.SendKeys(chromedp.CSS("#fb-body"), "You let the customer finish before answering; the call went calmer."),
	)
	lrnClickAndWait(s, "give the feedback", ".ls-form button[type=submit]", "/people/"+person)
	if got := s.text("#feedback .ls-list"); !strings.Contains(got, "You let the customer finish") || !strings.Contains(got, "as peer") ||
		!strings.Contains(got, "listen actively") {
		t.Errorf("the feedback card says %q", got)
	}
	fb, err := s.m.App.ListFeedback(ctx, actor, app.FeedbackQuery{ToID: person})
	if err != nil {
		t.Fatal(err)
	}
	if len(fb.Items) == 0 || fb.Items[0].Relation != app.RelationPeer || fb.Items[0].SubjectID != listen.ID ||
		fb.Items[0].Visibility != learning.VisibleRecipient || fb.Items[0].FromID != actor.UserID {
		t.Errorf("the app has the feedback as %+v", fb.Items)
	}

	// Starting a mentorship in the skill lists it under "Mentored by".
	s.do("open the mentorship form", chromedp.Click(chromedp.CSS("#mentorships .ls-plan > summary")), chromedp.WaitVisible(chromedp.CSS("#ms-skill")))
	s.do("fill the mentorship", chromedp.SetValue(chromedp.CSS("#ms-skill"), listen.ID), chromedp.SetValue(chromedp.CSS("#ms-start"), "2026-01-05"))
	lrnClickAndWait(s, "start the mentorship", "#mentorships button[type=submit]", "/people/"+person)
	ms, err := s.m.App.ListMentorships(ctx, actor, app.MentorshipQuery{UserID: person, As: "mentee"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms.Items) != 1 || ms.Items[0].MentorID != actor.UserID || ms.Items[0].SkillID != listen.ID || ms.Items[0].StartDate != "2026-01-05" {
		t.Fatalf("the app has the person's mentorships as %+v", ms.Items)
	}
	owner, err := s.m.App.GetUser(ctx, actor, actor.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.text("#mentorships"); !strings.Contains(got, "Mentored by") || !strings.Contains(got, owner.Name) ||
		!strings.Contains(got, "since 5 Jan 2026") || !strings.Contains(got, "listen actively") {
		t.Errorf("the mentorships card says %q", got)
	}
	s.checkAccessibility("person page with feedback and a mentorship")
	s.do("open both forms", chromedp.Click(chromedp.CSS("#mentorships .ls-plan > summary")), chromedp.Click(chromedp.CSS("#feedback .ls-plan > summary")))
	s.screenshots("learning-social-person")
}
