package ical_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/ical"
)

// FuzzWrite writes events with arbitrary text and checks the invariants of
// the output: valid UTF-8, CRLF line ends, no line over 75 octets, and the
// unfolded lines give back the escaped text. The seed corpus is in
// testdata/fuzz/FuzzWrite.
func FuzzWrite(f *testing.F) {
	f.Add("Möte", "Sal Åre", "Rad ett\r\nrad två; tre, fyra \\ fem")
	f.Add(string(bytes.Repeat([]byte("å"), 100)), "", "世界"+string(bytes.Repeat([]byte("é"), 80)))
	f.Add("a\x00b\x1bc", "\xff\xfe", "ends with a space ")
	f.Fuzz(func(t *testing.T, summary, location, description string) {
		start := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
		e := ical.Event{UID: "meeting-1@test", Start: start, End: start.Add(time.Hour),
			Summary: summary, Location: location, Description: description, URL: "https://example.org/moten/1"}
		var buf bytes.Buffer
		if err := ical.Write(&buf, ical.Calendar{Events: []ical.Event{e}}); err != nil {
			t.Fatal(err)
		}
		checkLines(t, buf.Bytes())
		lines := unfold(buf.Bytes())
		for prop, text := range map[string]string{"SUMMARY": summary, "LOCATION": location, "DESCRIPTION": description} {
			want := prop + ":" + escape(ical.Clean(text))
			if ical.Clean(text) == "" && prop != "SUMMARY" {
				continue
			}
			if !contains(lines, want) {
				t.Fatalf("no line %q in %q", want, lines)
			}
		}
	})
}
