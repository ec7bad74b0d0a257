package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/bench/synth"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

// BenchmarkCheckIn measures the whole check-in use case on SQLite: the
// check-in, the key result, the forecast, the roll-up through three levels of
// objectives, the audit event and the outbox, in one transaction.
func BenchmarkCheckIn(b *testing.B) {
	ctx := context.Background()
	w := newWorld(b)
	a := w.a
	parent := ""
	var krID string
	for level := 0; level < 3; level++ {
		in := app.ObjectiveInput{PeriodID: w.period.ID, Title: fmt.Sprintf("Level %c objective", 'A'+level), Owner: app.OwnerInput{Type: okr.OwnerOrg}}
		if parent != "" {
			in.Alignments = []app.AlignmentInput{{ParentType: okr.ParentObjective, ParentID: parent}}
		}
		o, err := a.CreateObjective(ctx, w.owner, in, "")
		if err != nil {
			b.Fatal(err)
		}
		parent = o.ID
		for i := 0; i < 3; i++ {
			k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "Grow", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(1e9)}, "")
			if err != nil {
				b.Fatal(err)
			}
			krID = k.ID
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := float64(i)
		if _, err := a.CheckIn(ctx, w.owner, krID, app.CheckInInput{Value: &v, Confidence: 0.8, Status: okr.OnTrack}, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetObjective measures reading one objective with its health.
func BenchmarkGetObjective(b *testing.B) {
	ctx := context.Background()
	w := newWorld(b)
	o, err := w.a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Read often", Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if _, err := w.a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "Grow", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)}, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.a.GetObjective(ctx, w.owner, o.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnrollmentUpdate measures reporting progress on an enrollment:
// the enrollment, its audit event and the recomputation of every learning key
// result of the organization, in one transaction.
func BenchmarkEnrollmentUpdate(b *testing.B) {
	ctx := context.Background()
	w := newLearningWorld(b)
	obj, err := w.a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Calm every escalation",
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.care.ID}}, "")
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []string{
		fmt.Sprintf(`{"type":"completion_rate","program_id":%q,"population":{"type":"team","id":%q}}`, w.cert.ID, w.care.ID),
		fmt.Sprintf(`{"type":"at_level_share","skill_id":%q,"level":3,"population":{"type":"team","id":%q}}`, w.skill.ID, w.care.ID),
	} {
		if _, err := w.a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: obj.ID, Title: "Certified", Kind: okr.Increase,
			Baseline: ptr(0.0), Target: ptr(100.0), Source: okr.SourceLearning, Measure: json.RawMessage(m)}, ""); err != nil {
			b.Fatal(err)
		}
	}
	e, err := w.a.Enroll(ctx, w.owner, app.EnrollmentInput{UserID: w.bob.UserID, ProgramID: w.cert.ID}, "")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := float64(i%100) / 100
		if e, err = w.a.UpdateEnrollment(ctx, w.owner, e.ID, &e.Version, app.EnrollmentUpdate{Progress: &p}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTeamGaps measures the gap analysis of a team of 40 people with
// five requirements and three assessments each.
func BenchmarkTeamGaps(b *testing.B) {
	ctx := context.Background()
	w := newLearningWorld(b)
	var ids []string
	for i := 0; i < 40; i++ {
		m, err := w.a.CreateUser(ctx, w.owner, app.UserInput{Email: fmt.Sprintf("p%d@acme.test", i), Name: fmt.Sprintf("P%d", i), Role: org.RoleMember}, "")
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	team, err := w.a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Big", MemberIDs: ids}, "")
	if err != nil {
		b.Fatal(err)
	}
	for s := 0; s < 5; s++ {
		sk, err := w.a.CreateSkill(ctx, w.owner, app.SkillInput{Name: fmt.Sprintf("Skill %d", s)}, "")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.a.CreateRequirement(ctx, w.owner, app.RequirementInput{Subject: learning.Subject{Type: learning.SubjectTeam, ID: team.ID},
			SkillID: sk.ID, Level: 3, Headcount: ptr(20)}, ""); err != nil {
			b.Fatal(err)
		}
		for i, id := range ids {
			if i%3 == s%3 {
				if _, err := w.a.CreateAssessment(ctx, w.owner, app.AssessmentInput{UserID: id, SkillID: sk.ID, Level: 1 + i%5, Source: learning.SourceManager}, ""); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := w.a.Gaps(ctx, w.owner, app.GapQuery{Scope: "team:" + team.ID})
		if err != nil || len(rep.Items) != 5 {
			b.Fatalf("%v %d", err, len(rep.Items))
		}
	}
}

// BenchmarkAlignmentTree measures assembling the alignment tree of a quarter
// of a synthetic organization of 1,000 people (about 1,300 objectives and
// 3,000 key results), generated once before the timer starts.
func BenchmarkAlignmentTree(b *testing.B) {
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	gen, err := synth.Generate(ctx, s, synth.Config{People: 1000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	a := app.New(s, nil)
	tk, err := a.MintToken(ctx, gen.Slug, gen.OwnerEmail, "bench", []org.Scope{org.ScopeRead})
	if err != nil {
		b.Fatal(err)
	}
	owner := actorOf(b, a, tk.Secret)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := a.Alignment(ctx, owner, gen.QuarterID)
		if err != nil {
			b.Fatal(err)
		}
		if len(t.Nodes) < gen.KeyResults {
			b.Fatalf("%d nodes for %d key results", len(t.Nodes), gen.KeyResults)
		}
	}
}
