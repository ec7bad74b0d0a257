package web

import (
	"math"
	"net/http"
	"strconv"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// The L&D dashboard: completion, scores and ratings by program and team,
// skill coverage over time, program effectiveness and the organization's
// top skill gaps with their suggestions.

// lndView is the L&D dashboard.
type lndView struct {
	S *Shell
	D *directory
	A app.LearningAnalytics
	// PeriodID is the period the numbers cover ("" for all time); Team the team (zero for everyone).
	PeriodID string
	Team     org.Team
	Gaps     []app.GapItem
	// GapCount is how many requirements of the scope are not met in all.
	GapCount int
	Subjects map[string]lpServes // gap subjects by type:id
	Programs map[string]string   // program titles by id
	lrn      lrnNames
}

// lndTopGaps is how many of the organization's gaps the dashboard lists.
const lndTopGaps = 5

// lndDashboard shows the L&D dashboard: all time unless ?period= names a
// period, the whole organization unless ?team= names a team.
func (h *Handler) lndDashboard(w http.ResponseWriter, r *Request) {
	s := h.shell(w, r, "Learning and development", "learning")
	s.Crumbs = []Crumb{{Label: "Learning", Href: "/learning"}}
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := lndView{S: s, D: d, Subjects: map[string]lpServes{}, Programs: map[string]string{}}
	for _, p := range s.Periods {
		if p.ID == q.Get("period") {
			v.PeriodID = p.ID
		}
	}
	if id := q.Get("team"); id != "" {
		if v.Team, err = h.app.GetTeam(r.Ctx(), r.Actor, id); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if v.A, err = h.app.LearningAnalytics(r.Ctx(), r.Actor, app.AnalyticsQuery{PeriodID: v.PeriodID, TeamID: v.Team.ID}); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.lrn, _, err = h.lrnLoadNames(r); err != nil {
		h.fail(w, r, err)
		return
	}
	scope := "org"
	if v.Team.ID != "" {
		scope = "team:" + v.Team.ID
	}
	gaps, err := h.app.Gaps(r.Ctx(), r.Actor, app.GapQuery{Scope: scope, PeriodID: v.PeriodID})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, g := range gaps.Items {
		if g.Burden > 0 || g.Shortfall > 0 {
			v.GapCount++
			if len(v.Gaps) < lndTopGaps {
				v.Gaps = append(v.Gaps, g)
			}
		}
	}
	ps, err := h.lrnPrograms(r, app.ProgramQuery{IncludeArchived: true})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, p := range ps {
		v.Programs[p.ID] = p.Title
	}
	for _, g := range v.Gaps {
		if err := h.lndSubject(r, d, g.Subject, v.Subjects); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r.Request, 0, lndPage(v))
}

// lndSubject names what a requirement belongs to and links it.
func (h *Handler) lndSubject(r *Request, d *directory, s learning.Subject, into map[string]lpServes) error {
	key := string(s.Type) + ":" + s.ID
	if _, ok := into[key]; ok {
		return nil
	}
	var sv lpServes
	switch s.Type {
	case learning.SubjectTeam:
		sv = lpServes{Title: "Team " + d.Team(s.ID).Name, Href: "/teams/" + s.ID}
	case learning.SubjectObjective:
		o, err := h.app.GetObjective(r.Ctx(), r.Actor, s.ID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		sv = lpServes{Title: o.Title, Href: "/objectives/" + s.ID}
	case learning.SubjectKeyResult:
		k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, s.ID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		sv = lpServes{Title: k.Title, Href: "/objectives/" + k.ObjectiveID + "#kr-" + k.ID}
	case learning.SubjectRole:
		ro, err := h.app.GetRole(r.Ctx(), r.Actor, s.ID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		sv = lpServes{Title: "Role " + ro.Name}
	}
	into[key] = sv
	return nil
}

// subject is a gap's subject as named by lndSubject.
func (v lndView) subject(g app.GapItem) lpServes {
	return v.Subjects[string(g.Subject.Type)+":"+g.Subject.ID]
}

func (v lndView) subtitle() string {
	s := v.S.Me.Org.Name
	if v.Team.ID != "" {
		s = v.Team.Name + " with its sub-teams"
	}
	if v.A.Period != nil {
		return s + " · " + v.A.Period.Name + " (" + day(v.A.Period.From) + " to " + day(v.A.Period.To) + ")"
	}
	return s + " · all time"
}

// lndCoverageChart is the share of requirement seats met over time.
func (v lndView) coverageChart() lrnChart {
	c := lrnChart{Type: "line"}
	ds := lrnDataset{Label: "Seats met (%)", Color: "--accent"}
	for _, p := range v.A.Coverage {
		c.Labels = append(c.Labels, day(p.Date))
		ds.Data = append(ds.Data, lrnNum(math.Round(p.Share*1000)/10))
	}
	c.Datasets = []lrnDataset{ds}
	return c
}

// lndMean is a mean progress (0–1) as a percentage, or "—".
func lndMean(x *float64) string {
	if x == nil {
		return "—"
	}
	return pct(*x)
}

// lndDelta says how the mean progress of the key results with the program
// differs from those without, in points; "" when a side is empty.
func lndDelta(e learning.Effect) string {
	if e.With.MeanProgress == nil || e.Without.MeanProgress == nil {
		return "not comparable yet"
	}
	d := int(math.Round((*e.With.MeanProgress - *e.Without.MeanProgress) * 100))
	switch {
	case d > 0:
		return "+" + strconv.Itoa(d) + " pts"
	case d < 0:
		return "−" + strconv.Itoa(-d) + " pts"
	}
	return "no difference"
}

// lndSuggestedPrograms names and links a gap's suggested programs.
func lndSuggestedPrograms(v lndView, g app.GapItem) []lpServes {
	var out []lpServes
	for _, id := range g.SuggestedProgramIDs {
		out = append(out, lpServes{Title: lrnOr(v.Programs[id], "a program"), Href: "/learning/programs/" + id})
	}
	return out
}

// lndFilterPeriods are the periods the filter offers.
func (v lndView) periods() []okr.Period { return v.S.Periods }

// lndGroupText is "3 key results · 5 people".
func lndGroupText(g learning.EffectGroup) string {
	return okr.Plural(g.KeyResults, "key result") + " · " + peopleCount(g.People)
}
