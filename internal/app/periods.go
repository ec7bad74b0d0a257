package app

import (
	"context"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// PeriodInput creates a period.
type PeriodInput struct {
	Name      string         `json:"name" doc:"e.g. 2027 or 2027-Q1"`
	Kind      okr.PeriodKind `json:"kind" enum:"annual,quarterly,custom"`
	StartDate okr.Date       `json:"start_date" doc:"YYYY-MM-DD, first day"`
	EndDate   okr.Date       `json:"end_date" doc:"YYYY-MM-DD, last day (included)"`
	ParentID  string         `json:"parent_id,omitempty" doc:"The period this one sits in (a quarter in its year)."`
}

// PeriodUpdate changes a period; absent fields stay.
type PeriodUpdate struct {
	Name      *string         `json:"name,omitempty"`
	Kind      *okr.PeriodKind `json:"kind,omitempty" enum:"annual,quarterly,custom"`
	StartDate *okr.Date       `json:"start_date,omitempty"`
	EndDate   *okr.Date       `json:"end_date,omitempty"`
	ParentID  *string         `json:"parent_id,omitempty"`
}

func validatePeriod(ctx context.Context, tx Tx, orgID string, p *okr.Period) error {
	var f errs.Fields
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		f.Add("name", "is required")
	}
	switch p.Kind {
	case okr.PeriodAnnual, okr.PeriodQuarterly, okr.PeriodCustom:
	default:
		f.Add("kind", "must be annual, quarterly or custom")
	}
	if !p.StartDate.Valid() {
		f.Add("start_date", "must be a date like 2027-01-01")
	}
	if !p.EndDate.Valid() {
		f.Add("end_date", "must be a date like 2027-03-31")
	}
	if p.StartDate.Valid() && p.EndDate.Valid() && p.EndDate < p.StartDate {
		f.Add("end_date", "must not be before start_date")
	}
	if p.ParentID != "" {
		parent, err := tx.GetPeriod(ctx, orgID, p.ParentID)
		switch {
		case errs.Is(err, errs.NotFound):
			f.Add("parent_id", "no period %s in this organization", p.ParentID)
		case err != nil:
			return err
		case p.StartDate < parent.StartDate || p.EndDate > parent.EndDate:
			f.Add("parent_id", "the period must lie inside %s (%s to %s)", parent.Name, parent.StartDate, parent.EndDate)
		}
		// Walk up from the parent: meeting the period itself would close a cycle.
		for id, depth := p.ParentID, 0; id != "" && err == nil; depth++ {
			if id == p.ID || depth > 100 {
				f.Add("parent_id", "a period cannot sit in itself or in one of its own sub-periods")
				break
			}
			var up okr.Period
			if up, err = tx.GetPeriod(ctx, orgID, id); err == nil {
				id = up.ParentID
			}
		}
	}
	return f.Err()
}

// CreatePeriod creates a period in planning (admin only).
func (a *App) CreatePeriod(ctx context.Context, actor org.Actor, in PeriodInput, idemKey string) (okr.Period, error) {
	var p okr.Period
	if err := requireAdmin(actor); err != nil {
		return p, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "period.create", in, func() (string, error) {
			p = okr.Period{ID: NewID(), OrgID: actor.OrgID, Name: in.Name, Kind: in.Kind, StartDate: in.StartDate,
				EndDate: in.EndDate, ParentID: in.ParentID, State: okr.PeriodPlanning}
			if err := validatePeriod(ctx, tx, actor.OrgID, &p); err != nil {
				return "", err
			}
			if err := tx.CreatePeriod(ctx, &p); err != nil {
				return "", err
			}
			return p.ID, record(ctx, tx, actor, "period.create", "period", p.ID, nil, p)
		})
		if err != nil {
			return err
		}
		p, err = tx.GetPeriod(ctx, actor.OrgID, id)
		return err
	})
	return p, err
}

// GetPeriod returns a period.
func (a *App) GetPeriod(ctx context.Context, actor org.Actor, id string) (okr.Period, error) {
	var p okr.Period
	if err := requireRead(actor); err != nil {
		return p, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		p, err = tx.GetPeriod(ctx, actor.OrgID, id)
		return err
	})
	return p, err
}

// ListPeriods lists the organization's periods.
func (a *App) ListPeriods(ctx context.Context, actor org.Actor, p PageRequest) (Page[okr.Period], error) {
	return readPage(ctx, a, actor, p, func(p okr.Period) string { return p.ID },
		func(tx Tx, after string, limit int) ([]okr.Period, error) {
			return tx.ListPeriods(ctx, actor.OrgID, after, limit)
		}, nil)
}

// UpdatePeriod changes a period's name, kind, dates or parent (admin only).
func (a *App) UpdatePeriod(ctx context.Context, actor org.Actor, id string, ifMatch *int, in PeriodUpdate) (okr.Period, error) {
	return a.changePeriod(ctx, actor, id, "period.update", func(p *okr.Period) error {
		if err := checkVersion(ifMatch, p.Version, "period"); err != nil {
			return err
		}
		if p.State == okr.PeriodClosed {
			return errs.E(errs.Conflict, "period %s is closed and read-only", p.Name)
		}
		setIf(&p.Name, in.Name)
		setIf(&p.Kind, in.Kind)
		setIf(&p.StartDate, in.StartDate)
		setIf(&p.EndDate, in.EndDate)
		setIf(&p.ParentID, in.ParentID)
		return nil
	})
}

// ActivatePeriod moves a period from planning to active (admin only).
func (a *App) ActivatePeriod(ctx context.Context, actor org.Actor, id string) (okr.Period, error) {
	return a.changePeriod(ctx, actor, id, "period.activate", func(p *okr.Period) error {
		if p.State != okr.PeriodPlanning {
			return errs.E(errs.Conflict, "period %s is %s; only a period in planning can be activated", p.Name, p.State)
		}
		p.State = okr.PeriodActive
		return nil
	})
}

// ClosePeriod (closing scores the period) is in review.go.

// changePeriod applies change to a period under the admin rule.
func (a *App) changePeriod(ctx context.Context, actor org.Actor, id, action string, change func(*okr.Period) error) (okr.Period, error) {
	var p okr.Period
	if err := requireAdmin(actor); err != nil {
		return p, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetPeriod(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		p = before
		if err := change(&p); err != nil {
			return err
		}
		if err := validatePeriod(ctx, tx, actor.OrgID, &p); err != nil {
			return err
		}
		if err := tx.UpdatePeriod(ctx, &p, before.Version); err != nil {
			return err
		}
		return record(ctx, tx, actor, action, "period", id, before, p)
	})
	return p, err
}
