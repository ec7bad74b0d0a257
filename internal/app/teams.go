package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// TeamInput creates a team.
type TeamInput struct {
	Name      string   `json:"name"`
	Slug      string   `json:"slug,omitempty" doc:"Lower-case letters, digits and dashes; derived from the name when empty."`
	ParentID  string   `json:"parent_id,omitempty"`
	LeadIDs   []string `json:"lead_ids,omitempty"`
	MemberIDs []string `json:"member_ids,omitempty"`
	// Cadence and GraceDays: empty and null inherit from the parent team, then the organization.
	Cadence        org.Cadence `json:"cadence,omitempty" enum:"weekly,biweekly,monthly" doc:"Check-in cadence of the team's key results; empty inherits from the parent team, then the organization."`
	GraceDays      *int        `json:"grace_days,omitempty" doc:"Days of grace after the cadence before a key result turns outdated; absent inherits."`
	ChatWebhookURL string      `json:"chat_webhook_url,omitempty" doc:"Slack-compatible incoming webhook for the team's reminders and its leads' digests."`
}

// TeamUpdate changes a team; absent fields stay.
type TeamUpdate struct {
	Name      *string   `json:"name,omitempty"`
	Slug      *string   `json:"slug,omitempty"`
	ParentID  *string   `json:"parent_id,omitempty" doc:"Empty string makes it a top-level team."`
	LeadIDs   *[]string `json:"lead_ids,omitempty"`
	MemberIDs *[]string `json:"member_ids,omitempty"`
	Cadence   *string   `json:"cadence,omitempty" enum:"weekly,biweekly,monthly,inherit" doc:"\"inherit\" follows the parent team, then the organization."`
	GraceDays *int      `json:"grace_days,omitempty" doc:"Days of grace; -1 inherits from the parent team, then the organization."`
	// ChatWebhookURL: an empty string removes it.
	ChatWebhookURL *string `json:"chat_webhook_url,omitempty" doc:"An empty string removes it."`
}

// validateTeam checks a team's fields against the organization.
func validateTeam(ctx context.Context, tx Tx, orgID string, t *org.Team) error {
	var f errs.Fields
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		f.Add("name", "is required")
	}
	if t.Slug == "" {
		t.Slug = Slugify(t.Name)
	}
	if !slugPattern.MatchString(t.Slug) {
		f.Add("slug", "use lower-case letters, digits and dashes")
	}
	if t.ParentID != "" {
		// Walk up from the parent: meeting the team itself would close a cycle.
		for id, depth := t.ParentID, 0; id != ""; depth++ {
			if id == t.ID || depth > 1000 {
				f.Add("parent_id", "a team cannot sit under itself or one of its sub-teams")
				break
			}
			p, err := tx.GetTeam(ctx, orgID, id)
			if errs.Is(err, errs.NotFound) {
				f.Add("parent_id", "no team %s in this organization", id)
				break
			}
			if err != nil {
				return err
			}
			id = p.ParentID
		}
	}
	if t.Cadence != nil {
		validCadence(&f, "cadence", *t.Cadence)
	}
	if t.GraceDays != nil {
		validGrace(&f, "grace_days", *t.GraceDays)
	}
	for field, ids := range map[string][]string{"lead_ids": t.LeadIDs, "member_ids": t.MemberIDs} {
		for _, id := range ids {
			if _, err := tx.GetMember(ctx, orgID, id); errs.Is(err, errs.NotFound) {
				f.Add(field, "no member %s in this organization", id)
			} else if err != nil {
				return err
			}
		}
	}
	return f.Err()
}

// slugTaken turns a Conflict on insert into the field error a person can act on.
func slugTaken(err error, what, slug string) error {
	if errs.Is(err, errs.Conflict) {
		return &errs.Error{Kind: errs.Conflict, Message: "a " + what + " with this slug exists",
			Fields: []errs.FieldError{{Field: "slug", Message: fmt.Sprintf("%q is taken; choose another", slug)}}}
	}
	return err
}

// CreateTeam creates a team (admin only).
func (a *App) CreateTeam(ctx context.Context, actor org.Actor, in TeamInput, idemKey string) (org.Team, error) {
	var t org.Team
	if err := requireAdmin(actor); err != nil {
		return t, err
	}
	in.ChatWebhookURL = strings.TrimSpace(in.ChatWebhookURL)
	if err := a.checkTeamChat(ctx, actor, in.ChatWebhookURL); err != nil {
		return t, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "team.create", in, func() (string, error) {
			t = org.Team{ID: NewID(), OrgID: actor.OrgID, Name: in.Name, Slug: in.Slug, ParentID: in.ParentID,
				LeadIDs: nonNil(in.LeadIDs), MemberIDs: nonNil(in.MemberIDs), GraceDays: in.GraceDays, ChatWebhookURL: in.ChatWebhookURL}
			if in.Cadence != "" {
				c := in.Cadence
				t.Cadence = &c
			}
			if err := validateTeam(ctx, tx, actor.OrgID, &t); err != nil {
				return "", err
			}
			if err := tx.CreateTeam(ctx, &t); err != nil {
				return "", slugTaken(err, "team", t.Slug)
			}
			if err := record(ctx, tx, actor, "team.create", "team", t.ID, nil, recordedTeam(t)); err != nil {
				return "", err
			}
			_, err := refreshLearning(ctx, tx, actor) // learning key results counting a parent team
			return t.ID, err
		})
		if err != nil {
			return err
		}
		t, err = tx.GetTeam(ctx, actor.OrgID, id)
		return err
	})
	return t, err
}

// nonNil returns s, or an empty slice for nil (JSON [] rather than null).
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// GetTeam returns a team.
func (a *App) GetTeam(ctx context.Context, actor org.Actor, id string) (org.Team, error) {
	var t org.Team
	if err := requireRead(actor); err != nil {
		return t, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		t, err = tx.GetTeam(ctx, actor.OrgID, id)
		return err
	})
	return redactTeam(actor, t), err
}

// redactTeam hides a team's chat webhook (a secret URL) from everyone but
// admins and the team's leads.
func redactTeam(actor org.Actor, t org.Team) org.Team {
	if !actor.IsAdminReader() && !slices.Contains(t.LeadIDs, actor.UserID) {
		t.ChatWebhookURL = ""
	}
	return t
}

// checkTeamChat checks a team's chat webhook against the organization's
// private targets (before any transaction: it resolves the host).
func (a *App) checkTeamChat(ctx context.Context, actor org.Actor, url string) error {
	if url == "" {
		return nil
	}
	var private []string
	if err := a.db.Read(ctx, func(tx Tx) error {
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		private = o.Settings.PrivateWebhookTargets
		return err
	}); err != nil {
		return err
	}
	var f errs.Fields
	checkChatURL(ctx, &f, "chat_webhook_url", url, private)
	return f.Err()
}

// ListTeams lists the organization's teams by id.
func (a *App) ListTeams(ctx context.Context, actor org.Actor, p PageRequest) (Page[org.Team], error) {
	return inMemoryPage(ctx, a, actor, p, func(t org.Team) string { return t.ID }, func(tx Tx) ([]org.Team, error) {
		ts, err := tx.ListTeams(ctx, actor.OrgID)
		for i := range ts {
			ts[i] = redactTeam(actor, ts[i])
		}
		return ts, err
	})
}

// UpdateTeam changes a team: admins change anything; the team's leads its
// name and people.
func (a *App) UpdateTeam(ctx context.Context, actor org.Actor, id string, ifMatch *int, in TeamUpdate) (org.Team, error) {
	var t org.Team
	if err := requireWrite(actor); err != nil {
		return t, err
	}
	if in.ChatWebhookURL != nil {
		url := strings.TrimSpace(*in.ChatWebhookURL)
		in.ChatWebhookURL = &url
		if err := a.checkTeamChat(ctx, actor, url); err != nil {
			return t, err
		}
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetTeam(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if !actor.IsAdmin() && !slices.Contains(before.LeadIDs, actor.UserID) {
			return errs.E(errs.Forbidden, "only admins and the team's leads may change it")
		}
		if !actor.IsAdmin() && (in.ParentID != nil && *in.ParentID != before.ParentID || in.Slug != nil && *in.Slug != before.Slug) {
			// Where a team sits decides who sees what it keeps to itself.
			return errs.E(errs.Forbidden, "only admins may move a team or change its slug; leads may rename it and change its people")
		}
		if err := checkVersion(ifMatch, before.Version, "team"); err != nil {
			return err
		}
		t = before
		t.LeadIDs, t.MemberIDs = append([]string(nil), before.LeadIDs...), append([]string(nil), before.MemberIDs...)
		setIf(&t.Name, in.Name)
		setIf(&t.Slug, in.Slug)
		setIf(&t.ParentID, in.ParentID)
		setIf(&t.LeadIDs, in.LeadIDs)
		setIf(&t.MemberIDs, in.MemberIDs)
		setIf(&t.ChatWebhookURL, in.ChatWebhookURL)
		if in.Cadence != nil {
			switch c := org.Cadence(*in.Cadence); c {
			case "", "inherit":
				t.Cadence = nil
			default:
				t.Cadence = &c
			}
		}
		if in.GraceDays != nil {
			if *in.GraceDays < 0 {
				t.GraceDays = nil
			} else {
				g := *in.GraceDays
				t.GraceDays = &g
			}
		}
		if err := validateTeam(ctx, tx, actor.OrgID, &t); err != nil {
			return err
		}
		if err := tx.UpdateTeam(ctx, &t, before.Version); err != nil {
			return slugTaken(err, "team", t.Slug)
		}
		if err := record(ctx, tx, actor, "team.update", "team", id, recordedTeam(before), recordedTeam(t)); err != nil {
			return err
		}
		_, err = refreshLearning(ctx, tx, actor) // learning key results counting the team's people
		return err
	})
	return t, err
}

// DeleteTeam removes a team (admin only) that owns no objectives; its
// sub-teams move up to its parent.
func (a *App) DeleteTeam(ctx context.Context, actor org.Actor, id string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetTeam(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		owned, err := tx.ListObjectives(ctx, actor.OrgID, okr.ObjectiveFilter{OwnerType: okr.OwnerTeam, OwnerID: id, Limit: 1})
		if err != nil {
			return err
		}
		if len(owned) > 0 {
			return errs.E(errs.Conflict, "team %s owns objectives (such as %q); give them to another owner before deleting the team", before.Name, owned[0].Title)
		}
		if err := tx.DeleteTeam(ctx, actor.OrgID, id); err != nil {
			return err
		}
		if err := tx.DeleteRequirementsOf(ctx, actor.OrgID, learning.Subject{Type: learning.SubjectTeam, ID: id}); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "team.delete", "team", id, recordedTeam(before), nil); err != nil {
			return err
		}
		_, err = refreshLearning(ctx, tx, actor)
		return err
	})
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// recordedTeam is a team as the audit log and outgoing events show it: its
// chat webhook's URL reduced to the host.
func recordedTeam(t org.Team) org.Team {
	t.ChatWebhookURL = redactURL(t.ChatWebhookURL)
	return t
}
