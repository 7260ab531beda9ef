package implement_test

import (
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

	"github.com/kunskapsnav/kunskapsnav/internal/app"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
)

const svPassword = "enkät-test-lösenord"

var svHash = sync.OnceValues(func() (string, error) { return auth.HashPassword(svPassword) })

// svSite is the whole app on the survey fixture's database, every user's
// password set to svPassword, with a questionnaire sent to both units.
type svSite struct {
	*surveyEnv
	srv *httptest.Server
	v   implement.Survey
}

func newSvSite(t *testing.T, d *db.DB) *svSite {
	t.Helper()
	e := newSurveyEnv(t, d)
	h := must(svHash())(t)
	svExec(t, d, `UPDATE users SET username = lower(username), password_hash = ?`, h)
	for user, role := range map[string]access.Role{"samordnare": access.Coordinator, "ledning": access.Leadership,
		"lena lead": access.ImprovementLead, "olle utanför": access.ImprovementLead, "agnes alfa": access.Unit, "bertil beta": access.Unit} {
		svExec(t, d, `INSERT INTO user_roles (user_id, role) SELECT id, ? FROM users WHERE username = ?`, string(role), user)
	}
	a := must(app.New(app.Config{Now: e.clock.now, PublicURL: publicURL}, slog.New(slog.DiscardHandler), d))(t)
	s := &svSite{surveyEnv: e, srv: httptest.NewServer(a.Handler)}
	t.Cleanup(s.srv.Close)
	s.v = e.sent(t)
	return s
}

func svExec(t *testing.T, d *db.DB, query string, args ...any) {
	t.Helper()
	if _, err := d.ExecContext(t.Context(), query, args...); err != nil {
		t.Fatal(err)
	}
}

func (s *svSite) browser(t *testing.T, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, _ := s.send(t, c, http.MethodPost, "/logga-in", url.Values{"username": {username}, "password": {svPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d", username, res.StatusCode)
	}
	return c
}

var svMissing = regexp.MustCompile(`⟦[^⟧]*⟧`)

// send gets path (or posts form to it) and checks that an HTML page is
// accessible and uses no message missing from the catalogue.
func (s *svSite) send(t *testing.T, c *http.Client, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, s.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := svMissing.Find(b); m != nil {
		t.Errorf("%s %s shows a message missing from the catalogue: %s", method, path, m)
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && res.StatusCode != http.StatusSeeOther {
		htmltest.CheckAccessible(t, htmltest.Parse(t, string(b)))
	}
	return res, string(b)
}

// api sends a JSON request to /api/v1 and decodes the answer into out.
func (s *svSite) api(t *testing.T, c *http.Client, method, path string, in, out any) int {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, s.srv.URL+"/api/v1"+path, body)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, b)
		}
	}
	if strings.Contains(string(b), "⟦") {
		t.Errorf("%s %s: a message is missing from the catalogue: %s", method, path, b)
	}
	return res.StatusCode
}

func svID(n int64) string { return strconv.FormatInt(n, 10) }

func TestSurveyPages_ByRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSvSite(t, d)
		m, v := svID(s.m.ID), svID(s.v.ID)
		ra := svID(recipient(t, s.v, s.unitA).ID)
		list, page, newForm := "/inforande/"+m+"/enkater", "/inforande/"+m+"/enkater/"+v, "/inforande/"+m+"/enkater/ny"
		answer, mine := "/enkatsvar/"+ra, "/inforande/min-enhet"
		for _, tc := range []struct {
			user string
			path string
			want int
			see  string
		}{
			{"lena lead", list, http.StatusOK, "Nuläge"},
			{"lena lead", newForm, http.StatusOK, "Hälsocentral Beta"},
			{"lena lead", page, http.StatusOK, "Påminn nu"},
			{"lena lead", answer, http.StatusOK, "Du svarar för Hälsocentral Alfas räkning."},
			{"samordnare", page, http.StatusOK, "Stäng enkäten"},
			{"ledning", list, http.StatusOK, "Nuläge"},
			{"ledning", page, http.StatusOK, "Sammanställning per rekommendation"},
			{"ledning", newForm, http.StatusForbidden, ""},
			{"ledning", answer, http.StatusNotFound, ""},
			{"olle utanför", list, http.StatusOK, "Nuläge"},
			{"olle utanför", newForm, http.StatusForbidden, ""},
			{"agnes alfa", list, http.StatusForbidden, ""},
			{"agnes alfa", answer, http.StatusOK, "Erbjud strukturerad uppföljning"},
			{"agnes alfa", mine, http.StatusOK, "Att besvara"},
			{"bertil beta", answer, http.StatusNotFound, ""},
			{"bertil beta", mine, http.StatusOK, "Hälsocentral Beta"},
			{"olle utanför", mine, http.StatusOK, "inte kopplat till en enhet"},
		} {
			c := s.browser(t, tc.user)
			res, body := s.send(t, c, http.MethodGet, tc.path, nil)
			if res.StatusCode != tc.want {
				t.Errorf("%s %s: status %d, want %d", tc.user, tc.path, res.StatusCode, tc.want)
				continue
			}
			if tc.see != "" && !strings.Contains(body, tc.see) {
				t.Errorf("%s %s does not show %q", tc.user, tc.path, tc.see)
			}
			if tc.path == mine && tc.user == "bertil beta" && strings.Contains(body, "Hälsocentral Alfa") {
				t.Errorf("Bertil sees unit A on his unit's page")
			}
		}
	})
}

func TestSurveyPages_CreateSendAnswerRemindClose(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSvSite(t, d)
		m := svID(s.m.ID)
		lead := s.browser(t, "lena lead")
		// Invalid: no title, no recommendation, no unit.
		res, body := s.send(t, lead, http.MethodPost, "/inforande/"+m+"/enkater/ny", url.Values{"title": {""}, "deadline": {"2026-09-20"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Välj minst en rekommendation.") || !strings.Contains(body, "Välj minst en enhet.") {
			t.Fatalf("invalid create: %d\n%s", res.StatusCode, body)
		}
		form := url.Values{"title": {"Andra enkäten"}, "deadline": {"2026-09-20"}, "recommendation": {svID(s.recs[2])},
			"unit": {svID(s.unitA)}, "contact." + svID(s.unitA): {""}}
		res, _ = s.send(t, lead, http.MethodPost, "/inforande/"+m+"/enkater/ny", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		loc := res.Header.Get("Location")
		sid, _ := strconv.ParseInt(loc[strings.LastIndex(loc, "/")+1:], 10, 64)
		sv := must(s.svc.Survey(s.leadCtx, s.m.ID, sid))(t)
		// A stale edit shows the conflict.
		form.Set("version", svID(sv.Survey.Version))
		form.Set("title", "Andra enkäten, ny rubrik")
		res, _ = s.send(t, lead, http.MethodPost, loc+"/redigera", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", res.StatusCode)
		}
		res, body = s.send(t, lead, http.MethodPost, loc+"/redigera", form)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Andra enkäten, ny rubrik") {
			t.Errorf("stale edit: %d", res.StatusCode)
		}
		sv = must(s.svc.Survey(s.leadCtx, s.m.ID, sid))(t)
		res, _ = s.send(t, lead, http.MethodPost, loc+"/skicka", url.Values{"version": {svID(sv.Survey.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("send: %d", res.StatusCode)
		}
		ra := recipient(t, must(s.svc.Survey(s.leadCtx, s.m.ID, sid))(t).Survey, s.unitA)
		// Agnes answers without choosing: field problem; then answers.
		agnes := s.browser(t, "agnes alfa")
		path := "/enkatsvar/" + svID(ra.ID)
		field := "answer." + svID(s.recs[2])
		res, body = s.send(t, agnes, http.MethodPost, path, url.Values{"version": {svID(ra.Version)}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#f-`+field+`"`) {
			t.Errorf("empty answer: %d", res.StatusCode)
		}
		res, _ = s.send(t, agnes, http.MethodPost, path, url.Values{"version": {svID(ra.Version)}, field: {"partly"}, "comment." + svID(s.recs[2]): {"Vi remitterar inom 20 dagar."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("answer: %d", res.StatusCode)
		}
		// The lead, on the version read before, gets the conflict page with both.
		res, body = s.send(t, lead, http.MethodPost, path, url.Values{"version": {svID(ra.Version)}, field: {"no"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Vi remitterar inom 20 dagar.") || !strings.Contains(body, `value="no" checked`) {
			t.Errorf("stale answer: %d\n%s", res.StatusCode, body)
		}
		_, body = s.send(t, lead, http.MethodGet, loc, nil)
		if !strings.Contains(body, "1 (100 %)") || !strings.Contains(body, "Vi remitterar inom 20 dagar.") {
			t.Errorf("compilation not shown:\n%s", body)
		}
		res, _ = s.send(t, lead, http.MethodPost, "/inforande/"+m+"/enkater/"+svID(s.v.ID)+"/paminn", url.Values{})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("remind: %d", res.StatusCode)
		}
		sv = must(s.svc.Survey(s.leadCtx, s.m.ID, sid))(t)
		res, _ = s.send(t, lead, http.MethodPost, loc+"/stang", url.Values{"version": {svID(sv.Survey.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("close: %d", res.StatusCode)
		}
		_, body = s.send(t, agnes, http.MethodGet, path, nil)
		if !strings.Contains(body, "Enkäten är stängd.") || strings.Contains(body, `type="radio"`) {
			t.Errorf("closed answer page:\n%s", body)
		}
		// Only the working group sends, reminds and closes.
		chief := s.browser(t, "ledning")
		res, _ = s.send(t, chief, http.MethodPost, "/inforande/"+m+"/enkater/"+svID(s.v.ID)+"/paminn", url.Values{})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("ledning reminds: %d", res.StatusCode)
		}
	})
}

func TestSurveyAPI(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSvSite(t, d)
		lead, agnes, bertil := s.browser(t, "lena lead"), s.browser(t, "agnes alfa"), s.browser(t, "bertil beta")
		base := "/implementations/" + svID(s.m.ID) + "/surveys"
		var list struct {
			Items []implement.Survey `json:"items"`
		}
		if st := s.api(t, lead, http.MethodGet, base, nil, &list); st != http.StatusOK || len(list.Items) != 1 {
			t.Fatalf("list: %d %+v", st, list)
		}
		var problem map[string]any
		if st := s.api(t, lead, http.MethodPost, base, map[string]any{"title": "X", "deadline": "2026-09-20", "recommendation_ids": []int64{s.otherRec}}, &problem); st != http.StatusUnprocessableEntity ||
			!strings.Contains(svJSON(problem), "body.recommendations") {
			t.Errorf("invalid create: %d %v", st, problem)
		}
		var created implement.Survey
		if st := s.api(t, lead, http.MethodPost, base, map[string]any{"title": "API-enkät", "deadline": "2026-09-20", "recommendation_ids": []int64{s.recs[0]}}, &created); st != http.StatusCreated ||
			len(created.Recipients) != 2 || created.Status != implement.SurveyDraft {
			t.Fatalf("create: %d %+v", st, created)
		}
		var updated implement.Survey
		if st := s.api(t, lead, http.MethodPut, base+"/"+svID(created.ID), map[string]any{"title": "API-enkät 2", "deadline": "2026-09-21",
			"recommendation_ids": []int64{s.recs[0], s.recs[1]}, "units": []map[string]any{{"unit_id": s.unitB}}, "version": created.Version}, &updated); st != http.StatusOK ||
			updated.Title != "API-enkät 2" || len(updated.Recipients) != 1 {
			t.Fatalf("update: %d %+v", st, updated)
		}
		var sent implement.Survey
		if st := s.api(t, lead, http.MethodPost, base+"/"+svID(created.ID)+"/send", map[string]any{"version": created.Version}, &problem); st != http.StatusConflict {
			t.Errorf("stale send: %d", st)
		}
		if st := s.api(t, lead, http.MethodPost, base+"/"+svID(created.ID)+"/send", map[string]any{"version": updated.Version}, &sent); st != http.StatusOK || sent.Status != implement.SurveySent {
			t.Fatalf("send: %d %+v", st, sent)
		}
		rb := sent.Recipients[0]
		var form struct {
			Recipient implement.SurveyRecipient `json:"recipient"`
			Answers   []implement.SurveyAnswer  `json:"answers"`
		}
		if st := s.api(t, agnes, http.MethodGet, "/survey-answers/"+svID(rb.ID), nil, &problem); st != http.StatusNotFound {
			t.Errorf("another unit's answer form: %d", st)
		}
		if st := s.api(t, bertil, http.MethodPut, "/survey-answers/"+svID(rb.ID), map[string]any{"version": rb.Version,
			"answers": []map[string]any{{"recommendation_id": s.recs[0], "compliance": "complies"}, {"recommendation_id": s.recs[1], "compliance": "no", "comment": "Saknas"}}}, &form); st != http.StatusOK ||
			len(form.Answers) != 2 || form.Recipient.AnsweredAt == nil {
			t.Fatalf("answer: %d %+v", st, form)
		}
		var view struct {
			Compilation []implement.Compilation `json:"compilation"`
		}
		if st := s.api(t, lead, http.MethodGet, base+"/"+svID(created.ID), nil, &view); st != http.StatusOK || len(view.Compilation) != 2 ||
			view.Compilation[0].Complies != 1 || view.Compilation[1].No != 1 || view.Compilation[1].Comments[0].Unit != "Hälsocentral Beta" {
			t.Errorf("compilation: %d %+v", st, view)
		}
		var reminded struct {
			Reminded int `json:"reminded"`
		}
		if st := s.api(t, lead, http.MethodPost, base+"/"+svID(s.v.ID)+"/remind", nil, &reminded); st != http.StatusOK || reminded.Reminded != 2 {
			t.Errorf("remind: %d %+v", st, reminded)
		}
		if st := s.api(t, agnes, http.MethodPost, base+"/"+svID(s.v.ID)+"/remind", nil, &problem); st != http.StatusForbidden {
			t.Errorf("enhet reminds: %d", st)
		}
		if st := s.api(t, lead, http.MethodPost, base+"/"+svID(created.ID)+"/close", map[string]any{"version": sent.Version}, &sent); st != http.StatusOK || sent.Status != implement.SurveyClosed {
			t.Errorf("close: %d %+v", st, sent)
		}
	})
}

func svJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
