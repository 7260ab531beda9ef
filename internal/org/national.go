package org

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// NationalKinds are the kinds of national group the national structure page
// lists, in the order it lists them.
var NationalKinds = []GroupKind{NPO, NSG, PrimaryCareCouncil}

// NationalRow is one national group and who represents the home region and
// the home sjukvårdsregion in it today.
type NationalRow struct {
	Group      Group        `json:"group"`
	Host       string       `json:"host,omitempty" doc:"Name of the sjukvårdsregion that hosts the group (NPO)"`
	Region     []MemberView `json:"region" doc:"Current members representing the home region"`
	Healthcare []MemberView `json:"healthcare_region" doc:"Current members representing the home sjukvårdsregion or a region in it"`
	Vacancies  int          `json:"vacancies"`
}

// NationalStructure is every national group (NPO, NSG, the national
// primary-care council) with the home region's and home sjukvårdsregion's
// representatives.
type NationalStructure struct {
	HomeRegion           Region           `json:"home_region"`
	HomeHealthcareRegion HealthcareRegion `json:"home_healthcare_region"`
	Rows                 []NationalRow    `json:"rows"`
}

// NationalStructure gathers the national structure as of today in four
// queries, however many groups and members there are.
func (s *Service) NationalStructure(ctx context.Context) (NationalStructure, error) {
	st, err := findSettings(ctx, s.db)
	if err != nil {
		return NationalStructure{}, err
	}
	var ns NationalStructure
	if ns.HomeRegion, ns.HomeHealthcareRegion, err = findHomeRegion(ctx, s.db, st.HomeRegion); err != nil {
		return NationalStructure{}, err
	}
	groups, hosts, err := listNationalGroups(ctx, s.db)
	if err != nil {
		return NationalStructure{}, err
	}
	today := s.Today()
	members, err := listNationalMembers(ctx, s.db, today)
	if err != nil {
		return NationalStructure{}, err
	}
	rows := make(map[int64]*NationalRow, len(groups))
	ns.Rows = make([]NationalRow, len(groups))
	for i, g := range groups {
		ns.Rows[i] = NationalRow{Group: g, Host: hosts[i]}
		rows[g.ID] = &ns.Rows[i]
	}
	seated := map[int64]int{}
	for _, nm := range members {
		m := nm.view.Membership
		row := rows[m.GroupID]
		if row == nil {
			continue
		}
		nm.view.Group = row.Group
		if occupiesSeat(m.Role) {
			seated[m.GroupID]++
		}
		if m.RepresentsRegion == ns.HomeRegion.Code {
			row.Region = append(row.Region, nm.view)
		}
		if m.RepresentsHealthcareRegion == ns.HomeHealthcareRegion.Code || nm.regionHealthcare == ns.HomeHealthcareRegion.Code {
			row.Healthcare = append(row.Healthcare, nm.view)
		}
	}
	for i := range ns.Rows {
		r := &ns.Rows[i]
		r.Vacancies = max(0, r.Group.Seats-seated[r.Group.ID])
		sortMembers(r.Region)
		sortMembers(r.Healthcare)
	}
	return ns, nil
}

// findHomeRegion returns the home region and its sjukvårdsregion.
func findHomeRegion(ctx context.Context, q db.Querier, code string) (Region, HealthcareRegion, error) {
	type pair struct {
		r Region
		h HealthcareRegion
	}
	p, err := db.One(ctx, q, func(s db.Scanner) (pair, error) {
		var p pair
		err := s.Scan(&p.r.Code, &p.r.Name, &p.r.HealthcareRegion, &p.r.CountyCode, &p.h.Code, &p.h.Name)
		return p, err
	}, `SELECT r.code, r.name, r.healthcare_region, r.county_code, h.code, h.name
		FROM regions r JOIN healthcare_regions h ON h.code = r.healthcare_region
		WHERE r.code = ?`, code)
	if err != nil {
		return Region{}, HealthcareRegion{}, fmt.Errorf("home region %s: %w", code, err)
	}
	return p.r, p.h, nil
}

// nationalKindArgs are the SQL parameters and arguments selecting the national
// kinds: "?, ?, ?" and npo, nsg, primary_care_council.
func nationalKindArgs() (string, []any) {
	marks, args := "", make([]any, len(NationalKinds))
	for i, k := range NationalKinds {
		if i > 0 {
			marks += ", "
		}
		marks += "?"
		args[i] = k
	}
	return marks, args
}

// listNationalGroups lists the national groups with the names of their hosts,
// NPO first, then NSG, then the council, each by name.
func listNationalGroups(ctx context.Context, q db.Querier) ([]Group, []string, error) {
	type row struct {
		g    Group
		host string
	}
	marks, args := nationalKindArgs()
	rows, err := db.All(ctx, q, func(s db.Scanner) (row, error) {
		var gr groupRow
		var host sql.NullString
		err := s.Scan(append(gr.dest(), &host)...)
		return row{gr.value(), host.String}, err
	}, `SELECT `+prefixed("g", groupColumns)+`, h.name
		FROM org_groups g LEFT JOIN healthcare_regions h ON h.code = g.host_region
		WHERE g.level = ? AND g.kind IN (`+marks+`)
		ORDER BY CASE g.kind WHEN 'npo' THEN 0 WHEN 'nsg' THEN 1 ELSE 2 END, g.name, g.id`,
		append([]any{National}, args...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("national groups: %w", err)
	}
	gs, hosts := make([]Group, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		gs[i], hosts[i] = r.g, r.host
	}
	return gs, hosts, nil
}

// nationalMember is a current member of a national group with the
// sjukvårdsregion of the region they represent.
type nationalMember struct {
	view             MemberView
	regionHealthcare string
}

// listNationalMembers lists the members of national groups on day d, with
// their people, in one query.
func listNationalMembers(ctx context.Context, q db.Querier, d date.Date) ([]nationalMember, error) {
	marks, args := nationalKindArgs()
	args = append(append([]any{National}, args...), d, d)
	ms, err := db.All(ctx, q, func(s db.Scanner) (nationalMember, error) {
		var mr membershipRow
		var pr personRow
		var hr sql.NullString
		err := s.Scan(append(append(mr.dest(), pr.dest()...), &hr)...)
		return nationalMember{view: MemberView{Membership: mr.value(), Person: pr.value(), Current: true}, regionHealthcare: hr.String}, err
	}, `SELECT `+prefixed("m", membershipColumns)+`, `+prefixed("p", personColumns)+`, r.healthcare_region
		FROM memberships m
		JOIN org_groups g ON g.id = m.group_id
		JOIN people p ON p.id = m.person_id
		LEFT JOIN regions r ON r.code = m.represents_region
		WHERE g.level = ? AND g.kind IN (`+marks+`)
			AND m.start_date <= ? AND (m.end_date IS NULL OR m.end_date >= ?)
		ORDER BY p.name, m.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("national members: %w", err)
	}
	return ms, nil
}
