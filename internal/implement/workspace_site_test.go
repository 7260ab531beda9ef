package implement_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
)

// wsSite serves the implementation pages and API (and the catalog's pages,
// which link to them) over the service test's
// env, signed in per request by the X-Test-User header as one of the env's
// users: coordinator, lead, outsider, chief, auditor, unitA.
type wsSite struct {
	*env
	srv   *httptest.Server
	users map[string]access.Principal
}

func newWsSite(t *testing.T, d *db.DB) *wsSite {
	t.Helper()
	e := newEnv(t, d)
	s := &wsSite{env: e, users: map[string]access.Principal{
		"coordinator": access.From(e.coordinator), "lead": access.From(e.leadCtx), "outsider": access.From(e.outsiderCtx),
		"chief": access.From(e.chief), "auditor": access.From(e.auditor), "unitA": access.From(e.unitACtx),
	}}
	sessions := auth.NewSessions(auth.NewSessionStore(d, time.Now), time.Hour, 12*time.Hour, false)
	ws := must(web.NewServer(web.Config{Version: "test"}, slog.New(slog.DiscardHandler), e.texts, sessions))(t)
	if err := implement.Register(ws, api.New(ws, "test"), e.svc); err != nil {
		t.Fatal(err)
	}
	if err := catalog.Register(ws, e.catalog, e.svc.SupportLink); err != nil {
		t.Fatal(err)
	}
	signIn := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p, ok := s.users[r.Header.Get("X-Test-User")]; ok {
				r = r.WithContext(access.With(r.Context(), p))
			}
			next.ServeHTTP(w, r)
		})
	}
	s.srv = httptest.NewServer(ws.Handler(signIn))
	t.Cleanup(s.srv.Close)
	return s
}

// do sends a request as user (a form for a POST when form is not nil)
// without following redirects, and checks an HTML answer (wsCheckPage).
func (s *wsSite) do(t *testing.T, user, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := must(http.NewRequest(method, s.srv.URL+path, body))(t)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-Test-User", user)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res := must(c.Do(req))(t)
	defer res.Body.Close()
	b := string(must(io.ReadAll(res.Body))(t))
	wsCheckPage(t, method+" "+path, res, b)
	return res, b
}

// json sends a JSON request (body v, none when nil) to the API as user.
func (s *wsSite) json(t *testing.T, user, method, path string, v any) (*http.Response, map[string]any) {
	t.Helper()
	var body io.Reader
	if v != nil {
		body = strings.NewReader(string(must(json.Marshal(v))(t)))
	}
	req := must(http.NewRequest(method, s.srv.URL+"/api/v1"+path, body))(t)
	if v != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("X-Test-User", user)
	res := must(http.DefaultClient.Do(req))(t)
	defer res.Body.Close()
	var out map[string]any
	b := must(io.ReadAll(res.Body))(t)
	if len(b) > 0 && json.Unmarshal(b, &out) != nil {
		t.Fatalf("%s %s: not JSON: %s", method, path, b)
	}
	return res, out
}

var wsMissingKey = regexp.MustCompile(`⟦[^⟧]*⟧`)

// wsCheckPage fails on an HTML page that shows a key missing from the
// catalogue, has not one h1, misses what an accessible page needs, or whose
// error summary links to something that cannot take the focus.
func wsCheckPage(t *testing.T, what string, res *http.Response, body string) {
	t.Helper()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "<html") {
		return
	}
	if m := wsMissingKey.FindAllString(body, -1); m != nil {
		t.Errorf("%s: missing messages %v", what, m)
	}
	doc := htmltest.Parse(t, body)
	htmltest.CheckAccessible(t, doc)
	if n := len(doc.All("h1")); n != 1 {
		t.Errorf("%s: %d h1 elements", what, n)
	}
	for _, a := range doc.All(".error-summary a") {
		id, ok := strings.CutPrefix(htmltest.Attr(a, "href"), "#")
		if !ok {
			continue
		}
		targets := doc.All(`[id="` + id + `"]`)
		if len(targets) == 0 {
			t.Errorf("%s: the error summary links to %s, which is not on the page", what, id)
		}
		for _, n := range targets {
			if n.Data != "input" && n.Data != "select" && n.Data != "textarea" && !htmltest.HasAttr(n, "tabindex") {
				t.Errorf("%s: the error summary links to %s, a %s that cannot take the focus", what, id, n.Data)
			}
		}
	}
}

// wsWant fails unless the answer has status want and holds every one of texts.
func wsWant(t *testing.T, what string, res *http.Response, body string, want int, texts ...string) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, want, body)
	}
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s: the answer lacks %q\n%s", what, s, body)
		}
	}
}

// wsLacks fails if the body holds any of texts.
func wsLacks(t *testing.T, what, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(body, s) {
			t.Errorf("%s: the answer holds %q", what, s)
		}
	}
}

var wsVersionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// wsVersion reads the version a form on the page was read at.
func wsVersion(t *testing.T, body string) string {
	t.Helper()
	m := wsVersionField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version on the page:\n%s", body)
	}
	return m[1]
}
