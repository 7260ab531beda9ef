package implement_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// clock is a test clock that tests can move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

func day(s string) date.Date {
	d, err := date.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func insert(t testing.TB, d *db.DB, query string, args ...any) int64 {
	t.Helper()
	return must(db.Insert(context.Background(), d, query, args...))(t)
}

// env is a database with what an implementation refers to: a support
// decided for introduction with three recommendations, two affected units
// (each with a contact person linked to a user of role enhet), an
// improvement lead and a working-group outsider (both verksamhetsutvecklare
// users linked to people), and a second support with a recommendation.
type env struct {
	d       *db.DB
	clock   *clock
	texts   *i18n.Catalog
	svc     *implement.Service
	catalog *catalog.Service

	support, other    int64   // decided supports
	recs              []int64 // the support's recommendations
	otherRec          int64   // the other support's recommendation
	unitA, unitB      int64
	contactA, contact int64 // people: the contacts of unitA and unitB
	lead, outsider    int64 // people
	sponsor           int64 // person, no user

	// Signed-in contexts.
	coordinator, chief, auditor context.Context
	leadCtx, outsiderCtx        context.Context // verksamhetsutvecklare
	unitACtx, unitBCtx          context.Context // enhet users of the contacts
}

var start = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	e := &env{d: d, clock: &clock{t: start}, texts: must(i18n.Load())(t)}
	log := audit.New(e.clock.now)
	e.svc = implement.NewService(d, log, e.texts, e.clock.now)
	e.catalog = catalog.NewService(d, log, e.clock.now)
	unit := func(name string) int64 {
		return insert(t, d, `INSERT INTO units (level, name, kind, created_at, updated_at) VALUES ('unit', ?, 'primary_care', ?, ?) RETURNING id`, name, start, start)
	}
	e.unitA, e.unitB = unit("Hälsocentral Alfa"), unit("Hälsocentral Beta")
	person := func(name string, unitID int64, role access.Role) (int64, context.Context) {
		var userID any
		var ctx context.Context
		if role != "" {
			u := insert(t, d, `INSERT INTO users (username, display_name, email, password_hash, created_at, updated_at, password_changed_at)
				VALUES (?, ?, ?, 'x', ?, ?, ?) RETURNING id`, name, name, name+"@example.se", start, start, start)
			userID = u
			ctx = as(u, name, role)
		}
		p := insert(t, d, `INSERT INTO people (name, email, unit_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			name, name+"@example.se", db.NullID(unitID), userID, start, start)
		return p, ctx
	}
	e.contactA, e.unitACtx = person("Agnes Alfa", e.unitA, access.Unit)
	e.contact, e.unitBCtx = person("Bertil Beta", e.unitB, access.Unit)
	e.lead, e.leadCtx = person("Lena Lead", 0, access.ImprovementLead)
	e.outsider, e.outsiderCtx = person("Olle Utanför", 0, access.ImprovementLead)
	e.sponsor, _ = person("Sara Chef", 0, "")
	for role, id := range fixedUsers {
		insert(t, d, `INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at, password_changed_at)
			VALUES (?, ?, ?, 'x', ?, ?, ?) RETURNING id`, id, string(role), string(role), start, start, start)
	}
	e.coordinator = as(fixedUsers[access.Coordinator], "samordnare", access.Coordinator)
	e.chief = as(fixedUsers[access.Leadership], "ledning", access.Leadership)
	e.auditor = as(fixedUsers[access.Auditor], "revisor", access.Auditor)

	decided := func(title string) int64 {
		sp := must(e.catalog.CreateSupport(e.coordinator, catalog.Support{Kind: catalog.LocalRoutine, Title: title, Status: catalog.Decided}))(t)
		return sp.ID
	}
	e.support, e.other = decided("Vårdförlopp Testsjukdom"), decided("Annat stöd")
	sp := must(e.catalog.Support(e.coordinator, e.support))(t)
	sp = must(e.catalog.SetUnits(e.coordinator, e.support, []int64{e.unitA, e.unitB}, sp.Version))(t)
	must(e.catalog.SetLeads(e.coordinator, e.support, []int64{e.lead}, sp.Version))(t)
	for i, text := range []string{"Erbjud strukturerad uppföljning", "Använd gemensam checklista", "Remittera inom 14 dagar"} {
		r := must(e.catalog.CreateRecommendation(e.coordinator, catalog.Recommendation{SupportID: e.support, Code: "R" + string(rune('1'+i)), Text: text}))(t)
		e.recs = append(e.recs, r.ID)
	}
	e.otherRec = must(e.catalog.CreateRecommendation(e.coordinator, catalog.Recommendation{SupportID: e.other, Code: "X1", Text: "Annan"}))(t).ID
	return e
}

var fixedUsers = map[access.Role]int64{access.Coordinator: 9001, access.Leadership: 9002, access.Auditor: 9003}

// as is a context signed in as userID named name with role.
func as(userID int64, name string, role access.Role) context.Context {
	ctx := access.With(context.Background(), access.Principal{UserID: userID, Username: name, Name: name, Roles: []access.Role{role}})
	return audit.WithSystemActor(ctx, name)
}

// started starts the support's implementation with the lead's group and
// the sponsor, as the coordinator.
func (e *env) started(t *testing.T) implement.Implementation {
	t.Helper()
	return must(e.svc.StartImplementation(e.coordinator, implement.Start{SupportID: e.support, SponsorID: e.sponsor,
		PlannedEnd: day("2027-06-30")}))(t)
}
