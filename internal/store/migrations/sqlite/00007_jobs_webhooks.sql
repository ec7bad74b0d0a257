-- +goose Up
-- Background jobs, webhooks and their deliveries.
--
-- A job is claimed by setting locked_by and a lease (locked_until); a job
-- whose lease ran out is taken again by another worker. unique_key makes
-- scheduled jobs and per-object jobs enqueue once (NULL: no key). Jobs of the
-- whole installation have no org_id.

CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    org_id       TEXT REFERENCES organizations(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    unique_key   TEXT UNIQUE,
    state        TEXT NOT NULL,
    run_at       TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    locked_by    TEXT,
    locked_until TIMESTAMP,
    last_error   TEXT NOT NULL,
    result       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX jobs_ready ON jobs (state, run_at);
CREATE INDEX jobs_org_state ON jobs (org_id, state, id);

-- Outbox rows are turned into webhook deliveries once; the rows written
-- before this migration count as dispatched.
ALTER TABLE outbox ADD COLUMN dispatched_at TIMESTAMP;
UPDATE outbox SET dispatched_at = created_at;
CREATE INDEX outbox_undispatched ON outbox (id) WHERE dispatched_at IS NULL;

-- The signing secret is sealed (AES-GCM under the server's secret key), not
-- hashed: it must stay usable for signing.
CREATE TABLE webhooks (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    events        TEXT NOT NULL,
    description   TEXT NOT NULL,
    active        BOOLEAN NOT NULL,
    secret_sealed TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (org_id, id)
);
CREATE INDEX webhooks_org ON webhooks (org_id, id);

-- One delivery per webhook and event; the body is fixed when the event is
-- dispatched, so that every attempt sends the same bytes.
CREATE TABLE webhook_deliveries (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL,
    webhook_id    TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    event_type    TEXT NOT NULL,
    body          TEXT NOT NULL,
    status        TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    response_code INTEGER,
    last_error    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    delivered_at  TIMESTAMP,
    UNIQUE (webhook_id, event_id),
    FOREIGN KEY (org_id, webhook_id) REFERENCES webhooks (org_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (org_id, webhook_id, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP INDEX outbox_undispatched;
ALTER TABLE outbox DROP COLUMN dispatched_at;
DROP TABLE jobs;
