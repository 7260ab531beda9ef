package app

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, IO{In: strings.NewReader(stdin), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

func TestCLI_HelpForEveryCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"migrate", "up", "--help"}, {"migrate", "status", "--help"},
		{"user", "--help"}, {"user", "create", "--help"}, {"user", "set-password", "--help"}, {"user", "grant", "--help"}, {"user", "list", "--help"},
	} {
		code, out, errOut := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(out+errOut, "Usage") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	if code, out, _ := runCLI(t, "", "version"); code != 0 || !strings.HasPrefix(out, "kunskapsnav ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, _ := runCLI(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command exit %d, want 2", code)
	}
}

func TestCLI_UserLifecycleOnBothEngines(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			_, url := dbtest.OpenEmpty(t, e)
			code, out, errOut := runCLI(t, "", "migrate", "status", "--db", url)
			if code != 0 || !strings.Contains(out, "pending") {
				t.Fatalf("status before: %d %s %s", code, out, errOut)
			}
			if code, out, errOut := runCLI(t, "", "migrate", "up", "--db", url); code != 0 || !strings.Contains(out, "applied") {
				t.Fatalf("migrate up: %d %s %s", code, out, errOut)
			}
			if code, out, _ := runCLI(t, "", "migrate", "status", "--db", url); code != 0 || strings.Contains(out, "pending") {
				t.Fatalf("status after: %d %s", code, out)
			}
			code, out, errOut = runCLI(t, "ett långt lösenord\n", "user", "create", "--db", url, "--username", "sara", "--name", "Sara Samordnare", "--role", "samordnare", "--role", "revisor")
			if code != 0 || !strings.Contains(out, "created user sara") {
				t.Fatalf("create: %d %s %s", code, out, errOut)
			}
			if code, _, errOut := runCLI(t, "kort\n", "user", "create", "--db", url, "--username", "bo", "--name", "Bo"); code != 1 || !strings.Contains(errOut, "password") {
				t.Fatalf("weak password: %d %s", code, errOut)
			}
			if code, _, errOut := runCLI(t, "", "user", "grant", "--db", url, "--username", "sara", "--role", "kung"); code != 2 || !strings.Contains(errOut, "unknown role") {
				t.Fatalf("bad role: %d %s", code, errOut)
			}
			if code, out, errOut := runCLI(t, "", "user", "grant", "--db", url, "--username", "sara", "--role", "admin"); code != 0 || !strings.Contains(out, "admin") {
				t.Fatalf("grant: %d %s %s", code, out, errOut)
			}
			if code, _, errOut := runCLI(t, "ett annat långt lösenord\n", "user", "set-password", "--db", url, "--username", "sara"); code != 0 {
				t.Fatalf("set-password: %d %s", code, errOut)
			}
			code, out, _ = runCLI(t, "", "user", "list", "--db", url)
			if code != 0 || !strings.Contains(out, "sara") || !strings.Contains(out, "admin,revisor,samordnare") {
				t.Fatalf("list: %d\n%s", code, out)
			}
			d, err := db.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var n int
			if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE actor_name = 'cli'`).Scan(&n); err != nil || n != 3 {
				t.Fatalf("cli audit records = %d, %v; want 3", n, err)
			}
		})
	}
}
