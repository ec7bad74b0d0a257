package app

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// ObjectiveOverview is everything an objective's page shows, as its reader
// may see it.
type ObjectiveOverview struct {
	Objective okr.Objective
	Period    okr.Period
	// Confidence is the weighted mean of its key results' last confidence.
	Confidence *float64
	// CanEdit: the reader may change the objective now (it is theirs or
	// they are an admin, and neither it nor its period is closed).
	CanEdit bool
	// Ancestors are the primary parents up to the top, top first.
	Ancestors []okr.Objective
	// Parents are its alignments up that the reader may see.
	Parents []AlignedObjective
	// KeyResults with the values to chart.
	KeyResults []KeyResultOverview
	// CheckIns are the newest check-ins over all its key results, newest
	// first, at most RecentCheckIns.
	CheckIns []okr.CheckIn
	// Initiatives linked to its key results, each once.
	Initiatives []okr.Initiative
	// Children are the objectives aligned to it or to one of its key results.
	Children []AlignedObjective
}

// RecentCheckIns is how many check-ins an objective's overview lists.
const RecentCheckIns = 20

// AlignedObjective is an objective at the other end of an alignment.
type AlignedObjective struct {
	Objective okr.Objective
	Link      okr.Link
	// KeyResult is the key result the alignment goes through (the parent's
	// for a parent, this objective's for a child); nil when it links the
	// objectives directly.
	KeyResult *okr.KeyResult
}

// KeyResultOverview is a key result with its values over time.
type KeyResultOverview struct {
	okr.KeyResult
	Series []ValuePoint
}

// ValuePoint is a key result at the end of a day: its value then (nil in
// the future) and its forecast (nil where no forecast line runs).
type ValuePoint struct {
	Date     okr.Date
	Value    *float64
	Forecast *float64
}

// ObjectiveOverview returns an objective's page: the objective with its key
// results and their value history, recent check-ins, initiatives and
// alignments up and down. An objective hidden from the actor is NotFound.
func (a *App) ObjectiveOverview(ctx context.Context, actor org.Actor, id string) (ObjectiveOverview, error) {
	var out ObjectiveOverview
	if err := requireRead(actor); err != nil {
		return out, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		h, err := loadSignals(ctx, tx, actor.OrgID)
		if err != nil {
			return err
		}
		// load reads a visible objective with its key results and signals.
		load := func(id string) (okr.Objective, []okr.KeyResult, error) {
			o, err := v.objective(id)
			if err != nil {
				return o, nil, err
			}
			krs, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{ObjectiveID: id})
			if err != nil {
				return o, nil, err
			}
			_, err = a.decorateObjective(ctx, tx, v, h, &o, krs)
			return o, krs, err
		}
		o, krs, err := load(id)
		if err != nil {
			return err
		}
		out.Objective = o
		out.Confidence = ObjectiveConfidence(krs)
		if out.Period, err = h.period(ctx, tx, actor.OrgID, o.PeriodID); err != nil {
			return err
		}
		if ok, err := v.canEdit(o); err != nil {
			return err
		} else if ok {
			_, err := v.openObjective(o)
			out.CanEdit = err == nil
		}

		// Up: every visible alignment, and the primary chain for breadcrumbs.
		for _, al := range o.Alignments {
			p, err := a.alignedParent(v, load, al)
			if err != nil {
				return err
			}
			out.Parents = append(out.Parents, p)
		}
		seen := map[string]bool{o.ID: true}
		for cur := o; len(out.Ancestors) < 20; {
			al := primaryParent(cur.Alignments)
			if al == nil {
				break
			}
			p, err := a.alignedParent(v, load, *al)
			if err != nil {
				return err
			}
			if seen[p.Objective.ID] {
				break
			}
			seen[p.Objective.ID] = true
			out.Ancestors = append([]okr.Objective{p.Objective}, out.Ancestors...)
			cur = p.Objective
		}

		// Down: objectives aligned to it or to its key results.
		type via struct {
			t  okr.ParentType
			id string
			kr *okr.KeyResult
		}
		parents := []via{{okr.ParentObjective, o.ID, nil}}
		for i := range krs {
			parents = append(parents, via{okr.ParentKeyResult, krs[i].ID, &krs[i]})
		}
		for _, p := range parents {
			als, err := tx.AlignedChildren(ctx, actor.OrgID, p.t, p.id)
			if err != nil {
				return err
			}
			for _, al := range als {
				c, _, err := load(al.ChildID)
				if errs.Is(err, errs.NotFound) {
					continue
				} else if err != nil {
					return err
				}
				out.Children = append(out.Children, AlignedObjective{Objective: c, Link: al.Link, KeyResult: p.kr})
			}
		}
		sort.SliceStable(out.Children, func(i, j int) bool { return out.Children[i].Objective.Title < out.Children[j].Objective.Title })

		// Key results, their history, and the work linked to them.
		seenInitiative := map[string]bool{}
		for _, k := range krs {
			cs, err := tx.ListCheckIns(ctx, actor.OrgID, k.ID, "", 1000)
			if err != nil {
				return err
			}
			out.CheckIns = append(out.CheckIns, cs...)
			out.KeyResults = append(out.KeyResults, KeyResultOverview{KeyResult: k,
				Series: ValueSeries(k, cs, out.Period.StartDate, h.now, h.loc)})
			ins, err := tx.ListInitiatives(ctx, actor.OrgID, okr.InitiativeFilter{KeyResultID: k.ID})
			if err != nil {
				return err
			}
			for i := range ins {
				if seenInitiative[ins[i].ID] {
					continue
				}
				if ok, err := v.readableInitiative(&ins[i]); err != nil {
					return err
				} else if ok {
					seenInitiative[ins[i].ID] = true
					out.Initiatives = append(out.Initiatives, ins[i])
				}
			}
		}
		sort.SliceStable(out.CheckIns, func(i, j int) bool { return out.CheckIns[i].Created.After(out.CheckIns[j].Created) })
		if len(out.CheckIns) > RecentCheckIns {
			out.CheckIns = out.CheckIns[:RecentCheckIns]
		}
		return nil
	})
	return out, err
}

// alignedParent loads the parent an alignment points at.
func (a *App) alignedParent(v *access, load func(string) (okr.Objective, []okr.KeyResult, error), al okr.Alignment) (AlignedObjective, error) {
	p := AlignedObjective{Link: al.Link}
	objectiveID := al.ParentID
	if al.ParentType == okr.ParentKeyResult {
		k, _, err := v.keyResult(al.ParentID)
		if err != nil {
			return p, err
		}
		objectiveID = k.ObjectiveID
		p.KeyResult = &k
	}
	o, krs, err := load(objectiveID)
	if err != nil {
		return p, err
	}
	p.Objective = o
	if p.KeyResult != nil {
		// The decorated copy carries the key result's health.
		if i := slices.IndexFunc(krs, func(k okr.KeyResult) bool { return k.ID == al.ParentID }); i >= 0 {
			p.KeyResult = &krs[i]
		}
	}
	return p, nil
}

// ValueSeries samples a key result's value weekly from the period's start to
// its due date (and today, when today falls between), at the end of each
// day: the value then from its check-ins (newest first, as the store lists
// them), its baseline before the first. Past today the value is nil; the
// forecast runs from today's value to the forecast on the due date when the
// key result has one.
func ValueSeries(k okr.KeyResult, checkIns []okr.CheckIn, start okr.Date, now time.Time, loc *time.Location) []ValuePoint {
	if loc == nil {
		loc = time.UTC
	}
	from, err1 := start.Time(loc)
	due, err2 := k.DueDate.Time(loc)
	if err1 != nil || err2 != nil || due.Before(from) {
		return nil
	}
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	var days []time.Time
	for t := from; t.Before(due); t = t.AddDate(0, 0, 7) {
		days = append(days, t)
	}
	days = append(days, due)
	if today.After(from) && today.Before(due) {
		i, found := slices.BinarySearchFunc(days, today, func(a, b time.Time) int { return a.Compare(b) })
		if !found {
			days = slices.Insert(days, i, today)
		}
	}
	asc := slices.Clone(checkIns)
	sort.SliceStable(asc, func(i, j int) bool { return asc[i].Created.Before(asc[j].Created) })
	valueAt := func(day time.Time) float64 {
		end := day.AddDate(0, 0, 1)
		v := k.Baseline
		if len(asc) > 0 {
			v = asc[0].PreviousValue
		}
		for _, c := range asc {
			if !c.Created.Before(end) {
				break
			}
			v = c.Value
		}
		return v
	}
	out := make([]ValuePoint, len(days))
	for i, day := range days {
		out[i].Date = okr.Date(day.Format(okr.DateLayout))
		switch {
		case day.Equal(today):
			v := k.Current // now: the current value, whatever set it
			out[i].Value = &v
		case day.Before(today):
			v := valueAt(day)
			out[i].Value = &v
		}
		if k.Forecast != nil && !today.Before(from) && today.Before(due) && !day.Before(today) {
			f := k.Current + (k.Forecast.Value-k.Current)*day.Sub(today).Hours()/due.Sub(today).Hours()
			out[i].Forecast = &f
		}
	}
	return out
}
