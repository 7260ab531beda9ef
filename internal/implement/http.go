package implement

import (
	"embed"
	"net/http"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Templates are the package's page templates, for the catalogue-key test.
func Templates() embed.FS { return templates }

// handler serves the implementation pages.
type handler struct {
	svc *Service
	web *web.Server
}

// Register adds the implementation workspace's pages, their main-navigation
// entry and the API to s and a.
func Register(s *web.Server, a *api.API, svc *Service) error {
	pages, err := web.WithPartials(templates, templates, "templates/plan_nav.html")
	if err != nil {
		return err
	}
	if err := s.AddTemplates("implement", pages, "templates"); err != nil {
		return err
	}
	h := &handler{svc: svc, web: s}
	h.workspaceRoutes()
	h.gapRoutes()
	h.templateRoutes()
	h.planRoutes()
	h.surveyRoutes()
	h.commentRoutes()
	h.reportRoutes()
	h.exchangeRoutes()
	registerAPI(a, svc)
	s.AddNav(web.NavItem{Href: "/inforande", Key: "nav.implement", Perm: Read, Order: 28})
	return nil
}

// registerAPI adds the operations under /api/v1/implementations.
func registerAPI(a *api.API, svc *Service) {
	workspaceAPI(a, svc)
	gapAPI(a, svc)
	planAPI(a, svc)
	surveyAPI(a, svc)
	commentAPI(a, svc)
	reportAPI(a, svc)
	exchangeAPI(a, svc)
}

// render writes page name ("workspace" for implement/workspace) with data.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any, titleArgs ...any) error {
	return h.web.Render(w, r, status, "implement/"+name, titleKey, data, titleArgs...)
}

// pathIDs reads the implementation's id and a second id named sub.
func pathIDs(r *http.Request, sub string) (int64, int64, error) {
	id, err := web.PathID(r)
	if err != nil {
		return 0, 0, err
	}
	sid, err := web.PathInt(r, sub)
	return id, sid, err
}

// pathWorkspace reads the workspace of the implementation the path names.
func (h *handler) pathWorkspace(r *http.Request) (int64, Workspace, error) {
	id, err := web.PathID(r)
	if err != nil {
		return 0, Workspace{}, err
	}
	ws, err := h.svc.Workspace(r.Context(), id)
	return id, ws, err
}

// versionedForm reads a posted form and the version it was filled in on.
func versionedForm(r *http.Request) (*web.Form, int64, error) {
	form, err := web.ParseForm(r)
	if err != nil {
		return nil, 0, err
	}
	version, err := form.Version()
	return form, version, err
}
