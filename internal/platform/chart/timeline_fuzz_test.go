package chart

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// FuzzTimeline checks that a timeline never panics, that it is well-formed
// XML with the label escaped whenever it renders, and that it refuses only
// what Validate describes.
func FuzzTimeline(f *testing.F) {
	f.Add(2027, 2027, 40, 200, 2027, "Hjärtsvikt", true, false)
	f.Add(2027, 2026, 300, 0, 2027, "<script>&", false, true)
	f.Add(1, 1, 1, 1, 1, "", false, false)
	f.Add(9999, 9999, 365, 400, 9999, "\x00\xff", true, true)
	f.Add(2027, 2028, 10, -5, 2026, "a", false, false)
	f.Fuzz(func(t *testing.T, year, startYear, startDay, length, todayYear int, label string, late, noEnd bool) {
		startYear = max(min(startYear, 9999), 1)
		start := date.New(startYear, time.January, 1).AddDays(startDay % 800)
		end := start.AddDays(length % 800)
		if noEnd {
			end = date.Date{}
		}
		tl := Timeline{Title: label, Year: year, Today: date.New(max(min(todayYear, 9999), 1), time.March, 3), Locale: i18n.SV,
			Bars: []Bar{{Label: label, Start: start, End: end, Status: label, Late: late}, {Label: "b", Start: start, End: end}}}
		svg, err := tl.SVG()
		if err != nil {
			if !errors.Is(err, ErrRange) {
				t.Fatalf("unexpected error %v", err)
			}
			if year >= 1 && year <= 9999 && (end.IsZero() || !end.Before(start)) {
				t.Fatalf("refused a valid timeline: %v", err)
			}
			return
		}
		wellFormed(t, svg)
		if strings.Contains(string(svg), "<script") || strings.Contains(string(svg), "NaN") {
			t.Fatalf("bad svg: %s", svg)
		}
		_ = tl.Table().HTML()
	})
}
