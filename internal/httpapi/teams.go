package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/org"
)

type createTeamInput struct {
	IdempotencyHeader
	Body app.TeamInput
}

func (s *Server) createTeam(ctx context.Context, in *createTeamInput) (*createdTaggedOutput[org.Team], error) {
	t, err := s.app.CreateTeam(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(t, location("teams", t.ID), t.Version), nil
}

func (s *Server) listTeams(ctx context.Context, in *PageParams) (*bodyOutput[app.Page[org.Team]], error) {
	page, err := s.app.ListTeams(ctx, actorFrom(ctx), in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[org.Team]]{Body: page}, nil
}

func (s *Server) getTeam(ctx context.Context, in *IDParam) (*taggedOutput[org.Team], error) {
	t, err := s.app.GetTeam(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(t, t.Version), nil
}

type updateTeamInput struct {
	IDParam
	IfMatchHeader
	Body app.TeamUpdate
}

func (s *Server) updateTeam(ctx context.Context, in *updateTeamInput) (*taggedOutput[org.Team], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	t, err := s.app.UpdateTeam(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(t, t.Version), nil
}

func (s *Server) deleteTeam(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteTeam(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}
