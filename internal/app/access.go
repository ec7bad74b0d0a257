package app

import (
	"context"
	"slices"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// access answers who may see and change what, for one actor inside one
// transaction, caching the team memberships it looks up.
type access struct {
	ctx   context.Context
	tx    Tx
	actor org.Actor
	teams map[string][]string // user id → team ids
	// above is the set of teams the actor is in or sits under (nil until needed).
	above map[string]bool
	// parentSeen remembers whether the actor may see an alignment's parent.
	parentSeen map[string]bool
}

func newAccess(ctx context.Context, tx Tx, actor org.Actor) *access {
	return &access{ctx: ctx, tx: tx, actor: actor, teams: map[string][]string{}}
}

func (v *access) teamsOf(userID string) ([]string, error) {
	if ts, ok := v.teams[userID]; ok {
		return ts, nil
	}
	ts, err := v.tx.TeamsOfUser(v.ctx, v.actor.OrgID, userID)
	v.teams[userID] = ts
	return ts, err
}

// inTeam reports whether the actor leads or belongs to the team.
func (v *access) inTeam(teamID string) (bool, error) {
	ts, err := v.teamsOf(v.actor.UserID)
	return slices.Contains(ts, teamID), err
}

// underTeam reports whether the actor belongs to the team or to one of its
// sub-teams: who may see what the team keeps to itself.
func (v *access) underTeam(teamID string) (bool, error) {
	if v.above == nil {
		mine, err := v.teamsOf(v.actor.UserID)
		if err != nil {
			return false, err
		}
		v.above = map[string]bool{}
		if len(mine) > 0 {
			all, err := v.tx.ListTeams(v.ctx, v.actor.OrgID)
			if err != nil {
				return false, err
			}
			parent := make(map[string]string, len(all))
			for _, t := range all {
				parent[t.ID] = t.ParentID
			}
			for _, id := range mine {
				for depth := 0; id != "" && !v.above[id] && depth < len(all); depth++ {
					v.above[id] = true
					id = parent[id]
				}
			}
		}
	}
	return v.above[teamID], nil
}

// owns reports whether the actor owns the objective: it is theirs, they
// champion it, or it belongs to a team of theirs.
func (v *access) owns(o okr.Objective) (bool, error) {
	switch {
	case o.ChampionID == v.actor.UserID:
		return true, nil
	case o.Owner.Type == okr.OwnerUser:
		return o.Owner.ID == v.actor.UserID, nil
	case o.Owner.Type == okr.OwnerTeam:
		return v.inTeam(o.Owner.ID)
	}
	return false, nil
}

// canSee applies visibility: public to every member; team to the owning
// team with its sub-teams (for a person's objective: to the person's teams);
// private to owner, champion and admins.
func (v *access) canSee(o okr.Objective) (bool, error) {
	if o.Visibility == okr.Public || v.actor.IsAdminReader() {
		return true, nil
	}
	if own, err := v.owns(o); own || err != nil {
		return own, err
	}
	if o.Visibility == okr.Private {
		return false, nil
	}
	switch o.Owner.Type {
	case okr.OwnerOrg:
		return true, nil
	case okr.OwnerTeam:
		return v.underTeam(o.Owner.ID)
	case okr.OwnerUser:
		mine, err := v.teamsOf(v.actor.UserID)
		if err != nil {
			return false, err
		}
		theirs, err := v.teamsOf(o.Owner.ID)
		if err != nil {
			return false, err
		}
		for _, t := range theirs {
			if slices.Contains(mine, t) {
				return true, nil
			}
		}
	}
	return false, nil
}

// canEdit: admins edit everything; members edit what they own or champion.
func (v *access) canEdit(o okr.Objective) (bool, error) {
	if !v.actor.CanWrite() {
		return false, nil
	}
	if v.actor.EditsAll() {
		return true, nil
	}
	return v.owns(o)
}

// objective loads an objective the actor may see; an invisible one is NotFound.
func (v *access) objective(id string) (okr.Objective, error) {
	o, err := v.tx.GetObjective(v.ctx, v.actor.OrgID, id)
	if err != nil {
		return o, err
	}
	ok, err := v.canSee(o)
	if err != nil {
		return o, err
	}
	if !ok {
		return okr.Objective{}, errs.NotFoundf("objective %s: not found", id)
	}
	return o, nil
}

// openObjective returns the objective's period, or Conflict when the period
// or the objective is closed: then nothing of it changes.
func (v *access) openObjective(o okr.Objective) (okr.Period, error) {
	p, err := v.tx.GetPeriod(v.ctx, v.actor.OrgID, o.PeriodID)
	if err != nil {
		return p, err
	}
	if p.State == okr.PeriodClosed {
		return p, errs.E(errs.Conflict, "period %s is closed: its objectives and key results are read-only", p.Name)
	}
	if o.State == okr.Closed {
		return p, errs.E(errs.Conflict, "objective %q is closed and read-only", o.Title)
	}
	return p, nil
}

// editableObjective loads an open objective the actor may change.
func (v *access) editableObjective(id string) (okr.Objective, okr.Period, error) {
	o, err := v.objective(id)
	if err != nil {
		return o, okr.Period{}, err
	}
	p, err := v.openObjective(o)
	if err != nil {
		return o, p, err
	}
	ok, err := v.canEdit(o)
	if err != nil {
		return o, p, err
	}
	if !ok {
		return o, p, errs.E(errs.Forbidden, "only admins, the objective's owner and its champion may change it")
	}
	return o, p, nil
}

// editableKeyResult loads a key result of an open objective that the actor
// may change: whoever may change the objective, and the key result's owner.
func (v *access) editableKeyResult(id string) (okr.KeyResult, okr.Objective, okr.Period, error) {
	k, o, err := v.keyResult(id)
	if err != nil {
		return k, o, okr.Period{}, err
	}
	p, err := v.openObjective(o)
	if err != nil {
		return k, o, p, err
	}
	ok := k.OwnerID == v.actor.UserID && v.actor.CanWrite()
	if !ok {
		if ok, err = v.canEdit(o); err != nil {
			return k, o, p, err
		}
	}
	if !ok {
		return k, o, p, errs.E(errs.Forbidden, "only admins, the key result's owner and its objective's owner or champion may change it")
	}
	return k, o, p, nil
}

// visibleAlignments keeps the alignments whose parent the actor may see, so
// that an objective never reveals the id of a parent hidden from its reader.
func (v *access) visibleAlignments(as []okr.Alignment) ([]okr.Alignment, error) {
	if v.actor.IsAdminReader() {
		return as, nil
	}
	if v.parentSeen == nil {
		v.parentSeen = map[string]bool{}
	}
	out := make([]okr.Alignment, 0, len(as))
	for _, a := range as {
		seen, ok := v.parentSeen[a.ParentID]
		if !ok {
			var err error
			if a.ParentType == okr.ParentKeyResult {
				_, _, err = v.keyResult(a.ParentID)
			} else {
				_, err = v.objective(a.ParentID)
			}
			if err != nil && !errs.Is(err, errs.NotFound) {
				return nil, err
			}
			seen = err == nil
			v.parentSeen[a.ParentID] = seen
		}
		if seen {
			out = append(out, a)
		}
	}
	return out, nil
}

// keyResult loads a key result whose objective the actor may see.
func (v *access) keyResult(id string) (okr.KeyResult, okr.Objective, error) {
	k, err := v.tx.GetKeyResult(v.ctx, v.actor.OrgID, id)
	if err != nil {
		return k, okr.Objective{}, err
	}
	o, err := v.objective(k.ObjectiveID)
	if errs.Is(err, errs.NotFound) {
		return okr.KeyResult{}, o, errs.NotFoundf("key result %s: not found", id)
	}
	return k, o, err
}

// signals derives health, expected progress and behind at read time from the
// materialized check-in state.
type signals struct {
	rhythms  *rhythms // the cadence of each key result: its owning team's, else the organization's
	now      time.Time
	settings org.Settings
	loc      *time.Location
	periods  map[string]okr.Period
}

func loadSignals(ctx context.Context, tx Tx, orgID string) (*signals, error) {
	o, err := tx.GetOrganization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return &signals{rhythms: lazyRhythms(ctx, tx, o), now: tx.Now(), settings: o.Settings, loc: o.Location(), periods: map[string]okr.Period{}}, nil
}

// err is the first error loading the teams' rhythms, which the signals
// computed after it may lack.
func (h *signals) err() error { return h.rhythms.err }

// cadence is the check-in cadence of an objective's key results.
func (h *signals) cadence(o okr.Objective) okr.Cadence { return h.rhythms.of(o) }

// period loads a period once per read.
func (h *signals) period(ctx context.Context, tx Tx, orgID, periodID string) (okr.Period, error) {
	if p, ok := h.periods[periodID]; ok {
		return p, nil
	}
	p, err := tx.GetPeriod(ctx, orgID, periodID)
	if err == nil {
		h.periods[periodID] = p
	}
	return p, err
}

// keyResult fills a key result's health, expected progress (the share of the
// time from the period's start to its due date that has elapsed) and whether
// it is behind.
func (h *signals) keyResult(k *okr.KeyResult, o okr.Objective, p okr.Period) {
	closed := p.State == okr.PeriodClosed || o.State == okr.Closed
	k.Health = okr.KRHealth(closed, k.LastCheckIn, k.LastStatus, dueSince(*k, p, h.loc), h.now, h.cadence(o))
	k.Expected = okr.ExpectedProgress(p.StartDate, k.DueDate, h.now, h.loc)
	k.Behind = !closed && okr.Behind(k.Expected, k.Progress, h.settings.BehindThreshold)
}

// objective fills an objective's health and signals, and those of its key
// results.
func (h *signals) objective(o *okr.Objective, krs []okr.KeyResult, p okr.Period) {
	hs := make([]okr.Health, len(krs))
	for i := range krs {
		h.keyResult(&krs[i], *o, p)
		hs[i] = krs[i].Health
	}
	closed := p.State == okr.PeriodClosed || o.State == okr.Closed
	o.Health = okr.ObjectiveHealth(closed, hs)
	o.Expected = okr.ExpectedProgress(p.StartDate, p.EndDate, h.now, h.loc)
	o.Behind = !closed && okr.Behind(o.Expected, o.Progress, h.settings.BehindThreshold)
}
