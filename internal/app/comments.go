package app

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// CommentInput adds a comment to an objective, key result, initiative or check-in.
type CommentInput struct {
	SubjectType okr.SubjectType `json:"subject_type" enum:"objective,key_result,initiative,check_in"`
	SubjectID   string          `json:"subject_id"`
	Body        string          `json:"body" doc:"Markdown; @name@example.com mentions a member by e-mail."`
}

var mentionPattern = regexp.MustCompile(`(?:^|[\s(])@([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})`)

// subjectVisible loads a comment's subject as the actor; NotFound when it is
// missing or hidden from them.
func subjectVisible(v *access, st okr.SubjectType, id string) error {
	switch st {
	case okr.SubjectObjective:
		_, err := v.objective(id)
		return err
	case okr.SubjectKeyResult:
		_, _, err := v.keyResult(id)
		return err
	case okr.SubjectInitiative:
		_, err := v.initiative(id)
		return err
	case okr.SubjectCheckIn:
		c, err := v.tx.GetCheckIn(v.ctx, v.actor.OrgID, id)
		if err != nil {
			return err
		}
		_, _, err = v.keyResult(c.KeyResultID)
		return err
	}
	return errs.NotFoundf("%s %s: not found", st, id)
}

// CreateComment adds a comment; members it @mentions by e-mail are recorded.
func (a *App) CreateComment(ctx context.Context, actor org.Actor, in CommentInput, idemKey string) (okr.Comment, error) {
	var c okr.Comment
	if err := requireWrite(actor); err != nil {
		return c, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		v := newAccess(ctx, tx, actor)
		id, err := idempotent(ctx, tx, actor, idemKey, "comment.create", in, func() (string, error) {
			var f errs.Fields
			body := strings.TrimSpace(in.Body)
			if body == "" {
				f.Add("body", "write something")
			} else if len(body) > 20000 {
				f.Add("body", "keep it under 20,000 characters")
			}
			switch in.SubjectType {
			case okr.SubjectObjective, okr.SubjectKeyResult, okr.SubjectInitiative, okr.SubjectCheckIn:
				if err := subjectVisible(v, in.SubjectType, in.SubjectID); errs.Is(err, errs.NotFound) {
					f.Add("subject_id", "no %s %s in this organization", in.SubjectType, in.SubjectID)
				} else if err != nil {
					return "", err
				}
			default:
				f.Add("subject_type", "must be objective, key_result, initiative or check_in")
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			c = okr.Comment{ID: NewID(), OrgID: actor.OrgID, SubjectType: in.SubjectType, SubjectID: in.SubjectID,
				AuthorID: actor.UserID, Body: body, Mentions: []string{}}
			for _, m := range mentionPattern.FindAllStringSubmatch(body, -1) {
				u, err := tx.GetUserByEmail(ctx, m[1])
				if errs.Is(err, errs.NotFound) {
					continue
				} else if err != nil {
					return "", err
				}
				if _, err := tx.GetMember(ctx, actor.OrgID, u.ID); err == nil && !slices.Contains(c.Mentions, u.ID) {
					c.Mentions = append(c.Mentions, u.ID)
				}
			}
			if err := tx.CreateComment(ctx, &c); err != nil {
				return "", err
			}
			return c.ID, record(ctx, tx, actor, "comment.create", "comment", c.ID, nil, c)
		})
		if err != nil {
			return err
		}
		c, err = tx.GetComment(ctx, actor.OrgID, id)
		return err
	})
	return c, err
}

// ListComments lists the comments on a subject the actor may see, oldest first.
func (a *App) ListComments(ctx context.Context, actor org.Actor, st okr.SubjectType, subjectID string, p PageRequest) (Page[okr.Comment], error) {
	return readPage(ctx, a, actor, p, func(c okr.Comment) string { return c.ID },
		func(tx Tx, after string, limit int) ([]okr.Comment, error) {
			if err := subjectVisible(newAccess(ctx, tx, actor), st, subjectID); err != nil {
				return nil, err
			}
			return tx.ListComments(ctx, actor.OrgID, st, subjectID, after, limit)
		}, nil)
}

// GetComment returns a comment whose subject the actor may see.
func (a *App) GetComment(ctx context.Context, actor org.Actor, id string) (okr.Comment, error) {
	var c okr.Comment
	if err := requireRead(actor); err != nil {
		return c, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		c, err = tx.GetComment(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := subjectVisible(newAccess(ctx, tx, actor), c.SubjectType, c.SubjectID); errs.Is(err, errs.NotFound) {
			return errs.NotFoundf("comment %s: not found", id)
		} else {
			return err
		}
	})
	return c, err
}

// DeleteComment removes a comment: its author or an admin.
func (a *App) DeleteComment(ctx context.Context, actor org.Actor, id string) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		c, err := tx.GetComment(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := subjectVisible(newAccess(ctx, tx, actor), c.SubjectType, c.SubjectID); errs.Is(err, errs.NotFound) {
			return errs.NotFoundf("comment %s: not found", id)
		} else if err != nil {
			return err
		}
		if c.AuthorID != actor.UserID && !actor.EditsAll() {
			return errs.E(errs.Forbidden, "only the author and admins may delete a comment")
		}
		if err := tx.DeleteComment(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "comment.delete", "comment", id, c, nil)
	})
}
