package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// uploadServer serves POST /vanlig (server-wide limit, 1 KiB here) and
// POST /uppladdning (4 KiB, signed-in users only), each answering with the
// size of the body it read.
func uploadServer(t *testing.T) *httptest.Server {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(Config{MaxBody: 1 << 10}, slog.New(slog.DiscardHandler), cat, scs.New())
	if err != nil {
		t.Fatal(err)
	}
	readAll := func(w http.ResponseWriter, r *http.Request) error {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, strings.Repeat("x", len(b)))
		return err
	}
	s.Handle("POST /vanlig", access.Public, readAll)
	s.HandleUpload("POST /uppladdning", access.SignedIn, 4<<10, readAll)
	signIn := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Test-User") != "" {
				r = r.WithContext(access.With(r.Context(), access.Principal{UserID: 1}))
			}
			next.ServeHTTP(w, r)
		})
	}
	srv := httptest.NewServer(s.Handler(signIn))
	t.Cleanup(srv.Close)
	return srv
}

func TestHandleUpload_RouteLimitReplacesServerLimit(t *testing.T) {
	t.Parallel()
	srv := uploadServer(t)
	tests := []struct {
		name   string
		path   string
		size   int
		user   bool
		status int
	}{
		{"normal route within server limit", "/vanlig", 1 << 10, false, http.StatusOK},
		{"normal route over server limit", "/vanlig", 2 << 10, false, http.StatusRequestEntityTooLarge},
		{"upload route over server limit, within its own", "/uppladdning", 4 << 10, true, http.StatusOK},
		{"upload route over its own limit", "/uppladdning", 5 << 10, true, http.StatusRequestEntityTooLarge},
		{"upload route refuses before reading for the anonymous", "/uppladdning", 2 << 10, false, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+tt.path, bytes.NewReader(bytes.Repeat([]byte("a"), tt.size)))
			req.Header.Set("Content-Type", "application/octet-stream")
			req.Header.Set("Accept-Language", "en")
			if tt.user {
				req.Header.Set("X-Test-User", "1")
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.status {
				t.Fatalf("%d bytes: %d, want %d\n%s", tt.size, res.StatusCode, tt.status, b)
			}
			if tt.status == http.StatusOK && len(b) != tt.size {
				t.Errorf("handler read %d bytes of %d", len(b), tt.size)
			}
			if tt.status == http.StatusRequestEntityTooLarge && !strings.Contains(string(b), "MB") {
				t.Errorf("413 page does not name the limit:\n%s", b)
			}
		})
	}
}

func TestHandleUpload_RouteListsItsLimit(t *testing.T) {
	t.Parallel()
	cat, _ := i18n.Load()
	s, err := NewServer(Config{}, slog.New(slog.DiscardHandler), cat, scs.New())
	if err != nil {
		t.Fatal(err)
	}
	s.HandleUpload("POST /fil", access.SignedIn, 20<<20, func(http.ResponseWriter, *http.Request) error { return nil })
	s.Handle("POST /annat", access.SignedIn, func(http.ResponseWriter, *http.Request) error { return nil })
	got := map[string]int64{}
	for _, r := range s.Routes() {
		got[r.Path] = r.MaxBody
	}
	if got["/fil"] != 20<<20 || got["/annat"] != 0 {
		t.Errorf("limits listed: %v", got)
	}
}
