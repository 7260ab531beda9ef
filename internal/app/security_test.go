package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestHTTP_TLSTurnsOnHSTSAndSecureCookies(t *testing.T) {
	t.Parallel()
	a, err := New(Config{PublicURL: "https://kunskapsnav.example"}, slog.New(slog.NewJSONHandler(io.Discard, nil)), dbtest.OpenSeeded(t, db.SQLite, demoKey, seedDemo))
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"username": {"demo"}, "password": {DemoPassword}}
	req := httptest.NewRequest(http.MethodPost, "/logga-in", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := httptest.NewRecorder()
	a.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", rec.Code)
	}
	if !strings.Contains(rec.Header().Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS behind TLS")
	}
	cookies := rec.Result().Cookies()
	if len(cookies) == 0 {
		t.Fatal("no cookies set")
	}
	for _, c := range cookies {
		if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie %s: Secure=%v HttpOnly=%v SameSite=%v", c.Name, c.Secure, c.HttpOnly, c.SameSite)
		}
	}
}

func TestHTTP_LogsCarryNoSecrets(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	d := dbtest.Open(t, db.SQLite)
	a, err := New(Config{}, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.LoadDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	ta := &testApp{App: a, srv: httptest.NewServer(a.Handler)}
	t.Cleanup(ta.srv.Close)
	c := ta.login(t, "samordnare")
	ta.get(t, c, "/konto?secret=query-value")
	tok := ta.token(t, "samordnare")
	ta.apiCall(t, http.MethodGet, "/api/v1/me", tok, "")
	ta.post(t, ta.client(t), "/logga-in", url.Values{"username": {"samordnare"}, "password": {"fel-lösenord-123"}})

	var session string
	for _, ck := range c.Jar.Cookies(mustURL(ta.srv.URL)) {
		if ck.Name == "kn_session" {
			session = ck.Value
		}
	}
	out := logs.String()
	if !strings.Contains(out, `"request_id"`) || !strings.Contains(out, `"path":"/konto"`) {
		t.Fatalf("request log lines missing:\n%s", out)
	}
	for what, secret := range map[string]string{"session id": session, "API token": tok, "password": "fel-lösenord-123", "demo password": `"demo"`, "query string": "query-value"} {
		if secret != "" && strings.Contains(out, secret) {
			t.Errorf("the log contains the %s", what)
		}
	}
}

func TestHTTP_InternalErrorShowsRequestID(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	a, err := New(Config{}, slog.New(slog.NewJSONHandler(&logs, nil)), dbtest.Open(t, db.SQLite))
	if err != nil {
		t.Fatal(err)
	}
	a.Web.Handle("GET /test/panic", access.Public, func(http.ResponseWriter, *http.Request) error { panic("boom") })
	rec := httptest.NewRecorder()
	a.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/test/panic", nil))
	id := rec.Header().Get("X-Request-Id")
	if rec.Code != http.StatusInternalServerError || id == "" || !strings.Contains(rec.Body.String(), id) || !strings.Contains(rec.Body.String(), "Något gick fel") {
		t.Fatalf("500 page: %d, id %q\n%s", rec.Code, id, rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "boom") {
		t.Error("the 500 page shows internals")
	}
	if !strings.Contains(logs.String(), id) || !strings.Contains(logs.String(), "boom") {
		t.Error("the panic is not logged with its request id")
	}
}
