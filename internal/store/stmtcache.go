package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache keeps one prepared statement per query text on a database, so
// that SQLite parses each of okra's queries once per connection rather than
// on every call: preparing was most of the time of a small read. PostgreSQL
// needs none (pgx caches statements per connection).
//
// A statement is prepared on the database in the background the first time
// its query is seen: preparing needs a free connection, and the transaction
// that saw it holds the only writer connection. Until then the query runs
// unprepared.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
	// pending holds queries being prepared; closed stops new ones.
	pending map[string]bool
	closed  bool
	wg      sync.WaitGroup
}

// maxCachedStmts bounds the cache: queries with IN lists of many lengths run
// unprepared once it is full.
const maxCachedStmts = 512

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// in returns the cached statement for q bound to tx, or nil when it is not
// prepared yet (and starts preparing it).
func (c *stmtCache) in(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	s, ok := c.m[q]
	if !ok && !c.closed && !c.pending[q] && len(c.m)+len(c.pending) < maxCachedStmts {
		c.pending[q] = true
		c.wg.Add(1)
		go c.prepare(q)
	}
	c.mu.Unlock()
	if !ok {
		return nil
	}
	return tx.StmtContext(ctx, s)
}

func (c *stmtCache) prepare(q string) {
	defer c.wg.Done()
	s, err := c.db.PrepareContext(context.Background(), q)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, q)
	if err != nil {
		return // the query keeps running unprepared
	}
	if c.closed {
		_ = s.Close()
		return
	}
	c.m[q] = s
}

// close closes every cached statement; call it before closing the database.
func (c *stmtCache) close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for q, s := range c.m {
		err = errors.Join(err, s.Close())
		delete(c.m, q)
	}
	return err
}
