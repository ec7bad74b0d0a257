package app

import (
	"context"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// afterCheckIn runs what a recorded check-in sets off, in its transaction:
// a low-confidence check-in without a blocker asks its author for one, and a
// key result that reaches its target is celebrated.
func afterCheckIn(ctx context.Context, tx Tx, actor org.Actor, before, after okr.KeyResult, c *okr.CheckIn) error {
	if err := askForBlocker(ctx, tx, actor, after, c); err != nil {
		return err
	}
	return celebrateKeyResult(ctx, tx, actor, before, after)
}

// automaticCheckIn records a key result's new value from its source (a KPI,
// learning records) as a check-in with that source and note. It keeps the key
// result's last confidence (0.5 before the first) and says on_track, or
// at_risk when it is behind the time elapsed: the people who own it add their
// judgment with their own check-ins. A key result that reaches its target is
// celebrated. The caller rolls the objective up.
func automaticCheckIn(ctx context.Context, tx Tx, actor org.Actor, o org.Organization, h *signals,
	obj okr.Objective, p okr.Period, k okr.KeyResult, value float64, source okr.Source, note string) error {
	before := k
	k.Current = value
	settle(&k)
	h.keyResult(&k, obj, p)
	status := okr.OnTrack
	if k.Behind {
		status = okr.AtRisk
	}
	confidence := 0.5
	if k.Confidence != nil {
		confidence = *k.Confidence
	}
	at := tx.Now()
	c := &okr.CheckIn{ID: NewID(), OrgID: k.OrgID, KeyResultID: k.ID, ObjectiveID: k.ObjectiveID, Value: k.Current,
		PreviousValue: before.Current, Confidence: confidence, Status: status, Note: note,
		Blockers: []okr.Blocker{}, AuthorID: actor.UserID, Source: source}
	if err := tx.InsertCheckIn(ctx, c); err != nil {
		return err
	}
	k.Confidence, k.LastStatus, k.LastCheckIn = &confidence, status, &at
	if err := refreshForecast(ctx, tx, o, &k); err != nil {
		return err
	}
	if err := tx.UpdateKeyResult(ctx, &k, before.Version); err != nil {
		return err
	}
	if err := tx.TouchObjectiveCheckIn(ctx, k.OrgID, k.ObjectiveID); err != nil {
		return err
	}
	if err := record(ctx, tx, actor, "check_in.create", "check_in", c.ID, nil, c); err != nil {
		return err
	}
	return celebrateKeyResult(ctx, tx, actor, before, k)
}
