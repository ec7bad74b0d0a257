package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// The period review (DESIGN §3 "Review", §4 "Scoring and the review"):
// closing a period scores every key result and objective; what the review
// writes afterwards (score adjustments, retrospectives, decisions) stays
// writable once the period is closed.

// ReviewKeyResult is a key result in the review: its score, or while the
// period is open the score the close would give it.
type ReviewKeyResult struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	OwnerID  string        `json:"owner_id,omitempty"`
	Weight   float64       `json:"weight"`
	Progress float64       `json:"progress"`
	Current  float64       `json:"current"`
	Target   float64       `json:"target"`
	Score    okr.KRScore   `json:"score"`
	Band     okr.ScoreBand `json:"band" enum:"green,yellow,red" doc:"green ≥ 0.7, yellow 0.4 to under 0.7, red < 0.4."`
	Version  int           `json:"version" doc:"Send it in If-Match to adjust the score."`
}

// ReviewObjective is an objective in the review.
type ReviewObjective struct {
	ID            string                 `json:"id"`
	Title         string                 `json:"title"`
	Owner         okr.Owner              `json:"owner"`
	ChampionID    string                 `json:"champion_id,omitempty"`
	Kind          okr.ObjectiveKind      `json:"kind"`
	State         okr.ObjectiveState     `json:"state"`
	Outcome       okr.Outcome            `json:"outcome" nullable:"true" doc:"While the period is open: the outcome the close would give."`
	Score         float64                `json:"score"`
	Band          okr.ScoreBand          `json:"band" enum:"green,yellow,red"`
	Expected      float64                `json:"expected_score" doc:"What its kind is expected to reach: 1.0 committed, 0.7 aspirational."`
	KeyResults    []ReviewKeyResult      `json:"key_results"`
	Retrospective *okr.Retrospective     `json:"retrospective,omitempty"`
	Decision      *okr.ObjectiveDecision `json:"decision,omitempty"`
	CarriedFrom   string                 `json:"carried_from,omitempty"`
	// CanEdit: the reader may adjust its scores, write its retrospective and decide.
	CanEdit bool `json:"can_edit"`
}

// PeriodReview is a period's review: the scores, the verdict and how far the
// retrospectives and decisions have come. On an open period it is a preview
// of the close.
type PeriodReview struct {
	Period         okr.Period        `json:"period"`
	Preview        bool              `json:"preview" doc:"true while the period is open: the scores are what closing it now would give."`
	MeanScore      float64           `json:"mean_score" doc:"The unweighted mean of the objectives' scores."`
	Verdict        okr.Verdict       `json:"verdict" enum:"too_safe,healthy,partial,outran_capacity"`
	Explanation    string            `json:"verdict_explanation"`
	Objectives     []ReviewObjective `json:"objectives" doc:"The objectives the reader may see; the mean and verdict cover every scored objective of the period."`
	Scored         int               `json:"scored" doc:"How many objectives the mean covers."`
	Retrospectives int               `json:"retrospectives_done" doc:"Of the listed objectives, how many have a retrospective."`
	Decisions      int               `json:"decisions_done" doc:"Of the listed objectives, how many have a decision."`
	CanClose       bool              `json:"can_close" doc:"The reader may close the period now."`
}

// VerdictExplanation says what a verdict means, for people.
func VerdictExplanation(v okr.Verdict) string {
	switch v {
	case okr.TooSafe:
		return "The mean score is above 0.85: the targets were too safe. Aim higher next period."
	case okr.Healthy:
		return "The mean score is between 0.6 and 0.85: ambitious targets, mostly reached. This is where OKRs should land."
	case okr.Partial:
		return "The mean score is between 0.4 and 0.6: partial delivery. Look at what got in the way before setting the next targets."
	}
	return "The mean score is below 0.4: the targets outran the capacity. Set fewer or smaller targets, or find the capacity first."
}

// scoreSheet is a period's scores, computed at the close or for a preview.
type scoreSheet struct {
	objectives []okr.Objective
	krs        map[string][]okr.KeyResult // by objective, each with its Score filled
	scores     map[string]float64         // objective id → score; drafts have none
	outcomes   map[string]okr.Outcome     // the outcome each open objective gets
	mean       float64
}

// scorePeriod computes a period's scores. A key result that has a score keeps
// it (with its adjustment); others score their progress. Draft objectives are
// not scored: the close abandons them.
func scorePeriod(ctx context.Context, tx Tx, orgID string, p okr.Period) (*scoreSheet, error) {
	objs, err := tx.ListObjectives(ctx, orgID, okr.ObjectiveFilter{PeriodID: p.ID})
	if err != nil {
		return nil, err
	}
	krs, err := tx.ListKeyResults(ctx, orgID, okr.KeyResultFilter{PeriodID: p.ID})
	if err != nil {
		return nil, err
	}
	s := &scoreSheet{objectives: objs, krs: map[string][]okr.KeyResult{}, scores: map[string]float64{}, outcomes: map[string]okr.Outcome{}}
	for _, k := range krs {
		if k.Score == nil {
			k.Score = okr.NewKRScore(k.Progress, nil, "")
		}
		s.krs[k.ObjectiveID] = append(s.krs[k.ObjectiveID], k)
	}
	var all []float64
	for _, o := range objs {
		var score float64
		switch {
		case o.Score != nil: // scored at the close (and kept up to date by adjustments)
			score = o.Score.Final
		case o.State == okr.Draft || p.State == okr.PeriodClosed:
			continue // drafts are not scored; the close abandons them
		default:
			score = okr.ObjectiveScoreOf(o, s.krs[o.ID])
		}
		s.scores[o.ID] = score
		all = append(all, score)
		if o.State == okr.Active {
			s.outcomes[o.ID] = okr.CloseOutcome(o.Kind, score)
		}
	}
	s.mean = okr.MeanScore(all)
	return s, nil
}

// ClosePeriod closes an active period (admin only): every key result of a
// scored objective gets its score (its progress now), every such objective
// the weighted mean of its key results' scores; open objectives close as achieved when the score meets
// their kind's expectation (1.0 committed, 0.7 aspirational), else missed;
// drafts close as abandoned, unscored, and so do their key results. The period's objectives, key results
// and check-ins become read-only, and each objective's owners are asked for
// its retrospective.
func (a *App) ClosePeriod(ctx context.Context, actor org.Actor, id string) (okr.Period, error) {
	var p okr.Period
	if err := requireAdmin(actor); err != nil {
		return p, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetPeriod(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if before.State != okr.PeriodActive {
			return errs.E(errs.Conflict, "period %s is %s; only an active period can be closed", before.Name, before.State)
		}
		sheet, err := scorePeriod(ctx, tx, actor.OrgID, before)
		if err != nil {
			return err
		}
		for _, o := range sheet.objectives {
			if _, scored := sheet.scores[o.ID]; scored {
				for _, k := range sheet.krs[o.ID] {
					if err := tx.SetKeyResultScore(ctx, actor.OrgID, k.ID, k.Score); err != nil {
						return err
					}
				}
			}
			if err := closeObjective(ctx, tx, actor, o, sheet); err != nil {
				return err
			}
		}
		p = before
		p.State = okr.PeriodClosed
		if err := tx.UpdatePeriod(ctx, &p, before.Version); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "period.close", "period", id, before, p); err != nil {
			return err
		}
		return askForRetrospectives(ctx, tx, actor, p, sheet)
	})
	return p, err
}

// closeObjective stores an objective's score and closes it if it is open.
func closeObjective(ctx context.Context, tx Tx, actor org.Actor, o okr.Objective, sheet *scoreSheet) error {
	score, scored := sheet.scores[o.ID]
	if scored {
		if err := tx.SetObjectiveScore(ctx, actor.OrgID, o.ID, &okr.ObjectiveScore{Final: score}); err != nil {
			return err
		}
	}
	if o.State == okr.Closed {
		return nil
	}
	after := o
	after.State, after.Outcome = okr.Closed, okr.Abandoned
	if scored {
		after.Outcome = sheet.outcomes[o.ID]
		after.Score = &okr.ObjectiveScore{Final: score}
	}
	if err := tx.UpdateObjective(ctx, &after, o.Version); err != nil {
		return err
	}
	if err := record(ctx, tx, actor, "objective.update", "objective", o.ID, o, after); err != nil {
		return err
	}
	return celebrateObjective(ctx, tx, actor, o, after)
}

// retrospectiveOwners are the people asked for an objective's retrospective:
// its champion, the person who owns it, the leads of the team that owns it.
func retrospectiveOwners(ctx context.Context, tx Tx, orgID string, o okr.Objective) ([]string, error) {
	var out []string
	add := func(id string) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	add(o.ChampionID)
	switch o.Owner.Type {
	case okr.OwnerUser:
		add(o.Owner.ID)
	case okr.OwnerTeam:
		t, err := tx.GetTeam(ctx, orgID, o.Owner.ID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return nil, err
		}
		for _, id := range t.LeadIDs {
			add(id)
		}
	}
	return out, nil
}

// askForRetrospectives notifies each scored objective's owners (the closing
// admin for an objective nobody owns in person).
func askForRetrospectives(ctx context.Context, tx Tx, actor org.Actor, p okr.Period, sheet *scoreSheet) error {
	for _, o := range sheet.objectives {
		score, ok := sheet.scores[o.ID]
		if !ok {
			continue
		}
		owners, err := retrospectiveOwners(ctx, tx, actor.OrgID, o)
		if err != nil {
			return err
		}
		if len(owners) == 0 {
			owners = []string{actor.UserID}
		}
		for _, u := range owners {
			err := notify(ctx, tx, &Notification{OrgID: actor.OrgID, UserID: u, Kind: "retrospective.request",
				Title: fmt.Sprintf("%s is closed: write the retrospective of %q", p.Name, o.Title),
				Body: fmt.Sprintf("It scored %.2f. Say what went well, what did not and what others can learn from it, "+
					"then decide whether to keep, modify or drop it next period.", score),
				Link: "/periods/" + p.ID + "/review#objective-" + o.ID, DedupeKey: "retrospective:" + o.ID})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// Review returns a period's review: scores, verdict, retrospectives and
// decisions; on an open period, a preview of what closing it would give.
func (a *App) Review(ctx context.Context, actor org.Actor, periodID string) (PeriodReview, error) {
	var r PeriodReview
	if err := requireRead(actor); err != nil {
		return r, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		p, err := tx.GetPeriod(ctx, actor.OrgID, periodID)
		if err != nil {
			return err
		}
		sheet, err := scorePeriod(ctx, tx, actor.OrgID, p)
		if err != nil {
			return err
		}
		retros, err := tx.ListRetrospectives(ctx, actor.OrgID, periodID)
		if err != nil {
			return err
		}
		decisions, err := tx.ListDecisions(ctx, actor.OrgID, periodID)
		if err != nil {
			return err
		}
		retroOf := map[string]*okr.Retrospective{}
		for i := range retros {
			retroOf[retros[i].ObjectiveID] = &retros[i]
		}
		decisionOf := map[string]*okr.ObjectiveDecision{}
		for i := range decisions {
			decisionOf[decisions[i].ObjectiveID] = &decisions[i]
		}
		r = PeriodReview{Period: p, Preview: p.State != okr.PeriodClosed, MeanScore: sheet.mean, Verdict: okr.VerdictOf(sheet.mean),
			Scored: len(sheet.scores), Objectives: []ReviewObjective{},
			CanClose: p.State == okr.PeriodActive && actor.IsAdmin()}
		r.Explanation = VerdictExplanation(r.Verdict)
		v := newAccess(ctx, tx, actor)
		for _, o := range sheet.objectives {
			score, ok := sheet.scores[o.ID]
			if !ok {
				continue
			}
			if seen, err := v.canSee(o); err != nil {
				return err
			} else if !seen {
				continue
			}
			edit, err := v.canEdit(o)
			if err != nil {
				return err
			}
			ro := ReviewObjective{ID: o.ID, Title: o.Title, Owner: o.Owner, ChampionID: o.ChampionID, Kind: o.Kind, State: o.State,
				Outcome: o.Outcome, Score: score, Band: okr.BandOf(score), Expected: okr.Expectation(o.Kind),
				KeyResults: []ReviewKeyResult{}, Retrospective: retroOf[o.ID], Decision: decisionOf[o.ID],
				CarriedFrom: o.CarriedFrom, CanEdit: edit}
			if o.State == okr.Active {
				ro.Outcome = sheet.outcomes[o.ID]
			}
			for _, k := range sheet.krs[o.ID] {
				ro.KeyResults = append(ro.KeyResults, ReviewKeyResult{ID: k.ID, Title: k.Title, OwnerID: k.OwnerID, Weight: k.Weight,
					Progress: k.Progress, Current: k.Current, Target: k.Target, Score: *k.Score, Band: okr.BandOf(k.Score.Final),
					Version: k.Version})
			}
			if ro.Retrospective != nil {
				r.Retrospectives++
			}
			if ro.Decision != nil {
				r.Decisions++
			}
			r.Objectives = append(r.Objectives, ro)
		}
		return nil
	})
	return r, err
}

// ScoreInput adjusts a key result's score.
type ScoreInput struct {
	Adjusted *float64 `json:"adjusted" nullable:"true" doc:"The adjusted score, 0 to 1; null removes the adjustment."`
	Reason   string   `json:"reason,omitempty" doc:"Why; required with an adjustment."`
}

// reviewable loads an objective of a closed period (or a closed objective)
// that the actor may review: see it, and edit it as its owner, champion or
// an admin.
func reviewable(v *access, o okr.Objective, what string) error {
	if o.State != okr.Closed {
		return errs.E(errs.Conflict, "objective %q is still open: %s once its period is closed", o.Title, what)
	}
	ok, err := v.canEdit(o)
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.Forbidden, "only admins and the objective's owners and champion may %s", what)
	}
	return nil
}

// AdjustScore sets or removes the adjustment of a key result's score (a
// reason is required with it) and recomputes its objective's score. The
// objective's outcome, set at the close, stays.
func (a *App) AdjustScore(ctx context.Context, actor org.Actor, keyResultID string, ifMatch *int, in ScoreInput) (okr.KeyResult, error) {
	var k okr.KeyResult
	if err := requireWrite(actor); err != nil {
		return k, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		before, o, err := v.keyResult(keyResultID)
		if err != nil {
			return err
		}
		if before.Score == nil {
			return errs.E(errs.Conflict, "key result %q has no score yet: scores are given when its period is closed", before.Title)
		}
		ok := before.OwnerID == actor.UserID
		if !ok {
			if ok, err = v.canEdit(o); err != nil {
				return err
			}
		}
		if !ok {
			return errs.E(errs.Forbidden, "only admins, the key result's owner and its objective's owners and champion may adjust its score")
		}
		if err := checkVersion(ifMatch, before.Version, "key result"); err != nil {
			return err
		}
		var f errs.Fields
		reason := strings.TrimSpace(in.Reason)
		if in.Adjusted != nil {
			if !finite(*in.Adjusted) || *in.Adjusted < 0 || *in.Adjusted > 1 {
				f.Add("adjusted", "must be a score between 0 and 1, e.g. 0.7")
			}
			if reason == "" {
				f.Add("reason", "say why the score is adjusted, e.g. \"the target moved when the market did\"")
			} else if n := len([]rune(reason)); n > 2000 {
				f.Add("reason", "is %d characters long; keep it under 2000", n)
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		score := okr.NewKRScore(before.Score.Computed, in.Adjusted, reason)
		if err := tx.SetKeyResultScore(ctx, actor.OrgID, before.ID, score); err != nil {
			return err
		}
		if err := rescoreObjective(ctx, tx, actor.OrgID, o); err != nil {
			return err
		}
		k, err = tx.GetKeyResult(ctx, actor.OrgID, before.ID)
		if err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "key_result.score", "key_result", k.ID, before.Score, k.Score); err != nil {
			return err
		}
		k, err = a.readKeyResult(ctx, tx, v, k.ID)
		return err
	})
	return k, err
}

// rescoreObjective recomputes a scored objective's score from its key results.
func rescoreObjective(ctx context.Context, tx Tx, orgID string, o okr.Objective) error {
	if o.Score == nil {
		return nil
	}
	krs, err := tx.ListKeyResults(ctx, orgID, okr.KeyResultFilter{ObjectiveID: o.ID})
	if err != nil {
		return err
	}
	return tx.SetObjectiveScore(ctx, orgID, o.ID, &okr.ObjectiveScore{Final: okr.ObjectiveScoreOf(o, krs)})
}

// RetrospectiveInput writes an objective's retrospective.
type RetrospectiveInput struct {
	WentWell  string                `json:"went_well,omitempty" doc:"What went well."`
	WentBadly string                `json:"went_badly,omitempty" doc:"What did not."`
	Lessons   []RetrospectiveLesson `json:"lessons,omitempty" doc:"Lessons for the organization's library; a lesson whose title this retrospective already wrote is not written again."`
}

// RetrospectiveLesson is a lesson written with a retrospective.
type RetrospectiveLesson struct {
	Title string   `json:"title"`
	Body  string   `json:"body,omitempty"`
	Tags  []string `json:"tags,omitempty"`
}

// Bounds of a retrospective.
const (
	maxRetroText    = 20000
	maxRetroLessons = 20
)

// PutRetrospective writes (or rewrites) a closed objective's retrospective;
// its lessons go to the lessons library (source retrospective). With ifMatch,
// the stored retrospective must still be at that version.
func (a *App) PutRetrospective(ctx context.Context, actor org.Actor, objectiveID string, ifMatch *int, in RetrospectiveInput) (okr.Retrospective, error) {
	var r okr.Retrospective
	if err := requireWrite(actor); err != nil {
		return r, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		o, err := v.objective(objectiveID)
		if err != nil {
			return err
		}
		if err := reviewable(v, o, "write its retrospective"); err != nil {
			return err
		}
		before, err := tx.GetRetrospective(ctx, actor.OrgID, o.ID)
		var prev *okr.Retrospective
		switch {
		case err == nil:
			prev = &before
		case !errs.Is(err, errs.NotFound):
			return err
		}
		var f errs.Fields
		r = okr.Retrospective{ObjectiveID: o.ID, OrgID: actor.OrgID, WentWell: strings.TrimSpace(in.WentWell),
			WentBadly: strings.TrimSpace(in.WentBadly), AuthorID: actor.UserID}
		if r.WentWell == "" && r.WentBadly == "" && len(in.Lessons) == 0 {
			f.Add("went_well", "say what went well, what did not, or a lesson")
		}
		for name, s := range map[string]string{"went_well": r.WentWell, "went_badly": r.WentBadly} {
			if n := len([]rune(s)); n > maxRetroText {
				f.Add(name, "is %d characters long; keep it under %d", n, maxRetroText)
			}
		}
		if len(in.Lessons) > maxRetroLessons {
			f.Add("lessons", "at most %d lessons at a time", maxRetroLessons)
		}
		for i, l := range in.Lessons {
			if strings.TrimSpace(l.Title) == "" {
				f.Add(fmt.Sprintf("lessons[%d].title", i), "give the lesson a short title a person would search for")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		// Lessons already written by this retrospective stay; new titles are added.
		written := map[string]bool{}
		r.Lessons = []okr.RetroLesson{}
		if prev != nil {
			r.Lessons = append(r.Lessons, prev.Lessons...)
			for _, l := range prev.Lessons {
				written[strings.ToLower(l.Title)] = true
			}
		}
		teamID := ""
		if o.Owner.Type == okr.OwnerTeam {
			teamID = o.Owner.ID
		}
		for i, l := range in.Lessons {
			title := strings.TrimSpace(l.Title)
			if written[strings.ToLower(title)] {
				continue
			}
			id, err := addLesson(ctx, tx, actor, LessonInput{Title: title, Body: l.Body, Tags: l.Tags, ObjectiveID: o.ID,
				TeamID: teamID, PeriodID: o.PeriodID}, "retrospective")
			if err != nil {
				return prefixFields(err, fmt.Sprintf("lessons[%d].", i))
			}
			written[strings.ToLower(title)] = true
			r.Lessons = append(r.Lessons, okr.RetroLesson{ID: id, Title: title})
		}
		expect := 0
		if ifMatch != nil {
			expect = *ifMatch
		}
		if err := tx.PutRetrospective(ctx, &r, expect); err != nil {
			return err
		}
		var b any
		if prev != nil {
			b = prev
		}
		return record(ctx, tx, actor, "retrospective.put", "objective", o.ID, b, r)
	})
	return r, err
}

// prefixFields puts prefix before the field names of an invalid-input error.
func prefixFields(err error, prefix string) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]errs.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		out.Fields[i] = errs.FieldError{Field: prefix + f.Field, Message: f.Message}
	}
	return &out
}

// ObjectiveLink names an objective for a link.
type ObjectiveLink struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Period string `json:"period"`
}

// ObjectiveReview is the review of one objective, for its page: its score
// (or the score the close would give), retrospective, decision and the
// objectives it was carried from and to.
type ObjectiveReview struct {
	Objective     okr.Objective
	Period        okr.Period
	Scored        bool // false for a draft: it has no score
	Score         float64
	Band          okr.ScoreBand
	Outcome       okr.Outcome // for an open objective, the outcome the close would give
	KeyResults    []ReviewKeyResult
	Retrospective *okr.Retrospective
	Decision      *okr.ObjectiveDecision
	CarriedFrom   *ObjectiveLink
	CarriedTo     []ObjectiveLink
	// CanReview: the objective is closed and the reader may adjust, write the retrospective and decide.
	CanReview bool
	// NextPeriod is where a keep or modify would carry it by default ("" when there is none).
	NextPeriod okr.Period
}

// ReviewOfObjective returns the review of an objective the actor may see.
func (a *App) ReviewOfObjective(ctx context.Context, actor org.Actor, objectiveID string) (ObjectiveReview, error) {
	var r ObjectiveReview
	if err := requireRead(actor); err != nil {
		return r, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		o, err := v.objective(objectiveID)
		if err != nil {
			return err
		}
		p, err := tx.GetPeriod(ctx, actor.OrgID, o.PeriodID)
		if err != nil {
			return err
		}
		krs, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{ObjectiveID: o.ID})
		if err != nil {
			return err
		}
		r = ObjectiveReview{Objective: o, Period: p, Scored: o.State != okr.Draft, KeyResults: []ReviewKeyResult{}, Outcome: o.Outcome}
		for i, k := range krs {
			if k.Score == nil {
				krs[i].Score = okr.NewKRScore(k.Progress, nil, "")
			}
			k = krs[i]
			r.KeyResults = append(r.KeyResults, ReviewKeyResult{ID: k.ID, Title: k.Title, OwnerID: k.OwnerID, Weight: k.Weight,
				Progress: k.Progress, Current: k.Current, Target: k.Target, Score: *k.Score, Band: okr.BandOf(k.Score.Final),
				Version: k.Version})
		}
		if o.Score != nil {
			r.Score = o.Score.Final
		} else {
			r.Score = okr.ObjectiveScoreOf(o, krs)
		}
		r.Band = okr.BandOf(r.Score)
		if o.State == okr.Active {
			r.Outcome = okr.CloseOutcome(o.Kind, r.Score)
		}
		if x, err := tx.GetRetrospective(ctx, actor.OrgID, o.ID); err == nil {
			r.Retrospective = &x
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
		if x, err := tx.GetDecision(ctx, actor.OrgID, o.ID); err == nil {
			r.Decision = &x
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
		link := func(id string) (*ObjectiveLink, error) {
			c, err := v.objective(id)
			if errs.Is(err, errs.NotFound) {
				return nil, nil // hidden from the reader, or deleted
			}
			if err != nil {
				return nil, err
			}
			cp, err := tx.GetPeriod(ctx, actor.OrgID, c.PeriodID)
			if err != nil {
				return nil, err
			}
			return &ObjectiveLink{ID: c.ID, Title: c.Title, Period: cp.Name}, nil
		}
		if o.CarriedFrom != "" {
			if r.CarriedFrom, err = link(o.CarriedFrom); err != nil {
				return err
			}
		}
		to, err := tx.CarriedTo(ctx, actor.OrgID, o.ID)
		if err != nil {
			return err
		}
		for _, id := range to {
			l, err := link(id)
			if err != nil {
				return err
			}
			if l != nil {
				r.CarriedTo = append(r.CarriedTo, *l)
			}
		}
		if o.State == okr.Closed && actor.CanWrite() {
			if r.CanReview, err = v.canEdit(o); err != nil {
				return err
			}
		}
		if r.CanReview && r.Decision == nil {
			var f errs.Fields
			if r.NextPeriod, err = nextPeriod(ctx, tx, actor.OrgID, p, "", &f); err != nil {
				return err
			}
		}
		return nil
	})
	return r, err
}

// Retrospective returns the retrospective of an objective the actor may see;
// NotFound when it has none yet.
func (a *App) Retrospective(ctx context.Context, actor org.Actor, objectiveID string) (okr.Retrospective, error) {
	var r okr.Retrospective
	if err := requireRead(actor); err != nil {
		return r, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		o, err := newAccess(ctx, tx, actor).objective(objectiveID)
		if err != nil {
			return err
		}
		r, err = tx.GetRetrospective(ctx, actor.OrgID, o.ID)
		if errs.Is(err, errs.NotFound) {
			return errs.NotFoundf("objective %q has no retrospective yet", o.Title)
		}
		return err
	})
	return r, err
}
