package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/org"
)

// TestSeedRhythm: the demo's teams with a rhythm of their own, and the
// inboxes a Monday morning fills: the reminders of due check-ins (the
// stale key result's owner among them) and the weekly digests.
func TestSeedRhythm(t *testing.T) {
	now := time.Date(2026, 5, 18, 9, 0, 0, 0, time.UTC) // a Monday, 48 days into the quarter
	s := seed(t, now)
	ctx := context.Background()
	teams, err := s.a.ListTeams(ctx, s.owner, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams.Items {
		switch tm.Name {
		case "Labs Platform":
			if tm.Cadence == nil || *tm.Cadence != org.Biweekly {
				t.Errorf("Labs Platform's cadence: %v", tm.Cadence)
			}
		case "Care Front Desk":
			if tm.GraceDays == nil || *tm.GraceDays != 2 || tm.Cadence != nil {
				t.Errorf("Care Front Desk: cadence %v, grace %v", tm.Cadence, tm.GraceDays)
			}
		}
	}
	kinds := map[string]int{}
	ms, err := s.a.ListUsers(ctx, s.owner, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms.Items {
		actor := org.Actor{OrgID: s.res.OrgID, UserID: m.ID, Role: m.Role, Scopes: []org.Scope{org.ScopeRead}}
		in, err := s.a.ListNotifications(ctx, actor, false, app.PageRequest{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range in.Items {
			kinds[n.Kind]++
			if n.Title == "" || n.Body == "" || !strings.HasPrefix(n.Link, "/") {
				t.Errorf("%s: an empty notification: %+v", m.Email, n)
			}
		}
	}
	if kinds[app.NotifyReminder] == 0 || kinds[app.NotifyDigest] == 0 || kinds[app.NotifyLeadDigest] == 0 {
		t.Errorf("the demo's inboxes hold %v; want reminders, digests and lead digests", kinds)
	}
}
