package implement_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// overviewCase is one implementation on the overview: how its support is
// made, what is done to its workspace, and the overview's row for it.
type overviewCase struct {
	name   string
	recs   int
	leads  int
	modify func(t *testing.T, e *env, m implement.Implementation, recs []int64)
	want   func(r *implement.OverviewRow)
	listed bool
}

// wsAction adds an action to an implementation's plan.
func wsAction(t *testing.T, e *env, m implement.Implementation, status implement.ActionStatus, effort int, start, due, done string) {
	t.Helper()
	var doneOn any
	if done != "" {
		doneOn = day(done)
	}
	insert(t, e.d, `INSERT INTO actions (implementation_id, title, start_on, due_on, status, effort_hours, done_on, position, created_at, updated_at)
		VALUES (?, 'Åtgärd', ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, m.ID, day(start), day(due), string(status), effort, doneOn, start, start)
}

// wsGap adds a gap analysis of a recommendation.
func wsGap(t *testing.T, e *env, m implement.Implementation, rec int64, size implement.GapSize, crowdingOut bool) {
	t.Helper()
	insert(t, e.d, `INSERT INTO gap_analyses (implementation_id, recommendation_id, template_id, gap, crowding_out, answers, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, '{}', ?, ?) RETURNING id`, m.ID, rec, m.TemplateID, string(size), crowdingOut, start, start)
}

func overviewCases() []overviewCase {
	return []overviewCase{
		{name: "just started", recs: 3, leads: 1, listed: true, want: func(r *implement.OverviewRow) {
			r.Profile.NotJudged = 3
			r.PersonDependent = true
		}},
		{name: "progress by effort, one overdue", recs: 0, leads: 2, listed: true,
			modify: func(t *testing.T, e *env, m implement.Implementation, _ []int64) {
				wsAction(t, e, m, implement.ActionDone, 30, "2026-08-01", "2026-08-20", "2026-08-20")
				wsAction(t, e, m, implement.ActionStarted, 10, "2026-08-01", "2026-08-31", "")
				wsAction(t, e, m, implement.ActionPlanned, 60, "2026-09-01", "2026-12-31", "")
				wsAction(t, e, m, implement.ActionCancelled, 100, "2026-08-01", "2026-08-02", "")
			},
			want: func(r *implement.OverviewRow) {
				r.Progress = implement.Progress{Actions: 3, Done: 1, Overdue: 1, Effort: 100, EffortDone: 30, Percent: 30}
			}},
		{name: "progress by count without effort", recs: 0, leads: 3, listed: true,
			modify: func(t *testing.T, e *env, m implement.Implementation, _ []int64) {
				wsAction(t, e, m, implement.ActionDone, 0, "2026-08-01", "2026-08-20", "2026-08-19")
				wsAction(t, e, m, implement.ActionPlanned, 0, "2026-08-01", "2026-09-01", "")
			},
			want: func(r *implement.OverviewRow) {
				r.Progress = implement.Progress{Actions: 2, Done: 1, Percent: 50}
			}},
		{name: "gap profile", recs: 5, leads: 0, listed: true,
			modify: func(t *testing.T, e *env, m implement.Implementation, recs []int64) {
				wsGap(t, e, m, recs[0], implement.GapLarge, true)
				wsGap(t, e, m, recs[1], implement.GapSmall, false)
				wsGap(t, e, m, recs[2], implement.GapSmall, true)
				wsGap(t, e, m, recs[3], "", false)
			},
			want: func(r *implement.OverviewRow) {
				r.Profile = implement.GapProfile{Small: 2, Large: 1, NotJudged: 2, CrowdingOut: 2}
				r.PersonDependent = true
			}},
		{name: "checklist settled", recs: 0, leads: 2, listed: true,
			modify: func(t *testing.T, e *env, m implement.Implementation, _ []int64) {
				exec(t, e.d, `UPDATE checklist_items SET state = 'done' WHERE implementation_id = ? AND required = ?`, m.ID, true)
				exec(t, e.d, `UPDATE checklist_items SET state = 'waived' WHERE implementation_id = ? AND item_key = ?`, m.ID, implement.ItemDecisionBasis)
			},
			want: func(r *implement.OverviewRow) {
				r.ChecklistSettled, r.Ready = r.ChecklistRequired, true
			}},
		{name: "introduced two months ago", recs: 0, leads: 2, listed: true,
			modify: func(t *testing.T, e *env, m implement.Implementation, _ []int64) {
				exec(t, e.d, `UPDATE implementations SET introduced_on = ? WHERE id = ?`, day("2026-07-01"), m.ID)
			},
			want: func(r *implement.OverviewRow) { r.IntroducedOn = day("2026-07-01") }},
		{name: "introduced over a year ago", recs: 0, leads: 2, listed: false,
			modify: func(t *testing.T, e *env, m implement.Implementation, _ []int64) {
				exec(t, e.d, `UPDATE implementations SET introduced_on = ? WHERE id = ?`, day("2025-08-31"), m.ID)
			}},
	}
}

func TestOverview_AggregatesEachImplementation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		cases := overviewCases()
		wants := map[int64]implement.OverviewRow{}
		unlisted := map[int64]string{}
		for _, tc := range cases {
			id := e.wsDecided(t, tc.name, false)
			var recs []int64
			for i := range tc.recs {
				r := must(e.catalog.CreateRecommendation(e.coordinator, catalog.Recommendation{SupportID: id, Text: "Rekommendation " + string(rune('A'+i))}))(t)
				recs = append(recs, r.ID)
			}
			leads := []int64{e.lead, e.outsider, e.contactA}[:tc.leads]
			sp := must(e.catalog.Support(e.coordinator, id))(t)
			must(e.catalog.SetLeads(e.coordinator, id, leads, sp.Version))(t)
			m := must(e.svc.StartImplementation(e.coordinator, implement.Start{SupportID: id, PlannedEnd: day("2027-01-31")}))(t)
			if tc.modify != nil {
				tc.modify(t, e, m, recs)
			}
			if !tc.listed {
				unlisted[m.ID] = tc.name
				continue
			}
			want := implement.OverviewRow{ID: m.ID, SupportID: id, SupportTitle: tc.name, SupportStatus: catalog.BeingIntroduced,
				StartedOn: m.StartedOn, PlannedEnd: day("2027-01-31"), ChecklistRequired: 6, Leads: tc.leads}
			if tc.want != nil {
				tc.want(&want)
			}
			wants[m.ID] = want
		}

		rows := must(e.svc.Overview(e.chief, ""))(t)
		got := map[int64]implement.OverviewRow{}
		for _, r := range rows {
			got[r.ID] = r
			if name, ok := unlisted[r.ID]; ok {
				t.Errorf("%s is on the overview", name)
			}
		}
		for _, tc := range cases {
			for id, want := range wants {
				if want.SupportTitle != tc.name {
					continue
				}
				if diff := cmp.Diff(want, got[id], cmpopts.EquateComparable(date.Date{})); diff != "" {
					t.Errorf("%s (-want +got):\n%s", tc.name, diff)
				}
				// The overview agrees with the workspace read whole.
				w := must(e.svc.Workspace(e.coordinator, id))(t)
				if r := got[id]; r.Progress != w.Progress || r.Profile != w.Profile || r.Ready != w.Ready {
					t.Errorf("%s: overview %+v %+v %v, workspace %+v %+v %v", tc.name, r.Progress, r.Profile, r.Ready, w.Progress, w.Profile, w.Ready)
				}
			}
		}
		if len(rows) != len(wants) {
			t.Errorf("%d rows, want %d", len(rows), len(wants))
		}
	})
}

func TestOverview_FiltersByStatusAndIsForThoseWhoOversee(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		inWork := e.started(t)
		done := must(e.svc.StartImplementation(e.coordinator, implement.Start{SupportID: e.other}))(t)
		exec(t, d, `UPDATE implementations SET introduced_on = ? WHERE id = ?`, day("2026-08-15"), done.ID)
		ids := func(rows []implement.OverviewRow) []int64 {
			var out []int64
			for _, r := range rows {
				out = append(out, r.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name   string
			status implement.OverviewStatus
			want   []int64
		}{
			{"all", "", []int64{inWork.ID, done.ID}},
			{"in work", implement.OverviewInWork, []int64{inWork.ID}},
			{"introduced", implement.OverviewIntroduced, []int64{done.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if diff := cmp.Diff(tc.want, ids(must(e.svc.Overview(e.auditor, tc.status))(t))); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
		_, err := e.svc.Overview(e.coordinator, "everything")
		wantField(t, err, "status", "validation.choice")
		if _, err := e.svc.Overview(e.outsiderCtx, ""); err != nil {
			t.Errorf("verksamhetsutvecklare: %v", err)
		}
		_, err = e.svc.Overview(e.unitACtx, "")
		wantErr(t, err, errs.ErrForbidden)
	})
}

func TestStartChoicesAndSupportLink(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		watched := must(e.catalog.CreateSupport(e.coordinator, catalog.Support{Kind: catalog.LocalRoutine, Title: "Bevakas", Status: catalog.Watched}))(t).ID
		choices := must(e.svc.StartChoices(e.coordinator))(t)
		if diff := cmp.Diff([]implement.StartChoice{
			{ID: e.other, Title: "Annat stöd", Status: catalog.Decided},
			{ID: e.support, Title: "Vårdförlopp Testsjukdom", Status: catalog.Decided},
		}, choices); diff != "" {
			t.Errorf("choices before start (-want +got):\n%s", diff)
		}
		m := e.started(t)
		if choices := must(e.svc.StartChoices(e.coordinator))(t); len(choices) != 1 || choices[0].ID != e.other {
			t.Errorf("choices after start %+v", choices)
		}
		_, err := e.svc.StartChoices(e.leadCtx)
		wantErr(t, err, errs.ErrForbidden)

		for _, tc := range []struct {
			name    string
			ctx     context.Context
			support int64
			want    string
		}{
			{"workspace for the coordinator", e.coordinator, e.support, "/inforande/" + strconv.FormatInt(m.ID, 10)},
			{"workspace for ledning", e.chief, e.support, "/inforande/" + strconv.FormatInt(m.ID, 10)},
			{"no workspace link for enhet", e.unitACtx, e.support, ""},
			{"start form for the coordinator", e.coordinator, e.other, "/inforande/ny?stod=" + strconv.FormatInt(e.other, 10)},
			{"no start form for others", e.leadCtx, e.other, ""},
			{"nothing for a watched support", e.coordinator, watched, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := must(e.svc.SupportLink(tc.ctx, tc.support))(t)
				if got != tc.want {
					t.Errorf("link %q, want %q", got, tc.want)
				}
			})
		}
	})
}
