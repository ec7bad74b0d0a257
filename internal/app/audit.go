package app

import (
	"context"

	"github.com/okrahq/okra/internal/org"
)

// AuditQuery filters the audit log.
type AuditQuery struct {
	SubjectID string
	PageRequest
}

// ListAuditEvents lists the organization's audit events, newest first (admin only).
func (a *App) ListAuditEvents(ctx context.Context, actor org.Actor, q AuditQuery) (Page[AuditEvent], error) {
	var page Page[AuditEvent]
	if err := requireAdmin(actor); err != nil {
		return page, err
	}
	before, limit, err := q.resolve()
	if err != nil {
		return page, err
	}
	err = a.db.Read(ctx, func(tx Tx) error {
		es, err := tx.ListAuditEvents(ctx, actor.OrgID, AuditFilter{SubjectID: q.SubjectID, Before: before, Limit: limit + 1})
		page = pageOf(es, limit, func(e AuditEvent) string { return e.ID })
		return err
	})
	return page, err
}
