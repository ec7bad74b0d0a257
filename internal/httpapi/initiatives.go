package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

type createInitiativeInput struct {
	IdempotencyHeader
	Body app.InitiativeInput
}

func (s *Server) createInitiative(ctx context.Context, in *createInitiativeInput) (*createdTaggedOutput[okr.Initiative], error) {
	i, err := s.app.CreateInitiative(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(i, location("initiatives", i.ID), i.Version), nil
}

type listInitiativesInput struct {
	KeyResultID string `query:"key_result_id" doc:"Only initiatives linked to this key result."`
	OwnerID     string `query:"owner_id" doc:"Only initiatives this person owns."`
	PageParams
}

func (s *Server) listInitiatives(ctx context.Context, in *listInitiativesInput) (*bodyOutput[app.Page[okr.Initiative]], error) {
	page, err := s.app.ListInitiatives(ctx, actorFrom(ctx), app.InitiativeQuery{KeyResultID: in.KeyResultID,
		OwnerID: in.OwnerID, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[okr.Initiative]]{Body: page}, nil
}

func (s *Server) getInitiative(ctx context.Context, in *IDParam) (*taggedOutput[okr.Initiative], error) {
	i, err := s.app.GetInitiative(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(i, i.Version), nil
}

type updateInitiativeInput struct {
	IDParam
	IfMatchHeader
	Body app.InitiativeUpdate
}

func (s *Server) updateInitiative(ctx context.Context, in *updateInitiativeInput) (*taggedOutput[okr.Initiative], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	i, err := s.app.UpdateInitiative(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(i, i.Version), nil
}

func (s *Server) deleteInitiative(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteInitiative(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}
