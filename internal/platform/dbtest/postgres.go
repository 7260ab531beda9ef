package dbtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/schema"
)

// EnvPostgresURL names an already running server to use instead of starting one;
// its user must be allowed to create databases.
const EnvPostgresURL = "KUNSKAPSNAV_TEST_POSTGRES_URL"

// EnvPostgres set to "required" makes a missing PostgreSQL installation fail the
// tests instead of skipping the PostgreSQL half; the test command sets it.
const EnvPostgres = "KUNSKAPSNAV_TEST_POSTGRES"

type server struct {
	once     sync.Once
	adminURL string // connects to the "postgres" maintenance database
	dir      string
	pgCtl    string
	asUser   string
	err      error
	skip     string

	tmplOnce sync.Once
	tmplName string
	tmplErr  error

	mu     sync.Mutex
	seeded []string // seeded template databases, see seedTemplate
}

var pg server

// postgresTemplate returns the name of the migrated template database.
func postgresTemplate(tb testing.TB) string {
	tb.Helper()
	srv := ensureServer(tb)
	srv.tmplOnce.Do(func() { srv.tmplName, srv.tmplErr = srv.template() })
	if srv.tmplErr != nil {
		tb.Fatalf("dbtest: postgres template: %v", srv.tmplErr)
	}
	return srv.tmplName
}

// postgresEmptyDatabase creates a new database with no tables.
func postgresEmptyDatabase(tb testing.TB) string {
	tb.Helper()
	return ensureServer(tb).newDatabase(tb, "template0")
}

func ensureServer(tb testing.TB) *server {
	tb.Helper()
	pg.once.Do(pg.start)
	if pg.skip != "" {
		if os.Getenv(EnvPostgres) == "required" {
			tb.Fatalf("dbtest: PostgreSQL is required but %s", pg.skip)
		}
		tb.Skipf("dbtest: skipping PostgreSQL: %s (./scripts/test installs it)", pg.skip)
	}
	if pg.err != nil {
		tb.Fatalf("dbtest: start PostgreSQL: %v", pg.err)
	}
	return &pg
}

// newDatabase creates a database copied from template and drops it when tb ends.
func (s *server) newDatabase(tb testing.TB, template string) string {
	tb.Helper()
	ctx := context.Background()
	admin, err := db.Open(ctx, s.adminURL)
	if err != nil {
		tb.Fatalf("dbtest: connect to postgres: %v", err)
	}
	defer admin.Close()
	name := randomName("t")
	if err := createDatabase(ctx, admin, name, template); err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	tb.Cleanup(func() { s.dropDatabase(name) })
	return withDatabase(s.adminURL, name)
}

// createDatabase creates name as a copy of template.
func createDatabase(ctx context.Context, admin *db.DB, name, template string) error {
	var err error
	// CREATE DATABASE … TEMPLATE fails while another session uses the template;
	// nobody connects to ours after it is made, so one retry loop covers the
	// moments while a closed connection's server process exits.
	for attempt := 0; ; attempt++ {
		_, err = admin.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template))
		if err == nil || attempt == 40 || !strings.Contains(err.Error(), "being accessed") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("create database %s from %s: %w", name, template, err)
	}
	return nil
}

// dropDatabase drops name, ending any session still connected to it.
func (s *server) dropDatabase(name string) {
	a, err := db.Open(context.Background(), s.adminURL)
	if err != nil {
		return
	}
	defer a.Close()
	_, _ = a.ExecContext(context.Background(), fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
}

// template migrates a template database once; its name carries a hash of the
// migrations so a shared server never hands out a stale schema.
func (s *server) template() (string, error) {
	ctx := context.Background()
	name := "kn_tmpl_" + migrationsHash()
	admin, err := db.Open(ctx, s.adminURL)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	// Several test binaries may share one server: serialise template creation.
	conn, err := admin.SQL().Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727274)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(727274)`)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_build"
	if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+building+` TEMPLATE template0 ENCODING 'UTF8'`); err != nil {
		return "", err
	}
	d, err := db.Open(ctx, withDatabase(s.adminURL, building))
	if err != nil {
		return "", err
	}
	_, err = d.Migrate(ctx, schema.For(db.Postgres))
	d.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+name); err != nil {
		return "", err
	}
	return name, nil
}

func migrationsHash() string { return schema.Hash() }

func withDatabase(adminURL, name string) string {
	i := strings.LastIndex(adminURL, "/postgres")
	return adminURL[:i] + "/" + name + adminURL[i+len("/postgres"):]
}

// start finds the installed PostgreSQL binaries and starts a throwaway cluster.
func (s *server) start() {
	if u := os.Getenv(EnvPostgresURL); u != "" {
		s.adminURL = u
		return
	}
	bin, err := findBinaries()
	if err != nil {
		s.skip = err.Error()
		return
	}
	s.err = s.startCluster(bin)
}

func findBinaries() (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(matches, func(i, j int) bool { return pgMajor(matches[i]) > pgMajor(matches[j]) })
	if len(matches) > 0 {
		return filepath.Dir(matches[0]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real), nil
		}
		return filepath.Dir(p), nil
	}
	return "", errors.New("no PostgreSQL server binaries (initdb) found")
}

func pgMajor(path string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(path))))
	return n
}

func (s *server) startCluster(bin string) error {
	dir, err := os.MkdirTemp("", "kunskapsnav-pg-")
	if err != nil {
		return err
	}
	s.dir = dir
	s.pgCtl = filepath.Join(bin, "pg_ctl")
	data := filepath.Join(dir, "data")
	sock := filepath.Join(dir, "sock")
	if err := os.Mkdir(sock, 0o700); err != nil {
		return err
	}
	// initdb refuses to run as root: run the cluster as the postgres user.
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("running as root needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, p := range []string{dir, sock} {
			if err := os.Chown(p, uid, gid); err != nil {
				return err
			}
		}
		s.asUser = "postgres"
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	if out, err := s.run(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		if out2, err2 := s.run(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"); err2 != nil {
			return fmt.Errorf("initdb: %v: %s %s", err2, out, out2)
		}
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB", port, sock)
	if out, err := s.run(s.pgCtl, "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
	}
	s.adminURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	return nil
}

func (s *server) run(name string, args ...string) (string, error) {
	var cmd *exec.Cmd
	if s.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", s.asUser, "--", name}, args...)...)
	} else {
		cmd = exec.Command(name, args...)
	}
	cmd.Dir = s.dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func stopServer() {
	if pg.dir == "" {
		if pg.adminURL != "" {
			pg.dropSeeded()
		}
		return
	}
	_, _ = pg.run(pg.pgCtl, "-D", filepath.Join(pg.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(pg.dir)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
