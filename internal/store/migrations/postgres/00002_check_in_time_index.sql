-- +goose Up
-- Forecasts read a key result's latest check-ins by time.
CREATE INDEX check_ins_key_result_time ON check_ins (org_id, key_result_id, created_at, id);

-- +goose Down
DROP INDEX check_ins_key_result_time;
