-- +goose Up
-- Home's recent activity reads an organization's newest check-ins and comments.
CREATE INDEX check_ins_org_recent ON check_ins (org_id, id);
CREATE INDEX comments_org_recent ON comments (org_id, id);

-- +goose Down
DROP INDEX comments_org_recent;
DROP INDEX check_ins_org_recent;
