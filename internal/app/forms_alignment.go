package app

import (
	"context"
	"sort"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// AlignmentChoice is an objective a child may align to, with its key
// results (each may be a parent too).
type AlignmentChoice struct {
	Objective  okr.Objective
	KeyResults []okr.KeyResult
	// SupportsOnly is true when the objective is closed: a child may still
	// support it (or its key results) but no longer contribute to it.
	SupportsOnly bool
}

// AlignmentChoices lists the parents an objective of the period may align
// to: the period's objectives the actor may see, company first, then teams,
// then people, each with its key results. childID names the objective being
// edited (empty for a new one): it and the objectives below it are left out,
// since aligning to them would make a cycle. It returns NotFound for a
// period of another organization.
func (a *App) AlignmentChoices(ctx context.Context, actor org.Actor, periodID, childID string) ([]AlignmentChoice, error) {
	if err := requireRead(actor); err != nil {
		return nil, err
	}
	var out []AlignmentChoice
	err := a.db.Read(ctx, func(tx Tx) error {
		if _, err := tx.GetPeriod(ctx, actor.OrgID, periodID); err != nil {
			return err
		}
		objectives, err := tx.ListObjectives(ctx, actor.OrgID, okr.ObjectiveFilter{PeriodID: periodID})
		if err != nil {
			return err
		}
		krs, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{PeriodID: periodID})
		if err != nil {
			return err
		}
		byObjective := map[string][]okr.KeyResult{}
		objectiveOf := map[string]string{} // key result → objective
		for _, k := range krs {
			byObjective[k.ObjectiveID] = append(byObjective[k.ObjectiveID], k)
			objectiveOf[k.ID] = k.ObjectiveID
		}
		// The objectives directly above each objective of the period, known
		// without a query; others are asked of the store.
		above := map[string][]string{}
		for _, o := range objectives {
			ids := []string{}
			for _, al := range o.Alignments {
				if al.ParentType == okr.ParentKeyResult {
					if p, ok := objectiveOf[al.ParentID]; ok {
						ids = append(ids, p)
						continue
					}
					up, err := tx.ParentObjectiveIDs(ctx, actor.OrgID, o.ID)
					if err != nil {
						return err
					}
					ids = up
					break
				}
				ids = append(ids, al.ParentID)
			}
			above[o.ID] = ids
		}
		parents := func(ctx context.Context, id string) ([]string, error) {
			if ids, ok := above[id]; ok {
				return ids, nil
			}
			return tx.ParentObjectiveIDs(ctx, actor.OrgID, id)
		}
		sort.SliceStable(objectives, func(i, j int) bool {
			oi, oj := objectives[i], objectives[j]
			if ownerOrder[oi.Owner.Type] != ownerOrder[oj.Owner.Type] {
				return ownerOrder[oi.Owner.Type] < ownerOrder[oj.Owner.Type]
			}
			return oi.Title < oj.Title
		})
		v := newAccess(ctx, tx, actor)
		for _, o := range objectives {
			if ok, err := v.canSee(o); err != nil {
				return err
			} else if !ok {
				continue
			}
			if childID != "" {
				cycle, err := okr.WouldCycle(ctx, parents, childID, o.ID)
				if err != nil {
					return err
				}
				if cycle {
					continue
				}
			}
			out = append(out, AlignmentChoice{Objective: o, KeyResults: byObjective[o.ID], SupportsOnly: o.State == okr.Closed})
		}
		return nil
	})
	return out, err
}
