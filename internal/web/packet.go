package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

// Review packets: a person's period on one printable page (seed 003). The
// route is registered with recognition's (recognition.go).

// recPacketView is a person's review packet page.
type recPacketView struct {
	S *Shell
	D *directory
	P app.ReviewPacket
}

// packet shows a person's review packet for the period picked (?period=).
func (h *Handler) packet(w http.ResponseWriter, r *Request) {
	id := r.PathValue("id")
	s := h.shell(w, r, "Review packet", "")
	periodID := r.URL.Query().Get("period")
	if periodID == "" {
		periodID = s.Period.ID
	}
	p, err := h.app.ReviewPacket(r.Ctx(), r.Actor, id, periodID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s.Title = "Review packet: " + p.Person.Name
	s.Crumbs = []Crumb{{Label: "Teams", Href: "/teams"}, {Label: p.Person.Name, Href: "/people/" + p.Person.ID}}
	h.render(w, r.Request, 0, recPacketPage(recPacketView{S: s, D: d, P: p}))
}

func (v recPacketView) subtitle() string {
	return v.P.Period.Name + " · " + day(v.P.Period.StartDate) + " – " + day(v.P.Period.EndDate)
}

// rateText writes a share as a percentage, or a dash when nothing came due.
func rateText(r *float64) string {
	if r == nil {
		return "—"
	}
	return pct(*r)
}

// scoreText writes a key result's final score, or its progress while the period is open.
func scoreText(k okr.KeyResult) string {
	if k.Score != nil {
		s := "score " + strconv.FormatFloat(k.Score.Final, 'f', 2, 64)
		if k.Score.Adjusted != nil {
			s += " (adjusted from " + strconv.FormatFloat(k.Score.Computed, 'f', 2, 64) + ")"
		}
		return s
	}
	return "progress " + pct(k.Progress)
}

func objectiveScoreText(o okr.Objective) string {
	if o.Score != nil {
		return "score " + strconv.FormatFloat(o.Score.Final, 'f', 2, 64)
	}
	return "progress " + pct(o.Progress)
}

func scoreReason(k okr.KeyResult) string {
	if k.Score != nil && k.Score.Reason != nil {
		return *k.Score.Reason
	}
	return ""
}

func completedOn(s *Shell, e learning.Enrollment) string {
	if e.Completed == nil {
		return ""
	}
	return dateOf(s, *e.Completed)
}

func scoreOf(e learning.Enrollment) string {
	if e.Score == nil {
		return ""
	}
	return "score " + strconv.FormatFloat(*e.Score, 'f', -1, 64)
}

// dateOf writes the day of an instant in the organization's time zone.
func dateOf(s *Shell, t time.Time) string { return t.In(s.Me.Org.Location()).Format("2 Jan 2006") }

// periodHref is the packet of the same person for another period.
func (v recPacketView) periodHref(p okr.Period) string {
	return "/people/" + v.P.Person.ID + "/review?period=" + p.ID
}
