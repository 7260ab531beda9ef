package org

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

//go:embed templates/import.html templates/import_preview.html
var importTemplates embed.FS

// importPath is the import page; exports sit beside it at /organisation/export.csv and .xlsx.
const importPath = "/organisation/import"

// Request body limits of the import: the API's body is the file itself; the
// page's is a multipart form holding the file and the kind, with room for
// the form around the largest file the import reads.
var (
	importAPIMaxBody  = tabular.DefaultLimits.MaxBytes
	importPageMaxBody = tabular.DefaultLimits.MaxBytes + 1<<20
)

// RegisterImport adds the import and export pages to s and the import
// operation to a: importing needs Write, exporting Read.
func RegisterImport(s *web.Server, a *api.API, svc *Service) error {
	if err := addPages(s, importTemplates, "templates"); err != nil {
		return err
	}
	h := &importHandler{svc: svc, web: s}
	s.Handle("GET "+importPath, Read, h.page)
	s.HandleUpload("POST "+importPath, Write, importPageMaxBody, h.preview)
	s.Handle("POST "+importPath+"/{id}/bekrafta", Write, h.confirm)
	s.Handle("GET /organisation/export.csv", Read, func(w http.ResponseWriter, r *http.Request) error { return h.export(w, r, tabular.CSV) })
	s.Handle("GET /organisation/export.xlsx", Read, func(w http.ResponseWriter, r *http.Request) error { return h.export(w, r, tabular.XLSX) })
	registerImportAPI(a, svc, s.Catalog())
	return nil
}

type importHandler struct {
	svc *Service
	web *web.Server
}

// ImportPage is the data of the import and export page.
type ImportPage struct {
	Form     *web.Form
	CanWrite bool
	Kinds    []ImportKindHelp
	MaxMB    int64
}

// ImportKindHelp describes one kind of import: its choice in the form and
// its columns.
type ImportKindHelp struct {
	Kind    ImportKind
	Checked bool
	Columns []ImportColumnHelp
}

// ImportColumnHelp describes one column for the help text.
type ImportColumnHelp struct {
	ImportColumn
	Values []ImportValueHelp // the codes a coded column takes
}

// ImportValueHelp is one code of a coded column with the catalogue key of its name.
type ImportValueHelp struct {
	Code     string
	LabelKey string
}

// Key is the catalogue key describing the column.
func (c ImportColumnHelp) Key(kind ImportKind) string {
	return "org.import.col." + string(kind) + "." + c.Name
}

// importValues lists the codes of the coded columns, with their names.
func importValues(column string) []ImportValueHelp {
	var out []ImportValueHelp
	add := func(code, key string) { out = append(out, ImportValueHelp{Code: code, LabelKey: key}) }
	switch column {
	case "level":
		for _, l := range UnitLevels {
			add(string(l), "org.unit_level."+string(l))
		}
	case "kind", "workplace_kind":
		for _, k := range UnitKinds {
			add(string(k), "org.unit_kind."+string(k))
		}
	case "role":
		for _, r := range Roles {
			add(string(r), "org.role."+string(r))
		}
	case "composition":
		for _, c := range []Composition{Core, Extended} {
			add(string(c), "org.composition."+string(c))
		}
	}
	return out
}

func (h *importHandler) page(w http.ResponseWriter, r *http.Request) error {
	form := web.NewForm()
	form.Set("kind", r.URL.Query().Get("kind"))
	return h.renderForm(w, r, http.StatusOK, form)
}

func (h *importHandler) renderForm(w http.ResponseWriter, r *http.Request, status int, form *web.Form) error {
	data := ImportPage{Form: form, CanWrite: canWrite(r), MaxMB: tabular.DefaultLimits.MaxBytes >> 20}
	chosen := ImportKind(form.Get("kind"))
	if !ValidImportKind(chosen) {
		chosen = ImportUnits
	}
	for _, k := range ImportKinds {
		help := ImportKindHelp{Kind: k, Checked: k == chosen}
		for _, c := range importColumns[k] {
			help.Columns = append(help.Columns, ImportColumnHelp{ImportColumn: c, Values: importValues(c.Name)})
		}
		data.Kinds = append(data.Kinds, help)
	}
	return h.web.Render(w, r, status, "org/import", "org.import.title", data)
}

// ImportPreviewPage is the data of the page showing what an upload would do.
type ImportPreviewPage struct {
	tabular.Preview
	Result      ImportResult
	UploadID    int64 // the upload to confirm; 0 when there is nothing to confirm
	Changes     []ImportChange
	MoreChanges int
}

func newPreviewPage(res ImportResult, filename string) ImportPreviewPage {
	p := ImportPreviewPage{Preview: tabular.NewPreview(res.Counts, filename, "org.import.stale"), Result: res}
	p.Changes, p.MoreChanges = tabular.Capped(res.Changes)
	return p
}

// preview reads the uploaded file and shows what importing it would do. A
// file that passes is kept for the confirmation.
func (h *importHandler) preview(w http.ResponseWriter, r *http.Request) error {
	form := web.NewForm()
	kind, name, content, err := readUpload(r, form)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge): // over the route's limit on request bodies
		form.AddError("file", "org.import.upload_too_large", "max", tabular.DefaultLimits.MaxBytes>>20)
		return h.renderForm(w, r, http.StatusRequestEntityTooLarge, form)
	case err != nil:
		return err
	}
	var table *tabular.Table
	if !form.HasErrors() {
		if table, err = tabular.Parse(content, tabular.DefaultLimits); err != nil && !form.Fail(err) {
			return err
		}
	}
	if form.HasErrors() {
		return h.renderForm(w, r, http.StatusUnprocessableEntity, form)
	}
	res, err := h.svc.Import(r.Context(), kind, table, false)
	if err != nil {
		return err
	}
	page := newPreviewPage(res, name)
	status := http.StatusOK
	switch {
	case !res.OK():
		status = http.StatusUnprocessableEntity
	case res.New+res.Changed > 0:
		up, err := h.svc.SaveUpload(r.Context(), kind, name, content)
		if err != nil {
			return err
		}
		page.UploadID = up.ID
	}
	return h.web.Render(w, r, status, "org/import_preview", "org.import.preview_title", page)
}

// readUpload reads the import form: the kind and the file, the file up to one
// byte over the reader's limit, which tabular.Parse then reports. Problems
// with them are recorded on form; a body over the route's limit is returned
// as the *http.MaxBytesError.
func readUpload(r *http.Request, form *web.Form) (ImportKind, string, []byte, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		form.AddError("file", "org.import.file_required")
		return "", "", nil, nil
	}
	var name string
	var content []byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		var b []byte
		if err == nil {
			b, err = io.ReadAll(io.LimitReader(part, tabular.DefaultLimits.MaxBytes+1))
		}
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			return "", "", nil, fmt.Errorf("read upload: %w", err)
		case err != nil:
			return "", "", nil, fmt.Errorf("read upload: %w", errs.Invalidf("form", "validation.form"))
		case part.FormName() == "kind":
			form.Set("kind", strings.TrimSpace(string(b)))
		case part.FormName() == "file":
			name, content = part.FileName(), b
		}
	}
	kind := ImportKind(form.Get("kind"))
	if !ValidImportKind(kind) {
		form.AddError("kind", "org.import.kind_required")
	}
	if len(content) == 0 {
		form.AddError("file", "org.import.file_required")
	}
	return kind, name, content, nil
}

// confirm imports an upload its maker previewed. If the registry changed so
// that the file no longer passes, the preview is shown again with the problems.
func (h *importHandler) confirm(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fmt.Errorf("import %q: %w", r.PathValue("id"), errs.ErrNotFound)
	}
	res, err := h.svc.CommitUpload(r.Context(), id)
	var rows *tabular.Errors
	switch {
	case errors.As(err, &rows):
		page := newPreviewPage(res, "")
		page.Stale = true
		return h.web.Render(w, r, http.StatusUnprocessableEntity, "org/import_preview", "org.import.preview_title", page)
	case err != nil:
		return err
	}
	h.web.AddFlash(r, "success", "org.import.done", "new", res.New, "changed", res.Changed, "unchanged", res.Unchanged)
	return web.Redirect(w, r, importPath)
}

// export answers with every record of the kind asked for (?kind=units,
// people or memberships), or with only the header as a template (?empty=1).
func (h *importHandler) export(w http.ResponseWriter, r *http.Request, format tabular.Format) error {
	kind := ImportKind(r.URL.Query().Get("kind"))
	if !ValidImportKind(kind) {
		return errs.Invalidf("query.kind", "validation.choice")
	}
	swedish := web.LocaleFrom(r.Context()) == i18n.SV
	t, err := h.svc.Export(r.Context(), kind, ExportOptions{Swedish: swedish, Empty: r.URL.Query().Get("empty") != ""})
	if err != nil {
		return err
	}
	name := ExportFilename(kind, format, swedish)
	if format == tabular.XLSX {
		return doc.ServeXLSX(w, name, t)
	}
	return doc.ServeCSV(w, name, t)
}

// API.

// ImportProblem is one problem the API reports in an import file.
type ImportProblem struct {
	Row     int    `json:"row" doc:"Row as a spreadsheet numbers it; the header is row 1"`
	Column  string `json:"column,omitempty" doc:"The column's header as written in the file"`
	Key     string `json:"key" doc:"Message catalogue key, stable for programs"`
	Message string `json:"message" doc:"What is wrong, in the caller's language"`
}

// ImportReport is what an import found in a file and what it did or would do.
type ImportReport struct {
	Kind      ImportKind      `json:"kind" enum:"units,people,memberships"`
	DryRun    bool            `json:"dry_run"`
	Committed bool            `json:"committed" doc:"Whether the rows were written"`
	Rows      int             `json:"rows" doc:"Data rows in the file"`
	New       int             `json:"new"`
	Changed   int             `json:"changed"`
	Unchanged int             `json:"unchanged"`
	Changes   []ImportChange  `json:"changes" doc:"The rows that add or change a record"`
	Errors    []ImportProblem `json:"errors" doc:"Every problem; a file with any is not imported"`
}

// importInput is the API's import request: the file is the raw body.
type importInput struct {
	Kind   string `path:"kind" enum:"units,people,memberships" doc:"What the file holds"`
	DryRun bool   `query:"dry_run" default:"true" doc:"Only check the file and report what an import would do"`
	table  *tabular.Table
	err    error
}

// Resolve reads the body, the file, before the handler runs.
func (in *importInput) Resolve(ctx huma.Context) []error {
	in.table, in.err = tabular.Read(ctx.BodyReader(), tabular.DefaultLimits)
	return nil
}

type importOutput struct {
	Body ImportReport
}

func registerImportAPI(a *api.API, svc *Service, cat *i18n.Catalog) {
	binary := &huma.Schema{Type: "string", Format: "binary"}
	api.Register(a, huma.Operation{
		OperationID: "import-organisation",
		Method:      http.MethodPost,
		Path:        "/import/{kind}",
		Summary:     "Import units, people or memberships from a CSV or XLSX file",
		Description: "The body is the file: CSV (semicolon or comma separated, UTF-8 with or without BOM) or XLSX (the first sheet), " +
			"told apart by content, at most 10 MB. The first row names the columns in Swedish or English, as the exports " +
			"(/organisation/export.csv?kind=…) write them. With dry_run=true (the default) nothing is written and the answer " +
			"says what an import would do and lists every problem by row and column. With dry_run=false every row is written " +
			"in one transaction, or, if any row has a problem, nothing is and the answer is 422 naming each row.",
		Tags:         []string{"Organisation"},
		MaxBodyBytes: importAPIMaxBody,
		RequestBody:  &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{"text/csv": {Schema: binary}, doc.ContentTypeXLSX: {Schema: binary}}},
	}, Write, func(ctx context.Context, in *importInput) (*importOutput, error) {
		if in.err != nil {
			return nil, in.err
		}
		res, err := svc.Import(ctx, ImportKind(in.Kind), in.table, !in.DryRun)
		if err != nil {
			return nil, err
		}
		out := &importOutput{Body: ImportReport{Kind: res.Kind, DryRun: in.DryRun, Committed: res.Committed, Rows: res.Rows,
			New: res.New, Changed: res.Changed, Unchanged: res.Unchanged, Changes: res.Changes, Errors: []ImportProblem{}}}
		if out.Body.Changes == nil {
			out.Body.Changes = []ImportChange{}
		}
		loc := web.LocaleFrom(ctx)
		for _, e := range res.Errors.List {
			out.Body.Errors = append(out.Body.Errors, ImportProblem{Row: e.Row, Column: e.Column, Key: e.Key, Message: cat.T(loc, e.Key, e.Args...)})
		}
		return out, nil
	})
}
