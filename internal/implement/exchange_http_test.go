package implement_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/app"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

const exPassword = "utbyte-test-lösenord"

var exHash = sync.OnceValues(func() (string, error) { return auth.HashPassword(exPassword) })

// exSite is the whole app on the env fixture's database, every user's
// password set to exPassword.
type exSite struct {
	*env
	srv *httptest.Server
}

func newExSite(t *testing.T, d *db.DB) *exSite {
	t.Helper()
	e := newEnv(t, d)
	h := must(exHash())(t)
	if _, err := d.ExecContext(t.Context(), `UPDATE users SET username = lower(username), password_hash = ?`, h); err != nil {
		t.Fatal(err)
	}
	for username, role := range map[string]access.Role{"lena lead": access.ImprovementLead, "olle utanför": access.ImprovementLead,
		"agnes alfa": access.Unit, "bertil beta": access.Unit, "samordnare": access.Coordinator} {
		if _, err := d.ExecContext(t.Context(), `INSERT INTO user_roles (user_id, role) SELECT id, ? FROM users WHERE username = ?`, string(role), username); err != nil {
			t.Fatal(err)
		}
	}
	a := must(app.New(app.Config{Now: e.clock.now}, slog.New(slog.DiscardHandler), d))(t)
	s := &exSite{env: e, srv: httptest.NewServer(a.Handler)}
	t.Cleanup(s.srv.Close)
	return s
}

// browser signs username in and returns a client that does not follow
// redirects.
func (s *exSite) browser(t *testing.T, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, _ := s.send(t, c, http.MethodPost, "/logga-in", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"username": {username}, "password": {exPassword}}.Encode()))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d", username, res.StatusCode)
	}
	return c
}

var exMissing = regexp.MustCompile(`⟦[^⟧]*⟧`)

func (s *exSite) send(t *testing.T, c *http.Client, method, path, contentType string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, body)
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
	b, _ := io.ReadAll(res.Body)
	if m := exMissing.Find(b); m != nil {
		t.Errorf("%s %s shows a message missing from the catalogue: %s", method, path, m)
	}
	return res, string(b)
}

// upload posts file under name to the exchange page of implementation id.
func (s *exSite) upload(t *testing.T, c *http.Client, id int64, name string, file []byte) (*http.Response, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, _ := w.CreateFormFile("file", name)
	part.Write(file)
	w.Close()
	return s.send(t, c, http.MethodPost, "/inforande/"+strconv.FormatInt(id, 10)+"/utbyte", w.FormDataContentType(), &b)
}

func exPath(id int64, rest string) string { return "/inforande/" + strconv.FormatInt(id, 10) + rest }

func TestExchangeHTTP_Pages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newExSite(t, d)
		a := exAnalysed(t, s.env)
		b, _ := exSecond(t, s.env, "R1", "R2", "R3")
		lead, outsider, unit := s.browser(t, "lena lead"), s.browser(t, "olle utanför"), s.browser(t, "agnes alfa")

		res, body := s.send(t, lead, http.MethodGet, exPath(a.ID, "/utbyte.json"), "", nil)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("download: %d %v", res.StatusCode, res.Header)
		}
		file := []byte(body)
		tmpl := must(s.svc.Template(s.coordinator, b.TemplateID))(t)
		if _, err := implement.ParseExchange(file, tmpl); err != nil {
			t.Fatalf("downloaded file: %v", err)
		}

		res, body = s.send(t, lead, http.MethodGet, exPath(b.ID, "/utbyte"), "", nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, exPath(b.ID, "/utbyte.json")) {
			t.Fatalf("exchange page: %d\n%s", res.StatusCode, body)
		}
		if _, body = s.send(t, outsider, http.MethodGet, exPath(b.ID, "/utbyte"), "", nil); strings.Contains(body, `enctype="multipart/form-data"`) {
			t.Error("a reader is offered the upload form")
		}

		bad := exEdit(t, file, func(doc map[string]any) { doc["schema_version"] = "7" })
		cases := []struct {
			name   string
			c      *http.Client
			file   string
			body   []byte
			status int
			want   []string
		}{
			{"unknown version", lead, "fil.json", bad, http.StatusUnprocessableEntity, []string{"/schema_version", "&#34;7&#34;", "aria-invalid"}},
			{"schema violation", lead, "fil.json", exEdit(t, file, func(doc map[string]any) { delete(doc, "support") }), http.StatusUnprocessableEntity, []string{"<code>/support</code>"}},
			{"not json by name", lead, "fil.txt", file, http.StatusUnprocessableEntity, []string{"f-file-error"}},
			{"empty", lead, "fil.json", nil, http.StatusUnprocessableEntity, []string{"f-file-error"}},
			{"outsider", outsider, "fil.json", file, http.StatusForbidden, nil},
			{"unit user", unit, "fil.json", file, http.StatusForbidden, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res, body := s.upload(t, c.c, b.ID, c.file, c.body)
				if res.StatusCode != c.status {
					t.Fatalf("status %d, want %d\n%s", res.StatusCode, c.status, body)
				}
				for _, w := range c.want {
					if !strings.Contains(body, w) {
						t.Errorf("page lacks %q", w)
					}
				}
			})
		}
		if n := exCount(t, s.env, b.ID); n != 0 {
			t.Fatalf("%d comparisons after refused uploads", n)
		}

		res, _ = s.upload(t, lead, b.ID, "Region Grann.json", file)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), exPath(b.ID, "/jamforelse/")) {
			t.Fatalf("upload: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		cmp := res.Header.Get("Location")
		if res, body = s.send(t, lead, http.MethodGet, cmp, "", nil); res.StatusCode != http.StatusOK || !strings.Contains(body, "Olika gapstorlek") {
			t.Errorf("comparison page: %d\n%s", res.StatusCode, body)
		}
		if res, _ = s.send(t, outsider, http.MethodGet, cmp, "", nil); res.StatusCode != http.StatusOK {
			t.Errorf("comparison page as a reader: %d", res.StatusCode)
		}
		if res, _ = s.send(t, unit, http.MethodGet, cmp, "", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("comparison page as a unit user: %d", res.StatusCode)
		}
		if res, _ = s.upload(t, lead, b.ID, "igen.json", file); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("same file again: %d", res.StatusCode)
		}
		if res, _ = s.send(t, outsider, http.MethodPost, cmp+"/ta-bort", "application/x-www-form-urlencoded", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("delete as a reader: %d", res.StatusCode)
		}
		if res, _ = s.send(t, lead, http.MethodGet, cmp+"/ta-bort", "", nil); res.StatusCode != http.StatusOK {
			t.Errorf("delete page: %d", res.StatusCode)
		}
		if res, _ = s.send(t, lead, http.MethodPost, cmp+"/ta-bort", "application/x-www-form-urlencoded", nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("delete: %d", res.StatusCode)
		}
		if res, _ = s.send(t, lead, http.MethodGet, cmp, "", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleted comparison: %d", res.StatusCode)
		}
	})
}

func TestExchangeAPI(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newExSite(t, d)
		a := exAnalysed(t, s.env)
		b, _ := exSecond(t, s.env, "R1", "R2", "R4")
		lead, outsider, unit := s.browser(t, "lena lead"), s.browser(t, "olle utanför"), s.browser(t, "agnes alfa")
		api := func(id int64, rest string) string {
			return "/api/v1/implementations/" + strconv.FormatInt(id, 10) + rest
		}

		res, body := s.send(t, lead, http.MethodGet, api(a.ID, "/exchange"), "", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("export: %d %s", res.StatusCode, body)
		}
		var x implement.Exchange
		if err := json.Unmarshal([]byte(body), &x); err != nil || x.SchemaVersion != "1" || len(x.Recommendations) != 3 {
			t.Fatalf("export: %v %+v", err, x)
		}
		file := x.Marshal()
		if res, _ = s.send(t, unit, http.MethodGet, api(a.ID, "/exchange"), "", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("export as a unit user: %d", res.StatusCode)
		}

		bad := exEdit(t, file, func(doc map[string]any) {
			doc["recommendations"].([]any)[0].(map[string]any)["gap"].(map[string]any)["size"] = "huge"
		})
		res, body = s.send(t, lead, http.MethodPost, api(b.ID, "/comparisons"), "application/json", bytes.NewReader(bad))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"location":"body.recommendations.0.gap.size"`) ||
			!strings.Contains(body, "/recommendations/0/gap/size") {
			t.Errorf("bad file: %d %s", res.StatusCode, body)
		}
		if res, _ = s.send(t, outsider, http.MethodPost, api(b.ID, "/comparisons"), "application/json", bytes.NewReader(file)); res.StatusCode != http.StatusForbidden {
			t.Errorf("import as outsider: %d", res.StatusCode)
		}
		res, body = s.send(t, lead, http.MethodPost, api(b.ID, "/comparisons"), "application/json", bytes.NewReader(file))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("import: %d %s", res.StatusCode, body)
		}
		var imp implement.Imported
		if err := json.Unmarshal([]byte(body), &imp); err != nil || imp.Comparison.ID == 0 || len(imp.Unmatched) != 1 || imp.Unmatched[0] != "R3" {
			t.Fatalf("import answer: %v %s", err, body)
		}
		if res, body = s.send(t, lead, http.MethodPost, api(b.ID, "/comparisons"), "application/json", bytes.NewReader(file)); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("same file again: %d %s", res.StatusCode, body)
		}
		cid := strconv.FormatInt(imp.Comparison.ID, 10)
		res, body = s.send(t, outsider, http.MethodGet, api(b.ID, "/comparisons/"+cid), "", nil)
		var v struct {
			Rows       []implement.ComparedRow            `json:"rows"`
			OnlyOurs   []implement.ExchangeRecommendation `json:"only_ours"`
			OnlyTheirs []implement.ExchangeRecommendation `json:"only_theirs"`
		}
		if err := json.Unmarshal([]byte(body), &v); res.StatusCode != http.StatusOK || err != nil || len(v.Rows) != 2 || len(v.OnlyOurs) != 1 || len(v.OnlyTheirs) != 1 {
			t.Errorf("comparison: %d %v %s", res.StatusCode, err, body)
		}
		if res, body = s.send(t, lead, http.MethodGet, api(b.ID, "/comparisons"), "", nil); res.StatusCode != http.StatusOK || !strings.Contains(body, `"id":`+cid) {
			t.Errorf("list: %d %s", res.StatusCode, body)
		}
		if res, _ = s.send(t, outsider, http.MethodDelete, api(b.ID, "/comparisons/"+cid), "", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("delete as outsider: %d", res.StatusCode)
		}
		if res, _ = s.send(t, lead, http.MethodDelete, api(b.ID, "/comparisons/"+cid), "", nil); res.StatusCode != http.StatusNoContent {
			t.Errorf("delete: %d", res.StatusCode)
		}
	})
}
