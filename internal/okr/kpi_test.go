package okr_test

import (
	"testing"

	"github.com/okrahq/okra/internal/okr"
)

func TestKPIValueStatus(t *testing.T) {
	up := okr.KPI{Direction: okr.HigherIsBetter, Green: 50, Red: 30, Frequency: okr.Weekly}
	down := okr.KPI{Direction: okr.LowerIsBetter, Green: 2, Red: 4, Frequency: okr.Monthly}
	for _, c := range []struct {
		name  string
		k     okr.KPI
		value float64
		want  okr.KPIStatus
	}{
		{"higher: above green", up, 61, okr.KPIGreen},
		{"higher: at green", up, 50, okr.KPIGreen},
		{"higher: just under green", up, 49.99, okr.KPIYellow},
		{"higher: just above red", up, 30.01, okr.KPIYellow},
		{"higher: at red", up, 30, okr.KPIRed},
		{"higher: below red", up, -5, okr.KPIRed},
		{"lower: below green", down, 1.2, okr.KPIGreen},
		{"lower: at green", down, 2, okr.KPIGreen},
		{"lower: between", down, 3, okr.KPIYellow},
		{"lower: at red", down, 4, okr.KPIRed},
		{"lower: above red", down, 9, okr.KPIRed},
	} {
		if got := okr.ValueStatus(c.k, c.value); got != c.want {
			t.Errorf("%s: ValueStatus(%g) = %s, want %s", c.name, c.value, got, c.want)
		}
	}
}

func TestKPIStatusOf(t *testing.T) {
	rec := func(d okr.Date, v float64) *okr.KPIRecord { return &okr.KPIRecord{Date: d, Value: v} }
	k := func(f okr.Frequency) okr.KPI {
		return okr.KPI{Direction: okr.HigherIsBetter, Green: 10, Red: 5, Frequency: f}
	}
	for _, c := range []struct {
		name    string
		k       okr.KPI
		latest  *okr.KPIRecord
		created okr.Date
		today   okr.Date
		want    okr.KPIStatus
	}{
		{"no record, first not due yet", k(okr.Weekly), nil, "2027-02-01", "2027-02-08", okr.KPINoData},
		{"no record, first overdue", k(okr.Weekly), nil, "2027-02-01", "2027-02-09", okr.KPIOverdue},
		{"daily: yesterday's value is fresh", k(okr.Daily), rec("2027-02-01", 12), "2027-01-01", "2027-02-02", okr.KPIGreen},
		{"daily: two days old is overdue", k(okr.Daily), rec("2027-02-01", 12), "2027-01-01", "2027-02-03", okr.KPIOverdue},
		{"weekly: on the due day", k(okr.Weekly), rec("2027-02-01", 7), "2027-01-01", "2027-02-08", okr.KPIYellow},
		{"weekly: the day after", k(okr.Weekly), rec("2027-02-01", 7), "2027-01-01", "2027-02-09", okr.KPIOverdue},
		{"monthly: a calendar month", k(okr.Monthly), rec("2027-01-31", 3), "2027-01-01", "2027-03-03", okr.KPIRed},
		{"monthly: past the month", k(okr.Monthly), rec("2027-01-15", 3), "2027-01-01", "2027-02-16", okr.KPIOverdue},
		{"quarterly: within three months", k(okr.Quarterly), rec("2027-01-01", 11), "2026-12-01", "2027-04-01", okr.KPIGreen},
		{"quarterly: after", k(okr.Quarterly), rec("2027-01-01", 11), "2026-12-01", "2027-04-02", okr.KPIOverdue},
	} {
		if got := okr.StatusOf(c.k, c.latest, c.created, c.today); got != c.want {
			t.Errorf("%s: StatusOf = %s, want %s", c.name, got, c.want)
		}
	}
}

func TestValidateKPI(t *testing.T) {
	fields := func(k okr.KPI) []string {
		var out []string
		for _, p := range okr.ValidateKPI(k) {
			out = append(out, p.Field)
		}
		return out
	}
	ok := okr.KPI{Direction: okr.HigherIsBetter, Green: 50, Red: 30, Frequency: okr.Weekly}
	if got := fields(ok); len(got) != 0 {
		t.Errorf("a valid KPI has problems %v", got)
	}
	for _, c := range []struct {
		name string
		edit func(*okr.KPI)
		want string
	}{
		{"higher with green below red", func(k *okr.KPI) { k.Green, k.Red = 30, 50 }, "green"},
		{"higher with equal thresholds", func(k *okr.KPI) { k.Green, k.Red = 30, 30 }, "green"},
		{"lower with green above red", func(k *okr.KPI) { k.Direction = okr.LowerIsBetter }, "green"},
		{"unknown direction", func(k *okr.KPI) { k.Direction = "sideways" }, "direction"},
		{"unknown frequency", func(k *okr.KPI) { k.Frequency = "hourly" }, "frequency"},
	} {
		k := ok
		c.edit(&k)
		if got := fields(k); len(got) != 1 || got[0] != c.want {
			t.Errorf("%s: problems on %v, want [%s]", c.name, got, c.want)
		}
	}
	low := okr.KPI{Direction: okr.LowerIsBetter, Green: 2, Red: 4, Frequency: okr.Daily}
	if got := fields(low); len(got) != 0 {
		t.Errorf("a valid lower-is-better KPI has problems %v", got)
	}
}
