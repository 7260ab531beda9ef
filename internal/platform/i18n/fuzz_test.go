package i18n_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func FuzzNegotiate(f *testing.F) {
	for _, h := range []string{
		"", "sv", "en", "sv-SE,sv;q=0.9,en-US;q=0.8,en;q=0.7", "en-US,en;q=0.9",
		"*", "sv;q=0,*;q=0.5", "en;q=1.000,sv;q=0.999", "de;q=abc,en;q=", " EN-gb ; Q=0.9 ",
		";;;,,,", "en;q=0.5;q=2", "sv_SE", "\xff\xfe", "en-" + strings.Repeat("a", 100),
	} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, header string) {
		got := i18n.Negotiate(header)
		if !slices.Contains(i18n.Supported(), got) {
			t.Fatalf("Negotiate(%q) = %q, not a supported locale", header, got)
		}
		if again := i18n.Negotiate(header); again != got {
			t.Fatalf("Negotiate(%q) = %q, then %q", header, got, again)
		}
		if got == i18n.EN && !strings.Contains(strings.ToLower(header), "en") && !strings.Contains(header, "*") {
			t.Fatalf("Negotiate(%q) = en, but the header names neither English nor *", header)
		}
		if !strings.ContainsAny(header, ",;") {
			if loc, ok := i18n.Parse(header); ok && got != loc {
				t.Fatalf("Negotiate(%q) = %q, but Parse gives %q", header, got, loc)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"sv", "sv-SE", "en_GB", "EN-latn-gb", "", "*", "sv-", "de", "svenska"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc, ok := i18n.Parse(s)
		if !ok {
			if loc != "" {
				t.Fatalf("Parse(%q) = %q, false; want empty locale", s, loc)
			}
			return
		}
		if !slices.Contains(i18n.Supported(), loc) {
			t.Fatalf("Parse(%q) = %q, not a supported locale", s, loc)
		}
		if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), string(loc)) {
			t.Fatalf("Parse(%q) = %q, which the tag does not start with", s, loc)
		}
	})
}

// FuzzT formats arbitrary message text: T never panics, leaves text without
// arguments as written, and replaces exactly the {name} placeholders.
func FuzzT(f *testing.F) {
	for _, s := range [][2]string{
		{"Hej {name}!", "Anna"},
		{"{n} poster", "x"},
		{"{{name}}", "{name}"},
		{"{name", "v"},
		{"name}", "v"},
		{"{}", ""},
		{"{ name }", "v"},
		{"{0} {name}{name}", "v"},
		{"⟦{name}⟧ å ä ö", "é"},
		{"\xff{name}\xfe", "\x00"},
		{strings.Repeat("{", 50) + "name}", "v"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, msg, value string) {
		data, err := json.Marshal(map[string]string{"k": msg})
		if err != nil {
			t.Skip()
		}
		var stored map[string]string // the text as the catalogue holds it, after JSON
		if err := json.Unmarshal(data, &stored); err != nil {
			t.Fatal(err)
		}
		text := stored["k"]
		c, err := i18n.LoadFS(fstest.MapFS{"sv.json": {Data: data}, "en.json": {Data: data}})
		if err != nil {
			t.Fatalf("LoadFS(%s): %v", data, err)
		}
		if got := c.T(i18n.SV, "k"); got != text {
			t.Errorf("T without args = %q, want the text %q unchanged", got, text)
		}
		if got, want := c.T(i18n.SV, "k", "name", value), strings.ReplaceAll(text, "{name}", value); got != want {
			t.Errorf("T(name=%q) on %q = %q, want %q", value, text, got, want)
		}
		if got, want := c.T(i18n.EN, "k", "name", 12345), strings.ReplaceAll(text, "{name}", "12,345"); got != want {
			t.Errorf("T(name=12345) on %q = %q, want %q", text, got, want)
		}
		if got, want := c.N(i18n.SV, "k", 1234), strings.ReplaceAll(text, "{n}", "1\u00a0234"); got != want {
			t.Errorf("N(1234) on %q = %q, want %q", text, got, want)
		}
		problems := c.Check()
		if !strings.ContainsAny(text, "{}") && strings.TrimSpace(text) != "" && len(problems) > 0 {
			t.Errorf("Check on %q without braces = %v, want no problems", text, problems)
		}
	})
}
