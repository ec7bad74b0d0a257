package learning

import (
	"time"

	"github.com/okrahq/okra/internal/okr"
)

// DefaultDecayDays is the decay window used when none is set.
const DefaultDecayDays = 365

// Trust ranks an assessment source: higher is more trusted. Certification
// and assessment rank equal, then manager, badge, peer, learning and xAPI
// (equal), and self. An unknown source ranks below self.
func Trust(s Source) int {
	switch s {
	case SourceCertification, SourceAssessment:
		return 6
	case SourceManager:
		return 5
	case SourceBadge:
		return 4
	case SourcePeer:
		return 3
	case SourceLearning, SourceXAPI:
		return 2
	case SourceSelf:
		return 1
	}
	return 0
}

// Effective is a person's effective level in a skill and the assertion it
// comes from.
type Effective struct {
	Level int `json:"level"`
	// Basis is the deciding assertion; nil when there is none.
	Basis *Assessment `json:"basis,omitempty"`
	// Decayed is true when the basis is outside the decay window and counts one level lower.
	Decayed bool `json:"decayed"`
}

// EffectiveLevel applies the rule of DESIGN §3 to one person's assertions on
// one skill, given in any order. Among the assertions inside the decay window
// (dated on or after today minus windowDays; windowDays <= 0 means 365) the
// most trusted source wins (see Trust), and among several of that rank the
// latest by date, then creation time, then id. If no assertion is inside the
// window, the latest assertion overall counts one level lower, floored at 0.
// Without assertions the level is 0. An invalid today puts every assertion
// inside the window.
func EffectiveLevel(as []Assessment, today okr.Date, windowDays int) Effective {
	start := windowStart(today, windowDays)
	var best, latest *Assessment
	for i := range as {
		a := &as[i]
		if latest == nil || later(a, latest) {
			latest = a
		}
		if a.Date < start {
			continue
		}
		if best == nil || Trust(a.Source) > Trust(best.Source) ||
			Trust(a.Source) == Trust(best.Source) && later(a, best) {
			best = a
		}
	}
	switch {
	case best != nil:
		b := *best
		return Effective{Level: b.Level, Basis: &b}
	case latest != nil:
		b := *latest
		return Effective{Level: max(0, b.Level-1), Basis: &b, Decayed: true}
	}
	return Effective{}
}

// windowStart is the first date inside the decay window ("" when today is
// not a date: every date is then inside). Dates compare as strings.
func windowStart(today okr.Date, windowDays int) okr.Date {
	if windowDays <= 0 {
		windowDays = DefaultDecayDays
	}
	t, err := time.Parse(okr.DateLayout, string(today))
	if err != nil {
		return ""
	}
	return okr.Date(t.AddDate(0, 0, -windowDays).Format(okr.DateLayout))
}

// later reports whether a was asserted after b: by date, then creation time,
// then id, so that the choice never depends on the order of the input.
func later(a, b *Assessment) bool {
	if a.Date != b.Date {
		return a.Date > b.Date
	}
	if !a.Created.Equal(b.Created) {
		return a.Created.After(b.Created)
	}
	return a.ID > b.ID
}

// Levels is every person's effective level per skill: user id → skill id → level.
type Levels map[string]map[string]int

// Of returns a person's effective level in a skill (0 when unknown).
func (l Levels) Of(userID, skillID string) int {
	return l[userID][skillID]
}

// EffectiveLevels groups assertions by person and skill and applies
// EffectiveLevel to each group. keep, when non-nil, first selects the
// assertions by source (certified_count keeps only certification and
// assessment).
func EffectiveLevels(as []Assessment, today okr.Date, windowDays int, keep func(Source) bool) Levels {
	type key struct{ user, skill string }
	groups := map[key][]Assessment{}
	for _, a := range as {
		if keep != nil && !keep(a.Source) {
			continue
		}
		k := key{a.UserID, a.SkillID}
		groups[k] = append(groups[k], a)
	}
	l := Levels{}
	for k, g := range groups {
		if l[k.user] == nil {
			l[k.user] = map[string]int{}
		}
		l[k.user][k.skill] = EffectiveLevel(g, today, windowDays).Level
	}
	return l
}
