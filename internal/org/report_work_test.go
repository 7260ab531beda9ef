package org_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// dependentWork is a source listing a support of the LPO with one lead and
// one of the NPO with none.
func dependentWork(lpo, npo org.Group) org.DependenceSource {
	return func(context.Context) ([]org.DependentWork, error) {
		return []org.DependentWork{
			{Kind: "knowledge_support", Title: "Vårdförlopp hjärtsvikt", Href: "/kunskapsstod/7", StatusKey: "catalog.status.decided",
				Leads: []string{"Anna Andersson"}, GroupIDs: []int64{lpo.ID}},
			{Kind: "knowledge_support", Title: "Riktlinjer för hjärtsjukvård", Href: "/kunskapsstod/8", StatusKey: "catalog.status.introduced",
				Leads: []string{}, GroupIDs: []int64{npo.ID}},
		}, nil
	}
}

func titles(ws []org.DependentWork) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.Title)
	}
	return out
}

func TestPersonDependence_ListsOtherFeaturesDependentWork(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		lpo, npo := f.group(org.LPO, org.RegionalLevel, "LPO Hjärta"), f.reference("hjart-och-karlsjukdomar")
		src := dependentWork(lpo, npo)
		for _, tt := range []struct {
			name   string
			filter org.ReportFilter
			want   []string
		}{
			{"all", org.ReportFilter{}, []string{"Vårdförlopp hjärtsvikt", "Riktlinjer för hjärtsjukvård"}},
			{"regional groups", org.ReportFilter{Level: org.RegionalLevel}, []string{"Vårdförlopp hjärtsvikt"}},
			{"NPOs", org.ReportFilter{Kind: org.NPO}, []string{"Riktlinjer för hjärtsjukvård"}},
			{"RPOs", org.ReportFilter{Kind: org.RPO}, []string{}},
		} {
			r := must(f.s.PersonDependence(f.c, tt.filter, src))(t)
			if diff := cmp.Diff(tt.want, titles(r.Work)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.name, diff)
			}
		}
		if r := must(f.s.PersonDependence(f.c, org.ReportFilter{}))(t); r.Work == nil || len(r.Work) != 0 {
			t.Errorf("without sources: work %#v, want an empty list", r.Work)
		}
		broken := func(context.Context) ([]org.DependentWork, error) { return nil, errors.New("catalog down") }
		if _, err := f.s.PersonDependence(f.c, org.ReportFilter{}, broken); err == nil {
			t.Error("a failing source gives no error")
		}

		cat, err := i18n.Load()
		if err != nil {
			t.Fatal(err)
		}
		rep := must(f.s.PersonDependence(f.c, org.ReportFilter{}, src))(t)
		tab := org.DependenceTables(rep, cat, i18n.SV)[0]
		var found [][]string
		for _, row := range tab.Rows {
			if row[0].Text == "Kunskapsstöd med färre än två förbättringsledare" {
				found = append(found, []string{row[4].Text, row[8].Text, row[9].Text})
			}
		}
		want := [][]string{{"Anna Andersson", "Vårdförlopp hjärtsvikt", "Beslutad för införande"}, {"Ingen ansvarig", "Riktlinjer för hjärtsjukvård", "Infört"}}
		if diff := cmp.Diff(want, found); diff != "" {
			t.Errorf("finding rows (-want +got):\n%s", diff)
		}
		if n := len(tab.Columns); n != len(tab.Rows[0]) {
			t.Errorf("%d columns but rows of %d cells", n, len(tab.Rows[0]))
		}
	})
}

func TestDependencePage_ShowsDependentWorkWithLinks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		lpo, npo := f.group(org.LPO, org.RegionalLevel, "LPO Hjärta"), f.reference("hjart-och-karlsjukdomar")
		cat, err := i18n.Load()
		if err != nil {
			t.Fatal(err)
		}
		ws, err := web.NewServer(web.Config{Version: "test"}, slog.New(slog.DiscardHandler), cat, scs.New())
		if err != nil {
			t.Fatal(err)
		}
		if err := org.RegisterReports(ws, api.New(ws, "test"), newService(d), dependentWork(lpo, npo)); err != nil {
			t.Fatal(err)
		}
		asAuditor := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				next.ServeHTTP(w, r.WithContext(access.With(r.Context(), access.Principal{UserID: 2, Username: "revisor", Roles: []access.Role{access.Auditor}})))
			})
		}
		srv := httptest.NewServer(ws.Handler(asAuditor))
		t.Cleanup(srv.Close)
		s := &reportSite{srv: srv}

		res, page := s.get(t, "revisor", "/organisation/rapporter/personberoende")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("page: %d", res.StatusCode)
		}
		wantContains(t, "page", string(page), `<h2 id="work">Kunskapsstöd som hänger på en person</h2>`,
			`<a href="#work">2 kunskapsstöd hänger på en person eller ingen</a>`,
			`<th scope="row"><a href="/kunskapsstod/7">Vårdförlopp hjärtsvikt</a></th>`, "<td>Beslutad för införande</td>", "<td>Anna Andersson</td>",
			`<a href="/kunskapsstod/8">Riktlinjer för hjärtsjukvård</a>`, "<td>Ingen ansvarig</td>")
		_, page = s.get(t, "revisor", "/organisation/rapporter/personberoende?kind=rpo")
		wantContains(t, "filtered page", string(page), "Alla kunskapsstöd i arbete har minst två ansvariga förbättringsledare.")

		_, csv := s.get(t, "revisor", "/organisation/rapporter/personberoende.csv")
		wantContains(t, "CSV", string(csv), "Kunskapsstöd;Status", "Kunskapsstöd med färre än två förbättringsledare;;;;Anna Andersson;;;;Vårdförlopp hjärtsvikt;Beslutad för införande")

		res, body := s.get(t, "revisor", "/api/v1/reports/person-dependence?level=region")
		var out struct {
			Work []org.DependentWork `json:"dependent_work"`
		}
		if err := json.Unmarshal(body, &out); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("API: %d %v\n%s", res.StatusCode, err, body)
		}
		want := []org.DependentWork{{Kind: "knowledge_support", Title: "Vårdförlopp hjärtsvikt", Href: "/kunskapsstod/7", StatusKey: "catalog.status.decided",
			Leads: []string{"Anna Andersson"}, GroupIDs: []int64{lpo.ID}}}
		if diff := cmp.Diff(want, out.Work); diff != "" {
			t.Errorf("API dependent work (-want +got):\n%s", diff)
		}
	})
}
