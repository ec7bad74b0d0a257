-- +goose Up
CREATE TABLE organizations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    slug       TEXT NOT NULL UNIQUE,
    time_zone  TEXT NOT NULL,
    settings   TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    active     BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE teams (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    slug       TEXT NOT NULL,
    parent_id  TEXT REFERENCES teams(id) ON DELETE SET NULL,
    version    INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, slug)
);

CREATE TABLE team_members (
    org_id  TEXT NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    is_lead BOOLEAN NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (org_id, user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_org ON api_tokens (org_id, user_id);

CREATE TABLE periods (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    parent_id  TEXT REFERENCES periods(id) ON DELETE SET NULL,
    state      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX periods_org ON periods (org_id, start_date);

CREATE TABLE objectives (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    period_id     TEXT NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    owner_type    TEXT NOT NULL,
    owner_id      TEXT NOT NULL,
    champion_id   TEXT,
    kind          TEXT NOT NULL,
    visibility    TEXT NOT NULL,
    state         TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    weight        REAL NOT NULL,
    tags          TEXT NOT NULL,
    progress      REAL NOT NULL,
    last_check_in TIMESTAMP,
    version       INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX objectives_period ON objectives (org_id, period_id);
CREATE INDEX objectives_owner ON objectives (org_id, owner_type, owner_id);

CREATE TABLE key_results (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    objective_id      TEXT NOT NULL REFERENCES objectives(id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    owner_id          TEXT,
    kind              TEXT NOT NULL,
    unit              TEXT NOT NULL,
    unit_label        TEXT NOT NULL,
    currency          TEXT NOT NULL,
    baseline          REAL NOT NULL,
    target            REAL NOT NULL,
    band_low          REAL,
    band_high         REAL,
    milestones        TEXT NOT NULL,
    current_value     REAL NOT NULL,
    weight            REAL NOT NULL,
    due_date          TEXT NOT NULL,
    indicator         TEXT NOT NULL,
    source            TEXT NOT NULL,
    measure           TEXT,
    progress          REAL NOT NULL,
    confidence        REAL,
    last_status       TEXT NOT NULL,
    last_check_in     TIMESTAMP,
    forecast_value    REAL,
    forecast_on_track BOOLEAN,
    version           INTEGER NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX key_results_objective ON key_results (org_id, objective_id);
CREATE INDEX key_results_owner ON key_results (org_id, owner_id);

CREATE TABLE alignments (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    child_id     TEXT NOT NULL REFERENCES objectives(id) ON DELETE CASCADE,
    parent_type  TEXT NOT NULL,
    parent_objective_id  TEXT REFERENCES objectives(id) ON DELETE CASCADE,
    parent_key_result_id TEXT REFERENCES key_results(id) ON DELETE CASCADE,
    link         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX alignments_child ON alignments (org_id, child_id);
CREATE INDEX alignments_parent_objective ON alignments (org_id, parent_objective_id);
CREATE INDEX alignments_parent_key_result ON alignments (org_id, parent_key_result_id);

CREATE TABLE check_ins (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    key_result_id   TEXT NOT NULL REFERENCES key_results(id) ON DELETE CASCADE,
    objective_id    TEXT NOT NULL,
    value           REAL NOT NULL,
    previous_value  REAL NOT NULL,
    milestones_done TEXT NOT NULL,
    confidence      REAL NOT NULL,
    status          TEXT NOT NULL,
    note            TEXT NOT NULL,
    blockers        TEXT NOT NULL,
    author_id       TEXT,
    source          TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX check_ins_key_result ON check_ins (org_id, key_result_id, id);

CREATE TABLE initiatives (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    owner_id        TEXT,
    status          TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    due_date        TEXT NOT NULL,
    budget_amount   TEXT,
    budget_currency TEXT,
    effort_days     REAL,
    external_url    TEXT NOT NULL,
    version         INTEGER NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX initiatives_org ON initiatives (org_id, id);

CREATE TABLE initiative_key_results (
    org_id        TEXT NOT NULL,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    key_result_id TEXT NOT NULL REFERENCES key_results(id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, key_result_id)
);
CREATE INDEX initiative_key_results_kr ON initiative_key_results (org_id, key_result_id);

CREATE TABLE tasks (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    title         TEXT NOT NULL,
    assignee_id   TEXT,
    due_date      TEXT NOT NULL,
    done          BOOLEAN NOT NULL
);
CREATE INDEX tasks_initiative ON tasks (org_id, initiative_id, position);

CREATE TABLE comments (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    author_id    TEXT,
    body         TEXT NOT NULL,
    mentions     TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX comments_subject ON comments (org_id, subject_type, subject_id, id);

CREATE TABLE audit_events (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    actor_id     TEXT,
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    before_json  TEXT,
    after_json   TEXT,
    request_id   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX audit_events_org ON audit_events (org_id, id);
CREATE INDEX audit_events_subject ON audit_events (org_id, subject_id);

CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    event_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);

CREATE TABLE idempotency_keys (
    org_id      TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    key         TEXT NOT NULL,
    operation   TEXT NOT NULL,
    body_hash   TEXT NOT NULL,
    result_id   TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, user_id, key)
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE outbox;
DROP TABLE audit_events;
DROP TABLE comments;
DROP TABLE tasks;
DROP TABLE initiative_key_results;
DROP TABLE initiatives;
DROP TABLE check_ins;
DROP TABLE alignments;
DROP TABLE key_results;
DROP TABLE objectives;
DROP TABLE periods;
DROP TABLE api_tokens;
DROP TABLE team_members;
DROP TABLE teams;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE organizations;
