package app

import (
	"context"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// afterCheckIn runs what a recorded check-in sets off, in its transaction:
// a low-confidence check-in without a blocker asks its author for one, and a
// key result that reaches its target is celebrated.
func afterCheckIn(ctx context.Context, tx Tx, actor org.Actor, before, after okr.KeyResult, c *okr.CheckIn) error {
	if err := askForBlocker(ctx, tx, actor, after, c); err != nil {
		return err
	}
	return celebrateKeyResult(ctx, tx, actor, before, after)
}
