package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

const tagKPIs = "KPIs"

// kpiRoutes registers the KPIs and their records.
func (s *Server) kpiRoutes(api huma.API) {
	register(s, api, create("/kpis", "createKPI", "Add a KPI: a business metric with thresholds and a frequency (admin)", tagKPIs), s.createKPI)
	register(s, api, list("/kpis", "listKPIs", "List the KPIs with their latest value and status", tagKPIs), s.listKPIs)
	register(s, api, get("/kpis/{id}", "getKPI", "Get a KPI with its latest value, status, objectives and key results", tagKPIs), s.getKPI)
	register(s, api, patch("/kpis/{id}", "updateKPI", "Change a KPI (an admin or its owner)", tagKPIs), s.updateKPI)
	register(s, api, del("/kpis/{id}", "deleteKPI", "Delete a KPI with its records; refused while key results follow it (admin)", tagKPIs), s.deleteKPI)
	register(s, api, get("/kpis/{id}/records", "listKPIRecords", "A KPI's records, newest date first", tagKPIs), s.listKPIRecords)
	rec := create("/kpis/{id}/records", "recordKPIValues",
		"Record one value {date, value, note} or several {records: [...]} (an admin or the KPI's owner); a value for a date that has one replaces it", tagKPIs)
	register(s, api, rec, s.recordKPIValues)
	imp := action("/kpis/{id}/records/import", "importKPIRecords",
		"Import a KPI's records from CSV (date,value[,note]); all or nothing, dry_run shows what would change (an admin or the KPI's owner)", tagKPIs)
	imp.MaxBodyBytes = maxImportBytes
	imp.Errors = append(imp.Errors, http.StatusUnprocessableEntity)
	register(s, api, imp, s.importKPIRecords)
}

type createKPIInput struct {
	IdempotencyHeader
	Body app.KPIInput
}

func (s *Server) createKPI(ctx context.Context, in *createKPIInput) (*createdTaggedOutput[okr.KPI], error) {
	k, err := s.app.CreateKPI(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(k, location("kpis", k.ID), k.Version), nil
}

type listKPIsInput struct {
	Q       string `query:"q" doc:"Only KPIs whose name or description contains this, ignoring case."`
	OwnerID string `query:"owner_id" doc:"Only this member's KPIs."`
	PageParams
}

func (s *Server) listKPIs(ctx context.Context, in *listKPIsInput) (*bodyOutput[app.Page[okr.KPI]], error) {
	page, err := s.app.ListKPIs(ctx, actorFrom(ctx), app.KPIQuery{Query: in.Q, OwnerID: in.OwnerID, PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[okr.KPI]]{Body: page}, nil
}

func (s *Server) getKPI(ctx context.Context, in *IDParam) (*taggedOutput[okr.KPI], error) {
	k, err := s.app.GetKPI(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(k, k.Version), nil
}

type updateKPIInput struct {
	IDParam
	IfMatchHeader
	Body app.KPIUpdate
}

func (s *Server) updateKPI(ctx context.Context, in *updateKPIInput) (*taggedOutput[okr.KPI], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	k, err := s.app.UpdateKPI(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(k, k.Version), nil
}

func (s *Server) deleteKPI(ctx context.Context, in *IDParam) (*noContent, error) {
	return nil, s.app.DeleteKPI(ctx, actorFrom(ctx), in.ID)
}

type listKPIRecordsInput struct {
	IDParam
	From string `query:"from" doc:"Only records on or after this date (YYYY-MM-DD)."`
	To   string `query:"to" doc:"Only records on or before this date (YYYY-MM-DD)."`
	PageParams
}

func (s *Server) listKPIRecords(ctx context.Context, in *listKPIRecordsInput) (*bodyOutput[app.Page[okr.KPIRecord]], error) {
	page, err := s.app.ListKPIRecords(ctx, actorFrom(ctx), in.ID, app.KPIRecordQuery{From: okr.Date(in.From), To: okr.Date(in.To),
		PageRequest: in.request()})
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[okr.KPIRecord]]{Body: page}, nil
}

// KPIRecordsRequest is one record, or several under records.
type KPIRecordsRequest struct {
	Date    okr.Date             `json:"date,omitempty" doc:"One record: the day the value is for (not in the future)."`
	Value   *float64             `json:"value,omitempty" doc:"One record: its value."`
	Note    string               `json:"note,omitempty" doc:"One record: a note."`
	Records []app.KPIRecordInput `json:"records,omitempty" maxItems:"5000" doc:"Several records at once, in one transaction; instead of date, value and note."`
}

type recordKPIValuesInput struct {
	IDParam
	Body KPIRecordsRequest
}

func (s *Server) recordKPIValues(ctx context.Context, in *recordKPIValuesInput) (*bodyOutput[app.KPIRecords], error) {
	var res app.KPIRecords
	var err error
	if len(in.Body.Records) > 0 {
		res, err = s.app.RecordKPIValues(ctx, actorFrom(ctx), in.ID, in.Body.Records)
	} else {
		res, err = s.app.RecordKPIValue(ctx, actorFrom(ctx), in.ID, app.KPIRecordInput{Date: in.Body.Date, Value: in.Body.Value, Note: in.Body.Note})
	}
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.KPIRecords]{Body: res}, nil
}

// KPIImportRequest is a CSV file of a KPI's records.
type KPIImportRequest struct {
	CSV    string `json:"csv" minLength:"1" doc:"The file's text: a header line date,value[,note] (or no header, the columns in that order), then one line per date."`
	DryRun bool   `json:"dry_run,omitempty" doc:"Report what the import would do, and change nothing."`
}

type importKPIRecordsInput struct {
	IDParam
	Body KPIImportRequest
}

func (s *Server) importKPIRecords(ctx context.Context, in *importKPIRecordsInput) (*bodyOutput[app.KPIImport], error) {
	res, err := s.app.ImportKPIRecords(ctx, actorFrom(ctx), in.ID, strings.NewReader(in.Body.CSV), in.Body.DryRun)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.KPIImport]{Body: res}, nil
}
