package implement

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// exchangeUploadLimit is the upload form's body limit: the largest file the
// import reads, with room for the form around it.
const exchangeUploadLimit = ExchangeMaxBytes + 1<<20

// exchangeRoutes registers the exchange between regions: the export, the
// import of another region's file and the comparison pages. Every page is
// open to signed-in users; the service admits readers of the workspace and,
// to import or delete, its working group.
func (h *handler) exchangeRoutes() {
	h.web.Handle("GET /inforande/{id}/utbyte.json", Read, h.exportExchange)
	h.web.Handle("GET /inforande/{id}/utbyte", Read, h.exchangePage)
	h.web.HandleUpload("POST /inforande/{id}/utbyte", Read, exchangeUploadLimit, h.importExchange)
	h.web.Handle("GET /inforande/{id}/jamforelse/{cid}", Read, h.comparisonPage)
	h.web.Handle("GET /inforande/{id}/jamforelse/{cid}/ta-bort", Read, h.confirmDeleteComparison)
	h.web.Handle("POST /inforande/{id}/jamforelse/{cid}/ta-bort", Read, h.deleteComparison)
}

// system names this software in exported files.
func (h *handler) system() string { return systemName(h.web.Version()) }

func systemName(version string) string { return strings.TrimSpace("Kunskapsnav " + version) }

func (h *handler) exportExchange(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	x, err := h.svc.Export(r.Context(), id, h.system())
	if err != nil {
		return err
	}
	body := x.Marshal()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+ExchangeFilename(id, x)+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-cache")
	_, err = w.Write(body)
	return err
}

// ExchangeFilename is the name of an implementation's export: ASCII only.
func ExchangeFilename(id int64, x Exchange) string {
	return fmt.Sprintf("utbyte-inforande-%d-%s.json", id, x.ExportedAt.Format("2006-01-02"))
}

// ExchangePage is the data of the exchange page: export, import form and
// the comparisons imported so far.
type ExchangePage struct {
	Workspace   Workspace
	Form        *web.Form
	Problems    []ExchangeProblem
	Comparisons []ComparisonSummary
	MaxMB       int64
	Versions    string
	SchemaID    string
}

func (h *handler) exchangePage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return h.renderExchange(w, r, http.StatusOK, id, web.NewForm(), nil)
}

func (h *handler) renderExchange(w http.ResponseWriter, r *http.Request, status int, id int64, form *web.Form, problems []ExchangeProblem) error {
	ws, err := h.svc.Workspace(r.Context(), id)
	if err != nil {
		return err
	}
	cs, err := h.svc.Comparisons(r.Context(), id)
	if err != nil {
		return err
	}
	data := ExchangePage{Workspace: ws, Form: form, Problems: problems, Comparisons: cs, MaxMB: ExchangeMaxBytes >> 20,
		Versions: strings.Join(ExchangeVersions, ", "), SchemaID: ExchangeSchemaID}
	return h.render(w, r, status, "exchange_page", "implement.exchange.title", data, "title", ws.Support.Title)
}

// importExchange reads another region's file and stores it for comparison,
// or shows the page again with every problem found in it.
func (h *handler) importExchange(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if _, rights, err := h.svc.Implementation(r.Context(), id); err != nil {
		return err
	} else if !rights.Edit {
		return fmt.Errorf("implementation %d: import: %w", id, errs.ErrForbidden)
	}
	form := web.NewForm()
	name, content, err := readExchangeUpload(r)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		form.AddError("file", "implement.exchange.too_large_file", "max", ExchangeMaxBytes>>20)
		return h.renderExchange(w, r, http.StatusRequestEntityTooLarge, id, form, nil)
	case err != nil && !form.Fail(err):
		return err
	case err == nil && !strings.EqualFold(path.Ext(name), ".json"):
		form.AddError("file", "implement.exchange.file_type")
	}
	if form.HasErrors() {
		return h.renderExchange(w, r, http.StatusUnprocessableEntity, id, form, nil)
	}
	res, err := h.svc.ImportComparison(r.Context(), id, content)
	var problems *ExchangeErrors
	switch {
	case errors.As(err, &problems):
		form.AddError("file", "implement.exchange.invalid_file", "n", len(problems.List))
		return h.renderExchange(w, r, http.StatusUnprocessableEntity, id, form, problems.List)
	case err != nil:
		return err
	}
	h.web.AddFlash(r, "success", "implement.exchange.imported", "region", res.Comparison.SourceRegion)
	if len(res.Unmatched) > 0 {
		h.web.AddFlash(r, "success", "implement.exchange.unmatched", "n", len(res.Unmatched), "codes", codesText(res.Unmatched))
	}
	return web.Redirect(w, r, comparisonURL(id, res.Comparison.ID))
}

func codesText(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = c
		if c == "" {
			out[i] = "–"
		}
	}
	return strings.Join(out, ", ")
}

func comparisonURL(id, cid int64) string {
	return "/inforande/" + web.IDText(id) + "/jamforelse/" + web.IDText(cid)
}

// readExchangeUpload reads the part "file" of the upload form, up to one
// byte over the import's limit (which ParseExchange then reports). A missing
// or empty file is a validation error at file; a body over the route's limit
// is returned as the *http.MaxBytesError.
func readExchangeUpload(r *http.Request) (string, []byte, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, errs.Invalidf("file", "implement.exchange.file_required")
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
			b, err = io.ReadAll(io.LimitReader(part, ExchangeMaxBytes+1))
		}
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return "", nil, fmt.Errorf("read upload: %w", err)
		case err != nil:
			return "", nil, errs.Invalidf("file", "validation.form")
		case part.FormName() == "file":
			name, content = part.FileName(), b
		}
	}
	if len(content) == 0 {
		return "", nil, errs.Invalidf("file", "implement.exchange.file_required")
	}
	return name, content, nil
}

// ComparisonPage is the data of a comparison page.
type ComparisonPage struct {
	ComparisonView
	ImplementationID int64
}

// SizeKey is the catalogue key naming gap size g ("" is not judged).
func (ComparisonPage) SizeKey(g GapSize) string {
	if g == "" {
		return "implement.exchange.size.not_judged"
	}
	return "implement.exchange.size." + string(g)
}

func (h *handler) comparison(r *http.Request) (ComparisonPage, error) {
	id, cid, err := pathIDs(r, "cid")
	if err != nil {
		return ComparisonPage{}, err
	}
	v, err := h.svc.Comparison(r.Context(), id, cid, h.system())
	return ComparisonPage{ComparisonView: v, ImplementationID: id}, err
}

func (h *handler) comparisonPage(w http.ResponseWriter, r *http.Request) error {
	p, err := h.comparison(r)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "compare_page", "implement.compare.title", p, "region", p.Theirs.Source.Region)
}

func (h *handler) confirmDeleteComparison(w http.ResponseWriter, r *http.Request) error {
	p, err := h.comparison(r)
	if err != nil {
		return err
	}
	if !p.Rights.Edit {
		return fmt.Errorf("comparison %d: delete: %w", p.Comparison.ID, errs.ErrForbidden)
	}
	return h.render(w, r, http.StatusOK, "compare_delete", "implement.compare.delete_title", p, "region", p.Theirs.Source.Region)
}

func (h *handler) deleteComparison(w http.ResponseWriter, r *http.Request) error {
	id, cid, err := pathIDs(r, "cid")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteComparison(r.Context(), id, cid); err != nil {
		return err
	}
	h.web.AddFlash(r, "success", "implement.compare.deleted")
	return web.Redirect(w, r, "/inforande/"+web.IDText(id)+"/utbyte")
}
