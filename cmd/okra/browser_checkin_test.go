package main

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// The Home and weekly check-in pages, driven as a demo member who owns
// several key results.

// checkinPassword is the password the tests give the demo member they sign in as.
const checkinPassword = "check-in-every-monday"

// checkinPerson is the demo member a test signs in as.
type checkinPerson struct {
	actor org.Actor
	email string
	name  string
	mine  []app.MyKeyResult
}

// checkinWeekPassed makes every key result not checked in within the last
// day due (the organization's cadence becomes one day), as on a Monday
// after a week without check-ins.
func (s *site) checkinWeekPassed() {
	s.t.Helper()
	ctx := context.Background()
	err := s.m.Store.Write(ctx, func(tx app.Tx) error {
		o, err := tx.GetOrganization(ctx, s.demo.OrgID)
		if err != nil {
			return err
		}
		o.Settings.CadenceDays = 1
		return tx.UpdateOrganizationSettings(ctx, o.ID, o.Settings)
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

// checkinMember picks the member with the most key results due (among
// those accept takes), gives them a password and signs them in.
func (s *site) checkinMember(accept func([]app.MyKeyResult) bool) checkinPerson {
	s.t.Helper()
	ctx := context.Background()
	users, err := s.m.App.ListUsers(ctx, s.ownerActor(), app.PageRequest{Limit: 200})
	if err != nil {
		s.t.Fatal(err)
	}
	var best checkinPerson
	bestDue := -1
	for _, u := range users.Items {
		if u.Role == org.RoleViewer || !u.Active {
			continue
		}
		a := org.Actor{OrgID: s.demo.OrgID, UserID: u.ID, Role: u.Role, Session: true,
			Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite}}
		mine, err := s.m.App.MyKeyResults(ctx, a)
		if err != nil {
			s.t.Fatal(err)
		}
		if accept != nil && !accept(mine) {
			continue
		}
		if due := checkinDueCount(mine); due > bestDue {
			best, bestDue = checkinPerson{actor: a, email: u.Email, name: u.Name, mine: mine}, due
		}
	}
	if bestDue < 0 {
		s.t.Fatal("no demo member fits the test")
	}
	err = s.m.Store.Write(ctx, func(tx app.Tx) error {
		return tx.SetPasswordHash(ctx, best.actor.UserID, app.HashPassword(checkinPassword))
	})
	if err != nil {
		s.t.Fatal(err)
	}
	s.signIn(best.email, checkinPassword)
	return best
}

func checkinDueCount(mine []app.MyKeyResult) int {
	n := 0
	for _, m := range mine {
		if m.Due {
			n++
		}
	}
	return n
}

func checkinEval[T any](s *site, what, js string, opts ...chromedp.EvaluateOption) T {
	s.t.Helper()
	return get(s, what, chromedp.Evaluate[T](js, opts...))
}

// checkinNavCount is the due count the navigation shows (0 when none).
func (s *site) checkinNavCount() int {
	s.t.Helper()
	return checkinEval[int](s, "nav count", `(() => { const c = document.querySelector('.nav a[href="/checkin"] .count');
		return c ? parseInt(c.textContent, 10) : 0 })()`)
}

// checkinRowIndex is the form index of a key result's row.
func (s *site) checkinRowIndex(krID string) int {
	s.t.Helper()
	name := checkinEval[string](s, "row of "+krID, fmt.Sprintf(
		`(document.querySelector('input[name$=".kr"][value=%q]') || {name: ""}).name`, krID))
	var i int
	if _, err := fmt.Sscanf(name, "entries[%d].kr", &i); err != nil {
		s.t.Fatalf("no row for key result %s on the page", krID)
	}
	return i
}

// checkinChecked is the value of the radio checked in a group ("" for none).
func (s *site) checkinChecked(name string) string {
	s.t.Helper()
	return checkinEval[string](s, "checked "+name, fmt.Sprintf(
		`(document.querySelector('input[name=%q]:checked') || {value: ""}).value`, name))
}

// checkinArrowTo moves the checked radio of the focused group to want with
// arrow keys (Space first when none is checked yet), as a keyboard user does.
func (s *site) checkinArrowTo(name string, options []string, want string) {
	s.t.Helper()
	cur := s.checkinChecked(name)
	if cur == "" {
		s.do("check the first option", chromedp.KeyEvent(" "))
		cur = options[0]
	}
	from, to := -1, -1
	for i, o := range options {
		if o == cur {
			from = i
		}
		if o == want {
			to = i
		}
	}
	for n := (to - from + len(options)) % len(options); n > 0; n-- {
		s.do("arrow right in "+name, chromedp.KeyEvent(kb.ArrowRight))
	}
	if got := s.checkinChecked(name); got != want {
		s.t.Fatalf("%s: the keyboard chose %q, want %q", name, got, want)
	}
}

var (
	checkinConfidences = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
	checkinStatuses    = []string{"on_track", "at_risk", "off_track"}
)

// checkinWant is what a row is filled with and must be recorded.
type checkinWant struct {
	kr         okr.KeyResult
	value      float64 // the value it must have after
	confidence int
	status     okr.Status
}

// checkinFillRow fills a row with the keyboard: focus its first field, type
// or toggle the new value, Tab to the confidence, arrows, Tab to the status,
// arrows.
func (s *site) checkinFillRow(m app.MyKeyResult, confidence int, status okr.Status) checkinWant {
	s.t.Helper()
	k := m.KeyResult
	i := s.checkinRowIndex(k.ID)
	f := func(name string) string { return fmt.Sprintf("entries[%d].%s", i, name) }
	// A row that ends as it began is not sent (its value may already be the
	// one typed, or come from elsewhere): a new confidence makes it a change.
	if k.Confidence != nil && int(math.Round(*k.Confidence*10)) == confidence && k.LastStatus == status {
		confidence = max(1, confidence-1)
		if int(math.Round(*k.Confidence*10)) == confidence {
			confidence++
		}
	}
	want := checkinWant{kr: k, value: k.Current, confidence: confidence, status: status}
	switch {
	case k.Source == okr.SourceChildren || k.Source == okr.SourceLearning:
		if s.checkinChecked(f("confidence")) != "" {
			s.do("focus confidence", chromedp.Focus(chromedp.CSS(fmt.Sprintf(`input[name=%q]:checked`, f("confidence")))))
		} else {
			s.do("focus confidence", chromedp.Focus(chromedp.CSS("#"+fmt.Sprintf("ci-%d-conf-1", i))))
		}
	case k.Kind == okr.Boolean:
		s.do("focus the yes/no choice", chromedp.Focus(chromedp.CSS(fmt.Sprintf(`input[name=%q]:checked`, f("value")))))
		s.do("toggle it", chromedp.KeyEvent(kb.ArrowRight))
		want.value = 1 - math.Min(1, k.Current)
		s.do("to confidence", chromedp.KeyEvent(kb.Tab))
	case k.Kind == okr.Milestone:
		s.do("focus the first milestone", chromedp.Focus(chromedp.CSS(fmt.Sprintf("#ci-%d-ms-%s", i, k.Milestones[0].ID))))
		s.do("toggle it", chromedp.KeyEvent(" "))
		ms := append([]okr.MilestoneItem{}, k.Milestones...)
		ms[0].Done = !ms[0].Done
		want.value = okr.MilestoneShare(ms)
		for range k.Milestones {
			s.do("Tab", chromedp.KeyEvent(kb.Tab))
		}
	default:
		v := k.Target
		if k.Kind == okr.Maintain && k.Band != nil {
			v = (k.Band.Low + k.Band.High) / 2
		}
		want.value = v
		s.do("type the new value", chromedp.Focus(chromedp.CSS(fmt.Sprintf("#ci-%d-value", i))),
			chromedp.KeyEvent(strconv.FormatFloat(v, 'f', -1, 64)))
		s.do("to confidence", chromedp.KeyEvent(kb.Tab))
	}
	if got := checkinEval[string](s, "focused", `document.activeElement.name`); got != f("confidence") {
		s.t.Fatalf("row %d: Tab led to %q, want the confidence", i, got)
	}
	s.checkinArrowTo(f("confidence"), checkinConfidences, strconv.Itoa(confidence))
	s.do("to status", chromedp.KeyEvent(kb.Tab))
	if got := checkinEval[string](s, "focused", `document.activeElement.name`); got != f("status") {
		s.t.Fatalf("row %d: Tab led to %q, want the status", i, got)
	}
	s.checkinArrowTo(f("status"), checkinStatuses, string(status))
	return want
}

// checkinObjectiveProgress reads the progress of every objective of the
// person's key results and of the objectives they contribute to, and counts
// the contributing links it followed.
func (s *site) checkinObjectiveProgress(mine []app.MyKeyResult) (map[string]float64, int) {
	s.t.Helper()
	ctx := context.Background()
	owner := s.ownerActor()
	out := map[string]float64{}
	links := 0
	var visit func(id string)
	visit = func(id string) {
		if _, ok := out[id]; ok {
			return
		}
		o, err := s.m.App.GetObjective(ctx, owner, id)
		if err != nil {
			s.t.Fatal(err)
		}
		out[id] = o.Progress
		for _, a := range o.Alignments {
			if a.Link != okr.Contributes {
				continue
			}
			links++
			if a.ParentType == okr.ParentObjective {
				visit(a.ParentID)
			} else if k, err := s.m.App.GetKeyResult(ctx, owner, a.ParentID); err == nil {
				visit(k.ObjectiveID)
			}
		}
	}
	for _, m := range mine {
		visit(m.Objective.ID)
	}
	return out, links
}

func (s *site) checkinCounts(mine []app.MyKeyResult) map[string]int {
	s.t.Helper()
	out := map[string]int{}
	for _, m := range mine {
		p, err := s.m.App.ListCheckIns(context.Background(), s.ownerActor(), m.KeyResult.ID, app.PageRequest{Limit: 200})
		if err != nil {
			s.t.Fatal(err)
		}
		out[m.KeyResult.ID] = len(p.Items)
	}
	return out
}

// checkinRecomputed rolls every objective of the active periods up from
// scratch (okr.Recompute) from what the app reads.
func (s *site) checkinRecomputed() map[string]float64 {
	s.t.Helper()
	ctx := context.Background()
	owner := s.ownerActor()
	var objectives []okr.Objective
	var krs []okr.KeyResult
	var alignments []okr.Alignment
	for _, period := range []string{s.demo.YearPeriodID, s.demo.PeriodID} {
		q := app.ObjectiveQuery{PeriodID: period, PageRequest: app.PageRequest{Limit: 200}}
		for {
			page, err := s.m.App.ListObjectives(ctx, owner, q)
			if err != nil {
				s.t.Fatal(err)
			}
			for _, o := range page.Items {
				objectives = append(objectives, o)
				for _, a := range o.Alignments {
					a.ChildID = o.ID
					alignments = append(alignments, a)
				}
			}
			if page.NextCursor == "" {
				break
			}
			q.Cursor = page.NextCursor
		}
		kq := app.KeyResultQuery{PeriodID: period, PageRequest: app.PageRequest{Limit: 200}}
		for {
			page, err := s.m.App.ListKeyResults(ctx, owner, kq)
			if err != nil {
				s.t.Fatal(err)
			}
			krs = append(krs, page.Items...)
			if page.NextCursor == "" {
				break
			}
			kq.Cursor = page.NextCursor
		}
	}
	progress, _ := okr.Recompute(objectives, krs, alignments)
	return progress
}

func checkinPct(x float64) string { return strconv.Itoa(int(math.Round(x*100))) + "%" }

func TestBrowserCheckIn(t *testing.T) {
	s := startSite(t)
	s.checkinWeekPassed()
	p := s.checkinMember(nil)
	due := checkinDueCount(p.mine)
	if due < 3 {
		t.Fatalf("%s has %d key results due, want several", p.name, due)
	}
	before, _ := s.checkinObjectiveProgress(p.mine)
	counts := s.checkinCounts(p.mine)

	// One page load lists every key result of the person, grouped by objective.
	s.visit("/checkin")
	if got := s.text("h1"); got != "Weekly check-in" {
		t.Fatalf("/checkin shows %q", got)
	}
	if got := s.checkinNavCount(); got != due {
		t.Fatalf("the navigation counts %d due, want %d", got, due)
	}
	if n := checkinEval[int](s, "rows", `document.querySelectorAll('.ci-row').length`); n != len(p.mine) {
		t.Fatalf("%d rows, want one per key result (%d)", n, len(p.mine))
	}
	s.checkAccessibility("checkin")
	s.screenshots("checkin")

	// Fill up to five rows with the keyboard; the last with a low
	// confidence and no blocker, which the flash warns about.
	var wants []checkinWant
	fill := p.mine[:min(5, len(p.mine))]
	for i, m := range fill {
		conf, status := 8, okr.OnTrack
		if i == len(fill)-1 {
			conf, status = 3, okr.AtRisk
		}
		wants = append(wants, s.checkinFillRow(m, conf, status))
	}
	// Enter in a value field submits the whole page, once.
	s.do("press Enter", chromedp.Focus(chromedp.CSS(`.ci-row input[type=number]`)), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	flash := s.text(".flash")
	if want := fmt.Sprintf("%d key results checked in.", len(wants)); !strings.HasPrefix(flash, want) {
		t.Fatalf("flash %q, want it to start with %q", flash, want)
	}
	if !strings.Contains(flash, "“"+wants[len(wants)-1].kr.Title+"”: confidence is low") {
		t.Errorf("flash %q does not warn about the low confidence of %q", flash, wants[len(wants)-1].kr.Title)
	}

	// Every key result holds its new state, with exactly one new check-in.
	ctx := context.Background()
	after := s.checkinCounts(p.mine)
	for _, w := range wants {
		k, err := s.m.App.GetKeyResult(ctx, p.actor, w.kr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(k.Current-w.value) > 1e-9 || k.LastStatus != w.status || k.Confidence == nil ||
			math.Abs(*k.Confidence-float64(w.confidence)/10) > 1e-9 {
			t.Errorf("%s: current %v status %s confidence %v, want %v %s %d in 10", k.Title, k.Current, k.LastStatus,
				k.Confidence, w.value, w.status, w.confidence)
		}
		if after[w.kr.ID] != counts[w.kr.ID]+1 {
			t.Errorf("%s has %d check-ins, want %d", k.Title, after[w.kr.ID], counts[w.kr.ID]+1)
		}
	}
	// The navigation's count dropped to what is left (nothing, when all were filled).
	mine, err := s.m.App.MyKeyResults(ctx, p.actor)
	if err != nil {
		t.Fatal(err)
	}
	left := checkinDueCount(mine)
	if len(fill) == len(p.mine) && left != 0 {
		t.Errorf("%d key results still due after checking in all", left)
	}
	if got := s.checkinNavCount(); got != left {
		t.Errorf("the navigation counts %d due after the check-in, want %d", got, left)
	}

	// The roll-up happened in the same request: the objectives and the ones
	// above them moved, and the objective's page shows it.
	now, links := s.checkinObjectiveProgress(p.mine)
	moved := 0
	for id, x := range now {
		if x != before[id] {
			moved++
		}
	}
	if moved == 0 {
		t.Fatalf("no objective's progress moved: %v", now)
	}
	// Every objective touched and every one above it holds what a roll-up
	// from scratch gives, and one of them moved only through the roll-up.
	want := s.checkinRecomputed()
	for id, x := range now {
		if math.Abs(x-want[id]) > 1e-9 {
			t.Errorf("objective %s holds %v, a roll-up from scratch gives %v", id, x, want[id])
		}
	}
	if links == 0 {
		t.Errorf("the person's objectives contribute to no other objective: the roll-up is not tested")
	}
	o := wants[0].kr.ObjectiveID
	s.visit("/objectives/" + o)
	if body := checkinEval[string](s, "objective page", `document.querySelector('main').innerText`); !strings.Contains(body, checkinPct(now[o])) {
		t.Errorf("the objective's page does not show its new progress %s", checkinPct(now[o]))
	}
}

func TestBrowserCheckInRefusesBadInputWhole(t *testing.T) {
	s := startSite(t)
	s.checkinWeekPassed()
	hasKinds := func(mine []app.MyKeyResult) bool {
		var b, n bool
		for _, m := range mine {
			b = b || m.KeyResult.Kind == okr.Boolean
			n = n || (m.KeyResult.Kind == okr.Increase || m.KeyResult.Kind == okr.Decrease) && m.KeyResult.Source == okr.SourceManual
		}
		return b && n
	}
	p := s.checkinMember(hasKinds)
	counts := s.checkinCounts(p.mine)
	var boolKR, numKR okr.KeyResult
	for _, m := range p.mine {
		switch k := m.KeyResult; {
		case k.Kind == okr.Boolean && boolKR.ID == "":
			boolKR = k
		case (k.Kind == okr.Increase || k.Kind == okr.Decrease) && k.Source == okr.SourceManual && numKR.ID == "":
			numKR = k
		}
	}
	s.visit("/checkin")
	bi, ni := s.checkinRowIndex(boolKR.ID), s.checkinRowIndex(numKR.ID)

	// A valid row and a boolean value of 5 (past the browser's choices): the
	// use case refuses the whole check-in and says why beside the row.
	s.do("fill", chromedp.SendKeys(chromedp.CSS(fmt.Sprintf("#ci-%d-value", ni)), strconv.FormatFloat(numKR.Target, 'f', -1, 64)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const r = document.querySelector('input[name="entries[%d].value"]:checked');
			r.value = "5"; })()`, bi)),
		chromedp.Click(chromedp.CSS(".ci-submit button")), chromedp.WaitVisible(chromedp.CSS("#ci-problems")))
	if got := s.text(fmt.Sprintf("#ci-%d-value-error", bi)); !strings.Contains(got, "boolean") {
		t.Errorf("beside the yes/no row: %q", got)
	}
	if checkinEval[bool](s, "row marked", fmt.Sprintf(`document.getElementById("ci-row-%s").classList.contains("ci-row-invalid")`, boolKR.ID)) != true {
		t.Error("the row with the problem is not marked")
	}
	// What was typed stays in the form.
	if got := get(s, "typed value", chromedp.Value(chromedp.CSS(fmt.Sprintf("#ci-%d-value", ni)))); got != strconv.FormatFloat(numKR.Target, 'f', -1, 64) {
		t.Errorf("the valid row lost its value: %q", got)
	}
	s.checkAccessibility("checkin-errors")
	s.screenshots("checkin-errors")
	for id, n := range s.checkinCounts(p.mine) {
		if n != counts[id] {
			t.Fatalf("key result %s has %d check-ins after a refused check-in, want %d", id, n, counts[id])
		}
	}

	// Text in a number field (the browser's validation turned off).
	s.visit("/checkin")
	ni = s.checkinRowIndex(numKR.ID)
	s.do("type text", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { document.querySelector('.ci-form').noValidate = true;
		const f = document.getElementById("ci-%d-value"); f.type = "text"; f.value = "lots"; })()`, ni)),
		chromedp.Click(chromedp.CSS(".ci-submit button")), chromedp.WaitVisible(chromedp.CSS("#ci-problems")))
	if got := s.text(fmt.Sprintf("#ci-%d-value-error", ni)); !strings.Contains(got, "number") {
		t.Errorf("beside the number row: %q", got)
	}
	if got := get(s, "aria-invalid", chromedp.AttributeValue(chromedp.CSS(fmt.Sprintf("#ci-%d-value", ni)), "aria-invalid")); got.Value != "true" {
		t.Errorf("the field is not marked invalid: %+v", got)
	}
	for id, n := range s.checkinCounts(p.mine) {
		if n != counts[id] {
			t.Fatalf("key result %s has %d check-ins after a refused check-in, want %d", id, n, counts[id])
		}
	}

	// The same page sent twice (a double click) checks in once.
	s.visit("/checkin")
	ni = s.checkinRowIndex(numKR.ID)
	status := checkinEval[string](s, "double submit", fmt.Sprintf(`(async () => {
		document.getElementById("ci-%d-value").value = "1";
		const form = document.querySelector('.ci-form');
		const a = await fetch("/checkin", {method: "POST", body: new URLSearchParams(new FormData(form))});
		const b = await fetch("/checkin", {method: "POST", body: new URLSearchParams(new FormData(form))});
		return a.status + " " + b.status; })()`, ni), chromedp.EvalAwaitPromise)
	if status != "200 200" {
		t.Fatalf("double submit answered %s", status)
	}
	if got := s.checkinCounts(p.mine)[numKR.ID]; got != counts[numKR.ID]+1 {
		t.Fatalf("a double submit left %d check-ins, want %d", got, counts[numKR.ID]+1)
	}
}

func TestBrowserHome(t *testing.T) {
	s := startSite(t)
	s.checkinWeekPassed()
	p := s.checkinMember(nil)
	ctx := context.Background()
	s.visit("/")
	if got := s.text("h1"); got != "Home" {
		t.Fatalf("/ shows %q", got)
	}
	if sub := s.text(".page-head .sub"); !strings.Contains(sub, strings.Fields(p.name)[0]) {
		t.Errorf("the greeting %q does not name %s", sub, p.name)
	}
	// What waits for me: the due key results, in the use case's order, and
	// the primary action to check them in.
	var due []app.MyKeyResult
	for _, m := range p.mine {
		if m.Due {
			due = append(due, m)
		}
	}
	titles := checkinEval[[]string](s, "due list", `[...document.querySelectorAll('.home-due .list .title')].map(a => a.textContent)`)
	if len(titles) != len(due) || titles[0] != due[0].KeyResult.Title {
		t.Errorf("due list %q, want the %d due key results starting with %q", titles, len(due), due[0].KeyResult.Title)
	}
	if href := get(s, "primary", chromedp.AttributeValue(chromedp.CSS(".page-head .btn-primary"), "href")); href.Value != "/checkin" {
		t.Errorf("the primary action goes to %+v", href)
	}
	// My objectives in the period shown.
	objs, err := s.m.App.MyObjectives(ctx, p.actor, s.demo.PeriodID)
	if err != nil {
		t.Fatal(err)
	}
	shown := checkinEval[[]string](s, "objectives", `[...document.querySelectorAll('[aria-labelledby="home-objectives-title"] .list .title')].map(a => a.textContent)`)
	if len(objs) == 0 || len(shown) != len(objs) || shown[0] != objs[0].Title {
		t.Errorf("objectives %q, want the %d of the person and their teams", shown, len(objs))
	}
	// What changed: the newest visible event first, linked to its subject.
	acts, err := s.m.App.RecentActivity(ctx, p.actor, 8)
	if err != nil {
		t.Fatal(err)
	}
	first := checkinEval[string](s, "first event", `document.querySelector('.home-feed li').innerText`)
	subject := acts[0].Objective.Title
	if acts[0].KeyResult != nil {
		subject = acts[0].KeyResult.Title
	}
	if !strings.Contains(first, subject) {
		t.Errorf("the first event %q does not name %q", first, subject)
	}
	if n := checkinEval[int](s, "events", `document.querySelectorAll('.home-feed > li').length`); n != len(acts) {
		t.Errorf("%d events, want %d", n, len(acts))
	}
	s.checkAccessibility("home")
	s.screenshots("home")

	// After the check-in, Home says that nothing waits.
	s.visit("/checkin")
	for _, m := range p.mine {
		if m.KeyResult.Source == okr.SourceManual {
			s.checkinFillRow(m, 7, okr.OnTrack)
		}
	}
	s.do("save", chromedp.Click(chromedp.CSS(".ci-submit button")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	s.visit("/")
	if got := s.text(".home-due .empty p"); !strings.HasPrefix(got, "Nothing waits for you this week") {
		t.Errorf("after the check-in, Home says %q", got)
	}
	if got := s.text(".home-feed li"); !strings.Contains(got, p.name) || !strings.Contains(got, "checked in") {
		t.Errorf("the newest event %q is not the person's check-in", got)
	}
}
