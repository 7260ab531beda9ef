package priority

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

// handler serves the prioritisation pages.
type handler struct {
	svc *Service
	web *web.Server
}

// Register adds the prioritisation round's pages, the time plan, their
// main-navigation entry and the API to s and a.
func Register(s *web.Server, a *api.API, svc *Service) error {
	if err := s.AddTemplates("priority", templates, "templates"); err != nil {
		return err
	}
	h := &handler{svc: svc, web: s}
	h.roundRoutes()
	h.ratingRoutes()
	h.resultRoutes()
	h.decisionRoutes()
	registerAPI(a, svc)
	s.AddNav(web.NavItem{Href: "/prioritering", Key: "nav.priority", Perm: Read, Order: 27})
	return nil
}

// render writes page name ("list" for priority/list) with data.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any, titleArgs ...any) error {
	return h.web.Render(w, r, status, "priority/"+name, titleKey, data, titleArgs...)
}

// postedVersion reads a POST to a round's page: the round's id from the
// path, the form, and the version of the record the page was read at.
func postedVersion(r *http.Request) (id int64, form *web.Form, version int64, err error) {
	if id, err = web.PathID(r); err != nil {
		return 0, nil, 0, err
	}
	if form, err = web.ParseForm(r); err != nil {
		return 0, nil, 0, err
	}
	version, err = form.Version()
	return id, form, version, err
}
