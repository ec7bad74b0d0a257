package app

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// MilestoneInput is one step of a milestone key result.
type MilestoneInput struct {
	ID     string   `json:"id,omitempty" doc:"Keep a milestone's id when editing the list."`
	Title  string   `json:"title"`
	Weight *float64 `json:"weight,omitempty" doc:"Default 1."`
}

// KeyResultInput creates a key result.
type KeyResultInput struct {
	ObjectiveID string           `json:"objective_id"`
	Slug        string           `json:"slug,omitempty" doc:"Stable key within the objective; default: from the title."`
	Title       string           `json:"title"`
	OwnerID     string           `json:"owner_id,omitempty" doc:"Default: the objective's owner when a person, else you."`
	Kind        okr.KRKind       `json:"kind" enum:"increase,decrease,maintain,milestone,boolean"`
	Unit        okr.Unit         `json:"unit,omitempty" enum:"number,percent,currency,custom" doc:"Default number."`
	UnitLabel   string           `json:"unit_label,omitempty" doc:"The label of a custom unit, e.g. tickets."`
	Currency    string           `json:"currency,omitempty" doc:"ISO 4217 code for unit currency, e.g. EUR."`
	Baseline    *float64         `json:"baseline,omitempty" doc:"Where it starts; current starts here."`
	Target      *float64         `json:"target,omitempty"`
	Band        *okr.Band        `json:"band,omitempty" doc:"For maintain: the range to stay in."`
	Milestones  []MilestoneInput `json:"milestones,omitempty" doc:"For milestone: the ordered checklist."`
	Weight      *float64         `json:"weight,omitempty" doc:"Its share in the objective's progress; default 1."`
	DueDate     okr.Date         `json:"due_date,omitempty" doc:"Default: the period's end."`
	Indicator   okr.Indicator    `json:"indicator,omitempty" enum:"leading,lagging" doc:"Default lagging."`
	Source      okr.Source       `json:"source,omitempty" enum:"manual,children,api,learning,kpi" doc:"Where its value comes from; default manual."`
	Measure     json.RawMessage  `json:"measure,omitempty" doc:"For source learning: {\"type\": \"completion_rate|certified_count|mean_score|at_level_share|learning_hours\", \"program_id\", \"skill_id\", \"level\", \"population\": {\"type\": \"team|role|users\", \"id\", \"user_ids\"}}. For source kpi: {\"kpi_id\"}; the key result takes the KPI's unit, its baseline defaults to the KPI's latest value, and every new latest value checks it in."`
}

// KeyResultUpdate changes a key result; absent fields stay.
type KeyResultUpdate struct {
	Slug       *string           `json:"slug,omitempty" doc:"Stable key within the objective."`
	Title      *string           `json:"title,omitempty"`
	OwnerID    *string           `json:"owner_id,omitempty"`
	Kind       *okr.KRKind       `json:"kind,omitempty" enum:"increase,decrease,maintain,milestone,boolean"`
	Unit       *okr.Unit         `json:"unit,omitempty" enum:"number,percent,currency,custom"`
	UnitLabel  *string           `json:"unit_label,omitempty"`
	Currency   *string           `json:"currency,omitempty"`
	Baseline   *float64          `json:"baseline,omitempty"`
	Target     *float64          `json:"target,omitempty"`
	Band       *okr.Band         `json:"band,omitempty"`
	Milestones *[]MilestoneInput `json:"milestones,omitempty"`
	Weight     *float64          `json:"weight,omitempty"`
	DueDate    *okr.Date         `json:"due_date,omitempty"`
	Indicator  *okr.Indicator    `json:"indicator,omitempty" enum:"leading,lagging"`
	Source     *okr.Source       `json:"source,omitempty" enum:"manual,children,api,learning,kpi"`
	Measure    json.RawMessage   `json:"measure,omitempty" doc:"For source learning or kpi: the measure (see createKeyResult)."`
}

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// validateKeyResult checks a key result's fields and fills the defaults its kind implies.
func validateKeyResult(ctx context.Context, tx Tx, orgID string, k *okr.KeyResult, f *errs.Fields) error {
	k.Title = strings.TrimSpace(k.Title)
	if k.Title == "" {
		f.Add("title", "is required")
	}
	switch k.Unit {
	case okr.UnitNumber, okr.UnitPercent:
	case okr.UnitCurrency:
		k.Currency = strings.ToUpper(strings.TrimSpace(k.Currency))
		if !currencyPattern.MatchString(k.Currency) {
			f.Add("currency", "give the ISO 4217 code of the currency, e.g. EUR or USD")
		}
	case okr.UnitCustom:
		if strings.TrimSpace(k.UnitLabel) == "" {
			f.Add("unit_label", "name the custom unit, e.g. tickets")
		}
	default:
		f.Add("unit", "must be number, percent, currency or custom")
	}
	for name, x := range map[string]float64{"baseline": k.Baseline, "target": k.Target, "weight": k.Weight} {
		if !finite(x) {
			f.Add(name, "must be a finite number")
		}
	}
	if k.Weight < 0 || k.Weight > maxWeight {
		f.Add("weight", "must be between 0 and %d", maxWeight)
	}
	switch k.Kind {
	case okr.Increase:
		if k.Target < k.Baseline {
			f.Add("target", "is below the baseline; an increase needs a target above it (or use kind decrease)")
		}
	case okr.Decrease:
		if k.Target > k.Baseline {
			f.Add("target", "is above the baseline; a decrease needs a target below it (or use kind increase)")
		}
	case okr.Maintain:
		if k.Band == nil {
			f.Add("band", "a maintain key result needs a band {low, high} to stay in")
		} else if !finite(k.Band.Low) || !finite(k.Band.High) || k.Band.Low > k.Band.High {
			f.Add("band", "low must be a number no greater than high")
		}
	case okr.Milestone:
		if len(k.Milestones) == 0 {
			f.Add("milestones", "a milestone key result needs at least one milestone")
		}
		for i, m := range k.Milestones {
			if strings.TrimSpace(m.Title) == "" {
				f.Add(fmt.Sprintf("milestones[%d].title", i), "is required")
			}
			if m.Weight < 0 || m.Weight > maxWeight || !finite(m.Weight) {
				f.Add(fmt.Sprintf("milestones[%d].weight", i), "must be between 0 and %d", maxWeight)
			}
		}
		k.Baseline, k.Target = 0, 1
	case okr.Boolean:
		k.Baseline, k.Target = 0, 1
	default:
		f.Add("kind", "must be increase, decrease, maintain, milestone or boolean")
	}
	if k.Kind != okr.Maintain {
		k.Band = nil
	}
	if k.Kind != okr.Milestone {
		k.Milestones = []okr.MilestoneItem{}
	}
	if !k.DueDate.Valid() {
		f.Add("due_date", "must be a date like 2027-03-31")
	}
	switch k.Indicator {
	case okr.Leading, okr.Lagging:
	default:
		f.Add("indicator", "must be leading or lagging")
	}
	if k.Source == okr.SourceChildren && k.Kind != okr.Increase && k.Kind != okr.Decrease && k.Kind != okr.Boolean {
		f.Add("source", "a %s key result cannot take its value from aligned objectives; use kind increase, decrease or boolean", k.Kind)
	}
	if len(k.Measure) > 0 && string(k.Measure) != "null" && k.Source != okr.SourceKPI && k.Source != okr.SourceLearning {
		f.Add("measure", "only kpi and learning key results take a measure; leave it out for source %s", k.Source)
	}
	switch k.Source {
	case okr.SourceManual, okr.SourceChildren, okr.SourceAPI:
		k.Measure = nil
	case okr.SourceLearning:
		if k.Kind != okr.Increase && k.Kind != okr.Decrease {
			f.Add("kind", "a learning key result is measured as a number: use kind increase (or decrease)")
		}
		m, err := validateLearningMeasure(ctx, tx, orgID, k.Measure, f)
		if err != nil {
			return err
		}
		k.Measure = m
	case okr.SourceKPI:
		m, err := validateKPIMeasure(ctx, tx, k, f)
		if err != nil {
			return err
		}
		k.Measure = m
	default:
		f.Add("source", "must be manual, api, children, learning or kpi")
	}
	if k.OwnerID != "" {
		if _, err := tx.GetMember(ctx, orgID, k.OwnerID); errs.Is(err, errs.NotFound) {
			f.Add("owner_id", "no member %s in this organization", k.OwnerID)
		} else if err != nil {
			return err
		}
	}
	return nil
}

func milestoneItems(in []MilestoneInput, old []okr.MilestoneItem) []okr.MilestoneItem {
	done := map[string]bool{}
	for _, m := range old {
		done[m.ID] = m.Done
	}
	out := make([]okr.MilestoneItem, len(in))
	for i, m := range in {
		w := 1.0
		if m.Weight != nil {
			w = *m.Weight
		}
		id := m.ID
		if _, known := done[id]; !known {
			id = NewID() // only ids it already has are kept
		}
		out[i] = okr.MilestoneItem{ID: id, Title: strings.TrimSpace(m.Title), Weight: w, Done: done[id]}
	}
	return out
}

// maxWeight bounds weights, so that no single child can drown its siblings.
const maxWeight = 100

// refreshForecast fits the key result's latest check-ins again (its target,
// band or due date may have changed).
func refreshForecast(ctx context.Context, tx Tx, o org.Organization, k *okr.KeyResult) error {
	points, err := tx.RecentPoints(ctx, k.OrgID, k.ID, max(o.Settings.ForecastPoints, okr.MinForecastPoints))
	if err != nil {
		return err
	}
	k.Forecast = okr.ForecastAt(*k, points, o.Settings.ForecastPoints, o.Location())
	return nil
}

// settle recomputes a key result's own progress from its value and kind; a
// children-sourced one keeps its rolled-up progress until Propagate runs.
func settle(k *okr.KeyResult) {
	if k.Kind == okr.Milestone {
		k.Current = okr.MilestoneShare(k.Milestones)
	}
	if k.Source != okr.SourceChildren {
		k.Progress = okr.KRProgress(*k)
	}
}

// CreateKeyResult adds a key result to an objective and rolls it up.
func (a *App) CreateKeyResult(ctx context.Context, actor org.Actor, in KeyResultInput, idemKey string) (okr.KeyResult, error) {
	var k okr.KeyResult
	if err := requireWrite(actor); err != nil {
		return k, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		id, err := idempotent(ctx, tx, actor, idemKey, "key_result.create", in, func() (string, error) {
			o, p, err := v.editableObjective(in.ObjectiveID)
			if errs.Is(err, errs.NotFound) {
				var f errs.Fields
				f.Add("objective_id", "no objective %s in this organization", in.ObjectiveID)
				return "", f.Err()
			}
			if err != nil {
				return "", err
			}
			k = okr.KeyResult{ID: NewID(), OrgID: actor.OrgID, ObjectiveID: o.ID, Title: in.Title, OwnerID: in.OwnerID,
				Kind: in.Kind, Unit: in.Unit, UnitLabel: in.UnitLabel, Currency: in.Currency, Band: in.Band,
				Milestones: milestoneItems(in.Milestones, nil), Weight: 1, DueDate: in.DueDate, Indicator: in.Indicator,
				Source: in.Source, Measure: in.Measure}
			if k.Unit == "" {
				k.Unit = okr.UnitNumber
			}
			if k.Indicator == "" {
				k.Indicator = okr.Lagging
			}
			if k.Source == "" {
				k.Source = okr.SourceManual
			}
			if k.DueDate == "" {
				k.DueDate = p.EndDate
			}
			if k.OwnerID == "" {
				k.OwnerID = actor.UserID
				if o.Owner.Type == okr.OwnerUser {
					k.OwnerID = o.Owner.ID
				}
			}
			if in.Weight != nil {
				k.Weight = *in.Weight
			}
			var f errs.Fields
			if in.Source == okr.SourceKPI && in.Baseline == nil && (in.Kind == okr.Increase || in.Kind == okr.Decrease) {
				// A key result following a KPI starts from the KPI's latest value.
				if v, ok, err := kpiBaseline(ctx, tx, actor.OrgID, in.Measure); err != nil {
					return "", err
				} else if ok {
					in.Baseline = &v
				} else {
					f.Add("baseline", "the KPI has no value yet; say where the key result starts")
				}
			}
			if in.Kind == okr.Increase || in.Kind == okr.Decrease {
				if in.Baseline == nil && in.Source != okr.SourceKPI {
					f.Add("baseline", "say where the key result starts")
				}
				if in.Target == nil {
					f.Add("target", "say where the key result should end")
				}
			}
			if in.Baseline != nil {
				k.Baseline = *in.Baseline
			} else if in.Kind == okr.Maintain && in.Band != nil {
				k.Baseline = in.Band.Low
			}
			if in.Target != nil {
				k.Target = *in.Target
			} else if in.Kind == okr.Maintain && in.Band != nil {
				k.Target = in.Band.High
			}
			if err := validateKeyResult(ctx, tx, actor.OrgID, &k, &f); err != nil {
				return "", err
			}
			if k.Slug, err = settleSlug(ctx, tx, actor.OrgID, okr.SlugKeyResult, o.ID, k.ID, in.Slug, k.Title, "slug", &f); err != nil {
				return "", err
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			k.Current = k.Baseline
			settle(&k)
			if err := tx.CreateKeyResult(ctx, &k); err != nil {
				return "", err
			}
			if err := okr.Propagate(ctx, tx.Rollup(actor.OrgID), okr.Node{Type: okr.NodeObjective, ID: o.ID}); err != nil {
				return "", err
			}
			if err := record(ctx, tx, actor, "key_result.create", "key_result", k.ID, nil, k); err != nil {
				return "", err
			}
			if k.Source == okr.SourceLearning {
				_, err = refreshLearning(ctx, tx, actor) // its first value, as a check-in
			}
			if err == nil {
				err = followOnSave(ctx, tx, actor, k, "") // the KPI's latest value, as a check-in
			}
			return k.ID, err
		})
		if err != nil {
			return err
		}
		k, err = a.readKeyResult(ctx, tx, v, id)
		return err
	})
	return k, err
}

func (a *App) readKeyResult(ctx context.Context, tx Tx, v *access, id string) (okr.KeyResult, error) {
	k, o, err := v.keyResult(id)
	if err != nil {
		return k, err
	}
	h, err := loadSignals(ctx, tx, v.actor.OrgID)
	if err != nil {
		return k, err
	}
	period, err := h.period(ctx, tx, v.actor.OrgID, o.PeriodID)
	if err != nil {
		return k, err
	}
	h.keyResult(&k, o, period)
	return k, h.err()
}

// GetKeyResult returns a key result whose objective the actor may see.
func (a *App) GetKeyResult(ctx context.Context, actor org.Actor, id string) (okr.KeyResult, error) {
	var k okr.KeyResult
	if err := requireRead(actor); err != nil {
		return k, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		k, err = a.readKeyResult(ctx, tx, newAccess(ctx, tx, actor), id)
		return err
	})
	return k, err
}

// KeyResultQuery filters the key result list.
type KeyResultQuery struct {
	ObjectiveID string
	PeriodID    string
	OwnerID     string
	PageRequest
}

// ListKeyResults lists key results of objectives the actor may see.
func (a *App) ListKeyResults(ctx context.Context, actor org.Actor, q KeyResultQuery) (Page[okr.KeyResult], error) {
	return readPage(ctx, a, actor, q.PageRequest, func(k okr.KeyResult) string { return k.ID },
		func(tx Tx, after string, limit int) ([]okr.KeyResult, error) {
			return tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{ObjectiveID: q.ObjectiveID, PeriodID: q.PeriodID,
				OwnerID: q.OwnerID, After: after, Limit: limit})
		},
		func(tx Tx, page *Page[okr.KeyResult]) error {
			v := newAccess(ctx, tx, actor)
			h, err := loadSignals(ctx, tx, actor.OrgID)
			if err != nil {
				return err
			}
			objectives := map[string]*okr.Objective{} // nil: hidden from the actor
			page.Items, err = keepIf(page.Items, func(k *okr.KeyResult) (bool, error) {
				o, ok := objectives[k.ObjectiveID]
				if !ok {
					got, err := v.objective(k.ObjectiveID)
					if err != nil && !errs.Is(err, errs.NotFound) {
						return false, err
					}
					if err == nil {
						o = &got
					}
					objectives[k.ObjectiveID] = o
				}
				if o == nil {
					return false, nil
				}
				period, err := h.period(ctx, tx, actor.OrgID, o.PeriodID)
				if err != nil {
					return false, err
				}
				h.keyResult(k, *o, period)
				return true, nil
			})
			return err
		})
}

// UpdateKeyResult changes a key result and rolls the change up.
func (a *App) UpdateKeyResult(ctx context.Context, actor org.Actor, id string, ifMatch *int, in KeyResultUpdate) (okr.KeyResult, error) {
	var k okr.KeyResult
	if err := requireWrite(actor); err != nil {
		return k, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		before, o, _, err := v.editableKeyResult(id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "key result"); err != nil {
			return err
		}
		k = before
		setIf(&k.Title, in.Title)
		setIf(&k.OwnerID, in.OwnerID)
		setIf(&k.Kind, in.Kind)
		setIf(&k.Unit, in.Unit)
		setIf(&k.UnitLabel, in.UnitLabel)
		setIf(&k.Currency, in.Currency)
		setIf(&k.Baseline, in.Baseline)
		setIf(&k.Target, in.Target)
		if in.Band != nil {
			k.Band = in.Band
		}
		if in.Milestones != nil {
			k.Milestones = milestoneItems(*in.Milestones, before.Milestones)
		}
		setIf(&k.Weight, in.Weight)
		setIf(&k.DueDate, in.DueDate)
		setIf(&k.Indicator, in.Indicator)
		setIf(&k.Source, in.Source)
		if len(in.Measure) > 0 {
			k.Measure = in.Measure
		}
		var f errs.Fields
		if err := validateKeyResult(ctx, tx, actor.OrgID, &k, &f); err != nil {
			return err
		}
		if in.Slug != nil && *in.Slug != before.Slug {
			if k.Slug, err = settleSlug(ctx, tx, actor.OrgID, okr.SlugKeyResult, o.ID, k.ID, *in.Slug, k.Title, "slug", &f); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if k.Kind != before.Kind {
			k.Current = k.Baseline // the old value means nothing in the new kind
		}
		settle(&k)
		if k.Source == okr.SourceChildren {
			k.Current = okr.ChildrenValue(k, k.Progress)
		}
		organization, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		if err := refreshForecast(ctx, tx, organization, &k); err != nil {
			return err
		}
		if err := tx.UpdateKeyResult(ctx, &k, before.Version); err != nil {
			return err
		}
		start := okr.Node{Type: okr.NodeObjective, ID: o.ID}
		if k.Source == okr.SourceChildren {
			start = okr.Node{Type: okr.NodeKeyResult, ID: k.ID}
		}
		if err := okr.Propagate(ctx, tx.Rollup(actor.OrgID), start); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "key_result.update", "key_result", id, before, k); err != nil {
			return err
		}
		if k.Source == okr.SourceLearning {
			if _, err := refreshLearning(ctx, tx, actor); err != nil {
				return err
			}
		}
		if err := followOnSave(ctx, tx, actor, k, kpiOf(before)); err != nil {
			return err
		}
		k, err = a.readKeyResult(ctx, tx, v, id)
		return err
	})
	return k, err
}

// DeleteKeyResult removes a key result with its check-ins and rolls up its objective.
func (a *App) DeleteKeyResult(ctx context.Context, actor org.Actor, id string) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		before, o, _, err := v.editableKeyResult(id)
		if err != nil {
			return err
		}
		// Objectives aligned to this key result lose that parent (the links cascade).
		if err := tx.DeleteKeyResult(ctx, actor.OrgID, id); err != nil {
			return err
		}
		if err := tx.DeleteRequirementsOf(ctx, actor.OrgID, learning.Subject{Type: learning.SubjectKeyResult, ID: id}); err != nil {
			return err
		}
		if err := okr.Propagate(ctx, tx.Rollup(actor.OrgID), okr.Node{Type: okr.NodeObjective, ID: o.ID}); err != nil {
			return err
		}
		return record(ctx, tx, actor, "key_result.delete", "key_result", id, before, nil)
	})
}
