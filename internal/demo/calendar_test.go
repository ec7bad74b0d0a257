package demo

import (
	"testing"
	"time"
)

// Wherever "now" falls (quarter and year edges, summer time, any hour), the
// calendar leaves enough history for the demo's rules: at least three weekly
// check-ins (a forecast needs three, an outdated key result stops two weeks
// early), the newest fresh enough to be on time, all of them over by now.
func TestCalendarFitsEveryMoment(t *testing.T) {
	loc, err := time.LoadLocation(timeZone)
	if err != nil {
		t.Skipf("no time zone data for %s: %v", timeZone, err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for now := start; now.Before(start.AddDate(3, 0, 0)); now = now.Add(5 * time.Hour) {
		c := newCalendar(now, loc)
		n := len(c.slots)
		if n < 3 || n > maxWeeks {
			t.Fatalf("now %s: %d check-in weeks, want 3..%d", now, n, maxWeeks)
		}
		for i, s := range c.slots {
			if s.Weekday() != time.Monday || s.Hour() != 0 {
				t.Fatalf("now %s: slot %s is not a Monday midnight", now, s)
			}
			if i > 0 && daysBetween(c.slots[i-1], s) != 7 {
				t.Fatalf("now %s: slots %s and %s are not a week apart", now, c.slots[i-1], s)
			}
		}
		first, last := c.slots[0], c.slots[n-1]
		if daysBetween(c.qStart, first) < firstCheckInAfterDays || !c.setupAt.Before(c.qStart) || !c.initiativesAt.Before(at(first, 9, 0)) {
			t.Fatalf("now %s: quarter from %s, set-up %s, initiatives %s, first check-in week %s", now, c.qStart, c.setupAt, c.initiativesAt, first)
		}
		if !at(last, 12, 30).Add(-time.Second).Before(now) || !c.commentsAt.Before(now) {
			t.Fatalf("now %s: the last check-in week %s is not over", now, last)
		}
		// Fresh: within the cadence plus grace (7+3 days) of now, with room to spare.
		if age := now.Sub(at(last, 9, 0)); age > 8*24*time.Hour {
			t.Fatalf("now %s: the newest check-in is %s old", now, age)
		}
		// The active quarter holds now, or precedes it when now's quarter is young.
		nl := now.In(loc)
		own := quarterRef{nl.Year(), (int(nl.Month())-1)/3 + 1}
		ownStart, _ := own.bounds(loc)
		elapsed := daysBetween(ownStart, time.Date(nl.Year(), nl.Month(), nl.Day(), 0, 0, 0, 0, loc))
		switch got := c.activeQuarter(); {
		case got == own && elapsed >= minElapsedDays:
		case got == own.prev() && elapsed < minElapsedDays && c.next == own:
		default:
			t.Fatalf("now %s: active quarter %s (next %s), %d days into %s", now, got.name(), c.next.name(), elapsed, own.name())
		}
	}
}
