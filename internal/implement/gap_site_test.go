package implement_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
)

// gpSite serves the implementation pages and API on an env, signing each
// request in as the user its X-Test-As header names.
type gpSite struct {
	e   *env
	srv *httptest.Server
	as  map[string]context.Context
}

func newGpSite(t *testing.T, d *db.DB) *gpSite {
	t.Helper()
	e := newEnv(t, d)
	s, err := web.NewServer(web.Config{}, slog.New(slog.DiscardHandler), e.texts, scs.New())
	if err != nil {
		t.Fatal(err)
	}
	a := api.New(s, "test")
	if err := implement.Register(s, a, e.svc); err != nil {
		t.Fatal(err)
	}
	site := &gpSite{e: e, as: map[string]context.Context{"coordinator": e.coordinator, "lead": e.leadCtx, "outsider": e.outsiderCtx,
		"chief": e.chief, "auditor": e.auditor, "unit": e.unitACtx}}
	signIn := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ctx, ok := site.as[r.Header.Get("X-Test-As")]; ok {
				r = r.WithContext(access.With(r.Context(), access.From(ctx)))
			}
			next.ServeHTTP(w, r)
		})
	}
	site.srv = httptest.NewServer(s.Handler(signIn))
	t.Cleanup(site.srv.Close)
	return site
}

// do sends a request as user (a key of s.as, or "" for anonymous): a GET,
// or a POST of form when form is not nil. It follows no redirect.
func (s *gpSite) do(t *testing.T, user, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	method, body, ctype := http.MethodGet, io.Reader(nil), ""
	if form != nil {
		method, body, ctype = http.MethodPost, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	return s.send(t, user, method, path, body, ctype)
}

// call sends a JSON request to the API as user and decodes the answer.
func (s *gpSite) call(t *testing.T, user, method, path, body string) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	res, text := s.send(t, user, method, "/api/v1"+path, r, "application/json")
	out := map[string]any{}
	if text != "" {
		if err := json.Unmarshal([]byte(text), &out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, text)
		}
	}
	return res.StatusCode, out
}

func (s *gpSite) send(t *testing.T, user, method, path string, body io.Reader, ctype string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("X-Test-As", user)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// page checks that an HTML answer is well built and returns it parsed.
func gpPage(t *testing.T, body string) *htmltest.Doc {
	t.Helper()
	doc := htmltest.Parse(t, body)
	htmltest.CheckAccessible(t, doc)
	return doc
}

// gpTexts returns the texts of the elements matching sel.
func gpTexts(doc *htmltest.Doc, sel string) []string {
	var out []string
	for _, n := range doc.All(sel) {
		out = append(out, htmltest.Text(n))
	}
	return out
}
