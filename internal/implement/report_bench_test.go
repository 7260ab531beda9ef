package implement_test

import (
	"context"
	"encoding/json"
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

// benchReport fills d with a support far larger than most: 150
// recommendations, each with a gap analysis (every fifth large with its
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
	sp, err := cat.CreateSupport(ctx, catalog.Support{Kind: catalog.CareProgramme, Title: "Nationella riktlinjer för stora införanden", Status: catalog.Decided})
	check(err)
	sp, err = cat.SetUnits(ctx, sp.ID, units, sp.Version)
	check(err)
	_, err = cat.SetLeads(ctx, sp.ID, people[:2], sp.Version)
	check(err)
	var recs []int64
	for i := range 150 {
		r, err := cat.CreateRecommendation(ctx, catalog.Recommendation{SupportID: sp.ID, Code: fmt.Sprintf("A%03d", i+1),
			Text: fmt.Sprintf("Hälso- och sjukvården bör erbjuda åtgärd %d till personer med tillståndet, med uppföljning inom tre månader.", i+1)})
		check(err)
		recs = append(recs, r.ID)
	}
	m, err := svc.StartImplementation(ctx, implement.Start{SupportID: sp.ID, SponsorID: people[2], PlannedEnd: date.New(2027, 12, 31)})
	check(err)
	tm, err := svc.Template(ctx, m.TemplateID)
	check(err)
	sizes := []implement.GapSize{implement.GapNone, implement.GapSmall, implement.GapModerate, implement.GapSmall, implement.GapLarge}
	check(d.Tx(bg, func(tx *db.Tx) error {
		for i, rec := range recs {
			size := sizes[i%len(sizes)]
			crowding := i%7 == 0
			answers := map[string]string{}
			for _, q := range tm.Questions {
				if implement.Asks(q.Level, size, crowding) {
					answers[q.Key] = fmt.Sprintf("Arbetsgruppens bedömning av %s för rekommendation %d: resurser och rutiner behöver ses över tillsammans med berörda enheter.", q.Key, i+1)
				}
			}
			js, err := json.Marshal(answers)
			check(err)
			g, err := db.Insert(bg, tx, `INSERT INTO gap_analyses (implementation_id, recommendation_id, template_id, gap, crowding_out, answers, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.ID, rec, m.TemplateID, string(size), crowding, string(js), now, now)
			check(err)
			for _, u := range []int64{units[i%12], units[(i+5)%12]} {
				_, err := tx.ExecContext(bg, `INSERT INTO gap_units (gap_id, unit_id) VALUES (?, ?)`, g, u)
				check(err)
			}
		}
		statuses := []implement.ActionStatus{implement.ActionDone, implement.ActionStarted, implement.ActionPlanned, implement.ActionPlanned, implement.ActionCancelled}
		for i := range 400 {
			start := date.New(2026, 9, 1).AddDays(i * 480 / 400)
			due := start.AddDays(14 + i%60)
			st := statuses[i%len(statuses)]
			var done any
			if st == implement.ActionDone {
				done = due
			}
			_, err := db.Insert(bg, tx, `INSERT INTO actions (implementation_id, title, description, responsible_id, start_on, due_on, status, effort_hours,
			milestone, done_on, position, created_at, updated_at) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				m.ID, fmt.Sprintf("Åtgärd %d: utbildning och rutin på enheterna", i+1), people[i%12], start, due, string(st), 4+i%30, i%25 == 0, done, i+1, now, now)
			check(err)
		}
		for i := range 30 {
			_, err := db.Insert(bg, tx, `INSERT INTO communications (implementation_id, target_group, message, channel, planned_on, responsible_id,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.ID, fmt.Sprintf("Målgrupp %d", i+1),
				"Information om det nya arbetssättet och var stödet finns.", string(implement.Channels[i%len(implement.Channels)]),
				date.New(2026, 10, 1).AddDays(i*10), people[i%12], now, now)
			check(err)
		}
		return nil
	}))
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
