package demo

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// escoSkills is a small ESCO skills export (skills_en.csv): customer
// service, conflict resolution, scheduling and Agile project management. It
// is a copy of the sample the learning package's tests read.
//
//go:embed data/esco_skills.csv
var escoSkills []byte

// learner seeds the learning side of the demo on top of the OKRs. It needs
// the people, teams and objectives, and runs before the weekly check-ins:
// its history ends before the latest week's check-ins, which thus stay the
// latest on every objective.
type learner struct {
	*seeder
	skills     map[string]string           // name → id
	roles      map[string]string           // name → id
	programs   map[string]learning.Program // key → program
	reqs       map[string]string           // requirement key → id
	keyResults map[string]okr.KeyResult    // learning key result key → key result
	plans      map[string]string           // learning objective key → id
	// enrollments holds each person's latest enrollment per program.
	enrollments map[[2]string]learning.Enrollment // {person key, program key}
	// admins are the admins acting with the admin scope, for the catalog.
	admins map[string]org.Actor
}

// learning adds skills (ESCO and custom), role profiles, requirements,
// assessments, the catalog, learning key results and a quarter of learning
// history: the loop from key results to skills to learning and back.
func (s *seeder) learning() error {
	l := &learner{seeder: s, skills: map[string]string{}, roles: map[string]string{}, programs: map[string]learning.Program{},
		reqs: map[string]string{}, keyResults: map[string]okr.KeyResult{}, plans: map[string]string{},
		enrollments: map[[2]string]learning.Enrollment{}, admins: map[string]org.Actor{ownerKey: s.owner}}
	steps := []struct {
		what string
		run  func() error
	}{
		{"administrators", l.seedAdmins},
		{"skills", l.seedSkills},
		{"role profiles", l.seedRoles},
		{"programs", l.seedPrograms},
		{"requirements", l.seedRequirements},
		{"assessments", l.seedAssessments},
		{"key results", l.seedKeyResults},
		{"history", l.seedHistory},
		{"check-ins", l.seedCheckIns},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
	}
	return nil
}

// seedAdmins gives the admins who keep the catalog an admin-scoped token,
// revoked with the other seed tokens at the end.
func (l *learner) seedAdmins() error {
	l.startAt(at(l.cal.qStart.AddDate(0, 0, 1), 14, 0))
	for _, p := range programs {
		if _, ok := l.admins[p.author]; ok {
			continue
		}
		l.tick()
		tk, err := l.a.CreateToken(l.ctx, l.owner, app.TokenInput{UserID: l.users[p.author], Name: "okra demo seed (catalog)",
			Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite, org.ScopeAdmin}}, "")
		if err != nil {
			return fmt.Errorf("%s: %w", p.author, err)
		}
		l.tokens = append(l.tokens, tk.ID)
		if l.admins[p.author], err = l.act(tk.Secret); err != nil {
			return err
		}
	}
	return nil
}

// seedSkills imports the ESCO sample, adds the custom skills and checks that
// every skill the learning content names exists.
func (l *learner) seedSkills() error {
	l.tick()
	esco, err := learning.ParseESCO(bytes.NewReader(escoSkills))
	if err != nil {
		return fmt.Errorf("the ESCO sample: %w", err)
	}
	if _, err := l.a.ImportSkills(l.ctx, l.owner, learning.FrameworkESCO, esco, "", false); err != nil {
		return err
	}
	for _, sk := range customSkills {
		l.tick()
		if _, err := l.a.CreateSkill(l.ctx, l.owner, app.SkillInput{Name: sk.name, Description: sk.description,
			Category: sk.category, ScaleID: sk.scaleID}, ""); err != nil {
			return fmt.Errorf("%s: %w", sk.name, err)
		}
	}
	all, err := l.a.AllSkills(l.ctx, l.owner)
	if err != nil {
		return err
	}
	for _, sk := range all {
		l.skills[sk.Name] = sk.ID
	}
	for _, name := range skillsNamed() {
		if l.skills[name] == "" {
			return fmt.Errorf("no skill %q: neither in the ESCO sample nor a custom one", name)
		}
	}
	return nil
}

// skillsNamed lists every skill the learning content refers to.
func skillsNamed() []string {
	var out []string
	for _, r := range roles {
		for _, n := range r.needs {
			out = append(out, n.skill)
		}
	}
	for _, r := range requirements {
		out = append(out, r.skill)
	}
	for _, a := range assessments {
		out = append(out, a.skill)
	}
	for _, p := range programs {
		for _, t := range p.skills {
			out = append(out, t.skill)
		}
	}
	for _, k := range learningKRs {
		if k.skill != "" {
			out = append(out, k.skill)
		}
	}
	for _, o := range learningObjectives {
		out = append(out, o.skill)
	}
	for _, st := range history {
		if st.skill != "" {
			out = append(out, st.skill)
		}
	}
	return out
}

func (l *learner) requirementInput(subject learning.Subject, n need) app.RequirementInput {
	essential := !n.optional
	return app.RequirementInput{Subject: subject, SkillID: l.skills[n.skill], Level: n.level, Headcount: &n.headcount,
		Essential: &essential}
}

func (l *learner) seedRoles() error {
	for _, r := range roles {
		l.tick()
		role, err := l.a.CreateRole(l.ctx, l.owner, app.RoleInput{Name: r.name, Description: r.description,
			HolderIDs: l.userIDs(r.holders)}, "")
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		l.roles[r.name] = role.ID
		for _, n := range r.needs {
			l.tick()
			in := l.requirementInput(learning.Subject{Type: learning.SubjectRole, ID: role.ID}, n)
			if _, err := l.a.CreateRequirement(l.ctx, l.owner, in, ""); err != nil {
				return fmt.Errorf("%s needs %s: %w", r.name, n.skill, err)
			}
		}
	}
	return nil
}

func (l *learner) seedPrograms() error {
	for _, p := range programs {
		in := app.ProgramInput{Title: p.title, Description: p.description, Kind: p.kind, Provider: p.provider,
			ExternalID: p.externalID, URL: p.url, Hours: &p.hours}
		if p.cost != "" {
			in.Cost = &okr.Money{Amount: p.cost, Currency: "EUR"}
		}
		if p.passMark != 0 {
			in.PassMark = &p.passMark
		}
		for _, t := range p.skills {
			in.Skills = append(in.Skills, learning.TaughtSkill{SkillID: l.skills[t.skill], Level: t.level})
		}
		l.tick()
		created, err := l.a.CreateProgram(l.ctx, l.admins[p.author], in, "")
		if err != nil {
			return fmt.Errorf("%s: %w", p.title, err)
		}
		l.programs[p.key] = created
	}
	return nil
}

// subject resolves a requirement's subject or a measure's population.
func (l *learner) subject(ref subjectRef) (learning.Subject, error) {
	sub := learning.Subject{Type: ref.typ}
	switch ref.typ {
	case learning.SubjectTeam:
		sub.ID = l.teams[ref.key]
	case learning.SubjectRole:
		sub.ID = l.roles[ref.key]
	case learning.SubjectObjective:
		sub.ID = l.objectives[ref.key].ID
	case learning.SubjectKeyResult:
		if st := l.krs[ref.key]; st != nil {
			sub.ID = st.kr.ID
		}
	}
	if sub.ID == "" {
		return sub, fmt.Errorf("no %s %q in the demo", ref.typ, ref.key)
	}
	return sub, nil
}

func (l *learner) seedRequirements() error {
	for _, r := range requirements {
		sub, err := l.subject(r.subject)
		if err != nil {
			return err
		}
		l.tick()
		req, err := l.a.CreateRequirement(l.ctx, l.actors[r.actor], l.requirementInput(sub, r.need), "")
		if err != nil {
			return fmt.Errorf("%s %s needs %s: %w", r.subject.typ, r.subject.key, r.skill, err)
		}
		if r.key != "" {
			l.reqs[r.key] = req.ID
		}
	}
	return nil
}

func (l *learner) seedAssessments() error {
	for _, as := range assessments {
		in := app.AssessmentInput{UserID: l.users[as.who], SkillID: l.skills[as.skill], Level: as.level, Source: as.source,
			Evidence: learning.Evidence{Note: as.note}, Date: date(l.cal.qStart.AddDate(0, 0, -as.daysBefore))}
		l.tick()
		if _, err := l.a.CreateAssessment(l.ctx, l.actors[as.by], in, ""); err != nil {
			return fmt.Errorf("%s in %s: %w", as.who, as.skill, err)
		}
	}
	return nil
}

// seedKeyResults adds the learning key results; each records its first
// value as a learning check-in.
func (l *learner) seedKeyResults() error {
	for _, k := range learningKRs {
		pop, err := l.subject(k.population)
		if err != nil {
			return err
		}
		m := learning.Measure{Type: k.measure, ProgramID: l.programs[k.program].ID, SkillID: l.skills[k.skill], Level: k.level,
			Population: learning.Population{Type: learning.PopulationType(pop.Type), ID: pop.ID}}
		raw, err := json.Marshal(m)
		if err != nil {
			return err
		}
		in := app.KeyResultInput{ObjectiveID: l.objectives[k.objective].ID, Title: k.title, OwnerID: l.users[k.owner],
			Kind: okr.Increase, Unit: k.unit, Baseline: &k.baseline, Target: &k.target, Indicator: okr.Leading,
			Source: okr.SourceLearning, Measure: raw}
		l.tick()
		kr, err := l.a.CreateKeyResult(l.ctx, l.actors[k.owner], in, "")
		if err != nil {
			return fmt.Errorf("%q: %w", k.title, err)
		}
		l.keyResults[k.key] = kr
	}
	return nil
}

// moments places the history's steps in time: step i at its share of the
// weeks between the quarter's third day and the latest weekly check-in, on
// a weekday between 10:00 and 17:00, strictly in order. Every step falls
// before the latest check-ins, so those stay the latest writes.
func (l *learner) moments() []time.Time {
	start := l.cal.qStart.AddDate(0, 0, 2)
	end := l.cal.slots[len(l.cal.slots)-1]
	span := end.Sub(start)
	out := make([]time.Time, len(history))
	var prev time.Time
	for i, st := range history {
		t := start.Add(time.Duration(st.at * float64(span)))
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, l.cal.loc)
		switch day.Weekday() {
		case time.Saturday:
			day = day.AddDate(0, 0, -1)
		case time.Sunday:
			day = day.AddDate(0, 0, -2)
		}
		if day.Before(start) {
			day = start
		}
		// The hour of t, squeezed into the working day.
		within := t.Sub(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, l.cal.loc))
		m := at(day, 10, 0).Add(within * 7 / 24).Truncate(time.Minute)
		if !m.After(prev) {
			m = prev.Add(4 * time.Minute)
		}
		out[i], prev = m, m
	}
	return out
}

func (l *learner) seedHistory() error {
	for i, t := range l.moments() {
		st := &history[i]
		l.clock.Set(t)
		if err := l.step(st); err != nil {
			return fmt.Errorf("step %d at %s (%s %s %s): %w", i, t.Format(time.RFC3339), st.actor, st.who, st.program, err)
		}
	}
	return nil
}

// enrollment is a person's latest enrollment in a program.
func (l *learner) enrollment(who, program string) (learning.Enrollment, error) {
	e, ok := l.enrollments[[2]string{who, program}]
	if !ok {
		return e, fmt.Errorf("%s is not enrolled in %q", who, program)
	}
	return e, nil
}

// update changes a person's latest enrollment in a program, acting as actor.
func (l *learner) update(actor, who, program string, in app.EnrollmentUpdate) error {
	e, err := l.enrollment(who, program)
	if err != nil {
		return err
	}
	e, err = l.a.UpdateEnrollment(l.ctx, l.actors[actor], e.ID, &e.Version, in)
	if err != nil {
		return err
	}
	l.enrollments[[2]string{who, program}] = e
	return nil
}

func (l *learner) step(st *stepSpec) error {
	actor := l.actors[st.actor]
	program := l.programs[st.program]
	var hours *float64
	if st.hours != 0 {
		hours = &st.hours
	}
	switch st.verb {
	case plan:
		return l.plan(st.lo)
	case assignTeam:
		res, err := l.a.AssignToTeam(l.ctx, actor, app.TeamAssignmentInput{TeamID: l.teams[st.team], ProgramID: program.ID,
			DueDate: l.day(st.dueDays), LearningObjectiveID: l.plans[st.lo]}, "")
		if err != nil {
			return err
		}
		for _, e := range res.Enrollments {
			l.enrollments[[2]string{l.personKey(e.UserID), st.program}] = e
		}
		return nil
	case enroll:
		in := app.EnrollmentInput{UserID: l.users[st.who], ProgramID: program.ID, LearningObjectiveID: l.plans[st.lo]}
		if st.dueDays != 0 {
			in.DueDate = l.day(st.dueDays)
		}
		e, err := l.a.Enroll(l.ctx, actor, in, "")
		if err != nil {
			return err
		}
		l.enrollments[[2]string{st.who, st.program}] = e
		return nil
	case progress:
		status := learning.InProgress
		return l.update(st.who, st.who, st.program, app.EnrollmentUpdate{Status: &status, Progress: &st.value, Hours: hours})
	case finish:
		status := learning.Completed
		return l.update(st.who, st.who, st.program, app.EnrollmentUpdate{Status: &status, Hours: hours})
	case result:
		status := learning.Completed // below the pass mark, the app records a failure
		return l.update(st.actor, st.who, st.program, app.EnrollmentUpdate{Status: &status, Score: &st.value, Hours: hours})
	case rate:
		return l.update(st.who, st.who, st.program, app.EnrollmentUpdate{Feedback: &learning.LearnerFeedback{Rating: st.level, Text: st.text}})
	case assess:
		_, err := l.a.CreateAssessment(l.ctx, actor, app.AssessmentInput{UserID: l.users[st.who], SkillID: l.skills[st.skill],
			Level: st.level, Source: st.source}, "")
		return err
	case pair:
		_, err := l.a.CreateMentorship(l.ctx, actor, app.MentorshipInput{MentorID: l.users[st.mentor], MenteeID: l.users[st.who],
			SkillID: l.skills[st.skill], Notes: st.text}, "")
		return err
	case tell:
		in := app.FeedbackInput{ToID: l.users[st.who], Relation: st.relation, Body: st.text, Visibility: st.visibility}
		switch {
		case st.program != "":
			e, err := l.enrollment(st.who, st.program)
			if err != nil {
				return err
			}
			in.SubjectType, in.SubjectID = app.FeedbackAboutEnrollment, e.ID
		case st.skill != "":
			in.SubjectType, in.SubjectID = app.FeedbackAboutSkill, l.skills[st.skill]
		}
		_, err := l.a.GiveFeedback(l.ctx, actor, in, "")
		return err
	}
	return fmt.Errorf("unknown step %d", st.verb)
}

// plan sets a learning objective.
func (l *learner) plan(key string) error {
	for _, o := range learningObjectives {
		if o.key != key {
			continue
		}
		in := app.LearningObjectiveInput{UserID: l.users[o.user], TeamID: l.teams[o.team], SkillID: l.skills[o.skill],
			TargetLevel: o.level, DueDate: l.day(o.dueDays), RequirementID: l.reqs[o.requirement],
			KeyResultID: l.keyResults[o.keyResult].ID, Note: o.note}
		for _, p := range o.programs {
			in.ProgramIDs = append(in.ProgramIDs, l.programs[p].ID)
		}
		created, err := l.a.CreateLearningObjective(l.ctx, l.actors[o.actor], in, "")
		if err != nil {
			return fmt.Errorf("learning objective %s: %w", key, err)
		}
		l.plans[key] = created.ID
		return nil
	}
	return fmt.Errorf("no learning objective %q", key)
}

// personKey is the content key of a user id.
func (l *learner) personKey(userID string) string {
	for k, id := range l.users {
		if id == userID {
			return k
		}
	}
	return userID
}

// seedCheckIns adds each learning key result's owner's judgment at the
// latest weekly check-in, just before the others check in: confidence and
// status, as the value comes from the learning records.
func (l *learner) seedCheckIns() error {
	last := l.cal.slots[len(l.cal.slots)-1]
	for i, k := range learningKRs {
		l.clock.Set(at(last, 8, 30).Add(time.Duration(i) * 5 * time.Minute))
		in := app.CheckInInput{Confidence: k.confidence, Status: k.status, Note: k.note}
		if _, err := l.a.CheckIn(l.ctx, l.actors[k.owner], l.keyResults[k.key].ID, in, ""); err != nil {
			return fmt.Errorf("%q: %w", k.title, err)
		}
	}
	return nil
}
