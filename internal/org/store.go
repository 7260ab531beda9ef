package org

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

func str(ns sql.NullString) string { return ns.String }
func id(ni sql.NullInt64) int64    { return ni.Int64 }

// Reference data.

func listHealthcareRegions(ctx context.Context, q db.Querier) ([]HealthcareRegion, error) {
	return db.All(ctx, q, func(s db.Scanner) (HealthcareRegion, error) {
		var h HealthcareRegion
		return h, s.Scan(&h.Code, &h.Name)
	}, `SELECT code, name FROM healthcare_regions ORDER BY name`)
}

func listRegions(ctx context.Context, q db.Querier) ([]Region, error) {
	return db.All(ctx, q, func(s db.Scanner) (Region, error) {
		var r Region
		return r, s.Scan(&r.Code, &r.Name, &r.HealthcareRegion, &r.CountyCode)
	}, `SELECT code, name, healthcare_region, county_code FROM regions ORDER BY county_code`)
}

func listMunicipalities(ctx context.Context, q db.Querier, region string) ([]Municipality, error) {
	return db.All(ctx, q, func(s db.Scanner) (Municipality, error) {
		var m Municipality
		return m, s.Scan(&m.Code, &m.Name, &m.Region)
	}, `SELECT code, name, region FROM municipalities WHERE region = ? ORDER BY name`, region)
}

func findSettings(ctx context.Context, q db.Querier) (Settings, error) {
	return db.One(ctx, q, func(s db.Scanner) (Settings, error) {
		var st Settings
		err := s.Scan(&st.HomeRegion, &st.AnnualCostPerFTE, &st.OverheadPercent, &st.TravelPerPerson, &st.KeyRoleLimit, &st.UpdatedAt, &st.Version)
		st.UpdatedAt = st.UpdatedAt.UTC()
		return st, err
	}, `SELECT home_region, annual_cost_per_fte, overhead_percent, travel_per_person, key_role_limit, updated_at, version FROM org_settings WHERE id = 1`)
}

func updateSettings(ctx context.Context, q db.Querier, st Settings, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "org_settings", 1, `
		UPDATE org_settings SET home_region = ?, annual_cost_per_fte = ?, overhead_percent = ?, travel_per_person = ?,
			key_role_limit = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		st.HomeRegion, st.AnnualCostPerFTE, st.OverheadPercent, st.TravelPerPerson, st.KeyRoleLimit, now, 1, st.Version)
}

func regionExists(ctx context.Context, q db.Querier, code string) (bool, error) {
	return db.Exists(ctx, q, `SELECT 1 FROM regions WHERE code = ?`, code)
}

func healthcareRegionExists(ctx context.Context, q db.Querier, code string) (bool, error) {
	return db.Exists(ctx, q, `SELECT 1 FROM healthcare_regions WHERE code = ?`, code)
}

// Units.

const unitColumns = `id, parent_id, level, name, hsa_id, kind, valid_from, valid_to, created_at, updated_at, version`

func scanUnit(s db.Scanner) (Unit, error) {
	var u Unit
	var parent sql.NullInt64
	var hsa sql.NullString
	err := s.Scan(&u.ID, &parent, &u.Level, &u.Name, &hsa, &u.Kind, &u.ValidFrom, &u.ValidTo, &u.CreatedAt, &u.UpdatedAt, &u.Version)
	u.ParentID, u.HSAID = id(parent), str(hsa)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, err
}

func findUnit(ctx context.Context, q db.Querier, unitID int64) (Unit, error) {
	u, err := db.One(ctx, q, scanUnit, `SELECT `+unitColumns+` FROM units WHERE id = ?`, unitID)
	if err != nil {
		return Unit{}, fmt.Errorf("find unit %d: %w", unitID, err)
	}
	return u, nil
}

func listUnits(ctx context.Context, q db.Querier) ([]Unit, error) {
	units, err := db.All(ctx, q, scanUnit, `SELECT `+unitColumns+` FROM units ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	return units, nil
}

func insertUnit(ctx context.Context, q db.Querier, u Unit, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO units (parent_id, level, name, hsa_id, kind, valid_from, valid_to, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		db.NullID(u.ParentID), u.Level, u.Name, db.NullString(u.HSAID), u.Kind, u.ValidFrom, u.ValidTo, now, now)
}

func updateUnit(ctx context.Context, q db.Querier, u Unit, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "units", u.ID, `
		UPDATE units SET parent_id = ?, level = ?, name = ?, hsa_id = ?, kind = ?, valid_from = ?, valid_to = ?,
			updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		db.NullID(u.ParentID), u.Level, u.Name, db.NullString(u.HSAID), u.Kind, u.ValidFrom, u.ValidTo, now, u.ID, u.Version)
}

func insertUnitHistory(ctx context.Context, q db.Querier, before Unit, by string, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO unit_history (unit_id, changed_at, changed_by, name, parent_id, level) VALUES (?, ?, ?, ?, ?, ?)`,
		before.ID, now, by, before.Name, db.NullID(before.ParentID), before.Level)
	return err
}

func listUnitHistory(ctx context.Context, q db.Querier, unitID int64) ([]UnitChange, error) {
	return db.All(ctx, q, func(s db.Scanner) (UnitChange, error) {
		var c UnitChange
		var parent sql.NullInt64
		err := s.Scan(&c.ChangedAt, &c.ChangedBy, &c.Name, &parent, &c.Level)
		c.ParentID, c.ChangedAt = id(parent), c.ChangedAt.UTC()
		return c, err
	}, `SELECT changed_at, changed_by, name, parent_id, level FROM unit_history WHERE unit_id = ? ORDER BY changed_at DESC, id DESC`, unitID)
}

// Groups.

const groupColumns = `id, kind, code, name, name_en, level, parent_id, healthcare_region, host_region, area, mandate, seats, reference, created_at, updated_at, version`

// groupRow holds the scan destinations of one group row.
type groupRow struct {
	g              Group
	code, hr, host sql.NullString
	parent         sql.NullInt64
}

func (r *groupRow) dest() []any {
	g := &r.g
	return []any{&g.ID, &g.Kind, &r.code, &g.Name, &g.NameEn, &g.Level, &r.parent, &r.hr, &r.host, &g.Area, &g.Mandate, &g.Seats, &g.Reference, &g.CreatedAt, &g.UpdatedAt, &g.Version}
}

func (r *groupRow) value() Group {
	g := r.g
	g.Code, g.HealthcareRegion, g.HostRegion, g.ParentID = str(r.code), str(r.hr), str(r.host), id(r.parent)
	g.CreatedAt, g.UpdatedAt = g.CreatedAt.UTC(), g.UpdatedAt.UTC()
	return g
}

func scanGroup(s db.Scanner) (Group, error) {
	var r groupRow
	err := s.Scan(r.dest()...)
	return r.value(), err
}

func findGroup(ctx context.Context, q db.Querier, groupID int64) (Group, error) {
	g, err := db.One(ctx, q, scanGroup, `SELECT `+groupColumns+` FROM org_groups WHERE id = ?`, groupID)
	if err != nil {
		return Group{}, fmt.Errorf("find group %d: %w", groupID, err)
	}
	return g, nil
}

func listGroups(ctx context.Context, q db.Querier, f GroupFilter) ([]Group, error) {
	var where []string
	var args []any
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.Level != "" {
		where, args = append(where, "level = ?"), append(args, f.Level)
	}
	if f.ParentID != 0 {
		where, args = append(where, "parent_id = ?"), append(args, f.ParentID)
	}
	if f.Query != "" {
		cond, a := matchAny(f.Query, "name", "name_en")
		where, args = append(where, cond), append(args, a...)
	}
	query := `SELECT ` + groupColumns + ` FROM org_groups`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	groups, err := db.All(ctx, q, scanGroup, query+` ORDER BY level, kind, name, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	return groups, nil
}

func insertGroup(ctx context.Context, q db.Querier, g Group, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO org_groups (kind, code, name, name_en, level, parent_id, healthcare_region, host_region, area, mandate, seats, reference, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		g.Kind, db.NullString(g.Code), g.Name, g.NameEn, g.Level, db.NullID(g.ParentID), db.NullString(g.HealthcareRegion), db.NullString(g.HostRegion),
		g.Area, g.Mandate, g.Seats, g.Reference, now, now)
}

func updateGroup(ctx context.Context, q db.Querier, g Group, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "org_groups", g.ID, `
		UPDATE org_groups SET kind = ?, code = ?, name = ?, name_en = ?, level = ?, parent_id = ?, healthcare_region = ?, host_region = ?,
			area = ?, mandate = ?, seats = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		g.Kind, db.NullString(g.Code), g.Name, g.NameEn, g.Level, db.NullID(g.ParentID), db.NullString(g.HealthcareRegion), db.NullString(g.HostRegion),
		g.Area, g.Mandate, g.Seats, now, g.ID, g.Version)
}

// People.

const personColumns = `id, name, title, email, unit_id, region, workplace_kind, hsa_id, user_id, created_at, updated_at, version`

// personRow holds the scan destinations of one person row.
type personRow struct {
	p           Person
	unit, user  sql.NullInt64
	region, hsa sql.NullString
}

func (r *personRow) dest() []any {
	p := &r.p
	return []any{&p.ID, &p.Name, &p.Title, &p.Email, &r.unit, &r.region, &p.WorkplaceKind, &r.hsa, &r.user, &p.CreatedAt, &p.UpdatedAt, &p.Version}
}

func (r *personRow) value() Person {
	p := r.p
	p.UnitID, p.UserID, p.Region, p.HSAID = id(r.unit), id(r.user), str(r.region), str(r.hsa)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p
}

func scanPerson(s db.Scanner) (Person, error) {
	var r personRow
	err := s.Scan(r.dest()...)
	return r.value(), err
}

func findPerson(ctx context.Context, q db.Querier, personID int64) (Person, error) {
	p, err := db.One(ctx, q, scanPerson, `SELECT `+personColumns+` FROM people WHERE id = ?`, personID)
	if err != nil {
		return Person{}, fmt.Errorf("find person %d: %w", personID, err)
	}
	return p, nil
}

func listPeople(ctx context.Context, q db.Querier, f PersonFilter) ([]Person, error) {
	var where []string
	var args []any
	if f.Query != "" {
		cond, a := matchAny(f.Query, "name", "title", "email")
		where, args = append(where, cond), append(args, a...)
	}
	if f.UnitID != 0 {
		where, args = append(where, "unit_id = ?"), append(args, f.UnitID)
	}
	query := `SELECT ` + personColumns + ` FROM people`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += ` ORDER BY name, id`
	if f.Limit > 0 {
		query, args = query+` LIMIT ?`, append(args, f.Limit)
	}
	people, err := db.All(ctx, q, scanPerson, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	return people, nil
}

func insertPerson(ctx context.Context, q db.Querier, p Person, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO people (name, title, email, unit_id, region, workplace_kind, hsa_id, user_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.Name, p.Title, p.Email, db.NullID(p.UnitID), db.NullString(p.Region), string(p.WorkplaceKind), db.NullString(p.HSAID), db.NullID(p.UserID), now, now)
}

func updatePerson(ctx context.Context, q db.Querier, p Person, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "people", p.ID, `
		UPDATE people SET name = ?, title = ?, email = ?, unit_id = ?, region = ?, workplace_kind = ?, hsa_id = ?, user_id = ?,
			updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		p.Name, p.Title, p.Email, db.NullID(p.UnitID), db.NullString(p.Region), string(p.WorkplaceKind), db.NullString(p.HSAID), db.NullID(p.UserID), now, p.ID, p.Version)
}

// Memberships.

const membershipColumns = `id, group_id, person_id, role, represents_region, represents_healthcare_region, share_bp, composition, start_date, end_date, created_at, updated_at, version`

// membershipRow holds the scan destinations of one membership row.
type membershipRow struct {
	m       Membership
	rr, rhr sql.NullString
	bp      int64
}

func (r *membershipRow) dest() []any {
	m := &r.m
	return []any{&m.ID, &m.GroupID, &m.PersonID, &m.Role, &r.rr, &r.rhr, &r.bp, &m.Composition, &m.Start, &m.End, &m.CreatedAt, &m.UpdatedAt, &m.Version}
}

func (r *membershipRow) value() Membership {
	m := r.m
	m.RepresentsRegion, m.RepresentsHealthcareRegion = str(r.rr), str(r.rhr)
	m.SharePercent = float64(r.bp) / 100
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return m
}

func scanMembership(s db.Scanner) (Membership, error) {
	var r membershipRow
	err := s.Scan(r.dest()...)
	return r.value(), err
}

func findMembership(ctx context.Context, q db.Querier, mID int64) (Membership, error) {
	m, err := db.One(ctx, q, scanMembership, `SELECT `+membershipColumns+` FROM memberships WHERE id = ?`, mID)
	if err != nil {
		return Membership{}, fmt.Errorf("find membership %d: %w", mID, err)
	}
	return m, nil
}

func listMemberships(ctx context.Context, q db.Querier, f MembershipFilter) ([]Membership, error) {
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
	query := `SELECT ` + membershipColumns + ` FROM memberships`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	ms, err := db.All(ctx, q, scanMembership, query+` ORDER BY start_date DESC, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list memberships: %w", err)
	}
	return ms, nil
}

func insertMembership(ctx context.Context, q db.Querier, m Membership, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO memberships (group_id, person_id, role, represents_region, represents_healthcare_region, share_bp, composition, start_date, end_date, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.GroupID, m.PersonID, m.Role, db.NullString(m.RepresentsRegion), db.NullString(m.RepresentsHealthcareRegion), m.shareBP(), string(m.Composition), m.Start, m.End, now, now)
}

func updateMembership(ctx context.Context, q db.Querier, m Membership, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "memberships", m.ID, `
		UPDATE memberships SET group_id = ?, person_id = ?, role = ?, represents_region = ?, represents_healthcare_region = ?, share_bp = ?,
			composition = ?, start_date = ?, end_date = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		m.GroupID, m.PersonID, m.Role, db.NullString(m.RepresentsRegion), db.NullString(m.RepresentsHealthcareRegion), m.shareBP(),
		string(m.Composition), m.Start, m.End, now, m.ID, m.Version)
}
