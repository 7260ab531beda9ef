package app

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// caseBrowserFixture is a forum of each kind that decides (a test HSL and a
// test council), an open meeting of the HSL forum, and a case with an
// anchoring step, a document, a link and two decisions: one at the open
// meeting, one corrected.
type caseBrowserFixture struct {
	svc      *forum.Service
	coord    context.Context
	hsl      int64
	council  int64
	meeting  int64
	caseID   int64
	open     int64 // a decision at the open meeting, still editable
	locked   int64 // a decision without meeting, corrected by fixed
	fixed    int64
	document int64
}

func newCaseBrowserFixture(t *testing.T, ta *testApp) caseBrowserFixture {
	t.Helper()
	ctx := context.Background()
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f := caseBrowserFixture{svc: forum.NewService(ta.DB, ta.Audit, time.Now)}
	f.coord = access.With(ctx, demoPrincipals(t, ta)["samordnare"])
	now := time.Now().UTC()
	forumOf := func(kind, name string) int64 {
		g, err := db.Insert(ctx, ta.DB, `INSERT INTO org_groups (kind, name, level, created_at, updated_at) VALUES (?, ?, 'region', ?, ?) RETURNING id`, kind, name, now, now)
		check(err)
		id, err := db.Insert(ctx, ta.DB, `INSERT INTO forums (group_id, created_at, updated_at) VALUES (?, ?, ?) RETURNING id`, g, now, now)
		check(err)
		return id
	}
	f.hsl = forumOf("leadership", "Testledningen (HSL)")
	f.council = forumOf("governance_council", "Testrådet")
	today := f.svc.Today()
	start := today.AddDays(-3).Time().Add(9 * time.Hour)
	var err error
	f.meeting, err = db.Insert(ctx, ta.DB, `INSERT INTO meetings (forum_id, title, starts_at, ends_at, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'held', ?, ?) RETURNING id`,
		f.hsl, "Testmöte", start, start.Add(2*time.Hour), now, now)
	check(err)
	c, err := f.svc.CreateCase(f.coord, forum.Case{Title: "Testärende hjärtsvikt", Kind: forum.Introduction, Description: "Införande av vårdprogrammet.", RegisteredOn: today.AddDays(-60)})
	check(err)
	f.caseID = c.ID
	_, err = f.svc.AddStep(f.coord, forum.Step{CaseID: c.ID, Kind: forum.Anchoring, Date: today.AddDays(-30), ForumID: f.council, Outcome: forum.SupportsWithComments, Comment: "Rådet vill se en tidsplan."}, 0)
	check(err)
	doc, err := f.svc.AddDocument(f.coord, forum.Document{CaseID: c.ID, Title: "Beslutsunderlag"}, "underlag.txt", []byte("Beslutsunderlag\n"))
	check(err)
	f.document = doc.ID
	_, err = f.svc.AddLink(f.coord, forum.Link{CaseID: c.ID, Entity: "support", EntityID: "1", Label: "Vårdprogram hjärtsvikt"})
	check(err)
	d, err := f.svc.RecordDecision(f.coord, forum.Decision{CaseID: c.ID, ForumID: f.hsl, MeetingID: f.meeting, DecidedOn: today.AddDays(-3),
		Text: "Vårdprogrammet införs.", BasisDocumentIDs: []int64{doc.ID}, FollowUpOn: today.AddDays(-1)}, 0)
	check(err)
	f.open = d.ID
	d, err = f.svc.RecordDecision(f.coord, forum.Decision{ForumID: f.council, DecidedOn: today.AddDays(-2), Text: "Rådet tillstyrker."}, 0)
	check(err)
	f.locked = d.ID
	d, err = f.svc.CorrectDecision(f.coord, f.locked, forum.Decision{ForumID: f.council, DecidedOn: today.AddDays(-1), Text: "Rådet tillstyrker med en tidsplan."})
	check(err)
	f.fixed = d.ID
	return f
}

// TestBrowser_CasePagesWithoutViolations visits every page of cases and
// decisions as the coordinator, ledning and the auditor, registers a case
// and sends forms with mistakes by keyboard, shows a conflict, and checks
// each page with axe-core.
func TestBrowser_CasePagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	f := newCaseBrowserFixture(t, ta)
	base := ta.srv.URL
	browser := browsertest.New(t)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	casePath := "/arenden/" + id(f.caseID)
	pages := []string{"/arenden", "/arenden?q=hj%C3%A4rt&kind=introduction", "/arenden/ny", casePath, casePath + "/redigera", casePath + "/beslut/ny",
		"/beslut", "/beslut?forum=" + id(f.hsl) + "&follow_up=due", "/beslut?from=2030-01-01&to=2020-01-01", "/beslut/" + id(f.open), "/beslut/" + id(f.open) + "/redigera",
		"/beslut/" + id(f.locked), "/beslut/" + id(f.fixed), "/beslut/" + id(f.locked) + "/rattelse"}
	t.Run("samordnare", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "samordnare")
		visitAndCheck(t, b, base, "samordnare", pages)

		// A new case sent without title shows the error summary; then it is
		// registered by keyboard.
		if err := b.Navigate(base + "/arenden/ny"); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, "/arenden/ny")
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary of the case form")
		}
		checkPage(t, b, "case form with errors")
		for _, step := range []struct {
			what string
			do   func() error
		}{
			{"tab to the title", func() error { return b.TabTo("#f-title", 40) }},
			{"type the title", func() error { return b.Type("Astma i primärvården") }},
			{"tab to the kind", func() error { return b.TabTo("#f-kind", 3) }},
			{"choose a kind", func() error { return b.Type("Inf") }},
		} {
			if err := step.do(); err != nil {
				t.Fatalf("%s: %v", step.what, err)
			}
		}
		submitByKeyboard(t, b, "/arenden/ny")
		if title, _ := b.Text("main h1"); !strings.Contains(title, "Astma i primärvården") {
			t.Fatalf("after registering: h1 %q", title)
		}
		checkPage(t, b, "the new case's page")

		// The step form sent without a step, and the decision form sent empty.
		if err := b.Navigate(base + casePath); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, casePath+"/steg")
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary of the step form")
		}
		checkPage(t, b, "step form with errors")
		submitByKeyboard(t, b, casePath+"/lankar")
		checkPage(t, b, "link form with errors")
		if err := b.Navigate(base + casePath + "/beslut/ny"); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, casePath+"/beslut/ny")
		if text, _ := b.Text(".error-summary"); !strings.Contains(text, "forum") {
			t.Errorf("decision without forum: summary %q", text)
		}
		checkPage(t, b, "decision form with errors")
		if err := b.Navigate(base + "/beslut/" + id(f.open)); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, "/beslut/"+id(f.open)+"/uppfoljning")
		checkPage(t, b, "follow-up form with errors")

		// Someone else saves the case while the form is open: a conflict.
		if err := b.Navigate(base + casePath + "/redigera"); err != nil {
			t.Fatal(err)
		}
		c, err := f.svc.Case(f.coord, f.caseID)
		if err != nil {
			t.Fatal(err)
		}
		c.Description = "Ändrad av någon annan."
		if _, err := f.svc.UpdateCase(f.coord, c); err != nil {
			t.Fatal(err)
		}
		submitByKeyboard(t, b, casePath)
		if text, _ := b.Text("#f-conflict"); !strings.Contains(text, "Ändrad av någon annan.") {
			t.Errorf("conflict section %q", text)
		}
		checkPage(t, b, "case conflict")

		// A locked decision's edit page says so.
		if err := b.Navigate(base + "/beslut/" + id(f.locked) + "/redigera"); err != nil {
			t.Fatal(err)
		}
		checkPage(t, b, "locked decision")
	})

	t.Run("ledning", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "ledning")
		visitAndCheck(t, b, base, "ledning", []string{casePath, casePath + "/beslut/ny", "/beslut/" + id(f.open), "/beslut/" + id(f.locked) + "/rattelse"})
	})

	t.Run("revisor", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "revisor")
		visitAndCheck(t, b, base, "revisor", []string{"/arenden", casePath, "/beslut", "/beslut/" + id(f.fixed)})
	})
}
