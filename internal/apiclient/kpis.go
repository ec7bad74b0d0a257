package apiclient

import (
	"context"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// CreateKPI adds a KPI (admin).
func (c *Client) CreateKPI(ctx context.Context, in app.KPIInput) (okr.KPI, error) {
	var k okr.KPI
	return k, c.post(ctx, path("kpis"), in, &k)
}

// GetKPI returns a KPI with its latest record and status.
func (c *Client) GetKPI(ctx context.Context, id string) (okr.KPI, error) {
	var k okr.KPI
	return k, c.get(ctx, path("kpis", id), nil, &k)
}

// UpdateKPI changes a KPI based on version.
func (c *Client) UpdateKPI(ctx context.Context, id string, version int, in app.KPIUpdate) (okr.KPI, error) {
	var k okr.KPI
	return k, c.patch(ctx, path("kpis", id), version, in, &k)
}

// RecordKPIValues records values of a KPI; a value for a date that has one replaces it.
func (c *Client) RecordKPIValues(ctx context.Context, id string, records ...app.KPIRecordInput) (app.KPIRecords, error) {
	var res app.KPIRecords
	return res, c.post(ctx, path("kpis", id, "records"), map[string]any{"records": records}, &res)
}

// ImportKPIRecords imports a CSV file of a KPI's records (date,value[,note]).
func (c *Client) ImportKPIRecords(ctx context.Context, id, csv string, dryRun bool) (app.KPIImport, error) {
	var res app.KPIImport
	return res, c.post(ctx, path("kpis", id, "records", "import"), map[string]any{"csv": csv, "dry_run": dryRun}, &res)
}
