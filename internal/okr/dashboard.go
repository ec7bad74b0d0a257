package okr

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
)

// The dashboard's arithmetic: health distributions, what is at risk and why,
// check-in discipline, averages and initiatives by status. Pure functions;
// the app gathers what the reader may see and hands it here.

// HealthOrder is the order in which a dashboard lists healths: the good,
// the bad, the unknown, the finished.
var HealthOrder = []Health{HealthOnTrack, HealthAtRisk, HealthOffTrack, HealthOutdated, HealthPending, HealthClosed}

// HealthCount is how many objectives or key results show one health.
type HealthCount struct {
	Health Health `json:"health" enum:"on_track,at_risk,off_track,outdated,pending,closed"`
	Count  int    `json:"count"`
}

// HealthDistribution counts healths in HealthOrder, zeros included; an
// unknown health counts as pending.
func HealthDistribution(hs []Health) []HealthCount {
	idx := make(map[Health]int, len(HealthOrder))
	out := make([]HealthCount, len(HealthOrder))
	for i, h := range HealthOrder {
		idx[h] = i
		out[i].Health = h
	}
	for _, h := range hs {
		i, ok := idx[h]
		if !ok {
			i = idx[HealthPending]
		}
		out[i].Count++
	}
	return out
}

// OnTrackShare is the share of the counted items that are on track, among
// those not closed; 0 when none is open.
func OnTrackShare(dist []HealthCount) float64 {
	var open, on int
	for _, c := range dist {
		if c.Health == HealthClosed {
			continue
		}
		open += c.Count
		if c.Health == HealthOnTrack {
			on += c.Count
		}
	}
	if open == 0 {
		return 0
	}
	return float64(on) / float64(open)
}

// Mean is the plain mean of xs; 0 for none.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// Discipline is how many of the key results that wait for a person's
// check-in were checked in within the organization's cadence.
type Discipline struct {
	Total  int     `json:"total" doc:"Manual key results of active objectives in an open period."`
	OnTime int     `json:"on_time" doc:"Of them, checked in within the cadence."`
	Share  float64 `json:"share" doc:"on_time / total, 0 when total is 0."`
}

// CheckedInWithin reports whether a check-in at last is less than days old
// at now; a key result never checked in is not.
func CheckedInWithin(last *time.Time, now time.Time, days int) bool {
	return last != nil && now.Sub(*last) < time.Duration(days)*24*time.Hour
}

// CountsForDiscipline reports whether a key result is one people must check
// in: a manual one that is not closed (its objective active, its period open).
func CountsForDiscipline(k KeyResult, o Objective) bool {
	return k.Source == SourceManual && o.State == Active && k.Health != HealthClosed
}

// Add counts one key result that waits for check-ins.
func (d *Discipline) Add(k KeyResult, now time.Time, cadenceDays int) {
	d.Total++
	if CheckedInWithin(k.LastCheckIn, now, cadenceDays) {
		d.OnTime++
	}
	d.Share = float64(d.OnTime) / float64(d.Total)
}

// Merge counts another tally's key results in this one.
func (d *Discipline) Merge(o Discipline) {
	d.Total += o.Total
	d.OnTime += o.OnTime
	if d.Total > 0 {
		d.Share = float64(d.OnTime) / float64(d.Total)
	}
}

// LowConfidence is the confidence below which a key result is flagged.
const LowConfidence = 0.4

// Risk is an objective or a key result that needs attention, with the
// reasons in plain words.
type Risk struct {
	Type        NodeType `json:"type" enum:"objective,key_result"`
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	ObjectiveID string   `json:"objective_id" doc:"The objective itself, or the key result's objective."`
	OwnerID     string   `json:"owner_id,omitempty" doc:"A key result's owner."`
	Owner       *Owner   `json:"owner,omitempty" doc:"An objective's owner."`
	Health      Health   `json:"health"`
	Progress    float64  `json:"progress"`
	Expected    float64  `json:"expected_progress"`
	Confidence  *float64 `json:"confidence,omitempty"`
	Reasons     []string `json:"reasons"`
	// Severity orders the list: 5 off track, 4 at risk, 3 outdated, 2 behind, 1 low confidence.
	Severity int `json:"severity"`
}

// healthSeverity ranks the healths that alone make something at risk.
var healthSeverity = map[Health]int{HealthOffTrack: 5, HealthAtRisk: 4, HealthOutdated: 3}

const (
	severityBehind        = 2
	severityLowConfidence = 1
)

// daysSince counts whole days from then to now.
func daysSince(then, now time.Time) int { return int(now.Sub(then).Hours() / 24) }

func pct(x float64) string { return strconv.Itoa(int(math.Round(x*100))) + "%" }

func behindReason(progress, expected float64) string {
	return "behind: " + pct(progress) + " vs " + pct(expected) + " expected"
}

// KeyResultRisk says why a key result needs attention (nil when it does
// not): off track or at risk at its last check-in, no check-in for too
// long, behind the expected progress, low confidence. The key result's
// Health, Expected and Behind must be filled in.
func KeyResultRisk(k KeyResult, now time.Time) *Risk {
	if k.Health == HealthClosed {
		return nil
	}
	r := &Risk{Type: NodeKeyResult, ID: k.ID, Title: k.Title, ObjectiveID: k.ObjectiveID, OwnerID: k.OwnerID,
		Health: k.Health, Progress: k.Progress, Expected: k.Expected, Confidence: k.Confidence}
	switch k.Health {
	case HealthOffTrack:
		r.Reasons = append(r.Reasons, "off track at last check-in")
	case HealthAtRisk:
		r.Reasons = append(r.Reasons, "at risk at last check-in")
	case HealthOutdated:
		if k.LastCheckIn == nil {
			r.Reasons = append(r.Reasons, "never checked in")
		} else {
			r.Reasons = append(r.Reasons, "no check-in for "+Plural(daysSince(*k.LastCheckIn, now), "day"))
		}
	}
	r.Severity = healthSeverity[k.Health]
	if k.Behind {
		r.Reasons = append(r.Reasons, behindReason(k.Progress, k.Expected))
		r.Severity = max(r.Severity, severityBehind)
	}
	if k.Confidence != nil && *k.Confidence < LowConfidence {
		r.Reasons = append(r.Reasons, "low confidence "+strconv.Itoa(int(math.Round(*k.Confidence*10)))+" in 10")
		r.Severity = max(r.Severity, severityLowConfidence)
	}
	if len(r.Reasons) == 0 {
		return nil
	}
	return r
}

// ObjectiveRisk says why an objective needs attention (nil when it does
// not): the key results that pull its health down, and being behind. The
// objective's and the key results' Health, Expected and Behind must be
// filled in.
func ObjectiveRisk(o Objective, krs []KeyResult) *Risk {
	if o.Health == HealthClosed {
		return nil
	}
	owner := o.Owner
	r := &Risk{Type: NodeObjective, ID: o.ID, Title: o.Title, ObjectiveID: o.ID, Owner: &owner, Health: o.Health,
		Progress: o.Progress, Expected: o.Expected}
	if _, bad := healthSeverity[o.Health]; bad {
		n := map[Health]int{}
		for _, k := range krs {
			n[k.Health]++
		}
		for _, h := range []Health{HealthOffTrack, HealthAtRisk, HealthOutdated} {
			if n[h] > 0 {
				r.Reasons = append(r.Reasons, fmt.Sprintf("%d of %d key results %s", n[h], len(krs), healthPhrase(h)))
			}
		}
		r.Severity = healthSeverity[o.Health]
	}
	if o.Behind {
		r.Reasons = append(r.Reasons, behindReason(o.Progress, o.Expected))
		r.Severity = max(r.Severity, severityBehind)
	}
	if len(r.Reasons) == 0 {
		return nil
	}
	return r
}

func healthPhrase(h Health) string {
	switch h {
	case HealthOffTrack:
		return "off track"
	case HealthAtRisk:
		return "at risk"
	case HealthOutdated:
		return "without a recent check-in"
	}
	return string(h)
}

// Plural counts a word for people: "1 key result", "3 key results".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// SortRisks orders risks worst first: by severity, then by how far progress
// trails expectation, objectives before key results, then by title.
func SortRisks(rs []Risk) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		ga, gb := a.Expected-a.Progress, b.Expected-b.Progress
		if math.Abs(ga-gb) > 1e-9 {
			return ga > gb
		}
		if a.Type != b.Type {
			return a.Type == NodeObjective
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.ID < b.ID
	})
}

// InitiativeStatusOrder is the order in which a dashboard lists initiative statuses.
var InitiativeStatusOrder = []InitiativeStatus{Planned, InProgress, Blocked, Done, Cancelled}

// StatusCount is how many initiatives have one status.
type StatusCount struct {
	Status InitiativeStatus `json:"status" enum:"planned,in_progress,blocked,done,cancelled"`
	Count  int              `json:"count"`
}

// InitiativesByStatus counts initiatives per status in InitiativeStatusOrder, zeros included.
func InitiativesByStatus(ins []Initiative) []StatusCount {
	out := make([]StatusCount, len(InitiativeStatusOrder))
	for i, s := range InitiativeStatusOrder {
		out[i].Status = s
		for _, in := range ins {
			if in.Status == s {
				out[i].Count++
			}
		}
	}
	return out
}
