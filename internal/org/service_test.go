package org_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var today = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func newService(d *db.DB) *org.Service {
	now := func() time.Time { return today }
	return org.NewService(d, audit.New(now), now)
}

func ctx() context.Context {
	return access.With(context.Background(), access.Principal{UserID: 0, Username: "test"})
}

// must(v, err)(t) fails the test on err and returns v.
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	v, ok := errs.AsValidation(err)
	if !ok || !v.Has(field) {
		t.Fatalf("got %v, want a problem with %s", err, field)
	}
}

func TestUnits_TreeRulesAndHistory(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := audit.WithSystemActor(context.Background(), "test")
		div := must(s.CreateUnit(c, org.Unit{Level: org.Division, Name: "Hälso- och sjukvårdsförvaltningen", Kind: org.OtherKind}))(t)
		dep := must(s.CreateUnit(c, org.Unit{Level: org.Department, ParentID: div.ID, Name: "Medicinkliniken", Kind: org.CountyHospital, HSAID: "SE2321000207-1001"}))(t)
		unit := must(s.CreateUnit(c, org.Unit{Level: org.CareUnit, ParentID: dep.ID, Name: "Avd 7", Kind: org.CountyHospital}))(t)

		_, err := s.CreateUnit(c, org.Unit{Level: org.Department, ParentID: div.ID, Name: "Kirurgkliniken", Kind: org.CountyHospital, HSAID: "se2321000207-1001"})
		wantField(t, err, "hsa_id") // duplicate, case-insensitively
		_, err = s.CreateUnit(c, org.Unit{Level: org.CareUnit, ParentID: dep.ID, Name: "X", Kind: org.OtherKind, HSAID: "2321000207-1"})
		wantField(t, err, "hsa_id") // malformed
		_, err = s.CreateUnit(c, org.Unit{Level: org.Department, Name: "Utan förälder", Kind: org.OtherKind})
		wantField(t, err, "parent_id")
		_, err = s.CreateUnit(c, org.Unit{Level: org.Department, ParentID: unit.ID, Name: "Under en vårdenhet", Kind: org.OtherKind})
		wantField(t, err, "parent_id")

		// A department cannot move under its own care unit: that is a cycle or a level error.
		dep2 := dep
		dep2.ParentID = unit.ID
		_, err = s.UpdateUnit(c, dep2)
		wantField(t, err, "parent_id")

		// Rename and move: history keeps the old name.
		dep3 := dep
		dep3.Name = "Medicin- och geriatrikkliniken"
		after := must(s.UpdateUnit(c, dep3))(t)
		hist := must(s.UnitHistory(c, dep.ID))(t)
		if len(hist) != 1 || hist[0].Name != "Medicinkliniken" || hist[0].ChangedBy != "test" {
			t.Fatalf("history = %+v", hist)
		}
		// A stale edit of the same unit is a conflict.
		if _, err := s.UpdateUnit(c, dep3); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale edit: %v", err)
		}
		// A unit with sub-units cannot be deleted.
		if err := s.DeleteUnit(c, after.ID, after.Version); !errors.Is(err, errs.ErrReferenced) {
			t.Fatalf("delete with children: %v", err)
		}
		tree := must(s.Tree(c, "avd"))(t)
		if len(tree) != 1 || len(tree[0].Children) != 1 || len(tree[0].Children[0].Children) != 1 || !tree[0].Children[0].Children[0].Match {
			t.Fatalf("search tree does not show the match in its place: %+v", tree)
		}
	})
}

func TestGroups_ReferenceAndConflicts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := ctx()
		npos := must(s.Groups(c, org.GroupFilter{Kind: org.NPO}))(t)
		if len(npos) != 25 {
			t.Fatalf("%d NPOs, want 25", len(npos))
		}
		npo := npos[0]
		if err := s.DeleteGroup(c, npo.ID, npo.Version); err == nil {
			t.Fatal("a reference NPO was deleted")
		}
		nag := must(s.CreateGroup(c, org.Group{Kind: org.NAG, Level: org.National, ParentID: npo.ID, Name: "NAG Testgrupp", Seats: 6}))(t)
		lpo := must(s.CreateGroup(c, org.Group{Kind: org.LPO, Level: org.RegionalLevel, Name: "LPO Hjärta"}))(t)
		_, err := s.CreateGroup(c, org.Group{Kind: org.NAG, Level: org.National, ParentID: lpo.ID, Name: "NAG under LPO"})
		wantField(t, err, "parent_id")
		_, err = s.CreateGroup(c, org.Group{Kind: org.LPO, Level: org.RegionalLevel, Name: "X", HostRegion: "norra"})
		wantField(t, err, "host_region")

		// Hosting of an NPO is editable; two coordinators editing at once conflict.
		first, second := npo, npo
		first.HostRegion = "sodra"
		second.Mandate = "Annan ändring"
		must(s.UpdateGroup(c, first))(t)
		if _, err := s.UpdateGroup(c, second); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("second coordinator: %v, want ErrConflict", err)
		}
		// A group cannot become its own grandparent.
		lpo2 := must(s.Group(c, lpo.ID))(t)
		child := must(s.CreateGroup(c, org.Group{Kind: org.OtherGroup, Level: org.RegionalLevel, Name: "Undergrupp", ParentID: lpo.ID}))(t)
		lpo2.ParentID = child.ID
		_, err = s.UpdateGroup(c, lpo2)
		wantField(t, err, "parent_id")
		view := must(s.GroupView(c, npo.ID))(t)
		if len(view.Children) != 1 || view.Children[0].ID != nag.ID || view.Vacancies != 6 {
			t.Fatalf("group view: children %v vacancies %d", view.Children, view.Vacancies)
		}
	})
}

func TestMemberships_ValidationAndViews(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := ctx()
		g := must(s.CreateGroup(c, org.Group{Kind: org.LPO, Level: org.RegionalLevel, Name: "LPO Diabetes", Seats: 3}))(t)
		p := must(s.CreatePerson(c, org.Person{Name: "Anna Andersson", Title: "Överläkare", Email: "anna@example.se"}))(t)
		start := date.New(2025, 1, 1)
		tests := []struct {
			name  string
			m     org.Membership
			field string
		}{
			{"ends before it starts", org.Membership{GroupID: g.ID, PersonID: p.ID, Role: org.Chair, Start: start, End: start.AddDays(-1)}, "end"},
			{"share above 100", org.Membership{GroupID: g.ID, PersonID: p.ID, Role: org.Member, Start: start, SharePercent: 120}, "share_percent"},
			{"negative share", org.Membership{GroupID: g.ID, PersonID: p.ID, Role: org.Member, Start: start, SharePercent: -1}, "share_percent"},
			{"unknown group", org.Membership{GroupID: 99999, PersonID: p.ID, Role: org.Member, Start: start}, "group_id"},
			{"unknown role", org.Membership{GroupID: g.ID, PersonID: p.ID, Role: "king", Start: start}, "role"},
			{"unknown region", org.Membership{GroupID: g.ID, PersonID: p.ID, Role: org.Member, Start: start, RepresentsRegion: "atlantis"}, "represents_region"},
		}
		for _, tt := range tests {
			_, err := s.CreateMembership(c, tt.m)
			wantField(t, err, tt.field)
		}
		must(s.CreateMembership(c, org.Membership{GroupID: g.ID, PersonID: p.ID, Role: org.Chair, Start: start, SharePercent: 12.5, RepresentsRegion: "jamtland-harjedalen"}))(t)
		must(s.CreateMembership(c, org.Membership{GroupID: g.ID, PersonID: p.ID, Role: org.Member, Start: date.New(2020, 1, 1), End: date.New(2024, 12, 31), SharePercent: 5}))(t)
		pv := must(s.PersonView(c, p.ID))(t)
		if len(pv.Current) != 1 || len(pv.Past) != 1 || pv.SharePercent != 12.5 || pv.KeyRoles != 1 {
			t.Fatalf("person view: %d current, %d past, share %v, key %d", len(pv.Current), len(pv.Past), pv.SharePercent, pv.KeyRoles)
		}
		gv := must(s.GroupView(c, g.ID))(t)
		if len(gv.Current) != 1 || gv.Vacancies != 2 {
			t.Fatalf("group view: %d current, %d vacancies", len(gv.Current), gv.Vacancies)
		}
		// A person with memberships cannot be deleted.
		if err := s.DeletePerson(c, p.ID, pv.Person.Version); !errors.Is(err, errs.ErrReferenced) {
			t.Fatalf("delete person with memberships: %v", err)
		}
	})
}

func TestSettings_SaveValidatesAndDetectsConflict(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := ctx()
		st := must(s.Settings(c))(t)
		if st.HomeRegion != "jamtland-harjedalen" {
			t.Fatalf("home region %q", st.HomeRegion)
		}
		bad := st
		bad.HomeRegion = "atlantis"
		_, err := s.SaveSettings(c, bad)
		wantField(t, err, "home_region")
		st.OverheadPercent = 30
		must(s.SaveSettings(c, st))(t)
		if _, err := s.SaveSettings(c, st); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale settings: %v", err)
		}
		munis := must(s.Municipalities(c))(t)
		if len(munis) != 8 {
			t.Fatalf("%d municipalities", len(munis))
		}
	})
}
