package app

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
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
		if err := b.TabTo("main form button[type=submit]", 20); err != nil {
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
			for _, p := range pages {
				if err := b.Navigate(base + p); err != nil {
					t.Fatal(err)
				}
				if title, _ := b.Text("main h1"); title == "" {
					t.Errorf("%s %s: no h1", l.Username, p)
				}
				checkPage(t, b, l.Username+" "+p)
			}
		})
	}
}
