package app

import (
	"context"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// The demo's forum year: the forums the issue names, a year of meetings with
// approved minutes, cases in every state, a municipal case with mixed answers
// and one with overdue answers, and start-page items for the coordinator.
func TestDemo_ForumYear(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		svc := forum.NewService(ta.DB, ta.Audit, ta.cfg.Now)
		sara, err := ta.Auth.UserByUsername(context.Background(), "samordnare")
		if err != nil {
			t.Fatal(err)
		}
		ctx := access.With(context.Background(), sara.Principal())

		forums, err := svc.Forums(ctx, forum.ForumFilter{})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]bool{}
		for _, f := range forums {
			kinds[f.GroupKind] = true
		}
		for _, k := range []string{"leadership", "governance_council", "primary_care_council", "joint_forum", "political_forum", "lpo"} {
			if !kinds[k] {
				t.Errorf("no demo forum of kind %s; have %v", k, kinds)
			}
		}

		meetings, err := svc.Meetings(ctx, forum.MeetingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var approved, planned int
		for _, m := range meetings {
			if m.Locked() {
				approved++
			}
			if m.Status == forum.Planned {
				planned++
			}
		}
		if len(meetings) < 40 || approved < 30 || planned < 5 {
			t.Errorf("meetings: %d, approved %d, planned %d", len(meetings), approved, planned)
		}

		cases, err := svc.Cases(ctx, forum.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		states := map[forum.Status]int{}
		for _, c := range cases {
			states[c.Status]++
		}
		for _, st := range forum.Statuses {
			if states[st] == 0 {
				t.Errorf("no demo case in state %s: %v", st, states)
			}
		}

		overdue, err := svc.OverdueRequests(ctx, sara.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(overdue) != 1 || overdue[0].Overdue != 6 {
			t.Errorf("overdue for the coordinator: %+v", overdue)
		}
		due, err := svc.DueFollowUps(ctx, sara.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) == 0 {
			t.Errorf("no follow-up due for the coordinator")
		}

		// The municipal case with mixed answers: every municipality answered.
		reqs, err := svc.MunicipalRequests(ctx, forum.RequestFilter{})
		if err != nil {
			t.Fatal(err)
		}
		answers := map[forum.Answer]int{}
		for _, r := range reqs {
			answers[r.Answer]++
		}
		if answers[forum.Accepts] == 0 || answers[forum.AcceptsWithComments] == 0 || answers[forum.Declines] == 0 || answers[forum.Pending] != 6 {
			t.Errorf("municipal answers: %v", answers)
		}
	})
}

// The start page lists what waits for each person: the coordinator's due
// follow-up and overdue municipal answers, the kommun user's cases to answer.
func TestHome_StartTasks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		tests := []struct {
			user string
			want []string
			not  []string
		}{
			{"samordnare", []string{"Att göra", "Följ upp beslutet i", "Hjärtsvikt", "6 kommuner har inte svarat på", "läkemedelsgenomgångar", "Försenad"}, nil},
			{"kommun", []string{"Att göra", "Svara på", "läkemedelsgenomgångar i hemsjukvården (Östersund)"}, []string{"Följ upp beslutet"}},
			{"revisor", nil, []string{"Att göra"}},
		}
		for _, tt := range tests {
			_, body := ta.get(t, ta.login(t, tt.user), "/")
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: start page lacks %q", tt.user, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("%s: start page shows %q", tt.user, n)
				}
			}
		}
	})
}

// The demo's catalog: the reference care pathways and the demo's own
// supports in several statuses, with histories and person-dependence.
func TestDemo_Catalog(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		svc := catalog.NewService(ta.DB, ta.Audit, ta.cfg.Now)
		ctx := context.Background()
		all, err := svc.Supports(ctx, catalog.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		kinds, statuses := map[catalog.Kind]int{}, map[catalog.Status]int{}
		for _, s := range all {
			kinds[s.Kind]++
			statuses[s.Status]++
		}
		if kinds[catalog.CarePathway] != 15 || kinds[catalog.NationalGuideline] != 3 || len(all) != 21 {
			t.Errorf("demo supports by kind: %v (%d in all)", kinds, len(all))
		}
		for _, st := range []catalog.Status{catalog.Watched, catalog.Decided, catalog.BeingIntroduced, catalog.Introduced} {
			if statuses[st] == 0 {
				t.Errorf("no demo support is %s: %v", st, statuses)
			}
		}
		dep, err := svc.PersonDependent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(dep) < 2 {
			t.Errorf("person-dependent demo supports: %d, want the guideline with one lead and those with none", len(dep))
		}
	})
}
