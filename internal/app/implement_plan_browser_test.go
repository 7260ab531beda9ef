package app

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
)

// TestBrowser_ImplementationPlanPagesWithoutViolations visits the action
// plan (with overdue rows and a milestone), the action form, the
// communication plan, the checklist, the introduce page and the region's
// checklist model as the coordinator and ledning, checks each with axe-core,
// and sends the action form and a waiver with mistakes by keyboard.
func TestBrowser_ImplementationPlanPagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta, coord, m := implementApp(t)
	svc := ta.implementService()
	today := svc.Today()
	var overdue implement.Action
	for i, title := range []string{"Utbilda sjuksköterskorna", "Uppdatera rutinen i ledningssystemet"} {
		a, err := svc.CreateAction(coord, implement.Action{ImplementationID: m.ID, Title: title, Start: today.AddDays(-40 + i),
			Due: today.AddDays(-10 + i), Status: implement.ActionPlanned, EffortHours: 8})
		if err != nil {
			t.Fatal(err)
		}
		overdue = a
	}
	if _, err := svc.CreateAction(coord, implement.Action{ImplementationID: m.ID, Title: "Rutinen beslutad", Start: today.AddDays(20),
		Due: today.AddDays(20), Status: implement.ActionPlanned, Milestone: true}); err != nil {
		t.Fatal(err)
	}
	c, err := svc.CreateCommunication(coord, implement.Communication{ImplementationID: m.ID, TargetGroup: "Läkare på vårdcentralerna",
		Message: "Nytt arbetssätt från hösten", Channel: implement.ChannelWorkplace, PlannedOn: today.AddDays(5)})
	if err != nil {
		t.Fatal(err)
	}
	items, err := svc.Checklist(coord, m.ID)
	if err != nil || len(items) == 0 {
		t.Fatalf("checklist: %v", err)
	}
	aid, cid := strconv.FormatInt(overdue.ID, 10), strconv.FormatInt(c.ID, 10)
	base := ta.srv.URL
	browser := browsertest.New(t)

	t.Run("samordnare", func(t *testing.T) {
		b := browser.NewTab(t)
		implementVisit(t, b, base, "samordnare",
			implementPath(m, "handlingsplan"), implementPath(m, "handlingsplan")+"?forsenade=1", implementPath(m, "atgarder", "ny"),
			implementPath(m, "atgarder", aid), implementPath(m, "atgarder", aid, "ta-bort"),
			implementPath(m, "kommunikation"), implementPath(m, "kommunikation", "ny"), implementPath(m, "kommunikation", cid),
			implementPath(m, "kommunikation", cid, "ta-bort"), implementPath(m, "checklista"), implementPath(m, "infort"), "/inforande/checklista")
		if err := b.Navigate(base + implementPath(m, "handlingsplan")); err != nil {
			t.Fatal(err)
		}
		if text, err := b.Text("main table"); err != nil || !strings.Contains(text, "Försenad") {
			t.Errorf("overdue actions are not marked in words: %q, %v", text, err)
		}
		// The new-action form sent without a title shows its error summary.
		if err := b.Navigate(base + implementPath(m, "atgarder", "ny")); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, "/atgarder/ny")
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary of the action form")
		}
		checkPage(t, b, "samordnare action form with a mistake")
		// A waiver without a reason.
		if err := b.Navigate(base + implementPath(m, "checklista")); err != nil {
			t.Fatal(err)
		}
		if err := b.TabTo(`main form[action$="/checklista/`+strconv.FormatInt(items[0].ID, 10)+`"] button[value=waive]`, 300); err != nil {
			t.Fatal(err)
		}
		if err := b.Enter(); err != nil {
			t.Fatal(err)
		}
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary of the checklist")
		}
		checkPage(t, b, "samordnare waiver without a reason")
	})
	t.Run("ledning", func(t *testing.T) {
		implementVisit(t, browser.NewTab(t), base, "ledning", implementPath(m, "handlingsplan"), implementPath(m, "kommunikation"),
			implementPath(m, "checklista"), implementPath(m, "infort"), "/inforande/checklista")
	})
}
