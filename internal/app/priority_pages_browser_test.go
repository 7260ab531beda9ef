package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

// priorityEval calls the JavaScript function fn with arg in b's page.
func priorityEval(b *browsertest.Browser, fn, arg string) (string, error) {
	ctx, cancel := context.WithTimeout(b.Ctx(), 10*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf("(%s)(%q)", fn, arg)))
}

// checkedScore is the value of the checked radio button of criterion i.
func checkedScore(t *testing.T, b *browsertest.Browser, i int) string {
	t.Helper()
	v, err := priorityEval(b, `(name) => { const r = document.querySelector('input[name="' + name + '"]:checked'); return r ? r.value : "(none)"; }`,
		"scores."+strconv.Itoa(i)+".value")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestBrowser_PriorityPagesWithoutViolations visits the prioritisation
// round's pages as the coordinator, a member of an assessor group and the
// auditor, checks each with axe-core, sends the new-round form with mistakes
// by keyboard, and rates a criterion with the arrow keys on the sheet's
// radio buttons.
func TestBrowser_PriorityPagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	svc := ta.priorityService()
	coord := access.With(context.Background(), demoPrincipals(t, ta)["samordnare"])
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	today := svc.Today()
	rounds, err := svc.Rounds(coord)
	check(err)
	var open, decided priority.RoundSummary
	for _, r := range rounds {
		switch r.Status {
		case priority.Open:
			open = r
		case priority.Decided:
			decided = r
		}
	}
	if open.ID == 0 || decided.ID == 0 {
		t.Fatalf("the demo has no open and decided rounds: %+v", rounds)
	}
	draft, err := svc.CreateRound(coord, priority.DefaultRound(today.Year()+2, today.AddDays(40), func(k string) string { return ta.Web.Catalog().T("sv", k) }))
	check(err)
	groups, err := svc.Groups(coord, open.ID)
	check(err)
	var diabetes int64
	for _, g := range groups {
		if g.Name == "LPO Diabetes/endokrina" {
			diabetes = g.GroupID
		}
	}
	if diabetes == 0 {
		t.Fatal("LPO Diabetes/endokrina does not rate in the demo's open round")
	}
	cands, err := svc.Candidates(coord, open.ID)
	check(err)
	decidedCands, err := svc.Candidates(coord, decided.ID)
	check(err)
	decidedGroups, err := svc.Groups(coord, decided.ID)
	check(err)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	openPage, draftPage, decidedPage := "/prioritering/"+id(open.ID), "/prioritering/"+id(draft.ID), "/prioritering/"+id(decided.ID)
	sheet := openPage + "/bedomning/" + id(diabetes) + "/" + id(cands[0].ID)
	decidedSheet := decidedPage + "/bedomning/" + id(decidedGroups[0].GroupID) + "/" + id(decidedCands[0].ID)
	base := ta.srv.URL
	browser := browsertest.New(t)

	t.Run("samordnare", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "samordnare")
		visitAndCheck(t, b, base, "samordnare", []string{
			"/prioritering", "/prioritering/ny", draftPage, draftPage + "/redigera", draftPage + "/kandidater",
			draftPage + "/kandidater?q=vård", draftPage + "/grupper", draftPage + "/ta-bort",
			openPage, openPage + "/redigera", openPage + "/bedomning", sheet, decidedPage, decidedPage + "/bedomning", decidedSheet,
		})
		// The new-round form sent without a title shows its error summary and moves focus to it.
		if err := b.Navigate(base + "/prioritering/ny"); err != nil {
			t.Fatal(err)
		}
		if err := b.TabTo("#f-title", 80); err != nil {
			t.Fatal(err)
		}
		if _, err := priorityEval(b, `(id) => { document.getElementById(id).value = ""; return ""; }`, "f-title"); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, "/prioritering/ny")
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary")
		}
		checkPage(t, b, "new round with errors")
		// Opening a draft without candidates shows the problems on the round page.
		if err := b.Navigate(base + draftPage); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, draftPage+"/oppna")
		if text, _ := b.Text(".error-summary"); !strings.Contains(text, "kandidat") {
			t.Errorf("opening an empty round: error summary %q", text)
		}
		checkPage(t, b, "open without candidates")
	})

	t.Run("utvecklare", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "utvecklare")
		visitAndCheck(t, b, base, "utvecklare", []string{"/prioritering", openPage, openPage + "/bedomning", sheet, decidedSheet})
		// Rate the first criterion with the keyboard: Tab into the radio group, arrow to another step.
		if err := b.Navigate(base + sheet); err != nil {
			t.Fatal(err)
		}
		before := checkedScore(t, b, 0)
		if err := b.TabTo(`input[name="scores.0.value"]`, 80); err != nil {
			t.Fatal(err)
		}
		if err := b.Type(kb.ArrowDown); err != nil {
			t.Fatal(err)
		}
		chosen := checkedScore(t, b, 0)
		if chosen == before || chosen == "(none)" {
			t.Fatalf("the arrow key did not move the choice: %q before, %q after", before, chosen)
		}
		if ok, _ := b.FocusedSelectorMatches(`input[name="scores.0.value"]:checked`); !ok {
			t.Error("the focus did not follow the chosen radio button")
		}
		submitByKeyboard(t, b, sheet)
		if loc, _ := b.Location(); !strings.HasSuffix(loc, openPage+"/bedomning") {
			t.Fatalf("after saving: at %s", loc)
		}
		if flash, _ := b.Text(".flash"); !strings.Contains(flash, "sparad") {
			t.Errorf("no confirmation after saving: %q", flash)
		}
		checkPage(t, b, "rating list after saving")
		if err := b.Navigate(base + sheet); err != nil {
			t.Fatal(err)
		}
		if got := checkedScore(t, b, 0); got != chosen {
			t.Errorf("saved score %q, chose %q", got, chosen)
		}
	})

	t.Run("revisor", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "revisor")
		visitAndCheck(t, b, base, "revisor", []string{"/prioritering", openPage, openPage + "/bedomning", sheet, decidedPage})
	})
}
