package implement_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
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

const (
	benchRecommendations = 150
	benchActions         = 400
)

// planBenchSeed stores a support being introduced with 150 recommendations,
// each with a gap analysis, and an action plan of 400 actions over two
// years, each closing 1–3 gaps, with 12 responsible people; some actions are
// milestones, some done and some overdue on the clock's day.
func planBenchSeed(b *testing.B, d *db.DB, svc *implement.Service, ctx context.Context, now time.Time) int64 {
	b.Helper()
	bg := context.Background()
	exec := func(q string, args ...any) int64 {
		id, err := db.Insert(bg, d, q+" RETURNING id", args...)
		if err != nil {
			b.Fatal(err)
		}
		return id
	}
	var people []int64
	for i := range 12 {
		people = append(people, exec(`INSERT INTO people (name, email, created_at, updated_at) VALUES (?, ?, ?, ?)`,
			fmt.Sprintf("Person %02d", i), fmt.Sprintf("p%d@example.se", i), now, now))
	}
	sp, err := catalog.NewService(d, audit.New(func() time.Time { return now }), func() time.Time { return now }).
		CreateSupport(ctx, catalog.Support{Kind: catalog.LocalRoutine, Title: "Vårdprogram med många rekommendationer", Status: catalog.Decided})
	if err != nil {
		b.Fatal(err)
	}
	var recs []int64
	for i := range benchRecommendations {
		recs = append(recs, exec(`INSERT INTO recommendations (support_id, code, text, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			sp.ID, fmt.Sprintf("R%d", i+1), fmt.Sprintf("Rekommendation nummer %d om strukturerad uppföljning", i+1), i+1, now, now))
	}
	m, err := svc.StartImplementation(ctx, implement.Start{SupportID: sp.ID})
	if err != nil {
		b.Fatal(err)
	}
	sizes := []string{"none", "small", "moderate", "large"}
	var gaps []int64
	for i, r := range recs {
		gaps = append(gaps, exec(`INSERT INTO gap_analyses (implementation_id, recommendation_id, template_id, gap, crowding_out, answers,
			updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '{}', 'bench', ?, ?)`, m.ID, r, m.TemplateID, sizes[i%4], i%9 == 0, now, now))
	}
	first := date.Of(now, i18n.Stockholm()).AddDays(-180)
	statuses := []string{"planned", "started", "done", "planned", "cancelled"}
	for i := range benchActions {
		startOn := first.AddDays(i * 2 % 600)
		due := startOn.AddDays(14 + i%60)
		status := statuses[i%5]
		milestone := i%10 == 0
		if milestone {
			due = startOn
		}
		var done any
		if status == "done" {
			done = due
		}
		a := exec(`INSERT INTO actions (implementation_id, title, description, responsible_id, start_on, due_on, status, effort_hours,
			milestone, done_on, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, fmt.Sprintf("Åtgärd %d: utbilda och följ upp", i+1), "Beskrivning", people[i%len(people)], startOn, due, status,
			4+i%40, milestone, done, i+1, now, now)
		for k := range 1 + i%3 {
			if _, err := d.ExecContext(bg, `INSERT INTO action_gaps (action_id, gap_id) VALUES (?, ?)`, a, gaps[(i*7+k*31)%len(gaps)]); err != nil {
				b.Fatal(err)
			}
		}
	}
	return m.ID
}

// planCPU is the CPU time the process has used, user and system.
func planCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkActionPlanPage serves the action plan of 400 actions (each
// closing 1–3 of 150 gaps) from SQLite and PostgreSQL through the handler:
// it reads the workspace, filters, draws the timeline and renders.
func BenchmarkActionPlanPage(b *testing.B) {
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
			p := access.Principal{UserID: 1, Username: "samordnare", Name: "Samordnare", Roles: []access.Role{access.Coordinator}}
			ctx := audit.WithSystemActor(access.With(context.Background(), p), "bench")
			id := planBenchSeed(b, d, svc, ctx, now)
			site := newPlanServer(b, d, texts, svc, map[string]access.Principal{"coordinator": p})
			path := "/inforande/" + strconv.FormatInt(id, 10) + "/handlingsplan"
			b.ReportAllocs()
			cpu0 := planCPU()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("X-Plan-As", "coordinator")
				rec := httptest.NewRecorder()
				site.handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || rec.Body.Len() < 100_000 || !strings.Contains(rec.Body.String(), "Åtgärd 400") {
					b.Fatalf("page: %d, %d bytes", rec.Code, rec.Body.Len())
				}
			}
			// The process's CPU time per page, which a loaded machine does not
			// inflate as it does the wall time (PostgreSQL's own work is not in it).
			b.ReportMetric(float64(planCPU()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
