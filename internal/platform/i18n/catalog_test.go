package i18n_test

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// nbsp is the Swedish thousands separator, a no-break space.
const nbsp = "\u00a0"

// load returns a catalogue made of the two files' contents.
func load(t *testing.T, sv, en string) *i18n.Catalog {
	t.Helper()
	c, err := i18n.LoadFS(catalogFS(sv, en))
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	return c
}

func catalogFS(sv, en string) fstest.MapFS {
	return fstest.MapFS{
		"sv.json": {Data: []byte(sv)},
		"en.json": {Data: []byte(en)},
	}
}

const testSV = `{
  "audit.count": "{n} händelser",
  "greeting": "Hej {name}, du har {count} nya meddelanden.",
  "items": {"one": "{n} post", "other": "{n} poster"},
  "items.in": {"one": "en post i {place}", "other": "{n} poster i {place}"},
  "literal": "Inga platshållare här",
  "plain.count": "{n} st",
  "value": "Värde: {v}"
}`

const testEN = `{
  "audit.count": "{n} events",
  "greeting": "Hello {name}, you have {count} new messages.",
  "items": {"one": "{n} item", "other": "{n} items"},
  "items.in": {"one": "one item in {place}", "other": "{n} items in {place}"},
  "literal": "No placeholders here",
  "plain.count": "{n} pcs",
  "value": "Value: {v}"
}`

type stringer struct{}

func (stringer) String() string { return "strängen" }

type count int

func TestT_FillsPlaceholdersPerLocale(t *testing.T) {
	t.Parallel()
	c := load(t, testSV, testEN)
	day := time.Date(2026, 11, 23, 22, 30, 0, 0, time.UTC) // 23:30 in Stockholm, same day
	tests := []struct {
		name string
		loc  i18n.Locale
		key  string
		args []any
		want string
	}{
		{"no placeholders", i18n.SV, "literal", nil, "Inga platshållare här"},
		{"no placeholders english", i18n.EN, "literal", nil, "No placeholders here"},
		{"int with separator sv", i18n.SV, "audit.count", []any{"n", 12345}, "12" + nbsp + "345 händelser"},
		{"int with separator en", i18n.EN, "audit.count", []any{"n", 12345}, "12,345 events"},
		{"two placeholders", i18n.SV, "greeting", []any{"name", "Anna", "count", 3}, "Hej Anna, du har 3 nya meddelanden."},
		{"argument order does not matter", i18n.EN, "greeting", []any{"count", 1000, "name", "Anna"}, "Hello Anna, you have 1,000 new messages."},
		{"missing value left visible", i18n.SV, "greeting", []any{"name", "Anna"}, "Hej Anna, du har {count} nya meddelanden."},
		{"extra values ignored", i18n.SV, "literal", []any{"x", 1}, "Inga platshållare här"},
		{"trailing name without value ignored", i18n.SV, "value", []any{"v"}, "Värde: {v}"},
		{"non-string name ignored", i18n.SV, "value", []any{1, "x", "v", "y"}, "Värde: y"},
		{"int64", i18n.SV, "value", []any{"v", int64(-1234567)}, "Värde: -1" + nbsp + "234" + nbsp + "567"},
		{"uint64", i18n.EN, "value", []any{"v", uint64(18446744073709551615)}, "Value: 18,446,744,073,709,551,615"},
		{"named int type", i18n.EN, "value", []any{"v", count(4321)}, "Value: 4,321"},
		{"float sv decimal comma", i18n.SV, "value", []any{"v", 1234.5}, "Värde: 1" + nbsp + "234,5"},
		{"float en decimal point", i18n.EN, "value", []any{"v", 1234.5}, "Value: 1,234.5"},
		{"float32 shortest form", i18n.SV, "value", []any{"v", float32(0.1)}, "Värde: 0,1"},
		{"time as date sv", i18n.SV, "value", []any{"v", day}, "Värde: 2026-11-23"},
		{"time as date en", i18n.EN, "value", []any{"v", day}, "Value: 23 Nov 2026"},
		{"error", i18n.SV, "value", []any{"v", errors.New("trasigt")}, "Värde: trasigt"},
		{"stringer", i18n.SV, "value", []any{"v", stringer{}}, "Värde: strängen"},
		{"duration is a stringer", i18n.EN, "value", []any{"v", 90 * time.Minute}, "Value: 1h30m0s"},
		{"locale value", i18n.EN, "value", []any{"v", i18n.SV}, "Value: sv"},
		{"bool", i18n.EN, "value", []any{"v", true}, "Value: true"},
		{"nil", i18n.EN, "value", []any{"v", nil}, "Value: <nil>"},
		{"nil error pointer does not panic", i18n.EN, "value", []any{"v", (*fs.PathError)(nil)}, "Value: <nil>"},
		{"value is not expanded again", i18n.SV, "value", []any{"v", "{v}"}, "Värde: {v}"},
		{"plural by n", i18n.SV, "items", []any{"n", 1}, "1 post"},
		{"plural by n, other", i18n.SV, "items", []any{"n", 2}, "2 poster"},
		{"plural without n uses other", i18n.EN, "items", nil, "{n} items"},
		{"region tag reads as its language", "en-GB", "literal", nil, "No placeholders here"},
		{"unsupported locale reads as default", "de", "literal", nil, "Inga platshållare här"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.T(tt.loc, tt.key, tt.args...); got != tt.want {
				t.Errorf("T(%q, %q, %v) = %q, want %q", tt.loc, tt.key, tt.args, got, tt.want)
			}
		})
	}
}

func TestT_MissingKeyIsVisible(t *testing.T) {
	t.Parallel()
	c := load(t, `{"only.sv": "Bara svenska"}`, `{}`)
	var nilCatalog *i18n.Catalog
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"unknown key", c.T(i18n.SV, "no.such.key"), "⟦no.such.key⟧"},
		{"unknown key with args", c.T(i18n.EN, "no.such.key", "n", 1), "⟦no.such.key⟧"},
		{"key missing in english only", c.T(i18n.EN, "only.sv"), "⟦only.sv⟧"},
		{"plural of unknown key", c.N(i18n.SV, "no.such.key", 2), "⟦no.such.key⟧"},
		{"empty key", c.T(i18n.SV, ""), "⟦⟧"},
		{"nil catalogue", nilCatalog.T(i18n.SV, "common.save"), "⟦common.save⟧"},
		{"nil catalogue plural", nilCatalog.N(i18n.SV, "common.items", 1), "⟦common.items⟧"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestN_PicksPluralFormByCount(t *testing.T) {
	t.Parallel()
	c := load(t, testSV, testEN)
	tests := []struct {
		loc  i18n.Locale
		key  string
		n    int
		args []any
		want string
	}{
		{i18n.SV, "items", 0, nil, "0 poster"},
		{i18n.SV, "items", 1, nil, "1 post"},
		{i18n.SV, "items", 2, nil, "2 poster"},
		{i18n.SV, "items", 12345, nil, "12" + nbsp + "345 poster"},
		{i18n.SV, "items", -1, nil, "-1 post"},
		{i18n.EN, "items", 0, nil, "0 items"},
		{i18n.EN, "items", 1, nil, "1 item"},
		{i18n.EN, "items", 21, nil, "21 items"},
		{i18n.EN, "items", 1000000, nil, "1,000,000 items"},
		{i18n.SV, "items.in", 1, []any{"place", "Kalmar"}, "en post i Kalmar"},
		{i18n.SV, "items.in", 3, []any{"place", "Kalmar"}, "3 poster i Kalmar"},
		{i18n.EN, "items.in", 3, []any{"place", "Kalmar"}, "3 items in Kalmar"},
		{i18n.EN, "items", 2, []any{"n", 99}, "2 items"}, // the count wins over an "n" argument
		{i18n.SV, "plain.count", 1, nil, "1 st"},         // a plain message works too
		{i18n.EN, "plain.count", 5000, nil, "5,000 pcs"},
	}
	for _, tt := range tests {
		if got := c.N(tt.loc, tt.key, tt.n, tt.args...); got != tt.want {
			t.Errorf("N(%q, %q, %d, %v) = %q, want %q", tt.loc, tt.key, tt.n, tt.args, got, tt.want)
		}
	}
}

func TestN_PluralMissingFormFallsBackToOther(t *testing.T) {
	t.Parallel()
	c := load(t, `{"a": {"other": "{n} saker"}, "b": {"one": "en sak"}}`, `{}`)
	if got, want := c.N(i18n.SV, "a", 1), "1 saker"; got != want {
		t.Errorf("N without \"one\" = %q, want %q", got, want)
	}
	if got, want := c.N(i18n.SV, "b", 2), "⟦b⟧"; got != want {
		t.Errorf("N without \"other\" = %q, want %q", got, want)
	}
}

func TestHasAndKeys_SeeEveryLocale(t *testing.T) {
	t.Parallel()
	c := load(t, `{"b": "B", "a": "A"}`, `{"a": "A", "c": "C"}`)
	tests := []struct {
		loc  i18n.Locale
		key  string
		want bool
	}{
		{i18n.SV, "a", true},
		{i18n.SV, "b", true},
		{i18n.SV, "c", false},
		{i18n.EN, "a", true},
		{i18n.EN, "b", false},
		{i18n.EN, "c", true},
		{i18n.EN, "", false},
	}
	for _, tt := range tests {
		if got := c.Has(tt.loc, tt.key); got != tt.want {
			t.Errorf("Has(%q, %q) = %v, want %v", tt.loc, tt.key, got, tt.want)
		}
	}
	if got, want := c.Keys(), []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("Keys() = %q, want %q", got, want)
	}
}

func TestLoadFS_RejectsBrokenFiles(t *testing.T) {
	t.Parallel()
	const ok = `{"a": "A"}`
	tests := []struct {
		name    string
		fsys    fs.FS
		wantErr string
	}{
		{"english file missing", fstest.MapFS{"sv.json": {Data: []byte(ok)}}, "en.json"},
		{"syntax error has a line number", catalogFS("{\n  \"a\": \"A\"\n  \"b\": \"B\"\n}", ok), "sv.json: line 3"},
		{"unterminated", catalogFS(ok, `{"a": "A"`), "en.json"},
		{"array", catalogFS(`["a"]`, ok), "sv.json"},
		{"null", catalogFS(ok, `null`), "en.json"},
		{"number value", catalogFS(`{"a": 1}`, ok), `key "a": value must be a string or a plural object`},
		{"null value", catalogFS(`{"a": null}`, ok), `key "a"`},
		{"nested object value", catalogFS(`{"a": {"one": {"x": "y"}}}`, ok), `key "a": plural object must map forms to strings`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := i18n.LoadFS(tt.fsys)
			if err == nil {
				t.Fatalf("LoadFS = %v, nil; want error containing %q", c, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("LoadFS error = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoad_EmbeddedCatalogHasStarterKeys(t *testing.T) {
	t.Parallel()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		loc  i18n.Locale
		got  string
		want string
	}{
		{i18n.SV, c.T(i18n.SV, "common.save"), "Spara"},
		{i18n.EN, c.T(i18n.EN, "common.save"), "Save"},
		{i18n.SV, c.T(i18n.SV, "common.search"), "Sök"},
		{i18n.SV, c.N(i18n.SV, "common.items", 1), "1 post"},
		{i18n.SV, c.N(i18n.SV, "common.items", 1500), "1" + nbsp + "500 poster"},
		{i18n.EN, c.N(i18n.EN, "common.items", 1), "1 item"},
		{i18n.EN, c.N(i18n.EN, "common.items", 1500), "1,500 items"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.loc, tt.got, tt.want)
		}
	}
}
