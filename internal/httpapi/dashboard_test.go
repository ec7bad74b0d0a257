package httpapi_test

import (
	"strings"
	"testing"
)

// TestDashboardScenarios drives GET /api/v1/dashboard: the numbers of the
// fixture's period, the team filter, bad input, and another organization's
// period and team answering 404.
func TestDashboardScenarios(t *testing.T) {
	e := newEnv(t)
	f := e.newFixture(t, "Acme", "owner@acme.test", "alpha")
	other := e.newFixture(t, "Beta", "owner@beta.test", "beta")
	fill := strings.NewReplacer(
		"{period}", f.period.ID,
		"{team}", f.team.ID,
		"{objective}", f.objective.ID,
		"{kr}", f.keyResult.ID,
		"{other_period}", other.period.ID,
		"{other_team}", other.team.ID,
	)
	tokens := map[string]string{"owner": f.token, "member": f.memberToken, "viewer": f.viewerToken}
	scenarios := []apiScenario{
		{name: "the period", method: "GET", path: "/api/v1/dashboard?period_id={period}", token: "viewer", status: 200,
			contains: []string{`"objectives":1`, `"key_results":1`, `"cadence_days":7`, `"id":"{objective}"`,
				`"discipline":{"total":1,"on_time":1,"share":1}`, `{"health":"on_track","count":1}`,
				`"initiatives":1`, `{"status":"planned","count":1}`, `"expected_vs_actual":[{"id":"{objective}"`},
			notContain: []string{"beta"}},
		{name: "a team owns none of it", method: "GET", path: "/api/v1/dashboard?period_id={period}&team_id={team}", token: "member", status: 200,
			contains:   []string{`"objectives":0`, `"team_id":"{team}"`, `"at_risk":[]`, `"discipline":{"total":0,"on_time":0,"share":0}`},
			notContain: []string{"{objective}", "{kr}"}},
		{name: "period required", method: "GET", path: "/api/v1/dashboard", token: "owner", status: 422, contains: []string{"period_id"}},
		{name: "no token", method: "GET", path: "/api/v1/dashboard?period_id={period}", status: 401},
		{name: "another organization's period", method: "GET", path: "/api/v1/dashboard?period_id={other_period}", token: "owner", status: 404,
			contains: []string{`"type":"urn:okra:problem:not_found"`}, notContain: []string{"beta"}},
		{name: "another organization's team", method: "GET", path: "/api/v1/dashboard?period_id={period}&team_id={other_team}", token: "owner", status: 404,
			contains: []string{`"type":"urn:okra:problem:not_found"`}, notContain: []string{"beta"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, e, fill, tokens) })
	}
}
