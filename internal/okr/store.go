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
	// Source selects the key results whose values come from it.
	Source Source
	After  string
	Limit  int
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
	// Slugs returns the slugs in use in a scope, each with its object's id:
	// the objectives of period scope, the key results of objective scope, or
	// the organization's initiatives (scope empty).
	Slugs(ctx context.Context, orgID string, kind SlugKind, scope string) (map[string]string, error)
	// CreatePeriod inserts a period at version 1; errs.Invalid if its parent does not exist.
	CreatePeriod(ctx context.Context, p *Period) error
	// GetPeriod returns a period of orgID; errs.NotFound if it is not in the organization.
	GetPeriod(ctx context.Context, orgID, id string) (Period, error)
	// ListPeriods returns up to limit of orgID's periods, by id after the cursor id.
	ListPeriods(ctx context.Context, orgID, after string, limit int) ([]Period, error)
	// UpdatePeriod stores a period if its version is still expectVersion, then bumps p.Version;
	// errs.PreconditionFailed if stale, errs.NotFound if not in p.OrgID, errs.Invalid for an unknown parent.
	UpdatePeriod(ctx context.Context, p *Period, expectVersion int) error

	// CreateObjective inserts an objective at version 1 with its alignments; errs.Invalid if its
	// period or an aligned parent does not exist.
	CreateObjective(ctx context.Context, o *Objective) error
	// GetObjective returns an objective of orgID with its alignments; errs.NotFound if it is not in the organization.
	GetObjective(ctx context.Context, orgID, id string) (Objective, error)
	// ListObjectives returns orgID's objectives matching f, by id, with their alignments.
	ListObjectives(ctx context.Context, orgID string, f ObjectiveFilter) ([]Objective, error)
	// UpdateObjective stores an objective's fields (not its period, progress, last check-in or alignments) if its
	// version is still expectVersion; errs.PreconditionFailed if stale, errs.NotFound if not in o.OrgID.
	UpdateObjective(ctx context.Context, o *Objective, expectVersion int) error
	// DeleteObjective removes an objective of orgID with its key results, their check-ins, the alignments
	// that involve them and the comments on any of them; errs.NotFound if it is not in the organization.
	DeleteObjective(ctx context.Context, orgID, id string) error
	// TouchObjectiveCheckIn sets an objective's last check-in to now, leaving its version alone;
	// errs.NotFound if it is not in orgID.
	TouchObjectiveCheckIn(ctx context.Context, orgID, objectiveID string) error

	// AlignmentsOfChild returns an objective's alignments to its parents, by id; none (not an error) for an unknown objective.
	AlignmentsOfChild(ctx context.Context, orgID, childID string) ([]Alignment, error)
	// AlignedChildren returns orgID's alignments whose parent is the given objective or key result.
	AlignedChildren(ctx context.Context, orgID string, parentType ParentType, parentID string) ([]Alignment, error)
	// ReplaceAlignments replaces an objective's alignments with as, assigning ids to new ones; errs.NotFound
	// if the objective is not in orgID, errs.Invalid if a parent does not exist.
	ReplaceAlignments(ctx context.Context, orgID, childID string, as []Alignment) error
	// ParentObjectiveIDs returns the ids of the objectives directly above an objective: its parent
	// objectives and the objectives of its parent key results.
	ParentObjectiveIDs(ctx context.Context, orgID, objectiveID string) ([]string, error)

	// CreateKeyResult inserts a key result at version 1; errs.Invalid if its objective does not exist.
	CreateKeyResult(ctx context.Context, k *KeyResult) error
	// GetKeyResult returns a key result of orgID; errs.NotFound if it is not in the organization.
	GetKeyResult(ctx context.Context, orgID, id string) (KeyResult, error)
	// ListKeyResults returns orgID's key results matching f, by id.
	ListKeyResults(ctx context.Context, orgID string, f KeyResultFilter) ([]KeyResult, error)
	// UpdateKeyResult stores all of a key result's fields but its objective, materialized ones included, if its
	// version is still expectVersion; errs.PreconditionFailed if stale, errs.NotFound if not in k.OrgID.
	UpdateKeyResult(ctx context.Context, k *KeyResult, expectVersion int) error
	// DeleteKeyResult removes a key result of orgID with its check-ins, initiative links, the alignments
	// to it and the comments on it and its check-ins; errs.NotFound if it is not in the organization.
	DeleteKeyResult(ctx context.Context, orgID, id string) error

	// InsertCheckIn appends a check-in (check-ins are never changed); errs.Invalid if its key result does not exist.
	InsertCheckIn(ctx context.Context, c *CheckIn) error
	// GetCheckIn returns a check-in of orgID; errs.NotFound if it is not in the organization.
	GetCheckIn(ctx context.Context, orgID, id string) (CheckIn, error)
	// RecentCheckIns returns up to limit of orgID's check-ins on any key result, newest first, before
	// the cursor id ("" for the newest).
	RecentCheckIns(ctx context.Context, orgID, before string, limit int) ([]CheckIn, error)
	// ListCheckIns returns up to limit of a key result's check-ins, newest first, before the cursor id.
	ListCheckIns(ctx context.Context, orgID, keyResultID, before string, limit int) ([]CheckIn, error)
	// RecentPoints returns the time and value of a key result's last n check-ins, oldest first.
	RecentPoints(ctx context.Context, orgID, keyResultID string, n int) ([]Point, error)

	// CreateInitiative inserts an initiative at version 1 with its tasks and key-result links; errs.Invalid
	// if a linked key result does not exist, errs.Conflict if one is listed twice.
	CreateInitiative(ctx context.Context, in *Initiative) error
	// GetInitiative returns an initiative of orgID with its tasks and key-result links; errs.NotFound if it
	// is not in the organization.
	GetInitiative(ctx context.Context, orgID, id string) (Initiative, error)
	// ListInitiatives returns orgID's initiatives matching f, by id, with their tasks and key-result links.
	ListInitiatives(ctx context.Context, orgID string, f InitiativeFilter) ([]Initiative, error)
	// UpdateInitiative stores an initiative with its tasks and links if its version is still expectVersion;
	// errs.PreconditionFailed if stale, errs.NotFound if not in in.OrgID, errs.Invalid for an unknown key result.
	UpdateInitiative(ctx context.Context, in *Initiative, expectVersion int) error
	// DeleteInitiative removes an initiative of orgID with its tasks, key-result links and comments;
	// errs.NotFound if it is not in the organization.
	DeleteInitiative(ctx context.Context, orgID, id string) error

	// CreateComment inserts a comment; whether its subject exists is not checked.
	CreateComment(ctx context.Context, c *Comment) error
	// GetComment returns a comment of orgID; errs.NotFound if it is not in the organization.
	GetComment(ctx context.Context, orgID, id string) (Comment, error)
	// RecentComments returns up to limit of orgID's comments on any subject, newest first, before the
	// cursor id ("" for the newest).
	RecentComments(ctx context.Context, orgID, before string, limit int) ([]Comment, error)
	// ListComments returns up to limit of the comments on a subject of orgID, oldest first, after the cursor id.
	ListComments(ctx context.Context, orgID string, st SubjectType, subjectID, after string, limit int) ([]Comment, error)
	// DeleteComment removes a comment of orgID; errs.NotFound if it is not in the organization.
	DeleteComment(ctx context.Context, orgID, id string) error

	// Rollup is the organization's roll-up graph in this transaction.
	Rollup(orgID string) RollupGraph
}
