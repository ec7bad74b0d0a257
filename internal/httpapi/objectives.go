package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

type createObjectiveInput struct {
	IdempotencyHeader
	Body app.ObjectiveInput
}

func (s *Server) createObjective(ctx context.Context, in *createObjectiveInput) (*createdTaggedOutput[okr.Objective], error) {
	o, err := s.app.CreateObjective(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(o, location("objectives", o.ID), o.Version), nil
}

type listObjectivesInput struct {
	PeriodID  string `query:"period_id" doc:"Only objectives of this period."`
	OwnerType string `query:"owner_type" enum:"org,team,user" doc:"Only objectives owned by the organization, a team or a person."`
	OwnerID   string `query:"owner_id" doc:"Only objectives of this team or person."`
	PageParams
}

func (s *Server) listObjectives(ctx context.Context, in *listObjectivesInput) (*bodyOutput[app.Page[okr.Objective]], error) {
	page, err := s.app.ListObjectives(ctx, actorFrom(ctx), app.ObjectiveQuery{PeriodID: in.PeriodID,
		OwnerType: okr.OwnerType(in.OwnerType), OwnerID: in.OwnerID, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[okr.Objective]]{Body: page}, nil
}

func (s *Server) getObjective(ctx context.Context, in *IDParam) (*taggedOutput[okr.Objective], error) {
	o, err := s.app.GetObjective(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(o, o.Version), nil
}

type updateObjectiveInput struct {
	IDParam
	IfMatchHeader
	Body app.ObjectiveUpdate
}

func (s *Server) updateObjective(ctx context.Context, in *updateObjectiveInput) (*taggedOutput[okr.Objective], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	o, err := s.app.UpdateObjective(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(o, o.Version), nil
}

func (s *Server) deleteObjective(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteObjective(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}
