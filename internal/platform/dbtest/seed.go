package dbtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// A SeedFunc writes the data that a group of tests starts from into a fresh,
// migrated database.
type SeedFunc func(ctx context.Context, d *db.DB) error

// OpenSeeded returns a fresh database of dialect e holding a copy of what seed
// wrote, closed and removed when tb ends. Seed runs once per key and engine in
// a test binary, into a template that every later call copies; calls that come
// while it runs wait for it, and if it fails they all fail with its error. Every
// call with the same key must pass the same seed.
func OpenSeeded(tb testing.TB, e db.Dialect, key string, seed SeedFunc) *db.DB {
	tb.Helper()
	d, _ := OpenSeededURL(tb, e, key, seed)
	return d
}

// OpenSeededURL is OpenSeeded that also returns the database's URL.
func OpenSeededURL(tb testing.TB, e db.Dialect, key string, seed SeedFunc) (*db.DB, string) {
	tb.Helper()
	return openCopy(tb, e, seededTemplate(tb, e, key, seed).src)
}

// EachSeeded is Each with databases from OpenSeeded.
func EachSeeded(t *testing.T, key string, seed SeedFunc, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fn(t, OpenSeeded(t, e, key, seed))
		})
	}
}

// Seed replaces everything in d, which Open, OpenURL, OpenEmpty or Each returned,
// with a copy of what seed wrote, as OpenSeeded would have given it. Nothing may
// be using d: Seed may close its connections and swap the database beneath them.
// On a database that OpenSeeded copied from the same key, Seed does nothing.
func Seed(tb testing.TB, d *db.DB, key string, seed SeedFunc) {
	tb.Helper()
	v, ok := handles.Load(d)
	if !ok {
		tb.Fatalf("dbtest: Seed: the database was not opened by dbtest")
	}
	h := v.(handle)
	e := d.Dialect()
	st := seededTemplate(tb, e, key, seed)
	template := st.src
	if h.template == template {
		return
	}
	// A fresh migrated PostgreSQL database only lacks the rows: loading them is
	// much faster than copying a whole database again.
	if st.data != nil && h.template == migratedTemplate(tb, e) {
		if err := st.data.load(context.Background(), d); err != nil {
			tb.Fatalf("dbtest: Seed: %v", err)
		}
		handles.Store(d, handle{h.url, template})
		return
	}

	pool := d.SQL()
	pool.SetMaxIdleConns(0) // closes the idle connections now
	defer pool.SetMaxIdleConns(pool.Stats().MaxOpenConnections)
	if n := pool.Stats().OpenConnections; n > 0 {
		tb.Fatalf("dbtest: Seed: %d connections to the database are in use; seed it before using it", n)
	}

	switch e {
	case db.SQLite:
		path := strings.TrimPrefix(h.url, "sqlite:")
		for _, p := range []string{path + "-wal", path + "-shm"} {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				tb.Fatalf("dbtest: Seed: %v", err)
			}
		}
		if err := copyFile(template, path); err != nil {
			tb.Fatalf("dbtest: Seed: copy sqlite template: %v", err)
		}
	case db.Postgres:
		if err := pg.replaceDatabase(databaseName(h.url), template); err != nil {
			tb.Fatalf("dbtest: Seed: %v", err)
		}
	}
	handles.Store(d, handle{h.url, template})
}

type seedKey struct {
	engine db.Dialect
	key    string
}

// seedTemplate is one seeded template: a file for SQLite, a database name for
// PostgreSQL.
type seedTemplate struct {
	once sync.Once
	src  string
	data *pgData // the rows in src, if Seed may load them instead of copying src
	err  error
}

var seeds struct {
	mu sync.Mutex
	m  map[seedKey]*seedTemplate
}

// seededTemplate returns the template of key on engine e, seeding it on first use.
func seededTemplate(tb testing.TB, e db.Dialect, key string, seed SeedFunc) *seedTemplate {
	tb.Helper()
	base := migratedTemplate(tb, e)
	seeds.mu.Lock()
	if seeds.m == nil {
		seeds.m = map[seedKey]*seedTemplate{}
	}
	st := seeds.m[seedKey{e, key}]
	if st == nil {
		st = &seedTemplate{}
		seeds.m[seedKey{e, key}] = st
	}
	seeds.mu.Unlock()
	st.once.Do(func() {
		st.err = errors.New("the seed function did not return") // kept if it panics
		ctx := context.Background()
		switch e {
		case db.SQLite:
			st.src, st.err = seedSQLite(ctx, base, seed)
		case db.Postgres:
			st.src, st.data, st.err = pg.seedTemplate(ctx, base, seed)
		}
	})
	if st.err != nil {
		tb.Fatalf("dbtest: seed %q on %s: %v", key, e, st.err)
	}
	return st
}

// seedSQLite seeds a copy of the migrated template file next to it.
func seedSQLite(ctx context.Context, base string, seed SeedFunc) (string, error) {
	path := filepath.Join(filepath.Dir(base), randomName("seed")+".db")
	if err := copyFile(base, path); err != nil {
		return "", err
	}
	d, err := db.Open(ctx, "sqlite:"+path)
	if err != nil {
		return "", err
	}
	defer d.Close()
	if err := seed(ctx, d); err != nil {
		return "", err
	}
	return path, checkpoint(ctx, d)
}

// seedTemplate seeds a copy of the migrated template database. The copy lives
// until the test binary ends; its name is unique because the data may depend on
// the code and the clock, not just the schema. Unless the seed changed the schema
// or the user is no superuser, it also returns the seeded rows for Seed to load.
func (s *server) seedTemplate(ctx context.Context, base string, seed SeedFunc) (string, *pgData, error) {
	admin, err := db.Open(ctx, s.adminURL)
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	name := randomName("kn_seed")
	if err := createDatabase(ctx, admin, name, base); err != nil {
		return "", nil, err
	}
	s.mu.Lock()
	s.seeded = append(s.seeded, name)
	s.mu.Unlock()
	d, err := db.Open(ctx, withDatabase(s.adminURL, name))
	if err != nil {
		return "", nil, err
	}
	data, err := seedPostgres(ctx, d, seed)
	d.Close()
	if err != nil {
		return "", nil, err
	}
	// PostgreSQL refuses to copy a database while anyone is connected to it, and
	// a closed connection's server process may still be exiting.
	return name, data, waitUnused(ctx, admin, name)
}

// seedPostgres runs seed on d and reads back what it wrote when Seed can load it.
func seedPostgres(ctx context.Context, d *db.DB, seed SeedFunc) (*pgData, error) {
	before, err := pgShape(ctx, d)
	if err != nil {
		return nil, err
	}
	if err := seed(ctx, d); err != nil {
		return nil, err
	}
	after, err := pgShape(ctx, d)
	if err != nil {
		return nil, err
	}
	super, err := isSuperuser(ctx, d)
	if err != nil || !super || !sameShape(before, after) {
		return nil, err
	}
	return readPGData(ctx, d, after)
}

// waitUnused waits until no session is connected to database name.
func waitUnused(ctx context.Context, admin *db.DB, name string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		if err := admin.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("database %s: %d sessions still connected after seeding", name, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// replaceDatabase drops database name and creates it again from template.
func (s *server) replaceDatabase(name, template string) error {
	ctx := context.Background()
	admin, err := db.Open(ctx, s.adminURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE %s WITH (FORCE)`, name)); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return createDatabase(ctx, admin, name, template)
}

// dropSeeded drops the seeded templates, for a server that outlives the tests.
func (s *server) dropSeeded() {
	s.mu.Lock()
	names := s.seeded
	s.seeded = nil
	s.mu.Unlock()
	for _, name := range names {
		s.dropDatabase(name)
	}
}

// databaseName returns the database a postgres:// URL names.
func databaseName(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}
