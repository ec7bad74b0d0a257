package httpapi_test

import (
	"maps"
	"testing"
)

// isolationExtra is what TestTenantIsolation needs to try an area's routes:
// A's objects to read before and after, A's ids and versions by collection,
// valid bodies by operation, values of A for list filters, A's ids that B
// must never see, and creations that name A's objects.
type isolationExtra struct {
	reads    []string
	ids      map[string]string
	versions map[string]int
	bodies   map[string]string
	filters  map[string]string
	aIDs     []string
	refs     []struct{ path, body string }
	// refusingLists answer a filter that names another organization's
	// object with 422 (an unknown id in the filter), not with an empty page.
	refusingLists map[string]bool
}

// mergeIsolation joins the extras of several areas.
func mergeIsolation(xs ...isolationExtra) isolationExtra {
	out := isolationExtra{ids: map[string]string{}, versions: map[string]int{}, bodies: map[string]string{},
		filters: map[string]string{}, refusingLists: map[string]bool{}}
	for _, x := range xs {
		out.reads = append(out.reads, x.reads...)
		maps.Copy(out.ids, x.ids)
		maps.Copy(out.versions, x.versions)
		maps.Copy(out.bodies, x.bodies)
		maps.Copy(out.filters, x.filters)
		out.aIDs = append(out.aIDs, x.aIDs...)
		out.refs = append(out.refs, x.refs...)
		maps.Copy(out.refusingLists, x.refusingLists)
	}
	return out
}

// learningIsolation fills A and B with skills and learning objects and
// says how to try every skills and learning route with B's token on A's.
func learningIsolation(t *testing.T, e *env, a, b *fixture, marker string) isolationExtra {
	t.Helper()
	la := e.newLearningFixture(t, a, marker)
	lb := e.newLearningFixture(t, b, "beta")
	return isolationExtra{
		reads: []string{
			"/api/v1/skills/" + la.skill.ID,
			"/api/v1/skill-requirements/" + la.requirement.ID,
			"/api/v1/roles/" + la.role.ID,
			"/api/v1/programs/" + la.program.ID,
			"/api/v1/enrollments/" + la.enrollment.ID,
			"/api/v1/users/" + a.memberID + "/skills",
			"/api/v1/gaps?scope=team:" + a.team.ID,
			"/api/v1/learning-objectives/" + la.objective.ID,
			"/api/v1/users/" + a.memberID + "/learning-plan",
			"/api/v1/mentorships/" + la.mentorship.ID,
			"/api/v1/feedback?to_id=" + a.memberID,
			"/api/v1/learning-analytics",
		},
		ids: map[string]string{
			"skills": la.skill.ID, "skill-requirements": la.requirement.ID, "assessments": la.assessment.ID,
			"roles": la.role.ID, "programs": la.program.ID, "enrollments": la.enrollment.ID,
			"learning-objectives": la.objective.ID, "mentorships": la.mentorship.ID,
		},
		versions: map[string]int{
			"skills": la.skill.Version, "skill-requirements": la.requirement.Version, "roles": la.role.Version,
			"programs": la.program.Version, "enrollments": la.enrollment.Version,
			"learning-objectives": la.objective.Version, "mentorships": la.mentorship.Version,
		},
		bodies: map[string]string{
			"updateSkill":             `{"name":"Hijacked","category":"stolen"}`,
			"updateSkillRequirement":  `{"level":1,"headcount":9}`,
			"updateRole":              `{"name":"Hijacked","holder_ids":[]}`,
			"updateProgram":           `{"title":"Hijacked","archived":true}`,
			"updateEnrollment":        `{"status":"withdrawn"}`,
			"assignToTeam":            `{"program_id":"` + lb.program.ID + `"}`,
			"updateLearningObjective": `{"target_level":1,"note":"Hijacked","program_ids":[]}`,
			"updateMentorship":        `{"notes":"Hijacked","end_date":"2027-01-01"}`,
		},
		filters: map[string]string{
			"q": "Negotiation", "category": "people", "skill_id": la.skill.ID, "user_id": a.memberID,
			"program_id": la.program.ID, "status": "assigned", "include_archived": "true", "scope": "team:" + a.team.ID,
			"to_id": a.memberID, "from_id": a.owner.ID, "as": "mentee", "active": "true",
		},
		aIDs: []string{la.skill.ID, la.role.ID, la.requirement.ID, la.assessment.ID, la.program.ID, la.enrollment.ID,
			la.objective.ID, la.mentorship.ID, la.feedback.ID},
		refs: []struct{ path, body string }{
			{"/api/v1/skill-requirements", `{"subject":{"type":"team","id":"` + a.team.ID + `"},"skill_id":"` + lb.skill.ID + `","level":1}`},
			{"/api/v1/skill-requirements", `{"subject":{"type":"objective","id":"` + a.objective.ID + `"},"skill_id":"` + lb.skill.ID + `","level":1}`},
			{"/api/v1/skill-requirements", `{"subject":{"type":"key_result","id":"` + a.keyResult.ID + `"},"skill_id":"` + lb.skill.ID + `","level":1}`},
			{"/api/v1/skill-requirements", `{"subject":{"type":"role","id":"` + la.role.ID + `"},"skill_id":"` + lb.skill.ID + `","level":1}`},
			{"/api/v1/skill-requirements", `{"subject":{"type":"objective","id":"` + b.objective.ID + `"},"skill_id":"` + la.skill.ID + `","level":1}`},
			{"/api/v1/assessments", `{"user_id":"` + a.memberID + `","skill_id":"` + lb.skill.ID + `","level":1,"source":"manager"}`},
			{"/api/v1/assessments", `{"user_id":"` + b.memberID + `","skill_id":"` + la.skill.ID + `","level":1,"source":"manager"}`},
			{"/api/v1/roles", `{"name":"Steal","holder_ids":["` + a.memberID + `"]}`},
			{"/api/v1/programs", `{"title":"Steal","kind":"course","skills":[{"skill_id":"` + la.skill.ID + `","level":1}]}`},
			{"/api/v1/enrollments", `{"user_id":"` + a.memberID + `","program_id":"` + lb.program.ID + `"}`},
			{"/api/v1/enrollments", `{"user_id":"` + b.memberID + `","program_id":"` + la.program.ID + `"}`},
			{"/api/v1/teams/" + b.team.ID + "/enrollments", `{"program_id":"` + la.program.ID + `"}`},
			{"/api/v1/key-results", `{"objective_id":"` + b.objective.ID + `","title":"Steal","kind":"increase","baseline":0,"target":100,"source":"learning",` +
				`"measure":{"type":"at_level_share","skill_id":"` + la.skill.ID + `","level":1,"population":{"type":"team","id":"` + b.team.ID + `"}}}`},
			{"/api/v1/key-results", `{"objective_id":"` + b.objective.ID + `","title":"Steal","kind":"increase","baseline":0,"target":100,"source":"learning",` +
				`"measure":{"type":"completion_rate","program_id":"` + la.program.ID + `","population":{"type":"team","id":"` + a.team.ID + `"}}}`},
			{"/api/v1/key-results", `{"objective_id":"` + b.objective.ID + `","title":"Steal","kind":"increase","baseline":0,"target":100,"source":"learning",` +
				`"measure":{"type":"learning_hours","population":{"type":"role","id":"` + la.role.ID + `"}}}`},
			{"/api/v1/learning-objectives", `{"user_id":"` + a.memberID + `","skill_id":"` + lb.skill.ID + `","target_level":1}`},
			{"/api/v1/learning-objectives", `{"team_id":"` + a.team.ID + `","skill_id":"` + lb.skill.ID + `","target_level":1}`},
			{"/api/v1/learning-objectives", `{"user_id":"` + b.memberID + `","skill_id":"` + la.skill.ID + `","target_level":1}`},
			{"/api/v1/learning-objectives", `{"user_id":"` + b.memberID + `","skill_id":"` + lb.skill.ID + `","target_level":1,"requirement_id":"` + la.requirement.ID + `"}`},
			{"/api/v1/learning-objectives", `{"user_id":"` + b.memberID + `","skill_id":"` + lb.skill.ID + `","target_level":1,"key_result_id":"` + a.keyResult.ID + `"}`},
			{"/api/v1/learning-objectives", `{"user_id":"` + b.memberID + `","skill_id":"` + lb.skill.ID + `","target_level":1,"objective_id":"` + a.objective.ID + `"}`},
			{"/api/v1/learning-objectives", `{"user_id":"` + b.memberID + `","skill_id":"` + lb.skill.ID + `","target_level":1,"program_ids":["` + la.program.ID + `"]}`},
			{"/api/v1/enrollments", `{"user_id":"` + b.memberID + `","program_id":"` + lb.program.ID + `","learning_objective_id":"` + la.objective.ID + `"}`},
			{"/api/v1/mentorships", `{"mentor_id":"` + a.owner.ID + `","mentee_id":"` + b.memberID + `"}`},
			{"/api/v1/mentorships", `{"mentor_id":"` + b.owner.ID + `","mentee_id":"` + a.memberID + `"}`},
			{"/api/v1/mentorships", `{"mentor_id":"` + b.owner.ID + `","mentee_id":"` + b.memberID + `","skill_id":"` + la.skill.ID + `"}`},
			{"/api/v1/feedback", `{"to_id":"` + a.memberID + `","relation":"peer","body":"hi"}`},
			{"/api/v1/feedback", `{"to_id":"` + b.memberID + `","relation":"peer","body":"hi","subject_type":"skill","subject_id":"` + la.skill.ID + `"}`},
			{"/api/v1/feedback", `{"to_id":"` + b.memberID + `","relation":"peer","body":"hi","subject_type":"enrollment","subject_id":"` + la.enrollment.ID + `"}`},
			{"/api/v1/feedback", `{"to_id":"` + b.memberID + `","relation":"peer","body":"hi","subject_type":"objective","subject_id":"` + a.objective.ID + `"}`},
		},
		refusingLists: map[string]bool{"/api/v1/gaps": true, "/api/v1/learning-analytics": true},
	}
}
