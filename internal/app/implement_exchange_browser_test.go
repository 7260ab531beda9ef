package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
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
	ta, ctx := implementDemo(t)
	svc := ta.implementService()
	start := func(title string, codes ...string) (implement.Implementation, []int64) {
		t.Helper()
		var recs []catalog.Recommendation
		for _, c := range codes {
			recs = append(recs, catalog.Recommendation{Code: c, Text: "Rekommendation " + c + " i " + title})
		}
		return implementSupport(t, ta, ctx, title, nil, recs...)
	}
	save := func(m implement.Implementation, rec int64, size implement.GapSize) {
		t.Helper()
		_, err := svc.SaveGap(ctx, implement.Gap{ImplementationID: m.ID, RecommendationID: rec, Size: size,
			Answers: map[string]string{"current_practice": "Idag " + string(size), "desired_practice": "Målbild"}})
		implementCheck(t, err)
	}
	a, aRecs := start("Utbytesrutin i grannregionen", "U1", "U2", "U3")
	b, bRecs := start("Utbytesrutin här", "U1", "U2", "U4")
	save(a, aRecs[0], implement.GapSmall)
	save(a, aRecs[1], implement.GapSmall)
	save(b, bRecs[0], implement.GapSmall)
	save(b, bRecs[1], implement.GapNone)
	x, err := svc.Export(ctx, a.ID, "Kunskapsnav test")
	implementCheck(t, err)
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "grannregion.json"), filepath.Join(dir, "framtid.json")
	implementCheck(t, os.WriteFile(good, x.Marshal(), 0o600))
	implementCheck(t, os.WriteFile(bad, []byte(strings.Replace(string(x.Marshal()), `"schema_version": "1"`, `"schema_version": "9"`, 1)), 0o600))

	base := ta.srv.URL
	page := implementPath(b, "utbyte")
	br := browsertest.New(t).NewTab(t)
	submit := func(file string) {
		t.Helper()
		implementCheck(t, br.Navigate(base+page))
		c, cancel := context.WithTimeout(br.Ctx(), 10*time.Second)
		defer cancel()
		implementCheck(t, chromedp.Do(c, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file})))
		submitByKeyboard(t, br, page)
	}

	implementVisit(t, br, base, "samordnare", page)

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
	implementCheck(t, err)
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
