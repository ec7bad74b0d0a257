package app

import (
	"context"
	"encoding/json"
	"time"

	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// AuditEvent records one change: who, what, before and after, when. Append-only.
type AuditEvent struct {
	ID          string          `json:"id"`
	OrgID       string          `json:"-"`
	ActorID     string          `json:"actor_id"`
	Action      string          `json:"action" doc:"What happened, e.g. objective.update."`
	SubjectType string          `json:"subject_type"`
	SubjectID   string          `json:"subject_id"`
	Before      json.RawMessage `json:"before" doc:"The subject before the change; null for a creation."`
	After       json.RawMessage `json:"after" doc:"The subject after the change; null for a deletion."`
	RequestID   string          `json:"request_id"`
	Created     time.Time       `json:"created_at"`
}

// AuditFilter selects audit events, newest first.
type AuditFilter struct {
	SubjectID string
	Before    string // cursor: ids smaller than this
	Limit     int
}

// OutboxEvent is a domain event written in the transaction that caused it
// and delivered (webhooks, notifications) after commit.
type OutboxEvent struct {
	ID        string
	OrgID     string
	Type      string // e.g. "check_in.created"
	SubjectID string
	Payload   json.RawMessage
	Created   time.Time
}

// IdempotencyRecord remembers what a create with an Idempotency-Key produced.
type IdempotencyRecord struct {
	OrgID     string
	UserID    string
	Key       string
	Operation string
	BodyHash  string
	ResultID  string
	Created   time.Time
}

// Tx is one database transaction as the use cases see it.
type Tx interface {
	org.Store
	okr.Store
	okr.KPIStore
	okr.ReviewStore
	okr.RecognitionStore
	learning.Store
	JobStore
	RhythmStore
	OrgDumpStore
	// Now is the transaction's single moment.
	Now() time.Time
	// AfterCommit runs f after a successful commit.
	AfterCommit(f func())
	// LockOrganization makes the transaction the organization's only writer
	// until it ends, so that roll-ups never race.
	LockOrganization(ctx context.Context, orgID string) error

	// InsertAuditEvent appends an audit event stamped with the transaction's time; audit events are never changed.
	InsertAuditEvent(ctx context.Context, e *AuditEvent) error
	// ListAuditEvents returns up to f.Limit of orgID's audit events matching f, newest first.
	ListAuditEvents(ctx context.Context, orgID string, f AuditFilter) ([]AuditEvent, error)
	// InsertOutbox records a domain event of e.OrgID, to be delivered after commit.
	InsertOutbox(ctx context.Context, e *OutboxEvent) error
	// GetIdempotency returns errs.NotFound when the key is new.
	GetIdempotency(ctx context.Context, orgID, userID, key string) (IdempotencyRecord, error)
	// PutIdempotency records what a create with an idempotency key produced; errs.Conflict if the
	// key is already recorded for that organization and user.
	PutIdempotency(ctx context.Context, r IdempotencyRecord) error
	// PruneIdempotency forgets the keys a user of orgID recorded before the moment.
	PruneIdempotency(ctx context.Context, orgID, userID string, before time.Time) error
}

// DB runs transactions.
type DB interface {
	// Write runs fn in a write transaction, committed when fn returns nil.
	Write(ctx context.Context, fn func(Tx) error) error
	// Read runs fn in a read-only transaction.
	Read(ctx context.Context, fn func(Tx) error) error
	// Ping reports errs.Unavailable when the database does not answer.
	Ping(ctx context.Context) error
}
