package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// learningWorld adds to the world two more members, a team "Care" (lead
// ann; members bob, carl, dana), a skill, and a certification that teaches it.
type learningWorld struct {
	*world
	carl, dana org.Actor
	care       org.Team
	skill      learning.Skill
	cert       learning.Program
}

func newLearningWorld(t testing.TB) *learningWorld {
	t.Helper()
	ctx := context.Background()
	w := &learningWorld{world: newWorld(t)}
	member := func(email string) org.Actor {
		m, err := w.a.CreateUser(ctx, w.owner, app.UserInput{Email: email, Name: email, Role: org.RoleMember}, "")
		if err != nil {
			t.Fatal(err)
		}
		tk, err := w.a.CreateToken(ctx, w.owner, app.TokenInput{UserID: m.ID, Name: "test", Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite}}, "")
		if err != nil {
			t.Fatal(err)
		}
		return actorOf(t, w.a, tk.Secret)
	}
	w.carl, w.dana = member("carl@acme.test"), member("dana@acme.test")
	var err error
	w.care, err = w.a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Care", LeadIDs: []string{w.ann.UserID},
		MemberIDs: []string{w.bob.UserID, w.carl.UserID, w.dana.UserID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	w.skill, err = w.a.CreateSkill(ctx, w.owner, app.SkillInput{Name: "Conflict resolution", Category: "Customer care"}, "")
	if err != nil {
		t.Fatal(err)
	}
	w.cert, err = w.a.CreateProgram(ctx, w.owner, app.ProgramInput{Title: "Conflict resolution certificate", Kind: learning.KindCertification,
		ExternalID: "https://lms.test/courses/conflict", PassMark: ptr(80.0), Hours: ptr(12.0),
		Skills: []learning.TaughtSkill{{SkillID: w.skill.ID, Level: 3}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// complete enrolls a person and has the owner record the completion's score.
func (w *learningWorld) complete(t *testing.T, who org.Actor, score float64) learning.Enrollment {
	t.Helper()
	ctx := context.Background()
	e, err := w.a.Enroll(ctx, w.owner, app.EnrollmentInput{UserID: who.UserID, ProgramID: w.cert.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	done := learning.Completed
	e, err = w.a.UpdateEnrollment(ctx, w.owner, e.ID, &e.Version, app.EnrollmentUpdate{Status: &done, Score: &score})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func learningCheckIns(t *testing.T, w *learningWorld, krID string) []okr.CheckIn {
	t.Helper()
	page, err := w.a.ListCheckIns(context.Background(), w.owner, krID, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []okr.CheckIn
	for _, c := range page.Items {
		if c.Source == okr.SourceLearning {
			out = append(out, c)
		}
	}
	return out
}

func TestLearningKeyResultMovesByItself(t *testing.T) {
	ctx := context.Background()
	w := newLearningWorld(t)
	if _, err := w.a.ActivatePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	obj, err := w.a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Calm every escalation",
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.care.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	measure := fmt.Sprintf(`{"type":"at_level_share","skill_id":%q,"level":3,"population":{"type":"team","id":%q}}`, w.skill.ID, w.care.ID)
	kr, err := w.a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: obj.ID, Title: "Share of Care certified in conflict resolution",
		Kind: okr.Increase, Unit: okr.UnitPercent, Baseline: ptr(0.0), Target: ptr(100.0), Source: okr.SourceLearning,
		Measure: json.RawMessage(measure)}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := learningCheckIns(t, w, kr.ID); len(got) != 1 || got[0].Value != 0 {
		t.Fatalf("creating a learning key result records its first value as a learning check-in; got %+v", got)
	}
	if _, err := w.a.CreateRequirement(ctx, w.ann, app.RequirementInput{Subject: learning.Subject{Type: learning.SubjectTeam, ID: w.care.ID},
		SkillID: w.skill.ID, Level: 3, Headcount: ptr(3)}, ""); err != nil {
		t.Fatal(err)
	}

	// Bob passes: one of four people (ann, bob, carl, dana) is at level 3.
	e := w.complete(t, w.bob, 90)
	if e.Status != learning.Completed || e.Passed == nil || !*e.Passed {
		t.Fatalf("score 90 over a pass mark of 80 passes; got %+v", e)
	}
	skills, err := w.a.UserSkills(ctx, w.owner, w.bob.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if len(skills) != 1 || skills[0].EffectiveLevel != 3 || skills[0].Basis.Source != learning.SourceCertification || skills[0].Basis.EnrollmentID != e.ID {
		t.Fatalf("a passed certification asserts the taught level with source certification; got %+v", skills)
	}
	kr, err = w.a.GetKeyResult(ctx, w.owner, kr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if kr.Current != 25 || math.Abs(kr.Progress-0.25) > 1e-9 {
		t.Fatalf("key result: got value %v progress %v, want 25 and 0.25", kr.Current, kr.Progress)
	}
	obj, err = w.a.GetObjective(ctx, w.owner, obj.ID)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(obj.Progress-0.25) > 1e-9 {
		t.Fatalf("objective progress rolls up: got %v, want 0.25", obj.Progress)
	}
	cs := learningCheckIns(t, w, kr.ID)
	if len(cs) != 2 || cs[0].Value != 25 || cs[0].PreviousValue != 0 || cs[0].AuthorID != w.owner.UserID {
		t.Fatalf("the change is a learning check-in by the person who recorded the completion; got %+v", cs)
	}

	// Carl fails (70 < 80): nothing moves, no check-in.
	if e := w.complete(t, w.carl, 70); e.Status != learning.Failed || *e.Passed {
		t.Fatalf("score 70 under a pass mark of 80 fails; got %+v", e)
	}
	if got := learningCheckIns(t, w, kr.ID); len(got) != 2 {
		t.Fatalf("a failed completion changes nothing; got %d learning check-ins", len(got))
	}

	gaps, err := w.a.Gaps(ctx, w.bob, app.GapQuery{Scope: "team:" + w.care.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps.Items) != 1 {
		t.Fatalf("one requirement, one gap; got %+v", gaps.Items)
	}
	g := gaps.Items[0]
	// ann, carl, dana at 0 against level 3; bob at 3.
	if g.Supply != 1 || g.Shortfall != 2 || g.Below != 3 || g.MeanDeficit != 3 || g.Burden != 9 {
		t.Fatalf("gap: got supply %d shortfall %d below %d mean deficit %v burden %v", g.Supply, g.Shortfall, g.Below, g.MeanDeficit, g.Burden)
	}
	if len(g.SuggestedProgramIDs) != 1 || g.SuggestedProgramIDs[0] != w.cert.ID {
		t.Fatalf("the certification teaches the skill to level 3: got suggestions %v", g.SuggestedProgramIDs)
	}

	// Dana leaves the team: one of three.
	care, err := w.a.GetTeam(ctx, w.owner, w.care.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.UpdateTeam(ctx, w.owner, care.ID, &care.Version, app.TeamUpdate{MemberIDs: &[]string{w.bob.UserID, w.carl.UserID}}); err != nil {
		t.Fatal(err)
	}
	kr, err = w.a.GetKeyResult(ctx, w.owner, kr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(kr.Current-100.0/3) > 1e-9 {
		t.Fatalf("after dana leaves, 1 of 3: got %v", kr.Current)
	}

	// A person cannot check in a value on it: it comes from learning records.
	_, err = w.a.CheckIn(ctx, w.owner, kr.ID, app.CheckInInput{Value: ptr(90.0), Confidence: 0.8, Status: okr.OnTrack}, "")
	wantKind(t, err, errs.Invalid)
	if _, err := w.a.CheckIn(ctx, w.owner, kr.ID, app.CheckInInput{Confidence: 0.8, Status: okr.OnTrack, Note: "On our way"}, ""); err != nil {
		t.Fatalf("confidence and status alone are fine: %v", err)
	}
}

func TestLearningMeasureValidation(t *testing.T) {
	ctx := context.Background()
	w := newLearningWorld(t)
	obj, err := w.a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Grow our people",
		Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, measure, field string
	}{
		{"no measure", ``, "measure"},
		{"no skill", `{"type":"at_level_share","level":3,"population":{"type":"team","id":"` + w.care.ID + `"}}`, "measure.skill_id"},
		{"unknown program", `{"type":"completion_rate","program_id":"nope","population":{"type":"team","id":"` + w.care.ID + `"}}`, "measure.program_id"},
		{"unknown team", `{"type":"learning_hours","population":{"type":"team","id":"nope"}}`, "measure.population.id"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: obj.ID, Title: "Learning", Kind: okr.Increase,
				Baseline: ptr(0.0), Target: ptr(10.0), Source: okr.SourceLearning, Measure: json.RawMessage(c.measure)}, "")
			var e *errs.Error
			if !asErr(err, &e) || e.Kind != errs.Invalid {
				t.Fatalf("want invalid, got %v", err)
			}
			found := false
			for _, f := range e.Fields {
				found = found || f.Field == c.field
			}
			if !found {
				t.Fatalf("want a message on %s, got %+v", c.field, e.Fields)
			}
		})
	}
}

func TestWhoMayAssessAndRequire(t *testing.T) {
	ctx := context.Background()
	w := newLearningWorld(t)
	assess := func(by org.Actor, user string, src learning.Source) error {
		_, err := w.a.CreateAssessment(ctx, by, app.AssessmentInput{UserID: user, SkillID: w.skill.ID, Level: 2, Source: src}, "")
		return err
	}
	if err := assess(w.bob, w.bob.UserID, learning.SourceSelf); err != nil {
		t.Fatalf("self-assessment: %v", err)
	}
	wantKind(t, assess(w.bob, w.carl.UserID, learning.SourceSelf), errs.Forbidden)
	wantKind(t, assess(w.bob, w.carl.UserID, learning.SourceManager), errs.Forbidden)
	if err := assess(w.ann, w.carl.UserID, learning.SourceManager); err != nil {
		t.Fatalf("ann leads carl's team: %v", err)
	}
	if err := assess(w.bob, w.carl.UserID, learning.SourcePeer); err != nil {
		t.Fatalf("peer: %v", err)
	}
	wantKind(t, assess(w.bob, w.bob.UserID, learning.SourceCertification), errs.Forbidden)
	wantKind(t, assess(w.owner, w.bob.UserID, learning.SourceLearning), errs.Invalid)
	wantKind(t, assess(w.viola, w.viola.UserID, learning.SourceSelf), errs.Forbidden)
	_, err := w.a.CreateAssessment(ctx, w.bob, app.AssessmentInput{UserID: w.bob.UserID, SkillID: w.skill.ID, Level: 6, Source: learning.SourceSelf}, "")
	wantKind(t, err, errs.Invalid)

	// Effective level: the manager's 2 outranks bob's own 2 and carl's peer 2 outranks nothing else.
	skills, err := w.a.UserSkills(ctx, w.bob, w.carl.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if len(skills) != 1 || skills[0].EffectiveLevel != 2 || skills[0].Basis.Source != learning.SourceManager || len(skills[0].Assessments) != 2 {
		t.Fatalf("carl's skills: %+v", skills)
	}

	req := func(by org.Actor) error {
		_, err := w.a.CreateRequirement(ctx, by, app.RequirementInput{Subject: learning.Subject{Type: learning.SubjectTeam, ID: w.care.ID},
			SkillID: w.skill.ID, Level: 3}, "")
		return err
	}
	wantKind(t, req(w.bob), errs.Forbidden)
	if err := req(w.ann); err != nil {
		t.Fatalf("the team's lead sets its requirements: %v", err)
	}
	wantKind(t, req(w.owner), errs.Conflict)
	_, err = w.a.CreateRequirement(ctx, w.owner, app.RequirementInput{Subject: learning.Subject{Type: learning.SubjectTeam, ID: "nope"},
		SkillID: w.skill.ID, Level: 3}, "")
	wantKind(t, err, errs.Invalid)
}

func TestLearnerReportsOwnLearning(t *testing.T) {
	ctx := context.Background()
	w := newLearningWorld(t)
	course, err := w.a.CreateProgram(ctx, w.owner, app.ProgramInput{Title: "De-escalation basics", Kind: learning.KindELearning,
		Skills: []learning.TaughtSkill{{SkillID: w.skill.ID, Level: 2}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Bob enrolls himself in both; cannot enroll carl (not his lead).
	_, err = w.a.Enroll(ctx, w.bob, app.EnrollmentInput{UserID: w.carl.UserID, ProgramID: course.ID}, "")
	wantKind(t, err, errs.Forbidden)
	ec, err := w.a.Enroll(ctx, w.bob, app.EnrollmentInput{UserID: w.bob.UserID, ProgramID: w.cert.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.a.Enroll(ctx, w.bob, app.EnrollmentInput{UserID: w.bob.UserID, ProgramID: w.cert.ID}, "")
	wantKind(t, err, errs.Conflict)
	done := learning.Completed
	_, err = w.a.UpdateEnrollment(ctx, w.bob, ec.ID, &ec.Version, app.EnrollmentUpdate{Status: &done})
	wantKind(t, err, errs.Forbidden) // a certification is not self-certified

	e, err := w.a.Enroll(ctx, w.bob, app.EnrollmentInput{UserID: w.bob.UserID, ProgramID: course.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	e, err = w.a.UpdateEnrollment(ctx, w.bob, e.ID, &e.Version, app.EnrollmentUpdate{Status: &done, Hours: ptr(3.5),
		Feedback: &learning.LearnerFeedback{Rating: 4, Text: "Useful role plays"}})
	if err != nil {
		t.Fatal(err)
	}
	if !e.PassedCompletion() || e.Progress != 1 || e.Completed == nil || e.Feedback.Rating != 4 {
		t.Fatalf("a course without a pass mark passes on completion: %+v", e)
	}
	skills, err := w.a.UserSkills(ctx, w.bob, w.bob.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if len(skills) != 1 || skills[0].EffectiveLevel != 2 || skills[0].Basis.Source != learning.SourceLearning {
		t.Fatalf("a passed course asserts its level with source learning: %+v", skills)
	}
	// Completing again asserts nothing more.
	e, err = w.a.UpdateEnrollment(ctx, w.bob, e.ID, &e.Version, app.EnrollmentUpdate{Hours: ptr(4.0)})
	if err != nil {
		t.Fatal(err)
	}
	if skills, _ := w.a.UserSkills(ctx, w.bob, w.bob.UserID); len(skills[0].Assessments) != 1 {
		t.Fatalf("one passed completion, one assertion: %+v", skills[0].Assessments)
	}
	// Ann (lead) may not write bob's feedback.
	_, err = w.a.UpdateEnrollment(ctx, w.ann, e.ID, &e.Version, app.EnrollmentUpdate{Feedback: &learning.LearnerFeedback{Rating: 1}})
	wantKind(t, err, errs.Invalid)
}

func TestAssignToTeamSkipsTheEnrolled(t *testing.T) {
	ctx := context.Background()
	w := newLearningWorld(t)
	w.complete(t, w.bob, 95)
	in := app.TeamAssignmentInput{TeamID: w.care.ID, ProgramID: w.cert.ID, DueDate: "2027-02-28"}
	res, err := w.a.AssignToTeam(ctx, w.ann, in, "assign-care")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Enrollments) != 3 || len(res.Skipped) != 1 || res.Skipped[0] != w.bob.UserID {
		t.Fatalf("ann, carl and dana enrolled, bob (passed) skipped: %+v", res)
	}
	again, err := w.a.AssignToTeam(ctx, w.ann, in, "assign-care")
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Enrollments) != 3 || again.Enrollments[0].ID != res.Enrollments[0].ID || len(again.Skipped) != 1 {
		t.Fatalf("a retry with the same Idempotency-Key answers the first result: %+v", again)
	}
	_, err = w.a.AssignToTeam(ctx, w.bob, app.TeamAssignmentInput{TeamID: w.care.ID, ProgramID: w.cert.ID}, "")
	wantKind(t, err, errs.Forbidden)
}

func TestImportSkillsTwiceNeverDuplicates(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	skills := []learning.ImportedSkill{
		{Name: "manage conflict", Description: "Resolve disputes.", Category: "skill", Framework: learning.FrameworkESCO, URI: "http://data.europa.eu/esco/skill/1"},
		{Name: "use scheduling software", Category: "skill", Framework: learning.FrameworkESCO, URI: "http://data.europa.eu/esco/skill/2"},
	}
	dry, err := w.a.ImportSkills(ctx, w.owner, learning.FrameworkESCO, skills, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if dry.Created != 2 || len(dry.Changes) != 2 {
		t.Fatalf("dry run reports two creations: %+v", dry)
	}
	if all, _ := w.a.AllSkills(ctx, w.owner); len(all) != 0 {
		t.Fatalf("a dry run writes nothing; got %d skills", len(all))
	}
	if res, err := w.a.ImportSkills(ctx, w.owner, learning.FrameworkESCO, skills, "", false); err != nil || res.Created != 2 {
		t.Fatalf("import: %+v %v", res, err)
	}
	skills[1].Name = "use scheduling tools"
	res, err := w.a.ImportSkills(ctx, w.owner, learning.FrameworkESCO, skills, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Updated != 1 || res.Unchanged != 1 || res.Changes[0].Was != "use scheduling software" {
		t.Fatalf("re-import updates by URI: %+v", res)
	}
	all, _ := w.a.AllSkills(ctx, w.owner)
	if len(all) != 2 {
		t.Fatalf("re-import never duplicates: %d skills", len(all))
	}
	_, err = w.a.ImportSkills(ctx, w.ann, learning.FrameworkESCO, skills, "", false)
	wantKind(t, err, errs.Forbidden)
}
