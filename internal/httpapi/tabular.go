package httpapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"mime"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/tabular"
)

const tagImportExport = "Import and export"

// tabularRoutes registers the spreadsheet exports and the OKR import.
func (s *Server) tabularRoutes(api huma.API) {
	exp := get("/exports/{dataset}", "exportDataset",
		"Download a dataset as CSV or XLSX: what you may see, with formulas neutralized", tagImportExport)
	exp.Description = "objectives, key_results, check_ins and initiatives of a period (or of every period), or learning " +
		"records (enrollments due or completed within the period, or all). CSV is UTF-8 with a header line; XLSX is " +
		"one sheet with numbers as numbers and dates as dates. A text cell that starts with =, +, -, @, a tab or a " +
		"carriage return gets a single quote in front (OWASP's advice against formula injection)."
	binary := &huma.Schema{Type: huma.TypeString, Format: "binary"}
	exp.Responses = map[string]*huma.Response{"200": {
		Description: "The file, with a Content-Disposition that names it.",
		Content: map[string]*huma.MediaType{
			"text/csv":                 {Schema: &huma.Schema{Type: huma.TypeString}},
			tabular.XLSX.ContentType(): {Schema: binary},
		},
	}}
	register(s, api, exp, s.exportDataset)
	imp := action("/imports/okrs", "importOKRs",
		"Import objectives and key results from CSV or XLSX with a column mapping; all or nothing, dry_run shows the plan", tagImportExport)
	imp.Description = "Each row is a key result with its objective's title; rows with the same objective title are one " +
		"objective, and a row without a key result makes an objective alone. Objectives are matched to the period's by " +
		"title, key results to theirs by title, so importing the same file twice changes nothing. A current value that " +
		"differs from the key result's is checked in (source import). Every problem names its line (row) and column."
	imp.MaxBodyBytes = maxImportBytes
	imp.Errors = append(imp.Errors, http.StatusUnprocessableEntity)
	register(s, api, imp, s.importOKRs)
}

type exportDatasetInput struct {
	Dataset  string `path:"dataset" enum:"objectives,key_results,check_ins,initiatives,learning" doc:"What to export."`
	PeriodID string `query:"period_id" doc:"The period; absent: every period (for learning: every enrollment)."`
	Format   string `query:"format" enum:"csv,xlsx" default:"csv" doc:"csv (UTF-8, header line) or xlsx (one sheet)."`
}

// fileOutput is a downloaded file.
type fileOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func (s *Server) exportDataset(ctx context.Context, in *exportDatasetInput) (*fileOutput, error) {
	format, err := tabular.ParseFormat(in.Format)
	if err != nil {
		var f errs.Fields
		f.Add("format", "must be csv or xlsx")
		return nil, f.Err()
	}
	x, err := s.app.Export(ctx, actorFrom(ctx), app.ExportQuery{Dataset: app.Dataset(in.Dataset), PeriodID: in.PeriodID})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := x.Table.Write(&b, format); err != nil {
		return nil, err
	}
	return &fileOutput{ContentType: format.ContentType(), Body: b.Bytes(),
		ContentDisposition: mime.FormatMediaType("attachment", map[string]string{"filename": x.Name + "." + string(format)})}, nil
}

// OKRImportRequest is a spreadsheet of objectives and key results.
type OKRImportRequest struct {
	Format string `json:"format" enum:"csv,xlsx" doc:"The file's format."`
	// Content is a CSV file's text; ContentBase64 any file, base64-encoded.
	Content       string          `json:"content,omitempty" doc:"A CSV file's text (UTF-8). Give this or content_base64."`
	ContentBase64 string          `json:"content_base64,omitempty" doc:"The file, base64-encoded (needed for xlsx)."`
	Sheet         string          `json:"sheet,omitempty" doc:"XLSX: the sheet to read; default the first."`
	Mapping       *app.OKRMapping `json:"mapping,omitempty" doc:"Which column holds each field, by header; absent: guessed from the header (Objective, Key Result, Owner, Start value or Baseline, Target, Current or Progress, Unit, Due date)."`
	DateFormat    app.DateFormat  `json:"date_format,omitempty" enum:"YYYY-MM-DD,DD/MM/YYYY,M/D/YYYY" doc:"How to read dates that are not YYYY-MM-DD; default YYYY-MM-DD."`
	Decimal       string          `json:"decimal,omitempty" maxLength:"1" doc:"The decimal separator, . or ,; absent: either (then 1,234 and 1.234 are refused as ambiguous)."`
}

type importOKRsInput struct {
	PeriodID string `query:"period_id" required:"true" doc:"The period to import into."`
	DryRun   bool   `query:"dry_run" doc:"Report what the import would do, and change nothing."`
	Body     OKRImportRequest
}

// importOKRs imports a spreadsheet; a file with problems is a 422 whose
// errors say the line and column (a dry run reports them in its body).
func (s *Server) importOKRs(ctx context.Context, in *importOKRsInput) (*bodyOutput[app.OKRImportResult], error) {
	var f errs.Fields
	format, err := tabular.ParseFormat(in.Body.Format)
	if err != nil {
		f.Add("format", "must be csv or xlsx")
	}
	content := []byte(in.Body.Content)
	switch {
	case in.Body.Content != "" && in.Body.ContentBase64 != "":
		f.Add("content", "give the file once: content (CSV text) or content_base64")
	case in.Body.ContentBase64 != "":
		if content, err = base64.StdEncoding.DecodeString(in.Body.ContentBase64); err != nil {
			f.Add("content_base64", "is not base64: %v", err)
		}
	case in.Body.Content == "":
		f.Add("content", "give the file: content (CSV text) or content_base64")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	req := app.OKRImportInput{PeriodID: in.PeriodID, Format: format, Content: content, Sheet: in.Body.Sheet,
		DateFormat: in.Body.DateFormat, Decimal: in.Body.Decimal, DryRun: in.DryRun}
	if in.Body.Mapping != nil {
		req.Mapping = *in.Body.Mapping
	}
	res, err := s.app.ImportOKRs(ctx, actorFrom(ctx), req)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.OKRImportResult]{Body: res}, nil
}
