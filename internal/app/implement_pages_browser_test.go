package app

import (
	"context"
	"strconv"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// implementApp is the app on the demo data with an implementation to visit:
// the demo's first, or, when the demo has none, one started here on a
// support the demo has decided for introduction. It returns the app, the
// coordinator's context and the implementation.
func implementApp(t *testing.T) (*testApp, context.Context, implement.Implementation) {
	t.Helper()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	svc := ta.implementService()
	coord := access.With(context.Background(), demoPrincipals(t, ta)["samordnare"])
	rows, err := svc.Overview(coord, implement.OverviewInWork)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) > 0 {
		m, _, err := svc.Implementation(coord, rows[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return ta, coord, m
	}
	choices, err := svc.StartChoices(coord)
	if err != nil {
		t.Fatal(err)
	}
	if len(choices) == 0 {
		t.Fatal("the demo has no support decided for introduction")
	}
	m, err := svc.StartImplementation(coord, implement.Start{SupportID: choices[0].ID, PlannedEnd: svc.Today().AddDays(200)})
	if err != nil {
		t.Fatal(err)
	}
	return ta, coord, m
}

// implementPath is the address of a page of implementation m: its
// workspace, or the part named by the rest, e.g. implementPath(m, "arbetsgrupp").
func implementPath(m implement.Implementation, rest ...string) string {
	p := "/inforande/" + strconv.FormatInt(m.ID, 10)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

// implementVisit signs username in with the keyboard in tab b of the app at
// base and opens each path, checking that it has an h1, no axe-core
// violations and no console errors.
func implementVisit(t *testing.T, b *browsertest.Browser, base, username string, paths ...string) {
	t.Helper()
	loginByKeyboard(t, b, base, username)
	visitAndCheck(t, b, base, username, paths)
}

// TestBrowser_ImplementationWorkspacePagesWithoutViolations visits the
// overview, the start form, a workspace and its working group as the
// coordinator, ledning and a verksamhetsutvecklare outside the group, checks
// each with axe-core, and sends the start form with a mistake by keyboard.
func TestBrowser_ImplementationWorkspacePagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta, _, m := implementApp(t)
	base := ta.srv.URL
	browser := browsertest.New(t)

	t.Run("samordnare", func(t *testing.T) {
		b := browser.NewTab(t)
		implementVisit(t, b, base, "samordnare",
			"/inforande", "/inforande?status=introduced", "/inforande/ny", "/inforande/ny?sok=1&person_q=a",
			implementPath(m), implementPath(m, "arbetsgrupp"), implementPath(m, "arbetsgrupp")+"?sok=1&version=1&person_q=an")
		// The start form sent without a support shows its error summary and moves focus to it.
		if err := b.Navigate(base + "/inforande/ny"); err != nil {
			t.Fatal(err)
		}
		// The form's last button starts; the one beside the person search only searches.
		if err := b.TabTo(`main form[action$="/inforande/ny"] button[type=submit]:not([formmethod])`, 200); err != nil {
			t.Fatal(err)
		}
		if err := b.Enter(); err != nil {
			t.Fatal(err)
		}
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary")
		}
		checkPage(t, b, "samordnare start form with a mistake")
		if err := b.Navigate(base + "/kunskapsstod/" + strconv.FormatInt(m.SupportID, 10)); err != nil {
			t.Fatal(err)
		}
		if links, err := b.Links(`main a[href="` + implementPath(m) + `"]`); err != nil || len(links) != 1 {
			t.Errorf("the support's page does not link to its workspace: %v, %v", links, err)
		}
	})
	t.Run("ledning", func(t *testing.T) {
		implementVisit(t, browser.NewTab(t), base, "ledning", "/inforande", implementPath(m), implementPath(m, "arbetsgrupp"))
	})
	t.Run("utvecklare", func(t *testing.T) {
		implementVisit(t, browser.NewTab(t), base, "utvecklare", "/inforande", implementPath(m), implementPath(m, "arbetsgrupp"))
	})
}
