package app

import (
	"context"
	"sort"
	"time"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// TreeNode is an objective or a key result in a period's alignment tree.
type TreeNode struct {
	Type       okr.NodeType `json:"type" enum:"objective,key_result"`
	ID         string       `json:"id"`
	Title      string       `json:"title"`
	ParentID   string       `json:"parent_id,omitempty" doc:"An objective's first parent (contributing first), or a key result's objective."`
	Link       okr.Link     `json:"link,omitempty" enum:"contributes,supports" doc:"How an objective is linked to its parent; absent on key results."`
	Progress   float64      `json:"progress"`
	Expected   float64      `json:"expected_progress" doc:"The share of the time to its due date that has elapsed."`
	Behind     bool         `json:"behind" doc:"Expected progress exceeds progress by more than the organization's threshold."`
	Health     okr.Health   `json:"health"`
	Confidence *float64     `json:"confidence,omitempty" doc:"A key result's last confidence; for an objective, the weighted mean of its key results' (absent when none has one)."`
	Weight     float64      `json:"weight"`

	// Objectives.
	Owner      *okr.Owner         `json:"owner,omitempty"`
	ChampionID string             `json:"champion_id,omitempty"`
	Kind       string             `json:"kind,omitempty"`
	State      okr.ObjectiveState `json:"state,omitempty"`
	Alignments []okr.Alignment    `json:"alignments,omitempty"`
	Visibility okr.Visibility     `json:"visibility,omitempty" doc:"Who may see an objective: public, team or private."`

	// Key results.
	OwnerID  string        `json:"owner_id,omitempty"`
	Current  *float64      `json:"current,omitempty"`
	Target   *float64      `json:"target,omitempty"`
	Unit     okr.Unit      `json:"unit,omitempty"`
	Source   okr.Source    `json:"source,omitempty"`
	Forecast *okr.Forecast `json:"forecast,omitempty"`
	// What a key result's value means, to show it in its unit.
	KRKind      okr.KRKind `json:"kr_kind,omitempty" doc:"How a key result is measured: increase, decrease, maintain, milestone or boolean."`
	UnitLabel   string     `json:"unit_label,omitempty"`
	Currency    string     `json:"currency,omitempty"`
	DueDate     okr.Date   `json:"due_date,omitempty"`
	LastCheckIn *time.Time `json:"last_check_in_at,omitempty"`
}

// Tree is a period's alignment tree: objectives from the company down to
// teams and people, each followed by its key results.
type Tree struct {
	Period okr.Period `json:"period"`
	Nodes  []TreeNode `json:"nodes"`
}

var ownerOrder = map[okr.OwnerType]int{okr.OwnerOrg: 0, okr.OwnerTeam: 1, okr.OwnerUser: 2}

// Alignment returns the alignment tree of a period as the actor may see it.
// It reads the materialized progress and never recomputes it.
func (a *App) Alignment(ctx context.Context, actor org.Actor, periodID string) (Tree, error) {
	var t Tree
	if err := requireRead(actor); err != nil {
		return t, err
	}
	done, err := a.wholePeriod(ctx)
	if err != nil {
		return t, err
	}
	defer done()
	err = a.db.Read(ctx, func(tx Tx) error {
		p, err := tx.GetPeriod(ctx, actor.OrgID, periodID)
		if err != nil {
			return err
		}
		t.Period = p
		h, err := loadSignals(ctx, tx, actor.OrgID)
		if err != nil {
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
		byObjective := make(map[string][]okr.KeyResult, len(objectives))
		for _, k := range krs {
			byObjective[k.ObjectiveID] = append(byObjective[k.ObjectiveID], k)
		}
		sort.SliceStable(objectives, func(i, j int) bool {
			oi, oj := objectives[i], objectives[j]
			if ownerOrder[oi.Owner.Type] != ownerOrder[oj.Owner.Type] {
				return ownerOrder[oi.Owner.Type] < ownerOrder[oj.Owner.Type]
			}
			return oi.Title < oj.Title
		})
		v := newAccess(ctx, tx, actor)
		t.Nodes = make([]TreeNode, 0, len(objectives)+len(krs))
		// Who may see what in this period, known up front so that parents
		// in the period need no lookup.
		v.parentSeen = map[string]bool{}
		for _, o := range objectives {
			ok, err := v.canSee(o)
			if err != nil {
				return err
			}
			v.parentSeen[o.ID] = ok
			for _, k := range byObjective[o.ID] {
				v.parentSeen[k.ID] = ok
			}
		}
		for i := range objectives {
			o := &objectives[i]
			if !v.parentSeen[o.ID] {
				continue
			}
			ks := byObjective[o.ID]
			if _, err := a.decorateObjective(ctx, tx, v, h, o, ks); err != nil {
				return err
			}
			owner := o.Owner
			n := TreeNode{Type: okr.NodeObjective, ID: o.ID, Title: o.Title, Progress: o.Progress, Expected: o.Expected, Behind: o.Behind, Health: o.Health,
				Weight: o.Weight, Owner: &owner, ChampionID: o.ChampionID, Kind: string(o.Kind), State: o.State, Alignments: o.Alignments,
				Visibility: o.Visibility, Confidence: ObjectiveConfidence(ks)}
			if parent := primaryParent(o.Alignments); parent != nil {
				n.ParentID, n.Link = parent.ParentID, parent.Link
			}
			t.Nodes = append(t.Nodes, n)
			for _, k := range ks {
				current, target := k.Current, k.Target
				t.Nodes = append(t.Nodes, TreeNode{Type: okr.NodeKeyResult, ID: k.ID, Title: k.Title, ParentID: o.ID,
					Progress: k.Progress, Expected: k.Expected, Behind: k.Behind, Health: k.Health, Confidence: k.Confidence, Weight: k.Weight, OwnerID: k.OwnerID,
					Current: &current, Target: &target, Unit: k.Unit, Source: k.Source, Forecast: k.Forecast,
					KRKind: k.Kind, UnitLabel: k.UnitLabel, Currency: k.Currency, DueDate: k.DueDate, LastCheckIn: k.LastCheckIn})
			}
		}
		return nil
	})
	return t, err
}

// primaryParent is where an objective hangs in the tree: its first
// contributing alignment, else its first alignment.
func primaryParent(as []okr.Alignment) *okr.Alignment {
	for i := range as {
		if as[i].Link == okr.Contributes {
			return &as[i]
		}
	}
	if len(as) > 0 {
		return &as[0]
	}
	return nil
}
