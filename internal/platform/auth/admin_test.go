package auth_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
)

// password is every test account's password (see mustCreate).
const password = "ett långt lösenord"

// site is the account pages wired as internal/app wires them, behind a real
// HTTP server, with three accounts: the administrators anna and bertil and
// cecilia of a care unit.
type site struct {
	srv *httptest.Server
	svc *auth.Service
	log *audit.Log
	db  *db.DB
	cat *i18n.Catalog
}

func newSite(t *testing.T, d *db.DB) *site {
	t.Helper()
	svc, log, _ := newService(d)
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
	if err := auth.Register(ws, svc); err != nil {
		t.Fatal(err)
	}
	s := &site{svc: svc, log: log, db: d, cat: cat}
	s.srv = httptest.NewServer(ws.Handler(auth.Middleware(svc, ws)))
	t.Cleanup(s.srv.Close)
	mustCreate(t, svc, "anna", access.Admin)
	mustCreate(t, svc, "bertil", access.Admin)
	mustCreate(t, svc, "cecilia", access.Unit)
	return s
}

// client is a browser: its own cookies, and it does not follow redirects, so
// a test sees exactly what the server answered.
func (s *site) client(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs username in through the login form and returns the browser.
func (s *site) login(t *testing.T, username string) *http.Client {
	t.Helper()
	c := s.client(t)
	if res, body := s.post(t, c, "/logga-in", url.Values{"username": {username}, "password": {password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d\n%s", username, res.StatusCode, body)
	}
	return c
}

// get fetches path.
func (s *site) get(t *testing.T, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	return s.do(t, c, http.MethodGet, path, nil)
}

// post submits a form as a browser on this site does.
func (s *site) post(t *testing.T, c *http.Client, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return s.do(t, c, http.MethodPost, path, form)
}

func (s *site) do(t *testing.T, c *http.Client, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, s.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
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
	return res, string(b)
}

func (s *site) user(t *testing.T, username string) auth.User {
	t.Helper()
	u, err := s.svc.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func editPath(u auth.User) string { return "/admin/anvandare/" + strconv.FormatInt(u.ID, 10) }

// change is an audit entry of an account with its values decoded.
type change struct {
	actor, action string
	before, after *auth.User
	event         string
}

// changes returns the audit log's updates and creations of account id, newest first.
func (s *site) changes(t *testing.T, id int64) []change {
	t.Helper()
	entries, _, err := s.log.List(context.Background(), s.db, audit.Filter{Entity: "user", EntityID: strconv.FormatInt(id, 10)}, audit.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []change
	for _, e := range entries {
		if e.Action == audit.Login || e.Action == audit.Logout {
			continue
		}
		for _, raw := range []json.RawMessage{e.Before, e.After} {
			if strings.Contains(string(raw), "argon2") || strings.Contains(string(raw), "password_hash") || strings.Contains(string(raw), password) {
				t.Errorf("audit entry %d leaks a password: %s", e.ID, raw)
			}
		}
		c := change{actor: e.ActorName, action: string(e.Action), before: decodeUser(t, e.Before), after: decodeUser(t, e.After)}
		var ev struct {
			Event string `json:"event"`
		}
		_ = json.Unmarshal(e.After, &ev)
		c.event = ev.Event
		out = append(out, c)
	}
	return out
}

func decodeUser(t *testing.T, raw json.RawMessage) *auth.User {
	t.Helper()
	if raw == nil {
		return nil
	}
	var u auth.User
	if err := json.Unmarshal(raw, &u); err != nil {
		t.Fatalf("audit value is not a user: %v\n%s", err, raw)
	}
	return &u
}

// formValues returns what a browser submits for the form matching selector
// as the page shows it.
func formValues(t *testing.T, doc *htmltest.Doc, selector string) url.Values {
	t.Helper()
	form := doc.One(t, selector)
	v := url.Values{}
	for _, in := range htmltest.In(form).All("input") {
		switch htmltest.Attr(in, "type") {
		case "submit":
		case "checkbox":
			if htmltest.HasAttr(in, "checked") {
				v.Add(htmltest.Attr(in, "name"), htmltest.Attr(in, "value"))
			}
		default:
			v.Add(htmltest.Attr(in, "name"), htmltest.Attr(in, "value"))
		}
	}
	return v
}

// summary returns the fields the error summary links to, in order.
func summary(doc *htmltest.Doc) []string {
	var out []string
	for _, a := range doc.All(".error-summary a") {
		out = append(out, strings.TrimPrefix(htmltest.Attr(a, "href"), "#f-"))
	}
	return out
}

// checked returns the roles whose boxes are ticked.
func checked(doc *htmltest.Doc) []string {
	var out []string
	for _, in := range doc.All("#f-roles input[checked]") {
		out = append(out, htmltest.Attr(in, "value"))
	}
	return out
}

func TestAdmin_OnlyAdministratorsManageUsers(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.Open(t, db.SQLite))
	cecilia := s.user(t, "cecilia")
	tests := []struct {
		who    string // "" for anonymous
		method string
		path   string
		status int
	}{
		{"", http.MethodGet, "/admin/anvandare", http.StatusSeeOther},
		{"cecilia", http.MethodGet, "/admin/anvandare", http.StatusForbidden},
		{"cecilia", http.MethodGet, "/admin/anvandare/ny", http.StatusForbidden},
		{"cecilia", http.MethodGet, editPath(cecilia), http.StatusForbidden},
		{"cecilia", http.MethodPost, "/admin/anvandare/ny", http.StatusForbidden},
		{"cecilia", http.MethodPost, editPath(cecilia), http.StatusForbidden},
		{"cecilia", http.MethodPost, editPath(cecilia) + "/losenord", http.StatusForbidden},
		{"", http.MethodPost, editPath(cecilia), http.StatusUnauthorized},
		{"anna", http.MethodGet, "/admin/anvandare", http.StatusOK},
		{"anna", http.MethodGet, "/admin/anvandare/ny", http.StatusOK},
		{"anna", http.MethodGet, editPath(cecilia), http.StatusOK},
		{"anna", http.MethodGet, "/admin/anvandare/999", http.StatusNotFound},
		{"anna", http.MethodGet, "/admin/anvandare/x", http.StatusNotFound},
	}
	clients := map[string]*http.Client{"": s.client(t), "cecilia": s.login(t, "cecilia"), "anna": s.login(t, "anna")}
	// An attempt to make oneself administrator must change nothing.
	attempt := url.Values{"version": {strconv.FormatInt(cecilia.Version, 10)}, "display_name": {"Cecilia"}, "roles": {"admin"}, "active": {"1"},
		"username": {"ny"}, "password": {"ett nytt långt lösenord"}, "password_confirm": {"ett nytt långt lösenord"}}
	for _, tt := range tests {
		var form url.Values
		if tt.method == http.MethodPost {
			form = attempt
		}
		res, _ := s.do(t, clients[tt.who], tt.method, tt.path, form)
		if res.StatusCode != tt.status {
			t.Errorf("%q %s %s: %d, want %d", tt.who, tt.method, tt.path, res.StatusCode, tt.status)
		}
	}
	if after := s.user(t, "cecilia"); after.Version != cecilia.Version || slices.Contains(after.Roles, access.Admin) {
		t.Errorf("a refused request changed the account: %+v", after)
	}
	if _, err := s.svc.UserByUsername(context.Background(), "ny"); err == nil {
		t.Errorf("a refused request created an account")
	}
}

func TestAdmin_ListsUsers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		res, html := s.get(t, s.login(t, "anna"), "/admin/anvandare")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		doc := htmltest.Parse(t, html)
		htmltest.CheckAccessible(t, doc)
		if got, want := htmltest.Text(doc.One(t, "main table caption")), s.cat.N(i18n.SV, "admin.users.count", 3); got != want {
			t.Errorf("caption %q, want %q", got, want)
		}
		var got [][]string
		for _, tr := range doc.All("main table tbody tr") {
			var row []string
			for _, cell := range htmltest.In(tr).All("th, td") {
				row = append(row, htmltest.Text(cell))
			}
			row = append(row, htmltest.Attr(htmltest.In(tr).One(t, "th a"), "href"))
			got = append(got, row)
		}
		active, admin, unit := s.cat.T(i18n.SV, "admin.users.active"), s.cat.T(i18n.SV, "role.admin"), s.cat.T(i18n.SV, "role.enhet")
		want := [][]string{
			{"ANNA", "anna", "", admin, active, editPath(s.user(t, "anna"))},
			{"BERTIL", "bertil", "", admin, active, editPath(s.user(t, "bertil"))},
			{"CECILIA", "cecilia", "", unit, active, editPath(s.user(t, "cecilia"))},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("user table (-want +got):\n%s", diff)
		}
	})
}

func TestAdmin_CreateUser(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		anna := s.login(t, "anna")
		newPassword := "ett annat långt lösenord"
		res, _ := s.post(t, anna, "/admin/anvandare/ny", url.Values{
			"username": {" Dora "}, "display_name": {"Dora Ek"}, "email": {"dora@example.se"},
			"password": {newPassword}, "password_confirm": {newPassword}, "roles": {"samordnare", "revisor"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/anvandare" {
			t.Fatalf("create: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		_, html := s.get(t, anna, "/admin/anvandare")
		if got, want := htmltest.Text(htmltest.Parse(t, html).One(t, "main .flash-success")), s.cat.T(i18n.SV, "admin.users.created", "name", "Dora Ek"); got != want {
			t.Errorf("flash %q, want %q", got, want)
		}
		dora := s.user(t, "dora")
		if dora.DisplayName != "Dora Ek" || dora.Email != "dora@example.se" || !dora.Active ||
			!cmp.Equal(dora.Roles, []access.Role{access.Auditor, access.Coordinator}) {
			t.Errorf("created %+v", dora)
		}
		if _, err := s.svc.Authenticate(context.Background(), "dora", newPassword, "10.0.0.9"); err != nil {
			t.Errorf("the new account cannot sign in: %v", err)
		}
		changes := s.changes(t, dora.ID)
		if len(changes) != 1 || changes[0].actor != "anna" || changes[0].action != "create" || changes[0].before != nil ||
			changes[0].after == nil || changes[0].after.Username != "dora" || !cmp.Equal(changes[0].after.Roles, dora.Roles) {
			t.Errorf("audit of the creation: %+v", changes)
		}
	})
}

func TestAdmin_CreateUserShowsEveryProblemInPlace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		anna := s.login(t, "anna")
		good := url.Values{"username": {"dora"}, "display_name": {"Dora Ek"}, "email": {"dora@example.se"},
			"password": {"hemligt lösenord 1"}, "password_confirm": {"hemligt lösenord 1"}, "roles": {"samordnare"}}
		with := func(changes ...string) url.Values {
			v := url.Values{}
			for k, vs := range good {
				v[k] = slices.Clone(vs)
			}
			for i := 0; i < len(changes); i += 2 {
				v[changes[i]] = []string{changes[i+1]}
			}
			return v
		}
		tests := []struct {
			name   string
			form   url.Values
			fields []string // the problems, in the order of the form
			keys   []string
		}{
			{"bad username", with("username", "Dora Ek"), []string{"username"}, []string{"validation.username"}},
			{"taken username", with("username", "CECILIA"), []string{"username"}, []string{"validation.username_taken"}},
			{"no name", with("display_name", "  "), []string{"display_name"}, []string{"validation.required"}},
			{"bad e-mail", with("email", "dora at example"), []string{"email"}, []string{"validation.email"}},
			{"short password", with("password", "kort", "password_confirm", "kort"), []string{"password"}, []string{"validation.password_short"}},
			{"passwords differ", with("password_confirm", "hemligt lösenord 2"), []string{"password_confirm"}, []string{"validation.password_mismatch"}},
			{"unknown role", with("roles", "kung"), []string{"roles"}, []string{"validation.role"}},
			{"several at once", with("username", "x", "email", "nej", "password_confirm", "annat"),
				[]string{"username", "email", "password_confirm"}, []string{"validation.username", "validation.email", "validation.password_mismatch"}},
		}
		before := len(s.changes(t, 0))
		users, _ := s.svc.Users(context.Background())
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, html := s.post(t, anna, "/admin/anvandare/ny", tt.form)
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", res.StatusCode)
				}
				doc := htmltest.Parse(t, html)
				htmltest.CheckAccessible(t, doc)
				if diff := cmp.Diff(tt.fields, summary(doc)); diff != "" {
					t.Errorf("error summary (-want +got):\n%s", diff)
				}
				for i, f := range tt.fields {
					msg := s.cat.T(i18n.SV, tt.keys[i], "min", auth.MinPasswordLength, "role", "kung")
					if got := htmltest.Text(doc.One(t, "#f-"+f+"-error")); !strings.Contains(got, msg) {
						t.Errorf("%s: message in place %q, want %q", f, got, msg)
					}
				}
				for _, f := range []string{"username", "display_name", "email"} {
					if got := htmltest.Attr(doc.One(t, "#f-"+f), "value"); got != tt.form.Get(f) {
						t.Errorf("%s: shows %q, typed %q", f, got, tt.form.Get(f))
					}
				}
				if got := checked(doc); !slices.Equal(got, slices.DeleteFunc(slices.Clone(tt.form["roles"]), func(r string) bool { return r == "kung" })) {
					t.Errorf("roles ticked %v, chosen %v", got, tt.form["roles"])
				}
				for _, f := range []string{"password", "password_confirm"} {
					if v := htmltest.Attr(doc.One(t, "#f-"+f), "value"); v != "" || strings.Contains(html, tt.form.Get(f)) {
						t.Errorf("%s is echoed back", f)
					}
				}
			})
		}
		if after, _ := s.svc.Users(context.Background()); len(after) != len(users) {
			t.Errorf("%d accounts after failed creations, want %d", len(after), len(users))
		}
		if n := len(s.changes(t, 0)); n != before {
			t.Errorf("failed creations were audited")
		}
	})
}

func TestAdmin_EditUserAndSetPassword(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		anna := s.login(t, "anna")
		cecilia := s.user(t, "cecilia")

		res, html := s.get(t, anna, editPath(cecilia))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("edit page: %d", res.StatusCode)
		}
		doc := htmltest.Parse(t, html)
		htmltest.CheckAccessible(t, doc)
		shown := formValues(t, doc, `main form[action="`+editPath(cecilia)+`"]`)
		want := url.Values{"version": {strconv.FormatInt(cecilia.Version, 10)}, "display_name": {"CECILIA"}, "email": {""}, "roles": {"enhet"}, "active": {"1"}}
		if diff := cmp.Diff(want, shown); diff != "" {
			t.Errorf("edit form (-want +got):\n%s", diff)
		}

		// A bad e-mail address is shown in place, with every value kept.
		bad := url.Values{"version": shown["version"], "display_name": {"Cecilia Berg"}, "email": {"cecilia@"}, "roles": {"ledning", "enhet"}, "active": {"1"}}
		res, html = s.post(t, anna, editPath(cecilia), bad)
		doc = htmltest.Parse(t, html)
		if res.StatusCode != http.StatusUnprocessableEntity || !cmp.Equal(summary(doc), []string{"email"}) {
			t.Fatalf("bad e-mail: %d, summary %v", res.StatusCode, summary(doc))
		}
		htmltest.CheckAccessible(t, doc)
		if diff := cmp.Diff(bad, formValues(t, doc, `main form[action="`+editPath(cecilia)+`"]`)); diff != "" {
			t.Errorf("form after a bad e-mail (-typed +shown):\n%s", diff)
		}

		// Name, e-mail, roles and active saved; the change is audited with before and after.
		edit := url.Values{"version": shown["version"], "display_name": {"Cecilia Berg"}, "email": {"cecilia@example.se"}, "roles": {"ledning", "kommun"}}
		res, _ = s.post(t, anna, editPath(cecilia), edit)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/anvandare" {
			t.Fatalf("save: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		_, html = s.get(t, anna, "/admin/anvandare")
		if got, want := htmltest.Text(htmltest.Parse(t, html).One(t, "main .flash-success")), s.cat.T(i18n.SV, "admin.users.saved", "name", "Cecilia Berg"); got != want {
			t.Errorf("flash %q, want %q", got, want)
		}
		saved := s.user(t, "cecilia")
		if saved.DisplayName != "Cecilia Berg" || saved.Email != "cecilia@example.se" || saved.Active ||
			!cmp.Equal(saved.Roles, []access.Role{access.Municipality, access.Leadership}) || saved.Version != cecilia.Version+1 {
			t.Errorf("saved %+v", saved)
		}
		changes := s.changes(t, cecilia.ID)
		if len(changes) != 2 || changes[0].actor != "anna" || changes[0].action != "update" {
			t.Fatalf("audit: %+v", changes)
		}
		if diff := cmp.Diff(&cecilia, changes[0].before); diff != "" {
			t.Errorf("audited before (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(&saved, changes[0].after); diff != "" {
			t.Errorf("audited after (-want +got):\n%s", diff)
		}

		// A new password: problems shown in place and never echoed, then set.
		path := editPath(cecilia) + "/losenord"
		for _, tt := range []struct {
			pw, confirm string
			fields      []string
		}{
			{"kort", "kort", []string{"password"}},
			{"ett nytt långt lösenord", "ett nytt långt lösenorD", []string{"password_confirm"}},
			{"cecilia", "annat", []string{"password", "password_confirm"}},
		} {
			res, html := s.post(t, anna, path, url.Values{"password": {tt.pw}, "password_confirm": {tt.confirm}})
			doc := htmltest.Parse(t, html)
			if res.StatusCode != http.StatusUnprocessableEntity || !cmp.Equal(summary(doc), tt.fields) {
				t.Errorf("password %q/%q: %d, summary %v, want %v", tt.pw, tt.confirm, res.StatusCode, summary(doc), tt.fields)
			}
			htmltest.CheckAccessible(t, doc)
			if strings.Contains(html, `value="`+tt.pw+`"`) || strings.Contains(html, `value="`+tt.confirm+`"`) {
				t.Errorf("password %q echoed", tt.pw)
			}
		}
		newPassword := "ett nytt långt lösenord"
		res, _ = s.post(t, anna, path, url.Values{"password": {newPassword}, "password_confirm": {newPassword}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != editPath(cecilia) {
			t.Fatalf("set password: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		_, html = s.get(t, anna, editPath(cecilia))
		if got, want := htmltest.Text(htmltest.Parse(t, html).One(t, "main .flash-success")), s.cat.T(i18n.SV, "admin.users.password_set", "name", "Cecilia Berg"); got != want {
			t.Errorf("flash %q, want %q", got, want)
		}
		if _, err := s.svc.Grant(cliCtx(), "cecilia"); err != nil { // a no-op grant, to check the version moves on
			t.Fatal(err)
		}
		changes = s.changes(t, cecilia.ID)
		if len(changes) != 4 || changes[1].actor != "anna" || changes[1].event != "password_set" || changes[1].after.Version != saved.Version+1 {
			t.Errorf("audit of the new password: %+v", changes)
		}
	})
}

func TestAdmin_StaleEditGetsConflictAndSavesOnTop(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		anna, bertil := s.login(t, "anna"), s.login(t, "bertil")
		cecilia := s.user(t, "cecilia")
		path := editPath(cecilia)
		formSel := `main form[action="` + path + `"]`

		// Both open the edit page of the same version.
		_, htmlA := s.get(t, anna, path)
		_, htmlB := s.get(t, bertil, path)
		formA, formB := formValues(t, htmltest.Parse(t, htmlA), formSel), formValues(t, htmltest.Parse(t, htmlB), formSel)

		formA.Set("display_name", "Cecilia Andersson")
		if res, _ := s.post(t, anna, path, formA); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("first save: %d", res.StatusCode)
		}

		formB.Set("display_name", "Cecilia Berg")
		formB.Set("email", "cecilia@example.se")
		formB["roles"] = []string{"kommun"}
		res, html := s.post(t, bertil, path, formB)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("stale save: %d, want 409", res.StatusCode)
		}
		doc := htmltest.Parse(t, html)
		htmltest.CheckAccessible(t, doc)
		if got := summary(doc); !cmp.Equal(got, []string{"conflict"}) {
			t.Errorf("error summary %v, want the conflict", got)
		}
		theirs := htmltest.Text(doc.One(t, "#f-conflict dl"))
		if !strings.Contains(theirs, "Cecilia Andersson") || !strings.Contains(theirs, s.cat.T(i18n.SV, "role.enhet")) {
			t.Errorf("the other person's version is not shown: %q", theirs)
		}
		latest := s.user(t, "cecilia")
		kept := formValues(t, doc, formSel)
		wantKept := url.Values{"version": {strconv.FormatInt(latest.Version, 10)}, "display_name": {"Cecilia Berg"},
			"email": {"cecilia@example.se"}, "roles": {"kommun"}, "active": {"1"}}
		if diff := cmp.Diff(wantKept, kept); diff != "" {
			t.Errorf("form after the conflict (-want +got):\n%s", diff)
		}
		if latest.DisplayName != "Cecilia Andersson" || len(s.changes(t, cecilia.ID)) != 2 {
			t.Fatalf("the stale save changed the account: %+v", latest)
		}

		// Saving the form as shown now works, on top of the other person's version.
		if res, _ := s.post(t, bertil, path, kept); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save after the conflict: %d", res.StatusCode)
		}
		final := s.user(t, "cecilia")
		if final.DisplayName != "Cecilia Berg" || final.Email != "cecilia@example.se" || !cmp.Equal(final.Roles, []access.Role{access.Municipality}) {
			t.Errorf("final %+v", final)
		}
		changes := s.changes(t, cecilia.ID)
		if len(changes) != 3 || changes[0].actor != "bertil" || changes[0].before.DisplayName != "Cecilia Andersson" ||
			changes[1].actor != "anna" || changes[1].after.DisplayName != "Cecilia Andersson" {
			t.Errorf("audit: %+v", changes)
		}
	})
}

func TestAdmin_CannotLockThemselvesOut(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		c := s.login(t, "anna")
		anna := s.user(t, "anna")
		path := editPath(anna)
		version := strconv.FormatInt(anna.Version, 10)
		tests := []struct {
			name   string
			form   url.Values
			fields []string
			keys   []string
		}{
			{"drop own admin role", url.Values{"version": {version}, "display_name": {"Anna"}, "email": {""}, "roles": {"samordnare"}, "active": {"1"}},
				[]string{"roles"}, []string{"validation.self_admin_role"}},
			{"deactivate self", url.Values{"version": {version}, "display_name": {"Anna"}, "email": {""}, "roles": {"admin"}},
				[]string{"active"}, []string{"validation.self_deactivate"}},
			{"both, and a bad e-mail", url.Values{"version": {version}, "display_name": {"Anna"}, "email": {"x"}},
				[]string{"email", "roles", "active"}, []string{"validation.email", "validation.self_admin_role", "validation.self_deactivate"}},
		}
		for _, tt := range tests {
			res, html := s.post(t, c, path, tt.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", tt.name, res.StatusCode)
				continue
			}
			doc := htmltest.Parse(t, html)
			htmltest.CheckAccessible(t, doc)
			if diff := cmp.Diff(tt.fields, summary(doc)); diff != "" {
				t.Errorf("%s: error summary (-want +got):\n%s", tt.name, diff)
			}
			for i, f := range tt.fields {
				if got, want := htmltest.Text(doc.One(t, "#f-"+f+"-error")), s.cat.T(i18n.SV, tt.keys[i]); !strings.Contains(got, want) {
					t.Errorf("%s: %s says %q, want %q", tt.name, f, got, want)
				}
			}
			if diff := cmp.Diff(tt.form, formValues(t, doc, `main form[action="`+path+`"]`)); diff != "" {
				t.Errorf("%s: form (-typed +shown):\n%s", tt.name, diff)
			}
		}
		if after := s.user(t, "anna"); after.Version != anna.Version || !after.Active || !slices.Contains(after.Roles, access.Admin) {
			t.Errorf("refused self-edits changed the account: %+v", after)
		}
		if n := len(s.changes(t, anna.ID)); n != 1 {
			t.Errorf("%d audit entries, want only the creation", n)
		}
		// The service refuses too, whoever calls it.
		self := anna
		self.Roles = nil
		_, err := s.svc.SaveUser(access.With(context.Background(), anna.Principal()), self)
		if v, ok := errs.AsValidation(err); !ok || !v.Has("roles") {
			t.Errorf("SaveUser dropping the caller's own admin role: %v", err)
		}
		// Changing one's own name is fine.
		ok := url.Values{"version": {version}, "display_name": {"Anna Admin"}, "roles": {"admin", "revisor"}, "active": {"1"}}
		if res, _ := s.post(t, c, path, ok); res.StatusCode != http.StatusSeeOther {
			t.Errorf("a harmless self-edit: %d", res.StatusCode)
		}
	})
}

func TestAdmin_DeactivatedUserIsSignedOutAndCannotSignIn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		anna, cecilia := s.login(t, "anna"), s.login(t, "cecilia")
		if res, _ := s.get(t, cecilia, "/konto"); res.StatusCode != http.StatusOK {
			t.Fatalf("cecilia's account page: %d", res.StatusCode)
		}
		u := s.user(t, "cecilia")
		save := func(active bool) {
			t.Helper()
			_, html := s.get(t, anna, editPath(u))
			form := formValues(t, htmltest.Parse(t, html), `main form[action="`+editPath(u)+`"]`)
			form.Del("active")
			if active {
				form.Set("active", "1")
			}
			if res, _ := s.post(t, anna, editPath(u), form); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("save active=%v: %d", active, res.StatusCode)
			}
		}
		save(false)

		res, _ := s.get(t, cecilia, "/konto")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/logga-in") {
			t.Errorf("deactivated user's session: %d %s, want a redirect to sign in", res.StatusCode, res.Header.Get("Location"))
		}
		res, html := s.post(t, s.client(t), "/logga-in", url.Values{"username": {"cecilia"}, "password": {password}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(html, s.cat.T(i18n.SV, "auth.login.failed")) {
			t.Errorf("deactivated user signing in: %d", res.StatusCode)
		}
		changes := s.changes(t, u.ID)
		if len(changes) < 1 || changes[0].actor != "anna" || !changes[0].before.Active || changes[0].after.Active {
			t.Errorf("audit of the deactivation: %+v", changes)
		}

		// Reactivated, the old session stays ended; a new sign-in works.
		save(true)
		if res, _ := s.get(t, cecilia, "/konto"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the ended session came back: %d", res.StatusCode)
		}
		if res, _ := s.get(t, s.login(t, "cecilia"), "/konto"); res.StatusCode != http.StatusOK {
			t.Errorf("reactivated user: %d", res.StatusCode)
		}
	})
}
