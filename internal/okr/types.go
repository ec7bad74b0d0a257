// Package okr is the OKR domain: periods, objectives, key results,
// alignments, initiatives and check-ins, and the rules over them (progress,
// roll-up, health, expected progress, forecast) as pure functions.
package okr

import (
	"encoding/json"
	"time"
)

// Date is a calendar date in the organization's time zone, "YYYY-MM-DD".
type Date string

// DateLayout is the layout of a Date.
const DateLayout = "2006-01-02"

// Time returns the date's midnight in loc.
func (d Date) Time(loc *time.Location) (time.Time, error) {
	return time.ParseInLocation(DateLayout, string(d), loc)
}

// Valid reports whether d parses as YYYY-MM-DD.
func (d Date) Valid() bool {
	_, err := time.Parse(DateLayout, string(d))
	return err == nil
}

// PeriodKind is the kind of a period.
type PeriodKind string

// Period kinds.
const (
	PeriodAnnual    PeriodKind = "annual"
	PeriodQuarterly PeriodKind = "quarterly"
	PeriodCustom    PeriodKind = "custom"
)

// PeriodState is where a period is in its life.
type PeriodState string

// Period states: planning → active → closed.
const (
	PeriodPlanning PeriodState = "planning"
	PeriodActive   PeriodState = "active"
	PeriodClosed   PeriodState = "closed"
)

// Period is an OKR cycle.
type Period struct {
	ID        string      `json:"id"`
	OrgID     string      `json:"-"`
	Name      string      `json:"name"`
	Kind      PeriodKind  `json:"kind"`
	StartDate Date        `json:"start_date"`
	EndDate   Date        `json:"end_date"`
	ParentID  string      `json:"parent_id,omitempty"`
	State     PeriodState `json:"state"`
	Version   int         `json:"version"`
	Created   time.Time   `json:"created_at"`
	Updated   time.Time   `json:"updated_at"`
}

// OwnerType says who owns an objective.
type OwnerType string

// Owner types.
const (
	OwnerOrg  OwnerType = "org"
	OwnerTeam OwnerType = "team"
	OwnerUser OwnerType = "user"
)

// Owner is the organization, a team or a person.
type Owner struct {
	Type OwnerType `json:"type"`
	ID   string    `json:"id,omitempty"` // empty for the organization
}

// ObjectiveKind: committed objectives are expected at 1.0, aspirational near 0.7.
type ObjectiveKind string

// Objective kinds.
const (
	Committed    ObjectiveKind = "committed"
	Aspirational ObjectiveKind = "aspirational"
)

// Visibility says who may see an objective.
type Visibility string

// Visibilities.
const (
	Public  Visibility = "public"
	Team    Visibility = "team"
	Private Visibility = "private"
)

// ObjectiveState is where an objective is in its life.
type ObjectiveState string

// Objective states: draft → active → closed.
const (
	Draft  ObjectiveState = "draft"
	Active ObjectiveState = "active"
	Closed ObjectiveState = "closed"
)

// Outcome is how a closed objective ended; empty (JSON null) while it is open.
type Outcome string

// MarshalJSON writes an empty outcome as null.
func (o Outcome) MarshalJSON() ([]byte, error) {
	if o == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(o))
}

// Outcomes.
const (
	Achieved  Outcome = "achieved"
	Missed    Outcome = "missed"
	Abandoned Outcome = "abandoned"
)

// Objective is a qualitative goal of a period.
type Objective struct {
	ID          string         `json:"id"`
	OrgID       string         `json:"-"`
	PeriodID    string         `json:"period_id"`
	Slug        string         `json:"slug" doc:"Stable key within the period (OKRs as code): lowercase letters, digits and hyphens."`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Owner       Owner          `json:"owner"`
	ChampionID  string         `json:"champion_id,omitempty"`
	Kind        ObjectiveKind  `json:"kind"`
	Visibility  Visibility     `json:"visibility"`
	State       ObjectiveState `json:"state"`
	Outcome     Outcome        `json:"outcome" nullable:"true"`
	Weight      float64        `json:"weight"`
	Tags        []string       `json:"tags"`
	Alignments  []Alignment    `json:"alignments"`
	// AlignmentNote says why the objective aligns to nothing above it.
	AlignmentNote string `json:"alignment_note,omitempty" doc:"Why the objective aligns to nothing above it."`
	// KPIIDs are the KPIs the objective is meant to move, sorted.
	KPIIDs []string `json:"kpi_ids" doc:"The KPIs the objective is meant to move."`
	// Progress is materialized: maintained by Propagate on every change.
	Progress float64 `json:"progress"`
	// LastCheckIn is the latest check-in time over its key results.
	LastCheckIn *time.Time `json:"last_check_in_at,omitempty"`
	// Health, Expected and Behind are derived when the objective is read.
	// Score is set when the period is closed (null before).
	Score *ObjectiveScore `json:"score,omitempty" doc:"Set when the period is closed (absent before): the weighted mean of its key results' final scores."`
	// CarriedFrom is the objective of an earlier period this one continues (a keep or modify decision).
	CarriedFrom string    `json:"carried_from,omitempty" doc:"The objective of an earlier period this one was carried from by a keep or modify decision."`
	Health      Health    `json:"health"`
	Expected    float64   `json:"expected_progress" doc:"The share of the period elapsed."`
	Behind      bool      `json:"behind" doc:"Expected progress exceeds progress by more than the organization's threshold."`
	Version     int       `json:"version"`
	Created     time.Time `json:"created_at"`
	Updated     time.Time `json:"updated_at"`
}

// ParentType says what an alignment points at.
type ParentType string

// Parent types.
const (
	ParentObjective ParentType = "objective"
	ParentKeyResult ParentType = "key_result"
)

// Link says whether an aligned child counts in its parent's progress.
type Link string

// Links.
const (
	Contributes Link = "contributes"
	Supports    Link = "supports"
)

// Alignment links a child objective to a parent objective or key result.
type Alignment struct {
	ID         string     `json:"id"`
	ChildID    string     `json:"child_id"`
	ParentType ParentType `json:"parent_type"`
	ParentID   string     `json:"parent_id,omitempty"`
	Link       Link       `json:"link"`
}

// KRKind is how a key result's progress is measured.
type KRKind string

// Key result kinds.
const (
	Increase  KRKind = "increase"
	Decrease  KRKind = "decrease"
	Maintain  KRKind = "maintain"
	Milestone KRKind = "milestone"
	Boolean   KRKind = "boolean"
)

// Unit is a key result's unit.
type Unit string

// Units.
const (
	UnitNumber   Unit = "number"
	UnitPercent  Unit = "percent"
	UnitCurrency Unit = "currency"
	UnitCustom   Unit = "custom"
)

// Source says where a key result's value comes from.
type Source string

// Sources of values (and of check-ins).
const (
	SourceManual   Source = "manual"
	SourceKPI      Source = "kpi"
	SourceLearning Source = "learning"
	SourceChildren Source = "children"
	SourceAPI      Source = "api"
	SourceImport   Source = "import"
)

// Indicator: leading or lagging.
type Indicator string

// Indicators.
const (
	Leading Indicator = "leading"
	Lagging Indicator = "lagging"
)

// Band is the low..high range a maintain key result keeps.
type Band struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// MilestoneItem is one step of a milestone key result.
type MilestoneItem struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Weight float64 `json:"weight"`
	Done   bool    `json:"done"`
}

// KeyResult is a measurable outcome of an objective.
type KeyResult struct {
	ID          string          `json:"id"`
	OrgID       string          `json:"-"`
	ObjectiveID string          `json:"objective_id"`
	Slug        string          `json:"slug" doc:"Stable key within the objective (OKRs as code)."`
	Title       string          `json:"title"`
	OwnerID     string          `json:"owner_id,omitempty"`
	Kind        KRKind          `json:"kind"`
	Unit        Unit            `json:"unit"`
	UnitLabel   string          `json:"unit_label,omitempty"`
	Currency    string          `json:"currency,omitempty"`
	Baseline    float64         `json:"baseline"`
	Target      float64         `json:"target"`
	Band        *Band           `json:"band,omitempty"`
	Milestones  []MilestoneItem `json:"milestones,omitempty"`
	Current     float64         `json:"current"`
	Weight      float64         `json:"weight"`
	DueDate     Date            `json:"due_date"`
	Indicator   Indicator       `json:"indicator"`
	Source      Source          `json:"source"`
	// Measure configures a computed source (learning, kpi); stored as given.
	Measure json.RawMessage `json:"measure,omitempty"`
	// Materialized state, written by check-ins and Propagate.
	Progress    float64    `json:"progress"`
	Confidence  *float64   `json:"confidence"`
	LastStatus  Status     `json:"last_status,omitempty"`
	LastCheckIn *time.Time `json:"last_check_in_at,omitempty"`
	Forecast    *Forecast  `json:"forecast,omitempty"`
	// Score is set when the period is closed (null before).
	Score *KRScore `json:"score,omitempty" doc:"Set when the period is closed (absent before): the computed score (progress at close), an optional adjustment with its reason, and the final score."`
	// Health, Expected and Behind are derived when the key result is read.
	Health   Health    `json:"health"`
	Expected float64   `json:"expected_progress" doc:"The share of the time from the period's start to the due date that has elapsed."`
	Behind   bool      `json:"behind" doc:"Expected progress exceeds progress by more than the organization's threshold."`
	Version  int       `json:"version"`
	Created  time.Time `json:"created_at"`
	Updated  time.Time `json:"updated_at"`
}

// Status is a check-in's judgment.
type Status string

// Check-in statuses.
const (
	OnTrack  Status = "on_track"
	AtRisk   Status = "at_risk"
	OffTrack Status = "off_track"
)

// BlockerType classifies what stands in the way.
type BlockerType string

// Blocker types.
const (
	BlockerResource           BlockerType = "resource"
	BlockerDependency         BlockerType = "dependency"
	BlockerClarity            BlockerType = "clarity"
	BlockerPriorityConflict   BlockerType = "priority_conflict"
	BlockerExternal           BlockerType = "external"
	BlockerApproachNotWorking BlockerType = "approach_not_working"
	BlockerOther              BlockerType = "other"
)

// Blocker is something in the way of a key result.
type Blocker struct {
	Type        BlockerType `json:"type"`
	Description string      `json:"description"`
	OwnerID     string      `json:"owner_id,omitempty"`
	NextAction  string      `json:"next_action,omitempty"`
	DueDate     Date        `json:"due_date,omitempty"`
}

// CheckIn records a key result's value at a moment. Never edited.
type CheckIn struct {
	ID             string    `json:"id"`
	OrgID          string    `json:"-"`
	KeyResultID    string    `json:"key_result_id"`
	ObjectiveID    string    `json:"objective_id"`
	Value          float64   `json:"value"`
	PreviousValue  float64   `json:"previous_value"`
	MilestonesDone []string  `json:"milestones_done,omitempty"`
	Confidence     float64   `json:"confidence"`
	Status         Status    `json:"status"`
	Note           string    `json:"note"`
	Blockers       []Blocker `json:"blockers"`
	AuthorID       string    `json:"author_id"`
	Source         Source    `json:"source"`
	Created        time.Time `json:"created_at"`
}

// InitiativeStatus is where an initiative stands.
type InitiativeStatus string

// Initiative statuses.
const (
	Planned    InitiativeStatus = "planned"
	InProgress InitiativeStatus = "in_progress"
	Blocked    InitiativeStatus = "blocked"
	Done       InitiativeStatus = "done"
	Cancelled  InitiativeStatus = "cancelled"
)

// Money is an amount (a decimal string, never a float) in a currency.
type Money struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency,omitempty"`
}

// Task is a step of an initiative.
type Task struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	AssigneeID string `json:"assignee_id,omitempty"`
	DueDate    Date   `json:"due_date,omitempty"`
	Done       bool   `json:"done"`
}

// Initiative is work that moves key results; it never counts in progress.
type Initiative struct {
	ID           string           `json:"id"`
	OrgID        string           `json:"-"`
	Slug         string           `json:"slug" doc:"Stable key within the organization (OKRs as code)."`
	Title        string           `json:"title"`
	Description  string           `json:"description"`
	OwnerID      string           `json:"owner_id,omitempty"`
	Status       InitiativeStatus `json:"status"`
	StartDate    Date             `json:"start_date,omitempty"`
	DueDate      Date             `json:"due_date,omitempty"`
	Budget       *Money           `json:"budget,omitempty"`
	EffortDays   *float64         `json:"effort_days,omitempty"`
	KeyResultIDs []string         `json:"key_result_ids"`
	Tasks        []Task           `json:"tasks"`
	ExternalURL  string           `json:"external_url,omitempty"`
	// Aligned is false when the initiative is linked to no key result.
	Aligned bool      `json:"aligned"`
	Version int       `json:"version"`
	Created time.Time `json:"created_at"`
	Updated time.Time `json:"updated_at"`
}

// SubjectType is what a comment is about.
type SubjectType string

// Comment subjects.
const (
	SubjectObjective  SubjectType = "objective"
	SubjectKeyResult  SubjectType = "key_result"
	SubjectInitiative SubjectType = "initiative"
	SubjectCheckIn    SubjectType = "check_in"
)

// Comment is a remark on an objective, key result, initiative or check-in.
type Comment struct {
	ID          string      `json:"id"`
	OrgID       string      `json:"-"`
	SubjectType SubjectType `json:"subject_type"`
	SubjectID   string      `json:"subject_id"`
	AuthorID    string      `json:"author_id"`
	Body        string      `json:"body"`
	Mentions    []string    `json:"mentions"`
	Created     time.Time   `json:"created_at"`
}
