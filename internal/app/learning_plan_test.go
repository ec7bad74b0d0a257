package app_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

// dayClock is a clock the learning tests set to a day (09:00 UTC).
type dayClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *dayClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *dayClock) set(tb testing.TB, day string) {
	tb.Helper()
	d, err := time.Parse(okr.DateLayout, day)
	if err != nil {
		tb.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = d.Add(9 * time.Hour)
}

// planWorld is the world of access_test on a clock, with two more members
// (carl, dana), Support (lead ann) with members bob and carl, two skills and
// three programs: a course and a certification teaching conflict resolution
// (to levels 2 and 3), and a scheduling course.
type planWorld struct {
	*world
	clock                *dayClock
	carl, dana           org.Actor
	conflict, scheduling learning.Skill
	course, cert, sched  learning.Program
}

func newPlanWorld(tb testing.TB, day string) *planWorld {
	tb.Helper()
	ctx := context.Background()
	clock := &dayClock{}
	clock.set(tb, day)
	w := &planWorld{world: newWorldWith(tb, store.Config{Now: clock.Now}), clock: clock}
	w.carl, w.dana = planMember(tb, w.world, "carl@acme.test"), planMember(tb, w.world, "dana@acme.test")
	var err error
	members := []string{w.bob.UserID, w.carl.UserID}
	if w.team, err = w.a.UpdateTeam(ctx, w.owner, w.team.ID, &w.team.Version, app.TeamUpdate{MemberIDs: &members}); err != nil {
		tb.Fatal(err)
	}
	skill := func(name string) learning.Skill {
		s, err := w.a.CreateSkill(ctx, w.owner, app.SkillInput{Name: name}, "")
		if err != nil {
			tb.Fatal(err)
		}
		return s
	}
	w.conflict, w.scheduling = skill("Conflict resolution"), skill("Scheduling")
	program := func(in app.ProgramInput) learning.Program {
		p, err := w.a.CreateProgram(ctx, w.owner, in, "")
		if err != nil {
			tb.Fatal(err)
		}
		return p
	}
	w.course = program(app.ProgramInput{Title: "De-escalation basics", Kind: learning.KindCourse, Hours: ptr(4.0),
		Skills: []learning.TaughtSkill{{SkillID: w.conflict.ID, Level: 2}}})
	w.cert = program(app.ProgramInput{Title: "Conflict resolution certificate", Kind: learning.KindCertification, Hours: ptr(12.0),
		PassMark: ptr(80.0), Skills: []learning.TaughtSkill{{SkillID: w.conflict.ID, Level: 3}}})
	w.sched = program(app.ProgramInput{Title: "Scheduling 101", Kind: learning.KindELearning,
		Skills: []learning.TaughtSkill{{SkillID: w.scheduling.ID, Level: 3}}})
	return w
}

// planMember adds a member with a read-write token.
func planMember(tb testing.TB, w *world, email string) org.Actor {
	tb.Helper()
	ctx := context.Background()
	m, err := w.a.CreateUser(ctx, w.owner, app.UserInput{Email: email, Name: strings.Split(email, "@")[0], Role: org.RoleMember}, "")
	if err != nil {
		tb.Fatal(err)
	}
	tk, err := w.a.CreateToken(ctx, w.owner, app.TokenInput{UserID: m.ID, Name: "test", Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite}}, "")
	if err != nil {
		tb.Fatal(err)
	}
	return actorOf(tb, w.a, tk.Secret)
}

// supportGoal gives Support an objective with a key result and a requirement
// of conflict resolution at level 3 for two people.
func (w *planWorld) supportGoal(tb testing.TB) (okr.Objective, okr.KeyResult, learning.Requirement) {
	tb.Helper()
	ctx := context.Background()
	o, err := w.a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Calm every escalation",
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}}, "")
	if err != nil {
		tb.Fatal(err)
	}
	k, err := w.a.CreateKeyResult(ctx, w.ann, app.KeyResultInput{ObjectiveID: o.ID, Title: "Escalations resolved on first contact",
		Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)}, "")
	if err != nil {
		tb.Fatal(err)
	}
	r, err := w.a.CreateRequirement(ctx, w.ann, app.RequirementInput{Subject: learning.Subject{Type: learning.SubjectTeam, ID: w.team.ID},
		SkillID: w.conflict.ID, Level: 3, Headcount: ptr(2)}, "")
	if err != nil {
		tb.Fatal(err)
	}
	return o, k, r
}

func TestLearningObjectivePermissions(t *testing.T) {
	ctx := context.Background()
	w := newPlanWorld(t, "2027-01-10")
	a := w.a
	mine := func(who org.Actor, userID, teamID string) (app.LearningObjectiveResult, error) {
		return a.CreateLearningObjective(ctx, who, app.LearningObjectiveInput{UserID: userID, TeamID: teamID,
			SkillID: w.conflict.ID, TargetLevel: 3}, "")
	}

	// Bob sets his own; he may not set Carl's, nor Support's.
	own, err := mine(w.bob, w.bob.UserID, "")
	if err != nil {
		t.Fatal(err)
	}
	if own.UserID != w.bob.UserID || own.TargetLevel != 3 || own.Version != 1 || len(own.ProgramIDs) != 0 {
		t.Fatalf("created %+v", own.LearningObjective)
	}
	_, err = mine(w.bob, w.carl.UserID, "")
	wantKind(t, err, errs.Forbidden)
	_, err = mine(w.bob, "", w.team.ID)
	wantKind(t, err, errs.Forbidden)
	_, err = mine(w.viola, w.viola.UserID, "")
	wantKind(t, err, errs.Forbidden)

	// Ann leads Support: she sets Bob's and the team's, not Dana's (in no team of hers).
	forBob, err := mine(w.ann, w.bob.UserID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mine(w.ann, "", w.team.ID); err != nil {
		t.Fatal(err)
	}
	_, err = mine(w.ann, w.dana.UserID, "")
	wantKind(t, err, errs.Forbidden)

	// Dana joins Tier 2, under Support: Ann now leads her through the sub-team,
	// and may set Tier 2's learning as the lead of the team above.
	tier2, err := a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Tier 2", ParentID: w.team.ID, MemberIDs: []string{w.dana.UserID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mine(w.ann, w.dana.UserID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := mine(w.ann, "", tier2.ID); err != nil {
		t.Fatal(err)
	}
	_, err = mine(w.dana, "", tier2.ID)
	wantKind(t, err, errs.Forbidden)
	// Admins set anyone's.
	if _, err := mine(w.owner, w.viola.UserID, ""); err != nil {
		t.Fatal(err)
	}

	// Bob changes the one Ann set for him; Carl may neither change nor delete it.
	note := "Shadow Ann on escalations first"
	_, err = a.UpdateLearningObjective(ctx, w.carl, forBob.ID, &forBob.Version, app.LearningObjectiveUpdate{Note: &note})
	wantKind(t, err, errs.Forbidden)
	upd, err := a.UpdateLearningObjective(ctx, w.bob, forBob.ID, &forBob.Version, app.LearningObjectiveUpdate{Note: &note})
	if err != nil || upd.Note != note || upd.Version != 2 {
		t.Fatalf("bob's update: %v, %+v", err, upd.LearningObjective)
	}
	wantKind(t, a.DeleteLearningObjective(ctx, w.carl, forBob.ID), errs.Forbidden)
	if err := a.DeleteLearningObjective(ctx, w.bob, forBob.ID); err != nil {
		t.Fatal(err)
	}
	_, err = a.GetLearningObjective(ctx, w.bob, forBob.ID)
	wantKind(t, err, errs.NotFound)

	// Lists filter by person and by team.
	page, err := a.ListLearningObjectives(ctx, w.carl, app.LearningObjectiveQuery{UserID: w.bob.UserID})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != own.ID {
		t.Fatalf("bob's learning objectives: %v, %+v", err, page.Items)
	}
	page, err = a.ListLearningObjectives(ctx, w.carl, app.LearningObjectiveQuery{TeamID: tier2.ID})
	if err != nil || len(page.Items) != 1 || page.Items[0].TeamID != tier2.ID {
		t.Fatalf("Tier 2's learning objectives: %v, %+v", err, page.Items)
	}
}

func TestLearningObjectiveValidation(t *testing.T) {
	ctx := context.Background()
	w := newPlanWorld(t, "2027-01-10")
	a := w.a
	obj, kr, req := w.supportGoal(t)
	create := func(in app.LearningObjectiveInput) (app.LearningObjectiveResult, error) {
		return a.CreateLearningObjective(ctx, w.ann, in, "")
	}

	_, err := create(app.LearningObjectiveInput{SkillID: w.conflict.ID, TargetLevel: 3})
	wantField(t, err, "user_id", "give the learner (user_id), or team_id")
	_, err = create(app.LearningObjectiveInput{UserID: w.bob.UserID, TeamID: w.team.ID, SkillID: w.conflict.ID, TargetLevel: 3})
	wantField(t, err, "team_id", "not both")
	_, err = create(app.LearningObjectiveInput{UserID: "nobody", SkillID: w.conflict.ID, TargetLevel: 3})
	wantField(t, err, "user_id", "no member nobody")

	_, err = create(app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: "nope", TargetLevel: 3})
	wantField(t, err, "skill_id", "no skill nope")
	_, err = create(app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: w.conflict.ID, TargetLevel: 6, DueDate: "31/03/2027"})
	wantField(t, err, "target_level", "1 to 5")
	wantField(t, err, "due_date", "must be a date")

	// The requirement must be of the same skill.
	_, err = create(app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: w.scheduling.ID, TargetLevel: 2, RequirementID: req.ID})
	wantField(t, err, "requirement_id", `requires "Conflict resolution", another skill`)

	// A key result of another objective than the one given.
	other, err := a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Keep the team rested",
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = create(app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: w.conflict.ID, TargetLevel: 3, ObjectiveID: other.ID, KeyResultID: kr.ID})
	wantField(t, err, "objective_id", "belongs to objective "+obj.ID)
	_, err = create(app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: w.conflict.ID, TargetLevel: 3, KeyResultID: "gone"})
	wantField(t, err, "key_result_id", "no key result gone")

	// Programs: each current and teaching the skill, the culprit named.
	archived := true
	old, err := a.UpdateProgram(ctx, w.owner, w.course.ID, &w.course.Version, app.ProgramUpdate{Archived: &archived})
	if err != nil {
		t.Fatal(err)
	}
	_, err = create(app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: w.conflict.ID, TargetLevel: 3,
		ProgramIDs: []string{w.cert.ID, w.sched.ID, old.ID, "unknown", w.cert.ID}})
	wantField(t, err, "program_ids[1]", `"Scheduling 101" does not teach "Conflict resolution"`)
	wantField(t, err, "program_ids[2]", `"De-escalation basics" is archived`)
	wantField(t, err, "program_ids[3]", "no program unknown")
	wantField(t, err, "program_ids[4]", "is listed twice")
	if e := err.(*errs.Error); len(e.Fields) != 4 {
		t.Errorf("only the four bad programs are reported: %v", e.Fields)
	}
	unarchived := false
	if _, err := a.UpdateProgram(ctx, w.owner, old.ID, &old.Version, app.ProgramUpdate{Archived: &unarchived}); err != nil {
		t.Fatal(err)
	}

	// Without the gap and the key result: saved, with the coach's two warnings.
	bare, err := create(app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: w.conflict.ID, TargetLevel: 3, DueDate: "2027-03-31"})
	if err != nil {
		t.Fatal(err)
	}
	if len(bare.Warnings) != 2 || !strings.Contains(bare.Warnings[0], "requirement_id") || !strings.Contains(bare.Warnings[1], "key_result_id") {
		t.Fatalf("warnings %q, want one asking for the requirement and one for the key result", bare.Warnings)
	}

	// Linked to both, with a program reaching the target: no warning; the key result implies its objective.
	full, err := create(app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: w.conflict.ID, TargetLevel: 3, DueDate: "2027-03-31",
		RequirementID: req.ID, KeyResultID: kr.ID, ProgramIDs: []string{w.cert.ID}, Note: "  before the busy season  "})
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Warnings) != 0 || full.ObjectiveID != obj.ID || full.KeyResultID != kr.ID || full.Note != "before the busy season" ||
		!slices.Equal(full.ProgramIDs, []string{w.cert.ID}) {
		t.Fatalf("linked learning objective: %+v, warnings %q", full.LearningObjective, full.Warnings)
	}

	// A target below the requirement and a program short of the target are pointed out.
	two := 2
	lower, err := a.UpdateLearningObjective(ctx, w.ann, full.ID, &full.Version, app.LearningObjectiveUpdate{TargetLevel: &two})
	if err != nil {
		t.Fatal(err)
	}
	if len(lower.Warnings) != 1 || lower.Warnings[0] != "the requirement asks for level 3; a target of 2 leaves the gap open" {
		t.Fatalf("warnings %q", lower.Warnings)
	}
	progs := []string{w.course.ID}
	three := 3
	short, err := a.UpdateLearningObjective(ctx, w.ann, full.ID, &lower.Version, app.LearningObjectiveUpdate{TargetLevel: &three, ProgramIDs: &progs})
	if err != nil {
		t.Fatal(err)
	}
	if len(short.Warnings) != 1 || !strings.Contains(short.Warnings[0], `"De-escalation basics" teaches the skill to level 2, below the target 3`) {
		t.Fatalf("warnings %q", short.Warnings)
	}

	// If-Match: required, and stale versions refused.
	_, err = a.UpdateLearningObjective(ctx, w.ann, full.ID, nil, app.LearningObjectiveUpdate{TargetLevel: &two})
	wantKind(t, err, errs.PreconditionRequired)
	_, err = a.UpdateLearningObjective(ctx, w.ann, full.ID, &full.Version, app.LearningObjectiveUpdate{TargetLevel: &two})
	wantKind(t, err, errs.PreconditionFailed)
	// Unlinking the key result keeps the objective, and the coach asks for a key result again.
	none := ""
	unlinked, err := a.UpdateLearningObjective(ctx, w.ann, full.ID, &short.Version, app.LearningObjectiveUpdate{KeyResultID: &none})
	if err != nil {
		t.Fatal(err)
	}
	if unlinked.KeyResultID != "" || unlinked.ObjectiveID != obj.ID || len(unlinked.Warnings) != 2 ||
		!strings.Contains(unlinked.Warnings[0], "serves an objective but names no key result") {
		t.Fatalf("unlinked: %+v, warnings %q", unlinked.LearningObjective, unlinked.Warnings)
	}
	page, err := a.ListLearningObjectives(ctx, w.bob, app.LearningObjectiveQuery{ObjectiveID: obj.ID})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != full.ID {
		t.Fatalf("by objective: %v, %+v", err, page.Items)
	}
}

func TestLearningObjectiveHidesPrivateLinks(t *testing.T) {
	ctx := context.Background()
	w := newPlanWorld(t, "2027-01-10")
	a := w.a
	secret, err := a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Prepare the reorganization quietly",
		Owner: app.OwnerInput{Type: okr.OwnerUser}, Visibility: okr.Private}, "")
	if err != nil {
		t.Fatal(err)
	}
	kr, err := a.CreateKeyResult(ctx, w.ann, app.KeyResultInput{ObjectiveID: secret.ID, Title: "Interviews held",
		Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(5.0)}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Bob cannot link what he cannot see.
	_, err = a.CreateLearningObjective(ctx, w.bob, app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: w.conflict.ID,
		TargetLevel: 2, KeyResultID: kr.ID}, "")
	wantField(t, err, "key_result_id", "no key result "+kr.ID)

	// Ann links it to Bob's learning: Bob reads the learning objective without the links.
	l, err := a.CreateLearningObjective(ctx, w.ann, app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: w.conflict.ID,
		TargetLevel: 2, KeyResultID: kr.ID}, "")
	if err != nil || l.KeyResultID != kr.ID || l.ObjectiveID != secret.ID {
		t.Fatalf("ann's view: %v, %+v", err, l.LearningObjective)
	}
	got, err := a.GetLearningObjective(ctx, w.bob, l.ID)
	if err != nil || got.KeyResultID != "" || got.ObjectiveID != "" {
		t.Fatalf("bob's view: %v, %+v", err, got.LearningObjective)
	}
	if got, err := a.GetLearningObjective(ctx, w.owner, l.ID); err != nil || got.KeyResultID != kr.ID {
		t.Fatalf("an admin's view: %v, %+v", err, got.LearningObjective)
	}
	page, err := a.ListLearningObjectives(ctx, w.bob, app.LearningObjectiveQuery{KeyResultID: kr.ID})
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("bob filters by a key result he cannot see: %v, %d items", err, len(page.Items))
	}
	plan, err := a.MyLearningPlan(ctx, w.bob, w.bob.UserID)
	if err != nil || len(plan.Objectives) != 1 || plan.Objectives[0].KeyResultID != "" {
		t.Fatalf("bob's plan: %v, %+v", err, plan.Objectives)
	}
}

func TestMyLearningPlan(t *testing.T) {
	ctx := context.Background()
	w := newPlanWorld(t, "2027-01-04")
	a := w.a
	_, kr, req := w.supportGoal(t)

	own, err := a.CreateLearningObjective(ctx, w.ann, app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: w.conflict.ID,
		TargetLevel: 3, DueDate: "2027-03-31", RequirementID: req.ID, KeyResultID: kr.ID, ProgramIDs: []string{w.course.ID, w.cert.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	team, err := a.CreateLearningObjective(ctx, w.ann, app.LearningObjectiveInput{TeamID: w.team.ID, SkillID: w.scheduling.ID,
		TargetLevel: 2, DueDate: "2027-01-05", ProgramIDs: []string{w.sched.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Dana's is not Bob's business.
	if _, err := a.CreateLearningObjective(ctx, w.dana, app.LearningObjectiveInput{UserID: w.dana.UserID, SkillID: w.conflict.ID, TargetLevel: 2}, ""); err != nil {
		t.Fatal(err)
	}

	// Bob rates himself 1, then passes the course for his objective: learning (level 2) outranks self.
	if _, err := a.CreateAssessment(ctx, w.bob, app.AssessmentInput{UserID: w.bob.UserID, SkillID: w.conflict.ID, Level: 1, Source: learning.SourceSelf}, ""); err != nil {
		t.Fatal(err)
	}
	course, err := a.Enroll(ctx, w.bob, app.EnrollmentInput{UserID: w.bob.UserID, ProgramID: w.course.ID, LearningObjectiveID: own.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	done := learning.Completed
	if course, err = a.UpdateEnrollment(ctx, w.bob, course.ID, &course.Version, app.EnrollmentUpdate{Status: &done}); err != nil {
		t.Fatal(err)
	}
	// Ann enrolls him in the certificate without linking it: it serves the objective that chose it.
	cert, err := a.Enroll(ctx, w.ann, app.EnrollmentInput{UserID: w.bob.UserID, ProgramID: w.cert.ID, DueDate: "2027-03-15"}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Other learning: one late, one without a due date, one finished.
	extra := func(title, due string) learning.Enrollment {
		p, err := a.CreateProgram(ctx, w.owner, app.ProgramInput{Title: title, Kind: learning.KindWorkshop}, "")
		if err != nil {
			t.Fatal(err)
		}
		e, err := a.Enroll(ctx, w.bob, app.EnrollmentInput{UserID: w.bob.UserID, ProgramID: p.ID, DueDate: okr.Date(due)}, "")
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	writing := extra("Writing for customers", "")
	timeMgmt := extra("Time management", "2027-01-08")
	finished := extra("Onboarding", "2027-01-06")
	if _, err := a.UpdateEnrollment(ctx, w.bob, finished.ID, &finished.Version, app.EnrollmentUpdate{Status: &done}); err != nil {
		t.Fatal(err)
	}

	w.clock.set(t, "2027-01-10")
	plan, err := a.MyLearningPlan(ctx, w.carl, w.bob.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if plan.UserID != w.bob.UserID || plan.Today != "2027-01-10" || len(plan.Objectives) != 2 {
		t.Fatalf("plan: %+v", plan)
	}
	// Soonest due first: the team's scheduling objective, already late.
	first := plan.Objectives[0]
	if first.ID != team.ID || first.SkillName != "Scheduling" || first.CurrentLevel != 0 || first.Gap != 2 || first.Reached ||
		!first.Overdue || first.TargetLevelName != "Advanced beginner" || len(first.Enrollments) != 0 {
		t.Errorf("team objective: %+v", first)
	}
	if len(first.Programs) != 1 || first.Programs[0] != (app.PlanProgram{ID: w.sched.ID, Title: "Scheduling 101", Level: 3}) {
		t.Errorf("team objective's programs: %+v", first.Programs)
	}
	second := plan.Objectives[1]
	if second.ID != own.ID || second.CurrentLevel != 2 || second.CurrentLevelName != "Advanced beginner" || second.Gap != 1 ||
		second.Overdue || second.Decayed || second.KeyResultID != kr.ID || second.RequirementID != req.ID {
		t.Errorf("own objective: %+v", second)
	}
	var served []string
	for _, e := range second.Enrollments {
		served = append(served, e.ProgramTitle+":"+string(e.Status))
	}
	if !slices.Equal(served, []string{"De-escalation basics:completed", "Conflict resolution certificate:assigned"}) {
		t.Errorf("enrollments serving it: %q", served)
	}
	wantPrograms := []app.PlanProgram{
		{ID: w.course.ID, Title: "De-escalation basics", Level: 2, Enrolled: true},
		{ID: w.cert.ID, Title: "Conflict resolution certificate", Level: 3, Enrolled: true},
	}
	if !slices.Equal(second.Programs, wantPrograms) {
		t.Errorf("own objective's programs: %+v", second.Programs)
	}
	// The rest, soonest due first, the late one flagged; finished learning is not listed.
	var others []string
	for _, e := range plan.OtherEnrollments {
		others = append(others, e.ID)
	}
	if !slices.Equal(others, []string{timeMgmt.ID, writing.ID}) {
		t.Fatalf("other enrollments %q, want time management then writing", others)
	}
	if !plan.OtherEnrollments[0].Overdue || plan.OtherEnrollments[0].ProgramTitle != "Time management" || plan.OtherEnrollments[1].Overdue {
		t.Errorf("other enrollments: %+v", plan.OtherEnrollments)
	}
	if cert.DueDate != "2027-03-15" || second.Enrollments[1].Overdue {
		t.Errorf("the certificate is due 2027-03-15, not late: %+v", second.Enrollments[1])
	}

	_, err = a.MyLearningPlan(ctx, w.bob, "nobody")
	wantKind(t, err, errs.NotFound)
}

func TestMentorships(t *testing.T) {
	ctx := context.Background()
	w := newPlanWorld(t, "2027-01-10")
	a := w.a

	in := app.MentorshipInput{MentorID: w.bob.UserID, MenteeID: w.carl.UserID, SkillID: w.conflict.ID, Notes: "Weekly, Tuesdays"}
	_, err := a.CreateMentorship(ctx, w.dana, in, "")
	wantKind(t, err, errs.Forbidden)
	_, err = a.CreateMentorship(ctx, w.bob, app.MentorshipInput{MentorID: w.bob.UserID, MenteeID: w.bob.UserID}, "")
	wantField(t, err, "mentee_id", "is the mentor")
	_, err = a.CreateMentorship(ctx, w.bob, app.MentorshipInput{MentorID: "ghost", MenteeID: w.bob.UserID, SkillID: "nope"}, "")
	wantField(t, err, "mentor_id", "no member ghost")
	_, err = a.CreateMentorship(ctx, w.bob, app.MentorshipInput{MentorID: w.bob.UserID, MenteeID: w.carl.UserID,
		StartDate: "2027-02-01", EndDate: "2027-01-31", SkillID: "nope"}, "")
	wantField(t, err, "end_date", "is before the start date 2027-02-01")
	wantField(t, err, "skill_id", "no skill nope")

	// The mentee records it; it starts today.
	m, err := a.CreateMentorship(ctx, w.carl, in, "")
	if err != nil {
		t.Fatal(err)
	}
	if m.StartDate != "2027-01-10" || m.EndDate != "" || m.MentorID != w.bob.UserID || m.Version != 1 {
		t.Fatalf("mentorship %+v", m)
	}
	_, err = a.CreateMentorship(ctx, w.bob, in, "")
	wantKind(t, err, errs.Conflict)
	// Ann leads Carl: she records Dana mentoring Carl in scheduling.
	other, err := a.CreateMentorship(ctx, w.ann, app.MentorshipInput{MentorID: w.dana.UserID, MenteeID: w.carl.UserID, SkillID: w.scheduling.ID}, "")
	if err != nil {
		t.Fatal(err)
	}

	ids := func(q app.MentorshipQuery, who org.Actor) []string {
		t.Helper()
		page, err := a.ListMentorships(ctx, who, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range page.Items {
			out = append(out, x.ID)
		}
		return out
	}
	if got := ids(app.MentorshipQuery{UserID: w.carl.UserID}, w.bob); !slices.Equal(got, []string{m.ID, other.ID}) {
		t.Errorf("carl's mentorships %q", got)
	}
	if got := ids(app.MentorshipQuery{UserID: w.dana.UserID, As: "mentor"}, w.bob); !slices.Equal(got, []string{other.ID}) {
		t.Errorf("dana as mentor %q", got)
	}
	if got := ids(app.MentorshipQuery{UserID: w.dana.UserID, As: "mentee"}, w.bob); len(got) != 0 {
		t.Errorf("dana as mentee %q", got)
	}
	if got := ids(app.MentorshipQuery{SkillID: w.conflict.ID}, w.bob); !slices.Equal(got, []string{m.ID}) {
		t.Errorf("conflict resolution mentorships %q", got)
	}
	_, err = a.ListMentorships(ctx, w.bob, app.MentorshipQuery{UserID: w.bob.UserID, As: "boss"})
	wantField(t, err, "as", "mentor or mentee")

	// The notes are the pair's, their leads' and admins'.
	for _, c := range []struct {
		who   org.Actor
		notes string
	}{{w.bob, "Weekly, Tuesdays"}, {w.ann, "Weekly, Tuesdays"}, {w.owner, "Weekly, Tuesdays"}, {w.dana, ""}} {
		got, err := a.GetMentorship(ctx, c.who, m.ID)
		if err != nil || got.Notes != c.notes {
			t.Errorf("notes read by %s: %q (%v), want %q", c.who.UserID, got.Notes, err, c.notes)
		}
	}

	// Ending it: If-Match, an end after the start, only those involved.
	end := okr.Date("2027-01-09")
	_, err = a.UpdateMentorship(ctx, w.bob, m.ID, &m.Version, app.MentorshipUpdate{EndDate: &end})
	wantField(t, err, "end_date", "is before the start date 2027-01-10")
	end = "2027-01-20"
	_, err = a.UpdateMentorship(ctx, w.dana, m.ID, &m.Version, app.MentorshipUpdate{EndDate: &end})
	wantKind(t, err, errs.Forbidden)
	stale := m.Version + 1
	_, err = a.UpdateMentorship(ctx, w.bob, m.ID, &stale, app.MentorshipUpdate{EndDate: &end})
	wantKind(t, err, errs.PreconditionFailed)
	ended, err := a.UpdateMentorship(ctx, w.bob, m.ID, &m.Version, app.MentorshipUpdate{EndDate: &end})
	if err != nil || ended.EndDate != end || ended.Version != 2 || ended.Notes != "Weekly, Tuesdays" {
		t.Fatalf("ended: %v, %+v", err, ended)
	}
	w.clock.set(t, "2027-01-21")
	if got := ids(app.MentorshipQuery{UserID: w.carl.UserID, Active: true}, w.bob); !slices.Equal(got, []string{other.ID}) {
		t.Errorf("carl's running mentorships %q", got)
	}
}

func TestFeedbackRelationsAndSubjects(t *testing.T) {
	ctx := context.Background()
	w := newPlanWorld(t, "2027-01-10")
	a := w.a
	give := func(who org.Actor, in app.FeedbackInput) (learning.Feedback, error) {
		if in.Body == "" {
			in.Body = "You kept the customer calm and got to the cause."
		}
		return a.GiveFeedback(ctx, who, in, "")
	}

	// A mentor's word needs a running mentorship between them.
	_, err := give(w.bob, app.FeedbackInput{ToID: w.carl.UserID, Relation: app.RelationMentor})
	wantKind(t, err, errs.Forbidden)
	if _, err := a.CreateMentorship(ctx, w.bob, app.MentorshipInput{MentorID: w.bob.UserID, MenteeID: w.carl.UserID, StartDate: "2027-01-11"}, ""); err != nil {
		t.Fatal(err)
	}
	_, err = give(w.bob, app.FeedbackInput{ToID: w.carl.UserID, Relation: app.RelationMentor})
	wantKind(t, err, errs.Forbidden) // it starts tomorrow
	w.clock.set(t, "2027-01-11")
	fb, err := give(w.bob, app.FeedbackInput{ToID: w.carl.UserID, Relation: app.RelationMentor})
	if err != nil {
		t.Fatal(err)
	}
	if fb.FromID != w.bob.UserID || fb.ToID != w.carl.UserID || fb.Visibility != learning.VisibleRecipient || fb.ID == "" {
		t.Fatalf("feedback %+v", fb)
	}
	// The mentee is not the mentor of the mentor.
	_, err = give(w.carl, app.FeedbackInput{ToID: w.bob.UserID, Relation: app.RelationMentor})
	wantKind(t, err, errs.Forbidden)

	// A manager's word: admins and the leads of the person's teams.
	_, err = give(w.bob, app.FeedbackInput{ToID: w.carl.UserID, Relation: app.RelationManager})
	wantKind(t, err, errs.Forbidden)
	if _, err := give(w.ann, app.FeedbackInput{ToID: w.carl.UserID, Relation: app.RelationManager}); err != nil {
		t.Fatal(err)
	}
	if _, err := give(w.owner, app.FeedbackInput{ToID: w.dana.UserID, Relation: app.RelationManager}); err != nil {
		t.Fatal(err)
	}

	// Subjects exist, and an enrollment is the recipient's own.
	e, err := a.Enroll(ctx, w.ann, app.EnrollmentInput{UserID: w.bob.UserID, ProgramID: w.course.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = give(w.dana, app.FeedbackInput{ToID: w.carl.UserID, Relation: app.RelationPeer, SubjectType: "enrollment", SubjectID: e.ID})
	wantField(t, err, "subject_id", "is another person's enrollment")
	if _, err := give(w.dana, app.FeedbackInput{ToID: w.bob.UserID, Relation: app.RelationPeer, SubjectType: "enrollment", SubjectID: e.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = give(w.dana, app.FeedbackInput{ToID: w.bob.UserID, Relation: app.RelationPeer, SubjectType: "skill", SubjectID: "nope"})
	wantField(t, err, "subject_id", "no skill nope")
	_, err = give(w.dana, app.FeedbackInput{ToID: w.bob.UserID, Relation: app.RelationPeer, SubjectType: "kudos", SubjectID: "x"})
	wantField(t, err, "subject_type", "enrollment, skill or objective")
	_, err = give(w.dana, app.FeedbackInput{ToID: w.bob.UserID, Relation: app.RelationPeer, SubjectID: w.conflict.ID})
	wantField(t, err, "subject_type", "say what subject_id is")
	secret, err := a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Prepare the reorganization quietly",
		Owner: app.OwnerInput{Type: okr.OwnerUser}, Visibility: okr.Private}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = give(w.dana, app.FeedbackInput{ToID: w.bob.UserID, Relation: app.RelationPeer, SubjectType: "objective", SubjectID: secret.ID})
	wantField(t, err, "subject_id", "no objective "+secret.ID)

	// The rest of the form.
	_, err = a.GiveFeedback(ctx, w.dana, app.FeedbackInput{ToID: w.dana.UserID, Relation: "boss", Body: "  ", Visibility: "everyone"}, "")
	wantField(t, err, "to_id", "is you")
	wantField(t, err, "relation", "peer, manager or mentor")
	wantField(t, err, "body", "is required")
	wantField(t, err, "visibility", "recipient, managers or private")
	_, err = give(w.viola, app.FeedbackInput{ToID: w.bob.UserID, Relation: app.RelationPeer})
	wantKind(t, err, errs.Forbidden)

	// A retry with the same Idempotency-Key gives the first feedback back.
	in := app.FeedbackInput{ToID: w.bob.UserID, Relation: app.RelationPeer, Body: "Thanks for covering my shift."}
	first, err := a.GiveFeedback(ctx, w.carl, in, "key-1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := a.GiveFeedback(ctx, w.carl, in, "key-1")
	if err != nil || again.ID != first.ID || again.Body != in.Body {
		t.Fatalf("retry: %v, %+v, want %s", err, again, first.ID)
	}
}

func TestFeedbackVisibility(t *testing.T) {
	ctx := context.Background()
	w := newPlanWorld(t, "2027-01-10")
	a := w.a
	// Dana, a peer, tells Bob three things, one for each visibility.
	for _, vis := range []learning.FeedbackVisibility{learning.VisibleRecipient, learning.VisibleManagers, learning.VisiblePrivate, ""} {
		body := "for " + string(vis)
		if vis == "" {
			body = "by default"
		}
		if _, err := a.GiveFeedback(ctx, w.dana, app.FeedbackInput{ToID: w.bob.UserID, Relation: app.RelationPeer, Body: body, Visibility: vis}, ""); err != nil {
			t.Fatal(err)
		}
	}
	read := func(who org.Actor, q app.FeedbackQuery) []string {
		t.Helper()
		page, err := a.ListFeedback(ctx, who, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, fb := range page.Items {
			out = append(out, fb.Body)
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct {
		name string
		who  org.Actor
		want []string
	}{
		{"the author", w.dana, []string{"by default", "for managers", "for private", "for recipient"}},
		{"the recipient", w.bob, []string{"by default", "for managers", "for recipient"}},
		{"the recipient's lead", w.ann, []string{"for managers", "for private"}},
		{"an admin", w.owner, []string{"for managers", "for private"}},
		{"a peer", w.carl, nil},
		{"a viewer", w.viola, nil},
	} {
		if got := read(c.who, app.FeedbackQuery{ToID: w.bob.UserID}); !slices.Equal(got, c.want) {
			t.Errorf("%s reads %q, want %q", c.name, got, c.want)
		}
	}
	if got := read(w.bob, app.FeedbackQuery{FromID: w.dana.UserID}); len(got) != 3 {
		t.Errorf("bob reads %q from dana", got)
	}

	// The audit log, which admins read, keeps the words out.
	recipientOnly, err := a.ListFeedback(ctx, w.dana, app.FeedbackQuery{ToID: w.bob.UserID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	for _, fb := range recipientOnly.Items {
		events, err := a.ListAuditEvents(ctx, w.owner, app.AuditQuery{SubjectID: fb.ID})
		if err != nil || len(events.Items) != 1 || strings.Contains(string(events.Items[0].After), fb.Body) {
			t.Errorf("audit of feedback %q: %v, %+v", fb.Body, err, events.Items)
		}
	}

	// Newest first, a page at a time, hidden items never counted.
	page, err := a.ListFeedback(ctx, w.bob, app.FeedbackQuery{ToID: w.bob.UserID, PageRequest: app.PageRequest{Limit: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].Body != "by default" || page.Items[1].Body != "for managers" || page.NextCursor == "" {
		t.Fatalf("first page %+v", page)
	}
	page, err = a.ListFeedback(ctx, w.bob, app.FeedbackQuery{ToID: w.bob.UserID, PageRequest: app.PageRequest{Limit: 2, Cursor: page.NextCursor}})
	if err != nil || len(page.Items) != 1 || page.Items[0].Body != "for recipient" || page.NextCursor != "" {
		t.Fatalf("second page %v, %+v", err, page)
	}
}
