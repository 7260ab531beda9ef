package forum

import (
	"embed"
	"net/http"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Templates are the package's page templates, for the catalogue-key test.
func Templates() embed.FS { return templates }

// partialFiles are parsed with every page of the package: "forumnav", the
// sub-navigation of the forum pages, and "forumtextarea", a labelled
// textarea for a web.FieldView; "casechecks", a group of checkboxes.
var partialFiles = []string{"templates/subnav.html", "templates/forum_partials.html", "templates/case_partials.html"}

// handler serves the package's pages.
type handler struct {
	svc *Service
	web *web.Server
}

// Register adds the pages, their main-navigation entries and the API of the
// package.
func Register(s *web.Server, a *api.API, svc *Service) error {
	pages, err := web.WithPartials(templates, templates, partialFiles...)
	if err != nil {
		return err
	}
	if err := s.AddTemplates("forum", pages, "templates"); err != nil {
		return err
	}
	h := &handler{svc: svc, web: s}
	h.forumRoutes(s)
	h.meetingRoutes(s)
	h.caseRoutes(s)
	h.decisionRoutes(s)
	h.municipalRoutes(s)
	registerAPI(a, svc)

	s.AddNav(web.NavItem{Href: "/arenden", Key: "nav.forum", Perm: Read, Order: 30})
	s.AddNav(web.NavItem{Href: "/kommunsvar", Key: "nav.municipal_answers", Perm: Respond, Order: 31})
	return nil
}

// render writes page name ("case" for forum/case) with data.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any, titleArgs ...any) error {
	return h.web.Render(w, r, status, "forum/"+name, titleKey, data, titleArgs...)
}

// t translates key into the request's language, for labels built in code.
func (h *handler) t(r *http.Request, key string, args ...any) string {
	return h.web.Catalog().T(web.LocaleFrom(r.Context()), key, args...)
}

func canWrite(r *http.Request) bool { return access.From(r.Context()).Can(Write) }
