package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/org"
)

// What importing a row of an LMS completion report does.
const (
	ImportCreateAndComplete = "create enrollment and complete"
	ImportCreate            = "create enrollment"
	ImportComplete          = "complete"
	ImportUpdateProgress    = "update progress"
	ImportNoChange          = "no change"
	ImportUnmatched         = "unmatched"
)

// CompletionChange is what importing one row of a completion report does
// (or, in a dry run, would do).
type CompletionChange struct {
	Line int `json:"line" doc:"The row's line in the file (the header is line 1)."`
	// Email and Program are as the file gives them.
	Email   string `json:"email"`
	Program string `json:"program"`
	UserID  string `json:"user_id,omitempty"`
	// ProgramID is the program the row matched, by external id or else by title.
	ProgramID string `json:"program_id,omitempty"`
	// EnrollmentID is the enrollment changed (empty for one a dry run would create).
	EnrollmentID string `json:"enrollment_id,omitempty"`
	Action       string `json:"action" enum:"create enrollment and complete,create enrollment,complete,update progress,no change,unmatched"`
	// Reason says what changes, or why nothing does.
	Reason string `json:"reason,omitempty"`
}

// CompletionCounts sums up an import.
type CompletionCounts struct {
	// Rows is how many rows were read, those with errors included.
	Rows int `json:"rows"`
	// Created counts the new enrollments (completed or not).
	Created   int `json:"created"`
	Completed int `json:"completed" doc:"Existing enrollments completed, failed or given a new verdict."`
	Updated   int `json:"updated" doc:"Existing enrollments whose progress, score or hours changed."`
	Unchanged int `json:"unchanged"`
	Unmatched int `json:"unmatched"`
	Errors    int `json:"errors" doc:"Rows left out for a cell that could not be read."`
}

// CompletionImport is the report of an import of an LMS completion report.
type CompletionImport struct {
	DryRun bool               `json:"dry_run" doc:"True: nothing was written; this is what importing would do."`
	Rows   []CompletionChange `json:"rows"`
	// Errors are the cells that could not be read; their rows are left out.
	Errors []learning.RowError `json:"errors"`
	Counts CompletionCounts    `json:"counts"`
}

// errDryRun rolls back a dry run's transaction.
var errDryRun = errors.New("dry run")

// ImportCompletions imports an LMS completion report (CSV) whose columns the
// mapping names (admin): each row's e-mail is matched to an active member and
// its program to a program's external id, else to its title (ignoring case);
// a matched row updates the person's latest enrollment in the program (or a
// new one) as an xAPI statement would: status, score, hours, progress, with
// the completion date as the completion time. Rows that match nobody or no
// program, and cells that cannot be read, are reported; the rest is imported
// in one transaction. A dry run reports the same and writes nothing.
func (a *App) ImportCompletions(ctx context.Context, actor org.Actor, r io.Reader, mapping learning.CompletionMapping, dryRun bool) (CompletionImport, error) {
	res := CompletionImport{DryRun: dryRun, Rows: []CompletionChange{}, Errors: []learning.RowError{}}
	if err := requireAdmin(actor); err != nil {
		return res, err
	}
	var f errs.Fields
	if strings.TrimSpace(mapping.Email) == "" {
		f.Add("mapping.email", "name the column of the learner's e-mail")
	}
	if strings.TrimSpace(mapping.Program) == "" {
		f.Add("mapping.program", "name the column of the program's external id or title")
	}
	if err := f.Err(); err != nil {
		return res, err
	}
	rows, bad, err := learning.ParseCompletions(r, mapping)
	if err != nil {
		f.Add("csv", "%s", err.Error())
		return res, f.Err()
	}
	if bad != nil {
		res.Errors = bad
	}
	res.Counts.Errors = len(bad)
	res.Counts.Rows = len(rows) + countLines(bad)

	err = a.write(ctx, actor.OrgID, func(tx Tx) error {
		m, err := newCompletionMatcher(ctx, tx, actor.OrgID)
		if err != nil {
			return err
		}
		moved := false
		for _, row := range rows {
			c, changed, err := importCompletion(ctx, tx, actor, m, row)
			if err != nil {
				return err
			}
			moved = moved || changed
			if dryRun && c.Action == ImportCreate || dryRun && c.Action == ImportCreateAndComplete {
				c.EnrollmentID = "" // rolled back: it never exists
			}
			res.Rows = append(res.Rows, c)
			res.Counts.add(c.Action)
		}
		if dryRun {
			return errDryRun
		}
		if moved {
			_, err := refreshLearning(ctx, tx, actor)
			return err
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return CompletionImport{}, err
	}
	return res, nil
}

// countLines counts the distinct lines of the row errors.
func countLines(bad []learning.RowError) int {
	lines := map[int]bool{}
	for _, e := range bad {
		lines[e.Line] = true
	}
	return len(lines)
}

func (c *CompletionCounts) add(action string) {
	switch action {
	case ImportCreate, ImportCreateAndComplete:
		c.Created++
	case ImportComplete:
		c.Completed++
	case ImportUpdateProgress:
		c.Updated++
	case ImportNoChange:
		c.Unchanged++
	case ImportUnmatched:
		c.Unmatched++
	}
}

// completionMatcher finds the people and programs of a report's rows.
type completionMatcher struct {
	ctx     context.Context
	tx      Tx
	orgID   string
	byExtID map[string]learning.Program
	byTitle map[string][]learning.Program
	byEmail map[string]string // e-mail → user id, "" for no active member
}

func newCompletionMatcher(ctx context.Context, tx Tx, orgID string) (*completionMatcher, error) {
	ps, err := tx.ListPrograms(ctx, orgID, learning.ProgramFilter{IncludeArchived: true})
	if err != nil {
		return nil, err
	}
	m := &completionMatcher{ctx: ctx, tx: tx, orgID: orgID, byExtID: map[string]learning.Program{},
		byTitle: map[string][]learning.Program{}, byEmail: map[string]string{}}
	for _, p := range ps {
		if p.ExternalID != "" {
			m.byExtID[p.ExternalID] = p
		}
		t := strings.ToLower(strings.TrimSpace(p.Title))
		m.byTitle[t] = append(m.byTitle[t], p)
	}
	return m, nil
}

// program finds a program by external id, else by title; reason says why not.
func (m *completionMatcher) program(s string) (p learning.Program, reason string) {
	if p, ok := m.byExtID[s]; ok {
		return p, ""
	}
	switch ps := m.byTitle[strings.ToLower(s)]; len(ps) {
	case 1:
		return ps[0], ""
	case 0:
		return p, fmt.Sprintf("no program with external id or title %q", s)
	default:
		return p, fmt.Sprintf("%d programs are titled %q; give them external ids and use those in the report", len(ps), s)
	}
}

// person finds the active member with an e-mail.
func (m *completionMatcher) person(email string) (string, error) {
	email = strings.ToLower(email)
	if id, ok := m.byEmail[email]; ok {
		return id, nil
	}
	id, err := activeMemberByEmail(m.ctx, m.tx, m.orgID, email)
	if err == nil {
		m.byEmail[email] = id
	}
	return id, err
}

// importCompletion applies one row and says what it did and whether an
// enrollment changed.
func importCompletion(ctx context.Context, tx Tx, actor org.Actor, m *completionMatcher, row learning.CompletionRow) (CompletionChange, bool, error) {
	c := CompletionChange{Line: row.Line, Email: row.Email, Program: row.Program, Action: ImportUnmatched}
	userID, err := m.person(row.Email)
	if err != nil {
		return c, false, err
	}
	p, why := m.program(row.Program)
	switch {
	case userID == "" && why != "":
		c.Reason = fmt.Sprintf("no active member with e-mail %s, and %s", row.Email, why)
		return c, false, nil
	case userID == "":
		c.Reason = fmt.Sprintf("no active member with e-mail %s", row.Email)
		return c, false, nil
	case why != "":
		c.Reason = why
		return c, false, nil
	}
	c.UserID, c.ProgramID = userID, p.ID

	rec := learningRecord{passed: row.Passed, score: row.Score, hours: row.Hours, progress: row.Progress, at: tx.Now()}
	if row.Completed != nil && row.Completed.Before(tx.Now()) {
		rec.at = *row.Completed
	}
	status := row.Status
	switch {
	case status == "" && row.Completed != nil:
		status = learning.Completed // a completion date says it is completed
	case status == "" && row.Progress != nil && *row.Progress > 0:
		status = learning.InProgress
	}
	if status != "" {
		rec.status = &status
	}
	res, err := applyExternalRecord(ctx, tx, actor, userID, p, rec)
	if err != nil {
		return c, false, err
	}
	c.EnrollmentID = res.after.ID
	switch {
	case res.created && res.after.Done():
		c.Action = ImportCreateAndComplete
	case res.created:
		c.Action = ImportCreate
	case res.completed():
		c.Action = ImportComplete
	case res.changed():
		c.Action = ImportUpdateProgress
	default:
		c.Action = ImportNoChange
	}
	c.Reason = res.sentence(p)
	return c, res.changed(), nil
}
