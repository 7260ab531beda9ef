package ical_test

import (
	"bytes"
	"flag"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/ical"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err)
	}
	return loc
}()

// sample is a held meeting with text that needs escaping and folding, and a
// cancelled one.
func sample() ical.Calendar {
	start := time.Date(2026, 12, 3, 13, 0, 0, 0, stockholm)
	return ical.Calendar{Events: []ical.Event{
		{
			UID:      ical.UID("meeting", 12, "kunskapsnav.regionjh.se"),
			Sequence: 3,
			Stamp:    time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC),
			Start:    start,
			End:      start.Add(2*time.Hour + 30*time.Minute),
			Summary:  "Hälso- och sjukvårdsledningen (HSL): möte 8/2026",
			Location: "Regionens hus, sal Åre; Teams-länk i kallelsen",
			Description: "Dagordning:\r\n1. Öppnande, val av justerare\r\n2. Beslut om införande av " +
				"nationellt vård- och insatsprogram för depression – underlag från kunskapsstyrningsrådet\n" +
				"3. Övriga frågor \\ avslutning",
			URL:    "https://kunskapsnav.regionjh.se/moten/12",
			Status: ical.Confirmed,
		},
		{
			UID:     ical.UID("meeting", 13, "kunskapsnav.regionjh.se"),
			Stamp:   time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC),
			Start:   time.Date(2027, 1, 14, 9, 0, 0, 0, stockholm),
			Summary: "Samverkansforum region–kommun: inställt",
			Status:  ical.Cancelled,
		},
	}}
}

func TestWrite_Golden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := ical.Write(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	path := filepath.Join("testdata", "meetings.ics.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	checkLines(t, got)
}

func TestWrite_RefusesBrokenEvents(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 3, 13, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		event ical.Event
	}{
		{"no uid", ical.Event{Start: start}},
		{"uid with a line break", ical.Event{UID: "a\nb", Start: start}},
		{"no start", ical.Event{UID: "x@y"}},
		{"ends before it starts", ical.Event{UID: "x@y", Start: start, End: start.Add(-time.Minute)}},
		{"unknown status", ical.Event{UID: "x@y", Start: start, Status: "TENTATIVE"}},
	}
	for _, tt := range tests {
		if err := ical.Write(&bytes.Buffer{}, ical.Calendar{Events: []ical.Event{tt.event}}); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func TestServe_SendsACalendarFile(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	if err := ical.Serve(w, httptest.NewRequest(http.MethodGet, "/moten/12/kalender.ics", nil), "möte-12", sample()); err != nil {
		t.Fatal(err)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	_, params, err := mime.ParseMediaType(w.Header().Get("Content-Disposition"))
	if err != nil || params["filename"] != "möte-12.ics" {
		t.Errorf("Content-Disposition = %q (%v)", w.Header().Get("Content-Disposition"), err)
	}
	if !strings.HasPrefix(w.Body.String(), "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(w.Body.String(), "END:VCALENDAR\r\n") {
		t.Errorf("body = %q", w.Body)
	}
}

// checkLines asserts the framing of an iCalendar file: valid UTF-8, CRLF after
// every line and no other CR or LF, and no line over 75 octets.
func checkLines(t *testing.T, out []byte) {
	t.Helper()
	if !utf8.Valid(out) {
		t.Fatalf("not valid UTF-8: %q", out)
	}
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Fatalf("does not end in CRLF: %q", out)
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 75 {
			t.Fatalf("line %d has %d octets: %q", i+1, len(line), line)
		}
	}
}

// unfold joins folded lines (RFC 5545 section 3.1) and splits the result
// into content lines.
func unfold(out []byte) []string {
	s := strings.ReplaceAll(string(out), "\r\n ", "")
	s = strings.ReplaceAll(s, "\r\n\t", "")
	return strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
}

// escape is RFC 5545's TEXT escaping, written out here as the test's oracle.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

func TestWrite_UnfoldedTextIsTheEscapedText(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	cal := sample()
	if err := ical.Write(&buf, cal); err != nil {
		t.Fatal(err)
	}
	lines := unfold(buf.Bytes())
	e := cal.Events[0]
	for _, want := range []string{
		"SUMMARY:" + escape(e.Summary),
		"LOCATION:" + escape(e.Location),
		"DESCRIPTION:" + escape(ical.Clean(e.Description)),
		"UID:meeting-12@kunskapsnav.regionjh.se",
		"DTSTART:20261203T120000Z",
		"DTEND:20261203T143000Z",
		"SEQUENCE:3",
		"STATUS:CONFIRMED",
		"STATUS:CANCELLED",
	} {
		if !contains(lines, want) {
			t.Errorf("no line %q in\n%s", want, strings.Join(lines, "\n"))
		}
	}
}

func contains(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}
