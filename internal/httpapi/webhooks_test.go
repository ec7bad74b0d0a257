package httpapi_test

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/app"
)

// withSecretKey gives the env's server a key to seal webhook secrets with.
func withSecretKey(tb testing.TB, e *env) {
	tb.Helper()
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		tb.Fatal(err)
	}
	e.app.SetJobsConfig(app.JobsConfig{SecretKey: k})
}

// publicHook is a public address that the registration check accepts
// without DNS (TEST-NET-3); nothing is delivered in these tests.
const publicHook = "https://203.0.113.10/okra"

// webhookIsolation gives the tenancy test A's webhook and one of A's jobs.
func webhookIsolation(t *testing.T, e *env, a, b *fixture, marker string) isolationExtra {
	t.Helper()
	withSecretKey(t, e)
	var wA, wB app.NewWebhook
	e.send(t, 201, "POST", "/api/v1/webhooks", a.token, obj{"url": publicHook + "/" + marker, "events": []string{"*"}, "description": "hook " + marker}, &wA)
	e.send(t, 201, "POST", "/api/v1/webhooks", b.token, obj{"url": publicHook + "/beta", "events": []string{"*"}}, &wB)
	var d app.Delivery
	e.send(t, 200, "POST", "/api/v1/webhooks/"+wA.ID+"/ping", a.token, nil, &d)
	var jobs app.Page[app.Job]
	e.send(t, 200, "GET", "/api/v1/jobs?state=queued", a.token, nil, &jobs)
	if len(jobs.Items) == 0 {
		t.Fatal("A has no queued job")
	}
	return isolationExtra{
		reads:    []string{"/api/v1/webhooks/" + wA.ID, "/api/v1/webhooks/" + wA.ID + "/deliveries", "/api/v1/jobs?state=queued"},
		ids:      map[string]string{"webhooks": wA.ID, "jobs": jobs.Items[0].ID},
		versions: map[string]int{"webhooks": wA.Version},
		bodies:   map[string]string{"updateWebhook": `{"url":"https://203.0.113.66/hijack","active":false}`},
		filters:  map[string]string{"state": "queued"},
		aIDs:     []string{wA.ID, d.ID, jobs.Items[0].ID},
	}
}

// TestWebhookScenarios drives the webhook API: the secret shown once,
// validation that says what to fix, the SSRF refusal, If-Match, roles,
// the delivery log and the dead-letter view.
func TestWebhookScenarios(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := e.newFixture(t, "Acme", "owner@acme.test", "m")

		// Without a secret key the server refuses, saying what to do.
		p := e.send(t, 503, "POST", "/api/v1/webhooks", f.token, obj{"url": publicHook, "events": []string{"*"}}, nil).problem(t)
		if !strings.Contains(p.Detail, "--secret-key-file") {
			t.Errorf("no key: %+v", p)
		}
		withSecretKey(t, e)

		var w app.NewWebhook
		created := e.send(t, 201, "POST", "/api/v1/webhooks", f.token, obj{"url": publicHook, "events": []string{"objective.*", "check_in.create"},
			"description": "BI sync"}, &w, "Idempotency-Key", "k1")
		if !strings.HasPrefix(w.Secret, "whsec_") || !w.Active || w.Version != 1 || created.header.Get("Location") != "/api/v1/webhooks/"+w.ID {
			t.Fatalf("created %+v (Location %q)", w, created.header.Get("Location"))
		}
		var again app.NewWebhook
		e.send(t, 201, "POST", "/api/v1/webhooks", f.token, obj{"url": publicHook, "events": []string{"objective.*", "check_in.create"},
			"description": "BI sync"}, &again, "Idempotency-Key", "k1")
		if again.ID != w.ID || again.Secret != w.Secret {
			t.Errorf("an idempotent retry made %s, want %s with the same secret", again.ID, w.ID)
		}
		got := e.send(t, 200, "GET", "/api/v1/webhooks/"+w.ID, f.token, nil, nil)
		if strings.Contains(got.body, w.Secret) || strings.Contains(got.body, "secret") {
			t.Errorf("the secret is shown again: %s", got.body)
		}
		list := e.send(t, 200, "GET", "/api/v1/webhooks", f.token, nil, nil)
		if !strings.Contains(list.body, w.ID) || strings.Contains(list.body, w.Secret) {
			t.Errorf("list: %s", list.body)
		}

		// Validation and the SSRF guard answer 422 per field.
		for _, c := range []struct {
			body  obj
			field string
			says  string
		}{
			{obj{"url": "http://127.0.0.1:8080/x", "events": []string{"*"}}, "url", "loopback"},
			{obj{"url": "http://169.254.169.254/latest", "events": []string{"*"}}, "url", "link-local"},
			{obj{"url": "http://192.168.0.5/", "events": []string{"*"}}, "url", "private webhook targets"},
			{obj{"url": "", "events": []string{"*"}}, "url", "give the URL"},
			{obj{"url": publicHook, "events": []string{}}, "events", "at least one"},
			{obj{"url": publicHook, "events": []string{"objective.create", "Objective Created"}}, "events[1]", "not an event type"},
		} {
			p := e.send(t, 422, "POST", "/api/v1/webhooks", f.token, c.body, nil).problem(t)
			if len(p.Errors) != 1 || p.Errors[0].Field != c.field || !strings.Contains(p.Errors[0].Message, c.says) {
				t.Errorf("%v: %+v, want %s saying %q", c.body, p.Errors, c.field, c.says)
			}
		}

		// Members and viewers may not administer webhooks.
		e.send(t, 403, "POST", "/api/v1/webhooks", f.memberToken, obj{"url": publicHook, "events": []string{"*"}}, nil)
		e.send(t, 403, "GET", "/api/v1/webhooks", f.viewerToken, nil, nil)
		e.send(t, 403, "GET", "/api/v1/jobs", f.memberToken, nil, nil)

		// PATCH takes If-Match.
		e.send(t, 428, "PATCH", "/api/v1/webhooks/"+w.ID, f.token, obj{"active": false}, nil)
		e.send(t, 412, "PATCH", "/api/v1/webhooks/"+w.ID, f.token, obj{"active": false}, nil, ifMatch(7)...)
		var upd app.Webhook
		e.send(t, 200, "PATCH", "/api/v1/webhooks/"+w.ID, f.token, obj{"active": false, "events": []string{"*"}}, &upd, ifMatch(1)...)
		if upd.Active || upd.Version != 2 || len(upd.Events) != 1 || upd.Events[0] != "*" {
			t.Errorf("updated %+v", upd)
		}
		e.send(t, 422, "PATCH", "/api/v1/webhooks/"+w.ID, f.token, obj{"url": "http://10.0.0.1/"}, nil, ifMatch(2)...)

		// A ping is queued, logged, and its job is in the job list.
		var d app.Delivery
		e.send(t, 200, "POST", "/api/v1/webhooks/"+w.ID+"/ping", f.token, nil, &d)
		if d.EventType != "ping" || d.Status != app.DeliveryPending || d.WebhookID != w.ID {
			t.Errorf("ping %+v", d)
		}
		var log app.Page[app.Delivery]
		e.send(t, 200, "GET", "/api/v1/webhooks/"+w.ID+"/deliveries", f.token, nil, &log)
		if len(log.Items) != 1 || log.Items[0].ID != d.ID {
			t.Errorf("delivery log %+v", log.Items)
		}
		var jobs app.Page[app.Job]
		e.send(t, 200, "GET", "/api/v1/jobs?state=queued", f.token, nil, &jobs)
		if len(jobs.Items) != 1 || jobs.Items[0].Kind != app.JobWebhook || !strings.Contains(string(jobs.Items[0].Payload), d.ID) {
			t.Fatalf("queued jobs %+v", jobs.Items)
		}
		var dead app.Page[app.Job]
		e.send(t, 200, "GET", "/api/v1/jobs?state=dead", f.token, nil, &dead)
		if len(dead.Items) != 0 {
			t.Errorf("dead jobs %+v", dead.Items)
		}
		e.send(t, 422, "GET", "/api/v1/jobs?state=zombie", f.token, nil, nil)
		var retried app.Job
		e.send(t, 200, "POST", "/api/v1/jobs/"+jobs.Items[0].ID+"/retry", f.token, nil, &retried)
		if retried.State != app.JobQueued || retried.Attempts != 0 {
			t.Errorf("retried %+v", retried)
		}
		e.send(t, 204, "DELETE", "/api/v1/jobs/"+jobs.Items[0].ID, f.token, nil, nil)
		e.send(t, 404, "POST", "/api/v1/jobs/"+jobs.Items[0].ID+"/retry", f.token, nil, nil)

		e.send(t, 204, "DELETE", "/api/v1/webhooks/"+w.ID, f.token, nil, nil)
		e.send(t, 404, "GET", "/api/v1/webhooks/"+w.ID, f.token, nil, nil)
		e.send(t, 404, "GET", "/api/v1/webhooks/"+w.ID+"/deliveries", f.token, nil, nil)
	})
}
