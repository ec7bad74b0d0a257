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

// reviewIsolation: the review routes need only bodies; they act on A's
// period, key result and objective, which the fixture has.
func reviewIsolation(t *testing.T, e *env, a, b *fixture, marker string) isolationExtra {
	t.Helper()
	return isolationExtra{
		reads: []string{"/api/v1/periods/" + a.period.ID + "/review"},
		bodies: map[string]string{
			"adjustScore":      `{"adjusted":0.9,"reason":"hijacked"}`,
			"putRetrospective": `{"went_well":"hijacked","lessons":[{"title":"hijacked"}]}`,
			"decideObjective":  `{"decision":"keep"}`,
		},
	}
}

// TestReviewAPI walks the period close through the API on both engines:
// preview, close (admin), read-only check-ins (409), a score adjustment
// (reason required, If-Match), the review, a retrospective and a keep
// decision that carries the objective into the next period.
func TestReviewAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		f := e.newFixture(t, "Alpha", "owner@alpha.test", "alpha")
		// The fixture's key result is at 20 on 10→50: progress 0.25.
		tokens := map[string]string{"owner": f.token, "member": f.memberToken, "viewer": f.viewerToken}
		var next okr.Period
		fill := func() *strings.Replacer {
			return strings.NewReplacer("{period}", f.period.ID, "{objective}", f.objective.ID, "{kr}", f.keyResult.ID,
				"{next}", next.ID)
		}
		steps := []struct {
			before func()
			apiScenario
		}{
			{apiScenario: apiScenario{name: "preview of the close", method: "GET", path: "/api/v1/periods/{period}/review", token: "viewer", status: 200,
				contains: []string{`"preview":true`, `"mean_score":0.25`, `"verdict":"outran_capacity"`, `"id":"{objective}"`, `"score":0.25`, `"can_close":false`}}},
			{apiScenario: apiScenario{name: "the owner may close", method: "GET", path: "/api/v1/periods/{period}/review", token: "owner", status: 200,
				contains: []string{`"can_close":true`}}},
			{apiScenario: apiScenario{name: "a member may not close", method: "POST", path: "/api/v1/periods/{period}/close", token: "member", status: 403}},
			{apiScenario: apiScenario{name: "no adjustment before the close", method: "PATCH", path: "/api/v1/key-results/{kr}/score", token: "owner",
				body: `{"adjusted":0.5,"reason":"x"}`, headers: map[string]string{"If-Match": `"` + strconv.Itoa(f.keyResult.Version) + `"`},
				status: 409, contains: []string{"closed"}}},
			{apiScenario: apiScenario{name: "close", method: "POST", path: "/api/v1/periods/{period}/close", token: "owner", status: 200,
				contains: []string{`"state":"closed"`}}},
			{apiScenario: apiScenario{name: "close twice", method: "POST", path: "/api/v1/periods/{period}/close", token: "owner", status: 409}},
			{apiScenario: apiScenario{name: "check-in on a closed period", method: "POST", path: "/api/v1/key-results/{kr}/check-ins", token: "owner",
				body: `{"value":30,"confidence":0.5,"status":"at_risk"}`, status: 409, contains: []string{"closed"}}},
			{apiScenario: apiScenario{name: "the key result's score", method: "GET", path: "/api/v1/key-results/{kr}", token: "viewer", status: 200,
				contains: []string{`"score":{"computed":0.25,"adjusted":null,"reason":null,"final":0.25}`}}},
			{apiScenario: apiScenario{name: "the objective's score and outcome", method: "GET", path: "/api/v1/objectives/{objective}", token: "viewer", status: 200,
				contains: []string{`"score":{"final":0.25}`, `"state":"closed"`, `"outcome":"missed"`}}},
			{apiScenario: apiScenario{name: "adjust without If-Match", method: "PATCH", path: "/api/v1/key-results/{kr}/score", token: "owner",
				body: `{"adjusted":0.5,"reason":"x"}`, status: 428}},
			{apiScenario: apiScenario{name: "adjust without a reason", method: "PATCH", path: "/api/v1/key-results/{kr}/score", token: "owner",
				body: `{"adjusted":0.5}`, headers: map[string]string{"If-Match": `"{krversion}"`}, status: 422, contains: []string{`"field":"reason"`}}},
			{apiScenario: apiScenario{name: "a viewer may not adjust", method: "PATCH", path: "/api/v1/key-results/{kr}/score", token: "viewer",
				body: `{"adjusted":0.5,"reason":"x"}`, headers: map[string]string{"If-Match": `"{krversion}"`}, status: 403}},
			{apiScenario: apiScenario{name: "adjust", method: "PATCH", path: "/api/v1/key-results/{kr}/score", token: "owner",
				body: `{"adjusted":0.5,"reason":"the survey ran a month late"}`, headers: map[string]string{"If-Match": `"{krversion}"`}, status: 200,
				contains: []string{`"score":{"computed":0.25,"adjusted":0.5,"reason":"the survey ran a month late","final":0.5}`}, header: map[string]string{"ETag": "*"}}},
			{apiScenario: apiScenario{name: "the review after the adjustment", method: "GET", path: "/api/v1/periods/{period}/review", token: "member", status: 200,
				contains: []string{`"preview":false`, `"mean_score":0.5`, `"verdict":"partial"`, `"score":0.5`}}},
			{apiScenario: apiScenario{name: "a viewer may not write the retrospective", method: "PUT", path: "/api/v1/objectives/{objective}/retrospective", token: "viewer",
				body: `{"went_well":"x"}`, status: 403}},
			{apiScenario: apiScenario{name: "retrospective", method: "PUT", path: "/api/v1/objectives/{objective}/retrospective", token: "owner",
				body:   `{"went_well":"The survey reached everyone.","went_badly":"It ran late.","lessons":[{"title":"Book the survey window early","body":"Q4 calendars fill up.","tags":["surveys"]}]}`,
				status: 200, contains: []string{`"went_well":"The survey reached everyone."`, `"title":"Book the survey window early"`, `"version":1`}}},
			{apiScenario: apiScenario{name: "read the retrospective", method: "GET", path: "/api/v1/objectives/{objective}/retrospective", token: "viewer", status: 200,
				contains: []string{`"went_badly":"It ran late."`}}},
			{apiScenario: apiScenario{name: "keep without a next period", method: "POST", path: "/api/v1/objectives/{objective}/decision", token: "owner",
				body: `{"decision":"keep"}`, status: 422, contains: []string{`"field":"next_period_id"`}}},
			{before: func() {
				next = must(f.client.CreatePeriod(ctx, app.PeriodInput{Name: "2028", Kind: okr.PeriodAnnual, StartDate: "2028-01-01", EndDate: "2028-12-31"}))(t)
			}, apiScenario: apiScenario{name: "keep", method: "POST", path: "/api/v1/objectives/{objective}/decision", token: "owner",
				body: `{"decision":"keep"}`, status: 201,
				contains: []string{`"carried_from":"{objective}"`, `"period_id":"{next}"`, `"state":"draft"`, `"key_results":[{`, `"baseline":20,`},
				header:   map[string]string{"Location": "*"}}},
			{apiScenario: apiScenario{name: "a second decision", method: "POST", path: "/api/v1/objectives/{objective}/decision", token: "owner",
				body: `{"decision":"drop"}`, status: 409}},
			{apiScenario: apiScenario{name: "the review counts the work done", method: "GET", path: "/api/v1/periods/{period}/review", token: "owner", status: 200,
				contains: []string{`"retrospectives_done":1`, `"decisions_done":1`, `"decision":"keep"`}}},
		}
		for _, s := range steps {
			if s.before != nil {
				s.before()
			}
			kr := must(f.client.GetKeyResult(ctx, f.keyResult.ID))(t)
			r := fill()
			full := strings.NewReplacer("{krversion}", strconv.Itoa(kr.Version))
			sc := s.apiScenario
			for k, v := range sc.headers {
				sc.headers = map[string]string{k: full.Replace(v)}
			}
			t.Run(s.name, func(t *testing.T) { sc.run(t, e, r, tokens) })
		}
		// The carried key result starts at the final value with the same target.
		objs := must(f.client.ListObjectives(ctx, apiclient.ObjectiveFilter{PeriodID: next.ID}))(t)
		if len(objs.Items) != 1 || objs.Items[0].CarriedFrom != f.objective.ID {
			t.Fatalf("next period's objectives: %+v", objs.Items)
		}
		krs := must(f.client.ListKeyResults(ctx, apiclient.KeyResultFilter{ObjectiveID: objs.Items[0].ID}))(t)
		if len(krs.Items) != 1 || krs.Items[0].Baseline != 20 || krs.Items[0].Target != 50 || krs.Items[0].Current != 20 {
			t.Fatalf("carried key results: %+v", krs.Items)
		}
	})
}
