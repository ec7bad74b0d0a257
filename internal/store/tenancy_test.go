package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

// tenant is one organization with one of everything.
type tenant struct {
	org                      org.Organization
	user                     org.User
	team                     org.Team
	token                    org.Token
	period                   okr.Period
	parent, child            okr.Objective
	kr, childrenKR           okr.KeyResult
	checkIn                  okr.CheckIn
	initiative               okr.Initiative
	comment                  okr.Comment
	audit                    app.AuditEvent
	idem                     app.IdempotencyRecord
	allIDs                   []string // every id of the tenant's rows
	objectiveIDs, krIDs      []string
	teamIDs, tokenIDs        []string
	periodIDs, initiativeIDs []string
}

func newTenant(t testing.TB, s *store.Store, slug string) *tenant {
	t.Helper()
	o := newOrg(slug)
	tn := &tenant{org: o}
	tn.user = org.User{ID: app.NewID(), Email: "owner@" + slug + ".example", Name: "Owner of " + slug}
	tn.team = org.Team{ID: app.NewID(), OrgID: o.ID, Name: "Team", Slug: "team", LeadIDs: []string{tn.user.ID}}
	tn.token = org.Token{ID: app.NewID(), OrgID: o.ID, UserID: tn.user.ID, Name: "token", Hash: "hash-" + slug, Scopes: []org.Scope{org.ScopeAdmin}}
	tn.period = okr.Period{ID: app.NewID(), OrgID: o.ID, Name: "2027", Kind: okr.PeriodAnnual, StartDate: "2027-01-01", EndDate: "2027-12-31", State: okr.PeriodActive}
	tn.parent = okr.Objective{ID: app.NewID(), OrgID: o.ID, PeriodID: tn.period.ID, Title: "Parent", Owner: okr.Owner{Type: okr.OwnerOrg},
		Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1, Tags: []string{slug}}
	tn.kr = okr.KeyResult{ID: app.NewID(), OrgID: o.ID, ObjectiveID: tn.parent.ID, Title: "Manual", OwnerID: tn.user.ID, Kind: okr.Increase,
		Unit: okr.UnitNumber, Target: 10, Current: 4, Weight: 1, DueDate: "2027-12-31", Indicator: okr.Leading, Source: okr.SourceManual, Progress: 0.4}
	tn.childrenKR = okr.KeyResult{ID: app.NewID(), OrgID: o.ID, ObjectiveID: tn.parent.ID, Title: "Rolled up", Kind: okr.Increase,
		Unit: okr.UnitPercent, Target: 100, Weight: 1, DueDate: "2027-12-31", Indicator: okr.Lagging, Source: okr.SourceChildren}
	tn.child = okr.Objective{ID: app.NewID(), OrgID: o.ID, PeriodID: tn.period.ID, Title: "Child", Owner: okr.Owner{Type: okr.OwnerTeam, ID: tn.team.ID},
		Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1, Tags: []string{},
		Alignments: []okr.Alignment{{ParentType: okr.ParentObjective, ParentID: tn.parent.ID, Link: okr.Contributes},
			{ParentType: okr.ParentKeyResult, ParentID: tn.childrenKR.ID, Link: okr.Contributes}}}
	tn.checkIn = okr.CheckIn{ID: app.NewID(), OrgID: o.ID, KeyResultID: tn.kr.ID, ObjectiveID: tn.parent.ID, Value: 4, Confidence: 0.5,
		Status: okr.AtRisk, AuthorID: tn.user.ID, Source: okr.SourceManual}
	tn.initiative = okr.Initiative{ID: app.NewID(), OrgID: o.ID, Title: "Initiative", OwnerID: tn.user.ID, Status: okr.Planned,
		KeyResultIDs: []string{tn.kr.ID}, Tasks: []okr.Task{{Title: "Task"}}}
	tn.comment = okr.Comment{ID: app.NewID(), OrgID: o.ID, SubjectType: okr.SubjectObjective, SubjectID: tn.parent.ID, AuthorID: tn.user.ID, Body: "hi"}
	tn.audit = app.AuditEvent{ID: app.NewID(), OrgID: o.ID, ActorID: tn.user.ID, Action: "objective.create", SubjectType: "objective",
		SubjectID: tn.parent.ID, RequestID: "r"}
	tn.idem = app.IdempotencyRecord{OrgID: o.ID, UserID: tn.user.ID, Key: "k", Operation: "objective.create", BodyHash: "h", ResultID: tn.parent.ID}
	write(t, s, func(ctx context.Context, tx app.Tx) error {
		for _, step := range []func() error{
			func() error { return tx.CreateOrganization(ctx, &tn.org) },
			func() error { return tx.CreateUser(ctx, &tn.user) },
			func() error {
				return tx.AddMembership(ctx, org.Membership{OrgID: o.ID, UserID: tn.user.ID, Role: org.RoleOwner, Active: true})
			},
			func() error { return tx.CreateTeam(ctx, &tn.team) },
			func() error { return tx.CreateToken(ctx, &tn.token) },
			func() error { return tx.CreatePeriod(ctx, &tn.period) },
			func() error { return tx.CreateObjective(ctx, &tn.parent) },
			func() error { return tx.CreateKeyResult(ctx, &tn.kr) },
			func() error { return tx.CreateKeyResult(ctx, &tn.childrenKR) },
			func() error { return tx.CreateObjective(ctx, &tn.child) },
			func() error { return tx.InsertCheckIn(ctx, &tn.checkIn) },
			func() error { return tx.CreateInitiative(ctx, &tn.initiative) },
			func() error { return tx.CreateComment(ctx, &tn.comment) },
			func() error { return tx.InsertAuditEvent(ctx, &tn.audit) },
			func() error { return tx.PutIdempotency(ctx, tn.idem) },
			func() error {
				return okr.Propagate(ctx, tx.Rollup(o.ID), okr.Node{Type: okr.NodeKeyResult, ID: tn.kr.ID})
			},
		} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	tn.objectiveIDs = []string{tn.parent.ID, tn.child.ID}
	tn.krIDs = []string{tn.kr.ID, tn.childrenKR.ID}
	tn.teamIDs, tn.tokenIDs, tn.periodIDs, tn.initiativeIDs = []string{tn.team.ID}, []string{tn.token.ID}, []string{tn.period.ID}, []string{tn.initiative.ID}
	tn.allIDs = slices.Concat(tn.objectiveIDs, tn.krIDs, tn.teamIDs, tn.tokenIDs, tn.periodIDs, tn.initiativeIDs,
		[]string{tn.org.ID, tn.user.ID, tn.checkIn.ID, tn.comment.ID, tn.audit.ID, tn.child.Alignments[0].ID, tn.child.Alignments[1].ID})
	return tn
}

// snapshot is everything the tenant's own organization reads of its rows.
type snapshot struct {
	Org         org.Organization
	Member      org.Member
	Members     []org.Member
	Team        org.Team
	Teams       []string
	Token       org.Token
	Period      okr.Period
	Objectives  []okr.Objective
	KeyResults  []okr.KeyResult
	CheckIns    []okr.CheckIn
	Recent      []okr.CheckIn
	Initiatives []okr.Initiative
	Comments    []okr.Comment
	Newest      []okr.Comment
	Audit       []app.AuditEvent
	Idem        app.IdempotencyRecord
}

func (tn *tenant) snapshot(t testing.TB, s *store.Store) snapshot {
	t.Helper()
	var sn snapshot
	id := tn.org.ID
	read(t, s, func(ctx context.Context, tx app.Tx) error {
		var err error
		for _, step := range []func() error{
			func() error { sn.Org, err = tx.GetOrganization(ctx, id); return err },
			func() error { sn.Member, err = tx.GetMember(ctx, id, tn.user.ID); return err },
			func() error { sn.Members, err = tx.ListMembers(ctx, id, "", 100); return err },
			func() error { sn.Team, err = tx.GetTeam(ctx, id, tn.team.ID); return err },
			func() error { sn.Teams, err = tx.TeamsOfUser(ctx, id, tn.user.ID); return err },
			func() error { sn.Token, err = tx.GetToken(ctx, id, tn.token.ID); return err },
			func() error { sn.Period, err = tx.GetPeriod(ctx, id, tn.period.ID); return err },
			func() error { sn.Objectives, err = tx.ListObjectives(ctx, id, okr.ObjectiveFilter{}); return err },
			func() error { sn.KeyResults, err = tx.ListKeyResults(ctx, id, okr.KeyResultFilter{}); return err },
			func() error { sn.CheckIns, err = tx.ListCheckIns(ctx, id, tn.kr.ID, "", 100); return err },
			func() error { sn.Recent, err = tx.RecentCheckIns(ctx, id, "", 100); return err },
			func() error { sn.Newest, err = tx.RecentComments(ctx, id, "", 100); return err },
			func() error { sn.Initiatives, err = tx.ListInitiatives(ctx, id, okr.InitiativeFilter{}); return err },
			func() error {
				sn.Comments, err = tx.ListComments(ctx, id, okr.SubjectObjective, tn.parent.ID, "", 100)
				return err
			},
			func() error { sn.Audit, err = tx.ListAuditEvents(ctx, id, app.AuditFilter{Limit: 100}); return err },
			func() error { sn.Idem, err = tx.GetIdempotency(ctx, id, tn.user.ID, "k"); return err },
		} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	return sn
}

// TestTenantScoping: every method asked for a row of organization A with
// organization B's id finds nothing and changes nothing; B's lists never
// show A's rows.
func TestTenantScoping(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		a := newTenant(t, s, "alpha")
		b := newTenant(t, s, "beta")
		beforeA, beforeB := a.snapshot(t, s), b.snapshot(t, s)
		if len(beforeA.Objectives) != 2 || len(beforeA.KeyResults) != 2 || len(beforeA.CheckIns) != 1 || beforeA.Objectives[0].Progress == 0 {
			t.Fatalf("tenant A is not what the test needs: %+v", beforeA)
		}
		B := b.org.ID

		// Gets: NotFound.
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			g := tx.Rollup(B)
			for name, call := range map[string]func() error{
				"GetMember":         func() error { _, err := tx.GetMember(ctx, B, a.user.ID); return err },
				"GetTeam":           func() error { _, err := tx.GetTeam(ctx, B, a.team.ID); return err },
				"GetToken":          func() error { _, err := tx.GetToken(ctx, B, a.token.ID); return err },
				"GetPeriod":         func() error { _, err := tx.GetPeriod(ctx, B, a.period.ID); return err },
				"GetObjective":      func() error { _, err := tx.GetObjective(ctx, B, a.parent.ID); return err },
				"GetKeyResult":      func() error { _, err := tx.GetKeyResult(ctx, B, a.kr.ID); return err },
				"GetCheckIn":        func() error { _, err := tx.GetCheckIn(ctx, B, a.checkIn.ID); return err },
				"GetInitiative":     func() error { _, err := tx.GetInitiative(ctx, B, a.initiative.ID); return err },
				"GetComment":        func() error { _, err := tx.GetComment(ctx, B, a.comment.ID); return err },
				"GetIdempotency":    func() error { _, err := tx.GetIdempotency(ctx, B, a.user.ID, "k"); return err },
				"KeyResultRollup":   func() error { _, err := g.KeyResultRollup(ctx, a.childrenKR.ID); return err },
				"ObjectiveProgress": func() error { _, _, err := g.ObjectiveProgress(ctx, a.parent.ID); return err },
			} {
				wantKind(t, name+" of another organization's row", call(), errs.NotFound)
			}
			return nil
		})

		// Updates and deletes: NotFound (also where the version is
		// checked), and nothing of A changes even when the transaction commits.
		changedA := a.parent
		changedA.OrgID, changedA.Title = B, "hijacked"
		krA := a.kr
		krA.OrgID, krA.Current, krA.Progress = B, 10, 1
		teamA := a.team
		teamA.OrgID, teamA.Name, teamA.LeadIDs = B, "hijacked", []string{b.user.ID}
		periodA := a.period
		periodA.OrgID, periodA.Name = B, "hijacked"
		initiativeA := a.initiative
		initiativeA.OrgID, initiativeA.Title, initiativeA.KeyResultIDs = B, "hijacked", []string{b.kr.ID}
		for _, tc := range []struct {
			name string
			call func(ctx context.Context, tx app.Tx) error
			want errs.Kind
		}{
			{"UpdateMembership", func(ctx context.Context, tx app.Tx) error {
				return tx.UpdateMembership(ctx, B, a.user.ID, org.RoleViewer, false, 1)
			}, errs.NotFound},
			{"UpdateTeam", func(ctx context.Context, tx app.Tx) error { return tx.UpdateTeam(ctx, &teamA, 1) }, errs.NotFound},
			{"DeleteTeam", func(ctx context.Context, tx app.Tx) error { return tx.DeleteTeam(ctx, B, a.team.ID) }, errs.NotFound},
			{"RevokeToken", func(ctx context.Context, tx app.Tx) error { return tx.RevokeToken(ctx, B, a.token.ID) }, errs.NotFound},
			{"UpdatePeriod", func(ctx context.Context, tx app.Tx) error { return tx.UpdatePeriod(ctx, &periodA, 1) }, errs.NotFound},
			{"UpdateObjective", func(ctx context.Context, tx app.Tx) error { return tx.UpdateObjective(ctx, &changedA, 1) }, errs.NotFound},
			{"DeleteObjective", func(ctx context.Context, tx app.Tx) error { return tx.DeleteObjective(ctx, B, a.child.ID) }, errs.NotFound},
			{"TouchObjectiveCheckIn", func(ctx context.Context, tx app.Tx) error {
				return tx.TouchObjectiveCheckIn(ctx, B, a.parent.ID)
			}, errs.NotFound},
			{"ReplaceAlignments", func(ctx context.Context, tx app.Tx) error {
				return tx.ReplaceAlignments(ctx, B, a.child.ID, []okr.Alignment{{ParentType: okr.ParentObjective, ParentID: b.parent.ID, Link: okr.Contributes}})
			}, errs.NotFound},
			{"ReplaceAlignments with none", func(ctx context.Context, tx app.Tx) error {
				return tx.ReplaceAlignments(ctx, B, a.child.ID, nil)
			}, errs.NotFound},
			{"UpdateKeyResult", func(ctx context.Context, tx app.Tx) error { return tx.UpdateKeyResult(ctx, &krA, 1) }, errs.NotFound},
			{"DeleteKeyResult", func(ctx context.Context, tx app.Tx) error { return tx.DeleteKeyResult(ctx, B, a.kr.ID) }, errs.NotFound},
			{"UpdateInitiative", func(ctx context.Context, tx app.Tx) error { return tx.UpdateInitiative(ctx, &initiativeA, 1) }, errs.NotFound},
			{"DeleteInitiative", func(ctx context.Context, tx app.Tx) error { return tx.DeleteInitiative(ctx, B, a.initiative.ID) }, errs.NotFound},
			{"DeleteComment", func(ctx context.Context, tx app.Tx) error { return tx.DeleteComment(ctx, B, a.comment.ID) }, errs.NotFound},
			{"SetObjectiveProgress", func(ctx context.Context, tx app.Tx) error {
				return tx.Rollup(B).SetObjectiveProgress(ctx, a.parent.ID, 0.99)
			}, errs.NotFound},
			{"SetKeyResultProgress", func(ctx context.Context, tx app.Tx) error {
				return tx.Rollup(B).SetKeyResultProgress(ctx, a.childrenKR.ID, 0.99, 99)
			}, errs.NotFound},
			{"Propagate from an objective", func(ctx context.Context, tx app.Tx) error {
				return okr.Propagate(ctx, tx.Rollup(B), okr.Node{Type: okr.NodeObjective, ID: a.parent.ID})
			}, errs.NotFound},
			{"Propagate from a key result", func(ctx context.Context, tx app.Tx) error {
				return okr.Propagate(ctx, tx.Rollup(B), okr.Node{Type: okr.NodeKeyResult, ID: a.childrenKR.ID})
			}, errs.NotFound},
		} {
			wantKind(t, tc.name+" of another organization's row", attempt(t, s, tc.call), tc.want)
		}
		same(t, "organization A after B's attempts", beforeA, a.snapshot(t, s))
		same(t, "organization B after its attempts on A's rows", beforeB, b.snapshot(t, s))

		// Lists: B sees its own rows and none of A's.
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			var seen []string
			add := func(ids ...string) { seen = append(seen, ids...) }
			ok := func(err error) {
				t.Helper()
				if err != nil {
					t.Errorf("a list of organization B failed: %v", err)
				}
			}
			members, err := tx.ListMembers(ctx, B, "", 100)
			ok(err)
			for _, m := range members {
				add(m.ID)
			}
			teams, err := tx.ListTeams(ctx, B)
			ok(err)
			for _, tm := range teams {
				add(tm.ID)
				add(tm.LeadIDs...)
				add(tm.MemberIDs...)
			}
			ids, err := tx.TeamsOfUser(ctx, B, a.user.ID)
			ok(err)
			add(ids...)
			tokens, err := tx.ListTokens(ctx, B, "")
			ok(err)
			for _, tk := range tokens {
				add(tk.ID, tk.UserID)
			}
			tokens, err = tx.ListTokens(ctx, B, a.user.ID)
			ok(err)
			for _, tk := range tokens {
				add(tk.ID)
			}
			periods, err := tx.ListPeriods(ctx, B, "", 100)
			ok(err)
			for _, p := range periods {
				add(p.ID)
			}
			for _, f := range []okr.ObjectiveFilter{{}, {PeriodID: a.period.ID}, {OwnerType: okr.OwnerTeam, OwnerID: a.team.ID}, {OwnerID: a.team.ID}} {
				objs, err := tx.ListObjectives(ctx, B, f)
				ok(err)
				for _, o := range objs {
					add(o.ID)
					for _, al := range o.Alignments {
						add(al.ID, al.ParentID)
					}
				}
			}
			for _, f := range []okr.KeyResultFilter{{}, {ObjectiveID: a.parent.ID}, {ObjectiveIDs: []string{a.parent.ID, a.child.ID}}, {PeriodID: a.period.ID}, {OwnerID: a.user.ID}} {
				krs, err := tx.ListKeyResults(ctx, B, f)
				ok(err)
				for _, k := range krs {
					add(k.ID)
				}
			}
			checkIns, err := tx.ListCheckIns(ctx, B, a.kr.ID, "", 100)
			ok(err)
			recent, err := tx.RecentCheckIns(ctx, B, "", 100)
			ok(err)
			for _, c := range append(checkIns, recent...) {
				add(c.ID)
			}
			points, err := tx.RecentPoints(ctx, B, a.kr.ID, 100)
			ok(err)
			if len(points) != 0 {
				t.Errorf("RecentPoints(B, A's key result) = %v, want none", points)
			}
			for _, f := range []okr.InitiativeFilter{{}, {KeyResultID: a.kr.ID}, {OwnerID: a.user.ID}} {
				ins, err := tx.ListInitiatives(ctx, B, f)
				ok(err)
				for _, in := range ins {
					add(in.ID)
					add(in.KeyResultIDs...)
				}
			}
			comments, err := tx.ListComments(ctx, B, okr.SubjectObjective, a.parent.ID, "", 100)
			ok(err)
			recentComments, err := tx.RecentComments(ctx, B, "", 100)
			ok(err)
			for _, c := range append(comments, recentComments...) {
				add(c.ID)
			}
			events, err := tx.ListAuditEvents(ctx, B, app.AuditFilter{Limit: 100})
			ok(err)
			for _, e := range events {
				add(e.ID)
			}
			als, err := tx.AlignmentsOfChild(ctx, B, a.child.ID)
			ok(err)
			for _, al := range als {
				add(al.ID)
			}
			als, err = tx.AlignedChildren(ctx, B, okr.ParentObjective, a.parent.ID)
			ok(err)
			for _, al := range als {
				add(al.ID)
			}
			als, err = tx.AlignedChildren(ctx, B, okr.ParentKeyResult, a.childrenKR.ID)
			ok(err)
			for _, al := range als {
				add(al.ID)
			}
			ids, err = tx.ParentObjectiveIDs(ctx, B, a.child.ID)
			ok(err)
			add(ids...)
			g := tx.Rollup(B)
			if in, err := g.ObjectiveInputs(ctx, a.parent.ID); err != nil || len(in) != 0 {
				t.Errorf("ObjectiveInputs(B, A's objective) = %v, want none", in)
			}
			if in, err := g.KeyResultChildInputs(ctx, a.childrenKR.ID); err != nil || len(in) != 0 {
				t.Errorf("KeyResultChildInputs(B, A's key result) = %v, want none", in)
			}
			if up, err := g.ContributingParents(ctx, a.child.ID); err != nil || len(up) != 0 {
				t.Errorf("ContributingParents(B, A's objective) = %v, want none", up)
			}
			for _, id := range seen {
				if slices.Contains(a.allIDs, id) {
					t.Errorf("a list of organization B shows %s of organization A", id)
				}
			}
			// Not vacuous: B's own rows are there.
			for _, id := range slices.Concat(b.teamIDs, b.tokenIDs, b.periodIDs, b.objectiveIDs, b.krIDs, b.initiativeIDs,
				[]string{b.user.ID, b.audit.ID}) {
				if !slices.Contains(seen, id) {
					t.Errorf("the lists of organization B do not show its own %s", id)
				}
			}
			return nil
		})

		// Global lookups return the row with its organization, for the caller to check.
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			tk, err := tx.TokenByHash(ctx, a.token.Hash)
			noErr(t, err)
			if tk.OrgID != a.org.ID {
				t.Errorf("TokenByHash returned organization %s, want A's", tk.OrgID)
			}
			ms, err := tx.ListMemberships(ctx, a.user.ID)
			if len(ms) != 1 || ms[0].OrgID != a.org.ID {
				t.Errorf("ListMemberships(A's user) = %+v, want only A", ms)
			}
			return err
		})
	})
}

// TestErrorKinds: the store classifies driver errors by code.
func TestErrorKinds(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		a := newTenant(t, s, "alpha")
		newTenant(t, s, "beta")
		dupOrg := newOrg("alpha")
		wantKind(t, "CreateOrganization with a taken slug",
			attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateOrganization(ctx, &dupOrg) }), errs.Conflict)
		for _, email := range []string{a.user.Email, "Owner@Alpha.Example"} {
			u := org.User{ID: app.NewID(), Email: email, Name: "Copy"}
			wantKind(t, "CreateUser with a taken e-mail "+email,
				attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateUser(ctx, &u) }), errs.Conflict)
		}
		wantKind(t, "AddMembership twice", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.AddMembership(ctx, org.Membership{OrgID: a.org.ID, UserID: a.user.ID, Role: org.RoleMember, Active: true})
		}), errs.Conflict)
		dupTeam := org.Team{ID: app.NewID(), OrgID: a.org.ID, Name: "Again", Slug: "team"}
		wantKind(t, "CreateTeam with a slug taken in the organization",
			attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateTeam(ctx, &dupTeam) }), errs.Conflict)
		dupToken := org.Token{ID: app.NewID(), OrgID: a.org.ID, UserID: a.user.ID, Name: "copy", Hash: a.token.Hash}
		wantKind(t, "CreateToken with a taken hash",
			attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateToken(ctx, &dupToken) }), errs.Conflict)
		dupPeriod := a.period
		wantKind(t, "CreatePeriod with a taken id",
			attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreatePeriod(ctx, &dupPeriod) }), errs.Conflict)
		wantKind(t, "PutIdempotency twice",
			attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.PutIdempotency(ctx, a.idem) }), errs.Conflict)

		// (The team slug "team" is taken in both organizations: newTenant made them.)
		// E-mails are case-insensitive: a user created with capitals is found.
		mixed := org.User{ID: app.NewID(), Email: "Mixed.Case@Example.COM", Name: "Mixed"}
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateUser(ctx, &mixed) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetUserByEmail(ctx, "Mixed.Case@Example.COM")
			if err != nil || got.ID != mixed.ID {
				t.Errorf("GetUserByEmail of a user created with a mixed-case e-mail = %+v, %v; want the user", got, err)
			}
			return nil
		})

		// References to nothing.
		orphan := okr.KeyResult{ID: app.NewID(), OrgID: a.org.ID, ObjectiveID: app.NewID(), Title: "orphan", Kind: okr.Boolean,
			Unit: okr.UnitNumber, DueDate: "2027-01-01", Indicator: okr.Leading, Source: okr.SourceManual}
		wantKind(t, "CreateKeyResult of a missing objective",
			attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateKeyResult(ctx, &orphan) }), errs.Invalid)

		// Stale versions: PreconditionFailed, nothing changes.
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			o := a.parent
			o.Title = "first update"
			return tx.UpdateObjective(ctx, &o, 1)
		})
		before := a.snapshot(t, s)
		stale := a.parent
		stale.Title = "stale"
		krStale := a.kr
		krStale.Current = 9
		teamStale := a.team
		teamStale.Name, teamStale.LeadIDs = "stale", nil
		periodStale := a.period
		periodStale.Name = "stale"
		initiativeStale := a.initiative
		initiativeStale.Title, initiativeStale.Tasks = "stale", nil
		for name, call := range map[string]func(ctx context.Context, tx app.Tx) error{
			"UpdateObjective at version 1 of 2": func(ctx context.Context, tx app.Tx) error { return tx.UpdateObjective(ctx, &stale, 1) },
			"UpdateObjective at version 3 of 2": func(ctx context.Context, tx app.Tx) error { return tx.UpdateObjective(ctx, &stale, 3) },
			"UpdateKeyResult":                   func(ctx context.Context, tx app.Tx) error { return tx.UpdateKeyResult(ctx, &krStale, 0) },
			"UpdateTeam":                        func(ctx context.Context, tx app.Tx) error { return tx.UpdateTeam(ctx, &teamStale, 2) },
			"UpdatePeriod":                      func(ctx context.Context, tx app.Tx) error { return tx.UpdatePeriod(ctx, &periodStale, 2) },
			"UpdateInitiative":                  func(ctx context.Context, tx app.Tx) error { return tx.UpdateInitiative(ctx, &initiativeStale, 2) },
		} {
			wantKind(t, name+" with a stale version", attempt(t, s, call), errs.PreconditionFailed)
		}
		same(t, "rows after stale updates", before, a.snapshot(t, s))
		if stale.Version != a.parent.Version {
			t.Errorf("a stale UpdateObjective changed the struct's version to %d", stale.Version)
		}

		// Missing rows: NotFound.
		missing := app.NewID()
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for name, call := range map[string]func() error{
				"GetOrganization":       func() error { _, err := tx.GetOrganization(ctx, missing); return err },
				"GetOrganizationBySlug": func() error { _, err := tx.GetOrganizationBySlug(ctx, "nope"); return err },
				"GetUserByEmail":        func() error { _, err := tx.GetUserByEmail(ctx, "nope@example.com"); return err },
				"GetMember":             func() error { _, err := tx.GetMember(ctx, a.org.ID, missing); return err },
				"GetTeam":               func() error { _, err := tx.GetTeam(ctx, a.org.ID, missing); return err },
				"TokenByHash":           func() error { _, err := tx.TokenByHash(ctx, "nope"); return err },
				"GetToken":              func() error { _, err := tx.GetToken(ctx, a.org.ID, missing); return err },
				"GetPeriod":             func() error { _, err := tx.GetPeriod(ctx, a.org.ID, missing); return err },
				"GetObjective":          func() error { _, err := tx.GetObjective(ctx, a.org.ID, missing); return err },
				"GetKeyResult":          func() error { _, err := tx.GetKeyResult(ctx, a.org.ID, missing); return err },
				"GetCheckIn":            func() error { _, err := tx.GetCheckIn(ctx, a.org.ID, missing); return err },
				"GetInitiative":         func() error { _, err := tx.GetInitiative(ctx, a.org.ID, missing); return err },
				"GetComment":            func() error { _, err := tx.GetComment(ctx, a.org.ID, missing); return err },
				"GetIdempotency":        func() error { _, err := tx.GetIdempotency(ctx, a.org.ID, a.user.ID, "nope"); return err },
			} {
				wantKind(t, name+" of a missing row", call(), errs.NotFound)
			}
			return nil
		})
		for name, call := range map[string]func(ctx context.Context, tx app.Tx) error{
			"UpdateOrganizationSettings": func(ctx context.Context, tx app.Tx) error {
				return tx.UpdateOrganizationSettings(ctx, missing, org.DefaultSettings())
			},
			"UpdateMembership": func(ctx context.Context, tx app.Tx) error {
				return tx.UpdateMembership(ctx, a.org.ID, missing, org.RoleAdmin, true, 1)
			},
			"DeleteTeam":            func(ctx context.Context, tx app.Tx) error { return tx.DeleteTeam(ctx, a.org.ID, missing) },
			"RevokeToken":           func(ctx context.Context, tx app.Tx) error { return tx.RevokeToken(ctx, a.org.ID, missing) },
			"DeleteObjective":       func(ctx context.Context, tx app.Tx) error { return tx.DeleteObjective(ctx, a.org.ID, missing) },
			"TouchObjectiveCheckIn": func(ctx context.Context, tx app.Tx) error { return tx.TouchObjectiveCheckIn(ctx, a.org.ID, missing) },
			"ReplaceAlignments":     func(ctx context.Context, tx app.Tx) error { return tx.ReplaceAlignments(ctx, a.org.ID, missing, nil) },
			"DeleteKeyResult":       func(ctx context.Context, tx app.Tx) error { return tx.DeleteKeyResult(ctx, a.org.ID, missing) },
			"DeleteInitiative":      func(ctx context.Context, tx app.Tx) error { return tx.DeleteInitiative(ctx, a.org.ID, missing) },
			"DeleteComment":         func(ctx context.Context, tx app.Tx) error { return tx.DeleteComment(ctx, a.org.ID, missing) },
		} {
			wantKind(t, name+" of a missing row", attempt(t, s, call), errs.NotFound)
		}
		same(t, "rows after calls on missing rows", before, a.snapshot(t, s))
	})
}
