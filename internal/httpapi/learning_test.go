package httpapi_test

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// obj is a JSON object to send.
type obj = map[string]any

// send sends body as JSON (a string goes as it is, nil sends none), fails
// the test unless the answer has status want, and decodes it into out when
// out is not nil. header lists names and values in turn.
func (e *env) send(tb testing.TB, want int, method, path, token string, body, out any, header ...string) answer {
	tb.Helper()
	var s string
	switch b := body.(type) {
	case nil:
	case string:
		s = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			tb.Fatalf("encode %v: %v", b, err)
		}
		s = string(raw)
	}
	h := map[string]string{}
	for i := 0; i+1 < len(header); i += 2 {
		h[header[i]] = header[i+1]
	}
	a := e.call(tb, method, path, token, s, h)
	if a.status != want {
		tb.Fatalf("%s %s %s: status %d, want %d: %s", method, path, clip(s), a.status, want, a.body)
	}
	if out != nil {
		decodeJSON(tb, a.body, out)
	}
	return a
}

// clip shortens a request body for a failure message.
func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// ifMatch is the If-Match header of a version.
func ifMatch(version int) []string { return []string{"If-Match", strconv.Quote(strconv.Itoa(version))} }

// learningFixture is one of every skills and learning object in a fixture's
// organization, made through the API by its owner.
type learningFixture struct {
	skill       learning.Skill
	role        learning.RoleProfile
	requirement learning.Requirement
	assessment  learning.Assessment
	program     learning.Program
	enrollment  learning.Enrollment
	objective   app.LearningObjectiveResult
	mentorship  learning.Mentorship
	feedback    learning.Feedback
}

// newLearningFixture fills f's organization: a skill the team requires at
// level 3, the member assessed at 2 by the owner (the team's lead) and
// enrolled in a program teaching level 3, a role profile the member holds,
// the member's learning objective to reach 3 for the key result, the owner
// mentoring the member and telling them so. Names carry marker, as
// newFixture's do.
func (e *env) newLearningFixture(tb testing.TB, f *fixture, marker string) *learningFixture {
	tb.Helper()
	l := &learningFixture{}
	e.send(tb, 201, "POST", "/api/v1/skills", f.token, obj{"name": "Negotiation " + marker, "category": "people"}, &l.skill)
	e.send(tb, 201, "POST", "/api/v1/roles", f.token, obj{"name": "Agent " + marker, "holder_ids": []string{f.memberID}}, &l.role)
	e.send(tb, 201, "POST", "/api/v1/skill-requirements", f.token, obj{"subject": obj{"type": "team", "id": f.team.ID},
		"skill_id": l.skill.ID, "level": 3, "headcount": 2}, &l.requirement)
	e.send(tb, 201, "POST", "/api/v1/assessments", f.token, obj{"user_id": f.memberID, "skill_id": l.skill.ID, "level": 2,
		"source": "manager", "evidence": obj{"note": "seen by " + marker}}, &l.assessment)
	e.send(tb, 201, "POST", "/api/v1/programs", f.token, obj{"title": "Course " + marker, "kind": "course",
		"external_id": "urn:course:" + marker, "skills": []obj{{"skill_id": l.skill.ID, "level": 3}}, "pass_mark": 80}, &l.program)
	e.send(tb, 201, "POST", "/api/v1/learning-objectives", f.token, obj{"user_id": f.memberID, "skill_id": l.skill.ID, "target_level": 3,
		"requirement_id": l.requirement.ID, "key_result_id": f.keyResult.ID, "program_ids": []string{l.program.ID},
		"note": "for " + marker}, &l.objective)
	e.send(tb, 201, "POST", "/api/v1/enrollments", f.token, obj{"user_id": f.memberID, "program_id": l.program.ID,
		"learning_objective_id": l.objective.ID}, &l.enrollment)
	e.send(tb, 201, "POST", "/api/v1/mentorships", f.token, obj{"mentor_id": f.owner.ID, "mentee_id": f.memberID, "skill_id": l.skill.ID,
		"notes": "weekly " + marker}, &l.mentorship)
	e.send(tb, 201, "POST", "/api/v1/feedback", f.token, obj{"to_id": f.memberID, "relation": "manager", "subject_type": "skill",
		"subject_id": l.skill.ID, "body": "Well argued, " + marker}, &l.feedback)
	return l
}

// TestLearningLoop is the loop through the API alone: a support
// team, a skill, a certification, learning key results on the team's
// objective, a requirement, assessments and enrollments; each completion
// moves the key results, the objective's progress and the team's gap by
// itself, each move recorded as a learning check-in.
func TestLearningLoop(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		acme := e.newTenant(t, "Acme", "owner@acme.test")
		owner := acme.token
		post := func(path string, body, out any) {
			t.Helper()
			e.send(t, 201, "POST", "/api/v1"+path, owner, body, out)
		}
		user := func(name string) org.Member {
			t.Helper()
			var m org.Member
			post("/users", obj{"email": name + "@acme.test", "name": name, "role": "member"}, &m)
			return m
		}
		lead, u1, u2, u3 := user("lena"), user("ugo"), user("uma"), user("ulf")
		var umaToken app.NewToken
		post("/tokens", obj{"user_id": u2.ID, "name": "uma", "scopes": []string{"read", "write"}}, &umaToken)

		var support org.Team
		post("/teams", obj{"name": "Support", "lead_ids": []string{lead.ID}, "member_ids": []string{u1.ID, u2.ID, u3.ID}}, &support)
		var skill learning.Skill
		post("/skills", obj{"name": "Conflict resolution", "category": "customer service"}, &skill)
		var cert learning.Program
		post("/programs", obj{"title": "Conflict resolution certification", "kind": "certification", "provider": "Acme Academy",
			"external_id": "https://lms.acme.test/courses/cr-101", "hours": 6, "pass_mark": 80,
			"skills": []obj{{"skill_id": skill.ID, "level": 3}}}, &cert)
		if cert.PassMark == nil || *cert.PassMark != 80 || len(cert.Skills) != 1 || cert.Skills[0].Level != 3 {
			t.Fatalf("program %+v", cert)
		}

		year := time.Now().UTC().Year()
		var period okr.Period
		post("/periods", obj{"name": "This year", "kind": "annual", "start_date": strconv.Itoa(year) + "-01-01",
			"end_date": strconv.Itoa(year) + "-12-31"}, &period)
		e.send(t, 200, "POST", "/api/v1/periods/"+period.ID+"/activate", owner, nil, nil)
		var objective okr.Objective
		post("/objectives", obj{"period_id": period.ID, "title": "Support de-escalates every conflict",
			"owner": obj{"type": "team", "id": support.ID}}, &objective)
		population := obj{"type": "team", "id": support.ID}
		var share, certified okr.KeyResult
		post("/key-results", obj{"objective_id": objective.ID, "title": "Share of the support team certified in conflict resolution",
			"kind": "increase", "unit": "percent", "baseline": 0, "target": 100, "source": "learning",
			"measure": obj{"type": "at_level_share", "skill_id": skill.ID, "level": 3, "population": population}}, &share)
		post("/key-results", obj{"objective_id": objective.ID, "title": "Support agents certified (by certification or assessment)",
			"kind": "increase", "baseline": 0, "target": 4, "source": "learning",
			"measure": obj{"type": "certified_count", "skill_id": skill.ID, "level": 3, "population": population}}, &certified)
		if share.Source != okr.SourceLearning || !json.Valid(share.Measure) {
			t.Fatalf("learning key result %+v", share)
		}
		var req learning.Requirement
		post("/skill-requirements", obj{"subject": obj{"type": "team", "id": support.ID}, "skill_id": skill.ID, "level": 3, "headcount": 3}, &req)
		var plan app.LearningObjectiveResult
		post("/learning-objectives", obj{"team_id": support.ID, "skill_id": skill.ID, "target_level": 3, "requirement_id": req.ID,
			"key_result_id": share.ID, "program_ids": []string{cert.ID}, "due_date": strconv.Itoa(year) + "-12-01"}, &plan)
		if plan.ObjectiveID != objective.ID || len(plan.Warnings) != 0 {
			t.Errorf("learning objective %+v, want it tied to the objective without warnings", plan)
		}

		// learningCheckIns counts a key result's learning check-ins and returns the newest check-in.
		learningCheckIns := func(k okr.KeyResult) (int, okr.CheckIn) {
			t.Helper()
			var page app.Page[okr.CheckIn]
			e.send(t, 200, "GET", "/api/v1/key-results/"+k.ID+"/check-ins?limit=200", owner, nil, &page)
			n := 0
			for _, c := range page.Items {
				if c.Source == okr.SourceLearning {
					n++
				}
			}
			if len(page.Items) == 0 {
				t.Fatalf("key result %q has no check-in", k.Title)
			}
			return n, page.Items[0]
		}
		type state struct {
			share, certified, progress float64
			supply, shortfall, below   int
			meanDeficit, burden        float64
		}
		last := map[string]int{}
		// expect reads the key results, the objective and the team's gaps and
		// compares them with want; moved says which key results got a new
		// learning check-in since the last look.
		expect := func(step string, want state, moved ...okr.KeyResult) {
			t.Helper()
			for _, c := range []struct {
				k     okr.KeyResult
				value float64
				prog  float64
			}{{share, want.share, want.share / 100}, {certified, want.certified, want.certified / 4}} {
				var got okr.KeyResult
				e.send(t, 200, "GET", "/api/v1/key-results/"+c.k.ID, owner, nil, &got)
				if math.Abs(got.Current-c.value) > 1e-9 || math.Abs(got.Progress-c.prog) > 1e-9 {
					t.Errorf("%s: %q current %v progress %v, want %v and %v", step, c.k.Title, got.Current, got.Progress, c.value, c.prog)
				}
				n, newest := learningCheckIns(c.k)
				if isMoved := containsKR(moved, c.k); isMoved {
					if n != last[c.k.ID]+1 {
						t.Errorf("%s: %q has %d learning check-ins, want %d", step, c.k.Title, n, last[c.k.ID]+1)
					}
					if newest.Source != okr.SourceLearning || math.Abs(newest.Value-c.value) > 1e-9 {
						t.Errorf("%s: %q's newest check-in %+v, want a learning check-in of %v", step, c.k.Title, newest, c.value)
					}
				} else if n != last[c.k.ID] {
					t.Errorf("%s: %q has %d learning check-ins, want still %d", step, c.k.Title, n, last[c.k.ID])
				}
				last[c.k.ID] = n
			}
			var o okr.Objective
			e.send(t, 200, "GET", "/api/v1/objectives/"+objective.ID, owner, nil, &o)
			if math.Abs(o.Progress-want.progress) > 1e-9 {
				t.Errorf("%s: objective progress %v, want %v", step, o.Progress, want.progress)
			}
			var gaps app.GapReport
			e.send(t, 200, "GET", "/api/v1/gaps?scope=team:"+support.ID, owner, nil, &gaps)
			if len(gaps.Items) != 1 {
				t.Fatalf("%s: gaps %+v, want the one requirement", step, gaps.Items)
			}
			g := gaps.Items[0]
			if g.RequirementID != req.ID || g.SkillID != skill.ID || g.RequiredLevel != 3 || g.Headcount != 3 ||
				g.Supply != want.supply || g.Shortfall != want.shortfall || g.Below != want.below ||
				math.Abs(g.MeanDeficit-want.meanDeficit) > 1e-9 || math.Abs(g.Burden-want.burden) > 1e-9 {
				t.Errorf("%s: gap %+v, want %+v", step, g, want)
			}
			if len(g.SuggestedProgramIDs) != 1 || g.SuggestedProgramIDs[0] != cert.ID {
				t.Errorf("%s: suggested programs %v, want the certification", step, g.SuggestedProgramIDs)
			}
		}
		// Created: nobody is at level 3 yet; each key result has its first learning check-in.
		expect("created", state{supply: 0, shortfall: 3, below: 4, meanDeficit: 3, burden: 12}, share, certified)

		// Assessments: Ugo at 3 by his manager (the owner is an admin), Uma at 2 by herself.
		var a1 learning.Assessment
		post("/assessments", obj{"user_id": u1.ID, "skill_id": skill.ID, "level": 3, "source": "manager"}, &a1)
		e.send(t, 201, "POST", "/api/v1/assessments", umaToken.Secret, obj{"user_id": u2.ID, "skill_id": skill.ID, "level": 2, "source": "self"}, nil)
		// Levels 0 (Lena), 3, 2, 0: deficits 3, 1, 3.
		expect("assessed", state{share: 25, progress: 0.125, supply: 1, shortfall: 2, below: 3, meanDeficit: 7.0 / 3, burden: 7}, share)
		if g := e.send(t, 200, "GET", "/api/v1/gaps?scope=team:"+support.ID, owner, nil, nil); !strings.Contains(g.body, `"suggested_mentor_ids":["`+u1.ID+`"]`) {
			t.Errorf("Ugo, at the level, is not suggested as a mentor: %s", g.body)
		}

		// The whole team is enrolled: enrollments alone move nothing.
		var assigned app.TeamAssignment
		post("/teams/"+support.ID+"/enrollments", obj{"program_id": cert.ID, "due_date": strconv.Itoa(year) + "-12-01",
			"learning_objective_id": plan.ID}, &assigned)
		if len(assigned.Enrollments) != 4 || len(assigned.Skipped) != 0 {
			t.Fatalf("team assignment %+v, want four enrollments", assigned)
		}
		enrollment := map[string]learning.Enrollment{}
		for _, en := range assigned.Enrollments {
			if en.Status != learning.Assigned || en.ProgramID != cert.ID || en.DueDate != okr.Date(strconv.Itoa(year)+"-12-01") ||
				en.LearningObjectiveID != plan.ID {
				t.Errorf("enrollment %+v", en)
			}
			enrollment[en.UserID] = en
		}
		e.send(t, 409, "POST", "/api/v1/enrollments", owner, obj{"user_id": u1.ID, "program_id": cert.ID}, nil)
		expect("enrolled", state{share: 25, progress: 0.125, supply: 1, shortfall: 2, below: 3, meanDeficit: 7.0 / 3, burden: 7})

		complete := func(u org.Member, score float64, want learning.EnrollmentStatus, passed bool) {
			t.Helper()
			en := enrollment[u.ID]
			var got learning.Enrollment
			e.send(t, 200, "PATCH", "/api/v1/enrollments/"+en.ID, owner, obj{"status": "completed", "score": score, "hours": 6}, &got, ifMatch(en.Version)...)
			if got.Status != want || got.Passed == nil || *got.Passed != passed || got.Score == nil || *got.Score != score || got.Completed == nil {
				t.Errorf("%s's completion with %v: %+v, want %s, passed %v", u.Name, score, got, want, passed)
			}
			enrollment[u.ID] = got
		}
		// Uma passes (90 ≥ 80): certification at 3 outranks her self-assessment.
		complete(u2, 90, learning.Completed, true)
		expect("Uma passed", state{share: 50, certified: 1, progress: (0.5 + 0.25) / 2, supply: 2, shortfall: 1, below: 2, meanDeficit: 3, burden: 6},
			share, certified)
		var umaSkills userSkills
		e.send(t, 200, "GET", "/api/v1/users/"+u2.ID+"/skills", owner, nil, &umaSkills)
		if len(umaSkills.Items) != 1 || umaSkills.Items[0].EffectiveLevel != 3 || umaSkills.Items[0].Basis == nil ||
			umaSkills.Items[0].Basis.Source != learning.SourceCertification || umaSkills.Items[0].Basis.EnrollmentID != enrollment[u2.ID].ID ||
			len(umaSkills.Items[0].Assessments) != 2 {
			t.Errorf("Uma's skills %+v, want level 3 from the certification, over her self-assessment", umaSkills.Items)
		}

		// Ulf scores 70, under the pass mark: failed, and nothing moves.
		complete(u3, 70, learning.Failed, false)
		expect("Ulf failed", state{share: 50, certified: 1, progress: (0.5 + 0.25) / 2, supply: 2, shortfall: 1, below: 2, meanDeficit: 3, burden: 6})

		// Lena, the lead, passes with 85.
		complete(lead, 85, learning.Completed, true)
		expect("Lena passed", state{share: 75, certified: 2, progress: (0.75 + 0.5) / 2, supply: 3, shortfall: 0, below: 1, meanDeficit: 3, burden: 3},
			share, certified)

		// The L&D numbers of the team: 4 enrollments, 2 passed, 1 failed;
		// scores 90, 70 and 85; 6 hours each for the two completions.
		var stats app.LearningAnalytics
		e.send(t, 200, "GET", "/api/v1/learning-analytics?team_id="+support.ID+"&period_id="+period.ID, owner, nil, &stats)
		tot := stats.Totals
		if tot.Enrollments != 4 || tot.Learners != 4 || tot.Completed != 2 || tot.Passed != 2 || tot.Failed != 1 ||
			math.Abs(tot.CompletionRate-0.5) > 1e-9 || math.Abs(tot.PassRate-2.0/3) > 1e-9 ||
			tot.MeanScore == nil || math.Abs(*tot.MeanScore-245.0/3) > 1e-9 || math.Abs(tot.Hours-12) > 1e-9 {
			t.Errorf("the team's learning totals %+v", tot)
		}
		if len(stats.Effectiveness) != 1 || stats.Effectiveness[0].ProgramID != cert.ID || stats.Effectiveness[0].With.KeyResults != 1 ||
			stats.Effectiveness[0].Without.KeyResults != 0 {
			t.Errorf("effectiveness %+v, want the certification with the shared key result on the passed side", stats.Effectiveness)
		}

		// An assessment made in error is removed, and the key results follow.
		e.send(t, 204, "DELETE", "/api/v1/assessments/"+a1.ID, owner, nil, nil)
		expect("Ugo's assessment removed", state{share: 50, certified: 2, progress: (0.5 + 0.5) / 2, supply: 2, shortfall: 1, below: 2, meanDeficit: 3, burden: 6},
			share)

		// Ulf leaves the team: the population shrinks to three, two of them at level 3.
		var team org.Team
		e.send(t, 200, "GET", "/api/v1/teams/"+support.ID, owner, nil, &team)
		e.send(t, 200, "PATCH", "/api/v1/teams/"+support.ID, owner, obj{"member_ids": []string{u1.ID, u2.ID}}, nil, ifMatch(team.Version)...)
		expect("Ulf left", state{share: 200.0 / 3, certified: 2, progress: (2.0/3 + 0.5) / 2, supply: 2, shortfall: 1, below: 1, meanDeficit: 3, burden: 3},
			share)
	})
}

func containsKR(ks []okr.KeyResult, k okr.KeyResult) bool {
	for _, x := range ks {
		if x.ID == k.ID {
			return true
		}
	}
	return false
}

// TestLearningIdempotency retries creations with an Idempotency-Key: the
// retry answers the first result and creates nothing; the same key with
// another body is a 409.
func TestLearningIdempotency(t *testing.T) {
	e := newEnv(t)
	f := e.newFixture(t, "Acme", "owner@acme.test", "alpha")
	l := e.newLearningFixture(t, f, "alpha")
	var first, again learning.Skill
	e.send(t, 201, "POST", "/api/v1/skills", f.token, obj{"name": "Coaching"}, &first, "Idempotency-Key", "skill-1")
	e.send(t, 201, "POST", "/api/v1/skills", f.token, obj{"name": "Coaching"}, &again, "Idempotency-Key", "skill-1")
	if first.ID == "" || again.ID != first.ID {
		t.Errorf("retried skill %s, first %s", again.ID, first.ID)
	}
	e.send(t, 409, "POST", "/api/v1/skills", f.token, obj{"name": "Mentoring"}, nil, "Idempotency-Key", "skill-1")
	var page app.Page[learning.Skill]
	e.send(t, 200, "GET", "/api/v1/skills?q=coaching", f.token, nil, &page)
	if len(page.Items) != 1 {
		t.Errorf("%d skills named Coaching, want 1", len(page.Items))
	}

	var e1, e2 learning.Enrollment
	body := obj{"user_id": f.owner.ID, "program_id": l.program.ID}
	e.send(t, 201, "POST", "/api/v1/enrollments", f.token, body, &e1, "Idempotency-Key", "enroll-1")
	e.send(t, 201, "POST", "/api/v1/enrollments", f.token, body, &e2, "Idempotency-Key", "enroll-1")
	if e2.ID != e1.ID || e2.Version != e1.Version {
		t.Errorf("retried enrollment %+v, first %+v", e2, e1)
	}
	var a1, a2 learning.Assessment
	as := obj{"user_id": f.memberID, "skill_id": l.skill.ID, "level": 3, "source": "peer"}
	e.send(t, 201, "POST", "/api/v1/assessments", f.token, as, &a1, "Idempotency-Key", "assess-1")
	e.send(t, 201, "POST", "/api/v1/assessments", f.token, as, &a2, "Idempotency-Key", "assess-1")
	var skills userSkills
	e.send(t, 200, "GET", "/api/v1/users/"+f.memberID+"/skills", f.token, nil, &skills)
	if a2.ID != a1.ID || len(skills.Items) != 1 || len(skills.Items[0].Assessments) != 2 {
		t.Errorf("retried assessment %s (first %s); the member's skills %+v, want the fixture's and one peer assessment", a2.ID, a1.ID, skills.Items)
	}
}

// userSkills is the answer of GET /users/{id}/skills.
type userSkills struct {
	Items []app.UserSkill `json:"items"`
}
