package apiclient_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/okrahq/okra/internal/apiclient"
	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// recorded is what the fake server saw of one request.
type recorded struct {
	method, path, query, body string
	header                    http.Header
}

func fakeServer(t *testing.T, status int, contentType, answer string) (*apiclient.Client, *recorded) {
	t.Helper()
	var got recorded
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = recorded{r.Method, r.URL.Path, r.URL.RawQuery, string(b), r.Header.Clone()}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		fmt.Fprint(w, answer)
	}))
	t.Cleanup(ts.Close)
	return apiclient.New(ts.URL+"/", "okra_secret", ts.Client()), &got
}

func TestUpdateSendsIfMatchAndToken(t *testing.T) {
	c, got := fakeServer(t, 200, "application/json", `{"id":"o1","title":"New","version":4,"owner":{"type":"org"}}`)
	o, err := c.UpdateObjective(context.Background(), "o1", 3, app.ObjectiveUpdate{Title: ptr("New")})
	if err != nil {
		t.Fatal(err)
	}
	if o.Title != "New" || o.Version != 4 {
		t.Errorf("decoded %+v", o)
	}
	if got.method != "PATCH" || got.path != "/api/v1/objectives/o1" || got.body != `{"title":"New"}` {
		t.Errorf("sent %s %s %s", got.method, got.path, got.body)
	}
	if got.header.Get("If-Match") != `"3"` || got.header.Get("Authorization") != "Bearer okra_secret" ||
		got.header.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", got.header)
	}
}

func TestIdempotencyKeys(t *testing.T) {
	c, got := fakeServer(t, 201, "application/json", `{"id":"c1","key_result_id":"k1","value":3,"warnings":["low"]}`)
	res, err := c.CheckIn(context.Background(), "k1", app.CheckInInput{Value: ptr(3.0), Confidence: 0.2, Status: okr.AtRisk}, "key-1")
	if err != nil {
		t.Fatal(err)
	}
	if res.ID != "c1" || len(res.Warnings) != 1 || got.header.Get("Idempotency-Key") != "key-1" || got.path != "/api/v1/key-results/k1/check-ins" {
		t.Errorf("check-in %+v, key %q, path %s", res, got.header.Get("Idempotency-Key"), got.path)
	}
	ctx := apiclient.WithIdempotencyKey(context.Background(), "key-2")
	if _, err := c.CreateTeam(ctx, app.TeamInput{Name: "Ops"}); err != nil {
		t.Fatal(err)
	}
	if got.header.Get("Idempotency-Key") != "key-2" {
		t.Errorf("context key not sent: %v", got.header)
	}
	if _, err := c.CheckIn(context.Background(), "k1", app.CheckInInput{Status: okr.OnTrack}, ""); err != nil {
		t.Fatal(err)
	}
	if got.header.Get("Idempotency-Key") != "" {
		t.Errorf("an empty key was sent: %v", got.header)
	}
}

func TestProblemBecomesError(t *testing.T) {
	c, got := fakeServer(t, 422, "application/problem+json",
		`{"type":"urn:okra:problem:invalid","title":"Unprocessable Entity","status":422,"detail":"the input is not valid","errors":[{"field":"title","message":"is required"}]}`)
	_, err := c.ListObjectives(context.Background(), apiclient.ObjectiveFilter{PeriodID: "p1", Page: apiclient.Page{Limit: 10}})
	var e *apiclient.Error
	if !errors.As(err, &e) || e.Status != 422 || apiclient.StatusOf(err) != 422 {
		t.Fatalf("got %v", err)
	}
	if msg, ok := e.Field("title"); !ok || msg != "is required" || e.Problem.Type != "urn:okra:problem:invalid" {
		t.Errorf("problem %+v", e.Problem)
	}
	if got.query != "limit=10&period_id=p1" {
		t.Errorf("query %q", got.query)
	}
	if err.Error() != "okra API: 422: the input is not valid; title: is required" {
		t.Errorf("message %q", err.Error())
	}
}

func TestPlainErrorBody(t *testing.T) {
	c, _ := fakeServer(t, 502, "text/plain", "bad gateway\n")
	_, err := c.Me(context.Background())
	var e *apiclient.Error
	if !errors.As(err, &e) || e.Status != 502 || e.Problem.Detail != "bad gateway" {
		t.Errorf("got %#v", err)
	}
	if apiclient.StatusOf(errors.New("other")) != 0 {
		t.Errorf("StatusOf of a plain error")
	}
}

func ptr[T any](v T) *T { return &v }
