package app

import (
	"context"
	"sort"
	"time"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// MyKeyResult is a key result the actor owns in an open objective of an
// active period, with its objective and whether a check-in is due.
type MyKeyResult struct {
	KeyResult okr.KeyResult
	Objective okr.Objective
	// Due: a manual key result with no check-in yet, or none within the
	// organization's cadence.
	Due bool
}

// MyKeyResults lists the key results the actor owns in open objectives of
// active periods: due ones first, then by objective and title.
func (a *App) MyKeyResults(ctx context.Context, actor org.Actor) ([]MyKeyResult, error) {
	if err := requireRead(actor); err != nil {
		return nil, err
	}
	var out []MyKeyResult
	err := a.db.Read(ctx, func(tx Tx) error {
		h, err := loadSignals(ctx, tx, actor.OrgID)
		if err != nil {
			return err
		}
		krs, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{OwnerID: actor.UserID, Limit: 10000})
		if err != nil {
			return err
		}
		v := newAccess(ctx, tx, actor)
		objectives := map[string]okr.Objective{}
		for _, k := range krs {
			o, ok := objectives[k.ObjectiveID]
			if !ok {
				if o, err = v.objective(k.ObjectiveID); err != nil {
					return err
				}
				objectives[k.ObjectiveID] = o
			}
			if o.State == okr.Closed {
				continue
			}
			p, err := h.period(ctx, tx, actor.OrgID, o.PeriodID)
			if err != nil {
				return err
			}
			if p.State != okr.PeriodActive {
				continue
			}
			h.keyResult(&k, o, p)
			out = append(out, MyKeyResult{KeyResult: k, Objective: o, Due: checkInDue(k, h.now, h.cadence(o))})
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Due != out[j].Due {
			return out[i].Due
		}
		if out[i].Objective.Title != out[j].Objective.Title {
			return out[i].Objective.Title < out[j].Objective.Title
		}
		return out[i].KeyResult.Title < out[j].KeyResult.Title
	})
	return out, err
}

// checkInDue reports whether a key result waits for its owner's check-in:
// computed sources check in by themselves.
func checkInDue(k okr.KeyResult, now time.Time, c okr.Cadence) bool {
	if k.Source != okr.SourceManual {
		return false
	}
	return k.LastCheckIn == nil || now.Sub(*k.LastCheckIn) >= time.Duration(c.Days)*24*time.Hour
}
