package i18n

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// format fills the {name} placeholders of msg from the name/value pairs in
// args. Braces that do not form a placeholder are copied as they are.
func format(loc Locale, msg string, args []any) string {
	if !strings.Contains(msg, "{") {
		return msg
	}
	var b strings.Builder
	b.Grow(len(msg) + 16)
	for {
		i := strings.IndexByte(msg, '{')
		if i < 0 {
			break
		}
		b.WriteString(msg[:i])
		msg = msg[i:]
		name, ok := placeholderAt(msg)
		if !ok {
			b.WriteByte('{')
			msg = msg[1:]
			continue
		}
		end := len(name) + 2
		if v, ok := arg(args, name); ok {
			b.WriteString(formatValue(loc, v))
		} else {
			b.WriteString(msg[:end])
		}
		msg = msg[end:]
	}
	b.WriteString(msg)
	return b.String()
}

// placeholderAt reports the name of the placeholder that s starts with: "{",
// an ASCII letter, then letters, digits or underscores, and "}".
func placeholderAt(s string) (string, bool) {
	if len(s) < 3 || s[0] != '{' || !isLetter(s[1]) {
		return "", false
	}
	i := 2
	for i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || s[i] == '_') {
		i++
	}
	if i == len(s) || s[i] != '}' {
		return "", false
	}
	return s[1:i], true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// placeholders returns the names of the placeholders in msg and an excerpt of
// every brace that does not form one.
func placeholders(msg string) (names, malformed []string) {
	for i := 0; i < len(msg); i++ {
		switch msg[i] {
		case '{':
			if name, ok := placeholderAt(msg[i:]); ok {
				names = append(names, name)
				i += len(name) + 1
				continue
			}
			// Report up to the closing brace, if any comes before the next opening one.
			end := len(msg)
			if j := strings.IndexAny(msg[i+1:], "{}"); j >= 0 {
				end = i + 1 + j
				if msg[end] == '}' {
					end++
				}
			}
			malformed = append(malformed, excerpt(msg[i:end]))
			i = end - 1
		case '}':
			malformed = append(malformed, "}")
		}
	}
	return names, malformed
}

// excerpt shortens s to at most 24 runes.
func excerpt(s string) string {
	const max = 24
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// arg returns the value paired with name in args; pairs whose name is not a
// string, and a trailing name without a value, are ignored.
func arg(args []any, name string) (any, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if s, ok := args[i].(string); ok && s == name {
			return args[i+1], true
		}
	}
	return nil, false
}

// formatValue formats one placeholder value for loc.
func formatValue(loc Locale, v any) string {
	switch v := v.(type) {
	case string:
		return v
	case time.Time:
		return FormatDate(loc, v)
	case error, fmt.Stringer:
		return fmt.Sprint(v) // fmt also copes with a nil pointer receiver
	case float32:
		return formatFloat(loc, float64(v), -1, 32)
	case float64:
		return formatFloat(loc, v, -1, 64)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return FormatInt(loc, rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return group(strconv.FormatUint(rv.Uint(), 10), symbolsFor(loc).group)
	case reflect.Float32:
		return formatFloat(loc, rv.Float(), -1, 32)
	case reflect.Float64:
		return formatFloat(loc, rv.Float(), -1, 64)
	case reflect.String:
		return rv.String()
	}
	return fmt.Sprint(v)
}

// intValue returns v as an int64 if it is an integer that fits.
func intValue(v any) (int64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := rv.Uint(); u <= 1<<63-1 {
			return int64(u), true
		}
	}
	return 0, false
}
