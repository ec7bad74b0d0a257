package okr_test

import (
	"math"
	"testing"

	"github.com/okrahq/okra/internal/okr"
)

// tol is the tolerance of every float comparison in this package's tests.
const tol = 1e-9

func near(a, b float64) bool { return math.Abs(a-b) <= tol }

func TestKRProgress(t *testing.T) {
	band := func(lo, hi float64) *okr.Band { return &okr.Band{Low: lo, High: hi} }
	ms := func(items ...okr.MilestoneItem) []okr.MilestoneItem { return items }
	m := func(w float64, done bool) okr.MilestoneItem { return okr.MilestoneItem{Weight: w, Done: done} }

	tests := []struct {
		name string
		kr   okr.KeyResult
		want float64
	}{
		// increase, baseline 10 → target 50: (current − 10) / 40, clamped.
		{"increase halfway", okr.KeyResult{Kind: okr.Increase, Baseline: 10, Target: 50, Current: 30}, 0.5},        // 20/40
		{"increase quarter", okr.KeyResult{Kind: okr.Increase, Baseline: 10, Target: 50, Current: 20}, 0.25},       // 10/40
		{"increase at baseline", okr.KeyResult{Kind: okr.Increase, Baseline: 10, Target: 50, Current: 10}, 0},      // 0/40
		{"increase below baseline", okr.KeyResult{Kind: okr.Increase, Baseline: 10, Target: 50, Current: 5}, 0},    // −5/40 → 0
		{"increase at target", okr.KeyResult{Kind: okr.Increase, Baseline: 10, Target: 50, Current: 50}, 1},        // 40/40
		{"increase beyond target", okr.KeyResult{Kind: okr.Increase, Baseline: 10, Target: 50, Current: 70}, 1},    // 60/40 = 1.5 → 1
		{"increase negative range", okr.KeyResult{Kind: okr.Increase, Baseline: -20, Target: 0, Current: -5}, .75}, // 15/20

		// decrease, baseline 100 → target 20: (100 − current) / 80, clamped.
		{"decrease halfway", okr.KeyResult{Kind: okr.Decrease, Baseline: 100, Target: 20, Current: 60}, 0.5},               // 40/80
		{"decrease three quarters", okr.KeyResult{Kind: okr.Decrease, Baseline: 100, Target: 20, Current: 40}, 0.75},       // 60/80
		{"decrease at baseline", okr.KeyResult{Kind: okr.Decrease, Baseline: 100, Target: 20, Current: 100}, 0},            // 0/80
		{"decrease wrong side of baseline", okr.KeyResult{Kind: okr.Decrease, Baseline: 100, Target: 20, Current: 120}, 0}, // −20/80 → 0
		{"decrease at target", okr.KeyResult{Kind: okr.Decrease, Baseline: 100, Target: 20, Current: 20}, 1},               // 80/80
		{"decrease beyond target", okr.KeyResult{Kind: okr.Decrease, Baseline: 100, Target: 20, Current: 0}, 1},            // 100/80 = 1.25 → 1

		// baseline = target = 5: 0 until the target is reached, then 1.
		{"increase flat, short", okr.KeyResult{Kind: okr.Increase, Baseline: 5, Target: 5, Current: 4}, 0},   // 4 < 5
		{"increase flat, reached", okr.KeyResult{Kind: okr.Increase, Baseline: 5, Target: 5, Current: 5}, 1}, // 5 ≥ 5
		{"increase flat, beyond", okr.KeyResult{Kind: okr.Increase, Baseline: 5, Target: 5, Current: 6}, 1},  // 6 ≥ 5
		{"decrease flat, short", okr.KeyResult{Kind: okr.Decrease, Baseline: 5, Target: 5, Current: 6}, 0},   // 6 > 5
		{"decrease flat, reached", okr.KeyResult{Kind: okr.Decrease, Baseline: 5, Target: 5, Current: 5}, 1}, // 5 ≤ 5
		{"decrease flat, beyond", okr.KeyResult{Kind: okr.Decrease, Baseline: 5, Target: 5, Current: 4}, 1},  // 4 ≤ 5

		// maintain, band 10..20 (width 10): 1 inside, 1 − distance/10 outside, floored at 0.
		{"maintain at low", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 20), Current: 10}, 1},
		{"maintain inside", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 20), Current: 15}, 1},
		{"maintain at high", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 20), Current: 20}, 1},
		{"maintain above by half a width", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 20), Current: 25}, 0.5}, // 1 − 5/10
		{"maintain above by a width", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 20), Current: 30}, 0},        // 1 − 10/10
		{"maintain far above", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 20), Current: 35}, 0},               // 1 − 15/10 → 0
		{"maintain below", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 20), Current: 8}, 0.8},                  // 1 − 2/10
		{"maintain below by half a width", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 20), Current: 5}, 0.5},  // 1 − 5/10
		{"maintain far below", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 20), Current: -100}, 0},             // 1 − 110/10 → 0
		{"maintain zero-width band, on it", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 10), Current: 10}, 1},  // inside [10, 10]
		{"maintain zero-width band, off it", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 10), Current: 10.5}, 0},
		{"maintain zero-width band, below", okr.KeyResult{Kind: okr.Maintain, Band: band(10, 10), Current: 9}, 0},
		{"maintain without band", okr.KeyResult{Kind: okr.Maintain, Current: 15}, 0},

		// milestone: weighted share of the milestones done; weight ≤ 0 counts 1.
		{"milestone weighted", okr.KeyResult{Kind: okr.Milestone, Milestones: ms(m(1, true), m(2, false), m(3, true))}, 4.0 / 6},                      // (1+3)/(1+2+3)
		{"milestone zero weights count 1", okr.KeyResult{Kind: okr.Milestone, Milestones: ms(m(0, true), m(0, false), m(0, true), m(0, false))}, 0.5}, // 2/4
		{"milestone zero beside weighted", okr.KeyResult{Kind: okr.Milestone, Milestones: ms(m(0, true), m(3, false))}, 0.25},                         // 1/(1+3)
		{"milestone negative weight counts 1", okr.KeyResult{Kind: okr.Milestone, Milestones: ms(m(-5, true), m(1, false))}, 0.5},                     // 1/(1+1)
		{"milestone all done", okr.KeyResult{Kind: okr.Milestone, Milestones: ms(m(2, true), m(5, true))}, 1},
		{"milestone none done", okr.KeyResult{Kind: okr.Milestone, Milestones: ms(m(2, false), m(5, false))}, 0},
		{"milestone without milestones", okr.KeyResult{Kind: okr.Milestone}, 0},
		{"milestone ignores current", okr.KeyResult{Kind: okr.Milestone, Current: 1, Milestones: ms(m(1, false))}, 0},

		// boolean: 0 or 1.
		{"boolean false", okr.KeyResult{Kind: okr.Boolean, Current: 0}, 0},
		{"boolean true", okr.KeyResult{Kind: okr.Boolean, Current: 1}, 1},

		{"unknown kind", okr.KeyResult{Kind: "sideways", Baseline: 0, Target: 10, Current: 5}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := okr.KRProgress(tt.kr); !near(got, tt.want) {
				t.Errorf("KRProgress = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWeightedMean(t *testing.T) {
	tests := []struct {
		name string
		in   []okr.Weighted
		want float64
	}{
		{"nil", nil, 0},
		{"empty", []okr.Weighted{}, 0},
		{"single", []okr.Weighted{{Progress: 0.3, Weight: 5}}, 0.3},
		// (0.5×1 + 1×3) / (1+3) = 3.5/4
		{"weighted", []okr.Weighted{{Progress: 0.5, Weight: 1}, {Progress: 1, Weight: 3}}, 0.875},
		// (0.2×1 + 0.8×1) / 2; the weight 0 and the weight −2 inputs are left out
		{"zero and negative weights ignored", []okr.Weighted{
			{Progress: 0.2, Weight: 1}, {Progress: 1, Weight: 0}, {Progress: 1, Weight: -2}, {Progress: 0.8, Weight: 1},
		}, 0.5},
		{"only zero weights", []okr.Weighted{{Progress: 1, Weight: 0}, {Progress: 0.5, Weight: 0}}, 0},
		// (0.1×0.5 + 0.4×1.5) / 2 = (0.05 + 0.6)/2
		{"fractional weights", []okr.Weighted{{Progress: 0.1, Weight: 0.5}, {Progress: 0.4, Weight: 1.5}}, 0.325},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := okr.WeightedMean(tt.in); !near(got, tt.want) {
				t.Errorf("WeightedMean = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChildrenValue(t *testing.T) {
	tests := []struct {
		name string
		kr   okr.KeyResult
		p    float64
		want float64
	}{
		{"increase at 0", okr.KeyResult{Kind: okr.Increase, Baseline: 10, Target: 50}, 0, 10},               // 10 + 0×40
		{"increase quarter", okr.KeyResult{Kind: okr.Increase, Baseline: 10, Target: 50}, 0.25, 20},         // 10 + 0.25×40
		{"increase done", okr.KeyResult{Kind: okr.Increase, Baseline: 10, Target: 50}, 1, 50},               // 10 + 1×40
		{"decrease three quarters", okr.KeyResult{Kind: okr.Decrease, Baseline: 100, Target: 20}, 0.75, 40}, // 100 + 0.75×(−80)
		{"boolean not done", okr.KeyResult{Kind: okr.Boolean}, 0.99, 0},
		{"boolean done", okr.KeyResult{Kind: okr.Boolean}, 1, 1},
		{"maintain shows the progress", okr.KeyResult{Kind: okr.Maintain, Band: &okr.Band{Low: 10, High: 20}}, 0.4, 0.4},
		{"milestone shows the progress", okr.KeyResult{Kind: okr.Milestone}, 0.5, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := okr.ChildrenValue(tt.kr, tt.p); !near(got, tt.want) {
				t.Errorf("ChildrenValue(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

// TestChildrenValueRoundTrip: for increase and decrease, the value shown for a
// rolled-up progress p implies p again.
func TestChildrenValueRoundTrip(t *testing.T) {
	krs := []okr.KeyResult{
		{Kind: okr.Increase, Baseline: 10, Target: 50},
		{Kind: okr.Increase, Baseline: -3, Target: 7},
		{Kind: okr.Decrease, Baseline: 100, Target: 20},
	}
	for _, kr := range krs {
		for _, p := range []float64{0, 0.1, 0.25, 0.5, 0.9, 1} {
			kr.Current = okr.ChildrenValue(kr, p)
			if got := okr.KRProgress(kr); !near(got, p) {
				t.Errorf("%s %v→%v: KRProgress(ChildrenValue(%v) = %v) = %v", kr.Kind, kr.Baseline, kr.Target, p, kr.Current, got)
			}
		}
	}
}
