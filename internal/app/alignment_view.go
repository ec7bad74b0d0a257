package app

import (
	"context"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// AlignmentFilter narrows a period's alignment outline; empty fields do not
// filter.
type AlignmentFilter struct {
	// TeamID keeps objectives owned by the team, or by one of its leads or members.
	TeamID string
	// OwnerID keeps objectives a person owns or champions.
	OwnerID string
	// Health keeps objectives of this health.
	Health okr.Health
}

// Active reports whether the filter narrows anything.
func (f AlignmentFilter) Active() bool { return f.TeamID != "" || f.OwnerID != "" || f.Health != "" }

// OutlineObjective is an objective of the alignment outline with what hangs
// under it.
type OutlineObjective struct {
	TreeNode
	// Match is true when the objective passes the filter; false when it is
	// shown only because an objective under it does (context).
	Match bool
	// Depth is 0 for a root.
	Depth      int
	KeyResults []TreeNode
	// Children are the objectives whose primary parent is this objective or
	// one of its key results.
	Children []*OutlineObjective
}

// AlignmentSummary counts the objectives that pass the filter.
type AlignmentSummary struct {
	Objectives int
	// Progress is their mean progress (0 when there are none).
	Progress float64
	// Health counts them by health.
	Health map[okr.Health]int
}

// AlignmentOutline is a period's alignment tree nested for reading: roots in
// the tree's order (organization, teams, people), each with its key results
// and the objectives aligned under it.
type AlignmentOutline struct {
	Period  okr.Period
	Filter  AlignmentFilter
	Roots   []*OutlineObjective
	Summary AlignmentSummary
	// Total is the number of objectives of the period the actor may see,
	// filtered or not.
	Total int
}

// AlignmentOutline returns the alignment tree of a period nested and
// filtered. Objectives that do not match the filter are left out unless an
// objective under them matches; then they stay, marked as context, so that
// the structure still reads. Visibility is applied as in Alignment. An
// unknown team or person in the filter is Invalid.
func (a *App) AlignmentOutline(ctx context.Context, actor org.Actor, periodID string, f AlignmentFilter) (AlignmentOutline, error) {
	out := AlignmentOutline{Filter: f, Summary: AlignmentSummary{Health: map[okr.Health]int{}}}
	var fe errs.Fields
	owners := map[string]bool{}
	if f.TeamID != "" {
		t, err := a.GetTeam(ctx, actor, f.TeamID)
		if errs.Is(err, errs.NotFound) {
			fe.Add("team", "no team %s in this organization", f.TeamID)
		} else if err != nil {
			return out, err
		}
		for _, id := range append(append([]string{}, t.LeadIDs...), t.MemberIDs...) {
			owners[id] = true
		}
	}
	if f.OwnerID != "" {
		if _, err := a.GetUser(ctx, actor, f.OwnerID); errs.Is(err, errs.NotFound) {
			fe.Add("owner", "no member %s in this organization", f.OwnerID)
		} else if err != nil {
			return out, err
		}
	}
	switch f.Health {
	case "", okr.HealthOnTrack, okr.HealthAtRisk, okr.HealthOffTrack, okr.HealthOutdated, okr.HealthPending, okr.HealthClosed:
	default:
		fe.Add("health", "must be on_track, at_risk, off_track, outdated, pending or closed")
	}
	if err := fe.Err(); err != nil {
		return out, err
	}
	tree, err := a.Alignment(ctx, actor, periodID)
	if err != nil {
		return out, err
	}
	out.Period = tree.Period

	matches := func(n TreeNode) bool {
		if f.Health != "" && n.Health != f.Health {
			return false
		}
		if f.OwnerID != "" && (n.Owner == nil || !(n.Owner.Type == okr.OwnerUser && n.Owner.ID == f.OwnerID)) && n.ChampionID != f.OwnerID {
			return false
		}
		if f.TeamID != "" {
			o := n.Owner
			team := o != nil && o.Type == okr.OwnerTeam && o.ID == f.TeamID
			person := o != nil && o.Type == okr.OwnerUser && owners[o.ID]
			if !team && !person {
				return false
			}
		}
		return true
	}

	// Index the objectives and hang key results under theirs.
	byID := map[string]*OutlineObjective{}
	krObjective := map[string]string{} // key result id → objective id
	var order []*OutlineObjective
	for _, n := range tree.Nodes {
		switch n.Type {
		case okr.NodeObjective:
			o := &OutlineObjective{TreeNode: n, Match: matches(n)}
			byID[n.ID] = o
			order = append(order, o)
		case okr.NodeKeyResult:
			if o := byID[n.ParentID]; o != nil {
				o.KeyResults = append(o.KeyResults, n)
				krObjective[n.ID] = o.ID
			}
		}
	}
	out.Total = len(order)
	// parentOf is where an objective hangs: its primary parent objective in
	// this period (through a key result when aligned to one), or nothing.
	parentOf := func(o *OutlineObjective) *OutlineObjective {
		id := o.ParentID
		if owner, ok := krObjective[id]; ok {
			id = owner
		}
		if p := byID[id]; p != nil && p != o {
			return p
		}
		return nil
	}
	// keep: matching objectives and every ancestor of one.
	keep := map[string]bool{}
	for _, o := range order {
		if !o.Match {
			continue
		}
		out.Summary.Objectives++
		out.Summary.Progress += o.Progress
		out.Summary.Health[o.Health]++
		seen := map[string]bool{}
		for p := o; p != nil && !seen[p.ID]; p = parentOf(p) {
			seen[p.ID] = true
			keep[p.ID] = true
		}
	}
	if out.Summary.Objectives > 0 {
		out.Summary.Progress /= float64(out.Summary.Objectives)
	}
	for _, o := range order {
		if !keep[o.ID] {
			continue
		}
		if p := parentOf(o); p != nil && keep[p.ID] && !descends(p, o, parentOf) {
			p.Children = append(p.Children, o)
		} else {
			out.Roots = append(out.Roots, o)
		}
	}
	var depth func(o *OutlineObjective, d int)
	depth = func(o *OutlineObjective, d int) {
		o.Depth = d
		for _, c := range o.Children {
			depth(c, d+1)
		}
	}
	for _, r := range out.Roots {
		depth(r, 0)
	}
	return out, nil
}

// descends reports whether p hangs (at any depth) under o: a guard against
// a cycle, which the use cases never let form.
func descends(p, o *OutlineObjective, parentOf func(*OutlineObjective) *OutlineObjective) bool {
	seen := map[string]bool{}
	for x := p; x != nil && !seen[x.ID]; x = parentOf(x) {
		if x == o {
			return true
		}
		seen[x.ID] = true
	}
	return false
}

// ObjectiveConfidence is an objective's confidence: the weighted mean of the
// last confidence of its key results that have one; nil when none has.
func ObjectiveConfidence(krs []okr.KeyResult) *float64 {
	var sum, weights float64
	for _, k := range krs {
		if k.Confidence == nil || k.Weight <= 0 {
			continue
		}
		sum += *k.Confidence * k.Weight
		weights += k.Weight
	}
	if weights == 0 {
		return nil
	}
	c := sum / weights
	return &c
}
