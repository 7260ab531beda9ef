package org

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// Permissions of the registry: everyone signed in reads; the coordinator (and
// admin) edits.
var (
	Read  = access.SignedIn
	Write = access.Permission{Name: "org.write", Roles: []access.Role{access.Coordinator}}
)

// GroupFilter narrows a listing of groups; zero fields do not filter.
type GroupFilter struct {
	Kind     GroupKind
	Level    Level
	ParentID int64
	Query    string
}

// PersonFilter narrows a listing of people.
type PersonFilter struct {
	Query  string
	UnitID int64
	Limit  int // at most this many, by name; 0 is all
}

// MembershipFilter narrows a listing of memberships.
type MembershipFilter struct {
	GroupID  int64
	PersonID int64
	ActiveOn date.Date
}

// Service is the registry's use cases; each exported method that changes
// something is one transaction with its audit record.
type Service struct {
	db    *db.DB
	audit *audit.Log
	now   func() time.Time
}

// NewService returns the registry service.
func NewService(d *db.DB, log *audit.Log, now func() time.Time) *Service {
	return &Service{db: d, audit: log, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Today is the current date in Sweden.
func (s *Service) Today() date.Date { return date.Of(s.now(), i18n.Stockholm()) }

// The entity names in the audit log.
const (
	entitySettings   = "org_settings"
	entityUnit       = "unit"
	entityGroup      = "group"
	entityPerson     = "person"
	entityMembership = "membership"
)

// change runs fn in a transaction and records the change it returns.
func (s *Service) change(ctx context.Context, fn func(tx *db.Tx, now time.Time) (audit.Change, error)) error {
	return s.audit.Tx(ctx, s.db, s.now, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		c, err := fn(tx, now)
		return []audit.Change{c}, err
	})
}

// HealthcareRegions lists the six sjukvårdsregioner.
func (s *Service) HealthcareRegions(ctx context.Context) ([]HealthcareRegion, error) {
	return listHealthcareRegions(ctx, s.db)
}

// Regions lists the 21 regions.
func (s *Service) Regions(ctx context.Context) ([]Region, error) { return listRegions(ctx, s.db) }

// Municipalities lists the municipalities of the home region.
func (s *Service) Municipalities(ctx context.Context) ([]Municipality, error) {
	st, err := findSettings(ctx, s.db)
	if err != nil {
		return nil, err
	}
	return listMunicipalities(ctx, s.db, st.HomeRegion)
}

// Settings returns the registry settings.
func (s *Service) Settings(ctx context.Context) (Settings, error) { return findSettings(ctx, s.db) }

// SaveSettings saves st if nobody changed the settings since st was read.
func (s *Service) SaveSettings(ctx context.Context, st Settings) (Settings, error) {
	if err := st.Validate(); err != nil {
		return Settings{}, err
	}
	var after Settings
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		if ok, err := regionExists(ctx, tx, st.HomeRegion); err != nil || !ok {
			return audit.Change{}, errors.Join(err, errs.Invalidf("home_region", "validation.choice"))
		}
		before, err := findSettings(ctx, tx)
		if err != nil {
			return audit.Change{}, err
		}
		if err := updateSettings(ctx, tx, st, now); err != nil {
			return audit.Change{}, err
		}
		after, err = findSettings(ctx, tx)
		return audit.Change{Entity: entitySettings, EntityID: 1, Action: audit.Update, Before: before, After: after}, err
	})
	return after, err
}

// Units.

// Units lists every unit of the home region.
func (s *Service) Units(ctx context.Context) ([]Unit, error) { return listUnits(ctx, s.db) }

// Unit returns one unit.
func (s *Service) Unit(ctx context.Context, id int64) (Unit, error) { return findUnit(ctx, s.db, id) }

// UnitHistory lists a unit's earlier names and places, newest first.
func (s *Service) UnitHistory(ctx context.Context, id int64) ([]UnitChange, error) {
	return listUnitHistory(ctx, s.db, id)
}

// checkUnitParent checks that u's parent exists, sits one level up (or, for a
// care unit, anywhere above), and is not u itself or below it.
func checkUnitParent(ctx context.Context, q db.Querier, u Unit) error {
	if u.ParentID == 0 {
		return nil
	}
	parent, err := findUnit(ctx, q, u.ParentID)
	if errors.Is(err, errs.ErrNotFound) {
		return errs.Invalidf("parent_id", "org.unit.parent_missing")
	}
	if err != nil {
		return err
	}
	if parent.Level == CareUnit || (u.Level == Department && parent.Level != Division) {
		return errs.Invalidf("parent_id", "org.unit.parent_level")
	}
	// Walk up from the parent: meeting u means the move would make a cycle.
	for p, hops := parent, 0; ; hops++ {
		if u.ID != 0 && p.ID == u.ID || hops > 1000 {
			return errs.Invalidf("parent_id", "org.unit.cycle")
		}
		if p.ParentID == 0 {
			return nil
		}
		if p, err = findUnit(ctx, q, p.ParentID); err != nil {
			return err
		}
	}
}

func duplicateHSA(err error) error {
	if errors.Is(err, errs.ErrDuplicate) {
		return fmt.Errorf("%w: %w", errs.Invalidf("hsa_id", "org.hsa_id_taken"), err)
	}
	return err
}

// CreateUnit adds a unit to the tree.
func (s *Service) CreateUnit(ctx context.Context, u Unit) (Unit, error) {
	u.Normalize()
	u.ID = 0
	if err := u.Validate(); err != nil {
		return Unit{}, err
	}
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		if err := checkUnitParent(ctx, tx, u); err != nil {
			return audit.Change{}, err
		}
		id, err := insertUnit(ctx, tx, u, now)
		if err != nil {
			return audit.Change{}, duplicateHSA(err)
		}
		u, err = findUnit(ctx, tx, id)
		return audit.Change{Entity: entityUnit, EntityID: id, Action: audit.Create, After: u}, err
	})
	return u, err
}

// UpdateUnit saves a changed unit if nobody changed it since it was read. A
// rename or move keeps the earlier name and place in the unit's history.
func (s *Service) UpdateUnit(ctx context.Context, u Unit) (Unit, error) {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return Unit{}, err
	}
	var after Unit
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findUnit(ctx, tx, u.ID)
		if err != nil {
			return audit.Change{}, err
		}
		if err := checkUnitParent(ctx, tx, u); err != nil {
			return audit.Change{}, err
		}
		if u.Level != before.Level && u.Level != CareUnit {
			if has, err := db.Exists(ctx, tx, `SELECT 1 FROM units WHERE parent_id = ?`, u.ID); err != nil || has {
				return audit.Change{}, errors.Join(err, errs.Invalidf("level", "org.unit.level_has_children"))
			}
		}
		if err := updateUnit(ctx, tx, u, now); err != nil {
			return audit.Change{}, duplicateHSA(err)
		}
		if before.Name != u.Name || before.ParentID != u.ParentID || before.Level != u.Level {
			if err := insertUnitHistory(ctx, tx, before, audit.ActorName(ctx), now); err != nil {
				return audit.Change{}, fmt.Errorf("unit history: %w", err)
			}
		}
		after, err = findUnit(ctx, tx, u.ID)
		return audit.Change{Entity: entityUnit, EntityID: u.ID, Action: audit.Update, Before: before, After: after}, err
	})
	return after, err
}

// DeleteUnit removes a unit that has no sub-units and no people.
func (s *Service) DeleteUnit(ctx context.Context, id, version int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findUnit(ctx, tx, id)
		if err != nil {
			return audit.Change{}, err
		}
		if err := db.DeleteVersioned(ctx, tx, "units", id, version); err != nil {
			return audit.Change{}, err
		}
		return audit.Change{Entity: entityUnit, EntityID: id, Action: audit.Delete, Before: before}, nil
	})
}

// Groups.

// Groups lists groups matching f.
func (s *Service) Groups(ctx context.Context, f GroupFilter) ([]Group, error) {
	return listGroups(ctx, s.db, f)
}

// Group returns one group.
func (s *Service) Group(ctx context.Context, id int64) (Group, error) {
	return findGroup(ctx, s.db, id)
}

// checkGroupRefs checks a group's parent (no cycle; a NAG hangs under an NPO)
// and the sjukvårdsregioner it names.
func checkGroupRefs(ctx context.Context, q db.Querier, g Group) error {
	var v errs.ValidationError
	for field, code := range map[string]string{"healthcare_region": g.HealthcareRegion, "host_region": g.HostRegion} {
		if code == "" {
			continue
		}
		if ok, err := healthcareRegionExists(ctx, q, code); err != nil {
			return err
		} else if !ok {
			v.Add(field, "validation.choice")
		}
	}
	if g.ParentID != 0 {
		parent, err := findGroup(ctx, q, g.ParentID)
		switch {
		case errors.Is(err, errs.ErrNotFound):
			v.Add("parent_id", "org.group.parent_missing")
		case err != nil:
			return err
		case g.Kind == NAG && parent.Kind != NPO:
			v.Add("parent_id", "org.group.nag_needs_npo")
		default:
			for p, hops := parent, 0; ; hops++ {
				if g.ID != 0 && p.ID == g.ID || hops > 1000 {
					v.Add("parent_id", "org.group.cycle")
					break
				}
				if p.ParentID == 0 {
					break
				}
				if p, err = findGroup(ctx, q, p.ParentID); err != nil {
					return err
				}
			}
		}
	}
	return v.Err()
}

// CreateGroup adds a group.
func (s *Service) CreateGroup(ctx context.Context, g Group) (Group, error) {
	g.Normalize()
	g.ID, g.Reference = 0, false
	if err := g.Validate(); err != nil {
		return Group{}, err
	}
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		if err := checkGroupRefs(ctx, tx, g); err != nil {
			return audit.Change{}, err
		}
		id, err := insertGroup(ctx, tx, g, now)
		if errors.Is(err, errs.ErrDuplicate) {
			return audit.Change{}, fmt.Errorf("%w: %w", errs.Invalidf("code", "org.group.code_taken"), err)
		}
		if err != nil {
			return audit.Change{}, err
		}
		g, err = findGroup(ctx, tx, id)
		return audit.Change{Entity: entityGroup, EntityID: id, Action: audit.Create, After: g}, err
	})
	return g, err
}

// UpdateGroup saves a changed group if nobody changed it since it was read.
// National reference groups keep their code and kind.
func (s *Service) UpdateGroup(ctx context.Context, g Group) (Group, error) {
	g.Normalize()
	if err := g.Validate(); err != nil {
		return Group{}, err
	}
	var after Group
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findGroup(ctx, tx, g.ID)
		if err != nil {
			return audit.Change{}, err
		}
		if before.Reference {
			g.Code, g.Kind, g.Level = before.Code, before.Kind, before.Level
		}
		if err := checkGroupRefs(ctx, tx, g); err != nil {
			return audit.Change{}, err
		}
		if err := updateGroup(ctx, tx, g, now); err != nil {
			if errors.Is(err, errs.ErrDuplicate) {
				return audit.Change{}, fmt.Errorf("%w: %w", errs.Invalidf("code", "org.group.code_taken"), err)
			}
			return audit.Change{}, err
		}
		after, err = findGroup(ctx, tx, g.ID)
		return audit.Change{Entity: entityGroup, EntityID: g.ID, Action: audit.Update, Before: before, After: after}, err
	})
	return after, err
}

// DeleteGroup removes a group without sub-groups or memberships; national
// reference groups cannot be removed.
func (s *Service) DeleteGroup(ctx context.Context, id, version int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findGroup(ctx, tx, id)
		if err != nil {
			return audit.Change{}, err
		}
		if before.Reference {
			return audit.Change{}, errs.Invalidf("id", "org.group.reference_kept")
		}
		if err := db.DeleteVersioned(ctx, tx, "org_groups", id, version); err != nil {
			return audit.Change{}, err
		}
		return audit.Change{Entity: entityGroup, EntityID: id, Action: audit.Delete, Before: before}, nil
	})
}

// People.

// People lists people matching f.
func (s *Service) People(ctx context.Context, f PersonFilter) ([]Person, error) {
	return listPeople(ctx, s.db, f)
}

// Person returns one person.
func (s *Service) Person(ctx context.Context, id int64) (Person, error) {
	return findPerson(ctx, s.db, id)
}

func checkPersonRefs(ctx context.Context, q db.Querier, p Person) error {
	var v errs.ValidationError
	if p.UnitID != 0 {
		if ok, err := db.Exists(ctx, q, `SELECT 1 FROM units WHERE id = ?`, p.UnitID); err != nil {
			return err
		} else if !ok {
			v.Add("unit_id", "org.unit.missing")
		}
	}
	if p.Region != "" {
		if ok, err := regionExists(ctx, q, p.Region); err != nil {
			return err
		} else if !ok {
			v.Add("region", "validation.choice")
		}
	}
	if p.UserID != 0 {
		if ok, err := db.Exists(ctx, q, `SELECT 1 FROM users WHERE id = ?`, p.UserID); err != nil {
			return err
		} else if !ok {
			v.Add("user_id", "org.person.user_missing")
		}
	}
	return v.Err()
}

// personWriteErr names the field whose value another person already has: a
// person's HSA-id and linked user account are each unique.
func personWriteErr(err error) error {
	if !errors.Is(err, errs.ErrDuplicate) {
		return err
	}
	if _, cols, ok := db.DuplicateColumns(err); ok && slices.Equal(cols, []string{"user_id"}) {
		return fmt.Errorf("%w: %w", errs.Invalidf("user_id", "org.person.user_taken"), err)
	}
	return fmt.Errorf("%w: %w", errs.Invalidf("hsa_id", "org.person.taken"), err)
}

// CreatePerson adds a person.
func (s *Service) CreatePerson(ctx context.Context, p Person) (Person, error) {
	p.Normalize()
	p.ID = 0
	if err := p.Validate(); err != nil {
		return Person{}, err
	}
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		if err := checkPersonRefs(ctx, tx, p); err != nil {
			return audit.Change{}, err
		}
		id, err := insertPerson(ctx, tx, p, now)
		if err != nil {
			return audit.Change{}, personWriteErr(err)
		}
		p, err = findPerson(ctx, tx, id)
		return audit.Change{Entity: entityPerson, EntityID: id, Action: audit.Create, After: p}, err
	})
	return p, err
}

// UpdatePerson saves a changed person if nobody changed them since they were read.
func (s *Service) UpdatePerson(ctx context.Context, p Person) (Person, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return Person{}, err
	}
	var after Person
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findPerson(ctx, tx, p.ID)
		if err != nil {
			return audit.Change{}, err
		}
		if err := checkPersonRefs(ctx, tx, p); err != nil {
			return audit.Change{}, err
		}
		if err := updatePerson(ctx, tx, p, now); err != nil {
			return audit.Change{}, personWriteErr(err)
		}
		after, err = findPerson(ctx, tx, p.ID)
		return audit.Change{Entity: entityPerson, EntityID: p.ID, Action: audit.Update, Before: before, After: after}, err
	})
	return after, err
}

// DeletePerson removes a person who holds no memberships.
func (s *Service) DeletePerson(ctx context.Context, id, version int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findPerson(ctx, tx, id)
		if err != nil {
			return audit.Change{}, err
		}
		if err := db.DeleteVersioned(ctx, tx, "people", id, version); err != nil {
			return audit.Change{}, err
		}
		return audit.Change{Entity: entityPerson, EntityID: id, Action: audit.Delete, Before: before}, nil
	})
}

// Memberships.

// Memberships lists memberships matching f, newest start first.
func (s *Service) Memberships(ctx context.Context, f MembershipFilter) ([]Membership, error) {
	return listMemberships(ctx, s.db, f)
}

// Membership returns one membership.
func (s *Service) Membership(ctx context.Context, id int64) (Membership, error) {
	return findMembership(ctx, s.db, id)
}

func checkMembershipRefs(ctx context.Context, q db.Querier, m Membership) error {
	var v errs.ValidationError
	if ok, err := db.Exists(ctx, q, `SELECT 1 FROM org_groups WHERE id = ?`, m.GroupID); err != nil {
		return err
	} else if !ok {
		v.Add("group_id", "org.group.missing")
	}
	if ok, err := db.Exists(ctx, q, `SELECT 1 FROM people WHERE id = ?`, m.PersonID); err != nil {
		return err
	} else if !ok {
		v.Add("person_id", "org.person.missing")
	}
	if m.RepresentsRegion != "" {
		if ok, err := regionExists(ctx, q, m.RepresentsRegion); err != nil {
			return err
		} else if !ok {
			v.Add("represents_region", "validation.choice")
		}
	}
	if m.RepresentsHealthcareRegion != "" {
		if ok, err := healthcareRegionExists(ctx, q, m.RepresentsHealthcareRegion); err != nil {
			return err
		} else if !ok {
			v.Add("represents_healthcare_region", "validation.choice")
		}
	}
	return v.Err()
}

// CreateMembership gives a person a role in a group.
func (s *Service) CreateMembership(ctx context.Context, m Membership) (Membership, error) {
	m.ID = 0
	if err := m.Validate(); err != nil {
		return Membership{}, err
	}
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		if err := checkMembershipRefs(ctx, tx, m); err != nil {
			return audit.Change{}, err
		}
		id, err := insertMembership(ctx, tx, m, now)
		if err != nil {
			return audit.Change{}, err
		}
		m, err = findMembership(ctx, tx, id)
		return audit.Change{Entity: entityMembership, EntityID: id, Action: audit.Create, After: m}, err
	})
	return m, err
}

// UpdateMembership saves a changed membership if nobody changed it since it was read.
func (s *Service) UpdateMembership(ctx context.Context, m Membership) (Membership, error) {
	if err := m.Validate(); err != nil {
		return Membership{}, err
	}
	var after Membership
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findMembership(ctx, tx, m.ID)
		if err != nil {
			return audit.Change{}, err
		}
		if err := checkMembershipRefs(ctx, tx, m); err != nil {
			return audit.Change{}, err
		}
		if err := updateMembership(ctx, tx, m, now); err != nil {
			return audit.Change{}, err
		}
		after, err = findMembership(ctx, tx, m.ID)
		return audit.Change{Entity: entityMembership, EntityID: m.ID, Action: audit.Update, Before: before, After: after}, err
	})
	return after, err
}

// DeleteMembership removes a membership entered by mistake; one that ended is
// kept with its end date instead, so history stays.
func (s *Service) DeleteMembership(ctx context.Context, id, version int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findMembership(ctx, tx, id)
		if err != nil {
			return audit.Change{}, err
		}
		if err := db.DeleteVersioned(ctx, tx, "memberships", id, version); err != nil {
			return audit.Change{}, err
		}
		return audit.Change{Entity: entityMembership, EntityID: id, Action: audit.Delete, Before: before}, nil
	})
}
