package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/tabular"
)

// Spreadsheet exports (issue 6): a period's objectives, key results,
// check-ins and initiatives, and the learning records, as tables that the
// adapters write as CSV or XLSX (internal/tabular neutralizes formulas). A
// reader gets what the list use cases would show them: objectives by their
// visibility, key results and check-ins of the objectives they may see,
// initiatives they may see. People are written by e-mail and teams by name,
// each with its id in a column of its own.

// Dataset is what an export holds.
type Dataset string

// The export datasets.
const (
	DatasetObjectives  Dataset = "objectives"
	DatasetKeyResults  Dataset = "key_results"
	DatasetCheckIns    Dataset = "check_ins"
	DatasetInitiatives Dataset = "initiatives"
	DatasetLearning    Dataset = "learning"
)

// Datasets lists the datasets in the order pages offer them.
var Datasets = []Dataset{DatasetObjectives, DatasetKeyResults, DatasetCheckIns, DatasetInitiatives, DatasetLearning}

// Label names a dataset for people.
func (d Dataset) Label() string {
	switch d {
	case DatasetKeyResults:
		return "Key results"
	case DatasetCheckIns:
		return "Check-ins"
	case DatasetInitiatives:
		return "Initiatives"
	case DatasetLearning:
		return "Learning records"
	}
	return "Objectives"
}

// ExportQuery says what to export.
type ExportQuery struct {
	Dataset Dataset
	// PeriodID limits the OKR datasets to a period, and learning records to
	// the enrollments due or completed within it; empty exports everything.
	PeriodID string
}

// Export is a dataset as a table, and the file name it goes out under.
type Export struct {
	Table tabular.Table
	// Name is the file's name without its extension, e.g. "okra-key-results-2027-q1".
	Name string
}

// Export builds a dataset's table for the actor (any member who may read).
// An unknown dataset is Invalid; a period of another organization NotFound.
func (a *App) Export(ctx context.Context, actor org.Actor, q ExportQuery) (Export, error) {
	var out Export
	if err := requireRead(actor); err != nil {
		return out, err
	}
	if !slices.Contains(Datasets, q.Dataset) {
		var f errs.Fields
		f.Add("dataset", "must be objectives, key_results, check_ins, initiatives or learning")
		return out, f.Err()
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		x, err := newExporter(ctx, a, tx, actor, q.PeriodID)
		if err != nil {
			return err
		}
		switch q.Dataset {
		case DatasetObjectives:
			out.Table, err = x.tableObjectives()
		case DatasetKeyResults:
			out.Table, err = x.tableKeyResults()
		case DatasetCheckIns:
			out.Table, err = x.tableCheckIns()
		case DatasetInitiatives:
			out.Table, err = x.tableInitiatives()
		case DatasetLearning:
			out.Table, err = x.tableLearning()
		}
		name := "okra-" + okr.Slugify(string(q.Dataset))
		if x.period != nil {
			name += "-" + okr.Slugify(x.period.Name)
		}
		out.Name = name
		return err
	})
	return out, err
}

// exporter reads one export inside a read transaction.
type exporter struct {
	ctx     context.Context
	a       *App
	tx      Tx
	actor   org.Actor
	v       *access
	org     org.Organization
	period  *okr.Period // nil: every period
	periods map[string]okr.Period
	people  map[string]org.Member
	teams   map[string]org.Team
	// objectives and keyResults are what the actor may see, loaded once.
	objectives []okr.Objective
	keyResults []okr.KeyResult
	loaded     bool
}

func newExporter(ctx context.Context, a *App, tx Tx, actor org.Actor, periodID string) (*exporter, error) {
	x := &exporter{ctx: ctx, a: a, tx: tx, actor: actor, v: newAccess(ctx, tx, actor),
		periods: map[string]okr.Period{}, people: map[string]org.Member{}, teams: map[string]org.Team{}}
	var err error
	if x.org, err = tx.GetOrganization(ctx, actor.OrgID); err != nil {
		return nil, err
	}
	if periodID != "" {
		p, err := tx.GetPeriod(ctx, actor.OrgID, periodID)
		if err != nil {
			return nil, err
		}
		x.period = &p
	}
	ms, err := allMembers(ctx, tx, actor.OrgID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		x.people[m.ID] = m
	}
	ts, err := tx.ListTeams(ctx, actor.OrgID)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		x.teams[t.ID] = t
	}
	return x, nil
}

// email is a person's e-mail ("" for nobody).
func (x *exporter) email(id string) string {
	if id == "" {
		return ""
	}
	if m, ok := x.people[id]; ok {
		return m.Email
	}
	return id
}

// ownerName is an objective owner's name: the organization's, a team's, a person's e-mail.
func (x *exporter) ownerName(o okr.Owner) string {
	switch o.Type {
	case okr.OwnerTeam:
		if t, ok := x.teams[o.ID]; ok {
			return t.Name
		}
		return o.ID
	case okr.OwnerUser:
		return x.email(o.ID)
	}
	return x.org.Name
}

func (x *exporter) periodName(id string) (string, error) {
	if p, ok := x.periods[id]; ok {
		return p.Name, nil
	}
	p, err := x.tx.GetPeriod(x.ctx, x.actor.OrgID, id)
	if err != nil {
		return "", err
	}
	x.periods[id] = p
	return p.Name, nil
}

// load reads the objectives and key results the actor may see, decorated
// with health and signals as the list use cases decorate them.
func (x *exporter) load() error {
	if x.loaded {
		return nil
	}
	x.loaded = true
	f := okr.ObjectiveFilter{}
	if x.period != nil {
		f.PeriodID = x.period.ID
	}
	all, err := x.tx.ListObjectives(x.ctx, x.actor.OrgID, f)
	if err != nil {
		return err
	}
	ids := make([]string, len(all))
	for i, o := range all {
		ids[i] = o.ID
	}
	var krs []okr.KeyResult
	if len(ids) > 0 {
		if krs, err = x.tx.ListKeyResults(x.ctx, x.actor.OrgID, okr.KeyResultFilter{ObjectiveIDs: ids}); err != nil {
			return err
		}
	}
	byObjective := map[string][]okr.KeyResult{}
	for _, k := range krs {
		byObjective[k.ObjectiveID] = append(byObjective[k.ObjectiveID], k)
	}
	h, err := loadSignals(x.ctx, x.tx, x.actor.OrgID)
	if err != nil {
		return err
	}
	x.objectives, err = keepIf(all, func(o *okr.Objective) (bool, error) {
		return x.a.decorateObjective(x.ctx, x.tx, x.v, h, o, byObjective[o.ID])
	})
	if err != nil {
		return err
	}
	for _, o := range x.objectives {
		p, err := h.period(x.ctx, x.tx, x.actor.OrgID, o.PeriodID)
		if err != nil {
			return err
		}
		for _, k := range byObjective[o.ID] {
			h.keyResult(&k, o, p)
			x.keyResults = append(x.keyResults, k)
		}
	}
	return nil
}

func (x *exporter) objective(id string) (okr.Objective, bool) {
	for _, o := range x.objectives {
		if o.ID == id {
			return o, true
		}
	}
	return okr.Objective{}, false
}

// parentTitle is an alignment parent's title: an objective's, or
// "objective / key result" for a key result.
func (x *exporter) parentTitle(a okr.Alignment) (string, error) {
	if a.ParentType == okr.ParentKeyResult {
		k, err := x.tx.GetKeyResult(x.ctx, x.actor.OrgID, a.ParentID)
		if err != nil {
			return "", err
		}
		o, err := x.tx.GetObjective(x.ctx, x.actor.OrgID, k.ObjectiveID)
		if err != nil {
			return "", err
		}
		return o.Title + " / " + k.Title, nil
	}
	if o, ok := x.objective(a.ParentID); ok {
		return o.Title, nil
	}
	o, err := x.tx.GetObjective(x.ctx, x.actor.OrgID, a.ParentID)
	return o.Title, err
}

// joined writes a list in one cell.
func cellList(items []string) string { return strings.Join(items, "; ") }

// orNil leaves an empty cell for a missing number.
func numberOrNil(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}

func exportColumns(spec ...any) []tabular.Column {
	out := make([]tabular.Column, 0, len(spec)/2)
	for i := 0; i+1 < len(spec); i += 2 {
		out = append(out, tabular.Column{Name: spec[i].(string), Kind: spec[i+1].(tabular.Kind)})
	}
	return out
}

// Column kinds, short for the tables below.
const (
	xText    = tabular.Text
	xNumber  = tabular.Number
	xPercent = tabular.Percent
	xDate    = tabular.Date
	xTime    = tabular.Time
	xBool    = tabular.Bool
)

func (x *exporter) tableObjectives() (tabular.Table, error) {
	t := tabular.Table{Name: "Objectives", Columns: exportColumns(
		"id", xText, "slug", xText, "period", xText, "title", xText, "description", xText,
		"owner_type", xText, "owner", xText, "owner_id", xText, "champion", xText, "champion_id", xText,
		"kind", xText, "visibility", xText, "state", xText, "outcome", xText, "weight", xNumber,
		"progress", xPercent, "health", xText, "score", xNumber, "tags", xText,
		"aligns_to", xText, "aligns_to_ids", xText, "alignment_note", xText, "key_results", xNumber,
		"created_at", xTime, "updated_at", xTime)}
	if err := x.load(); err != nil {
		return t, err
	}
	count := map[string]int{}
	for _, k := range x.keyResults {
		count[k.ObjectiveID]++
	}
	for _, o := range x.objectives {
		period, err := x.periodName(o.PeriodID)
		if err != nil {
			return t, err
		}
		var parents, parentIDs []string
		for _, al := range o.Alignments {
			title, err := x.parentTitle(al)
			if err != nil {
				return t, err
			}
			parents = append(parents, title)
			parentIDs = append(parentIDs, al.ParentID)
		}
		var score any
		if o.Score != nil {
			score = o.Score.Final
		}
		t.Rows = append(t.Rows, []any{o.ID, o.Slug, period, o.Title, o.Description,
			string(o.Owner.Type), x.ownerName(o.Owner), o.Owner.ID, x.email(o.ChampionID), o.ChampionID,
			string(o.Kind), string(o.Visibility), string(o.State), string(o.Outcome), o.Weight,
			o.Progress, string(o.Health), score, cellList(o.Tags),
			cellList(parents), cellList(parentIDs), o.AlignmentNote, count[o.ID],
			o.Created, o.Updated})
	}
	return t, nil
}

// UnitText writes a key result's unit as a person reads it, and as the
// import reads it back: number, percent, a currency's ISO code, or the
// custom label.
func UnitText(k okr.KeyResult) string {
	switch k.Unit {
	case okr.UnitCurrency:
		return k.Currency
	case okr.UnitCustom:
		return k.UnitLabel
	}
	return string(k.Unit)
}

func (x *exporter) tableKeyResults() (tabular.Table, error) {
	t := tabular.Table{Name: "Key results", Columns: exportColumns(
		"id", xText, "slug", xText, "period", xText, "objective", xText, "objective_id", xText, "title", xText,
		"owner", xText, "owner_id", xText, "kind", xText, "unit", xText,
		"baseline", xNumber, "target", xNumber, "current", xNumber, "band_low", xNumber, "band_high", xNumber,
		"weight", xNumber, "due_date", xDate, "indicator", xText, "source", xText,
		"progress", xPercent, "confidence", xNumber, "health", xText, "last_check_in_at", xTime, "score", xNumber)}
	if err := x.load(); err != nil {
		return t, err
	}
	for _, k := range x.keyResults {
		o, _ := x.objective(k.ObjectiveID)
		period, err := x.periodName(o.PeriodID)
		if err != nil {
			return t, err
		}
		var low, high, score any
		if k.Band != nil {
			low, high = k.Band.Low, k.Band.High
		}
		if k.Score != nil {
			score = k.Score.Final
		}
		t.Rows = append(t.Rows, []any{k.ID, k.Slug, period, o.Title, o.ID, k.Title,
			x.email(k.OwnerID), k.OwnerID, string(k.Kind), UnitText(k),
			k.Baseline, k.Target, k.Current, low, high,
			k.Weight, string(k.DueDate), string(k.Indicator), string(k.Source),
			k.Progress, numberOrNil(k.Confidence), string(k.Health), timeOrNil(k.LastCheckIn), score})
	}
	return t, nil
}

func (x *exporter) tableCheckIns() (tabular.Table, error) {
	t := tabular.Table{Name: "Check-ins", Columns: exportColumns(
		"id", xText, "created_at", xTime, "period", xText, "objective", xText, "objective_id", xText,
		"key_result", xText, "key_result_id", xText, "value", xNumber, "previous_value", xNumber,
		"confidence", xNumber, "status", xText, "note", xText, "blockers", xText,
		"author", xText, "author_id", xText, "source", xText)}
	if err := x.load(); err != nil {
		return t, err
	}
	type row struct {
		c okr.CheckIn
		k okr.KeyResult
	}
	var rows []row
	for _, k := range x.keyResults {
		cs, err := x.tx.ListCheckIns(x.ctx, x.actor.OrgID, k.ID, "", 1<<30)
		if err != nil {
			return t, err
		}
		for _, c := range cs {
			rows = append(rows, row{c, k})
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.c.ID, b.c.ID) }) // ids are time-ordered
	for _, r := range rows {
		o, _ := x.objective(r.k.ObjectiveID)
		period, err := x.periodName(o.PeriodID)
		if err != nil {
			return t, err
		}
		var blockers []string
		for _, b := range r.c.Blockers {
			blockers = append(blockers, fmt.Sprintf("%s: %s", b.Type, b.Description))
		}
		t.Rows = append(t.Rows, []any{r.c.ID, r.c.Created, period, o.Title, o.ID,
			r.k.Title, r.k.ID, r.c.Value, r.c.PreviousValue,
			r.c.Confidence, string(r.c.Status), r.c.Note, cellList(blockers),
			x.email(r.c.AuthorID), r.c.AuthorID, string(r.c.Source)})
	}
	return t, nil
}

func (x *exporter) tableInitiatives() (tabular.Table, error) {
	t := tabular.Table{Name: "Initiatives", Columns: exportColumns(
		"id", xText, "slug", xText, "title", xText, "description", xText, "owner", xText, "owner_id", xText,
		"status", xText, "start_date", xDate, "due_date", xDate, "budget", xNumber, "budget_currency", xText,
		"effort_days", xNumber, "key_results", xText, "key_result_ids", xText, "aligned", xBool,
		"tasks", xNumber, "tasks_done", xNumber, "external_url", xText, "updated_at", xTime)}
	if err := x.load(); err != nil {
		return t, err
	}
	krs := map[string]okr.KeyResult{}
	for _, k := range x.keyResults {
		krs[k.ID] = k
	}
	all, err := x.tx.ListInitiatives(x.ctx, x.actor.OrgID, okr.InitiativeFilter{})
	if err != nil {
		return t, err
	}
	for _, in := range all {
		inPeriod := len(in.KeyResultIDs) == 0 || x.period == nil
		for _, id := range in.KeyResultIDs {
			if _, ok := krs[id]; ok {
				inPeriod = true
			}
		}
		if !inPeriod {
			continue
		}
		ok, err := x.v.readableInitiative(&in)
		if err != nil {
			return t, err
		}
		if !ok {
			continue
		}
		var titles []string
		for _, id := range in.KeyResultIDs {
			k, ok := krs[id]
			if !ok { // another period's key result (an export of one period names it by id)
				titles = append(titles, id)
				continue
			}
			o, _ := x.objective(k.ObjectiveID)
			titles = append(titles, o.Title+" / "+k.Title)
		}
		var budget, currency any
		if in.Budget != nil {
			if v, err := strconv.ParseFloat(in.Budget.Amount, 64); err == nil {
				budget = v
			}
			currency = in.Budget.Currency
		}
		done := 0
		for _, task := range in.Tasks {
			if task.Done {
				done++
			}
		}
		t.Rows = append(t.Rows, []any{in.ID, in.Slug, in.Title, in.Description, x.email(in.OwnerID), in.OwnerID,
			string(in.Status), string(in.StartDate), string(in.DueDate), budget, currency,
			numberOrNil(in.EffortDays), cellList(titles), cellList(in.KeyResultIDs), in.Aligned,
			len(in.Tasks), done, in.ExternalURL, in.Updated})
	}
	return t, nil
}

// tableLearning exports enrollments: all of them, or for a period those due
// within it or completed within it (the completion date in the
// organization's time zone). Any member reads enrollments (GetEnrollment).
func (x *exporter) tableLearning() (tabular.Table, error) {
	t := tabular.Table{Name: "Learning", Columns: exportColumns(
		"id", xText, "person", xText, "person_name", xText, "user_id", xText,
		"program", xText, "program_id", xText, "program_kind", xText, "provider", xText,
		"status", xText, "progress", xPercent, "score", xNumber, "passed", xBool, "hours", xNumber,
		"due_date", xDate, "started_at", xTime, "completed_on", xDate, "completed_at", xTime,
		"assigned_by", xText, "assigned_by_id", xText, "feedback_rating", xNumber)}
	programs, err := x.tx.ListPrograms(x.ctx, x.actor.OrgID, learning.ProgramFilter{IncludeArchived: true})
	if err != nil {
		return t, err
	}
	byID := map[string]learning.Program{}
	for _, p := range programs {
		byID[p.ID] = p
	}
	es, err := x.tx.ListEnrollments(x.ctx, x.actor.OrgID, learning.EnrollmentFilter{})
	if err != nil {
		return t, err
	}
	loc := x.org.Location()
	within := func(d okr.Date) bool {
		return d != "" && x.period != nil && d >= x.period.StartDate && d <= x.period.EndDate
	}
	for _, e := range es {
		var completedOn okr.Date
		if e.Completed != nil {
			completedOn = okr.Date(e.Completed.In(loc).Format(okr.DateLayout))
		}
		if x.period != nil && !within(e.DueDate) && !within(completedOn) {
			continue
		}
		p := byID[e.ProgramID]
		var passed, rating any
		if e.Passed != nil {
			passed = *e.Passed
		}
		if e.Feedback != nil {
			rating = e.Feedback.Rating
		}
		person := x.people[e.UserID]
		t.Rows = append(t.Rows, []any{e.ID, x.email(e.UserID), person.Name, e.UserID,
			p.Title, e.ProgramID, string(p.Kind), p.Provider,
			string(e.Status), e.Progress, numberOrNil(e.Score), passed, numberOrNil(e.Hours),
			string(e.DueDate), timeOrNil(e.Started), string(completedOn), timeOrNil(e.Completed),
			x.email(e.AssignedBy), e.AssignedBy, rating})
	}
	return t, nil
}
