package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// RhythmStore is what cadence, reminders, digests and the inbox need from the database.
type RhythmStore interface {
	// InsertNotification puts n in its person's inbox, stamped with the
	// transaction's time; false (and nothing written) when the person already
	// has one with n's non-empty DedupeKey.
	InsertNotification(ctx context.Context, n *Notification) (bool, error)
	// GetNotification returns a notification of orgID; errs.NotFound if none.
	GetNotification(ctx context.Context, orgID, id string) (Notification, error)
	// ListNotifications returns up to f.Limit of a person's notifications matching f, newest first.
	ListNotifications(ctx context.Context, orgID, userID string, f NotificationFilter) ([]Notification, error)
	// CountUnreadNotifications counts a person's unread notifications.
	CountUnreadNotifications(ctx context.Context, orgID, userID string) (int, error)
	// MarkNotificationsRead marks a person's unread notification id read (all
	// of them when id is empty) and returns how many it marked.
	MarkNotificationsRead(ctx context.Context, orgID, userID, id string) (int, error)
	// InsertSentReminder records the reminder of a key result's due moment;
	// false (and nothing written) when that moment was already reminded.
	InsertSentReminder(ctx context.Context, r SentReminder) (bool, error)
	// ListSentReminders returns orgID's reminders recorded since the moment, by due moment.
	ListSentReminders(ctx context.Context, orgID string, since time.Time) ([]SentReminder, error)
	// ListTeamRhythms returns orgID's teams with their cadence, grace days
	// and chat webhook, without their people.
	ListTeamRhythms(ctx context.Context, orgID string) ([]org.Team, error)
	// TeamRhythmChain returns a team of orgID and its ancestors, nearest
	// first, with their cadence, grace days and chat webhook.
	TeamRhythmChain(ctx context.Context, orgID, teamID string) ([]org.Team, error)
}

// Notification kinds.
const (
	NotifyReminder      = "reminder"              // check-ins are due
	NotifyDigest        = "digest"                // the weekly digest of a person
	NotifyLeadDigest    = "lead_digest"           // the weekly digest of a team lead
	NotifyBlocker       = "blocker"               // a low-confidence check-in without a blocker
	NotifyRetrospective = "retrospective.request" // a closed period asks for a retrospective
)

// Notification is one message in a person's inbox.
type Notification struct {
	ID     string `json:"id"`
	OrgID  string `json:"-"`
	UserID string `json:"user_id"`
	Kind   string `json:"kind" doc:"reminder, digest, lead_digest, blocker, retrospective.request, …"`
	Title  string `json:"title"`
	Body   string `json:"body" doc:"Plain text, one item a line; paths in it are pages of the web UI."`
	Link   string `json:"link" doc:"The page of the web UI to act on it (a path)."`
	// DedupeKey makes a notification once-only per person: a second one
	// with the same key is skipped.
	DedupeKey string     `json:"-"`
	Created   time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at" nullable:"true"`
}

// NotificationFilter selects a person's notifications.
type NotificationFilter struct {
	Unread bool
	Kind   string
	Before string // cursor: ids smaller than this
	Limit  int
}

// SentReminder is the reminder of one key result's due moment.
type SentReminder struct {
	OrgID          string
	KeyResultID    string
	DueAt          time.Time
	UserID         string
	NotificationID string
	Created        time.Time
}

// notify puts n in its person's inbox and queues its e-mail. With a
// DedupeKey the person already has, nothing happens.
func notify(ctx context.Context, tx Tx, n *Notification) error {
	_, err := notifyAdded(ctx, tx, n)
	return err
}

// notifyAdded is notify that says whether the notification was new.
func notifyAdded(ctx context.Context, tx Tx, n *Notification) (bool, error) {
	if n.ID == "" {
		n.ID = NewID()
	}
	if n.OrgID == "" || n.UserID == "" {
		return false, errs.E(errs.Internal, "notification %q without organization or person", n.Title)
	}
	added, err := tx.InsertNotification(ctx, n)
	if err != nil || !added {
		return false, err
	}
	payload, _ := json.Marshal(map[string]string{"notification_id": n.ID})
	_, err = enqueue(ctx, tx, &Job{ID: NewID(), OrgID: n.OrgID, Kind: JobNotificationEmail, Payload: payload,
		UniqueKey: JobNotificationEmail + ":" + n.ID, RunAt: tx.Now()})
	return err == nil, err
}

// chat queues a message for a Slack-compatible incoming webhook; an empty
// url sends nothing. A non-empty unique key sends it once.
func chat(ctx context.Context, tx Tx, orgID, url, text, uniqueKey string) error {
	if url == "" || text == "" {
		return nil
	}
	payload, err := json.Marshal(ChatPayload{URL: url, Text: text})
	if err != nil {
		return err
	}
	_, err = enqueue(ctx, tx, &Job{ID: NewID(), OrgID: orgID, Kind: JobChat, Payload: payload, UniqueKey: uniqueKey, RunAt: tx.Now()})
	return err
}

// blockerConfidence: a check-in below it without a blocker asks for one.
const blockerConfidence = 0.4

// askForBlocker asks the author of a low-confidence check-in without a blocker to name one.
func askForBlocker(ctx context.Context, tx Tx, actor org.Actor, k okr.KeyResult, c *okr.CheckIn) error {
	if c == nil || c.Confidence >= blockerConfidence || len(c.Blockers) > 0 || c.AuthorID == "" {
		return nil
	}
	if c.Source != okr.SourceManual && c.Source != okr.SourceAPI {
		return nil
	}
	return notify(ctx, tx, &Notification{
		OrgID: actor.OrgID, UserID: c.AuthorID, Kind: NotifyBlocker, DedupeKey: "blocker:" + c.ID,
		Title: fmt.Sprintf("What stands in the way of %q?", k.Title),
		Body: fmt.Sprintf("You checked in %q with confidence %d in 10 and named no blocker. "+
			"Name what stands in the way (a resource, a dependency, a priority conflict…) with your next check-in, so that someone can help.",
			k.Title, int(c.Confidence*10+0.5)),
		Link: "/checkin",
	})
}

// Inbox is a page of the actor's notifications and how many are unread.
type Inbox struct {
	Page[Notification]
	Unread int `json:"unread" doc:"How many of the person's notifications are unread."`
}

// ListNotifications lists the actor's notifications, newest first; unread
// keeps the unread ones.
func (a *App) ListNotifications(ctx context.Context, actor org.Actor, unread bool, p PageRequest) (Inbox, error) {
	var unreadCount int
	page, err := readPage(ctx, a, actor, p, func(n Notification) string { return n.ID },
		func(tx Tx, before string, limit int) ([]Notification, error) {
			return tx.ListNotifications(ctx, actor.OrgID, actor.UserID, NotificationFilter{Unread: unread, Before: before, Limit: limit})
		}, func(tx Tx, _ *Page[Notification]) error {
			var err error
			unreadCount, err = tx.CountUnreadNotifications(ctx, actor.OrgID, actor.UserID)
			return err
		})
	return Inbox{Page: page, Unread: unreadCount}, err
}

// UnreadNotifications counts the actor's unread notifications (the Inbox count).
func (a *App) UnreadNotifications(ctx context.Context, actor org.Actor) (int, error) {
	var n int
	if err := requireRead(actor); err != nil {
		return 0, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		n, err = tx.CountUnreadNotifications(ctx, actor.OrgID, actor.UserID)
		return err
	})
	return n, err
}

// ReadNotification marks one of the actor's notifications read and returns
// it; someone else's answers NotFound. Reading needs no write scope: a
// viewer has an inbox too.
func (a *App) ReadNotification(ctx context.Context, actor org.Actor, id string) (Notification, error) {
	var n Notification
	if err := requireRead(actor); err != nil {
		return n, err
	}
	err := a.db.Write(ctx, func(tx Tx) error {
		var err error
		if n, err = tx.GetNotification(ctx, actor.OrgID, id); err != nil {
			return err
		}
		if n.UserID != actor.UserID {
			return errs.NotFoundf("notification %s: not found", id)
		}
		if _, err := tx.MarkNotificationsRead(ctx, actor.OrgID, actor.UserID, id); err != nil {
			return err
		}
		n, err = tx.GetNotification(ctx, actor.OrgID, id)
		return err
	})
	return n, err
}

// ReadAllNotifications marks every notification of the actor read and says how many it marked.
func (a *App) ReadAllNotifications(ctx context.Context, actor org.Actor) (int, error) {
	var n int
	if err := requireRead(actor); err != nil {
		return 0, err
	}
	err := a.db.Write(ctx, func(tx Tx) error {
		var err error
		n, err = tx.MarkNotificationsRead(ctx, actor.OrgID, actor.UserID, "")
		return err
	})
	return n, err
}

// NotificationEmail is the e-mail of a notification: its person's address,
// the subject and a plain-text body whose links are paths of the web UI
// (the mailer puts the public URL before them: see EmailLinks).
func (a *App) NotificationEmail(ctx context.Context, orgID, notificationID string) (to, subject, text string, err error) {
	err = a.db.Read(ctx, func(tx Tx) error {
		n, err := tx.GetNotification(ctx, orgID, notificationID)
		if err != nil {
			return err
		}
		m, err := tx.GetMember(ctx, orgID, n.UserID)
		if err != nil {
			return err
		}
		if !m.Active {
			return errs.E(errs.Invalid, "%s is no longer an active member; no e-mail is sent", m.Email)
		}
		o, err := tx.GetOrganization(ctx, orgID)
		if err != nil {
			return err
		}
		to, subject = m.Email, "["+o.Name+"] "+n.Title
		var b strings.Builder
		fmt.Fprintf(&b, "Hello %s,\n\n%s\n", m.Name, n.Body)
		if n.Link != "" {
			fmt.Fprintf(&b, "\nOpen it in okra: %s\n", n.Link)
		}
		fmt.Fprintf(&b, "\nYour inbox: /inbox\n\n-- \nokra, for %s. You get this because you are a member; the inbox in okra keeps every message.\n", o.Name)
		text = b.String()
		return nil
	})
	return to, subject, text, err
}

// EmailLinks makes the paths of an e-mail's text absolute under the public
// URL base: the words that are a path to one of okra's pages ("/checkin",
// "/objectives/…"), and Home ("/") at the end of a line, and nothing else
// that merely starts with "/".
func EmailLinks(text, base string) string {
	base = strings.TrimRight(base, "/")
	if base == "" {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		words := strings.Split(line, " ")
		for j, w := range words {
			if isPagePath(w) || w == "/" && j == len(words)-1 {
				words[j] = base + w
			}
		}
		lines[i] = strings.Join(words, " ")
	}
	return strings.Join(lines, "\n")
}

// pageRoots are the first segments of the web UI's pages that e-mails link to.
var pageRoots = map[string]bool{"objectives": true, "key-results": true, "checkin": true, "inbox": true,
	"people": true, "teams": true, "kpis": true, "lessons": true, "kudos": true, "learning": true,
	"periods": true, "admin": true, "alignment": true, "dashboard": true, "skills": true}

// isPagePath reports whether w is a path to one of okra's pages.
func isPagePath(w string) bool {
	rest, ok := strings.CutPrefix(w, "/")
	if !ok {
		return false
	}
	root, _, _ := strings.Cut(rest, "/")
	root, _, _ = strings.Cut(root, "?")
	root, _, _ = strings.Cut(root, "#")
	return pageRoots[root]
}
