package chart

import (
	"errors"
	"fmt"
	"hash/fnv"
	"html"
	"html/template"
	"math"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// Errors that SVG returns, wrapped with the point or axis that caused them.
var (
	// ErrNotFinite means a value is NaN or infinite.
	ErrNotFinite = errors.New("value is not a finite number")
	// ErrOutOfRange means a value lies outside a fixed axis range.
	ErrOutOfRange = errors.New("value outside the axis range")
	// ErrRange means an axis range cannot be divided into ticks: inverted,
	// too wide for float64 or too narrow for its magnitude.
	ErrRange = errors.New("axis range cannot be divided into ticks")
)

// Colours of the charts, each with a contrast against white of at least
// 4.5:1 (text) or 3:1 (graphics), as WCAG 2.1 AA asks.
const (
	colorInk    = "#1b1b1b" // text and axes
	colorMuted  = "#4a4a4a" // quadrant labels, median line
	colorGrid   = "#767676" // grid and quadrant lines
	colorSeries = "#0b3d5c" // markers and the series line
	colorTarget = "#b00020" // target line and its label
	colorOnDark = "#ffffff" // numbers inside markers
)

// fontFamily is the layout's font stack, so the charts match the page.
const fontFamily = "system-ui, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"

// Axis is one axis of a chart: its title and, optionally, a fixed range.
// With Min < Max the range is fixed to [Min, Max] and a value outside it is
// an error; otherwise the range is computed from the data with clean ticks.
// Step sets the distance between ticks of a fixed range; zero chooses one.
type Axis struct {
	Title    string
	Min, Max float64
	Step     float64
}

func (a Axis) fixed() bool { return a.Min < a.Max }

// scale maps the values of an axis onto pixels.
type scale struct {
	lo, hi     float64   // the range of values
	from, to   float64   // the pixels of lo and hi
	ticks      []float64 // values with a tick and a grid line
	tickDigits int       // decimals that the tick labels need
}

func (s scale) px(v float64) float64 {
	return s.from + (v-s.lo)/(s.hi-s.lo)*(s.to-s.from)
}

// newScale computes the range and ticks of a, covering values when the range
// is not fixed. Values must be finite.
func newScale(a Axis, values []float64, from, to float64) (scale, error) {
	for _, f := range []float64{a.Min, a.Max, a.Step} {
		if !finite(f) {
			return scale{}, fmt.Errorf("axis %q: %w", a.Title, ErrNotFinite)
		}
	}
	s := scale{from: from, to: to}
	if a.fixed() {
		s.lo, s.hi = a.Min, a.Max
		step := a.Step
		if step <= 0 {
			t, err := Ticks(a.Min, a.Max, 5)
			if err != nil {
				return scale{}, fmt.Errorf("axis %q: %w", a.Title, err)
			}
			step = t[1] - t[0]
		}
		if (a.Max-a.Min)/step > maxTicks {
			return scale{}, fmt.Errorf("axis %q: step %g: %w", a.Title, step, ErrRange)
		}
		for i := 0; ; i++ {
			v := a.Min + float64(i)*step
			if v > a.Max+step*1e-9 {
				break
			}
			s.ticks = append(s.ticks, v)
		}
		s.tickDigits = digitsFor(step)
		for _, v := range values {
			if v < a.Min || v > a.Max {
				return scale{}, fmt.Errorf("axis %q: %g: %w [%g, %g]", a.Title, v, ErrOutOfRange, a.Min, a.Max)
			}
		}
		return s, nil
	}
	lo, hi := 0.0, 1.0
	if len(values) > 0 {
		lo, hi = values[0], values[0]
		for _, v := range values[1:] {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	t, err := Ticks(lo, hi, 5)
	if err != nil {
		return scale{}, fmt.Errorf("axis %q: %w", a.Title, err)
	}
	s.ticks, s.lo, s.hi = t, t[0], t[len(t)-1]
	s.tickDigits = digitsFor(t[1] - t[0])
	return s, nil
}

// maxTicks bounds the ticks of an axis, so a bad step cannot exhaust memory.
const maxTicks = 1000

// Ticks returns clean tick values, steps of 1, 2 or 5 × 10^n, that cover
// [lo, hi] with about n intervals (at least 2 and at most n + 3 values).
// The first tick is at or below lo and the last at or above hi. When lo
// equals hi the range is widened around it. It returns an error wrapping
// ErrNotFinite or ErrRange when the range cannot be divided.
func Ticks(lo, hi float64, n int) ([]float64, error) {
	if !finite(lo) || !finite(hi) {
		return nil, ErrNotFinite
	}
	if lo > hi {
		return nil, fmt.Errorf("%g > %g: %w", lo, hi, ErrRange)
	}
	n = max(1, min(n, 100))
	if lo == hi {
		pad := math.Abs(lo) * 0.1
		if pad == 0 {
			pad = 1
		}
		lo, hi = lo-pad, hi+pad
	}
	span := hi - lo
	raw := span / float64(n)
	if math.IsInf(span, 0) || raw < 1e-300 {
		return nil, fmt.Errorf("[%g, %g]: %w", lo, hi, ErrRange)
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if math.IsInf(step, 0) {
		return nil, fmt.Errorf("[%g, %g]: %w", lo, hi, ErrRange)
	}
	first, last := math.Floor(lo/step), math.Ceil(hi/step)
	// Beyond 2^53 consecutive multiples of step are no longer distinct floats.
	if math.Abs(first) > 1<<52 || math.Abs(last) > 1<<52 {
		return nil, fmt.Errorf("[%g, %g]: %w", lo, hi, ErrRange)
	}
	for first*step > lo {
		first--
	}
	for last*step < hi {
		last++
	}
	ticks := make([]float64, 0, int(last-first)+1)
	for k := first; k <= last; k++ {
		v := k * step
		if !finite(v) {
			return nil, fmt.Errorf("[%g, %g]: %w", lo, hi, ErrRange)
		}
		if len(ticks) > 0 && v <= ticks[len(ticks)-1] {
			return nil, fmt.Errorf("[%g, %g]: %w", lo, hi, ErrRange)
		}
		ticks = append(ticks, v)
	}
	return ticks, nil
}

// digitsFor returns the decimals that a tick label needs for step.
func digitsFor(step float64) int {
	if step <= 0 || step >= 1 {
		return 0
	}
	return min(15, int(math.Ceil(-math.Log10(step)-1e-9)))
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// formatValue is the default format of a data value: at most two decimals,
// with the locale's decimal mark and no trailing zeros.
func formatValue(loc i18n.Locale, v float64) string {
	return i18n.FormatDecimal(loc, math.Round(v*100)/100, -1)
}

// chartID returns id, or one derived from the title when id is empty.
func chartID(id, title string) string {
	if id != "" {
		return id
	}
	h := fnv.New32a()
	h.Write([]byte(title))
	return fmt.Sprintf("chart-%08x", h.Sum32())
}

// esc escapes s for XML text and attributes, replacing characters that XML
// does not allow with U+FFFD.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return html.EscapeString(s)
}

// num writes a coordinate with at most two decimals.
func num(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// svgWriter collects the markup of one chart.
type svgWriter struct{ strings.Builder }

func (w *svgWriter) f(format string, args ...any) { fmt.Fprintf(w, format, args...) }

// open writes the root element with its title and description.
func (w *svgWriter) open(id string, width, height int, title, desc string) {
	w.f(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="%s" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMidYMid meet" font-family="%s" font-size="14" fill="%s">`,
		esc(id), esc(id), esc(id), width, height, fontFamily, colorInk)
	w.f(`<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
}

// text writes a text element; attrs are written as they are.
func (w *svgWriter) text(x, y float64, attrs, s string) {
	w.f(`<text x="%s" y="%s"%s>%s</text>`, num(x), num(y), attrs, esc(s))
}

func (w *svgWriter) line(x1, y1, x2, y2 float64, attrs string) {
	w.f(`<line x1="%s" y1="%s" x2="%s" y2="%s"%s/>`, num(x1), num(y1), num(x2), num(y2), attrs)
}

// emptyH is the height of a chart without data: a low box with a message.
const emptyH = 120

// empty writes the empty state of a chart: its frame and a message.
func (w *svgWriter) empty(width, height int, msg string) {
	w.f(`<rect x="1" y="1" width="%d" height="%d" fill="none" stroke="%s"/>`, width-2, height-2, colorGrid)
	w.text(float64(width)/2, float64(height)/2, ` text-anchor="middle" font-size="18"`, msg)
}

func (w *svgWriter) html() template.HTML {
	w.WriteString(`</svg>`)
	return template.HTML(w.String()) // safe: every text in it went through esc
}

// Table is the data of a chart as rows, for a table beside it. The first
// column of Rows is a header for its row when RowHeader is set.
type Table struct {
	Caption   string
	Header    []string
	Rows      [][]string
	Foot      [][]string // summary rows, such as the median and the target
	RowHeader int        // the column that names the row (th scope=row)
	Empty     string     // the message for a table without rows
}

// HTML renders the table with th scope for headers, for a template.
func (t Table) HTML() template.HTML {
	var w strings.Builder
	w.WriteString(`<table class="chart-table">`)
	if t.Caption != "" {
		fmt.Fprintf(&w, `<caption>%s</caption>`, esc(t.Caption))
	}
	w.WriteString(`<thead><tr>`)
	for _, h := range t.Header {
		fmt.Fprintf(&w, `<th scope="col">%s</th>`, esc(h))
	}
	w.WriteString(`</tr></thead><tbody>`)
	if len(t.Rows) == 0 {
		fmt.Fprintf(&w, `<tr><td colspan="%d">%s</td></tr>`, max(1, len(t.Header)), esc(t.Empty))
	}
	for _, r := range t.Rows {
		t.row(&w, r)
	}
	w.WriteString(`</tbody>`)
	if len(t.Foot) > 0 {
		w.WriteString(`<tfoot>`)
		for _, r := range t.Foot {
			t.row(&w, r)
		}
		w.WriteString(`</tfoot>`)
	}
	w.WriteString(`</table>`)
	return template.HTML(w.String()) // safe: every text in it went through esc
}

func (t Table) row(w *strings.Builder, r []string) {
	w.WriteString(`<tr>`)
	for i, c := range r {
		if i == t.RowHeader {
			fmt.Fprintf(w, `<th scope="row">%s</th>`, esc(c))
		} else {
			fmt.Fprintf(w, `<td>%s</td>`, esc(c))
		}
	}
	w.WriteString(`</tr>`)
}

// words are the default texts of the charts per locale; every one can be
// replaced through a field of the chart.
type words struct {
	empty, number, label, count, quadrant, period, value, median, target, inTable string
}

func wordsFor(loc i18n.Locale) words {
	if l, _ := i18n.Parse(string(loc)); l == i18n.EN {
		return words{"No data to show", "No.", "Name", "Count", "Quadrant", "Period", "Value", "Median", "Target", "The values are in the table beside the chart."}
	}
	return words{"Inga data att visa", "Nr", "Namn", "Antal", "Kvadrant", "Period", "Värde", "Median", "Mål", "Värdena finns i tabellen bredvid diagrammet."}
}

func or(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
