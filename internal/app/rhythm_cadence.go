package app

import (
	"context"
	"time"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// rhythms resolves the check-in cadence, grace days and chat webhook of an
// objective's key results: its owning team's, walking up the team tree to
// the first team that sets one, else the organization's.
//
// A read of a few objectives loads only their teams' chains (one query each,
// so its cost does not grow with the organization); past lazyChains chains
// it loads every team at once.
type rhythms struct {
	settings org.Settings
	teams    map[string]org.Team
	all      bool // teams holds every team of the organization
	// chain loads a team and its ancestors, loadAll every team.
	chain   func(teamID string) ([]org.Team, error)
	loadAll func() ([]org.Team, error)
	chains  int
	err     error // the first failed load; walks after it see no team
}

// lazyChains is how many team chains a read loads one by one before it loads
// every team instead.
const lazyChains = 8

// loadRhythms resolves rhythms of the whole organization up front.
func loadRhythms(ctx context.Context, tx Tx, o org.Organization) (*rhythms, error) {
	r := lazyRhythms(ctx, tx, o)
	return r, r.fill()
}

// lazyRhythms resolves rhythms on demand, team chain by team chain.
func lazyRhythms(ctx context.Context, tx Tx, o org.Organization) *rhythms {
	return &rhythms{settings: o.Settings, teams: map[string]org.Team{},
		chain:   func(teamID string) ([]org.Team, error) { return tx.TeamRhythmChain(ctx, o.ID, teamID) },
		loadAll: func() ([]org.Team, error) { return tx.ListTeamRhythms(ctx, o.ID) }}
}

// fill loads every team.
func (r *rhythms) fill() error {
	if r.all || r.err != nil {
		return r.err
	}
	ts, err := r.loadAll()
	if err != nil {
		r.err = err
		return err
	}
	for _, t := range ts {
		r.teams[t.ID] = t
	}
	r.all = true
	return nil
}

// team returns a team, loading its chain (or every team) when not yet known.
func (r *rhythms) team(id string) (org.Team, bool) {
	if t, ok := r.teams[id]; ok || r.all || r.err != nil {
		return t, ok
	}
	if r.chains++; r.chains > lazyChains {
		r.fill()
	} else if ts, err := r.chain(id); err != nil {
		r.err = err
	} else {
		for _, t := range ts {
			r.teams[t.ID] = t
		}
	}
	t, ok := r.teams[id]
	return t, ok
}

// walk calls f on the team and its ancestors, nearest first, until f says stop.
func (r *rhythms) walk(teamID string, f func(org.Team) bool) {
	for depth := 0; teamID != "" && depth < 1000; depth++ {
		t, ok := r.team(teamID)
		if !ok || f(t) {
			return
		}
		teamID = t.ParentID
	}
}

// ofTeam is the cadence and grace of a team's key results (the
// organization's for "").
func (r *rhythms) ofTeam(teamID string) okr.Cadence {
	c := okr.Cadence{Days: r.settings.CadenceDays, GraceDays: r.settings.GraceDays}
	foundDays, foundGrace := false, false
	r.walk(teamID, func(t org.Team) bool {
		if !foundDays && t.Cadence != nil && t.Cadence.Days() > 0 {
			c.Days, foundDays = t.Cadence.Days(), true
		}
		if !foundGrace && t.GraceDays != nil {
			c.GraceDays, foundGrace = *t.GraceDays, true
		}
		return foundDays && foundGrace
	})
	if c.Days <= 0 {
		c.Days = org.DefaultSettings().CadenceDays
	}
	return c
}

// of is the cadence of an objective's key results.
func (r *rhythms) of(o okr.Objective) okr.Cadence { return r.ofTeam(owningTeam(o)) }

// chatURL is the chat webhook of a team (walking up), else the organization's.
func (r *rhythms) chatURL(teamID string) string {
	url := ""
	r.walk(teamID, func(t org.Team) bool {
		url = t.ChatWebhookURL
		return url != ""
	})
	if url == "" {
		url = r.settings.ChatWebhookURL
	}
	return url
}

// owningTeam is the team that owns an objective, "" when a person or the
// organization does.
func owningTeam(o okr.Objective) string {
	if o.Owner.Type == okr.OwnerTeam {
		return o.Owner.ID
	}
	return ""
}

// dueSince is when check-ins on a key result became due: the later of its
// period's start (midnight in the organization's time zone) and its creation.
func dueSince(k okr.KeyResult, p okr.Period, loc *time.Location) time.Time {
	since := k.Created
	if start, err := p.StartDate.Time(loc); err == nil && start.After(since) {
		since = start
	}
	return since
}

// dueMoment is the latest moment at or before now when a check-in on a key
// fell due: anchor (its last check-in, else dueSince) plus a whole number
// (≥ 1) of cadences. ok is false while the first cadence is still running.
func dueMoment(anchor, now time.Time, days int) (due time.Time, ok bool) {
	step := time.Duration(days) * 24 * time.Hour
	if days <= 0 || now.Sub(anchor) < step {
		return time.Time{}, false
	}
	n := now.Sub(anchor) / step
	return anchor.Add(n * step), true
}
