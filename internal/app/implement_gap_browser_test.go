package app

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
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
	ta, coord := implementDemo(t)
	m, recs := implementSupport(t, ta, coord, "Gapanalys i webbläsaren", nil,
		catalog.Recommendation{Code: "G1", Text: "Erbjud strukturerad uppföljning inom tre månader"},
		catalog.Recommendation{Code: "G2", Text: "Använd gemensam checklista vid utskrivning"})
	svc := ta.implementService()
	draft, err := svc.NewTemplateVersion(coord, m.TemplateID)
	implementCheck(t, err)

	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	list := implementPath(m, "gap")
	form := list + "/" + id(recs[0])
	base := ta.srv.URL
	b := browsertest.New(t).NewTab(t)
	implementVisit(t, b, base, "samordnare",
		list, list+"?storlek=not_judged", form, "/inforande/mallar", "/inforande/mallar/version/"+id(m.TemplateID),
		"/inforande/mallar/version/"+id(draft.ID)+"/redigera", "/inforande/mallar/version/"+id(draft.ID)+"/publicera",
		implementPath(m, "mall"))

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
	implementCheck(t, b.Type("Uppföljning sker sporadiskt."))
	if err := b.TabTo("#f-answers\\.desired_practice", 5); err != nil {
		t.Fatal(err)
	}
	implementCheck(t, b.Type("Alla följs upp inom tre månader."))
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
	implementCheck(t, err)
	if _, err := priorityEval(b, `(v) => { document.querySelector('input[name="gap"][value="' + v + '"]').checked = true; return ""; }`, "none"); err != nil {
		t.Fatal(err)
	}
	if err := b.TabTo("#f-answers\\.current_practice", 120); err != nil {
		t.Fatal(err)
	}
	implementCheck(t, b.Type("Min beskrivning"))
	if err := b.TabTo("#f-answers\\.desired_practice", 5); err != nil {
		t.Fatal(err)
	}
	implementCheck(t, b.Type("Mitt mål"))
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
	implementCheck(t, err)
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
