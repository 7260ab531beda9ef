package implement_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// benchSeed is a support for the benchmarks: a support decided for
// introduction with recs recommendations, the first judged of them with a
// gap analysis, and an action plan of actions actions.
type benchSeed struct {
	title                 string
	recs, judged, actions int
	first                 date.Date // the first action starts on first,
	days                  int       // the last days later
	people                []int64   // responsible for the actions in turn; none when empty
	units                 []int64   // the support's units: each gap concerns two of them
	leads                 []int64   // the support's improvement leads
	sponsor               int64
}

// store stores the support as ctx (a coordinator) and starts its
// implementation. The gaps take the sizes in turn, every seventh crowds
// out and has the questions its size asks answered; the actions take the
// statuses in turn (a done one done on its due day), every tenth is a
// milestone and each closes 1–3 of the gaps.
func (b benchSeed) store(tb testing.TB, d *db.DB, svc *implement.Service, cat *catalog.Service, ctx context.Context) implement.Implementation {
	tb.Helper()
	sp := must(cat.CreateSupport(ctx, catalog.Support{Kind: catalog.CareProgramme, Title: b.title, Status: catalog.Decided}))(tb)
	if len(b.units) > 0 {
		sp = must(cat.SetUnits(ctx, sp.ID, b.units, sp.Version))(tb)
	}
	if len(b.leads) > 0 {
		must(cat.SetLeads(ctx, sp.ID, b.leads, sp.Version))(tb)
	}
	var recs []int64
	for i := range b.recs {
		recs = append(recs, must(cat.CreateRecommendation(ctx, catalog.Recommendation{SupportID: sp.ID, Code: fmt.Sprintf("A%03d", i+1),
			Text: fmt.Sprintf("Hälso- och sjukvården bör erbjuda åtgärd %d till personer med tillståndet, med uppföljning inom tre månader.", i+1)}))(tb).ID)
	}
	st := implement.Start{SupportID: sp.ID, SponsorID: b.sponsor}
	if b.sponsor != 0 {
		st.PlannedEnd = date.New(2027, 12, 31)
	}
	m := must(svc.StartImplementation(ctx, st))(tb)
	tm := must(svc.Template(ctx, m.TemplateID))(tb)
	bg := context.Background()
	err := d.Tx(bg, func(tx *db.Tx) error {
		var gaps []int64
		for i, rec := range recs[:b.judged] {
			size, crowding := implement.GapSizes[i%len(implement.GapSizes)], i%7 == 0
			answers := map[string]string{}
			for _, q := range tm.Questions {
				if implement.Asks(q.Level, size, crowding) {
					answers[q.Key] = fmt.Sprintf("Arbetsgruppens bedömning av %s för rekommendation %d: resurser och rutiner behöver ses över tillsammans med berörda enheter.", q.Key, i+1)
				}
			}
			g, err := db.Insert(bg, tx, `INSERT INTO gap_analyses (implementation_id, recommendation_id, template_id, gap, crowding_out, answers,
				updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'bench', ?, ?) RETURNING id`,
				m.ID, rec, m.TemplateID, string(size), crowding, string(must(json.Marshal(answers))(tb)), start, start)
			if err != nil {
				return err
			}
			gaps = append(gaps, g)
			if n := len(b.units); n > 0 {
				for _, u := range []int64{b.units[i%n], b.units[(i+5)%n]} {
					if _, err := tx.ExecContext(bg, `INSERT INTO gap_units (gap_id, unit_id) VALUES (?, ?)`, g, u); err != nil {
						return err
					}
				}
			}
		}
		statuses := []implement.ActionStatus{implement.ActionPlanned, implement.ActionStarted, implement.ActionDone, implement.ActionPlanned, implement.ActionCancelled}
		for i := range b.actions {
			startOn := b.first.AddDays(i * b.days / b.actions)
			due, status, milestone := startOn.AddDays(14+i%60), statuses[i%len(statuses)], i%10 == 0
			if milestone {
				due = startOn
			}
			var done, responsible any
			if status == implement.ActionDone {
				done = due
			}
			if len(b.people) > 0 {
				responsible = b.people[i%len(b.people)]
			}
			a, err := db.Insert(bg, tx, `INSERT INTO actions (implementation_id, title, description, responsible_id, start_on, due_on, status, effort_hours,
				milestone, done_on, position, created_at, updated_at) VALUES (?, ?, 'Beskrivning', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				m.ID, fmt.Sprintf("Åtgärd %d: utbilda och följ upp på enheterna", i+1), responsible, startOn, due, string(status),
				4+i%40, milestone, done, i+1, start, start)
			if err != nil {
				return err
			}
			for k := range min(1+i%3, len(gaps)) {
				if _, err := tx.ExecContext(bg, `INSERT INTO action_gaps (action_id, gap_id) VALUES (?, ?)`, a, gaps[(i*7+k*31)%len(gaps)]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}
