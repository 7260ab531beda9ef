package org

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Templates are the package's page templates, for the catalogue-key test.
func Templates() embed.FS { return templates }

// Account is a user account a person can be linked to.
type Account struct {
	ID   int64
	Name string
}

// Accounts lists the user accounts a person may be linked to. The app builds
// it from the account service, so this package need not import it.
type Accounts func(ctx context.Context) ([]Account, error)

// AccountsFrom adapts a listing of user accounts of any type to Accounts,
// given how to see one as an access principal (auth.User.Principal).
func AccountsFrom[U any](list func(context.Context) ([]U, error), principal func(U) access.Principal) Accounts {
	return func(ctx context.Context) ([]Account, error) {
		us, err := list(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]Account, len(us))
		for i, u := range us {
			p := principal(u)
			out[i] = Account{ID: p.UserID, Name: p.Name + " (" + p.Username + ")"}
		}
		return out, nil
	}
}

// handler serves the registry's pages.
type handler struct {
	svc      *Service
	web      *web.Server
	accounts Accounts
}

// Register adds the registry's pages and its main-navigation entry to s.
// Accounts, which may be nil, lists the user accounts a person can be linked to.
func Register(s *web.Server, svc *Service, accounts Accounts) error {
	if err := addPages(s, templates, "templates"); err != nil {
		return err
	}
	if accounts == nil {
		accounts = func(context.Context) ([]Account, error) { return nil, nil }
	}
	h := &handler{svc: svc, web: s, accounts: accounts}

	s.Handle("GET /organisation", Read, h.tree)
	s.Handle("GET /organisation/enheter/ny", Write, h.newUnit)
	s.Handle("POST /organisation/enheter/ny", Write, h.createUnit)
	s.Handle("GET /organisation/enheter/{id}", Read, h.unit)
	s.Handle("GET /organisation/enheter/{id}/redigera", Write, h.editUnit)
	s.Handle("POST /organisation/enheter/{id}", Write, h.saveUnit)
	s.Handle("POST /organisation/enheter/{id}/ta-bort", Write, h.deleteUnit)

	s.Handle("GET /organisation/grupper", Read, h.groups)
	s.Handle("GET /organisation/grupper/ny", Write, h.newGroup)
	s.Handle("POST /organisation/grupper/ny", Write, h.createGroup)
	s.Handle("GET /organisation/grupper/{id}", Read, h.group)
	s.Handle("GET /organisation/grupper/{id}/redigera", Write, h.editGroup)
	s.Handle("POST /organisation/grupper/{id}", Write, h.saveGroup)
	s.Handle("POST /organisation/grupper/{id}/ta-bort", Write, h.deleteGroup)
	s.Handle("POST /organisation/grupper/{id}/medlemmar", Write, h.addMember)
	s.Handle("GET /organisation/medlemskap/{id}", Write, h.editMembership)
	s.Handle("POST /organisation/medlemskap/{id}", Write, h.saveMembership)
	s.Handle("POST /organisation/medlemskap/{id}/ta-bort", Write, h.deleteMembership)

	s.Handle("GET /organisation/personer", Read, h.people)
	s.Handle("GET /organisation/personer/ny", Write, h.newPerson)
	s.Handle("POST /organisation/personer/ny", Write, h.createPerson)
	s.Handle("GET /organisation/personer/{id}", Read, h.person)
	s.Handle("GET /organisation/personer/{id}/redigera", Write, h.editPerson)
	s.Handle("POST /organisation/personer/{id}", Write, h.savePerson)
	s.Handle("POST /organisation/personer/{id}/ta-bort", Write, h.deletePerson)

	s.Handle("GET /organisation/nationell-struktur", Read, h.national)
	s.Handle("GET /organisation/installningar", Write, h.settings)
	s.Handle("POST /organisation/installningar", Write, h.saveSettings)

	s.AddNav(web.NavItem{Href: "/organisation", Key: "nav.organisation", Perm: Read, Order: 20})
	return nil
}

// partialFiles are the partials every org page is parsed with: "orgnav", the
// sub-navigation (subnav.html), the membership form's fields, and the report
// pages' tabs and filter form (parts_report.html).
var partialFiles = []string{"subnav.html", "membership_fields.html", "parts_report.html"}

// addPages parses the page templates in dir of fsys as "org/<name>", each with
// the partials, so every org page can call {{template "orgnav" .}}. The report
// and import pages of this package are parsed the same way.
func addPages(s *web.Server, fsys fs.FS, dir string) error {
	paths := make([]string, len(partialFiles))
	for i, name := range partialFiles {
		paths[i] = "templates/" + name
	}
	pages, err := web.WithPartials(fsys, templates, paths...)
	if err != nil {
		return err
	}
	return s.AddTemplates("org", pages, dir)
}

// render writes page name ("tree" for org/tree) with data, titled by
// titleKey with the name/value pairs titleArgs.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any, titleArgs ...any) error {
	return h.web.Render(w, r, status, "org/"+name, titleKey, data, titleArgs...)
}

// lang is the request's language, for the names of national groups.
func lang(r *http.Request) string { return string(web.LocaleFrom(r.Context())) }

// t translates key into the request's language, for labels built in code.
func (h *handler) t(r *http.Request, key string, args ...any) string {
	return h.web.Catalog().T(web.LocaleFrom(r.Context()), key, args...)
}

func canWrite(r *http.Request) bool { return access.From(r.Context()).Can(Write) }

// NameIn is the group's name in the language lang, Swedish when it has no
// name in that language.
func (g Group) NameIn(lang string) string {
	if lang == string(i18n.EN) && g.NameEn != "" {
		return g.NameEn
	}
	return g.Name
}

var sharePattern = regexp.MustCompile(`^-?[0-9]{1,6}([.,][0-9]{1,2})?$`)

// formShare reads a share of full time in percent, with a decimal comma or
// point and an optional percent sign: "12,5", "12.5 %". Empty is 0.
func formShare(form *web.Form, name string) float64 {
	s := strings.TrimSpace(strings.TrimSuffix(form.Get(name), "%"))
	s = strings.NewReplacer(" ", "", "\u00a0", "").Replace(s)
	if s == "" {
		return 0
	}
	if !sharePattern.MatchString(s) {
		form.AddError(name, "org.membership.share_number")
		return 0
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil {
		form.AddError(name, "org.membership.share_number")
	}
	return f
}

// shareText writes a share for an edit form in the person's language.
func shareText(r *http.Request, f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if web.LocaleFrom(r.Context()) == i18n.SV {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Names turns the codes and ids that records hold into the names pages show.
type Names struct {
	regions    map[string]string
	healthcare map[string]string
	units      map[int64]string
}

// Region is the name of the region with code.
func (n Names) Region(code string) string {
	if name, ok := n.regions[code]; ok {
		return name
	}
	return code
}

// HealthcareRegion is the name of the sjukvårdsregion with code.
func (n Names) HealthcareRegion(code string) string {
	if name, ok := n.healthcare[code]; ok {
		return name
	}
	return code
}

// Represents names the region and sjukvårdsregion a member represents.
func (n Names) Represents(m Membership) string {
	var parts []string
	if m.RepresentsRegion != "" {
		parts = append(parts, n.Region(m.RepresentsRegion))
	}
	if m.RepresentsHealthcareRegion != "" {
		parts = append(parts, n.HealthcareRegion(m.RepresentsHealthcareRegion))
	}
	return strings.Join(parts, ", ")
}

// Unit is the name of the unit with id.
func (n Names) Unit(id int64) string { return n.units[id] }

// loadNames reads the regions and sjukvårdsregioner, and with units the
// unit names too.
func (h *handler) loadNames(ctx context.Context, units []Unit) (Names, []Region, []HealthcareRegion, error) {
	n := Names{regions: map[string]string{}, healthcare: map[string]string{}, units: map[int64]string{}}
	regions, err := h.svc.Regions(ctx)
	if err != nil {
		return n, nil, nil, err
	}
	hcrs, err := h.svc.HealthcareRegions(ctx)
	if err != nil {
		return n, nil, nil, err
	}
	for _, r := range regions {
		n.regions[r.Code] = r.Name
	}
	for _, hr := range hcrs {
		n.healthcare[hr.Code] = hr.Name
	}
	for _, u := range units {
		n.units[u.ID] = u.Name
	}
	return n, regions, hcrs, nil
}

func regionOptions(regions []Region, emptyKey string) []web.Option {
	out := []web.Option{web.Choose(emptyKey)}
	for _, r := range regions {
		out = append(out, web.Option{Value: r.Code, Label: r.Name})
	}
	return out
}

func healthcareOptions(hcrs []HealthcareRegion, emptyKey string) []web.Option {
	out := []web.Option{web.Choose(emptyKey)}
	for _, hr := range hcrs {
		out = append(out, web.Option{Value: hr.Code, Label: hr.Name})
	}
	return out
}

// deleteProblem maps what can stop a delete to the message shown on the
// record's page and its status; other errors are returned as they are.
func deleteProblem(err error, referencedKey string) (string, int, bool) {
	switch {
	case errors.Is(err, errs.ErrReferenced):
		return referencedKey, http.StatusConflict, true
	case errors.Is(err, errs.ErrConflict):
		return "org.delete_conflict", http.StatusConflict, true
	}
	if v, ok := errs.AsValidation(err); ok && len(v.Fields) > 0 {
		return v.Fields[0].Key, http.StatusUnprocessableEntity, true
	}
	return "", 0, false
}
