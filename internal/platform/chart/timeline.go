package chart

import (
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// Bar is one row of a timeline, such as a knowledge support planned for
// introduction or an action of an action plan: a label, the first and the
// last day, an optional status in words and whether it is late.
type Bar struct {
	Label string
	Start date.Date
	End   date.Date // the last day; zero has no planned end and runs to the end of the year
	// Status is the row's status in words, shown in the table; empty hides it.
	Status string
	// Late draws the bar in the warning style, with the late text after its
	// label, so it is not told apart by colour alone.
	Late bool
	// Milestone draws the row as a diamond at its last day (a dated point
	// such as a milestone of an action plan) instead of a bar.
	Milestone bool
}

// Timeline is a chart of bars from a start to an end date over the months of
// one year, with a grid and a label per month and a line at today. Bars that
// begin before the year or end after it are cut at its edges, with an arrow
// at the cut end; the exact dates are in the table.
type Timeline struct {
	ID    string // the id of the svg element; empty derives one from Title
	Title string
	Desc  string // empty gives a description of the year and the rows
	Year  int
	Bars  []Bar
	// Today draws a line at that day when it lies in the year; zero draws none.
	Today  date.Date
	Locale i18n.Locale
	// Texts that default to the locale's words.
	LabelTitle, StartTitle, EndTitle, StatusTitle, LateText, TodayText, EmptyText string
}

// Layout of the timeline in viewBox units: the labels on the left, the
// months to the right, one row per bar.
const (
	tlW                 = 720
	tlLeft, tlRight     = 230, 704
	tlTop               = 40 // below the month labels
	tlRow               = 30
	tlBar               = 18
	tlBottom            = 36 // room below the rows for the today label
	tlLabelRunes        = 28 // longer labels are cut in the chart, whole in the table
	maxTimelineBars     = 1000
	minYear, maxYearNum = 1, 9999
)

// timelineWords are the default texts of a timeline per locale.
type timelineWords struct {
	label, start, end, status, late, today, noEnd string
	months                                        [12]string
	rows                                          func(n int) string
}

func timelineWordsFor(loc i18n.Locale) timelineWords {
	if l, _ := i18n.Parse(string(loc)); l == i18n.EN {
		return timelineWords{"Name", "Start", "End", "Status", "late", "Today", "no end",
			[12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
			func(n int) string {
				if n == 1 {
					return "1 row"
				}
				return fmt.Sprintf("%d rows", n)
			}}
	}
	return timelineWords{"Namn", "Start", "Slut", "Status", "försenad", "I dag", "inget slut",
		[12]string{"jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"},
		func(n int) string {
			if n == 1 {
				return "1 rad"
			}
			return fmt.Sprintf("%d rader", n)
		}}
}

// Validate reports a year outside 1–9999, too many bars, a bar without a
// start or one that ends before it starts.
func (c Timeline) Validate() error {
	if c.Year < minYear || c.Year > maxYearNum {
		return fmt.Errorf("chart: year %d: %w", c.Year, ErrRange)
	}
	if len(c.Bars) > maxTimelineBars {
		return fmt.Errorf("chart: %d bars, at most %d: %w", len(c.Bars), maxTimelineBars, ErrRange)
	}
	for i, b := range c.Bars {
		if b.Start.IsZero() {
			return fmt.Errorf("chart: bar %d (%q): no start: %w", i+1, b.Label, ErrRange)
		}
		if !b.End.IsZero() && b.End.Before(b.Start) {
			return fmt.Errorf("chart: bar %d (%q): end %s before start %s: %w", i+1, b.Label, b.End, b.Start, ErrRange)
		}
	}
	return nil
}

// yearStart and yearEnd are the first day of the year and the first day of
// the next.
func (c Timeline) yearStart() time.Time {
	return time.Date(c.Year, time.January, 1, 0, 0, 0, 0, time.UTC)
}
func (c Timeline) yearEnd() time.Time {
	return time.Date(c.Year+1, time.January, 1, 0, 0, 0, 0, time.UTC)
}

// px places the start of day t on the x axis, clamped to the year.
func (c Timeline) px(t time.Time) float64 {
	from, to := c.yearStart(), c.yearEnd()
	switch {
	case t.Before(from):
		t = from
	case t.After(to):
		t = to
	}
	return tlLeft + t.Sub(from).Hours()/to.Sub(from).Hours()*(tlRight-tlLeft)
}

// SVG returns the chart as an inline svg element.
func (c Timeline) SVG() (template.HTML, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	wd, tw := wordsFor(c.Locale), timelineWordsFor(c.Locale)
	id := chartID(c.ID, c.Title)
	var w svgWriter
	if len(c.Bars) == 0 {
		w.open(id, tlW, emptyH, c.Title, or(c.Desc, or(c.EmptyText, wd.empty)))
		w.empty(tlW, emptyH, or(c.EmptyText, wd.empty))
		return w.html(), nil
	}
	height := tlTop + len(c.Bars)*tlRow + tlBottom
	desc := c.Desc
	if desc == "" {
		desc = fmt.Sprintf("%d: %s. %s", c.Year, tw.rows(len(c.Bars)), wd.inTable)
	}
	w.open(id, tlW, height, c.Title, desc)
	bottom := float64(tlTop + len(c.Bars)*tlRow)
	c.drawMonths(&w, tw, bottom)
	c.drawBars(&w, tw)
	c.drawToday(&w, tw, bottom)
	return w.html(), nil
}

// drawMonths draws a line at the start of each month, the month's name in
// the middle of it and the rows' baseline.
func (c Timeline) drawMonths(w *svgWriter, tw timelineWords, bottom float64) {
	w.f(`<g aria-hidden="true">`)
	for m := range 12 {
		from := time.Date(c.Year, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC)
		x, next := c.px(from), c.px(from.AddDate(0, 1, 0))
		w.line(x, tlTop-6, x, bottom, ` stroke="`+colorGrid+`" stroke-dasharray="2 4"`)
		w.text((x+next)/2, tlTop-14, ` text-anchor="middle" font-size="13"`, tw.months[m])
	}
	w.line(tlRight, tlTop-6, tlRight, bottom, ` stroke="`+colorGrid+`" stroke-dasharray="2 4"`)
	w.line(tlLeft, bottom, tlRight, bottom, ` stroke="`+colorInk+`" stroke-width="1.5"`)
	w.line(tlLeft, tlTop-6, tlLeft, bottom, ` stroke="`+colorInk+`" stroke-width="1.5"`)
	w.f(`</g>`)
}

// drawBars draws each row's label and bar; a bar cut at an edge of the year
// ends in an arrow there, and a late bar is drawn in the warning colour with
// a dashed outline and the late text after its label.
func (c Timeline) drawBars(w *svgWriter, tw timelineWords) {
	late := or(c.LateText, tw.late)
	w.f(`<g aria-hidden="true">`)
	for i, b := range c.Bars {
		top := float64(tlTop + i*tlRow + (tlRow-tlBar)/2)
		mid := top + tlBar/2
		label := cut(b.Label, tlLabelRunes)
		if b.Late {
			label = cut(b.Label, tlLabelRunes-utf8.RuneCountInString(late)-3) + " (" + late + ")"
		}
		attrs := ` text-anchor="end" font-size="13"`
		if b.Late {
			attrs += ` fill="` + colorTarget + `" font-weight="bold"`
		}
		w.text(tlLeft-12, mid+4, attrs, label)
		start := b.Start.Time()
		end := c.yearEnd()
		if !b.End.IsZero() {
			end = b.End.Time().AddDate(0, 0, 1)
		}
		if !end.After(c.yearStart()) || !start.Before(c.yearEnd()) {
			continue // outside the year: only the label and the table show it
		}
		x1, x2 := c.px(start), c.px(end)
		x2 = max(x2, x1+2) // a single day stays visible
		fill, stroke := colorSeries, colorSeries
		dash := ""
		if b.Late {
			fill, stroke, dash = colorTarget, colorInk, ` stroke-dasharray="4 2"`
		}
		if b.Milestone && !b.End.IsZero() && !end.After(c.yearEnd()) {
			x := (c.px(b.End.Time()) + c.px(end)) / 2
			w.f(`<path d="M%s %s l%d %d l-%d %d l-%d -%d z" fill="%s" stroke="%s" stroke-width="1.5"%s/>`,
				num(x), num(top), tlBar/2, tlBar/2, tlBar/2, tlBar/2, tlBar/2, tlBar/2, fill, stroke, dash)
			continue
		}
		w.f(`<rect x="%s" y="%s" width="%s" height="%d" fill="%s" stroke="%s" stroke-width="1.5"%s/>`,
			num(x1), num(top), num(x2-x1), tlBar, fill, stroke, dash)
		if start.Before(c.yearStart()) {
			w.f(`<path d="M%s %s l-7 %d l7 %d z" fill="%s"/>`, num(x1), num(top), tlBar/2, tlBar/2, fill)
		}
		if end.After(c.yearEnd()) || b.End.IsZero() {
			w.f(`<path d="M%s %s l7 %d l-7 %d z" fill="%s"/>`, num(x2), num(top), tlBar/2, tlBar/2, fill)
		}
	}
	w.f(`</g>`)
}

// drawToday draws a line at today with its label below the rows, when today
// lies in the year.
func (c Timeline) drawToday(w *svgWriter, tw timelineWords, bottom float64) {
	if c.Today.IsZero() || c.Today.Year() != c.Year {
		return
	}
	x := c.px(c.Today.Time())
	w.f(`<g aria-hidden="true">`)
	w.line(x, tlTop-6, x, bottom+6, ` stroke="`+colorInk+`" stroke-width="2" stroke-dasharray="6 3"`)
	anchor := "middle"
	switch {
	case x < tlLeft+40:
		anchor = "start"
	case x > tlRight-40:
		anchor = "end"
	}
	w.text(x, bottom+24, ` text-anchor="`+anchor+`" font-size="13" font-weight="bold"`,
		or(c.TodayText, tw.today)+" "+i18n.FormatDate(c.Locale, c.Today.Time()))
	w.f(`</g>`)
}

// cut shortens s to at most n runes, ending in an ellipsis when cut.
func cut(s string, n int) string {
	n = max(n, 2)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// Table returns the rows as label, start, end and, when any row has a status
// or is late, the status with the late text.
func (c Timeline) Table() Table {
	wd, tw := wordsFor(c.Locale), timelineWordsFor(c.Locale)
	t := Table{Caption: c.Title, Empty: or(c.EmptyText, wd.empty),
		Header: []string{or(c.LabelTitle, tw.label), or(c.StartTitle, tw.start), or(c.EndTitle, tw.end)}}
	status := false
	for _, b := range c.Bars {
		status = status || b.Status != "" || b.Late
	}
	if status {
		t.Header = append(t.Header, or(c.StatusTitle, tw.status))
	}
	for _, b := range c.Bars {
		end := tw.noEnd
		if !b.End.IsZero() {
			end = i18n.FormatDate(c.Locale, b.End.Time())
		}
		start := ""
		if !b.Start.IsZero() {
			start = i18n.FormatDate(c.Locale, b.Start.Time())
		}
		r := []string{b.Label, start, end}
		if status {
			s := b.Status
			if b.Late {
				s = strings.TrimPrefix(s+", "+or(c.LateText, tw.late), ", ")
			}
			r = append(r, s)
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}
