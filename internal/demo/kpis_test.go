package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// TestSeedKPIs: Northwind's KPIs carry a quarter of records in every
// status, objectives name them, and a key result follows one by itself,
// checked in automatically week after week.
func TestSeedKPIs(t *testing.T) {
	s := seed(t, mid2026)
	ctx := context.Background()
	s.clock.Set(s.now) // statuses as the demo's "now" sees them
	page, err := s.a.ListKPIs(ctx, s.owner, app.KPIQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 6 {
		t.Fatalf("%d KPIs, want 6", len(page.Items))
	}
	statuses := map[okr.KPIStatus]int{}
	var frt okr.KPI
	for _, k := range page.Items {
		statuses[k.Status]++
		recs, err := s.a.KPIHistory(ctx, s.owner, k.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if first, err := recs[0].Date.Time(s.now.Location()); err != nil || s.now.Sub(first).Hours() < 24*80 {
			t.Errorf("%s: history from %s, want about a quarter", k.Name, recs[0].Date)
		}
		if len(k.ObjectiveIDs) == 0 {
			t.Errorf("%s moves no objective", k.Name)
		}
		if k.Name == "Support first-response time" {
			frt = k
		}
	}
	for _, st := range []okr.KPIStatus{okr.KPIGreen, okr.KPIYellow, okr.KPIRed, okr.KPIOverdue} {
		if statuses[st] == 0 {
			t.Errorf("no KPI is %s: %v", st, statuses)
		}
	}
	if len(frt.KeyResultIDs) != 1 {
		t.Fatalf("first-response time feeds %v, want one key result", frt.KeyResultIDs)
	}
	kr, err := s.a.GetKeyResult(ctx, s.owner, frt.KeyResultIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	if kr.Source != okr.SourceKPI || kr.Current != frt.Latest.Value || kr.Progress <= 0 || kr.Health == okr.HealthOutdated {
		t.Errorf("the KPI key result: source %s current %g (KPI %g) progress %g health %s", kr.Source, kr.Current, frt.Latest.Value, kr.Progress, kr.Health)
	}
	cs, err := s.a.ListCheckIns(ctx, s.owner, kr.ID, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs.Items) < 5 {
		t.Errorf("%d check-ins on the KPI key result, want weeks of them", len(cs.Items))
	}
	for _, c := range cs.Items {
		if c.Source != okr.SourceKPI || !strings.Contains(c.Note, "Support first-response time") {
			t.Errorf("check-in %+v is not an automatic one from the KPI", c)
		}
	}
	recs, _ := s.a.ListKPIRecords(ctx, s.owner, frt.ID, app.KPIRecordQuery{})
	if recs.Items[0].Source != okr.SourceAPI || recs.Items[len(recs.Items)-1].Source != okr.SourceImport {
		t.Errorf("first-response records: newest from %s, oldest from %s; want api and import", recs.Items[0].Source, recs.Items[len(recs.Items)-1].Source)
	}
}
