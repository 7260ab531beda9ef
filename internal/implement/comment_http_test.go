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
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/app"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
)

// cmSite is the whole app on the comment fixture's database, every user's
// password set to exPassword (the exchange tests' hash, reused).
type cmSite struct {
	*cmEnv
	srv *httptest.Server
	rd  implement.CommentRound // sent to unit A and municipality A
	// unitRc and muniRc are the round's recipients.
	unitRc, muniRc implement.CommentRecipient
}

func newCmSite(t *testing.T, d *db.DB) *cmSite {
	t.Helper()
	e := newCmEnv(t, d)
	h := must(exHash())(t)
	wsExec(t, d, `UPDATE users SET username = lower(username), password_hash = ?`, h)
	for user, role := range map[string]access.Role{"samordnare": access.Coordinator, "ledning": access.Leadership, "revisor": access.Auditor,
		"lena lead": access.ImprovementLead, "olle utanför": access.ImprovementLead, "agnes alfa": access.Unit, "bertil beta": access.Unit,
		"kim kommun": access.Municipality, "kai kommun": access.Municipality} {
		wsExec(t, d, `INSERT INTO user_roles (user_id, role) SELECT id, ? FROM users WHERE username = ?`, string(role), user)
	}
	a := must(app.New(app.Config{Now: e.clock.now}, slog.New(slog.DiscardHandler), d))(t)
	s := &cmSite{cmEnv: e, srv: httptest.NewServer(a.Handler)}
	t.Cleanup(s.srv.Close)
	s.rd = e.cmSend(t)
	s.unitRc, s.muniRc = cmRecipient(t, s.rd, e.unitA, ""), cmRecipient(t, s.rd, 0, e.muniA)
	return s
}

func (s *cmSite) browser(t *testing.T, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, _ := s.send(t, c, http.MethodPost, "/logga-in", url.Values{"username": {username}, "password": {exPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d", username, res.StatusCode)
	}
	return c
}

var cmMissing = regexp.MustCompile(`⟦[^⟧]*⟧`)

// send gets path (or posts form to it) and checks that an HTML page is
// accessible and uses no message missing from the catalogue.
func (s *cmSite) send(t *testing.T, c *http.Client, method, path string, form url.Values) (*http.Response, string) {
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
	if m := cmMissing.Find(b); m != nil {
		t.Errorf("%s %s shows a message missing from the catalogue: %s", method, path, m)
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && res.StatusCode != http.StatusSeeOther {
		htmltest.CheckAccessible(t, htmltest.Parse(t, string(b)))
	}
	return res, string(b)
}

// api sends a JSON request to /api/v1 and decodes the answer into out.
func (s *cmSite) api(t *testing.T, c *http.Client, method, path string, in, out any) int {
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
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, b)
		}
	}
	if out, ok := out.(*map[string]any); ok && res.StatusCode >= 400 {
		_ = json.Unmarshal(b, out)
	}
	return res.StatusCode
}

func cmPath(id int64, rest string) string { return "/inforande/" + strconv.FormatInt(id, 10) + rest }

func cmWant(t *testing.T, what string, res *http.Response, body string, status int, texts ...string) {
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

func TestCommentHTTP_PagesPerRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newCmSite(t, d)
		must(s.svc.AddComment(s.unitACtx, s.unitRc.ID, "Enheten behöver mer tid"))(t)
		id, rid := s.m.ID, s.rd.ID
		unitPage, muniPage := "/remissvar/"+itoa(s.unitRc.ID), "/remissvar/"+itoa(s.muniRc.ID)
		round := cmPath(id, "/remiss/"+itoa(rid))
		users := map[string]*http.Client{}
		for _, u := range []string{"lena lead", "ledning", "samordnare", "agnes alfa", "bertil beta", "kim kommun", "kai kommun"} {
			users[u] = s.browser(t, u)
		}
		for _, tc := range []struct {
			user, path string
			status     int
			texts      []string
		}{
			{"lena lead", cmPath(id, "/historik"), 200, []string{"Spara revision", "Revision 1", "Enheten behöver mer tid", "Hälsocentral Alfa"}},
			{"ledning", cmPath(id, "/historik"), 200, []string{"Revision 1", "!Spara revision"}},
			{"agnes alfa", cmPath(id, "/historik"), 403, nil},
			{"kim kommun", cmPath(id, "/historik"), 403, nil},
			{"lena lead", cmPath(id, "/remiss/ny"), 200, []string{"Hälsocentral Alfa", "Hälsocentral Beta", "Ragunda", "Bräcke", `name="deadline"`}},
			{"ledning", cmPath(id, "/remiss/ny"), 403, nil},
			{"agnes alfa", cmPath(id, "/remiss/ny"), 403, nil},
			{"lena lead", round, 200, []string{"Enheten behöver mer tid", "Spara svar", "Stäng remissen", "1 av 2 har lämnat synpunkter"}},
			{"ledning", round, 200, []string{"Enheten behöver mer tid", "!Spara svar", "!Stäng remissen"}},
			{"agnes alfa", round, 403, nil},
			{"agnes alfa", unitPage, 200, []string{"Utbilda personalen", "Lena Lead", "R1", "Lämna synpunkter", `name="body"`, "Enheten behöver mer tid"}},
			{"bertil beta", unitPage, 404, nil},
			{"kim kommun", unitPage, 404, nil},
			{"samordnare", unitPage, 200, []string{`name="body"`, "Du lämnar synpunkter för Hälsocentral Alfa"}},
			{"lena lead", unitPage, 200, []string{"Utbilda personalen", `!name="body"`}},
			{"kim kommun", muniPage, 200, []string{"Ragunda", `name="body"`}},
			{"kai kommun", muniPage, 404, nil},
		} {
			res, body := s.send(t, users[tc.user], http.MethodGet, tc.path, nil)
			cmWant(t, tc.user+" "+tc.path, res, body, tc.status, tc.texts...)
		}
		// The kommun contact's start page lists the round.
		res, body := s.send(t, users["kim kommun"], http.MethodGet, "/", nil)
		cmWant(t, "start page", res, body, 200, "Lämna synpunkter på handlingsplanen för Vårdförlopp Testsjukdom senast 2026-09-21", muniPage)
	})
}

func TestCommentHTTP_Forms(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newCmSite(t, d)
		lead, agnes, kim := s.browser(t, "lena lead"), s.browser(t, "agnes alfa"), s.browser(t, "kim kommun")
		id := s.m.ID

		// Send: problems are shown at their fields, input kept.
		res, body := s.send(t, lead, http.MethodPost, cmPath(id, "/remiss/ny"), url.Values{"deadline": {"2026-08-01"}, "message": {"Behåll mig"}})
		cmWant(t, "send refused", res, body, 422, "Välj minst en enhet eller kommun.", "Sista svarsdag kan inte ligga före i dag.", "Behåll mig", `href="#f-recipients"`)
		res, _ = s.send(t, lead, http.MethodPost, cmPath(id, "/remiss/ny"), url.Values{"deadline": {"2026-09-30"}, "unit_ids": {itoa(s.unitB)}, "municipalities": {s.muniB}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), cmPath(id, "/remiss/")) {
			t.Fatalf("send: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		otherRound := res.Header.Get("Location")

		// Comment: an empty comment is refused; a comment is recorded.
		page := "/remissvar/" + itoa(s.unitRc.ID)
		res, body = s.send(t, agnes, http.MethodPost, page, url.Values{"body": {" "}})
		cmWant(t, "empty comment", res, body, 422, `href="#f-body"`)
		res, _ = s.send(t, agnes, http.MethodPost, page, url.Values{"body": {"Vi behöver utbildning tidigare"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("comment: %d", res.StatusCode)
		}
		res, body = s.send(t, agnes, http.MethodGet, page, nil)
		cmWant(t, "after comment", res, body, 200, "Tack! Era synpunkter är lämnade.", "Vi behöver utbildning tidigare", "Inget svar från arbetsgruppen ännu.")
		res, _ = s.send(t, kim, http.MethodPost, page, url.Values{"body": {"Fel mottagare"}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("kommun on a unit's page: %d, want 404", res.StatusCode)
		}

		// Answer: by version; a stale form shows the saved answer.
		rd := must(s.svc.CommentRoundOf(s.leadCtx, id, s.rd.ID))(t).Round
		c := cmRecipient(t, rd, s.unitA, "").Comments[0]
		answer := cmPath(id, "/remiss/"+itoa(rd.ID)+"/svar/"+itoa(c.ID))
		res, _ = s.send(t, lead, http.MethodPost, answer, url.Values{"answer": {"Vi flyttar utbildningen"}, "version": {itoa(c.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("answer: %d", res.StatusCode)
		}
		res, _ = s.send(t, lead, http.MethodPost, otherRound+"/svar/"+itoa(c.ID), url.Values{"answer": {"Fel remiss"}, "version": {itoa(c.Version + 1)}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("answer under another round: %d, want 404", res.StatusCode)
		}
		res, body = s.send(t, lead, http.MethodPost, answer, url.Values{"answer": {"Mitt svar"}, "version": {itoa(c.Version)}})
		cmWant(t, "stale answer", res, body, 409, "Vi flyttar utbildningen", "Mitt svar", `href="#f-answer-`+itoa(c.ID)+`"`)
		res, body = s.send(t, lead, http.MethodPost, answer, url.Values{"answer": {""}, "version": {itoa(c.Version + 1)}})
		cmWant(t, "empty answer", res, body, 422, `href="#f-answer-`+itoa(c.ID)+`"`)
		res, body = s.send(t, agnes, http.MethodGet, page, nil)
		cmWant(t, "answer shown to the unit", res, body, 200, "Vi flyttar utbildningen")

		// Close: by version.
		closeURL := cmPath(id, "/remiss/"+itoa(rd.ID)+"/stang")
		res, body = s.send(t, lead, http.MethodPost, closeURL, url.Values{"version": {itoa(rd.Version + 1)}})
		cmWant(t, "stale close", res, body, 409, `href="#f-close"`)
		res, _ = s.send(t, lead, http.MethodPost, closeURL, url.Values{"version": {itoa(rd.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("close: %d", res.StatusCode)
		}
		res, body = s.send(t, agnes, http.MethodGet, page, nil)
		cmWant(t, "closed round", res, body, 200, "Remissen är stängd och tar inte emot fler synpunkter.", `!name="body"`)

		// Revision: a note is required; a stale version shows a conflict.
		hist := cmPath(id, "/historik")
		m := s.cmFresh(t)
		res, body = s.send(t, lead, http.MethodPost, hist, url.Values{"note": {""}, "version": {itoa(m.Version)}})
		cmWant(t, "empty note", res, body, 422, `href="#f-note"`)
		res, body = s.send(t, lead, http.MethodPost, hist, url.Values{"note": {"Reviderad"}, "version": {itoa(m.Version - 1)}})
		cmWant(t, "stale revision", res, body, 409, `href="#f-conflict"`, "Reviderad")
		res, _ = s.send(t, lead, http.MethodPost, hist, url.Values{"note": {"Reviderad efter remissen"}, "version": {itoa(m.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("revision: %d", res.StatusCode)
		}
		res, body = s.send(t, lead, http.MethodGet, hist, nil)
		cmWant(t, "history", res, body, 200, "Revision 2 av handlingsplanen är sparad.", "Reviderad efter remissen", "Inga åtgärder ändrade sedan föregående revision.")
	})
}

func TestCommentAPI(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newCmSite(t, d)
		lead, agnes, kai := s.browser(t, "lena lead"), s.browser(t, "agnes alfa"), s.browser(t, "kai kommun")
		base := "/implementations/" + itoa(s.m.ID)

		var revs struct{ Items []implement.Revision }
		if st := s.api(t, lead, http.MethodGet, base+"/revisions", nil, &revs); st != 200 || len(revs.Items) != 1 || len(revs.Items[0].Diff.Added) != 2 {
			t.Fatalf("list revisions: %d %+v", st, revs)
		}
		if st := s.api(t, agnes, http.MethodGet, base+"/revisions", nil, nil); st != 403 {
			t.Errorf("unit lists revisions: %d, want 403", st)
		}
		m := s.cmFresh(t)
		var rev implement.Revision
		if st := s.api(t, lead, http.MethodPost, base+"/revisions", map[string]any{"note": "API", "version": m.Version}, &rev); st != 201 || rev.Number != 2 {
			t.Fatalf("create revision: %d %+v", st, rev)
		}
		if st := s.api(t, lead, http.MethodPost, base+"/revisions", map[string]any{"note": "API", "version": m.Version}, nil); st != 409 {
			t.Errorf("stale revision: %d, want 409", st)
		}

		var problem map[string]any
		if st := s.api(t, lead, http.MethodPost, base+"/comment-rounds", map[string]any{"deadline": "2026-09-30"}, &problem); st != 422 ||
			!strings.Contains(mustJSON(problem), "body.recipients") {
			t.Errorf("round without recipients: %d %v", st, problem)
		}
		var rd implement.CommentRound
		if st := s.api(t, lead, http.MethodPost, base+"/comment-rounds", map[string]any{"deadline": "2026-09-30", "unit_ids": []int64{s.unitA},
			"municipalities": []string{s.muniB}}, &rd); st != 201 || rd.Revision != 2 || len(rd.Recipients) != 2 {
			t.Fatalf("create round: %d %+v", st, rd)
		}
		var rounds struct{ Items []implement.CommentRound }
		if st := s.api(t, lead, http.MethodGet, base+"/comment-rounds", nil, &rounds); st != 200 || len(rounds.Items) != 2 {
			t.Errorf("list rounds: %d %+v", st, rounds)
		}
		if st := s.api(t, lead, http.MethodGet, "/implementations/999999/comment-rounds/"+itoa(rd.ID), nil, nil); st != 404 {
			t.Errorf("round of another implementation: %d, want 404", st)
		}

		muniB := cmRecipient(t, rd, 0, s.muniB)
		var c implement.PlanComment
		if st := s.api(t, kai, http.MethodPost, "/plan-comments", map[string]any{"recipient_id": muniB.ID, "body": "Bra plan"}, &c); st != 201 || c.Author != "Kai Kommun" {
			t.Fatalf("kommun comments: %d %+v", st, c)
		}
		if st := s.api(t, agnes, http.MethodPost, "/plan-comments", map[string]any{"recipient_id": muniB.ID, "body": "Fel"}, nil); st != 404 {
			t.Errorf("unit comments for a municipality: %d, want 404", st)
		}
		answer := base + "/comments/" + itoa(c.ID) + "/answer"
		var a implement.PlanComment
		if st := s.api(t, lead, http.MethodPut, answer, map[string]any{"answer": "Tack", "version": c.Version}, &a); st != 200 || a.Answer != "Tack" {
			t.Fatalf("answer: %d %+v", st, a)
		}
		if st := s.api(t, lead, http.MethodPut, answer, map[string]any{"answer": "Igen", "version": c.Version}, nil); st != 409 {
			t.Errorf("stale answer: %d, want 409", st)
		}
		if st := s.api(t, lead, http.MethodPut, "/implementations/999999/comments/"+itoa(c.ID)+"/answer", map[string]any{"answer": "X", "version": a.Version}, nil); st != 404 {
			t.Errorf("answer under another implementation: %d, want 404", st)
		}
		var got implement.CommentRound
		if st := s.api(t, lead, http.MethodGet, base+"/comment-rounds/"+itoa(rd.ID), nil, &got); st != 200 || cmRecipient(t, got, 0, s.muniB).Comments[0].Answer != "Tack" {
			t.Errorf("get round: %d %+v", st, got)
		}
		var closed implement.CommentRound
		if st := s.api(t, lead, http.MethodPost, base+"/comment-rounds/"+itoa(rd.ID)+"/close", map[string]any{"version": got.Version}, &closed); st != 200 || !closed.Closed() {
			t.Errorf("close: %d %+v", st, closed)
		}
		if st := s.api(t, kai, http.MethodPost, "/plan-comments", map[string]any{"recipient_id": muniB.ID, "body": "Sent"}, nil); st != 422 {
			t.Errorf("comment on a closed round: %d, want 422", st)
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
