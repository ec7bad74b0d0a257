package jobs_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

// verify checks an Okra-Signature header the way a receiver does: HMAC-SHA256
// of "<t>.<body>" under the secret.
func verify(t *testing.T, secret, header string, body []byte) time.Time {
	t.Helper()
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	want := hex.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(sig), []byte(want)) {
		t.Fatalf("signature %q does not verify (want v1=%s)", header, want)
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		t.Fatalf("signature timestamp %q: %v", ts, err)
	}
	return time.Unix(unix, 0)
}

func TestWebhookReceivesEveryEventOnceSigned(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		all, some := newReceiver(t), newReceiver(t)
		e.allow(t, all.URL, some.URL)
		wAll := e.webhook(t, all.URL, "*")
		wSome := e.webhook(t, some.URL, "objective.*", "check_in.create")
		if !strings.HasPrefix(wAll.Secret, "whsec_") || wAll.Secret == wSome.Secret {
			t.Fatalf("secrets %q and %q", wAll.Secret, wSome.Secret)
		}
		e.tick(t) // the events so far (settings, webhooks)
		before := len(all.requests())

		k := e.okrs(t)
		if _, err := e.a.CreateTeam(ctx, e.owner, app.TeamInput{Name: "Care"}, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.a.CreateUser(ctx, e.owner, app.UserInput{Email: "bo@acme.test", Name: "Bo", Role: "member"}, ""); err != nil {
			t.Fatal(err)
		}
		v := 5.0
		if _, err := e.a.CheckIn(ctx, e.owner, k.ID, app.CheckInInput{Value: &v, Confidence: 0.7, Status: okr.OnTrack}, ""); err != nil {
			t.Fatal(err)
		}
		n, err := e.a.DispatchOutbox(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		e.tick(t)
		e.tick(t) // nothing is sent twice
		got := all.requests()[before:]
		if len(got) != n || n < 9 {
			t.Fatalf("the * receiver got %d requests for %d events", len(got), n)
		}
		ids := map[string]bool{}
		types := map[string]int{}
		for _, r := range got {
			if ids[r.Event.ID] {
				t.Fatalf("event %s (%s) delivered twice", r.Event.ID, r.Event.Type)
			}
			ids[r.Event.ID] = true
			types[r.Event.Type]++
			if at := verify(t, wAll.Secret, r.Header.Get("Okra-Signature"), r.Body); !at.Equal(e.clock.Now().Truncate(time.Second)) {
				t.Errorf("signed at %v, want %v", at, e.clock.Now())
			}
			if r.Header.Get("Okra-Event") != r.Event.Type || r.Header.Get("Okra-Delivery") == "" || r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("headers %v for %s", r.Header, r.Event.Type)
			}
			if len(r.Event.Data) < 10 || r.Event.Created.IsZero() {
				t.Errorf("event body %s", r.Body)
			}
		}
		for _, typ := range []string{"period.create", "objective.create", "key_result.create", "initiative.create", "team.create", "user.create"} {
			if types[typ] != 1 {
				t.Errorf("%s delivered %d times, want once (got %v)", typ, types[typ], types)
			}
		}
		if types["check_in.create"] != 2 {
			t.Errorf("check_in.create delivered %d times, want 2 (got %v)", types["check_in.create"], types)
		}

		// The filtered webhook got exactly its event types.
		var someTypes []string
		for _, r := range some.requests() {
			verify(t, wSome.Secret, r.Header.Get("Okra-Signature"), r.Body)
			someTypes = append(someTypes, r.Event.Type)
		}
		slices.Sort(someTypes)
		if want := []string{"check_in.create", "check_in.create", "objective.create"}; !slices.Equal(someTypes, want) {
			t.Errorf("the filtered webhook got %v, want %v", someTypes, want)
		}

		// The delivery log says delivered, with the status code.
		page, err := e.a.ListDeliveries(ctx, e.owner, wSome.ID, app.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 3 {
			t.Fatalf("%d deliveries in the log, want 3", len(page.Items))
		}
		for _, d := range page.Items {
			if d.Status != app.DeliveryDelivered || d.Attempts != 1 || d.ResponseCode == nil || *d.ResponseCode != 200 || d.DeliveredAt == nil || d.Error != "" {
				t.Errorf("delivery %+v", d)
			}
		}
	})
}

func TestWebhookRegistrationRefusesPrivateAddresses(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for url, why := range map[string]string{
			"http://127.0.0.1:9/hook":         "loopback",
			"http://localhost:9/hook":         "loopback",
			"http://10.1.2.3/hook":            "private",
			"https://192.168.1.10/hook":       "private",
			"http://169.254.169.254/metadata": "link-local",
			"http://100.64.0.1/":              "shared",
			"http://[::1]:8080/":              "loopback",
			"http://[fd00::1]/":               "unique local",
			"http://[::ffff:10.0.0.1]/":       "private",
			"http://0.0.0.0/":                 "unspecified",
			"http://224.0.0.1/":               "multicast",
			"ftp://hooks.example.com/":        "http:// or https://",
		} {
			_, err := e.a.CreateWebhook(ctx, e.owner, app.WebhookInput{URL: url, Events: []string{"*"}}, "")
			var fe *errs.Error
			if !errs.Is(err, errs.Invalid) || !errors.As(err, &fe) || len(fe.Fields) != 1 || fe.Fields[0].Field != "url" ||
				!strings.Contains(fe.Fields[0].Message, why) {
				t.Errorf("%s: %v, want a url error saying %q", url, err, why)
			}
		}
		// Allowed once an admin names the target, and refused again when the
		// URL is changed to another private one.
		r := newReceiver(t)
		e.allow(t, r.URL)
		w := e.webhook(t, r.URL+"/hook", "*")
		other := "http://10.0.0.7/hook"
		if _, err := e.a.UpdateWebhook(ctx, e.owner, w.ID, &w.Version, app.WebhookUpdate{URL: &other}); !errs.Is(err, errs.Invalid) {
			t.Errorf("update to %s: %v, want invalid", other, err)
		}
		// Event patterns are checked.
		_, err := e.a.CreateWebhook(ctx, e.owner, app.WebhookInput{URL: r.URL, Events: []string{"objective", "Check-In"}}, "")
		var fe *errs.Error
		if !errors.As(err, &fe) || len(fe.Fields) != 2 || fe.Fields[0].Field != "events[0]" {
			t.Errorf("bad events: %v", err)
		}
	})
}

func TestWebhookRedirectToPrivateTargetIsRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		trap := newReceiver(t)
		var hits atomic.Int32
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Okra-Event") == "ping" {
				hits.Add(1)
			}
			http.Redirect(w, r, trap.URL+"/stolen", http.StatusTemporaryRedirect)
		}))
		t.Cleanup(redirector.Close)
		e.allow(t, redirector.URL) // the trap is not allowed
		w := e.webhook(t, redirector.URL, "*")
		d, err := e.a.PingWebhook(ctx, e.owner, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.tick(t)
		if hits.Load() != 1 || len(trap.requests()) != 0 {
			t.Fatalf("redirector pinged %d times, trap hit %d times; want 1 and 0", hits.Load(), len(trap.requests()))
		}
		page, err := e.a.ListDeliveries(ctx, e.owner, w.ID, app.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(page.Items, func(x app.Delivery) bool { return x.ID == d.ID })
		if i < 0 {
			t.Fatalf("ping delivery %s not in the log", d.ID)
		}
		got := page.Items[i]
		if got.Status != app.DeliveryPending || got.Attempts != 1 || got.ResponseCode != nil || !strings.Contains(got.Error, "loopback") {
			t.Errorf("delivery after a refused redirect: %+v", got)
		}

		// Connection-time check: a target allowed at registration and no
		// longer allowed is refused when connecting.
		direct := newReceiver(t)
		e.allow(t, direct.URL)
		w2 := e.webhook(t, direct.URL, "*")
		e.allow(t, redirector.URL)
		e.tick(t)
		before := len(direct.requests())
		if _, err := e.a.PingWebhook(ctx, e.owner, w2.ID); err != nil {
			t.Fatal(err)
		}
		e.tick(t)
		if n := len(direct.requests()); n != before {
			t.Errorf("a target no longer allowed received %d requests", n-before)
		}
	})
}

func TestWebhookRetriesWithBackoffThenDies(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		r := newReceiver(t)
		r.setStatus(http.StatusInternalServerError)
		e.allow(t, r.URL)
		w := e.webhook(t, r.URL, "period.*")
		e.tick(t) // settings and webhook events match nothing
		d, err := e.a.PingWebhook(ctx, e.owner, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		jobOf := func() app.Job {
			t.Helper()
			page, err := e.a.ListJobs(ctx, e.owner, "", app.PageRequest{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			for _, j := range page.Items {
				if j.Kind == app.JobWebhook && strings.Contains(string(j.Payload), d.ID) {
					return j
				}
			}
			t.Fatalf("no job for delivery %s", d.ID)
			return app.Job{}
		}
		for attempt := 1; attempt <= 8; attempt++ {
			e.tick(t)
			if n := len(r.requests()); n != attempt {
				t.Fatalf("after attempt %d the receiver got %d requests", attempt, n)
			}
			j := jobOf()
			if j.Attempts != attempt || j.LastError == "" || !strings.Contains(j.LastError, "500") {
				t.Fatalf("attempt %d: job %+v", attempt, j)
			}
			if attempt == 8 {
				if j.State != app.JobDead {
					t.Fatalf("after 8 attempts the job is %s", j.State)
				}
				break
			}
			if !j.Retrying() {
				t.Fatalf("attempt %d: job %s, want queued for a retry", attempt, j.State)
			}
			// Exponential: 30 s doubled per attempt, at most 6 h, ±20 %.
			base := min(30*time.Second<<(attempt-1), 6*time.Hour)
			wait := j.RunAt.Sub(e.clock.Now())
			if wait < base*8/10 || wait > base*12/10 {
				t.Fatalf("attempt %d: retry in %v, want %v ±20%%", attempt, wait, base)
			}
			e.tick(t) // not due yet
			if n := len(r.requests()); n != attempt {
				t.Fatalf("retried before its time: %d requests", n)
			}
			e.clock.Add(wait)
		}
		dead, err := e.a.ListJobs(ctx, e.owner, "dead", app.PageRequest{})
		if err != nil || len(dead.Items) != 1 || dead.Items[0].Kind != app.JobWebhook {
			t.Fatalf("dead jobs: %+v, %v", dead.Items, err)
		}
		page, _ := e.a.ListDeliveries(ctx, e.owner, w.ID, app.PageRequest{})
		if got := page.Items[0]; got.Status != app.DeliveryFailed || got.Attempts != 8 || got.ResponseCode == nil || *got.ResponseCode != 500 {
			t.Fatalf("delivery after the last attempt: %+v", got)
		}

		// An admin retries it once the receiver is fixed.
		r.setStatus(http.StatusNoContent)
		j, err := e.a.RetryJob(ctx, e.owner, dead.Items[0].ID)
		if err != nil || j.State != app.JobQueued || j.Attempts != 0 {
			t.Fatalf("retry: %+v, %v", j, err)
		}
		e.tick(t)
		page, _ = e.a.ListDeliveries(ctx, e.owner, w.ID, app.PageRequest{})
		if got := page.Items[0]; got.Status != app.DeliveryDelivered || got.Attempts != 9 || *got.ResponseCode != 204 {
			t.Fatalf("delivery after the retry: %+v", got)
		}
		if j := jobOf(); j.State != app.JobDone || j.Result != "delivered (HTTP 204)" {
			t.Fatalf("job after the retry: %+v", j)
		}
	})
}

// A receiver may answer any bytes: its reply, quoted in the job's error and
// the delivery log, is made valid UTF-8 and cut on a character boundary, so
// that PostgreSQL stores the failure and the job waits for its retry (it
// does not stay running until its lease expires).
func TestWebhookFailureWithAnyReplyIsRecorded(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		r := newReceiver(t)
		r.setStatus(http.StatusBadGateway)
		r.mu.Lock()
		r.reply = append([]byte("bad \xff\xfe gateway "), []byte(strings.Repeat("é", 300))...)
		r.mu.Unlock()
		e.allow(t, r.URL)
		w := e.webhook(t, r.URL, "period.*")
		e.tick(t)
		if _, err := e.a.PingWebhook(ctx, e.owner, w.ID); err != nil {
			t.Fatal(err)
		}
		e.tick(t)
		retrying, err := e.a.ListJobs(ctx, e.owner, "retrying", app.PageRequest{})
		if err != nil || len(retrying.Items) != 1 {
			t.Fatalf("jobs waiting for a retry: %+v, %v", retrying.Items, err)
		}
		j := retrying.Items[0]
		if !utf8.ValidString(j.LastError) || !strings.Contains(j.LastError, "502") || !strings.Contains(j.LastError, "bad \uFFFD") ||
			!strings.HasSuffix(j.LastError, "é…") {
			t.Errorf("the job's error: %q", j.LastError)
		}
		page, err := e.a.ListDeliveries(ctx, e.owner, w.ID, app.PageRequest{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("deliveries: %+v, %v", page.Items, err)
		}
		if got := page.Items[0]; got.Status != app.DeliveryPending || got.Attempts != 1 || got.ResponseCode == nil ||
			*got.ResponseCode != 502 || got.Error != j.LastError {
			t.Errorf("the delivery after a failed attempt: %+v (job error %q)", got, j.LastError)
		}
	})
}

func TestClipText(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abcdefghijk", 10, "abcdefg…"},
		{"aéééé", 6, "aé…"}, // 1 + 2 + 3 bytes
		{"aéééé", 5, "a…"},  // the é would be cut in half
		{"a\xffb", 10, "a\uFFFDb"},
	} {
		if got := app.ClipText(c.in, c.n); got != c.want || len(got) > c.n {
			t.Errorf("ClipText(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

// A job whose worker dies is retaken by another once its lease expires; one
// whose worker dies on every attempt is buried, and its delivery shows failed.
func TestAbandonedDeliveriesAreRetakenThenBuried(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		r := newReceiver(t)
		e.allow(t, r.URL)
		w := e.webhook(t, r.URL, "period.*")
		e.tick(t)
		// claimPing claims the ping's delivery job for a worker that then dies.
		claimPing := func(d app.Delivery) app.Job {
			t.Helper()
			jobs, err := e.a.ClaimJobs(ctx, "dead-worker", time.Minute, 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, j := range jobs {
				if j.Kind == app.JobWebhook && strings.Contains(string(j.Payload), d.ID) {
					return j
				}
			}
			t.Fatalf("the ping's job was not claimed: %+v", jobs)
			return app.Job{}
		}
		delivery := func(id string) app.Delivery {
			t.Helper()
			page, err := e.a.ListDeliveries(ctx, e.owner, w.ID, app.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range page.Items {
				if d.ID == id {
					return d
				}
			}
			t.Fatalf("no delivery %s", id)
			return app.Delivery{}
		}

		// Retaken: the lease runs out, the next worker delivers it.
		first, err := e.a.PingWebhook(ctx, e.owner, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		claimPing(first)
		e.tick(t) // within the lease: nobody else takes it
		if n := len(r.requests()); n != 0 {
			t.Fatalf("%d requests while the dead worker held the job", n)
		}
		e.clock.Add(2 * time.Minute)
		e.tick(t)
		if got := delivery(first.ID); got.Status != app.DeliveryDelivered || len(r.requests()) != 1 {
			t.Fatalf("after the lease: %+v, %d requests", got, len(r.requests()))
		}

		// Buried: its worker dies on every attempt.
		second, err := e.a.PingWebhook(ctx, e.owner, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		var j app.Job
		for range 8 { // a webhook delivery's attempts
			j = claimPing(second)
			e.clock.Add(2 * time.Minute)
		}
		if _, err := e.a.ClaimJobs(ctx, "another-worker", time.Minute, 50); err != nil {
			t.Fatal(err)
		}
		dead, err := e.a.ListJobs(ctx, e.owner, "dead", app.PageRequest{})
		if err != nil || len(dead.Items) != 1 || dead.Items[0].ID != j.ID || dead.Items[0].LastError != app.AbandonedJobError {
			t.Fatalf("dead jobs: %+v, %v", dead.Items, err)
		}
		if got := delivery(second.ID); got.Status != app.DeliveryFailed || got.Error != app.AbandonedJobError {
			t.Errorf("the buried delivery: %+v", got)
		}
		if n := len(r.requests()); n != 1 {
			t.Errorf("%d requests, want the first ping's only", n)
		}
	})
}
