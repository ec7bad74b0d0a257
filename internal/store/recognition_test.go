package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/store"
)

// TestRecognitionStore: lessons with their votes, kudos and celebrations
// round-trip on both engines, scoped by organization; a celebration's
// dedupe key writes it once; the feed pages newest first by time.
func TestRecognitionStore(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w := newLearningWorld(t, s, "acme")
		other := newOKRWorld(t, s, "other")
		o := w.org.ID
		l := okr.Lesson{ID: app.NewID(), OrgID: o, Title: "Name one owner", Body: "**Always.**", Tags: []string{"support", "ownership"},
			ObjectiveID: w.objective.ID, SkillIDs: []string{"s1", "s2"}, TeamID: w.team.ID, PeriodID: w.q1.ID, AuthorID: w.ann.ID,
			Source: okr.LessonRetrospective}
		bare := okr.Lesson{ID: app.NewID(), OrgID: o, Title: "Bare", AuthorID: w.bob.ID, Source: okr.LessonManual}
		create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateLesson(ctx, &l) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateLesson(ctx, &bare) })
		var votes []bool
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, u := range []string{w.bob.ID, w.cat.ID, w.bob.ID} {
				ok, err := tx.VoteLesson(ctx, o, l.ID, u)
				if err != nil {
					return err
				}
				votes = append(votes, ok)
			}
			return nil
		})
		if !slices.Equal(votes, []bool{true, true, false}) {
			t.Errorf("votes %v: a second vote by the same person is not counted", votes)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetLesson(ctx, o, l.ID, w.bob.ID)
			if err != nil {
				return err
			}
			if got.Title != l.Title || got.Body != l.Body || !slices.Equal(got.Tags, l.Tags) || !slices.Equal(got.SkillIDs, l.SkillIDs) ||
				got.ObjectiveID != w.objective.ID || got.TeamID != w.team.ID || got.PeriodID != w.q1.ID || got.Source != okr.LessonRetrospective ||
				got.Helpful != 2 || !got.Voted || got.Version != 1 {
				t.Errorf("lesson %+v", got)
			}
			b, err := tx.GetLesson(ctx, o, bare.ID, w.bob.ID)
			if err != nil || b.Tags == nil || b.SkillIDs == nil || b.ObjectiveID != "" || b.Helpful != 0 || b.Voted {
				t.Errorf("bare lesson %+v %v", b, err)
			}
			if _, err := tx.GetLesson(ctx, other.org.ID, l.ID, ""); !errs.Is(err, errs.NotFound) {
				t.Errorf("another organization reads the lesson: %v", err)
			}
			all, err := tx.ListLessons(ctx, o, okr.LessonFilter{VoterID: w.ann.ID})
			if err != nil || len(all) != 2 || all[0].ID != bare.ID || all[1].Voted {
				t.Errorf("newest first, ann has not voted: %+v %v", all, err)
			}
			some, err := tx.ListLessons(ctx, o, okr.LessonFilter{ObjectiveIDs: []string{w.objective.ID, "x"}, TeamID: w.team.ID})
			if err != nil || len(some) != 1 || some[0].ID != l.ID {
				t.Errorf("by objective and team: %+v %v", some, err)
			}
			none, err := tx.ListLessons(ctx, other.org.ID, okr.LessonFilter{})
			if err != nil || len(none) != 0 {
				t.Errorf("another organization lists %+v %v", none, err)
			}
			return nil
		})
		l.Title, l.Tags = "Name exactly one owner", []string{"ownership"}
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateLesson(ctx, &l, 1) })
		if err := attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateLesson(ctx, &l, 1) }); !errs.Is(err, errs.PreconditionFailed) {
			t.Errorf("a stale update: %v", err)
		}
		stolen := l
		stolen.OrgID = other.org.ID
		if err := attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateLesson(ctx, &stolen, 2) }); !errs.Is(err, errs.NotFound) {
			t.Errorf("another organization updates the lesson: %v", err)
		}
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			if ok, err := tx.UnvoteLesson(ctx, o, l.ID, w.cat.ID); err != nil || !ok {
				t.Errorf("unvote: %v %v", ok, err)
			}
			return tx.DeleteLesson(ctx, o, bare.ID)
		})
		if err := attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteLesson(ctx, other.org.ID, l.ID) }); !errs.Is(err, errs.NotFound) {
			t.Errorf("another organization deletes the lesson: %v", err)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetLesson(ctx, o, l.ID, "")
			if err != nil || got.Title != "Name exactly one owner" || got.Version != 2 || got.Helpful != 1 {
				t.Errorf("after the update %+v %v", got, err)
			}
			_, err = tx.GetLesson(ctx, o, bare.ID, "")
			if !errs.Is(err, errs.NotFound) {
				t.Errorf("deleted lesson: %v", err)
			}
			return nil
		})

		// Kudos and celebrations: three in three transactions, newest first.
		var ks []okr.Kudos
		var at []time.Time
		for i, to := range []string{w.bob.ID, w.cat.ID, w.bob.ID} {
			k := okr.Kudos{ID: app.NewID(), OrgID: o, FromID: w.ann.ID, ToUserID: to, Message: "thanks " + string(rune('a'+i))}
			if i == 1 {
				k.ToUserID, k.ToTeamID, k.SubjectType, k.SubjectID = "", w.team.ID, okr.KudosAboutObjective, w.objective.ID
			}
			at = append(at, write(t, s, func(ctx context.Context, tx app.Tx) error {
				if err := tx.InsertKudos(ctx, &k); err != nil {
					return err
				}
				ok, err := tx.InsertCelebration(ctx, &okr.Celebration{ID: app.NewID(), OrgID: o, Kind: okr.KudosGiven, UserID: k.ToUserID,
					TeamID: k.ToTeamID, SubjectType: "kudos", SubjectID: k.ID, Detail: k.Message, ActorID: w.ann.ID, DedupeKey: "kudos:" + k.ID})
				if !ok {
					t.Errorf("celebration %d not written", i)
				}
				return err
			}))
			ks = append(ks, k)
		}
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			for i := range 2 {
				ok, err := tx.InsertCelebration(ctx, &okr.Celebration{ID: app.NewID(), OrgID: o, Kind: okr.KeyResultReached, UserID: w.bob.ID,
					ObjectiveID: w.objective.ID, SubjectType: "key_result", SubjectID: w.kr.ID, Title: w.kr.Title, Level: 0,
					DedupeKey: "key_result_reached:" + w.kr.ID})
				if err != nil {
					return err
				}
				if ok != (i == 0) {
					t.Errorf("insert %d of the same achievement: %v", i, ok)
				}
			}
			// The same dedupe key in another organization is its own.
			ok, err := tx.InsertCelebration(ctx, &okr.Celebration{ID: app.NewID(), OrgID: other.org.ID, Kind: okr.KeyResultReached,
				SubjectType: "key_result", SubjectID: "x", DedupeKey: "key_result_reached:" + w.kr.ID})
			if !ok {
				t.Error("another organization's celebration with the same key was not written")
			}
			return err
		})
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetKudos(ctx, o, ks[1].ID)
			if err != nil || got.ToTeamID != w.team.ID || got.ToUserID != "" || got.SubjectID != w.objective.ID || !got.Created.Equal(at[1]) {
				t.Errorf("kudos %+v %v", got, err)
			}
			if _, err := tx.GetKudos(ctx, other.org.ID, ks[0].ID); !errs.Is(err, errs.NotFound) {
				t.Errorf("another organization reads the kudos: %v", err)
			}
			bobs, err := tx.ListKudos(ctx, o, okr.KudosFilter{ToUserID: w.bob.ID})
			if err != nil || len(bobs) != 2 || bobs[0].ID != ks[2].ID || bobs[1].ID != ks[0].ID {
				t.Errorf("bob's kudos, newest first: %+v %v", bobs, err)
			}
			page, err := tx.ListKudos(ctx, o, okr.KudosFilter{Before: ks[2].ID, Limit: 1})
			if err != nil || len(page) != 1 || page[0].ID != ks[1].ID {
				t.Errorf("kudos after the newest: %+v %v", page, err)
			}
			feed, err := tx.ListCelebrations(ctx, o, okr.CelebrationFilter{})
			if err != nil || len(feed) != 4 || feed[0].Kind != okr.KeyResultReached || feed[0].ObjectiveID != w.objective.ID {
				t.Fatalf("feed %+v %v", feed, err)
			}
			next, err := tx.ListCelebrations(ctx, o, okr.CelebrationFilter{Before: feed[1].ID, Limit: 5})
			if err != nil || len(next) != 2 || next[0].ID != feed[2].ID || next[1].ID != feed[3].ID {
				t.Errorf("the feed after its second entry: %+v %v", next, err)
			}
			if got, err := tx.ListCelebrations(ctx, o, okr.CelebrationFilter{Kind: okr.KudosGiven, UserID: w.bob.ID}); err != nil || len(got) != 2 {
				t.Errorf("bob's kudos entries: %+v %v", got, err)
			}
			if got, err := tx.ListCelebrations(ctx, o, okr.CelebrationFilter{Since: at[1], Until: at[2]}); err != nil || len(got) != 1 || got[0].SubjectID != ks[1].ID {
				t.Errorf("between the 2nd and 3rd moments: %+v %v", got, err)
			}
			return nil
		})
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteKudos(ctx, o, ks[0].ID) })
		if err := attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteKudos(ctx, other.org.ID, ks[1].ID) }); !errs.Is(err, errs.NotFound) {
			t.Errorf("another organization deletes the kudos: %v", err)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			feed, err := tx.ListCelebrations(ctx, o, okr.CelebrationFilter{Kind: okr.KudosGiven})
			if err != nil || len(feed) != 2 || slices.ContainsFunc(feed, func(c okr.Celebration) bool { return c.SubjectID == ks[0].ID }) {
				t.Errorf("the deleted kudos's entry: %+v %v", feed, err)
			}
			return nil
		})
	})
}
