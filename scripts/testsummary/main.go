// Command testsummary reads the output of `go test -json` on stdin, as it
// comes, and writes a short report for people: the output of each test that
// fails, the ok and FAIL line of each package, the tests that were skipped,
// and a last line "N passed, N failed, N skipped". It exits with status 1
// when a test, a package or a build failed. ./scripts/test uses it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	s, err := summarize(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	if !s.ok() {
		os.Exit(1)
	}
}

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string // of build-output and build-fail
	FailedBuild string // of a package fail that a build failure caused
}

// summary counts the tests, with subtests, by result.
type summary struct {
	Passed, Failed, Skipped int
	// FailedPackages counts the packages and builds that failed without a
	// failed test, such as a build error or a panic outside a test.
	FailedPackages int
}

func (s summary) ok() bool { return s.Failed == 0 && s.FailedPackages == 0 }

func (s summary) String() string {
	line := fmt.Sprintf("%d passed, %d failed, %d skipped", s.Passed, s.Failed+s.FailedPackages, s.Skipped)
	if s.FailedPackages > 0 {
		line += fmt.Sprintf(" (%d failed package(s) without a failed test)", s.FailedPackages)
	}
	return line
}

type testKey struct{ pkg, test string }

// maxSkipLines limits the list of skipped tests.
const maxSkipLines = 25

// summarize reads the events from r and writes the report to w.
func summarize(r io.Reader, w io.Writer) (summary, error) {
	var (
		s           summary
		outputs     = map[testKey][]string{} // output of tests that run
		builds      = map[string][]string{}  // build output by import path
		failedTests = map[string]int{}       // failed tests by package
		skips       []string
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var ev event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &ev) != nil {
			// Not an event: pass it on as it is.
			fmt.Fprintf(w, "%s\n", line)
			continue
		}
		key := testKey{ev.Package, ev.Test}
		switch ev.Action {
		case "build-output":
			builds[ev.ImportPath] = append(builds[ev.ImportPath], ev.Output)
		case "build-fail":
			fmt.Fprint(w, strings.Join(builds[ev.ImportPath], ""))
			delete(builds, ev.ImportPath)
		case "output":
			if ev.Test != "" {
				outputs[key] = append(outputs[key], ev.Output)
			} else if ev.Output != "PASS\n" {
				// The package lines: ok, FAIL, "no test files", and
				// what the test binary writes outside a test.
				fmt.Fprint(w, ev.Output)
			}
		case "pass":
			if ev.Test != "" {
				s.Passed++
				delete(outputs, key)
			}
		case "skip":
			if ev.Test != "" {
				s.Skipped++
				skips = append(skips, ev.Package+" "+ev.Test+skipReason(outputs[key]))
				delete(outputs, key)
			}
		case "fail":
			if ev.Test != "" {
				s.Failed++
				failedTests[ev.Package]++
				fmt.Fprint(w, testOutput(outputs[key]))
				delete(outputs, key)
				continue
			}
			if failedTests[ev.Package] == 0 {
				s.FailedPackages++
			}
			// Tests that did not end, for example because of a panic
			// or a timeout, still hold output that tells why.
			for _, k := range sortedKeys(outputs, ev.Package) {
				fmt.Fprintf(w, "--- unfinished: %s\n%s", k.test, testOutput(outputs[k]))
				delete(outputs, k)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return s, err
	}
	if len(skips) > 0 {
		fmt.Fprintf(w, "\nSkipped tests:\n")
		for i, sk := range skips {
			if i == maxSkipLines {
				fmt.Fprintf(w, "  ... and %d more\n", len(skips)-maxSkipLines)
				break
			}
			fmt.Fprintf(w, "  %s\n", sk)
		}
	}
	fmt.Fprintf(w, "\n%s\n", s)
	return s, nil
}

// testOutput joins the output lines of a test, without the lines of the
// test runner that only say that a test runs, pauses or continues.
func testOutput(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "=== RUN") || strings.HasPrefix(t, "=== PAUSE") ||
			strings.HasPrefix(t, "=== CONT") || strings.HasPrefix(t, "=== NAME") {
			continue
		}
		b.WriteString(l)
	}
	return b.String()
}

// skipReason gives the reason that t.Skip gave: the last line that the
// skipped test wrote, other than the lines of the test runner.
func skipReason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		t := strings.TrimSpace(lines[i])
		if t == "" || strings.HasPrefix(t, "--- SKIP") || strings.HasPrefix(t, "=== ") {
			continue
		}
		return ": " + t
	}
	return ""
}

func sortedKeys(m map[testKey][]string, pkg string) []testKey {
	var keys []testKey
	for k := range m {
		if k.pkg == pkg {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].test < keys[j].test })
	return keys
}
