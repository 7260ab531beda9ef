package chart

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func day(y int, m time.Month, d int) date.Date { return date.New(y, m, d) }

// timeline is a year's plan like the time plan of decided supports: a bar
// within the year, one from the year before, one without an end, a late one,
// a single day and one with every special character and a long name.
func timeline(loc i18n.Locale) Timeline {
	return Timeline{
		ID:    "tidsplan",
		Title: "Tidsplan 2027",
		Year:  2027,
		Today: day(2027, time.June, 15),
		Bars: []Bar{
			{Label: "Hjärtsvikt", Start: day(2027, time.February, 1), End: day(2027, time.May, 31), Status: "Beslutad"},
			{Label: "KOL", Start: day(2026, time.October, 1), End: day(2027, time.March, 15), Status: "Införs", Late: true},
			{Label: "Demens", Start: day(2027, time.September, 1), Status: "Beslutad"},
			{Label: "Höftledsartros <vårdförlopp> & \"Q&A\" med ett mycket långt namn", Start: day(2027, time.November, 1), End: day(2028, time.March, 31)},
			{Label: "Depression", Start: day(2027, time.December, 31), End: day(2027, time.December, 31), Status: "Införd"},
		},
		Locale: loc,
	}
}

func TestTimeline_MatchesGoldenFiles(t *testing.T) {
	t.Parallel()
	empty := timeline(i18n.EN)
	empty.Bars = nil
	cases := []struct {
		name string
		c    Timeline
	}{
		{"timeline_sv", timeline(i18n.SV)},
		{"timeline_en", timeline(i18n.EN)},
		{"timeline_empty_en", empty},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			svg, err := c.c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			wellFormed(t, svg)
			if again, _ := c.c.SVG(); again != svg {
				t.Error("two renderings differ")
			}
			var b bytes.Buffer
			b.WriteString(string(svg))
			b.WriteString("\n")
			b.WriteString(string(c.c.Table().HTML()))
			b.WriteString("\n")
			golden(t, c.name+".html", b.Bytes())
		})
	}
}

func TestTimeline_IsAccessibleAndShowsLateNotByColourAlone(t *testing.T) {
	t.Parallel()
	svg, err := timeline(i18n.SV).SVG()
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	for _, want := range []string{`role="img"`, `<title id="tidsplan-title">Tidsplan 2027</title>`, `<desc id="tidsplan-desc">2027: 5 rader. Värdena finns i tabellen bredvid diagrammet.</desc>`,
		`aria-labelledby="tidsplan-title tidsplan-desc"`, ">jan<", ">dec<", "KOL (försenad)", "I dag 2027-06-15", "Höftledsartros &lt;vårdförlopp…<"} {
		if !strings.Contains(s, want) {
			t.Errorf("svg lacks %s", want)
		}
	}
	for _, bad := range []string{"<script", "href", "url(", "<style", "NaN"} {
		if strings.Contains(s, bad) {
			t.Errorf("svg contains %s", bad)
		}
	}
	if n := strings.Count(s, "<rect"); n != 5 {
		t.Errorf("%d bars, want 5", n)
	}
	// The bar from the year before and the ones running past it have arrows.
	if n := strings.Count(s, "<path"); n != 3 {
		t.Errorf("%d arrows, want 3 (cut start, no end, cut end)", n)
	}
	tb := timeline(i18n.SV).Table()
	if diff := cmp.Diff([]string{"Namn", "Start", "Slut", "Status"}, tb.Header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	want := [][]string{
		{"Hjärtsvikt", "2027-02-01", "2027-05-31", "Beslutad"},
		{"KOL", "2026-10-01", "2027-03-15", "Införs, försenad"},
		{"Demens", "2027-09-01", "inget slut", "Beslutad"},
	}
	if diff := cmp.Diff(want, tb.Rows[:3]); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	en := timeline(i18n.EN).Table()
	if got := en.Rows[0][1]; got != "1 Feb 2027" {
		t.Errorf("English start %q", got)
	}
}

func TestTimeline_TodayLineOnlyInTheYear(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		today date.Date
		want  bool
	}{
		{"in the year", day(2027, time.March, 1), true},
		{"first day", day(2027, time.January, 1), true},
		{"year before", day(2026, time.December, 31), false},
		{"year after", day(2028, time.January, 1), false},
		{"none", date.Date{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tl := timeline(i18n.SV)
			tl.Today = c.today
			svg, err := tl.SVG()
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(string(svg), "I dag"); got != c.want {
				t.Errorf("today line shown = %v, want %v", got, c.want)
			}
		})
	}
}

func TestTimeline_PlacesBarsByDate(t *testing.T) {
	t.Parallel()
	tl := Timeline{Year: 2027, Bars: []Bar{{Label: "Helår", Start: day(2027, time.January, 1), End: day(2027, time.December, 31)}}}
	svg, err := tl.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if want := `<rect x="230" y="46" width="474" height="18"`; !strings.Contains(string(svg), want) {
		t.Errorf("whole-year bar: want %s in\n%s", want, svg)
	}
	if strings.Contains(string(svg), "<path") {
		t.Error("a bar within the year has an arrow")
	}
}

func TestTimeline_RefusesBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		c    Timeline
	}{
		{"year 0", Timeline{Year: 0}},
		{"year 10000", Timeline{Year: 10000}},
		{"no start", Timeline{Year: 2027, Bars: []Bar{{Label: "a", End: day(2027, time.May, 1)}}}},
		{"end before start", Timeline{Year: 2027, Bars: []Bar{{Label: "a", Start: day(2027, time.May, 2), End: day(2027, time.May, 1)}}}},
		{"too many bars", Timeline{Year: 2027, Bars: make([]Bar, maxTimelineBars+1)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if _, err := c.c.SVG(); !errors.Is(err, ErrRange) {
				t.Errorf("err = %v, want ErrRange", err)
			}
		})
	}
}

func TestTimeline_EmptyShowsEmptyState(t *testing.T) {
	t.Parallel()
	for _, loc := range []i18n.Locale{i18n.SV, i18n.EN} {
		tl := Timeline{Title: "Tidsplan", Year: 2027, Locale: loc}
		svg, err := tl.SVG()
		if err != nil {
			t.Fatal(err)
		}
		wellFormed(t, svg)
		want := wordsFor(loc).empty
		if !strings.Contains(string(svg), want) || !strings.Contains(string(tl.Table().HTML()), want) {
			t.Errorf("%s: empty state lacks %q", loc, want)
		}
	}
}
