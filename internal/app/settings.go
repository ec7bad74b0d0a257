package app

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/netguard"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// SettingsView is an organization's settings as a member reads them: the
// chat webhook and the private targets only for admins.
type SettingsView struct {
	Cadence         org.Cadence `json:"cadence" enum:"weekly,biweekly,monthly" doc:"How often check-ins on a key result are expected, unless its owning team sets its own."`
	CadenceDays     int         `json:"cadence_days" doc:"The cadence in days: 7, 14 or 30."`
	GraceDays       int         `json:"grace_days" doc:"Days after the cadence before a key result without a check-in turns outdated."`
	BehindThreshold float64     `json:"behind_threshold" doc:"Behind when expected − actual progress exceeds it (0.05–0.95)."`
	ForecastPoints  int         `json:"forecast_points" doc:"How many recent check-ins the forecast fits (3–50)."`
	SkillDecayDays  int         `json:"skill_decay_days" doc:"How long a skill assessment counts at its full level (30–3650 days)."`
	// Admin-only fields: empty for other members.
	ChatWebhookURL        string   `json:"chat_webhook_url" doc:"Slack-compatible incoming webhook for reminders and digests of teams without one (admins only)."`
	PrivateWebhookTargets []string `json:"private_webhook_targets" doc:"Private addresses webhooks and chat messages may reach: host:port or CIDR entries (admins only)."`
	// Coach holds the OKR coach's thresholds (docs/coach.md).
	Coach   org.CoachSettings `json:"coach" doc:"The OKR coach's thresholds."`
	Version int               `json:"version"`
}

// SettingsUpdate changes settings; absent fields stay.
type SettingsUpdate struct {
	Cadence               *org.Cadence `json:"cadence,omitempty" enum:"weekly,biweekly,monthly"`
	GraceDays             *int         `json:"grace_days,omitempty"`
	BehindThreshold       *float64     `json:"behind_threshold,omitempty"`
	ForecastPoints        *int         `json:"forecast_points,omitempty"`
	SkillDecayDays        *int         `json:"skill_decay_days,omitempty"`
	ChatWebhookURL        *string      `json:"chat_webhook_url,omitempty" doc:"Empty string removes it."`
	PrivateWebhookTargets *[]string    `json:"private_webhook_targets,omitempty"`
	Coach                 *CoachUpdate `json:"coach,omitempty" doc:"Changes the coach's thresholds; absent ones stay."`
}

// CoachUpdate changes the coach's thresholds; absent fields stay.
type CoachUpdate struct {
	MinKeyResults      *int     `json:"min_key_results,omitempty"`
	MaxKeyResults      *int     `json:"max_key_results,omitempty"`
	MinTitleWords      *int     `json:"min_title_words,omitempty"`
	MaxTitleWords      *int     `json:"max_title_words,omitempty"`
	MaxObjectives      *int     `json:"max_objectives_per_person,omitempty"`
	MaxKeyResultsOwned *int     `json:"max_key_results_per_person,omitempty"`
	MaxInitiatives     *int     `json:"max_initiatives_per_person,omitempty"`
	Lofty              *float64 `json:"lofty,omitempty"`
}

// apply sets the given thresholds on c.
func (u CoachUpdate) apply(c *org.CoachSettings) {
	setIf(&c.MinKeyResults, u.MinKeyResults)
	setIf(&c.MaxKeyResults, u.MaxKeyResults)
	setIf(&c.MinTitleWords, u.MinTitleWords)
	setIf(&c.MaxTitleWords, u.MaxTitleWords)
	setIf(&c.MaxObjectives, u.MaxObjectives)
	setIf(&c.MaxKeyResultsOwned, u.MaxKeyResultsOwned)
	setIf(&c.MaxInitiatives, u.MaxInitiatives)
	setIf(&c.Lofty, u.Lofty)
}

func settingsView(s org.Settings, admin bool) SettingsView {
	c := s.Cadence
	if c == "" {
		c = org.CadenceOf(s.CadenceDays)
	}
	v := SettingsView{Cadence: c, CadenceDays: s.CadenceDays, GraceDays: s.GraceDays, BehindThreshold: s.BehindThreshold,
		ForecastPoints: s.ForecastPoints, SkillDecayDays: s.SkillDecayDays, PrivateWebhookTargets: []string{},
		Coach: s.Coach.WithDefaults(), Version: s.Version}
	if admin {
		v.ChatWebhookURL = s.ChatWebhookURL
		v.PrivateWebhookTargets = nonNil(s.PrivateWebhookTargets)
	}
	return v
}

// GetSettings returns the organization's settings; every member reads them.
func (a *App) GetSettings(ctx context.Context, actor org.Actor) (SettingsView, error) {
	var v SettingsView
	if err := requireRead(actor); err != nil {
		return v, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		v = settingsView(o.Settings, actor.IsAdminReader())
		return err
	})
	return v, err
}

// validCadence checks a cadence's name.
func validCadence(f *errs.Fields, field string, c org.Cadence) {
	if c.Days() == 0 {
		f.Add(field, "%q is not a cadence; choose weekly, biweekly or monthly", c)
	}
}

// validGrace checks grace days.
func validGrace(f *errs.Fields, field string, g int) {
	if g < 0 || g > 30 {
		f.Add(field, "must be between 0 and 30 days (you sent %d)", g)
	}
}

// checkChatURL checks a chat webhook against the organization's private
// targets: an http(s) URL whose host is no private address unless allowed.
func checkChatURL(ctx context.Context, f *errs.Fields, field, url string, private []string) {
	if url == "" {
		return
	}
	if err := netguard.Must(private).CheckURL(ctx, url); err != nil {
		f.Add(field, "%s", err.Error())
	}
}

// UpdateSettings changes the organization's settings (admin only).
func (a *App) UpdateSettings(ctx context.Context, actor org.Actor, ifMatch *int, in SettingsUpdate) (SettingsView, error) {
	var v SettingsView
	if err := requireAdmin(actor); err != nil {
		return v, err
	}
	var f errs.Fields
	if in.Cadence != nil {
		validCadence(&f, "cadence", *in.Cadence)
	}
	if in.GraceDays != nil {
		validGrace(&f, "grace_days", *in.GraceDays)
	}
	if in.BehindThreshold != nil && (*in.BehindThreshold < 0.05 || *in.BehindThreshold > 0.95) {
		f.Add("behind_threshold", "must be between 0.05 and 0.95 (a share of the period, e.g. 0.25)")
	}
	if in.ForecastPoints != nil && (*in.ForecastPoints < 3 || *in.ForecastPoints > 50) {
		f.Add("forecast_points", "must be between 3 and 50 check-ins")
	}
	if in.SkillDecayDays != nil && (*in.SkillDecayDays < 30 || *in.SkillDecayDays > 3650) {
		f.Add("skill_decay_days", "must be between 30 and 3650 days")
	}
	if in.PrivateWebhookTargets != nil {
		clean := []string{}
		for i, e := range *in.PrivateWebhookTargets {
			e = strings.TrimSpace(e)
			if e == "" {
				continue
			}
			if err := netguard.ValidateEntry(e); err != nil {
				f.Add("private_webhook_targets["+strconv.Itoa(i)+"]", "%s", err.Error())
			}
			clean = append(clean, e)
		}
		in.PrivateWebhookTargets = &clean
	}
	if err := f.Err(); err != nil {
		return v, err
	}
	if in.ChatWebhookURL != nil || in.PrivateWebhookTargets != nil {
		// Resolve the chat webhook's host before the write: DNS can be slow.
		cur, err := a.GetSettings(ctx, actor)
		if err != nil {
			return v, err
		}
		url, private := cur.ChatWebhookURL, cur.PrivateWebhookTargets
		setIf(&url, in.ChatWebhookURL)
		setIf(&private, in.PrivateWebhookTargets)
		checkChatURL(ctx, &f, "chat_webhook_url", strings.TrimSpace(url), private)
		if err := f.Err(); err != nil {
			return v, err
		}
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, o.Settings.Version, "settings"); err != nil {
			return err
		}
		before, s := o.Settings, o.Settings
		if in.Cadence != nil {
			s.Cadence, s.CadenceDays = *in.Cadence, in.Cadence.Days()
		}
		setIf(&s.GraceDays, in.GraceDays)
		setIf(&s.BehindThreshold, in.BehindThreshold)
		setIf(&s.ForecastPoints, in.ForecastPoints)
		setIf(&s.SkillDecayDays, in.SkillDecayDays)
		setIf(&s.PrivateWebhookTargets, in.PrivateWebhookTargets)
		if in.Coach != nil {
			s.Coach = s.Coach.WithDefaults()
			in.Coach.apply(&s.Coach)
			var f errs.Fields
			for _, p := range okr.ValidateCoachThresholds(s.Coach) {
				f.Add("coach."+p.Field, "%s", p.Message)
			}
			if err := f.Err(); err != nil {
				return err
			}
		}
		if in.ChatWebhookURL != nil {
			s.ChatWebhookURL = strings.TrimSpace(*in.ChatWebhookURL)
		}
		s.Version = before.Version + 1
		if err := tx.UpdateOrganizationSettings(ctx, actor.OrgID, s); err != nil {
			return err
		}
		was, now := settingsView(before, true), settingsView(s, true)
		was.ChatWebhookURL, now.ChatWebhookURL = redactURL(was.ChatWebhookURL), redactURL(now.ChatWebhookURL)
		if err := record(ctx, tx, actor, "settings.update", "organization", actor.OrgID, was, now); err != nil {
			return err
		}
		v = settingsView(s, true)
		// The decay window changes effective levels: learning key results follow.
		if in.SkillDecayDays != nil && *in.SkillDecayDays != before.SkillDecayDays {
			_, err = refreshLearning(ctx, tx, actor)
		}
		return err
	})
	return v, err
}

// redactURL keeps a chat webhook's scheme and host for the audit log and the
// outgoing events: the rest of such a URL is its secret.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/…"
}
