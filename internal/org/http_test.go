package org_test

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

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// password is every test account's password.
const password = "ett långt lösenord"

// site is the registry's pages wired as internal/app wires them, behind a real
// HTTP server, with the coordinators sara and sven, the auditor rut and erik
// of a care unit.
type site struct {
	srv *httptest.Server
	svc *org.Service
}

func newSite(t testing.TB, d *db.DB) *site {
	t.Helper()
	now := func() time.Time { return today }
	log := audit.New(now)
	authSvc := auth.NewService(d, log, now, auth.DefaultThrottle)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	// Sessions expire by the wall clock, as scs stamps them with time.Now.
	sessions := auth.NewSessions(auth.NewSessionStore(d, time.Now), time.Hour, 12*time.Hour, false)
	ws, err := web.NewServer(web.Config{Version: "test"}, slog.New(slog.DiscardHandler), cat, sessions)
	if err != nil {
		t.Fatal(err)
	}
	if err := auth.Register(ws, authSvc); err != nil {
		t.Fatal(err)
	}
	s := &site{svc: org.NewService(d, log, now)}
	if err := org.Register(ws, s.svc, org.AccountsFrom(authSvc.Users, auth.User.Principal)); err != nil {
		t.Fatal(err)
	}
	s.srv = httptest.NewServer(ws.Handler(auth.Middleware(authSvc, ws)))
	t.Cleanup(s.srv.Close)
	c := audit.WithSystemActor(context.Background(), "test")
	for name, role := range map[string]access.Role{"sara": access.Coordinator, "sven": access.Coordinator, "rut": access.Auditor, "erik": access.Unit} {
		if _, err := authSvc.CreateUser(c, auth.NewUser{Username: name, DisplayName: strings.ToUpper(name[:1]) + name[1:], Password: password, Roles: []access.Role{role}, Locale: "sv"}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// login signs username in through the login form and returns their browser,
// which does not follow redirects, so a test sees exactly what the server said.
func (s *site) login(t testing.TB, username string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, body := s.post(t, c, "/logga-in", url.Values{"username": {username}, "password": {password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d\n%s", username, res.StatusCode, body)
	}
	return c
}

func (s *site) get(t testing.TB, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	return s.do(t, c, http.MethodGet, path, nil)
}

// post submits a form as a browser on this site does.
func (s *site) post(t testing.TB, c *http.Client, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return s.do(t, c, http.MethodPost, path, form)
}

func (s *site) do(t testing.TB, c *http.Client, method, path string, form url.Values) (*http.Response, string) {
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

// wantStatus fails unless res has status want.
func wantStatus(t *testing.T, what string, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, want, body)
	}
}

// wantText fails unless body contains every one of texts.
func wantText(t *testing.T, what, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s: page lacks %q", what, s)
		}
	}
}

// created follows a create's redirect to the new record's id.
func created(t *testing.T, what string, res *http.Response, body string, prefix string) string {
	t.Helper()
	wantStatus(t, what, res, body, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s: redirected to %q, want %s…", what, loc, prefix)
	}
	return strings.TrimPrefix(loc, prefix)
}

// versionIn reads the hidden version field of the first form on a page.
func versionIn(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no version field on the page")
	}
	return m[1]
}

func TestPages_UnitsCreateEditMoveAndDelete(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		sara := s.login(t, "sara")

		res, body := s.get(t, sara, "/organisation")
		wantStatus(t, "empty tree", res, body, http.StatusOK)
		wantText(t, "empty tree", body, "Det finns inga enheter ännu", `href="/organisation/enheter/ny"`, `<a href="/organisation" aria-current="page">`)

		res, body = s.post(t, sara, "/organisation/enheter/ny", url.Values{"level": {"division"}, "name": {"Hälso- och sjukvårdsförvaltningen"}, "kind": {"other"}})
		div := created(t, "create division", res, body, "/organisation/enheter/")
		res, body = s.post(t, sara, "/organisation/enheter/ny", url.Values{"level": {"department"}, "parent_id": {div}, "name": {"Medicinkliniken"},
			"kind": {"county_hospital"}, "hsa_id": {"se2321000207-1001"}, "valid_from": {"2020-01-01"}})
		dep := created(t, "create department", res, body, "/organisation/enheter/")
		res, body = s.post(t, sara, "/organisation/enheter/ny", url.Values{"level": {"unit"}, "parent_id": {dep}, "name": {"Avdelning 7"}, "kind": {"county_hospital"}})
		ward := created(t, "create care unit", res, body, "/organisation/enheter/")

		// The tree nests the units and highlights a search match in its place.
		res, body = s.get(t, sara, "/organisation?q=avdelning")
		wantStatus(t, "search", res, body, http.StatusOK)
		wantText(t, "search", body, "1 enhet matchar", "<mark>Avdelning</mark> 7", `href="/organisation/enheter/`+ward+`"`)
		if strings.Index(body, "Hälso- och sjukvårdsförvaltningen") > strings.Index(body, "Medicinkliniken") ||
			strings.Count(body[strings.Index(body, `class="org-tree"`):], "<ul>") != 3 {
			t.Errorf("search result is not shown in its place in the tree:\n%s", body)
		}

		// Bad input keeps what was typed and saves nothing.
		tests := []struct {
			name    string
			form    url.Values
			message string
		}{
			{"duplicate HSA-id", url.Values{"level": {"department"}, "parent_id": {div}, "name": {"Kirurgkliniken"}, "kind": {"county_hospital"}, "hsa_id": {"SE2321000207-1001"}},
				"HSA-id:t används redan av en annan enhet."},
			{"malformed HSA-id", url.Values{"level": {"department"}, "parent_id": {div}, "name": {"Kirurgkliniken"}, "kind": {"county_hospital"}, "hsa_id": {"2321000207-1"}},
				"Ange ett HSA-id som"},
			{"department without parent", url.Values{"level": {"department"}, "name": {"Kirurgkliniken"}, "kind": {"other"}}, "Välj den överordnade enheten."},
			{"bad date", url.Values{"level": {"department"}, "parent_id": {div}, "name": {"Kirurgkliniken"}, "kind": {"other"}, "valid_from": {"1 maj"}}, "Ange ett datum som ÅÅÅÅ-MM-DD."},
		}
		for _, tt := range tests {
			res, body := s.post(t, sara, "/organisation/enheter/ny", tt.form)
			wantStatus(t, tt.name, res, body, http.StatusUnprocessableEntity)
			wantText(t, tt.name, body, "Det finns problem i formuläret", tt.message, `value="Kirurgkliniken"`)
		}
		if units := must(s.svc.Units(ctx()))(t); len(units) != 3 {
			t.Fatalf("bad input saved something: %d units", len(units))
		}

		// Moving the department under its own care unit is refused.
		res, body = s.get(t, sara, "/organisation/enheter/"+dep+"/redigera")
		wantStatus(t, "edit form", res, body, http.StatusOK)
		version := versionIn(t, body)
		if strings.Contains(body, `<option value="`+ward+`"`) {
			t.Error("the edit form offers a care unit below the department as its parent")
		}
		edit := url.Values{"version": {version}, "level": {"department"}, "parent_id": {ward}, "name": {"Medicinkliniken"}, "kind": {"county_hospital"},
			"hsa_id": {"SE2321000207-1001"}, "valid_from": {"2020-01-01"}}
		res, body = s.post(t, sara, "/organisation/enheter/"+dep, edit)
		wantStatus(t, "cycle", res, body, http.StatusUnprocessableEntity)
		wantText(t, "cycle", body, `href="#f-parent_id"`, `aria-invalid="true"`)

		// A rename keeps the earlier name in the unit's history.
		edit.Set("parent_id", div)
		edit.Set("name", "Medicin- och geriatrikkliniken")
		res, body = s.post(t, sara, "/organisation/enheter/"+dep, edit)
		wantStatus(t, "rename", res, body, http.StatusSeeOther)
		res, body = s.get(t, sara, "/organisation/enheter/"+dep)
		wantStatus(t, "unit page", res, body, http.StatusOK)
		wantText(t, "unit page", body, "<h1>Medicin- och geriatrikkliniken</h1>", "Tidigare namn och placeringar", "<td>Medicinkliniken</td>", "Avdelning 7", "2020-01-01",
			`href="/organisation" aria-current="true"`)

		// A stale edit is a conflict showing both versions.
		res, body = s.post(t, sara, "/organisation/enheter/"+dep, edit)
		wantStatus(t, "stale edit", res, body, http.StatusConflict)
		wantText(t, "stale edit", body, `id="f-conflict"`, "<dd>Medicin- och geriatrikkliniken</dd>")

		// A unit with sub-units stays; a leaf goes.
		_, body = s.get(t, sara, "/organisation/enheter/"+div)
		res, body = s.post(t, sara, "/organisation/enheter/"+div+"/ta-bort", url.Values{"version": {versionIn(t, body)}})
		wantStatus(t, "delete with children", res, body, http.StatusConflict)
		wantText(t, "delete with children", body, "Enheten har underenheter eller personer och kan inte tas bort.")
		_, body = s.get(t, sara, "/organisation/enheter/"+ward)
		res, body = s.post(t, sara, "/organisation/enheter/"+ward+"/ta-bort", url.Values{"version": {versionIn(t, body)}})
		wantStatus(t, "delete leaf", res, body, http.StatusSeeOther)
		if res, _ := s.get(t, sara, "/organisation/enheter/"+ward); res.StatusCode != http.StatusNotFound {
			t.Fatalf("deleted unit: status %d", res.StatusCode)
		}
	})
}

func TestPages_GroupsAndMemberships(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		sara := s.login(t, "sara")
		anna := must(s.svc.CreatePerson(ctx(), org.Person{Name: "Anna Andersson", Title: "Överläkare"}))(t)
		bo := must(s.svc.CreatePerson(ctx(), org.Person{Name: "Bo Berg"}))(t)

		res, body := s.post(t, sara, "/organisation/grupper/ny", url.Values{"kind": {"lpo"}, "level": {"region"}, "name": {"LPO Diabetes"}, "seats": {"3"}, "mandate": {"Följa upp diabetesvården."}})
		id := created(t, "create group", res, body, "/organisation/grupper/")
		res, body = s.get(t, sara, "/organisation/grupper?kind=lpo&q=diabetes")
		wantStatus(t, "filtered list", res, body, http.StatusOK)
		wantText(t, "filtered list", body, "1 grupp", "LPO Diabetes")
		if res, _ := s.get(t, sara, "/organisation/grupper?kind=kung"); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("unknown kind filter: status %d", res.StatusCode)
		}

		add := func(form url.Values) (*http.Response, string) {
			return s.post(t, sara, "/organisation/grupper/"+id+"/medlemmar", form)
		}
		member := url.Values{"person_id": {idText(anna.ID)}, "role": {"chair"}, "represents_region": {"jamtland-harjedalen"}, "share_percent": {"12,5"}, "start": {"2025-01-01"}}
		bad := []struct {
			name, field, value, message string
		}{
			{"ends before it starts", "end", "2024-12-31", "Slutdatumet får inte vara före startdatumet."},
			{"share above 100", "share_percent", "120", "Andelen av heltid ska vara mellan 0 och 100 procent."},
			{"negative share", "share_percent", "-1", "Andelen av heltid ska vara mellan 0 och 100 procent."},
			{"share far above 100", "share_percent", "1000", "Andelen av heltid ska vara mellan 0 och 100 procent."},
			{"share not a number", "share_percent", "tolv", "Ange andelen av heltid som ett tal"},
			{"no start", "start", "", "Fyll i fältet."},
		}
		for _, tt := range bad {
			form := url.Values{}
			for k, v := range member {
				form[k] = v
			}
			form.Set(tt.field, tt.value)
			res, body := add(form)
			wantStatus(t, tt.name, res, body, http.StatusUnprocessableEntity)
			wantText(t, tt.name, body, tt.message, `href="#f-`+tt.field+`"`, `<option value="`+idText(anna.ID)+`" selected>`)
		}
		if ms := must(s.svc.Memberships(ctx(), org.MembershipFilter{}))(t); len(ms) != 0 {
			t.Fatalf("bad memberships were saved: %d", len(ms))
		}
		res, body = add(member)
		wantStatus(t, "add member", res, body, http.StatusSeeOther)
		res, body = add(url.Values{"person_id": {idText(bo.ID)}, "role": {"member"}, "share_percent": {"5"}, "start": {"2020-01-01"}, "end": {"2024-12-31"}})
		wantStatus(t, "add past member", res, body, http.StatusSeeOther)

		res, body = s.get(t, sara, "/organisation/grupper/"+id)
		wantStatus(t, "group page", res, body, http.StatusOK)
		wantText(t, "group page", body, "<h1>LPO Diabetes</h1>", "2 vakanta platser av 3", "Följa upp diabetesvården.", "12,5 %", "Region Jämtland Härjedalen",
			"Tidigare medlemmar", "Bo Berg", `href="/organisation/grupper" aria-current="true"`)

		// The person page sums the current shares and counts key roles.
		res, body = s.get(t, sara, "/organisation/personer/"+idText(anna.ID))
		wantStatus(t, "person page", res, body, http.StatusOK)
		wantText(t, "person page", body, "<h1>Anna Andersson</h1>", "<dd>12,5 %</dd>", "<dd>1</dd>", `href="/organisation/grupper/`+id+`"`)

		// Edit a membership, then delete it.
		m := must(s.svc.Memberships(ctx(), org.MembershipFilter{PersonID: anna.ID}))(t)[0]
		path := "/organisation/medlemskap/" + idText(m.ID)
		res, body = s.get(t, sara, path)
		wantStatus(t, "membership form", res, body, http.StatusOK)
		wantText(t, "membership form", body, `value="12,5"`)
		edit := url.Values{"version": {versionIn(t, body)}, "person_id": {idText(anna.ID)}, "role": {"member"}, "share_percent": {"20"}, "start": {"2025-01-01"}, "end": {"2024-01-01"}}
		res, body = s.post(t, sara, path, edit)
		wantStatus(t, "edit ending before start", res, body, http.StatusUnprocessableEntity)
		edit.Set("end", "")
		res, body = s.post(t, sara, path, edit)
		wantStatus(t, "edit membership", res, body, http.StatusSeeOther)
		if got := must(s.svc.Membership(ctx(), m.ID))(t); got.Role != org.Member || got.SharePercent != 20 {
			t.Fatalf("membership after edit: %+v", got)
		}
		_, body = s.get(t, sara, path)
		res, body = s.post(t, sara, path+"/ta-bort", url.Values{"version": {versionIn(t, body)}})
		wantStatus(t, "delete membership", res, body, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/organisation/grupper/"+id {
			t.Errorf("after delete: redirected to %q", loc)
		}

		// A group with memberships stays; the group cannot hang under its own child.
		_, body = s.get(t, sara, "/organisation/grupper/"+id)
		res, body = s.post(t, sara, "/organisation/grupper/"+id+"/ta-bort", url.Values{"version": {versionIn(t, body[strings.Index(body, "/ta-bort"):])}})
		wantStatus(t, "delete group with members", res, body, http.StatusConflict)
		res, body = s.post(t, sara, "/organisation/grupper/ny", url.Values{"kind": {"other"}, "level": {"region"}, "name": {"Undergrupp"}, "parent_id": {id}})
		child := created(t, "create child group", res, body, "/organisation/grupper/")
		_, body = s.get(t, sara, "/organisation/grupper/"+id+"/redigera")
		if strings.Contains(body, `<option value="`+child+`"`) {
			t.Error("the edit form offers the group's own child as its parent")
		}
		res, body = s.post(t, sara, "/organisation/grupper/"+id, url.Values{"version": {versionIn(t, body)}, "kind": {"lpo"}, "level": {"region"}, "name": {"LPO Diabetes"}, "parent_id": {child}})
		wantStatus(t, "group cycle", res, body, http.StatusUnprocessableEntity)
		wantText(t, "group cycle", body, "En grupp kan inte ligga under sig själv eller någon av sina undergrupper.")
		_, body = s.get(t, sara, "/organisation/grupper/"+child)
		res, body = s.post(t, sara, "/organisation/grupper/"+child+"/ta-bort", url.Values{"version": {versionIn(t, body[strings.Index(body, "/ta-bort"):])}})
		wantStatus(t, "delete group", res, body, http.StatusSeeOther)
	})
}

func TestPages_TwoCoordinatorsEditingAGroupConflict(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		sara, sven := s.login(t, "sara"), s.login(t, "sven")
		npo := must(s.svc.Groups(ctx(), org.GroupFilter{Kind: org.NPO}))(t)[0]
		path := "/organisation/grupper/" + idText(npo.ID)

		_, saraForm := s.get(t, sara, path+"/redigera")
		_, svenForm := s.get(t, sven, path+"/redigera")
		form := func(version, host, mandate string) url.Values {
			return url.Values{"version": {version}, "name": {npo.Name}, "name_en": {npo.NameEn}, "host_region": {host}, "mandate": {mandate}, "seats": {"6"}}
		}
		res, body := s.post(t, sara, path, form(versionIn(t, saraForm), "sodra", "Saras uppdrag"))
		wantStatus(t, "first save", res, body, http.StatusSeeOther)
		res, body = s.post(t, sven, path, form(versionIn(t, svenForm), "vastra", "Svens uppdrag"))
		wantStatus(t, "second save", res, body, http.StatusConflict)
		wantText(t, "second save", body, `id="f-conflict"`, "<dd>Södra</dd>", "<dd>Saras uppdrag</dd>", ">Svens uppdrag</textarea>", `<option value="vastra" selected>`)
		if got := must(s.svc.Group(ctx(), npo.ID))(t); got.HostRegion != "sodra" || got.Mandate != "Saras uppdrag" {
			t.Fatalf("the second save overwrote the first: %+v", got)
		}
		// Saving again, on top of the newer version, goes through.
		res, body = s.post(t, sven, path, form(versionIn(t, body), "vastra", "Svens uppdrag"))
		wantStatus(t, "save again", res, body, http.StatusSeeOther)
	})
}

func TestPages_PeopleCreateEditDelete(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		sara := s.login(t, "sara")
		unit := must(s.svc.CreateUnit(ctx(), org.Unit{Level: org.Division, Name: "Primärvården", Kind: org.PrimaryCare}))(t)

		res, body := s.get(t, sara, "/organisation/personer/ny")
		wantStatus(t, "new person", res, body, http.StatusOK)
		wantText(t, "new person", body, ">Sara (sara)</option>", ">Primärvården</option>")
		res, body = s.post(t, sara, "/organisation/personer/ny", url.Values{"name": {"Cecilia Ceder"}, "title": {"Distriktsläkare"}, "email": {"cecilia@example.se"},
			"unit_id": {idText(unit.ID)}, "hsa_id": {"SE2321000207-P001"}})
		id := created(t, "create person", res, body, "/organisation/personer/")
		res, body = s.post(t, sara, "/organisation/personer/ny", url.Values{"name": {"Dubbel"}, "email": {"inte en adress"}, "hsa_id": {"SE2321000207-P001"}})
		wantStatus(t, "bad person", res, body, http.StatusUnprocessableEntity)
		wantText(t, "bad person", body, `href="#f-email"`, `value="inte en adress"`)
		res, body = s.post(t, sara, "/organisation/personer/ny", url.Values{"name": {"Dubbel"}, "hsa_id": {"SE2321000207-P001"}})
		wantStatus(t, "duplicate HSA-id", res, body, http.StatusUnprocessableEntity)
		wantText(t, "duplicate HSA-id", body, "HSA-id:t används redan av en annan person.")

		res, body = s.get(t, sara, "/organisation/personer?q=cecilia")
		wantStatus(t, "search people", res, body, http.StatusOK)
		wantText(t, "search people", body, "1 person", "Cecilia Ceder", "Primärvården")

		// Link the person to sara's account.
		_, body = s.get(t, sara, "/organisation/personer/"+id+"/redigera")
		wantText(t, "edit person form", body, "<title>Ändra Cecilia Ceder – Kunskapsnav</title>", "<h1>Ändra Cecilia Ceder</h1>")
		saraID := regexp.MustCompile(`<option value="(\d+)">Sara \(sara\)</option>`).FindStringSubmatch(body)
		if saraID == nil {
			t.Fatalf("no account choice for Sara:\n%s", body)
		}
		res, body = s.post(t, sara, "/organisation/personer/"+id, url.Values{"version": {versionIn(t, body)}, "name": {"Cecilia Ceder"}, "title": {"Verksamhetschef"},
			"unit_id": {idText(unit.ID)}, "hsa_id": {"SE2321000207-P001"}, "user_id": {saraID[1]}})
		wantStatus(t, "edit person", res, body, http.StatusSeeOther)
		_, body = s.get(t, sara, "/organisation/personer/"+id)
		wantText(t, "person page", body, "<title>Cecilia Ceder – person – Kunskapsnav</title>", "<dd>Verksamhetschef</dd>", "<dd>Sara (sara)</dd>", `href="/organisation/enheter/`+idText(unit.ID)+`"`)

		// Someone else's account is not offered to another person.
		_, body = s.get(t, sara, "/organisation/personer/ny")
		if strings.Contains(body, ">Sara (sara)</option>") {
			t.Error("an account linked to one person is offered to another")
		}

		_, body = s.get(t, sara, "/organisation/personer/"+id)
		res, body = s.post(t, sara, "/organisation/personer/"+id+"/ta-bort", url.Values{"version": {versionIn(t, body[strings.Index(body, "/ta-bort"):])}})
		wantStatus(t, "delete person", res, body, http.StatusSeeOther)
		if n := len(must(s.svc.People(ctx(), org.PersonFilter{}))(t)); n != 0 {
			t.Fatalf("%d people after delete", n)
		}
	})
}

func TestPages_NationalStructureAndSettings(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		sara := s.login(t, "sara")
		c := ctx()
		npo := must(s.svc.Groups(c, org.GroupFilter{Kind: org.NPO, Query: "Endokrina"}))(t)[0]
		anna := must(s.svc.CreatePerson(c, org.Person{Name: "Anna Andersson"}))(t)
		ulla := must(s.svc.CreatePerson(c, org.Person{Name: "Ulla Umeå", Region: "vasterbotten"}))(t)
		olle := must(s.svc.CreatePerson(c, org.Person{Name: "Olle Oslo"}))(t)
		start := date.New(2025, 1, 1)
		must(s.svc.CreateMembership(c, org.Membership{GroupID: npo.ID, PersonID: anna.ID, Role: org.Member, RepresentsRegion: "jamtland-harjedalen", Start: start}))(t)
		must(s.svc.CreateMembership(c, org.Membership{GroupID: npo.ID, PersonID: ulla.ID, Role: org.Chair, RepresentsHealthcareRegion: "norra", Start: start}))(t)
		must(s.svc.CreateMembership(c, org.Membership{GroupID: npo.ID, PersonID: olle.ID, Role: org.Member, RepresentsHealthcareRegion: "sodra", Start: start}))(t)

		ns := must(s.svc.NationalStructure(c))(t)
		if ns.HomeRegion.Code != "jamtland-harjedalen" || ns.HomeHealthcareRegion.Code != "norra" || len(ns.Rows) != 25+len(must(s.svc.Groups(c, org.GroupFilter{Kind: org.NSG}))(t))+1 {
			t.Fatalf("national structure: home %s/%s, %d rows", ns.HomeRegion.Code, ns.HomeHealthcareRegion.Code, len(ns.Rows))
		}
		for _, row := range ns.Rows {
			if row.Group.ID != npo.ID {
				continue
			}
			if len(row.Region) != 1 || row.Region[0].Person.ID != anna.ID || len(row.Healthcare) != 2 || row.Healthcare[0].Person.ID != ulla.ID || row.Vacancies != 3 || row.Host != "Norra" {
				t.Fatalf("row: region %v, healthcare %v, vacancies %d, host %q", row.Region, row.Healthcare, row.Vacancies, row.Host)
			}
		}

		res, body := s.get(t, sara, "/organisation/nationell-struktur")
		wantStatus(t, "national page", res, body, http.StatusOK)
		wantText(t, "national page", body, "Nationella programområden (NPO)", "Nationella samverkansgrupper (NSG)", "Nationellt primärvårdsråd",
			"Företräder Region Jämtland Härjedalen", "Företräder sjukvårdsregion Norra", "Anna Andersson", "Ulla Umeå", `<th scope="row">`)
		if strings.Contains(body, "Olle Oslo") {
			t.Error("a representative of another sjukvårdsregion is listed as ours")
		}

		res, body = s.get(t, sara, "/organisation/installningar")
		wantStatus(t, "settings", res, body, http.StatusOK)
		version := versionIn(t, body)
		settings := url.Values{"version": {version}, "home_region": {"vasterbotten"}, "annual_cost_per_fte": {"1 400 000"}, "overhead_percent": {"30"}, "travel_per_person": {"5000"}, "key_role_limit": {"4"}}
		bad := url.Values{}
		for k, v := range settings {
			bad[k] = v
		}
		bad.Set("overhead_percent", "trettio")
		bad.Set("key_role_limit", "0")
		res, body = s.post(t, sara, "/organisation/installningar", bad)
		wantStatus(t, "bad settings", res, body, http.StatusUnprocessableEntity)
		wantText(t, "bad settings", body, `href="#f-overhead_percent"`, `href="#f-key_role_limit"`, `value="trettio"`)
		res, body = s.post(t, sara, "/organisation/installningar", settings)
		wantStatus(t, "save settings", res, body, http.StatusSeeOther)
		if st := must(s.svc.Settings(c))(t); st.HomeRegion != "vasterbotten" || st.AnnualCostPerFTE != 1_400_000 || st.KeyRoleLimit != 4 {
			t.Fatalf("settings after save: %+v", st)
		}
		res, body = s.post(t, sara, "/organisation/installningar", settings)
		wantStatus(t, "stale settings", res, body, http.StatusConflict)
		wantText(t, "stale settings", body, `id="f-conflict"`, "<dd>Region Västerbotten</dd>")
	})
}

func TestPages_ReadersCannotChangeAnything(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.Open(t, db.SQLite))
	g := must(s.svc.CreateGroup(ctx(), org.Group{Kind: org.LPO, Level: org.RegionalLevel, Name: "LPO Hjärta"}))(t)
	p := must(s.svc.CreatePerson(ctx(), org.Person{Name: "Anna Andersson"}))(t)
	for _, who := range []string{"rut", "erik"} {
		c := s.login(t, who)
		for _, path := range []string{"/organisation", "/organisation/grupper", "/organisation/grupper/" + idText(g.ID), "/organisation/personer", "/organisation/personer/" + idText(p.ID), "/organisation/nationell-struktur"} {
			res, body := s.get(t, c, path)
			wantStatus(t, who+" reads "+path, res, body, http.StatusOK)
			if strings.Contains(body, `method="post" action="/organisation`) || strings.Contains(body, "/redigera") || strings.Contains(body, "/organisation/installningar") {
				t.Errorf("%s sees a way to change things on %s", who, path)
			}
		}
		for _, path := range []string{"/organisation/enheter/ny", "/organisation/grupper/" + idText(g.ID) + "/redigera", "/organisation/installningar"} {
			if res, _ := s.get(t, c, path); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET %s: status %d, want 403", who, path, res.StatusCode)
			}
		}
		posts := map[string]url.Values{
			"/organisation/enheter/ny":                             {"level": {"division"}, "name": {"X"}, "kind": {"other"}},
			"/organisation/grupper/" + idText(g.ID):                {"version": {"1"}, "kind": {"lpo"}, "level": {"region"}, "name": {"Kapad"}},
			"/organisation/grupper/" + idText(g.ID) + "/medlemmar": {"person_id": {idText(p.ID)}, "role": {"chair"}, "start": {"2025-01-01"}},
			"/organisation/grupper/" + idText(g.ID) + "/ta-bort":   {"version": {"1"}},
			"/organisation/personer/" + idText(p.ID) + "/ta-bort":  {"version": {"1"}},
			"/organisation/installningar":                          {"version": {"1"}, "home_region": {"stockholm"}},
		}
		for path, form := range posts {
			if res, _ := s.post(t, c, path, form); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST %s: status %d, want 403", who, path, res.StatusCode)
			}
		}
	}
	if got := must(s.svc.Group(ctx(), g.ID))(t); got.Name != "LPO Hjärta" || len(must(s.svc.Units(ctx()))(t)) != 0 {
		t.Fatal("a reader changed something")
	}
}

func TestPages_EnglishAndEveryChoiceLabelled(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, v := range org.UnitLevels {
		keys = append(keys, "org.unit_level."+string(v))
	}
	for _, v := range org.UnitKinds {
		keys = append(keys, "org.unit_kind."+string(v))
	}
	for _, v := range org.GroupKinds {
		keys = append(keys, "org.group_kind."+string(v))
	}
	for _, v := range org.Levels {
		keys = append(keys, "org.level."+string(v))
	}
	for _, v := range org.Roles {
		keys = append(keys, "org.role."+string(v))
	}
	for _, v := range org.NationalKinds {
		keys = append(keys, "org.national.section."+string(v), "org.national.caption."+string(v))
	}
	keys = append(keys, "org.composition.core", "org.composition.extended", "org.unit.division_no_parent", "org.unit.parent_required",
		"org.unit.parent_level", "org.unit.cycle", "org.unit.level_has_children", "org.hsa_id_taken", "org.group.code_taken", "org.group.cycle",
		"org.group.nag_needs_npo", "org.group.host_only_npo", "org.group.reference_kept", "org.membership.end_before_start",
		"org.membership.share_range", "org.person.taken", "org.person.user_missing", "validation.hsa_id", "validation.range")
	used, err := i18n.TemplateKeys(org.Templates(), "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for k := range used {
		keys = append(keys, k)
	}
	for _, k := range keys {
		for _, loc := range i18n.Supported() {
			if !cat.Has(loc, k) {
				t.Errorf("%s: %q is missing", loc, k)
			}
		}
	}

	// Every page renders in English without a missing message.
	s := newSite(t, dbtest.Open(t, db.SQLite))
	sara := s.login(t, "sara")
	if res, body := s.post(t, sara, "/sprak", url.Values{"lang": {"en"}, "next": {"/"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch language: %d\n%s", res.StatusCode, body)
	}
	c := ctx()
	div := must(s.svc.CreateUnit(c, org.Unit{Level: org.Division, Name: "Division", Kind: org.OtherKind}))(t)
	p := must(s.svc.CreatePerson(c, org.Person{Name: "Anna Andersson", UnitID: div.ID}))(t)
	g := must(s.svc.CreateGroup(c, org.Group{Kind: org.GovernanceCouncil, Level: org.RegionalLevel, Name: "Kunskapsstyrningsrådet", Seats: 5}))(t)
	m := must(s.svc.CreateMembership(c, org.Membership{GroupID: g.ID, PersonID: p.ID, Role: org.Chair, Composition: org.Core, SharePercent: 12.5, Start: date.New(2025, 1, 1)}))(t)
	for _, path := range []string{"/organisation", "/organisation?q=div", "/organisation/enheter/ny", "/organisation/enheter/" + idText(div.ID), "/organisation/enheter/" + idText(div.ID) + "/redigera",
		"/organisation/grupper", "/organisation/grupper/ny", "/organisation/grupper/" + idText(g.ID), "/organisation/grupper/" + idText(g.ID) + "/redigera",
		"/organisation/medlemskap/" + idText(m.ID), "/organisation/personer", "/organisation/personer/ny", "/organisation/personer/" + idText(p.ID),
		"/organisation/personer/" + idText(p.ID) + "/redigera", "/organisation/nationell-struktur", "/organisation/installningar"} {
		res, body := s.get(t, sara, path)
		wantStatus(t, path, res, body, http.StatusOK)
		wantText(t, path, body, `<html lang="en">`, `<nav class="subnav" aria-label="Organisation registry">`)
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("%s: %d h1 elements", path, n)
		}
	}
	_, body := s.get(t, sara, "/organisation/grupper/"+idText(g.ID))
	wantText(t, "council page", body, "12.5%", "Core", "4 vacant seats of 5")
}

func idText(id int64) string { return strconv.FormatInt(id, 10) }
