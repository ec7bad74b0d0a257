package okr

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Lesson sources: written at any time, or from a retrospective at a close.
const (
	LessonManual        = "manual"
	LessonRetrospective = "retrospective"
)

// Lesson is something an organization learned, tagged and searchable, so
// that one team's learning reaches the others.
type Lesson struct {
	ID          string   `json:"id"`
	OrgID       string   `json:"-"`
	Title       string   `json:"title"`
	Body        string   `json:"body" doc:"Markdown."`
	Tags        []string `json:"tags"`
	ObjectiveID string   `json:"objective_id,omitempty" doc:"The objective it was learned on; omitted when the reader may not see that objective."`
	SkillIDs    []string `json:"skill_ids"`
	TeamID      string   `json:"team_id,omitempty"`
	PeriodID    string   `json:"period_id,omitempty"`
	AuthorID    string   `json:"author_id"`
	Source      string   `json:"source" enum:"manual,retrospective"`
	// Helpful counts the people who found it helpful; Voted says whether the reader is one.
	Helpful int       `json:"helpful" doc:"How many people found it helpful."`
	Voted   bool      `json:"voted_helpful" doc:"Whether you found it helpful."`
	Version int       `json:"version"`
	Created time.Time `json:"created_at"`
	Updated time.Time `json:"updated_at"`
}

// LessonFilter selects lessons; zero fields match everything.
type LessonFilter struct {
	// ObjectiveIDs selects the lessons learned on any of these objectives.
	ObjectiveIDs []string
	TeamID       string
	AuthorID     string
	// VoterID fills Voted for this person.
	VoterID string
}

// Kudos subjects: what a kudos is about, if anything in particular.
const (
	KudosAboutKeyResult  = "key_result"
	KudosAboutObjective  = "objective"
	KudosAboutEnrollment = "enrollment"
)

// Kudos is recognition from one person to a person or a team.
type Kudos struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"-"`
	FromID      string    `json:"from_id"`
	ToUserID    string    `json:"to_user_id,omitempty"`
	ToTeamID    string    `json:"to_team_id,omitempty"`
	Message     string    `json:"message"`
	SubjectType string    `json:"subject_type,omitempty" enum:"key_result,objective,enrollment"`
	SubjectID   string    `json:"subject_id,omitempty"`
	Created     time.Time `json:"created_at"`
}

// KudosFilter selects kudos, newest first; zero fields match everything.
type KudosFilter struct {
	ToUserID string
	ToTeamID string
	FromID   string
	Before   string // cursor: ids smaller than this
	Limit    int    // 0: no limit
}

// CelebrationKind says what a celebration celebrates.
type CelebrationKind string

// Celebration kinds: achievements recorded by themselves, and kudos.
const (
	KeyResultReached    CelebrationKind = "key_result_reached"
	ObjectiveAchieved   CelebrationKind = "objective_achieved"
	CertificationPassed CelebrationKind = "certification_passed"
	SkillLevelGained    CelebrationKind = "skill_level_gained"
	KudosGiven          CelebrationKind = "kudos"
)

// Celebration is one entry of the celebration feed.
type Celebration struct {
	ID    string          `json:"id"`
	OrgID string          `json:"-"`
	Kind  CelebrationKind `json:"kind" enum:"key_result_reached,objective_achieved,certification_passed,skill_level_gained,kudos"`
	// UserID and TeamID say whom it celebrates (a person, a team, or both empty for the organization).
	UserID string `json:"user_id,omitempty"`
	TeamID string `json:"team_id,omitempty"`
	// ObjectiveID is the objective it concerns: who may not see it does not see the celebration.
	ObjectiveID string `json:"objective_id,omitempty"`
	SubjectType string `json:"subject_type" doc:"key_result, objective, enrollment, skill or kudos."`
	SubjectID   string `json:"subject_id"`
	Title       string `json:"title" doc:"What happened, in words."`
	Detail      string `json:"detail,omitempty" doc:"The kudos message, or what the achievement was."`
	Level       int    `json:"level,omitempty" doc:"For skill_level_gained: the level reached."`
	// ActorID is who set it off: the kudos author, the person who checked in.
	ActorID string `json:"actor_id,omitempty"`
	// DedupeKey makes an achievement celebrated once.
	DedupeKey string    `json:"-"`
	Created   time.Time `json:"created_at"`
}

// CelebrationFilter selects celebrations, newest first; zero fields match everything.
type CelebrationFilter struct {
	UserID string
	TeamID string
	Kind   CelebrationKind
	// Since and Until bound the creation time (Until excluded); zero: unbounded.
	Since, Until time.Time
	Before       string // cursor: ids smaller than this
	Limit        int
}

// RecognitionStore is what lessons, kudos and celebrations need from the
// database, inside one transaction; every method is scoped by the
// organization.
type RecognitionStore interface {
	// CreateLesson inserts a lesson at version 1.
	CreateLesson(ctx context.Context, l *Lesson) error
	// GetLesson returns a lesson of orgID with its helpful count (Voted for voterID);
	// errs.NotFound if it is not in the organization.
	GetLesson(ctx context.Context, orgID, id, voterID string) (Lesson, error)
	// ListLessons returns orgID's lessons matching f, newest first, with their helpful counts.
	ListLessons(ctx context.Context, orgID string, f LessonFilter) ([]Lesson, error)
	// UpdateLesson stores a lesson's title, body, tags, skills, objective, team and period if its version is
	// still expectVersion; errs.PreconditionFailed if stale, errs.NotFound if not in l.OrgID.
	UpdateLesson(ctx context.Context, l *Lesson, expectVersion int) error
	// DeleteLesson removes a lesson of orgID with its votes; errs.NotFound if it is not in the organization.
	DeleteLesson(ctx context.Context, orgID, id string) error
	// VoteLesson records that a person found a lesson helpful; false when they already had.
	VoteLesson(ctx context.Context, orgID, lessonID, userID string) (bool, error)
	// UnvoteLesson withdraws a person's vote; false when there was none.
	UnvoteLesson(ctx context.Context, orgID, lessonID, userID string) (bool, error)

	// InsertKudos appends a kudos (kudos are never changed).
	InsertKudos(ctx context.Context, k *Kudos) error
	// GetKudos returns a kudos of orgID; errs.NotFound if it is not in the organization.
	GetKudos(ctx context.Context, orgID, id string) (Kudos, error)
	// ListKudos returns orgID's kudos matching f, newest first.
	ListKudos(ctx context.Context, orgID string, f KudosFilter) ([]Kudos, error)
	// DeleteKudos removes a kudos of orgID with its celebration; errs.NotFound if it is not in the organization.
	DeleteKudos(ctx context.Context, orgID, id string) error

	// InsertCelebration appends a celebration; false (and nothing written) when one with
	// its dedupe key is already in the organization.
	InsertCelebration(ctx context.Context, c *Celebration) (bool, error)
	// ListCelebrations returns orgID's celebrations matching f, newest first.
	ListCelebrations(ctx context.Context, orgID string, f CelebrationFilter) ([]Celebration, error)
}

// Reached reports whether a change of progress crosses to the target: the
// key result was below 1 and now is at 1.
func Reached(before, after float64) bool { return before < 1 && after >= 1 }

// Words splits text into lower-case words of letters and digits.
func Words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// NormalizeTags trims, lower-cases and de-duplicates tags, in order.
func NormalizeTags(tags []string) []string {
	out := []string{}
	for _, t := range tags {
		t = strings.ToLower(strings.Join(strings.Fields(t), " "))
		t = strings.TrimPrefix(t, "#")
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// LessonMatch scores a lesson against a search's words: every word must
// appear (case-insensitively, as a word prefix) in the title, the tags or
// the body; a word in the title counts 3, in a tag 2, in the body 1. Zero
// means no match; no words match everything with 1.
func LessonMatch(l Lesson, words []string) int {
	if len(words) == 0 {
		return 1
	}
	title, body := Words(l.Title), Words(l.Body)
	var tags []string
	for _, t := range l.Tags {
		tags = append(tags, Words(t)...)
	}
	has := func(ws []string, w string) bool {
		return slices.ContainsFunc(ws, func(x string) bool { return strings.HasPrefix(x, w) })
	}
	score := 0
	for _, w := range words {
		s := 0
		if has(title, w) {
			s += 3
		}
		if has(tags, w) {
			s += 2
		}
		if has(body, w) {
			s++
		}
		if s == 0 {
			return 0
		}
		score += s
	}
	return score
}

// RankLessons orders lessons by a relevance score (higher first), then
// helpful votes, then recency.
func RankLessons(ls []Lesson, score func(Lesson) int) {
	slices.SortStableFunc(ls, func(a, b Lesson) int {
		if c := cmp.Compare(score(b), score(a)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Helpful, a.Helpful); c != 0 {
			return c
		}
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
}

// Cycles is how regularly a key result was checked in: of the cadence
// cycles that have come due, how many had a check-in on time.
type Cycles struct {
	Due    int `json:"due_cycles" doc:"Cadence cycles that have come due (their end plus the grace days has passed)."`
	OnTime int `json:"on_time" doc:"Of those, the cycles with a check-in inside the cycle or its grace days."`
}

// Rate is OnTime ÷ Due, nil when nothing has come due.
func (d Cycles) Rate() *float64 {
	if d.Due == 0 {
		return nil
	}
	r := float64(d.OnTime) / float64(d.Due)
	return &r
}

// CheckInDiscipline counts cadence cycles from start until end: cycle i
// runs from start + (i−1)·cadence to start + i·cadence and comes due when
// its end plus the grace days is at or before end. A due cycle is on time
// when a check-in falls inside it or its grace days; each check-in counts
// for one cycle only (a late one in the grace days does not also count for
// the next cycle).
func CheckInDiscipline(start, end time.Time, c Cadence, checkIns []time.Time) Cycles {
	var d Cycles
	if c.Days <= 0 || !end.After(start) {
		return d
	}
	ts := slices.Clone(checkIns)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	step := time.Duration(c.Days) * 24 * time.Hour
	grace := time.Duration(c.GraceDays) * 24 * time.Hour
	next := 0
	for from := start; !from.Add(step + grace).After(end); from = from.Add(step) {
		d.Due++
		for next < len(ts) && ts[next].Before(from) {
			next++
		}
		if next < len(ts) && ts[next].Before(from.Add(step+grace)) {
			d.OnTime++
			next++
		}
	}
	return d
}
