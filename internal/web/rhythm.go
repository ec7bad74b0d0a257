package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// The inbox: reminders of due check-ins, weekly digests, requests for a
// blocker or a retrospective. Reading a notification marks it read; links
// in its text go to the pages they name.

func (h *Handler) rhythmRoutes() {
	m := h.mux
	m.HandleFunc("GET /inbox", h.signedIn(h.inbox))
	m.HandleFunc("POST /inbox/read-all", h.signedIn(h.inboxReadAll))
	m.HandleFunc("POST /inbox/{id}/read", h.signedIn(h.inboxRead))
	m.HandleFunc("POST /inbox/{id}/open", h.signedIn(h.inboxOpen))
	h.settingsRoutes()
}

// inboxView is the inbox page.
type inboxView struct {
	S      *Shell
	Unread bool // only the unread ones
	Inbox  app.Inbox
	Now    time.Time
	// Next is the link to the older notifications ("" at the end).
	Next string
}

// inboxText is a line of a notification's text: words, some of them links.
type inboxText struct {
	Parts []inboxPart
}

type inboxPart struct {
	Text, Href string
}

// inboxLines cuts a notification's body into lines whose paths ("/…")
// become links to those pages.
func inboxLines(body string) []inboxText {
	var out []inboxText
	for _, line := range strings.Split(body, "\n") {
		var l inboxText
		words := strings.Split(line, " ")
		text := ""
		for i, w := range words {
			if i > 0 {
				text += " "
			}
			if strings.HasPrefix(w, "/") && !strings.HasPrefix(w, "//") && len(w) > 1 {
				if text != "" {
					l.Parts = append(l.Parts, inboxPart{Text: text})
					text = ""
				}
				l.Parts = append(l.Parts, inboxPart{Text: inboxLinkLabel(w), Href: w})
				continue
			}
			text += w
		}
		if text != "" {
			l.Parts = append(l.Parts, inboxPart{Text: text})
		}
		out = append(out, l)
	}
	return out
}

// inboxLinkLabel names the page a path goes to.
func inboxLinkLabel(path string) string {
	switch {
	case path == "/checkin":
		return "check in"
	case path == "/inbox":
		return "inbox"
	case path == "/learning":
		return "my learning"
	case strings.HasPrefix(path, "/objectives/"):
		if strings.Contains(path, "#kr-") {
			return "open the key result"
		}
		return "open the objective"
	case strings.HasPrefix(path, "/teams/"):
		return "team page"
	case strings.HasPrefix(path, "/periods/"):
		return "period review"
	}
	return path
}

// inboxKind names a notification's kind for people.
func inboxKind(kind string) string {
	switch kind {
	case app.NotifyReminder:
		return "Reminder"
	case app.NotifyDigest:
		return "Weekly digest"
	case app.NotifyLeadDigest:
		return "Team digest"
	case app.NotifyBlocker:
		return "Blocker?"
	case app.NotifyRetrospective:
		return "Retrospective"
	}
	return strings.ToUpper(kind[:min(1, len(kind))]) + strings.ReplaceAll(kind[min(1, len(kind)):], "_", " ")
}

func (h *Handler) inbox(w http.ResponseWriter, r *Request) {
	unread := r.URL.Query().Get("unread") != ""
	in, err := h.app.ListNotifications(r.Ctx(), r.Actor, unread, app.PageRequest{Limit: 30, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := h.shell(w, r, "Inbox", "inbox")
	s.Unread = in.Unread
	v := inboxView{S: s, Unread: unread, Inbox: in, Now: time.Now()}
	if in.NextCursor != "" {
		q := url.Values{"cursor": {in.NextCursor}}
		if unread {
			q.Set("unread", "1")
		}
		v.Next = "/inbox?" + q.Encode()
	}
	h.render(w, r.Request, 0, inboxPage(v))
}

// inboxBack is where a form of the inbox returns to: the page it came from
// when that is the inbox, else the inbox.
func inboxBack(r *Request) string {
	if back := r.PostFormValue("back"); strings.HasPrefix(back, "/inbox") {
		return back
	}
	return "/inbox"
}

func (h *Handler) inboxRead(w http.ResponseWriter, r *Request) {
	n, err := h.app.ReadNotification(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, inboxBack(r), "Marked “"+n.Title+"” read.")
}

// inboxOpen marks a notification read and goes to its page.
func (h *Handler) inboxOpen(w http.ResponseWriter, r *Request) {
	n, err := h.app.ReadNotification(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	to := n.Link
	if !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") {
		to = "/inbox"
	}
	h.redirect(w, r.Request, to, "")
}

func (h *Handler) inboxReadAll(w http.ResponseWriter, r *Request) {
	n, err := h.app.ReadAllNotifications(r.Ctx(), r.Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	msg := "Nothing was unread."
	if n > 0 {
		msg = "Marked " + okr.Plural(n, "notification") + " read."
	}
	h.redirect(w, r.Request, "/inbox", msg)
}

// inboxQuery keeps the unread filter on the way back.
func inboxQuery(v inboxView) string {
	if v.Unread {
		return "?unread=1"
	}
	return ""
}
