package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/store"
)

// kpiWorld is the world of access_test on a clock set to 2027-02-01, with
// the period active and a KPI "Monthly churn" (lower is better, green at 2,
// red at 4, weekly) owned by ann.
type kpiWorld struct {
	*world
	clock *dayClock
	churn okr.KPI
}

func newKPIWorld(t *testing.T) *kpiWorld {
	t.Helper()
	ctx := context.Background()
	clock := &dayClock{}
	clock.set(t, "2027-01-04")
	w := &kpiWorld{world: newWorldWith(t, store.Config{Now: clock.Now}), clock: clock}
	if _, err := w.a.ActivatePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	var err error
	w.churn, err = w.a.CreateKPI(ctx, w.owner, app.KPIInput{Name: "Monthly churn", Unit: okr.UnitPercent, Direction: okr.LowerIsBetter,
		OwnerID: w.ann.UserID, Green: ptr(2.0), Red: ptr(4.0), Frequency: okr.Weekly}, "")
	if err != nil {
		t.Fatal(err)
	}
	clock.set(t, "2027-02-01")
	return w
}

// put records one value as actor.
func (w *kpiWorld) put(t *testing.T, date okr.Date, value float64) app.KPIRecords {
	t.Helper()
	res, err := w.a.RecordKPIValue(context.Background(), w.ann, w.churn.ID, app.KPIRecordInput{Date: date, Value: &value})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// kpiCheckIns lists a key result's check-ins with source kpi, newest first.
func (w *kpiWorld) kpiCheckIns(t *testing.T, krID string) []okr.CheckIn {
	t.Helper()
	page, err := w.a.ListCheckIns(context.Background(), w.owner, krID, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []okr.CheckIn
	for _, c := range page.Items {
		if c.Source == okr.SourceKPI {
			out = append(out, c)
		}
	}
	return out
}

func fieldsOf(err error) map[string]string {
	out := map[string]string{}
	var e *errs.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if _, ok := out[f.Field]; !ok {
				out[f.Field] = f.Message
			}
		}
	}
	return out
}

// TestKPIKeyResultFollowsLatestValue: a key result with source kpi starts
// from the KPI's latest value, is checked in automatically whenever the
// latest record changes (never for an older date, never for the same
// value), refuses manual values, and rolls its objective up.
func TestKPIKeyResultFollowsLatestValue(t *testing.T) {
	ctx := context.Background()
	w := newKPIWorld(t)
	w.put(t, "2027-01-25", 5)
	w.put(t, "2027-01-18", 6) // older: the latest stays 5

	obj, err := w.a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Keep every customer we win",
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}, KPIIDs: []string{w.churn.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(obj.KPIIDs) != 1 || obj.KPIIDs[0] != w.churn.ID {
		t.Fatalf("objective kpi_ids = %v, want [%s]", obj.KPIIDs, w.churn.ID)
	}
	measure := json.RawMessage(`{"kpi_id":"` + w.churn.ID + `"}`)
	kr, err := w.a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: obj.ID, Title: "Bring monthly churn down to 2%",
		Kind: okr.Decrease, Target: ptr(2.0), Source: okr.SourceKPI, Measure: measure, OwnerID: w.ann.UserID}, "")
	if err != nil {
		t.Fatal(err)
	}
	if kr.Baseline != 5 || kr.Current != 5 || kr.Unit != okr.UnitPercent || kr.Progress != 0 {
		t.Errorf("new kpi key result: baseline %g, current %g, unit %s, progress %g; want 5, 5, percent, 0", kr.Baseline, kr.Current, kr.Unit, kr.Progress)
	}
	cs := w.kpiCheckIns(t, kr.ID)
	if len(cs) != 1 || cs[0].Value != 5 || !strings.Contains(cs[0].Note, "Monthly churn") || !strings.Contains(cs[0].Note, "2027-01-25") {
		t.Fatalf("creation check-in: %+v", cs)
	}

	// A new latest date moves it: (5 − 3.5) / (5 − 2) = 0.5.
	res := w.put(t, "2027-02-01", 3.5)
	if res.Created != 1 || res.Replaced != 0 || res.KeyResults != 1 || res.KPI.Status != okr.KPIYellow || res.KPI.Latest.Value != 3.5 {
		t.Errorf("record: created %d replaced %d checked in %d status %s", res.Created, res.Replaced, res.KeyResults, res.KPI.Status)
	}
	got, err := w.a.GetKeyResult(ctx, w.owner, kr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Current != 3.5 || math.Abs(got.Progress-0.5) > 1e-9 {
		t.Errorf("after 3.5: current %g progress %g, want 3.5 and 0.5", got.Current, got.Progress)
	}
	o, err := w.a.GetObjective(ctx, w.owner, obj.ID)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(o.Progress-0.5) > 1e-9 {
		t.Errorf("objective progress %g, want 0.5 (rolled up)", o.Progress)
	}
	cs = w.kpiCheckIns(t, kr.ID)
	if len(cs) != 2 || cs[0].Value != 3.5 || cs[0].PreviousValue != 5 || cs[0].AuthorID != w.ann.UserID {
		t.Errorf("check-ins after 3.5: %+v", cs)
	}

	// An older date, and the same latest value again, check nothing in.
	if res := w.put(t, "2027-01-11", 7); res.KeyResults != 0 {
		t.Errorf("an older record checked in %d key results", res.KeyResults)
	}
	if res := w.put(t, "2027-02-01", 3.5); res.Replaced != 1 || res.KeyResults != 0 {
		t.Errorf("the same value again: replaced %d, checked in %d; want 1, 0", res.Replaced, res.KeyResults)
	}
	// Replacing the latest date's value is a new latest value.
	if res := w.put(t, "2027-02-01", 2); res.Replaced != 1 || res.KeyResults != 1 {
		t.Errorf("a corrected latest value: replaced %d, checked in %d; want 1, 1", res.Replaced, res.KeyResults)
	}
	got, _ = w.a.GetKeyResult(ctx, w.owner, kr.ID)
	if got.Current != 2 || got.Progress != 1 {
		t.Errorf("at target: current %g progress %g", got.Current, got.Progress)
	}
	if n := len(w.kpiCheckIns(t, kr.ID)); n != 3 {
		t.Errorf("%d kpi check-ins, want 3", n)
	}

	// Manual values are refused; confidence and status are welcome.
	_, err = w.a.CheckIn(ctx, w.ann, kr.ID, app.CheckInInput{Value: ptr(1.0), Confidence: 0.8, Status: okr.OnTrack}, "")
	if f := fieldsOf(err); !strings.Contains(f["value"], "KPI") {
		t.Errorf("a manual value on a kpi key result: %v", err)
	}
	if _, err := w.a.CheckIn(ctx, w.ann, kr.ID, app.CheckInInput{Confidence: 0.8, Status: okr.OnTrack}, ""); err != nil {
		t.Errorf("a confidence-only check-in: %v", err)
	}

	// The KPI names what it moves and feeds.
	k, err := w.a.GetKPI(ctx, w.bob, w.churn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(k.ObjectiveIDs) != 1 || k.ObjectiveIDs[0] != obj.ID || len(k.KeyResultIDs) != 1 || k.KeyResultIDs[0] != kr.ID {
		t.Errorf("KPI links: objectives %v key results %v", k.ObjectiveIDs, k.KeyResultIDs)
	}
	// Its key results keep the KPI's unit.
	unit, label := okr.UnitCustom, "points"
	k, err = w.a.UpdateKPI(ctx, w.owner, w.churn.ID, &k.Version, app.KPIUpdate{Unit: &unit, UnitLabel: &label})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := w.a.GetKeyResult(ctx, w.owner, kr.ID); got.Unit != okr.UnitCustom || got.UnitLabel != "points" {
		t.Errorf("after the KPI's unit changed the key result is in %s %q", got.Unit, got.UnitLabel)
	}
	// A followed KPI cannot be deleted.
	if err := w.a.DeleteKPI(ctx, w.owner, w.churn.ID); !errs.Is(err, errs.Conflict) {
		t.Errorf("deleting a followed KPI: %v, want conflict", err)
	}
}

// TestKPIKeyResultValidation: the measure must name a KPI of the
// organization, the kind must be a number, and without records a baseline
// must be given.
func TestKPIKeyResultValidation(t *testing.T) {
	ctx := context.Background()
	w := newKPIWorld(t)
	obj, err := w.a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Keep every customer we win",
		Owner: app.OwnerInput{Type: okr.OwnerOrg}}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		in    app.KeyResultInput
		field string
	}{
		{"no measure", app.KeyResultInput{Kind: okr.Decrease, Baseline: ptr(5.0), Target: ptr(2.0)}, "measure"},
		{"unknown KPI", app.KeyResultInput{Kind: okr.Decrease, Baseline: ptr(5.0), Target: ptr(2.0), Measure: json.RawMessage(`{"kpi_id":"nope"}`)}, "measure.kpi_id"},
		{"milestone kind", app.KeyResultInput{Kind: okr.Boolean, Measure: json.RawMessage(`{"kpi_id":"` + w.churn.ID + `"}`)}, "kind"},
		{"no records, no baseline", app.KeyResultInput{Kind: okr.Decrease, Target: ptr(2.0), Measure: json.RawMessage(`{"kpi_id":"` + w.churn.ID + `"}`)}, "baseline"},
	} {
		in := c.in
		in.ObjectiveID, in.Title, in.Source = obj.ID, "Churn", okr.SourceKPI
		_, err := w.a.CreateKeyResult(ctx, w.owner, in, "")
		if f := fieldsOf(err); f[c.field] == "" {
			t.Errorf("%s: errors %v, want one on %s", c.name, f, c.field)
		}
	}
	// With a baseline, a KPI without records is fine: the first record checks it in.
	kr, err := w.a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: obj.ID, Title: "Churn", Kind: okr.Decrease,
		Baseline: ptr(5.0), Target: ptr(2.0), Source: okr.SourceKPI, Measure: json.RawMessage(`{"kpi_id":"` + w.churn.ID + `"}`)}, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(w.kpiCheckIns(t, kr.ID)); n != 0 {
		t.Errorf("%d check-ins before the KPI has a value", n)
	}
	w.put(t, "2027-01-31", 4)
	if cs := w.kpiCheckIns(t, kr.ID); len(cs) != 1 || cs[0].Value != 4 {
		t.Errorf("first record's check-in: %+v", cs)
	}
	// Switching a manual key result to the KPI checks it in at once.
	manual, err := w.a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: obj.ID, Title: "Churn by hand", Kind: okr.Decrease,
		Baseline: ptr(6.0), Target: ptr(2.0)}, "")
	if err != nil {
		t.Fatal(err)
	}
	src := okr.SourceKPI
	manual, err = w.a.UpdateKeyResult(ctx, w.owner, manual.ID, &manual.Version, app.KeyResultUpdate{Source: &src,
		Measure: json.RawMessage(`{"kpi_id":"` + w.churn.ID + `"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if manual.Current != 4 || math.Abs(manual.Progress-0.5) > 1e-9 {
		t.Errorf("switched to the KPI: current %g progress %g, want 4 and 0.5", manual.Current, manual.Progress)
	}
}

// TestKPIPermissions: admins create and delete KPIs; an admin or the owner
// changes one and records its values; other members and viewers read.
func TestKPIPermissions(t *testing.T) {
	ctx := context.Background()
	w := newKPIWorld(t)
	in := app.KPIInput{Name: "NPS", Direction: okr.HigherIsBetter, Green: ptr(40.0), Red: ptr(20.0)}
	if _, err := w.a.CreateKPI(ctx, w.ann, in, ""); !errs.Is(err, errs.Forbidden) {
		t.Errorf("a member creates a KPI: %v", err)
	}
	v := 3.0
	if _, err := w.a.RecordKPIValue(ctx, w.bob, w.churn.ID, app.KPIRecordInput{Date: "2027-01-30", Value: &v}); !errs.Is(err, errs.Forbidden) {
		t.Errorf("a member who does not own it records: %v", err)
	}
	if _, err := w.a.RecordKPIValue(ctx, w.viola, w.churn.ID, app.KPIRecordInput{Date: "2027-01-30", Value: &v}); !errs.Is(err, errs.Forbidden) {
		t.Errorf("a viewer records: %v", err)
	}
	if _, err := w.a.RecordKPIValue(ctx, w.owner, w.churn.ID, app.KPIRecordInput{Date: "2027-01-30", Value: &v}); err != nil {
		t.Errorf("an admin records: %v", err)
	}
	name := "Monthly logo churn"
	k, err := w.a.UpdateKPI(ctx, w.ann, w.churn.ID, &w.churn.Version, app.KPIUpdate{Name: &name})
	if err != nil || k.Name != name || k.Version != 2 {
		t.Fatalf("the owner renames it: %v %+v", err, k)
	}
	other := w.bob.UserID
	if _, err := w.a.UpdateKPI(ctx, w.ann, w.churn.ID, &k.Version, app.KPIUpdate{OwnerID: &other}); fieldsOf(err)["owner_id"] == "" {
		t.Errorf("the owner gives it away: %v", err)
	}
	if _, err := w.a.UpdateKPI(ctx, w.bob, w.churn.ID, &k.Version, app.KPIUpdate{Name: &name}); !errs.Is(err, errs.Forbidden) {
		t.Errorf("another member renames it: %v", err)
	}
	if _, err := w.a.UpdateKPI(ctx, w.owner, w.churn.ID, ptr(1), app.KPIUpdate{Name: &name}); !errs.Is(err, errs.PreconditionFailed) {
		t.Errorf("a stale version: %v", err)
	}
	if _, err := w.a.GetKPI(ctx, w.viola, w.churn.ID); err != nil {
		t.Errorf("a viewer reads: %v", err)
	}
	if err := w.a.DeleteKPI(ctx, w.ann, w.churn.ID); !errs.Is(err, errs.Forbidden) {
		t.Errorf("the owner (a member) deletes: %v", err)
	}
	if err := w.a.DeleteKPI(ctx, w.owner, w.churn.ID); err != nil {
		t.Errorf("an admin deletes: %v", err)
	}
	if _, err := w.a.GetKPI(ctx, w.owner, w.churn.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("a deleted KPI: %v", err)
	}
}

// TestKPIValidation: thresholds against the direction, a unique name, and
// records with real dates in the past, once each, with values.
func TestKPIValidation(t *testing.T) {
	ctx := context.Background()
	w := newKPIWorld(t)
	_, err := w.a.CreateKPI(ctx, w.owner, app.KPIInput{Name: "Revenue", Direction: okr.HigherIsBetter, Green: ptr(10.0), Red: ptr(20.0),
		Unit: okr.UnitCurrency}, "")
	f := fieldsOf(err)
	if !strings.Contains(f["green"], "above the red") || f["currency"] == "" {
		t.Errorf("bad thresholds and no currency: %v", f)
	}
	_, err = w.a.CreateKPI(ctx, w.owner, app.KPIInput{Name: "Monthly churn", Direction: okr.LowerIsBetter, Green: ptr(1.0), Red: ptr(3.0)}, "")
	if f := fieldsOf(err); f["name"] == "" {
		t.Errorf("a taken name: %v", err)
	}
	_, err = w.a.CreateKPI(ctx, w.owner, app.KPIInput{Name: "Nothing"}, "")
	if f := fieldsOf(err); f["direction"] == "" || f["green"] == "" || f["red"] == "" {
		t.Errorf("no direction or thresholds: %v", f)
	}
	one := 1.0
	_, err = w.a.RecordKPIValues(ctx, w.ann, w.churn.ID, []app.KPIRecordInput{
		{Date: "2027-01-10", Value: &one}, {Date: "2027-02-02", Value: &one}, {Date: "2027-01-10", Value: &one},
		{Date: "10/01/2027", Value: &one}, {Date: "2027-01-12"}, {Date: "2027-01-13", Value: &one, Note: strings.Repeat("x", 1001)},
	})
	f = fieldsOf(err)
	for _, want := range []string{"records[1].date", "records[2].date", "records[3].date", "records[4].value", "records[5].note"} {
		if f[want] == "" {
			t.Errorf("no error on %s: %v", want, f)
		}
	}
	if !strings.Contains(f["records[1].date"], "future") {
		t.Errorf("a future date: %q", f["records[1].date"])
	}
	page, err := w.a.ListKPIRecords(ctx, w.owner, w.churn.ID, app.KPIRecordQuery{})
	if err != nil || len(page.Items) != 0 {
		t.Errorf("a refused batch wrote %d records (%v)", len(page.Items), err)
	}
}

// TestKPIStatusOverTime: a weekly KPI is overdue the day after a week
// without a record, and its status follows the latest value.
func TestKPIStatusOverTime(t *testing.T) {
	ctx := context.Background()
	w := newKPIWorld(t) // created 2027-01-04, now 2027-02-01
	k, _ := w.a.GetKPI(ctx, w.owner, w.churn.ID)
	if k.Status != okr.KPIOverdue || k.Latest != nil {
		t.Errorf("no record four weeks after creation: %s", k.Status)
	}
	w.put(t, "2027-02-01", 1.5)
	for _, c := range []struct {
		day  string
		want okr.KPIStatus
	}{{"2027-02-01", okr.KPIGreen}, {"2027-02-08", okr.KPIGreen}, {"2027-02-09", okr.KPIOverdue}} {
		w.clock.set(t, c.day)
		k, err := w.a.GetKPI(ctx, w.owner, w.churn.ID)
		if err != nil {
			t.Fatal(err)
		}
		if k.Status != c.want {
			t.Errorf("on %s: %s, want %s", c.day, k.Status, c.want)
		}
	}
	w.put(t, "2027-02-09", 4.2)
	page, err := w.a.ListKPIs(ctx, w.viola, app.KPIQuery{})
	if err != nil || len(page.Items) != 1 || page.Items[0].Status != okr.KPIRed || page.Items[0].Latest.Value != 4.2 {
		t.Errorf("list after 4.2: %v %+v", err, page.Items)
	}
}

// TestKPIImport: a CSV file is imported all or nothing, with line numbers in
// its errors; a dry run reports and writes nothing; a date that has a value
// is replaced.
func TestKPIImport(t *testing.T) {
	ctx := context.Background()
	w := newKPIWorld(t)
	w.put(t, "2027-01-11", 4.4)
	bad := "date,value,note\n2027-01-04,4.6,start\n2027-01-11,abc\n2027-13-01,3\n2027-01-25,\n"
	_, err := w.a.ImportKPIRecords(ctx, w.ann, w.churn.ID, strings.NewReader(bad), false)
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid {
		t.Fatalf("a bad file: %v", err)
	}
	var msgs []string
	for _, f := range e.Fields {
		msgs = append(msgs, f.Field+": "+f.Message)
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{"csv: line 3: the value \"abc\" is not a number", "csv: line 4: the date \"2027-13-01\"", "csv: line 5: the value is empty"} {
		if !strings.Contains(joined, want) {
			t.Errorf("errors lack %q:\n%s", want, joined)
		}
	}
	page, _ := w.a.ListKPIRecords(ctx, w.owner, w.churn.ID, app.KPIRecordQuery{})
	if len(page.Items) != 1 {
		t.Errorf("a refused file wrote records: %d", len(page.Items))
	}

	good := "Date;Value\n" // semicolons are not commas: no value column
	if _, err := w.a.ImportKPIRecords(ctx, w.ann, w.churn.ID, strings.NewReader(good), false); !strings.Contains(fieldsOf(err)["csv"], "no date column") {
		t.Errorf("a header without the columns: %v", err)
	}

	file := "value,date,note\n4.6,2027-01-04,start\n4.1,2027-01-11,corrected\n3.9,2027-01-18,\n"
	dry, err := w.a.ImportKPIRecords(ctx, w.ann, w.churn.ID, strings.NewReader(file), true)
	if err != nil {
		t.Fatal(err)
	}
	if !dry.DryRun || dry.Created != 2 || dry.Replaced != 1 || len(dry.Rows) != 3 || dry.Rows[1].Action != "replace" || dry.Rows[1].Line != 3 {
		t.Errorf("dry run: %+v", dry)
	}
	page, _ = w.a.ListKPIRecords(ctx, w.owner, w.churn.ID, app.KPIRecordQuery{})
	if len(page.Items) != 1 || page.Items[0].Value != 4.4 {
		t.Errorf("a dry run wrote: %+v", page.Items)
	}
	res, err := w.a.ImportKPIRecords(ctx, w.ann, w.churn.ID, strings.NewReader(file), false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || res.Replaced != 1 || res.KPI.Latest == nil || res.KPI.Latest.Value != 3.9 {
		t.Errorf("import: %+v", res)
	}
	page, _ = w.a.ListKPIRecords(ctx, w.owner, w.churn.ID, app.KPIRecordQuery{})
	var got []string
	for _, r := range page.Items {
		got = append(got, string(r.Date)+"="+strings.TrimRight(strings.TrimRight(jsonNum(r.Value), "0"), ".")+":"+string(r.Source))
	}
	if strings.Join(got, " ") != "2027-01-18=3.9:import 2027-01-11=4.1:import 2027-01-04=4.6:import" {
		t.Errorf("records after the import, newest first: %v", got)
	}
	// Without a header, the columns are date, value, note.
	res, err = w.a.ImportKPIRecords(ctx, w.ann, w.churn.ID, strings.NewReader("2027-01-25,3.7,no header\n"), false)
	if err != nil || res.Created != 1 || res.KPI.Latest.Value != 3.7 || res.Rows[0].Note != "no header" {
		t.Errorf("headerless import: %v %+v", err, res)
	}
}

func jsonNum(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestObjectiveKPIs: objectives name the KPIs they move; unknown ids are
// refused per field, updates replace the list.
func TestObjectiveKPIs(t *testing.T) {
	ctx := context.Background()
	w := newKPIWorld(t)
	nps, err := w.a.CreateKPI(ctx, w.owner, app.KPIInput{Name: "NPS", Direction: okr.HigherIsBetter, Green: ptr(40.0), Red: ptr(20.0)}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Delight our customers",
		Owner: app.OwnerInput{Type: okr.OwnerOrg}, KPIIDs: []string{nps.ID, "missing"}}, "")
	if f := fieldsOf(err); f["kpi_ids[1]"] == "" {
		t.Errorf("an unknown KPI: %v", err)
	}
	o, err := w.a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Delight our customers",
		Owner: app.OwnerInput{Type: okr.OwnerOrg}, KPIIDs: []string{nps.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{w.churn.ID, nps.ID, nps.ID}
	o, err = w.a.UpdateObjective(ctx, w.owner, o.ID, &o.Version, app.ObjectiveUpdate{KPIIDs: &ids})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{w.churn.ID, nps.ID}
	if nps.ID < w.churn.ID {
		want = []string{nps.ID, w.churn.ID}
	}
	if strings.Join(o.KPIIDs, ",") != strings.Join(want, ",") {
		t.Errorf("after the update: %v, want %v", o.KPIIDs, want)
	}
	page, err := w.a.ListObjectives(ctx, w.bob, app.ObjectiveQuery{PeriodID: w.period.ID})
	if err != nil || len(page.Items) != 1 || len(page.Items[0].KPIIDs) != 2 {
		t.Errorf("list: %v %+v", err, page.Items)
	}
	// Another title only: the KPIs stay.
	title := "Delight every customer"
	o, err = w.a.UpdateObjective(ctx, w.owner, o.ID, &o.Version, app.ObjectiveUpdate{Title: &title})
	if err != nil || len(o.KPIIDs) != 2 {
		t.Errorf("a title change dropped the KPIs: %v %v", err, o.KPIIDs)
	}
}

// A kept objective moves the same KPIs next period, and its KPI key result
// starts from the KPI's latest value and follows the next records.
func TestCarriedObjectiveFollowsItsKPIs(t *testing.T) {
	ctx := context.Background()
	w := newKPIWorld(t)
	w.put(t, "2027-01-25", 5)
	next, err := w.a.CreatePeriod(ctx, w.owner, app.PeriodInput{Name: "2027-Q2", Kind: okr.PeriodQuarterly, StartDate: "2027-04-01", EndDate: "2027-06-30"}, "")
	if err != nil {
		t.Fatal(err)
	}
	obj, err := w.a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Keep every customer we win",
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}, KPIIDs: []string{w.churn.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	old, err := w.a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: obj.ID, Title: "Bring monthly churn down to 2%",
		Kind: okr.Decrease, Target: ptr(2.0), Source: okr.SourceKPI, Measure: json.RawMessage(`{"kpi_id":"` + w.churn.ID + `"}`),
		OwnerID: w.ann.UserID}, "")
	if err != nil {
		t.Fatal(err)
	}
	w.put(t, "2027-02-01", 3.5)
	if _, err := w.a.ClosePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	carried, err := w.a.Decide(ctx, w.owner, obj.ID, app.DecisionInput{Decision: okr.Keep, NextPeriodID: next.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := w.a.GetObjective(ctx, w.owner, carried.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.KPIIDs) != 1 || got.KPIIDs[0] != w.churn.ID {
		t.Errorf("carried objective's kpi_ids = %v, want [%s]", got.KPIIDs, w.churn.ID)
	}
	krs, err := w.a.ListKeyResults(ctx, w.owner, app.KeyResultQuery{ObjectiveID: carried.ID})
	if err != nil || len(krs.Items) != 1 {
		t.Fatalf("carried key results: %v %v", krs.Items, err)
	}
	kr := krs.Items[0]
	if kr.Source != okr.SourceKPI || kr.Baseline != 3.5 || kr.Current != 3.5 || len(w.kpiCheckIns(t, kr.ID)) != 1 {
		t.Errorf("carried kpi key result: source %s baseline %g current %g kpi check-ins %d; want kpi, 3.5, 3.5, 1",
			kr.Source, kr.Baseline, kr.Current, len(w.kpiCheckIns(t, kr.ID)))
	}
	w.clock.set(t, "2027-02-08")
	w.put(t, "2027-02-08", 2.75) // (3.5 − 2.75) / (3.5 − 2) = 0.5
	if kr, err = w.a.GetKeyResult(ctx, w.owner, kr.ID); err != nil || kr.Current != 2.75 || math.Abs(kr.Progress-0.5) > 1e-9 {
		t.Errorf("after 2.75: current %g progress %g (%v), want 2.75 and 0.5", kr.Current, kr.Progress, err)
	}
	// The closed quarter's key result is history: the new value checks nothing in there.
	if closed, err := w.a.GetKeyResult(ctx, w.owner, old.ID); err != nil || closed.Current != 3.5 || len(w.kpiCheckIns(t, old.ID)) != 2 {
		t.Errorf("the closed key result: current %g, %d kpi check-ins (%v); want 3.5 and 2 (5 then 3.5)", closed.Current, len(w.kpiCheckIns(t, old.ID)), err)
	}
}
