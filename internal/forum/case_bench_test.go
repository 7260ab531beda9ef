package forum_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// The performance targets of cases and decisions: a case trail page with 50
// steps and the decision list over 10 000 decisions each render in under
// 50 ms on SQLite and on PostgreSQL.
const (
	benchCaseSteps = 50
	benchDecisions = 10_000
	benchCases     = 2_000
)

// cpuTime is the CPU time the test process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loopWithCPU runs op b.N times and reports, besides the wall time, the
// process's CPU time per op in ms: on a busy machine the wall time includes
// waiting for a CPU, the CPU time does not (SQLite runs in the process;
// PostgreSQL's own work is not counted).
func loopWithCPU(b *testing.B, op func()) {
	start := cpuTime()
	n := 0
	for b.Loop() {
		op()
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(n)/1e6, "cpu-ms/op")
	}
}

// caseBulkInsert inserts rows into table in multi-row INSERTs.
func caseBulkInsert(ctx context.Context, tx *db.Tx, table string, columns []string, rows [][]any) error {
	const batch = 500
	marks := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	for start := 0; start < len(rows); start += batch {
		part := rows[start:min(start+batch, len(rows))]
		values := make([]string, len(part))
		args := make([]any, 0, len(part)*len(columns))
		for i, r := range part {
			values[i] = marks
			args = append(args, r...)
		}
		q := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " + strings.Join(values, ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("insert %s rows %d…: %w", table, start, err)
		}
	}
	return nil
}

// seedTrailBench gives a case of the fixture a trail of 50 steps (anchoring
// in the three forums in turn, with comments, then follow-up), ten
// decisions, five documents, five links and the sending to the eight
// municipalities with their answers.
func seedTrailBench(b *testing.B, f *caseFixture) int64 {
	b.Helper()
	c := f.newCase(b, "Hjärtsvikt – nationellt vårdprogram", date.New(2025, 1, 2))
	forums := []int64{f.ksr, f.joint, f.hsl}
	day := date.New(2025, 1, 3)
	for i := 1; i < benchCaseSteps-5; i++ {
		day = day.AddDays(7)
		st := forum.Step{CaseID: c.ID, Kind: forum.Anchoring, Date: day, ForumID: forums[i%3], Outcome: forum.SupportsWithComments,
			Comment: fmt.Sprintf("Synpunkt %d: rutinen behöver anpassas för kommunernas hemsjukvård.", i)}
		if st.ForumID == f.ksr {
			st.MeetingID = f.ksrOpen
		}
		f.step(b, st)
	}
	day = day.AddDays(7)
	f.step(b, forum.Step{CaseID: c.ID, Kind: forum.FollowUp, Date: day})
	ctx := context.Background()
	err := f.d.Tx(ctx, func(tx *db.Tx) error {
		var steps, decisions, links [][]any
		now := caseNow
		for i := len(caseMust(f.svc.Steps(f.as("rut"), c.ID))(b)); i < benchCaseSteps; i++ {
			steps = append(steps, []any{c.ID, forum.FollowUp, day, "", "Uppföljning av följsamheten.", "Sara", now, now})
		}
		for i := range 10 {
			decisions = append(decisions, []any{c.ID, forums[i%3], date.New(2025, 6, 1+i), fmt.Sprintf("Beslut %d om vårdprogrammet.", i), date.New(2025, 12, 1+i), "Sara", now, now})
		}
		if err := caseBulkInsert(ctx, tx, "case_steps", []string{"case_id", "kind", "step_date", "outcome", "comment", "created_by", "created_at", "updated_at"}, steps); err != nil {
			return err
		}
		if err := caseBulkInsert(ctx, tx, "decisions", []string{"case_id", "forum_id", "decided_on", "text", "follow_up_on", "created_by", "created_at", "updated_at"}, decisions); err != nil {
			return err
		}
		for i := range 5 {
			links = append(links, []any{c.ID, "support", fmt.Sprint(i), fmt.Sprintf("Kunskapsstöd %d", i), now})
		}
		if err := caseBulkInsert(ctx, tx, "case_links", []string{"case_id", "entity", "entity_id", "label", "created_at"}, links); err != nil {
			return err
		}
		var requests [][]any
		for _, code := range []string{"2380", "2321", "2309", "2305", "2303", "2313", "2326", "2361"} {
			requests = append(requests, []any{c.ID, code, date.New(2025, 3, 1), date.New(2025, 4, 1), "accepts", date.New(2025, 3, 20), "Karin", now, now})
		}
		return caseBulkInsert(ctx, tx, "municipal_requests", []string{"case_id", "municipality", "sent_on", "deadline", "answer", "answered_on", "answered_by", "created_at", "updated_at"}, requests)
	})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 5 {
		f.document(b, c.ID, fmt.Sprintf("Underlag %d", i))
	}
	return c.ID
}

// seedDecisionBench adds 2 000 cases holding 10 000 decisions in the three
// forums over two years, a third of them followed up, one in fifty corrected.
func seedDecisionBench(b *testing.B, f *caseFixture) {
	b.Helper()
	ctx := context.Background()
	now := caseNow
	err := f.d.Tx(ctx, func(tx *db.Tx) error {
		var cases [][]any
		for i := 1; i <= benchCases; i++ {
			cases = append(cases, []any{int64(100_000 + i), fmt.Sprintf("2025/%05d", i), fmt.Sprintf("Ärende %d om ett kunskapsstöd", i), forum.Introduction, f.ulf, forum.Decided, date.New(2025, 1, 1), now, now})
		}
		if err := caseBulkInsert(ctx, tx, "cases", []string{"id", "number", "title", "kind", "responsible_person_id", "status", "registered_on", "created_at", "updated_at"}, cases); err != nil {
			return err
		}
		forums := []int64{f.hsl, f.ksr, f.joint}
		var decisions, followUps [][]any
		start := date.New(2025, 1, 1)
		for i := 1; i <= benchDecisions; i++ {
			id := int64(200_000 + i)
			decided := start.AddDays(i % 700)
			var corrects any
			if i%50 == 0 {
				corrects = id - 1
			}
			decisions = append(decisions, []any{id, int64(100_000 + 1 + i%benchCases), forums[i%3], decided,
				fmt.Sprintf("Beslut %d: kunskapsstödet införs i regionen enligt plan.", i), decided.AddDays(180), corrects, "Sara", now, now})
			if i%3 == 0 {
				followUps = append(followUps, []any{id, decided.AddDays(200), "Uppföljt.", "Sara", now})
			}
		}
		if err := caseBulkInsert(ctx, tx, "decisions", []string{"id", "case_id", "forum_id", "decided_on", "text", "follow_up_on", "corrects_id", "created_by", "created_at", "updated_at"}, decisions); err != nil {
			return err
		}
		return caseBulkInsert(ctx, tx, "decision_followups", []string{"decision_id", "done_on", "note", "created_by", "created_at"}, followUps)
	})
	if err != nil {
		b.Fatal(err)
	}
	if f.d.Dialect() == db.Postgres {
		if _, err := f.d.ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCaseTrailPage measures the case page with its trail of 50 steps,
// rendered over HTTP. Target: under 50 ms.
func BenchmarkCaseTrailPage(b *testing.B) {
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			s := newCaseSite(b, dbtest.Open(b, e))
			id := seedTrailBench(b, s.caseFixture)
			c := s.login(b, "sara")
			path := "/arenden/" + caseID(id)
			loopWithCPU(b, func() {
				if res, body := s.get(b, c, path); res.StatusCode != http.StatusOK || strings.Count(body, "<tr>") < benchCaseSteps {
					b.Fatalf("status %d, %d rows", res.StatusCode, strings.Count(body, "<tr>"))
				}
			})
		})
	}
}

// BenchmarkDecisionListPage measures the decision list over 10 000
// decisions, whole and filtered by forum, period and follow-up status,
// rendered over HTTP, and its CSV export of every decision. Target for the
// pages: under 50 ms.
func BenchmarkDecisionListPage(b *testing.B) {
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			s := newCaseSite(b, dbtest.Open(b, e))
			seedDecisionBench(b, s.caseFixture)
			c := s.login(b, "sara")
			for _, path := range []string{"/beslut", "/beslut?sida=50", "/beslut?forum=" + caseID(s.hsl) + "&from=2025-06-01&to=2025-12-31&follow_up=due", "/beslut?q=beslut+9999", "/beslut.csv"} {
				b.Run(path, func(b *testing.B) {
					loopWithCPU(b, func() {
						if res, body := s.get(b, c, path); res.StatusCode != http.StatusOK {
							b.Fatalf("status %d\n%s", res.StatusCode, body)
						}
					})
				})
			}
		})
	}
}
