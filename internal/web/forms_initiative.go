package web

import (
	"net/http"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

// initiativeForm is what the initiative form shows and sends back, as typed.
type initiativeForm struct {
	ID             string // empty for a new initiative
	Version        int
	Idem           string
	Title          string
	Description    string
	OwnerID        string
	Status         string
	StartDate      string
	DueDate        string
	BudgetAmount   string
	BudgetCurrency string
	EffortDays     string
	ExternalURL    string
	KeyResultIDs   map[string]bool
	Tasks          []taskRow // new initiatives only; later on its page
	// What the form offers: the key results of a period, and linked ones
	// of other periods.
	Period  okr.Period
	Choices []app.AlignmentChoice
	Others  []okr.KeyResult
	Dir     *directory
	Crumbs  []Crumb
	// Slug is the stored initiative's; Coach the coach's hints (coach.go).
	Slug  string
	Coach *coachHints
}

// taskRow is a task typed into the new-initiative form.
type taskRow struct{ Title, AssigneeID, DueDate string }

const blankTaskRows = 3

func readInitiativeForm(r *http.Request) *initiativeForm {
	_ = r.ParseForm()
	f := &initiativeForm{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		OwnerID: r.PostFormValue("owner_id"), Status: r.PostFormValue("status"), StartDate: r.PostFormValue("start_date"),
		DueDate: r.PostFormValue("due_date"), BudgetAmount: strings.TrimSpace(r.PostFormValue("budget_amount")),
		BudgetCurrency: r.PostFormValue("budget_currency"), EffortDays: r.PostFormValue("effort_days"),
		ExternalURL: strings.TrimSpace(r.PostFormValue("external_url")), KeyResultIDs: map[string]bool{}, Idem: formKeyOf(r)}
	for _, id := range r.PostForm["key_result_ids"] {
		f.KeyResultIDs[id] = true
	}
	titles, assignees, dues := r.PostForm["task_title"], r.PostForm["task_assignee"], r.PostForm["task_due"]
	for i, t := range titles {
		if strings.TrimSpace(t) == "" {
			continue
		}
		row := taskRow{Title: t}
		if i < len(assignees) {
			row.AssigneeID = assignees[i]
		}
		if i < len(dues) {
			row.DueDate = dues[i]
		}
		f.Tasks = append(f.Tasks, row)
	}
	return f
}

func (f *initiativeForm) padTasks() {
	for range blankTaskRows {
		f.Tasks = append(f.Tasks, taskRow{})
	}
}

// keyResultIDs are the chosen key results, in the order the form lists them.
func (f *initiativeForm) keyResultIDs() []string {
	out := []string{}
	seen := map[string]bool{}
	add := func(id string) {
		if f.KeyResultIDs[id] && !seen[id] {
			out = append(out, id)
			seen[id] = true
		}
	}
	for _, c := range f.Choices {
		for _, k := range c.KeyResults {
			add(k.ID)
		}
	}
	for _, k := range f.Others {
		add(k.ID)
	}
	for id := range f.KeyResultIDs {
		add(id)
	}
	return out
}

// budget is the typed budget; an empty amount means none.
func (f *initiativeForm) budget() *app.MoneyInput {
	if f.BudgetAmount == "" {
		return nil
	}
	return &app.MoneyInput{Amount: strings.ReplaceAll(f.BudgetAmount, ",", ""), Currency: f.BudgetCurrency}
}

// fillInitiativeOffer loads the key results the form offers: those of the
// period of the first chosen key result (else the period the person looks
// at), plus chosen ones of other periods; and the crumbs back to the
// objective of the first key result.
func (h *Handler) fillInitiativeOffer(w http.ResponseWriter, r *Request, f *initiativeForm, first string) error {
	var err error
	if f.Dir, err = h.directory(r); err != nil {
		return err
	}
	periodID := ""
	if first != "" {
		k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, first)
		if err != nil {
			return err
		}
		o, err := h.app.GetObjective(r.Ctx(), r.Actor, k.ObjectiveID)
		if err != nil {
			return err
		}
		periodID, f.Crumbs = o.PeriodID, formObjectiveCrumbs(o)
	}
	if periodID == "" {
		ps, err := h.periods(r)
		if err != nil {
			return err
		}
		periodID = pickPeriod(ps, "", cookieValue(r.Request, periodCookie)).ID
	}
	if periodID == "" {
		return nil
	}
	if f.Period, err = h.app.GetPeriod(r.Ctx(), r.Actor, periodID); err != nil {
		return err
	}
	if f.Choices, err = h.app.AlignmentChoices(r.Ctx(), r.Actor, periodID, ""); err != nil {
		return err
	}
	listed := map[string]bool{}
	for _, c := range f.Choices {
		for _, k := range c.KeyResults {
			listed[k.ID] = true
		}
	}
	for id := range f.KeyResultIDs {
		if listed[id] {
			continue
		}
		if k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, id); err == nil {
			f.Others = append(f.Others, k)
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
	}
	return nil
}

func (h *Handler) showInitiativeForm(w http.ResponseWriter, r *Request, f *initiativeForm, fe FieldErrors, status int) {
	title := "New initiative"
	if f.ID != "" {
		title = "Edit initiative"
	}
	f.Coach = h.initiativeHints(r, f)
	s := h.shell(w, r, title, "alignment")
	s.Crumbs = f.Crumbs
	if f.ID != "" {
		s.Crumbs = append(append([]Crumb{}, s.Crumbs...), Crumb{Label: f.Title, Href: "/initiatives/" + f.ID})
	}
	h.render(w, r.Request, status, initiativeFormPage(s, f, fe))
}

// firstChosen is the first key result chosen, to place the form.
func firstChosen(ids []string) string {
	if len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// newInitiative shows the form for a new initiative; ?key_result= links it.
func (h *Handler) newInitiative(w http.ResponseWriter, r *Request) {
	f := &initiativeForm{OwnerID: r.Actor.UserID, Status: string(okr.Planned), KeyResultIDs: map[string]bool{}, Idem: formKey()}
	kr := r.URL.Query().Get("key_result")
	if kr != "" {
		f.KeyResultIDs[kr] = true
	}
	if err := h.fillInitiativeOffer(w, r, f, kr); err != nil {
		h.fail(w, r, err)
		return
	}
	f.padTasks()
	h.showInitiativeForm(w, r, f, nil, 0)
}

// createInitiative posts the new initiative, with its first tasks, to CreateInitiative.
func (h *Handler) createInitiative(w http.ResponseWriter, r *Request) {
	f := readInitiativeForm(r.Request)
	chosen := r.PostForm["key_result_ids"]
	if err := h.fillInitiativeOffer(w, r, f, firstChosen(chosen)); err != nil {
		h.fail(w, r, err)
		return
	}
	fe := FieldErrors{}
	in := app.InitiativeInput{Title: f.Title, Description: f.Description, OwnerID: f.OwnerID,
		Status: okr.InitiativeStatus(f.Status), StartDate: okr.Date(f.StartDate), DueDate: okr.Date(f.DueDate),
		Budget: f.budget(), EffortDays: formNumberField(r.Request, "effort_days", fe), KeyResultIDs: f.keyResultIDs(),
		ExternalURL: f.ExternalURL}
	for _, t := range f.Tasks {
		in.Tasks = append(in.Tasks, app.TaskInput{Title: t.Title, AssigneeID: t.AssigneeID, DueDate: okr.Date(t.DueDate)})
	}
	var out okr.Initiative
	var err error
	if len(fe) == 0 {
		out, err = h.app.CreateInitiative(r.Ctx(), r.Actor, in, f.Idem)
	}
	if more, ok := fieldErrors(err); ok || len(fe) > 0 {
		for k, v := range more {
			fe[k] = v
		}
		f.padTasks()
		h.showInitiativeForm(w, r, f, fe, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/initiatives/"+out.ID, "Initiative created.")
}

// editInitiative shows an initiative's edit form (its tasks are on its page).
func (h *Handler) editInitiative(w http.ResponseWriter, r *Request) {
	in, err := h.app.GetInitiative(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := &initiativeForm{ID: in.ID, Slug: in.Slug, Version: in.Version, Title: in.Title, Description: in.Description, OwnerID: in.OwnerID,
		Status: string(in.Status), StartDate: string(in.StartDate), DueDate: string(in.DueDate), ExternalURL: in.ExternalURL,
		KeyResultIDs: map[string]bool{}}
	if in.Budget != nil {
		f.BudgetAmount, f.BudgetCurrency = in.Budget.Amount, in.Budget.Currency
	}
	f.EffortDays = formNumberPtr(in.EffortDays)
	for _, id := range in.KeyResultIDs {
		f.KeyResultIDs[id] = true
	}
	if err := h.fillInitiativeOffer(w, r, f, firstChosen(in.KeyResultIDs)); err != nil {
		h.fail(w, r, err)
		return
	}
	h.showInitiativeForm(w, r, f, nil, 0)
}

// updateInitiative posts the edit to UpdateInitiative with the form's version.
func (h *Handler) updateInitiative(w http.ResponseWriter, r *Request) {
	before, err := h.app.GetInitiative(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := readInitiativeForm(r.Request)
	f.ID, f.Slug, f.Tasks = before.ID, before.Slug, nil
	version := formVersion(r.Request)
	if version != nil {
		f.Version = *version
	}
	if err := h.fillInitiativeOffer(w, r, f, firstChosen(r.PostForm["key_result_ids"])); err != nil {
		h.fail(w, r, err)
		return
	}
	fe := FieldErrors{}
	status, start, due, ids := okr.InitiativeStatus(f.Status), okr.Date(f.StartDate), okr.Date(f.DueDate), f.keyResultIDs()
	up := app.InitiativeUpdate{Title: &f.Title, Description: &f.Description, OwnerID: &f.OwnerID, Status: &status,
		StartDate: &start, DueDate: &due, KeyResultIDs: &ids, ExternalURL: &f.ExternalURL,
		EffortDays: formNumberField(r.Request, "effort_days", fe)}
	if b := f.budget(); b != nil {
		up.Budget = b
	} else if before.Budget != nil {
		up.Budget = &app.MoneyInput{} // an empty amount removes the budget
	}
	if len(fe) == 0 {
		_, err = h.app.UpdateInitiative(r.Ctx(), r.Actor, before.ID, version, up)
	}
	code := http.StatusUnprocessableEntity
	if formIsStale(err) {
		fe[""], code = formStaleMessage("initiative"), http.StatusConflict
	} else if more, ok := fieldErrors(err); ok {
		for k, v := range more {
			fe[k] = v
		}
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(fe) > 0 {
		h.showInitiativeForm(w, r, f, fe, code)
		return
	}
	h.redirect(w, r.Request, "/initiatives/"+before.ID, "Initiative saved.")
}

// initiativeView is an initiative as its page shows it.
type initiativeView struct {
	In         okr.Initiative
	KeyResults []linkedKeyResult
	Dir        *directory
	// Task is the add-task form as typed, with its errors (and a message
	// about the whole list, e.g. a stale version).
	Task   taskRow
	TaskFE FieldErrors
}

// linkedKeyResult is a key result an initiative moves, with its objective.
type linkedKeyResult struct {
	KR        okr.KeyResult
	Objective okr.Objective
}

func (h *Handler) loadInitiativeView(r *Request, id string) (*initiativeView, error) {
	in, err := h.app.GetInitiative(r.Ctx(), r.Actor, id)
	if err != nil {
		return nil, err
	}
	v := &initiativeView{In: in}
	if v.Dir, err = h.directory(r); err != nil {
		return nil, err
	}
	for _, kid := range in.KeyResultIDs {
		k, err := h.app.GetKeyResult(r.Ctx(), r.Actor, kid)
		if errs.Is(err, errs.NotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		o, err := h.app.GetObjective(r.Ctx(), r.Actor, k.ObjectiveID)
		if err != nil {
			return nil, err
		}
		v.KeyResults = append(v.KeyResults, linkedKeyResult{KR: k, Objective: o})
	}
	return v, nil
}

// initiative shows an initiative: its details, the key results it moves
// and its task checklist.
func (h *Handler) initiative(w http.ResponseWriter, r *Request) {
	v, err := h.loadInitiativeView(r, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showInitiative(w, r, v, 0)
}

func (h *Handler) showInitiative(w http.ResponseWriter, r *Request, v *initiativeView, status int) {
	s := h.shell(w, r, v.In.Title, "alignment")
	if len(v.KeyResults) > 0 {
		s.Crumbs = formObjectiveCrumbs(v.KeyResults[0].Objective)
	} else {
		s.Crumbs = []Crumb{{Label: "Home", Href: "/"}}
	}
	h.render(w, r.Request, status, initiativePage(s, v))
}

// taskAnswer answers a change of the task list: the list alone for htmx
// (always 200, so that htmx swaps it in, errors included), else the page
// again on an error, or back to the page.
func (h *Handler) taskAnswer(w http.ResponseWriter, r *Request, id string, err error, typed taskRow) {
	fe := FieldErrors{}
	status := 0
	if formIsStale(err) {
		fe[""] = "Someone changed this initiative meanwhile; here is its current task list. Make your change again if it is still needed."
		status = http.StatusConflict
	} else if more, ok := fieldErrors(err); ok {
		fe, status = more, http.StatusUnprocessableEntity
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(fe) == 0 && !formIsHTMX(r.Request) {
		h.redirect(w, r.Request, "/initiatives/"+id+"#tasks", "")
		return
	}
	v, lerr := h.loadInitiativeView(r, id)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	if len(fe) > 0 {
		v.Task, v.TaskFE = typed, fe
	}
	if formIsHTMX(r.Request) {
		h.render(w, r.Request, 0, initiativeTasks(formFragmentShell(r), v))
		return
	}
	h.showInitiative(w, r, v, status)
}

// formFragmentShell is the little of the shell a fragment needs: the CSRF token.
func formFragmentShell(r *Request) *Shell { return &Shell{CSRF: r.CSRF} }

// addTask adds a task from the form under the checklist.
func (h *Handler) addTask(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	t := taskRow{Title: r.PostFormValue("title"), AssigneeID: r.PostFormValue("assignee_id"), DueDate: r.PostFormValue("due_date")}
	_, err := h.app.AddTask(r.Ctx(), r.Actor, id, formVersion(r.Request),
		app.TaskInput{Title: t.Title, AssigneeID: t.AssigneeID, DueDate: okr.Date(t.DueDate)})
	h.taskAnswer(w, r, id, err, t)
}

// toggleTask ticks a task done (done=true) or undone.
func (h *Handler) toggleTask(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	_, err := h.app.SetTaskDone(r.Ctx(), r.Actor, id, r.PathValue("task"), formVersion(r.Request), r.PostFormValue("done") == "true")
	h.taskAnswer(w, r, id, err, taskRow{})
}

// deleteTask removes a task.
func (h *Handler) deleteTask(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	_, err := h.app.DeleteTask(r.Ctx(), r.Actor, id, r.PathValue("task"), formVersion(r.Request))
	h.taskAnswer(w, r, id, err, taskRow{})
}

// deleteInitiativeConfirm asks before deleting an initiative.
func (h *Handler) deleteInitiativeConfirm(w http.ResponseWriter, r *Request) {
	v, err := h.loadInitiativeView(r, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, "Delete initiative", "alignment")
	if len(v.KeyResults) > 0 {
		s.Crumbs = formObjectiveCrumbs(v.KeyResults[0].Objective)
	}
	s.Crumbs = append(s.Crumbs, Crumb{Label: v.In.Title, Href: "/initiatives/" + v.In.ID})
	h.render(w, r.Request, 0, formDeleteConfirmPage(s, formDeleteConfirm{
		What: "initiative", Title: v.In.Title, Action: "/initiatives/" + v.In.ID + "/delete", Back: "/initiatives/" + v.In.ID,
		Consequences: []string{
			"Its " + okr.Plural(len(v.In.Tasks), "task") + " and its comments are deleted with it.",
			"The key results it was linked to keep their values: an initiative never counts in progress.",
			"This cannot be undone. To stop the work but keep the record, set its status to cancelled.",
		}}))
}

// deleteInitiative deletes an initiative after the confirmation.
func (h *Handler) deleteInitiative(w http.ResponseWriter, r *Request) {
	v, err := h.loadInitiativeView(r, r.PathValue("id"))
	if err == nil {
		err = h.app.DeleteInitiative(r.Ctx(), r.Actor, v.In.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	to := "/"
	if len(v.KeyResults) > 0 {
		to = "/objectives/" + v.KeyResults[0].Objective.ID
	}
	h.redirect(w, r.Request, to, "Initiative “"+v.In.Title+"” deleted.")
}

// tasksDone counts the tasks ticked done.
func tasksDone(ts []okr.Task) int {
	n := 0
	for _, t := range ts {
		if t.Done {
			n++
		}
	}
	return n
}

// taskField is the use case's name of a task's field.
func taskField(i int, name string) string { return "tasks[" + formInt(i) + "]." + name }
