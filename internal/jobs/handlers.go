package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/netguard"
)

// handle runs a job by its kind and says what it did.
func (r *Runner) handle(ctx context.Context, j app.Job) (string, error) {
	switch j.Kind {
	case app.JobNotificationEmail:
		return r.email(ctx, j)
	case app.JobChat:
		return r.chat(ctx, j)
	case app.JobWebhook:
		return r.deliver(ctx, j)
	case app.JobReminders:
		n, err := r.cfg.App.SendReminders(ctx, j.OrgID)
		return fmt.Sprintf("%d reminders sent", n), err
	case app.JobDigest:
		n, err := r.cfg.App.SendDigests(ctx, j.OrgID)
		return fmt.Sprintf("%d digests sent", n), err
	}
	return "", fmt.Errorf("%w: %s", errUnknownKind, j.Kind)
}

// email sends a notification's e-mail.
func (r *Runner) email(ctx context.Context, j app.Job) (string, error) {
	var p struct {
		NotificationID string `json:"notification_id"`
	}
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.NotificationID == "" {
		return "", fmt.Errorf("the payload names no notification_id: %s", j.Payload)
	}
	if r.cfg.Mailer == nil {
		return "skipped: no SMTP server configured", nil
	}
	to, subject, text, err := r.cfg.App.NotificationEmail(ctx, j.OrgID, p.NotificationID)
	switch {
	case errs.Is(err, errs.NotFound), errs.Is(err, errs.Invalid):
		// Gone, or not to be sent (the person left): retrying changes nothing.
		return "skipped: " + err.Error(), nil
	case err != nil:
		return "", fmt.Errorf("compose notification %s: %w", p.NotificationID, err)
	}
	text = app.EmailLinks(text, r.cfg.App.PublicURL())
	if to == "" {
		return "skipped: no recipient", nil
	}
	if err := r.cfg.Mailer.Send(ctx, to, subject, text); err != nil {
		return "", fmt.Errorf("send e-mail to %s: %w", to, err)
	}
	return "sent to " + to, nil
}

// chat posts a Slack-compatible message {"text": …} through the guard.
func (r *Runner) chat(ctx context.Context, j app.Job) (string, error) {
	var p app.ChatPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.URL == "" {
		return "", fmt.Errorf("the payload is not a chat message with a url: %s", j.Payload)
	}
	targets, err := r.cfg.App.PrivateTargets(ctx, j.OrgID)
	if err != nil {
		return "", err
	}
	body, _ := json.Marshal(map[string]string{"text": p.Text})
	code, err := r.post(ctx, netguard.Must(targets), p.URL, body, nil)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("posted (HTTP %d)", code), nil
}

// deliver sends one attempt of a webhook delivery, signed, and records it
// in the delivery log.
func (r *Runner) deliver(ctx context.Context, j app.Job) (string, error) {
	var p struct {
		DeliveryID string `json:"delivery_id"`
	}
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.DeliveryID == "" {
		return "", fmt.Errorf("the payload names no delivery_id: %s", j.Payload)
	}
	req, err := r.cfg.App.PrepareDelivery(ctx, j.OrgID, p.DeliveryID)
	if err != nil {
		return "", err
	}
	if req.Skip != "" {
		if req.Delivery.ID != "" {
			_ = r.cfg.App.RecordDeliveryAttempt(ctx, j.OrgID, p.DeliveryID, 0, fmt.Errorf("%s", req.Skip), true)
		}
		return req.Skip, nil
	}
	d := req.Delivery
	headers := http.Header{}
	headers.Set("Okra-Event", d.EventType)
	headers.Set("Okra-Delivery", d.ID)
	headers.Set("Okra-Signature", app.WebhookSignature(req.Secret, r.cfg.Now(), d.Body))
	code, err := r.post(ctx, netguard.Must(req.PrivateTargets), req.URL, d.Body, headers)
	final := j.Attempts >= j.MaxAttempts
	if rerr := r.cfg.App.RecordDeliveryAttempt(ctx, j.OrgID, d.ID, code, err, final); rerr != nil {
		r.cfg.Log.Warn("delivery attempt not recorded", "delivery", d.ID, "err", rerr)
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("delivered (HTTP %d)", code), nil
}

// post POSTs a JSON body through the guard; any status but 2xx is an
// error. It returns the status (0 when no response came).
func (r *Runner) post(ctx context.Context, g *netguard.Guard, url string, body []byte, headers http.Header) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("the URL %q is not usable: %w", url, err)
	}
	for k, v := range headers {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "okra-webhooks/1")
	c := g.Client(r.cfg.HTTPTimeout)
	defer c.CloseIdleConnections()
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	reply, _ := netguard.ReadBody(res.Body)
	if res.StatusCode < 200 || res.StatusCode > 299 {
		msg := app.ClipText(strings.TrimSpace(string(reply)), 200)
		if msg != "" {
			return res.StatusCode, fmt.Errorf("the receiver answered %s: %s", res.Status, msg)
		}
		return res.StatusCode, fmt.Errorf("the receiver answered %s", res.Status)
	}
	return res.StatusCode, nil
}
