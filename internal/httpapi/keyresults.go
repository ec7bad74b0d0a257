package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

type createKeyResultInput struct {
	IdempotencyHeader
	Body app.KeyResultInput
}

func (s *Server) createKeyResult(ctx context.Context, in *createKeyResultInput) (*createdTaggedOutput[okr.KeyResult], error) {
	k, err := s.app.CreateKeyResult(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(k, location("key-results", k.ID), k.Version), nil
}

type listKeyResultsInput struct {
	ObjectiveID string `query:"objective_id" doc:"Only key results of this objective."`
	PeriodID    string `query:"period_id" doc:"Only key results of this period's objectives."`
	OwnerID     string `query:"owner_id" doc:"Only key results this person owns."`
	PageParams
}

func (s *Server) listKeyResults(ctx context.Context, in *listKeyResultsInput) (*bodyOutput[app.Page[okr.KeyResult]], error) {
	page, err := s.app.ListKeyResults(ctx, actorFrom(ctx), app.KeyResultQuery{ObjectiveID: in.ObjectiveID,
		PeriodID: in.PeriodID, OwnerID: in.OwnerID, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[okr.KeyResult]]{Body: page}, nil
}

func (s *Server) getKeyResult(ctx context.Context, in *IDParam) (*taggedOutput[okr.KeyResult], error) {
	k, err := s.app.GetKeyResult(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(k, k.Version), nil
}

type updateKeyResultInput struct {
	IDParam
	IfMatchHeader
	Body app.KeyResultUpdate
}

func (s *Server) updateKeyResult(ctx context.Context, in *updateKeyResultInput) (*taggedOutput[okr.KeyResult], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	k, err := s.app.UpdateKeyResult(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(k, k.Version), nil
}

func (s *Server) deleteKeyResult(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteKeyResult(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}
