package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// CheckInInput records a key result's new value and how it stands.
type CheckInInput struct {
	Value          *float64      `json:"value,omitempty" doc:"The new value; absent keeps the current one. For boolean: 0 or 1."`
	MilestonesDone []string      `json:"milestones_done,omitempty" doc:"For milestone key results: the ids of every milestone done now."`
	Confidence     float64       `json:"confidence" minimum:"0" maximum:"1" doc:"0.0–1.0: how likely the target is reached."`
	Status         okr.Status    `json:"status" enum:"on_track,at_risk,off_track"`
	Note           string        `json:"note,omitempty" doc:"Markdown."`
	Blockers       []okr.Blocker `json:"blockers,omitempty"`
}

// CheckInEntry is one key result's part of an objective check-in.
type CheckInEntry struct {
	KeyResultID    string   `json:"key_result_id"`
	Value          *float64 `json:"value,omitempty"`
	MilestonesDone []string `json:"milestones_done,omitempty"`
	Confidence     float64  `json:"confidence" minimum:"0" maximum:"1"`
}

// ObjectiveCheckInInput checks in every key result of an objective at once.
type ObjectiveCheckInInput struct {
	Entries  []CheckInEntry `json:"entries"`
	Status   okr.Status     `json:"status" enum:"on_track,at_risk,off_track"`
	Note     string         `json:"note,omitempty"`
	Blockers []okr.Blocker  `json:"blockers,omitempty"`
}

// CheckInResult is a recorded check-in with the warnings it deserves.
type CheckInResult struct {
	okr.CheckIn
	Warnings []string `json:"warnings,omitempty"`
}

var blockerTypes = []okr.BlockerType{okr.BlockerResource, okr.BlockerDependency, okr.BlockerClarity, okr.BlockerPriorityConflict,
	okr.BlockerExternal, okr.BlockerApproachNotWorking, okr.BlockerOther}

func validateBlockers(ctx context.Context, tx Tx, orgID string, bs []okr.Blocker, f *errs.Fields) error {
	for i := range bs {
		b := &bs[i]
		field := fmt.Sprintf("blockers[%d]", i)
		if !slices.Contains(blockerTypes, b.Type) {
			f.Add(field+".type", "must be one of resource, dependency, clarity, priority_conflict, external, approach_not_working, other")
		}
		b.Description = strings.TrimSpace(b.Description)
		if b.Description == "" {
			f.Add(field+".description", "say what is in the way")
		}
		if b.DueDate != "" && !b.DueDate.Valid() {
			f.Add(field+".due_date", "must be a date like 2027-03-31")
		}
		if b.OwnerID != "" {
			if _, err := tx.GetMember(ctx, orgID, b.OwnerID); errs.Is(err, errs.NotFound) {
				f.Add(field+".owner_id", "no member %s in this organization", b.OwnerID)
			} else if err != nil {
				return err
			}
		}
	}
	return nil
}

// checkInData is one key result's check-in as the use cases gather it.
type checkInData struct {
	keyResultID string
	value       *float64
	done        []string // milestone ids done, for milestone key results
	confidence  float64
	status      okr.Status
	note        string
	blockers    []okr.Blocker
	source      okr.Source
}

// checkInOne validates and records one key result's check-in inside tx:
// the check-in row, the key result's new value, progress, confidence,
// status and forecast, and the objective's last check-in time. Problems with
// the input go to f under the field prefix, and then nothing is written and
// the results are nil. The caller rolls the objective up.
func checkInOne(ctx context.Context, tx Tx, v *access, o org.Organization, d checkInData, field string, f *errs.Fields) (*okr.CheckIn, *okr.KeyResult, error) {
	k, _, _, err := v.editableKeyResult(d.keyResultID)
	if err != nil {
		return nil, nil, err
	}
	before := k
	var mine errs.Fields
	if !finite(d.confidence) || d.confidence < 0 || d.confidence > 1 {
		mine.Add(field+"confidence", "must be between 0.0 and 1.0")
	}
	switch {
	case k.Source == okr.SourceChildren && d.value != nil:
		mine.Add(field+"value", "this key result takes its value from the objectives aligned to it; check in confidence and status only")
	case k.Source == okr.SourceLearning && d.value != nil:
		mine.Add(field+"value", "this key result takes its value from learning records; check in confidence and status only")
	case k.Source == okr.SourceKPI && d.value != nil:
		mine.Add(field+"value", "this key result takes its value from its KPI's latest record; record the KPI's value, or check in confidence and status only")
	case k.Kind == okr.Milestone:
		if d.value != nil {
			mine.Add(field+"value", "a milestone key result is checked in with milestones_done")
		}
		if d.done != nil {
			k.Milestones = slices.Clone(k.Milestones)
			for i := range k.Milestones {
				k.Milestones[i].Done = slices.Contains(d.done, k.Milestones[i].ID)
			}
			for _, id := range d.done {
				if !slices.ContainsFunc(k.Milestones, func(m okr.MilestoneItem) bool { return m.ID == id }) {
					mine.Add(field+"milestones_done", "no milestone %s on this key result", id)
				}
			}
		}
	case d.value != nil:
		if !finite(*d.value) {
			mine.Add(field+"value", "must be a finite number")
		} else if k.Kind == okr.Boolean && *d.value != 0 && *d.value != 1 {
			mine.Add(field+"value", "a boolean key result is 0 (not yet) or 1 (done)")
		} else {
			k.Current = *d.value
		}
	}
	if len(mine) > 0 {
		*f = append(*f, mine...)
		return nil, nil, nil
	}
	settle(&k)
	at := tx.Now()
	c := &okr.CheckIn{ID: NewID(), OrgID: k.OrgID, KeyResultID: k.ID, ObjectiveID: k.ObjectiveID, Value: k.Current,
		PreviousValue: before.Current, MilestonesDone: d.done, Confidence: d.confidence, Status: d.status, Note: d.note,
		Blockers: d.blockers, AuthorID: v.actor.UserID, Source: d.source}
	if err := tx.InsertCheckIn(ctx, c); err != nil {
		return nil, nil, err
	}
	confidence := d.confidence
	k.Confidence, k.LastStatus, k.LastCheckIn = &confidence, d.status, &at
	if err := refreshForecast(ctx, tx, o, &k); err != nil {
		return nil, nil, err
	}
	if err := tx.UpdateKeyResult(ctx, &k, before.Version); err != nil {
		return nil, nil, err
	}
	if err := tx.TouchObjectiveCheckIn(ctx, k.OrgID, k.ObjectiveID); err != nil {
		return nil, nil, err
	}
	if err := afterCheckIn(ctx, tx, v.actor, before, k, c); err != nil {
		return nil, nil, err
	}
	return c, &k, nil
}

func checkInWarnings(confidence float64, blockers []okr.Blocker) []string {
	if okr.ConfidenceBand(confidence) == "low" && len(blockers) == 0 {
		return []string{"confidence is low but no blocker is named: what stands in the way? Add a blocker so that someone can help."}
	}
	return nil
}

func validStatus(s okr.Status, f *errs.Fields) {
	switch s {
	case okr.OnTrack, okr.AtRisk, okr.OffTrack:
	default:
		f.Add("status", "must be on_track, at_risk or off_track")
	}
}

// CheckIn records a check-in on a key result and rolls its progress up to
// every ancestor in the same transaction. Check-ins are never edited.
func (a *App) CheckIn(ctx context.Context, actor org.Actor, keyResultID string, in CheckInInput, idemKey string) (CheckInResult, error) {
	var res CheckInResult
	if err := requireWrite(actor); err != nil {
		return res, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		id, err := idempotent(ctx, tx, actor, idemKey, "check_in.create:"+keyResultID, in, func() (string, error) {
			o, err := tx.GetOrganization(ctx, actor.OrgID)
			if err != nil {
				return "", err
			}
			var f errs.Fields
			validStatus(in.Status, &f)
			blockers := slices.Clone(in.Blockers)
			if err := validateBlockers(ctx, tx, actor.OrgID, blockers, &f); err != nil {
				return "", err
			}
			c, k, err := checkInOne(ctx, tx, v, o, checkInData{keyResultID: keyResultID, value: in.Value, done: in.MilestonesDone,
				confidence: in.Confidence, status: in.Status, note: in.Note, blockers: blockers, source: sourceOf(actor)}, "", &f)
			if err != nil {
				return "", err
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			if err := okr.Propagate(ctx, tx.Rollup(actor.OrgID), okr.Node{Type: okr.NodeObjective, ID: k.ObjectiveID}); err != nil {
				return "", err
			}
			return c.ID, record(ctx, tx, actor, "check_in.create", "check_in", c.ID, nil, c)
		})
		if err != nil {
			return err
		}
		c, err := tx.GetCheckIn(ctx, actor.OrgID, id)
		res = CheckInResult{CheckIn: c, Warnings: checkInWarnings(c.Confidence, c.Blockers)}
		return err
	})
	return res, err
}

// sourceOf says where a check-in comes from: API tokens record "api".
func sourceOf(actor org.Actor) okr.Source {
	if actor.Session {
		return okr.SourceManual
	}
	return okr.SourceAPI
}

// CheckInObjective records one check-in per listed key result of an
// objective, with one status, note and blockers, in one transaction.
func (a *App) CheckInObjective(ctx context.Context, actor org.Actor, objectiveID string, in ObjectiveCheckInInput, idemKey string) ([]CheckInResult, error) {
	var out []CheckInResult
	if err := requireWrite(actor); err != nil {
		return nil, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		ids, err := idempotent(ctx, tx, actor, idemKey, "objective_check_in.create:"+objectiveID, in, func() (string, error) {
			if _, err := v.objective(objectiveID); err != nil {
				return "", err
			}
			o, err := tx.GetOrganization(ctx, actor.OrgID)
			if err != nil {
				return "", err
			}
			var f errs.Fields
			validStatus(in.Status, &f)
			if len(in.Entries) == 0 {
				f.Add("entries", "give at least one key result's value")
			}
			blockers := slices.Clone(in.Blockers)
			if err := validateBlockers(ctx, tx, actor.OrgID, blockers, &f); err != nil {
				return "", err
			}
			batch := make([]batchEntry, len(in.Entries))
			for i, e := range in.Entries {
				batch[i] = batchEntry{field: fmt.Sprintf("entries[%d].", i), data: checkInData{keyResultID: e.KeyResultID,
					value: e.Value, done: e.MilestonesDone, confidence: e.Confidence, status: in.Status, note: in.Note,
					blockers: blockers, source: sourceOf(actor)}}
			}
			return checkInBatch(ctx, tx, v, o, batch, func(e *batchEntry) (bool, error) {
				k, err := tx.GetKeyResult(ctx, actor.OrgID, e.data.keyResultID)
				if errs.Is(err, errs.NotFound) || (err == nil && k.ObjectiveID != objectiveID) {
					f.Add(e.field+"key_result_id", "no key result %s on this objective", e.data.keyResultID)
					return false, nil
				}
				return err == nil, err
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

// batchEntry is one key result's check-in in a batch, with the prefix its
// problems are reported under ("entries[2].").
type batchEntry struct {
	field string
	data  checkInData
	// lastConfidence: the entry gives no confidence and keeps the key
	// result's last one (a weekly check-in's choice; see CheckInMany).
	lastConfidence bool
}

// checkInBatch records a batch of check-ins inside tx, each through
// checkInOne, with an audit event and an outgoing event each, and rolls every
// objective they touch up together. A key result listed twice and every
// problem with an entry go to f; then nothing is rolled up and the caller
// returns f.Err(), whose rollback undoes the rows written: a batch is
// all-or-nothing. vet, called on each entry first, may complete it; false
// leaves it out (having said why in f). The result is the check-ins' ids
// joined by commas, for idempotent.
func checkInBatch(ctx context.Context, tx Tx, v *access, o org.Organization, batch []batchEntry,
	vet func(e *batchEntry) (bool, error), f *errs.Fields) (string, error) {
	var ids []string
	var touched []okr.Node
	seen := map[string]bool{}
	for i := range batch {
		e := &batch[i]
		if seen[e.data.keyResultID] {
			f.Add(e.field+"key_result_id", "is listed twice")
			continue
		}
		seen[e.data.keyResultID] = true
		if ok, err := vet(e); err != nil || !ok {
			if err != nil {
				return "", err
			}
			continue
		}
		c, _, err := checkInOne(ctx, tx, v, o, e.data, e.field, f)
		if err != nil {
			return "", err
		}
		if c == nil {
			continue
		}
		ids = append(ids, c.ID)
		if err := record(ctx, tx, v.actor, "check_in.create", "check_in", c.ID, nil, c); err != nil {
			return "", err
		}
		node := okr.Node{Type: okr.NodeObjective, ID: c.ObjectiveID}
		if !slices.Contains(touched, node) {
			touched = append(touched, node)
		}
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	if err := okr.Propagate(ctx, tx.Rollup(v.actor.OrgID), touched...); err != nil {
		return "", err
	}
	return strings.Join(ids, ","), nil
}

// checkInResults loads the check-ins of a batch (ids joined by commas) with
// the warnings each deserves.
func checkInResults(ctx context.Context, tx Tx, orgID, ids string) ([]CheckInResult, error) {
	var out []CheckInResult
	for _, id := range strings.Split(ids, ",") {
		c, err := tx.GetCheckIn(ctx, orgID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, CheckInResult{CheckIn: c, Warnings: checkInWarnings(c.Confidence, c.Blockers)})
	}
	return out, nil
}

// ListCheckIns returns a key result's check-ins, newest first.
func (a *App) ListCheckIns(ctx context.Context, actor org.Actor, keyResultID string, p PageRequest) (Page[okr.CheckIn], error) {
	return readPage(ctx, a, actor, p, func(c okr.CheckIn) string { return c.ID },
		func(tx Tx, before string, limit int) ([]okr.CheckIn, error) {
			if _, _, err := newAccess(ctx, tx, actor).keyResult(keyResultID); err != nil {
				return nil, err
			}
			return tx.ListCheckIns(ctx, actor.OrgID, keyResultID, before, limit)
		}, nil)
}

// GetCheckIn returns one check-in on a key result the actor may see.
func (a *App) GetCheckIn(ctx context.Context, actor org.Actor, id string) (okr.CheckIn, error) {
	var c okr.CheckIn
	if err := requireRead(actor); err != nil {
		return c, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		c, err = tx.GetCheckIn(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		_, _, err = newAccess(ctx, tx, actor).keyResult(c.KeyResultID)
		return err
	})
	return c, err
}
