package app_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// lrsWorld is the world with a skill, a certification program that teaches
// it (pass mark 70, external id certURL) and an LRS client.
type lrsWorld struct {
	*world
	skill   learning.Skill
	cert    learning.Program
	client  app.LRSClient
	secret  string
	credKey string
}

const (
	certURL   = "https://lms.example.com/courses/cr-301"
	adlVerb   = "http://adlnet.gov/expapi/verbs/"
	statement = "0f7c0e52-3b8e-4c1b-9f3e-2b6f0e1a7c44"
)

func newLRSWorld(t *testing.T) *lrsWorld {
	t.Helper()
	ctx := context.Background()
	w := &lrsWorld{world: newWorld(t)}
	var err error
	w.skill, err = w.a.CreateSkill(ctx, w.owner, app.SkillInput{Name: "Conflict resolution"}, "")
	if err != nil {
		t.Fatal(err)
	}
	w.cert, err = w.a.CreateProgram(ctx, w.owner, app.ProgramInput{Title: "Conflict Resolution Certification",
		Kind: learning.KindCertification, ExternalID: certURL, PassMark: ptr(70.0),
		Skills: []learning.TaughtSkill{{SkillID: w.skill.ID, Level: 3}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.a.CreateLRSCredential(ctx, w.owner, "Moodle")
	if err != nil {
		t.Fatal(err)
	}
	w.secret, w.credKey = c.Secret, c.Key
	w.client, err = w.a.LRSActor(ctx, c.Key, c.Secret)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// xstmt is an xAPI statement: id (may be empty), the actor's e-mail, the
// verb's last segment, the activity and an optional result.
func xstmt(id, email, verb, activity string, result map[string]any) json.RawMessage {
	s := map[string]any{
		"actor":  map[string]any{"objectType": "Agent", "mbox": "mailto:" + email},
		"verb":   map[string]any{"id": adlVerb + verb, "display": map[string]string{"en-US": verb}},
		"object": map[string]any{"objectType": "Activity", "id": activity},
	}
	if id != "" {
		s["id"] = id
	}
	if result != nil {
		s["result"] = result
	}
	b, _ := json.Marshal(s)
	return b
}

func (w *lrsWorld) post(t *testing.T, stmts ...json.RawMessage) []string {
	t.Helper()
	ids, err := w.a.StoreStatements(context.Background(), w.client, stmts, "")
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func (w *lrsWorld) statements(t *testing.T, q app.StatementListQuery) []learning.Statement {
	t.Helper()
	q.Limit = 200
	page, err := w.a.ListStatements(context.Background(), w.owner, q)
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// enrollment returns the person's only enrollment in the program.
func (w *lrsWorld) enrollment(t *testing.T, userID, programID string) learning.Enrollment {
	t.Helper()
	page, err := w.a.ListEnrollments(context.Background(), w.owner, app.EnrollmentQuery{UserID: userID, ProgramID: programID})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("%d enrollments of %s in %s, want 1: %+v", len(page.Items), userID, programID, page.Items)
	}
	return page.Items[0]
}

// level returns the person's effective level in the skill and the source behind it.
func (w *lrsWorld) level(t *testing.T, userID, skillID string) (int, learning.Source) {
	t.Helper()
	skills, err := w.a.UserSkills(context.Background(), w.owner, userID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range skills {
		if s.Skill.ID == skillID && s.Basis != nil {
			return s.EffectiveLevel, s.Basis.Source
		}
	}
	return 0, ""
}

func TestLRSCredentials(t *testing.T) {
	ctx := context.Background()
	w := newLRSWorld(t)

	if _, err := w.a.CreateLRSCredential(ctx, w.ann, "Moodle"); !errs.Is(err, errs.Forbidden) {
		t.Errorf("a member creating a credential: err = %v, want Forbidden", err)
	}
	_, err := w.a.CreateLRSCredential(ctx, w.owner, "  ")
	wantField(t, err, "name", "name the learning system")

	c, err := w.a.CreateLRSCredential(ctx, w.owner, "Docebo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.Key, "okrax_") || len(c.Secret) != 43 || c.CreatedBy != w.owner.UserID {
		t.Errorf("credential = key %q, secret %q, created by %q", c.Key, c.Secret, c.CreatedBy)
	}
	page, err := w.a.ListLRSCredentials(ctx, w.owner, app.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 {
		t.Fatalf("%d credentials, want 2", len(page.Items))
	}
	listed := page.Items[1]
	if page.Items[0].ID == c.ID {
		listed = page.Items[0]
	}
	if listed.SecretHash != sha256Hex(c.Secret) {
		t.Errorf("stored hash %q, want the SHA-256 of the secret", listed.SecretHash)
	}
	if b, _ := json.Marshal(page); strings.Contains(string(b), c.Secret) || strings.Contains(string(b), listed.SecretHash) {
		t.Errorf("the list shows the secret or its hash: %s", b)
	}
	if _, err := w.a.ListLRSCredentials(ctx, w.ann, app.PageRequest{}); !errs.Is(err, errs.Forbidden) {
		t.Errorf("a member listing credentials: err = %v, want Forbidden", err)
	}

	client, err := w.a.LRSActor(ctx, c.Key, c.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if client.OrgID != w.owner.OrgID || client.CredentialID != c.ID || client.Name != "Docebo" {
		t.Errorf("client = %+v", client)
	}
	page, _ = w.a.ListLRSCredentials(ctx, w.owner, app.PageRequest{})
	for _, x := range page.Items {
		if x.ID == c.ID && x.LastUsed == nil {
			t.Error("authenticating did not record the credential's use")
		}
	}
	for what, kv := range map[string][2]string{
		"wrong secret": {c.Key, w.secret},
		"unknown key":  {"okrax_nope", c.Secret},
		"no prefix":    {"moodle", c.Secret},
		"empty":        {"", ""},
	} {
		if _, err := w.a.LRSActor(ctx, kv[0], kv[1]); !errs.Is(err, errs.Unauthenticated) {
			t.Errorf("%s: err = %v, want Unauthenticated", what, err)
		}
	}

	// Another organization's admin cannot see or revoke it.
	other, err := w.a.Init(ctx, app.InitInput{OrgName: "Globex", Email: "owner@globex.test"})
	if err != nil {
		t.Fatal(err)
	}
	globex := actorOf(t, w.a, other.Token)
	if err := w.a.RevokeLRSCredential(ctx, globex, c.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("another organization revoking: err = %v, want NotFound", err)
	}
	if page, _ := w.a.ListLRSCredentials(ctx, globex, app.PageRequest{}); len(page.Items) != 0 {
		t.Errorf("another organization lists %d credentials", len(page.Items))
	}

	if err := w.a.RevokeLRSCredential(ctx, w.owner, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.a.RevokeLRSCredential(ctx, w.owner, c.ID); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	if _, err := w.a.LRSActor(ctx, c.Key, c.Secret); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("a revoked credential: err = %v, want Unauthenticated", err)
	}
	if _, err := w.a.LRSActor(ctx, w.credKey, w.secret); err != nil {
		t.Errorf("the other credential stopped working: %v", err)
	}
	actions := auditActions(t, w.a, w.owner)
	if !containsAll(actions, "lrs_credential.create", "lrs_credential.revoke") {
		t.Errorf("audit = %v", actions)
	}
}

func containsAll(list []string, want ...string) bool {
	for _, x := range want {
		found := false
		for _, y := range list {
			found = found || x == y
		}
		if !found {
			return false
		}
	}
	return true
}

func TestPassedStatementCompletesAndMovesLearningKeyResult(t *testing.T) {
	ctx := context.Background()
	w := newLRSWorld(t)
	o, err := w.a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Calm support",
		Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}
	measure, _ := json.Marshal(learning.Measure{Type: learning.CertifiedCount, SkillID: w.skill.ID, Level: 3,
		Population: learning.Population{Type: learning.PopulationUsers, UserIDs: []string{w.ann.UserID, w.bob.UserID}}})
	kr, err := w.a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: o.ID, Title: "Support certified",
		Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(2.0), Source: okr.SourceLearning, Measure: measure}, "")
	if err != nil {
		t.Fatal(err)
	}

	ids := w.post(t, xstmt(statement, "ANN@acme.test", "passed", certURL,
		map[string]any{"score": map[string]any{"scaled": 0.85}, "duration": "PT12H30M"}))
	if len(ids) != 1 || ids[0] != statement {
		t.Fatalf("ids = %v", ids)
	}
	e := w.enrollment(t, w.ann.UserID, w.cert.ID)
	if e.Status != learning.Completed || e.Passed == nil || !*e.Passed || e.Score == nil || math.Abs(*e.Score-85) > 1e-9 ||
		e.Hours == nil || *e.Hours != 12.5 || e.Progress != 1 || e.AssignedBy != "" || e.Completed == nil {
		t.Errorf("enrollment = %+v", e)
	}
	if lvl, src := w.level(t, w.ann.UserID, w.skill.ID); lvl != 3 || src != learning.SourceCertification {
		t.Errorf("ann's level = %d from %s, want 3 from certification", lvl, src)
	}
	got := w.statements(t, app.StatementListQuery{})
	if len(got) != 1 {
		t.Fatalf("%d statements stored", len(got))
	}
	s := got[0]
	if !s.Matched || s.UserID != w.ann.UserID || s.ProgramID != w.cert.ID || s.EnrollmentID != e.ID ||
		s.Actor != "ann@acme.test" || s.Verb != adlVerb+"passed" || s.ActivityID != certURL || s.CredentialID != w.client.CredentialID {
		t.Errorf("statement = %+v", s)
	}
	if s.Outcome != "new enrollment completed and passed, score 85, 12.5 hours; skill levels asserted" {
		t.Errorf("outcome = %q", s.Outcome)
	}
	var raw map[string]any
	if err := json.Unmarshal(s.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	if raw["id"] != statement || raw["version"] != "1.0.3" || raw["stored"] == nil || raw["authority"] == nil ||
		raw["verb"].(map[string]any)["display"] == nil {
		t.Errorf("stored statement = %s", s.Raw)
	}

	k, err := w.a.GetKeyResult(ctx, w.owner, kr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if k.Current != 1 {
		t.Errorf("key result current = %v, want 1 (ann certified)", k.Current)
	}
	checkIns, err := w.a.ListCheckIns(ctx, w.owner, kr.ID, app.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// Newest first: the statement's, by nobody, after the one creating the key result made.
	if len(checkIns.Items) != 2 || checkIns.Items[0].Source != okr.SourceLearning || checkIns.Items[0].Value != 1 ||
		checkIns.Items[0].AuthorID != "" || checkIns.Items[0].PreviousValue != 0 {
		t.Errorf("check-ins = %+v", checkIns.Items)
	}

	// A progress report after the pass changes nothing.
	w.post(t, xstmt("", "ann@acme.test", "progressed", certURL, map[string]any{
		"extensions": map[string]any{"https://w3id.org/xapi/cmi5/result/extensions/progress": 40}}))
	if after := w.enrollment(t, w.ann.UserID, w.cert.ID); after.Version != e.Version || after.Status != learning.Completed {
		t.Errorf("progress after passing changed the enrollment: %+v", after)
	}
	if s := w.statements(t, app.StatementListQuery{Verb: adlVerb + "progressed"}); len(s) != 1 ||
		s[0].Outcome != "no change: the enrollment is completed already" {
		t.Errorf("progressed after passing: %+v", s)
	}
}

func TestStatementVerbs(t *testing.T) {
	w := newLRSWorld(t)
	ann, bob := w.ann.UserID, w.bob.UserID

	// progressed: the cmi5 progress extension, then score.scaled.
	w.post(t, xstmt("", "ann@acme.test", "progressed", certURL, map[string]any{
		"extensions": map[string]any{"https://w3id.org/xapi/cmi5/result/extensions/progress": 40}}))
	if e := w.enrollment(t, ann, w.cert.ID); e.Status != learning.InProgress || e.Progress != 0.4 || e.Started == nil {
		t.Errorf("after progressed 40: %+v", e)
	}
	w.post(t, xstmt("", "ann@acme.test", "progressed", certURL, map[string]any{"score": map[string]any{"scaled": 0.6}}))
	if e := w.enrollment(t, ann, w.cert.ID); e.Status != learning.InProgress || e.Progress != 0.6 || e.Score != nil {
		t.Errorf("after progressed scaled 0.6: %+v", e)
	}
	// scored: raw within min and max; below the pass mark, the enrollment stays open.
	w.post(t, xstmt("", "ann@acme.test", "scored", certURL, map[string]any{"score": map[string]any{"raw": 30, "min": 0, "max": 50}}))
	if e := w.enrollment(t, ann, w.cert.ID); e.Status != learning.InProgress || e.Score == nil || *e.Score != 60 {
		t.Errorf("after scored 30/50: %+v", e)
	}
	// completed: the score decides against the pass mark.
	w.post(t, xstmt("", "ann@acme.test", "completed", certURL, map[string]any{"score": map[string]any{"raw": 45, "min": 0, "max": 50}, "duration": "PT1H30M"}))
	e := w.enrollment(t, ann, w.cert.ID)
	if e.Status != learning.Completed || e.Passed == nil || !*e.Passed || *e.Score != 90 || *e.Hours != 1.5 {
		t.Errorf("after completed 45/50: %+v", e)
	}
	if lvl, _ := w.level(t, ann, w.skill.ID); lvl != 3 {
		t.Errorf("ann's level = %d, want 3", lvl)
	}

	// failed: a verdict, whatever the score.
	w.post(t, xstmt("", "bob@acme.test", "failed", certURL, map[string]any{"score": map[string]any{"scaled": 0.4}}))
	e = w.enrollment(t, bob, w.cert.ID)
	if e.Status != learning.Failed || e.Passed == nil || *e.Passed || *e.Score != 40 {
		t.Errorf("after failed: %+v", e)
	}
	if lvl, _ := w.level(t, bob, w.skill.ID); lvl != 0 {
		t.Errorf("bob's level after failing = %d, want 0", lvl)
	}
	last := w.statements(t, app.StatementListQuery{Agent: "bob@acme.test"})
	if len(last) != 1 || last[0].Outcome != "new enrollment failed, score 40" {
		t.Errorf("failed outcome: %+v", last)
	}

	// A verb okra does not act on is stored, matched, and changes nothing.
	w.post(t, xstmt("", "bob@acme.test", "experienced", certURL, nil))
	got := w.statements(t, app.StatementListQuery{Verb: adlVerb + "experienced"})
	if len(got) != 1 || !got[0].Matched || got[0].Outcome != "verb experienced is stored but changes nothing" || got[0].EnrollmentID != "" {
		t.Errorf("experienced: %+v", got)
	}
	if after := w.enrollment(t, bob, w.cert.ID); after.Version != e.Version {
		t.Errorf("experienced changed the enrollment: %+v", after)
	}

	// An account whose name is the e-mail identifies the learner too.
	acct, _ := json.Marshal(map[string]any{
		"actor":  map[string]any{"account": map[string]any{"homePage": "https://lms.example.com", "name": "Viola@Acme.test"}},
		"verb":   map[string]any{"id": "https://w3id.org/xapi/adl/verbs/passed"},
		"object": map[string]any{"id": certURL},
	})
	w.post(t, acct)
	if e := w.enrollment(t, w.viola.UserID, w.cert.ID); !e.PassedCompletion() {
		t.Errorf("viola (by account) = %+v", e)
	}
}

func TestSameStatementTwiceStoresOne(t *testing.T) {
	ctx := context.Background()
	w := newLRSWorld(t)
	first := xstmt(statement, "ann@acme.test", "passed", certURL, map[string]any{"score": map[string]any{"scaled": 0.9}})
	w.post(t, first)
	e := w.enrollment(t, w.ann.UserID, w.cert.ID)

	// Again, with the keys in another order, a timestamp-free copy with
	// stored, authority and version of its own: the same statement.
	var m map[string]any
	_ = json.Unmarshal(first, &m)
	m["version"] = "1.0.0"
	m["stored"] = "2020-01-01T00:00:00Z"
	m["authority"] = map[string]any{"mbox": "mailto:someone@else.test"}
	again, _ := json.Marshal(m)
	if ids := w.post(t, again); len(ids) != 1 || ids[0] != statement {
		t.Errorf("ids = %v", ids)
	}
	ids, err := w.a.StoreStatements(ctx, w.client, []json.RawMessage{first}, statement)
	if err != nil || len(ids) != 1 {
		t.Errorf("PUT of the same statement: %v, %v", ids, err)
	}
	if got := w.statements(t, app.StatementListQuery{}); len(got) != 1 {
		t.Errorf("%d statements stored, want 1", len(got))
	}
	if after := w.enrollment(t, w.ann.UserID, w.cert.ID); after.Version != e.Version {
		t.Errorf("the repeat changed the enrollment: version %d → %d", e.Version, after.Version)
	}

	// The same id with other content is a conflict, and nothing of its batch is stored.
	other := xstmt(statement, "ann@acme.test", "failed", certURL, nil)
	fresh := xstmt("", "bob@acme.test", "passed", certURL, nil)
	_, err = w.a.StoreStatements(ctx, w.client, []json.RawMessage{fresh, other}, "")
	wantKind(t, err, errs.Conflict)
	if got := w.statements(t, app.StatementListQuery{}); len(got) != 1 {
		t.Errorf("%d statements after the conflict, want 1", len(got))
	}
	page, _ := w.a.ListEnrollments(ctx, w.owner, app.EnrollmentQuery{UserID: w.bob.UserID})
	if len(page.Items) != 0 {
		t.Errorf("the conflicting batch enrolled bob: %+v", page.Items)
	}

	// Timestamps in two forms of the same instant are the same content.
	ts := func(id, at string) json.RawMessage {
		var m map[string]any
		_ = json.Unmarshal(xstmt(id, "bob@acme.test", "experienced", certURL, nil), &m)
		m["timestamp"] = at
		b, _ := json.Marshal(m)
		return b
	}
	const id2 = "6b1f4c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f"
	w.post(t, ts(id2, "2026-10-14T16:42:10Z"))
	w.post(t, ts(strings.ToUpper(id2), "2026-10-14T18:42:10.000+02:00"))
	_, err = w.a.StoreStatements(ctx, w.client, []json.RawMessage{ts(id2, "2026-10-14T16:42:11Z")}, "")
	wantKind(t, err, errs.Conflict)
	if got := w.statements(t, app.StatementListQuery{}); len(got) != 2 {
		t.Errorf("%d statements, want 2", len(got))
	}
}

func TestUnmatchedStatementsAreKept(t *testing.T) {
	ctx := context.Background()
	w := newLRSWorld(t)
	bob, err := w.a.GetUser(ctx, w.owner, w.bob.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.UpdateUser(ctx, w.owner, bob.ID, &bob.Version, app.MemberUpdate{Active: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	w.post(t,
		xstmt("", "stranger@else.test", "passed", certURL, nil),
		xstmt("", "ann@acme.test", "passed", "https://lms.example.com/courses/unknown", nil),
		xstmt("", "bob@acme.test", "passed", certURL, nil),
		xstmt("", "ann@acme.test", "passed", certURL, nil),
	)
	unmatched := w.statements(t, app.StatementListQuery{Matched: ptr(false)})
	outcomes := map[string]bool{}
	for _, s := range unmatched {
		outcomes[s.Outcome] = true
		if s.UserID != "" && s.ProgramID != "" || s.EnrollmentID != "" {
			t.Errorf("unmatched statement names a person and program: %+v", s)
		}
	}
	for _, want := range []string{
		"no active member with e-mail stranger@else.test",
		"no program with external id https://lms.example.com/courses/unknown",
		"no active member with e-mail bob@acme.test",
	} {
		if !outcomes[want] {
			t.Errorf("no unmatched statement says %q; got %v", want, outcomes)
		}
	}
	if len(unmatched) != 3 {
		t.Errorf("%d unmatched, want 3", len(unmatched))
	}
	if matched := w.statements(t, app.StatementListQuery{Matched: ptr(true)}); len(matched) != 1 || matched[0].UserID != w.ann.UserID {
		t.Errorf("matched = %+v", matched)
	}
	if page, _ := w.a.ListEnrollments(ctx, w.owner, app.EnrollmentQuery{}); len(page.Items) != 1 {
		t.Errorf("%d enrollments, want ann's only", len(page.Items))
	}
	if _, err := w.a.ListStatements(ctx, w.ann, app.StatementListQuery{}); !errs.Is(err, errs.Forbidden) {
		t.Errorf("a member listing statements: err = %v, want Forbidden", err)
	}
}

func TestInvalidStatementsStoreNothing(t *testing.T) {
	ctx := context.Background()
	w := newLRSWorld(t)
	good := xstmt("", "ann@acme.test", "passed", certURL, nil)
	cases := []struct {
		name, field, msg string
		stmt             string
	}{
		{"no actor", "statements[1].actor", "is required", `{"verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}, "object": {"id": "` + certURL + `"}}`},
		{"openid actor", "statements[1].actor", "mbox_sha1sum and openid are not supported", `{"actor": {"openid": "https://id.example/ann"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}, "object": {"id": "` + certURL + `"}}`},
		{"bad mbox", "statements[1].actor.mbox", "mailto:", `{"actor": {"mbox": "ann@acme.test"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}, "object": {"id": "` + certURL + `"}}`},
		{"no verb id", "statements[1].verb.id", "IRI", `{"actor": {"mbox": "mailto:ann@acme.test"}, "verb": {}, "object": {"id": "` + certURL + `"}}`},
		{"no object", "statements[1].object", "is required", `{"actor": {"mbox": "mailto:ann@acme.test"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}}`},
		{"bad id", "statements[1].id", "not a UUID", `{"id": "42", "actor": {"mbox": "mailto:ann@acme.test"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}, "object": {"id": "` + certURL + `"}}`},
		{"wrong type", "statements[1].verb.id", "string", `{"actor": {"mbox": "mailto:ann@acme.test"}, "verb": {"id": 7}, "object": {"id": "` + certURL + `"}}`},
		{"unknown property", "statements[1].Actor", "not a property", `{"Actor": {"mbox": "mailto:ann@acme.test"}, "actor": {"mbox": "mailto:ann@acme.test"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}, "object": {"id": "` + certURL + `"}}`},
		{"bad duration", "statements[1].result.duration", "ISO 8601", `{"actor": {"mbox": "mailto:ann@acme.test"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}, "object": {"id": "` + certURL + `"}, "result": {"duration": "90 minutes"}}`},
		{"scaled out of range", "statements[1].result.score.scaled", "between -1 and 1", `{"actor": {"mbox": "mailto:ann@acme.test"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}, "object": {"id": "` + certURL + `"}, "result": {"score": {"scaled": 85}}}`},
		{"bad timestamp", "statements[1].timestamp", "ISO 8601", `{"actor": {"mbox": "mailto:ann@acme.test"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}, "object": {"id": "` + certURL + `"}, "timestamp": "14/10/2026"}`},
		{"not an object", "statements[1]", "JSON object", `"passed"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.a.StoreStatements(ctx, w.client, []json.RawMessage{good, json.RawMessage(c.stmt)}, "")
			wantField(t, err, c.field, c.msg)
		})
	}
	// Two statements of a batch with one id; a PUT whose body names another id.
	_, err := w.a.StoreStatements(ctx, w.client, []json.RawMessage{xstmt(statement, "ann@acme.test", "passed", certURL, nil),
		xstmt(statement, "bob@acme.test", "passed", certURL, nil)}, "")
	wantField(t, err, "statements[1].id", "also the id of statements[0]")
	_, err = w.a.StoreStatements(ctx, w.client, []json.RawMessage{xstmt(statement, "ann@acme.test", "passed", certURL, nil)},
		"6b1f4c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f")
	wantField(t, err, "statement.id", "must be the same")

	if got := w.statements(t, app.StatementListQuery{}); len(got) != 0 {
		t.Errorf("%d statements stored from invalid batches", len(got))
	}
	if page, _ := w.a.ListEnrollments(ctx, w.owner, app.EnrollmentQuery{}); len(page.Items) != 0 {
		t.Errorf("invalid batches enrolled: %+v", page.Items)
	}
}

func TestQueryStatements(t *testing.T) {
	ctx := context.Background()
	w := newLRSWorld(t)
	ids := w.post(t,
		xstmt("", "ann@acme.test", "progressed", certURL, nil),
		xstmt("", "bob@acme.test", "passed", certURL, nil),
		xstmt("", "ann@acme.test", "passed", certURL, nil),
	)
	s, err := w.a.GetStatement(ctx, w.client, strings.ToUpper(ids[1]))
	if err != nil || s.ID != ids[1] || s.Actor != "bob@acme.test" {
		t.Errorf("GetStatement = %+v, %v", s, err)
	}
	q := func(q app.StatementQuery) []string {
		t.Helper()
		page, err := w.a.QueryStatements(ctx, w.client, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range page.Statements {
			out = append(out, s.ID)
		}
		return out
	}
	// One transaction stores them at one instant: ids order them, newest first.
	if got := q(app.StatementQuery{Agent: `{"mbox": "mailto:Ann@acme.test"}`}); !equalStrings(got, []string{ids[2], ids[0]}) {
		t.Errorf("by agent = %v", got)
	}
	if got := q(app.StatementQuery{Verb: adlVerb + "passed", Ascending: true}); !equalStrings(got, []string{ids[1], ids[2]}) {
		t.Errorf("by verb, ascending = %v", got)
	}
	if got := q(app.StatementQuery{Activity: "https://else.example/x"}); len(got) != 0 {
		t.Errorf("by another activity = %v", got)
	}
	page, err := w.a.QueryStatements(ctx, w.client, app.StatementQuery{Limit: 2})
	if err != nil || len(page.Statements) != 2 || page.NextCursor == "" {
		t.Fatalf("first page: %+v, %v", page, err)
	}
	page, err = w.a.QueryStatements(ctx, w.client, app.StatementQuery{Limit: 2, Cursor: page.NextCursor})
	if err != nil || len(page.Statements) != 1 || page.Statements[0].ID != ids[0] || page.NextCursor != "" {
		t.Errorf("second page: %+v, %v", page, err)
	}
	_, err = w.a.QueryStatements(ctx, w.client, app.StatementQuery{Agent: `{"openid": "https://x"}`})
	wantField(t, err, "agent", "mbox")

	// Another organization's client sees none of them.
	other, err := w.a.Init(ctx, app.InitInput{OrgName: "Globex", Email: "owner@globex.test"})
	if err != nil {
		t.Fatal(err)
	}
	globex := actorOf(t, w.a, other.Token)
	c, err := w.a.CreateLRSCredential(ctx, globex, "Globex LMS")
	if err != nil {
		t.Fatal(err)
	}
	gc, err := w.a.LRSActor(ctx, c.Key, c.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.GetStatement(ctx, gc, ids[0]); !errs.Is(err, errs.NotFound) {
		t.Errorf("another organization's GetStatement: %v, want NotFound", err)
	}
	if page, _ := w.a.QueryStatements(ctx, gc, app.StatementQuery{}); len(page.Statements) != 0 {
		t.Errorf("another organization queries %d statements", len(page.Statements))
	}
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}

// ---- LMS completion reports

// completionWorld is an organization with the people and programs of
// internal/learning/testdata/lms_completions.csv, except the partner's
// learner and GDPR-100.
type completionWorld struct {
	*world
	people              map[string]string // e-mail → user id
	cr, sched, agile    learning.Program
	crSkill, schedSkill learning.Skill
}

var completionsMapping = learning.CompletionMapping{Email: "User Email", Program: "Course ID", Status: "Completion Status",
	Progress: "Progress", Score: "Score", Completed: "Completion Date", Hours: "Time Spent (h)"}

func newCompletionWorld(t *testing.T) *completionWorld {
	t.Helper()
	ctx := context.Background()
	w := &completionWorld{world: newWorld(t), people: map[string]string{}}
	for _, name := range []string{"liam.chen", "priya.nair", "sofia.marin", "aisha.rahman", "tomas.ortega",
		"marcus.johnson", "noah.williams", "fatima.zahra", "elena.petrova"} {
		m, err := w.a.CreateUser(ctx, w.owner, app.UserInput{Email: name + "@northwind.test", Name: name, Role: org.RoleMember}, "")
		if err != nil {
			t.Fatal(err)
		}
		w.people[name] = m.ID
	}
	skill := func(name string) learning.Skill {
		s, err := w.a.CreateSkill(ctx, w.owner, app.SkillInput{Name: name}, "")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	w.crSkill, w.schedSkill = skill("Conflict resolution"), skill("Scheduling software")
	program := func(in app.ProgramInput) learning.Program {
		p, err := w.a.CreateProgram(ctx, w.owner, in, "")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	w.cr = program(app.ProgramInput{Title: "Advanced Conflict Resolution Certification", Kind: learning.KindCertification,
		ExternalID: "CR-301", PassMark: ptr(75.0), Skills: []learning.TaughtSkill{{SkillID: w.crSkill.ID, Level: 4}}})
	w.sched = program(app.ProgramInput{Title: "Scheduling Software Essentials", Kind: learning.KindELearning,
		ExternalID: "SCHED-101", PassMark: ptr(60.0), Skills: []learning.TaughtSkill{{SkillID: w.schedSkill.ID, Level: 2}}})
	w.agile = program(app.ProgramInput{Title: "Agile Project Management, Foundation", Kind: learning.KindCourse, ExternalID: "AGILE-210"})
	// Priya and Sofia were assigned the certification; Sofia has started.
	for _, who := range []string{"priya.nair", "sofia.marin"} {
		if _, err := w.a.Enroll(ctx, w.owner, app.EnrollmentInput{UserID: w.people[who], ProgramID: w.cr.ID}, ""); err != nil {
			t.Fatal(err)
		}
	}
	e := w.enrollmentOf(t, "sofia.marin", w.cr.ID)
	if _, err := w.a.UpdateEnrollment(ctx, w.owner, e.ID, &e.Version, app.EnrollmentUpdate{Progress: ptr(0.5), Status: ptr(learning.InProgress)}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *completionWorld) enrollmentOf(t *testing.T, who, programID string) learning.Enrollment {
	t.Helper()
	page, err := w.a.ListEnrollments(context.Background(), w.owner, app.EnrollmentQuery{UserID: w.people[who], ProgramID: programID})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("%s has %d enrollments in %s, want 1", who, len(page.Items), programID)
	}
	return page.Items[0]
}

func (w *completionWorld) state(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	page, err := w.a.ListEnrollments(ctx, w.owner, app.EnrollmentQuery{PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	as := 0
	for _, id := range w.people {
		skills, err := w.a.UserSkills(ctx, w.owner, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range skills {
			as += len(s.Assessments)
		}
	}
	b, _ := json.Marshal(page.Items)
	return string(b) + "; assessments: " + itoa(as)
}

func readCompletions(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../learning/testdata/lms_completions.csv")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImportCompletions(t *testing.T) {
	ctx := context.Background()
	w := newCompletionWorld(t)
	csv := readCompletions(t)

	if _, err := w.a.ImportCompletions(ctx, w.ann, strings.NewReader(csv), completionsMapping, true); !errs.Is(err, errs.Forbidden) {
		t.Errorf("a member importing: err = %v, want Forbidden", err)
	}

	before := w.state(t)
	dry, err := w.a.ImportCompletions(ctx, w.owner, strings.NewReader(csv), completionsMapping, true)
	if err != nil {
		t.Fatal(err)
	}
	if after := w.state(t); after != before {
		t.Errorf("the dry run changed enrollments or skills:\nbefore %s\nafter  %s", before, after)
	}
	want := map[int]string{ // line → action
		2:  app.ImportCreateAndComplete, // liam passes CR-301 with 88
		3:  app.ImportUpdateProgress,    // priya: assigned → in progress 40%
		4:  app.ImportComplete,          // sofia: in progress → passed 92
		5:  app.ImportCreateAndComplete, // aisha completes SCHED-101 with 95
		6:  app.ImportCreateAndComplete, // tomas fails SCHED-101 with 54
		7:  app.ImportCreate,            // marcus: not started
		8:  app.ImportCreateAndComplete, // noah passes AGILE-210
		9:  app.ImportCreate,            // fatima: in progress 65%
		10: app.ImportCreateAndComplete, // elena passes AGILE-210
		11: app.ImportUnmatched,         // the partner's learner
		12: app.ImportUnmatched,         // GDPR-100
	}
	check := func(what string, r app.CompletionImport) {
		t.Helper()
		if len(r.Rows) != len(want) {
			t.Fatalf("%s: %d rows, want %d: %+v", what, len(r.Rows), len(want), r.Rows)
		}
		for _, row := range r.Rows {
			if row.Action != want[row.Line] {
				t.Errorf("%s: line %d (%s, %s): %q (%s), want %q", what, row.Line, row.Email, row.Program, row.Action, row.Reason, want[row.Line])
			}
		}
		wantCounts := app.CompletionCounts{Rows: 11, Created: 7, Completed: 1, Updated: 1, Unmatched: 2}
		if r.Counts != wantCounts {
			t.Errorf("%s: counts %+v, want %+v", what, r.Counts, wantCounts)
		}
		if len(r.Errors) != 0 {
			t.Errorf("%s: errors %v", what, r.Errors)
		}
	}
	check("dry run", dry)
	if !dry.DryRun {
		t.Error("the dry run's report does not say so")
	}
	for _, row := range dry.Rows {
		switch row.Line {
		case 11:
			if row.Reason != "no active member with e-mail j.meyer@partner-agency.example" {
				t.Errorf("line 11 reason %q", row.Reason)
			}
		case 12:
			if row.Reason != `no program with external id or title "GDPR-100"` {
				t.Errorf("line 12 reason %q", row.Reason)
			}
		case 2:
			if row.EnrollmentID != "" || row.UserID != w.people["liam.chen"] || row.ProgramID != w.cr.ID ||
				row.Reason != "new enrollment completed and passed, score 88, 12.5 hours; skill levels asserted" {
				t.Errorf("line 2 = %+v", row)
			}
		case 4:
			if row.EnrollmentID != w.enrollmentOf(t, "sofia.marin", w.cr.ID).ID {
				t.Errorf("line 4 names enrollment %q", row.EnrollmentID)
			}
		}
	}

	real, err := w.a.ImportCompletions(ctx, w.owner, strings.NewReader(csv), completionsMapping, false)
	if err != nil {
		t.Fatal(err)
	}
	check("import", real)
	for i := range real.Rows {
		if real.Rows[i].Reason != dry.Rows[i].Reason {
			t.Errorf("line %d: import says %q, the dry run said %q", real.Rows[i].Line, real.Rows[i].Reason, dry.Rows[i].Reason)
		}
	}

	liam := w.enrollmentOf(t, "liam.chen", w.cr.ID)
	if !liam.PassedCompletion() || *liam.Score != 88 || *liam.Hours != 12.5 || liam.Completed == nil ||
		liam.Completed.Format("2006-01-02 15:04:05") != "2026-10-14 16:42:10" {
		t.Errorf("liam = %+v", liam)
	}
	if priya := w.enrollmentOf(t, "priya.nair", w.cr.ID); priya.Status != learning.InProgress || priya.Progress != 0.4 || *priya.Hours != 5 {
		t.Errorf("priya = %+v", priya)
	}
	if sofia := w.enrollmentOf(t, "sofia.marin", w.cr.ID); !sofia.PassedCompletion() || *sofia.Score != 92 {
		t.Errorf("sofia = %+v", sofia)
	}
	if aisha := w.enrollmentOf(t, "aisha.rahman", w.sched.ID); !aisha.PassedCompletion() {
		t.Errorf("aisha = %+v", aisha)
	}
	if tomas := w.enrollmentOf(t, "tomas.ortega", w.sched.ID); tomas.Status != learning.Failed || *tomas.Passed {
		t.Errorf("tomas = %+v", tomas)
	}
	if marcus := w.enrollmentOf(t, "marcus.johnson", w.sched.ID); marcus.Status != learning.Assigned {
		t.Errorf("marcus = %+v", marcus)
	}
	if fatima := w.enrollmentOf(t, "fatima.zahra", w.agile.ID); fatima.Status != learning.InProgress || fatima.Progress != 0.65 {
		t.Errorf("fatima = %+v", fatima)
	}
	lw := &lrsWorld{world: w.world}
	for who, skill := range map[string]learning.Skill{"liam.chen": w.crSkill, "sofia.marin": w.crSkill, "aisha.rahman": w.schedSkill} {
		if lvl, _ := lw.level(t, w.people[who], skill.ID); lvl == 0 {
			t.Errorf("%s has no level in %s after passing", who, skill.Name)
		}
	}
	for who, skill := range map[string]learning.Skill{"priya.nair": w.crSkill, "tomas.ortega": w.schedSkill} {
		if lvl, _ := lw.level(t, w.people[who], skill.ID); lvl != 0 {
			t.Errorf("%s has level %d in %s without passing", who, lvl, skill.Name)
		}
	}

	// Importing the same report again changes nothing.
	before = w.state(t)
	again, err := w.a.ImportCompletions(ctx, w.owner, strings.NewReader(csv), completionsMapping, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.Counts != (app.CompletionCounts{Rows: 11, Unchanged: 9, Unmatched: 2}) {
		t.Errorf("again: counts %+v; rows %+v", again.Counts, again.Rows)
	}
	if after := w.state(t); after != before {
		t.Errorf("importing again changed something")
	}
}

func TestImportCompletionsByTitleAndBadCells(t *testing.T) {
	ctx := context.Background()
	w := newCompletionWorld(t)
	csv := "Email;Course;Status;Score;Completed\n" +
		"liam.chen@northwind.test;advanced conflict resolution certification;passed;81,5;2026-10-01\n" +
		"noah.williams@northwind.test;AGILE-210;done;abc;2026-10-02\n" +
		"aisha.rahman@northwind.test;Scheduling Software Essentials;completed;70;12/10/2026\n" +
		"not-an-email;AGILE-210;completed;;\n" +
		"ELENA.PETROVA@northwind.test;AGILE-210;;;2026-09-18\n"
	m := learning.CompletionMapping{Email: "Email", Program: "Course", Status: "Status", Score: "Score", Completed: "Completed"}
	r, err := w.a.ImportCompletions(ctx, w.owner, strings.NewReader(csv), m, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 2 || r.Rows[0].Line != 2 || r.Rows[0].ProgramID != w.cr.ID || r.Rows[0].Action != app.ImportCreateAndComplete ||
		r.Rows[1].Line != 6 || r.Rows[1].Action != app.ImportCreateAndComplete {
		t.Errorf("rows = %+v", r.Rows)
	}
	if liam := w.enrollmentOf(t, "liam.chen", w.cr.ID); !liam.PassedCompletion() || *liam.Score != 81.5 {
		t.Errorf("liam = %+v", liam)
	}
	if elena := w.enrollmentOf(t, "elena.petrova", w.agile.ID); !elena.PassedCompletion() {
		t.Errorf("elena (completion date, no status) = %+v", elena)
	}
	errLines := map[int]string{}
	for _, e := range r.Errors {
		errLines[e.Line] = e.Column
	}
	if len(r.Errors) != 3 || errLines[3] != "Score" || errLines[4] != "Completed" || errLines[5] != "Email" {
		t.Errorf("errors = %+v", r.Errors)
	}
	if r.Counts.Rows != 5 || r.Counts.Errors != 3 || r.Counts.Created != 2 {
		t.Errorf("counts = %+v", r.Counts)
	}

	_, err = w.a.ImportCompletions(ctx, w.owner, strings.NewReader(csv), learning.CompletionMapping{Email: "Email", Program: "Course ID"}, true)
	wantField(t, err, "csv", "Course ID")
	_, err = w.a.ImportCompletions(ctx, w.owner, strings.NewReader(csv), learning.CompletionMapping{Email: "Email"}, true)
	wantField(t, err, "mapping.program", "name the column")
}
