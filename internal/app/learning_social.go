package app

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// ---- mentorships

// MentorshipInput pairs a mentor with a mentee.
type MentorshipInput struct {
	MentorID  string   `json:"mentor_id"`
	MenteeID  string   `json:"mentee_id"`
	SkillID   string   `json:"skill_id,omitempty" doc:"The skill mentored, if one."`
	StartDate okr.Date `json:"start_date,omitempty" doc:"Default today."`
	EndDate   okr.Date `json:"end_date,omitempty" doc:"Empty while it goes on."`
	Notes     string   `json:"notes,omitempty"`
}

// MentorshipUpdate ends a mentorship or changes its notes; absent fields stay.
type MentorshipUpdate struct {
	EndDate *okr.Date `json:"end_date,omitempty" doc:"Empty string: it goes on."`
	Notes   *string   `json:"notes,omitempty"`
}

// mayMentor says who may record or change a mentorship: the mentor, the
// mentee, admins and the leads of the mentee's teams.
func mayMentor(ctx context.Context, tx Tx, actor org.Actor, mentorID, menteeID string) error {
	if err := requireWrite(actor); err != nil {
		return err
	}
	if actor.EditsAll() || actor.UserID == mentorID || actor.UserID == menteeID {
		return nil
	}
	ok, err := leadsPerson(ctx, tx, actor, menteeID)
	if err != nil || ok {
		return err
	}
	return errs.E(errs.Forbidden, "only the mentor, the mentee, admins and the leads of the mentee's teams record a mentorship")
}

// seesNotes reports whether the actor may read a mentorship's notes: the
// pair, admins and the leads of the mentee.
func seesNotes(ctx context.Context, tx Tx, actor org.Actor, m learning.Mentorship) (bool, error) {
	if actor.IsAdminReader() || actor.UserID == m.MentorID || actor.UserID == m.MenteeID {
		return true, nil
	}
	return leadsPerson(ctx, tx, actor, m.MenteeID)
}

// activeOn reports whether a mentorship runs on a date.
func activeOn(m learning.Mentorship, day okr.Date) bool {
	return m.StartDate <= day && (m.EndDate == "" || m.EndDate >= day)
}

func checkMentorshipDates(m *learning.Mentorship, f *errs.Fields) {
	if !m.StartDate.Valid() {
		f.Add("start_date", "must be a date like 2027-03-31")
		return
	}
	if m.EndDate == "" {
		return
	}
	if !m.EndDate.Valid() {
		f.Add("end_date", "must be a date like 2027-03-31")
	} else if m.EndDate < m.StartDate {
		f.Add("end_date", "is before the start date %s", m.StartDate)
	}
}

func checkMentorshipNotes(m *learning.Mentorship, f *errs.Fields) {
	m.Notes = strings.TrimSpace(m.Notes)
	if len(m.Notes) > maxNote {
		f.Add("notes", "is longer than %d characters", maxNote)
	}
}

// CreateMentorship records that one member mentors another: the mentor, the
// mentee, admins and the leads of the mentee's teams.
func (a *App) CreateMentorship(ctx context.Context, actor org.Actor, in MentorshipInput, idemKey string) (learning.Mentorship, error) {
	var m learning.Mentorship
	if err := requireWrite(actor); err != nil {
		return m, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "mentorship.create", in, func() (string, error) {
			o, err := tx.GetOrganization(ctx, actor.OrgID)
			if err != nil {
				return "", err
			}
			m = learning.Mentorship{ID: NewID(), OrgID: actor.OrgID, MentorID: in.MentorID, MenteeID: in.MenteeID,
				SkillID: in.SkillID, StartDate: in.StartDate, EndDate: in.EndDate, Notes: in.Notes}
			if m.StartDate == "" {
				m.StartDate = today(tx, o)
			}
			var f errs.Fields
			if err := activeMember(ctx, tx, actor.OrgID, m.MentorID, "mentor_id", &f); err != nil {
				return "", err
			}
			if err := activeMember(ctx, tx, actor.OrgID, m.MenteeID, "mentee_id", &f); err != nil {
				return "", err
			}
			if m.MentorID != "" && m.MentorID == m.MenteeID {
				f.Add("mentee_id", "is the mentor; a mentorship pairs two people")
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			if err := mayMentor(ctx, tx, actor, m.MentorID, m.MenteeID); err != nil {
				return "", err
			}
			if m.SkillID != "" {
				if _, err := tx.GetSkill(ctx, actor.OrgID, m.SkillID); errs.Is(err, errs.NotFound) {
					f.Add("skill_id", "no skill %s in this organization", m.SkillID)
				} else if err != nil {
					return "", err
				}
			}
			checkMentorshipDates(&m, &f)
			checkMentorshipNotes(&m, &f)
			if err := f.Err(); err != nil {
				return "", err
			}
			existing, err := tx.ListMentorships(ctx, actor.OrgID, learning.MentorshipFilter{UserID: m.MenteeID, SkillID: m.SkillID})
			if err != nil {
				return "", err
			}
			for _, x := range existing {
				overlaps := (x.EndDate == "" || x.EndDate >= m.StartDate) && (m.EndDate == "" || x.StartDate <= m.EndDate)
				if x.MentorID == m.MentorID && x.MenteeID == m.MenteeID && x.SkillID == m.SkillID && overlaps {
					return "", errs.E(errs.Conflict, "this mentor already mentors this person in the same skill over these dates (mentorship %s, from %s); change that one instead", x.ID, x.StartDate)
				}
			}
			if err := tx.CreateMentorship(ctx, &m); err != nil {
				return "", err
			}
			return m.ID, record(ctx, tx, actor, "mentorship.create", "mentorship", m.ID, nil, m)
		})
		if err != nil {
			return err
		}
		m, err = tx.GetMentorship(ctx, actor.OrgID, id)
		return err
	})
	return m, err
}

// activeMember checks that a person is an active member.
func activeMember(ctx context.Context, tx Tx, orgID, userID, field string, f *errs.Fields) error {
	if userID == "" {
		f.Add(field, "is required")
		return nil
	}
	mem, err := tx.GetMember(ctx, orgID, userID)
	if errs.Is(err, errs.NotFound) {
		f.Add(field, "no member %s in this organization", userID)
		return nil
	}
	if err != nil {
		return err
	}
	if !mem.Active {
		f.Add(field, "%s is deactivated", mem.Name)
	}
	return nil
}

// GetMentorship returns a mentorship. Any member may read who mentors whom;
// the notes only the pair, admins and the leads of the mentee.
func (a *App) GetMentorship(ctx context.Context, actor org.Actor, id string) (learning.Mentorship, error) {
	var m learning.Mentorship
	if err := requireRead(actor); err != nil {
		return m, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		if m, err = tx.GetMentorship(ctx, actor.OrgID, id); err != nil {
			return err
		}
		ok, err := seesNotes(ctx, tx, actor, m)
		if !ok {
			m.Notes = ""
		}
		return err
	})
	return m, err
}

// MentorshipQuery filters the mentorship list; zero fields match everything.
type MentorshipQuery struct {
	// UserID selects a person's mentorships, as mentor or mentee (As narrows it).
	UserID string
	// As is "mentor" or "mentee" with UserID; empty for both.
	As      string
	SkillID string
	// Active keeps the mentorships running today.
	Active bool
	PageRequest
}

// ListMentorships lists mentorships by id, notes shown as GetMentorship does.
func (a *App) ListMentorships(ctx context.Context, actor org.Actor, q MentorshipQuery) (Page[learning.Mentorship], error) {
	if q.As != "" && q.As != "mentor" && q.As != "mentee" {
		var f errs.Fields
		f.Add("as", "must be mentor or mentee")
		return Page[learning.Mentorship]{}, f.Err()
	}
	return inMemoryPage(ctx, a, actor, q.PageRequest, func(m learning.Mentorship) string { return m.ID }, func(tx Tx) ([]learning.Mentorship, error) {
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return nil, err
		}
		day := today(tx, o)
		ms, err := tx.ListMentorships(ctx, actor.OrgID, learning.MentorshipFilter{UserID: q.UserID, SkillID: q.SkillID})
		if err != nil {
			return nil, err
		}
		return keepIf(ms, func(m *learning.Mentorship) (bool, error) {
			if q.As == "mentor" && m.MentorID != q.UserID || q.As == "mentee" && m.MenteeID != q.UserID ||
				q.Active && !activeOn(*m, day) {
				return false, nil
			}
			ok, err := seesNotes(ctx, tx, actor, *m)
			if !ok {
				m.Notes = ""
			}
			return true, err
		})
	})
}

// UpdateMentorship ends a mentorship or changes its notes (If-Match): the
// mentor, the mentee, admins and the leads of the mentee's teams.
func (a *App) UpdateMentorship(ctx context.Context, actor org.Actor, id string, ifMatch *int, in MentorshipUpdate) (learning.Mentorship, error) {
	var m learning.Mentorship
	if err := requireWrite(actor); err != nil {
		return m, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetMentorship(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := mayMentor(ctx, tx, actor, before.MentorID, before.MenteeID); err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "mentorship"); err != nil {
			return err
		}
		m = before
		setIf(&m.EndDate, in.EndDate)
		setIf(&m.Notes, in.Notes)
		var f errs.Fields
		checkMentorshipDates(&m, &f)
		checkMentorshipNotes(&m, &f)
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.UpdateMentorship(ctx, &m, before.Version); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "mentorship.update", "mentorship", id, before, m); err != nil {
			return err
		}
		m, err = tx.GetMentorship(ctx, actor.OrgID, id)
		return err
	})
	return m, err
}

// ---- feedback

// Feedback relations: the author's relation to the recipient.
const (
	RelationPeer    = "peer"
	RelationManager = "manager"
	RelationMentor  = "mentor"
)

// Feedback subjects.
const (
	FeedbackAboutEnrollment = "enrollment"
	FeedbackAboutSkill      = "skill"
	FeedbackAboutObjective  = "objective"
)

// maxFeedback bounds a piece of feedback.
const maxFeedback = 10000

// FeedbackInput is what the actor tells another person.
type FeedbackInput struct {
	ToID        string                      `json:"to_id"`
	Relation    string                      `json:"relation" enum:"peer,manager,mentor" doc:"Your relation to the recipient: manager for admins and the leads of the recipient's teams, mentor within an active mentorship."`
	SubjectType string                      `json:"subject_type,omitempty" enum:"enrollment,skill,objective" doc:"What it is about, if anything in particular."`
	SubjectID   string                      `json:"subject_id,omitempty" doc:"For an enrollment, one of the recipient's."`
	Body        string                      `json:"body"`
	Visibility  learning.FeedbackVisibility `json:"visibility,omitempty" enum:"recipient,managers,private" doc:"recipient (default): the recipient; managers: the recipient and the leads of their teams; private: the leads of their teams, not the recipient. Admins read managers and private feedback; the author always reads their own."`
}

// mayGiveAs checks the author's relation to the recipient: a manager leads
// one of the recipient's teams (or is an admin); a mentor mentors the
// recipient in a mentorship running today.
func mayGiveAs(ctx context.Context, tx Tx, actor org.Actor, relation, toID string, day okr.Date) error {
	switch relation {
	case RelationPeer:
		return nil
	case RelationManager:
		if actor.EditsAll() {
			return nil
		}
		ok, err := leadsPerson(ctx, tx, actor, toID)
		if err != nil || ok {
			return err
		}
		return errs.E(errs.Forbidden, "you do not lead any team of this person: give the feedback as peer")
	case RelationMentor:
		ms, err := tx.ListMentorships(ctx, actor.OrgID, learning.MentorshipFilter{UserID: toID})
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.MentorID == actor.UserID && m.MenteeID == toID && activeOn(m, day) {
				return nil
			}
		}
		return errs.E(errs.Forbidden, "you have no running mentorship with this person as their mentor: record the mentorship first, or give the feedback as peer")
	}
	var f errs.Fields
	f.Add("relation", "must be peer, manager or mentor")
	return f.Err()
}

// checkFeedbackSubject checks that a feedback's subject exists and the
// author may see it; an enrollment must be the recipient's.
func checkFeedbackSubject(ctx context.Context, tx Tx, v *access, fb *learning.Feedback, f *errs.Fields) error {
	switch {
	case fb.SubjectType == "" && fb.SubjectID == "":
		return nil
	case fb.SubjectType == "":
		f.Add("subject_type", "say what subject_id is: enrollment, skill or objective")
		return nil
	case fb.SubjectID == "" && slices.Contains([]string{FeedbackAboutEnrollment, FeedbackAboutSkill, FeedbackAboutObjective}, fb.SubjectType):
		f.Add("subject_id", "is required with subject_type %s", fb.SubjectType)
		return nil
	}
	orgID := v.actor.OrgID
	switch fb.SubjectType {
	case FeedbackAboutEnrollment:
		e, err := tx.GetEnrollment(ctx, orgID, fb.SubjectID)
		if errs.Is(err, errs.NotFound) {
			f.Add("subject_id", "no enrollment %s in this organization", fb.SubjectID)
		} else if err != nil {
			return err
		} else if e.UserID != fb.ToID {
			f.Add("subject_id", "is another person's enrollment; feedback about an enrollment goes to its learner")
		}
	case FeedbackAboutSkill:
		if _, err := tx.GetSkill(ctx, orgID, fb.SubjectID); errs.Is(err, errs.NotFound) {
			f.Add("subject_id", "no skill %s in this organization", fb.SubjectID)
		} else if err != nil {
			return err
		}
	case FeedbackAboutObjective:
		if _, err := v.objective(fb.SubjectID); errs.Is(err, errs.NotFound) {
			f.Add("subject_id", "no objective %s in this organization", fb.SubjectID)
		} else if err != nil {
			return err
		}
	default:
		f.Add("subject_type", "must be enrollment, skill or objective")
	}
	return nil
}

// GiveFeedback records what the actor tells another member, as peer,
// manager or mentor, about an enrollment, a skill, an objective or nothing
// in particular. Feedback is never changed.
func (a *App) GiveFeedback(ctx context.Context, actor org.Actor, in FeedbackInput, idemKey string) (learning.Feedback, error) {
	var fb learning.Feedback
	if err := requireWrite(actor); err != nil {
		return fb, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "feedback.create", in, func() (string, error) {
			o, err := tx.GetOrganization(ctx, actor.OrgID)
			if err != nil {
				return "", err
			}
			fb = learning.Feedback{ID: NewID(), OrgID: actor.OrgID, FromID: actor.UserID, ToID: in.ToID, Relation: in.Relation,
				SubjectType: in.SubjectType, SubjectID: in.SubjectID, Body: strings.TrimSpace(in.Body), Visibility: in.Visibility}
			if fb.Visibility == "" {
				fb.Visibility = learning.VisibleRecipient
			}
			var f errs.Fields
			if err := activeMember(ctx, tx, actor.OrgID, fb.ToID, "to_id", &f); err != nil {
				return "", err
			}
			if fb.ToID == actor.UserID {
				f.Add("to_id", "is you; feedback goes to another person")
			}
			if !slices.Contains([]string{RelationPeer, RelationManager, RelationMentor}, fb.Relation) {
				f.Add("relation", "must be peer, manager or mentor")
			}
			switch fb.Visibility {
			case learning.VisibleRecipient, learning.VisibleManagers, learning.VisiblePrivate:
			default:
				f.Add("visibility", "must be recipient, managers or private")
			}
			if fb.Body == "" {
				f.Add("body", "is required: say what you saw and what it changed")
			} else if len(fb.Body) > maxFeedback {
				f.Add("body", "is longer than %d characters", maxFeedback)
			}
			if err := checkFeedbackSubject(ctx, tx, newAccess(ctx, tx, actor), &fb, &f); err != nil {
				return "", err
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			if err := mayGiveAs(ctx, tx, actor, fb.Relation, fb.ToID, today(tx, o)); err != nil {
				return "", err
			}
			if err := tx.InsertFeedback(ctx, &fb); err != nil {
				return "", err
			}
			// The audit log and the outgoing event carry no body: they reach
			// admins and webhooks, whom the feedback's visibility may exclude.
			trace := fb
			trace.Body = ""
			return fb.ID, record(ctx, tx, actor, "feedback.create", "feedback", fb.ID, nil, trace)
		})
		if err != nil {
			return err
		}
		if fb.ID == id {
			return nil
		}
		// A retry with the same Idempotency-Key: the first one's feedback.
		mine, err := tx.ListFeedback(ctx, actor.OrgID, learning.FeedbackFilter{FromID: actor.UserID})
		if err != nil {
			return err
		}
		for _, x := range mine {
			if x.ID == id {
				fb = x
				return nil
			}
		}
		return errs.NotFoundf("feedback %s: not found", id)
	})
	return fb, err
}

// FeedbackQuery filters the feedback list; zero fields match everything.
type FeedbackQuery struct {
	ToID        string
	FromID      string
	SubjectType string
	SubjectID   string
	PageRequest
}

// feedbackReader decides which feedback the actor may read, asking once per
// recipient whether the actor leads them.
type feedbackReader struct {
	ctx   context.Context
	tx    Tx
	actor org.Actor
	leads map[string]bool
}

// sees applies a feedback's visibility: the author always; the recipient
// for recipient and managers; admins and the leads of the recipient's teams
// for managers and private.
func (r *feedbackReader) sees(fb learning.Feedback) (bool, error) {
	if fb.FromID == r.actor.UserID {
		return true, nil
	}
	switch fb.Visibility {
	case learning.VisibleRecipient:
		return fb.ToID == r.actor.UserID, nil
	case learning.VisibleManagers:
		if fb.ToID == r.actor.UserID {
			return true, nil
		}
	case learning.VisiblePrivate:
		if fb.ToID == r.actor.UserID {
			return false, nil
		}
	default:
		return false, nil
	}
	if r.actor.IsAdminReader() {
		return true, nil
	}
	lead, ok := r.leads[fb.ToID]
	if !ok {
		var err error
		if lead, err = leadsPerson(r.ctx, r.tx, r.actor, fb.ToID); err != nil {
			return false, err
		}
		r.leads[fb.ToID] = lead
	}
	return lead, nil
}

// ListFeedback lists the feedback the actor may read, newest first: what
// the actor may not read is simply not listed.
func (a *App) ListFeedback(ctx context.Context, actor org.Actor, q FeedbackQuery) (Page[learning.Feedback], error) {
	return readPage(ctx, a, actor, q.PageRequest, func(fb learning.Feedback) string { return fb.ID },
		func(tx Tx, before string, limit int) ([]learning.Feedback, error) {
			all, err := tx.ListFeedback(ctx, actor.OrgID, learning.FeedbackFilter{ToID: q.ToID, FromID: q.FromID,
				SubjectType: q.SubjectType, SubjectID: q.SubjectID})
			if err != nil {
				return nil, err
			}
			// Ids are time-ordered: newest first by id pages stably.
			slices.SortFunc(all, func(a, b learning.Feedback) int { return cmp.Compare(b.ID, a.ID) })
			r := &feedbackReader{ctx: ctx, tx: tx, actor: actor, leads: map[string]bool{}}
			out := []learning.Feedback{}
			for _, fb := range all {
				if before != "" && fb.ID >= before {
					continue
				}
				ok, err := r.sees(fb)
				if err != nil {
					return nil, err
				}
				if ok {
					out = append(out, fb)
				}
				if len(out) == limit {
					break
				}
			}
			return out, nil
		}, nil)
}
