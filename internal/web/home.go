package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// homeView is the Home page: where we stand, what needs me, what changed.
type homeView struct {
	S   *Shell
	D   *directory
	Now time.Time
	// Mine are the person's key results in active periods; Due those waiting
	// for a check-in.
	Mine []app.MyKeyResult
	Due  []app.MyKeyResult
	// Objectives are the ones the person or their teams own in the period shown.
	Objectives []okr.Objective
	// Initiatives are the person's open initiatives (Finished counts the others).
	Initiatives []okr.Initiative
	Finished    int
	Activity    []app.Activity
	// Learning is the person's next learning due (learning.go).
	Learning lpDue
	// Celebrations are the latest entries of the celebration feed (recognition.go).
	Celebrations recFeed
}

// homeActivityLimit is how many recent events Home lists.
const homeActivityLimit = 8

// home shows the signed-in person's Home.
func (h *Handler) home(w http.ResponseWriter, r *Request) {
	s := h.shell(w, r, "Home", "home")
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Ctx()
	v := homeView{S: s, D: d, Now: time.Now()}
	if v.Mine, err = s.MyKeyResults(); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, m := range v.Mine {
		if m.Due {
			v.Due = append(v.Due, m)
		}
	}
	if s.Period.ID != "" {
		if v.Objectives, err = h.app.MyObjectives(ctx, r.Actor, s.Period.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	p := app.InitiativeQuery{OwnerID: r.Actor.UserID, PageRequest: app.PageRequest{Limit: 200}}
	for {
		page, err := h.app.ListInitiatives(ctx, r.Actor, p)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, in := range page.Items {
			if in.Status == okr.Done || in.Status == okr.Cancelled {
				v.Finished++
				continue
			}
			v.Initiatives = append(v.Initiatives, in)
		}
		if page.NextCursor == "" {
			break
		}
		p.Cursor = page.NextCursor
	}
	if v.Learning, err = h.lpDueSoon(r, s, 3); err != nil {
		h.log.Warn("home: learning due", "err", err)
	}
	if v.Activity, err = h.app.RecentActivity(ctx, r.Actor, homeActivityLimit); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Celebrations = h.recHomeLoad(r, s, d)
	h.render(w, r.Request, 0, homePage(v))
}

// greeting is the page's subtitle: the person's first name and the period.
func (v homeView) greeting() string {
	name := strings.Fields(v.S.Me.User.Name)
	g := "Welcome back"
	if len(name) > 0 {
		g += ", " + name[0]
	}
	if v.S.Period.ID != "" {
		g += " · " + v.S.Period.Name
	}
	return g
}

// openTasks are an initiative's tasks not done yet.
func homeOpenTasks(in okr.Initiative) []okr.Task {
	var out []okr.Task
	for _, t := range in.Tasks {
		if !t.Done {
			out = append(out, t)
		}
	}
	return out
}

// openTaskCount counts the open tasks of every listed initiative.
func (v homeView) openTaskCount() int {
	n := 0
	for _, in := range v.Initiatives {
		n += len(homeOpenTasks(in))
	}
	return n
}

// onTrack counts the objectives whose health is on track.
func (v homeView) onTrack() int {
	n := 0
	for _, o := range v.Objectives {
		if o.Health == okr.HealthOnTrack {
			n++
		}
	}
	return n
}

func homeKRHref(k okr.KeyResult) templ.SafeURL {
	return templ.SafeURL("/objectives/" + k.ObjectiveID + "#kr-" + k.ID)
}

func homeObjectiveHref(id string) templ.SafeURL { return templ.SafeURL("/objectives/" + id) }

// homeLastCheckIn says when a key result was last checked in.
func homeLastCheckIn(k okr.KeyResult, now time.Time) string {
	if k.LastCheckIn == nil {
		return "never checked in"
	}
	return "checked in " + ago(*k.LastCheckIn, now)
}

// homeChange describes a check-in's value: "40 → 50 customers", or the
// value alone when it did not move.
func homeChange(x app.Activity) string {
	c, k := x.CheckIn, x.KeyResult
	if k == nil || c == nil {
		return ""
	}
	if k.Kind == okr.Milestone {
		return pct(c.Value) + " of milestones"
	}
	if c.Value == c.PreviousValue {
		return krValue(*k, c.Value) + " (unchanged)"
	}
	return krValue(*k, c.PreviousValue) + " → " + krValue(*k, c.Value)
}

// homeSubject is what an activity is about: a key result, else the objective.
func homeSubject(x app.Activity) (string, templ.SafeURL) {
	if x.KeyResult != nil {
		return x.KeyResult.Title, homeKRHref(*x.KeyResult)
	}
	return x.Objective.Title, homeObjectiveHref(x.Objective.ID)
}

// homeDueLabel is the due count in words.
func homeDueLabel(n int) string {
	switch n {
	case 0:
		return "Nothing waits for your check-in"
	case 1:
		return "1 key result waits for your check-in"
	}
	return okr.Plural(n, "key result") + " wait for your check-in"
}
