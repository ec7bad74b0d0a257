package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/org"
)

// ---- scales

// ScaleInput creates or replaces a custom proficiency scale.
type ScaleInput struct {
	Name        string           `json:"name"`
	Description string           `json:"description,omitempty"`
	Levels      []learning.Level `json:"levels" doc:"Levels 1..n in order, each with a name and a descriptor."`
}

func validateScale(s *learning.Scale) error {
	var f errs.Fields
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" {
		f.Add("name", "is required")
	}
	for _, p := range learning.ValidateLevels(s.Levels) {
		f.Add("levels", "%s", p)
	}
	return f.Err()
}

// ListScales returns the built-in scales and the organization's own.
func (a *App) ListScales(ctx context.Context, actor org.Actor) ([]learning.Scale, error) {
	if err := requireRead(actor); err != nil {
		return nil, err
	}
	out := learning.BuiltInScales()
	err := a.db.Read(ctx, func(tx Tx) error {
		own, err := tx.ListScales(ctx, actor.OrgID)
		out = append(out, own...)
		return err
	})
	return out, err
}

// CreateScale adds a custom proficiency scale (admin).
func (a *App) CreateScale(ctx context.Context, actor org.Actor, in ScaleInput, idemKey string) (learning.Scale, error) {
	var s learning.Scale
	if err := requireAdmin(actor); err != nil {
		return s, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "scale.create", in, func() (string, error) {
			s = learning.Scale{ID: NewID(), OrgID: actor.OrgID, Name: in.Name, Description: in.Description, Levels: in.Levels}
			if err := validateScale(&s); err != nil {
				return "", err
			}
			if err := tx.CreateScale(ctx, &s); err != nil {
				return "", err
			}
			return s.ID, record(ctx, tx, actor, "scale.create", "scale", s.ID, nil, s)
		})
		if err != nil {
			return err
		}
		s, err = tx.GetScale(ctx, actor.OrgID, id)
		return err
	})
	return s, err
}

// scaleOf returns a skill's scale: built in or the organization's.
func scaleOf(ctx context.Context, tx Tx, orgID, id string) (learning.Scale, error) {
	if s, ok := learning.BuiltInScale(id); ok {
		return s, nil
	}
	return tx.GetScale(ctx, orgID, id)
}

// ---- skills

// SkillInput creates a skill.
type SkillInput struct {
	Name        string             `json:"name"`
	Description string             `json:"description,omitempty"`
	Category    string             `json:"category,omitempty"`
	ScaleID     string             `json:"scale_id,omitempty" doc:"Default okra-default (five levels); sfia for the seven SFIA levels; or a custom scale's id."`
	Framework   learning.Framework `json:"framework,omitempty" enum:"custom,esco,onet,case" doc:"Where the skill comes from; default custom."`
	URI         string             `json:"uri,omitempty" doc:"The skill's URI in its framework; imports update by it."`
}

// SkillUpdate changes a skill; absent fields stay.
type SkillUpdate struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	Category    *string `json:"category,omitempty"`
	ScaleID     *string `json:"scale_id,omitempty"`
}

func validateSkill(ctx context.Context, tx Tx, s *learning.Skill) error {
	var f errs.Fields
	s.Name = strings.TrimSpace(s.Name)
	s.Category = strings.TrimSpace(s.Category)
	s.URI = strings.TrimSpace(s.URI)
	if s.Name == "" {
		f.Add("name", "is required")
	}
	if utf8.RuneCountInString(s.Name) > 200 {
		f.Add("name", "is longer than 200 characters")
	}
	if s.ScaleID == "" {
		s.ScaleID = learning.DefaultScaleID
	}
	if _, err := scaleOf(ctx, tx, s.OrgID, s.ScaleID); errs.Is(err, errs.NotFound) {
		f.Add("scale_id", "no scale %s: use okra-default, sfia or one of the organization's scales", s.ScaleID)
	} else if err != nil {
		return err
	}
	if s.Framework == "" {
		s.Framework = learning.FrameworkCustom
	}
	switch s.Framework {
	case learning.FrameworkCustom, learning.FrameworkESCO, learning.FrameworkONET, learning.FrameworkCASE:
	default:
		f.Add("framework", "must be custom, esco, onet or case")
	}
	if s.Framework != learning.FrameworkCustom && s.URI == "" {
		f.Add("uri", "a skill from a framework needs its URI there, so that re-imports update it")
	}
	return f.Err()
}

func uriTaken(err error, uri string) error {
	if errs.Is(err, errs.Conflict) {
		return &errs.Error{Kind: errs.Conflict, Message: "a skill with this URI exists",
			Fields: []errs.FieldError{{Field: "uri", Message: fmt.Sprintf("%q is already a skill of this organization; update that one", uri)}}}
	}
	return err
}

// CreateSkill adds a skill (admin).
func (a *App) CreateSkill(ctx context.Context, actor org.Actor, in SkillInput, idemKey string) (learning.Skill, error) {
	var s learning.Skill
	if err := requireAdmin(actor); err != nil {
		return s, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "skill.create", in, func() (string, error) {
			s = learning.Skill{ID: NewID(), OrgID: actor.OrgID, Name: in.Name, Description: in.Description,
				Category: in.Category, ScaleID: in.ScaleID, Framework: in.Framework, URI: in.URI}
			if err := validateSkill(ctx, tx, &s); err != nil {
				return "", err
			}
			if err := tx.CreateSkill(ctx, &s); err != nil {
				return "", uriTaken(err, s.URI)
			}
			return s.ID, record(ctx, tx, actor, "skill.create", "skill", s.ID, nil, s)
		})
		if err != nil {
			return err
		}
		s, err = tx.GetSkill(ctx, actor.OrgID, id)
		return err
	})
	return s, err
}

// GetSkill returns a skill.
func (a *App) GetSkill(ctx context.Context, actor org.Actor, id string) (learning.Skill, error) {
	var s learning.Skill
	if err := requireRead(actor); err != nil {
		return s, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		s, err = tx.GetSkill(ctx, actor.OrgID, id)
		return err
	})
	return s, err
}

// SkillQuery filters the skill list.
type SkillQuery struct {
	Query    string
	Category string
	PageRequest
}

// ListSkills lists the organization's skills by id.
func (a *App) ListSkills(ctx context.Context, actor org.Actor, q SkillQuery) (Page[learning.Skill], error) {
	return readPage(ctx, a, actor, q.PageRequest, func(s learning.Skill) string { return s.ID },
		func(tx Tx, after string, limit int) ([]learning.Skill, error) {
			return tx.ListSkills(ctx, actor.OrgID, learning.SkillFilter{Query: q.Query, Category: q.Category, After: after, Limit: limit})
		}, nil)
}

// AllSkills returns every skill of the organization by name (for pickers and pages).
func (a *App) AllSkills(ctx context.Context, actor org.Actor) ([]learning.Skill, error) {
	if err := requireRead(actor); err != nil {
		return nil, err
	}
	var out []learning.Skill
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		out, err = tx.ListSkills(ctx, actor.OrgID, learning.SkillFilter{})
		return err
	})
	return out, err
}

// UpdateSkill changes a skill (admin).
func (a *App) UpdateSkill(ctx context.Context, actor org.Actor, id string, ifMatch *int, in SkillUpdate) (learning.Skill, error) {
	var s learning.Skill
	if err := requireAdmin(actor); err != nil {
		return s, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetSkill(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "skill"); err != nil {
			return err
		}
		s = before
		setIf(&s.Name, in.Name)
		setIf(&s.Description, in.Description)
		setIf(&s.Category, in.Category)
		setIf(&s.ScaleID, in.ScaleID)
		if err := validateSkill(ctx, tx, &s); err != nil {
			return err
		}
		if err := tx.UpdateSkill(ctx, &s, before.Version); err != nil {
			return err
		}
		return record(ctx, tx, actor, "skill.update", "skill", id, before, s)
	})
	return s, err
}

// DeleteSkill removes a skill nothing refers to any more (admin).
func (a *App) DeleteSkill(ctx context.Context, actor org.Actor, id string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetSkill(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteSkill(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "skill.delete", "skill", id, before, nil)
	})
}

// SkillImport is what importing a framework file did, or would do on a dry run.
type SkillImport struct {
	Framework learning.Framework `json:"framework"`
	DryRun    bool               `json:"dry_run"`
	Created   int                `json:"created"`
	Updated   int                `json:"updated"`
	Unchanged int                `json:"unchanged"`
	// Changes lists each new or changed skill (at most 200).
	Changes []SkillChange `json:"changes"`
}

// SkillChange is one skill an import creates or updates.
type SkillChange struct {
	Action string `json:"action" enum:"create,update"`
	URI    string `json:"uri"`
	Name   string `json:"name"`
	// Was is the name before an update that renamed it.
	Was string `json:"was,omitempty"`
}

// maxSkillChanges bounds the changes an import lists.
const maxSkillChanges = 200

// ImportSkills creates and updates skills from a parsed framework file,
// matching on URI: a re-import updates names, descriptions and categories and
// never duplicates. A dry run reports the same and writes nothing (admin).
func (a *App) ImportSkills(ctx context.Context, actor org.Actor, framework learning.Framework, skills []learning.ImportedSkill, scaleID string, dryRun bool) (SkillImport, error) {
	res := SkillImport{Framework: framework, DryRun: dryRun, Changes: []SkillChange{}}
	if err := requireAdmin(actor); err != nil {
		return res, err
	}
	if len(skills) == 0 {
		return res, errs.E(errs.Invalid, "the file holds no skills")
	}
	if scaleID == "" {
		scaleID = learning.DefaultScaleID
	}
	run := a.write
	if dryRun {
		run = func(ctx context.Context, _ string, fn func(Tx) error) error { return a.db.Read(ctx, fn) }
	}
	err := run(ctx, actor.OrgID, func(tx Tx) error {
		if _, err := scaleOf(ctx, tx, actor.OrgID, scaleID); errs.Is(err, errs.NotFound) {
			var f errs.Fields
			f.Add("scale_id", "no scale %s", scaleID)
			return f.Err()
		} else if err != nil {
			return err
		}
		for i, in := range skills {
			old, err := tx.SkillByURI(ctx, actor.OrgID, in.URI)
			switch {
			case errs.Is(err, errs.NotFound):
				s := learning.Skill{ID: NewID(), OrgID: actor.OrgID, Name: in.Name, Description: in.Description,
					Category: in.Category, ScaleID: scaleID, Framework: framework, URI: in.URI}
				if err := validateSkill(ctx, tx, &s); err != nil {
					return inImportedSkill(err, i, in.URI)
				}
				res.Created++
				res.note(SkillChange{Action: "create", URI: s.URI, Name: s.Name})
				if !dryRun {
					if err := tx.CreateSkill(ctx, &s); err != nil {
						return err
					}
				}
			case err != nil:
				return err
			default:
				s := old
				s.Name, s.Description, s.Category = in.Name, in.Description, in.Category
				if err := validateSkill(ctx, tx, &s); err != nil {
					return inImportedSkill(err, i, in.URI)
				}
				if s.Name == old.Name && s.Description == old.Description && s.Category == old.Category {
					res.Unchanged++
					continue
				}
				res.Updated++
				ch := SkillChange{Action: "update", URI: s.URI, Name: s.Name}
				if s.Name != old.Name {
					ch.Was = old.Name
				}
				res.note(ch)
				if !dryRun {
					if err := tx.UpdateSkill(ctx, &s, old.Version); err != nil {
						return err
					}
				}
			}
		}
		if dryRun {
			return nil
		}
		return record(ctx, tx, actor, "skill.import", "skill", "", nil, res)
	})
	return res, err
}

// inImportedSkill says which skill of the file an error is about.
func inImportedSkill(err error, i int, uri string) error {
	var e *errs.Error
	if !errors.As(err, &e) {
		return err
	}
	out := &errs.Error{Kind: e.Kind, Message: fmt.Sprintf("skill %d of the file (%s): %s", i+1, uri, e.Message)}
	for _, fe := range e.Fields {
		out.Fields = append(out.Fields, errs.FieldError{Field: fmt.Sprintf("skills[%d].%s", i, fe.Field),
			Message: fmt.Sprintf("%s (skill %d of the file, %s)", fe.Message, i+1, uri)})
	}
	return out
}

func (r *SkillImport) note(c SkillChange) {
	if len(r.Changes) < maxSkillChanges {
		r.Changes = append(r.Changes, c)
	}
}

// ---- role profiles

// RoleInput creates a role profile.
type RoleInput struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	HolderIDs   []string `json:"holder_ids,omitempty" doc:"The people who hold the role."`
}

// RoleUpdate changes a role profile; absent fields stay.
type RoleUpdate struct {
	Name        *string   `json:"name,omitempty"`
	Description *string   `json:"description,omitempty"`
	HolderIDs   *[]string `json:"holder_ids,omitempty"`
}

func validateRole(ctx context.Context, tx Tx, r *learning.RoleProfile) error {
	var f errs.Fields
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" {
		f.Add("name", "is required")
	}
	r.HolderIDs = nonNil(r.HolderIDs)
	slices.Sort(r.HolderIDs)
	r.HolderIDs = slices.Compact(r.HolderIDs)
	for _, id := range r.HolderIDs {
		if _, err := tx.GetMember(ctx, r.OrgID, id); errs.Is(err, errs.NotFound) {
			f.Add("holder_ids", "no member %s in this organization", id)
		} else if err != nil {
			return err
		}
	}
	return f.Err()
}

// CreateRole adds a role profile (admin).
func (a *App) CreateRole(ctx context.Context, actor org.Actor, in RoleInput, idemKey string) (learning.RoleProfile, error) {
	var r learning.RoleProfile
	if err := requireAdmin(actor); err != nil {
		return r, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		id, err := idempotent(ctx, tx, actor, idemKey, "role.create", in, func() (string, error) {
			r = learning.RoleProfile{ID: NewID(), OrgID: actor.OrgID, Name: in.Name, Description: in.Description,
				HolderIDs: slices.Clone(in.HolderIDs)}
			if err := validateRole(ctx, tx, &r); err != nil {
				return "", err
			}
			if err := tx.CreateRole(ctx, &r); err != nil {
				return "", err
			}
			if err := record(ctx, tx, actor, "role.create", "role", r.ID, nil, r); err != nil {
				return "", err
			}
			_, err := refreshLearning(ctx, tx, actor)
			return r.ID, err
		})
		if err != nil {
			return err
		}
		r, err = tx.GetRole(ctx, actor.OrgID, id)
		return err
	})
	return r, err
}

// GetRole returns a role profile.
func (a *App) GetRole(ctx context.Context, actor org.Actor, id string) (learning.RoleProfile, error) {
	var r learning.RoleProfile
	if err := requireRead(actor); err != nil {
		return r, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		r, err = tx.GetRole(ctx, actor.OrgID, id)
		return err
	})
	return r, err
}

// ListRoles lists the organization's role profiles by id.
func (a *App) ListRoles(ctx context.Context, actor org.Actor, p PageRequest) (Page[learning.RoleProfile], error) {
	return inMemoryPage(ctx, a, actor, p, func(r learning.RoleProfile) string { return r.ID }, func(tx Tx) ([]learning.RoleProfile, error) {
		return tx.ListRoles(ctx, actor.OrgID)
	})
}

// UpdateRole changes a role profile and its holders (admin); learning key
// results counting the role follow.
func (a *App) UpdateRole(ctx context.Context, actor org.Actor, id string, ifMatch *int, in RoleUpdate) (learning.RoleProfile, error) {
	var r learning.RoleProfile
	if err := requireAdmin(actor); err != nil {
		return r, err
	}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetRole(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, before.Version, "role profile"); err != nil {
			return err
		}
		r = before
		setIf(&r.Name, in.Name)
		setIf(&r.Description, in.Description)
		if in.HolderIDs != nil {
			r.HolderIDs = slices.Clone(*in.HolderIDs)
		}
		if err := validateRole(ctx, tx, &r); err != nil {
			return err
		}
		if err := tx.UpdateRole(ctx, &r, before.Version); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "role.update", "role", id, before, r); err != nil {
			return err
		}
		_, err = refreshLearning(ctx, tx, actor)
		return err
	})
	return r, err
}

// DeleteRole removes a role profile with its requirements (admin).
func (a *App) DeleteRole(ctx context.Context, actor org.Actor, id string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		before, err := tx.GetRole(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteRole(ctx, actor.OrgID, id); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "role.delete", "role", id, before, nil); err != nil {
			return err
		}
		_, err = refreshLearning(ctx, tx, actor)
		return err
	})
}
