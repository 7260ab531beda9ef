package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// TestNodes_ShareSessions runs two app nodes on one database: a session made
// by signing in on one node is valid on the other, and signing out on the
// second ends it on the first.
func TestNodes_ShareSessions(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			d1, url := dbtest.OpenSeededURL(t, e, demoKey, seedDemo)
			d2, err := db.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d2.Close() })
			log := slog.New(slog.NewJSONHandler(io.Discard, nil))
			node1, err := New(Config{}, log, d1)
			if err != nil {
				t.Fatal(err)
			}
			node2, err := New(Config{}, log, d2)
			if err != nil {
				t.Fatal(err)
			}
			ta1 := &testApp{App: node1, srv: httptest.NewServer(node1.Handler)}
			ta2 := &testApp{App: node2, srv: httptest.NewServer(node2.Handler)}
			t.Cleanup(ta1.srv.Close)
			t.Cleanup(ta2.srv.Close)

			c := ta1.login(t, "ledning")
			var cookie *http.Cookie
			for _, ck := range c.Jar.Cookies(mustURL(ta1.srv.URL)) {
				if ck.Name == "kn_session" {
					cookie = ck
				}
			}
			if cookie == nil {
				t.Fatal("no session cookie")
			}
			get := func(base string) (int, string) {
				req, _ := http.NewRequest(http.MethodGet, base+"/konto", nil)
				req.AddCookie(cookie)
				res, err := ta1.client(t).Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				return res.StatusCode, string(b)
			}
			if code, body := get(ta2.srv.URL); code != http.StatusOK || !strings.Contains(body, "Lena Ledning") {
				t.Fatalf("node 2 does not know the session: %d", code)
			}
			req, _ := http.NewRequest(http.MethodPost, ta2.srv.URL+"/logga-ut", nil)
			req.AddCookie(cookie)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			res, err := ta2.client(t).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if code, _ := get(ta1.srv.URL); code != http.StatusSeeOther {
				t.Fatalf("session still valid on node 1 after logout on node 2: %d", code)
			}
		})
	}
}
