-- +goose Up
-- Lessons learned, kudos and the celebration feed. Tags and skill ids are
-- JSON lists; objective, team and period ids are plain columns, read
-- through the use cases (a lesson outlives the objective it was learned on).

CREATE TABLE lessons (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    tags         TEXT NOT NULL,
    objective_id TEXT,
    skill_ids    TEXT NOT NULL,
    team_id      TEXT,
    period_id    TEXT,
    author_id    TEXT NOT NULL,
    source       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX lessons_created ON lessons (org_id, created_at);
CREATE INDEX lessons_objective ON lessons (org_id, objective_id);
CREATE INDEX lessons_team ON lessons (org_id, team_id);

-- One helpful vote per person and lesson.
CREATE TABLE lesson_votes (
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    lesson_id  TEXT NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, lesson_id, user_id)
);

CREATE TABLE kudos (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    from_id      TEXT NOT NULL,
    to_user_id   TEXT,
    to_team_id   TEXT,
    message      TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX kudos_to_user ON kudos (org_id, to_user_id, created_at);
CREATE INDEX kudos_to_team ON kudos (org_id, to_team_id, created_at);
CREATE INDEX kudos_from ON kudos (org_id, from_id, created_at);

-- The celebration feed: achievements recorded by themselves (once each,
-- by dedupe key) and kudos.
CREATE TABLE celebrations (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    user_id      TEXT,
    team_id      TEXT,
    objective_id TEXT,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    title        TEXT NOT NULL,
    detail       TEXT NOT NULL,
    level        INTEGER NOT NULL,
    actor_id     TEXT,
    dedupe_key   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX celebrations_dedupe ON celebrations (org_id, dedupe_key);
CREATE INDEX celebrations_feed ON celebrations (org_id, created_at, id);
CREATE INDEX celebrations_user ON celebrations (org_id, user_id, created_at);
CREATE INDEX celebrations_subject ON celebrations (org_id, subject_type, subject_id);

-- +goose Down
DROP TABLE celebrations;
DROP TABLE kudos;
DROP TABLE lesson_votes;
DROP TABLE lessons;
