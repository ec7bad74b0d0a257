package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okrahq/okra/internal/apiclient"
	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okrfile"
)

// OKRs as code over the API: apply a YAML or JSON document (a dry run
// first), apply it again to no change, export the period back (JSON, or
// YAML on request) and apply the export to no change; errors name their
// path; roles and organizations are kept apart.
func TestOKRsAsCode(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a := e.newFixture(t, "Alpha", "owner@alpha.test", "alpha-secret")
		b := e.newFixture(t, "Beta", "owner@beta.test", "beta")
		yamlDoc := `okra: 1
period: 2027 alpha-secret
objectives:
  - slug: delight-customers-alpha-secret
    title: Delight customers alpha-secret
    key_results:
      - slug: nps-alpha-secret
        title: NPS alpha-secret
        target: 60
  - slug: faster-support
    title: Customers get answers while they still care
    owner: team:team-alpha-secret
    aligns_to:
      - key_result: delight-customers-alpha-secret/nps-alpha-secret
    key_results:
      - slug: first-response
        title: Cut the first response from 8 hours to 2
        owner: member@alpha.test
        kind: decrease
        unit: custom
        unit_label: hours
        baseline: 8
        target: 2
initiatives:
  - slug: chat-widget
    title: Chat on the help pages
    key_results: [faster-support/first-response]
`
		yamlHeader := map[string]string{"Content-Type": "application/yaml"}
		objectives := func() int {
			page := must(a.client.ListObjectives(ctx, apiclient.ObjectiveFilter{PeriodID: a.period.ID}))(t)
			return len(page.Items)
		}

		// A dry run plans and changes nothing.
		ans := e.call(t, "POST", "/api/v1/okrs/apply?dry_run=true", a.token, yamlDoc, yamlHeader)
		var plan app.ApplyPlan
		decodeJSON(t, ans.body, &plan)
		want := app.ApplyPlan{Period: "2027 alpha-secret", DryRun: true, Create: 3, Update: 1, Unchanged: 1, Changes: []app.PlannedChange{
			{Action: "update", Kind: "key_result", Ref: "delight-customers-alpha-secret/nps-alpha-secret", Title: "NPS alpha-secret",
				Fields: []string{"target"}, Path: "objectives[0].key_results[0]"},
			{Action: "create", Kind: "objective", Ref: "faster-support", Title: "Customers get answers while they still care", Path: "objectives[1]"},
			{Action: "create", Kind: "key_result", Ref: "faster-support/first-response", Title: "Cut the first response from 8 hours to 2", Path: "objectives[1].key_results[0]"},
			{Action: "create", Kind: "initiative", Ref: "chat-widget", Title: "Chat on the help pages", Path: "initiatives[0]"},
		}}
		if ans.status != 200 {
			t.Fatalf("dry run: %d %s", ans.status, ans.body)
		}
		if d := cmp.Diff(want, plan); d != "" {
			t.Fatalf("dry run plan (-want +got):\n%s", d)
		}
		if n := objectives(); n != 1 {
			t.Fatalf("a dry run made objectives: %d", n)
		}

		// Applied for real (YAML), then again as JSON through the client: no change.
		ans = e.call(t, "POST", "/api/v1/okrs/apply", a.token, yamlDoc, yamlHeader)
		decodeJSON(t, ans.body, &plan)
		if ans.status != 200 || plan.DryRun || plan.Create != 3 || objectives() != 2 {
			t.Fatalf("apply: %d %s", ans.status, ans.body)
		}
		doc, err := okrfile.Decode([]byte(yamlDoc), "okrs.yaml")
		if err != nil {
			t.Fatal(err)
		}
		plan = must(a.client.ApplyDocument(ctx, doc, app.ApplyOptions{}))(t)
		if len(plan.Changes) != 0 || plan.Unchanged != 5 {
			t.Fatalf("second apply: %+v", plan)
		}

		// Export: JSON for the client, YAML on request; either applies back to no change.
		exported := must(a.client.ExportDocument(ctx, a.period.ID))(t)
		if len(exported.Objectives) != 2 || exported.Objectives[1].Owner != "team:team-alpha-secret" ||
			exported.Objectives[1].KeyResults[0].Owner != "member@alpha.test" || exported.Initiatives[1].Slug != "chat-widget" {
			t.Fatalf("export: %+v", exported)
		}
		ans = e.call(t, "GET", "/api/v1/okrs/export?period_id="+a.period.ID, a.token, "", map[string]string{"Accept": "application/yaml"})
		if ans.status != 200 || ans.header.Get("Content-Type") != "application/yaml; charset=utf-8" || !strings.HasPrefix(ans.body, "okra: 1\nperiod: 2027 alpha-secret\n") {
			t.Fatalf("YAML export: %d %s %s", ans.status, ans.header.Get("Content-Type"), ans.body)
		}
		fromYAML, err := okrfile.Decode([]byte(ans.body), "export.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(exported, fromYAML); d != "" {
			t.Fatalf("YAML and JSON exports differ:\n%s", d)
		}
		ans = e.call(t, "POST", "/api/v1/okrs/apply?prune=true", a.token, ans.body, map[string]string{"Content-Type": "text/yaml"})
		decodeJSON(t, ans.body, &plan)
		if ans.status != 200 || len(plan.Changes) != 0 || plan.Unchanged != 6 {
			t.Fatalf("export → apply: %d %s", ans.status, ans.body)
		}
		raw, _ := json.Marshal(exported)
		ans = e.call(t, "POST", "/api/v1/okrs/apply", a.token, string(raw), nil)
		if ans.status != 200 || !strings.Contains(ans.body, `"changes":[]`) {
			t.Fatalf("JSON export → apply: %d %s", ans.status, ans.body)
		}

		// Problems name their path (and, in a file, their line).
		bad := strings.Replace(yamlDoc, "    title: Customers get", "    titel: Customers get", 1)
		ans = e.call(t, "POST", "/api/v1/okrs/apply", a.token, bad, yamlHeader)
		if p := ans.problem(t); ans.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "objectives[1].titel" ||
			p.Errors[0].Message != "line 11: is not a field of the format here; did you mean title?" {
			t.Fatalf("unknown field: %d %s", ans.status, ans.body)
		}
		bad = strings.Replace(yamlDoc, "owner: member@alpha.test", "owner: nobody@alpha.test", 1)
		ans = e.call(t, "POST", "/api/v1/okrs/apply", a.token, bad, yamlHeader)
		if p := ans.problem(t); ans.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "objectives[1].key_results[0].owner" {
			t.Fatalf("unknown owner: %d %s", ans.status, ans.body)
		}

		// Roles: a viewer may not apply; a member may not set an organization objective.
		ans = e.call(t, "POST", "/api/v1/okrs/apply?dry_run=true", a.viewerToken, yamlDoc, yamlHeader)
		if ans.status != 403 {
			t.Fatalf("viewer: %d %s", ans.status, ans.body)
		}
		orgObjective := strings.Replace(strings.Replace(yamlDoc, "faster-support", "member-goal", -1), "owner: team:team-alpha-secret", "owner: org", 1)
		ans = e.call(t, "POST", "/api/v1/okrs/apply?dry_run=true", a.memberToken, orgObjective, yamlHeader)
		if p := ans.problem(t); ans.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "objectives[1].owner" {
			t.Fatalf("member: %d %s", ans.status, ans.body)
		}

		// Another organization sees nothing of A's: A's period is no period of B's.
		ans = e.call(t, "GET", "/api/v1/okrs/export?period_id="+a.period.ID, b.token, "", nil)
		if ans.status != 404 || strings.Contains(ans.body, "alpha-secret") {
			t.Fatalf("B exports A's period: %d %s", ans.status, ans.body)
		}
		ans = e.call(t, "POST", "/api/v1/okrs/apply?dry_run=true", b.token, yamlDoc, yamlHeader)
		if p := ans.problem(t); ans.status != 422 || !hasField(p, "period") || strings.Contains(ans.body, "delight") {
			t.Fatalf("B applies to A's period: %d %s", ans.status, ans.body)
		}
		ans = e.call(t, "GET", "/api/v1/okrs/export", a.token, "", nil)
		if ans.status != 422 {
			t.Fatalf("export without a period: %d %s", ans.status, ans.body)
		}
		if _, err := a.client.PeriodByName(ctx, "1999"); err == nil || !strings.Contains(err.Error(), "2027 alpha-secret") {
			t.Fatalf("PeriodByName: %v", err)
		}
		if p := must(a.client.PeriodByName(ctx, "2027 alpha-secret"))(t); p.ID != a.period.ID {
			t.Fatalf("PeriodByName: %+v", p)
		}
	})
}

func hasField(p apiclient.Problem, field string) bool {
	for _, f := range p.Errors {
		if f.Field == field {
			return true
		}
	}
	return false
}
