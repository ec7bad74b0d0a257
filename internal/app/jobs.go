package app

import (
	"context"
	"encoding/json"
	"time"
)

// JobStore is what the background jobs need from the database.
type JobStore interface{}

// Job kinds.
const (
	JobNotificationEmail = "notification.email" // payload {"notification_id"}
	JobChat              = "chat.send"          // payload ChatPayload
	JobWebhook           = "webhook.deliver"    // payload {"delivery_id"}
	JobReminders         = "reminders.scan"     // one organization's due reminders
	JobDigest            = "digest.weekly"      // one organization's weekly digests
)

// ChatPayload is a message for a Slack-compatible incoming webhook.
type ChatPayload struct {
	URL  string `json:"url"`
	Text string `json:"text"`
}

// Job is a unit of background work.
type Job struct {
	ID        string
	OrgID     string
	Kind      string
	Payload   json.RawMessage
	UniqueKey string // when set, a second job with the same key is not enqueued
	RunAt     time.Time
}

// enqueue queues a job in tx; false when its unique key was already queued.
func enqueue(ctx context.Context, tx Tx, j *Job) (bool, error) { return false, nil }
