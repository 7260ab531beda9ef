package api

import (
	"embed"
	"net/http"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Templates are the package's page templates, for the catalogue-key test.
func Templates() embed.FS { return templates }

// DocsPage is the data of the API documentation page.
type DocsPage struct {
	Title       string
	Version     string
	Description string
	Groups      []DocsGroup
}

// DocsGroup is the operations of one tag.
type DocsGroup struct {
	Tag        string
	Operations []DocsOperation
}

// DocsOperation is one operation as the docs page lists it.
type DocsOperation struct {
	Method      string
	Path        string
	Summary     string
	Description string
	ID          string
}

// RegisterDocs adds GET /api/v1/docs: a page in the shared layout listing
// every operation, generated from the OpenAPI document (no third-party script).
func (a *API) RegisterDocs(s *web.Server) error {
	if err := s.AddTemplates("api", templates, "templates"); err != nil {
		return err
	}
	s.Handle("GET "+Prefix+"/docs", access.Public, func(w http.ResponseWriter, r *http.Request) error {
		return s.Render(w, r, http.StatusOK, "api/docs", "api.docs.title", a.docs())
	})
	return nil
}

func (a *API) docs() DocsPage {
	doc := a.huma.OpenAPI()
	page := DocsPage{Title: doc.Info.Title, Version: doc.Info.Version, Description: doc.Info.Description}
	groups := map[string][]DocsOperation{}
	for path, item := range doc.Paths {
		for method, op := range map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "PATCH": item.Patch, "DELETE": item.Delete} {
			if op == nil {
				continue
			}
			tag := "API"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			groups[tag] = append(groups[tag], DocsOperation{Method: method, Path: path, Summary: op.Summary, Description: op.Description, ID: op.OperationID})
		}
	}
	for tag, ops := range groups {
		sort.Slice(ops, func(i, j int) bool {
			if ops[i].Path != ops[j].Path {
				return ops[i].Path < ops[j].Path
			}
			return ops[i].Method < ops[j].Method
		})
		page.Groups = append(page.Groups, DocsGroup{Tag: tag, Operations: ops})
	}
	sort.Slice(page.Groups, func(i, j int) bool { return strings.ToLower(page.Groups[i].Tag) < strings.ToLower(page.Groups[j].Tag) })
	return page
}
