package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/alexedwards/scs/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func TestRender_TitleFillsItsNamedFields(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(Config{}, slog.New(slog.DiscardHandler), cat, scs.New())
	if err != nil {
		t.Fatal(err)
	}
	pages := fstest.MapFS{"t/edit.html": {Data: []byte(`{{define "content"}}<h1>{{title .}}</h1>{{end}}`)}}
	if err := s.AddTemplates("test", pages, "t"); err != nil {
		t.Fatal(err)
	}
	s.Handle("GET /andra", access.Public, func(w http.ResponseWriter, r *http.Request) error {
		return s.Render(w, r, http.StatusOK, "test/edit", "admin.users.edit", nil, "name", "Anna Andersson")
	})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	for lang, want := range map[string]string{"sv": "Ändra Anna Andersson", "en": "Edit Anna Andersson"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/andra", nil)
		req.Header.Set("Accept-Language", lang)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		_, _ = io.Copy(&b, res.Body)
		res.Body.Close()
		page := b.String()
		if !strings.Contains(page, "<title>"+want+" – Kunskapsnav</title>") || !strings.Contains(page, "<h1>"+want+"</h1>") {
			t.Errorf("%s: title and h1 are not %q:\n%s", lang, want, page)
		}
	}
}
