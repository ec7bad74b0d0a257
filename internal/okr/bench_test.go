package okr_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/okrahq/okra/internal/okr"
)

// tree builds a company tree: each objective has three key results and
// fanout child objectives that contribute to it, depth levels deep.
func tree(depth, fanout int) ([]okr.Objective, []okr.KeyResult, []okr.Alignment) {
	var objs []okr.Objective
	var krs []okr.KeyResult
	var als []okr.Alignment
	var grow func(parent string, level int)
	grow = func(parent string, level int) {
		id := fmt.Sprintf("o%d", len(objs))
		objs = append(objs, okr.Objective{ID: id, Weight: 1})
		for i := 0; i < 3; i++ {
			krs = append(krs, okr.KeyResult{ID: fmt.Sprintf("%s-k%d", id, i), ObjectiveID: id, Kind: okr.Increase,
				Baseline: 0, Target: 100, Current: float64(10 * (len(krs) % 10)), Weight: 1, Source: okr.SourceManual})
		}
		if parent != "" {
			als = append(als, okr.Alignment{ChildID: id, ParentType: okr.ParentObjective, ParentID: parent, Link: okr.Contributes})
		}
		if level < depth {
			for i := 0; i < fanout; i++ {
				grow(id, level+1)
			}
		}
	}
	grow("", 1)
	return objs, krs, als
}

// BenchmarkRecompute recomputes a 3,906-objective, 11,718-key-result tree (six levels, fan-out 5) from scratch.
func BenchmarkRecompute(b *testing.B) {
	objs, krs, als := tree(6, 5)
	b.ReportMetric(float64(len(objs)), "objectives")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		okr.Recompute(objs, krs, als)
	}
}

// mapGraph is a RollupGraph over maps, for measuring Propagate itself.
type mapGraph struct {
	objProgress map[string]float64
	objWeight   map[string]float64
	krsOf       map[string][]okr.KeyResult
	children    map[string][]string
	parents     map[string][]okr.Node
}

func newMapGraph(objs []okr.Objective, krs []okr.KeyResult, als []okr.Alignment) *mapGraph {
	g := &mapGraph{objProgress: map[string]float64{}, objWeight: map[string]float64{}, krsOf: map[string][]okr.KeyResult{},
		children: map[string][]string{}, parents: map[string][]okr.Node{}}
	for _, o := range objs {
		g.objWeight[o.ID] = o.Weight
	}
	for _, k := range krs {
		k.Progress = okr.KRProgress(k)
		g.krsOf[k.ObjectiveID] = append(g.krsOf[k.ObjectiveID], k)
	}
	for _, a := range als {
		g.children[a.ParentID] = append(g.children[a.ParentID], a.ChildID)
		g.parents[a.ChildID] = append(g.parents[a.ChildID], okr.Node{Type: okr.NodeObjective, ID: a.ParentID})
	}
	return g
}

func (g *mapGraph) ObjectiveInputs(_ context.Context, id string) ([]okr.Weighted, error) {
	var in []okr.Weighted
	for _, k := range g.krsOf[id] {
		in = append(in, okr.Weighted{Progress: k.Progress, Weight: k.Weight})
	}
	for _, c := range g.children[id] {
		in = append(in, okr.Weighted{Progress: g.objProgress[c], Weight: g.objWeight[c]})
	}
	return in, nil
}
func (g *mapGraph) KeyResultChildInputs(context.Context, string) ([]okr.Weighted, error) {
	return nil, nil
}
func (g *mapGraph) KeyResultRollup(context.Context, string) (okr.KeyResult, error) {
	return okr.KeyResult{}, nil
}
func (g *mapGraph) ObjectiveProgress(_ context.Context, id string) (float64, bool, error) {
	return g.objProgress[id], false, nil
}
func (g *mapGraph) SetObjectiveProgress(_ context.Context, id string, p float64) error {
	g.objProgress[id] = p
	return nil
}
func (g *mapGraph) SetKeyResultProgress(context.Context, string, float64, float64) error { return nil }
func (g *mapGraph) ContributingParents(_ context.Context, id string) ([]okr.Node, error) {
	return g.parents[id], nil
}

// BenchmarkPropagateLeafToRoot rolls one leaf key result's change up six
// levels of objectives, as a check-in on a person's key result does.
func BenchmarkPropagateLeafToRoot(b *testing.B) {
	objs, krs, als := tree(6, 5)
	g := newMapGraph(objs, krs, als)
	leaf := objs[len(objs)-1].ID
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ks := g.krsOf[leaf]
		ks[0].Progress = float64(i%100) / 100
		if err := okr.Propagate(ctx, g, okr.Node{Type: okr.NodeObjective, ID: leaf}); err != nil {
			b.Fatal(err)
		}
	}
}
