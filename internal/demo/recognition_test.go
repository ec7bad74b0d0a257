package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// TestSeedRecognition: the demo's lessons, votes and kudos, and the
// achievements its check-ins and learning history recorded by themselves.
func TestSeedRecognition(t *testing.T) {
	now := time.Date(2026, 4, 29, 15, 0, 0, 0, time.UTC)
	s := seed(t, now)
	ctx := context.Background()
	ls, err := s.a.ListLessons(ctx, s.owner, app.LessonQuery{PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	manual := 0
	for _, l := range ls.Items {
		if l.Source == okr.LessonManual {
			manual++
		}
	}
	if manual != 5 {
		t.Errorf("%d lessons written by hand, want 5", manual)
	}
	found, err := s.a.ListLessons(ctx, s.owner, app.LessonQuery{Q: "escalation", PageRequest: app.PageRequest{Limit: 10}})
	if err != nil || len(found.Items) < 2 || found.Items[0].Title != "Give every escalation one named owner" || found.Items[0].Helpful != 4 {
		t.Errorf("searching escalation: %+v %v", found.Items, err)
	}
	feed, err := s.a.ListCelebrations(ctx, s.owner, app.CelebrationQuery{PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[okr.CelebrationKind]int{}
	for i, c := range feed.Items {
		byKind[c.Kind]++
		if i > 0 && c.Created.After(feed.Items[i-1].Created) {
			t.Errorf("the feed is not newest first at %d: %s after %s", i, c.Created, feed.Items[i-1].Created)
		}
	}
	if byKind[okr.KudosGiven] != 8 || byKind[okr.KeyResultReached] == 0 || byKind[okr.CertificationPassed] == 0 ||
		byKind[okr.SkillLevelGained] == 0 {
		t.Errorf("feed by kind %v: want every kudos, and key results reached, certifications passed and levels gained by themselves", byKind)
	}
}
