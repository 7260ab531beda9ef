package catalog_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// apiServer is the catalog API wired as internal/app wires it, behind a real
// HTTP server, with a coordinator's and a revisor's token.
type apiServer struct {
	srv                    *httptest.Server
	coordinator, auditor   apiClient
	anonymous              apiClient
	npo, lpo, unit1, unit2 int64
	anna, bo               int64
}

// apiClient calls the API with one token ("" is anonymous).
type apiClient struct {
	srv   *httptest.Server
	token string
}

func newAPIServer(t *testing.T, d *db.DB) *apiServer {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	sessions := auth.NewSessions(auth.NewSessionStore(d, time.Now), time.Hour, 12*time.Hour, false)
	ws, err := web.NewServer(web.Config{Version: "test"}, slog.New(slog.DiscardHandler), cat, sessions)
	if err != nil {
		t.Fatal(err)
	}
	authSvc := auth.NewService(d, audit.New(time.Now), time.Now, auth.DefaultThrottle)
	a := api.New(ws, "test")
	catalog.RegisterAPI(a, newService(d))
	srv := httptest.NewServer(ws.Handler(auth.Middleware(authSvc, ws)))
	t.Cleanup(srv.Close)
	token := func(name string, role access.Role) apiClient {
		ctx := audit.WithSystemActor(context.Background(), "test")
		u, err := authSvc.CreateUser(ctx, auth.NewUser{Username: name, DisplayName: name, Password: "ett långt lösenord 123",
			Roles: []access.Role{role}, Locale: "sv"})
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := authSvc.CreateToken(ctx, u.ID, auth.NewToken{Name: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return apiClient{srv, secret}
	}
	f := newFixture(t, d)
	return &apiServer{srv: srv, coordinator: token("samordnare", access.Coordinator), auditor: token("revisor", access.Auditor),
		anonymous: apiClient{srv, ""}, npo: f.npo, lpo: f.lpo, unit1: f.unit1, unit2: f.unit2, anna: f.anna, bo: f.bo}
}

// call sends a request and fails the test unless the status is want; it
// returns the decoded answer.
func (c apiClient) call(t *testing.T, method, path, body string, want int) map[string]any {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.srv.URL+"/api/v1"+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != want {
		t.Fatalf("%s %s %s: status %d, want %d\n%s", method, path, body, res.StatusCode, want, b)
	}
	var out map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, b)
		}
	}
	if strings.Contains(string(b), "⟦") {
		t.Errorf("%s %s: a message is missing from the catalogue: %s", method, path, b)
	}
	return out
}

// num reads a JSON number field as an integer.
func num(t *testing.T, m map[string]any, field string) int64 {
	t.Helper()
	n, ok := m[field].(float64)
	if !ok {
		t.Fatalf("%s is %v in %v", field, m[field], m)
	}
	return int64(n)
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// items is the items of a list answer.
func items(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	raw, ok := m["items"].([]any)
	if !ok {
		t.Fatalf("no items in %v", m)
	}
	out := make([]map[string]any, len(raw))
	for i, it := range raw {
		out[i] = it.(map[string]any)
	}
	return out
}

// problemAt fails unless the problem names location among its errors with a
// message.
func problemAt(t *testing.T, p map[string]any, location string) {
	t.Helper()
	list, _ := p["errors"].([]any)
	for _, e := range list {
		f := e.(map[string]any)
		if f["location"] == location {
			if msg, _ := f["message"].(string); msg == "" {
				t.Fatalf("problem at %s has no message: %v", location, p)
			}
			return
		}
	}
	t.Fatalf("problem %v does not name %s", p, location)
}

// createGuideline creates a draft national guideline owned by the NPO and LPO.
func (s *apiServer) createGuideline(t *testing.T, title string) map[string]any {
	t.Helper()
	return s.coordinator.call(t, http.MethodPost, "/supports", fmt.Sprintf(`{"kind": "national_guideline", "phase": "draft",
		"title": %q, "national_owner_id": %d, "local_owner_id": %d, "link": "https://www.socialstyrelsen.se/riktlinjer"}`, title, s.npo, s.lpo), http.StatusCreated)
}

func TestAPI_SupportsListFilterAndPaging(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newAPIServer(t, d)
		c := s.coordinator
		g := s.createGuideline(t, "Nationella riktlinjer för hjärtsjukvård")
		c.call(t, http.MethodPost, "/supports", fmt.Sprintf(`{"kind": "local_routine", "title": "Rutin för hjärtsviktsmottagning", "local_owner_id": %d}`, s.lpo), http.StatusCreated)

		// The fifteen reference care pathways, six at a time, by id.
		var ids []int64
		cursor := ""
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatalf("too many pages: %v", ids)
			}
			p := c.call(t, http.MethodGet, "/supports?kind=care_pathway&limit=6&cursor="+cursor, "", http.StatusOK)
			for _, it := range items(t, p) {
				if it["kind"] != "care_pathway" {
					t.Fatalf("kind filter let through %v", it)
				}
				ids = append(ids, num(t, it, "id"))
			}
			next, _ := p["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		if len(ids) != 15 || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != 15 {
			t.Fatalf("paged care pathways: %v", ids)
		}

		for query, want := range map[string]int{
			"kind=national_guideline":                 1,
			"lpo=" + id(s.lpo):                        2,
			"npo=" + id(s.npo) + "&kind=care_pathway": 2,
			"npo=" + id(s.npo):                        3,
			"q=STROKE":                                1,
			"q=hjärtsvikt&lpo=" + id(s.lpo):           1,
			"status=watched&kind=local_routine":       1,
			"status=decided":                          0,
		} {
			if got := len(items(t, c.call(t, http.MethodGet, "/supports?"+query, "", http.StatusOK))); got != want {
				t.Errorf("supports?%s: %d items, want %d", query, got, want)
			}
		}
		got := items(t, c.call(t, http.MethodGet, "/supports?kind=national_guideline", "", http.StatusOK))
		if num(t, got[0], "id") != num(t, g, "id") {
			t.Fatalf("guideline listing: %v", got)
		}
		problemAt(t, c.call(t, http.MethodGet, "/supports?cursor=inte-en-markor", "", http.StatusUnprocessableEntity), "query.cursor")
		c.call(t, http.MethodGet, "/supports?kind=book", "", http.StatusBadRequest)
	})
}

func TestAPI_SupportCreateGetUpdateDelete(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newAPIServer(t, d)
		c := s.coordinator
		g := s.createGuideline(t, "Nationella riktlinjer för hjärtsjukvård")
		gid := id(num(t, g, "id"))
		if g["status"] != "watched" || g["reference"] != false || num(t, g, "version") != 1 || num(t, g, "national_owner_id") != s.npo {
			t.Fatalf("created: %v", g)
		}
		if got := c.call(t, http.MethodGet, "/supports/"+gid, "", http.StatusOK); got["title"] != "Nationella riktlinjer för hjärtsjukvård" {
			t.Fatalf("get: %v", got)
		}
		c.call(t, http.MethodGet, "/supports/999999", "", http.StatusNotFound)

		// Domain rules are 422 naming the field.
		for body, field := range map[string]string{
			`{"kind": "national_guideline", "title": "Utan fas"}`:                                      "body.phase",
			`{"kind": "local_routine", "phase": "final", "title": "Rutin"}`:                            "body.phase",
			`{"kind": "local_routine", "title": "Rutin", "link": "http://intranat/rutin"}`:             "body.link",
			`{"kind": "local_routine", "title": "  "}`:                                                 "body.title",
			fmt.Sprintf(`{"kind": "local_routine", "title": "Rutin", "national_owner_id": %d}`, s.lpo): "body.national_owner_id",
		} {
			problemAt(t, c.call(t, http.MethodPost, "/supports", body, http.StatusUnprocessableEntity), field)
		}

		// The final guideline replaces the draft; the stale second edit is refused and changes nothing.
		upd := fmt.Sprintf(`{"kind": "national_guideline", "phase": "final", "title": "Nationella riktlinjer för hjärtsjukvård", "edition": "2025",
			"national_owner_id": %d, "local_owner_id": %d, "published_on": "2025-06-01", "version": 1}`, s.npo, s.lpo)
		after := c.call(t, http.MethodPut, "/supports/"+gid, upd, http.StatusOK)
		if after["phase"] != "final" || after["published_on"] != "2025-06-01" || num(t, after, "version") != 2 {
			t.Fatalf("updated: %v", after)
		}
		c.call(t, http.MethodPut, "/supports/"+gid, `{"kind": "national_guideline", "phase": "draft", "title": "Annan titel", "version": 1}`, http.StatusConflict)
		if got := c.call(t, http.MethodGet, "/supports/"+gid, "", http.StatusOK); got["title"] != "Nationella riktlinjer för hjärtsjukvård" || num(t, got, "version") != 2 {
			t.Fatalf("after stale edit: %v", got)
		}
		problemAt(t, c.call(t, http.MethodPut, "/supports/"+gid, `{"kind": "national_guideline", "title": "x", "version": 2}`, http.StatusUnprocessableEntity), "body.phase")
		c.call(t, http.MethodPut, "/supports/999999", `{"kind": "local_routine", "title": "x", "version": 1}`, http.StatusNotFound)

		// Delete: stale, then done; a reference care pathway is kept.
		c.call(t, http.MethodDelete, "/supports/"+gid+"?version=1", "", http.StatusConflict)
		c.call(t, http.MethodDelete, "/supports/"+gid+"?version=2", "", http.StatusNoContent)
		c.call(t, http.MethodGet, "/supports/"+gid, "", http.StatusNotFound)
		c.call(t, http.MethodDelete, "/supports/"+gid+"?version=2", "", http.StatusNotFound)
		pathway := items(t, c.call(t, http.MethodGet, "/supports?q=stroke", "", http.StatusOK))[0]
		c.call(t, http.MethodDelete, fmt.Sprintf("/supports/%d?version=%d", num(t, pathway, "id"), num(t, pathway, "version")), "", http.StatusUnprocessableEntity)
	})
}

func TestAPI_SupportLifecycleLeadsAndUnits(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newAPIServer(t, d)
		c := s.coordinator
		g := s.createGuideline(t, "Nationella riktlinjer för hjärtsjukvård")
		gid := id(num(t, g, "id"))
		move := func(to, on string, version int64, want int) map[string]any {
			t.Helper()
			return c.call(t, http.MethodPost, "/supports/"+gid+"/transitions",
				fmt.Sprintf(`{"to": %q, "date": %q, "reason": "Beslut i LPO", "version": %d}`, to, on, version), want)
		}

		sp := move("inventoried", "2026-02-01", 1, http.StatusOK)
		if sp["status"] != "inventoried" || num(t, sp, "version") != 2 {
			t.Fatalf("moved: %v", sp)
		}
		problemAt(t, move("decided", "2026-03-01", 2, http.StatusUnprocessableEntity), "body.to")
		move("prioritised", "2026-03-01", 1, http.StatusConflict)
		problemAt(t, move("prioritised", "2026-01-15", 2, http.StatusUnprocessableEntity), "body.date")
		problemAt(t, c.call(t, http.MethodPost, "/supports/"+gid+"/transitions",
			`{"to": "prioritised", "date": "2026-03-01", "reason": " ", "version": 2}`, http.StatusUnprocessableEntity), "body.reason")
		move("prioritised", "2026-03-01", 2, http.StatusOK)
		sp = move("decided", "2026-04-10", 3, http.StatusOK)
		c.call(t, http.MethodPost, "/supports/999999/transitions", `{"to": "inventoried", "date": "2026-03-01", "reason": "x", "version": 1}`, http.StatusNotFound)

		hist := items(t, c.call(t, http.MethodGet, "/supports/"+gid+"/history", "", http.StatusOK))
		if len(hist) != 3 || hist[0]["from"] != "watched" || hist[0]["to"] != "inventoried" || hist[0]["on"] != "2026-02-01" ||
			hist[2]["to"] != "decided" || hist[2]["reason"] != "Beslut i LPO" || hist[2]["by"] == "" {
			t.Fatalf("history: %v", hist)
		}
		c.call(t, http.MethodGet, "/supports/999999/history", "", http.StatusNotFound)

		// Decided with no lead: person-dependent until it has two.
		dependent := func() bool {
			for _, it := range items(t, c.call(t, http.MethodGet, "/supports/person-dependent", "", http.StatusOK)) {
				if id(num(t, it, "id")) == gid {
					return true
				}
			}
			return false
		}
		if !dependent() {
			t.Fatal("decided support without leads is not person-dependent")
		}
		v := num(t, sp, "version")
		problemAt(t, c.call(t, http.MethodPut, "/supports/"+gid+"/leads", fmt.Sprintf(`{"ids": [%d, 999999], "version": %d}`, s.anna, v), http.StatusUnprocessableEntity), "body.ids")
		c.call(t, http.MethodPut, "/supports/"+gid+"/leads", fmt.Sprintf(`{"ids": [%d], "version": %d}`, s.anna, v-1), http.StatusConflict)
		sp = c.call(t, http.MethodPut, "/supports/"+gid+"/leads", fmt.Sprintf(`{"ids": [%d], "version": %d}`, s.anna, v), http.StatusOK)
		if !dependent() {
			t.Fatal("decided support with one lead is not person-dependent")
		}
		sp = c.call(t, http.MethodPut, "/supports/"+gid+"/leads", fmt.Sprintf(`{"ids": [%d, %d], "version": %d}`, s.bo, s.anna, num(t, sp, "version")), http.StatusOK)
		if leads, _ := sp["lead_ids"].([]any); len(leads) != 2 || dependent() {
			t.Fatalf("two leads: %v, dependent %v", sp, dependent())
		}

		problemAt(t, c.call(t, http.MethodPut, "/supports/"+gid+"/units", fmt.Sprintf(`{"ids": [999999], "version": %d}`, num(t, sp, "version")), http.StatusUnprocessableEntity), "body.ids")
		sp = c.call(t, http.MethodPut, "/supports/"+gid+"/units", fmt.Sprintf(`{"ids": [%d, %d], "version": %d}`, s.unit2, s.unit1, num(t, sp, "version")), http.StatusOK)
		if units, _ := sp["unit_ids"].([]any); len(units) != 2 {
			t.Fatalf("units: %v", sp)
		}
		c.call(t, http.MethodPut, "/supports/999999/units", `{"ids": [], "version": 1}`, http.StatusNotFound)
	})
}

func TestAPI_Recommendations(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newAPIServer(t, d)
		c := s.coordinator
		g := s.createGuideline(t, "Nationella riktlinjer för hjärtsjukvård")
		gid := num(t, g, "id")
		routine := c.call(t, http.MethodPost, "/supports", `{"kind": "local_routine", "title": "Rutin"}`, http.StatusCreated)

		r1 := c.call(t, http.MethodPost, "/recommendations", fmt.Sprintf(`{"support_id": %d, "code": "A1", "text": "Erbjud hjärtrehabilitering", "priority": 2}`, gid), http.StatusCreated)
		r2 := c.call(t, http.MethodPost, "/recommendations", fmt.Sprintf(`{"support_id": %d, "code": "A2", "text": "Erbjud inte X", "priority": 10, "do_not_do": true}`, gid), http.StatusCreated)
		if num(t, r1, "position") != 1 || num(t, r2, "position") != 2 || num(t, r1, "version") != 1 || r2["do_not_do"] != true {
			t.Fatalf("created: %v %v", r1, r2)
		}
		for body, field := range map[string]string{
			fmt.Sprintf(`{"support_id": %d, "text": "x", "priority": 11}`, gid):                          "body.priority",
			fmt.Sprintf(`{"support_id": %d, "text": "x", "priority": -1}`, gid):                          "body.priority",
			fmt.Sprintf(`{"support_id": %d, "text": "x", "priority": 3}`, num(t, routine, "id")):         "body.priority",
			fmt.Sprintf(`{"support_id": %d, "text": "x", "research_only": true}`, num(t, routine, "id")): "body.research_only",
			fmt.Sprintf(`{"support_id": %d, "text": ""}`, gid):                                           "body.text",
			`{"support_id": 999999, "text": "x"}`:                                                        "body.support_id",
		} {
			problemAt(t, c.call(t, http.MethodPost, "/recommendations", body, http.StatusUnprocessableEntity), field)
		}

		list := items(t, c.call(t, http.MethodGet, fmt.Sprintf("/recommendations?support_id=%d", gid), "", http.StatusOK))
		if len(list) != 2 || list[0]["code"] != "A1" || list[1]["code"] != "A2" {
			t.Fatalf("list: %v", list)
		}
		c.call(t, http.MethodGet, "/recommendations?support_id=999999", "", http.StatusNotFound)
		c.call(t, http.MethodGet, "/recommendations", "", http.StatusBadRequest)

		rid := id(num(t, r1, "id"))
		upd := c.call(t, http.MethodPut, "/recommendations/"+rid, `{"code": "A1", "text": "Erbjud hjärtrehabilitering", "priority": 1, "version": 1}`, http.StatusOK)
		if num(t, upd, "priority") != 1 || num(t, upd, "version") != 2 || num(t, upd, "position") != 1 || num(t, upd, "support_id") != gid {
			t.Fatalf("updated: %v", upd)
		}
		c.call(t, http.MethodPut, "/recommendations/"+rid, `{"text": "Annan text", "version": 1}`, http.StatusConflict)
		problemAt(t, c.call(t, http.MethodPut, "/recommendations/"+rid, `{"text": "x", "priority": 11, "version": 2}`, http.StatusUnprocessableEntity), "body.priority")
		if got := c.call(t, http.MethodGet, "/recommendations/"+rid, "", http.StatusOK); got["text"] != "Erbjud hjärtrehabilitering" {
			t.Fatalf("after refused edits: %v", got)
		}
		c.call(t, http.MethodGet, "/recommendations/999999", "", http.StatusNotFound)
		c.call(t, http.MethodPut, "/recommendations/999999", `{"text": "x", "version": 1}`, http.StatusNotFound)

		c.call(t, http.MethodDelete, "/recommendations/"+rid+"?version=1", "", http.StatusConflict)
		c.call(t, http.MethodDelete, "/recommendations/"+rid+"?version=2", "", http.StatusNoContent)
		c.call(t, http.MethodGet, "/recommendations/"+rid, "", http.StatusNotFound)
		if list := items(t, c.call(t, http.MethodGet, fmt.Sprintf("/recommendations?support_id=%d", gid), "", http.StatusOK)); len(list) != 1 {
			t.Fatalf("after delete: %v", list)
		}
	})
}

func TestAPI_RevisorReadsButDoesNotWrite(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newAPIServer(t, d)
		g := s.createGuideline(t, "Nationella riktlinjer för hjärtsjukvård")
		gid := id(num(t, g, "id"))
		r := s.coordinator.call(t, http.MethodPost, "/recommendations", fmt.Sprintf(`{"support_id": %s, "text": "Erbjud rehabilitering"}`, gid), http.StatusCreated)
		rid := id(num(t, r, "id"))

		a := s.auditor
		for _, path := range []string{"/supports", "/supports/" + gid, "/supports/" + gid + "/history", "/supports/person-dependent",
			"/recommendations?support_id=" + gid, "/recommendations/" + rid} {
			a.call(t, http.MethodGet, path, "", http.StatusOK)
			s.anonymous.call(t, http.MethodGet, path, "", http.StatusUnauthorized)
		}
		for _, w := range []struct{ method, path, body string }{
			{http.MethodPost, "/supports", `{"kind": "local_routine", "title": "Rutin"}`},
			{http.MethodPut, "/supports/" + gid, `{"kind": "national_guideline", "phase": "final", "title": "x", "version": 1}`},
			{http.MethodDelete, "/supports/" + gid + "?version=1", ""},
			{http.MethodPost, "/supports/" + gid + "/transitions", `{"to": "inventoried", "date": "2026-02-01", "reason": "x", "version": 1}`},
			{http.MethodPut, "/supports/" + gid + "/leads", fmt.Sprintf(`{"ids": [%d], "version": 1}`, s.anna)},
			{http.MethodPut, "/supports/" + gid + "/units", fmt.Sprintf(`{"ids": [%d], "version": 1}`, s.unit1)},
			{http.MethodPost, "/recommendations", fmt.Sprintf(`{"support_id": %s, "text": "x"}`, gid)},
			{http.MethodPut, "/recommendations/" + rid, `{"text": "x", "version": 1}`},
			{http.MethodDelete, "/recommendations/" + rid + "?version=1", ""},
		} {
			p := a.call(t, w.method, w.path, w.body, http.StatusForbidden)
			if p["status"] != float64(http.StatusForbidden) {
				t.Fatalf("%s %s: problem %v", w.method, w.path, p)
			}
		}
		if got := s.coordinator.call(t, http.MethodGet, "/supports/"+gid, "", http.StatusOK); num(t, got, "version") != 1 || got["title"] != "Nationella riktlinjer för hjärtsjukvård" {
			t.Fatalf("after refused writes: %v", got)
		}
	})
}

func TestAPI_EveryOperationDocumented(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t, db.SQLite)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ws, err := web.NewServer(web.Config{Version: "test"}, slog.New(slog.DiscardHandler), cat,
		auth.NewSessions(auth.NewSessionStore(d, time.Now), time.Hour, 12*time.Hour, false))
	if err != nil {
		t.Fatal(err)
	}
	a := api.New(ws, "test")
	catalog.RegisterAPI(a, newService(d))
	n := 0
	for path, item := range a.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Delete} {
			if op == nil {
				continue
			}
			n++
			desc, _, _ := strings.Cut(op.Description, "Permission:")
			if op.Summary == "" || strings.TrimSpace(desc) == "" || !slices.Equal(op.Tags, []string{"Knowledge supports"}) {
				t.Errorf("%s %s: summary %q, description %q, tags %v", op.Method, path, op.Summary, op.Description, op.Tags)
			}
		}
	}
	if n != 16 {
		t.Errorf("%d operations, want 16", n)
	}
}
