package i18n_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func TestTemplateKeys_FindsLiteralKeysWithTheirFiles(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"templates/home.html": {Data: []byte(`{{define "content"}}
<h1>{{t "home.title"}}</h1>
<p>{{t "home.welcome" "name" .User.Name}}</p>
<p>{{tn "common.items" (len .Items)}}</p>
<a title="{{(t "home.link.title")}}">{{printf "%s!" (t "home.link")}}</a>
{{if .Admin}}{{t "home.admin"}}{{else if .Guest}}{{t "home.guest"}}{{else}}{{t "home.user"}}{{end}}
{{range .Items}}<li>{{t "home.item" "name" .Name}}</li>{{else}}<li>{{t "home.empty"}}</li>{{end}}
{{with .Flash}}{{targs "home.flash" .Args}}{{end}}
{{template "card" (t "home.card")}}
{{block "aside" .}}{{t "home.block"}}{{end}}
{{"home.piped" | t}}
{{$label := t "home.var"}}{{$label}}
{{t .DynamicKey}}
{{/* {{t "home.commented"}} */}}
<p>{{ t  "home.spaces" }}</p>
{{t "common.save"}}
{{end}}`)},
		"templates/form.html": {Data: []byte(`{{define "form"}}<button>{{t "common.save"}}</button>
<button>{{- t "common.cancel" -}}</button>{{end}}`)},
		"templates/plain.html": {Data: []byte(`<p>Inga nycklar, bara "t" i text och {{.T}}.</p>`)},
		"other/skip.html":      {Data: []byte(`{{t "not.scanned"}}`)},
	}
	got, err := i18n.TemplateKeys(fsys, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	home := []string{"templates/home.html"}
	want := map[string][]string{
		"home.title":      home,
		"home.welcome":    home,
		"common.items":    home,
		"home.link.title": home,
		"home.link":       home,
		"home.admin":      home,
		"home.guest":      home,
		"home.user":       home,
		"home.item":       home,
		"home.empty":      home,
		"home.flash":      home,
		"home.card":       home,
		"home.block":      home,
		"home.piped":      home,
		"home.var":        home,
		"home.spaces":     home,
		"common.save":     {"templates/form.html", "templates/home.html"},
		"common.cancel":   {"templates/form.html"},
	}
	for _, key := range slices.Sorted(maps.Keys(want)) {
		if !slices.Equal(got[key], want[key]) {
			t.Errorf("key %q: files %q, want %q", key, got[key], want[key])
		}
	}
	for key := range got {
		if _, ok := want[key]; !ok {
			t.Errorf("unexpected key %q in %q", key, got[key])
		}
	}
}

func TestTemplateKeys_FileMatchedTwiceIsListedOnce(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"a.html": {Data: []byte(`{{t "k"}}{{t "k"}}`)}}
	got, err := i18n.TemplateKeys(fsys, "*.html", "a.html")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.html"}; !slices.Equal(got["k"], want) {
		t.Errorf(`files of "k" = %q, want %q`, got["k"], want)
	}
}

func TestTemplateKeys_ReportsBadInput(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"ok.html":     {Data: []byte(`{{t "k"}}`)},
		"broken.html": {Data: []byte(`{{if .X}}{{t "k"}}`)},
		"dir/x.html":  {Data: []byte(`{{t "k"}}`)},
	}
	tests := []struct {
		name     string
		patterns []string
		wantErr  string
	}{
		{"pattern matches nothing", []string{"ok.html", "nothing/*.html"}, `"nothing/*.html" matches no files`},
		{"malformed pattern", []string{"[.html"}, "syntax error in pattern"},
		{"template does not parse", []string{"*.html"}, "broken.html"},
		{"directory matched", []string{"d*"}, "dir"},
	}
	for _, tt := range tests {
		_, err := i18n.TemplateKeys(fsys, tt.patterns...)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: TemplateKeys error = %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
}
