package jobs_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/jobs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// clock is a settable test clock shared by the store and the runner.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2027, 1, 6, 10, 0, 0, 0, time.UTC)} } // a Wednesday

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one okra: a store on a fake clock, its use cases with a secret
// key, an organization with its owner, and a runner.
type env struct {
	s      *store.Store
	a      *app.App
	clock  *clock
	owner  org.Actor
	runner *jobs.Runner
	key    []byte
}

func secretKey(tb testing.TB) []byte {
	tb.Helper()
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		tb.Fatal(err)
	}
	return k
}

// eachEngine runs fn on SQLite and on PostgreSQL, each with a new env.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		c := newClock()
		fn(t, newEnv(t, storetest.SQLite(t, store.Config{Now: c.Now}), c, nil))
	})
	t.Run("postgres", func(t *testing.T) {
		c := newClock()
		fn(t, newEnv(t, storetest.Postgres(t, store.Config{Now: c.Now}), c, nil))
	})
}

// newEnv builds the use cases over s with an organization (when none is
// given by key reuse) and a runner with the given mailer.
func newEnv(tb testing.TB, s *store.Store, c *clock, mailer jobs.Mailer) *env {
	tb.Helper()
	e := &env{s: s, clock: c, key: secretKey(tb)}
	e.a = app.New(s, nil)
	e.a.SetJobsConfig(app.JobsConfig{SecretKey: e.key, PublicURL: "https://okra.test"})
	ctx := context.Background()
	res, err := e.a.Init(ctx, app.InitInput{OrgName: "Acme", Email: "owner@acme.test", Name: "Olga Owner", TimeZone: "Europe/Berlin"})
	if err != nil {
		tb.Fatal(err)
	}
	if e.owner, err = e.a.Authenticate(ctx, res.Token, "test"); err != nil {
		tb.Fatal(err)
	}
	e.runner = jobs.New(jobs.Config{App: e.a, Now: c.Now, Mailer: mailer, Worker: "w1"})
	return e
}

func (e *env) tick(tb testing.TB) {
	tb.Helper()
	if err := e.runner.Tick(context.Background()); err != nil {
		tb.Fatalf("tick: %v", err)
	}
}

// allow lets the organization's webhooks reach the given loopback URLs' host:port.
func (e *env) allow(tb testing.TB, urls ...string) {
	tb.Helper()
	var targets []string
	for _, u := range urls {
		p, err := url.Parse(u)
		if err != nil {
			tb.Fatal(err)
		}
		targets = append(targets, p.Host)
	}
	v, err := e.a.GetSettings(context.Background(), e.owner)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := e.a.UpdateSettings(context.Background(), e.owner, &v.Version, app.SettingsUpdate{PrivateWebhookTargets: &targets}); err != nil {
		tb.Fatalf("allow %v: %v", targets, err)
	}
}

func (e *env) webhook(tb testing.TB, url string, events ...string) app.NewWebhook {
	tb.Helper()
	w, err := e.a.CreateWebhook(context.Background(), e.owner, app.WebhookInput{URL: url, Events: events, Description: "test"}, "")
	if err != nil {
		tb.Fatalf("create webhook: %v", err)
	}
	return w
}

// okrs creates a period, an objective, a key result and a check-in, an
// initiative, and returns the key result.
func (e *env) okrs(tb testing.TB) okr.KeyResult {
	tb.Helper()
	ctx := context.Background()
	p, err := e.a.CreatePeriod(ctx, e.owner, app.PeriodInput{Name: "2027-Q1", Kind: okr.PeriodQuarterly, StartDate: "2027-01-01", EndDate: "2027-03-31"}, "")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := e.a.ActivatePeriod(ctx, e.owner, p.ID); err != nil {
		tb.Fatal(err)
	}
	o, err := e.a.CreateObjective(ctx, e.owner, app.ObjectiveInput{PeriodID: p.ID, Title: "Delight customers", Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		tb.Fatal(err)
	}
	zero, ten := 0.0, 10.0
	k, err := e.a.CreateKeyResult(ctx, e.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "Ship ten improvements", Kind: okr.Increase, Baseline: &zero, Target: &ten}, "")
	if err != nil {
		tb.Fatal(err)
	}
	v := 3.0
	if _, err := e.a.CheckIn(ctx, e.owner, k.ID, app.CheckInInput{Value: &v, Confidence: 0.8, Status: okr.OnTrack, Note: "good week"}, ""); err != nil {
		tb.Fatal(err)
	}
	if _, err := e.a.CreateInitiative(ctx, e.owner, app.InitiativeInput{Title: "Survey churned customers", KeyResultIDs: []string{k.ID}}, ""); err != nil {
		tb.Fatal(err)
	}
	return k
}

// received is one request a receiver got.
type received struct {
	Header http.Header
	Body   []byte
	Event  app.EventBody
}

// receiver is a webhook receiver on loopback that records what it gets and
// answers with status (200 when zero).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	status int
	reply  []byte // the answer's body ("thanks" when nil)
}

func newReceiver(tb testing.TB) *receiver {
	tb.Helper()
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		var ev app.EventBody
		_ = json.Unmarshal(b, &ev)
		r.mu.Lock()
		r.got = append(r.got, received{Header: req.Header.Clone(), Body: b, Event: ev})
		status, reply := r.status, r.reply
		r.mu.Unlock()
		if status == 0 {
			status = http.StatusOK
		}
		if reply == nil {
			reply = []byte("thanks")
		}
		w.WriteHeader(status)
		_, _ = w.Write(reply)
	}))
	tb.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func (r *receiver) setStatus(s int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = s
}
