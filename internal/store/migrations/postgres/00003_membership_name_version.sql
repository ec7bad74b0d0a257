-- +goose Up
-- The name an organization knows a member by, and a version for If-Match.
ALTER TABLE memberships ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE memberships DROP COLUMN version;
ALTER TABLE memberships DROP COLUMN name;
