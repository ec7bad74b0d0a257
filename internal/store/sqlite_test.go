package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// checkInTarget is an objective with one key result to check in on.
type checkInTarget struct {
	okrWorld
	objective okr.Objective
	kr        okr.KeyResult
}

func newCheckInTarget(t testing.TB, s *store.Store) checkInTarget {
	t.Helper()
	c := checkInTarget{okrWorld: newOKRWorld(t, s, "load")}
	c.objective = okr.Objective{ID: app.NewID(), OrgID: c.org.ID, PeriodID: c.q1.ID, Title: "O", Owner: okr.Owner{Type: okr.OwnerOrg},
		Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1}
	c.kr = okr.KeyResult{ID: app.NewID(), OrgID: c.org.ID, ObjectiveID: c.objective.ID, Title: "K", Kind: okr.Increase, Unit: okr.UnitNumber,
		Target: 1e9, Weight: 1, DueDate: "2027-03-31", Indicator: okr.Leading, Source: okr.SourceManual}
	write(t, s, func(ctx context.Context, tx app.Tx) error {
		if err := tx.CreateObjective(ctx, &c.objective); err != nil {
			return err
		}
		return tx.CreateKeyResult(ctx, &c.kr)
	})
	return c
}

// checkIn records one check-in the way the use case does: the check-in row,
// the key result's new value and progress (a version-checked read-modify-write
// that increments the value), the objective's check-in time, and the roll-up.
func (c checkInTarget) checkIn(ctx context.Context, tx app.Tx, note string) error {
	k, err := tx.GetKeyResult(ctx, c.org.ID, c.kr.ID)
	if err != nil {
		return err
	}
	in := okr.CheckIn{ID: app.NewID(), OrgID: c.org.ID, KeyResultID: k.ID, ObjectiveID: k.ObjectiveID, Value: k.Current + 1,
		PreviousValue: k.Current, Confidence: 0.7, Status: okr.OnTrack, Note: note, AuthorID: c.ann.ID, Source: okr.SourceAPI,
		Blockers: []okr.Blocker{{Type: okr.BlockerOther, Description: "a blocker with some text to make the row realistic"}}}
	if err := tx.InsertCheckIn(ctx, &in); err != nil {
		return err
	}
	k.Current = in.Value
	k.Progress = okr.KRProgress(k)
	k.Confidence, k.LastStatus, k.LastCheckIn = &in.Confidence, in.Status, &in.Created
	if err := tx.UpdateKeyResult(ctx, &k, k.Version); err != nil {
		return err
	}
	if err := tx.TouchObjectiveCheckIn(ctx, c.org.ID, k.ObjectiveID); err != nil {
		return err
	}
	return okr.Propagate(ctx, tx.Rollup(c.org.ID), objNode(k.ObjectiveID))
}

// TestWALBounded: 100,000 check-ins, one per write transaction as the real
// write path does, while readers keep reading; the write-ahead log never
// grows past store.WALLimit.
func TestWALBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100,000 check-ins")
	}
	const total = 100_000
	dir := t.TempDir()
	s := storetest.SQLite(t, store.Config{DataDir: dir})
	c := newCheckInTarget(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wal := filepath.Join(dir, "okra.db-wal")

	var maxWAL atomic.Int64
	sample := func() {
		if fi, err := os.Stat(wal); err == nil {
			for {
				m := maxWAL.Load()
				if fi.Size() <= m || maxWAL.CompareAndSwap(m, fi.Size()) {
					break
				}
			}
		}
	}

	var wg sync.WaitGroup
	var reads atomic.Int64
	readErr := make(chan error, 4)
	done := make(chan struct{})
	// Readers: the check-in list of the key result and the key result itself, back to back.
	for range 1 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				err := s.Read(ctx, func(tx app.Tx) error {
					if _, err := tx.ListCheckIns(ctx, c.org.ID, c.kr.ID, "", 20); err != nil {
						return err
					}
					_, err := tx.GetKeyResult(ctx, c.org.ID, c.kr.ID)
					return err
				})
				if err != nil {
					readErr <- err
					return
				}
				reads.Add(1)
			}
		})
	}
	// The sampler.
	wg.Go(func() {
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	})

	// Each transaction writes what the check-in use case writes — the
	// check-in row, the key result's materialized state, the objective's
	// check-in time — without its reads (the key result is kept here).
	start := time.Now()
	var writeErr error
	k := c.kr
	for i := range total {
		if err := s.Write(ctx, func(tx app.Tx) error {
			in := okr.CheckIn{ID: app.NewID(), OrgID: c.org.ID, KeyResultID: k.ID, ObjectiveID: k.ObjectiveID, Value: k.Current + 1,
				PreviousValue: k.Current, Confidence: 0.7, Status: okr.OnTrack, Note: fmt.Sprintf("check-in %d", i), AuthorID: c.ann.ID,
				Source: okr.SourceAPI, Blockers: []okr.Blocker{{Type: okr.BlockerOther, Description: "a blocker with some text to make the row realistic"}}}
			if err := tx.InsertCheckIn(ctx, &in); err != nil {
				return err
			}
			next := k
			next.Current, next.Confidence, next.LastStatus, next.LastCheckIn = in.Value, &in.Confidence, in.Status, &in.Created
			next.Progress = okr.KRProgress(next)
			if err := tx.UpdateKeyResult(ctx, &next, k.Version); err != nil {
				return err
			}
			if err := tx.TouchObjectiveCheckIn(ctx, c.org.ID, k.ObjectiveID); err != nil {
				return err
			}
			k = next
			return nil
		}); err != nil {
			writeErr = fmt.Errorf("check-in %d: %w", i, err)
			break
		}
		if i%500 == 0 {
			sample()
		}
	}
	elapsed := time.Since(start)
	close(done)
	wg.Wait()
	sample()
	close(readErr)
	if writeErr != nil {
		t.Fatal(writeErr)
	}
	for err := range readErr {
		t.Errorf("concurrent read: %v", err)
	}

	n, err := s.CountForTest(context.Background(), `SELECT COUNT(*) FROM check_ins WHERE org_id = ?`, c.org.ID)
	if err != nil || n != total {
		t.Errorf("%d check-ins stored (%v), want %d", n, err, total)
	}
	read(t, s, func(ctx context.Context, tx app.Tx) error {
		k, err := tx.GetKeyResult(ctx, c.org.ID, c.kr.ID)
		if k.Current != total || k.Version != total+1 {
			t.Errorf("key result current %v version %d, want %d and %d", k.Current, k.Version, total, total+1)
		}
		return err
	})
	t.Logf("%d check-ins in %v (%.0f/s), %d concurrent reads; largest WAL seen %.1f MB (limit %d MB)",
		total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), reads.Load(), float64(maxWAL.Load())/(1<<20), store.WALLimit>>20)
	if maxWAL.Load() == 0 {
		t.Error("the WAL file was never seen: is the database in WAL mode?")
	}
	if reads.Load() < 100 {
		t.Errorf("only %d reads ran during the writes", reads.Load())
	}
	if maxWAL.Load() > store.WALLimit {
		t.Errorf("the WAL grew to %d bytes, over the %d-byte limit", maxWAL.Load(), store.WALLimit)
	}
}

// TestSQLiteConcurrentWrites: many goroutines writing at once through Write
// never see SQLITE_BUSY or a lost update: the one writer connection and
// immediate transactions serialize them.
func TestSQLiteConcurrentWrites(t *testing.T) {
	s := storetest.SQLite(t, store.Config{})
	c := newCheckInTarget(t, s)
	ctx := context.Background()
	const writers, each = 16, 50
	var wg sync.WaitGroup
	var failures atomic.Int64
	errc := make(chan error, writers)
	stop := make(chan struct{})
	var reads atomic.Int64
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := s.Read(ctx, func(tx app.Tx) error {
					_, err := tx.ListCheckIns(ctx, c.org.ID, c.kr.ID, "", 10)
					return err
				}); err != nil {
					failures.Add(1)
					select {
					case errc <- fmt.Errorf("read: %w", err):
					default:
					}
					return
				}
				reads.Add(1)
			}
		})
	}
	var writes sync.WaitGroup
	for w := range writers {
		writes.Go(func() {
			for i := range each {
				if err := s.Write(ctx, func(tx app.Tx) error { return c.checkIn(ctx, tx, fmt.Sprintf("w%d-%d", w, i)) }); err != nil {
					failures.Add(1)
					select {
					case errc <- fmt.Errorf("writer %d, write %d: %w (%s)", w, i, err, errs.KindOf(err)):
					default:
					}
					return
				}
			}
		})
	}
	writes.Wait()
	close(stop)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if failures.Load() > 0 {
		t.Fatalf("%d goroutines failed", failures.Load())
	}
	read(t, s, func(ctx context.Context, tx app.Tx) error {
		k, err := tx.GetKeyResult(ctx, c.org.ID, c.kr.ID)
		if k.Current != writers*each || k.Version != writers*each+1 {
			t.Errorf("key result current %v version %d after %d increments, want %d and %d", k.Current, k.Version, writers*each,
				writers*each, writers*each+1)
		}
		list, _ := tx.ListCheckIns(ctx, c.org.ID, c.kr.ID, "", writers*each+1)
		if len(list) != writers*each {
			t.Errorf("%d check-ins, want %d", len(list), writers*each)
		}
		return err
	})
	if reads.Load() == 0 {
		t.Error("no read ran during the writes")
	}
}

// TestSQLiteReadsInParallel: read transactions run side by side, and while a
// write transaction is open they read the last committed state without
// waiting for it.
func TestSQLiteReadsInParallel(t *testing.T) {
	s := storetest.SQLite(t, store.Config{})
	c := newCheckInTarget(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Four read transactions, each waiting inside until all four are open.
	const readers = 4
	var entered sync.WaitGroup
	entered.Add(readers)
	all := make(chan struct{})
	go func() { entered.Wait(); close(all) }()
	errc := make(chan error, readers)
	for range readers {
		go func() {
			errc <- s.Read(ctx, func(tx app.Tx) error {
				if _, err := tx.GetKeyResult(ctx, c.org.ID, c.kr.ID); err != nil {
					return err
				}
				entered.Done()
				select {
				case <-all:
					return nil
				case <-time.After(10 * time.Second):
					return errors.New("the other read transactions did not open alongside this one")
				}
			})
		}()
	}
	for range readers {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}

	// A write transaction stays open (uncommitted) while a read runs.
	inWrite, release := make(chan struct{}), make(chan struct{})
	writeDone := make(chan error, 1)
	go func() {
		writeDone <- s.Write(ctx, func(tx app.Tx) error {
			if err := c.checkIn(ctx, tx, "slow"); err != nil {
				return err
			}
			close(inWrite)
			<-release
			return nil
		})
	}()
	select {
	case <-inWrite:
	case err := <-writeDone:
		t.Fatalf("write ended early: %v", err)
	}
	readDone := make(chan error, 1)
	var seen float64
	go func() {
		readDone <- s.Read(ctx, func(tx app.Tx) error {
			k, err := tx.GetKeyResult(ctx, c.org.ID, c.kr.ID)
			seen = k.Current
			return err
		})
	}()
	select {
	case err := <-readDone:
		if err != nil {
			t.Fatal(err)
		}
		if seen != 0 {
			t.Errorf("a read during an open write saw current %v, want the committed 0", seen)
		}
		close(release)
	case <-time.After(5 * time.Second):
		t.Error("a read waited for an open write transaction")
		close(release)
		<-readDone
	}
	if err := <-writeDone; err != nil {
		t.Fatal(err)
	}
	read(t, s, func(ctx context.Context, tx app.Tx) error {
		k, err := tx.GetKeyResult(ctx, c.org.ID, c.kr.ID)
		if k.Current != 1 {
			t.Errorf("after the commit current is %v, want 1", k.Current)
		}
		return err
	})
}
