package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// ActivityKind says what happened.
type ActivityKind string

// Activity kinds.
const (
	ActivityCheckIn ActivityKind = "check_in"
	ActivityComment ActivityKind = "comment"
)

// Activity is one recent thing that happened on an objective the actor may
// see: a check-in on one of its key results, or a comment on it, on one of
// its key results or on one of their check-ins.
type Activity struct {
	Kind     ActivityKind `json:"kind"`
	At       time.Time    `json:"at"`
	AuthorID string       `json:"author_id"`
	// Objective is the objective it happened on; KeyResult the key result,
	// when it happened on one (nil for a comment on the objective itself).
	Objective okr.Objective  `json:"objective"`
	KeyResult *okr.KeyResult `json:"key_result,omitempty"`
	// CheckIn is set for a check-in, Comment for a comment (with CheckIn
	// set too when the comment is about a check-in).
	CheckIn *okr.CheckIn `json:"check_in,omitempty"`
	Comment *okr.Comment `json:"comment,omitempty"`
}

// ID is the id of the check-in or comment.
func (x Activity) ID() string {
	if x.Comment != nil {
		return x.Comment.ID
	}
	if x.CheckIn != nil {
		return x.CheckIn.ID
	}
	return ""
}

const (
	defaultActivity = 20
	maxActivity     = 100
)

// RecentActivity returns what happened lately on the objectives of open
// (planning or active) periods that the actor may see: check-ins on their
// key results and comments on them, their key results and the check-ins
// listed, newest first, at most limit (default 20, at most 100). Visibility
// is the objectives' own, as in ListObjectives: nothing of an objective
// hidden from the actor appears.
func (a *App) RecentActivity(ctx context.Context, actor org.Actor, limit int) ([]Activity, error) {
	if err := requireRead(actor); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultActivity
	}
	limit = min(limit, maxActivity)
	var out []Activity
	err := a.db.Read(ctx, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		periods, err := allPeriods(ctx, tx, actor.OrgID)
		if err != nil {
			return err
		}
		objectives := map[string]okr.Objective{}
		var ids []string
		for _, p := range periods {
			if p.State == okr.PeriodClosed {
				continue
			}
			os, err := tx.ListObjectives(ctx, actor.OrgID, okr.ObjectiveFilter{PeriodID: p.ID})
			if err != nil {
				return err
			}
			for _, o := range os {
				if ok, err := v.canSee(o); err != nil {
					return err
				} else if ok {
					o.Alignments = nil // not needed here, and may name hidden parents
					objectives[o.ID] = o
					ids = append(ids, o.ID)
				}
			}
		}
		if len(ids) == 0 {
			return nil
		}
		krs, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{ObjectiveIDs: ids})
		if err != nil {
			return err
		}
		byID := make(map[string]*okr.KeyResult, len(krs))
		for i := range krs {
			byID[krs[i].ID] = &krs[i]
		}
		checkIns, err := newestKept(limit, func(before string, n int) ([]okr.CheckIn, error) {
			return tx.RecentCheckIns(ctx, actor.OrgID, before, n)
		}, func(c okr.CheckIn) string { return c.ID }, func(c okr.CheckIn) (bool, error) {
			_, ok := byID[c.KeyResultID]
			return ok, nil
		})
		if err != nil {
			return err
		}
		seen := map[string]*okr.CheckIn{}
		for i := range checkIns {
			c := &checkIns[i]
			k := byID[c.KeyResultID]
			seen[c.ID] = c
			out = append(out, Activity{Kind: ActivityCheckIn, At: c.Created, AuthorID: c.AuthorID,
				Objective: objectives[k.ObjectiveID], KeyResult: k, CheckIn: c})
		}
		// Comments on the objectives, their key results and their check-ins.
		about := map[string]Activity{} // comment id → what it is about
		comments, err := newestKept(limit, func(before string, n int) ([]okr.Comment, error) {
			return tx.RecentComments(ctx, actor.OrgID, before, n)
		}, func(c okr.Comment) string { return c.ID }, func(c okr.Comment) (bool, error) {
			x := Activity{}
			switch c.SubjectType {
			case okr.SubjectObjective:
				o, ok := objectives[c.SubjectID]
				if !ok {
					return false, nil
				}
				x.Objective = o
			case okr.SubjectKeyResult:
				k, ok := byID[c.SubjectID]
				if !ok {
					return false, nil
				}
				x.Objective, x.KeyResult = objectives[k.ObjectiveID], k
			case okr.SubjectCheckIn:
				ci, ok := seen[c.SubjectID]
				if !ok {
					got, err := tx.GetCheckIn(ctx, actor.OrgID, c.SubjectID)
					if errs.Is(err, errs.NotFound) {
						return false, nil
					}
					if err != nil {
						return false, err
					}
					if _, visible := byID[got.KeyResultID]; !visible {
						return false, nil
					}
					ci = &got
				}
				k := byID[ci.KeyResultID]
				x.Objective, x.KeyResult, x.CheckIn = objectives[k.ObjectiveID], k, ci
			default:
				return false, nil
			}
			about[c.ID] = x
			return true, nil
		})
		if err != nil {
			return err
		}
		for i := range comments {
			c := &comments[i]
			x := about[c.ID]
			x.Kind, x.At, x.AuthorID, x.Comment = ActivityComment, c.Created, c.AuthorID, c
			out = append(out, x)
		}
		newestFirst(out)
		out = out[:min(len(out), limit)]
		return nil
	})
	return out, err
}

// activityScan bounds how many rows newestKept reads to find what it keeps,
// so that an organization whose newest activity is all hidden from the
// reader still answers quickly.
const activityScan = 2000

// newestKept reads rows newest first, in batches, until it has kept limit
// of them or read activityScan.
func newestKept[T any](limit int, read func(before string, n int) ([]T, error), id func(T) string, keep func(T) (bool, error)) ([]T, error) {
	var out []T
	before, batch := "", max(4*limit, 50)
	for scanned := 0; len(out) < limit && scanned < activityScan; {
		rows, err := read(before, batch)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			ok, err := keep(r)
			if err != nil {
				return nil, err
			}
			if ok && len(out) < limit {
				out = append(out, r)
			}
		}
		if len(rows) < batch {
			break
		}
		scanned += len(rows)
		before = id(rows[len(rows)-1])
	}
	return out, nil
}

// newestFirst sorts activity newest first (ids, time-ordered, break ties).
func newestFirst(xs []Activity) {
	slices.SortStableFunc(xs, func(a, b Activity) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return strings.Compare(b.ID(), a.ID())
	})
}

// allPeriods reads every period of an organization.
func allPeriods(ctx context.Context, tx Tx, orgID string) ([]okr.Period, error) {
	var out []okr.Period
	after := ""
	for {
		ps, err := tx.ListPeriods(ctx, orgID, after, maxLimit)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
		if len(ps) < maxLimit {
			return out, nil
		}
		after = ps[len(ps)-1].ID
	}
}

// MyObjectives returns the objectives of a period that the actor owns: their
// own, those they champion and those of the teams they lead or belong to,
// with health and signals filled in; the organization's first, then teams',
// then people's, each by title.
func (a *App) MyObjectives(ctx context.Context, actor org.Actor, periodID string) ([]okr.Objective, error) {
	if err := requireRead(actor); err != nil {
		return nil, err
	}
	var out []okr.Objective
	err := a.db.Read(ctx, func(tx Tx) error {
		if _, err := tx.GetPeriod(ctx, actor.OrgID, periodID); err != nil {
			return err
		}
		v := newAccess(ctx, tx, actor)
		os, err := tx.ListObjectives(ctx, actor.OrgID, okr.ObjectiveFilter{PeriodID: periodID})
		if err != nil {
			return err
		}
		var ids []string
		for _, o := range os {
			if own, err := v.owns(o); err != nil {
				return err
			} else if own {
				out = append(out, o)
				ids = append(ids, o.ID)
			}
		}
		if len(ids) == 0 {
			return nil
		}
		krs, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{ObjectiveIDs: ids})
		if err != nil {
			return err
		}
		byObjective := map[string][]okr.KeyResult{}
		for _, k := range krs {
			byObjective[k.ObjectiveID] = append(byObjective[k.ObjectiveID], k)
		}
		h, err := loadSignals(ctx, tx, actor.OrgID)
		if err != nil {
			return err
		}
		out, err = keepIf(out, func(o *okr.Objective) (bool, error) {
			return a.decorateObjective(ctx, tx, v, h, o, byObjective[o.ID])
		})
		return err
	})
	slices.SortStableFunc(out, func(a, b okr.Objective) int {
		if c := ownerOrder[a.Owner.Type] - ownerOrder[b.Owner.Type]; c != 0 {
			return c
		}
		return strings.Compare(a.Title, b.Title)
	})
	return out, err
}
