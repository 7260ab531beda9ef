package chart

import (
	"fmt"
	"html/template"
	"math"
	"slices"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// RunPoint is one value of a run chart, with the label of its period (a date
// or a period such as "2026-03", already in the locale's form).
type RunPoint struct {
	Label string
	Value float64
}

// RunChart is a run chart: values in order of time joined by a line, with
// the median of the values and a target as optional horizontal lines. Each
// line is told apart by its dash pattern and a label at its end, not only by
// colour.
type RunChart struct {
	ID     string // the id of the svg element; empty derives one from Title
	Title  string
	Desc   string // empty gives a description with the range, median and target
	X      string // the title of the time axis
	Y      Axis   // the value axis; its range is computed unless fixed
	Points []RunPoint
	Median bool     // draw the median of the values
	Target *float64 // draw a target line at this value
	Locale i18n.Locale
	// Format formats a data value; nil gives at most two decimals in the
	// locale's format.
	Format func(float64) string
	// Texts that default to the locale's words.
	MedianText, TargetText, EmptyText string
}

// Layout of the run chart in viewBox units; the right margin holds the
// labels of the median and target lines.
const (
	rcW, rcH                         = 720, 420
	rcLeft, rcRight, rcTop, rcBottom = 72, 590, 20, 340
	// rcLabelGap is the least distance between two labelled x ticks.
	rcLabelGap = 72.0
)

func (c RunChart) format(v float64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return formatValue(c.Locale, v)
}

// Validate reports a value or target that is not finite.
func (c RunChart) Validate() error {
	for i, p := range c.Points {
		if !finite(p.Value) {
			return fmt.Errorf("chart: point %d (%q): %w", i+1, p.Label, ErrNotFinite)
		}
	}
	if c.Target != nil && !finite(*c.Target) {
		return fmt.Errorf("chart: target: %w", ErrNotFinite)
	}
	return nil
}

// MedianValue returns the median of the values, and false when there are none.
func (c RunChart) MedianValue() (float64, bool) {
	if len(c.Points) == 0 {
		return 0, false
	}
	v := make([]float64, len(c.Points))
	for i, p := range c.Points {
		v[i] = p.Value
	}
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2], true
	}
	return v[n/2-1]/2 + v[n/2]/2, true
}

// SVG returns the chart as an inline svg element.
func (c RunChart) SVG() (template.HTML, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	wd := wordsFor(c.Locale)
	id := chartID(c.ID, c.Title)
	var w svgWriter
	if len(c.Points) == 0 {
		w.open(id, rcW, emptyH, c.Title, or(c.Desc, or(c.EmptyText, wd.empty)))
		w.empty(rcW, emptyH, or(c.EmptyText, wd.empty))
		return w.html(), nil
	}
	values := make([]float64, 0, len(c.Points)+1)
	for _, p := range c.Points {
		values = append(values, p.Value)
	}
	if c.Target != nil {
		values = append(values, *c.Target)
	}
	sy, err := newScale(c.Y, values, rcBottom, rcTop)
	if err != nil {
		return "", fmt.Errorf("chart: %w", err)
	}
	w.open(id, rcW, rcH, c.Title, c.desc(wd, sy))
	xs := c.xs()
	c.drawAxes(&w, sy, xs)
	c.drawLines(&w, wd, sy)
	w.f(`<g aria-hidden="true">`)
	pts := make([]byte, 0, 16*len(xs))
	for i, p := range c.Points {
		pts = fmt.Appendf(pts, "%s,%s ", num(xs[i]), num(sy.px(p.Value)))
	}
	w.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, string(pts[:len(pts)-1]), colorSeries)
	for i, p := range c.Points {
		w.f(`<circle cx="%s" cy="%s" r="4" fill="%s" stroke="%s"/>`, num(xs[i]), num(sy.px(p.Value)), colorSeries, colorOnDark)
	}
	w.f(`</g>`)
	return w.html(), nil
}

func (c RunChart) desc(wd words, sy scale) string {
	if c.Desc != "" {
		return c.Desc
	}
	d := fmt.Sprintf("%s: %s–%s. %s: %s–%s.", c.X, c.Points[0].Label, c.Points[len(c.Points)-1].Label,
		c.Y.Title, c.format(sy.lo), c.format(sy.hi))
	if m, ok := c.MedianValue(); ok && c.Median {
		d += fmt.Sprintf(" %s: %s.", or(c.MedianText, wd.median), c.format(m))
	}
	if c.Target != nil {
		d += fmt.Sprintf(" %s: %s.", or(c.TargetText, wd.target), c.format(*c.Target))
	}
	return d + " " + wd.inTable
}

// xs spaces the points evenly along the time axis.
func (c RunChart) xs() []float64 {
	n := len(c.Points)
	xs := make([]float64, n)
	for i := range xs {
		if n == 1 {
			xs[i] = (rcLeft + rcRight) / 2
			continue
		}
		xs[i] = rcLeft + 12 + float64(i)*(rcRight-rcLeft-24)/float64(n-1)
	}
	return xs
}

func (c RunChart) drawAxes(w *svgWriter, sy scale, xs []float64) {
	w.f(`<g aria-hidden="true">`)
	for _, t := range sy.ticks {
		y := sy.px(t)
		w.line(rcLeft, y, rcRight, y, ` stroke="`+colorGrid+`" stroke-dasharray="2 4"`)
		w.text(rcLeft-10, y+5, ` text-anchor="end"`, i18n.FormatDecimal(c.Locale, t, sy.tickDigits))
	}
	// Label every k-th period, so the labels never overlap.
	k := 1
	if len(xs) > 1 {
		k = max(1, int(math.Ceil(rcLabelGap/(xs[1]-xs[0]))))
	}
	for i := 0; i < len(xs); i += k {
		w.line(xs[i], rcBottom, xs[i], rcBottom+6, ` stroke="`+colorInk+`"`)
		w.text(xs[i], rcBottom+24, ` text-anchor="middle" font-size="13"`, c.Points[i].Label)
	}
	w.line(rcLeft, rcBottom, rcRight, rcBottom, ` stroke="`+colorInk+`" stroke-width="1.5"`)
	w.line(rcLeft, rcBottom, rcLeft, rcTop, ` stroke="`+colorInk+`" stroke-width="1.5"`)
	w.text((rcLeft+rcRight)/2, rcBottom+60, ` text-anchor="middle" font-size="16" font-weight="bold"`, c.X)
	w.f(`<text x="0" y="0" transform="translate(20 %s) rotate(-90)" text-anchor="middle" font-size="16" font-weight="bold">%s</text>`,
		num((rcTop+rcBottom)/2), esc(c.Y.Title))
	w.f(`</g>`)
}

// drawLines draws the median and target lines with a label at the right end
// of each, moving the lower label down when the two would overlap.
func (c RunChart) drawLines(w *svgWriter, wd words, sy scale) {
	type hline struct {
		y           float64
		label, dash string
		color       string
	}
	var lines []hline
	if m, ok := c.MedianValue(); ok && c.Median {
		lines = append(lines, hline{sy.px(m), or(c.MedianText, wd.median) + " " + c.format(m), "10 5", colorMuted})
	}
	if c.Target != nil {
		lines = append(lines, hline{sy.px(*c.Target), or(c.TargetText, wd.target) + " " + c.format(*c.Target), "3 3", colorTarget})
	}
	if len(lines) == 0 {
		return
	}
	labelY := make([]float64, len(lines))
	for i, l := range lines {
		labelY[i] = l.y + 5
	}
	if len(lines) == 2 && math.Abs(labelY[0]-labelY[1]) < 18 {
		upper, lower := 0, 1
		if labelY[1] < labelY[0] {
			upper, lower = 1, 0
		}
		labelY[lower] = labelY[upper] + 18
	}
	w.f(`<g aria-hidden="true">`)
	for i, l := range lines {
		w.line(rcLeft, l.y, rcRight, l.y, ` stroke="`+l.color+`" stroke-width="2" stroke-dasharray="`+l.dash+`"`)
		w.text(rcRight+8, labelY[i], ` fill="`+l.color+`" font-size="14"`, l.label)
	}
	w.f(`</g>`)
}

// Table returns the values as rows of period and value, with the median and
// the target as summary rows.
func (c RunChart) Table() Table {
	wd := wordsFor(c.Locale)
	t := Table{Caption: c.Title, Header: []string{or(c.X, wd.period), or(c.Y.Title, wd.value)}, Empty: or(c.EmptyText, wd.empty)}
	for _, p := range c.Points {
		t.Rows = append(t.Rows, []string{p.Label, c.format(p.Value)})
	}
	if m, ok := c.MedianValue(); ok && c.Median {
		t.Foot = append(t.Foot, []string{or(c.MedianText, wd.median), c.format(m)})
	}
	if c.Target != nil {
		t.Foot = append(t.Foot, []string{or(c.TargetText, wd.target), c.format(*c.Target)})
	}
	return t
}
