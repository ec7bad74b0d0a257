package okr_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

// memGraph is an in-memory okr.RollupGraph over objectives, key results and
// alignments, kept in slices so that every run visits them in the same order.
type memGraph struct {
	objs   []*okr.Objective
	krs    []*okr.KeyResult
	aligns []okr.Alignment
	// writes records every node Propagate stored a value for, in order.
	writes []okr.Node
	nextID int
}

var _ okr.RollupGraph = (*memGraph)(nil)

func (g *memGraph) obj(id string) *okr.Objective {
	for _, o := range g.objs {
		if o.ID == id {
			return o
		}
	}
	return nil
}

func (g *memGraph) kr(id string) *okr.KeyResult {
	for _, k := range g.krs {
		if k.ID == id {
			return k
		}
	}
	return nil
}

func (g *memGraph) id(prefix string) string {
	g.nextID++
	return fmt.Sprintf("%s%d", prefix, g.nextID)
}

func (g *memGraph) ObjectiveInputs(_ context.Context, id string) ([]okr.Weighted, error) {
	if g.obj(id) == nil {
		return nil, errs.NotFoundf("objective %s not found", id)
	}
	var in []okr.Weighted
	for _, k := range g.krs {
		if k.ObjectiveID == id {
			in = append(in, okr.Weighted{Progress: k.Progress, Weight: k.Weight})
		}
	}
	for _, a := range g.aligns {
		if a.ParentType == okr.ParentObjective && a.ParentID == id && a.Link == okr.Contributes {
			c := g.obj(a.ChildID)
			in = append(in, okr.Weighted{Progress: c.Progress, Weight: c.Weight})
		}
	}
	return in, nil
}

func (g *memGraph) KeyResultChildInputs(_ context.Context, id string) ([]okr.Weighted, error) {
	if g.kr(id) == nil {
		return nil, errs.NotFoundf("key result %s not found", id)
	}
	var in []okr.Weighted
	for _, a := range g.aligns {
		if a.ParentType == okr.ParentKeyResult && a.ParentID == id && a.Link == okr.Contributes {
			c := g.obj(a.ChildID)
			in = append(in, okr.Weighted{Progress: c.Progress, Weight: c.Weight})
		}
	}
	return in, nil
}

func (g *memGraph) KeyResultRollup(_ context.Context, id string) (okr.KeyResult, error) {
	k := g.kr(id)
	if k == nil {
		return okr.KeyResult{}, errs.NotFoundf("key result %s not found", id)
	}
	return *k, nil
}

func (g *memGraph) ObjectiveProgress(_ context.Context, id string) (float64, bool, error) {
	o := g.obj(id)
	if o == nil {
		return 0, false, errs.NotFoundf("objective %s not found", id)
	}
	return o.Progress, o.State == okr.Closed, nil
}

func (g *memGraph) SetObjectiveProgress(_ context.Context, id string, p float64) error {
	o := g.obj(id)
	if o == nil {
		return errs.NotFoundf("objective %s not found", id)
	}
	o.Progress = p
	g.writes = append(g.writes, okr.Node{Type: okr.NodeObjective, ID: id})
	return nil
}

func (g *memGraph) SetKeyResultProgress(_ context.Context, id string, p, current float64) error {
	k := g.kr(id)
	if k == nil {
		return errs.NotFoundf("key result %s not found", id)
	}
	k.Progress, k.Current = p, current
	g.writes = append(g.writes, okr.Node{Type: okr.NodeKeyResult, ID: id})
	return nil
}

func (g *memGraph) ContributingParents(_ context.Context, id string) ([]okr.Node, error) {
	if g.obj(id) == nil {
		return nil, errs.NotFoundf("objective %s not found", id)
	}
	var up []okr.Node
	for _, a := range g.aligns {
		if a.ChildID == id && a.Link == okr.Contributes {
			up = append(up, parentNode(a))
		}
	}
	return up, nil
}

// parents is the okr.ParentObjectives of the graph: whatever the link.
func (g *memGraph) parents(_ context.Context, id string) ([]string, error) {
	var up []string
	for _, a := range g.aligns {
		if a.ChildID != id {
			continue
		}
		up = append(up, g.parentObjective(a))
	}
	return up, nil
}

// parentObjective is the objective an alignment points at, directly or through its key result.
func (g *memGraph) parentObjective(a okr.Alignment) string {
	if a.ParentType == okr.ParentKeyResult {
		return g.kr(a.ParentID).ObjectiveID
	}
	return a.ParentID
}

func parentNode(a okr.Alignment) okr.Node {
	if a.ParentType == okr.ParentKeyResult {
		return okr.Node{Type: okr.NodeKeyResult, ID: a.ParentID}
	}
	return okr.Node{Type: okr.NodeObjective, ID: a.ParentID}
}

// recompute runs okr.Recompute over the graph's current contents.
func (g *memGraph) recompute() (objP, krP map[string]float64) {
	objs := make([]okr.Objective, len(g.objs))
	for i, o := range g.objs {
		objs[i] = *o
	}
	krs := make([]okr.KeyResult, len(g.krs))
	for i, k := range g.krs {
		krs[i] = *k
	}
	return okr.Recompute(objs, krs, slices.Clone(g.aligns))
}

// mismatches lists every stored progress that differs from a recomputation from scratch.
func (g *memGraph) mismatches() []string {
	objP, krP := g.recompute()
	var bad []string
	for _, o := range g.objs {
		if !near(o.Progress, objP[o.ID]) {
			bad = append(bad, fmt.Sprintf("objective %s: stored %v, recomputed %v", o.ID, o.Progress, objP[o.ID]))
		}
	}
	for _, k := range g.krs {
		if !near(k.Progress, krP[k.ID]) {
			bad = append(bad, fmt.Sprintf("key result %s (%s): stored %v, recomputed %v", k.ID, k.Source, k.Progress, krP[k.ID]))
		}
		// A rolled-up key result shows the value its progress implies.
		if k.Source == okr.SourceChildren && !near(okr.KRProgress(*k), k.Progress) {
			bad = append(bad, fmt.Sprintf("key result %s: current %v implies %v, progress %v", k.ID, k.Current, okr.KRProgress(*k), k.Progress))
		}
	}
	return bad
}

func objNode(id string) okr.Node { return okr.Node{Type: okr.NodeObjective, ID: id} }
func krNode(id string) okr.Node  { return okr.Node{Type: okr.NodeKeyResult, ID: id} }

// TestPropagateHandWorked checks a small tree value by value.
//
//	C  company objective (w1)
//	├─ c1  increase 0→100, current 50 (w1)                      0.5
//	├─ c2  source children, increase 0→10 (w3)
//	│   ├─ F contributes (w1)
//	│   │   ├─ f1  decrease 100→0, current 25 (w1)             0.75
//	│   │   └─ H contributes (w1)
//	│   │       └─ h1  increase 0→10, current 2 (w1)            0.2
//	│   └─ G contributes (w3)
//	│       ├─ g1  milestones 1 done, 1 open (w2)               0.5
//	│       └─ g2  increase 0→4, current 1 (w2)                 0.25
//	├─ T contributes (w2)
//	│   ├─ t1  increase 0→10, current 4 (w1)                    0.4
//	│   └─ t2  boolean, current 1 (w1)                          1
//	└─ S supports (w5), not counted
//	    └─ s1  increase 0→10, current 10 (w1)                   1
func TestPropagateHandWorked(t *testing.T) {
	ctx := context.Background()
	g := &memGraph{}
	for _, o := range []struct {
		id string
		w  float64
	}{{"C", 1}, {"T", 2}, {"S", 5}, {"F", 1}, {"G", 3}, {"H", 1}} {
		g.objs = append(g.objs, &okr.Objective{ID: o.id, Weight: o.w})
	}
	inc := func(id, obj string, target, current, w float64) *okr.KeyResult {
		return &okr.KeyResult{ID: id, ObjectiveID: obj, Kind: okr.Increase, Target: target, Current: current, Weight: w, Source: okr.SourceManual}
	}
	g.krs = []*okr.KeyResult{
		inc("c1", "C", 100, 50, 1),
		{ID: "c2", ObjectiveID: "C", Kind: okr.Increase, Target: 10, Weight: 3, Source: okr.SourceChildren},
		inc("t1", "T", 10, 4, 1),
		{ID: "t2", ObjectiveID: "T", Kind: okr.Boolean, Current: 1, Weight: 1, Source: okr.SourceManual},
		inc("s1", "S", 10, 10, 1),
		{ID: "f1", ObjectiveID: "F", Kind: okr.Decrease, Baseline: 100, Target: 0, Current: 25, Weight: 1, Source: okr.SourceManual},
		{ID: "g1", ObjectiveID: "G", Kind: okr.Milestone, Weight: 2, Source: okr.SourceManual,
			Milestones: []okr.MilestoneItem{{ID: "m1", Weight: 1, Done: true}, {ID: "m2", Weight: 1}}},
		inc("g2", "G", 4, 1, 2),
		inc("h1", "H", 10, 2, 1),
	}
	g.aligns = []okr.Alignment{
		{ID: "a1", ChildID: "T", ParentType: okr.ParentObjective, ParentID: "C", Link: okr.Contributes},
		{ID: "a2", ChildID: "S", ParentType: okr.ParentObjective, ParentID: "C", Link: okr.Supports},
		{ID: "a3", ChildID: "F", ParentType: okr.ParentKeyResult, ParentID: "c2", Link: okr.Contributes},
		{ID: "a4", ChildID: "G", ParentType: okr.ParentKeyResult, ParentID: "c2", Link: okr.Contributes},
		{ID: "a5", ChildID: "H", ParentType: okr.ParentObjective, ParentID: "F", Link: okr.Contributes},
	}

	// Before: the hand-worked values, which Recompute must agree with.
	before := map[okr.Node]float64{
		krNode("c1"): 0.5, krNode("t1"): 0.4, krNode("t2"): 1, krNode("s1"): 1,
		krNode("f1"): 0.75, krNode("g1"): 0.5, krNode("g2"): 0.25, krNode("h1"): 0.2,
		objNode("H"): 0.2,     // h1
		objNode("F"): 0.475,   // (0.75×1 + 0.2×1) / 2
		objNode("G"): 0.375,   // (0.5×2 + 0.25×2) / 4
		krNode("c2"): 0.4,     // (F 0.475×1 + G 0.375×3) / 4 = 1.6/4
		objNode("T"): 0.7,     // (0.4 + 1) / 2
		objNode("S"): 1,       // s1
		objNode("C"): 3.1 / 6, // (c1 0.5×1 + c2 0.4×3 + T 0.7×2) / (1+3+2); S supports only
	}
	objP, krP := g.recompute()
	for n, want := range before {
		got := objP[n.ID]
		if n.Type == okr.NodeKeyResult {
			got = krP[n.ID]
		}
		if !near(got, want) {
			t.Errorf("Recompute %s %s = %v, want %v", n.Type, n.ID, got, want)
		}
	}
	// Materialize them as the store would hold them.
	for n, v := range before {
		if n.Type == okr.NodeObjective {
			g.obj(n.ID).Progress = v
		} else {
			g.kr(n.ID).Progress = v
		}
	}
	g.kr("c2").Current = 4 // 0 + 0.4×10

	assertStored := func(t *testing.T, want map[okr.Node]float64) {
		t.Helper()
		for n, w := range want {
			var got float64
			if n.Type == okr.NodeObjective {
				got = g.obj(n.ID).Progress
			} else {
				got = g.kr(n.ID).Progress
			}
			if !near(got, w) {
				t.Errorf("%s %s progress = %v, want %v", n.Type, n.ID, got, w)
			}
		}
		if len(want) != len(g.objs)+len(g.krs) {
			t.Fatalf("want lists %d nodes, the graph has %d", len(want), len(g.objs)+len(g.krs))
		}
		if bad := g.mismatches(); len(bad) > 0 {
			t.Errorf("stored values differ from Recompute:\n%s", strings.Join(bad, "\n"))
		}
	}
	assertStored(t, before)

	// Step 1: h1 goes from 2 to 8; the caller stores its progress and propagates from H.
	h1 := g.kr("h1")
	h1.Current = 8
	h1.Progress = okr.KRProgress(*h1) // 8/10
	g.writes = nil
	if err := okr.Propagate(ctx, g, objNode("H")); err != nil {
		t.Fatal(err)
	}
	after := map[okr.Node]float64{}
	for n, v := range before {
		after[n] = v
	}
	after[krNode("h1")] = 0.8
	after[objNode("H")] = 0.8       // h1
	after[objNode("F")] = 0.775     // (0.75 + 0.8) / 2
	after[krNode("c2")] = 0.475     // (0.775×1 + 0.375×3) / 4 = 1.9/4
	after[objNode("C")] = 3.325 / 6 // (0.5×1 + 0.475×3 + 0.7×2) / 6 = (0.5 + 1.425 + 1.4)/6
	assertStored(t, after)
	if got := g.kr("c2").Current; !near(got, 4.75) { // 0 + 0.475×10
		t.Errorf("c2 current = %v, want 4.75", got)
	}
	// Only the path up from H is written, each node once: G, T and S are untouched.
	wantWrites := []okr.Node{objNode("H"), objNode("F"), krNode("c2"), objNode("C")}
	if !slices.Equal(g.writes, wantWrites) {
		t.Errorf("writes = %v, want %v", g.writes, wantWrites)
	}

	// Step 2: S turns from supports to contributes; propagate from C.
	g.aligns[1].Link = okr.Contributes
	if err := okr.Propagate(ctx, g, objNode("C")); err != nil {
		t.Fatal(err)
	}
	after[objNode("C")] = 8.325 / 11 // (0.5×1 + 0.475×3 + 0.7×2 + 1×5) / (1+3+2+5)
	assertStored(t, after)

	// Step 3: T's weight drops to 0 and no longer counts; propagate from T's contributing parents.
	g.obj("T").Weight = 0
	up, err := g.ContributingParents(ctx, "T")
	if err != nil {
		t.Fatal(err)
	}
	if err := okr.Propagate(ctx, g, up...); err != nil {
		t.Fatal(err)
	}
	after[objNode("C")] = 6.925 / 9 // (0.5×1 + 0.475×3 + 1×5) / (1+3+5)
	assertStored(t, after)

	// Step 4: T's weight goes back to 2; propagate from T itself, whose own progress does not
	// change: its parents must be recomputed all the same.
	g.obj("T").Weight = 2
	if err := okr.Propagate(ctx, g, objNode("T")); err != nil {
		t.Fatal(err)
	}
	after[objNode("C")] = 8.325 / 11 // as after step 2
	assertStored(t, after)

	// Step 5: c2 stops rolling up (source manual, current 4.75 kept), G's progress changes:
	// nothing above G moves any more. g2 goes to 4 of 4.
	g.kr("c2").Source = okr.SourceManual
	g2 := g.kr("g2")
	g2.Current = 4
	g2.Progress = okr.KRProgress(*g2) // 1
	g.writes = nil
	if err := okr.Propagate(ctx, g, krNode("g2")); err != nil {
		t.Fatal(err)
	}
	after[krNode("g2")] = 1
	after[objNode("G")] = 0.75 // (0.5×2 + 1×2) / 4
	assertStored(t, after)
	if want := []okr.Node{objNode("G")}; !slices.Equal(g.writes, want) {
		t.Errorf("writes = %v, want %v", g.writes, want)
	}
}

func TestPropagateNotFound(t *testing.T) {
	g := &memGraph{}
	err := okr.Propagate(context.Background(), g, objNode("nope"))
	if errs.KindOf(err) != errs.NotFound {
		t.Fatalf("Propagate(missing objective) = %v, want a not_found error", err)
	}
	err = okr.Propagate(context.Background(), g, krNode("nope"))
	if errs.KindOf(err) != errs.NotFound {
		t.Fatalf("Propagate(missing key result) = %v, want a not_found error", err)
	}
}

// TestPropagateStopsAtClosedObjectives: a closed objective keeps the
// progress it closed with, and nothing rolls up through it.
func TestPropagateStopsAtClosedObjectives(t *testing.T) {
	g := &memGraph{}
	top := &okr.Objective{ID: "top", Weight: 1, Progress: 0.5}
	closed := &okr.Objective{ID: "closed", Weight: 1, Progress: 1, State: okr.Closed}
	child := &okr.Objective{ID: "child", Weight: 1}
	g.objs = []*okr.Objective{top, closed, child}
	g.krs = []*okr.KeyResult{{ID: "k", ObjectiveID: "child", Kind: okr.Increase, Target: 10, Current: 5, Progress: 0.5, Weight: 1}}
	g.aligns = []okr.Alignment{
		{ChildID: "closed", ParentType: okr.ParentObjective, ParentID: "top", Link: okr.Contributes},
		{ChildID: "child", ParentType: okr.ParentObjective, ParentID: "closed", Link: okr.Contributes},
	}
	if err := okr.Propagate(context.Background(), g, objNode("child")); err != nil {
		t.Fatal(err)
	}
	// child: 0.5. closed would be 0.5 and top 0.5, but closed keeps 1 and top is never reached.
	if child.Progress != 0.5 || closed.Progress != 1 || top.Progress != 0.5 {
		t.Fatalf("child %v closed %v top %v, want 0.5 1 0.5", child.Progress, closed.Progress, top.Progress)
	}
	for _, n := range g.writes {
		if n.ID != "child" {
			t.Errorf("Propagate wrote %v", n)
		}
	}
}

// sim drives random operations on a memGraph the way the use cases would:
// change something, store a key result's own progress, then Propagate.
type sim struct {
	tb  testing.TB
	ctx context.Context
	rng *rand.Rand
	g   *memGraph
	log []string
}

func (s *sim) logf(format string, args ...any) { s.log = append(s.log, fmt.Sprintf(format, args...)) }

func (s *sim) propagate(start ...okr.Node) {
	s.tb.Helper()
	s.logf("  propagate %v", start)
	if err := okr.Propagate(s.ctx, s.g, start...); err != nil {
		s.tb.Fatalf("Propagate(%v): %v\n%s", start, err, strings.Join(s.log, "\n"))
	}
}

func (s *sim) weight() float64 {
	return []float64{0, 0.5, 1, 1, 1, 2, 3}[s.rng.IntN(7)]
}

func (s *sim) anyObj() *okr.Objective { return s.g.objs[s.rng.IntN(len(s.g.objs))] }

func (s *sim) createObjective() {
	o := &okr.Objective{ID: s.g.id("o"), Weight: s.weight()}
	s.g.objs = append(s.g.objs, o)
	s.logf("create objective %s w%v", o.ID, o.Weight)
	s.propagate(objNode(o.ID))
}

func (s *sim) createKeyResult() {
	if len(s.g.objs) == 0 {
		return
	}
	o := s.anyObj()
	sources := []okr.Source{okr.SourceManual, okr.SourceManual, okr.SourceKPI, okr.SourceLearning, okr.SourceAPI, okr.SourceImport}
	kr := &okr.KeyResult{ID: s.g.id("k"), ObjectiveID: o.ID, Weight: s.weight(), Source: sources[s.rng.IntN(len(sources))]}
	if s.rng.IntN(4) == 0 {
		// Rolled up from the objectives aligned to it; shown as a point between baseline and target.
		kr.Source = okr.SourceChildren
		kr.Baseline = float64(s.rng.IntN(50))
		kr.Target = kr.Baseline + float64(1+s.rng.IntN(100))
		kr.Kind = okr.Increase
		if s.rng.IntN(2) == 0 {
			kr.Kind = okr.Decrease
			kr.Baseline, kr.Target = kr.Target, kr.Baseline
		}
		kr.Current = kr.Baseline
	} else {
		kr.Kind = []okr.KRKind{okr.Increase, okr.Decrease, okr.Maintain, okr.Milestone, okr.Boolean}[s.rng.IntN(5)]
		switch kr.Kind {
		case okr.Increase, okr.Decrease:
			kr.Baseline = float64(s.rng.IntN(50))
			kr.Target = kr.Baseline + float64(s.rng.IntN(100)) // sometimes equal
			if kr.Kind == okr.Decrease {
				kr.Baseline, kr.Target = kr.Target, kr.Baseline
			}
		case okr.Maintain:
			if s.rng.IntN(8) > 0 {
				lo := float64(s.rng.IntN(50))
				kr.Band = &okr.Band{Low: lo, High: lo + float64(s.rng.IntN(20))}
			}
		case okr.Milestone:
			for range 1 + s.rng.IntN(4) {
				kr.Milestones = append(kr.Milestones, okr.MilestoneItem{ID: s.g.id("m"), Weight: float64(s.rng.IntN(4))})
			}
		}
		s.randomValue(kr)
	}
	kr.Progress = okr.KRProgress(*kr)
	s.g.krs = append(s.g.krs, kr)
	s.logf("create key result %s of %s: %s %s w%v progress %v", kr.ID, o.ID, kr.Source, kr.Kind, kr.Weight, kr.Progress)
	if kr.Source == okr.SourceChildren || s.rng.IntN(2) == 0 {
		s.propagate(krNode(kr.ID))
	} else {
		s.propagate(objNode(o.ID))
	}
}

// randomValue gives a key result a new value, sometimes outside its range.
func (s *sim) randomValue(kr *okr.KeyResult) {
	switch kr.Kind {
	case okr.Increase, okr.Decrease:
		lo, hi := min(kr.Baseline, kr.Target), max(kr.Baseline, kr.Target)
		span := hi - lo + 10
		kr.Current = lo - span/2 + s.rng.Float64()*2*span
	case okr.Maintain:
		lo, hi := 0.0, 50.0
		if kr.Band != nil {
			lo, hi = kr.Band.Low, kr.Band.High
		}
		w := hi - lo + 5
		kr.Current = lo - 1.5*w + s.rng.Float64()*4*w
	case okr.Milestone:
		i := s.rng.IntN(len(kr.Milestones))
		kr.Milestones[i].Done = !kr.Milestones[i].Done
	case okr.Boolean:
		kr.Current = float64(s.rng.IntN(2))
	}
}

func (s *sim) setValue() {
	var manual []*okr.KeyResult
	for _, k := range s.g.krs {
		if k.Source != okr.SourceChildren {
			manual = append(manual, k)
		}
	}
	if len(manual) == 0 {
		return
	}
	kr := manual[s.rng.IntN(len(manual))]
	s.randomValue(kr)
	kr.Progress = okr.KRProgress(*kr)
	s.logf("check in %s: current %v progress %v", kr.ID, kr.Current, kr.Progress)
	if s.rng.IntN(2) == 0 {
		s.propagate(krNode(kr.ID))
	} else {
		s.propagate(objNode(kr.ObjectiveID))
	}
}

func (s *sim) setObjectiveWeight() {
	if len(s.g.objs) == 0 {
		return
	}
	o := s.anyObj()
	o.Weight = s.weight()
	s.logf("objective %s weight %v", o.ID, o.Weight)
	if s.rng.IntN(2) == 0 {
		// From the objective itself: its value is unchanged, but its parents must be recomputed.
		s.propagate(objNode(o.ID))
		return
	}
	up, err := s.g.ContributingParents(s.ctx, o.ID)
	if err != nil {
		s.tb.Fatal(err)
	}
	s.propagate(up...)
}

func (s *sim) setKeyResultWeight() {
	if len(s.g.krs) == 0 {
		return
	}
	kr := s.g.krs[s.rng.IntN(len(s.g.krs))]
	kr.Weight = s.weight()
	s.logf("key result %s weight %v", kr.ID, kr.Weight)
	s.propagate(objNode(kr.ObjectiveID))
}

// hasCycle reports whether the objective graph (child → the objective it
// aligns to, directly or through a key result) has a cycle; it is the test's
// own check of WouldCycle.
func (g *memGraph) hasCycle() bool {
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var visit func(id string) bool
	visit = func(id string) bool {
		switch state[id] {
		case onPath:
			return true
		case done:
			return false
		}
		state[id] = onPath
		for _, a := range g.aligns {
			if a.ChildID == id && visit(g.parentObjective(a)) {
				return true
			}
		}
		state[id] = done
		return false
	}
	for _, o := range g.objs {
		if visit(o.ID) {
			return true
		}
	}
	return false
}

// align tries to align child under a random parent; it returns the parent
// node, or false when the alignment is refused (a duplicate or a cycle).
func (s *sim) align(child string) (okr.Node, bool) {
	a := okr.Alignment{ID: s.g.id("a"), ChildID: child, Link: okr.Contributes}
	if s.rng.IntN(4) == 0 {
		a.Link = okr.Supports
	}
	if len(s.g.krs) > 0 && s.rng.IntN(2) == 0 {
		a.ParentType, a.ParentID = okr.ParentKeyResult, s.g.krs[s.rng.IntN(len(s.g.krs))].ID
	} else {
		a.ParentType, a.ParentID = okr.ParentObjective, s.anyObj().ID
	}
	for _, b := range s.g.aligns {
		if b.ChildID == a.ChildID && b.ParentType == a.ParentType && b.ParentID == a.ParentID {
			return okr.Node{}, false
		}
	}
	cycle, err := okr.WouldCycle(s.ctx, s.g.parents, child, s.g.parentObjective(a))
	if err != nil {
		s.tb.Fatal(err)
	}
	s.g.aligns = append(s.g.aligns, a)
	if real := s.g.hasCycle(); real != cycle {
		s.tb.Fatalf("WouldCycle(%s under %s %s) = %v, the graph says %v\n%s", child, a.ParentType, a.ParentID, cycle, real, strings.Join(s.log, "\n"))
	}
	if cycle {
		s.g.aligns = s.g.aligns[:len(s.g.aligns)-1]
		s.logf("refuse %s %s %s %s (cycle)", child, a.Link, a.ParentType, a.ParentID)
		return okr.Node{}, false
	}
	s.logf("align %s %s %s %s", child, a.Link, a.ParentType, a.ParentID)
	return parentNode(a), true
}

func (s *sim) realign() {
	if len(s.g.objs) == 0 {
		return
	}
	switch op := s.rng.IntN(4); {
	case op == 0 || len(s.g.aligns) == 0: // add
		if p, ok := s.align(s.anyObj().ID); ok {
			s.propagate(p)
		}
	case op == 1: // remove
		i := s.rng.IntN(len(s.g.aligns))
		a := s.g.aligns[i]
		s.g.aligns = slices.Delete(s.g.aligns, i, i+1)
		s.logf("unalign %s from %s %s", a.ChildID, a.ParentType, a.ParentID)
		s.propagate(parentNode(a))
	case op == 2: // move: from the old parent to a new one
		i := s.rng.IntN(len(s.g.aligns))
		a := s.g.aligns[i]
		s.g.aligns = slices.Delete(s.g.aligns, i, i+1)
		s.logf("move %s from %s %s", a.ChildID, a.ParentType, a.ParentID)
		start := []okr.Node{parentNode(a)}
		if p, ok := s.align(a.ChildID); ok {
			start = append(start, p)
		}
		s.propagate(start...)
	default: // contributes ↔ supports
		i := s.rng.IntN(len(s.g.aligns))
		a := &s.g.aligns[i]
		if a.Link == okr.Contributes {
			a.Link = okr.Supports
		} else {
			a.Link = okr.Contributes
		}
		s.logf("link %s → %s %s now %s", a.ChildID, a.ParentType, a.ParentID, a.Link)
		s.propagate(parentNode(*a))
	}
}

// deleteKeyResult removes a key result and the alignments to it.
func (s *sim) deleteKeyResult() {
	if len(s.g.krs) == 0 {
		return
	}
	i := s.rng.IntN(len(s.g.krs))
	kr := s.g.krs[i]
	s.g.krs = slices.Delete(s.g.krs, i, i+1)
	s.g.aligns = slices.DeleteFunc(s.g.aligns, func(a okr.Alignment) bool {
		return a.ParentType == okr.ParentKeyResult && a.ParentID == kr.ID
	})
	s.logf("delete key result %s of %s", kr.ID, kr.ObjectiveID)
	s.propagate(objNode(kr.ObjectiveID))
}

// deleteObjective removes an objective with its key results and every
// alignment from, to or through it, then recomputes what was above it.
func (s *sim) deleteObjective() {
	if len(s.g.objs) == 0 {
		return
	}
	i := s.rng.IntN(len(s.g.objs))
	o := s.g.objs[i]
	up, err := s.g.ContributingParents(s.ctx, o.ID)
	if err != nil {
		s.tb.Fatal(err)
	}
	gone := map[string]bool{}
	s.g.krs = slices.DeleteFunc(s.g.krs, func(k *okr.KeyResult) bool {
		gone[k.ID] = k.ObjectiveID == o.ID
		return gone[k.ID]
	})
	s.g.aligns = slices.DeleteFunc(s.g.aligns, func(a okr.Alignment) bool {
		return a.ChildID == o.ID ||
			(a.ParentType == okr.ParentObjective && a.ParentID == o.ID) ||
			(a.ParentType == okr.ParentKeyResult && gone[a.ParentID])
	})
	s.g.objs = slices.Delete(s.g.objs, i, i+1)
	s.logf("delete objective %s", o.ID)
	s.propagate(up...)
}

func (s *sim) step() {
	switch r := s.rng.IntN(100); {
	case r < 30:
		s.setValue()
	case r < 40:
		s.setObjectiveWeight()
	case r < 50:
		s.setKeyResultWeight()
	case r < 75:
		s.realign()
	case r < 80:
		s.deleteKeyResult()
	case r < 84:
		s.deleteObjective()
	case r < 90:
		s.createObjective()
	default:
		s.createKeyResult()
	}
}

func (s *sim) check(when string) {
	s.tb.Helper()
	if bad := s.g.mismatches(); len(bad) > 0 {
		s.tb.Fatalf("%s: stored progress differs from Recompute:\n%s\nafter:\n%s", when, strings.Join(bad, "\n"), strings.Join(s.log, "\n"))
	}
}

// TestPropagateMatchesRecompute: whatever sequence of changes is applied, each
// followed by Propagate from where the use case would start it, the stored
// progress of every objective and key result equals a recomputation from
// scratch.
func TestPropagateMatchesRecompute(t *testing.T) {
	const sequences, ops = 200, 50
	var created, aligned, deleted int
	for seed := range uint64(sequences) {
		s := &sim{tb: t, ctx: context.Background(), rng: rand.New(rand.NewPCG(seed, 0x0c0ffee)), g: &memGraph{}}
		// A random DAG, built through the same operations.
		for range 3 + s.rng.IntN(8) {
			s.createObjective()
			for range s.rng.IntN(4) {
				s.createKeyResult()
			}
		}
		for range 2 * len(s.g.objs) {
			if p, ok := s.align(s.anyObj().ID); ok {
				s.propagate(p)
			}
		}
		s.check(fmt.Sprintf("seed %d, built", seed))
		created += len(s.g.objs) + len(s.g.krs)
		aligned += len(s.g.aligns)
		for i := range ops {
			s.step()
			s.check(fmt.Sprintf("seed %d, op %d", seed, i))
		}
		deleted += strings.Count(strings.Join(s.log, "\n"), "delete ")
	}
	// The random graphs are not trivial.
	if aligned < sequences*3 || created < sequences*8 || deleted < sequences {
		t.Errorf("weak test: %d nodes, %d alignments, %d deletions over %d sequences", created, aligned, deleted, sequences)
	}
}

func TestWouldCycle(t *testing.T) {
	//	A ── a1 (key result of A)
	//	├─ B contributes to A
	//	│   └─ D contributes to B
	//	└─ C contributes to a1
	//	    └─ E supports C
	//	X stands alone.
	g := &memGraph{
		objs: []*okr.Objective{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "D"}, {ID: "E"}, {ID: "X"}},
		krs:  []*okr.KeyResult{{ID: "a1", ObjectiveID: "A"}},
		aligns: []okr.Alignment{
			{ChildID: "B", ParentType: okr.ParentObjective, ParentID: "A", Link: okr.Contributes},
			{ChildID: "C", ParentType: okr.ParentKeyResult, ParentID: "a1", Link: okr.Contributes},
			{ChildID: "D", ParentType: okr.ParentObjective, ParentID: "B", Link: okr.Contributes},
			{ChildID: "E", ParentType: okr.ParentObjective, ParentID: "C", Link: okr.Supports},
		},
	}
	tests := []struct {
		name          string
		child, parent string // parent: the parent objective, or the objective of the parent key result
		want          bool
	}{
		{"self", "A", "A", true},
		{"self, a leaf", "X", "X", true},
		{"direct: A under its child B", "A", "B", true},
		{"direct through a key result: A under C", "A", "C", true},
		{"indirect through a key result: A under E", "A", "E", true}, // E → C → a1 → A; supports counts too
		{"indirect: B under D", "B", "D", true},
		{"indirect: A under D", "A", "D", true},
		{"legal diamond: D also under C", "D", "C", false}, // D → B → A and D → C → A
		{"legal diamond: E also under B", "E", "B", false},
		{"legal shortcut: D straight under A", "D", "A", false},
		{"unrelated", "X", "D", false},
		{"sibling", "B", "C", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := okr.WouldCycle(context.Background(), g.parents, tt.child, tt.parent)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("WouldCycle(%s under %s) = %v, want %v", tt.child, tt.parent, got, tt.want)
			}
		})
	}

	// Each objective is looked up once: a ladder of 20 rungs, each objective aligned to
	// both objectives of the rung above, has 2^20 paths to the top but only 41 objectives.
	ladder := &memGraph{objs: []*okr.Objective{{ID: "top"}}}
	above := []string{"top"}
	for i := range 20 {
		rung := []string{fmt.Sprintf("l%d", i), fmt.Sprintf("r%d", i)}
		for _, c := range rung {
			ladder.objs = append(ladder.objs, &okr.Objective{ID: c})
			for _, p := range above {
				ladder.aligns = append(ladder.aligns, okr.Alignment{ChildID: c, ParentType: okr.ParentObjective, ParentID: p, Link: okr.Contributes})
			}
		}
		above = rung
	}
	lookups := 0
	counting := func(ctx context.Context, id string) ([]string, error) {
		lookups++
		return ladder.parents(ctx, id)
	}
	got, err := okr.WouldCycle(context.Background(), counting, "elsewhere", "l19")
	if err != nil || got {
		t.Fatalf("WouldCycle(elsewhere under l19) = %v, %v; want false", got, err)
	}
	if lookups > len(ladder.objs) {
		t.Errorf("WouldCycle looked up parents %d times for %d objectives", lookups, len(ladder.objs))
	}
	if got, _ := okr.WouldCycle(context.Background(), ladder.parents, "top", "r19"); !got {
		t.Errorf("WouldCycle(top under r19) = false, want true")
	}

	boom := errors.New("boom")
	failing := func(context.Context, string) ([]string, error) { return nil, boom }
	if _, err := okr.WouldCycle(context.Background(), failing, "A", "B"); !errors.Is(err, boom) {
		t.Errorf("WouldCycle with a failing lookup: err = %v, want %v", err, boom)
	}
}
