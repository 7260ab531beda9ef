package implement_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// BenchmarkOverview reads the overview of 50 implementations, each with 12
// recommendations (ten judged), 20 actions and the region's checklist: the
// region's load, which the overview must serve fast, with a fixed number of
// queries whatever the number of implementations.
func BenchmarkOverview(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	clk := &clock{t: start}
	texts, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	log := audit.New(clk.now)
	svc := implement.NewService(d, log, texts, clk.now)
	cat := catalog.NewService(d, log, clk.now)
	coord := as(9001, "samordnare", access.Coordinator)
	ctx := context.Background()
	check := func(err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	sizes := []implement.GapSize{implement.GapNone, implement.GapSmall, implement.GapModerate, implement.GapLarge}
	for i := range 50 {
		sp, err := cat.CreateSupport(coord, catalog.Support{Kind: catalog.LocalRoutine, Title: "Stöd " + strconv.Itoa(i), Status: catalog.Decided})
		check(err)
		var recs []int64
		for j := range 12 {
			r, err := cat.CreateRecommendation(coord, catalog.Recommendation{SupportID: sp.ID, Text: "Rekommendation " + strconv.Itoa(j)})
			check(err)
			recs = append(recs, r.ID)
		}
		m, err := svc.StartImplementation(coord, implement.Start{SupportID: sp.ID})
		check(err)
		for j := range 20 {
			status := []implement.ActionStatus{implement.ActionPlanned, implement.ActionStarted, implement.ActionDone}[j%3]
			var done any
			if status == implement.ActionDone {
				done = "2026-08-20"
			}
			_, err := db.Insert(ctx, d, `INSERT INTO actions (implementation_id, title, start_on, due_on, status, effort_hours, done_on, position, created_at, updated_at)
				VALUES (?, 'Åtgärd', '2026-08-01', ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.ID, []string{"2026-08-20", "2026-12-31"}[j%2], string(status), j, done, j, start, start)
			check(err)
		}
		for j, r := range recs[:10] {
			_, err := db.Insert(ctx, d, `INSERT INTO gap_analyses (implementation_id, recommendation_id, template_id, gap, crowding_out, answers, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, '{}', ?, ?) RETURNING id`, m.ID, r, m.TemplateID, string(sizes[j%4]), j == 3, start, start)
			check(err)
		}
	}
	rows, err := svc.Overview(coord, "")
	check(err)
	if len(rows) != 50 || rows[0].Profile.NotJudged != 2 || rows[0].Progress.Actions != 20 {
		b.Fatalf("overview: %d rows, first %+v", len(rows), rows[0])
	}
	for b.Loop() {
		if _, err := svc.Overview(coord, ""); err != nil {
			b.Fatal(err)
		}
	}
}
