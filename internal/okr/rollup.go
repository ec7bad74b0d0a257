package okr

import (
	"context"
	"fmt"
	"math"
)

// NodeType is a node of the roll-up graph.
type NodeType string

// Node types.
const (
	NodeObjective NodeType = "objective"
	NodeKeyResult NodeType = "key_result"
)

// Node is an objective or key result whose stored progress may need recomputing.
type Node struct {
	Type NodeType
	ID   string
}

// RollupGraph is what Propagate reads and writes, inside one transaction.
// Methods return errs.NotFound for an id that does not exist.
type RollupGraph interface {
	// ObjectiveInputs returns the progress and weight of the objective's key
	// results and of the child objectives aligned to it with contributes.
	ObjectiveInputs(ctx context.Context, objectiveID string) ([]Weighted, error)
	// KeyResultChildInputs returns the progress and weight of the objectives
	// aligned to the key result with contributes.
	KeyResultChildInputs(ctx context.Context, keyResultID string) ([]Weighted, error)
	// KeyResultRollup returns the key result (kind, baseline, target, source,
	// objective, progress).
	KeyResultRollup(ctx context.Context, keyResultID string) (KeyResult, error)
	// ObjectiveProgress returns the stored progress of an objective and
	// whether it is frozen: closed, or in a closed period.
	ObjectiveProgress(ctx context.Context, objectiveID string) (progress float64, frozen bool, err error)
	// SetObjectiveProgress stores an objective's progress.
	SetObjectiveProgress(ctx context.Context, objectiveID string, progress float64) error
	// SetKeyResultProgress stores a key result's progress and current value.
	SetKeyResultProgress(ctx context.Context, keyResultID string, progress, current float64) error
	// ContributingParents returns the parents an objective contributes to.
	ContributingParents(ctx context.Context, objectiveID string) ([]Node, error)
}

// epsilon below which a recomputed progress counts as unchanged.
const epsilon = 1e-12

// Propagate recomputes the progress of the start nodes (whose inputs
// changed) and, wherever a value changes, of every ancestor, in the graph's
// transaction. Nodes are recomputed from their children's stored values, so
// reading never has to recompute. A key result only rolls up when its source
// is children. Closed objectives, and those of closed periods, are frozen:
// they keep the progress they closed with, and nothing rolls up through them.
func Propagate(ctx context.Context, g RollupGraph, start ...Node) error {
	queue := append([]Node(nil), start...)
	forced := make(map[Node]bool, len(start))
	for _, n := range start {
		forced[n] = true
	}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 1_000_000 {
			return fmt.Errorf("roll-up did not settle: the alignment graph has a cycle")
		}
		n := queue[0]
		queue = queue[1:]
		switch n.Type {
		case NodeObjective:
			old, frozen, err := g.ObjectiveProgress(ctx, n.ID)
			if err != nil {
				return fmt.Errorf("roll-up objective %s: %w", n.ID, err)
			}
			if frozen {
				continue // a closed objective keeps the progress it closed with
			}
			in, err := g.ObjectiveInputs(ctx, n.ID)
			if err != nil {
				return fmt.Errorf("roll-up inputs of objective %s: %w", n.ID, err)
			}
			p := WeightedMean(in)
			changed := math.Abs(old-p) > epsilon
			if changed {
				if err := g.SetObjectiveProgress(ctx, n.ID, p); err != nil {
					return err
				}
			}
			if !changed && !forced[n] {
				continue
			}
			delete(forced, n)
			parents, err := g.ContributingParents(ctx, n.ID)
			if err != nil {
				return fmt.Errorf("roll-up parents of objective %s: %w", n.ID, err)
			}
			queue = append(queue, parents...)
		case NodeKeyResult:
			kr, err := g.KeyResultRollup(ctx, n.ID)
			if err != nil {
				return fmt.Errorf("roll-up key result %s: %w", n.ID, err)
			}
			if kr.Source != SourceChildren {
				// Its own value decides; its objective is recomputed by whoever changed it.
				if forced[n] {
					delete(forced, n)
					queue = append(queue, Node{NodeObjective, kr.ObjectiveID})
				}
				continue
			}
			if _, frozen, err := g.ObjectiveProgress(ctx, kr.ObjectiveID); err != nil {
				return fmt.Errorf("roll-up objective %s: %w", kr.ObjectiveID, err)
			} else if frozen {
				continue
			}
			in, err := g.KeyResultChildInputs(ctx, n.ID)
			if err != nil {
				return fmt.Errorf("roll-up children of key result %s: %w", n.ID, err)
			}
			p := WeightedMean(in)
			changed := math.Abs(kr.Progress-p) > epsilon
			if changed {
				if err := g.SetKeyResultProgress(ctx, n.ID, p, ChildrenValue(kr, p)); err != nil {
					return err
				}
			}
			if changed || forced[n] {
				delete(forced, n)
				queue = append(queue, Node{NodeObjective, kr.ObjectiveID})
			}
		}
	}
	return nil
}

// ParentObjectives returns the objectives directly above an objective: the
// parent objectives it aligns to and the objectives of the key results it
// aligns to, whatever the link.
type ParentObjectives func(ctx context.Context, objectiveID string) ([]string, error)

// WouldCycle reports whether aligning child under parentObjectiveID (the
// parent objective, or the objective of the parent key result) would close a
// cycle: true when child is the parent or one of its ancestors.
func WouldCycle(ctx context.Context, parents ParentObjectives, childID, parentObjectiveID string) (bool, error) {
	seen := map[string]bool{}
	stack := []string{parentObjectiveID}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if id == childID {
			return true, nil
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		up, err := parents(ctx, id)
		if err != nil {
			return false, err
		}
		stack = append(stack, up...)
	}
	return false, nil
}

// Recompute computes every objective's and key result's progress from
// scratch from the key results' own values and the alignments. It is the
// reference the materialized values are tested against. Key results with a
// source other than children keep KRProgress of their current value. It
// knows nothing of frozen (closed) objectives.
func Recompute(objectives []Objective, keyResults []KeyResult, alignments []Alignment) (objProgress, krProgress map[string]float64) {
	objProgress = map[string]float64{}
	krProgress = map[string]float64{}
	objWeight := map[string]float64{}
	for _, o := range objectives {
		objWeight[o.ID] = o.Weight
	}
	krsOf := map[string][]KeyResult{}
	krByID := map[string]KeyResult{}
	for _, kr := range keyResults {
		krsOf[kr.ObjectiveID] = append(krsOf[kr.ObjectiveID], kr)
		krByID[kr.ID] = kr
	}
	childrenOf := map[Node][]string{}
	for _, a := range alignments {
		if a.Link != Contributes {
			continue
		}
		t := NodeObjective
		if a.ParentType == ParentKeyResult {
			t = NodeKeyResult
		}
		childrenOf[Node{t, a.ParentID}] = append(childrenOf[Node{t, a.ParentID}], a.ChildID)
	}
	var objective func(id string) float64
	keyResult := func(kr KeyResult) float64 {
		if p, ok := krProgress[kr.ID]; ok {
			return p
		}
		p := KRProgress(kr)
		if kr.Source == SourceChildren {
			var in []Weighted
			for _, c := range childrenOf[Node{NodeKeyResult, kr.ID}] {
				in = append(in, Weighted{objective(c), objWeight[c]})
			}
			p = WeightedMean(in)
		}
		krProgress[kr.ID] = p
		return p
	}
	objective = func(id string) float64 {
		if p, ok := objProgress[id]; ok {
			return p
		}
		var in []Weighted
		for _, kr := range krsOf[id] {
			in = append(in, Weighted{keyResult(kr), kr.Weight})
		}
		for _, c := range childrenOf[Node{NodeObjective, id}] {
			in = append(in, Weighted{objective(c), objWeight[c]})
		}
		p := WeightedMean(in)
		objProgress[id] = p
		return p
	}
	for _, o := range objectives {
		objective(o.ID)
	}
	for _, kr := range keyResults {
		keyResult(kr)
	}
	return objProgress, krProgress
}
