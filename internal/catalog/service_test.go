package catalog_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var today = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func newService(d *db.DB) *catalog.Service {
	now := func() time.Time { return today }
	return catalog.NewService(d, audit.New(now), now)
}

func ctx() context.Context {
	return audit.WithSystemActor(context.Background(), "test")
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

// fixture is what the catalog refers to: an NPO and an LPO, units and people.
type fixture struct {
	npo, lpo       int64
	unit1, unit2   int64
	anna, bo, cara int64
}

func insert(t *testing.T, d *db.DB, query string, args ...any) int64 {
	t.Helper()
	return must(db.Insert(context.Background(), d, query, args...))(t)
}

func newFixture(t *testing.T, d *db.DB) fixture {
	t.Helper()
	var f fixture
	c := context.Background()
	if err := d.QueryRowContext(c, `SELECT id FROM org_groups WHERE code = 'hjart-och-karlsjukdomar'`).Scan(&f.npo); err != nil {
		t.Fatal(err)
	}
	f.lpo = insert(t, d, `INSERT INTO org_groups (kind, name, level, created_at, updated_at) VALUES ('lpo', 'LPO Hjärta och kärl', 'region', ?, ?) RETURNING id`, today, today)
	div := insert(t, d, `INSERT INTO units (level, name, kind, created_at, updated_at) VALUES ('division', 'Hälso- och sjukvårdsförvaltningen', 'other', ?, ?) RETURNING id`, today, today)
	f.unit1 = insert(t, d, `INSERT INTO units (parent_id, level, name, kind, created_at, updated_at) VALUES (?, 'department', 'Medicinkliniken', 'county_hospital', ?, ?) RETURNING id`, div, today, today)
	f.unit2 = insert(t, d, `INSERT INTO units (parent_id, level, name, kind, created_at, updated_at) VALUES (?, 'department', 'Primärvården', 'primary_care', ?, ?) RETURNING id`, div, today, today)
	for _, p := range []struct {
		name string
		into *int64
	}{{"Anna Berg", &f.anna}, {"Bo Ek", &f.bo}, {"Cara Lind", &f.cara}} {
		*p.into = insert(t, d, `INSERT INTO people (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id`, p.name, today, today)
	}
	return f
}

func TestCatalog_ReferenceCarePathwaysPresent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := ctx()
		pathways := must(s.Supports(c, catalog.Filter{Kind: catalog.CarePathway}))(t)
		if len(pathways) != 15 {
			t.Fatalf("%d care pathways, want 15", len(pathways))
		}
		for _, p := range pathways {
			if !p.Reference || p.Status != catalog.Watched || p.NationalOwnerID == 0 || p.Code == "" {
				t.Errorf("care pathway %+v: want a watched reference pathway with an NPO and a code", p)
			}
		}
		stroke := must(s.Supports(c, catalog.Filter{Query: "STROKE"}))(t)
		if len(stroke) != 1 || stroke[0].Code != "stroke-och-tia" || stroke[0].PublishedOn != date.New(2020, 1, 1) {
			t.Fatalf("stroke search = %+v", stroke)
		}
		var npo int64
		if err := d.QueryRowContext(c, `SELECT id FROM org_groups WHERE code = 'hjart-och-karlsjukdomar'`).Scan(&npo); err != nil {
			t.Fatal(err)
		}
		heart := must(s.Supports(c, catalog.Filter{NPO: npo}))(t)
		if len(heart) != 2 {
			t.Fatalf("%d pathways of the heart NPO, want 2 (kritisk benischemi, hjärtsvikt)", len(heart))
		}
		wantProblems(t, s.DeleteSupport(c, heart[0].ID, heart[0].Version), "id")
	})
}

func TestCatalog_CreateUpdateAndConflicts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := ctx()
		f := newFixture(t, d)
		g := must(s.CreateSupport(c, catalog.Support{Kind: catalog.NationalGuideline, Phase: catalog.Draft, Code: "nr-hjarta",
			Title: "Nationella riktlinjer för hjärtsjukvård", NationalOwnerID: f.npo, LocalOwnerID: f.lpo,
			Publisher: "Socialstyrelsen", Edition: "remissversion", PublishedOn: date.New(2025, 3, 12),
			Link: "https://www.socialstyrelsen.se/kunskapsstod-och-regler/regler-och-riktlinjer/nationella-riktlinjer/", ConcernsMunicipalities: true}))(t)
		if g.Status != catalog.Watched || g.Reference || g.Version != 1 {
			t.Fatalf("new support = %+v", g)
		}

		bad := []struct {
			name   string
			s      catalog.Support
			fields []string
		}{
			{"LPO as national owner", catalog.Support{Kind: catalog.LocalRoutine, Title: "Rutin", NationalOwnerID: f.lpo}, []string{"national_owner_id"}},
			{"NPO as local owner", catalog.Support{Kind: catalog.LocalRoutine, Title: "Rutin", LocalOwnerID: f.npo}, []string{"local_owner_id"}},
			{"missing owner", catalog.Support{Kind: catalog.LocalRoutine, Title: "Rutin", LocalOwnerID: 999999}, []string{"local_owner_id"}},
			{"code taken", catalog.Support{Kind: catalog.LocalRoutine, Title: "Rutin", Code: "nr-hjarta"}, []string{"code"}},
			{"http link", catalog.Support{Kind: catalog.LocalRoutine, Title: "Rutin", Link: "http://intranat/rutin"}, []string{"link"}},
		}
		for _, b := range bad {
			_, err := s.CreateSupport(c, b.s)
			wantProblems(t, err, b.fields...)
		}

		// The final guideline replaces the draft; a stale second edit conflicts.
		first, second := g, g
		first.Phase, first.Edition = catalog.Final, "2025"
		second.Title = "Annan titel"
		after := must(s.UpdateSupport(c, first))(t)
		if after.Phase != catalog.Final || after.Version != 2 {
			t.Fatalf("updated = %+v", after)
		}
		if _, err := s.UpdateSupport(c, second); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale update: %v, want ErrConflict", err)
		}
		// An update cannot change the status behind the lifecycle's back.
		sneaky := after
		sneaky.Status = catalog.Introduced
		after = must(s.UpdateSupport(c, sneaky))(t)
		if after.Status != catalog.Watched {
			t.Fatalf("status after update = %s", after.Status)
		}

		// Units and leads: unknown ids are field errors; a stale version conflicts.
		after = must(s.SetUnits(c, g.ID, []int64{f.unit2, f.unit1, f.unit1}, after.Version))(t)
		if !slices.Equal(after.UnitIDs, []int64{f.unit1, f.unit2}) {
			t.Fatalf("units = %v", after.UnitIDs)
		}
		_, err := s.SetLeads(c, g.ID, []int64{f.anna, 999999}, after.Version)
		wantProblems(t, err, "lead_ids")
		if _, err := s.SetLeads(c, g.ID, []int64{f.anna}, after.Version-1); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale leads: %v, want ErrConflict", err)
		}

		// Recommendations: guideline markings, order, conflicts.
		r1 := must(s.CreateRecommendation(c, catalog.Recommendation{SupportID: g.ID, Code: "A1", Text: "Erbjud hjärtrehabilitering", Priority: 2}))(t)
		r2 := must(s.CreateRecommendation(c, catalog.Recommendation{SupportID: g.ID, Code: "A2", Text: "Erbjud inte X", Priority: 10, DoNotDo: true}))(t)
		if r1.Position != 1 || r2.Position != 2 {
			t.Fatalf("positions %d, %d", r1.Position, r2.Position)
		}
		_, err = s.CreateRecommendation(c, catalog.Recommendation{SupportID: g.ID, Text: "x", Priority: 11})
		wantProblems(t, err, "priority")
		_, err = s.CreateRecommendation(c, catalog.Recommendation{SupportID: 999999, Text: "x"})
		wantProblems(t, err, "support_id")
		routine := must(s.CreateSupport(c, catalog.Support{Kind: catalog.LocalRoutine, Title: "Rutin för hjärtsviktsmottagning", LocalOwnerID: f.lpo}))(t)
		_, err = s.CreateRecommendation(c, catalog.Recommendation{SupportID: routine.ID, Text: "x", ResearchOnly: true})
		wantProblems(t, err, "research_only")

		edit1, edit2 := r1, r1
		edit1.Priority = 1
		edit2.Text = "Annan text"
		must(s.UpdateRecommendation(c, edit1))(t)
		if _, err := s.UpdateRecommendation(c, edit2); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale recommendation: %v, want ErrConflict", err)
		}
		recs := must(s.Recommendations(c, g.ID))(t)
		if len(recs) != 2 || recs[0].Code != "A1" || recs[0].Priority != 1 || !recs[1].DoNotDo {
			t.Fatalf("recommendations = %+v", recs)
		}
		if err := s.DeleteRecommendation(c, r2.ID, r2.Version); err != nil {
			t.Fatal(err)
		}

		// Filters.
		for _, tt := range []struct {
			f    catalog.Filter
			want int
		}{
			{catalog.Filter{LPO: f.lpo}, 2},
			{catalog.Filter{Kind: catalog.NationalGuideline}, 1},
			{catalog.Filter{Query: "nr-hjarta"}, 1},
			{catalog.Filter{Status: catalog.Watched, Kind: catalog.LocalRoutine}, 1},
			{catalog.Filter{Status: catalog.Introduced}, 0},
		} {
			if got := must(s.Supports(c, tt.f))(t); len(got) != tt.want {
				t.Errorf("filter %+v: %d supports, want %d", tt.f, len(got), tt.want)
			}
		}

		// Deleting a support takes its recommendations along.
		final := must(s.Support(c, g.ID))(t)
		if err := s.DeleteSupport(c, g.ID, final.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Recommendation(c, r1.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("recommendation of deleted support: %v", err)
		}
	})
}

func TestCatalog_TransitionsKeepDatedHistory(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := ctx()
		sp := must(s.CreateSupport(c, catalog.Support{Kind: catalog.ClinicalDocument, Title: "Remissregler för hjärtsvikt"}))(t)

		steps := []struct {
			to     catalog.Status
			on     date.Date
			reason string
		}{
			{catalog.Inventoried, date.New(2026, 1, 15), "Kandidat i årets inventering"},
			{catalog.Prioritised, date.New(2026, 3, 1), "Högt viktigt och möjligt"},
			{catalog.Decided, date.New(2026, 3, 1), "HSL beslut 2026-03-01 § 12"}, // same day is fine
			{catalog.BeingIntroduced, date.New(2026, 4, 1), "Arbetsgrupp startad"},
		}
		for _, st := range steps {
			sp = must(s.Transition(c, sp.ID, st.to, st.on, st.reason, sp.Version))(t)
			if sp.Status != st.to {
				t.Fatalf("status = %s, want %s", sp.Status, st.to)
			}
		}

		refused := []struct {
			name    string
			to      catalog.Status
			on      date.Date
			reason  string
			version int64
			field   string
		}{
			{"backwards in the lifecycle", catalog.Decided, date.New(2026, 5, 1), "Ångrat", sp.Version, "to"},
			{"not relevant after the decision", catalog.NotRelevant, date.New(2026, 5, 1), "Ångrat", sp.Version, "to"},
			{"unknown status", "paused", date.New(2026, 5, 1), "Paus", sp.Version, "to"},
			{"no reason", catalog.Introduced, date.New(2026, 5, 1), "  ", sp.Version, "reason"},
			{"no date", catalog.Introduced, date.Date{}, "Klart", sp.Version, "on"},
			{"before the previous change", catalog.Introduced, date.New(2026, 3, 31), "Klart", sp.Version, "on"},
		}
		for _, r := range refused {
			_, err := s.Transition(c, sp.ID, r.to, r.on, r.reason, r.version)
			v, ok := errs.AsValidation(err)
			if !ok || !v.Has(r.field) {
				t.Errorf("%s: %v, want a problem with %s", r.name, err, r.field)
			}
		}
		if _, err := s.Transition(c, sp.ID, catalog.Introduced, date.New(2026, 9, 1), "Klart", sp.Version-1); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale transition: %v, want ErrConflict", err)
		}
		if _, err := s.Transition(c, 999999, catalog.Introduced, date.New(2026, 9, 1), "Klart", 1); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("missing support: %v, want ErrNotFound", err)
		}
		sp = must(s.Transition(c, sp.ID, catalog.Introduced, date.New(2026, 9, 1), "Klart", sp.Version))(t)

		hist := must(s.History(c, sp.ID))(t)
		if len(hist) != 5 {
			t.Fatalf("history has %d entries, want 5: %+v", len(hist), hist)
		}
		prev := catalog.Watched
		for i, h := range hist {
			if h.From != prev || h.By != "test" || h.Reason == "" || (i > 0 && h.On.Before(hist[i-1].On)) {
				t.Errorf("history[%d] = %+v", i, h)
			}
			prev = h.To
		}
		if hist[2].Reason != "HSL beslut 2026-03-01 § 12" || hist[4].To != catalog.Introduced {
			t.Fatalf("history = %+v", hist)
		}
		if _, err := s.History(c, 999999); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("history of missing support: %v", err)
		}
	})
}

func TestCatalog_PersonDependentSupports(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := ctx()
		f := newFixture(t, d)
		create := func(title string, leads ...int64) catalog.Support {
			sp := must(s.CreateSupport(c, catalog.Support{Kind: catalog.LocalRoutine, Title: title, LocalOwnerID: f.lpo, Status: catalog.Introduced}))(t)
			return must(s.SetLeads(c, sp.ID, leads, sp.Version))(t)
		}
		none := create("Rutin utan ledare")
		one := create("Rutin med en ledare", f.anna)
		two := create("Rutin med två ledare", f.anna, f.bo)
		closed := create("Rutin som har fasats ut", f.cara)
		must(s.Transition(c, closed.ID, catalog.PhasedOut, date.New(2026, 2, 1), "Ersatt av regional rutin", closed.Version))(t)
		// Only supports the region works on need leads: a watched one is not listed.
		watched := must(s.CreateSupport(c, catalog.Support{Kind: catalog.LocalRoutine, Title: "Bevakad rutin", LocalOwnerID: f.lpo}))(t)

		deps := must(s.Supports(c, catalog.Filter{LPO: f.lpo}))(t)
		for _, sp := range deps {
			if want := sp.ID != two.ID; sp.PersonDependent() != want {
				t.Errorf("%s person-dependent = %v, want %v", sp.Title, sp.PersonDependent(), want)
			}
		}
		got := map[int64]bool{}
		for _, sp := range must(s.PersonDependent(c))(t) {
			got[sp.ID] = true
		}
		if !got[none.ID] || !got[one.ID] || got[two.ID] || got[closed.ID] || got[watched.ID] {
			t.Fatalf("person-dependent = %v; want %d and %d, not %d (two leads), %d (phased out) or %d (watched)", got, none.ID, one.ID, two.ID, closed.ID, watched.ID)
		}
		// Taking the lead away from the pair makes it person-dependent.
		must(s.SetLeads(c, two.ID, []int64{f.bo}, two.Version))(t)
		got = map[int64]bool{}
		for _, sp := range must(s.PersonDependent(c))(t) {
			got[sp.ID] = true
		}
		if !got[two.ID] {
			t.Fatal("a support left with one lead is not person-dependent")
		}
	})
}
