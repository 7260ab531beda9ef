package audit_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// benchRows is the size of the log the benchmarks read: a few years of a
// region's changes.
const benchRows = 100_000

// benchEntities are the entity names in the benchmark's log.
var benchEntities = []string{"agenda_item", "case", "case_step", "decision", "forum", "group", "healthcare_region", "meeting",
	"membership", "municipality", "person", "region", "settings", "support", "token", "unit", "user", "user_role"}

// fillLog writes n audit rows spread over benchEntities, 500 to a statement.
func fillLog(tb testing.TB, d *db.DB, n int) {
	tb.Helper()
	ctx := context.Background()
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	err := d.Tx(ctx, func(tx *db.Tx) error {
		for start := 0; start < n; start += 500 {
			var rows []string
			var args []any
			for i := start; i < min(start+500, n); i++ {
				rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?)")
				args = append(args, at.Add(time.Duration(i)*time.Minute), 7, "anna", benchEntities[i%len(benchEntities)], fmt.Sprint(i/len(benchEntities)),
					"update", `{"name":"före"}`, `{"name":"efter"}`, "req")
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_name, entity, entity_id, action, before, after, request_id)
				VALUES `+strings.Join(rows, ", "), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkEntities reads the entity names of a 100,000-row log, as the audit
// page's filter form does on every view, and, for comparison, with the
// DISTINCT over the whole log that it replaced.
func BenchmarkEntities(b *testing.B) {
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.Open(b, e)
			fillLog(b, d, benchRows)
			log := audit.New(time.Now)
			ctx := context.Background()
			b.Run("index_skip", func(b *testing.B) {
				for b.Loop() {
					names, err := log.Entities(ctx, d)
					if err != nil || len(names) != len(benchEntities) {
						b.Fatalf("%v %v", names, err)
					}
				}
			})
			b.Run("distinct_baseline", func(b *testing.B) {
				for b.Loop() {
					names, err := db.All(ctx, d, func(s db.Scanner) (string, error) {
						var n string
						return n, s.Scan(&n)
					}, `SELECT DISTINCT entity FROM audit_log ORDER BY entity`)
					if err != nil || len(names) != len(benchEntities) {
						b.Fatalf("%v %v", names, err)
					}
				}
			})
		})
	}
}

// TestEntities_EveryNameOnceInOrder checks the index-skipping query against
// a log with many rows per name, on both engines.
func TestEntities_EveryNameOnceInOrder(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		log := audit.New(time.Now)
		if names, err := log.Entities(context.Background(), d); err != nil || len(names) != 0 {
			t.Fatalf("empty log: %v %v", names, err)
		}
		fillLog(t, d, 2_000)
		names, err := log.Entities(context.Background(), d)
		want := slices.Sorted(slices.Values(benchEntities))
		if err != nil || !slices.Equal(names, want) {
			t.Fatalf("Entities = %v, %v; want %v", names, err, want)
		}
	})
}
