package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// adminPeriodNode is a period at its depth: a year, then its quarters.
type adminPeriodNode struct {
	okr.Period
	Depth int
}

// adminPeriodTree orders periods for the list: top-level periods newest
// first, each followed by the periods inside it in date order.
func adminPeriodTree(ps []okr.Period) []adminPeriodNode {
	known := map[string]bool{}
	for _, p := range ps {
		known[p.ID] = true
	}
	children := map[string][]okr.Period{}
	for _, p := range ps {
		parent := p.ParentID
		if !known[parent] {
			parent = ""
		}
		children[parent] = append(children[parent], p)
	}
	for parent, list := range children {
		slices.SortStableFunc(list, func(a, b okr.Period) int {
			if parent == "" {
				return strings.Compare(string(b.StartDate), string(a.StartDate))
			}
			return strings.Compare(string(a.StartDate), string(b.StartDate))
		})
	}
	var out []adminPeriodNode
	seen := map[string]bool{}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, p := range children[parent] {
			if seen[p.ID] {
				continue
			}
			seen[p.ID] = true
			out = append(out, adminPeriodNode{Period: p, Depth: depth})
			walk(p.ID, depth+1)
		}
	}
	walk("", 0)
	return out
}

// adminPeriodForm is the period form's input and errors.
type adminPeriodForm struct {
	ID, Name, Kind, StartDate, EndDate, ParentID string
	Version                                      int
	Key                                          string
	Errors                                       FieldErrors
}

func (f adminPeriodForm) Action() string {
	if f.ID == "" {
		return "/admin/periods"
	}
	return "/admin/periods/" + f.ID
}

func adminPeriodFormInput(r *Request) adminPeriodForm {
	return adminPeriodForm{Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"),
		StartDate: strings.TrimSpace(r.PostFormValue("start_date")), EndDate: strings.TrimSpace(r.PostFormValue("end_date")),
		ParentID: r.PostFormValue("parent_id"), Key: r.PostFormValue("key")}
}

// adminPeriodsView is the periods page: the list and the form for a new one.
type adminPeriodsView struct {
	Frame   adminFrame
	Tree    []adminPeriodNode
	Names   map[string]string
	Form    adminPeriodForm
	Created string // id of a period just created, highlighted
}

func (h *Handler) adminRenderPeriods(w http.ResponseWriter, r *Request, status int, form adminPeriodForm) {
	s, f, ok := h.adminShell(w, r, "Periods", adminTabPeriods)
	if !ok {
		return
	}
	v := adminPeriodsView{Frame: f, Tree: adminPeriodTree(s.Periods), Names: map[string]string{}, Form: form}
	for _, p := range s.Periods {
		v.Names[p.ID] = p.Name
	}
	if v.Form.Kind == "" {
		v.Form.Kind = string(okr.PeriodQuarterly)
	}
	h.render(w, r.Request, status, adminPeriodsPage(s, v))
}

func (h *Handler) adminPeriods(w http.ResponseWriter, r *Request) {
	h.adminRenderPeriods(w, r, 0, adminPeriodForm{Key: adminFormKey()})
}

func (h *Handler) adminCreatePeriod(w http.ResponseWriter, r *Request) {
	pf := adminPeriodFormInput(r)
	p, err := h.app.CreatePeriod(r.Context(), r.Actor, app.PeriodInput{Name: pf.Name, Kind: okr.PeriodKind(pf.Kind),
		StartDate: okr.Date(pf.StartDate), EndDate: okr.Date(pf.EndDate), ParentID: pf.ParentID}, pf.Key)
	if fe, ok := fieldErrors(err); ok {
		pf.Errors = fe
		h.adminRenderPeriods(w, r, adminStatus(err), pf)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/periods",
		"Period "+p.Name+" is created, in planning: people can draft OKRs in it. Activate it when it starts.")
}

// adminPeriodEditView is the form that changes a period.
type adminPeriodEditView struct {
	Frame   adminFrame
	Period  okr.Period
	Form    adminPeriodForm
	Parents []adminPeriodNode
}

func (h *Handler) adminRenderPeriodEdit(w http.ResponseWriter, r *Request, status int, p okr.Period, form adminPeriodForm) {
	s, f, ok := h.adminShell(w, r, "Edit "+p.Name, adminTabPeriods)
	if !ok {
		return
	}
	s.Crumbs = append(s.Crumbs, Crumb{Label: "Periods", Href: "/admin/periods"})
	v := adminPeriodEditView{Frame: f, Period: p, Form: form}
	for _, n := range adminPeriodTree(s.Periods) {
		if n.ID != p.ID {
			v.Parents = append(v.Parents, n)
		}
	}
	h.render(w, r.Request, status, adminPeriodEditPage(s, v))
}

func (h *Handler) adminEditPeriod(w http.ResponseWriter, r *Request) {
	p, err := h.app.GetPeriod(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.adminRenderPeriodEdit(w, r, 0, p, adminPeriodForm{ID: p.ID, Name: p.Name, Kind: string(p.Kind), StartDate: string(p.StartDate),
		EndDate: string(p.EndDate), ParentID: p.ParentID, Version: p.Version})
}

func (h *Handler) adminUpdatePeriod(w http.ResponseWriter, r *Request) {
	p, err := h.app.GetPeriod(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pf := adminPeriodFormInput(r)
	pf.ID = p.ID
	version := adminVersion(r)
	if version != nil {
		pf.Version = *version
	}
	kind, start, end := okr.PeriodKind(pf.Kind), okr.Date(pf.StartDate), okr.Date(pf.EndDate)
	updated, err := h.app.UpdatePeriod(r.Context(), r.Actor, p.ID, version, app.PeriodUpdate{Name: &pf.Name, Kind: &kind,
		StartDate: &start, EndDate: &end, ParentID: &pf.ParentID})
	if fe, ok := fieldErrors(err); ok && r.Actor.IsAdmin() {
		pf.Errors = fe
		h.adminRenderPeriodEdit(w, r, adminStatus(err), p, pf)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/periods", "Period "+updated.Name+" is saved.")
}

func (h *Handler) adminActivatePeriod(w http.ResponseWriter, r *Request) {
	p, err := h.app.ActivatePeriod(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/periods", "Period "+p.Name+" is active: people check in on its key results now.")
}

// adminPeriodCloseView is the confirmation before a period closes.
type adminPeriodCloseView struct {
	Frame  adminFrame
	Period okr.Period
}

func (h *Handler) adminConfirmClosePeriod(w http.ResponseWriter, r *Request) {
	p, err := h.app.GetPeriod(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s, f, ok := h.adminShell(w, r, "Close "+p.Name, adminTabPeriods)
	if !ok {
		return
	}
	s.Crumbs = append(s.Crumbs, Crumb{Label: "Periods", Href: "/admin/periods"})
	h.render(w, r.Request, 0, adminPeriodClosePage(s, adminPeriodCloseView{Frame: f, Period: p}))
}

func (h *Handler) adminClosePeriod(w http.ResponseWriter, r *Request) {
	p, err := h.app.ClosePeriod(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/periods", "Period "+p.Name+" is closed: its OKRs are read-only now.")
}

// adminPeriodKinds are the kinds a period may have.
var adminPeriodKinds = []okr.PeriodKind{okr.PeriodAnnual, okr.PeriodQuarterly, okr.PeriodCustom}

// adminStateWord is a period's state in words.
func adminStateWord(s okr.PeriodState) string {
	switch s {
	case okr.PeriodPlanning:
		return "Planning"
	case okr.PeriodActive:
		return "Active"
	case okr.PeriodClosed:
		return "Closed"
	}
	return string(s)
}
