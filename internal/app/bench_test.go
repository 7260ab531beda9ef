package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// benchApp wires the app on SQLite with demo data, for benchmarks.
func benchApp(b *testing.B) *App {
	b.Helper()
	a, err := New(Config{}, slog.New(slog.NewJSONHandler(io.Discard, nil)), dbtest.OpenSeeded(b, db.SQLite, demoKey, seedDemo))
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// sessionCookie signs in username and returns the session cookie.
func sessionCookie(b *testing.B, h http.Handler, username string) *http.Cookie {
	b.Helper()
	form := url.Values{"username": {username}, "password": {DemoPassword}}
	req := httptest.NewRequest(http.MethodPost, "/logga-in", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "kn_session" {
			return c
		}
	}
	b.Fatalf("login failed: %d", rec.Code)
	return nil
}

// BenchmarkPage_Anonymous measures the whole middleware chain plus a rendered
// page (the login page) for a visitor: target well under 1 ms.
func BenchmarkPage_Anonymous(b *testing.B) {
	h := benchApp(b).Handler
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/logga-in", nil))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkPage_SignedIn measures chain + session lookup in the database + user
// load + the rendered start page for a signed-in user.
func BenchmarkPage_SignedIn(b *testing.B) {
	h := benchApp(b).Handler
	c := sessionCookie(b, h, "samordnare")
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.AddCookie(c)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkAPI_Me measures a Bearer-token API call.
func BenchmarkAPI_Me(b *testing.B) {
	a := benchApp(b)
	u, err := a.Auth.UserByUsername(context.Background(), "revisor")
	if err != nil {
		b.Fatal(err)
	}
	secret, _, err := a.Auth.CreateToken(context.Background(), u.ID, authToken("bench"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		rec := httptest.NewRecorder()
		a.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code, rec.Body.String())
		}
	}
}

// BenchmarkStartup_Demo measures what `serve --demo` does before it listens on
// a fresh SQLite file: open, migrate, wire, load demo data. Target: well under
// 2 s. It also reports the process's resident memory afterwards (RSS-MiB).
func BenchmarkStartup_Demo(b *testing.B) {
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	for b.Loop() {
		b.StopTimer()
		url := "sqlite:" + b.TempDir() + "/bench.db"
		b.StartTimer()
		d, err := Open(context.Background(), url)
		if err != nil {
			b.Fatal(err)
		}
		a, err := New(Config{}, log, d)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.LoadDemo(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		d.Close()
		b.StartTimer()
	}
	if rss, ok := residentMiB(); ok {
		b.ReportMetric(rss, "RSS-MiB")
	}
}
