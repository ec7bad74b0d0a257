-- +goose Up
-- The rhythm: each team may set its own check-in cadence, grace days and chat
-- webhook (NULL cadence or grace: inherit from the parent team, then the
-- organization); the inbox; and the reminders already sent, one per key result
-- and due moment, so that a rerun of the scan sends nothing twice.

ALTER TABLE teams ADD COLUMN cadence TEXT;
ALTER TABLE teams ADD COLUMN grace_days INTEGER;
ALTER TABLE teams ADD COLUMN chat_webhook_url TEXT NOT NULL DEFAULT '';

-- A notification with a dedupe key is written once per person: a second one
-- with the same key is skipped (NULL keys never collide).
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT NOT NULL,
    dedupe_key TEXT,
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP,
    UNIQUE (org_id, user_id, dedupe_key)
);
CREATE INDEX notifications_user ON notifications (org_id, user_id, id);

CREATE TABLE sent_reminders (
    org_id          TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    key_result_id   TEXT NOT NULL REFERENCES key_results(id) ON DELETE CASCADE,
    due_at          TIMESTAMP NOT NULL,
    user_id         TEXT NOT NULL,
    notification_id TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, key_result_id, due_at)
);

-- +goose Down
DROP TABLE sent_reminders;
DROP TABLE notifications;
ALTER TABLE teams DROP COLUMN chat_webhook_url;
ALTER TABLE teams DROP COLUMN grace_days;
ALTER TABLE teams DROP COLUMN cadence;
