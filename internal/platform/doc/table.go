package doc

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
)

// Table is one titled table: column headers and rows of typed cells, and an
// optional summary row (a total) written last.
type Table struct {
	Title   string
	Columns []Column
	Rows    [][]Cell
	Footer  []Cell
}

// Column is a column's header and, optionally, its width in characters in a
// spreadsheet; zero fits the width to the content.
type Column struct {
	Header string
	Width  float64
}

// Kind is the type of a cell's value, which decides how it is written.
type Kind uint8

// The kinds of cell.
const (
	KindText    Kind = iota
	KindInt          // a whole number
	KindDecimal      // a number with a fixed number of decimals
	KindPercent      // a fraction shown as a percentage: 0.125 is 12.5 %
	KindMoney        // whole Swedish kronor
	KindDate         // a calendar date
)

// Cell is one typed value. Build it with Text, Int, Decimal, Percent, Money or
// Date; the zero Cell is empty text.
type Cell struct {
	Kind   Kind
	Text   string    // KindText
	Int    int64     // KindInt, KindMoney
	Float  float64   // KindDecimal, KindPercent
	Places int       // decimals shown for KindDecimal and KindPercent
	Date   date.Date // KindDate; the zero date is an empty cell
}

// Text is a text cell.
func Text(s string) Cell { return Cell{Kind: KindText, Text: s} }

// Int is a whole-number cell.
func Int(n int64) Cell { return Cell{Kind: KindInt, Int: n} }

// Decimal is a number shown with places decimals.
func Decimal(f float64, places int) Cell {
	return Cell{Kind: KindDecimal, Float: f, Places: clampPlaces(places)}
}

// Percent is a fraction shown as a percentage with places decimals:
// Percent(0.125, 1) is 12,5 %.
func Percent(fraction float64, places int) Cell {
	return Cell{Kind: KindPercent, Float: fraction, Places: clampPlaces(places)}
}

// Money is an amount in whole Swedish kronor.
func Money(sek int64) Cell { return Cell{Kind: KindMoney, Int: sek} }

// Date is a calendar-date cell.
func Date(d date.Date) Cell { return Cell{Kind: KindDate, Date: d} }

func clampPlaces(n int) int { return min(max(n, 0), 10) }

// empty reports whether the cell has nothing to show: empty text, no date or
// a number that is not a number.
func (c Cell) empty() bool {
	switch c.Kind {
	case KindText:
		return c.Text == ""
	case KindDate:
		return c.Date.IsZero()
	case KindDecimal, KindPercent:
		return math.IsNaN(c.Float) || math.IsInf(c.Float, 0)
	}
	return false
}

// csvText writes the cell as Swedish Excel reads it: plain digits without
// grouping, a decimal comma, a percent sign right after a percentage, dates
// as YYYY-MM-DD, and text that cannot start a formula.
func (c Cell) csvText() string {
	if c.empty() {
		return ""
	}
	switch c.Kind {
	case KindInt, KindMoney:
		return strconv.FormatInt(c.Int, 10)
	case KindDecimal:
		return decimalComma(c.Float, c.Places)
	case KindPercent:
		return decimalComma(c.Float*100, c.Places) + "%"
	case KindDate:
		return c.Date.String()
	}
	return Safe(c.Text)
}

// decimalComma formats f with places decimals and a decimal comma, rounding
// half away from zero on the shortest decimal form of f, as people do.
func decimalComma(f float64, places int) string {
	s := strconv.FormatFloat(roundHalfAway(f, places), 'f', places, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no minus before zero
	}
	return strings.Replace(s, ".", ",", 1)
}

// roundHalfAway rounds f to places decimals, half away from zero, working on
// its shortest decimal representation so 1.005 rounds to 1.01.
func roundHalfAway(f float64, places int) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) <= places {
		return f
	}
	digits := []byte(whole + frac[:places])
	up := frac[places] >= '5'
	for i := len(digits) - 1; up && i >= 0; i-- {
		if digits[i] == '9' {
			digits[i] = '0'
			continue
		}
		digits[i]++
		up = false
	}
	if up {
		digits = append([]byte{'1'}, digits...)
	}
	cut := len(digits) - places
	r, _ := strconv.ParseFloat(string(digits[:cut])+"."+string(digits[cut:]), 64)
	if neg {
		r = -r
	}
	return r
}

// Safe stops a spreadsheet from running text as a formula (OWASP's advice on
// CSV injection): text starting with a character that opens a formula gets a
// leading apostrophe, so it is shown as text.
func Safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// width is how many characters the cell takes when written.
func (c Cell) width() int {
	switch c.Kind {
	case KindMoney:
		return utf8.RuneCountInString(c.csvText())*4/3 + 3 // grouping and " kr"
	case KindInt:
		return utf8.RuneCountInString(c.csvText()) * 4 / 3
	}
	return utf8.RuneCountInString(c.csvText())
}
