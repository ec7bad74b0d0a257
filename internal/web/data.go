package web

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/tabular"
)

// Import & export: spreadsheets in and out. Every member downloads what
// they may see (objectives, key results, check-ins, initiatives, learning
// records) as CSV or XLSX; members who write import objectives and key
// results from a spreadsheet: upload, check the guessed column mapping on
// the first rows and the dry run, then import. Each step is a plain form
// post; the file travels between steps in a hidden field.

func (h *Handler) dataRoutes() {
	m := h.mux
	m.HandleFunc("GET /data", h.signedIn(h.dataPage))
	m.HandleFunc("GET /data/export/{dataset}", h.signedIn(h.dataExport))
	m.HandleFunc("POST /data/import", h.signedIn(h.dataImport))
}

// dataPreviewRows is how many rows of an uploaded file the mapping step shows.
const dataPreviewRows = 5

// dataView is the Import & export page.
type dataView struct {
	S *Shell
	// ExportPeriod is the period the download links are for ("" for every period).
	ExportPeriod string
	// CanImport is true for members who may write.
	CanImport bool
	Imp       dataImportForm
}

// dataImportForm is the import, carried from step to step.
type dataImportForm struct {
	// Content is the uploaded file, base64-encoded; empty before an upload.
	Content    string
	FileName   string
	Format     string
	Sheet      string
	PeriodID   string
	DateFormat string
	Decimal    string
	Header     []string
	Preview    []tabular.Row
	Mapping    app.OKRMapping
	Result     *app.OKRImportResult
	FE         FieldErrors
}

func (h *Handler) dataPage(w http.ResponseWriter, r *Request) {
	h.renderData(w, r, 0, dataImportForm{FE: FieldErrors{}})
}

func (h *Handler) renderData(w http.ResponseWriter, r *Request, status int, f dataImportForm) {
	s := h.shell(w, r, "Import & export", "")
	v := dataView{S: s, ExportPeriod: s.Period.ID, CanImport: r.Actor.CanWrite(), Imp: f}
	if e := r.URL.Query().Get("export"); e == "all" {
		v.ExportPeriod = ""
	} else if slices.ContainsFunc(s.Periods, func(p okr.Period) bool { return p.ID == e }) {
		v.ExportPeriod = e
	}
	if v.Imp.PeriodID == "" && s.Period.State != okr.PeriodClosed {
		v.Imp.PeriodID = s.Period.ID
	}
	if v.Imp.DateFormat == "" {
		v.Imp.DateFormat = string(app.DateISO)
	}
	h.render(w, r.Request, status, dataPage(v))
}

// OpenPeriods are the periods an import may go to.
func (v dataView) OpenPeriods() []okr.Period {
	var out []okr.Period
	for _, p := range v.S.Periods {
		if p.State != okr.PeriodClosed {
			out = append(out, p)
		}
	}
	return out
}

// exportHref is a download link.
func (v dataView) exportHref(d app.Dataset, format tabular.Format) string {
	q := url.Values{"format": {string(format)}}
	if v.ExportPeriod != "" {
		q.Set("period_id", v.ExportPeriod)
	}
	return "/data/export/" + string(d) + "?" + q.Encode()
}

// exportPeriodName names the period the links are for.
func (v dataView) exportPeriodName() string {
	for _, p := range v.S.Periods {
		if p.ID == v.ExportPeriod {
			return p.Name
		}
	}
	return "every period"
}

// dataExport sends a dataset as a file.
func (h *Handler) dataExport(w http.ResponseWriter, r *Request) {
	format, err := tabular.ParseFormat(r.URL.Query().Get("format"))
	if r.URL.Query().Get("format") == "" {
		format, err = tabular.CSV, nil
	}
	if err != nil {
		h.fail(w, r, errs.E(errs.NotFound, "no such format"))
		return
	}
	ds := app.Dataset(r.PathValue("dataset"))
	if !slices.Contains(app.Datasets, ds) {
		h.fail(w, r, errs.E(errs.NotFound, "no such export"))
		return
	}
	x, err := h.app.Export(r.Ctx(), r.Actor, app.ExportQuery{Dataset: ds, PeriodID: r.URL.Query().Get("period_id")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := x.Table.Write(&b, format); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", format.ContentType())
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": x.Name + "." + string(format)}))
	if _, err := w.Write(b.Bytes()); err != nil {
		h.log.Warn("sending an export", "err", err)
	}
}

// dataImport takes an upload (and guesses its mapping), or a mapping to
// check again or to import; every step but the import is a dry run.
func (h *Handler) dataImport(w http.ResponseWriter, r *Request) {
	f := dataImportForm{FE: FieldErrors{}, PeriodID: r.PostFormValue("period_id"), Sheet: strings.TrimSpace(r.PostFormValue("sheet")),
		DateFormat: r.PostFormValue("date_format"), Decimal: r.PostFormValue("decimal"), Format: r.PostFormValue("format")}
	var content []byte
	fresh := r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0
	if fresh {
		file, hdr, err := r.FormFile("file")
		if err == nil {
			content, err = io.ReadAll(io.LimitReader(file, app.MaxImportFileBytes+1))
			file.Close()
		}
		if err != nil {
			f.FE["file"] = "The file could not be read; upload it again."
			h.renderData(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		f.FileName = path.Base(hdr.Filename)
		if f.Format == "" || f.Format == "auto" {
			f.Format = string(tabular.CSV)
			if strings.EqualFold(path.Ext(f.FileName), ".xlsx") {
				f.Format = string(tabular.XLSX)
			}
		}
	} else {
		f.FileName = r.PostFormValue("file_name")
		var err error
		if content, err = base64.StdEncoding.DecodeString(r.PostFormValue("content")); err != nil {
			content = nil
		}
		for _, fd := range app.OKRImportFields {
			f.Mapping.Set(fd.Key, r.PostFormValue("map_"+fd.Key))
		}
	}
	if len(content) == 0 {
		f.FE["file"] = "Choose the file to import: a CSV or XLSX spreadsheet."
		h.renderData(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	f.Content = base64.StdEncoding.EncodeToString(content)
	format, err := tabular.ParseFormat(f.Format)
	if err != nil {
		f.FE["format"] = "Choose CSV or XLSX."
		h.renderData(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	sheet, err := app.ReadImportSheet(format, content, f.Sheet)
	if err != nil {
		f.Content = ""
		f.FE["file"] = adminSentence(messageOfField(err, "file"))
		h.renderData(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	f.Header = sheet.Header
	f.Preview = sheet.Rows[:min(len(sheet.Rows), dataPreviewRows)]
	if fresh {
		f.Mapping = app.GuessOKRMapping(sheet.Header)
	}
	apply := !fresh && r.PostFormValue("step") == "apply"
	res, err := h.app.ImportOKRs(r.Ctx(), r.Actor, app.OKRImportInput{PeriodID: f.PeriodID, Format: format, Content: content,
		Sheet: f.Sheet, Mapping: f.Mapping, DateFormat: app.DateFormat(f.DateFormat), Decimal: f.Decimal, DryRun: !apply})
	if err != nil && len(res.Errors) == 0 {
		fe, ok := fieldErrors(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		for k, msg := range fe {
			f.FE[k] = adminSentence(msg)
		}
		h.renderData(w, r, adminStatus(err), f)
		return
	}
	if res.Mapping != (app.OKRMapping{}) {
		f.Mapping = res.Mapping
	}
	f.Result = &res
	if err != nil { // the import found problems (the data changed since the dry run): show them
		h.renderData(w, r, adminStatus(err), f)
		return
	}
	if apply {
		c := res.Counts
		h.redirect(w, r.Request, "/alignment?period="+url.QueryEscape(f.PeriodID), "Imported "+f.FileName+": "+
			strconv.Itoa(c.Create)+" created, "+strconv.Itoa(c.Update)+" changed, "+strconv.Itoa(c.Unchanged)+" unchanged (objectives and key results), "+
			okr.Plural(c.CheckIns, "current value")+" checked in.")
		return
	}
	h.renderData(w, r, 0, f)
}

// messageOfField is the message of an Invalid error's field, else its message.
func messageOfField(err error, field string) string {
	if fe, ok := fieldErrors(err); ok && fe[field] != "" {
		return fe[field]
	}
	return messageOf(err)
}

// importable says whether the dry run found no problem and something to do.
func (f dataImportForm) importable() bool {
	if f.Result == nil || len(f.Result.Errors) > 0 {
		return false
	}
	c := f.Result.Counts
	return c.Create+c.Update+c.CheckIns > 0
}

// actionText says what happens to an objective or key result.
func actionText(action string) string {
	switch action {
	case app.ActionCreate:
		return "new"
	case app.ActionUpdate:
		return "changed"
	case "unchanged":
		return "no change"
	}
	return ""
}

// dateFormatLabels name the date formats with an example.
var dateFormatLabels = map[app.DateFormat]string{
	app.DateISO: "YYYY-MM-DD (2027-03-31)",
	app.DateDMY: "DD/MM/YYYY (31/03/2027)",
	app.DateMDY: "M/D/YYYY (3/31/2027)",
}

// dataAllIfEmpty selects "every period" when the links are for no one period.
func dataAllIfEmpty(period string) string {
	if period == "" {
		return "all"
	}
	return period
}

// dataDescription says what a dataset's file holds.
func dataDescription(d app.Dataset) string {
	switch d {
	case app.DatasetObjectives:
		return "Objectives with owner, champion, state, progress, health, score and alignment."
	case app.DatasetKeyResults:
		return "Key results with their objective, owner, unit, baseline, target, current value, due date and health."
	case app.DatasetCheckIns:
		return "Every check-in: value, confidence, status, note, blockers, author and source."
	case app.DatasetInitiatives:
		return "Initiatives linked to the period's key results (and those linked to none): status, dates, budget, tasks."
	case app.DatasetLearning:
		return "Enrollments due or completed in the period: person, program, status, score, hours, completion date."
	}
	return ""
}

// dataFileProblems are the problems that belong to no row (the mapping, the file).
func dataFileProblems(ps []app.ImportError) []app.ImportError {
	var out []app.ImportError
	for _, p := range ps {
		if p.Line == 0 {
			out = append(out, p)
		}
	}
	return out
}

// dataProblem says a row's problem after the word Problem: its column and message.
func dataProblem(e app.ImportError) string {
	if e.Column != "" {
		return " in “" + e.Column + "”: " + e.Message
	}
	return ": " + e.Message
}
