package org

import (
	"context"
	"fmt"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// prefixed qualifies a column list with a table alias: "id, name" → "p.id, p.name".
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// membersOf lists a group's memberships with their people, in one query.
func membersOf(ctx context.Context, q db.Querier, groupID int64) ([]Membership, []Person, error) {
	type row struct {
		m Membership
		p Person
	}
	rows, err := db.All(ctx, q, func(s db.Scanner) (row, error) {
		var mr membershipRow
		var pr personRow
		err := s.Scan(append(mr.dest(), pr.dest()...)...)
		return row{mr.value(), pr.value()}, err
	}, `SELECT `+prefixed("m", membershipColumns)+`, `+prefixed("p", personColumns)+`
		FROM memberships m JOIN people p ON p.id = m.person_id
		WHERE m.group_id = ? ORDER BY m.start_date DESC, m.id`, groupID)
	if err != nil {
		return nil, nil, fmt.Errorf("members of group %d: %w", groupID, err)
	}
	ms, ps := make([]Membership, len(rows)), make([]Person, len(rows))
	for i, r := range rows {
		ms[i], ps[i] = r.m, r.p
	}
	return ms, ps, nil
}

// rolesOf lists a person's memberships with their groups, in one query.
func rolesOf(ctx context.Context, q db.Querier, personID int64) ([]Membership, []Group, error) {
	type row struct {
		m Membership
		g Group
	}
	rows, err := db.All(ctx, q, func(s db.Scanner) (row, error) {
		var mr membershipRow
		var gr groupRow
		err := s.Scan(append(mr.dest(), gr.dest()...)...)
		return row{mr.value(), gr.value()}, err
	}, `SELECT `+prefixed("m", membershipColumns)+`, `+prefixed("g", groupColumns)+`
		FROM memberships m JOIN org_groups g ON g.id = m.group_id
		WHERE m.person_id = ? ORDER BY m.start_date DESC, m.id`, personID)
	if err != nil {
		return nil, nil, fmt.Errorf("roles of person %d: %w", personID, err)
	}
	ms, gs := make([]Membership, len(rows)), make([]Group, len(rows))
	for i, r := range rows {
		ms[i], gs[i] = r.m, r.g
	}
	return ms, gs, nil
}
