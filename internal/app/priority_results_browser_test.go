package app

import (
	"context"
	"strconv"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

// TestBrowser_PriorityResultsPagesWithoutViolations closes the demo's open
// round (some groups have not answered, some sheets are partial), checks its
// results, its proposal form and the time plan with axe-core as the
// coordinator and the auditor, and sends the prefilled proposal without
// planned starts by keyboard.
func TestBrowser_PriorityResultsPagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	sara := audit.WithSystemActor(access.With(context.Background(), demoPrincipals(t, ta)["samordnare"]), "test")
	svc := ta.priorityService()
	rounds, err := svc.Rounds(sara)
	if err != nil {
		t.Fatal(err)
	}
	var open, decided int64
	for _, r := range rounds {
		switch r.Status {
		case priority.Open:
			r, err := svc.Close(sara, r.ID, r.Version)
			if err != nil {
				t.Fatal(err)
			}
			open = r.ID
		case priority.Decided:
			decided = r.ID
		}
	}
	if open == 0 || decided == 0 {
		t.Fatalf("the demo lacks an open or a decided round: %+v", rounds)
	}
	closedPage := "/prioritering/" + strconv.FormatInt(open, 10)
	decidedPage := "/prioritering/" + strconv.FormatInt(decided, 10)
	year := strconv.Itoa(svc.Today().Year())
	base := ta.srv.URL
	browser := browsertest.New(t)

	t.Run("samordnare", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "samordnare")
		visitAndCheck(t, b, base, "samordnare", []string{
			closedPage + "/resultat", closedPage + "/forslag", decidedPage + "/resultat",
			"/tidsplan", "/tidsplan?ar=" + year + "&forsenade=1", "/tidsplan?ar=abc",
		})
		// The prefilled proposal has no planned starts: its error summary
		// names the candidates and takes the focus.
		if err := b.Navigate(base + closedPage + "/forslag"); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, closedPage+"/forslag")
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary")
		}
		checkPage(t, b, "proposal with errors")
	})

	t.Run("revisor", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "revisor")
		visitAndCheck(t, b, base, "revisor", []string{closedPage + "/resultat", decidedPage + "/resultat", "/tidsplan?ar=" + year})
	})
}
