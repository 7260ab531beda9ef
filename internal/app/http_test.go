package app

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestHTTP_SecurityHeadersOnEveryAnswer(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	for _, path := range []string{"/", "/logga-in", "/finns-inte", "/static/app.css", "/healthz", "/api/v1/me"} {
		res, _ := ta.get(t, ta.client(t), path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Request-Id") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS sent over plain HTTP", path)
		}
	}
}

func TestHTTP_NotFoundPageInUsersLanguage(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	c := ta.client(t)
	res, html := ta.get(t, c, "/finns/inte")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(html, "Sidan finns inte") || !strings.Contains(html, `lang="sv"`) {
		t.Fatalf("404: %d\n%s", res.StatusCode, html)
	}
	req, _ := http.NewRequest(http.MethodGet, ta.srv.URL+"/finns/inte", nil)
	req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
	res2, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if b := body(t, res2); res2.StatusCode != http.StatusNotFound || !strings.Contains(b, "Page not found") {
		t.Fatalf("English 404: %d\n%s", res2.StatusCode, b)
	}
	res2.Body.Close()
}

func TestHTTP_LoginFailureKeepsInputAndNeverRevealsUsers(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	c := ta.client(t)
	known := ta.post(t, c, "/logga-in", url.Values{"username": {"samordnare"}, "password": {"fel"}})
	knownBody := body(t, known)
	unknown := ta.post(t, c, "/logga-in", url.Values{"username": {"okand"}, "password": {"fel"}})
	unknownBody := body(t, unknown)
	if known.StatusCode != unknown.StatusCode || known.StatusCode != http.StatusUnauthorized {
		t.Fatalf("statuses %d / %d", known.StatusCode, unknown.StatusCode)
	}
	for _, b := range []string{knownBody, unknownBody} {
		if !strings.Contains(b, "Fel användarnamn eller lösenord.") || !strings.Contains(b, `class="error-summary"`) {
			t.Errorf("login failure page lacks the error summary:\n%s", b)
		}
	}
	if !strings.Contains(knownBody, `value="samordnare"`) || strings.Contains(knownBody, `value="fel"`) {
		t.Errorf("the username must be kept and the password not echoed")
	}
	empty := ta.post(t, c, "/logga-in", url.Values{"username": {""}, "password": {""}})
	if b := body(t, empty); empty.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, `href="#f-username"`) || !strings.Contains(b, `aria-invalid="true"`) {
		t.Errorf("empty login: %d\n%s", empty.StatusCode, b)
	}
}

func TestHTTP_LoginLogoutAndNextIsLocalOnly(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	c := ta.client(t)
	res, _ := ta.get(t, c, "/konto")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/logga-in?next=%2Fkonto" {
		t.Fatalf("anonymous /konto: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	login := ta.post(t, c, "/logga-in", url.Values{"username": {"revisor"}, "password": {"demo"}, "next": {"//evil.example/x"}})
	if login.Header.Get("Location") != "/" {
		t.Fatalf("open redirect: Location %q", login.Header.Get("Location"))
	}
	res, html := ta.get(t, c, "/konto")
	if res.StatusCode != http.StatusOK || !strings.Contains(html, "Rut Revisor") {
		t.Fatalf("/konto signed in: %d", res.StatusCode)
	}
	out := ta.post(t, c, "/logga-ut", nil)
	if out.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", out.StatusCode)
	}
	if res, _ := ta.get(t, c, "/konto"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout /konto: %d", res.StatusCode)
	}
}

func TestHTTP_CrossOriginPostIsRefused(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	c := ta.login(t, "demo")
	req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+"/konto/nycklar", strings.NewReader("name=stulen"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d, want 403", res.StatusCode)
	}
	u, _ := ta.Auth.UserByUsername(context.Background(), "demo")
	if tokens, _ := ta.Auth.Tokens(context.Background(), u.ID); len(tokens) != 0 {
		t.Fatalf("cross-site POST created a token")
	}
}

func TestHTTP_OversizedBodyIs413(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	c := ta.client(t)
	big := bytes.Repeat([]byte("a"), 2<<20)
	req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+"/logga-in", bytes.NewReader(append([]byte("username="), big...)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MiB form: %d, want 413", res.StatusCode)
	}
}

func TestHTTP_LanguageSwitchIsRememberedPerUser(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		c := ta.login(t, "ledning")
		res := ta.post(t, c, "/sprak", url.Values{"lang": {"en"}, "next": {"/konto"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/konto" {
			t.Fatalf("switch: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		// A fresh browser (no cookie) still gets English after login.
		c2 := ta.login(t, "ledning")
		for _, u := range c2.Jar.Cookies(mustURL(ta.srv.URL)) {
			if u.Name == "kn_lang" {
				u.Value = "sv"
			}
		}
		_, html := ta.get(t, c2, "/konto")
		if !strings.Contains(html, `lang="en"`) || !strings.Contains(html, "My account") {
			t.Fatalf("saved language not used")
		}
		bad := ta.post(t, c, "/sprak", url.Values{"lang": {"fi"}})
		if bad.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("unknown language: %d", bad.StatusCode)
		}
	})
}

func mustURL(s string) *url.URL { u, _ := url.Parse(s); return u }

func TestHTTP_HealthReadinessAndMetrics(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		c := ta.client(t)
		for _, path := range []string{"/healthz", "/readyz"} {
			if res, b := ta.get(t, c, path); res.StatusCode != http.StatusOK {
				t.Errorf("%s: %d %s", path, res.StatusCode, b)
			}
		}
		ta.get(t, c, "/logga-in")
		res, m := ta.get(t, c, "/metrics")
		if res.StatusCode != http.StatusOK || !strings.Contains(m, `kunskapsnav_http_requests_total{method="GET",route="GET /logga-in",status="200"}`) || !strings.Contains(m, "go_goroutines") {
			t.Fatalf("/metrics: %d\n%.2000s", res.StatusCode, m)
		}
	})
}

func TestDemo_RefusesDatabaseWithRealData(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		if loaded, err := ta.LoadDemo(context.Background()); err != nil || loaded {
			t.Fatalf("second demo load: %v, %v; want a no-op", loaded, err)
		}
		if _, err := ta.Auth.CreateUser(context.Background(), auth.NewUser{Username: "riktig", DisplayName: "Riktig Person", Password: "ett långt lösenord"}); err != nil {
			t.Fatal(err)
		}
		if _, err := ta.LoadDemo(context.Background()); !errors.Is(err, ErrNotDemoDatabase) {
			t.Fatalf("demo on real data: %v, want ErrNotDemoDatabase", err)
		}
	})
}
