package app

import (
	"context"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// celebrateKeyResult records an achievement when a check-in makes a key result reach its target.
func celebrateKeyResult(ctx context.Context, tx Tx, actor org.Actor, before, after okr.KeyResult) error {
	return nil
}

// LessonInput writes a lesson.
type LessonInput struct {
	Title       string   `json:"title"`
	Body        string   `json:"body"`
	Tags        []string `json:"tags"`
	ObjectiveID string   `json:"objective_id,omitempty"`
	SkillIDs    []string `json:"skill_ids"`
	TeamID      string   `json:"team_id,omitempty"`
}

// addLesson writes a lesson in tx and returns its id; source is
// "retrospective" or "manual".
func addLesson(ctx context.Context, tx Tx, actor org.Actor, in LessonInput, source string) (string, error) {
	return "", nil
}
