package catalog

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// importPageMaxBody is the body limit of the upload form: the largest file
// the import reads, with room for the form around it.
var importPageMaxBody = importLimits.MaxBytes + 1<<20

// ImportPage is the data of the page to upload a support's recommendations.
type ImportPage struct {
	Support   Support
	Form      *web.Form
	Columns   []ImportColumn
	Guideline bool
	MaxMB     int64
}

// ColumnKey is the catalogue key describing column c.
func (ImportPage) ColumnKey(c ImportColumn) string { return "catalog.import.col." + c.Name }

func (h *handler) importPage(w http.ResponseWriter, r *http.Request) error {
	sp, err := h.supportOf(r)
	if err != nil {
		return err
	}
	return h.renderImport(w, r, http.StatusOK, sp, web.NewForm())
}

func (h *handler) supportOf(r *http.Request) (Support, error) {
	id, err := web.PathID(r)
	if err != nil {
		return Support{}, err
	}
	return h.svc.Support(r.Context(), id)
}

func (h *handler) renderImport(w http.ResponseWriter, r *http.Request, status int, sp Support, form *web.Form) error {
	data := ImportPage{Support: sp, Form: form, Columns: ImportColumns, Guideline: sp.Kind == NationalGuideline, MaxMB: importLimits.MaxBytes >> 20}
	return h.render(w, r, status, "import", "catalog.import.title", data, "title", sp.Title)
}

// ImportPreviewPage is the data of the page showing what an upload would do.
type ImportPreviewPage struct {
	tabular.Preview
	Support     Support
	Result      ImportResult
	UploadID    int64 // the upload to confirm; 0 when there is nothing to confirm
	Changes     []RecommendationChange
	MoreChanges int
}

func newPreviewPage(sp Support, res ImportResult, filename string) ImportPreviewPage {
	p := ImportPreviewPage{Preview: tabular.NewPreview(res.Counts, filename, "catalog.import.stale"), Support: sp, Result: res}
	p.Changes, p.MoreChanges = tabular.Capped(res.Changes)
	return p
}

// importPreview reads the uploaded file and shows what importing it would
// do. A file that passes and changes something is kept for the confirmation.
func (h *handler) importPreview(w http.ResponseWriter, r *http.Request) error {
	sp, err := h.supportOf(r)
	if err != nil {
		return err
	}
	form := web.NewForm()
	name, content, err := readUpload(r, form)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge): // over the route's limit on request bodies
		form.AddError("file", "catalog.import.upload_too_large", "max", importLimits.MaxBytes>>20)
		return h.renderImport(w, r, http.StatusRequestEntityTooLarge, sp, form)
	case err != nil:
		return err
	}
	var table *tabular.Table
	if !form.HasErrors() {
		if table, err = ParseImport(content); err != nil && !form.Fail(err) {
			return err
		}
	}
	if form.HasErrors() {
		return h.renderImport(w, r, http.StatusUnprocessableEntity, sp, form)
	}
	res, err := h.svc.ImportRecommendations(r.Context(), sp.ID, table, false)
	if err != nil {
		return err
	}
	page := newPreviewPage(sp, res, name)
	status := http.StatusOK
	switch {
	case !res.OK():
		status = http.StatusUnprocessableEntity
	case res.New+res.Changed > 0:
		up, err := h.svc.SaveUpload(r.Context(), sp.ID, name, content)
		if err != nil {
			return err
		}
		page.UploadID = up.ID
	}
	return h.render(w, r, status, "import_preview", "catalog.import.preview_title", page, "title", sp.Title)
}

// readUpload reads the upload form's file, up to one byte over the import's
// limit, which ParseImport then reports. A missing file is recorded on form;
// a body over the route's limit is returned as the *http.MaxBytesError.
func readUpload(r *http.Request, form *web.Form) (string, []byte, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		form.AddError("file", "catalog.import.file_required")
		return "", nil, nil
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
			b, err = io.ReadAll(io.LimitReader(part, importLimits.MaxBytes+1))
		}
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			return "", nil, fmt.Errorf("read upload: %w", err)
		case err != nil:
			return "", nil, fmt.Errorf("read upload: %w", errs.Invalidf("form", "validation.form"))
		case part.FormName() == "file":
			name, content = part.FileName(), b
		}
	}
	if len(content) == 0 {
		form.AddError("file", "catalog.import.file_required")
	}
	return name, content, nil
}

// importConfirm imports an upload its maker previewed. If the support's
// recommendations changed so that the file no longer passes, the preview is
// shown again with the problems.
func (h *handler) importConfirm(w http.ResponseWriter, r *http.Request) error {
	sp, err := h.supportOf(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	uploadID, err := strconv.ParseInt(form.Get("upload"), 10, 64)
	if err != nil {
		return fmt.Errorf("upload %q: %w", form.Get("upload"), errs.ErrNotFound)
	}
	res, err := h.svc.CommitUpload(r.Context(), sp.ID, uploadID)
	var rows *tabular.Errors
	switch {
	case errors.As(err, &rows):
		page := newPreviewPage(sp, res, "")
		page.Stale = true
		return h.render(w, r, http.StatusUnprocessableEntity, "import_preview", "catalog.import.preview_title", page, "title", sp.Title)
	case err != nil:
		return err
	}
	h.web.AddFlash(r, "success", "catalog.import.done", "new", res.New, "changed", res.Changed, "unchanged", res.Unchanged)
	return web.Redirect(w, r, "/kunskapsstod/"+web.IDText(sp.ID)+"#recommendations-title")
}

// exportRecommendations answers with the support's recommendations in the
// import's columns, or with only the header as a template (?empty=1).
func (h *handler) exportRecommendations(w http.ResponseWriter, r *http.Request, format tabular.Format) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	swedish := web.LocaleFrom(r.Context()) == i18n.SV
	t, err := h.svc.ExportRecommendations(r.Context(), id, swedish, r.URL.Query().Get("empty") != "")
	if err != nil {
		return err
	}
	name := ExportFilename(id, format, swedish)
	if format == tabular.XLSX {
		return doc.ServeXLSX(w, name, t)
	}
	return doc.ServeCSV(w, name, t)
}
