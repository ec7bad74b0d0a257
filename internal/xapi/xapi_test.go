package xapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
	"github.com/okrahq/okra/internal/xapi"
)

const (
	certURL = "https://lms.example.com/courses/cr-301"
	passed  = "http://adlnet.gov/expapi/verbs/passed"
	stmtID  = "0f7c0e52-3b8e-4c1b-9f3e-2b6f0e1a7c44"
)

// lrs is the LRS served over a store, for an organization with an owner,
// a member (ann@acme.test), a skill, a certification program that teaches
// it at level 3 (external id certURL) and an LRS credential.
type lrs struct {
	url         string
	a           *app.App
	owner       org.Actor
	ann         string
	skill       learning.Skill
	program     learning.Program
	key, secret string
}

func newLRS(tb testing.TB, st *store.Store) *lrs {
	tb.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(st, log)
	ts := httptest.NewServer(xapi.New(a, log))
	tb.Cleanup(ts.Close)
	l := &lrs{url: ts.URL, a: a}
	res, err := a.Init(ctx, app.InitInput{OrgName: "Acme", Email: "owner@acme.test"})
	if err != nil {
		tb.Fatal(err)
	}
	if l.owner, err = a.Authenticate(ctx, res.Token, "test"); err != nil {
		tb.Fatal(err)
	}
	m, err := a.CreateUser(ctx, l.owner, app.UserInput{Email: "ann@acme.test", Name: "Ann", Role: org.RoleMember}, "")
	if err != nil {
		tb.Fatal(err)
	}
	l.ann = m.ID
	if l.skill, err = a.CreateSkill(ctx, l.owner, app.SkillInput{Name: "Conflict resolution"}, ""); err != nil {
		tb.Fatal(err)
	}
	pass := 70.0
	l.program, err = a.CreateProgram(ctx, l.owner, app.ProgramInput{Title: "Conflict Resolution Certification",
		Kind: learning.KindCertification, ExternalID: certURL, PassMark: &pass,
		Skills: []learning.TaughtSkill{{SkillID: l.skill.ID, Level: 3}}}, "")
	if err != nil {
		tb.Fatal(err)
	}
	c, err := a.CreateLRSCredential(ctx, l.owner, "Moodle")
	if err != nil {
		tb.Fatal(err)
	}
	l.key, l.secret = c.Key, c.Secret
	return l
}

// answer is an HTTP answer.
type answer struct {
	status int
	header http.Header
	body   string
}

// do sends a request with the version header and the LRS credential;
// change alters the request before it goes.
func (l *lrs) do(tb testing.TB, method, path, body string, change ...func(*http.Request)) answer {
	tb.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, l.url+path, r)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("X-Experience-API-Version", "1.0.3")
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(l.key, l.secret)
	for _, c := range change {
		c(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if v := res.Header.Get("X-Experience-API-Version"); v != "1.0.3" {
		tb.Errorf("%s %s answered X-Experience-API-Version %q", method, path, v)
	}
	return answer{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (a answer) want(tb testing.TB, status int, contains ...string) {
	tb.Helper()
	if a.status != status {
		tb.Fatalf("status %d, want %d: %s", a.status, status, a.body)
	}
	for _, c := range contains {
		if !strings.Contains(a.body, c) {
			tb.Errorf("body %s lacks %q", a.body, c)
		}
	}
}

// statement is an xAPI statement of the actor's e-mail, a verb IRI, an
// activity id, and extra members (id, result, timestamp…).
func statement(email, verb, activity string, extra map[string]any) string {
	s := map[string]any{
		"actor":  map[string]any{"objectType": "Agent", "name": "Someone", "mbox": "mailto:" + email},
		"verb":   map[string]any{"id": verb, "display": map[string]string{"en-US": "did"}},
		"object": map[string]any{"objectType": "Activity", "id": activity},
	}
	for k, v := range extra {
		s[k] = v
	}
	b, _ := json.Marshal(s)
	return string(b)
}

func (l *lrs) statements(tb testing.TB, matched *bool) []learning.Statement {
	tb.Helper()
	page, err := l.a.ListStatements(context.Background(), l.owner, app.StatementListQuery{Matched: matched, PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		tb.Fatal(err)
	}
	return page.Items
}

func (l *lrs) enrollments(tb testing.TB) []learning.Enrollment {
	tb.Helper()
	page, err := l.a.ListEnrollments(context.Background(), l.owner, app.EnrollmentQuery{})
	if err != nil {
		tb.Fatal(err)
	}
	return page.Items
}

func TestPostUpdatesEnrollmentAndAssertsSkill(t *testing.T) {
	l := newLRS(t, storetest.SQLite(t, store.Config{}))
	body := statement("ann@acme.test", passed, certURL, map[string]any{"id": stmtID,
		"result": map[string]any{"score": map[string]any{"scaled": 0.92}, "success": true, "duration": "PT3H"}})
	l.do(t, http.MethodPost, "/xapi/statements", body).want(t, http.StatusOK, `["`+stmtID+`"]`)

	es := l.enrollments(t)
	if len(es) != 1 || es[0].UserID != l.ann || !es[0].PassedCompletion() || *es[0].Score != 92 || *es[0].Hours != 3 {
		t.Fatalf("enrollments = %+v", es)
	}
	skills, err := l.a.UserSkills(context.Background(), l.owner, l.ann)
	if err != nil {
		t.Fatal(err)
	}
	if len(skills) != 1 || skills[0].EffectiveLevel != 3 || skills[0].Basis.Source != learning.SourceCertification ||
		skills[0].Basis.EnrollmentID != es[0].ID {
		t.Errorf("ann's skills = %+v", skills)
	}

	// An array stores each; without ids they get new ones.
	two := "[" + statement("ann@acme.test", "http://adlnet.gov/expapi/verbs/experienced", certURL, nil) + "," +
		statement("nobody@acme.test", passed, certURL, nil) + "]"
	a := l.do(t, http.MethodPost, "/xapi/statements", two)
	a.want(t, http.StatusOK)
	var ids []string
	if err := json.Unmarshal([]byte(a.body), &ids); err != nil || len(ids) != 2 || ids[0] == ids[1] {
		t.Errorf("ids = %s", a.body)
	}
	if n := len(l.statements(t, nil)); n != 3 {
		t.Errorf("%d statements stored, want 3", n)
	}
}

func TestSameStatementTwice(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, st *store.Store) {
		l := newLRS(t, st)
		body := statement("ann@acme.test", passed, certURL, map[string]any{"id": stmtID, "timestamp": "2026-10-14T16:42:10Z",
			"result": map[string]any{"score": map[string]any{"raw": 88, "min": 0, "max": 100}}})
		l.do(t, http.MethodPost, "/xapi/statements", body).want(t, http.StatusOK, stmtID)
		es := l.enrollments(t)
		l.do(t, http.MethodPost, "/xapi/statements", body).want(t, http.StatusOK, stmtID)
		l.do(t, http.MethodPut, "/xapi/statements?statementId="+stmtID, body).want(t, http.StatusNoContent)
		if got := l.statements(t, nil); len(got) != 1 {
			t.Errorf("%d statements stored, want 1", len(got))
		}
		if after := l.enrollments(t); len(after) != 1 || after[0].Version != es[0].Version || *after[0].Score != 88 {
			t.Errorf("enrollments after the repeats = %+v (before %+v)", after, es)
		}

		other := statement("ann@acme.test", "http://adlnet.gov/expapi/verbs/failed", certURL, map[string]any{"id": stmtID})
		a := l.do(t, http.MethodPost, "/xapi/statements", other)
		a.want(t, http.StatusConflict, `"error":"conflict"`, "other content")
		l.do(t, http.MethodPut, "/xapi/statements?statementId="+stmtID, other).want(t, http.StatusConflict)

		a = l.do(t, http.MethodGet, "/xapi/statements?statementId="+stmtID, "")
		a.want(t, http.StatusOK, `"stored":`, `"version":"1.0.3"`, `"authority":`)
		var got map[string]any
		if err := json.Unmarshal([]byte(a.body), &got); err != nil {
			t.Fatal(err)
		}
		if got["id"] != stmtID || got["timestamp"] != "2026-10-14T16:42:10Z" ||
			got["verb"].(map[string]any)["id"] != passed || got["result"].(map[string]any)["score"].(map[string]any)["raw"] != 88.0 {
			t.Errorf("GET = %s", a.body)
		}
	})
}

func TestUnknownActorOrActivityIsStoredUnmatched(t *testing.T) {
	l := newLRS(t, storetest.SQLite(t, store.Config{}))
	l.do(t, http.MethodPost, "/xapi/statements", "["+
		statement("stranger@else.test", passed, certURL, nil)+","+
		statement("ann@acme.test", passed, "https://lms.example.com/courses/nope", nil)+"]").want(t, http.StatusOK)
	no := false
	got := l.statements(t, &no)
	if len(got) != 2 {
		t.Fatalf("%d unmatched statements, want 2", len(got))
	}
	outcomes := got[0].Outcome + " | " + got[1].Outcome
	for _, want := range []string{"no active member with e-mail stranger@else.test", "no program with external id https://lms.example.com/courses/nope"} {
		if !strings.Contains(outcomes, want) {
			t.Errorf("outcomes %q lack %q", outcomes, want)
		}
	}
	if es := l.enrollments(t); len(es) != 0 {
		t.Errorf("unmatched statements enrolled: %+v", es)
	}
}

func TestAuthenticationAndVersion(t *testing.T) {
	l := newLRS(t, storetest.SQLite(t, store.Config{}))
	body := statement("ann@acme.test", passed, certURL, nil)

	a := l.do(t, http.MethodPost, "/xapi/statements", body, func(r *http.Request) { r.Header.Del("Authorization") })
	a.want(t, http.StatusUnauthorized, `"error":"unauthenticated"`)
	if got := a.header.Get("WWW-Authenticate"); got != `Basic realm="okra xAPI"` {
		t.Errorf("WWW-Authenticate = %q", got)
	}
	a = l.do(t, http.MethodGet, "/xapi/statements", "", func(r *http.Request) { r.SetBasicAuth(l.key, "wrong") })
	a.want(t, http.StatusUnauthorized)
	if a.header.Get("WWW-Authenticate") == "" {
		t.Error("no challenge for a wrong secret")
	}
	l.do(t, http.MethodGet, "/xapi/statements", "", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+l.secret) }).
		want(t, http.StatusUnauthorized)

	l.do(t, http.MethodPost, "/xapi/statements", body, func(r *http.Request) { r.Header.Del("X-Experience-API-Version") }).
		want(t, http.StatusBadRequest, "X-Experience-API-Version: 1.0.3")
	l.do(t, http.MethodPost, "/xapi/statements", body, func(r *http.Request) { r.Header.Set("X-Experience-API-Version", "2.0.0") }).
		want(t, http.StatusBadRequest, `not \"2.0.0\"`)
	l.do(t, http.MethodPost, "/xapi/statements", body, func(r *http.Request) { r.Header.Set("X-Experience-API-Version", "1.0.1") }).
		want(t, http.StatusOK)

	// /xapi/about needs neither.
	l.do(t, http.MethodGet, "/xapi/about", "", func(r *http.Request) {
		r.Header.Del("Authorization")
		r.Header.Del("X-Experience-API-Version")
	}).want(t, http.StatusOK, `{"version":["1.0.3"]}`)

	// A revoked credential is refused.
	page, err := l.a.ListLRSCredentials(context.Background(), l.owner, app.PageRequest{})
	if err != nil || len(page.Items) != 1 {
		t.Fatal(page, err)
	}
	if err := l.a.RevokeLRSCredential(context.Background(), l.owner, page.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	l.do(t, http.MethodPost, "/xapi/statements", body).want(t, http.StatusUnauthorized)
	if n := len(l.statements(t, nil)); n != 1 {
		t.Errorf("%d statements stored, want the one before the revocation", n)
	}
}

func TestRequestErrors(t *testing.T) {
	l := newLRS(t, storetest.SQLite(t, store.Config{}))
	body := statement("ann@acme.test", passed, certURL, nil)
	cases := []struct {
		name, method, path, body string
		status                   int
		contains                 string
	}{
		{"not JSON", http.MethodPost, "/xapi/statements", "{", 400, "not valid JSON"},
		{"not a statement", http.MethodPost, "/xapi/statements", "42", 400, "a statement (a JSON object)"},
		{"invalid statement", http.MethodPost, "/xapi/statements", `{"actor": {"mbox": "mailto:ann@acme.test"}}`, 400, "statement.verb: is required"},
		{"post parameters", http.MethodPost, "/xapi/statements?statementId=" + stmtID, body, 400, "takes no parameters"},
		{"put without id", http.MethodPut, "/xapi/statements", body, 400, "needs ?statementId="},
		{"put a bad id", http.MethodPut, "/xapi/statements?statementId=42", body, 400, "not a UUID"},
		{"put an array", http.MethodPut, "/xapi/statements?statementId=" + stmtID, "[" + body + "]", 400, "not an array"},
		{"unknown id", http.MethodGet, "/xapi/statements?statementId=" + stmtID, "", 404, `"error":"not_found"`},
		{"unsupported parameter", http.MethodGet, "/xapi/statements?registration=" + stmtID, "", 400, "registration: okra's LRS does not support"},
		{"unknown parameter", http.MethodGet, "/xapi/statements?actor=x", "", 400, "actor: is not a parameter"},
		{"id and filters", http.MethodGet, "/xapi/statements?statementId=" + stmtID + "&verb=" + passed, "", 400, "cannot be combined"},
		{"bad since", http.MethodGet, "/xapi/statements?since=yesterday", "", 400, "since:"},
		{"bad agent", http.MethodGet, "/xapi/statements?agent=ann", "", 400, "agent:"},
		{"method", http.MethodDelete, "/xapi/statements", "", 405, "allowed: GET, HEAD, POST, PUT"},
		{"no resource", http.MethodGet, "/xapi/activities/state", "", 404, "no resource /xapi/activities/state"},
		{"too large", http.MethodPost, "/xapi/statements", "[" + strings.Repeat(body+",", (1<<20)/len(body)+1) + body + "]", 413, "larger than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l.do(t, c.method, c.path, c.body).want(t, c.status, c.contains)
		})
	}
	if n := len(l.statements(t, nil)); n != 0 {
		t.Errorf("%d statements stored by bad requests", n)
	}
}

func TestGetByFilters(t *testing.T) {
	l := newLRS(t, storetest.SQLite(t, store.Config{}))
	ctx := context.Background()
	if _, err := l.a.CreateUser(ctx, l.owner, app.UserInput{Email: "bob@acme.test", Name: "Bob", Role: org.RoleMember}, ""); err != nil {
		t.Fatal(err)
	}
	post := func(body string) string {
		t.Helper()
		a := l.do(t, http.MethodPost, "/xapi/statements", body)
		a.want(t, http.StatusOK)
		var ids []string
		if err := json.Unmarshal([]byte(a.body), &ids); err != nil {
			t.Fatal(err)
		}
		return ids[0]
	}
	progressed := "http://adlnet.gov/expapi/verbs/progressed"
	s1 := post(statement("ann@acme.test", progressed, certURL, nil))
	s2 := post(statement("bob@acme.test", passed, certURL, nil))
	s3 := post(statement("ann@acme.test", passed, "https://lms.example.com/courses/other", nil))
	stored, err := l.a.GetStatement(ctx, mustClient(t, l), s2)
	if err != nil {
		t.Fatal(err)
	}

	type result struct {
		Statements []struct {
			ID string `json:"id"`
		} `json:"statements"`
		More string `json:"more"`
	}
	get := func(query url.Values) result {
		t.Helper()
		a := l.do(t, http.MethodGet, "/xapi/statements?"+query.Encode(), "")
		a.want(t, http.StatusOK)
		if a.header.Get("X-Experience-API-Consistent-Through") == "" {
			t.Error("no X-Experience-API-Consistent-Through")
		}
		var r result
		if err := json.Unmarshal([]byte(a.body), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	ids := func(r result) string {
		var out []string
		for _, s := range r.Statements {
			out = append(out, s.ID)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct {
		name  string
		query url.Values
		want  []string
	}{
		{"all, newest first", url.Values{}, []string{s3, s2, s1}},
		{"ascending", url.Values{"ascending": {"true"}}, []string{s1, s2, s3}},
		{"agent", url.Values{"agent": {`{"objectType": "Agent", "mbox": "mailto:ann@acme.test"}`}}, []string{s3, s1}},
		{"verb", url.Values{"verb": {passed}}, []string{s3, s2}},
		{"activity", url.Values{"activity": {certURL}}, []string{s2, s1}},
		{"agent, verb and activity", url.Values{"agent": {`{"mbox": "mailto:ann@acme.test"}`}, "verb": {passed}, "activity": {certURL}}, nil},
		{"since", url.Values{"since": {stored.Stored.Format("2006-01-02T15:04:05.999999Z07:00")}}, []string{s3}},
		{"until", url.Values{"until": {stored.Stored.Format("2006-01-02T15:04:05.999999Z07:00")}}, []string{s2, s1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := ids(get(c.query)); got != strings.Join(c.want, ",") {
				t.Errorf("got %s, want %s", got, strings.Join(c.want, ","))
			}
		})
	}

	// Pages: limit and the more URL.
	if all := get(url.Values{"limit": {"2"}, "verb": {passed}, "ascending": {"true"}}); ids(all) != s2+","+s3 || all.More != "" {
		t.Errorf("a page holding all: %+v", all)
	}
	first := get(url.Values{"limit": {"0"}})
	if ids(first) != s3+","+s2+","+s1 || first.More != "" {
		t.Errorf("limit 0: %+v", first)
	}
	first = get(url.Values{"limit": {"2"}})
	if ids(first) != s3+","+s2 || !strings.HasPrefix(first.More, "/xapi/statements?") {
		t.Fatalf("first page: %+v", first)
	}
	a := l.do(t, http.MethodGet, first.More, "")
	a.want(t, http.StatusOK)
	var next result
	if err := json.Unmarshal([]byte(a.body), &next); err != nil {
		t.Fatal(err)
	}
	if ids(next) != s1 || next.More != "" {
		t.Errorf("second page: %+v", next)
	}

	// By id, through PUT.
	const putID = "6b1f4c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f"
	l.do(t, http.MethodPut, "/xapi/statements?statementId="+putID, `{"actor": {"mbox": "mailto:bob@acme.test"},
		"verb": {"id": "`+progressed+`", "display": {"en-US": "progressed in Q&A <basics>"}}, "object": {"id": "`+certURL+`"}}`).
		want(t, http.StatusNoContent)
	l.do(t, http.MethodGet, "/xapi/statements?statementId="+putID, "").
		want(t, http.StatusOK, `"id":"`+putID+`"`, "bob@acme.test", `"progressed in Q&A <basics>"`)
}

// mustClient authenticates the LRS's credential.
func mustClient(tb testing.TB, l *lrs) app.LRSClient {
	tb.Helper()
	c, err := l.a.LRSActor(context.Background(), l.key, l.secret)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
