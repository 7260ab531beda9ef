package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func ptrTo[T any](v T) *T { return &v }

// matrix is an importance × feasibility matrix like a prioritisation round's,
// with two candidates on the same place and one with every special character.
func matrix(loc i18n.Locale) Scatter {
	return Scatter{
		ID:    "matris",
		Title: "Viktighet och genomförbarhet 2027",
		X:     Axis{Title: "Genomförbarhet", Min: 1, Max: 5, Step: 1},
		Y:     Axis{Title: "Viktighet", Min: 1, Max: 5, Step: 1},
		Points: []Point{
			{Label: "Hjärtsvikt", X: 4.25, Y: 4.5, Count: 12},
			{Label: "KOL", X: 2.5, Y: 4.1, Count: 9},
			{Label: "Demens", X: 2.5, Y: 4.1, Count: 11},
			{Label: "Höftledsartros <vårdförlopp> & \"Q&A\"", X: 3.9, Y: 2.2, Count: 8},
			{Label: "Depression", X: 1.5, Y: 1.75, Count: 10},
			{Label: "Astma", X: 2.55, Y: 4.15, Count: 7},
		},
		Quadrants: &Quadrants{X: 3, Y: 3,
			TopLeft: "Viktig, svår", TopRight: "Gör först", BottomLeft: "Avvakta", BottomRight: "Lätt, mindre viktig"},
		Locale: loc,
	}
}

func runChart(loc i18n.Locale) RunChart {
	c := RunChart{
		ID:     "serie",
		Title:  "Andel med uppföljning inom 14 dagar",
		X:      "Månad",
		Y:      Axis{Title: "Andel (%)"},
		Median: true,
		Target: ptrTo(80.0),
		Locale: loc,
	}
	values := []float64{61.5, 64.2, 58.9, 66.1, 63.3, 65, 62.8, 70.4, 72.25, 74.1, 73.6, 75.9, 77.2, 76.8}
	for i, v := range values {
		c.Points = append(c.Points, RunPoint{Label: "2026-" + pad(i%12+1), Value: v})
	}
	return c
}

func pad(m int) string {
	if m < 10 {
		return "0" + strconv.Itoa(m)
	}
	return strconv.Itoa(m)
}

// wellFormed fails the test unless s is well-formed XML.
func wellFormed(t *testing.T, s template.HTML) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(s)))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("svg is not well-formed XML: %v\n%s", err, s)
		}
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got), run go test -update if intended:\n%s", name, diff)
	}
}

type chart interface {
	SVG() (template.HTML, error)
}

func TestCharts_MatchGoldenFiles(t *testing.T) {
	t.Parallel()
	emptyRun := runChart(i18n.SV)
	emptyRun.Points = nil
	emptyScatter := matrix(i18n.EN)
	emptyScatter.Points = nil
	cases := []struct {
		name  string
		chart chart
		table Table
	}{
		{"matrix_sv", matrix(i18n.SV), matrix(i18n.SV).Table()},
		{"matrix_en", matrix(i18n.EN), matrix(i18n.EN).Table()},
		{"run_sv", runChart(i18n.SV), runChart(i18n.SV).Table()},
		{"run_empty_sv", emptyRun, emptyRun.Table()},
		{"matrix_empty_en", emptyScatter, emptyScatter.Table()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			svg, err := c.chart.SVG()
			if err != nil {
				t.Fatal(err)
			}
			wellFormed(t, svg)
			again, _ := c.chart.SVG()
			if again != svg {
				t.Error("two renderings differ")
			}
			var b bytes.Buffer
			b.WriteString(string(svg))
			b.WriteString("\n")
			b.WriteString(string(c.table.HTML()))
			b.WriteString("\n")
			golden(t, c.name+".html", b.Bytes())
		})
	}
}

func TestSVG_IsAccessibleAndSelfContained(t *testing.T) {
	t.Parallel()
	for _, c := range []chart{matrix(i18n.SV), runChart(i18n.SV)} {
		svg, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		s := string(svg)
		for _, want := range []string{`role="img"`, `<title id="`, `<desc id="`, `aria-labelledby="`, `viewBox="0 0 `, `width="100%"`} {
			if !strings.Contains(s, want) {
				t.Errorf("svg lacks %s", want)
			}
		}
		for _, bad := range []string{"<script", "href", "url(", "<style", "@import", "NaN"} {
			if strings.Contains(s, bad) {
				t.Errorf("svg contains %s", bad)
			}
		}
	}
}

func TestSVG_EscapesLabels(t *testing.T) {
	t.Parallel()
	nasty := `<script>alert("x")</script> & 'y' ` + "\x00\x1b"
	s := Scatter{Title: nasty, X: Axis{Title: nasty}, Y: Axis{Title: nasty},
		Points:    []Point{{Label: nasty, X: 1, Y: 2}},
		Quadrants: &Quadrants{X: 1, Y: 2, TopLeft: nasty, TopRight: nasty, BottomLeft: nasty, BottomRight: nasty}}
	r := RunChart{Title: nasty, X: nasty, Y: Axis{Title: nasty}, Points: []RunPoint{{Label: nasty, Value: 1}},
		Median: true, MedianText: nasty, Target: ptrTo(2.0), TargetText: nasty}
	for _, c := range []chart{s, r} {
		svg, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		wellFormed(t, svg)
		if strings.Contains(string(svg), "<script") || strings.Contains(string(svg), `"x"`) {
			t.Errorf("label not escaped:\n%s", svg)
		}
	}
	for _, tb := range []Table{s.Table(), r.Table()} {
		h := string(tb.HTML())
		if strings.Contains(h, "<script") || !strings.Contains(h, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;y&#39;") {
			t.Errorf("table not escaped:\n%s", h)
		}
	}
}

func TestSVG_RefusesValuesThatAreNotFinite(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name string
		c    chart
	}{
		{"scatter x NaN", Scatter{Points: []Point{{X: nan, Y: 1}}}},
		{"scatter y -Inf", Scatter{Points: []Point{{X: 1, Y: -inf}}}},
		{"quadrant Inf", Scatter{Points: []Point{{X: 1, Y: 1}}, Quadrants: &Quadrants{X: inf}}},
		{"axis NaN", Scatter{X: Axis{Min: nan, Max: 5}, Points: []Point{{X: 1, Y: 1}}}},
		{"run NaN", RunChart{Points: []RunPoint{{Label: "a", Value: 1}, {Label: "b", Value: nan}}}},
		{"target Inf", RunChart{Points: []RunPoint{{Label: "a", Value: 1}}, Target: ptrTo(inf)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if _, err := c.c.SVG(); !errors.Is(err, ErrNotFinite) {
				t.Errorf("err = %v, want ErrNotFinite", err)
			}
		})
	}
}

func TestSVG_RefusesPointOutsideFixedRange(t *testing.T) {
	t.Parallel()
	s := matrix(i18n.SV)
	s.Points = append(s.Points, Point{Label: "Utanför", X: 5.5, Y: 3})
	if _, err := s.SVG(); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("err = %v, want ErrOutOfRange", err)
	}
}

func TestEmptyChart_ShowsEmptyState(t *testing.T) {
	t.Parallel()
	for _, loc := range []i18n.Locale{i18n.SV, i18n.EN} {
		want := wordsFor(loc).empty
		for _, c := range []interface {
			chart
			Table() Table
		}{Scatter{Title: "Matris", Locale: loc}, RunChart{Title: "Serie", Locale: loc}} {
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			wellFormed(t, svg)
			if !strings.Contains(string(svg), want) {
				t.Errorf("%s: svg lacks %q:\n%s", loc, want, svg)
			}
			if h := string(c.Table().HTML()); !strings.Contains(h, want) {
				t.Errorf("%s: table lacks %q:\n%s", loc, want, h)
			}
		}
	}
}

func TestTable_FormatsNumbersForLocale(t *testing.T) {
	t.Parallel()
	sv, en := matrix(i18n.SV).Table(), matrix(i18n.EN).Table()
	if diff := cmp.Diff([]string{"1", "Hjärtsvikt", "4,25", "4,5", "12", "Gör först"}, sv.Rows[0]); diff != "" {
		t.Errorf("Swedish row (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1", "Hjärtsvikt", "4.25", "4.5", "12", "Gör först"}, en.Rows[0]); diff != "" {
		t.Errorf("English row (-want +got):\n%s", diff)
	}
	r := runChart(i18n.SV).Table()
	if diff := cmp.Diff([][]string{{"Median", "68,25"}, {"Mål", "80"}}, r.Foot); diff != "" {
		t.Errorf("run chart summary (-want +got):\n%s", diff)
	}
	c := runChart(i18n.SV)
	c.Format = func(v float64) string { return i18n.FormatDecimal(i18n.SV, v, 1) + " %" }
	if got := c.Table().Rows[0][1]; got != "61,5 %" {
		t.Errorf("custom format: %q", got)
	}
}

func TestTable_QuadrantOfPointOnLineIsUpperOrRight(t *testing.T) {
	t.Parallel()
	q := Quadrants{X: 3, Y: 3, TopLeft: "TL", TopRight: "TR", BottomLeft: "BL", BottomRight: "BR"}
	cases := []struct {
		x, y float64
		want string
	}{{3, 3, "TR"}, {2.9, 3, "TL"}, {3, 2.9, "BR"}, {1, 1, "BL"}, {5, 5, "TR"}}
	for _, c := range cases {
		if got := q.of(Point{X: c.x, Y: c.y}); got != c.want {
			t.Errorf("(%g, %g): %s, want %s", c.x, c.y, got, c.want)
		}
	}
}

func TestPlace_SpreadsOverlappingMarkers(t *testing.T) {
	t.Parallel()
	xs := []float64{100, 100, 105, 300, 100}
	ys := []float64{100, 100, 98, 300, 100}
	pl := place(xs, ys)
	if pl[3].dx != 300 || pl[3].dy != 300 {
		t.Errorf("a lone marker moved: %+v", pl[3])
	}
	for i := range pl {
		for j := i + 1; j < len(pl); j++ {
			if d := math.Hypot(pl[i].dx-pl[j].dx, pl[i].dy-pl[j].dy); d < 2*markerR {
				t.Errorf("markers %d and %d overlap: %.1f apart", i+1, j+1, d)
			}
		}
	}
}

func TestTicks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 10, 5, []float64{0, 2, 4, 6, 8, 10}},
		{1, 5, 4, []float64{1, 2, 3, 4, 5}},
		{58.9, 80, 5, []float64{55, 60, 65, 70, 75, 80}},
		{0.12, 0.97, 5, []float64{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}},
		{-3, 7, 5, []float64{-4, -2, 0, 2, 4, 6, 8}},
		{5, 5, 5, []float64{4.4, 4.6000000000000005, 4.800000000000001, 5, 5.2, 5.4, 5.6000000000000005}},
		{0, 0, 5, []float64{-1, -0.5, 0, 0.5, 1}},
		{0, 1234, 5, []float64{0, 500, 1000, 1500}},
	}
	for _, c := range cases {
		got, err := Ticks(c.lo, c.hi, c.n)
		if err != nil {
			t.Errorf("Ticks(%g, %g, %d): %v", c.lo, c.hi, c.n, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("Ticks(%g, %g, %d) (-want +got):\n%s", c.lo, c.hi, c.n, diff)
		}
	}
	for _, bad := range [][2]float64{{2, 1}, {math.NaN(), 1}, {0, math.Inf(1)}, {-math.MaxFloat64, math.MaxFloat64}, {1e300, 1e300 + 1e285}} {
		if _, err := Ticks(bad[0], bad[1], 5); err == nil {
			t.Errorf("Ticks(%g, %g): no error", bad[0], bad[1])
		}
	}
}

func TestDigitsFor(t *testing.T) {
	t.Parallel()
	for step, want := range map[float64]int{1: 0, 5: 0, 0.5: 1, 0.2: 1, 0.1: 1, 0.05: 2, 0.001: 3, 100: 0} {
		if got := digitsFor(step); got != want {
			t.Errorf("digitsFor(%g) = %d, want %d", step, got, want)
		}
	}
}

// contrast returns the WCAG contrast ratio of the colour #rrggbb against white.
func contrast(t *testing.T, hex string) float64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil {
		t.Fatal(err)
	}
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff)
	return 1.05 / (l + 0.05)
}

func TestColours_HaveEnoughContrastAgainstWhite(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, color string
		min         float64
	}{
		{"text", colorInk, 4.5},
		{"quadrant and median labels", colorMuted, 4.5},
		{"target label", colorTarget, 4.5},
		{"grid", colorGrid, 3},
		{"markers and series", colorSeries, 4.5}, // the markers also hold white numbers
	}
	for _, c := range cases {
		if r := contrast(t, c.color); r < c.min {
			t.Errorf("%s %s: contrast %.2f, want ≥ %.1f", c.name, c.color, r, c.min)
		}
	}
}

func TestRunChart_LongSeriesLabelsEveryFewPeriods(t *testing.T) {
	t.Parallel()
	c := RunChart{Title: "Tio år", X: "Månad", Y: Axis{Title: "Antal", Min: 0, Max: 200}}
	for i := range 120 {
		c.Points = append(c.Points, RunPoint{Label: "p" + strconv.Itoa(i), Value: float64(i)})
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, svg)
	labels := strings.Count(string(svg), `font-size="13"`)
	if labels < 5 || labels > 10 {
		t.Errorf("%d period labels on a 120-point chart, want 5–10", labels)
	}
	if n := strings.Count(string(svg), "<circle"); n != 120 {
		t.Errorf("%d point markers, want 120", n)
	}
}
