package main

import (
	"os"
	"strings"
	"testing"
)

// testdata/go-test.json is the output of `go test -json` on a module with a
// passing, a failing (with a passing and a failing subtest) and a skipped
// test, a package that does not build, and a package without tests.
func TestSummarize(t *testing.T) {
	f, err := os.Open("testdata/go-test.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	s, err := summarize(f, &out)
	if err != nil {
		t.Fatal(err)
	}
	want := summary{Passed: 2, Failed: 2, Skipped: 1, FailedPackages: 1}
	if s != want {
		t.Errorf("summary = %+v, want %+v", s, want)
	}
	if s.ok() {
		t.Error("ok() = true with failures")
	}
	got := out.String()
	for _, line := range []string{
		"b/b_test.go:3:28: undefined: undefined\n", // the build error
		"FAIL\ttsdemo/b [build failed]\n",
		"    a_test.go:4: broken\n--- FAIL: TestFail/sub (0.00s)\n",
		"--- FAIL: TestFail (0.00s)\n",
		"FAIL\ttsdemo/a\t0.003s\n",
		"?   \ttsdemo/c\t[no test files]\n",
		"  tsdemo/a TestSkip: a_test.go:5: no postgres\n",
		"\n2 passed, 3 failed, 1 skipped (1 failed package(s) without a failed test)\n",
	} {
		if !strings.Contains(got, line) {
			t.Errorf("report misses %q:\n%s", line, got)
		}
	}
	for _, line := range []string{"hello", "=== RUN", "TestFail/ok"} {
		if strings.Contains(got, line) {
			t.Errorf("report has %q, the output of a passing test or of the runner:\n%s", line, got)
		}
	}
	if !strings.HasSuffix(got, "1 skipped (1 failed package(s) without a failed test)\n") {
		t.Errorf("the summary is not the last line:\n%s", got)
	}
}

func TestSummarizeAllPass(t *testing.T) {
	in := `{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"--- PASS: TestA (0.00s)\n"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Output":"PASS\n"}
{"Action":"output","Package":"p","Output":"ok  \tp\t0.01s\n"}
{"Action":"pass","Package":"p"}
`
	var out strings.Builder
	s, err := summarize(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	if !s.ok() || s.Passed != 1 {
		t.Errorf("summary = %+v", s)
	}
	if want := "ok  \tp\t0.01s\n\n1 passed, 0 failed, 0 skipped\n"; out.String() != want {
		t.Errorf("report = %q, want %q", out.String(), want)
	}
}
