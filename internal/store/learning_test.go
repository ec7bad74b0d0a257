package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

// learningWorld is an organization with three members, a team, an objective
// and a key result measured from learning, for the skills and learning tests.
type learningWorld struct {
	okrWorld
	cat       org.User
	team      org.Team
	objective okr.Objective
	kr        okr.KeyResult
}

func newLearningWorld(t testing.TB, s *store.Store, slug string) learningWorld {
	t.Helper()
	w := learningWorld{okrWorld: newOKRWorld(t, s, slug)}
	o := w.org.ID
	w.cat = org.User{ID: app.NewID(), Email: "cat@" + slug + ".example", Name: "Cat"}
	w.team = org.Team{ID: app.NewID(), OrgID: o, Name: "Support", Slug: "support", LeadIDs: []string{w.ann.ID}, MemberIDs: []string{w.bob.ID}}
	w.objective = okr.Objective{ID: app.NewID(), OrgID: o, PeriodID: w.q1.ID, Title: "Calm every angry customer",
		Owner: okr.Owner{Type: okr.OwnerTeam, ID: w.team.ID}, Kind: okr.Committed, Visibility: okr.Public, State: okr.Active, Weight: 1}
	w.kr = okr.KeyResult{ID: app.NewID(), OrgID: o, ObjectiveID: w.objective.ID, Title: "80% of support certified in conflict resolution",
		Kind: okr.Increase, Unit: okr.UnitPercent, Target: 80, Weight: 1, DueDate: "2027-03-31", Indicator: okr.Lagging, Source: okr.SourceLearning}
	write(t, s, func(ctx context.Context, tx app.Tx) error {
		for _, step := range []func() error{
			func() error { return tx.CreateUser(ctx, &w.cat) },
			func() error {
				return tx.AddMembership(ctx, org.Membership{OrgID: o, UserID: w.cat.ID, Role: org.RoleMember, Active: true})
			},
			func() error { return tx.CreateTeam(ctx, &w.team) },
			func() error { return tx.CreateObjective(ctx, &w.objective) },
			func() error { return tx.CreateKeyResult(ctx, &w.kr) },
		} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	return w
}

// newSkill is a skill of the organization on the default scale.
func newSkill(orgID, name, description, category string, framework learning.Framework, uri string) learning.Skill {
	return learning.Skill{ID: app.NewID(), OrgID: orgID, Name: name, Description: description, Category: category,
		ScaleID: learning.DefaultScaleID, Framework: framework, URI: uri}
}

// create runs the create calls in one write transaction and returns its moment.
func create(t testing.TB, s *store.Store, calls ...func(ctx context.Context, tx app.Tx) error) time.Time {
	t.Helper()
	return write(t, s, func(ctx context.Context, tx app.Tx) error {
		for _, c := range calls {
			if err := c(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	})
}

// refused runs fn in a write transaction that is rolled back when fn fails,
// and returns fn's error: for a method that fails after it began to write.
func refused(tb testing.TB, s *store.Store, fn func(ctx context.Context, tx app.Tx) error) error {
	tb.Helper()
	var got error
	_ = s.Write(context.Background(), func(tx app.Tx) error {
		got = fn(context.Background(), tx)
		return got
	})
	return got
}

// wantMessage fails the test unless err's message contains want.
func wantMessage(tb testing.TB, what string, err error, want string) {
	tb.Helper()
	if err == nil || !strings.Contains(err.Error(), want) {
		tb.Errorf("%s: error %v, want one saying %q", what, err, want)
	}
}

// sortedByID returns ids sorted: the order of lists "by id".
func sortedByID(ids ...string) []string { return sorted(ids) }

func skillIDs(list []learning.Skill) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

// TestScaleRoundTrip: custom scales read back as written, by name, and are
// updated with a version check.
func TestScaleRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w, other := newLearningWorld(t, s, "scales"), newLearningWorld(t, s, "scales-other")
		grades := learning.Scale{ID: app.NewID(), OrgID: w.org.ID, Name: "Grades", Description: "School grades",
			Levels: []learning.Level{{Level: 1, Name: "E", Descriptor: "Poor"}, {Level: 2, Name: "D", Descriptor: "Fair"}, {Level: 3, Name: "C"}}}
		bare := learning.Scale{ID: app.NewID(), OrgID: w.org.ID, Name: "Bare"}
		at := create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateScale(ctx, &grades) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateScale(ctx, &bare) })
		if grades.Version != 1 || !grades.Created.Equal(at) || !grades.Updated.Equal(at) || grades.BuiltIn {
			t.Errorf("CreateScale set version %d, created %v, updated %v, built-in %v", grades.Version, grades.Created, grades.Updated, grades.BuiltIn)
		}
		same(t, "the levels of a scale created without any", []learning.Level{}, bare.Levels)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetScale(ctx, w.org.ID, grades.ID)
			noErr(t, err)
			same(t, "GetScale", grades, got)
			got, err = tx.GetScale(ctx, w.org.ID, bare.ID)
			noErr(t, err)
			same(t, "GetScale of a scale without levels", bare, got)
			list, err := tx.ListScales(ctx, w.org.ID)
			noErr(t, err)
			same(t, "ListScales, by name", []learning.Scale{bare, grades}, list)
			list, err = tx.ListScales(ctx, other.org.ID)
			noErr(t, err)
			same(t, "ListScales of another organization", []learning.Scale(nil), list)
			_, err = tx.GetScale(ctx, other.org.ID, grades.ID)
			wantKind(t, "GetScale with another organization's id", err, errs.NotFound)
			return nil
		})

		grades.Name, grades.Description = "Grades A–E", ""
		grades.Levels = append(grades.Levels, learning.Level{Level: 4, Name: "B"}, learning.Level{Level: 5, Name: "A", Descriptor: "Excellent"})
		at = write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateScale(ctx, &grades, 1) })
		if grades.Version != 2 || !grades.Updated.Equal(at) {
			t.Errorf("UpdateScale set version %d, updated %v; want 2, %v", grades.Version, grades.Updated, at)
		}
		stale, foreign := grades, grades
		stale.Name = "stale"
		foreign.OrgID, foreign.Name = other.org.ID, "foreign"
		wantKind(t, "UpdateScale at a stale version", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateScale(ctx, &stale, 1)
		}), errs.PreconditionFailed)
		wantKind(t, "UpdateScale in another organization", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateScale(ctx, &foreign, 2)
		}), errs.NotFound)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetScale(ctx, w.org.ID, grades.ID)
			noErr(t, err)
			same(t, "GetScale after UpdateScale (and two refused updates)", grades, got)
			return nil
		})
	})
}

// TestSkillRoundTrip: skills read back as written; they are found by URI and
// listed by name with every filter; a URI is unique in an organization;
// updates check the version; an unused skill is deleted.
func TestSkillRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w, other := newLearningWorld(t, s, "skills"), newLearningWorld(t, s, "skills-other")
		o := w.org.ID
		conflict := newSkill(o, "Conflict resolution", "De-escalating upset customers", "Support", learning.FrameworkESCO,
			"http://data.europa.eu/esco/skill/conflict")
		agile := newSkill(o, "Agile delivery", "Scrum, kanban and a 100% focus on flow", "Delivery", learning.FrameworkONET, "onet:agile")
		agile.ScaleID = learning.SFIAScaleID
		data := newSkill(o, "Data querying", "SQL for reports", "Data", learning.FrameworkCustom, "")
		rota := newSkill(o, "Scheduling software", "The Rota_Planner tool", "Support", learning.FrameworkCustom, "")
		at := create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &conflict) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &agile) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &data) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &rota) })
		if conflict.Version != 1 || !conflict.Created.Equal(at) || !conflict.Updated.Equal(at) {
			t.Errorf("CreateSkill set version %d, created %v, updated %v", conflict.Version, conflict.Created, conflict.Updated)
		}
		// The same URI in another organization is another skill.
		twin := newSkill(other.org.ID, "Conflict resolution", "", "Support", learning.FrameworkESCO, conflict.URI)
		create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &twin) })

		all := []learning.Skill{agile, conflict, data, rota} // by name
		byID := sortedByID(conflict.ID, agile.ID, data.ID, rota.ID)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetSkill(ctx, o, conflict.ID)
			noErr(t, err)
			same(t, "GetSkill", conflict, got)
			got, err = tx.GetSkill(ctx, o, data.ID)
			noErr(t, err)
			same(t, "GetSkill of a skill without a URI", data, got)
			got, err = tx.SkillByURI(ctx, o, conflict.URI)
			noErr(t, err)
			same(t, "SkillByURI", conflict, got)
			got, err = tx.SkillByURI(ctx, other.org.ID, conflict.URI)
			noErr(t, err)
			same(t, "SkillByURI in the other organization", twin, got)
			_, err = tx.SkillByURI(ctx, o, "onet:nothing")
			wantKind(t, "SkillByURI of an unknown URI", err, errs.NotFound)
			_, err = tx.SkillByURI(ctx, o, "")
			wantKind(t, "SkillByURI of no URI", err, errs.NotFound)
			_, err = tx.GetSkill(ctx, other.org.ID, conflict.ID)
			wantKind(t, "GetSkill with another organization's id", err, errs.NotFound)

			for _, c := range []struct {
				name string
				f    learning.SkillFilter
				want []string
			}{
				{"everything, by name", learning.SkillFilter{}, skillIDs(all)},
				{"a query in a name, any case", learning.SkillFilter{Query: "CONFLICT"}, []string{conflict.ID}},
				{"a query in a description", learning.SkillFilter{Query: "de-escalat"}, []string{conflict.ID}},
				{"a query with %, taken literally", learning.SkillFilter{Query: "%"}, []string{agile.ID}},
				{"a query with _, taken literally", learning.SkillFilter{Query: "_"}, []string{rota.ID}},
				{"a query matching nothing", learning.SkillFilter{Query: "welding"}, []string{}},
				{"a category", learning.SkillFilter{Category: "Support"}, []string{conflict.ID, rota.ID}},
				{"a query and a category", learning.SkillFilter{Query: "s", Category: "Support"}, []string{conflict.ID, rota.ID}},
				{"a query in another category", learning.SkillFilter{Query: "sql", Category: "Support"}, []string{}},
				{"ids", learning.SkillFilter{IDs: []string{data.ID, agile.ID, other.kr.ID}}, []string{agile.ID, data.ID}},
				{"a limit", learning.SkillFilter{Limit: 2}, []string{agile.ID, conflict.ID}},
				{"after a cursor, by id", learning.SkillFilter{After: byID[0]}, byID[1:]},
				{"after a cursor with a limit", learning.SkillFilter{After: byID[0], Limit: 2}, byID[1:3]},
			} {
				list, err := tx.ListSkills(ctx, o, c.f)
				noErr(t, err)
				same(t, "ListSkills: "+c.name, c.want, skillIDs(list))
			}
			list, err := tx.ListSkills(ctx, o, learning.SkillFilter{})
			noErr(t, err)
			same(t, "ListSkills returns whole skills", all, list)
			list, err = tx.ListSkills(ctx, other.org.ID, learning.SkillFilter{})
			noErr(t, err)
			same(t, "ListSkills of the other organization", []learning.Skill{twin}, list)
			return nil
		})

		dup := newSkill(o, "Conflict handling", "", "Support", learning.FrameworkESCO, conflict.URI)
		err := attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &dup) })
		wantKind(t, "CreateSkill with a URI taken in the organization", err, errs.Conflict)
		wantMessage(t, "CreateSkill with a URI taken", err, "skill with the URI "+conflict.URI+": already exists")

		conflict.Name, conflict.Description, conflict.Category = "Conflict management", "Calming things down", "Service"
		conflict.ScaleID, conflict.Framework, conflict.URI = learning.SFIAScaleID, learning.FrameworkCASE, "case:conflict"
		at = write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateSkill(ctx, &conflict, 1) })
		if conflict.Version != 2 || !conflict.Updated.Equal(at) {
			t.Errorf("UpdateSkill set version %d, updated %v; want 2, %v", conflict.Version, conflict.Updated, at)
		}
		taken := agile
		taken.URI = conflict.URI
		wantKind(t, "UpdateSkill to a URI taken in the organization", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateSkill(ctx, &taken, 1)
		}), errs.Conflict)
		stale, foreign := conflict, conflict
		stale.Name = "stale"
		foreign.OrgID = other.org.ID
		wantKind(t, "UpdateSkill at a stale version", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateSkill(ctx, &stale, 1)
		}), errs.PreconditionFailed)
		wantKind(t, "UpdateSkill in another organization", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateSkill(ctx, &foreign, 2)
		}), errs.NotFound)
		wantKind(t, "DeleteSkill with another organization's id", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.DeleteSkill(ctx, other.org.ID, data.ID)
		}), errs.NotFound)
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteSkill(ctx, o, data.ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetSkill(ctx, o, conflict.ID)
			noErr(t, err)
			same(t, "GetSkill after UpdateSkill (and refused updates)", conflict, got)
			got, err = tx.SkillByURI(ctx, o, "case:conflict")
			noErr(t, err)
			same(t, "SkillByURI of the new URI", conflict, got)
			_, err = tx.SkillByURI(ctx, o, twin.URI)
			wantKind(t, "SkillByURI of the URI given up", err, errs.NotFound)
			_, err = tx.GetSkill(ctx, o, data.ID)
			wantKind(t, "GetSkill of a deleted skill", err, errs.NotFound)
			return nil
		})
		wantKind(t, "DeleteSkill twice", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.DeleteSkill(ctx, o, data.ID)
		}), errs.NotFound)
	})
}

// TestRequirementAndRoleRoundTrip: requirements of every subject, their
// filters, uniqueness and removal; role profiles with their holders.
func TestRequirementAndRoleRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w, other := newLearningWorld(t, s, "reqs"), newLearningWorld(t, s, "reqs-other")
		o := w.org.ID
		conflict := newSkill(o, "Conflict resolution", "", "Support", learning.FrameworkCustom, "")
		agile := newSkill(o, "Agile delivery", "", "Delivery", learning.FrameworkCustom, "")
		foreignSkill := newSkill(other.org.ID, "Welding", "", "", learning.FrameworkCustom, "")
		support := learning.RoleProfile{ID: app.NewID(), OrgID: o, Name: "Support agent", Description: "First line",
			HolderIDs: []string{w.cat.ID, w.bob.ID, w.cat.ID}}
		coach := learning.RoleProfile{ID: app.NewID(), OrgID: o, Name: "Agile coach"}
		at := create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &conflict) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &agile) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &foreignSkill) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateRole(ctx, &support) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateRole(ctx, &coach) })
		if support.Version != 1 || !support.Created.Equal(at) || !support.Updated.Equal(at) {
			t.Errorf("CreateRole set version %d, created %v, updated %v", support.Version, support.Created, support.Updated)
		}
		same(t, "holders as CreateRole keeps them: sorted, each once", sorted([]string{w.bob.ID, w.cat.ID}), support.HolderIDs)
		same(t, "holders of a role created without any", []string{}, coach.HolderIDs)

		reqs := []learning.Requirement{
			{ID: app.NewID(), OrgID: o, Subject: learning.Subject{Type: learning.SubjectObjective, ID: w.objective.ID}, SkillID: conflict.ID,
				Level: 3, Headcount: 4, Essential: true},
			{ID: app.NewID(), OrgID: o, Subject: learning.Subject{Type: learning.SubjectKeyResult, ID: w.kr.ID}, SkillID: conflict.ID,
				Level: 2, Headcount: 1},
			{ID: app.NewID(), OrgID: o, Subject: learning.Subject{Type: learning.SubjectTeam, ID: w.team.ID}, SkillID: agile.ID,
				Level: 4, Headcount: 2, Essential: true},
			{ID: app.NewID(), OrgID: o, Subject: learning.Subject{Type: learning.SubjectRole, ID: support.ID}, SkillID: conflict.ID,
				Level: 3, Headcount: 1, Essential: true},
			{ID: app.NewID(), OrgID: o, Subject: learning.Subject{Type: learning.SubjectTeam, ID: w.team.ID}, SkillID: conflict.ID,
				Level: 1, Headcount: 3},
		}
		at = write(t, s, func(ctx context.Context, tx app.Tx) error {
			for i := range reqs {
				if err := tx.CreateRequirement(ctx, &reqs[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if reqs[0].Version != 1 || !reqs[0].Created.Equal(at) || !reqs[0].Updated.Equal(at) {
			t.Errorf("CreateRequirement set version %d, created %v, updated %v", reqs[0].Version, reqs[0].Created, reqs[0].Updated)
		}
		slices.SortFunc(reqs, func(a, b learning.Requirement) int { return strings.Compare(a.ID, b.ID) })
		pick := func(keep func(learning.Requirement) bool) []learning.Requirement {
			out := []learning.Requirement{}
			for _, r := range reqs {
				if keep(r) {
					out = append(out, r)
				}
			}
			return out
		}
		of := func(st learning.SubjectType) func(learning.Requirement) bool {
			return func(r learning.Requirement) bool { return r.Subject.Type == st }
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetRequirement(ctx, o, reqs[0].ID)
			noErr(t, err)
			same(t, "GetRequirement", reqs[0], got)
			_, err = tx.GetRequirement(ctx, other.org.ID, reqs[0].ID)
			wantKind(t, "GetRequirement with another organization's id", err, errs.NotFound)
			for _, c := range []struct {
				name string
				f    learning.RequirementFilter
				want []learning.Requirement
			}{
				{"everything, by id", learning.RequirementFilter{}, reqs},
				{"a subject type", learning.RequirementFilter{SubjectType: learning.SubjectTeam}, pick(of(learning.SubjectTeam))},
				{"subject ids of any type", learning.RequirementFilter{SubjectIDs: []string{w.objective.ID, w.team.ID}},
					pick(func(r learning.Requirement) bool { return r.Subject.ID == w.objective.ID || r.Subject.ID == w.team.ID })},
				{"subject ids of a type", learning.RequirementFilter{SubjectType: learning.SubjectTeam, SubjectIDs: []string{w.objective.ID, w.kr.ID}},
					[]learning.Requirement{}},
				{"a skill", learning.RequirementFilter{SkillID: agile.ID}, pick(func(r learning.Requirement) bool { return r.SkillID == agile.ID })},
				{"a skill of a subject", learning.RequirementFilter{SubjectIDs: []string{w.team.ID}, SkillID: conflict.ID},
					pick(func(r learning.Requirement) bool { return r.Subject.ID == w.team.ID && r.SkillID == conflict.ID })},
			} {
				list, err := tx.ListRequirements(ctx, o, c.f)
				noErr(t, err)
				if list == nil {
					list = []learning.Requirement{}
				}
				same(t, "ListRequirements: "+c.name, c.want, list)
			}
			list, err := tx.ListRequirements(ctx, other.org.ID, learning.RequirementFilter{})
			noErr(t, err)
			same(t, "ListRequirements of the other organization", 0, len(list))
			return nil
		})

		again := learning.Requirement{ID: app.NewID(), OrgID: o, Subject: learning.Subject{Type: learning.SubjectObjective, ID: w.objective.ID},
			SkillID: conflict.ID, Level: 5, Headcount: 1}
		err := attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateRequirement(ctx, &again) })
		wantKind(t, "CreateRequirement of a skill the subject already requires", err, errs.Conflict)
		wantMessage(t, "a duplicate requirement", err, "already exists")
		again.SkillID = app.NewID()
		wantKind(t, "CreateRequirement of an unknown skill", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.CreateRequirement(ctx, &again)
		}), errs.Invalid)
		again.SkillID = foreignSkill.ID
		wantKind(t, "CreateRequirement of another organization's skill", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.CreateRequirement(ctx, &again)
		}), errs.Invalid)

		r := reqs[0]
		r.Level, r.Headcount, r.Essential = 5, 7, !r.Essential
		r.Subject, r.SkillID = learning.Subject{Type: learning.SubjectTeam, ID: "ignored"}, agile.ID // not updatable
		at = write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateRequirement(ctx, &r, 1) })
		if r.Version != 2 || !r.Updated.Equal(at) {
			t.Errorf("UpdateRequirement set version %d, updated %v; want 2, %v", r.Version, r.Updated, at)
		}
		want := reqs[0]
		want.Level, want.Headcount, want.Essential, want.Version, want.Updated = 5, 7, r.Essential, 2, at
		stale, foreign := want, want
		foreign.OrgID = other.org.ID
		wantKind(t, "UpdateRequirement at a stale version", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateRequirement(ctx, &stale, 1)
		}), errs.PreconditionFailed)
		wantKind(t, "UpdateRequirement in another organization", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateRequirement(ctx, &foreign, 2)
		}), errs.NotFound)
		wantKind(t, "DeleteRequirement with another organization's id", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.DeleteRequirement(ctx, other.org.ID, want.ID)
		}), errs.NotFound)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetRequirement(ctx, o, want.ID)
			noErr(t, err)
			same(t, "GetRequirement after UpdateRequirement: level, headcount and essential only", want, got)
			return nil
		})

		// Deleting one requirement, then those of a subject.
		keyResultReq := pick(of(learning.SubjectKeyResult))[0]
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteRequirement(ctx, o, keyResultReq.ID) })
		wantKind(t, "DeleteRequirement twice", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.DeleteRequirement(ctx, o, keyResultReq.ID)
		}), errs.NotFound)
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			// Another organization's subject of the same id would keep its requirements: none here, and none removed.
			if err := tx.DeleteRequirementsOf(ctx, other.org.ID, learning.Subject{Type: learning.SubjectTeam, ID: w.team.ID}); err != nil {
				return err
			}
			return tx.DeleteRequirementsOf(ctx, o, learning.Subject{Type: learning.SubjectTeam, ID: w.team.ID})
		})
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			list, err := tx.ListRequirements(ctx, o, learning.RequirementFilter{})
			noErr(t, err)
			var got []string
			for _, r := range list {
				got = append(got, string(r.Subject.Type))
			}
			same(t, "the subjects of the requirements left", []string{"objective", "role"},
				sorted(got))
			return nil
		})

		// Roles.
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetRole(ctx, o, support.ID)
			noErr(t, err)
			same(t, "GetRole", support, got)
			list, err := tx.ListRoles(ctx, o)
			noErr(t, err)
			same(t, "ListRoles, by name", []learning.RoleProfile{coach, support}, list)
			list, err = tx.ListRoles(ctx, other.org.ID)
			noErr(t, err)
			same(t, "ListRoles of the other organization", 0, len(list))
			ids, err := tx.RolesOfUser(ctx, o, w.bob.ID)
			noErr(t, err)
			same(t, "RolesOfUser of a holder", []string{support.ID}, ids)
			ids, err = tx.RolesOfUser(ctx, o, w.ann.ID)
			noErr(t, err)
			same(t, "RolesOfUser of someone who holds none", []string{}, ids)
			ids, err = tx.RolesOfUser(ctx, other.org.ID, w.bob.ID)
			noErr(t, err)
			same(t, "RolesOfUser in another organization", []string{}, ids)
			_, err = tx.GetRole(ctx, other.org.ID, support.ID)
			wantKind(t, "GetRole with another organization's id", err, errs.NotFound)
			return nil
		})
		outsider := learning.RoleProfile{ID: app.NewID(), OrgID: o, Name: "Outsiders", HolderIDs: []string{other.ann.ID}}
		err = refused(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateRole(ctx, &outsider) })
		wantKind(t, "CreateRole held by someone outside the organization", err, errs.Invalid)
		wantMessage(t, "a holder outside the organization", err, "role holder "+other.ann.ID)

		support.Name, support.Description, support.HolderIDs = "Support specialist", "Second line", []string{w.ann.ID, w.cat.ID}
		at = write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateRole(ctx, &support, 1) })
		if support.Version != 2 || !support.Updated.Equal(at) {
			t.Errorf("UpdateRole set version %d, updated %v; want 2, %v", support.Version, support.Updated, at)
		}
		staleRole, foreignRole := support, support
		staleRole.HolderIDs = nil
		foreignRole.OrgID = other.org.ID
		wantKind(t, "UpdateRole at a stale version", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateRole(ctx, &staleRole, 1)
		}), errs.PreconditionFailed)
		wantKind(t, "UpdateRole in another organization", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateRole(ctx, &foreignRole, 2)
		}), errs.NotFound)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetRole(ctx, o, support.ID)
			noErr(t, err)
			same(t, "GetRole after UpdateRole: holders replaced", support, got)
			ids, err := tx.RolesOfUser(ctx, o, w.bob.ID)
			noErr(t, err)
			same(t, "RolesOfUser of a former holder", []string{}, ids)
			return nil
		})

		wantKind(t, "DeleteRole with another organization's id", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.DeleteRole(ctx, other.org.ID, support.ID)
		}), errs.NotFound)
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteRole(ctx, o, support.ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetRole(ctx, o, support.ID)
			wantKind(t, "GetRole of a deleted role", err, errs.NotFound)
			ids, err := tx.RolesOfUser(ctx, o, w.ann.ID)
			noErr(t, err)
			same(t, "RolesOfUser after the role is deleted", []string{}, ids)
			list, err := tx.ListRequirements(ctx, o, learning.RequirementFilter{SubjectType: learning.SubjectRole})
			noErr(t, err)
			same(t, "the deleted role's requirements", 0, len(list))
			list, err = tx.ListRequirements(ctx, o, learning.RequirementFilter{})
			noErr(t, err)
			same(t, "the requirements of other subjects", 1, len(list))
			return nil
		})
	})
}

// TestAssessmentRoundTrip: assessments read back as written, listed by date
// then creation with their filters, and deleted.
func TestAssessmentRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w, other := newLearningWorld(t, s, "assess"), newLearningWorld(t, s, "assess-other")
		o := w.org.ID
		conflict := newSkill(o, "Conflict resolution", "", "", learning.FrameworkCustom, "")
		agile := newSkill(o, "Agile delivery", "", "", learning.FrameworkCustom, "")
		course := learning.Program{ID: app.NewID(), OrgID: o, Title: "Conflict 101", Kind: learning.KindCourse, Skills: []learning.TaughtSkill{{SkillID: conflict.ID, Level: 2}}}
		enrollment := learning.Enrollment{ID: app.NewID(), OrgID: o, UserID: w.bob.ID, ProgramID: course.ID, Status: learning.Completed, Progress: 1}
		create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &conflict) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &agile) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &course) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateEnrollment(ctx, &enrollment) })

		self := learning.Assessment{ID: app.NewID(), OrgID: o, UserID: w.ann.ID, SkillID: conflict.ID, Level: 2, Source: learning.SourceSelf,
			Date: "2027-01-10"}
		manager := learning.Assessment{ID: app.NewID(), OrgID: o, UserID: w.ann.ID, SkillID: conflict.ID, Level: 3, Source: learning.SourceManager,
			AssessorID: w.bob.ID, Evidence: learning.Evidence{Note: "Handled the March escalation", URL: "https://wiki.example/esc", Score: ptr(87.5)},
			Date: "2027-01-05"}
		cert := learning.Assessment{ID: app.NewID(), OrgID: o, UserID: w.bob.ID, SkillID: agile.ID, Level: 4, Source: learning.SourceCertification,
			Date: "2027-01-05"}
		learned := learning.Assessment{ID: app.NewID(), OrgID: o, UserID: w.bob.ID, SkillID: conflict.ID, Level: 2, Source: learning.SourceLearning,
			Evidence: learning.Evidence{Score: ptr(0.0)}, Date: "2027-02-01", EnrollmentID: enrollment.ID}
		// cert has a later id than manager but is created first: on the same date it comes first.
		certAt := create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.InsertAssessment(ctx, &cert) })
		at := create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.InsertAssessment(ctx, &self) },
			func(ctx context.Context, tx app.Tx) error { return tx.InsertAssessment(ctx, &manager) },
			func(ctx context.Context, tx app.Tx) error { return tx.InsertAssessment(ctx, &learned) })
		if !cert.Created.Equal(certAt) || !manager.Created.Equal(at) {
			t.Errorf("InsertAssessment set created %v and %v; want %v and %v", cert.Created, manager.Created, certAt, at)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, a := range []learning.Assessment{self, manager, cert, learned} {
				got, err := tx.GetAssessment(ctx, o, a.ID)
				noErr(t, err)
				same(t, "GetAssessment "+string(a.Source), a, got)
			}
			_, err := tx.GetAssessment(ctx, other.org.ID, manager.ID)
			wantKind(t, "GetAssessment with another organization's id", err, errs.NotFound)
			for _, c := range []struct {
				name string
				f    learning.AssessmentFilter
				want []learning.Assessment
			}{
				{"everything, by date then creation", learning.AssessmentFilter{}, []learning.Assessment{cert, manager, self, learned}},
				{"a person", learning.AssessmentFilter{UserIDs: []string{w.bob.ID}}, []learning.Assessment{cert, learned}},
				{"a skill", learning.AssessmentFilter{SkillIDs: []string{conflict.ID}}, []learning.Assessment{manager, self, learned}},
				{"people and skills", learning.AssessmentFilter{UserIDs: []string{w.ann.ID, w.bob.ID}, SkillIDs: []string{agile.ID}},
					[]learning.Assessment{cert}},
				{"nobody", learning.AssessmentFilter{UserIDs: []string{w.cat.ID}}, nil},
			} {
				list, err := tx.ListAssessments(ctx, o, c.f)
				noErr(t, err)
				same(t, "ListAssessments: "+c.name, c.want, list)
			}
			list, err := tx.ListAssessments(ctx, other.org.ID, learning.AssessmentFilter{})
			noErr(t, err)
			same(t, "ListAssessments of the other organization", 0, len(list))
			return nil
		})

		bad := learning.Assessment{ID: app.NewID(), OrgID: o, UserID: w.ann.ID, SkillID: app.NewID(), Level: 1, Source: learning.SourceSelf, Date: "2027-01-01"}
		wantKind(t, "InsertAssessment of an unknown skill", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.InsertAssessment(ctx, &bad)
		}), errs.Invalid)
		bad.SkillID, bad.EnrollmentID = conflict.ID, app.NewID()
		wantKind(t, "InsertAssessment of an unknown enrollment", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.InsertAssessment(ctx, &bad)
		}), errs.Invalid)
		wantKind(t, "DeleteAssessment with another organization's id", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.DeleteAssessment(ctx, other.org.ID, self.ID)
		}), errs.NotFound)
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteAssessment(ctx, o, self.ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetAssessment(ctx, o, self.ID)
			wantKind(t, "GetAssessment of a deleted assessment", err, errs.NotFound)
			list, err := tx.ListAssessments(ctx, o, learning.AssessmentFilter{})
			noErr(t, err)
			same(t, "ListAssessments after a deletion", []learning.Assessment{cert, manager, learned}, list)
			return nil
		})
	})
}

// TestProgramAndLearningObjectiveRoundTrip: programs with the skills they
// teach, found by external id and listed with every filter; learning
// objectives with their programs and links, which outlive the requirement
// they close and leave their enrollments behind when deleted.
func TestProgramAndLearningObjectiveRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w, other := newLearningWorld(t, s, "catalog"), newLearningWorld(t, s, "catalog-other")
		o := w.org.ID
		conflict := newSkill(o, "Conflict resolution", "", "", learning.FrameworkCustom, "")
		agile := newSkill(o, "Agile delivery", "", "", learning.FrameworkCustom, "")
		foreignSkill := newSkill(other.org.ID, "Welding", "", "", learning.FrameworkCustom, "")
		essentials := learning.Program{ID: app.NewID(), OrgID: o, Title: "Conflict resolution essentials", Description: "Calm, listen, resolve.",
			Kind: learning.KindCourse, Provider: "Coursera", ExternalID: "https://lms.example/courses/cr-101", URL: "https://coursera.example/cr",
			Hours: ptr(6.5), Cost: &okr.Money{Amount: "199.00", Currency: "EUR"}, PassMark: ptr(70.0),
			Skills: []learning.TaughtSkill{{SkillID: conflict.ID, Level: 3}, {SkillID: agile.ID, Level: 1}}}
		cert := learning.Program{ID: app.NewID(), OrgID: o, Title: "Agile certification", Kind: learning.KindCertification, Provider: "Internal",
			Cost: &okr.Money{Amount: "0"}, Skills: []learning.TaughtSkill{{SkillID: agile.ID, Level: 4}}}
		old := learning.Program{ID: app.NewID(), OrgID: o, Title: "Old workshop", Kind: learning.KindWorkshop, ExternalID: "old-1", Archived: true}
		twin := learning.Program{ID: app.NewID(), OrgID: other.org.ID, Title: "Same id elsewhere", Kind: learning.KindCourse, ExternalID: essentials.ExternalID}
		at := create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &conflict) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &agile) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &foreignSkill) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &essentials) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &cert) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &old) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &twin) })
		if essentials.Version != 1 || !essentials.Created.Equal(at) || !essentials.Updated.Equal(at) {
			t.Errorf("CreateProgram set version %d, created %v, updated %v", essentials.Version, essentials.Created, essentials.Updated)
		}
		same(t, "the skills of a program created without any", []learning.TaughtSkill{}, old.Skills)
		byID := sortedByID(essentials.ID, cert.ID, old.ID)
		programIDs := func(list []learning.Program) []string {
			out := []string{}
			for _, p := range list {
				out = append(out, p.ID)
			}
			return out
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, p := range []learning.Program{essentials, cert, old} {
				got, err := tx.GetProgram(ctx, o, p.ID)
				noErr(t, err)
				same(t, "GetProgram "+p.Title, p, got)
			}
			got, err := tx.ProgramByExternalID(ctx, o, essentials.ExternalID)
			noErr(t, err)
			same(t, "ProgramByExternalID", essentials, got)
			got, err = tx.ProgramByExternalID(ctx, other.org.ID, essentials.ExternalID)
			noErr(t, err)
			same(t, "ProgramByExternalID in the other organization", twin, got)
			_, err = tx.ProgramByExternalID(ctx, o, "https://lms.example/none")
			wantKind(t, "ProgramByExternalID of an unknown id", err, errs.NotFound)
			_, err = tx.GetProgram(ctx, other.org.ID, essentials.ID)
			wantKind(t, "GetProgram with another organization's id", err, errs.NotFound)
			for _, c := range []struct {
				name string
				f    learning.ProgramFilter
				want []string
			}{
				{"not archived, by title", learning.ProgramFilter{}, []string{cert.ID, essentials.ID}},
				{"archived too", learning.ProgramFilter{IncludeArchived: true}, []string{cert.ID, essentials.ID, old.ID}},
				{"a query in a title", learning.ProgramFilter{Query: "ESSENTIALS"}, []string{essentials.ID}},
				{"a query in a description", learning.ProgramFilter{Query: "listen"}, []string{essentials.ID}},
				{"a query in a provider", learning.ProgramFilter{Query: "internal"}, []string{cert.ID}},
				{"a query of an archived program", learning.ProgramFilter{Query: "workshop"}, []string{}},
				{"a skill", learning.ProgramFilter{SkillID: agile.ID}, []string{cert.ID, essentials.ID}},
				{"another skill", learning.ProgramFilter{SkillID: conflict.ID}, []string{essentials.ID}},
				{"a limit", learning.ProgramFilter{Limit: 1}, []string{cert.ID}},
				{"after a cursor, by id", learning.ProgramFilter{IncludeArchived: true, After: byID[0], Limit: 1}, byID[1:2]},
			} {
				list, err := tx.ListPrograms(ctx, o, c.f)
				noErr(t, err)
				same(t, "ListPrograms: "+c.name, c.want, programIDs(list))
			}
			list, err := tx.ListPrograms(ctx, o, learning.ProgramFilter{IncludeArchived: true})
			noErr(t, err)
			same(t, "ListPrograms returns whole programs", []learning.Program{cert, essentials, old}, list)
			list, err = tx.ListPrograms(ctx, other.org.ID, learning.ProgramFilter{IncludeArchived: true})
			noErr(t, err)
			same(t, "ListPrograms of the other organization", []learning.Program{twin}, list)
			return nil
		})

		dup := learning.Program{ID: app.NewID(), OrgID: o, Title: "Copy", Kind: learning.KindCourse, ExternalID: essentials.ExternalID}
		err := attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &dup) })
		wantKind(t, "CreateProgram with an external id taken in the organization", err, errs.Conflict)
		wantMessage(t, "a taken external id", err, "program with the external id "+essentials.ExternalID+": already exists")
		dup.ExternalID, dup.Skills = "", []learning.TaughtSkill{{SkillID: foreignSkill.ID, Level: 1}}
		err = refused(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &dup) })
		wantKind(t, "CreateProgram teaching another organization's skill", err, errs.Invalid)

		essentials.Title, essentials.Description, essentials.Kind, essentials.Provider = "Conflict resolution", "", learning.KindELearning, "LinkedIn Learning"
		essentials.ExternalID, essentials.URL, essentials.Hours, essentials.Cost, essentials.PassMark = "", "", nil, nil, nil
		essentials.Skills, essentials.Archived = []learning.TaughtSkill{{SkillID: conflict.ID, Level: 4}}, true
		at = write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateProgram(ctx, &essentials, 1) })
		if essentials.Version != 2 || !essentials.Updated.Equal(at) {
			t.Errorf("UpdateProgram set version %d, updated %v; want 2, %v", essentials.Version, essentials.Updated, at)
		}
		taken := cert
		taken.ExternalID = old.ExternalID
		wantKind(t, "UpdateProgram to an external id taken in the organization", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateProgram(ctx, &taken, 1)
		}), errs.Conflict)
		stale, foreign := essentials, essentials
		stale.Skills = nil
		foreign.OrgID = other.org.ID
		wantKind(t, "UpdateProgram at a stale version", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateProgram(ctx, &stale, 1)
		}), errs.PreconditionFailed)
		wantKind(t, "UpdateProgram in another organization", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateProgram(ctx, &foreign, 2)
		}), errs.NotFound)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetProgram(ctx, o, essentials.ID)
			noErr(t, err)
			same(t, "GetProgram after UpdateProgram: taught skills replaced", essentials, got)
			list, err := tx.ListPrograms(ctx, o, learning.ProgramFilter{SkillID: agile.ID, IncludeArchived: true})
			noErr(t, err)
			same(t, "ListPrograms of a skill no longer taught by the updated program", []string{cert.ID}, programIDs(list))
			return nil
		})

		// Learning objectives.
		req := learning.Requirement{ID: app.NewID(), OrgID: o, Subject: learning.Subject{Type: learning.SubjectTeam, ID: w.team.ID},
			SkillID: conflict.ID, Level: 3, Headcount: 2}
		bobs := learning.LearningObjective{ID: app.NewID(), OrgID: o, UserID: w.bob.ID, SkillID: conflict.ID, TargetLevel: 3, DueDate: "2027-03-15",
			RequirementID: req.ID, ObjectiveID: w.objective.ID, KeyResultID: w.kr.ID, ProgramIDs: []string{essentials.ID, cert.ID, essentials.ID},
			Note: "Before the spring peak"}
		teams := learning.LearningObjective{ID: app.NewID(), OrgID: o, TeamID: w.team.ID, SkillID: agile.ID, TargetLevel: 2}
		at = create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateRequirement(ctx, &req) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateLearningObjective(ctx, &bobs) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateLearningObjective(ctx, &teams) })
		if bobs.Version != 1 || !bobs.Created.Equal(at) || !bobs.Updated.Equal(at) {
			t.Errorf("CreateLearningObjective set version %d, created %v, updated %v", bobs.Version, bobs.Created, bobs.Updated)
		}
		same(t, "programs as CreateLearningObjective keeps them: sorted, each once", sortedByID(essentials.ID, cert.ID), bobs.ProgramIDs)
		same(t, "programs of a learning objective created without any", []string{}, teams.ProgramIDs)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, l := range []learning.LearningObjective{bobs, teams} {
				got, err := tx.GetLearningObjective(ctx, o, l.ID)
				noErr(t, err)
				same(t, "GetLearningObjective", l, got)
			}
			_, err := tx.GetLearningObjective(ctx, other.org.ID, bobs.ID)
			wantKind(t, "GetLearningObjective with another organization's id", err, errs.NotFound)
			for _, c := range []struct {
				name string
				f    learning.LearningObjectiveFilter
				want []learning.LearningObjective
			}{
				{"everything, by id", learning.LearningObjectiveFilter{}, []learning.LearningObjective{bobs, teams}},
				{"a person", learning.LearningObjectiveFilter{UserID: w.bob.ID}, []learning.LearningObjective{bobs}},
				{"a team", learning.LearningObjectiveFilter{TeamID: w.team.ID}, []learning.LearningObjective{teams}},
				{"an objective", learning.LearningObjectiveFilter{ObjectiveID: w.objective.ID}, []learning.LearningObjective{bobs}},
				{"a key result", learning.LearningObjectiveFilter{KeyResultID: w.kr.ID}, []learning.LearningObjective{bobs}},
				{"a person and another team", learning.LearningObjectiveFilter{UserID: w.bob.ID, TeamID: w.team.ID}, nil},
			} {
				list, err := tx.ListLearningObjectives(ctx, o, c.f)
				noErr(t, err)
				same(t, "ListLearningObjectives: "+c.name, c.want, list)
			}
			list, err := tx.ListLearningObjectives(ctx, other.org.ID, learning.LearningObjectiveFilter{})
			noErr(t, err)
			same(t, "ListLearningObjectives of the other organization", 0, len(list))
			return nil
		})
		bad := learning.LearningObjective{ID: app.NewID(), OrgID: o, UserID: w.ann.ID, SkillID: foreignSkill.ID, TargetLevel: 1}
		wantKind(t, "CreateLearningObjective of another organization's skill", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.CreateLearningObjective(ctx, &bad)
		}), errs.Invalid)
		bad.SkillID, bad.ProgramIDs = agile.ID, []string{twin.ID}
		wantKind(t, "CreateLearningObjective with another organization's program", refused(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.CreateLearningObjective(ctx, &bad)
		}), errs.Invalid)
		bad.ProgramIDs, bad.KeyResultID = nil, app.NewID()
		wantKind(t, "CreateLearningObjective for an unknown key result", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.CreateLearningObjective(ctx, &bad)
		}), errs.Invalid)

		teams.TeamID, teams.UserID, teams.TargetLevel, teams.DueDate, teams.Note = "", w.cat.ID, 3, "2027-06-30", "Moved to Cat"
		teams.ProgramIDs, teams.ObjectiveID, teams.KeyResultID, teams.RequirementID = []string{cert.ID}, w.objective.ID, w.kr.ID, req.ID
		at = write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateLearningObjective(ctx, &teams, 1) })
		if teams.Version != 2 || !teams.Updated.Equal(at) {
			t.Errorf("UpdateLearningObjective set version %d, updated %v; want 2, %v", teams.Version, teams.Updated, at)
		}
		staleLO, foreignLO := teams, teams
		staleLO.ProgramIDs = nil
		foreignLO.OrgID = other.org.ID
		wantKind(t, "UpdateLearningObjective at a stale version", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateLearningObjective(ctx, &staleLO, 1)
		}), errs.PreconditionFailed)
		wantKind(t, "UpdateLearningObjective in another organization", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateLearningObjective(ctx, &foreignLO, 2)
		}), errs.NotFound)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetLearningObjective(ctx, o, teams.ID)
			noErr(t, err)
			same(t, "GetLearningObjective after UpdateLearningObjective", teams, got)
			return nil
		})

		// The requirement goes: the learning objectives stay, without it. The
		// learning objective goes: its enrollment stays, without it.
		enrollment := learning.Enrollment{ID: app.NewID(), OrgID: o, UserID: w.bob.ID, ProgramID: cert.ID, Status: learning.Assigned,
			LearningObjectiveID: bobs.ID}
		create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateEnrollment(ctx, &enrollment) })
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteRequirement(ctx, o, req.ID) })
		bobs.RequirementID, teams.RequirementID = "", ""
		wantKind(t, "DeleteLearningObjective with another organization's id", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.DeleteLearningObjective(ctx, other.org.ID, bobs.ID)
		}), errs.NotFound)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			list, err := tx.ListLearningObjectives(ctx, o, learning.LearningObjectiveFilter{})
			noErr(t, err)
			same(t, "learning objectives after their requirement is deleted", []learning.LearningObjective{bobs, teams}, list)
			return nil
		})
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteLearningObjective(ctx, o, bobs.ID) })
		enrollment.LearningObjectiveID = ""
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetLearningObjective(ctx, o, bobs.ID)
			wantKind(t, "GetLearningObjective of a deleted one", err, errs.NotFound)
			got, err := tx.GetEnrollment(ctx, o, enrollment.ID)
			noErr(t, err)
			same(t, "the enrollment of a deleted learning objective", enrollment, got)
			return nil
		})
		wantKind(t, "DeleteLearningObjective twice", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.DeleteLearningObjective(ctx, o, bobs.ID)
		}), errs.NotFound)
	})
}

// TestEnrollmentRoundTrip: enrollments read back as written with every
// optional field, in UTC to the microsecond; the latest one that is not
// withdrawn; filters and the cursor; version checks.
func TestEnrollmentRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w, other := newLearningWorld(t, s, "enroll"), newLearningWorld(t, s, "enroll-other")
		o := w.org.ID
		course := learning.Program{ID: app.NewID(), OrgID: o, Title: "Conflict 101", Kind: learning.KindCourse}
		workshop := learning.Program{ID: app.NewID(), OrgID: o, Title: "Kanban workshop", Kind: learning.KindWorkshop}
		foreignCourse := learning.Program{ID: app.NewID(), OrgID: other.org.ID, Title: "Elsewhere", Kind: learning.KindCourse}
		create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &course) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &workshop) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &foreignCourse) })

		first := learning.Enrollment{ID: app.NewID(), OrgID: o, UserID: w.ann.ID, ProgramID: course.ID, AssignedBy: w.bob.ID, DueDate: "2027-02-28",
			Status: learning.Assigned}
		at := create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateEnrollment(ctx, &first) })
		if first.Version != 1 || !first.Created.Equal(at) || !first.Updated.Equal(at) {
			t.Errorf("CreateEnrollment set version %d, created %v, updated %v", first.Version, first.Created, first.Updated)
		}
		withdrawn := learning.Enrollment{ID: app.NewID(), OrgID: o, UserID: w.ann.ID, ProgramID: course.ID, Status: learning.Withdrawn, Progress: 0.25}
		bobGone := learning.Enrollment{ID: app.NewID(), OrgID: o, UserID: w.bob.ID, ProgramID: course.ID, Status: learning.Withdrawn}
		create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateEnrollment(ctx, &withdrawn) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateEnrollment(ctx, &bobGone) })
		latest := func(what, userID, programID string, want learning.Enrollment) {
			t.Helper()
			read(t, s, func(ctx context.Context, tx app.Tx) error {
				got, err := tx.LatestEnrollment(ctx, o, userID, programID)
				noErr(t, err)
				same(t, what, want, got)
				return nil
			})
		}
		latest("LatestEnrollment skips a newer withdrawn one", w.ann.ID, course.ID, first)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.LatestEnrollment(ctx, o, w.bob.ID, course.ID)
			wantKind(t, "LatestEnrollment with only a withdrawn one", err, errs.NotFound)
			_, err = tx.LatestEnrollment(ctx, o, w.ann.ID, workshop.ID)
			wantKind(t, "LatestEnrollment of a program never taken", err, errs.NotFound)
			_, err = tx.LatestEnrollment(ctx, other.org.ID, w.ann.ID, course.ID)
			wantKind(t, "LatestEnrollment in another organization", err, errs.NotFound)
			return nil
		})
		again := learning.Enrollment{ID: app.NewID(), OrgID: o, UserID: w.ann.ID, ProgramID: course.ID, Status: learning.InProgress, Progress: 0.5}
		create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateEnrollment(ctx, &again) })
		latest("LatestEnrollment takes the newest that is not withdrawn", w.ann.ID, course.ID, again)

		// Every optional field, with times given in another zone and to the nanosecond.
		india := time.FixedZone("IST", 5*3600+1800)
		started := time.Date(2027, 2, 1, 14, 0, 0, 123456789, india)
		completed := time.Date(2027, 2, 20, 9, 30, 0, 987654321, india)
		first.Status, first.Progress, first.Started, first.Completed = learning.Completed, 1, &started, &completed
		first.Score, first.Passed, first.Hours = ptr(88.5), ptr(true), ptr(6.25)
		first.Feedback = &learning.LearnerFeedback{Rating: 5, Text: "Practical, with role plays."}
		first.AssignedBy, first.DueDate = "", "2027-03-31"
		first.UserID, first.ProgramID = w.bob.ID, workshop.ID // not updatable
		at = write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateEnrollment(ctx, &first, 1) })
		if first.Version != 2 || !first.Updated.Equal(at) {
			t.Errorf("UpdateEnrollment set version %d, updated %v; want 2, %v", first.Version, first.Updated, at)
		}
		same(t, "started as UpdateEnrollment keeps it", time.Date(2027, 2, 1, 8, 30, 0, 123456000, time.UTC), *first.Started)
		same(t, "completed as UpdateEnrollment keeps it", time.Date(2027, 2, 20, 4, 0, 0, 987654000, time.UTC), *first.Completed)
		first.UserID, first.ProgramID = w.ann.ID, course.ID
		again.Status, again.Passed, again.Score, again.Feedback = learning.Failed, ptr(false), ptr(0.0), &learning.LearnerFeedback{Rating: 1}
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateEnrollment(ctx, &again, 1) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetEnrollment(ctx, o, first.ID)
			noErr(t, err)
			same(t, "GetEnrollment after UpdateEnrollment", first, got)
			got, err = tx.GetEnrollment(ctx, o, again.ID)
			noErr(t, err)
			same(t, "GetEnrollment of a failed enrollment", again, got)
			_, err = tx.GetEnrollment(ctx, other.org.ID, first.ID)
			wantKind(t, "GetEnrollment with another organization's id", err, errs.NotFound)
			return nil
		})
		staleE, foreignE := first, first
		staleE.Progress = 0
		foreignE.OrgID = other.org.ID
		wantKind(t, "UpdateEnrollment at a stale version", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateEnrollment(ctx, &staleE, 1)
		}), errs.PreconditionFailed)
		wantKind(t, "UpdateEnrollment in another organization", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateEnrollment(ctx, &foreignE, 2)
		}), errs.NotFound)
		bad := learning.Enrollment{ID: app.NewID(), OrgID: o, UserID: w.ann.ID, ProgramID: foreignCourse.ID, Status: learning.Assigned}
		wantKind(t, "CreateEnrollment in another organization's program", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.CreateEnrollment(ctx, &bad)
		}), errs.Invalid)
		bad.ProgramID, bad.LearningObjectiveID = course.ID, app.NewID()
		wantKind(t, "CreateEnrollment for an unknown learning objective", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.CreateEnrollment(ctx, &bad)
		}), errs.Invalid)

		all := []learning.Enrollment{first, withdrawn, bobGone, again}
		slices.SortFunc(all, func(a, b learning.Enrollment) int { return strings.Compare(a.ID, b.ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, c := range []struct {
				name string
				f    learning.EnrollmentFilter
				want []learning.Enrollment
			}{
				{"everything, by id", learning.EnrollmentFilter{}, all},
				{"people", learning.EnrollmentFilter{UserIDs: []string{w.bob.ID, w.cat.ID}}, []learning.Enrollment{bobGone}},
				{"a status", learning.EnrollmentFilter{Status: learning.Withdrawn}, []learning.Enrollment{withdrawn, bobGone}},
				{"a program", learning.EnrollmentFilter{ProgramID: workshop.ID}, nil},
				{"a person in a program", learning.EnrollmentFilter{UserIDs: []string{w.ann.ID}, ProgramID: course.ID, Status: learning.Failed},
					[]learning.Enrollment{again}},
				{"a limit", learning.EnrollmentFilter{Limit: 2}, all[:2]},
				{"after a cursor", learning.EnrollmentFilter{After: all[1].ID, Limit: 1}, all[2:3]},
			} {
				list, err := tx.ListEnrollments(ctx, o, c.f)
				noErr(t, err)
				same(t, "ListEnrollments: "+c.name, c.want, list)
			}
			list, err := tx.ListEnrollments(ctx, other.org.ID, learning.EnrollmentFilter{})
			noErr(t, err)
			same(t, "ListEnrollments of the other organization", 0, len(list))
			return nil
		})
	})
}

// TestMentorshipAndFeedbackRoundTrip: mentorships and feedback read back as
// written, with their filters.
func TestMentorshipAndFeedbackRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w, other := newLearningWorld(t, s, "mentor"), newLearningWorld(t, s, "mentor-other")
		o := w.org.ID
		conflict := newSkill(o, "Conflict resolution", "", "", learning.FrameworkCustom, "")
		foreignSkill := newSkill(other.org.ID, "Welding", "", "", learning.FrameworkCustom, "")
		create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &conflict) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &foreignSkill) })
		annBob := learning.Mentorship{ID: app.NewID(), OrgID: o, MentorID: w.ann.ID, MenteeID: w.bob.ID, SkillID: conflict.ID,
			StartDate: "2027-01-04", Notes: "Every other Tuesday"}
		catAnn := learning.Mentorship{ID: app.NewID(), OrgID: o, MentorID: w.cat.ID, MenteeID: w.ann.ID, StartDate: "2026-09-01", EndDate: "2026-12-20"}
		at := create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateMentorship(ctx, &annBob) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateMentorship(ctx, &catAnn) })
		if annBob.Version != 1 || !annBob.Created.Equal(at) || !annBob.Updated.Equal(at) {
			t.Errorf("CreateMentorship set version %d, created %v, updated %v", annBob.Version, annBob.Created, annBob.Updated)
		}
		both := []learning.Mentorship{annBob, catAnn}
		slices.SortFunc(both, func(a, b learning.Mentorship) int { return strings.Compare(a.ID, b.ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetMentorship(ctx, o, annBob.ID)
			noErr(t, err)
			same(t, "GetMentorship", annBob, got)
			_, err = tx.GetMentorship(ctx, other.org.ID, annBob.ID)
			wantKind(t, "GetMentorship with another organization's id", err, errs.NotFound)
			for _, c := range []struct {
				name string
				f    learning.MentorshipFilter
				want []learning.Mentorship
			}{
				{"everything, by id", learning.MentorshipFilter{}, both},
				{"a mentee", learning.MentorshipFilter{UserID: w.bob.ID}, []learning.Mentorship{annBob}},
				{"a mentor and mentee", learning.MentorshipFilter{UserID: w.ann.ID}, both},
				{"a skill", learning.MentorshipFilter{SkillID: conflict.ID}, []learning.Mentorship{annBob}},
				{"a person and a skill", learning.MentorshipFilter{UserID: w.cat.ID, SkillID: conflict.ID}, nil},
			} {
				list, err := tx.ListMentorships(ctx, o, c.f)
				noErr(t, err)
				same(t, "ListMentorships: "+c.name, c.want, list)
			}
			list, err := tx.ListMentorships(ctx, other.org.ID, learning.MentorshipFilter{})
			noErr(t, err)
			same(t, "ListMentorships of the other organization", 0, len(list))
			return nil
		})
		bad := learning.Mentorship{ID: app.NewID(), OrgID: o, MentorID: w.ann.ID, MenteeID: w.cat.ID, SkillID: foreignSkill.ID, StartDate: "2027-01-01"}
		wantKind(t, "CreateMentorship on another organization's skill", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.CreateMentorship(ctx, &bad)
		}), errs.Invalid)

		annBob.StartDate, annBob.EndDate, annBob.Notes = "2027-01-11", "2027-06-30", "Weekly now"
		at = write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateMentorship(ctx, &annBob, 1) })
		if annBob.Version != 2 || !annBob.Updated.Equal(at) {
			t.Errorf("UpdateMentorship set version %d, updated %v; want 2, %v", annBob.Version, annBob.Updated, at)
		}
		staleM, foreignM := annBob, annBob
		staleM.Notes = "stale"
		foreignM.OrgID = other.org.ID
		wantKind(t, "UpdateMentorship at a stale version", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateMentorship(ctx, &staleM, 1)
		}), errs.PreconditionFailed)
		wantKind(t, "UpdateMentorship in another organization", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.UpdateMentorship(ctx, &foreignM, 2)
		}), errs.NotFound)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetMentorship(ctx, o, annBob.ID)
			noErr(t, err)
			same(t, "GetMentorship after UpdateMentorship", annBob, got)
			return nil
		})

		// Feedback, one transaction each: newest first.
		peer := learning.Feedback{ID: app.NewID(), OrgID: o, FromID: w.ann.ID, ToID: w.bob.ID, Relation: "peer", SubjectType: "skill",
			SubjectID: conflict.ID, Body: "You calmed the caller down.", Visibility: learning.VisibleRecipient}
		manager := learning.Feedback{ID: app.NewID(), OrgID: o, FromID: w.cat.ID, ToID: w.bob.ID, Relation: "manager", Body: "Ready for level 3.",
			Visibility: learning.VisiblePrivate}
		mentor := learning.Feedback{ID: app.NewID(), OrgID: o, FromID: w.bob.ID, ToID: w.ann.ID, Relation: "mentor", SubjectType: "objective",
			SubjectID: w.objective.ID, Body: "Good key results.", Visibility: learning.VisibleManagers}
		peerAt := create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.InsertFeedback(ctx, &peer) })
		create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.InsertFeedback(ctx, &manager) })
		create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.InsertFeedback(ctx, &mentor) })
		if !peer.Created.Equal(peerAt) {
			t.Errorf("InsertFeedback set created %v, want %v", peer.Created, peerAt)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, c := range []struct {
				name string
				f    learning.FeedbackFilter
				want []learning.Feedback
			}{
				{"everything, newest first", learning.FeedbackFilter{}, []learning.Feedback{mentor, manager, peer}},
				{"to a person", learning.FeedbackFilter{ToID: w.bob.ID}, []learning.Feedback{manager, peer}},
				{"from a person", learning.FeedbackFilter{FromID: w.bob.ID}, []learning.Feedback{mentor}},
				{"about a subject", learning.FeedbackFilter{SubjectType: "skill", SubjectID: conflict.ID}, []learning.Feedback{peer}},
				{"about a subject type", learning.FeedbackFilter{SubjectType: "objective"}, []learning.Feedback{mentor}},
				{"from and to the same person", learning.FeedbackFilter{FromID: w.ann.ID, ToID: w.ann.ID}, nil},
			} {
				list, err := tx.ListFeedback(ctx, o, c.f)
				noErr(t, err)
				same(t, "ListFeedback: "+c.name, c.want, list)
			}
			list, err := tx.ListFeedback(ctx, other.org.ID, learning.FeedbackFilter{})
			noErr(t, err)
			same(t, "ListFeedback of the other organization", 0, len(list))
			return nil
		})
	})
}

// TestDeleteSkillInUse: a skill that a requirement, assessment, program,
// learning objective or mentorship refers to is not deleted; the Conflict
// says what refers to it.
func TestDeleteSkillInUse(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w := newLearningWorld(t, s, "inuse")
		o := w.org.ID
		used := newSkill(o, "Conflict resolution", "", "", learning.FrameworkCustom, "")
		mentored := newSkill(o, "Rota planning", "", "", learning.FrameworkCustom, "")
		req := learning.Requirement{ID: app.NewID(), OrgID: o, Subject: learning.Subject{Type: learning.SubjectTeam, ID: w.team.ID},
			SkillID: used.ID, Level: 2, Headcount: 1}
		a1 := learning.Assessment{ID: app.NewID(), OrgID: o, UserID: w.ann.ID, SkillID: used.ID, Level: 2, Source: learning.SourceSelf, Date: "2027-01-01"}
		a2 := learning.Assessment{ID: app.NewID(), OrgID: o, UserID: w.bob.ID, SkillID: used.ID, Level: 1, Source: learning.SourcePeer, Date: "2027-01-02"}
		course := learning.Program{ID: app.NewID(), OrgID: o, Title: "Conflict 101", Kind: learning.KindCourse,
			Skills: []learning.TaughtSkill{{SkillID: used.ID, Level: 2}}}
		lo := learning.LearningObjective{ID: app.NewID(), OrgID: o, UserID: w.bob.ID, SkillID: used.ID, TargetLevel: 2}
		m := learning.Mentorship{ID: app.NewID(), OrgID: o, MentorID: w.ann.ID, MenteeID: w.bob.ID, SkillID: mentored.ID, StartDate: "2027-01-01"}
		create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &used) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateSkill(ctx, &mentored) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateRequirement(ctx, &req) },
			func(ctx context.Context, tx app.Tx) error { return tx.InsertAssessment(ctx, &a1) },
			func(ctx context.Context, tx app.Tx) error { return tx.InsertAssessment(ctx, &a2) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &course) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateLearningObjective(ctx, &lo) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateMentorship(ctx, &m) })
		del := func(id string) error {
			return attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteSkill(ctx, o, id) })
		}
		err := del(used.ID)
		wantKind(t, "DeleteSkill of a skill in use", err, errs.Conflict)
		wantMessage(t, "DeleteSkill of a skill in use", err,
			"skill "+used.ID+" is still used by 1 requirement, 2 assessments, 1 program and 1 learning objective; remove those first")
		err = del(mentored.ID)
		wantKind(t, "DeleteSkill of a mentored skill", err, errs.Conflict)
		wantMessage(t, "DeleteSkill of a mentored skill", err, "is still used by 1 mentorship; remove those first")

		// Removing the uses one by one: the message follows.
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteRequirement(ctx, o, req.ID) })
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteAssessment(ctx, o, a1.ID) })
		wantMessage(t, "DeleteSkill after two uses went", del(used.ID), "is still used by 1 assessment, 1 program and 1 learning objective;")
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.DeleteAssessment(ctx, o, a2.ID); err != nil {
				return err
			}
			return tx.DeleteLearningObjective(ctx, o, lo.ID)
		})
		wantMessage(t, "DeleteSkill taught by a program", del(used.ID), "is still used by 1 program;")
		course.Skills = nil
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.UpdateProgram(ctx, &course, 1) })
		noErr(t, del(used.ID))
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.GetSkill(ctx, o, used.ID)
			wantKind(t, "GetSkill of the skill deleted once unused", err, errs.NotFound)
			_, err = tx.GetSkill(ctx, o, mentored.ID)
			noErr(t, err)
			return nil
		})
	})
}

// TestLRSCredentialRoundTrip: credentials are found by key in any
// organization, listed, touched and revoked once; a key is unique.
func TestLRSCredentialRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w, other := newLearningWorld(t, s, "lrs"), newLearningWorld(t, s, "lrs-other")
		o := w.org.ID
		moodle := learning.LRSCredential{ID: app.NewID(), OrgID: o, Name: "Moodle", Key: "key-moodle", SecretHash: "sha256:aaa", CreatedBy: w.ann.ID}
		docebo := learning.LRSCredential{ID: app.NewID(), OrgID: o, Name: "Docebo", Key: "key-docebo", SecretHash: "sha256:bbb", CreatedBy: w.ann.ID}
		theirs := learning.LRSCredential{ID: app.NewID(), OrgID: other.org.ID, Name: "Theirs", Key: "key-theirs", SecretHash: "sha256:ccc",
			CreatedBy: other.ann.ID}
		at := create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateLRSCredential(ctx, &moodle) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateLRSCredential(ctx, &docebo) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateLRSCredential(ctx, &theirs) })
		if !moodle.Created.Equal(at) || moodle.LastUsed != nil || moodle.Revoked != nil {
			t.Errorf("CreateLRSCredential set created %v, last used %v, revoked %v", moodle.Created, moodle.LastUsed, moodle.Revoked)
		}
		dup := learning.LRSCredential{ID: app.NewID(), OrgID: other.org.ID, Name: "Copy", Key: moodle.Key, SecretHash: "x", CreatedBy: other.ann.ID}
		err := attempt(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateLRSCredential(ctx, &dup) })
		wantKind(t, "CreateLRSCredential with a key taken in another organization", err, errs.Conflict)
		wantMessage(t, "a taken key", err, "LRS credential with the key key-moodle: already exists")

		usedAt := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.TouchLRSCredential(ctx, moodle.ID) })
		revokedAt := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.RevokeLRSCredential(ctx, o, docebo.ID) })
		moodle.LastUsed, docebo.Revoked = &usedAt, &revokedAt
		for name, call := range map[string]func(ctx context.Context, tx app.Tx) error{
			"RevokeLRSCredential twice": func(ctx context.Context, tx app.Tx) error { return tx.RevokeLRSCredential(ctx, o, docebo.ID) },
			"RevokeLRSCredential with another organization's id": func(ctx context.Context, tx app.Tx) error {
				return tx.RevokeLRSCredential(ctx, other.org.ID, moodle.ID)
			},
			"TouchLRSCredential of an unknown id": func(ctx context.Context, tx app.Tx) error { return tx.TouchLRSCredential(ctx, app.NewID()) },
		} {
			wantKind(t, name, attempt(t, s, call), errs.NotFound)
		}
		want := []learning.LRSCredential{moodle, docebo}
		slices.SortFunc(want, func(a, b learning.LRSCredential) int { return strings.Compare(a.ID, b.ID) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.LRSCredentialByKey(ctx, moodle.Key)
			noErr(t, err)
			same(t, "LRSCredentialByKey, with the hash and last use", moodle, got)
			got, err = tx.LRSCredentialByKey(ctx, docebo.Key)
			noErr(t, err)
			same(t, "LRSCredentialByKey of a revoked credential", docebo, got)
			got, err = tx.LRSCredentialByKey(ctx, theirs.Key)
			noErr(t, err)
			same(t, "LRSCredentialByKey of another organization's credential", theirs, got)
			_, err = tx.LRSCredentialByKey(ctx, "key-nobody")
			wantKind(t, "LRSCredentialByKey of an unknown key", err, errs.NotFound)
			list, err := tx.ListLRSCredentials(ctx, o)
			noErr(t, err)
			same(t, "ListLRSCredentials, revoked ones included", want, list)
			list, err = tx.ListLRSCredentials(ctx, other.org.ID)
			noErr(t, err)
			same(t, "ListLRSCredentials of the other organization", []learning.LRSCredential{theirs}, list)
			return nil
		})
	})
}

// TestStatementRoundTrip: statements are stored as received, once per id and
// organization, listed with every filter in both orders and by cursor, and
// only their outcome changes.
func TestStatementRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w, other := newLearningWorld(t, s, "xapi"), newLearningWorld(t, s, "xapi-other")
		o := w.org.ID
		cred := learning.LRSCredential{ID: app.NewID(), OrgID: o, Name: "Moodle", Key: "key-xapi", SecretHash: "h", CreatedBy: w.ann.ID}
		course := learning.Program{ID: app.NewID(), OrgID: o, Title: "Conflict 101", Kind: learning.KindCourse, ExternalID: "https://lms.example/cr-101"}
		enrollment := learning.Enrollment{ID: app.NewID(), OrgID: o, UserID: w.bob.ID, ProgramID: course.ID, Status: learning.InProgress}
		create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.CreateLRSCredential(ctx, &cred) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateProgram(ctx, &course) },
			func(ctx context.Context, tx app.Tx) error { return tx.CreateEnrollment(ctx, &enrollment) })

		paris := time.FixedZone("CET", 3600)
		statement := func(verb, activity, actor string, minute int) learning.Statement {
			id := app.NewID()
			raw := `{"id":"` + id + `","actor":{"mbox":"mailto:` + actor + `"},"verb":{"id":"http://adlnet.gov/expapi/verbs/` + verb +
				`"},"object":{"id":"` + activity + `"}}`
			return learning.Statement{ID: id, OrgID: o, CredentialID: cred.ID, Raw: json.RawMessage(raw), Digest: "digest-" + id,
				Verb: "http://adlnet.gov/expapi/verbs/" + verb, ActivityID: activity, Actor: actor,
				Timestamp: time.Date(2027, 2, 1, 10, minute, 5, 123456789, paris), Outcome: "not matched yet"}
		}
		a, b := "https://lms.example/cr-101", "https://lms.example/kanban"
		s1 := statement("completed", a, "ann@xapi.example", 1)
		s2 := statement("passed", a, "bob@xapi.example", 2)
		s3 := statement("completed", b, "ann@xapi.example", 3)
		s4 := statement("progressed", b, "cat@xapi.example", 4)
		s5 := statement("scored", b, "cat@xapi.example", 5)
		for _, st := range []*learning.Statement{&s1, &s2, &s3} {
			at := create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.InsertStatement(ctx, st) })
			if !st.Stored.Equal(at) {
				t.Errorf("InsertStatement set stored %v, want %v", st.Stored, at)
			}
		}
		// s4 and s5 are stored at the same moment: the id breaks the tie.
		create(t, s,
			func(ctx context.Context, tx app.Tx) error { return tx.InsertStatement(ctx, &s4) },
			func(ctx context.Context, tx app.Tx) error { return tx.InsertStatement(ctx, &s5) })
		same(t, "the timestamp as InsertStatement keeps it", time.Date(2027, 2, 1, 9, 1, 5, 123456000, time.UTC), s1.Timestamp)

		// The same id again: a Conflict that leaves the transaction usable.
		dup := s1
		dup.Raw, dup.Digest = json.RawMessage(`{"changed":true}`), "other"
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			err := tx.InsertStatement(ctx, &dup)
			wantKind(t, "InsertStatement of an id the organization has", err, errs.Conflict)
			wantMessage(t, "a duplicate statement", err, "statement "+s1.ID+": already exists")
			got, err := tx.GetStatement(ctx, o, s1.ID)
			noErr(t, err)
			same(t, "the statement stored first, read in the transaction of the duplicate", s1, got)
			return nil
		})
		// The same id in another organization is another statement.
		twin := s1
		twin.OrgID, twin.CredentialID, twin.Outcome = other.org.ID, app.NewID(), "elsewhere"
		create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.InsertStatement(ctx, &twin) })

		desc := []learning.Statement{s3, s2, s1}
		if s5.ID > s4.ID {
			desc = append([]learning.Statement{s5, s4}, desc...)
		} else {
			desc = append([]learning.Statement{s4, s5}, desc...)
		}
		asc := slices.Clone(desc)
		slices.Reverse(asc)
		list := func(f learning.StatementFilter) []learning.Statement {
			t.Helper()
			var out []learning.Statement
			read(t, s, func(ctx context.Context, tx app.Tx) error {
				var err error
				out, err = tx.ListStatements(ctx, o, f)
				noErr(t, err)
				return nil
			})
			return out
		}
		ids := func(list []learning.Statement) []string {
			out := []string{}
			for _, st := range list {
				out = append(out, st.ID)
			}
			return out
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetStatement(ctx, o, s2.ID)
			noErr(t, err)
			same(t, "GetStatement", s2, got)
			got, err = tx.GetStatement(ctx, other.org.ID, s1.ID)
			noErr(t, err)
			same(t, "GetStatement of the same id in the other organization", twin, got)
			_, err = tx.GetStatement(ctx, other.org.ID, s2.ID)
			wantKind(t, "GetStatement with another organization's id", err, errs.NotFound)
			return nil
		})
		same(t, "ListStatements returns whole statements, newest first", desc, list(learning.StatementFilter{}))
		for _, c := range []struct {
			name string
			f    learning.StatementFilter
			want []learning.Statement
		}{
			{"oldest first", learning.StatementFilter{Ascending: true}, asc},
			{"a verb", learning.StatementFilter{Verb: s1.Verb}, []learning.Statement{s3, s1}},
			{"an activity", learning.StatementFilter{ActivityID: a}, []learning.Statement{s2, s1}},
			{"an actor", learning.StatementFilter{Actor: "ann@xapi.example"}, []learning.Statement{s3, s1}},
			{"a verb and an activity", learning.StatementFilter{Verb: s1.Verb, ActivityID: b, Ascending: true}, []learning.Statement{s3}},
			{"since (after) and until (at or before)", learning.StatementFilter{Since: &s1.Stored, Until: &s3.Stored}, []learning.Statement{s3, s2}},
			{"since, in another zone", learning.StatementFilter{Since: ptr(s3.Stored.In(paris)), Ascending: true}, asc[3:]},
			{"until", learning.StatementFilter{Until: &s2.Stored, Ascending: true}, []learning.Statement{s1, s2}},
			{"unmatched", learning.StatementFilter{Matched: ptr(false)}, desc},
			{"matched", learning.StatementFilter{Matched: ptr(true)}, nil},
			{"a limit", learning.StatementFilter{Limit: 2}, desc[:2]},
			{"after a cursor", learning.StatementFilter{After: desc[1].ID, Limit: 2}, desc[2:4]},
			{"after a cursor at a tie", learning.StatementFilter{After: desc[0].ID, Limit: 1}, desc[1:2]},
			{"after the last", learning.StatementFilter{After: desc[4].ID}, nil},
			{"oldest first after a cursor", learning.StatementFilter{Ascending: true, After: asc[1].ID, Limit: 2}, asc[2:4]},
			{"oldest first after a cursor at a tie", learning.StatementFilter{Ascending: true, After: asc[3].ID}, asc[4:]},
			{"a cursor and a filter", learning.StatementFilter{Actor: "ann@xapi.example", After: s3.ID}, []learning.Statement{s1}},
		} {
			same(t, "ListStatements: "+c.name, ids(c.want), ids(list(c.f)))
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.ListStatements(ctx, o, learning.StatementFilter{After: app.NewID()})
			wantKind(t, "ListStatements after an unknown cursor", err, errs.Invalid)
			got, err := tx.ListStatements(ctx, other.org.ID, learning.StatementFilter{})
			noErr(t, err)
			same(t, "ListStatements of the other organization", []string{twin.ID}, ids(got))
			return nil
		})

		// The outcome, and only it, changes.
		outcome := s2
		outcome.Matched, outcome.UserID, outcome.ProgramID, outcome.EnrollmentID = true, w.bob.ID, course.ID, enrollment.ID
		outcome.Outcome = "completed and passed Bob's enrollment"
		outcome.Verb, outcome.Raw, outcome.Stored = "tampered", json.RawMessage(`{}`), time.Time{}
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.SetStatementOutcome(ctx, &outcome) })
		s2.Matched, s2.UserID, s2.ProgramID, s2.EnrollmentID, s2.Outcome = true, w.bob.ID, course.ID, enrollment.ID, outcome.Outcome
		foreign := outcome
		foreign.OrgID = other.org.ID
		foreign.ID = s2.ID
		wantKind(t, "SetStatementOutcome with another organization's id", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.SetStatementOutcome(ctx, &foreign)
		}), errs.NotFound)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetStatement(ctx, o, s2.ID)
			noErr(t, err)
			same(t, "GetStatement after SetStatementOutcome", s2, got)
			return nil
		})
		same(t, "ListStatements: matched, after SetStatementOutcome", []string{s2.ID}, ids(list(learning.StatementFilter{Matched: ptr(true)})))
		same(t, "ListStatements: unmatched, after SetStatementOutcome", ids([]learning.Statement{desc[0], desc[1], s3, s1}),
			ids(list(learning.StatementFilter{Matched: ptr(false)})))
		// Back to unmatched: the person, program and enrollment go.
		s2.Matched, s2.UserID, s2.ProgramID, s2.EnrollmentID, s2.Outcome = false, "", "", "", "no enrollment of bob@xapi.example"
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.SetStatementOutcome(ctx, &s2) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetStatement(ctx, o, s2.ID)
			noErr(t, err)
			same(t, "GetStatement after an unmatching SetStatementOutcome", s2, got)
			return nil
		})
	})
}

// TestKeyResultSourceFilter: ListKeyResults selects key results by source.
func TestKeyResultSourceFilter(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		w := newLearningWorld(t, s, "krsource")
		manual := okr.KeyResult{ID: app.NewID(), OrgID: w.org.ID, ObjectiveID: w.objective.ID, Title: "Manual", Kind: okr.Increase,
			Unit: okr.UnitNumber, Target: 10, Weight: 1, DueDate: "2027-03-31", Indicator: okr.Leading, Source: okr.SourceManual}
		create(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateKeyResult(ctx, &manual) })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			for _, c := range []struct {
				source okr.Source
				want   []string
			}{
				{okr.SourceLearning, []string{w.kr.ID}},
				{okr.SourceManual, []string{manual.ID}},
				{okr.SourceKPI, []string{}},
				{"", sortedByID(w.kr.ID, manual.ID)},
			} {
				list, err := tx.ListKeyResults(ctx, w.org.ID, okr.KeyResultFilter{Source: c.source})
				noErr(t, err)
				got := []string{}
				for _, k := range list {
					got = append(got, k.ID)
				}
				same(t, "ListKeyResults with source "+string(c.source), c.want, got)
			}
			return nil
		})
	})
}
