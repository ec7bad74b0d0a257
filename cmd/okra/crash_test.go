package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/pgtest"
)

// TestMain lets tests run this very binary as the okra command.
func TestMain(m *testing.M) {
	if args := os.Getenv("OKRA_TEST_ARGS"); args != "" {
		var argv []string
		if err := json.Unmarshal([]byte(args), &argv); err != nil {
			panic(err)
		}
		os.Args = append([]string{"okra"}, argv...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// seedOne creates an organization with one key result and returns a token and its id.
func seedOne(t *testing.T, db DBFlags) (token, krID string) {
	t.Helper()
	ctx := context.Background()
	m := &Main{DB: db}
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	res, err := m.App.Init(ctx, app.InitInput{OrgName: "Crash Test", Email: "owner@crash.test"})
	if err != nil {
		t.Fatal(err)
	}
	actor, err := m.App.Authenticate(ctx, res.Token, "seed")
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.App.CreatePeriod(ctx, actor, app.PeriodInput{Name: "Q", Kind: okr.PeriodQuarterly, StartDate: "2027-01-01", EndDate: "2027-03-31"}, "")
	if err != nil {
		t.Fatal(err)
	}
	o, err := m.App.CreateObjective(ctx, actor, app.ObjectiveInput{PeriodID: p.ID, Title: "Survive crashes gracefully", Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}
	zero, hundred := 0.0, 1e9
	k, err := m.App.CreateKeyResult(ctx, actor, app.KeyResultInput{ObjectiveID: o.ID, Title: "Check-ins kept", Kind: okr.Increase, Baseline: &zero, Target: &hundred}, "")
	if err != nil {
		t.Fatal(err)
	}
	return res.Token, k.ID
}

// TestKill9LosesNoAnsweredCheckIn starts okra serve, fires a burst of
// check-ins from several clients, kills the server with SIGKILL in the middle
// of it, and proves every check-in answered 201 is in the database.
func TestKill9LosesNoAnsweredCheckIn(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	t.Run("sqlite", func(t *testing.T) { kill9(t, DBFlags{Data: t.TempDir()}) })
	t.Run("postgres", func(t *testing.T) { kill9(t, DBFlags{DatabaseURL: pgtest.URL(t)}) })
}

func kill9(t *testing.T, db DBFlags) {
	token, krID := seedOne(t, db)

	addr := freeAddr(t)
	serve := []string{"serve", "--addr", addr, "--log-level", "warn", "--data", db.Data}
	if db.DatabaseURL != "" {
		serve = []string{"serve", "--addr", addr, "--log-level", "warn", "--database-url", db.DatabaseURL}
	}
	args, _ := json.Marshal(serve)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "OKRA_TEST_ARGS="+string(args))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr
	waitHealthy(t, base)

	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: 5 * time.Second}
	stop := make(chan struct{})
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf(`{"value": %d, "confidence": 0.8, "status": "on_track"}`, w*100000+i)
				req, _ := http.NewRequest("POST", base+"/api/v1/key-results/"+krID+"/check-ins", bytes.NewBufferString(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				var c struct {
					ID string `json:"id"`
				}
				_ = json.NewDecoder(resp.Body).Decode(&c)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated && c.ID != "" {
					mu.Lock()
					acked = append(acked, c.ID)
					mu.Unlock()
				}
			}
		}(w)
	}
	// Let the burst run, then kill the server in the middle of it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 100 {
		t.Fatalf("only %d check-ins were answered before the kill; the burst did not run", len(acked))
	}

	// Reopen the database as a new process would and look for every answered check-in.
	m := &Main{DB: db}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	actor, err := m.App.Authenticate(context.Background(), token, "verify")
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	page := app.PageRequest{Limit: 200}
	for {
		p, err := m.App.ListCheckIns(context.Background(), actor, krID, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Items {
			stored[c.ID] = true
		}
		if p.NextCursor == "" {
			break
		}
		page.Cursor = p.NextCursor
	}
	lost := 0
	for _, id := range acked {
		if !stored[id] {
			lost++
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d check-ins answered 201 were lost after kill -9", lost, len(acked))
	}
	t.Logf("%d check-ins answered before kill -9, all %d stored (%d stored in all)", len(acked), len(acked), len(stored))
}
