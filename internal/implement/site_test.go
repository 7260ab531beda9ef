package implement_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/app"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
)

const sitePassword = "inforande-test-lösenord"

var siteHash = sync.OnceValues(func() (string, error) { return auth.HashPassword(sitePassword) })

// siteUsers are the fixture users a site signs in, by the name the tests
// give them (the env's field names): the username and the role it is given.
// A user the database does not hold (the kommun users outside cmEnv) is
// skipped.
var siteUsers = map[string]struct {
	username string
	role     access.Role
}{
	"coordinator": {"samordnare", access.Coordinator},
	"chief":       {"ledning", access.Leadership},
	"auditor":     {"revisor", access.Auditor},
	"lead":        {"lena lead", access.ImprovementLead},
	"outsider":    {"olle utanför", access.ImprovementLead},
	"unit":        {"agnes alfa", access.Unit}, // unitA's contact
	"unitB":       {"bertil beta", access.Unit},
	"kommunA":     {"kim kommun", access.Municipality},
	"kommunB":     {"kai kommun", access.Municipality},
}

// site is the whole app on a fixture's database, every fixture user's
// password set to sitePassword and the user given its role. A test names
// who sends a request by a key of siteUsers ("" is anonymous); each user
// signs in once, by the login form, and keeps its session.
type site struct {
	srv     *httptest.Server
	handler http.Handler

	mu      sync.Mutex
	clients map[string]*http.Client
}

// newSite serves the app on env's database and clock.
func newSite(t testing.TB, e *env) *site {
	t.Helper()
	return newSiteOn(t, e.d, e.clock.now)
}

// newSiteOn serves the app on d with the clock now.
func newSiteOn(t testing.TB, d *db.DB, now func() time.Time) *site {
	t.Helper()
	exec(t, d, `UPDATE users SET username = lower(username), password_hash = ?`, must(siteHash())(t))
	for _, u := range siteUsers {
		exec(t, d, `INSERT INTO user_roles (user_id, role) SELECT id, ? FROM users WHERE username = ?`, string(u.role), u.username)
	}
	a := must(app.New(app.Config{Now: now, PublicURL: publicURL}, slog.New(slog.DiscardHandler), d))(t)
	s := &site{handler: a.Handler, srv: httptest.NewServer(a.Handler), clients: map[string]*http.Client{}}
	t.Cleanup(s.srv.Close)
	return s
}

// client is who's browser, signed in at its first use. It follows no
// redirect.
func (s *site) client(t testing.TB, who string) *http.Client {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[who]; ok {
		return c
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if who != "" {
		u, ok := siteUsers[who]
		if !ok {
			t.Fatalf("no fixture user %q", who)
		}
		form := url.Values{"username": {u.username}, "password": {sitePassword}}
		res, body := s.roundTrip(t, c, http.MethodPost, "/logga-in", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in %s: status %d\n%s", who, res.StatusCode, body)
		}
	}
	s.clients[who] = c
	return c
}

// cookies are the session cookies of who, for requests served by s.handler
// directly.
func (s *site) cookies(t testing.TB, who string) []*http.Cookie {
	t.Helper()
	return s.client(t, who).Jar.Cookies(must(url.Parse(s.srv.URL))(t))
}

// request sends body of content type ctype ("" for none) as who, and
// checks the answer (checkAnswer).
func (s *site) request(t testing.TB, who, method, path, ctype string, body io.Reader) (*http.Response, string) {
	t.Helper()
	return s.roundTrip(t, s.client(t, who), method, path, ctype, body)
}

func (s *site) roundTrip(t testing.TB, c *http.Client, method, path, ctype string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req := must(http.NewRequest(method, s.srv.URL+path, body))(t)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res := must(c.Do(req))(t)
	defer res.Body.Close()
	b := string(must(io.ReadAll(res.Body))(t))
	checkAnswer(t, method+" "+path, res, b)
	return res, b
}

// send sends form (none when nil) as who.
func (s *site) send(t testing.TB, who, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	if form == nil {
		return s.request(t, who, method, path, "", nil)
	}
	return s.request(t, who, method, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func (s *site) get(t testing.TB, who, path string) (*http.Response, string) {
	t.Helper()
	return s.send(t, who, http.MethodGet, path, nil)
}

func (s *site) post(t testing.TB, who, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return s.send(t, who, http.MethodPost, path, form)
}

// api sends in (none when nil or ""; a string is sent as it is, anything else as
// its JSON) to /api/v1 as who, decodes the answer into out (when not nil:
// a success, or any answer into a *map[string]any) and returns the status.
func (s *site) api(t testing.TB, who, method, path string, in, out any) int {
	t.Helper()
	var body io.Reader
	switch in := in.(type) {
	case nil:
	case string:
		if in != "" {
			body = strings.NewReader(in)
		}
	default:
		body = bytes.NewReader(must(json.Marshal(in))(t))
	}
	res, b := s.request(t, who, method, "/api/v1"+path, "application/json", body)
	_, generic := out.(*map[string]any)
	if out != nil && b != "" && (res.StatusCode < 300 || generic) {
		if err := json.Unmarshal([]byte(b), out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, b)
		}
	}
	return res.StatusCode
}

// call is api with the answer as a generic JSON object.
func (s *site) call(t testing.TB, who, method, path string, in any) (int, map[string]any) {
	t.Helper()
	out := map[string]any{}
	return s.api(t, who, method, path, in, &out), out
}

var missingKey = regexp.MustCompile(`⟦[^⟧]*⟧`)

// checkAnswer fails on an answer that shows a key missing from the
// catalogue, and on an HTML page that has not one h1, misses what an
// accessible page needs, or whose error summary links to something that
// cannot take the focus.
func checkAnswer(t testing.TB, what string, res *http.Response, body string) {
	t.Helper()
	if m := missingKey.FindAllString(body, -1); m != nil {
		t.Errorf("%s: messages missing from the catalogue: %v", what, m)
	}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "<html") {
		return
	}
	doc := parsePage(t, body)
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

// parsePage parses an HTML page and checks that it is accessible.
func parsePage(t testing.TB, body string) *htmltest.Doc {
	t.Helper()
	doc := htmltest.Parse(t, body)
	htmltest.CheckAccessible(t, doc)
	return doc
}

// textsOf are the texts of the elements of doc matching sel.
func textsOf(doc *htmltest.Doc, sel string) []string {
	var out []string
	for _, n := range doc.All(sel) {
		out = append(out, htmltest.Text(n))
	}
	return out
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// pageVersion reads the version a form on the page was read at.
func pageVersion(t testing.TB, body string) string {
	t.Helper()
	m := versionField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version on the page:\n%s", body)
	}
	return m[1]
}

// itoa is n in a path or a form.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// implPath is the path of a page of implementation id.
func implPath(id int64, rest string) string { return "/inforande/" + itoa(id) + rest }

// jsonOf is v as JSON.
func jsonOf(t testing.TB, v any) string {
	t.Helper()
	return string(must(json.Marshal(v))(t))
}
