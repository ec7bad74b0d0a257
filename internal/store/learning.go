package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

var _ learning.Store = (*Tx)(nil)

// instant is a time as both engines keep it: UTC, to the microsecond.
func instant(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func instantPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := instant(*t)
	return &u
}

// idSet returns ids sorted, each once and never nil: how the store keeps sets of ids.
func idSet(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// containing is a LIKE pattern (with ESCAPE '\') for text that contains q, in lower case.
func containing(q string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q)) + "%"
}

// andIn adds "AND col IN (…)" for values to a query; no values add nothing.
func andIn(q string, args []any, col string, values []string) (string, []any) {
	if len(values) == 0 {
		return q, args
	}
	q += ` AND ` + col + ` IN (` + placeholders(len(values)) + `)`
	for _, v := range values {
		args = append(args, v)
	}
	return q, args
}

// ---- scales

const scaleColumns = `id, org_id, name, description, levels, version, created_at, updated_at`

func scanScale(sc interface{ Scan(...any) error }) (learning.Scale, error) {
	var s learning.Scale
	var levels string
	if err := sc.Scan(&s.ID, &s.OrgID, &s.Name, &s.Description, &levels, &s.Version, &s.Created, &s.Updated); err != nil {
		return s, err
	}
	s.Levels = []learning.Level{}
	return s, fromJSON(levels, &s.Levels)
}

// CreateScale inserts a custom scale at version 1.
func (t *Tx) CreateScale(ctx context.Context, s *learning.Scale) error {
	s.Created, s.Updated, s.Version, s.BuiltIn = t.now, t.now, 1, false
	if s.Levels == nil {
		s.Levels = []learning.Level{}
	}
	_, err := t.exec(ctx, "create scale",
		`INSERT INTO scales (id, org_id, name, description, levels, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.OrgID, s.Name, s.Description, toJSON(s.Levels), s.Version, t.now, t.now)
	return err
}

// GetScale returns a custom scale of the organization.
func (t *Tx) GetScale(ctx context.Context, orgID, id string) (learning.Scale, error) {
	s, err := scanScale(t.row(ctx, `SELECT `+scaleColumns+` FROM scales WHERE org_id = ? AND id = ?`, orgID, id))
	return s, t.d.classify(err, "scale "+id)
}

// ListScales returns the organization's custom scales by name.
func (t *Tx) ListScales(ctx context.Context, orgID string) ([]learning.Scale, error) {
	var out []learning.Scale
	err := t.each(ctx, "list scales", `SELECT `+scaleColumns+` FROM scales WHERE org_id = ? ORDER BY name, id`,
		[]any{orgID}, func(r *sql.Rows) error {
			s, err := scanScale(r)
			out = append(out, s)
			return err
		})
	return out, err
}

// UpdateScale stores a custom scale's name, description and levels if its version is still expectVersion.
func (t *Tx) UpdateScale(ctx context.Context, s *learning.Scale, expectVersion int) error {
	if s.Levels == nil {
		s.Levels = []learning.Level{}
	}
	res, err := t.exec(ctx, "update scale "+s.ID,
		`UPDATE scales SET name = ?, description = ?, levels = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		s.Name, s.Description, toJSON(s.Levels), t.now, s.OrgID, s.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "scale "+s.ID, `SELECT 1 FROM scales WHERE org_id = ? AND id = ?`, s.OrgID, s.ID); err != nil {
		return err
	}
	s.Version, s.Updated = expectVersion+1, t.now
	return nil
}

// ---- skills

const skillColumns = `id, org_id, name, description, category, scale_id, framework, COALESCE(uri, ''), version, created_at, updated_at`

func scanSkill(sc interface{ Scan(...any) error }) (learning.Skill, error) {
	var s learning.Skill
	var framework string
	err := sc.Scan(&s.ID, &s.OrgID, &s.Name, &s.Description, &s.Category, &s.ScaleID, &framework, &s.URI, &s.Version, &s.Created, &s.Updated)
	s.Framework = learning.Framework(framework)
	return s, err
}

// skillWhat names a skill being written: by its URI when it has one, the
// only thing of a skill that can be taken.
func skillWhat(s *learning.Skill) string {
	if s.URI != "" {
		return "skill with the URI " + s.URI
	}
	return "skill " + s.ID
}

// CreateSkill inserts a skill; a URI taken in the organization is a Conflict.
func (t *Tx) CreateSkill(ctx context.Context, s *learning.Skill) error {
	s.Created, s.Updated, s.Version = t.now, t.now, 1
	_, err := t.exec(ctx, skillWhat(s),
		`INSERT INTO skills (id, org_id, name, description, category, scale_id, framework, uri, version, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.OrgID, s.Name, s.Description, s.Category, s.ScaleID, string(s.Framework), nullString(s.URI), s.Version, t.now, t.now)
	return err
}

// GetSkill returns a skill of the organization.
func (t *Tx) GetSkill(ctx context.Context, orgID, id string) (learning.Skill, error) {
	s, err := scanSkill(t.row(ctx, `SELECT `+skillColumns+` FROM skills WHERE org_id = ? AND id = ?`, orgID, id))
	return s, t.d.classify(err, "skill "+id)
}

// SkillByURI returns the organization's skill with a framework URI.
func (t *Tx) SkillByURI(ctx context.Context, orgID, uri string) (learning.Skill, error) {
	s, err := scanSkill(t.row(ctx, `SELECT `+skillColumns+` FROM skills WHERE org_id = ? AND uri = ?`, orgID, uri))
	return s, t.d.classify(err, "skill with the URI "+uri)
}

// ListSkills returns the skills matching the filter, by name then id, or by
// id after the cursor when there is one.
func (t *Tx) ListSkills(ctx context.Context, orgID string, f learning.SkillFilter) ([]learning.Skill, error) {
	q := `SELECT ` + skillColumns + ` FROM skills WHERE org_id = ?`
	args := []any{orgID}
	if f.Query != "" {
		q += ` AND (lower(name) LIKE ? ESCAPE '\' OR lower(description) LIKE ? ESCAPE '\')`
		args = append(args, containing(f.Query), containing(f.Query))
	}
	if f.Category != "" {
		q += ` AND category = ?`
		args = append(args, f.Category)
	}
	q, args = andIn(q, args, "id", f.IDs)
	if f.After != "" {
		q += ` AND id > ? ORDER BY id`
		args = append(args, f.After)
	} else {
		q += ` ORDER BY name, id`
	}
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []learning.Skill
	err := t.each(ctx, "list skills", q, args, func(r *sql.Rows) error {
		s, err := scanSkill(r)
		out = append(out, s)
		return err
	})
	return out, err
}

// UpdateSkill stores a skill's fields if its version is still expectVersion.
func (t *Tx) UpdateSkill(ctx context.Context, s *learning.Skill, expectVersion int) error {
	res, err := t.exec(ctx, skillWhat(s),
		`UPDATE skills SET name = ?, description = ?, category = ?, scale_id = ?, framework = ?, uri = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		s.Name, s.Description, s.Category, s.ScaleID, string(s.Framework), nullString(s.URI), t.now, s.OrgID, s.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "skill "+s.ID, `SELECT 1 FROM skills WHERE org_id = ? AND id = ?`, s.OrgID, s.ID); err != nil {
		return err
	}
	s.Version, s.Updated = expectVersion+1, t.now
	return nil
}

// DeleteSkill removes a skill; while anything refers to it, the Conflict
// says what.
func (t *Tx) DeleteSkill(ctx context.Context, orgID, id string) error {
	var reqs, assessments, programs, objectives, mentorships int
	if err := t.get(ctx, "uses of skill "+id,
		`SELECT (SELECT COUNT(*) FROM skill_requirements WHERE org_id = ? AND skill_id = ?),
		        (SELECT COUNT(*) FROM assessments WHERE org_id = ? AND skill_id = ?),
		        (SELECT COUNT(*) FROM program_skills WHERE org_id = ? AND skill_id = ?),
		        (SELECT COUNT(*) FROM learning_objectives WHERE org_id = ? AND skill_id = ?),
		        (SELECT COUNT(*) FROM mentorships WHERE org_id = ? AND skill_id = ?)`,
		[]any{orgID, id, orgID, id, orgID, id, orgID, id, orgID, id},
		&reqs, &assessments, &programs, &objectives, &mentorships); err != nil {
		return err
	}
	var uses []string
	for _, u := range []struct {
		n         int
		one, many string
	}{
		{reqs, "requirement", "requirements"},
		{assessments, "assessment", "assessments"},
		{programs, "program", "programs"},
		{objectives, "learning objective", "learning objectives"},
		{mentorships, "mentorship", "mentorships"},
	} {
		switch {
		case u.n == 1:
			uses = append(uses, "1 "+u.one)
		case u.n > 1:
			uses = append(uses, fmt.Sprintf("%d %s", u.n, u.many))
		}
	}
	if len(uses) > 0 {
		return errs.E(errs.Conflict, "skill %s is still used by %s; remove those first", id, joinAnd(uses))
	}
	err := t.execOne(ctx, "skill "+id, `DELETE FROM skills WHERE org_id = ? AND id = ?`, orgID, id)
	if errs.Is(err, errs.Invalid) { // a foreign key: something refers to it all the same
		return errs.Wrap(errs.Conflict, err, "skill %s is still required, assessed, taught, learned or mentored; remove those first", id)
	}
	return err
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// ---- requirements

const requirementColumns = `id, org_id, subject_type, subject_id, skill_id, level, headcount, essential, version, created_at, updated_at`

func scanRequirement(sc interface{ Scan(...any) error }) (learning.Requirement, error) {
	var r learning.Requirement
	var st string
	err := sc.Scan(&r.ID, &r.OrgID, &st, &r.Subject.ID, &r.SkillID, &r.Level, &r.Headcount, &r.Essential, &r.Version, &r.Created, &r.Updated)
	r.Subject.Type = learning.SubjectType(st)
	return r, err
}

// CreateRequirement inserts a requirement; a subject that already requires
// the skill is a Conflict, an unknown skill Invalid.
func (t *Tx) CreateRequirement(ctx context.Context, r *learning.Requirement) error {
	r.Created, r.Updated, r.Version = t.now, t.now, 1
	_, err := t.exec(ctx, fmt.Sprintf("requirement of skill %s by %s %s", r.SkillID, r.Subject.Type, r.Subject.ID),
		`INSERT INTO skill_requirements (id, org_id, subject_type, subject_id, skill_id, level, headcount, essential, version, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.OrgID, string(r.Subject.Type), r.Subject.ID, r.SkillID, r.Level, r.Headcount, r.Essential, r.Version, t.now, t.now)
	return err
}

// GetRequirement returns a requirement of the organization.
func (t *Tx) GetRequirement(ctx context.Context, orgID, id string) (learning.Requirement, error) {
	r, err := scanRequirement(t.row(ctx, `SELECT `+requirementColumns+` FROM skill_requirements WHERE org_id = ? AND id = ?`, orgID, id))
	return r, t.d.classify(err, "requirement "+id)
}

// ListRequirements returns the requirements matching the filter, by id.
func (t *Tx) ListRequirements(ctx context.Context, orgID string, f learning.RequirementFilter) ([]learning.Requirement, error) {
	q := `SELECT ` + requirementColumns + ` FROM skill_requirements WHERE org_id = ?`
	args := []any{orgID}
	if f.SubjectType != "" {
		q += ` AND subject_type = ?`
		args = append(args, string(f.SubjectType))
	}
	q, args = andIn(q, args, "subject_id", f.SubjectIDs)
	if f.SkillID != "" {
		q += ` AND skill_id = ?`
		args = append(args, f.SkillID)
	}
	var out []learning.Requirement
	err := t.each(ctx, "list requirements", q+` ORDER BY id`, args, func(r *sql.Rows) error {
		req, err := scanRequirement(r)
		out = append(out, req)
		return err
	})
	return out, err
}

// UpdateRequirement stores a requirement's level, headcount and essential
// flag if its version is still expectVersion.
func (t *Tx) UpdateRequirement(ctx context.Context, r *learning.Requirement, expectVersion int) error {
	res, err := t.exec(ctx, "update requirement "+r.ID,
		`UPDATE skill_requirements SET level = ?, headcount = ?, essential = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		r.Level, r.Headcount, r.Essential, t.now, r.OrgID, r.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "requirement "+r.ID, `SELECT 1 FROM skill_requirements WHERE org_id = ? AND id = ?`, r.OrgID, r.ID); err != nil {
		return err
	}
	r.Version, r.Updated = expectVersion+1, t.now
	return nil
}

// DeleteRequirement removes a requirement; the learning objectives that
// closed its gap keep existing without it.
func (t *Tx) DeleteRequirement(ctx context.Context, orgID, id string) error {
	return t.execOne(ctx, "requirement "+id, `DELETE FROM skill_requirements WHERE org_id = ? AND id = ?`, orgID, id)
}

// DeleteRequirementsOf removes every requirement of a subject.
func (t *Tx) DeleteRequirementsOf(ctx context.Context, orgID string, subject learning.Subject) error {
	_, err := t.exec(ctx, fmt.Sprintf("delete requirements of %s %s", subject.Type, subject.ID),
		`DELETE FROM skill_requirements WHERE org_id = ? AND subject_type = ? AND subject_id = ?`,
		orgID, string(subject.Type), subject.ID)
	return err
}

// ---- role profiles

const roleColumns = `id, org_id, name, description, version, created_at, updated_at`

func scanRole(sc interface{ Scan(...any) error }) (learning.RoleProfile, error) {
	var r learning.RoleProfile
	err := sc.Scan(&r.ID, &r.OrgID, &r.Name, &r.Description, &r.Version, &r.Created, &r.Updated)
	r.HolderIDs = []string{}
	return r, err
}

// CreateRole inserts a role profile with its holders (kept sorted, each
// once); a holder who is not a member of the organization is Invalid.
func (t *Tx) CreateRole(ctx context.Context, r *learning.RoleProfile) error {
	r.Created, r.Updated, r.Version = t.now, t.now, 1
	if _, err := t.exec(ctx, "create role profile",
		`INSERT INTO role_profiles (id, org_id, name, description, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.OrgID, r.Name, r.Description, r.Version, t.now, t.now); err != nil {
		return err
	}
	return t.writeRoleHolders(ctx, r)
}

func (t *Tx) writeRoleHolders(ctx context.Context, r *learning.RoleProfile) error {
	r.HolderIDs = idSet(r.HolderIDs)
	if _, err := t.exec(ctx, "role holders", `DELETE FROM role_holders WHERE org_id = ? AND role_id = ?`, r.OrgID, r.ID); err != nil {
		return err
	}
	for _, id := range r.HolderIDs {
		if _, err := t.exec(ctx, "role holder "+id,
			`INSERT INTO role_holders (org_id, role_id, user_id) VALUES (?, ?, ?)`, r.OrgID, r.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// fillRoleHolders sets the holders of roles, all of the organization.
func (t *Tx) fillRoleHolders(ctx context.Context, orgID string, roles []learning.RoleProfile) error {
	if len(roles) == 0 {
		return nil
	}
	idx := make(map[string]int, len(roles))
	args := []any{orgID}
	for i, r := range roles {
		idx[r.ID] = i
		args = append(args, r.ID)
	}
	return t.each(ctx, "role holders",
		`SELECT role_id, user_id FROM role_holders WHERE org_id = ? AND role_id IN (`+placeholders(len(roles))+`) ORDER BY user_id`,
		args, func(r *sql.Rows) error {
			var role, user string
			if err := r.Scan(&role, &user); err != nil {
				return err
			}
			roles[idx[role]].HolderIDs = append(roles[idx[role]].HolderIDs, user)
			return nil
		})
}

// GetRole returns a role profile of the organization with its holders.
func (t *Tx) GetRole(ctx context.Context, orgID, id string) (learning.RoleProfile, error) {
	r, err := scanRole(t.row(ctx, `SELECT `+roleColumns+` FROM role_profiles WHERE org_id = ? AND id = ?`, orgID, id))
	if err != nil {
		return r, t.d.classify(err, "role profile "+id)
	}
	list := []learning.RoleProfile{r}
	err = t.fillRoleHolders(ctx, orgID, list)
	return list[0], err
}

// ListRoles returns the organization's role profiles with their holders, by name.
func (t *Tx) ListRoles(ctx context.Context, orgID string) ([]learning.RoleProfile, error) {
	var out []learning.RoleProfile
	err := t.each(ctx, "list role profiles", `SELECT `+roleColumns+` FROM role_profiles WHERE org_id = ? ORDER BY name, id`,
		[]any{orgID}, func(r *sql.Rows) error {
			role, err := scanRole(r)
			out = append(out, role)
			return err
		})
	if err != nil {
		return nil, err
	}
	return out, t.fillRoleHolders(ctx, orgID, out)
}

// UpdateRole stores a role profile's name, description and holders if its
// version is still expectVersion.
func (t *Tx) UpdateRole(ctx context.Context, r *learning.RoleProfile, expectVersion int) error {
	res, err := t.exec(ctx, "update role profile "+r.ID,
		`UPDATE role_profiles SET name = ?, description = ?, version = version + 1, updated_at = ? WHERE org_id = ? AND id = ? AND version = ?`,
		r.Name, r.Description, t.now, r.OrgID, r.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "role profile "+r.ID, `SELECT 1 FROM role_profiles WHERE org_id = ? AND id = ?`, r.OrgID, r.ID); err != nil {
		return err
	}
	r.Version, r.Updated = expectVersion+1, t.now
	return t.writeRoleHolders(ctx, r)
}

// DeleteRole removes a role profile with its holders and requirements.
func (t *Tx) DeleteRole(ctx context.Context, orgID, id string) error {
	if err := t.DeleteRequirementsOf(ctx, orgID, learning.Subject{Type: learning.SubjectRole, ID: id}); err != nil {
		return err
	}
	return t.execOne(ctx, "role profile "+id, `DELETE FROM role_profiles WHERE org_id = ? AND id = ?`, orgID, id)
}

// RolesOfUser returns the ids of the role profiles a person holds.
func (t *Tx) RolesOfUser(ctx context.Context, orgID, userID string) ([]string, error) {
	out := []string{}
	err := t.each(ctx, "roles of user", `SELECT role_id FROM role_holders WHERE org_id = ? AND user_id = ? ORDER BY role_id`,
		[]any{orgID, userID}, func(r *sql.Rows) error {
			var id string
			err := r.Scan(&id)
			out = append(out, id)
			return err
		})
	return out, err
}

// ---- assessments

const assessmentColumns = `id, org_id, user_id, skill_id, level, source, COALESCE(assessor_id, ''), evidence_note, evidence_url,
	evidence_score, assessed_on, COALESCE(enrollment_id, ''), created_at`

func scanAssessment(sc interface{ Scan(...any) error }) (learning.Assessment, error) {
	var a learning.Assessment
	var source, date string
	var score sql.NullFloat64
	err := sc.Scan(&a.ID, &a.OrgID, &a.UserID, &a.SkillID, &a.Level, &source, &a.AssessorID, &a.Evidence.Note, &a.Evidence.URL,
		&score, &date, &a.EnrollmentID, &a.Created)
	a.Source, a.Date, a.Evidence.Score = learning.Source(source), okr.Date(date), floatPtr(score)
	return a, err
}

// InsertAssessment appends an assessment; an unknown skill or enrollment is Invalid.
func (t *Tx) InsertAssessment(ctx context.Context, a *learning.Assessment) error {
	a.Created = t.now
	_, err := t.exec(ctx, "create assessment of skill "+a.SkillID,
		`INSERT INTO assessments (id, org_id, user_id, skill_id, level, source, assessor_id, evidence_note, evidence_url, evidence_score,
		 assessed_on, enrollment_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.OrgID, a.UserID, a.SkillID, a.Level, string(a.Source), nullString(a.AssessorID), a.Evidence.Note, a.Evidence.URL,
		nullFloat(a.Evidence.Score), string(a.Date), nullString(a.EnrollmentID), t.now)
	return err
}

// GetAssessment returns an assessment of the organization.
func (t *Tx) GetAssessment(ctx context.Context, orgID, id string) (learning.Assessment, error) {
	a, err := scanAssessment(t.row(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE org_id = ? AND id = ?`, orgID, id))
	return a, t.d.classify(err, "assessment "+id)
}

// ListAssessments returns the assessments matching the filter, by date then
// creation, oldest first.
func (t *Tx) ListAssessments(ctx context.Context, orgID string, f learning.AssessmentFilter) ([]learning.Assessment, error) {
	q := `SELECT ` + assessmentColumns + ` FROM assessments WHERE org_id = ?`
	args := []any{orgID}
	q, args = andIn(q, args, "user_id", f.UserIDs)
	q, args = andIn(q, args, "skill_id", f.SkillIDs)
	var out []learning.Assessment
	err := t.each(ctx, "list assessments", q+` ORDER BY assessed_on, created_at, id`, args, func(r *sql.Rows) error {
		a, err := scanAssessment(r)
		out = append(out, a)
		return err
	})
	return out, err
}

// DeleteAssessment removes an assessment of the organization.
func (t *Tx) DeleteAssessment(ctx context.Context, orgID, id string) error {
	return t.execOne(ctx, "assessment "+id, `DELETE FROM assessments WHERE org_id = ? AND id = ?`, orgID, id)
}

// ---- programs

const programColumns = `id, org_id, title, description, kind, provider, COALESCE(external_id, ''), url, hours, cost_amount, cost_currency,
	pass_mark, archived, version, created_at, updated_at`

func scanProgram(sc interface{ Scan(...any) error }) (learning.Program, error) {
	var p learning.Program
	var kind string
	var hours, passMark sql.NullFloat64
	var amount, currency sql.NullString
	err := sc.Scan(&p.ID, &p.OrgID, &p.Title, &p.Description, &kind, &p.Provider, &p.ExternalID, &p.URL, &hours, &amount, &currency,
		&passMark, &p.Archived, &p.Version, &p.Created, &p.Updated)
	p.Kind, p.Hours, p.PassMark = learning.ProgramKind(kind), floatPtr(hours), floatPtr(passMark)
	if amount.Valid {
		p.Cost = &okr.Money{Amount: amount.String, Currency: currency.String}
	}
	p.Skills = []learning.TaughtSkill{}
	return p, err
}

// programWhat names a program being written: by its external id when it has
// one, the only thing of a program that can be taken.
func programWhat(p *learning.Program) string {
	if p.ExternalID != "" {
		return "program with the external id " + p.ExternalID
	}
	return "program " + p.ID
}

// CreateProgram inserts a program with the skills it teaches; an external id
// taken in the organization is a Conflict, an unknown skill Invalid.
func (t *Tx) CreateProgram(ctx context.Context, p *learning.Program) error {
	p.Created, p.Updated, p.Version = t.now, t.now, 1
	amount, currency := budgetArgs(p.Cost)
	if _, err := t.exec(ctx, programWhat(p),
		`INSERT INTO programs (id, org_id, title, description, kind, provider, external_id, url, hours, cost_amount, cost_currency,
		 pass_mark, archived, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.OrgID, p.Title, p.Description, string(p.Kind), p.Provider, nullString(p.ExternalID), p.URL, nullFloat(p.Hours),
		amount, currency, nullFloat(p.PassMark), p.Archived, p.Version, t.now, t.now); err != nil {
		return err
	}
	return t.writeProgramSkills(ctx, p)
}

func (t *Tx) writeProgramSkills(ctx context.Context, p *learning.Program) error {
	if p.Skills == nil {
		p.Skills = []learning.TaughtSkill{}
	}
	if _, err := t.exec(ctx, "program skills", `DELETE FROM program_skills WHERE org_id = ? AND program_id = ?`, p.OrgID, p.ID); err != nil {
		return err
	}
	for i, s := range p.Skills {
		if _, err := t.exec(ctx, "skill "+s.SkillID+" taught by the program",
			`INSERT INTO program_skills (org_id, program_id, skill_id, level, position) VALUES (?, ?, ?, ?, ?)`,
			p.OrgID, p.ID, s.SkillID, s.Level, i); err != nil {
			return err
		}
	}
	return nil
}

// fillProgramSkills sets the taught skills of programs, all of the organization.
func (t *Tx) fillProgramSkills(ctx context.Context, orgID string, list []learning.Program) error {
	if len(list) == 0 {
		return nil
	}
	idx := make(map[string]int, len(list))
	args := []any{orgID}
	for i, p := range list {
		idx[p.ID] = i
		args = append(args, p.ID)
	}
	return t.each(ctx, "program skills",
		`SELECT program_id, skill_id, level FROM program_skills WHERE org_id = ? AND program_id IN (`+placeholders(len(list))+`)
		 ORDER BY program_id, position`,
		args, func(r *sql.Rows) error {
			var pid string
			var s learning.TaughtSkill
			if err := r.Scan(&pid, &s.SkillID, &s.Level); err != nil {
				return err
			}
			list[idx[pid]].Skills = append(list[idx[pid]].Skills, s)
			return nil
		})
}

func (t *Tx) getProgram(ctx context.Context, orgID, what, where string, args ...any) (learning.Program, error) {
	p, err := scanProgram(t.row(ctx, `SELECT `+programColumns+` FROM programs WHERE org_id = ? AND `+where, append([]any{orgID}, args...)...))
	if err != nil {
		return p, t.d.classify(err, what)
	}
	list := []learning.Program{p}
	err = t.fillProgramSkills(ctx, orgID, list)
	return list[0], err
}

// GetProgram returns a program of the organization with the skills it teaches.
func (t *Tx) GetProgram(ctx context.Context, orgID, id string) (learning.Program, error) {
	return t.getProgram(ctx, orgID, "program "+id, `id = ?`, id)
}

// ProgramByExternalID returns the organization's program with an external id.
func (t *Tx) ProgramByExternalID(ctx context.Context, orgID, externalID string) (learning.Program, error) {
	return t.getProgram(ctx, orgID, "program with the external id "+externalID, `external_id = ?`, externalID)
}

// ListPrograms returns the programs matching the filter with the skills they
// teach, by title then id, or by id after the cursor when there is one. A
// query matches titles, descriptions and providers.
func (t *Tx) ListPrograms(ctx context.Context, orgID string, f learning.ProgramFilter) ([]learning.Program, error) {
	q := `SELECT ` + programColumns + ` FROM programs WHERE org_id = ?`
	args := []any{orgID}
	if f.Query != "" {
		q += ` AND (lower(title) LIKE ? ESCAPE '\' OR lower(description) LIKE ? ESCAPE '\' OR lower(provider) LIKE ? ESCAPE '\')`
		args = append(args, containing(f.Query), containing(f.Query), containing(f.Query))
	}
	if f.SkillID != "" {
		q += ` AND id IN (SELECT program_id FROM program_skills WHERE org_id = ? AND skill_id = ?)`
		args = append(args, orgID, f.SkillID)
	}
	if !f.IncludeArchived {
		q += ` AND archived = ?`
		args = append(args, false)
	}
	if f.After != "" {
		q += ` AND id > ? ORDER BY id`
		args = append(args, f.After)
	} else {
		q += ` ORDER BY title, id`
	}
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []learning.Program
	err := t.each(ctx, "list programs", q, args, func(r *sql.Rows) error {
		p, err := scanProgram(r)
		out = append(out, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, t.fillProgramSkills(ctx, orgID, out)
}

// UpdateProgram stores a program's fields and taught skills if its version is
// still expectVersion.
func (t *Tx) UpdateProgram(ctx context.Context, p *learning.Program, expectVersion int) error {
	amount, currency := budgetArgs(p.Cost)
	res, err := t.exec(ctx, programWhat(p),
		`UPDATE programs SET title = ?, description = ?, kind = ?, provider = ?, external_id = ?, url = ?, hours = ?, cost_amount = ?,
		 cost_currency = ?, pass_mark = ?, archived = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		p.Title, p.Description, string(p.Kind), p.Provider, nullString(p.ExternalID), p.URL, nullFloat(p.Hours), amount, currency,
		nullFloat(p.PassMark), p.Archived, t.now, p.OrgID, p.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "program "+p.ID, `SELECT 1 FROM programs WHERE org_id = ? AND id = ?`, p.OrgID, p.ID); err != nil {
		return err
	}
	p.Version, p.Updated = expectVersion+1, t.now
	return t.writeProgramSkills(ctx, p)
}

// ---- learning objectives

const learningObjectiveColumns = `id, org_id, COALESCE(user_id, ''), COALESCE(team_id, ''), skill_id, target_level, due_date,
	COALESCE(requirement_id, ''), COALESCE(objective_id, ''), COALESCE(key_result_id, ''), note, version, created_at, updated_at`

func scanLearningObjective(sc interface{ Scan(...any) error }) (learning.LearningObjective, error) {
	var l learning.LearningObjective
	var due string
	err := sc.Scan(&l.ID, &l.OrgID, &l.UserID, &l.TeamID, &l.SkillID, &l.TargetLevel, &due, &l.RequirementID, &l.ObjectiveID,
		&l.KeyResultID, &l.Note, &l.Version, &l.Created, &l.Updated)
	l.DueDate, l.ProgramIDs = okr.Date(due), []string{}
	return l, err
}

// CreateLearningObjective inserts a learning objective with its programs
// (kept sorted, each once); an unknown skill, program, requirement,
// objective or key result is Invalid.
func (t *Tx) CreateLearningObjective(ctx context.Context, l *learning.LearningObjective) error {
	l.Created, l.Updated, l.Version = t.now, t.now, 1
	if _, err := t.exec(ctx, "create learning objective",
		`INSERT INTO learning_objectives (id, org_id, user_id, team_id, skill_id, target_level, due_date, requirement_id, objective_id,
		 key_result_id, note, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, l.OrgID, nullString(l.UserID), nullString(l.TeamID), l.SkillID, l.TargetLevel, string(l.DueDate), nullString(l.RequirementID),
		nullString(l.ObjectiveID), nullString(l.KeyResultID), l.Note, l.Version, t.now, t.now); err != nil {
		return err
	}
	return t.writeLearningObjectivePrograms(ctx, l)
}

func (t *Tx) writeLearningObjectivePrograms(ctx context.Context, l *learning.LearningObjective) error {
	l.ProgramIDs = idSet(l.ProgramIDs)
	if _, err := t.exec(ctx, "learning objective programs",
		`DELETE FROM learning_objective_programs WHERE org_id = ? AND learning_objective_id = ?`, l.OrgID, l.ID); err != nil {
		return err
	}
	for _, id := range l.ProgramIDs {
		if _, err := t.exec(ctx, "program "+id+" of the learning objective",
			`INSERT INTO learning_objective_programs (org_id, learning_objective_id, program_id) VALUES (?, ?, ?)`, l.OrgID, l.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// fillLearningObjectivePrograms sets the programs of learning objectives, all of the organization.
func (t *Tx) fillLearningObjectivePrograms(ctx context.Context, orgID string, list []learning.LearningObjective) error {
	if len(list) == 0 {
		return nil
	}
	idx := make(map[string]int, len(list))
	args := []any{orgID}
	for i, l := range list {
		idx[l.ID] = i
		args = append(args, l.ID)
	}
	return t.each(ctx, "learning objective programs",
		`SELECT learning_objective_id, program_id FROM learning_objective_programs
		 WHERE org_id = ? AND learning_objective_id IN (`+placeholders(len(list))+`) ORDER BY program_id`,
		args, func(r *sql.Rows) error {
			var lid, pid string
			if err := r.Scan(&lid, &pid); err != nil {
				return err
			}
			list[idx[lid]].ProgramIDs = append(list[idx[lid]].ProgramIDs, pid)
			return nil
		})
}

// GetLearningObjective returns a learning objective of the organization with its programs.
func (t *Tx) GetLearningObjective(ctx context.Context, orgID, id string) (learning.LearningObjective, error) {
	l, err := scanLearningObjective(t.row(ctx, `SELECT `+learningObjectiveColumns+` FROM learning_objectives WHERE org_id = ? AND id = ?`, orgID, id))
	if err != nil {
		return l, t.d.classify(err, "learning objective "+id)
	}
	list := []learning.LearningObjective{l}
	err = t.fillLearningObjectivePrograms(ctx, orgID, list)
	return list[0], err
}

// ListLearningObjectives returns the learning objectives matching the filter, by id.
func (t *Tx) ListLearningObjectives(ctx context.Context, orgID string, f learning.LearningObjectiveFilter) ([]learning.LearningObjective, error) {
	q := `SELECT ` + learningObjectiveColumns + ` FROM learning_objectives WHERE org_id = ?`
	args := []any{orgID}
	for _, c := range []struct{ col, v string }{
		{"user_id", f.UserID}, {"team_id", f.TeamID}, {"objective_id", f.ObjectiveID}, {"key_result_id", f.KeyResultID},
	} {
		if c.v != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	var out []learning.LearningObjective
	err := t.each(ctx, "list learning objectives", q+` ORDER BY id`, args, func(r *sql.Rows) error {
		l, err := scanLearningObjective(r)
		out = append(out, l)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, t.fillLearningObjectivePrograms(ctx, orgID, out)
}

// UpdateLearningObjective stores a learning objective's fields and programs
// if its version is still expectVersion.
func (t *Tx) UpdateLearningObjective(ctx context.Context, l *learning.LearningObjective, expectVersion int) error {
	res, err := t.exec(ctx, "update learning objective "+l.ID,
		`UPDATE learning_objectives SET user_id = ?, team_id = ?, skill_id = ?, target_level = ?, due_date = ?, requirement_id = ?,
		 objective_id = ?, key_result_id = ?, note = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		nullString(l.UserID), nullString(l.TeamID), l.SkillID, l.TargetLevel, string(l.DueDate), nullString(l.RequirementID),
		nullString(l.ObjectiveID), nullString(l.KeyResultID), l.Note, t.now, l.OrgID, l.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "learning objective "+l.ID, `SELECT 1 FROM learning_objectives WHERE org_id = ? AND id = ?`, l.OrgID, l.ID); err != nil {
		return err
	}
	l.Version, l.Updated = expectVersion+1, t.now
	return t.writeLearningObjectivePrograms(ctx, l)
}

// DeleteLearningObjective removes a learning objective; its enrollments keep
// existing without it.
func (t *Tx) DeleteLearningObjective(ctx context.Context, orgID, id string) error {
	return t.execOne(ctx, "learning objective "+id, `DELETE FROM learning_objectives WHERE org_id = ? AND id = ?`, orgID, id)
}

// ---- enrollments

const enrollmentColumns = `id, org_id, user_id, program_id, COALESCE(assigned_by, ''), due_date, status, progress, started_at, completed_at,
	score, passed, hours, feedback_rating, feedback_text, COALESCE(learning_objective_id, ''), version, created_at, updated_at`

func scanEnrollment(sc interface{ Scan(...any) error }) (learning.Enrollment, error) {
	var e learning.Enrollment
	var due, status string
	var started, completed sql.NullTime
	var score, hours sql.NullFloat64
	var passed sql.NullBool
	var rating sql.NullInt64
	var text sql.NullString
	err := sc.Scan(&e.ID, &e.OrgID, &e.UserID, &e.ProgramID, &e.AssignedBy, &due, &status, &e.Progress, &started, &completed,
		&score, &passed, &hours, &rating, &text, &e.LearningObjectiveID, &e.Version, &e.Created, &e.Updated)
	e.DueDate, e.Status = okr.Date(due), learning.EnrollmentStatus(status)
	e.Started, e.Completed, e.Score, e.Hours = timePtr(started), timePtr(completed), floatPtr(score), floatPtr(hours)
	if passed.Valid {
		e.Passed = &passed.Bool
	}
	if rating.Valid {
		e.Feedback = &learning.LearnerFeedback{Rating: int(rating.Int64), Text: text.String}
	}
	return e, err
}

// enrollmentArgs are the values of the columns an enrollment's update writes,
// from assigned_by to learning_objective_id.
func enrollmentArgs(e *learning.Enrollment) []any {
	var passed, rating, text any
	if e.Passed != nil {
		passed = *e.Passed
	}
	if e.Feedback != nil {
		rating, text = e.Feedback.Rating, e.Feedback.Text
	}
	return []any{nullString(e.AssignedBy), string(e.DueDate), string(e.Status), e.Progress, nullTime(e.Started), nullTime(e.Completed),
		nullFloat(e.Score), passed, nullFloat(e.Hours), rating, text, nullString(e.LearningObjectiveID)}
}

// CreateEnrollment inserts an enrollment; an unknown program or learning
// objective is Invalid. Its times are kept in UTC to the microsecond.
func (t *Tx) CreateEnrollment(ctx context.Context, e *learning.Enrollment) error {
	e.Created, e.Updated, e.Version = t.now, t.now, 1
	e.Started, e.Completed = instantPtr(e.Started), instantPtr(e.Completed)
	args := append([]any{e.ID, e.OrgID, e.UserID, e.ProgramID}, enrollmentArgs(e)...)
	_, err := t.exec(ctx, "enrollment in program "+e.ProgramID,
		`INSERT INTO enrollments (id, org_id, user_id, program_id, assigned_by, due_date, status, progress, started_at, completed_at,
		 score, passed, hours, feedback_rating, feedback_text, learning_objective_id, version, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append(args, e.Version, t.now, t.now)...)
	return err
}

// GetEnrollment returns an enrollment of the organization.
func (t *Tx) GetEnrollment(ctx context.Context, orgID, id string) (learning.Enrollment, error) {
	e, err := scanEnrollment(t.row(ctx, `SELECT `+enrollmentColumns+` FROM enrollments WHERE org_id = ? AND id = ?`, orgID, id))
	return e, t.d.classify(err, "enrollment "+id)
}

// LatestEnrollment returns a person's most recently created enrollment in a
// program that is not withdrawn.
func (t *Tx) LatestEnrollment(ctx context.Context, orgID, userID, programID string) (learning.Enrollment, error) {
	e, err := scanEnrollment(t.row(ctx, `SELECT `+enrollmentColumns+` FROM enrollments
		WHERE org_id = ? AND user_id = ? AND program_id = ? AND status <> ? ORDER BY created_at DESC, id DESC LIMIT 1`,
		orgID, userID, programID, string(learning.Withdrawn)))
	return e, t.d.classify(err, fmt.Sprintf("enrollment of %s in program %s", userID, programID))
}

// ListEnrollments returns the enrollments matching the filter, by id after the cursor.
func (t *Tx) ListEnrollments(ctx context.Context, orgID string, f learning.EnrollmentFilter) ([]learning.Enrollment, error) {
	q := `SELECT ` + enrollmentColumns + ` FROM enrollments WHERE org_id = ? AND id > ?`
	args := []any{orgID, f.After}
	q, args = andIn(q, args, "user_id", f.UserIDs)
	if f.ProgramID != "" {
		q += ` AND program_id = ?`
		args = append(args, f.ProgramID)
	}
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	q += ` ORDER BY id`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []learning.Enrollment
	err := t.each(ctx, "list enrollments", q, args, func(r *sql.Rows) error {
		e, err := scanEnrollment(r)
		out = append(out, e)
		return err
	})
	return out, err
}

// UpdateEnrollment stores an enrollment's fields but its person and program
// if its version is still expectVersion. Its times are kept in UTC to the microsecond.
func (t *Tx) UpdateEnrollment(ctx context.Context, e *learning.Enrollment, expectVersion int) error {
	e.Started, e.Completed = instantPtr(e.Started), instantPtr(e.Completed)
	args := append(enrollmentArgs(e), t.now, e.OrgID, e.ID, expectVersion)
	res, err := t.exec(ctx, "update enrollment "+e.ID,
		`UPDATE enrollments SET assigned_by = ?, due_date = ?, status = ?, progress = ?, started_at = ?, completed_at = ?, score = ?,
		 passed = ?, hours = ?, feedback_rating = ?, feedback_text = ?, learning_objective_id = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`, args...)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "enrollment "+e.ID, `SELECT 1 FROM enrollments WHERE org_id = ? AND id = ?`, e.OrgID, e.ID); err != nil {
		return err
	}
	e.Version, e.Updated = expectVersion+1, t.now
	return nil
}

// ---- mentorships

const mentorshipColumns = `id, org_id, mentor_id, mentee_id, COALESCE(skill_id, ''), start_date, end_date, notes, version, created_at, updated_at`

func scanMentorship(sc interface{ Scan(...any) error }) (learning.Mentorship, error) {
	var m learning.Mentorship
	var start, end string
	err := sc.Scan(&m.ID, &m.OrgID, &m.MentorID, &m.MenteeID, &m.SkillID, &start, &end, &m.Notes, &m.Version, &m.Created, &m.Updated)
	m.StartDate, m.EndDate = okr.Date(start), okr.Date(end)
	return m, err
}

// CreateMentorship inserts a mentorship; an unknown skill is Invalid.
func (t *Tx) CreateMentorship(ctx context.Context, m *learning.Mentorship) error {
	m.Created, m.Updated, m.Version = t.now, t.now, 1
	_, err := t.exec(ctx, "create mentorship",
		`INSERT INTO mentorships (id, org_id, mentor_id, mentee_id, skill_id, start_date, end_date, notes, version, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.OrgID, m.MentorID, m.MenteeID, nullString(m.SkillID), string(m.StartDate), string(m.EndDate), m.Notes, m.Version, t.now, t.now)
	return err
}

// GetMentorship returns a mentorship of the organization.
func (t *Tx) GetMentorship(ctx context.Context, orgID, id string) (learning.Mentorship, error) {
	m, err := scanMentorship(t.row(ctx, `SELECT `+mentorshipColumns+` FROM mentorships WHERE org_id = ? AND id = ?`, orgID, id))
	return m, t.d.classify(err, "mentorship "+id)
}

// ListMentorships returns the mentorships matching the filter, by id.
func (t *Tx) ListMentorships(ctx context.Context, orgID string, f learning.MentorshipFilter) ([]learning.Mentorship, error) {
	q := `SELECT ` + mentorshipColumns + ` FROM mentorships WHERE org_id = ?`
	args := []any{orgID}
	if f.UserID != "" {
		q += ` AND (mentor_id = ? OR mentee_id = ?)`
		args = append(args, f.UserID, f.UserID)
	}
	if f.SkillID != "" {
		q += ` AND skill_id = ?`
		args = append(args, f.SkillID)
	}
	var out []learning.Mentorship
	err := t.each(ctx, "list mentorships", q+` ORDER BY id`, args, func(r *sql.Rows) error {
		m, err := scanMentorship(r)
		out = append(out, m)
		return err
	})
	return out, err
}

// UpdateMentorship stores a mentorship's dates and notes if its version is
// still expectVersion.
func (t *Tx) UpdateMentorship(ctx context.Context, m *learning.Mentorship, expectVersion int) error {
	res, err := t.exec(ctx, "update mentorship "+m.ID,
		`UPDATE mentorships SET start_date = ?, end_date = ?, notes = ?, version = version + 1, updated_at = ?
		 WHERE org_id = ? AND id = ? AND version = ?`,
		string(m.StartDate), string(m.EndDate), m.Notes, t.now, m.OrgID, m.ID, expectVersion)
	if err != nil {
		return err
	}
	if err := t.versionChecked(ctx, res, "mentorship "+m.ID, `SELECT 1 FROM mentorships WHERE org_id = ? AND id = ?`, m.OrgID, m.ID); err != nil {
		return err
	}
	m.Version, m.Updated = expectVersion+1, t.now
	return nil
}

// ---- feedback

const feedbackColumns = `id, org_id, from_id, to_id, relation, subject_type, subject_id, body, visibility, created_at`

func scanFeedback(sc interface{ Scan(...any) error }) (learning.Feedback, error) {
	var f learning.Feedback
	var vis string
	err := sc.Scan(&f.ID, &f.OrgID, &f.FromID, &f.ToID, &f.Relation, &f.SubjectType, &f.SubjectID, &f.Body, &vis, &f.Created)
	f.Visibility = learning.FeedbackVisibility(vis)
	return f, err
}

// InsertFeedback appends a piece of feedback; feedback is never changed.
func (t *Tx) InsertFeedback(ctx context.Context, f *learning.Feedback) error {
	f.Created = t.now
	_, err := t.exec(ctx, "create feedback",
		`INSERT INTO feedback (id, org_id, from_id, to_id, relation, subject_type, subject_id, body, visibility, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.OrgID, f.FromID, f.ToID, f.Relation, f.SubjectType, f.SubjectID, f.Body, string(f.Visibility), t.now)
	return err
}

// ListFeedback returns the feedback matching the filter, newest first.
func (t *Tx) ListFeedback(ctx context.Context, orgID string, f learning.FeedbackFilter) ([]learning.Feedback, error) {
	q := `SELECT ` + feedbackColumns + ` FROM feedback WHERE org_id = ?`
	args := []any{orgID}
	for _, c := range []struct{ col, v string }{
		{"to_id", f.ToID}, {"from_id", f.FromID}, {"subject_type", f.SubjectType}, {"subject_id", f.SubjectID},
	} {
		if c.v != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	var out []learning.Feedback
	err := t.each(ctx, "list feedback", q+` ORDER BY created_at DESC, id DESC`, args, func(r *sql.Rows) error {
		fb, err := scanFeedback(r)
		out = append(out, fb)
		return err
	})
	return out, err
}
