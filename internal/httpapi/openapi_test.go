package httpapi_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// openAPIDoc is the part of the OpenAPI document the tests read.
type openAPIDoc struct {
	OpenAPI string                                 `json:"openapi"`
	Paths   map[string]map[string]openAPIOperation `json:"paths"`
}

type openAPIOperation struct {
	OperationID string                `json:"operationId"`
	Summary     string                `json:"summary"`
	Tags        []string              `json:"tags"`
	Security    []map[string][]string `json:"security"`
	RequestBody *struct {
		Required bool `json:"required"`
	} `json:"requestBody"`
	Parameters []struct {
		Name     string `json:"name"`
		In       string `json:"in"`
		Required bool   `json:"required"`
	} `json:"parameters"`
}

// route is one operation of the document.
type route struct {
	method, path string
	op           openAPIOperation
}

func (e *env) openAPI(t *testing.T) (openAPIDoc, string) {
	t.Helper()
	a := e.call(t, "GET", "/api/v1/openapi.json", "", "", nil)
	if a.status != 200 {
		t.Fatalf("openapi.json: %d %s", a.status, a.body)
	}
	var doc openAPIDoc
	decodeJSON(t, a.body, &doc)
	return doc, a.body
}

func (d openAPIDoc) routes() []route {
	var out []route
	for p, ops := range d.Paths {
		for m, op := range ops {
			out = append(out, route{strings.ToUpper(m), p, op})
		}
	}
	slices.SortFunc(out, func(a, b route) int { return strings.Compare(a.method+" "+a.path, b.method+" "+b.path) })
	return out
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t)
	owner := e.newTenant(t, "Acme", "owner@acme.test")
	doc, raw := e.openAPI(t)

	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	if urls := regexp.MustCompile(`https?://[^"\s]*`).FindAllString(raw, -1); len(urls) > 0 {
		t.Errorf("the document names remote URLs (nothing may load from the internet): %v", urls)
	}
	if strings.Contains(raw, `"$schema"`) {
		t.Errorf("the document carries $schema links")
	}

	// The document and the mux hold the same /api/v1 operations.
	documented := map[string]bool{}
	ids := map[string]bool{}
	for _, r := range doc.routes() {
		documented[r.method+" "+r.path] = true
		if r.op.OperationID == "" || r.op.Summary == "" || len(r.op.Tags) == 0 {
			t.Errorf("%s %s lacks an operationId, a summary or a tag", r.method, r.path)
		}
		if ids[r.op.OperationID] {
			t.Errorf("operationId %s is used twice", r.op.OperationID)
		}
		ids[r.op.OperationID] = true
		if len(r.op.Security) == 0 {
			t.Errorf("%s %s does not declare bearer security", r.method, r.path)
		}
	}
	spec := map[string]bool{
		"GET /api/v1/openapi.json": true, "GET /api/v1/openapi-3.0.json": true,
		"GET /api/v1/openapi.yaml": true, "GET /api/v1/openapi-3.0.yaml": true,
	}
	routed := map[string]bool{}
	var outside []string
	for _, p := range e.server.Patterns() {
		switch {
		case spec[p]:
		case strings.Contains(p, " /api/v1/"):
			routed[p] = true
		default:
			outside = append(outside, p)
		}
	}
	for p := range routed {
		if !documented[p] {
			t.Errorf("%s is routed but not in the OpenAPI document", p)
		}
	}
	for p := range documented {
		if !routed[p] {
			t.Errorf("%s is in the OpenAPI document but not routed", p)
		}
	}
	if !slices.Equal(outside, []string{"GET /healthz"}) {
		t.Errorf("routes outside /api/v1: %v, want only GET /healthz", outside)
	}
	if len(documented) < 44 {
		t.Errorf("only %d operations documented", len(documented))
	}

	// Every documented operation answers: not a missing route, not a wrong method.
	for _, r := range doc.routes() {
		path := strings.ReplaceAll(r.path, "{id}", "01900000-0000-7000-8000-000000000000")
		body := ""
		if r.op.RequestBody != nil {
			body = "{}"
		}
		a := e.call(t, r.method, path, owner.token, body, nil)
		if a.status == 405 || (a.status == 404 && a.problem(t).Type == "urn:okra:problem:route_not_found") {
			t.Errorf("%s %s is documented but answers %d: %s", r.method, r.path, a.status, a.body)
		}
	}
	// And something undocumented does not.
	a := e.call(t, "GET", "/api/v1/objectives/x/y", owner.token, "", nil)
	if a.status != 404 || a.problem(t).Type != "urn:okra:problem:route_not_found" {
		t.Errorf("an undocumented path answers %d %s", a.status, a.body)
	}
}
