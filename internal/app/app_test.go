package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testApp is a wired app with demo data behind a real HTTP server.
type testApp struct {
	*App
	srv *httptest.Server
}

// newTestApp wires an app on d, a database from dbtest that nothing uses yet,
// after filling d with a copy of the demo data (see seedDemo).
func newTestApp(t *testing.T, d *db.DB) *testApp {
	t.Helper()
	dbtest.Seed(t, d, demoKey, seedDemo)
	a, err := New(Config{}, slog.New(slog.DiscardHandler), d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return &testApp{App: a, srv: srv}
}

// demoKey names the demo data among dbtest's seeded templates.
const demoKey = "app.LoadDemo"

// seedDemo loads the demo data as serve --demo does. dbtest runs it once per
// engine and test binary and gives each test a copy, which is much faster than
// loading the demo in every test. The demo's dates follow the clock at seeding.
func seedDemo(ctx context.Context, d *db.DB) error {
	a, err := New(Config{}, slog.New(slog.DiscardHandler), d)
	if err != nil {
		return err
	}
	_, err = a.LoadDemo(ctx)
	return err
}

// client returns an HTTP client with its own cookie jar that does not follow
// redirects, so tests see exactly what the server answered.
func (ta *testApp) client(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs in username with the demo password and returns the client.
func (ta *testApp) login(t *testing.T, username string) *http.Client {
	t.Helper()
	c := ta.client(t)
	res := ta.post(t, c, "/logga-in", url.Values{"username": {username}, "password": {DemoPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d", username, res.StatusCode)
	}
	return c
}

// post submits a form as a browser on the same site would.
func (ta *testApp) post(t *testing.T, c *http.Client, path string, form url.Values) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func (ta *testApp) get(t *testing.T, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	res, err := c.Get(ta.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func authToken(name string) auth.NewToken { return auth.NewToken{Name: name} }
