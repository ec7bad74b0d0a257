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

// ---- requirements

// RequirementInput says that a subject needs a skill.
type RequirementInput struct {
	Subject   learning.Subject `json:"subject"`
	SkillID   string           `json:"skill_id"`
	Level     int              `json:"level" doc:"The level required, on the skill's scale."`
	Headcount *int             `json:"headcount,omitempty" doc:"How many people need it; default 1."`
	Essential *bool            `json:"essential,omitempty" doc:"Default true; false for a nice-to-have."`
}

// RequirementUpdate changes a requirement; absent fields stay.
type RequirementUpdate struct {
	Level     *int  `json:"level,omitempty"`
	Headcount *int  `json:"headcount,omitempty"`
	Essential *bool `json:"essential,omitempty"`
}

// maxHeadcount bounds a requirement's headcount.
const maxHeadcount = 100000

// mayRequire checks that the actor may set the skills a subject requires:
// whoever may change an objective or key result (open ones only); admins and
// the team's leads for a team; admins for a role profile. A subject the actor
// may not see, or of another organization, is NotFound.
func mayRequire(ctx context.Context, tx Tx, v *access, s learning.Subject) error {
	if !v.actor.CanWrite() {
		return errs.E(errs.Forbidden, "your role or token may not change anything")
	}
	switch s.Type {
	case learning.SubjectObjective:
		_, _, err := v.editableObjective(s.ID)
		return err
	case learning.SubjectKeyResult:
		_, _, _, err := v.editableKeyResult(s.ID)
		return err
	case learning.SubjectTeam:
		t, err := tx.GetTeam(ctx, v.actor.OrgID, s.ID)
		if err != nil {
			return err
		}
		if v.actor.EditsAll() || slices.Contains(t.LeadIDs, v.actor.UserID) {
			return nil
		}
		return errs.E(errs.Forbidden, "only admins and the team's leads may set the skills the team needs")
	case learning.SubjectRole:
		if _, err := tx.GetRole(ctx, v.actor.OrgID, s.ID); err != nil {
			return err
		}
		return requireAdmin(v.actor)
	}
	var f errs.Fields
	f.Add("subject.type", "must be objective, key_result, team or role")
	return f.Err()
}

// levelIn checks a level against a skill's scale.
func levelIn(ctx context.Context, tx Tx, orgID, skillID string, level int, field string, f *errs.Fields) (learning.Skill, error) {
	s, err := tx.GetSkill(ctx, orgID, skillID)
	if errs.Is(err, errs.NotFound) {
		f.Add("skill_id", "no skill %s in this organization", skillID)
		return s, nil
	}
	if err != nil {
		return s, err
	}
	scale, err := scaleOf(ctx, tx, orgID, s.ScaleID)
	if err != nil {
		return s, err
	}
	if level < 1 || level > scale.Max() {
		f.Add(field, "must be a level of the skill's scale %q: 1 to %d", scale.Name, scale.Max())
	}
	return s, nil
}

func validateRequirement(ctx context.Context, tx Tx, r *learning.Requirement) error {
	var f errs.Fields
	if _, err := levelIn(ctx, tx, r.OrgID, r.SkillID, r.Level, "level", &f); err != nil {
		return err
	}
	if r.Headcount < 1 || r.Headcount > maxHeadcount {
		f.Add("headcount", "must be between 1 and %d", maxHeadcount)
	}
	return f.Err()
}

// CreateRequirement records that a subject needs a skill at a level.
func (a *App) CreateRequirement(ctx context.Context, actor org.Actor, in RequirementInput, idemKey string) (learning.Requirement, error) {
	var r learning.Requirement
	if err := requireWrite(actor); err != nil {
		return r, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "skill_requirement.create", in, func() (string, error) {
			if err := mayRequire(ctx, tx, newAccess(ctx, tx, actor), in.Subject); errs.Is(err, errs.NotFound) {
				var f errs.Fields
				f.Add("subject.id", "no %s %s in this organization", strings.ReplaceAll(string(in.Subject.Type), "_", " "), in.Subject.ID)
				return "", f.Err()
			} else if err != nil {
				return "", err
			}
			r = learning.Requirement{ID: NewID(), OrgID: actor.OrgID, Subject: in.Subject, SkillID: in.SkillID,
				Level: in.Level, Headcount: 1, Essential: true}
			setIf(&r.Headcount, in.Headcount)
			setIf(&r.Essential, in.Essential)
			if err := validateRequirement(ctx, tx, &r); err != nil {
				return "", err
			}
			if err := tx.CreateRequirement(ctx, &r); errs.Is(err, errs.Conflict) {
				return "", &errs.Error{Kind: errs.Conflict, Message: "the subject already requires this skill",
					Fields: []errs.FieldError{{Field: "skill_id", Message: "is already required here; change that requirement's level or headcount instead"}}}
			} else if err != nil {
				return "", err
			}
			return r.ID, record(ctx, tx, actor, "skill_requirement.create", "skill_requirement", r.ID, nil, r)
		})
		if err != nil {
			return err
		}
		r, err = tx.GetRequirement(ctx, actor.OrgID, id)
		return err
	})
	return r, err
}

// visibleRequirement loads a requirement whose subject the actor may see.
func visibleRequirement(ctx context.Context, tx Tx, v *access, id string) (learning.Requirement, error) {
	r, err := tx.GetRequirement(ctx, v.actor.OrgID, id)
	if err != nil {
		return r, err
	}
	if ok, err := requirementVisible(v, r.Subject); err != nil || !ok {
		if err == nil {
			err = errs.NotFoundf("skill requirement %s: not found", id)
		}
		return learning.Requirement{}, err
	}
	return r, nil
}

// requirementVisible reports whether the actor may see a requirement's subject
// (objectives and key results follow their visibility; teams and roles are
// visible to every member).
func requirementVisible(v *access, s learning.Subject) (bool, error) {
	var err error
	switch s.Type {
	case learning.SubjectObjective:
		_, err = v.objective(s.ID)
	case learning.SubjectKeyResult:
		_, _, err = v.keyResult(s.ID)
	}
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// GetRequirement returns a requirement whose subject the actor may see.
func (a *App) GetRequirement(ctx context.Context, actor org.Actor, id string) (learning.Requirement, error) {
	var r learning.Requirement
	if err := requireRead(actor); err != nil {
		return r, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		r, err = visibleRequirement(ctx, tx, newAccess(ctx, tx, actor), id)
		return err
	})
	return r, err
}

// RequirementQuery filters the requirement list.
type RequirementQuery struct {
	SubjectType learning.SubjectType
	SubjectID   string
	SkillID     string
	PageRequest
}

// ListRequirements lists the requirements whose subjects the actor may see, by id.
func (a *App) ListRequirements(ctx context.Context, actor org.Actor, q RequirementQuery) (Page[learning.Requirement], error) {
	return inMemoryPage(ctx, a, actor, q.PageRequest, func(r learning.Requirement) string { return r.ID }, func(tx Tx) ([]learning.Requirement, error) {
		f := learning.RequirementFilter{SubjectType: q.SubjectType, SkillID: q.SkillID}
		if q.SubjectID != "" {
			f.SubjectIDs = []string{q.SubjectID}
		}
		rs, err := tx.ListRequirements(ctx, actor.OrgID, f)
		if err != nil {
			return nil, err
		}
		v := newAccess(ctx, tx, actor)
		return keepIf(rs, func(r *learning.Requirement) (bool, error) { return requirementVisible(v, r.Subject) })
	})
}

// UpdateRequirement changes a requirement's level, headcount or weight.
func (a *App) UpdateRequirement(ctx context.Context, actor org.Actor, id string, ifMatch *int, in RequirementUpdate) (learning.Requirement, error) {
	var r learning.Requirement
	if err := requireWrite(actor); err != nil {
		return r, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		before, err := visibleRequirement(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if err := mayRequire(ctx, tx, v, before.Subject); err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "skill requirement"); err != nil {
			return err
		}
		r = before
		setIf(&r.Level, in.Level)
		setIf(&r.Headcount, in.Headcount)
		setIf(&r.Essential, in.Essential)
		if err := validateRequirement(ctx, tx, &r); err != nil {
			return err
		}
		if err := tx.UpdateRequirement(ctx, &r, before.Version); err != nil {
			return err
		}
		return record(ctx, tx, actor, "skill_requirement.update", "skill_requirement", id, before, r)
	})
	return r, err
}

// DeleteRequirement removes a requirement.
func (a *App) DeleteRequirement(ctx context.Context, actor org.Actor, id string) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		before, err := visibleRequirement(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if err := mayRequire(ctx, tx, v, before.Subject); err != nil {
			return err
		}
		if err := tx.DeleteRequirement(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "skill_requirement.delete", "skill_requirement", id, before, nil)
	})
}

// ---- assessments

// AssessmentInput asserts a person's level in a skill.
type AssessmentInput struct {
	UserID   string            `json:"user_id"`
	SkillID  string            `json:"skill_id"`
	Level    int               `json:"level" doc:"0 (none) up to the top of the skill's scale."`
	Source   learning.Source   `json:"source" enum:"self,manager,peer,assessment,certification,badge" doc:"learning and xapi assertions are made by okra from completions and statements."`
	Evidence learning.Evidence `json:"evidence,omitzero"`
	Date     okr.Date          `json:"date,omitempty" doc:"When the level was shown; default today."`
}

// leadsPerson reports whether the actor leads a team the person is in,
// directly or through a sub-team.
func leadsPerson(ctx context.Context, tx Tx, actor org.Actor, userID string) (bool, error) {
	ppl := newPeople(ctx, tx, actor.OrgID)
	if err := ppl.load(); err != nil {
		return false, err
	}
	for _, t := range ppl.teams {
		if !slices.Contains(t.LeadIDs, actor.UserID) {
			continue
		}
		members, err := ppl.team(t.ID)
		if err != nil {
			return false, err
		}
		if slices.Contains(members, userID) {
			return true, nil
		}
	}
	return false, nil
}

// mayAssess says who may assert which source: anyone about themselves
// (self), admins and the leads of a person's teams (manager), any other
// member (peer), admins (assessment, certification, badge).
func mayAssess(ctx context.Context, tx Tx, actor org.Actor, in AssessmentInput) error {
	switch in.Source {
	case learning.SourceSelf:
		if in.UserID != actor.UserID {
			return errs.E(errs.Forbidden, "a self-assessment is about yourself; assess others as peer or manager")
		}
	case learning.SourceManager:
		if actor.EditsAll() {
			return nil
		}
		ok, err := leadsPerson(ctx, tx, actor, in.UserID)
		if err != nil {
			return err
		}
		if !ok {
			return errs.E(errs.Forbidden, "only admins and the leads of the person's teams assess as manager")
		}
	case learning.SourcePeer:
		if in.UserID == actor.UserID {
			return errs.E(errs.Forbidden, "assess yourself with source self")
		}
	case learning.SourceAssessment, learning.SourceCertification, learning.SourceBadge:
		if !actor.EditsAll() {
			return errs.E(errs.Forbidden, "only admins record %s results", in.Source)
		}
	case learning.SourceLearning, learning.SourceXAPI:
		var f errs.Fields
		f.Add("source", "%s assertions are made by okra from completed enrollments and xAPI statements", in.Source)
		return f.Err()
	default:
		var f errs.Fields
		f.Add("source", "must be self, manager, peer, assessment, certification or badge")
		return f.Err()
	}
	return nil
}

// CreateAssessment records a skill assertion; learning key results and gaps follow.
func (a *App) CreateAssessment(ctx context.Context, actor org.Actor, in AssessmentInput, idemKey string) (learning.Assessment, error) {
	var out learning.Assessment
	if err := requireWrite(actor); err != nil {
		return out, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "assessment.create", in, func() (string, error) {
			var f errs.Fields
			if _, err := tx.GetMember(ctx, actor.OrgID, in.UserID); errs.Is(err, errs.NotFound) {
				f.Add("user_id", "no member %s in this organization", in.UserID)
			} else if err != nil {
				return "", err
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			if err := mayAssess(ctx, tx, actor, in); err != nil {
				return "", err
			}
			o, err := tx.GetOrganization(ctx, actor.OrgID)
			if err != nil {
				return "", err
			}
			as := learning.Assessment{ID: NewID(), OrgID: actor.OrgID, UserID: in.UserID, SkillID: in.SkillID, Level: in.Level,
				Source: in.Source, AssessorID: actor.UserID, Evidence: in.Evidence, Date: in.Date}
			if as.Date == "" {
				as.Date = today(tx, o)
			}
			if !as.Date.Valid() {
				f.Add("date", "must be a date like 2027-03-31")
			} else if as.Date > today(tx, o) {
				f.Add("date", "is in the future; an assessment records a level already shown")
			}
			if as.Level != 0 {
				if _, err := levelIn(ctx, tx, actor.OrgID, as.SkillID, as.Level, "level", &f); err != nil {
					return "", err
				}
			} else if _, err := tx.GetSkill(ctx, actor.OrgID, as.SkillID); errs.Is(err, errs.NotFound) {
				f.Add("skill_id", "no skill %s in this organization", as.SkillID)
			}
			if sc := as.Evidence.Score; sc != nil && (!finite(*sc) || *sc < 0 || *sc > 100) {
				f.Add("evidence.score", "must be between 0 and 100")
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			if err := tx.InsertAssessment(ctx, &as); err != nil {
				return "", err
			}
			if err := record(ctx, tx, actor, "assessment.create", "assessment", as.ID, nil, as); err != nil {
				return "", err
			}
			if err := celebrateAssessment(ctx, tx, actor, as); err != nil {
				return "", err
			}
			_, err = refreshLearning(ctx, tx, actor)
			return as.ID, err
		})
		if err != nil {
			return err
		}
		out, err = tx.GetAssessment(ctx, actor.OrgID, id)
		return err
	})
	return out, err
}

// DeleteAssessment removes an assertion made in error: its assessor or an admin.
func (a *App) DeleteAssessment(ctx context.Context, actor org.Actor, id string) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetAssessment(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if before.AssessorID != actor.UserID && !actor.EditsAll() {
			return errs.E(errs.Forbidden, "only the assessor and admins may remove an assessment")
		}
		if err := tx.DeleteAssessment(ctx, actor.OrgID, id); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "assessment.delete", "assessment", id, before, nil); err != nil {
			return err
		}
		_, err = refreshLearning(ctx, tx, actor)
		return err
	})
}

// UserSkill is a person's standing in one skill: the effective level and the
// assertions behind it.
type UserSkill struct {
	Skill          learning.Skill `json:"skill"`
	EffectiveLevel int            `json:"effective_level"`
	LevelName      string         `json:"level_name"`
	// Decayed: no assertion is inside the decay window; the latest counts one level lower.
	Decayed bool `json:"decayed"`
	// Basis is the assertion that decides the level.
	Basis       *learning.Assessment  `json:"basis"`
	Assessments []learning.Assessment `json:"assessments" doc:"Every assertion, newest first."`
}

// UserSkills returns a person's skills: every skill they were ever assessed
// in, with the effective level of DESIGN §3 and the assertions behind it.
func (a *App) UserSkills(ctx context.Context, actor org.Actor, userID string) ([]UserSkill, error) {
	if err := requireRead(actor); err != nil {
		return nil, err
	}
	out := []UserSkill{}
	err := a.db.Read(ctx, func(tx Tx) error {
		if _, err := tx.GetMember(ctx, actor.OrgID, userID); err != nil {
			return err
		}
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		as, err := tx.ListAssessments(ctx, actor.OrgID, learning.AssessmentFilter{UserIDs: []string{userID}})
		if err != nil {
			return err
		}
		bySkill := map[string][]learning.Assessment{}
		var order []string
		for _, x := range as {
			if _, ok := bySkill[x.SkillID]; !ok {
				order = append(order, x.SkillID)
			}
			bySkill[x.SkillID] = append(bySkill[x.SkillID], x)
		}
		if len(order) == 0 {
			return nil
		}
		skills, err := tx.ListSkills(ctx, actor.OrgID, learning.SkillFilter{IDs: order})
		if err != nil {
			return err
		}
		day := today(tx, o)
		for _, s := range skills {
			list := bySkill[s.ID]
			eff := learning.EffectiveLevel(list, day, o.Settings.SkillDecayDays)
			scale, err := scaleOf(ctx, tx, actor.OrgID, s.ScaleID)
			if err != nil {
				return err
			}
			newest := slices.Clone(list)
			slices.Reverse(newest)
			out = append(out, UserSkill{Skill: s, EffectiveLevel: eff.Level, LevelName: scale.LevelName(eff.Level),
				Decayed: eff.Decayed, Basis: eff.Basis, Assessments: newest})
		}
		return nil
	})
	return out, err
}
