package httpapi_test

import (
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// recognitionIsolation gives A a lesson, a kudos and a reached key result,
// and says how to try every lessons, kudos, celebrations and packet route
// with B's token on A's.
func recognitionIsolation(t *testing.T, e *env, a, b *fixture, marker string) isolationExtra {
	t.Helper()
	var lesson okr.Lesson
	e.send(t, 201, "POST", "/api/v1/lessons", a.token, obj{"title": "Lesson " + marker, "body": "body " + marker,
		"tags": []string{"tenancy"}, "objective_id": a.objective.ID, "team_id": a.team.ID}, &lesson)
	var kudos okr.Kudos
	e.send(t, 201, "POST", "/api/v1/kudos", a.token, obj{"to_user_id": a.memberID, "message": "Thanks " + marker,
		"subject_type": "key_result", "subject_id": a.keyResult.ID}, &kudos)
	e.send(t, 201, "POST", "/api/v1/key-results/"+a.keyResult.ID+"/check-ins", a.token,
		obj{"value": 50, "confidence": 0.9, "status": "on_track"}, nil) // reached: celebrated
	return isolationExtra{
		reads: []string{
			"/api/v1/lessons/" + lesson.ID,
			"/api/v1/kudos/" + kudos.ID,
			"/api/v1/objectives/" + a.objective.ID + "/lessons",
			"/api/v1/celebrations",
			"/api/v1/users/" + a.memberID + "/review-packet?period_id=" + a.period.ID,
		},
		ids:      map[string]string{"lessons": lesson.ID, "kudos": kudos.ID},
		versions: map[string]int{"lessons": lesson.Version},
		bodies:   map[string]string{"updateLesson": `{"title":"Hijacked","tags":["stolen"]}`},
		filters: map[string]string{"tag": "tenancy", "author_id": a.owner.ID, "to_user_id": a.memberID, "to_team_id": a.team.ID,
			"kind": "kudos"},
		aIDs: []string{lesson.ID, kudos.ID},
		refs: []struct{ path, body string }{
			{"/api/v1/lessons", `{"title":"Steal","objective_id":"` + a.objective.ID + `"}`},
			{"/api/v1/lessons", `{"title":"Steal","team_id":"` + a.team.ID + `"}`},
			{"/api/v1/lessons", `{"title":"Steal","period_id":"` + a.period.ID + `"}`},
			{"/api/v1/kudos", `{"to_user_id":"` + a.memberID + `","message":"hi"}`},
			{"/api/v1/kudos", `{"to_team_id":"` + a.team.ID + `","message":"hi"}`},
			{"/api/v1/kudos", `{"to_user_id":"` + b.memberID + `","message":"hi","subject_type":"key_result","subject_id":"` + a.keyResult.ID + `"}`},
			{"/api/v1/kudos", `{"to_user_id":"` + b.memberID + `","message":"hi","subject_type":"objective","subject_id":"` + a.objective.ID + `"}`},
		},
	}
}

// TestRecognitionAPI: lessons, votes, kudos, the feed and review packets
// through the API, with their permissions, on both engines.
func TestRecognitionAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := e.newFixture(t, "Acme", "owner@acme.test", "acme")
		var l okr.Lesson
		a := e.send(t, 201, "POST", "/api/v1/lessons", f.memberToken, obj{"title": "Ask for the numbers first",
			"body": "The **review** went faster.", "tags": []string{"Meetings", "meetings", "rituals"}, "objective_id": f.objective.ID}, &l,
			"Idempotency-Key", "lesson-1")
		if a.header.Get("Location") != "/api/v1/lessons/"+l.ID || a.header.Get("ETag") != `"1"` || l.PeriodID != f.period.ID ||
			strings.Join(l.Tags, ",") != "meetings,rituals" || l.Source != "manual" {
			t.Errorf("created lesson %+v, headers %v", l, a.header)
		}
		var again okr.Lesson
		e.send(t, 201, "POST", "/api/v1/lessons", f.memberToken, obj{"title": "Ask for the numbers first",
			"body": "The **review** went faster.", "tags": []string{"Meetings", "meetings", "rituals"}, "objective_id": f.objective.ID}, &again,
			"Idempotency-Key", "lesson-1")
		if again.ID != l.ID {
			t.Errorf("a retry made lesson %s, first %s", again.ID, l.ID)
		}
		tokens := map[string]string{"owner": f.token, "member": f.memberToken, "viewer": f.viewerToken}
		fill := strings.NewReplacer("{lesson}", l.ID, "{objective}", f.objective.ID, "{member}", f.memberID, "{owner}", f.owner.ID,
			"{period}", f.period.ID, "{kr}", f.keyResult.ID, "{team}", f.team.ID)
		for _, sc := range []apiScenario{
			{name: "a lesson needs a title", method: "POST", path: "/api/v1/lessons", token: "member", body: `{"title":" ","skill_ids":["nope"]}`,
				status: 422, contains: []string{`"field":"title"`, `"field":"skill_ids[0]"`}},
			{name: "viewers read, never write", method: "POST", path: "/api/v1/lessons", token: "viewer", body: `{"title":"x"}`, status: 403},
			{name: "search finds by word, any case", method: "GET", path: "/api/v1/lessons?q=REVIEW", token: "viewer", status: 200,
				contains: []string{`"id":"{lesson}"`}},
			{name: "search by tag", method: "GET", path: "/api/v1/lessons?tag=Rituals", token: "owner", status: 200, contains: []string{`"id":"{lesson}"`}},
			{name: "no match", method: "GET", path: "/api/v1/lessons?q=review+pricing", token: "owner", status: 200,
				contains: []string{`"items":[]`}},
			{name: "the tags", method: "GET", path: "/api/v1/lesson-tags", token: "viewer", status: 200,
				contains: []string{`{"tag":"meetings","count":1}`}},
			{name: "the objective surfaces it", method: "GET", path: "/api/v1/objectives/{objective}/lessons", token: "viewer", status: 200,
				contains: []string{`"id":"{lesson}"`, "learned on this objective"}},
			{name: "update needs If-Match", method: "PATCH", path: "/api/v1/lessons/{lesson}", token: "member", body: `{"title":"New"}`, status: 428},
			{name: "only the author or an admin edits", method: "PATCH", path: "/api/v1/lessons/{lesson}", token: "viewer",
				body: `{"title":"New"}`, headers: map[string]string{"If-Match": `"1"`}, status: 403},
			{name: "the author edits", method: "PATCH", path: "/api/v1/lessons/{lesson}", token: "member",
				body: `{"title":"Ask for the numbers before the review"}`, headers: map[string]string{"If-Match": `"1"`}, status: 200,
				contains: []string{`"version":2`}, header: map[string]string{"ETag": `"2"`}},
			{name: "a stale version", method: "PATCH", path: "/api/v1/lessons/{lesson}", token: "owner",
				body: `{"title":"x"}`, headers: map[string]string{"If-Match": `"1"`}, status: 412},
			{name: "the author does not vote", method: "POST", path: "/api/v1/lessons/{lesson}/helpful", token: "member", status: 409},
			{name: "the owner votes", method: "POST", path: "/api/v1/lessons/{lesson}/helpful", token: "owner", status: 200,
				contains: []string{`"helpful":1`, `"voted_helpful":true`}},
			{name: "once", method: "POST", path: "/api/v1/lessons/{lesson}/helpful", token: "owner", status: 200, contains: []string{`"helpful":1`}},
			{name: "the member reads one vote", method: "GET", path: "/api/v1/lessons/{lesson}", token: "member", status: 200,
				contains: []string{`"helpful":1`, `"voted_helpful":false`}},
			{name: "withdraw the vote", method: "DELETE", path: "/api/v1/lessons/{lesson}/helpful", token: "owner", status: 204},
			{name: "kudos to a person about a key result", method: "POST", path: "/api/v1/kudos", token: "owner",
				body: `{"to_user_id":"{member}","message":"Great survey","subject_type":"key_result","subject_id":"{kr}"}`, status: 201,
				contains: []string{`"from_id":"{owner}"`}, header: map[string]string{"Location": "*"}},
			{name: "kudos to a team", method: "POST", path: "/api/v1/kudos", token: "member",
				body: `{"to_team_id":"{team}","message":"Best team"}`, status: 201},
			{name: "not to yourself", method: "POST", path: "/api/v1/kudos", token: "member",
				body: `{"to_user_id":"{member}","message":"me"}`, status: 422, contains: []string{`"field":"to_user_id"`}},
			{name: "about something real", method: "POST", path: "/api/v1/kudos", token: "member",
				body: `{"to_user_id":"{owner}","message":"x","subject_type":"objective","subject_id":"nope"}`, status: 422,
				contains: []string{`"field":"subject_id"`}},
			{name: "about an enrollment that exists", method: "POST", path: "/api/v1/kudos", token: "member",
				body: `{"to_team_id":"{team}","message":"x","subject_type":"enrollment","subject_id":"nope"}`, status: 422,
				contains: []string{`"field":"subject_id"`}},
			{name: "a lesson names at most 20 skills", method: "POST", path: "/api/v1/lessons", token: "member",
				body:   `{"title":"Too many","skill_ids":["s1","s2","s3","s4","s5","s6","s7","s8","s9","s10","s11","s12","s13","s14","s15","s16","s17","s18","s19","s20","s21"]}`,
				status: 422, contains: []string{`"field":"skill_ids"`, "keep at most 20"}},
			{name: "kudos received", method: "GET", path: "/api/v1/kudos?to_user_id={member}", token: "viewer", status: 200,
				contains: []string{"Great survey"}, notContain: []string{"Best team"}},
			{name: "the packet: the person's lead", method: "GET", path: "/api/v1/users/{member}/review-packet?period_id={period}", token: "owner",
				status: 200, contains: []string{`"check_in_discipline"`, `"kudos":[]`, "It is not a grade"}}, // the period is 2027: today's kudos precede it
			{name: "the packet: the person", method: "GET", path: "/api/v1/users/{member}/review-packet", token: "member", status: 200,
				contains: []string{`"period":{"id":"{period}"`}},
			{name: "the packet: not a peer's", method: "GET", path: "/api/v1/users/{owner}/review-packet", token: "member", status: 403},
			{name: "the packet: an unknown period", method: "GET", path: "/api/v1/users/{member}/review-packet?period_id=nope", token: "owner",
				status: 422, contains: []string{`"field":"period_id"`}},
			{name: "a bad feed kind", method: "GET", path: "/api/v1/celebrations?kind=party", token: "owner", status: 422},
		} {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, e, fill, tokens) })
		}

		// The feed records what nobody posted: the key result reaching its target.
		e.send(t, 201, "POST", "/api/v1/key-results/"+f.keyResult.ID+"/check-ins", f.token, obj{"value": 50, "confidence": 0.9, "status": "on_track"}, nil)
		var feed app.Page[okr.Celebration]
		e.send(t, 200, "GET", "/api/v1/celebrations?limit=10", f.viewerToken, nil, &feed)
		kinds := []string{}
		for _, c := range feed.Items {
			kinds = append(kinds, string(c.Kind))
		}
		if got := strings.Join(kinds, ","); got != "key_result_reached,kudos,kudos" {
			t.Errorf("feed %s, want key_result_reached,kudos,kudos", got)
		}
		if feed.Items[0].SubjectID != f.keyResult.ID || feed.Items[0].ObjectiveID != f.objective.ID {
			t.Errorf("the reached entry: %+v", feed.Items[0])
		}
		var page app.Page[okr.Celebration]
		e.send(t, 200, "GET", "/api/v1/celebrations?limit=1", f.viewerToken, nil, &page)
		e.send(t, 200, "GET", "/api/v1/celebrations?limit=5&cursor="+page.NextCursor, f.viewerToken, nil, &page)
		if len(page.Items) != 2 || page.Items[0].ID != feed.Items[1].ID {
			t.Errorf("the second page starts at %+v, want %s", page.Items, feed.Items[1].ID)
		}
		// Deleting: the author or an admin.
		e.send(t, 403, "DELETE", "/api/v1/lessons/"+l.ID, f.viewerToken, nil, nil)
		e.send(t, 204, "DELETE", "/api/v1/lessons/"+l.ID, f.token, nil, nil)
		e.send(t, 404, "GET", "/api/v1/lessons/"+l.ID, f.memberToken, nil, nil)
	})
}
