package app

import (
	"context"
	"slices"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// people resolves the groups that skills and learning are measured over (a
// team with its sub-teams, the holders of a role, an objective's owner, the
// whole organization) to active members, loading teams and members once per
// transaction.
type people struct {
	ctx    context.Context
	tx     Tx
	orgID  string
	teams  map[string]org.Team
	kids   map[string][]string // team id → sub-team ids
	active map[string]bool     // user id → active member
	order  []string            // active members by id
	roles  map[string]learning.RoleProfile
}

func newPeople(ctx context.Context, tx Tx, orgID string) *people {
	return &people{ctx: ctx, tx: tx, orgID: orgID}
}

func (p *people) load() error {
	if p.teams != nil {
		return nil
	}
	ts, err := p.tx.ListTeams(p.ctx, p.orgID)
	if err != nil {
		return err
	}
	ms, err := p.tx.ListMembers(p.ctx, p.orgID, "", 1<<30)
	if err != nil {
		return err
	}
	p.teams, p.kids, p.active = map[string]org.Team{}, map[string][]string{}, map[string]bool{}
	for _, t := range ts {
		p.teams[t.ID] = t
		p.kids[t.ParentID] = append(p.kids[t.ParentID], t.ID)
	}
	for _, m := range ms {
		if m.Active {
			p.active[m.ID] = true
			p.order = append(p.order, m.ID)
		}
	}
	return nil
}

// team returns a team's members and leads and those of its sub-teams, each
// once, active members only, by id; errs.NotFound for an unknown team.
func (p *people) team(id string) ([]string, error) {
	if err := p.load(); err != nil {
		return nil, err
	}
	if _, ok := p.teams[id]; !ok {
		return nil, errs.NotFoundf("team %s: not found", id)
	}
	seen := map[string]bool{}
	var out []string
	visited := map[string]bool{}
	var walk func(string)
	walk = func(tid string) {
		if visited[tid] {
			return
		}
		visited[tid] = true
		t := p.teams[tid]
		for _, u := range slices.Concat(t.LeadIDs, t.MemberIDs) {
			if p.active[u] && !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
		for _, k := range p.kids[tid] {
			walk(k)
		}
	}
	walk(id)
	slices.Sort(out)
	return out, nil
}

// role returns the active holders of a role profile; errs.NotFound for an unknown one.
func (p *people) role(id string) ([]string, error) {
	if err := p.load(); err != nil {
		return nil, err
	}
	if p.roles == nil {
		rs, err := p.tx.ListRoles(p.ctx, p.orgID)
		if err != nil {
			return nil, err
		}
		p.roles = map[string]learning.RoleProfile{}
		for _, r := range rs {
			p.roles[r.ID] = r
		}
	}
	r, ok := p.roles[id]
	if !ok {
		return nil, errs.NotFoundf("role profile %s: not found", id)
	}
	return p.only(r.HolderIDs), nil
}

// only keeps the active members among ids, each once, by id.
func (p *people) only(ids []string) []string {
	out := []string{}
	for _, id := range ids {
		if p.active[id] && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// all returns every active member, by id.
func (p *people) all() ([]string, error) {
	if err := p.load(); err != nil {
		return nil, err
	}
	return p.order, nil
}

// owner returns the people of an objective's owner: the team with its
// sub-teams, the person, or every active member for the organization.
func (p *people) owner(o okr.Owner) ([]string, error) {
	if err := p.load(); err != nil {
		return nil, err
	}
	switch o.Type {
	case okr.OwnerTeam:
		return p.team(o.ID)
	case okr.OwnerUser:
		return p.only([]string{o.ID}), nil
	}
	return p.all()
}

// population resolves a learning measure's population.
func (p *people) population(pop learning.Population) ([]string, error) {
	if err := p.load(); err != nil {
		return nil, err
	}
	switch pop.Type {
	case learning.PopulationTeam:
		return p.team(pop.ID)
	case learning.PopulationRole:
		return p.role(pop.ID)
	}
	return p.only(pop.UserIDs), nil
}

// subject resolves the people a requirement is measured against: a team's
// people, a role's holders, the people of an objective's owner, and for a
// key result the people of its objective's owner, who carry it together.
func (p *people) subject(s learning.Subject) ([]string, error) {
	switch s.Type {
	case learning.SubjectTeam:
		return p.team(s.ID)
	case learning.SubjectRole:
		return p.role(s.ID)
	case learning.SubjectObjective:
		o, err := p.tx.GetObjective(p.ctx, p.orgID, s.ID)
		if err != nil {
			return nil, err
		}
		return p.owner(o.Owner)
	case learning.SubjectKeyResult:
		k, err := p.tx.GetKeyResult(p.ctx, p.orgID, s.ID)
		if err != nil {
			return nil, err
		}
		o, err := p.tx.GetObjective(p.ctx, p.orgID, k.ObjectiveID)
		if err != nil {
			return nil, err
		}
		return p.owner(o.Owner)
	}
	return nil, errs.E(errs.Invalid, "unknown subject type %q", s.Type)
}
