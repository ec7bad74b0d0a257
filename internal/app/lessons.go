package app

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// The lessons library: lessons learned from retrospectives (addLesson,
// called by the review) and written at any time, visible to every member,
// searchable across the organization, with one helpful vote per person.

// mayEditLesson: a lesson's author and admins change it.
func mayEditLesson(actor org.Actor, l okr.Lesson) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	if actor.EditsAll() || l.AuthorID == actor.UserID {
		return nil
	}
	return errs.E(errs.Forbidden, "only the lesson's author and admins may change it")
}

// lessonReader shows a lesson's objective only to who may see it.
type lessonReader struct{ r *feedReader }

func newLessonReader(ctx context.Context, tx Tx, actor org.Actor) lessonReader {
	return lessonReader{r: newFeedReader(ctx, tx, actor)}
}

func (lr lessonReader) decorate(l *okr.Lesson) error {
	ok, err := lr.r.sees(l.ObjectiveID)
	if !ok {
		l.ObjectiveID = ""
	}
	return err
}

// CreateLesson writes a lesson (source manual) with the actor as its author.
func (a *App) CreateLesson(ctx context.Context, actor org.Actor, in LessonInput, idemKey string) (okr.Lesson, error) {
	var l okr.Lesson
	if err := requireWrite(actor); err != nil {
		return l, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "lesson.create", in, func() (string, error) {
			return addLesson(ctx, tx, actor, in, okr.LessonManual)
		})
		if err != nil {
			return err
		}
		l, err = a.readLesson(ctx, tx, actor, id)
		return err
	})
	return l, err
}

func (a *App) readLesson(ctx context.Context, tx Tx, actor org.Actor, id string) (okr.Lesson, error) {
	l, err := tx.GetLesson(ctx, actor.OrgID, id, actor.UserID)
	if err != nil {
		return l, err
	}
	return l, newLessonReader(ctx, tx, actor).decorate(&l)
}

// GetLesson returns a lesson; every member reads every lesson.
func (a *App) GetLesson(ctx context.Context, actor org.Actor, id string) (okr.Lesson, error) {
	var l okr.Lesson
	if err := requireRead(actor); err != nil {
		return l, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		l, err = a.readLesson(ctx, tx, actor, id)
		return err
	})
	return l, err
}

// LessonQuery searches the lessons; zero fields match everything.
type LessonQuery struct {
	// Q is words, each matched case-insensitively (as a word prefix) in the
	// title, the tags or the body; results are ranked by where they match,
	// then helpful votes, then recency.
	Q           string
	Tag         string
	SkillID     string
	ObjectiveID string
	TeamID      string
	AuthorID    string
	PageRequest
}

// ListLessons searches the organization's lessons, ranked (by relevance
// when Q is given, then helpful votes, then recency). The cursor is an
// offset into the ranking.
func (a *App) ListLessons(ctx context.Context, actor org.Actor, q LessonQuery) (Page[okr.Lesson], error) {
	page := Page[okr.Lesson]{Items: []okr.Lesson{}}
	if err := requireRead(actor); err != nil {
		return page, err
	}
	boundary, limit, err := q.resolve()
	if err != nil {
		return page, err
	}
	offset := 0
	if boundary != "" {
		if offset, err = strconv.Atoi(boundary); err != nil || offset < 0 {
			var f errs.Fields
			f.Add("cursor", "is not a cursor this server gave out; start again without it")
			return page, f.Err()
		}
	}
	err = a.db.Read(ctx, func(tx Tx) error {
		f := okr.LessonFilter{TeamID: q.TeamID, AuthorID: q.AuthorID, VoterID: actor.UserID}
		if q.ObjectiveID != "" {
			f.ObjectiveIDs = []string{q.ObjectiveID}
		}
		all, err := tx.ListLessons(ctx, actor.OrgID, f)
		if err != nil {
			return err
		}
		words := okr.Words(q.Q)
		tag := okr.NormalizeTags([]string{q.Tag})
		scores := map[string]int{}
		lr := newLessonReader(ctx, tx, actor)
		hits := []okr.Lesson{}
		if q.ObjectiveID != "" {
			// Filtering by an objective the reader may not see finds nothing.
			if ok, err := lr.r.sees(q.ObjectiveID); err != nil || !ok {
				return err
			}
		}
		for _, l := range all {
			if len(tag) > 0 && !slices.Contains(l.Tags, tag[0]) || q.SkillID != "" && !slices.Contains(l.SkillIDs, q.SkillID) {
				continue
			}
			s := okr.LessonMatch(l, words)
			if s == 0 {
				continue
			}
			scores[l.ID] = s
			hits = append(hits, l)
		}
		okr.RankLessons(hits, func(l okr.Lesson) int { return scores[l.ID] })
		if offset < len(hits) {
			// Only the page shown is checked against the objectives it names.
			page.Items = hits[offset:min(len(hits), offset+limit)]
			for i := range page.Items {
				if err := lr.decorate(&page.Items[i]); err != nil {
					return err
				}
			}
		}
		if offset+limit < len(hits) {
			page.NextCursor = encodeCursor(strconv.Itoa(offset + limit))
		}
		return nil
	})
	return page, err
}

// LessonUpdate changes a lesson; absent fields stay.
type LessonUpdate struct {
	Title       *string   `json:"title,omitempty"`
	Body        *string   `json:"body,omitempty"`
	Tags        *[]string `json:"tags,omitempty"`
	ObjectiveID *string   `json:"objective_id,omitempty" doc:"Empty string: no objective."`
	SkillIDs    *[]string `json:"skill_ids,omitempty"`
	TeamID      *string   `json:"team_id,omitempty" doc:"Empty string: no team."`
	PeriodID    *string   `json:"period_id,omitempty" doc:"Empty string: no period."`
}

// UpdateLesson changes a lesson (If-Match): its author and admins.
func (a *App) UpdateLesson(ctx context.Context, actor org.Actor, id string, ifMatch *int, in LessonUpdate) (okr.Lesson, error) {
	var l okr.Lesson
	if err := requireWrite(actor); err != nil {
		return l, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetLesson(ctx, actor.OrgID, id, actor.UserID)
		if err != nil {
			return err
		}
		if err := mayEditLesson(actor, before); err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "lesson"); err != nil {
			return err
		}
		l = before
		setIf(&l.Title, in.Title)
		setIf(&l.Body, in.Body)
		setIf(&l.Tags, in.Tags)
		setIf(&l.SkillIDs, in.SkillIDs)
		setIf(&l.TeamID, in.TeamID)
		setIf(&l.PeriodID, in.PeriodID)
		setIf(&l.ObjectiveID, in.ObjectiveID)
		v := newAccess(ctx, tx, actor)
		var f errs.Fields
		if l.ObjectiveID == before.ObjectiveID && before.ObjectiveID != "" {
			// An unchanged objective is not checked again: the editor may not see it.
			keep := l.ObjectiveID
			l.ObjectiveID = ""
			err = checkLesson(ctx, tx, v, &l, &f)
			l.ObjectiveID = keep
		} else {
			err = checkLesson(ctx, tx, v, &l, &f)
		}
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.UpdateLesson(ctx, &l, before.Version); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "lesson.update", "lesson", id, before, l); err != nil {
			return err
		}
		l, err = a.readLesson(ctx, tx, actor, id)
		return err
	})
	return l, err
}

// DeleteLesson removes a lesson with its votes: its author and admins.
func (a *App) DeleteLesson(ctx context.Context, actor org.Actor, id string) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		l, err := tx.GetLesson(ctx, actor.OrgID, id, "")
		if err != nil {
			return err
		}
		if err := mayEditLesson(actor, l); err != nil {
			return err
		}
		if err := tx.DeleteLesson(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "lesson.delete", "lesson", id, l, nil)
	})
}

// VoteLesson records that the actor found a lesson helpful, once; on is
// false to withdraw the vote. Authors do not vote for their own lessons.
func (a *App) VoteLesson(ctx context.Context, actor org.Actor, id string, on bool) (okr.Lesson, error) {
	var l okr.Lesson
	if err := requireWrite(actor); err != nil {
		return l, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetLesson(ctx, actor.OrgID, id, actor.UserID)
		if err != nil {
			return err
		}
		if before.AuthorID == actor.UserID {
			return errs.E(errs.Conflict, "you wrote this lesson; the others say whether it helped them")
		}
		changed := false
		if on {
			changed, err = tx.VoteLesson(ctx, actor.OrgID, id, actor.UserID)
		} else {
			changed, err = tx.UnvoteLesson(ctx, actor.OrgID, id, actor.UserID)
		}
		if err != nil {
			return err
		}
		if l, err = a.readLesson(ctx, tx, actor, id); err != nil || !changed {
			return err
		}
		action := "lesson.helpful"
		if !on {
			action = "lesson.unhelpful"
		}
		return record(ctx, tx, actor, action, "lesson", id, map[string]any{"helpful": before.Helpful},
			map[string]any{"helpful": l.Helpful, "user_id": actor.UserID})
	})
	return l, err
}

// RelatedLesson is a lesson worth reading for an objective, and why.
type RelatedLesson struct {
	okr.Lesson
	Reasons []string `json:"reasons" doc:"Why it is suggested: learned on this objective or the one it was carried from, shares a required skill or a tag, comes from the owning team."`
}

// maxRelatedLessons bounds the lessons suggested for an objective.
const maxRelatedLessons = 50

// ObjectiveLessons returns the lessons most useful for an objective: those
// learned on it and on the objectives it was carried from, those sharing
// its required skills (of it and its key results) or its tags, and those of
// its owning team; ranked by helpful votes, then recency.
func (a *App) ObjectiveLessons(ctx context.Context, actor org.Actor, objectiveID string, limit int) ([]RelatedLesson, error) {
	out := []RelatedLesson{}
	if err := requireRead(actor); err != nil {
		return out, err
	}
	if limit <= 0 || limit > maxRelatedLessons {
		limit = maxRelatedLessons
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		o, err := v.objective(objectiveID)
		if err != nil {
			return err
		}
		// The chain of objectives it was carried from, however hidden.
		ancestors := map[string]bool{}
		for id := o.CarriedFrom; id != "" && !ancestors[id] && id != o.ID; {
			ancestors[id] = true
			p, err := tx.GetObjective(ctx, actor.OrgID, id)
			if errs.Is(err, errs.NotFound) {
				break
			} else if err != nil {
				return err
			}
			id = p.CarriedFrom
		}
		krs, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{ObjectiveID: o.ID})
		if err != nil {
			return err
		}
		subjects := []string{o.ID}
		for _, k := range krs {
			subjects = append(subjects, k.ID)
		}
		reqs, err := tx.ListRequirements(ctx, actor.OrgID, learning.RequirementFilter{SubjectIDs: subjects})
		if err != nil {
			return err
		}
		skills := map[string]bool{}
		for _, r := range reqs {
			skills[r.SkillID] = true
		}
		tags := okr.NormalizeTags(o.Tags)
		teamID := ""
		if o.Owner.Type == okr.OwnerTeam {
			teamID = o.Owner.ID
		}
		all, err := tx.ListLessons(ctx, actor.OrgID, okr.LessonFilter{VoterID: actor.UserID})
		if err != nil {
			return err
		}
		names := map[string]string{}
		lr := newLessonReader(ctx, tx, actor)
		for _, l := range all {
			var why []string
			switch {
			case l.ObjectiveID == o.ID:
				why = append(why, "learned on this objective")
			case ancestors[l.ObjectiveID]:
				why = append(why, "learned on an earlier period's version of this objective")
			}
			for _, s := range l.SkillIDs {
				if !skills[s] {
					continue
				}
				name, ok := names[s]
				if !ok {
					sk, err := tx.GetSkill(ctx, actor.OrgID, s)
					if err != nil && !errs.Is(err, errs.NotFound) {
						return err
					}
					name, names[s] = sk.Name, sk.Name
				}
				why = append(why, "concerns "+name+", a skill this objective needs")
			}
			var shared []string
			for _, t := range l.Tags {
				if slices.Contains(tags, t) {
					shared = append(shared, t)
				}
			}
			if len(shared) > 0 {
				why = append(why, "shares the tags "+strings.Join(shared, ", "))
			}
			if teamID != "" && l.TeamID == teamID {
				why = append(why, "comes from the owning team")
			}
			if len(why) == 0 {
				continue
			}
			out = append(out, RelatedLesson{Lesson: l, Reasons: why})
		}
		ls := make([]okr.Lesson, len(out))
		byID := map[string]RelatedLesson{}
		for i, r := range out {
			ls[i], byID[r.ID] = r.Lesson, r
		}
		okr.RankLessons(ls, func(okr.Lesson) int { return 0 })
		out = out[:0]
		for _, l := range ls[:min(len(ls), limit)] {
			r := byID[l.ID]
			if err := lr.decorate(&r.Lesson); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// LessonTags counts the organization's lesson tags, most used first.
func (a *App) LessonTags(ctx context.Context, actor org.Actor) ([]TagCount, error) {
	out := []TagCount{}
	if err := requireRead(actor); err != nil {
		return out, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		all, err := tx.ListLessons(ctx, actor.OrgID, okr.LessonFilter{})
		if err != nil {
			return err
		}
		n := map[string]int{}
		for _, l := range all {
			for _, t := range l.Tags {
				if n[t] == 0 {
					out = append(out, TagCount{Tag: t})
				}
				n[t]++
			}
		}
		for i := range out {
			out[i].Count = n[out[i].Tag]
		}
		slices.SortStableFunc(out, func(a, b TagCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Tag, b.Tag)
		})
		return nil
	})
	return out, err
}

// TagCount is a tag and how many lessons carry it.
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}
