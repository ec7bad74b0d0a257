package app_test

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

// dashboardWorld is the world of access_test.go with a settable clock and a
// quarter of OKRs: an org objective, a Support team objective, Bob's own
// objective (Bob sits in Support's sub-team Tier 2), a Sales team objective
// and Ann's private objective, checked in at different times.
type dashboardWorld struct {
	*world
	sales, tier2           org.Team
	o1, o2, o3, o4, o5     okr.Objective
	k1, k2, k3, k4, k5, k6 okr.KeyResult
	setNow                 func(time.Time)
}

func newDashboardWorld(t *testing.T) *dashboardWorld {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	w := newWorldWith(t, store.Config{Now: clock})
	d := &dashboardWorld{world: w, setNow: func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }}
	a := w.a
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.ActivatePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	tier2, err := a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Tier 2", ParentID: w.team.ID, MemberIDs: []string{w.bob.UserID}}, "")
	must(err)
	sales, err := a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Sales", LeadIDs: []string{w.owner.UserID}}, "")
	must(err)
	d.tier2, d.sales = tier2, sales

	obj := func(actor org.Actor, in app.ObjectiveInput) okr.Objective {
		t.Helper()
		in.PeriodID = w.period.ID
		o, err := a.CreateObjective(ctx, actor, in, "")
		must(err)
		return o
	}
	kr := func(o okr.Objective, title, owner string) okr.KeyResult {
		t.Helper()
		k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: title, OwnerID: owner,
			Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(100.0)}, "")
		must(err)
		return k
	}
	d.o1 = obj(w.owner, app.ObjectiveInput{Title: "Company grows", Owner: app.OwnerInput{Type: okr.OwnerOrg}})
	d.o2 = obj(w.ann, app.ObjectiveInput{Title: "Support delights", Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}})
	d.o3 = obj(w.bob, app.ObjectiveInput{Title: "Bob learns", Owner: app.OwnerInput{Type: okr.OwnerUser}})
	d.o4 = obj(w.owner, app.ObjectiveInput{Title: "Sales closes", Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: sales.ID}})
	d.o5 = obj(w.ann, app.ObjectiveInput{Title: "Ann's secret", Owner: app.OwnerInput{Type: okr.OwnerUser}, Visibility: okr.Private})
	d.k1 = kr(d.o1, "Revenue", w.owner.UserID)
	d.k2 = kr(d.o2, "CSAT", w.ann.UserID)
	d.k3 = kr(d.o2, "First reply", w.bob.UserID)
	d.k4 = kr(d.o3, "Courses", w.bob.UserID)
	d.k5 = kr(d.o4, "Deals", w.owner.UserID)
	d.k6 = kr(d.o5, "Secret interviews", w.ann.UserID)

	checkIn := func(at time.Time, k okr.KeyResult, value, conf float64, st okr.Status) {
		t.Helper()
		d.setNow(at)
		_, err := a.CheckIn(ctx, w.owner, k.ID, app.CheckInInput{Value: &value, Confidence: conf, Status: st}, "")
		must(err)
	}
	jan10, feb13, feb14 := now, time.Date(2027, 2, 13, 9, 0, 0, 0, time.UTC), time.Date(2027, 2, 14, 9, 0, 0, 0, time.UTC)
	checkIn(jan10, d.k1, 20, 0.8, okr.OnTrack)
	checkIn(jan10, d.k2, 10, 0.3, okr.OffTrack)
	checkIn(jan10, d.k4, 30, 0.7, okr.OnTrack)
	checkIn(feb13, d.k5, 40, 0.5, okr.AtRisk)
	checkIn(feb14, d.k1, 60, 0.8, okr.OnTrack)
	checkIn(feb14, d.k2, 10, 0.3, okr.OffTrack)

	_, err = a.CreateInitiative(ctx, w.owner, app.InitiativeInput{Title: "Hire agents", Status: okr.Blocked, KeyResultIDs: []string{d.k2.ID}}, "")
	must(err)
	_, err = a.CreateInitiative(ctx, w.owner, app.InitiativeInput{Title: "Launch ads", Status: okr.InProgress, KeyResultIDs: []string{d.k1.ID}}, "")
	must(err)
	_, err = a.CreateInitiative(ctx, w.owner, app.InitiativeInput{Title: "Someday", Status: okr.Planned}, "")
	must(err)

	// Day 45 of the 90-day quarter: half of it is expected by now.
	d.setNow(time.Date(2027, 2, 15, 0, 0, 0, 0, time.UTC))
	return d
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func counts(hc []okr.HealthCount) map[okr.Health]int {
	out := map[okr.Health]int{}
	for _, c := range hc {
		if c.Count > 0 {
			out[c.Health] = c.Count
		}
	}
	return out
}

func riskIDs(rs []okr.Risk) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestDashboard(t *testing.T) {
	ctx := context.Background()
	d := newDashboardWorld(t)
	a := d.a

	got, err := a.Dashboard(ctx, d.owner, app.DashboardQuery{PeriodID: d.period.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got.Objectives != 5 || got.KeyResults != 6 || got.CadenceDays != 7 {
		t.Errorf("owner: %d objectives, %d key results, cadence %d; want 5, 6, 7", got.Objectives, got.KeyResults, got.CadenceDays)
	}
	// Progress: o1 0.6, o2 (0.1+0)/2, o3 0.3, o4 0.4, o5 0 → 1.35/5.
	if !near(got.Progress, 1.35/5) || !near(got.Expected, 0.5) {
		t.Errorf("progress %v expected %v, want 0.27 and 0.5", got.Progress, got.Expected)
	}
	wantKR := map[okr.Health]int{okr.HealthOnTrack: 1, okr.HealthOffTrack: 1, okr.HealthAtRisk: 1, okr.HealthOutdated: 3}
	if c := counts(got.KeyResultHealth); !mapsEqual(c, wantKR) {
		t.Errorf("key result health %v, want %v", c, wantKR)
	}
	wantO := map[okr.Health]int{okr.HealthOnTrack: 1, okr.HealthOffTrack: 1, okr.HealthAtRisk: 1, okr.HealthOutdated: 2}
	if c := counts(got.ObjectiveHealth); !mapsEqual(c, wantO) {
		t.Errorf("objective health %v, want %v", c, wantO)
	}
	if !near(got.KeyResultsOnTrack, 1.0/6) || !near(got.ObjectivesOnTrack, 0.2) {
		t.Errorf("on track: key results %v objectives %v", got.KeyResultsOnTrack, got.ObjectivesOnTrack)
	}

	// At risk, worst first: off track (the objective, further behind, first), at risk, then the silent ones.
	wantRisks := []string{d.o2.ID, d.k2.ID, d.o4.ID, d.k5.ID, d.o5.ID, d.k3.ID, d.k6.ID, d.o3.ID, d.k4.ID}
	if ids := riskIDs(got.AtRisk); !slices.Equal(ids, wantRisks) {
		t.Errorf("at risk %v, want %v", ids, wantRisks)
	}
	reasons := map[string][]string{}
	for _, r := range got.AtRisk {
		reasons[r.ID] = r.Reasons
	}
	for id, want := range map[string][]string{
		d.k2.ID: {"off track at last check-in", "behind: 10% vs 50% expected", "low confidence 3 in 10"},
		d.k4.ID: {"no check-in for 36 days"},
		d.k3.ID: {"never checked in", "behind: 0% vs 50% expected"},
		d.o2.ID: {"1 of 2 key results off track", "1 of 2 key results without a recent check-in", "behind: 5% vs 50% expected"},
		d.k5.ID: {"at risk at last check-in"},
	} {
		if !slices.Equal(reasons[id], want) {
			t.Errorf("reasons of %s: %q, want %q", id, reasons[id], want)
		}
	}
	if first := got.ExpectedVsActual[0]; first.ID != d.o5.ID && first.ID != d.o2.ID {
		t.Errorf("expected vs actual starts with %q, want the furthest behind", first.Title)
	}

	// Discipline: k1, k2 (14 Feb) and k5 (13 Feb) are within the week; k3, k4, k6 are not.
	if dis := got.Discipline; dis.Total != 6 || dis.OnTime != 3 || !near(dis.Share, 0.5) {
		t.Errorf("discipline %+v, want 3 of 6", dis)
	}
	var teams []string
	for _, td := range got.TeamDiscipline {
		teams = append(teams, td.Name+":"+itoa(td.OnTime)+"/"+itoa(td.Total))
	}
	if want := []string{"Sales:2/2", "Support:1/4", "Tier 2:0/2"}; !slices.Equal(teams, want) {
		t.Errorf("team discipline %v, want %v", teams, want)
	}
	var owners []string
	for _, od := range got.OwnerDiscipline {
		owners = append(owners, od.Name+":"+itoa(od.OnTime)+"/"+itoa(od.Total))
	}
	if want := []string{"bob@acme.test:0/2", "ann@acme.test:1/2", "Acme:2/2"}; len(owners) != 3 || owners[0] != want[0] || owners[1] != want[1] {
		t.Errorf("owner discipline %v, want %v (the owner last)", owners, want)
	}
	if got.Initiatives != 2 || statusCount(got, okr.Blocked) != 1 || statusCount(got, okr.InProgress) != 1 || statusCount(got, okr.Planned) != 0 {
		t.Errorf("initiatives %d by status %v, want blocked and in progress (the unaligned one left out)", got.Initiatives, got.InitiativesStatus)
	}

	// The Support team with its sub-team and their people: o2, Bob's o3, Ann's o5.
	sup, err := a.Dashboard(ctx, d.owner, app.DashboardQuery{PeriodID: d.period.ID, TeamID: d.team.ID})
	if err != nil {
		t.Fatal(err)
	}
	if sup.Objectives != 3 || sup.KeyResults != 4 || sup.Discipline.OnTime != 1 || sup.Discipline.Total != 4 || sup.TeamID != d.team.ID {
		t.Errorf("support: %d objectives, %d key results, discipline %+v", sup.Objectives, sup.KeyResults, sup.Discipline)
	}
	if sup.Initiatives != 1 || statusCount(sup, okr.Blocked) != 1 {
		t.Errorf("support initiatives %v", sup.InitiativesStatus)
	}
	for _, r := range sup.AtRisk {
		if r.ID == d.o1.ID || r.ID == d.o4.ID || r.ID == d.k5.ID {
			t.Errorf("the Support dashboard shows %q, owned outside the team", r.Title)
		}
	}
	if len(sup.TeamDiscipline) != 2 || sup.TeamDiscipline[0].TeamID != d.team.ID || sup.TeamDiscipline[1].TeamID != d.tier2.ID {
		t.Errorf("support team discipline %+v", sup.TeamDiscipline)
	}

	// Bob sees neither Ann's private objective nor its key result.
	bob, err := a.Dashboard(ctx, d.bob, app.DashboardQuery{PeriodID: d.period.ID})
	if err != nil {
		t.Fatal(err)
	}
	if bob.Objectives != 4 || bob.KeyResults != 5 || bob.Discipline.Total != 5 || bob.Discipline.OnTime != 3 {
		t.Errorf("bob: %d objectives, %d key results, discipline %+v", bob.Objectives, bob.KeyResults, bob.Discipline)
	}
	for _, r := range bob.AtRisk {
		if r.ID == d.o5.ID || r.ID == d.k6.ID || strings.Contains(r.Title, "secret") {
			t.Errorf("bob's dashboard shows the private %q", r.Title)
		}
	}
	for _, o := range bob.ExpectedVsActual {
		if o.ID == d.o5.ID {
			t.Errorf("bob's dashboard shows the private objective")
		}
	}

	// Bad input and other organizations' ids.
	_, err = a.Dashboard(ctx, d.owner, app.DashboardQuery{})
	wantKind(t, err, errs.Invalid)
	other := newWorld(t)
	_, err = a.Dashboard(ctx, d.owner, app.DashboardQuery{PeriodID: other.period.ID})
	wantKind(t, err, errs.NotFound)
	_, err = a.Dashboard(ctx, d.owner, app.DashboardQuery{PeriodID: d.period.ID, TeamID: other.team.ID})
	wantKind(t, err, errs.NotFound)
}

func TestTeamSummaries(t *testing.T) {
	ctx := context.Background()
	d := newDashboardWorld(t)
	got, err := d.a.TeamSummaries(ctx, d.owner, d.period.ID)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, s := range got {
		rows = append(rows, strings.Repeat("-", s.Depth)+s.Team.Name+":"+itoa(s.People)+":"+itoa(s.Objectives)+":"+string(s.Health))
	}
	want := []string{"Sales:1:1:at_risk", "Support:1:1:off_track", "-Tier 2:1:0:pending"}
	if !slices.Equal(rows, want) {
		t.Errorf("summaries %v, want %v", rows, want)
	}
	if !near(got[1].Progress, 0.05) || !near(got[1].Expected, 0.5) {
		t.Errorf("support progress %v expected %v", got[1].Progress, got[1].Expected)
	}
	// Without a period: the tree and people only.
	bare, err := d.a.TeamSummaries(ctx, d.bob, "")
	if err != nil || len(bare) != 3 || bare[0].Objectives != 0 {
		t.Errorf("bare summaries %+v, %v", bare, err)
	}
	_, err = d.a.TeamSummaries(ctx, d.owner, newWorld(t).period.ID)
	wantKind(t, err, errs.NotFound)
}

func statusCount(d app.Dashboard, s okr.InitiativeStatus) int {
	for _, c := range d.InitiativesStatus {
		if c.Status == s {
			return c.Count
		}
	}
	return -1
}

func mapsEqual[K comparable](a, b map[K]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func itoa(n int) string { return strconv.Itoa(n) }
