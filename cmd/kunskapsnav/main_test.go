package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var build struct {
	once sync.Once
	path string
	err  error
}

// binary builds the real kunskapsnav command once per test run.
func binary(tb testing.TB) string {
	tb.Helper()
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "kunskapsnav-bin-")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(dir, "kunskapsnav")
		gobin, err := exec.LookPath("go")
		if err != nil {
			build.err = fmt.Errorf("the go command is needed to build the binary: %w", err)
			return
		}
		out, err := exec.Command(gobin, "build", "-o", build.path, ".").CombinedOutput()
		if err != nil {
			build.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if build.err != nil {
		tb.Fatal(build.err)
	}
	return build.path
}

// server is a running kunskapsnav serve process.
type server struct {
	cmd  *exec.Cmd
	url  string
	out  *strings.Builder
	done chan error
}

// start runs `kunskapsnav serve --demo` on dbURL and waits until it listens.
func start(tb testing.TB, bin, dbURL string, extra ...string) (*server, error) {
	tb.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dbURL}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Dir = tb.TempDir()
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, out: &strings.Builder{}, done: make(chan error, 1)}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			s.out.WriteString(line + "\n")
			if _, addr, ok := strings.Cut(line, " listens on "); ok {
				found <- addr
			}
		}
		s.done <- cmd.Wait()
	}()
	select {
	case s.url = <-found:
		return s, nil
	case err := <-s.done:
		return nil, fmt.Errorf("serve exited before listening: %v\n%s", err, s.out.String())
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		return nil, fmt.Errorf("serve did not start within 30 s\n%s", s.out.String())
	}
}

// stop sends SIGTERM and returns the exit error.
func (s *server) stop(tb testing.TB) error {
	tb.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		return err
	case <-time.After(25 * time.Second):
		s.cmd.Process.Kill()
		return fmt.Errorf("no graceful shutdown within 25 s")
	}
}

func waitReady(url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/readyz", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return ctx.Err()
}

// TestBinary_ServeDemoOnBothEngines runs the real binary: serve --demo on an
// empty database prints the logins and becomes ready; SIGTERM stops it
// cleanly; a second start reuses the demo data; once a real account exists,
// --demo refuses with a clear message.
func TestBinary_ServeDemoOnBothEngines(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			_, url := dbtest.OpenEmpty(t, e)
			if e == db.SQLite {
				url = "sqlite:" + filepath.Join(t.TempDir(), "kn.db")
			}
			s, err := start(t, bin, url, "--demo")
			if err != nil {
				t.Fatal(err)
			}
			if err := waitReady(s.url); err != nil {
				t.Fatalf("not ready: %v", err)
			}
			res, err := http.Get(s.url + "/logga-in")
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("login page: %v %v", res, err)
			}
			res.Body.Close()
			if err := s.stop(t); err != nil {
				t.Fatalf("shutdown: %v", err)
			}
			for _, want := range []string{"Demo data loaded", "samordnare", "revisor", `password "demo"`} {
				if !strings.Contains(s.out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, s.out.String())
				}
			}
			again, err := start(t, bin, url, "--demo")
			if err != nil {
				t.Fatal(err)
			}
			if err := again.stop(t); err != nil || !strings.Contains(again.out.String(), "already present") {
				t.Fatalf("second demo start: %v\n%s", err, again.out.String())
			}
			create := exec.Command(bin, "user", "create", "--db", url, "--username", "riktig", "--name", "Riktig Person", "--role", "admin")
			create.Stdin = strings.NewReader("ett riktigt långt lösenord\n")
			if out, err := create.CombinedOutput(); err != nil {
				t.Fatalf("user create: %v\n%s", err, out)
			}
			refuse := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", url, "--demo")
			out, err := refuse.CombinedOutput()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "not demo data") {
				t.Fatalf("--demo on real data: %v\n%s", err, out)
			}
		})
	}
}

// BenchmarkServeDemoReady measures the real binary from start to a ready
// server (/readyz answers 200) with --demo on a fresh SQLite file. Target:
// under 2 s.
func BenchmarkServeDemoReady(b *testing.B) {
	bin := binary(b)
	for b.Loop() {
		url := "sqlite:" + filepath.Join(b.TempDir(), "kn.db")
		s, err := start(b, bin, url, "--demo")
		if err != nil {
			b.Fatal(err)
		}
		if err := waitReady(s.url); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := s.stop(b); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
