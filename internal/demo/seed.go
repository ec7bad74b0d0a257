// Package demo builds okra's demo organization, "Northwind Group": seed 003's
// three case studies (an e-commerce shop, healthcare clinics and a
// technology start-up) as three business units sharing one organization,
// with people, a team tree, periods, CEO-, team- and skills-level OKRs,
// initiatives, weeks of check-in history and comments.
//
// Everything goes through the app's use cases, acted by the people
// themselves, so the data obeys every rule and the roll-ups are
// materialized as in real use. The history is written in the past by
// setting the store's Clock before each call; a fixed random seed makes the
// demo the same every time for the same "now".
package demo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// Result is what Seed created.
type Result struct {
	OrgID   string
	OrgSlug string
	// PeriodID is the active quarter, the one with the check-in history.
	PeriodID string
	// YearPeriodID is the active year holding it; NextPeriodID the quarter in planning after it.
	YearPeriodID string
	NextPeriodID string
	OwnerEmail   string
	// Token is the owner's API token (read, write, admin); it is shown only here.
	Token string
}

// ErrExists is returned by Seed when the database already holds the demo organization.
var ErrExists = errors.New("the demo organization already exists")

// Exists reports whether err says the demo organization was seeded before.
func Exists(err error) bool { return errors.Is(err, ErrExists) }

// Seed builds the demo organization in the database behind a, placing its
// history around now. clock must be the clock the store reads (store.Config
// {Now: clock.Now}); Seed moves it through the past and gives it back to the
// real time before it returns. A database that already holds the demo
// organization returns an error that Exists recognizes.
func Seed(ctx context.Context, a *app.App, clock *Clock, now time.Time) (Result, error) {
	if a == nil || clock == nil {
		return Result{}, errors.New("demo: Seed needs the app and the clock its store reads")
	}
	defer clock.Set(time.Time{})
	tz := timeZone
	loc, err := time.LoadLocation(tz)
	if err != nil {
		tz, loc = "UTC", time.UTC
	}
	s := &seeder{
		ctx: ctx, a: a, clock: clock, tz: tz, cal: newCalendar(now, loc),
		rng:        rand.New(rand.NewPCG(0x6e6f7274, 0x6877696e)), // "northwin"
		actors:     map[string]org.Actor{},
		users:      map[string]string{},
		teams:      map[string]string{},
		objectives: map[string]okr.Objective{},
		krs:        map[string]*krState{},
		inits:      map[string]string{},
	}
	if len(s.cal.slots) == 0 {
		return Result{}, fmt.Errorf("demo: no check-in week fits before %s", now)
	}
	steps := []struct {
		what string
		run  func() error
	}{
		{"organization", s.organization},
		{"people", s.people},
		{"teams", s.teamTree},
		{"periods", s.periods},
		{"objectives", s.okrs},
		{"initiatives", s.initiatives},
		{"learning", s.learning},
		{"kpis", s.kpis},
		{"check-ins", s.checkIns},
		{"comments", s.comments},
		{"previous quarter", s.previousQuarter},
		{"recognition", s.recognition},
		{"rhythm", s.rhythm},
		{"tokens", s.revokeTokens},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			return Result{}, fmt.Errorf("demo: %s: %w", st.what, err)
		}
	}
	return s.res, nil
}

// requestID marks the demo's audit events.
const requestID = "okra-demo"

type seeder struct {
	ctx   context.Context
	a     *app.App
	clock *Clock
	tz    string
	cal   calendar
	rng   *rand.Rand
	// setupAt is the moving clock of the set-up steps.
	setupAt time.Time

	res        Result
	owner      org.Actor
	actors     map[string]org.Actor // person key → the person acting
	users      map[string]string    // person key → user id
	tokens     []string             // the people's seed tokens, revoked at the end
	teams      map[string]string    // team key → id
	objectives map[string]okr.Objective
	krs        map[string]*krState
	inits      map[string]string // initiative key → id
}

// krState follows a key result through its check-in history.
type krState struct {
	spec        *krSpec
	kr          okr.KeyResult
	value       float64 // the latest value written
	p           float64 // the latest progress drawn
	done        int     // milestones done
	lastCheckIn string
}

// tick moves the set-up clock on, so that rows get distinct, ordered times.
func (s *seeder) tick() {
	s.setupAt = s.setupAt.Add(90 * time.Second)
	s.clock.Set(s.setupAt)
}

func (s *seeder) startAt(t time.Time) {
	s.setupAt = t
	s.clock.Set(t)
}

func (s *seeder) organization() error {
	s.startAt(s.cal.setupAt)
	res, err := s.a.Init(s.ctx, app.InitInput{OrgName: OrgName, OrgSlug: OrgSlug, TimeZone: s.tz, Email: OwnerEmail,
		Name: ownerName, Password: OwnerPassword})
	if errs.Is(err, errs.Conflict) {
		return fmt.Errorf("%w (slug %q): %w", ErrExists, OrgSlug, err)
	}
	if err != nil {
		return err
	}
	s.owner, err = s.act(res.Token)
	if err != nil {
		return err
	}
	s.actors[ownerKey], s.users[ownerKey] = s.owner, res.Owner.ID
	s.res = Result{OrgID: res.Org.ID, OrgSlug: res.Org.Slug, OwnerEmail: res.Owner.Email, Token: res.Token}
	return nil
}

// act turns a token into the person acting. The demo stands for people
// using the web UI, so their check-ins are recorded as manual ones.
func (s *seeder) act(token string) (org.Actor, error) {
	actor, err := s.a.Authenticate(s.ctx, token, requestID)
	actor.Session = true
	return actor, err
}

// people adds the members, each with a token of their own so that they act
// for themselves (the viewer only reads, so needs none).
func (s *seeder) people() error {
	for _, p := range people {
		s.tick()
		m, err := s.a.CreateUser(s.ctx, s.owner, app.UserInput{Email: p.email, Name: p.name, Role: p.role}, "")
		if err != nil {
			return fmt.Errorf("%s: %w", p.email, err)
		}
		s.users[p.key] = m.ID
		if p.role == org.RoleViewer {
			continue
		}
		tk, err := s.a.CreateToken(s.ctx, s.owner, app.TokenInput{UserID: m.ID, Name: "okra demo seed",
			Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite}}, "")
		if err != nil {
			return fmt.Errorf("token of %s: %w", p.email, err)
		}
		s.tokens = append(s.tokens, tk.ID)
		if s.actors[p.key], err = s.act(tk.Secret); err != nil {
			return err
		}
	}
	return nil
}

func (s *seeder) userIDs(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = s.users[k]
	}
	return out
}

func (s *seeder) teamTree() error {
	for _, t := range teams {
		s.tick()
		team, err := s.a.CreateTeam(s.ctx, s.owner, app.TeamInput{Name: t.name, ParentID: s.teams[t.parent],
			LeadIDs: []string{s.users[t.lead]}, MemberIDs: s.userIDs(t.members)}, "")
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		s.teams[t.key] = team.ID
	}
	return nil
}

// periods creates the year (active), its active quarter and the next quarter
// (planning), with the next year in planning when the next quarter opens it.
func (s *seeder) periods() error {
	create := func(in app.PeriodInput, activate bool) (string, error) {
		s.tick()
		p, err := s.a.CreatePeriod(s.ctx, s.owner, in, "")
		if err != nil {
			return "", fmt.Errorf("%s: %w", in.Name, err)
		}
		if activate {
			if _, err := s.a.ActivatePeriod(s.ctx, s.owner, p.ID); err != nil {
				return "", fmt.Errorf("activate %s: %w", in.Name, err)
			}
		}
		return p.ID, nil
	}
	year := func(y int) app.PeriodInput {
		return app.PeriodInput{Name: strconv.Itoa(y), Kind: okr.PeriodAnnual, StartDate: okr.Date(fmt.Sprintf("%d-01-01", y)),
			EndDate: okr.Date(fmt.Sprintf("%d-12-31", y))}
	}
	quarter := func(q quarterRef, parent string) app.PeriodInput {
		first, last := q.bounds(s.cal.loc)
		return app.PeriodInput{Name: q.name(), Kind: okr.PeriodQuarterly, StartDate: date(first), EndDate: date(last), ParentID: parent}
	}
	var err error
	active, next := s.cal.activeQuarter(), s.cal.next
	if s.res.YearPeriodID, err = create(year(active.year), true); err != nil {
		return err
	}
	if s.res.PeriodID, err = create(quarter(active, s.res.YearPeriodID), true); err != nil {
		return err
	}
	nextYear := s.res.YearPeriodID
	if next.year != active.year {
		if nextYear, err = create(year(next.year), false); err != nil {
			return err
		}
	}
	s.res.NextPeriodID, err = create(quarter(next, nextYear), false)
	return err
}

// okrs creates the objectives and their key results, each by its author.
func (s *seeder) okrs() error {
	for i := range objectives {
		o := &objectives[i]
		actor := s.actors[o.author]
		in := app.ObjectiveInput{PeriodID: s.res.PeriodID, Title: o.title, Description: o.description,
			ChampionID: s.users[o.champion], Kind: o.kind, Visibility: o.visibility, State: o.state, Tags: o.tags}
		if o.next {
			in.PeriodID = s.res.NextPeriodID
		}
		in.Owner = app.OwnerInput{Type: o.owner.typ}
		switch o.owner.typ {
		case okr.OwnerTeam:
			in.Owner.ID = s.teams[o.owner.key]
		case okr.OwnerUser:
			in.Owner.ID = s.users[o.owner.key]
		}
		if o.weight != 0 {
			in.Weight = &o.weight
		}
		for _, al := range o.align {
			if al.keyResult != "" {
				in.Alignments = append(in.Alignments, app.AlignmentInput{ParentType: okr.ParentKeyResult, ParentID: s.krs[al.keyResult].kr.ID, Link: al.link})
			} else {
				in.Alignments = append(in.Alignments, app.AlignmentInput{ParentType: okr.ParentObjective, ParentID: s.objectives[al.objective].ID, Link: al.link})
			}
		}
		s.tick()
		created, err := s.a.CreateObjective(s.ctx, actor, in, "")
		if err != nil {
			return fmt.Errorf("%q: %w", o.title, err)
		}
		s.objectives[o.key] = created
		for j := range o.krs {
			k := &o.krs[j]
			s.tick()
			if k.mood == silent {
				// Added at the latest weekly check-in: too new to be due, so pending.
				s.clock.Set(s.cal.slots[len(s.cal.slots)-1])
			}
			kr, err := s.a.CreateKeyResult(s.ctx, actor, s.keyResultInput(created.ID, k), "")
			if err != nil {
				return fmt.Errorf("%q: %w", k.title, err)
			}
			s.clock.Set(s.setupAt)
			s.krs[k.key] = &krState{spec: k, kr: kr, value: kr.Current}
		}
	}
	return nil
}

func (s *seeder) keyResultInput(objectiveID string, k *krSpec) app.KeyResultInput {
	in := app.KeyResultInput{ObjectiveID: objectiveID, Title: k.title, OwnerID: s.users[k.owner], Kind: k.kind, Unit: k.unit,
		UnitLabel: k.label, Currency: k.currency, Band: k.band, Indicator: k.indicator, Source: k.source}
	if k.kind == okr.Increase || k.kind == okr.Decrease {
		in.Baseline, in.Target = &k.baseline, &k.target
	}
	if k.weight != 0 {
		in.Weight = &k.weight
	}
	for _, m := range k.milestones {
		in.Milestones = append(in.Milestones, app.MilestoneInput{Title: m.title, Weight: &m.weight})
	}
	return in
}

// day is a date of the active quarter, at most its last day.
func (s *seeder) day(days int) okr.Date {
	d := s.cal.qStart.AddDate(0, 0, days)
	if d.After(s.cal.qLast) {
		d = s.cal.qLast
	}
	return date(d)
}

func (s *seeder) initiatives() error {
	s.startAt(s.cal.initiativesAt)
	for _, in := range initiatives {
		input := app.InitiativeInput{Title: in.title, Description: in.description, OwnerID: s.users[in.owner], Status: in.status,
			StartDate: s.day(in.startDays), DueDate: s.day(in.dueDays), ExternalURL: in.url}
		if in.budget != "" {
			input.Budget = &app.MoneyInput{Amount: in.budget, Currency: "EUR"}
		}
		if in.effort != 0 {
			input.EffortDays = &in.effort
		}
		for _, k := range in.krs {
			input.KeyResultIDs = append(input.KeyResultIDs, s.krs[k].kr.ID)
		}
		for _, t := range in.tasks {
			input.Tasks = append(input.Tasks, app.TaskInput{Title: t.title, AssigneeID: s.users[t.assignee], DueDate: s.day(t.dueDays), Done: t.done})
		}
		s.tick()
		created, err := s.a.CreateInitiative(s.ctx, s.actors[in.owner], input, "")
		if err != nil {
			return fmt.Errorf("%q: %w", in.title, err)
		}
		s.inits[in.key] = created.ID
	}
	return nil
}

func (s *seeder) comments() error {
	for i, c := range comments {
		in := app.CommentInput{SubjectType: okr.SubjectType(c.subjectType), Body: c.body}
		switch in.SubjectType {
		case okr.SubjectObjective:
			in.SubjectID = s.objectives[c.subject].ID
		case okr.SubjectKeyResult:
			in.SubjectID = s.krs[c.subject].kr.ID
		case okr.SubjectInitiative:
			in.SubjectID = s.inits[c.subject]
		case okr.SubjectCheckIn:
			in.SubjectID = s.krs[c.subject].lastCheckIn
		}
		s.clock.Set(s.cal.commentsAt.Add(time.Duration(i) * 6 * time.Minute))
		if _, err := s.a.CreateComment(s.ctx, s.actors[c.author], in, ""); err != nil {
			return fmt.Errorf("comment %d: %w", i, err)
		}
	}
	return nil
}

// revokeTokens retires the tokens the people acted with: their secrets were
// never shown to anyone.
func (s *seeder) revokeTokens() error {
	for _, id := range s.tokens {
		if err := s.a.RevokeToken(s.ctx, s.owner, id); err != nil {
			return err
		}
	}
	return nil
}

// ---- check-in history

// event is one check-in call at its moment.
type event struct {
	at  time.Time
	run func() error
}

// checkIns writes the weekly check-ins, week by week and in time order within a week.
func (s *seeder) checkIns() error {
	n := len(s.cal.slots)
	for w, day := range s.cal.slots {
		var week []event
		for i := range objectives {
			o := &objectives[i]
			if o.next {
				continue
			}
			if o.together {
				if ev, ok := s.objectiveCheckIn(o, w, n, day); ok {
					week = append(week, ev)
				}
				continue
			}
			for j := range o.krs {
				if ev, ok := s.keyResultCheckIn(s.krs[o.krs[j].key], w, n, day); ok {
					week = append(week, ev)
				}
			}
		}
		slices.SortStableFunc(week, func(a, b event) int { return a.at.Compare(b.at) })
		for _, ev := range week {
			s.clock.Set(ev.at)
			if err := ev.run(); err != nil {
				return fmt.Errorf("week of %s: %w", day.Format(okr.DateLayout), err)
			}
		}
	}
	return nil
}

// moment is a check-in's time: Monday morning, somewhere between 09:00 and 11:00.
func (s *seeder) moment(day time.Time) time.Time {
	return at(day, 9, 0).Add(time.Duration(s.rng.Int64N(int64(checkInSpread/time.Second))) * time.Second)
}

// checksIn reports whether a key result is checked in on week w of n.
func checksIn(k *krSpec, w, n int) bool {
	switch k.mood {
	case silent:
		return false
	case stale:
		return w < n-2
	}
	return true
}

func (s *seeder) keyResultCheckIn(st *krState, w, n int, day time.Time) (event, bool) {
	if !checksIn(st.spec, w, n) {
		return event{}, false
	}
	t := s.moment(day)
	r := s.read(st, w, n, t)
	in := app.CheckInInput{Value: r.value, MilestonesDone: r.done, Confidence: r.confidence, Status: r.status,
		Note: r.headline + "\n\n" + s.remark(st.spec, r.status, w, n), Blockers: s.blockers(st.spec, r.status, day)}
	actor := s.actors[st.spec.owner]
	return event{at: t, run: func() error {
		res, err := s.a.CheckIn(s.ctx, actor, st.kr.ID, in, "")
		if err != nil {
			return fmt.Errorf("%q: %w", st.spec.title, err)
		}
		st.lastCheckIn = res.ID
		return nil
	}}, true
}

// objectiveCheckIn checks in every key result of a person's objective at once,
// with the worst of their statuses.
func (s *seeder) objectiveCheckIn(o *objectiveSpec, w, n int, day time.Time) (event, bool) {
	t := s.moment(day)
	in := app.ObjectiveCheckInInput{Status: okr.OnTrack}
	var lines []string
	var states []*krState
	for j := range o.krs {
		st := s.krs[o.krs[j].key]
		if !checksIn(st.spec, w, n) {
			continue
		}
		r := s.read(st, w, n, t)
		in.Entries = append(in.Entries, app.CheckInEntry{KeyResultID: st.kr.ID, Value: r.value, MilestonesDone: r.done, Confidence: r.confidence})
		lines = append(lines, fmt.Sprintf("- %s: %s", st.spec.title, r.headline))
		if statusRank[r.status] > statusRank[in.Status] {
			in.Status = r.status
		}
		states = append(states, st)
	}
	if len(in.Entries) == 0 {
		return event{}, false
	}
	for _, st := range states {
		in.Blockers = append(in.Blockers, s.blockers(st.spec, in.Status, day)...)
	}
	in.Note = strings.Join(lines, "\n") + "\n\n" + s.remark(&krSpec{}, in.Status, w, n)
	actor := s.actors[o.author]
	return event{at: t, run: func() error {
		res, err := s.a.CheckInObjective(s.ctx, actor, s.objectives[o.key].ID, in, "")
		if err != nil {
			return fmt.Errorf("%q: %w", o.title, err)
		}
		for _, c := range res {
			for _, st := range states {
				if st.kr.ID == c.KeyResultID {
					st.lastCheckIn = c.ID
				}
			}
		}
		return nil
	}}, true
}

var statusRank = map[okr.Status]int{okr.OnTrack: 0, okr.AtRisk: 1, okr.OffTrack: 2}

// statusOf is the status a mood shows at share sh (0–1) of the history.
func statusOf(m mood, sh float64) okr.Status {
	switch m {
	case slipping:
		if sh >= 0.5 {
			return okr.AtRisk
		}
	case recovering:
		if sh < 0.5 {
			return okr.AtRisk
		}
	case failing:
		switch {
		case sh >= 0.67:
			return okr.OffTrack
		case sh >= 0.34:
			return okr.AtRisk
		}
	}
	return okr.OnTrack
}

// reading is a key result's check-in as its owner would write it.
type reading struct {
	value      *float64
	done       []string
	status     okr.Status
	confidence float64
	headline   string // Markdown: the new value against the old
}

// read draws week w's value of a key result from its mood: progress follows
// the share of the quarter elapsed at t, faster, slower or backwards, with a
// little noise; it updates the key result's state.
func (s *seeder) read(st *krState, w, n int, t time.Time) reading {
	k := st.spec
	sh := 1.0
	if n > 1 {
		sh = float64(w) / float64(n-1)
	}
	r := reading{status: statusOf(k.mood, sh)}
	e := s.cal.expected(t)
	noise := (s.rng.Float64() - 0.5) * 0.06
	var p float64
	switch k.mood {
	case ahead:
		p = 1.25*e + noise
	case slipping:
		p = e + noise
		if sh >= 0.5 && w > 0 {
			p = st.p + 0.01*s.rng.Float64() // stalled
		}
	case recovering:
		p = (0.55+0.5*sh)*e + noise
	case failing:
		p = (0.6-sh)*e + noise/2
	default:
		p = e + noise
	}
	p = min(p, 1)
	st.p = p
	prev := st.value
	switch {
	case k.source == okr.SourceChildren:
		r.headline = "Status only: the value rolls up from the team objectives aligned to this key result."
	case k.kind == okr.Milestone:
		done := max(milestonesAt(k.milestones, p), st.done)
		r.done = make([]string, 0, done)
		for _, m := range st.kr.Milestones[:done] {
			r.done = append(r.done, m.ID)
		}
		r.headline = fmt.Sprintf("**%d of %d milestones done**", done, len(k.milestones))
		if done > st.done {
			r.headline += fmt.Sprintf(": _%s_ is done.", k.milestones[done-1].title)
		}
		st.done = done
	case k.kind == okr.Boolean:
		v := 0.0
		if sh >= k.doneAt || prev == 1 {
			v = 1
		}
		r.value = &v
		r.headline = "**Not yet.**"
		if v == 1 {
			r.headline = "**Done.**"
		}
		st.value = v
	default:
		v := k.baseline + p*(k.target-k.baseline)
		if k.kind == okr.Maintain {
			low, width := k.band.Low, k.band.High-k.band.Low
			x := s.rng.Float64()
			switch r.status {
			case okr.OnTrack:
				v = low + (0.25+0.6*x)*width
			case okr.AtRisk:
				v = low - (0.1+0.3*x)*width
			default:
				v = low - (0.6+0.3*x)*width
			}
		}
		v = roundTo(v, k.step)
		if k.unit == okr.UnitPercent {
			v = math.Max(0, math.Min(100, v))
		}
		if k.kind == okr.Increase && k.step >= 1 {
			v = math.Max(v, prev) // a count does not go back
		}
		r.value = &v
		r.headline = fmt.Sprintf("**%s** (was %s)", formatValue(k, v), formatValue(k, prev))
		st.value = v
	}
	switch r.status {
	case okr.OnTrack:
		r.confidence = 0.7 + 0.25*s.rng.Float64()
	case okr.AtRisk:
		r.confidence = 0.45 + 0.2*s.rng.Float64()
	default:
		r.confidence = 0.2 + 0.15*s.rng.Float64()
	}
	r.confidence = math.Round(r.confidence*100) / 100
	return r
}

// milestonesAt is how many milestones, in order, are done at progress p.
func milestonesAt(ms []milestoneSpec, p float64) int {
	var total, cum float64
	for _, m := range ms {
		total += m.weight
	}
	for i, m := range ms {
		cum += m.weight
		if cum/total > p+0.05 {
			return i
		}
	}
	return len(ms)
}

// roundTo rounds v to a multiple of step (0.1 when step is 0), keeping
// decimal steps exact in their shortest decimal form.
func roundTo(v, step float64) float64 {
	if step == 0 {
		step = 0.1
	}
	if step < 1 {
		scale := math.Round(1 / step)
		return math.Round(v*scale) / scale
	}
	return math.Round(v/step) * step
}

// formatValue writes a value with its unit, as a person would.
func formatValue(k *krSpec, v float64) string {
	num := strconv.FormatFloat(v, 'f', -1, 64)
	switch k.unit {
	case okr.UnitPercent:
		return num + "%"
	case okr.UnitCurrency:
		return k.currency + " " + thousands(v)
	case okr.UnitCustom:
		if v == 1 {
			return num + " " + strings.TrimSuffix(k.label, "s")
		}
		return num + " " + k.label
	}
	return num
}

// thousands writes a whole amount with comma separators: 48,000.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(math.Round(math.Abs(v))), 10)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

var remarks = map[okr.Status][]string{
	okr.OnTrack: {
		"On plan; nothing in the way this week.",
		"Good momentum: the team kept the weekly rhythm.",
		"Steady progress. Next: keep the focus on the slowest part.",
		"Moving as planned, and the trend holds.",
		"A small step forward; no help needed.",
	},
	okr.AtRisk: {
		"Slower than planned; see the blocker.",
		"Behind where we hoped to be; unplanned work ate two days.",
		"At risk: the trend is flat and the quarter is shorter than it looks.",
	},
	okr.OffTrack: {
		"Moving the wrong way. Escalated in the leadership sync.",
		"Off track: the current approach is not working, and we change it this week.",
	},
}

// remark is the sentence under a check-in's numbers: the owner's own words
// for the last check-ins, a common one before.
func (s *seeder) remark(k *krSpec, status okr.Status, w, n int) string {
	if i := len(k.notes) - (n - w); i >= 0 {
		return k.notes[i]
	}
	pool := remarks[status]
	return pool[s.rng.IntN(len(pool))]
}

// blockers are a key result's blockers while it is not on track.
func (s *seeder) blockers(k *krSpec, status okr.Status, day time.Time) []okr.Blocker {
	if status == okr.OnTrack {
		return nil
	}
	out := make([]okr.Blocker, 0, len(k.blockers))
	for _, b := range k.blockers {
		out = append(out, okr.Blocker{Type: b.typ, Description: b.description, OwnerID: s.users[b.owner], NextAction: b.next,
			DueDate: date(day.AddDate(0, 0, b.dueDays))})
	}
	return out
}
