package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

// world is an organization with an owner, two members, a viewer and a team.
type world struct {
	st                     *store.Store
	a                      *app.App
	owner, ann, bob, viola org.Actor
	team                   org.Team
	period                 okr.Period
}

func newWorld(t testing.TB) *world {
	t.Helper()
	return newWorldWith(t, store.Config{})
}

// newWorldWith builds the world on a SQLite store opened with cfg (a clock, say).
func newWorldWith(t testing.TB, cfg store.Config) *world {
	t.Helper()
	ctx := context.Background()
	cfg.DataDir = t.TempDir()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return newWorldOn(t, s)
}

// newWorldOn builds the world on an open store (storetest.Each gives both engines).
func newWorldOn(t testing.TB, s *store.Store) *world {
	t.Helper()
	ctx := context.Background()
	a := app.New(s, nil)
	res, err := a.Init(ctx, app.InitInput{OrgName: "Acme", Email: "owner@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{st: s, a: a}
	w.owner = actorOf(t, a, res.Token)
	person := func(email string, role org.Role) org.Actor {
		m, err := a.CreateUser(ctx, w.owner, app.UserInput{Email: email, Name: email, Role: role}, "")
		if err != nil {
			t.Fatal(err)
		}
		scopes := []org.Scope{org.ScopeRead, org.ScopeWrite}
		if role == org.RoleViewer {
			scopes = []org.Scope{org.ScopeRead}
		}
		tk, err := a.CreateToken(ctx, w.owner, app.TokenInput{UserID: m.ID, Name: "test", Scopes: scopes}, "")
		if err != nil {
			t.Fatal(err)
		}
		return actorOf(t, a, tk.Secret)
	}
	w.ann = person("ann@acme.test", org.RoleMember)
	w.bob = person("bob@acme.test", org.RoleMember)
	w.viola = person("viola@acme.test", org.RoleViewer)
	w.team, err = a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Support", LeadIDs: []string{w.ann.UserID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	w.period, err = a.CreatePeriod(ctx, w.owner, app.PeriodInput{Name: "2027-Q1", Kind: okr.PeriodQuarterly, StartDate: "2027-01-01", EndDate: "2027-03-31"}, "")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func actorOf(t testing.TB, a *app.App, token string) org.Actor {
	t.Helper()
	actor, err := a.Authenticate(context.Background(), token, "test")
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

func wantKind(t *testing.T, err error, kind errs.Kind) {
	t.Helper()
	if errs.KindOf(err) != kind || err == nil {
		t.Fatalf("got %v (kind %s), want kind %s", err, errs.KindOf(err), kind)
	}
}

func TestRolesAndOwnership(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	a := w.a

	// A viewer reads but never writes.
	_, err := a.CreateObjective(ctx, w.viola, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Be heard", Owner: app.OwnerInput{Type: okr.OwnerUser}}, "")
	wantKind(t, err, errs.Forbidden)

	// A member may not set organization objectives, nor ones for a team they are not in.
	_, err = a.CreateObjective(ctx, w.bob, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Rule the company", Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	wantKind(t, err, errs.Invalid)
	_, err = a.CreateObjective(ctx, w.bob, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Run support", Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}}, "")
	wantKind(t, err, errs.Invalid)

	// Ann leads Support: she may set its objective; Bob may not edit it.
	o, err := a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Support customers delightfully", Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	title := "Hijacked"
	_, err = a.UpdateObjective(ctx, w.bob, o.ID, &o.Version, app.ObjectiveUpdate{Title: &title})
	wantKind(t, err, errs.Forbidden)

	// Champions edit what they champion.
	champ := w.bob.UserID
	o, err = a.UpdateObjective(ctx, w.ann, o.ID, &o.Version, app.ObjectiveUpdate{ChampionID: &champ})
	if err != nil {
		t.Fatal(err)
	}
	title = "Support customers with care"
	o, err = a.UpdateObjective(ctx, w.bob, o.ID, &o.Version, app.ObjectiveUpdate{Title: &title})
	if err != nil || o.Title != title {
		t.Fatalf("champion's edit: %v, title %q", err, o.Title)
	}

	// Only admins manage teams, periods and members.
	_, err = a.CreateTeam(ctx, w.ann, app.TeamInput{Name: "Mine"}, "")
	wantKind(t, err, errs.Forbidden)
	_, err = a.CreatePeriod(ctx, w.ann, app.PeriodInput{Name: "X", Kind: okr.PeriodCustom, StartDate: "2027-01-01", EndDate: "2027-01-31"}, "")
	wantKind(t, err, errs.Forbidden)
	_, err = a.CreateUser(ctx, w.ann, app.UserInput{Email: "eve@acme.test", Name: "Eve", Role: org.RoleAdmin}, "")
	wantKind(t, err, errs.Forbidden)

	// A member's token cannot carry admin scope.
	_, err = a.CreateToken(ctx, w.owner, app.TokenInput{UserID: w.ann.UserID, Name: "x", Scopes: []org.Scope{org.ScopeAdmin}}, "")
	wantKind(t, err, errs.Invalid)
}

func TestPrivateObjectivesAreInvisible(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	a := w.a
	secret, err := a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Find a new role quietly",
		Owner: app.OwnerInput{Type: okr.OwnerUser}, Visibility: okr.Private}, "")
	if err != nil {
		t.Fatal(err)
	}
	zero, ten := 0.0, 10.0
	k, err := a.CreateKeyResult(ctx, w.ann, app.KeyResultInput{ObjectiveID: secret.ID, Title: "Interviews", Kind: okr.Increase, Baseline: &zero, Target: &ten}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Bob sees neither the objective nor its key result, in any read.
	_, err = a.GetObjective(ctx, w.bob, secret.ID)
	wantKind(t, err, errs.NotFound)
	_, err = a.GetKeyResult(ctx, w.bob, k.ID)
	wantKind(t, err, errs.NotFound)
	_, err = a.CheckIn(ctx, w.bob, k.ID, app.CheckInInput{Confidence: 0.5, Status: okr.OnTrack}, "")
	wantKind(t, err, errs.NotFound)
	page, err := a.ListObjectives(ctx, w.bob, app.ObjectiveQuery{PeriodID: w.period.ID})
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("Bob lists %d objectives (err %v), want 0", len(page.Items), err)
	}
	tree, err := a.Alignment(ctx, w.bob, w.period.ID)
	if err != nil || len(tree.Nodes) != 0 {
		t.Fatalf("Bob's tree has %d nodes (err %v), want 0", len(tree.Nodes), err)
	}
	// Aligning under it is refused as if it did not exist.
	_, err = a.CreateObjective(ctx, w.bob, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Piggyback on a secret",
		Owner: app.OwnerInput{Type: okr.OwnerUser}, Alignments: []app.AlignmentInput{{ParentType: okr.ParentObjective, ParentID: secret.ID}}}, "")
	wantKind(t, err, errs.Invalid)
	// The owner and an admin see it.
	if _, err := a.GetObjective(ctx, w.ann, secret.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.GetObjective(ctx, w.owner, secret.ID); err != nil {
		t.Fatal(err)
	}
}

func TestClosedPeriodIsReadOnly(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	a := w.a
	o, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Grow steadily", Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}
	zero, ten := 0.0, 10.0
	k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "Deals", Kind: okr.Increase, Baseline: &zero, Target: &ten}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ClosePeriod(ctx, w.owner, w.period.ID); !errs.Is(err, errs.Conflict) {
		t.Fatalf("closing a period in planning: %v, want conflict", err)
	}
	if _, err := a.ActivatePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	five := 5.0
	if _, err := a.CheckIn(ctx, w.owner, k.ID, app.CheckInInput{Value: &five, Confidence: 0.8, Status: okr.OnTrack}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ClosePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	_, err = a.CheckIn(ctx, w.owner, k.ID, app.CheckInInput{Value: &ten, Confidence: 0.8, Status: okr.OnTrack}, "")
	wantKind(t, err, errs.Conflict)
	got, err := a.GetKeyResult(ctx, w.owner, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Current != 5 || got.Health != okr.HealthClosed {
		t.Fatalf("after close: current %v health %s, want 5 and closed", got.Current, got.Health)
	}
}

func TestCheckInValidationAndWarnings(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	a := w.a
	o, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Ship reliably", Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}
	k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "Launch checklist", Kind: okr.Milestone,
		Milestones: []app.MilestoneInput{{Title: "Design"}, {Title: "Build", Weight: ptr(3.0)}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	// A value on a milestone key result, a bad status and a blocker without a type: all named.
	_, err = a.CheckIn(ctx, w.owner, k.ID, app.CheckInInput{Value: ptr(1.0), Confidence: 1.5, Status: "fine",
		Blockers: []okr.Blocker{{Description: "?"}}}, "")
	var e *errs.Error
	if !asErr(err, &e) || len(e.Fields) != 4 {
		t.Fatalf("got %v, want 4 field errors (value, confidence, status, blockers[0].type)", err)
	}
	// Marking "Build" done gives 3/4; low confidence without a blocker warns.
	res, err := a.CheckIn(ctx, w.owner, k.ID, app.CheckInInput{MilestonesDone: []string{k.Milestones[1].ID}, Confidence: 0.2, Status: okr.AtRisk}, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Value != 0.75 || len(res.Warnings) != 1 {
		t.Fatalf("value %v warnings %v, want 0.75 and one warning", res.Value, res.Warnings)
	}
	got, _ := a.GetObjective(ctx, w.owner, o.ID)
	if got.Progress != 0.75 || got.Health != okr.HealthAtRisk {
		t.Fatalf("objective progress %v health %s, want 0.75 at_risk", got.Progress, got.Health)
	}
}

func ptr[T any](v T) *T { return &v }

func asErr(err error, target **errs.Error) bool {
	e, ok := err.(*errs.Error)
	if ok {
		*target = e
	}
	return ok
}

func TestTeamVisibilityReachesSubTeams(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	a := w.a
	if _, err := a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Tier two", ParentID: w.team.ID, MemberIDs: []string{w.bob.UserID}}, ""); err != nil {
		t.Fatal(err)
	}
	o, err := a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Keep support runbooks honest",
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}, Visibility: okr.Team}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Bob, in a sub-team, sees it but may not change it; Viola, in no team, does not see it.
	if _, err := a.GetObjective(ctx, w.bob, o.ID); err != nil {
		t.Fatalf("sub-team member: %v", err)
	}
	title := "Mine now"
	_, err = a.UpdateObjective(ctx, w.bob, o.ID, &o.Version, app.ObjectiveUpdate{Title: &title})
	wantKind(t, err, errs.Forbidden)
	_, err = a.GetObjective(ctx, w.viola, o.ID)
	wantKind(t, err, errs.NotFound)
}

func TestDeletingAnObjectiveTakesItsComments(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	a := w.a
	o, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Talk things through", Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}
	k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "Talks", Kind: okr.Boolean}, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.CheckIn(ctx, w.owner, k.ID, app.CheckInInput{Value: ptr(1.0), Confidence: 1, Status: okr.OnTrack}, "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range []struct {
		t  okr.SubjectType
		id string
	}{{okr.SubjectObjective, o.ID}, {okr.SubjectKeyResult, k.ID}, {okr.SubjectCheckIn, c.ID}} {
		cm, err := a.CreateComment(ctx, w.owner, app.CommentInput{SubjectType: s.t, SubjectID: s.id, Body: "noted"}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, cm.ID)
	}
	if err := a.DeleteObjective(ctx, w.owner, o.ID); err != nil {
		t.Fatal(err)
	}
	// Gone from the database, not only hidden behind their missing subjects.
	err = w.st.Read(ctx, func(tx app.Tx) error {
		for _, id := range ids {
			_, err := tx.GetComment(ctx, w.owner.OrgID, id)
			wantKind(t, err, errs.NotFound)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTeamsPageByID(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	for _, name := range []string{"Zeta", "Alpha", "Mid"} {
		if _, err := w.a.CreateTeam(ctx, w.owner, app.TeamInput{Name: name}, ""); err != nil {
			t.Fatal(err)
		}
	}
	var seen []string
	p := app.PageRequest{Limit: 1}
	for range 10 {
		page, err := w.a.ListTeams(ctx, w.owner, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range page.Items {
			seen = append(seen, tm.ID)
		}
		if page.NextCursor == "" {
			break
		}
		p.Cursor = page.NextCursor
	}
	// Support (from the world) and the three above, each once, in id order.
	if len(seen) != 4 || !slices.IsSorted(seen) {
		t.Fatalf("paged through %v, want 4 ids in order", seen)
	}
}
