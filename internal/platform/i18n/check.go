package i18n

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// pluralForms are the CLDR plural categories Swedish and English use.
var pluralForms = []string{"one", "other"}

// Check returns every problem in the catalogue, sorted by key: a malformed key,
// a key missing in a locale, an empty message, a plural object without "one"
// or "other" or with another form, a malformed placeholder, and placeholders
// that differ between the languages.
func (c *Catalog) Check() []error {
	var problems []error
	for _, key := range c.Keys() {
		if !validKey(key) {
			problems = append(problems, fmt.Errorf("%q: malformed key: want dot-separated words of letters, digits, '_' or '-'", key))
		}
		names := make(map[Locale][]string)
		for _, loc := range supported {
			m, ok := c.messages[loc][key]
			if !ok {
				problems = append(problems, fmt.Errorf("%s: %q: missing", loc, key))
				continue
			}
			var msgProblems []string
			names[loc], msgProblems = checkMessage(m)
			for _, p := range msgProblems {
				problems = append(problems, fmt.Errorf("%s: %q: %s", loc, key, p))
			}
		}
		problems = append(problems, comparePlaceholders(key, names)...)
	}
	return problems
}

// checkMessage returns the sorted placeholder names of m and its problems.
func checkMessage(m message) (names []string, problems []string) {
	if m.forms == nil {
		return checkText(m.text, "")
	}
	for _, f := range pluralForms {
		if _, ok := m.forms[f]; !ok {
			problems = append(problems, fmt.Sprintf("plural form %q missing", f))
		}
	}
	for _, f := range slices.Sorted(maps.Keys(m.forms)) {
		if !slices.Contains(pluralForms, f) {
			problems = append(problems, fmt.Sprintf("unknown plural form %q: use %q", f, pluralForms))
			continue
		}
		n, p := checkText(m.forms[f], fmt.Sprintf("plural form %q: ", f))
		names = append(names, n...)
		problems = append(problems, p...)
	}
	slices.Sort(names)
	return slices.Compact(names), problems
}

// checkText returns the sorted placeholder names of one text and its problems,
// each prefixed with prefix.
func checkText(text, prefix string) (names []string, problems []string) {
	if strings.TrimSpace(text) == "" {
		problems = append(problems, prefix+"empty")
	}
	names, malformed := placeholders(text)
	for _, m := range malformed {
		problems = append(problems, fmt.Sprintf("%smalformed placeholder %q: want {name} of letters, digits and '_'", prefix, m))
	}
	slices.Sort(names)
	return slices.Compact(names), problems
}

// comparePlaceholders reports each locale whose placeholders differ from Default's.
func comparePlaceholders(key string, names map[Locale][]string) []error {
	want, ok := names[Default]
	if !ok {
		return nil
	}
	var problems []error
	for _, loc := range supported {
		got, ok := names[loc]
		if !ok || loc == Default || slices.Equal(got, want) {
			continue
		}
		problems = append(problems, fmt.Errorf("%q: placeholders differ: %s has %s, %s has %s",
			key, Default, braced(want), loc, braced(got)))
	}
	return problems
}

func braced(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return "{" + strings.Join(names, "}, {") + "}"
}

// validKey reports whether key is dot-separated words of ASCII letters, digits, '_' or '-'.
func validKey(key string) bool {
	for word := range strings.SplitSeq(key, ".") {
		if word == "" {
			return false
		}
		for i := 0; i < len(word); i++ {
			c := word[i]
			if !isLetter(c) && !isDigit(c) && c != '_' && c != '-' {
				return false
			}
		}
	}
	return true
}
