package implement_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// wsWantField fails unless err is a validation error with key at field name.
func wsWantField(t *testing.T, err error, name, key string) {
	t.Helper()
	v, ok := errs.AsValidation(err)
	if !ok {
		t.Fatalf("got %v, want a validation error %s at %s", err, key, name)
	}
	if !slices.ContainsFunc(v.Fields, func(f errs.Field) bool { return f.Name == name && f.Key == key }) {
		t.Fatalf("got problems %+v, want %s at %s", v.Fields, key, name)
	}
}

// wsWantErr fails unless err is target.
func wsWantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got %v, want %v", err, target)
	}
}

// wsExec runs a statement the services have no use case for yet (such as
// settling checklist items in a test of the gate).
func wsExec(t *testing.T, d *db.DB, query string, args ...any) {
	t.Helper()
	if _, err := d.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatal(err)
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
