package app

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/netguard"
	"github.com/okrahq/okra/internal/org"
)

// WebhookStore is what webhooks and their deliveries need from the database.
type WebhookStore interface {
	// CreateWebhook inserts w (version 1) with its sealed signing secret.
	CreateWebhook(ctx context.Context, w *Webhook, sealedSecret string) error
	// GetWebhook returns one of orgID's webhooks; errs.NotFound otherwise.
	GetWebhook(ctx context.Context, orgID, id string) (Webhook, error)
	// WebhookSecret returns a webhook's sealed signing secret; errs.NotFound otherwise.
	WebhookSecret(ctx context.Context, orgID, id string) (string, error)
	// ListWebhooks returns up to limit of orgID's webhooks by id, after the cursor id.
	ListWebhooks(ctx context.Context, orgID, after string, limit int) ([]Webhook, error)
	// ActiveWebhooks returns orgID's active webhooks.
	ActiveWebhooks(ctx context.Context, orgID string) ([]Webhook, error)
	// UpdateWebhook stores w's url, events, description and active flag,
	// incrementing its version; errs.NotFound when it does not exist.
	UpdateWebhook(ctx context.Context, w *Webhook) error
	// DeleteWebhook removes a webhook and its deliveries; errs.NotFound otherwise.
	DeleteWebhook(ctx context.Context, orgID, id string) error
	// InsertDelivery inserts d (status pending); false, and nothing
	// inserted, when the webhook already has a delivery of the event.
	InsertDelivery(ctx context.Context, d *Delivery) (bool, error)
	// GetDelivery returns one of orgID's deliveries; errs.NotFound otherwise.
	GetDelivery(ctx context.Context, orgID, id string) (Delivery, error)
	// ListDeliveries returns up to limit of a webhook's deliveries, newest
	// first, before the cursor id.
	ListDeliveries(ctx context.Context, orgID, webhookID, before string, limit int) ([]Delivery, error)
	// RecordDeliveryAttempt stores an attempt's outcome: status, response
	// code (0: none) and error; delivered_at is set when delivered.
	RecordDeliveryAttempt(ctx context.Context, orgID, id string, status DeliveryStatus, code int, message string) error
	// PruneDeliveries deletes the deliveries created before the moment.
	PruneDeliveries(ctx context.Context, before time.Time) (int, error)
}

// Webhook sends the organization's events to a URL, signed.
type Webhook struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"-"`
	URL         string    `json:"url"`
	Events      []string  `json:"events" doc:"Event types sent: exact (check_in.create), a subject's (objective.*) or every one (*)."`
	Description string    `json:"description"`
	Active      bool      `json:"active"`
	CreatedBy   string    `json:"created_by"`
	Version     int       `json:"version"`
	Created     time.Time `json:"created_at"`
	Updated     time.Time `json:"updated_at"`
}

// Matches reports whether the webhook subscribes to the event type.
func (w Webhook) Matches(eventType string) bool { return EventMatches(w.Events, eventType) }

// EventMatches reports whether an event type is among the patterns: "*",
// "subject.*" or the exact type.
func EventMatches(patterns []string, eventType string) bool {
	for _, p := range patterns {
		switch {
		case p == "*", p == eventType:
			return true
		case strings.HasSuffix(p, ".*") && strings.HasPrefix(eventType, strings.TrimSuffix(p, "*")):
			return true
		}
	}
	return false
}

// NewWebhook is a webhook as created, with its signing secret: shown this
// once (and again only to an idempotent retry of the same creation).
type NewWebhook struct {
	Webhook
	Secret string `json:"secret" doc:"The signing secret. Shown once: keep it where the receiver verifies signatures."`
}

// WebhookInput creates a webhook.
type WebhookInput struct {
	URL         string   `json:"url" doc:"Where events are POSTed: an HTTP or HTTPS URL, not on a private network unless the settings allow its target."`
	Events      []string `json:"events" doc:"Event types to send: e.g. check_in.create, objective.*, or *."`
	Description string   `json:"description,omitempty"`
	Active      *bool    `json:"active,omitempty" doc:"Default true."`
}

// WebhookUpdate changes a webhook; nil fields are kept.
type WebhookUpdate struct {
	URL         *string   `json:"url,omitempty"`
	Events      *[]string `json:"events,omitempty"`
	Description *string   `json:"description,omitempty"`
	Active      *bool     `json:"active,omitempty"`
}

// DeliveryStatus is where a delivery is.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliveryPending   DeliveryStatus = "pending"   // not attempted yet, or waiting for a retry
	DeliveryDelivered DeliveryStatus = "delivered" // the receiver answered 2xx
	DeliveryFailed    DeliveryStatus = "failed"    // every attempt failed, or the webhook went away
)

// Delivery is one event sent (or to send) to one webhook.
type Delivery struct {
	ID           string          `json:"id" doc:"Sent as the Okra-Delivery header."`
	OrgID        string          `json:"-"`
	WebhookID    string          `json:"webhook_id"`
	EventID      string          `json:"event_id"`
	EventType    string          `json:"event" doc:"The event type, or ping."`
	Body         json.RawMessage `json:"-"`
	Status       DeliveryStatus  `json:"status" enum:"pending,delivered,failed"`
	Attempts     int             `json:"attempts"`
	ResponseCode *int            `json:"response_code" doc:"The HTTP status of the last attempt; null when none answered."`
	Error        string          `json:"error" doc:"Why the last attempt failed; empty when it did not."`
	Created      time.Time       `json:"created_at"`
	Updated      time.Time       `json:"updated_at"`
	DeliveredAt  *time.Time      `json:"delivered_at"`
}

// deliveryRetention is how long the delivery log is kept.
const deliveryRetention = 30 * 24 * time.Hour

// EventBody is the JSON body of a webhook delivery.
type EventBody struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Created time.Time       `json:"created_at"`
	Data    json.RawMessage `json:"data"`
}

var eventPattern = regexp.MustCompile(`^(\*|[a-z][a-z_]*\.(\*|[a-z][a-z_]*))$`)

// validateWebhook checks the fields people type; the URL's target is
// checked by checkTarget.
func validateWebhook(w *Webhook) error {
	var f errs.Fields
	w.URL = strings.TrimSpace(w.URL)
	switch {
	case w.URL == "":
		f.Add("url", "give the URL okra should POST events to, e.g. https://hooks.example.com/okra")
	case len(w.URL) > 2000:
		f.Add("url", "is longer than 2000 characters")
	}
	if len(w.Events) == 0 {
		f.Add("events", "name at least one event type, e.g. check_in.create, objective.* or *")
	}
	seen := map[string]bool{}
	var events []string
	for i, e := range w.Events {
		e = strings.TrimSpace(e)
		if !eventPattern.MatchString(e) {
			f.Add("events["+strconv.Itoa(i)+"]", "%q is not an event type; use e.g. check_in.create, objective.* or *", e)
			continue
		}
		if !seen[e] {
			seen[e] = true
			events = append(events, e)
		}
	}
	w.Events = events
	w.Description = strings.TrimSpace(w.Description)
	if len(w.Description) > 500 {
		f.Add("description", "is longer than 500 characters")
	}
	return f.Err()
}

// checkTarget refuses a URL whose host resolves to a private address the
// organization does not allow; the message says why.
func (a *App) checkTarget(ctx context.Context, orgID, url string) error {
	var settings org.Settings
	if err := a.db.Read(ctx, func(tx Tx) error {
		o, err := tx.GetOrganization(ctx, orgID)
		settings = o.Settings
		return err
	}); err != nil {
		return err
	}
	g := netguard.Must(settings.PrivateWebhookTargets)
	g.Resolver = a.jobs.Resolver
	if err := g.CheckURL(ctx, url); err != nil {
		var f errs.Fields
		f.Add("url", "%s", err.Error())
		return f.Err()
	}
	return nil
}

// errNoSecretKey refuses webhooks on a server without a secret key.
var errNoSecretKey = errs.E(errs.Unavailable,
	"this server has no secret key to seal webhook signing secrets with: its operator must start okra with --secret-key-file (OKRA_SECRET_KEY_FILE)")

// CreateWebhook registers a webhook (admins) and returns it with its
// signing secret. Its URL must not reach a private address unless the
// organization's private webhook targets allow it.
func (a *App) CreateWebhook(ctx context.Context, actor org.Actor, in WebhookInput, idemKey string) (NewWebhook, error) {
	var out NewWebhook
	if err := requireAdmin(actor); err != nil {
		return out, err
	}
	if len(a.jobs.SecretKey) == 0 {
		return out, errNoSecretKey
	}
	w := Webhook{ID: NewID(), OrgID: actor.OrgID, URL: in.URL, Events: slices.Clone(in.Events), Description: in.Description,
		Active: in.Active == nil || *in.Active, CreatedBy: actor.UserID}
	if err := validateWebhook(&w); err != nil {
		return out, err
	}
	if err := a.checkTarget(ctx, actor.OrgID, w.URL); err != nil {
		return out, err
	}
	secret, _ := newSecret("whsec_")
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "webhook.create", in, func() (string, error) {
			sealed, err := seal(a.jobs.SecretKey, w.OrgID+"/"+w.ID, secret)
			if err != nil {
				return "", err
			}
			if err := tx.CreateWebhook(ctx, &w, sealed); err != nil {
				return "", err
			}
			return w.ID, record(ctx, tx, actor, "webhook.create", "webhook", w.ID, nil, w)
		})
		if err != nil {
			return err
		}
		if out.Webhook, err = tx.GetWebhook(ctx, actor.OrgID, id); err != nil {
			return err
		}
		sealed, err := tx.WebhookSecret(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		out.Secret, err = unseal(a.jobs.SecretKey, actor.OrgID+"/"+id, sealed)
		return err
	})
	return out, err
}

// ListWebhooks lists the organization's webhooks (admins).
func (a *App) ListWebhooks(ctx context.Context, actor org.Actor, p PageRequest) (Page[Webhook], error) {
	if err := requireAdmin(actor); err != nil {
		return Page[Webhook]{}, err
	}
	return readPage(ctx, a, actor, p, func(w Webhook) string { return w.ID },
		func(tx Tx, after string, limit int) ([]Webhook, error) {
			return tx.ListWebhooks(ctx, actor.OrgID, after, limit)
		}, nil)
}

// GetWebhook returns a webhook (admins).
func (a *App) GetWebhook(ctx context.Context, actor org.Actor, id string) (Webhook, error) {
	var w Webhook
	if err := requireAdmin(actor); err != nil {
		return w, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		w, err = tx.GetWebhook(ctx, actor.OrgID, id)
		return err
	})
	return w, err
}

// UpdateWebhook changes a webhook (admins); a new URL is checked like a new
// webhook's.
func (a *App) UpdateWebhook(ctx context.Context, actor org.Actor, id string, ifMatch *int, in WebhookUpdate) (Webhook, error) {
	var w Webhook
	if err := requireAdmin(actor); err != nil {
		return w, err
	}
	if in.URL != nil {
		if err := a.checkTarget(ctx, actor.OrgID, strings.TrimSpace(*in.URL)); err != nil {
			return w, err
		}
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetWebhook(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "webhook"); err != nil {
			return err
		}
		w = before
		if in.URL != nil {
			w.URL = *in.URL
		}
		if in.Events != nil {
			w.Events = slices.Clone(*in.Events)
		}
		if in.Description != nil {
			w.Description = *in.Description
		}
		if in.Active != nil {
			w.Active = *in.Active
		}
		if err := validateWebhook(&w); err != nil {
			return err
		}
		if err := tx.UpdateWebhook(ctx, &w); err != nil {
			return err
		}
		if w, err = tx.GetWebhook(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "webhook.update", "webhook", id, before, w)
	})
	return w, err
}

// DeleteWebhook removes a webhook and its delivery log (admins); deliveries
// still queued are dropped.
func (a *App) DeleteWebhook(ctx context.Context, actor org.Actor, id string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetWebhook(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteWebhook(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "webhook.delete", "webhook", id, before, nil)
	})
}

// ListDeliveries lists a webhook's deliveries, newest first (admins).
func (a *App) ListDeliveries(ctx context.Context, actor org.Actor, webhookID string, p PageRequest) (Page[Delivery], error) {
	if err := requireAdmin(actor); err != nil {
		return Page[Delivery]{}, err
	}
	return readPage(ctx, a, actor, p, func(d Delivery) string { return d.ID },
		func(tx Tx, before string, limit int) ([]Delivery, error) {
			if _, err := tx.GetWebhook(ctx, actor.OrgID, webhookID); err != nil {
				return nil, err
			}
			return tx.ListDeliveries(ctx, actor.OrgID, webhookID, before, limit)
		}, nil)
}

// PingWebhook queues a "ping" event to a webhook, active or not (admins),
// so that an admin sees in the delivery log whether the receiver answers.
func (a *App) PingWebhook(ctx context.Context, actor org.Actor, id string) (Delivery, error) {
	var d Delivery
	if err := requireAdmin(actor); err != nil {
		return d, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		w, err := tx.GetWebhook(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		ev := OutboxEvent{ID: NewID(), OrgID: actor.OrgID, Type: "ping", SubjectID: w.ID, Created: tx.Now(),
			Payload: marshalOrNil(map[string]string{"webhook_id": w.ID, "actor_id": actor.UserID})}
		d, err = queueDelivery(ctx, tx, w, ev)
		if err != nil {
			return err
		}
		return audit(ctx, tx, actor, "webhook.ping", "webhook", w.ID, nil, d)
	})
	return d, err
}

// queueDelivery inserts the delivery of an event to a webhook and its job;
// nothing when the webhook already has it.
func queueDelivery(ctx context.Context, tx Tx, w Webhook, ev OutboxEvent) (Delivery, error) {
	data := ev.Payload
	if len(data) == 0 {
		data = json.RawMessage(`null`)
	}
	body, err := json.Marshal(EventBody{ID: ev.ID, Type: ev.Type, Created: ev.Created.UTC(), Data: data})
	if err != nil {
		return Delivery{}, err
	}
	d := Delivery{ID: NewID(), OrgID: w.OrgID, WebhookID: w.ID, EventID: ev.ID, EventType: ev.Type, Body: body}
	ok, err := tx.InsertDelivery(ctx, &d)
	if err != nil || !ok {
		return d, err
	}
	_, err = enqueue(ctx, tx, &Job{OrgID: w.OrgID, Kind: JobWebhook, UniqueKey: JobWebhook + ":" + d.ID,
		Payload: marshalOrNil(map[string]string{"delivery_id": d.ID})})
	return d, err
}

// DispatchOutbox turns up to limit undispatched domain events into webhook
// deliveries, one per matching active webhook, and marks them dispatched; it
// returns how many events it took. Several servers dispatch concurrently
// without taking the same event twice.
func (a *App) DispatchOutbox(ctx context.Context, limit int) (int, error) {
	n := 0
	err := a.db.Write(ctx, func(tx Tx) error {
		events, err := tx.ClaimOutbox(ctx, limit)
		if err != nil || len(events) == 0 {
			return err
		}
		hooks := map[string][]Webhook{}
		ids := make([]string, 0, len(events))
		for _, ev := range events {
			ids = append(ids, ev.ID)
			ws, ok := hooks[ev.OrgID]
			if !ok {
				if ws, err = tx.ActiveWebhooks(ctx, ev.OrgID); err != nil {
					return err
				}
				hooks[ev.OrgID] = ws
			}
			for _, w := range ws {
				if w.Matches(ev.Type) {
					if _, err := queueDelivery(ctx, tx, w, ev); err != nil {
						return err
					}
				}
			}
		}
		n = len(events)
		return tx.MarkOutboxDispatched(ctx, ids)
	})
	return n, err
}

// WebhookRequest is one attempt of a delivery, as the job sends it.
type WebhookRequest struct {
	Delivery Delivery
	URL      string
	Secret   string
	// PrivateTargets are the organization's allowed private targets.
	PrivateTargets []string
	// Skip, when set, says why the delivery is not sent (the webhook was
	// deleted or deactivated).
	Skip string
}

// PrepareDelivery loads what an attempt of a delivery sends.
func (a *App) PrepareDelivery(ctx context.Context, orgID, deliveryID string) (WebhookRequest, error) {
	var r WebhookRequest
	err := a.db.Read(ctx, func(tx Tx) error {
		d, err := tx.GetDelivery(ctx, orgID, deliveryID)
		if errs.Is(err, errs.NotFound) {
			r.Skip = "skipped: the webhook was deleted"
			return nil
		}
		if err != nil {
			return err
		}
		r.Delivery = d
		w, err := tx.GetWebhook(ctx, orgID, d.WebhookID)
		if err != nil {
			return err
		}
		if !w.Active && d.EventType != "ping" {
			r.Skip = "skipped: the webhook is inactive"
			return nil
		}
		r.URL = w.URL
		sealed, err := tx.WebhookSecret(ctx, orgID, w.ID)
		if err != nil {
			return err
		}
		if r.Secret, err = unseal(a.jobs.SecretKey, orgID+"/"+w.ID, sealed); err != nil {
			return err
		}
		o, err := tx.GetOrganization(ctx, orgID)
		r.PrivateTargets = o.Settings.PrivateWebhookTargets
		return err
	})
	return r, err
}

// RecordDeliveryAttempt stores the outcome of an attempt: code is the HTTP
// status (0 when none came), cause nil on success; final says no attempt
// is left, so a failure is the delivery's last word.
func (a *App) RecordDeliveryAttempt(ctx context.Context, orgID, deliveryID string, code int, cause error, final bool) error {
	status, msg := DeliveryDelivered, ""
	if cause != nil {
		status, msg = DeliveryPending, cause.Error()
		if final {
			status = DeliveryFailed
		}
	}
	msg = ClipText(msg, 1000)
	err := a.db.Write(ctx, func(tx Tx) error {
		return tx.RecordDeliveryAttempt(ctx, orgID, deliveryID, status, code, msg)
	})
	if errs.Is(err, errs.NotFound) {
		return nil // the webhook was deleted meanwhile
	}
	return err
}

// PrivateTargets returns an organization's allowed private webhook targets.
func (a *App) PrivateTargets(ctx context.Context, orgID string) ([]string, error) {
	var out []string
	err := a.db.Read(ctx, func(tx Tx) error {
		o, err := tx.GetOrganization(ctx, orgID)
		out = o.Settings.PrivateWebhookTargets
		return err
	})
	return out, err
}

// WebhookSignature is the Okra-Signature header of a body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
func WebhookSignature(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

// seal encrypts a secret with AES-256-GCM under key, bound to its owner
// (additional data), as "v1:" and the base64 of nonce and ciphertext.
func seal(key []byte, owner, secret string) (string, error) {
	aead, err := gcm(key)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := aead.Seal(nonce, nonce, []byte(secret), []byte(owner))
	return "v1:" + base64.StdEncoding.EncodeToString(out), nil
}

// unseal opens what seal sealed; a wrong key is an error that says so.
func unseal(key []byte, owner, sealed string) (string, error) {
	if len(key) == 0 {
		return "", errNoSecretKey
	}
	aead, err := gcm(key)
	if err != nil {
		return "", err
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:"))
	if err != nil || !strings.HasPrefix(sealed, "v1:") || len(raw) < aead.NonceSize() {
		return "", errs.E(errs.Internal, "a sealed webhook secret is damaged")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(owner))
	if err != nil {
		return "", errs.E(errs.Internal, "a webhook secret cannot be unsealed: the server's secret key is not the one it was sealed with")
	}
	return string(plain), nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, errors.New("the secret key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
