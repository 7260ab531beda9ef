package app

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// TestBrowser_GapAnalysisPagesWithoutViolations starts the implementation of
// a support of its own as the coordinator, checks the gap list, the gap form
// (as shown, with the deeper analysis missing, and after someone else saved
// first), the templates list, a version and a draft's edit page with
// axe-core, and sends the forms by keyboard.
func TestBrowser_GapAnalysisPagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	coord := access.With(context.Background(), demoPrincipals(t, ta)["samordnare"])
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cat := ta.catalogService()
	sp, err := cat.CreateSupport(coord, catalog.Support{Kind: catalog.LocalRoutine, Title: "Gapanalys i webbläsaren", Status: catalog.Decided})
	check(err)
	var recs []int64
	for i, text := range []string{"Erbjud strukturerad uppföljning inom tre månader", "Använd gemensam checklista vid utskrivning"} {
		r, err := cat.CreateRecommendation(coord, catalog.Recommendation{SupportID: sp.ID, Code: "G" + strconv.Itoa(i+1), Text: text})
		check(err)
		recs = append(recs, r.ID)
	}
	svc := ta.implementService()
	m, err := svc.StartImplementation(coord, implement.Start{SupportID: sp.ID})
	check(err)
	draft, err := svc.NewTemplateVersion(coord, m.TemplateID)
	check(err)

	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	list := "/inforande/" + id(m.ID) + "/gap"
	form := list + "/" + id(recs[0])
	base := ta.srv.URL
	b := browsertest.New(t).NewTab(t)
	loginByKeyboard(t, b, base, "samordnare")
	visitAndCheck(t, b, base, "samordnare", []string{
		list, list + "?storlek=not_judged", form, "/inforande/mallar", "/inforande/mallar/version/" + id(m.TemplateID),
		"/inforande/mallar/version/" + id(draft.ID) + "/redigera", "/inforande/mallar/version/" + id(draft.ID) + "/publicera",
		"/inforande/" + id(m.ID) + "/mall",
	})

	// A large gap without the deeper analysis: the error summary takes focus.
	if err := b.Navigate(base + form); err != nil {
		t.Fatal(err)
	}
	if _, err := priorityEval(b, `(v) => { document.querySelector('input[name="gap"][value="' + v + '"]').checked = true; return ""; }`, "large"); err != nil {
		t.Fatal(err)
	}
	if err := b.TabTo("#f-answers\\.current_practice", 120); err != nil {
		t.Fatal(err)
	}
	check(b.Type("Uppföljning sker sporadiskt."))
	if err := b.TabTo("#f-answers\\.desired_practice", 5); err != nil {
		t.Fatal(err)
	}
	check(b.Type("Alla följs upp inom tre månader."))
	submitByKeyboard(t, b, form)
	if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
		t.Error("focus did not move to the error summary")
	}
	if text, _ := b.Text(".error-summary"); !strings.Contains(text, "Vad trängs undan?") {
		t.Errorf("error summary %q", text)
	}
	checkPage(t, b, "gap form with errors")

	// Someone else saves while the form is open: the conflict page shows both.
	if err := b.Navigate(base + form); err != nil {
		t.Fatal(err)
	}
	_, err = svc.SaveGap(coord, implement.Gap{ImplementationID: m.ID, RecommendationID: recs[0], Size: implement.GapSmall,
		Answers: map[string]string{"current_practice": "Sparat av någon annan", "desired_practice": "Mål"}})
	check(err)
	if _, err := priorityEval(b, `(v) => { document.querySelector('input[name="gap"][value="' + v + '"]').checked = true; return ""; }`, "none"); err != nil {
		t.Fatal(err)
	}
	if err := b.TabTo("#f-answers\\.current_practice", 120); err != nil {
		t.Fatal(err)
	}
	check(b.Type("Min beskrivning"))
	if err := b.TabTo("#f-answers\\.desired_practice", 5); err != nil {
		t.Fatal(err)
	}
	check(b.Type("Mitt mål"))
	submitByKeyboard(t, b, form)
	if text, _ := b.Text("section.conflict"); !strings.Contains(text, "Sparat av någon annan") {
		t.Errorf("conflict section %q", text)
	}
	checkPage(t, b, "gap form conflict")
	submitByKeyboard(t, b, form)
	if loc, _ := b.Location(); !strings.HasSuffix(loc, form) {
		t.Errorf("after saving over: at %s", loc)
	}
	v, err := svc.GapOf(coord, m.ID, recs[0])
	check(err)
	if v.Gap.Size != implement.GapNone || v.Gap.Answers["current_practice"] != "Min beskrivning" {
		t.Errorf("saved over as %+v", v.Gap)
	}
	checkPage(t, b, "gap form after saving")

	// The draft's edit form with a problem.
	edit := "/inforande/mallar/version/" + id(draft.ID) + "/redigera"
	if err := b.Navigate(base + edit); err != nil {
		t.Fatal(err)
	}
	if err := b.TabTo("#f-title", 80); err != nil {
		t.Fatal(err)
	}
	if _, err := priorityEval(b, `(id) => { document.getElementById(id).value = ""; return ""; }`, "f-title"); err != nil {
		t.Fatal(err)
	}
	submitByKeyboard(t, b, edit)
	if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
		t.Error("focus did not move to the template's error summary")
	}
	checkPage(t, b, "template edit with errors")
}
