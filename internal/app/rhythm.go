package app

import (
	"context"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// RhythmStore is what cadence, reminders, digests and the inbox need from the database.
type RhythmStore interface{}

// Notification is one message in a person's inbox.
type Notification struct {
	ID        string
	OrgID     string
	UserID    string
	Kind      string
	Title     string
	Body      string
	Link      string
	DedupeKey string
}

// notify puts n in its person's inbox and queues its e-mail.
func notify(ctx context.Context, tx Tx, n *Notification) error { return nil }

// askForBlocker asks the author of a low-confidence check-in without a blocker to name one.
func askForBlocker(ctx context.Context, tx Tx, actor org.Actor, k okr.KeyResult, c *okr.CheckIn) error {
	return nil
}

// SendReminders sends one organization's due reminders.
func (a *App) SendReminders(ctx context.Context, orgID string) (int, error) { return 0, nil }

// SendDigests sends one organization's weekly digests.
func (a *App) SendDigests(ctx context.Context, orgID string) (int, error) { return 0, nil }

// NotificationEmail is the e-mail of a notification.
func (a *App) NotificationEmail(ctx context.Context, orgID, notificationID string) (to, subject, text string, err error) {
	return "", "", "", nil
}
