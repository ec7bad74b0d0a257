// Package learning is the skills and learning domain: proficiency scales,
// skills, skill requirements, assessments and the effective-level rule, role
// profiles, the learning catalog, learning objectives, enrollments,
// mentorships, feedback, xAPI statements, gap analysis and the measures of
// learning key results, as types and pure functions.
package learning

import (
	"encoding/json"
	"time"

	"github.com/okrahq/okra/internal/okr"
)

// Level is one step of a proficiency scale.
type Level struct {
	Level      int    `json:"level" doc:"1 is the lowest; 0 means no proficiency and is never listed."`
	Name       string `json:"name"`
	Descriptor string `json:"descriptor"`
}

// Scale is an ordered set of proficiency levels.
type Scale struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"-"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Levels      []Level   `json:"levels"`
	BuiltIn     bool      `json:"built_in" doc:"The two scales every organization has; they cannot be changed."`
	Version     int       `json:"version"`
	Created     time.Time `json:"created_at"`
	Updated     time.Time `json:"updated_at"`
}

// Max is the scale's highest level.
func (s Scale) Max() int {
	m := 0
	for _, l := range s.Levels {
		m = max(m, l.Level)
	}
	return m
}

// LevelName names a level of the scale ("" when the scale has no such level).
func (s Scale) LevelName(level int) string {
	for _, l := range s.Levels {
		if l.Level == level {
			return l.Name
		}
	}
	return ""
}

// Framework says where a skill came from.
type Framework string

// Frameworks.
const (
	FrameworkCustom Framework = "custom"
	FrameworkESCO   Framework = "esco"
	FrameworkONET   Framework = "onet"
	FrameworkCASE   Framework = "case"
)

// Skill is something people can be more or less proficient in.
type Skill struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"-"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Category    string    `json:"category"`
	ScaleID     string    `json:"scale_id"`
	Framework   Framework `json:"framework"`
	// URI identifies the skill in its framework: re-imports update by it.
	URI     string    `json:"uri,omitempty"`
	Version int       `json:"version"`
	Created time.Time `json:"created_at"`
	Updated time.Time `json:"updated_at"`
}

// SubjectType is what a skill requirement belongs to.
type SubjectType string

// Requirement subjects.
const (
	SubjectObjective SubjectType = "objective"
	SubjectKeyResult SubjectType = "key_result"
	SubjectTeam      SubjectType = "team"
	SubjectRole      SubjectType = "role"
)

// Subject names an objective, key result, team or role profile.
type Subject struct {
	Type SubjectType `json:"type" enum:"objective,key_result,team,role"`
	ID   string      `json:"id"`
}

// Requirement says that a subject needs a skill at a level, in so many people.
type Requirement struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"-"`
	Subject   Subject   `json:"subject"`
	SkillID   string    `json:"skill_id"`
	Level     int       `json:"level"`
	Headcount int       `json:"headcount"`
	Essential bool      `json:"essential"`
	Version   int       `json:"version"`
	Created   time.Time `json:"created_at"`
	Updated   time.Time `json:"updated_at"`
}

// RoleProfile is a job role with the skills it requires (as requirements
// with subject "role") and the people who hold it.
type RoleProfile struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"-"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	HolderIDs   []string  `json:"holder_ids"`
	Version     int       `json:"version"`
	Created     time.Time `json:"created_at"`
	Updated     time.Time `json:"updated_at"`
}

// Source says who or what asserted a skill level.
type Source string

// Assessment sources.
const (
	SourceSelf          Source = "self"
	SourceManager       Source = "manager"
	SourcePeer          Source = "peer"
	SourceAssessment    Source = "assessment"
	SourceCertification Source = "certification"
	SourceLearning      Source = "learning"
	SourceXAPI          Source = "xapi"
	SourceBadge         Source = "badge"
)

// Sources lists every assessment source, most trusted first.
var Sources = []Source{SourceCertification, SourceAssessment, SourceManager, SourceBadge, SourcePeer,
	SourceLearning, SourceXAPI, SourceSelf}

// Evidence backs an assessment.
type Evidence struct {
	Note  string   `json:"note,omitempty"`
	URL   string   `json:"url,omitempty"`
	Score *float64 `json:"score,omitempty" doc:"0–100, when the assessment was scored."`
}

// Assessment asserts a person's level in a skill on a date.
type Assessment struct {
	ID         string   `json:"id"`
	OrgID      string   `json:"-"`
	UserID     string   `json:"user_id"`
	SkillID    string   `json:"skill_id"`
	Level      int      `json:"level"`
	Source     Source   `json:"source"`
	AssessorID string   `json:"assessor_id,omitempty"`
	Evidence   Evidence `json:"evidence"`
	Date       okr.Date `json:"date"`
	// EnrollmentID is set when a passed completion made the assertion.
	EnrollmentID string    `json:"enrollment_id,omitempty"`
	Created      time.Time `json:"created_at"`
}

// ProgramKind is the form a learning program takes.
type ProgramKind string

// Program kinds.
const (
	KindCourse        ProgramKind = "course"
	KindELearning     ProgramKind = "e_learning"
	KindWorkshop      ProgramKind = "workshop"
	KindMentorship    ProgramKind = "mentorship"
	KindCoaching      ProgramKind = "coaching"
	KindCertification ProgramKind = "certification"
	KindOnTheJob      ProgramKind = "on_the_job"
)

// ProgramKinds lists every program kind.
var ProgramKinds = []ProgramKind{KindCourse, KindELearning, KindWorkshop, KindMentorship, KindCoaching,
	KindCertification, KindOnTheJob}

// TaughtSkill is a skill a program teaches and the level it teaches to.
type TaughtSkill struct {
	SkillID string `json:"skill_id"`
	Level   int    `json:"level"`
}

// Program is an entry of the learning catalog.
type Program struct {
	ID          string        `json:"id"`
	OrgID       string        `json:"-"`
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Kind        ProgramKind   `json:"kind"`
	Provider    string        `json:"provider"`
	ExternalID  string        `json:"external_id,omitempty" doc:"The activity id an LMS uses for it (xAPI object id)."`
	URL         string        `json:"url,omitempty"`
	Hours       *float64      `json:"hours,omitempty"`
	Cost        *okr.Money    `json:"cost,omitempty"`
	Skills      []TaughtSkill `json:"skills"`
	PassMark    *float64      `json:"pass_mark,omitempty" doc:"0–100; a completion passes when its score reaches it."`
	Archived    bool          `json:"archived"`
	Version     int           `json:"version"`
	Created     time.Time     `json:"created_at"`
	Updated     time.Time     `json:"updated_at"`
}

// LearningObjective says what a person or a team must learn, to what level,
// by when and why: the gap it closes and the key result or objective it serves.
type LearningObjective struct {
	ID          string   `json:"id"`
	OrgID       string   `json:"-"`
	UserID      string   `json:"user_id,omitempty" doc:"The learner; or team_id for a whole team."`
	TeamID      string   `json:"team_id,omitempty"`
	SkillID     string   `json:"skill_id"`
	TargetLevel int      `json:"target_level"`
	DueDate     okr.Date `json:"due_date,omitempty"`
	// RequirementID is the requirement whose gap it closes.
	RequirementID string    `json:"requirement_id,omitempty"`
	ObjectiveID   string    `json:"objective_id,omitempty"`
	KeyResultID   string    `json:"key_result_id,omitempty"`
	ProgramIDs    []string  `json:"program_ids"`
	Note          string    `json:"note"`
	Version       int       `json:"version"`
	Created       time.Time `json:"created_at"`
	Updated       time.Time `json:"updated_at"`
}

// EnrollmentStatus is where an enrollment stands.
type EnrollmentStatus string

// Enrollment statuses.
const (
	Assigned   EnrollmentStatus = "assigned"
	InProgress EnrollmentStatus = "in_progress"
	Completed  EnrollmentStatus = "completed"
	Failed     EnrollmentStatus = "failed"
	Withdrawn  EnrollmentStatus = "withdrawn"
)

// LearnerFeedback is the learner's rating (1–5) and words about a program.
type LearnerFeedback struct {
	Rating int    `json:"rating" minimum:"1" maximum:"5"`
	Text   string `json:"text"`
}

// Enrollment is a person taking a program.
type Enrollment struct {
	ID         string           `json:"id"`
	OrgID      string           `json:"-"`
	UserID     string           `json:"user_id"`
	ProgramID  string           `json:"program_id"`
	AssignedBy string           `json:"assigned_by,omitempty"`
	DueDate    okr.Date         `json:"due_date,omitempty"`
	Status     EnrollmentStatus `json:"status"`
	Progress   float64          `json:"progress" doc:"0.0–1.0."`
	Started    *time.Time       `json:"started_at,omitempty"`
	Completed  *time.Time       `json:"completed_at,omitempty"`
	Score      *float64         `json:"score,omitempty" doc:"0–100."`
	Passed     *bool            `json:"passed,omitempty"`
	Hours      *float64         `json:"hours,omitempty" doc:"Learning hours spent."`
	Feedback   *LearnerFeedback `json:"feedback,omitempty"`
	// LearningObjectiveID is the learning objective the enrollment serves.
	LearningObjectiveID string    `json:"learning_objective_id,omitempty"`
	Version             int       `json:"version"`
	Created             time.Time `json:"created_at"`
	Updated             time.Time `json:"updated_at"`
}

// Done reports whether the enrollment has ended (completed, failed or withdrawn).
func (e Enrollment) Done() bool {
	return e.Status == Completed || e.Status == Failed || e.Status == Withdrawn
}

// PassedCompletion reports whether the enrollment is a passed completion.
func (e Enrollment) PassedCompletion() bool {
	return e.Status == Completed && e.Passed != nil && *e.Passed
}

// Mentorship pairs a mentor with a mentee on a skill.
type Mentorship struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"-"`
	MentorID  string    `json:"mentor_id"`
	MenteeID  string    `json:"mentee_id"`
	SkillID   string    `json:"skill_id,omitempty"`
	StartDate okr.Date  `json:"start_date"`
	EndDate   okr.Date  `json:"end_date,omitempty"`
	Notes     string    `json:"notes"`
	Version   int       `json:"version"`
	Created   time.Time `json:"created_at"`
	Updated   time.Time `json:"updated_at"`
}

// FeedbackVisibility says who may read a piece of feedback besides its author.
type FeedbackVisibility string

// Feedback visibilities.
const (
	// VisibleRecipient: the recipient (and the author).
	VisibleRecipient FeedbackVisibility = "recipient"
	// VisibleManagers: the recipient and the leads of the recipient's teams.
	VisibleManagers FeedbackVisibility = "managers"
	// VisiblePrivate: the author and the leads of the recipient's teams, not the recipient.
	VisiblePrivate FeedbackVisibility = "private"
)

// Feedback is what one person tells another, about an enrollment, a skill,
// an objective or nothing in particular.
type Feedback struct {
	ID          string             `json:"id"`
	OrgID       string             `json:"-"`
	FromID      string             `json:"from_id"`
	ToID        string             `json:"to_id"`
	Relation    string             `json:"relation" enum:"peer,manager,mentor" doc:"The author's relation to the recipient."`
	SubjectType string             `json:"subject_type,omitempty" enum:"enrollment,skill,objective"`
	SubjectID   string             `json:"subject_id,omitempty"`
	Body        string             `json:"body"`
	Visibility  FeedbackVisibility `json:"visibility"`
	Created     time.Time          `json:"created_at"`
}

// LRSCredential lets a learning system post xAPI statements to one organization.
type LRSCredential struct {
	ID         string     `json:"id"`
	OrgID      string     `json:"-"`
	Name       string     `json:"name"`
	Key        string     `json:"key" doc:"The Basic-auth user name."`
	SecretHash string     `json:"-"`
	CreatedBy  string     `json:"created_by"`
	Created    time.Time  `json:"created_at"`
	LastUsed   *time.Time `json:"last_used_at,omitempty"`
	Revoked    *time.Time `json:"revoked_at,omitempty"`
}

// Statement is an xAPI statement as received (Raw, immutable) with what okra
// made of it.
type Statement struct {
	ID           string          `json:"id" doc:"The statement id (a UUID)."`
	OrgID        string          `json:"-"`
	CredentialID string          `json:"credential_id"`
	Raw          json.RawMessage `json:"statement" doc:"The statement as stored, with id, stored, authority and version set."`
	// Digest identifies the content (without id, stored, authority, version
	// and timestamp formatting): the same id with another digest is a conflict.
	Digest     string    `json:"-"`
	Verb       string    `json:"verb"`
	ActivityID string    `json:"activity_id"`
	Actor      string    `json:"actor" doc:"The actor as matched: an e-mail or account name."`
	Timestamp  time.Time `json:"timestamp"`
	Stored     time.Time `json:"stored"`
	// What okra did with it.
	Matched      bool   `json:"matched"`
	UserID       string `json:"user_id,omitempty"`
	ProgramID    string `json:"program_id,omitempty"`
	EnrollmentID string `json:"enrollment_id,omitempty"`
	Outcome      string `json:"outcome" doc:"What the statement changed, or why it matched nothing."`
}

// MeasureType is what a learning key result measures.
type MeasureType string

// Measures of learning key results.
const (
	CompletionRate MeasureType = "completion_rate"
	CertifiedCount MeasureType = "certified_count"
	MeanScore      MeasureType = "mean_score"
	AtLevelShare   MeasureType = "at_level_share"
	LearningHours  MeasureType = "learning_hours"
)

// MeasureTypes lists every measure.
var MeasureTypes = []MeasureType{CompletionRate, CertifiedCount, MeanScore, AtLevelShare, LearningHours}

// PopulationType says whom a learning measure counts.
type PopulationType string

// Populations.
const (
	PopulationTeam  PopulationType = "team"
	PopulationRole  PopulationType = "role"
	PopulationUsers PopulationType = "users"
)

// Population is the people a learning measure counts: a team with its
// sub-teams, the holders of a role profile, or named people.
type Population struct {
	Type    PopulationType `json:"type" enum:"team,role,users"`
	ID      string         `json:"id,omitempty"`
	UserIDs []string       `json:"user_ids,omitempty"`
}

// Measure configures a learning key result (its "measure" field).
type Measure struct {
	Type       MeasureType `json:"type" enum:"completion_rate,certified_count,mean_score,at_level_share,learning_hours"`
	ProgramID  string      `json:"program_id,omitempty"`
	SkillID    string      `json:"skill_id,omitempty"`
	Level      int         `json:"level,omitempty"`
	Population Population  `json:"population"`
}
