package okr

import "time"

// Forecast is where a key result's trend lands on its due date.
type Forecast struct {
	Value   float64 `json:"value"`
	OnTrack bool    `json:"on_track"`
}

// Point is one value of a key result at a moment.
type Point struct {
	At    time.Time
	Value float64
}

// MinForecastPoints is the fewest check-ins a forecast is fitted to.
const MinForecastPoints = 3

// Fit returns the least-squares line through the last n points (in time
// order): value = intercept + slope × days since the first of them. ok is false
// when there are fewer than MinForecastPoints or all fall at the same moment.
func Fit(points []Point, n int) (intercept, slope float64, t0 time.Time, ok bool) {
	if n < MinForecastPoints {
		n = MinForecastPoints
	}
	if len(points) > n {
		points = points[len(points)-n:]
	}
	if len(points) < MinForecastPoints {
		return 0, 0, time.Time{}, false
	}
	t0 = points[0].At
	var sx, sy, sxx, sxy float64
	for _, p := range points {
		x := p.At.Sub(t0).Hours() / 24
		sx += x
		sy += p.Value
		sxx += x * x
		sxy += x * p.Value
	}
	m := float64(len(points))
	den := m*sxx - sx*sx
	if den == 0 {
		return 0, 0, t0, false
	}
	slope = (m*sxy - sx*sy) / den
	intercept = (sy - slope*sx) / m
	return intercept, slope, t0, true
}

// ForecastAt projects the trend of the last n check-ins to the end of the key
// result's due date and says whether it reaches the target (DESIGN §4).
// It returns nil for boolean key results and when no line can be fitted.
func ForecastAt(kr KeyResult, points []Point, n int, loc *time.Location) *Forecast {
	if kr.Kind == Boolean {
		return nil
	}
	due, err := kr.DueDate.Time(loc)
	if err != nil {
		return nil
	}
	a, b, t0, ok := Fit(points, n)
	if !ok {
		return nil
	}
	v := a + b*due.AddDate(0, 0, 1).Sub(t0).Hours()/24
	f := &Forecast{Value: v}
	switch kr.Kind {
	case Increase:
		f.OnTrack = v >= kr.Target
	case Decrease:
		f.OnTrack = v <= kr.Target
	case Maintain:
		f.OnTrack = kr.Band != nil && v >= kr.Band.Low && v <= kr.Band.High
	case Milestone:
		f.OnTrack = v >= 1
	}
	return f
}
