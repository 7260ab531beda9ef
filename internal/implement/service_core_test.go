package implement_test

import (
	"context"
	"slices"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func TestStartImplementation_MovesSupportAndCopiesTheRegionsModel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name           string
		municipalities bool
	}{
		{"region only", false},
		{"concerns the municipalities", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				e := newEnv(t, d)
				id := e.wsDecided(t, "Stöd "+tc.name, tc.municipalities)
				m := must(e.svc.StartImplementation(e.coordinator, implement.Start{SupportID: id, SponsorID: e.sponsor, PlannedEnd: day("2027-03-31")}))(t)
				if m.SupportID != id || m.SponsorID != e.sponsor || m.StartedOn != e.svc.Today() || m.PlannedEnd != day("2027-03-31") || m.Version != 1 {
					t.Errorf("started %+v", m)
				}

				sp := must(e.catalog.Support(e.coordinator, id))(t)
				if sp.Status != catalog.BeingIntroduced {
					t.Errorf("support status %s, want being_introduced", sp.Status)
				}
				history := must(e.catalog.History(e.coordinator, id))(t)
				last := history[len(history)-1]
				if last.From != catalog.Decided || last.To != catalog.BeingIntroduced || last.On != m.StartedOn ||
					last.Reason != e.texts.T(i18n.SV, "implement.start.reason") {
					t.Errorf("last transition %+v", last)
				}

				w := must(e.svc.Workspace(e.coordinator, m.ID))(t)
				var keys []string
				for _, it := range w.Checklist {
					keys = append(keys, it.Key)
					if it.State != implement.ItemOpen {
						t.Errorf("item %s starts %s", it.Key, it.State)
					}
				}
				var want []string
				for _, mi := range implement.DefaultChecklist {
					if !mi.MunicipalOnly || tc.municipalities {
						want = append(want, mi.Key)
					}
				}
				if !slices.Equal(keys, want) {
					t.Errorf("checklist %v, want %v", keys, want)
				}
				if got := slices.Contains(keys, implement.ItemMunicipal); got != tc.municipalities {
					t.Errorf("municipal item present = %v, want %v", got, tc.municipalities)
				}
				tm := w.Template()
				if tm.Number != 1 || !tm.Published() || len(tm.Questions) == 0 {
					t.Errorf("template %+v, want version 1 published with questions", tm)
				}
			})
		})
	}
}

func TestStartImplementation_WritesTheDefaultTemplateOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		first := e.started(t)
		second := must(e.svc.StartImplementation(e.coordinator, implement.Start{SupportID: e.other}))(t)
		if first.TemplateID == 0 || second.TemplateID != first.TemplateID {
			t.Errorf("template ids %d and %d, want one template", first.TemplateID, second.TemplateID)
		}
		ts := must(e.svc.Templates(e.coordinator))(t)
		if len(ts) != 1 || ts[0].Number != 1 {
			t.Errorf("templates %+v, want version 1 only", ts)
		}
		if second.SponsorID != 0 || !second.PlannedEnd.IsZero() {
			t.Errorf("second started %+v, want no sponsor nor planned end", second)
		}
	})
}

func TestStartImplementation_RefusesWithFieldErrors(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.started(t)
		watched := must(e.catalog.CreateSupport(e.coordinator, catalog.Support{Kind: catalog.LocalRoutine, Title: "Bevakas", Status: catalog.Watched}))(t).ID
		for _, tc := range []struct {
			name       string
			ctx        context.Context
			in         implement.Start
			field, key string
			err        error
		}{
			{"second start of a support", e.coordinator, implement.Start{SupportID: e.support}, "support_id", "implement.start.exists", nil},
			{"watched support", e.coordinator, implement.Start{SupportID: watched}, "support_id", "implement.start.not_decided", nil},
			{"no support", e.coordinator, implement.Start{}, "support_id", "validation.required", nil},
			{"unknown support", e.coordinator, implement.Start{SupportID: 999999}, "support_id", "implement.start.support_missing", nil},
			{"end before start", e.coordinator, implement.Start{SupportID: e.other, PlannedEnd: day("2026-08-31")}, "planned_end", "implement.start.end_before_start", nil},
			{"unknown sponsor", e.coordinator, implement.Start{SupportID: e.other, SponsorID: 999999}, "sponsor_id", "implement.group.person_missing", nil},
			{"not the coordinator", e.leadCtx, implement.Start{SupportID: e.other}, "", "", errs.ErrForbidden},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.StartImplementation(tc.ctx, tc.in)
				if tc.err != nil {
					wantErr(t, err, tc.err)
					return
				}
				wantField(t, err, tc.field, tc.key)
			})
		}
		// Nothing refused was started: the other support is still decided.
		if sp := must(e.catalog.Support(e.coordinator, e.other))(t); sp.Status != catalog.Decided {
			t.Errorf("the other support is %s after refused starts", sp.Status)
		}
		if id := must(e.svc.OfSupport(e.coordinator, e.other))(t); id != 0 {
			t.Errorf("the other support has implementation %d after refused starts", id)
		}
	})
}

func TestRights_ByRoleAndWorkingGroup(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		for _, tc := range []struct {
			name   string
			ctx    context.Context
			want   implement.Rights
			err    error // of reading the implementation
			update error // of saving the working group
		}{
			{"coordinator", e.coordinator, implement.Rights{Read: true, Edit: true, Coordinate: true}, nil, nil},
			{"improvement lead of the support", e.leadCtx, implement.Rights{Read: true, Edit: true}, nil, nil},
			{"verksamhetsutvecklare outside the group", e.outsiderCtx, implement.Rights{Read: true}, nil, errs.ErrForbidden},
			{"ledning", e.chief, implement.Rights{Read: true}, nil, errs.ErrForbidden},
			{"revisor", e.auditor, implement.Rights{Read: true}, nil, errs.ErrForbidden},
			{"enhet", e.unitACtx, implement.Rights{}, errs.ErrForbidden, errs.ErrForbidden},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, r, err := e.svc.Implementation(tc.ctx, m.ID)
				if tc.err != nil {
					wantErr(t, err, tc.err)
				} else if err != nil {
					t.Fatal(err)
				} else if r != tc.want {
					t.Errorf("rights %+v, want %+v", r, tc.want)
				}
				if _, err := e.svc.Workspace(tc.ctx, m.ID); (err == nil) != (tc.err == nil) {
					t.Errorf("workspace: %v, want %v", err, tc.err)
				}
				cur := must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation
				cur.PlannedEnd = day("2027-09-30")
				_, err = e.svc.UpdateGroup(tc.ctx, cur)
				if tc.update != nil {
					wantErr(t, err, tc.update)
				} else if err != nil {
					t.Errorf("update group: %v", err)
				}
			})
		}

		// A member added to the working group edits.
		cur := must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation
		cur.MemberIDs = []int64{e.outsider}
		must(e.svc.UpdateGroup(e.coordinator, cur))(t)
		if _, r, err := e.svc.Implementation(e.outsiderCtx, m.ID); err != nil || !r.Edit || r.Coordinate {
			t.Errorf("member's rights %+v, %v; want edit", r, err)
		}
	})
}

func TestUpdateGroup_SavesByVersionAndChecksReferences(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		muni := e.wsMunicipality(t)

		in := m
		in.SponsorID, in.MemberIDs, in.Municipalities, in.PlannedEnd = e.contactA, []int64{e.outsider, e.contact, e.outsider, 0}, []string{muni, muni}, day("2027-12-31")
		saved := must(e.svc.UpdateGroup(e.leadCtx, in))(t)
		if saved.SponsorID != e.contactA || !sameIDs(saved.MemberIDs, []int64{e.outsider, e.contact}) ||
			!slices.Equal(saved.Municipalities, []string{muni}) || saved.PlannedEnd != day("2027-12-31") || saved.Version != m.Version+1 {
			t.Errorf("saved %+v", saved)
		}

		// A second save from the same read is a conflict and changes nothing.
		stale := m
		stale.MemberIDs = []int64{e.lead}
		_, err := e.svc.UpdateGroup(e.coordinator, stale)
		wantErr(t, err, errs.ErrConflict)
		if now := must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation; !sameIDs(now.MemberIDs, []int64{e.outsider, e.contact}) {
			t.Errorf("members after a conflict %v", now.MemberIDs)
		}

		for _, tc := range []struct {
			name       string
			change     func(*implement.Implementation)
			field, key string
		}{
			{"unknown municipality", func(m *implement.Implementation) { m.Municipalities = []string{"9999"} }, "municipalities", "implement.group.municipality_missing"},
			{"unknown member", func(m *implement.Implementation) { m.MemberIDs = []int64{999999} }, "member_ids", "implement.group.person_missing"},
			{"unknown sponsor", func(m *implement.Implementation) { m.SponsorID = 999999 }, "sponsor_id", "implement.group.person_missing"},
			{"end before start", func(m *implement.Implementation) { m.PlannedEnd = day("2026-01-01") }, "planned_end", "implement.start.end_before_start"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := saved
				tc.change(&in)
				_, err := e.svc.UpdateGroup(e.coordinator, in)
				wantField(t, err, tc.field, tc.key)
			})
		}

		// Once introduced, the group is kept as it was.
		exec(t, d, `UPDATE implementations SET introduced_on = ? WHERE id = ?`, day("2026-10-01"), m.ID)
		_, err = e.svc.UpdateGroup(e.coordinator, saved)
		wantErr(t, err, errs.ErrLocked)
	})
}

func sameIDs(a, b []int64) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

func TestGate_IntroducedOnlyThroughTheWorkspace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		ctx := context.Background()

		wantField(t, implement.Gate(ctx, d, e.other, catalog.Introduced), "to", "implement.introduce.no_workspace")
		if err := implement.Gate(ctx, d, e.other, catalog.BeingIntroduced); err != nil {
			t.Errorf("gate on another status: %v", err)
		}
		// With a workspace, the catalog refuses even a ready support: the
		// workspace marks it introduced and locks itself in the same step.
		wantField(t, implement.Gate(ctx, d, e.support, catalog.Introduced), "to", "implement.introduce.use_workspace")
		exec(t, d, `UPDATE checklist_items SET state = 'done' WHERE implementation_id = ?`, m.ID)
		wantField(t, implement.Gate(ctx, d, e.support, catalog.Introduced), "to", "implement.introduce.use_workspace")

		// The catalog's own transition passes the gate when installed.
		guarded := e.catalog.Guard(implement.Gate)
		sp := must(e.catalog.Support(e.coordinator, e.other))(t)
		sp = must(guarded.Transition(e.coordinator, e.other, catalog.BeingIntroduced, day("2026-09-01"), "Direkt", sp.Version))(t)
		_, err := guarded.Transition(e.coordinator, e.other, catalog.Introduced, day("2026-09-02"), "Klart", sp.Version)
		wantField(t, err, "to", "implement.introduce.no_workspace")
		sp = must(e.catalog.Support(e.coordinator, e.support))(t)
		_, err = guarded.Transition(e.coordinator, e.support, catalog.Introduced, day("2026-09-02"), "Klart", sp.Version)
		wantField(t, err, "to", "implement.introduce.use_workspace")
		m = must(e.svc.MarkIntroduced(e.coordinator, m.ID, day("2026-09-02"), must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation.Version))(t)
		if m.IntroducedOn != day("2026-09-02") {
			t.Errorf("introduced on %v", m.IntroducedOn)
		}
	})
}
