package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"

	"github.com/okrahq/okra/internal/errs"
)

// Problem is an RFC 9457 problem detail, written as application/problem+json.
// Invalid input lists what is wrong with each field in Errors.
type Problem struct {
	Type   string            `json:"type" doc:"Identifies the kind of problem: urn:okra:problem:<kind>, e.g. urn:okra:problem:not_found."`
	Title  string            `json:"title" doc:"A short summary of the kind of problem."`
	Status int               `json:"status" doc:"The HTTP status code."`
	Detail string            `json:"detail" doc:"What went wrong this time, for a person to read."`
	Errors []errs.FieldError `json:"errors,omitempty" doc:"For invalid input: each field's problem."`

	headers http.Header
}

// Error returns the detail.
func (p *Problem) Error() string { return p.Detail }

// GetStatus is the HTTP status (huma.StatusError).
func (p *Problem) GetStatus() int { return p.Status }

// GetHeaders are the headers sent with the problem (huma.HeadersError).
func (p *Problem) GetHeaders() http.Header { return p.headers }

// ContentType makes huma send application/problem+json (huma.ContentTypeFilter).
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

// kindRoute is the kind of a request for a route that does not exist; it is
// not an errs.Kind because no use case returns it.
const kindRoute = "route_not_found"

// statusOf is the one table from error kinds to HTTP statuses. A kind not
// listed is a 500.
var statusOf = map[errs.Kind]int{
	errs.Invalid:              http.StatusUnprocessableEntity,
	errs.NotFound:             http.StatusNotFound,
	errs.Conflict:             http.StatusConflict,
	errs.Forbidden:            http.StatusForbidden,
	errs.Unauthenticated:      http.StatusUnauthorized,
	errs.Unavailable:          http.StatusServiceUnavailable,
	errs.PreconditionFailed:   http.StatusPreconditionFailed,
	errs.PreconditionRequired: http.StatusPreconditionRequired,
	errs.Internal:             http.StatusInternalServerError,
}

// kindOfStatus names the kind of a status that did not come from an
// errs.Error (huma's own errors: bad JSON, schema violations, 406, 413…).
func kindOfStatus(status int) string {
	for k, s := range statusOf {
		if s == status {
			return string(k)
		}
	}
	switch status {
	case http.StatusBadRequest:
		return "bad_request"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusNotAcceptable:
		return "not_acceptable"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	}
	if status >= 500 {
		return string(errs.Internal)
	}
	return "http_" + fmt.Sprint(status)
}

func newProblem(status int, kind, detail string) *Problem {
	if detail == "" {
		detail = http.StatusText(status)
	}
	return &Problem{Type: "urn:okra:problem:" + kind, Title: http.StatusText(status), Status: status, Detail: detail}
}

// problem turns an error from a use case into a problem. An internal error
// is logged with the request id; the client gets a generic message.
func (s *Server) problem(ctx context.Context, err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	kind := errs.KindOf(err)
	status, ok := statusOf[kind]
	if !ok {
		kind, status = errs.Internal, http.StatusInternalServerError
	}
	rid := requestIDFrom(ctx)
	if status == http.StatusInternalServerError {
		if errors.Is(err, context.Canceled) {
			s.log.InfoContext(ctx, "request canceled", "request_id", rid, "err", err)
		} else {
			s.log.ErrorContext(ctx, "internal error", "request_id", rid, "err", err)
		}
		return newProblem(status, string(errs.Internal),
			"something went wrong on our side; it has been logged with request id "+rid)
	}
	var e *errs.Error
	errors.As(err, &e)
	p = newProblem(status, string(kind), e.Message)
	p.Errors = e.Fields
	if kind == errs.Unavailable {
		s.log.WarnContext(ctx, "unavailable", "request_id", rid, "err", err)
	}
	if kind == errs.Unauthenticated {
		p.headers = http.Header{"Www-Authenticate": {`Bearer realm="okra"`}}
	}
	return p
}

// humaError replaces huma.NewError so that huma's own errors (undecodable
// JSON, schema violations, missing required fields, bad enums, oversized
// bodies) are okra problems too, with errors as [{"field","message"}].
func humaError(status int, msg string, details ...error) huma.StatusError {
	p := newProblem(status, kindOfStatus(status), msg)
	if status >= 500 {
		// Never echo an internal cause to the client.
		p.Detail = "something went wrong on our side"
		return p
	}
	for _, d := range details {
		if d == nil {
			continue
		}
		var ed huma.ErrorDetailer
		if !errors.As(d, &ed) {
			p.Errors = append(p.Errors, errs.FieldError{Field: "", Message: d.Error()})
			continue
		}
		p.Errors = append(p.Errors, fieldError(ed.ErrorDetail()))
	}
	switch {
	case msg == "validation failed" && status == http.StatusBadRequest:
		p.Detail = "the request body is not valid JSON"
	case msg == "validation failed":
		p.Detail = "the input is not valid"
	}
	return p
}

// requiredPattern matches huma's message for a missing required property.
var requiredPattern = regexp.MustCompile("^" +
	strings.Replace(regexp.QuoteMeta(validation.MsgExpectedRequiredProperty), "%s", "(.+)", 1) + "$")

// fieldError turns huma's location ("body.owner.type", "query.limit",
// "header.If-Match") into okra's field name ("owner.type", "limit",
// "If-Match"). A missing property is reported on the property itself, not
// on the object that lacks it; an error about the whole body (undecodable
// JSON) is on the field "body".
func fieldError(d *huma.ErrorDetail) errs.FieldError {
	field := d.Location
	for _, loc := range []string{"body", "query", "path", "header", "cookie"} {
		if rest, ok := strings.CutPrefix(field, loc+"."); ok {
			field = rest
			break
		}
	}
	if m := requiredPattern.FindStringSubmatch(d.Message); m != nil {
		switch field {
		case "body":
			field = m[1]
		default:
			field += "." + m[1]
		}
		return errs.FieldError{Field: field, Message: "is required"}
	}
	msg := d.Message
	switch msg {
	case validation.MsgUnexpectedProperty:
		msg = "is not a field of this request; check its spelling"
	case "unknown query parameter":
		msg = "is not a parameter of this operation; check its spelling"
	}
	return errs.FieldError{Field: field, Message: msg}
}

// writeProblem writes p on w; it is for the few answers that do not go
// through a huma operation (authentication, unknown routes, panics, health).
func writeProblem(w http.ResponseWriter, p *Problem) {
	for k, vs := range p.headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
