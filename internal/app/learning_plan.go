package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// ---- learning objectives

// LearningObjectiveInput creates a learning objective: what a person or a
// team must learn, to what level, by when and why.
type LearningObjectiveInput struct {
	UserID        string   `json:"user_id,omitempty" doc:"The learner; or team_id for a whole team (one of the two)."`
	TeamID        string   `json:"team_id,omitempty" doc:"The team (with its sub-teams) that must learn it."`
	SkillID       string   `json:"skill_id"`
	TargetLevel   int      `json:"target_level" doc:"The level to reach, on the skill's scale."`
	DueDate       okr.Date `json:"due_date,omitempty"`
	RequirementID string   `json:"requirement_id,omitempty" doc:"The skill requirement whose gap it closes; it must require the same skill."`
	ObjectiveID   string   `json:"objective_id,omitempty" doc:"The objective it serves; implied by key_result_id."`
	KeyResultID   string   `json:"key_result_id,omitempty" doc:"The key result it serves."`
	ProgramIDs    []string `json:"program_ids,omitempty" doc:"Programs chosen to reach it; each must teach the skill."`
	Note          string   `json:"note,omitempty"`
}

// LearningObjectiveUpdate changes a learning objective; absent fields stay,
// and an empty string removes a date or a link.
type LearningObjectiveUpdate struct {
	TargetLevel   *int      `json:"target_level,omitempty"`
	DueDate       *okr.Date `json:"due_date,omitempty"`
	RequirementID *string   `json:"requirement_id,omitempty"`
	ObjectiveID   *string   `json:"objective_id,omitempty"`
	KeyResultID   *string   `json:"key_result_id,omitempty"`
	ProgramIDs    *[]string `json:"program_ids,omitempty"`
	Note          *string   `json:"note,omitempty"`
}

// LearningObjectiveResult is a learning objective with the coach's warnings
// for its writer: a learning objective names the skill gap and the key
// result it serves (DESIGN §4).
type LearningObjectiveResult struct {
	learning.LearningObjective
	Warnings []string `json:"warnings,omitempty" doc:"What the coach asks the writer to add or reconsider; the objective is saved all the same."`
}

// maxNote bounds a learning objective's note.
const maxNote = 10000

// mayPlan says who may set a learning objective: for a person, the person,
// admins and the leads of the person's teams; for a team, admins and the
// leads of the team or of a team above it.
func mayPlan(ctx context.Context, tx Tx, actor org.Actor, userID, teamID string) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	if actor.EditsAll() {
		return nil
	}
	if userID != "" {
		if userID == actor.UserID {
			return nil
		}
		ok, err := leadsPerson(ctx, tx, actor, userID)
		if err != nil || ok {
			return err
		}
		return errs.E(errs.Forbidden, "only the person, admins and the leads of the person's teams set a person's learning objectives")
	}
	for id, depth := teamID, 0; id != "" && depth < 1000; depth++ {
		t, err := tx.GetTeam(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if slices.Contains(t.LeadIDs, actor.UserID) {
			return nil
		}
		id = t.ParentID
	}
	return errs.E(errs.Forbidden, "only admins and the leads of the team (or of a team above it) set the team's learning objectives")
}

// checkLearner checks that a learning objective is for one active member or one team.
func checkLearner(ctx context.Context, tx Tx, l *learning.LearningObjective, f *errs.Fields) error {
	switch {
	case l.UserID != "" && l.TeamID != "":
		f.Add("team_id", "a learning objective is for a person (user_id) or a team (team_id), not both")
	case l.UserID == "" && l.TeamID == "":
		f.Add("user_id", "give the learner (user_id), or team_id for a whole team")
	case l.UserID != "":
		m, err := tx.GetMember(ctx, l.OrgID, l.UserID)
		if errs.Is(err, errs.NotFound) {
			f.Add("user_id", "no member %s in this organization", l.UserID)
		} else if err != nil {
			return err
		} else if !m.Active {
			f.Add("user_id", "%s is deactivated", m.Name)
		}
	default:
		if _, err := tx.GetTeam(ctx, l.OrgID, l.TeamID); errs.Is(err, errs.NotFound) {
			f.Add("team_id", "no team %s in this organization", l.TeamID)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// checkLORequirement checks that the requirement exists, that the actor may
// see it, and that it requires the learning objective's skill.
func checkLORequirement(ctx context.Context, tx Tx, v *access, l *learning.LearningObjective, f *errs.Fields) error {
	if l.RequirementID == "" {
		return nil
	}
	r, err := visibleRequirement(ctx, tx, v, l.RequirementID)
	if errs.Is(err, errs.NotFound) {
		f.Add("requirement_id", "no skill requirement %s in this organization", l.RequirementID)
		return nil
	}
	if err != nil {
		return err
	}
	if r.SkillID != l.SkillID {
		name := r.SkillID
		if s, err := tx.GetSkill(ctx, l.OrgID, r.SkillID); err == nil {
			name = s.Name
		}
		f.Add("requirement_id", "requires %q, another skill; link a requirement of the skill this objective teaches", name)
	}
	return nil
}

// checkLOLinks checks the objective and key result served: both visible to
// the actor; a key result implies its objective.
func checkLOLinks(v *access, l *learning.LearningObjective, f *errs.Fields) error {
	if l.KeyResultID != "" {
		k, _, err := v.keyResult(l.KeyResultID)
		if errs.Is(err, errs.NotFound) {
			f.Add("key_result_id", "no key result %s in this organization", l.KeyResultID)
			return nil
		}
		if err != nil {
			return err
		}
		if l.ObjectiveID == "" {
			l.ObjectiveID = k.ObjectiveID
		} else if l.ObjectiveID != k.ObjectiveID {
			f.Add("objective_id", "key result %q belongs to objective %s; give that objective or leave objective_id empty", k.Title, k.ObjectiveID)
			return nil
		}
	}
	if l.ObjectiveID != "" {
		if _, err := v.objective(l.ObjectiveID); errs.Is(err, errs.NotFound) {
			f.Add("objective_id", "no objective %s in this organization", l.ObjectiveID)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// checkLOPrograms checks that each chosen program exists, is current and
// teaches the skill.
func checkLOPrograms(ctx context.Context, tx Tx, l *learning.LearningObjective, skill learning.Skill, f *errs.Fields) error {
	seen := map[string]bool{}
	for i, id := range l.ProgramIDs {
		field := fmt.Sprintf("program_ids[%d]", i)
		if seen[id] {
			f.Add(field, "is listed twice")
			continue
		}
		seen[id] = true
		p, err := tx.GetProgram(ctx, l.OrgID, id)
		if errs.Is(err, errs.NotFound) {
			f.Add(field, "no program %s in this organization", id)
			continue
		}
		if err != nil {
			return err
		}
		switch {
		case p.Archived:
			f.Add(field, "%q is archived; choose a current program", p.Title)
		case !slices.ContainsFunc(p.Skills, func(ts learning.TaughtSkill) bool { return ts.SkillID == l.SkillID }):
			f.Add(field, "%q does not teach %q; choose a program that teaches the skill", p.Title, skill.Name)
		}
	}
	return nil
}

func checkLODate(d okr.Date, f *errs.Fields) {
	if d != "" && !d.Valid() {
		f.Add("due_date", "must be a date like 2027-03-31")
	}
}

func checkLONote(l *learning.LearningObjective, f *errs.Fields) {
	l.Note = strings.TrimSpace(l.Note)
	if len(l.Note) > maxNote {
		f.Add("note", "is longer than %d characters", maxNote)
	}
}

// learningObjectiveWarnings is the coach's word on a stored learning
// objective: it should name the gap it closes and the key result it serves,
// and reach at least the level its requirement asks for.
func learningObjectiveWarnings(ctx context.Context, tx Tx, v *access, l learning.LearningObjective) ([]string, error) {
	var out []string
	if l.RequirementID == "" {
		out = append(out, "name the skill gap it closes: link the skill requirement (requirement_id) behind it, so the gap analysis counts the learning under way")
	} else if r, err := visibleRequirement(ctx, tx, v, l.RequirementID); err == nil && r.Level > l.TargetLevel {
		out = append(out, fmt.Sprintf("the requirement asks for level %d; a target of %d leaves the gap open", r.Level, l.TargetLevel))
	} else if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	switch {
	case l.KeyResultID == "" && l.ObjectiveID != "":
		out = append(out, "it serves an objective but names no key result: link the key result (key_result_id) the learning should move")
	case l.KeyResultID == "":
		out = append(out, "name the key result it serves (key_result_id), so that everyone sees which business result the learning moves")
	}
	for _, id := range l.ProgramIDs {
		p, err := tx.GetProgram(ctx, l.OrgID, id)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, ts := range p.Skills {
			if ts.SkillID == l.SkillID && ts.Level < l.TargetLevel {
				out = append(out, fmt.Sprintf("%q teaches the skill to level %d, below the target %d: add a program or mentoring that goes further", p.Title, ts.Level, l.TargetLevel))
			}
		}
	}
	return out, nil
}

// maskLinks hides the objective, key result and requirement a reader may
// not see, so that a learning objective never reveals them.
func maskLinks(ctx context.Context, tx Tx, v *access, l *learning.LearningObjective) error {
	if l.ObjectiveID != "" {
		if _, err := v.objective(l.ObjectiveID); errs.Is(err, errs.NotFound) {
			l.ObjectiveID, l.KeyResultID = "", ""
		} else if err != nil {
			return err
		}
	}
	if l.KeyResultID != "" {
		if _, _, err := v.keyResult(l.KeyResultID); errs.Is(err, errs.NotFound) {
			l.KeyResultID = ""
		} else if err != nil {
			return err
		}
	}
	if l.RequirementID != "" {
		if _, err := visibleRequirement(ctx, tx, v, l.RequirementID); errs.Is(err, errs.NotFound) {
			l.RequirementID = ""
		} else if err != nil {
			return err
		}
	}
	if l.ProgramIDs == nil {
		l.ProgramIDs = []string{}
	}
	return nil
}

// learningObjectiveResult loads a learning objective as the actor sees it, with the coach's warnings.
func learningObjectiveResult(ctx context.Context, tx Tx, v *access, id string) (LearningObjectiveResult, error) {
	l, err := tx.GetLearningObjective(ctx, v.actor.OrgID, id)
	if err != nil {
		return LearningObjectiveResult{}, err
	}
	warnings, err := learningObjectiveWarnings(ctx, tx, v, l)
	if err != nil {
		return LearningObjectiveResult{}, err
	}
	if err := maskLinks(ctx, tx, v, &l); err != nil {
		return LearningObjectiveResult{}, err
	}
	return LearningObjectiveResult{LearningObjective: l, Warnings: warnings}, nil
}

// CreateLearningObjective records what a person or a team must learn: the
// person themselves, admins and the leads of the person's teams (or of the
// team). It is saved without a linked gap or key result, with warnings that
// ask for them.
func (a *App) CreateLearningObjective(ctx context.Context, actor org.Actor, in LearningObjectiveInput, idemKey string) (LearningObjectiveResult, error) {
	var res LearningObjectiveResult
	if err := requireWrite(actor); err != nil {
		return res, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		id, err := idempotent(ctx, tx, actor, idemKey, "learning_objective.create", in, func() (string, error) {
			l := learning.LearningObjective{ID: NewID(), OrgID: actor.OrgID, UserID: in.UserID, TeamID: in.TeamID,
				SkillID: in.SkillID, TargetLevel: in.TargetLevel, DueDate: in.DueDate, RequirementID: in.RequirementID,
				ObjectiveID: in.ObjectiveID, KeyResultID: in.KeyResultID, ProgramIDs: nonNil(slices.Clone(in.ProgramIDs)), Note: in.Note}
			var f errs.Fields
			if err := checkLearner(ctx, tx, &l, &f); err != nil {
				return "", err
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			if err := mayPlan(ctx, tx, actor, l.UserID, l.TeamID); err != nil {
				return "", err
			}
			skill, err := levelIn(ctx, tx, actor.OrgID, l.SkillID, l.TargetLevel, "target_level", &f)
			if err != nil {
				return "", err
			}
			checkLODate(l.DueDate, &f)
			checkLONote(&l, &f)
			if err := checkLORequirement(ctx, tx, v, &l, &f); err != nil {
				return "", err
			}
			if err := checkLOLinks(v, &l, &f); err != nil {
				return "", err
			}
			if skill.ID != "" {
				if err := checkLOPrograms(ctx, tx, &l, skill, &f); err != nil {
					return "", err
				}
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			if err := tx.CreateLearningObjective(ctx, &l); err != nil {
				return "", err
			}
			return l.ID, record(ctx, tx, actor, "learning_objective.create", "learning_objective", l.ID, nil, l)
		})
		if err != nil {
			return err
		}
		res, err = learningObjectiveResult(ctx, tx, v, id)
		return err
	})
	return res, err
}

// GetLearningObjective returns a learning objective with the coach's
// warnings. Any member may read learning objectives; the objective, key
// result and requirement they link are left out for a reader who may not see them.
func (a *App) GetLearningObjective(ctx context.Context, actor org.Actor, id string) (LearningObjectiveResult, error) {
	var res LearningObjectiveResult
	if err := requireRead(actor); err != nil {
		return res, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		res, err = learningObjectiveResult(ctx, tx, newAccess(ctx, tx, actor), id)
		return err
	})
	return res, err
}

// LearningObjectiveQuery filters the learning objective list; zero fields match everything.
type LearningObjectiveQuery struct {
	UserID      string
	TeamID      string
	ObjectiveID string
	KeyResultID string
	PageRequest
}

// ListLearningObjectives lists learning objectives by id, their links
// masked as GetLearningObjective does. Filtering by an objective or key
// result the actor may not see lists nothing.
func (a *App) ListLearningObjectives(ctx context.Context, actor org.Actor, q LearningObjectiveQuery) (Page[learning.LearningObjective], error) {
	return inMemoryPage(ctx, a, actor, q.PageRequest, func(l learning.LearningObjective) string { return l.ID }, func(tx Tx) ([]learning.LearningObjective, error) {
		v := newAccess(ctx, tx, actor)
		if q.ObjectiveID != "" {
			if _, err := v.objective(q.ObjectiveID); errs.Is(err, errs.NotFound) {
				return nil, nil
			} else if err != nil {
				return nil, err
			}
		}
		if q.KeyResultID != "" {
			if _, _, err := v.keyResult(q.KeyResultID); errs.Is(err, errs.NotFound) {
				return nil, nil
			} else if err != nil {
				return nil, err
			}
		}
		ls, err := tx.ListLearningObjectives(ctx, actor.OrgID, learning.LearningObjectiveFilter{UserID: q.UserID, TeamID: q.TeamID,
			ObjectiveID: q.ObjectiveID, KeyResultID: q.KeyResultID})
		if err != nil {
			return nil, err
		}
		for i := range ls {
			if err := maskLinks(ctx, tx, v, &ls[i]); err != nil {
				return nil, err
			}
		}
		return ls, nil
	})
}

// UpdateLearningObjective changes a learning objective (If-Match): whoever
// may create it. Only the fields given are checked again.
func (a *App) UpdateLearningObjective(ctx context.Context, actor org.Actor, id string, ifMatch *int, in LearningObjectiveUpdate) (LearningObjectiveResult, error) {
	var res LearningObjectiveResult
	if err := requireWrite(actor); err != nil {
		return res, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		before, err := tx.GetLearningObjective(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := mayPlan(ctx, tx, actor, before.UserID, before.TeamID); err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "learning objective"); err != nil {
			return err
		}
		l := before
		l.ProgramIDs = slices.Clone(before.ProgramIDs)
		setIf(&l.TargetLevel, in.TargetLevel)
		setIf(&l.DueDate, in.DueDate)
		setIf(&l.RequirementID, in.RequirementID)
		setIf(&l.ObjectiveID, in.ObjectiveID)
		setIf(&l.KeyResultID, in.KeyResultID)
		setIf(&l.Note, in.Note)
		if in.ProgramIDs != nil {
			l.ProgramIDs = nonNil(slices.Clone(*in.ProgramIDs))
		}
		var f errs.Fields
		skill, err := tx.GetSkill(ctx, actor.OrgID, l.SkillID)
		if err != nil {
			return err
		}
		if in.TargetLevel != nil {
			if _, err := levelIn(ctx, tx, actor.OrgID, l.SkillID, l.TargetLevel, "target_level", &f); err != nil {
				return err
			}
		}
		if in.DueDate != nil {
			checkLODate(l.DueDate, &f)
		}
		checkLONote(&l, &f)
		if in.RequirementID != nil {
			if err := checkLORequirement(ctx, tx, v, &l, &f); err != nil {
				return err
			}
		}
		if in.ObjectiveID != nil || in.KeyResultID != nil {
			if err := checkLOLinks(v, &l, &f); err != nil {
				return err
			}
		}
		if in.ProgramIDs != nil {
			if err := checkLOPrograms(ctx, tx, &l, skill, &f); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.UpdateLearningObjective(ctx, &l, before.Version); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "learning_objective.update", "learning_objective", id, before, l); err != nil {
			return err
		}
		res, err = learningObjectiveResult(ctx, tx, v, id)
		return err
	})
	return res, err
}

// DeleteLearningObjective removes a learning objective: whoever may create
// it. Its enrollments stay, serving nothing in particular.
func (a *App) DeleteLearningObjective(ctx context.Context, actor org.Actor, id string) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetLearningObjective(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := mayPlan(ctx, tx, actor, before.UserID, before.TeamID); err != nil {
			return err
		}
		if err := tx.DeleteLearningObjective(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "learning_objective.delete", "learning_objective", id, before, nil)
	})
}

// ---- the learning plan

// LearningPlan is a person's learning: what they are to learn, where they
// stand, and the enrollments under way.
type LearningPlan struct {
	UserID string   `json:"user_id"`
	Today  okr.Date `json:"today" doc:"The date levels and overdue flags are computed for, in the organization's time zone."`
	// Objectives are the person's learning objectives and those of their teams.
	Objectives []PlanObjective `json:"objectives" doc:"The person's learning objectives and those of the teams they are in (with the teams above), soonest due first."`
	// OtherEnrollments are the open enrollments that serve none of the objectives.
	OtherEnrollments []PlanEnrollment `json:"other_enrollments" doc:"Open enrollments serving none of the objectives, soonest due first."`
}

// PlanObjective is a learning objective with the learner's standing in its skill.
type PlanObjective struct {
	learning.LearningObjective
	SkillName        string `json:"skill_name"`
	TargetLevelName  string `json:"target_level_name"`
	CurrentLevel     int    `json:"current_level" doc:"The learner's effective level in the skill today."`
	CurrentLevelName string `json:"current_level_name"`
	Decayed          bool   `json:"decayed" doc:"No assessment is inside the decay window: the latest counts one level lower."`
	Gap              int    `json:"gap" doc:"Levels still to learn: target − current level, 0 when reached."`
	Reached          bool   `json:"reached"`
	Overdue          bool   `json:"overdue" doc:"The due date has passed and the target is not reached."`
	// Enrollments are the learner's enrollments that serve it.
	Enrollments []PlanEnrollment `json:"enrollments" doc:"The learner's enrollments linked to it, or in one of its programs and linked to no other objective."`
	Programs    []PlanProgram    `json:"programs" doc:"The programs chosen to reach it."`
}

// PlanEnrollment is an enrollment with its program's title and whether it is late.
type PlanEnrollment struct {
	learning.Enrollment
	ProgramTitle string `json:"program_title"`
	Overdue      bool   `json:"overdue" doc:"Still open after its due date."`
}

// PlanProgram is a program chosen for a learning objective.
type PlanProgram struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Level    int    `json:"level" doc:"The level it teaches the skill to."`
	Archived bool   `json:"archived"`
	Enrolled bool   `json:"enrolled" doc:"The learner has an enrollment in it that is not withdrawn."`
}

// MyLearningPlan returns a person's learning plan: their learning objectives
// and their teams', each with the effective level today, the gap to the
// target and the enrollments serving it, then their other open enrollments.
// Any member may read it, as learning records are shared; links the reader
// may not see are left out.
func (a *App) MyLearningPlan(ctx context.Context, actor org.Actor, userID string) (LearningPlan, error) {
	plan := LearningPlan{UserID: userID, Objectives: []PlanObjective{}, OtherEnrollments: []PlanEnrollment{}}
	if err := requireRead(actor); err != nil {
		return plan, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		if _, err := tx.GetMember(ctx, actor.OrgID, userID); err != nil {
			return err
		}
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		plan.Today = today(tx, o)
		los, err := planObjectives(ctx, tx, actor.OrgID, userID)
		if err != nil {
			return err
		}
		es, err := tx.ListEnrollments(ctx, actor.OrgID, learning.EnrollmentFilter{UserIDs: []string{userID}})
		if err != nil {
			return err
		}
		programs := map[string]learning.Program{}
		program := func(id string) (learning.Program, error) {
			if p, ok := programs[id]; ok {
				return p, nil
			}
			p, err := tx.GetProgram(ctx, actor.OrgID, id)
			programs[id] = p
			return p, err
		}
		planned := func(e learning.Enrollment) (PlanEnrollment, error) {
			p, err := program(e.ProgramID)
			overdue := !e.Done() && e.DueDate != "" && e.DueDate < plan.Today
			return PlanEnrollment{Enrollment: e, ProgramTitle: p.Title, Overdue: overdue}, err
		}
		inPlan := map[string]bool{}
		for _, l := range los {
			inPlan[l.ID] = true
		}
		served := map[string]bool{}
		v := newAccess(ctx, tx, actor)
		for _, l := range los {
			item, err := planObjective(ctx, tx, o, plan.Today, userID, l)
			if err != nil {
				return err
			}
			for _, e := range es {
				linked := e.LearningObjectiveID == l.ID
				chosen := (e.LearningObjectiveID == "" || !inPlan[e.LearningObjectiveID]) &&
					e.Status != learning.Withdrawn && slices.Contains(l.ProgramIDs, e.ProgramID)
				if !linked && !chosen {
					continue
				}
				pe, err := planned(e)
				if err != nil {
					return err
				}
				item.Enrollments = append(item.Enrollments, pe)
				served[e.ID] = true
			}
			for _, id := range l.ProgramIDs {
				p, err := program(id)
				if err != nil {
					return err
				}
				pp := PlanProgram{ID: p.ID, Title: p.Title, Archived: p.Archived}
				for _, ts := range p.Skills {
					if ts.SkillID == l.SkillID {
						pp.Level = ts.Level
					}
				}
				pp.Enrolled = slices.ContainsFunc(es, func(e learning.Enrollment) bool {
					return e.ProgramID == p.ID && e.Status != learning.Withdrawn
				})
				item.Programs = append(item.Programs, pp)
			}
			if err := maskLinks(ctx, tx, v, &item.LearningObjective); err != nil {
				return err
			}
			plan.Objectives = append(plan.Objectives, item)
		}
		for _, e := range es {
			if served[e.ID] || e.Done() {
				continue
			}
			pe, err := planned(e)
			if err != nil {
				return err
			}
			plan.OtherEnrollments = append(plan.OtherEnrollments, pe)
		}
		slices.SortStableFunc(plan.Objectives, func(a, b PlanObjective) int {
			return cmp.Or(compareDue(a.DueDate, b.DueDate), cmp.Compare(a.ID, b.ID))
		})
		slices.SortStableFunc(plan.OtherEnrollments, func(a, b PlanEnrollment) int {
			return cmp.Or(compareDue(a.DueDate, b.DueDate), cmp.Compare(a.ID, b.ID))
		})
		return nil
	})
	return plan, err
}

// compareDue orders due dates soonest first, with no date last.
func compareDue(a, b okr.Date) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return cmp.Compare(a, b)
}

// planObjectives returns a person's learning objectives and those of every
// team whose people (with sub-teams) include them, by id.
func planObjectives(ctx context.Context, tx Tx, orgID, userID string) ([]learning.LearningObjective, error) {
	los, err := tx.ListLearningObjectives(ctx, orgID, learning.LearningObjectiveFilter{UserID: userID})
	if err != nil {
		return nil, err
	}
	teams, err := tx.ListTeams(ctx, orgID)
	if err != nil {
		return nil, err
	}
	ppl := newPeople(ctx, tx, orgID)
	for _, t := range teams {
		members, err := ppl.team(t.ID)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(members, userID) {
			continue
		}
		more, err := tx.ListLearningObjectives(ctx, orgID, learning.LearningObjectiveFilter{TeamID: t.ID})
		if err != nil {
			return nil, err
		}
		los = append(los, more...)
	}
	slices.SortFunc(los, func(a, b learning.LearningObjective) int { return cmp.Compare(a.ID, b.ID) })
	return slices.CompactFunc(los, func(a, b learning.LearningObjective) bool { return a.ID == b.ID }), nil
}

// planObjective measures a person against one learning objective.
func planObjective(ctx context.Context, tx Tx, o org.Organization, day okr.Date, userID string, l learning.LearningObjective) (PlanObjective, error) {
	item := PlanObjective{LearningObjective: l, Enrollments: []PlanEnrollment{}, Programs: []PlanProgram{}}
	skill, err := tx.GetSkill(ctx, l.OrgID, l.SkillID)
	if err != nil {
		return item, err
	}
	scale, err := scaleOf(ctx, tx, l.OrgID, skill.ScaleID)
	if err != nil {
		return item, err
	}
	as, err := tx.ListAssessments(ctx, l.OrgID, learning.AssessmentFilter{UserIDs: []string{userID}, SkillIDs: []string{l.SkillID}})
	if err != nil {
		return item, err
	}
	eff := learning.EffectiveLevel(as, day, o.Settings.SkillDecayDays)
	item.SkillName = skill.Name
	item.TargetLevelName = scale.LevelName(l.TargetLevel)
	item.CurrentLevel, item.CurrentLevelName, item.Decayed = eff.Level, scale.LevelName(eff.Level), eff.Decayed
	item.Gap = max(0, l.TargetLevel-eff.Level)
	item.Reached = item.Gap == 0
	item.Overdue = !item.Reached && l.DueDate != "" && l.DueDate < day
	return item, nil
}
