package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// dashboardView is the period dashboard: where the period stands, what is
// at risk and why, and who keeps up with check-ins.
type dashboardView struct {
	S    *Shell
	D    *directory
	Dash app.Dashboard
	// Team is the team the dashboard is cut to (zero for the whole organization).
	Team org.Team
	// Coach is the coach's card on the period (coach.go).
	Coach coachDashView
}

// dashboard shows the dashboard of the selected period, for the whole
// organization or one team (?team=ID, a GET form).
func (h *Handler) dashboard(w http.ResponseWriter, r *Request) {
	s := h.shell(w, r, "Dashboard", "dashboard")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := dashboardView{S: s, D: d}
	if s.Period.ID == "" {
		h.render(w, r.Request, 0, dashboardPage(v))
		return
	}
	teamID := r.URL.Query().Get("team")
	if teamID != "" {
		if v.Team, err = h.app.GetTeam(r.Ctx(), r.Actor, teamID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if v.Dash, err = h.app.Dashboard(r.Ctx(), r.Actor, app.DashboardQuery{PeriodID: s.Period.ID, TeamID: teamID}); err != nil {
		h.fail(w, r, err)
		return
	}
	if teamID == "" {
		v.Coach = h.coachDashLoad(r, s.Period.ID) // the coach judges the whole period
	}
	h.render(w, r.Request, 0, dashboardPage(v))
}

// subtitle says what the dashboard covers.
func (v dashboardView) subtitle() string {
	who := v.S.Me.Org.Name
	if v.Team.ID != "" {
		who = v.Team.Name + " with its sub-teams and people"
	}
	return v.S.Period.Name + " · " + who
}

// riskHref links a risk to its objective (a key result to its row there).
func riskHref(r okr.Risk) templ.SafeURL {
	if r.Type == okr.NodeKeyResult {
		return templ.SafeURL("/objectives/" + r.ObjectiveID + "#kr-" + r.ID)
	}
	return templ.SafeURL("/objectives/" + r.ObjectiveID)
}

// riskTypeWord names what a risk is about.
func riskTypeWord(r okr.Risk) string {
	if r.Type == okr.NodeKeyResult {
		return "Key result"
	}
	return "Objective"
}

// shownRisks is how many risks the dashboard lists before "show more".
const shownRisks = 8

func (v dashboardView) topRisks() []okr.Risk {
	return v.Dash.AtRisk[:min(len(v.Dash.AtRisk), shownRisks)]
}

func (v dashboardView) moreRisks() []okr.Risk {
	if len(v.Dash.AtRisk) <= shownRisks {
		return nil
	}
	return v.Dash.AtRisk[shownRisks:]
}

// healthRows pairs the objective and key result counts of each health.
type healthRow struct {
	Health                 okr.Health
	Objectives, KeyResults int
}

func (v dashboardView) healthRows() []healthRow {
	out := make([]healthRow, len(v.Dash.ObjectiveHealth))
	for i, c := range v.Dash.ObjectiveHealth {
		out[i] = healthRow{Health: c.Health, Objectives: c.Count}
		if i < len(v.Dash.KeyResultHealth) {
			out[i].KeyResults = v.Dash.KeyResultHealth[i].Count
		}
	}
	return out
}

// healthColor is the CSS variable a health is drawn with.
func healthColor(h okr.Health) string {
	switch h {
	case okr.HealthOnTrack:
		return "--on-track"
	case okr.HealthAtRisk:
		return "--at-risk"
	case okr.HealthOffTrack:
		return "--off-track"
	case okr.HealthOutdated:
		return "--outdated"
	case okr.HealthClosed:
		return "--closed"
	}
	return "--pending"
}

// chartDataset and chartSpec are the JSON app.js draws a chart from.
type chartDataset struct {
	Label string `json:"label"`
	Data  []int  `json:"data"`
	Color string `json:"color"`
}

type chartSpec struct {
	Type     string         `json:"type"`
	Stacked  bool           `json:"stacked"`
	Labels   []string       `json:"labels"`
	Datasets []chartDataset `json:"datasets"`
}

// healthChart is the health distribution as a stacked bar chart.
func (v dashboardView) healthChart() chartSpec {
	spec := chartSpec{Type: "bar", Stacked: true, Labels: []string{"Objectives", "Key results"}}
	for _, r := range v.healthRows() {
		if r.Objectives+r.KeyResults == 0 {
			continue
		}
		spec.Datasets = append(spec.Datasets, chartDataset{Label: healthWord(r.Health), Data: []int{r.Objectives, r.KeyResults},
			Color: healthColor(r.Health)})
	}
	return spec
}

// gapText says how far progress is from what is expected by now, in points.
func gapText(progress, expected float64) string {
	gap := int(math.Round((progress - expected) * 100))
	switch {
	case gap > 0:
		return "+" + strconv.Itoa(gap) + " pts"
	case gap < 0:
		return "−" + strconv.Itoa(-gap) + " pts"
	}
	return "on plan"
}

// disciplineText is "3 of 6 checked in".
func disciplineText(d okr.Discipline) string {
	return strconv.Itoa(d.OnTime) + " of " + strconv.Itoa(d.Total)
}

// share is part of whole (0 when whole is 0).
func share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

func (v dashboardView) teamFilterHref(teamID string) templ.SafeURL {
	u := "/dashboard?period=" + v.S.Period.ID
	if teamID != "" {
		u += "&team=" + teamID
	}
	return templ.SafeURL(u)
}

// joinReasons writes a risk's reasons as one sentence-like line.
func joinReasons(rs []string) string {
	out := strings.Join(rs, " · ")
	if out == "" {
		return ""
	}
	r := []rune(out)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
