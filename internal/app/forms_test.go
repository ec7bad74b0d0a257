package app_test

import (
	"context"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

func TestFormsAlignmentChoices(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	a := w.a
	mk := func(title string, owner app.OwnerInput, vis okr.Visibility, parents ...app.AlignmentInput) okr.Objective {
		t.Helper()
		o, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: title, Owner: owner,
			Visibility: vis, Alignments: parents}, "")
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	company := mk("Win the market", app.OwnerInput{Type: okr.OwnerOrg}, "")
	zero, ten := 0.0, 10.0
	k, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: company.ID, Title: "Deals", Kind: okr.Increase, Baseline: &zero, Target: &ten}, "")
	if err != nil {
		t.Fatal(err)
	}
	team := mk("Support wins customers", app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}, "",
		app.AlignmentInput{ParentType: okr.ParentKeyResult, ParentID: k.ID})
	below := mk("Answer within the hour", app.OwnerInput{Type: okr.OwnerUser, ID: w.ann.UserID}, "",
		app.AlignmentInput{ParentType: okr.ParentObjective, ParentID: team.ID})
	hidden := mk("A private plan", app.OwnerInput{Type: okr.OwnerUser, ID: w.ann.UserID}, okr.Private)

	titles := func(cs []app.AlignmentChoice) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Objective.Title)
		}
		return out
	}
	// A new objective may align to everything the owner sees, company first.
	all, err := a.AlignmentChoices(ctx, w.owner, w.period.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(all); len(got) != 4 || got[0] != company.Title || got[1] != team.Title {
		t.Fatalf("choices for a new objective: %q", got)
	}
	if len(all[0].KeyResults) != 1 || all[0].KeyResults[0].ID != k.ID {
		t.Fatalf("the company objective offers key results %v, want Deals", all[0].KeyResults)
	}
	// Editing the team objective leaves out itself and what sits below it
	// (through a key result or directly).
	forTeam, err := a.AlignmentChoices(ctx, w.owner, w.period.ID, team.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range forTeam {
		if c.Objective.ID == team.ID || c.Objective.ID == below.ID {
			t.Fatalf("editing %q offers %q, which would make a cycle", team.Title, c.Objective.Title)
		}
	}
	if len(forTeam) != 2 {
		t.Fatalf("choices when editing the team objective: %q, want the company's and the private one", titles(forTeam))
	}
	// Bob does not see Ann's private objective.
	bobs, err := a.AlignmentChoices(ctx, w.bob, w.period.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range bobs {
		if c.Objective.ID == hidden.ID {
			t.Fatal("Bob is offered a private objective he may not see")
		}
	}
	// Another organization's period is not found.
	_, err = a.AlignmentChoices(ctx, w.owner, "no-such-period", "")
	wantKind(t, err, errs.NotFound)
}

func TestFormsTasks(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	a := w.a
	in, err := a.CreateInitiative(ctx, w.ann, app.InitiativeInput{Title: "Write the playbook",
		Tasks: []app.TaskInput{{Title: "Outline"}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Adding a task keeps the first and appends the new one.
	in, err = a.AddTask(ctx, w.ann, in.ID, &in.Version, app.TaskInput{Title: "  Review with the team ", AssigneeID: w.bob.UserID})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Tasks) != 2 || in.Tasks[1].Title != "Review with the team" || in.Tasks[1].AssigneeID != w.bob.UserID {
		t.Fatalf("after adding: %+v", in.Tasks)
	}
	// A task without a title is refused with the task's own field name.
	_, err = a.AddTask(ctx, w.ann, in.ID, &in.Version, app.TaskInput{Title: " "})
	wantKind(t, err, errs.Invalid)
	if e := err.(*errs.Error); len(e.Fields) != 1 || e.Fields[0].Field != "title" {
		t.Fatalf("an empty task title reports fields %+v, want title", e.Fields)
	}
	// Ticking one task done leaves the other as it was.
	second := in.Tasks[1].ID
	in, err = a.SetTaskDone(ctx, w.ann, in.ID, second, &in.Version, true)
	if err != nil {
		t.Fatal(err)
	}
	if in.Tasks[0].Done || !in.Tasks[1].Done || in.Tasks[1].ID != second {
		t.Fatalf("after ticking the second: %+v", in.Tasks)
	}
	// A stale version is refused and changes nothing.
	stale := in.Version - 1
	_, err = a.SetTaskDone(ctx, w.ann, in.ID, second, &stale, false)
	wantKind(t, err, errs.PreconditionFailed)
	_, err = a.SetTaskDone(ctx, w.ann, in.ID, second, nil, false)
	wantKind(t, err, errs.PreconditionRequired)
	// Someone who may not edit the initiative cannot tick its tasks.
	_, err = a.SetTaskDone(ctx, w.bob, in.ID, second, &in.Version, false)
	wantKind(t, err, errs.Forbidden)
	// An unknown task is not found.
	_, err = a.DeleteTask(ctx, w.ann, in.ID, "nope", &in.Version)
	wantKind(t, err, errs.NotFound)
	in, err = a.DeleteTask(ctx, w.ann, in.ID, in.Tasks[0].ID, &in.Version)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Tasks) != 1 || in.Tasks[0].ID != second || !in.Tasks[0].Done {
		t.Fatalf("after deleting the first: %+v", in.Tasks)
	}
}
