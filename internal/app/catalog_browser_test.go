package app

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// TestBrowser_CatalogPagesWithoutViolations visits the catalog's pages as the
// coordinator and the auditor, checks each with axe-core, and sends the
// new-support form with mistakes by keyboard.
func TestBrowser_CatalogPagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	ctx := audit.WithSystemActor(context.Background(), "test")
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	svc := catalog.NewService(ta.DB, ta.Audit, time.Now)
	orgs := org.NewService(ta.DB, ta.Audit, time.Now)
	p, err := orgs.CreatePerson(ctx, org.Person{Name: "Vera Utvecklare", Title: "Verksamhetsutvecklare"})
	check(err)
	sp, err := svc.CreateSupport(ctx, catalog.Support{Kind: catalog.NationalGuideline, Phase: catalog.Final, Title: "Nationella riktlinjer för astma och KOL", Status: catalog.Watched})
	check(err)
	sp, err = svc.SetLeads(ctx, sp.ID, []int64{p.ID}, sp.Version)
	check(err)
	for _, to := range []catalog.Status{catalog.Inventoried, catalog.Prioritised, catalog.Decided} {
		sp, err = svc.Transition(ctx, sp.ID, to, svc.Today(), "Steg i livscykeln", sp.Version)
		check(err)
	}
	rec, err := svc.CreateRecommendation(ctx, catalog.Recommendation{SupportID: sp.ID, Code: "A1", Text: "Erbjud spirometri", Priority: 2, DoNotDo: true})
	check(err)
	page := "/kunskapsstod/" + strconv.FormatInt(sp.ID, 10)
	recPage := page + "/rekommendationer/" + strconv.FormatInt(rec.ID, 10)
	pathways, err := svc.Supports(ctx, catalog.Filter{Kind: catalog.CarePathway})
	check(err)
	if len(pathways) == 0 {
		t.Fatal("no reference care pathways")
	}
	pathway := "/kunskapsstod/" + strconv.FormatInt(pathways[0].ID, 10)
	base := ta.srv.URL
	browser := browsertest.New(t)

	t.Run("samordnare", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "samordnare")
		visitAndCheck(t, b, base, "samordnare", []string{
			"/kunskapsstod", "/kunskapsstod?kind=care_pathway&status=watched&q=vård", "/kunskapsstod?q=ingenting-alls",
			"/kunskapsstod/ny", page, page + "?person_q=vera", page + "/redigera", recPage, pathway, pathway + "/redigera",
		})
		// The new-support form sent empty shows its error summary and moves focus to it.
		if err := b.Navigate(base + "/kunskapsstod/ny"); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, "/kunskapsstod/ny")
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary")
		}
		checkPage(t, b, "new support with errors")
	})

	t.Run("revisor", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "revisor")
		visitAndCheck(t, b, base, "revisor", []string{"/kunskapsstod", page, pathway})
	})
}
