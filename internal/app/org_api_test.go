package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// orgAPI calls the API as one user and fails the test when the status is not want.
type orgAPI struct {
	ta    *testApp
	token string
}

func (c orgAPI) call(t *testing.T, method, path, body string, want int) map[string]any {
	t.Helper()
	res, out := c.ta.apiCall(t, method, "/api/v1"+path, c.token, body)
	if res.StatusCode != want {
		t.Fatalf("%s %s %s: status %d, want %d: %v", method, path, body, res.StatusCode, want, out)
	}
	return out
}

// orgNum reads a JSON number field as an integer.
func orgNum(t *testing.T, m map[string]any, field string) int64 {
	t.Helper()
	n, ok := m[field].(float64)
	if !ok {
		t.Fatalf("%s is %v in %v", field, m[field], m)
	}
	return int64(n)
}

// orgItems is the items of a list answer.
func orgItems(t *testing.T, m map[string]any) []map[string]any {
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

// orgNames is the name field of each item, in order.
func orgNames(t *testing.T, m map[string]any) []string {
	t.Helper()
	var names []string
	for _, it := range orgItems(t, m) {
		names = append(names, fmt.Sprint(it["name"]))
	}
	return names
}

// orgProblemAt fails unless the problem names location among its errors, with
// a message from the catalogue.
func orgProblemAt(t *testing.T, p map[string]any, location string) {
	t.Helper()
	list, _ := p["errors"].([]any)
	for _, e := range list {
		f := e.(map[string]any)
		if f["location"] != location {
			continue
		}
		if msg, _ := f["message"].(string); msg == "" || strings.Contains(msg, "⟦") {
			t.Fatalf("problem at %s has no message from the catalogue: %v", location, p)
		}
		return
	}
	t.Fatalf("problem %v does not name %s", p, location)
}

func TestOrgAPI_UnitsCreateGetUpdateDelete(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		withoutDemoOrg(t, ta)
		c := orgAPI{ta, ta.token(t, "samordnare")}
		div := c.call(t, http.MethodPost, "/units", `{"level": "division", "name": "Testförvaltningen", "kind": "other"}`, http.StatusCreated)
		divID := orgNum(t, div, "id")
		dep := c.call(t, http.MethodPost, "/units", fmt.Sprintf(`{"level": "department", "parent_id": %d, "name": "Östersunds medicinklinik",
			"kind": "county_hospital", "hsa_id": "se2321000207-9001", "valid_from": "2020-01-01"}`, divID), http.StatusCreated)
		depID := orgNum(t, dep, "id")
		if dep["hsa_id"] != "SE2321000207-9001" || dep["valid_from"] != "2020-01-01" || orgNum(t, dep, "version") != 1 {
			t.Fatalf("created department: %v", dep)
		}
		care := c.call(t, http.MethodPost, "/units", fmt.Sprintf(`{"level": "unit", "parent_id": %d, "name": "Testavdelning 7", "kind": "county_hospital"}`, depID), http.StatusCreated)
		careID := orgNum(t, care, "id")
		c.call(t, http.MethodPost, "/units", fmt.Sprintf(`{"level": "unit", "parent_id": %d, "name": "Testvårdcentral Lit", "kind": "primary_care"}`, divID), http.StatusCreated)

		if got := c.call(t, http.MethodGet, "/units/"+itoa(depID), "", http.StatusOK); got["name"] != "Östersunds medicinklinik" || orgNum(t, got, "parent_id") != divID {
			t.Fatalf("get: %v", got)
		}
		// Filters, alone and together; the search ignores case, Swedish letters too.
		for query, want := range map[string]string{
			"level=department&q=testförv":                   "",
			"level=department&q=ÖSTERSUND":                  "Östersunds medicinklinik",
			"q=östersund":                                   "Östersunds medicinklinik",
			"q=2321000207-9001":                             "Östersunds medicinklinik",
			"parent_id=" + itoa(depID):                      "Testavdelning 7",
			"kind=primary_care&q=test":                      "Testvårdcentral Lit",
			"parent_id=" + itoa(divID) + "&kind=other":      "",
			"level=unit&parent_id=" + itoa(divID) + "&q=tE": "Testvårdcentral Lit",
		} {
			got := strings.Join(orgNames(t, c.call(t, http.MethodGet, "/units?"+query, "", http.StatusOK)), ",")
			if got != want {
				t.Errorf("units?%s: %q, want %q", query, got, want)
			}
		}

		// A rename keeps history; the stale second edit is refused and changes nothing.
		renamed := c.call(t, http.MethodPut, "/units/"+itoa(depID), fmt.Sprintf(`{"level": "department", "parent_id": %d, "name": "Medicin- och geriatrikkliniken",
			"kind": "county_hospital", "hsa_id": "SE2321000207-9001", "version": 1}`, divID), http.StatusOK)
		if orgNum(t, renamed, "version") != 2 || renamed["name"] != "Medicin- och geriatrikkliniken" {
			t.Fatalf("renamed: %v", renamed)
		}
		p := c.call(t, http.MethodPut, "/units/"+itoa(depID), fmt.Sprintf(`{"level": "department", "parent_id": %d, "name": "Någon annans namn",
			"kind": "psychiatry", "version": 1}`, divID), http.StatusConflict)
		if p["status"] != float64(http.StatusConflict) {
			t.Fatalf("conflict problem: %v", p)
		}
		now := c.call(t, http.MethodGet, "/units/"+itoa(depID), "", http.StatusOK)
		if now["name"] != "Medicin- och geriatrikkliniken" || now["kind"] != "county_hospital" || now["hsa_id"] != "SE2321000207-9001" || orgNum(t, now, "version") != 2 {
			t.Fatalf("after stale edit: %v", now)
		}
		hist := orgItems(t, c.call(t, http.MethodGet, "/units/"+itoa(depID)+"/history", "", http.StatusOK))
		if len(hist) != 1 || hist[0]["name"] != "Östersunds medicinklinik" || hist[0]["changed_by"] == "" {
			t.Fatalf("history: %v", hist)
		}
		c.call(t, http.MethodGet, "/units/999999/history", "", http.StatusNotFound)

		// Delete: still referenced, stale, then done.
		c.call(t, http.MethodDelete, "/units/"+itoa(divID)+"?version=1", "", http.StatusConflict)
		c.call(t, http.MethodDelete, "/units/"+itoa(careID)+"?version=7", "", http.StatusConflict)
		c.call(t, http.MethodDelete, "/units/"+itoa(careID), "", http.StatusBadRequest) // the version is required
		c.call(t, http.MethodDelete, "/units/"+itoa(careID)+"?version=1", "", http.StatusNoContent)
		c.call(t, http.MethodGet, "/units/"+itoa(careID), "", http.StatusNotFound)
		c.call(t, http.MethodDelete, "/units/"+itoa(careID)+"?version=1", "", http.StatusNotFound)
	})
}

func TestOrgAPI_GroupsCreateGetUpdateDelete(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		c := orgAPI{ta, ta.token(t, "demo")}
		npos := orgItems(t, c.call(t, http.MethodGet, "/groups?kind=npo", "", http.StatusOK))
		if len(npos) != 25 {
			t.Fatalf("%d NPOs, want 25", len(npos))
		}
		npo := npos[0]
		npoID := orgNum(t, npo, "id")
		for _, g := range npos {
			if g["kind"] != "npo" || g["level"] != "national" || g["reference"] != true {
				t.Fatalf("not a national reference NPO: %v", g)
			}
		}
		nag := c.call(t, http.MethodPost, "/groups", fmt.Sprintf(`{"kind": "nag", "level": "national", "parent_id": %d, "name": "NAG Testgrupp", "seats": 6}`, npoID), http.StatusCreated)
		nagID := orgNum(t, nag, "id")
		lpo := c.call(t, http.MethodPost, "/groups", `{"kind": "lpo", "level": "region", "name": "LPO Äldres hälsa", "area": "Äldre", "mandate": "Lokalt programområde."}`, http.StatusCreated)
		lpoID := orgNum(t, lpo, "id")
		if got := c.call(t, http.MethodGet, "/groups/"+itoa(lpoID), "", http.StatusOK); got["area"] != "Äldre" || got["reference"] != false {
			t.Fatalf("get: %v", got)
		}
		for query, want := range map[string]string{
			"parent_id=" + itoa(npoID):        "NAG Testgrupp",
			"kind=lpo&q=äldres":               "LPO Äldres hälsa",
			"level=region&q=ÄLDRES":           "LPO Äldres hälsa",
			"level=national&q=ÄLDRES%20hälsa": "Äldres hälsa och palliativ vård",
			"kind=nag&level=national&q=test":  "NAG Testgrupp",
		} {
			got := strings.Join(orgNames(t, c.call(t, http.MethodGet, "/groups?"+query, "", http.StatusOK)), ",")
			if got != want {
				t.Errorf("groups?%s: %q, want %q", query, got, want)
			}
		}

		// Two coordinators edit the NPO: the first sets the host, the second is
		// refused and the host stays. A reference group keeps its code and kind.
		body := func(host, mandate string, version int64) string {
			return fmt.Sprintf(`{"kind": "npo", "code": "X", "level": "region", "name": %q, "host_region": %q, "mandate": %q, "seats": 12, "version": %d}`,
				npo["name"], host, mandate, version)
		}
		v := orgNum(t, npo, "version")
		first := c.call(t, http.MethodPut, "/groups/"+itoa(npoID), body("sodra", "", v), http.StatusOK)
		if first["host_region"] != "sodra" || first["kind"] != "npo" || first["code"] != npo["code"] || first["level"] != "national" {
			t.Fatalf("updated NPO: %v", first)
		}
		c.call(t, http.MethodPut, "/groups/"+itoa(npoID), body("norra", "Annan ändring", v), http.StatusConflict)
		if now := c.call(t, http.MethodGet, "/groups/"+itoa(npoID), "", http.StatusOK); now["host_region"] != "sodra" || now["mandate"] != nil {
			t.Fatalf("after stale edit: %v", now)
		}

		p := c.call(t, http.MethodDelete, "/groups/"+itoa(npoID)+"?version="+itoa(orgNum(t, first, "version")), "", http.StatusUnprocessableEntity)
		orgProblemAt(t, p, "path.id") // reference groups stay
		c.call(t, http.MethodDelete, "/groups/"+itoa(nagID)+"?version=1", "", http.StatusNoContent)
		c.call(t, http.MethodDelete, "/groups/"+itoa(lpoID)+"?version=1", "", http.StatusNoContent)
		c.call(t, http.MethodGet, "/groups/"+itoa(lpoID), "", http.StatusNotFound)
	})
}

func TestOrgAPI_PeopleAndMembershipsPagedAndFiltered(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		withoutDemoOrg(t, ta)
		c := orgAPI{ta, ta.token(t, "samordnare")}
		div := c.call(t, http.MethodPost, "/units", `{"level": "division", "name": "Primärvården", "kind": "primary_care"}`, http.StatusCreated)
		unitID := orgNum(t, div, "id")
		var people []int64
		for i, name := range []string{"Åsa Öberg", "Bengt Berg", "Cecilia Clarin", "David Dahl", "Eva Ek"} {
			body := fmt.Sprintf(`{"name": %q, "title": "Distriktsläkare", "email": "person%d@example.se"}`, name, i)
			if i%2 == 0 {
				body = fmt.Sprintf(`{"name": %q, "unit_id": %d, "hsa_id": "SE2321000207-P%d"}`, name, unitID, i)
			}
			people = append(people, orgNum(t, c.call(t, http.MethodPost, "/people", body, http.StatusCreated), "id"))
		}
		// Walk the people two at a time: every person once, in id order.
		var walked []int64
		cursor, pages := "", 0
		for {
			page := c.call(t, http.MethodGet, "/people?limit=2&cursor="+cursor, "", http.StatusOK)
			for _, it := range orgItems(t, page) {
				walked = append(walked, orgNum(t, it, "id"))
			}
			pages++
			next, _ := page["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		if fmt.Sprint(walked) != fmt.Sprint(people) || pages != 3 {
			t.Fatalf("walked %v in %d pages, want %v in 3", walked, pages, people)
		}
		for query, want := range map[string]string{
			"q=åsa":                                "Åsa Öberg",
			"q=ÖBERG":                              "Åsa Öberg",
			"q=distriktsläkare&limit=10":           "Bengt Berg,David Dahl",
			"q=person3@":                           "David Dahl",
			"unit_id=" + itoa(unitID):              "Åsa Öberg,Cecilia Clarin,Eva Ek",
			"unit_id=" + itoa(unitID) + "&q=p2":    "Cecilia Clarin",
			"unit_id=" + itoa(unitID) + "&q=bengt": "",
		} {
			got := strings.Join(orgNames(t, c.call(t, http.MethodGet, "/people?"+query, "", http.StatusOK)), ",")
			if got != want {
				t.Errorf("people?%s: %q, want %q", query, got, want)
			}
		}

		// Person: get, update, stale update, delete.
		bengt := people[1]
		up := c.call(t, http.MethodPut, "/people/"+itoa(bengt), `{"name": "Bengt Berg", "title": "Verksamhetschef", "region": "vasterbotten", "version": 1}`, http.StatusOK)
		if up["title"] != "Verksamhetschef" || up["region"] != "vasterbotten" || up["email"] != nil {
			t.Fatalf("updated person: %v", up)
		}
		c.call(t, http.MethodPut, "/people/"+itoa(bengt), `{"name": "Bengt Bergström", "version": 1}`, http.StatusConflict)
		if got := c.call(t, http.MethodGet, "/people/"+itoa(bengt), "", http.StatusOK); got["name"] != "Bengt Berg" || got["title"] != "Verksamhetschef" {
			t.Fatalf("after stale edit: %v", got)
		}

		// Memberships.
		g1 := orgNum(t, c.call(t, http.MethodPost, "/groups", `{"kind": "lpo", "level": "region", "name": "LPO Diabetes", "seats": 3}`, http.StatusCreated), "id")
		g2 := orgNum(t, c.call(t, http.MethodPost, "/groups", `{"kind": "rpo", "level": "healthcare_region", "healthcare_region": "norra", "name": "RPO Diabetes"}`, http.StatusCreated), "id")
		member := func(group, person int64, role, start, end string, share float64) int64 {
			body := fmt.Sprintf(`{"group_id": %d, "person_id": %d, "role": %q, "start": %q, "share_percent": %v, "represents_region": "jamtland-harjedalen"`, group, person, role, start, share)
			if end != "" {
				body += fmt.Sprintf(`, "end": %q`, end)
			}
			m := c.call(t, http.MethodPost, "/memberships", body+"}", http.StatusCreated)
			if m["share_percent"] != share || m["start"] != start {
				t.Fatalf("created membership: %v", m)
			}
			return orgNum(t, m, "id")
		}
		chair := member(g1, people[0], "chair", "2025-01-01", "", 12.5)
		member(g1, people[1], "member", "2020-01-01", "2024-12-31", 5)
		member(g1, people[2], "deputy", "2025-06-01", "", 2)
		member(g2, people[0], "member", "2024-01-01", "", 10)
		ids := func(query string) string {
			var out []string
			page := c.call(t, http.MethodGet, "/memberships?"+query, "", http.StatusOK)
			for _, it := range orgItems(t, page) {
				out = append(out, fmt.Sprintf("%d/%d", orgNum(t, it, "group_id"), orgNum(t, it, "person_id")))
			}
			return strings.Join(out, ",")
		}
		for query, want := range map[string]string{
			"group_id=" + itoa(g1):                                   fmt.Sprintf("%d/%d,%d/%d,%d/%d", g1, people[0], g1, people[1], g1, people[2]),
			"person_id=" + itoa(people[0]):                           fmt.Sprintf("%d/%d,%d/%d", g1, people[0], g2, people[0]),
			"group_id=" + itoa(g1) + "&active_on=2025-03-01":         fmt.Sprintf("%d/%d", g1, people[0]),
			"group_id=" + itoa(g1) + "&active_on=2024-12-31":         fmt.Sprintf("%d/%d", g1, people[1]),
			"active_on=2025-06-01&person_id=" + itoa(people[2]):      fmt.Sprintf("%d/%d", g1, people[2]),
			"group_id=" + itoa(g2) + "&person_id=" + itoa(people[1]): "",
		} {
			if got := ids(query); got != want {
				t.Errorf("memberships?%s: %q, want %q", query, got, want)
			}
		}
		page := c.call(t, http.MethodGet, "/memberships?limit=3", "", http.StatusOK)
		if len(orgItems(t, page)) != 3 || page["next_cursor"] == nil {
			t.Fatalf("first page of memberships: %v", page)
		}
		rest := c.call(t, http.MethodGet, "/memberships?limit=3&cursor="+url.QueryEscape(page["next_cursor"].(string)), "", http.StatusOK)
		if len(orgItems(t, rest)) != 1 || rest["next_cursor"] != nil {
			t.Fatalf("last page of memberships: %v", rest)
		}

		got := c.call(t, http.MethodGet, "/memberships/"+itoa(chair), "", http.StatusOK)
		if got["role"] != "chair" || got["represents_region"] != "jamtland-harjedalen" || got["end"] != nil {
			t.Fatalf("get membership: %v", got)
		}
		ended := c.call(t, http.MethodPut, "/memberships/"+itoa(chair), fmt.Sprintf(`{"group_id": %d, "person_id": %d, "role": "chair", "start": "2025-01-01",
			"end": "2026-06-30", "share_percent": 20, "version": 1}`, g1, people[0]), http.StatusOK)
		if ended["end"] != "2026-06-30" || ended["share_percent"] != 20.0 || ended["represents_region"] != nil || orgNum(t, ended, "version") != 2 {
			t.Fatalf("updated membership: %v", ended)
		}
		c.call(t, http.MethodPut, "/memberships/"+itoa(chair), fmt.Sprintf(`{"group_id": %d, "person_id": %d, "role": "member", "start": "2025-01-01", "version": 1}`, g1, people[0]), http.StatusConflict)
		if got := c.call(t, http.MethodGet, "/memberships/"+itoa(chair), "", http.StatusOK); got["role"] != "chair" || got["end"] != "2026-06-30" {
			t.Fatalf("after stale edit: %v", got)
		}

		// A person or group with memberships is kept; the membership itself goes.
		c.call(t, http.MethodDelete, "/people/"+itoa(people[0])+"?version=1", "", http.StatusConflict)
		c.call(t, http.MethodDelete, "/groups/"+itoa(g1)+"?version=1", "", http.StatusConflict)
		c.call(t, http.MethodDelete, "/memberships/"+itoa(chair)+"?version=1", "", http.StatusConflict)
		c.call(t, http.MethodDelete, "/memberships/"+itoa(chair)+"?version=2", "", http.StatusNoContent)
		c.call(t, http.MethodGet, "/memberships/"+itoa(chair), "", http.StatusNotFound)
		c.call(t, http.MethodDelete, "/people/"+itoa(people[4])+"?version=1", "", http.StatusNoContent)
		c.call(t, http.MethodGet, "/people/"+itoa(people[4]), "", http.StatusNotFound)
	})
}

func TestOrgAPI_ReferenceDataAndSettings(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		c := orgAPI{ta, ta.token(t, "samordnare")}
		for path, n := range map[string]int{"/healthcare-regions": 6, "/regions": 21, "/municipalities": 8} {
			if got := len(orgItems(t, c.call(t, http.MethodGet, path, "", http.StatusOK))); got != n {
				t.Errorf("%s: %d items, want %d", path, got, n)
			}
		}
		st := c.call(t, http.MethodGet, "/settings", "", http.StatusOK)
		if st["home_region"] != "jamtland-harjedalen" {
			t.Fatalf("settings: %v", st)
		}
		v := orgNum(t, st, "version")
		body := func(region string, overhead, version int64) string {
			return fmt.Sprintf(`{"home_region": %q, "annual_cost_per_fte": 900000, "overhead_percent": %d, "travel_per_person": 20000, "key_role_limit": 3, "version": %d}`,
				region, overhead, version)
		}
		p := c.call(t, http.MethodPut, "/settings", body("atlantis", 30, v), http.StatusUnprocessableEntity)
		orgProblemAt(t, p, "body.home_region")
		saved := c.call(t, http.MethodPut, "/settings", body("vasterbotten", 30, v), http.StatusOK)
		if saved["home_region"] != "vasterbotten" || orgNum(t, saved, "overhead_percent") != 30 || orgNum(t, saved, "version") != v+1 {
			t.Fatalf("saved settings: %v", saved)
		}
		c.call(t, http.MethodPut, "/settings", body("jamtland-harjedalen", 99, v), http.StatusConflict)
		if now := c.call(t, http.MethodGet, "/settings", "", http.StatusOK); now["home_region"] != "vasterbotten" || orgNum(t, now, "overhead_percent") != 30 {
			t.Fatalf("after stale edit: %v", now)
		}
		// The municipalities follow the home region; only the demo region's are shipped.
		if n := len(orgItems(t, c.call(t, http.MethodGet, "/municipalities", "", http.StatusOK))); n != 0 {
			t.Fatalf("%d municipalities of Västerbotten", n)
		}
	})
}

func TestOrgAPI_BadInputNamesTheField(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		withoutDemoOrg(t, ta)
		c := orgAPI{ta, ta.token(t, "samordnare")}
		div := orgNum(t, c.call(t, http.MethodPost, "/units", `{"level": "division", "name": "Förvaltning A", "kind": "other"}`, http.StatusCreated), "id")
		dep := orgNum(t, c.call(t, http.MethodPost, "/units", fmt.Sprintf(`{"level": "department", "parent_id": %d, "name": "Klinik B", "kind": "county_hospital", "hsa_id": "SE2321000207-B1"}`, div), http.StatusCreated), "id")
		care := orgNum(t, c.call(t, http.MethodPost, "/units", fmt.Sprintf(`{"level": "unit", "parent_id": %d, "name": "Avdelning C", "kind": "county_hospital"}`, dep), http.StatusCreated), "id")
		person := orgNum(t, c.call(t, http.MethodPost, "/people", `{"name": "Anna Andersson", "hsa_id": "SE2321000207-A1"}`, http.StatusCreated), "id")
		group := orgNum(t, c.call(t, http.MethodPost, "/groups", `{"kind": "lpo", "level": "region", "name": "LPO Hjärta"}`, http.StatusCreated), "id")
		membership := func(fields string) string {
			return fmt.Sprintf(`{"group_id": %d, "person_id": %d, "role": "member", "start": "2025-01-01"%s}`, group, person, fields)
		}
		tests := []struct {
			name, method, path, body string
			statuses                 []int // any of these
			location                 string
		}{
			{"membership ends before it starts", http.MethodPost, "/memberships", membership(`, "end": "2024-12-31"`), []int{422}, "body.end"},
			{"share of 150 %", http.MethodPost, "/memberships", membership(`, "share_percent": 150`), []int{400, 422}, "body.share_percent"},
			{"negative share", http.MethodPost, "/memberships", membership(`, "share_percent": -1`), []int{400, 422}, "body.share_percent"},
			{"unknown group", http.MethodPost, "/memberships", fmt.Sprintf(`{"group_id": 999999, "person_id": %d, "role": "member", "start": "2025-01-01"}`, person), []int{422}, "body.group_id"},
			{"unknown person", http.MethodPost, "/memberships", fmt.Sprintf(`{"group_id": %d, "person_id": 999999, "role": "member", "start": "2025-01-01"}`, group), []int{422}, "body.person_id"},
			{"unknown role", http.MethodPost, "/memberships", fmt.Sprintf(`{"group_id": %d, "person_id": %d, "role": "king", "start": "2025-01-01"}`, group, person), []int{400}, "body.role"},
			{"not a date", http.MethodPost, "/memberships", membership(`, "end": "31/12/2025"`), []int{400}, "body.end"},
			{"no start", http.MethodPost, "/memberships", fmt.Sprintf(`{"group_id": %d, "person_id": %d, "role": "member"}`, group, person), []int{400}, "body.start"},
			{"unit under its own care unit", http.MethodPut, "/units/" + itoa(dep), fmt.Sprintf(`{"level": "department", "parent_id": %d, "name": "Klinik B", "kind": "county_hospital", "version": 1}`, care), []int{422}, "body.parent_id"},
			{"unit its own parent", http.MethodPut, "/units/" + itoa(care), fmt.Sprintf(`{"level": "unit", "parent_id": %d, "name": "Avdelning C", "kind": "county_hospital", "version": 1}`, care), []int{422}, "body.parent_id"},
			{"unknown parent unit", http.MethodPost, "/units", `{"level": "unit", "parent_id": 999999, "name": "X", "kind": "other"}`, []int{422}, "body.parent_id"},
			{"duplicate unit HSA-id", http.MethodPost, "/units", fmt.Sprintf(`{"level": "department", "parent_id": %d, "name": "Klinik D", "kind": "other", "hsa_id": "se2321000207-b1"}`, div), []int{422}, "body.hsa_id"},
			{"malformed HSA-id", http.MethodPost, "/units", fmt.Sprintf(`{"level": "department", "parent_id": %d, "name": "Klinik E", "kind": "other", "hsa_id": "2321000207-1"}`, div), []int{422}, "body.hsa_id"},
			{"duplicate person HSA-id", http.MethodPost, "/people", `{"name": "Annan Person", "hsa_id": "SE2321000207-A1"}`, []int{422}, "body.hsa_id"},
			{"bad e-mail", http.MethodPost, "/people", `{"name": "Bo Ek", "email": "inte en adress"}`, []int{422}, "body.email"},
			{"unknown unit of person", http.MethodPost, "/people", `{"name": "Bo Ek", "unit_id": 999999}`, []int{422}, "body.unit_id"},
			{"blank name", http.MethodPost, "/people", `{"name": "   "}`, []int{422}, "body.name"},
			{"NAG not under an NPO", http.MethodPost, "/groups", fmt.Sprintf(`{"kind": "nag", "level": "national", "name": "NAG X", "parent_id": %d}`, group), []int{422}, "body.parent_id"},
			{"host region on an LPO", http.MethodPost, "/groups", `{"kind": "lpo", "level": "region", "name": "LPO X", "host_region": "norra"}`, []int{422}, "body.host_region"},
			{"unknown field", http.MethodPost, "/groups", `{"kind": "lpo", "level": "region", "name": "LPO Y", "colour": "red"}`, []int{400}, ""},
			{"version missing", http.MethodPut, "/people/" + itoa(person), `{"name": "Anna Andersson"}`, []int{400}, "body.version"},
			{"malformed JSON", http.MethodPost, "/people", `{"name": "Anna`, []int{400}, ""},
			{"bad day filter", http.MethodGet, "/memberships?active_on=2025-13-01", "", []int{400}, "query.active_on"},
			{"bad cursor", http.MethodGet, "/people?cursor=zzzz", "", []int{422}, "query.cursor"},
			{"bad level filter", http.MethodGet, "/units?level=floor", "", []int{400}, "query.level"},
		}
		for _, tt := range tests {
			res, p := ta.apiCall(t, tt.method, "/api/v1"+tt.path, c.token, tt.body)
			ok := false
			for _, s := range tt.statuses {
				ok = ok || res.StatusCode == s
			}
			if !ok {
				t.Errorf("%s: status %d, want one of %v: %v", tt.name, res.StatusCode, tt.statuses, p)
				continue
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s: Content-Type %q", tt.name, ct)
			}
			if tt.location != "" {
				orgProblemAt(t, p, tt.location)
			}
		}
		// Nothing was half-saved.
		if n := len(orgItems(t, c.call(t, http.MethodGet, "/memberships", "", http.StatusOK))); n != 0 {
			t.Errorf("%d memberships saved from bad input", n)
		}
		if got := strings.Join(orgNames(t, c.call(t, http.MethodGet, "/people", "", http.StatusOK)), ","); got != "Anna Andersson" {
			t.Errorf("people after bad input: %s", got)
		}
		if got := c.call(t, http.MethodGet, "/units/"+itoa(dep), "", http.StatusOK); orgNum(t, got, "parent_id") != div || orgNum(t, got, "version") != 1 {
			t.Errorf("unit after refused move: %v", got)
		}
	})
}

func TestOrgAPI_ReadersReadButDoNotWrite(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		withoutDemoOrg(t, ta)
		admin := orgAPI{ta, ta.token(t, "demo")}
		unit := orgNum(t, admin.call(t, http.MethodPost, "/units", `{"level": "division", "name": "Förvaltning", "kind": "other"}`, http.StatusCreated), "id")
		person := orgNum(t, admin.call(t, http.MethodPost, "/people", `{"name": "Per Persson"}`, http.StatusCreated), "id")
		group := orgNum(t, admin.call(t, http.MethodPost, "/groups", `{"kind": "lpo", "level": "region", "name": "LPO Lung"}`, http.StatusCreated), "id")
		membership := orgNum(t, admin.call(t, http.MethodPost, "/memberships", fmt.Sprintf(`{"group_id": %d, "person_id": %d, "role": "chair", "start": "2025-01-01"}`, group, person), http.StatusCreated), "id")
		reads := []string{"/healthcare-regions", "/regions", "/municipalities", "/settings", "/units", "/units/" + itoa(unit), "/units/" + itoa(unit) + "/history",
			"/groups", "/groups/" + itoa(group), "/people", "/people/" + itoa(person), "/memberships", "/memberships/" + itoa(membership)}
		writes := []struct{ method, path, body string }{
			{http.MethodPut, "/settings", `{"home_region": "skane", "annual_cost_per_fte": 1, "overhead_percent": 1, "travel_per_person": 1, "key_role_limit": 1, "version": 1}`},
			{http.MethodPost, "/units", `{"level": "division", "name": "Annan", "kind": "other"}`},
			{http.MethodPut, "/units/" + itoa(unit), `{"level": "division", "name": "Annan", "kind": "other", "version": 1}`},
			{http.MethodDelete, "/units/" + itoa(unit) + "?version=1", ""},
			{http.MethodPost, "/groups", `{"kind": "lpo", "level": "region", "name": "Annan"}`},
			{http.MethodPut, "/groups/" + itoa(group), `{"kind": "lpo", "level": "region", "name": "Annan", "version": 1}`},
			{http.MethodDelete, "/groups/" + itoa(group) + "?version=1", ""},
			{http.MethodPost, "/people", `{"name": "Annan"}`},
			{http.MethodPut, "/people/" + itoa(person), `{"name": "Annan", "version": 1}`},
			{http.MethodDelete, "/people/" + itoa(person) + "?version=1", ""},
			{http.MethodPost, "/memberships", fmt.Sprintf(`{"group_id": %d, "person_id": %d, "role": "member", "start": "2025-01-01"}`, group, person)},
			{http.MethodPut, "/memberships/" + itoa(membership), fmt.Sprintf(`{"group_id": %d, "person_id": %d, "role": "member", "start": "2025-01-01", "version": 1}`, group, person)},
			{http.MethodDelete, "/memberships/" + itoa(membership) + "?version=1", ""},
		}
		for _, who := range []string{"enhet", "revisor"} {
			c := orgAPI{ta, ta.token(t, who)}
			for _, path := range reads {
				c.call(t, http.MethodGet, path, "", http.StatusOK)
			}
			for _, w := range writes {
				c.call(t, w.method, w.path, w.body, http.StatusForbidden)
			}
		}
		anon := orgAPI{ta, ""}
		for _, path := range reads {
			anon.call(t, http.MethodGet, path, "", http.StatusUnauthorized)
		}
		for _, w := range writes {
			anon.call(t, w.method, w.path, w.body, http.StatusUnauthorized)
		}
		// Nothing changed.
		if got := admin.call(t, http.MethodGet, "/units/"+itoa(unit), "", http.StatusOK); got["name"] != "Förvaltning" || orgNum(t, got, "version") != 1 {
			t.Fatalf("unit after refused writes: %v", got)
		}
		if got := strings.Join(orgNames(t, admin.call(t, http.MethodGet, "/people", "", http.StatusOK)), ","); got != "Per Persson" {
			t.Fatalf("people after refused writes: %s", got)
		}
	})
}

func TestOrgAPI_OpenAPIDocumentListsEveryPath(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	_, doc := ta.apiCall(t, http.MethodGet, "/api/v1/openapi.json", "", "")
	paths, _ := doc["paths"].(map[string]any)
	want := map[string][]string{
		"/healthcare-regions": {"get"}, "/regions": {"get"}, "/municipalities": {"get"}, "/settings": {"get", "put"},
		"/units": {"get", "post"}, "/units/{id}": {"get", "put", "delete"}, "/units/{id}/history": {"get"},
		"/groups": {"get", "post"}, "/groups/{id}": {"get", "put", "delete"},
		"/people": {"get", "post"}, "/people/{id}": {"get", "put", "delete"},
		"/memberships": {"get", "post"}, "/memberships/{id}": {"get", "put", "delete"},
	}
	for path, methods := range want {
		item, ok := paths["/api/v1"+path].(map[string]any)
		if !ok {
			t.Errorf("openapi.json lacks %s", path)
			continue
		}
		for _, m := range methods {
			op, ok := item[m].(map[string]any)
			if !ok {
				t.Errorf("openapi.json lacks %s %s", m, path)
				continue
			}
			tags, _ := op["tags"].([]any)
			if len(tags) != 1 || tags[0] != "Organisation" || op["summary"] == "" || op["description"] == "" {
				t.Errorf("%s %s: tags %v, summary %q, description %q", m, path, tags, op["summary"], op["description"])
			}
		}
	}
	// The input schemas carry their rules.
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	share := schemas["MembershipBody"].(map[string]any)["properties"].(map[string]any)["share_percent"].(map[string]any)
	if share["minimum"] != 0.0 || share["maximum"] != 100.0 {
		t.Errorf("share_percent schema: %v", share)
	}
	level := schemas["UnitBody"].(map[string]any)["properties"].(map[string]any)["level"].(map[string]any)
	if fmt.Sprint(level["enum"]) != "[division department unit]" {
		t.Errorf("unit level schema: %v", level)
	}
}

// withoutDemoOrg removes the demo organisation, for tests that count what they create.
func withoutDemoOrg(t *testing.T, ta *testApp) {
	t.Helper()
	// The demo's implementations and prioritisation rounds refer to its supports, groups, cases and
	// decisions, and the forum year and catalog to its people and groups: they go first.
	for _, table := range []string{"gap_comparisons", "plan_comments", "comment_recipients", "comment_rounds", "plan_revisions",
		"survey_answers", "survey_recipients", "survey_recommendations", "unit_surveys", "checklist_items", "communications",
		"action_gaps", "actions", "gap_units", "gap_analyses", "implementation_municipalities", "implementation_members",
		"implementations", "priority_comments", "priority_sheets", "priority_candidates", "priority_groups",
		"priority_criteria", "priority_rounds", "decision_basis", "decision_municipalities", "decision_followups", "decisions",
		"case_steps", "case_links", "municipal_requests", "forum_documents", "agenda_items", "meeting_attendance",
		"meetings", "cases", "forum_mandates", "forums", "municipality_contacts", "support_leads", "support_units"} {
		if _, err := ta.DB.ExecContext(t.Context(), "DELETE FROM "+table); err != nil {
			t.Fatal(err)
		}
	}
	// So does the demo catalog: its own supports go, the reference care
	// pathways lose their local owners.
	if _, err := ta.DB.ExecContext(t.Context(), `DELETE FROM supports WHERE reference = ?`, false); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.DB.ExecContext(t.Context(), `UPDATE supports SET local_owner_id = NULL`); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DELETE FROM memberships`, `DELETE FROM people`, `DELETE FROM units`,
		`DELETE FROM org_groups WHERE reference = ?`, `UPDATE org_groups SET host_region = NULL WHERE host_region <> 'norra'`} {
		var args []any
		if strings.Contains(q, "?") {
			args = append(args, false)
		}
		if _, err := ta.DB.ExecContext(t.Context(), q, args...); err != nil {
			t.Fatal(err)
		}
	}
}
