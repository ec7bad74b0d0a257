package httpapi

import (
	"context"

	"github.com/danielgtaylor/huma/v2"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

const tagRecognition = "Lessons and recognition"

// recognitionRoutes registers lessons, kudos, the celebration feed and
// review packets.
func (s *Server) recognitionRoutes(api huma.API) {
	register(s, api, create("/lessons", "createLesson", "Write a lesson learned", tagRecognition), s.createLesson)
	register(s, api, list("/lessons", "listLessons", "Search the organization's lessons, ranked", tagRecognition), s.listLessons)
	register(s, api, list("/lesson-tags", "listLessonTags", "The lessons' tags, most used first", tagRecognition), s.lessonTags)
	register(s, api, get("/lessons/{id}", "getLesson", "Get a lesson", tagRecognition), s.getLesson)
	register(s, api, patch("/lessons/{id}", "updateLesson", "Change a lesson (its author or an admin)", tagRecognition), s.updateLesson)
	register(s, api, del("/lessons/{id}", "deleteLesson", "Delete a lesson (its author or an admin)", tagRecognition), s.deleteLesson)
	register(s, api, action("/lessons/{id}/helpful", "voteLessonHelpful", "Say a lesson helped you (once per person)", tagRecognition), s.voteLesson)
	register(s, api, del("/lessons/{id}/helpful", "unvoteLessonHelpful", "Withdraw your helpful vote", tagRecognition), s.unvoteLesson)
	register(s, api, get("/objectives/{id}/lessons", "listObjectiveLessons", "The lessons most useful for an objective, with why", tagRecognition), s.objectiveLessons)
	register(s, api, create("/kudos", "giveKudos", "Recognize a person or a team", tagRecognition), s.giveKudos)
	register(s, api, list("/kudos", "listKudos", "List kudos, newest first", tagRecognition), s.listKudos)
	register(s, api, get("/kudos/{id}", "getKudos", "Get a kudos", tagRecognition), s.getKudos)
	register(s, api, del("/kudos/{id}", "deleteKudos", "Remove a kudos (its author or an admin)", tagRecognition), s.deleteKudos)
	register(s, api, list("/celebrations", "listCelebrations", "The celebration feed: achievements recorded by themselves, and kudos", tagRecognition), s.listCelebrations)
	register(s, api, get("/users/{id}/review-packet", "getReviewPacket", "A person's review packet for a period (the person, their leads, admins)", tagRecognition), s.reviewPacket)
}

// ---- lessons

type createLessonInput struct {
	IdempotencyHeader
	Body app.LessonInput
}

func (s *Server) createLesson(ctx context.Context, in *createLessonInput) (*createdTaggedOutput[okr.Lesson], error) {
	l, err := s.app.CreateLesson(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(l, location("lessons", l.ID), l.Version), nil
}

type listLessonsInput struct {
	Q           string `query:"q" doc:"Words to find, each matched case-insensitively (as the start of a word) in the title, the tags or the body."`
	Tag         string `query:"tag" doc:"Only lessons with this tag."`
	SkillID     string `query:"skill_id" doc:"Only lessons about this skill."`
	ObjectiveID string `query:"objective_id" doc:"Only lessons learned on this objective."`
	TeamID      string `query:"team_id" doc:"Only lessons of this team."`
	AuthorID    string `query:"author_id" doc:"Only lessons by this person."`
	PageParams
}

func (s *Server) listLessons(ctx context.Context, in *listLessonsInput) (*bodyOutput[app.Page[okr.Lesson]], error) {
	page, err := s.app.ListLessons(ctx, actorFrom(ctx), app.LessonQuery{Q: in.Q, Tag: in.Tag, SkillID: in.SkillID,
		ObjectiveID: in.ObjectiveID, TeamID: in.TeamID, AuthorID: in.AuthorID, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[okr.Lesson]]{Body: page}, nil
}

type tagsBody struct {
	Items []app.TagCount `json:"items"`
}

func (s *Server) lessonTags(ctx context.Context, _ *struct{}) (*bodyOutput[tagsBody], error) {
	tags, err := s.app.LessonTags(ctx, actorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return &bodyOutput[tagsBody]{Body: tagsBody{Items: tags}}, nil
}

func (s *Server) getLesson(ctx context.Context, in *IDParam) (*taggedOutput[okr.Lesson], error) {
	l, err := s.app.GetLesson(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(l, l.Version), nil
}

type updateLessonInput struct {
	IDParam
	IfMatchHeader
	Body app.LessonUpdate
}

func (s *Server) updateLesson(ctx context.Context, in *updateLessonInput) (*taggedOutput[okr.Lesson], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	l, err := s.app.UpdateLesson(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(l, l.Version), nil
}

func (s *Server) deleteLesson(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteLesson(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}

func (s *Server) voteLesson(ctx context.Context, in *IDParam) (*taggedOutput[okr.Lesson], error) {
	l, err := s.app.VoteLesson(ctx, actorFrom(ctx), in.ID, true)
	if err != nil {
		return nil, err
	}
	return tagged(l, l.Version), nil
}

func (s *Server) unvoteLesson(ctx context.Context, in *IDParam) (*noContent, error) {
	if _, err := s.app.VoteLesson(ctx, actorFrom(ctx), in.ID, false); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}

type objectiveLessonsInput struct {
	IDParam
	Limit int `query:"limit" minimum:"1" maximum:"50" default:"10" doc:"How many lessons, 1–50."`
}

type relatedLessons struct {
	Items []app.RelatedLesson `json:"items"`
}

func (s *Server) objectiveLessons(ctx context.Context, in *objectiveLessonsInput) (*bodyOutput[relatedLessons], error) {
	ls, err := s.app.ObjectiveLessons(ctx, actorFrom(ctx), in.ID, in.Limit)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[relatedLessons]{Body: relatedLessons{Items: ls}}, nil
}

// ---- kudos and celebrations

type giveKudosInput struct {
	IdempotencyHeader
	Body app.KudosInput
}

func (s *Server) giveKudos(ctx context.Context, in *giveKudosInput) (*createdOutput[okr.Kudos], error) {
	k, err := s.app.GiveKudos(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return &createdOutput[okr.Kudos]{Location: location("kudos", k.ID), Body: k}, nil
}

type listKudosInput struct {
	ToUserID string `query:"to_user_id" doc:"Only kudos to this person."`
	ToTeamID string `query:"to_team_id" doc:"Only kudos to this team."`
	FromID   string `query:"from_id" doc:"Only kudos from this person."`
	PageParams
}

func (s *Server) listKudos(ctx context.Context, in *listKudosInput) (*bodyOutput[app.Page[okr.Kudos]], error) {
	page, err := s.app.ListKudos(ctx, actorFrom(ctx), app.KudosQuery{ToUserID: in.ToUserID, ToTeamID: in.ToTeamID,
		FromID: in.FromID, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[okr.Kudos]]{Body: page}, nil
}

func (s *Server) getKudos(ctx context.Context, in *IDParam) (*bodyOutput[okr.Kudos], error) {
	k, err := s.app.GetKudos(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[okr.Kudos]{Body: k}, nil
}

func (s *Server) deleteKudos(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteKudos(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}

type listCelebrationsInput struct {
	UserID string `query:"user_id" doc:"Only what celebrates this person."`
	TeamID string `query:"team_id" doc:"Only what celebrates this team."`
	Kind   string `query:"kind" enum:"key_result_reached,objective_achieved,certification_passed,skill_level_gained,kudos" doc:"Only this kind."`
	PageParams
}

func (s *Server) listCelebrations(ctx context.Context, in *listCelebrationsInput) (*bodyOutput[app.Page[okr.Celebration]], error) {
	page, err := s.app.ListCelebrations(ctx, actorFrom(ctx), app.CelebrationQuery{UserID: in.UserID, TeamID: in.TeamID,
		Kind: okr.CelebrationKind(in.Kind), PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[okr.Celebration]]{Body: page}, nil
}

// ---- review packets

type reviewPacketInput struct {
	IDParam
	PeriodID string `query:"period_id" doc:"The period; default the active one."`
}

func (s *Server) reviewPacket(ctx context.Context, in *reviewPacketInput) (*bodyOutput[app.ReviewPacket], error) {
	p, err := s.app.ReviewPacket(ctx, actorFrom(ctx), in.ID, in.PeriodID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.ReviewPacket]{Body: p}, nil
}
