package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

// ---- programs

type createProgramInput struct {
	IdempotencyHeader
	Body app.ProgramInput
}

func (s *Server) createProgram(ctx context.Context, in *createProgramInput) (*createdTaggedOutput[learning.Program], error) {
	p, err := s.app.CreateProgram(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(p, location("programs", p.ID), p.Version), nil
}

type listProgramsInput struct {
	Q               string `query:"q" doc:"Only programs whose title, description or provider contains this, ignoring case."`
	SkillID         string `query:"skill_id" doc:"Only programs that teach this skill."`
	IncludeArchived bool   `query:"include_archived" doc:"List archived programs too."`
	PageParams
}

func (s *Server) listPrograms(ctx context.Context, in *listProgramsInput) (*bodyOutput[app.Page[learning.Program]], error) {
	page, err := s.app.ListPrograms(ctx, actorFrom(ctx), app.ProgramQuery{Query: in.Q, SkillID: in.SkillID,
		IncludeArchived: in.IncludeArchived, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[learning.Program]]{Body: page}, nil
}

func (s *Server) getProgram(ctx context.Context, in *IDParam) (*taggedOutput[learning.Program], error) {
	p, err := s.app.GetProgram(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(p, p.Version), nil
}

type updateProgramInput struct {
	IDParam
	IfMatchHeader
	Body app.ProgramUpdate
}

func (s *Server) updateProgram(ctx context.Context, in *updateProgramInput) (*taggedOutput[learning.Program], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	p, err := s.app.UpdateProgram(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(p, p.Version), nil
}

// ---- enrollments

type enrollInput struct {
	IdempotencyHeader
	Body app.EnrollmentInput
}

func (s *Server) enroll(ctx context.Context, in *enrollInput) (*createdTaggedOutput[learning.Enrollment], error) {
	e, err := s.app.Enroll(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(e, location("enrollments", e.ID), e.Version), nil
}

type listEnrollmentsInput struct {
	UserID    string `query:"user_id" doc:"Only this person's enrollments."`
	ProgramID string `query:"program_id" doc:"Only enrollments in this program."`
	Status    string `query:"status" enum:"assigned,in_progress,completed,failed,withdrawn" doc:"Only enrollments in this status."`
	PageParams
}

func (s *Server) listEnrollments(ctx context.Context, in *listEnrollmentsInput) (*bodyOutput[app.Page[learning.Enrollment]], error) {
	page, err := s.app.ListEnrollments(ctx, actorFrom(ctx), app.EnrollmentQuery{UserID: in.UserID, ProgramID: in.ProgramID,
		Status: learning.EnrollmentStatus(in.Status), PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[learning.Enrollment]]{Body: page}, nil
}

func (s *Server) getEnrollment(ctx context.Context, in *IDParam) (*taggedOutput[learning.Enrollment], error) {
	e, err := s.app.GetEnrollment(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(e, e.Version), nil
}

type updateEnrollmentInput struct {
	IDParam
	IfMatchHeader
	Body app.EnrollmentUpdate
}

func (s *Server) updateEnrollment(ctx context.Context, in *updateEnrollmentInput) (*taggedOutput[learning.Enrollment], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	e, err := s.app.UpdateEnrollment(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(e, e.Version), nil
}

// TeamAssignmentRequest assigns a program to every member and lead of a team
// and of its sub-teams.
type TeamAssignmentRequest struct {
	ProgramID           string   `json:"program_id"`
	DueDate             okr.Date `json:"due_date,omitempty"`
	LearningObjectiveID string   `json:"learning_objective_id,omitempty" doc:"The learning objective the enrollments serve."`
}

type assignToTeamInput struct {
	IDParam
	IdempotencyHeader
	Body TeamAssignmentRequest
}

// assignToTeam enrolls a team: 201 with the new enrollments and the people
// skipped (already enrolled, or passed).
func (s *Server) assignToTeam(ctx context.Context, in *assignToTeamInput) (*bodyOutput[app.TeamAssignment], error) {
	actor := actorFrom(ctx)
	// The team is the resource the path names: one the actor cannot find
	// (another organization's) is a 404, not an invalid field.
	if _, err := s.app.GetTeam(ctx, actor, in.ID); err != nil {
		return nil, err
	}
	res, err := s.app.AssignToTeam(ctx, actor, app.TeamAssignmentInput{TeamID: in.ID, ProgramID: in.Body.ProgramID,
		DueDate: in.Body.DueDate, LearningObjectiveID: in.Body.LearningObjectiveID}, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.TeamAssignment]{Body: res}, nil
}
