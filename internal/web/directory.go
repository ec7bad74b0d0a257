package web

import (
	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// directory knows the names behind the ids a page shows: people and teams of
// the organization, as the signed-in person may see them.
type directory struct {
	people map[string]org.Member
	teams  map[string]org.Team
	// Members and Teams in the order the use cases return them (teams by name).
	Members []org.Member
	Teams   []org.Team
}

// directory loads every member and team of the organization.
func (h *Handler) directory(r *Request) (*directory, error) {
	d := &directory{people: map[string]org.Member{}, teams: map[string]org.Team{}}
	p := app.PageRequest{Limit: 200}
	for {
		page, err := h.app.ListUsers(r.Context(), r.Actor, p)
		if err != nil {
			return nil, err
		}
		for _, m := range page.Items {
			d.people[m.ID] = m
			d.Members = append(d.Members, m)
		}
		if page.NextCursor == "" {
			break
		}
		p.Cursor = page.NextCursor
	}
	p = app.PageRequest{Limit: 200}
	for {
		page, err := h.app.ListTeams(r.Context(), r.Actor, p)
		if err != nil {
			return nil, err
		}
		for _, t := range page.Items {
			d.teams[t.ID] = t
			d.Teams = append(d.Teams, t)
		}
		if page.NextCursor == "" {
			break
		}
		p.Cursor = page.NextCursor
	}
	return d, nil
}

// Person returns a member by id (zero when unknown).
func (d *directory) Person(id string) org.Member { return d.people[id] }

// PersonName is a member's name, or "someone" for an unknown id.
func (d *directory) PersonName(id string) string {
	if m, ok := d.people[id]; ok && m.Name != "" {
		return m.Name
	}
	if id == "" {
		return "nobody"
	}
	return "someone"
}

// Team returns a team by id (zero when unknown).
func (d *directory) Team(id string) org.Team { return d.teams[id] }

// OwnerName names an objective's owner: the organization, a team or a person.
func (d *directory) OwnerName(o okr.Owner, orgName string) string {
	switch o.Type {
	case okr.OwnerTeam:
		if t, ok := d.teams[o.ID]; ok {
			return t.Name
		}
		return "a team"
	case okr.OwnerUser:
		return d.PersonName(o.ID)
	}
	return orgName
}

// OwnerHref links an owner to its page.
func (d *directory) OwnerHref(o okr.Owner) string {
	switch o.Type {
	case okr.OwnerTeam:
		return "/teams/" + o.ID
	case okr.OwnerUser:
		return "/people/" + o.ID
	}
	return "/alignment"
}
