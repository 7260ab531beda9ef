package org

import (
	"context"
	"fmt"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// UnitFilter narrows a listing of units; zero fields do not filter.
type UnitFilter struct {
	Level    UnitLevel
	Kind     UnitKind
	ParentID int64 // direct sub-units of this unit
	Query    string
}

// Paging asks for one page of a list ordered by id: the rows after After, at
// most Limit of them.
type Paging struct {
	After int64
	Limit int
}

// limit is the page size, kept within 1–1000.
func (p Paging) limit() int {
	if p.Limit <= 0 || p.Limit > 1000 {
		return 50
	}
	return p.Limit
}

// UnitsMatching lists the units matching f, by name.
func (s *Service) UnitsMatching(ctx context.Context, f UnitFilter) ([]Unit, error) {
	return listUnitsMatching(ctx, s.db, f)
}

// PeoplePage lists one page of the people matching f, by id, and the id to
// continue after (0 on the last page).
func (s *Service) PeoplePage(ctx context.Context, f PersonFilter, p Paging) ([]Person, int64, error) {
	return listPeoplePage(ctx, s.db, f, p)
}

// MembershipsPage lists one page of the memberships matching f, by id, and the
// id to continue after (0 on the last page).
func (s *Service) MembershipsPage(ctx context.Context, f MembershipFilter, p Paging) ([]Membership, int64, error) {
	return listMembershipsPage(ctx, s.db, f, p)
}

// folded is a column lower-cased on both engines, Swedish letters included:
// SQLite's LOWER, and PostgreSQL's in the C locale, change only A–Z.
func folded(column string) string {
	return `REPLACE(REPLACE(REPLACE(REPLACE(LOWER(` + column + `), 'Å', 'å'), 'Ä', 'ä'), 'Ö', 'ö'), 'É', 'é')`
}

// matchAny is a condition that some of columns contains the search text,
// case-insensitively, with its argument.
func matchAny(query string, columns ...string) (string, []any) {
	conds := make([]string, len(columns))
	args := make([]any, len(columns))
	for i, c := range columns {
		conds[i], args[i] = folded(c)+` LIKE ? ESCAPE '\'`, db.Like(query)
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// filtered is query with the conditions joined by AND.
func filtered(query string, where []string) string {
	if len(where) == 0 {
		return query
	}
	return query + " WHERE " + strings.Join(where, " AND ")
}

func listUnitsMatching(ctx context.Context, q db.Querier, f UnitFilter) ([]Unit, error) {
	var where []string
	var args []any
	if f.Level != "" {
		where, args = append(where, "level = ?"), append(args, f.Level)
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.ParentID != 0 {
		where, args = append(where, "parent_id = ?"), append(args, f.ParentID)
	}
	if strings.TrimSpace(f.Query) != "" {
		cond, a := matchAny(f.Query, "name", "hsa_id")
		where, args = append(where, cond), append(args, a...)
	}
	units, err := db.All(ctx, q, scanUnit, filtered(`SELECT `+unitColumns+` FROM units`, where)+` ORDER BY name, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list units %+v: %w", f, err)
	}
	return units, nil
}

func listPeoplePage(ctx context.Context, q db.Querier, f PersonFilter, p Paging) ([]Person, int64, error) {
	var where []string
	var args []any
	if strings.TrimSpace(f.Query) != "" {
		cond, a := matchAny(f.Query, "name", "title", "email", "hsa_id")
		where, args = append(where, cond), append(args, a...)
	}
	if f.UnitID != 0 {
		where, args = append(where, "unit_id = ?"), append(args, f.UnitID)
	}
	if p.After > 0 {
		where, args = append(where, "id > ?"), append(args, p.After)
	}
	n := p.limit()
	query := filtered(`SELECT `+personColumns+` FROM people`, where) + fmt.Sprintf(` ORDER BY id LIMIT %d`, n+1)
	people, err := db.All(ctx, q, scanPerson, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list people %+v after %d: %w", f, p.After, err)
	}
	people, next := cut(people, n, func(x Person) int64 { return x.ID })
	return people, next, nil
}

func listMembershipsPage(ctx context.Context, q db.Querier, f MembershipFilter, p Paging) ([]Membership, int64, error) {
	var where []string
	var args []any
	if f.GroupID != 0 {
		where, args = append(where, "group_id = ?"), append(args, f.GroupID)
	}
	if f.PersonID != 0 {
		where, args = append(where, "person_id = ?"), append(args, f.PersonID)
	}
	if !f.ActiveOn.IsZero() {
		where = append(where, "start_date <= ? AND (end_date IS NULL OR end_date >= ?)")
		args = append(args, f.ActiveOn, f.ActiveOn)
	}
	if p.After > 0 {
		where, args = append(where, "id > ?"), append(args, p.After)
	}
	n := p.limit()
	query := filtered(`SELECT `+membershipColumns+` FROM memberships`, where) + fmt.Sprintf(` ORDER BY id LIMIT %d`, n+1)
	ms, err := db.All(ctx, q, scanMembership, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list memberships %+v after %d: %w", f, p.After, err)
	}
	ms, next := cut(ms, n, func(m Membership) int64 { return m.ID })
	return ms, next, nil
}

// cut keeps the first n rows of a query that asked for n+1; when there were
// more it returns the id of the last row kept, to continue after.
func cut[T any](rows []T, n int, idOf func(T) int64) ([]T, int64) {
	if len(rows) <= n {
		return rows, 0
	}
	rows = rows[:n]
	return rows, idOf(rows[n-1])
}
