package httpapi

import (
	"context"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

type checkInInput struct {
	IDParam
	IdempotencyHeader
	Body app.CheckInInput
}

// checkIn records a check-in on a key result: 201 with the check-in and,
// when it deserves them, warnings.
func (s *Server) checkIn(ctx context.Context, in *checkInInput) (*createdOutput[app.CheckInResult], error) {
	c, err := s.app.CheckIn(ctx, actorFrom(ctx), in.ID, in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return &createdOutput[app.CheckInResult]{Location: location("check-ins", c.ID), Body: c}, nil
}

type listCheckInsInput struct {
	IDParam
	PageParams
}

func (s *Server) listCheckIns(ctx context.Context, in *listCheckInsInput) (*bodyOutput[app.Page[okr.CheckIn]], error) {
	page, err := s.app.ListCheckIns(ctx, actorFrom(ctx), in.ID, in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[okr.CheckIn]]{Body: page}, nil
}

func (s *Server) getCheckIn(ctx context.Context, in *IDParam) (*bodyOutput[okr.CheckIn], error) {
	c, err := s.app.GetCheckIn(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[okr.CheckIn]{Body: c}, nil
}

type checkInObjectiveInput struct {
	IDParam
	IdempotencyHeader
	Body app.ObjectiveCheckInInput
}

// CheckInBatch is the answer of an objective check-in: one check-in per key result.
type CheckInBatch struct {
	Items []app.CheckInResult `json:"items"`
}

func (s *Server) checkInObjective(ctx context.Context, in *checkInObjectiveInput) (*bodyOutput[CheckInBatch], error) {
	cs, err := s.app.CheckInObjective(ctx, actorFrom(ctx), in.ID, in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		cs = []app.CheckInResult{}
	}
	return &bodyOutput[CheckInBatch]{Body: CheckInBatch{Items: cs}}, nil
}
