package forum_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// site is the package's pages and API wired as internal/app wires them,
// behind a real HTTP server; its users sign in with one password.
type site struct {
	srv      *httptest.Server
	password string
}

func newSite(t testing.TB, d *db.DB, svc *forum.Service, authSvc *auth.Service, password string) *site {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	sessions := auth.NewSessions(auth.NewSessionStore(d, time.Now), time.Hour, 12*time.Hour, false)
	ws, err := web.NewServer(web.Config{Version: "test"}, slog.New(slog.DiscardHandler), cat, sessions)
	if err != nil {
		t.Fatal(err)
	}
	if err := auth.Register(ws, authSvc); err != nil {
		t.Fatal(err)
	}
	if err := forum.Register(ws, api.New(ws, "test"), svc); err != nil {
		t.Fatal(err)
	}
	s := &site{srv: httptest.NewServer(ws.Handler(auth.Middleware(authSvc, ws))), password: password}
	t.Cleanup(s.srv.Close)
	return s
}

// login signs username in and returns their browser, which does not follow
// redirects.
func (s *site) login(t testing.TB, username string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, body := s.do(t, c, http.MethodPost, "/logga-in", "application/x-www-form-urlencoded",
		url.Values{"username": {username}, "password": {s.password}}.Encode()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d\n%s", username, res.StatusCode, body)
	}
	return c
}

func (s *site) get(t testing.TB, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	return s.do(t, c, http.MethodGet, path, "", "")
}

func (s *site) post(t testing.TB, c *http.Client, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return s.do(t, c, http.MethodPost, path, "application/x-www-form-urlencoded", form.Encode())
}

// upload posts a multipart form with the fields and, unless name is empty,
// one file.
func (s *site) upload(t testing.TB, c *http.Client, path, name string, content []byte, fields url.Values) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if name != "" {
		part, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := part.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return s.do(t, c, http.MethodPost, path, w.FormDataContentType(), buf.String())
}

// api calls the JSON API with c's session and decodes the answer.
func (s *site) api(t testing.TB, c *http.Client, method, path, body string, want int) map[string]any {
	t.Helper()
	res, text := s.do(t, c, method, "/api/v1"+path, "application/json", body)
	if res.StatusCode != want {
		t.Fatalf("%s %s %s: status %d, want %d\n%s", method, path, body, res.StatusCode, want, text)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(text), &out); err != nil && text != "" {
		t.Fatalf("%s %s: %v\n%s", method, path, err, text)
	}
	return out
}

var missingMessage = regexp.MustCompile(`⟦[^⟧]*⟧`)

// do sends a request with c's session and returns the answer and its body;
// a page that shows a message missing from the catalogue fails the test.
func (s *site) do(t testing.TB, c *http.Client, method, path, contentType, body string) (*http.Response, string) {
	t.Helper()
	var r io.Reader
	if body != "" || method != http.MethodGet {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.srv.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if m := missingMessage.FindString(text); m != "" {
		t.Errorf("%s %s: a message is missing from the catalogue: %s", method, path, m)
	}
	return res, text
}

// testUser is a test account's username and role.
type testUser struct {
	name string
	role access.Role
}

// createUsers makes an account for each user, shown as its username with a
// capital first letter and signing in with password, and returns who each is.
func createUsers(t testing.TB, ctx context.Context, a *auth.Service, password string, users ...testUser) map[string]access.Principal {
	t.Helper()
	out := map[string]access.Principal{}
	for _, u := range users {
		created, err := a.CreateUser(ctx, auth.NewUser{Username: u.name, DisplayName: strings.ToUpper(u.name[:1]) + u.name[1:],
			Password: password, Roles: []access.Role{u.role}, Locale: "sv"})
		if err != nil {
			t.Fatal(err)
		}
		out[u.name] = created.Principal()
	}
	return out
}
