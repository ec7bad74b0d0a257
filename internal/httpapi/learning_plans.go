package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
)

// ---- learning objectives and a person's plan

type createLearningObjectiveInput struct {
	IdempotencyHeader
	Body app.LearningObjectiveInput
}

// createLearningObjective answers 201 with the learning objective and, when
// it deserves them, the coach's warnings.
func (s *Server) createLearningObjective(ctx context.Context, in *createLearningObjectiveInput) (*createdTaggedOutput[app.LearningObjectiveResult], error) {
	l, err := s.app.CreateLearningObjective(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(l, location("learning-objectives", l.ID), l.Version), nil
}

type listLearningObjectivesInput struct {
	UserID      string `query:"user_id" doc:"Only this person's learning objectives."`
	TeamID      string `query:"team_id" doc:"Only this team's learning objectives."`
	ObjectiveID string `query:"objective_id" doc:"Only the learning objectives serving this objective."`
	KeyResultID string `query:"key_result_id" doc:"Only the learning objectives serving this key result."`
	PageParams
}

func (s *Server) listLearningObjectives(ctx context.Context, in *listLearningObjectivesInput) (*bodyOutput[app.Page[learning.LearningObjective]], error) {
	page, err := s.app.ListLearningObjectives(ctx, actorFrom(ctx), app.LearningObjectiveQuery{UserID: in.UserID, TeamID: in.TeamID,
		ObjectiveID: in.ObjectiveID, KeyResultID: in.KeyResultID, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[learning.LearningObjective]]{Body: page}, nil
}

func (s *Server) getLearningObjective(ctx context.Context, in *IDParam) (*taggedOutput[app.LearningObjectiveResult], error) {
	l, err := s.app.GetLearningObjective(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(l, l.Version), nil
}

type updateLearningObjectiveInput struct {
	IDParam
	IfMatchHeader
	Body app.LearningObjectiveUpdate
}

func (s *Server) updateLearningObjective(ctx context.Context, in *updateLearningObjectiveInput) (*taggedOutput[app.LearningObjectiveResult], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	l, err := s.app.UpdateLearningObjective(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(l, l.Version), nil
}

func (s *Server) deleteLearningObjective(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteLearningObjective(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}

func (s *Server) learningPlan(ctx context.Context, in *IDParam) (*bodyOutput[app.LearningPlan], error) {
	p, err := s.app.MyLearningPlan(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.LearningPlan]{Body: p}, nil
}

// ---- mentorships

type createMentorshipInput struct {
	IdempotencyHeader
	Body app.MentorshipInput
}

func (s *Server) createMentorship(ctx context.Context, in *createMentorshipInput) (*createdTaggedOutput[learning.Mentorship], error) {
	m, err := s.app.CreateMentorship(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(m, location("mentorships", m.ID), m.Version), nil
}

type listMentorshipsInput struct {
	UserID  string `query:"user_id" doc:"Only this person's mentorships, as mentor or mentee."`
	As      string `query:"as" enum:"mentor,mentee" doc:"With user_id: only those where the person is the mentor, or the mentee."`
	SkillID string `query:"skill_id" doc:"Only mentorships in this skill."`
	Active  bool   `query:"active" doc:"Only the mentorships running today."`
	PageParams
}

func (s *Server) listMentorships(ctx context.Context, in *listMentorshipsInput) (*bodyOutput[app.Page[learning.Mentorship]], error) {
	page, err := s.app.ListMentorships(ctx, actorFrom(ctx), app.MentorshipQuery{UserID: in.UserID, As: in.As, SkillID: in.SkillID,
		Active: in.Active, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[learning.Mentorship]]{Body: page}, nil
}

func (s *Server) getMentorship(ctx context.Context, in *IDParam) (*taggedOutput[learning.Mentorship], error) {
	m, err := s.app.GetMentorship(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(m, m.Version), nil
}

type updateMentorshipInput struct {
	IDParam
	IfMatchHeader
	Body app.MentorshipUpdate
}

func (s *Server) updateMentorship(ctx context.Context, in *updateMentorshipInput) (*taggedOutput[learning.Mentorship], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	m, err := s.app.UpdateMentorship(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(m, m.Version), nil
}

// ---- feedback

type giveFeedbackInput struct {
	IdempotencyHeader
	Body app.FeedbackInput
}

// giveFeedback answers 201 without Location: feedback is read through the
// list, which applies its visibility.
func (s *Server) giveFeedback(ctx context.Context, in *giveFeedbackInput) (*bodyOutput[learning.Feedback], error) {
	fb, err := s.app.GiveFeedback(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[learning.Feedback]{Body: fb}, nil
}

type listFeedbackInput struct {
	ToID        string `query:"to_id" doc:"Only feedback to this person."`
	FromID      string `query:"from_id" doc:"Only feedback from this person."`
	SubjectType string `query:"subject_type" enum:"enrollment,skill,objective" doc:"Only feedback about enrollments, skills or objectives."`
	SubjectID   string `query:"subject_id" doc:"Only feedback about this enrollment, skill or objective."`
	PageParams
}

func (s *Server) listFeedback(ctx context.Context, in *listFeedbackInput) (*bodyOutput[app.Page[learning.Feedback]], error) {
	page, err := s.app.ListFeedback(ctx, actorFrom(ctx), app.FeedbackQuery{ToID: in.ToID, FromID: in.FromID,
		SubjectType: in.SubjectType, SubjectID: in.SubjectID, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[learning.Feedback]]{Body: page}, nil
}
