package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/schema"
)

// Engines are the dialects every storage test runs on.
var Engines = []db.Dialect{db.SQLite, db.Postgres}

// Main runs the tests of a package and then stops the PostgreSQL server they
// shared. Use it as: func TestMain(m *testing.M) { dbtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	stopServer()
	cleanupSQLiteTemplate()
	os.Exit(code)
}

// Each runs fn once per engine, as parallel subtests named "sqlite" and
// "postgres", each with its own fresh, migrated database.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fn(t, Open(t, e))
		})
	}
}

// Open returns a fresh, migrated database of dialect e, closed and removed when tb ends.
func Open(tb testing.TB, e db.Dialect) *db.DB {
	tb.Helper()
	d, _ := OpenURL(tb, e)
	return d
}

// OpenURL is Open that also returns the database's URL, for tests that start the
// real binary or a second connection against it.
func OpenURL(tb testing.TB, e db.Dialect) (*db.DB, string) {
	tb.Helper()
	return openCopy(tb, e, migratedTemplate(tb, e))
}

// migratedTemplate returns the migrated template of engine e: a file for SQLite,
// a database name for PostgreSQL.
func migratedTemplate(tb testing.TB, e db.Dialect) string {
	tb.Helper()
	switch e {
	case db.SQLite:
		return sqliteTemplate(tb)
	case db.Postgres:
		return postgresTemplate(tb)
	}
	tb.Fatalf("dbtest: unknown engine %q", e)
	return ""
}

// openCopy opens a new database of engine e copied from template, closed and
// removed when tb ends.
func openCopy(tb testing.TB, e db.Dialect, template string) (*db.DB, string) {
	tb.Helper()
	var url string
	switch e {
	case db.SQLite:
		dst := filepath.Join(tb.TempDir(), "test.db")
		if err := copyFile(template, dst); err != nil {
			tb.Fatalf("dbtest: copy sqlite template: %v", err)
		}
		url = "sqlite:" + dst
	case db.Postgres:
		url = pg.newDatabase(tb, template)
	default:
		tb.Fatalf("dbtest: unknown engine %q", e)
	}
	return open(tb, e, url, template), url
}

// open connects to url, a copy of template, and remembers both so Seed can
// replace the database.
func open(tb testing.TB, e db.Dialect, url, template string) *db.DB {
	tb.Helper()
	d, err := db.Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("dbtest: open %s: %v", e, err)
	}
	handles.Store(d, handle{url, template})
	tb.Cleanup(func() {
		handles.Delete(d)
		d.Close()
	})
	return d
}

// handles maps each *db.DB this package opened to its handle.
var handles sync.Map

type handle struct {
	url      string
	template string // what the database was copied from; "" if empty
}

// OpenEmpty returns a database of dialect e with no migrations applied, for
// tests of the migration commands themselves.
func OpenEmpty(tb testing.TB, e db.Dialect) (*db.DB, string) {
	tb.Helper()
	var url string
	switch e {
	case db.SQLite:
		url = "sqlite:" + filepath.Join(tb.TempDir(), "empty.db")
	case db.Postgres:
		url = postgresEmptyDatabase(tb)
	}
	return open(tb, e, url, ""), url
}

var sqliteTmpl struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// sqliteTemplate migrates one template file per test binary, which each test
// copies: much faster than migrating every time.
func sqliteTemplate(tb testing.TB) string {
	tb.Helper()
	sqliteTmpl.once.Do(func() {
		dir, err := os.MkdirTemp("", "kunskapsnav-sqlite-")
		if err != nil {
			sqliteTmpl.err = err
			return
		}
		sqliteTmpl.dir = dir
		sqliteTmpl.path = filepath.Join(dir, "template.db")
		d, err := db.Open(context.Background(), "sqlite:"+sqliteTmpl.path)
		if err != nil {
			sqliteTmpl.err = err
			return
		}
		defer d.Close()
		if _, err := d.Migrate(context.Background(), schema.For(db.SQLite)); err != nil {
			sqliteTmpl.err = err
			return
		}
		sqliteTmpl.err = checkpoint(context.Background(), d)
	})
	if sqliteTmpl.err != nil {
		tb.Fatalf("dbtest: sqlite template: %v", sqliteTmpl.err)
	}
	return sqliteTmpl.path
}

// checkpoint folds the WAL into the main file so a plain file copy is complete.
func checkpoint(ctx context.Context, d *db.DB) error {
	var busy, log, done int
	if err := d.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &log, &done); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if busy != 0 {
		return errors.New("checkpoint: the database is busy")
	}
	return nil
}

func cleanupSQLiteTemplate() {
	if sqliteTmpl.dir != "" {
		os.RemoveAll(sqliteTmpl.dir)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s_%s", prefix, hex.EncodeToString(b))
}
