package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// AlignmentInput links an objective to a parent objective or key result.
type AlignmentInput struct {
	ParentType okr.ParentType `json:"parent_type" enum:"objective,key_result"`
	ParentID   string         `json:"parent_id"`
	Link       okr.Link       `json:"link,omitempty" enum:"contributes,supports" doc:"contributes counts in the parent's progress; supports is shown only. Default contributes."`
}

// OwnerInput says who owns an objective.
type OwnerInput struct {
	Type okr.OwnerType `json:"type" enum:"org,team,user"`
	ID   string        `json:"id,omitempty" doc:"The team's or the person's id; empty for the organization."`
}

// ObjectiveInput creates an objective.
type ObjectiveInput struct {
	PeriodID    string             `json:"period_id"`
	Slug        string             `json:"slug,omitempty" doc:"Stable key within the period; default: from the title."`
	Title       string             `json:"title"`
	Description string             `json:"description,omitempty"`
	Owner       OwnerInput         `json:"owner"`
	ChampionID  string             `json:"champion_id,omitempty" doc:"The one accountable person."`
	Kind        okr.ObjectiveKind  `json:"kind,omitempty" enum:"committed,aspirational" doc:"Default committed."`
	Visibility  okr.Visibility     `json:"visibility,omitempty" enum:"public,team,private" doc:"Default public."`
	State       okr.ObjectiveState `json:"state,omitempty" enum:"draft,active" doc:"Default active."`
	Weight      *float64           `json:"weight,omitempty" doc:"Its share in its parents' progress; default 1."`
	Tags        []string           `json:"tags,omitempty"`
	Alignments  []AlignmentInput   `json:"alignments,omitempty"`
	KPIIDs      []string           `json:"kpi_ids,omitempty" doc:"The KPIs the objective is meant to move."`
	// AlignmentNote says why the objective aligns to nothing above it.
	AlignmentNote string `json:"alignment_note,omitempty" doc:"Why the objective aligns to nothing above it."`
}

// ObjectiveUpdate changes an objective; absent fields stay.
type ObjectiveUpdate struct {
	Slug          *string             `json:"slug,omitempty" doc:"Stable key within the period."`
	Title         *string             `json:"title,omitempty"`
	Description   *string             `json:"description,omitempty"`
	Owner         *OwnerInput         `json:"owner,omitempty"`
	ChampionID    *string             `json:"champion_id,omitempty"`
	Kind          *okr.ObjectiveKind  `json:"kind,omitempty" enum:"committed,aspirational"`
	Visibility    *okr.Visibility     `json:"visibility,omitempty" enum:"public,team,private"`
	State         *okr.ObjectiveState `json:"state,omitempty" enum:"draft,active,closed"`
	Outcome       *okr.Outcome        `json:"outcome,omitempty" enum:"achieved,missed,abandoned" doc:"Required when closing."`
	Weight        *float64            `json:"weight,omitempty"`
	Tags          *[]string           `json:"tags,omitempty"`
	Alignments    *[]AlignmentInput   `json:"alignments,omitempty" doc:"Replaces every alignment of the objective."`
	KPIIDs        *[]string           `json:"kpi_ids,omitempty" doc:"Replaces the KPIs the objective names."`
	AlignmentNote *string             `json:"alignment_note,omitempty" doc:"Why the objective aligns to nothing above it."`
}

// validateObjective checks an objective's own fields (not its ownership).
func validateObjective(o *okr.Objective, f *errs.Fields) {
	o.Title = strings.TrimSpace(o.Title)
	switch n := len([]rune(o.Title)); {
	case n == 0:
		f.Add("title", "is required")
	case n > 200:
		f.Add("title", "is %d characters long; keep it under 200", n)
	}
	switch o.Kind {
	case okr.Committed, okr.Aspirational:
	default:
		f.Add("kind", "must be committed or aspirational")
	}
	switch o.Visibility {
	case okr.Public, okr.Team, okr.Private:
	default:
		f.Add("visibility", "must be public, team or private")
	}
	if o.Weight < 0 || o.Weight > maxWeight || !finite(o.Weight) {
		f.Add("weight", "must be between 0 and %d", maxWeight)
	}
	o.AlignmentNote = strings.TrimSpace(o.AlignmentNote)
	if n := len([]rune(o.AlignmentNote)); n > 1000 {
		f.Add("alignment_note", "is %d characters long; keep it under 1000", n)
	}
	switch o.State {
	case okr.Draft, okr.Active:
		if o.Outcome != "" {
			f.Add("outcome", "only a closed objective has an outcome")
		}
	case okr.Closed:
		switch o.Outcome {
		case okr.Achieved, okr.Missed, okr.Abandoned:
		default:
			f.Add("outcome", "say how it ended: achieved, missed or abandoned")
		}
	default:
		f.Add("state", "must be draft, active or closed")
	}
	for i, t := range o.Tags {
		o.Tags[i] = strings.TrimSpace(t)
		if o.Tags[i] == "" {
			f.Add("tags", "tags cannot be empty")
		}
	}
}

// validateOwnership checks the objective's owner and champion exist and that
// the actor may give the objective to them.
func validateOwnership(v *access, o *okr.Objective, f *errs.Fields) error {
	ctx, tx, orgID := v.ctx, v.tx, v.actor.OrgID
	switch o.Owner.Type {
	case okr.OwnerOrg:
		o.Owner.ID = ""
		if !v.actor.EditsAll() {
			f.Add("owner", "only admins may set organization objectives; own it by your team or yourself")
		}
	case okr.OwnerTeam:
		if _, err := tx.GetTeam(ctx, orgID, o.Owner.ID); errs.Is(err, errs.NotFound) {
			f.Add("owner.id", "no team %s in this organization", o.Owner.ID)
		} else if err != nil {
			return err
		} else if !v.actor.EditsAll() {
			if in, err := v.inTeam(o.Owner.ID); err != nil {
				return err
			} else if !in {
				f.Add("owner", "you may only set objectives for teams you belong to")
			}
		}
	case okr.OwnerUser:
		if o.Owner.ID == "" {
			o.Owner.ID = v.actor.UserID
		}
		if _, err := tx.GetMember(ctx, orgID, o.Owner.ID); errs.Is(err, errs.NotFound) {
			f.Add("owner.id", "no member %s in this organization", o.Owner.ID)
		} else if err != nil {
			return err
		} else if !v.actor.EditsAll() && o.Owner.ID != v.actor.UserID && o.ChampionID != v.actor.UserID {
			f.Add("owner", "you may only set objectives for yourself or your teams")
		}
	default:
		f.Add("owner.type", "must be org, team or user")
	}
	if o.ChampionID != "" {
		if _, err := tx.GetMember(ctx, orgID, o.ChampionID); errs.Is(err, errs.NotFound) {
			f.Add("champion_id", "no member %s in this organization", o.ChampionID)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// resolveAlignments checks an objective's parents: they exist, the actor
// sees them, and no cycle forms.
func resolveAlignments(v *access, childID string, in []AlignmentInput, f *errs.Fields) ([]okr.Alignment, error) {
	out := make([]okr.Alignment, 0, len(in))
	seen := map[string]bool{}
	for i, a := range in {
		field := fmt.Sprintf("alignments[%d]", i)
		if a.Link == "" {
			a.Link = okr.Contributes
		}
		if a.Link != okr.Contributes && a.Link != okr.Supports {
			f.Add(field+".link", "must be contributes or supports")
			continue
		}
		var parent okr.Objective
		switch a.ParentType {
		case okr.ParentObjective:
			o, err := v.objective(a.ParentID)
			if errs.Is(err, errs.NotFound) {
				f.Add(field+".parent_id", "no objective %s in this organization", a.ParentID)
				continue
			} else if err != nil {
				return nil, err
			}
			parent = o
		case okr.ParentKeyResult:
			_, o, err := v.keyResult(a.ParentID)
			if errs.Is(err, errs.NotFound) {
				f.Add(field+".parent_id", "no key result %s in this organization", a.ParentID)
				continue
			} else if err != nil {
				return nil, err
			}
			parent = o
		default:
			f.Add(field+".parent_type", "must be objective or key_result")
			continue
		}
		if a.Link == okr.Contributes {
			// A closed objective's progress is final: nothing may count in it any more.
			if _, err := v.openObjective(parent); errs.Is(err, errs.Conflict) {
				f.Add(field+".link", "%q is closed, so nothing can contribute to it any more; link with supports instead", parent.Title)
				continue
			} else if err != nil {
				return nil, err
			}
		}
		parentObjective := parent.ID
		if seen[a.ParentID] {
			f.Add(field+".parent_id", "is listed twice")
			continue
		}
		seen[a.ParentID] = true
		cycle, err := okr.WouldCycle(v.ctx, func(ctx context.Context, id string) ([]string, error) {
			return v.tx.ParentObjectiveIDs(ctx, v.actor.OrgID, id)
		}, childID, parentObjective)
		if err != nil {
			return nil, err
		}
		if cycle {
			f.Add(field+".parent_id", "aligning here would make the objective its own ancestor")
			continue
		}
		out = append(out, okr.Alignment{ParentType: a.ParentType, ParentID: a.ParentID, Link: a.Link})
	}
	return out, nil
}

// parentNodes are the roll-up nodes an objective contributes to.
func parentNodes(as []okr.Alignment) []okr.Node {
	var out []okr.Node
	for _, a := range as {
		if a.Link != okr.Contributes {
			continue
		}
		t := okr.NodeObjective
		if a.ParentType == okr.ParentKeyResult {
			t = okr.NodeKeyResult
		}
		out = append(out, okr.Node{Type: t, ID: a.ParentID})
	}
	return out
}

// CreateObjective creates an objective, aligns it and rolls its parents up.
func (a *App) CreateObjective(ctx context.Context, actor org.Actor, in ObjectiveInput, idemKey string) (okr.Objective, error) {
	var o okr.Objective
	if err := requireWrite(actor); err != nil {
		return o, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		id, err := idempotent(ctx, tx, actor, idemKey, "objective.create", in, func() (string, error) {
			o = okr.Objective{ID: NewID(), OrgID: actor.OrgID, PeriodID: in.PeriodID, Title: in.Title, Description: in.Description,
				Owner: okr.Owner{Type: in.Owner.Type, ID: in.Owner.ID}, ChampionID: in.ChampionID, Kind: in.Kind,
				Visibility: in.Visibility, State: in.State, Weight: 1, Tags: append([]string{}, in.Tags...), AlignmentNote: in.AlignmentNote}
			if o.Kind == "" {
				o.Kind = okr.Committed
			}
			if o.Visibility == "" {
				o.Visibility = okr.Public
			}
			if o.State == "" {
				o.State = okr.Active
			}
			if in.Weight != nil {
				o.Weight = *in.Weight
			}
			var f errs.Fields
			if p, err := tx.GetPeriod(ctx, actor.OrgID, in.PeriodID); errs.Is(err, errs.NotFound) {
				f.Add("period_id", "no period %s in this organization", in.PeriodID)
			} else if err != nil {
				return "", err
			} else if p.State == okr.PeriodClosed {
				return "", errs.E(errs.Conflict, "period %s is closed; add objectives to an open period", p.Name)
			}
			if o.State == okr.Closed {
				f.Add("state", "a new objective is draft or active")
			}
			validateObjective(&o, &f)
			if err := validateOwnership(v, &o, &f); err != nil {
				return "", err
			}
			slug, err := settleSlug(ctx, tx, actor.OrgID, okr.SlugObjective, o.PeriodID, o.ID, in.Slug, o.Title, "slug", &f)
			if err != nil {
				return "", err
			}
			o.Slug = slug
			als, err := resolveAlignments(v, o.ID, in.Alignments, &f)
			if err != nil {
				return "", err
			}
			if o.KPIIDs, err = resolveKPIIDs(ctx, tx, actor.OrgID, in.KPIIDs, &f); err != nil {
				return "", err
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			o.Alignments = als
			if err := tx.CreateObjective(ctx, &o); err != nil {
				return "", err
			}
			if err := tx.SetObjectiveKPIs(ctx, actor.OrgID, o.ID, o.KPIIDs); err != nil {
				return "", err
			}
			if err := okr.Propagate(ctx, tx.Rollup(actor.OrgID), parentNodes(als)...); err != nil {
				return "", err
			}
			return o.ID, record(ctx, tx, actor, "objective.create", "objective", o.ID, nil, o)
		})
		if err != nil {
			return err
		}
		o, err = a.readObjective(ctx, tx, v, id)
		return err
	})
	return o, err
}

// readObjective loads a visible objective with its health.
func (a *App) readObjective(ctx context.Context, tx Tx, v *access, id string) (okr.Objective, error) {
	o, err := v.objective(id)
	if err != nil {
		return o, err
	}
	h, err := loadSignals(ctx, tx, v.actor.OrgID)
	if err != nil {
		return o, err
	}
	krs, err := tx.ListKeyResults(ctx, v.actor.OrgID, okr.KeyResultFilter{ObjectiveID: id})
	if err != nil {
		return o, err
	}
	if _, err = a.decorateObjective(ctx, tx, v, h, &o, krs); err != nil {
		return o, err
	}
	one := []okr.Objective{o}
	err = fillKPIIDs(ctx, tx, v.actor.OrgID, one)
	return one[0], err
}

// GetObjective returns an objective the actor may see.
func (a *App) GetObjective(ctx context.Context, actor org.Actor, id string) (okr.Objective, error) {
	var o okr.Objective
	if err := requireRead(actor); err != nil {
		return o, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		o, err = a.readObjective(ctx, tx, newAccess(ctx, tx, actor), id)
		return err
	})
	return o, err
}

// ObjectiveQuery filters the objective list.
type ObjectiveQuery struct {
	PeriodID  string
	OwnerType okr.OwnerType
	OwnerID   string
	PageRequest
}

// ListObjectives lists the objectives the actor may see.
func (a *App) ListObjectives(ctx context.Context, actor org.Actor, q ObjectiveQuery) (Page[okr.Objective], error) {
	return readPage(ctx, a, actor, q.PageRequest, func(o okr.Objective) string { return o.ID },
		func(tx Tx, after string, limit int) ([]okr.Objective, error) {
			return tx.ListObjectives(ctx, actor.OrgID, okr.ObjectiveFilter{PeriodID: q.PeriodID, OwnerType: q.OwnerType,
				OwnerID: q.OwnerID, After: after, Limit: limit})
		},
		func(tx Tx, page *Page[okr.Objective]) error {
			ids := make([]string, len(page.Items))
			for i, o := range page.Items {
				ids[i] = o.ID
			}
			var krs []okr.KeyResult
			if len(ids) > 0 {
				var err error
				if krs, err = tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{ObjectiveIDs: ids}); err != nil {
					return err
				}
			}
			byObjective := map[string][]okr.KeyResult{}
			for _, k := range krs {
				byObjective[k.ObjectiveID] = append(byObjective[k.ObjectiveID], k)
			}
			v := newAccess(ctx, tx, actor)
			h, err := loadSignals(ctx, tx, actor.OrgID)
			if err != nil {
				return err
			}
			page.Items, err = keepIf(page.Items, func(o *okr.Objective) (bool, error) {
				return a.decorateObjective(ctx, tx, v, h, o, byObjective[o.ID])
			})
			if err != nil {
				return err
			}
			return fillKPIIDs(ctx, tx, actor.OrgID, page.Items)
		})
}

// decorateObjective prepares an objective for a reader: false when they may
// not see it; else its alignments are cut to the parents they may see and
// its health and signals filled in.
func (a *App) decorateObjective(ctx context.Context, tx Tx, v *access, h *signals, o *okr.Objective, krs []okr.KeyResult) (bool, error) {
	if ok, err := v.canSee(*o); err != nil || !ok {
		return false, err
	}
	var err error
	if o.Alignments, err = v.visibleAlignments(o.Alignments); err != nil {
		return false, err
	}
	period, err := h.period(ctx, tx, v.actor.OrgID, o.PeriodID)
	if err != nil {
		return false, err
	}
	h.objective(o, krs, period)
	return true, h.err()
}

// UpdateObjective changes an objective; re-alignment and weight changes roll
// every ancestor up in the same transaction.
func (a *App) UpdateObjective(ctx context.Context, actor org.Actor, id string, ifMatch *int, in ObjectiveUpdate) (okr.Objective, error) {
	var o okr.Objective
	if err := requireWrite(actor); err != nil {
		return o, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		before, _, err := v.editableObjective(id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "objective"); err != nil {
			return err
		}
		withKPIs := []okr.Objective{before}
		if err := fillKPIIDs(ctx, tx, actor.OrgID, withKPIs); err != nil {
			return err
		}
		before = withKPIs[0]
		o = before
		o.Tags = append([]string{}, before.Tags...)
		setIf(&o.Title, in.Title)
		setIf(&o.Description, in.Description)
		if in.Owner != nil {
			o.Owner = okr.Owner{Type: in.Owner.Type, ID: in.Owner.ID}
		}
		setIf(&o.ChampionID, in.ChampionID)
		setIf(&o.Kind, in.Kind)
		setIf(&o.Visibility, in.Visibility)
		setIf(&o.State, in.State)
		setIf(&o.Outcome, in.Outcome)
		setIf(&o.Weight, in.Weight)
		setIf(&o.Tags, in.Tags)
		setIf(&o.AlignmentNote, in.AlignmentNote)
		var f errs.Fields
		validateObjective(&o, &f)
		if in.Slug != nil && *in.Slug != before.Slug {
			if o.Slug, err = settleSlug(ctx, tx, actor.OrgID, okr.SlugObjective, o.PeriodID, o.ID, *in.Slug, o.Title, "slug", &f); err != nil {
				return err
			}
		}
		if in.Owner != nil || in.ChampionID != nil {
			if err := validateOwnership(v, &o, &f); err != nil {
				return err
			}
		}
		if before.State == okr.Active && o.State == okr.Draft {
			f.Add("state", "an active objective cannot go back to draft")
		}
		rollup := []okr.Node{}
		if in.Alignments != nil {
			als, err := resolveAlignments(v, o.ID, *in.Alignments, &f)
			if err != nil {
				return err
			}
			if err := f.Err(); err != nil {
				return err
			}
			if err := tx.ReplaceAlignments(ctx, actor.OrgID, o.ID, als); err != nil {
				return err
			}
			rollup = append(parentNodes(before.Alignments), parentNodes(als)...)
			o.Alignments = als
		}
		if in.KPIIDs != nil {
			if o.KPIIDs, err = resolveKPIIDs(ctx, tx, actor.OrgID, *in.KPIIDs, &f); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if in.KPIIDs != nil {
			if err := tx.SetObjectiveKPIs(ctx, actor.OrgID, o.ID, o.KPIIDs); err != nil {
				return err
			}
		}
		if o.Weight != before.Weight {
			rollup = append(rollup, parentNodes(o.Alignments)...)
		}
		if err := tx.UpdateObjective(ctx, &o, before.Version); err != nil {
			return err
		}
		if err := okr.Propagate(ctx, tx.Rollup(actor.OrgID), rollup...); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "objective.update", "objective", id, before, o); err != nil {
			return err
		}
		if err := celebrateObjective(ctx, tx, actor, before, o); err != nil {
			return err
		}
		o, err = a.readObjective(ctx, tx, v, id)
		return err
	})
	return o, err
}

// DeleteObjective removes an objective with its key results and check-ins,
// and rolls up what it contributed to.
func (a *App) DeleteObjective(ctx context.Context, actor org.Actor, id string) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		before, _, err := v.editableObjective(id)
		if err != nil {
			return err
		}
		krs, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{ObjectiveID: id})
		if err != nil {
			return err
		}
		if err := tx.DeleteObjective(ctx, actor.OrgID, id); err != nil {
			return err
		}
		// The skills it and its key results required go with them.
		subjects := []learning.Subject{{Type: learning.SubjectObjective, ID: id}}
		for _, k := range krs {
			subjects = append(subjects, learning.Subject{Type: learning.SubjectKeyResult, ID: k.ID})
		}
		for _, s := range subjects {
			if err := tx.DeleteRequirementsOf(ctx, actor.OrgID, s); err != nil {
				return err
			}
		}
		if err := okr.Propagate(ctx, tx.Rollup(actor.OrgID), parentNodes(before.Alignments)...); err != nil {
			return err
		}
		return record(ctx, tx, actor, "objective.delete", "objective", id, before, nil)
	})
}
