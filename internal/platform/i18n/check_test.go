package i18n_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestCheck_CleanCatalogHasNoProblems(t *testing.T) {
	t.Parallel()
	c := load(t, testSV, testEN)
	for _, err := range c.Check() {
		t.Error(err)
	}
}

func TestCheck_FindsEachProblem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sv   string
		en   string
		want []string // one problem each, in order
	}{
		{
			name: "key missing in english",
			sv:   `{"a": "A", "b": "B"}`,
			en:   `{"a": "A"}`,
			want: []string{`en: "b": missing`},
		},
		{
			name: "key missing in swedish",
			sv:   `{"a": "A"}`,
			en:   `{"a": "A", "z": "Z"}`,
			want: []string{`sv: "z": missing`},
		},
		{
			name: "empty value",
			sv:   `{"a": ""}`,
			en:   `{"a": "A"}`,
			want: []string{`sv: "a": empty`},
		},
		{
			name: "blank value",
			sv:   `{"a": "A"}`,
			en:   `{"a": "  \n"}`,
			want: []string{`en: "a": empty`},
		},
		{
			name: "empty plural form",
			sv:   `{"a": {"one": "", "other": "{n} saker"}}`,
			en:   `{"a": {"one": "{n} thing", "other": "{n} things"}}`,
			want: []string{`sv: "a": plural form "one": empty`},
		},
		{
			name: "placeholder renamed in english",
			sv:   `{"a": "Hej {name}"}`,
			en:   `{"a": "Hello {user}"}`,
			want: []string{`"a": placeholders differ: sv has {name}, en has {user}`},
		},
		{
			name: "placeholder dropped in english",
			sv:   `{"a": "{n} av {total}"}`,
			en:   `{"a": "{n}"}`,
			want: []string{`"a": placeholders differ: sv has {n}, {total}, en has {n}`},
		},
		{
			name: "placeholder only in english",
			sv:   `{"a": "Hej"}`,
			en:   `{"a": "Hello {name}"}`,
			want: []string{`"a": placeholders differ: sv has none, en has {name}`},
		},
		{
			name: "plural placeholders differ",
			sv:   `{"a": {"one": "en sak", "other": "{n} saker"}}`,
			en:   `{"a": {"one": "one thing", "other": "{count} things"}}`,
			want: []string{`"a": placeholders differ: sv has {n}, en has {count}`},
		},
		{
			name: "plural missing one",
			sv:   `{"a": {"other": "{n} saker"}}`,
			en:   `{"a": {"one": "{n} thing", "other": "{n} things"}}`,
			want: []string{`sv: "a": plural form "one" missing`},
		},
		{
			name: "plural missing other",
			sv:   `{"a": {"one": "{n} sak", "other": "{n} saker"}}`,
			en:   `{"a": {"one": "{n} thing"}}`,
			want: []string{`en: "a": plural form "other" missing`},
		},
		{
			name: "empty plural object",
			sv:   `{"a": {}}`,
			en:   `{"a": "A"}`,
			want: []string{`sv: "a": plural form "one" missing`, `sv: "a": plural form "other" missing`},
		},
		{
			name: "unknown plural form",
			sv:   `{"a": {"one": "{n} sak", "other": "{n} saker", "few": "{n} saker"}}`,
			en:   `{"a": {"one": "{n} thing", "other": "{n} things"}}`,
			want: []string{`sv: "a": unknown plural form "few"`},
		},
		{
			name: "nested keys instead of flat",
			sv:   `{"common": {"save": "Spara"}}`,
			en:   `{"common": {"save": "Save"}}`,
			want: []string{
				`sv: "common": plural form "one" missing`, `sv: "common": plural form "other" missing`, `sv: "common": unknown plural form "save"`,
				`en: "common": plural form "one" missing`, `en: "common": plural form "other" missing`, `en: "common": unknown plural form "save"`,
			},
		},
		{
			name: "unclosed placeholder",
			sv:   `{"a": "Hej {name"}`,
			en:   `{"a": "Hello {name}"}`,
			want: []string{`sv: "a": malformed placeholder "{name"`, `"a": placeholders differ`},
		},
		{
			name: "space in placeholder",
			sv:   `{"a": "Hej {first name}"}`,
			en:   `{"a": "Hello {first name}"}`,
			want: []string{`sv: "a": malformed placeholder "{first name}"`, `en: "a": malformed placeholder "{first name}"`},
		},
		{
			name: "empty placeholder",
			sv:   `{"a": "Hej {}"}`,
			en:   `{"a": "Hello"}`,
			want: []string{`sv: "a": malformed placeholder "{}"`},
		},
		{
			name: "positional placeholder",
			sv:   `{"a": "Hej {0}"}`,
			en:   `{"a": "Hello"}`,
			want: []string{`sv: "a": malformed placeholder "{0}"`},
		},
		{
			name: "doubled brace",
			sv:   `{"a": "Hej {{name}}"}`,
			en:   `{"a": "Hello {name}"}`,
			want: []string{`sv: "a": malformed placeholder "{"`, `sv: "a": malformed placeholder "}"`},
		},
		{
			name: "stray closing brace",
			sv:   `{"a": "Hej name}"}`,
			en:   `{"a": "Hello"}`,
			want: []string{`sv: "a": malformed placeholder "}"`},
		},
		{
			name: "malformed placeholder in plural form",
			sv:   `{"a": {"one": "{n} sak", "other": "{n saker"}}`,
			en:   `{"a": {"one": "{n} thing", "other": "{n} things"}}`,
			want: []string{`sv: "a": plural form "other": malformed placeholder "{n saker"`},
		},
		{
			name: "malformed keys",
			sv:   `{"common..save": "A", "common.save ": "B", "": "C"}`,
			en:   `{"common..save": "A", "common.save ": "B", "": "C"}`,
			want: []string{`"": malformed key`, `"common..save": malformed key`, `"common.save ": malformed key`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			problems := load(t, tt.sv, tt.en).Check()
			var got []string
			for _, p := range problems {
				got = append(got, p.Error())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Check() found %d problems, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %d = %q, want it to start with %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestCheck_ListsEveryProblemNotJustTheFirst(t *testing.T) {
	t.Parallel()
	var sv, en strings.Builder
	sv.WriteString("{")
	en.WriteString("{")
	for i := range 10 {
		if i > 0 {
			sv.WriteString(",")
			en.WriteString(",")
		}
		fmt.Fprintf(&sv, `"k%d": ""`, i)
		fmt.Fprintf(&en, `"k%d": "{x"`, i)
	}
	sv.WriteString("}")
	en.WriteString("}")
	problems := load(t, sv.String(), en.String()).Check()
	if len(problems) != 20 {
		t.Errorf("Check() found %d problems, want 20 (an empty and a malformed message for each of 10 keys)", len(problems))
	}
}
