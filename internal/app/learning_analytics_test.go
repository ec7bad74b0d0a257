package app_test

import (
	"context"
	"math"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// analyticsWorld is a small learning history, by hand:
//
//	teams: Sales (lead owner); Support (lead ann; bob, carl) with Tier 2 (dana) under it
//	2026-12-01  owner passes the course (4 h by the program), rates it 3
//	2027-01-10  bob, carl, dana enroll in the certificate; ann and bob in the course;
//	            dana starts, bob withdraws from the course
//	2027-01-15  ann assesses carl at 3 (manager); 2027-01-20 dana rates herself 2
//	2027-02-15  bob passes the certificate (90, rates it 4), carl fails it (70),
//	            ann completes the course (3 h of her own, rates it 5)
//	requirements: Support needs conflict resolution 3 × 2, Tier 2 needs it at 2 × 1
//	key results: Support's at 0.8, Sales' at 0.2, Carl's private one at 0.5, linked
//	by learning objectives to the certificate (all three) and the course (Carl's)
type analyticsWorld struct {
	*planWorld
	sales, tier2 org.Team
	k1, k2, k3   okr.KeyResult
}

func newAnalyticsWorld(t *testing.T) *analyticsWorld {
	t.Helper()
	ctx := context.Background()
	w := &analyticsWorld{planWorld: newPlanWorld(t, "2026-12-01")}
	a := w.a
	done := learning.Completed
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	e, err := a.Enroll(ctx, w.owner, app.EnrollmentInput{UserID: w.owner.UserID, ProgramID: w.course.ID}, "")
	check(err)
	_, err = a.UpdateEnrollment(ctx, w.owner, e.ID, &e.Version, app.EnrollmentUpdate{Status: &done, Feedback: &learning.LearnerFeedback{Rating: 3}})
	check(err)

	w.clock.set(t, "2027-01-10")
	w.sales, err = a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Sales", LeadIDs: []string{w.owner.UserID}}, "")
	check(err)
	w.tier2, err = a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Tier 2", ParentID: w.team.ID, MemberIDs: []string{w.dana.UserID}}, "")
	check(err)
	enroll := func(who org.Actor, p learning.Program) learning.Enrollment {
		t.Helper()
		e, err := a.Enroll(ctx, w.ann, app.EnrollmentInput{UserID: who.UserID, ProgramID: p.ID}, "")
		check(err)
		return e
	}
	bobCert, carlCert, danaCert := enroll(w.bob, w.cert), enroll(w.carl, w.cert), enroll(w.dana, w.cert)
	annCourse, bobCourse := enroll(w.ann, w.course), enroll(w.bob, w.course)
	started, withdrawn := learning.InProgress, learning.Withdrawn
	_, err = a.UpdateEnrollment(ctx, w.dana, danaCert.ID, &danaCert.Version, app.EnrollmentUpdate{Status: &started})
	check(err)
	_, err = a.UpdateEnrollment(ctx, w.bob, bobCourse.ID, &bobCourse.Version, app.EnrollmentUpdate{Status: &withdrawn})
	check(err)

	// Objectives and key results, with their progress, and the learning objectives linking them.
	goal := func(who org.Actor, owner app.OwnerInput, vis okr.Visibility, title string, value float64) okr.KeyResult {
		t.Helper()
		o, err := a.CreateObjective(ctx, who, app.ObjectiveInput{PeriodID: w.period.ID, Title: title, Owner: owner, Visibility: vis}, "")
		check(err)
		k, err := a.CreateKeyResult(ctx, who, app.KeyResultInput{ObjectiveID: o.ID, Title: "Measured " + title,
			Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)}, "")
		check(err)
		_, err = a.CheckIn(ctx, who, k.ID, app.CheckInInput{Value: &value, Confidence: 0.8, Status: okr.OnTrack}, "")
		check(err)
		k, err = a.GetKeyResult(ctx, who, k.ID)
		check(err)
		if math.Abs(k.Progress-value/10) > 1e-9 {
			t.Fatalf("key result %q at %v, want %v", title, k.Progress, value/10)
		}
		return k
	}
	w.k1 = goal(w.ann, app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}, okr.Public, "Calm every escalation", 8)
	w.k2 = goal(w.owner, app.OwnerInput{Type: okr.OwnerTeam, ID: w.sales.ID}, okr.Public, "Win back lost accounts", 2)
	w.k3 = goal(w.carl, app.OwnerInput{Type: okr.OwnerUser}, okr.Private, "Grow into a senior role", 5)
	link := func(who org.Actor, userID, teamID string, k okr.KeyResult, programs ...string) {
		t.Helper()
		_, err := a.CreateLearningObjective(ctx, who, app.LearningObjectiveInput{UserID: userID, TeamID: teamID, SkillID: w.conflict.ID,
			TargetLevel: 2, KeyResultID: k.ID, ProgramIDs: programs}, "")
		check(err)
	}
	link(w.ann, "", w.team.ID, w.k1, w.cert.ID)
	link(w.owner, "", w.sales.ID, w.k2, w.cert.ID)
	link(w.carl, w.carl.UserID, "", w.k3, w.cert.ID, w.course.ID)
	// A learning objective without a key result does not count.
	_, err = a.CreateLearningObjective(ctx, w.ann, app.LearningObjectiveInput{UserID: w.bob.UserID, SkillID: w.scheduling.ID,
		TargetLevel: 2, ProgramIDs: []string{w.sched.ID}}, "")
	check(err)

	for _, r := range []app.RequirementInput{
		{Subject: learning.Subject{Type: learning.SubjectTeam, ID: w.team.ID}, SkillID: w.conflict.ID, Level: 3, Headcount: ptr(2)},
		{Subject: learning.Subject{Type: learning.SubjectTeam, ID: w.tier2.ID}, SkillID: w.conflict.ID, Level: 2, Headcount: ptr(1)},
	} {
		_, err := a.CreateRequirement(ctx, w.owner, r, "")
		check(err)
	}

	w.clock.set(t, "2027-01-15")
	_, err = a.CreateAssessment(ctx, w.ann, app.AssessmentInput{UserID: w.carl.UserID, SkillID: w.conflict.ID, Level: 3, Source: learning.SourceManager}, "")
	check(err)
	w.clock.set(t, "2027-01-20")
	_, err = a.CreateAssessment(ctx, w.dana, app.AssessmentInput{UserID: w.dana.UserID, SkillID: w.conflict.ID, Level: 2, Source: learning.SourceSelf}, "")
	check(err)

	w.clock.set(t, "2027-02-15")
	score := func(e learning.Enrollment, s float64) learning.Enrollment {
		t.Helper()
		e, err := a.UpdateEnrollment(ctx, w.owner, e.ID, &e.Version, app.EnrollmentUpdate{Status: &done, Score: &s})
		check(err)
		return e
	}
	bobCert = score(bobCert, 90)
	if carlCert = score(carlCert, 70); carlCert.Status != learning.Failed {
		t.Fatalf("70 is under the pass mark: %s", carlCert.Status)
	}
	_, err = a.UpdateEnrollment(ctx, w.bob, bobCert.ID, &bobCert.Version, app.EnrollmentUpdate{Feedback: &learning.LearnerFeedback{Rating: 4, Text: "Hard, useful"}})
	check(err)
	_, err = a.UpdateEnrollment(ctx, w.ann, annCourse.ID, &annCourse.Version, app.EnrollmentUpdate{Status: &done, Hours: ptr(3.0),
		Feedback: &learning.LearnerFeedback{Rating: 5}})
	check(err)

	w.clock.set(t, "2027-04-10")
	return w
}

// enrollStats is the part of a program's or a group's numbers the tests compare.
type enrollStats struct {
	enrolled, inProgress, completed, passed, failed, withdrawn int
	completion, pass                                           float64
	score, rating                                              float64 // -1: none
	ratings                                                    int
	hours                                                      float64
}

func statsOf(s learning.ProgramStats) enrollStats {
	out := enrollStats{enrolled: s.Enrolled, inProgress: s.InProgress, completed: s.Completed, passed: s.Passed, failed: s.Failed,
		withdrawn: s.Withdrawn, completion: s.CompletionRate, pass: s.PassRate, score: -1, rating: -1, ratings: s.Ratings, hours: s.Hours}
	if s.MeanScore != nil {
		out.score = *s.MeanScore
	}
	if s.MeanRating != nil {
		out.rating = *s.MeanRating
	}
	return out
}

func (s enrollStats) equal(o enrollStats) bool {
	return s.enrolled == o.enrolled && s.inProgress == o.inProgress && s.completed == o.completed && s.passed == o.passed &&
		s.failed == o.failed && s.withdrawn == o.withdrawn && s.ratings == o.ratings && near(s.completion, o.completion) &&
		near(s.pass, o.pass) && near(s.score, o.score) && near(s.rating, o.rating) && near(s.hours, o.hours)
}

func TestLearningAnalyticsByProgramTeamAndPeriod(t *testing.T) {
	ctx := context.Background()
	w := newAnalyticsWorld(t)

	got, err := w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	tot := got.Totals
	// 6 enrollments: 3 completed (all passed), 1 failed, 1 withdrawn, 1 in progress, by 5 people.
	if tot.Enrollments != 6 || tot.Learners != 5 || tot.Completed != 3 || tot.Passed != 3 || tot.Failed != 1 || tot.Withdrawn != 1 ||
		tot.InProgress != 1 || !near(tot.CompletionRate, 3.0/5) || !near(tot.PassRate, 3.0/4) || tot.MeanScore == nil ||
		!near(*tot.MeanScore, 80) || !near(tot.Hours, 4+12+3) || tot.MeanRating == nil || !near(*tot.MeanRating, 4) || tot.Ratings != 3 {
		t.Errorf("totals %+v", tot)
	}
	if got.Period != nil {
		t.Errorf("no period asked, got %+v", got.Period)
	}

	// By program, by title: the certificate, the course, Scheduling 101 (no enrollments).
	wantPrograms := []struct {
		title string
		enrollStats
	}{
		{"Conflict resolution certificate", enrollStats{enrolled: 3, inProgress: 1, completed: 1, passed: 1, failed: 1,
			completion: 1.0 / 3, pass: 0.5, score: 80, rating: 4, ratings: 1, hours: 12}},
		{"De-escalation basics", enrollStats{enrolled: 3, completed: 2, passed: 2, withdrawn: 1,
			completion: 1, pass: 1, score: -1, rating: 4, ratings: 2, hours: 4 + 3}},
		{"Scheduling 101", enrollStats{score: -1, rating: -1}},
	}
	if len(got.Programs) != len(wantPrograms) {
		t.Fatalf("programs %+v", got.Programs)
	}
	for i, want := range wantPrograms {
		p := got.Programs[i]
		if p.Title != want.title || !statsOf(p.ProgramStats).equal(want.enrollStats) {
			t.Errorf("program %d: %s %+v, want %s %+v", i, p.Title, statsOf(p.ProgramStats), want.title, want.enrollStats)
		}
	}
	if got.Programs[0].ProgramID != w.cert.ID || got.Programs[0].Kind != learning.KindCertification {
		t.Errorf("certificate: %+v", got.Programs[0])
	}

	// By team: each top-level team by name, then its sub-teams; a team counts its sub-teams' people.
	wantTeams := []struct {
		name          string
		depth, people int
		enrollStats
	}{
		{"Sales", 0, 1, enrollStats{enrolled: 1, completed: 1, passed: 1, completion: 1, pass: 1, score: -1, rating: 3, ratings: 1, hours: 4}},
		{"Support", 0, 4, enrollStats{enrolled: 5, inProgress: 1, completed: 2, passed: 2, failed: 1, withdrawn: 1,
			completion: 0.5, pass: 2.0 / 3, score: 80, rating: 4.5, ratings: 2, hours: 15}},
		{"Tier 2", 1, 1, enrollStats{enrolled: 1, inProgress: 1, score: -1, rating: -1}},
	}
	if len(got.Teams) != len(wantTeams) {
		t.Fatalf("teams %+v", got.Teams)
	}
	for i, want := range wantTeams {
		g := got.Teams[i]
		if g.Name != want.name || g.Depth != want.depth || g.People != want.people || !statsOf(g.ProgramStats).equal(want.enrollStats) {
			t.Errorf("team %d: %s depth %d people %d %+v, want %+v", i, g.Name, g.Depth, g.People, statsOf(g.ProgramStats), want)
		}
	}
	if got.Teams[2].ParentID != w.team.ID || got.Teams[2].TeamID != w.tier2.ID {
		t.Errorf("Tier 2 sits under Support: %+v", got.Teams[2])
	}

	// The quarter: the owner's December completion is out; the rest completed, or began, inside it.
	q, err := w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{PeriodID: w.period.ID})
	if err != nil {
		t.Fatal(err)
	}
	if q.Period == nil || *q.Period != (app.AnalyticsPeriod{ID: w.period.ID, Name: "2027-Q1", From: "2027-01-01", To: "2027-03-31"}) {
		t.Errorf("period %+v", q.Period)
	}
	if qt := q.Totals; qt.Enrollments != 5 || qt.Completed != 2 || qt.Passed != 2 || !near(qt.CompletionRate, 0.5) ||
		!near(qt.Hours, 15) || qt.MeanRating == nil || !near(*qt.MeanRating, 4.5) {
		t.Errorf("quarter's totals %+v", qt)
	}
	if q.Teams[0].Name != "Sales" || q.Teams[0].Enrolled != 0 || q.Teams[0].People != 1 {
		t.Errorf("Sales learned nothing this quarter: %+v", q.Teams[0])
	}

	// One team: its people's enrollments, the team and its sub-teams.
	tier, err := w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{TeamID: w.tier2.ID})
	if err != nil {
		t.Fatal(err)
	}
	if tier.Totals.Enrollments != 1 || tier.Totals.InProgress != 1 || len(tier.Teams) != 1 || tier.Teams[0].TeamID != w.tier2.ID ||
		tier.Teams[0].Depth != 0 || tier.Programs[0].Enrolled != 1 || tier.Programs[1].Enrolled != 0 {
		t.Errorf("Tier 2: totals %+v, teams %+v, programs %+v", tier.Totals, tier.Teams, tier.Programs)
	}
	support, err := w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{TeamID: w.team.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(support.Teams) != 2 || support.Teams[0].Name != "Support" || support.Teams[1].Name != "Tier 2" || support.Totals.Enrollments != 5 {
		t.Errorf("Support: totals %+v, teams %+v", support.Totals, support.Teams)
	}

	// A team without people has learned nothing.
	empty, err := w.a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Legal"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{TeamID: empty.ID}); err != nil || got.Totals.Enrollments != 0 ||
		len(got.Teams) != 1 || got.Teams[0].People != 0 || got.Programs[0].Enrolled != 0 {
		t.Errorf("an empty team: %v, totals %+v, teams %+v", err, got.Totals, got.Teams)
	}

	// An archived program stays while it has enrollments in scope.
	archived := true
	if _, err := w.a.UpdateProgram(ctx, w.owner, w.sched.ID, &w.sched.Version, app.ProgramUpdate{Archived: &archived}); err != nil {
		t.Fatal(err)
	}
	if got, err := w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{}); err != nil || len(got.Programs) != 2 {
		t.Errorf("an archived program without enrollments is left out: %v, %d programs", err, len(got.Programs))
	}

	_, err = w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{PeriodID: "nope", TeamID: "none"})
	wantField(t, err, "period_id", "no period nope")
	wantField(t, err, "team_id", "no team none")
	if _, err := w.a.LearningAnalytics(ctx, w.viola, app.AnalyticsQuery{}); err != nil {
		t.Errorf("a viewer reads the aggregates: %v", err)
	}
}

func TestLearningAnalyticsCoverage(t *testing.T) {
	ctx := context.Background()
	w := newAnalyticsWorld(t)

	// Across the quarter: nobody on 1 January; on 31 January Carl (manager, 3)
	// fills one of Support's two seats and Dana (self, 2) Tier 2's one; from
	// 15 February Bob's certificate fills Support's second.
	q, err := w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{PeriodID: w.period.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := []learning.CoveragePoint{
		{Date: "2027-01-01", Met: 0, Seats: 3, Share: 0},
		{Date: "2027-01-31", Met: 2, Seats: 3, Share: 2.0 / 3},
		{Date: "2027-02-28", Met: 3, Seats: 3, Share: 1},
		{Date: "2027-03-31", Met: 3, Seats: 3, Share: 1},
	}
	if len(q.Coverage) != len(want) {
		t.Fatalf("coverage %+v", q.Coverage)
	}
	for i := range want {
		g := q.Coverage[i]
		if g.Date != want[i].Date || g.Met != want[i].Met || g.Seats != want[i].Seats || !near(g.Share, want[i].Share) {
			t.Errorf("coverage %d: %+v, want %+v", i, g, want[i])
		}
	}

	// Without a period: the end of each of the last 12 months, then today.
	all, err := w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Coverage) != 13 || all.Coverage[0].Date != "2026-04-30" || all.Coverage[9].Date != "2027-01-31" ||
		all.Coverage[10].Date != "2027-02-28" || all.Coverage[12].Date != "2027-04-10" {
		t.Fatalf("coverage dates %+v", all.Coverage)
	}
	if c := all.Coverage[9]; c.Met != 2 || c.Seats != 3 {
		t.Errorf("on 31 January: %+v", c)
	}
	if c := all.Coverage[0]; c.Met != 0 || c.Seats != 3 || c.Share != 0 {
		t.Errorf("a year ago: %+v", c)
	}

	// Tier 2 alone: its one seat, filled by Dana from 20 January.
	tier, err := w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{PeriodID: w.period.ID, TeamID: w.tier2.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(tier.Coverage) != 4 || tier.Coverage[0].Seats != 1 || tier.Coverage[0].Met != 0 || tier.Coverage[1].Met != 1 || !near(tier.Coverage[1].Share, 1) {
		t.Errorf("Tier 2's coverage %+v", tier.Coverage)
	}

	// A running period is measured up to today, not beyond.
	w.clock.set(t, "2027-02-20")
	mid, err := w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{PeriodID: w.period.ID})
	if err != nil {
		t.Fatal(err)
	}
	var dates []okr.Date
	for _, c := range mid.Coverage {
		dates = append(dates, c.Date)
	}
	if len(dates) != 3 || dates[0] != "2027-01-01" || dates[1] != "2027-01-31" || dates[2] != "2027-02-20" {
		t.Errorf("coverage dates of a running quarter %q", dates)
	}
}

func TestLearningAnalyticsEffectiveness(t *testing.T) {
	ctx := context.Background()
	w := newAnalyticsWorld(t)

	// The owner sees every key result. The certificate serves all three:
	// Support's (Bob passed: with), Sales' (the owner passed only the course)
	// and Carl's (he failed): without. The course serves Carl's only.
	got, err := w.a.LearningAnalytics(ctx, w.owner, app.AnalyticsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Effectiveness) != 2 {
		t.Fatalf("effectiveness %+v", got.Effectiveness)
	}
	cert, course := got.Effectiveness[0], got.Effectiveness[1]
	if cert.ProgramID != w.cert.ID || cert.Title != "Conflict resolution certificate" {
		t.Fatalf("first effect %+v", cert)
	}
	wantGroup(t, "certificate, with", cert.With, 1, 4, 0.8)
	wantGroup(t, "certificate, without", cert.Without, 2, 2, (0.2+0.5)/2)
	if course.ProgramID != w.course.ID {
		t.Fatalf("second effect %+v", course)
	}
	wantGroup(t, "course, with", course.With, 0, 0, -1)
	wantGroup(t, "course, without", course.Without, 1, 1, 0.5)

	// Bob cannot see Carl's private key result: it is left out, and with it the course.
	mine, err := w.a.LearningAnalytics(ctx, w.bob, app.AnalyticsQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.Effectiveness) != 1 || mine.Effectiveness[0].ProgramID != w.cert.ID {
		t.Fatalf("bob's effectiveness %+v", mine.Effectiveness)
	}
	wantGroup(t, "bob's certificate, without", mine.Effectiveness[0].Without, 1, 1, 0.2)

	// Tier 2: only the key results Dana's people carry (Support's).
	tier, err := w.a.LearningAnalytics(ctx, w.owner, app.AnalyticsQuery{TeamID: w.tier2.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(tier.Effectiveness) != 1 {
		t.Fatalf("Tier 2's effectiveness %+v", tier.Effectiveness)
	}
	wantGroup(t, "Tier 2, with", tier.Effectiveness[0].With, 1, 4, 0.8)
	wantGroup(t, "Tier 2, without", tier.Effectiveness[0].Without, 0, 0, -1)

	// Another period has none of these key results.
	next, err := w.a.CreatePeriod(ctx, w.owner, app.PeriodInput{Name: "2027-Q2", Kind: okr.PeriodQuarterly, StartDate: "2027-04-01", EndDate: "2027-06-30"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := w.a.LearningAnalytics(ctx, w.owner, app.AnalyticsQuery{PeriodID: next.ID}); err != nil || len(got.Effectiveness) != 0 {
		t.Errorf("Q2's effectiveness: %v, %+v", err, got.Effectiveness)
	}
}

// wantGroup checks an effect group's sizes and mean progress (-1: none).
func wantGroup(t *testing.T, name string, g learning.EffectGroup, keyResults, people int, mean float64) {
	t.Helper()
	if g.KeyResults != keyResults || g.People != people {
		t.Errorf("%s: %d key results, %d people; want %d, %d", name, g.KeyResults, g.People, keyResults, people)
	}
	switch {
	case mean < 0 && g.MeanProgress != nil:
		t.Errorf("%s: mean progress %v, want none", name, *g.MeanProgress)
	case mean >= 0 && (g.MeanProgress == nil || !near(*g.MeanProgress, mean)):
		t.Errorf("%s: mean progress %v, want %v", name, g.MeanProgress, mean)
	}
}
