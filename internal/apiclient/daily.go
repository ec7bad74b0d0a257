package apiclient

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// The calls of a person's daily work from a terminal: their key results,
// where they stand and whether a check-in is due (okra status, okra checkin).

// ListPeriods returns one page of the periods.
func (c *Client) ListPeriods(ctx context.Context, p Page) (app.Page[okr.Period], error) {
	var page app.Page[okr.Period]
	return page, c.get(ctx, path("periods"), p.values(), &page)
}

// ListTeams returns one page of the teams.
func (c *Client) ListTeams(ctx context.Context, p Page) (app.Page[org.Team], error) {
	var page app.Page[org.Team]
	return page, c.get(ctx, path("teams"), p.values(), &page)
}

// GetSettings returns the organization's settings (cadence, grace days…).
func (c *Client) GetSettings(ctx context.Context) (app.SettingsView, error) {
	var s app.SettingsView
	return s, c.get(ctx, path("settings"), nil, &s)
}

// All reads every page of a list, 200 items at a time.
func All[T any](ctx context.Context, list func(context.Context, Page) (app.Page[T], error)) ([]T, error) {
	var out []T
	p := Page{Limit: 200}
	for {
		page, err := list(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" || len(page.Items) == 0 {
			return out, nil
		}
		p.Cursor = page.NextCursor
	}
}

// WorkFilter chooses the key results of Work.
type WorkFilter struct {
	// Periods are the periods to read; empty means every active period.
	Periods []okr.Period
	// Everyone takes every key result the token may see in those periods,
	// not only the person's own.
	Everyone bool
	// Now is when a check-in is judged due; zero means time.Now().
	Now time.Time
}

// WorkItem is one key result of a person's work with its objective and
// period, and whether a check-in on it is due.
type WorkItem struct {
	Period    okr.Period
	Objective okr.Objective
	KeyResult okr.KeyResult
	// Due: a manual key result of an open objective with no check-in yet,
	// or none within its cadence (the owning team's, else the
	// organization's), as the web's home page judges it.
	Due bool
	// Cadence is the key result's check-in cadence.
	Cadence okr.Cadence
}

// Work returns the key results of me in the filter's periods: the ones they
// own and those of the objectives they own or champion (every visible one
// with Everyone), ordered by period, objective and key result as the server
// lists them.
func (c *Client) Work(ctx context.Context, me app.Me, f WorkFilter) ([]WorkItem, error) {
	periods := f.Periods
	if len(periods) == 0 {
		var err error
		if periods, err = c.ActivePeriods(ctx); err != nil {
			return nil, err
		}
	}
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	cad, err := c.cadences(ctx)
	if err != nil {
		return nil, err
	}
	var out []WorkItem
	for _, p := range periods {
		objectives, err := All(ctx, func(ctx context.Context, pg Page) (app.Page[okr.Objective], error) {
			return c.ListObjectives(ctx, ObjectiveFilter{PeriodID: p.ID, Page: pg})
		})
		if err != nil {
			return nil, err
		}
		krs, err := All(ctx, func(ctx context.Context, pg Page) (app.Page[okr.KeyResult], error) {
			return c.ListKeyResults(ctx, KeyResultFilter{PeriodID: p.ID, Page: pg})
		})
		if err != nil {
			return nil, err
		}
		byObjective := map[string][]okr.KeyResult{}
		for _, k := range krs {
			byObjective[k.ObjectiveID] = append(byObjective[k.ObjectiveID], k)
		}
		for _, o := range objectives {
			mineAll := f.Everyone || (o.Owner.Type == okr.OwnerUser && o.Owner.ID == me.User.ID) || o.ChampionID == me.User.ID
			for _, k := range byObjective[o.ID] {
				if !mineAll && k.OwnerID != me.User.ID {
					continue
				}
				cd := cad.of(o)
				due := k.Source == okr.SourceManual && o.State != okr.Closed && p.State == okr.PeriodActive &&
					(k.LastCheckIn == nil || now.Sub(*k.LastCheckIn) >= time.Duration(cd.Days)*24*time.Hour)
				out = append(out, WorkItem{Period: p, Objective: o, KeyResult: k, Due: due, Cadence: cd})
			}
		}
	}
	return out, nil
}

// cadenceTree resolves a key result's cadence the way the server does: the
// owning team's, walking up to the first team that sets one, else the
// organization's.
type cadenceTree struct {
	org   okr.Cadence
	teams map[string]org.Team
}

func (c *Client) cadences(ctx context.Context) (cadenceTree, error) {
	s, err := c.GetSettings(ctx)
	if err != nil {
		return cadenceTree{}, err
	}
	teams, err := All(ctx, c.ListTeams)
	if err != nil {
		return cadenceTree{}, err
	}
	t := cadenceTree{org: okr.Cadence{Days: s.CadenceDays, GraceDays: s.GraceDays}, teams: map[string]org.Team{}}
	if t.org.Days <= 0 {
		t.org.Days = org.DefaultSettings().CadenceDays
	}
	for _, tm := range teams {
		t.teams[tm.ID] = tm
	}
	return t, nil
}

func (t cadenceTree) of(o okr.Objective) okr.Cadence {
	c := t.org
	if o.Owner.Type != okr.OwnerTeam {
		return c
	}
	foundDays, foundGrace := false, false
	id := o.Owner.ID
	for depth := 0; id != "" && depth < 1000 && !(foundDays && foundGrace); depth++ {
		tm, ok := t.teams[id]
		if !ok {
			break
		}
		if !foundDays && tm.Cadence != nil && tm.Cadence.Days() > 0 {
			c.Days, foundDays = tm.Cadence.Days(), true
		}
		if !foundGrace && tm.GraceDays != nil {
			c.GraceDays, foundGrace = *tm.GraceDays, true
		}
		id = tm.ParentID
	}
	return c
}

// ActivePeriods returns the active periods, as the server lists them.
func (c *Client) ActivePeriods(ctx context.Context) ([]okr.Period, error) {
	all, err := All(ctx, c.ListPeriods)
	if err != nil {
		return nil, err
	}
	var out []okr.Period
	for _, p := range all {
		if p.State == okr.PeriodActive {
			out = append(out, p)
		}
	}
	return out, nil
}

// FindPeriod returns the period whose id or name (case-insensitive) is
// nameOrID, and the names of all periods when there is none.
func (c *Client) FindPeriod(ctx context.Context, nameOrID string) (okr.Period, []string, error) {
	all, err := All(ctx, c.ListPeriods)
	if err != nil {
		return okr.Period{}, nil, err
	}
	var names []string
	for _, p := range all {
		if p.ID == nameOrID || strings.EqualFold(p.Name, strings.TrimSpace(nameOrID)) {
			return p, nil, nil
		}
		names = append(names, p.Name)
	}
	slices.Sort(names)
	return okr.Period{}, names, nil
}
