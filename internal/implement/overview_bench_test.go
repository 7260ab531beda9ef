package implement_test

import (
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
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
// recommendations (ten judged), 20 actions (16 not cancelled) and the
// region's checklist (benchSeed): the
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
	for i := range 50 {
		benchSeed{title: "Stöd " + strconv.Itoa(i), recs: 12, judged: 10, actions: 20, first: date.New(2026, 8, 1), days: 100}.store(b, d, svc, cat, coord)
	}
	rows := must(svc.Overview(coord, ""))(b)
	if len(rows) != 50 || rows[0].Profile.NotJudged != 2 || rows[0].Progress.Actions != 16 {
		b.Fatalf("overview: %d rows, first %+v", len(rows), rows[0])
	}
	for b.Loop() {
		if _, err := svc.Overview(coord, ""); err != nil {
			b.Fatal(err)
		}
	}
}
