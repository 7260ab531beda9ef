package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// municipalFixture is a case of its own sent to Östersund, Åre and Krokom
// with the deadline passed, Åre's answer recorded by the coordinator, and the
// demo kommun user a contact of Östersund.
type municipalFixture struct {
	caseID    int64
	ostersund int64 // the request to Östersund, which the demo kommun user answers
	are       int64 // the request to Åre, not hers
}

func newMunicipalFixture(t *testing.T, ta *testApp) municipalFixture {
	t.Helper()
	ctx := context.Background()
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	demo := demoPrincipals(t, ta)
	coord := access.With(ctx, demo["samordnare"])
	svc := forum.NewService(ta.DB, ta.Audit, time.Now)
	today := svc.Today()
	c, err := svc.CreateCase(coord, forum.Case{Title: "Testärende till kommunerna", Kind: forum.MunicipalCooperation,
		Description: "Gemensam rutin för läkemedelsgenomgångar i hemsjukvården.", RegisteredOn: today.AddDays(-30)})
	check(err)
	_, err = svc.SendToMunicipalities(coord, c.ID, forum.Send{Municipalities: []string{"2380", "2321", "2309"}, SentOn: today.AddDays(-20),
		Deadline: today.AddDays(-1), Question: "Ställer kommunen sig bakom rutinen?"})
	check(err)
	codes, err := svc.MunicipalitiesOf(ctx, demo["kommun"].UserID)
	check(err)
	if !slices.Contains(codes, "2380") {
		_, err = svc.AddContact(coord, "2380", demo["kommun"].UserID)
		check(err)
	}
	rs, err := svc.CaseRequests(coord, c.ID)
	check(err)
	f := municipalFixture{caseID: c.ID}
	for _, r := range rs {
		switch r.Municipality {
		case "2380":
			f.ostersund = r.ID
		case "2321":
			f.are = r.ID
			_, err = svc.AnswerRequest(coord, c.ID, r.Municipality, forum.Reply{Answer: forum.AcceptsWithComments, Comment: "Vi behöver utbildning först.", Version: r.Version})
			check(err)
		}
	}
	return f
}

// municipalWidest names the elements outside boxes that scroll that reach
// past 320 px.
const municipalWidest = `[...document.querySelectorAll('body *')]
	.filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.table-scroll'))
	.slice(0, 8).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 40))`

// TestBrowser_MunicipalPagesWithoutViolations visits every page of the
// region–municipality process as the coordinator and as the demo kommun user,
// sends forms with mistakes and an answer by keyboard, and checks each page
// with axe-core.
func TestBrowser_MunicipalPagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	f := newMunicipalFixture(t, ta)
	base := ta.srv.URL
	browser := browsertest.New(t)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	board := "/arenden/" + id(f.caseID) + "/kommuner"

	t.Run("samordnare", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "samordnare")
		visitAndCheck(t, b, base, "samordnare", []string{board, "/kommuner/arenden", "/kommuner/arenden?kommun=2380", "/kommuner/arenden?overdue=1&answer=pending",
			"/kommuner/kontakter", "/kommunsvar", "/kommunsvar/" + id(f.are)})

		// The sending form, sent without a deadline, shows its error summary.
		if err := b.Navigate(base + board); err != nil {
			t.Fatal(err)
		}
		if text, _ := b.Text(".overdue-notice"); !strings.Contains(text, "2 kommuner") {
			t.Errorf("overdue notice on the board: %q", text)
		}
		submitByKeyboard(t, b, board)
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary of the sending form")
		}
		checkPage(t, b, "sending form with errors")

		// The contacts form, sent empty.
		if err := b.Navigate(base + "/kommuner/kontakter"); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, "/kommuner/kontakter")
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary of the contacts form")
		}
		checkPage(t, b, "contacts form with errors")
	})

	t.Run("reflow at 320 px", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "samordnare")
		ctx, cancel := context.WithTimeout(b.Ctx(), 30*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{board, "/kommuner/arenden", "/kommuner/arenden?kommun=2380", "/kommuner/kontakter", "/kommunsvar", "/kommunsvar/" + id(f.ostersund)} {
			if err := b.Navigate(base + p); err != nil {
				t.Fatal(err)
			}
			width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if width > 320 {
				wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](municipalWidest))
				t.Errorf("%s is %d px wide at 320 px; too wide: %q", p, width, wide)
			}
		}
	})

	t.Run("kommun", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "kommun")
		answer := "/kommunsvar/" + id(f.ostersund)
		visitAndCheck(t, b, base, "kommun", []string{"/kommunsvar", answer, "/kommunsvar/" + id(f.are)})
		if err := b.Navigate(base + "/kommunsvar"); err != nil {
			t.Fatal(err)
		}
		if links, _ := b.Links(`main a[href="` + answer + `"]`); len(links) != 1 {
			t.Errorf("the list does not lead to Östersund's request: %v", links)
		}
		if links, _ := b.Links(`main a[href^="/arenden"]`); len(links) != 0 {
			t.Errorf("a kommun user is led to pages she may not read: %v", links)
		}

		// Sent without a choice: the error summary takes the focus.
		if err := b.Navigate(base + answer); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, answer)
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary of the answer form")
		}
		checkPage(t, b, "answer form with errors")

		// Choose "accepts" with the space bar, write a comment, send.
		steps := []struct {
			what string
			do   func() error
		}{
			{"tab to the first answer", func() error { return b.TabTo("#f-answer", 150) }},
			{"choose it", func() error { return b.Type(" ") }},
			{"tab to the comment", func() error { return b.TabTo("#f-comment", 10) }},
			{"type a comment", func() error { return b.Type("Kommunen ställer sig bakom.") }},
			{"tab to send", func() error {
				return b.TabTo(`main form[action$="`+answer+`"] button[type=submit]`, 10)
			}},
			{"send", b.Enter},
		}
		for _, s := range steps {
			if err := s.do(); err != nil {
				t.Fatalf("answer by keyboard: %s: %v", s.what, err)
			}
		}
		if text, _ := b.Text(".flash"); !strings.Contains(text, "Östersund") {
			t.Errorf("after answering: flash %q", text)
		}
		checkPage(t, b, "answer page after answering")
		if text, _ := b.Text("#history-title"); text == "" {
			t.Error("no answer history after answering")
		}
	})
}
