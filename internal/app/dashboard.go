package app

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// DashboardQuery chooses what a dashboard covers: one period, and
// optionally one team (with its sub-teams and their people).
type DashboardQuery struct {
	PeriodID string
	TeamID   string
}

// ObjectiveProgress is an objective's progress against what is expected by now.
type ObjectiveProgress struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Owner    okr.Owner  `json:"owner"`
	Health   okr.Health `json:"health"`
	Progress float64    `json:"progress"`
	Expected float64    `json:"expected_progress"`
	Behind   bool       `json:"behind"`
}

// TeamDiscipline is the check-in discipline of a team's people: the key
// results in the dashboard's scope owned by the team's leads and members or
// those of its sub-teams.
type TeamDiscipline struct {
	TeamID   string `json:"team_id"`
	Name     string `json:"name"`
	ParentID string `json:"parent_id,omitempty"`
	okr.Discipline
}

// OwnerDiscipline is the check-in discipline of one key result owner.
type OwnerDiscipline struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	okr.Discipline
}

// Dashboard is where a period stands, as the reader may see it.
type Dashboard struct {
	Period okr.Period `json:"period"`
	TeamID string     `json:"team_id,omitempty"`
	// CadenceDays is the organization's check-in cadence the discipline is measured against.
	CadenceDays int `json:"cadence_days"`

	Objectives int     `json:"objectives" doc:"Objectives in scope, drafts included."`
	KeyResults int     `json:"key_results"`
	Progress   float64 `json:"progress" doc:"The mean progress of the objectives."`
	Expected   float64 `json:"expected_progress" doc:"The mean progress expected of them by now."`
	// OnTrack shares count open (not closed) objectives and key results.
	ObjectivesOnTrack float64           `json:"objectives_on_track"`
	KeyResultsOnTrack float64           `json:"key_results_on_track"`
	ObjectiveHealth   []okr.HealthCount `json:"objective_health"`
	KeyResultHealth   []okr.HealthCount `json:"key_result_health"`

	// AtRisk lists active objectives and key results that need attention, worst first.
	AtRisk []okr.Risk `json:"at_risk"`
	// ExpectedVsActual lists every objective, the furthest behind first.
	ExpectedVsActual []ObjectiveProgress `json:"expected_vs_actual"`

	Discipline      okr.Discipline    `json:"discipline"`
	TeamDiscipline  []TeamDiscipline  `json:"team_discipline" doc:"Teams in scope with key results to check in, in tree order."`
	OwnerDiscipline []OwnerDiscipline `json:"owner_discipline" doc:"Key result owners, the least disciplined first."`

	// Initiatives counts the initiatives linked to a key result in scope.
	Initiatives       int               `json:"initiatives"`
	InitiativesStatus []okr.StatusCount `json:"initiatives_by_status"`
}

// teamForest orders teams as a tree (parents first, siblings by name) and
// says how deep each sits; a team whose parent is unknown is a root.
func teamForest(all []org.Team) (ordered []org.Team, depth map[string]int) {
	byID := make(map[string]bool, len(all))
	for _, t := range all {
		byID[t.ID] = true
	}
	children := map[string][]org.Team{}
	for _, t := range all {
		p := t.ParentID
		if !byID[p] {
			p = ""
		}
		children[p] = append(children[p], t)
	}
	for _, cs := range children {
		sort.SliceStable(cs, func(i, j int) bool {
			if !strings.EqualFold(cs[i].Name, cs[j].Name) {
				return strings.ToLower(cs[i].Name) < strings.ToLower(cs[j].Name)
			}
			return cs[i].ID < cs[j].ID
		})
	}
	depth = map[string]int{}
	seen := map[string]bool{}
	var walk func(parent string, d int)
	walk = func(parent string, d int) {
		for _, t := range children[parent] {
			if seen[t.ID] {
				continue
			}
			seen[t.ID] = true
			depth[t.ID] = d
			ordered = append(ordered, t)
			walk(t.ID, d+1)
		}
	}
	walk("", 0)
	return ordered, depth
}

// subtree is a team with every team under it.
func subtree(all []org.Team, rootID string) map[string]bool {
	children := map[string][]string{}
	for _, t := range all {
		children[t.ParentID] = append(children[t.ParentID], t.ID)
	}
	in := map[string]bool{}
	stack := []string{rootID}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !in[id] {
			in[id] = true
			stack = append(stack, children[id]...)
		}
	}
	return in
}

// subtreePeople is, for every team, everyone who leads or belongs to it or
// to a team under it: each team's set is its own people plus its
// children's sets, so the whole forest costs its people times its depth.
func subtreePeople(all []org.Team) map[string]map[string]bool {
	byID := make(map[string]org.Team, len(all))
	children := map[string][]string{}
	for _, t := range all {
		byID[t.ID] = t
		children[t.ParentID] = append(children[t.ParentID], t.ID)
	}
	out := make(map[string]map[string]bool, len(all))
	var fill func(id string, depth int) map[string]bool
	fill = func(id string, depth int) map[string]bool {
		if set, ok := out[id]; ok || depth > len(all) { // done, or a cycle
			return set
		}
		t := byID[id]
		set := map[string]bool{}
		out[id] = set
		for _, p := range t.LeadIDs {
			set[p] = true
		}
		for _, p := range t.MemberIDs {
			set[p] = true
		}
		for _, c := range children[id] {
			for p := range fill(c, depth+1) {
				set[p] = true
			}
		}
		return set
	}
	for _, t := range all {
		fill(t.ID, 0)
	}
	return out
}

// peopleOf is everyone who leads or belongs to one of the teams.
func peopleOf(all []org.Team, teams map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, t := range all {
		if teams[t.ID] {
			for _, id := range append(slices.Clone(t.LeadIDs), t.MemberIDs...) {
				out[id] = true
			}
		}
	}
	return out
}

// periodView is what the actor may see of one period: its objectives
// (health and signals filled in) and each one's key results.
type periodView struct {
	period     okr.Period
	signals    *signals
	objectives []okr.Objective
	krs        map[string][]okr.KeyResult
}

// readPeriod loads the period (NotFound outside the actor's organization)
// with the objectives the actor may see in it, like Alignment does.
func (a *App) readPeriod(ctx context.Context, tx Tx, v *access, periodID string) (*periodView, error) {
	orgID := v.actor.OrgID
	p, err := tx.GetPeriod(ctx, orgID, periodID)
	if err != nil {
		return nil, err
	}
	h, err := loadSignals(ctx, tx, orgID)
	if err != nil {
		return nil, err
	}
	objectives, err := tx.ListObjectives(ctx, orgID, okr.ObjectiveFilter{PeriodID: periodID})
	if err != nil {
		return nil, err
	}
	krs, err := tx.ListKeyResults(ctx, orgID, okr.KeyResultFilter{PeriodID: periodID})
	if err != nil {
		return nil, err
	}
	pv := &periodView{period: p, signals: h, krs: map[string][]okr.KeyResult{}}
	for _, k := range krs {
		pv.krs[k.ObjectiveID] = append(pv.krs[k.ObjectiveID], k)
	}
	for i := range objectives {
		o := &objectives[i]
		ok, err := a.decorateObjective(ctx, tx, v, h, o, pv.krs[o.ID])
		if err != nil {
			return nil, err
		}
		if ok {
			pv.objectives = append(pv.objectives, *o)
		} else {
			delete(pv.krs, o.ID)
		}
	}
	return pv, nil
}

// Dashboard computes where a period stands over the objectives and key
// results the actor may see in it: counts and average progress, health
// distributions, what is at risk and why, expected against actual progress,
// check-in discipline (overall, per team, per owner) and the initiatives
// linked to its key results by status. With a team, only the objectives
// owned by the team, its sub-teams and their people count. A period or team
// of another organization is NotFound.
func (a *App) Dashboard(ctx context.Context, actor org.Actor, q DashboardQuery) (Dashboard, error) {
	var d Dashboard
	if err := requireRead(actor); err != nil {
		return d, err
	}
	if strings.TrimSpace(q.PeriodID) == "" {
		var f errs.Fields
		f.Add("period_id", "choose the period the dashboard shows")
		return d, f.Err()
	}
	done, err := a.wholePeriod(ctx)
	if err != nil {
		return d, err
	}
	defer done()
	err = a.db.Read(ctx, func(tx Tx) error {
		orgID := actor.OrgID
		teams, err := tx.ListTeams(ctx, orgID)
		if err != nil {
			return err
		}
		var scopeTeams, scopePeople map[string]bool
		if q.TeamID != "" {
			if _, err := tx.GetTeam(ctx, orgID, q.TeamID); err != nil {
				return err
			}
			scopeTeams = subtree(teams, q.TeamID)
			scopePeople = peopleOf(teams, scopeTeams)
		}
		v := newAccess(ctx, tx, actor)
		pv, err := a.readPeriod(ctx, tx, v, q.PeriodID)
		if err != nil {
			return err
		}
		members, err := tx.ListMembers(ctx, orgID, "", 1<<30)
		if err != nil {
			return err
		}
		names := make(map[string]string, len(members))
		for _, m := range members {
			names[m.ID] = m.Name
		}
		d = computeDashboard(pv, teams, scopeTeams, scopePeople, names)
		d.TeamID = q.TeamID

		// Initiatives linked to a key result in scope (the reader sees every such initiative).
		inScope := map[string]bool{}
		for _, ks := range pv.krs {
			for _, k := range ks {
				inScope[k.ID] = true
			}
		}
		all, err := tx.ListInitiatives(ctx, orgID, okr.InitiativeFilter{})
		if err != nil {
			return err
		}
		var linked []okr.Initiative
		for _, in := range all {
			if slices.ContainsFunc(in.KeyResultIDs, func(id string) bool { return inScope[id] }) {
				linked = append(linked, in)
			}
		}
		d.Initiatives = len(linked)
		d.InitiativesStatus = okr.InitiativesByStatus(linked)
		return nil
	})
	return d, err
}

// computeDashboard does the dashboard's arithmetic over what the reader sees
// of a period, cut to the scope when scopeTeams is not nil. It leaves out
// of pv (for the caller's initiative count) the objectives outside the scope.
func computeDashboard(pv *periodView, teams []org.Team, scopeTeams, scopePeople map[string]bool, names map[string]string) Dashboard {
	h := pv.signals
	d := Dashboard{Period: pv.period, CadenceDays: h.settings.CadenceDays, AtRisk: []okr.Risk{},
		ExpectedVsActual: []ObjectiveProgress{}, TeamDiscipline: []TeamDiscipline{}, OwnerDiscipline: []OwnerDiscipline{}}
	inScope := func(o okr.Objective) bool {
		switch {
		case scopeTeams == nil:
			return true
		case o.Owner.Type == okr.OwnerTeam:
			return scopeTeams[o.Owner.ID]
		case o.Owner.Type == okr.OwnerUser:
			return scopePeople[o.Owner.ID]
		}
		return false
	}
	var oHealth, kHealth []okr.Health
	var progress, expected []float64
	var counted []okr.KeyResult // key results that wait for check-ins
	for _, o := range pv.objectives {
		if !inScope(o) {
			delete(pv.krs, o.ID)
			continue
		}
		krs := pv.krs[o.ID]
		d.Objectives++
		d.KeyResults += len(krs)
		oHealth = append(oHealth, o.Health)
		progress = append(progress, o.Progress)
		expected = append(expected, o.Expected)
		d.ExpectedVsActual = append(d.ExpectedVsActual, ObjectiveProgress{ID: o.ID, Title: o.Title, Owner: o.Owner,
			Health: o.Health, Progress: o.Progress, Expected: o.Expected, Behind: o.Behind})
		for _, k := range krs {
			kHealth = append(kHealth, k.Health)
		}
		if o.State != okr.Active {
			continue // drafts are not under way yet; closed ones are done
		}
		if r := okr.ObjectiveRisk(o, krs); r != nil {
			d.AtRisk = append(d.AtRisk, *r)
		}
		for _, k := range krs {
			if r := okr.KeyResultRisk(k, h.now); r != nil {
				d.AtRisk = append(d.AtRisk, *r)
			}
			if okr.CountsForDiscipline(k, o) {
				counted = append(counted, k)
			}
		}
	}
	d.Progress, d.Expected = okr.Mean(progress), okr.Mean(expected)
	d.ObjectiveHealth, d.KeyResultHealth = okr.HealthDistribution(oHealth), okr.HealthDistribution(kHealth)
	d.ObjectivesOnTrack, d.KeyResultsOnTrack = okr.OnTrackShare(d.ObjectiveHealth), okr.OnTrackShare(d.KeyResultHealth)
	okr.SortRisks(d.AtRisk)
	sort.SliceStable(d.ExpectedVsActual, func(i, j int) bool {
		a, b := d.ExpectedVsActual[i], d.ExpectedVsActual[j]
		if ga, gb := a.Expected-a.Progress, b.Expected-b.Progress; ga != gb {
			return ga > gb
		}
		return a.Title < b.Title
	})

	// Discipline: overall, per owner, per team (a team counts its sub-teams' people).
	days := h.settings.CadenceDays
	byOwner := map[string]*okr.Discipline{}
	for _, k := range counted {
		d.Discipline.Add(k, h.now, days)
		if byOwner[k.OwnerID] == nil {
			byOwner[k.OwnerID] = &okr.Discipline{}
		}
		byOwner[k.OwnerID].Add(k, h.now, days)
	}
	for id, dis := range byOwner {
		d.OwnerDiscipline = append(d.OwnerDiscipline, OwnerDiscipline{UserID: id, Name: names[id], Discipline: *dis})
	}
	sort.Slice(d.OwnerDiscipline, func(i, j int) bool {
		a, b := d.OwnerDiscipline[i], d.OwnerDiscipline[j]
		if a.Share != b.Share {
			return a.Share < b.Share
		}
		if a.Total != b.Total {
			return a.Total > b.Total
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.UserID < b.UserID
	})
	ordered, _ := teamForest(teams)
	people := subtreePeople(teams)
	for _, t := range ordered {
		if scopeTeams != nil && !scopeTeams[t.ID] {
			continue
		}
		var dis okr.Discipline
		for id := range people[t.ID] {
			if byOwner[id] != nil {
				dis.Merge(*byOwner[id])
			}
		}
		if dis.Total > 0 {
			d.TeamDiscipline = append(d.TeamDiscipline, TeamDiscipline{TeamID: t.ID, Name: t.Name, ParentID: t.ParentID, Discipline: dis})
		}
	}
	return d
}

// TeamSummary is a team in the teams list: where it sits, how many people
// it has, and how its own objectives stand in a period.
type TeamSummary struct {
	Team  org.Team `json:"team"`
	Depth int      `json:"depth" doc:"0 for a top-level team."`
	// People counts the team's leads and members, each once.
	People     int     `json:"people"`
	Objectives int     `json:"objectives" doc:"Objectives the team owns in the period that the reader may see."`
	Progress   float64 `json:"progress" doc:"Their mean progress."`
	Expected   float64 `json:"expected_progress"`
	// Health is the worst health of its objectives (pending when it has none).
	Health  okr.Health        `json:"health"`
	Healths []okr.HealthCount `json:"healths"`
}

// TeamSummaries lists every team of the organization in tree order (parents
// first, siblings by name) with its people count and, when periodID is not
// empty, how the objectives it owns in that period stand as the actor may
// see them. A period of another organization is NotFound.
func (a *App) TeamSummaries(ctx context.Context, actor org.Actor, periodID string) ([]TeamSummary, error) {
	if err := requireRead(actor); err != nil {
		return nil, err
	}
	var out []TeamSummary
	err := a.db.Read(ctx, func(tx Tx) error {
		teams, err := tx.ListTeams(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		owned := map[string][]okr.Objective{}
		if periodID != "" {
			pv, err := a.readPeriod(ctx, tx, newAccess(ctx, tx, actor), periodID)
			if err != nil {
				return err
			}
			for _, o := range pv.objectives {
				if o.Owner.Type == okr.OwnerTeam {
					owned[o.Owner.ID] = append(owned[o.Owner.ID], o)
				}
			}
		}
		ordered, depth := teamForest(teams)
		out = make([]TeamSummary, 0, len(ordered))
		for _, t := range ordered {
			s := TeamSummary{Team: t, Depth: depth[t.ID], People: len(peopleOf(teams, map[string]bool{t.ID: true}))}
			var hs, open []okr.Health
			var progress, expected []float64
			for _, o := range owned[t.ID] {
				hs = append(hs, o.Health)
				if o.Health != okr.HealthClosed {
					open = append(open, o.Health)
				}
				progress = append(progress, o.Progress)
				expected = append(expected, o.Expected)
			}
			s.Objectives = len(hs)
			s.Progress, s.Expected = okr.Mean(progress), okr.Mean(expected)
			// The worst of the open objectives; closed when every one is.
			s.Health = okr.ObjectiveHealth(len(hs) > 0 && len(open) == 0, open)
			s.Healths = okr.HealthDistribution(hs)
			out = append(out, s)
		}
		return nil
	})
	return out, err
}
