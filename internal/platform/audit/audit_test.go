package audit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/requestid"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type thing struct {
	Name string `json:"name"`
}

func TestLog_RecordInTransactionAndFilter(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		now := time.Date(2026, 1, 10, 8, 0, 0, 0, time.UTC)
		log := audit.New(func() time.Time { return now })
		anna := access.With(context.Background(), access.Principal{UserID: 7, Username: "anna"})
		anna = requestid.With(anna, "req1")
		cli := audit.WithSystemActor(context.Background(), "cli")

		record := func(ctx context.Context, c audit.Change) {
			t.Helper()
			if err := d.Tx(ctx, func(tx *db.Tx) error { return log.Record(ctx, tx, c) }); err != nil {
				t.Fatal(err)
			}
		}
		record(anna, audit.Change{Entity: "support", EntityID: 1, Action: audit.Create, After: thing{"Stroke"}})
		now = now.Add(24 * time.Hour)
		record(anna, audit.Change{Entity: "support", EntityID: 1, Action: audit.Update, Before: thing{"Stroke"}, After: thing{"Stroke, vårdförlopp"}})
		now = now.Add(24 * time.Hour)
		record(cli, audit.Change{Entity: "user", EntityID: 3, Action: audit.Delete, Before: thing{"Bo"}})

		// A change whose transaction fails leaves no audit record.
		boom := errors.New("boom")
		err := d.Tx(anna, func(tx *db.Tx) error {
			if err := log.Record(anna, tx, audit.Change{Entity: "support", EntityID: 2, Action: audit.Create}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}

		ctx := context.Background()
		all, next, err := log.List(ctx, d, audit.Filter{}, audit.Page{})
		if err != nil || next != 0 || len(all) != 3 {
			t.Fatalf("List all = %d entries, next %d, %v", len(all), next, err)
		}
		if all[0].ActorName != "cli" || all[0].ActorID != 0 || all[2].ActorID != 7 || all[2].RequestID != "req1" {
			t.Errorf("actors: %+v", all)
		}
		if string(all[1].Before) != `{"name":"Stroke"}` || string(all[1].After) != `{"name":"Stroke, vårdförlopp"}` {
			t.Errorf("before/after = %s / %s", all[1].Before, all[1].After)
		}
		tests := []struct {
			name string
			f    audit.Filter
			want int
		}{
			{"by person", audit.Filter{Actor: "anna"}, 2},
			{"by entity", audit.Filter{Entity: "user"}, 1},
			{"by entity id", audit.Filter{Entity: "support", EntityID: "1"}, 2},
			{"by action", audit.Filter{Action: audit.Update}, 1},
			{"from date", audit.Filter{From: time.Date(2026, 1, 11, 0, 0, 0, 0, time.UTC)}, 2},
			{"date range", audit.Filter{From: time.Date(2026, 1, 11, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)}, 1},
		}
		for _, tt := range tests {
			got, _, err := log.List(ctx, d, tt.f, audit.Page{})
			if err != nil || len(got) != tt.want {
				t.Errorf("%s: %d entries, %v; want %d", tt.name, len(got), err, tt.want)
			}
		}
		page1, next, err := log.List(ctx, d, audit.Filter{}, audit.Page{Limit: 2})
		if err != nil || len(page1) != 2 || next == 0 {
			t.Fatalf("page 1: %d, next %d, %v", len(page1), next, err)
		}
		page2, next2, err := log.List(ctx, d, audit.Filter{}, audit.Page{After: next, Limit: 2})
		if err != nil || len(page2) != 1 || next2 != 0 || page2[0].ID >= page1[1].ID {
			t.Fatalf("page 2: %+v, next %d, %v", page2, next2, err)
		}
		var n int
		if err := log.Each(ctx, d, audit.Filter{}, func(audit.Entry) error { n++; return nil }); err != nil || n != 3 {
			t.Fatalf("Each visited %d, %v", n, err)
		}
		ents, err := log.Entities(ctx, d)
		if err != nil || len(ents) != 2 {
			t.Fatalf("Entities = %v, %v", ents, err)
		}
	})
}
