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
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// TestBrowser_ImplementExchangeWithoutViolations imports another
// implementation's exchange file as the coordinator does, by keyboard: the
// exchange page, a file of an unknown version (the error state with its
// table of problems), a good file and the comparison page it leads to, and
// the confirmation to delete it. Each page is checked with axe-core.
func TestBrowser_ImplementExchangeWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	ctx := audit.WithSystemActor(access.With(context.Background(), demoPrincipals(t, ta)["samordnare"]), "test")
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cat := catalog.NewService(ta.DB, ta.Audit, time.Now)
	svc := ta.implementService()
	start := func(title string, codes ...string) (implement.Implementation, []int64) {
		t.Helper()
		sp, err := cat.CreateSupport(ctx, catalog.Support{Kind: catalog.LocalRoutine, Title: title, Status: catalog.Decided})
		check(err)
		var recs []int64
		for _, c := range codes {
			r, err := cat.CreateRecommendation(ctx, catalog.Recommendation{SupportID: sp.ID, Code: c, Text: "Rekommendation " + c + " i " + title})
			check(err)
			recs = append(recs, r.ID)
		}
		m, err := svc.StartImplementation(ctx, implement.Start{SupportID: sp.ID})
		check(err)
		return m, recs
	}
	save := func(m implement.Implementation, rec int64, size implement.GapSize) {
		t.Helper()
		_, err := svc.SaveGap(ctx, implement.Gap{ImplementationID: m.ID, RecommendationID: rec, Size: size,
			Answers: map[string]string{"current_practice": "Idag " + string(size), "desired_practice": "Målbild"}})
		check(err)
	}
	a, aRecs := start("Utbytesrutin i grannregionen", "U1", "U2", "U3")
	b, bRecs := start("Utbytesrutin här", "U1", "U2", "U4")
	save(a, aRecs[0], implement.GapSmall)
	save(a, aRecs[1], implement.GapSmall)
	save(b, bRecs[0], implement.GapSmall)
	save(b, bRecs[1], implement.GapNone)
	x, err := svc.Export(ctx, a.ID, "Kunskapsnav test")
	check(err)
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "grannregion.json"), filepath.Join(dir, "framtid.json")
	check(os.WriteFile(good, x.Marshal(), 0o600))
	check(os.WriteFile(bad, []byte(strings.Replace(string(x.Marshal()), `"schema_version": "1"`, `"schema_version": "9"`, 1)), 0o600))

	base := ta.srv.URL
	page := "/inforande/" + strconv.FormatInt(b.ID, 10) + "/utbyte"
	br := browsertest.New(t).NewTab(t)
	loginByKeyboard(t, br, base, "samordnare")
	submit := func(file string) {
		t.Helper()
		check(br.Navigate(base + page))
		c, cancel := context.WithTimeout(br.Ctx(), 10*time.Second)
		defer cancel()
		check(chromedp.Do(c, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file})))
		submitByKeyboard(t, br, page)
	}

	visitAndCheck(t, br, base, "samordnare", []string{page})

	submit(bad)
	if text, _ := br.Text("main table caption"); !strings.Contains(text, "1 fel") {
		t.Errorf("no table of problems: caption %q", text)
	}
	if text, _ := br.Text("main table td"); !strings.Contains(text, `"9"`) {
		t.Errorf("the problem does not name the version: %q", text)
	}
	checkPage(t, br, "exchange page with an unknown version")

	submit(good)
	loc, err := br.Location()
	check(err)
	if !strings.Contains(loc, "/jamforelse/") {
		t.Fatalf("the good file led to %s", loc)
	}
	if text, _ := br.Text("main table tbody"); !strings.Contains(text, "Olika gapstorlek") {
		t.Errorf("the differing row is not marked: %q", text)
	}
	checkPage(t, br, "comparison page")
	u, _, _ := strings.Cut(loc, "?")
	visitAndCheck(t, br, base, "samordnare", []string{strings.TrimPrefix(u, base) + "/ta-bort", page})
}
