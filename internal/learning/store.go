package learning

import (
	"context"
	"time"
)

// SkillFilter selects skills; zero fields match everything.
type SkillFilter struct {
	// Query matches names and descriptions containing it, ignoring case.
	Query    string
	Category string
	IDs      []string
	After    string // cursor: ids greater than this
	Limit    int    // 0: no limit
}

// RequirementFilter selects skill requirements; zero fields match everything.
type RequirementFilter struct {
	SubjectType SubjectType
	// SubjectIDs selects the requirements of these subjects (of SubjectType when it is set).
	SubjectIDs []string
	SkillID    string
}

// AssessmentFilter selects assessments; zero fields match everything.
type AssessmentFilter struct {
	UserIDs  []string
	SkillIDs []string
}

// ProgramFilter selects programs; zero fields match everything.
type ProgramFilter struct {
	Query string
	// SkillID selects the programs that teach the skill.
	SkillID         string
	IncludeArchived bool
	After           string
	Limit           int
}

// LearningObjectiveFilter selects learning objectives; zero fields match everything.
type LearningObjectiveFilter struct {
	UserID      string
	TeamID      string
	ObjectiveID string
	KeyResultID string
}

// EnrollmentFilter selects enrollments; zero fields match everything.
type EnrollmentFilter struct {
	UserIDs   []string
	ProgramID string
	Status    EnrollmentStatus
	After     string
	Limit     int
}

// MentorshipFilter selects mentorships; zero fields match everything.
type MentorshipFilter struct {
	// UserID selects the mentorships where the person is mentor or mentee.
	UserID  string
	SkillID string
}

// FeedbackFilter selects feedback; zero fields match everything.
type FeedbackFilter struct {
	ToID        string
	FromID      string
	SubjectType string
	SubjectID   string
}

// StatementFilter selects xAPI statements; zero fields match everything.
type StatementFilter struct {
	Verb       string
	ActivityID string
	// Actor is an e-mail or account name as stored in Statement.Actor.
	Actor   string
	Since   *time.Time // stored after
	Until   *time.Time // stored at or before
	Matched *bool
	// Ascending lists oldest first (by stored time, then id); newest first otherwise.
	Ascending bool
	// After is a cursor: the id of the last statement of the previous page.
	After string
	Limit int
}

// Store is what the skills and learning use cases need from the database,
// inside one transaction; every method is scoped by the organization.
// Lookups of something not in the organization return errs.NotFound;
// updates with a stale version return errs.PreconditionFailed; a duplicate
// returns errs.Conflict; a reference to something that does not exist
// returns errs.Invalid, and removing something still referenced errs.Conflict.
type Store interface {
	// CreateScale inserts a custom scale at version 1.
	CreateScale(ctx context.Context, s *Scale) error
	// GetScale returns a custom scale of orgID.
	GetScale(ctx context.Context, orgID, id string) (Scale, error)
	// ListScales returns orgID's custom scales, by name.
	ListScales(ctx context.Context, orgID string) ([]Scale, error)
	// UpdateScale stores a custom scale's name, description and levels if its version is still expectVersion.
	UpdateScale(ctx context.Context, s *Scale, expectVersion int) error

	// CreateSkill inserts a skill at version 1; errs.Conflict if its URI is taken in the organization.
	CreateSkill(ctx context.Context, s *Skill) error
	// GetSkill returns a skill of orgID.
	GetSkill(ctx context.Context, orgID, id string) (Skill, error)
	// SkillByURI returns orgID's skill with a framework URI; errs.NotFound if there is none.
	SkillByURI(ctx context.Context, orgID, uri string) (Skill, error)
	// ListSkills returns orgID's skills matching f, by name then id (by id when f.After is set).
	ListSkills(ctx context.Context, orgID string, f SkillFilter) ([]Skill, error)
	// UpdateSkill stores a skill's fields if its version is still expectVersion.
	UpdateSkill(ctx context.Context, s *Skill, expectVersion int) error
	// DeleteSkill removes a skill of orgID; errs.Conflict while a requirement, assessment,
	// program, learning objective or mentorship refers to it.
	DeleteSkill(ctx context.Context, orgID, id string) error

	// CreateRequirement inserts a requirement at version 1; errs.Conflict if the subject already
	// requires the skill.
	CreateRequirement(ctx context.Context, r *Requirement) error
	// GetRequirement returns a requirement of orgID.
	GetRequirement(ctx context.Context, orgID, id string) (Requirement, error)
	// ListRequirements returns orgID's requirements matching f, by id.
	ListRequirements(ctx context.Context, orgID string, f RequirementFilter) ([]Requirement, error)
	// UpdateRequirement stores a requirement's level, headcount and essential flag if its version is still expectVersion.
	UpdateRequirement(ctx context.Context, r *Requirement, expectVersion int) error
	// DeleteRequirement removes a requirement of orgID.
	DeleteRequirement(ctx context.Context, orgID, id string) error
	// DeleteRequirementsOf removes every requirement of a subject (when the subject is deleted).
	DeleteRequirementsOf(ctx context.Context, orgID string, subject Subject) error

	// CreateRole inserts a role profile at version 1 with its holders.
	CreateRole(ctx context.Context, r *RoleProfile) error
	// GetRole returns a role profile of orgID with its holders.
	GetRole(ctx context.Context, orgID, id string) (RoleProfile, error)
	// ListRoles returns orgID's role profiles with their holders, by name.
	ListRoles(ctx context.Context, orgID string) ([]RoleProfile, error)
	// UpdateRole stores a role profile's name, description and holders if its version is still expectVersion.
	UpdateRole(ctx context.Context, r *RoleProfile, expectVersion int) error
	// DeleteRole removes a role profile of orgID with its holders and requirements.
	DeleteRole(ctx context.Context, orgID, id string) error
	// RolesOfUser returns the ids of orgID's role profiles a person holds.
	RolesOfUser(ctx context.Context, orgID, userID string) ([]string, error)

	// InsertAssessment appends an assessment (assessments are never changed).
	InsertAssessment(ctx context.Context, a *Assessment) error
	// GetAssessment returns an assessment of orgID.
	GetAssessment(ctx context.Context, orgID, id string) (Assessment, error)
	// ListAssessments returns orgID's assessments matching f, by date then creation, oldest first.
	ListAssessments(ctx context.Context, orgID string, f AssessmentFilter) ([]Assessment, error)
	// DeleteAssessment removes an assessment of orgID (one made in error).
	DeleteAssessment(ctx context.Context, orgID, id string) error

	// CreateProgram inserts a program at version 1 with the skills it teaches; errs.Conflict if
	// its external id is taken in the organization.
	CreateProgram(ctx context.Context, p *Program) error
	// GetProgram returns a program of orgID with the skills it teaches.
	GetProgram(ctx context.Context, orgID, id string) (Program, error)
	// ProgramByExternalID returns orgID's program with an external id; errs.NotFound if there is none.
	ProgramByExternalID(ctx context.Context, orgID, externalID string) (Program, error)
	// ListPrograms returns orgID's programs matching f with the skills they teach, by title then id
	// (by id when f.After is set).
	ListPrograms(ctx context.Context, orgID string, f ProgramFilter) ([]Program, error)
	// UpdateProgram stores a program's fields and taught skills if its version is still expectVersion.
	UpdateProgram(ctx context.Context, p *Program, expectVersion int) error

	// CreateLearningObjective inserts a learning objective at version 1 with its programs.
	CreateLearningObjective(ctx context.Context, l *LearningObjective) error
	// GetLearningObjective returns a learning objective of orgID with its programs.
	GetLearningObjective(ctx context.Context, orgID, id string) (LearningObjective, error)
	// ListLearningObjectives returns orgID's learning objectives matching f, by id.
	ListLearningObjectives(ctx context.Context, orgID string, f LearningObjectiveFilter) ([]LearningObjective, error)
	// UpdateLearningObjective stores a learning objective's fields and programs if its version is still expectVersion.
	UpdateLearningObjective(ctx context.Context, l *LearningObjective, expectVersion int) error
	// DeleteLearningObjective removes a learning objective of orgID; its enrollments keep existing without it.
	DeleteLearningObjective(ctx context.Context, orgID, id string) error

	// CreateEnrollment inserts an enrollment at version 1.
	CreateEnrollment(ctx context.Context, e *Enrollment) error
	// GetEnrollment returns an enrollment of orgID.
	GetEnrollment(ctx context.Context, orgID, id string) (Enrollment, error)
	// LatestEnrollment returns a person's most recent enrollment in a program that is not
	// withdrawn; errs.NotFound if there is none.
	LatestEnrollment(ctx context.Context, orgID, userID, programID string) (Enrollment, error)
	// ListEnrollments returns orgID's enrollments matching f, by id.
	ListEnrollments(ctx context.Context, orgID string, f EnrollmentFilter) ([]Enrollment, error)
	// UpdateEnrollment stores an enrollment's fields (not its person or program) if its version is still expectVersion.
	UpdateEnrollment(ctx context.Context, e *Enrollment, expectVersion int) error

	// CreateMentorship inserts a mentorship at version 1.
	CreateMentorship(ctx context.Context, m *Mentorship) error
	// GetMentorship returns a mentorship of orgID.
	GetMentorship(ctx context.Context, orgID, id string) (Mentorship, error)
	// ListMentorships returns orgID's mentorships matching f, by id.
	ListMentorships(ctx context.Context, orgID string, f MentorshipFilter) ([]Mentorship, error)
	// UpdateMentorship stores a mentorship's dates and notes if its version is still expectVersion.
	UpdateMentorship(ctx context.Context, m *Mentorship, expectVersion int) error

	// InsertFeedback appends a piece of feedback (never changed).
	InsertFeedback(ctx context.Context, f *Feedback) error
	// ListFeedback returns orgID's feedback matching f, newest first.
	ListFeedback(ctx context.Context, orgID string, f FeedbackFilter) ([]Feedback, error)

	// CreateLRSCredential inserts an LRS credential (the hash of its secret, never the secret);
	// errs.Conflict for a key already taken.
	CreateLRSCredential(ctx context.Context, c *LRSCredential) error
	// LRSCredentialByKey returns the credential with a key in any organization, revoked or not.
	LRSCredentialByKey(ctx context.Context, key string) (LRSCredential, error)
	// ListLRSCredentials returns orgID's credentials by id, revoked ones included.
	ListLRSCredentials(ctx context.Context, orgID string) ([]LRSCredential, error)
	// RevokeLRSCredential marks a credential of orgID revoked now; errs.NotFound if it is not in
	// the organization or already revoked.
	RevokeLRSCredential(ctx context.Context, orgID, id string) error
	// TouchLRSCredential records a credential's use now.
	TouchLRSCredential(ctx context.Context, id string) error

	// InsertStatement stores an xAPI statement as received, stamped stored now; errs.Conflict if the
	// organization already has a statement with its id.
	InsertStatement(ctx context.Context, s *Statement) error
	// GetStatement returns a statement of orgID.
	GetStatement(ctx context.Context, orgID, id string) (Statement, error)
	// ListStatements returns orgID's statements matching f.
	ListStatements(ctx context.Context, orgID string, f StatementFilter) ([]Statement, error)
	// SetStatementOutcome records what okra made of a stored statement (matched, person,
	// program, enrollment, outcome), the only thing of a statement that ever changes.
	SetStatementOutcome(ctx context.Context, s *Statement) error
}
