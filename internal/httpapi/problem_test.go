package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/apiclient"
	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/httpapi"
)

// brokenDB is a database that panics or fails, for the failure paths.
type brokenDB struct {
	panics bool
	err    error
}

func (d brokenDB) Write(ctx context.Context, fn func(app.Tx) error) error { return d.Read(ctx, fn) }
func (d brokenDB) Read(context.Context, func(app.Tx) error) error {
	if d.panics {
		panic("the store blew up")
	}
	return d.err
}
func (d brokenDB) Ping(context.Context) error { return d.err }

func brokenServer(t *testing.T, db brokenDB) (string, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ts := httptest.NewServer(httpapi.New(app.New(db, log), log))
	t.Cleanup(ts.Close)
	return ts.URL, &logs
}

func TestPanicIsA500Problem(t *testing.T) {
	url, logs := brokenServer(t, brokenDB{panics: true})
	c := apiclient.New(url, "okra_whatever", nil)
	_, err := c.Me(context.Background())
	var e *apiclient.Error
	if !errors.As(err, &e) {
		t.Fatalf("want an *apiclient.Error, got %v", err)
	}
	if e.Status != 500 || e.Problem.Status != 500 || e.Problem.Type != "urn:okra:problem:internal" {
		t.Errorf("got %d %+v, want a 500 problem", e.Status, e.Problem)
	}
	rid := e.Header.Get("X-Request-Id")
	if rid == "" || !strings.Contains(e.Problem.Detail, rid) {
		t.Errorf("the problem should name the request id %q: %q", rid, e.Problem.Detail)
	}
	if strings.Contains(e.Problem.Detail, "blew up") {
		t.Errorf("the panic leaked to the client: %q", e.Problem.Detail)
	}
	if !strings.Contains(logs.String(), "blew up") || !strings.Contains(logs.String(), rid) {
		t.Errorf("the panic is not logged with the request id: %s", logs.String())
	}
}

func TestInternalErrorIsGeneric(t *testing.T) {
	url, logs := brokenServer(t, brokenDB{err: errors.New("disk on fire at /var/lib/okra")})
	req, _ := http.NewRequest("GET", url+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer okra_whatever")
	req.Header.Set("X-Request-Id", "req-42")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 500 || !strings.Contains(string(body), "req-42") || strings.Contains(string(body), "disk on fire") {
		t.Errorf("got %d %s, want a generic 500 naming req-42", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "disk on fire") || !strings.Contains(logs.String(), "request_id=req-42") {
		t.Errorf("the cause is not logged with the request id: %s", logs.String())
	}
}

func TestHealthzUnavailable(t *testing.T) {
	url, _ := brokenServer(t, brokenDB{err: errs.E(errs.Unavailable, "the database does not answer")})
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(string(body), `"type":"urn:okra:problem:unavailable"`) {
		t.Errorf("got %d %s %s, want a 503 problem", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

// TestProblemDetails checks the contract of invalid input through the client:
// field names without huma's "body." prefix, exactly field and message.
func TestProblemDetails(t *testing.T) {
	e := newEnv(t)
	a := e.newTenant(t, "Acme", "owner@acme.test")
	ctx := context.Background()

	_, err := a.client.CreatePeriod(ctx, app.PeriodInput{Name: "2027", Kind: "yearly", StartDate: "2027-01-01", EndDate: "2027-12-31"})
	if apiclient.StatusOf(err) != 422 {
		t.Fatalf("bad enum: %v, want 422", err)
	}
	if msg, ok := err.(*apiclient.Error).Field("kind"); !ok || msg == "" {
		t.Errorf("no error on field kind: %v", err)
	}

	// Every error entry has exactly "field" and "message".
	ans := e.call(t, "POST", "/api/v1/objectives", a.token, `{"owner":{"type":"team","idd":"x"},"weight":"heavy"}`, nil)
	if ans.status != 422 {
		t.Fatalf("status %d, want 422: %s", ans.status, ans.body)
	}
	var raw struct {
		Errors []map[string]any `json:"errors"`
	}
	decodeJSON(t, ans.body, &raw)
	fields := map[string]bool{}
	for _, fe := range raw.Errors {
		if len(fe) != 2 || fe["field"] == nil || fe["message"] == nil {
			t.Errorf("error entry %v should have exactly field and message", fe)
		}
		fields[fe["field"].(string)] = true
	}
	for _, want := range []string{"period_id", "title", "owner.idd", "weight"} {
		if !fields[want] {
			t.Errorf("no error on %q in %s", want, ans.body)
		}
	}

	_, err = a.client.GetObjective(ctx, "01900000-0000-7000-8000-000000000000")
	if apiclient.StatusOf(err) != 404 {
		t.Errorf("unknown id: %v, want 404", err)
	}
	_, err = apiclient.New(e.url, "", nil).Me(ctx)
	var ae *apiclient.Error
	if !errors.As(err, &ae) || ae.Status != 401 || ae.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no token: %v, want 401 with WWW-Authenticate", err)
	}
}
