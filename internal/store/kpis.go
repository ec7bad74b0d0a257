package store

import (
	"context"
	"database/sql"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

var _ okr.KPIStore = (*Tx)(nil)

// ---- KPIs

const kpiColumns = `id, org_id, name, description, unit, unit_label, currency, direction, COALESCE(owner_id, ''), green, red,
	frequency, version, created_at, updated_at`

func scanKPI(sc interface{ Scan(...any) error }) (okr.KPI, error) {
	var k okr.KPI
	err := sc.Scan(&k.ID, &k.OrgID, &k.Name, &k.Description, &k.Unit, &k.UnitLabel, &k.Currency, &k.Direction, &k.OwnerID,
		&k.Green, &k.Red, &k.Frequency, &k.Version, &k.Created, &k.Updated)
	return k, err
}

// kpiWhat names a KPI being written: by its name, the thing of a KPI that can be taken.
func kpiWhat(k *okr.KPI) string { return "KPI named " + k.Name }

// CreateKPI inserts a KPI at version 1.
func (t *Tx) CreateKPI(ctx context.Context, k *okr.KPI) error {
	k.Created, k.Updated, k.Version = t.now, t.now, 1
	_, err := t.exec(ctx, kpiWhat(k),
		`INSERT INTO kpis (id, org_id, name, description, unit, unit_label, currency, direction, owner_id, green, red, frequency,
		 version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.OrgID, k.Name, k.Description, string(k.Unit), k.UnitLabel, k.Currency, string(k.Direction), nullString(k.OwnerID),
		k.Green, k.Red, string(k.Frequency), k.Version, t.now, t.now)
	return err
}

// GetKPI returns a KPI of the organization.
func (t *Tx) GetKPI(ctx context.Context, orgID, id string) (okr.KPI, error) {
	k, err := scanKPI(t.row(ctx, `SELECT `+kpiColumns+` FROM kpis WHERE org_id = ? AND id = ?`, orgID, id))
	return k, t.d.classify(err, "KPI "+id)
}

// ListKPIs returns the organization's KPIs matching the filter, by id.
func (t *Tx) ListKPIs(ctx context.Context, orgID string, f okr.KPIFilter) ([]okr.KPI, error) {
	q := `SELECT ` + kpiColumns + ` FROM kpis WHERE org_id = ?`
	args := []any{orgID}
	if f.OwnerID != "" {
		q += ` AND owner_id = ?`
		args = append(args, f.OwnerID)
	}
	if f.Query != "" {
		q += ` AND (lower(name) LIKE ? ESCAPE '\' OR lower(description) LIKE ? ESCAPE '\')`
		args = append(args, containing(f.Query), containing(f.Query))
	}
	q, args = andIn(q, args, "id", f.IDs)
	if f.After != "" {
		q += ` AND id > ?`
		args = append(args, f.After)
	}
	q += ` ORDER BY id`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []okr.KPI
	err := t.each(ctx, "list KPIs", q, args, func(r *sql.Rows) error {
		k, err := scanKPI(r)
		out = append(out, k)
		return err
	})
	return out, err
}

// UpdateKPI stores a KPI's fields if its version is still expectVersion.
func (t *Tx) UpdateKPI(ctx context.Context, k *okr.KPI, expectVersion int) error {
	res, err := t.exec(ctx, kpiWhat(k),
		`UPDATE kpis SET name = ?, description = ?, unit = ?, unit_label = ?, currency = ?, direction = ?, owner_id = ?,
		 green = ?, red = ?, frequency = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		k.Name, k.Description, string(k.Unit), k.UnitLabel, k.Currency, string(k.Direction), nullString(k.OwnerID),
		k.Green, k.Red, string(k.Frequency), t.now, k.OrgID, k.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "KPI "+k.ID, `SELECT 1 FROM kpis WHERE org_id = ? AND id = ?`, k.OrgID, k.ID); err != nil {
		return err
	}
	k.Version, k.Updated = expectVersion+1, t.now
	return nil
}

// DeleteKPI removes a KPI; its records and objective links cascade.
func (t *Tx) DeleteKPI(ctx context.Context, orgID, id string) error {
	return t.execOne(ctx, "KPI "+id, `DELETE FROM kpis WHERE org_id = ? AND id = ?`, orgID, id)
}

// ---- records

const kpiRecordColumns = `id, org_id, kpi_id, record_date, value, note, author_id, source, created_at, updated_at`

func scanKPIRecord(sc interface{ Scan(...any) error }) (okr.KPIRecord, error) {
	var r okr.KPIRecord
	err := sc.Scan(&r.ID, &r.OrgID, &r.KPIID, &r.Date, &r.Value, &r.Note, &r.AuthorID, &r.Source, &r.Created, &r.Updated)
	return r, err
}

// PutKPIRecord inserts a record or replaces the one of the same KPI and date.
func (t *Tx) PutKPIRecord(ctx context.Context, r *okr.KPIRecord) (bool, error) {
	old, err := scanKPIRecord(t.row(ctx, `SELECT `+kpiRecordColumns+` FROM kpi_records WHERE org_id = ? AND kpi_id = ? AND record_date = ?`,
		r.OrgID, r.KPIID, string(r.Date)))
	if err == nil {
		r.ID, r.Created, r.Updated = old.ID, old.Created, t.now
		_, err := t.exec(ctx, "KPI record "+old.ID,
			`UPDATE kpi_records SET value = ?, note = ?, author_id = ?, source = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			r.Value, r.Note, r.AuthorID, string(r.Source), t.now, r.OrgID, old.ID)
		return true, err
	}
	if err := t.d.classify(err, "KPI record"); !errs.Is(err, errs.NotFound) {
		return false, err
	}
	r.Created, r.Updated = t.now, t.now
	_, err = t.exec(ctx, "record of KPI "+r.KPIID,
		`INSERT INTO kpi_records (id, org_id, kpi_id, record_date, value, note, author_id, source, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.OrgID, r.KPIID, string(r.Date), r.Value, r.Note, r.AuthorID, string(r.Source), t.now, t.now)
	return false, err
}

// ListKPIRecords returns the organization's records matching the filter.
func (t *Tx) ListKPIRecords(ctx context.Context, orgID string, f okr.KPIRecordFilter) ([]okr.KPIRecord, error) {
	q := `SELECT ` + kpiRecordColumns + ` FROM kpi_records WHERE org_id = ?`
	args := []any{orgID}
	q, args = andIn(q, args, "kpi_id", f.KPIIDs)
	for _, c := range []struct {
		op string
		d  okr.Date
	}{{">=", f.From}, {"<=", f.To}, {"<", f.Before}, {">", f.After}} {
		if c.d != "" {
			q += ` AND record_date ` + c.op + ` ?`
			args = append(args, string(c.d))
		}
	}
	if f.Newest {
		q += ` ORDER BY record_date DESC, kpi_id`
	} else {
		q += ` ORDER BY record_date, kpi_id`
	}
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []okr.KPIRecord
	err := t.each(ctx, "list KPI records", q, args, func(r *sql.Rows) error {
		rec, err := scanKPIRecord(r)
		out = append(out, rec)
		return err
	})
	return out, err
}

// LatestKPIRecords returns each KPI's record with the latest date.
func (t *Tx) LatestKPIRecords(ctx context.Context, orgID string, kpiIDs []string) (map[string]okr.KPIRecord, error) {
	out := map[string]okr.KPIRecord{}
	if len(kpiIDs) == 0 {
		return out, nil
	}
	inner, args := andIn(`SELECT kpi_id, MAX(record_date) FROM kpi_records WHERE org_id = ?`, []any{orgID}, "kpi_id", idSet(kpiIDs))
	q := `SELECT ` + kpiRecordColumns + ` FROM kpi_records WHERE org_id = ? AND (kpi_id, record_date) IN (` + inner + ` GROUP BY kpi_id)`
	err := t.each(ctx, "latest KPI records", q, append([]any{orgID}, args...), func(r *sql.Rows) error {
		rec, err := scanKPIRecord(r)
		out[rec.KPIID] = rec
		return err
	})
	return out, err
}

// ---- objectives' KPIs

// SetObjectiveKPIs replaces the KPIs an objective names.
func (t *Tx) SetObjectiveKPIs(ctx context.Context, orgID, objectiveID string, kpiIDs []string) error {
	ids := idSet(kpiIDs)
	if len(ids) > 0 {
		// Checked first, so that a refused list changes nothing.
		q, args := andIn(`SELECT COUNT(*) FROM kpis WHERE org_id = ?`, []any{orgID}, "id", ids)
		var n int
		if err := t.get(ctx, "KPIs of objective "+objectiveID, q, args, &n); err != nil {
			return err
		}
		if n != len(ids) {
			return errs.E(errs.Invalid, "KPIs of objective %s: a KPI does not exist in the organization", objectiveID)
		}
	}
	if _, err := t.exec(ctx, "KPIs of objective "+objectiveID, `DELETE FROM objective_kpis WHERE org_id = ? AND objective_id = ?`,
		orgID, objectiveID); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := t.exec(ctx, "KPI "+id+" of objective "+objectiveID,
			`INSERT INTO objective_kpis (org_id, objective_id, kpi_id) VALUES (?, ?, ?)`, orgID, objectiveID, id); err != nil {
			return err
		}
	}
	return nil
}

// ObjectiveKPIs returns the KPIs each of the objectives names.
func (t *Tx) ObjectiveKPIs(ctx context.Context, orgID string, objectiveIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(objectiveIDs) == 0 {
		return out, nil
	}
	q, args := andIn(`SELECT objective_id, kpi_id FROM objective_kpis WHERE org_id = ?`, []any{orgID}, "objective_id", idSet(objectiveIDs))
	err := t.each(ctx, "KPIs of objectives", q+` ORDER BY objective_id, kpi_id`, args, func(r *sql.Rows) error {
		var o, k string
		if err := r.Scan(&o, &k); err != nil {
			return err
		}
		out[o] = append(out[o], k)
		return nil
	})
	return out, err
}

// KPIObjectives returns the objectives that name each of the KPIs.
func (t *Tx) KPIObjectives(ctx context.Context, orgID string, kpiIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(kpiIDs) == 0 {
		return out, nil
	}
	q, args := andIn(`SELECT kpi_id, objective_id FROM objective_kpis WHERE org_id = ?`, []any{orgID}, "kpi_id", idSet(kpiIDs))
	err := t.each(ctx, "objectives of KPIs", q+` ORDER BY kpi_id, objective_id`, args, func(r *sql.Rows) error {
		var k, o string
		if err := r.Scan(&k, &o); err != nil {
			return err
		}
		out[k] = append(out[k], o)
		return nil
	})
	return out, err
}
