package i18n

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
)

//go:embed catalog/*.json
var files embed.FS

// Catalog holds the messages of every supported locale, by key; it is
// read-only once loaded and safe for concurrent use.
type Catalog struct {
	messages map[Locale]map[string]message
}

// message is one translation: plain text, or text per CLDR plural category.
type message struct {
	text  string
	forms map[string]string // non-nil for a plural message
}

// form returns the text for plural category cat, falling back to "other".
func (m message) form(cat string) (string, bool) {
	if m.forms == nil {
		return m.text, true
	}
	if s, ok := m.forms[cat]; ok {
		return s, true
	}
	s, ok := m.forms["other"]
	return s, ok
}

// Load reads the catalogue embedded in the binary (catalog/sv.json and catalog/en.json).
func Load() (*Catalog, error) {
	sub, err := fs.Sub(files, "catalog")
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	return LoadFS(sub)
}

// LoadFS reads a catalogue from the files sv.json and en.json at the root of fsys.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{messages: make(map[Locale]map[string]message, len(supported))}
	for _, loc := range supported {
		name := string(loc) + ".json"
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load catalog: %w", err)
		}
		msgs, err := decode(data)
		if err != nil {
			return nil, fmt.Errorf("load catalog %s: %w", name, err)
		}
		c.messages[loc] = msgs
	}
	return c, nil
}

// decode parses one catalogue file: a JSON object of key → string or plural object.
func decode(data []byte) (map[string]message, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, withLine(data, err)
	}
	if raw == nil {
		return nil, errors.New("want a JSON object of messages, got null")
	}
	msgs := make(map[string]message, len(raw))
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		m, err := decodeMessage(raw[key])
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", key, err)
		}
		msgs[key] = m
	}
	return msgs, nil
}

func decodeMessage(v json.RawMessage) (message, error) {
	v = bytes.TrimSpace(v)
	if len(v) > 0 && v[0] == '"' {
		var s string
		err := json.Unmarshal(v, &s)
		return message{text: s}, err
	}
	if len(v) > 0 && v[0] == '{' {
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			return message{}, errors.New("plural object must map forms to strings")
		}
		return message{forms: forms}, nil
	}
	return message{}, errors.New("value must be a string or a plural object like {\"one\": …, \"other\": …}")
}

// withLine adds the line number to a JSON error, so a bad merge is easy to find.
func withLine(data []byte, err error) error {
	var offset int64 = -1
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	}
	if offset < 0 || offset > int64(len(data)) {
		return err
	}
	return fmt.Errorf("line %d: %w", 1+bytes.Count(data[:offset], []byte("\n")), err)
}

// lookup finds key for loc; an unsupported loc is read as its language or Default.
func (c *Catalog) lookup(loc Locale, key string) (message, bool) {
	if c == nil {
		return message{}, false
	}
	m, ok := c.messages[resolve(loc)][key]
	return m, ok
}

// missing is what T and N show for a key the catalogue lacks.
func missing(key string) string {
	return "⟦" + key + "⟧"
}

// T returns the message key in loc with its {name} placeholders filled from
// args, given as name/value pairs, or "⟦key⟧" if the key is missing.
//
// Values are formatted for loc: integers with thousands separators, floats with
// the locale's decimal mark, time.Time as FormatDate, strings, errors and
// Stringers as they are. A placeholder without a value is left as written.
// For a plural message T picks the form by an integer "n" argument, else "other".
func (c *Catalog) T(loc Locale, key string, args ...any) string {
	m, ok := c.lookup(loc, key)
	if !ok {
		return missing(key)
	}
	cat := "other"
	if v, ok := arg(args, "n"); ok {
		if n, ok := intValue(v); ok {
			cat = pluralCategory(n)
		}
	}
	text, ok := m.form(cat)
	if !ok {
		return missing(key)
	}
	return format(loc, text, args)
}

// N returns the plural message key in loc in the form for count n, with {n}
// and the placeholders in args filled in as T does; a plain message is used as is.
func (c *Catalog) N(loc Locale, key string, n int, args ...any) string {
	m, ok := c.lookup(loc, key)
	if !ok {
		return missing(key)
	}
	text, ok := m.form(pluralCategory(int64(n)))
	if !ok {
		return missing(key)
	}
	return format(loc, text, append([]any{"n", n}, args...))
}

// Has reports whether the catalogue has key in loc.
func (c *Catalog) Has(loc Locale, key string) bool {
	_, ok := c.lookup(loc, key)
	return ok
}

// Keys returns every key in any locale, sorted.
func (c *Catalog) Keys() []string {
	if c == nil {
		return nil
	}
	set := make(map[string]bool)
	for _, msgs := range c.messages {
		for key := range msgs {
			set[key] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// pluralCategory returns the CLDR plural category of integer n; Swedish and
// English share the rule: "one" for 1, "other" for everything else.
func pluralCategory(n int64) string {
	if n == 1 || n == -1 {
		return "one"
	}
	return "other"
}
