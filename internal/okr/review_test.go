package okr

import (
	"math"
	"testing"
)

func TestScoreRules(t *testing.T) {
	// Bands: green from 0.7, yellow from 0.4, red below.
	for _, c := range []struct {
		score float64
		want  ScoreBand
	}{{1, ScoreGreen}, {0.7, ScoreGreen}, {0.6999999999999998, ScoreGreen}, {0.6999, ScoreYellow}, {0.4, ScoreYellow}, {0.3999, ScoreRed}, {0, ScoreRed}} {
		if got := BandOf(c.score); got != c.want {
			t.Errorf("BandOf(%v) = %s, want %s", c.score, got, c.want)
		}
	}
	// Verdicts on the mean: > 0.85 too safe; 0.6–0.85 healthy (both ends); 0.4 to under 0.6 partial; < 0.4 outran capacity.
	for _, c := range []struct {
		mean float64
		want Verdict
	}{{1, TooSafe}, {0.8501, TooSafe}, {0.85, Healthy}, {0.6, Healthy}, {0.5999, Partial}, {0.4, Partial},
		{0.3999, OutranCapacity}, {0, OutranCapacity}} {
		if got := VerdictOf(c.mean); got != c.want {
			t.Errorf("VerdictOf(%v) = %s, want %s", c.mean, got, c.want)
		}
	}
	// Outcome at the close: committed objectives are expected at 1.0, aspirational ones at 0.7.
	for _, c := range []struct {
		kind  ObjectiveKind
		score float64
		want  Outcome
	}{{Committed, 1, Achieved}, {Committed, 0.99, Missed}, {Aspirational, 0.7, Achieved}, {Aspirational, 0.69, Missed},
		{Aspirational, WeightedMean([]Weighted{{Progress: 0.72, Weight: 1}, {Progress: 0.69, Weight: 2}}), Achieved}} { // 0.7, as floats 0.6999999999999998
		if got := CloseOutcome(c.kind, c.score); got != c.want {
			t.Errorf("CloseOutcome(%s, %v) = %s, want %s", c.kind, c.score, got, c.want)
		}
	}
}

func TestKRAndObjectiveScores(t *testing.T) {
	// Final is the adjusted score when there is one, else the computed one.
	s := NewKRScore(0.25, nil, "")
	if s.Final != 0.25 || s.Adjusted != nil || s.Reason != nil {
		t.Errorf("unadjusted score = %+v", s)
	}
	adj := 0.6
	s = NewKRScore(0.25, &adj, "the band moved")
	if s.Final != 0.6 || s.Computed != 0.25 || *s.Adjusted != 0.6 || *s.Reason != "the band moved" {
		t.Errorf("adjusted score = %+v", s)
	}
	// The objective's score is the weighted mean of its key results' finals; weight 0 counts nothing.
	krs := []KeyResult{
		{Weight: 1, Score: NewKRScore(1, nil, "")},
		{Weight: 3, Score: NewKRScore(0.8, nil, "")},
		{Weight: 0, Score: NewKRScore(0, nil, "")},
	}
	if got := ObjectiveScoreOf(Objective{}, krs); math.Abs(got-0.85) > 1e-12 {
		t.Errorf("objective score = %v, want 0.85", got)
	}
	krs[1].Score = NewKRScore(0.8, &adj, "x")
	if got := ObjectiveScoreOf(Objective{}, krs); math.Abs(got-(1+3*0.6)/4) > 1e-12 {
		t.Errorf("objective score after adjustment = %v, want 0.7", got)
	}
	// Without key results, the objective scores its (rolled-up) progress.
	if got := ObjectiveScoreOf(Objective{Progress: 0.42}, nil); got != 0.42 {
		t.Errorf("objective without key results = %v, want 0.42", got)
	}
	if got := MeanScore([]float64{0.85, 0.5, 0.2}); math.Abs(got-0.5166666666666667) > 1e-12 {
		t.Errorf("mean = %v", got)
	}
}
