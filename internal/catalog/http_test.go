package catalog_test

import (
	"context"
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
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

const pagePassword = "ett långt lösenord"

// pageSite is the catalog's pages wired as internal/app wires them, with the
// coordinator sara and the auditor rut.
type pageSite struct {
	srv *httptest.Server
	svc *catalog.Service
}

func newPageSite(t *testing.T, d *db.DB) *pageSite {
	t.Helper()
	now := func() time.Time { return today }
	log := audit.New(now)
	authSvc := auth.NewService(d, log, now, auth.DefaultThrottle)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	sessions := auth.NewSessions(auth.NewSessionStore(d, time.Now), time.Hour, 12*time.Hour, false)
	ws, err := web.NewServer(web.Config{Version: "test"}, slog.New(slog.DiscardHandler), cat, sessions)
	if err != nil {
		t.Fatal(err)
	}
	if err := auth.Register(ws, authSvc); err != nil {
		t.Fatal(err)
	}
	s := &pageSite{svc: catalog.NewService(d, log, now)}
	if err := catalog.Register(ws, s.svc); err != nil {
		t.Fatal(err)
	}
	s.srv = httptest.NewServer(ws.Handler(auth.Middleware(authSvc, ws)))
	t.Cleanup(s.srv.Close)
	c := audit.WithSystemActor(context.Background(), "test")
	for name, role := range map[string]access.Role{"sara": access.Coordinator, "rut": access.Auditor} {
		if _, err := authSvc.CreateUser(c, auth.NewUser{Username: name, DisplayName: name, Password: pagePassword, Roles: []access.Role{role}, Locale: "sv"}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s *pageSite) login(t *testing.T, username string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, body := s.do(t, c, "/logga-in", url.Values{"username": {username}, "password": {pagePassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d\n%s", username, res.StatusCode, body)
	}
	return c
}

// do gets path, or posts form to it when form is not nil.
func (s *pageSite) do(t *testing.T, c *http.Client, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	method, body := http.MethodGet, io.Reader(nil)
	if form != nil {
		method, body = http.MethodPost, strings.NewReader(form.Encode())
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
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if strings.Contains(html, "⟦") {
		t.Errorf("%s %s: a message is missing from the catalogue: %s", method, path, regexp.MustCompile(`⟦[^⟧]*⟧`).FindString(html))
	}
	return res, html
}

func pageWant(t *testing.T, what string, res *http.Response, body string, status int, texts ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, body)
	}
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s: page lacks %q", what, s)
		}
	}
}

// pageVersion reads the hidden version field of the form posting to action.
func pageVersion(t *testing.T, body, action string) string {
	t.Helper()
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form posting to %s", action)
	}
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body[i:])
	if m == nil {
		t.Fatalf("no version in the form posting to %s", action)
	}
	return m[1]
}

func TestPages_SupportCreateEditConflictAndStatus(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := newPageSite(t, d)
		sara := s.login(t, "sara")
		ids := func(n int64) string { return strconv.FormatInt(n, 10) }

		res, body := s.do(t, sara, "/kunskapsstod", nil)
		pageWant(t, "list", res, body, http.StatusOK, "<h1>Kunskapsstöd</h1>", "<caption>", "Bevakas", `href="/kunskapsstod/ny"`)

		// Bad input keeps what was typed.
		res, body = s.do(t, sara, "/kunskapsstod/ny", url.Values{"kind": {"national_guideline"}, "title": {"Riktlinje för diabetes"}, "link": {"http://x"}})
		pageWant(t, "bad create", res, body, http.StatusUnprocessableEntity, "Det finns problem i formuläret", `href="#f-phase"`, `href="#f-link"`, `value="Riktlinje för diabetes"`)

		res, body = s.do(t, sara, "/kunskapsstod/ny", url.Values{"kind": {"national_guideline"}, "phase": {"final"}, "title": {"Riktlinje för diabetes"},
			"national_owner_id": {ids(f.npo)}, "local_owner_id": {ids(f.lpo)}, "published_on": {"2025-03-01"}, "link": {"https://www.socialstyrelsen.se/"}})
		pageWant(t, "create", res, body, http.StatusSeeOther)
		page := res.Header.Get("Location")
		if !strings.HasPrefix(page, "/kunskapsstod/") {
			t.Fatalf("create redirected to %q", page)
		}
		res, body = s.do(t, sara, page, nil)
		pageWant(t, "support page", res, body, http.StatusOK, "<h1>Riktlinje för diabetes</h1>", "LPO Hjärta och kärl", "Ändra status",
			`<option value="inventoried">Inventerad</option>`, "Inga rekommendationer")
		if strings.Contains(body, `<option value="decided">`) {
			t.Error("the status form offers a status the lifecycle does not allow")
		}

		// Two edits from the same version: the second sees a conflict page.
		res, body = s.do(t, sara, page+"/redigera", nil)
		pageWant(t, "edit form", res, body, http.StatusOK, "<h1>Ändra Riktlinje för diabetes</h1>")
		v := pageVersion(t, body, page+"/redigera")
		edit := url.Values{"version": {v}, "kind": {"national_guideline"}, "phase": {"final"}, "title": {"Riktlinje för diabetesvård"}, "national_owner_id": {ids(f.npo)}, "local_owner_id": {ids(f.lpo)}}
		res, body = s.do(t, sara, page+"/redigera", edit)
		pageWant(t, "save", res, body, http.StatusSeeOther)
		edit.Set("title", "Riktlinjen, andra versionen")
		res, body = s.do(t, sara, page+"/redigera", edit)
		pageWant(t, "conflict", res, body, http.StatusConflict, "Den sparade versionen", "Riktlinje för diabetesvård", `value="Riktlinjen, andra versionen"`, `href="#f-conflict"`)
		// Sending it again overwrites knowingly.
		edit.Set("version", pageVersion(t, body, page+"/redigera"))
		res, body = s.do(t, sara, page+"/redigera", edit)
		pageWant(t, "save after conflict", res, body, http.StatusSeeOther)

		// An allowed status change is dated and reasoned in the history.
		_, body = s.do(t, sara, page, nil)
		v = pageVersion(t, body, page+"/status")
		res, body = s.do(t, sara, page+"/status", url.Values{"version": {v}, "to": {"inventoried"}, "on": {"2026-11-20"}, "reason": {"Kandidat för årets omgång"}})
		pageWant(t, "allowed status", res, body, http.StatusSeeOther)
		res, body = s.do(t, sara, page, nil)
		pageWant(t, "history", res, body, http.StatusOK, "Statusen är ändrad till Inventerad", "Kandidat för årets omgång", "<th scope=\"row\">2026-11-20</th>")
		// A move the lifecycle does not allow is refused with a clear message.
		v = pageVersion(t, body, page+"/status")
		res, body = s.do(t, sara, page+"/status", url.Values{"version": {v}, "to": {"introduced"}, "on": {"2026-11-21"}, "reason": {"Hoppa över"}})
		pageWant(t, "refused status", res, body, http.StatusUnprocessableEntity, "Kunskapsstödet kan inte gå till den statusen från sin nuvarande status.", `href="#f-to"`)
		// So is one without a reason, or dated before the previous change.
		res, body = s.do(t, sara, page+"/status", url.Values{"version": {v}, "to": {"prioritised"}, "on": {"2026-11-01"}, "reason": {"x"}})
		pageWant(t, "early status", res, body, http.StatusUnprocessableEntity, "före den förra statusändringen")
		res, body = s.do(t, sara, page+"/status", url.Values{"version": {v}, "to": {"prioritised"}, "on": {"2026-11-22"}})
		pageWant(t, "no reason", res, body, http.StatusUnprocessableEntity, `href="#f-reason"`)

		// Leads and units; one lead in work is person-dependent.
		res, body = s.do(t, sara, page+"?person_q=anna", nil)
		pageWant(t, "lead search", res, body, http.StatusOK, "Anna Berg")
		v = pageVersion(t, body, page+"/verksamhetsutvecklare")
		res, body = s.do(t, sara, page+"/verksamhetsutvecklare", url.Values{"version": {v}, "lead_ids": {ids(f.anna)}})
		pageWant(t, "leads", res, body, http.StatusSeeOther)
		_, body = s.do(t, sara, page, nil)
		v = pageVersion(t, body, page+"/enheter")
		res, body = s.do(t, sara, page+"/enheter", url.Values{"version": {v}, "unit_ids": {ids(f.unit1), ids(f.unit2)}})
		pageWant(t, "units", res, body, http.StatusSeeOther)
		res, body = s.do(t, sara, page+"/enheter", url.Values{"version": {v}, "unit_ids": {ids(f.unit1)}})
		pageWant(t, "stale units", res, body, http.StatusConflict, "har ändrats av någon annan")
		sp := must(s.svc.Support(ctx(), must(strconv.ParseInt(strings.TrimPrefix(page, "/kunskapsstod/"), 10, 64))(t)))(t)
		for _, st := range []catalog.Status{catalog.Prioritised, catalog.Decided} {
			sp = must(s.svc.Transition(ctx(), sp.ID, st, date0(), "steg", sp.Version))(t)
		}
		res, body = s.do(t, sara, page, nil)
		pageWant(t, "dependent", res, body, http.StatusOK, "Personberoende.", "Anna Berg", "Medicinkliniken", "Primärvården")
		res, body = s.do(t, sara, "/kunskapsstod?status=decided", nil)
		pageWant(t, "list dependent", res, body, http.StatusOK, "Riktlinjen, andra versionen", "Personberoende")
		res, body = s.do(t, sara, "/kunskapsstod?kind=nonsense", nil)
		pageWant(t, "bad filter", res, body, http.StatusUnprocessableEntity, `href="#f-kind"`)
	})
}

func date0() date.Date { return date.Of(today, i18n.Stockholm()) }

func TestPages_RecommendationsAndPermissions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newPageSite(t, d)
		sara, rut := s.login(t, "sara"), s.login(t, "rut")
		sp := must(s.svc.CreateSupport(ctx(), catalog.Support{Kind: catalog.NationalGuideline, Phase: catalog.Final, Title: "Riktlinje för astma", Status: catalog.Watched}))(t)
		page := "/kunskapsstod/" + strconv.FormatInt(sp.ID, 10)

		res, body := s.do(t, sara, page+"/rekommendationer", url.Values{"code": {"A1"}, "text": {""}, "priority": {"11"}})
		pageWant(t, "bad rec", res, body, http.StatusUnprocessableEntity, `href="#f-text"`, `href="#f-priority"`)
		res, body = s.do(t, sara, page+"/rekommendationer", url.Values{"code": {"A1"}, "text": {"Erbjud spirometri"}, "priority": {"3"}, "do_not_do": {"1"}})
		pageWant(t, "add rec", res, body, http.StatusSeeOther)
		recs := must(s.svc.Recommendations(ctx(), sp.ID))(t)
		if len(recs) != 1 || recs[0].Priority != 3 || !recs[0].DoNotDo {
			t.Fatalf("recommendations: %+v", recs)
		}
		recPage := page + "/rekommendationer/" + strconv.FormatInt(recs[0].ID, 10)
		res, body = s.do(t, sara, page, nil)
		pageWant(t, "rec table", res, body, http.StatusOK, "<caption>1 rekommendation</caption>", "Erbjud spirometri", "Icke-göra", `href="`+recPage+`"`)

		res, body = s.do(t, sara, recPage, nil)
		pageWant(t, "edit rec", res, body, http.StatusOK, "<h1>Ändra rekommendation i Riktlinje för astma</h1>")
		v := pageVersion(t, body, recPage)
		res, body = s.do(t, sara, recPage, url.Values{"version": {v}, "code": {"A1"}, "text": {"Erbjud spirometri vid misstanke"}, "priority": {"2"}})
		pageWant(t, "save rec", res, body, http.StatusSeeOther)
		res, body = s.do(t, sara, recPage, url.Values{"version": {v}, "code": {"A1"}, "text": {"Äldre text"}})
		pageWant(t, "rec conflict", res, body, http.StatusConflict, "Den sparade versionen", "Erbjud spirometri vid misstanke")

		// The auditor reads but changes nothing.
		res, body = s.do(t, rut, page, nil)
		pageWant(t, "auditor reads", res, body, http.StatusOK, "Erbjud spirometri vid misstanke")
		if strings.Contains(body, `action="`+page+`/status"`) || strings.Contains(body, `href="`+recPage+`"`) {
			t.Error("the auditor is offered changes")
		}
		for _, p := range []string{"/kunskapsstod/ny", page + "/redigera", recPage} {
			if res, body := s.do(t, rut, p, nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("auditor GET %s: status %d\n%s", p, res.StatusCode, body)
			}
		}
		for _, p := range []string{"/kunskapsstod/ny", page + "/status", page + "/rekommendationer", recPage + "/ta-bort", page + "/enheter", page + "/verksamhetsutvecklare"} {
			if res, body := s.do(t, rut, p, url.Values{"version": {"1"}, "text": {"x"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("auditor POST %s: status %d\n%s", p, res.StatusCode, body)
			}
		}
		// Signed out sees the login.
		anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if res, _ := s.do(t, anon, "/kunskapsstod", nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("signed out: status %d", res.StatusCode)
		}

		_, body = s.do(t, sara, recPage, nil)
		v = pageVersion(t, body, recPage+"/ta-bort")
		res, body = s.do(t, sara, recPage+"/ta-bort", url.Values{"version": {v}})
		pageWant(t, "delete rec", res, body, http.StatusSeeOther)
		if recs := must(s.svc.Recommendations(ctx(), sp.ID))(t); len(recs) != 0 {
			t.Errorf("recommendation not deleted: %+v", recs)
		}
		if res, body := s.do(t, sara, recPage, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleted rec: status %d\n%s", res.StatusCode, body)
		}
	})
}
