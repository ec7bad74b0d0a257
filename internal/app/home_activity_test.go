package app_test

import (
	"context"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

func TestRecentActivityRespectsVisibility(t *testing.T) {
	ctx := context.Background()
	s := newSheet(t)
	checkIn := func(k okr.KeyResult, v float64) okr.CheckIn {
		t.Helper()
		res, err := s.a.CheckIn(ctx, s.owner, k.ID, app.CheckInInput{Value: &v, Confidence: 0.8, Status: okr.OnTrack}, "")
		if err != nil {
			t.Fatal(err)
		}
		return res.CheckIn
	}
	comment := func(st okr.SubjectType, id, body string) okr.Comment {
		t.Helper()
		c, err := s.a.CreateComment(ctx, s.owner, app.CommentInput{SubjectType: st, SubjectID: id, Body: body}, "")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c1 := checkIn(s.k1, 10)
	secret := checkIn(s.bobSecret, 5)
	n1 := comment(okr.SubjectObjective, s.annA.ID, "Nice start")
	n2 := comment(okr.SubjectCheckIn, c1.ID, "How?")
	hidden := comment(okr.SubjectKeyResult, s.bobSecret.ID, "Psst")
	c2 := checkIn(s.bobKR, 3)

	// Ann sees what happened on the public objectives, newest first, and
	// nothing of Bob's private one.
	got, err := s.a.RecentActivity(ctx, s.ann, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{c2.ID, n2.ID, n1.ID, c1.ID}
	if len(got) != len(want) {
		t.Fatalf("Ann sees %d items, want %d: %+v", len(got), len(want), got)
	}
	for i, id := range want {
		if got[i].ID() != id {
			t.Errorf("item %d is %s (%s), want %s", i, got[i].ID(), got[i].Kind, id)
		}
	}
	if got[0].Kind != app.ActivityCheckIn || got[0].KeyResult.Title != "Calls" || got[0].Objective.Title != "Bob's public" {
		t.Errorf("newest: %+v, want the check-in on Calls in Bob's public objective", got[0])
	}
	if got[1].Kind != app.ActivityComment || got[1].CheckIn == nil || got[1].CheckIn.ID != c1.ID || got[1].KeyResult.ID != s.k1.ID {
		t.Errorf("the comment on a check-in: %+v", got[1])
	}
	if got[2].KeyResult != nil || got[2].Objective.ID != s.annA.ID || got[2].AuthorID != s.owner.UserID {
		t.Errorf("the comment on an objective: %+v", got[2])
	}

	// The owner sees everything; the limit cuts the oldest.
	all, err := s.a.RecentActivity(ctx, s.owner, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, x := range all {
		ids[x.ID()] = true
	}
	if len(all) != 6 || !ids[secret.ID] || !ids[hidden.ID] {
		t.Fatalf("the owner sees %d items, want all 6", len(all))
	}
	two, err := s.a.RecentActivity(ctx, s.owner, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(two) != 2 || two[0].ID() != c2.ID || two[1].ID() != hidden.ID {
		t.Fatalf("limit 2: %+v", two)
	}
}

func TestMyObjectives(t *testing.T) {
	ctx := context.Background()
	s := newSheet(t)
	team, err := s.a.CreateObjective(ctx, s.ann, app.ObjectiveInput{PeriodID: s.period.ID, Title: "Answer within an hour",
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: s.team.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.a.MyObjectives(ctx, s.ann, s.period.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The team's first, then her own by title; not the company's nor Bob's.
	want := []string{team.ID, s.annB.ID, s.annA.ID}
	if len(got) != len(want) {
		t.Fatalf("Ann's objectives: %d, want %d", len(got), len(want))
	}
	for i, id := range want {
		if got[i].ID != id {
			t.Errorf("objective %d is %q", i, got[i].Title)
		}
	}
	if got[1].Health == "" || got[1].Expected < 0 {
		t.Errorf("signals not filled: %+v", got[1])
	}
	bob, err := s.a.MyObjectives(ctx, s.bob, s.period.ID)
	if err != nil || len(bob) != 2 {
		t.Fatalf("Bob's objectives: %v, %d, want his 2", err, len(bob))
	}
}
