package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// ApplyOptions say how ApplyDocument applies a document.
type ApplyOptions struct {
	// DryRun runs everything, every check included, then rolls it back.
	DryRun bool
	// Prune deletes what the file does not name: the period's objectives, the
	// key results of the objectives it names, the skill requirements of the
	// objectives and key results it names, and the initiatives linked only to
	// the period's key results. Only what the actor may change is pruned.
	Prune bool
}

// Change actions and kinds of a plan.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"

	ChangeObjective  = "objective"
	ChangeKeyResult  = "key_result"
	ChangeInitiative = "initiative"
)

// ApplyPlan is what applying a document does (or, for a dry run, would do).
type ApplyPlan struct {
	Period    string          `json:"period" doc:"The period's name."`
	DryRun    bool            `json:"dry_run" doc:"True when nothing was changed."`
	Prune     bool            `json:"prune" doc:"True when what the file does not name was deleted."`
	Changes   []PlannedChange `json:"changes" doc:"The creations, updates and deletions, in the order they run."`
	Create    int             `json:"create"`
	Update    int             `json:"update"`
	Delete    int             `json:"delete"`
	Unchanged int             `json:"unchanged" doc:"Objectives, key results and initiatives of the file that already match it."`
}

// PlannedChange is one creation, update or deletion of a plan.
type PlannedChange struct {
	Action string `json:"action" enum:"create,update,delete"`
	Kind   string `json:"kind" enum:"objective,key_result,initiative"`
	// Ref is the object's slug path: grow-revenue, grow-revenue/arr, or an initiative's slug.
	Ref   string `json:"ref" doc:"The slug path: an objective's slug, <objective>/<key result>, or an initiative's slug."`
	Title string `json:"title"`
	// Fields are the fields an update changes, as the document names them.
	Fields []string `json:"fields,omitempty" doc:"For an update: the fields that change."`
	// Path is where the object is in the document; empty for a deletion.
	Path string `json:"path,omitempty" doc:"Where the object is in the document, e.g. objectives[1].key_results[0]."`
}

// ApplyDocument makes a period's stored OKRs match a document: it checks the
// whole document first (every problem with its path, at once), plans the
// changes by comparing what the file names with what is stored (objects
// matched by slug; only the fields the file names), then runs them through
// the use cases, as actor, in one transaction: all or nothing. Applying the
// same document again plans nothing and changes nothing.
func (a *App) ApplyDocument(ctx context.Context, actor org.Actor, doc OKRDocument, opts ApplyOptions) (ApplyPlan, error) {
	plan := ApplyPlan{Period: doc.Period, DryRun: opts.DryRun, Prune: opts.Prune, Changes: []PlannedChange{}}
	if err := requireWrite(actor); err != nil {
		return plan, err
	}
	var f errs.Fields
	if doc.Okra != OKRFormatVersion {
		f.Add("okra", "must be %d: the version of the format the file is written in", OKRFormatVersion)
	}
	if strings.TrimSpace(doc.Period) == "" {
		f.Add("period", "name the period the objectives belong to, e.g. 2027-Q1")
	}
	if err := f.Err(); err != nil {
		return plan, err
	}
	err := a.transaction(ctx, actor.OrgID, opts.DryRun, func(in *App) error {
		var ap *applier
		err := in.db.Read(ctx, func(tx Tx) error {
			st, err := loadCodeState(ctx, tx, actor, doc.Period, "")
			if err != nil {
				return err
			}
			ap = &applier{st: st, doc: doc, opts: opts, actor: actor}
			return ap.prepare()
		})
		if err != nil {
			return err
		}
		plan.Changes, plan.Create, plan.Update, plan.Delete, plan.Unchanged = ap.plan()
		return ap.execute(ctx, in)
	})
	return plan, err
}

// applier applies one document to one period's stored state.
type applier struct {
	st    *codeState
	doc   OKRDocument
	opts  ApplyOptions
	actor org.Actor
	f     errs.Fields
	// kinds are the kinds of the use cases' errors gathered in f.
	kinds      map[errs.Kind]bool
	objectives []*wantObjective
	bySlug     map[string]*wantObjective
	order      []*wantObjective // dependency order: parents first
	inits      []*wantInitiative
	prunes     []prune
}

// wantObjective is an objective of the document with what it resolves to.
type wantObjective struct {
	path   string
	d      DocObjective
	stored *okr.Objective
	id     string // stored, or made by execute
	owner  *OwnerInput
	champ  *string
	aligns []wantRef // nil: not named
	kpis   *[]string
	skills *wantSkills
	krs    []*wantKR
	deps   []*wantObjective
	failed bool
}

// wantKR is a key result of the document with what it resolves to.
type wantKR struct {
	path    string
	o       *wantObjective
	d       DocKeyResult
	stored  *okr.KeyResult
	id      string
	owner   *string
	kind    okr.KRKind // the kind it will have
	measure json.RawMessage
	skills  *wantSkills
}

// wantInitiative is an initiative of the document.
type wantInitiative struct {
	path   string
	d      DocInitiative
	stored *okr.Initiative
	owner  *string
	krs    []wantRef // nil: not named
	tasks  []TaskInput
}

// wantRef is a resolved reference to an objective or key result: a stored
// one (id), or one of the document (objective, and key result slug).
type wantRef struct {
	typ  okr.ParentType
	id   string
	o    *wantObjective
	kr   string
	link okr.Link
}

// wantSkills are the skill requirements a document gives a subject.
type wantSkills struct {
	path  string
	items []wantSkill
}

type wantSkill struct {
	path    string
	skillID string
	d       DocSkill
}

// prune is something the file does not name that Prune deletes.
type prune struct {
	kind  string
	ref   string
	title string
	id    string
}

// resolveID returns the id a reference points at now: a stored id, or the
// id of an object made earlier in this apply (empty until then).
func (r wantRef) resolveID() string {
	if r.o == nil {
		return r.id
	}
	if r.typ == okr.ParentObjective {
		return r.o.id
	}
	for _, k := range r.o.krs {
		if k.d.Slug == r.kr {
			return k.id
		}
	}
	return ""
}

var refPeriod = regexp.MustCompile(`^([^:/]+):(.+)$`)

// ref resolves "<objective>" or "<objective>/<key result>", optionally
// prefixed with "<period>:"; keyResult says which is expected.
func (ap *applier) ref(field, ref string, keyResult bool) (wantRef, bool) {
	st := ap.st
	ref = strings.TrimSpace(ref)
	out := wantRef{typ: okr.ParentObjective}
	if keyResult {
		out.typ = okr.ParentKeyResult
	}
	period := st.period
	if m := refPeriod.FindStringSubmatch(ref); m != nil {
		p, ok := st.periods[m[1]]
		if !ok {
			ap.f.Add(field, "no period named %q in this organization", m[1])
			return out, false
		}
		period, ref = p, m[2]
	}
	objSlug, krSlug, hasKR := strings.Cut(ref, "/")
	if keyResult != hasKR {
		if keyResult {
			ap.f.Add(field, "%q is not a key result: write <objective slug>/<key result slug>", ref)
		} else {
			ap.f.Add(field, "%q is not an objective: write its slug (or use key_result for a key result)", ref)
		}
		return out, false
	}
	if period.ID == st.period.ID {
		if w, ok := ap.bySlug[objSlug]; ok {
			if !keyResult {
				out.o = w
				return out, true
			}
			for _, k := range w.krs {
				if k.d.Slug == krSlug {
					out.o, out.kr = w, krSlug
					return out, true
				}
			}
			if w.stored != nil {
				if k, ok := st.krBySlug[w.stored.ID][krSlug]; ok {
					if ap.pruned(k.ID) {
						ap.f.Add(field, "%s is not in the file, so --prune deletes it: name it in the file or refer elsewhere", ref)
						return out, false
					}
					out.id = k.ID
					return out, true
				}
			}
			ap.f.Add(field, "objective %s has no key result %q, in the file or stored", objSlug, krSlug)
			return out, false
		}
		o, ok := st.objBySlug[objSlug]
		if !ok {
			ap.f.Add(field, "no objective %q in period %s, in the file or stored", objSlug, period.Name)
			return out, false
		}
		if ap.pruned(o.ID) {
			ap.f.Add(field, "objective %s is not in the file, so --prune deletes it: name it in the file or refer elsewhere", objSlug)
			return out, false
		}
		if !keyResult {
			out.id = o.ID
			return out, true
		}
		k, ok := st.krBySlug[o.ID][krSlug]
		if !ok {
			ap.f.Add(field, "objective %s has no key result %q", objSlug, krSlug)
			return out, false
		}
		out.id = k.ID
		return out, true
	}
	// Another period: what is stored there.
	os, ok := st.otherObjectives[period.ID]
	if !ok {
		list, err := st.tx.ListObjectives(st.ctx, st.v.actor.OrgID, okr.ObjectiveFilter{PeriodID: period.ID})
		if err != nil {
			ap.f.Add(field, "cannot read period %s: %v", period.Name, err)
			return out, false
		}
		os = map[string]*okr.Objective{}
		for i := range list {
			if ok, err := st.v.canSee(list[i]); err == nil && ok {
				os[list[i].Slug] = &list[i]
			}
		}
		st.otherObjectives[period.ID] = os
	}
	o, ok := os[objSlug]
	if !ok {
		ap.f.Add(field, "no objective %q in period %s", objSlug, period.Name)
		return out, false
	}
	if !keyResult {
		out.id = o.ID
		return out, true
	}
	krs, ok := st.otherKRs[o.ID]
	if !ok {
		list, err := st.tx.ListKeyResults(st.ctx, st.v.actor.OrgID, okr.KeyResultFilter{ObjectiveID: o.ID})
		if err != nil {
			ap.f.Add(field, "cannot read objective %s: %v", objSlug, err)
			return out, false
		}
		krs = map[string]*okr.KeyResult{}
		for i := range list {
			krs[list[i].Slug] = &list[i]
		}
		st.otherKRs[o.ID] = krs
	}
	k, ok := krs[krSlug]
	if !ok {
		ap.f.Add(field, "objective %s of period %s has no key result %q", objSlug, period.Name, krSlug)
		return out, false
	}
	out.id = k.ID
	return out, true
}

// pruned reports whether Prune deletes an object.
func (ap *applier) pruned(id string) bool {
	return slices.ContainsFunc(ap.prunes, func(p prune) bool { return p.id == id })
}

// slugOK checks a slug and that it is unique among its siblings.
func (ap *applier) slugOK(field, slug string, seen map[string]string) {
	switch {
	case slug == "":
		ap.f.Add(field, "is required: a stable key of lowercase letters, digits and hyphens, e.g. %q", "grow-revenue")
	case !okr.ValidSlug(slug):
		ap.f.Add(field, "%q is not a slug: use 1 to %d lowercase letters, digits and single hyphens, e.g. %q", slug, okr.SlugMaxLen, okr.Slugify(slug))
	default:
		if first, dup := seen[slug]; dup {
			ap.f.Add(field, "%q is already the slug of %s; slugs must be unique", slug, first)
		}
	}
	seen[slug] = strings.TrimSuffix(field, ".slug")
}

func (ap *applier) email(field, email string) *string {
	if strings.TrimSpace(email) == "" {
		return nil
	}
	id, msg := ap.st.names.user(email)
	if msg != "" {
		ap.f.Add(field, "%s", msg)
		return nil
	}
	return &id
}

func oneOf[T ~string](ap *applier, field string, v T, allowed ...T) {
	if v != "" && !slices.Contains(allowed, v) {
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = string(a)
		}
		ap.f.Add(field, "%q is not one of %s", v, strings.Join(names, ", "))
	}
}

// prepare checks the document against what is stored and resolves every
// name and reference; problems are gathered in ap.f.
func (ap *applier) prepare() error {
	st, doc := ap.st, ap.doc
	ap.bySlug = map[string]*wantObjective{}
	seen := map[string]string{}
	for i, d := range doc.Objectives {
		w := &wantObjective{path: fmt.Sprintf("objectives[%d]", i), d: d}
		ap.slugOK(w.path+".slug", d.Slug, seen)
		if _, dup := ap.bySlug[d.Slug]; !dup && d.Slug != "" {
			ap.bySlug[d.Slug] = w
		}
		w.stored = st.objBySlug[d.Slug]
		if w.stored != nil {
			w.id = w.stored.ID
		}
		krSeen := map[string]string{}
		for j, dk := range d.KeyResults {
			k := &wantKR{path: fmt.Sprintf("%s.key_results[%d]", w.path, j), o: w, d: dk}
			ap.slugOK(k.path+".slug", dk.Slug, krSeen)
			if w.stored != nil {
				k.stored = st.krBySlug[w.stored.ID][dk.Slug]
				if k.stored != nil {
					k.id = k.stored.ID
				}
			}
			w.krs = append(w.krs, k)
		}
		ap.objectives = append(ap.objectives, w)
	}
	if ap.opts.Prune {
		ap.preparePrune()
	}
	for _, w := range ap.objectives {
		ap.prepareObjective(w)
		for _, k := range w.krs {
			ap.prepareKR(k)
		}
	}
	if err := ap.sortObjectives(); err != nil {
		return err
	}
	initSeen := map[string]string{}
	for i, d := range doc.Initiatives {
		w := &wantInitiative{path: fmt.Sprintf("initiatives[%d]", i), d: d, stored: st.initiatives[d.Slug]}
		ap.slugOK(w.path+".slug", d.Slug, initSeen)
		ap.prepareInitiative(w)
		ap.inits = append(ap.inits, w)
	}
	return ap.gathered()
}

func (ap *applier) prepareObjective(w *wantObjective) {
	n, d, p := ap.st.names, w.d, w.path
	if strings.TrimSpace(d.Title) == "" {
		ap.f.Add(p+".title", "is required: a short, qualitative statement of what you want to achieve")
	}
	if d.Owner != "" {
		o, msg := n.owner(d.Owner)
		if msg != "" {
			ap.f.Add(p+".owner", "%s", msg)
		} else {
			w.owner = &o
		}
	}
	w.champ = ap.email(p+".champion", d.Champion)
	oneOf(ap, p+".kind", d.Kind, okr.Committed, okr.Aspirational)
	oneOf(ap, p+".visibility", d.Visibility, okr.Public, okr.Team, okr.Private)
	oneOf(ap, p+".state", d.State, okr.Draft, okr.Active, okr.Closed)
	oneOf(ap, p+".outcome", d.Outcome, okr.Achieved, okr.Missed, okr.Abandoned)
	if d.Outcome != "" && d.State != okr.Closed {
		ap.f.Add(p+".outcome", "only a closed objective has an outcome: add state: closed, or leave the outcome out")
	}
	if d.State == okr.Closed && d.Outcome == "" {
		ap.f.Add(p+".outcome", "say how the objective ended: achieved, missed or abandoned")
	}
	if d.AlignsTo != nil {
		w.aligns = []wantRef{}
		for i, a := range d.AlignsTo {
			field := fmt.Sprintf("%s.aligns_to[%d]", p, i)
			oneOf(ap, field+".link", a.Link, okr.Contributes, okr.Supports)
			var r wantRef
			var ok bool
			switch {
			case a.Objective != "" && a.KeyResult != "":
				ap.f.Add(field, "name either an objective or a key result, not both")
				continue
			case a.Objective != "":
				r, ok = ap.ref(field+".objective", a.Objective, false)
			case a.KeyResult != "":
				r, ok = ap.ref(field+".key_result", a.KeyResult, true)
			default:
				ap.f.Add(field, "name the parent: objective: <slug> or key_result: <objective>/<key result>")
				continue
			}
			if !ok {
				continue
			}
			r.link = a.Link
			if r.link == "" {
				r.link = okr.Contributes
			}
			if r.o == w {
				ap.f.Add(field, "an objective cannot align to itself or to its own key results")
				continue
			}
			if r.o != nil {
				w.deps = append(w.deps, r.o)
			}
			w.aligns = append(w.aligns, r)
		}
	}
	if d.KPIs != nil {
		ids := []string{}
		for i, name := range d.KPIs {
			id, msg := n.kpi(name)
			if msg != "" {
				ap.f.Add(fmt.Sprintf("%s.kpis[%d]", p, i), "%s", msg)
				continue
			}
			ids = append(ids, id)
		}
		w.kpis = &ids
	}
	w.skills = ap.prepareSkills(p, d.Skills)
}

func (ap *applier) prepareSkills(path string, ds []DocSkill) *wantSkills {
	if ds == nil {
		return nil
	}
	out := &wantSkills{path: path + ".skills"}
	seen := map[string]string{}
	for i, s := range ds {
		field := fmt.Sprintf("%s.skills[%d]", path, i)
		id, msg := ap.st.names.skill(s.Skill)
		if msg != "" {
			ap.f.Add(field+".skill", "%s", msg)
			continue
		}
		if first, dup := seen[id]; dup {
			ap.f.Add(field+".skill", "%q is already required at %s; name each skill once", s.Skill, first)
			continue
		}
		seen[id] = field
		if s.Level < 1 {
			ap.f.Add(field+".level", "give the level required, from 1 up to the top of the skill's scale")
		}
		out.items = append(out.items, wantSkill{path: field, skillID: id, d: s})
	}
	return out
}

func (ap *applier) prepareKR(k *wantKR) {
	n, d, p := ap.st.names, k.d, k.path
	if strings.TrimSpace(d.Title) == "" {
		ap.f.Add(p+".title", "is required: the measurable outcome, e.g. \"Raise NPS from 32 to 45\"")
	}
	k.owner = ap.email(p+".owner", d.Owner)
	oneOf(ap, p+".kind", d.Kind, okr.Increase, okr.Decrease, okr.Maintain, okr.Milestone, okr.Boolean)
	oneOf(ap, p+".unit", d.Unit, okr.UnitNumber, okr.UnitPercent, okr.UnitCurrency, okr.UnitCustom)
	oneOf(ap, p+".indicator", d.Indicator, okr.Leading, okr.Lagging)
	oneOf(ap, p+".source", d.Source, okr.SourceManual, okr.SourceChildren, okr.SourceAPI, okr.SourceLearning, okr.SourceKPI)
	k.kind = d.Kind
	source := d.Source
	if k.stored != nil {
		if k.kind == "" {
			k.kind = k.stored.Kind
		}
		if source == "" {
			source = k.stored.Source
		}
	}
	if k.kind == "" {
		k.kind = okr.Increase
	}
	if source == "" {
		source = okr.SourceManual
	}
	if (k.kind == okr.Milestone || k.kind == okr.Boolean) && (d.Baseline != nil || d.Target != nil) {
		ap.f.Add(p+".target", "a %s key result runs from 0 to 1: leave baseline and target out", k.kind)
	}
	if d.Band != nil && k.kind != okr.Maintain {
		ap.f.Add(p+".band", "only a maintain key result has a band")
	}
	if d.Milestones != nil && k.kind != okr.Milestone {
		ap.f.Add(p+".milestones", "only a milestone key result has milestones")
	}
	switch {
	case d.Measure == nil:
	case source != okr.SourceLearning && source != okr.SourceKPI:
		ap.f.Add(p+".measure", "only key results with source learning or kpi have a measure")
	case source == okr.SourceKPI:
		m := d.Measure
		if m.KPI == "" || m.Type != "" || m.Program != "" || m.Skill != "" || m.Level != 0 || m.Population != nil {
			ap.f.Add(p+".measure", "a key result following a KPI has a measure with only kpi: <the KPI's name>")
			break
		}
		id, msg := n.kpi(m.KPI)
		if msg != "" {
			ap.f.Add(p+".measure.kpi", "%s", msg)
			break
		}
		kpi := n.kpis[id]
		if (d.Unit != "" && d.Unit != kpi.Unit) || (d.UnitLabel != "" && d.UnitLabel != kpi.UnitLabel) ||
			(d.Currency != "" && !strings.EqualFold(d.Currency, kpi.Currency)) {
			ap.f.Add(p+".unit", "a key result following a KPI takes the KPI's unit (%s); leave unit, unit_label and currency out", kpiUnitText(kpi))
		}
		k.measure, _ = json.Marshal(okr.KPIMeasure{KPIID: id})
	case source == okr.SourceLearning:
		k.measure = ap.learningMeasure(p+".measure", d.Measure)
	}
	if source == okr.SourceKPI && d.Measure == nil && (k.stored == nil || k.stored.Source != okr.SourceKPI) {
		ap.f.Add(p+".measure", "a key result with source kpi needs measure: {kpi: <the KPI's name>}")
	}
	if source == okr.SourceLearning && d.Measure == nil && (k.stored == nil || k.stored.Source != okr.SourceLearning) {
		ap.f.Add(p+".measure", "a key result with source learning needs a measure: {type, population, …}")
	}
	for i, m := range d.Milestones {
		if strings.TrimSpace(m.Title) == "" {
			ap.f.Add(fmt.Sprintf("%s.milestones[%d].title", p, i), "is required")
		}
	}
	k.skills = ap.prepareSkills(p, d.Skills)
}

func kpiUnitText(k okr.KPI) string {
	switch k.Unit {
	case okr.UnitCurrency:
		return k.Currency
	case okr.UnitCustom:
		return k.UnitLabel
	}
	return string(k.Unit)
}

// learningMeasure resolves a learning measure's names to the stored measure.
func (ap *applier) learningMeasure(p string, d *DocMeasure) json.RawMessage {
	n := ap.st.names
	m := learning.Measure{Type: learning.MeasureType(d.Type), Level: d.Level}
	ok := true
	if d.KPI != "" {
		ap.f.Add(p+".kpi", "a learning measure names no KPI; use source kpi to follow one")
		ok = false
	}
	if d.Program != "" {
		id, msg := n.programID(d.Program)
		if msg != "" {
			ap.f.Add(p+".program", "%s", msg)
			ok = false
		}
		m.ProgramID = id
	}
	if d.Skill != "" {
		id, msg := n.skill(d.Skill)
		if msg != "" {
			ap.f.Add(p+".skill", "%s", msg)
			ok = false
		}
		m.SkillID = id
	}
	pop := d.Population
	switch {
	case pop == nil:
		ap.f.Add(p+".population", "say whom it counts: team: <slug>, role: <name> or users: [e-mails]")
		ok = false
	case (pop.Team != "") && (pop.Role != "" || pop.Users != nil) || (pop.Role != "" && pop.Users != nil):
		ap.f.Add(p+".population", "give one of team, role or users")
		ok = false
	case pop.Team != "":
		id, found := n.teamOf[pop.Team]
		if !found {
			ap.f.Add(p+".population.team", "no team with the slug %q in this organization", pop.Team)
			ok = false
		}
		m.Population = learning.Population{Type: learning.PopulationTeam, ID: id}
	case pop.Role != "":
		id, msg := n.role(pop.Role)
		if msg != "" {
			ap.f.Add(p+".population.role", "%s", msg)
			ok = false
		}
		m.Population = learning.Population{Type: learning.PopulationRole, ID: id}
	case pop.Users != nil:
		m.Population = learning.Population{Type: learning.PopulationUsers, UserIDs: []string{}}
		for i, e := range pop.Users {
			id := ap.email(fmt.Sprintf("%s.population.users[%d]", p, i), e)
			if id == nil {
				ok = false
				continue
			}
			m.Population.UserIDs = append(m.Population.UserIDs, *id)
		}
	default:
		ap.f.Add(p+".population", "say whom it counts: team: <slug>, role: <name> or users: [e-mails]")
		ok = false
	}
	if !ok {
		return nil
	}
	for _, prob := range learning.ValidateMeasure(m) {
		ap.f.Add(p+"."+docField(strings.TrimPrefix(prob.Field, "measure.")), "%s", prob.Message)
		ok = false
	}
	if !ok {
		return nil
	}
	b, _ := json.Marshal(m)
	return b
}

func (ap *applier) prepareInitiative(w *wantInitiative) {
	d, p := w.d, w.path
	if strings.TrimSpace(d.Title) == "" {
		ap.f.Add(p+".title", "is required")
	}
	w.owner = ap.email(p+".owner", d.Owner)
	oneOf(ap, p+".status", d.Status, okr.Planned, okr.InProgress, okr.Blocked, okr.Done, okr.Cancelled)
	if d.KeyResults != nil {
		w.krs = []wantRef{}
		seen := map[string]bool{}
		for i, ref := range d.KeyResults {
			field := fmt.Sprintf("%s.key_results[%d]", p, i)
			r, ok := ap.ref(field, ref, true)
			if !ok {
				continue
			}
			key := r.id
			if r.o != nil {
				key = r.o.d.Slug + "/" + r.kr
			}
			if seen[key] {
				ap.f.Add(field, "%s is listed twice", ref)
				continue
			}
			seen[key] = true
			w.krs = append(w.krs, r)
		}
	}
	if d.Tasks != nil {
		w.tasks = []TaskInput{}
		used := map[string]bool{}
		for i, t := range d.Tasks {
			in := TaskInput{Title: t.Title, DueDate: t.DueDate, Done: t.Done}
			if id := ap.email(fmt.Sprintf("%s.tasks[%d].assignee", p, i), t.Assignee); id != nil {
				in.AssigneeID = *id
			}
			if w.stored != nil { // keep the ids of tasks that stay
				for _, old := range w.stored.Tasks {
					if !used[old.ID] && old.Title == strings.TrimSpace(t.Title) {
						in.ID, used[old.ID] = old.ID, true
						break
					}
				}
			}
			w.tasks = append(w.tasks, in)
		}
	}
}

// preparePrune lists what the file does not name, of what the actor may change.
func (ap *applier) preparePrune() {
	st := ap.st
	for _, w := range ap.objectives {
		if w.stored == nil {
			continue
		}
		named := map[string]bool{}
		for _, k := range w.krs {
			named[k.d.Slug] = true
		}
		for _, k := range st.krs[w.stored.ID] {
			if named[k.Slug] {
				continue
			}
			if _, _, _, err := st.v.editableKeyResult(k.ID); err == nil {
				ap.prunes = append(ap.prunes, prune{ChangeKeyResult, w.d.Slug + "/" + k.Slug, k.Title, k.ID})
			}
		}
	}
	for _, o := range st.objectives {
		if _, named := ap.bySlug[o.Slug]; named {
			continue
		}
		if _, _, err := st.v.editableObjective(o.ID); err == nil {
			ap.prunes = append(ap.prunes, prune{ChangeObjective, o.Slug, o.Title, o.ID})
		}
	}
	namedInit := map[string]bool{}
	for _, d := range ap.doc.Initiatives {
		namedInit[d.Slug] = true
	}
	for _, in := range st.initOrder {
		links := st.allLinks[in.ID]
		if namedInit[in.Slug] || len(links) == 0 {
			continue
		}
		only := true
		for _, id := range links {
			only = only && st.periodKRs[id]
		}
		if !only {
			continue
		}
		if _, err := st.v.editableInitiative(in.ID); err == nil {
			ap.prunes = append(ap.prunes, prune{ChangeInitiative, in.Slug, in.Title, in.ID})
		}
	}
}

// sortObjectives orders the document's objectives so that each comes after
// the objectives of the file it aligns to; a cycle is an error.
func (ap *applier) sortObjectives() error {
	state := map[*wantObjective]int{}
	var cycle []string
	var visit func(w *wantObjective, trail []string) bool
	visit = func(w *wantObjective, trail []string) bool {
		switch state[w] {
		case 1:
			cycle = append(trail, w.d.Slug)
			return false
		case 2:
			return true
		}
		state[w] = 1
		for _, d := range w.deps {
			if !visit(d, append(trail, w.d.Slug)) {
				return false
			}
		}
		state[w] = 2
		ap.order = append(ap.order, w)
		return true
	}
	for _, w := range ap.objectives {
		if !visit(w, nil) {
			ap.f.Add(w.path+".aligns_to", "the objectives align in a circle: %s", strings.Join(cycle, " → "))
			return nil
		}
	}
	return nil
}

// ---- planning

// objectiveUpdate compares an objective with what is stored: the update
// that makes it match, and the names of the fields it changes. A reference
// to an object not made yet always counts as a change.
func (ap *applier) objectiveUpdate(w *wantObjective) (ObjectiveUpdate, []string) {
	var up ObjectiveUpdate
	var fields []string
	o, d := w.stored, w.d
	if t := strings.TrimSpace(d.Title); t != o.Title {
		up.Title, fields = &t, append(fields, "title")
	}
	if d.Description != "" && strings.TrimSpace(d.Description) != strings.TrimSpace(o.Description) {
		up.Description, fields = refTo(d.Description), append(fields, "description")
	}
	if w.owner != nil && (w.owner.Type != o.Owner.Type || w.owner.ID != o.Owner.ID) {
		up.Owner, fields = w.owner, append(fields, "owner")
	}
	if w.champ != nil && *w.champ != o.ChampionID {
		up.ChampionID, fields = w.champ, append(fields, "champion")
	}
	if d.Kind != "" && d.Kind != o.Kind {
		up.Kind, fields = refTo(d.Kind), append(fields, "kind")
	}
	if d.Visibility != "" && d.Visibility != o.Visibility {
		up.Visibility, fields = refTo(d.Visibility), append(fields, "visibility")
	}
	if d.State != "" && d.State != o.State {
		up.State, fields = refTo(d.State), append(fields, "state")
	}
	if d.Outcome != "" && d.Outcome != o.Outcome {
		up.Outcome, fields = refTo(d.Outcome), append(fields, "outcome")
	}
	if d.Weight != nil && *d.Weight != o.Weight {
		up.Weight, fields = refTo(*d.Weight), append(fields, "weight")
	}
	if d.Tags != nil {
		tags := make([]string, len(d.Tags))
		for i, t := range d.Tags {
			tags[i] = strings.TrimSpace(t)
		}
		if !slices.Equal(tags, o.Tags) {
			up.Tags, fields = &tags, append(fields, "tags")
		}
	}
	if w.aligns != nil {
		want := ap.alignmentInputs(w.aligns)
		if !sameAlignments(want, o.Alignments) {
			up.Alignments, fields = &want, append(fields, "aligns_to")
		}
	}
	if d.AlignmentNote != "" && strings.TrimSpace(d.AlignmentNote) != o.AlignmentNote {
		up.AlignmentNote, fields = refTo(d.AlignmentNote), append(fields, "alignment_note")
	}
	if w.kpis != nil && !slices.Equal(sortedCopy(*w.kpis), sortedCopy(o.KPIIDs)) {
		up.KPIIDs, fields = w.kpis, append(fields, "kpis")
	}
	return up, fields
}

func (ap *applier) alignmentInputs(rs []wantRef) []AlignmentInput {
	out := make([]AlignmentInput, 0, len(rs))
	for _, r := range rs {
		id := r.resolveID()
		if id == "" {
			id = "(new)"
		}
		out = append(out, AlignmentInput{ParentType: r.typ, ParentID: id, Link: r.link})
	}
	return out
}

func sameAlignments(want []AlignmentInput, have []okr.Alignment) bool {
	if len(want) != len(have) {
		return false
	}
	key := func(t okr.ParentType, id string, l okr.Link) string { return string(t) + "|" + id + "|" + string(l) }
	a := make([]string, len(want))
	for i, w := range want {
		a[i] = key(w.ParentType, w.ParentID, w.Link)
	}
	b := make([]string, len(have))
	for i, h := range have {
		b[i] = key(h.ParentType, h.ParentID, h.Link)
	}
	return slices.Equal(sortedCopy(a), sortedCopy(b))
}

// keyResultUpdate compares a key result with what is stored.
func (ap *applier) keyResultUpdate(k *wantKR) (KeyResultUpdate, []string) {
	var up KeyResultUpdate
	var fields []string
	s, d := k.stored, k.d
	if t := strings.TrimSpace(d.Title); t != s.Title {
		up.Title, fields = &t, append(fields, "title")
	}
	if k.owner != nil && *k.owner != s.OwnerID {
		up.OwnerID, fields = k.owner, append(fields, "owner")
	}
	if d.Kind != "" && d.Kind != s.Kind {
		up.Kind, fields = refTo(d.Kind), append(fields, "kind")
	}
	if d.Unit != "" && d.Unit != s.Unit {
		up.Unit, fields = refTo(d.Unit), append(fields, "unit")
	}
	if d.UnitLabel != "" && d.UnitLabel != s.UnitLabel {
		up.UnitLabel, fields = refTo(d.UnitLabel), append(fields, "unit_label")
	}
	if d.Currency != "" && strings.ToUpper(strings.TrimSpace(d.Currency)) != s.Currency {
		up.Currency, fields = refTo(d.Currency), append(fields, "currency")
	}
	if d.Baseline != nil && *d.Baseline != s.Baseline {
		up.Baseline, fields = refTo(*d.Baseline), append(fields, "baseline")
	}
	if d.Target != nil && *d.Target != s.Target {
		up.Target, fields = refTo(*d.Target), append(fields, "target")
	}
	if d.Band != nil && (s.Band == nil || *d.Band != *s.Band) {
		up.Band, fields = refTo(*d.Band), append(fields, "band")
	}
	if d.Milestones != nil {
		ms := milestoneInputs(d.Milestones, s.Milestones)
		if !sameMilestones(ms, s.Milestones) {
			up.Milestones, fields = &ms, append(fields, "milestones")
		}
	}
	if d.Weight != nil && *d.Weight != s.Weight {
		up.Weight, fields = refTo(*d.Weight), append(fields, "weight")
	}
	if d.DueDate != "" && d.DueDate != s.DueDate {
		up.DueDate, fields = refTo(d.DueDate), append(fields, "due_date")
	}
	if d.Indicator != "" && d.Indicator != s.Indicator {
		up.Indicator, fields = refTo(d.Indicator), append(fields, "indicator")
	}
	if d.Source != "" && d.Source != s.Source {
		up.Source, fields = refTo(d.Source), append(fields, "source")
	}
	if k.measure != nil && !sameMeasure(k.measure, s.Measure) {
		up.Measure, fields = k.measure, append(fields, "measure")
	}
	return up, fields
}

func milestoneInputs(ds []DocMilestone, old []okr.MilestoneItem) []MilestoneInput {
	out := make([]MilestoneInput, len(ds))
	used := map[string]bool{}
	for i, m := range ds {
		out[i] = MilestoneInput{Title: strings.TrimSpace(m.Title), Weight: m.Weight}
		for _, o := range old { // keep the ids, and so the done flags, of the milestones that stay
			if !used[o.ID] && o.Title == out[i].Title {
				out[i].ID, used[o.ID] = o.ID, true
				break
			}
		}
	}
	return out
}

func sameMilestones(want []MilestoneInput, have []okr.MilestoneItem) bool {
	if len(want) != len(have) {
		return false
	}
	for i, m := range want {
		w := 1.0
		if m.Weight != nil {
			w = *m.Weight
		}
		if m.ID != have[i].ID || m.Title != have[i].Title || w != have[i].Weight {
			return false
		}
	}
	return true
}

// sameMeasure compares two measures as values.
func sameMeasure(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// initiativeUpdate compares an initiative with what is stored.
func (ap *applier) initiativeUpdate(w *wantInitiative) (InitiativeUpdate, []string) {
	var up InitiativeUpdate
	var fields []string
	s, d := w.stored, w.d
	if t := strings.TrimSpace(d.Title); t != s.Title {
		up.Title, fields = &t, append(fields, "title")
	}
	if d.Description != "" && strings.TrimSpace(d.Description) != strings.TrimSpace(s.Description) {
		up.Description, fields = refTo(d.Description), append(fields, "description")
	}
	if w.owner != nil && *w.owner != s.OwnerID {
		up.OwnerID, fields = w.owner, append(fields, "owner")
	}
	if d.Status != "" && d.Status != s.Status {
		up.Status, fields = refTo(d.Status), append(fields, "status")
	}
	if d.StartDate != "" && d.StartDate != s.StartDate {
		up.StartDate, fields = refTo(d.StartDate), append(fields, "start_date")
	}
	if d.DueDate != "" && d.DueDate != s.DueDate {
		up.DueDate, fields = refTo(d.DueDate), append(fields, "due_date")
	}
	if d.Budget != nil && (s.Budget == nil || d.Budget.Amount != s.Budget.Amount ||
		strings.ToUpper(strings.TrimSpace(d.Budget.Currency)) != s.Budget.Currency) {
		up.Budget, fields = &MoneyInput{Amount: d.Budget.Amount, Currency: d.Budget.Currency}, append(fields, "budget")
	}
	if d.EffortDays != nil && (s.EffortDays == nil || *d.EffortDays != *s.EffortDays) {
		up.EffortDays, fields = refTo(*d.EffortDays), append(fields, "effort_days")
	}
	if w.krs != nil {
		ids := refIDs(w.krs)
		if !slices.Equal(sortedCopy(ids), sortedCopy(s.KeyResultIDs)) {
			up.KeyResultIDs, fields = &ids, append(fields, "key_results")
		}
	}
	if w.tasks != nil && !sameTasks(w.tasks, s.Tasks) {
		tasks := slices.Clone(w.tasks)
		up.Tasks, fields = &tasks, append(fields, "tasks")
	}
	if d.ExternalURL != "" && d.ExternalURL != s.ExternalURL {
		up.ExternalURL, fields = refTo(d.ExternalURL), append(fields, "external_url")
	}
	return up, fields
}

func refIDs(rs []wantRef) []string {
	ids := make([]string, 0, len(rs))
	for _, r := range rs {
		id := r.resolveID()
		if id == "" {
			id = "(new)"
		}
		ids = append(ids, id)
	}
	return ids
}

func sameTasks(want []TaskInput, have []okr.Task) bool {
	if len(want) != len(have) {
		return false
	}
	for i, t := range want {
		h := have[i]
		if t.ID != h.ID || strings.TrimSpace(t.Title) != h.Title || t.AssigneeID != h.AssigneeID || t.DueDate != h.DueDate || t.Done != h.Done {
			return false
		}
	}
	return true
}

// skillChanges compares a subject's requirements with the document's.
type skillChanges struct {
	create []wantSkill
	update []skillUpdate
	remove []learning.Requirement
}

type skillUpdate struct {
	s   wantSkill
	req learning.Requirement
	up  RequirementUpdate
}

func (c skillChanges) any() bool { return len(c.create)+len(c.update)+len(c.remove) > 0 }

func (ap *applier) skillChanges(ws *wantSkills, subject learning.Subject) skillChanges {
	var c skillChanges
	stored := map[string]learning.Requirement{}
	if subject.ID != "" {
		for _, r := range ap.st.reqs[subject] {
			stored[r.SkillID] = r
		}
	}
	named := map[string]bool{}
	if ws != nil {
		for _, s := range ws.items {
			named[s.skillID] = true
			r, ok := stored[s.skillID]
			if !ok {
				c.create = append(c.create, s)
				continue
			}
			var up RequirementUpdate
			changed := false
			if s.d.Level != r.Level {
				up.Level, changed = refTo(s.d.Level), true
			}
			if s.d.Headcount != nil && *s.d.Headcount != r.Headcount {
				up.Headcount, changed = s.d.Headcount, true
			}
			if s.d.Essential != nil && *s.d.Essential != r.Essential {
				up.Essential, changed = s.d.Essential, true
			}
			if changed {
				c.update = append(c.update, skillUpdate{s: s, req: r, up: up})
			}
		}
	}
	if ap.opts.Prune && subject.ID != "" {
		for _, r := range ap.st.reqs[subject] {
			if !named[r.SkillID] {
				c.remove = append(c.remove, r)
			}
		}
	}
	return c
}

func krRef(k *wantKR) string { return k.o.d.Slug + "/" + k.d.Slug }

// plan lists the changes in the order execute makes them.
func (ap *applier) plan() (changes []PlannedChange, create, update, del, unchanged int) {
	changes = []PlannedChange{}
	add := func(c PlannedChange) {
		changes = append(changes, c)
		switch c.Action {
		case ActionCreate:
			create++
		case ActionUpdate:
			update++
		case ActionDelete:
			del++
		}
	}
	for _, w := range ap.order {
		if w.stored == nil {
			add(PlannedChange{Action: ActionCreate, Kind: ChangeObjective, Ref: w.d.Slug, Title: strings.TrimSpace(w.d.Title), Path: w.path})
		} else {
			_, fields := ap.objectiveUpdate(w)
			if ap.skillChanges(w.skills, learning.Subject{Type: learning.SubjectObjective, ID: w.stored.ID}).any() {
				fields = append(fields, "skills")
			}
			if len(fields) > 0 {
				add(PlannedChange{Action: ActionUpdate, Kind: ChangeObjective, Ref: w.d.Slug, Title: w.stored.Title, Fields: fields, Path: w.path})
			} else {
				unchanged++
			}
		}
		for _, k := range w.krs {
			if k.stored == nil {
				add(PlannedChange{Action: ActionCreate, Kind: ChangeKeyResult, Ref: krRef(k), Title: strings.TrimSpace(k.d.Title), Path: k.path})
				continue
			}
			_, fields := ap.keyResultUpdate(k)
			if ap.skillChanges(k.skills, learning.Subject{Type: learning.SubjectKeyResult, ID: k.stored.ID}).any() {
				fields = append(fields, "skills")
			}
			if len(fields) > 0 {
				add(PlannedChange{Action: ActionUpdate, Kind: ChangeKeyResult, Ref: krRef(k), Title: k.stored.Title, Fields: fields, Path: k.path})
			} else {
				unchanged++
			}
		}
	}
	for _, w := range ap.inits {
		if w.stored == nil {
			add(PlannedChange{Action: ActionCreate, Kind: ChangeInitiative, Ref: w.d.Slug, Title: strings.TrimSpace(w.d.Title), Path: w.path})
			continue
		}
		if _, fields := ap.initiativeUpdate(w); len(fields) > 0 {
			add(PlannedChange{Action: ActionUpdate, Kind: ChangeInitiative, Ref: w.d.Slug, Title: w.stored.Title, Fields: fields, Path: w.path})
		} else {
			unchanged++
		}
	}
	for _, p := range ap.sortedPrunes() {
		add(PlannedChange{Action: ActionDelete, Kind: p.kind, Ref: p.ref, Title: p.title})
	}
	return changes, create, update, del, unchanged
}

// sortedPrunes orders deletions: initiatives, key results, then objectives.
func (ap *applier) sortedPrunes() []prune {
	rank := map[string]int{ChangeInitiative: 0, ChangeKeyResult: 1, ChangeObjective: 2}
	out := slices.Clone(ap.prunes)
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].kind] < rank[out[j].kind] })
	return out
}

// ---- execution

// fail records a use case's error at a path of the document. It returns
// nil when execution may go on to report more (a refusal of the input,
// which writes nothing), else the error to stop with.
func (ap *applier) fail(path string, err error) error {
	var e *errs.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Kind {
	case errs.Invalid, errs.Forbidden, errs.NotFound, errs.Conflict, errs.PreconditionFailed:
	default:
		return err
	}
	if ap.kinds == nil {
		ap.kinds = map[errs.Kind]bool{}
	}
	ap.kinds[e.Kind] = true
	if len(e.Fields) == 0 {
		ap.f.Add(path, "%s", e.Message)
	}
	for _, fe := range e.Fields {
		field := docField(fe.Field)
		switch {
		case field == "":
			field = path
		case field == "period" || strings.HasPrefix(field, "period."):
			// The document's own period.
		default:
			field = path + "." + field
		}
		ap.f.Add(field, "%s", fe.Message)
	}
	if e.Kind == errs.Conflict || e.Kind == errs.PreconditionFailed {
		return ap.gathered() // the store may have refused a statement: stop here
	}
	return nil
}

// gathered returns the errors gathered so far as one error.
func (ap *applier) gathered() error {
	if len(ap.f) == 0 {
		return nil
	}
	kind := errs.Invalid
	if len(ap.kinds) == 1 {
		for k := range ap.kinds {
			kind = k
		}
	}
	return &errs.Error{Kind: kind, Message: fmt.Sprintf("the document cannot be applied: %s", okr.Plural(len(ap.f), "problem")), Fields: ap.f}
}

// fieldNames maps the use cases' input names to the document's.
var fieldNames = map[string]string{
	"owner_id": "owner", "champion_id": "champion", "alignments": "aligns_to", "kpi_ids": "kpis",
	"key_result_ids": "key_results", "assignee_id": "assignee", "program_id": "program", "skill_id": "skill",
	"kpi_id": "kpi", "user_ids": "users", "parent_id": "", "parent_type": "", "objective_id": "", "period_id": "period",
}

// docField turns a use case's field path (alignments[0].parent_id) into the
// document's (aligns_to[0]).
func docField(field string) string {
	var out []string
	parts := strings.Split(field, ".")
	for i, part := range parts {
		name, index, _ := strings.Cut(part, "[")
		if index != "" {
			index = "[" + index
		}
		if i > 0 && (parts[i-1] == "owner" || parts[i-1] == "population" || parts[i-1] == "subject") && (name == "id" || name == "type") {
			continue
		}
		if to, ok := fieldNames[name]; ok {
			if to == "" {
				continue
			}
			name = to
		}
		out = append(out, name+index)
	}
	return strings.Join(out, ".")
}

// execute makes the plan's changes through the use cases (in runs them in
// the apply's one transaction).
func (ap *applier) execute(ctx context.Context, in *App) error {
	actor := ap.actor
	for _, w := range ap.order {
		if dep := slices.IndexFunc(w.deps, func(d *wantObjective) bool { return d.failed }); dep >= 0 {
			w.failed = true // its parent could not be made; its own errors would only repeat that
			continue
		}
		if err := ap.executeObjective(ctx, in, w); err != nil {
			return err
		}
	}
	for _, w := range ap.inits {
		if err := ap.executeInitiative(ctx, in, w); err != nil {
			return err
		}
	}
	if len(ap.f) == 0 {
		for _, p := range ap.sortedPrunes() {
			var err error
			switch p.kind {
			case ChangeInitiative:
				err = in.DeleteInitiative(ctx, actor, p.id)
			case ChangeKeyResult:
				err = in.DeleteKeyResult(ctx, actor, p.id)
			case ChangeObjective:
				err = in.DeleteObjective(ctx, actor, p.id)
			}
			if err != nil {
				if err := ap.fail(p.ref, err); err != nil {
					return err
				}
			}
		}
	}
	return ap.gathered()
}

func (ap *applier) executeObjective(ctx context.Context, in *App, w *wantObjective) error {
	actor, st := ap.actor, ap.st
	subject := learning.Subject{Type: learning.SubjectObjective}
	if w.stored == nil {
		d := w.d
		input := ObjectiveInput{PeriodID: st.period.ID, Slug: d.Slug, Title: d.Title, Description: d.Description,
			Owner: OwnerInput{Type: okr.OwnerOrg}, Kind: d.Kind, Visibility: d.Visibility, Weight: d.Weight, Tags: d.Tags,
			AlignmentNote: d.AlignmentNote}
		if d.State == okr.Draft || d.State == okr.Active {
			input.State = d.State
		}
		if w.owner != nil {
			input.Owner = *w.owner
		}
		if w.champ != nil {
			input.ChampionID = *w.champ
		}
		if w.aligns != nil {
			input.Alignments = ap.alignmentInputs(w.aligns)
		}
		if w.kpis != nil {
			input.KPIIDs = *w.kpis
		}
		o, err := in.CreateObjective(ctx, actor, input, "")
		if err != nil {
			w.failed = true // its key results and skills would only repeat the error
			return ap.fail(w.path, err)
		}
		w.id = o.ID
		if d.State == okr.Closed { // made active, then closed as the file says
			closed, outcome := okr.Closed, d.Outcome
			v := o.Version
			if _, err := in.UpdateObjective(ctx, actor, o.ID, &v, ObjectiveUpdate{State: &closed, Outcome: &outcome}); err != nil {
				return ap.fail(w.path, err)
			}
		}
	} else {
		up, fields := ap.objectiveUpdate(w)
		if len(fields) > 0 {
			v, err := in.objectiveVersion(ctx, actor, w.id)
			if err != nil {
				return err
			}
			if _, err := in.UpdateObjective(ctx, actor, w.id, &v, up); err != nil {
				if err := ap.fail(w.path, err); err != nil {
					return err
				}
			}
		}
	}
	subject.ID = w.id
	if err := ap.executeSkills(ctx, in, w.skills, subject, w.stored == nil); err != nil {
		return err
	}
	for _, k := range w.krs {
		if err := ap.executeKR(ctx, in, k); err != nil {
			return err
		}
	}
	return nil
}

func (ap *applier) executeKR(ctx context.Context, in *App, k *wantKR) error {
	actor := ap.actor
	if k.stored == nil {
		d := k.d
		input := KeyResultInput{ObjectiveID: k.o.id, Slug: d.Slug, Title: d.Title, Kind: k.kind, Unit: d.Unit,
			UnitLabel: d.UnitLabel, Currency: d.Currency, Baseline: d.Baseline, Target: d.Target, Band: d.Band,
			Weight: d.Weight, DueDate: d.DueDate, Indicator: d.Indicator, Source: d.Source, Measure: k.measure}
		if k.owner != nil {
			input.OwnerID = *k.owner
		}
		if d.Milestones != nil {
			input.Milestones = milestoneInputs(d.Milestones, nil)
		}
		kr, err := in.CreateKeyResult(ctx, actor, input, "")
		if err != nil {
			return ap.fail(k.path, err)
		}
		k.id = kr.ID
	} else {
		up, fields := ap.keyResultUpdate(k)
		if len(fields) > 0 {
			v, err := in.keyResultVersion(ctx, actor, k.id)
			if err != nil {
				return err
			}
			if _, err := in.UpdateKeyResult(ctx, actor, k.id, &v, up); err != nil {
				if err := ap.fail(k.path, err); err != nil {
					return err
				}
			}
		}
	}
	return ap.executeSkills(ctx, in, k.skills, learning.Subject{Type: learning.SubjectKeyResult, ID: k.id}, k.stored == nil)
}

func (ap *applier) executeSkills(ctx context.Context, in *App, ws *wantSkills, subject learning.Subject, created bool) error {
	if subject.ID == "" {
		return nil
	}
	lookup := subject
	if created {
		lookup.ID = "" // nothing stored yet
	}
	c := ap.skillChanges(ws, lookup)
	for _, s := range c.create {
		_, err := in.CreateRequirement(ctx, ap.actor, RequirementInput{Subject: subject, SkillID: s.skillID, Level: s.d.Level,
			Headcount: s.d.Headcount, Essential: s.d.Essential}, "")
		if err != nil {
			if err := ap.fail(s.path, err); err != nil {
				return err
			}
		}
	}
	for _, u := range c.update {
		v := u.req.Version
		if _, err := in.UpdateRequirement(ctx, ap.actor, u.req.ID, &v, u.up); err != nil {
			if err := ap.fail(u.s.path, err); err != nil {
				return err
			}
		}
	}
	for _, r := range c.remove {
		if err := in.DeleteRequirement(ctx, ap.actor, r.ID); err != nil {
			if err := ap.fail(ws.pathOr(subject), err); err != nil {
				return err
			}
		}
	}
	return nil
}

func (ws *wantSkills) pathOr(s learning.Subject) string {
	if ws != nil {
		return ws.path
	}
	return string(s.Type) + " " + s.ID
}

func (ap *applier) executeInitiative(ctx context.Context, in *App, w *wantInitiative) error {
	actor := ap.actor
	for _, r := range w.krs {
		if r.resolveID() == "" {
			return nil // its key result could not be made: that error is reported
		}
	}
	if w.stored == nil {
		d := w.d
		input := InitiativeInput{Slug: d.Slug, Title: d.Title, Description: d.Description, Status: d.Status,
			StartDate: d.StartDate, DueDate: d.DueDate, EffortDays: d.EffortDays, Tasks: w.tasks, ExternalURL: d.ExternalURL}
		if w.owner != nil {
			input.OwnerID = *w.owner
		}
		if d.Budget != nil {
			input.Budget = &MoneyInput{Amount: d.Budget.Amount, Currency: d.Budget.Currency}
		}
		if w.krs != nil {
			input.KeyResultIDs = refIDs(w.krs)
		}
		if _, err := in.CreateInitiative(ctx, actor, input, ""); err != nil {
			return ap.fail(w.path, err)
		}
		return nil
	}
	up, fields := ap.initiativeUpdate(w)
	if len(fields) == 0 {
		return nil
	}
	v, err := in.initiativeVersion(ctx, actor, w.stored.ID)
	if err != nil {
		return err
	}
	if _, err := in.UpdateInitiative(ctx, actor, w.stored.ID, &v, up); err != nil {
		return ap.fail(w.path, err)
	}
	return nil
}

// objectiveVersion, keyResultVersion and initiativeVersion read an object's
// version now (an earlier change of the same apply may have moved it).
func (a *App) objectiveVersion(ctx context.Context, actor org.Actor, id string) (int, error) {
	return a.versionNow(ctx, func(tx Tx) (int, error) { o, err := tx.GetObjective(ctx, actor.OrgID, id); return o.Version, err })
}

func (a *App) keyResultVersion(ctx context.Context, actor org.Actor, id string) (int, error) {
	return a.versionNow(ctx, func(tx Tx) (int, error) { k, err := tx.GetKeyResult(ctx, actor.OrgID, id); return k.Version, err })
}

func (a *App) initiativeVersion(ctx context.Context, actor org.Actor, id string) (int, error) {
	return a.versionNow(ctx, func(tx Tx) (int, error) { in, err := tx.GetInitiative(ctx, actor.OrgID, id); return in.Version, err })
}

func (a *App) versionNow(ctx context.Context, get func(Tx) (int, error)) (v int, err error) {
	err = a.db.Read(ctx, func(tx Tx) error { v, err = get(tx); return err })
	return v, err
}

// OperatorActor returns the actor a member of an organization acts as when
// the operator runs okra's command line on the database itself (okra apply
// and okra export with --data or --database-url): the member's role with
// every scope it may hold. Access to the database is the authority, as for
// MintToken; the use cases still decide what that member may change.
func (a *App) OperatorActor(ctx context.Context, orgSlug, email string) (org.Actor, error) {
	var actor org.Actor
	err := a.db.Read(ctx, func(tx Tx) error {
		o, err := tx.GetOrganizationBySlug(ctx, orgSlug)
		if err != nil {
			return errs.Wrap(errs.NotFound, err, "no organization with slug %q", orgSlug)
		}
		u, err := tx.GetUserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
		if err != nil {
			return errs.Wrap(errs.NotFound, err, "no user %s", email)
		}
		m, err := tx.GetMember(ctx, o.ID, u.ID)
		if err != nil {
			return errs.Wrap(errs.NotFound, err, "%s is not a member of %s", email, o.Name)
		}
		if !m.Active {
			return errs.E(errs.Forbidden, "%s is deactivated in %s", email, o.Name)
		}
		actor = org.Actor{OrgID: o.ID, UserID: u.ID, Role: m.Role, RequestID: "cli"}
		for _, s := range []org.Scope{org.ScopeRead, org.ScopeWrite, org.ScopeAdmin} {
			if m.Role.MayHold(s) {
				actor.Scopes = append(actor.Scopes, s)
			}
		}
		return nil
	})
	return actor, err
}
