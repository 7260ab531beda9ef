package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

// DemoPassword is every demo account's password.
const DemoPassword = "demo"

// DemoLogin is one demo account.
type DemoLogin struct {
	Username string
	Name     string
	Roles    []access.Role
}

// DemoLogins are the demo accounts, one per role.
var DemoLogins = []DemoLogin{
	{"demo", "Demo Administratör", []access.Role{access.Admin}},
	{"samordnare", "Sara Samordnare", []access.Role{access.Coordinator}},
	{"utvecklare", "Ulf Utvecklare", []access.Role{access.ImprovementLead}},
	{"ledning", "Lena Ledning", []access.Role{access.Leadership}},
	{"enhet", "Erik Enhet", []access.Role{access.Unit}},
	{"kommun", "Karin Kommun", []access.Role{access.Municipality}},
	{"revisor", "Rut Revisor", []access.Role{access.Auditor}},
}

// ErrNotDemoDatabase means --demo was asked for on a database holding real data.
var ErrNotDemoDatabase = errors.New("the database already holds data that is not demo data; start without --demo, or use an empty database for the demo")

// LoadDemo fills an empty database with the demo data; on a database that
// already holds only demo data it does nothing. It reports whether it loaded.
func (a *App) LoadDemo(ctx context.Context) (bool, error) {
	all, demo, err := a.Auth.CountUsers(ctx)
	if err != nil {
		return false, err
	}
	switch {
	case all > 0 && all == demo:
		return false, nil
	case all > 0:
		return false, ErrNotDemoDatabase
	}
	ctx = audit.WithSystemActor(ctx, "demo")
	users := make(map[string]int64, len(DemoLogins))
	for _, l := range DemoLogins {
		u, err := a.Auth.CreateUser(ctx, auth.NewUser{
			Username: l.Username, DisplayName: l.Name, Email: l.Username + "@demo.kunskapsnav.se",
			Password: DemoPassword, Roles: l.Roles, Demo: true,
		})
		if err != nil {
			return false, fmt.Errorf("demo user %s: %w", l.Username, err)
		}
		users[l.Username] = u.ID
	}
	if err := org.LoadDemo(ctx, org.NewService(a.DB, a.Audit, a.cfg.Now), users); err != nil {
		return false, fmt.Errorf("demo organisation: %w", err)
	}
	if err := forum.LoadDemo(ctx, forum.NewService(a.DB, a.Audit, a.cfg.Now), users); err != nil {
		return false, fmt.Errorf("demo forums: %w", err)
	}
	if err := catalog.LoadDemo(ctx, catalog.NewService(a.DB, a.Audit, a.cfg.Now), users["samordnare"]); err != nil {
		return false, fmt.Errorf("demo catalog: %w", err)
	}
	if err := priority.LoadDemo(ctx, a.priorityService(), users); err != nil {
		return false, fmt.Errorf("demo prioritisation: %w", err)
	}
	if err := implement.LoadDemo(ctx, a.implementService(), users); err != nil {
		return false, fmt.Errorf("demo implementation: %w", err)
	}
	return true, nil
}
