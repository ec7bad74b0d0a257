package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// AddTask appends a task to an initiative. ifMatch is the initiative's
// version (PreconditionFailed when stale); an invalid task answers Invalid
// with the task's own field names (title, assignee_id, due_date).
func (a *App) AddTask(ctx context.Context, actor org.Actor, initiativeID string, ifMatch *int, in TaskInput) (okr.Initiative, error) {
	in.ID = ""
	in.Title = strings.TrimSpace(in.Title)
	var n int
	out, err := a.changeTasks(ctx, actor, initiativeID, ifMatch, func(ts []TaskInput) ([]TaskInput, error) {
		n = len(ts)
		return append(ts, in), nil
	})
	return out, taskFields(err, n)
}

// SetTaskDone ticks an initiative's task done, or back to not done. It
// returns NotFound when the initiative has no such task.
func (a *App) SetTaskDone(ctx context.Context, actor org.Actor, initiativeID, taskID string, ifMatch *int, done bool) (okr.Initiative, error) {
	return a.changeTasks(ctx, actor, initiativeID, ifMatch, func(ts []TaskInput) ([]TaskInput, error) {
		for i := range ts {
			if ts[i].ID == taskID {
				ts[i].Done = done
				return ts, nil
			}
		}
		return nil, errs.NotFoundf("task %s: not found", taskID)
	})
}

// DeleteTask removes a task from an initiative. It returns NotFound when the
// initiative has no such task.
func (a *App) DeleteTask(ctx context.Context, actor org.Actor, initiativeID, taskID string, ifMatch *int) (okr.Initiative, error) {
	return a.changeTasks(ctx, actor, initiativeID, ifMatch, func(ts []TaskInput) ([]TaskInput, error) {
		for i := range ts {
			if ts[i].ID == taskID {
				return append(ts[:i], ts[i+1:]...), nil
			}
		}
		return nil, errs.NotFoundf("task %s: not found", taskID)
	})
}

// changeTasks edits an initiative's task list through UpdateInitiative, so
// that the same rights, validation, version check and audit apply.
func (a *App) changeTasks(ctx context.Context, actor org.Actor, id string, ifMatch *int, change func([]TaskInput) ([]TaskInput, error)) (okr.Initiative, error) {
	if ifMatch == nil {
		return okr.Initiative{}, errs.E(errs.PreconditionRequired, "send the initiative's version in If-Match to update it")
	}
	in, err := a.GetInitiative(ctx, actor, id)
	if err != nil {
		return in, err
	}
	if in.Version != *ifMatch {
		// The same answer UpdateInitiative gives, without building a list from a newer state.
		return okr.Initiative{}, checkVersion(ifMatch, in.Version, "initiative")
	}
	ts := make([]TaskInput, len(in.Tasks))
	for i, t := range in.Tasks {
		ts[i] = TaskInput{ID: t.ID, Title: t.Title, AssigneeID: t.AssigneeID, DueDate: t.DueDate, Done: t.Done}
	}
	if ts, err = change(ts); err != nil {
		return okr.Initiative{}, err
	}
	return a.UpdateInitiative(ctx, actor, id, ifMatch, InitiativeUpdate{Tasks: &ts})
}

// taskFields renames the fields of the n-th task ("tasks[3].title") to the
// task's own ("title").
func taskFields(err error, n int) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid {
		return err
	}
	prefix := fmt.Sprintf("tasks[%d].", n)
	out := &errs.Error{Kind: e.Kind, Message: e.Message, Err: e.Err}
	for _, f := range e.Fields {
		f.Field = strings.TrimPrefix(f.Field, prefix)
		out.Fields = append(out.Fields, f)
	}
	return out
}
