package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// maxGroup bounds how many write transactions share one commit.
const maxGroup = 64

// committer is group commit behind SQLite's one writer: write transactions
// that arrive while the writer is busy wait in a queue, and the committer
// runs all of them in one database transaction, each in its own savepoint
// (so one that fails is rolled back alone), then commits once. Every caller
// gets its own outcome: its error, or nil once the shared commit is durable.
// A transaction alone in the queue runs without a savepoint, as it would
// without the committer.
type committer struct {
	s     *Store
	queue chan *pendingWrite
	stop  chan struct{}
	done  sync.WaitGroup
	// closing guards closed: no write is queued once close has begun.
	closing sync.RWMutex
	closed  bool
	// groups and writes count what the committer has done (for tests and
	// the benchmark): writes / groups is the mean group size.
	mu             sync.Mutex
	groups, writes int64
}

// pendingWrite is one caller's write transaction waiting for its group.
type pendingWrite struct {
	ctx      context.Context
	fn       func(*Tx) error
	result   chan writeResult
	after    []func()
	err      error
	panicked any
}

type writeResult struct {
	err      error
	panicked any
	after    []func() // what to run once committed, in the caller's goroutine
}

func newCommitter(s *Store) *committer {
	c := &committer{s: s, queue: make(chan *pendingWrite, maxGroup), stop: make(chan struct{})}
	c.done.Add(1)
	go c.loop()
	return c
}

// write queues fn and waits for the outcome of its group.
func (c *committer) write(ctx context.Context, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p := &pendingWrite{ctx: ctx, fn: fn, result: make(chan writeResult, 1)}
	c.closing.RLock()
	if c.closed {
		c.closing.RUnlock()
		return errors.New("the database is closed")
	}
	select {
	case c.queue <- p:
	case <-ctx.Done():
		c.closing.RUnlock()
		return ctx.Err()
	}
	c.closing.RUnlock()
	// Once queued, the write runs (unless its context ends before its turn):
	// wait for its outcome so that nil always means committed.
	r := <-p.result
	if r.panicked != nil {
		panic(r.panicked)
	}
	for _, f := range r.after {
		f()
	}
	return r.err
}

// close stops the committer after the queued writes have run.
func (c *committer) close() {
	c.closing.Lock()
	c.closed = true
	c.closing.Unlock()
	close(c.stop)
	c.done.Wait()
}

// stats returns how many groups committed and how many writes they held.
func (c *committer) stats() (groups, writes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.groups, c.writes
}

func (c *committer) loop() {
	defer c.done.Done()
	for {
		var first *pendingWrite
		select {
		case first = <-c.queue:
		case <-c.stop:
			for {
				select {
				case p := <-c.queue:
					c.run([]*pendingWrite{p})
				default:
					return
				}
			}
		}
		group := []*pendingWrite{first}
	drain:
		for len(group) < maxGroup {
			select {
			case p := <-c.queue:
				group = append(group, p)
			default:
				break drain
			}
		}
		c.run(group)
	}
}

// run executes a group in one transaction and answers every caller.
func (c *committer) run(group []*pendingWrite) {
	err := c.runGroup(group)
	ran := 0
	for _, p := range group {
		r := writeResult{err: p.err, panicked: p.panicked}
		if r.err == nil && r.panicked == nil {
			if err != nil {
				r.err = err
			} else {
				ran++
				r.after = p.after
			}
		}
		p.result <- r
	}
	c.mu.Lock()
	c.groups++
	c.writes += int64(ran)
	c.mu.Unlock()
}

// runGroup runs each write in its savepoint and commits; an error means
// the commit (and so every write that had succeeded) failed.
func (c *committer) runGroup(group []*pendingWrite) error {
	s := c.s
	// The transaction outlives any one caller: a caller's cancelled context
	// must not roll back its neighbours' work.
	ctx := context.Background()
	sqlTx, err := s.writer.BeginTx(ctx, s.dialect.txOptions(false))
	if err != nil {
		return s.dialect.classify(err, "begin transaction")
	}
	// Each write gets its own moment, as it would in a transaction of its own.
	newTx := func() *Tx {
		return &Tx{tx: sqlTx, d: s.dialect, stmts: s.writerStmts, now: s.now().UTC().Truncate(time.Microsecond), detached: true}
	}
	if len(group) == 1 { // alone: no savepoint needed
		p := group[0]
		if p.err = p.ctx.Err(); p.err == nil {
			tx := newTx()
			if p.err, p.panicked = runCaught(tx, p.fn); p.err == nil && p.panicked == nil {
				p.after = tx.afterCommit
				if err := sqlTx.Commit(); err != nil {
					return s.dialect.classify(err, "commit")
				}
				return nil
			}
		}
		return sqlTx.Rollback()
	}
	live := 0
	for _, p := range group {
		if p.err = p.ctx.Err(); p.err != nil {
			continue
		}
		if _, err := sqlTx.ExecContext(ctx, "SAVEPOINT okra_write"); err != nil {
			_ = sqlTx.Rollback()
			return s.dialect.classify(err, "savepoint")
		}
		tx := newTx()
		p.err, p.panicked = runCaught(tx, p.fn)
		if p.err == nil && p.panicked == nil {
			p.after = tx.afterCommit
			live++
			if _, err := sqlTx.ExecContext(ctx, "RELEASE okra_write"); err != nil {
				_ = sqlTx.Rollback()
				return s.dialect.classify(err, "release savepoint")
			}
			continue
		}
		if _, err := sqlTx.ExecContext(ctx, "ROLLBACK TO okra_write"); err != nil {
			// The failed write took the transaction down with it: nothing
			// of the group is kept.
			_ = sqlTx.Rollback()
			return fmt.Errorf("a write of the same group failed (%w): retry", s.dialect.classify(err, "roll back to savepoint"))
		}
		if _, err := sqlTx.ExecContext(ctx, "RELEASE okra_write"); err != nil {
			_ = sqlTx.Rollback()
			return s.dialect.classify(err, "release savepoint")
		}
	}
	if live == 0 {
		return sqlTx.Rollback()
	}
	if err := sqlTx.Commit(); err != nil {
		return s.dialect.classify(err, "commit")
	}
	return nil
}

// runCaught runs fn, turning a panic into a value to re-raise in the
// caller's goroutine.
func runCaught(tx *Tx, fn func(*Tx) error) (err error, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	return fn(tx), nil
}
