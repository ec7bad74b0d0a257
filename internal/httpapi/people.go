package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/org"
)

func (s *Server) getMe(ctx context.Context, _ *struct{}) (*bodyOutput[app.Me], error) {
	me, err := s.app.Me(ctx, actorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Me]{Body: me}, nil
}

type createUserInput struct {
	IdempotencyHeader
	Body app.UserInput
}

func (s *Server) createUser(ctx context.Context, in *createUserInput) (*createdOutput[org.Member], error) {
	m, err := s.app.CreateUser(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return &createdOutput[org.Member]{Location: location("users", m.ID), Body: m}, nil
}

type listUsersInput struct {
	PageParams
}

func (s *Server) listUsers(ctx context.Context, in *listUsersInput) (*bodyOutput[app.Page[org.Member]], error) {
	page, err := s.app.ListUsers(ctx, actorFrom(ctx), in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[org.Member]]{Body: page}, nil
}

func (s *Server) getUser(ctx context.Context, in *IDParam) (*bodyOutput[org.Member], error) {
	m, err := s.app.GetUser(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[org.Member]{Body: m}, nil
}

type updateUserInput struct {
	IDParam
	IfMatchHeader
	Body app.MemberUpdate
}

func (s *Server) updateUser(ctx context.Context, in *updateUserInput) (*taggedOutput[org.Member], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	m, err := s.app.UpdateUser(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(m, m.Version), nil
}

type createTokenInput struct {
	IdempotencyHeader
	Body app.TokenInput
}

// createToken answers 201 without Location: a token cannot be read back
// (its secret is shown once); it is listed and revoked.
func (s *Server) createToken(ctx context.Context, in *createTokenInput) (*bodyOutput[app.NewToken], error) {
	t, err := s.app.CreateToken(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.NewToken]{Body: t}, nil
}

func (s *Server) listTokens(ctx context.Context, in *PageParams) (*bodyOutput[app.Page[org.Token]], error) {
	page, err := s.app.ListTokens(ctx, actorFrom(ctx), in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[org.Token]]{Body: page}, nil
}

func (s *Server) revokeToken(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.RevokeToken(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}
