package app

import (
	"github.com/okrahq/okra/internal/okr"
)

// OKRDocument is a period's OKRs as code: the format `okra apply` reads and
// `okra export` writes (YAML or JSON, see docs/okrs-as-code.md). Objects are
// keyed by slugs; people by e-mail; teams by slug; skills, roles, programs and
// KPIs by name. The coach checks a document before it is stored (POST
// /api/v1/coach and `okra lint`).
type OKRDocument struct {
	// Okra is the format's version: 1.
	Okra int `json:"okra" doc:"The format's version: 1."`
	// Period is the name of the period the objectives belong to.
	Period      string          `json:"period" doc:"The name of the period, e.g. 2027-Q1."`
	Objectives  []DocObjective  `json:"objectives"`
	Initiatives []DocInitiative `json:"initiatives,omitempty"`
}

// DocObjective is an objective of an OKRDocument.
type DocObjective struct {
	Slug        string             `json:"slug" doc:"Stable key within the period: lowercase letters, digits and hyphens."`
	Title       string             `json:"title"`
	Description string             `json:"description,omitempty"`
	Owner       string             `json:"owner,omitempty" doc:"org, team:<team slug>, or a person's e-mail. Default org."`
	Champion    string             `json:"champion,omitempty" doc:"The accountable person's e-mail."`
	Kind        okr.ObjectiveKind  `json:"kind,omitempty" enum:"committed,aspirational"`
	Visibility  okr.Visibility     `json:"visibility,omitempty" enum:"public,team,private"`
	State       okr.ObjectiveState `json:"state,omitempty" enum:"draft,active,closed"`
	// Outcome says how a closed objective ended (export writes it; apply
	// compares it, and closes the objective when the file says so).
	Outcome okr.Outcome `json:"outcome,omitempty" enum:"achieved,missed,abandoned" doc:"How a closed objective ended."`
	Weight  *float64    `json:"weight,omitempty"`
	Tags    []string    `json:"tags,omitempty"`
	// AlignsTo are the objective's parents: objectives or key results above it.
	AlignsTo []DocAlignment `json:"aligns_to,omitempty"`
	// AlignmentNote says why the objective aligns to nothing above it.
	AlignmentNote string         `json:"alignment_note,omitempty" doc:"Why the objective aligns to nothing above it."`
	KPIs          []string       `json:"kpis,omitempty" doc:"Names of the KPIs it is meant to move."`
	Skills        []DocSkill     `json:"skills,omitempty" doc:"Skills the objective needs."`
	KeyResults    []DocKeyResult `json:"key_results,omitempty"`
}

// DocAlignment points at a parent objective or key result. References are
// "<objective slug>" or "<objective slug>/<key result slug>" in the same
// period, prefixed with "<period name>:" for another period.
type DocAlignment struct {
	Objective string   `json:"objective,omitempty" doc:"A parent objective: <slug>, or <period>:<slug>."`
	KeyResult string   `json:"key_result,omitempty" doc:"A parent key result: <objective slug>/<key result slug>, or <period>:<objective>/<key result>."`
	Link      okr.Link `json:"link,omitempty" enum:"contributes,supports" doc:"Default contributes."`
}

// DocSkill is a skill requirement of an objective or key result.
type DocSkill struct {
	Skill     string `json:"skill" doc:"The skill's name."`
	Level     int    `json:"level"`
	Headcount *int   `json:"headcount,omitempty" doc:"Default 1."`
	Essential *bool  `json:"essential,omitempty" doc:"Default true."`
}

// DocKeyResult is a key result of a DocObjective.
type DocKeyResult struct {
	Slug       string         `json:"slug" doc:"Stable key within the objective."`
	Title      string         `json:"title"`
	Owner      string         `json:"owner,omitempty" doc:"The owner's e-mail."`
	Kind       okr.KRKind     `json:"kind,omitempty" enum:"increase,decrease,maintain,milestone,boolean" doc:"Default increase."`
	Unit       okr.Unit       `json:"unit,omitempty" enum:"number,percent,currency,custom"`
	UnitLabel  string         `json:"unit_label,omitempty"`
	Currency   string         `json:"currency,omitempty"`
	Baseline   *float64       `json:"baseline,omitempty"`
	Target     *float64       `json:"target,omitempty"`
	Band       *okr.Band      `json:"band,omitempty"`
	Milestones []DocMilestone `json:"milestones,omitempty"`
	Weight     *float64       `json:"weight,omitempty"`
	DueDate    okr.Date       `json:"due_date,omitempty"`
	Indicator  okr.Indicator  `json:"indicator,omitempty" enum:"leading,lagging"`
	Source     okr.Source     `json:"source,omitempty" enum:"manual,children,api,learning,kpi"`
	Measure    *DocMeasure    `json:"measure,omitempty" doc:"For source learning or kpi."`
	Skills     []DocSkill     `json:"skills,omitempty"`
}

// DocMilestone is a step of a milestone key result.
type DocMilestone struct {
	Title  string   `json:"title"`
	Weight *float64 `json:"weight,omitempty"`
}

// DocMeasure is what a computed key result measures: a KPI (source kpi), or
// learning records over a population (source learning).
type DocMeasure struct {
	KPI        string         `json:"kpi,omitempty" doc:"Source kpi: the KPI's name."`
	Type       string         `json:"type,omitempty" enum:"completion_rate,certified_count,mean_score,at_level_share,learning_hours"`
	Program    string         `json:"program,omitempty" doc:"The program's external id, else its title."`
	Skill      string         `json:"skill,omitempty" doc:"The skill's name."`
	Level      int            `json:"level,omitempty"`
	Population *DocPopulation `json:"population,omitempty"`
}

// DocPopulation is whom a learning measure counts: one of a team, a role
// profile or named people.
type DocPopulation struct {
	Team  string   `json:"team,omitempty" doc:"A team's slug (with its sub-teams)."`
	Role  string   `json:"role,omitempty" doc:"A role profile's name."`
	Users []string `json:"users,omitempty" doc:"People's e-mails."`
}

// DocInitiative is an initiative of an OKRDocument.
type DocInitiative struct {
	Slug        string               `json:"slug" doc:"Stable key within the organization."`
	Title       string               `json:"title"`
	Description string               `json:"description,omitempty"`
	Owner       string               `json:"owner,omitempty" doc:"The owner's e-mail."`
	Status      okr.InitiativeStatus `json:"status,omitempty" enum:"planned,in_progress,blocked,done,cancelled"`
	StartDate   okr.Date             `json:"start_date,omitempty"`
	DueDate     okr.Date             `json:"due_date,omitempty"`
	Budget      *okr.Money           `json:"budget,omitempty"`
	EffortDays  *float64             `json:"effort_days,omitempty"`
	KeyResults  []string             `json:"key_results,omitempty" doc:"The key results it moves: <objective slug>/<key result slug>."`
	Tasks       []DocTask            `json:"tasks,omitempty"`
	ExternalURL string               `json:"external_url,omitempty"`
}

// DocTask is a task of a DocInitiative.
type DocTask struct {
	Title    string   `json:"title"`
	Assignee string   `json:"assignee,omitempty" doc:"The assignee's e-mail."`
	DueDate  okr.Date `json:"due_date,omitempty"`
	Done     bool     `json:"done,omitempty"`
}
