// Package synth generates a synthetic organization of a given size straight
// into an okra database, for okra bench: people, teams five levels deep, an
// active quarter under its year, aligned objectives with about three key
// results per person, a quarter of weekly check-ins, skills, requirements,
// assessments, programs and enrollments. It writes rows in bulk (see
// store.Bulk), not through the use cases, and materializes progress with the
// roll-up rules of package okr so that the store's invariants hold.
package synth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

// Config describes the organization to generate.
type Config struct {
	// People is the number of members, the owner included (at least 1).
	People int
	// Seed makes the output deterministic: the same seed gives the same
	// shape and values (ids and creation times differ).
	Seed uint64
	// Now is the end of the check-in history; zero means time.Now.
	Now time.Time
	// Start and End are the quarter's dates; empty means the 91 days ending
	// on Now's date.
	Start, End okr.Date
	// Slug is the organization's slug; empty means "bench".
	Slug string
}

// Result says what was generated and how to reach it.
type Result struct {
	OrgID, Slug string
	// OwnerEmail is the owner's e-mail (for app.MintToken).
	OwnerEmail string
	// QuarterID is the active quarter, AnnualID its parent year.
	QuarterID, AnnualID string
	// LargestTeamID is the team with the most people below it (the company).
	LargestTeamID string
	// UserIDs are the members in generation order (the owner first).
	UserIDs []string
	// Counts of rows written.
	People, Teams, Objectives, KeyResults, CheckIns, Skills, Requirements, Assessments, Programs, Enrollments int
	// TeamLevels is the depth of the team tree (5).
	TeamLevels int
}

// TeamLevels is the depth of the generated team tree.
const TeamLevels = 5

// Period length and check-in rhythm.
const (
	quarterDays = 91
	week        = 7 * 24 * time.Hour
)

type team struct {
	id, parent, name, slug string
	level                  int
	lead                   string
	members                []string // squads only
	objectives             []int    // indexes into objectives
}

type objective struct {
	o      okr.Objective
	parent string // contributing parent objective, "" for the organization's
}

type keyResult struct {
	k        okr.KeyResult
	checkIns []checkIn
}

// checkIn is a check-in held compactly until it is written (a 100,000-person
// organization has millions).
type checkIn struct {
	id                      string
	at                      time.Time
	value, prev, confidence float64
	status                  okr.Status
	note                    string
	done                    int // milestones done, for milestone key results
	blocked                 bool
}

// Generate writes a new organization into s and returns what it wrote. It
// fails if cfg.Slug (or a generated e-mail) is already taken.
func Generate(ctx context.Context, s *store.Store, cfg Config) (Result, error) {
	if cfg.People < 1 {
		return Result{}, errors.New("synth: at least one person")
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	cfg.Now = cfg.Now.UTC().Truncate(time.Microsecond)
	if cfg.End == "" {
		cfg.End = okr.Date(cfg.Now.Format(okr.DateLayout))
	}
	if cfg.Start == "" {
		end, err := cfg.End.Time(time.UTC)
		if err != nil {
			return Result{}, fmt.Errorf("synth: end date: %w", err)
		}
		cfg.Start = okr.Date(end.AddDate(0, 0, -(quarterDays - 1)).Format(okr.DateLayout))
	}
	if cfg.Slug == "" {
		cfg.Slug = "bench"
	}
	g := &gen{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), now: cfg.Now}
	if err := g.build(); err != nil {
		return Result{}, err
	}
	if err := s.Bulk(ctx, g.write); err != nil {
		return Result{}, fmt.Errorf("synth: load: %w", err)
	}
	return g.res, nil
}

type gen struct {
	cfg        Config
	rng        *rand.Rand
	now        time.Time
	start      time.Time
	res        Result
	orgID      string
	users      []string
	names      []string
	teams      []*team
	objectives []objective
	krs        []keyResult
	alignments []okr.Alignment
	squadOf    []*team // person → their squad
}

// build lays the organization out in memory and computes every progress.
func (g *gen) build() error {
	r := g.rng
	g.orgID = app.NewID()
	g.res = Result{OrgID: g.orgID, Slug: g.cfg.Slug, OwnerEmail: "owner@" + g.cfg.Slug + ".bench.test", TeamLevels: TeamLevels}
	start, err := g.cfg.Start.Time(time.UTC)
	if err != nil {
		return fmt.Errorf("synth: start date: %w", err)
	}
	g.start = start
	g.res.QuarterID, g.res.AnnualID = app.NewID(), app.NewID()

	// People.
	n := g.cfg.People
	g.users, g.names = make([]string, n), make([]string, n)
	for i := range g.users {
		g.users[i] = app.NewID()
		g.names[i] = fmt.Sprintf("%s %s", firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))])
	}
	g.res.UserIDs, g.res.People = g.users, n

	// Teams: company → b divisions → b departments each → b groups each →
	// squads of about eight people.
	squads := (n + 7) / 8
	b := int(math.Round(math.Pow(float64(squads), 0.25)))
	if b < 2 {
		b = 2
	}
	perGroup := (squads + b*b*b - 1) / (b * b * b)
	company := g.addTeam(nil, "Company", 0)
	g.res.LargestTeamID = company.id
	var squadTeams []*team
	for d := 0; d < b; d++ {
		div := g.addTeam(company, fmt.Sprintf("Division %d", d+1), 1)
		for e := 0; e < b; e++ {
			dep := g.addTeam(div, fmt.Sprintf("Department %d.%d", d+1, e+1), 2)
			for f := 0; f < b; f++ {
				grp := g.addTeam(dep, fmt.Sprintf("Group %d.%d.%d", d+1, e+1, f+1), 3)
				for q := 0; q < perGroup && len(squadTeams) < squads; q++ {
					squadTeams = append(squadTeams, g.addTeam(grp, fmt.Sprintf("Squad %d.%d.%d.%d", d+1, e+1, f+1, q+1), 4))
				}
			}
		}
	}
	// Prune teams above the squads that got none (small organizations).
	g.squadOf = make([]*team, n)
	for i := range g.users {
		sq := squadTeams[i%len(squadTeams)]
		sq.members = append(sq.members, g.users[i])
		g.squadOf[i] = sq
	}
	for _, sq := range squadTeams {
		sq.lead = sq.members[0]
	}
	// Leads above the squads: the lead of their first child team (children
	// come after their parents, so walk backwards).
	byID := map[string]*team{}
	for _, t := range g.teams {
		byID[t.id] = t
	}
	for i := len(g.teams) - 1; i >= 0; i-- {
		c := g.teams[i]
		if p := byID[c.parent]; p != nil && c.lead != "" {
			p.lead = c.lead // the first child's, as it is visited last
		}
	}
	company.lead = g.users[0]
	kept := g.teams[:0]
	for _, t := range g.teams {
		if t.lead != "" {
			kept = append(kept, t)
		}
	}
	g.teams = kept
	g.res.Teams = len(g.teams)

	// Objectives: three of the organization; one or two per team, each
	// contributing to an objective of the parent team (the company's to the
	// organization's); one per person, contributing to their squad's.
	for i := 0; i < 3; i++ {
		g.addObjective(okr.Owner{Type: okr.OwnerOrg}, g.users[0], orgThemes[i], "", 3)
	}
	orgObjectives := []string{g.objectives[0].o.ID, g.objectives[1].o.ID, g.objectives[2].o.ID}
	for _, t := range g.teams { // parents come before their children
		parents := orgObjectives
		if p := byID[t.parent]; p != nil {
			parents = nil
			for _, oi := range p.objectives {
				parents = append(parents, g.objectives[oi].o.ID)
			}
		}
		for j := 0; j < 1+r.IntN(2); j++ {
			title := fmt.Sprintf("%s: %s", t.name, teamThemes[r.IntN(len(teamThemes))])
			t.objectives = append(t.objectives, len(g.objectives))
			g.addObjective(okr.Owner{Type: okr.OwnerTeam, ID: t.id}, t.lead, title, parents[r.IntN(len(parents))], 2)
		}
	}
	for i, u := range g.users {
		sq := g.squadOf[i]
		parent := g.objectives[sq.objectives[r.IntN(len(sq.objectives))]].o.ID
		title := fmt.Sprintf("%s: %s", g.names[i], personThemes[r.IntN(len(personThemes))])
		g.addObjective(okr.Owner{Type: okr.OwnerUser, ID: u}, u, title, parent, 2+r.IntN(2))
	}

	// Check-in history, then progress from the okr rules.
	g.checkIns()
	objs := make([]okr.Objective, len(g.objectives))
	for i := range g.objectives {
		objs[i] = g.objectives[i].o
	}
	ks := make([]okr.KeyResult, len(g.krs))
	for i := range g.krs {
		ks[i] = g.krs[i].k
	}
	objP, krP := okr.Recompute(objs, ks, g.alignments)
	last := map[string]time.Time{}
	for i := range g.krs {
		k := &g.krs[i].k
		k.Progress = krP[k.ID]
		if k.LastCheckIn != nil && k.LastCheckIn.After(last[k.ObjectiveID]) {
			last[k.ObjectiveID] = *k.LastCheckIn
		}
	}
	for i := range g.objectives {
		o := &g.objectives[i].o
		o.Progress = objP[o.ID]
		if t, ok := last[o.ID]; ok {
			o.LastCheckIn = &t
		}
	}
	g.res.Objectives, g.res.KeyResults = len(g.objectives), len(g.krs)
	return nil
}

func (g *gen) addTeam(parent *team, name string, level int) *team {
	t := &team{id: app.NewID(), name: name, level: level, slug: fmt.Sprintf("team-%d", len(g.teams)+1)}
	if parent != nil {
		t.parent = parent.id
	}
	g.teams = append(g.teams, t)
	return t
}

// addObjective adds an objective with nKRs key results owned by owner (for a
// person or team objective) and aligns it to parent with contributes.
func (g *gen) addObjective(owner okr.Owner, champion, title, parent string, nKRs int) {
	n := len(g.objectives) + 1
	o := okr.Objective{ID: app.NewID(), OrgID: g.orgID, PeriodID: g.res.QuarterID, Slug: fmt.Sprintf("o-%d", n), Title: title,
		Owner: owner, ChampionID: champion, Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1, Tags: []string{}}
	if g.rng.IntN(5) == 0 {
		o.Kind = okr.Aspirational
	}
	g.objectives = append(g.objectives, objective{o: o, parent: parent})
	if parent != "" {
		g.alignments = append(g.alignments, okr.Alignment{ID: app.NewID(), ChildID: o.ID, ParentType: okr.ParentObjective,
			ParentID: parent, Link: okr.Contributes})
	}
	for i := 0; i < nKRs; i++ {
		g.krs = append(g.krs, keyResult{k: g.keyResult(o.ID, champion, i+1)})
	}
}

// keyResult returns a key result of a random kind at its baseline.
func (g *gen) keyResult(objectiveID, owner string, n int) okr.KeyResult {
	r := g.rng
	k := okr.KeyResult{ID: app.NewID(), OrgID: g.orgID, ObjectiveID: objectiveID, Slug: fmt.Sprintf("kr-%d", n), OwnerID: owner,
		Unit: okr.UnitNumber, Weight: 1, DueDate: g.cfg.End, Indicator: okr.Lagging, Source: okr.SourceManual, Milestones: []okr.MilestoneItem{}}
	if r.IntN(3) == 0 {
		k.Indicator = okr.Leading
	}
	switch x := r.IntN(100); {
	case x < 40:
		k.Kind, k.Title = okr.Increase, increaseTitles[r.IntN(len(increaseTitles))]
		k.Baseline = float64(r.IntN(50))
		k.Target = k.Baseline + float64(10+r.IntN(190))
	case x < 60:
		k.Kind, k.Title = okr.Decrease, decreaseTitles[r.IntN(len(decreaseTitles))]
		k.Baseline = float64(50 + r.IntN(150))
		k.Target = math.Round(k.Baseline / 2)
	case x < 75:
		k.Kind, k.Title, k.Unit = okr.Maintain, "Keep availability in its band", okr.UnitPercent
		low := float64(90 + r.IntN(5))
		k.Band = &okr.Band{Low: low, High: low + 5}
		k.Baseline, k.Target = low-2, low+2.5
	case x < 90:
		k.Kind, k.Title = okr.Milestone, "Ship the plan's milestones"
		for i := 0; i < 3+r.IntN(3); i++ {
			k.Milestones = append(k.Milestones, okr.MilestoneItem{ID: app.NewID(), Title: fmt.Sprintf("Milestone %d", i+1), Weight: 1})
		}
		k.Target = 1
	default:
		k.Kind, k.Title = okr.Boolean, "Launch it"
		k.Target = 1
	}
	k.Title = fmt.Sprintf("%s (%d)", k.Title, n)
	k.Current = k.Baseline
	if k.Kind == okr.Milestone {
		k.Current = okr.MilestoneShare(k.Milestones)
	}
	k.Progress = okr.KRProgress(k)
	return k
}

// checkIns writes weekly check-ins on about 70% of the key results, values
// trending toward their targets at each one's own pace; the last sets the
// key result's value, status, confidence and time. Ids rise with time.
func (g *gen) checkIns() {
	r := g.rng
	weeks := int(g.now.Sub(g.start) / week)
	if weeks < 1 {
		return
	}
	for i := range g.krs {
		if r.IntN(10) >= 7 {
			continue
		}
		kr := &g.krs[i]
		k := &kr.k
		pace := 0.4 + 0.8*r.Float64()
		prev := k.Current
		for w := 1; w <= weeks; w++ {
			at := g.start.Add(time.Duration(w)*week + time.Duration(r.IntN(6*3600))*time.Second)
			if at.After(g.now) {
				at = g.now
			}
			f := pace*float64(w)/float64(weeks) + 0.05*(r.Float64()-0.5)
			f = math.Max(0, math.Min(1, f))
			c := checkIn{at: at, prev: prev}
			switch k.Kind {
			case okr.Increase, okr.Decrease:
				c.value = math.Round((k.Baseline+f*(k.Target-k.Baseline))*100) / 100
			case okr.Maintain:
				c.value = math.Round((k.Band.Low-1+(k.Band.High-k.Band.Low+2)*r.Float64())*10) / 10
			case okr.Milestone:
				done := int(f * float64(len(k.Milestones)))
				for j := range k.Milestones {
					k.Milestones[j].Done = j < done
				}
				c.done = done
				c.value = okr.MilestoneShare(k.Milestones)
			case okr.Boolean:
				if f >= 0.95 {
					c.value = 1
				}
			}
			k.Current = c.value
			progress := okr.KRProgress(*k)
			expected := float64(w) / float64(weeks)
			switch gap := expected - progress; {
			case gap <= 0.15:
				c.status = okr.OnTrack
			case gap <= 0.35:
				c.status = okr.AtRisk
			default:
				c.status = okr.OffTrack
				if r.IntN(3) == 0 {
					c.blocked = true
				}
			}
			c.confidence = math.Round((0.3+0.6*r.Float64())*10) / 10
			if w == weeks || r.IntN(4) == 0 {
				c.note = checkInNotes[r.IntN(len(checkInNotes))]
			}
			kr.checkIns = append(kr.checkIns, c)
			prev = c.value
		}
		last := kr.checkIns[len(kr.checkIns)-1]
		conf, at := last.confidence, last.at
		k.Confidence, k.LastStatus, k.LastCheckIn = &conf, last.status, &at
		k.Progress = okr.KRProgress(*k)
	}
	// Ids in time order: week by week across key results.
	for w := 0; w < weeks; w++ {
		for i := range g.krs {
			if cs := g.krs[i].checkIns; w < len(cs) {
				cs[w].id = app.NewID()
				g.res.CheckIns++
			}
		}
	}
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only okra's own types
	}
	return string(b)
}

func nullable[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// write inserts every row in one transaction.
func (g *gen) write(l *store.Loader) error {
	ctx := context.Background()
	t0 := g.start.Add(-24 * time.Hour)
	// insert adds rows to one table and flushes.
	insert := func(table string, cols []string, each func(add func(...any) error) error) error {
		in := l.Table(table, cols...)
		var err error
		if e := each(func(v ...any) error {
			if err == nil {
				err = in.Add(ctx, v...)
			}
			return err
		}); e != nil {
			return e
		}
		if err != nil {
			return err
		}
		return in.Flush(ctx)
	}
	cols := func(s ...string) []string { return s }

	if err := insert("organizations", cols("id", "name", "slug", "time_zone", "settings", "created_at"), func(add func(...any) error) error {
		return add(g.orgID, "Bench "+g.cfg.Slug, g.cfg.Slug, "UTC", jsonText(org.DefaultSettings()), t0)
	}); err != nil {
		return err
	}
	if err := insert("users", cols("id", "email", "name", "password_hash", "created_at"), func(add func(...any) error) error {
		for i, u := range g.users {
			email := fmt.Sprintf("person-%d@%s.bench.test", i, g.cfg.Slug)
			if i == 0 {
				email = g.res.OwnerEmail
			}
			if err := add(u, email, g.names[i], "", t0); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := insert("memberships", cols("org_id", "user_id", "name", "role", "active", "version", "created_at"), func(add func(...any) error) error {
		for i, u := range g.users {
			role := org.RoleMember
			switch {
			case i == 0:
				role = org.RoleOwner
			case i%50 == 1:
				role = org.RoleAdmin
			}
			if err := add(g.orgID, u, g.names[i], string(role), true, 1, t0); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := insert("teams", cols("id", "org_id", "name", "slug", "parent_id", "cadence", "grace_days", "chat_webhook_url", "version", "created_at", "updated_at"),
		func(add func(...any) error) error {
			for _, t := range g.teams {
				if err := add(t.id, g.orgID, t.name, t.slug, nullable(t.parent), nil, nil, "", 1, t0, t0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
		return err
	}
	if err := insert("team_members", cols("org_id", "team_id", "user_id", "is_lead"), func(add func(...any) error) error {
		for _, t := range g.teams {
			if len(t.members) == 0 {
				if err := add(g.orgID, t.id, t.lead, true); err != nil {
					return err
				}
			}
			for _, m := range t.members {
				if err := add(g.orgID, t.id, m, m == t.lead); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	end, _ := g.cfg.End.Time(time.UTC)
	if err := insert("periods", cols("id", "org_id", "name", "kind", "start_date", "end_date", "parent_id", "state", "version", "created_at", "updated_at"),
		func(add func(...any) error) error {
			yearStart := end.AddDate(-1, 0, 1).Format(okr.DateLayout)
			if err := add(g.res.AnnualID, g.orgID, fmt.Sprintf("Year to %s", g.cfg.End), string(okr.PeriodAnnual), yearStart, string(g.cfg.End), nil,
				string(okr.PeriodActive), 1, t0, t0); err != nil {
				return err
			}
			return add(g.res.QuarterID, g.orgID, fmt.Sprintf("Quarter to %s", g.cfg.End), string(okr.PeriodQuarterly), string(g.cfg.Start), string(g.cfg.End),
				g.res.AnnualID, string(okr.PeriodActive), 1, t0, t0)
		}); err != nil {
		return err
	}
	if err := insert("objectives", cols("id", "org_id", "period_id", "title", "description", "owner_type", "owner_id", "champion_id", "kind", "visibility",
		"state", "outcome", "weight", "tags", "progress", "last_check_in", "version", "created_at", "updated_at", "slug", "alignment_note"),
		func(add func(...any) error) error {
			for i := range g.objectives {
				o := &g.objectives[i].o
				var last any
				updated := t0
				if o.LastCheckIn != nil {
					last, updated = *o.LastCheckIn, *o.LastCheckIn
				}
				if err := add(o.ID, o.OrgID, o.PeriodID, o.Title, "", string(o.Owner.Type), o.Owner.ID, nullable(o.ChampionID), string(o.Kind),
					string(o.Visibility), string(o.State), "", o.Weight, jsonText(o.Tags), o.Progress, last, 1, t0, updated, o.Slug, ""); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
		return err
	}
	if err := insert("key_results", cols("id", "org_id", "objective_id", "title", "owner_id", "kind", "unit", "unit_label", "currency", "baseline", "target",
		"band_low", "band_high", "milestones", "current_value", "weight", "due_date", "indicator", "source", "measure", "progress", "confidence",
		"last_status", "last_check_in", "forecast_value", "forecast_on_track", "version", "created_at", "updated_at", "slug"),
		func(add func(...any) error) error {
			for i := range g.krs {
				k := &g.krs[i].k
				var low, high, conf, last any
				if k.Band != nil {
					low, high = k.Band.Low, k.Band.High
				}
				updated := t0
				if k.Confidence != nil {
					conf = *k.Confidence
				}
				if k.LastCheckIn != nil {
					last, updated = *k.LastCheckIn, *k.LastCheckIn
				}
				if err := add(k.ID, k.OrgID, k.ObjectiveID, k.Title, nullable(k.OwnerID), string(k.Kind), string(k.Unit), "", "", k.Baseline, k.Target,
					low, high, jsonText(k.Milestones), k.Current, k.Weight, string(k.DueDate), string(k.Indicator), string(k.Source), nil, k.Progress, conf,
					string(k.LastStatus), last, nil, nil, 1, t0, updated, k.Slug); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
		return err
	}
	if err := insert("alignments", cols("id", "org_id", "child_id", "parent_type", "parent_objective_id", "parent_key_result_id", "link", "created_at"),
		func(add func(...any) error) error {
			for _, a := range g.alignments {
				if err := add(a.ID, g.orgID, a.ChildID, string(a.ParentType), a.ParentID, nil, string(a.Link), t0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
		return err
	}
	if err := insert("check_ins", cols("id", "org_id", "key_result_id", "objective_id", "value", "previous_value", "milestones_done", "confidence",
		"status", "note", "blockers", "author_id", "source", "created_at"),
		func(add func(...any) error) error {
			noBlockers := jsonText([]okr.Blocker{})
			blocked := jsonText([]okr.Blocker{{Type: okr.BlockerDependency, Description: "Waiting on another team"}})
			for i := range g.krs {
				k := &g.krs[i].k
				done := make([]string, 0, len(k.Milestones))
				for _, m := range k.Milestones {
					done = append(done, m.ID)
				}
				for _, c := range g.krs[i].checkIns {
					blockers := noBlockers
					if c.blocked {
						blockers = blocked
					}
					if err := add(c.id, g.orgID, k.ID, k.ObjectiveID, c.value, c.prev, jsonText(done[:c.done]), c.confidence,
						string(c.status), c.note, blockers, nullable(k.OwnerID), string(okr.SourceManual), c.at); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
		return err
	}
	return g.writeLearning(ctx, insert, t0)
}

// Learning: skills, requirements on every team, assessments of every
// person, a handful of programs and enrollments, some completed.
func (g *gen) writeLearning(ctx context.Context, insert func(string, []string, func(func(...any) error) error) error, t0 time.Time) error {
	r := g.rng
	skills := make([]string, len(skillNames))
	for i := range skills {
		skills[i] = app.NewID()
	}
	g.res.Skills = len(skills)
	if err := insert("skills", []string{"id", "org_id", "name", "description", "category", "scale_id", "framework", "uri", "version", "created_at", "updated_at"},
		func(add func(...any) error) error {
			for i, id := range skills {
				if err := add(id, g.orgID, skillNames[i], "", skillCategories[i%len(skillCategories)], learning.DefaultScaleID,
					string(learning.FrameworkCustom), nil, 1, t0, t0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
		return err
	}
	// Each team requires three skills; its people are assessed in five, its
	// requirements first.
	teamSkills := map[string][]int{}
	if err := insert("skill_requirements", []string{"id", "org_id", "subject_type", "subject_id", "skill_id", "level", "headcount", "essential",
		"version", "created_at", "updated_at"}, func(add func(...any) error) error {
		for _, t := range g.teams {
			picked := r.Perm(len(skills))[:3]
			teamSkills[t.id] = picked
			for _, s := range picked {
				headcount := 1 + r.IntN(2)
				if len(t.members) == 0 {
					headcount = 2 + r.IntN(6)
				}
				if err := add(app.NewID(), g.orgID, string(learning.SubjectTeam), t.id, skills[s], 2+r.IntN(3), headcount, r.IntN(2) == 0, 1, t0, t0); err != nil {
					return err
				}
				g.res.Requirements++
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := insert("assessments", []string{"id", "org_id", "user_id", "skill_id", "level", "source", "assessor_id", "evidence_note", "evidence_url",
		"evidence_score", "assessed_on", "enrollment_id", "created_at"}, func(add func(...any) error) error {
		for i, u := range g.users {
			sq := g.squadOf[i]
			seen := map[int]bool{}
			picks := append(append([]int(nil), teamSkills[sq.id]...), r.Perm(len(skills))[:4]...)
			for _, s := range picks {
				if seen[s] || len(seen) == 5 {
					continue
				}
				seen[s] = true
				source, assessor := learning.SourceSelf, any(nil)
				if r.IntN(2) == 0 && sq.lead != u {
					source, assessor = learning.SourceManager, sq.lead
				}
				on := g.now.AddDate(0, 0, -r.IntN(300))
				if err := add(app.NewID(), g.orgID, u, skills[s], 1+r.IntN(5), string(source), assessor, "", "", nil,
					on.Format(okr.DateLayout), nil, on); err != nil {
					return err
				}
				g.res.Assessments++
			}
		}
		return nil
	}); err != nil {
		return err
	}
	programs := make([]string, 8)
	for i := range programs {
		programs[i] = app.NewID()
	}
	g.res.Programs = len(programs)
	if err := insert("programs", []string{"id", "org_id", "title", "description", "kind", "provider", "external_id", "url", "hours", "cost_amount",
		"cost_currency", "pass_mark", "archived", "version", "created_at", "updated_at"}, func(add func(...any) error) error {
		for i, id := range programs {
			kind := learning.ProgramKinds[i%len(learning.ProgramKinds)]
			if err := add(id, g.orgID, fmt.Sprintf("%s essentials", skillNames[i*5]), "", string(kind), "Bench Academy", nil, "", 8.0, nil, nil, nil,
				false, 1, t0, t0); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := insert("program_skills", []string{"org_id", "program_id", "skill_id", "level", "position"}, func(add func(...any) error) error {
		for i, id := range programs {
			for j := 0; j < 2; j++ {
				if err := add(g.orgID, id, skills[i*5+j], 3, j); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return insert("enrollments", []string{"id", "org_id", "user_id", "program_id", "assigned_by", "due_date", "status", "progress", "started_at",
		"completed_at", "score", "passed", "hours", "feedback_rating", "feedback_text", "learning_objective_id", "version", "created_at", "updated_at"},
		func(add func(...any) error) error {
			for i, u := range g.users {
				if i%10 != 3 {
					continue
				}
				lead := g.squadOf[i].lead
				started := g.start.Add(time.Duration(r.IntN(30*24)) * time.Hour)
				var (
					status                                         = learning.InProgress
					progress                                       = 0.2 + 0.6*r.Float64()
					startedAt, completed, score, passed, hours any = started, nil, nil, nil, nil
					rating, text                               any
				)
				switch r.IntN(5) {
				case 0, 1:
					status, progress = learning.Completed, 1
					completed, score, passed, hours = started.Add(14*24*time.Hour), 0.7+0.3*r.Float64(), true, 8.0
					rating, text = 3+r.IntN(3), "Useful"
				case 2:
					status, progress, startedAt = learning.Assigned, 0, nil
				}
				if err := add(app.NewID(), g.orgID, u, programs[r.IntN(len(programs))], nullable(lead), string(g.cfg.End), string(status), progress,
					startedAt, completed, score, passed, hours, rating, text, nil, 1, t0, t0); err != nil {
					return err
				}
				g.res.Enrollments++
			}
			return nil
		})
}
