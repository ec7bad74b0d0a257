package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/org"
)

// The skills and learning pages on the demo organization: my skills and a
// self-assessment, the catalog, enrolling, progress, completion and
// feedback, the program form, and the L&D dashboard against the numbers the
// app computes.

// lrnSkillToAssess picks a skill the owner was never assessed in.
func lrnSkillToAssess(t *testing.T, s *site, actor org.Actor) learning.Skill {
	t.Helper()
	ctx := context.Background()
	all, err := s.m.App.AllSkills(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := s.m.App.UserSkills(ctx, actor, actor.UserID)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, u := range mine {
		known[u.Skill.ID] = true
	}
	for _, sk := range all {
		if !known[sk.ID] && (sk.ScaleID == "" || sk.ScaleID == learning.DefaultScaleID) {
			return sk
		}
	}
	t.Fatalf("the demo has no skill on the default scale the owner was never assessed in (of %d skills)", len(all))
	return learning.Skill{}
}

// lrnProgramToTake picks a current program the learner may complete
// themselves (no pass mark, not a certification) that teaches a skill, and
// that the owner is not enrolled in.
func lrnProgramToTake(t *testing.T, s *site, actor org.Actor) learning.Program {
	t.Helper()
	ctx := context.Background()
	page, err := s.m.App.ListPrograms(ctx, actor, app.ProgramQuery{PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := s.m.App.ListEnrollments(ctx, actor, app.EnrollmentQuery{UserID: actor.UserID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	taken := map[string]bool{}
	for _, e := range mine.Items {
		taken[e.ProgramID] = true
	}
	for _, p := range page.Items {
		if !p.Archived && p.PassMark == nil && p.Kind != learning.KindCertification && len(p.Skills) > 0 && !taken[p.ID] {
			return p
		}
	}
	t.Fatalf("the demo's catalog has no program the owner could take and complete (of %d)", len(page.Items))
	return learning.Program{}
}

// lrnClickAndWait clicks an element that submits a form and waits for the
// page the form redirects to.
func lrnClickAndWait(s *site, what, sel, prefix string) string {
	s.t.Helper()
	formsMark(s)
	s.do(what, chromedp.Click(chromedp.CSS(sel)))
	return formsWaitPath(s, what, prefix)
}

func TestBrowserLearningSkills(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	skill := lrnSkillToAssess(t, s, actor)
	scale, _ := learning.BuiltInScale(learning.DefaultScaleID)
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	s.visit("/skills")
	if got := s.text("h1"); got != "My skills" {
		t.Fatalf("/skills shows %q", got)
	}
	if got := s.text(`.nav a[aria-current="page"]`); got != "Skills" {
		t.Errorf("the navigation marks %q as the current page, want Skills", got)
	}
	s.checkAccessibility("skills")
	s.screenshots("skills")

	// The picker leads to the skill's page and its self-assessment form.
	s.do("pick the skill", chromedp.SetValue(chromedp.CSS("#assess-skill"), skill.ID))
	lrnClickAndWait(s, "continue to the skill", `#assess-pick button[type=submit]`, "/skills/"+skill.ID)
	if got := s.text("h1"); got != skill.Name {
		t.Fatalf("the skill's page is titled %q, want %q", got, skill.Name)
	}

	// Without a level the form says so beside the levels, and stores nothing.
	lrnClickAndWait(s, "submit without a level", `#self-assessment button[type=submit]`, "/skills/"+skill.ID)
	if got := s.text("#sk-level-error"); !strings.Contains(got, "choose the level") {
		t.Errorf("a self-assessment without a level says %q", got)
	}
	if us, err := s.m.App.UserSkills(ctx, actor, actor.UserID); err != nil {
		t.Fatal(err)
	} else {
		for _, u := range us {
			if u.Skill.ID == skill.ID {
				t.Fatalf("a self-assessment without a level stored %+v", u)
			}
		}
	}

	// Level 3 with evidence: the page shows the new level at once.
	s.do("fill the self-assessment",
		chromedp.Click(chromedp.CSS(`#self-assessment input[name=level][value="3"]`)),
		chromedp.SendKeys(chromedp.CSS("#sk-note"), "Ran the spring workshop series"),
		chromedp.SendKeys(chromedp.CSS("#sk-url"), "https://example.com/workshops"),
	)
	lrnClickAndWait(s, "record the level", `#self-assessment button[type=submit]`, "/skills/"+skill.ID)
	want := "3 · " + scale.LevelName(3)
	if got := s.text(".flash"); !strings.Contains(got, "self-assessment is recorded") {
		t.Errorf("after the self-assessment the flash says %q", got)
	}
	if got := s.text(`[aria-labelledby="sk-mine-h"] .sk-level`); got != want {
		t.Errorf("after the self-assessment the skill's page shows level %q, want %q", got, want)
	}
	if got := s.text(`[aria-labelledby="sk-history-h"] table`); !strings.Contains(got, "Self-assessment") || !strings.Contains(got, "Ran the spring workshop series") {
		t.Errorf("the levels over time lack the self-assessment: %q", got)
	}
	us, err := s.m.App.UserSkills(ctx, actor, actor.UserID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, u := range us {
		if u.Skill.ID == skill.ID {
			found = true
			if u.EffectiveLevel != 3 || u.Basis == nil || u.Basis.Source != learning.SourceSelf || u.Basis.Evidence.URL != "https://example.com/workshops" {
				t.Errorf("the app holds %+v, want a self-assessed level 3 with the evidence link", u)
			}
		}
	}
	if !found {
		t.Fatal("the self-assessment is not in the owner's skills")
	}
	s.checkAccessibility("skill")
	s.screenshots("skill")

	// My skills lists it with the level.
	s.visit("/skills")
	if got := s.text("#skill-" + skill.ID + " .sk-level"); got != want {
		t.Errorf("my skills show %s at %q, want %q", skill.Name, got, want)
	}
}

func TestBrowserLearningEnrollCompleteAndRate(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	p := lrnProgramToTake(t, s, actor)
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// The catalog, filtered by a skill the program teaches.
	s.visit("/learning/catalog")
	if got := s.text("h1"); got != "Learning catalog" {
		t.Fatalf("/learning/catalog shows %q", got)
	}
	s.checkAccessibility("catalog")
	s.screenshots("catalog")
	// With scripts the filter swaps the list in place (htmx) and keeps the
	// address; the list then says what filters it.
	taught, err := s.m.App.GetSkill(ctx, actor, p.Skills[0].SkillID)
	if err != nil {
		t.Fatal(err)
	}
	s.do("filter by skill",
		chromedp.SetValue(chromedp.CSS("#cat-skill"), taught.ID),
		chromedp.Click(chromedp.CSS(`.lrn-filter button[type=submit]`)),
	)
	get(s, "wait for the filtered list", chromedp.Poll[bool](`document.querySelector(".cat-count").textContent.includes(`+formsJSString("teaching "+taught.Name)+`)`))
	if got := get(s, "address", chromedp.Location()); !strings.Contains(got, "skill="+taught.ID) {
		t.Errorf("after filtering the address is %s, want the filter in it", got)
	}
	if got := s.text("#program-" + p.ID + " .title"); got != p.Title {
		t.Fatalf("the catalog filtered by a skill %s teaches shows %q", p.Title, got)
	}
	lrnClickAndWait(s, "open the program", "#program-"+p.ID+" a.title", "/learning/programs/"+p.ID)
	if got := s.text("h1"); got != p.Title {
		t.Fatalf("the program's page is titled %q, want %q", got, p.Title)
	}
	s.checkAccessibility("program")
	s.screenshots("program")

	// Enroll me: the enrollment is in my plan, and on Home.
	lrnClickAndWait(s, "enroll me", `#enroll button[type=submit]`, "/learning")
	if got := s.text(".flash"); !strings.Contains(got, "You are enrolled in "+p.Title) {
		t.Errorf("after enrolling the flash says %q", got)
	}
	page, err := s.m.App.ListEnrollments(ctx, actor, app.EnrollmentQuery{UserID: actor.UserID, ProgramID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].Status != learning.Assigned {
		t.Fatalf("after enrolling the owner has %+v in %s, want one assigned enrollment", page.Items, p.Title)
	}
	e := page.Items[0]
	row := "#enrollment-" + e.ID
	if got := s.text(row + " .title"); got != p.Title {
		t.Errorf("the plan's row of the new enrollment shows %q", got)
	}
	s.checkAccessibility("learning-plan")
	s.screenshots("learning-plan")
	// Home lists the next three open enrollments by due date; the new one has none, so it comes last.
	s.visit("/")
	open, err := s.m.App.ListEnrollments(ctx, actor, app.EnrollmentQuery{UserID: actor.UserID})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range open.Items {
		if !x.Done() {
			n++
		}
	}
	if got := s.text(`[aria-labelledby="home-learning-title"]`); n <= 3 && !strings.Contains(got, p.Title) {
		t.Errorf("Home's learning due lacks %s: %q", p.Title, got)
	} else if n > 3 && !strings.Contains(got, fmt.Sprintf("%d more in your learning plan", n-3)) {
		t.Errorf("Home's learning due should say %d more: %q", n-3, got)
	}

	// Progress from the plan: in progress, 40%, 2 hours.
	s.visit("/learning")
	s.do("open the progress form", chromedp.Click(chromedp.CSS(row+" .lp-update summary")))
	s.do("fill the progress form",
		chromedp.SetValue(chromedp.CSS("#lp-"+e.ID+"-status"), string(learning.InProgress)),
		chromedp.SetValue(chromedp.CSS("#lp-"+e.ID+"-progress"), "40"),
		chromedp.SetValue(chromedp.CSS("#lp-"+e.ID+"-hours"), "2"),
	)
	lrnClickAndWait(s, "save progress", row+" .lp-form button[type=submit]", "/learning")
	if got := s.text(row + " .pct"); got != "40%" {
		t.Errorf("after saving 40%% the plan shows %q", got)
	}
	if got := s.text(row + " .lrn-status"); got != "In progress" {
		t.Errorf("after starting the plan shows the status %q", got)
	}

	// Completion on the enrollment's page, then the feedback form.
	lrnClickAndWait(s, "open the enrollment", row+" a.title", "/learning/enrollments/"+e.ID)
	lrnClickAndWait(s, "mark as completed", `[aria-labelledby="en-complete-h"] button[type=submit]`, "/learning/enrollments/"+e.ID)
	if got := s.text(".lp-state .lrn-status"); got != "Completed and passed" {
		t.Errorf("after completing the status reads %q", got)
	}
	lrnClickAndWait(s, "send feedback without a rating", `#feedback button[type=submit]`, "/learning/enrollments/"+e.ID)
	if got := s.text("#fb-rating-error"); !strings.Contains(got, "rating from 1 to 5") {
		t.Errorf("feedback without a rating says %q", got)
	}
	s.do("rate it",
		chromedp.Click(chromedp.CSS(`label[for="fb-rating-4"]`)),
		chromedp.SendKeys(chromedp.CSS("#fb-text"), "Practical, with good exercises."),
	)
	lrnClickAndWait(s, "send feedback", `#feedback button[type=submit]`, "/learning/enrollments/"+e.ID)
	got, err := s.m.App.GetEnrollment(ctx, actor, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.PassedCompletion() || got.Hours == nil || *got.Hours != 2 || got.Feedback == nil || got.Feedback.Rating != 4 ||
		got.Feedback.Text != "Practical, with good exercises." {
		t.Errorf("the app holds %+v (feedback %+v), want a passed completion with 2 hours rated 4 with the words", got, got.Feedback)
	}
	s.checkAccessibility("enrollment")
	s.screenshots("enrollment")

	// The program's page counts the completion and quotes the feedback.
	s.visit("/learning/programs/" + p.ID)
	if txt := s.text(`[aria-labelledby="prog-stats-h"]`); !strings.Contains(txt, "Practical, with good exercises.") {
		t.Errorf("the program's page lacks the learner's words: %q", txt)
	}

	// The finished enrollment moved to Finished with my rating.
	s.visit("/learning")
	if txt := s.text(`[aria-labelledby="lp-done-h"]`); !strings.Contains(txt, p.Title) {
		t.Errorf("Finished lacks %s: %q", p.Title, txt)
	}
}

func TestBrowserLearningProgramForm(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	skill := lrnSkillToAssess(t, s, actor)
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	s.visit("/learning/programs/new")
	s.checkAccessibility("program-form")
	s.screenshots("program-form")

	// A program without a title, with a level off the scale: both are named beside their fields.
	s.do("fill the form badly",
		chromedp.SetValue(chromedp.CSS("#prog-skill-0"), skill.ID),
		chromedp.SetValue(chromedp.CSS("#prog-level-0"), "9"),
	)
	lrnClickAndWait(s, "add without a title", `form.form-card button[type=submit]`, "/learning/programs")
	if got := s.text("#prog-title-error"); got != "is required" {
		t.Errorf("a program without a title says %q beside the title", got)
	}
	if got := s.text("#prog-level-0-error"); !strings.Contains(got, "1 to 5") {
		t.Errorf("a level off the scale says %q beside the level", got)
	}
	s.do("fix the form",
		chromedp.SendKeys(chromedp.CSS("#prog-title"), "Browser-made workshop"),
		chromedp.SetValue(chromedp.CSS("#prog-kind"), string(learning.KindWorkshop)),
		chromedp.SetValue(chromedp.CSS("#prog-level-0"), "2"),
		chromedp.SetValue(chromedp.CSS("#prog-hours"), "6"),
		chromedp.SetValue(chromedp.CSS("#prog-pass"), "70"),
	)
	to := lrnClickAndWait(s, "add the program", `form.form-card button[type=submit]`, "/learning/programs/")
	id := to[strings.LastIndex(to, "/")+1:]
	p, err := s.m.App.GetProgram(ctx, actor, id)
	if err != nil {
		t.Fatalf("the form led to %s: %v", to, err)
	}
	if p.Title != "Browser-made workshop" || p.Kind != learning.KindWorkshop || len(p.Skills) != 1 || p.Skills[0] != (learning.TaughtSkill{SkillID: skill.ID, Level: 2}) ||
		p.Hours == nil || *p.Hours != 6 || p.PassMark == nil || *p.PassMark != 70 {
		t.Errorf("the form stored %+v", p)
	}

	// Editing keeps the version: archiving it takes it out of the catalog.
	s.visit("/learning/programs/" + id + "/edit")
	s.do("archive", chromedp.Click(chromedp.CSS(`input[name=archived]`)))
	lrnClickAndWait(s, "save the program", `form.form-card button[type=submit]`, "/learning/programs/"+id)
	if p, err = s.m.App.GetProgram(ctx, actor, id); err != nil || !p.Archived || p.Version != 2 {
		t.Errorf("after archiving: %+v, %v", p, err)
	}
	s.visit("/learning/catalog")
	if txt := s.text("main"); strings.Contains(txt, "Browser-made workshop") {
		t.Error("the catalog still lists the archived program")
	}
}

func TestBrowserLearningDashboard(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	want, err := s.m.App.LearningAnalytics(ctx, actor, app.AnalyticsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if want.Totals.Enrollments == 0 || len(want.Programs) == 0 || len(want.Teams) == 0 {
		t.Fatalf("the demo has no learning to show: %+v", want.Totals)
	}
	gaps, err := s.m.App.Gaps(ctx, actor, app.GapQuery{Scope: "org"})
	if err != nil {
		t.Fatal(err)
	}
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// Learning links to the dashboard.
	s.visit("/learning")
	lrnClickAndWait(s, "open the L&D dashboard", `.page-head a[href="/learning/dashboard"]`, "/learning/dashboard")
	if got := s.text("h1"); got != "Learning and development" {
		t.Fatalf("/learning/dashboard shows %q", got)
	}
	if got := s.text("#lnd-enrollments .value"); got != strconv.Itoa(want.Totals.Enrollments) {
		t.Errorf("enrollments shown %q, the app counts %d", got, want.Totals.Enrollments)
	}
	if got := s.text("#lnd-completion .value"); got != percent(want.Totals.CompletionRate) {
		t.Errorf("completion rate shown %q, the app computes %s", got, percent(want.Totals.CompletionRate))
	}
	programs := s.text("#lnd-programs")
	for _, p := range want.Programs {
		if !strings.Contains(programs, p.Title) {
			t.Errorf("the program table lacks %s", p.Title)
		}
	}
	teams := s.text("#lnd-teams")
	for _, tm := range want.Teams {
		if !strings.Contains(teams, tm.Name) {
			t.Errorf("the team table lacks %s", tm.Name)
		}
	}
	if got := s.text("#lnd-caveat"); !strings.Contains(got, "not a cause") {
		t.Errorf("the effectiveness section does not say it shows no cause: %q", got)
	}
	if len(want.Effectiveness) > 0 {
		eff := s.text("#lnd-effect")
		for _, e := range want.Effectiveness {
			size := lrnPlural(e.With.KeyResults, "key result")
			if !strings.Contains(eff, e.Title) || !strings.Contains(eff, size) {
				t.Errorf("the effectiveness table lacks %s with %s: %q", e.Title, size, eff)
			}
		}
	}
	for _, g := range gaps.Items {
		if g.Burden > 0 || g.Shortfall > 0 {
			sk, err := s.m.App.GetSkill(ctx, actor, g.SkillID)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.text(".lnd-gaps li:first-child .title"); got != sk.Name {
				t.Errorf("the top gap shown is %q, the app ranks %q first", got, sk.Name)
			}
			break
		}
	}
	s.checkAccessibility("lnd-dashboard")
	s.screenshots("lnd-dashboard")

	// The team filter cuts the numbers to a team with its sub-teams.
	team := want.Teams[len(want.Teams)-1]
	wantTeam, err := s.m.App.LearningAnalytics(ctx, actor, app.AnalyticsQuery{TeamID: team.TeamID})
	if err != nil {
		t.Fatal(err)
	}
	s.do("choose the team", chromedp.SetValue(chromedp.CSS("#lnd-team"), team.TeamID))
	lrnClickAndWait(s, "filter by team", `.lrn-filter button[type=submit]`, "/learning/dashboard")
	if got := s.text("#lnd-enrollments .value"); got != strconv.Itoa(wantTeam.Totals.Enrollments) {
		t.Errorf("%s: enrollments shown %q, the app counts %d", team.Name, got, wantTeam.Totals.Enrollments)
	}
	if got := s.text(".page-head .sub"); !strings.Contains(got, team.Name) {
		t.Errorf("the filtered dashboard's subtitle %q does not name %s", got, team.Name)
	}
}

// lrnPlural is "1 key result", "2 key results".
func lrnPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
