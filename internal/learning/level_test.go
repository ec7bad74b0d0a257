package learning_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

// assertion builds an assessment; created is a minute of a fixed day, to order
// assertions of the same date.
func assertion(id, user, skill string, level int, src learning.Source, date string, created int) learning.Assessment {
	return learning.Assessment{
		ID: id, UserID: user, SkillID: skill, Level: level, Source: src, Date: okr.Date(date),
		Created: time.Date(2020, 1, 1, 0, created, 0, 0, time.UTC),
	}
}

func TestTrust(t *testing.T) {
	// The order of DESIGN §3: certification = assessment > manager > badge > peer > learning = xapi > self.
	ranks := [][]learning.Source{
		{learning.SourceCertification, learning.SourceAssessment},
		{learning.SourceManager},
		{learning.SourceBadge},
		{learning.SourcePeer},
		{learning.SourceLearning, learning.SourceXAPI},
		{learning.SourceSelf},
		{"rumour"},
	}
	for i, rank := range ranks {
		for _, s := range rank {
			if got, want := learning.Trust(s), learning.Trust(rank[0]); got != want {
				t.Errorf("Trust(%s) = %d, want %d like %s", s, got, want, rank[0])
			}
			if i+1 < len(ranks) {
				next := ranks[i+1][0]
				if learning.Trust(s) <= learning.Trust(next) {
					t.Errorf("Trust(%s) = %d, want more than Trust(%s) = %d", s, learning.Trust(s), next, learning.Trust(next))
				}
			}
		}
	}
	// learning.Sources is most trusted first.
	for i := 1; i < len(learning.Sources); i++ {
		if learning.Trust(learning.Sources[i]) > learning.Trust(learning.Sources[i-1]) {
			t.Errorf("Sources lists %s before the more trusted %s", learning.Sources[i-1], learning.Sources[i])
		}
	}
}

func TestEffectiveLevel(t *testing.T) {
	const today = "2027-03-01" // with the default 365 days, the window starts on 2026-03-01
	a := func(id string, level int, src learning.Source, date string, created int) learning.Assessment {
		return assertion(id, "u", "s", level, src, date, created)
	}
	tests := []struct {
		name    string
		as      []learning.Assessment
		window  int
		today   string // default: today
		level   int
		basis   string // id of the deciding assertion; "" for none
		decayed bool
	}{
		{"no assertion", nil, 0, "", 0, "", false},
		{"one self assertion", []learning.Assessment{a("1", 2, learning.SourceSelf, "2027-01-01", 0)}, 0, "", 2, "1", false},

		// The most trusted source wins, whatever the dates and levels.
		{"manager beats a newer, higher self", []learning.Assessment{
			a("m", 2, learning.SourceManager, "2026-06-01", 0), a("s", 5, learning.SourceSelf, "2027-02-28", 0)}, 0, "", 2, "m", false},
		{"certification beats manager", []learning.Assessment{
			a("m", 4, learning.SourceManager, "2027-02-01", 0), a("c", 3, learning.SourceCertification, "2026-05-01", 0)}, 0, "", 3, "c", false},
		{"manager beats badge", []learning.Assessment{
			a("b", 4, learning.SourceBadge, "2027-02-01", 0), a("m", 1, learning.SourceManager, "2026-05-01", 0)}, 0, "", 1, "m", false},
		{"badge beats peer", []learning.Assessment{
			a("p", 4, learning.SourcePeer, "2027-02-01", 0), a("b", 2, learning.SourceBadge, "2026-05-01", 0)}, 0, "", 2, "b", false},
		{"peer beats learning", []learning.Assessment{
			a("l", 4, learning.SourceLearning, "2027-02-01", 0), a("p", 3, learning.SourcePeer, "2026-05-01", 0)}, 0, "", 3, "p", false},
		{"xapi beats self", []learning.Assessment{
			a("s", 5, learning.SourceSelf, "2027-02-01", 0), a("x", 1, learning.SourceXAPI, "2026-05-01", 0)}, 0, "", 1, "x", false},

		// Equal trust: the latest, by date, then creation, then id.
		{"certification and assessment tie: the later assessment", []learning.Assessment{
			a("c", 5, learning.SourceCertification, "2026-12-01", 9), a("a", 3, learning.SourceAssessment, "2027-01-15", 0)}, 0, "", 3, "a", false},
		{"certification and assessment tie: the later certification", []learning.Assessment{
			a("a", 3, learning.SourceAssessment, "2027-01-15", 0), a("c", 5, learning.SourceCertification, "2027-01-16", 0)}, 0, "", 5, "c", false},
		{"learning and xapi tie: the later xapi", []learning.Assessment{
			a("x", 2, learning.SourceXAPI, "2027-02-02", 0), a("l", 4, learning.SourceLearning, "2027-02-01", 0)}, 0, "", 2, "x", false},
		{"same source: the latest date, not the highest level", []learning.Assessment{
			a("old", 5, learning.SourceManager, "2026-04-01", 0), a("new", 2, learning.SourceManager, "2027-02-01", 0),
			a("mid", 4, learning.SourceManager, "2026-10-01", 0)}, 0, "", 2, "new", false},
		{"same date: the later created", []learning.Assessment{
			a("late", 1, learning.SourcePeer, "2027-02-01", 30), a("early", 4, learning.SourcePeer, "2027-02-01", 10)}, 0, "", 1, "late", false},
		{"same date and creation: the greater id", []learning.Assessment{
			a("b", 1, learning.SourcePeer, "2027-02-01", 10), a("a", 4, learning.SourcePeer, "2027-02-01", 10)}, 0, "", 1, "b", false},

		// The window: an assertion on its first day is inside, the day before is not.
		{"first day of the window is inside", []learning.Assessment{a("1", 4, learning.SourceManager, "2026-03-01", 0)}, 0, "", 4, "1", false},
		{"the day before the window decays", []learning.Assessment{a("1", 4, learning.SourceManager, "2026-02-28", 0)}, 0, "", 3, "1", true},
		{"window 365 given explicitly", []learning.Assessment{a("1", 4, learning.SourceManager, "2026-02-28", 0)}, 365, "", 3, "1", true},
		{"negative window means 365", []learning.Assessment{a("1", 4, learning.SourceManager, "2026-03-01", 0)}, -5, "", 4, "1", false},
		{"30-day window, first day", []learning.Assessment{a("1", 4, learning.SourceManager, "2027-01-30", 0)}, 30, "", 4, "1", false},
		{"30-day window, day before", []learning.Assessment{a("1", 4, learning.SourceManager, "2027-01-29", 0)}, 30, "", 3, "1", true},
		{"window across a leap day", []learning.Assessment{a("1", 4, learning.SourceManager, "2028-02-01", 0)}, 30, "2028-03-02", 4, "1", false},
		{"window across a leap day, day before", []learning.Assessment{a("1", 4, learning.SourceManager, "2028-01-31", 0)}, 30, "2028-03-02", 3, "1", true},
		{"assertion dated after today counts", []learning.Assessment{a("1", 4, learning.SourcePeer, "2027-03-05", 0)}, 0, "", 4, "1", false},

		// Outside the window trust no longer matters: a trusted old assertion loses to a weak recent one.
		{"recent self beats old certification", []learning.Assessment{
			a("c", 5, learning.SourceCertification, "2025-12-01", 0), a("s", 2, learning.SourceSelf, "2026-09-01", 0)}, 0, "", 2, "s", false},
		// None inside: the latest overall, whatever its source, one level lower.
		{"all outside: the latest, one lower", []learning.Assessment{
			a("c", 5, learning.SourceCertification, "2025-01-01", 0), a("s", 3, learning.SourceSelf, "2026-01-01", 0)}, 0, "", 2, "s", true},
		{"all outside: same date, later created", []learning.Assessment{
			a("x", 5, learning.SourceManager, "2025-01-01", 5), a("y", 4, learning.SourceSelf, "2025-01-01", 1)}, 0, "", 4, "x", true},
		{"decay floors at 0 from level 1", []learning.Assessment{a("1", 1, learning.SourceManager, "2020-01-01", 0)}, 0, "", 0, "1", true},
		{"decay floors at 0 from level 0", []learning.Assessment{a("1", 0, learning.SourceManager, "2020-01-01", 0)}, 0, "", 0, "1", true},
		{"a recent level 0 counts as 0, not decayed", []learning.Assessment{
			a("old", 5, learning.SourceCertification, "2020-01-01", 0), a("new", 0, learning.SourceSelf, "2027-01-01", 0)}, 0, "", 0, "new", false},

		{"invalid today: nothing decays", []learning.Assessment{
			a("old", 3, learning.SourceManager, "2000-01-01", 0), a("new", 1, learning.SourceSelf, "2027-01-01", 0)}, 0, "soon", 3, "old", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			day := today
			if tt.today != "" {
				day = tt.today
			}
			got := learning.EffectiveLevel(tt.as, okr.Date(day), tt.window)
			basis := ""
			if got.Basis != nil {
				basis = got.Basis.ID
			}
			if got.Level != tt.level || basis != tt.basis || got.Decayed != tt.decayed {
				t.Errorf("got level %d basis %q decayed %v, want level %d basis %q decayed %v",
					got.Level, basis, got.Decayed, tt.level, tt.basis, tt.decayed)
			}
			// The result never depends on the order of the assertions.
			for i := range tt.as {
				rotated := append(append([]learning.Assessment{}, tt.as[i:]...), tt.as[:i]...)
				again := learning.EffectiveLevel(rotated, okr.Date(day), tt.window)
				if again.Level != got.Level || again.Decayed != got.Decayed || again.Basis.ID != got.Basis.ID {
					t.Errorf("rotated by %d: level %d basis %s, want %d %s", i, again.Level, again.Basis.ID, got.Level, got.Basis.ID)
				}
			}
		})
	}
}

func TestEffectiveLevelBasisIsACopy(t *testing.T) {
	as := []learning.Assessment{assertion("1", "u", "s", 3, learning.SourceSelf, "2027-01-01", 0)}
	got := learning.EffectiveLevel(as, "2027-03-01", 0)
	got.Basis.Level = 5
	if as[0].Level != 3 {
		t.Errorf("changing the basis changed the input: level %d", as[0].Level)
	}
}

func TestEffectiveLevels(t *testing.T) {
	as := []learning.Assessment{
		assertion("1", "ann", "go", 2, learning.SourceSelf, "2027-01-01", 0),
		assertion("2", "ann", "go", 4, learning.SourceManager, "2026-09-01", 0),
		assertion("3", "ann", "sql", 3, learning.SourceCertification, "2025-01-01", 0), // outside: 2
		assertion("4", "bob", "go", 5, learning.SourceSelf, "2027-02-01", 0),
		assertion("5", "bob", "go", 3, learning.SourceAssessment, "2026-06-01", 0),
		assertion("6", "bob", "sql", 4, learning.SourcePeer, "2027-02-01", 0),
	}
	tests := []struct {
		name string
		keep func(learning.Source) bool
		want map[string]map[string]int
	}{
		{"all sources", nil, map[string]map[string]int{"ann": {"go": 4, "sql": 2}, "bob": {"go": 3, "sql": 4}}},
		{"self only", func(s learning.Source) bool { return s == learning.SourceSelf },
			map[string]map[string]int{"ann": {"go": 2}, "bob": {"go": 5}}},
		{"certification and assessment only", func(s learning.Source) bool {
			return s == learning.SourceCertification || s == learning.SourceAssessment
		}, map[string]map[string]int{"ann": {"sql": 2}, "bob": {"go": 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := learning.EffectiveLevels(as, "2027-03-01", 365, tt.keep)
			if fmt.Sprint(got) != fmt.Sprint(learning.Levels(tt.want)) {
				t.Errorf("levels %v, want %v", got, tt.want)
			}
			for _, u := range []string{"ann", "bob", "cid"} {
				for _, s := range []string{"go", "sql", "k8s"} {
					if got.Of(u, s) != tt.want[u][s] {
						t.Errorf("Of(%s, %s) = %d, want %d", u, s, got.Of(u, s), tt.want[u][s])
					}
				}
			}
		})
	}
	var none learning.Levels
	if none.Of("ann", "go") != 0 {
		t.Error("a nil Levels knows a level")
	}
}
