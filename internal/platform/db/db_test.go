package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/schema"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestRebind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, pg string
	}{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE id = ? AND v = ?", "SELECT a FROM t WHERE id = $1 AND v = $2"},
		{"SELECT '?' , ? FROM t", "SELECT '?' , $1 FROM t"},
		{`SELECT "we?ird" FROM t WHERE x = ?`, `SELECT "we?ird" FROM t WHERE x = $1`},
		{"SELECT 'it''s ?' WHERE a = ?", "SELECT 'it''s ?' WHERE a = $1"},
		{"SELECT 1 -- why?\nWHERE a = ?", "SELECT 1 -- why?\nWHERE a = $1"},
		{"SELECT /* ? */ ?", "SELECT /* ? */ $1"},
		{"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
	}
	for _, tt := range tests {
		if got := db.Rebind(db.Postgres, tt.in); got != tt.pg {
			t.Errorf("Rebind(%q) = %q, want %q", tt.in, got, tt.pg)
		}
		if got := db.Rebind(db.SQLite, tt.in); got != tt.in {
			t.Errorf("SQLite Rebind changed %q to %q", tt.in, got)
		}
	}
}

func FuzzRebind(f *testing.F) {
	for _, s := range []string{"SELECT ?", "'?'", `"?"`, "-- ?\n?", "/* ? */?", "'", "/*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		out := db.Rebind(db.Postgres, q)
		if strings.Count(out, "?") > strings.Count(q, "?") {
			t.Fatalf("rebind added question marks: %q → %q", q, out)
		}
		if !strings.ContainsRune(q, '?') && out != q {
			t.Fatalf("rebind changed a query without placeholders: %q → %q", q, out)
		}
	})
}

func TestOpen_RejectsUnknownURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "mysql://x", "sqlite:", "sqlite::memory:", "postgres://user:secret@[bad"} {
		_, err := db.Open(context.Background(), u)
		if err == nil {
			t.Errorf("Open(%q) succeeded", u)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) error leaks the password: %v", u, err)
		}
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	got := db.Redact("postgres://kn:hemligt@db.example:5432/kn")
	if strings.Contains(got, "hemligt") {
		t.Fatalf("Redact kept the password: %s", got)
	}
}

// The tests below run on both engines with a fresh database each.

func TestStore_ErrorMapping(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		insert := `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`
		id, err := db.Insert(ctx, d, insert, "anna", "Anna", "x", now, now, now)
		if err != nil {
			t.Fatalf("insert: %v", err)
		}
		_, err = db.Insert(ctx, d, insert, "anna", "Anna 2", "x", now, now, now)
		if !errors.Is(err, errs.ErrDuplicate) {
			t.Errorf("second insert: got %v, want ErrDuplicate", err)
		}
		_, err = d.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, id+1000, "admin")
		if !errors.Is(err, errs.ErrReferenced) {
			t.Errorf("dangling reference: got %v, want ErrReferenced", err)
		}
		scanName := func(s db.Scanner) (string, error) {
			var n string
			err := s.Scan(&n)
			return n, err
		}
		if _, err := db.One(ctx, d, scanName, `SELECT username FROM users WHERE id = ?`, id+1000); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("missing row: got %v, want ErrNotFound", err)
		}
		names, err := db.All(ctx, d, scanName, `SELECT username FROM users ORDER BY id`)
		if err != nil || len(names) != 1 || names[0] != "anna" {
			t.Errorf("All = %v, %v", names, err)
		}
	})
}

func TestStore_UpdateVersionedDetectsConflict(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		id, err := db.Insert(ctx, d, `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at)
			VALUES ('bo', 'Bo', 'x', ?, ?, ?) RETURNING id`, now, now, now)
		if err != nil {
			t.Fatal(err)
		}
		update := `UPDATE users SET display_name = ?, version = version + 1 WHERE id = ? AND version = ?`
		if err := db.UpdateVersioned(ctx, d, "users", id, update, "Bo B", id, 1); err != nil {
			t.Fatalf("first update: %v", err)
		}
		// A second editor who read version 1 must not overwrite the first.
		if err := db.UpdateVersioned(ctx, d, "users", id, update, "Bo C", id, 1); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale update: got %v, want ErrConflict", err)
		}
		if err := db.UpdateVersioned(ctx, d, "users", id+99, update, "X", id+99, 1); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("missing row: got %v, want ErrNotFound", err)
		}
		var name string
		if err := d.QueryRowContext(ctx, `SELECT display_name FROM users WHERE id = ?`, id).Scan(&name); err != nil || name != "Bo B" {
			t.Fatalf("name = %q, %v; want Bo B", name, err)
		}
	})
}

func TestStore_TxRollsBackOnError(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)`, "k", "v"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Tx = %v, want boom", err)
		}
		var n int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM meta`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("rows after rollback = %d, %v", n, err)
		}
	})
}

func TestStore_TimesRoundTripInUTC(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		at := time.Date(2026, 3, 29, 1, 30, 15, 123456000, time.UTC)
		_, err := d.ExecContext(ctx, `INSERT INTO audit_log (at, actor_name, entity, entity_id, action) VALUES (?, 'x', 'e', '1', 'create')`, at)
		if err != nil {
			t.Fatal(err)
		}
		var got time.Time
		if err := d.QueryRowContext(ctx, `SELECT at FROM audit_log WHERE at >= ? AND at < ?`, at.Add(-time.Second), at.Add(time.Second)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if !got.Equal(at) {
			t.Fatalf("time = %v, want %v", got, at)
		}
	})
}

func TestMigrate_StatusAndIdempotence(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			d, _ := dbtest.OpenEmpty(t, e)
			fsys := schema.For(e)
			current, err := d.MigrationsCurrent(ctx, fsys)
			if err != nil || current {
				t.Fatalf("empty database current = %v, %v", current, err)
			}
			applied, err := d.Migrate(ctx, fsys)
			if err != nil || len(applied) == 0 {
				t.Fatalf("migrate: %v, %v", applied, err)
			}
			again, err := d.Migrate(ctx, fsys)
			if err != nil || len(again) != 0 {
				t.Fatalf("second migrate applied %v, %v", again, err)
			}
			st, err := d.MigrationStatus(ctx, fsys)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range st {
				if !m.Applied {
					t.Errorf("migration %d not applied", m.Version)
				}
			}
			if current, err := d.MigrationsCurrent(ctx, fsys); err != nil || !current {
				t.Fatalf("after migrate current = %v, %v", current, err)
			}
		})
	}
}

func TestStore_DeleteVersioned(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		id, err := db.Insert(ctx, d, `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at)
			VALUES ('cid', 'Cid', 'x', ?, ?, ?) RETURNING id`, now, now, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteVersioned(ctx, d, "users", id, 7); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale delete: %v, want ErrConflict", err)
		}
		if err := db.DeleteVersioned(ctx, d, "users", id, 1); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if err := db.DeleteVersioned(ctx, d, "users", id, 1); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("second delete: %v, want ErrNotFound", err)
		}
	})
}

func TestDuplicateColumns_NamesTheTakenValue(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		insert := `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`
		id, err := db.Insert(ctx, d, insert, "anna", "Anna", "x", now, now, now)
		if err != nil {
			t.Fatalf("insert: %v", err)
		}
		_, err = db.Insert(ctx, d, insert, "anna", "Anna 2", "x", now, now, now)
		if table, cols, ok := db.DuplicateColumns(err); !ok || table != "users" || strings.Join(cols, ",") != "username" {
			t.Errorf("duplicate username: %q %q %v from %v", table, cols, ok, err)
		}
		_, err = d.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?), (?, ?)`, id, "admin", id, "admin")
		if table, cols, ok := db.DuplicateColumns(err); !ok || table != "user_roles" || strings.Join(cols, ",") != "user_id,role" {
			t.Errorf("duplicate role: %q %q %v from %v", table, cols, ok, err)
		}
		_, err = d.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, id+1000, "admin")
		if _, _, ok := db.DuplicateColumns(err); ok {
			t.Errorf("a dangling reference is no duplicate: %v", err)
		}
		if _, _, ok := db.DuplicateColumns(errs.ErrDuplicate); ok {
			t.Error("an error without the driver's names none")
		}
	})
}
