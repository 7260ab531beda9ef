package i18n

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Stockholm must load on machines without a zoneinfo database
)

var stockholm = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		// Unreachable: time/tzdata embeds the zone in the binary.
		panic("i18n: load Europe/Stockholm: " + err.Error())
	}
	return loc
})

// Stockholm returns the Europe/Stockholm time zone, in which all dates and times are shown.
func Stockholm() *time.Location {
	return stockholm()
}

// FormatDate returns the date of t in Stockholm: "2026-11-23" in Swedish, "23 Nov 2026" in English.
func FormatDate(loc Locale, t time.Time) string {
	t = t.In(Stockholm())
	if resolve(loc) == EN {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2006-01-02")
}

// FormatDateTime returns the date and time of t in Stockholm to the minute:
// "2026-11-23 14:05" in Swedish, "23 Nov 2026, 14:05" in English.
func FormatDateTime(loc Locale, t time.Time) string {
	t = t.In(Stockholm())
	if resolve(loc) == EN {
		return t.Format("2 Jan 2006, 15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// numberSymbols are the marks a locale writes numbers with.
type numberSymbols struct {
	group   string // between groups of three digits
	decimal string
}

func symbolsFor(loc Locale) numberSymbols {
	if resolve(loc) == EN {
		return numberSymbols{group: ",", decimal: "."}
	}
	// CLDR and browsers (Intl.NumberFormat) use a no-break space in Swedish,
	// so a number never breaks across lines.
	return numberSymbols{group: "\u00a0", decimal: ","}
}

// FormatInt returns n with thousands separators: "12 345" (no-break space) in Swedish, "12,345" in English.
func FormatInt(loc Locale, n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + group(s[1:], symbolsFor(loc).group)
	}
	return group(s, symbolsFor(loc).group)
}

// FormatDecimal returns f rounded half away from zero to decimals places (all
// significant digits if decimals is negative) with thousands separators and
// the locale's decimal mark: "1 234,5" in Swedish, "1,234.5" in English.
func FormatDecimal(loc Locale, f float64, decimals int) string {
	return formatFloat(loc, f, decimals, 64)
}

func formatFloat(loc Locale, f float64, decimals, bitSize int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "∞"
	case math.IsInf(f, -1):
		return "-∞"
	}
	sym := symbolsFor(loc)
	s := strconv.FormatFloat(f, 'f', -1, bitSize)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if decimals >= 0 {
		whole, frac = round(whole, frac, decimals)
	}
	out := group(whole, sym.group)
	if frac != "" {
		out += sym.decimal + frac
	}
	// Rounding can turn -0.001 into "-0.00"; a minus before zero only confuses.
	if neg && strings.Trim(whole+frac, "0") != "" {
		out = "-" + out
	}
	return out
}

// round rounds the decimal number whole.frac to decimals places, half away
// from zero, as people and spreadsheets do: it works on the shortest decimal
// form of the float, so 2.5 becomes 3 and 1.005 becomes 1.01.
func round(whole, frac string, decimals int) (string, string) {
	if len(frac) <= decimals {
		return whole, frac + strings.Repeat("0", decimals-len(frac))
	}
	up := frac[decimals] >= '5'
	digits := []byte(whole + frac[:decimals])
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
	cut := len(digits) - decimals
	return string(digits[:cut]), string(digits[cut:])
}

// group inserts sep between groups of three digits, counted from the right.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3*len(sep))
	first := len(digits) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(digits[:first])
	for i := first; i < len(digits); i += 3 {
		b.WriteString(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
