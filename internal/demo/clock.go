package demo

import (
	"sync"
	"time"
)

// Clock is a settable clock for the store: wired as store.Config{Now:
// clock.Now}, it lets the demo write check-ins in the past. The zero Clock
// reads the real time. It is safe for concurrent use.
type Clock struct {
	mu sync.RWMutex
	t  time.Time
}

// Now returns the time last given to Set, or the real time when none is set
// (or the zero time was set).
func (c *Clock) Now() time.Time {
	c.mu.RLock()
	t := c.t
	c.mu.RUnlock()
	if t.IsZero() {
		return time.Now()
	}
	return t
}

// Set fixes the time Now returns; the zero time gives the real time back.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
