package httpapi

import (
	"context"
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	"github.com/okrahq/okra/internal/app"
)

const tagCoach = "Coach"

// coachRoutes registers the OKR coach: on a draft document, a stored
// objective and a whole period (docs/coach.md).
func (s *Server) coachRoutes(api huma.API) {
	doc := api.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(app.OKRDocument{}), true, "OKRDocument")
	draft := action("/coach", "coachDocument",
		"Check a draft OKR document (JSON or YAML) with the coach before it is stored: findings, prompts and strength", tagCoach)
	takesOKRDocument(&draft, doc)
	register(s, api, draft, s.coachDocument)
	register(s, api, get("/objectives/{id}/coach", "coachObjective",
		"The coach's findings on an objective, its key results, their initiatives, its people's load and its learning objectives", tagCoach), s.coachObjective)
	register(s, api, get("/periods/{id}/coach", "coachPeriod",
		"The coach's findings on every objective of a period you may see (weakest first), its initiatives, people and learning objectives", tagCoach), s.coachPeriod)
}

type coachDocumentInput struct {
	ContentType string `header:"Content-Type" doc:"application/json (default) or application/yaml."`
	RawBody     []byte `contentType:"application/yaml"`
}

func (s *Server) coachDocument(ctx context.Context, in *coachDocumentInput) (*bodyOutput[app.CoachReport], error) {
	doc, err := decodeOKRDocument(in.ContentType, in.RawBody)
	if err != nil {
		return nil, err
	}
	r, err := s.app.CoachDocument(ctx, actorFrom(ctx), doc)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.CoachReport]{Body: r}, nil
}

func (s *Server) coachObjective(ctx context.Context, in *IDParam) (*bodyOutput[app.CoachReport], error) {
	r, err := s.app.CoachObjective(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.CoachReport]{Body: r}, nil
}

func (s *Server) coachPeriod(ctx context.Context, in *IDParam) (*bodyOutput[app.CoachReport], error) {
	r, err := s.app.CoachPeriod(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.CoachReport]{Body: r}, nil
}
