package app

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// KPIs (DESIGN §3, seed 001): business metrics with dated records. Admins
// create and delete them; an admin or the KPI's owner changes it and records
// its values. Every member reads them. Key results with source kpi follow
// their KPI's latest value through automatic check-ins.

// KPIInput creates a KPI.
type KPIInput struct {
	Name        string        `json:"name" doc:"Unique in the organization, e.g. Monthly recurring revenue."`
	Description string        `json:"description,omitempty"`
	Unit        okr.Unit      `json:"unit,omitempty" enum:"number,percent,currency,custom" doc:"Default number."`
	UnitLabel   string        `json:"unit_label,omitempty" doc:"The label of a custom unit, e.g. hours."`
	Currency    string        `json:"currency,omitempty" doc:"ISO 4217 code for unit currency, e.g. EUR."`
	Direction   okr.Direction `json:"direction" enum:"increase,decrease" doc:"increase: higher is better; decrease: lower is better."`
	OwnerID     string        `json:"owner_id,omitempty" doc:"The member accountable for it; default you."`
	Green       *float64      `json:"green" doc:"At or beyond this value (in the direction) the KPI is green."`
	Red         *float64      `json:"red" doc:"At or beyond this value (against the direction) the KPI is red; between the two it is yellow."`
	Frequency   okr.Frequency `json:"frequency,omitempty" enum:"daily,weekly,monthly,quarterly" doc:"How often it gets a value; default weekly. Without a record within it, the KPI is overdue."`
}

// KPIUpdate changes a KPI; absent fields stay.
type KPIUpdate struct {
	Name        *string        `json:"name,omitempty"`
	Description *string        `json:"description,omitempty"`
	Unit        *okr.Unit      `json:"unit,omitempty" enum:"number,percent,currency,custom"`
	UnitLabel   *string        `json:"unit_label,omitempty"`
	Currency    *string        `json:"currency,omitempty"`
	Direction   *okr.Direction `json:"direction,omitempty" enum:"increase,decrease"`
	OwnerID     *string        `json:"owner_id,omitempty"`
	Green       *float64       `json:"green,omitempty"`
	Red         *float64       `json:"red,omitempty"`
	Frequency   *okr.Frequency `json:"frequency,omitempty" enum:"daily,weekly,monthly,quarterly"`
}

// KPIRecordInput is a KPI's value on a date.
type KPIRecordInput struct {
	Date  okr.Date `json:"date" doc:"The day the value is for, YYYY-MM-DD; not in the future. A value for a date that has one replaces it."`
	Value *float64 `json:"value"`
	Note  string   `json:"note,omitempty"`
}

// KPIRecords is what recording values did: the records as stored, how many
// were new and how many replaced a value for their date, and the KPI after.
type KPIRecords struct {
	Records  []okr.KPIRecord `json:"records"`
	Created  int             `json:"created"`
	Replaced int             `json:"replaced"`
	KPI      okr.KPI         `json:"kpi"`
	// KeyResults counts the key results that followed a new latest value with an automatic check-in.
	KeyResults int `json:"key_results_checked_in" doc:"How many key results following the KPI got an automatic check-in."`
	// replaced says, for each record, whether it replaced a value.
	replaced []bool
}

// kpiUnit checks a unit with its label or currency, as key results do.
func kpiUnit(k *okr.KPI, f *errs.Fields) {
	switch k.Unit {
	case okr.UnitNumber, okr.UnitPercent:
		k.UnitLabel, k.Currency = "", ""
	case okr.UnitCurrency:
		k.Currency = strings.ToUpper(strings.TrimSpace(k.Currency))
		k.UnitLabel = ""
		if !currencyPattern.MatchString(k.Currency) {
			f.Add("currency", "give the ISO 4217 code of the currency, e.g. EUR or USD")
		}
	case okr.UnitCustom:
		k.UnitLabel, k.Currency = strings.TrimSpace(k.UnitLabel), ""
		if k.UnitLabel == "" {
			f.Add("unit_label", "name the custom unit, e.g. hours or tickets")
		}
	default:
		f.Add("unit", "must be number, percent, currency or custom")
	}
}

// Bounds of a KPI's texts.
const (
	maxKPIDescription = 5000
	maxKPINote        = 1000
)

// validateKPI checks a KPI's fields and that its owner is a member.
func validateKPI(ctx context.Context, tx Tx, k *okr.KPI, f *errs.Fields) error {
	k.Name = strings.TrimSpace(k.Name)
	k.Description = strings.TrimSpace(k.Description)
	switch n := len([]rune(k.Name)); {
	case n == 0:
		f.Add("name", "is required")
	case n > 120:
		f.Add("name", "is %d characters long; keep it under 120", n)
	}
	if n := len([]rune(k.Description)); n > maxKPIDescription {
		f.Add("description", "is %d characters long; keep it under %d", n, maxKPIDescription)
	}
	kpiUnit(k, f)
	for _, p := range okr.ValidateKPI(*k) {
		f.Add(p.Field, "%s", p.Message)
	}
	if k.OwnerID != "" {
		if _, err := tx.GetMember(ctx, k.OrgID, k.OwnerID); errs.Is(err, errs.NotFound) {
			f.Add("owner_id", "no member %s in this organization", k.OwnerID)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// kpiNameTaken turns a store conflict on a KPI's name into a field error.
func kpiNameTaken(err error, name string) error {
	if errs.Is(err, errs.Conflict) {
		var f errs.Fields
		f.Add("name", "another KPI is already called %q; choose another name", name)
		return f.Err()
	}
	return err
}

// CreateKPI adds a KPI (admin).
func (a *App) CreateKPI(ctx context.Context, actor org.Actor, in KPIInput, idemKey string) (okr.KPI, error) {
	var k okr.KPI
	if err := requireAdmin(actor); err != nil {
		return k, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "kpi.create", in, func() (string, error) {
			k = okr.KPI{ID: NewID(), OrgID: actor.OrgID, Name: in.Name, Description: in.Description, Unit: in.Unit,
				UnitLabel: in.UnitLabel, Currency: in.Currency, Direction: in.Direction, OwnerID: in.OwnerID,
				Frequency: in.Frequency}
			if k.Unit == "" {
				k.Unit = okr.UnitNumber
			}
			if k.Frequency == "" {
				k.Frequency = okr.Weekly
			}
			if k.OwnerID == "" {
				k.OwnerID = actor.UserID
			}
			var f errs.Fields
			if in.Green == nil {
				f.Add("green", "give the value at or beyond which the KPI is green")
			} else {
				k.Green = *in.Green
			}
			if in.Red == nil {
				f.Add("red", "give the value at or beyond which the KPI is red")
			} else {
				k.Red = *in.Red
			}
			if in.Direction == "" {
				f.Add("direction", "say which way is better: increase (higher is better) or decrease (lower is better)")
			} else if in.Green != nil && in.Red != nil {
				if err := validateKPI(ctx, tx, &k, &f); err != nil {
					return "", err
				}
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			if err := tx.CreateKPI(ctx, &k); err != nil {
				return "", kpiNameTaken(err, k.Name)
			}
			return k.ID, record(ctx, tx, actor, "kpi.create", "kpi", k.ID, nil, k)
		})
		if err != nil {
			return err
		}
		k, err = readKPI(ctx, tx, newAccess(ctx, tx, actor), id)
		return err
	})
	return k, err
}

// kpiReader derives what a reader sees of KPIs: the latest record and the
// status on today, the objectives naming them and the key results following
// them, both cut to what the reader may see.
type kpiReader struct {
	ctx   context.Context
	tx    Tx
	v     *access
	o     org.Organization
	today okr.Date
	// following maps a KPI's id to the key results whose source it is.
	following map[string][]okr.KeyResult
	// visible caches, by objective id, whether the reader may see it.
	visible map[string]bool
}

// sees says whether the reader may see an objective, reading each once.
func (r *kpiReader) sees(objectiveID string) (bool, error) {
	if ok, done := r.visible[objectiveID]; done {
		return ok, nil
	}
	_, err := r.v.objective(objectiveID)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return false, err
	}
	r.visible[objectiveID] = err == nil
	return err == nil, nil
}

func newKPIReader(ctx context.Context, tx Tx, v *access) (*kpiReader, error) {
	o, err := tx.GetOrganization(ctx, v.actor.OrgID)
	if err != nil {
		return nil, err
	}
	r := &kpiReader{ctx: ctx, tx: tx, v: v, o: o, today: today(tx, o), visible: map[string]bool{}}
	return r, nil
}

// kpiOf is the KPI a key result with source kpi follows ("" when its
// measure names none).
func kpiOf(k okr.KeyResult) string {
	var m okr.KPIMeasure
	if k.Source != okr.SourceKPI || json.Unmarshal(k.Measure, &m) != nil {
		return ""
	}
	return m.KPIID
}

// decorate fills the KPIs' derived fields.
func (r *kpiReader) decorate(ks []okr.KPI) error {
	ids := make([]string, len(ks))
	for i, k := range ks {
		ids[i] = k.ID
	}
	latest, err := r.tx.LatestKPIRecords(r.ctx, r.v.actor.OrgID, ids)
	if err != nil {
		return err
	}
	links, err := r.tx.KPIObjectives(r.ctx, r.v.actor.OrgID, ids)
	if err != nil {
		return err
	}
	if r.following == nil {
		krs, err := r.tx.ListKeyResults(r.ctx, r.v.actor.OrgID, okr.KeyResultFilter{Source: okr.SourceKPI})
		if err != nil {
			return err
		}
		r.following = map[string][]okr.KeyResult{}
		for _, k := range krs {
			if id := kpiOf(k); id != "" {
				r.following[id] = append(r.following[id], k)
			}
		}
	}
	for i := range ks {
		k := &ks[i]
		var last *okr.KPIRecord
		if rec, ok := latest[k.ID]; ok {
			last = &rec
		}
		k.Latest = last
		k.Status = okr.StatusOf(*k, last, okr.Date(k.Created.In(r.o.Location()).Format(okr.DateLayout)), r.today)
		k.ObjectiveIDs = []string{}
		for _, id := range links[k.ID] {
			if ok, err := r.sees(id); err != nil {
				return err
			} else if ok {
				k.ObjectiveIDs = append(k.ObjectiveIDs, id)
			}
		}
		k.KeyResultIDs = []string{}
		for _, kr := range r.following[k.ID] {
			if ok, err := r.sees(kr.ObjectiveID); err != nil {
				return err
			} else if ok {
				k.KeyResultIDs = append(k.KeyResultIDs, kr.ID)
			}
		}
	}
	return nil
}

// readKPI loads a KPI with its derived fields.
func readKPI(ctx context.Context, tx Tx, v *access, id string) (okr.KPI, error) {
	k, err := tx.GetKPI(ctx, v.actor.OrgID, id)
	if err != nil {
		return k, err
	}
	r, err := newKPIReader(ctx, tx, v)
	if err != nil {
		return k, err
	}
	ks := []okr.KPI{k}
	if err := r.decorate(ks); err != nil {
		return k, err
	}
	return ks[0], nil
}

// GetKPI returns a KPI with its latest record and status.
func (a *App) GetKPI(ctx context.Context, actor org.Actor, id string) (okr.KPI, error) {
	var k okr.KPI
	if err := requireRead(actor); err != nil {
		return k, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		k, err = readKPI(ctx, tx, newAccess(ctx, tx, actor), id)
		return err
	})
	return k, err
}

// KPIQuery filters the KPI list.
type KPIQuery struct {
	OwnerID string
	Query   string
	PageRequest
}

// ListKPIs lists the organization's KPIs, by id.
func (a *App) ListKPIs(ctx context.Context, actor org.Actor, q KPIQuery) (Page[okr.KPI], error) {
	return readPage(ctx, a, actor, q.PageRequest, func(k okr.KPI) string { return k.ID },
		func(tx Tx, after string, limit int) ([]okr.KPI, error) {
			return tx.ListKPIs(ctx, actor.OrgID, okr.KPIFilter{OwnerID: q.OwnerID, Query: strings.TrimSpace(q.Query), After: after, Limit: limit})
		},
		func(tx Tx, page *Page[okr.KPI]) error {
			r, err := newKPIReader(ctx, tx, newAccess(ctx, tx, actor))
			if err != nil {
				return err
			}
			return r.decorate(page.Items)
		})
}

// editableKPI loads a KPI the actor may change: admins, and its owner.
func editableKPI(ctx context.Context, tx Tx, actor org.Actor, id string) (okr.KPI, error) {
	k, err := tx.GetKPI(ctx, actor.OrgID, id)
	if err != nil {
		return k, err
	}
	if !actor.IsAdmin() && (k.OwnerID != actor.UserID || !actor.CanWrite()) {
		return k, errs.E(errs.Forbidden, "only admins and the KPI's owner may change it or record its values")
	}
	return k, nil
}

// UpdateKPI changes a KPI (an admin or its owner; only an admin gives it another owner).
func (a *App) UpdateKPI(ctx context.Context, actor org.Actor, id string, ifMatch *int, in KPIUpdate) (okr.KPI, error) {
	var k okr.KPI
	if err := requireWrite(actor); err != nil {
		return k, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := editableKPI(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "KPI"); err != nil {
			return err
		}
		k = before
		setIf(&k.Name, in.Name)
		setIf(&k.Description, in.Description)
		setIf(&k.Unit, in.Unit)
		setIf(&k.UnitLabel, in.UnitLabel)
		setIf(&k.Currency, in.Currency)
		setIf(&k.Direction, in.Direction)
		setIf(&k.OwnerID, in.OwnerID)
		setIf(&k.Green, in.Green)
		setIf(&k.Red, in.Red)
		setIf(&k.Frequency, in.Frequency)
		var f errs.Fields
		if k.OwnerID != before.OwnerID && !actor.IsAdmin() {
			f.Add("owner_id", "only an admin gives a KPI to another owner")
		}
		if err := validateKPI(ctx, tx, &k, &f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.UpdateKPI(ctx, &k, before.Version); err != nil {
			return kpiNameTaken(err, k.Name)
		}
		if err := record(ctx, tx, actor, "kpi.update", "kpi", id, before, k); err != nil {
			return err
		}
		if k.Unit != before.Unit || k.UnitLabel != before.UnitLabel || k.Currency != before.Currency {
			if err := followKPIUnit(ctx, tx, actor, k); err != nil {
				return err
			}
		}
		k, err = readKPI(ctx, tx, newAccess(ctx, tx, actor), id)
		return err
	})
	return k, err
}

// followKPIUnit gives the open key results following a KPI its new unit.
func followKPIUnit(ctx context.Context, tx Tx, actor org.Actor, kpi okr.KPI) error {
	krs, err := followers(ctx, tx, actor.OrgID, kpi.ID)
	if err != nil {
		return err
	}
	for _, f := range krs {
		k := f.k
		k.Unit, k.UnitLabel, k.Currency = kpi.Unit, kpi.UnitLabel, kpi.Currency
		if err := tx.UpdateKeyResult(ctx, &k, f.k.Version); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "key_result.update", "key_result", k.ID, f.k, k); err != nil {
			return err
		}
	}
	return nil
}

// DeleteKPI removes a KPI with its records (admin); a KPI that key results
// still follow is refused.
func (a *App) DeleteKPI(ctx context.Context, actor org.Actor, id string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetKPI(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		krs, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{Source: okr.SourceKPI})
		if err != nil {
			return err
		}
		n := 0
		for _, k := range krs {
			if kpiOf(k) == id {
				n++
			}
		}
		if n > 0 {
			return errs.E(errs.Conflict, "%s follow %q; give them another source (or delete them) before deleting the KPI",
				okr.Plural(n, "key result"), before.Name)
		}
		if err := tx.DeleteKPI(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "kpi.delete", "kpi", id, before, nil)
	})
}

// KPIRecordQuery pages a KPI's history, newest first.
type KPIRecordQuery struct {
	From, To okr.Date
	PageRequest
}

// ListKPIRecords returns a KPI's records, newest date first.
func (a *App) ListKPIRecords(ctx context.Context, actor org.Actor, kpiID string, q KPIRecordQuery) (Page[okr.KPIRecord], error) {
	var f errs.Fields
	for name, d := range map[string]okr.Date{"from": q.From, "to": q.To} {
		if d != "" && !d.Valid() {
			f.Add(name, "must be a date like 2027-03-31")
		}
	}
	if err := f.Err(); err != nil {
		return Page[okr.KPIRecord]{}, err
	}
	return readPage(ctx, a, actor, q.PageRequest, func(r okr.KPIRecord) string { return string(r.Date) },
		func(tx Tx, before string, limit int) ([]okr.KPIRecord, error) {
			if _, err := tx.GetKPI(ctx, actor.OrgID, kpiID); err != nil {
				return nil, err
			}
			return tx.ListKPIRecords(ctx, actor.OrgID, okr.KPIRecordFilter{KPIIDs: []string{kpiID}, From: q.From, To: q.To,
				Newest: true, Before: okr.Date(before), Limit: limit})
		}, nil)
}

// KPIHistory returns every record of a KPI from a date on (all with ""), oldest first: for charts.
func (a *App) KPIHistory(ctx context.Context, actor org.Actor, kpiID string, from okr.Date) ([]okr.KPIRecord, error) {
	var out []okr.KPIRecord
	if err := requireRead(actor); err != nil {
		return nil, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		if _, err := tx.GetKPI(ctx, actor.OrgID, kpiID); err != nil {
			return err
		}
		var err error
		out, err = tx.ListKPIRecords(ctx, actor.OrgID, okr.KPIRecordFilter{KPIIDs: []string{kpiID}, From: from})
		return err
	})
	return out, err
}

// KPIsHistory returns the records of every KPI of the organization from a
// date on, oldest first, by KPI: for the list's sparklines.
func (a *App) KPIsHistory(ctx context.Context, actor org.Actor, from okr.Date) (map[string][]okr.KPIRecord, error) {
	out := map[string][]okr.KPIRecord{}
	if err := requireRead(actor); err != nil {
		return nil, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		recs, err := tx.ListKPIRecords(ctx, actor.OrgID, okr.KPIRecordFilter{From: from})
		for _, r := range recs {
			out[r.KPIID] = append(out[r.KPIID], r)
		}
		return err
	})
	return out, err
}

// recordSource is the source of the records an actor writes: manual in the
// UI, api with a token.
func recordSource(actor org.Actor) okr.Source { return sourceOf(actor) }

// validateRecords checks records: a date not in the future, each date once,
// a finite value, a note of at most maxKPINote characters. Problems go to f
// under prefix ("records[2]." or "").
func validateRecords(in []KPIRecordInput, todayDate okr.Date, prefix func(int) string, f *errs.Fields) {
	seen := map[okr.Date]bool{}
	for i, r := range in {
		p := prefix(i)
		switch {
		case !r.Date.Valid():
			f.Add(p+"date", "must be a date like 2027-03-31")
		case r.Date > todayDate:
			f.Add(p+"date", "%s is in the future; record values for days that have come (today is %s)", r.Date, todayDate)
		default:
			if seen[r.Date] {
				f.Add(p+"date", "%s is listed twice; send one value per date", r.Date)
			}
			seen[r.Date] = true
		}
		if n := len([]rune(strings.TrimSpace(r.Note))); n > maxKPINote {
			f.Add(p+"note", "is %d characters long; keep it under %d", n, maxKPINote)
		}
		if r.Value == nil {
			f.Add(p+"value", "is required")
		} else if !finite(*r.Value) {
			f.Add(p+"value", "must be a finite number")
		}
	}
}

// RecordKPIValues records one or more values of a KPI in one transaction (an
// admin or the KPI's owner): a value for a date that already has one replaces
// it. When the KPI's latest record changes, the key results following it get
// an automatic check-in.
func (a *App) RecordKPIValues(ctx context.Context, actor org.Actor, kpiID string, in []KPIRecordInput) (KPIRecords, error) {
	return a.recordKPI(ctx, actor, kpiID, in, recordSource(actor), func(i int) string {
		return fmt.Sprintf("records[%d].", i)
	}, false)
}

// RecordKPIValue records one value of a KPI, as RecordKPIValues does.
func (a *App) RecordKPIValue(ctx context.Context, actor org.Actor, kpiID string, in KPIRecordInput) (KPIRecords, error) {
	return a.recordKPI(ctx, actor, kpiID, []KPIRecordInput{in}, recordSource(actor), func(int) string { return "" }, false)
}

// recordKPI writes records of a KPI; a dry run reports and writes nothing.
func (a *App) recordKPI(ctx context.Context, actor org.Actor, kpiID string, in []KPIRecordInput, source okr.Source,
	prefix func(int) string, dryRun bool) (KPIRecords, error) {
	res := KPIRecords{Records: []okr.KPIRecord{}}
	if err := requireWrite(actor); err != nil {
		return res, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		kpi, err := editableKPI(ctx, tx, actor, kpiID)
		if err != nil {
			return err
		}
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		var f errs.Fields
		if len(in) == 0 {
			f.Add("records", "send at least one record {date, value}")
		}
		validateRecords(in, today(tx, o), prefix, &f)
		if err := f.Err(); err != nil {
			return err
		}
		before, err := tx.LatestKPIRecords(ctx, actor.OrgID, []string{kpiID})
		if err != nil {
			return err
		}
		for _, r := range in {
			rec := okr.KPIRecord{ID: NewID(), OrgID: actor.OrgID, KPIID: kpiID, Date: r.Date, Value: *r.Value,
				Note: strings.TrimSpace(r.Note), AuthorID: actor.UserID, Source: source}
			replaced, err := tx.PutKPIRecord(ctx, &rec)
			if err != nil {
				return err
			}
			res.replaced = append(res.replaced, replaced)
			if replaced {
				res.Replaced++
			} else {
				res.Created++
			}
			res.Records = append(res.Records, rec)
			if !dryRun {
				if err := record(ctx, tx, actor, "kpi_record.create", "kpi_record", rec.ID, nil, rec); err != nil {
					return err
				}
			}
		}
		after, err := tx.LatestKPIRecords(ctx, actor.OrgID, []string{kpiID})
		if err != nil {
			return err
		}
		if dryRun {
			res.KPI, err = readKPI(ctx, tx, newAccess(ctx, tx, actor), kpiID)
			if err != nil {
				return err
			}
			return errDryRun
		}
		old, had := before[kpiID]
		now := after[kpiID]
		if !had || old.Date != now.Date || old.Value != now.Value {
			if res.KeyResults, err = followKPI(ctx, tx, actor, kpi, now); err != nil {
				return err
			}
		}
		res.KPI, err = readKPI(ctx, tx, newAccess(ctx, tx, actor), kpiID)
		return err
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return res, err
}

// ---- key results that follow a KPI

// follower is an open key result following a KPI, with its objective and period.
type follower struct {
	k okr.KeyResult
	o okr.Objective
	p okr.Period
}

// followers are the key results of open objectives in open periods whose
// value follows the KPI.
func followers(ctx context.Context, tx Tx, orgID, kpiID string) ([]follower, error) {
	krs, err := tx.ListKeyResults(ctx, orgID, okr.KeyResultFilter{Source: okr.SourceKPI})
	if err != nil {
		return nil, err
	}
	var out []follower
	for _, k := range krs {
		if kpiOf(k) != kpiID {
			continue
		}
		o, err := tx.GetObjective(ctx, orgID, k.ObjectiveID)
		if err != nil {
			return nil, err
		}
		p, err := tx.GetPeriod(ctx, orgID, o.PeriodID)
		if err != nil {
			return nil, err
		}
		if p.State == okr.PeriodClosed || o.State == okr.Closed {
			continue // closed: read-only history
		}
		out = append(out, follower{k: k, o: o, p: p})
	}
	return out, nil
}

// followKPI records the KPI's latest record as an automatic check-in on each
// open key result following it, and rolls them up. It returns how many key
// results it checked in.
func followKPI(ctx context.Context, tx Tx, actor org.Actor, kpi okr.KPI, latest okr.KPIRecord) (int, error) {
	fs, err := followers(ctx, tx, actor.OrgID, kpi.ID)
	if err != nil || len(fs) == 0 {
		return 0, err
	}
	o, err := tx.GetOrganization(ctx, actor.OrgID)
	if err != nil {
		return 0, err
	}
	h, err := loadSignals(ctx, tx, actor.OrgID)
	if err != nil {
		return 0, err
	}
	var touched []okr.Node
	for _, f := range fs {
		if err := kpiCheckIn(ctx, tx, actor, o, h, f, kpi, latest); err != nil {
			return 0, err
		}
		if n := (okr.Node{Type: okr.NodeObjective, ID: f.o.ID}); !slices.Contains(touched, n) {
			touched = append(touched, n)
		}
	}
	return len(fs), okr.Propagate(ctx, tx.Rollup(actor.OrgID), touched...)
}

// kpiNote says which record an automatic check-in took its value from.
func kpiNote(kpi okr.KPI, r okr.KPIRecord) string {
	return fmt.Sprintf("From the KPI “%s”: %s on %s (record %s).", kpi.Name, strconv.FormatFloat(r.Value, 'f', -1, 64), r.Date, r.ID)
}

// kpiCheckIn records a KPI's latest value on a key result that follows it,
// as an automatic check-in with source kpi.
func kpiCheckIn(ctx context.Context, tx Tx, actor org.Actor, o org.Organization, h *signals, f follower, kpi okr.KPI, r okr.KPIRecord) error {
	return automaticCheckIn(ctx, tx, actor, o, h, f.o, f.p, f.k, r.Value, okr.SourceKPI, kpiNote(kpi, r))
}

// validateKPIMeasure checks a kpi key result's measure {"kpi_id"} and gives
// the key result the KPI's unit. It returns the measure as stored.
func validateKPIMeasure(ctx context.Context, tx Tx, k *okr.KeyResult, f *errs.Fields) (json.RawMessage, error) {
	switch k.Kind {
	case okr.Increase, okr.Decrease, okr.Maintain:
	default:
		f.Add("kind", "a key result following a KPI is a number: use kind increase, decrease or maintain")
	}
	m, ok := parseKPIMeasure(k.Measure)
	if !ok {
		f.Add("measure", "a KPI key result needs a measure {\"kpi_id\": \"…\"} naming the KPI it follows")
		return nil, nil
	}
	kpi, err := tx.GetKPI(ctx, k.OrgID, m.KPIID)
	if errs.Is(err, errs.NotFound) {
		f.Add("measure.kpi_id", "no KPI %s in this organization", m.KPIID)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	k.Unit, k.UnitLabel, k.Currency = kpi.Unit, kpi.UnitLabel, kpi.Currency
	b, err := json.Marshal(okr.KPIMeasure{KPIID: kpi.ID})
	return b, err
}

// parseKPIMeasure reads {"kpi_id"} and nothing else.
func parseKPIMeasure(raw json.RawMessage) (okr.KPIMeasure, bool) {
	var m okr.KPIMeasure
	if len(raw) == 0 || string(raw) == "null" {
		return m, false
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if dec.Decode(&m) != nil || strings.TrimSpace(m.KPIID) == "" {
		return m, false
	}
	return m, true
}

// kpiBaseline is the baseline a new key result following a KPI starts from
// when none is given: the KPI's latest value. It reports false when the KPI
// is unknown or has no record (validation then says what is missing).
func kpiBaseline(ctx context.Context, tx Tx, orgID string, measure json.RawMessage) (float64, bool, error) {
	m, ok := parseKPIMeasure(measure)
	if !ok {
		return 0, false, nil
	}
	latest, err := tx.LatestKPIRecords(ctx, orgID, []string{m.KPIID})
	if err != nil {
		return 0, false, err
	}
	r, ok := latest[m.KPIID]
	return r.Value, ok, nil
}

// followOnSave checks in a key result following a KPI with the KPI's latest
// value when it was just created, follows another KPI than before (or did
// not follow one), or does not show that value: called after a key result
// is written.
func followOnSave(ctx context.Context, tx Tx, actor org.Actor, k okr.KeyResult, previousKPI string) error {
	id := kpiOf(k)
	if id == "" {
		return nil
	}
	latest, err := tx.LatestKPIRecords(ctx, actor.OrgID, []string{id})
	if err != nil {
		return err
	}
	r, ok := latest[id]
	if !ok {
		return nil // the KPI has no value yet: the first record checks it in
	}
	if id == previousKPI && k.LastCheckIn != nil && k.Current == r.Value {
		return nil // it already shows the KPI's latest value
	}
	kpi, err := tx.GetKPI(ctx, actor.OrgID, id)
	if err != nil {
		return err
	}
	fs, err := followers(ctx, tx, actor.OrgID, id)
	if err != nil {
		return err
	}
	o, err := tx.GetOrganization(ctx, actor.OrgID)
	if err != nil {
		return err
	}
	h, err := loadSignals(ctx, tx, actor.OrgID)
	if err != nil {
		return err
	}
	for _, f := range fs {
		if f.k.ID != k.ID {
			continue
		}
		if err := kpiCheckIn(ctx, tx, actor, o, h, f, kpi, r); err != nil {
			return err
		}
		return okr.Propagate(ctx, tx.Rollup(actor.OrgID), okr.Node{Type: okr.NodeObjective, ID: f.o.ID})
	}
	return nil
}

// ---- objectives that name KPIs

// resolveKPIIDs checks that the KPIs an objective names exist; it returns
// them sorted, each once.
func resolveKPIIDs(ctx context.Context, tx Tx, orgID string, ids []string, f *errs.Fields) ([]string, error) {
	out := []string{}
	for i, id := range ids {
		id = strings.TrimSpace(id)
		if _, err := tx.GetKPI(ctx, orgID, id); errs.Is(err, errs.NotFound) {
			f.Add(fmt.Sprintf("kpi_ids[%d]", i), "no KPI %s in this organization", id)
			continue
		} else if err != nil {
			return nil, err
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

// fillKPIIDs sets the KPIs each objective names.
func fillKPIIDs(ctx context.Context, tx Tx, orgID string, os []okr.Objective) error {
	ids := make([]string, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	links, err := tx.ObjectiveKPIs(ctx, orgID, ids)
	if err != nil {
		return err
	}
	for i := range os {
		os[i].KPIIDs = links[os[i].ID]
		if os[i].KPIIDs == nil {
			os[i].KPIIDs = []string{}
		}
	}
	return nil
}

// ---- CSV import

// KPIImportRow is one line of an imported file, as read.
type KPIImportRow struct {
	Line   int      `json:"line" doc:"The line in the file (the header is line 1)."`
	Date   okr.Date `json:"date"`
	Value  float64  `json:"value"`
	Note   string   `json:"note"`
	Action string   `json:"action" enum:"create,replace" doc:"create: a new date; replace: the date had a value, which this one replaces."`
}

// KPIImport is what importing a file did (or, in a dry run, would do).
type KPIImport struct {
	DryRun   bool           `json:"dry_run" doc:"True: nothing was written; this is what importing would do."`
	Rows     []KPIImportRow `json:"rows"`
	Created  int            `json:"created"`
	Replaced int            `json:"replaced"`
	KPI      okr.KPI        `json:"kpi" doc:"The KPI after the import (unchanged in a dry run)."`
	// KeyResults counts the key results that got an automatic check-in.
	KeyResults int `json:"key_results_checked_in"`
}

// maxImportRows bounds a file's records.
const maxImportRows = 20000

// ImportKPIRecords imports a CSV file of a KPI's records (an admin or the
// KPI's owner): columns date and value, and optionally note, named by a
// header line (or, without one, in that order). The import is all or
// nothing: any line that cannot be read is reported with its line number and
// nothing is written. A dry run reports what would change and writes nothing.
func (a *App) ImportKPIRecords(ctx context.Context, actor org.Actor, kpiID string, r io.Reader, dryRun bool) (KPIImport, error) {
	res := KPIImport{DryRun: dryRun, Rows: []KPIImportRow{}}
	if err := requireWrite(actor); err != nil {
		return res, err
	}
	// The KPI first: another organization's is a 404, not a complaint about the file.
	if err := a.db.Read(ctx, func(tx Tx) error {
		_, err := editableKPI(ctx, tx, actor, kpiID)
		return err
	}); err != nil {
		return res, err
	}
	in, lines, err := parseKPICSV(r)
	if err != nil {
		return res, err
	}
	got, err := a.recordKPI(ctx, actor, kpiID, in, okr.SourceImport, func(i int) string {
		return fmt.Sprintf("csv.line[%d].", lines[i])
	}, dryRun)
	if err != nil {
		return res, kpiLineErrors(err)
	}
	for i, rec := range got.Records {
		action := "create"
		if got.replaced[i] {
			action = "replace"
		}
		res.Rows = append(res.Rows, KPIImportRow{Line: lines[i], Date: rec.Date, Value: rec.Value, Note: rec.Note, Action: action})
	}
	res.Created, res.Replaced, res.KPI, res.KeyResults = got.Created, got.Replaced, got.KPI, got.KeyResults
	return res, nil
}

// kpiLineErrors renames the per-record fields of an import ("csv.line[3].date")
// to the field csv with the line in the message ("line 3: date …").
func kpiLineErrors(err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid {
		return err
	}
	var f errs.Fields
	for _, fe := range e.Fields {
		var line int
		var name string
		if n, _ := fmt.Sscanf(strings.Replace(fe.Field, "].", "] ", 1), "csv.line[%d] %s", &line, &name); n == 2 {
			f.Add("csv", "line %d: %s %s", line, name, fe.Message)
			continue
		}
		f.Add(fe.Field, "%s", fe.Message)
	}
	return f.Err()
}

// parseKPICSV reads date,value[,note] rows; it returns the records and the
// line of each. Cells that cannot be read are Invalid on the field csv, each
// with its line.
func parseKPICSV(r io.Reader) ([]KPIRecordInput, []int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	rows, err := cr.ReadAll()
	var f errs.Fields
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			f.Add("csv", "line %d: %v", pe.Line, pe.Err)
		} else {
			f.Add("csv", "cannot be read: %v", err)
		}
		return nil, nil, f.Err()
	}
	cols := map[string]int{"date": 0, "value": 1, "note": 2}
	first := 0
	if len(rows) > 0 && len(rows[0]) > 0 && !okr.Date(strings.TrimSpace(strings.TrimPrefix(rows[0][0], "\ufeff"))).Valid() {
		// A header line names the columns.
		cols = map[string]int{}
		for i, c := range rows[0] {
			cols[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))] = i
		}
		for _, need := range []string{"date", "value"} {
			if _, ok := cols[need]; !ok {
				f.Add("csv", "line 1: the header has no %s column; the columns are date, value and optionally note", need)
			}
		}
		if err := f.Err(); err != nil {
			return nil, nil, err
		}
		first = 1
	}
	var out []KPIRecordInput
	var lines []int
	for i := first; i < len(rows); i++ {
		line, row := i+1, rows[i]
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		cell := func(name string) string {
			j, ok := cols[name]
			if !ok || j >= len(row) {
				return ""
			}
			return strings.TrimSpace(row[j])
		}
		rec := KPIRecordInput{Date: okr.Date(cell("date")), Note: cell("note")}
		if s := cell("value"); s == "" {
			f.Add("csv", "line %d: the value is empty", line)
		} else if v, err := strconv.ParseFloat(s, 64); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			f.Add("csv", "line %d: the value %q is not a number (write 1234.5, without thousands separators or units)", line, s)
		} else {
			rec.Value = &v
		}
		if !rec.Date.Valid() {
			f.Add("csv", "line %d: the date %q is not a date like 2027-03-31", line, rec.Date)
		}
		out = append(out, rec)
		lines = append(lines, line)
	}
	if len(out) == 0 && len(f) == 0 {
		f.Add("csv", "has no records; write one line per date: date,value[,note]")
	}
	if len(out) > maxImportRows {
		f.Add("csv", "has %d records; import at most %d at a time", len(out), maxImportRows)
	}
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	return out, lines, nil
}

// KPIsOfObjective returns the KPIs an objective the actor may see names,
// with their latest values and statuses, by name.
func (a *App) KPIsOfObjective(ctx context.Context, actor org.Actor, objectiveID string) ([]okr.KPI, error) {
	var out []okr.KPI
	if err := requireRead(actor); err != nil {
		return nil, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		if _, err := v.objective(objectiveID); err != nil {
			return err
		}
		links, err := tx.ObjectiveKPIs(ctx, actor.OrgID, []string{objectiveID})
		if err != nil || len(links[objectiveID]) == 0 {
			return err
		}
		if out, err = tx.ListKPIs(ctx, actor.OrgID, okr.KPIFilter{IDs: links[objectiveID]}); err != nil {
			return err
		}
		r, err := newKPIReader(ctx, tx, v)
		if err != nil {
			return err
		}
		return r.decorate(out)
	})
	slices.SortFunc(out, func(x, y okr.KPI) int { return strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)) })
	return out, err
}
