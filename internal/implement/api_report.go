package implement

import (
	"bytes"
	"context"
	"mime"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// ReportFileOutput is a report file.
type ReportFileOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	CacheControl       string `header:"Cache-Control"`
	Body               []byte
}

// SummaryDraftInput asks for a machine draft of the summary.
type SummaryDraftInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Body struct {
		Version int64 `json:"version" minimum:"1" doc:"The implementation's version as read"`
	}
}

// SummaryInputBody changes the summary.
type SummaryInputBody struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Body SummaryInput
}

// SummaryOutput is the implementation with its summary.
type SummaryOutput struct {
	Body Implementation
}

const reportNote = " The report is compiled from the data alone, in the caller's language (Accept-Language; Swedish by default): summary, gap analysis, deeper analyses, action plan with the actions by month, communication plan, checklist and the decisions of linked forum cases."

func reportOp(id, method, path, summary, description string, errors ...int) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: "/implementations/{id}" + path, Summary: summary,
		Description: description, Tags: []string{"Implementation"}, Errors: append([]int{http.StatusNotFound}, errors...)}
	if method == http.MethodPost {
		o.DefaultStatus = http.StatusOK
	}
	return o
}

func reportFileOp(id, ext, contentType, summary string) huma.Operation {
	o := reportOp(id, http.MethodGet, "/report"+ext, summary, "The implementation's compiled report as "+ext[1:]+"."+reportNote)
	o.Responses = map[string]*huma.Response{"200": {Description: "The report file", Content: map[string]*huma.MediaType{
		contentType: {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}
	return o
}

func reportAPI(a *api.API, svc *Service) {
	file := func(ext, contentType string, write func(*bytes.Buffer, doc.Document) error) func(context.Context, *ImplementationIDInput) (*ReportFileOutput, error) {
		return func(ctx context.Context, in *ImplementationIDInput) (*ReportFileOutput, error) {
			rep, err := svc.Report(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			loc := web.LocaleFrom(ctx)
			tr := func(key string, args ...any) string { return svc.texts.T(loc, key, args...) }
			var buf bytes.Buffer
			if err := write(&buf, ReportDocument(rep, tr, loc)); err != nil {
				return nil, err
			}
			return &ReportFileOutput{ContentType: contentType, CacheControl: "no-store",
				ContentDisposition: mime.FormatMediaType("attachment", map[string]string{"filename": ReportFileName(in.ID, ext)}),
				Body:               buf.Bytes()}, nil
		}
	}
	api.Register(a, reportFileOp("get-implementation-report-docx", ".docx", doc.ContentTypeDOCX, "Get an implementation's report as DOCX"), Read,
		file(".docx", doc.ContentTypeDOCX, func(b *bytes.Buffer, d doc.Document) error { return doc.WriteDOCX(b, d) }))
	api.Register(a, reportFileOp("get-implementation-report-pdf", ".pdf", doc.ContentTypePDF, "Get an implementation's report as PDF"), Read,
		file(".pdf", doc.ContentTypePDF, func(b *bytes.Buffer, d doc.Document) error { return doc.WritePDF(b, d) }))
	api.Register(a, reportOp("draft-implementation-summary", http.MethodPost, "/summary/draft", "Draft the summary by machine",
		"Asks the configured OpenAI-compatible endpoint for a summary paragraph, given only aggregated, non-personal facts (the support's title and kind, counts of recommendations, gap sizes, deeper analyses, actions and checklist items, the planned end). The answer is stored as summary_draft, marked machine-drafted, and enters the report only when a member of the working group accepts it (PUT /summary with action accept). 503 when no endpoint is configured or it fails or times out; nothing changes then. Members of the working group and the coordinator.",
		http.StatusBadRequest, http.StatusConflict, http.StatusServiceUnavailable),
		Read, func(ctx context.Context, in *SummaryDraftInput) (*SummaryOutput, error) {
			m, err := svc.DraftSummary(ctx, in.ID, in.Body.Version)
			return &SummaryOutput{Body: m}, err
		})
	api.Register(a, reportOp("update-implementation-summary", http.MethodPut, "/summary", "Write, accept or discard the summary",
		"save: the text (written or edited by the caller) becomes the summary; accept: the waiting machine draft, as edited in text, becomes the summary, marked as drafted by machine and accepted by the caller; discard: the draft is thrown away. By version: a stale version is 409. Members of the working group and the coordinator; an introduced implementation is locked (409).",
		http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity),
		Read, func(ctx context.Context, in *SummaryInputBody) (*SummaryOutput, error) {
			m, err := svc.SaveSummary(ctx, in.ID, in.Body)
			return &SummaryOutput{Body: m}, err
		})
}
