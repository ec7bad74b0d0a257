package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/jobs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/pgtest"
	"github.com/okrahq/okra/internal/smtptest"
)

// ---- a chat receiver (a Slack-compatible incoming webhook) on loopback

type chatReceiver struct {
	srv   *httptest.Server
	mu    sync.Mutex
	texts []string
}

func newChatReceiver(t *testing.T) *chatReceiver {
	t.Helper()
	c := &chatReceiver{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Text string `json:"text"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		c.texts = append(c.texts, body.Text)
		c.mu.Unlock()
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *chatReceiver) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.texts
	c.texts = nil
	return out
}

// ---- the simulated quarter

// rhythmWorld is one organization served by one or more app servers over
// one database, with a shared fake clock, a loopback SMTP server and two
// chat receivers (the Web team's and the organization's).
type rhythmWorld struct {
	clock   *demo.Clock
	apps    []*app.App
	runners []*jobs.Runner
	smtp    *smtptest.Server
	webChat *chatReceiver
	orgChat *chatReceiver

	owner, alice, bob, carol, dave org.Actor
	a1, a2, b1, c1, d1, draftKR    okr.KeyResult
}

// newRhythmWorld opens n app servers on the database of flags (SQLite: one
// only) and builds the organization: the monthly organization cadence with
// 3 grace days; the Web team weekly with 2 grace days and its own chat
// webhook; its Mobile sub-team inheriting both; Billing every two weeks,
// grace inherited; a 13-week quarter from Monday 2027-01-04.
func newRhythmWorld(t *testing.T, flags DBFlags, n int) *rhythmWorld {
	t.Helper()
	ctx := context.Background()
	w := &rhythmWorld{clock: &demo.Clock{}, smtp: smtptest.New(t), webChat: newChatReceiver(t), orgChat: newChatReceiver(t)}
	w.clock.Set(time.Date(2027, 1, 3, 12, 0, 0, 0, time.UTC))
	mailer, err := jobs.NewSMTPMailer(jobs.SMTPConfig{Host: "127.0.0.1", Port: smtpPort(w.smtp), From: "okra@acme.test", TLS: jobs.TLSNone, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		m := &Main{DB: flags, Clock: w.clock.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if err := m.Open(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		w.apps = append(w.apps, m.App)
		w.runners = append(w.runners, jobs.New(jobs.Config{App: m.App, Mailer: mailer, Now: w.clock.Now,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Worker: fmt.Sprintf("server-%d", i+1)}))
	}
	a := w.apps[0]
	res, err := a.Init(ctx, app.InitInput{OrgName: "Acme", Email: "owner@acme.test", Name: "Olive Owner"})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	w.owner, err = a.Authenticate(ctx, res.Token, "test")
	must(err)
	person := func(name string) org.Actor {
		m, err := a.CreateUser(ctx, w.owner, app.UserInput{Email: strings.ToLower(name) + "@acme.test", Name: name, Role: org.RoleMember}, "")
		must(err)
		tk, err := a.CreateToken(ctx, w.owner, app.TokenInput{UserID: m.ID, Name: "test", Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite}}, "")
		must(err)
		actor, err := a.Authenticate(ctx, tk.Secret, "test")
		must(err)
		return actor
	}
	w.alice, w.bob, w.carol, w.dave = person("Alice"), person("Bob"), person("Carol"), person("Dave")

	settings, err := a.GetSettings(ctx, w.owner)
	must(err)
	monthly, grace := org.Monthly, 3
	private := []string{w.webChat.srv.Listener.Addr().String(), w.orgChat.srv.Listener.Addr().String()}
	orgURL := w.orgChat.srv.URL + "/org"
	_, err = a.UpdateSettings(ctx, w.owner, &settings.Version, app.SettingsUpdate{Cadence: &monthly, GraceDays: &grace,
		PrivateWebhookTargets: &private, ChatWebhookURL: &orgURL})
	must(err)
	two := 2
	web, err := a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Web", LeadIDs: []string{w.alice.UserID}, MemberIDs: []string{w.dave.UserID},
		Cadence: org.Weekly, GraceDays: &two, ChatWebhookURL: w.webChat.srv.URL + "/web"}, "")
	must(err)
	mobile, err := a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Mobile", ParentID: web.ID, LeadIDs: []string{w.dave.UserID}}, "")
	must(err)
	billing, err := a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Billing", LeadIDs: []string{w.bob.UserID}, Cadence: org.Biweekly}, "")
	must(err)
	p, err := a.CreatePeriod(ctx, w.owner, app.PeriodInput{Name: "2027-Q1", Kind: okr.PeriodQuarterly, StartDate: "2027-01-04", EndDate: "2027-04-04"}, "")
	must(err)
	_, err = a.ActivatePeriod(ctx, w.owner, p.ID)
	must(err)
	objective := func(title string, owner app.OwnerInput, champion string, state okr.ObjectiveState) okr.Objective {
		o, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: p.ID, Title: title, Owner: owner, ChampionID: champion, State: state}, "")
		must(err)
		return o
	}
	kr := func(o okr.Objective, title, owner string) okr.KeyResult {
		zero, hundred := 0.0, 100.0
		k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: title, OwnerID: owner, Kind: okr.Increase,
			Baseline: &zero, Target: &hundred}, "")
		must(err)
		return k
	}
	checkout := objective("Make checkout calm and fast", app.OwnerInput{Type: okr.OwnerTeam, ID: web.ID}, w.alice.UserID, "")
	w.a1 = kr(checkout, "Checkout completes in under 2 seconds", w.alice.UserID)
	w.a2 = kr(checkout, "Abandoned carts fall", w.alice.UserID)
	app1 := objective("Delight mobile shoppers", app.OwnerInput{Type: okr.OwnerTeam, ID: mobile.ID}, w.dave.UserID, "")
	w.d1 = kr(app1, "App rating rises", w.dave.UserID)
	bills := objective("Billing that never surprises", app.OwnerInput{Type: okr.OwnerTeam, ID: billing.ID}, w.bob.UserID, "")
	w.b1 = kr(bills, "Billing disputes fall", w.bob.UserID)
	calm := objective("Be the calmest shop in town", app.OwnerInput{Type: okr.OwnerOrg}, "", "")
	w.c1 = kr(calm, "Net promoter score rises", w.carol.UserID)
	draft := objective("Open a second shop someday", app.OwnerInput{Type: okr.OwnerOrg}, "", okr.Draft)
	w.draftKR = kr(draft, "Shops open", w.carol.UserID)
	return w
}

// tick runs every server's runner at once, as several app servers would.
func (w *rhythmWorld) tick(t *testing.T) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, len(w.runners))
	for i, r := range w.runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.Tick(context.Background())
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("runner %d: %v", i+1, err)
		}
	}
}

// checkIn records a check-in of each key result by its owner, through the
// servers in turn.
func (w *rhythmWorld) checkIn(t *testing.T, who org.Actor, krs ...okr.KeyResult) {
	t.Helper()
	for i, k := range krs {
		v := float64(w.clock.Now().YearDay())
		if _, err := w.apps[i%len(w.apps)].CheckIn(context.Background(), who, k.ID, app.CheckInInput{Value: &v, Confidence: 0.7, Status: okr.OnTrack}, ""); err != nil {
			t.Fatalf("%s checks in %q: %v", who.UserID, k.Title, err)
		}
	}
}

// runQuarter plays the quarter day by day — ticks at 09:00 and 15:00,
// check-ins at 10:00 — and checks who was reminded when, through the
// inbox, the e-mails and the chat webhooks, and when health turned outdated.
func (w *rhythmWorld) runQuarter(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	a := w.apps[0]
	names := map[string]string{w.alice.UserID: "alice", w.bob.UserID: "bob", w.carol.UserID: "carol", w.dave.UserID: "dave", w.owner.UserID: "owner"}
	emails := map[string]string{"alice@acme.test": "alice", "bob@acme.test": "bob", "carol@acme.test": "carol", "dave@acme.test": "dave", "owner@acme.test": "owner"}
	// Check-ins: Alice on three days only; Bob every two weeks but late
	// once; Carol never; Dave every Monday.
	checkIns := map[string][]func(){}
	on := func(day string, f func()) { checkIns[day] = append(checkIns[day], f) }
	for _, d := range []string{"01-08", "01-13", "02-01"} {
		on(d, func() { w.checkIn(t, w.alice, w.a1, w.a2) })
	}
	for _, d := range []string{"01-15", "02-12", "03-05"} {
		on(d, func() { w.checkIn(t, w.bob, w.b1) })
	}
	for d := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC); d.Before(time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 7) {
		on(d.Format("01-02"), func() { w.checkIn(t, w.dave, w.d1) })
	}

	got := map[string][]string{}     // person → the moments their reminders came ("01-20 15")
	mailed := map[string][]string{}  // person → the moments reminder e-mails came
	chats := map[string][]string{}   // "web"/"org" → the moments and who was named
	digests := map[string][]string{} // person → ISO weeks of their digests (from the inbox)
	outdated := map[string]string{}  // key result → the first tick it read outdated (after its start below)
	watch := map[string]struct {
		k     okr.KeyResult
		after string
	}{"a1": {w.a1, "02-01 15"}, "b1": {w.b1, "01-01 00"}, "c1": {w.c1, "01-01 00"}, "d1": {w.d1, "01-01 00"}}
	seenNotes := map[string]bool{}

	for day := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC); !day.After(time.Date(2027, 4, 10, 0, 0, 0, 0, time.UTC)); day = day.AddDate(0, 0, 1) {
		for _, hour := range []int{9, 10, 15} {
			now := day.Add(time.Duration(hour) * time.Hour)
			w.clock.Set(now)
			stamp := now.Format("01-02 15")
			if hour == 10 {
				for _, f := range checkIns[day.Format("01-02")] {
					f()
				}
				continue
			}
			w.tick(t)
			// The inbox of each person.
			for _, who := range []org.Actor{w.alice, w.bob, w.carol, w.dave} {
				in, err := a.ListNotifications(ctx, who, false, app.PageRequest{Limit: 200})
				if err != nil {
					t.Fatal(err)
				}
				for _, n := range in.Items {
					if seenNotes[n.ID] {
						continue
					}
					seenNotes[n.ID] = true
					switch n.Kind {
					case app.NotifyReminder:
						got[names[who.UserID]] = append(got[names[who.UserID]], stamp)
						if who.UserID == w.alice.UserID && (!strings.Contains(n.Body, w.a1.Title) || !strings.Contains(n.Body, w.a2.Title) || n.Title != "2 key results are due for a check-in") {
							t.Errorf("%s: Alice's reminder does not list both key results: %q\n%s", stamp, n.Title, n.Body)
						}
					case app.NotifyDigest, app.NotifyLeadDigest:
						y, wk := now.ISOWeek()
						digests[names[who.UserID]+" "+n.Kind] = append(digests[names[who.UserID]+" "+n.Kind], fmt.Sprintf("%d-W%02d", y, wk))
					}
				}
			}
			for _, m := range w.smtp.Take() {
				if strings.Contains(m.Subject, "due for a check-in") || strings.Contains(m.Subject, "Check-in due:") {
					to := strings.Join(m.To, ",")
					mailed[emails[to]] = append(mailed[emails[to]], stamp)
					if !strings.Contains(m.Text, "/checkin") || !strings.HasPrefix(m.Subject, "[Acme] ") {
						t.Errorf("%s: the reminder e-mail to %s lacks its subject prefix or link: %q\n%s", stamp, to, m.Subject, m.Text)
					}
				}
			}
			for name, c := range map[string]*chatReceiver{"web": w.webChat, "org": w.orgChat} {
				for _, text := range c.take() {
					if !strings.HasPrefix(text, "Check-ins due for ") {
						continue
					}
					var who []string
					for _, n := range names {
						if strings.Contains(text, " — "+personName(n)+" (") {
							who = append(who, n)
						}
					}
					who = slices.Compact(who)
					slices.Sort(who)
					chats[name] = append(chats[name], stamp+" "+strings.Join(who, "+"))
				}
			}
			for key, x := range watch {
				if _, done := outdated[key]; done || stamp < x.after {
					continue
				}
				k, err := a.GetKeyResult(ctx, w.owner, x.k.ID)
				if err != nil {
					t.Fatal(err)
				}
				if k.Health == okr.HealthOutdated {
					outdated[key] = stamp
				}
			}
		}
	}

	// Reminders, by hand: each due moment is the last check-in (else the
	// period's start, 01-04 00:00) plus the cadence, reminded at the first
	// tick at or after it, until the period ends (04-05 00:00).
	want := map[string][]string{
		// Weekly (Web): check-ins 01-08, 01-13 10:00, then silence; 02-01 10:00, then silence.
		"alice": {"01-20 15", "01-27 15", "02-08 15", "02-15 15", "02-22 15", "03-01 15", "03-08 15", "03-15 15", "03-22 15", "03-29 15"},
		// Every two weeks (Billing): 01-15 10:00 → due 01-29; late on 02-12 → 02-26; 03-05 → 03-19, 04-02.
		"bob": {"01-29 15", "02-26 15", "03-19 15", "04-02 15"},
		// Monthly (the organization): never checked in, due 02-03, 03-05, 04-04 at midnight.
		"carol": {"02-03 09", "03-05 09", "04-04 09"},
		// Dave checks in every Monday at 10:00: never due at a tick.
	}
	for _, who := range []string{"alice", "bob", "carol", "dave"} {
		if !slices.Equal(got[who], want[who]) {
			t.Errorf("%s's reminders in the inbox:\n got %v\nwant %v", who, got[who], want[who])
		}
		if !slices.Equal(mailed[who], want[who]) {
			t.Errorf("%s's reminder e-mails:\n got %v\nwant %v", who, mailed[who], want[who])
		}
	}
	var wantWeb, wantOrg []string
	for _, s := range want["alice"] {
		wantWeb = append(wantWeb, s+" alice")
	}
	for _, s := range append(append([]string(nil), want["bob"]...), want["carol"]...) {
		who := "bob"
		if slices.Contains(want["carol"], s) {
			who = "carol"
		}
		wantOrg = append(wantOrg, s+" "+who)
	}
	slices.Sort(wantOrg)
	if !slices.Equal(chats["web"], wantWeb) {
		t.Errorf("the Web team's chat:\n got %v\nwant %v", chats["web"], wantWeb)
	}
	if !slices.Equal(chats["org"], wantOrg) {
		t.Errorf("the organization's chat (Billing has none of its own):\n got %v\nwant %v", chats["org"], wantOrg)
	}
	// Outdated: the first tick after the cadence plus grace has passed
	// since the last check-in (or the period's start).
	wantOutdated := map[string]string{
		"a1": "02-10 15", // 02-01 10:00 + 7 + 2 days = 02-10 10:00
		"b1": "02-01 15", // 01-15 10:00 + 14 + 3 days = 02-01 10:00
		"c1": "02-06 09", // 01-04 00:00 + 30 + 3 days = 02-06 00:00
		"d1": "04-07 15", // weekly until 03-29 10:00; + 7 + 2 days (Mobile inherits Web's) = 04-07 10:00
	}
	for key, wantAt := range wantOutdated {
		if outdated[key] != wantAt {
			t.Errorf("%s turned outdated at %q, want %q", key, outdated[key], wantAt)
		}
	}
	// Digests: at most one a person a week, and some came.
	for who, weeks := range digests {
		if len(slices.Compact(slices.Clone(weeks))) != len(weeks) {
			t.Errorf("%s: more than one digest in a week: %v", who, weeks)
		}
	}
	if len(digests["carol digest"]) == 0 || len(digests["alice lead_digest"]) == 0 {
		t.Errorf("digests: %v", digests)
	}
	// The draft objective's key result was never reminded.
	sent, err := a.ListNotifications(ctx, w.carol, false, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range sent.Items {
		if strings.Contains(n.Body, w.draftKR.Title) && n.Kind == app.NotifyReminder {
			t.Errorf("a draft objective's key result was reminded: %s", n.Body)
		}
	}
}

// personName is the name a test person has ("alice" → "Alice").
func personName(n string) string { return strings.ToUpper(n[:1]) + n[1:] }

// TestRhythmQuarter plays a 13-week quarter on a fake clock with one app
// server and its job runner: reminders go exactly to the people whose
// check-ins are due, once per due moment, by inbox, e-mail (a real SMTP
// server on loopback) and chat webhook; health turns outdated on the tick
// the cadence plus grace has passed.
func TestRhythmQuarter(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		newRhythmWorld(t, DBFlags{Data: t.TempDir()}, 1).runQuarter(t)
	})
	t.Run("postgres", func(t *testing.T) {
		newRhythmWorld(t, DBFlags{DatabaseURL: pgtest.URL(t)}, 1).runQuarter(t)
	})
}

func smtpPort(s *smtptest.Server) int {
	_, port := s.Addr()
	return port
}
