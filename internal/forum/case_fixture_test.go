package forum_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// caseNow is the case tests' clock: Monday 23 November 2026.
var caseNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// caseDay is a day of 2026 for the case tests.
func caseDay(month time.Month, day int) date.Date { return date.New(2026, month, day) }

// casePassword is every case test account's password.
const casePassword = "ett långt lösenord"

// caseFixture is a migrated database with the coordinators sara and sven,
// lena of ledning, ulf (improvement lead, linked to a person) and rut
// (auditor); the forums HSL, the kunskapsstyrningsråd (KSR) and the joint
// forum; an open and an approved HSL meeting and an open KSR meeting.
type caseFixture struct {
	d       *db.DB
	svc     *forum.Service
	auth    *auth.Service
	users   map[string]access.Principal
	ulf     int64 // the person linked to ulf
	lena    int64 // the person linked to lena
	hsl     int64
	ksr     int64
	joint   int64
	hslOpen int64 // an HSL meeting whose minutes are not approved
	hslDone int64 // an HSL meeting whose minutes are approved
	ksrOpen int64
}

func newCaseFixture(t testing.TB, d *db.DB) *caseFixture {
	t.Helper()
	now := func() time.Time { return caseNow }
	log := audit.New(now)
	f := &caseFixture{d: d, svc: forum.NewService(d, log, now), auth: auth.NewService(d, log, now, auth.DefaultThrottle)}
	sys := audit.WithSystemActor(context.Background(), "test")
	f.users = createUsers(t, sys, f.auth, casePassword, testUser{"sara", access.Coordinator}, testUser{"sven", access.Coordinator},
		testUser{"lena", access.Leadership}, testUser{"ulf", access.ImprovementLead}, testUser{"rut", access.Auditor})
	insert := func(query string, args ...any) int64 {
		t.Helper()
		id, err := db.Insert(sys, d, query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return id
	}
	f.ulf = insert(`INSERT INTO people (name, title, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`, "Ulf Utvecklare", "Förbättringsledare", f.users["ulf"].UserID, caseNow, caseNow)
	f.lena = insert(`INSERT INTO people (name, user_id, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`, "Lena Ledning", f.users["lena"].UserID, caseNow, caseNow)
	forumOf := func(kind, name string) int64 {
		g := insert(`INSERT INTO org_groups (kind, name, level, created_at, updated_at) VALUES (?, ?, 'region', ?, ?) RETURNING id`, kind, name, caseNow, caseNow)
		return insert(`INSERT INTO forums (group_id, created_at, updated_at) VALUES (?, ?, ?) RETURNING id`, g, caseNow, caseNow)
	}
	f.hsl = forumOf("leadership", "Hälso- och sjukvårdsledningen")
	f.ksr = forumOf("governance_council", "Kunskapsstyrningsrådet")
	f.joint = forumOf("joint_forum", "Samverkansforum region–kommun")
	meeting := func(forumID int64, day date.Date, title string) int64 {
		start := day.Time().Add(9 * time.Hour)
		return insert(`INSERT INTO meetings (forum_id, title, starts_at, ends_at, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'held', ?, ?) RETURNING id`,
			forumID, title, start, start.Add(2*time.Hour), caseNow, caseNow)
	}
	f.hslOpen = meeting(f.hsl, caseDay(11, 10), "HSL november")
	f.hslDone = meeting(f.hsl, caseDay(10, 6), "HSL oktober")
	f.ksrOpen = meeting(f.ksr, caseDay(9, 15), "KSR september")
	if _, err := d.ExecContext(sys, `UPDATE meetings SET approved_at = ?, approved_by = 'Sara' WHERE id = ?`, caseNow.Add(-24*time.Hour), f.hslDone); err != nil {
		t.Fatal(err)
	}
	return f
}

// as is a context signed in as the test user name.
func (f *caseFixture) as(name string) context.Context {
	return access.With(context.Background(), f.users[name])
}

// newCase registers a case as sara on day, with ulf responsible.
func (f *caseFixture) newCase(t testing.TB, title string, day date.Date) forum.Case {
	t.Helper()
	c, err := f.svc.CreateCase(f.as("sara"), forum.Case{Title: title, Kind: forum.Introduction, ResponsiblePersonID: f.ulf, RegisteredOn: day})
	if err != nil {
		t.Fatalf("create case %q: %v", title, err)
	}
	return c
}

// step adds a step as sara, or fails the test.
func (f *caseFixture) step(t testing.TB, st forum.Step) forum.Step {
	t.Helper()
	saved, err := f.svc.AddStep(f.as("sara"), st, 0)
	if err != nil {
		t.Fatalf("add step %+v: %v", st, err)
	}
	return saved
}

// document uploads a text document to a case as sara.
func (f *caseFixture) document(t testing.TB, caseID int64, title string) forum.Document {
	t.Helper()
	doc, err := f.svc.AddDocument(f.as("sara"), forum.Document{CaseID: caseID, Title: title}, "underlag.txt", []byte("Beslutsunderlag: "+title+"\n"))
	if err != nil {
		t.Fatalf("upload %q: %v", title, err)
	}
	return doc
}

// sendTo records that a case was sent to municipalities, straight into the
// table, so these tests do not hang on the municipal process.
func (f *caseFixture) sendTo(t testing.TB, caseID int64, sentOn, deadline date.Date, codes ...string) {
	t.Helper()
	for _, code := range codes {
		if _, err := f.d.ExecContext(context.Background(), `INSERT INTO municipal_requests (case_id, municipality, sent_on, deadline, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, caseID, code, sentOn, deadline, caseNow, caseNow); err != nil {
			t.Fatal(err)
		}
	}
}

// caseMust(v, err)(t) fails the test on err and returns v.
func caseMust[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// wantCaseProblem fails unless err is a validation error naming field with
// key, or, for a key "forbidden", "locked" or "conflict", that kind of error.
func wantCaseProblem(t *testing.T, what string, err error, field, key string) {
	t.Helper()
	switch key {
	case "forbidden":
		if !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("%s: got %v, want forbidden", what, err)
		}
		return
	case "locked":
		if !errors.Is(err, errs.ErrLocked) {
			t.Errorf("%s: got %v, want locked", what, err)
		}
		return
	case "conflict":
		if !errors.Is(err, errs.ErrConflict) {
			t.Errorf("%s: got %v, want conflict", what, err)
		}
		return
	}
	v, ok := errs.AsValidation(err)
	if !ok {
		t.Errorf("%s: got %v, want %s at %s", what, err, key, field)
		return
	}
	for _, f := range v.Fields {
		if f.Name == field && f.Key == key {
			return
		}
	}
	t.Errorf("%s: got %v, want %s at %s", what, err, key, field)
}
