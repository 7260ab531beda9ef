package forum_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// mtgNow is the meeting tests' clock: Monday 23 November 2026, 11:00 in Sweden.
var mtgNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// mtgPassword is every meeting test account's password.
const mtgPassword = "ett långt lösenord för möten"

// mtgFixture is a migrated database with the coordinator sara, sigrid (an
// improvement lead who is the secretary of HSL), olle (the secretary of the
// kunskapsstyrningsråd only), ulla (an improvement lead in no forum), lena
// (ledning, member of HSL) and rut (auditor); the forums HSL and the
// kunskapsstyrningsråd.
type mtgFixture struct {
	d       *db.DB
	svc     *forum.Service
	org     *org.Service
	users   map[string]access.Principal
	people  map[string]int64
	hsl     forum.Forum
	council forum.Forum
}

func newMtgFixture(t testing.TB, d *db.DB) *mtgFixture {
	t.Helper()
	now := func() time.Time { return mtgNow }
	log := audit.New(now)
	f := &mtgFixture{d: d, svc: forum.NewService(d, log, now), org: org.NewService(d, log, now), people: map[string]int64{}}
	authSvc := auth.NewService(d, log, now, auth.DefaultThrottle)
	sys := audit.WithSystemActor(context.Background(), "test")
	f.users = createUsers(t, sys, authSvc, mtgPassword, testUser{"sara", access.Coordinator}, testUser{"sigrid", access.ImprovementLead},
		testUser{"olle", access.ImprovementLead}, testUser{"ulla", access.ImprovementLead}, testUser{"lena", access.Leadership},
		testUser{"rut", access.Auditor}, testUser{"karin", access.Municipality}, testUser{"kim", access.Municipality})
	hslGroup := mtgMust(f.org.CreateGroup(sys, org.Group{Kind: org.Leadership, Level: org.RegionalLevel, Name: "HSL"}))(t)
	councilGroup := mtgMust(f.org.CreateGroup(sys, org.Group{Kind: org.GovernanceCouncil, Level: org.RegionalLevel, Name: "Kunskapsstyrningsrådet"}))(t)
	start := date.New(2025, time.January, 1)
	for _, p := range []struct {
		name, user string
		group      int64
		role       org.Role
	}{
		{"Hanna Hälsodirektör", "", hslGroup.ID, org.Chair},
		{"Sigrid Sekreterare", "sigrid", hslGroup.ID, org.Secretary},
		{"Lena Ledning", "lena", hslGroup.ID, org.Member},
		{"Olle Ombud", "olle", councilGroup.ID, org.Secretary},
		{"Gästa Gäst", "", 0, ""},
	} {
		person := org.Person{Name: p.name}
		if p.user != "" {
			person.UserID = f.users[p.user].UserID
		}
		created := mtgMust(f.org.CreatePerson(sys, person))(t)
		f.people[p.name] = created.ID
		if p.group != 0 {
			mtgMust(f.org.CreateMembership(sys, org.Membership{GroupID: p.group, PersonID: created.ID, Role: p.role, Start: start}))(t)
		}
	}
	sara := f.as("sara")
	f.hsl = mtgMust(f.svc.CreateForum(sara, forum.Forum{GroupID: hslGroup.ID, Description: "Hälso- och sjukvårdsledningen", Active: true}))(t)
	f.council = mtgMust(f.svc.CreateForum(sara, forum.Forum{GroupID: councilGroup.ID, Active: true}))(t)
	return f
}

// as is a context signed in as the named test user.
func (f *mtgFixture) as(name string) context.Context {
	return access.With(context.Background(), f.users[name])
}

// mtgMust(v, err)(t) fails the test on err and returns v.
func mtgMust[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// mtgWantField fails unless err is a validation problem at field.
func mtgWantField(t *testing.T, err error, field string) {
	t.Helper()
	v, ok := errs.AsValidation(err)
	if !ok || !v.Has(field) {
		t.Fatalf("got %v, want a problem with %s", err, field)
	}
}

// mtgMeeting is a meeting of forum f on 10 December 2026, 13–15 Swedish time.
func mtgMeeting(forumID int64) forum.Meeting {
	return forum.Meeting{ForumID: forumID, StartsAt: time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 12, 10, 14, 0, 0, 0, time.UTC),
		Place: "Regionens hus, sal 3", Status: forum.Planned}
}

func TestForums_CoordinatorKeepsForumsAndMandates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMtgFixture(t, d)
		sara := f.as("sara")

		// Only the coordinator edits forums; a group is one forum at most.
		if _, err := f.svc.CreateForum(f.as("sigrid"), forum.Forum{GroupID: f.hsl.GroupID}); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("forum by an improvement lead: %v", err)
		}
		_, err := f.svc.CreateForum(sara, forum.Forum{GroupID: f.hsl.GroupID, Active: true})
		mtgWantField(t, err, "group_id")
		_, err = f.svc.CreateForum(sara, forum.Forum{GroupID: 999999, Active: true})
		mtgWantField(t, err, "group_id")
		if f.hsl.Name != "HSL" || !f.hsl.IsLeadership() {
			t.Errorf("forum = %+v, want HSL of kind leadership", f.hsl)
		}

		// Members and roles come from the registry.
		members := mtgMust(f.svc.ForumMembers(sara, f.hsl.ID, date.Date{}))(t)
		var roles []string
		for _, m := range members {
			roles = append(roles, m.Name+":"+m.Role)
		}
		if got, want := strings.Join(roles, ","), "Hanna Hälsodirektör:chair,Sigrid Sekreterare:secretary,Lena Ledning:member"; got != want {
			t.Errorf("members = %s, want %s", got, want)
		}

		// The mandate register: validation, conflicts, delete.
		_, err = f.svc.AddMandate(sara, forum.Mandate{ForumID: f.hsl.ID, Subject: "", Power: "vote", Scope: forum.ScopeRegion})
		mtgWantField(t, err, "subject")
		mtgWantField(t, err, "power")
		if _, err := f.svc.AddMandate(f.as("lena"), forum.Mandate{ForumID: f.hsl.ID, Subject: "Införande", Power: forum.PowerDecide, Scope: forum.ScopeRegion}); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("mandate by ledning: %v", err)
		}
		m := mtgMust(f.svc.AddMandate(sara, forum.Mandate{ForumID: f.hsl.ID, Subject: "Införande av kunskapsstöd", CaseKind: forum.Introduction, Power: forum.PowerDecide, Scope: forum.ScopeBoth}))(t)
		mtgMust(f.svc.AddMandate(sara, forum.Mandate{ForumID: f.hsl.ID, Subject: "Remissvar", Power: forum.PowerAdvise, Scope: forum.ScopeRegion}))(t)
		first, second := m, m
		first.Notes = "Gäller även utfasning"
		second.Scope = forum.ScopeRegion
		mtgMust(f.svc.UpdateMandate(sara, first))(t)
		if _, err := f.svc.UpdateMandate(sara, second); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale mandate edit: %v", err)
		}
		ms := mtgMust(f.svc.Mandates(sara, f.hsl.ID))(t)
		if len(ms) != 2 || ms[0].Power != forum.PowerDecide || ms[0].Notes != "Gäller även utfasning" {
			t.Fatalf("mandates = %+v", ms)
		}
		if err := f.svc.DeleteMandate(sara, m.ID, m.Version); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale delete: %v", err)
		}
		if err := f.svc.DeleteMandate(sara, m.ID, ms[0].Version); err != nil {
			t.Fatal(err)
		}

		// A forum can be made inactive, and is then listed only when asked for.
		hsl := f.hsl
		hsl.Active = false
		mtgMust(f.svc.UpdateForum(sara, hsl))(t)
		if _, err := f.svc.UpdateForum(sara, hsl); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale forum edit: %v", err)
		}
		if got := mtgMust(f.svc.Forums(sara, forum.ForumFilter{}))(t); len(got) != 1 || got[0].ID != f.council.ID {
			t.Errorf("active forums = %+v", got)
		}
		if got := mtgMust(f.svc.Forums(sara, forum.ForumFilter{IncludeInactive: true, Query: "hsl"}))(t); len(got) != 1 {
			t.Errorf("search with inactive = %+v", got)
		}
	})
}

func TestMeetings_SecretaryEditsOwnForumOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMtgFixture(t, d)
		tests := []struct {
			user  string
			forum int64
			ok    bool
		}{
			{"sara", f.hsl.ID, true},
			{"sigrid", f.hsl.ID, true},
			{"olle", f.council.ID, true},
			{"olle", f.hsl.ID, false},
			{"sigrid", f.council.ID, false},
			{"ulla", f.hsl.ID, false},
			{"lena", f.hsl.ID, false},
			{"rut", f.hsl.ID, false},
		}
		for _, tt := range tests {
			m, err := f.svc.CreateMeeting(f.as(tt.user), mtgMeeting(tt.forum))
			if tt.ok != (err == nil) || (!tt.ok && !errors.Is(err, errs.ErrForbidden)) {
				t.Errorf("%s plans a meeting of forum %d: %v, want ok=%v", tt.user, tt.forum, err, tt.ok)
			}
			can := mtgMust(f.svc.CanEditMeetings(f.as(tt.user), tt.forum))(t)
			if can != tt.ok {
				t.Errorf("CanEditMeetings(%s, %d) = %v", tt.user, tt.forum, can)
			}
			if err != nil {
				continue
			}
			// Another user edits it only when they edit the forum's meetings too.
			other := "ulla"
			m.Title = "Ändrat av " + other
			if _, err := f.svc.UpdateMeeting(f.as(other), m); !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("%s edits a meeting of forum %d: %v", other, tt.forum, err)
			}
			if _, err := f.svc.AddAgendaItem(f.as(other), forum.AgendaItem{MeetingID: m.ID, Title: "X"}); !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("%s adds an item: %v", other, err)
			}
		}
	})
}

func TestMeetings_BadInputRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMtgFixture(t, d)
		sara := f.as("sara")
		tests := []struct {
			name  string
			edit  func(*forum.Meeting)
			field string
		}{
			{"end before start", func(m *forum.Meeting) { m.EndsAt = m.StartsAt.Add(-time.Minute) }, "ends_at"},
			{"plain http link", func(m *forum.Meeting) { m.Link = "http://möte.example.se/abc" }, "link"},
			{"link without host", func(m *forum.Meeting) { m.Link = "https:///abc" }, "link"},
			{"no start", func(m *forum.Meeting) { m.StartsAt = time.Time{} }, "starts_at"},
			{"unknown status", func(m *forum.Meeting) { m.Status = "postponed" }, "status"},
			{"no forum", func(m *forum.Meeting) { m.ForumID = 0 }, "forum_id"},
			{"unknown forum", func(m *forum.Meeting) { m.ForumID = 999999 }, "forum_id"},
		}
		for _, tt := range tests {
			m := mtgMeeting(f.hsl.ID)
			tt.edit(&m)
			_, err := f.svc.CreateMeeting(sara, m)
			if v, ok := errs.AsValidation(err); !ok || !v.Has(tt.field) {
				t.Errorf("%s: got %v, want a problem with %s", tt.name, err, tt.field)
			}
		}
		if got := mtgMust(f.svc.Meetings(sara, forum.MeetingFilter{}))(t); len(got) != 0 {
			t.Fatalf("bad input saved meetings: %+v", got)
		}
		m := mtgMust(f.svc.CreateMeeting(sara, mtgMeeting(f.hsl.ID)))(t)
		_, err := f.svc.AddAgendaItem(sara, forum.AgendaItem{MeetingID: m.ID, Title: " "})
		mtgWantField(t, err, "title")
		_, err = f.svc.AddAgendaItem(sara, forum.AgendaItem{MeetingID: m.ID, Title: "Ärende", CaseID: 999999})
		mtgWantField(t, err, "case_id")
		_, err = f.svc.SetAttendance(sara, m.ID, m.Version, []forum.Attendance{{PersonID: f.people["Lena Ledning"], Status: "maybe"}})
		if v, ok := errs.AsValidation(err); !ok || len(v.Fields) != 1 || !strings.HasPrefix(v.Fields[0].Name, "status_") {
			t.Errorf("unknown presence: %v", err)
		}
		_, err = f.svc.SetAttendance(sara, m.ID, m.Version, []forum.Attendance{{PersonID: 999999, Status: forum.Present}})
		mtgWantField(t, err, "person_id")
	})
}

func TestMeetings_ApprovedMinutesLockEverything(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMtgFixture(t, d)
		sigrid := f.as("sigrid")
		m := mtgMust(f.svc.CreateMeeting(sigrid, mtgMeeting(f.hsl.ID)))(t)
		item := mtgMust(f.svc.AddAgendaItem(sigrid, forum.AgendaItem{MeetingID: m.ID, Title: "Mötets öppnande"}))(t)
		second := mtgMust(f.svc.AddAgendaItem(sigrid, forum.AgendaItem{MeetingID: m.ID, Title: "Prioriteringar 2027", Presenter: "Sara"}))(t)
		if item.Position != 1 || second.Position != 2 {
			t.Fatalf("positions %d, %d; want 1, 2", item.Position, second.Position)
		}
		m = mtgMust(f.svc.SetAttendance(sigrid, m.ID, m.Version, []forum.Attendance{
			{PersonID: f.people["Hanna Hälsodirektör"], Status: forum.Present},
			{PersonID: f.people["Lena Ledning"], Status: forum.Excused, Note: "Sjuk"},
			{PersonID: f.people["Gästa Gäst"], Status: forum.Present, Note: "Föredragande"},
		}))(t)
		sheet := mtgMust(f.svc.AttendanceSheet(sigrid, m.ID))(t)
		if len(sheet) != 4 || sheet[1].Name != "Sigrid Sekreterare" || sheet[1].Status != "" || sheet[3].Name != "Gästa Gäst" || sheet[3].Role != "" {
			t.Fatalf("sheet = %+v", sheet)
		}
		doc := mtgMust(f.svc.AddDocument(sigrid, forum.Document{MeetingID: m.ID}, "underlag.txt", []byte("Underlag till mötet\n")))(t)
		if doc.Title != "underlag.txt" || len(doc.SHA256) != 64 || doc.Size != 21 {
			t.Fatalf("document = %+v", doc)
		}
		if _, err := f.svc.AddDocument(sigrid, forum.Document{MeetingID: m.ID}, "virus.exe", []byte("MZ")); err == nil {
			t.Fatal("an executable was accepted")
		}

		// Only a held meeting's minutes can be approved.
		_, err := f.svc.ApproveMinutes(sigrid, m.ID, m.Version)
		mtgWantField(t, err, "status")
		m.Status = forum.Held
		held := mtgMust(f.svc.UpdateMeeting(sigrid, m))(t)
		if _, err := f.svc.ApproveMinutes(sigrid, m.ID, m.Version); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("approve with a stale version: %v", err)
		}
		if _, err := f.svc.ApproveMinutes(f.as("ulla"), m.ID, held.Version); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("approve by a non-secretary: %v", err)
		}
		approved := mtgMust(f.svc.ApproveMinutes(sigrid, m.ID, held.Version))(t)
		if !approved.Locked() || approved.ApprovedBy != "Sigrid" || !approved.ApprovedAt.Equal(mtgNow) {
			t.Fatalf("approved = %+v", approved)
		}

		// From now on every change is refused as locked, even the coordinator's.
		for _, who := range []string{"sigrid", "sara"} {
			c := f.as(who)
			item.Minutes = "Ändrad efter justering"
			changes := map[string]error{
				"meeting":   second2(f.svc.UpdateMeeting(c, approved)),
				"minutes":   second2(f.svc.UpdateAgendaItem(c, item)),
				"new item":  second2(f.svc.AddAgendaItem(c, forum.AgendaItem{MeetingID: m.ID, Title: "Övrigt"})),
				"delete":    f.svc.DeleteAgendaItem(c, second.ID, second.Version),
				"attend":    second2(f.svc.SetAttendance(c, m.ID, approved.Version, nil)),
				"document":  second2(f.svc.AddDocument(c, forum.Document{MeetingID: m.ID}, "sent.txt", []byte("för sent"))),
				"undoc":     f.svc.DeleteDocument(c, doc.ID),
				"reapprove": second2(f.svc.ApproveMinutes(c, m.ID, approved.Version)),
			}
			for what, err := range changes {
				if !errors.Is(err, errs.ErrLocked) {
					t.Errorf("%s changes %s after approval: %v, want locked", who, what, err)
				}
			}
		}
		items := mtgMust(f.svc.AgendaItems(sigrid, m.ID))(t)
		if len(items) != 2 || items[0].Minutes != "" {
			t.Errorf("agenda changed after approval: %+v", items)
		}
	})
}

// second2 keeps the error of a (value, error) pair.
func second2[T any](_ T, err error) error { return err }

func TestMeetings_ConcurrentEditsConflict(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMtgFixture(t, d)
		sara, sigrid := f.as("sara"), f.as("sigrid")
		m := mtgMust(f.svc.CreateMeeting(sara, mtgMeeting(f.hsl.ID)))(t)
		a, b := m, m
		a.Title, b.Place = "Budgetmöte", "Distans"
		mtgMust(f.svc.UpdateMeeting(sara, a))(t)
		if _, err := f.svc.UpdateMeeting(sigrid, b); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("second meeting edit: %v", err)
		}
		if _, err := f.svc.SetAttendance(sigrid, m.ID, m.Version, nil); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("attendance with a stale meeting version: %v", err)
		}
		it := mtgMust(f.svc.AddAgendaItem(sara, forum.AgendaItem{MeetingID: m.ID, Title: "Punkt"}))(t)
		x, y := it, it
		x.Minutes, y.Minutes = "Sara skrev", "Sigrid skrev"
		mtgMust(f.svc.UpdateAgendaItem(sara, x))(t)
		if _, err := f.svc.UpdateAgendaItem(sigrid, y); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("second minutes edit: %v", err)
		}
		if err := f.svc.DeleteAgendaItem(sigrid, it.ID, it.Version); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale delete: %v", err)
		}
	})
}

func TestMeetings_ListFiltersAndSearch(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMtgFixture(t, d)
		sara := f.as("sara")
		at := func(forumID int64, y int, mo time.Month, day int, status forum.MeetingStatus, title string) forum.Meeting {
			m := forum.Meeting{ForumID: forumID, Title: title, StartsAt: time.Date(y, mo, day, 8, 0, 0, 0, time.UTC), EndsAt: time.Date(y, mo, day, 10, 0, 0, 0, time.UTC), Status: status}
			return mtgMust(f.svc.CreateMeeting(sara, m))(t)
		}
		at(f.hsl.ID, 2025, time.December, 31, forum.Held, "Årets sista")
		newYear := at(f.hsl.ID, 2026, time.January, 15, forum.Held, "")
		at(f.council.ID, 2026, time.March, 3, forum.Cancelled, "Inställt råd")
		mtgMust(f.svc.AddAgendaItem(sara, forum.AgendaItem{MeetingID: newYear.ID, Title: "Vårdförlopp stroke", Minutes: "Beslut om införande"}))(t)

		tests := []struct {
			name   string
			filter forum.MeetingFilter
			want   int
		}{
			{"all", forum.MeetingFilter{}, 3},
			{"forum", forum.MeetingFilter{ForumID: f.hsl.ID}, 2},
			{"year in Swedish time", forum.MeetingFilter{Year: 2026}, 2},
			{"status", forum.MeetingFilter{Status: forum.Cancelled}, 1},
			{"title", forum.MeetingFilter{Query: "SISTA"}, 1},
			{"forum name", forum.MeetingFilter{Query: "kunskapsstyrning"}, 1},
			{"agenda item", forum.MeetingFilter{Query: "stroke"}, 1},
			{"minutes", forum.MeetingFilter{Query: "införande"}, 1},
			{"wildcards are text", forum.MeetingFilter{Query: "%"}, 0},
			{"combined", forum.MeetingFilter{ForumID: f.hsl.ID, Year: 2025, Status: forum.Held}, 1},
		}
		for _, tt := range tests {
			if got := mtgMust(f.svc.Meetings(sara, tt.filter))(t); len(got) != tt.want {
				t.Errorf("%s: %d meetings, want %d", tt.name, len(got), tt.want)
			}
		}
		years := mtgMust(f.svc.MeetingYears(sara))(t)
		if len(years) != 2 || years[0] != 2026 || years[1] != 2025 {
			t.Errorf("years = %v", years)
		}
	})
}

func TestDocuments_KommunReadsOnlyCasesSentToTheirMunicipality(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMtgFixture(t, d)
		sara := f.as("sara")
		ctx := context.Background()
		caseID, err := db.Insert(ctx, d, `INSERT INTO cases (number, title, kind, status, registered_on, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, "2026/0001", "Vårdförlopp KOL", "municipal_cooperation", "anchoring", date.New(2026, 10, 1), mtgNow, mtgNow)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.ExecContext(ctx, `INSERT INTO municipal_requests (case_id, municipality, sent_on, deadline, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			caseID, "2380", date.New(2026, 10, 2), date.New(2026, 11, 30), mtgNow, mtgNow); err != nil {
			t.Fatal(err)
		}
		for user, code := range map[string]string{"karin": "2380", "kim": "2321"} {
			if _, err := d.ExecContext(ctx, `INSERT INTO municipality_contacts (municipality, user_id, created_at) VALUES (?, ?, ?)`, code, f.users[user].UserID, mtgNow); err != nil {
				t.Fatal(err)
			}
		}
		caseDoc := mtgMust(f.svc.AddDocument(sara, forum.Document{CaseID: caseID, Title: "Beslutsunderlag"}, "underlag.txt", []byte("Underlag")))(t)
		m := mtgMust(f.svc.CreateMeeting(sara, mtgMeeting(f.hsl.ID)))(t)
		meetingDoc := mtgMust(f.svc.AddDocument(sara, forum.Document{MeetingID: m.ID}, "protokoll.txt", []byte("Protokoll")))(t)
		if _, err := f.svc.AddDocument(f.as("ulla"), forum.Document{CaseID: caseID}, "x.txt", []byte("x")); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("case document by an improvement lead: %v", err)
		}

		tests := []struct {
			user string
			doc  int64
			ok   bool
		}{
			{"karin", caseDoc.ID, true},
			{"kim", caseDoc.ID, false},
			{"karin", meetingDoc.ID, false},
			{"rut", caseDoc.ID, true},
			{"rut", meetingDoc.ID, true},
			{"ulla", meetingDoc.ID, true},
		}
		for _, tt := range tests {
			got, _, content, err := f.svc.OpenDocument(f.as(tt.user), tt.doc)
			switch {
			case tt.ok && (err != nil || got.ID != tt.doc || len(content) == 0):
				t.Errorf("%s opens document %d: %v", tt.user, tt.doc, err)
			case !tt.ok && !errors.Is(err, errs.ErrNotFound):
				t.Errorf("%s opens document %d: %v, want not found", tt.user, tt.doc, err)
			}
		}
		if ds := mtgMust(f.svc.Documents(f.as("kim"), forum.DocumentFilter{CaseID: caseID}))(t); len(ds) != 0 {
			t.Errorf("kim lists %d documents of a case not sent to them", len(ds))
		}
	})
}
