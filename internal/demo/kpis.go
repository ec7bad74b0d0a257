package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// kpiSpec is one of Northwind's business metrics (seed 001) and the history
// the demo gives it: a value drifting from `from` to `to` over the last
// kpiWeeks weeks (weekly) or kpiMonths months (monthly), with some noise.
type kpiSpec struct {
	key, name, description string
	unit                   okr.Unit
	label, currency        string
	direction              okr.Direction
	green, red             float64
	frequency              okr.Frequency
	owner                  string
	from, to, noise        float64
	decimals               int
	// silentWeeks leaves the latest weeks without a record (overdue).
	silentWeeks int
	// script: the records after the set-up come from a script's API token.
	script bool
	// objectives name the KPI.
	objectives []string
}

const (
	kpiWeeks  = 13
	kpiMonths = 4
)

var kpis = []kpiSpec{
	{key: "mrr", name: "Monthly recurring revenue", description: "Subscription revenue booked in the month, all business units, from the finance close.",
		unit: okr.UnitCurrency, currency: "EUR", direction: okr.HigherIsBetter, green: 420000, red: 380000, frequency: okr.Monthly,
		owner: "kenji", from: 371500, to: 402800, noise: 2500, decimals: -2, objectives: []string{"labs", "labs-product"}},
	{key: "churn", name: "Customer churn", description: "Share of paying customers lost in the month (logo churn).",
		unit: okr.UnitPercent, direction: okr.LowerIsBetter, green: 2, red: 3.5, frequency: okr.Monthly,
		owner: "daniel", from: 4.1, to: 3.6, noise: 0.1, decimals: 1, objectives: []string{"shop"}},
	{key: "nps", name: "Net Promoter Score", description: "From the monthly customer survey: promoters minus detractors.",
		unit: okr.UnitCustom, label: "points", direction: okr.HigherIsBetter, green: 40, red: 20, frequency: okr.Monthly,
		owner: "daniel", from: 31, to: 43, noise: 1.5, decimals: 0, objectives: []string{"shop"}},
	{key: "frt", name: "Support first-response time", description: "Median minutes from a ticket's arrival to the first human answer, all queues. Posted every Monday by the help-desk export script.",
		unit: okr.UnitCustom, label: "minutes", direction: okr.LowerIsBetter, green: 60, red: 120, frequency: okr.Weekly,
		owner: "sofia", from: 104, to: 66, noise: 4, decimals: 0, script: true, objectives: []string{"shop", "shop-routing"}},
	{key: "wait", name: "Patient wait time", description: "Average minutes patients wait past their appointment time, all clinics.",
		unit: okr.UnitCustom, label: "minutes", direction: okr.LowerIsBetter, green: 15, red: 20, frequency: okr.Weekly,
		owner: "helena", from: 23.5, to: 18.2, noise: 0.8, decimals: 1, silentWeeks: 2, objectives: []string{"care"}},
	{key: "cycle", name: "Development cycle time", description: "Median days from the first commit to production, all product teams.",
		unit: okr.UnitCustom, label: "days", direction: okr.LowerIsBetter, green: 9, red: 12, frequency: okr.Weekly,
		owner: "elena", from: 12.6, to: 10.7, noise: 0.4, decimals: 1, objectives: []string{"labs"}},
}

// kpiKeyResult is the demo's key result that follows a KPI by itself.
var kpiKeyResult = struct {
	kpi, objective, title, owner string
	target                       float64
}{kpi: "frt", objective: "shop-routing", title: "Bring the median first-response time down to 60 minutes", owner: "sofia", target: 60}

// kpiRecord is a value of a KPI on a date.
type kpiRecord struct {
	date  time.Time
	value float64
}

// kpis adds Northwind's KPIs at the set-up with the history imported from
// a spreadsheet, names them on the objectives they are meant to move, adds a
// key result that follows one of them, and then records the values that
// arrive after the set-up on their days, so that the key result is checked
// in by itself week after week.
func (s *seeder) kpis() error {
	rng := rand.New(rand.NewPCG(0x6b706973, 0x6e6f7274)) // the demo's own, so the other steps draw as before
	s.startAt(at(s.cal.setupAt, 15, 0))
	setupDay := date(s.cal.setupAt)
	ids := map[string]okr.KPI{}
	history := map[string][]kpiRecord{}
	byObjective := map[string][]string{}
	for _, k := range kpis {
		s.tick()
		created, err := s.a.CreateKPI(s.ctx, s.owner, app.KPIInput{Name: k.name, Description: k.description, Unit: k.unit,
			UnitLabel: k.label, Currency: k.currency, Direction: k.direction, OwnerID: s.users[k.owner], Green: &k.green,
			Red: &k.red, Frequency: k.frequency}, "")
		if err != nil {
			return fmt.Errorf("%q: %w", k.name, err)
		}
		ids[k.key] = created
		history[k.key] = s.kpiHistory(k, rng)
		// What happened before the set-up comes from a spreadsheet.
		var csv strings.Builder
		csv.WriteString("date,value,note\n")
		n := 0
		for _, r := range history[k.key] {
			if date(r.date) < setupDay {
				fmt.Fprintf(&csv, "%s,%s,\n", date(r.date), strconv.FormatFloat(r.value, 'f', -1, 64))
				n++
			}
		}
		if n > 0 {
			s.tick()
			if _, err := s.a.ImportKPIRecords(s.ctx, s.owner, created.ID, strings.NewReader(csv.String()), false); err != nil {
				return fmt.Errorf("%q: import: %w", k.name, err)
			}
		}
		for _, o := range k.objectives {
			byObjective[o] = append(byObjective[o], created.ID)
		}
	}
	for i := range objectives {
		key := objectives[i].key
		named := byObjective[key]
		if len(named) == 0 {
			continue
		}
		o, err := s.a.GetObjective(s.ctx, s.owner, s.objectives[key].ID)
		if err != nil {
			return err
		}
		s.tick()
		o, err = s.a.UpdateObjective(s.ctx, s.owner, o.ID, &o.Version, app.ObjectiveUpdate{KPIIDs: &named})
		if err != nil {
			return fmt.Errorf("KPIs of %q: %w", o.Title, err)
		}
		s.objectives[key] = o
	}

	// The key result that follows first-response time, added the day the quarter starts.
	follow := ids[kpiKeyResult.kpi]
	type post struct {
		kpi string
		rec kpiRecord
	}
	var later []post
	for _, k := range kpis {
		for _, r := range history[k.key] {
			if date(r.date) >= setupDay {
				later = append(later, post{kpi: k.key, rec: r})
			}
		}
	}
	krAt := at(s.cal.qStart, 9, 40)
	krMade := false
	makeKR := func() error {
		s.clock.Set(krAt)
		measure := []byte(`{"kpi_id":"` + follow.ID + `"}`)
		// It starts from the KPI's latest value (okra's default, made explicit
		// for a quarter that starts before the KPI's first record).
		baseline := kpiSpecOf(kpiKeyResult.kpi).from
		for _, r := range history[kpiKeyResult.kpi] {
			if at(r.date, 10, 5).Before(krAt) {
				baseline = r.value
			}
		}
		_, err := s.a.CreateKeyResult(s.ctx, s.actors[kpiKeyResult.owner], app.KeyResultInput{
			ObjectiveID: s.objectives[kpiKeyResult.objective].ID, Title: kpiKeyResult.title, OwnerID: s.users[kpiKeyResult.owner],
			Kind: okr.Decrease, Baseline: &baseline, Target: &kpiKeyResult.target, Indicator: okr.Leading, Source: okr.SourceKPI,
			Measure: measure}, "")
		krMade = true
		return err
	}
	// Records arrive in time order, each on its day, by the KPI's owner (or their script).
	for i := 1; i < len(later); i++ {
		for j := i; j > 0 && later[j].rec.date.Before(later[j-1].rec.date); j-- {
			later[j], later[j-1] = later[j-1], later[j]
		}
	}
	for i, p := range later {
		spec := kpiSpecOf(p.kpi)
		t := at(p.rec.date, 10, 5).Add(time.Duration(i) * time.Minute)
		if !krMade && !t.Before(krAt) {
			if err := makeKR(); err != nil {
				return err
			}
		}
		if !t.Before(s.cal.now) {
			continue
		}
		s.clock.Set(t)
		actor := s.actors[spec.owner]
		if spec.script {
			actor.Session = false // the help-desk export posts with the owner's API token
		}
		v := p.rec.value
		if _, err := s.a.RecordKPIValue(s.ctx, actor, ids[p.kpi].ID, app.KPIRecordInput{Date: date(p.rec.date), Value: &v}); err != nil {
			return fmt.Errorf("%q on %s: %w", spec.name, date(p.rec.date), err)
		}
	}
	if !krMade {
		return makeKR()
	}
	return nil
}

func kpiSpecOf(key string) kpiSpec {
	for _, k := range kpis {
		if k.key == key {
			return k
		}
	}
	return kpiSpec{}
}

// kpiHistory draws a KPI's records up to today: Mondays for weekly KPIs,
// month ends for monthly ones, oldest first.
func (s *seeder) kpiHistory(k kpiSpec, rng *rand.Rand) []kpiRecord {
	today := s.cal.now.In(s.cal.loc)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, s.cal.loc)
	var dates []time.Time
	if k.frequency == okr.Monthly {
		first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, s.cal.loc)
		for m := kpiMonths; m >= 1; m-- {
			dates = append(dates, first.AddDate(0, -m+1, -1)) // the last day of each past month
		}
	} else {
		monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
		for w := kpiWeeks - 1; w >= k.silentWeeks; w-- {
			dates = append(dates, monday.AddDate(0, 0, -7*w))
		}
	}
	scale := math.Pow(10, float64(k.decimals))
	out := make([]kpiRecord, len(dates))
	for i, d := range dates {
		share := 1.0
		if len(dates) > 1 {
			share = float64(i) / float64(len(dates)-1)
		}
		v := k.from + (k.to-k.from)*share + k.noise*(2*rng.Float64()-1)
		if i == len(dates)-1 {
			v = k.to
		}
		out[i] = kpiRecord{date: d, value: math.Round(v*scale) / scale}
	}
	return out
}
