package learning

import (
	"cmp"
	"slices"
)

// MentorMinLevel is the lowest level at which a person may be suggested as a
// mentor, whatever the required level: 3 is "competent" on the default scale
// and "apply" on SFIA, where a person works on the skill without guidance.
const MentorMinLevel = 3

// maxSuggestions caps the programs and the mentors suggested for a gap.
const maxSuggestions = 5

// ScopedRequirement is a requirement with the people it is measured against,
// resolved by the caller (a team with its sub-teams, each person once; the
// people of an objective's owner; the holders of a role).
type ScopedRequirement struct {
	Requirement Requirement
	People      []string
}

// PersonLevel is a person's effective level next to the level a gap requires.
type PersonLevel struct {
	UserID   string `json:"user_id"`
	Level    int    `json:"level"`
	Required int    `json:"required"`
}

// Gap is a requirement measured against its people (DESIGN §4).
type Gap struct {
	// Requirement says the subject, skill, level, headcount and whether it is essential.
	Requirement Requirement `json:"requirement"`
	// Supply is the number of people in scope at or above the required level.
	Supply int `json:"supply"`
	// Shortfall is max(0, headcount − supply).
	Shortfall int `json:"shortfall"`
	// Below is the number of people in scope under the required level.
	Below int `json:"below"`
	// MeanDeficit is the mean of (required − level) over the people below; 0 when none is.
	MeanDeficit float64 `json:"mean_deficit"`
	// Burden is Below × MeanDeficit: the levels missing in all.
	Burden float64 `json:"burden"`
	// People is everyone in scope with their level, lowest level first, then by id.
	People []PersonLevel `json:"people"`
	// SuggestedProgramIDs are programs that are not archived and teach the
	// skill to at least the required level: the closest level first, then by
	// title, then by id; at most 5.
	SuggestedProgramIDs []string `json:"suggested_program_ids"`
	// SuggestedMentorIDs are people who could mentor the skill: at or above
	// both the required level and MentorMinLevel; highest level first, then
	// by id; at most 5.
	SuggestedMentorIDs []string `json:"suggested_mentor_ids"`
}

// Analyze measures each scoped requirement against the people's effective
// levels. programs is the catalog the suggestions come from; mentorsFrom is
// the people who may mentor (the organization's active members). A mentor is
// at or above the required level and at or above MentorMinLevel, so that
// nobody is suggested to mentor a skill they have only begun to learn; a
// person of the gap's scope who is below the level is thus never a mentor,
// while one at the level may mentor colleagues. The gaps are ranked by burden,
// then shortfall, then required level (all highest first), then by skill id
// and requirement id.
func Analyze(scoped []ScopedRequirement, levels Levels, programs []Program, mentorsFrom []string) []Gap {
	mentors := unique(mentorsFrom)
	gaps := make([]Gap, 0, len(scoped))
	for _, sr := range scoped {
		gaps = append(gaps, analyzeOne(sr, levels, programs, mentors))
	}
	slices.SortStableFunc(gaps, func(a, b Gap) int {
		return cmp.Or(
			cmp.Compare(b.Burden, a.Burden),
			cmp.Compare(b.Shortfall, a.Shortfall),
			cmp.Compare(b.Requirement.Level, a.Requirement.Level),
			cmp.Compare(a.Requirement.SkillID, b.Requirement.SkillID),
			cmp.Compare(a.Requirement.ID, b.Requirement.ID),
		)
	})
	return gaps
}

func analyzeOne(sr ScopedRequirement, levels Levels, programs []Program, mentors []string) Gap {
	r := sr.Requirement
	g := Gap{Requirement: r, People: []PersonLevel{}}
	deficit := 0
	for _, id := range unique(sr.People) {
		l := levels.Of(id, r.SkillID)
		g.People = append(g.People, PersonLevel{UserID: id, Level: l, Required: r.Level})
		if l >= r.Level {
			g.Supply++
		} else {
			g.Below++
			deficit += r.Level - l
		}
	}
	g.Shortfall = max(0, r.Headcount-g.Supply)
	if g.Below > 0 {
		g.MeanDeficit = float64(deficit) / float64(g.Below)
	}
	// The sum of the deficits is Below × MeanDeficit without the rounding.
	g.Burden = float64(deficit)
	slices.SortFunc(g.People, func(a, b PersonLevel) int {
		return cmp.Or(cmp.Compare(a.Level, b.Level), cmp.Compare(a.UserID, b.UserID))
	})
	g.SuggestedProgramIDs = suggestPrograms(r, programs)
	g.SuggestedMentorIDs = suggestMentors(r, levels, mentors)
	return g
}

// suggestPrograms lists the programs that teach r's skill to at least its level.
func suggestPrograms(r Requirement, programs []Program) []string {
	type fit struct {
		level int
		p     *Program
	}
	var fits []fit
	for i := range programs {
		p := &programs[i]
		if p.Archived {
			continue
		}
		taught := 0
		for _, s := range p.Skills {
			if s.SkillID == r.SkillID {
				taught = max(taught, s.Level)
			}
		}
		if taught > 0 && taught >= r.Level {
			fits = append(fits, fit{taught, p})
		}
	}
	slices.SortFunc(fits, func(a, b fit) int {
		return cmp.Or(cmp.Compare(a.level, b.level), cmp.Compare(a.p.Title, b.p.Title), cmp.Compare(a.p.ID, b.p.ID))
	})
	ids := []string{}
	for _, f := range fits[:min(len(fits), maxSuggestions)] {
		ids = append(ids, f.p.ID)
	}
	return ids
}

// suggestMentors lists the people who could mentor r's skill.
func suggestMentors(r Requirement, levels Levels, mentors []string) []string {
	type fit struct {
		level int
		id    string
	}
	floor := max(r.Level, MentorMinLevel)
	var fits []fit
	for _, id := range mentors {
		if l := levels.Of(id, r.SkillID); l >= floor {
			fits = append(fits, fit{l, id})
		}
	}
	slices.SortFunc(fits, func(a, b fit) int {
		return cmp.Or(cmp.Compare(b.level, a.level), cmp.Compare(a.id, b.id))
	})
	ids := []string{}
	for _, f := range fits[:min(len(fits), maxSuggestions)] {
		ids = append(ids, f.id)
	}
	return ids
}

// unique returns ids without repeats, in their first order.
func unique(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Heatmap is people × skills of a set of gaps, for a team page.
type Heatmap struct {
	// People is everyone in the gaps' scopes, the largest total gap first, then by id.
	People []string `json:"people"`
	// Skills is the gaps' skill ids in gap order, each once.
	Skills []string `json:"skills"`
	// Cells is indexed [person][skill] in the order of People and Skills.
	Cells [][]HeatCell `json:"cells"`
}

// HeatCell is one person's standing in one skill.
type HeatCell struct {
	Level int `json:"level"`
	// Required is the highest level the gaps of the skill that count the
	// person require; 0 when none does.
	Required int `json:"required"`
	// Gap is max(0, Required − Level).
	Gap int `json:"gap"`
}

// BuildHeatmap lays out a set of gaps as people × skills. A person outside
// every gap of a skill has an empty cell (all zero) in that skill.
func BuildHeatmap(gaps []Gap) Heatmap {
	h := Heatmap{People: []string{}, Skills: []string{}, Cells: [][]HeatCell{}}
	col := map[string]int{}
	for _, g := range gaps {
		if _, ok := col[g.Requirement.SkillID]; !ok {
			col[g.Requirement.SkillID] = len(h.Skills)
			h.Skills = append(h.Skills, g.Requirement.SkillID)
		}
	}
	rows := map[string][]HeatCell{}
	for _, g := range gaps {
		c := col[g.Requirement.SkillID]
		for _, p := range g.People {
			row, ok := rows[p.UserID]
			if !ok {
				row = make([]HeatCell, len(h.Skills))
				rows[p.UserID] = row
				h.People = append(h.People, p.UserID)
			}
			row[c].Level = p.Level
			row[c].Required = max(row[c].Required, g.Requirement.Level)
			row[c].Gap = max(0, row[c].Required-row[c].Level)
		}
	}
	total := make(map[string]int, len(rows))
	for id, row := range rows {
		for _, c := range row {
			total[id] += c.Gap
		}
	}
	slices.SortFunc(h.People, func(a, b string) int {
		return cmp.Or(cmp.Compare(total[b], total[a]), cmp.Compare(a, b))
	})
	for _, id := range h.People {
		h.Cells = append(h.Cells, rows[id])
	}
	return h
}
