package app

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
)

// TestBrowser_ImplementationSurveysWithoutViolations starts the
// implementation of a support of its own that concerns Brunflo hälsocentral
// (Erik Enhet's unit), sends a questionnaire to the unit, and checks with
// axe-core the questionnaire list, the new-questionnaire form (as shown and
// sent with mistakes by keyboard) and the questionnaire with its compilation
// as the coordinator, and the answer form (answered by keyboard) and the
// unit's own page as Erik Enhet.
func TestBrowser_ImplementationSurveysWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta, coord := implementDemo(t)
	m, recs := implementSupport(t, ta, coord, "Enkäter i webbläsaren", []int64{implementUnit(t, ta, "Brunflo hälsocentral")},
		catalog.Recommendation{Code: "E1", Text: "Erbjud strukturerad uppföljning inom tre månader"},
		catalog.Recommendation{Code: "E2", Text: "Använd gemensam checklista vid utskrivning"})
	svc := ta.implementService()
	v, err := svc.CreateSurvey(coord, implement.SurveyInput{ImplementationID: m.ID, Title: "Nuläge i webbläsaren",
		Deadline: svc.Today().AddDays(14), RecommendationIDs: recs})
	implementCheck(t, err)
	v, err = svc.SendSurvey(coord, m.ID, v.ID, v.Version)
	implementCheck(t, err)
	if len(v.Recipients) != 1 || v.Recipients[0].Contact != "Erik Enhet" {
		t.Fatalf("recipients %+v", v.Recipients)
	}
	answer := implement.AnswerURL(v.Recipients[0].ID)
	list := implementPath(m, "enkater")
	page := implementPath(m, "enkater", strconv.FormatInt(v.ID, 10))
	newForm := list + "/ny"
	base := ta.srv.URL
	browser := browsertest.New(t)

	t.Run("enhet", func(t *testing.T) {
		b := browser.NewTab(t)
		implementVisit(t, b, base, "enhet", "/inforande/min-enhet", answer)
		// Sent without choosing: the error summary takes focus.
		submitByKeyboard(t, b, answer)
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary of the answer form")
		}
		checkPage(t, b, "answer form with mistakes")
		// Tab reaches a radio group's first option when none is chosen; Space chooses it.
		for i, rec := range recs {
			id := strconv.FormatInt(rec, 10)
			if err := b.TabTo("#f-answer\\."+id+"-complies", 80); err != nil {
				t.Fatal(err)
			}
			implementCheck(t, b.Type(" "))
			if i == 0 {
				if err := b.TabTo("#f-comment\\."+id, 10); err != nil {
					t.Fatal(err)
				}
				implementCheck(t, b.Type("Vi följer upp de flesta."))
			}
		}
		submitByKeyboard(t, b, answer)
		if flash, _ := b.Text(".flash"); !strings.Contains(flash, "Svaren är sparade") {
			t.Errorf("no confirmation after answering: %q", flash)
		}
		checkPage(t, b, "answer form after answering")
	})

	t.Run("samordnare", func(t *testing.T) {
		b := browser.NewTab(t)
		implementVisit(t, b, base, "samordnare", list, newForm, page)
		if text, _ := b.Text("main"); !strings.Contains(text, "Vi följer upp de flesta.") || !strings.Contains(text, "1 (100 %)") {
			t.Errorf("the compilation does not show the answer: %q", text)
		}
		// The new-questionnaire form sent without a title.
		if err := b.Navigate(base + newForm); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, newForm)
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary of the questionnaire form")
		}
		checkPage(t, b, "questionnaire form with mistakes")
	})
}
