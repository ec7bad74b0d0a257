package okr_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/okr"
)

func TestHealthDistribution(t *testing.T) {
	tests := []struct {
		name string
		in   []okr.Health
		want []int // counts in okr.HealthOrder
		on   float64
	}{
		{"none", nil, []int{0, 0, 0, 0, 0, 0}, 0},
		{"mixed", []okr.Health{okr.HealthOnTrack, okr.HealthOnTrack, okr.HealthOffTrack, okr.HealthOutdated}, []int{2, 0, 1, 1, 0, 0}, 0.5},
		{"closed are not open", []okr.Health{okr.HealthOnTrack, okr.HealthClosed, okr.HealthClosed}, []int{1, 0, 0, 0, 0, 2}, 1},
		{"unknown counts as pending", []okr.Health{"weird", okr.HealthAtRisk}, []int{0, 1, 0, 0, 1, 0}, 0},
		{"only closed", []okr.Health{okr.HealthClosed}, []int{0, 0, 0, 0, 0, 1}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := okr.HealthDistribution(tc.in)
			var counts []int
			for i, c := range got {
				if c.Health != okr.HealthOrder[i] {
					t.Errorf("position %d is %s, want %s", i, c.Health, okr.HealthOrder[i])
				}
				counts = append(counts, c.Count)
			}
			if !slices.Equal(counts, tc.want) {
				t.Errorf("counts %v, want %v", counts, tc.want)
			}
			if s := okr.OnTrackShare(got); math.Abs(s-tc.on) > 1e-9 {
				t.Errorf("on-track share %v, want %v", s, tc.on)
			}
		})
	}
}

func TestDiscipline(t *testing.T) {
	now := time.Date(2027, 2, 10, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	day := 24 * time.Hour
	active := okr.Objective{State: okr.Active}
	tests := []struct {
		name   string
		k      okr.KeyResult
		o      okr.Objective
		counts bool
		within bool
	}{
		{"fresh manual", okr.KeyResult{Source: okr.SourceManual, LastCheckIn: ago(2 * day)}, active, true, true},
		{"just inside the week", okr.KeyResult{Source: okr.SourceManual, LastCheckIn: ago(7*day - time.Second)}, active, true, true},
		{"exactly a week", okr.KeyResult{Source: okr.SourceManual, LastCheckIn: ago(7 * day)}, active, true, false},
		{"never checked in", okr.KeyResult{Source: okr.SourceManual}, active, true, false},
		{"computed source", okr.KeyResult{Source: okr.SourceChildren, LastCheckIn: ago(30 * day)}, active, false, false},
		{"api source", okr.KeyResult{Source: okr.SourceAPI}, active, false, false},
		{"draft objective", okr.KeyResult{Source: okr.SourceManual}, okr.Objective{State: okr.Draft}, false, false},
		{"closed", okr.KeyResult{Source: okr.SourceManual, Health: okr.HealthClosed}, active, false, false},
	}
	var d okr.Discipline
	wantTotal, wantOn := 0, 0
	for _, tc := range tests {
		if got := okr.CountsForDiscipline(tc.k, tc.o); got != tc.counts {
			t.Errorf("%s: counts %v, want %v", tc.name, got, tc.counts)
		}
		if !tc.counts {
			continue
		}
		if got := okr.CheckedInWithin(tc.k.LastCheckIn, now, 7); got != tc.within {
			t.Errorf("%s: within %v, want %v", tc.name, got, tc.within)
		}
		d.Add(tc.k, now, 7)
		wantTotal++
		if tc.within {
			wantOn++
		}
	}
	if d.Total != wantTotal || d.OnTime != wantOn || math.Abs(d.Share-float64(wantOn)/float64(wantTotal)) > 1e-9 {
		t.Errorf("discipline %+v, want %d of %d", d, wantOn, wantTotal)
	}
	if d.Total != 4 || d.OnTime != 2 || d.Share != 0.5 {
		t.Errorf("discipline %+v, want 2 of 4 = 0.5", d)
	}
	var empty okr.Discipline
	if empty.Share != 0 || empty.Total != 0 {
		t.Errorf("empty discipline %+v", empty)
	}
}

func TestKeyResultRisk(t *testing.T) {
	now := time.Date(2027, 2, 10, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	day := 24 * time.Hour
	conf := func(c float64) *float64 { return &c }
	tests := []struct {
		name     string
		k        okr.KeyResult
		reasons  []string
		severity int
	}{
		{"healthy", okr.KeyResult{Health: okr.HealthOnTrack, Progress: 0.6, Expected: 0.5, Confidence: conf(0.8)}, nil, 0},
		{"pending", okr.KeyResult{Health: okr.HealthPending}, nil, 0},
		{"closed and behind", okr.KeyResult{Health: okr.HealthClosed, Behind: true, Progress: 0.1, Expected: 1}, nil, 0},
		{"off track", okr.KeyResult{Health: okr.HealthOffTrack, Confidence: conf(0.5)}, []string{"off track at last check-in"}, 5},
		{"at risk", okr.KeyResult{Health: okr.HealthAtRisk}, []string{"at risk at last check-in"}, 4},
		{"silent", okr.KeyResult{Health: okr.HealthOutdated, LastCheckIn: ago(12*day + time.Hour)}, []string{"no check-in for 12 days"}, 3},
		{"never", okr.KeyResult{Health: okr.HealthOutdated}, []string{"never checked in"}, 3},
		{"behind", okr.KeyResult{Health: okr.HealthOnTrack, Behind: true, Progress: 0.3, Expected: 0.62},
			[]string{"behind: 30% vs 62% expected"}, 2},
		{"low confidence", okr.KeyResult{Health: okr.HealthOnTrack, Confidence: conf(0.3)}, []string{"low confidence 3 in 10"}, 1},
		{"everything", okr.KeyResult{Health: okr.HealthOffTrack, Behind: true, Progress: 0.1, Expected: 0.5, Confidence: conf(0.2)},
			[]string{"off track at last check-in", "behind: 10% vs 50% expected", "low confidence 2 in 10"}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := okr.KeyResultRisk(tc.k, now)
			if tc.reasons == nil {
				if r != nil {
					t.Fatalf("flagged %+v, want nothing", r)
				}
				return
			}
			if r == nil {
				t.Fatalf("not flagged, want %v", tc.reasons)
			}
			if !slices.Equal(r.Reasons, tc.reasons) || r.Severity != tc.severity || r.Type != okr.NodeKeyResult {
				t.Errorf("got %v severity %d, want %v severity %d", r.Reasons, r.Severity, tc.reasons, tc.severity)
			}
		})
	}
}

func TestObjectiveRisk(t *testing.T) {
	krs := []okr.KeyResult{{Health: okr.HealthOffTrack}, {Health: okr.HealthOutdated}, {Health: okr.HealthOutdated}, {Health: okr.HealthOnTrack}}
	r := okr.ObjectiveRisk(okr.Objective{ID: "o", Health: okr.HealthOffTrack, Behind: true, Progress: 0.2, Expected: 0.55}, krs)
	want := []string{"1 of 4 key results off track", "2 of 4 key results without a recent check-in", "behind: 20% vs 55% expected"}
	if r == nil || !slices.Equal(r.Reasons, want) || r.Severity != 5 || r.ObjectiveID != "o" {
		t.Fatalf("got %+v, want %v", r, want)
	}
	if r := okr.ObjectiveRisk(okr.Objective{Health: okr.HealthOnTrack}, krs[3:]); r != nil {
		t.Errorf("a healthy objective is flagged: %+v", r)
	}
	if r := okr.ObjectiveRisk(okr.Objective{Health: okr.HealthClosed, Behind: true}, krs); r != nil {
		t.Errorf("a closed objective is flagged: %+v", r)
	}
}

func TestSortRisks(t *testing.T) {
	rs := []okr.Risk{
		{ID: "low", Severity: 1},
		{ID: "kr-off-small-gap", Type: okr.NodeKeyResult, Severity: 5, Progress: 0.4, Expected: 0.5},
		{ID: "outdated", Severity: 3},
		{ID: "o-off-small-gap", Type: okr.NodeObjective, Severity: 5, Progress: 0.4, Expected: 0.5},
		{ID: "kr-off-big-gap", Type: okr.NodeKeyResult, Severity: 5, Progress: 0.1, Expected: 0.5},
		{ID: "behind", Severity: 2},
	}
	okr.SortRisks(rs)
	var got []string
	for _, r := range rs {
		got = append(got, r.ID)
	}
	want := []string{"kr-off-big-gap", "o-off-small-gap", "kr-off-small-gap", "outdated", "behind", "low"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestInitiativesByStatusAndMean(t *testing.T) {
	got := okr.InitiativesByStatus([]okr.Initiative{{Status: okr.Blocked}, {Status: okr.Done}, {Status: okr.Blocked}})
	want := []okr.StatusCount{{okr.Planned, 0}, {okr.InProgress, 0}, {okr.Blocked, 2}, {okr.Done, 1}, {okr.Cancelled, 0}}
	if !slices.Equal(got, want) {
		t.Errorf("by status %v, want %v", got, want)
	}
	if m := okr.Mean([]float64{0.2, 0.4}); okr.Mean(nil) != 0 || math.Abs(m-0.3) > 1e-9 {
		t.Errorf("mean %v, want 0.3 (and 0 for none)", m)
	}
}
