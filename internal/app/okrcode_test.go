package app_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/okrfile"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// codeWorld is Shopwell, the organization the example in the docs
// (docs/examples/okrs.yaml) is written for: its people, teams, skills, the
// certification program, the Support agent role, the CSAT KPI and 2027-Q1.
type codeWorld struct {
	a      *app.App
	maya   org.Actor // the owner
	sam    org.Actor // a member who leads support
	people map[string]string
	period okr.Period
}

func newCodeWorld(t *testing.T, s *store.Store) *codeWorld {
	t.Helper()
	ctx := context.Background()
	a := app.New(s, nil)
	res, err := a.Init(ctx, app.InitInput{OrgName: "Shopwell", Email: "maya@shopwell.example", Name: "Maya Chen"})
	if err != nil {
		t.Fatal(err)
	}
	w := &codeWorld{a: a, maya: actorOf(t, a, res.Token), people: map[string]string{"maya": res.Owner.ID}}
	for _, name := range []string{"sam", "priya", "leo", "nora", "omar"} {
		m, err := a.CreateUser(ctx, w.maya, app.UserInput{Email: name + "@shopwell.example", Name: name, Role: org.RoleMember}, "")
		if err != nil {
			t.Fatal(err)
		}
		w.people[name] = m.ID
	}
	tk, err := a.CreateToken(ctx, w.maya, app.TokenInput{UserID: w.people["sam"], Name: "test", Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite}}, "")
	if err != nil {
		t.Fatal(err)
	}
	w.sam = actorOf(t, a, tk.Secret)
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	p := w.people
	must(a.CreateTeam(ctx, w.maya, app.TeamInput{Name: "Support", Slug: "support", LeadIDs: []string{p["sam"]}, MemberIDs: []string{p["leo"], p["omar"]}}, ""))
	must(a.CreateTeam(ctx, w.maya, app.TeamInput{Name: "Support operations", Slug: "support-ops", LeadIDs: []string{p["priya"]}, MemberIDs: []string{p["omar"]}}, ""))
	skills := map[string]string{}
	for _, name := range []string{"Conflict resolution", "Empathy", "Ticket triage"} {
		s, err := a.CreateSkill(ctx, w.maya, app.SkillInput{Name: name}, "")
		if err != nil {
			t.Fatal(err)
		}
		skills[name] = s.ID
	}
	must(a.CreateProgram(ctx, w.maya, app.ProgramInput{Title: "Conflict Resolution Certification", Kind: learning.KindCertification,
		ExternalID: "cr-cert-101", Skills: []learning.TaughtSkill{{SkillID: skills["Conflict resolution"], Level: 3}}}, ""))
	must(a.CreateRole(ctx, w.maya, app.RoleInput{Name: "Support agent", HolderIDs: []string{p["leo"], p["omar"]}}, ""))
	must(a.CreateKPI(ctx, w.maya, app.KPIInput{Name: "Customer satisfaction (CSAT)", Unit: okr.UnitPercent, Direction: okr.HigherIsBetter,
		Green: ptr(85.0), Red: ptr(70.0), Frequency: okr.Weekly}, ""))
	w.period, err = a.CreatePeriod(ctx, w.maya, app.PeriodInput{Name: "2027-Q1", Kind: okr.PeriodQuarterly, StartDate: "2027-01-01", EndDate: "2027-03-31"}, "")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// example reads the example of the docs in one of its formats.
func example(t *testing.T, format string) app.OKRDocument {
	t.Helper()
	name := "../../docs/examples/okrs." + format
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := okrfile.Decode(b, name)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// snapshot is what must not move when nothing changes: the number of audit
// events and the version of every objective, key result, initiative and
// skill requirement.
type snapshot struct {
	Audit    int
	Versions map[string]int
}

func takeSnapshot(t *testing.T, a *app.App, actor org.Actor) snapshot {
	t.Helper()
	ctx := context.Background()
	s := snapshot{Versions: map[string]int{}}
	for cursor := ""; ; {
		page, err := a.ListAuditEvents(ctx, actor, app.AuditQuery{PageRequest: app.PageRequest{Limit: 200, Cursor: cursor}})
		if err != nil {
			t.Fatal(err)
		}
		s.Audit += len(page.Items)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	for cursor := ""; ; {
		page, err := a.ListObjectives(ctx, actor, app.ObjectiveQuery{PageRequest: app.PageRequest{Limit: 200, Cursor: cursor}})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Items {
			s.Versions["objective "+o.Slug+" "+o.ID] = o.Version
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	for cursor := ""; ; {
		page, err := a.ListKeyResults(ctx, actor, app.KeyResultQuery{PageRequest: app.PageRequest{Limit: 200, Cursor: cursor}})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range page.Items {
			s.Versions["key result "+k.Slug+" "+k.ID] = k.Version
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	for cursor := ""; ; {
		page, err := a.ListInitiatives(ctx, actor, app.InitiativeQuery{PageRequest: app.PageRequest{Limit: 200, Cursor: cursor}})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range page.Items {
			s.Versions["initiative "+in.Slug+" "+in.ID] = in.Version
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	for cursor := ""; ; {
		page, err := a.ListRequirements(ctx, actor, app.RequirementQuery{PageRequest: app.PageRequest{Limit: 200, Cursor: cursor}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			s.Versions["requirement "+r.ID] = r.Version
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	return s
}

func (s snapshot) count(kind string) int {
	n := 0
	for k := range s.Versions {
		if strings.HasPrefix(k, kind+" ") {
			n++
		}
	}
	return n
}

// changes writes a plan's changes one a line, for exact comparisons.
func changes(p app.ApplyPlan) []string {
	out := []string{}
	for _, c := range p.Changes {
		s := c.Action + " " + c.Kind + " " + c.Ref
		if len(c.Fields) > 0 {
			s += " (" + strings.Join(c.Fields, ", ") + ")"
		}
		out = append(out, s)
	}
	return out
}

func apply(t *testing.T, a *app.App, actor org.Actor, doc app.OKRDocument, opts app.ApplyOptions) app.ApplyPlan {
	t.Helper()
	plan, err := a.ApplyDocument(context.Background(), actor, doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func noChange(t *testing.T, plan app.ApplyPlan, unchanged int) {
	t.Helper()
	if plan.Create != 0 || plan.Update != 0 || plan.Delete != 0 || len(plan.Changes) != 0 || plan.Unchanged != unchanged {
		t.Fatalf("want no change (%d unchanged), got %+v %v", unchanged, plan, changes(plan))
	}
}

var exampleCreates = []string{
	"create objective customers-feel-helped",
	"create key_result customers-feel-helped/csat",
	"create key_result customers-feel-helped/resolution-time",
	"create key_result customers-feel-helped/first-contact",
	"create key_result customers-feel-helped/repeat-contacts",
	"create objective calm-difficult-conversations",
	"create key_result calm-difficult-conversations/escalations",
	"create key_result calm-difficult-conversations/agents-certified",
	"create key_result calm-difficult-conversations/one-star-reviews",
	"create objective urgent-problems-first",
	"create key_result urgent-problems-first/urgent-within-an-hour",
	"create key_result urgent-problems-first/oldest-open-ticket",
	"create key_result urgent-problems-first/misrouted",
	"create objective confident-agents",
	"create key_result confident-agents/at-level",
	"create key_result confident-agents/assessment-score",
	"create key_result confident-agents/first-response",
	"create initiative conflict-resolution-certification",
	"create initiative ticket-prioritization",
	"create initiative support-training-program",
}

// The example of the docs applies to a fresh organization; applied again
// it changes nothing; its export applied back changes nothing; the YAML and
// the JSON are the same document and apply to the same result.
func TestApplyExample(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := newCodeWorld(t, s)
		doc := example(t, "yaml")
		if d := cmp.Diff(doc, example(t, "json")); d != "" {
			t.Fatalf("okrs.yaml and okrs.json differ:\n%s", d)
		}
		plan := apply(t, w.a, w.maya, doc, app.ApplyOptions{})
		if d := cmp.Diff(exampleCreates, changes(plan)); d != "" || plan.Create != 20 || plan.Unchanged != 0 || plan.DryRun {
			t.Fatalf("first apply: %+v\n%s", plan, d)
		}

		// What was stored, as the rest of okra sees it.
		os, err := w.a.ListObjectives(ctx, w.maya, app.ObjectiveQuery{PeriodID: w.period.ID})
		if err != nil {
			t.Fatal(err)
		}
		bySlug := map[string]okr.Objective{}
		for _, o := range os.Items {
			bySlug[o.Slug] = o
		}
		calm := bySlug["calm-difficult-conversations"]
		krs, err := w.a.ListKeyResults(ctx, w.maya, app.KeyResultQuery{PeriodID: w.period.ID})
		if err != nil {
			t.Fatal(err)
		}
		kr := map[string]okr.KeyResult{}
		for _, k := range krs.Items {
			kr[k.Slug] = k
		}
		if len(os.Items) != 4 || len(krs.Items) != 13 || calm.Owner.Type != okr.OwnerTeam || calm.ChampionID != w.people["sam"] ||
			len(calm.Alignments) != 1 || calm.Alignments[0].ParentID != kr["csat"].ID || calm.Alignments[0].Link != okr.Contributes {
			t.Fatalf("stored: %d objectives, %d key results; calm: %+v", len(os.Items), len(krs.Items), calm)
		}
		if k := kr["agents-certified"]; k.Source != okr.SourceLearning || k.OwnerID != w.people["nora"] || k.Target != 90 || k.DueDate != "2027-03-31" {
			t.Fatalf("agents-certified: %+v", k)
		}
		if o := bySlug["customers-feel-helped"]; o.Owner.Type != okr.OwnerOrg || len(o.KPIIDs) != 1 || o.AlignmentNote == "" || !slices.Equal(o.Tags, []string{"customer-experience"}) {
			t.Fatalf("customers-feel-helped: %+v", o)
		}
		reqs, err := w.a.ListRequirements(ctx, w.maya, app.RequirementQuery{SubjectID: calm.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(reqs.Items) != 2 {
			t.Fatalf("calm requires %d skills", len(reqs.Items))
		}

		// Applying the same file again changes nothing: no version, no audit event.
		before := takeSnapshot(t, w.a, w.maya)
		noChange(t, apply(t, w.a, w.maya, doc, app.ApplyOptions{}), 20)
		noChange(t, apply(t, w.a, w.maya, doc, app.ApplyOptions{Prune: true}), 20)
		if d := cmp.Diff(before, takeSnapshot(t, w.a, w.maya)); d != "" {
			t.Fatalf("the second apply changed something:\n%s", d)
		}

		// Export → apply: no change; the export reads back through both formats.
		exported, err := w.a.ExportDocument(ctx, w.maya, w.period.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantCalm := app.DocObjective{Slug: "calm-difficult-conversations", Title: "Our support team turns frustrated customers into loyal ones",
			Owner: "team:support", Champion: "sam@shopwell.example", Kind: okr.Committed, Visibility: okr.Public, State: okr.Active,
			Weight: ptr(1.0), AlignsTo: []app.DocAlignment{{KeyResult: "customers-feel-helped/csat", Link: okr.Contributes}},
			Skills: []app.DocSkill{{Skill: "Conflict resolution", Level: 3, Headcount: ptr(8), Essential: ptr(true)},
				{Skill: "Empathy", Level: 3, Headcount: ptr(8), Essential: ptr(false)}},
			KeyResults: []app.DocKeyResult{
				{Slug: "escalations", Title: "Cut escalations to a manager from 120 to 60 a month", Owner: "sam@shopwell.example",
					Kind: okr.Decrease, Unit: okr.UnitCustom, UnitLabel: "escalations a month", Baseline: ptr(120.0), Target: ptr(60.0),
					Weight: ptr(1.0), DueDate: "2027-03-31", Indicator: okr.Lagging, Source: okr.SourceManual},
				{Slug: "agents-certified", Title: "Raise the share of agents certified in conflict resolution from 10% to 90%", Owner: "nora@shopwell.example",
					Kind: okr.Increase, Unit: okr.UnitPercent, Baseline: ptr(10.0), Target: ptr(90.0), Weight: ptr(1.0), DueDate: "2027-03-31",
					Indicator: okr.Leading, Source: okr.SourceLearning,
					Measure: &app.DocMeasure{Type: "completion_rate", Program: "cr-cert-101", Population: &app.DocPopulation{Team: "support"}}},
				{Slug: "one-star-reviews", Title: "Lower one-star reviews that mention support from 40 to 15 a month", Owner: "leo@shopwell.example",
					Kind: okr.Decrease, Unit: okr.UnitCustom, UnitLabel: "reviews a month", Baseline: ptr(40.0), Target: ptr(15.0),
					Weight: ptr(1.0), DueDate: "2027-03-31", Indicator: okr.Lagging, Source: okr.SourceManual},
			}}
		if exported.Okra != 1 || exported.Period != "2027-Q1" || len(exported.Objectives) != 4 || len(exported.Initiatives) != 3 {
			t.Fatalf("export: %+v", exported)
		}
		if d := cmp.Diff(wantCalm, exported.Objectives[1]); d != "" {
			t.Fatalf("exported calm-difficult-conversations (-want +got):\n%s", d)
		}
		wantCert := app.DocInitiative{Slug: "conflict-resolution-certification", Title: "Certify every agent in conflict resolution",
			Description: "Twelve agents take the Conflict Resolution Certification, two cohorts of six.", Owner: "nora@shopwell.example",
			Status: okr.InProgress, StartDate: "2027-01-11", DueDate: "2027-03-19", Budget: &okr.Money{Amount: "12000.00", Currency: "EUR"},
			EffortDays: ptr(24.0), KeyResults: []string{"calm-difficult-conversations/agents-certified", "confident-agents/at-level"},
			Tasks: []app.DocTask{{Title: "Book the first cohort", Assignee: "nora@shopwell.example", DueDate: "2027-01-15", Done: true},
				{Title: "Book the second cohort", Assignee: "nora@shopwell.example", DueDate: "2027-02-12"}}}
		if d := cmp.Diff(wantCert, exported.Initiatives[0]); d != "" {
			t.Fatalf("exported initiative (-want +got):\n%s", d)
		}
		noChange(t, apply(t, w.a, w.maya, exported, app.ApplyOptions{Prune: true}), 20)
		for _, format := range []string{okrfile.YAML, okrfile.JSON} {
			b, err := okrfile.Encode(exported, format)
			if err != nil {
				t.Fatal(err)
			}
			again, err := okrfile.Decode(b, "export."+format)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(exported, again); d != "" {
				t.Fatalf("%s export does not read back:\n%s", format, d)
			}
		}
		if d := cmp.Diff(before, takeSnapshot(t, w.a, w.maya)); d != "" {
			t.Fatalf("export → apply changed something:\n%s", d)
		}

		// The JSON applied to another organization gives the same export.
		other := newCodeWorld(t, sameEngine(t, s, store.Config{}))
		apply(t, other.a, other.maya, example(t, "json"), app.ApplyOptions{})
		fromJSON, err := other.a.ExportDocument(ctx, other.maya, other.period.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(exported, fromJSON); d != "" {
			t.Fatalf("YAML and JSON applied differently (-yaml +json):\n%s", d)
		}
	})
}

// sameEngine opens a second, empty store on the engine of s.
func sameEngine(t *testing.T, s *store.Store, cfg store.Config) *store.Store {
	t.Helper()
	if s.Engine() == "postgres" {
		return storetest.Postgres(t, cfg)
	}
	return storetest.SQLite(t, cfg)
}

// A dry run plans and checks everything and changes nothing.
func TestApplyDryRun(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, s *store.Store) {
		w := newCodeWorld(t, s)
		doc := example(t, "yaml")
		empty := takeSnapshot(t, w.a, w.maya)
		plan := apply(t, w.a, w.maya, doc, app.ApplyOptions{DryRun: true})
		if d := cmp.Diff(exampleCreates, changes(plan)); d != "" || !plan.DryRun || plan.Create != 20 {
			t.Fatalf("dry run: %+v\n%s", plan, d)
		}
		if d := cmp.Diff(empty, takeSnapshot(t, w.a, w.maya)); d != "" {
			t.Fatalf("a dry run changed something:\n%s", d)
		}
		apply(t, w.a, w.maya, doc, app.ApplyOptions{})
		stored := takeSnapshot(t, w.a, w.maya)

		// Changes: a target, an objective's title and tags, a new objective
		// aligned to a new key result of the file, a new skill, a task done.
		next := example(t, "yaml")
		next.Objectives[0].KeyResults[1].Target = ptr(16.0)
		next.Objectives[2].Title = "Urgent customer problems reach the right person at once"
		next.Objectives[2].Tags = []string{"operations"}
		next.Objectives[0].KeyResults = append(next.Objectives[0].KeyResults, app.DocKeyResult{Slug: "nps", Title: "Raise NPS from 31 to 40",
			Owner: "maya@shopwell.example", Baseline: ptr(31.0), Target: ptr(40.0)})
		next.Objectives = append([]app.DocObjective{{Slug: "promoters", Title: "Happy customers tell their friends about us", Owner: "team:support",
			AlignsTo: []app.DocAlignment{{KeyResult: "customers-feel-helped/nps", Link: okr.Supports}},
			KeyResults: []app.DocKeyResult{{Slug: "referrals", Title: "Grow referred orders from 200 to 320 a month", Owner: "leo@shopwell.example",
				Baseline: ptr(200.0), Target: ptr(320.0), Unit: okr.UnitCustom, UnitLabel: "orders"}}}}, next.Objectives...)
		next.Objectives[3].Skills = append(next.Objectives[3].Skills, app.DocSkill{Skill: "Empathy", Level: 2})
		next.Initiatives[0].Tasks[1].Done = true
		want := []string{
			"update key_result customers-feel-helped/resolution-time (target)",
			"create key_result customers-feel-helped/nps",
			"create objective promoters",
			"create key_result promoters/referrals",
			"update objective urgent-problems-first (title, tags, skills)",
			"update initiative conflict-resolution-certification (tasks)",
		}
		plan = apply(t, w.a, w.maya, next, app.ApplyOptions{DryRun: true})
		if d := cmp.Diff(want, changes(plan)); d != "" || plan.Create != 3 || plan.Update != 3 || plan.Unchanged != 17 {
			t.Fatalf("dry run of the changes: %+v\n%s", plan, d)
		}
		if d := cmp.Diff(stored, takeSnapshot(t, w.a, w.maya)); d != "" {
			t.Fatalf("a dry run changed something:\n%s", d)
		}
		// Applied for real, the same plan; then nothing more.
		plan = apply(t, w.a, w.maya, next, app.ApplyOptions{})
		if d := cmp.Diff(want, changes(plan)); d != "" {
			t.Fatalf("apply of the changes:\n%s", d)
		}
		noChange(t, apply(t, w.a, w.maya, next, app.ApplyOptions{}), 23)

		// A dry run still runs every rule of the use cases, and reports the
		// problems at their paths; nothing is written.
		stored = takeSnapshot(t, w.a, w.maya)
		bad := example(t, "yaml")
		bad.Objectives[0].KeyResults[1].Target = ptr(30.0) // a decrease above its baseline
		bad.Objectives[1].KeyResults = append(bad.Objectives[1].KeyResults, app.DocKeyResult{Slug: "new", Title: "Something new",
			Kind: okr.Increase, Baseline: ptr(5.0)}) // no target
		bad.Initiatives[1].ExternalURL = "ftp://example.com"
		for _, dry := range []bool{true, false} {
			_, err := w.a.ApplyDocument(context.Background(), w.maya, bad, app.ApplyOptions{DryRun: dry})
			got := fieldsOf(err)
			wantFields := map[string]string{
				"objectives[0].key_results[1].target": "is above the baseline; a decrease needs a target below it (or use kind increase)",
				"objectives[1].key_results[3].target": "say where the key result should end",
				"initiatives[1].external_url":         "must be an http(s) link",
			}
			if d := cmp.Diff(wantFields, got); d != "" || errs.KindOf(err) != errs.Invalid {
				t.Fatalf("dry run %t: %v\n%s", dry, err, d)
			}
			if d := cmp.Diff(stored, takeSnapshot(t, w.a, w.maya)); d != "" {
				t.Fatalf("a failed apply (dry run %t) changed something:\n%s", dry, d)
			}
		}
	})
}

// Prune deletes what the file does not name, and only when asked.
func TestApplyPrune(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, s *store.Store) {
		w := newCodeWorld(t, s)
		apply(t, w.a, w.maya, example(t, "yaml"), app.ApplyOptions{})

		// The file without confident-agents, without the misrouted key result,
		// without the Empathy skill and without ticket-prioritization.
		doc := example(t, "yaml")
		doc.Objectives = doc.Objectives[:3]
		doc.Objectives[2].KeyResults = doc.Objectives[2].KeyResults[:2]
		doc.Objectives[1].Skills = doc.Objectives[1].Skills[:1]
		doc.Initiatives = []app.DocInitiative{doc.Initiatives[0], doc.Initiatives[2]}
		doc.Initiatives[0].KeyResults = doc.Initiatives[0].KeyResults[:1]
		plan := apply(t, w.a, w.maya, doc, app.ApplyOptions{})
		want := []string{"update initiative conflict-resolution-certification (key_results)"}
		if d := cmp.Diff(want, changes(plan)); d != "" {
			t.Fatalf("without prune: %v", changes(plan))
		}
		after := takeSnapshot(t, w.a, w.maya)
		if after.count("objective") != 4 || after.count("key result") != 13 || after.count("initiative") != 3 || after.count("requirement") != 3 {
			t.Fatalf("without prune, something was deleted: %+v", after)
		}

		// A member prunes only what they may change: of what Sam's file leaves
		// out, only support's confident-agents (he leads support) and the
		// initiative he owns would go.
		mine := example(t, "yaml")
		mine.Objectives = mine.Objectives[1:2]
		mine.Initiatives = nil
		plan = apply(t, w.a, w.sam, mine, app.ApplyOptions{Prune: true, DryRun: true})
		if d := cmp.Diff([]string{"delete initiative support-training-program", "delete objective confident-agents"}, changes(plan)); d != "" {
			t.Fatalf("a member's prune:\n%s", d)
		}

		want = []string{
			"update objective calm-difficult-conversations (skills)",
			"delete initiative ticket-prioritization",
			"delete key_result urgent-problems-first/misrouted",
			"delete objective confident-agents",
		}
		plan = apply(t, w.a, w.maya, doc, app.ApplyOptions{Prune: true, DryRun: true})
		if d := cmp.Diff(want, changes(plan)); d != "" || plan.Delete != 3 || plan.Update != 1 || !plan.Prune {
			t.Fatalf("prune dry run: %+v\n%s", plan, d)
		}
		if d := cmp.Diff(after, takeSnapshot(t, w.a, w.maya)); d != "" {
			t.Fatalf("a prune dry run deleted something:\n%s", d)
		}
		plan = apply(t, w.a, w.maya, doc, app.ApplyOptions{Prune: true})
		if d := cmp.Diff(want, changes(plan)); d != "" {
			t.Fatalf("prune:\n%s", d)
		}
		pruned := takeSnapshot(t, w.a, w.maya)
		if pruned.count("objective") != 3 || pruned.count("key result") != 9 || pruned.count("initiative") != 2 || pruned.count("requirement") != 2 {
			t.Fatalf("after prune: %d objectives, %d key results, %d initiatives, %d requirements", pruned.count("objective"),
				pruned.count("key result"), pruned.count("initiative"), pruned.count("requirement"))
		}
		noChange(t, apply(t, w.a, w.maya, doc, app.ApplyOptions{Prune: true}), 14)

		// A file that aligns to what prune would delete says so.
		doc.Objectives[1].AlignsTo = []app.DocAlignment{{Objective: "gone"}}
		_, err := w.a.ApplyDocument(context.Background(), w.maya, doc, app.ApplyOptions{Prune: true})
		if got := fieldsOf(err); got["objectives[1].aligns_to[0].objective"] != `no objective "gone" in period 2027-Q1, in the file or stored` {
			t.Fatalf("got %v", err)
		}
	})
}

// A bad file gets every problem at once, at its path, and writes nothing.
func TestApplyBadFile(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := newCodeWorld(t, s)
		before := takeSnapshot(t, w.a, w.maya)
		doc := example(t, "yaml")
		doc.Objectives = append(doc.Objectives, app.DocObjective{Slug: "Customers Love Us", Title: "Customers love us"},
			app.DocObjective{Slug: "calm-difficult-conversations", Title: "Calm again"})
		doc.Objectives[1].Owner = "team:nobody"
		doc.Objectives[1].Skills[0].Skill = "Juggling"
		doc.Objectives[2].KeyResults[0].Owner = "ghost@shopwell.example"
		doc.Objectives[2].KeyResults[1].Slug = "urgent-within-an-hour"
		doc.Objectives[3].AlignsTo[0].Objective = "2026-Q4:anything"
		doc.Objectives[3].KeyResults[0].Measure.Population = &app.DocPopulation{Role: "Astronaut"}
		doc.Objectives[3].KeyResults[2].Kind = "sideways"
		doc.Initiatives[1].KeyResults[0] = "urgent-problems-first/nope"
		doc.Initiatives[2].Tasks[0].Assignee = "nobody"
		doc.Objectives[0].KeyResults[0].Unit = okr.UnitNumber
		_, err := w.a.ApplyDocument(ctx, w.maya, doc, app.ApplyOptions{})
		want := map[string]string{
			"objectives[4].slug":                                   `"Customers Love Us" is not a slug: use 1 to 64 lowercase letters, digits and single hyphens, e.g. "customers-love-us"`,
			"objectives[0].key_results[0].unit":                    "a key result following a KPI takes the KPI's unit (percent); leave unit, unit_label and currency out",
			"objectives[1].owner":                                  `no team with the slug "nobody" in this organization`,
			"objectives[1].skills[0].skill":                        `no skill named "Juggling" in this organization`,
			"objectives[5].slug":                                   `"calm-difficult-conversations" is already the slug of objectives[1]; slugs must be unique`,
			"objectives[2].key_results[0].owner":                   `no member with the e-mail "ghost@shopwell.example" in this organization`,
			"objectives[2].key_results[1].slug":                    `"urgent-within-an-hour" is already the slug of objectives[2].key_results[0]; slugs must be unique`,
			"objectives[3].aligns_to[0].objective":                 `no period named "2026-Q4" in this organization`,
			"objectives[3].key_results[0].measure.population.role": `no role profile named "Astronaut" in this organization`,
			"objectives[3].key_results[2].kind":                    `"sideways" is not one of increase, decrease, maintain, milestone, boolean`,
			"initiatives[1].key_results[0]":                        `objective urgent-problems-first has no key result "nope", in the file or stored`,
			"initiatives[2].tasks[0].assignee":                     `no member with the e-mail "nobody" in this organization`,
		}
		if d := cmp.Diff(want, fieldsOf(err)); d != "" || errs.KindOf(err) != errs.Invalid {
			t.Fatalf("%v\n(-want +got):\n%s", err, d)
		}
		for _, c := range []struct {
			doc   app.OKRDocument
			field string
		}{
			{app.OKRDocument{Okra: 2, Period: "2027-Q1"}, "okra"},
			{app.OKRDocument{Okra: 1}, "period"},
			{app.OKRDocument{Okra: 1, Period: "2031-Q4"}, "period"},
		} {
			_, err := w.a.ApplyDocument(ctx, w.maya, c.doc, app.ApplyOptions{})
			if _, ok := fieldsOf(err)[c.field]; !ok {
				t.Errorf("%+v: got %v, want a problem with %s", c.doc, err, c.field)
			}
		}
		if d := cmp.Diff(before, takeSnapshot(t, w.a, w.maya)); d != "" {
			t.Fatalf("a bad file wrote something:\n%s", d)
		}

		// The use cases decide who may change what: a member may not set an
		// organization objective, and says so at the objective's owner.
		_, err = w.a.ApplyDocument(ctx, w.sam, example(t, "yaml"), app.ApplyOptions{})
		got := fieldsOf(err)
		if got["objectives[0].owner"] != "only admins may set organization objectives; own it by your team or yourself" {
			t.Fatalf("member: %v", err)
		}
		if d := cmp.Diff(before, takeSnapshot(t, w.a, w.maya)); d != "" {
			t.Fatalf("a refused apply wrote something:\n%s", d)
		}
		viewer := w.maya
		viewer.Role = org.RoleViewer
		_, err = w.a.ApplyDocument(ctx, viewer, example(t, "yaml"), app.ApplyOptions{})
		wantKind(t, err, errs.Forbidden)
	})
}

// The demo's active quarter, and its closed one, export and apply back
// without a change.
func TestApplyDemoRoundTrip(t *testing.T) {
	storetest.Each(t, store.Config{}, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &demo.Clock{}
		a := app.New(sameEngine(t, s, store.Config{Now: clock.Now}), nil) // the demo's store reads its clock
		res, err := demo.Seed(ctx, a, clock, time.Date(2026, 5, 20, 14, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		owner, err := a.Authenticate(ctx, res.Token, "test")
		if err != nil {
			t.Fatal(err)
		}
		periods, err := a.ListPeriods(ctx, owner, app.PageRequest{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		before := takeSnapshot(t, a, owner)
		exported := 0
		for _, p := range periods.Items {
			doc, err := a.ExportDocument(ctx, owner, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Objectives) == 0 {
				continue
			}
			b, err := okrfile.Encode(doc, okrfile.YAML)
			if err != nil {
				t.Fatal(err)
			}
			back, err := okrfile.Decode(b, "demo.yaml")
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			plan, err := a.ApplyDocument(ctx, owner, back, app.ApplyOptions{Prune: true})
			took := time.Since(start)
			if err != nil {
				t.Fatalf("%s: %v", p.Name, err)
			}
			if len(plan.Changes) != 0 || plan.Unchanged == 0 {
				t.Fatalf("%s: export → apply planned %v", p.Name, changes(plan))
			}
			if p.ID == res.PeriodID {
				t.Logf("%s: %d objectives, %d initiatives, %d unchanged, %d bytes of YAML, applied in %s", p.Name, len(doc.Objectives),
					len(doc.Initiatives), plan.Unchanged, len(b), took.Round(time.Millisecond))
			}
			exported++
		}
		if exported < 2 {
			t.Fatalf("exported %d periods of the demo", exported)
		}
		if d := cmp.Diff(before, takeSnapshot(t, a, owner)); d != "" {
			t.Fatalf("export → apply changed the demo:\n%s", d)
		}
	})
}
