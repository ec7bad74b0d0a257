package learning

import (
	"cmp"
	"slices"
	"time"

	"github.com/okrahq/okra/internal/okr"
)

// ProgramStats sums up the enrollments of a program (or of a group of people).
type ProgramStats struct {
	ProgramID  string `json:"program_id,omitempty"`
	Enrolled   int    `json:"enrolled" doc:"Every enrollment, whatever its status."`
	InProgress int    `json:"in_progress"`
	Completed  int    `json:"completed"`
	Passed     int    `json:"passed"`
	Failed     int    `json:"failed"`
	Withdrawn  int    `json:"withdrawn"`
	// CompletionRate is completed ÷ (enrolled − withdrawn), 0–1; 0 when nobody stayed enrolled.
	CompletionRate float64 `json:"completion_rate"`
	// PassRate is passed ÷ (completed + failed), 0–1; 0 when none ended so.
	PassRate float64 `json:"pass_rate"`
	// MeanScore is the mean score of the completed and failed enrollments with a score.
	MeanScore *float64 `json:"mean_score"`
	// MeanRating is the mean of the learners' ratings (1–5) over Ratings ratings.
	MeanRating *float64 `json:"mean_rating"`
	Ratings    int      `json:"ratings"`
	// Hours is the learning hours of the completed enrollments (their own, else the program's).
	Hours float64 `json:"hours"`
}

// stats sums up enrollments; programs gives the hours of enrollments without their own.
func stats(es []Enrollment, programs map[string]Program) ProgramStats {
	var s ProgramStats
	score, scores, rating := 0.0, 0, 0
	for _, e := range es {
		s.Enrolled++
		switch e.Status {
		case InProgress:
			s.InProgress++
		case Completed:
			s.Completed++
			s.Hours += enrollmentHours(e, programs)
		case Failed:
			s.Failed++
		case Withdrawn:
			s.Withdrawn++
		}
		if e.PassedCompletion() {
			s.Passed++
		}
		if (e.Status == Completed || e.Status == Failed) && e.Score != nil {
			score += *e.Score
			scores++
		}
		if e.Feedback != nil && e.Feedback.Rating >= 1 && e.Feedback.Rating <= 5 {
			rating += e.Feedback.Rating
			s.Ratings++
		}
	}
	if n := s.Enrolled - s.Withdrawn; n > 0 {
		s.CompletionRate = float64(s.Completed) / float64(n)
	}
	if n := s.Completed + s.Failed; n > 0 {
		s.PassRate = float64(s.Passed) / float64(n)
	}
	if scores > 0 {
		m := score / float64(scores)
		s.MeanScore = &m
	}
	if s.Ratings > 0 {
		m := float64(rating) / float64(s.Ratings)
		s.MeanRating = &m
	}
	return s
}

// ProgramAnalytics sums up the enrollments of each program, one entry per
// program in the order of programs.
func ProgramAnalytics(programs []Program, enrollments []Enrollment) []ProgramStats {
	byProgram := map[string][]Enrollment{}
	for _, e := range enrollments {
		byProgram[e.ProgramID] = append(byProgram[e.ProgramID], e)
	}
	out := make([]ProgramStats, 0, len(programs))
	for _, p := range programs {
		s := stats(byProgram[p.ID], map[string]Program{p.ID: p})
		s.ProgramID = p.ID
		out = append(out, s)
	}
	return out
}

// GroupStats sums up the enrollments of a group of people (a team) in every program.
type GroupStats struct {
	Key string `json:"key"`
	// People is the number of people in the group.
	People int `json:"people"`
	ProgramStats
}

// GroupAnalytics sums up, for each group of people (key → user ids), their
// enrollments in any program, sorted by key. programs gives the hours of
// enrollments without their own.
func GroupAnalytics(groups map[string][]string, enrollments []Enrollment, programs map[string]Program) []GroupStats {
	byUser := map[string][]Enrollment{}
	for _, e := range enrollments {
		byUser[e.UserID] = append(byUser[e.UserID], e)
	}
	out := make([]GroupStats, 0, len(groups))
	for key, people := range groups {
		people = unique(people)
		var es []Enrollment
		for _, id := range people {
			es = append(es, byUser[id]...)
		}
		out = append(out, GroupStats{Key: key, People: len(people), ProgramStats: stats(es, programs)})
	}
	slices.SortFunc(out, func(a, b GroupStats) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// EnrollmentsBetween returns, in their order, the enrollments whose completion
// time (or, when they have none, creation time) falls in [from, to].
func EnrollmentsBetween(es []Enrollment, from, to time.Time) []Enrollment {
	out := []Enrollment{}
	for _, e := range es {
		t := e.Created
		if e.Completed != nil {
			t = *e.Completed
		}
		if !t.Before(from) && !t.After(to) {
			out = append(out, e)
		}
	}
	return out
}

// CoveragePoint is how many requirement seats were met on a date.
type CoveragePoint struct {
	Date  okr.Date `json:"date"`
	Met   int      `json:"met"`
	Seats int      `json:"seats"`
	// Share is Met ÷ Seats, 0–1; 0 when there are no seats.
	Share float64 `json:"share"`
}

// Coverage returns, at each date in the order given, the share of the
// requirement seats met: for each scoped requirement min(headcount, supply on
// that date), summed, over the sum of the headcounts. The supply on a date
// counts effective levels on that date from the assertions dated on or
// before it.
func Coverage(scoped []ScopedRequirement, as []Assessment, dates []okr.Date, windowDays int) []CoveragePoint {
	out := make([]CoveragePoint, 0, len(dates))
	for _, d := range dates {
		var known []Assessment
		for _, a := range as {
			if a.Date <= d {
				known = append(known, a)
			}
		}
		levels := EffectiveLevels(known, d, windowDays, nil)
		p := CoveragePoint{Date: d}
		for _, sr := range scoped {
			r := sr.Requirement
			seats := max(0, r.Headcount)
			supply := 0
			for _, id := range unique(sr.People) {
				if levels.Of(id, r.SkillID) >= r.Level {
					supply++
				}
			}
			p.Met += min(seats, supply)
			p.Seats += seats
		}
		if p.Seats > 0 {
			p.Share = float64(p.Met) / float64(p.Seats)
		}
		out = append(out, p)
	}
	return out
}

// KeyResultPeople is a key result with its progress and the people behind it.
type KeyResultPeople struct {
	KeyResultID string
	Progress    float64
	People      []string
}

// Effect compares the key results whose people include someone who passed a
// program with those whose people do not. It shows a difference, never a cause.
type Effect struct {
	ProgramID string      `json:"program_id"`
	With      EffectGroup `json:"with"`
	Without   EffectGroup `json:"without"`
}

// EffectGroup is a group of key results with its sizes and mean progress.
type EffectGroup struct {
	KeyResults int `json:"key_results"`
	// People is the number of distinct people behind the group's key results.
	People int `json:"people"`
	// MeanProgress is the mean progress (0–1) of the key results; nil when there are none.
	MeanProgress *float64 `json:"mean_progress"`
}

// Effectiveness splits key results (those linked to learning objectives that
// chose the program) by whether one of their people has a passed completion
// of the program, and gives each group's size and mean progress.
func Effectiveness(programID string, krs []KeyResultPeople, enrollments []Enrollment) Effect {
	passed := map[string]bool{}
	for _, e := range enrollments {
		if e.ProgramID == programID && e.PassedCompletion() {
			passed[e.UserID] = true
		}
	}
	var with, without []KeyResultPeople
	for _, kr := range krs {
		if slices.ContainsFunc(kr.People, func(id string) bool { return passed[id] }) {
			with = append(with, kr)
		} else {
			without = append(without, kr)
		}
	}
	return Effect{ProgramID: programID, With: effectGroup(with), Without: effectGroup(without)}
}

func effectGroup(krs []KeyResultPeople) EffectGroup {
	g := EffectGroup{KeyResults: len(krs)}
	people := map[string]bool{}
	sum := 0.0
	for _, kr := range krs {
		sum += kr.Progress
		for _, id := range kr.People {
			people[id] = true
		}
	}
	g.People = len(people)
	if len(krs) > 0 {
		m := sum / float64(len(krs))
		g.MeanProgress = &m
	}
	return g
}
