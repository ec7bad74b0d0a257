package learning_test

import (
	"testing"

	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

func ptr[T any](v T) *T { return &v }

// enrollment builds an enrollment; score and hours < 0 mean unset, passed is
// set for completed enrollments only.
func enrollment(id, user, prog string, status learning.EnrollmentStatus, passed bool, score, hours float64) learning.Enrollment {
	e := learning.Enrollment{ID: id, UserID: user, ProgramID: prog, Status: status}
	if status == learning.Completed {
		e.Passed = ptr(passed)
	}
	if score >= 0 {
		e.Score = ptr(score)
	}
	if hours >= 0 {
		e.Hours = ptr(hours)
	}
	return e
}

func TestCompute(t *testing.T) {
	const P, Q, R = "prog-p", "prog-q", "prog-r"
	c, f, ip := learning.Completed, learning.Failed, learning.InProgress
	in := learning.MeasureInput{
		Population: []string{"a", "b", "c", "d"},
		Enrollments: []learning.Enrollment{
			enrollment("1", "a", P, c, true, 80, 10),
			enrollment("2", "a", P, c, true, 90, -1),  // a retake: a counts once for completion
			enrollment("3", "b", P, c, false, 40, -1), // completed below the pass mark
			enrollment("4", "c", P, ip, false, 60, 5),
			enrollment("5", "c", Q, c, true, -1, 3),
			enrollment("6", "d", P, f, false, 20, 7),
			enrollment("7", "d", P, c, true, 70, 8),
			enrollment("8", "d", R, c, true, -1, -1),  // neither its own hours nor its program's
			enrollment("9", "x", P, c, true, 100, 50), // not in the population
			enrollment("10", "b", P, c, true, -1, 1),  // a completion without a score
		},
		Assessments: []learning.Assessment{
			assertion("a1", "a", "S", 3, learning.SourceCertification, "2027-01-01", 0),
			assertion("b1", "b", "S", 5, learning.SourceManager, "2027-01-01", 0), // not certified
			assertion("b2", "b", "S", 5, learning.SourceSelf, "2027-02-01", 0),
			assertion("c1", "c", "S", 4, learning.SourceAssessment, "2025-06-01", 0), // outside: 3
			assertion("d1", "d", "S", 4, learning.SourceSelf, "2027-02-01", 0),
			assertion("d2", "d", "S", 2, learning.SourceAssessment, "2027-01-01", 0),
			assertion("x1", "x", "S", 5, learning.SourceCertification, "2027-01-01", 0),
			assertion("a2", "a", "T", 5, learning.SourceCertification, "2027-01-01", 0), // another skill
		},
		Programs: map[string]learning.Program{
			P: {ID: P, Hours: ptr(12.0)},
			Q: {ID: Q},
			R: {ID: R},
		},
		Today:      "2027-03-01",
		WindowDays: 365,
	}
	m := func(t learning.MeasureType, prog, skill string, level int) learning.Measure {
		return learning.Measure{Type: t, ProgramID: prog, SkillID: skill, Level: level}
	}
	tests := []struct {
		name string
		m    learning.Measure
		want float64
	}{
		// Passed completions of P: a (twice), b (enrollment 10), d; not c (in progress) nor x.
		{"completion rate", m(learning.CompletionRate, P, "", 0), 75},
		{"completion rate of Q", m(learning.CompletionRate, Q, "", 0), 25},
		{"completion rate of an unknown program", m(learning.CompletionRate, "nope", "", 0), 0},
		// Certified at 3 in S: a (certification 3), c (assessment 4, decayed to 3); not b (manager and
		// self only), not d (assessment 2 beats nothing: self is ignored), not x.
		{"certified count", m(learning.CertifiedCount, "", "S", 3), 2},
		{"certified count at 4", m(learning.CertifiedCount, "", "S", 4), 0},
		{"certified count at 2", m(learning.CertifiedCount, "", "S", 2), 3},
		{"certified count in T", m(learning.CertifiedCount, "", "T", 1), 1},
		// All sources at 3 in S: a 3, b 5 (manager), c 3, d 2 (assessment beats self).
		{"at level share", m(learning.AtLevelShare, "", "S", 3), 75},
		{"at level share at 5", m(learning.AtLevelShare, "", "S", 5), 25},
		{"at level share at 1", m(learning.AtLevelShare, "", "S", 1), 100},
		// Completed with a score in P: 80, 90, 40, 70; not the failed 20, c's in-progress 60 or x's 100.
		{"mean score", m(learning.MeanScore, P, "", 0), 70},
		{"mean score without scores", m(learning.MeanScore, Q, "", 0), 0},
		// Completed: a 10 + 12 (P's hours), b 12 + 1, c 3, d 8 + 0; not c's in-progress 5, d's failed 7, x's 50.
		{"learning hours", m(learning.LearningHours, "", "", 0), 46},
		{"learning hours of P", m(learning.LearningHours, P, "", 0), 43},
		{"learning hours of Q", m(learning.LearningHours, Q, "", 0), 3},
		{"learning hours of R", m(learning.LearningHours, R, "", 0), 0},
		{"unknown measure", m("wishes", P, "S", 1), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := learning.Compute(tt.m, in); !near(got, tt.want) {
				t.Errorf("Compute = %v, want %v", got, tt.want)
			}
			// Over nobody every measure is 0.
			empty := in
			empty.Population = nil
			if got := learning.Compute(tt.m, empty); got != 0 {
				t.Errorf("Compute over an empty population = %v, want 0", got)
			}
		})
	}

	t.Run("population listed with repeats", func(t *testing.T) {
		twice := in
		twice.Population = []string{"a", "a", "c", "c"} // a passed P, c did not: 1 of 2
		if got := learning.Compute(m(learning.CompletionRate, P, "", 0), twice); got != 50 {
			t.Errorf("completion rate %v, want 50", got)
		}
	})
	t.Run("decay window follows the input", func(t *testing.T) {
		short := in
		// From 2027-01-30: a 2 (decayed), b 5 (self), c 3 (decayed), d 4 (self, the assessment is outside);
		// with 365 days only b was at 4.
		short.WindowDays = 30
		if got := learning.Compute(m(learning.AtLevelShare, "", "S", 4), short); got != 50 {
			t.Errorf("at level share %v, want 50", got)
		}
		if got := learning.Compute(m(learning.CertifiedCount, "", "S", 3), short); got != 1 { // a 2, c 3, d 1
			t.Errorf("certified count %v, want 1", got)
		}
	})
}

func TestValidateMeasure(t *testing.T) {
	team := learning.Population{Type: learning.PopulationTeam, ID: "t1"}
	tests := []struct {
		name string
		m    learning.Measure
		want string // "field: message" problems joined with "; ", matched in full
	}{
		{"completion rate", learning.Measure{Type: learning.CompletionRate, ProgramID: "p", Population: team}, ""},
		{"mean score", learning.Measure{Type: learning.MeanScore, ProgramID: "p", Population: team}, ""},
		{"certified count", learning.Measure{Type: learning.CertifiedCount, SkillID: "s", Level: 1, Population: team}, ""},
		{"at level share for a role", learning.Measure{Type: learning.AtLevelShare, SkillID: "s", Level: 3,
			Population: learning.Population{Type: learning.PopulationRole, ID: "r"}}, ""},
		{"learning hours of anything", learning.Measure{Type: learning.LearningHours,
			Population: learning.Population{Type: learning.PopulationUsers, UserIDs: []string{"u1", "u2"}}}, ""},
		{"learning hours of a program", learning.Measure{Type: learning.LearningHours, ProgramID: "p", Population: team}, ""},

		{"no type", learning.Measure{Population: team},
			"measure.type: choose a measure: completion_rate, certified_count, mean_score, at_level_share, learning_hours"},
		{"unknown type", learning.Measure{Type: "hope", Population: team},
			`measure.type: unknown measure "hope"; choose one of completion_rate, certified_count, mean_score, at_level_share, learning_hours`},
		{"completion rate without program", learning.Measure{Type: learning.CompletionRate, Population: team},
			"measure.program_id: choose the program whose completions are measured"},
		{"mean score with a blank program", learning.Measure{Type: learning.MeanScore, ProgramID: " ", Population: team},
			"measure.program_id: choose the program whose scores are measured"},
		{"certified count without skill or level", learning.Measure{Type: learning.CertifiedCount, Population: team},
			"measure.skill_id: choose the skill whose level is measured; measure.level: set the level to reach, 1 or more"},
		{"at level share at level 0", learning.Measure{Type: learning.AtLevelShare, SkillID: "s", Population: team},
			"measure.level: set the level to reach, 1 or more"},
		{"at level share at a negative level", learning.Measure{Type: learning.AtLevelShare, SkillID: "s", Level: -1, Population: team},
			"measure.level: set the level to reach, 1 or more"},
		{"team without id", learning.Measure{Type: learning.LearningHours, Population: learning.Population{Type: learning.PopulationTeam}},
			"measure.population.id: choose the team whose people are counted"},
		{"role without id", learning.Measure{Type: learning.LearningHours, Population: learning.Population{Type: learning.PopulationRole}},
			"measure.population.id: choose the role whose people are counted"},
		{"users without ids", learning.Measure{Type: learning.LearningHours, Population: learning.Population{Type: learning.PopulationUsers}},
			"measure.population.user_ids: name at least one person to count"},
		{"users with a blank id", learning.Measure{Type: learning.LearningHours,
			Population: learning.Population{Type: learning.PopulationUsers, UserIDs: []string{"u1", ""}}},
			"measure.population.user_ids: remove the blank user id"},
		{"no population", learning.Measure{Type: learning.LearningHours},
			"measure.population.type: choose whom to count: team, role or users"},
		{"unknown population", learning.Measure{Type: learning.LearningHours, Population: learning.Population{Type: "everyone"}},
			`measure.population.type: unknown population "everyone"; choose team, role or users`},
		{"everything wrong", learning.Measure{Type: learning.CertifiedCount, Population: learning.Population{Type: learning.PopulationRole}},
			"measure.skill_id: choose the skill whose level is measured; measure.level: set the level to reach, 1 or more; " +
				"measure.population.id: choose the role whose people are counted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := learning.ValidateMeasure(tt.m)
			got := ""
			for i, p := range ps {
				if i > 0 {
					got += "; "
				}
				got += p.Field + ": " + p.Message
			}
			if got != tt.want {
				t.Errorf("problems\n got %q\nwant %q", got, tt.want)
			}
			if tt.want == "" && ps != nil {
				t.Errorf("problems %#v, want nil", ps)
			}
		})
	}
}

func TestMeasureUnit(t *testing.T) {
	tests := []struct {
		t           learning.MeasureType
		unit, label string
	}{
		{learning.CompletionRate, "percent", ""},
		{learning.AtLevelShare, "percent", ""},
		{learning.CertifiedCount, "number", ""},
		{learning.MeanScore, "number", ""},
		{learning.LearningHours, "custom", "hours"},
		{"other", "number", ""},
	}
	for _, tt := range tests {
		unit, label := learning.MeasureUnit(tt.t)
		if unit != tt.unit || label != tt.label {
			t.Errorf("MeasureUnit(%s) = %q, %q; want %q, %q", tt.t, unit, label, tt.unit, tt.label)
		}
		if !okrUnit(unit) {
			t.Errorf("MeasureUnit(%s) = %q, not a key result unit", tt.t, unit)
		}
	}
	if len(learning.MeasureTypes) != 5 {
		t.Errorf("%d measure types; this test covers 5", len(learning.MeasureTypes))
	}
}

func okrUnit(u string) bool {
	switch okr.Unit(u) {
	case okr.UnitNumber, okr.UnitPercent, okr.UnitCurrency, okr.UnitCustom:
		return true
	}
	return false
}
