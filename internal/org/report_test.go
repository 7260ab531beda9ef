package org_test

import (
	"context"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

const home = "jamtland-harjedalen"

// fixture builds small organisations for the report tests through the
// service, so every rule of the registry applies.
type fixture struct {
	t *testing.T
	s *org.Service
	c context.Context
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	return &fixture{t: t, s: newService(d), c: ctx()}
}

func (f *fixture) group(kind org.GroupKind, level org.Level, name string) org.Group {
	f.t.Helper()
	return must(f.s.CreateGroup(f.c, org.Group{Kind: kind, Level: level, Name: name}))(f.t)
}

// reference returns the national reference group with code.
func (f *fixture) reference(code string) org.Group {
	f.t.Helper()
	for _, g := range must(f.s.Groups(f.c, org.GroupFilter{Level: org.National}))(f.t) {
		if g.Code == code {
			return g
		}
	}
	f.t.Fatalf("no reference group %s", code)
	return org.Group{}
}

func (f *fixture) person(name string, unitID int64, kind org.UnitKind) org.Person {
	f.t.Helper()
	return must(f.s.CreatePerson(f.c, org.Person{Name: name, UnitID: unitID, WorkplaceKind: kind}))(f.t)
}

// member gives p role in g from start until end (zero: open-ended) at share
// percent of full time, representing the region or sjukvårdsregion code.
func (f *fixture) member(g org.Group, p org.Person, role org.Role, share float64, start, end date.Date, represents string) org.Membership {
	f.t.Helper()
	m := org.Membership{GroupID: g.ID, PersonID: p.ID, Role: role, SharePercent: share, Start: start, End: end}
	switch represents {
	case "":
	case "norra", "sodra", "stockholm-gotland", "vastra", "sydostra", "mellansverige":
		m.RepresentsHealthcareRegion = represents
	default:
		m.RepresentsRegion = represents
	}
	return must(f.s.CreateMembership(f.c, m))(f.t)
}

var (
	longAgo = date.New(2020, 1, 1)
	open    = date.Date{}
)

func TestParticipationCost_Reproduces2018Figure(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// The 2018 report: 30 people at 10 % of full time, with its cost settings.
		st := must(f.s.Settings(f.c))(t)
		if st.AnnualCostPerFTE != 1_300_000 || st.OverheadPercent != 25 || st.TravelPerPerson != 4_000 {
			t.Fatalf("default cost settings %+v, want the 2018 ones", st)
		}
		groups := []org.Group{f.reference("akut-vard"), f.reference("cancersjukdomar"), f.group(org.RPO, org.HealthcareLevel, "RPO Hjärta")}
		for i := range 30 {
			p := f.person("Person "+string(rune('A'+i%26))+string(rune('a'+i/26)), 0, org.PrimaryCare)
			f.member(groups[i%3], p, org.Member, 10, longAgo, open, home)
		}
		r := must(f.s.ParticipationCost(f.c, 2026, org.ReportFilter{}))(t)
		if math.Abs(float64(r.Total.Total)-5_000_000) > 0.05*5_000_000 {
			t.Fatalf("30 people at 10 %%: %d SEK, want about 5 MSEK", r.Total.Total)
		}
		want := org.Cost{Memberships: 30, People: 30, FTE: 3, Salary: 3_900_000, Overhead: 975_000, Travel: 120_000, Total: 4_995_000}
		if diff := cmp.Diff(want, r.Total); diff != "" {
			t.Errorf("total (-want +got):\n%s", diff)
		}
		if len(r.Groups) != 3 || len(r.Levels) != 2 || r.Levels[0].Level != org.National || r.Levels[0].Total != 3_330_000 {
			t.Errorf("groups %d, levels %+v", len(r.Groups), r.Levels)
		}
	})
}

// seedCost is a small organisation for the cost report of 2026: Anna sits in
// two groups (one from July), Bo's membership ended in 2025 and Cilla's starts
// in 2027, so only Anna counts.
func seedCost(t *testing.T, d *db.DB) *fixture {
	f := newFixture(t, d)
	lpo := f.group(org.LPO, org.RegionalLevel, "LPO Diabetes")
	rpo := f.group(org.RPO, org.HealthcareLevel, "RPO Diabetes")
	anna, bo, cilla := f.person("Anna Andersson", 0, org.UniversityHospital), f.person("Bo Berg", 0, ""), f.person("Cilla Cox", 0, "")
	f.member(lpo, anna, org.Chair, 50, longAgo, open, "")
	f.member(rpo, anna, org.Member, 20, date.New(2026, 7, 1), open, home)
	f.member(rpo, bo, org.Member, 10, longAgo, date.New(2025, 12, 31), home)
	f.member(rpo, cilla, org.Member, 10, date.New(2027, 1, 1), open, home)
	return f
}

func TestParticipationCost_ProRatesDaysAndCountsTravelOncePerPerson(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := seedCost(t, d)
		r := must(f.s.ParticipationCost(f.c, 2026, org.ReportFilter{}))(t)
		// RPO: 20 % for 184 of 365 days; LPO: 50 % all year. Anna's travel
		// (4 000) is counted once and split over her two groups.
		rpoFTE := 0.2 * 184 / 365
		want := []org.GroupCost{
			{Group: org.GroupRef{Kind: org.RPO, Level: org.HealthcareLevel, Name: "RPO Diabetes"},
				Cost: org.Cost{Memberships: 1, People: 1, FTE: 0.1008, Salary: 131_068, Overhead: 32_767, Travel: 2000, Total: 165_836}},
			{Group: org.GroupRef{Kind: org.LPO, Level: org.RegionalLevel, Name: "LPO Diabetes"},
				Cost: org.Cost{Memberships: 1, People: 1, FTE: 0.5, Salary: 650_000, Overhead: 162_500, Travel: 2000, Total: 814_500}},
		}
		if diff := cmp.Diff(want, r.Groups, cmp.Transformer("noID", func(g org.GroupRef) org.GroupRef { g.ID = 0; return g })); diff != "" {
			t.Errorf("groups (-want +got):\n%s", diff)
		}
		wantTotal := org.Cost{Memberships: 2, People: 1, FTE: math.Round((0.5+rpoFTE)*10000) / 10000,
			Salary: 781_068, Overhead: 195_267, Travel: 4000, Total: 980_336}
		if diff := cmp.Diff(wantTotal, r.Total); diff != "" {
			t.Errorf("total (-want +got):\n%s", diff)
		}
		if len(r.Levels) != 2 || r.Levels[0].Level != org.HealthcareLevel || r.Levels[0].People != 1 || r.Levels[1].Total != 814_500 {
			t.Errorf("levels %+v", r.Levels)
		}
		// Bo's membership of 2025 counts in 2025, in proportion to its year.
		r2025 := must(f.s.ParticipationCost(f.c, 2025, org.ReportFilter{}))(t)
		if r2025.Total.People != 2 || r2025.Total.Travel != 8000 || r2025.Total.Salary != 650_000+130_000 {
			t.Errorf("2025: %+v", r2025.Total)
		}
		// A filter keeps the figures of the groups it keeps.
		lpoOnly := must(f.s.ParticipationCost(f.c, 2026, org.ReportFilter{Level: org.RegionalLevel}))(t)
		if len(lpoOnly.Groups) != 1 || lpoOnly.Total.Total != 814_500 || lpoOnly.Total.People != 1 {
			t.Errorf("region level only: %+v", lpoOnly.Total)
		}
		empty := must(f.s.ParticipationCost(f.c, 2010, org.ReportFilter{}))(t)
		if len(empty.Groups) != 0 || empty.Total != (org.Cost{}) {
			t.Errorf("2010: %+v", empty)
		}
	})
}

func TestReports_RejectBadFilters(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, c := newService(d), ctx()
		_, err := s.ParticipationCost(c, 1999, org.ReportFilter{Level: "galactic"})
		wantField(t, err, "year")
		wantField(t, err, "level")
		_, err = s.Representation(c, org.ReportFilter{Kind: "club"})
		wantField(t, err, "kind")
		_, err = s.PersonDependence(c, org.ReportFilter{Level: "x"})
		if v, ok := errs.AsValidation(err); !ok || !v.Has("level") {
			t.Errorf("dependence: %v", err)
		}
	})
}

func TestRepresentation_CountsSeatsByUnitKindAndRegion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		div := must(f.s.CreateUnit(f.c, org.Unit{Level: org.Division, Name: "Hälso- och sjukvården", Kind: org.OtherKind}))(t)
		uni := must(f.s.CreateUnit(f.c, org.Unit{Level: org.Department, ParentID: div.ID, Name: "Kardiologen", Kind: org.UniversityHospital}))(t)
		county := must(f.s.CreateUnit(f.c, org.Unit{Level: org.Department, ParentID: div.ID, Name: "Medicinkliniken", Kind: org.CountyHospital}))(t)
		p1 := f.person("Anna Andersson", uni.ID, org.PrimaryCare) // the unit's kind wins over the workplace kind
		p2 := f.person("Bo Berg", 0, org.PrimaryCare)
		p3 := f.person("Cilla Cox", 0, "")
		p4 := f.person("David Dahl", county.ID, "")
		npoA, npoB := f.reference("akut-vard"), f.reference("cancersjukdomar")
		lpo := f.group(org.LPO, org.RegionalLevel, "LPO Hjärta")
		f.member(npoA, p1, org.Member, 10, longAgo, open, home)
		f.member(npoA, p2, org.Member, 10, longAgo, open, "norra")
		f.member(npoA, p3, org.Deputy, 5, longAgo, open, home)                    // a deputy holds no seat
		f.member(npoA, p4, org.Member, 10, longAgo, date.New(2025, 12, 31), home) // ended
		f.member(npoB, p4, org.Chair, 20, longAgo, open, "vasterbotten")
		f.member(lpo, p1, org.Chair, 10, longAgo, open, "")
		f.member(lpo, p2, org.Member, 10, longAgo, open, "")
		f.member(lpo, p3, org.Secretary, 10, longAgo, open, "")
		f.member(lpo, p3, org.Member, 10, date.New(2027, 1, 1), open, "") // not started

		r := must(f.s.Representation(f.c, org.ReportFilter{}))(t)
		if r.AsOf != date.New(2026, 11, 23) || r.HomeRegion.Code != home {
			t.Errorf("as of %v, home %v", r.AsOf, r.HomeRegion)
		}
		type row struct {
			Name                       string
			Members, Home, Uni, County int
			Primary, Other             int
			Share                      float64
			Regions                    []org.RepresentedCount
		}
		var got []row
		for _, g := range r.Groups {
			got = append(got, row{g.Group.Name, g.Members, g.HomeMembers, g.Count(org.UniversityHospital), g.Count(org.CountyHospital),
				g.Count(org.PrimaryCare), g.Count(org.OtherKind), g.UniversityShare, g.ByRegion})
		}
		want := []row{
			{"Akut vård", 2, 1, 1, 0, 1, 0, 0.5, []org.RepresentedCount{
				{Type: org.RepresentsHealthcare, Code: "norra", Name: "Norra", Members: 1},
				{Type: org.RepresentsRegion, Code: home, Name: "Region Jämtland Härjedalen", Members: 1}}},
			{"Cancersjukdomar", 1, 0, 0, 1, 0, 0, 0, []org.RepresentedCount{{Type: org.RepresentsRegion, Code: "vasterbotten", Name: "Region Västerbotten", Members: 1}}},
			{"LPO Hjärta", 2, 0, 1, 0, 1, 0, 0.5, []org.RepresentedCount{{Type: org.RepresentsNone, Members: 2}}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("groups (-want +got):\n%s", diff)
		}
		if len(r.Levels) != 2 || r.Levels[0].Level != org.National || r.Levels[0].Groups != 2 || r.Levels[0].Members != 3 ||
			math.Abs(r.Levels[0].UniversityShare-1.0/3) > 1e-9 || r.Levels[1].Level != org.RegionalLevel || r.Levels[1].UniversityShare != 0.5 {
			t.Errorf("levels %+v", r.Levels)
		}
		if r.Total.Members != 5 || r.Total.HomeMembers != 1 || r.Total.UniversityShare != 0.4 {
			t.Errorf("total %+v", r.Total)
		}
		national := 0
		for _, k := range org.NationalKinds {
			national += len(must(f.s.Groups(f.c, org.GroupFilter{Kind: k, Level: org.National}))(t))
		}
		missing := map[string]bool{}
		for _, g := range r.Unrepresented {
			missing[g.Code] = true
		}
		if len(r.Unrepresented) != national-1 || missing["akut-vard"] || !missing["cancersjukdomar"] || !missing["nationellt-primarvardsrad"] {
			t.Errorf("%d of %d national groups without the home region; akut-vard %v", len(r.Unrepresented), national, missing["akut-vard"])
		}
		lpoOnly := must(f.s.Representation(f.c, org.ReportFilter{Kind: org.LPO}))(t)
		if len(lpoOnly.Groups) != 1 || lpoOnly.Total.Members != 2 || len(lpoOnly.Unrepresented) != 0 {
			t.Errorf("LPO only: %d groups, %d members, %d unrepresented", len(lpoOnly.Groups), lpoOnly.Total.Members, len(lpoOnly.Unrepresented))
		}
	})
}

// holders names role holders as "group/role/person".
func holders(hs []org.RoleHolder) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, h.Group.Name+"/"+string(h.Role)+"/"+h.PersonName)
	}
	return out
}

func TestPersonDependence_FindsSinglePointsOfFailure(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		anna, bo, cilla, david := f.person("Anna Andersson", 0, ""), f.person("Bo Berg", 0, ""), f.person("Cilla Cox", 0, ""), f.person("David Dahl", 0, "")
		heart, diabetes := f.group(org.LPO, org.RegionalLevel, "LPO Hjärta"), f.group(org.LPO, org.RegionalLevel, "LPO Diabetes")
		// Today is 2026-11-23; the window runs to 2027-02-21.
		f.member(heart, anna, org.Chair, 10, longAgo, date.New(2027, 1, 15), "")           // key role, no deputy, ends with nobody after
		f.member(diabetes, bo, org.ProcessLeader, 20, longAgo, date.New(2026, 12, 31), "") // has a deputy; David takes over
		f.member(diabetes, david, org.ProcessLeader, 20, date.New(2027, 1, 1), open, "")
		f.member(diabetes, cilla, org.Deputy, 5, longAgo, date.New(2027, 1, 31), "") // the next deputy starts after a gap
		f.member(diabetes, david, org.Deputy, 5, date.New(2027, 2, 5), open, "")
		f.member(diabetes, bo, org.Member, 5, longAgo, date.New(2027, 6, 1), "") // ends after the window
		// Anna is chair, coordinator or process leader in four groups (limit 3).
		for _, name := range []string{"Råd A", "Råd B", "Råd C"} {
			f.member(f.group(org.OtherGroup, org.RegionalLevel, name), anna, org.Coordinator, 5, longAgo, open, "")
		}
		// National groups: Anna alone for the home region in one; Bo with a home
		// deputy in another; Anna and David both for the home region in a third.
		alone, backed, pair := f.reference("akut-vard"), f.reference("cancersjukdomar"), f.reference("endokrina-sjukdomar")
		f.member(alone, anna, org.Member, 5, longAgo, open, home)
		f.member(alone, bo, org.Member, 5, longAgo, open, "vasterbotten")
		f.member(backed, bo, org.Member, 5, longAgo, open, home)
		f.member(backed, cilla, org.Deputy, 5, longAgo, open, home)
		f.member(pair, anna, org.Member, 5, longAgo, open, home)
		f.member(pair, david, org.Member, 5, longAgo, open, home)

		r := must(f.s.PersonDependence(f.c, org.ReportFilter{}))(t)
		if r.AsOf != date.New(2026, 11, 23) || r.Horizon != date.New(2027, 2, 21) || r.KeyRoleLimit != 3 {
			t.Errorf("as of %v horizon %v limit %d", r.AsOf, r.Horizon, r.KeyRoleLimit)
		}
		tests := []struct {
			name string
			got  []string
			want []string
		}{
			{"key roles without deputy", holders(r.NoDeputy), []string{
				"LPO Hjärta/chair/Anna Andersson", "Råd A/coordinator/Anna Andersson", "Råd B/coordinator/Anna Andersson", "Råd C/coordinator/Anna Andersson"}},
			{"single representative", holders(r.SingleRepresentative), []string{"Akut vård/member/Anna Andersson"}},
			{"ending without successor", holders(r.EndingWithoutSuccessor), []string{"LPO Hjärta/chair/Anna Andersson", "LPO Diabetes/deputy/Cilla Cox"}},
		}
		for _, tt := range tests {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.name, diff)
			}
		}
		if len(r.Overloaded) != 1 || r.Overloaded[0].PersonName != "Anna Andersson" || r.Overloaded[0].KeyRoles != 4 || len(r.Overloaded[0].Roles) != 4 {
			t.Errorf("overloaded %+v", r.Overloaded)
		}
		// Within national groups only, Anna holds no key role.
		national := must(f.s.PersonDependence(f.c, org.ReportFilter{Level: org.National}))(t)
		if len(national.NoDeputy)+len(national.Overloaded)+len(national.EndingWithoutSuccessor) != 0 || len(national.SingleRepresentative) != 1 {
			t.Errorf("national only: %+v", national)
		}
	})
}
