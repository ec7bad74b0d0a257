package app_test

import (
	"context"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

func TestAdminSummary(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)

	if _, err := w.a.AdminSummary(ctx, w.ann); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a member's summary: err = %v, want Forbidden", err)
	}

	// Change something of each kind, so every count differs from its default.
	if _, err := w.a.Invite(ctx, w.owner, app.InvitationInput{Email: "newcomer@acme.test", Role: org.RoleMember}); err != nil {
		t.Fatal(err)
	}
	gone, err := w.a.Invite(ctx, w.owner, app.InvitationInput{Email: "gone@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.a.RevokeInvitation(ctx, w.owner, gone.Invitation.ID); err != nil {
		t.Fatal(err)
	}
	bob, err := w.a.GetUser(ctx, w.owner, w.bob.UserID)
	if err != nil {
		t.Fatal(err)
	}
	inactive := false
	if _, err := w.a.UpdateUser(ctx, w.owner, bob.ID, &bob.Version, app.MemberUpdate{Active: &inactive}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Tier 2", ParentID: w.team.ID}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.ActivatePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.CreatePeriod(ctx, w.owner, app.PeriodInput{Name: "2027-Q2", Kind: okr.PeriodQuarterly, StartDate: "2027-04-01", EndDate: "2027-06-30"}, ""); err != nil {
		t.Fatal(err)
	}
	tk, err := w.a.CreateToken(ctx, w.owner, app.TokenInput{Name: "CI", Scopes: []org.Scope{org.ScopeRead}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.a.RevokeToken(ctx, w.owner, tk.ID); err != nil {
		t.Fatal(err)
	}

	s, err := w.a.AdminSummary(ctx, w.owner)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what      string
		got, want int
	}{
		{"active members", s.ActiveMembers, 3},
		{"inactive members", s.InactiveMembers, 1},
		{"owners", s.Roles[org.RoleOwner], 1},
		{"members", s.Roles[org.RoleMember], 1},
		{"viewers", s.Roles[org.RoleViewer], 1},
		{"pending invitations", s.PendingInvitations, 1},
		{"teams", s.Teams, 2},
		{"top-level teams", s.TopLevelTeams, 1},
		{"active periods", s.Periods[okr.PeriodActive], 1},
		{"periods in planning", s.Periods[okr.PeriodPlanning], 1},
		{"closed periods", s.Periods[okr.PeriodClosed], 0},
		// The owner's from Init and the three members' tokens; the CI token is revoked.
		{"active tokens", s.ActiveTokens, 4},
		{"revoked tokens", s.RevokedTokens, 1},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.what, c.got, c.want)
		}
	}
}
