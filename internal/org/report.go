package org

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// The three reports answer the registry's questions: who represents the region
// where (Representation), what participation costs (ParticipationCost) and
// where the work hangs on a single person (PersonDependence). Each is computed
// by a handful of set-based queries, however many members there are.
//
// Terms used by all three:
//   - a member holds a seat: every role but deputy, secretary and co-opted;
//   - the home region's representative is a member whose membership
//     represents the home region (org_settings.home_region);
//   - current means active today (start ≤ today ≤ end, or no end).

// ReportFilter narrows a report to groups of one level and one kind; zero
// fields do not filter.
type ReportFilter struct {
	Level Level     `json:"level,omitempty"`
	Kind  GroupKind `json:"kind,omitempty"`
}

// Validate checks the filter's choices.
func (f ReportFilter) Validate() error {
	var v errs.ValidationError
	f.check(&v)
	return v.Err()
}

func (f ReportFilter) check(v *errs.ValidationError) {
	if f.Level != "" && !oneOf(f.Level, Levels) {
		v.Add("level", "validation.choice")
	}
	if f.Kind != "" && !oneOf(f.Kind, GroupKinds) {
		v.Add("kind", "validation.choice")
	}
}

// The years a cost report may be asked for.
const (
	MinReportYear = 2000
	MaxReportYear = 2100
)

// ValidateCostQuery checks the year and filter of a cost report.
func ValidateCostQuery(year int, f ReportFilter) error {
	var v errs.ValidationError
	if year < MinReportYear || year > MaxReportYear {
		v.Add("year", "org.report.year_range", "min", strconv.Itoa(MinReportYear), "max", strconv.Itoa(MaxReportYear))
	}
	f.check(&v)
	return v.Err()
}

// KeyRoles are the roles whose holder the work of a group stops without
// (Role.Key), in the order reports list them.
var KeyRoles = []Role{Chair, ProcessLeader, Coordinator}

// GroupRef names a group in a report.
type GroupRef struct {
	ID     int64     `json:"id"`
	Kind   GroupKind `json:"kind"`
	Level  Level     `json:"level"`
	Code   string    `json:"code,omitempty"`
	Name   string    `json:"name"`
	NameEn string    `json:"name_en,omitempty"`
}

// NameIn is the group's name in the language lang, Swedish when it has no
// name in that language.
func (g GroupRef) NameIn(lang string) string {
	if lang == "en" && g.NameEn != "" {
		return g.NameEn
	}
	return g.Name
}

// KindCount is how many members come from one kind of home unit.
type KindCount struct {
	Kind    UnitKind `json:"kind"`
	Members int      `json:"members"`
}

// RepresentedCount is how many members represent one region or sjukvårdsregion.
type RepresentedCount struct {
	Type    string `json:"type" enum:"region,healthcare_region,none" doc:"What is represented: a region, a sjukvårdsregion, or nothing stated"`
	Code    string `json:"code,omitempty"`
	Name    string `json:"name,omitempty"`
	Members int    `json:"members"`
}

// The types of a RepresentedCount.
const (
	RepresentsRegion     = "region"
	RepresentsHealthcare = "healthcare_region"
	RepresentsNone       = "none"
)

// Representation is one group's, one level's or everyone's current members
// by kind of home unit, and the university hospitals' share of them.
type Representation struct {
	Members     int         `json:"members" doc:"Current members holding a seat"`
	HomeMembers int         `json:"home_members" doc:"Of them, those representing the home region"`
	ByKind      []KindCount `json:"by_kind" doc:"Members by kind of home unit: the unit's kind, else the person's workplace kind, else other; every kind, in a fixed order"`
	// UniversityShare is the fraction of members from university hospitals (0–1).
	UniversityShare float64 `json:"university_share" doc:"Fraction (0–1) of the members who work at a university hospital"`
}

// GroupRepresentation is one group's row of the representation report.
type GroupRepresentation struct {
	Group GroupRef `json:"group"`
	Representation
	ByRegion []RepresentedCount `json:"by_region" doc:"Members by the region or sjukvårdsregion they represent"`
}

// LevelRepresentation is the representation summed over one level's groups.
type LevelRepresentation struct {
	Level  Level `json:"level"`
	Groups int   `json:"groups"`
	Representation
}

// RepresentationReport is who represents whom in the groups, as of one day.
type RepresentationReport struct {
	AsOf       date.Date             `json:"as_of"`
	HomeRegion Region                `json:"home_region"`
	Filter     ReportFilter          `json:"filter"`
	Groups     []GroupRepresentation `json:"groups" doc:"Groups with current members, by level, kind and name"`
	Levels     []LevelRepresentation `json:"levels"`
	Total      Representation        `json:"total"`
	// Unrepresented are the national groups (NPO, NSG, the national
	// primary-care council) in which no current member represents the home region.
	Unrepresented []GroupRef `json:"unrepresented" doc:"National groups (NPO, NSG, national primary-care council) where no current member represents the home region"`
}

// Money is an amount in whole Swedish kronor.
type Money = int64

// CostSettings are the settings a cost report was computed with.
type CostSettings struct {
	AnnualCostPerFTE int64 `json:"annual_cost_per_fte"`
	OverheadPercent  int64 `json:"overhead_percent"`
	TravelPerPerson  int64 `json:"travel_per_person"`
}

// Cost is the participation cost of one group, one level or everything in a year.
type Cost struct {
	Memberships int     `json:"memberships" doc:"Memberships active at some time in the year"`
	People      int     `json:"people" doc:"Different people holding them"`
	FTE         float64 `json:"fte" doc:"Full-time equivalents: each membership's share of full time, pro-rated by its days in the year"`
	Salary      Money   `json:"salary" doc:"FTE × annual cost per full-time person, whole SEK"`
	Overhead    Money   `json:"overhead" doc:"Salary × overhead percent, whole SEK"`
	Travel      Money   `json:"travel" doc:"Travel per person, once a year per person, split evenly over the person's memberships of the year; whole SEK"`
	Total       Money   `json:"total" doc:"Salary + overhead + travel, whole SEK"`
}

// GroupCost is one group's row of the cost report.
type GroupCost struct {
	Group GroupRef `json:"group"`
	Cost
}

// LevelCost is the cost of one level's groups.
type LevelCost struct {
	Level  Level `json:"level"`
	Groups int   `json:"groups"`
	Cost
}

// CostReport is what participation in the groups costs in one year.
type CostReport struct {
	Year     int          `json:"year"`
	Settings CostSettings `json:"settings"`
	Filter   ReportFilter `json:"filter"`
	Groups   []GroupCost  `json:"groups" doc:"Groups with memberships in the year, by level, kind and name"`
	Levels   []LevelCost  `json:"levels"`
	Total    Cost         `json:"total"`
}

// RoleHolder is a person's current role in a group, as the dependence report
// lists it.
type RoleHolder struct {
	MembershipID int64     `json:"membership_id"`
	Group        GroupRef  `json:"group"`
	PersonID     int64     `json:"person_id"`
	PersonName   string    `json:"person_name"`
	Role         Role      `json:"role"`
	Start        date.Date `json:"start"`
	End          date.Date `json:"end,omitzero"`
}

// PersonKeyRoles is a person holding more key roles than the limit.
type PersonKeyRoles struct {
	PersonID   int64        `json:"person_id"`
	PersonName string       `json:"person_name"`
	KeyRoles   int          `json:"key_roles"`
	Roles      []RoleHolder `json:"roles"`
}

// DependenceReport is where the work depends on a single person, as of one day.
type DependenceReport struct {
	AsOf         date.Date    `json:"as_of"`
	Horizon      date.Date    `json:"horizon" doc:"Last day of the window in which ending roles are looked for"`
	KeyRoleLimit int          `json:"key_role_limit"`
	Filter       ReportFilter `json:"filter"`
	// NoDeputy are current key roles (chair, process leader, coordinator) in
	// groups that have no current deputy.
	NoDeputy []RoleHolder `json:"no_deputy" doc:"Current key roles (chair, process leader, coordinator) in groups without a current deputy"`
	// SingleRepresentative are groups in which one person alone represents the
	// home region, with no deputy for the home region.
	SingleRepresentative []RoleHolder `json:"single_representative" doc:"Groups where one member alone represents the home region and no deputy does"`
	// Overloaded are people holding more current key roles than the limit.
	Overloaded []PersonKeyRoles `json:"overloaded" doc:"People holding more current key roles than key_role_limit"`
	// EndingWithoutSuccessor are current roles ending within the window with
	// no other membership of the same role in the group taking over by the day
	// after the end.
	EndingWithoutSuccessor []RoleHolder `json:"ending_without_successor" doc:"Current roles ending within 90 days with no successor in the same group and role starting by the day after the end"`
	// Work is the work of other features, such as knowledge supports, that
	// rests on one responsible person or none.
	Work []DependentWork `json:"dependent_work" doc:"Work resting on one responsible person or none: knowledge supports the region works on (decided for introduction or later) with fewer than two improvement leads"`
}

// DependentWork is work of another feature that rests on one responsible
// person or none, such as a knowledge support in work with fewer than two
// improvement leads. The registry lists it without knowing the feature.
type DependentWork struct {
	Kind      string   `json:"kind" doc:"What sort of work: knowledge_support"`
	Title     string   `json:"title"`
	Href      string   `json:"href" doc:"The work's page"`
	StatusKey string   `json:"status_key" doc:"Message catalogue key of the work's status"`
	Leads     []string `json:"leads" doc:"Names of the responsible people, none or one"`
	GroupIDs  []int64  `json:"group_ids" doc:"The groups owning the work; a report narrowed to some groups lists the work of those"`
}

// DependenceSource lists the dependent work of one feature.
type DependenceSource func(ctx context.Context) ([]DependentWork, error)

// DependenceWindow is how many days ahead the dependence report looks for
// roles that end.
const DependenceWindow = 90

// Representation reports, as of today, the current members of the groups
// matching f by kind of home unit and by what they represent, and the
// national groups without a representative of the home region.
func (s *Service) Representation(ctx context.Context, f ReportFilter) (RepresentationReport, error) {
	if err := f.Validate(); err != nil {
		return RepresentationReport{}, err
	}
	st, err := findSettings(ctx, s.db)
	if err != nil {
		return RepresentationReport{}, err
	}
	home, _, err := findHomeRegion(ctx, s.db, st.HomeRegion)
	if err != nil {
		return RepresentationReport{}, err
	}
	today := s.Today()
	var kinds []kindRow
	var regions []regionRow
	var missing []GroupRef
	err = concurrently(
		func() (err error) { kinds, err = representationByKind(ctx, s.db, home.Code, today, f); return err },
		func() (err error) { regions, err = representationByRegion(ctx, s.db, today, f); return err },
		func() (err error) { missing, err = unrepresentedNational(ctx, s.db, home.Code, today, f); return err },
	)
	if err != nil {
		return RepresentationReport{}, err
	}
	r := buildRepresentation(kinds, regions)
	r.AsOf, r.HomeRegion, r.Filter, r.Unrepresented = today, home, f, missing
	return r, nil
}

// kindRow is one group's current members from one kind of home unit.
type kindRow struct {
	group       GroupRef
	kind        UnitKind
	members     int
	homeMembers int
}

// regionRow is one group's current members representing one region or
// sjukvårdsregion.
type regionRow struct {
	groupID int64
	count   RepresentedCount
}

// buildRepresentation sums the rows per group, per level and in total.
func buildRepresentation(kinds []kindRow, regions []regionRow) RepresentationReport {
	var r RepresentationReport
	index := map[int64]int{}
	for _, k := range kinds {
		i, ok := index[k.group.ID]
		if !ok {
			i = len(r.Groups)
			index[k.group.ID] = i
			r.Groups = append(r.Groups, GroupRepresentation{Group: k.group, Representation: emptyRepresentation()})
		}
		r.Groups[i].add(k.kind, k.members, k.homeMembers)
	}
	for _, rr := range regions {
		if i, ok := index[rr.groupID]; ok {
			r.Groups[i].ByRegion = append(r.Groups[i].ByRegion, rr.count)
		}
	}
	sortByGroup(r.Groups, func(g GroupRepresentation) GroupRef { return g.Group })
	r.Total = emptyRepresentation()
	for i := range r.Groups {
		g := &r.Groups[i]
		g.finish()
		slices.SortFunc(g.ByRegion, func(a, b RepresentedCount) int {
			return cmp.Or(cmp.Compare(b.Members, a.Members), cmp.Compare(representedOrder(a.Type), representedOrder(b.Type)), cmp.Compare(a.Name, b.Name))
		})
		if n := len(r.Levels); n == 0 || r.Levels[n-1].Level != g.Group.Level {
			r.Levels = append(r.Levels, LevelRepresentation{Level: g.Group.Level, Representation: emptyRepresentation()})
		}
		l := &r.Levels[len(r.Levels)-1]
		l.Groups++
		for _, kc := range g.ByKind {
			l.add(kc.Kind, kc.Members, 0)
			r.Total.add(kc.Kind, kc.Members, 0)
		}
		l.HomeMembers += g.HomeMembers
		r.Total.HomeMembers += g.HomeMembers
	}
	for i := range r.Levels {
		r.Levels[i].finish()
	}
	r.Total.finish()
	return r
}

func representedOrder(t string) int {
	switch t {
	case RepresentsHealthcare:
		return 0
	case RepresentsRegion:
		return 1
	}
	return 2
}

// emptyRepresentation has a zero count for every kind of unit, so tables and
// exports always have the same columns.
func emptyRepresentation() Representation {
	r := Representation{ByKind: make([]KindCount, len(UnitKinds))}
	for i, k := range UnitKinds {
		r.ByKind[i].Kind = k
	}
	return r
}

func (r *Representation) add(kind UnitKind, members, home int) {
	i := slices.Index(UnitKinds, kind)
	if i < 0 {
		i = slices.Index(UnitKinds, OtherKind)
	}
	r.ByKind[i].Members += members
	r.Members += members
	r.HomeMembers += home
}

func (r *Representation) finish() {
	r.UniversityShare = 0
	if r.Members > 0 {
		r.UniversityShare = float64(r.ByKind[slices.Index(UnitKinds, UniversityHospital)].Members) / float64(r.Members)
	}
}

// Count returns the members from kind k.
func (r Representation) Count(k UnitKind) int {
	for _, kc := range r.ByKind {
		if kc.Kind == k {
			return kc.Members
		}
	}
	return 0
}

// sortByGroup orders rows national first, then sjukvårdsregion, then region;
// within a level by kind and name.
func sortByGroup[T any](rows []T, ref func(T) GroupRef) {
	slices.SortStableFunc(rows, func(a, b T) int {
		x, y := ref(a), ref(b)
		return cmp.Or(cmp.Compare(slices.Index(Levels, x.Level), slices.Index(Levels, y.Level)),
			cmp.Compare(slices.Index(GroupKinds, x.Kind), slices.Index(GroupKinds, y.Kind)),
			cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
}

// ParticipationCost reports what participation in the groups matching f costs
// in year: for every membership active at some time in the year, its share of
// full time × the annual cost per full-time person × (1 + overhead), pro-rated
// by the days it is active in the year; plus travel for every person taking
// part, counted once per person and year.
func (s *Service) ParticipationCost(ctx context.Context, year int, f ReportFilter) (CostReport, error) {
	if err := ValidateCostQuery(year, f); err != nil {
		return CostReport{}, err
	}
	st, err := findSettings(ctx, s.db)
	if err != nil {
		return CostReport{}, err
	}
	var groups []costRow
	var people map[Level]int
	err = concurrently(
		func() (err error) { groups, err = costRows(ctx, s.db, year, f); return err },
		func() (err error) { people, err = costPeople(ctx, s.db, year, f); return err },
	)
	if err != nil {
		return CostReport{}, err
	}
	settings := CostSettings{AnnualCostPerFTE: st.AnnualCostPerFTE, OverheadPercent: st.OverheadPercent, TravelPerPerson: st.TravelPerPerson}
	r := buildCost(groups, people, settings, year)
	r.Filter = f
	return r, nil
}

// costRow is one group's memberships in a year, as the database sums them.
type costRow struct {
	group       GroupRef
	memberships int
	people      int
	bpDays      int64   // Σ share (hundredths of a percent) × days active in the year
	travelShare float64 // Σ 1/(the person's memberships in the year): people, split over their groups
}

// costSum is a cost before rounding to whole kronor.
type costSum struct {
	memberships, people int
	fte, travelShare    float64
}

func (c *costSum) add(r costRow, daysInYear int) {
	c.memberships += r.memberships
	c.fte += float64(r.bpDays) / (10000 * float64(daysInYear))
	c.travelShare += r.travelShare
}

// cost turns the sums into kronor, rounding each amount once, at the end.
func (c costSum) cost(s CostSettings) Cost {
	salary := c.fte * float64(s.AnnualCostPerFTE)
	overhead := salary * float64(s.OverheadPercent) / 100
	travel := c.travelShare * float64(s.TravelPerPerson)
	return Cost{
		Memberships: c.memberships,
		People:      c.people,
		FTE:         math.Round(c.fte*10000) / 10000,
		Salary:      Money(math.Round(salary)),
		Overhead:    Money(math.Round(overhead)),
		Travel:      Money(math.Round(travel)),
		Total:       Money(math.Round(salary + overhead + travel)),
	}
}

// buildCost computes the report from the per-group sums and the number of
// different people per level ("" for all levels).
func buildCost(rows []costRow, people map[Level]int, s CostSettings, year int) CostReport {
	r := CostReport{Year: year, Settings: s}
	days := daysInYear(year)
	sortByGroup(rows, func(c costRow) GroupRef { return c.group })
	var total costSum
	var levels []costSum
	for _, row := range rows {
		var g costSum
		g.add(row, days)
		g.people = row.people
		r.Groups = append(r.Groups, GroupCost{Group: row.group, Cost: g.cost(s)})
		if n := len(r.Levels); n == 0 || r.Levels[n-1].Level != row.group.Level {
			r.Levels = append(r.Levels, LevelCost{Level: row.group.Level})
			levels = append(levels, costSum{people: people[row.group.Level]})
		}
		r.Levels[len(r.Levels)-1].Groups++
		levels[len(levels)-1].add(row, days)
		total.add(row, days)
	}
	for i := range r.Levels {
		r.Levels[i].Cost = levels[i].cost(s)
	}
	total.people = people[""]
	r.Total = total.cost(s)
	return r
}

func daysInYear(year int) int {
	return int(date.New(year+1, 1, 1).Time().Sub(date.New(year, 1, 1).Time()).Hours() / 24)
}

// PersonDependence reports, as of today, where the work of the groups
// matching f hangs on a single person: key roles without a deputy, groups
// where one person alone represents the home region, people with more key
// roles than the limit, roles ending soon without a successor, and the work
// that sources list as resting on one person or none (of groups matching f).
func (s *Service) PersonDependence(ctx context.Context, f ReportFilter, sources ...DependenceSource) (DependenceReport, error) {
	if err := f.Validate(); err != nil {
		return DependenceReport{}, err
	}
	st, err := findSettings(ctx, s.db)
	if err != nil {
		return DependenceReport{}, err
	}
	today := s.Today()
	r := DependenceReport{AsOf: today, Horizon: today.AddDays(DependenceWindow), KeyRoleLimit: st.KeyRoleLimit, Filter: f}
	var overloaded []RoleHolder
	err = concurrently(
		func() (err error) { r.NoDeputy, err = keyRolesWithoutDeputy(ctx, s.db, today, f); return err },
		func() (err error) {
			r.SingleRepresentative, err = singleRepresentatives(ctx, s.db, st.HomeRegion, today, f)
			return err
		},
		func() (err error) {
			overloaded, err = overloadedKeyRoles(ctx, s.db, st.KeyRoleLimit, today, f)
			return err
		},
		func() (err error) {
			r.EndingWithoutSuccessor, err = endingWithoutSuccessor(ctx, s.db, today, r.Horizon, f)
			return err
		},
	)
	if err != nil {
		return DependenceReport{}, err
	}
	r.Overloaded = groupByPerson(overloaded)
	if r.Work, err = s.dependentWork(ctx, f, sources); err != nil {
		return DependenceReport{}, err
	}
	return r, nil
}

// dependentWork gathers the work of sources; with a filter, only the work
// owned by a group matching it.
func (s *Service) dependentWork(ctx context.Context, f ReportFilter, sources []DependenceSource) ([]DependentWork, error) {
	out := []DependentWork{}
	for _, src := range sources {
		work, err := src(ctx)
		if err != nil {
			return nil, fmt.Errorf("dependent work: %w", err)
		}
		out = append(out, work...)
	}
	if f == (ReportFilter{}) || len(out) == 0 {
		return out, nil
	}
	groups, err := listGroups(ctx, s.db, GroupFilter{Kind: f.Kind, Level: f.Level})
	if err != nil {
		return nil, err
	}
	match := make(map[int64]bool, len(groups))
	for _, g := range groups {
		match[g.ID] = true
	}
	return slices.DeleteFunc(out, func(w DependentWork) bool {
		return !slices.ContainsFunc(w.GroupIDs, func(id int64) bool { return match[id] })
	}), nil
}

// concurrently runs the report's independent read queries at the same time,
// each on its own connection, and returns their errors. A report then takes
// about as long as its slowest query rather than the sum of them.
func concurrently(queries ...func() error) error {
	failures := make([]error, len(queries))
	var wg sync.WaitGroup
	for i, q := range queries {
		wg.Go(func() { failures[i] = q() })
	}
	wg.Wait()
	return errors.Join(failures...)
}

// groupByPerson gathers key roles per person, the busiest first.
func groupByPerson(holders []RoleHolder) []PersonKeyRoles {
	var out []PersonKeyRoles
	index := map[int64]int{}
	for _, h := range holders {
		i, ok := index[h.PersonID]
		if !ok {
			i = len(out)
			index[h.PersonID] = i
			out = append(out, PersonKeyRoles{PersonID: h.PersonID, PersonName: h.PersonName})
		}
		out[i].Roles = append(out[i].Roles, h)
		out[i].KeyRoles++
	}
	slices.SortStableFunc(out, func(a, b PersonKeyRoles) int {
		return cmp.Or(cmp.Compare(b.KeyRoles, a.KeyRoles), cmp.Compare(a.PersonName, b.PersonName), cmp.Compare(a.PersonID, b.PersonID))
	})
	return out
}
