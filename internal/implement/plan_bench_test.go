package implement_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
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

// planCPU is the CPU time the process has used, user and system.
func planCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWorkspacePages serves the pages of a workspace whose support
// has 150 recommendations (each with a gap analysis) and an action plan of
// 400 actions over two years (each closing 1–3 gaps, with 12 responsible
// people; some milestones, some done and some overdue on the clock's day),
// from SQLite and PostgreSQL through the app's handler, signed in as the
// coordinator: each reads what it shows, draws its charts and renders. The
// target is under 100 ms a page.
func BenchmarkWorkspacePages(b *testing.B) {
	pages := []struct{ name, path, want string }{
		{"summary", "", "Vårdprogram med många rekommendationer"},
		{"gaps", "/gap", "A150"},
		{"gap", "/gap/{rec}", "A001"},
		{"actions", "/handlingsplan", "Åtgärd 400"},
		{"communication", "/kommunikation", "<h1"},
		{"checklist", "/checklista", "<h1"},
		{"history", "/historik", "<h1"},
		{"surveys", "/enkater", "<h1"},
		{"report", "/rapport", "Åtgärd 400"},
	}
	for _, engine := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			d := dbtest.Open(b, engine)
			texts, err := i18n.Load()
			if err != nil {
				b.Fatal(err)
			}
			now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
			clock := func() time.Time { return now }
			svc := implement.NewService(d, audit.New(clock), texts, clock)
			p := access.Principal{UserID: 9001, Username: "samordnare", Name: "Samordnare", Roles: []access.Role{access.Coordinator}}
			ctx := audit.WithSystemActor(access.With(context.Background(), p), "bench")
			var people []int64
			for i := range 12 {
				people = append(people, insert(b, d, `INSERT INTO people (name, email, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
					fmt.Sprintf("Person %02d", i), fmt.Sprintf("p%d@example.se", i), now, now))
			}
			m := benchSeed{title: "Vårdprogram med många rekommendationer", recs: 150, judged: 150, actions: 400,
				first: date.Of(now, i18n.Stockholm()).AddDays(-180), days: 600, people: people}.store(b, d, svc, catalog.NewService(d, audit.New(clock), clock), ctx)
			insert(b, d, `INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at, password_changed_at)
				VALUES (?, 'samordnare', 'Samordnare', 'x', ?, ?, ?) RETURNING id`, p.UserID, now, now, now)
			ws, err := svc.Workspace(ctx, m.ID)
			if err != nil {
				b.Fatal(err)
			}
			site := newSiteOn(b, d, clock)
			cookies := site.cookies(b, "coordinator")
			for _, pg := range pages {
				path := implPath(m.ID, strings.ReplaceAll(pg.path, "{rec}", itoa(ws.Recommendations[0].ID)))
				b.Run(pg.name, func(b *testing.B) {
					b.ReportAllocs()
					cpu0 := planCPU()
					for b.Loop() {
						req := httptest.NewRequest(http.MethodGet, path, nil)
						for _, c := range cookies {
							req.AddCookie(c)
						}
						rec := httptest.NewRecorder()
						site.handler.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), pg.want) {
							b.Fatalf("%s: %d, %d bytes", path, rec.Code, rec.Body.Len())
						}
					}
					// The process's CPU time per page, which a loaded machine does not
					// inflate as it does the wall time (PostgreSQL's own work is not in it).
					b.ReportMetric(float64(planCPU()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
				})
			}
		})
	}
}
