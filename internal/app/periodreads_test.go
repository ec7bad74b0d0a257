package app

import (
	"context"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/errs"
)

// TestWholePeriodTurns: at most GOMAXPROCS whole-period reads run at once;
// the next waits for a turn, and gives up with its context.
func TestWholePeriodTurns(t *testing.T) {
	a := New(nil, nil)
	var dones []func()
	for i := 0; i < cap(a.periodReads); i++ {
		done, err := a.wholePeriod(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		dones = append(dones, done)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := a.wholePeriod(ctx); !errs.Is(err, errs.Unavailable) {
		t.Fatalf("a read past the limit: %v, want unavailable once its context ends", err)
	}
	got := make(chan error, 1)
	go func() {
		done, err := a.wholePeriod(context.Background())
		if err == nil {
			done()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("a read ran while every turn was taken: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	dones[0]()
	if err := <-got; err != nil {
		t.Fatalf("the waiting read after a turn freed: %v", err)
	}
}
