package okr

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Direction says which way a KPI is better.
type Direction string

// Directions.
const (
	// HigherIsBetter: revenue, NPS, activation.
	HigherIsBetter Direction = "increase"
	// LowerIsBetter: churn, first-response time, defects.
	LowerIsBetter Direction = "decrease"
)

// Frequency is how often a KPI gets a new value.
type Frequency string

// Frequencies.
const (
	Daily     Frequency = "daily"
	Weekly    Frequency = "weekly"
	Monthly   Frequency = "monthly"
	Quarterly Frequency = "quarterly"
)

// Frequencies lists the frequencies from the most to the least frequent.
var Frequencies = []Frequency{Daily, Weekly, Monthly, Quarterly}

// Next is the date one frequency after d: a day, a week, a calendar month or
// three (the 31st of a month without one rolls over, as time.AddDate does).
func (f Frequency) Next(d time.Time) time.Time {
	switch f {
	case Daily:
		return d.AddDate(0, 0, 1)
	case Weekly:
		return d.AddDate(0, 0, 7)
	case Monthly:
		return d.AddDate(0, 1, 0)
	case Quarterly:
		return d.AddDate(0, 3, 0)
	}
	return d
}

// KPIStatus is where a KPI's latest value stands.
type KPIStatus string

// KPI statuses.
const (
	KPIGreen  KPIStatus = "green"
	KPIYellow KPIStatus = "yellow"
	KPIRed    KPIStatus = "red"
	// KPIOverdue: no record within its frequency; silence is never green.
	KPIOverdue KPIStatus = "overdue"
	// KPINoData: no record yet, and the first is not due yet.
	KPINoData KPIStatus = "no_data"
)

// KPI is a business metric tracked over time (DESIGN §3, seed 001).
type KPI struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"-"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Unit        Unit      `json:"unit"`
	UnitLabel   string    `json:"unit_label,omitempty"`
	Currency    string    `json:"currency,omitempty"`
	Direction   Direction `json:"direction" doc:"increase: higher is better; decrease: lower is better."`
	OwnerID     string    `json:"owner_id,omitempty"`
	// Green and Red are the thresholds: at or beyond Green (in the
	// direction) the value is green, at or beyond Red (against it) red,
	// yellow between.
	Green     float64   `json:"green"`
	Red       float64   `json:"red"`
	Frequency Frequency `json:"frequency"`
	// Latest is the record with the latest date (nil without records) and
	// Status what it says; both derived when the KPI is read.
	Latest *KPIRecord `json:"latest"`
	Status KPIStatus  `json:"status" enum:"green,yellow,red,overdue,no_data"`
	// ObjectiveIDs and KeyResultIDs are what the KPI moves and feeds, among
	// what the reader may see; derived when the KPI is read.
	ObjectiveIDs []string  `json:"objective_ids" doc:"The objectives you may see that name this KPI."`
	KeyResultIDs []string  `json:"key_result_ids" doc:"The key results you may see whose value follows this KPI (source kpi)."`
	Version      int       `json:"version"`
	Created      time.Time `json:"created_at"`
	Updated      time.Time `json:"updated_at"`
}

// KPIRecord is a KPI's value on a date. One per date: a new value for a
// date replaces the old one.
type KPIRecord struct {
	ID       string    `json:"id"`
	OrgID    string    `json:"-"`
	KPIID    string    `json:"kpi_id"`
	Date     Date      `json:"date"`
	Value    float64   `json:"value"`
	Note     string    `json:"note"`
	AuthorID string    `json:"author_id"`
	Source   Source    `json:"source" enum:"manual,api,import"`
	Created  time.Time `json:"created_at"`
	Updated  time.Time `json:"updated_at"`
}

// KPIProblem is one thing wrong with a KPI's fields.
type KPIProblem struct{ Field, Message string }

// ValidateKPI checks a KPI's rules: a direction, a frequency, finite
// thresholds on the right sides of each other for the direction.
func ValidateKPI(k KPI) []KPIProblem {
	var out []KPIProblem
	add := func(field, format string, args ...any) {
		out = append(out, KPIProblem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	switch k.Direction {
	case HigherIsBetter, LowerIsBetter:
	default:
		add("direction", "must be increase (higher is better) or decrease (lower is better)")
	}
	switch k.Frequency {
	case Daily, Weekly, Monthly, Quarterly:
	default:
		add("frequency", "must be daily, weekly, monthly or quarterly")
	}
	fin := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	if !fin(k.Green) {
		add("green", "must be a finite number")
	}
	if !fin(k.Red) {
		add("red", "must be a finite number")
	}
	if len(out) > 0 {
		return out
	}
	switch {
	case k.Direction == HigherIsBetter && k.Green <= k.Red:
		add("green", "higher is better, so the green threshold (%g) must be above the red one (%g)", k.Green, k.Red)
	case k.Direction == LowerIsBetter && k.Green >= k.Red:
		add("green", "lower is better, so the green threshold (%g) must be below the red one (%g)", k.Green, k.Red)
	}
	return out
}

// ValueStatus is a value's band by the thresholds and the direction: green
// at or beyond the green threshold, red at or beyond the red one, yellow
// between.
func ValueStatus(k KPI, value float64) KPIStatus {
	if k.Direction == LowerIsBetter {
		switch {
		case value <= k.Green:
			return KPIGreen
		case value >= k.Red:
			return KPIRed
		}
		return KPIYellow
	}
	switch {
	case value >= k.Green:
		return KPIGreen
	case value <= k.Red:
		return KPIRed
	}
	return KPIYellow
}

// DueAfter is the last day a KPI is not overdue with its latest record on
// date d: one frequency after d (a weekly KPI recorded on Monday 1 February
// is due again on Monday 8 February and overdue from the 9th).
func DueAfter(f Frequency, d Date) (Date, error) {
	t, err := d.Time(time.UTC)
	if err != nil {
		return "", err
	}
	return Date(f.Next(t).Format(DateLayout)), nil
}

// StatusOf is a KPI's status on today: overdue when today is after the day
// its next record was due (one frequency after its latest record's date, or
// after the day it was created when it has none); else the latest value's
// band; no_data before the first record is due.
func StatusOf(k KPI, latest *KPIRecord, created, today Date) KPIStatus {
	from := created
	if latest != nil {
		from = latest.Date
	}
	due, err := DueAfter(k.Frequency, from)
	if err == nil && today > due {
		return KPIOverdue
	}
	if latest == nil {
		return KPINoData
	}
	return ValueStatus(k, latest.Value)
}

// KPIMeasure is what a key result with source kpi stores as its measure.
type KPIMeasure struct {
	KPIID string `json:"kpi_id"`
}

// KPIFilter selects KPIs; zero fields match everything.
type KPIFilter struct {
	IDs     []string
	OwnerID string
	// Query matches names and descriptions containing it, ignoring case.
	Query string
	After string // cursor: ids greater than this
	Limit int    // 0: no limit
}

// KPIRecordFilter selects a KPI's records, by date.
type KPIRecordFilter struct {
	KPIIDs []string
	// From and To bound the dates, both included; empty is unbounded.
	From, To Date
	// Newest lists the latest dates first; else the oldest first.
	Newest bool
	// Before (with Newest) or After is the date of the last record seen.
	Before, After Date
	Limit         int
}

// KPIStore is what the KPI use cases need from the database, inside one
// transaction; every method is scoped by the organization.
type KPIStore interface {
	// CreateKPI inserts a KPI at version 1; errs.Conflict if its name is taken in the organization.
	CreateKPI(ctx context.Context, k *KPI) error
	// GetKPI returns a KPI of orgID; errs.NotFound if it is not in the organization.
	GetKPI(ctx context.Context, orgID, id string) (KPI, error)
	// ListKPIs returns orgID's KPIs matching f, by id.
	ListKPIs(ctx context.Context, orgID string, f KPIFilter) ([]KPI, error)
	// UpdateKPI stores a KPI's fields if its version is still expectVersion, then bumps k.Version;
	// errs.PreconditionFailed if stale, errs.NotFound if not in k.OrgID, errs.Conflict for a taken name.
	UpdateKPI(ctx context.Context, k *KPI, expectVersion int) error
	// DeleteKPI removes a KPI of orgID with its records and its links to objectives; errs.NotFound
	// if it is not in the organization.
	DeleteKPI(ctx context.Context, orgID, id string) error

	// PutKPIRecord inserts a record, or replaces the value, note, author and source of the record
	// of the same KPI and date (keeping its id and creation time); r comes back as stored.
	// It reports whether a record was replaced. errs.Invalid if the KPI does not exist.
	PutKPIRecord(ctx context.Context, r *KPIRecord) (replaced bool, err error)
	// ListKPIRecords returns orgID's records matching f.
	ListKPIRecords(ctx context.Context, orgID string, f KPIRecordFilter) ([]KPIRecord, error)
	// LatestKPIRecords returns, for each of the KPIs that has records, the one with the latest date.
	LatestKPIRecords(ctx context.Context, orgID string, kpiIDs []string) (map[string]KPIRecord, error)

	// SetObjectiveKPIs replaces the KPIs an objective names; errs.Invalid if one does not exist.
	SetObjectiveKPIs(ctx context.Context, orgID, objectiveID string, kpiIDs []string) error
	// ObjectiveKPIs returns, for each of the objectives, the ids of the KPIs it names, sorted;
	// objectives naming none are absent.
	ObjectiveKPIs(ctx context.Context, orgID string, objectiveIDs []string) (map[string][]string, error)
	// KPIObjectives returns, for each of the KPIs, the ids of the objectives that name it, sorted;
	// KPIs no objective names are absent.
	KPIObjectives(ctx context.Context, orgID string, kpiIDs []string) (map[string][]string, error)
}
