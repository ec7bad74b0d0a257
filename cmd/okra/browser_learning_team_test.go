package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// The team and objective sides of skills and learning on the demo
// organization: a team's heatmap and ranked gaps, adding and removing a
// requirement, assigning a program to a team; an objective's "Skills
// required"; a learning key result made through the form; and the admin's
// skills import, LRS credentials and LMS completion import.

// ltTeam finds a demo team by name.
func ltTeam(t *testing.T, s *site, actor org.Actor, name string) org.Team {
	t.Helper()
	page, err := s.m.App.ListTeams(context.Background(), actor, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range page.Items {
		if tm.Name == name {
			return tm
		}
	}
	t.Fatalf("the demo has no team %q", name)
	return org.Team{}
}

// ltSkill finds a demo skill by name.
func ltSkill(t *testing.T, s *site, actor org.Actor, name string) learning.Skill {
	t.Helper()
	all, err := s.m.App.AllSkills(context.Background(), actor)
	if err != nil {
		t.Fatal(err)
	}
	for _, sk := range all {
		if sk.Name == name {
			return sk
		}
	}
	t.Fatalf("the demo has no skill %q", name)
	return learning.Skill{}
}

// ltProgram finds a demo program by title.
func ltProgram(t *testing.T, s *site, actor org.Actor, title string) learning.Program {
	t.Helper()
	page, err := s.m.App.ListPrograms(context.Background(), actor, app.ProgramQuery{PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Items {
		if p.Title == title {
			return p
		}
	}
	t.Fatalf("the demo has no program %q", title)
	return learning.Program{}
}

// ltGaps is the app's gap report of a scope.
func ltGaps(t *testing.T, s *site, actor org.Actor, scope string) app.GapReport {
	t.Helper()
	rep, err := s.m.App.Gaps(context.Background(), actor, app.GapQuery{Scope: scope})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// ltChoose picks a value in a select and tells the page's scripts it changed.
func ltChoose(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.SetValue(chromedp.CSS(sel), value),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+formsJSString(sel)+`).dispatchEvent(new Event("change", {bubbles: true}))`),
	)
}

// ltCount counts the elements a CSS selector matches.
func ltCount(s *site, sel string) int {
	s.t.Helper()
	return get(s, "count "+sel, chromedp.Evaluate[int](`document.querySelectorAll(`+formsJSString(sel)+`).length`))
}

// ltEnrolled lists the people enrolled in a program.
func ltEnrolled(t *testing.T, s *site, actor org.Actor, programID string) []string {
	t.Helper()
	page, err := s.m.App.ListEnrollments(context.Background(), actor, app.EnrollmentQuery{ProgramID: programID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range page.Items {
		out = append(out, e.UserID)
	}
	return out
}

func TestBrowserLearningTeamSkills(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	team := ltTeam(t, s, actor, "Shop Support")
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// The team page leads to the team's skills.
	s.visit("/teams/" + team.ID)
	lrnClickAndWait(s, "open the Skills tab", `.tsk-tabs a[href$="/skills"]`, "/teams/"+team.ID+"/skills")
	if got := s.text("h1"); got != "Skills of Shop Support" {
		t.Fatalf("the team's skills page is titled %q", got)
	}

	// The heatmap has a row per person and a column per skill, each cell
	// with the person's level out of the level required, as the app says.
	rep := ltGaps(t, s, actor, "team:"+team.ID)
	if len(rep.Items) < 3 || len(rep.Heatmap.People) != 3 {
		t.Fatalf("the demo's Shop Support has %d gaps over %d people, want at least 3 over its 3 people", len(rep.Items), len(rep.Heatmap.People))
	}
	if n := ltCount(s, ".heatmap tbody tr"); n != len(rep.Heatmap.People) {
		t.Errorf("the heatmap has %d rows, want %d people", n, len(rep.Heatmap.People))
	}
	if n := ltCount(s, ".heatmap thead th.heat-skill"); n != len(rep.Heatmap.Skills) {
		t.Errorf("the heatmap has %d skill columns, want %d", n, len(rep.Heatmap.Skills))
	}
	for pi := range rep.Heatmap.People {
		for si, c := range rep.Heatmap.Cells[pi] {
			sel := ".heatmap tbody tr:nth-child(" + strconv.Itoa(pi+1) + ") td:nth-of-type(" + strconv.Itoa(si+1) + ")"
			cell := get(s, "read "+sel, chromedp.TextContent(chromedp.CSS(sel)))
			want := strconv.Itoa(c.Level) + "/" + strconv.Itoa(c.Required)
			if c.Required == 0 {
				want = "not required"
			}
			if !strings.Contains(cell, want) {
				t.Errorf("heatmap cell (%d, %d) says %q, want %q in it", pi, si, cell, want)
			}
			if c.Gap > 0 && !strings.Contains(cell, strconv.Itoa(c.Gap)+" short") {
				t.Errorf("heatmap cell (%d, %d) says %q: the gap of %d is not in its words", pi, si, cell, c.Gap)
			}
		}
	}
	if got := s.text(".heat-legend"); !strings.Contains(got, "1 level short") || !strings.Contains(got, "at or above the level") {
		t.Errorf("the legend says %q", got)
	}

	// The gaps are ranked as the app ranks them, with their numbers.
	if n := ltCount(s, ".gap-list > li"); n != len(rep.Items) {
		t.Errorf("the page lists %d gaps, want %d", n, len(rep.Items))
	}
	top := rep.Items[0]
	topSkill, err := s.m.App.GetSkill(ctx, actor, top.SkillID)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.text(".gap-list > li:first-child .gap-head .title"); got != topSkill.Name {
		t.Errorf("the first gap is %q, want %q (burden %v)", got, topSkill.Name, top.Burden)
	}
	stats := strings.ToLower(s.text(".gap-list > li:first-child .gap-stats"))
	for _, want := range []string{strconv.Itoa(top.Supply) + " of " + strconv.Itoa(top.Headcount) + " needed",
		"below the level\n" + peopleWord(top.Below), "burden\n" + strconv.FormatFloat(top.Burden, 'f', -1, 64)} {
		if !strings.Contains(stats, want) {
			t.Errorf("the first gap's numbers %q lack %q", stats, want)
		}
	}
	if len(top.SuggestedProgramIDs) > 0 && ltCount(s, `.gap-list > li:first-child a[href="/learning/programs/`+top.SuggestedProgramIDs[0]+`"]`) != 1 {
		t.Errorf("the first gap does not link its suggested program %s", top.SuggestedProgramIDs[0])
	}
	s.checkAccessibility("team skills")
	s.screenshots("team-skills")

	// A requirement without a level is refused beside the level.
	listen := ltSkill(t, s, actor, "listen actively")
	s.do("fill the requirement without a level", chromedp.SetValue(chromedp.CSS("#req-skill"), listen.ID))
	lrnClickAndWait(s, "add without a level", `#add-requirement button[type=submit]`, "/teams/"+team.ID+"/skills")
	if got := s.text("#req-level-error"); !strings.Contains(got, "level") {
		t.Errorf("a requirement without a level says %q beside the level", got)
	}
	// Adding "listen actively" at level 4 for 2 people adds a gap.
	s.do("fill the requirement",
		chromedp.SetValue(chromedp.CSS("#req-skill"), listen.ID),
		chromedp.SetValue(chromedp.CSS("#req-level"), "4"),
		chromedp.SetValue(chromedp.CSS("#req-headcount"), "2"),
	)
	lrnClickAndWait(s, "add the requirement", `#add-requirement button[type=submit]`, "/teams/"+team.ID+"/skills")
	after := ltGaps(t, s, actor, "team:"+team.ID)
	if len(after.Items) != len(rep.Items)+1 {
		t.Fatalf("after adding a requirement the team has %d gaps, want %d", len(after.Items), len(rep.Items)+1)
	}
	i := slices.IndexFunc(after.Items, func(g app.GapItem) bool { return g.SkillID == listen.ID })
	if i < 0 || after.Items[i].RequiredLevel != 4 || after.Items[i].Headcount != 2 || !after.Items[i].Essential {
		t.Fatalf("the new requirement is not among the gaps as typed: %+v", after.Items)
	}
	if got := s.text(".flash"); !strings.Contains(got, "listen actively") {
		t.Errorf("the flash after adding says %q", got)
	}
	if n := ltCount(s, ".gap-list > li"); n != len(after.Items) {
		t.Errorf("after adding, the page lists %d gaps, want %d", n, len(after.Items))
	}
	row := "#req-" + after.Items[i].RequirementID
	if got := s.text(row + " .gap-stats"); !strings.Contains(got, strconv.Itoa(after.Items[i].Supply)+" of 2 needed") {
		t.Errorf("the new gap's numbers are %q", got)
	}
	if n := ltCount(s, ".heatmap thead th.heat-skill"); n != len(after.Heatmap.Skills) {
		t.Errorf("after adding, the heatmap has %d skill columns, want %d", n, len(after.Heatmap.Skills))
	}
	// Removing it brings the gaps back to what they were.
	lrnClickAndWait(s, "remove the requirement", row+" .gap-remove button", "/teams/"+team.ID+"/skills")
	if again := ltGaps(t, s, actor, "team:"+team.ID); len(again.Items) != len(rep.Items) {
		t.Errorf("after removing, the team has %d gaps, want %d", len(again.Items), len(rep.Items))
	}

	// Assigning a program enrolls the team's people who are not enrolled yet.
	p := ltProgram(t, s, actor, "Time Management for Project Leads")
	before := ltEnrolled(t, s, actor, p.ID)
	people := rep.Heatmap.People
	var fresh []string
	for _, id := range people {
		if !slices.Contains(before, id) {
			fresh = append(fresh, id)
		}
	}
	if len(fresh) == 0 {
		t.Fatalf("everyone of Shop Support is enrolled in %q already", p.Title)
	}
	s.do("choose the program", chromedp.SetValue(chromedp.CSS("#assign-program"), p.ID), chromedp.SetValue(chromedp.CSS("#assign-due"), "2026-12-15"))
	lrnClickAndWait(s, "assign the program", `#assign button[type=submit]`, "/teams/"+team.ID+"/skills")
	now := ltEnrolled(t, s, actor, p.ID)
	for _, id := range people {
		if !slices.Contains(now, id) {
			t.Errorf("%s of Shop Support is not enrolled in %q after the assignment", id, p.Title)
		}
	}
	if got := s.text(".flash"); !strings.Contains(got, "Enrolled in “"+p.Title+"”") {
		t.Errorf("the flash after assigning says %q", got)
	}
	// Assigning it again enrolls nobody and says whom it skipped.
	s.do("choose the program again", chromedp.SetValue(chromedp.CSS("#assign-program"), p.ID))
	lrnClickAndWait(s, "assign the program again", `#assign button[type=submit]`, "/teams/"+team.ID+"/skills")
	if got := s.text(".flash"); !strings.Contains(got, "Nobody new") || !strings.Contains(got, "Skipped") {
		t.Errorf("the flash after assigning again says %q", got)
	}
	if again := ltEnrolled(t, s, actor, p.ID); len(again) != len(now) {
		t.Errorf("assigning again made %d enrollments into %d", len(now), len(again))
	}
	// Without a program the form says so beside the program.
	lrnClickAndWait(s, "assign without a program", `#assign button[type=submit]`, "/teams/"+team.ID+"/skills")
	if got := s.text("#assign-program-error"); !strings.Contains(got, "program") {
		t.Errorf("an assignment without a program says %q", got)
	}
}

func TestBrowserLearningTeamObjective(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	team := ltTeam(t, s, actor, "Shop Support")
	page, err := s.m.App.ListObjectives(ctx, actor, app.ObjectiveQuery{PeriodID: s.demo.PeriodID, OwnerType: okr.OwnerTeam, OwnerID: team.ID,
		PageRequest: app.PageRequest{Limit: 200}})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("Shop Support's objectives: %d, %v", len(page.Items), err)
	}
	o := page.Items[0]
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// The objective shows the skills it and its key results require, each with its gap.
	s.visit("/objectives/" + o.ID)
	if got := s.text("#skills h2"); got != "Skills required" {
		t.Fatalf("the objective's skills section is titled %q", got)
	}
	rep := ltGaps(t, s, actor, "objective:"+o.ID)
	if len(rep.Items) == 0 {
		t.Fatal("the demo's Shop Support objective requires no skills")
	}
	if n := ltCount(s, "#skills .gap-list > li"); n != len(rep.Items) {
		t.Errorf("the objective lists %d required skills, want %d", n, len(rep.Items))
	}
	for _, g := range rep.Items {
		got := s.text("#req-" + g.RequirementID + " .gap-stats")
		want := strconv.Itoa(g.Supply) + " of " + strconv.Itoa(g.Headcount) + " needed"
		if !strings.Contains(got, want) || !strings.Contains(got, peopleWord(g.Shortfall)) {
			t.Errorf("requirement %s shows %q, want %q and a shortfall of %d", g.RequirementID, got, want, g.Shortfall)
		}
	}
	s.checkAccessibility("objective skills")

	// Adding a requirement to one of its key results.
	krs, err := s.m.App.ListKeyResults(ctx, actor, app.KeyResultQuery{ObjectiveID: o.ID, PageRequest: app.PageRequest{Limit: 50}})
	if err != nil || len(krs.Items) == 0 {
		t.Fatalf("the objective's key results: %v", err)
	}
	kr := krs.Items[0]
	manage := ltSkill(t, s, actor, "manage conflict")
	s.do("open the form", chromedp.Click(chromedp.CSS(".oks-add summary")))
	s.do("fill the requirement",
		chromedp.SetValue(chromedp.CSS("#oks-subject"), "key_result:"+kr.ID),
		chromedp.SetValue(chromedp.CSS("#oks-skill"), manage.ID),
		chromedp.SetValue(chromedp.CSS("#oks-level"), "2"),
	)
	lrnClickAndWait(s, "add the requirement", `.oks-add button[type=submit]`, "/objectives/"+o.ID)
	reqs, err := s.m.App.ListRequirements(ctx, actor, app.RequirementQuery{SubjectType: learning.SubjectKeyResult, SubjectID: kr.ID,
		PageRequest: app.PageRequest{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(reqs.Items, func(r learning.Requirement) bool { return r.SkillID == manage.ID })
	if i < 0 || reqs.Items[i].Level != 2 || reqs.Items[i].Headcount != 1 {
		t.Fatalf("the key result's requirements after adding: %+v", reqs.Items)
	}
	if n := ltCount(s, "#req-"+reqs.Items[i].ID+" .gap-stats"); n != 1 {
		t.Errorf("the new requirement is not shown with its gap on the objective")
	}
	s.screenshots("objective-skills")
}

// peopleWord is how the page counts people: "1 person", "2 people".
func peopleWord(n int) string {
	if n == 1 {
		return "1 person"
	}
	return strconv.Itoa(n) + " people"
}

func TestBrowserLearningTeamKeyResult(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	team := ltTeam(t, s, actor, "Shop Support")
	p := ltProgram(t, s, actor, "De-escalation on the Phone")
	page, err := s.m.App.ListObjectives(ctx, actor, app.ObjectiveQuery{PeriodID: s.demo.PeriodID, OwnerType: okr.OwnerTeam, OwnerID: team.ID,
		PageRequest: app.PageRequest{Limit: 200}})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("Shop Support's objectives: %d, %v", len(page.Items), err)
	}
	o := page.Items[0]
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	s.visit("/key-results/new?objective=" + o.ID)
	if n := ltCount(s, ".kr-learning:not([hidden])"); n != 0 {
		t.Error("the learning measure shows while the value comes from check-ins")
	}
	s.do("choose learning records", ltChoose("#source", "learning"))
	if n := ltCount(s, ".kr-learning:not([hidden])"); n != 1 {
		t.Fatal("choosing learning records does not show the learning measure")
	}
	if got := get(s, "default team", chromedp.Evaluate[string](`document.querySelector("#population-team").value`)); got != team.ID {
		t.Errorf("the population's team is %q, want the objective's team %s", got, team.ID)
	}
	s.checkAccessibility("learning key result form")

	// Without a program, the measure is refused beside the program.
	s.do("fill the form without a program",
		chromedp.SendKeys(chromedp.CSS("#title"), "Every agent passes the phone de-escalation workshop"),
		chromedp.SetValue(chromedp.CSS("#baseline"), "0"),
		chromedp.SetValue(chromedp.CSS("#target"), "100"),
		chromedp.Click(chromedp.CSS(`input[name=measure_type][value=`+string(learning.CompletionRate)+`]`)),
	)
	lrnClickAndWait(s, "create without a program", `.form-actions button.btn-primary`, "/key-results/new")
	if got := s.text("#measure-program-error"); !strings.Contains(got, "program") {
		t.Fatalf("a completion rate without a program says %q beside the program", got)
	}
	s.do("choose the program", ltChoose("#measure-program", p.ID))
	lrnClickAndWait(s, "create the key result", `.form-actions button.btn-primary`, "/objectives/"+o.ID)

	krs, err := s.m.App.ListKeyResults(ctx, actor, app.KeyResultQuery{ObjectiveID: o.ID, PageRequest: app.PageRequest{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(krs.Items, func(k okr.KeyResult) bool { return k.Title == "Every agent passes the phone de-escalation workshop" })
	if i < 0 {
		t.Fatal("the form made no key result")
	}
	k := krs.Items[i]
	var m learning.Measure
	if err := json.Unmarshal(k.Measure, &m); err != nil {
		t.Fatal(err)
	}
	if k.Source != okr.SourceLearning || k.Unit != okr.UnitPercent || m.Type != learning.CompletionRate || m.ProgramID != p.ID ||
		m.Population.Type != learning.PopulationTeam || m.Population.ID != team.ID || m.SkillID != "" {
		t.Fatalf("the form made %+v with measure %+v", k, m)
	}
	// Its value is computed from the records: the share of the team who passed the workshop.
	passed := 0
	es, err := s.m.App.ListEnrollments(ctx, actor, app.EnrollmentQuery{ProgramID: p.ID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	rep := ltGaps(t, s, actor, "team:"+team.ID)
	for _, e := range es.Items {
		if e.PassedCompletion() && slices.Contains(rep.Heatmap.People, e.UserID) {
			passed++
		}
	}
	want := float64(passed) / float64(len(rep.Heatmap.People)) * 100
	if math.Abs(k.Current-want) > 1e-9 || passed == 0 {
		t.Fatalf("the key result's value is %v, want %v (%d of %d passed)", k.Current, want, passed, len(rep.Heatmap.People))
	}
	shown := strconv.FormatFloat(math.Round(want*100)/100, 'f', -1, 64) + "%"
	if got := s.text("#kr-" + k.ID + " .al-kr-value"); !strings.HasPrefix(got, shown) {
		t.Errorf("the objective shows the key result's value as %q, want %q", got, shown)
	}

	// The weekly check-in offers no value field for it.
	s.visit("/checkin")
	row := get(s, "the key result's row", chromedp.Evaluate[string](`(document.getElementById("ci-row-`+k.ID+`") || {}).innerHTML || ""`))
	if !strings.Contains(row, "From learning records") || strings.Contains(row, `.value"`) {
		t.Errorf("the check-in row of a learning key result offers a value field, or does not say where the value comes from:\n%s", row)
	}

	// Editing keeps the measure in the form.
	s.visit("/key-results/" + k.ID + "/edit")
	if got := get(s, "measure type", chromedp.Evaluate[string](`document.querySelector("input[name=measure_type]:checked").value + " " + document.querySelector("#measure-program").value`)); got != string(learning.CompletionRate)+" "+p.ID {
		t.Errorf("the edit form shows the measure as %q", got)
	}
	s.screenshots("learning-key-result-form")
}

func TestBrowserLearningTeamAdmin(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	actor := s.ownerActor()
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	// The admin area has a "Skills & learning" section.
	s.visit("/admin")
	lrnClickAndWait(s, "open Skills & learning", `.admin-tabs a[href="/admin/learning"]`, "/admin/learning")
	s.checkAccessibility("admin skills")
	s.screenshots("admin-learning-skills")

	// A framework file is previewed first (nothing changes), then imported.
	before, err := s.m.App.AllSkills(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	file, err := filepath.Abs(filepath.Join("..", "..", "internal", "learning", "testdata", "onet_skills.csv"))
	if err != nil {
		t.Fatal(err)
	}
	s.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{file}))
	lrnClickAndWait(s, "preview the import", `#import button[type=submit]`, "/admin/learning")
	preview := s.text("#preview")
	if !strings.Contains(preview, "nothing has changed yet") || !strings.Contains(preview, "O*NET") {
		t.Fatalf("the preview says %q", preview)
	}
	if mid, err := s.m.App.AllSkills(ctx, actor); err != nil || len(mid) != len(before) {
		t.Fatalf("the preview changed the skills: %d → %d (%v)", len(before), len(mid), err)
	}
	created := ltCount(s, "#preview tbody tr")
	if created == 0 {
		t.Fatal("the preview lists no new skill")
	}
	s.checkAccessibility("admin skills preview")
	s.screenshots("admin-learning-import-preview")
	lrnClickAndWait(s, "import", `#preview button[type=submit]`, "/admin/learning")
	after, err := s.m.App.AllSkills(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+created {
		t.Errorf("importing made %d skills into %d, want %d more", len(before), len(after), created)
	}
	if got := s.text(".flash"); !strings.Contains(got, "Imported from O*NET") {
		t.Errorf("the flash after importing says %q", got)
	}

	// An LRS credential: its secret is shown once, and it authenticates.
	s.visit("/admin/learning/lrs")
	s.checkAccessibility("admin LRS credentials")
	s.do("name the credential", chromedp.SendKeys(chromedp.CSS("#lrs-name"), "Moodle"))
	lrnClickAndWait(s, "create the credential", `#new-credential button[type=submit]`, "/admin/learning/lrs")
	secret := get(s, "the secret", chromedp.Evaluate[string](`document.querySelector("#lrs-secret").value`))
	key := s.text("#lrs-key")
	if secret == "" || !strings.HasPrefix(key, "okrax_") {
		t.Fatalf("the new credential shows key %q and secret %q", key, secret)
	}
	client, err := s.m.App.LRSActor(ctx, key, secret)
	if err != nil || client.Name != "Moodle" {
		t.Fatalf("the key and secret shown do not authenticate: %+v, %v", client, err)
	}
	s.checkAccessibility("admin LRS secret")
	s.screenshots("admin-learning-lrs")
	s.visit("/admin/learning/lrs")
	if n := ltCount(s, "#lrs-secret"); n != 0 {
		t.Error("the secret is shown again after a reload")
	}
	s.do("answer the confirmation", chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`))
	lrnClickAndWait(s, "revoke the credential", `.admin-table form button[type=submit]`, "/admin/learning/lrs")
	if _, err := s.m.App.LRSActor(ctx, key, secret); err == nil {
		t.Error("the revoked credential still authenticates")
	}

	// An LMS completion report: upload, the mapping guessed from its header, a dry run, then the import.
	p := ltProgram(t, s, actor, "Time Management for Project Leads")
	report := filepath.Join(t.TempDir(), "completions.csv")
	if err := os.WriteFile(report, []byte("User Email,Course Title,Completion Status,Score,Completion Date\n"+
		"liam.chen@northwind.test,Time Management for Project Leads,Completed,91,2026-10-20\n"+
		"nobody@elsewhere.test,Time Management for Project Leads,Completed,80,2026-10-21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	enrolledBefore := len(ltEnrolled(t, s, actor, p.ID))
	s.visit("/admin/learning/completions")
	s.do("choose the report", chromedp.SetUploadFiles(chromedp.CSS("#completion-file"), []string{report}))
	lrnClickAndWait(s, "upload the report", `form[enctype] button[type=submit]`, "/admin/learning/completions")
	if got := get(s, "mapping", chromedp.Evaluate[string](`document.querySelector("#map-email").value + "|" + document.querySelector("#map-program").value`)); got != "User Email|Course Title" {
		t.Errorf("the mapping guessed is %q", got)
	}
	if n := ltCount(s, "#dry-run .adl-rows tbody tr"); n != 2 {
		t.Fatalf("the dry run lists %d rows, want 2", n)
	}
	if len(ltEnrolled(t, s, actor, p.ID)) != enrolledBefore {
		t.Fatal("the dry run enrolled someone")
	}
	s.checkAccessibility("admin completions dry run")
	s.screenshots("admin-learning-completions")
	lrnClickAndWait(s, "import the report", `button[value=apply]`, "/admin/learning/completions")
	if got := s.text(".flash"); !strings.Contains(got, "Imported 2 rows") {
		t.Errorf("the flash after importing says %q", got)
	}
	es, err := s.m.App.ListEnrollments(ctx, actor, app.EnrollmentQuery{ProgramID: p.ID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	liam := slices.IndexFunc(es.Items, func(e learning.Enrollment) bool {
		m, err := s.m.App.GetUser(ctx, actor, e.UserID)
		return err == nil && m.Email == "liam.chen@northwind.test"
	})
	if liam < 0 || !es.Items[liam].PassedCompletion() || es.Items[liam].Score == nil || *es.Items[liam].Score != 91 {
		t.Errorf("after the import Liam's enrollments in %q are %+v", p.Title, es.Items)
	}

	// Role profiles: the list and a role's page with its requirements.
	s.visit("/admin/learning/roles")
	s.checkAccessibility("admin role profiles")
	lrnClickAndWait(s, "open a role profile", `.admin-table a[href^="/admin/learning/roles/"]`, "/admin/learning/roles/")
	if n := ltCount(s, "#requirements .gap-list > li"); n == 0 {
		t.Error("the demo's role profile shows no requirements")
	}
	s.checkAccessibility("admin role profile")
	s.screenshots("admin-learning-role")
}
