package learning_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

// statsLine formats stats for comparison: counts, rates, means ("-" for none), ratings and hours.
func statsLine(s learning.ProgramStats) string {
	f := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprintf("%.4g", *p)
	}
	return fmt.Sprintf("enrolled %d in progress %d completed %d passed %d failed %d withdrawn %d "+
		"completion %.4g pass %.4g score %s rating %s of %d hours %g",
		s.Enrolled, s.InProgress, s.Completed, s.Passed, s.Failed, s.Withdrawn,
		s.CompletionRate, s.PassRate, f(s.MeanScore), f(s.MeanRating), s.Ratings, s.Hours)
}

func rated(e learning.Enrollment, rating int) learning.Enrollment {
	e.Feedback = &learning.LearnerFeedback{Rating: rating, Text: "words"}
	return e
}

func TestProgramAnalytics(t *testing.T) {
	c, f, w, ip, as := learning.Completed, learning.Failed, learning.Withdrawn, learning.InProgress, learning.Assigned
	programs := []learning.Program{
		{ID: "P", Title: "P", Hours: ptr(2.0)},
		{ID: "Q", Title: "Q"},
		{ID: "E", Title: "nobody enrolled"},
	}
	enrollments := []learning.Enrollment{
		enrollment("1", "u1", "P", as, false, -1, -1),
		enrollment("2", "u2", "P", ip, false, -1, 3), // hours of an unfinished enrollment do not count
		rated(enrollment("3", "u3", "P", c, true, 80, 5), 4),
		rated(enrollment("4", "u4", "P", c, true, 60, -1), 5), // P's 2 hours
		enrollment("5", "u5", "P", c, false, 30, -1),          // completed below the pass mark: 2 hours
		rated(enrollment("6", "u6", "P", f, false, 10, 4), 1),
		rated(enrollment("7", "u7", "P", w, false, -1, -1), 2), // a withdrawn learner's rating counts
		enrollment("8", "u8", "P", f, false, -1, -1),
		enrollment("9", "u9", "P", c, true, -1, 1),
		rated(enrollment("10", "u10", "P", ip, false, 50, -1), 0), // no rating; an unfinished score does not count
		enrollment("11", "u1", "Q", c, true, 100, -1),             // Q has no hours
		enrollment("12", "u1", "Z", c, true, 100, 9),              // a program not asked about
	}
	got := learning.ProgramAnalytics(programs, enrollments)
	want := []struct{ id, line string }{
		// completion 4 / (10 − 1); pass 3 / (4 + 2); score (80+60+30+10)/4; rating (4+5+1+2)/4; hours 5+2+2+1.
		{"P", "enrolled 10 in progress 2 completed 4 passed 3 failed 2 withdrawn 1 " +
			"completion 0.4444 pass 0.5 score 45 rating 3 of 4 hours 10"},
		{"Q", "enrolled 1 in progress 0 completed 1 passed 1 failed 0 withdrawn 0 " +
			"completion 1 pass 1 score 100 rating - of 0 hours 0"},
		{"E", "enrolled 0 in progress 0 completed 0 passed 0 failed 0 withdrawn 0 " +
			"completion 0 pass 0 score - rating - of 0 hours 0"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d stats, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].ProgramID != w.id || statsLine(got[i]) != w.line {
			t.Errorf("stats %d: %s %s\n                      want %s %s", i, got[i].ProgramID, statsLine(got[i]), w.id, w.line)
		}
	}

	only := learning.ProgramAnalytics([]learning.Program{{ID: "W"}},
		[]learning.Enrollment{enrollment("1", "u", "W", w, false, -1, -1)})
	if only[0].CompletionRate != 0 || only[0].PassRate != 0 {
		t.Errorf("all withdrawn: completion %v pass %v, want 0 and 0", only[0].CompletionRate, only[0].PassRate)
	}
}

func TestGroupAnalytics(t *testing.T) {
	c, f, w := learning.Completed, learning.Failed, learning.Withdrawn
	groups := map[string][]string{
		"team-b": {"u3"},
		"team-a": {"u1", "u2", "u2"},
		"empty":  nil,
	}
	enrollments := []learning.Enrollment{
		enrollment("1", "u1", "P", c, true, 90, -1), // P's 2 hours
		enrollment("2", "u1", "Q", c, true, -1, 4),
		enrollment("3", "u2", "P", w, false, -1, -1),
		enrollment("4", "u3", "P", f, false, 50, -1),
		enrollment("5", "u4", "P", c, true, 10, 100), // in no group
	}
	programs := map[string]learning.Program{"P": {ID: "P", Hours: ptr(2.0)}, "Q": {ID: "Q"}}
	got := learning.GroupAnalytics(groups, enrollments, programs)
	want := []struct {
		key    string
		people int
		line   string
	}{
		{"empty", 0, "enrolled 0 in progress 0 completed 0 passed 0 failed 0 withdrawn 0 completion 0 pass 0 score - rating - of 0 hours 0"},
		{"team-a", 2, "enrolled 3 in progress 0 completed 2 passed 2 failed 0 withdrawn 1 completion 1 pass 1 score 90 rating - of 0 hours 6"},
		{"team-b", 1, "enrolled 1 in progress 0 completed 0 passed 0 failed 1 withdrawn 0 completion 0 pass 0 score 50 rating - of 0 hours 0"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d groups, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Key != w.key || g.People != w.people || g.ProgramID != "" || statsLine(g.ProgramStats) != w.line {
			t.Errorf("group %d: %s (%d people, program %q) %s\nwant %s (%d people) %s",
				i, g.Key, g.People, g.ProgramID, statsLine(g.ProgramStats), w.key, w.people, w.line)
		}
	}

	// The counts are flattened into the group in JSON, without an empty program id.
	b, err := json.Marshal(got[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"key":"team-a"`, `"people":2`, `"enrolled":3`, `"completion_rate":1`, `"mean_score":90`, `"hours":6`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("JSON %s lacks %s", b, s)
		}
	}
	if strings.Contains(string(b), "program_id") {
		t.Errorf("JSON %s has a program id", b)
	}
}

func TestEnrollmentsBetween(t *testing.T) {
	from := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2027, 1, 31, 23, 59, 59, 0, time.UTC)
	inside := time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC)
	e := func(id string, created time.Time, completed *time.Time) learning.Enrollment {
		return learning.Enrollment{ID: id, Created: created, Completed: completed}
	}
	es := []learning.Enrollment{
		e("completed on the first instant", inside, &from),
		e("created before, completed inside", from.AddDate(0, -2, 0), &inside),
		e("completed on the last instant", inside, &to),
		e("completed a second early", inside, ptr(from.Add(-time.Second))),
		e("created inside, not completed", inside, nil),
		e("created after, not completed", to.Add(time.Second), nil),
		e("created on the first instant, not completed", from, nil),
		e("completed after", inside, ptr(to.Add(time.Second))),
	}
	var got []string
	for _, x := range learning.EnrollmentsBetween(es, from, to) {
		got = append(got, x.ID)
	}
	want := []string{"completed on the first instant", "created before, completed inside", "completed on the last instant",
		"created inside, not completed", "created on the first instant, not completed"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("between\n got %q\nwant %q", got, want)
	}
	if none := learning.EnrollmentsBetween(es, to, from); none == nil || len(none) != 0 {
		t.Errorf("an empty period gives %v, want an empty list", none)
	}
}

func TestCoverage(t *testing.T) {
	scoped := []learning.ScopedRequirement{
		{Requirement: req("r1", "s", 3, 2), People: []string{"a", "b", "c"}},
		{Requirement: req("r2", "t", 2, 1), People: []string{"a"}},
	}
	as := []learning.Assessment{
		assertion("1", "a", "s", 3, learning.SourceManager, "2027-01-10", 0),
		assertion("2", "b", "s", 4, learning.SourceSelf, "2027-02-15", 0),
		assertion("3", "a", "t", 2, learning.SourcePeer, "2026-01-05", 0),
		assertion("4", "c", "s", 3, learning.SourceCertification, "2027-03-20", 0),
		assertion("5", "b", "s", 1, learning.SourceManager, "2027-04-10", 0), // a manager lowers b
	}
	dates := []okr.Date{"2025-06-01", "2026-12-31", "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-10"}
	got := learning.Coverage(scoped, as, dates, 365)
	want := []struct {
		date       okr.Date
		met, seats int
	}{
		{"2025-06-01", 0, 3}, // nothing asserted yet
		{"2026-12-31", 1, 3}, // a at 2 in t (peer, inside the window); nobody in s
		{"2027-01-31", 1, 3}, // a at 3 in s; a's assertion in t is now outside: 1 in t
		{"2027-02-28", 2, 3}, // b at 4 in s: both seats of s
		{"2027-03-31", 2, 3}, // c at 3 too: three people, still two seats
		{"2027-04-10", 2, 3}, // a manager puts b at 1 that day: a and c hold the seats
	}
	if len(got) != len(want) {
		t.Fatalf("%d points, want %d", len(got), len(want))
	}
	for i, w := range want {
		p := got[i]
		if p.Date != w.date || p.Met != w.met || p.Seats != w.seats || !near(p.Share, float64(w.met)/float64(w.seats)) {
			t.Errorf("point %d: %+v, want %s %d/%d", i, p, w.date, w.met, w.seats)
		}
	}

	// On 2027-04-10 with 30 days, a's assertion in s is outside (2), b is at 1, c at 3: one seat of s;
	// a's in t is long outside.
	short := learning.Coverage(scoped, as, []okr.Date{"2027-04-10"}, 30)
	if short[0].Met != 1 || !near(short[0].Share, 1.0/3) {
		t.Errorf("30-day window on 2027-04-10: met %d share %v, want 1 and 1/3", short[0].Met, short[0].Share)
	}

	if empty := learning.Coverage(nil, as, dates[:1], 365); empty[0].Seats != 0 || empty[0].Share != 0 {
		t.Errorf("no requirements: %+v, want no seats and share 0", empty[0])
	}
}

func TestEffectiveness(t *testing.T) {
	enrollments := []learning.Enrollment{
		enrollment("1", "u1", "P", learning.Completed, true, -1, -1),
		enrollment("2", "u2", "P", learning.Completed, false, 20, -1), // completed, not passed
		enrollment("3", "u3", "Q", learning.Completed, true, -1, -1),  // another program
		enrollment("4", "u4", "P", learning.Failed, false, 10, -1),
	}
	krs := []learning.KeyResultPeople{
		{KeyResultID: "k1", Progress: 0.8, People: []string{"u2", "u1"}},
		{KeyResultID: "k2", Progress: 0.6, People: []string{"u1"}},
		{KeyResultID: "k3", Progress: 0.3, People: []string{"u2", "u3"}},
		{KeyResultID: "k4", Progress: 0.5, People: []string{"u4", "u3"}},
		{KeyResultID: "k5", Progress: 0.1},
	}
	group := func(g learning.EffectGroup) string {
		mean := "-"
		if g.MeanProgress != nil {
			mean = fmt.Sprintf("%.4g", *g.MeanProgress)
		}
		return fmt.Sprintf("%d key results, %d people, mean %s", g.KeyResults, g.People, mean)
	}
	tests := []struct {
		name          string
		program       string
		krs           []learning.KeyResultPeople
		with, without string
	}{
		// with: k1, k2 (u1 passed P), people u1 u2, (0.8+0.6)/2; without: k3, k4, k5, people u2 u3 u4, 0.9/3.
		{"split", "P", krs, "2 key results, 2 people, mean 0.7", "3 key results, 3 people, mean 0.3"},
		// Nobody passed R: everything is without.
		{"nobody passed", "R", krs, "0 key results, 0 people, mean -", "5 key results, 4 people, mean 0.46"},
		// u3 passed Q: k3 and k4.
		{"another program", "Q", krs, "2 key results, 3 people, mean 0.4", "3 key results, 2 people, mean 0.5"},
		{"no key results", "P", nil, "0 key results, 0 people, mean -", "0 key results, 0 people, mean -"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := learning.Effectiveness(tt.program, tt.krs, enrollments)
			if e.ProgramID != tt.program || group(e.With) != tt.with || group(e.Without) != tt.without {
				t.Errorf("%s: with %s; without %s\nwant with %s; without %s",
					e.ProgramID, group(e.With), group(e.Without), tt.with, tt.without)
			}
		})
	}
}
