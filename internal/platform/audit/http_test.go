package audit_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/requestid"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// site is the audit pages and API behind a real HTTP server. Who makes a
// request is named by the X-Test-User header (see people), so the log holds
// only the entries a test records.
type site struct {
	srv *httptest.Server
	log *audit.Log
	db  *db.DB
	cat *i18n.Catalog
	now time.Time
}

var people = map[string]access.Principal{
	"admin":   {UserID: 1, Username: "admin", Name: "Ada Admin", Roles: []access.Role{access.Admin}},
	"revisor": {UserID: 2, Username: "revisor", Name: "Rut Revisor", Roles: []access.Role{access.Auditor}},
	"enhet":   {UserID: 3, Username: "enhet", Name: "Erik Enhet", Roles: []access.Role{access.Unit}},
}

func newSite(t *testing.T, d *db.DB) *site {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ws, err := web.NewServer(web.Config{Version: "test"}, slog.New(slog.DiscardHandler), cat, scs.New())
	if err != nil {
		t.Fatal(err)
	}
	s := &site{db: d, cat: cat}
	s.log = audit.New(func() time.Time { return s.now })
	rd := audit.Reader{Log: s.log, DB: d}
	if err := audit.Register(ws, rd); err != nil {
		t.Fatal(err)
	}
	audit.RegisterAPI(api.New(ws, "test"), rd)
	asPerson := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p, ok := people[r.Header.Get("X-Test-User")]; ok {
				r = r.WithContext(access.With(r.Context(), p))
			}
			next.ServeHTTP(w, r)
		})
	}
	s.srv = httptest.NewServer(ws.Handler(asPerson))
	t.Cleanup(s.srv.Close)
	return s
}

// get fetches path as person ("" for anonymous) without following redirects.
func (s *site) get(t *testing.T, person, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if person != "" {
		req.Header.Set("X-Test-User", person)
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
	return res, string(b)
}

// seed is one audit record to write, marked so a test can find it in every output.
type seed struct {
	marker   string
	at       string // RFC 3339
	actor    string // a username, or "system:name" for a system actor
	entity   string
	entityID int64
	action   audit.Action
	request  string
}

// record writes the seeds, in order, in one transaction.
func (s *site) record(t *testing.T, seeds ...seed) {
	t.Helper()
	err := s.db.Tx(context.Background(), func(tx *db.Tx) error {
		for i, sd := range seeds {
			at, err := time.Parse(time.RFC3339, sd.at)
			if err != nil {
				return err
			}
			s.now = at
			ctx := context.Background()
			if name, ok := strings.CutPrefix(sd.actor, "system:"); ok {
				ctx = audit.WithSystemActor(ctx, name)
			} else {
				ctx = access.With(ctx, access.Principal{UserID: int64(100 + i), Username: sd.actor})
			}
			if sd.request != "" {
				ctx = requestid.With(ctx, sd.request)
			}
			c := audit.Change{Entity: sd.entity, EntityID: sd.entityID, Action: sd.action}
			value := map[string]string{"marker": sd.marker}
			if sd.action == audit.Delete {
				c.Before = value
			} else {
				c.After = value
			}
			if err := s.log.Record(ctx, tx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// history is a small log around two edges of the Stockholm day: an ordinary
// midnight in winter (UTC+1) and the night summer time starts (UTC+2 from
// 2026-03-29).
var history = []seed{
	{"e1", "2026-03-09T22:59:59Z", "anna", "user", 1, audit.Create, "r1"}, // 23:59:59 on 9 March in Stockholm
	{"e2", "2026-03-09T23:00:00Z", "anna", "user", 1, audit.Update, "r2"}, // midnight, 10 March
	{"e3", "2026-03-10T12:00:00Z", "bo", "support", 2, audit.Create, "r3"},
	{"e4", "2026-03-11T08:00:00Z", "bo", "support", 2, audit.Update, "r4"},
	{"e5", "2026-03-29T21:59:59Z", "anna", "support", 3, audit.Delete, "r5"},  // 23:59:59 CEST on 29 March
	{"e6", "2026-03-29T22:00:00Z", "system:cli", "user", 4, audit.Update, ""}, // midnight, 30 March
	{"e7", "2026-03-30T06:00:00Z", "bo", "user", 1, audit.Login, "r7"},
}

var markerPattern = regexp.MustCompile(`"marker":"(e\d+)"`)

// markers returns the seed markers in s, in order.
func markers(s string) []string {
	var out []string
	for _, m := range markerPattern.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// pageMarkers returns the markers of the entries the page lists, top to bottom.
func pageMarkers(doc *htmltest.Doc) []string {
	var out []string
	for _, tr := range doc.All("main table tbody tr") {
		out = append(out, markers(htmltest.Text(tr))...)
	}
	return out
}

// readCSV checks the export's encoding and returns its rows, header first.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rest, ok := strings.CutPrefix(body, "\uFEFF")
	if !ok {
		t.Fatalf("CSV does not start with a UTF-8 byte order mark: %q", body[:min(len(body), 20)])
	}
	r := csv.NewReader(strings.NewReader(rest))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, rest)
	}
	if len(rows) == 0 {
		t.Fatal("CSV has no header row")
	}
	return rows
}

var csvHeader = []string{"id", "tid", "utförd_av", "objekt", "objekt_id", "händelse", "före", "efter", "begäran"}

func csvMarkers(t *testing.T, body string) []string {
	t.Helper()
	rows := readCSV(t, body)
	if diff := cmp.Diff(csvHeader, rows[0]); diff != "" {
		t.Errorf("CSV header (-want +got):\n%s", diff)
	}
	var out []string
	for _, row := range rows[1:] {
		out = append(out, markers(row[6]+row[7])...)
	}
	return out
}

// apiItem is one entry as GET /api/v1/audit returns it.
type apiItem struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at"`
	ActorID   int64           `json:"actor_id"`
	Actor     string          `json:"actor"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Action    string          `json:"action"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
	RequestID string          `json:"request_id"`
}

type apiPage struct {
	Items      []apiItem `json:"items"`
	NextCursor string    `json:"next_cursor"`
}

func (s *site) apiList(t *testing.T, query string) (apiPage, *http.Response) {
	t.Helper()
	res, body := s.get(t, "revisor", "/api/v1/audit?"+query)
	var p apiPage
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatalf("API answer is not JSON: %v\n%s", err, body)
		}
	}
	return p, res
}

func apiMarkers(p apiPage) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, markers(string(it.Before)+string(it.After))...)
	}
	return out
}

func TestAuditPage_FiltersNewestFirstAndExportsTheSameRows(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		s.record(t, history...)
		tests := []struct {
			name  string
			query string
			want  []string
		}{
			{"everything, newest first", "", []string{"e7", "e6", "e5", "e4", "e3", "e2", "e1"}},
			{"by person", "actor=anna", []string{"e5", "e2", "e1"}},
			{"by person, any case", "actor=+ANNA+", []string{"e5", "e2", "e1"}},
			{"by system actor", "actor=cli", []string{"e6"}},
			{"by entity", "entity=support", []string{"e5", "e4", "e3"}},
			{"by entity and id", "entity=support&entity_id=2", []string{"e4", "e3"}},
			{"by id alone", "entity_id=1", []string{"e7", "e2", "e1"}},
			{"by action", "action=update", []string{"e6", "e4", "e2"}},
			{"from a day includes its first second", "from=2026-03-10", []string{"e7", "e6", "e5", "e4", "e3", "e2"}},
			{"to a day includes its last second", "to=2026-03-09", []string{"e1"}},
			{"one day", "from=2026-03-10&to=2026-03-10", []string{"e3", "e2"}},
			{"to the day summer time starts", "to=2026-03-29", []string{"e5", "e4", "e3", "e2", "e1"}},
			{"from the day after summer time starts", "from=2026-03-30", []string{"e7", "e6"}},
			{"everything at once", "actor=bo&entity=support&entity_id=2&action=create&from=2026-03-10&to=2026-03-31", []string{"e3"}},
			{"nothing matches", "entity=finns-inte", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				res, html := s.get(t, "revisor", "/logg?"+tt.query)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("page: status %d\n%s", res.StatusCode, html)
				}
				doc := htmltest.Parse(t, html)
				htmltest.CheckAccessible(t, doc)
				if diff := cmp.Diff(tt.want, pageMarkers(doc)); diff != "" {
					t.Errorf("page entries (-want +got):\n%s", diff)
				}
				if tt.want == nil && !strings.Contains(htmltest.Text(doc.One(t, "main")), s.cat.T(i18n.SV, "audit.none_filtered")) {
					t.Errorf("an empty result does not say that nothing matches the filter")
				}

				// The export link carries the same filter and yields the same rows.
				link := htmltest.Attr(doc.One(t, "main a[download]"), "href")
				if !strings.HasPrefix(link, "/logg.csv") {
					t.Fatalf("export link %q", link)
				}
				res, body := s.get(t, "revisor", link)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("CSV: status %d\n%s", res.StatusCode, body)
				}
				if diff := cmp.Diff(tt.want, csvMarkers(t, body)); diff != "" {
					t.Errorf("CSV rows (-want +got):\n%s", diff)
				}

				page, res := s.apiList(t, tt.query)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("API: status %d", res.StatusCode)
				}
				if diff := cmp.Diff(tt.want, apiMarkers(page)); diff != "" {
					t.Errorf("API items (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestAuditPage_FilterFormKeepsTheFilterInForce(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.Open(t, db.SQLite))
	s.record(t, history...)
	_, html := s.get(t, "admin", "/logg?actor=anna&entity=support&entity_id=3&action=delete&from=2026-03-01&to=2026-03-31")
	doc := htmltest.Parse(t, html)
	for sel, want := range map[string]string{
		"#f-actor":                     "anna",
		"#f-entity_id":                 "3",
		"#f-from":                      "2026-03-01",
		"#f-to":                        "2026-03-31",
		"#f-entity option[selected]":   "support",
		"#f-action option[selected]":   "delete",
		"#f-entity option[value=user]": "user",
	} {
		if got := htmltest.Attr(doc.One(t, sel), "value"); got != want {
			t.Errorf("%s: value %q, want %q", sel, got, want)
		}
	}
	// Entities are named in the reader's language when the catalogue knows them.
	if got, want := htmltest.Text(doc.One(t, "#f-entity option[value=user]")), s.cat.T(i18n.SV, "audit.entity.user"); got != want {
		t.Errorf("entity option reads %q, want %q", got, want)
	}
	if got := pageMarkers(doc); !cmp.Equal(got, []string{"e5"}) {
		t.Errorf("entries %v, want [e5]", got)
	}
	if htmltest.Text(doc.One(t, `main a[href="/logg"]`)) != s.cat.T(i18n.SV, "common.clear_filter") {
		t.Errorf("no link clears the filter")
	}

	// An entity asked for in the address but absent from the log is still shown as chosen.
	_, html = s.get(t, "admin", "/logg?entity=finns-inte")
	if got := htmltest.Attr(htmltest.Parse(t, html).One(t, "#f-entity option[selected]"), "value"); got != "finns-inte" {
		t.Errorf("chosen entity %q, want finns-inte", got)
	}
}

func TestAuditPage_BadFilterShowsErrorsInPlaceAndKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		s.record(t, history...)
		tests := []struct {
			name      string
			query     url.Values
			field     string // the field with the problem
			key       string // its message
			apiStatus int
		}{
			{"impossible date", url.Values{"from": {"2026-13-01"}}, "from", "validation.date", http.StatusUnprocessableEntity},
			{"not a date", url.Values{"to": {"10/3/2026"}}, "to", "validation.date", http.StatusUnprocessableEntity},
			{"from after to", url.Values{"from": {"2026-03-12"}, "to": {"2026-03-10"}}, "to", "validation.date_order", http.StatusUnprocessableEntity},
			{"unknown action", url.Values{"action": {"rename"}, "actor": {"anna"}}, "action", "validation.choice", http.StatusBadRequest},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				field := tt.field
				res, html := s.get(t, "revisor", "/logg?"+tt.query.Encode())
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", res.StatusCode)
				}
				doc := htmltest.Parse(t, html)
				htmltest.CheckAccessible(t, doc)
				links := doc.All(".error-summary a")
				if len(links) != 1 || htmltest.Attr(links[0], "href") != "#f-"+field {
					t.Fatalf("error summary links %v, want one to #f-%s", hrefs(links), field)
				}
				msg := s.cat.T(i18n.SV, tt.key)
				if got := htmltest.Text(links[0]); got != msg {
					t.Errorf("summary says %q, want %q", got, msg)
				}
				in := doc.One(t, "#f-"+field)
				if htmltest.Attr(in, "aria-invalid") != "true" || !strings.Contains(htmltest.Attr(in, "aria-describedby"), "f-"+field+"-error") {
					t.Errorf("field %s is not marked invalid: %v", field, in.Attr)
				}
				if got := htmltest.Text(doc.One(t, "#f-"+field+"-error")); !strings.Contains(got, msg) {
					t.Errorf("message beside the field %q, want %q", got, msg)
				}
				for name := range tt.query {
					// What was typed is shown again; a choice not on offer cannot be.
					if in := doc.One(t, "#f-"+name); in.Data == "input" && htmltest.Attr(in, "value") != tt.query.Get(name) {
						t.Errorf("%s: shows %q, typed %q", name, htmltest.Attr(in, "value"), tt.query.Get(name))
					}
				}
				if len(doc.All("main table")) != 0 || len(doc.All("main a[download]")) != 0 {
					t.Errorf("a page with a bad filter lists entries or offers an export")
				}

				if res, _ := s.get(t, "revisor", "/logg.csv?"+tt.query.Encode()); res.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("CSV with a bad filter: status %d, want 422", res.StatusCode)
				}
				res, body := s.get(t, "revisor", "/api/v1/audit?"+tt.query.Encode())
				if res.StatusCode != tt.apiStatus || res.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("API with a bad filter: %d %s, want %d problem+json\n%s", res.StatusCode, res.Header.Get("Content-Type"), tt.apiStatus, body)
				}
			})
		}
	})
}

func hrefs(ns []*html.Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, htmltest.Attr(n, "href"))
	}
	return out
}

func TestAuditPage_PagesWithTheAfterCursor(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		var seeds []seed
		var want []string // the users' entries, newest first
		start := time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)
		for i := range 65 {
			sd := seed{marker: "e" + strconv.Itoa(i), at: start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
				actor: "anna", entity: "user", entityID: int64(i), action: audit.Update}
			if i%13 == 0 {
				sd.entity = "support" // filtered away
			} else {
				want = append([]string{sd.marker}, want...)
			}
			seeds = append(seeds, sd)
		}
		s.record(t, seeds...)

		var got []string
		path, pages := "/logg?entity=user", 0
		for path != "" {
			res, html := s.get(t, "admin", path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", path, res.StatusCode)
			}
			doc := htmltest.Parse(t, html)
			got = append(got, pageMarkers(doc)...)
			pages++
			path = ""
			if next := doc.All(`nav.pager a[rel=next]`); len(next) == 1 {
				path = htmltest.Attr(next[0], "href")
				u, _ := url.Parse(path)
				if u.Query().Get("entity") != "user" || u.Query().Get("after") == "" {
					t.Fatalf("next link %q loses the filter or the cursor", path)
				}
			}
			if prev := doc.All(`nav.pager a[rel=prev]`); (len(prev) == 1) != (pages > 1) {
				t.Errorf("page %d: %d links back to the first page", pages, len(prev))
			}
		}
		if pages != 2 {
			t.Errorf("%d pages, want 2 (50 + 10 entries)", pages)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("entries over all pages (-want +got):\n%s", diff)
		}
	})
}

func TestAuditAPI_NextCursorLeadsToTheNextPage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		s.record(t, history...)

		first, res := s.apiList(t, "limit=3")
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("first page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if diff := cmp.Diff([]string{"e7", "e6", "e5"}, apiMarkers(first)); diff != "" || first.NextCursor == "" {
			t.Fatalf("first page (-want +got):\n%s\nnext_cursor %q", diff, first.NextCursor)
		}
		wantFirst := apiItem{ID: first.Items[0].ID, At: time.Date(2026, 3, 30, 6, 0, 0, 0, time.UTC), ActorID: 106, Actor: "bo",
			Entity: "user", EntityID: "1", Action: "login", After: json.RawMessage(`{"marker":"e7"}`), RequestID: "r7"}
		if diff := cmp.Diff(wantFirst, first.Items[0]); diff != "" {
			t.Errorf("first item (-want +got):\n%s", diff)
		}

		second, _ := s.apiList(t, "limit=3&cursor="+url.QueryEscape(first.NextCursor))
		if diff := cmp.Diff([]string{"e4", "e3", "e2"}, apiMarkers(second)); diff != "" || second.NextCursor == "" {
			t.Fatalf("second page (-want +got):\n%s\nnext_cursor %q", diff, second.NextCursor)
		}
		last, _ := s.apiList(t, "limit=3&cursor="+url.QueryEscape(second.NextCursor))
		if diff := cmp.Diff([]string{"e1"}, apiMarkers(last)); diff != "" || last.NextCursor != "" {
			t.Fatalf("last page (-want +got):\n%s\nnext_cursor %q", diff, last.NextCursor)
		}

		// A filter holds across pages.
		filtered, _ := s.apiList(t, "actor=anna&limit=2")
		more, _ := s.apiList(t, "actor=anna&limit=2&cursor="+url.QueryEscape(filtered.NextCursor))
		if got := append(apiMarkers(filtered), apiMarkers(more)...); !cmp.Equal(got, []string{"e5", "e2", "e1"}) || more.NextCursor != "" {
			t.Errorf("anna's entries over two pages: %v, next %q", got, more.NextCursor)
		}
	})
}

func TestAuditAPI_BadCursorIsProblemDetails(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.Open(t, db.SQLite))
	s.record(t, history...)
	for _, cursor := range []string{"zzzz", "!!", "aWQ6LTE", "eDox"} { // garbage, not base64, "id:-1", "x:1"
		res, body := s.get(t, "revisor", "/api/v1/audit?cursor="+url.QueryEscape(cursor))
		var p struct {
			Status    int    `json:"status"`
			Title     string `json:"title"`
			RequestID string `json:"request_id"`
			Errors    []struct {
				Location string `json:"location"`
				Message  string `json:"message"`
			} `json:"errors"`
		}
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatalf("cursor %q: not JSON: %s", cursor, body)
		}
		if res.StatusCode != http.StatusUnprocessableEntity || p.Status != res.StatusCode || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("cursor %q: %d %s, want 422 problem+json", cursor, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if p.Title == "" || p.RequestID == "" || len(p.Errors) != 1 || !strings.HasSuffix(p.Errors[0].Location, "cursor") ||
			p.Errors[0].Message != s.cat.T(i18n.SV, "validation.cursor") {
			t.Errorf("cursor %q: problem %+v", cursor, p)
		}
	}
}

func TestAuditCSV_Golden(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		s.record(t, history...)
		// Values a spreadsheet would run as formulas, and ones that need quoting.
		s.record(t,
			seed{"e8", "2026-04-01T10:00:00Z", `system:=HYPERLINK("https://evil.example";"klicka")`, "user", 5, audit.Update, "+1"},
			seed{"e9", "2026-04-01T10:01:00Z", "system:-2+3", "@SUM(A1)", 6, audit.Create, "=1+1"},
			seed{"e10", "2026-04-01T10:02:00Z", "system:Åsa; \"Ö\"", "support", 7, audit.Create, "\tr10"},
		)
		tests := []struct {
			golden string
			query  string
		}{
			{"export.golden", ""},
			{"export_anna_march.golden", "actor=anna&from=2026-03-01&to=2026-03-31"},
		}
		for _, tt := range tests {
			res, body := s.get(t, "revisor", "/logg.csv?"+tt.query)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", tt.query, res.StatusCode)
			}
			if ct, cd := res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"); ct != "text/csv; charset=utf-8" || !strings.HasPrefix(cd, "attachment;") {
				t.Errorf("headers: Content-Type %q, Content-Disposition %q", ct, cd)
			}
			for _, row := range readCSV(t, body)[1:] {
				for i, cell := range row {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("row %s, column %s starts a formula: %q", row[0], csvHeader[i], cell)
					}
				}
			}
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if d.Dialect() == db.SQLite {
					if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(want, []byte(body)) {
				t.Errorf("%s differs (-want +got):\n%s", path, cmp.Diff(string(want), body))
			}
		}
	})
}

func TestAuditPages_OnlyForAdminsAndAuditors(t *testing.T) {
	t.Parallel()
	s := newSite(t, dbtest.Open(t, db.SQLite))
	s.record(t, history...)
	tests := []struct {
		person string
		path   string
		status int
	}{
		{"admin", "/logg", http.StatusOK},
		{"revisor", "/logg", http.StatusOK},
		{"enhet", "/logg", http.StatusForbidden},
		{"", "/logg", http.StatusSeeOther},
		{"revisor", "/logg.csv", http.StatusOK},
		{"enhet", "/logg.csv", http.StatusForbidden},
		{"", "/logg.csv", http.StatusSeeOther},
		{"revisor", "/api/v1/audit", http.StatusOK},
		{"enhet", "/api/v1/audit", http.StatusForbidden},
		{"", "/api/v1/audit", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		res, body := s.get(t, tt.person, tt.path)
		if res.StatusCode != tt.status {
			t.Errorf("%q GET %s: %d, want %d", tt.person, tt.path, res.StatusCode, tt.status)
		}
		if res.StatusCode != http.StatusOK && strings.Contains(body, "marker") {
			t.Errorf("%q GET %s: a refusal shows log entries", tt.person, tt.path)
		}
	}
}
