package app

import (
	"embed"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/llm"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
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
	if err := mail.Register(s, a.Outbox); err != nil {
		return err
	}
	if err := org.Register(s, org.NewService(a.DB, a.Audit, a.cfg.Now), org.AccountsFrom(a.Auth.Users, auth.User.Principal)); err != nil {
		return err
	}
	if err := catalog.Register(s, a.catalogService(), a.implementService().SupportLink); err != nil {
		return err
	}
	a.API = api.New(s, Version)
	if err := a.API.RegisterDocs(s); err != nil {
		return err
	}
	auth.RegisterAPI(a.API, a.Auth)
	audit.RegisterAPI(a.API, audit.Reader{Log: a.Audit, DB: a.DB})
	org.RegisterAPI(a.API, org.NewService(a.DB, a.Audit, a.cfg.Now))
	catalog.RegisterAPI(a.API, a.catalogService())
	if err := org.RegisterReports(s, a.API, org.NewService(a.DB, a.Audit, a.cfg.Now), a.catalogService().DependentWork); err != nil {
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
	if err := implement.Register(s, a.API, a.implementService()); err != nil {
		return err
	}
	a.Jobs.Every(implement.ReminderJob, 24*time.Hour, a.implementService().SendDueReminders)
	s.AddNav(web.NavItem{Href: "/", Key: "nav.start", Perm: access.SignedIn, Order: 0})
	s.Handle("GET /{$}", access.Public, a.home)
	s.Handle("GET /tillganglighet", access.Public, a.accessibility)
	a.opsRoutes()
	return nil
}

// catalogService is the catalog service, guarded so that a support is
// marked introduced only when its readiness checklist is complete.
func (a *App) catalogService() *catalog.Service {
	return catalog.NewService(a.DB, a.Audit, a.cfg.Now).Guard(implement.Gate)
}

// implementService is the implementation workspace's service, drafting
// report summaries when an OpenAI-compatible endpoint is configured.
func (a *App) implementService() *implement.Service {
	svc := implement.NewService(a.DB, a.Audit, a.Web.Catalog(), a.cfg.Now).WithPublicURL(a.cfg.PublicURL)
	if a.cfg.LLM.Enabled() {
		dr, err := llm.New(a.cfg.LLM)
		if err != nil {
			a.log.Warn("summary drafting is off", "error", err.Error())
			return svc
		}
		svc = svc.WithDrafter(dr)
	}
	return svc
}

// priorityService is the prioritisation service, with the forum service it
// registers cases through.
func (a *App) priorityService() *priority.Service {
	return priority.NewService(a.DB, a.Audit, forum.NewService(a.DB, a.Audit, a.cfg.Now), a.Web.Catalog(), a.cfg.Now)
}
