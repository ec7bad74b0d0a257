package httpapi_test

import (
	"context"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/apiclient"
)

// TestTenantIsolation drives every documented route that takes an id with
// organization B's owner token (every scope, admin role) on organization A's
// ids, then checks that A's objects are unchanged. The routes come from the
// OpenAPI document, so a new route cannot escape: it fails here until the
// test knows an id (and, for a body, a valid body) for it.
func TestTenantIsolation(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		const marker = "alpha-secret"
		a := e.newFixture(t, "Alpha", "owner@alpha.test", marker)
		b := e.newFixture(t, "Beta", "owner@beta.test", "beta")
		// The other areas' objects and how to try their routes.
		extra := mergeIsolation(learningIsolation(t, e, a, b, marker), lrsIsolation(t, e, a, b, marker), webhookIsolation(t, e, a, b, marker), kpiIsolation(t, e, a, b, marker),
			reviewIsolation(t, e, a, b, marker), rhythmIsolation(t, e, a, b, marker), recognitionIsolation(t, e, a, b, marker),
			exportIsolation(t, e, a, b, marker))
		doc, _ := e.openAPI(t)

		// A's objects, read by A, before and after B's attempts.
		reads := []string{
			"/api/v1/users/" + a.memberID,
			"/api/v1/teams/" + a.team.ID,
			"/api/v1/periods/" + a.period.ID,
			"/api/v1/objectives/" + a.objective.ID,
			"/api/v1/key-results/" + a.keyResult.ID,
			"/api/v1/key-results/" + a.keyResult.ID + "/check-ins",
			"/api/v1/check-ins/" + a.checkIn.ID,
			"/api/v1/initiatives/" + a.initiative.ID,
			"/api/v1/comments/" + a.comment.ID,
			"/api/v1/alignment?period_id=" + a.period.ID,
		}
		reads = append(reads, extra.reads...)
		snapshot := func() map[string]string {
			out := map[string]string{}
			for _, p := range reads {
				ans := e.call(t, "GET", p, a.token, "", nil)
				if ans.status != 200 {
					t.Fatalf("A reads %s: %d %s", p, ans.status, ans.body)
				}
				out[p] = ans.body
			}
			return out
		}
		before := snapshot()

		// The id of A's object for each collection a path can name, with its version for If-Match.
		ids := map[string]string{
			"users": a.memberID, "tokens": a.extraTokenID, "teams": a.team.ID, "periods": a.period.ID,
			"objectives": a.objective.ID, "key-results": a.keyResult.ID, "check-ins": a.checkIn.ID,
			"initiatives": a.initiative.ID, "comments": a.comment.ID,
		}
		versions := map[string]int{
			"teams": a.team.Version, "periods": a.period.Version, "objectives": a.objective.Version,
			"key-results": a.keyResult.Version, "initiatives": a.initiative.Version,
		}
		maps.Copy(ids, extra.ids)
		maps.Copy(versions, extra.versions)
		// Valid bodies, so that only the tenant check can stop them.
		bodies := map[string]string{
			"updateUser":       `{"role":"viewer","active":false}`,
			"updateTeam":       `{"name":"Hijacked","member_ids":[]}`,
			"updatePeriod":     `{"name":"Hijacked"}`,
			"updateObjective":  `{"title":"Hijacked","visibility":"public"}`,
			"checkInObjective": `{"entries":[{"key_result_id":"` + a.keyResult.ID + `","confidence":0.1,"value":99}],"status":"off_track"}`,
			"updateKeyResult":  `{"title":"Hijacked","target":1000}`,
			"checkIn":          `{"value":99,"confidence":0.1,"status":"off_track"}`,
			"updateInitiative": `{"title":"Hijacked","status":"cancelled"}`,
		}
		maps.Copy(bodies, extra.bodies)

		tried := 0
		for _, r := range doc.routes() {
			if !strings.Contains(r.path, "{id}") {
				continue
			}
			collection := strings.Split(strings.TrimPrefix(r.path, "/api/v1/"), "/")[0]
			id, ok := ids[collection]
			if !ok {
				t.Errorf("%s %s takes an id, but the isolation test has no id of organization A for %q", r.method, r.path, collection)
				continue
			}
			body := ""
			if r.op.RequestBody != nil {
				if body, ok = bodies[r.op.OperationID]; !ok {
					t.Errorf("%s %s (%s) takes a body, but the isolation test has none for it", r.method, r.path, r.op.OperationID)
					continue
				}
			}
			var h map[string]string
			if v, ok := versions[collection]; ok && r.method == "PATCH" {
				h = map[string]string{"If-Match": strconv.Quote(strconv.Itoa(v))}
			}
			ans := e.call(t, r.method, strings.ReplaceAll(r.path, "{id}", id), b.token, body, h)
			tried++
			if ans.status != 404 {
				t.Errorf("B: %s %s on A's %s answers %d, want 404: %s", r.method, r.path, collection, ans.status, ans.body)
				continue
			}
			if p := ans.problem(t); p.Type != "urn:okra:problem:not_found" {
				t.Errorf("B: %s %s answers %s, want not_found", r.method, r.path, p.Type)
			}
			if strings.Contains(ans.body, marker) {
				t.Errorf("B: %s %s shows A's data: %s", r.method, r.path, ans.body)
			}
		}
		if tried < 25 {
			t.Errorf("only %d routes with an id were tried", tried)
		}

		// Lists filtered by A's ids show B nothing of A; a filter that names
		// something to read (a period's tree, a subject's comments) is a 404.
		filters := map[string]string{
			"period_id": a.period.ID, "objective_id": a.objective.ID, "key_result_id": a.keyResult.ID,
			"owner_id": a.owner.ID, "subject_id": a.objective.ID, "subject_type": "objective", "owner_type": "user",
			"team_id": a.team.ID,
		}
		maps.Copy(filters, extra.filters)
		aIDs := []string{a.owner.ID, a.memberID, a.team.ID, a.period.ID, a.objective.ID, a.keyResult.ID, a.checkIn.ID, a.initiative.ID, a.comment.ID}
		aIDs = append(aIDs, extra.aIDs...)
		for _, r := range doc.routes() {
			if r.method != "GET" || strings.Contains(r.path, "{id}") {
				continue
			}
			q := url.Values{}
			for _, p := range r.op.Parameters {
				if p.In != "query" || p.Name == "limit" || p.Name == "cursor" {
					continue
				}
				v, ok := filters[p.Name]
				if !ok {
					t.Errorf("GET %s takes ?%s, but the isolation test has no value of A for it", r.path, p.Name)
					continue
				}
				q.Set(p.Name, v)
			}
			ans := e.call(t, "GET", r.path+"?"+q.Encode(), b.token, "", nil)
			switch ans.status {
			case 200:
				for _, id := range aIDs {
					if strings.Contains(ans.body, id) {
						t.Errorf("B: GET %s?%s lists A's %s: %s", r.path, q.Encode(), id, ans.body)
					}
				}
			case 404:
			case 422:
				if !extra.refusingLists[r.path] {
					t.Errorf("B: GET %s?%s answers %d: %s", r.path, q.Encode(), ans.status, ans.body)
				}
			default:
				t.Errorf("B: GET %s?%s answers %d: %s", r.path, q.Encode(), ans.status, ans.body)
			}
			if strings.Contains(ans.body, marker) {
				t.Errorf("B: GET %s shows A's data: %s", r.path, ans.body)
			}
		}

		// Creations that name A's objects are refused as unknown ids.
		refs := []struct{ path, body string }{
			{"/api/v1/objectives", `{"period_id":"` + a.period.ID + `","title":"Steal","owner":{"type":"org"}}`},
			{"/api/v1/objectives", `{"period_id":"` + b.period.ID + `","title":"Steal","owner":{"type":"org"},"alignments":[{"parent_type":"objective","parent_id":"` + a.objective.ID + `"}]}`},
			{"/api/v1/objectives", `{"period_id":"` + b.period.ID + `","title":"Steal","owner":{"type":"org"},"alignments":[{"parent_type":"key_result","parent_id":"` + a.keyResult.ID + `"}]}`},
			{"/api/v1/objectives", `{"period_id":"` + b.period.ID + `","title":"Steal","owner":{"type":"team","id":"` + a.team.ID + `"}}`},
			{"/api/v1/key-results", `{"objective_id":"` + a.objective.ID + `","title":"Steal","kind":"boolean"}`},
			{"/api/v1/key-results", `{"objective_id":"` + b.objective.ID + `","title":"Steal","kind":"boolean","owner_id":"` + a.memberID + `"}`},
			{"/api/v1/initiatives", `{"title":"Steal","key_result_ids":["` + a.keyResult.ID + `"]}`},
			{"/api/v1/initiatives", `{"title":"Steal","owner_id":"` + a.memberID + `"}`},
			{"/api/v1/comments", `{"subject_type":"objective","subject_id":"` + a.objective.ID + `","body":"hi"}`},
			{"/api/v1/comments", `{"subject_type":"check_in","subject_id":"` + a.checkIn.ID + `","body":"hi"}`},
			{"/api/v1/comments", `{"subject_type":"initiative","subject_id":"` + a.initiative.ID + `","body":"hi"}`},
			{"/api/v1/teams", `{"name":"Steal","parent_id":"` + a.team.ID + `"}`},
			{"/api/v1/teams", `{"name":"Steal 2","member_ids":["` + a.memberID + `"]}`},
			{"/api/v1/periods", `{"name":"Steal","kind":"custom","start_date":"2027-01-01","end_date":"2027-02-01","parent_id":"` + a.period.ID + `"}`},
			{"/api/v1/tokens", `{"user_id":"` + a.memberID + `","name":"steal","scopes":["read"]}`},
		}
		refs = append(refs, extra.refs...)
		for _, ref := range refs {
			ans := e.call(t, "POST", ref.path, b.token, ref.body, nil)
			if ans.status != 422 && ans.status != 404 {
				t.Errorf("B: POST %s %s answers %d, want 422 or 404: %s", ref.path, ref.body, ans.status, ans.body)
			}
			if strings.Contains(ans.body, marker) {
				t.Errorf("B: POST %s shows A's data: %s", ref.path, ans.body)
			}
		}

		// A's objects are exactly as they were, and A's tokens still work.
		after := snapshot()
		for _, p := range reads {
			if before[p] != after[p] {
				t.Errorf("A's %s changed:\nbefore %s\nafter  %s", p, before[p], after[p])
			}
		}
		ctx := context.Background()
		if _, err := apiclient.New(e.url, a.memberToken, nil).Me(ctx); err != nil {
			t.Errorf("A's member token: %v", err)
		}
		var tokens struct {
			Items []struct {
				ID        string  `json:"id"`
				RevokedAt *string `json:"revoked_at"`
			} `json:"items"`
		}
		decodeJSON(t, e.call(t, "GET", "/api/v1/tokens", a.token, "", nil).body, &tokens)
		found := false
		for _, tk := range tokens.Items {
			if tk.ID == a.extraTokenID {
				found = true
				if tk.RevokedAt != nil {
					t.Errorf("B revoked A's token")
				}
			}
		}
		if !found {
			t.Errorf("A's spare token is gone")
		}
	})
}
