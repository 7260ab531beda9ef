package app

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
)

// TestBrowser_ImplementationCommentRoundWithoutViolations sends an
// implementation's action plan for comments to Brunflo hälsocentral (Erik
// Enhet's unit) and Östersund (Karin Kommun's municipality), visits the
// history, the send form, the round and the recipients' pages as the
// coordinator, Erik Enhet and Karin Kommun, checks each with axe-core, sends
// the send form with mistakes and a comment by keyboard.
func TestBrowser_ImplementationCommentRoundWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta, coord, m := implementApp(t)
	svc := ta.implementService()
	brunflo := implementUnit(t, ta, "Brunflo hälsocentral")
	cat := ta.catalogService()
	sp, err := cat.Support(coord, m.SupportID)
	implementCheck(t, err)
	if !slices.Contains(sp.UnitIDs, brunflo) {
		_, err = cat.SetUnits(coord, sp.ID, append(slices.Clone(sp.UnitIDs), brunflo), sp.Version)
		implementCheck(t, err)
	}
	m, _, err = svc.Implementation(coord, m.ID)
	implementCheck(t, err)
	if !slices.Contains(m.Municipalities, "2380") {
		m.Municipalities = append(m.Municipalities, "2380")
		m, err = svc.UpdateGroup(coord, m)
		implementCheck(t, err)
	}
	today := svc.Today()
	for i, title := range []string{"Utbilda personalen i det nya arbetssättet", "Inför checklistan i journalen"} {
		_, err := svc.CreateAction(coord, implement.Action{ImplementationID: m.ID, Title: title, Start: today.AddDays(10 + i),
			Due: today.AddDays(40 + i), Status: implement.ActionPlanned, EffortHours: 6})
		implementCheck(t, err)
	}
	rd, err := svc.SendForComments(coord, m.ID, implement.CommentRound{Deadline: today.AddDays(14), Message: "Vi vill särskilt veta om tidsplanen håller.",
		UnitIDs: []int64{brunflo}, Municipalities: []string{"2380"}})
	implementCheck(t, err)
	var unitPage, muniPage string
	for _, rc := range rd.Recipients {
		p := "/remissvar/" + strconv.FormatInt(rc.ID, 10)
		if rc.UnitID == brunflo {
			unitPage = p
		} else if rc.Municipality == "2380" {
			muniPage = p
		}
	}
	if unitPage == "" || muniPage == "" {
		t.Fatalf("recipients: %+v", rd.Recipients)
	}
	roundPage := implementPath(m, "remiss", strconv.FormatInt(rd.ID, 10))
	base := ta.srv.URL
	browser := browsertest.New(t)

	t.Run("enhet", func(t *testing.T) {
		b := browser.NewTab(t)
		implementVisit(t, b, base, "enhet", unitPage)
		if text, err := b.Text("main table"); err != nil || !strings.Contains(text, "Utbilda personalen i det nya arbetssättet") {
			t.Errorf("the plan as sent is not shown: %q, %v", text, err)
		}
		// An empty comment shows the error summary; a comment is recorded.
		submitByKeyboard(t, b, unitPage)
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary of the comment form")
		}
		checkPage(t, b, "enhet comment form with a mistake")
		if err := b.TabTo("#f-body", 100); err != nil {
			t.Fatal(err)
		}
		if err := b.Type("Utbildningen behöver ligga efter semestrarna."); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, unitPage)
		if flash, _ := b.Text(".flash"); !strings.Contains(flash, "synpunkter är lämnade") {
			t.Errorf("no confirmation after commenting: %q", flash)
		}
		if text, _ := b.Text("main"); !strings.Contains(text, "Utbildningen behöver ligga efter semestrarna.") {
			t.Error("the comment is not listed after sending it")
		}
		checkPage(t, b, "enhet after commenting")
	})

	t.Run("kommun", func(t *testing.T) {
		b := browser.NewTab(t)
		implementVisit(t, b, base, "kommun", muniPage)
		if text, _ := b.Text("main h1"); !strings.Contains(text, "Synpunkter på handlingsplanen") {
			t.Errorf("kommun page heading %q", text)
		}
	})

	t.Run("samordnare", func(t *testing.T) {
		b := browser.NewTab(t)
		implementVisit(t, b, base, "samordnare", implementPath(m, "historik"), implementPath(m, "remiss", "ny"), roundPage, unitPage, muniPage)
		// The send form without recipients and with a past deadline.
		if err := b.Navigate(base + implementPath(m, "remiss", "ny")); err != nil {
			t.Fatal(err)
		}
		if _, err := priorityEval(b, `(v) => { document.getElementById("f-deadline").value = v; return ""; }`, today.AddDays(-1).String()); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, "/remiss/ny")
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary of the send form")
		}
		if text, _ := b.Text(".error-summary"); !strings.Contains(text, "minst en enhet eller kommun") {
			t.Errorf("send form error summary %q", text)
		}
		checkPage(t, b, "samordnare send form with mistakes")
		// A revision saved from the history page.
		if err := b.Navigate(base + implementPath(m, "historik")); err != nil {
			t.Fatal(err)
		}
		if err := b.TabTo("#f-note", 200); err != nil {
			t.Fatal(err)
		}
		if err := b.Type("Utbildningen flyttad efter remissen."); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, "/historik")
		if flash, _ := b.Text(".flash"); !strings.Contains(flash, "Revision") {
			t.Errorf("no confirmation after saving a revision: %q", flash)
		}
		checkPage(t, b, "samordnare history after saving a revision")
	})
}
