package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// Recognition: the celebration feed records achievements by itself (a key
// result reached, an objective achieved, a certification passed, a skill
// level gained), each once, in the transaction that made it happen; kudos
// join the same feed (kudos.go). Lessons are in lessons.go.

// celebrate writes a celebration once per dedupe key and, when it is new,
// audits it and emits celebration.create.
func celebrate(ctx context.Context, tx Tx, actor org.Actor, c okr.Celebration) error {
	c.ID, c.OrgID = NewID(), actor.OrgID
	if c.ActorID == "" {
		c.ActorID = actor.UserID
	}
	added, err := tx.InsertCelebration(ctx, &c)
	if err != nil || !added {
		return err
	}
	return record(ctx, tx, actor, "celebration.create", "celebration", c.ID, nil, c)
}

// celebrated says whom an objective's achievement celebrates: its champion
// or owning person, and its owning team.
func celebrated(o okr.Objective) (userID, teamID string) {
	userID = o.ChampionID
	switch o.Owner.Type {
	case okr.OwnerUser:
		if userID == "" {
			userID = o.Owner.ID
		}
	case okr.OwnerTeam:
		teamID = o.Owner.ID
	}
	return userID, teamID
}

// celebrateKeyResult records an achievement when a check-in makes a key
// result reach its target (progress crosses to 1), once per key result. A
// maintain key result has no target to reach: it keeps a band.
func celebrateKeyResult(ctx context.Context, tx Tx, actor org.Actor, before, after okr.KeyResult) error {
	if after.Kind == okr.Maintain || !okr.Reached(before.Progress, after.Progress) {
		return nil
	}
	o, err := tx.GetObjective(ctx, after.OrgID, after.ObjectiveID)
	if err != nil {
		return fmt.Errorf("celebrate key result %s: %w", after.ID, err)
	}
	userID, teamID := celebrated(o)
	if after.OwnerID != "" {
		userID = after.OwnerID
	}
	return celebrate(ctx, tx, actor, okr.Celebration{Kind: okr.KeyResultReached, UserID: userID, TeamID: teamID,
		ObjectiveID: o.ID, SubjectType: "key_result", SubjectID: after.ID, Title: after.Title, Detail: o.Title,
		DedupeKey: "key_result_reached:" + after.ID})
}

// celebrateObjective records an achievement when an objective is closed as
// achieved, once per objective.
func celebrateObjective(ctx context.Context, tx Tx, actor org.Actor, before, after okr.Objective) error {
	if after.State != okr.Closed || after.Outcome != okr.Achieved ||
		before.State == okr.Closed && before.Outcome == okr.Achieved {
		return nil
	}
	userID, teamID := celebrated(after)
	return celebrate(ctx, tx, actor, okr.Celebration{Kind: okr.ObjectiveAchieved, UserID: userID, TeamID: teamID,
		ObjectiveID: after.ID, SubjectType: "objective", SubjectID: after.ID, Title: after.Title,
		DedupeKey: "objective_achieved:" + after.ID})
}

// celebrateCompletion records what a passed completion achieved: a passed
// certification, and each skill whose effective level the completion's
// assertions raised (the level with them against the level without them).
func celebrateCompletion(ctx context.Context, tx Tx, actor org.Actor, e learning.Enrollment, p learning.Program) error {
	if !e.PassedCompletion() {
		return nil
	}
	if p.Kind == learning.KindCertification {
		detail := ""
		if e.Score != nil {
			detail = fmt.Sprintf("score %.4g", *e.Score)
		}
		if err := celebrate(ctx, tx, actor, okr.Celebration{Kind: okr.CertificationPassed, UserID: e.UserID,
			SubjectType: "enrollment", SubjectID: e.ID, Title: p.Title, Detail: detail,
			DedupeKey: "certification_passed:" + e.ID}); err != nil {
			return err
		}
	}
	if len(p.Skills) == 0 {
		return nil
	}
	o, err := tx.GetOrganization(ctx, e.OrgID)
	if err != nil {
		return err
	}
	day := today(tx, o)
	for _, ts := range p.Skills {
		as, err := tx.ListAssessments(ctx, e.OrgID, learning.AssessmentFilter{UserIDs: []string{e.UserID}, SkillIDs: []string{ts.SkillID}})
		if err != nil {
			return err
		}
		others := slices.DeleteFunc(slices.Clone(as), func(a learning.Assessment) bool { return a.EnrollmentID == e.ID })
		was := learning.EffectiveLevel(others, day, o.Settings.SkillDecayDays).Level
		now := learning.EffectiveLevel(as, day, o.Settings.SkillDecayDays).Level
		if now <= was {
			continue
		}
		sk, err := tx.GetSkill(ctx, e.OrgID, ts.SkillID)
		if err != nil {
			return err
		}
		if err := celebrate(ctx, tx, actor, okr.Celebration{Kind: okr.SkillLevelGained, UserID: e.UserID,
			SubjectType: "skill", SubjectID: sk.ID, Title: sk.Name, Level: now,
			Detail:    fmt.Sprintf("from level %d to %d, through %s", was, now, p.Title),
			DedupeKey: fmt.Sprintf("skill_level_gained:%s:%s:%d", e.UserID, sk.ID, now)}); err != nil {
			return err
		}
	}
	return nil
}

// celebrateAssessment records a skill level gained through an assertion
// someone vouches for (a certification, an assessment, a manager or a
// badge): the person's effective level with it is above the level without
// it. Self and peer assertions are not celebrated.
func celebrateAssessment(ctx context.Context, tx Tx, actor org.Actor, as learning.Assessment) error {
	switch as.Source {
	case learning.SourceCertification, learning.SourceAssessment, learning.SourceManager, learning.SourceBadge:
	default:
		return nil
	}
	o, err := tx.GetOrganization(ctx, as.OrgID)
	if err != nil {
		return err
	}
	all, err := tx.ListAssessments(ctx, as.OrgID, learning.AssessmentFilter{UserIDs: []string{as.UserID}, SkillIDs: []string{as.SkillID}})
	if err != nil {
		return err
	}
	others := slices.DeleteFunc(slices.Clone(all), func(a learning.Assessment) bool { return a.ID == as.ID })
	day := today(tx, o)
	was := learning.EffectiveLevel(others, day, o.Settings.SkillDecayDays).Level
	now := learning.EffectiveLevel(all, day, o.Settings.SkillDecayDays).Level
	if now <= was {
		return nil
	}
	sk, err := tx.GetSkill(ctx, as.OrgID, as.SkillID)
	if err != nil {
		return err
	}
	return celebrate(ctx, tx, actor, okr.Celebration{Kind: okr.SkillLevelGained, UserID: as.UserID,
		SubjectType: "skill", SubjectID: sk.ID, Title: sk.Name, Level: now,
		Detail:    fmt.Sprintf("from level %d to %d, by %s", was, now, as.Source),
		DedupeKey: fmt.Sprintf("skill_level_gained:%s:%s:%d", as.UserID, sk.ID, now)})
}

// CelebrationQuery filters the celebration feed; zero fields match everything.
type CelebrationQuery struct {
	UserID string
	TeamID string
	Kind   okr.CelebrationKind
	PageRequest
}

// feedReader decides which feed entries the actor may see: an entry about
// an objective the actor may not see (or that is gone) is not shown.
type feedReader struct {
	v    *access
	seen map[string]bool
}

func newFeedReader(ctx context.Context, tx Tx, actor org.Actor) *feedReader {
	return &feedReader{v: newAccess(ctx, tx, actor), seen: map[string]bool{}}
}

func (r *feedReader) sees(objectiveID string) (bool, error) {
	if objectiveID == "" {
		return true, nil
	}
	if ok, known := r.seen[objectiveID]; known {
		return ok, nil
	}
	_, err := r.v.objective(objectiveID)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return false, err
	}
	r.seen[objectiveID] = err == nil
	return err == nil, nil
}

// visibleNewest pages a newest-first list through fetch (ids before a
// boundary, up to a limit), keeping what keep accepts, until the page is
// full or the list ends.
func visibleNewest[T any](boundary string, limit int, id func(T) string, fetch func(before string, limit int) ([]T, error),
	keep func(T) (bool, error)) ([]T, error) {
	out := []T{}
	batch := max(limit, 50)
	for {
		items, err := fetch(boundary, batch)
		if err != nil {
			return nil, err
		}
		for _, x := range items {
			ok, err := keep(x)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, x)
				if len(out) == limit {
					return out, nil
				}
			}
		}
		if len(items) < batch {
			return out, nil
		}
		boundary = id(items[len(items)-1])
	}
}

// ListCelebrations lists the celebration feed, newest first: achievements
// recorded by themselves and kudos, without those about objectives the
// actor may not see.
func (a *App) ListCelebrations(ctx context.Context, actor org.Actor, q CelebrationQuery) (Page[okr.Celebration], error) {
	switch q.Kind {
	case "", okr.KeyResultReached, okr.ObjectiveAchieved, okr.CertificationPassed, okr.SkillLevelGained, okr.KudosGiven:
	default:
		var f errs.Fields
		f.Add("kind", "must be key_result_reached, objective_achieved, certification_passed, skill_level_gained or kudos")
		return Page[okr.Celebration]{}, f.Err()
	}
	return readPage(ctx, a, actor, q.PageRequest, func(c okr.Celebration) string { return c.ID },
		func(tx Tx, before string, limit int) ([]okr.Celebration, error) {
			r := newFeedReader(ctx, tx, actor)
			return visibleNewest(before, limit, func(c okr.Celebration) string { return c.ID },
				func(before string, n int) ([]okr.Celebration, error) {
					return tx.ListCelebrations(ctx, actor.OrgID, okr.CelebrationFilter{UserID: q.UserID, TeamID: q.TeamID,
						Kind: q.Kind, Before: before, Limit: n})
				},
				func(c okr.Celebration) (bool, error) { return r.sees(c.ObjectiveID) })
		}, nil)
}

// LessonInput writes a lesson.
type LessonInput struct {
	Title       string   `json:"title" doc:"A short sentence a person would search for."`
	Body        string   `json:"body,omitempty" doc:"Markdown: what happened, what to do next time."`
	Tags        []string `json:"tags,omitempty" doc:"Lower-cased; duplicates dropped."`
	ObjectiveID string   `json:"objective_id,omitempty" doc:"The objective it was learned on; its period and owning team are taken from it when not given."`
	SkillIDs    []string `json:"skill_ids,omitempty" doc:"The skills it concerns."`
	TeamID      string   `json:"team_id,omitempty"`
	PeriodID    string   `json:"period_id,omitempty"`
}

// Bounds of a lesson.
const (
	maxLessonTitle  = 200
	maxLessonBody   = 20000
	maxLessonTags   = 20
	maxLessonSkills = 20
)

// checkLesson validates a lesson's fields and links, normalizing its tags
// and filling its period and team from its objective.
func checkLesson(ctx context.Context, tx Tx, v *access, l *okr.Lesson, f *errs.Fields) error {
	l.Title = strings.TrimSpace(l.Title)
	l.Body = strings.TrimSpace(l.Body)
	switch {
	case l.Title == "":
		f.Add("title", "is required: say in one sentence what was learned")
	case utf8.RuneCountInString(l.Title) > maxLessonTitle:
		f.Add("title", "is longer than %d characters; put the rest in the body", maxLessonTitle)
	}
	if utf8.RuneCountInString(l.Body) > maxLessonBody {
		f.Add("body", "is longer than %d characters", maxLessonBody)
	}
	l.Tags = okr.NormalizeTags(l.Tags)
	if len(l.Tags) > maxLessonTags {
		f.Add("tags", "has %d tags; keep at most %d", len(l.Tags), maxLessonTags)
	}
	orgID := v.actor.OrgID
	if l.ObjectiveID != "" {
		o, err := v.objective(l.ObjectiveID)
		if errs.Is(err, errs.NotFound) {
			f.Add("objective_id", "no objective %s in this organization", l.ObjectiveID)
		} else if err != nil {
			return err
		} else {
			if l.PeriodID == "" {
				l.PeriodID = o.PeriodID
			}
			if l.TeamID == "" && o.Owner.Type == okr.OwnerTeam {
				l.TeamID = o.Owner.ID
			}
		}
	}
	if l.TeamID != "" {
		if _, err := tx.GetTeam(ctx, orgID, l.TeamID); errs.Is(err, errs.NotFound) {
			f.Add("team_id", "no team %s in this organization", l.TeamID)
		} else if err != nil {
			return err
		}
	}
	if l.PeriodID != "" {
		if _, err := tx.GetPeriod(ctx, orgID, l.PeriodID); errs.Is(err, errs.NotFound) {
			f.Add("period_id", "no period %s in this organization", l.PeriodID)
		} else if err != nil {
			return err
		}
	}
	if len(l.SkillIDs) > maxLessonSkills {
		f.Add("skill_ids", "names %d skills; keep at most %d", len(l.SkillIDs), maxLessonSkills)
		return nil
	}
	skills := []string{}
	for i, id := range l.SkillIDs {
		if slices.Contains(skills, id) {
			continue
		}
		if _, err := tx.GetSkill(ctx, orgID, id); errs.Is(err, errs.NotFound) {
			f.Add(fmt.Sprintf("skill_ids[%d]", i), "no skill %s in this organization", id)
		} else if err != nil {
			return err
		}
		skills = append(skills, id)
	}
	l.SkillIDs = skills
	return nil
}

// addLesson writes a lesson in tx and returns its id; source is
// "retrospective" or "manual". The actor is its author.
func addLesson(ctx context.Context, tx Tx, actor org.Actor, in LessonInput, source string) (string, error) {
	if source != okr.LessonManual && source != okr.LessonRetrospective {
		return "", fmt.Errorf("add lesson: unknown source %q", source)
	}
	l := okr.Lesson{ID: NewID(), OrgID: actor.OrgID, Title: in.Title, Body: in.Body, Tags: in.Tags,
		ObjectiveID: in.ObjectiveID, SkillIDs: in.SkillIDs, TeamID: in.TeamID, PeriodID: in.PeriodID,
		AuthorID: actor.UserID, Source: source}
	var f errs.Fields
	if err := checkLesson(ctx, tx, newAccess(ctx, tx, actor), &l, &f); err != nil {
		return "", err
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	if err := tx.CreateLesson(ctx, &l); err != nil {
		return "", err
	}
	return l.ID, record(ctx, tx, actor, "lesson.create", "lesson", l.ID, nil, l)
}
