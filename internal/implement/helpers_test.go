package implement_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// want fails unless the answer has status and holds each of texts
// ("!text": lacks it).
func want(t testing.TB, what string, res *http.Response, body string, status int, texts ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, body)
	}
	for _, x := range texts {
		if not, ok := strings.CutPrefix(x, "!"); ok {
			lacks(t, what, body, not)
		} else if !strings.Contains(body, x) {
			t.Errorf("%s: the answer lacks %q\n%s", what, x, body)
		}
	}
}

// lacks fails if body holds any of texts.
func lacks(t testing.TB, what, body string, texts ...string) {
	t.Helper()
	for _, x := range texts {
		if strings.Contains(body, x) {
			t.Errorf("%s: the answer holds %q", what, x)
		}
	}
}

// wantField fails unless err is a validation error with key at field name.
func wantField(t testing.TB, err error, name, key string) {
	t.Helper()
	v, ok := errs.AsValidation(err)
	if !ok {
		t.Fatalf("got %v, want a validation error %s at %s", err, key, name)
	}
	if !slices.ContainsFunc(v.Fields, func(f errs.Field) bool { return f.Name == name && f.Key == key }) {
		t.Fatalf("got problems %+v, want %s at %s", v.Fields, key, name)
	}
}

// wantErr fails unless err is target.
func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got %v, want %v", err, target)
	}
}

// problemLocations lists the locations of an API problem's field errors,
// sorted.
func problemLocations(p map[string]any) []string {
	var out []string
	list, _ := p["errors"].([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m["location"].(string))
		}
	}
	slices.Sort(out)
	return out
}

// exec runs a statement the services have no use case for (such as
// settling checklist items in a test of the gate).
func exec(t testing.TB, d *db.DB, query string, args ...any) {
	t.Helper()
	if _, err := d.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatal(err)
	}
}

// count counts rows.
func count(t testing.TB, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// planGap writes a gap analysis of rec in implementation m directly, as the
// gap form would.
func (e *env) planGap(t *testing.T, m implement.Implementation, rec int64, size implement.GapSize) int64 {
	t.Helper()
	return insert(t, e.d, `INSERT INTO gap_analyses (implementation_id, recommendation_id, template_id, gap, crowding_out, answers,
		updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '{}', 'test', ?, ?) RETURNING id`,
		m.ID, rec, m.TemplateID, string(size), false, start, start)
}

// planAction is a valid action of m.
func planAction(m implement.Implementation, title string) implement.Action {
	return implement.Action{ImplementationID: m.ID, Title: title, Start: day("2026-09-01"), Due: day("2026-10-01"),
		Status: implement.ActionPlanned, EffortHours: 10}
}

// planSettle marks every item of m's checklist done, as the lead.
func (e *env) planSettle(t *testing.T, m implement.Implementation) {
	t.Helper()
	items := must(e.svc.Checklist(e.leadCtx, m.ID))(t)
	for _, it := range items {
		if it.State == implement.ItemOpen {
			must(e.svc.SetItem(e.leadCtx, implement.ItemEdit{ImplementationID: m.ID, ID: it.ID, State: implement.ItemDone, Version: it.Version}))(t)
		}
	}
}

// wsDecided adds a support decided for introduction, as the coordinator.
func (e *env) wsDecided(t *testing.T, title string, municipalities bool) int64 {
	t.Helper()
	sp := must(e.catalog.CreateSupport(e.coordinator, catalog.Support{Kind: catalog.LocalRoutine, Title: title,
		Status: catalog.Decided, ConcernsMunicipalities: municipalities}))(t)
	return sp.ID
}

// wsMunicipality is the code of a municipality of the home region.
func (e *env) wsMunicipality(t *testing.T) string {
	t.Helper()
	var code string
	err := e.d.QueryRowContext(context.Background(), `SELECT m.code FROM municipalities m JOIN org_settings s ON s.home_region = m.region
		WHERE s.id = 1 ORDER BY m.code LIMIT 1`).Scan(&code)
	if err != nil {
		t.Fatal(err)
	}
	return code
}
