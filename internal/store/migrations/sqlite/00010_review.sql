-- +goose Up
-- The period review: scores written at the close (a key result's computed
-- score, an optional adjustment with its reason; an objective's final score),
-- the objective a carried one continues, retrospectives and decisions.
ALTER TABLE key_results ADD COLUMN score_computed REAL;
ALTER TABLE key_results ADD COLUMN score_adjusted REAL;
ALTER TABLE key_results ADD COLUMN score_reason TEXT;
ALTER TABLE objectives ADD COLUMN score REAL;
ALTER TABLE objectives ADD COLUMN carried_from TEXT REFERENCES objectives(id) ON DELETE SET NULL;
CREATE INDEX objectives_carried_from ON objectives (org_id, carried_from);

-- One retrospective per objective; its lessons live in the lessons library.
CREATE TABLE retrospectives (
    objective_id TEXT PRIMARY KEY REFERENCES objectives(id) ON DELETE CASCADE,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    went_well    TEXT NOT NULL,
    went_badly   TEXT NOT NULL,
    lessons      TEXT NOT NULL,
    author_id    TEXT,
    version      INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX retrospectives_org ON retrospectives (org_id);

-- One decision per objective: keep, modify (both carried into next_objective_id) or drop.
CREATE TABLE objective_decisions (
    objective_id      TEXT PRIMARY KEY REFERENCES objectives(id) ON DELETE CASCADE,
    org_id            TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    decision          TEXT NOT NULL,
    next_objective_id TEXT REFERENCES objectives(id) ON DELETE SET NULL,
    author_id         TEXT,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX objective_decisions_org ON objective_decisions (org_id);

-- +goose Down
DROP TABLE objective_decisions;
DROP TABLE retrospectives;
DROP INDEX objectives_carried_from;
ALTER TABLE objectives DROP COLUMN carried_from;
ALTER TABLE objectives DROP COLUMN score;
ALTER TABLE key_results DROP COLUMN score_reason;
ALTER TABLE key_results DROP COLUMN score_adjusted;
ALTER TABLE key_results DROP COLUMN score_computed;
