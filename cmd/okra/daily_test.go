package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/pgtest"
)

// okraEnv runs this test binary as `okra args…` with extra environment
// variables (OKRA_URL, OKRA_TOKEN…) and returns its output and exit code.
func okraEnv(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	argv, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "OKRA_TEST_ARGS="+string(argv), "NO_COLOR=", "OKRA_URL=", "OKRA_TOKEN=")
	cmd.Env = append(cmd.Env, env...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

// dailyWorld is a running okra with Ana's key results in an active period.
type dailyWorld struct {
	m          *Main
	env        []string // OKRA_URL and Ana's OKRA_TOKEN
	ana        org.Actor
	owner      org.Actor
	conversion okr.KeyResult // Ana's, percent 4 → 10
	signups    okr.KeyResult // Ana's, number 100 → 200
	mobile     okr.KeyResult // Ana's, boolean
	championed okr.KeyResult // the owner's, of an objective Ana champions
	uptime     okr.KeyResult // the owner's, nothing of Ana's
	growth     okr.Objective
	reliable   okr.Objective
}

func startDaily(t *testing.T, db DBFlags) *dailyWorld {
	t.Helper()
	ctx := context.Background()
	m := &Main{DB: db, Addr: "127.0.0.1:0"}
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	a := m.App
	res, err := a.Init(ctx, app.InitInput{OrgName: "Daily Co", Email: "owner@daily.test"})
	if err != nil {
		t.Fatal(err)
	}
	w := &dailyWorld{m: m}
	if w.owner, err = a.Authenticate(ctx, res.Token, "seed"); err != nil {
		t.Fatal(err)
	}
	ana, err := a.CreateUser(ctx, w.owner, app.UserInput{Email: "ana@daily.test", Name: "Ana", Role: org.RoleMember}, "")
	if err != nil {
		t.Fatal(err)
	}
	tk, err := a.MintToken(ctx, res.Org.Slug, "ana@daily.test", "cli", []org.Scope{org.ScopeRead, org.ScopeWrite})
	if err != nil {
		t.Fatal(err)
	}
	if w.ana, err = a.Authenticate(ctx, tk.Secret, "seed"); err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC()
	p, err := a.CreatePeriod(ctx, w.owner, app.PeriodInput{Name: "Now", Kind: okr.PeriodCustom,
		StartDate: okr.Date(today.AddDate(0, 0, -20).Format(okr.DateLayout)), EndDate: okr.Date(today.AddDate(0, 0, 70).Format(okr.DateLayout))}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ActivatePeriod(ctx, w.owner, p.ID); err != nil {
		t.Fatal(err)
	}
	// A closed-off planning period: never read unless asked for.
	if _, err := a.CreatePeriod(ctx, w.owner, app.PeriodInput{Name: "Later", Kind: okr.PeriodCustom,
		StartDate: okr.Date(today.AddDate(0, 0, 80).Format(okr.DateLayout)), EndDate: okr.Date(today.AddDate(0, 0, 160).Format(okr.DateLayout))}, ""); err != nil {
		t.Fatal(err)
	}
	if w.growth, err = a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: p.ID, Title: "Trials turn into paying teams",
		Owner: app.OwnerInput{Type: okr.OwnerUser, ID: ana.User.ID}}, ""); err != nil {
		t.Fatal(err)
	}
	if w.reliable, err = a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: p.ID, Title: "Customers trust the service",
		Owner: app.OwnerInput{Type: okr.OwnerOrg}, ChampionID: ana.User.ID}, ""); err != nil {
		t.Fatal(err)
	}
	other, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: p.ID, Title: "Costs stay under control",
		Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}
	f := func(v float64) *float64 { return &v }
	kr := func(in app.KeyResultInput) okr.KeyResult {
		t.Helper()
		k, err := a.CreateKeyResult(ctx, w.owner, in, "")
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	w.conversion = kr(app.KeyResultInput{ObjectiveID: w.growth.ID, Title: "Trial-to-paid conversion", OwnerID: ana.User.ID,
		Kind: okr.Increase, Unit: okr.UnitPercent, Baseline: f(4), Target: f(10)})
	w.signups = kr(app.KeyResultInput{ObjectiveID: w.growth.ID, Title: "Trial signups per week", OwnerID: ana.User.ID,
		Kind: okr.Increase, Unit: okr.UnitCustom, UnitLabel: "signups", Baseline: f(100), Target: f(200)})
	w.mobile = kr(app.KeyResultInput{ObjectiveID: w.growth.ID, Title: "Checkout works on phones", OwnerID: ana.User.ID,
		Kind: okr.Boolean})
	w.championed = kr(app.KeyResultInput{ObjectiveID: w.reliable.ID, Title: "Monthly uptime", OwnerID: w.owner.UserID,
		Kind: okr.Increase, Unit: okr.UnitPercent, Baseline: f(99), Target: f(99.9)})
	w.uptime = kr(app.KeyResultInput{ObjectiveID: other.ID, Title: "Cloud bill per customer", OwnerID: w.owner.UserID,
		Kind: okr.Decrease, Unit: okr.UnitCurrency, Currency: "EUR", Baseline: f(12), Target: f(8)})
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	w.env = []string{"OKRA_URL=" + m.URL(), "OKRA_TOKEN=" + tk.Secret}
	return w
}

func (w *dailyWorld) latest(t *testing.T, krID string) okr.CheckIn {
	t.Helper()
	page, err := w.m.App.ListCheckIns(context.Background(), w.ana, krID, app.PageRequest{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 {
		t.Fatalf("no check-in on %s", krID)
	}
	return page.Items[0]
}

func (w *dailyWorld) keyResult(t *testing.T, id string) okr.KeyResult {
	t.Helper()
	k, err := w.m.App.GetKeyResult(context.Background(), w.ana, id)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestCLICheckinAndStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs okra processes against a server")
	}
	t.Run("sqlite", func(t *testing.T) { testDaily(t, DBFlags{Data: t.TempDir()}) })
	t.Run("postgres", func(t *testing.T) { testDaily(t, DBFlags{DatabaseURL: pgtest.URL(t)}) })
}

func testDaily(t *testing.T, db DBFlags) {
	w := startDaily(t, db)

	// Status before any check-in: everything pending and due, JSON document exact.
	out, errOut, code := okraEnv(t, w.env, "status", "--format", "json")
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, errOut)
	}
	var doc statusDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("status JSON: %v\n%s", err, out)
	}
	if doc.User.Email != "ana@daily.test" || doc.Scope != "mine" || len(doc.Periods) != 1 || doc.Periods[0].Name != "Now" ||
		doc.Periods[0].State != okr.PeriodActive {
		t.Fatalf("status document head: %+v", doc)
	}
	want := statusSummary{KeyResults: 4, Pending: 4, Due: 4}
	if doc.Summary != want {
		t.Fatalf("summary %+v, want %+v", doc.Summary, want)
	}
	titles := map[string][]string{}
	for _, o := range doc.Periods[0].Objectives {
		for _, k := range o.KeyResults {
			titles[o.Title] = append(titles[o.Title], k.Title)
		}
	}
	if got := len(titles); got != 2 || len(titles["Trials turn into paying teams"]) != 3 ||
		strings.Join(titles["Customers trust the service"], ",") != "Monthly uptime" {
		t.Fatalf("status key results by objective: %v (want Ana's three, and the one of the objective she champions)", titles)
	}

	// A check-in by a title part, with a percent value and a confidence: the
	// status follows the confidence.
	out, errOut, code = okraEnv(t, w.env, "checkin", "to-paid", "7%", "--confidence", "0.8", "--note", "pricing page shipped")
	if code != 0 {
		t.Fatalf("checkin: exit %d: %s", code, errOut)
	}
	for _, line := range []string{"Checked in Trial-to-paid conversion", "value       4% → 7%", "progress    0% → 50%",
		"confidence  0.8 (high), on track", "health      on track"} {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("checkin output lacks %q:\n%s", line, out)
		}
	}
	ci := w.latest(t, w.conversion.ID)
	if ci.Value != 7 || ci.PreviousValue != 4 || ci.Confidence != 0.8 || ci.Status != okr.OnTrack || ci.Note != "pricing page shipped" ||
		ci.Source != okr.SourceAPI {
		t.Fatalf("stored check-in %+v", ci)
	}
	if k := w.keyResult(t, w.conversion.ID); k.Progress != 0.5 || k.Current != 7 || k.Health != okr.HealthOnTrack {
		t.Fatalf("key result after check-in: progress %v current %v health %s", k.Progress, k.Current, k.Health)
	}

	// The same key result by id, confidence left out: the latest one is kept.
	out, errOut, code = okraEnv(t, w.env, "checkin", w.conversion.ID, "8.5", "--format", "json")
	if code != 0 {
		t.Fatalf("checkin by id: exit %d: %s", code, errOut)
	}
	var res checkinOutput
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("checkin JSON: %v\n%s", err, out)
	}
	if res.CheckIn.Value != 8.5 || res.CheckIn.PreviousValue != 7 || res.CheckIn.Confidence != 0.8 || res.CheckIn.Status != okr.OnTrack ||
		res.KeyResult.Progress != 0.75 || res.PreviousProgress != 0.5 || len(res.Warnings) != 0 {
		t.Fatalf("checkin JSON %+v", res)
	}

	// The slug path works too.
	slugPath := w.growth.Slug + "/" + w.mobile.Slug
	if w.growth.Slug == "" || w.mobile.Slug == "" {
		t.Fatalf("no slugs: %q", slugPath)
	}
	_, errOut, code = okraEnv(t, w.env, "checkin", slugPath, "done", "--confidence", "1")
	if code != 0 {
		t.Fatalf("checkin %s done: exit %d: %s", slugPath, code, errOut)
	}
	if ci := w.latest(t, w.mobile.ID); ci.Value != 1 || ci.Status != okr.OnTrack {
		t.Fatalf("boolean check-in %+v", ci)
	}

	// Low confidence without a blocker: accepted, status off track, with the server's warning.
	out, errOut, code = okraEnv(t, w.env, "checkin", "trial signups per week", "110", "--confidence", "0.3")
	if code != 0 {
		t.Fatalf("low-confidence checkin: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "value       100 signups → 110 signups\n") || !strings.Contains(out, "confidence  0.3 (low), off track\n") ||
		!strings.Contains(out, "warning: confidence is low but no blocker is named") {
		t.Fatalf("low-confidence output:\n%s", out)
	}
	// …and with one, no warning; the blocker is stored.
	out, errOut, code = okraEnv(t, w.env, "checkin", "trial signups per week", "115", "--confidence", "0.3",
		"--blocker-type", "resource", "--blocker", "no designer this month")
	if code != 0 || strings.Contains(out, "warning:") {
		t.Fatalf("checkin with blocker: exit %d: %s%s", code, out, errOut)
	}
	if ci := w.latest(t, w.signups.ID); len(ci.Blockers) != 1 || ci.Blockers[0].Type != okr.BlockerResource ||
		ci.Blockers[0].Description != "no designer this month" || ci.Status != okr.OffTrack || ci.Value != 115 {
		t.Fatalf("stored blocker check-in %+v", ci)
	}

	// An ambiguous title is refused with the candidates.
	_, errOut, code = okraEnv(t, w.env, "checkin", "TRIAL", "5")
	if code != 1 || !strings.Contains(errOut, `KEY_RESULT "TRIAL" matches 2 of your key results`) ||
		!strings.Contains(errOut, w.conversion.ID+"  Trial-to-paid conversion (objective: Trials turn into paying teams)") ||
		!strings.Contains(errOut, w.signups.ID+"  Trial signups per week (objective: Trials turn into paying teams)") {
		t.Fatalf("ambiguous title: exit %d, stderr %q", code, errOut)
	}
	// Someone else's key result is not found by title.
	_, errOut, code = okraEnv(t, w.env, "checkin", "cloud bill", "10")
	if code != 1 || !strings.Contains(errOut, `KEY_RESULT "cloud bill": none of your 4 key results`) {
		t.Fatalf("unknown title: exit %d, stderr %q", code, errOut)
	}
	// A bad value names the argument; nothing is stored.
	_, errOut, code = okraEnv(t, w.env, "checkin", "conversion", "lots", "--confidence", "0.5")
	if code != 1 || !strings.Contains(errOut, `VALUE "lots": not a number`) {
		t.Fatalf("bad value: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = okraEnv(t, w.env, "checkin", "signups", "45%", "--confidence", "0.5")
	if code != 1 || !strings.Contains(errOut, `VALUE "45%": a percent sign is for percent key results`) {
		t.Fatalf("percent on a count: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = okraEnv(t, w.env, "checkin", "checkout", "maybe", "--confidence", "0.5")
	if code != 1 || !strings.Contains(errOut, `VALUE "maybe": "Checkout works on phones" is a yes/no key result`) {
		t.Fatalf("bad boolean: exit %d, stderr %q", code, errOut)
	}
	if ci := w.latest(t, w.conversion.ID); ci.Value != 8.5 {
		t.Fatalf("a refused check-in was stored: %+v", ci)
	}
	// The server's field errors come through with exit 1 (and the problem as JSON with --format json).
	out, errOut, code = okraEnv(t, w.env, "checkin", "conversion", "9", "--blocker-type", "weather", "--blocker", "rain", "--format", "json")
	if code != 1 || !strings.Contains(errOut, "blockers[0].type: must be one of resource") || !strings.Contains(out, `"errors"`) {
		t.Fatalf("server refusal: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// A first check-in needs a confidence.
	_, errOut, code = okraEnv(t, w.env, "checkin", "monthly uptime", "99.5")
	if code != 1 || !strings.Contains(errOut, `--confidence: "Monthly uptime" has no check-in yet`) {
		t.Fatalf("first check-in without confidence: exit %d, stderr %q", code, errOut)
	}
	// No token: the message says how to give one.
	_, errOut, code = okraEnv(t, []string{"OKRA_URL=" + w.m.URL()}, "status")
	if code != 1 || !strings.Contains(errOut, "no API token: set OKRA_TOKEN") {
		t.Fatalf("no token: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = okraEnv(t, []string{"OKRA_URL=" + w.m.URL(), "OKRA_TOKEN=okra_nonsense"}, "status")
	if code != 1 || !strings.Contains(errOut, "the server refused the token (401)") {
		t.Fatalf("bad token: exit %d, stderr %q", code, errOut)
	}

	// Status after the check-ins, as text: bars, values, health, the summary; no colour codes off a terminal.
	out, errOut, code = okraEnv(t, w.env, "status")
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, errOut)
	}
	for _, line := range []string{
		"████████░░  75%  Trial-to-paid conversion\n",
		"8.5 / 10% · confidence 0.8 · on track · checked in just now\n",
		"██░░░░░░░░  15%  Trial signups per week\n",
		"115 / 200 signups · confidence 0.3 · off track · checked in just now\n",
		"██████████ 100%  Checkout works on phones\n",
		"░░░░░░░░░░   0%  Monthly uptime\n",
		"99 / 99.9% · pending · no check-in yet · due\n",
		"4 key results: 2 on track, 0 at risk, 1 off track, 0 outdated, 1 pending; 1 check-in due\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("status lacks %q:\n%s", line, out)
		}
	}
	if strings.Contains(out, "\x1b[") || strings.Contains(out, "Cloud bill") {
		t.Errorf("status wrote colour codes or someone else's key result:\n%s", out)
	}

	// --all takes every key result; --period picks one by name.
	out, _, code = okraEnv(t, w.env, "status", "--all", "--format", "json")
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || doc.Scope != "everyone" || doc.Summary.KeyResults != 5 {
		t.Fatalf("status --all: exit %d, %v, %+v", code, err, doc.Summary)
	}
	out, _, code = okraEnv(t, w.env, "status", "--period", "later", "--format", "json")
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || len(doc.Periods) != 1 || doc.Periods[0].Name != "Later" ||
		len(doc.Periods[0].Objectives) != 0 || doc.Summary.KeyResults != 0 {
		t.Fatalf("status --period later: exit %d, %v, %s", code, err, out)
	}
	_, errOut, code = okraEnv(t, w.env, "status", "--period", "Q9")
	if code != 1 || !strings.Contains(errOut, `--period "Q9": no such period; the periods are: Later, Now`) {
		t.Fatalf("unknown period: exit %d, %q", code, errOut)
	}
	// The JSON document's key result fields.
	out, _, _ = okraEnv(t, w.env, "status", "--format", "json")
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var conv statusKeyResult
	for _, o := range doc.Periods[0].Objectives {
		for _, k := range o.KeyResults {
			if k.ID == w.conversion.ID {
				conv = k
			}
		}
	}
	if conv.Title != "Trial-to-paid conversion" || conv.Slug != w.conversion.Slug || conv.Unit != okr.UnitPercent || conv.Baseline != 4 ||
		conv.Target != 10 || conv.Current != 8.5 || conv.Progress != 0.75 || conv.Confidence == nil || *conv.Confidence != 0.8 ||
		conv.Health != okr.HealthOnTrack || conv.AgeDays == nil || *conv.AgeDays != 0 || conv.Due || conv.CadenceDays != 7 {
		t.Fatalf("status key result %+v", conv)
	}

	// A milestone key result: milestones by title or id, those done stay done; a VALUE is refused.
	ms, err := w.m.App.CreateKeyResult(context.Background(), w.owner, app.KeyResultInput{ObjectiveID: w.growth.ID,
		Title: "Pricing page redesign", OwnerID: w.ana.UserID, Kind: okr.Milestone,
		Milestones: []app.MilestoneInput{{Title: "Copy written"}, {Title: "Design approved"}, {Title: "Page live"}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, errOut, code = okraEnv(t, w.env, "checkin", "pricing", "--milestone", "copy written", "--confidence", "0.7")
	if code != 0 {
		t.Fatalf("milestone checkin: exit %d: %s", code, errOut)
	}
	out, errOut, code = okraEnv(t, w.env, "checkin", "pricing", "--milestone", ms.Milestones[1].ID)
	if code != 0 || !strings.Contains(out, "value       33% of milestones → 67% of milestones\n") {
		t.Fatalf("second milestone checkin: exit %d: %s%s", code, out, errOut)
	}
	if ci := w.latest(t, ms.ID); strings.Join(ci.MilestonesDone, ",") != ms.Milestones[0].ID+","+ms.Milestones[1].ID || ci.Confidence != 0.7 {
		t.Fatalf("milestone check-in %+v", ci)
	}
	_, errOut, code = okraEnv(t, w.env, "checkin", "pricing", "2", "--confidence", "0.7")
	if code != 1 || !strings.Contains(errOut, `VALUE "2": "Pricing page redesign" is a milestone key result`) {
		t.Fatalf("value on a milestone key result: exit %d, %q", code, errOut)
	}
	_, errOut, code = okraEnv(t, w.env, "checkin", "pricing", "--milestone", "Launch party")
	if code != 1 || !strings.Contains(errOut, `--milestone "Launch party": no such milestone on "Pricing page redesign"; it has: Copy written (`) {
		t.Fatalf("unknown milestone: exit %d, %q", code, errOut)
	}
}

func TestColorOnlyOnATerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := func(vals map[string]string) func(string) string { return func(k string) string { return vals[k] } }
	if colorOn(f, env(nil)) {
		t.Error("colour on a file")
	}
	if colorOn(os.Stdin, env(map[string]string{"NO_COLOR": "1"})) {
		t.Error("colour with NO_COLOR")
	}
	st := termStyle{color: true}
	if got := st.health(okr.HealthAtRisk); got != "\x1b[33mat risk\x1b[0m" {
		t.Errorf("coloured health %q", got)
	}
	if got := (termStyle{}).health(okr.HealthAtRisk); got != "at risk" {
		t.Errorf("plain health %q", got)
	}
}
