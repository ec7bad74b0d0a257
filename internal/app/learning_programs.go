package app

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// ---- programs

// ProgramInput creates a learning program.
type ProgramInput struct {
	Title       string                 `json:"title"`
	Description string                 `json:"description,omitempty"`
	Kind        learning.ProgramKind   `json:"kind" enum:"course,e_learning,workshop,mentorship,coaching,certification,on_the_job"`
	Provider    string                 `json:"provider,omitempty" doc:"internal, Udemy, Coursera, LinkedIn Learning…"`
	ExternalID  string                 `json:"external_id,omitempty" doc:"The activity id the LMS uses (xAPI object id); unique in the organization."`
	URL         string                 `json:"url,omitempty"`
	Hours       *float64               `json:"hours,omitempty"`
	Cost        *okr.Money             `json:"cost,omitempty"`
	Skills      []learning.TaughtSkill `json:"skills" doc:"The skills it teaches and the level it teaches each to."`
	PassMark    *float64               `json:"pass_mark,omitempty" doc:"0–100: a completion passes when its score reaches it. None: every completion passes."`
}

// ProgramUpdate changes a program; absent fields stay.
type ProgramUpdate struct {
	Title       *string                 `json:"title,omitempty"`
	Description *string                 `json:"description,omitempty"`
	Kind        *learning.ProgramKind   `json:"kind,omitempty" enum:"course,e_learning,workshop,mentorship,coaching,certification,on_the_job"`
	Provider    *string                 `json:"provider,omitempty"`
	ExternalID  *string                 `json:"external_id,omitempty"`
	URL         *string                 `json:"url,omitempty"`
	Hours       *float64                `json:"hours,omitempty"`
	Cost        *okr.Money              `json:"cost,omitempty"`
	Skills      *[]learning.TaughtSkill `json:"skills,omitempty"`
	PassMark    *float64                `json:"pass_mark,omitempty"`
	Archived    *bool                   `json:"archived,omitempty" doc:"An archived program stays in history but is no longer suggested or assignable."`
}

var moneyPattern = regexp.MustCompile(`^\d{1,12}(\.\d{1,2})?$`)

func validateProgram(ctx context.Context, tx Tx, p *learning.Program) error {
	var f errs.Fields
	p.Title = strings.TrimSpace(p.Title)
	p.Provider = strings.TrimSpace(p.Provider)
	p.ExternalID = strings.TrimSpace(p.ExternalID)
	if p.Title == "" {
		f.Add("title", "is required")
	}
	if !slices.Contains(learning.ProgramKinds, p.Kind) {
		f.Add("kind", "must be course, e_learning, workshop, mentorship, coaching, certification or on_the_job")
	}
	if p.Provider == "" {
		p.Provider = "internal"
	}
	if p.URL != "" {
		if u, err := url.Parse(p.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			f.Add("url", "must be an http or https address")
		}
	}
	if p.Hours != nil && (!finite(*p.Hours) || *p.Hours < 0 || *p.Hours > 10000) {
		f.Add("hours", "must be between 0 and 10000")
	}
	if p.PassMark != nil && (!finite(*p.PassMark) || *p.PassMark < 0 || *p.PassMark > 100) {
		f.Add("pass_mark", "must be between 0 and 100")
	}
	if p.Cost != nil {
		if !moneyPattern.MatchString(p.Cost.Amount) {
			f.Add("cost.amount", "write the amount as a decimal string, e.g. \"1200.00\"")
		}
		p.Cost.Currency = strings.ToUpper(strings.TrimSpace(p.Cost.Currency))
		if !currencyPattern.MatchString(p.Cost.Currency) {
			f.Add("cost.currency", "give the ISO 4217 code of the currency, e.g. EUR or USD")
		}
	}
	p.Skills = slices.Clone(p.Skills)
	if p.Skills == nil {
		p.Skills = []learning.TaughtSkill{}
	}
	seen := map[string]bool{}
	for i, ts := range p.Skills {
		field := fmt.Sprintf("skills[%d]", i)
		if seen[ts.SkillID] {
			f.Add(field+".skill_id", "is listed twice")
			continue
		}
		seen[ts.SkillID] = true
		s, err := tx.GetSkill(ctx, p.OrgID, ts.SkillID)
		if errs.Is(err, errs.NotFound) {
			f.Add(field+".skill_id", "no skill %s in this organization", ts.SkillID)
			continue
		}
		if err != nil {
			return err
		}
		scale, err := scaleOf(ctx, tx, p.OrgID, s.ScaleID)
		if err != nil {
			return err
		}
		if ts.Level < 1 || ts.Level > scale.Max() {
			f.Add(field+".level", "must be a level of %q's scale: 1 to %d", s.Name, scale.Max())
		}
	}
	return f.Err()
}

func externalIDTaken(err error, id string) error {
	if errs.Is(err, errs.Conflict) {
		return &errs.Error{Kind: errs.Conflict, Message: "a program with this external id exists",
			Fields: []errs.FieldError{{Field: "external_id", Message: fmt.Sprintf("%q is already another program's external id", id)}}}
	}
	return err
}

// CreateProgram adds a program to the catalog (admin).
func (a *App) CreateProgram(ctx context.Context, actor org.Actor, in ProgramInput, idemKey string) (learning.Program, error) {
	var p learning.Program
	if err := requireAdmin(actor); err != nil {
		return p, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "program.create", in, func() (string, error) {
			p = learning.Program{ID: NewID(), OrgID: actor.OrgID, Title: in.Title, Description: in.Description, Kind: in.Kind,
				Provider: in.Provider, ExternalID: in.ExternalID, URL: in.URL, Hours: in.Hours, Cost: in.Cost,
				Skills: in.Skills, PassMark: in.PassMark}
			if err := validateProgram(ctx, tx, &p); err != nil {
				return "", err
			}
			if err := tx.CreateProgram(ctx, &p); err != nil {
				return "", externalIDTaken(err, p.ExternalID)
			}
			return p.ID, record(ctx, tx, actor, "program.create", "program", p.ID, nil, p)
		})
		if err != nil {
			return err
		}
		p, err = tx.GetProgram(ctx, actor.OrgID, id)
		return err
	})
	return p, err
}

// GetProgram returns a program of the catalog.
func (a *App) GetProgram(ctx context.Context, actor org.Actor, id string) (learning.Program, error) {
	var p learning.Program
	if err := requireRead(actor); err != nil {
		return p, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		p, err = tx.GetProgram(ctx, actor.OrgID, id)
		return err
	})
	return p, err
}

// ProgramQuery filters the catalog.
type ProgramQuery struct {
	Query           string
	SkillID         string
	IncludeArchived bool
	PageRequest
}

// ListPrograms lists the catalog by id.
func (a *App) ListPrograms(ctx context.Context, actor org.Actor, q ProgramQuery) (Page[learning.Program], error) {
	return readPage(ctx, a, actor, q.PageRequest, func(p learning.Program) string { return p.ID },
		func(tx Tx, after string, limit int) ([]learning.Program, error) {
			return tx.ListPrograms(ctx, actor.OrgID, learning.ProgramFilter{Query: q.Query, SkillID: q.SkillID,
				IncludeArchived: q.IncludeArchived, After: after, Limit: limit})
		}, nil)
}

// UpdateProgram changes a program (admin).
func (a *App) UpdateProgram(ctx context.Context, actor org.Actor, id string, ifMatch *int, in ProgramUpdate) (learning.Program, error) {
	var p learning.Program
	if err := requireAdmin(actor); err != nil {
		return p, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetProgram(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "program"); err != nil {
			return err
		}
		p = before
		setIf(&p.Title, in.Title)
		setIf(&p.Description, in.Description)
		setIf(&p.Kind, in.Kind)
		setIf(&p.Provider, in.Provider)
		setIf(&p.ExternalID, in.ExternalID)
		setIf(&p.URL, in.URL)
		if in.Hours != nil {
			p.Hours = in.Hours
		}
		if in.Cost != nil {
			p.Cost = in.Cost
		}
		if in.Skills != nil {
			p.Skills = *in.Skills
		}
		if in.PassMark != nil {
			p.PassMark = in.PassMark
		}
		setIf(&p.Archived, in.Archived)
		if err := validateProgram(ctx, tx, &p); err != nil {
			return err
		}
		if err := tx.UpdateProgram(ctx, &p, before.Version); err != nil {
			return externalIDTaken(err, p.ExternalID)
		}
		return record(ctx, tx, actor, "program.update", "program", id, before, p)
	})
	return p, err
}

// ---- enrollments

// EnrollmentInput enrolls a person in a program.
type EnrollmentInput struct {
	UserID              string   `json:"user_id"`
	ProgramID           string   `json:"program_id"`
	DueDate             okr.Date `json:"due_date,omitempty"`
	LearningObjectiveID string   `json:"learning_objective_id,omitempty" doc:"The learning objective the enrollment serves."`
}

// EnrollmentUpdate reports progress or an outcome; absent fields stay.
type EnrollmentUpdate struct {
	Status   *learning.EnrollmentStatus `json:"status,omitempty" enum:"assigned,in_progress,completed,failed,withdrawn"`
	Progress *float64                   `json:"progress,omitempty" minimum:"0" maximum:"1" doc:"0.0–1.0."`
	Score    *float64                   `json:"score,omitempty" minimum:"0" maximum:"100" doc:"0–100; with status completed, decides passed against the pass mark."`
	Hours    *float64                   `json:"hours,omitempty" minimum:"0"`
	DueDate  *okr.Date                  `json:"due_date,omitempty"`
	Feedback *learning.LearnerFeedback  `json:"feedback,omitempty" doc:"The learner's rating (1–5) and words."`
}

// mayAssign says who may enroll a person: the person, admins and the leads
// of the person's teams.
func mayAssign(ctx context.Context, tx Tx, actor org.Actor, userID string) error {
	if userID == actor.UserID || actor.EditsAll() {
		return nil
	}
	ok, err := leadsPerson(ctx, tx, actor, userID)
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.Forbidden, "only admins and the leads of the person's teams assign learning to others")
	}
	return nil
}

// openEnrollment refuses a second enrollment while one is open or passed.
func openEnrollment(ctx context.Context, tx Tx, orgID, userID, programID string) (bool, error) {
	e, err := tx.LatestEnrollment(ctx, orgID, userID, programID)
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return e.Status != learning.Failed, nil
}

// newEnrollment validates and inserts one enrollment (status assigned).
func newEnrollment(ctx context.Context, tx Tx, actor org.Actor, in EnrollmentInput, f *errs.Fields) (*learning.Enrollment, error) {
	if _, err := tx.GetMember(ctx, actor.OrgID, in.UserID); errs.Is(err, errs.NotFound) {
		f.Add("user_id", "no member %s in this organization", in.UserID)
	} else if err != nil {
		return nil, err
	}
	p, err := tx.GetProgram(ctx, actor.OrgID, in.ProgramID)
	if errs.Is(err, errs.NotFound) {
		f.Add("program_id", "no program %s in this organization", in.ProgramID)
	} else if err != nil {
		return nil, err
	} else if p.Archived {
		f.Add("program_id", "%q is archived; choose a current program", p.Title)
	}
	if in.DueDate != "" && !in.DueDate.Valid() {
		f.Add("due_date", "must be a date like 2027-03-31")
	}
	if in.LearningObjectiveID != "" {
		if _, err := tx.GetLearningObjective(ctx, actor.OrgID, in.LearningObjectiveID); errs.Is(err, errs.NotFound) {
			f.Add("learning_objective_id", "no learning objective %s in this organization", in.LearningObjectiveID)
		} else if err != nil {
			return nil, err
		}
	}
	if len(*f) > 0 {
		return nil, nil
	}
	if open, err := openEnrollment(ctx, tx, actor.OrgID, in.UserID, in.ProgramID); err != nil {
		return nil, err
	} else if open {
		return nil, errs.E(errs.Conflict, "the person is already enrolled in %q (or passed it); update that enrollment", p.Title)
	}
	e := &learning.Enrollment{ID: NewID(), OrgID: actor.OrgID, UserID: in.UserID, ProgramID: in.ProgramID,
		AssignedBy: actor.UserID, DueDate: in.DueDate, Status: learning.Assigned, LearningObjectiveID: in.LearningObjectiveID}
	if err := tx.CreateEnrollment(ctx, e); err != nil {
		return nil, err
	}
	return e, record(ctx, tx, actor, "enrollment.create", "enrollment", e.ID, nil, e)
}

// Enroll assigns a program to a person.
func (a *App) Enroll(ctx context.Context, actor org.Actor, in EnrollmentInput, idemKey string) (learning.Enrollment, error) {
	var e learning.Enrollment
	if err := requireWrite(actor); err != nil {
		return e, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "enrollment.create", in, func() (string, error) {
			if err := mayAssign(ctx, tx, actor, in.UserID); err != nil {
				return "", err
			}
			var f errs.Fields
			got, err := newEnrollment(ctx, tx, actor, in, &f)
			if err != nil {
				return "", err
			}
			if err := f.Err(); err != nil {
				return "", err
			}
			return got.ID, nil
		})
		if err != nil {
			return err
		}
		e, err = tx.GetEnrollment(ctx, actor.OrgID, id)
		return err
	})
	return e, err
}

// TeamAssignmentInput assigns a program to a whole team.
type TeamAssignmentInput struct {
	TeamID              string   `json:"team_id"`
	ProgramID           string   `json:"program_id"`
	DueDate             okr.Date `json:"due_date,omitempty"`
	LearningObjectiveID string   `json:"learning_objective_id,omitempty"`
}

// TeamAssignment is what assigning a program to a team did.
type TeamAssignment struct {
	Enrollments []learning.Enrollment `json:"enrollments" doc:"The new enrollments."`
	// Skipped are the people already enrolled in the program or who passed it.
	Skipped []string `json:"skipped_user_ids"`
}

// AssignToTeam enrolls every active member and lead of a team and its
// sub-teams in a program, skipping those already enrolled or passed: admins
// and the team's leads.
func (a *App) AssignToTeam(ctx context.Context, actor org.Actor, in TeamAssignmentInput, idemKey string) (TeamAssignment, error) {
	res := TeamAssignment{Enrollments: []learning.Enrollment{}, Skipped: []string{}}
	if err := requireWrite(actor); err != nil {
		return res, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		var f errs.Fields
		t, err := tx.GetTeam(ctx, actor.OrgID, in.TeamID)
		if errs.Is(err, errs.NotFound) {
			f.Add("team_id", "no team %s in this organization", in.TeamID)
			return f.Err()
		}
		if err != nil {
			return err
		}
		if !actor.EditsAll() && !slices.Contains(t.LeadIDs, actor.UserID) {
			return errs.E(errs.Forbidden, "only admins and the team's leads assign learning to the team")
		}
		people, err := newPeople(ctx, tx, actor.OrgID).team(t.ID)
		if err != nil {
			return err
		}
		if len(people) == 0 {
			f.Add("team_id", "team %q has no active members to assign", t.Name)
			return f.Err()
		}
		// The result id lists the new enrollments, then the people skipped, so
		// that a retry with the same Idempotency-Key answers the first result.
		var ids string
		ids, err = idempotent(ctx, tx, actor, idemKey, "enrollment.assign_team", in, func() (string, error) {
			for _, uid := range people {
				open, err := openEnrollment(ctx, tx, actor.OrgID, uid, in.ProgramID)
				if err != nil {
					return "", err
				}
				if open {
					res.Skipped = append(res.Skipped, uid)
					continue
				}
				e, err := newEnrollment(ctx, tx, actor, EnrollmentInput{UserID: uid, ProgramID: in.ProgramID,
					DueDate: in.DueDate, LearningObjectiveID: in.LearningObjectiveID}, &f)
				if err != nil {
					return "", err
				}
				if err := f.Err(); err != nil {
					return "", err
				}
				res.Enrollments = append(res.Enrollments, *e)
			}
			created := make([]string, len(res.Enrollments))
			for i, e := range res.Enrollments {
				created[i] = e.ID
			}
			return strings.Join(created, ",") + ";" + strings.Join(res.Skipped, ","), nil
		})
		if err != nil {
			return err
		}
		return replayAssignment(ctx, tx, actor.OrgID, ids, &res)
	})
	return res, err
}

// replayAssignment loads a team assignment's result from its id ("e1,e2;u1").
func replayAssignment(ctx context.Context, tx Tx, orgID, ids string, res *TeamAssignment) error {
	created, skipped, _ := strings.Cut(ids, ";")
	res.Enrollments, res.Skipped = []learning.Enrollment{}, []string{}
	for _, id := range strings.Split(created, ",") {
		if id == "" {
			continue
		}
		e, err := tx.GetEnrollment(ctx, orgID, id)
		if err != nil {
			return err
		}
		res.Enrollments = append(res.Enrollments, e)
	}
	if skipped != "" {
		res.Skipped = strings.Split(skipped, ",")
	}
	return nil
}

// GetEnrollment returns an enrollment: any member may read the catalog's
// records (completion and scores are shared learning data), as the L&D
// dashboard shows them.
func (a *App) GetEnrollment(ctx context.Context, actor org.Actor, id string) (learning.Enrollment, error) {
	var e learning.Enrollment
	if err := requireRead(actor); err != nil {
		return e, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		e, err = tx.GetEnrollment(ctx, actor.OrgID, id)
		return err
	})
	return e, err
}

// EnrollmentQuery filters the enrollment list.
type EnrollmentQuery struct {
	UserID    string
	ProgramID string
	Status    learning.EnrollmentStatus
	PageRequest
}

// ListEnrollments lists enrollments by id.
func (a *App) ListEnrollments(ctx context.Context, actor org.Actor, q EnrollmentQuery) (Page[learning.Enrollment], error) {
	return readPage(ctx, a, actor, q.PageRequest, func(e learning.Enrollment) string { return e.ID },
		func(tx Tx, after string, limit int) ([]learning.Enrollment, error) {
			f := learning.EnrollmentFilter{ProgramID: q.ProgramID, Status: q.Status, After: after, Limit: limit}
			if q.UserID != "" {
				f.UserIDs = []string{q.UserID}
			}
			return tx.ListEnrollments(ctx, actor.OrgID, f)
		}, nil)
}

// UpdateEnrollment records progress, an outcome or the learner's feedback.
// The learner reports progress, hours, feedback, starting, completing and
// withdrawing; scores, failures and completions of programs with a pass mark
// or of certifications come from admins, the person who assigned it, the
// leads of the learner's teams, or the LMS (xAPI). A passed completion
// asserts the taught skill levels; learning key results follow.
func (a *App) UpdateEnrollment(ctx context.Context, actor org.Actor, id string, ifMatch *int, in EnrollmentUpdate) (learning.Enrollment, error) {
	var e learning.Enrollment
	if err := requireWrite(actor); err != nil {
		return e, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetEnrollment(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "enrollment"); err != nil {
			return err
		}
		p, err := tx.GetProgram(ctx, actor.OrgID, before.ProgramID)
		if err != nil {
			return err
		}
		learner := before.UserID == actor.UserID
		overseer := actor.EditsAll() || before.AssignedBy == actor.UserID && before.AssignedBy != before.UserID
		if !overseer && !learner {
			if overseer, err = leadsPerson(ctx, tx, actor, before.UserID); err != nil {
				return err
			}
			if !overseer {
				return errs.E(errs.Forbidden, "only the learner, admins, the person who assigned it and the learner's team leads change an enrollment")
			}
		}
		if !overseer && learner {
			if in.Score != nil || (in.Status != nil && *in.Status == learning.Failed) || in.DueDate != nil {
				return errs.E(errs.Forbidden, "scores, failures and due dates are set by the person who assigned the learning, an admin or the LMS")
			}
			if in.Status != nil && *in.Status == learning.Completed && (p.PassMark != nil || p.Kind == learning.KindCertification) {
				return errs.E(errs.Forbidden, "%q is assessed: its completion comes from the LMS, an admin or the person who assigned it", p.Title)
			}
		}
		if in.Feedback != nil && !learner {
			var f errs.Fields
			f.Add("feedback", "is the learner's own rating and words")
			return f.Err()
		}
		e = before
		rec := learningRecord{status: in.Status, progress: in.Progress, score: in.Score, hours: in.Hours, at: tx.Now()}
		if in.Status != nil && *in.Status == learning.Failed {
			no := false
			rec.passed = &no
		}
		var f errs.Fields
		if in.DueDate != nil {
			if *in.DueDate != "" && !in.DueDate.Valid() {
				f.Add("due_date", "must be a date like 2027-03-31")
			}
			e.DueDate = *in.DueDate
		}
		if fb := in.Feedback; fb != nil {
			if fb.Rating < 1 || fb.Rating > 5 {
				f.Add("feedback.rating", "must be 1 to 5")
			}
			fb.Text = strings.TrimSpace(fb.Text)
			e.Feedback = fb
		}
		if err := f.Err(); err != nil {
			return err
		}
		if _, err := applyLearningRecord(ctx, tx, actor, &e, p, rec); err != nil {
			return err
		}
		if err := tx.UpdateEnrollment(ctx, &e, before.Version); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "enrollment.update", "enrollment", id, before, e); err != nil {
			return err
		}
		_, err = refreshLearning(ctx, tx, actor)
		if err != nil {
			return err
		}
		e, err = tx.GetEnrollment(ctx, actor.OrgID, id)
		return err
	})
	return e, err
}

// learningRecord is news about an enrollment, from a person, an xAPI
// statement or an LMS report; nil fields say nothing.
type learningRecord struct {
	status   *learning.EnrollmentStatus
	passed   *bool // an explicit verdict (xAPI passed/failed)
	progress *float64
	score    *float64
	hours    *float64
	at       time.Time
}

// applyLearningRecord applies a record to an enrollment in memory and, when
// it turns into a passed completion, asserts the levels the program teaches
// (source certification for a certification, learning otherwise), once. The
// caller stores the enrollment. It returns what changed, in words.
func applyLearningRecord(ctx context.Context, tx Tx, actor org.Actor, e *learning.Enrollment, p learning.Program, rec learningRecord) (string, error) {
	var f errs.Fields
	wasPassed := e.PassedCompletion()
	var said []string
	if rec.progress != nil {
		if !finite(*rec.progress) || *rec.progress < 0 || *rec.progress > 1 {
			f.Add("progress", "must be between 0.0 and 1.0")
		} else {
			e.Progress = *rec.progress
			said = append(said, fmt.Sprintf("progress %.0f%%", e.Progress*100))
		}
	}
	if rec.score != nil {
		if !finite(*rec.score) || *rec.score < 0 || *rec.score > 100 {
			f.Add("score", "must be between 0 and 100")
		} else {
			e.Score = rec.score
			said = append(said, fmt.Sprintf("score %.4g", *e.Score))
		}
	}
	if rec.hours != nil {
		if !finite(*rec.hours) || *rec.hours < 0 || *rec.hours > 10000 {
			f.Add("hours", "must be between 0 and 10000")
		} else {
			e.Hours = rec.hours
		}
	}
	status := e.Status
	if rec.status != nil {
		switch *rec.status {
		case learning.Assigned, learning.InProgress, learning.Completed, learning.Failed, learning.Withdrawn:
			status = *rec.status
		default:
			f.Add("status", "must be assigned, in_progress, completed, failed or withdrawn")
		}
	}
	if rec.passed != nil && status != learning.Completed && status != learning.Failed {
		status = learning.Completed // a verdict ends the enrollment
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	if status == learning.InProgress && e.Progress == 0 && rec.progress == nil {
		e.Progress = 0.01 // started: something is done
	}
	if status != learning.Assigned && e.Started == nil {
		at := rec.at
		e.Started = &at
	}
	switch status {
	case learning.Completed, learning.Failed:
		passed := false
		switch {
		case rec.passed != nil:
			passed = *rec.passed
		case status == learning.Failed:
			passed = false
		case p.PassMark == nil:
			passed = true
		case e.Score != nil:
			passed = *e.Score >= *p.PassMark
		}
		if passed {
			status = learning.Completed
		} else if e.Score != nil || rec.passed != nil || status == learning.Failed {
			status = learning.Failed
		}
		e.Passed = &passed
		if e.Completed == nil || e.Status != status {
			at := rec.at
			e.Completed = &at
		}
		if status == learning.Completed {
			e.Progress = 1
		}
	default:
		e.Passed, e.Completed = nil, nil
	}
	if status != e.Status {
		said = append(said, string(status))
	}
	e.Status = status
	if e.PassedCompletion() && !wasPassed {
		if err := assertTaughtLevels(ctx, tx, actor, *e, p); err != nil {
			return "", err
		}
		if err := celebrateCompletion(ctx, tx, actor, *e, p); err != nil {
			return "", err
		}
		said = append(said, "passed")
	}
	return strings.Join(said, ", "), nil
}

// assertTaughtLevels records the skill levels a passed program teaches.
func assertTaughtLevels(ctx context.Context, tx Tx, actor org.Actor, e learning.Enrollment, p learning.Program) error {
	o, err := tx.GetOrganization(ctx, e.OrgID)
	if err != nil {
		return err
	}
	source := learning.SourceLearning
	if p.Kind == learning.KindCertification {
		source = learning.SourceCertification
	}
	date := today(tx, o)
	if e.Completed != nil {
		date = okr.Date(e.Completed.In(o.Location()).Format(okr.DateLayout))
	}
	for _, ts := range p.Skills {
		as := learning.Assessment{ID: NewID(), OrgID: e.OrgID, UserID: e.UserID, SkillID: ts.SkillID, Level: ts.Level,
			Source: source, AssessorID: actor.UserID, Date: date, EnrollmentID: e.ID,
			Evidence: learning.Evidence{Note: "Passed " + p.Title, URL: p.URL, Score: e.Score}}
		if err := tx.InsertAssessment(ctx, &as); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "assessment.create", "assessment", as.ID, nil, as); err != nil {
			return err
		}
	}
	return nil
}
