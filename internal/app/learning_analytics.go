package app

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// AnalyticsQuery narrows learning analytics; zero fields cover everything.
type AnalyticsQuery struct {
	// PeriodID keeps the enrollments completed (or, not completed, created)
	// within the period's dates, the requirements of its objectives, and the
	// key results of its objectives.
	PeriodID string
	// TeamID keeps a team with its sub-teams: their people's enrollments,
	// the team's requirements and the key results their people carry.
	TeamID string
}

// LearningAnalytics is the data of the L&D dashboard (DESIGN §4 "Learning
// analytics"): completion, scores and ratings by program and team, skill
// coverage over time, and program effectiveness.
type LearningAnalytics struct {
	Period   *AnalyticsPeriod   `json:"period,omitempty" doc:"The period asked for, with its dates."`
	TeamID   string             `json:"team_id,omitempty"`
	Totals   AnalyticsTotals    `json:"totals"`
	Programs []ProgramAnalytics `json:"programs" doc:"Each program of the catalog (archived ones when they have enrollments), by title."`
	Teams    []TeamAnalytics    `json:"teams" doc:"Each top-level team (or the team asked for), followed by its sub-teams, depth first by name."`
	// Coverage is the share of requirement seats met at monthly dates.
	Coverage []learning.CoveragePoint `json:"coverage" doc:"The share of requirement seats met (min(headcount, supply) over headcount, summed over the requirements in scope, each measured against its subject's people as they are today) at the end of each of the last 12 months and today, or across the period."`
	// Effectiveness compares key results whose people passed a program with those whose people did not.
	Effectiveness []ProgramEffect `json:"effectiveness" doc:"For each program chosen by a learning objective that serves a key result: the progress of those key results whose people include someone who passed the program, against those whose people do not. A difference, never a cause."`
}

// AnalyticsPeriod is the period learning analytics cover.
type AnalyticsPeriod struct {
	ID   string   `json:"id"`
	Name string   `json:"name"`
	From okr.Date `json:"from"`
	To   okr.Date `json:"to"`
}

// AnalyticsTotals sums up every enrollment in scope.
type AnalyticsTotals struct {
	Enrollments    int      `json:"enrollments"`
	Learners       int      `json:"learners" doc:"Distinct people enrolled."`
	InProgress     int      `json:"in_progress"`
	Completed      int      `json:"completed"`
	Passed         int      `json:"passed"`
	Failed         int      `json:"failed"`
	Withdrawn      int      `json:"withdrawn"`
	CompletionRate float64  `json:"completion_rate" doc:"completed ÷ (enrollments − withdrawn), 0–1."`
	PassRate       float64  `json:"pass_rate" doc:"passed ÷ (completed + failed), 0–1."`
	MeanScore      *float64 `json:"mean_score" doc:"Over the completed and failed enrollments with a score; null when none has one."`
	Hours          float64  `json:"hours" doc:"Learning hours of the completed enrollments (their own, else the program's)."`
	MeanRating     *float64 `json:"mean_rating" doc:"The learners' mean rating, 1–5; null when nobody rated."`
	Ratings        int      `json:"ratings"`
}

// ProgramAnalytics is a program's enrollments summed up.
type ProgramAnalytics struct {
	learning.ProgramStats
	Title    string               `json:"title"`
	Kind     learning.ProgramKind `json:"kind"`
	Archived bool                 `json:"archived"`
}

// TeamAnalytics is the enrollments of a team's people (with its sub-teams) summed up.
type TeamAnalytics struct {
	TeamID   string `json:"team_id"`
	Name     string `json:"name"`
	ParentID string `json:"parent_id,omitempty"`
	Depth    int    `json:"depth" doc:"0 for a top-level team (or the team asked for), 1 for its sub-teams, and so on."`
	People   int    `json:"people" doc:"Active members and leads of the team and its sub-teams."`
	learning.ProgramStats
}

// ProgramEffect is a program's effectiveness with its title.
type ProgramEffect struct {
	learning.Effect
	Title string `json:"title"`
}

// LearningAnalytics computes the L&D dashboard's numbers. Any member may
// read them: they are aggregates. Key results the actor may not see are
// left out of effectiveness.
func (a *App) LearningAnalytics(ctx context.Context, actor org.Actor, q AnalyticsQuery) (LearningAnalytics, error) {
	res := LearningAnalytics{TeamID: q.TeamID, Programs: []ProgramAnalytics{}, Teams: []TeamAnalytics{},
		Coverage: []learning.CoveragePoint{}, Effectiveness: []ProgramEffect{}}
	if err := requireRead(actor); err != nil {
		return res, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		day := today(tx, o)
		ppl := newPeople(ctx, tx, actor.OrgID)
		var f errs.Fields
		var period *okr.Period
		if q.PeriodID != "" {
			p, err := tx.GetPeriod(ctx, actor.OrgID, q.PeriodID)
			if errs.Is(err, errs.NotFound) {
				f.Add("period_id", "no period %s in this organization", q.PeriodID)
			} else if err != nil {
				return err
			} else {
				period = &p
				res.Period = &AnalyticsPeriod{ID: p.ID, Name: p.Name, From: p.StartDate, To: p.EndDate}
			}
		}
		var teamPeople []string // nil: everyone
		if q.TeamID != "" {
			teamPeople, err = ppl.team(q.TeamID)
			teamPeople = nonNil(teamPeople)
			if errs.Is(err, errs.NotFound) {
				f.Add("team_id", "no team %s in this organization", q.TeamID)
			} else if err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}

		programs, err := tx.ListPrograms(ctx, actor.OrgID, learning.ProgramFilter{IncludeArchived: true})
		if err != nil {
			return err
		}
		byID := make(map[string]learning.Program, len(programs))
		for _, p := range programs {
			byID[p.ID] = p
		}
		all, err := tx.ListEnrollments(ctx, actor.OrgID, learning.EnrollmentFilter{})
		if err != nil {
			return err
		}
		inScope := all
		if teamPeople != nil {
			inScope = slices.DeleteFunc(slices.Clone(all), func(e learning.Enrollment) bool { return !slices.Contains(teamPeople, e.UserID) })
		}
		if period != nil {
			from, to, err := periodBounds(*period, o.Location())
			if err != nil {
				return err
			}
			inScope = learning.EnrollmentsBetween(inScope, from, to)
		}

		res.Totals = analyticsTotals(inScope, byID)
		enrolled := map[string]bool{}
		for _, e := range inScope {
			enrolled[e.ProgramID] = true
		}
		shown := slices.DeleteFunc(slices.Clone(programs), func(p learning.Program) bool { return p.Archived && !enrolled[p.ID] })
		for i, s := range learning.ProgramAnalytics(shown, inScope) {
			p := shown[i]
			res.Programs = append(res.Programs, ProgramAnalytics{ProgramStats: s, Title: p.Title, Kind: p.Kind, Archived: p.Archived})
		}

		if res.Teams, err = teamAnalytics(ctx, tx, actor.OrgID, ppl, q.TeamID, inScope, byID); err != nil {
			return err
		}
		if res.Coverage, err = coverage(ctx, tx, actor, o, ppl, q, period, day); err != nil {
			return err
		}
		res.Effectiveness, err = effectiveness(ctx, tx, actor, ppl, programs, all, period, teamPeople)
		return err
	})
	return res, err
}

// periodBounds returns the first and the last instant of a period's dates in loc.
func periodBounds(p okr.Period, loc *time.Location) (time.Time, time.Time, error) {
	from, err := p.StartDate.Time(loc)
	if err != nil {
		return from, from, err
	}
	end, err := p.EndDate.Time(loc)
	if err != nil {
		return from, end, err
	}
	return from, end.AddDate(0, 0, 1).Add(-time.Nanosecond), nil
}

// analyticsTotals sums up every enrollment given.
func analyticsTotals(es []learning.Enrollment, programs map[string]learning.Program) AnalyticsTotals {
	var learners []string
	for _, e := range es {
		learners = append(learners, e.UserID)
	}
	groups := learning.GroupAnalytics(map[string][]string{"": learners}, es, programs)
	g := groups[0]
	s := g.ProgramStats
	return AnalyticsTotals{Enrollments: s.Enrolled, Learners: g.People, InProgress: s.InProgress, Completed: s.Completed,
		Passed: s.Passed, Failed: s.Failed, Withdrawn: s.Withdrawn, CompletionRate: s.CompletionRate, PassRate: s.PassRate,
		MeanScore: s.MeanScore, Hours: s.Hours, MeanRating: s.MeanRating, Ratings: s.Ratings}
}

// teamAnalytics sums up the enrollments of each team's people (the team with
// its sub-teams), listing each top-level team (or the one asked for) and then
// its sub-teams, depth first by name.
func teamAnalytics(ctx context.Context, tx Tx, orgID string, ppl *people, rootID string, es []learning.Enrollment,
	programs map[string]learning.Program) ([]TeamAnalytics, error) {
	teams, err := tx.ListTeams(ctx, orgID)
	if err != nil {
		return nil, err
	}
	byID := map[string]org.Team{}
	for _, t := range teams {
		byID[t.ID] = t
	}
	kids := map[string][]org.Team{}
	for _, t := range teams {
		parent := t.ParentID
		if _, ok := byID[parent]; !ok {
			parent = ""
		}
		kids[parent] = append(kids[parent], t)
	}
	for _, ts := range kids {
		slices.SortFunc(ts, func(a, b org.Team) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	}
	type placed struct {
		team  org.Team
		depth int
	}
	var order []placed
	seen := map[string]bool{}
	var walk func(t org.Team, depth int)
	walk = func(t org.Team, depth int) {
		if seen[t.ID] {
			return
		}
		seen[t.ID] = true
		order = append(order, placed{t, depth})
		for _, k := range kids[t.ID] {
			walk(k, depth+1)
		}
	}
	if rootID != "" {
		walk(byID[rootID], 0)
	} else {
		for _, t := range kids[""] {
			walk(t, 0)
		}
	}
	groups := map[string][]string{}
	for _, p := range order {
		members, err := ppl.team(p.team.ID)
		if err != nil {
			return nil, err
		}
		groups[p.team.ID] = members
	}
	stats := map[string]learning.GroupStats{}
	for _, g := range learning.GroupAnalytics(groups, es, programs) {
		stats[g.Key] = g
	}
	out := make([]TeamAnalytics, 0, len(order))
	for _, p := range order {
		g := stats[p.team.ID]
		out = append(out, TeamAnalytics{TeamID: p.team.ID, Name: p.team.Name, ParentID: p.team.ParentID, Depth: p.depth,
			People: g.People, ProgramStats: g.ProgramStats})
	}
	return out, nil
}

// coverageDates are the dates coverage is measured on: the end of each of
// the 12 months before this one and today; or, for a period, its start, the
// end of each month inside it and its end, none after today (then today).
func coverageDates(day okr.Date, period *okr.Period) ([]okr.Date, error) {
	now, err := time.Parse(okr.DateLayout, string(day))
	if err != nil {
		return nil, err
	}
	date := func(t time.Time) okr.Date { return okr.Date(t.Format(okr.DateLayout)) }
	monthEnd := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	}
	var out []okr.Date
	if period == nil {
		first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		for i := 12; i >= 1; i-- {
			out = append(out, date(first.AddDate(0, -i+1, -1)))
		}
		return append(out, day), nil
	}
	start, err := time.Parse(okr.DateLayout, string(period.StartDate))
	if err != nil {
		return nil, err
	}
	end, err := time.Parse(okr.DateLayout, string(period.EndDate))
	if err != nil {
		return nil, err
	}
	add := func(d okr.Date) {
		if d <= day && d >= period.StartDate && d <= period.EndDate && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	add(period.StartDate)
	for t := monthEnd(start); !t.After(end); t = monthEnd(t.AddDate(0, 0, 1)) {
		add(date(t))
	}
	add(period.EndDate)
	if period.StartDate <= day && day < period.EndDate {
		add(day)
	}
	slices.Sort(out)
	return out, nil
}

// coverage measures the share of requirement seats met over time: the
// organization's requirements (or a team's), each against its subject's people.
func coverage(ctx context.Context, tx Tx, actor org.Actor, o org.Organization, ppl *people, q AnalyticsQuery,
	period *okr.Period, day okr.Date) ([]learning.CoveragePoint, error) {
	dates, err := coverageDates(day, period)
	if err != nil || len(dates) == 0 {
		return []learning.CoveragePoint{}, err
	}
	scope := "org"
	if q.TeamID != "" {
		scope = "team:" + q.TeamID
	}
	reqs, err := scopeRequirements(ctx, tx, newAccess(ctx, tx, actor), GapQuery{Scope: scope, PeriodID: q.PeriodID})
	if err != nil {
		return nil, err
	}
	var scoped []learning.ScopedRequirement
	var skills []string
	for _, r := range reqs {
		who, err := ppl.subject(r.Subject)
		if errs.Is(err, errs.NotFound) {
			continue // its subject is gone
		}
		if err != nil {
			return nil, err
		}
		scoped = append(scoped, learning.ScopedRequirement{Requirement: r, People: who})
		if !slices.Contains(skills, r.SkillID) {
			skills = append(skills, r.SkillID)
		}
	}
	var as []learning.Assessment
	if len(skills) > 0 {
		if as, err = tx.ListAssessments(ctx, actor.OrgID, learning.AssessmentFilter{SkillIDs: skills}); err != nil {
			return nil, err
		}
	}
	return learning.Coverage(scoped, as, dates, o.Settings.SkillDecayDays), nil
}

// effectiveness compares, for each program chosen by a learning objective
// that serves a key result, the key results whose people passed it with
// those whose people did not. Key results the actor may not see, of another
// period than the one asked for, or carried by nobody of the team asked for
// are left out.
func effectiveness(ctx context.Context, tx Tx, actor org.Actor, ppl *people, programs []learning.Program,
	enrollments []learning.Enrollment, period *okr.Period, teamPeople []string) ([]ProgramEffect, error) {
	los, err := tx.ListLearningObjectives(ctx, actor.OrgID, learning.LearningObjectiveFilter{})
	if err != nil {
		return nil, err
	}
	served := map[string][]string{} // program id → key result ids
	for _, l := range los {
		if l.KeyResultID == "" {
			continue
		}
		for _, pid := range l.ProgramIDs {
			if !slices.Contains(served[pid], l.KeyResultID) {
				served[pid] = append(served[pid], l.KeyResultID)
			}
		}
	}
	v := newAccess(ctx, tx, actor)
	carried := map[string]*learning.KeyResultPeople{} // nil: left out
	keyResult := func(id string) (*learning.KeyResultPeople, error) {
		if kp, ok := carried[id]; ok {
			return kp, nil
		}
		carried[id] = nil
		k, obj, err := v.keyResult(id)
		if errs.Is(err, errs.NotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if period != nil && obj.PeriodID != period.ID {
			return nil, nil
		}
		who, err := ppl.owner(obj.Owner)
		if errs.Is(err, errs.NotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if teamPeople != nil && !slices.ContainsFunc(who, func(id string) bool { return slices.Contains(teamPeople, id) }) {
			return nil, nil
		}
		kp := &learning.KeyResultPeople{KeyResultID: k.ID, Progress: k.Progress, People: who}
		carried[id] = kp
		return kp, nil
	}
	out := []ProgramEffect{}
	for _, p := range programs {
		var krs []learning.KeyResultPeople
		for _, id := range served[p.ID] {
			kp, err := keyResult(id)
			if err != nil {
				return nil, err
			}
			if kp != nil {
				krs = append(krs, *kp)
			}
		}
		if len(krs) == 0 {
			continue
		}
		out = append(out, ProgramEffect{Effect: learning.Effectiveness(p.ID, krs, enrollments), Title: p.Title})
	}
	return out, nil
}
