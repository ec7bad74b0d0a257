package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
)

type alignmentInput struct {
	PeriodID string `query:"period_id" required:"true" doc:"The period whose tree to show."`
}

func (s *Server) alignment(ctx context.Context, in *alignmentInput) (*bodyOutput[app.Tree], error) {
	t, err := s.app.Alignment(ctx, actorFrom(ctx), in.PeriodID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Tree]{Body: t}, nil
}
