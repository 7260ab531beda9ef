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
	if err := s.AddTemplates("implement", templates, "templates"); err != nil {
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
