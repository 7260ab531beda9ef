package catalog_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestDependentWork_DecidedSupportWithOneLeadFeedsTheReport(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := ctx()
		f := newFixture(t, d)
		report := org.NewService(d, audit.New(func() time.Time { return today }), func() time.Time { return today })
		sp := must(s.CreateSupport(c, catalog.Support{Kind: catalog.CarePathway, Title: "Vårdförlopp hjärtsvikt – nydebuterad", LocalOwnerID: f.lpo}))(t)
		must(s.CreateSupport(c, catalog.Support{Kind: catalog.LocalRoutine, Title: "Bevakad rutin utan ledare"}))(t)
		for _, to := range []catalog.Status{catalog.Inventoried, catalog.Prioritised, catalog.Decided} {
			sp = must(s.Transition(c, sp.ID, to, date.New(2026, 11, 1), "Beslut", sp.Version))(t)
		}
		sp = must(s.SetLeads(c, sp.ID, []int64{f.anna}, sp.Version))(t)

		work := func(filter org.ReportFilter) []org.DependentWork {
			t.Helper()
			return must(report.PersonDependence(c, filter, s.DependentWork))(t).Work
		}
		want := []org.DependentWork{{Kind: "knowledge_support", Title: "Vårdförlopp hjärtsvikt – nydebuterad", Href: "/kunskapsstod/" + id(sp.ID),
			StatusKey: "catalog.status.decided", Leads: []string{"Anna Berg"}, GroupIDs: []int64{f.lpo}}}
		if diff := cmp.Diff(want, work(org.ReportFilter{})); diff != "" {
			t.Errorf("one lead (-want +got):\n%s", diff)
		}
		if got := work(org.ReportFilter{Kind: org.NPO}); len(got) != 0 {
			t.Errorf("NPOs only: %v, want none (the support belongs to an LPO)", got)
		}
		sp = must(s.SetLeads(c, sp.ID, []int64{f.anna, f.bo}, sp.Version))(t)
		if got := work(org.ReportFilter{}); len(got) != 0 {
			t.Errorf("two leads: %v, want none", got)
		}
		must(s.SetLeads(c, sp.ID, nil, sp.Version))(t)
		if got := work(org.ReportFilter{}); len(got) != 1 || len(got[0].Leads) != 0 {
			t.Errorf("no lead: %+v, want the support without leads", got)
		}
	})
}
