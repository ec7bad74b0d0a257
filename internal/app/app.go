// Package app holds okra's use cases: one method per thing a person or a
// script does, where authorization, validation, transactions, audit events
// and outgoing events meet. Every surface (API, web, CLI) calls these; none
// has rules of its own.
package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

// App is the set of use cases over one database.
type App struct {
	db       DB
	log      *slog.Logger
	sessions SessionLimits
	jobs     JobsConfig // see jobs.go
	// periodReads bounds how many reads of a whole period (the alignment
	// tree, the dashboard, a gap analysis) run at once: each holds the
	// period in memory, and more of them than cores only add memory.
	periodReads chan struct{}
}

// New returns the use cases over db.
func New(db DB, log *slog.Logger) *App {
	if log == nil {
		log = slog.Default()
	}
	return &App{db: db, log: log, periodReads: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// wholePeriod waits for a turn to read a whole period; call done after.
func (a *App) wholePeriod(ctx context.Context) (done func(), err error) {
	select {
	case a.periodReads <- struct{}{}:
		return func() { <-a.periodReads }, nil
	case <-ctx.Done():
		return nil, errs.Wrap(errs.Unavailable, ctx.Err(), "gave up waiting to read the period")
	}
}

// write runs fn in a write transaction as the organization's only writer:
// every use case an actor performs on an organization's data goes through it
// (Init and MintToken, run by the operator, touch no roll-up).
func (a *App) write(ctx context.Context, orgID string, fn func(Tx) error) error {
	return a.db.Write(ctx, func(tx Tx) error {
		if err := tx.LockOrganization(ctx, orgID); err != nil {
			return err
		}
		return fn(tx)
	})
}

// transaction runs fn with an App whose every use case, write or read, runs
// inside one write transaction on orgID: a file applied or a spreadsheet
// imported through many use cases is stored whole or not at all. An error
// from fn rolls everything back; with dryRun, everything runs (every rule is
// checked) and is then rolled back, and transaction returns nil.
func (a *App) transaction(ctx context.Context, orgID string, dryRun bool, fn func(in *App) error) error {
	err := a.write(ctx, orgID, func(tx Tx) error {
		in := *a
		in.db = joinedDB{tx: tx, db: a.db}
		if err := fn(&in); err != nil {
			return err
		}
		if dryRun {
			return errRehearsal
		}
		return nil
	})
	if dryRun && errors.Is(err, errRehearsal) {
		return nil
	}
	return err
}

// errRehearsal rolls a dry run back.
var errRehearsal = errors.New("dry run: rolled back")

// joinedDB runs every transaction asked of it in one open transaction.
type joinedDB struct {
	tx Tx
	db DB
}

func (j joinedDB) Write(_ context.Context, fn func(Tx) error) error { return fn(j.tx) }
func (j joinedDB) Read(_ context.Context, fn func(Tx) error) error  { return fn(j.tx) }
func (j joinedDB) Ping(ctx context.Context) error                   { return j.db.Ping(ctx) }

// Ping reports whether the database answers.
func (a *App) Ping(ctx context.Context) error { return a.db.Ping(ctx) }

// NewID returns a new time-ordered id (UUIDv7).
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Page is one page of a list and the cursor of the next, empty at the end.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// PageRequest asks for a page: Limit defaults to 50 and is at most 200.
type PageRequest struct {
	Limit  int
	Cursor string
}

const (
	defaultLimit = 50
	maxLimit     = 200
)

// resolve decodes the cursor into the last id seen (the boundary the next
// page starts after, or before for newest-first lists) and bounds the limit.
func (p PageRequest) resolve() (boundary string, limit int, err error) {
	limit = p.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	if limit > maxLimit {
		limit = maxLimit
	}
	if p.Cursor == "" {
		return "", limit, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(p.Cursor)
	if err != nil || !strings.HasPrefix(string(b), "after:") {
		var f errs.Fields
		f.Add("cursor", "is not a cursor this server gave out; start again without it")
		return "", 0, f.Err()
	}
	return strings.TrimPrefix(string(b), "after:"), limit, nil
}

func encodeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("after:" + id))
}

// pageOf cuts a list fetched with limit+1 rows into a page.
func pageOf[T any](items []T, limit int, id func(T) string) Page[T] {
	p := Page[T]{Items: items}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(items) > limit {
		p.Items = items[:limit]
		p.NextCursor = encodeCursor(id(items[limit-1]))
	}
	return p
}

// readPage runs a list use case: the actor must be able to read; fetch
// gets up to limit items from the cursor's boundary (after it, or before it
// for newest-first lists) in a read transaction; the page is cut to limit
// and finish, when given, completes it (filters and decorates) in the same
// transaction.
func readPage[T any](ctx context.Context, a *App, actor org.Actor, p PageRequest, id func(T) string,
	fetch func(tx Tx, boundary string, limit int) ([]T, error), finish func(tx Tx, page *Page[T]) error) (Page[T], error) {
	var page Page[T]
	if err := requireRead(actor); err != nil {
		return page, err
	}
	boundary, limit, err := p.resolve()
	if err != nil {
		return page, err
	}
	err = a.db.Read(ctx, func(tx Tx) error {
		items, err := fetch(tx, boundary, limit+1)
		if err != nil {
			return err
		}
		page = pageOf(items, limit, id)
		if finish != nil {
			return finish(tx, &page)
		}
		return nil
	})
	return page, err
}

// inMemoryPage pages a list the store returns whole (teams, tokens: small
// lists) the way the store pages the others: by id, after the cursor.
func inMemoryPage[T any](ctx context.Context, a *App, actor org.Actor, p PageRequest, id func(T) string, all func(tx Tx) ([]T, error)) (Page[T], error) {
	return readPage(ctx, a, actor, p, id, func(tx Tx, after string, limit int) ([]T, error) {
		items, err := all(tx)
		if err != nil {
			return nil, err
		}
		slices.SortFunc(items, func(a, b T) int { return strings.Compare(id(a), id(b)) })
		i, _ := slices.BinarySearchFunc(items, after, func(x T, after string) int {
			if id(x) <= after {
				return -1
			}
			return 1
		})
		return items[i:min(len(items), i+limit)], nil
	}, nil)
}

// keepIf keeps the items keep accepts (keep may change them), in place. A
// page cut before filtering may come out shorter than its limit, or empty,
// with a next cursor still: clients page on until next_cursor is empty.
func keepIf[T any](items []T, keep func(*T) (bool, error)) ([]T, error) {
	out := items[:0]
	for i := range items {
		ok, err := keep(&items[i])
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, items[i])
		}
	}
	return out, nil
}

// audit records a change in the same transaction.
func audit(ctx context.Context, tx Tx, actor org.Actor, action, subjectType, subjectID string, before, after any) error {
	e := &AuditEvent{
		ID: NewID(), OrgID: actor.OrgID, ActorID: actor.UserID, Action: action,
		SubjectType: subjectType, SubjectID: subjectID, RequestID: actor.RequestID,
		Before: marshalOrNil(before), After: marshalOrNil(after),
	}
	return tx.InsertAuditEvent(ctx, e)
}

// emit writes a domain event to the outbox in the same transaction.
func emit(ctx context.Context, tx Tx, orgID, eventType, subjectID string, payload any) error {
	return tx.InsertOutbox(ctx, &OutboxEvent{
		ID: NewID(), OrgID: orgID, Type: eventType, SubjectID: subjectID, Payload: marshalOrNil(payload),
	})
}

// record audits a change and emits its event.
func record(ctx context.Context, tx Tx, actor org.Actor, action, subjectType, subjectID string, before, after any) error {
	if err := audit(ctx, tx, actor, action, subjectType, subjectID, before, after); err != nil {
		return err
	}
	payload := after
	if payload == nil {
		payload = before
	}
	return emit(ctx, tx, actor.OrgID, action, subjectID, payload)
}

func marshalOrNil(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// idempotencyWindow is how long an Idempotency-Key is remembered.
const idempotencyWindow = 24 * time.Hour

// idempotent runs create once per Idempotency-Key: a retry with the same key
// and the same input returns the first result's id and creates nothing; the
// same key with another input is a Conflict. An empty key always creates.
func idempotent(ctx context.Context, tx Tx, actor org.Actor, key, operation string, input any, create func() (string, error)) (string, error) {
	if key == "" {
		return create()
	}
	if len(key) > 255 {
		var f errs.Fields
		f.Add("Idempotency-Key", "is longer than 255 characters")
		return "", f.Err()
	}
	sum := sha256.Sum256(marshalOrNil(input))
	hash := hex.EncodeToString(sum[:])
	// Keys are remembered for a day; each use forgets the user's older ones.
	if err := tx.PruneIdempotency(ctx, actor.OrgID, actor.UserID, tx.Now().Add(-idempotencyWindow)); err != nil {
		return "", err
	}
	prev, err := tx.GetIdempotency(ctx, actor.OrgID, actor.UserID, key)
	switch {
	case err == nil:
		if prev.Operation != operation || prev.BodyHash != hash {
			return "", errs.E(errs.Conflict, "this Idempotency-Key was already used for a different request; use a new key")
		}
		return prev.ResultID, nil
	case !errs.Is(err, errs.NotFound):
		return "", err
	}
	id, err := create()
	if err != nil {
		return "", err
	}
	return id, tx.PutIdempotency(ctx, IdempotencyRecord{
		OrgID: actor.OrgID, UserID: actor.UserID, Key: key, Operation: operation, BodyHash: hash, ResultID: id,
	})
}

// checkVersion compares an If-Match version with the stored one.
func checkVersion(ifMatch *int, current int, what string) error {
	if ifMatch == nil {
		return errs.E(errs.PreconditionRequired, "send the %s's version in If-Match to update it", what)
	}
	if *ifMatch != current {
		return errs.E(errs.PreconditionFailed, "the %s was changed by someone else (version %d, you sent %d); reload it and try again", what, current, *ifMatch)
	}
	return nil
}

func requireRead(actor org.Actor) error {
	if !actor.CanRead() {
		return errs.E(errs.Forbidden, "this token may not read")
	}
	return nil
}

func requireWrite(actor org.Actor) error {
	if !actor.CanWrite() {
		return errs.E(errs.Forbidden, "your role or token may not change anything")
	}
	return nil
}

func requireAdmin(actor org.Actor) error {
	if !actor.IsAdmin() {
		return errs.E(errs.Forbidden, "only an admin (with an admin-scoped token) may do this")
	}
	return nil
}
