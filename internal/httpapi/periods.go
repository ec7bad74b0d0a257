package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

type createPeriodInput struct {
	IdempotencyHeader
	Body app.PeriodInput
}

func (s *Server) createPeriod(ctx context.Context, in *createPeriodInput) (*createdTaggedOutput[okr.Period], error) {
	p, err := s.app.CreatePeriod(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(p, location("periods", p.ID), p.Version), nil
}

type listPeriodsInput struct {
	PageParams
}

func (s *Server) listPeriods(ctx context.Context, in *listPeriodsInput) (*bodyOutput[app.Page[okr.Period]], error) {
	page, err := s.app.ListPeriods(ctx, actorFrom(ctx), in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[okr.Period]]{Body: page}, nil
}

func (s *Server) getPeriod(ctx context.Context, in *IDParam) (*taggedOutput[okr.Period], error) {
	p, err := s.app.GetPeriod(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(p, p.Version), nil
}

type updatePeriodInput struct {
	IDParam
	IfMatchHeader
	Body app.PeriodUpdate
}

func (s *Server) updatePeriod(ctx context.Context, in *updatePeriodInput) (*taggedOutput[okr.Period], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	p, err := s.app.UpdatePeriod(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(p, p.Version), nil
}

func (s *Server) activatePeriod(ctx context.Context, in *IDParam) (*taggedOutput[okr.Period], error) {
	p, err := s.app.ActivatePeriod(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(p, p.Version), nil
}

func (s *Server) closePeriod(ctx context.Context, in *IDParam) (*taggedOutput[okr.Period], error) {
	p, err := s.app.ClosePeriod(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(p, p.Version), nil
}
