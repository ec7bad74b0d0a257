package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
)

// Admin › Webhooks (list, register with the secret shown once, a webhook's
// settings and delivery log, ping, delete) and Admin › Jobs (the
// dead-letter view: dead and retrying jobs, retry and discard).

const (
	adminTabWebhooks adminTab = "webhooks"
	adminTabJobs     adminTab = "jobs"
)

func (h *Handler) webhookRoutes() {
	m := h.mux
	m.HandleFunc("GET /admin/webhooks", h.signedIn(h.whList))
	m.HandleFunc("POST /admin/webhooks", h.signedIn(h.whCreate))
	m.HandleFunc("GET /admin/webhooks/{id}", h.signedIn(h.whShow))
	m.HandleFunc("POST /admin/webhooks/{id}", h.signedIn(h.whUpdate))
	m.HandleFunc("POST /admin/webhooks/{id}/ping", h.signedIn(h.whPing))
	m.HandleFunc("POST /admin/webhooks/{id}/delete", h.signedIn(h.whDelete))
	m.HandleFunc("GET /admin/jobs", h.signedIn(h.jobsList))
	m.HandleFunc("POST /admin/jobs/{id}/retry", h.signedIn(h.jobsRetry))
	m.HandleFunc("POST /admin/jobs/{id}/discard", h.signedIn(h.jobsDiscard))
}

// whForm is the webhook form as shown or typed.
type whForm struct {
	URL, Events, Description string
	Active                   bool
	Version                  int
	Key                      string
	Errors                   FieldErrors
}

// whEvents splits the typed event list on commas and white space.
func whEvents(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// whFieldErrors folds "events[2]" into "events", the field the form has.
func whFieldErrors(fe FieldErrors) FieldErrors {
	for k, v := range fe {
		if strings.HasPrefix(k, "events[") {
			if fe["events"] == "" {
				fe["events"] = v
			}
			delete(fe, k)
		}
	}
	return fe
}

// whListView is the webhooks page.
type whListView struct {
	Frame    adminFrame
	Webhooks []app.Webhook
	Form     whForm
	Created  *app.NewWebhook
	Now      time.Time
	Loc      *time.Location
}

func (h *Handler) whRenderList(w http.ResponseWriter, r *Request, status int, v whListView) {
	s, f, ok := h.adminShell(w, r, "Webhooks", adminTabWebhooks)
	if !ok {
		return
	}
	v.Frame, v.Now, v.Loc = f, time.Now(), s.Me.Org.Location()
	for p := (app.PageRequest{Limit: 200}); ; {
		page, err := h.app.ListWebhooks(r.Context(), r.Actor, p)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Webhooks = append(v.Webhooks, page.Items...)
		if page.NextCursor == "" {
			break
		}
		p.Cursor = page.NextCursor
	}
	if v.Form.Key == "" || v.Created != nil {
		v.Form = whForm{Events: "*", Active: true, Key: adminFormKey()}
	}
	h.render(w, r.Request, status, webhooksPage(s, v))
}

func (h *Handler) whList(w http.ResponseWriter, r *Request) { h.whRenderList(w, r, 0, whListView{}) }

func (h *Handler) whCreate(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	_ = r.ParseForm()
	form := whForm{URL: r.PostFormValue("url"), Events: r.PostFormValue("events"), Description: r.PostFormValue("description"),
		Active: r.PostFormValue("active") != "", Key: r.PostFormValue("key")}
	active := form.Active
	hook, err := h.app.CreateWebhook(r.Context(), r.Actor, app.WebhookInput{URL: form.URL, Events: whEvents(form.Events),
		Description: form.Description, Active: &active}, form.Key)
	if fe, ok := fieldErrors(err); ok {
		form.Errors = whFieldErrors(fe)
		h.whRenderList(w, r, adminStatus(err), whListView{Form: form})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.whRenderList(w, r, http.StatusCreated, whListView{Created: &hook})
}

// whShowView is a webhook's page: its settings and delivery log.
type whShowView struct {
	Frame      adminFrame
	Webhook    app.Webhook
	Form       whForm
	Deliveries []app.Delivery
	More       bool
	Now        time.Time
	Loc        *time.Location
}

func (h *Handler) whRenderShow(w http.ResponseWriter, r *Request, status int, form *whForm) {
	hook, err := h.app.GetWebhook(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := h.app.ListDeliveries(r.Context(), r.Actor, hook.ID, app.PageRequest{Limit: 50})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s, f, ok := h.adminShell(w, r, "Webhook", adminTabWebhooks)
	if !ok {
		return
	}
	s.Crumbs = append(s.Crumbs, Crumb{Label: "Webhooks", Href: "/admin/webhooks"})
	v := whShowView{Frame: f, Webhook: hook, Deliveries: page.Items, More: page.NextCursor != "", Now: time.Now(), Loc: s.Me.Org.Location()}
	if form != nil {
		v.Form = *form
	} else {
		v.Form = whForm{URL: hook.URL, Events: strings.Join(hook.Events, ", "), Description: hook.Description, Active: hook.Active, Version: hook.Version}
	}
	h.render(w, r.Request, status, webhookPage(s, v))
}

func (h *Handler) whShow(w http.ResponseWriter, r *Request) { h.whRenderShow(w, r, 0, nil) }

func (h *Handler) whUpdate(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	_ = r.ParseForm()
	form := whForm{URL: r.PostFormValue("url"), Events: r.PostFormValue("events"), Description: r.PostFormValue("description"),
		Active: r.PostFormValue("active") != ""}
	form.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	events := whEvents(form.Events)
	active := form.Active
	version := form.Version
	_, err := h.app.UpdateWebhook(r.Context(), r.Actor, r.PathValue("id"), &version,
		app.WebhookUpdate{URL: &form.URL, Events: &events, Description: &form.Description, Active: &active})
	if fe, ok := fieldErrors(err); ok {
		form.Errors = whFieldErrors(fe)
		h.whRenderShow(w, r, adminStatus(err), &form)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/webhooks/"+r.PathValue("id"), "The webhook is saved.")
}

func (h *Handler) whPing(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	if _, err := h.app.PingWebhook(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/webhooks/"+r.PathValue("id")+"#deliveries",
		"A ping is on its way: its delivery appears in the log below within seconds.")
}

func (h *Handler) whDelete(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	if err := h.app.DeleteWebhook(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/webhooks", "The webhook is deleted: nothing more is sent to it.")
}

// jobsView is the jobs page: the dead-letter queue and the retrying jobs.
type jobsView struct {
	Frame          adminFrame
	Dead, Retrying []app.Job
	Now            time.Time
	Loc            *time.Location
}

func (h *Handler) jobsList(w http.ResponseWriter, r *Request) {
	s, f, ok := h.adminShell(w, r, "Background jobs", adminTabJobs)
	if !ok {
		return
	}
	v := jobsView{Frame: f, Now: time.Now(), Loc: s.Me.Org.Location()}
	for _, st := range []struct {
		state string
		into  *[]app.Job
	}{{"dead", &v.Dead}, {"retrying", &v.Retrying}} {
		page, err := h.app.ListJobs(r.Context(), r.Actor, st.state, app.PageRequest{Limit: 100})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		*st.into = page.Items
	}
	h.render(w, r.Request, 0, jobsPage(s, v))
}

func (h *Handler) jobsRetry(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	if _, err := h.app.RetryJob(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/jobs", "The job is queued again and runs within seconds.")
}

func (h *Handler) jobsDiscard(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	if err := h.app.DiscardJob(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/jobs", "The job is discarded.")
}

// jobKindLabel says what a kind of job does, in words.
func jobKindLabel(kind string) string {
	switch kind {
	case app.JobNotificationEmail:
		return "E-mail of a notification"
	case app.JobChat:
		return "Chat message"
	case app.JobWebhook:
		return "Webhook delivery"
	case app.JobReminders:
		return "Check-in reminders"
	case app.JobDigest:
		return "Weekly digest"
	}
	return kind
}

// deliveryStatusLabel says a delivery's status in words.
func deliveryStatusLabel(d app.Delivery) string {
	switch d.Status {
	case app.DeliveryDelivered:
		return "Delivered"
	case app.DeliveryFailed:
		return "Failed"
	}
	if d.Attempts > 0 {
		return "Retrying"
	}
	return "Queued"
}

// whenLabel names the jobs table's time column on phones.
func whenLabel(dead bool) string {
	if dead {
		return "Gave up"
	}
	return "Next attempt"
}
