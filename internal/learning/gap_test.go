package learning_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/okrahq/okra/internal/learning"
)

func req(id, skill string, level, headcount int) learning.Requirement {
	return learning.Requirement{ID: id, Subject: learning.Subject{Type: learning.SubjectTeam, ID: "team"},
		SkillID: skill, Level: level, Headcount: headcount, Essential: true}
}

func program(id, title string, archived bool, skills ...learning.TaughtSkill) learning.Program {
	return learning.Program{ID: id, Title: title, Kind: learning.KindCourse, Archived: archived, Skills: skills}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestHandWorkedTeam measures a team of five against three requirements, from
// assertions of mixed sources and ages, and compares with the numbers worked
// out by hand below. Today is 2027-06-30 and the window 365 days, so it starts
// on 2026-06-30.
//
// Effective levels (the deciding assertion in brackets):
//
//	       go                          sql                              k8s
//	ana    4 (manager beats newer self) 2 (certification 3, outside)     0 (none)
//	ben    2 (peer beats newer self)    4 (assessment beats newer mgr)   3 (learning = xapi, same day, created later)
//	cai    5 (certification, 1st day)   2 (latest self 3, all outside)   1 (badge beats newer self 4)
//	dee    0 (none)                     3 (manager)                      0 (manager 1, outside)
//	eli    3 (cert = assessment, later) 1 (self)                         3 (peer)
//
// Requirements and gaps:
//
//	skill  level  headcount  supply      shortfall  below          deficits  mean deficit  burden
//	go     4      2          2 ana cai   0          3 ben dee eli  2+4+1=7   7/3 = 2.333   7
//	sql    3      3          2 ben dee   1          3 ana cai eli  1+1+2=4   4/3 = 1.333   4
//	k8s    2      4          2 ben eli   2          3 ana cai dee  2+1+2=5   5/3 = 1.667   5
//
// Ranked by burden: go, k8s, sql. zed, outside the team, is certified 5 in go.
// Mentors need max(required, 3): go (4): cai 5, zed 5, ana 4; sql (3): ben 4,
// dee 3; k8s (3, not 2): ben 3, eli 3, and never cai (1).
func TestHandWorkedTeam(t *testing.T) {
	a := assertion
	as := []learning.Assessment{
		a("a1", "ana", "go", 5, learning.SourceSelf, "2027-05-01", 0),
		a("a2", "ana", "go", 4, learning.SourceManager, "2027-01-10", 0),
		a("a3", "ana", "sql", 3, learning.SourceCertification, "2025-11-01", 0),
		a("b1", "ben", "go", 3, learning.SourceSelf, "2027-06-01", 0),
		a("b2", "ben", "go", 2, learning.SourcePeer, "2027-02-01", 0),
		a("b3", "ben", "sql", 4, learning.SourceAssessment, "2026-07-01", 0),
		a("b4", "ben", "sql", 2, learning.SourceManager, "2027-06-01", 0),
		a("b5", "ben", "k8s", 2, learning.SourceXAPI, "2027-04-01", 1),
		a("b6", "ben", "k8s", 3, learning.SourceLearning, "2027-04-01", 2),
		a("c1", "cai", "go", 5, learning.SourceCertification, "2026-06-30", 0),
		a("c2", "cai", "sql", 3, learning.SourceSelf, "2026-06-29", 0),
		a("c3", "cai", "sql", 1, learning.SourcePeer, "2025-01-01", 0),
		a("c4", "cai", "k8s", 1, learning.SourceBadge, "2027-03-01", 0),
		a("c5", "cai", "k8s", 4, learning.SourceSelf, "2027-06-01", 0),
		a("d1", "dee", "sql", 3, learning.SourceManager, "2027-02-02", 0),
		a("d2", "dee", "k8s", 1, learning.SourceManager, "2026-01-01", 0),
		a("e1", "eli", "go", 4, learning.SourceAssessment, "2027-01-01", 0),
		a("e2", "eli", "go", 3, learning.SourceCertification, "2027-05-05", 0),
		a("e3", "eli", "sql", 1, learning.SourceSelf, "2027-06-29", 0),
		a("e4", "eli", "k8s", 3, learning.SourcePeer, "2027-06-01", 0),
		a("z1", "zed", "go", 5, learning.SourceCertification, "2027-01-01", 0),
	}
	levels := learning.EffectiveLevels(as, "2027-06-30", 365, nil)
	wantLevels := map[string][3]int{ // go, sql, k8s
		"ana": {4, 2, 0}, "ben": {2, 4, 3}, "cai": {5, 2, 1}, "dee": {0, 3, 0}, "eli": {3, 1, 3},
	}
	for u, w := range wantLevels {
		for i, s := range []string{"go", "sql", "k8s"} {
			if got := levels.Of(u, s); got != w[i] {
				t.Errorf("%s's level in %s = %d, want %d", u, s, got, w[i])
			}
		}
	}

	team := []string{"ana", "ben", "cai", "dee", "eli"}
	scoped := []learning.ScopedRequirement{
		{Requirement: req("r-sql", "sql", 3, 3), People: team},
		{Requirement: req("r-go", "go", 4, 2), People: team},
		{Requirement: req("r-k8s", "k8s", 2, 4), People: team},
	}
	programs := []learning.Program{
		program("p-go-adv", "Advanced Go", false, learning.TaughtSkill{SkillID: "go", Level: 5}),
		program("p-go-int", "Go in practice", false, learning.TaughtSkill{SkillID: "go", Level: 4}),
		program("p-go-old", "Go, the old course", true, learning.TaughtSkill{SkillID: "go", Level: 4}),
		program("p-sql-1", "SQL basics", false, learning.TaughtSkill{SkillID: "sql", Level: 2}),
		program("p-sql-2", "SQL for analysts", false, learning.TaughtSkill{SkillID: "sql", Level: 3}),
		program("p-k8s", "Kubernetes", false, learning.TaughtSkill{SkillID: "k8s", Level: 3}),
		program("p-cont", "Containers", false, learning.TaughtSkill{SkillID: "k8s", Level: 3},
			learning.TaughtSkill{SkillID: "go", Level: 1}),
	}
	gaps := learning.Analyze(scoped, levels, programs, append(team, "zed"))

	type row struct {
		req                       string
		supply, shortfall, below  int
		meanDeficit, burden       float64
		people, programs, mentors string
	}
	want := []row{
		{"r-go", 2, 0, 3, 7.0 / 3, 7, "[dee:0 ben:2 eli:3 ana:4 cai:5]", "[p-go-int p-go-adv]", "[cai zed ana]"},
		{"r-k8s", 2, 2, 3, 5.0 / 3, 5, "[ana:0 dee:0 cai:1 ben:3 eli:3]", "[p-cont p-k8s]", "[ben eli]"},
		{"r-sql", 2, 1, 3, 4.0 / 3, 4, "[eli:1 ana:2 cai:2 dee:3 ben:4]", "[p-sql-2]", "[ben dee]"},
	}
	if len(gaps) != len(want) {
		t.Fatalf("%d gaps, want %d", len(gaps), len(want))
	}
	for i, w := range want {
		g := gaps[i]
		got := row{g.Requirement.ID, g.Supply, g.Shortfall, g.Below, g.MeanDeficit, g.Burden,
			people(g.People), fmt.Sprint(g.SuggestedProgramIDs), fmt.Sprint(g.SuggestedMentorIDs)}
		if got.req != w.req || got.supply != w.supply || got.shortfall != w.shortfall || got.below != w.below ||
			!near(got.meanDeficit, w.meanDeficit) || got.burden != w.burden || got.people != w.people ||
			got.programs != w.programs || got.mentors != w.mentors {
			t.Errorf("gap %d:\n got %+v\nwant %+v", i, got, w)
		}
		for _, p := range g.People {
			if p.Required != g.Requirement.Level {
				t.Errorf("%s: %s required %d, want %d", g.Requirement.ID, p.UserID, p.Required, g.Requirement.Level)
			}
		}
	}

	// The heatmap of the team: skills in gap order; total gaps
	// dee 4+2+0=6, ana 0+2+1=3, eli 1+0+2=3, ben 2+0+0=2, cai 0+1+1=2.
	h := learning.BuildHeatmap(gaps)
	if fmt.Sprint(h.Skills) != "[go k8s sql]" || fmt.Sprint(h.People) != "[dee ana eli ben cai]" {
		t.Fatalf("heatmap skills %v people %v, want [go k8s sql] and [dee ana eli ben cai]", h.Skills, h.People)
	}
	wantCells := "[[{0 4 4} {0 2 2} {3 3 0}] [{4 4 0} {0 2 2} {2 3 1}] [{3 4 1} {3 2 0} {1 3 2}]" +
		" [{2 4 2} {3 2 0} {4 3 0}] [{5 4 0} {1 2 1} {2 3 1}]]"
	if got := fmt.Sprint(h.Cells); got != wantCells {
		t.Errorf("heatmap cells\n got %s\nwant %s", got, wantCells)
	}
}

// people formats a gap's people as [id:level ...].
func people(ps []learning.PersonLevel) string {
	var s []string
	for _, p := range ps {
		s = append(s, fmt.Sprintf("%s:%d", p.UserID, p.Level))
	}
	return fmt.Sprint(s)
}

func TestAnalyzeNumbers(t *testing.T) {
	levels := learning.Levels{
		"a": {"s": 1}, "b": {"s": 2}, "c": {"s": 3}, "d": {"s": 5},
	}
	tests := []struct {
		name                     string
		level, headcount         int
		people                   []string
		supply, shortfall, below int
		meanDeficit, burden      float64
	}{
		{"nobody in scope", 3, 2, nil, 0, 2, 0, 0, 0},
		{"everyone at or above", 1, 2, []string{"a", "b", "c", "d"}, 4, 0, 0, 0, 0},
		{"supply beyond headcount, no negative shortfall", 2, 1, []string{"b", "c", "d"}, 3, 0, 0, 0, 0},
		{"exactly at the level counts as supply", 3, 1, []string{"c"}, 1, 0, 0, 0, 0},
		{"one below", 3, 1, []string{"b", "c"}, 1, 0, 1, 1, 1},
		{"unknown person is level 0", 2, 1, []string{"nobody"}, 0, 1, 1, 2, 2},
		{"mean deficit over those below only", 4, 3, []string{"a", "b", "c", "d"}, 1, 2, 3, 2, 6},
		{"headcount 0", 5, 0, []string{"a", "d"}, 1, 0, 1, 4, 4},
		{"a person listed twice counts once", 3, 2, []string{"a", "a", "c"}, 1, 1, 1, 2, 2},
		{"uneven deficits", 5, 4, []string{"a", "b", "c"}, 0, 4, 3, 3, 9},
		{"fractional mean", 3, 2, []string{"a", "c", "b2"}, 1, 1, 2, 2.5, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gaps := learning.Analyze([]learning.ScopedRequirement{{Requirement: req("r", "s", tt.level, tt.headcount), People: tt.people}},
				levels, nil, nil)
			g := gaps[0]
			if g.Supply != tt.supply || g.Shortfall != tt.shortfall || g.Below != tt.below ||
				!near(g.MeanDeficit, tt.meanDeficit) || !near(g.Burden, tt.burden) {
				t.Errorf("supply %d shortfall %d below %d mean deficit %v burden %v; want %d %d %d %v %v",
					g.Supply, g.Shortfall, g.Below, g.MeanDeficit, g.Burden,
					tt.supply, tt.shortfall, tt.below, tt.meanDeficit, tt.burden)
			}
			if !near(g.Burden, float64(g.Below)*g.MeanDeficit) {
				t.Errorf("burden %v is not below × mean deficit %v", g.Burden, float64(g.Below)*g.MeanDeficit)
			}
			if len(g.People) != g.Supply+g.Below {
				t.Errorf("%d people listed, want supply + below = %d", len(g.People), g.Supply+g.Below)
			}
			if g.People == nil || g.SuggestedProgramIDs == nil || g.SuggestedMentorIDs == nil {
				t.Error("empty lists must be empty, not nil (they are JSON arrays)")
			}
		})
	}
}

func TestAnalyzeRanking(t *testing.T) {
	levels := learning.Levels{"a": {"x": 1, "y": 1, "z": 1}, "b": {"x": 4, "y": 4, "z": 4}}
	ab := []string{"a", "b"}
	sr := func(id, skill string, level, headcount int) learning.ScopedRequirement {
		return learning.ScopedRequirement{Requirement: req(id, skill, level, headcount), People: ab}
	}
	scoped := []learning.ScopedRequirement{
		sr("r1", "y", 2, 1), // burden 1, shortfall 0, level 2
		sr("r2", "x", 2, 1), // the same: skill x before y
		sr("r3", "x", 3, 1), // burden 2
		sr("r4", "y", 3, 2), // burden 2, shortfall 1: before r3
		sr("r5", "z", 2, 2), // burden 1, shortfall 1: before r1 and r2
		sr("r6", "y", 5, 0), // burden 4+1 = 5: first
		sr("r0", "x", 2, 1), // as r2: requirement id r0 before r2
		sr("r7", "x", 1, 1), // burden 0 with level 1
		sr("r8", "x", 2, 1), // as r2: after it by id
		sr("r9", "z", 1, 3), // burden 0, shortfall 1: before r7
		sr("rA", "y", 4, 1), // burden 3, shortfall 0, level 4
		sr("rB", "z", 4, 1), // the same: skill z after y
		sr("rC", "x", 5, 1), // burden 4+1 = 5, like r6; shortfall 1 vs r6's 0: first
		// burden 1 and shortfall 0 like r0, r1, r2, r8, but level 5: before them although z sorts after x and y.
		{Requirement: req("rD", "z", 5, 0), People: []string{"b"}},
	}
	gaps := learning.Analyze(scoped, levels, nil, nil)
	var got []string
	for _, g := range gaps {
		got = append(got, g.Requirement.ID)
	}
	want := []string{"rC", "r6", "rA", "rB", "r4", "r3", "r5", "rD", "r0", "r2", "r8", "r1", "r9", "r7"}
	if !slices.Equal(got, want) {
		t.Errorf("ranked %v\n    want %v", got, want)
	}
}

func TestAnalyzeProgramSuggestions(t *testing.T) {
	ts := func(skill string, level int) learning.TaughtSkill {
		return learning.TaughtSkill{SkillID: skill, Level: level}
	}
	programs := []learning.Program{
		program("p9", "Zeta", false, ts("s", 3)),
		program("p1", "Alpha", false, ts("s", 5)),
		program("p2", "Beta", true, ts("s", 3)),       // archived
		program("p3", "Gamma", false, ts("s", 2)),     // below the level
		program("p4", "Delta", false, ts("other", 5)), // another skill
		program("p5", "Alpha", false, ts("s", 3)),     // same title as p6: by id
		program("p6", "Alpha", false, ts("s", 3)),
		program("p7", "Eta", false, ts("s", 4)),
		program("p8", "Theta", false, ts("other", 1), ts("s", 3)),
		program("pA", "Iota", false, ts("s", 4)),
	}
	g := learning.Analyze([]learning.ScopedRequirement{{Requirement: req("r", "s", 3, 1), People: []string{"a"}}},
		nil, programs, nil)[0]
	// Level 3 first (Alpha p5, Alpha p6, Theta, Zeta), then level 4 (Eta, Iota), then 5: at most five.
	want := []string{"p5", "p6", "p8", "p9", "p7"}
	if !slices.Equal(g.SuggestedProgramIDs, want) {
		t.Errorf("programs %v, want %v", g.SuggestedProgramIDs, want)
	}
	g = learning.Analyze([]learning.ScopedRequirement{{Requirement: req("r", "s", 5, 1), People: []string{"a"}}},
		nil, programs, nil)[0]
	if !slices.Equal(g.SuggestedProgramIDs, []string{"p1"}) {
		t.Errorf("programs for level 5 %v, want [p1]", g.SuggestedProgramIDs)
	}
	g = learning.Analyze([]learning.ScopedRequirement{{Requirement: req("r", "none", 1, 1), People: []string{"a"}}},
		nil, programs, nil)[0]
	if len(g.SuggestedProgramIDs) != 0 {
		t.Errorf("programs for an untaught skill %v, want none", g.SuggestedProgramIDs)
	}
}

func TestAnalyzeMentorSuggestions(t *testing.T) {
	levels := learning.Levels{
		"in-below": {"s": 1}, "in-at": {"s": 3}, "in-above": {"s": 4},
		"out-2": {"s": 2}, "out-3": {"s": 3}, "out-5a": {"s": 5}, "out-5b": {"s": 5}, "out-4": {"s": 4},
		"not-member": {"s": 5},
	}
	members := []string{"in-below", "in-at", "in-above", "out-2", "out-3", "out-5b", "out-5a", "out-4", "out-5a"}
	scope := []string{"in-below", "in-at", "in-above"}
	tests := []struct {
		level int
		want  []string
	}{
		// Level 3 required: everyone at 3 or more who may mentor, highest first then id, at most five;
		// in-below (in scope, below) and not-member (not a member) never.
		{3, []string{"out-5a", "out-5b", "in-above", "out-4", "in-at"}},
		// Level 1 or 2 required: still at least 3 (competent), so out-2 is never a mentor.
		{1, []string{"out-5a", "out-5b", "in-above", "out-4", "in-at"}},
		{2, []string{"out-5a", "out-5b", "in-above", "out-4", "in-at"}},
		{4, []string{"out-5a", "out-5b", "in-above", "out-4"}},
		{5, []string{"out-5a", "out-5b"}},
		{6, []string{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("level ", tt.level), func(t *testing.T) {
			g := learning.Analyze([]learning.ScopedRequirement{{Requirement: req("r", "s", tt.level, 1), People: scope}},
				levels, nil, members)[0]
			if !slices.Equal(g.SuggestedMentorIDs, tt.want) {
				t.Errorf("mentors %v, want %v", g.SuggestedMentorIDs, tt.want)
			}
		})
	}
	// Without the cap hiding them: at levels 1 and 2 required, people at 1 and 2 are still no mentors.
	few := []string{"out-2", "in-below", "in-at", "out-3"}
	for _, level := range []int{1, 2} {
		g := learning.Analyze([]learning.ScopedRequirement{{Requirement: req("r", "s", level, 1), People: scope}},
			levels, nil, few)[0]
		if want := []string{"in-at", "out-3"}; !slices.Equal(g.SuggestedMentorIDs, want) {
			t.Errorf("level %d: mentors %v, want %v", level, g.SuggestedMentorIDs, want)
		}
	}
}

func TestBuildHeatmap(t *testing.T) {
	pl := func(id string, level, required int) learning.PersonLevel {
		return learning.PersonLevel{UserID: id, Level: level, Required: required}
	}
	gaps := []learning.Gap{
		// y required at 4 of a only, then at 3 of a, b and c: a's cell in y requires 4, b's and c's 3.
		{Requirement: req("r3", "y", 4, 1), People: []learning.PersonLevel{pl("a", 3, 4)}},
		{Requirement: req("r1", "y", 3, 1), People: []learning.PersonLevel{pl("c", 0, 3), pl("b", 1, 3), pl("a", 3, 3)}},
		{Requirement: req("r2", "x", 2, 1), People: []learning.PersonLevel{pl("c", 0, 2), pl("a", 1, 2)}},
		// y at 2 for d: lower than nothing else d has, so 2.
		{Requirement: req("r4", "y", 2, 1), People: []learning.PersonLevel{pl("d", 2, 2)}},
	}
	h := learning.BuildHeatmap(gaps)
	// Totals: c 3 (y) + 2 (x) = 5; a 1 (y: 4−3) + 1 (x: 2−1) = 2; b 2 (y); d 0. a before b by id.
	if got := fmt.Sprint(h.Skills); got != "[y x]" {
		t.Errorf("skills %s, want [y x]", got)
	}
	if got := fmt.Sprint(h.People); got != "[c a b d]" {
		t.Errorf("people %s, want [c a b d]", got)
	}
	// b and d are outside every gap of x: empty cells.
	want := "[[{0 3 3} {0 2 2}] [{3 4 1} {1 2 1}] [{1 3 2} {0 0 0}] [{2 2 0} {0 0 0}]]"
	if got := fmt.Sprint(h.Cells); got != want {
		t.Errorf("cells\n got %s\nwant %s", got, want)
	}

	empty := learning.BuildHeatmap(nil)
	if empty.People == nil || empty.Skills == nil || empty.Cells == nil || len(empty.People)+len(empty.Skills)+len(empty.Cells) != 0 {
		t.Errorf("empty heatmap %#v, want empty non-nil lists", empty)
	}
}

func BenchmarkAnalyze(b *testing.B) {
	const people, skills = 1000, 20
	var ids []string
	var as []learning.Assessment
	sources := learning.Sources
	for p := range people {
		id := fmt.Sprintf("user-%04d", p)
		ids = append(ids, id)
		for s := range skills {
			if (p+s)%3 == 0 {
				continue
			}
			as = append(as, assertion(fmt.Sprint(p, "-", s), id, fmt.Sprint("skill-", s), 1+(p*7+s)%5,
				sources[(p+s)%len(sources)], fmt.Sprintf("2026-%02d-15", 1+(p+s)%12), 0))
		}
	}
	var scoped []learning.ScopedRequirement
	var programs []learning.Program
	for s := range skills {
		skill := fmt.Sprint("skill-", s)
		scoped = append(scoped, learning.ScopedRequirement{Requirement: req(fmt.Sprint("r-", s), skill, 1+s%5, 10+s), People: ids})
		programs = append(programs, program(fmt.Sprint("p-", s), skill, false, learning.TaughtSkill{SkillID: skill, Level: 5}))
	}
	levels := learning.EffectiveLevels(as, "2027-01-01", 365, nil)
	for b.Loop() {
		if gaps := learning.Analyze(scoped, levels, programs, ids); len(gaps) != skills {
			b.Fatalf("%d gaps", len(gaps))
		}
	}
}
