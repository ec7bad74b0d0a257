package web

import (
	"net/http"
	"sort"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

// Shell is what every signed-in page shows around its content: the
// organization and its switcher, the navigation, the period picker, the
// person's menu and a message carried over from the last form.
type Shell struct {
	Title  string
	Nav    string // the navigation item this page belongs to
	Crumbs []Crumb
	Me     app.Me
	Orgs   []app.OrgChoice
	// Periods newest first; Period is the one the page shows (zero when the
	// organization has none yet).
	Periods []okr.Period
	Period  okr.Period
	Due     int // key results waiting for the person's check-in
	// LearningDue counts the person's open enrollments overdue or due within a week.
	LearningDue int
	// Unread counts the person's unread notifications (rhythm.go fills it).
	Unread int
	CSRF   string
	Flash  string
	Path   string // the page's path, for the period picker
	assets *assets
	// mine is what MyKeyResults returned for the check-in count, kept for
	// the pages that list those key results.
	mine    []app.MyKeyResult
	mineErr error
	// enrollments are the person's enrollments, read once for the
	// Learning count and kept for the pages that list them.
	enrollments    []learning.Enrollment
	enrollmentsErr error
}

// MyEnrollments returns the person's enrollments, as read once for the
// frame's Learning count.
func (s *Shell) MyEnrollments() ([]learning.Enrollment, error) {
	return s.enrollments, s.enrollmentsErr
}

// MyKeyResults returns the person's key results in active periods, as read
// once for the frame's check-in count.
func (s *Shell) MyKeyResults() ([]app.MyKeyResult, error) { return s.mine, s.mineErr }

// Crumb is one step of a page's breadcrumbs.
type Crumb struct{ Label, Href string }

// Asset is the hashed URL of a static file.
func (s *Shell) Asset(name string) string { return s.assets.URL(name) }

// IsAdmin reports whether the person administers the organization.
func (s *Shell) IsAdmin() bool { return s.Me.Role.IsAdmin() }

// SignedIn is false on the sign-in and error pages shown without a session.
func (s *Shell) SignedIn() bool { return s.Me.User.ID != "" }

// periodCookie remembers the period a person last picked.
const periodCookie = "okra_period"

// shell loads the page frame for a signed-in request. A failure to load a
// part of it leaves that part empty: the page itself still renders.
func (h *Handler) shell(w http.ResponseWriter, r *Request, title, nav string) *Shell {
	s := &Shell{Title: title, Nav: nav, CSRF: r.CSRF, Path: r.URL.Path, assets: h.assets, Flash: h.takeFlash(w, r.Request)}
	ctx := r.Context()
	var err error
	if s.Me, err = h.app.Me(ctx, r.Actor); err != nil {
		h.log.Warn("shell: me", "err", err)
	}
	if s.Orgs, err = h.app.MyOrganizations(ctx, r.Actor); err != nil {
		h.log.Warn("shell: organizations", "err", err)
	}
	if s.Periods, err = h.periods(r); err != nil {
		h.log.Warn("shell: periods", "err", err)
	}
	s.Period = pickPeriod(s.Periods, r.URL.Query().Get("period"), cookieValue(r.Request, periodCookie))
	if q := r.URL.Query().Get("period"); q != "" && q == s.Period.ID {
		http.SetCookie(w, &http.Cookie{Name: periodCookie, Value: q, Path: "/", Secure: h.secure, HttpOnly: true,
			SameSite: http.SameSiteLaxMode, MaxAge: 90 * 24 * 3600})
	}
	if s.Unread, err = h.app.UnreadNotifications(ctx, r.Actor); err != nil {
		h.log.Warn("shell: unread notifications", "err", err)
	}
	s.mine, s.mineErr = h.app.MyKeyResults(ctx, r.Actor)
	for _, m := range s.mine {
		if m.Due {
			s.Due++
		}
	}
	s.enrollments, s.enrollmentsErr = h.lrnEnrollments(r, app.EnrollmentQuery{UserID: r.Actor.UserID})
	if s.enrollmentsErr != nil {
		h.log.Warn("shell: enrollments", "err", s.enrollmentsErr)
	} else {
		soon := okr.Date(time.Now().In(s.Me.Org.Location()).AddDate(0, 0, 7).Format(okr.DateLayout))
		for _, e := range s.enrollments {
			if !e.Done() && e.DueDate != "" && e.DueDate <= soon {
				s.LearningDue++
			}
		}
	}
	return s
}

// bareShell frames a page shown without a session (sign-in, errors).
func (h *Handler) bareShell(title string) *Shell { return &Shell{Title: title, assets: h.assets} }

// periods lists every period of the organization, newest start first.
func (h *Handler) periods(r *Request) ([]okr.Period, error) {
	out, err := everyPage(func(p app.PageRequest) (app.Page[okr.Period], error) {
		return h.app.ListPeriods(r.Context(), r.Actor, p)
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].StartDate > out[j].StartDate })
	return out, nil
}

// pickPeriod chooses the period a page shows: the one asked for, else the
// one last picked, else the active quarter (the active period that ends
// soonest), else the newest.
func pickPeriod(ps []okr.Period, asked, remembered string) okr.Period {
	for _, id := range []string{asked, remembered} {
		for _, p := range ps {
			if id != "" && p.ID == id {
				return p
			}
		}
	}
	var best okr.Period
	for _, p := range ps {
		if p.State == okr.PeriodActive && (best.ID == "" || p.EndDate < best.EndDate) {
			best = p
		}
	}
	if best.ID == "" && len(ps) > 0 {
		best = ps[0]
	}
	return best
}

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}
