-- +goose Up
-- KPIs: business metrics with dated records, and the objectives that name
-- them. A KPI's name is unique in its organization; a KPI has at most one
-- record per date (a new value for a date replaces the old one). Records and
-- objective links go with their KPI; links go with their objective.

CREATE TABLE kpis (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    unit        TEXT NOT NULL,
    unit_label  TEXT NOT NULL,
    currency    TEXT NOT NULL,
    direction   TEXT NOT NULL,
    owner_id    TEXT,
    green       REAL NOT NULL,
    red         REAL NOT NULL,
    frequency   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (org_id, id),
    UNIQUE (org_id, name)
);

CREATE TABLE kpi_records (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    kpi_id      TEXT NOT NULL,
    record_date TEXT NOT NULL,
    value       REAL NOT NULL,
    note        TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    source      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (kpi_id, record_date),
    FOREIGN KEY (org_id, kpi_id) REFERENCES kpis (org_id, id) ON DELETE CASCADE
);
CREATE INDEX kpi_records_kpi ON kpi_records (org_id, kpi_id, record_date);

CREATE TABLE objective_kpis (
    org_id       TEXT NOT NULL,
    objective_id TEXT NOT NULL REFERENCES objectives(id) ON DELETE CASCADE,
    kpi_id       TEXT NOT NULL,
    PRIMARY KEY (objective_id, kpi_id),
    FOREIGN KEY (org_id, kpi_id) REFERENCES kpis (org_id, id) ON DELETE CASCADE
);
CREATE INDEX objective_kpis_kpi ON objective_kpis (org_id, kpi_id);

-- +goose Down
DROP TABLE objective_kpis;
DROP TABLE kpi_records;
DROP TABLE kpis;
