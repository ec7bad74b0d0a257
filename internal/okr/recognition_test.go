package okr_test

import (
	"slices"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/okr"
)

func TestCheckInDiscipline(t *testing.T) {
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return start.AddDate(0, 0, d-1) } // day(1) is January 1
	weekly := okr.Cadence{Days: 7, GraceDays: 3}
	// Cycles start on days 1, 8, 15, 22, 29, 36; cycle i is due on its start + 10 days.
	tests := []struct {
		name       string
		end        time.Time
		c          okr.Cadence
		checkIns   []time.Time
		due, onTim int
	}{
		{"nothing due before the first cycle's grace ends", day(11).Add(-time.Second), weekly, nil, 0, 0},
		{"the first cycle comes due on day 11", day(11), weekly, nil, 1, 0},
		{"on time inside the cycle", day(11), weekly, []time.Time{day(3)}, 1, 1},
		{"on time in the grace days", day(11), weekly, []time.Time{day(10)}, 1, 1},
		// 42 days: cycles 1–5 are due (the 5th on day 39), the 6th (day 46) not yet.
		{"six weeks, every week", day(43), weekly, []time.Time{day(2), day(9), day(16), day(23), day(30)}, 5, 5},
		{"a late check-in counts for one cycle only", day(43), weekly, []time.Time{day(16), day(30)}, 5, 2},
		{"two check-ins in one cycle count once", day(43), weekly, []time.Time{day(2), day(3), day(4)}, 5, 1},
		{"unsorted input", day(43), weekly, []time.Time{day(30), day(2), day(23)}, 5, 3},
		{"monthly", day(91), okr.Cadence{Days: 30, GraceDays: 0}, []time.Time{day(5), day(70)}, 3, 2},
		{"no cadence", day(91), okr.Cadence{}, nil, 0, 0},
	}
	for _, tt := range tests {
		got := okr.CheckInDiscipline(start, tt.end, tt.c, tt.checkIns)
		if got.Due != tt.due || got.OnTime != tt.onTim {
			t.Errorf("%s: due %d on time %d, want %d %d", tt.name, got.Due, got.OnTime, tt.due, tt.onTim)
		}
	}
	if r := (okr.Cycles{}).Rate(); r != nil {
		t.Errorf("rate with nothing due = %v, want nil", *r)
	}
	if r := (okr.Cycles{Due: 4, OnTime: 3}).Rate(); r == nil || *r != 0.75 {
		t.Errorf("rate 3 of 4 = %v, want 0.75", r)
	}
}

func TestLessonMatchAndRank(t *testing.T) {
	older := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	newer := older.Add(time.Hour)
	a := okr.Lesson{ID: "a", Title: "Escalations need an owner", Body: "Name one person.", Tags: []string{"support"}, Created: older}
	b := okr.Lesson{ID: "b", Title: "Weekly demos", Body: "Escalations dropped once we showed work.", Tags: []string{"escalation"}, Created: newer}
	c := okr.Lesson{ID: "c", Title: "Pricing pages", Body: "Test the copy.", Tags: []string{"marketing"}, Created: newer, Helpful: 3}
	for _, tt := range []struct {
		q    string
		l    okr.Lesson
		want int
	}{
		{"", c, 1},
		{"ESCALAT", a, 3},     // a word prefix in the title, any case
		{"escalat", b, 2 + 1}, // in a tag and in the body
		{"escalations owner", a, 3 + 3},
		{"escalations pricing", a, 0}, // every word must match
		{"calat", a, 0},               // prefixes, not infixes
		{"copy", c, 1},
	} {
		if got := okr.LessonMatch(tt.l, okr.Words(tt.q)); got != tt.want {
			t.Errorf("match %q on %s = %d, want %d", tt.q, tt.l.ID, got, tt.want)
		}
	}
	ls := []okr.Lesson{c, b, a}
	score := map[string]int{"a": 3, "b": 3, "c": 1}
	okr.RankLessons(ls, func(l okr.Lesson) int { return score[l.ID] })
	// a and b tie on relevance and votes: the newer first; c has votes but less relevance.
	if ids := []string{ls[0].ID, ls[1].ID, ls[2].ID}; !slices.Equal(ids, []string{"b", "a", "c"}) {
		t.Errorf("ranked %v, want [b a c]", ids)
	}
	okr.RankLessons(ls, func(okr.Lesson) int { return 0 })
	if ids := []string{ls[0].ID, ls[1].ID, ls[2].ID}; !slices.Equal(ids, []string{"c", "b", "a"}) {
		t.Errorf("ranked by votes then recency %v, want [c b a]", ids)
	}
}

func TestNormalizeTagsAndReached(t *testing.T) {
	if got := okr.NormalizeTags([]string{" Onboarding ", "#onboarding", "Customer  care", ""}); !slices.Equal(got, []string{"onboarding", "customer care"}) {
		t.Errorf("tags %q", got)
	}
	for _, tt := range []struct {
		before, after float64
		want          bool
	}{{0.5, 1, true}, {0.99, 1.0, true}, {1, 1, false}, {0.2, 0.9, false}, {1, 0.5, false}} {
		if got := okr.Reached(tt.before, tt.after); got != tt.want {
			t.Errorf("Reached(%v, %v) = %v", tt.before, tt.after, got)
		}
	}
}
