package okr_test

import (
	"testing"
	"time"

	"github.com/okrahq/okra/internal/okr"
)

func TestKRHealth(t *testing.T) {
	now := time.Date(2027, 2, 10, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	day := 24 * time.Hour
	weekly := okr.Cadence{Days: 7, GraceDays: 3} // outdated after 7+3 = 10 days = 240h

	recent := *ago(2 * day) // since: check-ins became due two days ago
	tests := []struct {
		name   string
		closed bool
		last   *time.Time
		status okr.Status
		c      okr.Cadence
		want   okr.Health
		since  *time.Time // default: recent
	}{
		// closed wins over everything, even silence and off track.
		{"closed, never checked in", true, nil, "", weekly, okr.HealthClosed, nil},
		{"closed, long silent and off track", true, ago(100 * day), okr.OffTrack, weekly, okr.HealthClosed, nil},
		{"closed, fresh on track", true, ago(time.Hour), okr.OnTrack, weekly, okr.HealthClosed, nil},

		// never checked in: pending while due for less than the cadence plus grace, whatever status is passed.
		{"never checked in", false, nil, "", weekly, okr.HealthPending, nil},
		{"never checked in ignores status", false, nil, okr.OnTrack, weekly, okr.HealthPending, nil},
		{"never checked in, due exactly 10 days", false, nil, "", weekly, okr.HealthPending, ago(10 * day)},
		{"never checked in, due 10 days and a second", false, nil, "", weekly, okr.HealthOutdated, ago(10*day + time.Second)},
		{"never checked in, not due yet", false, nil, "", weekly, okr.HealthPending, ago(-30 * day)},

		// outdated boundary: 10 days exactly is within the cadence plus grace.
		{"exactly at the boundary", false, ago(10 * day), okr.OnTrack, weekly, okr.HealthOnTrack, nil},
		{"one second past the boundary", false, ago(10*day + time.Second), okr.OnTrack, weekly, okr.HealthOutdated, nil},
		{"outdated beats off track", false, ago(30 * day), okr.OffTrack, weekly, okr.HealthOutdated, nil},
		{"outdated beats at risk", false, ago(11 * day), okr.AtRisk, weekly, okr.HealthOutdated, nil},
		{"cadence only, no grace", false, ago(7*day + time.Second), okr.OnTrack, okr.Cadence{Days: 7}, okr.HealthOutdated, nil},
		{"zero cadence, same instant", false, ago(0), okr.OnTrack, okr.Cadence{}, okr.HealthOnTrack, nil},
		{"zero cadence, a second later", false, ago(time.Second), okr.OnTrack, okr.Cadence{}, okr.HealthOutdated, nil},

		// fresh check-in: its status.
		{"on track", false, ago(day), okr.OnTrack, weekly, okr.HealthOnTrack, nil},
		{"at risk", false, ago(day), okr.AtRisk, weekly, okr.HealthAtRisk, nil},
		{"off track", false, ago(day), okr.OffTrack, weekly, okr.HealthOffTrack, nil},
		{"checked in without status", false, ago(day), "", weekly, okr.HealthPending, nil},
		{"check-in in the future", false, ago(-time.Hour), okr.AtRisk, weekly, okr.HealthAtRisk, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			since := recent
			if tt.since != nil {
				since = *tt.since
			}
			if got := okr.KRHealth(tt.closed, tt.last, tt.status, since, now, tt.c); got != tt.want {
				t.Errorf("KRHealth = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestObjectiveHealth(t *testing.T) {
	const (
		on  = okr.HealthOnTrack
		pe  = okr.HealthPending
		out = okr.HealthOutdated
		ar  = okr.HealthAtRisk
		off = okr.HealthOffTrack
	)
	tests := []struct {
		name   string
		closed bool
		krs    []okr.Health
		want   okr.Health
	}{
		{"closed with off-track key results", true, []okr.Health{off, ar}, okr.HealthClosed},
		{"closed without key results", true, nil, okr.HealthClosed},
		{"no key results", false, nil, pe},
		{"empty key results", false, []okr.Health{}, pe},
		{"all on track", false, []okr.Health{on, on}, on},
		{"one pending keeps it from green", false, []okr.Health{on, pe, on}, pe},
		{"outdated worse than pending", false, []okr.Health{on, pe, out}, out},
		{"at risk worse than outdated", false, []okr.Health{out, ar, on}, ar},
		{"off track worst", false, []okr.Health{ar, off, on, out, pe}, off},
		{"single pending", false, []okr.Health{pe}, pe},
		{"single off track", false, []okr.Health{off}, off},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := okr.ObjectiveHealth(tt.closed, tt.krs); got != tt.want {
				t.Errorf("ObjectiveHealth(%v, %v) = %q, want %q", tt.closed, tt.krs, got, tt.want)
			}
		})
	}
}

// TestObjectiveHealthOrder: the summary does not depend on the order of the
// key results; every pair of the five open healths gives the worse of the two
// in the order off track > at risk > outdated > pending > on track.
func TestObjectiveHealthOrder(t *testing.T) {
	order := []okr.Health{okr.HealthOnTrack, okr.HealthPending, okr.HealthOutdated, okr.HealthAtRisk, okr.HealthOffTrack}
	for i, a := range order {
		for j, b := range order {
			want := order[max(i, j)]
			if got := okr.ObjectiveHealth(false, []okr.Health{a, b}); got != want {
				t.Errorf("ObjectiveHealth(%s, %s) = %q, want %q", a, b, got, want)
			}
		}
	}
}

func TestExpectedProgress(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	utc := func(mo time.Month, d, h, mi, s int) time.Time { return time.Date(2027, mo, d, h, mi, s, 0, time.UTC) }
	// Q1 2027: 31 + 28 + 31 = 90 days = 2160h in UTC, 2027-01-01T00:00 to 2027-04-01T00:00.
	// In Paris the quarter runs from 2027-01-01T00:00+01:00 (2026-12-31T23:00Z) to 2027-04-01T00:00+02:00
	// (2027-03-31T22:00Z): summer time starts on Sunday 2027-03-28, so it lasts 2160h − 1h = 2159h.
	const start, end = okr.Date("2027-01-01"), okr.Date("2027-03-31")
	tests := []struct {
		name       string
		start, end okr.Date
		now        time.Time
		loc        *time.Location
		want       float64
	}{
		{"before start", start, end, time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), time.UTC, 0},
		{"long before start", start, end, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.UTC, 0},
		{"at start", start, end, utc(1, 1, 0, 0, 0), time.UTC, 0},
		{"day 9", start, end, utc(1, 10, 0, 0, 0), time.UTC, 0.1},                        // 9/90
		{"half way", start, end, utc(2, 15, 0, 0, 0), time.UTC, 0.5},                     // (31+14)/90 = 45/90
		{"half way and 12 hours", start, end, utc(2, 15, 12, 0, 0), time.UTC, 45.5 / 90}, // 45.5 days of 90
		{"start of last day", start, end, utc(3, 31, 0, 0, 0), time.UTC, 89.0 / 90},      // the end date counts
		{"noon of last day", start, end, utc(3, 31, 12, 0, 0), time.UTC, 89.5 / 90},
		{"end", start, end, utc(4, 1, 0, 0, 0), time.UTC, 1},
		{"after end", start, end, utc(6, 1, 0, 0, 0), time.UTC, 1},

		{"one-day period at noon", "2027-05-05", "2027-05-05", time.Date(2027, 5, 5, 12, 0, 0, 0, time.UTC), time.UTC, 0.5}, // 12h/24h
		{"end before start", "2027-03-31", "2027-01-01", utc(2, 15, 0, 0, 0), time.UTC, 0},
		{"invalid start", "2027-13-01", end, utc(2, 15, 0, 0, 0), time.UTC, 0},
		{"invalid end", start, "soon", utc(2, 15, 0, 0, 0), time.UTC, 0},

		// Europe/Paris: the period starts at local midnight.
		{"Paris, local midnight", start, end, time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), paris, 0},
		{"Paris, one second before start", start, end, time.Date(2026, 12, 31, 22, 59, 59, 0, time.UTC), paris, 0},
		{"Paris, UTC midnight is 1h in", start, end, utc(1, 1, 0, 0, 0), paris, 1.0 / 2159},                       // 1h of 2159h
		{"Paris, half way", start, end, time.Date(2027, 2, 15, 0, 0, 0, 0, paris), paris, 1080.0 / 2159},          // 45 days = 1080h
		{"Paris, start of last day", start, end, time.Date(2027, 3, 31, 0, 0, 0, 0, paris), paris, 2135.0 / 2159}, // 89 days − 1h (summer time)
		{"Paris, one second before end", start, end, utc(3, 31, 21, 59, 59), paris, (2159*3600 - 1) / (2159 * 3600.0)},
		{"Paris, end at local midnight", start, end, utc(3, 31, 22, 0, 0), paris, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := okr.ExpectedProgress(tt.start, tt.end, tt.now, tt.loc); !near(got, tt.want) {
				t.Errorf("ExpectedProgress(%s, %s, %s, %s) = %v, want %v", tt.start, tt.end, tt.now, tt.loc, got, tt.want)
			}
		})
	}
}

func TestBehind(t *testing.T) {
	tests := []struct {
		name                        string
		expected, actual, threshold float64
		want                        bool
	}{
		{"well behind", 0.5, 0.2, 0.25, true},            // 0.3 > 0.25
		{"exactly at threshold", 0.75, 0.5, 0.25, false}, // 0.25 is not > 0.25
		{"just past threshold", 1, 0.74, 0.25, true},     // 0.26 > 0.25
		{"on pace", 0.5, 0.5, 0.25, false},
		{"ahead", 0.2, 0.9, 0.25, false},
		{"zero threshold, on pace", 0.5, 0.5, 0, false},
		{"zero threshold, a hair behind", 0.5, 0.4999, 0, true},
		{"other threshold", 0.6, 0.45, 0.1, true}, // 0.15 > 0.1
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := okr.Behind(tt.expected, tt.actual, tt.threshold); got != tt.want {
				t.Errorf("Behind(%v, %v, %v) = %v, want %v", tt.expected, tt.actual, tt.threshold, got, tt.want)
			}
		})
	}
}

func TestConfidenceBand(t *testing.T) {
	tests := []struct {
		c    float64
		want string
	}{
		{1, "high"},
		{0.7, "high"},
		{0.6999, "medium"},
		{0.5, "medium"},
		{0.4, "medium"},
		{0.39, "low"},
		{0.3999, "low"},
		{0, "low"},
	}
	for _, tt := range tests {
		if got := okr.ConfidenceBand(tt.c); got != tt.want {
			t.Errorf("ConfidenceBand(%v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}
