package org

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// HealthcareRegion is a sjukvårdsregion, one of six groups of cooperating regions.
type HealthcareRegion struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Region is one of the 21 regions that run health care.
type Region struct {
	Code             string `json:"code"`
	Name             string `json:"name"`
	HealthcareRegion string `json:"healthcare_region"`
	CountyCode       string `json:"county_code"`
}

// Municipality is a kommun of the home region.
type Municipality struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Region string `json:"region"`
}

// Settings are the registry's region-wide settings: which region is home, and
// what a full-time person's participation costs a year.
type Settings struct {
	HomeRegion       string    `json:"home_region"`
	AnnualCostPerFTE int64     `json:"annual_cost_per_fte" doc:"Salary incl. social fees for one full-time person, whole SEK per year"`
	OverheadPercent  int64     `json:"overhead_percent" doc:"Overhead added to the salary cost, percent"`
	TravelPerPerson  int64     `json:"travel_per_person" doc:"Travel and meeting costs per participating person, whole SEK per year"`
	KeyRoleLimit     int       `json:"key_role_limit" doc:"A person holding more key roles than this is flagged as a dependence"`
	UpdatedAt        time.Time `json:"updated_at"`
	Version          int64     `json:"version"`
}

// Validate checks the settings.
func (s Settings) Validate() error {
	var v errs.ValidationError
	if s.HomeRegion == "" {
		v.Add("home_region", "validation.required")
	}
	if s.AnnualCostPerFTE < 0 || s.AnnualCostPerFTE > 100_000_000 {
		v.Add("annual_cost_per_fte", "validation.range", "min", 0, "max", 100_000_000)
	}
	if s.OverheadPercent < 0 || s.OverheadPercent > 500 {
		v.Add("overhead_percent", "validation.range", "min", 0, "max", 500)
	}
	if s.TravelPerPerson < 0 || s.TravelPerPerson > 10_000_000 {
		v.Add("travel_per_person", "validation.range", "min", 0, "max", 10_000_000)
	}
	if s.KeyRoleLimit < 1 || s.KeyRoleLimit > 50 {
		v.Add("key_role_limit", "validation.range", "min", 1, "max", 50)
	}
	return v.Err()
}

// UnitLevel is the place of a unit in the region's tree.
type UnitLevel string

// The levels, from the top.
const (
	Division   UnitLevel = "division"   // förvaltning
	Department UnitLevel = "department" // verksamhet
	CareUnit   UnitLevel = "unit"       // vårdenhet
)

// UnitLevels lists the levels from the top.
var UnitLevels = []UnitLevel{Division, Department, CareUnit}

// UnitKind says what sort of care a unit gives; the representation report
// compares them.
type UnitKind string

// The kinds of unit.
const (
	UniversityHospital UnitKind = "university_hospital"
	CountyHospital     UnitKind = "county_hospital"
	PrimaryCare        UnitKind = "primary_care"
	Psychiatry         UnitKind = "psychiatry"
	Dental             UnitKind = "dental"
	OtherKind          UnitKind = "other"
)

// UnitKinds lists every kind.
var UnitKinds = []UnitKind{UniversityHospital, CountyHospital, PrimaryCare, Psychiatry, Dental, OtherKind}

// Unit is a division, department or care unit of the home region.
type Unit struct {
	ID        int64     `json:"id"`
	ParentID  int64     `json:"parent_id,omitempty"`
	Level     UnitLevel `json:"level" enum:"division,department,unit"`
	Name      string    `json:"name"`
	HSAID     string    `json:"hsa_id,omitempty"`
	Kind      UnitKind  `json:"kind" enum:"university_hospital,county_hospital,primary_care,psychiatry,dental,other"`
	ValidFrom date.Date `json:"valid_from,omitzero"`
	ValidTo   date.Date `json:"valid_to,omitzero"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// hsaPattern is an HSA-id: "SE", a ten-digit organisation number, "-" and a
// local part, at most 31 characters in all.
var hsaPattern = regexp.MustCompile(`^SE[0-9]{10}-[A-Za-z0-9]{1,18}$`)

// ValidHSAID reports whether s is a well-formed HSA-id.
func ValidHSAID(s string) bool { return hsaPattern.MatchString(s) }

// Normalize trims the unit's text fields.
func (u *Unit) Normalize() {
	u.Name = strings.TrimSpace(u.Name)
	u.HSAID = strings.ToUpper(strings.TrimSpace(u.HSAID))
}

// Validate checks the unit on its own; its place in the tree is checked by the service.
func (u Unit) Validate() error {
	var v errs.ValidationError
	requireName(&v, "name", u.Name, 200)
	if !oneOf(u.Level, UnitLevels) {
		v.Add("level", "validation.choice")
	}
	if !oneOf(u.Kind, UnitKinds) {
		v.Add("kind", "validation.choice")
	}
	if u.HSAID != "" && !ValidHSAID(u.HSAID) {
		v.Add("hsa_id", "validation.hsa_id")
	}
	if u.Level == Division && u.ParentID != 0 {
		v.Add("parent_id", "org.unit.division_no_parent")
	}
	if u.Level != Division && u.ParentID == 0 {
		v.Add("parent_id", "org.unit.parent_required")
	}
	if !u.ValidFrom.IsZero() && !u.ValidTo.IsZero() && u.ValidTo.Before(u.ValidFrom) {
		v.Add("valid_to", "validation.date_order")
	}
	return v.Err()
}

// UnitChange is one earlier name or place of a unit, kept when it is renamed or moved.
type UnitChange struct {
	ChangedAt time.Time `json:"changed_at"`
	ChangedBy string    `json:"changed_by"`
	Name      string    `json:"name"`
	ParentID  int64     `json:"parent_id,omitempty"`
	Level     UnitLevel `json:"level"`
}

// GroupKind is what sort of group a group is.
type GroupKind string

// The kinds of group.
const (
	NPO                GroupKind = "npo"                  // nationellt programområde
	NSG                GroupKind = "nsg"                  // nationell samverkansgrupp
	NAG                GroupKind = "nag"                  // nationell arbetsgrupp, under an NPO
	PrimaryCareCouncil GroupKind = "primary_care_council" // primärvårdsråd, national or local
	RPO                GroupKind = "rpo"                  // regionalt programområde
	LPO                GroupKind = "lpo"                  // lokalt programområde
	GovernanceCouncil  GroupKind = "governance_council"   // kunskapsstyrningsråd
	LargeGroup         GroupKind = "large_group"          // "stora gruppen"
	Leadership         GroupKind = "leadership"           // hälso- och sjukvårdsledningen (HSL)
	JointForum         GroupKind = "joint_forum"          // samverkansforum region–kommun (tjänstepersoner)
	PoliticalForum     GroupKind = "political_forum"      // politiskt samverkansorgan region–kommun
	OtherGroup         GroupKind = "other"
)

// GroupKinds lists every kind.
var GroupKinds = []GroupKind{NPO, NSG, NAG, PrimaryCareCouncil, RPO, LPO, GovernanceCouncil, LargeGroup, Leadership, JointForum, PoliticalForum, OtherGroup}

// Level is where a group works.
type Level string

// The levels of kunskapsstyrning.
const (
	National        Level = "national"
	HealthcareLevel Level = "healthcare_region"
	RegionalLevel   Level = "region"
)

// Levels lists the levels from the top.
var Levels = []Level{National, HealthcareLevel, RegionalLevel}

// Group is a group at any level: NPO, NSG, NAG, RPO, LPO, councils and others.
type Group struct {
	ID               int64     `json:"id"`
	Kind             GroupKind `json:"kind" enum:"npo,nsg,nag,primary_care_council,rpo,lpo,governance_council,large_group,leadership,joint_forum,political_forum,other"`
	Code             string    `json:"code,omitempty" doc:"Reference code of national groups (from the national lists)"`
	Name             string    `json:"name"`
	NameEn           string    `json:"name_en,omitempty"`
	Level            Level     `json:"level" enum:"national,healthcare_region,region"`
	ParentID         int64     `json:"parent_id,omitempty"`
	HealthcareRegion string    `json:"healthcare_region,omitempty" doc:"For sjukvårdsregion-level groups: which sjukvårdsregion"`
	HostRegion       string    `json:"host_region,omitempty" doc:"For NPO: the sjukvårdsregion that hosts it (värdskap)"`
	Area             string    `json:"area,omitempty"`
	Mandate          string    `json:"mandate,omitempty"`
	Seats            int       `json:"seats" doc:"Expected number of members; fewer current members show as vacancies"`
	Reference        bool      `json:"reference" doc:"Loaded from the national reference lists"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	Version          int64     `json:"version"`
}

// Normalize trims the group's text fields.
func (g *Group) Normalize() {
	g.Name = strings.TrimSpace(g.Name)
	g.NameEn = strings.TrimSpace(g.NameEn)
	g.Area = strings.TrimSpace(g.Area)
	g.Mandate = strings.TrimSpace(g.Mandate)
	g.Code = strings.TrimSpace(g.Code)
}

// Validate checks the group on its own; the parent is checked by the service.
func (g Group) Validate() error {
	var v errs.ValidationError
	requireName(&v, "name", g.Name, 200)
	if !oneOf(g.Kind, GroupKinds) {
		v.Add("kind", "validation.choice")
	}
	if !oneOf(g.Level, Levels) {
		v.Add("level", "validation.choice")
	}
	if utf8.RuneCountInString(g.Mandate) > 5000 {
		v.Add("mandate", "validation.too_long", "max", 5000)
	}
	if utf8.RuneCountInString(g.Area) > 200 {
		v.Add("area", "validation.too_long", "max", 200)
	}
	if g.Seats < 0 || g.Seats > 500 {
		v.Add("seats", "validation.range", "min", 0, "max", 500)
	}
	if g.Kind == NAG && g.ParentID == 0 {
		v.Add("parent_id", "org.group.nag_needs_npo")
	}
	if g.HostRegion != "" && g.Kind != NPO {
		v.Add("host_region", "org.group.host_only_npo")
	}
	return v.Err()
}

// Person is someone taking part in kunskapsstyrning; only work information.
type Person struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	Title         string    `json:"title,omitempty"`
	Email         string    `json:"email,omitempty"`
	UnitID        int64     `json:"unit_id,omitempty" doc:"Unit of the home region the person works at"`
	Region        string    `json:"region,omitempty" doc:"Employing region; empty means the home region"`
	WorkplaceKind UnitKind  `json:"workplace_kind,omitempty" doc:"Kind of workplace, for people without a unit in the registry"`
	HSAID         string    `json:"hsa_id,omitempty"`
	UserID        int64     `json:"user_id,omitempty" doc:"Linked user account"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	Version       int64     `json:"version"`
}

// Normalize trims the person's text fields.
func (p *Person) Normalize() {
	p.Name = strings.TrimSpace(p.Name)
	p.Title = strings.TrimSpace(p.Title)
	p.Email = strings.TrimSpace(p.Email)
	p.HSAID = strings.ToUpper(strings.TrimSpace(p.HSAID))
}

// Validate checks the person.
func (p Person) Validate() error {
	var v errs.ValidationError
	requireName(&v, "name", p.Name, 200)
	if utf8.RuneCountInString(p.Title) > 200 {
		v.Add("title", "validation.too_long", "max", 200)
	}
	if p.Email != "" {
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
			v.Add("email", "validation.email")
		}
	}
	if p.HSAID != "" && !ValidHSAID(p.HSAID) {
		v.Add("hsa_id", "validation.hsa_id")
	}
	if p.WorkplaceKind != "" && !oneOf(p.WorkplaceKind, UnitKinds) {
		v.Add("workplace_kind", "validation.choice")
	}
	return v.Err()
}

// Role is a person's role in a group.
type Role string

// The roles in a group.
const (
	Chair         Role = "chair"          // ordförande
	ProcessLeader Role = "process_leader" // processledare
	Member        Role = "member"         // ledamot
	Deputy        Role = "deputy"         // ersättare
	Secretary     Role = "secretary"      // sekreterare
	CoOpted       Role = "co_opted"       // adjungerad
	Coordinator   Role = "coordinator"    // samordnare
)

// Roles lists every role.
var Roles = []Role{Chair, ProcessLeader, Member, Deputy, Secretary, CoOpted, Coordinator}

// Key reports whether the work of a group stops if nobody holds the role.
func (r Role) Key() bool { return r == Chair || r == ProcessLeader || r == Coordinator }

// Composition is, for councils with two rings, whether a member is in the core
// or the extended group.
type Composition string

// The compositions.
const (
	Core     Composition = "core"
	Extended Composition = "extended"
)

// Membership is a person's role in a group for a period.
type Membership struct {
	ID                         int64       `json:"id"`
	GroupID                    int64       `json:"group_id"`
	PersonID                   int64       `json:"person_id"`
	Role                       Role        `json:"role" enum:"chair,process_leader,member,deputy,secretary,co_opted,coordinator"`
	RepresentsRegion           string      `json:"represents_region,omitempty"`
	RepresentsHealthcareRegion string      `json:"represents_healthcare_region,omitempty"`
	SharePercent               float64     `json:"share_percent" minimum:"0" maximum:"100" doc:"Share of full time, percent, two decimals"`
	Composition                Composition `json:"composition,omitempty" enum:"core,extended,"`
	Start                      date.Date   `json:"start"`
	End                        date.Date   `json:"end,omitzero"`
	CreatedAt                  time.Time   `json:"created_at"`
	UpdatedAt                  time.Time   `json:"updated_at"`
	Version                    int64       `json:"version"`
}

// shareBP is the share in hundredths of a percent, as stored.
func (m Membership) shareBP() int64 { return int64(m.SharePercent*100 + 0.5) }

// ActiveOn reports whether the membership runs on day d.
func (m Membership) ActiveOn(d date.Date) bool {
	return !d.Before(m.Start) && (m.End.IsZero() || !d.After(m.End))
}

// Validate checks the membership on its own; the referenced group, person and
// regions are checked by the service.
func (m Membership) Validate() error {
	var v errs.ValidationError
	if m.GroupID <= 0 {
		v.Add("group_id", "validation.required")
	}
	if m.PersonID <= 0 {
		v.Add("person_id", "validation.required")
	}
	if !oneOf(m.Role, Roles) {
		v.Add("role", "validation.choice")
	}
	if m.SharePercent < 0 || m.SharePercent > 100 || m.SharePercent != m.SharePercent {
		v.Add("share_percent", "org.membership.share_range")
	}
	if m.Composition != "" && m.Composition != Core && m.Composition != Extended {
		v.Add("composition", "validation.choice")
	}
	if m.Start.IsZero() {
		v.Add("start", "validation.required")
	}
	if !m.End.IsZero() && m.End.Before(m.Start) {
		v.Add("end", "org.membership.end_before_start")
	}
	return v.Err()
}

func requireName(v *errs.ValidationError, field, s string, max int) {
	switch {
	case s == "":
		v.Add(field, "validation.required")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "validation.too_long", "max", max)
	}
}

func oneOf[T comparable](x T, list []T) bool {
	for _, y := range list {
		if x == y {
			return true
		}
	}
	return false
}
