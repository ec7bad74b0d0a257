package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

type createCommentInput struct {
	IdempotencyHeader
	Body app.CommentInput
}

func (s *Server) createComment(ctx context.Context, in *createCommentInput) (*createdOutput[okr.Comment], error) {
	c, err := s.app.CreateComment(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return &createdOutput[okr.Comment]{Location: location("comments", c.ID), Body: c}, nil
}

type listCommentsInput struct {
	SubjectType string `query:"subject_type" required:"true" enum:"objective,key_result,initiative,check_in" doc:"What the comments are about."`
	SubjectID   string `query:"subject_id" required:"true" doc:"The id of the objective, key result, initiative or check-in."`
	PageParams
}

func (s *Server) listComments(ctx context.Context, in *listCommentsInput) (*bodyOutput[app.Page[okr.Comment]], error) {
	page, err := s.app.ListComments(ctx, actorFrom(ctx), okr.SubjectType(in.SubjectType), in.SubjectID, in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[okr.Comment]]{Body: page}, nil
}

func (s *Server) getComment(ctx context.Context, in *IDParam) (*bodyOutput[okr.Comment], error) {
	c, err := s.app.GetComment(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[okr.Comment]{Body: c}, nil
}

func (s *Server) deleteComment(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteComment(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}
