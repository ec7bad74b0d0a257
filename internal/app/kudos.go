package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// Kudos: recognition from a person to a person or a team, optionally about
// a key result, an objective or an enrollment. Every kudos joins the
// celebration feed. Kudos are never changed; their author or an admin
// removes one.

// maxKudos bounds a kudos message.
const maxKudos = 2000

// KudosInput is the recognition the actor gives.
type KudosInput struct {
	ToUserID    string `json:"to_user_id,omitempty" doc:"The person recognized; or to_team_id."`
	ToTeamID    string `json:"to_team_id,omitempty" doc:"The team recognized; or to_user_id."`
	Message     string `json:"message" doc:"What they did and what it changed."`
	SubjectType string `json:"subject_type,omitempty" enum:"key_result,objective,enrollment" doc:"What it is about, if anything in particular."`
	SubjectID   string `json:"subject_id,omitempty" doc:"An enrollment must be the recipient's own: kudos about learning go to the learner."`
}

// kudosSubject checks a kudos's subject and returns its title and the
// objective it concerns ("" for an enrollment).
func kudosSubject(ctx context.Context, tx Tx, v *access, k *okr.Kudos, f *errs.Fields) (title, objectiveID string, err error) {
	switch {
	case k.SubjectType == "" && k.SubjectID == "":
		return "", "", nil
	case k.SubjectType == "":
		f.Add("subject_type", "say what subject_id is: key_result, objective or enrollment")
		return "", "", nil
	case k.SubjectID == "":
		f.Add("subject_id", "is required with subject_type %s", k.SubjectType)
		return "", "", nil
	}
	switch k.SubjectType {
	case okr.KudosAboutKeyResult:
		kr, _, err := v.keyResult(k.SubjectID)
		if errs.Is(err, errs.NotFound) {
			f.Add("subject_id", "no key result %s in this organization", k.SubjectID)
			return "", "", nil
		}
		return kr.Title, kr.ObjectiveID, err
	case okr.KudosAboutObjective:
		o, err := v.objective(k.SubjectID)
		if errs.Is(err, errs.NotFound) {
			f.Add("subject_id", "no objective %s in this organization", k.SubjectID)
			return "", "", nil
		}
		return o.Title, o.ID, err
	case okr.KudosAboutEnrollment:
		e, err := tx.GetEnrollment(ctx, v.actor.OrgID, k.SubjectID)
		if errs.Is(err, errs.NotFound) {
			f.Add("subject_id", "no enrollment %s in this organization", k.SubjectID)
			return "", "", nil
		} else if err != nil {
			return "", "", err
		}
		if e.UserID != k.ToUserID {
			f.Add("subject_id", "is another person's enrollment; kudos about an enrollment go to its learner")
			return "", "", nil
		}
		p, err := tx.GetProgram(ctx, v.actor.OrgID, e.ProgramID)
		return p.Title, "", err
	}
	f.Add("subject_type", "must be key_result, objective or enrollment")
	return "", "", nil
}

// GiveKudos recognizes a person or a team; the kudos joins the celebration
// feed. Anyone who writes gives kudos, to anyone but themselves.
func (a *App) GiveKudos(ctx context.Context, actor org.Actor, in KudosInput, idemKey string) (okr.Kudos, error) {
	var k okr.Kudos
	if err := requireWrite(actor); err != nil {
		return k, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "kudos.create", in, func() (string, error) {
			k = okr.Kudos{ID: NewID(), OrgID: actor.OrgID, FromID: actor.UserID, ToUserID: in.ToUserID, ToTeamID: in.ToTeamID,
				Message: strings.TrimSpace(in.Message), SubjectType: in.SubjectType, SubjectID: in.SubjectID}
			var f errs.Fields
			switch {
			case k.ToUserID == "" && k.ToTeamID == "":
				f.Add("to_user_id", "is required: name the person (or the team, in to_team_id) you recognize")
			case k.ToUserID != "" && k.ToTeamID != "":
				f.Add("to_team_id", "give kudos to a person or a team, not both")
			case k.ToUserID != "":
				if err := activeMember(ctx, tx, actor.OrgID, k.ToUserID, "to_user_id", &f); err != nil {
					return "", err
				}
				if k.ToUserID == actor.UserID {
					f.Add("to_user_id", "is you; kudos go to someone else")
				}
			default:
				if _, err := tx.GetTeam(ctx, actor.OrgID, k.ToTeamID); errs.Is(err, errs.NotFound) {
					f.Add("to_team_id", "no team %s in this organization", k.ToTeamID)
				} else if err != nil {
					return "", err
				}
			}
			if k.Message == "" {
				f.Add("message", "is required: say what they did and what it changed")
			} else if utf8.RuneCountInString(k.Message) > maxKudos {
				f.Add("message", "is longer than %d characters", maxKudos)
			}
			title, objectiveID, err := kudosSubject(ctx, tx, newAccess(ctx, tx, actor), &k, &f)
			if err != nil {
				return "", err
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			if err := tx.InsertKudos(ctx, &k); err != nil {
				return "", err
			}
			if err := record(ctx, tx, actor, "kudos.create", "kudos", k.ID, nil, k); err != nil {
				return "", err
			}
			return k.ID, celebrate(ctx, tx, actor, okr.Celebration{Kind: okr.KudosGiven, UserID: k.ToUserID, TeamID: k.ToTeamID,
				ObjectiveID: objectiveID, SubjectType: "kudos", SubjectID: k.ID, Title: title, Detail: k.Message,
				DedupeKey: "kudos:" + k.ID})
		})
		if err != nil {
			return err
		}
		k, err = tx.GetKudos(ctx, actor.OrgID, id)
		return err
	})
	return k, err
}

// kudosReader hides kudos about objectives (or their key results) the
// actor may not see.
type kudosReader struct {
	ctx context.Context
	tx  Tx
	r   *feedReader
}

func (kr kudosReader) sees(k okr.Kudos) (bool, error) {
	switch k.SubjectType {
	case okr.KudosAboutObjective:
		return kr.r.sees(k.SubjectID)
	case okr.KudosAboutKeyResult:
		x, err := kr.tx.GetKeyResult(kr.ctx, k.OrgID, k.SubjectID)
		if errs.Is(err, errs.NotFound) {
			return false, nil
		} else if err != nil {
			return false, err
		}
		return kr.r.sees(x.ObjectiveID)
	}
	return true, nil
}

// GetKudos returns a kudos the actor may see.
func (a *App) GetKudos(ctx context.Context, actor org.Actor, id string) (okr.Kudos, error) {
	var k okr.Kudos
	if err := requireRead(actor); err != nil {
		return k, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		if k, err = tx.GetKudos(ctx, actor.OrgID, id); err != nil {
			return err
		}
		ok, err := kudosReader{ctx: ctx, tx: tx, r: newFeedReader(ctx, tx, actor)}.sees(k)
		if err == nil && !ok {
			k, err = okr.Kudos{}, errs.NotFoundf("kudos %s: not found", id)
		}
		return err
	})
	return k, err
}

// KudosQuery filters the kudos list; zero fields match everything.
type KudosQuery struct {
	ToUserID string
	ToTeamID string
	FromID   string
	PageRequest
}

// ListKudos lists kudos newest first, without those about objectives the
// actor may not see.
func (a *App) ListKudos(ctx context.Context, actor org.Actor, q KudosQuery) (Page[okr.Kudos], error) {
	return readPage(ctx, a, actor, q.PageRequest, func(k okr.Kudos) string { return k.ID },
		func(tx Tx, before string, limit int) ([]okr.Kudos, error) {
			kr := kudosReader{ctx: ctx, tx: tx, r: newFeedReader(ctx, tx, actor)}
			return visibleNewest(before, limit, func(k okr.Kudos) string { return k.ID },
				func(before string, n int) ([]okr.Kudos, error) {
					return tx.ListKudos(ctx, actor.OrgID, okr.KudosFilter{ToUserID: q.ToUserID, ToTeamID: q.ToTeamID,
						FromID: q.FromID, Before: before, Limit: n})
				}, kr.sees)
		}, nil)
}

// DeleteKudos removes a kudos and its place in the feed: its author and admins.
func (a *App) DeleteKudos(ctx context.Context, actor org.Actor, id string) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		k, err := tx.GetKudos(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		ok, err := kudosReader{ctx: ctx, tx: tx, r: newFeedReader(ctx, tx, actor)}.sees(k)
		if err != nil {
			return err
		}
		if !ok {
			return errs.NotFoundf("kudos %s: not found", id)
		}
		if k.FromID != actor.UserID && !actor.EditsAll() {
			return errs.E(errs.Forbidden, "only the kudos's author and admins may remove it")
		}
		if err := tx.DeleteKudos(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "kudos.delete", "kudos", id, k, nil)
	})
}
