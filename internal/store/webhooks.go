package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/okrahq/okra/internal/app"
)

const webhookColumns = `id, org_id, url, events, description, active, created_by, version, created_at, updated_at`

func scanWebhook(sc interface{ Scan(...any) error }) (app.Webhook, error) {
	var w app.Webhook
	var events string
	if err := sc.Scan(&w.ID, &w.OrgID, &w.URL, &events, &w.Description, &w.Active, &w.CreatedBy, &w.Version, &w.Created, &w.Updated); err != nil {
		return w, err
	}
	return w, fromJSON(events, &w.Events)
}

// CreateWebhook inserts a webhook with its sealed secret.
func (t *Tx) CreateWebhook(ctx context.Context, w *app.Webhook, sealedSecret string) error {
	w.Version, w.Created, w.Updated = 1, t.now, t.now
	_, err := t.exec(ctx, "create webhook",
		`INSERT INTO webhooks (id, org_id, url, events, description, active, secret_sealed, created_by, version, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		w.ID, w.OrgID, w.URL, toJSON(w.Events), w.Description, w.Active, sealedSecret, w.CreatedBy, t.now, t.now)
	return err
}

// GetWebhook returns one of an organization's webhooks.
func (t *Tx) GetWebhook(ctx context.Context, orgID, id string) (app.Webhook, error) {
	w, err := scanWebhook(t.row(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE org_id = ? AND id = ?`, orgID, id))
	return w, t.d.classify(err, "webhook "+id)
}

// WebhookSecret returns a webhook's sealed secret.
func (t *Tx) WebhookSecret(ctx context.Context, orgID, id string) (string, error) {
	var s string
	err := t.get(ctx, "webhook "+id, `SELECT secret_sealed FROM webhooks WHERE org_id = ? AND id = ?`, []any{orgID, id}, &s)
	return s, err
}

func (t *Tx) webhooks(ctx context.Context, q string, args ...any) ([]app.Webhook, error) {
	var out []app.Webhook
	err := t.each(ctx, "list webhooks", q, args, func(r *sql.Rows) error {
		w, err := scanWebhook(r)
		out = append(out, w)
		return err
	})
	return out, err
}

// ListWebhooks returns an organization's webhooks by id, after the cursor.
func (t *Tx) ListWebhooks(ctx context.Context, orgID, after string, limit int) ([]app.Webhook, error) {
	return t.webhooks(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?`, orgID, after, limit)
}

// ActiveWebhooks returns an organization's active webhooks.
func (t *Tx) ActiveWebhooks(ctx context.Context, orgID string) ([]app.Webhook, error) {
	return t.webhooks(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE org_id = ? AND active ORDER BY id`, orgID)
}

// UpdateWebhook stores a webhook's fields and increments its version.
func (t *Tx) UpdateWebhook(ctx context.Context, w *app.Webhook) error {
	return t.execOne(ctx, "webhook "+w.ID,
		`UPDATE webhooks SET url = ?, events = ?, description = ?, active = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ?`, w.URL, toJSON(w.Events), w.Description, w.Active, t.now, w.OrgID, w.ID)
}

// DeleteWebhook removes a webhook and its deliveries.
func (t *Tx) DeleteWebhook(ctx context.Context, orgID, id string) error {
	if _, err := t.exec(ctx, "delete deliveries", `DELETE FROM webhook_deliveries WHERE org_id = ? AND webhook_id = ?`, orgID, id); err != nil {
		return err
	}
	return t.execOne(ctx, "webhook "+id, `DELETE FROM webhooks WHERE org_id = ? AND id = ?`, orgID, id)
}

const deliveryColumns = `id, org_id, webhook_id, event_id, event_type, body, status, attempts, response_code, last_error,
	created_at, updated_at, delivered_at`

func scanDelivery(sc interface{ Scan(...any) error }) (app.Delivery, error) {
	var d app.Delivery
	var body string
	var code sql.NullInt64
	var delivered sql.NullTime
	err := sc.Scan(&d.ID, &d.OrgID, &d.WebhookID, &d.EventID, &d.EventType, &body, &d.Status, &d.Attempts, &code, &d.Error,
		&d.Created, &d.Updated, &delivered)
	d.Body = []byte(body)
	if code.Valid {
		c := int(code.Int64)
		d.ResponseCode = &c
	}
	d.DeliveredAt = timePtr(delivered)
	return d, err
}

// InsertDelivery inserts a pending delivery; false when the webhook has the event already.
func (t *Tx) InsertDelivery(ctx context.Context, d *app.Delivery) (bool, error) {
	d.Status, d.Attempts, d.ResponseCode, d.Error, d.DeliveredAt = app.DeliveryPending, 0, nil, "", nil
	d.Created, d.Updated = t.now, t.now
	n, err := t.affected(ctx, "create delivery",
		`INSERT INTO webhook_deliveries (id, org_id, webhook_id, event_id, event_type, body, status, attempts, last_error, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, '', ?, ?) ON CONFLICT (webhook_id, event_id) DO NOTHING`,
		d.ID, d.OrgID, d.WebhookID, d.EventID, d.EventType, string(d.Body), t.now, t.now)
	return n == 1, err
}

// GetDelivery returns one of an organization's deliveries.
func (t *Tx) GetDelivery(ctx context.Context, orgID, id string) (app.Delivery, error) {
	d, err := scanDelivery(t.row(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE org_id = ? AND id = ?`, orgID, id))
	return d, t.d.classify(err, "delivery "+id)
}

// ListDeliveries returns a webhook's deliveries, newest first, before the cursor.
func (t *Tx) ListDeliveries(ctx context.Context, orgID, webhookID, before string, limit int) ([]app.Delivery, error) {
	q := `SELECT ` + deliveryColumns + ` FROM webhook_deliveries WHERE org_id = ? AND webhook_id = ?`
	args := []any{orgID, webhookID}
	if before != "" {
		q += ` AND id < ?`
		args = append(args, before)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	var out []app.Delivery
	err := t.each(ctx, "list deliveries", q, args, func(r *sql.Rows) error {
		d, err := scanDelivery(r)
		out = append(out, d)
		return err
	})
	return out, err
}

// RecordDeliveryAttempt stores an attempt's outcome.
func (t *Tx) RecordDeliveryAttempt(ctx context.Context, orgID, id string, status app.DeliveryStatus, code int, message string) error {
	var c any
	if code != 0 {
		c = code
	}
	var delivered any
	if status == app.DeliveryDelivered {
		delivered = t.now
	}
	return t.execOne(ctx, "delivery "+id,
		`UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, response_code = ?, last_error = ?, updated_at = ?,
		 delivered_at = COALESCE(?, delivered_at) WHERE org_id = ? AND id = ?`,
		string(status), c, message, t.now, delivered, orgID, id)
}

// PruneDeliveries deletes the deliveries created before the moment.
func (t *Tx) PruneDeliveries(ctx context.Context, before time.Time) (int, error) {
	return t.affected(ctx, "prune deliveries", `DELETE FROM webhook_deliveries WHERE created_at < ?`, before.UTC())
}
