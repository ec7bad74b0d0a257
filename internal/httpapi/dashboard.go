package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
)

type dashboardInput struct {
	PeriodID string `query:"period_id" required:"true" doc:"The period the dashboard covers."`
	TeamID   string `query:"team_id" doc:"Only the objectives owned by this team, its sub-teams and their people."`
}

func (s *Server) dashboard(ctx context.Context, in *dashboardInput) (*bodyOutput[app.Dashboard], error) {
	d, err := s.app.Dashboard(ctx, actorFrom(ctx), app.DashboardQuery{PeriodID: in.PeriodID, TeamID: in.TeamID})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Dashboard]{Body: d}, nil
}
