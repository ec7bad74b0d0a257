package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// coachYAML is a draft for the fixture's period: one objective that reads
// as a deliverable, with one key result owned by nobody the organization
// knows, and an initiative linked to nothing.
const coachYAML = `okra: 1
period: 2027 acme
objectives:
  - slug: new-app
    title: Launch the new mobile app
    owner: org
    key_results:
      - slug: rating
        title: Raise the app store rating
        owner: nobody@acme.test
        unit: custom
        unit_label: stars
        baseline: 3.9
        target: 4.5
        due_date: 2027-06-30
initiatives:
  - slug: logo
    title: Redo the logo
`

// statuses is a report's findings as "ref check status", objectives' first.
func statuses(r app.CoachReport) []string {
	var out []string
	for _, o := range r.Objectives {
		for _, f := range o.Findings {
			out = append(out, f.Ref+" "+f.Check+" "+string(f.Status))
		}
	}
	for _, f := range r.Findings {
		out = append(out, f.Ref+" "+f.Check+" "+string(f.Status))
	}
	return out
}

// TestCoachAPI: a draft (YAML or JSON) by any reader, a stored objective and
// a period with their findings, problems with the path of what is wrong, the
// coach's thresholds in the settings, and other organizations' ids unknown.
func TestCoachAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := e.newFixture(t, "Acme", "owner@acme.test", "acme")
		b := e.newFixture(t, "Beta", "owner@beta.test", "beta")
		yaml := map[string]string{"Content-Type": "application/yaml"}

		wantDraft := []string{
			"new-app objective.key_result_count warn", "new-app objective.qualitative pass", "new-app objective.length pass",
			"new-app objective.outcome fail",
			"new-app/rating key_result.target pass", "new-app/rating key_result.unit pass", "new-app/rating key_result.due_date pass",
			"new-app/rating key_result.owner fail", "new-app/rating key_result.outcome pass",
			"nobody@acme.test person.load pass", "logo initiative.aligned fail",
		}
		ans := e.call(t, "POST", "/api/v1/coach", f.viewerToken, coachYAML, yaml)
		var r app.CoachReport
		decodeJSON(t, ans.body, &r)
		if ans.status != 200 || !slices.Equal(statuses(r), wantDraft) || r.Pass != 7 || r.Warn != 1 || r.Fail != 3 ||
			r.Strength != 7.5/11 || r.Objectives[0].Ref != "new-app" || r.Objectives[0].Title != "Launch the new mobile app" {
			t.Fatalf("POST /coach (YAML): %d\n%s\n%q", ans.status, ans.body, statuses(r))
		}
		if !strings.Contains(ans.body, `"reason":"No member of the organization has the e-mail nobody@acme.test."`) ||
			!strings.Contains(ans.body, `"prompt":"Suppose it is launched and nothing changes for anyone`) {
			t.Errorf("POST /coach: reasons and prompts: %s", ans.body)
		}
		// The same draft in JSON gives the same report.
		jsonDoc := `{"okra":1,"period":"2027 acme","objectives":[{"slug":"new-app","title":"Launch the new mobile app","owner":"org",` +
			`"key_results":[{"slug":"rating","title":"Raise the app store rating","owner":"nobody@acme.test","unit":"custom",` +
			`"unit_label":"stars","baseline":3.9,"target":4.5,"due_date":"2027-06-30"}]}],"initiatives":[{"slug":"logo","title":"Redo the logo"}]}`
		ans = e.call(t, "POST", "/api/v1/coach", f.memberToken, jsonDoc, nil)
		var again app.CoachReport
		decodeJSON(t, ans.body, &again)
		if ans.status != 200 || !slices.Equal(statuses(again), wantDraft) {
			t.Errorf("POST /coach (JSON): %d %s", ans.status, ans.body)
		}
		// A document okra cannot read: its path, in a problem.
		ans = e.call(t, "POST", "/api/v1/coach", f.token, strings.Replace(coachYAML, "    title: Launch", "    titel: Launch", 1), yaml)
		if ans.status != 422 || !strings.Contains(ans.body, `"field":"objectives[0].titel"`) {
			t.Errorf("POST /coach with an unknown field: %d %s", ans.status, ans.body)
		}

		// The fixture's objective: "Delight customers acme" (3 words), one
		// key result NPS 10 → 50 in a plain number, checked in once.
		ans = e.call(t, "GET", "/api/v1/objectives/"+f.objective.ID+"/coach", f.viewerToken, "", nil)
		decodeJSON(t, ans.body, &r)
		o, k := f.objective.ID, f.keyResult.ID
		wantObjective := []string{
			o + " objective.key_result_count warn", o + " objective.qualitative pass", o + " objective.length warn",
			o + " objective.outcome pass",
			k + " key_result.target pass", k + " key_result.unit warn", k + " key_result.due_date pass",
			k + " key_result.owner pass", k + " key_result.outcome pass",
			f.owner.ID + " person.load pass", f.initiative.ID + " initiative.aligned pass",
		}
		if ans.status != 200 || !slices.Equal(statuses(r), wantObjective) || r.Objectives[0].Strength != 7.5/9 {
			t.Errorf("GET objective coach: %d\n%s\n%q", ans.status, ans.body, statuses(r))
		}
		ans = e.call(t, "GET", "/api/v1/periods/"+f.period.ID+"/coach", f.memberToken, "", nil)
		decodeJSON(t, ans.body, &r)
		if ans.status != 200 || !slices.Equal(statuses(r), wantObjective) {
			t.Errorf("GET period coach: %d\n%s", ans.status, ans.body)
		}

		// Another organization's ids are unknown.
		for _, p := range []string{"/api/v1/objectives/" + f.objective.ID + "/coach", "/api/v1/periods/" + f.period.ID + "/coach"} {
			if ans := e.call(t, "GET", p, b.token, "", nil); ans.status != 404 || strings.Contains(ans.body, "acme") {
				t.Errorf("B: GET %s: %d %s", p, ans.status, ans.body)
			}
		}

		// The thresholds are settings: read by all, changed by admins, checked.
		ans = e.call(t, "GET", "/api/v1/settings", f.viewerToken, "", nil)
		if !strings.Contains(ans.body, `"coach":{"min_key_results":3,"max_key_results":5,"min_title_words":4,"max_title_words":18,`+
			`"max_objectives_per_person":3,"max_key_results_per_person":8,"max_initiatives_per_person":6,"lofty":3}`) {
			t.Errorf("GET /settings: %s", ans.body)
		}
		v0 := map[string]string{"If-Match": `"0"`}
		ans = e.call(t, "PATCH", "/api/v1/settings", f.token, `{"coach":{"min_key_results":6,"max_initiatives_per_person":0}}`, v0)
		if ans.status != 422 || !strings.Contains(ans.body, `{"field":"coach.max_initiatives_per_person","message":"must be a whole number from 1 to 100 (you sent 0)"}`) ||
			!strings.Contains(ans.body, `{"field":"coach.min_key_results","message":"must not be above max_key_results (6 > 5)"}`) {
			t.Errorf("PATCH /settings with bad thresholds: %d %s", ans.status, ans.body)
		}
		ans = e.call(t, "PATCH", "/api/v1/settings", f.token, `{"coach":{"min_key_results":1,"min_title_words":3}}`, v0)
		if ans.status != 200 || !strings.Contains(ans.body, `"coach":{"min_key_results":1,"max_key_results":5,"min_title_words":3,`) {
			t.Fatalf("PATCH /settings: %d %s", ans.status, ans.body)
		}
		// The objective now has enough key results and words.
		ans = e.call(t, "GET", "/api/v1/objectives/"+f.objective.ID+"/coach", f.viewerToken, "", nil)
		decodeJSON(t, ans.body, &r)
		for _, c := range []string{okr.RuleKeyResultCount, okr.RuleLength} {
			for _, x := range r.Objectives[0].Findings {
				if x.Check == c && x.Status != okr.CheckPass {
					t.Errorf("after the new thresholds, %s: %+v", c, x)
				}
			}
		}
	})
}
