package implement

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
)

// ExchangeOutput is an implementation's exchange file.
type ExchangeOutput struct {
	Body Exchange
}

// ComparisonImportInput is another region's exchange file, as the body. It
// is checked by the import against the exchange schema, not by the API's
// own validation, so every problem is reported with its JSON pointer.
type ComparisonImportInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	RawBody []byte
}

// ComparisonImportOutput is the stored comparison.
type ComparisonImportOutput struct {
	Body Imported
}

// ComparisonListOutput lists an implementation's imported comparisons.
type ComparisonListOutput struct {
	Body struct {
		Items []ComparisonSummary `json:"items"`
	}
}

// ComparisonIDInput names one comparison of an implementation.
type ComparisonIDInput struct {
	ID  int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	CID int64 `path:"cid" minimum:"1" doc:"The comparison's id"`
}

// ComparisonOutput is one comparison side by side.
type ComparisonOutput struct {
	Body ComparisonView
}

func exchangeOp(id, method, path, summary, description string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: "/implementations/{id}" + path, Summary: summary,
		Description: description, Tags: []string{"Implementation"}, Errors: []int{http.StatusNotFound}}
	switch method {
	case http.MethodPost:
		o.DefaultStatus = http.StatusCreated
		o.Errors = append(o.Errors, http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusLocked, http.StatusRequestEntityTooLarge)
	case http.MethodDelete:
		o.DefaultStatus = http.StatusNoContent
		o.Errors = append(o.Errors, http.StatusLocked)
	}
	return o
}

// exchangeAPI adds the exchange between regions: the export and the
// comparisons with other regions' files.
func exchangeAPI(a *api.API, svc *Service) {
	system := func() string { return systemName(a.OpenAPI().Info.Version) }

	api.Register(a, exchangeOp("get-implementation-exchange", http.MethodGet, "/exchange", "Export an implementation's gap analyses for another region",
		"The support's template and gap analyses in the exchange format, version 1 (JSON Schema at "+ExchangeSchemaID+
			", docs/schemas/implement-exchange-v1.schema.json in the source): no people and no unit names, only how many units each gap affects. "+
			"The same as the download /inforande/{id}/utbyte.json. Readers of the workspace may export."),
		Read, func(ctx context.Context, in *ImplementationIDInput) (*ExchangeOutput, error) {
			x, err := svc.Export(ctx, in.ID, system())
			if err != nil {
				return nil, err
			}
			return &ExchangeOutput{Body: x}, nil
		})

	api.Register(a, exchangeOp("list-implementation-comparisons", http.MethodGet, "/comparisons", "List the comparisons imported into an implementation",
		"Other regions' exchange files imported for comparison, newest first."),
		Read, func(ctx context.Context, in *ImplementationIDInput) (*ComparisonListOutput, error) {
			cs, err := svc.Comparisons(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			out := &ComparisonListOutput{}
			out.Body.Items = cs
			return out, nil
		})

	o := exchangeOp("import-implementation-comparison", http.MethodPost, "/comparisons", "Import another region's exchange file for comparison",
		"The body is the exchange file itself (application/json, or the same bytes as application/octet-stream; at most 5 MiB), as another region's Kunskapsnav exported it. "+
			"It is checked against the JSON Schema of its schema_version (known: 1); an unknown version is refused naming the versions known. "+
			"Its template must ask the same questions as this implementation's template (the same keys at the same levels in the same order), "+
			"else the answer names the question keys missing, extra or changed. Every problem is reported in errors with its location "+
			"(body.<path>) and a message naming the JSON pointer and the reason; nothing is stored unless the whole file passes. "+
			"The same file twice is refused. Recommendations are matched by code; the answer lists the file's codes without a match. "+
			"Only the working group and the coordinator may import.")
	o.MaxBodyBytes = ExchangeMaxBytes
	o.SkipValidateBody = true
	o.RequestBody = &huma.RequestBody{Required: true, Description: "The exchange file, version 1: see " + ExchangeSchemaID,
		Content: map[string]*huma.MediaType{"application/json": {Schema: &huma.Schema{Type: huma.TypeObject,
			Description: "An exchange file as GET /implementations/{id}/exchange answers; validated against the JSON Schema of its schema_version"}}}}
	api.Register(a, o, Read, func(ctx context.Context, in *ComparisonImportInput) (*ComparisonImportOutput, error) {
		res, err := svc.ImportComparison(ctx, in.ID, in.RawBody)
		if err != nil {
			return nil, err
		}
		return &ComparisonImportOutput{Body: res}, nil
	})

	api.Register(a, exchangeOp("get-implementation-comparison", http.MethodGet, "/comparisons/{cid}", "Get a comparison side by side",
		"Per recommendation matched by code: our gap size, crowding-out and answers to the basic questions beside the other region's; "+
			"the recommendations only one side has; both files whole."),
		Read, func(ctx context.Context, in *ComparisonIDInput) (*ComparisonOutput, error) {
			v, err := svc.Comparison(ctx, in.ID, in.CID, system())
			if err != nil {
				return nil, err
			}
			return &ComparisonOutput{Body: v}, nil
		})

	api.Register(a, exchangeOp("delete-implementation-comparison", http.MethodDelete, "/comparisons/{cid}", "Delete an imported comparison",
		"Only the working group and the coordinator may delete."),
		Read, func(ctx context.Context, in *ComparisonIDInput) (*struct{}, error) {
			return nil, svc.DeleteComparison(ctx, in.ID, in.CID)
		})
}
