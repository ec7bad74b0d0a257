package store

import (
	"context"
	"database/sql"

	"github.com/okrahq/okra/internal/okr"
)

var _ okr.RecognitionStore = (*Tx)(nil)

// ---- lessons

// lessonColumns reads a lesson with its helpful count and whether the voter
// (the first argument) is among the voters.
const lessonColumns = `l.id, l.org_id, l.title, l.body, l.tags, COALESCE(l.objective_id, ''), l.skill_ids,
	COALESCE(l.team_id, ''), COALESCE(l.period_id, ''), l.author_id, l.source, l.version, l.created_at, l.updated_at,
	(SELECT COUNT(*) FROM lesson_votes v WHERE v.org_id = l.org_id AND v.lesson_id = l.id),
	(SELECT COUNT(*) FROM lesson_votes v WHERE v.org_id = l.org_id AND v.lesson_id = l.id AND v.user_id = ?)`

func scanLesson(sc interface{ Scan(...any) error }) (okr.Lesson, error) {
	var l okr.Lesson
	var tags, skills string
	var voted int
	err := sc.Scan(&l.ID, &l.OrgID, &l.Title, &l.Body, &tags, &l.ObjectiveID, &skills, &l.TeamID, &l.PeriodID,
		&l.AuthorID, &l.Source, &l.Version, &l.Created, &l.Updated, &l.Helpful, &voted)
	if err != nil {
		return l, err
	}
	l.Voted = voted > 0
	l.Tags, l.SkillIDs = []string{}, []string{}
	if err := fromJSON(tags, &l.Tags); err != nil {
		return l, err
	}
	return l, fromJSON(skills, &l.SkillIDs)
}

func lessonLists(l *okr.Lesson) {
	if l.Tags == nil {
		l.Tags = []string{}
	}
	if l.SkillIDs == nil {
		l.SkillIDs = []string{}
	}
}

// CreateLesson inserts a lesson at version 1.
func (t *Tx) CreateLesson(ctx context.Context, l *okr.Lesson) error {
	lessonLists(l)
	l.Created, l.Updated, l.Version = t.now, t.now, 1
	_, err := t.exec(ctx, "create lesson",
		`INSERT INTO lessons (id, org_id, title, body, tags, objective_id, skill_ids, team_id, period_id, author_id, source,
		 version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, l.OrgID, l.Title, l.Body, toJSON(l.Tags), nullString(l.ObjectiveID), toJSON(l.SkillIDs), nullString(l.TeamID),
		nullString(l.PeriodID), l.AuthorID, l.Source, l.Version, t.now, t.now)
	return err
}

// GetLesson returns a lesson of the organization with its helpful count.
func (t *Tx) GetLesson(ctx context.Context, orgID, id, voterID string) (okr.Lesson, error) {
	l, err := scanLesson(t.row(ctx, `SELECT `+lessonColumns+` FROM lessons l WHERE l.org_id = ? AND l.id = ?`, voterID, orgID, id))
	return l, t.d.classify(err, "lesson "+id)
}

// ListLessons returns the lessons matching the filter, newest first.
func (t *Tx) ListLessons(ctx context.Context, orgID string, f okr.LessonFilter) ([]okr.Lesson, error) {
	q := `SELECT ` + lessonColumns + ` FROM lessons l WHERE l.org_id = ?`
	args := []any{f.VoterID, orgID}
	if len(f.ObjectiveIDs) > 0 {
		q += ` AND l.objective_id IN (` + placeholders(len(f.ObjectiveIDs)) + `)`
		for _, id := range f.ObjectiveIDs {
			args = append(args, id)
		}
	}
	if f.TeamID != "" {
		q += ` AND l.team_id = ?`
		args = append(args, f.TeamID)
	}
	if f.AuthorID != "" {
		q += ` AND l.author_id = ?`
		args = append(args, f.AuthorID)
	}
	out := []okr.Lesson{}
	err := t.each(ctx, "list lessons", q+` ORDER BY l.created_at DESC, l.id DESC`, args, func(r *sql.Rows) error {
		l, err := scanLesson(r)
		out = append(out, l)
		return err
	})
	return out, err
}

// UpdateLesson stores a lesson's content and links if its version is still expectVersion.
func (t *Tx) UpdateLesson(ctx context.Context, l *okr.Lesson, expectVersion int) error {
	lessonLists(l)
	res, err := t.exec(ctx, "update lesson "+l.ID,
		`UPDATE lessons SET title = ?, body = ?, tags = ?, objective_id = ?, skill_ids = ?, team_id = ?, period_id = ?,
		 version = version + 1, updated_at = ? WHERE org_id = ? AND id = ? AND version = ?`,
		l.Title, l.Body, toJSON(l.Tags), nullString(l.ObjectiveID), toJSON(l.SkillIDs), nullString(l.TeamID), nullString(l.PeriodID),
		t.now, l.OrgID, l.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "lesson "+l.ID, `SELECT 1 FROM lessons WHERE org_id = ? AND id = ?`, l.OrgID, l.ID); err != nil {
		return err
	}
	l.Version, l.Updated = expectVersion+1, t.now
	return nil
}

// DeleteLesson removes a lesson with its votes.
func (t *Tx) DeleteLesson(ctx context.Context, orgID, id string) error {
	if _, err := t.exec(ctx, "delete lesson votes", `DELETE FROM lesson_votes WHERE org_id = ? AND lesson_id = ?`, orgID, id); err != nil {
		return err
	}
	return t.execOne(ctx, "lesson "+id, `DELETE FROM lessons WHERE org_id = ? AND id = ?`, orgID, id)
}

// VoteLesson records a helpful vote once per person.
func (t *Tx) VoteLesson(ctx context.Context, orgID, lessonID, userID string) (bool, error) {
	res, err := t.exec(ctx, "vote lesson "+lessonID,
		`INSERT INTO lesson_votes (org_id, lesson_id, user_id, created_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT (org_id, lesson_id, user_id) DO NOTHING`, orgID, lessonID, userID, t.now)
	return affected(t, res, err, "vote lesson "+lessonID)
}

// UnvoteLesson withdraws a person's helpful vote.
func (t *Tx) UnvoteLesson(ctx context.Context, orgID, lessonID, userID string) (bool, error) {
	res, err := t.exec(ctx, "unvote lesson "+lessonID,
		`DELETE FROM lesson_votes WHERE org_id = ? AND lesson_id = ? AND user_id = ?`, orgID, lessonID, userID)
	return affected(t, res, err, "unvote lesson "+lessonID)
}

// affected reports whether a statement touched a row.
func affected(t *Tx, res sql.Result, err error, what string) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, t.d.classify(err, what)
	}
	return n > 0, nil
}

// ---- kudos

const kudosColumns = `id, org_id, from_id, COALESCE(to_user_id, ''), COALESCE(to_team_id, ''), message, subject_type, subject_id, created_at`

func scanKudos(sc interface{ Scan(...any) error }) (okr.Kudos, error) {
	var k okr.Kudos
	err := sc.Scan(&k.ID, &k.OrgID, &k.FromID, &k.ToUserID, &k.ToTeamID, &k.Message, &k.SubjectType, &k.SubjectID, &k.Created)
	return k, err
}

// InsertKudos appends a kudos.
func (t *Tx) InsertKudos(ctx context.Context, k *okr.Kudos) error {
	k.Created = t.now
	_, err := t.exec(ctx, "create kudos",
		`INSERT INTO kudos (id, org_id, from_id, to_user_id, to_team_id, message, subject_type, subject_id, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.OrgID, k.FromID, nullString(k.ToUserID), nullString(k.ToTeamID), k.Message, k.SubjectType, k.SubjectID, t.now)
	return err
}

// GetKudos returns a kudos of the organization.
func (t *Tx) GetKudos(ctx context.Context, orgID, id string) (okr.Kudos, error) {
	k, err := scanKudos(t.row(ctx, `SELECT `+kudosColumns+` FROM kudos WHERE org_id = ? AND id = ?`, orgID, id))
	return k, t.d.classify(err, "kudos "+id)
}

// ListKudos returns the kudos matching the filter, newest first.
func (t *Tx) ListKudos(ctx context.Context, orgID string, f okr.KudosFilter) ([]okr.Kudos, error) {
	q := `SELECT ` + kudosColumns + ` FROM kudos WHERE org_id = ?`
	args := []any{orgID}
	for _, c := range []struct{ col, v string }{{"to_user_id", f.ToUserID}, {"to_team_id", f.ToTeamID}, {"from_id", f.FromID}} {
		if c.v != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	if f.Before != "" {
		// Keyset on (created_at, id): the rows after the cursor's row, newest first.
		q += ` AND (created_at, id) < (SELECT c.created_at, c.id FROM kudos c WHERE c.org_id = ? AND c.id = ?)`
		args = append(args, orgID, f.Before)
	}
	q += ` ORDER BY created_at DESC, id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	out := []okr.Kudos{}
	err := t.each(ctx, "list kudos", q, args, func(r *sql.Rows) error {
		k, err := scanKudos(r)
		out = append(out, k)
		return err
	})
	return out, err
}

// DeleteKudos removes a kudos with its celebration.
func (t *Tx) DeleteKudos(ctx context.Context, orgID, id string) error {
	if _, err := t.exec(ctx, "delete kudos celebration", `DELETE FROM celebrations WHERE org_id = ? AND subject_type = 'kudos' AND subject_id = ?`, orgID, id); err != nil {
		return err
	}
	return t.execOne(ctx, "kudos "+id, `DELETE FROM kudos WHERE org_id = ? AND id = ?`, orgID, id)
}

// ---- celebrations

const celebrationColumns = `id, org_id, kind, COALESCE(user_id, ''), COALESCE(team_id, ''), COALESCE(objective_id, ''),
	subject_type, subject_id, title, detail, level, COALESCE(actor_id, ''), dedupe_key, created_at`

func scanCelebration(sc interface{ Scan(...any) error }) (okr.Celebration, error) {
	var c okr.Celebration
	var kind string
	err := sc.Scan(&c.ID, &c.OrgID, &kind, &c.UserID, &c.TeamID, &c.ObjectiveID, &c.SubjectType, &c.SubjectID,
		&c.Title, &c.Detail, &c.Level, &c.ActorID, &c.DedupeKey, &c.Created)
	c.Kind = okr.CelebrationKind(kind)
	return c, err
}

// InsertCelebration appends a celebration unless its dedupe key is taken.
func (t *Tx) InsertCelebration(ctx context.Context, c *okr.Celebration) (bool, error) {
	c.Created = t.now
	res, err := t.exec(ctx, "create celebration",
		`INSERT INTO celebrations (id, org_id, kind, user_id, team_id, objective_id, subject_type, subject_id, title, detail,
		 level, actor_id, dedupe_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (org_id, dedupe_key) DO NOTHING`,
		c.ID, c.OrgID, string(c.Kind), nullString(c.UserID), nullString(c.TeamID), nullString(c.ObjectiveID), c.SubjectType,
		c.SubjectID, c.Title, c.Detail, c.Level, nullString(c.ActorID), c.DedupeKey, t.now)
	return affected(t, res, err, "create celebration")
}

// ListCelebrations returns the celebrations matching the filter, newest first.
func (t *Tx) ListCelebrations(ctx context.Context, orgID string, f okr.CelebrationFilter) ([]okr.Celebration, error) {
	q := `SELECT ` + celebrationColumns + ` FROM celebrations WHERE org_id = ?`
	args := []any{orgID}
	for _, c := range []struct{ col, v string }{{"user_id", f.UserID}, {"team_id", f.TeamID}, {"kind", string(f.Kind)}} {
		if c.v != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	if !f.Since.IsZero() {
		q += ` AND created_at >= ?`
		args = append(args, f.Since.UTC())
	}
	if !f.Until.IsZero() {
		q += ` AND created_at < ?`
		args = append(args, f.Until.UTC())
	}
	if f.Before != "" {
		// Keyset on (created_at, id): the rows after the cursor's row, newest first.
		q += ` AND (created_at, id) < (SELECT c.created_at, c.id FROM celebrations c WHERE c.org_id = ? AND c.id = ?)`
		args = append(args, orgID, f.Before)
	}
	q += ` ORDER BY created_at DESC, id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	out := []okr.Celebration{}
	err := t.each(ctx, "list celebrations", q, args, func(r *sql.Rows) error {
		c, err := scanCelebration(r)
		out = append(out, c)
		return err
	})
	return out, err
}
