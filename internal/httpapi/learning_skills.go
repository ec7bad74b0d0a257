package httpapi

import (
	"context"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
)

// ---- scales

func (s *Server) listScales(ctx context.Context, _ *struct{}) (*bodyOutput[ItemList[learning.Scale]], error) {
	scales, err := s.app.ListScales(ctx, actorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return items(scales), nil
}

type createScaleInput struct {
	IdempotencyHeader
	Body app.ScaleInput
}

// createScale answers 201 without Location: scales are read through the list.
func (s *Server) createScale(ctx context.Context, in *createScaleInput) (*taggedOutput[learning.Scale], error) {
	sc, err := s.app.CreateScale(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return tagged(sc, sc.Version), nil
}

// ---- skills

type createSkillInput struct {
	IdempotencyHeader
	Body app.SkillInput
}

func (s *Server) createSkill(ctx context.Context, in *createSkillInput) (*createdTaggedOutput[learning.Skill], error) {
	sk, err := s.app.CreateSkill(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(sk, location("skills", sk.ID), sk.Version), nil
}

type listSkillsInput struct {
	Q        string `query:"q" doc:"Only skills whose name or description contains this, ignoring case."`
	Category string `query:"category" doc:"Only skills of this category."`
	PageParams
}

func (s *Server) listSkills(ctx context.Context, in *listSkillsInput) (*bodyOutput[app.Page[learning.Skill]], error) {
	page, err := s.app.ListSkills(ctx, actorFrom(ctx), app.SkillQuery{Query: in.Q, Category: in.Category, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[learning.Skill]]{Body: page}, nil
}

func (s *Server) getSkill(ctx context.Context, in *IDParam) (*taggedOutput[learning.Skill], error) {
	sk, err := s.app.GetSkill(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(sk, sk.Version), nil
}

type updateSkillInput struct {
	IDParam
	IfMatchHeader
	Body app.SkillUpdate
}

func (s *Server) updateSkill(ctx context.Context, in *updateSkillInput) (*taggedOutput[learning.Skill], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	sk, err := s.app.UpdateSkill(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(sk, sk.Version), nil
}

func (s *Server) deleteSkill(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteSkill(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}

// SkillImportRequest is a framework file to import skills from.
type SkillImportRequest struct {
	Framework learning.Framework `json:"framework,omitempty" enum:"esco,onet,case" doc:"The file's format; when absent, okra tells it from the content."`
	Content   string             `json:"content" minLength:"1" doc:"The file's text: ESCO's skills CSV (skills_en.csv), O*NET's Skills file (CSV or tab-separated) or a CASE 1.0 CFPackage (JSON)."`
	ScaleID   string             `json:"scale_id,omitempty" doc:"The scale of new skills; default okra-default."`
	DryRun    bool               `json:"dry_run,omitempty" doc:"Report what the import would create and update, and change nothing."`
}

type importSkillsInput struct {
	Body SkillImportRequest
}

// maxImportBytes bounds the body of a file import (a skills framework, an
// LMS completion report), above huma's default of 1 MiB: ESCO's full skills
// file is several megabytes.
const maxImportBytes = 32 << 20

// importSkills parses a framework file and creates or updates its skills
// (by URI); a file okra cannot read is a 422 on the field content.
func (s *Server) importSkills(ctx context.Context, in *importSkillsInput) (*bodyOutput[app.SkillImport], error) {
	actor := actorFrom(ctx)
	// ImportSkills checks this too; checking first spares a member the
	// parse and answers them 403, not a complaint about the file.
	if !actor.IsAdmin() {
		return nil, errs.E(errs.Forbidden, "only an admin (with an admin-scoped token) may import skills")
	}
	framework := in.Body.Framework
	if framework == "" {
		if framework = learning.DetectFramework("", []byte(in.Body.Content)); framework == "" {
			var f errs.Fields
			f.Add("framework", "okra cannot tell the file's format from its content: give esco, onet or case")
			return nil, f.Err()
		}
	}
	var skills []learning.ImportedSkill
	var err error
	switch r := strings.NewReader(in.Body.Content); framework {
	case learning.FrameworkESCO:
		skills, err = learning.ParseESCO(r)
	case learning.FrameworkONET:
		skills, err = learning.ParseONET(r)
	default:
		skills, err = learning.ParseCASE(r)
	}
	if err != nil {
		var f errs.Fields
		f.Add("content", "%s", err.Error())
		return nil, f.Err()
	}
	res, err := s.app.ImportSkills(ctx, actor, framework, skills, in.Body.ScaleID, in.Body.DryRun)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.SkillImport]{Body: res}, nil
}

// ---- requirements

type createRequirementInput struct {
	IdempotencyHeader
	Body app.RequirementInput
}

func (s *Server) createRequirement(ctx context.Context, in *createRequirementInput) (*createdTaggedOutput[learning.Requirement], error) {
	r, err := s.app.CreateRequirement(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(r, location("skill-requirements", r.ID), r.Version), nil
}

type listRequirementsInput struct {
	SubjectType string `query:"subject_type" enum:"objective,key_result,team,role" doc:"Only requirements of objectives, key results, teams or role profiles."`
	SubjectID   string `query:"subject_id" doc:"Only requirements of this objective, key result, team or role profile."`
	SkillID     string `query:"skill_id" doc:"Only requirements of this skill."`
	PageParams
}

func (s *Server) listRequirements(ctx context.Context, in *listRequirementsInput) (*bodyOutput[app.Page[learning.Requirement]], error) {
	page, err := s.app.ListRequirements(ctx, actorFrom(ctx), app.RequirementQuery{SubjectType: learning.SubjectType(in.SubjectType),
		SubjectID: in.SubjectID, SkillID: in.SkillID, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[learning.Requirement]]{Body: page}, nil
}

func (s *Server) getRequirement(ctx context.Context, in *IDParam) (*taggedOutput[learning.Requirement], error) {
	r, err := s.app.GetRequirement(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(r, r.Version), nil
}

type updateRequirementInput struct {
	IDParam
	IfMatchHeader
	Body app.RequirementUpdate
}

func (s *Server) updateRequirement(ctx context.Context, in *updateRequirementInput) (*taggedOutput[learning.Requirement], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	r, err := s.app.UpdateRequirement(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(r, r.Version), nil
}

func (s *Server) deleteRequirement(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteRequirement(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}

// ---- assessments and a person's skills

type createAssessmentInput struct {
	IdempotencyHeader
	Body app.AssessmentInput
}

// createAssessment answers 201 without Location: an assessment is read
// through GET /users/{id}/skills, with the others behind a level.
func (s *Server) createAssessment(ctx context.Context, in *createAssessmentInput) (*bodyOutput[learning.Assessment], error) {
	as, err := s.app.CreateAssessment(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[learning.Assessment]{Body: as}, nil
}

func (s *Server) deleteAssessment(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteAssessment(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}

func (s *Server) userSkills(ctx context.Context, in *IDParam) (*bodyOutput[ItemList[app.UserSkill]], error) {
	us, err := s.app.UserSkills(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return items(us), nil
}

// ---- role profiles

type createRoleInput struct {
	IdempotencyHeader
	Body app.RoleInput
}

func (s *Server) createRole(ctx context.Context, in *createRoleInput) (*createdTaggedOutput[learning.RoleProfile], error) {
	r, err := s.app.CreateRole(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(r, location("roles", r.ID), r.Version), nil
}

func (s *Server) listRoles(ctx context.Context, in *PageParams) (*bodyOutput[app.Page[learning.RoleProfile]], error) {
	page, err := s.app.ListRoles(ctx, actorFrom(ctx), in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[learning.RoleProfile]]{Body: page}, nil
}

func (s *Server) getRole(ctx context.Context, in *IDParam) (*taggedOutput[learning.RoleProfile], error) {
	r, err := s.app.GetRole(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(r, r.Version), nil
}

type updateRoleInput struct {
	IDParam
	IfMatchHeader
	Body app.RoleUpdate
}

func (s *Server) updateRole(ctx context.Context, in *updateRoleInput) (*taggedOutput[learning.RoleProfile], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	r, err := s.app.UpdateRole(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(r, r.Version), nil
}

func (s *Server) deleteRole(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteRole(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}
