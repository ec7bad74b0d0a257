package web

import (
	"net/http"
	"slices"
	"sort"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// personView is a person's page.
type personView struct {
	S      *Shell
	D      *directory
	Person org.Member
	Teams  []org.Team
	// Objectives the person owns in the period, with their key results.
	Objectives []teamObjective
	// KeyResults the person owns in the period, with their objectives' titles.
	KeyResults []personKR
	// CheckIns are the latest check-ins on the person's key results, newest first.
	CheckIns []personCheckIn
	// LS is the person's mentorships and the feedback the reader may see.
	LS lsPerson
	// Rec is the kudos the person received (recognition.go).
	Rec recPerson
}

type personKR struct {
	K         okr.KeyResult
	Objective string
}

type personCheckIn struct {
	C okr.CheckIn
	K okr.KeyResult
}

// recentCheckIns is how many check-ins a person's page lists.
const recentCheckIns = 8

// person shows who someone is, their teams, what they own in the selected
// period and their latest check-ins.
func (h *Handler) person(w http.ResponseWriter, r *Request) {
	m, err := h.app.GetUser(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, m.Name, "")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s.Crumbs = []Crumb{{Label: "Teams", Href: "/teams"}}
	v := personView{S: s, D: d, Person: m}
	for _, t := range d.Teams {
		if slices.Contains(t.LeadIDs, m.ID) || slices.Contains(t.MemberIDs, m.ID) {
			v.Teams = append(v.Teams, t)
		}
	}
	if s.Period.ID != "" {
		if v.Objectives, err = h.objectivesOf(r, s.Period.ID, okr.OwnerUser, m.ID); err != nil {
			h.fail(w, r, err)
			return
		}
		krs, err := h.keyResultsOf(r, app.KeyResultQuery{PeriodID: s.Period.ID, OwnerID: m.ID})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		titles := map[string]string{}
		for _, o := range v.Objectives {
			titles[o.O.ID] = o.O.Title
		}
		for _, k := range krs {
			if _, ok := titles[k.ObjectiveID]; !ok {
				o, err := h.app.GetObjective(r.Ctx(), r.Actor, k.ObjectiveID)
				if err != nil && !errs.Is(err, errs.NotFound) {
					h.fail(w, r, err)
					return
				}
				titles[k.ObjectiveID] = o.Title
			}
			v.KeyResults = append(v.KeyResults, personKR{K: k, Objective: titles[k.ObjectiveID]})
			page, err := h.app.ListCheckIns(r.Ctx(), r.Actor, k.ID, app.PageRequest{Limit: recentCheckIns})
			if err != nil {
				h.fail(w, r, err)
				return
			}
			for _, c := range page.Items {
				v.CheckIns = append(v.CheckIns, personCheckIn{C: c, K: k})
			}
		}
		sort.SliceStable(v.CheckIns, func(i, j int) bool { return v.CheckIns[i].C.Created.After(v.CheckIns[j].C.Created) })
		v.CheckIns = v.CheckIns[:min(len(v.CheckIns), recentCheckIns)]
	}
	if v.LS, err = h.lsLoadPerson(r, m.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Rec, err = h.recLoadPerson(r, s, m.ID, v.leads()); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r.Request, 0, personPage(v))
}

// isMe reports whether the page shows the signed-in person.
func (v personView) isMe() bool { return v.Person.ID == v.S.Me.User.ID }

func (v personView) subtitle() string {
	s := roleWord(v.Person.Role)
	if !v.Person.Active {
		s += " · deactivated"
	}
	return s
}

func isLead(leads []string, id string) bool { return slices.Contains(leads, id) }
