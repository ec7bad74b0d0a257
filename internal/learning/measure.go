package learning

import (
	"fmt"
	"strings"

	"github.com/okrahq/okra/internal/okr"
)

// MeasureInput is what a learning measure is computed from.
type MeasureInput struct {
	// Population is the people counted, resolved to user ids, each once.
	Population []string
	// Enrollments holds at least the population's enrollments; others are ignored.
	Enrollments []Enrollment
	// Assessments holds at least the population's assertions; others are ignored.
	Assessments []Assessment
	// Programs are the programs by id, for the hours of enrollments without their own.
	Programs map[string]Program
	// Today and WindowDays are the date and the decay window of effective levels.
	Today      okr.Date
	WindowDays int
}

// Compute returns the value of a learning measure (DESIGN §4); shares and
// rates are percent (0–100), and an empty population gives 0.
//   - completion_rate: people with a passed completion of the program ÷ population × 100;
//   - certified_count: people whose effective level in the skill, counting only
//     certification and assessment assertions, is at or above the level;
//   - mean_score: mean score of the population's completed enrollments in the
//     program that have a score; 0 when there is none;
//   - at_level_share: people whose effective level in the skill is at or above
//     the level ÷ population × 100;
//   - learning_hours: hours of the population's completed enrollments (in the
//     program when one is set); an enrollment without hours counts its
//     program's hours, else none.
//
// An unknown measure type gives 0.
func Compute(m Measure, in MeasureInput) float64 {
	pop := make(map[string]bool, len(in.Population))
	for _, id := range in.Population {
		pop[id] = true
	}
	if len(pop) == 0 {
		return 0
	}
	switch m.Type {
	case CompletionRate:
		done := map[string]bool{}
		for _, e := range in.Enrollments {
			if pop[e.UserID] && e.ProgramID == m.ProgramID && e.PassedCompletion() {
				done[e.UserID] = true
			}
		}
		return percent(len(done), len(pop))
	case CertifiedCount:
		certified := func(s Source) bool { return s == SourceCertification || s == SourceAssessment }
		return float64(countAtLevel(m, in, pop, certified))
	case AtLevelShare:
		return percent(countAtLevel(m, in, pop, nil), len(pop))
	case MeanScore:
		sum, n := 0.0, 0
		for _, e := range in.Enrollments {
			if pop[e.UserID] && e.ProgramID == m.ProgramID && e.Status == Completed && e.Score != nil {
				sum += *e.Score
				n++
			}
		}
		if n == 0 {
			return 0
		}
		return sum / float64(n)
	case LearningHours:
		sum := 0.0
		for _, e := range in.Enrollments {
			if pop[e.UserID] && e.Status == Completed && (m.ProgramID == "" || e.ProgramID == m.ProgramID) {
				sum += enrollmentHours(e, in.Programs)
			}
		}
		return sum
	}
	return 0
}

// countAtLevel counts the people of pop whose effective level in m's skill,
// from the assertions keep selects, is at or above m's level.
func countAtLevel(m Measure, in MeasureInput, pop map[string]bool, keep func(Source) bool) int {
	var as []Assessment
	for _, a := range in.Assessments {
		if pop[a.UserID] && a.SkillID == m.SkillID {
			as = append(as, a)
		}
	}
	levels := EffectiveLevels(as, in.Today, in.WindowDays, keep)
	n := 0
	for id := range pop {
		if levels.Of(id, m.SkillID) >= m.Level {
			n++
		}
	}
	return n
}

// enrollmentHours is an enrollment's hours, else its program's, else 0.
func enrollmentHours(e Enrollment, programs map[string]Program) float64 {
	if e.Hours != nil {
		return *e.Hours
	}
	if p, ok := programs[e.ProgramID]; ok && p.Hours != nil {
		return *p.Hours
	}
	return 0
}

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of) * 100
}

// Problem is what is wrong with one field of an input.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidateMeasure checks a measure's shape: a known type; a program for
// completion_rate and mean_score; a skill and a level of 1 or more for
// certified_count and at_level_share; a population of a known type, with an
// id for a team or a role and people for named users. Fields are named like
// "measure.program_id". It returns nil when the measure is fine.
func ValidateMeasure(m Measure) []Problem {
	var ps []Problem
	add := func(field, msg string) { ps = append(ps, Problem{Field: "measure." + field, Message: msg}) }
	switch m.Type {
	case CompletionRate, MeanScore:
		if strings.TrimSpace(m.ProgramID) == "" {
			add("program_id", fmt.Sprintf("choose the program whose %s are measured", map[MeasureType]string{
				CompletionRate: "completions", MeanScore: "scores"}[m.Type]))
		}
	case CertifiedCount, AtLevelShare:
		if strings.TrimSpace(m.SkillID) == "" {
			add("skill_id", "choose the skill whose level is measured")
		}
		if m.Level < 1 {
			add("level", "set the level to reach, 1 or more")
		}
	case LearningHours:
	case "":
		add("type", "choose a measure: "+measureList())
	default:
		add("type", fmt.Sprintf("unknown measure %q; choose one of %s", m.Type, measureList()))
	}
	p := m.Population
	switch p.Type {
	case PopulationTeam, PopulationRole:
		if strings.TrimSpace(p.ID) == "" {
			add("population.id", "choose the "+string(p.Type)+" whose people are counted")
		}
	case PopulationUsers:
		if len(p.UserIDs) == 0 {
			add("population.user_ids", "name at least one person to count")
		}
		for _, id := range p.UserIDs {
			if strings.TrimSpace(id) == "" {
				add("population.user_ids", "remove the blank user id")
				break
			}
		}
	case "":
		add("population.type", "choose whom to count: team, role or users")
	default:
		add("population.type", fmt.Sprintf("unknown population %q; choose team, role or users", p.Type))
	}
	return ps
}

func measureList() string {
	names := make([]string, len(MeasureTypes))
	for i, t := range MeasureTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// MeasureUnit returns the unit (an okr.Unit) and the unit label a new learning
// key result of a measure type should have: percent for completion_rate and
// at_level_share (whose natural target is 100), number for certified_count
// and mean_score (a score out of 100), and the custom unit "hours" for
// learning_hours. An unknown type gets number.
func MeasureUnit(t MeasureType) (unit string, label string) {
	switch t {
	case CompletionRate, AtLevelShare:
		return string(okr.UnitPercent), ""
	case LearningHours:
		return string(okr.UnitCustom), "hours"
	}
	return string(okr.UnitNumber), ""
}
