package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/a-h/templ"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// alView is the alignment page: a period's objectives from the
// company down to teams and people.
type alView struct {
	S       *Shell
	D       *directory
	Outline app.AlignmentOutline
	Filter  app.AlignmentFilter
	FE      FieldErrors
	// Expand is "all", "none" or "" (the default: top level open).
	Expand string
	Query  url.Values
}

// alignment shows the alignment tree of the selected period, filtered by
// team, owner and health (GET parameters, so it works without JavaScript).
func (h *Handler) alignment(w http.ResponseWriter, r *Request) {
	s := h.shell(w, r, "Alignment", "alignment")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := alView{S: s, D: d, Query: q, Expand: q.Get("expand"),
		Filter: app.AlignmentFilter{TeamID: q.Get("team"), OwnerID: q.Get("owner"), Health: okr.Health(q.Get("health"))}}
	if v.Expand != "all" && v.Expand != "none" {
		v.Expand = ""
	}
	if s.Period.ID == "" {
		h.render(w, r.Request, 0, alignmentPage(v))
		return
	}
	status := 0
	v.Outline, err = h.app.AlignmentOutline(r.Ctx(), r.Actor, s.Period.ID, v.Filter)
	if fe, ok := fieldErrors(err); ok {
		// A filter naming nothing we know: say so beside it, show everything.
		v.FE, status = fe, http.StatusUnprocessableEntity
		v.Outline, err = h.app.AlignmentOutline(r.Ctx(), r.Actor, s.Period.ID, app.AlignmentFilter{})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, status, alignmentPage(v))
}

// open says whether an objective's key results and aligned objectives show.
func (v alView) open(o *app.OutlineObjective) bool {
	switch v.Expand {
	case "all":
		return true
	case "none":
		return false
	}
	return o.Depth == 0 || v.Filter.Active()
}

// with is the page's address with one parameter changed ("" removes it).
func (v alView) with(key, value string) templ.SafeURL {
	q := url.Values{}
	for k, vs := range v.Query {
		q[k] = slices.Clone(vs)
	}
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	if v.S.Period.ID != "" {
		q.Set("period", v.S.Period.ID)
	}
	return templ.SafeURL("/alignment?" + q.Encode())
}

// clearFilters keeps the period and the expansion, and drops the filters.
func (v alView) clearFilters() templ.SafeURL {
	q := url.Values{}
	if v.S.Period.ID != "" {
		q.Set("period", v.S.Period.ID)
	}
	if v.Expand != "" {
		q.Set("expand", v.Expand)
	}
	return templ.SafeURL("/alignment?" + q.Encode())
}

// alRootGroup is the roots of one owner level.
type alRootGroup struct {
	Title, Note string
	Roots       []*app.OutlineObjective
}

// groups splits the roots by owner: company, teams, people.
func (v alView) groups() []alRootGroup {
	gs := []alRootGroup{
		{Title: "Company", Note: ""},
		{Title: "Teams", Note: "Team objectives not aligned to a company objective."},
		{Title: "People", Note: "Personal objectives not aligned to a team or company objective."},
	}
	for _, r := range v.Outline.Roots {
		i := 0
		if r.Owner != nil {
			switch r.Owner.Type {
			case okr.OwnerTeam:
				i = 1
			case okr.OwnerUser:
				i = 2
			}
		}
		gs[i].Roots = append(gs[i].Roots, r)
	}
	out := gs[:0]
	for _, g := range gs {
		if len(g.Roots) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// alSortedMembers lists the people by name, for the owner filter.
func (d *directory) alSortedMembers() []org.Member {
	ms := slices.Clone(d.Members)
	slices.SortFunc(ms, func(a, b org.Member) int { return strings.Compare(a.Name, b.Name) })
	return ms
}

var alHealthChoices = []okr.Health{okr.HealthOnTrack, okr.HealthAtRisk, okr.HealthOffTrack, okr.HealthOutdated, okr.HealthPending, okr.HealthClosed}

// alNodeKR is the part of a key result that says how to show its values.
func alNodeKR(n app.TreeNode) okr.KeyResult {
	return okr.KeyResult{Kind: n.KRKind, Unit: n.Unit, UnitLabel: n.UnitLabel, Currency: n.Currency}
}

// alChildSummary says what a collapsed objective holds: "3 key results · 2 aligned objectives".
func alChildSummary(o *app.OutlineObjective) string {
	var parts []string
	if n := len(o.KeyResults); n > 0 {
		parts = append(parts, okr.Plural(n, "key result"))
	}
	if n := len(o.Children); n > 0 {
		parts = append(parts, okr.Plural(n, "aligned objective"))
	}
	return strings.Join(parts, " · ")
}

func objHref(id string) templ.SafeURL { return templ.SafeURL("/objectives/" + id) }

func objKRHref(objectiveID, id string) templ.SafeURL {
	return templ.SafeURL("/objectives/" + objectiveID + "#kr-" + id)
}

func alKindWord(k string) string {
	if k == string(okr.Aspirational) {
		return "Aspirational"
	}
	return "Committed"
}

func alVisibilityWord(v okr.Visibility) string {
	switch v {
	case okr.Private:
		return "Private"
	case okr.Team:
		return "Team only"
	}
	return "Public"
}

func alExpected(n app.TreeNode) float64 {
	if n.State == okr.Closed {
		return -1
	}
	return n.Expected
}

// alPluralWord is a word for a count: "objective" or "objectives".
func alPluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// alValueText shows a key result's value against its target in its unit:
// "25.4 hours → 21 hours"; a milestone result as the share of its
// milestones done, a yes/no result as done or not yet.
func alValueText(k okr.KeyResult, current, target float64) string {
	switch k.Kind {
	case okr.Boolean:
		return krValue(k, current)
	case okr.Milestone:
		return pct(current) + " of milestones done"
	}
	return krValue(k, current) + " → " + krValue(k, target)
}

// hasContext reports whether any objective shows only as context.
func (v alView) hasContext() bool {
	var walk func([]*app.OutlineObjective) bool
	walk = func(os []*app.OutlineObjective) bool {
		for _, o := range os {
			if !o.Match || walk(o.Children) {
				return true
			}
		}
		return false
	}
	return walk(v.Outline.Roots)
}
