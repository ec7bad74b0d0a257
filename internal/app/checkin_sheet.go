package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// MultiCheckInEntry is one key result's part of a weekly check-in. Fields
// left out keep the key result's last state: no value keeps its value, no
// confidence its last confidence, no status its last status. An entry with
// nothing set at all is skipped.
type MultiCheckInEntry struct {
	KeyResultID string   `json:"key_result_id"`
	Value       *float64 `json:"value,omitempty" doc:"The new value; absent keeps the current one. For boolean: 0 or 1."`
	// MilestonesDone lists every milestone done now, for a milestone key
	// result; nil leaves the milestones as they are, an empty list marks
	// them all not done.
	MilestonesDone []string   `json:"milestones_done" doc:"For milestone key results: the ids of every milestone done now; null keeps them."`
	Confidence     *float64   `json:"confidence,omitempty" minimum:"0" maximum:"1" doc:"0.0–1.0; absent keeps the last confidence."`
	Status         okr.Status `json:"status,omitempty" enum:"on_track,at_risk,off_track" doc:"Absent keeps the last status."`
}

// untouched reports whether the entry says nothing new.
func (e MultiCheckInEntry) untouched() bool {
	return e.Value == nil && e.MilestonesDone == nil && e.Confidence == nil && e.Status == ""
}

// MultiCheckInInput is a person's weekly check-in: any of the key results
// they may check in, across objectives, with one note and one list of
// blockers shared by every check-in it records.
type MultiCheckInInput struct {
	Entries  []MultiCheckInEntry `json:"entries"`
	Note     string              `json:"note,omitempty" doc:"Markdown."`
	Blockers []okr.Blocker       `json:"blockers,omitempty"`
}

// CheckInMany records the weekly check-in: one check-in per entry that says
// something new, on key results of any objective, in one transaction, and
// rolls every objective touched up to its ancestors in the same
// transaction. It is all-or-nothing: a problem with any entry records none,
// and is reported under "entries[i].value" (or .milestones_done,
// .confidence, .status, .key_result_id) with i the entry's index in
// in.Entries, and the blockers' under "blockers[i].…". Who may check in a
// key result is decided as for CheckIn: its owner, the owner or champion of
// its objective, and admins (errs.Forbidden otherwise); one the actor may
// not see is reported as unknown, and a closed one is errs.Conflict. A retry
// with the same idemKey and input records nothing again and returns the
// first results. The results come in the order of the entries recorded.
func (a *App) CheckInMany(ctx context.Context, actor org.Actor, in MultiCheckInInput, idemKey string) ([]CheckInResult, error) {
	var out []CheckInResult
	if err := requireWrite(actor); err != nil {
		return nil, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		ids, err := idempotent(ctx, tx, actor, idemKey, "check_in.create_many", in, func() (string, error) {
			o, err := tx.GetOrganization(ctx, actor.OrgID)
			if err != nil {
				return "", err
			}
			var f errs.Fields
			blockers := slices.Clone(in.Blockers)
			if err := validateBlockers(ctx, tx, actor.OrgID, blockers, &f); err != nil {
				return "", err
			}
			var batch []batchEntry
			for i, e := range in.Entries {
				if e.untouched() {
					continue
				}
				d := checkInData{keyResultID: e.KeyResultID, value: e.Value, done: e.MilestonesDone, status: e.Status,
					note: in.Note, blockers: blockers, source: sourceOf(actor)}
				if e.Confidence != nil {
					d.confidence = *e.Confidence
				}
				batch = append(batch, batchEntry{field: fmt.Sprintf("entries[%d].", i), data: d, lastConfidence: e.Confidence == nil})
			}
			if len(batch) == 0 {
				f.Add("entries", "nothing to check in: give at least one key result a new value, confidence or status")
				return "", f.Err()
			}
			return checkInBatch(ctx, tx, v, o, batch, func(e *batchEntry) (bool, error) {
				return vetSheetEntry(v, e, &f)
			}, &f)
		})
		if err != nil {
			return err
		}
		out, err = checkInResults(ctx, tx, actor.OrgID, ids)
		return err
	})
	return out, err
}

// vetSheetEntry completes an entry of a weekly check-in from its key
// result's last state (confidence, status) and reports what it lacks; the
// entry still goes through checkInOne, so that every problem of the row is
// reported at once (nothing is kept when f holds one).
func vetSheetEntry(v *access, e *batchEntry, f *errs.Fields) (bool, error) {
	k, _, err := v.keyResult(e.data.keyResultID)
	if errs.Is(err, errs.NotFound) {
		f.Add(e.field+"key_result_id", "no key result %s in this organization", e.data.keyResultID)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if e.lastConfidence {
		if k.Confidence == nil {
			f.Add(e.field+"confidence", "say how confident you are that the target will be reached")
		} else {
			e.data.confidence = *k.Confidence
		}
	}
	if e.data.status == "" {
		e.data.status = k.LastStatus
	}
	switch e.data.status {
	case okr.OnTrack, okr.AtRisk, okr.OffTrack:
	case "":
		f.Add(e.field+"status", "choose on track, at risk or off track")
	default:
		f.Add(e.field+"status", "must be on_track, at_risk or off_track")
	}
	return true, nil
}
