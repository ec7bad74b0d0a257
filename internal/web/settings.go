package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/org"
)

// Admin → Settings: the organization's check-in cadence and grace days, the
// thresholds of its signals and of the OKR coach, its chat webhook and the
// private addresses webhooks may reach.

const adminTabSettings adminTab = "settings"

func (h *Handler) settingsRoutes() {
	h.mux.HandleFunc("GET /admin/settings", h.signedIn(h.adminSettings))
	h.mux.HandleFunc("POST /admin/settings", h.signedIn(h.adminSaveSettings))
}

// settingsForm is the settings form as shown or typed.
type settingsForm struct {
	Frame                                       adminFrame
	Cadence, GraceDays, BehindPercent, Forecast string
	DecayDays, ChatWebhookURL, PrivateTargets   string
	// Coach holds the coach's thresholds as typed, by form field name.
	Coach   map[string]string
	Version int
	Errors  FieldErrors
}

// cadenceChoices are the cadences a form offers, with their words.
var cadenceChoices = []struct{ Value, Label string }{
	{string(org.Weekly), "Weekly (7 days)"},
	{string(org.Biweekly), "Every two weeks (14 days)"},
	{string(org.Monthly), "Monthly (30 days)"},
}

// coachFields are the coach's whole-number thresholds: the form field, its
// label, its hint and where the update puts it.
var coachFields = []struct {
	Name, Label, Hint string
	value             func(org.CoachSettings) int
	dst               func(*app.CoachUpdate) **int
}{
	{"coach_min_key_results", "Fewest key results", "An objective with fewer (but some) gets a warning.",
		func(c org.CoachSettings) int { return c.MinKeyResults }, func(u *app.CoachUpdate) **int { return &u.MinKeyResults }},
	{"coach_max_key_results", "Most key results", "An objective with more gets a warning.",
		func(c org.CoachSettings) int { return c.MaxKeyResults }, func(u *app.CoachUpdate) **int { return &u.MaxKeyResults }},
	{"coach_min_title_words", "Shortest title (words)", "A shorter objective title gets a warning; 2 words fewer, a failure.",
		func(c org.CoachSettings) int { return c.MinTitleWords }, func(u *app.CoachUpdate) **int { return &u.MinTitleWords }},
	{"coach_max_title_words", "Longest title (words)", "A longer title gets a warning; 8 words more, a failure.",
		func(c org.CoachSettings) int { return c.MaxTitleWords }, func(u *app.CoachUpdate) **int { return &u.MaxTitleWords }},
	{"coach_max_objectives_per_person", "Objectives per person", "Owned or championed in a period; above: a warning, above 1.5×: a failure.",
		func(c org.CoachSettings) int { return c.MaxObjectives }, func(u *app.CoachUpdate) **int { return &u.MaxObjectives }},
	{"coach_max_key_results_per_person", "Key results per person", "Owned in a period; above: a warning, above 1.5×: a failure.",
		func(c org.CoachSettings) int { return c.MaxKeyResultsOwned }, func(u *app.CoachUpdate) **int { return &u.MaxKeyResultsOwned }},
	{"coach_max_initiatives_per_person", "Initiatives per person", "Owned in a period; above: a warning, above 1.5×: a failure.",
		func(c org.CoachSettings) int { return c.MaxInitiatives }, func(u *app.CoachUpdate) **int { return &u.MaxInitiatives }},
}

func settingsFormOf(v app.SettingsView) settingsForm {
	coach := map[string]string{"coach_lofty": strconv.FormatFloat(v.Coach.Lofty, 'f', -1, 64)}
	for _, c := range coachFields {
		coach[c.Name] = strconv.Itoa(c.value(v.Coach))
	}
	return settingsForm{Coach: coach, Cadence: string(v.Cadence), GraceDays: strconv.Itoa(v.GraceDays),
		BehindPercent: strconv.FormatFloat(v.BehindThreshold*100, 'f', -1, 64), Forecast: strconv.Itoa(v.ForecastPoints),
		DecayDays: strconv.Itoa(v.SkillDecayDays), ChatWebhookURL: v.ChatWebhookURL,
		PrivateTargets: strings.Join(v.PrivateWebhookTargets, "\n"), Version: v.Version}
}

func (h *Handler) renderSettings(w http.ResponseWriter, r *Request, status int, f settingsForm) {
	s, frame, ok := h.adminShell(w, r, "Settings", adminTabSettings)
	if !ok {
		return
	}
	f.Frame = frame
	h.render(w, r.Request, status, settingsPage(s, f))
}

func (h *Handler) adminSettings(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	v, err := h.app.GetSettings(r.Ctx(), r.Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderSettings(w, r, 0, settingsFormOf(v))
}

func (h *Handler) adminSaveSettings(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	_ = r.ParseForm()
	f := settingsForm{Cadence: r.PostFormValue("cadence"), GraceDays: r.PostFormValue("grace_days"),
		BehindPercent: r.PostFormValue("behind_percent"), Forecast: r.PostFormValue("forecast_points"),
		DecayDays: r.PostFormValue("skill_decay_days"), ChatWebhookURL: strings.TrimSpace(r.PostFormValue("chat_webhook_url")),
		PrivateTargets: r.PostFormValue("private_webhook_targets"), Coach: map[string]string{}, Errors: FieldErrors{}}
	version := adminVersion(r)
	if version != nil {
		f.Version = *version
	}
	in := app.SettingsUpdate{ChatWebhookURL: &f.ChatWebhookURL}
	c := org.Cadence(f.Cadence)
	in.Cadence = &c
	ints := []struct {
		field, value string
		dst          **int
	}{{"grace_days", f.GraceDays, &in.GraceDays}, {"forecast_points", f.Forecast, &in.ForecastPoints}, {"skill_decay_days", f.DecayDays, &in.SkillDecayDays}}
	for _, x := range ints {
		n, err := strconv.Atoi(strings.TrimSpace(x.value))
		if err != nil {
			f.Errors[x.field] = "enter a whole number"
			continue
		}
		*x.dst = &n
	}
	if p, err := strconv.ParseFloat(strings.TrimSpace(f.BehindPercent), 64); err != nil {
		f.Errors["behind_threshold"] = "enter a percentage, e.g. 25"
	} else {
		t := p / 100
		in.BehindThreshold = &t
	}
	targets := []string{}
	for _, line := range strings.Split(f.PrivateTargets, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			targets = append(targets, line)
		}
	}
	in.PrivateWebhookTargets = &targets
	in.Coach = &app.CoachUpdate{}
	for _, c := range coachFields {
		f.Coach[c.Name] = r.PostFormValue(c.Name)
		n, err := strconv.Atoi(strings.TrimSpace(f.Coach[c.Name]))
		if err != nil {
			f.Errors[c.Name] = "enter a whole number"
			continue
		}
		*c.dst(in.Coach) = &n
	}
	f.Coach["coach_lofty"] = r.PostFormValue("coach_lofty")
	if x, err := strconv.ParseFloat(strings.TrimSpace(f.Coach["coach_lofty"]), 64); err != nil {
		f.Errors["coach_lofty"] = "enter a number above 1, e.g. 3"
	} else {
		in.Coach.Lofty = &x
	}
	if len(f.Errors) > 0 {
		h.renderSettings(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	_, err := h.app.UpdateSettings(r.Ctx(), r.Actor, version, in)
	if fe, ok := fieldErrors(err); ok {
		f.Errors = settingsErrors(fe)
		h.renderSettings(w, r, adminStatus(err), f)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/settings", "Settings are saved.")
}

// settingsErrors puts the use case's messages beside the form's fields:
// the threshold is typed as a percentage, and the private targets are one
// field for all their lines.
func settingsErrors(fe FieldErrors) FieldErrors {
	out := FieldErrors{}
	for k, v := range fe {
		switch {
		case k == "behind_threshold":
			out[k] = "must be between 5 and 95 %"
		case strings.HasPrefix(k, "coach."):
			out["coach_"+strings.TrimPrefix(k, "coach.")] = v
		case strings.HasPrefix(k, "private_webhook_targets"):
			if out["private_webhook_targets"] == "" {
				out["private_webhook_targets"] = v
			}
		default:
			out[k] = v
		}
	}
	return out
}

// settingsAlias shows a use case's message for one field beside a form
// field of another name.
func settingsAlias(fe FieldErrors, from, to string) FieldErrors {
	if fe[from] == "" {
		return fe
	}
	out := FieldErrors{}
	for k, v := range fe {
		out[k] = v
	}
	out[to] = fe[from]
	return out
}
