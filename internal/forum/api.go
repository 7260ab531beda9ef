package forum

import (
	"fmt"
	"io"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/files"
)

// The API's tag for the package in the OpenAPI document.
var apiTags = []string{"Forums and cases"}

// Texts shared by the descriptions of changing operations.
const (
	versionNote = " Send the `version` you last read: if someone has changed the record since, the answer is 409 and nothing is saved."
	invalidNote = " A value that breaks a rule is refused with 422, naming the field (`body.<field>`)."
)

// registerAPI adds the package's operations under /api/v1.
func registerAPI(a *api.API, svc *Service) {
	meetingAPI(a, svc)
	caseAPI(a, svc)
	municipalAPI(a, svc)
}

// DocumentOutput is one document of a case or a meeting.
type DocumentOutput struct {
	Body Document
}

// DocumentForm is an upload: a multipart form with the file and an optional
// title.
type DocumentForm struct {
	File  huma.FormFile `form:"file" required:"true" doc:"The document: PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, text, CSV, PNG or JPEG"`
	Title string        `form:"title" required:"false" maxLength:"200" doc:"The document's title; the file's name when left out"`
}

// readDocument returns an uploaded document's file name and bytes, checked
// for size and type, and the title sent.
func readDocument(body huma.MultipartFormFiles[DocumentForm]) (name string, content []byte, title string, err error) {
	form := body.Data()
	if form == nil || !form.File.IsSet {
		return "", nil, "", errs.Invalidf("file", "files.required")
	}
	if form.File.Size > DocumentLimit {
		return "", nil, "", errs.Invalidf("file", "files.too_large", "max", DocumentLimit>>20)
	}
	content, err = io.ReadAll(io.LimitReader(form.File, DocumentLimit+1))
	if err != nil {
		return "", nil, "", fmt.Errorf("read upload: %w", err)
	}
	name = files.CleanName(form.File.Filename)
	if _, err := files.Check(name, content, DocumentLimit); err != nil {
		return "", nil, "", err
	}
	return name, content, strings.TrimSpace(form.Title), nil
}
