package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/apiclient"
	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// The command line as a daily tool: `okra checkin` and `okra status`, run
// against a server through its API with a token (docs/cli.md).

// CheckinCmd checks in a key result from a terminal or a script.
type CheckinCmd struct {
	ClientFlags
	OutputFlags
	KeyResult   string   `arg:"" name:"key-result" help:"The key result: its id, its slug path (objective-slug/kr-slug), or a unique part of its title among your key results of the active periods (case-insensitive)."`
	Value       string   `arg:"" optional:"" help:"The new value: a number (42, 3.5, -2), 45% for a percent key result, done/yes/true or no/false for a boolean one. Leave it out (or give -) to check in confidence and status only, and for milestone key results."`
	Confidence  *float64 `help:"0.0–1.0: how likely the target is reached (default: the latest check-in's)."`
	Status      string   `help:"on_track, at_risk or off_track (default: from the confidence: ≥ 0.7 on track, 0.4–0.7 at risk, < 0.4 off track)."`
	Note        string   `help:"A note (Markdown)."`
	BlockerType string   `help:"The blocker's type: resource, dependency, clarity, priority_conflict, external, approach_not_working or other (default: other)." name:"blocker-type"`
	Blocker     string   `help:"What stands in the way (asked for when the confidence is low)."`
	Milestone   []string `help:"A milestone done now, by id or title; repeat it for several. Milestones already done stay done." sep:"none"`
}

// checkinOutput is the JSON document of a check-in.
type checkinOutput struct {
	CheckIn          okr.CheckIn   `json:"check_in"`
	KeyResult        okr.KeyResult `json:"key_result"`
	PreviousProgress float64       `json:"previous_progress"`
	Warnings         []string      `json:"warnings"`
}

// Run resolves the key result, builds the check-in and prints the outcome.
func (c *CheckinCmd) Run(ctx context.Context) error {
	cl, err := c.client()
	if err != nil {
		return err
	}
	in, err := c.input()
	if err != nil {
		return err
	}
	me, err := cl.Me(ctx)
	if err != nil {
		return c.apiFailure(err)
	}
	k, err := resolveKeyResult(ctx, cl, me, c.KeyResult)
	if err != nil {
		return c.apiFailure(err)
	}
	if err := c.complete(&in, k); err != nil {
		return err
	}
	res, err := cl.CheckIn(ctx, k.ID, in, "")
	if err != nil {
		return c.apiFailure(err)
	}
	after, err := cl.GetKeyResult(ctx, k.ID)
	if err != nil {
		return c.apiFailure(err)
	}
	out := checkinOutput{CheckIn: res.CheckIn, KeyResult: after, PreviousProgress: k.Progress, Warnings: res.Warnings}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	if c.json() {
		return dailyJSON(os.Stdout, out)
	}
	w := os.Stdout
	st := newTermStyle(w)
	fmt.Fprintf(w, "Checked in %s\n", after.Title)
	if res.PreviousValue == res.Value {
		fmt.Fprintf(w, "  value       %s (unchanged)\n", krValue(after, res.Value))
	} else {
		fmt.Fprintf(w, "  value       %s → %s\n", krValue(k, res.PreviousValue), krValue(after, res.Value))
	}
	fmt.Fprintf(w, "  progress    %s → %s\n", pct(k.Progress), pct(after.Progress))
	fmt.Fprintf(w, "  confidence  %s (%s), %s\n", strconv.FormatFloat(res.Confidence, 'f', -1, 64),
		okr.ConfidenceBand(res.Confidence), humanWords(string(res.Status)))
	fmt.Fprintf(w, "  health      %s\n", st.health(after.Health))
	for _, warn := range out.Warnings {
		fmt.Fprintf(w, "%s %s\n", st.bold("warning:"), warn)
	}
	return nil
}

// input reads the flags that do not depend on the key result.
func (c *CheckinCmd) input() (app.CheckInInput, error) {
	in := app.CheckInInput{Note: c.Note}
	if c.Confidence != nil {
		if *c.Confidence < 0 || *c.Confidence > 1 || math.IsNaN(*c.Confidence) {
			return in, fmt.Errorf("--confidence %v: must be between 0.0 and 1.0 (0.8 means 80%% likely)", *c.Confidence)
		}
		in.Confidence = *c.Confidence
	}
	switch s := okr.Status(strings.ReplaceAll(strings.ToLower(c.Status), "-", "_")); s {
	case "", okr.OnTrack, okr.AtRisk, okr.OffTrack:
		in.Status = s
	default:
		return in, fmt.Errorf("--status %q: must be on_track, at_risk or off_track", c.Status)
	}
	switch {
	case c.Blocker != "":
		t := okr.BlockerType(c.BlockerType)
		if t == "" {
			t = okr.BlockerOther
		}
		in.Blockers = []okr.Blocker{{Type: t, Description: c.Blocker}}
	case c.BlockerType != "":
		return in, errors.New("--blocker-type needs --blocker TEXT: say what stands in the way")
	}
	return in, nil
}

// complete fills the value, milestones, confidence and status that depend
// on the key result.
func (c *CheckinCmd) complete(in *app.CheckInInput, k okr.KeyResult) error {
	v, err := parseKRValue(c.Value, k)
	if err != nil {
		return err
	}
	in.Value = v
	if len(c.Milestone) > 0 {
		if k.Kind != okr.Milestone {
			return fmt.Errorf("--milestone: %q is a %s key result, not a milestone one; give a VALUE", k.Title, k.Kind)
		}
		done := []string{}
		for _, m := range k.Milestones {
			if m.Done {
				done = append(done, m.ID)
			}
		}
		for _, name := range c.Milestone {
			i := slices.IndexFunc(k.Milestones, func(m okr.MilestoneItem) bool {
				return m.ID == name || strings.EqualFold(strings.TrimSpace(m.Title), strings.TrimSpace(name))
			})
			if i < 0 {
				var have []string
				for _, m := range k.Milestones {
					have = append(have, fmt.Sprintf("%s (%s)", m.Title, m.ID))
				}
				return fmt.Errorf("--milestone %q: no such milestone on %q; it has: %s", name, k.Title, strings.Join(have, ", "))
			}
			if !slices.Contains(done, k.Milestones[i].ID) {
				done = append(done, k.Milestones[i].ID)
			}
		}
		in.MilestonesDone = done
	}
	if c.Confidence == nil {
		if k.Confidence == nil {
			return fmt.Errorf("--confidence: %q has no check-in yet to take the confidence from; give one, e.g. --confidence 0.7", k.Title)
		}
		in.Confidence = *k.Confidence
	}
	if in.Status == "" {
		in.Status = statusFromConfidence(in.Confidence)
	}
	return nil
}

// statusOf is the status a confidence suggests, by the confidence bands.
func statusFromConfidence(confidence float64) okr.Status {
	switch okr.ConfidenceBand(confidence) {
	case "high":
		return okr.OnTrack
	case "medium":
		return okr.AtRisk
	}
	return okr.OffTrack
}

// parseKRValue reads VALUE for a key result: nil when it is left out.
func parseKRValue(s string, k okr.KeyResult) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "-" {
		return nil, nil
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("VALUE %q: %s", s, fmt.Sprintf(format, args...))
	}
	switch k.Source {
	case okr.SourceKPI, okr.SourceLearning, okr.SourceChildren:
		return nil, bad("%q takes its value from %s; leave VALUE out (or give -) to check in confidence and status only", k.Title,
			map[okr.Source]string{okr.SourceKPI: "its KPI", okr.SourceLearning: "learning records", okr.SourceChildren: "the objectives aligned to it"}[k.Source])
	}
	if k.Kind == okr.Milestone {
		return nil, bad("%q is a milestone key result: name the milestones done with --milestone ID instead", k.Title)
	}
	if k.Kind == okr.Boolean {
		switch strings.ToLower(s) {
		case "done", "yes", "true", "1", "y":
			v := 1.0
			return &v, nil
		case "no", "false", "0", "n", "not-done", "not done", "undone":
			v := 0.0
			return &v, nil
		}
		return nil, bad("%q is a yes/no key result: give done, yes or true (or no, false)", k.Title)
	}
	num := s
	if strings.HasSuffix(num, "%") {
		if k.Unit != okr.UnitPercent {
			return nil, bad("a percent sign is for percent key results; %q counts %s: give a plain number", k.Title, krUnitName(k))
		}
		num = strings.TrimSpace(strings.TrimSuffix(num, "%"))
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(num, "_", ""), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, bad("not a number: give one like 42, 3.5 or -2%s", map[bool]string{true: " (or 45%)"}[k.Unit == okr.UnitPercent])
	}
	return &v, nil
}

func krUnitName(k okr.KeyResult) string {
	switch k.Unit {
	case okr.UnitCurrency:
		if k.Currency != "" {
			return k.Currency
		}
		return "money"
	case okr.UnitCustom:
		if k.UnitLabel != "" {
			return k.UnitLabel
		}
	}
	return "a number"
}

// resolveKeyResult finds the key result the argument names: an id, a slug
// path, or a unique case-insensitive part of a title among the person's key
// results of the active periods.
func resolveKeyResult(ctx context.Context, cl *apiclient.Client, me app.Me, arg string) (okr.KeyResult, error) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return okr.KeyResult{}, errors.New("KEY_RESULT is empty: give an id, a slug path or part of a title")
	}
	mine, err := cl.Work(ctx, me, apiclient.WorkFilter{})
	if err != nil {
		return okr.KeyResult{}, err
	}
	for _, w := range mine {
		if w.KeyResult.ID == arg {
			return w.KeyResult, nil
		}
	}
	if obj, kr, ok := strings.Cut(arg, "/"); ok {
		for _, w := range mine {
			if w.Objective.Slug != "" && strings.EqualFold(w.Objective.Slug, obj) && strings.EqualFold(w.KeyResult.Slug, kr) {
				return w.KeyResult, nil
			}
		}
	}
	// An id of a key result the person may check in without it being theirs.
	if _, err := looksLikeID(arg); err == nil {
		k, err := cl.GetKeyResult(ctx, arg)
		if err == nil || apiclient.StatusOf(err) != 404 {
			return k, err
		}
	}
	exact, part := []apiclient.WorkItem{}, []apiclient.WorkItem{}
	lower := strings.ToLower(arg)
	for _, w := range mine {
		t := strings.ToLower(strings.TrimSpace(w.KeyResult.Title))
		switch {
		case t == lower:
			exact = append(exact, w)
		case strings.Contains(t, lower):
			part = append(part, w)
		}
	}
	matches := exact
	if len(matches) == 0 {
		matches = part
	}
	switch len(matches) {
	case 1:
		return matches[0].KeyResult, nil
	case 0:
		return okr.KeyResult{}, fmt.Errorf("KEY_RESULT %q: none of your %d key results of the active periods has that id, slug path or title; `okra status` lists them", arg, len(mine))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "KEY_RESULT %q matches %d of your key results; give its id (or a longer part of its title):", arg, len(matches))
	for _, w := range matches {
		fmt.Fprintf(&b, "\n  %s  %s (objective: %s)", w.KeyResult.ID, w.KeyResult.Title, w.Objective.Title)
	}
	return okr.KeyResult{}, errors.New(b.String())
}

// looksLikeID accepts the shape of okra's ids (UUIDs: 36 characters, hex and hyphens).
func looksLikeID(s string) (string, error) {
	if len(s) != 36 {
		return "", errors.New("not an id")
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return "", errors.New("not an id")
			}
		case !strings.ContainsRune("0123456789abcdefABCDEF", r):
			return "", errors.New("not an id")
		}
	}
	return s, nil
}

// fail turns an API error into the command's failure: the problem's detail
// and field errors on stderr (and the problem on stdout with --format json).
func (f OutputFlags) apiFailure(err error) error {
	var ae *apiclient.Error
	if errors.As(err, &ae) {
		if f.json() {
			_ = dailyJSON(os.Stdout, map[string]any{"error": ae.Problem})
		}
		return errors.New(problemText(ae))
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) {
		return fmt.Errorf("cannot reach the okra server (%v); set OKRA_URL (or --url) to its address", err)
	}
	return err
}

// problemText writes an API problem for people: status, detail and one
// line per field error.
func problemText(e *apiclient.Error) string {
	var b strings.Builder
	switch e.Status {
	case 401:
		b.WriteString("the server refused the token (401): check OKRA_TOKEN")
	case 403:
		b.WriteString("not allowed (403)")
	case 404:
		b.WriteString("not found (404)")
	default:
		fmt.Fprintf(&b, "the server refused it (%d)", e.Status)
	}
	if e.Problem.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Problem.Detail)
	}
	for _, fe := range e.Problem.Errors {
		fmt.Fprintf(&b, "\n  %s: %s", fe.Field, fe.Message)
	}
	return b.String()
}

// StatusCmd shows a person's key results and their health.
type StatusCmd struct {
	ClientFlags
	OutputFlags
	Period string `help:"A period's name or id (default: every active period)."`
	All    bool   `help:"Every key result you may see in the period(s), not only yours."`
}

// statusDoc is the JSON document of okra status (documented in docs/cli.md).
type statusDoc struct {
	User        statusUser     `json:"user"`
	GeneratedAt time.Time      `json:"generated_at"`
	Scope       string         `json:"scope"`
	Periods     []statusPeriod `json:"periods"`
	Summary     statusSummary  `json:"summary"`
}

type statusUser struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

type statusPeriod struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	State      okr.PeriodState   `json:"state"`
	StartDate  okr.Date          `json:"start_date"`
	EndDate    okr.Date          `json:"end_date"`
	Objectives []statusObjective `json:"objectives"`
}

type statusObjective struct {
	ID         string            `json:"id"`
	Slug       string            `json:"slug"`
	Title      string            `json:"title"`
	Owner      okr.Owner         `json:"owner"`
	Progress   float64           `json:"progress"`
	Health     okr.Health        `json:"health"`
	KeyResults []statusKeyResult `json:"key_results"`
}

type statusKeyResult struct {
	ID          string     `json:"id"`
	Slug        string     `json:"slug"`
	Title       string     `json:"title"`
	OwnerID     string     `json:"owner_id"`
	Kind        okr.KRKind `json:"kind"`
	Unit        okr.Unit   `json:"unit"`
	UnitLabel   string     `json:"unit_label"`
	Currency    string     `json:"currency"`
	Baseline    float64    `json:"baseline"`
	Target      float64    `json:"target"`
	Band        *okr.Band  `json:"band"`
	Current     float64    `json:"current"`
	Progress    float64    `json:"progress"`
	Confidence  *float64   `json:"confidence"`
	Health      okr.Health `json:"health"`
	LastCheckIn *time.Time `json:"last_check_in_at"`
	AgeDays     *int       `json:"check_in_age_days"`
	Due         bool       `json:"check_in_due"`
	CadenceDays int        `json:"cadence_days"`
}

type statusSummary struct {
	KeyResults int `json:"key_results"`
	OnTrack    int `json:"on_track"`
	AtRisk     int `json:"at_risk"`
	OffTrack   int `json:"off_track"`
	Outdated   int `json:"outdated"`
	Pending    int `json:"pending"`
	Closed     int `json:"closed"`
	Due        int `json:"check_ins_due"`
}

// Run reads the key results and prints them.
func (c *StatusCmd) Run(ctx context.Context) error {
	cl, err := c.client()
	if err != nil {
		return err
	}
	me, err := cl.Me(ctx)
	if err != nil {
		return c.apiFailure(err)
	}
	f := apiclient.WorkFilter{Everyone: c.All, Now: time.Now()}
	if c.Period != "" {
		p, names, err := cl.FindPeriod(ctx, c.Period)
		if err != nil {
			return c.apiFailure(err)
		}
		if p.ID == "" {
			return fmt.Errorf("--period %q: no such period; the periods are: %s", c.Period, strings.Join(names, ", "))
		}
		f.Periods = []okr.Period{p}
	} else if f.Periods, err = cl.ActivePeriods(ctx); err != nil {
		return c.apiFailure(err)
	}
	work, err := cl.Work(ctx, me, f)
	if err != nil {
		return c.apiFailure(err)
	}
	doc := buildStatus(me, work, f)
	if c.json() {
		return dailyJSON(os.Stdout, doc)
	}
	printStatus(os.Stdout, newTermStyle(os.Stdout), doc)
	return nil
}

func buildStatus(me app.Me, work []apiclient.WorkItem, f apiclient.WorkFilter) statusDoc {
	doc := statusDoc{User: statusUser{ID: me.User.ID, Email: me.User.Email, Name: me.User.Name},
		GeneratedAt: f.Now.UTC().Truncate(time.Second), Scope: "mine", Periods: []statusPeriod{}}
	if f.Everyone {
		doc.Scope = "everyone"
	}
	for _, p := range f.Periods {
		doc.Periods = append(doc.Periods, statusPeriod{ID: p.ID, Name: p.Name, State: p.State, StartDate: p.StartDate,
			EndDate: p.EndDate, Objectives: []statusObjective{}})
	}
	for _, w := range work {
		pi := slices.IndexFunc(doc.Periods, func(p statusPeriod) bool { return p.ID == w.Period.ID })
		if pi < 0 {
			p := w.Period
			doc.Periods = append(doc.Periods, statusPeriod{ID: p.ID, Name: p.Name, State: p.State, StartDate: p.StartDate,
				EndDate: p.EndDate, Objectives: []statusObjective{}})
			pi = len(doc.Periods) - 1
		}
		p := &doc.Periods[pi]
		oi := slices.IndexFunc(p.Objectives, func(o statusObjective) bool { return o.ID == w.Objective.ID })
		if oi < 0 {
			o := w.Objective
			p.Objectives = append(p.Objectives, statusObjective{ID: o.ID, Slug: o.Slug, Title: o.Title, Owner: o.Owner,
				Progress: o.Progress, Health: o.Health, KeyResults: []statusKeyResult{}})
			oi = len(p.Objectives) - 1
		}
		k := w.KeyResult
		kr := statusKeyResult{ID: k.ID, Slug: k.Slug, Title: k.Title, OwnerID: k.OwnerID, Kind: k.Kind, Unit: k.Unit,
			UnitLabel: k.UnitLabel, Currency: k.Currency, Baseline: k.Baseline, Target: k.Target, Band: k.Band, Current: k.Current,
			Progress: k.Progress, Confidence: k.Confidence, Health: k.Health, LastCheckIn: k.LastCheckIn, Due: w.Due,
			CadenceDays: w.Cadence.Days}
		if k.LastCheckIn != nil {
			days := int(f.Now.Sub(*k.LastCheckIn) / (24 * time.Hour))
			kr.AgeDays = &days
		}
		p.Objectives[oi].KeyResults = append(p.Objectives[oi].KeyResults, kr)
		s := &doc.Summary
		s.KeyResults++
		switch k.Health {
		case okr.HealthOnTrack:
			s.OnTrack++
		case okr.HealthAtRisk:
			s.AtRisk++
		case okr.HealthOffTrack:
			s.OffTrack++
		case okr.HealthOutdated:
			s.Outdated++
		case okr.HealthClosed:
			s.Closed++
		default:
			s.Pending++
		}
		if w.Due {
			s.Due++
		}
	}
	return doc
}

func printStatus(w io.Writer, st termStyle, doc statusDoc) {
	if len(doc.Periods) == 0 {
		fmt.Fprintln(w, "No active period: pick one with --period NAME.")
		return
	}
	now := doc.GeneratedAt
	for i, p := range doc.Periods {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s  %s, %s → %s\n", st.bold(p.Name), p.State, p.StartDate, p.EndDate)
		if len(p.Objectives) == 0 {
			who := "of yours"
			if doc.Scope == "everyone" {
				who = "you may see"
			}
			fmt.Fprintf(w, "  No key results %s in this period.\n", who)
			continue
		}
		for _, o := range p.Objectives {
			fmt.Fprintf(w, "\n%s  %s, %s\n", st.bold(o.Title), pct(o.Progress), st.health(o.Health))
			for _, k := range o.KeyResults {
				fmt.Fprintf(w, "  %s %4s  %s\n", progressBar(k.Progress, 10), pct(k.Progress), k.Title)
				parts := []string{krStanding(okr.KeyResult{Kind: k.Kind, Unit: k.Unit, UnitLabel: k.UnitLabel, Currency: k.Currency,
					Current: k.Current, Target: k.Target, Band: k.Band})}
				if k.Confidence != nil {
					parts = append(parts, "confidence "+strconv.FormatFloat(*k.Confidence, 'f', -1, 64))
				}
				parts = append(parts, st.health(k.Health))
				if k.LastCheckIn != nil {
					parts = append(parts, "checked in "+agoText(now.Sub(*k.LastCheckIn)))
				} else {
					parts = append(parts, "no check-in yet")
				}
				if k.Due {
					parts = append(parts, st.bold("due"))
				}
				fmt.Fprintf(w, "  %s  %s\n", strings.Repeat(" ", 15), strings.Join(parts, " · "))
			}
		}
	}
	s := doc.Summary
	fmt.Fprintf(w, "\n%s: %d on track, %d at risk, %d off track, %d outdated, %d pending", okr.Plural(s.KeyResults, "key result"),
		s.OnTrack, s.AtRisk, s.OffTrack, s.Outdated, s.Pending)
	if s.Closed > 0 {
		fmt.Fprintf(w, ", %d closed", s.Closed)
	}
	fmt.Fprintf(w, "; %s due\n", okr.Plural(s.Due, "check-in"))
}

// bar draws progress as text: ██████░░░░.
func progressBar(progress float64, width int) string {
	n := int(math.Round(math.Max(0, math.Min(1, progress)) * float64(width)))
	return strings.Repeat("█", n) + strings.Repeat("░", width-n)
}

func pct(p float64) string { return strconv.Itoa(int(math.Round(p*100))) + "%" }

// age says how long ago: "just now", "5 h ago", "1 day ago", "12 days ago".
func agoText(d time.Duration) string {
	switch {
	case d < time.Hour:
		return "just now"
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	case d < 48*time.Hour:
		return "1 day ago"
	}
	return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
}

// krValue writes a key result's value with its unit: 45%, 1,200 EUR,
// 12 demos, done, 50% of milestones.
func krValue(k okr.KeyResult, v float64) string {
	switch k.Kind {
	case okr.Boolean:
		if v >= 1 {
			return "done"
		}
		return "not done"
	case okr.Milestone:
		return pct(v) + " of milestones"
	}
	return krNumber(v) + krUnitSuffix(k)
}

// krStanding writes where a key result stands against its target, the
// unit once: "7 / 10%", "25.4 / 21 hours", "97 / 95–100%" (a band).
func krStanding(k okr.KeyResult) string {
	switch {
	case k.Kind == okr.Boolean || k.Kind == okr.Milestone:
		return krValue(k, k.Current)
	case k.Kind == okr.Maintain && k.Band != nil:
		return krNumber(k.Current) + " / " + krNumber(k.Band.Low) + "–" + krNumber(k.Band.High) + krUnitSuffix(k)
	}
	return krNumber(k.Current) + " / " + krNumber(k.Target) + krUnitSuffix(k)
}

func krUnitSuffix(k okr.KeyResult) string {
	switch {
	case k.Unit == okr.UnitPercent:
		return "%"
	case k.Unit == okr.UnitCurrency && k.Currency != "":
		return " " + k.Currency
	case k.Unit == okr.UnitCustom && k.UnitLabel != "":
		return " " + k.UnitLabel
	}
	return ""
}

// krNumber writes a number with at most two decimals, thousands grouped:
// 1,234.5.
func krNumber(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if hasFrac {
		whole += "." + frac
	}
	return sign + whole
}

func humanWords(s string) string { return strings.ReplaceAll(s, "_", " ") }

// termStyle colours terminal output, only on a terminal and without NO_COLOR.
type termStyle struct{ color bool }

func newTermStyle(f *os.File) termStyle {
	return termStyle{color: colorOn(f, os.Getenv)}
}

// colorOn reports whether to colour output to f: a terminal, NO_COLOR unset
// (https://no-color.org) and TERM not dumb.
func colorOn(f *os.File, getenv func(string) string) bool {
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (s termStyle) paint(code, text string) string {
	if !s.color {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s termStyle) bold(text string) string { return s.paint("1", text) }

// health writes a health in words, coloured on a terminal (the words carry
// the meaning; colour only helps).
func (s termStyle) health(h okr.Health) string {
	code := map[okr.Health]string{okr.HealthOnTrack: "32", okr.HealthAtRisk: "33", okr.HealthOffTrack: "31",
		okr.HealthOutdated: "35", okr.HealthPending: "2", okr.HealthClosed: "2"}[h]
	if code == "" {
		return humanWords(string(h))
	}
	return s.paint(code, humanWords(string(h)))
}

func dailyJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
