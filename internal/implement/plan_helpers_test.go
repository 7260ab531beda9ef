package implement_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

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

// planWantField fails unless err is a validation error with key at name.
func planWantField(t *testing.T, err error, name, key string) {
	t.Helper()
	v, ok := errs.AsValidation(err)
	if !ok {
		t.Fatalf("got %v, want a validation error %s at %s", err, key, name)
	}
	if !slices.ContainsFunc(v.Fields, func(f errs.Field) bool { return f.Name == name && f.Key == key }) {
		t.Fatalf("got problems %+v, want %s at %s", v.Fields, key, name)
	}
}

// planWantErr fails unless err is target.
func planWantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got %v, want %v", err, target)
	}
}

// planCount counts rows.
func planCount(t *testing.T, e *env, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
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
