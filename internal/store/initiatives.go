package store

import (
	"context"
	"database/sql"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

const initiativeColumns = `id, org_id, title, description, COALESCE(owner_id, ''), status, start_date, due_date,
	budget_amount, budget_currency, effort_days, external_url, version, created_at, updated_at, slug`

func scanInitiative(sc interface{ Scan(...any) error }) (okr.Initiative, error) {
	var in okr.Initiative
	var status, start, due string
	var amount, currency sql.NullString
	var effort sql.NullFloat64
	err := sc.Scan(&in.ID, &in.OrgID, &in.Title, &in.Description, &in.OwnerID, &status, &start, &due,
		&amount, &currency, &effort, &in.ExternalURL, &in.Version, &in.Created, &in.Updated, &in.Slug)
	in.Status, in.StartDate, in.DueDate, in.EffortDays = okr.InitiativeStatus(status), okr.Date(start), okr.Date(due), floatPtr(effort)
	if amount.Valid {
		in.Budget = &okr.Money{Amount: amount.String, Currency: currency.String}
	}
	in.KeyResultIDs, in.Tasks = []string{}, []okr.Task{}
	return in, err
}

func budgetArgs(m *okr.Money) (any, any) {
	if m == nil {
		return nil, nil
	}
	return m.Amount, m.Currency
}

// CreateInitiative inserts an initiative with its tasks and key-result links.
func (t *Tx) CreateInitiative(ctx context.Context, in *okr.Initiative) error {
	in.Created, in.Updated, in.Version = t.now, t.now, 1
	amount, currency := budgetArgs(in.Budget)
	if _, err := t.exec(ctx, "create initiative",
		`INSERT INTO initiatives (id, org_id, title, description, owner_id, status, start_date, due_date, budget_amount, budget_currency,
		 effort_days, external_url, version, created_at, updated_at, slug) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.ID, in.OrgID, in.Title, in.Description, nullString(in.OwnerID), string(in.Status), string(in.StartDate), string(in.DueDate),
		amount, currency, nullFloat(in.EffortDays), in.ExternalURL, in.Version, t.now, t.now, in.Slug); err != nil {
		return err
	}
	return t.writeInitiativeParts(ctx, in)
}

func (t *Tx) writeInitiativeParts(ctx context.Context, in *okr.Initiative) error {
	if _, err := t.exec(ctx, "initiative links", `DELETE FROM initiative_key_results WHERE org_id = ? AND initiative_id = ?`, in.OrgID, in.ID); err != nil {
		return err
	}
	for _, kr := range in.KeyResultIDs {
		if _, err := t.exec(ctx, "link initiative to key result "+kr,
			`INSERT INTO initiative_key_results (org_id, initiative_id, key_result_id) VALUES (?, ?, ?)`, in.OrgID, in.ID, kr); err != nil {
			return err
		}
	}
	if _, err := t.exec(ctx, "initiative tasks", `DELETE FROM tasks WHERE org_id = ? AND initiative_id = ?`, in.OrgID, in.ID); err != nil {
		return err
	}
	for i := range in.Tasks {
		task := &in.Tasks[i]
		if task.ID == "" {
			task.ID = app.NewID()
		}
		if _, err := t.exec(ctx, "create task",
			`INSERT INTO tasks (id, org_id, initiative_id, position, title, assignee_id, due_date, done) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			task.ID, in.OrgID, in.ID, i, task.Title, nullString(task.AssigneeID), string(task.DueDate), task.Done); err != nil {
			return err
		}
	}
	return nil
}

// GetInitiative returns an initiative of the organization with its tasks and links.
func (t *Tx) GetInitiative(ctx context.Context, orgID, id string) (okr.Initiative, error) {
	in, err := scanInitiative(t.row(ctx, `SELECT `+initiativeColumns+` FROM initiatives WHERE org_id = ? AND id = ?`, orgID, id))
	if err != nil {
		return in, t.d.classify(err, "initiative "+id)
	}
	list := []okr.Initiative{in}
	err = t.fillInitiatives(ctx, orgID, list)
	return list[0], err
}

// ListInitiatives returns initiatives matching the filter, by id after the cursor.
func (t *Tx) ListInitiatives(ctx context.Context, orgID string, f okr.InitiativeFilter) ([]okr.Initiative, error) {
	q := `SELECT ` + initiativeColumns + ` FROM initiatives WHERE org_id = ? AND id > ?`
	args := []any{orgID, f.After}
	if f.KeyResultID != "" {
		q += ` AND id IN (SELECT initiative_id FROM initiative_key_results WHERE org_id = ? AND key_result_id = ?)`
		args = append(args, orgID, f.KeyResultID)
	}
	if f.OwnerID != "" {
		q += ` AND owner_id = ?`
		args = append(args, f.OwnerID)
	}
	q += ` ORDER BY id`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []okr.Initiative
	err := t.each(ctx, "list initiatives", q, args, func(r *sql.Rows) error {
		in, err := scanInitiative(r)
		out = append(out, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, t.fillInitiatives(ctx, orgID, out)
}

func (t *Tx) fillInitiatives(ctx context.Context, orgID string, list []okr.Initiative) error {
	if len(list) == 0 {
		return nil
	}
	idx := map[string]int{}
	args := []any{orgID}
	for i, in := range list {
		idx[in.ID] = i
		args = append(args, in.ID)
	}
	in := ` AND initiative_id IN (` + placeholders(len(list)) + `)`
	if err := t.each(ctx, "initiative links", `SELECT initiative_id, key_result_id FROM initiative_key_results WHERE org_id = ?`+in+` ORDER BY key_result_id`,
		args, func(r *sql.Rows) error {
			var iid, kr string
			if err := r.Scan(&iid, &kr); err != nil {
				return err
			}
			list[idx[iid]].KeyResultIDs = append(list[idx[iid]].KeyResultIDs, kr)
			return nil
		}); err != nil {
		return err
	}
	for i := range list {
		list[i].Aligned = len(list[i].KeyResultIDs) > 0
	}
	return t.each(ctx, "tasks", `SELECT initiative_id, id, title, COALESCE(assignee_id, ''), due_date, done FROM tasks WHERE org_id = ?`+in+` ORDER BY initiative_id, position`,
		args, func(r *sql.Rows) error {
			var iid, due string
			var task okr.Task
			if err := r.Scan(&iid, &task.ID, &task.Title, &task.AssigneeID, &due, &task.Done); err != nil {
				return err
			}
			task.DueDate = okr.Date(due)
			list[idx[iid]].Tasks = append(list[idx[iid]].Tasks, task)
			return nil
		})
}

// UpdateInitiative stores an initiative with its tasks and links if its version is still expectVersion.
func (t *Tx) UpdateInitiative(ctx context.Context, in *okr.Initiative, expectVersion int) error {
	amount, currency := budgetArgs(in.Budget)
	res, err := t.exec(ctx, "update initiative "+in.ID,
		`UPDATE initiatives SET title = ?, description = ?, owner_id = ?, status = ?, start_date = ?, due_date = ?, budget_amount = ?,
		 budget_currency = ?, effort_days = ?, external_url = ?, slug = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		in.Title, in.Description, nullString(in.OwnerID), string(in.Status), string(in.StartDate), string(in.DueDate), amount, currency,
		nullFloat(in.EffortDays), in.ExternalURL, in.Slug, t.now, in.OrgID, in.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "initiative "+in.ID, `SELECT 1 FROM initiatives WHERE org_id = ? AND id = ?`, in.OrgID, in.ID); err != nil {
		return err
	}
	in.Version, in.Updated = expectVersion+1, t.now
	return t.writeInitiativeParts(ctx, in)
}

// DeleteInitiative removes an initiative with its tasks and comments.
func (t *Tx) DeleteInitiative(ctx context.Context, orgID, id string) error {
	if _, err := t.exec(ctx, "delete comments of initiative "+id,
		`DELETE FROM comments WHERE org_id = ? AND subject_type = 'initiative' AND subject_id = ?`, orgID, id); err != nil {
		return err
	}
	return t.execOne(ctx, "initiative "+id, `DELETE FROM initiatives WHERE org_id = ? AND id = ?`, orgID, id)
}

// ---- comments

const commentColumns = `id, org_id, subject_type, subject_id, COALESCE(author_id, ''), body, mentions, created_at`

func scanComment(sc interface{ Scan(...any) error }) (okr.Comment, error) {
	var c okr.Comment
	var st, mentions string
	err := sc.Scan(&c.ID, &c.OrgID, &st, &c.SubjectID, &c.AuthorID, &c.Body, &mentions, &c.Created)
	c.SubjectType = okr.SubjectType(st)
	if err == nil {
		err = fromJSON(mentions, &c.Mentions)
	}
	return c, err
}

// CreateComment inserts a comment.
func (t *Tx) CreateComment(ctx context.Context, c *okr.Comment) error {
	c.Created = t.now
	if c.Mentions == nil {
		c.Mentions = []string{}
	}
	_, err := t.exec(ctx, "create comment",
		`INSERT INTO comments (id, org_id, subject_type, subject_id, author_id, body, mentions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.OrgID, string(c.SubjectType), c.SubjectID, nullString(c.AuthorID), c.Body, toJSON(c.Mentions), t.now)
	return err
}

// GetComment returns a comment of the organization.
func (t *Tx) GetComment(ctx context.Context, orgID, id string) (okr.Comment, error) {
	c, err := scanComment(t.row(ctx, `SELECT `+commentColumns+` FROM comments WHERE org_id = ? AND id = ?`, orgID, id))
	return c, t.d.classify(err, "comment "+id)
}

// ListComments returns the comments on a subject, oldest first, after the cursor.
func (t *Tx) ListComments(ctx context.Context, orgID string, st okr.SubjectType, subjectID, after string, limit int) ([]okr.Comment, error) {
	var out []okr.Comment
	err := t.each(ctx, "list comments",
		`SELECT `+commentColumns+` FROM comments WHERE org_id = ? AND subject_type = ? AND subject_id = ? AND id > ? ORDER BY id LIMIT ?`,
		[]any{orgID, string(st), subjectID, after, limit}, func(r *sql.Rows) error {
			c, err := scanComment(r)
			out = append(out, c)
			return err
		})
	return out, err
}

// RecentComments returns the organization's newest comments, before the cursor id.
func (t *Tx) RecentComments(ctx context.Context, orgID, before string, limit int) ([]okr.Comment, error) {
	q := `SELECT ` + commentColumns + ` FROM comments WHERE org_id = ?`
	args := []any{orgID}
	if before != "" {
		q += ` AND id < ?`
		args = append(args, before)
	}
	var out []okr.Comment
	err := t.each(ctx, "recent comments", q+` ORDER BY id DESC LIMIT ?`, append(args, limit), func(r *sql.Rows) error {
		c, err := scanComment(r)
		out = append(out, c)
		return err
	})
	return out, err
}

// DeleteComment removes a comment.
func (t *Tx) DeleteComment(ctx context.Context, orgID, id string) error {
	return t.execOne(ctx, "comment "+id, `DELETE FROM comments WHERE org_id = ? AND id = ?`, orgID, id)
}
