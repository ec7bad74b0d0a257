package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
)

type gapsInput struct {
	Scope    string `query:"scope" default:"org" doc:"Whose gaps: org (every requirement against its own subject's people), team:ID (the team with its sub-teams), objective:ID, key_result:ID or role:ID."`
	PeriodID string `query:"period_id" doc:"Count the requirements of objectives and key results of this period only; default every period not closed."`
}

// gaps answers the gap analysis of a scope, ranked by burden, highest first.
func (s *Server) gaps(ctx context.Context, in *gapsInput) (*bodyOutput[app.GapReport], error) {
	rep, err := s.app.Gaps(ctx, actorFrom(ctx), app.GapQuery{Scope: in.Scope, PeriodID: in.PeriodID})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.GapReport]{Body: rep}, nil
}

type forecastInput struct {
	PeriodID string `query:"period_id" doc:"The coming period; default the earliest period in planning."`
}

// demandForecast runs the gap analysis on a coming period's draft objectives.
func (s *Server) demandForecast(ctx context.Context, in *forecastInput) (*bodyOutput[app.GapReport], error) {
	rep, err := s.app.DemandForecast(ctx, actorFrom(ctx), in.PeriodID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.GapReport]{Body: rep}, nil
}

type analyticsInput struct {
	PeriodID string `query:"period_id" doc:"Only the enrollments, requirements and key results of this period."`
	TeamID   string `query:"team_id" doc:"Only this team with its sub-teams."`
}

// learningAnalytics answers the L&D dashboard's numbers: completion, scores
// and ratings by program and team, skill coverage over time and program
// effectiveness.
func (s *Server) learningAnalytics(ctx context.Context, in *analyticsInput) (*bodyOutput[app.LearningAnalytics], error) {
	res, err := s.app.LearningAnalytics(ctx, actorFrom(ctx), app.AnalyticsQuery{PeriodID: in.PeriodID, TeamID: in.TeamID})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.LearningAnalytics]{Body: res}, nil
}
