package org

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// The reports' SQL. Every report is a few set-based queries (joins, GROUP BY,
// NOT EXISTS) whose number does not grow with the data; Go only sums their
// rows per level. The big aggregations read memberships from the covering
// indexes of migration 4 and name their join order with CROSS JOIN ("a CROSS
// JOIN b WHERE b.x = a.y"): SQLite then always loops over a and looks b up by
// key, whatever its statistics say, while PostgreSQL plans a CROSS JOIN with a
// WHERE like any inner join.

// Fragments shared by the report queries. A membership m is active on a day
// when it has started and not ended; it holds a seat unless it is a deputy,
// secretary or co-opted member.
const (
	reportActive   = `m.start_date <= ? AND (m.end_date IS NULL OR m.end_date >= ?)`
	reportSeat     = `m.role NOT IN ('deputy', 'secretary', 'co_opted')`
	reportKeyRole  = `m.role IN ('chair', 'process_leader', 'coordinator')`
	reportHomeKind = `COALESCE(u.kind, NULLIF(p.workplace_kind, ''), 'other')`
	reportGroupRef = `g.id, g.kind, g.level, COALESCE(g.code, ''), g.name, g.name_en`
)

// reportWhere is the filter as SQL conditions on the group g, each starting
// with AND, and their arguments.
func reportWhere(f ReportFilter) (string, []any) {
	var b strings.Builder
	var args []any
	if f.Level != "" {
		b.WriteString(" AND g.level = ?")
		args = append(args, f.Level)
	}
	if f.Kind != "" {
		b.WriteString(" AND g.kind = ?")
		args = append(args, f.Kind)
	}
	return b.String(), args
}

// reportGroupJoin joins the group of membership m when the filter needs it.
func reportGroupJoin(where string) string {
	if where == "" {
		return ""
	}
	return " CROSS JOIN org_groups g"
}

// reportGroupMatch is the join condition of reportGroupJoin.
func reportGroupMatch(where string) string {
	if where == "" {
		return ""
	}
	return "g.id = m.group_id AND "
}

// reportArgs joins argument lists in the order their ? parameters appear.
func reportArgs(lists ...[]any) []any { return slices.Concat(lists...) }

func scanGroupRef(g *GroupRef) []any {
	return []any{&g.ID, &g.Kind, &g.Level, &g.Code, &g.Name, &g.NameEn}
}

// representationByKind counts each group's current members by kind of home
// unit, and how many of them represent the home region. The members are
// counted per group id first and the groups joined after, which keeps the
// grouping narrow.
func representationByKind(ctx context.Context, q db.Querier, home string, day date.Date, f ReportFilter) ([]kindRow, error) {
	where, fargs := reportWhere(f)
	rows, err := db.All(ctx, q, func(s db.Scanner) (kindRow, error) {
		var r kindRow
		err := s.Scan(append(scanGroupRef(&r.group), &r.kind, &r.members, &r.homeMembers)...)
		return r, err
	}, `SELECT `+reportGroupRef+`, a.home_kind, a.members, a.home_members
		FROM (
			SELECT m.group_id, `+reportHomeKind+` AS home_kind, COUNT(*) AS members,
				SUM(CASE WHEN m.represents_region = ? THEN 1 ELSE 0 END) AS home_members
			FROM people p
			LEFT JOIN units u ON u.id = p.unit_id
			CROSS JOIN memberships m
			WHERE m.person_id = p.id AND `+reportActive+` AND `+reportSeat+`
			GROUP BY m.group_id, `+reportHomeKind+`
		) a
		JOIN org_groups g ON g.id = a.group_id
		WHERE 1 = 1`+where,
		reportArgs([]any{home, day, day}, fargs)...)
	if err != nil {
		return nil, fmt.Errorf("representation by kind of unit: %w", err)
	}
	return rows, nil
}

// representationByRegion counts each group's current members by the region
// or sjukvårdsregion they represent.
func representationByRegion(ctx context.Context, q db.Querier, day date.Date, f ReportFilter) ([]regionRow, error) {
	where, fargs := reportWhere(f)
	rows, err := db.All(ctx, q, func(s db.Scanner) (regionRow, error) {
		var r regionRow
		c := &r.count
		err := s.Scan(&r.groupID, &c.Type, &c.Code, &c.Name, &c.Members)
		return r, err
	}, `SELECT a.group_id,
			CASE WHEN a.region IS NOT NULL THEN 'region'
				WHEN a.healthcare_region IS NOT NULL THEN 'healthcare_region'
				ELSE 'none' END,
			COALESCE(a.region, a.healthcare_region, ''),
			COALESCE(r.name, h.name, ''),
			a.members
		FROM (
			SELECT m.group_id, m.represents_region AS region, m.represents_healthcare_region AS healthcare_region, COUNT(*) AS members
			FROM memberships m
			WHERE `+reportActive+` AND `+reportSeat+`
			GROUP BY m.group_id, m.represents_region, m.represents_healthcare_region
		) a
		JOIN org_groups g ON g.id = a.group_id
		LEFT JOIN regions r ON r.code = a.region
		LEFT JOIN healthcare_regions h ON h.code = a.healthcare_region
		WHERE 1 = 1`+where,
		reportArgs([]any{day, day}, fargs)...)
	if err != nil {
		return nil, fmt.Errorf("representation by region: %w", err)
	}
	return mergeRepresented(rows), nil
}

// mergeRepresented adds up the counts of a group that name the same region
// (members who represent a region, some also naming its sjukvårdsregion).
func mergeRepresented(rows []regionRow) []regionRow {
	type key struct {
		group     int64
		typ, code string
	}
	index := map[key]int{}
	out := rows[:0]
	for _, r := range rows {
		k := key{r.groupID, r.count.Type, r.count.Code}
		if i, ok := index[k]; ok {
			out[i].count.Members += r.count.Members
			continue
		}
		index[k] = len(out)
		out = append(out, r)
	}
	return out
}

// unrepresentedNational lists the national groups in which no current member
// represents the home region.
func unrepresentedNational(ctx context.Context, q db.Querier, home string, day date.Date, f ReportFilter) ([]GroupRef, error) {
	where, fargs := reportWhere(f)
	kinds := make([]any, len(NationalKinds))
	for i, k := range NationalKinds {
		kinds[i] = k
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(kinds)), ", ")
	groups, err := db.All(ctx, q, func(s db.Scanner) (GroupRef, error) {
		var g GroupRef
		return g, s.Scan(scanGroupRef(&g)...)
	}, `SELECT `+reportGroupRef+`
		FROM org_groups g
		WHERE g.level = ? AND g.kind IN (`+marks+`)
			AND NOT EXISTS (
				SELECT 1 FROM memberships m
				WHERE m.group_id = g.id AND m.represents_region = ? AND `+reportActive+` AND `+reportSeat+`
			)`+where,
		reportArgs([]any{National}, kinds, []any{home, day, day}, fargs)...)
	if err != nil {
		return nil, fmt.Errorf("national groups without the home region: %w", err)
	}
	sortByGroup(groups, func(g GroupRef) GroupRef { return g })
	return groups, nil
}

// reportDaysActive is the number of days membership m is active in a period
// from first to last; its ? parameters take reportDaysArgs. A membership
// covering the whole period, the common case, skips the date arithmetic.
func reportDaysActive(d db.Dialect) string {
	days := `CAST(julianday(MIN(COALESCE(m.end_date, ?), ?)) - julianday(MAX(m.start_date, ?)) + 1 AS INTEGER)`
	if d == db.Postgres {
		days = `(LEAST(COALESCE(m.end_date, ?), ?) - GREATEST(m.start_date, ?) + 1)`
	}
	return `CASE WHEN m.start_date <= ? AND (m.end_date IS NULL OR m.end_date >= ?) THEN ? ELSE ` + days + ` END`
}

// reportDaysArgs are the arguments of reportDaysActive.
func reportDaysArgs(first, last date.Date) []any {
	return []any{first, last, int(last.Time().Sub(first.Time()).Hours()/24) + 1, last, last, first}
}

// reportDayAfter is the day after the date column col.
func reportDayAfter(d db.Dialect, col string) string {
	if d == db.Postgres {
		return col + ` + 1`
	}
	return `date(` + col + `, '+1 day')`
}

// costRows sums, per group matching f, the memberships active at some time in
// year: their share × days in the year, and their people split over each
// person's memberships of the year (so travel, counted once per person, adds
// up over groups).
func costRows(ctx context.Context, q db.Querier, year int, f ReportFilter) ([]costRow, error) {
	first, last := date.New(year, 1, 1), date.New(year, 12, 31)
	where, fargs := reportWhere(f)
	rows, err := db.All(ctx, q, func(s db.Scanner) (costRow, error) {
		var r costRow
		err := s.Scan(append(scanGroupRef(&r.group), &r.memberships, &r.people, &r.bpDays, &r.travelShare)...)
		return r, err
	}, `SELECT `+reportGroupRef+`, a.memberships, a.people, a.bp_days, a.travel_share
		FROM (
			SELECT m.group_id, COUNT(*) AS memberships, COUNT(DISTINCT m.person_id) AS people,
				CAST(SUM(m.share_bp * `+reportDaysActive(q.Dialect())+`) AS BIGINT) AS bp_days,
				CAST(SUM(1.0 / pp.n) AS DOUBLE PRECISION) AS travel_share
			FROM memberships m
			CROSS JOIN (
				SELECT m.person_id, COUNT(*) AS n FROM memberships m WHERE `+reportActive+` GROUP BY m.person_id
			) pp
			WHERE pp.person_id = m.person_id AND `+reportActive+`
			GROUP BY m.group_id
		) a
		JOIN org_groups g ON g.id = a.group_id
		WHERE 1 = 1`+where,
		reportArgs(reportDaysArgs(first, last), []any{last, first, last, first}, fargs)...)
	if err != nil {
		return nil, fmt.Errorf("participation cost %d: %w", year, err)
	}
	return rows, nil
}

// costPeople counts the different people with memberships of groups matching
// f active at some time in year, per level and in all ("").
func costPeople(ctx context.Context, q db.Querier, year int, f ReportFilter) (map[Level]int, error) {
	first, last := date.New(year, 1, 1), date.New(year, 12, 31)
	where, fargs := reportWhere(f)
	type levelPeople struct {
		level  Level
		people int
	}
	counts, err := db.All(ctx, q, func(s db.Scanner) (levelPeople, error) {
		var lp levelPeople
		return lp, s.Scan(&lp.level, &lp.people)
	}, `SELECT g.level, COUNT(DISTINCT m.person_id)
		FROM memberships m CROSS JOIN org_groups g
		WHERE g.id = m.group_id AND `+reportActive+where+`
		GROUP BY g.level
		UNION ALL
		SELECT '', COUNT(DISTINCT m.person_id)
		FROM memberships m`+reportGroupJoin(where)+`
		WHERE `+reportGroupMatch(where)+reportActive+where,
		reportArgs([]any{last, first}, fargs, []any{last, first}, fargs)...)
	if err != nil {
		return nil, fmt.Errorf("participation cost %d, people: %w", year, err)
	}
	people := make(map[Level]int, len(counts))
	for _, c := range counts {
		people[c.level] = c.people
	}
	return people, nil
}

// holderColumns and holderFrom select memberships as RoleHolders.
const (
	holderColumns = `m.id, ` + reportGroupRef + `, p.id, p.name, m.role, m.start_date, m.end_date`
	holderFrom    = ` FROM memberships m JOIN org_groups g ON g.id = m.group_id JOIN people p ON p.id = m.person_id `
)

func scanHolder(s db.Scanner) (RoleHolder, error) {
	var h RoleHolder
	err := s.Scan(append(append([]any{&h.MembershipID}, scanGroupRef(&h.Group)...), &h.PersonID, &h.PersonName, &h.Role, &h.Start, &h.End)...)
	return h, err
}

// roleOrderOf places roles in the order group pages list them.
func roleOrderOf(r Role) int {
	if n, ok := roleOrder[r]; ok {
		return n
	}
	return len(roleOrder)
}

// sortHolders orders role holders by group, then role, then person.
func sortHolders(hs []RoleHolder) {
	slices.SortStableFunc(hs, func(a, b RoleHolder) int {
		return strings.Compare(a.PersonName, b.PersonName)
	})
	slices.SortStableFunc(hs, func(a, b RoleHolder) int { return roleOrderOf(a.Role) - roleOrderOf(b.Role) })
	sortByGroup(hs, func(h RoleHolder) GroupRef { return h.Group })
}

// keyRolesWithoutDeputy lists current key roles in groups that have no
// current deputy.
func keyRolesWithoutDeputy(ctx context.Context, q db.Querier, day date.Date, f ReportFilter) ([]RoleHolder, error) {
	where, fargs := reportWhere(f)
	hs, err := db.All(ctx, q, scanHolder, `SELECT `+holderColumns+holderFrom+`
		WHERE `+reportActive+` AND `+reportKeyRole+`
			AND NOT EXISTS (
				SELECT 1 FROM memberships d
				WHERE d.group_id = m.group_id AND d.role = 'deputy'
					AND d.start_date <= ? AND (d.end_date IS NULL OR d.end_date >= ?)
			)`+where,
		reportArgs([]any{day, day, day, day}, fargs)...)
	if err != nil {
		return nil, fmt.Errorf("key roles without deputy: %w", err)
	}
	sortHolders(hs)
	return hs, nil
}

// singleRepresentatives lists the groups in which exactly one person holds a
// seat for the home region and no deputy represents it, with that person.
func singleRepresentatives(ctx context.Context, q db.Querier, home string, day date.Date, f ReportFilter) ([]RoleHolder, error) {
	where, fargs := reportWhere(f)
	hs, err := db.All(ctx, q, scanHolder, `SELECT `+holderColumns+holderFrom+`
		WHERE m.id IN (
				SELECT MIN(m.id) FROM memberships m
				WHERE m.represents_region = ? AND `+reportActive+` AND `+reportSeat+`
				GROUP BY m.group_id
				HAVING COUNT(DISTINCT m.person_id) = 1
			)
			AND NOT EXISTS (
				SELECT 1 FROM memberships d
				WHERE d.group_id = m.group_id AND d.role = 'deputy' AND d.represents_region = ?
					AND d.start_date <= ? AND (d.end_date IS NULL OR d.end_date >= ?)
			)`+where,
		reportArgs([]any{home, day, day, home, day, day}, fargs)...)
	if err != nil {
		return nil, fmt.Errorf("single representatives: %w", err)
	}
	sortHolders(hs)
	return hs, nil
}

// overloadedKeyRoles lists the current key roles of every person holding more
// than limit of them in the groups matching f.
func overloadedKeyRoles(ctx context.Context, q db.Querier, limit int, day date.Date, f ReportFilter) ([]RoleHolder, error) {
	where, fargs := reportWhere(f)
	hs, err := db.All(ctx, q, scanHolder, `SELECT `+holderColumns+holderFrom+`
		WHERE `+reportActive+` AND `+reportKeyRole+where+`
			AND m.person_id IN (
				SELECT m.person_id FROM memberships m`+reportGroupJoin(where)+`
				WHERE `+reportGroupMatch(where)+reportActive+` AND `+reportKeyRole+where+`
				GROUP BY m.person_id
				HAVING COUNT(*) > ?
			)`,
		reportArgs([]any{day, day}, fargs, []any{day, day}, fargs, []any{limit})...)
	if err != nil {
		return nil, fmt.Errorf("people with many key roles: %w", err)
	}
	sortHolders(hs)
	return hs, nil
}

// endingWithoutSuccessor lists current roles ending between day and horizon
// for which no other membership of the same group and role runs past their
// end and starts by the day after it.
func endingWithoutSuccessor(ctx context.Context, q db.Querier, day, horizon date.Date, f ReportFilter) ([]RoleHolder, error) {
	where, fargs := reportWhere(f)
	hs, err := db.All(ctx, q, scanHolder, `SELECT `+holderColumns+holderFrom+`
		WHERE m.start_date <= ? AND m.end_date >= ? AND m.end_date <= ?
			AND NOT EXISTS (
				SELECT 1 FROM memberships n
				WHERE n.group_id = m.group_id AND n.role = m.role AND n.id <> m.id
					AND (n.end_date IS NULL OR n.end_date > m.end_date)
					AND n.start_date <= `+reportDayAfter(q.Dialect(), "m.end_date")+`
			)`+where,
		reportArgs([]any{day, day, horizon}, fargs)...)
	if err != nil {
		return nil, fmt.Errorf("roles ending without successor: %w", err)
	}
	sortHolders(hs)
	slices.SortStableFunc(hs, func(a, b RoleHolder) int { return a.End.Time().Compare(b.End.Time()) })
	return hs, nil
}
