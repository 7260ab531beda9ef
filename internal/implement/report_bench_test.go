package implement_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// benchReport fills d with a support far larger than most (benchSeed): 150
// recommendations, each with a gap analysis (every fourth large with its
// deeper analysis answered, every seventh crowding out) on 2 of 12 units,
// 400 actions over 16 months and 30 communications. It returns the
// service, a coordinator's context and the implementation's id.
func benchReport(tb testing.TB, d *db.DB) (*implement.Service, context.Context, int64) {
	tb.Helper()
	check := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	now := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	clk := func() time.Time { return now }
	texts, err := i18n.Load()
	check(err)
	log := audit.New(clk)
	svc := implement.NewService(d, log, texts, clk)
	cat := catalog.NewService(d, log, clk)
	ctx := audit.WithSystemActor(access.With(context.Background(), access.Principal{UserID: 9001, Name: "samordnare",
		Roles: []access.Role{access.Coordinator}}), "samordnare")
	bg := context.Background()
	var units, people []int64
	for i := range 12 {
		id, err := db.Insert(bg, d, `INSERT INTO units (level, name, kind, created_at, updated_at) VALUES ('unit', ?, 'primary_care', ?, ?) RETURNING id`,
			fmt.Sprintf("Hälsocentral %02d", i+1), now, now)
		check(err)
		units = append(units, id)
		p, err := db.Insert(bg, d, `INSERT INTO people (name, unit_id, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
			fmt.Sprintf("Person %02d", i+1), id, now, now)
		check(err)
		people = append(people, p)
	}
	m := benchSeed{title: "Nationella riktlinjer för stora införanden", recs: 150, judged: 150, actions: 400, first: date.New(2026, 9, 1),
		days: 480, people: people, units: units, leads: people[:2], sponsor: people[2]}.store(tb, d, svc, cat, ctx)
	for i := range 30 {
		_, err := db.Insert(bg, d, `INSERT INTO communications (implementation_id, target_group, message, channel, planned_on, responsible_id,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.ID, fmt.Sprintf("Målgrupp %d", i+1),
			"Information om det nya arbetssättet och var stödet finns.", string(implement.Channels[i%len(implement.Channels)]),
			date.New(2026, 10, 1).AddDays(i*10), people[i%12], now, now)
		check(err)
	}
	return svc, ctx, m.ID
}

// BenchmarkReport compiles the report of benchReport's support from the
// database and writes it as DOCX and as PDF, on both engines. Target: under
// 3 s each.
func BenchmarkReport(b *testing.B) {
	texts, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	tr := func(key string, args ...any) string { return texts.T(i18n.SV, key, args...) }
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			svc, ctx, id := benchReport(b, dbtest.Open(b, e))
			for _, f := range []struct {
				name  string
				write func(io.Writer, doc.Document) error
			}{{"docx", doc.WriteDOCX}, {"pdf", doc.WritePDF}} {
				b.Run(f.name, func(b *testing.B) {
					for b.Loop() {
						rep, err := svc.Report(ctx, id)
						if err != nil {
							b.Fatal(err)
						}
						if len(rep.Actions) != 400 || len(rep.Gaps) != 150 {
							b.Fatalf("%d actions and %d gaps", len(rep.Actions), len(rep.Gaps))
						}
						if err := f.write(io.Discard, implement.ReportDocument(rep, tr, i18n.SV)); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
