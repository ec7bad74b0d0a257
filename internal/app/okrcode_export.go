package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// OKRFormatVersion is the version of the OKRs-as-code format (the okra field).
const OKRFormatVersion = 1

// ExportDocument writes a period's objectives, key results and initiatives
// (those linked to the period's key results) as an OKR document: every field
// the format has, so that applying the document back changes nothing.
// Objectives and initiatives the actor may not see are left out; check-ins,
// progress and current values are not part of the format.
func (a *App) ExportDocument(ctx context.Context, actor org.Actor, periodID string) (OKRDocument, error) {
	var doc OKRDocument
	if err := requireRead(actor); err != nil {
		return doc, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		st, err := loadCodeState(ctx, tx, actor, "", periodID)
		if err != nil {
			return err
		}
		doc, err = st.export()
		return err
	})
	return doc, err
}

// codeNames maps the ids of people, teams, skills, KPIs, programs and role
// profiles to the names an OKR document uses, and back.
type codeNames struct {
	emailOf   map[string]string // user id → e-mail
	userOf    map[string]string // lower-case e-mail → user id
	teamSlug  map[string]string // team id → slug
	teamOf    map[string]string // slug → team id
	skillName map[string]string
	skillsOf  map[string][]string // lower-case name → ids
	kpiName   map[string]string
	kpisOf    map[string][]string // lower-case name → ids
	kpis      map[string]okr.KPI
	program   map[string]string   // program id → external id, else title
	programOf map[string][]string // external id, lower-case title → ids
	roleName  map[string]string
	rolesOf   map[string][]string
}

func loadNames(ctx context.Context, tx Tx, orgID string) (*codeNames, error) {
	n := &codeNames{emailOf: map[string]string{}, userOf: map[string]string{}, teamSlug: map[string]string{}, teamOf: map[string]string{},
		skillName: map[string]string{}, skillsOf: map[string][]string{}, kpiName: map[string]string{}, kpisOf: map[string][]string{},
		kpis: map[string]okr.KPI{}, program: map[string]string{}, programOf: map[string][]string{}, roleName: map[string]string{},
		rolesOf: map[string][]string{}}
	for after := ""; ; {
		ms, err := tx.ListMembers(ctx, orgID, after, 500)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			n.emailOf[m.ID] = m.Email
			n.userOf[strings.ToLower(m.Email)] = m.ID
		}
		if len(ms) < 500 {
			break
		}
		after = ms[len(ms)-1].ID
	}
	teams, err := tx.ListTeams(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		n.teamSlug[t.ID] = t.Slug
		n.teamOf[t.Slug] = t.ID
	}
	skills, err := tx.ListSkills(ctx, orgID, learning.SkillFilter{})
	if err != nil {
		return nil, err
	}
	for _, s := range skills {
		n.skillName[s.ID] = s.Name
		k := strings.ToLower(strings.TrimSpace(s.Name))
		n.skillsOf[k] = append(n.skillsOf[k], s.ID)
	}
	kpis, err := tx.ListKPIs(ctx, orgID, okr.KPIFilter{})
	if err != nil {
		return nil, err
	}
	for _, k := range kpis {
		n.kpiName[k.ID] = k.Name
		n.kpis[k.ID] = k
		key := strings.ToLower(strings.TrimSpace(k.Name))
		n.kpisOf[key] = append(n.kpisOf[key], k.ID)
	}
	programs, err := tx.ListPrograms(ctx, orgID, learning.ProgramFilter{IncludeArchived: true})
	if err != nil {
		return nil, err
	}
	for _, p := range programs {
		n.program[p.ID] = p.Title
		if p.ExternalID != "" {
			n.program[p.ID] = p.ExternalID
			n.programOf[p.ExternalID] = append(n.programOf[p.ExternalID], p.ID)
		}
		k := strings.ToLower(strings.TrimSpace(p.Title))
		n.programOf[k] = append(n.programOf[k], p.ID)
	}
	roles, err := tx.ListRoles(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		n.roleName[r.ID] = r.Name
		k := strings.ToLower(strings.TrimSpace(r.Name))
		n.rolesOf[k] = append(n.rolesOf[k], r.ID)
	}
	return n, nil
}

// one resolves a name to exactly one id, or says what is wrong.
func one(ids []string, what, name string) (string, string) {
	switch len(ids) {
	case 1:
		return ids[0], ""
	case 0:
		return "", fmt.Sprintf("no %s named %q in this organization", what, name)
	}
	return "", fmt.Sprintf("%d %ss are named %q; rename one so that the name says which", len(ids), what, name)
}

func (n *codeNames) user(email string) (string, string) {
	id, ok := n.userOf[strings.ToLower(strings.TrimSpace(email))]
	if !ok {
		return "", fmt.Sprintf("no member with the e-mail %q in this organization", email)
	}
	return id, ""
}

func (n *codeNames) skill(name string) (string, string) {
	return one(n.skillsOf[strings.ToLower(strings.TrimSpace(name))], "skill", name)
}

func (n *codeNames) kpi(name string) (string, string) {
	return one(n.kpisOf[strings.ToLower(strings.TrimSpace(name))], "KPI", name)
}

func (n *codeNames) role(name string) (string, string) {
	return one(n.rolesOf[strings.ToLower(strings.TrimSpace(name))], "role profile", name)
}

func (n *codeNames) programID(name string) (string, string) {
	if ids := n.programOf[strings.TrimSpace(name)]; len(ids) == 1 {
		return ids[0], "" // an external id
	}
	return one(n.programOf[strings.ToLower(strings.TrimSpace(name))], "program", name)
}

// owner resolves "org", "team:<slug>" or an e-mail.
func (n *codeNames) owner(ref string) (OwnerInput, string) {
	ref = strings.TrimSpace(ref)
	switch {
	case ref == "org":
		return OwnerInput{Type: okr.OwnerOrg}, ""
	case strings.HasPrefix(ref, "team:"):
		slug := strings.TrimSpace(strings.TrimPrefix(ref, "team:"))
		id, ok := n.teamOf[slug]
		if !ok {
			return OwnerInput{}, fmt.Sprintf("no team with the slug %q in this organization", slug)
		}
		return OwnerInput{Type: okr.OwnerTeam, ID: id}, ""
	case strings.Contains(ref, "@"):
		id, msg := n.user(ref)
		return OwnerInput{Type: okr.OwnerUser, ID: id}, msg
	}
	return OwnerInput{}, fmt.Sprintf("%q is not an owner: write org, team:<team slug> or a member's e-mail", ref)
}

// ownerRef writes an owner as the document does.
func (n *codeNames) ownerRef(o okr.Owner) string {
	switch o.Type {
	case okr.OwnerTeam:
		return "team:" + n.teamSlug[o.ID]
	case okr.OwnerUser:
		return n.emailOf[o.ID]
	}
	return "org"
}

// codeState is what is stored of a period, as the actor sees it: the
// objectives by slug with their key results, the organization's initiatives
// by slug, the skill requirements of the objectives and key results, and the
// names of everything a document refers to.
type codeState struct {
	ctx     context.Context
	tx      Tx
	v       *access
	names   *codeNames
	period  okr.Period
	periods map[string]okr.Period // by name
	// periodOf maps a period id to its name.
	periodOf    map[string]string
	objectives  []*okr.Objective          // the period's, by id
	objBySlug   map[string]*okr.Objective // the period's
	krs         map[string][]*okr.KeyResult
	krBySlug    map[string]map[string]*okr.KeyResult // objective id → slug → key result
	initiatives map[string]*okr.Initiative           // the organization's, by slug
	initOrder   []*okr.Initiative
	// allLinks are the key results each initiative moves, seen or not.
	allLinks map[string][]string
	reqs     map[learning.Subject][]learning.Requirement
	// periodKRs are the ids of the period's key results.
	periodKRs map[string]bool
	// other periods' objectives and key results, loaded on demand: period id → slug → objective.
	otherObjectives map[string]map[string]*okr.Objective
	otherKRs        map[string]map[string]*okr.KeyResult
	// parents caches the ids of objectives and key results outside the period.
	parentObjective map[string]*okr.Objective
	parentKR        map[string]*okr.KeyResult
}

// loadCodeState reads a period (by name, or by id when periodID is set).
func loadCodeState(ctx context.Context, tx Tx, actor org.Actor, periodName, periodID string) (*codeState, error) {
	st := &codeState{ctx: ctx, tx: tx, v: newAccess(ctx, tx, actor), periods: map[string]okr.Period{}, periodOf: map[string]string{},
		objBySlug: map[string]*okr.Objective{}, krs: map[string][]*okr.KeyResult{}, krBySlug: map[string]map[string]*okr.KeyResult{},
		initiatives: map[string]*okr.Initiative{}, allLinks: map[string][]string{}, reqs: map[learning.Subject][]learning.Requirement{}, periodKRs: map[string]bool{},
		otherObjectives: map[string]map[string]*okr.Objective{}, otherKRs: map[string]map[string]*okr.KeyResult{},
		parentObjective: map[string]*okr.Objective{}, parentKR: map[string]*okr.KeyResult{}}
	orgID := actor.OrgID
	var ps []okr.Period
	for after := ""; ; {
		page, err := tx.ListPeriods(ctx, orgID, after, 500)
		if err != nil {
			return nil, err
		}
		ps = append(ps, page...)
		if len(page) < 500 {
			break
		}
		after = page[len(page)-1].ID
	}
	found := false
	for _, p := range ps {
		st.periods[p.Name] = p
		st.periodOf[p.ID] = p.Name
		if (periodID != "" && p.ID == periodID) || (periodID == "" && p.Name == periodName) {
			st.period, found = p, true
		}
	}
	if !found {
		if periodID != "" {
			return nil, errs.NotFoundf("period %s: not found", periodID)
		}
		names := make([]string, 0, len(ps))
		for _, p := range ps {
			names = append(names, p.Name)
		}
		var f errs.Fields
		f.Add("period", "no period named %q in this organization; the periods are: %s", periodName, strings.Join(names, ", "))
		return nil, f.Err()
	}
	var err error
	if st.names, err = loadNames(ctx, tx, orgID); err != nil {
		return nil, err
	}
	os, err := tx.ListObjectives(ctx, orgID, okr.ObjectiveFilter{PeriodID: st.period.ID})
	if err != nil {
		return nil, err
	}
	if err := fillKPIIDs(ctx, tx, orgID, os); err != nil {
		return nil, err
	}
	var ids []string
	for i := range os {
		o := &os[i]
		if ok, err := st.v.canSee(*o); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		if o.Alignments, err = st.v.visibleAlignments(o.Alignments); err != nil {
			return nil, err
		}
		st.objectives = append(st.objectives, o)
		st.objBySlug[o.Slug] = o
		st.krBySlug[o.ID] = map[string]*okr.KeyResult{}
		ids = append(ids, o.ID)
	}
	subjects := make([]string, 0, len(ids))
	subjects = append(subjects, ids...)
	if len(ids) > 0 {
		krs, err := tx.ListKeyResults(ctx, orgID, okr.KeyResultFilter{ObjectiveIDs: ids})
		if err != nil {
			return nil, err
		}
		for i := range krs {
			k := &krs[i]
			st.krs[k.ObjectiveID] = append(st.krs[k.ObjectiveID], k)
			st.krBySlug[k.ObjectiveID][k.Slug] = k
			st.periodKRs[k.ID] = true
			subjects = append(subjects, k.ID)
		}
		rs, err := tx.ListRequirements(ctx, orgID, learning.RequirementFilter{SubjectIDs: subjects})
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if r.Subject.Type == learning.SubjectObjective || r.Subject.Type == learning.SubjectKeyResult {
				st.reqs[r.Subject] = append(st.reqs[r.Subject], r)
			}
		}
	}
	ins, err := tx.ListInitiatives(ctx, orgID, okr.InitiativeFilter{})
	if err != nil {
		return nil, err
	}
	for i := range ins {
		in := &ins[i]
		all := in.KeyResultIDs
		// Links to key results the actor may not see are cut (as every read does).
		if ok, err := st.v.readableInitiative(in); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		st.allLinks[in.ID] = all
		st.initiatives[in.Slug] = in
		st.initOrder = append(st.initOrder, in)
	}
	return st, nil
}

// linked reports whether an initiative moves a key result of the period.
func (st *codeState) linked(in *okr.Initiative) bool {
	for _, id := range in.KeyResultIDs {
		if st.periodKRs[id] {
			return true
		}
	}
	return false
}

// objectiveRef writes a reference to an objective: its slug, prefixed with
// its period's name when it is in another period.
func (st *codeState) objectiveRef(o *okr.Objective) string {
	if o.PeriodID == st.period.ID {
		return o.Slug
	}
	return st.periodOf[o.PeriodID] + ":" + o.Slug
}

// parentObjectiveByID loads an objective of any period.
func (st *codeState) objectiveByID(id string) (*okr.Objective, error) {
	for _, o := range st.objectives {
		if o.ID == id {
			return o, nil
		}
	}
	if o, ok := st.parentObjective[id]; ok {
		return o, nil
	}
	o, err := st.tx.GetObjective(st.ctx, st.v.actor.OrgID, id)
	if err != nil {
		return nil, err
	}
	st.parentObjective[id] = &o
	return &o, nil
}

// keyResultRef writes a reference to a key result: <objective>/<key result>.
func (st *codeState) keyResultRef(id string) (string, error) {
	k, ok := st.parentKR[id]
	if !ok {
		kr, err := st.tx.GetKeyResult(st.ctx, st.v.actor.OrgID, id)
		if err != nil {
			return "", err
		}
		k = &kr
		st.parentKR[id] = k
	}
	o, err := st.objectiveByID(k.ObjectiveID)
	if err != nil {
		return "", err
	}
	return st.objectiveRef(o) + "/" + k.Slug, nil
}

// docSkills writes a subject's skill requirements, by skill name.
func (st *codeState) docSkills(s learning.Subject) []DocSkill {
	var out []DocSkill
	for _, r := range st.reqs[s] {
		h, e := r.Headcount, r.Essential
		out = append(out, DocSkill{Skill: st.names.skillName[r.SkillID], Level: r.Level, Headcount: &h, Essential: &e})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Skill < out[j].Skill })
	return out
}

// docMeasure writes a key result's stored measure with names.
func (st *codeState) docMeasure(k *okr.KeyResult) *DocMeasure {
	n := st.names
	switch k.Source {
	case okr.SourceKPI:
		var m okr.KPIMeasure
		if json.Unmarshal(k.Measure, &m) != nil {
			return nil
		}
		return &DocMeasure{KPI: n.kpiName[m.KPIID]}
	case okr.SourceLearning:
		m, err := parseMeasure(k.Measure)
		if err != nil {
			return nil
		}
		out := &DocMeasure{Type: string(m.Type), Level: m.Level, Population: &DocPopulation{}}
		if m.ProgramID != "" {
			out.Program = n.program[m.ProgramID]
		}
		if m.SkillID != "" {
			out.Skill = n.skillName[m.SkillID]
		}
		switch m.Population.Type {
		case learning.PopulationTeam:
			out.Population.Team = n.teamSlug[m.Population.ID]
		case learning.PopulationRole:
			out.Population.Role = n.roleName[m.Population.ID]
		case learning.PopulationUsers:
			out.Population.Users = []string{}
			for _, id := range m.Population.UserIDs {
				out.Population.Users = append(out.Population.Users, n.emailOf[id])
			}
		}
		return out
	}
	return nil
}

// export writes the period as a document.
func (st *codeState) export() (OKRDocument, error) {
	n := st.names
	doc := OKRDocument{Okra: OKRFormatVersion, Period: st.period.Name, Objectives: []DocObjective{}}
	for _, o := range st.exportOrder() {
		d := DocObjective{Slug: o.Slug, Title: o.Title, Description: o.Description, Owner: n.ownerRef(o.Owner),
			Champion: n.emailOf[o.ChampionID], Kind: o.Kind, Visibility: o.Visibility, State: o.State, Outcome: o.Outcome,
			Weight: refTo(o.Weight), AlignmentNote: o.AlignmentNote}
		if len(o.Tags) > 0 {
			d.Tags = append([]string{}, o.Tags...)
		}
		for _, al := range o.Alignments {
			da := DocAlignment{Link: al.Link}
			if al.ParentType == okr.ParentKeyResult {
				ref, err := st.keyResultRef(al.ParentID)
				if err != nil {
					return doc, err
				}
				da.KeyResult = ref
			} else {
				p, err := st.objectiveByID(al.ParentID)
				if err != nil {
					return doc, err
				}
				da.Objective = st.objectiveRef(p)
			}
			d.AlignsTo = append(d.AlignsTo, da)
		}
		for _, id := range o.KPIIDs {
			d.KPIs = append(d.KPIs, n.kpiName[id])
		}
		sort.Strings(d.KPIs)
		d.Skills = st.docSkills(learning.Subject{Type: learning.SubjectObjective, ID: o.ID})
		for _, k := range st.krs[o.ID] {
			dk := DocKeyResult{Slug: k.Slug, Title: k.Title, Owner: n.emailOf[k.OwnerID], Kind: k.Kind, Unit: k.Unit,
				UnitLabel: k.UnitLabel, Currency: k.Currency, Weight: refTo(k.Weight), DueDate: k.DueDate, Indicator: k.Indicator,
				Source: k.Source, Measure: st.docMeasure(k)}
			switch k.Kind {
			case okr.Milestone, okr.Boolean:
				// They run from 0 to 1; the format leaves the numbers out.
			default:
				dk.Baseline, dk.Target = refTo(k.Baseline), refTo(k.Target)
			}
			if k.Kind == okr.Maintain && k.Band != nil {
				b := *k.Band
				dk.Band = &b
			}
			if k.Kind == okr.Milestone {
				for _, m := range k.Milestones {
					dk.Milestones = append(dk.Milestones, DocMilestone{Title: m.Title, Weight: refTo(m.Weight)})
				}
			}
			dk.Skills = st.docSkills(learning.Subject{Type: learning.SubjectKeyResult, ID: k.ID})
			d.KeyResults = append(d.KeyResults, dk)
		}
		doc.Objectives = append(doc.Objectives, d)
	}
	for _, in := range st.initOrder {
		if !st.linked(in) {
			continue
		}
		d := DocInitiative{Slug: in.Slug, Title: in.Title, Description: in.Description, Owner: n.emailOf[in.OwnerID],
			Status: in.Status, StartDate: in.StartDate, DueDate: in.DueDate, ExternalURL: in.ExternalURL}
		if in.Budget != nil {
			b := *in.Budget
			d.Budget = &b
		}
		if in.EffortDays != nil {
			d.EffortDays = refTo(*in.EffortDays)
		}
		for _, id := range in.KeyResultIDs {
			ref, err := st.keyResultRef(id)
			if errs.Is(err, errs.NotFound) {
				continue
			} else if err != nil {
				return doc, err
			}
			d.KeyResults = append(d.KeyResults, ref)
		}
		for _, t := range in.Tasks {
			d.Tasks = append(d.Tasks, DocTask{Title: t.Title, Assignee: n.emailOf[t.AssigneeID], DueDate: t.DueDate, Done: t.Done})
		}
		doc.Initiatives = append(doc.Initiatives, d)
	}
	return doc, nil
}

// exportOrder lists the period's objectives parents first (an objective
// after those of the period it aligns to), else in the order they were made.
func (st *codeState) exportOrder() []*okr.Objective {
	krObjective := map[string]string{}
	for oid, ks := range st.krs {
		for _, k := range ks {
			krObjective[k.ID] = oid
		}
	}
	inPeriod := map[string]bool{}
	for _, o := range st.objectives {
		inPeriod[o.ID] = true
	}
	deps := map[string][]string{}
	for _, o := range st.objectives {
		for _, a := range o.Alignments {
			p := a.ParentID
			if a.ParentType == okr.ParentKeyResult {
				p = krObjective[p]
			}
			if inPeriod[p] && p != o.ID {
				deps[o.ID] = append(deps[o.ID], p)
			}
		}
	}
	out := make([]*okr.Objective, 0, len(st.objectives))
	done := map[string]int{} // 1 visiting, 2 done
	var visit func(o *okr.Objective)
	byID := map[string]*okr.Objective{}
	for _, o := range st.objectives {
		byID[o.ID] = o
	}
	visit = func(o *okr.Objective) {
		if done[o.ID] != 0 {
			return
		}
		done[o.ID] = 1
		for _, p := range deps[o.ID] {
			visit(byID[p])
		}
		done[o.ID] = 2
		out = append(out, o)
	}
	for _, o := range st.objectives {
		visit(o)
	}
	return out
}

// refTo returns a pointer to a copy of v.
func refTo[T any](v T) *T { return &v }

// sortedCopy returns a sorted copy of a list of strings.
func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	return out
}

// PeriodByName finds a period by its name (or its id), for the command line;
// errs.NotFound lists the periods there are.
func (a *App) PeriodByName(ctx context.Context, actor org.Actor, name string) (okr.Period, error) {
	var p okr.Period
	if err := requireRead(actor); err != nil {
		return p, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var names []string
		for after := ""; ; {
			page, err := tx.ListPeriods(ctx, actor.OrgID, after, 500)
			if err != nil {
				return err
			}
			for _, q := range page {
				if q.Name == name || q.ID == name {
					p = q
					return nil
				}
				names = append(names, q.Name)
			}
			if len(page) < 500 {
				return errs.NotFoundf("no period named %q; the periods are: %s", name, strings.Join(names, ", "))
			}
			after = page[len(page)-1].ID
		}
	})
	return p, err
}
