package app

import (
	"embed"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

//go:embed templates/*.html
var templates embed.FS

// Templates are the app's own page templates, for the catalogue-key test.
func Templates() embed.FS { return templates }

// routes registers every feature's routes and navigation.
func (a *App) routes() error {
	s := a.Web
	if err := s.AddTemplates("app", templates, "templates"); err != nil {
		return err
	}
	if err := auth.Register(s, a.Auth); err != nil {
		return err
	}
	if err := audit.Register(s, audit.Reader{Log: a.Audit, DB: a.DB}); err != nil {
		return err
	}
	if err := org.Register(s, org.NewService(a.DB, a.Audit, a.cfg.Now), org.AccountsFrom(a.Auth.Users, auth.User.Principal)); err != nil {
		return err
	}
	if err := catalog.Register(s, catalog.NewService(a.DB, a.Audit, a.cfg.Now)); err != nil {
		return err
	}
	a.API = api.New(s, Version)
	if err := a.API.RegisterDocs(s); err != nil {
		return err
	}
	auth.RegisterAPI(a.API, a.Auth)
	audit.RegisterAPI(a.API, audit.Reader{Log: a.Audit, DB: a.DB})
	org.RegisterAPI(a.API, org.NewService(a.DB, a.Audit, a.cfg.Now))
	catalog.RegisterAPI(a.API, catalog.NewService(a.DB, a.Audit, a.cfg.Now))
	if err := org.RegisterReports(s, a.API, org.NewService(a.DB, a.Audit, a.cfg.Now), catalog.NewService(a.DB, a.Audit, a.cfg.Now).DependentWork); err != nil {
		return err
	}
	if err := org.RegisterImport(s, a.API, org.NewService(a.DB, a.Audit, a.cfg.Now)); err != nil {
		return err
	}
	if err := forum.Register(s, a.API, forum.NewService(a.DB, a.Audit, a.cfg.Now)); err != nil {
		return err
	}
	if err := priority.Register(s, a.API, a.priorityService()); err != nil {
		return err
	}
	s.AddNav(web.NavItem{Href: "/", Key: "nav.start", Perm: access.SignedIn, Order: 0})
	s.Handle("GET /{$}", access.Public, a.home)
	s.Handle("GET /tillganglighet", access.Public, a.accessibility)
	a.opsRoutes()
	return nil
}

// priorityService is the prioritisation service, with the forum service it
// registers cases through.
func (a *App) priorityService() *priority.Service {
	return priority.NewService(a.DB, a.Audit, forum.NewService(a.DB, a.Audit, a.cfg.Now), a.Web.Catalog(), a.cfg.Now)
}
