package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	"github.com/okrahq/okra/internal/xapi"
)

// xapiStatement is a statement of a learner (by e-mail) doing verb on an activity.
func xapiStatement(email, verb, activity string) json.RawMessage {
	b, _ := json.Marshal(obj{"actor": obj{"mbox": "mailto:" + email}, "verb": obj{"id": verb}, "object": obj{"id": activity}})
	return b
}

const (
	verbCompleted   = "http://adlnet.gov/expapi/verbs/completed"
	verbExperienced = "http://adlnet.gov/expapi/verbs/experienced"
)

// lrsIsolation gives A and B an LRS credential, A a program its learning
// system reports on with the member enrolled, and A a statement that matched
// nobody. B's learning system and B's completion report then name A's member
// and program: they match nothing and A's enrollment stays as it was.
func lrsIsolation(t *testing.T, e *env, a, b *fixture, marker string) isolationExtra {
	t.Helper()
	ctx := context.Background()
	var credA, credB app.NewLRSCredential
	e.send(t, 201, "POST", "/api/v1/xapi-credentials", a.token, obj{"name": "LMS " + marker}, &credA)
	e.send(t, 201, "POST", "/api/v1/xapi-credentials", b.token, obj{"name": "LMS beta"}, &credB)
	var program learning.Program
	e.send(t, 201, "POST", "/api/v1/programs", a.token, obj{"title": "LRS course " + marker, "kind": "course",
		"external_id": "urn:lrs-course:a", "skills": []obj{}}, &program)
	var enrollment learning.Enrollment
	e.send(t, 201, "POST", "/api/v1/enrollments", a.token, obj{"user_id": a.memberID, "program_id": program.ID}, &enrollment)

	activity := "urn:lrs-activity:" + marker
	clientA := must(e.app.LRSActor(ctx, credA.Key, credA.Secret))(t)
	ids := must(e.app.StoreStatements(ctx, clientA, []json.RawMessage{xapiStatement("stranger@alpha.test", verbCompleted, activity)}, ""))(t)

	enrollmentPath := "/api/v1/enrollments/" + enrollment.ID
	before := e.send(t, 200, "GET", enrollmentPath, a.token, nil, nil).body
	clientB := must(e.app.LRSActor(ctx, credB.Key, credB.Secret))(t)
	must(e.app.StoreStatements(ctx, clientB, []json.RawMessage{xapiStatement("member@alpha.test", verbCompleted, program.ExternalID)}, ""))(t)
	var matched app.Page[learning.Statement]
	e.send(t, 200, "GET", "/api/v1/xapi-statements?matched=true", b.token, nil, &matched)
	if len(matched.Items) != 0 {
		t.Errorf("B's statement about A's member matched: %+v", matched.Items)
	}
	var report app.CompletionImport
	e.send(t, 200, "POST", "/api/v1/learning-imports", b.token, obj{"csv": "email,course,status\nmember@alpha.test,urn:lrs-course:a,passed\n",
		"mapping": obj{"email": "email", "program": "course", "status": "status"}}, &report)
	if report.Counts.Unmatched != 1 || len(report.Rows) != 1 || report.Rows[0].UserID != "" || report.Rows[0].ProgramID != "" {
		t.Errorf("B's report on A's member and program: %+v", report)
	}
	if after := e.send(t, 200, "GET", enrollmentPath, a.token, nil, nil).body; after != before {
		t.Errorf("B's learning system changed A's enrollment:\nbefore %s\nafter  %s", before, after)
	}

	return isolationExtra{
		reads:   []string{"/api/v1/xapi-credentials", "/api/v1/xapi-statements?matched=false", enrollmentPath},
		ids:     map[string]string{"xapi-credentials": credA.ID},
		filters: map[string]string{"matched": "false", "verb": verbCompleted, "activity": activity, "agent": "stranger@alpha.test"},
		aIDs:    []string{credA.ID, credA.Key, ids[0], program.ID, enrollment.ID},
	}
}

// TestLRSScenarios drives the administration of the LMS integration: LRS
// credentials (the secret shown once, never listed), the statements the
// Learning Record Store received and what okra made of them, and completion
// report imports with a dry run.
func TestLRSScenarios(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := e.newFixture(t, "Acme", "owner@acme.test", "alpha")
		var program learning.Program
		e.send(t, 201, "POST", "/api/v1/programs", f.token, obj{"title": "Conflict resolution", "kind": "course",
			"external_id": "https://lms.acme.test/courses/cr-101", "pass_mark": 80, "skills": []obj{}}, &program)
		var cred app.NewLRSCredential
		e.send(t, 201, "POST", "/api/v1/xapi-credentials", f.token, obj{"name": "Moodle"}, &cred)
		if !strings.HasPrefix(cred.Key, "okrax_") || len(cred.Secret) < 40 || cred.ID == "" {
			t.Fatalf("credential %+v", cred)
		}
		hash := sha256.Sum256([]byte(cred.Secret))

		// The Learning Record Store beside the API, as okra serves it under /xapi/.
		lrs := httptest.NewServer(xapi.New(e.app, slog.New(slog.DiscardHandler)))
		t.Cleanup(lrs.Close)
		postStatement := func(want int, st json.RawMessage) string {
			t.Helper()
			req, err := http.NewRequest("POST", lrs.URL+"/xapi/statements", strings.NewReader(string(st)))
			if err != nil {
				t.Fatal(err)
			}
			req.SetBasicAuth(cred.Key, cred.Secret)
			req.Header.Set("X-Experience-API-Version", "1.0.3")
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != want {
				t.Fatalf("POST /xapi/statements: status %d, want %d: %s", resp.StatusCode, want, body)
			}
			var ids []string
			if want == 200 {
				decodeJSON(t, string(body), &ids)
				if len(ids) != 1 {
					t.Fatalf("POST /xapi/statements: ids %s", body)
				}
				return ids[0]
			}
			return ""
		}
		unmatched := postStatement(200, xapiStatement("stranger@acme.test", verbCompleted, program.ExternalID))
		matched := postStatement(200, xapiStatement("member@acme.test", verbExperienced, program.ExternalID))

		fill := strings.NewReplacer(
			"{member}", f.memberID,
			"{program}", program.ID,
			"{activity}", url.QueryEscape(program.ExternalID),
			"{verb}", url.QueryEscape(verbCompleted),
			"{cred}", cred.ID,
			"{key}", cred.Key,
			"{secret}", cred.Secret,
			"{hash}", hex.EncodeToString(hash[:]),
			"{unmatched}", unmatched,
			"{matched}", matched,
		)
		tokens := map[string]string{"owner": f.token, "member": f.memberToken, "viewer": f.viewerToken}
		report := `Email,Course ID,Status,Score\nmember@acme.test,https://lms.acme.test/courses/cr-101,passed,90\n`
		mapping := `{"email":"Email","program":"Course ID","status":"Status","score":"Score"}`

		scenarios := []apiScenario{
			// Credentials.
			{name: "a member cannot create a credential", method: "POST", path: "/api/v1/xapi-credentials", token: "member",
				body: `{"name":"Rogue LMS"}`, status: 403, contains: []string{`"type":"urn:okra:problem:forbidden"`}, notContain: []string{`"secret"`}},
			{name: "a credential without a name", method: "POST", path: "/api/v1/xapi-credentials", token: "owner", body: `{"name":"  "}`,
				status: 422, contains: []string{`"field":"name","message":"name the learning system`}},
			{name: "create a credential", method: "POST", path: "/api/v1/xapi-credentials", token: "owner", body: `{"name":"Totara"}`,
				status: 201, contains: []string{`"name":"Totara"`, `"key":"okrax_`, `"secret":"`, `"created_by":"`},
				notContain: []string{"hash", "revoked_at"}},
			{name: "a member cannot list the credentials", method: "GET", path: "/api/v1/xapi-credentials", token: "member", status: 403},
			{name: "a viewer cannot list the credentials", method: "GET", path: "/api/v1/xapi-credentials", token: "viewer", status: 403},
			{name: "credentials without secrets", method: "GET", path: "/api/v1/xapi-credentials", token: "owner", status: 200,
				contains:   []string{`"id":"{cred}"`, `"key":"{key}"`, `"name":"Moodle"`, `"name":"Totara"`, `"last_used_at":"`},
				notContain: []string{"secret", "{secret}", "{hash}", "hash"}},

			// Statements and what okra made of them.
			{name: "a member cannot list the statements", method: "GET", path: "/api/v1/xapi-statements", token: "member", status: 403},
			{name: "unmatched statements", method: "GET", path: "/api/v1/xapi-statements?matched=false", token: "owner", status: 200,
				contains: []string{`"id":"{unmatched}"`, `"matched":false`, `"actor":"stranger@acme.test"`, `"credential_id":"{cred}"`,
					`"outcome":"no active member with e-mail stranger@acme.test"`},
				notContain: []string{"{matched}", `"matched":true`}},
			{name: "matched statements", method: "GET", path: "/api/v1/xapi-statements?matched=true", token: "owner", status: 200,
				contains: []string{`"id":"{matched}"`, `"matched":true`, `"user_id":"{member}"`, `"program_id":"{program}"`,
					`"outcome":"verb experienced is stored but changes nothing"`},
				notContain: []string{"{unmatched}", `"matched":false`}},
			{name: "every statement as stored", method: "GET", path: "/api/v1/xapi-statements", token: "owner", status: 200,
				contains: []string{`"id":"{matched}"`, `"id":"{unmatched}"`, `"version":"1.0.3"`, `"authority":{`}},
			{name: "statements of a verb", method: "GET", path: "/api/v1/xapi-statements?verb={verb}", token: "owner", status: 200,
				contains: []string{`"id":"{unmatched}"`}, notContain: []string{"{matched}"}},
			{name: "statements of an activity", method: "GET", path: "/api/v1/xapi-statements?activity={activity}", token: "owner", status: 200,
				contains: []string{`"id":"{unmatched}"`, `"id":"{matched}"`}},
			{name: "statements of another activity", method: "GET", path: "/api/v1/xapi-statements?activity=urn%3Anothing", token: "owner", status: 200,
				contains: []string{`"items":[]`}},
			{name: "statements of a learner, as mbox and in capitals", method: "GET", path: "/api/v1/xapi-statements?agent=mailto%3AMember%40Acme.test",
				token: "owner", status: 200, contains: []string{`"id":"{matched}"`}, notContain: []string{"{unmatched}"}},
			{name: "matched is true or false", method: "GET", path: "/api/v1/xapi-statements?matched=maybe", token: "owner", status: 422,
				contains: []string{`"field":"matched","message":"expected value to be one of`}},

			// Completion reports; the import itself follows.
			{name: "a member cannot import", method: "POST", path: "/api/v1/learning-imports", token: "member",
				body: `{"csv":"` + report + `","mapping":` + mapping + `}`, status: 403},
			{name: "a member cannot dry-run an import", method: "POST", path: "/api/v1/learning-imports", token: "member",
				body: `{"csv":"` + report + `","mapping":` + mapping + `,"dry_run":true}`, status: 403},
			{name: "a mapping naming a missing column", method: "POST", path: "/api/v1/learning-imports", token: "owner",
				body:   `{"csv":"` + report + `","mapping":{"email":"Email","program":"Course ID","completed":"Completed on"},"dry_run":true}`,
				status: 422, contains: []string{`"field":"csv"`, `no column \"Completed on\" (completed)`,
					`its columns are \"Email\", \"Course ID\", \"Status\", \"Score\"`}},
			{name: "a mapping without the e-mail column", method: "POST", path: "/api/v1/learning-imports", token: "owner",
				body: `{"csv":"` + report + `","mapping":{"program":"Course ID"}}`, status: 422, contains: []string{`"field":"mapping.email"`}},
			{name: "an empty report", method: "POST", path: "/api/v1/learning-imports", token: "owner",
				body: `{"csv":"","mapping":` + mapping + `}`, status: 422, contains: []string{`csv`}},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, e, fill, tokens) })
		}

		t.Run("a dry run changes nothing, an import does", func(t *testing.T) {
			enrollments := func() string {
				t.Helper()
				return e.send(t, 200, "GET", "/api/v1/enrollments?user_id="+f.memberID, f.token, nil, nil).body
			}
			csv := "Email;Course ID;Status;Score\n" +
				"member@acme.test;https://lms.acme.test/courses/cr-101;passed;90\n" +
				"nobody@acme.test;https://lms.acme.test/courses/cr-101;passed;75\n"
			body := obj{"csv": csv, "mapping": json.RawMessage(mapping), "dry_run": true}
			before := enrollments()
			var dry app.CompletionImport
			e.send(t, 200, "POST", "/api/v1/learning-imports", f.token, body, &dry)
			want := app.CompletionCounts{Rows: 2, Created: 1, Unmatched: 1}
			if !dry.DryRun || dry.Counts != want || len(dry.Rows) != 2 || len(dry.Errors) != 0 {
				t.Fatalf("dry run %+v, want counts %+v", dry, want)
			}
			if r := dry.Rows[0]; r.Line != 2 || r.Action != app.ImportCreateAndComplete || r.UserID != f.memberID ||
				r.ProgramID != program.ID || r.EnrollmentID != "" || !strings.Contains(r.Reason, "completed and passed") {
				t.Errorf("dry run's first row %+v", r)
			}
			if r := dry.Rows[1]; r.Line != 3 || r.Action != app.ImportUnmatched || r.Reason != "no active member with e-mail nobody@acme.test" {
				t.Errorf("dry run's second row %+v", r)
			}
			if after := enrollments(); after != before {
				t.Fatalf("a dry run changed the enrollments:\nbefore %s\nafter  %s", before, after)
			}

			body["dry_run"] = false
			var done app.CompletionImport
			e.send(t, 200, "POST", "/api/v1/learning-imports", f.token, body, &done)
			if done.DryRun || done.Counts != want || len(done.Rows) != 2 || done.Rows[0].Action != app.ImportCreateAndComplete ||
				done.Rows[0].EnrollmentID == "" {
				t.Fatalf("import %+v, want counts %+v", done, want)
			}
			var page app.Page[learning.Enrollment]
			decodeJSON(t, enrollments(), &page)
			if len(page.Items) != 1 {
				t.Fatalf("enrollments after the import: %+v", page.Items)
			}
			if en := page.Items[0]; en.ID != done.Rows[0].EnrollmentID || en.ProgramID != program.ID || en.Status != learning.Completed ||
				en.Passed == nil || !*en.Passed || en.Score == nil || *en.Score != 90 {
				t.Errorf("imported enrollment %+v", en)
			}

			// The same report again changes nothing.
			var again app.CompletionImport
			e.send(t, 200, "POST", "/api/v1/learning-imports", f.token, body, &again)
			if want := (app.CompletionCounts{Rows: 2, Unchanged: 1, Unmatched: 1}); again.Counts != want {
				t.Errorf("the same report again: counts %+v, want %+v", again.Counts, want)
			}
		})

		// Revocation last: the learning system is refused from then on.
		last := []apiScenario{
			{name: "a member cannot revoke a credential", method: "DELETE", path: "/api/v1/xapi-credentials/{cred}", token: "member", status: 403},
			{name: "revoke an unknown credential", method: "DELETE", path: "/api/v1/xapi-credentials/nope", token: "owner", status: 404},
			{name: "revoke the credential", method: "DELETE", path: "/api/v1/xapi-credentials/{cred}", token: "owner", status: 204},
			{name: "revoking it again changes nothing", method: "DELETE", path: "/api/v1/xapi-credentials/{cred}", token: "owner", status: 204},
			{name: "a revoked credential is listed", method: "GET", path: "/api/v1/xapi-credentials", token: "owner", status: 200,
				contains: []string{`"id":"{cred}"`, `"revoked_at":"`}, notContain: []string{"{secret}", "{hash}"}},
		}
		for _, sc := range last {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, e, fill, tokens) })
		}
		postStatement(401, xapiStatement("member@acme.test", verbCompleted, program.ExternalID))
	})
}
