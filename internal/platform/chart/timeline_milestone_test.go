package chart

import (
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func TestTimeline_DrawsMilestonesAsDiamonds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		bar      Bar
		diamonds int
		rects    int
	}{
		{"milestone in the year", Bar{Label: "Start", Start: day(2027, time.March, 1), End: day(2027, time.March, 1), Milestone: true}, 1, 0},
		{"late milestone", Bar{Label: "Beslut", Start: day(2027, time.March, 1), End: day(2027, time.March, 1), Milestone: true, Late: true}, 1, 0},
		{"milestone after the year is cut as a bar", Bar{Label: "Sen", Start: day(2027, time.December, 1), End: day(2028, time.January, 5), Milestone: true}, 0, 1},
		{"ordinary bar", Bar{Label: "Utbildning", Start: day(2027, time.March, 1), End: day(2027, time.April, 1)}, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svg, err := Timeline{Title: "Plan", Year: 2027, Bars: []Bar{tt.bar}, Locale: i18n.SV}.SVG()
			if err != nil {
				t.Fatal(err)
			}
			s := string(svg)
			if got := strings.Count(s, `l-9 9 l-9 -9 z`); got != tt.diamonds {
				t.Errorf("diamonds = %d, want %d\n%s", got, tt.diamonds, s)
			}
			if got := strings.Count(s, "<rect x="); got != tt.rects {
				t.Errorf("bars = %d, want %d", got, tt.rects)
			}
		})
	}
}
