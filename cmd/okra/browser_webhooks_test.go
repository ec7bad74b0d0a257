package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
)

// Admin › Webhooks and Admin › Jobs on the demo organization: a refused
// private URL, registering a webhook (the secret shown once), a ping that
// reaches a loopback receiver signed with that secret, the delivery log,
// and the dead-letter view with retry and discard.

// whReceiver records the webhook requests it gets.
type whReceiver struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []whRequest
}

type whRequest struct {
	header http.Header
	body   []byte
}

func newWHReceiver(t *testing.T) *whReceiver {
	r := &whReceiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, whRequest{header: req.Header.Clone(), body: b})
		r.mu.Unlock()
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *whReceiver) requests() []whRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]whRequest(nil), r.reqs...)
}

func TestBrowserWebhooksAndJobs(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	owner := s.ownerActor()
	rcv := newWHReceiver(t)
	settings, err := s.m.App.GetSettings(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	targets := []string{strings.TrimPrefix(rcv.srv.URL, "http://")}
	if _, err := s.m.App.UpdateSettings(ctx, owner, &settings.Version, app.SettingsUpdate{PrivateWebhookTargets: &targets}); err != nil {
		t.Fatal(err)
	}
	// Nothing of the demo's history is delivered to the new webhook.
	if err := s.m.Runner.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	s.signIn(demo.OwnerEmail, demo.OwnerPassword)

	s.visit("/admin/webhooks")
	if got := s.text("h1"); got != "Webhooks" {
		t.Fatalf("/admin/webhooks shows %q", got)
	}
	if got := s.text(`.admin-tabs a[aria-current="page"]`); !strings.HasPrefix(got, "Webhooks") {
		t.Errorf("the admin tabs mark %q", got)
	}
	s.checkAccessibility("/admin/webhooks (empty)")

	// A private address is refused, saying why.
	s.do("type a private URL",
		chromedp.SendKeys(chromedp.CSS("#new-url"), "http://10.1.2.3/hook"),
		chromedp.Submit(chromedp.CSS("#new-url")),
		chromedp.WaitVisible(chromedp.CSS("#new-url-error")),
	)
	if got := s.text("#new-url-error"); !strings.Contains(got, "10.1.2.3 is a private address") {
		t.Errorf("the URL error says %q", got)
	}
	if inv := get(s, "aria-invalid", chromedp.Evaluate[string](`document.querySelector("#new-url").getAttribute("aria-invalid") || ""`)); inv != "true" {
		t.Errorf("the refused URL field is not marked invalid")
	}

	// Register the loopback receiver (allowed in the settings).
	s.do("register",
		chromedp.SetValue(chromedp.CSS("#new-url"), rcv.srv.URL+"/okra"),
		chromedp.SetValue(chromedp.CSS("#new-events"), "check_in.create, objective.*"),
		chromedp.SendKeys(chromedp.CSS("#new-description"), "Data warehouse"),
		chromedp.Submit(chromedp.CSS("#new-url")),
		chromedp.WaitVisible(chromedp.CSS("#new-webhook-secret")),
	)
	secret := get(s, "the secret", chromedp.Evaluate[string](`document.querySelector("#new-webhook-secret").value`))
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("the page shows the secret %q", secret)
	}
	if got := s.text(".wh-table"); !strings.Contains(got, rcv.srv.URL+"/okra") || !strings.Contains(got, "objective.*") || !strings.Contains(got, "Active") {
		t.Errorf("the webhook list reads %q", got)
	}
	s.checkAccessibility("/admin/webhooks")
	s.screenshots("admin-webhooks")

	// Its page: a ping reaches the receiver, signed; the log says delivered.
	s.do("open the webhook", chromedp.Click(chromedp.CSS(".wh-table a.wh-url")), chromedp.WaitVisible(chromedp.CSS("#deliveries-h")))
	path := lrnClickAndWait(s, "ping", `form[action$="/ping"] button`, "/admin/webhooks/")
	if err := s.m.Runner.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	reqs := rcv.requests()
	if len(reqs) != 1 || reqs[0].header.Get("Okra-Event") != "ping" {
		t.Fatalf("the receiver got %d requests: %+v", len(reqs), reqs)
	}
	ts, sig, _ := strings.Cut(reqs[0].header.Get("Okra-Signature"), ",v1=")
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strings.TrimPrefix(ts, "t=") + "."))
	m.Write(reqs[0].body)
	if sig != hex.EncodeToString(m.Sum(nil)) {
		t.Errorf("the ping's signature %q does not verify with the secret the page showed", reqs[0].header.Get("Okra-Signature"))
	}
	var ev app.EventBody
	if err := json.Unmarshal(reqs[0].body, &ev); err != nil || ev.Type != "ping" {
		t.Errorf("ping body %s", reqs[0].body)
	}
	page, _, _ := strings.Cut(strings.TrimPrefix(path, s.base), "#") // a fragment alone would not reload
	s.visit(page)
	if got := s.text(".wh-deliveries tbody"); !strings.Contains(got, "ping") || !strings.Contains(got, "Delivered") || !strings.Contains(got, "HTTP 200") {
		t.Errorf("the delivery log reads %q", got)
	}
	s.checkAccessibility("/admin/webhooks/{id}")
	s.screenshots("admin-webhook")

	// A chat message to a private address is refused at connection time;
	// with one attempt it is dead at once.
	if err := s.m.Store.Write(ctx, func(tx app.Tx) error {
		_, err := tx.InsertJob(ctx, &app.Job{ID: app.NewID(), OrgID: owner.OrgID, Kind: app.JobChat, MaxAttempts: 1, RunAt: tx.Now(),
			Payload: []byte(`{"url":"http://10.9.8.7/hooks/chat","text":"Reminder"}`)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.m.Runner.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	s.visit("/admin/jobs")
	if got := s.text("#jobs-dead-h"); !strings.HasPrefix(got, "Gave up") || !strings.Contains(got, "1") {
		t.Errorf("the dead-letter heading reads %q", got)
	}
	if got := s.text(".jobs-table tbody"); !strings.Contains(got, "Chat message") || !strings.Contains(got, "10.9.8.7 is a private address") || !strings.Contains(got, "1 of 1") {
		t.Errorf("the dead job reads %q", got)
	}
	s.checkAccessibility("/admin/jobs")
	s.screenshots("admin-jobs")

	lrnClickAndWait(s, "retry", `.jobs-table form[action$="/retry"] button`, "/admin/jobs")
	dead, err := s.m.App.ListJobs(ctx, owner, "dead", app.PageRequest{})
	if err != nil || len(dead.Items) != 0 {
		t.Fatalf("after a retry the dead jobs are %+v (%v)", dead.Items, err)
	}
	if err := s.m.Runner.Tick(ctx); err != nil { // refused again: dead again
		t.Fatal(err)
	}
	s.visit("/admin/jobs")
	s.do("confirm dialogs", chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`))
	lrnClickAndWait(s, "discard", `.jobs-table form[action$="/discard"] button`, "/admin/jobs")
	if got := s.text("main"); !strings.Contains(got, "No job gave up") {
		t.Errorf("after discarding, the page reads %q", got)
	}
}
