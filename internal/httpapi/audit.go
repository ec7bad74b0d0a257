package httpapi

import (
	"context"
	"encoding/json"
	"time"

	"github.com/okrahq/okra/internal/app"
)

// AuditEvent is an audit log entry as the API shows it (app.AuditEvent has
// no JSON names of its own).
type AuditEvent struct {
	ID          string          `json:"id"`
	ActorID     string          `json:"actor_id"`
	Action      string          `json:"action" doc:"What happened, e.g. objective.update."`
	SubjectType string          `json:"subject_type"`
	SubjectID   string          `json:"subject_id"`
	Before      json.RawMessage `json:"before" doc:"The subject before the change; null for a creation."`
	After       json.RawMessage `json:"after" doc:"The subject after the change; null for a deletion."`
	RequestID   string          `json:"request_id"`
	Created     time.Time       `json:"created_at"`
}

type listAuditEventsInput struct {
	SubjectID string `query:"subject_id" doc:"Only events about this object."`
	PageParams
}

func (s *Server) listAuditEvents(ctx context.Context, in *listAuditEventsInput) (*bodyOutput[app.Page[AuditEvent]], error) {
	page, err := s.app.ListAuditEvents(ctx, actorFrom(ctx), app.AuditQuery{SubjectID: in.SubjectID, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	out := app.Page[AuditEvent]{Items: make([]AuditEvent, len(page.Items)), NextCursor: page.NextCursor}
	for i, e := range page.Items {
		out.Items[i] = AuditEvent{ID: e.ID, ActorID: e.ActorID, Action: e.Action, SubjectType: e.SubjectType,
			SubjectID: e.SubjectID, Before: nullIfEmpty(e.Before), After: nullIfEmpty(e.After), RequestID: e.RequestID, Created: e.Created}
	}
	return &bodyOutput[app.Page[AuditEvent]]{Body: out}, nil
}

func nullIfEmpty(m json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return json.RawMessage("null")
	}
	return m
}
