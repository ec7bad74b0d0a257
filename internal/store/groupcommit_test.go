package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/store"
)

// TestGroupCommit: writes queued behind a busy SQLite writer share one
// commit, and each keeps its own outcome: a write that fails (in Go or in a
// statement) or panics is rolled back alone, a write whose caller gave up
// before its turn is not run, and the others are all committed.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// Hold the writer until every other write is queued.
	holding, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := s.Write(ctx, func(tx app.Tx) error {
			close(holding)
			<-release
			o := newOrg("first")
			return tx.CreateOrganization(ctx, &o)
		}); err != nil {
			t.Error(err)
		}
	}()
	<-holding
	g0, w0 := s.GroupCommits()

	type outcome struct {
		err      error
		panicked any
	}
	const n = 12
	outcomes := make([]outcome, n)
	cancelled, cancel := context.WithCancel(ctx)
	fail := errors.New("the use case refused")
	for i := 0; i < n; i++ {
		wg.Add(1)
		c := ctx
		if i == 7 {
			c = cancelled
		}
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					outcomes[i].panicked = p
				}
			}()
			outcomes[i].err = s.Write(c, func(tx app.Tx) error {
				o := newOrg(fmt.Sprintf("org-%d", i))
				switch i {
				case 3: // a statement fails: the slug is taken
					o.Slug = "first"
				case 5: // it writes, then refuses
					if err := tx.CreateOrganization(ctx, &o); err != nil {
						return err
					}
					return fail
				case 9:
					if err := tx.CreateOrganization(ctx, &o); err != nil {
						return err
					}
					panic("a bug in a use case")
				}
				return tx.CreateOrganization(ctx, &o)
			})
		}()
	}
	// Wait until all twelve are queued (the queue holds up to 64), give up
	// on one, then let the writer go.
	waitQueued(t, s, n)
	cancel()
	close(release)
	wg.Wait()

	for i, o := range outcomes {
		switch i {
		case 3:
			if !errs.Is(o.err, errs.Conflict) {
				t.Errorf("write %d (taken slug): %v, want a conflict", i, o.err)
			}
		case 5:
			if !errors.Is(o.err, fail) {
				t.Errorf("write %d: %v, want its own error", i, o.err)
			}
		case 7:
			if !errors.Is(o.err, context.Canceled) {
				t.Errorf("write %d (cancelled): %v, want context.Canceled", i, o.err)
			}
		case 9:
			if o.panicked != "a bug in a use case" {
				t.Errorf("write %d: panic %v, want it re-raised in its caller", i, o.panicked)
			}
		default:
			if o.err != nil || o.panicked != nil {
				t.Errorf("write %d: %v %v", i, o.err, o.panicked)
			}
		}
	}
	var kept []string
	read(t, s, func(ctx context.Context, tx app.Tx) error {
		for i := 0; i < n; i++ {
			if _, err := tx.GetOrganizationBySlug(ctx, fmt.Sprintf("org-%d", i)); err == nil {
				kept = append(kept, fmt.Sprint(i))
			} else if !errs.Is(err, errs.NotFound) {
				return err
			}
		}
		return nil
	})
	if got := strings.Join(kept, " "); got != "0 1 2 4 6 8 10 11" {
		t.Errorf("organizations kept: %s, want 0 1 2 4 6 8 10 11", got)
	}
	g, w := s.GroupCommits()
	if g-g0 != 2 || w-w0 != 9 { // the holder alone, then one group of the eight that succeeded
		t.Errorf("%d groups holding %d writes, want 2 holding 9", g-g0, w-w0)
	}
}

// waitQueued waits until n writes wait behind the writer.
func waitQueued(t *testing.T, s *store.Store, n int) {
	t.Helper()
	for i := 0; s.QueuedWrites() < n; i++ {
		if i > 5000 {
			t.Fatalf("%d writes queued, want %d", s.QueuedWrites(), n)
		}
		time.Sleep(time.Millisecond)
	}
}
