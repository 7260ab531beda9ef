package org_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// TestLoadDemo loads the demo organisation and checks that every report has
// something to show: vacancies, a person with five key roles, a group whose
// only key role has no deputy, a key role ending soon without a successor,
// NPOs without the home region and university-hospital dominance.
func TestLoadDemo(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := audit.WithSystemActor(context.Background(), "demo")
		now := func() time.Time { return today }
		coordinator := must(auth.NewService(d, audit.New(now), now, auth.DefaultThrottle).CreateUser(c, auth.NewUser{
			Username: "samordnare", DisplayName: "Sara Samordnare", Password: "ett långt lösenord",
			Roles: []access.Role{access.Coordinator}, Demo: true,
		}))(t)
		s := newService(d)

		start := time.Now()
		if err := org.LoadDemo(c, s, map[string]int64{"samordnare": coordinator.ID}); err != nil {
			t.Fatal(err)
		}
		t.Logf("loaded the demo organisation in %v", time.Since(start))
		if err := org.LoadDemo(c, s, nil); !errors.Is(err, org.ErrRegistryNotEmpty) {
			t.Fatalf("second load: %v, want ErrRegistryNotEmpty", err)
		}

		// The tree: two divisions, hospital departments and care units,
		// hälsocentraler, dental clinics; every unit with a valid HSA-id.
		units := must(s.Units(c))(t)
		byName := map[string]org.Unit{}
		kinds := map[org.UnitKind]int{}
		for _, u := range units {
			byName[u.Name] = u
			kinds[u.Kind]++
			if !org.ValidHSAID(u.HSAID) {
				t.Errorf("unit %s: HSA-id %q", u.Name, u.HSAID)
			}
		}
		if len(units) < 50 || kinds[org.CountyHospital] < 20 || kinds[org.PrimaryCare] < 12 || kinds[org.Psychiatry] < 3 || kinds[org.Dental] < 4 {
			t.Errorf("%d units by kind %v", len(units), kinds)
		}
		if h := must(s.UnitHistory(c, byName["Område Kvinnosjukvård"].ID))(t); len(h) != 1 || h[0].Name != "Kvinnokliniken" {
			t.Errorf("renamed department's history: %+v", h)
		}

		// People: about 60 of the home region and ten of its municipalities and
		// politicians, about 15 of Norra's other regions.
		people := must(s.People(c, org.PersonFilter{}))(t)
		perRegion := map[string]int{}
		var sara org.Person
		for _, p := range people {
			perRegion[p.Region]++
			if p.Name == "Sara Samordnare" {
				sara = p
			}
		}
		norra := perRegion["vasterbotten"] + perRegion["norrbotten"] + perRegion["vasternorrland"]
		if perRegion[""] < 65 || perRegion[""] > 75 || norra < 14 || norra > 20 {
			t.Errorf("people per region %v", perRegion)
		}
		if sara.UserID != coordinator.ID || sara.Email != "sara.samordnare@demo.regionjh.se" {
			t.Errorf("Sara Samordnare: user %d, e-mail %q", sara.UserID, sara.Email)
		}

		// Person dependence: Sara holds five key roles, alone over the limit.
		pv := must(s.PersonView(c, sara.ID))(t)
		if pv.KeyRoles != 5 || pv.SharePercent != 100 {
			t.Errorf("Sara: %d key roles, %v %% of full time", pv.KeyRoles, pv.SharePercent)
		}
		dep := must(s.PersonDependence(c, org.ReportFilter{}))(t)
		if len(dep.Overloaded) != 1 || dep.Overloaded[0].PersonID != sara.ID || dep.Overloaded[0].KeyRoles != 5 {
			t.Errorf("overloaded: %+v", dep.Overloaded)
		}
		// One key role ends within 90 days without a successor.
		if len(dep.EndingWithoutSuccessor) != 1 {
			t.Fatalf("ending without successor: %+v", dep.EndingWithoutSuccessor)
		}
		if e := dep.EndingWithoutSuccessor[0]; e.Group.Name != "LPO Rörelseorganen" || e.Role != org.Chair || e.End.After(dep.Horizon) {
			t.Errorf("ending without successor: %+v", e)
		}
		// LPO Diabetes/endokrina: its only key role, the chair, has no deputy.
		groups := must(s.Groups(c, org.GroupFilter{}))(t)
		group := func(name string) org.GroupView {
			t.Helper()
			for _, g := range groups {
				if g.Name == name || g.Code == name {
					return must(s.GroupView(c, g.ID))(t)
				}
			}
			t.Fatalf("no group %s", name)
			return org.GroupView{}
		}
		diabetes := group("LPO Diabetes/endokrina")
		var keys, deputies int
		for _, m := range diabetes.Current {
			if m.Membership.Role.Key() {
				keys++
			}
			if m.Membership.Role == org.Deputy {
				deputies++
			}
		}
		if keys != 1 || deputies != 0 || !demoContains(dep.NoDeputy, func(h org.RoleHolder) bool { return h.Group.ID == diabetes.Group.ID }) {
			t.Errorf("LPO Diabetes: %d key roles, %d deputies; no-deputy report %+v", keys, deputies, dep.NoDeputy)
		}
		if len(dep.SingleRepresentative) == 0 {
			t.Error("no group where one person alone represents the home region")
		}

		// Vacancies, history, and the council's two rings.
		if v := group("LPO Psykisk hälsa").Vacancies; v != 2 {
			t.Errorf("LPO Psykisk hälsa: %d vacancies, want 2", v)
		}
		council := group("Kunskapsstyrningsrådet")
		rings := map[org.Composition]int{}
		for _, m := range council.Current {
			rings[m.Membership.Composition]++
		}
		if council.Vacancies != 0 || rings[org.Core] < 4 || rings[org.Extended] < 4 || len(council.Past) != 1 {
			t.Errorf("council: %d vacancies, rings %v, %d past", council.Vacancies, rings, len(council.Past))
		}
		if barn := group("barn-och-ungdomars-halsa"); len(barn.Current) != 1 || len(barn.Past) != 1 {
			t.Errorf("NPO Barn: %d current, %d past", len(barn.Current), len(barn.Past))
		}
		if rpo := group("RPO Psykisk hälsa, Norra"); rpo.Parent == nil || rpo.Parent.Code != "psykisk-halsa" || len(rpo.Children) != 1 {
			t.Errorf("RPO Psykisk hälsa: parent %v, children %v", rpo.Parent, rpo.Children)
		}

		// The national structure: most NPOs have a Norra representative, a
		// few one from the home region; Norra still hosts its two NPOs.
		ns := must(s.NationalStructure(c))(t)
		var npos, withNorra, withHome int
		hosts := map[string]string{}
		for _, r := range ns.Rows {
			if r.Group.Kind != org.NPO {
				continue
			}
			npos++
			hosts[r.Group.Code] = r.Group.HostRegion
			if len(r.Healthcare) > 0 {
				withNorra++
			}
			if len(r.Region) > 0 {
				withHome++
			}
		}
		if withNorra*2 <= npos || withHome < 3 || withHome > 6 {
			t.Errorf("of %d NPOs, %d have a Norra and %d a home-region representative", npos, withNorra, withHome)
		}
		if hosts["endokrina-sjukdomar"] != "norra" || hosts["levnadsvanor"] != "norra" || hosts["hjart-och-karlsjukdomar"] != "sodra" {
			t.Errorf("hosts %v", hosts)
		}

		// Representation: NPO Psykisk hälsa lacks the home region; university
		// hospitals dominate the national level and NPO Hjärt- och kärlsjukdomar.
		rep := must(s.Representation(c, org.ReportFilter{}))(t)
		missing := func(code string) bool {
			return demoContains(rep.Unrepresented, func(g org.GroupRef) bool { return g.Code == code })
		}
		if !missing("psykisk-halsa") || missing("akut-vard") {
			t.Errorf("unrepresented: %+v", rep.Unrepresented)
		}
		for _, l := range rep.Levels {
			if l.Level == org.National && (l.UniversityShare < 0.4 || l.Count(org.UniversityHospital) < 2*l.Count(org.CountyHospital)) {
				t.Errorf("national level: university share %.2f, by kind %v", l.UniversityShare, l.ByKind)
			}
		}
		for _, g := range rep.Groups {
			if g.Group.Code == "hjart-och-karlsjukdomar" && (g.Members != 6 || g.UniversityShare != 1) {
				t.Errorf("NPO Hjärt- och kärlsjukdomar: %d members, university share %.2f", g.Members, g.UniversityShare)
			}
		}

		// Participation cost this year: national shares of 5–20 %, about 30 people nationally.
		cost := must(s.ParticipationCost(c, today.Year(), org.ReportFilter{Level: org.National}))(t)
		if cost.Total.People < 25 || cost.Total.Total <= 0 {
			t.Errorf("national cost: %+v", cost.Total)
		}
	})
}

// demoContains reports whether some element of list satisfies f.
func demoContains[T any](list []T, f func(T) bool) bool {
	for _, x := range list {
		if f(x) {
			return true
		}
	}
	return false
}
