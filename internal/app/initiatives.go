package app

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// MoneyInput is a budget: the amount is a decimal string, never a float.
type MoneyInput struct {
	Amount   string `json:"amount" doc:"A decimal string, e.g. 12000.00"`
	Currency string `json:"currency" doc:"ISO 4217 code, e.g. EUR"`
}

// TaskInput is a step of an initiative.
type TaskInput struct {
	ID         string   `json:"id,omitempty" doc:"Keep a task's id when editing the list."`
	Title      string   `json:"title"`
	AssigneeID string   `json:"assignee_id,omitempty"`
	DueDate    okr.Date `json:"due_date,omitempty"`
	Done       bool     `json:"done,omitempty"`
}

// InitiativeInput creates an initiative.
type InitiativeInput struct {
	Slug         string               `json:"slug,omitempty" doc:"Stable key within the organization; default: from the title."`
	Title        string               `json:"title"`
	Description  string               `json:"description,omitempty"`
	OwnerID      string               `json:"owner_id,omitempty" doc:"Default: you."`
	Status       okr.InitiativeStatus `json:"status,omitempty" enum:"planned,in_progress,blocked,done,cancelled" doc:"Default planned."`
	StartDate    okr.Date             `json:"start_date,omitempty"`
	DueDate      okr.Date             `json:"due_date,omitempty"`
	Budget       *MoneyInput          `json:"budget,omitempty"`
	EffortDays   *float64             `json:"effort_days,omitempty" doc:"Effort in person-days."`
	KeyResultIDs []string             `json:"key_result_ids,omitempty" doc:"The key results it moves; none makes it unaligned."`
	Tasks        []TaskInput          `json:"tasks,omitempty"`
	ExternalURL  string               `json:"external_url,omitempty" doc:"An issue in Jira, Asana, GitHub…"`
}

// InitiativeUpdate changes an initiative; absent fields stay.
type InitiativeUpdate struct {
	Slug         *string               `json:"slug,omitempty" doc:"Stable key within the organization."`
	Title        *string               `json:"title,omitempty"`
	Description  *string               `json:"description,omitempty"`
	OwnerID      *string               `json:"owner_id,omitempty"`
	Status       *okr.InitiativeStatus `json:"status,omitempty" enum:"planned,in_progress,blocked,done,cancelled"`
	StartDate    *okr.Date             `json:"start_date,omitempty"`
	DueDate      *okr.Date             `json:"due_date,omitempty"`
	Budget       *MoneyInput           `json:"budget,omitempty" doc:"An amount of \"\" removes the budget."`
	EffortDays   *float64              `json:"effort_days,omitempty"`
	KeyResultIDs *[]string             `json:"key_result_ids,omitempty"`
	Tasks        *[]TaskInput          `json:"tasks,omitempty"`
	ExternalURL  *string               `json:"external_url,omitempty"`
}

var decimalPattern = regexp.MustCompile(`^-?[0-9]{1,15}(\.[0-9]{1,4})?$`)

func validateInitiative(v *access, in *okr.Initiative, f *errs.Fields) error {
	ctx, tx, orgID := v.ctx, v.tx, v.actor.OrgID
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		f.Add("title", "is required")
	}
	switch in.Status {
	case okr.Planned, okr.InProgress, okr.Blocked, okr.Done, okr.Cancelled:
	default:
		f.Add("status", "must be planned, in_progress, blocked, done or cancelled")
	}
	for name, d := range map[string]okr.Date{"start_date": in.StartDate, "due_date": in.DueDate} {
		if d != "" && !d.Valid() {
			f.Add(name, "must be a date like 2027-03-31")
		}
	}
	if in.StartDate != "" && in.DueDate != "" && in.DueDate < in.StartDate {
		f.Add("due_date", "must not be before start_date")
	}
	if in.Budget != nil {
		if !decimalPattern.MatchString(in.Budget.Amount) {
			f.Add("budget.amount", "must be a decimal string like 12000.00")
		}
		in.Budget.Currency = strings.ToUpper(strings.TrimSpace(in.Budget.Currency))
		if !currencyPattern.MatchString(in.Budget.Currency) {
			f.Add("budget.currency", "give the ISO 4217 code, e.g. EUR")
		}
	}
	if in.EffortDays != nil && (*in.EffortDays < 0 || !finite(*in.EffortDays)) {
		f.Add("effort_days", "must be 0 or more")
	}
	if in.ExternalURL != "" {
		u, err := url.Parse(in.ExternalURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			f.Add("external_url", "must be an http(s) link")
		}
	}
	member := func(field, id string) error {
		if id == "" {
			return nil
		}
		if _, err := tx.GetMember(ctx, orgID, id); errs.Is(err, errs.NotFound) {
			f.Add(field, "no member %s in this organization", id)
		} else if err != nil {
			return err
		}
		return nil
	}
	if err := member("owner_id", in.OwnerID); err != nil {
		return err
	}
	for i, t := range in.Tasks {
		if err := member(fmt.Sprintf("tasks[%d].assignee_id", i), t.AssigneeID); err != nil {
			return err
		}
		if strings.TrimSpace(t.Title) == "" {
			f.Add(fmt.Sprintf("tasks[%d].title", i), "is required")
		}
		if t.DueDate != "" && !t.DueDate.Valid() {
			f.Add(fmt.Sprintf("tasks[%d].due_date", i), "must be a date like 2027-03-31")
		}
	}
	seen := map[string]bool{}
	for i, id := range in.KeyResultIDs {
		if seen[id] {
			f.Add(fmt.Sprintf("key_result_ids[%d]", i), "is listed twice")
			continue
		}
		seen[id] = true
		if _, _, err := v.keyResult(id); errs.Is(err, errs.NotFound) {
			f.Add(fmt.Sprintf("key_result_ids[%d]", i), "no key result %s in this organization", id)
		} else if err != nil {
			return err
		}
	}
	in.Aligned = len(in.KeyResultIDs) > 0
	return nil
}

// tasksFrom turns task inputs into tasks; an id is kept only when the
// initiative already has a task with it (old), else the task is new.
func tasksFrom(in []TaskInput, old []okr.Task) []okr.Task {
	known := map[string]bool{}
	for _, t := range old {
		known[t.ID] = true
	}
	out := make([]okr.Task, len(in))
	for i, t := range in {
		id := t.ID
		if !known[id] {
			id = NewID()
		}
		out[i] = okr.Task{ID: id, Title: strings.TrimSpace(t.Title), AssigneeID: t.AssigneeID, DueDate: t.DueDate, Done: t.Done}
	}
	return out
}

func moneyFrom(m *MoneyInput) *okr.Money {
	if m == nil || m.Amount == "" {
		return nil
	}
	return &okr.Money{Amount: m.Amount, Currency: m.Currency}
}

// CreateInitiative creates an initiative linked to the key results it moves.
func (a *App) CreateInitiative(ctx context.Context, actor org.Actor, in InitiativeInput, idemKey string) (okr.Initiative, error) {
	var out okr.Initiative
	if err := requireWrite(actor); err != nil {
		return out, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		id, err := idempotent(ctx, tx, actor, idemKey, "initiative.create", in, func() (string, error) {
			out = okr.Initiative{ID: NewID(), OrgID: actor.OrgID, Title: in.Title, Description: in.Description, OwnerID: in.OwnerID,
				Status: in.Status, StartDate: in.StartDate, DueDate: in.DueDate, Budget: moneyFrom(in.Budget), EffortDays: in.EffortDays,
				KeyResultIDs: append([]string{}, in.KeyResultIDs...), Tasks: tasksFrom(in.Tasks, nil), ExternalURL: in.ExternalURL}
			if out.OwnerID == "" {
				out.OwnerID = actor.UserID
			}
			if out.Status == "" {
				out.Status = okr.Planned
			}
			var f errs.Fields
			if err := validateInitiative(v, &out, &f); err != nil {
				return "", err
			}
			var err error
			if out.Slug, err = settleSlug(ctx, tx, actor.OrgID, okr.SlugInitiative, "", out.ID, in.Slug, out.Title, "slug", &f); err != nil {
				return "", err
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			if err := tx.CreateInitiative(ctx, &out); err != nil {
				return "", err
			}
			return out.ID, record(ctx, tx, actor, "initiative.create", "initiative", out.ID, nil, out)
		})
		if err != nil {
			return err
		}
		out, err = tx.GetInitiative(ctx, actor.OrgID, id)
		return err
	})
	return out, err
}

// GetInitiative returns an initiative.
func (a *App) GetInitiative(ctx context.Context, actor org.Actor, id string) (okr.Initiative, error) {
	var out okr.Initiative
	if err := requireRead(actor); err != nil {
		return out, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		v := newAccess(ctx, tx, actor)
		if out, err = v.initiative(id); err != nil {
			return err
		}
		_, err = v.readableInitiative(&out)
		return err
	})
	return out, err
}

// InitiativeQuery filters the initiative list.
type InitiativeQuery struct {
	KeyResultID string
	OwnerID     string
	PageRequest
}

// ListInitiatives lists initiatives.
func (a *App) ListInitiatives(ctx context.Context, actor org.Actor, q InitiativeQuery) (Page[okr.Initiative], error) {
	return readPage(ctx, a, actor, q.PageRequest, func(i okr.Initiative) string { return i.ID },
		func(tx Tx, after string, limit int) ([]okr.Initiative, error) {
			return tx.ListInitiatives(ctx, actor.OrgID, okr.InitiativeFilter{KeyResultID: q.KeyResultID, OwnerID: q.OwnerID, After: after, Limit: limit})
		},
		func(tx Tx, page *Page[okr.Initiative]) (err error) {
			page.Items, err = keepIf(page.Items, newAccess(ctx, tx, actor).readableInitiative)
			return err
		})
}

// initiative loads an initiative the actor may see: their own, one linked to
// no key result, or one linked to a key result they may see.
func (v *access) initiative(id string) (okr.Initiative, error) {
	in, err := v.tx.GetInitiative(v.ctx, v.actor.OrgID, id)
	if err != nil {
		return in, err
	}
	ok, err := v.canSeeInitiative(in)
	if err != nil {
		return in, err
	}
	if !ok {
		return okr.Initiative{}, errs.NotFoundf("initiative %s: not found", id)
	}
	return in, nil
}

func (v *access) canSeeInitiative(in okr.Initiative) (bool, error) {
	if v.actor.IsAdminReader() || in.OwnerID == v.actor.UserID || len(in.KeyResultIDs) == 0 {
		return true, nil
	}
	visible, err := v.visibleKeyResults(in.KeyResultIDs)
	return len(visible) > 0, err
}

// readableInitiative prepares an initiative for a reader: false when they
// may not see it; else its links are cut to the key results they may see
// (its aligned flag stays true to what it is linked to).
func (v *access) readableInitiative(in *okr.Initiative) (bool, error) {
	ok, err := v.canSeeInitiative(*in)
	if err != nil || !ok {
		return false, err
	}
	if !v.actor.IsAdminReader() {
		in.KeyResultIDs, err = v.visibleKeyResults(in.KeyResultIDs)
	}
	return true, err
}

// visibleKeyResults keeps the ids of key results the actor may see.
func (v *access) visibleKeyResults(ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		_, _, err := v.keyResult(id)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// editableInitiative: admins and the initiative's owner may change it.
func (v *access) editableInitiative(id string) (okr.Initiative, error) {
	in, err := v.initiative(id)
	if err != nil {
		return in, err
	}
	if !v.actor.EditsAll() && in.OwnerID != v.actor.UserID {
		return in, errs.E(errs.Forbidden, "only admins and the initiative's owner may change it")
	}
	return in, nil
}

// UpdateInitiative changes an initiative, its tasks and its links.
func (a *App) UpdateInitiative(ctx context.Context, actor org.Actor, id string, ifMatch *int, up InitiativeUpdate) (okr.Initiative, error) {
	var out okr.Initiative
	if err := requireWrite(actor); err != nil {
		return out, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		before, err := v.editableInitiative(id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "initiative"); err != nil {
			return err
		}
		out = before
		setIf(&out.Title, up.Title)
		setIf(&out.Description, up.Description)
		setIf(&out.OwnerID, up.OwnerID)
		setIf(&out.Status, up.Status)
		setIf(&out.StartDate, up.StartDate)
		setIf(&out.DueDate, up.DueDate)
		if up.Budget != nil {
			out.Budget = moneyFrom(up.Budget)
		}
		if up.EffortDays != nil {
			out.EffortDays = up.EffortDays
		}
		setIf(&out.KeyResultIDs, up.KeyResultIDs)
		if up.Tasks != nil {
			out.Tasks = tasksFrom(*up.Tasks, before.Tasks)
		}
		setIf(&out.ExternalURL, up.ExternalURL)
		var f errs.Fields
		if err := validateInitiative(v, &out, &f); err != nil {
			return err
		}
		if up.Slug != nil && *up.Slug != before.Slug {
			if out.Slug, err = settleSlug(ctx, tx, actor.OrgID, okr.SlugInitiative, "", out.ID, *up.Slug, out.Title, "slug", &f); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.UpdateInitiative(ctx, &out, before.Version); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "initiative.update", "initiative", id, before, out); err != nil {
			return err
		}
		out, err = tx.GetInitiative(ctx, actor.OrgID, id)
		return err
	})
	return out, err
}

// DeleteInitiative removes an initiative and its tasks.
func (a *App) DeleteInitiative(ctx context.Context, actor org.Actor, id string) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := newAccess(ctx, tx, actor).editableInitiative(id)
		if err != nil {
			return err
		}
		if err := tx.DeleteInitiative(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "initiative.delete", "initiative", id, before, nil)
	})
}
