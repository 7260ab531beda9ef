package app

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// checkPage asserts zero axe-core violations (WCAG 2.1 A and AA) and no
// console errors on the page the tab shows.
func checkPage(t *testing.T, b *browsertest.Browser, what string) {
	t.Helper()
	v, err := b.Axe()
	if err != nil {
		t.Fatalf("%s: axe: %v", what, err)
	}
	if len(v) > 0 {
		t.Errorf("%s: %d accessibility violations:\n%s", what, len(v), browsertest.FormatViolations(v))
	}
	loc, _ := b.Location()
	var errs []string
	for _, e := range b.ConsoleErrors() {
		// Chromium logs the status of an error page's own document (404, 422)
		// as a failed load; that is the page answering, not the page failing.
		if strings.HasSuffix(e, "["+loc+"]") && strings.Contains(e, "status of 4") {
			continue
		}
		errs = append(errs, e)
	}
	if len(errs) > 0 {
		t.Errorf("%s: console errors:\n%s", what, strings.Join(errs, "\n"))
	}
	b.ResetConsole()
}

// visitAndCheck opens each path as who and checks that the page has an h1,
// no axe-core violations and no console errors.
func visitAndCheck(t *testing.T, b *browsertest.Browser, base, who string, paths []string) {
	t.Helper()
	for _, p := range paths {
		if err := b.Navigate(base + p); err != nil {
			t.Fatal(err)
		}
		if title, _ := b.Text("main h1"); title == "" {
			t.Errorf("%s %s: no h1", who, p)
		}
		checkPage(t, b, who+" "+p)
	}
}

// submitByKeyboard tabs to the submit button of the form whose action ends
// in action and presses Enter.
func submitByKeyboard(t *testing.T, b *browsertest.Browser, action string) {
	t.Helper()
	if err := b.TabTo(`main form[action$="`+action+`"] button[type=submit]`, 200); err != nil {
		t.Fatal(err)
	}
	if err := b.Enter(); err != nil {
		t.Fatal(err)
	}
}

// demoPrincipals returns who each demo account is, by username, for a test
// that acts as one through a service.
func demoPrincipals(t *testing.T, ta *testApp) map[string]access.Principal {
	t.Helper()
	users, err := ta.Auth.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]access.Principal{}
	for _, u := range users {
		out[u.Username] = u.Principal()
	}
	return out
}

// loginByKeyboard signs in through the form using only the keyboard.
func loginByKeyboard(t *testing.T, b *browsertest.Browser, base, username string) {
	t.Helper()
	steps := []struct {
		what string
		do   func() error
	}{
		{"open login", func() error { return b.Navigate(base + "/logga-in") }},
		{"tab to username", func() error { return b.TabTo("#f-username", 20) }},
		{"type username", func() error { return b.Type(username) }},
		{"tab to password", func() error { return b.TabTo("#f-password", 3) }},
		{"type password", func() error { return b.Type(DemoPassword) }},
		{"tab to submit", func() error { return b.TabTo("main form button[type=submit]", 3) }},
		{"press enter", b.Enter},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("login as %s: %s: %v", username, s.what, err)
		}
	}
	loc, err := b.Location()
	if err != nil || !strings.HasSuffix(loc, "/") {
		t.Fatalf("login as %s: landed on %q, %v", username, loc, err)
	}
	if name, err := b.Text(".user-name"); err != nil || name == "" {
		t.Fatalf("login as %s: no user name in the header: %v", username, err)
	}
}

// TestBrowser_EveryRoleByKeyboardWithoutViolations logs in as each demo role
// through the form with the keyboard only, visits every page reachable from the
// navigation, header and footer, and checks each with axe-core.
func TestBrowser_EveryRoleByKeyboardWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	base := ta.srv.URL
	browser := browsertest.New(t)

	t.Run("anonymous", func(t *testing.T) {
		b := browser.NewTab(t)
		for _, p := range []string{"/", "/logga-in", "/tillganglighet", "/api/v1/docs", "/finns-inte"} {
			if err := b.Navigate(base + p); err != nil {
				t.Fatal(err)
			}
			checkPage(t, b, "anonymous "+p)
		}
		// A failed login shows the error summary; it must be accessible too.
		if err := b.Navigate(base + "/logga-in"); err != nil {
			t.Fatal(err)
		}
		if err := b.TabTo("main form button[type=submit]", 40); err != nil {
			t.Fatal(err)
		}
		if err := b.Enter(); err != nil {
			t.Fatal(err)
		}
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary")
		}
		checkPage(t, b, "login with errors")
	})

	for _, l := range DemoLogins {
		t.Run(l.Username, func(t *testing.T) {
			b := browser.NewTab(t)
			loginByKeyboard(t, b, base, l.Username)
			checkPage(t, b, l.Username+" start page")
			links, err := b.Links("header a, footer a, main a")
			if err != nil {
				t.Fatal(err)
			}
			var pages []string
			for _, link := range links {
				u, err := url.Parse(link)
				if err != nil || !strings.HasPrefix(link, base) || strings.HasSuffix(u.Path, ".csv") || strings.HasSuffix(u.Path, ".json") {
					continue
				}
				if !slices.Contains(pages, u.RequestURI()) {
					pages = append(pages, u.RequestURI())
				}
			}
			if len(pages) < 3 {
				t.Fatalf("only %d pages reachable: %v", len(pages), pages)
			}
			visitAndCheck(t, b, base, l.Username, pages)
		})
	}
}

// orgPages fills the organisation registry with a few records of its own (so
// the test does not hang on the demo data) and returns the pages to visit.
func orgPages(t *testing.T, ta *testApp) []string {
	t.Helper()
	svc := org.NewService(ta.DB, ta.Audit, time.Now)
	ctx := audit.WithSystemActor(context.Background(), "test")
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	div, err := svc.CreateUnit(ctx, org.Unit{Level: org.Division, Name: "Testförvaltningen", Kind: org.OtherKind})
	check(err)
	dep, err := svc.CreateUnit(ctx, org.Unit{Level: org.Department, ParentID: div.ID, Name: "Testkliniken", Kind: org.CountyHospital})
	check(err)
	dep.Name = "Test- och provkliniken"
	_, err = svc.UpdateUnit(ctx, dep) // a rename, so the unit page shows history
	check(err)
	p, err := svc.CreatePerson(ctx, org.Person{Name: "Tea Testsson", Title: "Överläkare", UnitID: dep.ID})
	check(err)
	g, err := svc.CreateGroup(ctx, org.Group{Kind: org.GovernanceCouncil, Level: org.RegionalLevel, Name: "Testrådet", Seats: 4, Mandate: "Pröva sidorna."})
	check(err)
	start := date.New(2025, 1, 1)
	m, err := svc.CreateMembership(ctx, org.Membership{GroupID: g.ID, PersonID: p.ID, Role: org.Chair, Composition: org.Core, SharePercent: 12.5, Start: start})
	check(err)
	npos, err := svc.Groups(ctx, org.GroupFilter{Kind: org.NPO})
	check(err)
	_, err = svc.CreateMembership(ctx, org.Membership{GroupID: npos[0].ID, PersonID: p.ID, Role: org.Member, RepresentsRegion: "jamtland-harjedalen", SharePercent: 10, Start: start})
	check(err)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return []string{
		"/organisation", "/organisation?q=prov", "/organisation/enheter/" + id(dep.ID),
		"/organisation/grupper", "/organisation/grupper?kind=npo", "/organisation/grupper/" + id(g.ID), "/organisation/grupper/" + id(npos[0].ID),
		"/organisation/personer", "/organisation/personer/" + id(p.ID),
		"/organisation/nationell-struktur", "/organisation/installningar",
		"/organisation/enheter/ny", "/organisation/enheter/" + id(dep.ID) + "/redigera", "/organisation/grupper/" + id(g.ID) + "/redigera",
		"/organisation/medlemskap/" + id(m.ID), "/organisation/personer/ny",
		"/organisation/grupper/" + id(g.ID) + "?person_q=tea", "/organisation/medlemskap/" + id(m.ID) + "?person_q=nobody",
	}
}

// TestBrowser_OrganisationPagesWithoutViolations visits the organisation
// registry's pages as the coordinator and checks each with axe-core, and a
// form sent with mistakes by keyboard.
func TestBrowser_OrganisationPagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	pages := orgPages(t, ta)
	base := ta.srv.URL
	b := browsertest.New(t).NewTab(t)
	loginByKeyboard(t, b, base, "samordnare")
	visitAndCheck(t, b, base, "samordnare", pages)
	// The new-unit form sent empty shows its error summary and moves focus to it.
	if err := b.Navigate(base + "/organisation/enheter/ny"); err != nil {
		t.Fatal(err)
	}
	if err := b.TabTo("main form button[type=submit]", 80); err != nil {
		t.Fatal(err)
	}
	if err := b.Enter(); err != nil {
		t.Fatal(err)
	}
	if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
		t.Error("focus did not move to the error summary")
	}
	checkPage(t, b, "new unit with errors")
}
