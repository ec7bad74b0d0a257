package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/apiclient"
	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/httpapi"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// env is a running API server on a fresh store.
type env struct {
	app    *app.App
	server *httpapi.Server
	url    string
}

// newEnv serves the API on a fresh SQLite store.
func newEnv(tb testing.TB) *env {
	tb.Helper()
	return newEnvOn(tb, storetest.SQLite(tb, store.Config{}))
}

// eachEngine runs fn on an API server over SQLite and over PostgreSQL.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.Each(t, store.Config{}, func(t *testing.T, st *store.Store) { fn(t, newEnvOn(t, st)) })
}

func newEnvOn(tb testing.TB, st *store.Store) *env {
	tb.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(st, log)
	s := httpapi.New(a, log)
	ts := httptest.NewServer(s)
	tb.Cleanup(ts.Close)
	return &env{app: a, server: s, url: ts.URL}
}

// tenant is an organization made with app.Init, driven through the API with its owner's token.
type tenant struct {
	org    org.Organization
	owner  org.User
	token  string
	client *apiclient.Client
}

func (e *env) newTenant(tb testing.TB, name, email string) *tenant {
	tb.Helper()
	res, err := e.app.Init(context.Background(), app.InitInput{OrgName: name, Email: email})
	if err != nil {
		tb.Fatalf("init %s: %v", name, err)
	}
	return &tenant{org: res.Org, owner: res.Owner, token: res.Token, client: apiclient.New(e.url, res.Token, nil)}
}

// must returns v, failing the test on err: must(c.GetObjective(ctx, id))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(tb testing.TB) T {
		tb.Helper()
		if err != nil {
			tb.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func ptr[T any](v T) *T { return &v }

// answer is a raw HTTP answer.
type answer struct {
	status int
	header http.Header
	body   string
}

// call sends a raw request: token "" sends no Authorization header.
func (e *env) call(tb testing.TB, method, path, token, body string, header map[string]string) answer {
	tb.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url+path, r)
	if err != nil {
		tb.Errorf("%s %s: %v", method, path, err)
		return answer{}
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// Errorf, not Fatalf: call also runs in goroutines.
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Errorf("%s %s: %v", method, path, err)
		return answer{}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Errorf("%s %s: read: %v", method, path, err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// problem decodes a problem answer.
func (a answer) problem(tb testing.TB) apiclient.Problem {
	tb.Helper()
	if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
		tb.Fatalf("content type %q, want application/problem+json; body %s", ct, a.body)
	}
	var p apiclient.Problem
	if err := json.Unmarshal([]byte(a.body), &p); err != nil {
		tb.Fatalf("decode problem %s: %v", a.body, err)
	}
	return p
}

// fixture is one organization with one of everything, made through the API.
type fixture struct {
	*tenant
	memberID, memberToken, viewerToken string
	extraTokenID                       string
	team                               org.Team
	period                             okr.Period
	objective                          okr.Objective
	keyResult                          okr.KeyResult
	checkIn                            app.CheckInResult
	initiative                         okr.Initiative
	comment                            okr.Comment
}

// newFixture fills an organization; every title carries marker so that a
// test can tell whether another organization ever sees it.
func (e *env) newFixture(tb testing.TB, name, email, marker string) *fixture {
	tb.Helper()
	ctx := context.Background()
	t := e.newTenant(tb, name, email)
	c := t.client
	f := &fixture{tenant: t}
	domain := strings.Split(email, "@")[1]
	member := must(c.CreateUser(ctx, app.UserInput{Email: "member@" + domain, Name: "Member " + marker, Role: org.RoleMember}))(tb)
	f.memberID = member.ID
	f.memberToken = must(c.CreateToken(ctx, app.TokenInput{UserID: member.ID, Name: "member token", Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite}}))(tb).Secret
	viewer := must(c.CreateUser(ctx, app.UserInput{Email: "viewer@" + domain, Name: "Viewer " + marker, Role: org.RoleViewer}))(tb)
	f.viewerToken = must(c.CreateToken(ctx, app.TokenInput{UserID: viewer.ID, Name: "viewer token", Scopes: []org.Scope{org.ScopeRead}}))(tb).Secret
	f.extraTokenID = must(c.CreateToken(ctx, app.TokenInput{Name: "spare " + marker, Scopes: []org.Scope{org.ScopeRead}}))(tb).ID
	f.team = must(c.CreateTeam(ctx, app.TeamInput{Name: "Team " + marker, LeadIDs: []string{t.owner.ID}, MemberIDs: []string{member.ID}}))(tb)
	f.period = must(c.CreatePeriod(ctx, app.PeriodInput{Name: "2027 " + marker, Kind: okr.PeriodAnnual, StartDate: "2027-01-01", EndDate: "2027-12-31"}))(tb)
	f.period = must(c.ActivatePeriod(ctx, f.period.ID))(tb)
	f.objective = must(c.CreateObjective(ctx, app.ObjectiveInput{PeriodID: f.period.ID, Title: "Delight customers " + marker,
		Owner: app.OwnerInput{Type: okr.OwnerOrg}}))(tb)
	f.keyResult = must(c.CreateKeyResult(ctx, app.KeyResultInput{ObjectiveID: f.objective.ID, Title: "NPS " + marker,
		Kind: okr.Increase, Baseline: ptr(10.0), Target: ptr(50.0)}))(tb)
	f.checkIn = must(c.CheckIn(ctx, f.keyResult.ID, app.CheckInInput{Value: ptr(20.0), Confidence: 0.8, Status: okr.OnTrack, Note: "note " + marker}, ""))(tb)
	f.initiative = must(c.CreateInitiative(ctx, app.InitiativeInput{Title: "Survey " + marker, KeyResultIDs: []string{f.keyResult.ID}}))(tb)
	f.comment = must(c.CreateComment(ctx, app.CommentInput{SubjectType: okr.SubjectObjective, SubjectID: f.objective.ID, Body: "comment " + marker}))(tb)
	// Reload what the check-in changed.
	f.objective = must(c.GetObjective(ctx, f.objective.ID))(tb)
	f.keyResult = must(c.GetKeyResult(ctx, f.keyResult.ID))(tb)
	return f
}

// apiScenario is one request and what its answer must and must not contain
// (PocketBase's ApiScenario).
type apiScenario struct {
	name    string
	method  string
	path    string // {placeholders} are filled from the fixture
	token   string // a name from the fixture's tokens; "" sends none
	body    string // {placeholders} are filled too
	headers map[string]string

	status     int
	contains   []string
	notContain []string
	header     map[string]string // headers the answer must carry (value "*" means any)
}

func (sc apiScenario) run(t *testing.T, e *env, fill *strings.Replacer, tokens map[string]string) {
	t.Helper()
	token, ok := tokens[sc.token]
	if !ok && sc.token != "" {
		token = sc.token // a literal (bogus) token
	}
	headers := map[string]string{}
	for k, v := range sc.headers {
		headers[k] = fill.Replace(v)
	}
	a := e.call(t, sc.method, fill.Replace(sc.path), token, fill.Replace(sc.body), headers)
	if a.status != sc.status {
		t.Errorf("status %d, want %d; body %s", a.status, sc.status, a.body)
	}
	for _, s := range sc.contains {
		if s = fill.Replace(s); !strings.Contains(a.body, s) {
			t.Errorf("body lacks %q: %s", s, a.body)
		}
	}
	for _, s := range sc.notContain {
		if s = fill.Replace(s); strings.Contains(a.body, s) {
			t.Errorf("body contains %q: %s", s, a.body)
		}
	}
	for k, v := range sc.header {
		got := a.header.Get(k)
		if (v == "*" && got == "") || (v != "*" && got != fill.Replace(v)) {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if a.status >= 400 {
		p := a.problem(t)
		if p.Status != a.status || p.Title == "" || p.Type == "" || p.Detail == "" {
			t.Errorf("incomplete problem: %+v", p)
		}
	}
}

func decodeJSON(tb testing.TB, s string, v any) {
	tb.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		tb.Fatalf("decode %s: %v", s, err)
	}
}
