package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
)

type listAuditEventsInput struct {
	SubjectID string `query:"subject_id" doc:"Only events about this object."`
	PageParams
}

func (s *Server) listAuditEvents(ctx context.Context, in *listAuditEventsInput) (*bodyOutput[app.Page[app.AuditEvent]], error) {
	page, err := s.app.ListAuditEvents(ctx, actorFrom(ctx), app.AuditQuery{SubjectID: in.SubjectID, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[app.AuditEvent]]{Body: page}, nil
}
