package app

import (
	"context"
	"slices"
	"strings"
	"time"

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
		// The newest limit check-ins of each key result hold the newest
		// limit of them all.
		for i := range krs {
			k := &krs[i]
			cs, err := tx.ListCheckIns(ctx, actor.OrgID, k.ID, "", limit)
			if err != nil {
				return err
			}
			for j := range cs {
				out = append(out, Activity{Kind: ActivityCheckIn, At: cs[j].Created, AuthorID: cs[j].AuthorID,
					Objective: objectives[k.ObjectiveID], KeyResult: k, CheckIn: &cs[j]})
			}
		}
		newestFirst(out)
		out = out[:min(len(out), limit)]
		// Comments on the objectives, their key results and the check-ins kept.
		var comments []Activity
		add := func(st okr.SubjectType, id string, o okr.Objective, k *okr.KeyResult, c *okr.CheckIn) error {
			cs, err := allComments(ctx, tx, actor.OrgID, st, id)
			if err != nil {
				return err
			}
			for j := range cs {
				comments = append(comments, Activity{Kind: ActivityComment, At: cs[j].Created, AuthorID: cs[j].AuthorID,
					Objective: o, KeyResult: k, CheckIn: c, Comment: &cs[j]})
			}
			return nil
		}
		for _, id := range ids {
			if err := add(okr.SubjectObjective, id, objectives[id], nil, nil); err != nil {
				return err
			}
		}
		for i := range krs {
			if err := add(okr.SubjectKeyResult, krs[i].ID, objectives[krs[i].ObjectiveID], &krs[i], nil); err != nil {
				return err
			}
		}
		for _, x := range slices.Clone(out) {
			if err := add(okr.SubjectCheckIn, x.CheckIn.ID, x.Objective, x.KeyResult, x.CheckIn); err != nil {
				return err
			}
		}
		out = append(out, comments...)
		newestFirst(out)
		out = out[:min(len(out), limit)]
		return nil
	})
	return out, err
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

// allComments reads every comment on a subject, oldest first.
func allComments(ctx context.Context, tx Tx, orgID string, st okr.SubjectType, id string) ([]okr.Comment, error) {
	var out []okr.Comment
	after := ""
	for {
		cs, err := tx.ListComments(ctx, orgID, st, id, after, maxLimit)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
		if len(cs) < maxLimit {
			return out, nil
		}
		after = cs[len(cs)-1].ID
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
