// Package apiclient is a typed Go client of okra's JSON API v1, used by the
// API tests (and meant for the command line's API commands). It speaks the same input types as
// the use cases (package app) and decodes into the domain types (okr, org).
package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/errs"
)

// Client calls one okra server with one API token.
type Client struct {
	baseURL string
	token   string
	hc      *http.Client
}

// New returns a client of the server at baseURL (e.g. http://127.0.0.1:8080)
// that authenticates with token; hc nil means http.DefaultClient.
func New(baseURL, token string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{baseURL: strings.TrimSuffix(baseURL, "/"), token: token, hc: hc}
}

// Problem is an RFC 9457 problem detail as the server sends it.
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail"`
	Errors []errs.FieldError `json:"errors,omitempty"`
}

// Error is a non-2xx answer. Problem is zero when the body was not a problem.
type Error struct {
	Status  int
	Problem Problem
	// Header is the answer's header (WWW-Authenticate, Allow, X-Request-Id…).
	Header http.Header
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "okra API: %d", e.Status)
	if e.Problem.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Problem.Detail)
	}
	for _, f := range e.Problem.Errors {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	return b.String()
}

// Field returns the message the problem gives for a field.
func (e *Error) Field(name string) (string, bool) {
	for _, f := range e.Problem.Errors {
		if f.Field == name {
			return f.Message, true
		}
	}
	return "", false
}

// StatusOf returns the HTTP status of the *Error in err's chain, 0 when there is none.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

type idempotencyKey struct{}

// WithIdempotencyKey makes the create call made with ctx send the key, so
// that retrying it with the same input creates nothing more.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKey{}, key)
}

// Request is one call for Do.
type Request struct {
	Method string
	// Path is under the base URL, e.g. /api/v1/objectives.
	Path  string
	Query url.Values
	// Body is sent as JSON when not nil.
	Body   any
	Header http.Header
}

// Do sends a request and decodes a 2xx JSON answer into out (nil: discard).
// A non-2xx answer is an *Error. It returns the answer's header.
func (c *Client) Do(ctx context.Context, req Request, out any) (http.Header, error) {
	u := c.baseURL + req.Path
	if len(req.Query) > 0 {
		u += "?" + req.Query.Encode()
	}
	var body io.Reader
	if req.Body != nil {
		b, err := json.Marshal(req.Body)
		if err != nil {
			return nil, fmt.Errorf("encode %s %s: %w", req.Method, req.Path, err)
		}
		body = bytes.NewReader(b)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, u, body)
	if err != nil {
		return nil, err
	}
	for k, vs := range req.Header {
		hr.Header[k] = vs
	}
	if c.token != "" {
		hr.Header.Set("Authorization", "Bearer "+c.token)
	}
	hr.Header.Set("Accept", "application/json")
	if req.Body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if key, _ := ctx.Value(idempotencyKey{}).(string); key != "" && hr.Header.Get("Idempotency-Key") == "" && req.Method == http.MethodPost {
		hr.Header.Set("Idempotency-Key", key)
	}
	resp, err := c.hc.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.Header, fmt.Errorf("read %s %s: %w", req.Method, req.Path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &Error{Status: resp.StatusCode, Header: resp.Header}
		if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/problem+json" || mt == "application/json" {
			_ = json.Unmarshal(data, &e.Problem)
		}
		if e.Problem.Detail == "" {
			e.Problem.Detail = strings.TrimSpace(string(data))
		}
		return resp.Header, e
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.Header, fmt.Errorf("decode %s %s: %w", req.Method, req.Path, err)
		}
	}
	return resp.Header, nil
}

func (c *Client) get(ctx context.Context, path string, q url.Values, out any) error {
	_, err := c.Do(ctx, Request{Method: http.MethodGet, Path: path, Query: q}, out)
	return err
}

func (c *Client) post(ctx context.Context, path string, body, out any) error {
	_, err := c.Do(ctx, Request{Method: http.MethodPost, Path: path, Body: body}, out)
	return err
}

func (c *Client) patch(ctx context.Context, path string, version int, body, out any) error {
	h := http.Header{"If-Match": {`"` + strconv.Itoa(version) + `"`}}
	_, err := c.Do(ctx, Request{Method: http.MethodPatch, Path: path, Body: body, Header: h}, out)
	return err
}

func (c *Client) delete(ctx context.Context, path string) error {
	_, err := c.Do(ctx, Request{Method: http.MethodDelete, Path: path}, nil)
	return err
}

// Page asks for one page of a list.
type Page struct {
	Limit  int
	Cursor string
}

func (p Page) values() url.Values {
	q := url.Values{}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Cursor != "" {
		q.Set("cursor", p.Cursor)
	}
	return q
}

func setIf(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}

const prefix = "/api/v1"

func path(parts ...string) string {
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return prefix + "/" + strings.Join(parts, "/")
}
