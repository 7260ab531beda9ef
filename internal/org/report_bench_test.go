package org_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// The performance target of the registry: with 5 000 units, 10 000 people and
// 50 000 memberships, each report and the organisation tree take under 100 ms
// on SQLite and on PostgreSQL.
const (
	benchUnits       = 5_000
	benchPeople      = 10_000
	benchGroups      = 1_000
	benchMemberships = 50_000
)

// bulkInsert inserts rows into table in multi-row INSERTs of batch rows.
func bulkInsert(ctx context.Context, tx *db.Tx, table string, columns []string, rows [][]any) error {
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

// seedBench fills d with a large organisation in one transaction: a tree of
// 20 divisions, 480 departments and the rest care units; people mostly at a
// unit; groups at every level; and memberships of every role, some ended,
// some ending soon, some not yet started.
func seedBench(b *testing.B, d *db.DB) {
	b.Helper()
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	regions := []string{"jamtland-harjedalen", "vasterbotten", "norrbotten", "vasternorrland", "stockholm", "skane"}
	hrs := []string{"norra", "sodra", "vastra", "sydostra", "mellansverige", "stockholm-gotland"}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		const divisions, departments = 20, 480
		var units [][]any
		for i := 1; i <= benchUnits; i++ {
			var parent any
			level := org.CareUnit
			switch {
			case i <= divisions:
				level = org.Division
			case i <= divisions+departments:
				level, parent = org.Department, int64(1+i%divisions)
			default:
				parent = int64(divisions + 1 + i%departments)
			}
			units = append(units, []any{int64(i), parent, level, fmt.Sprintf("Enhet %05d", i), org.UnitKinds[i%len(org.UnitKinds)], now, now})
		}
		if err := bulkInsert(ctx, tx, "units", []string{"id", "parent_id", "level", "name", "kind", "created_at", "updated_at"}, units); err != nil {
			return err
		}
		var people [][]any
		for i := 1; i <= benchPeople; i++ {
			var unit any
			kind := ""
			if i%5 != 0 {
				unit = int64(1 + (i*37)%benchUnits)
			} else if i%10 == 0 {
				kind = string(org.PrimaryCare)
			}
			people = append(people, []any{int64(i), fmt.Sprintf("Person %05d", i), unit, kind, now, now})
		}
		if err := bulkInsert(ctx, tx, "people", []string{"id", "name", "unit_id", "workplace_kind", "created_at", "updated_at"}, people); err != nil {
			return err
		}
		var groups [][]any
		kinds := []struct {
			kind  org.GroupKind
			level org.Level
		}{{org.NAG, org.National}, {org.RPO, org.HealthcareLevel}, {org.LPO, org.RegionalLevel}, {org.OtherGroup, org.RegionalLevel}, {org.LargeGroup, org.RegionalLevel}}
		for i := 1; i <= benchGroups; i++ {
			k := kinds[i%len(kinds)]
			groups = append(groups, []any{int64(100_000 + i), k.kind, fmt.Sprintf("Grupp %04d", i), k.level, now, now})
		}
		if err := bulkInsert(ctx, tx, "org_groups", []string{"id", "kind", "name", "level", "created_at", "updated_at"}, groups); err != nil {
			return err
		}
		var ids []int64
		rows, err := tx.QueryContext(ctx, "SELECT id FROM org_groups ORDER BY id")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		today := date.New(2026, 11, 23)
		var ms [][]any
		for i := range benchMemberships {
			role := org.Member
			switch i % 20 {
			case 0:
				role = org.Chair
			case 1:
				role = org.ProcessLeader
			case 2:
				role = org.Coordinator
			case 3, 4:
				role = org.Deputy
			case 5:
				role = org.Secretary
			}
			var rr, rhr any
			switch i % 3 {
			case 0:
				rr = regions[i%len(regions)]
			case 1:
				rhr = hrs[i%len(hrs)]
			}
			start := date.New(2018, 1, 1).AddDays(i % 3000)
			var end any
			switch i % 10 {
			case 0, 1, 2:
				end = start.AddDays(365 + i%700)
			case 3:
				end = today.AddDays(i % 120) // ending soon, some within the 90 days
			}
			ms = append(ms, []any{ids[(i*13)%len(ids)], int64(1 + (i*7919)%benchPeople), role, rr, rhr, 500 + (i%4)*500, start, end, now, now})
		}
		return bulkInsert(ctx, tx, "memberships", []string{"group_id", "person_id", "role", "represents_region", "represents_healthcare_region",
			"share_bp", "start_date", "end_date", "created_at", "updated_at"}, ms)
	})
	if err != nil {
		b.Fatal(err)
	}
	// Bring the database to its steady state after a bulk load: PostgreSQL's
	// autovacuum would gather statistics; SQLite never does by itself, so it is
	// measured without them, once the load is checkpointed out of the WAL.
	settle := "ANALYZE"
	if d.Dialect() == db.SQLite {
		settle = "PRAGMA wal_checkpoint(TRUNCATE)"
	}
	if _, err := d.ExecContext(ctx, settle); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReports measures each report and the organisation tree on a large
// organisation, seeded once per engine. Target: under 100 ms each.
func BenchmarkReports(b *testing.B) {
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.Open(b, e)
			seedBench(b, d)
			s, c := newService(d), ctx()
			cases := []struct {
				name string
				run  func() (int, error)
			}{
				{"representation", func() (int, error) {
					r, err := s.Representation(c, org.ReportFilter{})
					return len(r.Groups), err
				}},
				{"participation_cost", func() (int, error) {
					r, err := s.ParticipationCost(c, 2026, org.ReportFilter{})
					return len(r.Groups), err
				}},
				{"person_dependence", func() (int, error) {
					r, err := s.PersonDependence(c, org.ReportFilter{})
					return len(r.NoDeputy) + len(r.SingleRepresentative) + len(r.Overloaded) + len(r.EndingWithoutSuccessor), err
				}},
				{"tree", func() (int, error) {
					t, err := s.Tree(c, "")
					return len(t), err
				}},
			}
			for _, tc := range cases {
				b.Run(tc.name, func(b *testing.B) {
					for b.Loop() {
						n, err := tc.run()
						if err != nil {
							b.Fatal(err)
						}
						if n == 0 {
							b.Fatal("empty result")
						}
					}
				})
			}
		})
	}
}
