package app

import (
	"context"
	"slices"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

// The demo's prioritisation: last year's round decided by HSL through its
// forum case, with the supports' histories telling the round; this year's
// round open with about half of the sheets answered, some in part; the time
// plan of this year with supports decided and being introduced.
func TestDemo_Prioritisation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		svc := ta.priorityService()
		principal := func(username string) context.Context {
			u, err := ta.Auth.UserByUsername(context.Background(), username)
			if err != nil {
				t.Fatal(err)
			}
			return access.With(context.Background(), u.Principal())
		}
		ctx := principal("samordnare")
		today := svc.Today()
		rounds, err := svc.Rounds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		byYear := map[int]priority.RoundSummary{}
		for _, r := range rounds {
			byYear[r.Year] = r
		}
		last, this := byYear[today.Year()], byYear[today.Year()+1]
		if len(rounds) != 2 || last.ID == 0 || this.ID == 0 {
			t.Fatalf("demo rounds: %+v", rounds)
		}
		tests := []struct {
			name  string
			check func(t *testing.T)
		}{
			{"last year's round decided through its case", func(t *testing.T) {
				r := last.Round
				if r.Status != priority.Decided || r.CaseID == 0 || r.DecisionID == 0 || r.OpenedOn.Year() != today.Year()-1 ||
					!r.OpenedOn.Before(r.Deadline) || !r.Deadline.Before(r.ClosedOn) || !r.ClosedOn.Before(r.DecidedOn) {
					t.Fatalf("last year's round: %+v", r)
				}
				if last.Answered != last.Groups || last.Groups < 5 || last.Candidates != 6 {
					t.Errorf("last year's progress: %d of %d groups answered, %d candidates", last.Answered, last.Groups, last.Candidates)
				}
				fs := forum.NewService(ta.DB, ta.Audit, ta.cfg.Now)
				dec, err := fs.Decision(ctx, r.DecisionID)
				if err != nil {
					t.Fatal(err)
				}
				hsl, err := svc.HSLForum(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if dec.CaseID != r.CaseID || dec.ForumID != hsl || dec.DecidedOn.String() != r.DecidedOn.String() || dec.Text == "" {
					t.Errorf("HSL's decision: %+v, round %+v", dec, r)
				}
				steps, err := fs.Steps(ctx, r.CaseID)
				if err != nil {
					t.Fatal(err)
				}
				var kinds []forum.Status
				for _, st := range steps {
					kinds = append(kinds, st.Kind)
					if st.Kind == forum.Anchoring {
						council, err := svc.CouncilForum(ctx)
						if err != nil || st.ForumID != council || st.Comment == "" {
							t.Errorf("anchoring step: %+v (council %d, %v)", st, council, err)
						}
					}
				}
				if !slices.Equal(kinds, []forum.Status{forum.Registered, forum.Prepared, forum.Anchoring, forum.Decided}) {
					t.Errorf("steps of the round's case: %v", kinds)
				}
				cs, err := svc.Candidates(ctx, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				outcomes := map[catalog.Status]int{}
				for _, c := range cs {
					outcomes[c.Outcome]++
					if c.Outcome == catalog.Decided && (c.DecidedOrder < 1 || c.PlannedStart.Year() != today.Year()) {
						t.Errorf("decided candidate: %+v", c)
					}
				}
				if outcomes[catalog.Decided] != 3 || outcomes[catalog.Watched] != 2 || outcomes[catalog.NotRelevant] != 1 {
					t.Errorf("outcomes: %v", outcomes)
				}
			}},
			{"the supports' histories tell the round", func(t *testing.T) {
				r := last.Round
				cat := catalog.NewService(ta.DB, ta.Audit, ta.cfg.Now)
				cs, err := svc.Candidates(ctx, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				statuses := map[catalog.Status]int{}
				for _, c := range cs {
					hist, err := cat.History(ctx, c.SupportID)
					if err != nil {
						t.Fatal(err)
					}
					want := []struct {
						to catalog.Status
						on string
					}{{catalog.Inventoried, r.OpenedOn.String()}, {catalog.Prioritised, r.ClosedOn.String()}, {c.Outcome, r.DecidedOn.String()}}
					if len(hist) < len(want) {
						t.Fatalf("%s: history %+v", c.SupportTitle, hist)
					}
					for i, w := range want {
						if h := hist[i]; h.To != w.to || h.On.String() != w.on || h.Reason == "" {
							t.Errorf("%s: step %d is %s on %s, want %s on %s", c.SupportTitle, i, h.To, h.On, w.to, w.on)
						}
					}
					for i := 1; i < len(hist); i++ {
						if hist[i].On.Before(hist[i-1].On) {
							t.Errorf("%s: history out of order: %+v", c.SupportTitle, hist)
						}
					}
					statuses[c.SupportStatus]++
				}
				if statuses[catalog.BeingIntroduced] != 2 || statuses[catalog.Decided] != 1 {
					t.Errorf("statuses of last year's decided supports now: %v", statuses)
				}
			}},
			{"this year's round open, half answered", func(t *testing.T) {
				r := this.Round
				if r.Status != priority.Open || !r.AcceptsRatings(today) || r.Deadline.String() != today.AddDays(21).String() || !r.OpenedOn.Before(today) {
					t.Fatalf("this year's round: %+v", r)
				}
				res, err := svc.Results(ctx, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.NotAnswered) == 0 || len(res.NotAnswered) == len(res.Groups) {
					t.Errorf("groups not answered: %d of %d", len(res.NotAnswered), len(res.Groups))
				}
				sheets, err := svc.Sheets(ctx, r.ID, 0)
				if err != nil {
					t.Fatal(err)
				}
				var complete, partial, commented int
				for _, sh := range sheets {
					if sh.Complete(r) {
						complete++
					} else {
						partial++
					}
					if slices.ContainsFunc(sh.Scores, func(s priority.Score) bool { return s.Comment != "" }) {
						commented++
					}
				}
				all := len(res.Groups) * this.Candidates
				if this.Candidates < 6 || complete*3 < all || complete*3 > all*2 || partial < 2 || commented < 5 {
					t.Errorf("sheets: %d complete, %d partial, %d with comments, of %d", complete, partial, commented, all)
				}
			}},
			{"a member of LPO Diabetes/endokrina has candidates to rate", func(t *testing.T) {
				for _, user := range []string{"utvecklare", "enhet"} {
					uctx := principal(user)
					groups, err := svc.MyGroups(uctx, this.ID)
					if err != nil {
						t.Fatal(err)
					}
					i := slices.IndexFunc(groups, func(g priority.AssessorGroup) bool { return g.Name == "LPO Diabetes/endokrina" })
					if i < 0 {
						t.Fatalf("%s rates for %+v", user, groups)
					}
					sheets, err := svc.Sheets(uctx, this.ID, groups[i].GroupID)
					if err != nil {
						t.Fatal(err)
					}
					if len(sheets) == 0 || len(sheets) >= this.Candidates-2 {
						t.Errorf("%s: LPO Diabetes/endokrina has %d sheets of %d candidates", user, len(sheets), this.Candidates)
					}
				}
			}},
			{"this year's time plan", func(t *testing.T) {
				plan, err := svc.TimePlan(ctx, today.Year())
				if err != nil {
					t.Fatal(err)
				}
				statuses := map[catalog.Status]int{}
				for _, e := range plan {
					statuses[e.Status]++
					if e.RoundID != last.ID || e.Late(today) {
						t.Errorf("plan entry: %+v", e)
					}
				}
				if len(plan) != 3 || statuses[catalog.BeingIntroduced] != 2 || statuses[catalog.Decided] != 1 {
					t.Errorf("time plan %d: %+v", today.Year(), plan)
				}
				next, err := svc.TimePlan(ctx, today.Year()+1)
				if err != nil {
					t.Fatal(err)
				}
				if len(next) != 1 {
					t.Errorf("time plan %d: %+v", today.Year()+1, next)
				}
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, tt.check)
		}
	})
}
