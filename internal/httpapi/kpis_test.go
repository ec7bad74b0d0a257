package httpapi_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/apiclient"
	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// kpiFixture is a KPI of a fixture's organization with a record, named by
// the objective and followed by a key result.
type kpiFixture struct {
	kpi okr.KPI
	kr  okr.KeyResult
}

func (e *env) newKPIFixture(tb testing.TB, f *fixture, marker string) kpiFixture {
	tb.Helper()
	ctx := context.Background()
	c := f.client
	var k kpiFixture
	k.kpi = must(c.CreateKPI(ctx, app.KPIInput{Name: "Churn " + marker, Description: "Monthly churn " + marker, Unit: okr.UnitPercent,
		Direction: okr.LowerIsBetter, Green: ptr(2.0), Red: ptr(4.0), Frequency: okr.Monthly, OwnerID: f.memberID}))(tb)
	must(c.RecordKPIValues(ctx, k.kpi.ID, app.KPIRecordInput{Date: "2026-01-31", Value: ptr(4.5), Note: "January " + marker}))(tb)
	ids := []string{k.kpi.ID}
	must(c.UpdateObjective(ctx, f.objective.ID, f.objective.Version, app.ObjectiveUpdate{KPIIDs: &ids}))(tb)
	k.kr = must(c.CreateKeyResult(ctx, app.KeyResultInput{ObjectiveID: f.objective.ID, Title: "Churn down " + marker,
		Kind: okr.Decrease, Target: ptr(2.0), Source: okr.SourceKPI, Measure: []byte(`{"kpi_id":"` + k.kpi.ID + `"}`)}))(tb)
	k.kpi = must(c.GetKPI(ctx, k.kpi.ID))(tb)
	return k
}

// kpiIsolation is the KPI area's part of the tenant isolation test.
func kpiIsolation(t *testing.T, e *env, a, b *fixture, marker string) isolationExtra {
	t.Helper()
	ka := e.newKPIFixture(t, a, marker)
	e.newKPIFixture(t, b, "beta") // B has KPIs of its own: its lists are not empty
	return isolationExtra{
		reads:    []string{"/api/v1/kpis/" + ka.kpi.ID, "/api/v1/kpis/" + ka.kpi.ID + "/records"},
		ids:      map[string]string{"kpis": ka.kpi.ID},
		versions: map[string]int{"kpis": ka.kpi.Version},
		bodies: map[string]string{
			"updateKPI":        `{"name":"Hijacked","green":1}`,
			"recordKPIValues":  `{"date":"2026-02-28","value":99}`,
			"importKPIRecords": `{"csv":"date,value\n2026-02-28,99\n"}`,
		},
		filters: map[string]string{"from": "2026-01-01", "to": "2026-12-31"},
		aIDs:    []string{ka.kpi.ID},
		refs: []struct{ path, body string }{
			{"/api/v1/key-results", `{"objective_id":"` + b.objective.ID + `","title":"Steal","kind":"decrease","baseline":5,"target":2,"source":"kpi","measure":{"kpi_id":"` + ka.kpi.ID + `"}}`},
			{"/api/v1/objectives", `{"period_id":"` + b.period.ID + `","title":"Steal","owner":{"type":"org"},"kpi_ids":["` + ka.kpi.ID + `"]}`},
			{"/api/v1/kpis", `{"name":"Steal","direction":"increase","green":2,"red":1,"owner_id":"` + a.memberID + `"}`},
		},
	}
}

// TestKPIScenarios drives the KPI routes one request at a time: roles,
// per-field validation, If-Match, records from a script's token, CSV import
// and the shapes of the answers.
func TestKPIScenarios(t *testing.T) {
	e := newEnv(t)
	f := e.newFixture(t, "Acme", "owner@acme.test", "alpha")
	k := e.newKPIFixture(t, f, "alpha")
	fill := strings.NewReplacer(
		"{kpi}", k.kpi.ID,
		"{kpi_version}", strconv.Itoa(k.kpi.Version),
		"{kr}", k.kr.ID,
		"{member}", f.memberID,
		"{objective}", f.objective.ID,
		"{period}", f.period.ID,
	)
	tokens := map[string]string{"owner": f.token, "member": f.memberToken, "viewer": f.viewerToken}
	scenarios := []apiScenario{
		{name: "list", method: "GET", path: "/api/v1/kpis", token: "viewer", status: 200,
			contains: []string{`"name":"Churn alpha"`, `"direction":"decrease"`, `"latest":{`, `"value":4.5`, `"objective_ids":["{objective}"]`,
				`"key_result_ids":["{kr}"]`, `"next_cursor":""`}},
		{name: "list filtered by text", method: "GET", path: "/api/v1/kpis?q=nothing-like-it", token: "viewer", status: 200,
			contains: []string{`"items":[]`}},
		{name: "get", method: "GET", path: "/api/v1/kpis/{kpi}", token: "member", status: 200,
			contains: []string{`"id":"{kpi}"`, `"unit":"percent"`, `"green":2`, `"red":4`, `"frequency":"monthly"`, `"owner_id":"{member}"`},
			header:   map[string]string{"ETag": `"{kpi_version}"`}},
		{name: "member cannot create", method: "POST", path: "/api/v1/kpis", token: "member",
			body: `{"name":"NPS","direction":"increase","green":40,"red":20}`, status: 403},
		{name: "thresholds against the direction", method: "POST", path: "/api/v1/kpis", token: "owner",
			body: `{"name":"NPS","direction":"increase","green":20,"red":40}`, status: 422,
			contains: []string{`"field":"green"`, `must be above the red one`}},
		{name: "unknown frequency", method: "POST", path: "/api/v1/kpis", token: "owner",
			body: `{"name":"NPS","direction":"increase","green":40,"red":20,"frequency":"hourly"}`, status: 422, contains: []string{`frequency`}},
		{name: "taken name", method: "POST", path: "/api/v1/kpis", token: "owner",
			body: `{"name":"Churn alpha","direction":"increase","green":40,"red":20}`, status: 422, contains: []string{`"field":"name"`, `already called`}},
		{name: "create", method: "POST", path: "/api/v1/kpis", token: "owner",
			body:   `{"name":"Revenue","unit":"currency","currency":"eur","direction":"increase","green":120000,"red":90000}`,
			status: 201, contains: []string{`"currency":"EUR"`, `"status":"no_data"`, `"frequency":"weekly"`, `"latest":null`},
			header: map[string]string{"Location": "*", "ETag": `"1"`}},
		{name: "update without If-Match", method: "PATCH", path: "/api/v1/kpis/{kpi}", token: "member", body: `{"description":"x"}`, status: 428},
		{name: "viewer cannot update", method: "PATCH", path: "/api/v1/kpis/{kpi}", token: "viewer", body: `{"description":"x"}`,
			headers: map[string]string{"If-Match": `"{kpi_version}"`}, status: 403},
		{name: "the owner updates", method: "PATCH", path: "/api/v1/kpis/{kpi}", token: "member", body: `{"description":"Logos lost per month"}`,
			headers: map[string]string{"If-Match": `"{kpi_version}"`}, status: 200, contains: []string{`"description":"Logos lost per month"`}},
		{name: "stale update", method: "PATCH", path: "/api/v1/kpis/{kpi}", token: "owner", body: `{"description":"y"}`,
			headers: map[string]string{"If-Match": `"{kpi_version}"`}, status: 412},

		// Records.
		{name: "viewer cannot record", method: "POST", path: "/api/v1/kpis/{kpi}/records", token: "viewer",
			body: `{"date":"2026-02-28","value":3.9}`, status: 403},
		{name: "one record from a script", method: "POST", path: "/api/v1/kpis/{kpi}/records", token: "member",
			body: `{"date":"2026-02-28","value":3.9,"note":"from the billing export"}`, status: 201,
			contains: []string{`"created":1`, `"replaced":0`, `"source":"api"`, `"key_results_checked_in":1`, `"latest":{"id":`}},
		{name: "a record without a value", method: "POST", path: "/api/v1/kpis/{kpi}/records", token: "member",
			body: `{"date":"2026-03-31"}`, status: 422, contains: []string{`{"field":"value","message":"is required"}`}},
		{name: "a batch", method: "POST", path: "/api/v1/kpis/{kpi}/records", token: "member",
			body:   `{"records":[{"date":"2026-02-28","value":3.7},{"date":"2026-03-31","value":3.1}]}`,
			status: 201, contains: []string{`"created":1`, `"replaced":1`, `"value":3.1`}},
		{name: "a batch with a future date", method: "POST", path: "/api/v1/kpis/{kpi}/records", token: "member",
			body: `{"records":[{"date":"2026-04-30","value":3},{"date":"2999-01-31","value":2}]}`, status: 422,
			contains: []string{`"field":"records[1].date"`, `in the future`}},
		{name: "history newest first", method: "GET", path: "/api/v1/kpis/{kpi}/records?limit=2", token: "viewer", status: 200,
			contains: []string{`"date":"2026-03-31"`, `"date":"2026-02-28"`, `"next_cursor":"`}, notContain: []string{`"date":"2026-01-31"`}},
		{name: "history by dates", method: "GET", path: "/api/v1/kpis/{kpi}/records?from=2026-01-01&to=2026-01-31", token: "viewer", status: 200,
			contains: []string{`"date":"2026-01-31"`}, notContain: []string{`"date":"2026-02-28"`}},
		{name: "history with a bad date", method: "GET", path: "/api/v1/kpis/{kpi}/records?from=January", token: "viewer", status: 422,
			contains: []string{`"field":"from"`}},

		// CSV import.
		{name: "import with bad lines", method: "POST", path: "/api/v1/kpis/{kpi}/records/import", token: "member",
			body: `{"csv":"date,value\n2026-04-30,2.9\n2026-05-31,two\n"}`, status: 422,
			contains: []string{`line 3: the value \"two\" is not a number`}},
		{name: "import dry run", method: "POST", path: "/api/v1/kpis/{kpi}/records/import", token: "member",
			body: `{"csv":"date,value,note\n2026-03-31,3.2,fixed\n2026-04-30,2.9,\n","dry_run":true}`, status: 200,
			contains: []string{`"dry_run":true`, `"action":"replace"`, `"action":"create"`, `"line":2`, `"created":1`, `"replaced":1`}},
		{name: "history unchanged by the dry run", method: "GET", path: "/api/v1/kpis/{kpi}/records?from=2026-04-01", token: "viewer", status: 200,
			contains: []string{`"items":[]`}},
		{name: "import", method: "POST", path: "/api/v1/kpis/{kpi}/records/import", token: "member",
			body: `{"csv":"date,value,note\n2026-03-31,3.2,fixed\n2026-04-30,2.9,\n"}`, status: 200,
			contains: []string{`"dry_run":false`, `"key_results_checked_in":1`}},

		// Key results and objectives.
		{name: "a manual value on a kpi key result", method: "POST", path: "/api/v1/key-results/{kr}/check-ins", token: "owner",
			body: `{"value":1,"confidence":0.7,"status":"on_track"}`, status: 422, contains: []string{`"field":"value"`, `KPI`}},
		{name: "the key result follows the latest value", method: "GET", path: "/api/v1/key-results/{kr}", token: "viewer", status: 200,
			contains: []string{`"source":"kpi"`, `"current":2.9`, `"measure":{"kpi_id":"{kpi}"}`}},
		{name: "its automatic check-ins", method: "GET", path: "/api/v1/key-results/{kr}/check-ins", token: "viewer", status: 200,
			contains: []string{`"source":"kpi"`, `From the KPI “Churn alpha”: 2.9 on 2026-04-30`}},
		{name: "objective names its KPIs", method: "GET", path: "/api/v1/objectives/{objective}", token: "viewer", status: 200,
			contains: []string{`"kpi_ids":["{kpi}"]`}},
		{name: "objective with an unknown KPI", method: "POST", path: "/api/v1/objectives", token: "owner",
			body:   `{"period_id":"{period}","title":"Keep our customers","owner":{"type":"org"},"kpi_ids":["nope"]}`,
			status: 422, contains: []string{`"field":"kpi_ids[0]"`}},
		{name: "objective created with KPIs", method: "POST", path: "/api/v1/objectives", token: "owner",
			body:   `{"period_id":"{period}","title":"Keep our customers","owner":{"type":"org"},"kpi_ids":["{kpi}"]}`,
			status: 201, contains: []string{`"kpi_ids":["{kpi}"]`}},
		{name: "a followed KPI is not deleted", method: "DELETE", path: "/api/v1/kpis/{kpi}", token: "owner", status: 409,
			contains: []string{`1 key result follow`}},
		{name: "member cannot delete", method: "DELETE", path: "/api/v1/kpis/{kpi}", token: "member", status: 403},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, e, fill, tokens) })
	}
}

// TestKPIKeyResultThroughAPI: on both engines, a script's records move a
// key result by themselves, roll up its objective, and the client sees it.
func TestKPIKeyResultThroughAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		f := e.newFixture(t, "Acme", "owner@acme.test", "alpha")
		k := e.newKPIFixture(t, f, "alpha")
		if k.kr.Baseline != 4.5 || k.kr.Current != 4.5 || k.kr.Unit != okr.UnitPercent {
			t.Errorf("new key result: baseline %g current %g unit %s", k.kr.Baseline, k.kr.Current, k.kr.Unit)
		}
		script := apiclient.New(e.url, f.memberToken, nil)
		res, err := script.RecordKPIValues(ctx, k.kpi.ID, app.KPIRecordInput{Date: "2026-02-28", Value: ptr(3.25)})
		if err != nil {
			t.Fatal(err)
		}
		if res.KeyResults != 1 || res.KPI.Latest == nil || res.KPI.Latest.Value != 3.25 || len(res.Records) != 1 || res.Records[0].Source != okr.SourceAPI {
			t.Errorf("record: %+v", res)
		}
		kr, err := f.client.GetKeyResult(ctx, k.kr.ID)
		if err != nil {
			t.Fatal(err)
		}
		// (4.5 − 3.25) / (4.5 − 2) = 0.5; the objective's other key result is at (20 − 10) / 40 = 0.25.
		if kr.Current != 3.25 || kr.Progress != 0.5 || kr.LastCheckIn == nil {
			t.Errorf("key result: current %g progress %g", kr.Current, kr.Progress)
		}
		o, err := f.client.GetObjective(ctx, f.objective.ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.Progress != 0.375 || len(o.KPIIDs) != 1 {
			t.Errorf("objective: progress %g kpi_ids %v, want 0.375 and the KPI", o.Progress, o.KPIIDs)
		}
		imp, err := script.ImportKPIRecords(ctx, k.kpi.ID, "date,value\n2026-03-31,2.5\n2026-04-30,1.9\n", false)
		if err != nil {
			t.Fatal(err)
		}
		if imp.Created != 2 || imp.KPI.Latest == nil || imp.KPI.Latest.Value != 1.9 || imp.KeyResults != 1 {
			t.Errorf("import: %+v", imp)
		}
		kr, _ = f.client.GetKeyResult(ctx, k.kr.ID)
		if kr.Current != 1.9 || kr.Progress != 1 {
			t.Errorf("after the import: current %g progress %g", kr.Current, kr.Progress)
		}
		_, err = script.ImportKPIRecords(ctx, k.kpi.ID, "date,value\n2026-05-31,x\n", false)
		if apiclient.StatusOf(err) != 422 || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("a bad file: %v", err)
		}
	})
}
