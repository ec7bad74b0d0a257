package app

import (
	"context"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// AdminSummary is an organization's administration at a glance: how many
// members, invitations, teams, periods and API tokens it has, and in which
// state.
type AdminSummary struct {
	// ActiveMembers and InactiveMembers count the memberships; Roles counts
	// the active ones by role.
	ActiveMembers   int              `json:"active_members"`
	InactiveMembers int              `json:"inactive_members"`
	Roles           map[org.Role]int `json:"roles"`
	// PendingInvitations may still be accepted (not accepted, revoked or expired).
	PendingInvitations int `json:"pending_invitations"`
	Teams              int `json:"teams"`
	// TopLevelTeams have no parent team.
	TopLevelTeams int `json:"top_level_teams"`
	// Periods counts the periods by state (planning, active, closed).
	Periods map[okr.PeriodState]int `json:"periods"`
	// ActiveTokens are the API tokens not revoked; RevokedTokens the others.
	ActiveTokens  int `json:"active_tokens"`
	RevokedTokens int `json:"revoked_tokens"`
}

// AdminSummary counts what an admin looks after (admin only; anyone else
// gets errs.Forbidden).
func (a *App) AdminSummary(ctx context.Context, actor org.Actor) (AdminSummary, error) {
	s := AdminSummary{Roles: map[org.Role]int{}, Periods: map[okr.PeriodState]int{}}
	if err := requireAdmin(actor); err != nil {
		return s, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		for after := ""; ; {
			ms, err := tx.ListMembers(ctx, actor.OrgID, after, maxLimit)
			if err != nil {
				return err
			}
			for _, m := range ms {
				if m.Active {
					s.ActiveMembers++
					s.Roles[m.Role]++
				} else {
					s.InactiveMembers++
				}
			}
			if len(ms) < maxLimit {
				break
			}
			after = ms[len(ms)-1].ID
		}
		invs, err := tx.ListInvitations(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		now := tx.Now()
		for _, inv := range invs {
			if inv.Pending(now) {
				s.PendingInvitations++
			}
		}
		teams, err := tx.ListTeams(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		s.Teams = len(teams)
		for _, t := range teams {
			if t.ParentID == "" {
				s.TopLevelTeams++
			}
		}
		for after := ""; ; {
			ps, err := tx.ListPeriods(ctx, actor.OrgID, after, maxLimit)
			if err != nil {
				return err
			}
			for _, p := range ps {
				s.Periods[p.State]++
			}
			if len(ps) < maxLimit {
				break
			}
			after = ps[len(ps)-1].ID
		}
		tokens, err := tx.ListTokens(ctx, actor.OrgID, "")
		if err != nil {
			return err
		}
		for _, t := range tokens {
			if t.RevokedAt == nil {
				s.ActiveTokens++
			} else {
				s.RevokedTokens++
			}
		}
		return nil
	})
	return s, err
}
