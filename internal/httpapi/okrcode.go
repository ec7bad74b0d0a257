package httpapi

import (
	"context"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okrfile"
)

const tagOKRCode = "OKRs as code"

// okrCodeRoutes registers the OKRs-as-code operations: apply a document,
// export a period as one.
func (s *Server) okrCodeRoutes(api huma.API) {
	doc := api.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(app.OKRDocument{}), true, "OKRDocument")
	text := &huma.Schema{Type: "string", Description: "The document in YAML (docs/okrs-as-code.md)."}

	apply := action("/okrs/apply", "applyOKRs",
		"Make a period's OKRs match a document (JSON or YAML): plan, check and apply in one transaction; dry_run only plans and checks", tagOKRCode)
	takesOKRDocument(&apply, doc)
	register(s, api, apply, s.applyOKRs)

	export := get("/okrs/export", "exportOKRs",
		"A period's objectives, key results and initiatives as an OKR document: JSON, or YAML with Accept: application/yaml", tagOKRCode)
	export.Responses = map[string]*huma.Response{"200": {Description: "The OKR document.",
		Content: map[string]*huma.MediaType{"application/json": {Schema: doc}, "application/yaml": {Schema: text}}}}
	register(s, api, export, s.exportOKRs)
}

type applyOKRsInput struct {
	DryRun      bool   `query:"dry_run" doc:"Plan and check everything, change nothing."`
	Prune       bool   `query:"prune" doc:"Delete what the document does not name (see the docs): the period's objectives, the key results of the objectives it names, their skill requirements, and the initiatives linked only to the period."`
	ContentType string `header:"Content-Type" doc:"application/json (default) or application/yaml."`
	RawBody     []byte `contentType:"application/yaml"`
}

// yamlTypes are the content types that mean YAML.
var yamlTypes = map[string]bool{"application/yaml": true, "application/x-yaml": true, "text/yaml": true, "text/x-yaml": true}

// takesOKRDocument makes op take an OKR document, JSON or YAML: okrfile
// reads it by the strict rules of okra apply, with the path and line of every
// problem; huma only documents its schema.
func takesOKRDocument(op *huma.Operation, doc *huma.Schema) {
	op.MaxBodyBytes = okrfile.MaxSize
	op.SkipValidateBody = true
	op.Errors = append(op.Errors, http.StatusUnprocessableEntity)
	op.RequestBody = &huma.RequestBody{Required: true, Description: "The OKR document, as JSON (application/json) or YAML (application/yaml).",
		Content: map[string]*huma.MediaType{"application/json": {Schema: doc}}}
}

// decodeOKRDocument reads a body as an OKR document by its content type
// (none: by its content).
func decodeOKRDocument(contentType string, body []byte) (app.OKRDocument, error) {
	name := "document.json"
	if mt, _, _ := mime.ParseMediaType(contentType); yamlTypes[mt] {
		name = "document.yaml"
	} else if mt == "" {
		name = "" // tell by the content
	}
	return okrfile.Decode(body, name)
}

func (s *Server) applyOKRs(ctx context.Context, in *applyOKRsInput) (*bodyOutput[app.ApplyPlan], error) {
	doc, err := decodeOKRDocument(in.ContentType, in.RawBody)
	if err != nil {
		return nil, err
	}
	plan, err := s.app.ApplyDocument(ctx, actorFrom(ctx), doc, app.ApplyOptions{DryRun: in.DryRun, Prune: in.Prune})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.ApplyPlan]{Body: plan}, nil
}

type exportOKRsInput struct {
	PeriodID string `query:"period_id" required:"true" doc:"The period to export."`
	Accept   string `header:"Accept" doc:"application/yaml for YAML; JSON otherwise."`
}

type exportOKRsOutput struct {
	ContentType string `header:"Content-Type"`
	Body        []byte
}

func (s *Server) exportOKRs(ctx context.Context, in *exportOKRsInput) (*exportOKRsOutput, error) {
	doc, err := s.app.ExportDocument(ctx, actorFrom(ctx), in.PeriodID)
	if err != nil {
		return nil, err
	}
	format, contentType := okrfile.JSON, "application/json"
	for _, part := range strings.Split(in.Accept, ",") {
		if mt, _, _ := mime.ParseMediaType(strings.TrimSpace(part)); yamlTypes[mt] {
			format, contentType = okrfile.YAML, mt
			break
		}
	}
	b, err := okrfile.Encode(doc, format)
	if err != nil {
		return nil, err
	}
	return &exportOKRsOutput{ContentType: contentType + "; charset=utf-8", Body: b}, nil
}
