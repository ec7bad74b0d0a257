-- +goose Up
-- Stable slugs key objectives (per period), key results (per objective) and
-- initiatives (per organization) in OKR files; rows from before get theirs
-- from their titles when the store opens. The alignment note says why an
-- objective aligns to nothing above it.
ALTER TABLE objectives ADD COLUMN slug TEXT NOT NULL DEFAULT '';
ALTER TABLE objectives ADD COLUMN alignment_note TEXT NOT NULL DEFAULT '';
ALTER TABLE key_results ADD COLUMN slug TEXT NOT NULL DEFAULT '';
ALTER TABLE initiatives ADD COLUMN slug TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX objectives_slug ON objectives (org_id, period_id, slug) WHERE slug <> '';
CREATE UNIQUE INDEX key_results_slug ON key_results (org_id, objective_id, slug) WHERE slug <> '';
CREATE UNIQUE INDEX initiatives_slug ON initiatives (org_id, slug) WHERE slug <> '';

-- +goose Down
DROP INDEX initiatives_slug;
DROP INDEX key_results_slug;
DROP INDEX objectives_slug;
ALTER TABLE initiatives DROP COLUMN slug;
ALTER TABLE key_results DROP COLUMN slug;
ALTER TABLE objectives DROP COLUMN alignment_note;
ALTER TABLE objectives DROP COLUMN slug;
