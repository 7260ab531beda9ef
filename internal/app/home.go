package app

import (
	"net/http"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
)

// StartCard is one box on a start page: what it is about, what to do next and
// where to go.
type StartCard struct {
	TitleKey string
	BodyKey  string
	Href     string
	LinkKey  string
}

// HomePage is the data of the start page.
type HomePage struct {
	Name  string
	Roles []access.Role
	Cards []StartCard
}

// startCards says, per role, what a person can do next on the platform.
var startCards = []struct {
	roles []access.Role
	card  StartCard
}{
	{[]access.Role{access.Admin}, StartCard{"home.users.title", "home.users.body", "/admin/anvandare", "home.users.link"}},
	{[]access.Role{access.Admin, access.Auditor}, StartCard{"home.audit.title", "home.audit.body", "/logg", "home.audit.link"}},
	{[]access.Role{access.Coordinator}, StartCard{"home.coordinator.title", "home.coordinator.body", "/konto", "home.account.link"}},
	{[]access.Role{access.ImprovementLead}, StartCard{"home.lead.title", "home.lead.body", "/konto", "home.account.link"}},
	{[]access.Role{access.Leadership}, StartCard{"home.leadership.title", "home.leadership.body", "/konto", "home.account.link"}},
	{[]access.Role{access.Unit}, StartCard{"home.unit.title", "home.unit.body", "/konto", "home.account.link"}},
	{[]access.Role{access.Municipality}, StartCard{"home.municipality.title", "home.municipality.body", "/konto", "home.account.link"}},
	{[]access.Role{access.Auditor}, StartCard{"home.auditor.title", "home.auditor.body", "/logg", "home.audit.link"}},
}

func (a *App) home(w http.ResponseWriter, r *http.Request) error {
	p := access.From(r.Context())
	if p.Anonymous() {
		return a.Web.Render(w, r, http.StatusOK, "app/welcome", "home.welcome.title", nil)
	}
	data := HomePage{Name: p.Name, Roles: p.Roles}
	seen := map[string]bool{}
	for _, c := range startCards {
		for _, r := range c.roles {
			if p.Has(r) && !seen[c.card.TitleKey] {
				seen[c.card.TitleKey] = true
				data.Cards = append(data.Cards, c.card)
			}
		}
	}
	return a.Web.Render(w, r, http.StatusOK, "app/home", "home.title", data)
}

func (a *App) accessibility(w http.ResponseWriter, r *http.Request) error {
	return a.Web.Render(w, r, http.StatusOK, "app/accessibility", "accessibility.title", nil)
}
