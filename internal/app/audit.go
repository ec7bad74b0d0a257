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
	if err := requireAdmin(actor); err != nil {
		return Page[AuditEvent]{}, err
	}
	return readPage(ctx, a, actor, q.PageRequest, func(e AuditEvent) string { return e.ID },
		func(tx Tx, before string, limit int) ([]AuditEvent, error) {
			return tx.ListAuditEvents(ctx, actor.OrgID, AuditFilter{SubjectID: q.SubjectID, Before: before, Limit: limit})
		}, nil)
}
