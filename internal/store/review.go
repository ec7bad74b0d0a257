package store

import (
	"context"
	"database/sql"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

var _ okr.ReviewStore = (*Tx)(nil)

// ---- scores and carried objectives

// SetKeyResultScore stores a key result's score and bumps its version (a
// score adjustment is a change of the key result).
func (t *Tx) SetKeyResultScore(ctx context.Context, orgID, id string, s *okr.KRScore) error {
	var computed, adjusted, reason any
	if s != nil {
		computed, adjusted = s.Computed, nullFloat(s.Adjusted)
		if s.Reason != nil {
			reason = *s.Reason
		}
	}
	return t.execOne(ctx, "key result "+id,
		`UPDATE key_results SET score_computed = ?, score_adjusted = ?, score_reason = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ?`, computed, adjusted, reason, t.now, orgID, id)
}

// SetObjectiveScore stores an objective's score, leaving its version alone.
func (t *Tx) SetObjectiveScore(ctx context.Context, orgID, id string, s *okr.ObjectiveScore) error {
	var final any
	if s != nil {
		final = s.Final
	}
	return t.execOne(ctx, "objective "+id, `UPDATE objectives SET score = ? WHERE org_id = ? AND id = ?`, final, orgID, id)
}

// SetCarriedFrom records the objective an objective continues.
func (t *Tx) SetCarriedFrom(ctx context.Context, orgID, id, fromID string) error {
	return t.execOne(ctx, "objective "+id, `UPDATE objectives SET carried_from = ? WHERE org_id = ? AND id = ?`,
		nullString(fromID), orgID, id)
}

// CarriedTo returns the objectives carried from an objective, by id.
func (t *Tx) CarriedTo(ctx context.Context, orgID, fromID string) ([]string, error) {
	var out []string
	err := t.each(ctx, "carried objectives", `SELECT id FROM objectives WHERE org_id = ? AND carried_from = ? ORDER BY id`,
		[]any{orgID, fromID}, func(r *sql.Rows) error {
			var id string
			err := r.Scan(&id)
			out = append(out, id)
			return err
		})
	return out, err
}

// ---- retrospectives

const retrospectiveColumns = `objective_id, org_id, went_well, went_badly, lessons, COALESCE(author_id, ''), version, created_at, updated_at`

func scanRetrospective(sc interface{ Scan(...any) error }) (okr.Retrospective, error) {
	var r okr.Retrospective
	var lessons string
	err := sc.Scan(&r.ObjectiveID, &r.OrgID, &r.WentWell, &r.WentBadly, &lessons, &r.AuthorID, &r.Version, &r.Created, &r.Updated)
	if err != nil {
		return r, err
	}
	r.Lessons = []okr.RetroLesson{}
	return r, fromJSON(lessons, &r.Lessons)
}

// PutRetrospective inserts or replaces an objective's retrospective.
func (t *Tx) PutRetrospective(ctx context.Context, r *okr.Retrospective, expectVersion int) error {
	if r.Lessons == nil {
		r.Lessons = []okr.RetroLesson{}
	}
	old, err := t.GetRetrospective(ctx, r.OrgID, r.ObjectiveID)
	switch {
	case errs.Is(err, errs.NotFound):
		if expectVersion > 0 {
			return errs.E(errs.PreconditionFailed, "retrospective of objective %s: it has none yet, so it is not at version %d", r.ObjectiveID, expectVersion)
		}
		r.Version, r.Created, r.Updated = 1, t.now, t.now
		_, err := t.exec(ctx, "create retrospective",
			`INSERT INTO retrospectives (objective_id, org_id, went_well, went_badly, lessons, author_id, version, created_at, updated_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ObjectiveID, r.OrgID, r.WentWell, r.WentBadly, toJSON(r.Lessons), nullString(r.AuthorID), r.Version, t.now, t.now)
		return err
	case err != nil:
		return err
	}
	if expectVersion > 0 && old.Version != expectVersion {
		return errs.E(errs.PreconditionFailed, "retrospective of objective %s is at version %d, not %d", r.ObjectiveID, old.Version, expectVersion)
	}
	r.Version, r.Created, r.Updated = old.Version+1, old.Created, t.now
	return t.execOne(ctx, "retrospective of objective "+r.ObjectiveID,
		`UPDATE retrospectives SET went_well = ?, went_badly = ?, lessons = ?, author_id = ?, version = ?, updated_at = ?
		 WHERE org_id = ? AND objective_id = ? AND version = ?`,
		r.WentWell, r.WentBadly, toJSON(r.Lessons), nullString(r.AuthorID), r.Version, t.now, r.OrgID, r.ObjectiveID, old.Version)
}

// GetRetrospective returns an objective's retrospective.
func (t *Tx) GetRetrospective(ctx context.Context, orgID, objectiveID string) (okr.Retrospective, error) {
	r, err := scanRetrospective(t.row(ctx, `SELECT `+retrospectiveColumns+` FROM retrospectives WHERE org_id = ? AND objective_id = ?`,
		orgID, objectiveID))
	return r, t.d.classify(err, "retrospective of objective "+objectiveID)
}

// ListRetrospectives returns the retrospectives of a period's objectives, by objective id.
func (t *Tx) ListRetrospectives(ctx context.Context, orgID, periodID string) ([]okr.Retrospective, error) {
	var out []okr.Retrospective
	err := t.each(ctx, "list retrospectives",
		`SELECT `+retrospectiveColumns+` FROM retrospectives WHERE org_id = ?
		 AND objective_id IN (SELECT id FROM objectives WHERE org_id = ? AND period_id = ?) ORDER BY objective_id`,
		[]any{orgID, orgID, periodID}, func(r *sql.Rows) error {
			x, err := scanRetrospective(r)
			out = append(out, x)
			return err
		})
	return out, err
}

// ---- decisions

const decisionColumns = `objective_id, org_id, decision, COALESCE(next_objective_id, ''), COALESCE(author_id, ''), created_at`

func scanDecision(sc interface{ Scan(...any) error }) (okr.ObjectiveDecision, error) {
	var d okr.ObjectiveDecision
	var decision string
	err := sc.Scan(&d.ObjectiveID, &d.OrgID, &decision, &d.NextID, &d.AuthorID, &d.Created)
	d.Decision = okr.Decision(decision)
	return d, err
}

// InsertDecision records the decision on an objective; a second one is a Conflict.
func (t *Tx) InsertDecision(ctx context.Context, d *okr.ObjectiveDecision) error {
	d.Created = t.now
	_, err := t.exec(ctx, "decision on objective "+d.ObjectiveID,
		`INSERT INTO objective_decisions (objective_id, org_id, decision, next_objective_id, author_id, created_at)
		 VALUES (?, ?, ?, ?, ?, ?)`,
		d.ObjectiveID, d.OrgID, string(d.Decision), nullString(d.NextID), nullString(d.AuthorID), t.now)
	return err
}

// GetDecision returns the decision on an objective.
func (t *Tx) GetDecision(ctx context.Context, orgID, objectiveID string) (okr.ObjectiveDecision, error) {
	d, err := scanDecision(t.row(ctx, `SELECT `+decisionColumns+` FROM objective_decisions WHERE org_id = ? AND objective_id = ?`,
		orgID, objectiveID))
	return d, t.d.classify(err, "decision on objective "+objectiveID)
}

// ListDecisions returns the decisions on a period's objectives, by objective id.
func (t *Tx) ListDecisions(ctx context.Context, orgID, periodID string) ([]okr.ObjectiveDecision, error) {
	var out []okr.ObjectiveDecision
	err := t.each(ctx, "list decisions",
		`SELECT `+decisionColumns+` FROM objective_decisions WHERE org_id = ?
		 AND objective_id IN (SELECT id FROM objectives WHERE org_id = ? AND period_id = ?) ORDER BY objective_id`,
		[]any{orgID, orgID, periodID}, func(r *sql.Rows) error {
			d, err := scanDecision(r)
			out = append(out, d)
			return err
		})
	return out, err
}
