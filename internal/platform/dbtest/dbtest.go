package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	var url string
	switch e {
	case db.SQLite:
		url = "sqlite:" + sqliteCopy(tb)
	case db.Postgres:
		url = postgresDatabase(tb)
	default:
		tb.Fatalf("dbtest: unknown engine %q", e)
	}
	d, err := db.Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("dbtest: open %s: %v", e, err)
	}
	tb.Cleanup(func() { d.Close() })
	return d, url
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
	d, err := db.Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("dbtest: open %s: %v", e, err)
	}
	tb.Cleanup(func() { d.Close() })
	return d, url
}

var sqliteTmpl struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// sqliteCopy migrates one template file per test binary and gives each test a copy,
// which is much faster than migrating every time.
func sqliteCopy(tb testing.TB) string {
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
		// Fold the WAL into the main file so a plain file copy is complete.
		_, sqliteTmpl.err = d.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
	})
	if sqliteTmpl.err != nil {
		tb.Fatalf("dbtest: sqlite template: %v", sqliteTmpl.err)
	}
	dst := filepath.Join(tb.TempDir(), "test.db")
	if err := copyFile(sqliteTmpl.path, dst); err != nil {
		tb.Fatalf("dbtest: copy sqlite template: %v", err)
	}
	return dst
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
