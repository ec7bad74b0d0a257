package demo

import (
	"fmt"
	"time"

	"github.com/okrahq/okra/internal/okr"
)

// Rules of the demo's calendar.
const (
	// minElapsedDays: a quarter younger than this at "now" has too little
	// history to show, so the previous quarter is the active one.
	minElapsedDays = 28
	// maxWeeks is the most weekly check-ins written per key result.
	maxWeeks = 8
	// firstCheckInAfterDays: the first check-in falls at least this many days
	// into the quarter, after a few days of work.
	firstCheckInAfterDays = 4
	// checkInSpread: check-ins fall between 09:00 and 09:00 plus this on a slot day.
	checkInSpread = 120 * time.Minute
)

// calendar is where the demo sits in time, in the organization's time zone.
type calendar struct {
	loc *time.Location
	now time.Time

	// year and quarter (1–4) of the active quarter, and its first and last days at midnight.
	year, quarter int
	qStart, qLast time.Time
	next          quarterRef // the quarter after the active one, in planning
	slots         []time.Time
	setupAt       time.Time // when the organization is set up: a few days before the quarter
	initiativesAt time.Time
	commentsAt    time.Time
}

// quarterRef names a quarter of a year.
type quarterRef struct{ year, quarter int }

func (q quarterRef) name() string { return fmt.Sprintf("%d-Q%d", q.year, q.quarter) }

func (q quarterRef) bounds(loc *time.Location) (first, last time.Time) {
	first = time.Date(q.year, time.Month(3*(q.quarter-1)+1), 1, 0, 0, 0, 0, loc)
	return first, first.AddDate(0, 3, -1)
}

func (q quarterRef) prev() quarterRef {
	if q.quarter == 1 {
		return quarterRef{q.year - 1, 4}
	}
	return quarterRef{q.year, q.quarter - 1}
}

func (q quarterRef) following() quarterRef {
	if q.quarter == 4 {
		return quarterRef{q.year + 1, 1}
	}
	return quarterRef{q.year, q.quarter + 1}
}

// newCalendar places the demo around now: the active quarter is the one
// containing now, or the previous one when fewer than minElapsedDays of it
// have passed; check-ins fall on the Mondays (09:00–11:00) of the last
// maxWeeks weeks of it that are over by now.
func newCalendar(now time.Time, loc *time.Location) calendar {
	c := calendar{loc: loc, now: now}
	nl := now.In(loc)
	today := time.Date(nl.Year(), nl.Month(), nl.Day(), 0, 0, 0, 0, loc)
	q := quarterRef{nl.Year(), (int(nl.Month())-1)/3 + 1}
	if first, _ := q.bounds(loc); daysBetween(first, today) < minElapsedDays {
		q = q.prev()
	}
	c.year, c.quarter = q.year, q.quarter
	c.qStart, c.qLast = q.bounds(loc)
	c.next = q.following()

	// The latest Monday whose check-ins and comments (until 12:30) are over by now.
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	if nl.Before(at(monday, 12, 30)) {
		monday = monday.AddDate(0, 0, -7)
	}
	earliest := c.qStart.AddDate(0, 0, firstCheckInAfterDays)
	for m := monday; !m.Before(earliest) && len(c.slots) < maxWeeks; m = m.AddDate(0, 0, -7) {
		c.slots = append([]time.Time{m}, c.slots...)
	}
	c.setupAt = at(c.qStart.AddDate(0, 0, -4), 9, 0)
	c.initiativesAt = at(c.qStart.AddDate(0, 0, 1), 10, 0)
	if len(c.slots) > 0 {
		c.commentsAt = at(c.slots[len(c.slots)-1], 11, 15)
	}
	return c
}

// activeQuarter is the active quarter.
func (c calendar) activeQuarter() quarterRef { return quarterRef{c.year, c.quarter} }

// expected is the share of the active quarter elapsed at t.
func (c calendar) expected(t time.Time) float64 {
	return okr.ExpectedProgress(date(c.qStart), date(c.qLast), t, c.loc)
}

// at returns the wall-clock time h:m on day d (a midnight in its location).
func at(d time.Time, h, m int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, d.Location())
}

func date(t time.Time) okr.Date { return okr.Date(t.Format(okr.DateLayout)) }

// daysBetween counts calendar days from a to b (both midnights in one location).
func daysBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return int(time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC).Sub(time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}
