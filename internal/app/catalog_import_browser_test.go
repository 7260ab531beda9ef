package app

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// TestBrowser_RecommendationImportWithoutViolations walks the import of a
// support's recommendations as a coordinator does, by keyboard: the upload
// page, the form sent without a file, a file with problems, a good file's
// preview and its confirmation; then the person-dependence report listing
// the support, which has one lead. Each page is checked with axe-core.
func TestBrowser_RecommendationImportWithoutViolations(t *testing.T) {
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
	p, err := org.NewService(ta.DB, ta.Audit, time.Now).CreatePerson(ctx, org.Person{Name: "Vera Utvecklare"})
	check(err)
	sp, err := svc.CreateSupport(ctx, catalog.Support{Kind: catalog.NationalGuideline, Phase: catalog.Final, Title: "Nationella riktlinjer för astma och KOL"})
	check(err)
	sp, err = svc.SetLeads(ctx, sp.ID, []int64{p.ID}, sp.Version)
	check(err)
	for _, to := range []catalog.Status{catalog.Inventoried, catalog.Prioritised, catalog.Decided} {
		sp, err = svc.Transition(ctx, sp.ID, to, svc.Today(), "Steg i livscykeln", sp.Version)
		check(err)
	}
	_, err = svc.CreateRecommendation(ctx, catalog.Recommendation{SupportID: sp.ID, Code: "A1", Text: "Erbjud spirometri", Priority: 3})
	check(err)
	page := "/kunskapsstod/" + strconv.FormatInt(sp.ID, 10)
	imp := page + "/rekommendationer/import"

	dir := t.TempDir()
	bad, good := filepath.Join(dir, "fel.csv"), filepath.Join(dir, "astma.csv")
	check(os.WriteFile(bad, []byte("kod;rekommendation;prioritet\nA1;Erbjud spirometri;elva\nA2;;2\n"), 0o600))
	check(os.WriteFile(good, []byte("kod;rekommendation;prioritet;icke-göra\nA1;Erbjud spirometri;2;nej\nA2;Erbjud inte rutinmässig röntgen;9;ja\n"), 0o600))

	base := ta.srv.URL
	b := browsertest.New(t).NewTab(t)
	loginByKeyboard(t, b, base, "samordnare")
	submit := func(file string) {
		t.Helper()
		check(b.Navigate(base + imp))
		if file != "" {
			ctx, cancel := context.WithTimeout(b.Ctx(), 10*time.Second)
			defer cancel()
			check(chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file})))
		}
		check(b.TabTo("main form button[type=submit]", 40))
		check(b.Enter())
	}

	check(b.Navigate(base + page))
	check(b.TabTo(`main a[href="`+imp+`"]`, 80))
	check(b.Enter())
	if text, _ := b.Text("main h1"); !strings.Contains(text, "Importera rekommendationer") {
		t.Fatalf("the link leads to %q", text)
	}
	checkPage(t, b, "import page")

	submit("")
	if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
		t.Error("focus did not move to the error summary")
	}
	checkPage(t, b, "import form without a file")

	submit(bad)
	if text, _ := b.Text("#import-errors caption"); text == "" {
		t.Error("no table of problems")
	}
	checkPage(t, b, "preview with problems")

	submit(good)
	check(b.TabTo(`main form[action$="/bekrafta"] button`, 40))
	checkPage(t, b, "preview of a good file")
	check(b.Enter())
	if text, _ := b.Text(".flash"); !strings.Contains(text, "1 nya, 1 ändrade") {
		t.Errorf("after confirming: flash %q", text)
	}
	checkPage(t, b, "support page after the import")

	check(b.Navigate(base + "/organisation/rapporter/personberoende"))
	if text, _ := b.Text("#work + p + div table"); !strings.Contains(text, "Nationella riktlinjer för astma och KOL") || !strings.Contains(text, "Vera Utvecklare") {
		t.Errorf("the report's knowledge supports: %q", text)
	}
	checkPage(t, b, "person-dependence report with a knowledge support")
}
