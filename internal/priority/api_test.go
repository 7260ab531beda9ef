package priority_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/app"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// apiSite is the real app behind an HTTP server with an API token per demo
// user.
type apiSite struct {
	app *app.App
	srv *httptest.Server
	tok map[string]string
}

func newAPISite(t *testing.T, d *db.DB) *apiSite {
	t.Helper()
	a, err := app.New(app.Config{}, slog.New(slog.DiscardHandler), d)
	if err != nil {
		t.Fatal(err)
	}
	s := &apiSite{app: a, srv: httptest.NewServer(a.Handler), tok: map[string]string{"": ""}}
	t.Cleanup(s.srv.Close)
	for _, l := range app.DemoLogins {
		u, err := a.Auth.UserByUsername(context.Background(), l.Username)
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := a.Auth.CreateToken(context.Background(), u.ID, auth.NewToken{Name: "test"})
		if err != nil {
			t.Fatal(err)
		}
		s.tok[l.Username] = secret
	}
	return s
}

// call sends a request as user ("" is anonymous) and fails the test unless
// the status is want; it returns the decoded answer.
func (s *apiSite) call(t *testing.T, user, method, path, body string, want int) map[string]any {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.srv.URL+"/api/v1"+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := s.tok[user]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
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
		t.Fatalf("%s %s %s as %q: status %d, want %d\n%s", method, path, apiShort(body), user, res.StatusCode, want, b)
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

func apiShort(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// apiNum reads a JSON number field as an integer.
func apiNum(t *testing.T, m map[string]any, field string) int64 {
	t.Helper()
	n, ok := m[field].(float64)
	if !ok {
		t.Fatalf("%s is %v in %v", field, m[field], m)
	}
	return int64(n)
}

func apiObj(t *testing.T, m map[string]any, field string) map[string]any {
	t.Helper()
	o, ok := m[field].(map[string]any)
	if !ok {
		t.Fatalf("%s is %v in %v", field, m[field], m)
	}
	return o
}

func apiList(t *testing.T, m map[string]any, field string) []map[string]any {
	t.Helper()
	raw, ok := m[field].([]any)
	if !ok {
		t.Fatalf("no list %s in %v", field, m)
	}
	out := make([]map[string]any, len(raw))
	for i, it := range raw {
		out[i] = it.(map[string]any)
	}
	return out
}

// apiProblemAt fails unless the problem names location among its errors,
// with a message containing text.
func apiProblemAt(t *testing.T, p map[string]any, location, text string) {
	t.Helper()
	for _, f := range apiList(t, p, "errors") {
		if f["location"] == location {
			if msg, _ := f["message"].(string); msg == "" || !strings.Contains(msg, text) {
				t.Fatalf("problem at %s: message %q, want it to contain %q", location, msg, text)
			}
			return
		}
	}
	t.Fatalf("problem %v does not name %s", p, location)
}

func apiID(n int64) string { return strconv.FormatInt(n, 10) }

func apiToday() date.Date { return date.Of(time.Now(), i18n.Stockholm()) }

// apiSheet is a sheet body: imp on every importance criterion and feas on
// every feasibility criterion of round; a negative value leaves the
// criterion unrated.
func apiSheet(t *testing.T, round map[string]any, imp, feas int, version int64) string {
	t.Helper()
	var scores []string
	for _, c := range apiList(t, round, "criteria") {
		v := imp
		if c["axis"] == "feasibility" {
			v = feas
		}
		if v < 0 {
			continue
		}
		scores = append(scores, fmt.Sprintf(`{"criterion_id": %d, "value": %d, "comment": "Kommentar %d"}`, apiNum(t, c, "id"), v, v))
	}
	return fmt.Sprintf(`{"scores": [%s], "version": %d}`, strings.Join(scores, ", "), version)
}

// apiGroupID finds an eligible group by name.
func apiGroupID(t *testing.T, groups map[string]any, name string) int64 {
	t.Helper()
	for _, g := range apiList(t, groups, "eligible") {
		if g["name"] == name {
			return apiNum(t, g, "group_id")
		}
	}
	t.Fatalf("%s is not eligible: %v", name, groups["eligible"])
	return 0
}

// apiRound is a round set up for the flow: three new watched supports as
// candidates and LPO Diabetes and LPO Psykisk hälsa as assessor groups.
type apiRound struct {
	id                   string
	round                map[string]any
	supports             []int64 // the candidates' supports, in order
	candidates           []int64
	diabetes, psychiatry int64
}

func (s *apiSite) draftRound(t *testing.T, year int) *apiRound {
	t.Helper()
	deadline := apiToday().AddDays(30)
	r := s.call(t, "samordnare", http.MethodPost, "/prioritisation-rounds", fmt.Sprintf(`{"year": %d, "deadline": %q}`, year, deadline), http.StatusCreated)
	ar := &apiRound{id: apiID(apiNum(t, r, "id")), round: r}
	for _, title := range []string{"Rutin för fallprevention", "Rutin för nutrition", "Rutin för läkemedelsgenomgång"} {
		sp := s.call(t, "samordnare", http.MethodPost, "/supports", fmt.Sprintf(`{"kind": "local_routine", "title": "%s %d"}`, title, year), http.StatusCreated)
		ar.supports = append(ar.supports, apiNum(t, sp, "id"))
	}
	cs := s.call(t, "samordnare", http.MethodPut, "/prioritisation-rounds/"+ar.id+"/candidates",
		fmt.Sprintf(`{"support_ids": [%d, %d, %d], "version": 1}`, ar.supports[0], ar.supports[1], ar.supports[2]), http.StatusOK)
	for _, c := range apiList(t, cs, "items") {
		ar.candidates = append(ar.candidates, apiNum(t, c, "id"))
	}
	gs := s.call(t, "samordnare", http.MethodGet, "/prioritisation-rounds/"+ar.id+"/groups", "", http.StatusOK)
	ar.diabetes, ar.psychiatry = apiGroupID(t, gs, "LPO Diabetes/endokrina"), apiGroupID(t, gs, "LPO Psykisk hälsa")
	ar.round = apiObj(t, s.call(t, "samordnare", http.MethodPut, "/prioritisation-rounds/"+ar.id+"/groups",
		fmt.Sprintf(`{"group_ids": [%d, %d], "version": %d}`, ar.diabetes, ar.psychiatry, apiNum(t, apiObj(t, cs, "round"), "version")), http.StatusOK), "round")
	return ar
}

func (ar *apiRound) version(t *testing.T) int64 { return apiNum(t, ar.round, "version") }

func (ar *apiRound) sheetPath(group, candidate int64) string {
	return fmt.Sprintf("/prioritisation-rounds/%s/sheets/%d/%d", ar.id, group, candidate)
}

func TestAPI_RoundCreateDefaultsAndRules(t *testing.T) {
	t.Parallel()
	dbtest.EachSeeded(t, pgDemoKey, pgSeedDemo, func(t *testing.T, d *db.DB) {
		s := newAPISite(t, d)
		deadline := apiToday().AddDays(20).String()

		// Left out: the region's defaults in Swedish.
		r := s.call(t, "samordnare", http.MethodPost, "/prioritisation-rounds", fmt.Sprintf(`{"year": 2031, "deadline": %q}`, deadline), http.StatusCreated)
		crit := apiList(t, r, "criteria")
		scale := apiObj(t, r, "scale")
		if r["status"] != "draft" || r["title"] != "Prioritering av kunskapsstöd 2031" || r["deadline"] != deadline || apiNum(t, r, "version") != 1 ||
			!strings.HasPrefix(r["instructions"].(string), "Bedöm varje kandidat") || len(crit) != 8 ||
			crit[0]["label"] != "Betydelse och angelägenhet" || crit[0]["axis"] != "importance" || crit[7]["axis"] != "feasibility" ||
			apiNum(t, scale, "min") != 1 || apiNum(t, scale, "max") != 5 || len(scale["labels"].([]any)) != 5 {
			t.Fatalf("default round: %v", r)
		}

		// Given: the caller's own; empty instructions stay empty.
		own := s.call(t, "samordnare", http.MethodPost, "/prioritisation-rounds", fmt.Sprintf(`{"year": 2032, "title": "Egen omgång", "instructions": "", "deadline": %q,
			"scale": {"min": 0, "max": 3}, "criteria": [{"axis": "feasibility", "label": "Resurser"}, {"axis": "importance", "label": "Nytta", "weight": 2}]}`, deadline), http.StatusCreated)
		crit = apiList(t, own, "criteria")
		if own["title"] != "Egen omgång" || own["instructions"] != nil || len(crit) != 2 || crit[0]["label"] != "Nytta" || apiNum(t, crit[0], "weight") != 2 ||
			apiNum(t, crit[1], "weight") != 1 || apiNum(t, apiObj(t, own, "scale"), "max") != 3 {
			t.Fatalf("own round: %v", own)
		}

		// Domain rules are 422 naming the field.
		tests := []struct {
			name, body, location, text string
		}{
			{"year", `{"year": 1999, "deadline": "2031-01-01"}`, "body.year", "2000"},
			{"deadline", `{"year": 2031}`, "", ""},
			{"blank title", `{"year": 2031, "title": " ", "deadline": "2031-01-01"}`, "body.title", ""},
			{"one axis", `{"year": 2031, "deadline": "2031-01-01", "criteria": [{"axis": "importance", "label": "Nytta"}]}`, "body.criteria", "genomförbarhet"},
			{"blank label", `{"year": 2031, "deadline": "2031-01-01", "criteria": [{"axis": "importance", "label": ""}, {"axis": "feasibility", "label": "Resurser"}]}`, "body.criteria.0.label", ""},
			{"weight", `{"year": 2031, "deadline": "2031-01-01", "criteria": [{"axis": "importance", "label": "Nytta", "weight": 11}, {"axis": "feasibility", "label": "Resurser"}]}`, "body.criteria.0.weight", "10"},
			{"one step", `{"year": 2031, "deadline": "2031-01-01", "scale": {"min": 3, "max": 3}}`, "body.scale", "steg"},
			{"labels", `{"year": 2031, "deadline": "2031-01-01", "scale": {"min": 1, "max": 3, "labels": ["låg", "hög"]}}`, "body.scale.labels", "3"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.location == "" { // a malformed body: a required field is missing
					s.call(t, "samordnare", http.MethodPost, "/prioritisation-rounds", tt.body, http.StatusBadRequest)
					return
				}
				apiProblemAt(t, s.call(t, "samordnare", http.MethodPost, "/prioritisation-rounds", tt.body, http.StatusUnprocessableEntity), tt.location, tt.text)
			})
		}

		// A draft changes everything, by version; a stale version changes nothing.
		id := apiID(apiNum(t, own, "id"))
		upd := fmt.Sprintf(`{"year": 2033, "title": "Ändrad", "deadline": %q, "scale": {"min": 1, "max": 4}, "criteria": [
			{"id": %d, "axis": "importance", "label": "Nytta", "weight": 3}, {"axis": "feasibility", "label": "Tid"}, {"axis": "feasibility", "label": "Pengar"}], "version": 1}`,
			deadline, apiNum(t, crit[0], "id"))
		changed := s.call(t, "samordnare", http.MethodPut, "/prioritisation-rounds/"+id, upd, http.StatusOK)
		if changed["title"] != "Ändrad" || apiNum(t, changed, "year") != 2033 || len(apiList(t, changed, "criteria")) != 3 || apiNum(t, changed, "version") != 2 {
			t.Fatalf("changed: %v", changed)
		}
		s.call(t, "samordnare", http.MethodPut, "/prioritisation-rounds/"+id, upd, http.StatusConflict)
		foreign := strings.Replace(strings.Replace(upd, `"version": 1`, `"version": 2`, 1),
			fmt.Sprintf(`"id": %d`, apiNum(t, crit[0], "id")), fmt.Sprintf(`"id": %d`, apiNum(t, apiList(t, r, "criteria")[0], "id")), 1)
		apiProblemAt(t, s.call(t, "samordnare", http.MethodPut, "/prioritisation-rounds/"+id, foreign, http.StatusUnprocessableEntity), "body.criteria", "")
		s.call(t, "samordnare", http.MethodPut, "/prioritisation-rounds/999999", upd, http.StatusNotFound)
		if got := s.call(t, "revisor", http.MethodGet, "/prioritisation-rounds/"+id, "", http.StatusOK); got["title"] != "Ändrad" {
			t.Fatalf("after refused edits: %v", got)
		}

		// The list pages through the rounds by id, with their progress.
		var seen []int64
		cursor := ""
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatalf("too many pages: %v", seen)
			}
			p := s.call(t, "revisor", http.MethodGet, "/prioritisation-rounds?limit=1&cursor="+cursor, "", http.StatusOK)
			for _, it := range apiList(t, p, "items") {
				seen = append(seen, apiNum(t, it, "id"))
				if _, ok := it["candidates"]; !ok {
					t.Fatalf("summary without progress: %v", it)
				}
			}
			next, _ := p["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		if len(seen) < 2 || seen[len(seen)-1] != apiNum(t, own, "id") || seen[len(seen)-2] != apiNum(t, r, "id") {
			t.Fatalf("paged rounds: %v", seen)
		}
		apiProblemAt(t, s.call(t, "revisor", http.MethodGet, "/prioritisation-rounds?cursor=inte-en-markör", "", http.StatusUnprocessableEntity), "query.cursor", "")

		// A draft is deleted by version.
		s.call(t, "samordnare", http.MethodDelete, "/prioritisation-rounds/"+id+"?version=1", "", http.StatusConflict)
		s.call(t, "samordnare", http.MethodDelete, "/prioritisation-rounds/"+id+"?version=2", "", http.StatusNoContent)
		s.call(t, "samordnare", http.MethodGet, "/prioritisation-rounds/"+id, "", http.StatusNotFound)
	})
}

func TestAPI_RoundFlowFromDraftToTimePlan(t *testing.T) {
	t.Parallel()
	dbtest.EachSeeded(t, pgDemoKey, pgSeedDemo, func(t *testing.T, d *db.DB) {
		s := newAPISite(t, d)
		const year = 2040
		ar := s.draftRound(t, year)
		base := "/prioritisation-rounds/" + ar.id
		a, b, c := ar.candidates[0], ar.candidates[1], ar.candidates[2]

		// Draft: candidates and groups by version, only eligible ones.
		if cs := s.call(t, "revisor", http.MethodGet, base+"/candidates", "", http.StatusOK); len(apiList(t, cs, "items")) != 3 ||
			apiList(t, cs, "items")[0]["support_status"] != "watched" || apiNum(t, apiList(t, cs, "items")[2], "position") != 3 {
			t.Fatalf("candidates: %v", cs)
		}
		apiProblemAt(t, s.call(t, "samordnare", http.MethodPut, base+"/candidates",
			fmt.Sprintf(`{"support_ids": [999999], "version": %d}`, ar.version(t)), http.StatusUnprocessableEntity), "body.support_ids", "")
		s.call(t, "samordnare", http.MethodPut, base+"/candidates", `{"support_ids": [], "version": 1}`, http.StatusConflict)
		var hsl int64
		if err := d.QueryRowContext(context.Background(), `SELECT id FROM org_groups WHERE kind = 'leadership'`).Scan(&hsl); err != nil {
			t.Fatal(err)
		}
		apiProblemAt(t, s.call(t, "samordnare", http.MethodPut, base+"/groups",
			fmt.Sprintf(`{"group_ids": [%d], "version": %d}`, hsl, ar.version(t)), http.StatusUnprocessableEntity), "body.group_ids", "")
		if gs := s.call(t, "revisor", http.MethodGet, base+"/groups", "", http.StatusOK); len(apiList(t, gs, "items")) != 2 {
			t.Fatalf("groups: %v", gs)
		}
		apiProblemAt(t, s.call(t, "utvecklare", http.MethodPut, ar.sheetPath(ar.diabetes, a), apiSheet(t, ar.round, 5, 5, 0), http.StatusUnprocessableEntity), "path.id", "")

		// Open: watched candidates become inventoried; the configuration is fixed.
		s.call(t, "samordnare", http.MethodPost, base+"/open", `{"version": 1}`, http.StatusConflict)
		ar.round = s.call(t, "samordnare", http.MethodPost, base+"/open", fmt.Sprintf(`{"version": %d}`, ar.version(t)), http.StatusOK)
		if ar.round["status"] != "open" || ar.round["opened_on"] != apiToday().String() {
			t.Fatalf("opened: %v", ar.round)
		}
		if sp := s.call(t, "revisor", http.MethodGet, "/supports/"+apiID(ar.supports[0]), "", http.StatusOK); sp["status"] != "inventoried" {
			t.Fatalf("support after open: %v", sp)
		}
		s.call(t, "samordnare", http.MethodPut, base+"/candidates", fmt.Sprintf(`{"support_ids": [], "version": %d}`, ar.version(t)), http.StatusConflict)
		apiProblemAt(t, s.call(t, "samordnare", http.MethodPost, base+"/open", fmt.Sprintf(`{"version": %d}`, ar.version(t)), http.StatusUnprocessableEntity), "path.id", "")
		apiProblemAt(t, s.call(t, "ledning", http.MethodPost, base+"/decision", fmt.Sprintf(`{"decided_on": %q, "text": "Beslut", "outcomes": [], "version": %d}`,
			apiToday(), ar.version(t)), http.StatusUnprocessableEntity), "path.id", "stängd")

		// Rating: a member saves for the group; the second member's stale save is 409 and keeps the first's.
		sh := s.call(t, "utvecklare", http.MethodPut, ar.sheetPath(ar.diabetes, a), apiSheet(t, ar.round, 5, 5, 0), http.StatusOK)
		if apiNum(t, sh, "version") != 1 || sh["updated_by"] != "Ulf Utvecklare" || len(apiList(t, sh, "scores")) != 8 {
			t.Fatalf("saved sheet: %v", sh)
		}
		if p := s.call(t, "enhet", http.MethodPut, ar.sheetPath(ar.diabetes, a), apiSheet(t, ar.round, 1, 1, 0), http.StatusConflict); apiNum(t, p, "status") != http.StatusConflict ||
			!strings.HasSuffix(p["type"].(string), "/conflict") || !strings.Contains(p["title"].(string), "Någon annan har ändrat") {
			t.Fatalf("conflict problem: %v", p)
		}
		if got := s.call(t, "enhet", http.MethodGet, ar.sheetPath(ar.diabetes, a), "", http.StatusOK); apiNum(t, apiList(t, got, "scores")[0], "value") != 5 || apiNum(t, got, "version") != 1 {
			t.Fatalf("after the stale save: %v", got)
		}
		rules := []struct {
			name, user, path, body, location, text string
		}{
			{"not a member", "utvecklare", ar.sheetPath(ar.psychiatry, a), apiSheet(t, ar.round, 3, 3, 0), "path.group", "medlem"},
			{"revisor is no member", "revisor", ar.sheetPath(ar.diabetes, b), apiSheet(t, ar.round, 3, 3, 0), "path.group", "medlem"},
			{"off the scale", "utvecklare", ar.sheetPath(ar.diabetes, b), strings.Replace(apiSheet(t, ar.round, 4, 4, 0), `"value": 4`, `"value": 7`, 1), "body.scores.0.value", "1"},
			{"off the scale, third", "utvecklare", ar.sheetPath(ar.diabetes, b), apiSheet(t, ar.round, 4, 0, 0), "body.scores.3.value", "5"},
		}
		for _, tt := range rules {
			t.Run(tt.name, func(t *testing.T) {
				apiProblemAt(t, s.call(t, tt.user, http.MethodPut, tt.path, tt.body, http.StatusUnprocessableEntity), tt.location, tt.text)
			})
		}
		s.call(t, "utvecklare", http.MethodGet, ar.sheetPath(ar.diabetes, 999999), "", http.StatusNotFound)
		s.call(t, "utvecklare", http.MethodPut, ar.sheetPath(ar.diabetes, b), `{"scores": "fem", "version": 0}`, http.StatusBadRequest)
		if got := s.call(t, "utvecklare", http.MethodGet, ar.sheetPath(ar.diabetes, b), "", http.StatusOK); apiNum(t, got, "version") != 0 || len(apiList(t, got, "scores")) != 0 {
			t.Fatalf("sheet not yet saved: %v", got)
		}

		// LPO Diabetes: a 5, b 4, c 2. LPO Psykisk hälsa (by the coordinator): a 3, b 4, c only importance 2.
		s.call(t, "utvecklare", http.MethodPut, ar.sheetPath(ar.diabetes, b), apiSheet(t, ar.round, 4, 4, 0), http.StatusOK)
		s.call(t, "enhet", http.MethodPut, ar.sheetPath(ar.diabetes, c), apiSheet(t, ar.round, 2, 2, 0), http.StatusOK)
		s.call(t, "samordnare", http.MethodPut, ar.sheetPath(ar.psychiatry, a), apiSheet(t, ar.round, 3, 3, 0), http.StatusOK)
		s.call(t, "samordnare", http.MethodPut, ar.sheetPath(ar.psychiatry, b), apiSheet(t, ar.round, 4, 4, 0), http.StatusOK)
		s.call(t, "samordnare", http.MethodPut, ar.sheetPath(ar.psychiatry, c), apiSheet(t, ar.round, 2, -1, 0), http.StatusOK)

		if got := apiList(t, s.call(t, "revisor", http.MethodGet, base+"/sheets?group_id="+apiID(ar.diabetes), "", http.StatusOK), "items"); len(got) != 3 ||
			apiNum(t, got[0], "group_id") != ar.diabetes || apiList(t, got[0], "scores")[0]["comment"] != "Kommentar 5" {
			t.Fatalf("sheets of LPO Diabetes: %v", got)
		}
		first := s.call(t, "revisor", http.MethodGet, base+"/sheets?limit=4", "", http.StatusOK)
		next, _ := first["next_cursor"].(string)
		rest := s.call(t, "revisor", http.MethodGet, base+"/sheets?limit=4&cursor="+next, "", http.StatusOK)
		if len(apiList(t, first, "items")) != 4 || next == "" || len(apiList(t, rest, "items")) != 2 || rest["next_cursor"] != nil {
			t.Fatalf("sheet pages: %v / %v", first, rest)
		}

		// Close: the candidates become prioritised and rating ends.
		ar.round = s.call(t, "samordnare", http.MethodPost, base+"/close", fmt.Sprintf(`{"version": %d}`, ar.version(t)), http.StatusOK)
		if ar.round["status"] != "closed" {
			t.Fatalf("closed: %v", ar.round)
		}
		if sp := s.call(t, "revisor", http.MethodGet, "/supports/"+apiID(ar.supports[2]), "", http.StatusOK); sp["status"] != "prioritised" {
			t.Fatalf("support after close: %v", sp)
		}
		apiProblemAt(t, s.call(t, "utvecklare", http.MethodPut, ar.sheetPath(ar.diabetes, b), apiSheet(t, ar.round, 1, 1, 1), http.StatusUnprocessableEntity), "path.id", "")

		// Results: a and b share first place (total 4); c is third, rated by one group on feasibility.
		res := s.call(t, "revisor", http.MethodGet, base+"/results", "", http.StatusOK)
		ranked := apiList(t, res, "ranked")
		if len(ranked) != 3 {
			t.Fatalf("ranked: %v", ranked)
		}
		byCandidate := map[int64]map[string]any{}
		for _, r := range ranked {
			byCandidate[apiNum(t, apiObj(t, r, "candidate"), "id")] = r
		}
		ra, rb, rc := byCandidate[a], byCandidate[b], byCandidate[c]
		imp := apiObj(t, ra, "importance")
		if apiNum(t, ra, "rank") != 1 || apiNum(t, rb, "rank") != 1 || ra["tied"] != true || rb["tied"] != true || apiNum(t, rc, "rank") != 3 || rc["tied"] != false ||
			imp["mean"] != 4.0 || apiNum(t, imp, "n") != 2 || math.Abs(imp["sd"].(float64)-math.Sqrt2) > 1e-9 || imp["min"] != 3.0 || imp["max"] != 5.0 ||
			ra["total"] != 4.0 || apiNum(t, apiObj(t, rc, "feasibility"), "n") != 1 || apiNum(t, apiObj(t, rc, "importance"), "n") != 2 || rc["total"] != 2.0 {
			t.Fatalf("results: %v", ranked)
		}
		if na := apiList(t, res, "not_answered"); len(na) != 1 || apiNum(t, apiObj(t, na[0], "group"), "group_id") != ar.psychiatry {
			t.Fatalf("not answered: %v", na)
		}

		// Proposal: unique orders, all or nothing.
		cands := apiList(t, s.call(t, "revisor", http.MethodGet, base+"/candidates", "", http.StatusOK), "items")
		prop := func(orderB int) string {
			return fmt.Sprintf(`[{"candidate_id": %d, "proposed": true, "proposed_order": 1, "planned_start": "%d-01-01", "version": %d},
				{"candidate_id": %d, "proposed": true, "proposed_order": %d, "planned_start": "%d-03-01", "version": %d},
				{"candidate_id": %d, "proposed": false, "proposal_note": "Avvaktar", "version": %d}]`,
				a, year, apiNum(t, cands[0], "version"), b, orderB, year, apiNum(t, cands[1], "version"), c, apiNum(t, cands[2], "version"))
		}
		apiProblemAt(t, s.call(t, "samordnare", http.MethodPut, base+"/proposal", prop(1), http.StatusUnprocessableEntity), "body.1.proposed_order", "1")
		apiProblemAt(t, s.call(t, "samordnare", http.MethodPut, base+"/proposal",
			strings.Replace(prop(2), `"proposed_order": 1, "planned_start": "2040-01-01", `, `"proposed_order": 1, `, 1), http.StatusUnprocessableEntity), "body.0.planned_start", "")
		proposed := apiList(t, s.call(t, "samordnare", http.MethodPut, base+"/proposal", prop(2), http.StatusOK), "items")
		if proposed[0]["proposed"] != true || apiNum(t, proposed[1], "proposed_order") != 2 || proposed[2]["proposal_note"] != "Avvaktar" {
			t.Fatalf("proposal: %v", proposed)
		}
		s.call(t, "samordnare", http.MethodPut, base+"/proposal", prop(2), http.StatusConflict)

		// The forum case, then HSL's decision.
		decision := func(version int64) string {
			return fmt.Sprintf(`{"decided_on": %q, "text": "HSL beslutar enligt förslaget.", "outcomes": [
				{"candidate_id": %d, "outcome": "decided", "order": 1, "planned_start": "%d-01-01", "planned_end": "%d-06-30"},
				{"candidate_id": %d, "outcome": "watched"},
				{"candidate_id": %d, "outcome": "not_relevant"}], "version": %d}`, apiToday(), a, year, year, b, c, version)
		}
		apiProblemAt(t, s.call(t, "ledning", http.MethodPost, base+"/decision", decision(ar.version(t)), http.StatusUnprocessableEntity), "path.id", "ärende")
		var sara int64
		if err := d.QueryRowContext(context.Background(), `SELECT p.id FROM people p JOIN users u ON u.id = p.user_id WHERE u.username = 'samordnare'`).Scan(&sara); err != nil {
			t.Fatal(err)
		}
		s.call(t, "samordnare", http.MethodPost, base+"/case", fmt.Sprintf(`{"version": %d, "responsible_person_id": %d}`, ar.version(t)-1, sara), http.StatusConflict)
		started := s.call(t, "samordnare", http.MethodPost, base+"/case", fmt.Sprintf(`{"version": %d, "responsible_person_id": %d}`, ar.version(t), sara), http.StatusOK)
		ar.round = apiObj(t, started, "round")
		kase := apiObj(t, started, "case")
		if kase["kind"] != "prioritisation" || apiNum(t, kase, "responsible_person_id") != sara || apiNum(t, ar.round, "case_id") != apiNum(t, kase, "id") {
			t.Fatalf("case: %v", started)
		}
		apiProblemAt(t, s.call(t, "samordnare", http.MethodPost, base+"/case", fmt.Sprintf(`{"version": %d}`, ar.version(t)), http.StatusUnprocessableEntity), "path.id", "")
		s.call(t, "samordnare", http.MethodGet, "/cases/"+apiID(apiNum(t, kase, "id")), "", http.StatusOK)

		s.call(t, "revisor", http.MethodPost, base+"/decision", decision(ar.version(t)), http.StatusForbidden)
		s.call(t, "ledning", http.MethodPost, base+"/decision", decision(ar.version(t)-1), http.StatusConflict)
		apiProblemAt(t, s.call(t, "ledning", http.MethodPost, base+"/decision",
			strings.Replace(decision(ar.version(t)), `"outcome": "not_relevant"`, `"outcome": "decided", "order": 1`, 1), http.StatusUnprocessableEntity), "body.outcomes.2.order", "")
		ar.round = s.call(t, "ledning", http.MethodPost, base+"/decision", decision(ar.version(t)), http.StatusOK)
		if ar.round["status"] != "decided" || ar.round["decided_on"] != apiToday().String() || apiNum(t, ar.round, "decision_id") == 0 {
			t.Fatalf("decided: %v", ar.round)
		}
		for i, want := range []string{"decided", "watched", "not_relevant"} {
			hist := apiList(t, s.call(t, "revisor", http.MethodGet, "/supports/"+apiID(ar.supports[i])+"/history", "", http.StatusOK), "items")
			last := hist[len(hist)-1]
			if len(hist) != 3 || last["from"] != "prioritised" || last["to"] != want || last["on"] != apiToday().String() || !strings.Contains(last["reason"].(string), "HSL") {
				t.Fatalf("history of support %d: %v", i, hist)
			}
		}
		s.call(t, "samordnare", http.MethodDelete, base+"?version="+apiID(ar.version(t)), "", http.StatusConflict)
		s.call(t, "samordnare", http.MethodPost, base+"/reopen", fmt.Sprintf(`{"version": %d, "deadline": %q}`, ar.version(t), apiToday().AddDays(5)), http.StatusUnprocessableEntity)

		// The time plan of the year holds the decided support.
		var plan []map[string]any
		for _, it := range apiList(t, s.call(t, "revisor", http.MethodGet, fmt.Sprintf("/time-plan?year=%d", year), "", http.StatusOK), "items") {
			if it["round_id"] == ar.round["id"] {
				plan = append(plan, it)
			}
		}
		if len(plan) != 1 || apiNum(t, plan[0], "support_id") != ar.supports[0] || apiNum(t, plan[0], "order") != 1 || plan[0]["status"] != "decided" ||
			plan[0]["planned_start"] != fmt.Sprintf("%d-01-01", year) || plan[0]["late"] != false {
			t.Fatalf("time plan: %v", plan)
		}
		if other := apiList(t, s.call(t, "revisor", http.MethodGet, fmt.Sprintf("/time-plan?year=%d", year+1), "", http.StatusOK), "items"); len(other) != 0 {
			t.Fatalf("time plan of the next year: %v", other)
		}
		apiProblemAt(t, s.call(t, "revisor", http.MethodGet, "/time-plan?year=1900", "", http.StatusUnprocessableEntity), "query.year", "2000")
		s.call(t, "revisor", http.MethodGet, "/time-plan", "", http.StatusBadRequest)
	})
}

func TestAPI_ReopenGivesANewDeadline(t *testing.T) {
	t.Parallel()
	dbtest.EachSeeded(t, pgDemoKey, pgSeedDemo, func(t *testing.T, d *db.DB) {
		s := newAPISite(t, d)
		ar := s.draftRound(t, 2041)
		base := "/prioritisation-rounds/" + ar.id
		ar.round = s.call(t, "samordnare", http.MethodPost, base+"/open", fmt.Sprintf(`{"version": %d}`, ar.version(t)), http.StatusOK)
		apiProblemAt(t, s.call(t, "samordnare", http.MethodPost, base+"/reopen", fmt.Sprintf(`{"version": %d, "deadline": %q}`, ar.version(t), apiToday().AddDays(5)),
			http.StatusUnprocessableEntity), "path.id", "")
		ar.round = s.call(t, "samordnare", http.MethodPost, base+"/close", fmt.Sprintf(`{"version": %d}`, ar.version(t)), http.StatusOK)
		apiProblemAt(t, s.call(t, "samordnare", http.MethodPost, base+"/reopen", fmt.Sprintf(`{"version": %d, "deadline": %q}`, ar.version(t), apiToday().AddDays(-1)),
			http.StatusUnprocessableEntity), "body.deadline", "")
		s.call(t, "samordnare", http.MethodPost, base+"/reopen", fmt.Sprintf(`{"version": %d, "deadline": %q}`, ar.version(t)-1, apiToday().AddDays(5)), http.StatusConflict)
		deadline := apiToday().AddDays(5).String()
		ar.round = s.call(t, "samordnare", http.MethodPost, base+"/reopen", fmt.Sprintf(`{"version": %d, "deadline": %q}`, ar.version(t), deadline), http.StatusOK)
		if ar.round["status"] != "open" || ar.round["deadline"] != deadline || ar.round["closed_on"] != nil {
			t.Fatalf("reopened: %v", ar.round)
		}
		// Open: only title, instructions and deadline change.
		put := func(title, firstLabel string, version int64) string {
			var crit []string
			for i, c := range apiList(t, ar.round, "criteria") {
				label := c["label"].(string)
				if i == 0 && firstLabel != "" {
					label = firstLabel
				}
				crit = append(crit, fmt.Sprintf(`{"id": %d, "axis": %q, "label": %q, "description": %q, "weight": %d}`,
					apiNum(t, c, "id"), c["axis"], label, c["description"], apiNum(t, c, "weight")))
			}
			labels, _ := json.Marshal(apiObj(t, ar.round, "scale")["labels"])
			return fmt.Sprintf(`{"year": 2041, "title": %q, "instructions": "Ny instruktion", "deadline": %q, "scale": {"min": 1, "max": 5, "labels": %s}, "criteria": [%s], "version": %d}`,
				title, deadline, labels, strings.Join(crit, ", "), version)
		}
		apiProblemAt(t, s.call(t, "samordnare", http.MethodPut, base, put("Ny titel", "Ny fråga", ar.version(t)), http.StatusUnprocessableEntity), "body.criteria", "öppen")
		got := s.call(t, "samordnare", http.MethodPut, base, put("Ny titel", "", ar.version(t)), http.StatusOK)
		if got["title"] != "Ny titel" || got["instructions"] != "Ny instruktion" || got["status"] != "open" {
			t.Fatalf("changed open round: %v", got)
		}
	})
}

func TestAPI_PermissionsByRole(t *testing.T) {
	t.Parallel()
	dbtest.EachSeeded(t, pgDemoKey, pgSeedDemo, func(t *testing.T, d *db.DB) {
		s := newAPISite(t, d)
		ar := s.draftRound(t, 2042)
		base := "/prioritisation-rounds/" + ar.id
		reads := []string{"/prioritisation-rounds", base, base + "/candidates", base + "/groups", base + "/sheets",
			base + "/sheets/" + apiID(ar.diabetes) + "/" + apiID(ar.candidates[0]), base + "/results", "/time-plan?year=2042"}
		for _, user := range []string{"revisor", "ledning", "enhet", "kommun", "utvecklare"} {
			for _, p := range reads {
				s.call(t, user, http.MethodGet, p, "", http.StatusOK)
			}
		}
		for _, p := range reads {
			s.call(t, "", http.MethodGet, p, "", http.StatusUnauthorized)
		}
		v := ar.version(t)
		writes := []struct{ method, path, body string }{
			{http.MethodPost, "/prioritisation-rounds", `{"year": 2043, "deadline": "2043-01-01"}`},
			{http.MethodPut, base, fmt.Sprintf(`{"year": 2042, "title": "x", "deadline": "2043-01-01", "scale": {"min": 1, "max": 5}, "criteria": [], "version": %d}`, v)},
			{http.MethodDelete, base + "?version=" + apiID(v), ""},
			{http.MethodPut, base + "/candidates", fmt.Sprintf(`{"support_ids": [], "version": %d}`, v)},
			{http.MethodPut, base + "/groups", fmt.Sprintf(`{"group_ids": [], "version": %d}`, v)},
			{http.MethodPost, base + "/open", fmt.Sprintf(`{"version": %d}`, v)},
			{http.MethodPost, base + "/close", fmt.Sprintf(`{"version": %d}`, v)},
			{http.MethodPost, base + "/reopen", fmt.Sprintf(`{"version": %d, "deadline": "2043-01-01"}`, v)},
			{http.MethodPut, base + "/proposal", `[]`},
			{http.MethodPost, base + "/case", fmt.Sprintf(`{"version": %d}`, v)},
		}
		for _, user := range []string{"revisor", "ledning", "enhet", "utvecklare"} {
			for _, w := range writes {
				if p := s.call(t, user, w.method, w.path, w.body, http.StatusForbidden); apiNum(t, p, "status") != http.StatusForbidden {
					t.Fatalf("%s %s as %s: %v", w.method, w.path, user, p)
				}
			}
		}
		for _, w := range writes {
			s.call(t, "", w.method, w.path, w.body, http.StatusUnauthorized)
		}
		decision := fmt.Sprintf(`{"decided_on": "2042-01-01", "text": "x", "outcomes": [], "version": %d}`, v)
		for _, user := range []string{"revisor", "enhet", "utvecklare"} {
			s.call(t, user, http.MethodPost, base+"/decision", decision, http.StatusForbidden)
		}
		// Ledning may decide: the draft round is refused by the domain, not by the role.
		apiProblemAt(t, s.call(t, "ledning", http.MethodPost, base+"/decision", decision, http.StatusUnprocessableEntity), "path.id", "")
		if got := s.call(t, "revisor", http.MethodGet, base, "", http.StatusOK); apiNum(t, got, "version") != v || got["status"] != "draft" {
			t.Fatalf("after refused writes: %v", got)
		}
	})
}

func TestAPI_SheetBodyLimit(t *testing.T) {
	t.Parallel()
	dbtest.EachSeeded(t, pgDemoKey, pgSeedDemo, func(t *testing.T, d *db.DB) {
		s := newAPISite(t, d)
		ar := s.draftRound(t, 2043)
		huge := `{"scores": [{"criterion_id": 1, "comment": "` + strings.Repeat("x", 2<<20) + `"}], "version": 0}`
		s.call(t, "utvecklare", http.MethodPut, ar.sheetPath(ar.diabetes, ar.candidates[0]), huge, http.StatusRequestEntityTooLarge)
	})
}

func TestAPI_OpenAPIDocumentListsRoundOperations(t *testing.T) {
	t.Parallel()
	s := newAPISite(t, dbtest.OpenSeeded(t, db.SQLite, pgDemoKey, pgSeedDemo))
	doc := s.call(t, "", http.MethodGet, "/openapi.json", "", http.StatusOK)
	paths := apiObj(t, doc, "paths")
	const rounds = "/api/v1/prioritisation-rounds"
	want := map[string][]string{
		rounds:                                      {"get", "post"},
		rounds + "/{id}":                            {"get", "put", "delete"},
		rounds + "/{id}/candidates":                 {"get", "put"},
		rounds + "/{id}/groups":                     {"get", "put"},
		rounds + "/{id}/open":                       {"post"},
		rounds + "/{id}/close":                      {"post"},
		rounds + "/{id}/reopen":                     {"post"},
		rounds + "/{id}/sheets":                     {"get"},
		rounds + "/{id}/sheets/{group}/{candidate}": {"get", "put"},
		rounds + "/{id}/results":                    {"get"},
		rounds + "/{id}/proposal":                   {"put"},
		rounds + "/{id}/case":                       {"post"},
		rounds + "/{id}/decision":                   {"post"},
		"/api/v1/time-plan":                         {"get"},
	}
	ids := map[string]bool{}
	for path, methods := range want {
		item, ok := paths[path].(map[string]any)
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
			desc, _ := op["description"].(string)
			id, _ := op["operationId"].(string)
			if op["summary"] == "" || !strings.Contains(desc, "Permission:") || len(tags) != 1 || tags[0] != "Prioritisation" || id == "" || ids[id] {
				t.Errorf("%s %s: %v", m, path, op)
			}
			ids[id] = true
		}
	}
	if len(ids) != 20 {
		t.Errorf("%d operations, want 20", len(ids))
	}
}
