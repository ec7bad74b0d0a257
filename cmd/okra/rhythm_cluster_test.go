package main

import (
	"testing"

	"github.com/okrahq/okra/internal/pgtest"
)

// TestRhythmCluster plays the same quarter with two app servers on one
// PostgreSQL database, their job runners ticking at the same moments: every
// reminder, e-mail and chat message still comes exactly once.
func TestRhythmCluster(t *testing.T) {
	newRhythmWorld(t, DBFlags{DatabaseURL: pgtest.URL(t)}, 2).runQuarter(t)
}
