package store

import (
	"context"
	"database/sql"
	"math"
	"slices"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

var _ okr.Store = (*Tx)(nil)

// ---- periods

const periodColumns = `id, org_id, name, kind, start_date, end_date, COALESCE(parent_id, ''), state, version, created_at, updated_at`

func scanPeriod(sc interface{ Scan(...any) error }) (okr.Period, error) {
	var p okr.Period
	var kind, start, end, state string
	err := sc.Scan(&p.ID, &p.OrgID, &p.Name, &kind, &start, &end, &p.ParentID, &state, &p.Version, &p.Created, &p.Updated)
	p.Kind, p.StartDate, p.EndDate, p.State = okr.PeriodKind(kind), okr.Date(start), okr.Date(end), okr.PeriodState(state)
	return p, err
}

// CreatePeriod inserts a period.
func (t *Tx) CreatePeriod(ctx context.Context, p *okr.Period) error {
	p.Created, p.Updated, p.Version = t.now, t.now, 1
	_, err := t.exec(ctx, "create period",
		`INSERT INTO periods (id, org_id, name, kind, start_date, end_date, parent_id, state, version, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.OrgID, p.Name, string(p.Kind), string(p.StartDate), string(p.EndDate), nullString(p.ParentID),
		string(p.State), p.Version, t.now, t.now)
	return err
}

// GetPeriod returns a period of the organization.
func (t *Tx) GetPeriod(ctx context.Context, orgID, id string) (okr.Period, error) {
	p, err := scanPeriod(t.row(ctx, `SELECT `+periodColumns+` FROM periods WHERE org_id = ? AND id = ?`, orgID, id))
	return p, t.d.classify(err, "period "+id)
}

// ListPeriods returns the organization's periods by id after the cursor.
func (t *Tx) ListPeriods(ctx context.Context, orgID, after string, limit int) ([]okr.Period, error) {
	var out []okr.Period
	err := t.each(ctx, "list periods", `SELECT `+periodColumns+` FROM periods WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?`,
		[]any{orgID, after, limit}, func(r *sql.Rows) error {
			p, err := scanPeriod(r)
			out = append(out, p)
			return err
		})
	return out, err
}

// UpdatePeriod stores a period if its version is still expectVersion.
func (t *Tx) UpdatePeriod(ctx context.Context, p *okr.Period, expectVersion int) error {
	res, err := t.exec(ctx, "update period "+p.ID,
		`UPDATE periods SET name = ?, kind = ?, start_date = ?, end_date = ?, parent_id = ?, state = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		p.Name, string(p.Kind), string(p.StartDate), string(p.EndDate), nullString(p.ParentID), string(p.State), t.now,
		p.OrgID, p.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "period "+p.ID, `SELECT 1 FROM periods WHERE org_id = ? AND id = ?`, p.OrgID, p.ID); err != nil {
		return err
	}
	p.Version, p.Updated = expectVersion+1, t.now
	return nil
}

// ---- objectives

const objectiveColumns = `id, org_id, period_id, title, description, owner_type, owner_id, COALESCE(champion_id, ''), kind, visibility,
	state, outcome, weight, tags, progress, last_check_in, version, created_at, updated_at, score, COALESCE(carried_from, ''), slug, alignment_note`

func scanObjective(sc interface{ Scan(...any) error }) (okr.Objective, error) {
	var o okr.Objective
	var ownerType, kind, vis, state, outcome, tags string
	var last sql.NullTime
	var score sql.NullFloat64
	err := sc.Scan(&o.ID, &o.OrgID, &o.PeriodID, &o.Title, &o.Description, &ownerType, &o.Owner.ID, &o.ChampionID, &kind, &vis,
		&state, &outcome, &o.Weight, &tags, &o.Progress, &last, &o.Version, &o.Created, &o.Updated, &score, &o.CarriedFrom, &o.Slug, &o.AlignmentNote)
	if err != nil {
		return o, err
	}
	if score.Valid {
		o.Score = &okr.ObjectiveScore{Final: score.Float64}
	}
	o.Owner.Type, o.Kind, o.Visibility = okr.OwnerType(ownerType), okr.ObjectiveKind(kind), okr.Visibility(vis)
	o.State, o.Outcome, o.LastCheckIn = okr.ObjectiveState(state), okr.Outcome(outcome), timePtr(last)
	return o, fromJSON(tags, &o.Tags)
}

// CreateObjective inserts an objective and its alignments.
func (t *Tx) CreateObjective(ctx context.Context, o *okr.Objective) error {
	o.Created, o.Updated, o.Version = t.now, t.now, 1
	if o.Tags == nil {
		o.Tags = []string{}
	}
	if _, err := t.exec(ctx, "create objective",
		`INSERT INTO objectives (id, org_id, period_id, title, description, owner_type, owner_id, champion_id, kind, visibility,
		 state, outcome, weight, tags, progress, last_check_in, version, created_at, updated_at, slug, alignment_note)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
		o.ID, o.OrgID, o.PeriodID, o.Title, o.Description, string(o.Owner.Type), o.Owner.ID, nullString(o.ChampionID),
		string(o.Kind), string(o.Visibility), string(o.State), string(o.Outcome), o.Weight, toJSON(o.Tags), o.Progress,
		o.Version, t.now, t.now, o.Slug, o.AlignmentNote); err != nil {
		return err
	}
	return t.ReplaceAlignments(ctx, o.OrgID, o.ID, o.Alignments)
}

// GetObjective returns an objective of the organization with its alignments.
func (t *Tx) GetObjective(ctx context.Context, orgID, id string) (okr.Objective, error) {
	o, err := scanObjective(t.row(ctx, `SELECT `+objectiveColumns+` FROM objectives WHERE org_id = ? AND id = ?`, orgID, id))
	if err != nil {
		return o, t.d.classify(err, "objective "+id)
	}
	o.Alignments, err = t.AlignmentsOfChild(ctx, orgID, id)
	return o, err
}

// ListObjectives returns objectives matching the filter, by id after the cursor, with their alignments.
func (t *Tx) ListObjectives(ctx context.Context, orgID string, f okr.ObjectiveFilter) ([]okr.Objective, error) {
	q := `SELECT ` + objectiveColumns + ` FROM objectives WHERE org_id = ? AND id > ?`
	args := []any{orgID, f.After}
	if f.PeriodID != "" {
		q += ` AND period_id = ?`
		args = append(args, f.PeriodID)
	}
	if f.OwnerType != "" {
		q += ` AND owner_type = ?`
		args = append(args, string(f.OwnerType))
	}
	if f.OwnerID != "" {
		q += ` AND owner_id = ?`
		args = append(args, f.OwnerID)
	}
	q, args = byIDPage(q, args, f.Limit)
	var out []okr.Objective
	err := t.each(ctx, "list objectives", q, args, func(r *sql.Rows) error {
		o, err := scanObjective(r)
		out = append(out, o)
		return err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	if f.Limit <= 0 {
		slices.SortFunc(out, func(a, b okr.Objective) int { return strings.Compare(a.ID, b.ID) })
	}
	idx := make(map[string]int, len(out))
	for i, o := range out {
		idx[o.ID] = i
		out[i].Alignments = []okr.Alignment{} // as GetObjective: none is empty, not nil
	}
	aq := `SELECT ` + alignmentColumns + ` FROM alignments WHERE org_id = ?`
	aargs := []any{orgID}
	if f.PeriodID != "" && f.Limit == 0 {
		// The whole period: one subquery instead of a long IN list.
		aq += ` AND child_id IN (SELECT id FROM objectives WHERE org_id = ? AND period_id = ?)`
		aargs = append(aargs, orgID, f.PeriodID)
	} else {
		aq += ` AND child_id IN (` + placeholders(len(out)) + `)`
		for _, o := range out {
			aargs = append(aargs, o.ID)
		}
	}
	err = t.each(ctx, "list alignments", aq, aargs, func(r *sql.Rows) error {
		a, err := scanAlignment(r)
		if i, ok := idx[a.ChildID]; ok {
			out[i].Alignments = append(out[i].Alignments, a)
		}
		return err
	})
	for i := range out {
		slices.SortFunc(out[i].Alignments, func(a, b okr.Alignment) int { return strings.Compare(a.ID, b.ID) })
	}
	return out, err
}

// byIDPage orders a list query by id and limits it to a page. A list
// without a limit (a whole period, say) is left unordered, for the caller
// to sort in Go: sorting thousands of wide rows in SQLite's temporary
// b-tree costs more than the query itself.
func byIDPage(q string, args []any, limit int) (string, []any) {
	if limit <= 0 {
		return q, args
	}
	return q + ` ORDER BY id LIMIT ?`, append(args, limit)
}

// UpdateObjective stores an objective's fields if its version is still
// expectVersion. Alignments are stored by ReplaceAlignments.
func (t *Tx) UpdateObjective(ctx context.Context, o *okr.Objective, expectVersion int) error {
	res, err := t.exec(ctx, "update objective "+o.ID,
		`UPDATE objectives SET title = ?, description = ?, owner_type = ?, owner_id = ?, champion_id = ?, kind = ?, visibility = ?,
		 state = ?, outcome = ?, weight = ?, tags = ?, slug = ?, alignment_note = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		o.Title, o.Description, string(o.Owner.Type), o.Owner.ID, nullString(o.ChampionID), string(o.Kind), string(o.Visibility),
		string(o.State), string(o.Outcome), o.Weight, toJSON(o.Tags), o.Slug, o.AlignmentNote, t.now, o.OrgID, o.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "objective "+o.ID, `SELECT 1 FROM objectives WHERE org_id = ? AND id = ?`, o.OrgID, o.ID); err != nil {
		return err
	}
	o.Version, o.Updated = expectVersion+1, t.now
	return nil
}

// DeleteObjective removes an objective with its key results, check-ins,
// alignments and the comments on any of them.
func (t *Tx) DeleteObjective(ctx context.Context, orgID, id string) error {
	if _, err := t.exec(ctx, "delete comments of objective "+id,
		`DELETE FROM comments WHERE org_id = ? AND (
		   (subject_type = 'objective' AND subject_id = ?)
		   OR (subject_type = 'key_result' AND subject_id IN (SELECT id FROM key_results WHERE org_id = ? AND objective_id = ?))
		   OR (subject_type = 'check_in' AND subject_id IN (SELECT id FROM check_ins WHERE org_id = ? AND objective_id = ?)))`,
		orgID, id, orgID, id, orgID, id); err != nil {
		return err
	}
	return t.execOne(ctx, "objective "+id, `DELETE FROM objectives WHERE org_id = ? AND id = ?`, orgID, id)
}

// ---- alignments

const alignmentColumns = `id, child_id, parent_type, COALESCE(parent_objective_id, parent_key_result_id), link`

func scanAlignment(sc interface{ Scan(...any) error }) (okr.Alignment, error) {
	var a okr.Alignment
	var pt, link string
	err := sc.Scan(&a.ID, &a.ChildID, &pt, &a.ParentID, &link)
	a.ParentType, a.Link = okr.ParentType(pt), okr.Link(link)
	return a, err
}

// AlignmentsOfChild returns the alignments of an objective to its parents.
func (t *Tx) AlignmentsOfChild(ctx context.Context, orgID, childID string) ([]okr.Alignment, error) {
	out := []okr.Alignment{}
	err := t.each(ctx, "alignments", `SELECT `+alignmentColumns+` FROM alignments WHERE org_id = ? AND child_id = ? ORDER BY id`,
		[]any{orgID, childID}, func(r *sql.Rows) error {
			a, err := scanAlignment(r)
			out = append(out, a)
			return err
		})
	return out, err
}

// AlignedChildren returns the alignments whose parent is the given objective or key result.
func (t *Tx) AlignedChildren(ctx context.Context, orgID string, parentType okr.ParentType, parentID string) ([]okr.Alignment, error) {
	col := "parent_objective_id"
	if parentType == okr.ParentKeyResult {
		col = "parent_key_result_id"
	}
	var out []okr.Alignment
	err := t.each(ctx, "aligned children", `SELECT `+alignmentColumns+` FROM alignments WHERE org_id = ? AND `+col+` = ? ORDER BY id`,
		[]any{orgID, parentID}, func(r *sql.Rows) error {
			a, err := scanAlignment(r)
			out = append(out, a)
			return err
		})
	return out, err
}

// ReplaceAlignments sets an objective's alignments to as (ids are assigned to
// new ones); an objective not in the organization is NotFound.
func (t *Tx) ReplaceAlignments(ctx context.Context, orgID, childID string, as []okr.Alignment) error {
	var n int
	if err := t.get(ctx, "objective "+childID, `SELECT COUNT(*) FROM objectives WHERE org_id = ? AND id = ?`,
		[]any{orgID, childID}, &n); err != nil {
		return err
	}
	if n == 0 {
		return errs.NotFoundf("objective %s: not found", childID)
	}
	if _, err := t.exec(ctx, "replace alignments", `DELETE FROM alignments WHERE org_id = ? AND child_id = ?`, orgID, childID); err != nil {
		return err
	}
	for i := range as {
		a := &as[i]
		if a.ID == "" {
			a.ID = app.NewID()
		}
		a.ChildID = childID
		var po, pk any
		if a.ParentType == okr.ParentKeyResult {
			pk = a.ParentID
		} else {
			po = a.ParentID
		}
		if _, err := t.exec(ctx, "align objective",
			`INSERT INTO alignments (id, org_id, child_id, parent_type, parent_objective_id, parent_key_result_id, link, created_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, orgID, childID, string(a.ParentType), po, pk, string(a.Link), t.now); err != nil {
			return err
		}
	}
	return nil
}

// ParentObjectiveIDs returns the objectives directly above an objective:
// its parent objectives and the objectives of its parent key results.
func (t *Tx) ParentObjectiveIDs(ctx context.Context, orgID, objectiveID string) ([]string, error) {
	var out []string
	err := t.each(ctx, "parent objectives",
		`SELECT COALESCE(a.parent_objective_id, k.objective_id) FROM alignments a
		 LEFT JOIN key_results k ON k.id = a.parent_key_result_id AND k.org_id = a.org_id
		 WHERE a.org_id = ? AND a.child_id = ?`,
		[]any{orgID, objectiveID}, func(r *sql.Rows) error {
			var id sql.NullString
			err := r.Scan(&id)
			if id.Valid {
				out = append(out, id.String)
			}
			return err
		})
	return out, err
}

// ---- key results

const keyResultColumns = `id, org_id, objective_id, title, COALESCE(owner_id, ''), kind, unit, unit_label, currency, baseline, target,
	band_low, band_high, milestones, current_value, weight, due_date, indicator, source, measure, progress, confidence,
	last_status, last_check_in, forecast_value, forecast_on_track, version, created_at, updated_at, score_computed, score_adjusted, score_reason, slug`

func scanKeyResult(sc interface{ Scan(...any) error }) (okr.KeyResult, error) {
	var k okr.KeyResult
	var kind, unit, due, indicator, source, status, milestones string
	var bandLow, bandHigh, confidence, forecast sql.NullFloat64
	var forecastOK sql.NullBool
	var measure, reason sql.NullString
	var last sql.NullTime
	var computed, adjusted sql.NullFloat64
	err := sc.Scan(&k.ID, &k.OrgID, &k.ObjectiveID, &k.Title, &k.OwnerID, &kind, &unit, &k.UnitLabel, &k.Currency, &k.Baseline, &k.Target,
		&bandLow, &bandHigh, &milestones, &k.Current, &k.Weight, &due, &indicator, &source, &measure, &k.Progress, &confidence,
		&status, &last, &forecast, &forecastOK, &k.Version, &k.Created, &k.Updated, &computed, &adjusted, &reason, &k.Slug)
	if err != nil {
		return k, err
	}
	if computed.Valid {
		k.Score = okr.NewKRScore(computed.Float64, floatPtr(adjusted), reason.String)
	}
	k.Kind, k.Unit, k.DueDate, k.Indicator, k.Source = okr.KRKind(kind), okr.Unit(unit), okr.Date(due), okr.Indicator(indicator), okr.Source(source)
	k.LastStatus, k.LastCheckIn, k.Confidence = okr.Status(status), timePtr(last), floatPtr(confidence)
	if bandLow.Valid && bandHigh.Valid {
		k.Band = &okr.Band{Low: bandLow.Float64, High: bandHigh.Float64}
	}
	if forecast.Valid {
		k.Forecast = &okr.Forecast{Value: forecast.Float64, OnTrack: forecastOK.Bool}
	}
	if measure.Valid {
		k.Measure = []byte(measure.String)
	}
	return k, fromJSON(milestones, &k.Milestones)
}

func bandArgs(b *okr.Band) (any, any) {
	if b == nil {
		return nil, nil
	}
	return b.Low, b.High
}

func measureArg(m []byte) any {
	if len(m) == 0 {
		return nil
	}
	return string(m)
}

// CreateKeyResult inserts a key result.
func (t *Tx) CreateKeyResult(ctx context.Context, k *okr.KeyResult) error {
	k.Created, k.Updated, k.Version = t.now, t.now, 1
	if k.Milestones == nil {
		k.Milestones = []okr.MilestoneItem{}
	}
	low, high := bandArgs(k.Band)
	var fv, fok any
	if k.Forecast != nil {
		fv, fok = k.Forecast.Value, k.Forecast.OnTrack
	}
	_, err := t.exec(ctx, "create key result",
		`INSERT INTO key_results (id, org_id, objective_id, title, owner_id, kind, unit, unit_label, currency, baseline, target,
		 band_low, band_high, milestones, current_value, weight, due_date, indicator, source, measure, progress, confidence,
		 last_status, last_check_in, forecast_value, forecast_on_track, version, created_at, updated_at, slug)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.OrgID, k.ObjectiveID, k.Title, nullString(k.OwnerID), string(k.Kind), string(k.Unit), k.UnitLabel, k.Currency,
		k.Baseline, k.Target, low, high, toJSON(k.Milestones), k.Current, k.Weight, string(k.DueDate), string(k.Indicator),
		string(k.Source), measureArg(k.Measure), k.Progress, nullFloat(k.Confidence), string(k.LastStatus), nullTime(k.LastCheckIn),
		fv, fok, k.Version, t.now, t.now, k.Slug)
	return err
}

// GetKeyResult returns a key result of the organization.
func (t *Tx) GetKeyResult(ctx context.Context, orgID, id string) (okr.KeyResult, error) {
	k, err := scanKeyResult(t.row(ctx, `SELECT `+keyResultColumns+` FROM key_results WHERE org_id = ? AND id = ?`, orgID, id))
	return k, t.d.classify(err, "key result "+id)
}

// ListKeyResults returns key results matching the filter, by id after the cursor.
func (t *Tx) ListKeyResults(ctx context.Context, orgID string, f okr.KeyResultFilter) ([]okr.KeyResult, error) {
	q := `SELECT ` + keyResultColumns + ` FROM key_results WHERE org_id = ? AND id > ?`
	args := []any{orgID, f.After}
	if f.ObjectiveID != "" {
		q += ` AND objective_id = ?`
		args = append(args, f.ObjectiveID)
	}
	if len(f.ObjectiveIDs) > 0 {
		q += ` AND objective_id IN (` + placeholders(len(f.ObjectiveIDs)) + `)`
		for _, id := range f.ObjectiveIDs {
			args = append(args, id)
		}
	}
	if f.PeriodID != "" {
		q += ` AND objective_id IN (SELECT id FROM objectives WHERE org_id = ? AND period_id = ?)`
		args = append(args, orgID, f.PeriodID)
	}
	if f.OwnerID != "" {
		q += ` AND owner_id = ?`
		args = append(args, f.OwnerID)
	}
	if f.Source != "" {
		q += ` AND source = ?`
		args = append(args, string(f.Source))
	}
	q, args = byIDPage(q, args, f.Limit)
	var out []okr.KeyResult
	err := t.each(ctx, "list key results", q, args, func(r *sql.Rows) error {
		k, err := scanKeyResult(r)
		out = append(out, k)
		return err
	})
	if f.Limit <= 0 {
		slices.SortFunc(out, func(a, b okr.KeyResult) int { return strings.Compare(a.ID, b.ID) })
	}
	return out, err
}

// UpdateKeyResult stores all of a key result's fields, materialized ones
// included, if its version is still expectVersion.
func (t *Tx) UpdateKeyResult(ctx context.Context, k *okr.KeyResult, expectVersion int) error {
	low, high := bandArgs(k.Band)
	var fv, fok any
	if k.Forecast != nil {
		fv, fok = k.Forecast.Value, k.Forecast.OnTrack
	}
	res, err := t.exec(ctx, "update key result "+k.ID,
		`UPDATE key_results SET title = ?, owner_id = ?, kind = ?, unit = ?, unit_label = ?, currency = ?, baseline = ?, target = ?,
		 band_low = ?, band_high = ?, milestones = ?, current_value = ?, weight = ?, due_date = ?, indicator = ?, source = ?, measure = ?,
		 progress = ?, confidence = ?, last_status = ?, last_check_in = ?, forecast_value = ?, forecast_on_track = ?, slug = ?,
		 version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		k.Title, nullString(k.OwnerID), string(k.Kind), string(k.Unit), k.UnitLabel, k.Currency, k.Baseline, k.Target,
		low, high, toJSON(k.Milestones), k.Current, k.Weight, string(k.DueDate), string(k.Indicator), string(k.Source), measureArg(k.Measure),
		k.Progress, nullFloat(k.Confidence), string(k.LastStatus), nullTime(k.LastCheckIn), fv, fok, k.Slug,
		t.now, k.OrgID, k.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "key result "+k.ID, `SELECT 1 FROM key_results WHERE org_id = ? AND id = ?`, k.OrgID, k.ID); err != nil {
		return err
	}
	k.Version, k.Updated = expectVersion+1, t.now
	return nil
}

// DeleteKeyResult removes a key result with its check-ins and the comments on either.
func (t *Tx) DeleteKeyResult(ctx context.Context, orgID, id string) error {
	if _, err := t.exec(ctx, "delete comments of key result "+id,
		`DELETE FROM comments WHERE org_id = ? AND (
		   (subject_type = 'key_result' AND subject_id = ?)
		   OR (subject_type = 'check_in' AND subject_id IN (SELECT id FROM check_ins WHERE org_id = ? AND key_result_id = ?)))`,
		orgID, id, orgID, id); err != nil {
		return err
	}
	return t.execOne(ctx, "key result "+id, `DELETE FROM key_results WHERE org_id = ? AND id = ?`, orgID, id)
}

// TouchObjectiveCheckIn records the latest check-in time on an objective.
func (t *Tx) TouchObjectiveCheckIn(ctx context.Context, orgID, objectiveID string) error {
	return t.execOne(ctx, "objective "+objectiveID,
		`UPDATE objectives SET last_check_in = ? WHERE org_id = ? AND id = ?`, t.now, orgID, objectiveID)
}

// ---- check-ins

const checkInColumns = `id, org_id, key_result_id, objective_id, value, previous_value, milestones_done, confidence, status, note,
	blockers, COALESCE(author_id, ''), source, created_at`

func scanCheckIn(sc interface{ Scan(...any) error }) (okr.CheckIn, error) {
	var c okr.CheckIn
	var done, status, blockers, source string
	err := sc.Scan(&c.ID, &c.OrgID, &c.KeyResultID, &c.ObjectiveID, &c.Value, &c.PreviousValue, &done, &c.Confidence, &status, &c.Note,
		&blockers, &c.AuthorID, &source, &c.Created)
	if err != nil {
		return c, err
	}
	c.Status, c.Source = okr.Status(status), okr.Source(source)
	if err := fromJSON(done, &c.MilestonesDone); err != nil {
		return c, err
	}
	return c, fromJSON(blockers, &c.Blockers)
}

// InsertCheckIn appends a check-in; check-ins are never updated.
func (t *Tx) InsertCheckIn(ctx context.Context, c *okr.CheckIn) error {
	c.Created = t.now
	if c.MilestonesDone == nil {
		c.MilestonesDone = []string{}
	}
	if c.Blockers == nil {
		c.Blockers = []okr.Blocker{}
	}
	_, err := t.exec(ctx, "create check-in",
		`INSERT INTO check_ins (id, org_id, key_result_id, objective_id, value, previous_value, milestones_done, confidence, status, note,
		 blockers, author_id, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.OrgID, c.KeyResultID, c.ObjectiveID, c.Value, c.PreviousValue, toJSON(c.MilestonesDone), c.Confidence, string(c.Status),
		c.Note, toJSON(c.Blockers), nullString(c.AuthorID), string(c.Source), t.now)
	return err
}

// GetCheckIn returns a check-in of the organization.
func (t *Tx) GetCheckIn(ctx context.Context, orgID, id string) (okr.CheckIn, error) {
	c, err := scanCheckIn(t.row(ctx, `SELECT `+checkInColumns+` FROM check_ins WHERE org_id = ? AND id = ?`, orgID, id))
	return c, t.d.classify(err, "check-in "+id)
}

// ListCheckIns returns a key result's check-ins, newest first, before the cursor id.
func (t *Tx) ListCheckIns(ctx context.Context, orgID, keyResultID, before string, limit int) ([]okr.CheckIn, error) {
	q := `SELECT ` + checkInColumns + ` FROM check_ins WHERE org_id = ? AND key_result_id = ?`
	args := []any{orgID, keyResultID}
	if before != "" {
		q += ` AND id < ?`
		args = append(args, before)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	var out []okr.CheckIn
	err := t.each(ctx, "list check-ins", q, args, func(r *sql.Rows) error {
		c, err := scanCheckIn(r)
		out = append(out, c)
		return err
	})
	return out, err
}

// RecentCheckIns returns the organization's newest check-ins, before the cursor id.
func (t *Tx) RecentCheckIns(ctx context.Context, orgID, before string, limit int) ([]okr.CheckIn, error) {
	q := `SELECT ` + checkInColumns + ` FROM check_ins WHERE org_id = ?`
	args := []any{orgID}
	if before != "" {
		q += ` AND id < ?`
		args = append(args, before)
	}
	var out []okr.CheckIn
	err := t.each(ctx, "recent check-ins", q+` ORDER BY id DESC LIMIT ?`, append(args, limit), func(r *sql.Rows) error {
		c, err := scanCheckIn(r)
		out = append(out, c)
		return err
	})
	return out, err
}

// RecentPoints returns the values of a key result's last n check-ins, oldest first.
func (t *Tx) RecentPoints(ctx context.Context, orgID, keyResultID string, n int) ([]okr.Point, error) {
	var out []okr.Point
	err := t.each(ctx, "recent check-ins",
		`SELECT created_at, value FROM check_ins WHERE org_id = ? AND key_result_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
		[]any{orgID, keyResultID, n}, func(r *sql.Rows) error {
			var p okr.Point
			err := r.Scan(&p.At, &p.Value)
			out = append(out, p)
			return err
		})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// ---- roll-up graph

// Rollup returns the roll-up graph of one organization inside this transaction.
func (t *Tx) Rollup(orgID string) okr.RollupGraph { return rollupGraph{t, orgID} }

type rollupGraph struct {
	t     *Tx
	orgID string
}

func (g rollupGraph) weighted(ctx context.Context, what, q string, args ...any) ([]okr.Weighted, error) {
	var out []okr.Weighted
	err := g.t.each(ctx, what, q, args, func(r *sql.Rows) error {
		var w okr.Weighted
		err := r.Scan(&w.Progress, &w.Weight)
		out = append(out, w)
		return err
	})
	return out, err
}

func (g rollupGraph) ObjectiveInputs(ctx context.Context, id string) ([]okr.Weighted, error) {
	return g.weighted(ctx, "objective inputs",
		`SELECT progress, weight FROM key_results WHERE org_id = ? AND objective_id = ?
		 UNION ALL
		 SELECT o.progress, o.weight FROM alignments a JOIN objectives o ON o.id = a.child_id AND o.org_id = a.org_id
		 WHERE a.org_id = ? AND a.parent_objective_id = ? AND a.link = 'contributes'`,
		g.orgID, id, g.orgID, id)
}

func (g rollupGraph) KeyResultChildInputs(ctx context.Context, id string) ([]okr.Weighted, error) {
	return g.weighted(ctx, "key result inputs",
		`SELECT o.progress, o.weight FROM alignments a JOIN objectives o ON o.id = a.child_id AND o.org_id = a.org_id
		 WHERE a.org_id = ? AND a.parent_key_result_id = ? AND a.link = 'contributes'`, g.orgID, id)
}

func (g rollupGraph) KeyResultRollup(ctx context.Context, id string) (okr.KeyResult, error) {
	var k okr.KeyResult
	var kind, source string
	err := g.t.get(ctx, "key result "+id,
		`SELECT id, objective_id, kind, source, baseline, target, progress FROM key_results WHERE org_id = ? AND id = ?`,
		[]any{g.orgID, id}, &k.ID, &k.ObjectiveID, &kind, &source, &k.Baseline, &k.Target, &k.Progress)
	k.Kind, k.Source = okr.KRKind(kind), okr.Source(source)
	return k, err
}

func (g rollupGraph) ObjectiveProgress(ctx context.Context, id string) (float64, bool, error) {
	var p float64
	var objectiveState, periodState string
	err := g.t.get(ctx, "objective "+id,
		`SELECT o.progress, o.state, p.state FROM objectives o JOIN periods p ON p.id = o.period_id AND p.org_id = o.org_id
		 WHERE o.org_id = ? AND o.id = ?`, []any{g.orgID, id}, &p, &objectiveState, &periodState)
	return p, okr.ObjectiveState(objectiveState) == okr.Closed || okr.PeriodState(periodState) == okr.PeriodClosed, err
}

func (g rollupGraph) SetObjectiveProgress(ctx context.Context, id string, p float64) error {
	return g.t.execOne(ctx, "objective "+id, `UPDATE objectives SET progress = ? WHERE org_id = ? AND id = ?`, p, g.orgID, id)
}

func (g rollupGraph) SetKeyResultProgress(ctx context.Context, id string, p, current float64) error {
	if math.IsNaN(current) {
		current = 0
	}
	return g.t.execOne(ctx, "key result "+id, `UPDATE key_results SET progress = ?, current_value = ? WHERE org_id = ? AND id = ?`,
		p, current, g.orgID, id)
}

func (g rollupGraph) ContributingParents(ctx context.Context, id string) ([]okr.Node, error) {
	var out []okr.Node
	err := g.t.each(ctx, "contributing parents",
		`SELECT parent_type, COALESCE(parent_objective_id, parent_key_result_id) FROM alignments
		 WHERE org_id = ? AND child_id = ? AND link = 'contributes'`,
		[]any{g.orgID, id}, func(r *sql.Rows) error {
			var pt, pid string
			err := r.Scan(&pt, &pid)
			n := okr.Node{Type: okr.NodeObjective, ID: pid}
			if okr.ParentType(pt) == okr.ParentKeyResult {
				n.Type = okr.NodeKeyResult
			}
			out = append(out, n)
			return err
		})
	return out, err
}
