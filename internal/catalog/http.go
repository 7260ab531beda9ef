package catalog

import (
	"context"
	"embed"
	"net/http"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Templates are the package's page templates, for the catalogue-key test.
func Templates() embed.FS { return templates }

// handler serves the catalog's pages.
type handler struct {
	svc *Service
	org *org.Service
	web *web.Server
	// implementation links a support's page to its introduction; nil for none.
	implementation ImplementationLink
}

// ImplementationLink returns where a support's page links to the support's
// introduction (its implementation workspace, or the form that starts one),
// "" for no link. The implementation workspace provides it, so the catalog
// need not know that feature.
type ImplementationLink func(ctx context.Context, supportID int64) (href string, err error)

// Register adds the catalog's pages and its main-navigation entry to s; a
// support's page links to its introduction through link, if given.
func Register(s *web.Server, svc *Service, link ...ImplementationLink) error {
	pages, err := web.WithPartials(templates, templates, "templates/recfields.html")
	if err != nil {
		return err
	}
	if err := s.AddTemplates("catalog", pages, "templates"); err != nil {
		return err
	}
	h := &handler{svc: svc, org: org.NewService(svc.db, svc.audit, svc.now), web: s}
	if len(link) > 0 {
		h.implementation = link[0]
	}

	s.Handle("GET /kunskapsstod", Read, h.list)
	s.Handle("GET /kunskapsstod/ny", Write, h.newSupport)
	s.Handle("POST /kunskapsstod/ny", Write, h.createSupport)
	s.Handle("GET /kunskapsstod/{id}", Read, h.support)
	s.Handle("GET /kunskapsstod/{id}/redigera", Write, h.editSupport)
	s.Handle("POST /kunskapsstod/{id}/redigera", Write, h.saveSupport)
	s.Handle("POST /kunskapsstod/{id}/status", Write, h.changeStatus)
	s.Handle("POST /kunskapsstod/{id}/verksamhetsutvecklare", Write, h.saveLeads)
	s.Handle("POST /kunskapsstod/{id}/enheter", Write, h.saveUnits)
	s.Handle("POST /kunskapsstod/{id}/rekommendationer", Write, h.addRecommendation)
	s.Handle("GET /kunskapsstod/{id}/rekommendationer/{rec}", Write, h.editRecommendation)
	s.Handle("POST /kunskapsstod/{id}/rekommendationer/{rec}", Write, h.saveRecommendation)
	s.Handle("POST /kunskapsstod/{id}/rekommendationer/{rec}/ta-bort", Write, h.deleteRecommendation)
	s.Handle("GET /kunskapsstod/{id}/rekommendationer/import", Write, h.importPage)
	s.HandleUpload("POST /kunskapsstod/{id}/rekommendationer/import", Write, importPageMaxBody, h.importPreview)
	s.Handle("POST /kunskapsstod/{id}/rekommendationer/import/bekrafta", Write, h.importConfirm)
	s.Handle("GET /kunskapsstod/{id}/rekommendationer.csv", Read, func(w http.ResponseWriter, r *http.Request) error {
		return h.exportRecommendations(w, r, tabular.CSV)
	})
	s.Handle("GET /kunskapsstod/{id}/rekommendationer.xlsx", Read, func(w http.ResponseWriter, r *http.Request) error {
		return h.exportRecommendations(w, r, tabular.XLSX)
	})

	s.AddNav(web.NavItem{Href: "/kunskapsstod", Key: "nav.catalog", Perm: Read, Order: 25})
	return nil
}

// render writes page name ("list" for catalog/list) with data.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any, titleArgs ...any) error {
	return h.web.Render(w, r, status, "catalog/"+name, titleKey, data, titleArgs...)
}

func lang(r *http.Request) string { return string(web.LocaleFrom(r.Context())) }

func canWrite(r *http.Request) bool { return access.From(r.Context()).Can(Write) }

// Names turns the ids a support holds into the names pages show.
type Names struct {
	groups map[int64]string
	units  map[int64]string
	people map[int64]string
}

// Group is the name of the org group with id, "–" for none.
func (n Names) Group(id int64) string {
	if s, ok := n.groups[id]; ok {
		return s
	}
	return "–"
}

// Unit is the name of the unit with id.
func (n Names) Unit(id int64) string { return n.units[id] }

// Person is the name of the person with id.
func (n Names) Person(id int64) string { return n.people[id] }

// owners are the NPOs and LPOs to choose owners from.
type owners struct {
	npo, lpo []web.Option
}

func (h *handler) loadNames(ctx context.Context, r *http.Request, emptyKey string) (Names, owners, error) {
	n := Names{groups: map[int64]string{}, units: map[int64]string{}, people: map[int64]string{}}
	o := owners{npo: []web.Option{web.Choose(emptyKey)}, lpo: []web.Option{web.Choose(emptyKey)}}
	groups, err := h.org.Groups(ctx, org.GroupFilter{})
	if err != nil {
		return n, o, err
	}
	for _, g := range groups {
		name := g.NameIn(lang(r))
		n.groups[g.ID] = name
		switch g.Kind {
		case org.NPO:
			o.npo = append(o.npo, web.Option{Value: web.IDText(g.ID), Label: name})
		case org.LPO:
			o.lpo = append(o.lpo, web.Option{Value: web.IDText(g.ID), Label: name})
		}
	}
	return n, o, nil
}

// selected marks the options whose values are in values.
func selected(opts []web.Option, values []string) []web.Option {
	for i := range opts {
		for _, v := range values {
			if opts[i].Value == v && v != "" {
				opts[i].Selected = true
			}
		}
	}
	return opts
}
