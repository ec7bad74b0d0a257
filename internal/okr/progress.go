package okr

import "math"

func clamp01(x float64) float64 {
	switch {
	case math.IsNaN(x) || x < 0:
		return 0
	case x > 1:
		return 1
	}
	return x
}

// KRProgress is a key result's progress in [0, 1] from its kind and value
// (DESIGN §4). Key results with source children are rolled up instead (see
// WeightedMean); for them this returns the progress their current value implies.
func KRProgress(kr KeyResult) float64 {
	switch kr.Kind {
	case Increase:
		if kr.Target == kr.Baseline {
			return boolProgress(kr.Current >= kr.Target)
		}
		return clamp01((kr.Current - kr.Baseline) / (kr.Target - kr.Baseline))
	case Decrease:
		if kr.Target == kr.Baseline {
			return boolProgress(kr.Current <= kr.Target)
		}
		return clamp01((kr.Baseline - kr.Current) / (kr.Baseline - kr.Target))
	case Maintain:
		if kr.Band == nil {
			return 0
		}
		return BandProgress(kr.Current, *kr.Band)
	case Milestone:
		return MilestoneShare(kr.Milestones)
	case Boolean:
		return boolProgress(kr.Current != 0)
	}
	return 0
}

func boolProgress(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// BandProgress is 1 inside the band and falls linearly with the distance to
// it, measured in band widths, floored at 0.
func BandProgress(v float64, b Band) float64 {
	if v >= b.Low && v <= b.High {
		return 1
	}
	width := b.High - b.Low
	if width <= 0 {
		return 0
	}
	dist := b.Low - v
	if v > b.High {
		dist = v - b.High
	}
	return clamp01(1 - dist/width)
}

// MilestoneShare is the weighted share of milestones done; a milestone
// without a weight counts 1.
func MilestoneShare(ms []MilestoneItem) float64 {
	var done, total float64
	for _, m := range ms {
		w := m.Weight
		if w <= 0 {
			w = 1
		}
		total += w
		if m.Done {
			done += w
		}
	}
	if total == 0 {
		return 0
	}
	return done / total
}

// Weighted is one input of a roll-up: a progress and its weight.
type Weighted struct {
	Progress float64
	Weight   float64
}

// WeightedMean is the roll-up rule: the weighted mean of the inputs' progress,
// 0 when there is nothing to average.
func WeightedMean(in []Weighted) float64 {
	var sum, total float64
	for _, w := range in {
		if w.Weight <= 0 {
			continue
		}
		sum += w.Progress * w.Weight
		total += w.Weight
	}
	if total == 0 {
		return 0
	}
	return clamp01(sum / total)
}

// ChildrenValue is the value a key result with source children shows for a
// rolled-up progress p: the point p of the way from baseline to target.
func ChildrenValue(kr KeyResult, p float64) float64 {
	switch kr.Kind {
	case Increase, Decrease:
		return kr.Baseline + p*(kr.Target-kr.Baseline)
	case Boolean:
		if p >= 1 {
			return 1
		}
		return 0
	}
	return p
}
