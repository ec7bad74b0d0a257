package demo_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

// seeded is a demo organization in a fresh SQLite store.
type seeded struct {
	a     *app.App
	st    *store.Store
	clock *demo.Clock
	res   demo.Result
	owner org.Actor
	now   time.Time
}

func seed(tb testing.TB, now time.Time) *seeded {
	tb.Helper()
	ctx := context.Background()
	clock := &demo.Clock{}
	st, err := store.Open(ctx, store.Config{DataDir: tb.TempDir(), Now: clock.Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	a := app.New(st, nil)
	start := time.Now()
	res, err := demo.Seed(ctx, a, clock, now)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("Seed(now=%s) took %s", now.Format(time.RFC3339), time.Since(start).Round(time.Millisecond))
	owner, err := a.Authenticate(ctx, res.Token, "test")
	if err != nil {
		tb.Fatal(err)
	}
	// Read the demo as of the moment it was seeded for.
	clock.Set(now)
	tb.Cleanup(func() { clock.Set(time.Time{}) })
	return &seeded{a: a, st: st, clock: clock, res: res, owner: owner, now: now}
}

// period reads the active quarter's objectives and key results as the owner.
func (s *seeded) period(tb testing.TB) ([]okr.Objective, []okr.KeyResult) {
	tb.Helper()
	ctx := context.Background()
	os, err := s.a.ListObjectives(ctx, s.owner, app.ObjectiveQuery{PeriodID: s.res.PeriodID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		tb.Fatal(err)
	}
	ks, err := s.a.ListKeyResults(ctx, s.owner, app.KeyResultQuery{PeriodID: s.res.PeriodID, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		tb.Fatal(err)
	}
	if os.NextCursor != "" || ks.NextCursor != "" {
		tb.Fatal("the demo outgrew one page of objectives or key results")
	}
	return os.Items, ks.Items
}

var mid2026 = time.Date(2026, 5, 20, 14, 0, 0, 0, time.UTC)

func TestSeed(t *testing.T) {
	s := seed(t, mid2026)
	checkDemo(t, s)
	ctx := context.Background()

	if s.res.OrgSlug != demo.OrgSlug || s.res.OwnerEmail != demo.OwnerEmail || s.res.OrgID == "" || !strings.HasPrefix(s.res.Token, "okra_") {
		t.Errorf("result = %+v", s.res)
	}
	// 2026-05-20 is seven weeks into Q2: Q2 is active, with eight weeks of history at most.
	p, err := s.a.GetPeriod(ctx, s.owner, s.res.PeriodID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "2026-Q2" || p.StartDate != "2026-04-01" || p.EndDate != "2026-06-30" {
		t.Errorf("active quarter = %s %s..%s, want 2026-Q2 2026-04-01..2026-06-30", p.Name, p.StartDate, p.EndDate)
	}
	next, err := s.a.GetPeriod(ctx, s.owner, s.res.NextPeriodID)
	if err != nil {
		t.Fatal(err)
	}
	if next.Name != "2026-Q3" || next.ParentID != s.res.YearPeriodID {
		t.Errorf("next quarter = %s under %s, want 2026-Q3 under the year", next.Name, next.ParentID)
	}

	// The owner signs in with the documented password.
	err = s.st.Read(ctx, func(tx app.Tx) error {
		u, err := tx.GetUserByEmail(ctx, demo.OwnerEmail)
		if err != nil {
			return err
		}
		if !app.CheckPassword(u.PasswordHash, demo.OwnerPassword) {
			t.Errorf("the owner's password is not %q", demo.OwnerPassword)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Only the owner's token is left usable: the people's seed tokens are revoked.
	tokens, err := s.a.ListTokens(ctx, s.owner, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	live := 0
	for _, tk := range tokens.Items {
		if tk.RevokedAt == nil {
			live++
			if tk.UserID != s.owner.UserID {
				t.Errorf("token %q of %s is still live", tk.Name, tk.UserID)
			}
		}
	}
	if live != 1 || len(tokens.Items) < 10 {
		t.Errorf("%d tokens, %d live; want one live owner token and the revoked seed tokens", len(tokens.Items), live)
	}

	// The @mentions of the comments reach the people named.
	objs, _ := s.period(t)
	for _, o := range objs {
		if !strings.HasPrefix(o.Title, "Give every shopper") {
			continue
		}
		cs, err := s.a.ListComments(ctx, s.owner, okr.SubjectObjective, o.ID, app.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs.Items) != 2 || len(cs.Items[0].Mentions) != 2 || len(cs.Items[1].Mentions) != 1 {
			t.Errorf("comments on %q = %+v, want two with 2 and 1 mentions", o.Title, cs.Items)
		}
	}
}

// checkDemo asserts what every seeded demo shows, whatever "now" is.
func checkDemo(t *testing.T, s *seeded) {
	t.Helper()
	ctx := context.Background()
	objs, krs := s.period(t)
	if len(objs) < 12 || len(krs) < 35 {
		t.Fatalf("%d objectives and %d key results in the active quarter; want a full demo", len(objs), len(krs))
	}

	// Periods: the year and the quarter are active, the quarter sits in the year.
	q, err := s.a.GetPeriod(ctx, s.owner, s.res.PeriodID)
	if err != nil {
		t.Fatal(err)
	}
	y, err := s.a.GetPeriod(ctx, s.owner, s.res.YearPeriodID)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.a.GetPeriod(ctx, s.owner, s.res.NextPeriodID)
	if err != nil {
		t.Fatal(err)
	}
	if q.State != okr.PeriodActive || q.Kind != okr.PeriodQuarterly || q.ParentID != y.ID || y.State != okr.PeriodActive ||
		y.Kind != okr.PeriodAnnual || n.State != okr.PeriodPlanning || n.StartDate <= q.EndDate {
		t.Errorf("periods: quarter %+v, year %+v, next %+v", q, y, n)
	}

	// The alignment tree runs company → team → person at least.
	tree, err := s.a.Alignment(ctx, s.owner, s.res.PeriodID)
	if err != nil {
		t.Fatal(err)
	}
	objectiveOf := map[string]string{} // key result → objective
	parentOf := map[string]string{}    // objective → parent objective
	for _, n := range tree.Nodes {
		if n.Type == okr.NodeKeyResult {
			objectiveOf[n.ID] = n.ParentID
		}
	}
	for _, n := range tree.Nodes {
		if n.Type == okr.NodeObjective && n.ParentID != "" {
			parentOf[n.ID] = n.ParentID
			if o, ok := objectiveOf[n.ParentID]; ok {
				parentOf[n.ID] = o
			}
		}
	}
	depth := 0
	for id := range parentOf {
		d := 1
		for p := id; parentOf[p] != ""; p = parentOf[p] {
			d++
		}
		depth = max(depth, d)
	}
	if depth < 3 {
		t.Errorf("the alignment tree is %d levels deep, want at least 3", depth)
	}

	// Objectives of all three business units, at every level.
	teams, err := s.a.ListTeams(ctx, s.owner, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	teamByID := map[string]org.Team{}
	for _, tm := range teams.Items {
		teamByID[tm.ID] = tm
	}
	unitOf := func(teamID string) string { // the business unit a team sits in
		for tm := teamByID[teamID]; tm.ID != ""; tm = teamByID[tm.ParentID] {
			if strings.HasPrefix(tm.Name, "Northwind ") && tm.ParentID != "" {
				return tm.Name
			}
		}
		return ""
	}
	levels := map[string]map[okr.OwnerType]int{}
	private, teamVisible, supports := 0, 0, 0
	for _, o := range objs {
		for _, unit := range []string{"shop", "care", "labs"} {
			if contains(o.Tags, unit) {
				if levels[unit] == nil {
					levels[unit] = map[okr.OwnerType]int{}
				}
				levels[unit][o.Owner.Type]++
			}
		}
		if o.Owner.Type == okr.OwnerTeam && unitOf(o.Owner.ID) == "" {
			t.Errorf("objective %q is owned by team %s outside the business units", o.Title, o.Owner.ID)
		}
		if strings.ContainsAny(o.Title, "0123456789") {
			t.Errorf("objective title %q has digits; objectives are qualitative", o.Title)
		}
		switch o.Visibility {
		case okr.Private:
			private++
		case okr.Team:
			teamVisible++
		}
		for _, al := range o.Alignments {
			if al.Link == okr.Supports {
				supports++
			}
		}
	}
	for _, unit := range []string{"shop", "care", "labs"} {
		for _, level := range []okr.OwnerType{okr.OwnerOrg, okr.OwnerTeam, okr.OwnerUser} {
			if levels[unit][level] == 0 {
				t.Errorf("business unit %s has no %s-level objective", unit, level)
			}
		}
	}
	if private != 1 || teamVisible != 1 || supports != 1 {
		t.Errorf("%d private, %d team-visible objectives and %d supports links; want one of each", private, teamVisible, supports)
	}

	// Every health shows, a forecast exists, every kind, unit and source is used.
	health := map[okr.Health]int{}
	kinds := map[okr.KRKind]bool{}
	units := map[okr.Unit]bool{}
	perObjective := map[string]int{}
	forecasts, children := 0, 0
	for _, k := range krs {
		health[k.Health]++
		kinds[k.Kind] = true
		units[k.Unit] = true
		perObjective[k.ObjectiveID]++
		if k.Forecast != nil {
			forecasts++
		}
		if k.Source == okr.SourceChildren {
			children++
		}
	}
	for _, h := range []okr.Health{okr.HealthPending, okr.HealthOnTrack, okr.HealthAtRisk, okr.HealthOffTrack, okr.HealthOutdated} {
		if health[h] == 0 {
			t.Errorf("no key result is %s; healths: %v", h, health)
		}
	}
	if forecasts == 0 {
		t.Error("no key result has a forecast")
	}
	if len(kinds) != 5 || len(units) != 4 || children < 1 {
		t.Errorf("kinds %v, units %v, %d children-sourced key results; want all five kinds, all four units and one rolled up", kinds, units, children)
	}
	for _, o := range objs {
		if c := perObjective[o.ID]; c < 2 || c > 5 {
			t.Errorf("objective %q has %d key results", o.Title, c)
		}
	}

	// Materialized progress equals a recomputation from scratch.
	var als []okr.Alignment
	for _, o := range objs {
		als = append(als, o.Alignments...)
	}
	objP, krP := okr.Recompute(objs, krs, als)
	for _, o := range objs {
		if math.Abs(o.Progress-objP[o.ID]) > 1e-9 {
			t.Errorf("objective %q: stored progress %v, recomputed %v", o.Title, o.Progress, objP[o.ID])
		}
	}
	for _, k := range krs {
		if math.Abs(k.Progress-krP[k.ID]) > 1e-9 {
			t.Errorf("key result %q: stored progress %v, recomputed %v", k.Title, k.Progress, krP[k.ID])
		}
	}

	// Check-ins: written in the past by their owners, weekly, before now.
	authors := map[string]bool{}
	total := 0
	for _, k := range krs {
		cs, err := s.a.ListCheckIns(ctx, s.owner, k.ID, app.PageRequest{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range cs.Items {
			authors[c.AuthorID] = true
			total++
			if !c.Created.Before(s.now) {
				t.Errorf("check-in on %q at %s is not before now %s", k.Title, c.Created, s.now)
			}
			if c.Source != okr.SourceManual {
				t.Errorf("check-in on %q has source %s", k.Title, c.Source)
			}
			if i > 0 && !c.Created.Before(cs.Items[i-1].Created) {
				t.Errorf("check-ins on %q are not in time order", k.Title)
			}
			if c.Status != okr.OnTrack && len(c.Blockers) == 0 && c.Confidence < 0.4 {
				t.Errorf("a low-confidence check-in on %q names no blocker", k.Title)
			}
		}
	}
	if len(authors) < 10 || total < 3*len(krs) {
		t.Errorf("%d check-ins by %d authors; want weeks of history by many people", total, len(authors))
	}

	// Initiatives: budgets in EUR, one tied to no key result.
	ins, err := s.a.ListInitiatives(ctx, s.owner, app.InitiativeQuery{PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	unaligned, budgets := 0, 0
	for _, in := range ins.Items {
		if !in.Aligned {
			unaligned++
		}
		if in.Budget != nil && in.Budget.Currency == "EUR" {
			budgets++
		}
	}
	if len(ins.Items) < 8 || unaligned != 1 || budgets < 5 {
		t.Errorf("%d initiatives, %d unaligned, %d with a budget; want one unaligned among many", len(ins.Items), unaligned, budgets)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// snapshot is what a person sees of the demo, without ids and times.
func snapshot(t *testing.T, s *seeded) map[string]string {
	t.Helper()
	objs, krs := s.period(t)
	out := map[string]string{}
	for _, o := range objs {
		out["objective: "+o.Title] = fmt.Sprintf("progress %v, health %s", o.Progress, o.Health)
	}
	for _, k := range krs {
		f := "none"
		if k.Forecast != nil {
			f = fmt.Sprintf("%v", *k.Forecast)
		}
		out["key result: "+k.Title] = fmt.Sprintf("current %v, progress %v, health %s, forecast %s", k.Current, k.Progress, k.Health, f)
	}
	return out
}

func TestSeedIsDeterministic(t *testing.T) {
	first, second := snapshot(t, seed(t, mid2026)), snapshot(t, seed(t, mid2026))
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("two seeds differ (-first +second):\n%s", diff)
	}
}

// Early in a quarter the previous one is active, so that there is history;
// in early January that is the last quarter of the year before.
func TestSeedEarlyInTheYear(t *testing.T) {
	s := seed(t, time.Date(2027, 1, 11, 8, 30, 0, 0, time.UTC))
	checkDemo(t, s)
	ctx := context.Background()
	q, _ := s.a.GetPeriod(ctx, s.owner, s.res.PeriodID)
	y, _ := s.a.GetPeriod(ctx, s.owner, s.res.YearPeriodID)
	n, _ := s.a.GetPeriod(ctx, s.owner, s.res.NextPeriodID)
	if q.Name != "2026-Q4" || y.Name != "2026" || n.Name != "2027-Q1" {
		t.Fatalf("periods %s in %s, next %s; want 2026-Q4 in 2026, next 2027-Q1", q.Name, y.Name, n.Name)
	}
	ny, err := s.a.GetPeriod(ctx, s.owner, n.ParentID)
	if err != nil || ny.Name != "2027" || ny.State != okr.PeriodPlanning {
		t.Errorf("next quarter sits in %+v (%v), want 2027 in planning", ny, err)
	}
}

func TestSeedTwiceIntoOneStore(t *testing.T) {
	s := seed(t, mid2026)
	_, err := demo.Seed(context.Background(), s.a, s.clock, mid2026)
	if !demo.Exists(err) {
		t.Fatalf("second Seed: %v, want an error Exists recognizes", err)
	}
	if d := time.Since(s.clock.Now()); d < 0 || d > time.Minute {
		t.Errorf("after Seed the clock reads %s, want the real time", s.clock.Now())
	}
}

func TestClock(t *testing.T) {
	var c demo.Clock
	if d := time.Since(c.Now()); d < 0 || d > time.Minute {
		t.Errorf("zero Clock reads %s, want the real time", c.Now())
	}
	past := time.Date(2020, 2, 3, 9, 0, 0, 0, time.UTC)
	c.Set(past)
	if !c.Now().Equal(past) {
		t.Errorf("Now() = %s after Set(%s)", c.Now(), past)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 100 {
				c.Set(past.Add(time.Duration(i*100+j) * time.Hour))
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	c.Set(time.Time{})
	if d := time.Since(c.Now()); d < 0 || d > time.Minute {
		t.Errorf("after Set(zero) Now() = %s, want the real time", c.Now())
	}
}

func BenchmarkSeed(b *testing.B) {
	for b.Loop() {
		seed(b, mid2026)
	}
}
