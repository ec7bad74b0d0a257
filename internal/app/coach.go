package app

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// The OKR coach's use cases: the checks of okr/coach.go over a draft
// document (not stored), a stored objective or a whole period, with the
// organization's thresholds, its people and its value histories.

// CoachReport is the coach's word on a set of OKRs: every finding, the
// set's strength and, per objective, its own.
type CoachReport struct {
	// Strength is (passes + half the warns) / checks over every finding.
	Strength float64 `json:"strength" doc:"(passes + half the warns) / checks, over every finding of the report; 1 when nothing was checked."`
	Pass     int     `json:"pass"`
	Warn     int     `json:"warn"`
	Fail     int     `json:"fail"`
	// Findings are the set's own: people's load, initiatives, learning objectives.
	Findings []okr.Finding `json:"findings" doc:"The set's own findings: people's load, initiatives and learning objectives."`
	// Objectives are weakest first.
	Objectives []ObjectiveCoach `json:"objectives" doc:"Each objective with its findings and its key results', weakest first."`
}

// ObjectiveCoach is the coach's word on one objective and its key results.
type ObjectiveCoach struct {
	// Ref is the objective's id, or its slug in a draft document.
	Ref      string        `json:"ref" doc:"The objective's id; its slug in a draft document."`
	Title    string        `json:"title"`
	Strength float64       `json:"strength"`
	Findings []okr.Finding `json:"findings" doc:"The objective's findings, then its key results'."`
}

// coachSet gathers what one report checks and counts.
type coachSet struct {
	period okr.CoachPeriod
	th     okr.CoachThresholds
	// objectives are checked with their key results.
	objectives []okr.CoachObjective
	// initiatives and learning are checked.
	initiatives []okr.CoachInitiative
	learning    []okr.CoachLearning
	// load counts what each person owns in the period, by key (a user id,
	// or an e-mail no member has); reported are the people checked, in order.
	load     map[string]*okr.CoachPerson
	reported []string
}

func newCoachSet(p okr.CoachPeriod, th okr.CoachThresholds) *coachSet {
	return &coachSet{period: p, th: th.WithDefaults(), load: map[string]*okr.CoachPerson{}}
}

// person returns the load of a person, adding them.
func (s *coachSet) person(key, name string) *okr.CoachPerson {
	p := s.load[key]
	if p == nil {
		p = &okr.CoachPerson{Ref: key, Name: name}
		s.load[key] = p
	}
	return p
}

// report marks a person as one whose load the report checks.
func (s *coachSet) report(key string) {
	if key != "" && !slices.Contains(s.reported, key) {
		s.reported = append(s.reported, key)
	}
}

// countObjective counts an objective for its owner and champion (once when
// they are the same person); empty keys are nobody.
func (s *coachSet) countObjective(owner, ownerName, champion, championName string, reported bool) {
	for i, key := range []string{owner, champion} {
		if key == "" || (i == 1 && champion == owner) {
			continue
		}
		s.person(key, []string{ownerName, championName}[i]).Objectives++
		if reported {
			s.report(key)
		}
	}
}

// result runs the checks and builds the report.
func (s *coachSet) result() CoachReport {
	r := CoachReport{Findings: []okr.Finding{}, Objectives: []ObjectiveCoach{}}
	all := []okr.Finding{}
	for _, o := range s.objectives {
		fs := okr.CoachObjectiveFindings(o, s.period, s.th)
		r.Objectives = append(r.Objectives, ObjectiveCoach{Ref: o.Ref, Title: o.Title, Strength: okr.Strength(fs), Findings: fs})
		all = append(all, fs...)
	}
	sort.SliceStable(r.Objectives, func(i, j int) bool { return r.Objectives[i].Strength < r.Objectives[j].Strength })
	for _, key := range s.reported {
		r.Findings = append(r.Findings, okr.CheckPersonLoad(*s.load[key], s.th))
	}
	for _, in := range s.initiatives {
		r.Findings = append(r.Findings, okr.CheckInitiativeAligned(in))
	}
	for _, l := range s.learning {
		r.Findings = append(r.Findings, okr.CheckLearningNamesGap(l))
	}
	all = append(all, r.Findings...)
	r.Strength = okr.Strength(all)
	r.Pass, r.Warn, r.Fail = okr.Tally(all)
	return r
}

// coachPeriodBounds guesses a period's dates from its name when it is not
// stored: 2027, 2027-Q1 or 2027-H2 (any case); other names give none.
func coachPeriodBounds(name string) (start, end okr.Date) {
	m := regexp.MustCompile(`^(\d{4})(?:-([qQ][1-4]|[hH][12]))?$`).FindStringSubmatch(strings.TrimSpace(name))
	if m == nil {
		return "", ""
	}
	y, _ := strconv.Atoi(m[1])
	from, months := 1, 12
	if m[2] != "" {
		n := int(m[2][1] - '0')
		if m[2][0] == 'q' || m[2][0] == 'Q' {
			from, months = 3*(n-1)+1, 3
		} else {
			from, months = 6*(n-1)+1, 6
		}
	}
	first := time.Date(y, time.Month(from), 1, 0, 0, 0, 0, time.UTC)
	return okr.Date(first.Format(okr.DateLayout)), okr.Date(first.AddDate(0, months, -1).Format(okr.DateLayout))
}

// coachPeople resolves the people a document names by e-mail.
type coachPeople interface {
	// person returns the person's load key and name, and why they cannot
	// own anything (empty when they can).
	person(email string) (key, name, problem string)
}

// coachNoPeople knows nobody: an e-mail is judged on its form alone.
type coachNoPeople struct{}

func (coachNoPeople) person(email string) (string, string, string) {
	email = strings.ToLower(strings.TrimSpace(email))
	at := strings.IndexByte(email, '@')
	if at <= 0 || at == len(email)-1 || strings.ContainsAny(email, " \t,;<>") {
		return email, email, fmt.Sprintf("%q is not an e-mail address.", email)
	}
	return email, email, ""
}

// coachDocRef is how a document calls its objectives and key results: the slug,
// or the slug its title gives when it has none (as apply derives it).
func coachDocRef(slug, title string) string {
	if s := strings.TrimSpace(slug); s != "" {
		return s
	}
	return okr.Slugify(title)
}

// coachDocOwner reads a document's objective owner: org (or empty), team:<slug>,
// or a person's e-mail.
func coachDocOwner(owner string) (okr.OwnerType, string) {
	owner = strings.TrimSpace(owner)
	switch {
	case owner == "" || owner == "org":
		return okr.OwnerOrg, ""
	case strings.HasPrefix(owner, "team:"):
		return okr.OwnerTeam, strings.TrimPrefix(owner, "team:")
	}
	return okr.OwnerUser, owner
}

// coachExtras are what the database adds to a document's key results: their
// value histories and the baselines and units their KPIs give.
type coachExtras interface {
	keyResult(objectiveSlug string, d DocKeyResult, k *okr.CoachKeyResult)
	// link says whether a reference to a key result outside the document
	// (<objective>/<key result>, or <period>:<objective>/<key result>)
	// points at a key result of an active objective of the period.
	link(ref string) (live bool)
}

type coachNoExtras struct{}

func (coachNoExtras) keyResult(string, DocKeyResult, *okr.CoachKeyResult) {}
func (coachNoExtras) link(string) bool                                    { return false }

// addDocument adds a document's objectives, key results and initiatives to
// the set: all checked, their owners' load counted and reported.
func (s *coachSet) addDocument(doc OKRDocument, people coachPeople, extras coachExtras) {
	who := func(email string) (key, name, problem string) {
		if strings.TrimSpace(email) == "" {
			return "", "", ""
		}
		return people.person(email)
	}
	// states of the document's key results, by reference, for initiatives' links.
	krState := map[string]okr.ObjectiveState{}
	for _, d := range doc.Objectives {
		oref := coachDocRef(d.Slug, d.Title)
		state := cmp.Or(d.State, okr.Active)
		o := okr.CoachObjective{Ref: oref, Title: d.Title, State: state, AlignmentNote: d.AlignmentNote}
		var ownerEmail string
		o.Owner, ownerEmail = coachDocOwner(d.Owner)
		for _, al := range d.AlignsTo {
			if cmp.Or(al.Link, okr.Contributes) == okr.Supports {
				o.Supports++
			} else {
				o.Contributes++
			}
		}
		var ownerKey, ownerName string
		if o.Owner == okr.OwnerUser {
			ownerKey, ownerName, _ = who(ownerEmail)
		}
		champKey, champName, _ := who(d.Champion)
		s.countObjective(ownerKey, ownerName, champKey, champName, true)
		for _, dk := range d.KeyResults {
			kref := oref + "/" + coachDocRef(dk.Slug, dk.Title)
			k := okr.CoachKeyResult{Ref: kref, Title: dk.Title, Kind: cmp.Or(dk.Kind, okr.Increase), Unit: dk.Unit,
				UnitLabel: dk.UnitLabel, Currency: dk.Currency, Baseline: dk.Baseline, Target: dk.Target, Band: dk.Band,
				Milestones: len(dk.Milestones), DueDate: dk.DueDate}
			if dk.Unit == "" {
				switch dk.Source {
				case okr.SourceKPI:
					k.UnitFrom = "its KPI"
				case okr.SourceLearning:
					k.UnitFrom = "its learning measure"
				}
			}
			if key, name, problem := who(dk.Owner); key != "" {
				k.Owner, k.OwnerProblem = name, problem
				s.person(key, name).KeyResults++
				s.report(key)
			}
			extras.keyResult(oref, dk, &k)
			krState[kref] = state
			o.KeyResults = append(o.KeyResults, k)
		}
		s.objectives = append(s.objectives, o)
	}
	for _, d := range doc.Initiatives {
		if d.Status == okr.Cancelled {
			continue
		}
		in := okr.CoachInitiative{Ref: coachDocRef(d.Slug, d.Title), Title: d.Title}
		for _, ref := range d.KeyResults {
			local := strings.TrimPrefix(ref, doc.Period+":")
			state, inDoc := krState[local]
			switch {
			case inDoc && state == okr.Active:
				in.Live++
			case !inDoc && !strings.Contains(local, ":") && extras.link(local):
				in.Live++
			default:
				in.Stale++
			}
		}
		s.initiatives = append(s.initiatives, in)
		if key, name, _ := who(d.Owner); key != "" && d.Status != okr.Done {
			s.person(key, name).Initiatives++
			s.report(key)
		}
	}
}

// CoachOffline checks a document without a database (okra lint): owners are
// judged by the form of their e-mails, there is no value history (no
// ambition check), the period's dates come from its name (2027, 2027-Q1,
// 2027-H1) and people's load is counted within the file.
func CoachOffline(doc OKRDocument, th okr.CoachThresholds) CoachReport {
	start, end := coachPeriodBounds(doc.Period)
	s := newCoachSet(okr.CoachPeriod{Start: start, End: end}, th)
	s.addDocument(doc, coachNoPeople{}, coachNoExtras{})
	return s.result()
}

// coachStored is a period as the coach reads it from the database: what
// the actor may see of it, and the organization's people.
type coachStored struct {
	ctx    context.Context
	tx     Tx
	v      *access
	org    org.Organization
	period okr.Period
	found  bool
	// objectives the actor may see, in id order, with their key results.
	objectives []okr.Objective
	krs        map[string][]okr.KeyResult
	// krObjective maps the period's visible key results to their objectives.
	krObjective map[string]*okr.Objective
	members     map[string]org.Member // by id
	byEmail     map[string]org.Member
	// initiatives linked to a visible key result of the period, or linked to
	// none, open and within the period's dates.
	initiatives []okr.Initiative
	// objectiveOf caches the objectives of key results outside the period.
	objectiveOf map[string]*okr.Objective
	kpiByName   map[string]okr.KPI
}

// loadCoachStored reads a period by id, or by name when periodID is empty (a
// period of that name that does not exist gives found false, no error).
func loadCoachStored(ctx context.Context, tx Tx, actor org.Actor, periodID, byName string) (*coachStored, error) {
	c := &coachStored{ctx: ctx, tx: tx, v: newAccess(ctx, tx, actor), krs: map[string][]okr.KeyResult{},
		krObjective: map[string]*okr.Objective{}, members: map[string]org.Member{}, byEmail: map[string]org.Member{},
		objectiveOf: map[string]*okr.Objective{}}
	orgID := actor.OrgID
	var err error
	if c.org, err = tx.GetOrganization(ctx, orgID); err != nil {
		return nil, err
	}
	ms, err := tx.ListMembers(ctx, orgID, "", 1<<30)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		c.members[m.ID] = m
		c.byEmail[strings.ToLower(m.Email)] = m
	}
	if periodID == "" {
		for after := ""; !c.found && byName != ""; {
			ps, err := tx.ListPeriods(ctx, orgID, after, 500)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				if p.Name == byName {
					c.period, c.found = p, true
				}
			}
			if len(ps) < 500 {
				break
			}
			after = ps[len(ps)-1].ID
		}
		if !c.found {
			return c, nil
		}
	} else {
		if c.period, err = tx.GetPeriod(ctx, orgID, periodID); err != nil {
			return nil, err
		}
		c.found = true
	}
	os, err := tx.ListObjectives(ctx, orgID, okr.ObjectiveFilter{PeriodID: c.period.ID})
	if err != nil {
		return nil, err
	}
	for _, o := range os {
		if ok, err := c.v.canSee(o); err != nil {
			return nil, err
		} else if ok {
			c.objectives = append(c.objectives, o)
		}
	}
	for i := range c.objectives {
		c.objectiveOf[c.objectives[i].ID] = &c.objectives[i]
	}
	krs, err := tx.ListKeyResults(ctx, orgID, okr.KeyResultFilter{PeriodID: c.period.ID})
	if err != nil {
		return nil, err
	}
	for _, k := range krs {
		if o := c.objectiveOf[k.ObjectiveID]; o != nil {
			c.krs[k.ObjectiveID] = append(c.krs[k.ObjectiveID], k)
			c.krObjective[k.ID] = o
		}
	}
	ins, err := tx.ListInitiatives(ctx, orgID, okr.InitiativeFilter{})
	if err != nil {
		return nil, err
	}
	for _, in := range ins {
		linked := slices.ContainsFunc(in.KeyResultIDs, func(id string) bool { return c.krObjective[id] != nil })
		if linked || (len(in.KeyResultIDs) == 0 && c.openInPeriod(in)) {
			c.initiatives = append(c.initiatives, in)
		}
	}
	return c, nil
}

// openInPeriod reports whether an initiative is under way (planned, in
// progress or blocked) and its dates meet the period's.
func (c *coachStored) openInPeriod(in okr.Initiative) bool {
	if in.Status == okr.Done || in.Status == okr.Cancelled {
		return false
	}
	return (in.StartDate == "" || in.StartDate <= c.period.EndDate) && (in.DueDate == "" || in.DueDate >= c.period.StartDate)
}

// coachPeriod is what the checks know of the stored period.
func (c *coachStored) coachPeriod() okr.CoachPeriod {
	p := okr.CoachPeriod{Location: c.org.Location(), Points: c.org.Settings.ForecastPoints}
	if c.found {
		p.Start, p.End = c.period.StartDate, c.period.EndDate
	}
	return p
}

// name is how reports call a member: their name, else their e-mail.
func (c *coachStored) name(id string) string {
	m, ok := c.members[id]
	if !ok {
		return id
	}
	return cmp.Or(m.Name, m.Email)
}

// person resolves an e-mail to a member (coachPeople).
func (c *coachStored) person(email string) (string, string, string) {
	email = strings.ToLower(strings.TrimSpace(email))
	m, ok := c.byEmail[email]
	switch {
	case !ok:
		return email, email, fmt.Sprintf("No member of the organization has the e-mail %s.", email)
	case !m.Active:
		return m.ID, cmp.Or(m.Name, m.Email), fmt.Sprintf("%s is no longer an active member.", cmp.Or(m.Name, m.Email))
	}
	return m.ID, cmp.Or(m.Name, m.Email), ""
}

// ownerProblem says why a stored key result's owner cannot own it.
func (c *coachStored) ownerProblem(id string) string {
	m, ok := c.members[id]
	switch {
	case !ok:
		return "Its owner is not a member of the organization."
	case !m.Active:
		return fmt.Sprintf("%s is no longer an active member.", cmp.Or(m.Name, m.Email))
	}
	return ""
}

// points is how many of the latest values a trend fits.
func (c *coachStored) points() int {
	return max(c.org.Settings.ForecastPoints, okr.MinForecastPoints)
}

// history is a stored key result's value history, oldest first: its
// check-ins; when fewer than a trend needs, its KPI's records; else the
// check-ins of the key result it was carried from before its own.
func (c *coachStored) history(k okr.KeyResult, o *okr.Objective) ([]okr.Point, error) {
	n := c.points()
	own, err := c.tx.RecentPoints(c.ctx, c.org.ID, k.ID, n)
	if err != nil || len(own) >= okr.MinForecastPoints {
		return own, err
	}
	if m, ok := parseKPIMeasure(k.Measure); ok && k.Source == okr.SourceKPI {
		ps, err := c.kpiPoints(m.KPIID)
		if err != nil || len(ps) >= okr.MinForecastPoints {
			return ps, err
		}
	}
	if o == nil || o.CarriedFrom == "" {
		return own, nil
	}
	before, err := c.tx.ListKeyResults(c.ctx, c.org.ID, okr.KeyResultFilter{ObjectiveID: o.CarriedFrom})
	if err != nil {
		return nil, err
	}
	for _, b := range before {
		if (k.Slug != "" && b.Slug == k.Slug) || b.Title == k.Title {
			ps, err := c.tx.RecentPoints(c.ctx, c.org.ID, b.ID, n)
			if err != nil {
				return nil, err
			}
			all := append(ps, own...)
			slices.SortStableFunc(all, func(x, y okr.Point) int { return x.At.Compare(y.At) })
			return all, nil
		}
	}
	return own, nil
}

// kpiPoints are a KPI's latest records as values in time, oldest first.
func (c *coachStored) kpiPoints(kpiID string) ([]okr.Point, error) {
	rs, err := c.tx.ListKPIRecords(c.ctx, c.org.ID, okr.KPIRecordFilter{KPIIDs: []string{kpiID}, Newest: true, Limit: c.points()})
	if err != nil {
		return nil, err
	}
	ps := make([]okr.Point, 0, len(rs))
	for i := len(rs) - 1; i >= 0; i-- {
		at, err := rs[i].Date.Time(c.org.Location())
		if err != nil {
			continue
		}
		ps = append(ps, okr.Point{At: at, Value: rs[i].Value})
	}
	return ps, nil
}

// coachObjective reads a stored objective and its key results for the checks.
func (c *coachStored) coachObjective(o *okr.Objective) (okr.CoachObjective, error) {
	co := okr.CoachObjective{Ref: o.ID, Title: o.Title, Owner: o.Owner.Type, State: o.State, AlignmentNote: o.AlignmentNote}
	for _, al := range o.Alignments {
		if al.Link == okr.Supports {
			co.Supports++
		} else {
			co.Contributes++
		}
	}
	for _, k := range c.krs[o.ID] {
		ck := okr.CoachKeyResult{Ref: k.ID, Title: k.Title, Kind: k.Kind, Unit: k.Unit, UnitLabel: k.UnitLabel,
			Currency: k.Currency, Band: k.Band, Milestones: len(k.Milestones), DueDate: k.DueDate}
		if k.Kind == okr.Increase || k.Kind == okr.Decrease {
			ck.Baseline, ck.Target = &k.Baseline, &k.Target
		}
		if k.OwnerID != "" {
			ck.Owner, ck.OwnerProblem = c.name(k.OwnerID), c.ownerProblem(k.OwnerID)
		}
		if k.Kind == okr.Increase || k.Kind == okr.Decrease {
			var err error
			if ck.History, err = c.history(k, o); err != nil {
				return co, err
			}
		}
		co.KeyResults = append(co.KeyResults, ck)
	}
	return co, nil
}

// coachOwnerOf is the person who owns an objective, or "".
func coachOwnerOf(o *okr.Objective) string {
	if o.Owner.Type == okr.OwnerUser {
		return o.Owner.ID
	}
	return ""
}

// countLoad counts the stored ownership of the period in s, reporting the
// people for whom report says so; skip leaves out what a document replaces.
func (c *coachStored) countLoad(s *coachSet, skipObjective func(*okr.Objective) bool, skipInitiative func(okr.Initiative) bool) {
	for i := range c.objectives {
		o := &c.objectives[i]
		if skipObjective(o) {
			continue
		}
		s.countObjective(coachOwnerOf(o), c.name(coachOwnerOf(o)), o.ChampionID, c.name(o.ChampionID), false)
		for _, k := range c.krs[o.ID] {
			if k.OwnerID != "" {
				s.person(k.OwnerID, c.name(k.OwnerID)).KeyResults++
			}
		}
	}
	for _, in := range c.initiatives {
		if in.OwnerID != "" && !skipInitiative(in) && in.Status != okr.Done && in.Status != okr.Cancelled {
			s.person(in.OwnerID, c.name(in.OwnerID)).Initiatives++
		}
	}
}

// initiativeLinks counts an initiative's links to key results of active
// objectives of the period (live) and its other links (stale).
func (c *coachStored) initiativeLinks(in okr.Initiative) okr.CoachInitiative {
	ci := okr.CoachInitiative{Ref: in.ID, Title: in.Title}
	for _, id := range in.KeyResultIDs {
		if o := c.krObjective[id]; o != nil {
			if o.State == okr.Active {
				ci.Live++
			} else {
				ci.Stale++
			}
			continue
		}
		ci.Stale++ // a key result of another period, or one the actor may not see
	}
	return ci
}

// addLearning adds the learning objectives tied to the objectives (or their
// key results) for which keep is true.
func (c *coachStored) addLearning(s *coachSet, keep func(objectiveID string) bool) error {
	ls, err := c.tx.ListLearningObjectives(c.ctx, c.org.ID, learning.LearningObjectiveFilter{})
	if err != nil {
		return err
	}
	for _, l := range ls {
		objectiveID := l.ObjectiveID
		if o := c.krObjective[l.KeyResultID]; o != nil && objectiveID == "" {
			objectiveID = o.ID
		}
		if c.objectiveOf[objectiveID] == nil || !keep(objectiveID) {
			continue
		}
		title, err := c.learningTitle(l)
		if err != nil {
			return err
		}
		s.learning = append(s.learning, okr.CoachLearning{Ref: l.ID, Title: title, Requirement: l.RequirementID != "", KeyResult: l.KeyResultID != ""})
	}
	return nil
}

// learningTitle names a learning objective: "<skill> to level <n> for <learner>".
func (c *coachStored) learningTitle(l learning.LearningObjective) (string, error) {
	skill, err := c.tx.GetSkill(c.ctx, c.org.ID, l.SkillID)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return "", err
	}
	who := c.name(l.UserID)
	if l.TeamID != "" {
		t, err := c.tx.GetTeam(c.ctx, c.org.ID, l.TeamID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return "", err
		}
		who = cmp.Or(t.Name, l.TeamID)
	}
	return fmt.Sprintf("%s to level %d for %s", cmp.Or(skill.Name, l.SkillID), l.TargetLevel, who), nil
}

// coachSet puts the stored objectives for which keep is true in a set, with
// the initiatives linked to their key results, their people and their
// learning objectives; whole adds the initiatives linked to nothing that
// are under way in the period.
func (c *coachStored) coachSet(keep func(*okr.Objective) bool, whole bool) (*coachSet, error) {
	s := newCoachSet(c.coachPeriod(), c.org.Settings.Coach)
	kept := map[string]bool{}
	for i := range c.objectives {
		o := &c.objectives[i]
		if !keep(o) {
			continue
		}
		kept[o.ID] = true
		co, err := c.coachObjective(o)
		if err != nil {
			return nil, err
		}
		s.objectives = append(s.objectives, co)
		s.report(coachOwnerOf(o))
		s.report(o.ChampionID)
		for _, k := range c.krs[o.ID] {
			s.report(k.OwnerID)
		}
	}
	for _, in := range c.initiatives {
		mine := slices.ContainsFunc(in.KeyResultIDs, func(id string) bool {
			o := c.krObjective[id]
			return o != nil && kept[o.ID]
		})
		if in.Status == okr.Cancelled || (!mine && (len(in.KeyResultIDs) > 0 || !whole)) {
			continue
		}
		s.initiatives = append(s.initiatives, c.initiativeLinks(in))
		if in.Status != okr.Done && in.Status != okr.Cancelled {
			s.report(in.OwnerID)
		}
	}
	c.countLoad(s, func(*okr.Objective) bool { return false }, func(okr.Initiative) bool { return false })
	err := c.addLearning(s, func(id string) bool { return kept[id] })
	return s, err
}

// CoachObjective checks a stored objective the actor may see: its own
// checks and its key results', the initiatives linked to its key results,
// the load of its people in its period and the learning objectives tied to
// it. An objective the actor may not see, or of another organization, is
// NotFound.
func (a *App) CoachObjective(ctx context.Context, actor org.Actor, objectiveID string) (CoachReport, error) {
	var r CoachReport
	if err := requireRead(actor); err != nil {
		return r, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		o, err := newAccess(ctx, tx, actor).objective(objectiveID)
		if err != nil {
			return err
		}
		c, err := loadCoachStored(ctx, tx, actor, o.PeriodID, "")
		if err != nil {
			return err
		}
		s, err := c.coachSet(func(x *okr.Objective) bool { return x.ID == o.ID }, false)
		if err != nil {
			return err
		}
		r = s.result()
		return nil
	})
	return r, err
}

// CoachPeriod checks every objective of a period the actor may see, the
// initiatives linked to their key results (and those linked to nothing that
// are under way in the period), the load of their people and the learning
// objectives tied to them. A period of another organization is NotFound.
func (a *App) CoachPeriod(ctx context.Context, actor org.Actor, periodID string) (CoachReport, error) {
	var r CoachReport
	if err := requireRead(actor); err != nil {
		return r, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		c, err := loadCoachStored(ctx, tx, actor, periodID, "")
		if err != nil {
			return err
		}
		s, err := c.coachSet(func(*okr.Objective) bool { return true }, true)
		if err != nil {
			return err
		}
		r = s.result()
		return nil
	})
	return r, err
}

// coachDocStored adds what the database knows to a draft document: the value
// history of the key results it matches by slug, the KPIs it names.
type coachDocStored struct {
	c   *coachStored
	err error
}

func (d *coachDocStored) keyResult(objectiveSlug string, dk DocKeyResult, k *okr.CoachKeyResult) {
	if d.err != nil {
		return
	}
	c := d.c
	var kpiID string
	if dk.Measure != nil && dk.Measure.KPI != "" {
		if c.kpiByName == nil {
			c.kpiByName = map[string]okr.KPI{}
			kpis, err := c.tx.ListKPIs(c.ctx, c.org.ID, okr.KPIFilter{})
			if err != nil {
				d.err = err
				return
			}
			for _, kpi := range kpis {
				c.kpiByName[strings.ToLower(kpi.Name)] = kpi
			}
		}
		if kpi, ok := c.kpiByName[strings.ToLower(dk.Measure.KPI)]; ok {
			kpiID = kpi.ID
			if k.Unit == "" {
				k.Unit, k.UnitLabel, k.Currency, k.UnitFrom = kpi.Unit, kpi.UnitLabel, kpi.Currency, ""
			}
		}
	}
	// A key result the document keeps: its own history.
	for i := range c.objectives {
		o := &c.objectives[i]
		if o.Slug != objectiveSlug {
			continue
		}
		for _, sk := range c.krs[o.ID] {
			if sk.Slug == coachDocRef(dk.Slug, dk.Title) {
				k.History, d.err = c.history(sk, o)
				return
			}
		}
	}
	if kpiID != "" {
		k.History, d.err = c.kpiPoints(kpiID)
		if dk.Baseline == nil && len(k.History) > 0 && dk.Source == okr.SourceKPI {
			b := k.History[len(k.History)-1].Value
			k.Baseline = &b
		}
	}
}

// link resolves <objective>/<key result> in the stored period.
func (d *coachDocStored) link(ref string) bool {
	oslug, kslug, ok := strings.Cut(ref, "/")
	if !ok || strings.Contains(ref, ":") {
		return false
	}
	for i := range d.c.objectives {
		o := &d.c.objectives[i]
		if o.Slug != oslug || o.State != okr.Active {
			continue
		}
		for _, k := range d.c.krs[o.ID] {
			if k.Slug == kslug {
				return true
			}
		}
	}
	return false
}

// CoachDocument checks a draft document that is not stored: owners are
// resolved against the organization's members, the load of each person it
// names adds what they own in the stored period of the same name (less what
// the document replaces, matched by slug), and a key result whose slug
// matches a stored one is judged against that one's value history.
func (a *App) CoachDocument(ctx context.Context, actor org.Actor, doc OKRDocument) (CoachReport, error) {
	var r CoachReport
	if err := requireRead(actor); err != nil {
		return r, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		c, err := loadCoachStored(ctx, tx, actor, "", strings.TrimSpace(doc.Period))
		if err != nil {
			return err
		}
		p := c.coachPeriod()
		if !c.found {
			p.Start, p.End = coachPeriodBounds(doc.Period)
		}
		s := newCoachSet(p, c.org.Settings.Coach)
		ds := &coachDocStored{c: c}
		s.addDocument(doc, c, ds)
		if ds.err != nil {
			return ds.err
		}
		objectives, initiatives := map[string]bool{}, map[string]bool{}
		for _, d := range doc.Objectives {
			objectives[coachDocRef(d.Slug, d.Title)] = true
		}
		for _, d := range doc.Initiatives {
			initiatives[coachDocRef(d.Slug, d.Title)] = true
		}
		c.countLoad(s, func(o *okr.Objective) bool { return objectives[o.Slug] },
			func(in okr.Initiative) bool { return initiatives[in.Slug] })
		r = s.result()
		return nil
	})
	return r, err
}
