package app

import (
	"context"
	"slices"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// GapItem is one requirement's gap, as the API and the pages show it.
type GapItem struct {
	RequirementID       string                 `json:"requirement_id"`
	Subject             learning.Subject       `json:"subject"`
	SkillID             string                 `json:"skill_id"`
	RequiredLevel       int                    `json:"required_level"`
	Headcount           int                    `json:"headcount"`
	Essential           bool                   `json:"essential"`
	Supply              int                    `json:"supply" doc:"People in scope at or above the level."`
	Shortfall           int                    `json:"shortfall" doc:"max(0, headcount − supply)."`
	Below               int                    `json:"below" doc:"People in scope under the level."`
	MeanDeficit         float64                `json:"mean_deficit" doc:"Mean of (required − effective level) over those below."`
	Burden              float64                `json:"burden" doc:"below × mean deficit: the rank."`
	People              []learning.PersonLevel `json:"people" doc:"Everyone in scope with their effective level, lowest first."`
	SuggestedProgramIDs []string               `json:"suggested_program_ids"`
	SuggestedMentorIDs  []string               `json:"suggested_mentor_ids"`
}

// GapReport is a scope's gaps ranked by burden, highest first.
type GapReport struct {
	Scope    string    `json:"scope"`
	PeriodID string    `json:"period_id,omitempty"`
	Items    []GapItem `json:"items"`
	// Heatmap is people × required skills, colored by the gap.
	Heatmap learning.Heatmap `json:"heatmap"`
}

// GapQuery asks for the gaps of a scope: "org", "team:ID", "objective:ID",
// "key_result:ID" or "role:ID"; PeriodID limits the requirements of
// objectives and key results to one period (default: every period not closed).
type GapQuery struct {
	Scope    string
	PeriodID string
}

// Gaps runs the gap analysis of DESIGN §4 on a scope.
func (a *App) Gaps(ctx context.Context, actor org.Actor, q GapQuery) (GapReport, error) {
	rep := GapReport{Scope: q.Scope, PeriodID: q.PeriodID, Items: []GapItem{}}
	if err := requireRead(actor); err != nil {
		return rep, err
	}
	done, err := a.wholePeriod(ctx)
	if err != nil {
		return rep, err
	}
	defer done()
	err = a.db.Read(ctx, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		reqs, err := scopeRequirements(ctx, tx, v, q)
		if err != nil {
			return err
		}
		rep.Items, rep.Heatmap, err = analyzeGaps(ctx, tx, actor.OrgID, reqs)
		return err
	})
	return rep, err
}

// DemandForecast runs the gap analysis on the requirements of a coming
// period's draft objectives and their key results, so that learning starts
// before the period does. periodID "" picks the earliest period in planning.
func (a *App) DemandForecast(ctx context.Context, actor org.Actor, periodID string) (GapReport, error) {
	rep := GapReport{Scope: "forecast", PeriodID: periodID, Items: []GapItem{}}
	if err := requireRead(actor); err != nil {
		return rep, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		if periodID == "" {
			ps, err := tx.ListPeriods(ctx, actor.OrgID, "", 1<<30)
			if err != nil {
				return err
			}
			var next *okr.Period
			for i, p := range ps {
				if p.State == okr.PeriodPlanning && (next == nil || p.StartDate < next.StartDate) {
					next = &ps[i]
				}
			}
			if next == nil {
				return nil // nothing planned yet: no demand to forecast
			}
			periodID, rep.PeriodID = next.ID, next.ID
		}
		if _, err := tx.GetPeriod(ctx, actor.OrgID, periodID); err != nil {
			return err
		}
		v := newAccess(ctx, tx, actor)
		objs, err := tx.ListObjectives(ctx, actor.OrgID, okr.ObjectiveFilter{PeriodID: periodID})
		if err != nil {
			return err
		}
		var reqs []learning.Requirement
		for _, o := range objs {
			if o.State != okr.Draft {
				continue
			}
			if ok, err := v.canSee(o); err != nil || !ok {
				if err != nil {
					return err
				}
				continue
			}
			rs, err := objectiveRequirements(ctx, tx, actor.OrgID, o.ID)
			if err != nil {
				return err
			}
			reqs = append(reqs, rs...)
		}
		rep.Items, rep.Heatmap, err = analyzeGaps(ctx, tx, actor.OrgID, reqs)
		return err
	})
	return rep, err
}

// objectiveRequirements returns the requirements of an objective and of its key results.
func objectiveRequirements(ctx context.Context, tx Tx, orgID, objectiveID string) ([]learning.Requirement, error) {
	rs, err := tx.ListRequirements(ctx, orgID, learning.RequirementFilter{SubjectType: learning.SubjectObjective, SubjectIDs: []string{objectiveID}})
	if err != nil {
		return nil, err
	}
	krs, err := tx.ListKeyResults(ctx, orgID, okr.KeyResultFilter{ObjectiveID: objectiveID})
	if err != nil || len(krs) == 0 {
		return rs, err
	}
	ids := make([]string, len(krs))
	for i, k := range krs {
		ids[i] = k.ID
	}
	more, err := tx.ListRequirements(ctx, orgID, learning.RequirementFilter{SubjectType: learning.SubjectKeyResult, SubjectIDs: ids})
	return append(rs, more...), err
}

// scopeRequirements collects the requirements a scope measures.
func scopeRequirements(ctx context.Context, tx Tx, v *access, q GapQuery) ([]learning.Requirement, error) {
	orgID := v.actor.OrgID
	kind, id, _ := strings.Cut(q.Scope, ":")
	bad := func(msg string, args ...any) error {
		var f errs.Fields
		f.Add("scope", msg, args...)
		return f.Err()
	}
	if q.PeriodID != "" {
		if _, err := tx.GetPeriod(ctx, orgID, q.PeriodID); errs.Is(err, errs.NotFound) {
			var f errs.Fields
			f.Add("period_id", "no period %s in this organization", q.PeriodID)
			return nil, f.Err()
		} else if err != nil {
			return nil, err
		}
	}
	// objectivesInScope: the visible objectives of the period (or of the
	// periods not closed) owned as owner says, with their requirements.
	objectivesOf := func(owner *okr.Owner) ([]learning.Requirement, error) {
		f := okr.ObjectiveFilter{PeriodID: q.PeriodID}
		if owner != nil {
			f.OwnerType, f.OwnerID = owner.Type, owner.ID
		}
		objs, err := tx.ListObjectives(ctx, orgID, f)
		if err != nil {
			return nil, err
		}
		closed := map[string]bool{}
		if q.PeriodID == "" {
			ps, err := tx.ListPeriods(ctx, orgID, "", 1<<30)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				closed[p.ID] = p.State == okr.PeriodClosed
			}
		}
		var out []learning.Requirement
		for _, o := range objs {
			if closed[o.PeriodID] {
				continue
			}
			if ok, err := v.canSee(o); err != nil || !ok {
				if err != nil {
					return nil, err
				}
				continue
			}
			rs, err := objectiveRequirements(ctx, tx, orgID, o.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, rs...)
		}
		return out, nil
	}
	switch kind {
	case "org", "":
		if id != "" {
			return nil, bad("is org, team:ID, objective:ID, key_result:ID or role:ID")
		}
		rs, err := tx.ListRequirements(ctx, orgID, learning.RequirementFilter{SubjectType: learning.SubjectTeam})
		if err != nil {
			return nil, err
		}
		roles, err := tx.ListRequirements(ctx, orgID, learning.RequirementFilter{SubjectType: learning.SubjectRole})
		if err != nil {
			return nil, err
		}
		objs, err := objectivesOf(nil)
		return slices.Concat(rs, roles, objs), err
	case "team":
		if _, err := tx.GetTeam(ctx, orgID, id); errs.Is(err, errs.NotFound) {
			return nil, bad("no team %s in this organization", id)
		} else if err != nil {
			return nil, err
		}
		rs, err := tx.ListRequirements(ctx, orgID, learning.RequirementFilter{SubjectType: learning.SubjectTeam, SubjectIDs: []string{id}})
		if err != nil {
			return nil, err
		}
		objs, err := objectivesOf(&okr.Owner{Type: okr.OwnerTeam, ID: id})
		return append(rs, objs...), err
	case "objective":
		if _, err := v.objective(id); errs.Is(err, errs.NotFound) {
			return nil, bad("no objective %s in this organization", id)
		} else if err != nil {
			return nil, err
		}
		return objectiveRequirements(ctx, tx, orgID, id)
	case "key_result":
		if _, _, err := v.keyResult(id); errs.Is(err, errs.NotFound) {
			return nil, bad("no key result %s in this organization", id)
		} else if err != nil {
			return nil, err
		}
		return tx.ListRequirements(ctx, orgID, learning.RequirementFilter{SubjectType: learning.SubjectKeyResult, SubjectIDs: []string{id}})
	case "role":
		if _, err := tx.GetRole(ctx, orgID, id); errs.Is(err, errs.NotFound) {
			return nil, bad("no role profile %s in this organization", id)
		} else if err != nil {
			return nil, err
		}
		return tx.ListRequirements(ctx, orgID, learning.RequirementFilter{SubjectType: learning.SubjectRole, SubjectIDs: []string{id}})
	}
	return nil, bad("is org, team:ID, objective:ID, key_result:ID or role:ID")
}

// analyzeGaps measures requirements against their subjects' people.
func analyzeGaps(ctx context.Context, tx Tx, orgID string, reqs []learning.Requirement) ([]GapItem, learning.Heatmap, error) {
	if len(reqs) == 0 {
		return []GapItem{}, learning.BuildHeatmap(nil), nil
	}
	o, err := tx.GetOrganization(ctx, orgID)
	if err != nil {
		return nil, learning.Heatmap{}, err
	}
	ppl := newPeople(ctx, tx, orgID)
	scoped := make([]learning.ScopedRequirement, 0, len(reqs))
	var skills []string
	for _, r := range reqs {
		who, err := ppl.subject(r.Subject)
		if errs.Is(err, errs.NotFound) {
			continue // its subject is gone
		}
		if err != nil {
			return nil, learning.Heatmap{}, err
		}
		scoped = append(scoped, learning.ScopedRequirement{Requirement: r, People: who})
		if !slices.Contains(skills, r.SkillID) {
			skills = append(skills, r.SkillID)
		}
	}
	// Every member's levels in these skills: the people in scope, and the mentors.
	as, err := tx.ListAssessments(ctx, orgID, learning.AssessmentFilter{SkillIDs: skills})
	if err != nil {
		return nil, learning.Heatmap{}, err
	}
	levels := learning.EffectiveLevels(as, today(tx, o), o.Settings.SkillDecayDays, nil)
	programs, err := tx.ListPrograms(ctx, orgID, learning.ProgramFilter{})
	if err != nil {
		return nil, learning.Heatmap{}, err
	}
	mentors, err := ppl.all()
	if err != nil {
		return nil, learning.Heatmap{}, err
	}
	gaps := learning.Analyze(scoped, levels, programs, mentors)
	items := make([]GapItem, len(gaps))
	for i, g := range gaps {
		r := g.Requirement
		items[i] = GapItem{RequirementID: r.ID, Subject: r.Subject, SkillID: r.SkillID, RequiredLevel: r.Level,
			Headcount: r.Headcount, Essential: r.Essential, Supply: g.Supply, Shortfall: g.Shortfall, Below: g.Below,
			MeanDeficit: g.MeanDeficit, Burden: g.Burden, People: nonNil(g.People),
			SuggestedProgramIDs: nonNil(g.SuggestedProgramIDs), SuggestedMentorIDs: nonNil(g.SuggestedMentorIDs)}
	}
	return items, learning.BuildHeatmap(gaps), nil
}
