-- +goose Up
-- Skills and learning. Built-in proficiency scales are not rows: skills.scale_id
-- names one of them or a custom scale. References to skills, programs, role
-- profiles, learning objectives and members are foreign keys on (org_id, ...),
-- so that they never cross organizations and a skill still in use cannot be
-- deleted; the links that outlive their target (ON DELETE SET NULL) are on the
-- id alone.

CREATE TABLE scales (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    levels      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX scales_org ON scales (org_id, name);

-- A framework's URI is unique in an organization; a skill without one stores NULL.
CREATE TABLE skills (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    category    TEXT NOT NULL,
    scale_id    TEXT NOT NULL,
    framework   TEXT NOT NULL,
    uri         TEXT,
    version     INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (org_id, id),
    UNIQUE (org_id, uri)
);
CREATE INDEX skills_org_name ON skills (org_id, name);

CREATE TABLE skill_requirements (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    skill_id     TEXT NOT NULL,
    level        INTEGER NOT NULL,
    headcount    INTEGER NOT NULL,
    essential    BOOLEAN NOT NULL,
    version      INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (org_id, subject_type, subject_id, skill_id),
    FOREIGN KEY (org_id, skill_id) REFERENCES skills (org_id, id)
);
CREATE INDEX skill_requirements_skill ON skill_requirements (org_id, skill_id);

CREATE TABLE role_profiles (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (org_id, id)
);
CREATE INDEX role_profiles_org ON role_profiles (org_id, name);

-- A role's holders are members of its organization.
CREATE TABLE role_holders (
    org_id  TEXT NOT NULL,
    role_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (role_id, user_id),
    FOREIGN KEY (org_id, role_id) REFERENCES role_profiles (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, user_id) REFERENCES memberships (org_id, user_id) ON DELETE CASCADE
);
CREATE INDEX role_holders_user ON role_holders (org_id, user_id);

CREATE TABLE programs (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    provider      TEXT NOT NULL,
    external_id   TEXT,
    url           TEXT NOT NULL,
    hours         REAL,
    cost_amount   TEXT,
    cost_currency TEXT,
    pass_mark     REAL,
    archived      BOOLEAN NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (org_id, id),
    UNIQUE (org_id, external_id)
);
CREATE INDEX programs_org_title ON programs (org_id, title);

CREATE TABLE program_skills (
    org_id     TEXT NOT NULL,
    program_id TEXT NOT NULL,
    skill_id   TEXT NOT NULL,
    level      INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (program_id, skill_id),
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, skill_id) REFERENCES skills (org_id, id)
);
CREATE INDEX program_skills_skill ON program_skills (org_id, skill_id);

CREATE TABLE learning_objectives (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id        TEXT,
    team_id        TEXT,
    skill_id       TEXT NOT NULL,
    target_level   INTEGER NOT NULL,
    due_date       TEXT NOT NULL,
    requirement_id TEXT REFERENCES skill_requirements(id) ON DELETE SET NULL,
    objective_id   TEXT REFERENCES objectives(id) ON DELETE SET NULL,
    key_result_id  TEXT REFERENCES key_results(id) ON DELETE SET NULL,
    note           TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, skill_id) REFERENCES skills (org_id, id)
);
CREATE INDEX learning_objectives_user ON learning_objectives (org_id, user_id);
CREATE INDEX learning_objectives_team ON learning_objectives (org_id, team_id);
CREATE INDEX learning_objectives_skill ON learning_objectives (org_id, skill_id);
CREATE INDEX learning_objectives_objective ON learning_objectives (org_id, objective_id);
CREATE INDEX learning_objectives_key_result ON learning_objectives (org_id, key_result_id);

CREATE TABLE learning_objective_programs (
    org_id                TEXT NOT NULL,
    learning_objective_id TEXT NOT NULL,
    program_id            TEXT NOT NULL,
    PRIMARY KEY (learning_objective_id, program_id),
    FOREIGN KEY (org_id, learning_objective_id) REFERENCES learning_objectives (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id)
);
CREATE INDEX learning_objective_programs_program ON learning_objective_programs (org_id, program_id);

CREATE TABLE enrollments (
    id                    TEXT PRIMARY KEY,
    org_id                TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id               TEXT NOT NULL,
    program_id            TEXT NOT NULL,
    assigned_by           TEXT,
    due_date              TEXT NOT NULL,
    status                TEXT NOT NULL,
    progress              REAL NOT NULL,
    started_at            TIMESTAMP,
    completed_at          TIMESTAMP,
    score                 REAL,
    passed                BOOLEAN,
    hours                 REAL,
    feedback_rating       INTEGER,
    feedback_text         TEXT,
    learning_objective_id TEXT REFERENCES learning_objectives(id) ON DELETE SET NULL,
    version               INTEGER NOT NULL,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    FOREIGN KEY (org_id, program_id) REFERENCES programs (org_id, id)
);
CREATE INDEX enrollments_user ON enrollments (org_id, user_id, program_id);
CREATE INDEX enrollments_program ON enrollments (org_id, program_id);
CREATE INDEX enrollments_learning_objective ON enrollments (org_id, learning_objective_id);

CREATE TABLE assessments (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL,
    skill_id       TEXT NOT NULL,
    level          INTEGER NOT NULL,
    source         TEXT NOT NULL,
    assessor_id    TEXT,
    evidence_note  TEXT NOT NULL,
    evidence_url   TEXT NOT NULL,
    evidence_score REAL,
    assessed_on    TEXT NOT NULL,
    enrollment_id  TEXT REFERENCES enrollments(id) ON DELETE SET NULL,
    created_at     TIMESTAMP NOT NULL,
    FOREIGN KEY (org_id, skill_id) REFERENCES skills (org_id, id)
);
CREATE INDEX assessments_user ON assessments (org_id, user_id, skill_id);
CREATE INDEX assessments_skill ON assessments (org_id, skill_id);

CREATE TABLE mentorships (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    mentor_id  TEXT NOT NULL,
    mentee_id  TEXT NOT NULL,
    skill_id   TEXT,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    notes      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    FOREIGN KEY (org_id, skill_id) REFERENCES skills (org_id, id)
);
CREATE INDEX mentorships_mentor ON mentorships (org_id, mentor_id);
CREATE INDEX mentorships_mentee ON mentorships (org_id, mentee_id);
CREATE INDEX mentorships_skill ON mentorships (org_id, skill_id);

CREATE TABLE feedback (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    from_id      TEXT NOT NULL,
    to_id        TEXT NOT NULL,
    relation     TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    body         TEXT NOT NULL,
    visibility   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX feedback_to ON feedback (org_id, to_id, created_at);
CREATE INDEX feedback_from ON feedback (org_id, from_id, created_at);
CREATE INDEX feedback_subject ON feedback (org_id, subject_type, subject_id);

-- LRS credentials: the hash of the secret, never the secret. A key names one
-- credential across every organization (it is the Basic-auth user name).
CREATE TABLE lrs_credentials (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    key          TEXT NOT NULL UNIQUE,
    secret_hash  TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX lrs_credentials_org ON lrs_credentials (org_id, id);

-- xAPI statements as received (raw, immutable) with what okra made of them.
-- A statement id is unique within an organization.
CREATE TABLE xapi_statements (
    id            TEXT NOT NULL,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL,
    raw           TEXT NOT NULL,
    digest        TEXT NOT NULL,
    verb          TEXT NOT NULL,
    activity_id   TEXT NOT NULL,
    actor         TEXT NOT NULL,
    occurred_at   TIMESTAMP NOT NULL,
    stored_at     TIMESTAMP NOT NULL,
    matched       BOOLEAN NOT NULL,
    user_id       TEXT,
    program_id    TEXT,
    enrollment_id TEXT,
    outcome       TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX xapi_statements_stored ON xapi_statements (org_id, stored_at, id);

-- +goose Down
DROP TABLE xapi_statements;
DROP TABLE lrs_credentials;
DROP TABLE feedback;
DROP TABLE mentorships;
DROP TABLE assessments;
DROP TABLE enrollments;
DROP TABLE learning_objective_programs;
DROP TABLE learning_objectives;
DROP TABLE program_skills;
DROP TABLE programs;
DROP TABLE role_holders;
DROP TABLE role_profiles;
DROP TABLE skill_requirements;
DROP TABLE skills;
DROP TABLE scales;
