package okr

import "context"

// ObjectiveFilter selects objectives; zero fields match everything.
type ObjectiveFilter struct {
	PeriodID  string
	OwnerType OwnerType
	OwnerID   string
	After     string // cursor: ids greater than this
	Limit     int    // 0: no limit
}

// KeyResultFilter selects key results; zero fields match everything.
type KeyResultFilter struct {
	ObjectiveID string
	// ObjectiveIDs selects the key results of several objectives.
	ObjectiveIDs []string
	PeriodID     string
	OwnerID      string
	After        string
	Limit        int
}

// InitiativeFilter selects initiatives; zero fields match everything.
type InitiativeFilter struct {
	KeyResultID string
	OwnerID     string
	After       string
	Limit       int
}

// Store is what the OKR use cases need from the database, inside one
// transaction; every method is scoped by the organization. Lookups of
// something that does not exist in the organization return errs.NotFound;
// updates with a stale version return errs.PreconditionFailed.
type Store interface {
	CreatePeriod(ctx context.Context, p *Period) error
	GetPeriod(ctx context.Context, orgID, id string) (Period, error)
	ListPeriods(ctx context.Context, orgID, after string, limit int) ([]Period, error)
	UpdatePeriod(ctx context.Context, p *Period, expectVersion int) error

	CreateObjective(ctx context.Context, o *Objective) error
	GetObjective(ctx context.Context, orgID, id string) (Objective, error)
	ListObjectives(ctx context.Context, orgID string, f ObjectiveFilter) ([]Objective, error)
	UpdateObjective(ctx context.Context, o *Objective, expectVersion int) error
	DeleteObjective(ctx context.Context, orgID, id string) error
	TouchObjectiveCheckIn(ctx context.Context, orgID, objectiveID string) error

	AlignmentsOfChild(ctx context.Context, orgID, childID string) ([]Alignment, error)
	AlignedChildren(ctx context.Context, orgID string, parentType ParentType, parentID string) ([]Alignment, error)
	ReplaceAlignments(ctx context.Context, orgID, childID string, as []Alignment) error
	ParentObjectiveIDs(ctx context.Context, orgID, objectiveID string) ([]string, error)

	CreateKeyResult(ctx context.Context, k *KeyResult) error
	GetKeyResult(ctx context.Context, orgID, id string) (KeyResult, error)
	ListKeyResults(ctx context.Context, orgID string, f KeyResultFilter) ([]KeyResult, error)
	UpdateKeyResult(ctx context.Context, k *KeyResult, expectVersion int) error
	DeleteKeyResult(ctx context.Context, orgID, id string) error

	InsertCheckIn(ctx context.Context, c *CheckIn) error
	GetCheckIn(ctx context.Context, orgID, id string) (CheckIn, error)
	ListCheckIns(ctx context.Context, orgID, keyResultID, before string, limit int) ([]CheckIn, error)
	RecentPoints(ctx context.Context, orgID, keyResultID string, n int) ([]Point, error)

	CreateInitiative(ctx context.Context, in *Initiative) error
	GetInitiative(ctx context.Context, orgID, id string) (Initiative, error)
	ListInitiatives(ctx context.Context, orgID string, f InitiativeFilter) ([]Initiative, error)
	UpdateInitiative(ctx context.Context, in *Initiative, expectVersion int) error
	DeleteInitiative(ctx context.Context, orgID, id string) error

	CreateComment(ctx context.Context, c *Comment) error
	GetComment(ctx context.Context, orgID, id string) (Comment, error)
	ListComments(ctx context.Context, orgID string, st SubjectType, subjectID, after string, limit int) ([]Comment, error)
	DeleteComment(ctx context.Context, orgID, id string) error

	// Rollup is the organization's roll-up graph in this transaction.
	Rollup(orgID string) RollupGraph
}
