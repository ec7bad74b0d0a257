// Package xapi is okra's Learning Record Store: the xAPI 1.0.3 Statements
// resource at /xapi/statements (POST, PUT with statementId, GET by id or by
// filters) and /xapi/about, for learning systems that authenticate with an
// organization's LRS credential (Basic auth). The handlers decode, call the
// use cases in package app and encode; what a statement changes is decided
// there.
package xapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
)

// maxBody bounds a request body: 1 MiB.
const maxBody = 1 << 20

// versionHeader names the xAPI version of a request and of every response.
const versionHeader = "X-Experience-API-Version"

// realm is the Basic-auth realm clients are challenged with.
const realm = `Basic realm="okra xAPI"`

// handler serves the LRS.
type handler struct {
	app *app.App
	log *slog.Logger
	mux *http.ServeMux
}

// New returns the Learning Record Store over the use cases, serving the
// paths under /xapi/; log receives internal errors with the request id.
func New(a *app.App, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	h := &handler{app: a, log: log, mux: http.NewServeMux()}
	h.mux.HandleFunc("/xapi/about", h.about)
	h.mux.HandleFunc("/xapi/statements", h.statements)
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, errs.NotFoundf("okra's LRS has no resource %s: it serves /xapi/statements and /xapi/about", r.URL.Path))
	})
	return h
}

type requestIDKey struct{}

// ServeHTTP stamps every response with the xAPI version and a request id,
// and turns a panic into a 500.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rid := app.NewID()
	w.Header().Set(versionHeader, app.XAPIVersion)
	w.Header().Set("X-Request-Id", rid)
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, rid))
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.log.ErrorContext(r.Context(), "panic", "request_id", rid, "method", r.Method, "path", r.URL.Path, "panic", v)
			h.fail(w, r, errs.E(errs.Internal, "panic"))
		}
	}()
	h.mux.ServeHTTP(w, r)
}

func requestID(ctx context.Context) string {
	rid, _ := ctx.Value(requestIDKey{}).(string)
	return rid
}

// about answers GET /xapi/about: the xAPI versions spoken. It needs no
// credential.
func (h *handler) about(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.methodNotAllowed(w, r, "GET, HEAD")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": []string{app.XAPIVersion}})
}

// statements serves /xapi/statements: the version header and an LRS
// credential first, then the method.
func (h *handler) statements(w http.ResponseWriter, r *http.Request) {
	var serve func(http.ResponseWriter, *http.Request, app.LRSClient)
	switch r.Method {
	case http.MethodPost:
		serve = h.post
	case http.MethodPut:
		serve = h.put
	case http.MethodGet, http.MethodHead:
		serve = h.get
	default:
		h.methodNotAllowed(w, r, "GET, HEAD, POST, PUT")
		return
	}
	v := strings.TrimSpace(r.Header.Get(versionHeader))
	if v != "1.0" && !strings.HasPrefix(v, "1.0.") {
		msg := "send the header " + versionHeader + ": " + app.XAPIVersion
		if v != "" {
			msg = fmt.Sprintf("okra's LRS speaks xAPI %s, not %q; %s", app.XAPIVersion, v, msg)
		}
		h.fail(w, r, errs.E(errs.Invalid, "%s", msg))
		return
	}
	key, secret, ok := r.BasicAuth()
	if !ok {
		h.fail(w, r, errs.E(errs.Unauthenticated, "send the key and secret of an LRS credential with Basic auth (an admin creates them under xAPI credentials)"))
		return
	}
	client, err := h.app.LRSActor(r.Context(), key, secret)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	client.RequestID = requestID(r.Context())
	serve(w, r, client)
}

// post stores one statement or an array of them: 200 with their ids.
func (h *handler) post(w http.ResponseWriter, r *http.Request, client app.LRSClient) {
	if len(r.URL.Query()) > 0 {
		h.fail(w, r, errs.E(errs.Invalid, "POST /xapi/statements takes no parameters; to store a statement under an id, PUT it with ?statementId="))
		return
	}
	raws, _, err := readStatements(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ids, err := h.app.StoreStatements(r.Context(), client, raws, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ids)
}

// put stores one statement under ?statementId=: 204, also when the same
// statement is stored already.
func (h *handler) put(w http.ResponseWriter, r *http.Request, client app.LRSClient) {
	q := r.URL.Query()
	id := q.Get("statementId")
	for k := range q {
		if k != "statementId" {
			h.fail(w, r, errs.E(errs.Invalid, "PUT /xapi/statements takes only statementId, not %s", k))
			return
		}
	}
	if id == "" {
		h.fail(w, r, errs.E(errs.Invalid, "PUT /xapi/statements needs ?statementId= with the statement's id (or POST the statement)"))
		return
	}
	raws, array, err := readStatements(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if array {
		h.fail(w, r, errs.E(errs.Invalid, "PUT carries one statement, not an array; POST an array"))
		return
	}
	if _, err := h.app.StoreStatements(r.Context(), client, raws, id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// readStatements reads a body of one statement or an array of statements.
func readStatements(w http.ResponseWriter, r *http.Request) (raws []json.RawMessage, array bool, err error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		if strings.HasPrefix(mt, "multipart/") {
			return nil, false, errs.E(errs.Invalid, "okra's LRS does not take attachments; send the statements as application/json")
		}
	}
	body, err := readBody(w, r)
	if err != nil {
		return nil, false, err
	}
	body = bytes.TrimSpace(body)
	if !json.Valid(body) {
		return nil, false, errs.E(errs.Invalid, "the body is not valid JSON: send a statement or an array of statements")
	}
	switch body[0] {
	case '[':
		if err := json.Unmarshal(body, &raws); err != nil {
			return nil, false, errs.E(errs.Invalid, "the body is not an array of statements")
		}
		return raws, true, nil
	case '{':
		return []json.RawMessage{body}, false, nil
	}
	return nil, false, errs.E(errs.Invalid, "the body must be a statement (a JSON object) or an array of statements")
}

// errTooLarge says a body exceeds maxBody.
var errTooLarge = errors.New("request body too large")

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errTooLarge
	}
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "the body could not be read")
	}
	return buf.Bytes(), nil
}

// The parameters of GET /xapi/statements: those okra reads, those it
// accepts and ignores, and those xAPI defines that it does not support.
var (
	queryParams   = []string{"agent", "verb", "activity", "since", "until", "limit", "ascending", "cursor"}
	ignoredParams = []string{"format", "attachments"}
	refusedParams = []string{"voidedStatementId", "registration", "related_activities", "related_agents"}
)

// get answers one statement by ?statementId=, or the statements that match
// the filters as {"statements": [...], "more": "<URL of the next page>"}.
func (h *handler) get(w http.ResponseWriter, r *http.Request, client app.LRSClient) {
	q := r.URL.Query()
	var q2 app.StatementQuery
	var f errs.Fields
	for k := range q {
		switch {
		case k == "statementId", slices.Contains(queryParams, k), slices.Contains(ignoredParams, k):
		case slices.Contains(refusedParams, k):
			f.Add(k, "okra's LRS does not support this parameter")
		default:
			f.Add(k, "is not a parameter of GET /xapi/statements")
		}
	}
	if q.Has("statementId") {
		for k := range q {
			if slices.Contains(queryParams, k) {
				f.Add(k, "cannot be combined with statementId")
			}
		}
		if err := f.Err(); err != nil {
			h.fail(w, r, err)
			return
		}
		s, err := h.app.GetStatement(r.Context(), client, q.Get("statementId"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		w.Header().Set("Last-Modified", s.Stored.UTC().Format(http.TimeFormat))
		writeRaw(w, http.StatusOK, s.Raw)
		return
	}
	q2.Agent, q2.Verb, q2.Activity, q2.Cursor = q.Get("agent"), q.Get("verb"), q.Get("activity"), q.Get("cursor")
	for _, p := range []struct {
		name string
		dst  **time.Time
	}{{"since", &q2.Since}, {"until", &q2.Until}} {
		if s := q.Get(p.name); s != "" {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				f.Add(p.name, "%q is not an ISO 8601 time with a zone, e.g. 2026-10-01T00:00:00Z", s)
				continue
			}
			*p.dst = &t
		}
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			f.Add("limit", "must be a whole number, 0 for as many as okra gives")
		}
		q2.Limit = n
	}
	if s := q.Get("ascending"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			f.Add("ascending", "must be true or false")
		}
		q2.Ascending = b
	}
	if err := f.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := h.app.QueryStatements(r.Context(), client, q2)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := struct {
		Statements []json.RawMessage `json:"statements"`
		More       string            `json:"more"`
	}{Statements: make([]json.RawMessage, len(page.Statements))}
	for i, s := range page.Statements {
		out.Statements[i] = s.Raw
	}
	if page.NextCursor != "" {
		next := url.Values{}
		for k, vs := range q {
			next[k] = vs
		}
		next.Set("cursor", page.NextCursor)
		out.More = "/xapi/statements?" + next.Encode()
	}
	w.Header().Set("X-Experience-API-Consistent-Through", time.Now().UTC().Format(time.RFC3339Nano))
	writeJSON(w, http.StatusOK, out)
}

func (h *handler) methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: "method_not_allowed",
		Message: fmt.Sprintf("%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, allow)})
}

// errorBody is an error answer.
type errorBody struct {
	Error   string            `json:"error"`
	Message string            `json:"message"`
	Errors  []errs.FieldError `json:"errors,omitempty"`
}

// statuses maps error kinds to HTTP statuses.
var statuses = map[errs.Kind]int{
	errs.Invalid:         http.StatusBadRequest,
	errs.Unauthenticated: http.StatusUnauthorized,
	errs.Forbidden:       http.StatusForbidden,
	errs.NotFound:        http.StatusNotFound,
	errs.Conflict:        http.StatusConflict,
	errs.Unavailable:     http.StatusServiceUnavailable,
}

// fail answers an error as {"error": kind, "message": …}; an internal error
// is logged with the request id and the client gets a generic message.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errTooLarge) {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: "too_large",
			Message: fmt.Sprintf("the body is larger than %d bytes; send fewer statements at a time", maxBody)})
		return
	}
	kind := errs.KindOf(err)
	status, ok := statuses[kind]
	if !ok {
		rid := requestID(r.Context())
		h.log.ErrorContext(r.Context(), "xAPI request failed", "request_id", rid, "method", r.Method, "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{Error: string(errs.Internal),
			Message: "something went wrong on our side; it has been logged with request id " + rid})
		return
	}
	body := errorBody{Error: string(kind), Message: err.Error()}
	var e *errs.Error
	if errors.As(err, &e) {
		body.Message, body.Errors = e.Message, e.Fields
		if len(e.Fields) > 0 {
			parts := make([]string, len(e.Fields))
			for i, fe := range e.Fields {
				parts[i] = fe.Field + ": " + fe.Message
			}
			body.Message = strings.Join(parts, "; ")
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", realm)
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal","message":"the answer could not be encoded"}`)
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
