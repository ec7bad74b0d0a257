package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
)

// The parameters many operations share. They are exported only because
// huma reads embedded structs' fields through reflection, which skips
// unexported embedded types.

// IDParam is the id in an operation's path.
type IDParam struct {
	ID string `path:"id" doc:"The object's id."`
}

// PageParams are a list's paging parameters.
type PageParams struct {
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"How many items to return, 1–200 (a larger value is refused with 422)."`
	Cursor string `query:"cursor" doc:"The next_cursor of the previous page."`
}

func (p PageParams) request() app.PageRequest {
	return app.PageRequest{Limit: p.Limit, Cursor: p.Cursor}
}

// IfMatchHeader carries the version an update was based on.
type IfMatchHeader struct {
	IfMatch string `header:"If-Match" doc:"The version the change is based on, as the ETag gave it (\"3\"; 3 and W/\"3\" are accepted too). Required: without it the update answers 428; when stale, 412."`
}

// version parses If-Match: 3, "3" and W/"3" are version 3; an absent header
// is nil (the use case answers 428).
func (h IfMatchHeader) version() (*int, error) {
	s := strings.TrimSpace(h.IfMatch)
	if s == "" {
		return nil, nil
	}
	s = strings.TrimPrefix(s, "W/")
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		var f errs.Fields
		f.Add("If-Match", "send the version you read, as its ETag gave it, e.g. \"3\"")
		return nil, f.Err()
	}
	return &v, nil
}

// IdempotencyHeader carries a create's optional idempotency key.
type IdempotencyHeader struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes a retry safe: the same key with the same body returns the first result and creates nothing; with another body it is a 409."`
}

// etag is a version as an entity tag.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// bodyOutput is a response of one object without a version.
type bodyOutput[T any] struct {
	Body T
}

// taggedOutput is a response of one mutable object, with its version as ETag.
type taggedOutput[T any] struct {
	ETag string `header:"ETag" doc:"The object's version, for If-Match."`
	Body T
}

func tagged[T any](v T, version int) *taggedOutput[T] {
	return &taggedOutput[T]{ETag: etag(version), Body: v}
}

// createdOutput is a 201 of an object without a version.
type createdOutput[T any] struct {
	Location string `header:"Location" doc:"The new object's URL."`
	Body     T
}

// createdTaggedOutput is a 201 of a mutable object.
type createdTaggedOutput[T any] struct {
	Location string `header:"Location" doc:"The new object's URL."`
	ETag     string `header:"ETag" doc:"The object's version, for If-Match."`
	Body     T
}

func created[T any](v T, location string, version int) *createdTaggedOutput[T] {
	return &createdTaggedOutput[T]{Location: location, ETag: etag(version), Body: v}
}

// location is an object's URL under the API.
func location(collection, id string) string { return Prefix + "/" + collection + "/" + id }

// noContent is the empty answer of a DELETE (204).
type noContent struct{}

// register adds an operation whose handler returns use-case errors; they
// become problems here, in one place.
func register[I, O any](s *Server, api huma.API, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	huma.Register(api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		return out, nil
	})
}

// Operation templates. Each names its likely error statuses for the
// OpenAPI document; huma adds 422 and 500 where the operation has input.
func operation(method, path, id, summary, tag string, statuses ...int) huma.Operation {
	return huma.Operation{
		OperationID: id,
		Method:      method,
		Path:        Prefix + path,
		Summary:     summary,
		Tags:        []string{tag},
		Security:    []map[string][]string{{"bearer": {}}},
		Errors:      append([]int{http.StatusUnauthorized, http.StatusForbidden}, statuses...),
	}
}

// get reads.
func get(path, id, summary, tag string) huma.Operation {
	return operation(http.MethodGet, path, id, summary, tag, http.StatusNotFound)
}

// list reads a collection: a filter that matches nothing is an empty page, not a 404.
func list(path, id, summary, tag string) huma.Operation {
	return operation(http.MethodGet, path, id, summary, tag)
}

// create is a POST that creates: 201.
func create(path, id, summary, tag string) huma.Operation {
	op := operation(http.MethodPost, path, id, summary, tag, http.StatusBadRequest, http.StatusNotFound, http.StatusConflict)
	op.DefaultStatus = http.StatusCreated
	return op
}

// action is a POST that changes state: 200.
func action(path, id, summary, tag string) huma.Operation {
	return operation(http.MethodPost, path, id, summary, tag, http.StatusNotFound, http.StatusConflict)
}

// patch updates under If-Match.
func patch(path, id, summary, tag string) huma.Operation {
	return operation(http.MethodPatch, path, id, summary, tag, http.StatusBadRequest, http.StatusNotFound,
		http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired)
}

// del deletes: 204.
func del(path, id, summary, tag string) huma.Operation {
	op := operation(http.MethodDelete, path, id, summary, tag, http.StatusNotFound, http.StatusConflict)
	op.DefaultStatus = http.StatusNoContent
	return op
}
