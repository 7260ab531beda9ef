package chart

import (
	"fmt"
	"html/template"
	"math"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// Point is one item of a scatter chart, such as a candidate of a
// prioritisation round with its mean importance and feasibility.
type Point struct {
	Label string
	X, Y  float64
	Count int // how many values the point summarises, such as ratings; 0 hides it
}

// Quadrants divides a scatter chart with a vertical line at X and a
// horizontal line at Y, and names the four parts. A point on a line belongs
// to the upper or right part.
type Quadrants struct {
	X, Y                                       float64
	TopLeft, TopRight, BottomLeft, BottomRight string
}

// Scatter is a scatter chart with numbered markers. Each marker carries the
// number of its point (its place in Points, from 1), which the table shows
// beside the label, so points stay apart even where they coincide: markers
// closer than their size are spread on a small ring around the first of
// them, with a thin line to the exact place, which is in the table.
type Scatter struct {
	ID        string // the id of the svg element; empty derives one from Title
	Title     string
	Desc      string // empty gives a description of the axes
	X, Y      Axis
	Points    []Point
	Quadrants *Quadrants
	Locale    i18n.Locale
	// Format formats a data value; nil gives at most two decimals in the
	// locale's format.
	Format func(float64) string
	// Texts that default to the locale's words.
	CountTitle, EmptyText string
}

// Layout of the scatter chart in viewBox units.
const (
	scW, scH                         = 720, 540
	scLeft, scRight, scTop, scBottom = 84, 700, 20, 460
	markerR                          = 12.0
)

func (s Scatter) format(v float64) string {
	if s.Format != nil {
		return s.Format(v)
	}
	return formatValue(s.Locale, v)
}

// Validate reports a point, axis or quadrant value that is not finite.
func (s Scatter) Validate() error {
	for i, p := range s.Points {
		if !finite(p.X) || !finite(p.Y) {
			return fmt.Errorf("chart: point %d (%q): %w", i+1, p.Label, ErrNotFinite)
		}
	}
	if q := s.Quadrants; q != nil && (!finite(q.X) || !finite(q.Y)) {
		return fmt.Errorf("chart: quadrants: %w", ErrNotFinite)
	}
	return nil
}

// SVG returns the chart as an inline svg element.
func (s Scatter) SVG() (template.HTML, error) {
	if err := s.Validate(); err != nil {
		return "", err
	}
	wd := wordsFor(s.Locale)
	id := chartID(s.ID, s.Title)
	var w svgWriter
	if len(s.Points) == 0 {
		w.open(id, scW, emptyH, s.Title, or(s.Desc, or(s.EmptyText, wd.empty)))
		w.empty(scW, emptyH, or(s.EmptyText, wd.empty))
		return w.html(), nil
	}
	xs, ys := make([]float64, len(s.Points)), make([]float64, len(s.Points))
	for i, p := range s.Points {
		xs[i], ys[i] = p.X, p.Y
	}
	if q := s.Quadrants; q != nil {
		xs, ys = append(xs, q.X), append(ys, q.Y)
	}
	sx, err := newScale(s.X, xs, scLeft, scRight)
	if err != nil {
		return "", fmt.Errorf("chart: %w", err)
	}
	sy, err := newScale(s.Y, ys, scBottom, scTop)
	if err != nil {
		return "", fmt.Errorf("chart: %w", err)
	}
	desc := s.Desc
	if desc == "" {
		desc = fmt.Sprintf("%s: %s–%s. %s: %s–%s. %s", s.X.Title, s.format(sx.lo), s.format(sx.hi),
			s.Y.Title, s.format(sy.lo), s.format(sy.hi), wd.inTable)
	}
	w.open(id, scW, scH, s.Title, desc)
	drawAxes(&w, s.Locale, sx, sy, s.X.Title, s.Y.Title)
	if q := s.Quadrants; q != nil {
		s.drawQuadrants(&w, sx, sy)
	}
	s.drawMarkers(&w, sx, sy)
	return w.html(), nil
}

// drawAxes draws the grid, the ticks with their labels and the axis titles.
func drawAxes(w *svgWriter, loc i18n.Locale, sx, sy scale, xTitle, yTitle string) {
	w.f(`<g aria-hidden="true">`)
	for _, t := range sx.ticks {
		x := sx.px(t)
		w.line(x, sy.from, x, sy.to, ` stroke="`+colorGrid+`" stroke-dasharray="2 4"`)
		w.text(x, sy.from+22, ` text-anchor="middle"`, i18n.FormatDecimal(loc, t, sx.tickDigits))
	}
	for _, t := range sy.ticks {
		y := sy.px(t)
		w.line(sx.from, y, sx.to, y, ` stroke="`+colorGrid+`" stroke-dasharray="2 4"`)
		w.text(sx.from-10, y+5, ` text-anchor="end"`, i18n.FormatDecimal(loc, t, sy.tickDigits))
	}
	w.line(sx.from, sy.from, sx.to, sy.from, ` stroke="`+colorInk+`" stroke-width="1.5"`)
	w.line(sx.from, sy.from, sx.from, sy.to, ` stroke="`+colorInk+`" stroke-width="1.5"`)
	w.text((sx.from+sx.to)/2, sy.from+54, ` text-anchor="middle" font-size="16" font-weight="bold"`, xTitle)
	cy := (sy.from + sy.to) / 2
	w.f(`<text x="0" y="0" transform="translate(20 %s) rotate(-90)" text-anchor="middle" font-size="16" font-weight="bold">%s</text>`, num(cy), esc(yTitle))
	w.f(`</g>`)
}

func (s Scatter) drawQuadrants(w *svgWriter, sx, sy scale) {
	q := s.Quadrants
	x, y := sx.px(q.X), sy.px(q.Y)
	w.f(`<g aria-hidden="true">`)
	w.line(x, sy.from, x, sy.to, ` stroke="`+colorInk+`" stroke-width="1.5" stroke-dasharray="8 4"`)
	w.line(sx.from, y, sx.to, y, ` stroke="`+colorInk+`" stroke-width="1.5" stroke-dasharray="8 4"`)
	attrs := ` fill="` + colorMuted + `" font-style="italic"`
	w.text(sx.from+8, sy.to+18, attrs, q.TopLeft)
	w.text(sx.to-8, sy.to+18, attrs+` text-anchor="end"`, q.TopRight)
	w.text(sx.from+8, sy.from-10, attrs, q.BottomLeft)
	w.text(sx.to-8, sy.from-10, attrs+` text-anchor="end"`, q.BottomRight)
	w.f(`</g>`)
}

// placed is a marker's exact place and where it is drawn.
type placed struct{ x, y, dx, dy float64 }

// place spreads markers that would overlap on a ring around the first marker
// of their group, in the order of the points.
func place(xs, ys []float64) []placed {
	out := make([]placed, len(xs))
	var groups [][]int
	for i := range xs {
		out[i] = placed{xs[i], ys[i], xs[i], ys[i]}
		joined := false
		for g, members := range groups {
			a := members[0]
			if math.Hypot(xs[i]-xs[a], ys[i]-ys[a]) < 2*markerR {
				groups[g] = append(members, i)
				joined = true
				break
			}
		}
		if !joined {
			groups = append(groups, []int{i})
		}
	}
	for _, members := range groups {
		n := len(members)
		if n == 1 {
			continue
		}
		cx, cy := xs[members[0]], ys[members[0]]
		r := math.Max(markerR+1, (markerR+1)/math.Sin(math.Pi/float64(n)))
		for k, i := range members {
			a := 2*math.Pi*float64(k)/float64(n) - math.Pi/2
			out[i].dx, out[i].dy = cx+r*math.Cos(a), cy+r*math.Sin(a)
		}
	}
	return out
}

func (s Scatter) drawMarkers(w *svgWriter, sx, sy scale) {
	xs, ys := make([]float64, len(s.Points)), make([]float64, len(s.Points))
	for i, p := range s.Points {
		xs[i], ys[i] = sx.px(p.X), sy.px(p.Y)
	}
	w.f(`<g aria-hidden="true">`)
	pl := place(xs, ys)
	for _, p := range pl {
		if p.dx != p.x || p.dy != p.y {
			w.line(p.x, p.y, p.dx, p.dy, ` stroke="`+colorSeries+`"`)
			w.f(`<circle cx="%s" cy="%s" r="2.5" fill="%s"/>`, num(p.x), num(p.y), colorSeries)
		}
	}
	for i, p := range pl {
		n := strconv.Itoa(i + 1)
		size := "12"
		if len(n) > 2 {
			size = "10"
		}
		w.f(`<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="1.5"/>`,
			num(p.dx), num(p.dy), num(markerR), colorSeries, colorOnDark)
		w.text(p.dx, p.dy+4, ` text-anchor="middle" font-size="`+size+`" font-weight="bold" fill="`+colorOnDark+`"`, n)
	}
	w.f(`</g>`)
}

// Table returns the points as rows: number, label, x, y, the count when any
// point has one, and the quadrant when the chart has quadrants.
func (s Scatter) Table() Table {
	wd := wordsFor(s.Locale)
	t := Table{Caption: s.Title, RowHeader: 1, Empty: or(s.EmptyText, wd.empty)}
	t.Header = []string{wd.number, wd.label, or(s.X.Title, "x"), or(s.Y.Title, "y")}
	counts := false
	for _, p := range s.Points {
		counts = counts || p.Count != 0
	}
	if counts {
		t.Header = append(t.Header, or(s.CountTitle, wd.count))
	}
	if s.Quadrants != nil {
		t.Header = append(t.Header, wd.quadrant)
	}
	for i, p := range s.Points {
		r := []string{strconv.Itoa(i + 1), p.Label, s.format(p.X), s.format(p.Y)}
		if counts {
			r = append(r, i18n.FormatInt(s.Locale, int64(p.Count)))
		}
		if q := s.Quadrants; q != nil {
			r = append(r, q.of(p))
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

// of returns the name of the part that p lies in.
func (q Quadrants) of(p Point) string {
	switch {
	case p.Y >= q.Y && p.X >= q.X:
		return q.TopRight
	case p.Y >= q.Y:
		return q.TopLeft
	case p.X >= q.X:
		return q.BottomRight
	}
	return q.BottomLeft
}
