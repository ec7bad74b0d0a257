package okr_test

import (
	"testing"
	"time"

	"github.com/okrahq/okra/internal/okr"
)

// jan1 is the start of the 2027 first quarter, in UTC.
var jan1 = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

// series builds points at the given days after start with the given values.
func series(tb testing.TB, start time.Time, days, values []float64) []okr.Point {
	tb.Helper()
	if len(days) != len(values) {
		tb.Fatalf("series: %d days, %d values", len(days), len(values))
	}
	ps := make([]okr.Point, len(days))
	for i := range days {
		ps[i] = okr.Point{At: start.Add(time.Duration(days[i] * float64(24*time.Hour))), Value: values[i]}
	}
	return ps
}

func TestFit(t *testing.T) {
	d := func(xs ...float64) []float64 { return xs }
	tests := []struct {
		name                 string
		points               []okr.Point
		n                    int
		wantOK               bool
		wantIntercept, slope float64
		wantT0               time.Time
	}{
		// x̄ = 7, ȳ = 20; Sxy = (−7)(−10) + 0 + 7·10 = 140, Sxx = 49 + 0 + 49 = 98;
		// slope = 140/98 = 10/7, intercept = 20 − 10/7·7 = 10.
		{"collinear", series(t, jan1, d(0, 7, 14), d(10, 20, 30)), 6, true, 10, 10.0 / 7, jan1},
		// x̄ = 1.5, ȳ = 2.75; dx = −1.5 −0.5 0.5 1.5, dy = −1.75 0.25 −0.75 2.25;
		// Sxy = 2.625 − 0.125 − 0.375 + 3.375 = 5.5, Sxx = 2.25+0.25+0.25+2.25 = 5;
		// slope = 5.5/5 = 1.1, intercept = 2.75 − 1.1·1.5 = 1.1.
		{"least squares", series(t, jan1, d(0, 1, 2, 3), d(1, 3, 2, 5)), 6, true, 1.1, 1.1, jan1},
		// x̄ = 4, ȳ = 7; dx = −4 −2 0 6, dy = −4 −3 1 6; Sxy = 16+6+0+36 = 58, Sxx = 16+4+0+36 = 56;
		// slope = 58/56 = 29/28, intercept = 7 − 29/28·4 = 7 − 29/7 = 20/7.
		{"uneven spacing", series(t, jan1, d(0, 2, 4, 10), d(3, 4, 8, 13)), 6, true, 20.0 / 7, 29.0 / 28, jan1},
		// hours, not whole days: x = 0, 1.5, 3 days, values 0, 3, 6 → slope 2, intercept 0.
		{"fractional days", series(t, jan1, d(0, 1.5, 3), d(0, 3, 6)), 6, true, 0, 2, jan1},

		// five points, days 0 7 14 21 28, values 100 0 10 20 30.
		// n = 3: days 14 21 28 values 10 20 30 → as "collinear" from t0 = day 14.
		{"last 3 of 5", series(t, jan1, d(0, 7, 14, 21, 28), d(100, 0, 10, 20, 30)), 3, true, 10, 10.0 / 7, jan1.AddDate(0, 0, 14)},
		// n = 4: days 7..28 values 0 10 20 30: slope 10/7, intercept 0 at t0 = day 7.
		{"last 4 of 5", series(t, jan1, d(0, 7, 14, 21, 28), d(100, 0, 10, 20, 30)), 4, true, 0, 10.0 / 7, jan1.AddDate(0, 0, 7)},
		// n = 6 > 5: all five. x̄ = 14, ȳ = 32; dx = −14 −7 0 7 14, dy = 68 −32 −22 −12 −2;
		// Sxy = −952 + 224 + 0 − 84 − 28 = −840, Sxx = 196+49+0+49+196 = 490;
		// slope = −840/490 = −12/7, intercept = 32 + 12/7·14 = 56.
		{"all 5 when n is larger", series(t, jan1, d(0, 7, 14, 21, 28), d(100, 0, 10, 20, 30)), 6, true, 56, -12.0 / 7, jan1},
		// n below the minimum is raised to 3.
		{"n=2 means 3", series(t, jan1, d(0, 7, 14, 21, 28), d(100, 0, 10, 20, 30)), 2, true, 10, 10.0 / 7, jan1.AddDate(0, 0, 14)},
		{"n=0 means 3", series(t, jan1, d(0, 7, 14, 21, 28), d(100, 0, 10, 20, 30)), 0, true, 10, 10.0 / 7, jan1.AddDate(0, 0, 14)},

		{"no points", nil, 6, false, 0, 0, time.Time{}},
		{"one point", series(t, jan1, d(0), d(5)), 6, false, 0, 0, time.Time{}},
		{"two points", series(t, jan1, d(0, 7), d(5, 6)), 6, false, 0, 0, time.Time{}},
		{"same instant", series(t, jan1, d(3, 3, 3), d(1, 2, 3)), 6, false, 0, 0, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b, t0, ok := okr.Fit(tt.points, tt.n)
			if ok != tt.wantOK {
				t.Fatalf("Fit ok = %v, want %v", ok, tt.wantOK)
			}
			if !ok {
				return
			}
			if !near(a, tt.wantIntercept) || !near(b, tt.slope) {
				t.Errorf("Fit = intercept %v slope %v, want %v and %v", a, b, tt.wantIntercept, tt.slope)
			}
			if !t0.Equal(tt.wantT0) {
				t.Errorf("Fit t0 = %s, want %s", t0, tt.wantT0)
			}
		})
	}
}

func TestForecastAt(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	d := func(xs ...float64) []float64 { return xs }
	// Every key result is due 2027-03-31; the projection runs to the end of that
	// day: 2027-04-01T00:00 in the location, 90 days after jan1 in UTC.
	const due = okr.Date("2027-03-31")
	// days 0 7 14, values 10 17 24: slope exactly 1/day, intercept 10 (x̄ = 7, ȳ = 17, Sxy = Sxx = 98).
	rising := series(t, jan1, d(0, 7, 14), d(10, 17, 24))
	feb1 := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)

	tests := []struct {
		name   string
		kr     okr.KeyResult
		points []okr.Point
		loc    *time.Location
		want   *okr.Forecast
	}{
		// 10 + 1·90 = 100 ≥ 100: on track only because the line runs to the END of the
		// due date (to its start, day 89, it would be 99).
		{"increase reaches target at end of due date", okr.KeyResult{Kind: okr.Increase, Baseline: 0, Target: 100, DueDate: due},
			rising, time.UTC, &okr.Forecast{Value: 100, OnTrack: true}},
		{"increase trending off track", okr.KeyResult{Kind: okr.Increase, Baseline: 0, Target: 100.5, DueDate: due},
			rising, time.UTC, &okr.Forecast{Value: 100, OnTrack: false}},
		// Paris: the end of the due date is 2027-03-31T22:00Z = 90 days − 2h = 89 + 22/24 days after jan1;
		// 10 + 89 + 22/24 ≈ 99.9167 < 100.
		{"increase in Paris", okr.KeyResult{Kind: okr.Increase, Baseline: 0, Target: 100, DueDate: due},
			rising, paris, &okr.Forecast{Value: 99 + 22.0/24, OnTrack: false}},
		// days 0 7 14 values 10 20 30: slope 10/7, 10 + 10/7·90 = 970/7 ≈ 138.57.
		{"increase with fractional slope", okr.KeyResult{Kind: okr.Increase, Baseline: 0, Target: 130, DueDate: due},
			series(t, jan1, d(0, 7, 14), d(10, 20, 30)), time.UTC, &okr.Forecast{Value: 970.0 / 7, OnTrack: true}},
		// only the last 3 (n) count: the falling start is ignored, same line as above from t0 = day 14:
		// 10 + 10/7·(90 − 14) = 10 + 760/7 = 830/7 ≈ 118.57.
		{"increase fitted to the last n", okr.KeyResult{Kind: okr.Increase, Baseline: 0, Target: 130, DueDate: due},
			series(t, jan1, d(0, 7, 14, 21, 28), d(100, 0, 10, 20, 30)), time.UTC, &okr.Forecast{Value: 830.0 / 7, OnTrack: false}},

		// decrease, days 0 7 14 values 80 73 66: slope −1, intercept 80; 80 − 90 = −10 ≤ 20.
		{"decrease on track", okr.KeyResult{Kind: okr.Decrease, Baseline: 100, Target: 20, DueDate: due},
			series(t, jan1, d(0, 7, 14), d(80, 73, 66)), time.UTC, &okr.Forecast{Value: -10, OnTrack: true}},
		// days 0 7 14 values 100 93 86: slope −1, intercept 100; 100 − 90 = 10, exactly the target.
		{"decrease reaches target exactly", okr.KeyResult{Kind: okr.Decrease, Baseline: 100, Target: 10, DueDate: due},
			series(t, jan1, d(0, 7, 14), d(100, 93, 86)), time.UTC, &okr.Forecast{Value: 10, OnTrack: true}},
		// from Feb 1, days 0 10 20 values 100 95 90: slope −0.5, intercept 100;
		// the due end is 28 + 31 = 59 days after Feb 1: 100 − 29.5 = 70.5 > 20.
		{"decrease trending off track", okr.KeyResult{Kind: okr.Decrease, Baseline: 100, Target: 20, DueDate: due},
			series(t, feb1, d(0, 10, 20), d(100, 95, 90)), time.UTC, &okr.Forecast{Value: 70.5, OnTrack: false}},

		// maintain, band 40..60: flat at 50 stays in; rising 1/day lands at 50 + 90 = 140.
		{"maintain flat inside", okr.KeyResult{Kind: okr.Maintain, Band: &okr.Band{Low: 40, High: 60}, DueDate: due},
			series(t, jan1, d(0, 7, 14), d(50, 50, 50)), time.UTC, &okr.Forecast{Value: 50, OnTrack: true}},
		{"maintain drifting out", okr.KeyResult{Kind: okr.Maintain, Band: &okr.Band{Low: 40, High: 60}, DueDate: due},
			series(t, jan1, d(0, 7, 14), d(50, 57, 64)), time.UTC, &okr.Forecast{Value: 140, OnTrack: false}},
		{"maintain without band", okr.KeyResult{Kind: okr.Maintain, DueDate: due},
			series(t, jan1, d(0, 7, 14), d(50, 50, 50)), time.UTC, &okr.Forecast{Value: 50, OnTrack: false}},

		// milestone values are shares done: days 0 10 20, 0 0.125 0.25 → 0.0125/day, 90 days → 1.125 ≥ 1.
		{"milestone on track", okr.KeyResult{Kind: okr.Milestone, DueDate: due},
			series(t, jan1, d(0, 10, 20), d(0, 0.125, 0.25)), time.UTC, &okr.Forecast{Value: 1.125, OnTrack: true}},
		// 0 0.05 0.1 → 0.005/day → 0.45 < 1.
		{"milestone off track", okr.KeyResult{Kind: okr.Milestone, DueDate: due},
			series(t, jan1, d(0, 10, 20), d(0, 0.05, 0.1)), time.UTC, &okr.Forecast{Value: 0.45, OnTrack: false}},

		{"boolean has no forecast", okr.KeyResult{Kind: okr.Boolean, DueDate: due}, rising, time.UTC, nil},
		{"too few points", okr.KeyResult{Kind: okr.Increase, Target: 100, DueDate: due}, rising[:2], time.UTC, nil},
		{"no due date", okr.KeyResult{Kind: okr.Increase, Target: 100}, rising, time.UTC, nil},
		{"invalid due date", okr.KeyResult{Kind: okr.Increase, Target: 100, DueDate: "2027-02-30"}, rising, time.UTC, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := okr.ForecastAt(tt.kr, tt.points, 3, tt.loc)
			switch {
			case got == nil && tt.want == nil:
			case got == nil || tt.want == nil:
				t.Fatalf("ForecastAt = %+v, want %+v", got, tt.want)
			case !near(got.Value, tt.want.Value) || got.OnTrack != tt.want.OnTrack:
				t.Errorf("ForecastAt = %+v, want %+v", *got, *tt.want)
			}
		})
	}
}
