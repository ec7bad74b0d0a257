package learning

import (
	"fmt"
	"strings"
)

// Ids of the built-in scales. They are not stored: every organization has them.
const (
	// DefaultScaleID is the five-level scale from novice to expert, the scale
	// a skill has unless it names another.
	DefaultScaleID = "okra-default"
	// SFIAScaleID is the seven levels of responsibility of SFIA (the Skills
	// Framework for the Information Age).
	SFIAScaleID = "sfia"
)

// BuiltInScales returns the default scale and the SFIA scale, built in and at
// version 1. Each call returns fresh values the caller may change.
func BuiltInScales() []Scale {
	return []Scale{
		{
			ID:          DefaultScaleID,
			Name:        "Novice to expert",
			Description: "Five levels of proficiency, from following rules to acting from deep experience.",
			Levels: []Level{
				{1, "Novice", "Knows the basics; follows rules and needs close guidance."},
				{2, "Advanced beginner", "Handles simple cases alone; needs help with anything unusual."},
				{3, "Competent", "Works independently on ordinary tasks and plans their own work."},
				{4, "Proficient", "Sees the whole situation, handles the unusual and guides others."},
				{5, "Expert", "Acts from deep experience; an authority others learn from."},
			},
			BuiltIn: true,
			Version: 1,
		},
		{
			ID:          SFIAScaleID,
			Name:        "SFIA levels of responsibility",
			Description: "The seven levels of responsibility of the Skills Framework for the Information Age.",
			Levels: []Level{
				{1, "Follow", "Works on routine tasks under close direction while learning the basics."},
				{2, "Assist", "Works under routine direction with some discretion on simple tasks."},
				{3, "Apply", "Works under general direction on varied tasks and plans their own work."},
				{4, "Enable", "Works under broad direction, is accountable for substantial work and guides others."},
				{5, "Ensure, advise", "Fully accountable for an area; advises others and makes sure results are met."},
				{6, "Initiate, influence", "Sets direction in a significant area and influences the organization."},
				{7, "Set strategy, inspire, mobilise", "Sets the organization's strategy and inspires and mobilises people to follow it."},
			},
			BuiltIn: true,
			Version: 1,
		},
	}
}

// BuiltInScale returns the built-in scale with an id, and whether there is one.
func BuiltInScale(id string) (Scale, bool) {
	for _, s := range BuiltInScales() {
		if s.ID == id {
			return s, true
		}
	}
	return Scale{}, false
}

// ValidateLevels returns what is wrong with a scale's levels: none at all,
// levels not numbered 1 to n in ascending order, levels without a name. It
// returns nil when the levels are fine.
func ValidateLevels(levels []Level) []string {
	if len(levels) == 0 {
		return []string{"a scale needs at least one level"}
	}
	var problems []string
	for i, l := range levels {
		if l.Level != i+1 {
			problems = append(problems, fmt.Sprintf(
				"levels must be numbered 1 to %d in ascending order: position %d holds level %d",
				len(levels), i+1, l.Level))
			break
		}
	}
	for i, l := range levels {
		if strings.TrimSpace(l.Name) == "" {
			problems = append(problems, fmt.Sprintf("the level at position %d needs a name", i+1))
		}
	}
	return problems
}
