package i18n

import (
	"strings"
)

// Locale is a language the user interface is available in.
type Locale string

// The supported locales.
const (
	SV Locale = "sv" // Swedish
	EN Locale = "en" // English
)

// Default is the locale used when nothing else is known or acceptable.
const Default = SV

// supported lists the locales in order of preference.
var supported = []Locale{SV, EN}

// Supported returns the supported locales, the default first.
func Supported() []Locale {
	return []Locale{SV, EN}
}

// resolve returns loc if it is supported, else its supported language, else Default.
func resolve(loc Locale) Locale {
	switch loc {
	case SV, EN:
		return loc
	}
	if l, ok := Parse(string(loc)); ok {
		return l
	}
	return Default
}

// Parse returns the supported locale of a language tag such as "sv", "sv-SE",
// "en" or "en_GB", ignoring case and region; ok is false if the tag is
// malformed or its language is not supported.
func Parse(s string) (Locale, bool) {
	tag := strings.ReplaceAll(strings.TrimSpace(s), "_", "-")
	lang, rest, hasRest := strings.Cut(tag, "-")
	if len(lang) < 2 || len(lang) > 3 || !isAlnum(lang, false) {
		return "", false
	}
	if hasRest {
		for sub := range strings.SplitSeq(rest, "-") {
			if len(sub) < 1 || len(sub) > 8 || !isAlnum(sub, true) {
				return "", false
			}
		}
	}
	loc := Locale(strings.ToLower(lang))
	for _, l := range supported {
		if l == loc {
			return l, true
		}
	}
	return "", false
}

// isAlnum reports whether s holds only ASCII letters, and digits if digits is set.
func isAlnum(s string, digits bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case digits && '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return true
}

// Negotiate picks the best supported locale for an Accept-Language header,
// honouring q-values and the "*" wildcard, and falls back to Default.
func Negotiate(acceptLanguage string) Locale {
	type choice struct {
		q   int // in thousandths
		pos int // of the range in the header that gave q
	}
	choices := make(map[Locale]choice, len(supported))
	wildcard := choice{q: -1}
	pos := 0
	for part := range strings.SplitSeq(acceptLanguage, ",") {
		tag, q, ok := parseRange(part)
		if !ok {
			continue
		}
		pos++
		if tag == "*" {
			if q > wildcard.q {
				wildcard = choice{q: q, pos: pos}
			}
			continue
		}
		loc, ok := Parse(tag)
		if !ok {
			continue
		}
		// A language listed twice ("en-GB, en;q=0.5") keeps its best q.
		if c, seen := choices[loc]; !seen || q > c.q {
			choices[loc] = choice{q: q, pos: pos}
		}
	}
	best, bestChoice := Default, choice{q: 0}
	for _, loc := range supported {
		c, ok := choices[loc]
		if !ok {
			c = wildcard // the wildcard covers languages not listed by name
		}
		if c.q > bestChoice.q || (c.q == bestChoice.q && c.q > 0 && c.pos < bestChoice.pos) {
			best, bestChoice = loc, c
		}
	}
	return best
}

// parseRange parses one element of Accept-Language: a language range and an
// optional q-value in thousandths (1000 when absent); ok is false for an empty
// or malformed element.
func parseRange(s string) (tag string, q int, ok bool) {
	tag, params, _ := strings.Cut(s, ";")
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return "", 0, false
	}
	q = 1000
	for p := range strings.SplitSeq(params, ";") {
		name, value, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		if q, ok = parseQ(strings.TrimSpace(value)); !ok {
			return "", 0, false
		}
	}
	return tag, q, true
}

// parseQ parses a qvalue as RFC 9110 defines it ("0", "0.5", "1.000") into
// thousandths.
func parseQ(s string) (int, bool) {
	if s == "" || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	whole := int(s[0]-'0') * 1000
	frac := s[1:]
	if frac == "" {
		return whole, true
	}
	if frac[0] != '.' || len(frac) > 4 {
		return 0, false
	}
	n, scale := 0, 100
	for i := 1; i < len(frac); i++ {
		c := frac[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n += int(c-'0') * scale
		scale /= 10
	}
	if whole == 1000 && n != 0 {
		return 0, false
	}
	return whole + n, true
}
