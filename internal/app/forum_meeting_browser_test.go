package app

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// meetingPages makes a forum with a mandate, members, a planned meeting with
// an agenda, attendance and a document, and an approved meeting, and returns
// the forum and meeting pages to visit as the coordinator and as the auditor.
func meetingPages(t *testing.T, ta *testApp) (coordinator, auditor []string) {
	t.Helper()
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ctx := access.With(audit.WithSystemActor(context.Background(), "test"), access.Principal{Username: "test", Name: "Test", Roles: []access.Role{access.Coordinator}})
	orgs := org.NewService(ta.DB, ta.Audit, time.Now)
	svc := forum.NewService(ta.DB, ta.Audit, time.Now)
	g, err := orgs.CreateGroup(ctx, org.Group{Kind: org.Leadership, Level: org.RegionalLevel, Name: "Testledningen"})
	check(err)
	chair, err := orgs.CreatePerson(ctx, org.Person{Name: "Tora Testordförande", Title: "Hälso- och sjukvårdsdirektör"})
	check(err)
	guest, err := orgs.CreatePerson(ctx, org.Person{Name: "Gösta Gäst"})
	check(err)
	_, err = orgs.CreateMembership(ctx, org.Membership{GroupID: g.ID, PersonID: chair.ID, Role: org.Chair, Start: date.New(2025, 1, 1)})
	check(err)
	f, err := svc.CreateForum(ctx, forum.Forum{GroupID: g.ID, Description: "Beslutar om införanden.\nMöts varannan vecka.", Active: true})
	check(err)
	mandate, err := svc.AddMandate(ctx, forum.Mandate{ForumID: f.ID, Subject: "Införande av kunskapsstöd", CaseKind: forum.Introduction, Power: forum.PowerDecide, Scope: forum.ScopeBoth})
	check(err)
	next := time.Now().AddDate(0, 1, 0).Truncate(time.Hour)
	m, err := svc.CreateMeeting(ctx, forum.Meeting{ForumID: f.ID, Title: "Ordinarie möte", StartsAt: next, EndsAt: next.Add(2 * time.Hour),
		Place: "Sal 3", Link: "https://möte.example.se/test", Status: forum.Planned, Adjusters: "Gösta Gäst"})
	check(err)
	item, err := svc.AddAgendaItem(ctx, forum.AgendaItem{MeetingID: m.ID, Title: "Vårdförlopp KOL", Description: "Förslag om införande", Presenter: "Sara", Minutes: "Tillstyrkt."})
	check(err)
	m, err = svc.SetAttendance(ctx, m.ID, m.Version, []forum.Attendance{{PersonID: chair.ID, Status: forum.Present}, {PersonID: guest.ID, Status: forum.Excused, Note: "semester"}})
	check(err)
	document, err := svc.AddDocument(ctx, forum.Document{MeetingID: m.ID, Title: "Underlag"}, "underlag.txt", []byte("Underlag\n"))
	check(err)
	last := time.Now().AddDate(0, -1, 0).Truncate(time.Hour)
	done, err := svc.CreateMeeting(ctx, forum.Meeting{ForumID: f.ID, StartsAt: last, EndsAt: last.Add(time.Hour), Status: forum.Held})
	check(err)
	_, err = svc.AddAgendaItem(ctx, forum.AgendaItem{MeetingID: done.ID, Title: "Prioriteringar", Minutes: "Beslutades."})
	check(err)
	_, err = svc.ApproveMinutes(ctx, done.ID, done.Version)
	check(err)

	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	fp, mp := "/forum/"+id(f.ID), "/moten/"+id(m.ID)
	coordinator = []string{
		"/forum", "/forum?inactive=1&q=test", "/forum/ny", fp, fp + "/redigera", fp + "/mandat/" + id(mandate.ID),
		"/moten", "/moten?forum_id=" + id(f.ID) + "&status=planned&q=kol", "/moten/ny", "/moten/ny?forum=" + id(f.ID),
		mp, mp + "/redigera", mp + "/punkter/" + id(item.ID), "/moten/" + id(done.ID),
		mp + "/ta-bort", mp + "/dokument/" + id(document.ID) + "/ta-bort",
	}
	auditor = []string{"/forum", fp, "/moten", mp, "/moten/" + id(done.ID)}
	return coordinator, auditor
}

// TestBrowser_ForumAndMeetingPagesWithoutViolations visits every forum and
// meeting page as the coordinator and the auditor and checks each with
// axe-core, then sends the new-meeting form with mistakes by keyboard.
func TestBrowser_ForumAndMeetingPagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	coordinator, auditor := meetingPages(t, ta)
	base := ta.srv.URL
	browser := browsertest.New(t)
	for who, pages := range map[string][]string{"samordnare": coordinator, "revisor": auditor} {
		t.Run(who, func(t *testing.T) {
			b := browser.NewTab(t)
			loginByKeyboard(t, b, base, who)
			visitAndCheck(t, b, base, who, pages)
		})
	}
	t.Run("delete a document after confirming, by keyboard", func(t *testing.T) {
		var confirm string
		for _, p := range coordinator {
			if strings.Contains(p, "/dokument/") {
				confirm = p
			}
		}
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "samordnare")
		if err := b.Navigate(base + confirm); err != nil {
			t.Fatal(err)
		}
		if err := b.TabTo("main form button[type=submit]", 40); err != nil {
			t.Fatal(err)
		}
		if err := b.Enter(); err != nil {
			t.Fatal(err)
		}
		if text, _ := b.Text("main"); !strings.Contains(text, "Dokumentet ”Underlag” är borttaget.") {
			t.Errorf("after the deletion the page says:\n%s", text)
		}
		checkPage(t, b, "meeting after a document deletion")
	})
	t.Run("form with mistakes", func(t *testing.T) {
		b := browser.NewTab(t)
		loginByKeyboard(t, b, base, "samordnare")
		if err := b.Navigate(base + "/moten/ny"); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			what string
			do   func() error
		}{
			{"tab to the place", func() error { return b.TabTo("#f-place", 80) }},
			{"type it", func() error { return b.Type("Sal 3") }},
			{"tab to submit (no forum, no date)", func() error { return b.TabTo("main form button[type=submit]", 40) }},
			{"press enter", b.Enter},
		}
		for _, s := range steps {
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.what, err)
			}
		}
		if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
			t.Error("focus did not move to the error summary")
		}
		checkPage(t, b, "new meeting with errors")
	})
}
