package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

// rhyClock is a clock the test sets.
type rhyClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *rhyClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *rhyClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func rhyFields(err error) map[string]string {
	out := map[string]string{}
	if e, ok := err.(*errs.Error); ok {
		for _, f := range e.Fields {
			out[f.Field] = f.Message
		}
	}
	return out
}

func TestSettingsUpdate(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	a := w.a
	s, err := a.GetSettings(ctx, w.ann)
	if err != nil {
		t.Fatal(err)
	}
	if s.Cadence != org.Weekly || s.CadenceDays != 7 || s.GraceDays != 3 || s.Version != 0 {
		t.Fatalf("a new organization's settings: %+v", s)
	}
	biweekly := org.Biweekly
	_, err = a.UpdateSettings(ctx, w.ann, &s.Version, app.SettingsUpdate{Cadence: &biweekly})
	wantKind(t, err, errs.Forbidden)
	_, err = a.UpdateSettings(ctx, w.owner, nil, app.SettingsUpdate{Cadence: &biweekly})
	wantKind(t, err, errs.PreconditionRequired)

	daily, forty, tooHigh, two, ten := org.Cadence("daily"), 40, 1.5, 2, 10
	targets := []string{"10.0.0.0/8", "nonsense"}
	ftp := "ftp://chat.example/hook"
	_, err = a.UpdateSettings(ctx, w.owner, &s.Version, app.SettingsUpdate{Cadence: &daily, GraceDays: &forty, BehindThreshold: &tooHigh,
		ForecastPoints: &two, SkillDecayDays: &ten, PrivateWebhookTargets: &targets, ChatWebhookURL: &ftp})
	wantKind(t, err, errs.Invalid)
	fs := rhyFields(err)
	for _, f := range []string{"cadence", "grace_days", "behind_threshold", "forecast_points", "skill_decay_days", "private_webhook_targets[1]"} {
		if fs[f] == "" {
			t.Errorf("no message for %s: %v", f, fs)
		}
	}
	if !strings.Contains(fs["cadence"], "weekly, biweekly or monthly") || !strings.Contains(fs["grace_days"], "between 0 and 30") {
		t.Errorf("messages: %v", fs)
	}

	// A private chat webhook is refused until the admin allows its address.
	local := "http://127.0.0.1:9/hook"
	_, err = a.UpdateSettings(ctx, w.owner, &s.Version, app.SettingsUpdate{ChatWebhookURL: &local})
	if fs := rhyFields(err); !strings.Contains(fs["chat_webhook_url"], "loopback") {
		t.Errorf("a loopback chat webhook: %v", err)
	}
	allow := []string{"127.0.0.1:9"}
	grace := 5
	got, err := a.UpdateSettings(ctx, w.owner, &s.Version, app.SettingsUpdate{Cadence: &biweekly, GraceDays: &grace, ChatWebhookURL: &local, PrivateWebhookTargets: &allow})
	if err != nil {
		t.Fatal(err)
	}
	if got.Cadence != org.Biweekly || got.CadenceDays != 14 || got.GraceDays != 5 || got.Version != 1 || got.ChatWebhookURL != local {
		t.Errorf("saved: %+v", got)
	}
	_, err = a.UpdateSettings(ctx, w.owner, &s.Version, app.SettingsUpdate{GraceDays: &grace})
	wantKind(t, err, errs.PreconditionFailed)
	// Members read the rhythm, not the webhook.
	if v, err := a.GetSettings(ctx, w.viola); err != nil || v.ChatWebhookURL != "" || len(v.PrivateWebhookTargets) != 0 || v.CadenceDays != 14 {
		t.Errorf("a viewer reads %+v %v", v, err)
	}
	// The audit log (and so the outgoing event) keeps the webhook's host, not its secret path.
	events, err := a.ListAuditEvents(ctx, w.owner, app.AuditQuery{SubjectID: w.owner.OrgID})
	if err != nil || len(events.Items) == 0 {
		t.Fatalf("settings audit events: %v %v", events.Items, err)
	}
	if after := string(events.Items[0].After); strings.Contains(after, "/hook") || !strings.Contains(after, `http://127.0.0.1:9/…`) {
		t.Errorf("the audit event shows the chat webhook as %s", after)
	}
}

// TestTeamCadenceAndOutdated: a key result turns outdated exactly when its
// cadence plus grace has passed since its last check-in (or the period's
// start): the owning team's, walking up the tree, else the organization's.
func TestTeamCadenceAndOutdated(t *testing.T) {
	ctx := context.Background()
	clock := &rhyClock{t: time.Date(2026, 12, 30, 12, 0, 0, 0, time.UTC)}
	w := newWorldWith(t, store.Config{Now: clock.Now})
	a := w.a
	s, _ := a.GetSettings(ctx, w.owner)
	monthly := org.Monthly
	if _, err := a.UpdateSettings(ctx, w.owner, &s.Version, app.SettingsUpdate{Cadence: &monthly}); err != nil {
		t.Fatal(err)
	}
	two := 2
	weekly := "weekly"
	parent, err := a.UpdateTeam(ctx, w.owner, w.team.ID, &w.team.Version, app.TeamUpdate{Cadence: &weekly, GraceDays: &two})
	if err != nil {
		t.Fatal(err)
	}
	child, err := a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Support Tier 2", ParentID: w.team.ID, LeadIDs: []string{w.bob.UserID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if child.Cadence != nil || child.GraceDays != nil {
		t.Fatalf("a new team inherits: %+v", child)
	}
	bad := "daily"
	_, err = a.UpdateTeam(ctx, w.owner, child.ID, &child.Version, app.TeamUpdate{Cadence: &bad})
	if fs := rhyFields(err); !strings.Contains(fs["cadence"], "weekly, biweekly or monthly") {
		t.Errorf("a daily team cadence: %v", err)
	}
	if _, err := a.ActivatePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	mk := func(owner app.OwnerInput) okr.KeyResult {
		o, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Answer every customer kindly", Owner: owner}, "")
		if err != nil {
			t.Fatal(err)
		}
		k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "Kind answers", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)}, "")
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	teamKR := mk(app.OwnerInput{Type: okr.OwnerTeam, ID: child.ID})
	orgKR := mk(app.OwnerInput{Type: okr.OwnerOrg})
	checkedAt := time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC)
	clock.Set(checkedAt)
	if _, err := a.CheckIn(ctx, w.owner, teamKR.ID, app.CheckInInput{Value: ptr(2.0), Confidence: 0.8, Status: okr.OnTrack}, ""); err != nil {
		t.Fatal(err)
	}
	health := func(id string, at time.Time) okr.Health {
		t.Helper()
		clock.Set(at)
		k, err := a.GetKeyResult(ctx, w.owner, id)
		if err != nil {
			t.Fatal(err)
		}
		return k.Health
	}
	// The sub-team inherits its parent's week and two days: 9 days.
	nine := checkedAt.Add(9 * 24 * time.Hour)
	if h := health(teamKR.ID, nine); h != okr.HealthOnTrack {
		t.Errorf("at cadence + grace exactly: %s, want on_track", h)
	}
	if h := health(teamKR.ID, nine.Add(time.Second)); h != okr.HealthOutdated {
		t.Errorf("a second later: %s, want outdated", h)
	}
	// A list whose objectives belong to more teams than a read resolves one
	// chain at a time (so it loads every team at once) agrees with it.
	squads := map[string]bool{}
	for i := 0; i < 9; i++ {
		sq, err := a.CreateTeam(ctx, w.owner, app.TeamInput{Name: fmt.Sprintf("Squad %d", i), ParentID: child.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		squads[mk(app.OwnerInput{Type: okr.OwnerTeam, ID: sq.ID}).ID] = true
	}
	list, err := a.ListKeyResults(ctx, w.owner, app.KeyResultQuery{PeriodID: w.period.ID})
	if err != nil || len(list.Items) != 11 {
		t.Fatalf("%d key results, %v; want 11", len(list.Items), err)
	}
	for _, k := range list.Items {
		if want := map[bool]okr.Health{true: okr.HealthPending, false: okr.HealthOutdated}[squads[k.ID]]; k.ID != orgKR.ID && k.Health != want {
			t.Errorf("listed key result %s: %s, want %s", k.ID, k.Health, want)
		}
	}
	// The organization's key result: a month and three days from the period's start (2027-01-01).
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if h := health(orgKR.ID, start.Add(33*24*time.Hour)); h != okr.HealthPending {
		t.Errorf("org key result at 33 days: %s, want pending", h)
	}
	if h := health(orgKR.ID, start.Add(33*24*time.Hour+time.Second)); h != okr.HealthOutdated {
		t.Errorf("org key result after 33 days: %s, want outdated", h)
	}
	// The parent goes back to inheriting: the organization's month applies.
	inherit, minus := "inherit", -1
	if _, err := a.UpdateTeam(ctx, w.owner, parent.ID, &parent.Version, app.TeamUpdate{Cadence: &inherit, GraceDays: &minus}); err != nil {
		t.Fatal(err)
	}
	if h := health(teamKR.ID, nine.Add(time.Second)); h != okr.HealthOnTrack {
		t.Errorf("after the team inherits the month: %s, want on_track", h)
	}
	// Reminders follow the same cadence: the sub-team's key result is due a
	// month after its check-in, once.
	clock.Set(checkedAt.Add(30*24*time.Hour + time.Hour))
	n, err := a.SendReminders(ctx, w.owner.OrgID)
	if err != nil || n != 2 { // the team's key result and the organization's (due 01-31)
		t.Errorf("reminders: %d %v, want 2", n, err)
	}
	if n, err := a.SendReminders(ctx, w.owner.OrgID); err != nil || n != 0 {
		t.Errorf("a rerun sends %d %v, want 0", n, err)
	}
}

func TestAskForBlockerAndInbox(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	a := w.a
	if _, err := a.ActivatePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	o, err := a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Keep our promises to customers", Owner: app.OwnerInput{Type: okr.OwnerUser}}, "")
	if err != nil {
		t.Fatal(err)
	}
	k, err := a.CreateKeyResult(ctx, w.ann, app.KeyResultInput{ObjectiveID: o.ID, Title: "Promises kept", Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)}, "")
	if err != nil {
		t.Fatal(err)
	}
	checkIn := func(conf float64, blockers []okr.Blocker) app.CheckInResult {
		t.Helper()
		r, err := a.CheckIn(ctx, w.ann, k.ID, app.CheckInInput{Value: ptr(1.0), Confidence: conf, Status: okr.AtRisk, Blockers: blockers}, "")
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	low := checkIn(0.3, nil)
	if len(low.Warnings) == 0 {
		t.Error("the warning that asks for a blocker is gone")
	}
	checkIn(0.3, []okr.Blocker{{Type: okr.BlockerResource, Description: "Nobody on the night shift"}})
	checkIn(0.5, nil)
	in, err := a.ListNotifications(ctx, w.ann, false, app.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Items) != 1 || in.Unread != 1 || in.Items[0].Kind != app.NotifyBlocker || !strings.Contains(in.Items[0].Title, "Promises kept") ||
		!strings.Contains(in.Items[0].Body, "3 in 10") || in.Items[0].Link != "/checkin" {
		t.Fatalf("Ann's inbox: %+v", in)
	}
	n := in.Items[0]
	// Someone else's notification is not found; the e-mail goes to Ann.
	_, err = a.ReadNotification(ctx, w.bob, n.ID)
	wantKind(t, err, errs.NotFound)
	to, subject, text, err := a.NotificationEmail(ctx, w.owner.OrgID, n.ID)
	if err != nil || to != "ann@acme.test" || subject != "[Acme] "+n.Title || !strings.Contains(text, "/checkin") {
		t.Errorf("the e-mail: %q %q %q %v", to, subject, text, err)
	}
	if got := app.EmailLinks("Open it: /checkin\nYour inbox: /inbox", "https://okra.example/"); got != "Open it: https://okra.example/checkin\nYour inbox: https://okra.example/inbox" {
		t.Errorf("EmailLinks: %q", got)
	}
	// Only okra's pages: a title's "and /or" or a file path stays as written.
	if got := app.EmailLinks("Cut refunds and /or returns / exchanges: /objectives/01a2#kr-9 /etc/hosts /kpis?x=1\nHome: /", "https://okra.example"); got !=
		"Cut refunds and /or returns / exchanges: https://okra.example/objectives/01a2#kr-9 /etc/hosts https://okra.example/kpis?x=1\nHome: https://okra.example/" {
		t.Errorf("EmailLinks of other slashes: %q", got)
	}
	read, err := a.ReadNotification(ctx, w.ann, n.ID)
	if err != nil || read.ReadAt == nil {
		t.Fatalf("read: %+v %v", read, err)
	}
	if in, _ := a.ListNotifications(ctx, w.ann, true, app.PageRequest{}); len(in.Items) != 0 || in.Unread != 0 {
		t.Errorf("unread after reading: %+v", in)
	}
	checkIn(0.1, nil)
	checkIn(0.2, nil)
	if m, err := a.ReadAllNotifications(ctx, w.ann); err != nil || m != 2 {
		t.Errorf("read all: %d %v, want 2", m, err)
	}
	if u, _ := a.UnreadNotifications(ctx, w.ann); u != 0 {
		t.Errorf("unread: %d", u)
	}
}

// TestDigests: a person's digest says what moved in the week and what is at
// risk; a lead's, their team's key results and who has not checked in;
// each once per ISO week.
func TestDigests(t *testing.T) {
	ctx := context.Background()
	clock := &rhyClock{t: time.Date(2026, 12, 30, 12, 0, 0, 0, time.UTC)}
	w := newWorldWith(t, store.Config{Now: clock.Now})
	a := w.a
	if _, err := a.ActivatePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	// The Support team (led by Ann) owns an objective; Bob owns two of its key results.
	o, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Answer every customer kindly", Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	kr := func(title string) okr.KeyResult {
		k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: title, OwnerID: w.bob.UserID, Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(100.0)}, "")
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	moved, risky := kr("Kind answers"), kr("Answers within an hour")
	clock.Set(time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC)) // Tuesday, week 1
	if _, err := a.CheckIn(ctx, w.bob, moved.ID, app.CheckInInput{Value: ptr(40.0), Confidence: 0.8, Status: okr.OnTrack}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CheckIn(ctx, w.bob, risky.ID, app.CheckInInput{Value: ptr(0.0), Confidence: 0.5, Status: okr.AtRisk}, ""); err != nil {
		t.Fatal(err)
	}
	// Learning: Bob's workshop is due within two weeks of the digest, Ann's
	// later (so she gets no digest of her own).
	prog, err := a.CreateProgram(ctx, w.owner, app.ProgramInput{Title: "Negotiation workshop", Kind: learning.KindWorkshop}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []app.EnrollmentInput{{UserID: w.bob.UserID, ProgramID: prog.ID, DueDate: "2027-01-20"}, {UserID: w.ann.UserID, ProgramID: prog.ID, DueDate: "2027-03-01"}} {
		if _, err := a.Enroll(ctx, w.owner, e, ""); err != nil {
			t.Fatal(err)
		}
	}
	clock.Set(time.Date(2027, 1, 11, 7, 0, 0, 0, time.UTC)) // Monday, week 2
	n, err := a.SendDigests(ctx, w.owner.OrgID)
	if err != nil || n != 2 {
		t.Fatalf("digests: %d %v, want Bob's and Ann's", n, err)
	}
	only := func(who org.Actor, kind string) app.Notification {
		t.Helper()
		in, err := a.ListNotifications(ctx, who, false, app.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var out []app.Notification
		for _, n := range in.Items {
			if n.Kind == kind {
				out = append(out, n)
			}
		}
		if len(out) != 1 {
			t.Fatalf("%s has %d %s notifications: %+v", who.UserID, len(out), kind, in.Items)
		}
		return out[0]
	}
	bob := only(w.bob, app.NotifyDigest)
	for _, want := range []string{"What moved this week:", "Kind answers", "0 → 40, now 40%", "At risk or off track:", "Answers within an hour", "(at risk)",
		"Learning due:\n• Negotiation workshop (due 2027-01-20, 0% done): /learning"} {
		if !strings.Contains(bob.Body, want) {
			t.Errorf("Bob's digest lacks %q:\n%s", want, bob.Body)
		}
	}
	if bob.Title != "Your week in okra (2027-W02)" {
		t.Errorf("Bob's digest is titled %q", bob.Title)
	}
	ann := only(w.ann, app.NotifyLeadDigest)
	if !strings.HasPrefix(ann.Body, "Support (2 key results): /teams/"+w.team.ID) || !strings.Contains(ann.Body, "Kind answers") {
		t.Errorf("Ann's lead digest:\n%s", ann.Body)
	}
	if strings.Contains(ann.Body, "Not checked in") {
		t.Errorf("Bob checked in within the week, yet:\n%s", ann.Body)
	}
	// Once a week: a rerun sends nothing.
	if n, err := a.SendDigests(ctx, w.owner.OrgID); err != nil || n != 0 {
		t.Errorf("a rerun in the same week: %d %v", n, err)
	}
	// Two weeks later Bob has not checked in: nothing moved, both outdated, Ann reads who is silent.
	clock.Set(time.Date(2027, 1, 25, 7, 0, 0, 0, time.UTC))
	if n, err := a.SendDigests(ctx, w.owner.OrgID); err != nil || n != 2 {
		t.Fatalf("digests in week 4: %d %v", n, err)
	}
	in, _ := a.ListNotifications(ctx, w.ann, false, app.PageRequest{})
	latest := in.Items[0]
	for _, want := range []string{"Outdated:", "Not checked in:", "• bob@acme.test (2 key results due)"} {
		if !strings.Contains(latest.Body, want) {
			t.Errorf("Ann's week-4 digest lacks %q:\n%s", want, latest.Body)
		}
	}
	if strings.Contains(latest.Body, "What moved") {
		t.Errorf("nothing moved in week 4:\n%s", latest.Body)
	}
}
