package dbtest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

func TestMain(m *testing.M) { Main(m) }

// countingSeed creates a table with one row and counts its runs per engine.
func countingSeed(runs map[db.Dialect]*atomic.Int32) SeedFunc {
	return func(ctx context.Context, d *db.DB) error {
		runs[d.Dialect()].Add(1)
		if _, err := d.ExecContext(ctx, `CREATE TABLE seeded (name TEXT NOT NULL)`); err != nil {
			return err
		}
		_, err := d.ExecContext(ctx, `INSERT INTO seeded (name) VALUES ('seed')`)
		return err
	}
}

func newRuns() map[db.Dialect]*atomic.Int32 {
	runs := map[db.Dialect]*atomic.Int32{}
	for _, e := range Engines {
		runs[e] = new(atomic.Int32)
	}
	return runs
}

func seededNames(t *testing.T, d *db.DB) []string {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), `SELECT name FROM seeded ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

func TestOpenSeeded_SeedsOncePerEngineForParallelTests(t *testing.T) {
	t.Parallel()
	runs := newRuns()
	seed := countingSeed(runs)
	t.Run("group", func(t *testing.T) {
		for i := range 6 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				EachSeeded(t, "once", seed, func(t *testing.T, d *db.DB) {
					if got := seededNames(t, d); len(got) != 1 || got[0] != "seed" {
						t.Errorf("seeded rows = %v, want [seed]", got)
					}
				})
			})
		}
	})
	if got := runs[db.SQLite].Load(); got != 1 {
		t.Errorf("sqlite: seed ran %d times, want once", got)
	}
	if got := runs[db.Postgres].Load(); got > 1 {
		t.Errorf("postgres: seed ran %d times, want once", got)
	}
}

func TestOpenSeeded_CopiesAreIndependent(t *testing.T) {
	t.Parallel()
	runs := newRuns()
	seed := countingSeed(runs)
	eachEngine(t, func(t *testing.T, e db.Dialect) {
		ctx := context.Background()
		a := OpenSeeded(t, e, "independent", seed)
		b, url := OpenSeededURL(t, e, "independent", seed)
		if _, err := a.ExecContext(ctx, `INSERT INTO seeded (name) VALUES ('a')`); err != nil {
			t.Fatal(err)
		}
		if _, err := b.ExecContext(ctx, `DELETE FROM seeded`); err != nil {
			t.Fatal(err)
		}
		if got := seededNames(t, a); fmt.Sprint(got) != "[a seed]" {
			t.Errorf("first copy = %v, want [a seed]", got)
		}
		// A second connection to the URL sees the same database.
		b2, err := db.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer b2.Close()
		if got := seededNames(t, b2); len(got) != 0 {
			t.Errorf("second copy = %v, want it empty", got)
		}
		if got := seededNames(t, OpenSeeded(t, e, "independent", seed)); fmt.Sprint(got) != "[seed]" {
			t.Errorf("third copy = %v, want [seed]: the template changed", got)
		}
		if got := runs[e].Load(); got != 1 {
			t.Errorf("seed ran %d times, want once", got)
		}
	})
}

func TestSeed_ReplacesAnOpenDatabase(t *testing.T) {
	t.Parallel()
	runs := newRuns()
	seed := countingSeed(runs)
	Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// Connections opened and released before Seed are closed by it.
		if err := d.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		Seed(t, d, "in-place", seed)
		if got := seededNames(t, d); fmt.Sprint(got) != "[seed]" {
			t.Fatalf("after Seed = %v, want [seed]", got)
		}
		if _, err := d.ExecContext(ctx, `INSERT INTO seeded (name) VALUES ('changed')`); err != nil {
			t.Fatal(err)
		}
		other := Open(t, d.Dialect())
		Seed(t, other, "in-place", seed)
		if got := seededNames(t, other); fmt.Sprint(got) != "[seed]" {
			t.Errorf("another seeded database = %v, want [seed]", got)
		}
		// A copy of the same seed is left as it is.
		copied := OpenSeeded(t, d.Dialect(), "in-place", seed)
		if _, err := copied.ExecContext(ctx, `INSERT INTO seeded (name) VALUES ('kept')`); err != nil {
			t.Fatal(err)
		}
		Seed(t, copied, "in-place", seed)
		if got := seededNames(t, copied); fmt.Sprint(got) != "[kept seed]" {
			t.Errorf("Seed on a copy of the same seed = %v, want [kept seed]", got)
		}
		if got := runs[d.Dialect()].Load(); got != 1 {
			t.Errorf("seed ran %d times, want once", got)
		}
	})
}

// TestSeed_RefusesADatabaseInUse covers a seed that changes the schema, which
// Seed can only give d by replacing the whole database.
func TestSeed_RefusesADatabaseInUse(t *testing.T) {
	t.Parallel()
	Each(t, func(t *testing.T, d *db.DB) {
		conn, err := d.SQL().Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		msg := fatalMessage(t, func(tb testing.TB) {
			Seed(tb, d, "in-use", countingSeed(newRuns()))
		})
		if msg == "" {
			t.Fatal("Seed replaced a database with a connection in use")
		}
	})
}

func TestOpenSeeded_FailedSeedFailsEveryCaller(t *testing.T) {
	t.Parallel()
	var runs atomic.Int32
	boom := errors.New("boom")
	seed := func(context.Context, *db.DB) error { runs.Add(1); return boom }
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			Open(t, e) // skips when PostgreSQL is missing
			for i := range 3 {
				msg := fatalMessage(t, func(tb testing.TB) { OpenSeeded(tb, e, "failing", seed) })
				if msg == "" || !strings.Contains(msg, "boom") {
					t.Errorf("call %d: fatal message %q, want the seed's error", i, msg)
				}
			}
		})
	}
	t.Cleanup(func() {
		if got := runs.Load(); got > int32(len(Engines)) {
			t.Errorf("failing seed ran %d times, want once per engine", got)
		}
	})
}

// eachEngine runs fn once per engine as parallel subtests.
func eachEngine(t *testing.T, fn func(t *testing.T, e db.Dialect)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			Open(t, e) // skips when PostgreSQL is missing
			fn(t, e)
		})
	}
}

// fatalTB records the first Fatalf and stops the goroutine, like testing.T does.
type fatalTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

// fatalMessage runs fn on its own goroutine and returns what it passed to
// Fatalf, or "" if it returned normally.
func fatalMessage(t *testing.T, fn func(tb testing.TB)) string {
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.msg
}

const insertUser = `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at) VALUES (?, 'Namn', 'x', ?, '2026-01-01 00:00:00', '2026-01-01 00:00:00')`

// TestSeed_DataOnlySeedKeepsKeysAndReferences covers seeds that only write rows,
// which Seed loads into PostgreSQL without copying the database.
func TestSeed_DataOnlySeedKeepsKeysAndReferences(t *testing.T) {
	t.Parallel()
	seed := func(ctx context.Context, d *db.DB) error {
		for _, name := range []string{"anna", "bo"} {
			if _, err := d.ExecContext(ctx, insertUser, name, time.Now().UTC()); err != nil {
				return err
			}
		}
		_, err := d.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) SELECT id, 'admin' FROM users WHERE username = 'bo'`)
		return err
	}
	Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		Seed(t, d, "rows", seed)
		if d.Dialect() == db.Postgres && seededTemplate(t, db.Postgres, "rows", seed).data == nil {
			t.Error("the seeded rows were not kept for loading in place")
		}
		var role string
		if err := d.QueryRowContext(ctx, `SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = 'bo'`).Scan(&role); err != nil || role != "admin" {
			t.Fatalf("bo's role = %q, %v; want admin", role, err)
		}
		// New rows get keys after the seeded ones.
		if _, err := d.ExecContext(ctx, insertUser, "cecilia", time.Now().UTC()); err != nil {
			t.Fatalf("insert after Seed: %v", err)
		}
		var n int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil || n != 3 {
			t.Fatalf("users = %d, %v; want 3", n, err)
		}
		// Everything else is as in a copy of the seeded database.
		want := OpenSeeded(t, d.Dialect(), "rows", seed)
		for _, q := range []string{`SELECT COUNT(*) FROM meta`, `SELECT COUNT(*) FROM user_roles`} {
			var got, exp int
			_ = d.QueryRowContext(ctx, q).Scan(&got)
			_ = want.QueryRowContext(ctx, q).Scan(&exp)
			if got != exp {
				t.Errorf("%s: %d after Seed, %d in a copy", q, got, exp)
			}
		}
	})
}

func TestSeed_FillsAnEmptyDatabase(t *testing.T) {
	t.Parallel()
	seed := func(ctx context.Context, d *db.DB) error {
		_, err := d.ExecContext(ctx, insertUser, "dora", time.Now().UTC())
		return err
	}
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			d, _ := OpenEmpty(t, e)
			Seed(t, d, "rows-for-empty", seed)
			var n int
			if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM users WHERE username = 'dora'`).Scan(&n); err != nil || n != 1 {
				t.Fatalf("users named dora = %d, %v; want 1", n, err)
			}
		})
	}
}
