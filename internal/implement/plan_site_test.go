package implement_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// planSite serves the implementation pages and API over env's database;
// the header X-Plan-As names who is signed in (one of env's contexts).
type planSite struct {
	srv     *httptest.Server
	handler http.Handler
	as      map[string]access.Principal
}

func newPlanSite(t testing.TB, e *env) *planSite {
	t.Helper()
	as := map[string]access.Principal{}
	for name, ctx := range map[string]context.Context{"coordinator": e.coordinator, "chief": e.chief, "auditor": e.auditor,
		"lead": e.leadCtx, "outsider": e.outsiderCtx, "unit": e.unitACtx} {
		p := access.From(ctx)
		p.Username = name
		as[name] = p
	}
	return newPlanServer(t, e.d, e.texts, e.svc, as)
}

// newPlanServer serves svc's pages and API; the header X-Plan-As signs in
// one of as.
func newPlanServer(t testing.TB, d *db.DB, texts *i18n.Catalog, svc *implement.Service, as map[string]access.Principal) *planSite {
	t.Helper()
	sessions := auth.NewSessions(auth.NewSessionStore(d, time.Now), time.Hour, 12*time.Hour, false)
	ws, err := web.NewServer(web.Config{Version: "test"}, slog.New(slog.DiscardHandler), texts, sessions)
	if err != nil {
		t.Fatal(err)
	}
	a := api.New(ws, "test")
	if err := implement.Register(ws, a, svc); err != nil {
		t.Fatal(err)
	}
	s := &planSite{as: as}
	signIn := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p, ok := s.as[r.Header.Get("X-Plan-As")]; ok {
				r = r.WithContext(access.With(r.Context(), p))
			}
			next.ServeHTTP(w, r)
		})
	}
	s.handler = ws.Handler(signIn)
	s.srv = httptest.NewServer(s.handler)
	t.Cleanup(s.srv.Close)
	return s
}

var planMissing = regexp.MustCompile(`⟦[^⟧]*⟧`)

// send makes a request as who; a form when form is not nil, JSON when body
// is not "".
func (s *planSite) send(t testing.TB, who, method, path string, form url.Values, body string) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	switch {
	case form != nil:
		rd = strings.NewReader(form.Encode())
	case body != "":
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Plan-As", who)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	switch {
	case form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case body != "":
		req.Header.Set("Content-Type", "application/json")
	}
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
	if m := planMissing.FindString(string(b)); m != "" {
		t.Errorf("%s %s: a message is missing from the catalogue: %s", method, path, m)
	}
	return res, string(b)
}

func (s *planSite) get(t testing.TB, who, path string) (*http.Response, string) {
	t.Helper()
	return s.send(t, who, http.MethodGet, path, nil, "")
}

func (s *planSite) post(t testing.TB, who, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return s.send(t, who, http.MethodPost, path, form, "")
}

// planWant checks the status and that body holds each text ("!text": lacks it).
func planWant(t testing.TB, what string, res *http.Response, body string, status int, texts ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, body)
	}
	for _, x := range texts {
		if not, ok := strings.CutPrefix(x, "!"); ok {
			if strings.Contains(body, not) {
				t.Errorf("%s: page holds %q", what, not)
			}
		} else if !strings.Contains(body, x) {
			t.Errorf("%s: page lacks %q", what, x)
		}
	}
}
