package okr

import (
	"context"
	"time"
)

// KRScore is a key result's score at its period's close (DESIGN §3 "Review"):
// the computed score (its progress at the close), optionally adjusted by a
// person with a reason (both kept), and the final score.
type KRScore struct {
	Computed float64  `json:"computed" doc:"The key result's progress (0–1) when the period was closed."`
	Adjusted *float64 `json:"adjusted" nullable:"true" doc:"A person's adjustment (0–1); null when not adjusted."`
	Reason   *string  `json:"reason" nullable:"true" doc:"Why the score was adjusted; null when not adjusted."`
	Final    float64  `json:"final" doc:"The adjusted score when set, else the computed one."`
}

// NewKRScore returns the score of a key result computed at the close, with an
// optional adjustment; Final is filled by the rule.
func NewKRScore(computed float64, adjusted *float64, reason string) *KRScore {
	s := &KRScore{Computed: clamp01(computed), Final: clamp01(computed)}
	if adjusted != nil {
		a := clamp01(*adjusted)
		s.Adjusted, s.Reason, s.Final = &a, &reason, a
	}
	return s
}

// ObjectiveScore is an objective's score at its period's close.
type ObjectiveScore struct {
	Final float64 `json:"final" doc:"The weighted mean of its key results' final scores (0–1)."`
}

// ObjectiveScoreOf is an objective's score: the weighted mean of its key
// results' final scores. Key results not yet scored count with their
// progress. An objective without key results scores its own progress (its
// roll-up of aligned children).
func ObjectiveScoreOf(o Objective, krs []KeyResult) float64 {
	if len(krs) == 0 {
		return clamp01(o.Progress)
	}
	in := make([]Weighted, 0, len(krs))
	for _, k := range krs {
		f := k.Progress
		if k.Score != nil {
			f = k.Score.Final
		}
		in = append(in, Weighted{Progress: f, Weight: k.Weight})
	}
	return WeightedMean(in)
}

// ScoreBand is the color band of a score.
type ScoreBand string

// Score bands: green ≥ 0.7, yellow 0.4 to under 0.7, red < 0.4.
const (
	ScoreGreen  ScoreBand = "green"
	ScoreYellow ScoreBand = "yellow"
	ScoreRed    ScoreBand = "red"
)

// scoreEpsilon absorbs the rounding of float sums at the boundaries: a
// weighted mean that is 0.7 in arithmetic may be 0.6999999999999998 in floats.
const scoreEpsilon = 1e-9

// BandOf is the band of a score: green from 0.7, yellow from 0.4, else red.
func BandOf(score float64) ScoreBand {
	switch {
	case score+scoreEpsilon >= 0.7:
		return ScoreGreen
	case score+scoreEpsilon >= 0.4:
		return ScoreYellow
	}
	return ScoreRed
}

// Expectation is the score an objective of kind k is expected to reach:
// 1.0 for committed, 0.7 for aspirational.
func Expectation(k ObjectiveKind) float64 {
	if k == Aspirational {
		return 0.7
	}
	return 1
}

// CloseOutcome is the outcome an open objective gets when its period closes:
// achieved when its score meets its kind's expectation, else missed.
func CloseOutcome(k ObjectiveKind, score float64) Outcome {
	if score+scoreEpsilon >= Expectation(k) {
		return Achieved
	}
	return Missed
}

// Verdict judges a period's portfolio by the unweighted mean of its
// objectives' scores.
type Verdict string

// Verdicts: above 0.85 the targets were too safe; from 0.6 to 0.85 healthy;
// from 0.4 to under 0.6 partial; under 0.4 the targets outran capacity.
const (
	TooSafe        Verdict = "too_safe"
	Healthy        Verdict = "healthy"
	Partial        Verdict = "partial"
	OutranCapacity Verdict = "outran_capacity"
)

// VerdictOf is the verdict on a mean score: > 0.85 too_safe, 0.6–0.85
// (both included) healthy, 0.4 to under 0.6 partial, < 0.4 outran_capacity.
func VerdictOf(mean float64) Verdict {
	switch {
	case mean > 0.85+scoreEpsilon:
		return TooSafe
	case mean+scoreEpsilon >= 0.6:
		return Healthy
	case mean+scoreEpsilon >= 0.4:
		return Partial
	}
	return OutranCapacity
}

// MeanScore is the unweighted mean of scores; 0 for none.
func MeanScore(scores []float64) float64 {
	if len(scores) == 0 {
		return 0
	}
	var sum float64
	for _, s := range scores {
		sum += s
	}
	return sum / float64(len(scores))
}

// Decision is what becomes of an objective in the next period.
type Decision string

// Decisions: keep it as it is, modify it (carried with new targets to set),
// or drop it.
const (
	Keep   Decision = "keep"
	Modify Decision = "modify"
	Drop   Decision = "drop"
)

// Retrospective is what the owners of an objective say at its period's close.
type Retrospective struct {
	ObjectiveID string        `json:"objective_id"`
	OrgID       string        `json:"-"`
	WentWell    string        `json:"went_well"`
	WentBadly   string        `json:"went_badly"`
	Lessons     []RetroLesson `json:"lessons" doc:"The lessons written with the retrospective (in the lessons library)."`
	AuthorID    string        `json:"author_id"`
	Version     int           `json:"version"`
	Created     time.Time     `json:"created_at"`
	Updated     time.Time     `json:"updated_at"`
}

// RetroLesson names a lesson a retrospective wrote to the lessons library.
type RetroLesson struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// ObjectiveDecision records the decision on an objective at its period's
// close and, for keep and modify, the objective it was carried into.
type ObjectiveDecision struct {
	ObjectiveID string    `json:"objective_id"`
	OrgID       string    `json:"-"`
	Decision    Decision  `json:"decision"`
	NextID      string    `json:"next_objective_id,omitempty" doc:"The draft objective carried into the next period (keep and modify)."`
	AuthorID    string    `json:"author_id"`
	Created     time.Time `json:"created_at"`
}

// ReviewStore is what the period review needs from the database, inside one
// transaction; every method is scoped by the organization.
type ReviewStore interface {
	// SetKeyResultScore stores a key result's score (nil clears it) and bumps its version (an
	// adjustment is a change of the key result: its ETag moves); errs.NotFound if it is not in orgID.
	SetKeyResultScore(ctx context.Context, orgID, id string, s *KRScore) error
	// SetObjectiveScore stores an objective's score (nil clears it), leaving its version alone;
	// errs.NotFound if it is not in orgID.
	SetObjectiveScore(ctx context.Context, orgID, id string, s *ObjectiveScore) error
	// SetCarriedFrom records that an objective continues an earlier one; errs.NotFound if it is not in orgID.
	SetCarriedFrom(ctx context.Context, orgID, id, fromID string) error
	// CarriedTo returns the ids of the objectives carried from an objective, by id.
	CarriedTo(ctx context.Context, orgID, fromID string) ([]string, error)

	// PutRetrospective inserts or replaces an objective's retrospective; with expectVersion > 0 the stored
	// one must still be at that version (errs.PreconditionFailed). It sets r's version and times.
	PutRetrospective(ctx context.Context, r *Retrospective, expectVersion int) error
	// GetRetrospective returns an objective's retrospective; errs.NotFound if it has none.
	GetRetrospective(ctx context.Context, orgID, objectiveID string) (Retrospective, error)
	// ListRetrospectives returns the retrospectives of a period's objectives.
	ListRetrospectives(ctx context.Context, orgID, periodID string) ([]Retrospective, error)

	// InsertDecision records the decision on an objective; errs.Conflict if it already has one.
	InsertDecision(ctx context.Context, d *ObjectiveDecision) error
	// GetDecision returns the decision on an objective; errs.NotFound if it has none.
	GetDecision(ctx context.Context, orgID, objectiveID string) (ObjectiveDecision, error)
	// ListDecisions returns the decisions on a period's objectives.
	ListDecisions(ctx context.Context, orgID, periodID string) ([]ObjectiveDecision, error)
}
