package priority_test

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

	"github.com/kunskapsnav/kunskapsnav/internal/app"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// pgDemoKey names the demo data among dbtest's seeded templates.
const pgDemoKey = "priority.pages.demo"

// pgSeedDemo loads the demo data as serve --demo does: users of every role,
// the organisation (LPO Diabetes with Ulf Utvecklare and Erik Enhet as
// members), HSL's forum, the catalog and the demo rounds. The page and API
// tests share it.
func pgSeedDemo(ctx context.Context, d *db.DB) error {
	a, err := app.New(app.Config{}, slog.New(slog.DiscardHandler), d)
	if err != nil {
		return err
	}
	_, err = a.LoadDemo(ctx)
	return err
}

// pgSite is the real app on a copy of the demo data behind an HTTP server.
type pgSite struct {
	srv *httptest.Server
	db  *db.DB
}

// today is the date in Sweden.
func (s *pgSite) today() time.Time { return time.Now().In(i18n.Stockholm()) }

func newPgSite(t *testing.T, d *db.DB) *pgSite {
	t.Helper()
	s := &pgSite{db: d}
	a, err := app.New(app.Config{}, slog.New(slog.DiscardHandler), d)
	if err != nil {
		t.Fatal(err)
	}
	s.srv = httptest.NewServer(a.Handler)
	t.Cleanup(s.srv.Close)
	return s
}

// pgEach runs fn on both engines, each with its own site on the demo data.
func pgEach(t *testing.T, fn func(t *testing.T, s *pgSite)) {
	dbtest.EachSeeded(t, pgDemoKey, pgSeedDemo, func(t *testing.T, d *db.DB) {
		fn(t, newPgSite(t, d))
	})
}

// login signs a demo user in and returns their browser, which does not follow
// redirects.
func (s *pgSite) login(t *testing.T, username string) *http.Client {
	t.Helper()
	return demoBrowser(t, s.srv.URL, username)
}

// do gets path, or posts form to it when form is not nil, and checks the page
// (sendPage).
func (s *pgSite) do(t *testing.T, c *http.Client, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	method := http.MethodGet
	if form != nil {
		method = http.MethodPost
	}
	return sendPage(t, c, method, s.srv.URL+path, form)
}

// demoBrowser signs the demo user in at the site base and returns their
// browser, which does not follow redirects.
func demoBrowser(t *testing.T, base, username string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, body := sendPage(t, c, http.MethodPost, base+"/logga-in", url.Values{"username": {username}, "password": {app.DemoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d\n%s", username, res.StatusCode, body)
	}
	return c
}

var pgMissing = regexp.MustCompile(`⟦[^⟧]*⟧`)

// sendPage sends a request as the browser c does (a form when form is not
// nil) and returns the answer and its body; a page showing a message missing
// from the catalogue, or failing checkPage, fails the test.
func sendPage(t *testing.T, c *http.Client, method, url string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, url, body)
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
	if m := pgMissing.FindString(html); m != "" {
		t.Errorf("%s %s: a message is missing from the catalogue: %s", method, url, m)
	}
	checkPage(t, method+" "+url, res, html)
	return res, html
}

// pgWant checks an answer's status and that the page holds each text, and
// that it holds none of the texts prefixed with "!".
func pgWant(t *testing.T, what string, res *http.Response, body string, status int, texts ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, body)
	}
	for _, s := range texts {
		if not, ok := strings.CutPrefix(s, "!"); ok {
			if strings.Contains(body, not) {
				t.Errorf("%s: page holds %q", what, not)
			}
			continue
		}
		if !strings.Contains(body, s) {
			t.Errorf("%s: page lacks %q", what, s)
		}
	}
}

// pgRedirect checks that the answer sends the browser to a path matching
// pattern and returns the path.
func pgRedirect(t *testing.T, what string, res *http.Response, body, pattern string) string {
	t.Helper()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^`+pattern+`$`).MatchString(loc) {
		t.Fatalf("%s: status %d to %q, want 303 to %s\n%s", what, res.StatusCode, loc, pattern, body)
	}
	return loc
}

// pgVersion reads the hidden version field of the form posting to action.
func pgVersion(t *testing.T, body, action string) string {
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

// pgDate writes the site's date n days from today.
func (s *pgSite) date(n int) string { return s.today().AddDate(0, 0, n).Format(time.DateOnly) }

// pgRoundForm is a valid round form: two criteria on each axis, a 1–5 scale.
func (s *pgSite) roundForm(title string) url.Values {
	return url.Values{
		"year": {"2031"}, "title": {title}, "instructions": {"Bedöm varje kandidat."}, "deadline": {s.date(30)},
		"scale_min": {"1"}, "scale_max": {"5"}, "scale_label.1": {"Låg"}, "scale_label.2": {"Ganska låg"},
		"scale_label.3": {"Medel"}, "scale_label.4": {"Ganska hög"}, "scale_label.5": {"Hög"},
		"criteria.0.id": {""}, "criteria.0.axis": {"importance"}, "criteria.0.label": {"Nytta för patienten"}, "criteria.0.description": {"Hur mycket vinner patienten?"}, "criteria.0.weight": {"2"},
		"criteria.1.id": {""}, "criteria.1.axis": {"importance"}, "criteria.1.label": {"Angelägenhet"}, "criteria.1.description": {""}, "criteria.1.weight": {""},
		"criteria.2.id": {""}, "criteria.2.axis": {"feasibility"}, "criteria.2.label": {"Resurser"}, "criteria.2.description": {""}, "criteria.2.weight": {"1"},
		"criteria.3.id": {""}, "criteria.3.axis": {""}, "criteria.3.label": {""}, "criteria.3.description": {""}, "criteria.3.weight": {""},
	}
}

// createRound creates a draft round as the coordinator c and returns its path.
func (s *pgSite) createRound(t *testing.T, c *http.Client, title string) string {
	t.Helper()
	res, body := s.do(t, c, "/prioritering/ny", s.roundForm(title))
	return pgRedirect(t, "create "+title, res, body, `/prioritering/\d+`)
}

var pgSupportBox = regexp.MustCompile(`<input type="checkbox" id="support-\d+" name="support_ids" value="(\d+)">`)

// chooseCandidates makes n eligible supports the candidates of the round at
// path and returns their ids.
func (s *pgSite) chooseCandidates(t *testing.T, c *http.Client, path string, n int) []string {
	t.Helper()
	res, body := s.do(t, c, path+"/kandidater", nil)
	pgWant(t, "candidates page", res, body, http.StatusOK)
	var ids []string
	for _, m := range pgSupportBox.FindAllStringSubmatch(body, -1) {
		if len(ids) < n {
			ids = append(ids, m[1])
		}
	}
	if len(ids) < n {
		t.Fatalf("only %d eligible supports, want %d", len(ids), n)
	}
	res, body = s.do(t, c, path+"/kandidater", url.Values{"version": {pgVersion(t, body, path+"/kandidater")}, "support_ids": ids})
	pgRedirect(t, "save candidates", res, body, path)
	return ids
}

// groupID finds the id of the group named name on the groups page body.
func pgGroupID(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`value="(\d+)"(?: checked)?> <label for="group-\d+">` + regexp.QuoteMeta(name) + `</label>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no group %q on the groups page", name)
	}
	return m[1]
}

// chooseGroups makes the named groups the assessor groups of the round at
// path and returns their ids.
func (s *pgSite) chooseGroups(t *testing.T, c *http.Client, path string, names ...string) []string {
	t.Helper()
	res, body := s.do(t, c, path+"/grupper", nil)
	pgWant(t, "groups page", res, body, http.StatusOK)
	var ids []string
	for _, n := range names {
		ids = append(ids, pgGroupID(t, body, n))
	}
	res, body = s.do(t, c, path+"/grupper", url.Values{"version": {pgVersion(t, body, path+"/grupper")}, "group_ids": ids})
	pgRedirect(t, "save groups", res, body, path)
	return ids
}

// open opens the round at path.
func (s *pgSite) open(t *testing.T, c *http.Client, path string) {
	t.Helper()
	_, body := s.do(t, c, path, nil)
	res, body := s.do(t, c, path+"/oppna", url.Values{"version": {pgVersion(t, body, path+"/oppna")}})
	pgRedirect(t, "open", res, body, path)
}

func TestPages_RoundCreateConfigureOpenClose(t *testing.T) {
	t.Parallel()
	pgEach(t, func(t *testing.T, s *pgSite) {
		sara := s.login(t, "samordnare")

		res, body := s.do(t, sara, "/prioritering", nil)
		pgWant(t, "list", res, body, http.StatusOK, `href="/prioritering/ny"`, "Ny omgång")

		// The new form is filled from the defaults: next year, the region's criteria, a deadline ahead.
		res, body = s.do(t, sara, "/prioritering/ny", nil)
		next := s.today().Year() + 1
		pgWant(t, "new form", res, body, http.StatusOK, `name="year" type="number" value="`+strconv.Itoa(next)+`"`,
			"Betydelse och angelägenhet", "Tidpunkt", `value="`+s.date(42)+`"`, "5 – Mycket hög", "Kriterium 9 (nytt)")

		// Mistakes come back with field messages and the input kept.
		bad := s.roundForm("")
		bad.Set("scale_max", "1")
		bad.Set("criteria.2.axis", "")
		bad.Set("criteria.0.weight", "11")
		res, body = s.do(t, sara, "/prioritering/ny", bad)
		pgWant(t, "new with mistakes", res, body, http.StatusUnprocessableEntity, "error-summary", `href="#f-title"`,
			`href="#f-scale"`, "Skalan ska ha 2–10 steg.", `href="#f-criteria.2.axis"`, `href="#f-criteria.0.weight"`, "Nytta för patienten")

		path := s.createRound(t, sara, "Prioritering 2031")
		res, body = s.do(t, sara, path, nil)
		pgWant(t, "round page", res, body, http.StatusOK, "Prioritering 2031", "Under förberedelse", "Nytta för patienten", "vikt 2",
			"Ganska hög", path+"/kandidater", path+"/grupper", path+"/ta-bort", "Inga kandidater valda ännu.")

		// Opening needs candidates and groups.
		res, body = s.do(t, sara, path+"/oppna", url.Values{"version": {pgVersion(t, body, path+"/oppna")}})
		pgWant(t, "open empty", res, body, http.StatusUnprocessableEntity, `href="#f-support_ids"`, `href="#f-group_ids"`,
			"Välj minst ett kunskapsstöd som kandidat", "Välj minst en bedömande grupp")

		// Candidates: search, choose two; the chosen stay listed whatever the search.
		ids := s.chooseCandidates(t, sara, path, 2)
		res, body = s.do(t, sara, path+"/kandidater?q=ingenting-alls-finns", nil)
		pgWant(t, "candidates search", res, body, http.StatusOK, `value="`+ids[0]+`" checked`, `value="`+ids[1]+`" checked`, "Inga fler kunskapsstöd att välja.")
		s.chooseGroups(t, sara, path, "LPO Diabetes/endokrina")
		res, body = s.do(t, sara, path+"/grupper", nil)
		pgWant(t, "groups page", res, body, http.StatusOK, "LPO Diabetes/endokrina</label>", "checked")

		// Edit in draft: add a criterion in an empty row, remove one by blanking it.
		res, body = s.do(t, sara, path+"/redigera", nil)
		pgWant(t, "edit draft", res, body, http.StatusOK, "Nytta för patienten", `name="scale_min"`, "Kriterium 4 (nytt)")
		version := pgVersion(t, body, path+"/redigera")
		form := s.roundForm("Prioritering 2031")
		form.Set("version", version)
		form.Set("criteria.1.label", "")
		form.Set("criteria.1.description", "Beskrivningen ensam behåller inte kriteriet")
		form.Set("criteria.3.axis", "feasibility")
		form.Set("criteria.3.label", "Stöd från chefer")
		res, body = s.do(t, sara, path+"/redigera", form)
		pgRedirect(t, "save draft", res, body, path)
		res, body = s.do(t, sara, path, nil)
		pgWant(t, "edited", res, body, http.StatusOK, "Stöd från chefer", "!Angelägenhet")

		// A second save from the same version is a conflict that keeps the input.
		form.Set("title", "Min egen titel")
		res, body = s.do(t, sara, path+"/redigera", form)
		pgWant(t, "stale save", res, body, http.StatusConflict, "Omgången har ändrats av någon annan", `value="Min egen titel"`)
		if v := pgVersion(t, body, path+"/redigera"); v == version {
			t.Errorf("conflict form keeps the stale version %s", v)
		}

		// Open, then edit the open round: only title, instructions, deadline.
		s.open(t, sara, path)
		res, body = s.do(t, sara, path, nil)
		pgWant(t, "open round", res, body, http.StatusOK, "Öppen för bedömning", path+"/stang", path+"/bedomning", "!"+path+"/kandidater")
		res, body = s.do(t, sara, path+"/redigera", nil)
		pgWant(t, "edit open", res, body, http.StatusOK, "bara titel, instruktion och sista dag", "!"+`name="scale_min"`, "Stöd från chefer")
		res, body = s.do(t, sara, path+"/redigera", url.Values{"version": {pgVersion(t, body, path+"/redigera")},
			"title": {"Prioritering 2031 (öppen)"}, "instructions": {"Ny instruktion"}, "deadline": {s.date(-1)}})
		pgWant(t, "deadline in the past", res, body, http.StatusUnprocessableEntity, `href="#f-deadline"`, "kan inte ligga före i dag")
		res, body = s.do(t, sara, path+"/redigera", url.Values{"version": {pgVersion(t, body, path+"/redigera")},
			"title": {"Prioritering 2031 (öppen)"}, "instructions": {"Ny instruktion"}, "deadline": {s.date(20)}})
		pgRedirect(t, "save open", res, body, path)
		for _, p := range []string{"/kandidater", "/grupper", "/ta-bort"} {
			res, body = s.do(t, sara, path+p, nil)
			pgWant(t, "draft page of an open round "+p, res, body, http.StatusConflict)
		}

		// Close, then reopen: a deadline in the past is refused.
		_, body = s.do(t, sara, path, nil)
		res, body = s.do(t, sara, path+"/stang", url.Values{"version": {pgVersion(t, body, path+"/stang")}})
		pgRedirect(t, "close", res, body, path)
		res, body = s.do(t, sara, path, nil)
		pgWant(t, "closed", res, body, http.StatusOK, "Stängd", path+"/ateroppna", path+"/resultat", path+"/forslag", path+"/beslut")
		version = pgVersion(t, body, path+"/ateroppna")
		res, body = s.do(t, sara, path+"/ateroppna", url.Values{"version": {version}, "deadline": {s.date(-3)}})
		pgWant(t, "reopen past", res, body, http.StatusUnprocessableEntity, `href="#f-deadline"`, `value="`+s.date(-3)+`"`)
		res, body = s.do(t, sara, path+"/ateroppna", url.Values{"version": {version}, "deadline": {s.date(10)}})
		pgRedirect(t, "reopen", res, body, path)
		// The same version again is stale.
		res, body = s.do(t, sara, path+"/ateroppna", url.Values{"version": {version}, "deadline": {s.date(10)}})
		pgWant(t, "stale step", res, body, http.StatusConflict, "Någon annan har ändrat omgången")
	})
}

func TestPages_RoundDeleteDraft(t *testing.T) {
	t.Parallel()
	pgEach(t, func(t *testing.T, s *pgSite) {
		sara := s.login(t, "samordnare")
		path := s.createRound(t, sara, "Att ta bort")
		res, body := s.do(t, sara, path+"/ta-bort", nil)
		pgWant(t, "confirm", res, body, http.StatusOK, "Ta bort ”Att ta bort”?")
		version := pgVersion(t, body, path+"/ta-bort")
		s.chooseGroups(t, sara, path, "LPO Diabetes/endokrina") // moves the version on
		res, body = s.do(t, sara, path+"/ta-bort", url.Values{"version": {version}})
		pgWant(t, "stale delete", res, body, http.StatusConflict, `href="#f-conflict"`)
		res, body = s.do(t, sara, path+"/ta-bort", url.Values{"version": {pgVersion(t, body, path+"/ta-bort")}})
		pgRedirect(t, "delete", res, body, "/prioritering")
		res, body = s.do(t, sara, path, nil)
		pgWant(t, "deleted", res, body, http.StatusNotFound)
	})
}

func TestPages_RoundPermissions(t *testing.T) {
	t.Parallel()
	pgEach(t, func(t *testing.T, s *pgSite) {
		path := s.createRound(t, s.login(t, "samordnare"), "Behörigheter")
		tests := []struct {
			user, path string
			form       url.Values
			status     int
			texts      []string
		}{
			{"revisor", "/prioritering", nil, http.StatusOK, []string{"Behörigheter", "!/prioritering/ny"}},
			{"revisor", path, nil, http.StatusOK, []string{"Behörigheter", "!" + path + "/redigera", "!" + path + "/oppna"}},
			{"ledning", path, nil, http.StatusOK, []string{"!" + path + "/kandidater"}},
			{"revisor", "/prioritering/ny", nil, http.StatusForbidden, nil},
			{"utvecklare", "/prioritering/ny", url.Values{"title": {"x"}}, http.StatusForbidden, nil},
			{"utvecklare", path + "/redigera", nil, http.StatusForbidden, nil},
			{"enhet", path + "/kandidater", nil, http.StatusForbidden, nil},
			{"enhet", path + "/grupper", url.Values{"version": {"1"}}, http.StatusForbidden, nil},
			{"ledning", path + "/oppna", url.Values{"version": {"1"}}, http.StatusForbidden, nil},
			{"revisor", path + "/stang", url.Values{"version": {"1"}}, http.StatusForbidden, nil},
			{"revisor", path + "/ateroppna", url.Values{"version": {"1"}}, http.StatusForbidden, nil},
			{"utvecklare", path + "/ta-bort", url.Values{"version": {"1"}}, http.StatusForbidden, nil},
			{"samordnare", "/prioritering/999999", nil, http.StatusNotFound, nil},
		}
		for _, tt := range tests {
			res, body := s.do(t, s.login(t, tt.user), tt.path, tt.form)
			pgWant(t, tt.user+" "+tt.path, res, body, tt.status, tt.texts...)
		}
	})
}
