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
type rhythms struct {
	settings org.Settings
	teams    map[string]org.Team
}

func loadRhythms(ctx context.Context, tx Tx, o org.Organization) (*rhythms, error) {
	ts, err := tx.ListTeamRhythms(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	r := &rhythms{settings: o.Settings, teams: make(map[string]org.Team, len(ts))}
	for _, t := range ts {
		r.teams[t.ID] = t
	}
	return r, nil
}

// walk calls f on the team and its ancestors, nearest first, until f says stop.
func (r *rhythms) walk(teamID string, f func(org.Team) bool) {
	for depth := 0; teamID != "" && depth < 1000; depth++ {
		t, ok := r.teams[teamID]
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
