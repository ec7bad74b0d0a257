package okr

import "time"

// Health is the state a key result or objective shows.
type Health string

// Healths.
const (
	HealthPending  Health = "pending"
	HealthOnTrack  Health = "on_track"
	HealthAtRisk   Health = "at_risk"
	HealthOffTrack Health = "off_track"
	HealthOutdated Health = "outdated"
	HealthClosed   Health = "closed"
)

// Cadence is how often check-ins are expected.
type Cadence struct {
	Days      int
	GraceDays int
}

// KRHealth applies DESIGN §4, first match wins: closed → outdated (no
// check-in within the cadence plus the grace days) → the latest check-in's
// status → pending (never checked in). since is when check-ins became due:
// the later of the period's start and the key result's creation; a key
// result silent since then for longer than the cadence and grace is
// outdated, checked in or not. Silence is never green.
func KRHealth(closed bool, last *time.Time, status Status, since, now time.Time, c Cadence) Health {
	allowed := time.Duration(c.Days+c.GraceDays) * 24 * time.Hour
	switch {
	case closed:
		return HealthClosed
	case last == nil && now.Sub(since) > allowed:
		return HealthOutdated
	case last == nil:
		return HealthPending
	case now.Sub(*last) > allowed:
		return HealthOutdated
	}
	switch status {
	case OnTrack:
		return HealthOnTrack
	case AtRisk:
		return HealthAtRisk
	case OffTrack:
		return HealthOffTrack
	}
	return HealthPending
}

// healthRank orders healths from best to worst for an objective's summary.
var healthRank = map[Health]int{
	HealthOnTrack:  0,
	HealthPending:  1,
	HealthOutdated: 2,
	HealthAtRisk:   3,
	HealthOffTrack: 4,
}

// ObjectiveHealth is closed for a closed objective; otherwise the worst health
// of its key results (off track, at risk, outdated, pending, on track in that
// order), so one silent key result keeps an objective from showing green.
// An objective without key results is pending, and a key result whose health
// is unknown counts as pending.
func ObjectiveHealth(closed bool, krs []Health) Health {
	if closed {
		return HealthClosed
	}
	if len(krs) == 0 {
		return HealthPending
	}
	worst, worstRank := HealthOnTrack, -1
	for _, h := range krs {
		r, ok := healthRank[h]
		if !ok {
			h, r = HealthPending, healthRank[HealthPending]
		}
		if r > worstRank {
			worst, worstRank = h, r
		}
	}
	return worst
}

// ExpectedProgress is the share of the period elapsed at now: 0 before its
// first day, 1 after its last day (the end date is included).
func ExpectedProgress(start, end Date, now time.Time, loc *time.Location) float64 {
	s, err1 := start.Time(loc)
	e, err2 := end.Time(loc)
	if err1 != nil || err2 != nil {
		return 0
	}
	e = e.AddDate(0, 0, 1)
	if !e.After(s) {
		return 0
	}
	return clamp01(float64(now.Sub(s)) / float64(e.Sub(s)))
}

// Behind reports whether actual progress trails expected by more than threshold.
func Behind(expected, actual, threshold float64) bool {
	return expected-actual > threshold
}

// ConfidenceBand names a confidence: high ≥ 0.7, medium 0.4–0.7, low < 0.4.
func ConfidenceBand(c float64) string {
	switch {
	case c >= 0.7:
		return "high"
	case c >= 0.4:
		return "medium"
	}
	return "low"
}
