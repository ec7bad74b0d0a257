package app

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// learningDueDays: the digest lists unfinished learning due within this
// many days (or overdue).
const learningDueDays = 14

// isoWeek names the ISO week of a moment in a time zone ("2027-W07").
func isoWeek(t time.Time, loc *time.Location) string {
	y, w := t.In(loc).ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// movement is how a key result's value moved within the digest's week.
type movement struct {
	from, to float64
}

// digestKR is a key result as a digest reads it.
type digestKR struct {
	openKeyResult
	moved       *movement
	responsible string
	due         bool // a person's check-in is due (none within the cadence)
}

// digestLine says a key result in one line with its link.
func (d digestKR) line(extra string) string {
	s := "• " + d.k.Title + " — " + d.o.Title
	if extra != "" {
		s += " (" + extra + ")"
	}
	return s + ": " + krLink(d.k)
}

func (d digestKR) movedText() string {
	return fmt.Sprintf("%s → %s, now %d%%", fmtValue(d.moved.from), fmtValue(d.moved.to), int(d.k.Progress*100+0.5))
}

func fmtValue(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}

// digestSections writes the moved, at-risk and outdated sections of a set
// of key results; empty when there is nothing to say.
func digestSections(b *strings.Builder, krs []digestKR) {
	var moved, risk, outdated []string
	for _, d := range krs {
		if d.moved != nil {
			moved = append(moved, d.line(d.movedText()))
		}
		switch d.k.Health {
		case okr.HealthAtRisk:
			risk = append(risk, d.line("at risk"))
		case okr.HealthOffTrack:
			risk = append(risk, d.line("off track"))
		case okr.HealthOutdated:
			outdated = append(outdated, d.line("no check-in within its cadence"))
		}
	}
	section(b, "What moved this week", moved)
	section(b, "At risk or off track", risk)
	section(b, "Outdated", outdated)
}

func section(b *strings.Builder, title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "%s:\n%s\n", title, strings.Join(lines, "\n"))
}

// SendDigests sends one organization's weekly digests, once per person per
// ISO week (in the organization's time zone): to each active member about
// the key results they answer for (what moved in the last seven days, what
// is at risk or off track, what is outdated) and their learning due within
// two weeks; and to each team lead about their teams' key results (with
// sub-teams): moved, at risk, outdated, and who has not checked in — also
// to each team's chat webhook. A person with nothing to read gets nothing.
// It returns how many digests it put in inboxes; a rerun in the same week
// sends none.
func (a *App) SendDigests(ctx context.Context, orgID string) (int, error) {
	var sent int
	err := a.write(ctx, orgID, func(tx Tx) error {
		sent = 0
		o, err := tx.GetOrganization(ctx, orgID)
		if err != nil {
			return err
		}
		h, err := loadSignals(ctx, tx, orgID)
		if err != nil {
			return err
		}
		now, loc := tx.Now(), o.Location()
		week := isoWeek(now, loc)
		open, err := openKeyResults(ctx, tx, orgID)
		if err != nil {
			return err
		}
		moves, err := weekMoves(ctx, tx, orgID, now.AddDate(0, 0, -7))
		if err != nil {
			return err
		}
		pp, err := newRhythmPeople(ctx, tx, orgID)
		if err != nil {
			return err
		}
		krs := make([]digestKR, 0, len(open))
		for _, ok := range open {
			h.keyResult(&ok.k, ok.o, ok.p)
			d := digestKR{openKeyResult: ok, moved: moves[ok.k.ID]}
			d.responsible = pp.responsible(ok.k, ok.o)
			if remindable(ok.k) {
				anchor := dueSince(ok.k, ok.p, loc)
				if ok.k.LastCheckIn != nil {
					anchor = *ok.k.LastCheckIn
				}
				_, d.due = dueMoment(anchor, now, h.cadence(ok.o).Days)
			}
			krs = append(krs, d)
		}
		members, err := allMembers(ctx, tx, orgID)
		if err != nil {
			return err
		}
		teams, err := tx.ListTeams(ctx, orgID)
		if err != nil {
			return err
		}
		today := okr.Date(now.In(loc).Format(okr.DateLayout))
		horizon := okr.Date(now.In(loc).AddDate(0, 0, learningDueDays).Format(okr.DateLayout))
		learn, err := learningDue(ctx, tx, orgID, today, horizon)
		if err != nil {
			return err
		}
		for _, m := range members {
			if !m.Active {
				continue
			}
			v := newAccess(ctx, tx, org.Actor{OrgID: orgID, UserID: m.ID, Role: m.Role, Scopes: []org.Scope{org.ScopeRead}})
			visible := func(d digestKR) (bool, error) { return v.canSee(d.o) }
			// The person's own digest.
			var mine []digestKR
			for _, d := range krs {
				if d.responsible != m.ID {
					continue
				}
				if ok, err := visible(d); err != nil {
					return err
				} else if ok {
					mine = append(mine, d)
				}
			}
			var b strings.Builder
			digestSections(&b, mine)
			section(&b, "Learning due", learn[m.ID])
			if b.Len() > 0 {
				added, err := notifyAdded(ctx, tx, &Notification{OrgID: orgID, UserID: m.ID, Kind: NotifyDigest,
					DedupeKey: "digest:" + week, Title: "Your week in okra (" + week + ")", Body: strings.TrimRight(b.String(), "\n"), Link: "/"})
				if err != nil {
					return err
				}
				if added {
					sent++
				}
			}
			// The lead's digest: one for all the teams they lead.
			var lead strings.Builder
			for _, t := range teams {
				if !slices.Contains(t.LeadIDs, m.ID) {
					continue
				}
				text, err := teamDigest(t, teams, krs, pp, visible)
				if err != nil {
					return err
				}
				if text == "" {
					continue
				}
				if lead.Len() > 0 {
					lead.WriteString("\n")
				}
				lead.WriteString(text)
			}
			if lead.Len() > 0 {
				added, err := notifyAdded(ctx, tx, &Notification{OrgID: orgID, UserID: m.ID, Kind: NotifyLeadDigest,
					DedupeKey: "lead-digest:" + week, Title: "Your teams' week in okra (" + week + ")", Body: strings.TrimRight(lead.String(), "\n"), Link: "/teams"})
				if err != nil {
					return err
				}
				if added {
					sent++
				}
			}
		}
		// Each team's digest goes to its chat webhook once a week; what a
		// chat channel reads is what the team's own members see.
		for _, t := range teams {
			url := h.rhythms.chatURL(t.ID)
			if url == "" {
				continue
			}
			public := func(d digestKR) (bool, error) { return d.o.Visibility != okr.Private, nil }
			text, err := teamDigest(t, teams, krs, pp, public)
			if err != nil {
				return err
			}
			if err := chat(ctx, tx, orgID, url, strings.TrimRight(text, "\n"), "chat.send:digest:"+t.ID+":"+week); err != nil {
				return err
			}
		}
		return nil
	})
	return sent, err
}

// teamDigest is a team's part of a lead digest: the key results of the
// objectives the team and its sub-teams own; empty when they own none.
func teamDigest(t org.Team, teams []org.Team, krs []digestKR, pp *rhythmPeople, visible func(digestKR) (bool, error)) (string, error) {
	under := map[string]bool{t.ID: true}
	for changed := true; changed; {
		changed = false
		for _, x := range teams {
			if !under[x.ID] && x.ParentID != "" && under[x.ParentID] {
				under[x.ID], changed = true, true
			}
		}
	}
	var theirs []digestKR
	for _, d := range krs {
		if !under[owningTeam(d.o)] {
			continue
		}
		if ok, err := visible(d); err != nil {
			return "", err
		} else if ok {
			theirs = append(theirs, d)
		}
	}
	if len(theirs) == 0 {
		return "", nil
	}
	var b strings.Builder
	digestSections(&b, theirs)
	silent := map[string]int{}
	for _, d := range theirs {
		if d.due && d.responsible != "" {
			silent[d.responsible]++
		}
	}
	var lines []string
	for _, id := range sortedKeys(silent) {
		lines = append(lines, fmt.Sprintf("• %s (%s due)", pp.name(id), keyResults(silent[id])))
	}
	sort.Strings(lines)
	section(&b, "Not checked in", lines)
	if b.Len() == 0 {
		b.WriteString("Nothing moved, nothing at risk, nothing outdated, everyone checked in.\n")
	}
	return fmt.Sprintf("%s (%s): /teams/%s\n%s", t.Name, keyResults(len(theirs)), t.ID, b.String()), nil
}

// keyResults counts key results in words.
func keyResults(n int) string {
	if n == 1 {
		return "1 key result"
	}
	return fmt.Sprintf("%d key results", n)
}

// weekMoves finds how each key result's value moved through the check-ins
// since the moment: from the first one's previous value to the last one's value.
func weekMoves(ctx context.Context, tx Tx, orgID string, since time.Time) (map[string]*movement, error) {
	out := map[string]*movement{}
	before := ""
	for page := 0; page < 100; page++ {
		cs, err := tx.RecentCheckIns(ctx, orgID, before, 200)
		if err != nil {
			return nil, err
		}
		for _, c := range cs { // newest first
			if c.Created.Before(since) {
				return dropUnmoved(out), nil
			}
			if m, ok := out[c.KeyResultID]; ok {
				m.from = c.PreviousValue
			} else {
				out[c.KeyResultID] = &movement{from: c.PreviousValue, to: c.Value}
			}
		}
		if len(cs) < 200 {
			break
		}
		before = cs[len(cs)-1].ID
	}
	return dropUnmoved(out), nil
}

func dropUnmoved(m map[string]*movement) map[string]*movement {
	for id, mv := range m {
		if mv.from == mv.to {
			delete(m, id)
		}
	}
	return m
}

// learningDue lists, per person, their unfinished enrollments due by the
// horizon (or overdue), soonest first: one read of the organization's
// enrollments and of each program named, not one per person.
func learningDue(ctx context.Context, tx Tx, orgID string, today, horizon okr.Date) (map[string][]string, error) {
	es, err := tx.ListEnrollments(ctx, orgID, learning.EnrollmentFilter{})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].DueDate < es[j].DueDate })
	titles := map[string]string{}
	out := map[string][]string{}
	for _, e := range es {
		if e.Done() || e.DueDate == "" || e.DueDate > horizon {
			continue
		}
		title, ok := titles[e.ProgramID]
		if !ok {
			p, err := tx.GetProgram(ctx, orgID, e.ProgramID)
			if err != nil {
				return nil, err
			}
			title, titles[e.ProgramID] = p.Title, p.Title
		}
		when := "due " + string(e.DueDate)
		if e.DueDate < today {
			when = "overdue since " + string(e.DueDate)
		}
		out[e.UserID] = append(out[e.UserID], fmt.Sprintf("• %s (%s, %d%% done): /learning", title, when, int(e.Progress*100+0.5)))
	}
	return out, nil
}

// allMembers lists every member of the organization, active or not.
func allMembers(ctx context.Context, tx Tx, orgID string) ([]org.Member, error) {
	var out []org.Member
	for after := ""; ; {
		ms, err := tx.ListMembers(ctx, orgID, after, 500)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
		if len(ms) < 500 {
			return out, nil
		}
		after = ms[len(ms)-1].ID
	}
}
