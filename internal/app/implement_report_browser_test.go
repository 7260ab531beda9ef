package app

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// TestBrowser_ImplementReportWithoutViolations checks the printable report
// and the summary page with axe-core: as the coordinator it drafts a summary
// by keyboard at an in-process model, checks the page with the marked
// draft, accepts it by keyboard and checks the report; ledning checks both
// pages read-only.
func TestBrowser_ImplementReportWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	chat := newFakeChat(t)
	ta, id := newReportApp(t, dbtest.Open(t, db.SQLite), chat.srv.URL)
	base := ta.srv.URL
	page := "/inforande/" + strconv.FormatInt(id, 10)
	browser := browsertest.New(t)

	b := browser.NewTab(t)
	implementVisit(t, b, base, "samordnare", page+"/rapport", page+"/sammanfattning")
	if err := b.TabTo(`#f-draft button[type=submit]`, 200); err != nil {
		t.Fatal(err)
	}
	if err := b.Enter(); err != nil {
		t.Fatal(err)
	}
	if text, _ := b.Text("#draft-title"); !strings.Contains(text, "Maskinframtaget utkast – granska och godkänn") {
		t.Fatalf("after drafting by keyboard the page shows no marked draft (%q)", text)
	}
	checkPage(t, b, "samordnare: the summary page with a draft")
	submitByKeyboard(t, b, page+"/sammanfattning")
	w, err := ta.implementService().Workspace(ta.coordinatorCtx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	if w.Implementation.Summary != reportDraft || !w.Implementation.SummaryMachine {
		t.Fatalf("accepting by keyboard saved %q (machine %v)", w.Implementation.Summary, w.Implementation.SummaryMachine)
	}
	checkPage(t, b, "samordnare: the summary page after accepting")
	visitAndCheck(t, b, base, "samordnare", []string{page + "/rapport"})

	lena := browser.NewTab(t)
	implementVisit(t, lena, base, "ledning", page+"/rapport", page+"/sammanfattning")
}
