package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/tabular"
)

// MaxImportFileBytes is the largest spreadsheet an OKR import reads.
const MaxImportFileBytes = 5 << 20

// OKRImportInput is a spreadsheet of objectives and key results to import
// into a period.
type OKRImportInput struct {
	PeriodID string
	Format   tabular.Format
	// Content is the file as uploaded.
	Content []byte
	// Sheet names the XLSX sheet to read; empty reads the first.
	Sheet string
	// Mapping names the columns; a mapping with no field set is guessed
	// from the header (GuessOKRMapping).
	Mapping    OKRMapping
	DateFormat DateFormat
	// Decimal is the decimal separator, "." or ","; empty reads either.
	Decimal string
	DryRun  bool
}

// OKRImportRow is what importing one row does (or, in a dry run, would do).
type OKRImportRow struct {
	Line      int    `json:"line" doc:"The row's line (CSV) or row number (XLSX); the header is line 1."`
	Objective string `json:"objective" doc:"The objective's title."`
	// ObjectiveRef is the objective's slug.
	ObjectiveRef string `json:"objective_ref"`
	// ObjectiveAction is given on the row where the objective first appears.
	ObjectiveAction string `json:"objective_action,omitempty" enum:"create,update,unchanged" doc:"On the row where the objective first appears: what happens to it."`
	KeyResult       string `json:"key_result,omitempty" doc:"The key result's title; absent for a row that is an objective alone."`
	KeyResultRef    string `json:"key_result_ref,omitempty" doc:"<objective slug>/<key result slug>."`
	Action          string `json:"action,omitempty" enum:"create,update,unchanged" doc:"What happens to the key result."`
	// Fields are the fields an update changes.
	Fields []string `json:"fields,omitempty" doc:"For an update: the fields that change."`
	// CheckIn is the current value checked in (source import).
	CheckIn *float64 `json:"check_in,omitempty" doc:"The current value the import checks in (source import), when it differs from the key result's."`
	// Errors are the row's problems; nothing is imported while any row has one.
	Errors []ImportError `json:"errors,omitempty"`
}

// OKRImportCounts sums an import up.
type OKRImportCounts struct {
	Rows      int `json:"rows" doc:"Rows read (blank ones aside)."`
	Create    int `json:"create" doc:"Objectives and key results created."`
	Update    int `json:"update" doc:"Objectives and key results changed."`
	Unchanged int `json:"unchanged" doc:"Objectives and key results that already match the file."`
	CheckIns  int `json:"check_ins" doc:"Current values checked in."`
	Errors    int `json:"errors"`
}

// OKRImportResult is the report of an import of objectives and key results.
type OKRImportResult struct {
	DryRun bool   `json:"dry_run" doc:"True: nothing was written; this is what importing would do."`
	Period string `json:"period" doc:"The period's name."`
	// Imported is true when the file was stored (not a dry run, no error).
	Imported bool `json:"imported"`
	// Header is the file's header; Mapping the columns used (given or guessed).
	Header     []string       `json:"header"`
	Mapping    OKRMapping     `json:"mapping"`
	DateFormat DateFormat     `json:"date_format"`
	Rows       []OKRImportRow `json:"rows"`
	// Errors are every problem, those of the rows included.
	Errors []ImportError   `json:"errors"`
	Counts OKRImportCounts `json:"counts"`
	Plan   *ApplyPlan      `json:"plan,omitempty" doc:"The OKRs-as-code plan the rows make."`
	// Document is the OKR document the rows make, as okra apply would read it.
	Document *OKRDocument `json:"document,omitempty"`
}

// ReadImportSheet reads an uploaded spreadsheet (for previews); the error is
// Invalid on the field file, for a person.
func ReadImportSheet(format tabular.Format, content []byte, sheet string) (tabular.Sheet, error) {
	if len(content) > MaxImportFileBytes {
		var f errs.Fields
		f.Add("file", "is %d MB; import at most %d MB at a time", len(content)>>20, MaxImportFileBytes>>20)
		return tabular.Sheet{}, f.Err()
	}
	s, err := tabular.Read(bytes.NewReader(content), format, sheet)
	if err != nil {
		var f errs.Fields
		f.Add("file", "%s", err.Error())
		return s, f.Err()
	}
	return s, nil
}

// mappingEmpty reports whether no field is mapped.
func mappingEmpty(m OKRMapping) bool { return m == OKRMapping{} }

// ImportOKRs imports objectives and key results from a spreadsheet into a
// period: the rows become an OKR document (ReadOKRSheet, objectives matched
// to the period's by title) that ApplyDocument applies as the actor, with the
// same use cases and rules as everywhere; then each current value that
// differs from its key result's is checked in (source import), in the same
// transaction. All or nothing: a row with a problem imports nothing. The
// same file imported twice changes nothing the second time. A dry run does
// everything and rolls it back.
//
// The result lists every row with what happens to it, and every problem with
// its line and column. A dry run returns its problems in the result; an
// import with problems also returns an error (Invalid, or the kind of the
// use cases' refusal) whose fields are "file" with messages that say the
// line and column.
func (a *App) ImportOKRs(ctx context.Context, actor org.Actor, in OKRImportInput) (OKRImportResult, error) {
	res := OKRImportResult{DryRun: in.DryRun, Rows: []OKRImportRow{}, Errors: []ImportError{}, Header: []string{}}
	if err := requireWrite(actor); err != nil {
		return res, err
	}
	var f errs.Fields
	if in.PeriodID == "" {
		f.Add("period_id", "choose the period to import into")
	}
	if len(in.Content) == 0 {
		f.Add("file", "choose the file to import (CSV or XLSX)")
	}
	if err := f.Err(); err != nil {
		return res, err
	}
	s, err := ReadImportSheet(in.Format, in.Content, in.Sheet)
	if err != nil {
		return res, err
	}
	res.Header = s.Header
	if mappingEmpty(in.Mapping) {
		in.Mapping = GuessOKRMapping(s.Header)
	}
	if in.DateFormat == "" {
		in.DateFormat = DateISO
	}
	res.Mapping, res.DateFormat = in.Mapping, in.DateFormat

	var (
		period okr.Period
		teams  = map[string]string{}
	)
	err = a.db.Read(ctx, func(tx Tx) error {
		var err error
		if period, err = tx.GetPeriod(ctx, actor.OrgID, in.PeriodID); err != nil {
			return err
		}
		ts, err := tx.ListTeams(ctx, actor.OrgID)
		for _, t := range ts {
			teams[strings.ToLower(t.Name)] = t.Slug
			teams[t.Slug] = t.Slug
		}
		return err
	})
	if err != nil {
		return res, err
	}
	res.Period = period.Name
	base, err := a.ExportDocument(ctx, actor, period.ID)
	if err != nil {
		return res, err
	}
	sheet, problems := ReadOKRSheet(s, OKRSheetOptions{Period: period.Name, Mapping: in.Mapping, DateFormat: in.DateFormat,
		Decimal: in.Decimal, Base: &base, Teams: teams})
	res.Counts.Rows = countImportLines(sheet.Rows, problems)
	if len(problems) > 0 {
		return res.failed(sheet, problems, errs.Invalid)
	}
	res.Document = &sheet.Document

	var plan ApplyPlan
	checked := map[int]float64{} // line → value checked in
	err = a.transaction(ctx, actor.OrgID, in.DryRun, func(inTx *App) error {
		var err error
		if plan, err = inTx.ApplyDocument(ctx, actor, sheet.Document, ApplyOptions{DryRun: in.DryRun}); err != nil {
			return err
		}
		return inTx.checkInCurrents(ctx, actor, period.ID, sheet, checked)
	})
	res.Plan = &plan
	if err != nil {
		var e *errs.Error
		if !errors.As(err, &e) || len(e.Fields) == 0 {
			return res, err
		}
		return res.failed(sheet, sheetProblems(sheet, e.Fields), e.Kind)
	}
	res.rows(sheet, plan, checked)
	res.Imported = !in.DryRun
	return res, nil
}

// failed reports the problems on their rows; a dry run returns them as its
// result, an import also as an error of the kind given.
func (res OKRImportResult) failed(sheet OKRSheet, problems []ImportError, kind errs.Kind) (OKRImportResult, error) {
	res.Errors = problems
	res.Counts.Errors = len(problems)
	res.rows(sheet, ApplyPlan{}, nil)
	if res.DryRun {
		return res, nil
	}
	var f errs.Fields
	for _, p := range problems {
		field := "file"
		if p.Line == 0 && p.Column == "" && p.Field != "" {
			field = "mapping." + p.Field
			if p.Field == "date_format" || p.Field == "decimal" {
				field = p.Field
			}
		}
		f.Add(field, "%s", p.Error())
	}
	return res, &errs.Error{Kind: kind, Message: fmt.Sprintf("the file cannot be imported: %s; nothing was imported",
		okr.Plural(len(problems), "problem")), Fields: f}
}

// rows fills the per-row report from the sheet, the plan and the check-ins.
func (res *OKRImportResult) rows(sheet OKRSheet, plan ApplyPlan, checked map[int]float64) {
	changes := map[string]PlannedChange{}
	for _, c := range plan.Changes {
		if c.Path != "" {
			changes[c.Path] = c
		}
	}
	action := func(path string) (string, []string) {
		if c, ok := changes[path]; ok {
			return c.Action, c.Fields
		}
		if plan.Period == "" { // no plan: the file has problems
			return "", nil
		}
		return "unchanged", nil
	}
	byLine := map[int][]ImportError{}
	for _, p := range res.Errors {
		byLine[p.Line] = append(byLine[p.Line], p)
	}
	firstRow := map[int]bool{}
	for _, r := range sheet.Rows {
		o := sheet.Document.Objectives[r.Objective]
		row := OKRImportRow{Line: r.Line, Objective: o.Title, ObjectiveRef: o.Slug, Errors: byLine[r.Line]}
		if !firstRow[r.Objective] {
			firstRow[r.Objective] = true
			row.ObjectiveAction, _ = action(fmt.Sprintf("objectives[%d]", r.Objective))
		}
		if r.KeyResult >= 0 {
			k := o.KeyResults[r.KeyResult]
			row.KeyResult, row.KeyResultRef = k.Title, o.Slug+"/"+k.Slug
			row.Action, row.Fields = action(fmt.Sprintf("objectives[%d].key_results[%d]", r.Objective, r.KeyResult))
		}
		if v, ok := checked[r.Line]; ok {
			row.CheckIn = &v
		}
		delete(byLine, r.Line)
		res.Rows = append(res.Rows, row)
	}
	// Rows left out of the document (an empty objective, a duplicate key result) still show their problems.
	for line, ps := range byLine {
		if line > 0 {
			res.Rows = append(res.Rows, OKRImportRow{Line: line, Errors: ps})
		}
	}
	sortRows(res.Rows)
	res.Counts.Create, res.Counts.Update, res.Counts.Unchanged = plan.Create, plan.Update, plan.Unchanged
	res.Counts.CheckIns = len(checked)
}

func sortRows(rows []OKRImportRow) {
	slices.SortStableFunc(rows, func(a, b OKRImportRow) int { return a.Line - b.Line })
}

// countImportLines counts the distinct lines of the rows and the problems.
func countImportLines(rows []OKRSheetRow, ps []ImportError) int {
	lines := map[int]bool{}
	for _, r := range rows {
		lines[r.Line] = true
	}
	for _, p := range ps {
		if p.Line > 0 {
			lines[p.Line] = true
		}
	}
	return len(lines)
}

var docPath = regexp.MustCompile(`^objectives\[(\d+)\](?:\.key_results\[(\d+)\])?(.*)$`)

// Which mapping field a document field comes from.
var (
	objectiveFieldOf = map[string]string{"title": "objective", "description": "objective_description", "owner": "objective_owner",
		"champion": "objective_owner"}
	keyResultFieldOf = map[string]string{"title": "key_result", "owner": "owner", "baseline": "baseline", "target": "target",
		"kind": "target", "unit": "unit", "unit_label": "unit", "currency": "unit", "due_date": "due_date"}
)

// sheetProblems maps the errors of an apply (at document paths such as
// objectives[1].key_results[0].target) back to the rows and columns of the
// sheet: a field the mapping reads is its column; another is named in the
// message. A path outside the rows keeps its path.
func sheetProblems(sheet OKRSheet, fields []errs.FieldError) []ImportError {
	out := make([]ImportError, 0, len(fields))
	for _, fe := range fields {
		if rest, ok := strings.CutPrefix(fe.Field, "check_in:"); ok { // checkInCurrents' own: check_in:<line>:<field>
			lineText, key, _ := strings.Cut(rest, ":")
			line, _ := strconv.Atoi(lineText)
			out = append(out, ImportError{Line: line, Column: sheet.Columns[key], Field: key, Message: fe.Message})
			continue
		}
		m := docPath.FindStringSubmatch(fe.Field)
		if m == nil {
			out = append(out, ImportError{Field: fe.Field, Message: fe.Message})
			continue
		}
		oi, _ := strconv.Atoi(m[1])
		ki := -1
		if m[2] != "" {
			ki, _ = strconv.Atoi(m[2])
		}
		line := 0
		for _, r := range sheet.Rows {
			if r.Objective == oi && (ki < 0 || r.KeyResult == ki) {
				line = r.Line
				break
			}
		}
		key, names := "objective", objectiveFieldOf
		if ki >= 0 {
			key, names = "key_result", keyResultFieldOf
		}
		rest := strings.TrimPrefix(m[3], ".")
		head, _, _ := strings.Cut(rest, ".")
		head, _, _ = strings.Cut(head, "[")
		msg := fe.Message
		if k, ok := names[head]; ok && head == rest && sheet.Columns[k] != "" {
			key = k
		} else if rest != "" {
			msg = rest + ": " + msg
		}
		out = append(out, ImportError{Line: line, Column: sheet.Columns[key], Field: key, Message: msg})
	}
	return out
}

// checkInCurrents checks in each current value of the sheet that differs
// from its key result's (source import), after the apply, in its
// transaction. The check-in keeps the key result's last confidence and says
// on track, or at risk when it is behind the time elapsed, as automatic
// check-ins do. checked gets the value checked in for each line.
func (a *App) checkInCurrents(ctx context.Context, actor org.Actor, periodID string, sheet OKRSheet, checked map[int]float64) error {
	if len(sheet.Currents) == 0 {
		return nil
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		objectives, err := tx.ListObjectives(ctx, actor.OrgID, okr.ObjectiveFilter{PeriodID: periodID})
		if err != nil {
			return err
		}
		bySlug := map[string]okr.Objective{}
		ids := make([]string, 0, len(objectives))
		for _, obj := range objectives {
			bySlug[obj.Slug] = obj
			ids = append(ids, obj.ID)
		}
		krs := map[string]string{} // objective id + "/" + key result slug → id
		if len(ids) > 0 {
			all, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{ObjectiveIDs: ids})
			if err != nil {
				return err
			}
			for _, k := range all {
				krs[k.ObjectiveID+"/"+k.Slug] = k.ID
			}
		}
		h, err := loadSignals(ctx, tx, actor.OrgID)
		if err != nil {
			return err
		}
		v := newAccess(ctx, tx, actor)
		var f errs.Fields
		moved := map[string]bool{}
		for _, c := range sheet.Currents {
			bad := func(format string, args ...any) { f.Add(fmt.Sprintf("check_in:%d:current", c.Line), format, args...) }
			id, ok := krs[bySlug[c.Objective].ID+"/"+c.KeyResult]
			if !ok {
				bad("key result %s/%s was not stored", c.Objective, c.KeyResult)
				continue
			}
			k, obj, p, err := v.editableKeyResult(id)
			if err != nil {
				var e *errs.Error
				if errors.As(err, &e) && e.Kind != errs.Internal && e.Kind != errs.Unavailable {
					bad("cannot be checked in: %s", e.Message)
					continue
				}
				return err
			}
			if k.Current == c.Value {
				continue
			}
			switch {
			case k.Source == okr.SourceKPI || k.Source == okr.SourceLearning || k.Source == okr.SourceChildren:
				bad("key result %q takes its value from its source (%s): leave the current value empty", k.Title, k.Source)
				continue
			case k.Kind == okr.Milestone:
				bad("key result %q is a milestone key result: check its milestones in on its page, and leave the current value empty", k.Title)
				continue
			case k.Kind == okr.Boolean && c.Value != 0 && c.Value != 1:
				bad("key result %q is done (1) or not (0): %v is neither", k.Title, c.Value)
				continue
			}
			if err := automaticCheckIn(ctx, tx, actor, o, h, obj, p, k, c.Value, okr.SourceImport, "Imported from a spreadsheet."); err != nil {
				return err
			}
			checked[c.Line] = c.Value
			moved[k.ObjectiveID] = true
		}
		if err := f.Err(); err != nil {
			return err
		}
		for id := range moved {
			if err := okr.Propagate(ctx, tx.Rollup(actor.OrgID), okr.Node{Type: okr.NodeObjective, ID: id}); err != nil {
				return err
			}
		}
		return nil
	})
}
