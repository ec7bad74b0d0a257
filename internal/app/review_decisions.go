package app

import (
	"context"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// DecisionInput decides what becomes of a closed objective next period.
type DecisionInput struct {
	Decision     okr.Decision `json:"decision" enum:"keep,modify,drop"`
	NextPeriodID string       `json:"next_period_id,omitempty" doc:"Where keep and modify carry the objective; default the next period of the same kind by start date."`
	// Title and Targets are for modify: what changes in the carried objective.
	Title   string             `json:"title,omitempty" doc:"modify only: a new title for the carried objective."`
	Targets map[string]float64 `json:"targets,omitempty" doc:"modify only: new targets by the id of the key result they replace."`
}

// nextPeriod is the period a decision carries an objective into: the one
// named (open, starting after p starts), else the first open period of the
// same kind that starts after p starts.
func nextPeriod(ctx context.Context, tx Tx, orgID string, p okr.Period, named string, f *errs.Fields) (okr.Period, error) {
	if named != "" {
		n, err := tx.GetPeriod(ctx, orgID, named)
		switch {
		case errs.Is(err, errs.NotFound):
			f.Add("next_period_id", "no period %s in this organization", named)
		case err != nil:
			return n, err
		case n.ID == p.ID:
			f.Add("next_period_id", "is the objective's own period; name a later one")
		case n.StartDate <= p.StartDate:
			f.Add("next_period_id", "period %s starts on %s, not after %s (%s); name a later one", n.Name, n.StartDate, p.Name, p.StartDate)
		case n.State == okr.PeriodClosed:
			f.Add("next_period_id", "period %s is closed; carry the objective into an open one", n.Name)
		}
		return n, nil
	}
	var best okr.Period
	for after := ""; ; {
		ps, err := tx.ListPeriods(ctx, orgID, after, 500)
		if err != nil {
			return best, err
		}
		for _, c := range ps {
			if c.Kind == p.Kind && c.StartDate > p.StartDate && c.State != okr.PeriodClosed &&
				(best.ID == "" || c.StartDate < best.StartDate) {
				best = c
			}
		}
		if len(ps) < 500 {
			break
		}
		after = ps[len(ps)-1].ID
	}
	if best.ID == "" {
		f.Add("next_period_id", "no open %s period starts after %s; create the next period first, or name one", p.Kind, p.Name)
	}
	return best, nil
}

// Decide records the decision on a closed objective. keep and modify carry it
// into the next period as a draft with its key results (baseline = the final
// value, the same target unless modify gives a new one) and carried_from;
// aligned to the carried parent when the parent was carried too (whichever is
// decided first). It returns the new draft for keep and modify, the objective
// itself for drop.
func (a *App) Decide(ctx context.Context, actor org.Actor, objectiveID string, in DecisionInput, idemKey string) (okr.Objective, error) {
	var out okr.Objective
	if err := requireWrite(actor); err != nil {
		return out, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		id, err := idempotent(ctx, tx, actor, idemKey, "objective.decision", in, func() (string, error) {
			o, err := v.objective(objectiveID)
			if err != nil {
				return "", err
			}
			if err := reviewable(v, o, "decide what becomes of it"); err != nil {
				return "", err
			}
			if d, err := tx.GetDecision(ctx, actor.OrgID, o.ID); err == nil {
				return "", errs.E(errs.Conflict, "objective %q was already decided: %s", o.Title, d.Decision)
			} else if !errs.Is(err, errs.NotFound) {
				return "", err
			}
			var f errs.Fields
			switch in.Decision {
			case okr.Keep, okr.Modify, okr.Drop:
			default:
				f.Add("decision", "must be keep, modify or drop")
			}
			if in.Decision != okr.Modify && (in.Title != "" || len(in.Targets) > 0) {
				f.Add("decision", "title and targets change a carried objective: send them with modify")
			}
			d := okr.ObjectiveDecision{ObjectiveID: o.ID, OrgID: actor.OrgID, Decision: in.Decision, AuthorID: actor.UserID}
			result := o.ID
			if in.Decision == okr.Keep || in.Decision == okr.Modify {
				p, err := tx.GetPeriod(ctx, actor.OrgID, o.PeriodID)
				if err != nil {
					return "", err
				}
				next, err := nextPeriod(ctx, tx, actor.OrgID, p, in.NextPeriodID, &f)
				if err != nil {
					return "", err
				}
				if err := f.Err(); err != nil {
					return "", err
				}
				carried, err := carry(ctx, tx, actor, o, next, in, &f)
				if err != nil {
					return "", err
				}
				d.NextID, result = carried, carried
			} else if err := f.Err(); err != nil {
				return "", err
			}
			if err := tx.InsertDecision(ctx, &d); err != nil {
				return "", err
			}
			return result, record(ctx, tx, actor, "objective.decision", "objective", o.ID, nil, d)
		})
		if err != nil {
			return err
		}
		out, err = a.readObjective(ctx, tx, v, id)
		return err
	})
	return out, err
}

// carry creates the draft that continues o in next and returns its id.
func carry(ctx context.Context, tx Tx, actor org.Actor, o okr.Objective, next okr.Period, in DecisionInput, f *errs.Fields) (string, error) {
	krs, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{ObjectiveID: o.ID})
	if err != nil {
		return "", err
	}
	for id := range in.Targets {
		found := false
		for _, k := range krs {
			found = found || k.ID == id
		}
		if !found {
			f.Add("targets."+id, "is not a key result of %q", o.Title)
		}
	}
	n := okr.Objective{ID: NewID(), OrgID: actor.OrgID, PeriodID: next.ID, Title: o.Title, Description: o.Description,
		Owner: o.Owner, ChampionID: o.ChampionID, Kind: o.Kind, Visibility: o.Visibility, State: okr.Draft,
		Weight: o.Weight, Tags: append([]string{}, o.Tags...), CarriedFrom: o.ID, AlignmentNote: o.AlignmentNote}
	if t := strings.TrimSpace(in.Title); t != "" {
		n.Title = t
	}
	validateObjective(&n, f)
	// The carried objective keeps its slug unless the next period has it.
	slug, err := settleSlug(ctx, tx, actor.OrgID, okr.SlugObjective, next.ID, n.ID, "", o.Slug, "slug", f)
	if err != nil {
		return "", err
	}
	n.Slug = slug
	if err := f.Err(); err != nil {
		return "", err
	}
	als, err := carriedAlignments(ctx, tx, actor.OrgID, o, next.ID)
	if err != nil {
		return "", err
	}
	n.Alignments = als
	if err := tx.CreateObjective(ctx, &n); err != nil {
		return "", err
	}
	if err := tx.SetCarriedFrom(ctx, actor.OrgID, n.ID, o.ID); err != nil {
		return "", err
	}
	var carried []okr.KeyResult
	for _, k := range krs {
		c := carryKeyResult(k, n.ID, next.EndDate)
		if t, ok := in.Targets[k.ID]; ok {
			c.Target = t
		}
		var kf errs.Fields
		if err := validateKeyResult(ctx, tx, actor.OrgID, &c, &kf); err != nil {
			return "", err
		}
		for _, e := range kf {
			f.Add("targets."+k.ID, "%s: %s", e.Field, e.Message)
		}
		if len(kf) > 0 {
			continue
		}
		c.Current = c.Baseline
		if c.Kind == okr.Milestone || c.Kind == okr.Boolean {
			c.Current = k.Current
		}
		settle(&c)
		if err := tx.CreateKeyResult(ctx, &c); err != nil {
			return "", err
		}
		carried = append(carried, c)
		if err := record(ctx, tx, actor, "key_result.create", "key_result", c.ID, nil, c); err != nil {
			return "", err
		}
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	if err := realignCarriedChildren(ctx, tx, actor.OrgID, o, n); err != nil {
		return "", err
	}
	nodes := append(parentNodes(als), okr.Node{Type: okr.NodeObjective, ID: n.ID})
	if err := okr.Propagate(ctx, tx.Rollup(actor.OrgID), nodes...); err != nil {
		return "", err
	}
	// The continuation moves the same KPIs, and its key results fed by a KPI
	// or by learning records take their first value, as on creation.
	links, err := tx.ObjectiveKPIs(ctx, actor.OrgID, []string{o.ID})
	if err != nil {
		return "", err
	}
	if ids := links[o.ID]; len(ids) > 0 {
		if err := tx.SetObjectiveKPIs(ctx, actor.OrgID, n.ID, ids); err != nil {
			return "", err
		}
		n.KPIIDs = ids
	}
	learning := false
	for _, c := range carried {
		learning = learning || c.Source == okr.SourceLearning
		if err := followOnSave(ctx, tx, actor, c, ""); err != nil {
			return "", err
		}
	}
	if learning {
		if _, err := refreshLearning(ctx, tx, actor); err != nil {
			return "", err
		}
	}
	return n.ID, record(ctx, tx, actor, "objective.create", "objective", n.ID, nil, n)
}

// carryKeyResult is k continued in objective objectiveID: it starts at k's
// final value (kept inside the target, so an overshoot starts reached) and
// aims at the same target; milestones keep what is done.
func carryKeyResult(k okr.KeyResult, objectiveID string, due okr.Date) okr.KeyResult {
	c := okr.KeyResult{ID: NewID(), OrgID: k.OrgID, ObjectiveID: objectiveID, Slug: k.Slug, Title: k.Title, OwnerID: k.OwnerID, Kind: k.Kind,
		Unit: k.Unit, UnitLabel: k.UnitLabel, Currency: k.Currency, Baseline: k.Current, Target: k.Target, Weight: k.Weight,
		DueDate: due, Indicator: k.Indicator, Source: k.Source, Measure: k.Measure,
		Milestones: append([]okr.MilestoneItem{}, k.Milestones...)}
	if k.Band != nil {
		b := *k.Band
		c.Band = &b
	}
	switch k.Kind {
	case okr.Increase:
		c.Baseline = min(k.Current, k.Target)
	case okr.Decrease:
		c.Baseline = max(k.Current, k.Target)
	}
	return c
}

// carriedAlignments are the alignments of o's continuation in nextPeriod: a
// parent that was carried into nextPeriod is replaced by its continuation
// (a parent key result by the one of the same title there); a parent still
// open is kept; a closed parent that was not carried is left out.
func carriedAlignments(ctx context.Context, tx Tx, orgID string, o okr.Objective, nextPeriod string) ([]okr.Alignment, error) {
	var out []okr.Alignment
	for _, a := range o.Alignments {
		parentObjective := a.ParentID
		var parentKR okr.KeyResult
		if a.ParentType == okr.ParentKeyResult {
			k, err := tx.GetKeyResult(ctx, orgID, a.ParentID)
			if err != nil {
				return nil, err
			}
			parentKR, parentObjective = k, k.ObjectiveID
		}
		continuation, err := carriedInto(ctx, tx, orgID, parentObjective, nextPeriod)
		if err != nil {
			return nil, err
		}
		if continuation != "" {
			if a.ParentType == okr.ParentObjective {
				out = append(out, okr.Alignment{ParentType: okr.ParentObjective, ParentID: continuation, Link: a.Link})
				continue
			}
			kr, err := sameTitleKeyResult(ctx, tx, orgID, continuation, parentKR.Title)
			if err != nil {
				return nil, err
			}
			if kr != "" {
				out = append(out, okr.Alignment{ParentType: okr.ParentKeyResult, ParentID: kr, Link: a.Link})
				continue
			}
			out = append(out, okr.Alignment{ParentType: okr.ParentObjective, ParentID: continuation, Link: a.Link})
			continue
		}
		parent, err := tx.GetObjective(ctx, orgID, parentObjective)
		if err != nil {
			return nil, err
		}
		pp, err := tx.GetPeriod(ctx, orgID, parent.PeriodID)
		if err != nil {
			return nil, err
		}
		if parent.State != okr.Closed && pp.State != okr.PeriodClosed {
			out = append(out, okr.Alignment{ParentType: a.ParentType, ParentID: a.ParentID, Link: a.Link})
		}
	}
	return out, nil
}

// carriedInto is the objective of periodID that continues objectiveID, or "".
func carriedInto(ctx context.Context, tx Tx, orgID, objectiveID, periodID string) (string, error) {
	ids, err := tx.CarriedTo(ctx, orgID, objectiveID)
	if err != nil {
		return "", err
	}
	for _, id := range ids {
		c, err := tx.GetObjective(ctx, orgID, id)
		if err != nil {
			return "", err
		}
		if c.PeriodID == periodID {
			return id, nil
		}
	}
	return "", nil
}

// sameTitleKeyResult is the key result of objectiveID titled title, or "".
func sameTitleKeyResult(ctx context.Context, tx Tx, orgID, objectiveID, title string) (string, error) {
	krs, err := tx.ListKeyResults(ctx, orgID, okr.KeyResultFilter{ObjectiveID: objectiveID})
	if err != nil {
		return "", err
	}
	for _, k := range krs {
		if k.Title == title {
			return k.ID, nil
		}
	}
	return "", nil
}

// realignCarriedChildren: children of o (or of its key results) that were
// carried into n's period before o was lost that alignment (o was closed);
// they now align to n, still drafts, as they were aligned to o.
func realignCarriedChildren(ctx context.Context, tx Tx, orgID string, o, n okr.Objective) error {
	children, err := tx.AlignedChildren(ctx, orgID, okr.ParentObjective, o.ID)
	if err != nil {
		return err
	}
	krs, err := tx.ListKeyResults(ctx, orgID, okr.KeyResultFilter{ObjectiveID: o.ID})
	if err != nil {
		return err
	}
	for _, k := range krs {
		cs, err := tx.AlignedChildren(ctx, orgID, okr.ParentKeyResult, k.ID)
		if err != nil {
			return err
		}
		for i := range cs {
			// Point it at the continuation's key result of the same title, or the continuation itself.
			id, err := sameTitleKeyResult(ctx, tx, orgID, n.ID, k.Title)
			if err != nil {
				return err
			}
			if id == "" {
				cs[i].ParentType, cs[i].ParentID = okr.ParentObjective, n.ID
			} else {
				cs[i].ParentID = id
			}
		}
		children = append(children, cs...)
	}
	for _, a := range children {
		if a.ParentType == okr.ParentObjective {
			a.ParentID = n.ID
		}
		cont, err := carriedInto(ctx, tx, orgID, a.ChildID, n.PeriodID)
		if err != nil {
			return err
		}
		if cont == "" {
			continue
		}
		c, err := tx.GetObjective(ctx, orgID, cont)
		if err != nil {
			return err
		}
		if c.State != okr.Draft {
			continue
		}
		as := append([]okr.Alignment{}, c.Alignments...)
		dup := false
		for _, x := range as {
			dup = dup || x.ParentID == a.ParentID
		}
		if dup {
			continue
		}
		as = append(as, okr.Alignment{ParentType: a.ParentType, ParentID: a.ParentID, Link: a.Link})
		if err := tx.ReplaceAlignments(ctx, orgID, c.ID, as); err != nil {
			return err
		}
	}
	return nil
}
