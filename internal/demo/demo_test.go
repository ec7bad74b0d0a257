package demo_test

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/learning"
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
			if c.Source != okr.SourceManual && (k.Source != c.Source || c.Source != okr.SourceLearning && c.Source != okr.SourceKPI) {
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

// ---- the learning side

// learningDemo reads the learning side of a seeded demo as its owner.
type learningDemo struct {
	*seeded
	users    map[string]org.Member       // e-mail → member
	teams    map[string]org.Team         // name → team
	skills   map[string]learning.Skill   // name → skill
	programs map[string]learning.Program // title → program
	krs      map[string]okr.KeyResult    // title → learning key result
	names    map[string]string           // user id → name
}

func readLearning(t *testing.T, s *seeded) *learningDemo {
	t.Helper()
	ctx := context.Background()
	d := &learningDemo{seeded: s, users: map[string]org.Member{}, teams: map[string]org.Team{}, skills: map[string]learning.Skill{},
		programs: map[string]learning.Program{}, krs: map[string]okr.KeyResult{}, names: map[string]string{}}
	users, err := s.a.ListUsers(ctx, s.owner, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users.Items {
		d.users[u.Email], d.names[u.ID] = u, u.Name
	}
	teams, err := s.a.ListTeams(ctx, s.owner, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams.Items {
		d.teams[tm.Name] = tm
	}
	skills, err := s.a.AllSkills(ctx, s.owner)
	if err != nil {
		t.Fatal(err)
	}
	for _, sk := range skills {
		d.skills[sk.Name] = sk
	}
	ps, err := s.a.ListPrograms(ctx, s.owner, app.ProgramQuery{PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps.Items {
		d.programs[p.Title] = p
	}
	_, krs := s.period(t)
	for _, k := range krs {
		if k.Source == okr.SourceLearning {
			d.krs[k.Title] = k
		}
	}
	return d
}

// checkIns returns a key result's check-ins, oldest first.
func (d *learningDemo) checkIns(t *testing.T, krID string) []okr.CheckIn {
	t.Helper()
	page, err := d.a.ListCheckIns(context.Background(), d.owner, krID, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(page.Items)
	return page.Items
}

// The learning side of seed 003's case studies: skills, requirements,
// assessments, a catalog, a quarter of enrollments and learning key results
// that moved by themselves. The history is squeezed into the four weeks of a
// young quarter; the full eight weeks are seeded by TestSeed.
func TestSeedLearning(t *testing.T) {
	now := time.Date(2026, 4, 29, 15, 0, 0, 0, time.UTC) // 2026-Q2 is four weeks old
	s := seed(t, now)
	d := readLearning(t, s)
	ctx := context.Background()
	q, err := s.a.GetPeriod(ctx, s.owner, s.res.PeriodID)
	if err != nil || q.Name != "2026-Q2" {
		t.Fatalf("active quarter %s (%v), want 2026-Q2", q.Name, err)
	}

	t.Run("skills", func(t *testing.T) {
		esco, sfia := 0, 0
		for _, sk := range d.skills {
			if sk.Framework == learning.FrameworkESCO && strings.HasPrefix(sk.URI, "http://data.europa.eu/esco/skill/") {
				esco++
			}
			if sk.ScaleID == learning.SFIAScaleID {
				sfia++
			}
		}
		if len(d.skills) < 10 || len(d.skills) > 15 || esco < 8 || esco == len(d.skills) || sfia != 1 {
			t.Errorf("%d skills, %d from ESCO, %d on SFIA; want 10–15, mostly ESCO, some custom, one SFIA", len(d.skills), esco, sfia)
		}
		if d.skills["Software development"].ScaleID != learning.SFIAScaleID {
			t.Errorf("Software development is on scale %q, want sfia", d.skills["Software development"].ScaleID)
		}
		skillsOf := func(email string) map[string]app.UserSkill {
			mine, err := s.a.UserSkills(ctx, s.owner, d.users[email].ID)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]app.UserSkill{}
			for _, us := range mine {
				out[us.Skill.Name] = us
			}
			return out
		}
		// Marcus was assessed in appointments long ago: his 4 counts as a 3.
		if ma := skillsOf("marcus.johnson@northwind.test")["manage appointments"]; ma.EffectiveLevel != 3 || !ma.Decayed {
			t.Errorf("Marcus's manage appointments: level %d, decayed %v; want the decayed 3", ma.EffectiveLevel, ma.Decayed)
		}
		// Sofia's certification outranks her manager's old assessment.
		if rc := skillsOf("sofia.marin@northwind.test")["resolve conflicts"]; rc.EffectiveLevel != 3 || rc.Decayed || rc.Basis == nil ||
			rc.Basis.Source != learning.SourceCertification || len(rc.Assessments) != 2 {
			t.Errorf("Sofia's resolve conflicts: %+v; want level 3 from her certification", rc)
		}
	})

	t.Run("role profiles", func(t *testing.T) {
		page, err := s.a.ListRoles(ctx, s.owner, app.PageRequest{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		holders := map[string][]string{}
		for _, r := range page.Items {
			for _, id := range r.HolderIDs {
				holders[r.Name] = append(holders[r.Name], d.names[id])
			}
			slices.Sort(holders[r.Name])
		}
		want := map[string][]string{
			"Support agent":     {"Liam Chen", "Priya Nair"},
			"Project manager":   {"Helena Kowalski", "Marcus Johnson", "Tomás Ortega"},
			"Scrum master":      {"Elena Petrova", "Oliver Brandt"},
			"Software engineer": {"Elena Petrova", "Fatima Zahra", "Noah Williams"},
		}
		if diff := cmp.Diff(want, holders); diff != "" {
			t.Errorf("role holders (-want +got):\n%s", diff)
		}
	})

	t.Run("learning key results", func(t *testing.T) {
		for _, c := range []struct {
			title  string
			values []float64 // the learning check-ins' values, oldest first
		}{
			{demo.SupportKeyResult, []float64{0, 100.0 / 3, 200.0 / 3}},
			{demo.SchedulingKeyResult, []float64{0, 100.0 / 3, 200.0 / 3}},
			{demo.AgileKeyResult, []float64{1, 2, 3}},
		} {
			k, ok := d.krs[c.title]
			if !ok {
				t.Errorf("no learning key result %q; learning ones: %v", c.title, slices.Collect(maps.Keys(d.krs)))
				continue
			}
			var values []float64
			var last time.Time
			for _, ci := range d.checkIns(t, k.ID) {
				if !ci.Created.After(last) || !ci.Created.Before(now) {
					t.Errorf("%q: check-in at %s out of order or not before now", c.title, ci.Created)
				}
				last = ci.Created
				if ci.Source == okr.SourceLearning {
					values = append(values, ci.Value)
				}
			}
			if len(values) < 2 || !approx(values, c.values) {
				t.Errorf("%q: learning check-ins %v, want %v", c.title, values, c.values)
			}
			if want := c.values[len(c.values)-1]; math.Abs(k.Current-want) > 1e-9 || k.Health == okr.HealthOutdated || k.Health == okr.HealthPending {
				t.Errorf("%q: current %v, health %s; want %v, checked in", c.title, k.Current, k.Health, want)
			}
		}
		if len(d.krs) != 3 {
			t.Errorf("%d learning key results, want 3", len(d.krs))
		}
	})

	t.Run("support team gaps", func(t *testing.T) {
		support := d.teams["Shop Support"]
		if lead := d.names[support.LeadIDs[0]]; len(support.LeadIDs) != 1 || lead != "Sofia Marin" {
			t.Errorf("Shop Support is led by %v, want Sofia Marin", support.LeadIDs)
		}
		rep, err := s.a.Gaps(ctx, s.owner, app.GapQuery{Scope: "team:" + support.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Items) != 5 {
			t.Fatalf("%d gaps for Shop Support, want its 5 requirements", len(rep.Items))
		}
		for i := 1; i < len(rep.Items); i++ {
			if rep.Items[i].Burden > rep.Items[i-1].Burden {
				t.Errorf("gaps not ranked by burden: %v after %v", rep.Items[i].Burden, rep.Items[i-1].Burden)
			}
		}
		// Sofia was never assessed in empathy: three levels missing.
		if top := rep.Items[0]; top.SkillID != d.skills["show empathy"].ID || top.Burden != 3 || top.Below != 1 {
			t.Errorf("top gap %+v, want show empathy with burden 3", top)
		}
		// Sofia and Liam passed the certification; Priya failed it and retakes it.
		conflict := d.programs[demo.ConflictProgram]
		found := false
		for _, g := range rep.Items {
			if g.SkillID != d.skills["resolve conflicts"].ID {
				continue
			}
			found = true
			if g.Supply != 2 || g.Below != 1 || g.Shortfall != 1 || g.Burden != 1 || d.names[g.People[0].UserID] != "Priya Nair" ||
				g.People[0].Level != 2 || !slices.Contains(g.SuggestedProgramIDs, conflict.ID) {
				t.Errorf("resolve conflicts gap %+v; want supply 2, Priya at 2 below 3, the certification suggested", g)
			}
		}
		if !found {
			t.Error("no resolve conflicts gap for Shop Support")
		}
	})

	t.Run("conflict-resolution certification", func(t *testing.T) {
		p, ok := d.programs[demo.ConflictProgram]
		if !ok || p.ExternalID != demo.ConflictProgramExternalID || p.PassMark == nil || *p.PassMark != 80 ||
			p.Kind != learning.KindCertification || p.Cost == nil || p.Hours == nil {
			t.Fatalf("program %+v, want the certification with its external id and pass mark 80", p)
		}
		if len(d.programs) < 6 {
			t.Errorf("%d programs in the catalog, want about six", len(d.programs))
		}
		page, err := s.a.ListEnrollments(ctx, s.owner, app.EnrollmentQuery{ProgramID: p.ID, PageRequest: app.PageRequest{Limit: 200}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		rated := 0
		for _, e := range page.Items {
			got[d.names[e.UserID]+" "+string(e.Status)]++
			if e.Feedback != nil && e.Feedback.Rating > 0 && e.Feedback.Text != "" {
				rated++
			}
		}
		want := map[string]int{"Sofia Marin completed": 1, "Liam Chen completed": 1, "Priya Nair failed": 1, "Priya Nair in_progress": 1}
		if diff := cmp.Diff(want, got); diff != "" || rated != 3 {
			t.Errorf("enrollments (-want +got):\n%s\n%d rated, want 3", diff, rated)
		}
		// Priya's retake serves the team's learning objective, which names the gap and the key result.
		priya := d.users["priya.nair@northwind.test"]
		open, err := s.a.ListEnrollments(ctx, s.owner, app.EnrollmentQuery{UserID: priya.ID, Status: learning.InProgress})
		if err != nil {
			t.Fatal(err)
		}
		if len(open.Items) != 1 || open.Items[0].ProgramID != p.ID || open.Items[0].LearningObjectiveID == "" {
			t.Fatalf("Priya's open enrollments %+v, want her retake of the certification", open.Items)
		}
		lo, err := s.a.GetLearningObjective(ctx, s.owner, open.Items[0].LearningObjectiveID)
		if err != nil {
			t.Fatal(err)
		}
		if lo.TeamID != d.teams["Shop Support"].ID || lo.KeyResultID != d.krs[demo.SupportKeyResult].ID || lo.RequirementID == "" {
			t.Errorf("learning objective %+v, want Shop Support's, tied to the requirement and the key result", lo.LearningObjective)
		}
	})

	t.Run("mentorships and feedback", func(t *testing.T) {
		ms, err := s.a.ListMentorships(ctx, s.owner, app.MentorshipQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var all []learning.Feedback
		err = s.st.Read(ctx, func(tx app.Tx) error {
			var err error
			all, err = tx.ListFeedback(ctx, s.res.OrgID, learning.FeedbackFilter{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range all {
			got[d.names[f.FromID]+" → "+d.names[f.ToID]] = f.Relation + " about " + f.SubjectType + ", for " + string(f.Visibility)
		}
		want := map[string]string{
			"Sofia Marin → Priya Nair":    "manager about enrollment, for recipient",
			"Aisha Rahman → Tomás Ortega": "mentor about skill, for managers",
		}
		if diff := cmp.Diff(want, got); diff != "" || len(ms.Items) != 2 {
			t.Errorf("%d mentorships; feedback (-want +got):\n%s", len(ms.Items), diff)
		}
		// The owner, an admin, reads what is shared with managers, not what Sofia told Priya alone.
		fb, err := s.a.ListFeedback(ctx, s.owner, app.FeedbackQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(fb.Items) != 1 || fb.Items[0].Visibility != learning.VisibleManagers {
			t.Errorf("the owner reads %+v, want the feedback shared with managers", fb.Items)
		}
	})

	t.Run("demand forecast", func(t *testing.T) {
		rep, err := s.a.DemandForecast(ctx, s.owner, s.res.NextPeriodID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Items) != 2 || rep.Items[0].Burden <= 0 || rep.Items[0].SkillID != d.skills["Software development"].ID {
			t.Errorf("forecast for the planning quarter: %+v; want Labs' two requirements, Software development first", rep.Items)
		}
	})
}

func approx(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			return false
		}
	}
	return true
}
