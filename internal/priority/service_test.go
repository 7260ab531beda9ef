package priority_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// clock is a test clock that steps can move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

func day(s string) date.Date {
	d, err := date.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func insert(t *testing.T, d *db.DB, query string, args ...any) int64 {
	t.Helper()
	return must(db.Insert(context.Background(), d, query, args...))(t)
}

// env is a database with what a round refers to: two LPOs with a member
// each (linked to users), HSL with its forum, watched supports.
type env struct {
	d                  *db.DB
	clock              *clock
	svc                *priority.Service
	catalog            *catalog.Service
	lpoA, lpoB, hsl    int64
	userA, userB       int64 // members of lpoA and lpoB
	userA2             int64 // a second member of lpoA
	supports           []int64
	coordinator, chief context.Context
}

var start = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	texts := must(i18n.Load())(t)
	e := &env{d: d, clock: &clock{t: start}}
	log := audit.New(e.clock.now)
	e.svc = priority.NewService(d, log, forum.NewService(d, log, e.clock.now), texts, e.clock.now)
	e.catalog = catalog.NewService(d, log, e.clock.now)
	group := func(kind, name string) int64 {
		return insert(t, d, `INSERT INTO org_groups (kind, name, level, created_at, updated_at) VALUES (?, ?, 'region', ?, ?) RETURNING id`, kind, name, start, start)
	}
	e.lpoA, e.lpoB, e.hsl = group("lpo", "LPO Alfa"), group("lpo", "LPO Beta"), group("leadership", "HSL")
	insert(t, d, `INSERT INTO forums (group_id, created_at, updated_at) VALUES (?, ?, ?) RETURNING id`, e.hsl, start, start)
	member := func(name string, groupID int64) int64 {
		u := insert(t, d, `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at) VALUES (?, ?, 'x', ?, ?, ?) RETURNING id`,
			name, name, start, start, start)
		p := insert(t, d, `INSERT INTO people (name, user_id, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`, name, u, start, start)
		insert(t, d, `INSERT INTO memberships (group_id, person_id, role, start_date, created_at, updated_at) VALUES (?, ?, 'member', '2020-01-01', ?, ?) RETURNING id`,
			groupID, p, start, start)
		return u
	}
	e.userA, e.userA2, e.userB = member("anna", e.lpoA), member("arne", e.lpoA), member("bo", e.lpoB)
	for role, id := range nextUser {
		insert(t, d, `INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at, password_changed_at) VALUES (?, ?, ?, 'x', ?, ?, ?) RETURNING id`,
			id, string(role), string(role), start, start, start)
	}
	e.coordinator = as(0, access.Coordinator)
	e.chief = as(0, access.Leadership)
	for _, title := range []string{"Riktlinje A", "Riktlinje B", "Riktlinje C"} {
		sp := must(e.catalog.CreateSupport(e.coordinator, catalog.Support{Kind: catalog.LocalRoutine, Title: title, Status: catalog.Watched}))(t)
		e.supports = append(e.supports, sp.ID)
	}
	return e
}

var nextUser = map[access.Role]int64{access.Coordinator: 9001, access.Leadership: 9002, access.Auditor: 9003}

// as is a context signed in as userID (or a fixed user of the role) with role.
func as(userID int64, role access.Role) context.Context {
	if userID == 0 {
		userID = nextUser[role]
	}
	ctx := access.With(context.Background(), access.Principal{UserID: userID, Name: string(role), Roles: []access.Role{role}})
	return audit.WithSystemActor(ctx, string(role))
}

func label(key string) string { return key }

// openRound creates a round over all supports and both LPOs and opens it.
func (e *env) openRound(t *testing.T) priority.Round {
	t.Helper()
	r := must(e.svc.CreateRound(e.coordinator, priority.DefaultRound(2027, day("2026-10-15"), label)))(t)
	r = must(e.svc.SetCandidates(e.coordinator, r.ID, e.supports, r.Version))(t)
	r = must(e.svc.SetGroups(e.coordinator, r.ID, []int64{e.lpoA, e.lpoB}, r.Version))(t)
	return must(e.svc.Open(e.coordinator, r.ID, r.Version))(t)
}

func scores(r priority.Round, imp, feas int) []priority.Score {
	var out []priority.Score
	for _, c := range r.Criteria {
		v := imp
		if c.Axis == priority.Feasibility {
			v = feas
		}
		out = append(out, priority.Score{CriterionID: c.ID, Value: &v, Comment: "kommentar " + c.Label})
	}
	return out
}

func fieldErr(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := errs.AsValidation(err)
	if !ok {
		t.Fatalf("err = %v, want a validation error on %s", err, field)
	}
	for _, f := range v.Fields {
		if f.Name == field && f.Key == key {
			return
		}
	}
	t.Fatalf("err = %v, want %s at %s", err, key, field)
}

func TestRound_ConfigureOpenRateCloseDecide(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		r := e.openRound(t)
		if r.Status != priority.Open || r.OpenedOn != day("2026-09-01") || len(r.Criteria) != 8 {
			t.Fatalf("opened round = %+v", r)
		}
		// Opening inventoried the watched candidates, with the round as reason.
		sp := must(e.catalog.Support(e.coordinator, e.supports[0]))(t)
		if sp.Status != catalog.Inventoried {
			t.Fatalf("support status after open = %s", sp.Status)
		}
		cands := must(e.svc.Candidates(e.coordinator, r.ID))(t)
		// Group A rates all three, B only the first two (one partly).
		for i, c := range cands {
			must(e.svc.SaveSheet(as(e.userA, access.ImprovementLead), priority.Sheet{RoundID: r.ID, CandidateID: c.ID, GroupID: e.lpoA, Scores: scores(r, 5-i, 4)}))(t)
		}
		must(e.svc.SaveSheet(as(e.userB, access.Unit), priority.Sheet{RoundID: r.ID, CandidateID: cands[0].ID, GroupID: e.lpoB, Scores: scores(r, 3, 2)}))(t)
		partial := scores(r, 4, 4)[:2]
		must(e.svc.SaveSheet(as(e.userB, access.Unit), priority.Sheet{RoundID: r.ID, CandidateID: cands[1].ID, GroupID: e.lpoB, Scores: partial}))(t)

		res := must(e.svc.Results(e.coordinator, r.ID))(t)
		if len(res.NotAnswered) != 1 || res.NotAnswered[0].Group.GroupID != e.lpoB || res.NotAnswered[0].Partial != 1 || res.NotAnswered[0].Missing != 1 {
			t.Fatalf("not answered = %+v", res.NotAnswered)
		}
		// Candidate 2 (A: 4/4) ranks before candidate 1 (A: 5/4, B: 3/2 → 4/3).
		top, next := res.Ranked[0], res.Ranked[1]
		if top.Candidate.ID != cands[1].ID || top.Rank != 1 || top.Total != 4 || top.Quadrant != priority.Introduce {
			t.Fatalf("first = %+v", top)
		}
		// Candidate 2's importance comes from A only: B scored two of the
		// three importance criteria, which does not make an axis score.
		if top.Importance.N != 1 || top.Ratings != 2 {
			t.Fatalf("first's counts = %+v", top)
		}
		if next.Candidate.ID != cands[0].ID || next.Importance.N != 2 || next.Importance.Mean != 4 || next.Feasibility.Mean != 3 ||
			next.Importance.Min != 3 || next.Importance.Max != 5 || next.Rank != 2 {
			t.Fatalf("second = %+v", next)
		}

		// A decision on an open round is refused with a clear error.
		_, err := e.svc.RecordDecision(e.chief, r.ID, priority.Decision{DecidedOn: day("2026-11-20"), Text: "Beslut"}, r.Version)
		fieldErr(t, err, "round", "priority.decision.round_open")

		e.clock.set(time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC))
		r = must(e.svc.Close(e.coordinator, r.ID, r.Version))(t)
		if sp := must(e.catalog.Support(e.coordinator, e.supports[2]))(t); sp.Status != catalog.Prioritised {
			t.Fatalf("support status after close = %s", sp.Status)
		}
		// Rating after closing is refused.
		_, err = e.svc.SaveSheet(as(e.userB, access.Unit), priority.Sheet{RoundID: r.ID, CandidateID: cands[2].ID, GroupID: e.lpoB, Scores: scores(r, 1, 1)})
		fieldErr(t, err, "round", "priority.sheet.closed")

		proposal := []priority.ProposalChange{
			{CandidateID: cands[0].ID, Proposal: priority.Proposal{Proposed: true, ProposedOrder: 1, PlannedStart: day("2027-01-01"), PlannedEnd: day("2027-06-30")}, Version: cands[0].Version},
			{CandidateID: cands[1].ID, Proposal: priority.Proposal{Proposed: true, ProposedOrder: 2, PlannedStart: day("2027-03-01")}, Version: cands[1].Version},
		}
		must(e.svc.SaveProposal(e.coordinator, r.ID, proposal))(t)

		// No decision before the proposal has its forum case.
		_, err = e.svc.RecordDecision(e.chief, r.ID, priority.Decision{DecidedOn: day("2026-11-20"), Text: "Beslut"}, r.Version)
		fieldErr(t, err, "round", "priority.decision.no_case")

		r, c := must2(e.svc.StartCase(e.coordinator, r.ID, 0, r.Version))(t)
		if c.Kind != forum.Prioritisation || r.CaseID != c.ID {
			t.Fatalf("case = %+v, round case = %d", c, r.CaseID)
		}
		dec := priority.Decision{DecidedOn: day("2026-11-20"), Text: "HSL beslutar att införa A och B.", Outcomes: []priority.CandidateChoice{
			{CandidateID: cands[0].ID, Outcome: catalog.Decided, Order: 1, PlannedStart: day("2027-01-01"), PlannedEnd: day("2027-06-30")},
			{CandidateID: cands[1].ID, Outcome: catalog.Decided, Order: 2, PlannedStart: day("2027-03-01")},
			{CandidateID: cands[2].ID, Outcome: catalog.NotRelevant},
		}}
		// Only ledning and the coordinator decide.
		if _, err := e.svc.RecordDecision(as(e.userA, access.ImprovementLead), r.ID, dec, r.Version); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("decision by an improvement lead: %v", err)
		}
		r = must(e.svc.RecordDecision(e.chief, r.ID, dec, r.Version))(t)
		if r.Status != priority.Decided || r.DecisionID == 0 || r.DecidedOn != day("2026-11-20") {
			t.Fatalf("decided round = %+v", r)
		}
		for i, want := range []catalog.Status{catalog.Decided, catalog.Decided, catalog.NotRelevant} {
			hist := must(e.catalog.History(e.coordinator, e.supports[i]))(t)
			got := []catalog.Status{}
			for _, h := range hist {
				got = append(got, h.To)
			}
			if !slices.Equal(got, []catalog.Status{catalog.Inventoried, catalog.Prioritised, want}) {
				t.Fatalf("support %d history = %v", i, got)
			}
			if last := hist[len(hist)-1]; last.On != day("2026-11-20") || last.Reason == "" {
				t.Fatalf("decision transition = %+v", last)
			}
		}
		plan := must(e.svc.TimePlan(e.coordinator, 2027))(t)
		if len(plan) != 2 || plan[0].SupportID != e.supports[0] || plan[0].Order != 1 || plan[1].PlannedEnd != (date.Date{}) {
			t.Fatalf("time plan = %+v", plan)
		}
		if got := must(e.svc.TimePlan(e.coordinator, 2026))(t); len(got) != 0 {
			t.Fatalf("time plan 2026 = %+v", got)
		}
		// B has no planned end: it stays in later years' plans until it is introduced.
		if got := must(e.svc.TimePlan(e.coordinator, 2028))(t); len(got) != 1 || got[0].SupportID != e.supports[1] {
			t.Fatalf("time plan 2028 = %+v", got)
		}
		b := must(e.catalog.Support(e.coordinator, e.supports[1]))(t)
		b = must(e.catalog.Transition(e.coordinator, b.ID, catalog.BeingIntroduced, day("2027-03-01"), "Start", b.Version))(t)
		must(e.catalog.Transition(e.coordinator, b.ID, catalog.Introduced, day("2027-09-01"), "Infört", b.Version))(t)
		if got := must(e.svc.TimePlan(e.coordinator, 2028))(t); len(got) != 0 {
			t.Fatalf("time plan 2028 after B is introduced = %+v", got)
		}
		if got := must(e.svc.TimePlan(e.coordinator, 2027))(t); len(got) != 2 {
			t.Fatalf("time plan 2027 after B is introduced = %+v", got)
		}
		// The decision is one of HSL's forum decisions on the case.
		fd := must(forum.NewService(d, audit.New(e.clock.now), e.clock.now).Decision(e.coordinator, r.DecisionID))(t)
		if fd.CaseID != c.ID || fd.Text != dec.Text {
			t.Fatalf("forum decision = %+v", fd)
		}
	})
}

func must2[A, B any](a A, b B, err error) func(*testing.T) (A, B) {
	return func(t *testing.T) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}

func TestSheet_Rules(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		r := e.openRound(t)
		cand := must(e.svc.Candidates(e.coordinator, r.ID))(t)[0]
		off := 9
		tests := []struct {
			name  string
			ctx   context.Context
			sheet priority.Sheet
			field string
			key   string
		}{
			{"outside the group", as(e.userB, access.Unit), priority.Sheet{GroupID: e.lpoA, Scores: scores(r, 3, 3)}, "group_id", "priority.sheet.not_member"},
			{"off the scale", as(e.userA, access.Unit), priority.Sheet{GroupID: e.lpoA,
				Scores: []priority.Score{{CriterionID: r.Criteria[2].ID, Value: &off}}}, "scores.2.value", "priority.sheet.off_scale"},
			{"unknown criterion", as(e.userA, access.Unit), priority.Sheet{GroupID: e.lpoA,
				Scores: []priority.Score{{CriterionID: 999999, Value: &off}}}, "scores", "priority.sheet.unknown_criterion"},
			{"group not assessing", e.coordinator, priority.Sheet{GroupID: e.hsl, Scores: scores(r, 3, 3)}, "group_id", "priority.sheet.not_assessor"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.sheet.RoundID, tt.sheet.CandidateID = r.ID, cand.ID
				_, err := e.svc.SaveSheet(tt.ctx, tt.sheet)
				fieldErr(t, err, tt.field, tt.key)
			})
		}
		// After the deadline nobody rates, not even the coordinator.
		e.clock.set(time.Date(2026, 10, 16, 9, 0, 0, 0, time.UTC))
		_, err := e.svc.SaveSheet(e.coordinator, priority.Sheet{RoundID: r.ID, CandidateID: cand.ID, GroupID: e.lpoA, Scores: scores(r, 3, 3)})
		fieldErr(t, err, "round", "priority.sheet.deadline_passed")
		if sheets := must(e.svc.Sheets(e.coordinator, r.ID, 0))(t); len(sheets) != 0 {
			t.Fatalf("sheets saved by refused ratings: %+v", sheets)
		}
	})
}

// Two members of one group rate the same candidate from the same version:
// the second is told of the conflict and the first's rating stays.
func TestSheet_ConcurrentMembersLoseNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		r := e.openRound(t)
		cand := must(e.svc.Candidates(e.coordinator, r.ID))(t)[0]
		read := must(e.svc.Sheet(as(e.userA, access.Unit), r.ID, cand.ID, e.lpoA))(t)
		first := read
		first.Scores = scores(r, 5, 5)
		saved := must(e.svc.SaveSheet(as(e.userA, access.Unit), first))(t)
		second := read
		second.Scores = scores(r, 1, 1)
		if _, err := e.svc.SaveSheet(as(e.userA2, access.Unit), second); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("second save from a stale version: %v", err)
		}
		now := must(e.svc.Sheet(as(e.userA2, access.Unit), r.ID, cand.ID, e.lpoA))(t)
		if now.Version != saved.Version || *now.Scores[0].Value != 5 || now.UpdatedBy != "enhet" {
			t.Fatalf("sheet after conflict = %+v", now)
		}
		// With the version now read, the second member saves deliberately.
		second.Version = now.Version
		again := must(e.svc.SaveSheet(as(e.userA2, access.Unit), second))(t)
		if *again.Scores[0].Value != 1 || again.Version != now.Version+1 {
			t.Fatalf("second save = %+v", again)
		}
		// Both saving a first sheet at once: one wins, the other conflicts.
		cand2 := must(e.svc.Candidates(e.coordinator, r.ID))(t)[1]
		var wg sync.WaitGroup
		errsOut := make([]error, 2)
		for i, u := range []int64{e.userA, e.userA2} {
			wg.Go(func() {
				_, errsOut[i] = e.svc.SaveSheet(as(u, access.Unit), priority.Sheet{RoundID: r.ID, CandidateID: cand2.ID, GroupID: e.lpoA, Scores: scores(r, 2+i, 2)})
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errsOut {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, errs.ErrConflict) && !errors.Is(err, errs.ErrDuplicate):
				t.Fatalf("concurrent first save: %v", err)
			}
		}
		if ok == 0 {
			t.Fatal("neither concurrent first save succeeded")
		}
	})
}

func TestRound_DraftRules(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		r := must(e.svc.CreateRound(e.coordinator, priority.DefaultRound(2027, day("2026-10-15"), label)))(t)
		// Opening needs candidates and groups.
		_, err := e.svc.Open(e.coordinator, r.ID, r.Version)
		fieldErr(t, err, "support_ids", "priority.round.no_candidates")
		fieldErr(t, err, "group_ids", "priority.round.no_groups")
		// Only the coordinator configures.
		if _, err := e.svc.SetCandidates(as(e.userA, access.ImprovementLead), r.ID, e.supports, r.Version); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("candidates by an improvement lead: %v", err)
		}
		// A stale version is a conflict.
		r2 := must(e.svc.SetCandidates(e.coordinator, r.ID, e.supports[:2], r.Version))(t)
		if _, err := e.svc.SetGroups(e.coordinator, r.ID, []int64{e.lpoA}, r.Version); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale groups: %v", err)
		}
		// HSL is not an assessor group.
		_, err = e.svc.SetGroups(e.coordinator, r.ID, []int64{e.hsl}, r2.Version)
		fieldErr(t, err, "group_ids", "priority.groups.not_eligible")
		// A support in another undecided round cannot be a candidate again.
		other := must(e.svc.CreateRound(e.coordinator, priority.DefaultRound(2028, day("2026-10-15"), label)))(t)
		_, err = e.svc.SetCandidates(e.coordinator, other.ID, e.supports[:1], other.Version)
		fieldErr(t, err, "support_ids", "priority.candidates.in_other_round")
		// Criteria and scale are validated and stored with the round.
		bad := r2
		bad.Scale = priority.Scale{Min: 1, Max: 20}
		_, err = e.svc.UpdateRound(e.coordinator, bad)
		fieldErr(t, err, "scale", "priority.scale.steps")
		custom := r2
		custom.Scale = priority.Scale{Min: 0, Max: 3, Labels: []string{"Ingen", "Låg", "Medel", "Hög"}}
		custom.Criteria = []priority.Criterion{
			{ID: r2.Criteria[0].ID, Axis: priority.Importance, Label: "Nytta", Weight: 2},
			{Axis: priority.Feasibility, Label: "Resurser"},
		}
		saved := must(e.svc.UpdateRound(e.coordinator, custom))(t)
		if len(saved.Criteria) != 2 || saved.Criteria[0].ID != r2.Criteria[0].ID || saved.Criteria[0].Weight != 2 ||
			saved.Criteria[1].Weight != 1 || saved.Scale.Label(0) != "Ingen" {
			t.Fatalf("custom round = %+v", saved)
		}
		// Open: criteria are fixed; the deadline may move.
		saved = must(e.svc.SetGroups(e.coordinator, r.ID, []int64{e.lpoA}, saved.Version))(t)
		opened := must(e.svc.Open(e.coordinator, r.ID, saved.Version))(t)
		changed := opened
		changed.Criteria = append(slices.Clone(opened.Criteria), priority.Criterion{Axis: priority.Importance, Label: "Ny"})
		_, err = e.svc.UpdateRound(e.coordinator, changed)
		fieldErr(t, err, "criteria", "priority.round.fixed_when_open")
		later := opened
		later.Deadline = day("2026-11-01")
		must(e.svc.UpdateRound(e.coordinator, later))(t)
		// Only a draft is deleted.
		if err := e.svc.DeleteRound(e.coordinator, r.ID, opened.Version+1); !errors.Is(err, errs.ErrLocked) {
			t.Fatalf("delete open round: %v", err)
		}
		must(0, e.svc.DeleteRound(e.coordinator, other.ID, other.Version))(t)
	})
}

func TestRatingTasks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		r := e.openRound(t)
		cands := must(e.svc.Candidates(e.coordinator, r.ID))(t)
		must(e.svc.SaveSheet(as(e.userA, access.Unit), priority.Sheet{RoundID: r.ID, CandidateID: cands[0].ID, GroupID: e.lpoA, Scores: scores(r, 3, 3)}))(t)
		tasks := must(e.svc.RatingTasks(e.coordinator, e.userA))(t)
		if len(tasks) != 1 || tasks[0].GroupID != e.lpoA || tasks[0].Remaining != 2 || tasks[0].Deadline != r.Deadline {
			t.Fatalf("tasks of a member = %+v", tasks)
		}
		if tasks := must(e.svc.RatingTasks(e.coordinator, 424242))(t); len(tasks) != 0 {
			t.Fatalf("tasks of a non-member = %+v", tasks)
		}
		if rs := must(e.svc.RoundsToClose(e.coordinator))(t); len(rs) != 0 {
			t.Fatalf("rounds to close before the deadline = %+v", rs)
		}
		e.clock.set(time.Date(2026, 10, 16, 9, 0, 0, 0, time.UTC))
		if tasks := must(e.svc.RatingTasks(e.coordinator, e.userA))(t); len(tasks) != 0 {
			t.Fatalf("tasks after the deadline = %+v", tasks)
		}
		if rs := must(e.svc.RoundsToClose(e.coordinator))(t); len(rs) != 1 || rs[0].ID != r.ID {
			t.Fatalf("rounds to close = %+v", rs)
		}
	})
}

func TestRound_ReopenAndProposal(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		r := e.openRound(t)
		cands := must(e.svc.Candidates(e.coordinator, r.ID))(t)
		// The proposal waits for the round to close.
		_, err := e.svc.SaveProposal(e.coordinator, r.ID, []priority.ProposalChange{{CandidateID: cands[0].ID, Version: cands[0].Version}})
		fieldErr(t, err, "round", "priority.proposal.not_closed")
		r = must(e.svc.Close(e.coordinator, r.ID, r.Version))(t)
		_, err = e.svc.Reopen(e.coordinator, r.ID, day("2026-08-01"), r.Version)
		fieldErr(t, err, "deadline", "priority.round.deadline_past")
		r = must(e.svc.Reopen(e.coordinator, r.ID, day("2026-09-30"), r.Version))(t)
		if r.Status != priority.Open || r.Deadline != day("2026-09-30") || !r.ClosedOn.IsZero() {
			t.Fatalf("reopened = %+v", r)
		}
		r = must(e.svc.Close(e.coordinator, r.ID, r.Version))(t)
		// Orders are unique, proposals need a start; nothing is saved when one row is wrong.
		p := priority.Proposal{Proposed: true, ProposedOrder: 1, PlannedStart: day("2027-01-01")}
		_, err = e.svc.SaveProposal(e.coordinator, r.ID, []priority.ProposalChange{
			{CandidateID: cands[0].ID, Proposal: p, Version: cands[0].Version},
			{CandidateID: cands[1].ID, Proposal: p, Version: cands[1].Version},
			{CandidateID: cands[2].ID, Proposal: priority.Proposal{Proposed: true, ProposedOrder: 3}, Version: cands[2].Version},
		})
		fieldErr(t, err, "candidates.1.proposed_order", "priority.decision.order_taken")
		fieldErr(t, err, "candidates.2.planned_start", "validation.required")
		if got := must(e.svc.Candidates(e.coordinator, r.ID))(t); got[0].Proposed {
			t.Fatalf("a refused proposal was saved: %+v", got[0])
		}
		saved := must(e.svc.SaveProposal(e.coordinator, r.ID, []priority.ProposalChange{{CandidateID: cands[0].ID, Proposal: p, Version: cands[0].Version}}))(t)
		if !saved[0].Proposed || saved[0].ProposedOrder != 1 || saved[0].Version != cands[0].Version+1 {
			t.Fatalf("proposal = %+v", saved[0])
		}
		// A second save from the old version is a conflict.
		if _, err := e.svc.SaveProposal(e.coordinator, r.ID, []priority.ProposalChange{{CandidateID: cands[0].ID, Version: cands[0].Version}}); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale proposal: %v", err)
		}
		// Order 1 is taken by candidate 0: giving it to candidate 1 alone is refused.
		_, err = e.svc.SaveProposal(e.coordinator, r.ID, []priority.ProposalChange{{CandidateID: cands[1].ID, Proposal: p, Version: cands[1].Version}})
		fieldErr(t, err, "candidates", "priority.decision.order_taken")
	})
}

// Attaching the decision basis puts both files on the case at once; doing
// it again with nothing changed attaches nothing more.
func TestAttachBasis_OnceAndAtomic(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		r := e.openRound(t)
		cands := must(e.svc.Candidates(e.coordinator, r.ID))(t)
		must(e.svc.SaveSheet(as(e.userA, access.Unit), priority.Sheet{RoundID: r.ID, CandidateID: cands[0].ID, GroupID: e.lpoA, Scores: scores(r, 4, 3)}))(t)
		r = must(e.svc.Close(e.coordinator, r.ID, r.Version))(t)
		if _, err := e.svc.AttachBasis(e.coordinator, r.ID); !hasField(err, "round") {
			t.Fatalf("attach without a case: %v", err)
		}
		r, c := must2(e.svc.StartCase(e.coordinator, r.ID, 0, r.Version))(t)
		if got := must(e.svc.AttachBasis(e.coordinator, r.ID))(t); len(got) != 2 {
			t.Fatalf("first attach = %+v", got)
		}
		if got := must(e.svc.AttachBasis(e.coordinator, r.ID))(t); len(got) != 0 {
			t.Fatalf("second attach with nothing changed = %+v", got)
		}
		forums := forum.NewService(d, audit.New(e.clock.now), e.clock.now)
		if docs := must(forums.CaseDocuments(e.coordinator, c.ID))(t); len(docs) != 2 {
			t.Fatalf("case documents = %+v", docs)
		}
		// Only the coordinator attaches.
		if _, err := e.svc.AttachBasis(as(e.userA, access.ImprovementLead), r.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("attach by an improvement lead: %v", err)
		}
	})
}

func hasField(err error, name string) bool {
	v, ok := errs.AsValidation(err)
	return ok && v.Has(name)
}
