package org_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// TestPages_MembershipFormSearchesPeople checks that the membership forms list
// only the people a search finds, never all of them, and that a search, a
// choice and an add work without JavaScript.
func TestPages_MembershipFormSearchesPeople(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		sara := s.login(t, "sara")
		anna := must(s.svc.CreatePerson(ctx(), org.Person{Name: "Anna Andersson", Title: "Överläkare"}))(t)
		for i := range 60 {
			must(s.svc.CreatePerson(ctx(), org.Person{Name: fmt.Sprintf("Berit Berg %02d", i)}))(t)
		}
		g := must(s.svc.CreateGroup(ctx(), org.Group{Kind: org.LPO, Level: org.RegionalLevel, Name: "LPO Hjärta"}))(t)
		page := "/organisation/grupper/" + idText(g.ID)
		option := func(p org.Person) string { return `<option value="` + idText(p.ID) + `"` }

		// No search: the person field offers no one yet.
		res, body := s.get(t, sara, page)
		wantStatus(t, "group page", res, body, http.StatusOK)
		wantText(t, "group page", body, `<form class="person-search" method="get" action="`+page+`#f-person_id"`, `<label for="f-person_q">Sök person</label>`,
			"Sök ovan för att lista personer här.")
		if strings.Contains(body, "Berit Berg") || strings.Contains(body, option(anna)) {
			t.Errorf("the form lists people without a search:\n%s", body)
		}

		// A search with one match lists and chooses it.
		res, body = s.get(t, sara, page+"?person_q=anna")
		wantStatus(t, "search anna", res, body, http.StatusOK)
		wantText(t, "search anna", body, option(anna)+` selected>Anna Andersson, Överläkare</option>`, "1 person matchar.", `name="person_q" value="anna"`)

		// A search with many matches lists the first 50 and says so.
		_, body = s.get(t, sara, page+"?person_q=berit")
		wantText(t, "search berit", body, "Fler än 50 personer matchar", "Berit Berg 49")
		if strings.Contains(body, "Berit Berg 50") || strings.Contains(body, option(anna)) {
			t.Errorf("the search lists more than asked for")
		}
		_, body = s.get(t, sara, page+"?person_q=zzz")
		wantText(t, "search without match", body, "Ingen person matchar ”zzz”.")

		// A mistake keeps the search and the choice; then the member is added.
		form := url.Values{"person_q": {"anna"}, "person_id": {idText(anna.ID)}, "role": {"member"}, "start": {""}}
		res, body = s.post(t, sara, page+"/medlemmar", form)
		wantStatus(t, "add without start", res, body, http.StatusUnprocessableEntity)
		wantText(t, "add without start", body, option(anna)+` selected>`, `name="person_q" value="anna"`)
		form.Set("start", "2025-01-01")
		res, body = s.post(t, sara, page+"/medlemmar", form)
		wantStatus(t, "add", res, body, http.StatusSeeOther)

		// The edit page offers the member's person and the search.
		m := must(s.svc.Memberships(ctx(), org.MembershipFilter{GroupID: g.ID}))(t)[0]
		_, body = s.get(t, sara, "/organisation/medlemskap/"+idText(m.ID))
		wantText(t, "edit membership", body, option(anna)+` selected>`, `action="/organisation/medlemskap/`+idText(m.ID)+`#f-person_id"`)
		_, body = s.get(t, sara, "/organisation/medlemskap/"+idText(m.ID)+"?person_q=berit+berg+07")
		wantText(t, "edit membership, search", body, option(anna)+` selected>`, ">Berit Berg 07</option>")
	})
}
