package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
)

// RecommendationImportInput is an import of a support's recommendations:
// the file is the body, raw or as the part "file" of a multipart form.
type RecommendationImportInput struct {
	ID     int64 `path:"id" minimum:"1" doc:"The support's id"`
	DryRun bool  `query:"dry_run" default:"true" doc:"Only check the file and report what an import would do"`
	table  *tabular.Table
	err    error
}

// Resolve reads the body, the file, before the handler runs.
func (in *RecommendationImportInput) Resolve(ctx huma.Context) []error {
	body := ctx.BodyReader()
	if mt, params, err := mime.ParseMediaType(ctx.Header("Content-Type")); err == nil && mt == "multipart/form-data" {
		body, in.err = filePart(multipart.NewReader(body, params["boundary"]))
		if in.err != nil {
			return nil
		}
	}
	in.table, in.err = tabular.Read(body, importLimits)
	return nil
}

// filePart finds the part "file" of a multipart body.
func filePart(mr *multipart.Reader) (io.Reader, error) {
	for {
		part, err := mr.NextPart()
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			return nil, err
		case err != nil:
			return nil, errs.Invalidf("file", "catalog.import.file_required")
		case part.FormName() == "file":
			return part, nil
		}
	}
}

// RecommendationImportReport is what an import found in a file and what it
// did or would do.
type RecommendationImportReport struct {
	SupportID int64                  `json:"support_id"`
	DryRun    bool                   `json:"dry_run"`
	Committed bool                   `json:"committed" doc:"Whether the rows were written"`
	Rows      int                    `json:"rows" doc:"Data rows in the file"`
	New       int                    `json:"new"`
	Changed   int                    `json:"changed"`
	Unchanged int                    `json:"unchanged"`
	Changes   []RecommendationChange `json:"changes" doc:"The rows that add or change a recommendation"`
}

// RecommendationImportOutput is the answer to an import.
type RecommendationImportOutput struct {
	Body RecommendationImportReport
}

func registerImportAPI(a *api.API, svc *Service) {
	binary := &huma.Schema{Type: "string", Format: "binary"}
	var columns []string
	for _, c := range ImportColumns {
		columns = append(columns, fmt.Sprintf("`%s` (%s)", c.Name, c.Swedish))
	}
	o := op("import-recommendations", http.MethodPost, "/supports/{id}/recommendations/import", "Import a support's recommendations from a CSV or XLSX file",
		"The body is the file, raw or as the part `file` of a multipart form: CSV (semicolon or comma separated, UTF-8 with or without BOM) "+
			"or XLSX (the first sheet), told apart by content, at most 10 MB. The first row names the columns in English or Swedish: "+
			strings.Join(columns, ", ")+", as the export /kunskapsstod/{id}/rekommendationer.csv writes them; only text is required. "+
			"A row whose code matches one of the support's recommendations changes it; other rows add recommendations after the existing ones, in file order. "+
			"Priority (1–10) and the markings (yes/no, ja/nej, x, 1/0, blank) belong to national guidelines only. "+
			"With dry_run=true (the default) nothing is written and the answer says what an import would do. With dry_run=false every row is written "+
			"in one transaction with an audit record each. If any row has a problem, nothing is written and the answer is 422 naming each problem as `row.<n>.<column>`.")
	o.DefaultStatus = http.StatusOK
	o.Errors = append(o.Errors, http.StatusNotFound, http.StatusRequestEntityTooLarge)
	o.MaxBodyBytes = importLimits.MaxBytes
	o.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"text/csv": {Schema: binary}, doc.ContentTypeXLSX: {Schema: binary},
	}} // multipart/form-data with the part "file" is read too, by Resolve

	api.Register(a, o, Write, func(ctx context.Context, in *RecommendationImportInput) (*RecommendationImportOutput, error) {
		if in.err != nil {
			return nil, in.err
		}
		res, err := svc.ImportRecommendations(ctx, in.ID, in.table, !in.DryRun)
		if err != nil {
			return nil, err
		}
		if !res.OK() {
			return nil, fmt.Errorf("import recommendations of support %d: %w", in.ID, &res.Errors)
		}
		out := &RecommendationImportOutput{Body: RecommendationImportReport{SupportID: in.ID, DryRun: in.DryRun, Committed: res.Committed,
			Rows: res.Rows, New: res.New, Changed: res.Changed, Unchanged: res.Unchanged, Changes: res.Changes}}
		if out.Body.Changes == nil {
			out.Body.Changes = []RecommendationChange{}
		}
		return out, nil
	})
}
