package app

import (
	"context"
	"strconv"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// implementDemo is the app on the demo data and the coordinator's context.
func implementDemo(t *testing.T) (*testApp, context.Context) {
	t.Helper()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	return ta, access.With(context.Background(), demoPrincipals(t, ta)["samordnare"])
}

// implementApp is the app on the demo data with an implementation to visit:
// the demo's first, or, when the demo has none, one started here on a
// support the demo has decided for introduction. It returns the app, the
// coordinator's context and the implementation.
func implementApp(t *testing.T) (*testApp, context.Context, implement.Implementation) {
	t.Helper()
	ta, coord := implementDemo(t)
	svc := ta.implementService()
	rows, err := svc.Overview(coord, implement.OverviewInWork)
	implementCheck(t, err)
	if len(rows) > 0 {
		m, _, err := svc.Implementation(coord, rows[0].ID)
		implementCheck(t, err)
		return ta, coord, m
	}
	choices, err := svc.StartChoices(coord)
	implementCheck(t, err)
	if len(choices) == 0 {
		t.Fatal("the demo has no support decided for introduction")
	}
	m, err := svc.StartImplementation(coord, implement.Start{SupportID: choices[0].ID, PlannedEnd: svc.Today().AddDays(200)})
	implementCheck(t, err)
	return ta, coord, m
}

// implementSupport has the coordinator (coord) create a support of its own
// decided for introduction, titled title, concerning units, with recs, and
// start its implementation. It returns the implementation and the
// recommendations' ids.
func implementSupport(t *testing.T, ta *testApp, coord context.Context, title string, units []int64, recs ...catalog.Recommendation) (implement.Implementation, []int64) {
	t.Helper()
	cat := ta.catalogService()
	sp, err := cat.CreateSupport(coord, catalog.Support{Kind: catalog.LocalRoutine, Title: title, Status: catalog.Decided})
	implementCheck(t, err)
	if len(units) > 0 {
		_, err = cat.SetUnits(coord, sp.ID, units, sp.Version)
		implementCheck(t, err)
	}
	var ids []int64
	for _, r := range recs {
		r.SupportID = sp.ID
		r, err := cat.CreateRecommendation(coord, r)
		implementCheck(t, err)
		ids = append(ids, r.ID)
	}
	m, err := ta.implementService().StartImplementation(coord, implement.Start{SupportID: sp.ID})
	implementCheck(t, err)
	return m, ids
}

// implementUnit is the id of the demo's unit named name.
func implementUnit(t *testing.T, ta *testApp, name string) int64 {
	t.Helper()
	var id int64
	implementCheck(t, ta.DB.QueryRowContext(context.Background(), `SELECT id FROM units WHERE name = ?`, name).Scan(&id))
	return id
}

// implementCheck stops the test on err.
func implementCheck(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
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
