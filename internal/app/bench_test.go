package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
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

// synthetic is a generated organization of 1,000 people (about 1,300
// objectives and 3,000 key results in its quarter), made once per benchmark
// before the timer starts, with its owner, its quarter's objectives and its
// numeric key results.
type synthetic struct {
	st         *store.Store
	a          *app.App
	owner      org.Actor
	gen        synth.Result
	objectives []string
	numeric    []string
}

func newSynthetic(b *testing.B) synthetic {
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
	w := synthetic{st: s, a: app.New(s, nil), gen: gen}
	tk, err := w.a.MintToken(ctx, gen.Slug, gen.OwnerEmail, "bench", []org.Scope{org.ScopeRead, org.ScopeWrite})
	if err != nil {
		b.Fatal(err)
	}
	w.owner = actorOf(b, w.a, tk.Secret)
	if err := s.Read(ctx, func(tx app.Tx) error {
		os, err := tx.ListObjectives(ctx, gen.OrgID, okr.ObjectiveFilter{PeriodID: gen.QuarterID})
		for _, o := range os {
			w.objectives = append(w.objectives, o.ID)
		}
		if err != nil {
			return err
		}
		krs, err := tx.ListKeyResults(ctx, gen.OrgID, okr.KeyResultFilter{PeriodID: gen.QuarterID})
		for _, k := range krs {
			if k.Kind == okr.Increase {
				w.numeric = append(w.numeric, k.ID)
			}
		}
		return err
	}); err != nil {
		b.Fatal(err)
	}
	return w
}

// BenchmarkAlignmentTree measures assembling the alignment tree of the
// synthetic organization's quarter.
func BenchmarkAlignmentTree(b *testing.B) {
	ctx := context.Background()
	w := newSynthetic(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := w.a.Alignment(ctx, w.owner, w.gen.QuarterID)
		if err != nil {
			b.Fatal(err)
		}
		if len(t.Nodes) < w.gen.KeyResults {
			b.Fatalf("%d nodes for %d key results", len(t.Nodes), w.gen.KeyResults)
		}
	}
}

// BenchmarkDashboard measures the quarter's dashboard of the synthetic
// organization (health, risks, expected against actual, and check-in
// discipline overall, per person and per team).
func BenchmarkDashboard(b *testing.B) {
	ctx := context.Background()
	w := newSynthetic(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := w.a.Dashboard(ctx, w.owner, app.DashboardQuery{PeriodID: w.gen.QuarterID})
		if err != nil {
			b.Fatal(err)
		}
		if len(d.TeamDiscipline) == 0 {
			b.Fatal("no team discipline")
		}
	}
}

// BenchmarkSyntheticObjective measures reading one objective of the
// synthetic organization, a different one each time: with
// BenchmarkGetObjective (a tiny organization) it shows whether a
// single-object read stays flat as the organization grows.
func BenchmarkSyntheticObjective(b *testing.B) {
	ctx := context.Background()
	w := newSynthetic(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.a.GetObjective(ctx, w.owner, w.objectives[i*7919%len(w.objectives)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConcurrentCheckIns measures check-ins on random key results of
// the synthetic organization from 4×GOMAXPROCS goroutines: the writes queue
// behind SQLite's one writer and share commits (group commit).
func BenchmarkConcurrentCheckIns(b *testing.B) {
	ctx := context.Background()
	w := newSynthetic(b)
	var next atomic.Int64
	b.SetParallelism(4)
	g0, w0 := w.st.GroupCommits()
	b.Cleanup(func() {
		if g, n := w.st.GroupCommits(); g > g0 {
			b.ReportMetric(float64(n-w0)/float64(g-g0), "writes/commit")
		}
	})
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1))
			v := float64(i % 50)
			if _, err := w.a.CheckIn(ctx, w.owner, w.numeric[i*7919%len(w.numeric)],
				app.CheckInInput{Value: &v, Confidence: 0.7, Status: okr.OnTrack}, ""); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
