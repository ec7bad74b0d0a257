package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

const tagReview = "Review"

// reviewRoutes: the period review. POST /periods/{id}/close (periods.go)
// scores the period as it closes it.
func (s *Server) reviewRoutes(api huma.API) {
	register(s, api, get("/periods/{id}/review", "getPeriodReview",
		"A period's review: scores, verdict, retrospectives and decisions (a preview of the close while it is open)", tagReview), s.periodReview)
	register(s, api, patch("/key-results/{id}/score", "adjustScore",
		"Adjust a closed key result's score, with a reason (null removes the adjustment)", tagReview), s.adjustScore)
	put := operation(http.MethodPut, "/objectives/{id}/retrospective", "putRetrospective",
		"Write a closed objective's retrospective; its lessons go to the lessons library", tagReview,
		http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed)
	register(s, api, put, s.putRetrospective)
	register(s, api, get("/objectives/{id}/retrospective", "getRetrospective", "A closed objective's retrospective", tagReview), s.getRetrospective)
	register(s, api, create("/objectives/{id}/decision", "decideObjective",
		"Keep, modify or drop a closed objective: keep and modify carry it into the next period as a draft (201); drop answers 200", tagReview),
		s.decide)
}

func (s *Server) periodReview(ctx context.Context, in *IDParam) (*bodyOutput[app.PeriodReview], error) {
	r, err := s.app.Review(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.PeriodReview]{Body: r}, nil
}

type adjustScoreInput struct {
	IDParam
	IfMatchHeader
	Body app.ScoreInput
}

func (s *Server) adjustScore(ctx context.Context, in *adjustScoreInput) (*taggedOutput[okr.KeyResult], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	k, err := s.app.AdjustScore(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(k, k.Version), nil
}

type putRetrospectiveInput struct {
	IDParam
	IfMatch string `header:"If-Match" doc:"Optional: the retrospective's version (its ETag); when given and stale, 412."`
	Body    app.RetrospectiveInput
}

func (s *Server) putRetrospective(ctx context.Context, in *putRetrospectiveInput) (*taggedOutput[okr.Retrospective], error) {
	v, err := IfMatchHeader{IfMatch: in.IfMatch}.version()
	if err != nil {
		return nil, err
	}
	r, err := s.app.PutRetrospective(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(r, r.Version), nil
}

func (s *Server) getRetrospective(ctx context.Context, in *IDParam) (*taggedOutput[okr.Retrospective], error) {
	r, err := s.app.Retrospective(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(r, r.Version), nil
}

type decideInput struct {
	IDParam
	IdempotencyHeader
	Body app.DecisionInput
}

// DecisionResult is the objective a decision answers with its key results:
// for keep and modify the carried draft, for drop the objective itself.
type DecisionResult struct {
	okr.Objective
	KeyResults []okr.KeyResult `json:"key_results" doc:"keep and modify: the carried key results (baseline = the final value); drop: the objective's own."`
}

type decideOutput struct {
	Status   int
	Location string `header:"Location" doc:"keep and modify: the carried objective's URL."`
	ETag     string `header:"ETag" doc:"The returned objective's version."`
	Body     DecisionResult
}

func (s *Server) decide(ctx context.Context, in *decideInput) (*decideOutput, error) {
	actor := actorFrom(ctx)
	o, err := s.app.Decide(ctx, actor, in.ID, in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	res := DecisionResult{Objective: o, KeyResults: []okr.KeyResult{}}
	for cursor := ""; ; {
		page, err := s.app.ListKeyResults(ctx, actor, app.KeyResultQuery{ObjectiveID: o.ID, PageRequest: app.PageRequest{Cursor: cursor, Limit: 200}})
		if err != nil {
			return nil, err
		}
		res.KeyResults = append(res.KeyResults, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	out := &decideOutput{Status: http.StatusOK, ETag: etag(o.Version), Body: res}
	if in.Body.Decision != okr.Drop {
		out.Status, out.Location = http.StatusCreated, location("objectives", o.ID)
	}
	return out, nil
}
