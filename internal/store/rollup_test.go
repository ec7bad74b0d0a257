package store_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/store"
)

// rollupSim drives random changes through the real store the way the use
// cases do: each operation in its own write transaction, changing rows and
// then running okr.Propagate from where the use case would start it.
type rollupSim struct {
	t           testing.TB
	ctx         context.Context
	s           *store.Store
	rng         *rand.Rand
	orgID       string
	periodID    string
	objs        []string          // live objectives, in creation order
	krs         []string          // live key results, in creation order
	krObjective map[string]string // key result → its objective
	krSource    map[string]okr.Source
	log         []string
	stats       struct{ aligned, refused, deleted, children, checkIns int }
}

func (r *rollupSim) logf(format string, args ...any) {
	r.log = append(r.log, fmt.Sprintf(format, args...))
}

func (r *rollupSim) fatalf(format string, args ...any) {
	r.t.Helper()
	r.t.Fatalf("%s\nafter:\n%s", fmt.Sprintf(format, args...), strings.Join(r.log, "\n"))
}

// write runs one operation in its own write transaction.
func (r *rollupSim) write(what string, fn func(tx app.Tx) error) {
	r.t.Helper()
	if err := r.s.Write(r.ctx, fn); err != nil {
		r.fatalf("%s: %v", what, err)
	}
}

func (r *rollupSim) propagate(tx app.Tx, start ...okr.Node) error {
	r.logf("  propagate %v", start)
	return okr.Propagate(r.ctx, tx.Rollup(r.orgID), start...)
}

func (r *rollupSim) weight() float64 { return []float64{0, 0.5, 1, 1, 1, 2, 3}[r.rng.IntN(7)] }

func (r *rollupSim) anyObj() string { return r.objs[r.rng.IntN(len(r.objs))] }

func objNode(id string) okr.Node { return okr.Node{Type: okr.NodeObjective, ID: id} }

func parentNode(a okr.Alignment) okr.Node {
	if a.ParentType == okr.ParentKeyResult {
		return okr.Node{Type: okr.NodeKeyResult, ID: a.ParentID}
	}
	return objNode(a.ParentID)
}

func parentNodes(as []okr.Alignment) []okr.Node {
	var out []okr.Node
	for _, a := range as {
		out = append(out, parentNode(a))
	}
	return out
}

func (r *rollupSim) createObjective() {
	o := okr.Objective{ID: app.NewID(), OrgID: r.orgID, PeriodID: r.periodID, Title: "objective", Owner: okr.Owner{Type: okr.OwnerOrg},
		Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: r.weight()}
	r.logf("create objective %s w%v", o.ID, o.Weight)
	r.write("create objective", func(tx app.Tx) error {
		if err := tx.CreateObjective(r.ctx, &o); err != nil {
			return err
		}
		return r.propagate(tx, objNode(o.ID))
	})
	r.objs = append(r.objs, o.ID)
}

func (r *rollupSim) createKeyResult() {
	if len(r.objs) == 0 {
		return
	}
	objID := r.anyObj()
	sources := []okr.Source{okr.SourceManual, okr.SourceManual, okr.SourceKPI, okr.SourceLearning, okr.SourceAPI, okr.SourceImport}
	k := okr.KeyResult{ID: app.NewID(), OrgID: r.orgID, ObjectiveID: objID, Title: "key result", Unit: okr.UnitNumber,
		Weight: r.weight(), DueDate: "2027-12-31", Indicator: okr.Leading, Source: sources[r.rng.IntN(len(sources))]}
	if r.rng.IntN(4) == 0 {
		// Rolled up from the objectives aligned to it.
		k.Source = okr.SourceChildren
		k.Baseline = float64(r.rng.IntN(50))
		k.Target = k.Baseline + float64(1+r.rng.IntN(100))
		k.Kind = okr.Increase
		if r.rng.IntN(2) == 0 {
			k.Kind = okr.Decrease
			k.Baseline, k.Target = k.Target, k.Baseline
		}
		k.Current = k.Baseline
		r.stats.children++
	} else {
		k.Kind = []okr.KRKind{okr.Increase, okr.Decrease, okr.Maintain, okr.Milestone, okr.Boolean}[r.rng.IntN(5)]
		switch k.Kind {
		case okr.Increase, okr.Decrease:
			k.Baseline = float64(r.rng.IntN(50))
			k.Target = k.Baseline + float64(r.rng.IntN(100)) // sometimes equal
			if k.Kind == okr.Decrease {
				k.Baseline, k.Target = k.Target, k.Baseline
			}
		case okr.Maintain:
			if r.rng.IntN(8) > 0 {
				lo := float64(r.rng.IntN(50))
				k.Band = &okr.Band{Low: lo, High: lo + float64(r.rng.IntN(20))}
			}
		case okr.Milestone:
			for i := range 1 + r.rng.IntN(4) {
				k.Milestones = append(k.Milestones, okr.MilestoneItem{ID: fmt.Sprintf("m%d", i), Title: "step", Weight: float64(r.rng.IntN(4))})
			}
		}
		r.randomValue(&k)
		k.Progress = okr.KRProgress(k)
	}
	start := objNode(objID)
	if k.Source == okr.SourceChildren || r.rng.IntN(2) == 0 {
		start = okr.Node{Type: okr.NodeKeyResult, ID: k.ID}
	}
	r.logf("create key result %s of %s: %s %s w%v progress %v", k.ID, objID, k.Source, k.Kind, k.Weight, k.Progress)
	r.write("create key result", func(tx app.Tx) error {
		if err := tx.CreateKeyResult(r.ctx, &k); err != nil {
			return err
		}
		return r.propagate(tx, start)
	})
	r.krs = append(r.krs, k.ID)
	r.krObjective[k.ID], r.krSource[k.ID] = objID, k.Source
}

// randomValue gives a key result a new value, sometimes outside its range.
func (r *rollupSim) randomValue(k *okr.KeyResult) {
	switch k.Kind {
	case okr.Increase, okr.Decrease:
		lo, hi := min(k.Baseline, k.Target), max(k.Baseline, k.Target)
		span := hi - lo + 10
		k.Current = lo - span/2 + r.rng.Float64()*2*span
	case okr.Maintain:
		lo, hi := 0.0, 50.0
		if k.Band != nil {
			lo, hi = k.Band.Low, k.Band.High
		}
		w := hi - lo + 5
		k.Current = lo - 1.5*w + r.rng.Float64()*4*w
	case okr.Milestone:
		i := r.rng.IntN(len(k.Milestones))
		k.Milestones[i].Done = !k.Milestones[i].Done
	case okr.Boolean:
		k.Current = float64(r.rng.IntN(2))
	}
}

// checkIn sets a key result's current value and progress and rolls its objective up.
func (r *rollupSim) checkIn() {
	var manual []string
	for _, id := range r.krs {
		if r.krSource[id] != okr.SourceChildren {
			manual = append(manual, id)
		}
	}
	if len(manual) == 0 {
		return
	}
	id := manual[r.rng.IntN(len(manual))]
	r.write("check in", func(tx app.Tx) error {
		k, err := tx.GetKeyResult(r.ctx, r.orgID, id)
		if err != nil {
			return err
		}
		r.randomValue(&k)
		k.Progress = okr.KRProgress(k)
		r.logf("check in %s: current %v progress %v", id, k.Current, k.Progress)
		if err := tx.UpdateKeyResult(r.ctx, &k, k.Version); err != nil {
			return err
		}
		return r.propagate(tx, objNode(k.ObjectiveID))
	})
	r.stats.checkIns++
}

func (r *rollupSim) setObjectiveWeight() {
	if len(r.objs) == 0 {
		return
	}
	id := r.anyObj()
	r.write("objective weight", func(tx app.Tx) error {
		o, err := tx.GetObjective(r.ctx, r.orgID, id)
		if err != nil {
			return err
		}
		o.Weight = r.weight()
		r.logf("objective %s weight %v", id, o.Weight)
		if err := tx.UpdateObjective(r.ctx, &o, o.Version); err != nil {
			return err
		}
		up, err := tx.Rollup(r.orgID).ContributingParents(r.ctx, id)
		if err != nil {
			return err
		}
		return r.propagate(tx, up...)
	})
}

func (r *rollupSim) setKeyResultWeight() {
	if len(r.krs) == 0 {
		return
	}
	id := r.krs[r.rng.IntN(len(r.krs))]
	r.write("key result weight", func(tx app.Tx) error {
		k, err := tx.GetKeyResult(r.ctx, r.orgID, id)
		if err != nil {
			return err
		}
		k.Weight = r.weight()
		r.logf("key result %s weight %v", id, k.Weight)
		if err := tx.UpdateKeyResult(r.ctx, &k, k.Version); err != nil {
			return err
		}
		return r.propagate(tx, objNode(k.ObjectiveID))
	})
}

// hasCycle reports whether the objective graph (child → the objective it
// aligns to, directly or through a key result) has a cycle; it is the test's
// own check of what WouldCycle over the store's ParentObjectiveIDs decides.
func hasCycle(objs []okr.Objective, krObjective map[string]string) bool {
	up := map[string][]string{}
	for _, o := range objs {
		for _, a := range o.Alignments {
			p := a.ParentID
			if a.ParentType == okr.ParentKeyResult {
				p = krObjective[a.ParentID]
			}
			up[o.ID] = append(up[o.ID], p)
		}
	}
	const (
		onPath = 1
		done   = 2
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
		for _, p := range up[id] {
			if visit(p) {
				return true
			}
		}
		state[id] = done
		return false
	}
	for _, o := range objs {
		if visit(o.ID) {
			return true
		}
	}
	return false
}

// realign changes one objective's alignments: adds a parent, removes one,
// moves one to another parent, or flips one between contributes and supports.
// A new parent that would close a cycle is refused.
func (r *rollupSim) realign(op int) {
	if len(r.objs) == 0 {
		return
	}
	child := r.anyObj()
	r.write("realign", func(tx app.Tx) error {
		old, err := tx.AlignmentsOfChild(r.ctx, r.orgID, child)
		if err != nil {
			return err
		}
		next := slices.Clone(old)
		for i := range next {
			next[i].ID = "" // new rows
		}
		if len(next) == 0 {
			op = 0
		}
		add := func() (bool, error) {
			a := okr.Alignment{Link: okr.Contributes}
			if r.rng.IntN(4) == 0 {
				a.Link = okr.Supports
			}
			parentObjective := ""
			if len(r.krs) > 0 && r.rng.IntN(2) == 0 {
				a.ParentType, a.ParentID = okr.ParentKeyResult, r.krs[r.rng.IntN(len(r.krs))]
				parentObjective = r.krObjective[a.ParentID]
			} else {
				a.ParentType, a.ParentID = okr.ParentObjective, r.anyObj()
				parentObjective = a.ParentID
			}
			if slices.ContainsFunc(next, func(b okr.Alignment) bool { return b.ParentID == a.ParentID }) {
				return false, nil
			}
			cycle, err := okr.WouldCycle(r.ctx, func(ctx context.Context, id string) ([]string, error) {
				return tx.ParentObjectiveIDs(ctx, r.orgID, id)
			}, child, parentObjective)
			if err != nil {
				return false, err
			}
			// The test's own judgment, from everything the store holds.
			objs, err := tx.ListObjectives(r.ctx, r.orgID, okr.ObjectiveFilter{})
			if err != nil {
				return false, err
			}
			for i := range objs {
				if objs[i].ID == child {
					objs[i].Alignments = append(slices.Clone(next), a)
				}
			}
			if real := hasCycle(objs, r.krObjective); real != cycle {
				r.fatalf("WouldCycle(%s under %s %s) = %v, the graph says %v", child, a.ParentType, a.ParentID, cycle, real)
			}
			if cycle {
				r.logf("refuse %s under %s %s (cycle)", child, a.ParentType, a.ParentID)
				r.stats.refused++
				return false, nil
			}
			r.logf("align %s %s %s %s", child, a.Link, a.ParentType, a.ParentID)
			r.stats.aligned++
			next = append(next, a)
			return true, nil
		}
		switch op {
		case 0:
			if ok, err := add(); err != nil || !ok {
				return err
			}
		case 1: // remove
			i := r.rng.IntN(len(next))
			r.logf("unalign %s from %s %s", child, next[i].ParentType, next[i].ParentID)
			next = slices.Delete(next, i, i+1)
		case 2: // move
			i := r.rng.IntN(len(next))
			r.logf("move %s from %s %s", child, next[i].ParentType, next[i].ParentID)
			next = slices.Delete(next, i, i+1)
			if _, err := add(); err != nil {
				return err
			}
		default: // contributes ↔ supports
			i := r.rng.IntN(len(next))
			if next[i].Link == okr.Contributes {
				next[i].Link = okr.Supports
			} else {
				next[i].Link = okr.Contributes
			}
			r.logf("link %s → %s %s now %s", child, next[i].ParentType, next[i].ParentID, next[i].Link)
		}
		if err := tx.ReplaceAlignments(r.ctx, r.orgID, child, next); err != nil {
			return err
		}
		return r.propagate(tx, append(parentNodes(old), parentNodes(next)...)...)
	})
}

func (r *rollupSim) deleteKeyResult() {
	if len(r.krs) == 0 {
		return
	}
	i := r.rng.IntN(len(r.krs))
	id := r.krs[i]
	r.logf("delete key result %s of %s", id, r.krObjective[id])
	r.write("delete key result", func(tx app.Tx) error {
		if err := tx.DeleteKeyResult(r.ctx, r.orgID, id); err != nil {
			return err
		}
		return r.propagate(tx, objNode(r.krObjective[id]))
	})
	r.krs = slices.Delete(r.krs, i, i+1)
	r.stats.deleted++
}

func (r *rollupSim) deleteObjective() {
	if len(r.objs) == 0 {
		return
	}
	i := r.rng.IntN(len(r.objs))
	id := r.objs[i]
	r.logf("delete objective %s", id)
	r.write("delete objective", func(tx app.Tx) error {
		up, err := tx.Rollup(r.orgID).ContributingParents(r.ctx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteObjective(r.ctx, r.orgID, id); err != nil {
			return err
		}
		return r.propagate(tx, up...)
	})
	r.objs = slices.Delete(r.objs, i, i+1)
	r.krs = slices.DeleteFunc(r.krs, func(k string) bool { return r.krObjective[k] == id })
	r.stats.deleted++
}

func (r *rollupSim) step() {
	switch n := r.rng.IntN(100); {
	case n < 30:
		r.checkIn()
	case n < 40:
		r.setObjectiveWeight()
	case n < 50:
		r.setKeyResultWeight()
	case n < 75:
		r.realign(r.rng.IntN(4))
	case n < 80:
		r.deleteKeyResult()
	case n < 84:
		r.deleteObjective()
	case n < 90:
		r.createObjective()
	default:
		r.createKeyResult()
	}
}

// check reads everything back and compares every stored progress with a
// recomputation from scratch.
func (r *rollupSim) check(when string) {
	r.t.Helper()
	var (
		objs []okr.Objective
		krs  []okr.KeyResult
	)
	if err := r.s.Read(r.ctx, func(tx app.Tx) error {
		var err error
		if objs, err = tx.ListObjectives(r.ctx, r.orgID, okr.ObjectiveFilter{}); err != nil {
			return err
		}
		krs, err = tx.ListKeyResults(r.ctx, r.orgID, okr.KeyResultFilter{})
		return err
	}); err != nil {
		r.fatalf("%s: read back: %v", when, err)
	}
	var objIDs, krIDs []string
	var aligns []okr.Alignment
	for _, o := range objs {
		objIDs = append(objIDs, o.ID)
		aligns = append(aligns, o.Alignments...)
	}
	for _, k := range krs {
		krIDs = append(krIDs, k.ID)
	}
	if !slices.Equal(objIDs, r.objs) || !slices.Equal(krIDs, r.krs) {
		r.fatalf("%s: the store holds objectives %v and key results %v, want %v and %v", when, objIDs, krIDs, r.objs, r.krs)
	}
	if hasCycle(objs, r.krObjective) {
		r.fatalf("%s: the stored alignments have a cycle", when)
	}
	objP, krP := okr.Recompute(objs, krs, aligns)
	var bad []string
	for _, o := range objs {
		if math.Abs(o.Progress-objP[o.ID]) > 1e-9 {
			bad = append(bad, fmt.Sprintf("objective %s: stored %v, recomputed %v", o.ID, o.Progress, objP[o.ID]))
		}
	}
	for _, k := range krs {
		if math.Abs(k.Progress-krP[k.ID]) > 1e-9 {
			bad = append(bad, fmt.Sprintf("key result %s (%s): stored %v, recomputed %v", k.ID, k.Source, k.Progress, krP[k.ID]))
		}
		// A rolled-up key result shows the value its progress implies.
		if k.Source == okr.SourceChildren && math.Abs(okr.KRProgress(k)-k.Progress) > 1e-9 {
			bad = append(bad, fmt.Sprintf("key result %s: current %v implies %v, progress %v", k.ID, k.Current, okr.KRProgress(k), k.Progress))
		}
	}
	if len(bad) > 0 {
		r.fatalf("%s: stored progress differs from okr.Recompute:\n%s", when, strings.Join(bad, "\n"))
	}
}

// TestRollupMatchesRecompute: random sequences of changes, each in its own
// write transaction followed by okr.Propagate from where the use case starts
// it, leave every stored progress equal to a recomputation from scratch.
func TestRollupMatchesRecompute(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		sequences, ops := 30, 40
		if s.Engine() == "postgres" {
			sequences = 8
		}
		var total struct{ nodes, aligned, refused, deleted, children, checkIns int }
		for seed := range uint64(sequences) {
			r := &rollupSim{t: t, ctx: context.Background(), s: s, rng: rand.New(rand.NewPCG(seed, 0x0c0ffee)),
				krObjective: map[string]string{}, krSource: map[string]okr.Source{}}
			// Each sequence in its own organization: a fresh graph.
			o := newOrg(fmt.Sprintf("rollup-%d", seed))
			p := okr.Period{ID: app.NewID(), OrgID: o.ID, Name: "Q", Kind: okr.PeriodQuarterly, StartDate: "2027-01-01", EndDate: "2027-03-31", State: okr.PeriodActive}
			r.write("organization", func(tx app.Tx) error {
				if err := tx.CreateOrganization(r.ctx, &o); err != nil {
					return err
				}
				return tx.CreatePeriod(r.ctx, &p)
			})
			r.orgID, r.periodID = o.ID, p.ID
			// A random DAG, built through the same operations.
			for range 3 + r.rng.IntN(8) {
				r.createObjective()
				for range r.rng.IntN(4) {
					r.createKeyResult()
				}
			}
			for range 2 * len(r.objs) {
				r.realign(0)
			}
			r.check(fmt.Sprintf("seed %d, built", seed))
			total.nodes += len(r.objs) + len(r.krs)
			for i := range ops {
				r.step()
				r.check(fmt.Sprintf("seed %d, op %d", seed, i))
			}
			total.aligned += r.stats.aligned
			total.refused += r.stats.refused
			total.deleted += r.stats.deleted
			total.children += r.stats.children
			total.checkIns += r.stats.checkIns
		}
		t.Logf("%d sequences × %d operations: %d nodes built, %d alignments, %d refused as cycles, %d deletions, %d rolled-up key results, %d check-ins",
			sequences, ops, total.nodes, total.aligned, total.refused, total.deleted, total.children, total.checkIns)
		// The random graphs are not trivial.
		if total.aligned < sequences*3 || total.nodes < sequences*8 || total.deleted < sequences || total.refused == 0 ||
			total.children < sequences || total.checkIns < sequences*5 {
			t.Errorf("weak test: %+v over %d sequences", total, sequences)
		}
	})
}

// TestConcurrentRollupsOfSiblings: two check-ins on sibling objectives
// committed at the same time both reach their common parent. The second
// transaction recomputes the parent while the first has written it but not
// committed: unless an organization's write transactions are serialized
// (SQLite's one writer; on PostgreSQL the organization's lock that every
// writing use case takes first, as these transactions do), the
// second computes the parent from the first's stale sibling and overwrites
// the first's value, and the stored progress stays wrong.
func TestConcurrentRollupsOfSiblings(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w := newOKRWorld(t, s, "siblings")
		objective := func(title string, parents ...string) okr.Objective {
			o := okr.Objective{ID: app.NewID(), OrgID: w.org.ID, PeriodID: w.q1.ID, Title: title, Owner: okr.Owner{Type: okr.OwnerOrg},
				Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1}
			for _, p := range parents {
				o.Alignments = append(o.Alignments, okr.Alignment{ParentType: okr.ParentObjective, ParentID: p, Link: okr.Contributes})
			}
			return o
		}
		top := objective("top")
		left, right := objective("left", top.ID), objective("right", top.ID)
		keyResult := func(o okr.Objective) okr.KeyResult {
			return okr.KeyResult{ID: app.NewID(), OrgID: w.org.ID, ObjectiveID: o.ID, Title: "k", Kind: okr.Increase, Unit: okr.UnitNumber,
				Target: 100, Weight: 1, DueDate: "2027-03-31", Indicator: okr.Leading, Source: okr.SourceManual}
		}
		kl, kr := keyResult(left), keyResult(right)
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, o := range []*okr.Objective{&top, &left, &right} {
				if err := tx.CreateObjective(ctx, o); err != nil {
					return err
				}
			}
			if err := tx.CreateKeyResult(ctx, &kl); err != nil {
				return err
			}
			return tx.CreateKeyResult(ctx, &kr)
		})

		// checkIn sets a key result to 50 of 100 and rolls up; between the two
		// steps it runs between.
		checkIn := func(ctx context.Context, tx app.Tx, id string, between func()) error {
			k, err := tx.GetKeyResult(ctx, w.org.ID, id)
			if err != nil {
				return err
			}
			k.Current = 50
			k.Progress = okr.KRProgress(k)
			if err := tx.UpdateKeyResult(ctx, &k, k.Version); err != nil {
				return err
			}
			if err := tx.TouchObjectiveCheckIn(ctx, w.org.ID, k.ObjectiveID); err != nil {
				return err
			}
			between()
			return okr.Propagate(ctx, tx.Rollup(w.org.ID), objNode(k.ObjectiveID))
		}
		wait := func(ch <-chan struct{}) {
			select {
			case <-ch:
			case <-time.After(time.Second): // the other transaction is waiting for this one
			}
		}
		ctx := context.Background()
		firstInside, secondInside, firstRolledUp := make(chan struct{}), make(chan struct{}), make(chan struct{})
		errc := make(chan error, 2)
		go func() {
			errc <- s.Write(ctx, func(tx app.Tx) error {
				if err := tx.LockOrganization(ctx, w.org.ID); err != nil {
					return err
				}
				close(firstInside)
				err := checkIn(ctx, tx, kl.ID, func() { wait(secondInside) })
				close(firstRolledUp)
				time.Sleep(200 * time.Millisecond) // the second rolls up before this commits
				return err
			})
		}()
		go func() {
			<-firstInside
			errc <- s.Write(ctx, func(tx app.Tx) error {
				if err := tx.LockOrganization(ctx, w.org.ID); err != nil {
					return err
				}
				return checkIn(ctx, tx, kr.ID, func() { close(secondInside); wait(firstRolledUp) })
			})
		}()
		for range 2 {
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, want := range []struct {
				id       string
				progress float64
			}{{left.ID, 0.5}, {right.ID, 0.5}, {top.ID, 0.5}} {
				o, err := tx.GetObjective(ctx, w.org.ID, want.id)
				if err != nil {
					return err
				}
				if math.Abs(o.Progress-want.progress) > 1e-9 {
					t.Errorf("objective %s: progress %v, want %v", o.Title, o.Progress, want.progress)
				}
			}
			return nil
		})
	})
}
