package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

func newOrg(slug string) org.Organization {
	return org.Organization{ID: app.NewID(), Name: "Org " + slug, Slug: slug, TimeZone: "Europe/Paris",
		Settings: org.Settings{CadenceDays: 14, GraceDays: 2, BehindThreshold: 0.3, ForecastPoints: 5}}
}

func ptr[T any](v T) *T { return &v }

// TestOrgRoundTrip: organizations, users, memberships, teams and tokens read
// back as they were written.
func TestOrgRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		// Organizations.
		o := newOrg("acme")
		other := newOrg("globex")
		created := write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.CreateOrganization(ctx, &o); err != nil {
				return err
			}
			return tx.CreateOrganization(ctx, &other)
		})
		same(t, "organization created_at set on the struct", created, o.Created)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetOrganization(ctx, o.ID)
			if err != nil {
				return err
			}
			same(t, "GetOrganization", o, got)
			got, err = tx.GetOrganizationBySlug(ctx, "acme")
			if err != nil {
				return err
			}
			same(t, "GetOrganizationBySlug", o, got)
			return nil
		})
		settings := org.Settings{CadenceDays: 7, GraceDays: 0, BehindThreshold: 0.125, ForecastPoints: 9}
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateOrganizationSettings(ctx, o.ID, settings) })
		o.Settings = settings
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetOrganization(ctx, o.ID)
			noErr(t, err)
			same(t, "organization after UpdateOrganizationSettings", o, got)
			got, _ = tx.GetOrganization(ctx, other.ID)
			same(t, "the other organization's settings", other.Settings, got.Settings)
			return err
		})

		// Users and memberships.
		ann := org.User{ID: app.NewID(), Email: "ann@example.com", Name: "Ann Archer", PasswordHash: "$argon2id$v=19$m=65536$abc"}
		bob := org.User{ID: app.NewID(), Email: "bob@example.com", Name: "Bob Baker"}
		cat := org.User{ID: app.NewID(), Email: "cat@example.com", Name: "Cat Cole"}
		usersAt := write(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, u := range []*org.User{&ann, &bob, &cat} {
				if err := tx.CreateUser(ctx, u); err != nil {
					return err
				}
			}
			return nil
		})
		same(t, "user created_at set on the struct", usersAt, ann.Created)
		membersAt := write(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, m := range []org.Membership{
				{OrgID: o.ID, UserID: ann.ID, Role: org.RoleOwner, Active: true},
				{OrgID: o.ID, UserID: bob.ID, Role: org.RoleMember, Active: true},
				{OrgID: o.ID, UserID: cat.ID, Role: org.RoleViewer, Active: true},
			} {
				if err := tx.AddMembership(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		otherAt := write(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.AddMembership(ctx, org.Membership{OrgID: other.ID, UserID: ann.ID, Name: "Ann of Other", Role: org.RoleAdmin, Active: false})
		})
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateMembership(ctx, o.ID, cat.ID, org.RoleAdmin, false, 1)
		})
		// A member is seen with the membership's own time and version, and the
		// name the organization gave, if any.
		member := func(u org.User, at time.Time, name string) org.User {
			u.Created = at
			if name != "" {
				u.Name = name
			}
			return u
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, email := range []string{"ann@example.com", "ANN@Example.com"} {
				got, err := tx.GetUserByEmail(ctx, email)
				if err != nil {
					return err
				}
				same(t, "GetUserByEmail "+email, ann, got)
			}
			_, err := tx.GetUserByEmail(ctx, "nobody@example.com")
			wantKind(t, "GetUserByEmail of nobody", err, errs.NotFound)

			m, err := tx.GetMember(ctx, o.ID, ann.ID)
			if err != nil {
				return err
			}
			same(t, "GetMember ann", org.Member{User: member(ann, membersAt, ""), Role: org.RoleOwner, Active: true, Version: 1}, m)
			m, err = tx.GetMember(ctx, o.ID, cat.ID)
			if err != nil {
				return err
			}
			same(t, "GetMember cat after UpdateMembership", org.Member{User: member(cat, membersAt, ""), Role: org.RoleAdmin, Active: false, Version: 2}, m)
			_, err = tx.GetMember(ctx, other.ID, bob.ID)
			wantKind(t, "GetMember of a non-member", err, errs.NotFound)

			all := []org.Member{{User: member(ann, membersAt, ""), Role: org.RoleOwner, Active: true, Version: 1},
				{User: member(bob, membersAt, ""), Role: org.RoleMember, Active: true, Version: 1},
				{User: member(cat, membersAt, ""), Role: org.RoleAdmin, Active: false, Version: 2}} // ids are time-ordered: ann < bob < cat
			got, err := tx.ListMembers(ctx, o.ID, "", 10)
			if err != nil {
				return err
			}
			same(t, "ListMembers", all, got)
			got, err = tx.ListMembers(ctx, o.ID, ann.ID, 1)
			if err != nil {
				return err
			}
			same(t, "ListMembers after ann, limit 1", all[1:2], got)
			got, err = tx.ListMembers(ctx, other.ID, "", 10)
			noErr(t, err)
			same(t, "ListMembers of the other organization", []org.Member{{User: member(ann, otherAt, "Ann of Other"), Role: org.RoleAdmin, Version: 1}}, got)

			ms, err := tx.ListMemberships(ctx, ann.ID)
			if err != nil {
				return err
			}
			same(t, "ListMemberships ann", []org.Membership{
				{OrgID: o.ID, UserID: ann.ID, Role: org.RoleOwner, Active: true, Version: 1, Created: membersAt},
				{OrgID: other.ID, UserID: ann.ID, Name: "Ann of Other", Role: org.RoleAdmin, Active: false, Version: 1, Created: otherAt},
			}, ms)
			return err
		})
		err := attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateMembership(ctx, other.ID, bob.ID, org.RoleAdmin, true, 1)
		})
		wantKind(t, "UpdateMembership of a non-member", err, errs.NotFound)
		err = attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateMembership(ctx, o.ID, cat.ID, org.RoleViewer, true, 1)
		})
		wantKind(t, "UpdateMembership with a stale version", err, errs.PreconditionFailed)

		// Teams: a tree with leads and members.
		root := org.Team{ID: app.NewID(), OrgID: o.ID, Name: "Engineering", Slug: "eng", LeadIDs: []string{ann.ID}, MemberIDs: []string{bob.ID, cat.ID}}
		child := org.Team{ID: app.NewID(), OrgID: o.ID, Name: "Backend", Slug: "backend", ParentID: root.ID, LeadIDs: []string{bob.ID}}
		teamsAt := write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.CreateTeam(ctx, &root); err != nil {
				return err
			}
			return tx.CreateTeam(ctx, &child)
		})
		if root.Version != 1 || !root.Created.Equal(teamsAt) || !root.Updated.Equal(teamsAt) {
			t.Errorf("CreateTeam set version %d, created %v, updated %v; want 1 and %v", root.Version, root.Created, root.Updated, teamsAt)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetTeam(ctx, o.ID, root.ID)
			if err != nil {
				return err
			}
			same(t, "GetTeam root", root, got)
			got, err = tx.GetTeam(ctx, o.ID, child.ID)
			if err != nil {
				return err
			}
			same(t, "GetTeam child", child, got)
			list, err := tx.ListTeams(ctx, o.ID)
			noErr(t, err)
			same(t, "ListTeams (by name)", []org.Team{child, root}, list)
			ids, err := tx.TeamsOfUser(ctx, o.ID, bob.ID)
			noErr(t, err)
			same(t, "TeamsOfUser bob", sorted([]string{root.ID, child.ID}), sorted(ids))
			ids, err = tx.TeamsOfUser(ctx, o.ID, ann.ID)
			noErr(t, err)
			same(t, "TeamsOfUser ann", []string{root.ID}, ids)
			return err
		})
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			chain, err := tx.TeamRhythmChain(ctx, o.ID, child.ID)
			noErr(t, err)
			var names []string
			for _, tm := range chain {
				names = append(names, tm.Name)
			}
			same(t, "TeamRhythmChain of the child, nearest first", []string{"Backend", "Engineering"}, names)
			chain, err = tx.TeamRhythmChain(ctx, other.ID, child.ID)
			noErr(t, err)
			same(t, "TeamRhythmChain of a team of another organization", 0, len(chain))
			return err
		})
		root.Name, root.Slug, root.LeadIDs, root.MemberIDs = "Product Engineering", "product-eng", []string{bob.ID}, []string{ann.ID}
		updatedAt := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateTeam(ctx, &root, 1) })
		if root.Version != 2 || !root.Updated.Equal(updatedAt) {
			t.Errorf("UpdateTeam set version %d, updated %v; want 2, %v", root.Version, root.Updated, updatedAt)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetTeam(ctx, o.ID, root.ID)
			noErr(t, err)
			same(t, "GetTeam root after UpdateTeam", root, got)
			ids, err2 := tx.TeamsOfUser(ctx, o.ID, cat.ID)
			noErr(t, err2)
			same(t, "TeamsOfUser cat after leaving", []string(nil), ids)
			return err
		})
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteTeam(ctx, o.ID, root.ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetTeam(ctx, o.ID, root.ID)
			wantKind(t, "GetTeam of a deleted team", err, errs.NotFound)
			got, err := tx.GetTeam(ctx, o.ID, child.ID)
			if got.ParentID != "" {
				t.Errorf("sub-team of a deleted root team has parent %q, want none", got.ParentID)
			}
			ids, err2 := tx.TeamsOfUser(ctx, o.ID, ann.ID)
			noErr(t, err2)
			same(t, "TeamsOfUser ann after the team's deletion", []string(nil), ids)
			return err
		})

		// Tokens.
		tk1 := org.Token{ID: app.NewID(), OrgID: o.ID, UserID: ann.ID, Name: "ci", Hash: "hash-1", Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite}}
		tk2 := org.Token{ID: app.NewID(), OrgID: o.ID, UserID: bob.ID, Name: "cli", Hash: "hash-2", Scopes: []org.Scope{org.ScopeAdmin}}
		tokensAt := write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.CreateToken(ctx, &tk1); err != nil {
				return err
			}
			return tx.CreateToken(ctx, &tk2)
		})
		same(t, "token created_at set on the struct", tokensAt, tk1.Created)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.TokenByHash(ctx, "hash-1")
			noErr(t, err)
			same(t, "TokenByHash", tk1, got)
			got, err = tx.GetToken(ctx, o.ID, tk2.ID)
			noErr(t, err)
			same(t, "GetToken", tk2, got)
			_, err = tx.TokenByHash(ctx, "hash-3")
			wantKind(t, "TokenByHash of an unknown hash", err, errs.NotFound)
			list, err := tx.ListTokens(ctx, o.ID, "")
			noErr(t, err)
			same(t, "ListTokens", []org.Token{tk1, tk2}, list)
			list, err = tx.ListTokens(ctx, o.ID, bob.ID)
			noErr(t, err)
			same(t, "ListTokens of bob", []org.Token{tk2}, list)
			return err
		})
		revokedAt := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.RevokeToken(ctx, o.ID, tk1.ID) })
		tk1.RevokedAt = &revokedAt
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.TokenByHash(ctx, "hash-1")
			noErr(t, err)
			same(t, "revoked token", tk1, got)
			got, err = tx.GetToken(ctx, o.ID, tk2.ID)
			noErr(t, err)
			same(t, "the other token after a revocation", tk2, got)
			return err
		})
		err = attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.RevokeToken(ctx, o.ID, tk1.ID) })
		wantKind(t, "RevokeToken of a revoked token", err, errs.NotFound)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetToken(ctx, o.ID, tk1.ID)
			noErr(t, err)
			same(t, "token revoked twice keeps its first revocation time", tk1, got)
			return err
		})
	})
}

// okrWorld is one organization with two members and a period, for OKR tests.
type okrWorld struct {
	org      org.Organization
	ann, bob org.User
	year, q1 okr.Period
}

func newOKRWorld(t testing.TB, s *store.Store, slug string) okrWorld {
	t.Helper()
	w := okrWorld{
		org: newOrg(slug),
		ann: org.User{ID: app.NewID(), Email: "ann@" + slug + ".example", Name: "Ann"},
		bob: org.User{ID: app.NewID(), Email: "bob@" + slug + ".example", Name: "Bob"},
	}
	w.year = okr.Period{ID: app.NewID(), OrgID: w.org.ID, Name: "2027", Kind: okr.PeriodAnnual, StartDate: "2027-01-01", EndDate: "2027-12-31", State: okr.PeriodActive}
	w.q1 = okr.Period{ID: app.NewID(), OrgID: w.org.ID, Name: "2027-Q1", Kind: okr.PeriodQuarterly, StartDate: "2027-01-01", EndDate: "2027-03-31",
		ParentID: w.year.ID, State: okr.PeriodPlanning}
	write(t, s, func(ctx context.Context, tx app.Tx) error {
		if err := tx.CreateOrganization(ctx, &w.org); err != nil {
			return err
		}
		for _, u := range []*org.User{&w.ann, &w.bob} {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			if err := tx.AddMembership(ctx, org.Membership{OrgID: w.org.ID, UserID: u.ID, Role: org.RoleMember, Active: true}); err != nil {
				return err
			}
		}
		if err := tx.CreatePeriod(ctx, &w.year); err != nil {
			return err
		}
		return tx.CreatePeriod(ctx, &w.q1)
	})
	return w
}

// TestPeriodRoundTrip: periods read back as written, listed by id, updated
// with a version check.
func TestPeriodRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w := newOKRWorld(t, s, "periods")
		if w.q1.Version != 1 || w.q1.Created.IsZero() || !w.q1.Updated.Equal(w.q1.Created) {
			t.Errorf("CreatePeriod set version %d, created %v, updated %v", w.q1.Version, w.q1.Created, w.q1.Updated)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetPeriod(ctx, w.org.ID, w.q1.ID)
			noErr(t, err)
			same(t, "GetPeriod", w.q1, got)
			list, err := tx.ListPeriods(ctx, w.org.ID, "", 10)
			noErr(t, err)
			same(t, "ListPeriods", []okr.Period{w.year, w.q1}, list)
			list, err = tx.ListPeriods(ctx, w.org.ID, w.year.ID, 10)
			noErr(t, err)
			same(t, "ListPeriods after the year", []okr.Period{w.q1}, list)
			list, err = tx.ListPeriods(ctx, w.org.ID, "", 1)
			noErr(t, err)
			same(t, "ListPeriods limit 1", []okr.Period{w.year}, list)
			return err
		})
		w.q1.Name, w.q1.Kind, w.q1.StartDate, w.q1.EndDate, w.q1.ParentID, w.q1.State = "Q1 (custom)", okr.PeriodCustom, "2027-01-04", "2027-04-02", "", okr.PeriodClosed
		at := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdatePeriod(ctx, &w.q1, 1) })
		if w.q1.Version != 2 || !w.q1.Updated.Equal(at) {
			t.Errorf("UpdatePeriod set version %d, updated %v; want 2, %v", w.q1.Version, w.q1.Updated, at)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetPeriod(ctx, w.org.ID, w.q1.ID)
			noErr(t, err)
			same(t, "GetPeriod after UpdatePeriod", w.q1, got)
			return err
		})
	})
}

// keyResultsOfEveryKind returns one key result of each kind with every field set.
func keyResultsOfEveryKind(orgID, objectiveID, ownerID string) []okr.KeyResult {
	last := time.Date(2027, 1, 20, 8, 15, 30, 123456000, time.UTC)
	return []okr.KeyResult{
		{ID: app.NewID(), OrgID: orgID, ObjectiveID: objectiveID, Title: "Grow weekly active teams", OwnerID: ownerID,
			Kind: okr.Increase, Unit: okr.UnitNumber, Baseline: 10, Target: 110, Current: 35, Weight: 2, DueDate: "2027-03-31",
			Indicator: okr.Leading, Source: okr.SourceManual, Progress: 0.25, Confidence: ptr(0.8), LastStatus: okr.OnTrack,
			LastCheckIn: &last, Forecast: &okr.Forecast{Value: 120.5, OnTrack: true}},
		{ID: app.NewID(), OrgID: orgID, ObjectiveID: objectiveID, Title: "Cut cloud spend", Kind: okr.Decrease,
			Unit: okr.UnitCurrency, Currency: "EUR", Baseline: 500000, Target: 100000, Current: 300000, Weight: 1, DueDate: "2027-06-30",
			Indicator: okr.Lagging, Source: okr.SourceAPI, Progress: 0.5, Confidence: ptr(0.35), LastStatus: okr.AtRisk,
			Forecast: &okr.Forecast{Value: 250000, OnTrack: false}},
		{ID: app.NewID(), OrgID: orgID, ObjectiveID: objectiveID, Title: "Keep availability", Kind: okr.Maintain,
			Unit: okr.UnitPercent, Band: &okr.Band{Low: 99.5, High: 99.99}, Current: 99.7, Weight: 0.5, DueDate: "2027-03-31",
			Indicator: okr.Lagging, Source: okr.SourceKPI, Measure: json.RawMessage(`{"kpi_id":"uptime","aggregate":"last"}`), Progress: 1},
		{ID: app.NewID(), OrgID: orgID, ObjectiveID: objectiveID, Title: "Launch the mobile app", Kind: okr.Milestone,
			Unit: okr.UnitCustom, UnitLabel: "steps", Weight: 3, DueDate: "2027-03-15", Indicator: okr.Leading, Source: okr.SourceLearning,
			Measure: json.RawMessage(`{"skill_id":"s1","level":3}`), Progress: 0.6,
			Milestones: []okr.MilestoneItem{{ID: "m1", Title: "Design", Weight: 2, Done: true}, {ID: "m2", Title: "Beta", Weight: 1, Done: true},
				{ID: "m3", Title: "Store release", Weight: 2}}},
		{ID: app.NewID(), OrgID: orgID, ObjectiveID: objectiveID, Title: "SOC 2 report signed", Kind: okr.Boolean,
			Unit: okr.UnitNumber, Current: 1, Weight: 1, DueDate: "2027-02-28", Indicator: okr.Lagging, Source: okr.SourceManual, Progress: 1,
			Milestones: []okr.MilestoneItem{}},
	}
}

// TestObjectiveAndKeyResultRoundTrip: objectives with tags and alignments,
// and key results of every kind, read back as written; lists filter; updates
// store every field; deletes cascade.
func TestObjectiveAndKeyResultRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w := newOKRWorld(t, s, "okrs")
		team := org.Team{ID: app.NewID(), OrgID: w.org.ID, Name: "Platform", Slug: "platform"}
		parent := okr.Objective{ID: app.NewID(), OrgID: w.org.ID, PeriodID: w.year.ID, Title: "Become the default OKR tool",
			Description: "Across **every** team.", Owner: okr.Owner{Type: okr.OwnerOrg}, ChampionID: w.ann.ID, Kind: okr.Committed,
			Visibility: okr.Public, State: okr.Active, Weight: 2, Tags: []string{"growth", "2027"}, Progress: 0.375}
		createdAt := write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.CreateTeam(ctx, &team); err != nil {
				return err
			}
			return tx.CreateObjective(ctx, &parent)
		})
		if parent.Version != 1 || !parent.Created.Equal(createdAt) || !parent.Updated.Equal(createdAt) {
			t.Errorf("CreateObjective set version %d, created %v, updated %v", parent.Version, parent.Created, parent.Updated)
		}
		krs := keyResultsOfEveryKind(w.org.ID, parent.ID, w.bob.ID)
		krAt := write(t, s, func(ctx context.Context, tx app.Tx) error {
			for i := range krs {
				if err := tx.CreateKeyResult(ctx, &krs[i]); err != nil {
					return err
				}
			}
			return nil
		})
		for _, k := range krs {
			if k.Version != 1 || !k.Created.Equal(krAt) || !k.Updated.Equal(krAt) {
				t.Errorf("CreateKeyResult %s set version %d, created %v, updated %v", k.Title, k.Version, k.Created, k.Updated)
			}
		}
		child := okr.Objective{ID: app.NewID(), OrgID: w.org.ID, PeriodID: w.q1.ID, Title: "Make the platform boring",
			Owner: okr.Owner{Type: okr.OwnerTeam, ID: team.ID}, Kind: okr.Aspirational, Visibility: okr.Team, State: okr.Draft, Weight: 1,
			Tags: []string{"reliability"},
			Alignments: []okr.Alignment{
				{ParentType: okr.ParentObjective, ParentID: parent.ID, Link: okr.Contributes},
				{ParentType: okr.ParentKeyResult, ParentID: krs[2].ID, Link: okr.Supports},
			}}
		mine := okr.Objective{ID: app.NewID(), OrgID: w.org.ID, PeriodID: w.q1.ID, Title: "Learn Go", Owner: okr.Owner{Type: okr.OwnerUser, ID: w.bob.ID},
			Kind: okr.Committed, Visibility: okr.Private, State: okr.Active, Weight: 1}
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.CreateObjective(ctx, &child); err != nil {
				return err
			}
			return tx.CreateObjective(ctx, &mine)
		})
		for _, a := range child.Alignments {
			if a.ID == "" || a.ChildID != child.ID {
				t.Errorf("CreateObjective left alignment %+v without id or child", a)
			}
		}
		if mine.Tags == nil {
			t.Error("CreateObjective left nil tags")
		}
		parent.Alignments, mine.Alignments = []okr.Alignment{}, []okr.Alignment{}

		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, o := range []okr.Objective{parent, child, mine} {
				got, err := tx.GetObjective(ctx, w.org.ID, o.ID)
				if err != nil {
					return err
				}
				same(t, "GetObjective "+o.Title, o, got)
			}
			for _, k := range krs {
				got, err := tx.GetKeyResult(ctx, w.org.ID, k.ID)
				if err != nil {
					return err
				}
				same(t, "GetKeyResult "+string(k.Kind), k, got)
			}

			objs, err := tx.ListObjectives(ctx, w.org.ID, okr.ObjectiveFilter{})
			noErr(t, err)
			same(t, "ListObjectives", []okr.Objective{parent, child, mine}, objs)
			objs, err = tx.ListObjectives(ctx, w.org.ID, okr.ObjectiveFilter{PeriodID: w.q1.ID})
			noErr(t, err)
			same(t, "ListObjectives of Q1", []okr.Objective{child, mine}, objs)
			objs, err = tx.ListObjectives(ctx, w.org.ID, okr.ObjectiveFilter{OwnerType: okr.OwnerTeam, OwnerID: team.ID})
			noErr(t, err)
			same(t, "ListObjectives of the team", []okr.Objective{child}, objs)
			objs, err = tx.ListObjectives(ctx, w.org.ID, okr.ObjectiveFilter{OwnerID: w.bob.ID})
			noErr(t, err)
			same(t, "ListObjectives of an owner id", []okr.Objective{mine}, objs)
			objs, err = tx.ListObjectives(ctx, w.org.ID, okr.ObjectiveFilter{OwnerType: okr.OwnerTeam})
			noErr(t, err)
			same(t, "ListObjectives of any team", []okr.Objective{child}, objs)
			objs, err = tx.ListObjectives(ctx, w.org.ID, okr.ObjectiveFilter{OwnerType: okr.OwnerOrg})
			noErr(t, err)
			same(t, "ListObjectives of the organization", []okr.Objective{parent}, objs)
			objs, err = tx.ListObjectives(ctx, w.org.ID, okr.ObjectiveFilter{After: parent.ID, Limit: 1})
			noErr(t, err)
			same(t, "ListObjectives after the parent, limit 1", []okr.Objective{child}, objs)

			list, err := tx.ListKeyResults(ctx, w.org.ID, okr.KeyResultFilter{})
			noErr(t, err)
			same(t, "ListKeyResults", krs, list)
			list, err = tx.ListKeyResults(ctx, w.org.ID, okr.KeyResultFilter{ObjectiveID: parent.ID, After: krs[0].ID, Limit: 2})
			noErr(t, err)
			same(t, "ListKeyResults of the objective after the first, limit 2", krs[1:3], list)
			list, err = tx.ListKeyResults(ctx, w.org.ID, okr.KeyResultFilter{PeriodID: w.year.ID, OwnerID: w.bob.ID})
			noErr(t, err)
			same(t, "ListKeyResults of the year owned by bob", krs[:1], list)
			list, err = tx.ListKeyResults(ctx, w.org.ID, okr.KeyResultFilter{PeriodID: w.q1.ID})
			noErr(t, err)
			same(t, "ListKeyResults of Q1", []okr.KeyResult(nil), list)

			as, err := tx.AlignmentsOfChild(ctx, w.org.ID, child.ID)
			noErr(t, err)
			same(t, "AlignmentsOfChild", child.Alignments, as)
			as, err = tx.AlignedChildren(ctx, w.org.ID, okr.ParentObjective, parent.ID)
			noErr(t, err)
			same(t, "AlignedChildren of the parent objective", child.Alignments[:1], as)
			as, err = tx.AlignedChildren(ctx, w.org.ID, okr.ParentKeyResult, krs[2].ID)
			noErr(t, err)
			same(t, "AlignedChildren of the key result", child.Alignments[1:], as)
			ids, err := tx.ParentObjectiveIDs(ctx, w.org.ID, child.ID)
			noErr(t, err)
			same(t, "ParentObjectiveIDs (an objective and a key result's objective)", []string{parent.ID, parent.ID}, ids)
			ids, err = tx.ParentObjectiveIDs(ctx, w.org.ID, parent.ID)
			noErr(t, err)
			same(t, "ParentObjectiveIDs of a top objective", []string(nil), ids)
			return err
		})

		// Update every field of an objective, re-align it, touch its check-in time.
		child.Title, child.Description, child.Owner, child.ChampionID = "Make the platform dull", "now with a description",
			okr.Owner{Type: okr.OwnerUser, ID: w.ann.ID}, w.bob.ID
		child.Kind, child.Visibility, child.State, child.Outcome, child.Weight, child.Tags = okr.Committed, okr.Public, okr.Closed,
			okr.Achieved, 0.5, []string{}
		updatedAt := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateObjective(ctx, &child, 1) })
		if child.Version != 2 || !child.Updated.Equal(updatedAt) {
			t.Errorf("UpdateObjective set version %d, updated %v", child.Version, child.Updated)
		}
		child.Alignments = []okr.Alignment{
			{ParentType: okr.ParentObjective, ParentID: mine.ID, Link: okr.Supports},
			{ParentType: okr.ParentKeyResult, ParentID: krs[3].ID, Link: okr.Contributes},
		}
		touchedAt := write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.ReplaceAlignments(ctx, w.org.ID, child.ID, child.Alignments); err != nil {
				return err
			}
			return tx.TouchObjectiveCheckIn(ctx, w.org.ID, child.ID)
		})
		child.LastCheckIn = &touchedAt
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetObjective(ctx, w.org.ID, child.ID)
			noErr(t, err)
			same(t, "GetObjective after update, re-alignment and touch", child, got)
			as, err := tx.AlignedChildren(ctx, w.org.ID, okr.ParentObjective, parent.ID)
			noErr(t, err)
			same(t, "AlignedChildren of the former parent", []okr.Alignment(nil), as)
			ids, err := tx.ParentObjectiveIDs(ctx, w.org.ID, child.ID)
			noErr(t, err)
			same(t, "ParentObjectiveIDs after re-alignment", sorted([]string{mine.ID, parent.ID}), sorted(ids))
			return err
		})

		// Update every field of a key result, clearing the optional ones, and set them on another.
		k := krs[0]
		k.Title, k.OwnerID, k.Kind, k.Unit, k.UnitLabel, k.Currency = "Keep weekly active teams", "", okr.Maintain, okr.UnitCustom, "teams", "USD"
		k.Baseline, k.Target, k.Band, k.Current, k.Weight, k.DueDate = 1, 2, &okr.Band{Low: 100, High: 120}, 130, 0.25, "2027-02-01"
		k.Indicator, k.Source, k.Measure, k.Progress, k.Confidence = okr.Lagging, okr.SourceKPI, json.RawMessage(`{"kpi_id":"wat"}`), 0.5, nil
		k.LastStatus, k.LastCheckIn, k.Forecast, k.Milestones = okr.OffTrack, nil, nil, []okr.MilestoneItem{}
		b := krs[4]
		b.Confidence, b.Forecast, b.LastCheckIn, b.Measure = ptr(0.0), &okr.Forecast{Value: 0, OnTrack: false}, &updatedAt, json.RawMessage(`[]`)
		krUpdatedAt := write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.UpdateKeyResult(ctx, &k, 1); err != nil {
				return err
			}
			return tx.UpdateKeyResult(ctx, &b, 1)
		})
		if k.Version != 2 || !k.Updated.Equal(krUpdatedAt) {
			t.Errorf("UpdateKeyResult set version %d, updated %v", k.Version, k.Updated)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetKeyResult(ctx, w.org.ID, k.ID)
			noErr(t, err)
			same(t, "GetKeyResult after clearing its optional fields", k, got)
			got, err = tx.GetKeyResult(ctx, w.org.ID, b.ID)
			noErr(t, err)
			same(t, "GetKeyResult after setting zero confidence and forecast", b, got)
			return err
		})
		krMine := okr.KeyResult{ID: app.NewID(), OrgID: w.org.ID, ObjectiveID: mine.ID, Title: "Finish the tour", Kind: okr.Boolean,
			Unit: okr.UnitNumber, Weight: 1, DueDate: "2027-03-31", Indicator: okr.Leading, Source: okr.SourceManual}
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateKeyResult(ctx, &krMine) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			list, err := tx.ListKeyResults(ctx, w.org.ID, okr.KeyResultFilter{ObjectiveIDs: []string{child.ID, mine.ID}})
			noErr(t, err)
			same(t, "ListKeyResults of several objectives", []okr.KeyResult{krMine}, list)
			list, err = tx.ListKeyResults(ctx, w.org.ID, okr.KeyResultFilter{ObjectiveIDs: []string{mine.ID, parent.ID}, After: krs[3].ID})
			noErr(t, err)
			same(t, "ListKeyResults of several objectives after a cursor", []okr.KeyResult{b, krMine}, list)
			return err
		})

		// Deleting a key result removes the alignments to it; deleting an
		// objective removes its key results and its alignments both ways.
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteKeyResult(ctx, w.org.ID, krs[3].ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetKeyResult(ctx, w.org.ID, krs[3].ID)
			wantKind(t, "GetKeyResult of a deleted key result", err, errs.NotFound)
			as, err := tx.AlignmentsOfChild(ctx, w.org.ID, child.ID)
			noErr(t, err)
			same(t, "alignments after the parent key result's deletion", child.Alignments[:1], as)
			return err
		})
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteObjective(ctx, w.org.ID, parent.ID) })
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteObjective(ctx, w.org.ID, mine.ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetObjective(ctx, w.org.ID, parent.ID)
			wantKind(t, "GetObjective of a deleted objective", err, errs.NotFound)
			list, err := tx.ListKeyResults(ctx, w.org.ID, okr.KeyResultFilter{})
			noErr(t, err)
			same(t, "key results after their objective's deletion", []okr.KeyResult(nil), list)
			as, err := tx.AlignmentsOfChild(ctx, w.org.ID, child.ID)
			noErr(t, err)
			same(t, "alignments after the parent objective's deletion", []okr.Alignment{}, as)
			objs, err := tx.ListObjectives(ctx, w.org.ID, okr.ObjectiveFilter{})
			if len(objs) != 1 || objs[0].ID != child.ID {
				t.Errorf("objectives left: %d, want only the child", len(objs))
			}
			return err
		})
	})
}

// TestCheckInRoundTrip: check-ins with blockers and milestones read back as
// written, newest first, with a cursor; RecentPoints oldest first; a deleted
// key result takes its check-ins with it.
func TestCheckInRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := newOKRWorld(t, s, "checkins")
		o := okr.Objective{ID: app.NewID(), OrgID: w.org.ID, PeriodID: w.q1.ID, Title: "O", Owner: okr.Owner{Type: okr.OwnerOrg},
			Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1}
		krs := keyResultsOfEveryKind(w.org.ID, o.ID, w.ann.ID)
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.CreateObjective(ctx, &o); err != nil {
				return err
			}
			for i := range krs {
				if err := tx.CreateKeyResult(ctx, &krs[i]); err != nil {
					return err
				}
			}
			return nil
		})
		inc, ms := krs[0], krs[3]
		checkIns := []okr.CheckIn{
			{ID: app.NewID(), OrgID: w.org.ID, KeyResultID: inc.ID, ObjectiveID: o.ID, Value: 35, PreviousValue: 10, Confidence: 0.8,
				Status: okr.OnTrack, Note: "Going **well**", AuthorID: w.ann.ID, Source: okr.SourceManual,
				Blockers: []okr.Blocker{{Type: okr.BlockerResource, Description: "one engineer short", OwnerID: w.bob.ID,
					NextAction: "hire", DueDate: "2027-02-15"}, {Type: okr.BlockerOther, Description: "holidays"}}},
			{ID: app.NewID(), OrgID: w.org.ID, KeyResultID: ms.ID, ObjectiveID: o.ID, Value: 0.6, PreviousValue: 0.2, Confidence: 0.35,
				Status: okr.AtRisk, MilestonesDone: []string{"m1", "m2"}, Source: okr.SourceAPI},
			{ID: app.NewID(), OrgID: w.org.ID, KeyResultID: inc.ID, ObjectiveID: o.ID, Value: 50.5, PreviousValue: 35, Confidence: 0.1,
				Status: okr.OffTrack, AuthorID: w.bob.ID, Source: okr.SourceImport},
			{ID: app.NewID(), OrgID: w.org.ID, KeyResultID: inc.ID, ObjectiveID: o.ID, Value: 42, PreviousValue: 50.5, Confidence: 0.5,
				Status: okr.AtRisk, AuthorID: w.bob.ID, Source: okr.SourceKPI},
		}
		for i := range checkIns {
			at := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.InsertCheckIn(ctx, &checkIns[i]) })
			if !checkIns[i].Created.Equal(at) {
				t.Errorf("InsertCheckIn set created %v, want %v", checkIns[i].Created, at)
			}
		}
		if checkIns[1].Blockers == nil || checkIns[0].MilestonesDone == nil {
			t.Error("InsertCheckIn left nil blockers or milestones")
		}
		c0, c2, c3 := checkIns[0], checkIns[2], checkIns[3]
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, c := range checkIns {
				got, err := tx.GetCheckIn(ctx, w.org.ID, c.ID)
				if err != nil {
					return err
				}
				same(t, "GetCheckIn", c, got)
			}
			list, err := tx.ListCheckIns(ctx, w.org.ID, inc.ID, "", 10)
			noErr(t, err)
			same(t, "ListCheckIns newest first", []okr.CheckIn{c3, c2, c0}, list)
			list, err = tx.ListCheckIns(ctx, w.org.ID, inc.ID, c3.ID, 1)
			noErr(t, err)
			same(t, "ListCheckIns before the newest, limit 1", []okr.CheckIn{c2}, list)
			list, err = tx.ListCheckIns(ctx, w.org.ID, ms.ID, "", 10)
			noErr(t, err)
			same(t, "ListCheckIns of the milestone key result", checkIns[1:2], list)
			pts, err := tx.RecentPoints(ctx, w.org.ID, inc.ID, 10)
			noErr(t, err)
			same(t, "RecentPoints oldest first", []okr.Point{{At: c0.Created, Value: 35}, {At: c2.Created, Value: 50.5}, {At: c3.Created, Value: 42}}, pts)
			pts, err = tx.RecentPoints(ctx, w.org.ID, inc.ID, 2)
			noErr(t, err)
			same(t, "RecentPoints, the last 2", []okr.Point{{At: c2.Created, Value: 50.5}, {At: c3.Created, Value: 42}}, pts)
			return err
		})
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteKeyResult(ctx, w.org.ID, inc.ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetCheckIn(ctx, w.org.ID, c0.ID)
			wantKind(t, "GetCheckIn of a deleted key result", err, errs.NotFound)
			return nil
		})
		n, err := s.CountForTest(ctx, `SELECT COUNT(*) FROM check_ins WHERE org_id = ?`, w.org.ID)
		if err != nil || n != 1 {
			t.Errorf("check-ins left after deleting a key result: %d (%v), want 1", n, err)
		}
	})
}

// TestInitiativeAndCommentRoundTrip: initiatives with budget, effort, tasks
// and links, and comments, read back as written.
func TestInitiativeAndCommentRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := newOKRWorld(t, s, "initiatives")
		o := okr.Objective{ID: app.NewID(), OrgID: w.org.ID, PeriodID: w.q1.ID, Title: "O", Owner: okr.Owner{Type: okr.OwnerOrg},
			Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1}
		krs := keyResultsOfEveryKind(w.org.ID, o.ID, w.ann.ID)
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.CreateObjective(ctx, &o); err != nil {
				return err
			}
			for i := range krs {
				if err := tx.CreateKeyResult(ctx, &krs[i]); err != nil {
					return err
				}
			}
			return nil
		})
		big := okr.Initiative{ID: app.NewID(), OrgID: w.org.ID, Title: "Rewrite onboarding", Description: "From *scratch*",
			OwnerID: w.bob.ID, Status: okr.InProgress, StartDate: "2027-01-10", DueDate: "2027-03-01",
			Budget: &okr.Money{Amount: "12500.50", Currency: "EUR"}, EffortDays: ptr(42.5),
			KeyResultIDs: []string{krs[0].ID, krs[2].ID},
			Tasks: []okr.Task{{Title: "Interview ten customers", AssigneeID: w.ann.ID, DueDate: "2027-01-20", Done: true},
				{Title: "Prototype"}, {Title: "Ship", AssigneeID: w.bob.ID}},
			ExternalURL: "https://github.com/okrahq/okra/issues/1"}
		small := okr.Initiative{ID: app.NewID(), OrgID: w.org.ID, Title: "Tidy the wiki", Status: okr.Planned,
			KeyResultIDs: []string{}, Tasks: []okr.Task{}}
		at := write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.CreateInitiative(ctx, &big); err != nil {
				return err
			}
			return tx.CreateInitiative(ctx, &small)
		})
		if big.Version != 1 || !big.Created.Equal(at) || !big.Updated.Equal(at) {
			t.Errorf("CreateInitiative set version %d, created %v, updated %v", big.Version, big.Created, big.Updated)
		}
		for _, task := range big.Tasks {
			if task.ID == "" {
				t.Errorf("CreateInitiative left task %q without an id", task.Title)
			}
		}
		big.Aligned = true // derived on read: linked to a key result
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetInitiative(ctx, w.org.ID, big.ID)
			noErr(t, err)
			same(t, "GetInitiative", big, got)
			got, err = tx.GetInitiative(ctx, w.org.ID, small.ID)
			noErr(t, err)
			same(t, "GetInitiative (unaligned, nothing optional)", small, got)
			list, err := tx.ListInitiatives(ctx, w.org.ID, okr.InitiativeFilter{})
			noErr(t, err)
			same(t, "ListInitiatives", []okr.Initiative{big, small}, list)
			list, err = tx.ListInitiatives(ctx, w.org.ID, okr.InitiativeFilter{KeyResultID: krs[2].ID})
			noErr(t, err)
			same(t, "ListInitiatives of a key result", []okr.Initiative{big}, list)
			list, err = tx.ListInitiatives(ctx, w.org.ID, okr.InitiativeFilter{OwnerID: w.ann.ID})
			noErr(t, err)
			same(t, "ListInitiatives of ann", []okr.Initiative(nil), list)
			list, err = tx.ListInitiatives(ctx, w.org.ID, okr.InitiativeFilter{After: big.ID, Limit: 5})
			noErr(t, err)
			same(t, "ListInitiatives after the first", []okr.Initiative{small}, list)
			return err
		})
		big.Title, big.Description, big.OwnerID, big.Status, big.StartDate, big.DueDate = "Rewrite onboarding v2", "", "", okr.Blocked, "", "2027-04-01"
		big.Budget, big.EffortDays, big.ExternalURL = nil, nil, ""
		big.KeyResultIDs = []string{krs[4].ID}
		big.Tasks = []okr.Task{big.Tasks[2], {Title: "Retro", DueDate: "2027-04-02"}, big.Tasks[0]}
		big.Tasks[2].Done = false
		small.KeyResultIDs = []string{krs[1].ID}
		small.Budget, small.EffortDays = &okr.Money{Amount: "0"}, ptr(0.0)
		updatedAt := write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.UpdateInitiative(ctx, &big, 1); err != nil {
				return err
			}
			return tx.UpdateInitiative(ctx, &small, 1)
		})
		if big.Version != 2 || !big.Updated.Equal(updatedAt) || big.Tasks[1].ID == "" {
			t.Errorf("UpdateInitiative set version %d, updated %v, new task id %q", big.Version, big.Updated, big.Tasks[1].ID)
		}
		small.Aligned = true
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetInitiative(ctx, w.org.ID, big.ID)
			noErr(t, err)
			same(t, "GetInitiative after UpdateInitiative", big, got)
			got, err = tx.GetInitiative(ctx, w.org.ID, small.ID)
			noErr(t, err)
			same(t, "GetInitiative after linking and budgeting", small, got)
			return err
		})
		// A deleted key result leaves the initiatives linked to it.
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteKeyResult(ctx, w.org.ID, krs[4].ID) })
		big.KeyResultIDs, big.Aligned = []string{}, false
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetInitiative(ctx, w.org.ID, big.ID)
			noErr(t, err)
			same(t, "GetInitiative after its key result's deletion", big, got)
			return err
		})
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteInitiative(ctx, w.org.ID, big.ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetInitiative(ctx, w.org.ID, big.ID)
			wantKind(t, "GetInitiative of a deleted initiative", err, errs.NotFound)
			return nil
		})
		n, err := s.CountForTest(ctx, `SELECT COUNT(*) FROM tasks WHERE initiative_id = ?`, big.ID)
		if err != nil || n != 0 {
			t.Errorf("tasks left after deleting their initiative: %d (%v)", n, err)
		}

		// Comments.
		comments := []okr.Comment{
			{ID: app.NewID(), OrgID: w.org.ID, SubjectType: okr.SubjectObjective, SubjectID: o.ID, AuthorID: w.ann.ID,
				Body: "@bob can you *look*?", Mentions: []string{w.bob.ID}},
			{ID: app.NewID(), OrgID: w.org.ID, SubjectType: okr.SubjectObjective, SubjectID: o.ID, AuthorID: w.bob.ID, Body: "on it"},
			{ID: app.NewID(), OrgID: w.org.ID, SubjectType: okr.SubjectKeyResult, SubjectID: krs[0].ID, Body: "from the system"},
		}
		for i := range comments {
			at := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateComment(ctx, &comments[i]) })
			if !comments[i].Created.Equal(at) || comments[i].Mentions == nil {
				t.Errorf("CreateComment set created %v (want %v), mentions %v", comments[i].Created, at, comments[i].Mentions)
			}
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, c := range comments {
				got, err := tx.GetComment(ctx, w.org.ID, c.ID)
				if err != nil {
					return err
				}
				same(t, "GetComment", c, got)
			}
			list, err := tx.ListComments(ctx, w.org.ID, okr.SubjectObjective, o.ID, "", 10)
			noErr(t, err)
			same(t, "ListComments oldest first", comments[:2], list)
			list, err = tx.ListComments(ctx, w.org.ID, okr.SubjectObjective, o.ID, comments[0].ID, 10)
			noErr(t, err)
			same(t, "ListComments after the first", comments[1:2], list)
			list, err = tx.ListComments(ctx, w.org.ID, okr.SubjectKeyResult, o.ID, "", 10)
			noErr(t, err)
			same(t, "ListComments of another subject type, same id", []okr.Comment(nil), list)
			return err
		})
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteComment(ctx, w.org.ID, comments[0].ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetComment(ctx, w.org.ID, comments[0].ID)
			wantKind(t, "GetComment of a deleted comment", err, errs.NotFound)
			list, err := tx.ListComments(ctx, w.org.ID, okr.SubjectObjective, o.ID, "", 10)
			noErr(t, err)
			same(t, "ListComments after a deletion", comments[1:2], list)
			return err
		})
	})
}

// TestOperationsRoundTrip: audit events, the outbox and idempotency records
// read back as written.
func TestOperationsRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := newOKRWorld(t, s, "ops")
		events := []app.AuditEvent{
			{ID: app.NewID(), OrgID: w.org.ID, ActorID: w.ann.ID, Action: "objective.create", SubjectType: "objective", SubjectID: "o1",
				After: json.RawMessage(`{"title":"Grow"}`), RequestID: "req-1"},
			{ID: app.NewID(), OrgID: w.org.ID, Action: "key_result.update", SubjectType: "key_result", SubjectID: "k1",
				Before: json.RawMessage(`{"current":1}`), After: json.RawMessage(`{"current":2}`), RequestID: "job-7"},
			{ID: app.NewID(), OrgID: w.org.ID, ActorID: w.bob.ID, Action: "objective.delete", SubjectType: "objective", SubjectID: "o1",
				Before: json.RawMessage(`{"title":"Grow"}`), RequestID: "req-2"},
		}
		for i := range events {
			at := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.InsertAuditEvent(ctx, &events[i]) })
			if !events[i].Created.Equal(at) {
				t.Errorf("InsertAuditEvent set created %v, want %v", events[i].Created, at)
			}
		}
		e0, e1, e2 := events[0], events[1], events[2]
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			list, err := tx.ListAuditEvents(ctx, w.org.ID, app.AuditFilter{Limit: 10})
			noErr(t, err)
			same(t, "ListAuditEvents newest first", []app.AuditEvent{e2, e1, e0}, list)
			list, err = tx.ListAuditEvents(ctx, w.org.ID, app.AuditFilter{SubjectID: "o1", Limit: 10})
			noErr(t, err)
			same(t, "ListAuditEvents of a subject", []app.AuditEvent{e2, e0}, list)
			list, err = tx.ListAuditEvents(ctx, w.org.ID, app.AuditFilter{Before: e2.ID, Limit: 1})
			noErr(t, err)
			same(t, "ListAuditEvents before the newest, limit 1", []app.AuditEvent{e1}, list)
			return err
		})

		out := []app.OutboxEvent{
			{ID: app.NewID(), OrgID: w.org.ID, Type: "check_in.created", SubjectID: "c1", Payload: json.RawMessage(`{"value":42}`)},
			{ID: app.NewID(), OrgID: w.org.ID, Type: "objective.closed", SubjectID: "o1", Payload: json.RawMessage(`{}`)},
		}
		at := write(t, s, func(ctx context.Context, tx app.Tx) error {
			for i := range out {
				if err := tx.InsertOutbox(ctx, &out[i]); err != nil {
					return err
				}
			}
			return nil
		})
		same(t, "outbox created_at set on the struct", at, out[1].Created)
		got, sent, err := s.OutboxForTest(ctx, w.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "outbox", out, got)
		same(t, "outbox sent", []bool{false, false}, sent)

		rec := app.IdempotencyRecord{OrgID: w.org.ID, UserID: w.ann.ID, Key: "key-1", Operation: "objective.create", BodyHash: "sha256:abc", ResultID: "o1"}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetIdempotency(ctx, w.org.ID, w.ann.ID, "key-1")
			wantKind(t, "GetIdempotency of a new key", err, errs.NotFound)
			return nil
		})
		rec.Created = write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.PutIdempotency(ctx, rec) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetIdempotency(ctx, w.org.ID, w.ann.ID, "key-1")
			noErr(t, err)
			same(t, "GetIdempotency", rec, got)
			_, err2 := tx.GetIdempotency(ctx, w.org.ID, w.bob.ID, "key-1")
			wantKind(t, "GetIdempotency of another user's key", err2, errs.NotFound)
			return err
		})
		again := rec
		again.ResultID = "o2"
		err = attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.PutIdempotency(ctx, again) })
		wantKind(t, "PutIdempotency of a used key", err, errs.Conflict)
	})
}
