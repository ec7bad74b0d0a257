package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// openKeyResult is a key result of an active objective in an active period,
// with what the rhythm needs to know about it.
type openKeyResult struct {
	k okr.KeyResult
	o okr.Objective
	p okr.Period
}

// openKeyResults lists the key results of the active objectives of the
// organization's active periods.
func openKeyResults(ctx context.Context, tx Tx, orgID string) ([]openKeyResult, error) {
	var out []openKeyResult
	for after := ""; ; {
		ps, err := tx.ListPeriods(ctx, orgID, after, 200)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if p.State != okr.PeriodActive {
				continue
			}
			objs, err := tx.ListObjectives(ctx, orgID, okr.ObjectiveFilter{PeriodID: p.ID})
			if err != nil {
				return nil, err
			}
			byID := make(map[string]okr.Objective, len(objs))
			for _, o := range objs {
				byID[o.ID] = o
			}
			krs, err := tx.ListKeyResults(ctx, orgID, okr.KeyResultFilter{PeriodID: p.ID})
			if err != nil {
				return nil, err
			}
			for _, k := range krs {
				if o, ok := byID[k.ObjectiveID]; ok && o.State == okr.Active {
					out = append(out, openKeyResult{k: k, o: o, p: p})
				}
			}
		}
		if len(ps) < 200 {
			return out, nil
		}
		after = ps[len(ps)-1].ID
	}
}

// rhythmPeople holds the organization's members and teams, read once per
// scan.
type rhythmPeople struct {
	members map[string]*org.Member
	teams   map[string]*org.Team
}

func newRhythmPeople(ctx context.Context, tx Tx, orgID string) (*rhythmPeople, error) {
	ms, err := allMembers(ctx, tx, orgID)
	if err != nil {
		return nil, err
	}
	ts, err := tx.ListTeams(ctx, orgID)
	if err != nil {
		return nil, err
	}
	pp := &rhythmPeople{members: make(map[string]*org.Member, len(ms)), teams: make(map[string]*org.Team, len(ts))}
	for i := range ms {
		pp.members[ms[i].ID] = &ms[i]
	}
	for i := range ts {
		pp.teams[ts[i].ID] = &ts[i]
	}
	return pp, nil
}

// active returns an active member, nil for anyone else.
func (pp *rhythmPeople) active(id string) *org.Member {
	if m := pp.members[id]; m != nil && m.Active {
		return m
	}
	return nil
}

// name is what the organization calls a person.
func (pp *rhythmPeople) name(id string) string {
	if m := pp.active(id); m != nil {
		return m.Name
	}
	if m := pp.members[id]; m != nil {
		return m.Name
	}
	return "someone"
}

// responsible is who answers for a key result's check-ins: its owner, else
// its objective's champion, else the person who owns the objective, else
// the first lead of the owning team; only active members count. "" when
// nobody does.
func (pp *rhythmPeople) responsible(k okr.KeyResult, o okr.Objective) string {
	candidates := []string{k.OwnerID, o.ChampionID}
	if o.Owner.Type == okr.OwnerUser {
		candidates = append(candidates, o.Owner.ID)
	}
	if t := pp.teams[o.Owner.ID]; o.Owner.Type == okr.OwnerTeam && t != nil {
		candidates = append(candidates, t.LeadIDs...)
	}
	for _, id := range candidates {
		if pp.active(id) != nil {
			return id
		}
	}
	return ""
}

// remindable reports whether a key result waits for a person's check-ins:
// computed sources (kpi, learning, children) check in by themselves.
func remindable(k okr.KeyResult) bool {
	return k.Source == okr.SourceManual || k.Source == okr.SourceAPI || k.Source == ""
}

// cadenceName says a cadence in words ("a week").
func cadenceName(days int) string {
	switch days {
	case 7:
		return "a week"
	case 14:
		return "two weeks"
	case 30:
		return "a month"
	}
	return fmt.Sprintf("%d days", days)
}

// krLink is the page of a key result: its objective's page, at its row.
func krLink(k okr.KeyResult) string { return "/objectives/" + k.ObjectiveID + "#kr-" + k.ID }

// reminder is one due check-in found by a scan.
type reminder struct {
	openKeyResult
	due     time.Time
	days    int
	ownerID string
}

// SendReminders sends one organization's due reminders: for each key result
// of an active objective in an active period whose value a person checks in
// (source manual or api) and whose check-in fell due — at its last check-in
// (else the later of the period's start and its creation) plus its cadence,
// and again every cadence while it stays silent, up to the period's end —
// its responsible person gets exactly one reminder per due moment. Each
// person gets one notification per run listing their key results; each
// owning team's chat webhook (else the organization's) one message listing
// the team's. It returns how many key results were reminded; a rerun sends
// nothing twice.
func (a *App) SendReminders(ctx context.Context, orgID string) (int, error) {
	var sent int
	err := a.write(ctx, orgID, func(tx Tx) error {
		sent = 0
		o, err := tx.GetOrganization(ctx, orgID)
		if err != nil {
			return err
		}
		r, err := loadRhythms(ctx, tx, o)
		if err != nil {
			return err
		}
		open, err := openKeyResults(ctx, tx, orgID)
		if err != nil {
			return err
		}
		now, loc := tx.Now(), o.Location()
		pp, err := newRhythmPeople(ctx, tx, orgID)
		if err != nil {
			return err
		}
		notes := map[string]string{} // person → the id of their notification of this run
		byOwner := map[string][]reminder{}
		byTeam := map[string][]reminder{}
		for _, ok := range open {
			if !remindable(ok.k) {
				continue
			}
			c := r.of(ok.o)
			anchor := dueSince(ok.k, ok.p, loc)
			if ok.k.LastCheckIn != nil {
				anchor = *ok.k.LastCheckIn
			}
			due, isDue := dueMoment(anchor, now, c.Days)
			if !isDue {
				continue
			}
			if end, err := ok.p.EndDate.Time(loc); err == nil && !due.Before(end.AddDate(0, 0, 1)) {
				continue // the period is over: its close, not a reminder, comes next
			}
			owner := pp.responsible(ok.k, ok.o)
			if owner == "" {
				continue
			}
			if notes[owner] == "" {
				notes[owner] = NewID()
			}
			added, err := tx.InsertSentReminder(ctx, SentReminder{OrgID: orgID, KeyResultID: ok.k.ID, DueAt: due, UserID: owner, NotificationID: notes[owner]})
			if err != nil {
				return err
			}
			if !added {
				continue
			}
			rem := reminder{openKeyResult: ok, due: due, days: c.Days, ownerID: owner}
			byOwner[owner] = append(byOwner[owner], rem)
			byTeam[owningTeam(ok.o)] = append(byTeam[owningTeam(ok.o)], rem)
			sent++
		}
		for _, owner := range sortedKeys(byOwner) {
			rs := byOwner[owner]
			sortReminders(rs)
			if err := notify(ctx, tx, reminderNotification(orgID, owner, notes[owner], rs, loc)); err != nil {
				return err
			}
		}
		for _, teamID := range sortedKeys(byTeam) {
			rs := byTeam[teamID]
			sortReminders(rs)
			who := o.Name
			if t := pp.teams[teamID]; t != nil {
				who = t.Name
			}
			var b strings.Builder
			fmt.Fprintf(&b, "Check-ins due for %s:\n", who)
			for _, rm := range rs {
				fmt.Fprintf(&b, "• %s — %s (%s), due since %s\n", rm.k.Title, pp.name(rm.ownerID), rm.o.Title, rm.due.In(loc).Format("Mon 2 Jan"))
			}
			if err := chat(ctx, tx, orgID, r.chatURL(teamID), strings.TrimRight(b.String(), "\n"), ""); err != nil {
				return err
			}
		}
		return nil
	})
	return sent, err
}

func sortReminders(rs []reminder) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].o.Title != rs[j].o.Title {
			return rs[i].o.Title < rs[j].o.Title
		}
		return rs[i].k.Title < rs[j].k.Title
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// reminderNotification is a person's reminder of their due check-ins.
func reminderNotification(orgID, userID, id string, rs []reminder, loc *time.Location) *Notification {
	n := &Notification{ID: id, OrgID: orgID, UserID: userID, Kind: NotifyReminder, Link: "/checkin"}
	if len(rs) == 1 {
		n.Title = fmt.Sprintf("Check-in due: %s", rs[0].k.Title)
	} else {
		n.Title = fmt.Sprintf("%d key results are due for a check-in", len(rs))
	}
	var b strings.Builder
	b.WriteString("No check-in came within the cadence of these key results:\n")
	for _, rm := range rs {
		fmt.Fprintf(&b, "• %s — %s (every %s, due since %s): %s\n", rm.k.Title, rm.o.Title, cadenceName(rm.days),
			rm.due.In(loc).Format("Mon 2 Jan 15:04"), krLink(rm.k))
	}
	b.WriteString("Check them all in at once, in about a minute: /checkin")
	n.Body = b.String()
	return n
}
