package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/a-h/templ"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// teamsView is the teams list: the team tree with leads, people and how
// each team's own objectives stand in the selected period.
type teamsView struct {
	S     *Shell
	D     *directory
	Teams []app.TeamSummary
}

// teams lists the organization's teams as a tree.
func (h *Handler) teams(w http.ResponseWriter, r *Request) {
	s := h.shell(w, r, "Teams", "teams")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := teamsView{S: s, D: d}
	if v.Teams, err = h.app.TeamSummaries(r.Ctx(), r.Actor, s.Period.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, 0, teamsPage(v))
}

// teamObjective is one of a team's objectives with its key results.
type teamObjective struct {
	O   okr.Objective
	KRs []okr.KeyResult
}

// teamView is a team's page.
type teamView struct {
	S       *Shell
	D       *directory
	Team    org.Team
	Summary app.TeamSummary
	Sub     []app.TeamSummary
	// Objectives the team owns in the period, with their key results.
	Objectives []teamObjective
	// Dash covers the team, its sub-teams and their people (zero without a period).
	Dash app.Dashboard
}

// team shows one team: where it sits, its people and sub-teams, its
// objectives in the selected period and its dashboard numbers.
func (h *Handler) team(w http.ResponseWriter, r *Request) {
	t, err := h.app.GetTeam(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, t.Name, "teams")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := teamView{S: s, D: d, Team: t}
	s.Crumbs = append([]Crumb{{Label: "Teams", Href: "/teams"}}, teamAncestors(d, t)...)
	sums, err := h.app.TeamSummaries(r.Ctx(), r.Actor, s.Period.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, ts := range sums {
		switch {
		case ts.Team.ID == t.ID:
			v.Summary = ts
		case ts.Team.ParentID == t.ID:
			v.Sub = append(v.Sub, ts)
		}
	}
	if s.Period.ID != "" {
		os, err := h.objectivesOf(r, s.Period.ID, okr.OwnerTeam, t.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Objectives = os
		if v.Dash, err = h.app.Dashboard(r.Ctx(), r.Actor, app.DashboardQuery{PeriodID: s.Period.ID, TeamID: t.ID}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r.Request, 0, teamPage(v))
}

// objectivesOf lists the objectives an owner has in a period, each with its
// key results, as the reader may see them.
func (h *Handler) objectivesOf(r *Request, periodID string, ownerType okr.OwnerType, ownerID string) ([]teamObjective, error) {
	var out []teamObjective
	q := app.ObjectiveQuery{PeriodID: periodID, OwnerType: ownerType, OwnerID: ownerID, PageRequest: app.PageRequest{Limit: 200}}
	for {
		page, err := h.app.ListObjectives(r.Ctx(), r.Actor, q)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Items {
			krs, err := h.keyResultsOf(r, app.KeyResultQuery{ObjectiveID: o.ID})
			if err != nil {
				return nil, err
			}
			out = append(out, teamObjective{O: o, KRs: krs})
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	return out, nil
}

// keyResultsOf lists every key result a query selects.
func (h *Handler) keyResultsOf(r *Request, q app.KeyResultQuery) ([]okr.KeyResult, error) {
	return everyPage(func(p app.PageRequest) (app.Page[okr.KeyResult], error) {
		q.PageRequest = p
		return h.app.ListKeyResults(r.Ctx(), r.Actor, q)
	})
}

// teamAncestors are the crumbs from the top team down to the team's parent.
func teamAncestors(d *directory, t org.Team) []Crumb {
	var out []Crumb
	seen := map[string]bool{t.ID: true}
	for id := t.ParentID; id != "" && !seen[id]; {
		seen[id] = true
		p := d.Team(id)
		if p.ID == "" {
			break
		}
		out = append(out, Crumb{Label: p.Name, Href: "/teams/" + p.ID})
		id = p.ParentID
	}
	slices.Reverse(out)
	return out
}

// teamPeople are a team's leads then its other members, each once.
func teamPeople(t org.Team) (ids []string, lead map[string]bool) {
	lead = map[string]bool{}
	for _, id := range t.LeadIDs {
		if !lead[id] {
			lead[id] = true
			ids = append(ids, id)
		}
	}
	for _, id := range t.MemberIDs {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, lead
}

// depthStyle indents a team in the tree.
func depthStyle(depth int) templ.SafeCSS {
	return templ.SafeCSS("--depth:" + strconv.Itoa(depth))
}

// newTeamObjectiveHref starts a new objective owned by the team.
func (v teamView) newObjectiveHref() string {
	return "/objectives/new?period=" + v.S.Period.ID + "&owner_type=team&owner_id=" + v.Team.ID
}

// canWrite: viewers change nothing, so they get no "new" buttons.
func canWrite(s *Shell) bool { return s.Me.Role != org.RoleViewer }

func (v teamView) subtitle() string {
	ids, _ := teamPeople(v.Team)
	s := peopleCount(len(ids))
	if len(v.Sub) > 0 {
		s += " · " + okr.Plural(len(v.Sub), "sub-team")
	}
	if v.S.Period.ID != "" {
		s += " · " + v.S.Period.Name
	}
	return s
}

func peopleCount(n int) string {
	if n == 1 {
		return "1 person"
	}
	return strconv.Itoa(n) + " people"
}

// krProgressText says where a key result stands in its own terms: "12 of
// 40 customers", "2 of 5 milestones", "97% (keep 95%–100%)".
func krProgressText(k okr.KeyResult) string {
	switch {
	case k.Kind == okr.Milestone:
		done := 0
		for _, m := range k.Milestones {
			if m.Done {
				done++
			}
		}
		return strconv.Itoa(done) + " of " + okr.Plural(len(k.Milestones), "milestone") + " done"
	case k.Kind == okr.Boolean:
		return krValue(k, k.Current)
	case k.Kind == okr.Maintain && k.Band != nil:
		return krValue(k, k.Current) + " (keep " + krValue(k, k.Band.Low) + "–" + krValue(k, k.Band.High) + ")"
	}
	return krValue(k, k.Current) + " of " + krValue(k, k.Target)
}
