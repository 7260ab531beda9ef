package org_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// The -update flag rewrites the golden files in testdata. Other test files of
// this package may declare it too; whichever is initialised first wins.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// reportSite is the report pages, exports and API behind a real HTTP server.
// The X-Test-User header names who asks: "revisor" (an auditor, who may read
// everything) or nobody.
type reportSite struct {
	srv *httptest.Server
}

func newReportSite(t *testing.T, d *db.DB) *reportSite {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ws, err := web.NewServer(web.Config{Version: "test"}, slog.New(slog.DiscardHandler), cat, scs.New())
	if err != nil {
		t.Fatal(err)
	}
	if err := org.RegisterReports(ws, api.New(ws, "test"), newService(d)); err != nil {
		t.Fatal(err)
	}
	asPerson := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Test-User") == "revisor" {
				r = r.WithContext(access.With(r.Context(), access.Principal{UserID: 2, Username: "revisor", Name: "Rut Revisor", Roles: []access.Role{access.Auditor}}))
			}
			next.ServeHTTP(w, r)
		})
	}
	srv := httptest.NewServer(ws.Handler(asPerson))
	t.Cleanup(srv.Close)
	return &reportSite{srv: srv}
}

func (s *reportSite) get(t *testing.T, person, path string) (*http.Response, []byte) {
	t.Helper()
	return s.getIn(t, person, path, "")
}

// getIn fetches path as person in the language lang ("" for the default).
func (s *reportSite) getIn(t *testing.T, person, path, lang string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if person != "" {
		req.Header.Set("X-Test-User", person)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
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
	return res, b
}

func wantContains(t *testing.T, what, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("%s does not contain %q", what, p)
		}
	}
}

func TestReportPages_AccessibleTablesAndFilterErrors(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		seedCost(t, d)
		s := newReportSite(t, d)
		pages := []struct {
			path  string
			parts []string
		}{
			{"/organisation/rapporter/kostnad?year=2026", []string{"<h1>Kostnad för deltagande</h1>", "<caption>Kostnad per grupp 2026</caption>",
				`<th scope="col">Årsarbeten</th>`, `<th scope="row">Totalt</th>`, "980\u00a0336 kr", "0,60",
				`href="/organisation/rapporter/kostnad.csv?year=2026"`, `href="/organisation/rapporter/kostnad.xlsx?year=2026"`,
				`<a href="/organisation/rapporter/kostnad" aria-current="page">`}},
			{"/organisation/rapporter/representation", []string{"<h1>Representation</h1>", "<caption>Ledamöter per grupp",
				`<th scope="col">Universitetssjukhus</th>`, "Region Jämtland Härjedalen", "RPO Diabetes", "100,0 %"}},
			{"/organisation/rapporter/personberoende?level=region", []string{"<h1>Personberoende</h1>", "<caption>Nyckelroller i grupper utan ersättare</caption>",
				"Anna Andersson", `<option value="region" selected>`, `href="/organisation/rapporter/personberoende.csv?level=region"`}},
		}
		for _, p := range pages {
			res, body := s.get(t, "revisor", p.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d\n%s", p.path, res.StatusCode, body)
			}
			wantContains(t, p.path, string(body), p.parts...)
			if n := strings.Count(string(body), "<table>"); n != strings.Count(string(body), "<caption>") {
				t.Errorf("%s: %d tables but %d captions", p.path, n, strings.Count(string(body), "<caption>"))
			}
		}
		_, body := s.getIn(t, "revisor", "/organisation/rapporter/kostnad?year=2026", "en")
		wantContains(t, "English cost page", string(body), "<h1>Participation cost</h1>", "SEK 980,336", `<th scope="col">Full-time equivalents</th>`)
		_, body = s.getIn(t, "revisor", "/organisation/rapporter/kostnad.csv?year=2026", "en")
		wantContains(t, "English cost CSV", string(body), "\uFEFFLevel;Kind;Group;Memberships;People;Full-time equivalents;", "Healthcare region;RPO;RPO Diabetes;1;1;0,10;131068;")
		res, body := s.get(t, "revisor", "/organisation/rapporter/kostnad?year=tjugo&kind=club")
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad filter: %d", res.StatusCode)
		}
		wantContains(t, "bad filter page", string(body), `href="#f-year"`, `href="#f-kind"`, "Ange ett år mellan 2000 och 2100.", `aria-invalid="true"`)
		if strings.Contains(string(body), ".csv?") {
			t.Error("export links offered for an invalid filter")
		}
		for _, path := range []string{"/organisation/rapporter/kostnad.csv?year=1999", "/organisation/rapporter/representation.xlsx?level=x"} {
			if res, _ := s.get(t, "revisor", path); res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("GET %s: %d, want 422", path, res.StatusCode)
			}
		}
		if res, _ := s.get(t, "", "/organisation/rapporter/kostnad.csv"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/logga-in") {
			t.Errorf("anonymous export: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

func TestCostExport_CSVGoldenAndXLSXNumbers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		seedCost(t, d)
		s := newReportSite(t, d)
		res, body := s.get(t, "revisor", "/organisation/rapporter/kostnad.csv?year=2026")
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			res.Header.Get("Content-Disposition") != "attachment; filename=deltagandekostnad-2026.csv" {
			t.Fatalf("CSV: %d %v", res.StatusCode, res.Header)
		}
		path := filepath.Join("testdata", "report_cost_2026.csv.golden")
		if updateGolden() && d.Dialect() == db.SQLite {
			if err := os.WriteFile(path, body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), string(body)); diff != "" {
			t.Errorf("cost CSV (-want +got):\n%s", diff)
		}

		res, body = s.get(t, "revisor", "/organisation/rapporter/kostnad.xlsx?year=2026")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
			t.Fatalf("XLSX: %d %v", res.StatusCode, res.Header)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); !cmp.Equal(got, []string{"Per grupp 2026", "Per nivå 2026"}) {
			t.Fatalf("sheets %q", got)
		}
		raw := excelize.Options{RawCellValue: true}
		for cell, want := range map[string]string{"A1": "Nivå", "C2": "RPO Diabetes", "D2": "1", "J2": "165836", "A4": "Totalt", "J4": "980336", "G4": "781068"} {
			if got, _ := f.GetCellValue("Per grupp 2026", cell, raw); got != want {
				t.Errorf("%s = %q, want %q", cell, got, want)
			}
		}
		if typ, _ := f.GetCellType("Per grupp 2026", "J4"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("total is stored as %v, not a number", typ)
		}
	})
}

func TestReportAPI_ReturnsReportsAndNamesBadQueries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		seedCost(t, d)
		s := newReportSite(t, d)
		res, body := s.get(t, "revisor", "/api/v1/reports/participation-cost?year=2026&level=region")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("cost: %d %s", res.StatusCode, body)
		}
		var cost org.CostReport
		if err := json.Unmarshal(body, &cost); err != nil {
			t.Fatal(err)
		}
		if cost.Year != 2026 || cost.Total.Total != 814_500 || len(cost.Groups) != 1 || cost.Filter.Level != org.RegionalLevel {
			t.Errorf("cost report %+v", cost)
		}
		res, body = s.get(t, "revisor", "/api/v1/reports/participation-cost")
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"year":2026`) {
			t.Errorf("cost without year: %d %s", res.StatusCode, body)
		}
		for path, want := range map[string]string{
			"/api/v1/reports/representation":    `"unrepresented":[`,
			"/api/v1/reports/person-dependence": `"key_role_limit":3`,
		} {
			res, body := s.get(t, "revisor", path)
			if res.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
				t.Errorf("GET %s: %d %s", path, res.StatusCode, body)
			}
		}
		res, body = s.get(t, "revisor", "/api/v1/reports/participation-cost?year=1999")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"location":"query.year"`) {
			t.Errorf("year 1999: %d %s", res.StatusCode, body)
		}
		if res, _ := s.get(t, "revisor", "/api/v1/reports/representation?level=galactic"); res.StatusCode != http.StatusBadRequest {
			t.Errorf("unknown level: %d, want 400", res.StatusCode)
		}
		if res, _ := s.get(t, "", "/api/v1/reports/person-dependence"); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous: %d, want 401", res.StatusCode)
		}
	})
}

// TestReportCatalog_EveryKeyExists fails when a report template, or a label
// the reports build from a value (level, kind of group or unit, role), has no
// message in a language.
func TestReportCatalog_EveryKeyExists(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := i18n.TemplateKeys(org.Templates(), "templates/report_*.html")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 50 {
		t.Fatalf("only %d keys found in the report templates", len(keys))
	}
	for _, l := range org.Levels {
		keys["org.report.level."+string(l)] = nil
	}
	for _, k := range org.GroupKinds {
		keys["org.report.group_kind."+string(k)] = nil
	}
	for _, k := range org.UnitKinds {
		keys["org.unit_kind."+string(k)] = nil
	}
	for _, r := range org.Roles {
		keys["org.role."+string(r)] = nil
	}
	for _, k := range []string{"org.report.year_range", "org.sek", "org.report.percent", "org.report.represents_none",
		"org.report.representation.file", "org.report.cost.file", "org.report.dependence.file", "org.report.dependence.sheet",
		"org.report.representation.sheet_groups", "org.report.representation.sheet_levels", "org.report.representation.sheet_regions",
		"org.report.representation.sheet_unrepresented", "org.report.cost.sheet_groups", "org.report.cost.sheet_levels",
		"org.report.col.finding", "org.report.col.start", "org.report.col.end"} {
		keys[k] = nil
	}
	for key, files := range keys {
		for _, loc := range i18n.Supported() {
			if !cat.Has(loc, key) {
				t.Errorf("key %q (used in %v) is missing in %s", key, files, loc)
			}
		}
	}
}
