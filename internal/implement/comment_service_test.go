package implement_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// cmEnv is the shared fixture with an implementation whose working group
// chose two municipalities, each with a kommun contact, and a plan of two
// actions (the first closing the gap of the first recommendation).
type cmEnv struct {
	*env
	m                implement.Implementation
	muniA, muniB     string
	kommunA, kommunB context.Context // contacts of muniA and muniB
	actionA, actionB int64
	strangerUnit     int64 // a unit outside the support
}

func newCmEnv(t *testing.T, d *db.DB) *cmEnv {
	t.Helper()
	e := &cmEnv{env: newEnv(t, d), muniA: "2303", muniB: "2305"}
	m := e.started(t)
	m.Municipalities = []string{e.muniA, e.muniB}
	e.m = must(e.svc.UpdateGroup(e.coordinator, m))(t)
	e.kommunA = e.cmKommun(t, "Kim Kommun", e.muniA)
	e.kommunB = e.cmKommun(t, "Kai Kommun", e.muniB)
	gap := insert(t, d, `INSERT INTO gap_analyses (implementation_id, recommendation_id, template_id, gap, answers, created_at, updated_at)
		VALUES (?, ?, ?, 'small', '{}', ?, ?) RETURNING id`, e.m.ID, e.recs[0], e.m.TemplateID, start, start)
	e.actionA = e.cmAction(t, "Utbilda personalen", "2026-10-01", "2026-10-31", e.lead)
	e.actionB = e.cmAction(t, "Ta fram checklista", "2026-11-01", "2026-11-15", 0)
	insert(t, d, `INSERT INTO action_gaps (action_id, gap_id) VALUES (?, ?) RETURNING action_id`, e.actionA, gap)
	exec(t, d, `UPDATE people SET email = 'agnes@example.se' WHERE id = ?`, e.contactA)
	e.strangerUnit = insert(t, d, `INSERT INTO units (level, name, kind, created_at, updated_at) VALUES ('unit', 'Annan enhet', 'primary_care', ?, ?) RETURNING id`, start, start)
	return e
}

// cmKommun adds a kommun user who is the contact of municipality code.
func (e *cmEnv) cmKommun(t *testing.T, name, code string) context.Context {
	t.Helper()
	u := insert(t, e.d, `INSERT INTO users (username, display_name, email, password_hash, created_at, updated_at, password_changed_at)
		VALUES (?, ?, ?, 'x', ?, ?, ?) RETURNING id`, name, name, strings.ReplaceAll(name, " ", ".")+"@kommun.example.se", start, start, start)
	exec(t, e.d, `INSERT INTO municipality_contacts (municipality, user_id, created_at) VALUES (?, ?, ?)`, code, u, start)
	return as(u, name, access.Municipality)
}

// cmAction adds an action to the plan.
func (e *cmEnv) cmAction(t *testing.T, title, from, due string, responsible int64) int64 {
	t.Helper()
	return insert(t, e.d, `INSERT INTO actions (implementation_id, title, responsible_id, start_on, due_on, status, effort_hours, position, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'planned', 8, (SELECT COUNT(*) + 1 FROM actions WHERE implementation_id = ?), ?, ?) RETURNING id`,
		e.m.ID, title, db.NullID(responsible), day(from), day(due), e.m.ID, start, start)
}

// cmFresh re-reads the implementation.
func (e *cmEnv) cmFresh(t *testing.T) implement.Implementation {
	t.Helper()
	m, _ := must2(e.svc.Implementation(e.coordinator, e.m.ID))(t)
	return m
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

// cmSend sends the plan to unitA and muniA, deadline 2026-09-21, as the lead.
func (e *cmEnv) cmSend(t *testing.T) implement.CommentRound {
	t.Helper()
	return must(e.svc.SendForComments(e.leadCtx, e.m.ID, implement.CommentRound{Deadline: day("2026-09-21"),
		Message: "Tyck till om planen", UnitIDs: []int64{e.unitA}, Municipalities: []string{e.muniA}}))(t)
}

func cmRecipient(t *testing.T, rd implement.CommentRound, unit int64, muni string) implement.CommentRecipient {
	t.Helper()
	for _, rc := range rd.Recipients {
		if (unit != 0 && rc.UnitID == unit) || (muni != "" && rc.Municipality == muni) {
			return rc
		}
	}
	t.Fatalf("no recipient %d/%s in %+v", unit, muni, rd.Recipients)
	return implement.CommentRecipient{}
}

func cmOutbox(t *testing.T, d *db.DB) []string {
	t.Helper()
	to, err := db.All(context.Background(), d, func(s db.Scanner) (string, error) {
		var a string
		return a, s.Scan(&a)
	}, `SELECT to_addr FROM mail_outbox WHERE kind = 'implement.comment_round'`)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(to)
	return to
}

func TestComment_RevisionsAreNumberedWithWhatChanged(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmEnv(t, d)
		r1 := must(e.svc.SaveRevision(e.leadCtx, e.m.ID, "Första förslaget", e.m.Version))(t)
		if r1.Number != 1 || len(r1.Actions) != 2 || r1.CreatedBy != "Lena Lead" {
			t.Fatalf("revision 1 = %+v", r1)
		}
		if a := r1.Actions[0]; a.Title != "Utbilda personalen" || a.Responsible != "Lena Lead" || !slices.Equal(a.Gaps, []string{"R1"}) || a.EffortHours != 8 {
			t.Errorf("snapshot of the first action = %+v", a)
		}
		if !slices.Equal(r1.Diff.Added, []string{"Utbilda personalen", "Ta fram checklista"}) {
			t.Errorf("first diff = %+v", r1.Diff)
		}
		// A stale version of the implementation is refused.
		_, err := e.svc.SaveRevision(e.leadCtx, e.m.ID, "Igen", e.m.Version)
		wantErr(t, err, errs.ErrConflict)

		// Change one action, remove the other, add a third.
		exec(t, d, `UPDATE actions SET due_on = ? WHERE id = ?`, day("2026-12-15"), e.actionA)
		exec(t, d, `DELETE FROM actions WHERE id = ?`, e.actionB)
		e.cmAction(t, "Följ upp efter tre månader", "2027-01-01", "2027-03-31", 0)
		m := e.cmFresh(t)
		if m.PlanRevision != 1 {
			t.Fatalf("plan_revision = %d, want 1", m.PlanRevision)
		}
		r2 := must(e.svc.SaveRevision(e.leadCtx, e.m.ID, "Efter remissen", m.Version))(t)
		want := implement.RevisionDiff{Added: []string{"Följ upp efter tre månader"}, Removed: []string{"Ta fram checklista"}, Changed: []string{"Utbilda personalen"}}
		if r2.Number != 2 || !slices.Equal(r2.Diff.Added, want.Added) || !slices.Equal(r2.Diff.Removed, want.Removed) || !slices.Equal(r2.Diff.Changed, want.Changed) {
			t.Fatalf("revision 2 = %d %+v, want %+v", r2.Number, r2.Diff, want)
		}
		rs := must(e.svc.Revisions(e.chief, e.m.ID))(t)
		if len(rs) != 2 || rs[1].Note != "Efter remissen" || !slices.Equal(rs[1].Diff.Changed, want.Changed) || len(rs[0].Diff.Added) != 2 {
			t.Fatalf("revisions = %+v", rs)
		}
		if got := e.cmFresh(t).PlanRevision; got != 2 {
			t.Errorf("plan_revision = %d, want 2", got)
		}
	})
}

func TestComment_SaveRevisionRefuses(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmEnv(t, d)
		_, err := e.svc.SaveRevision(e.leadCtx, e.m.ID, "  ", e.m.Version)
		wantField(t, err, "note", "validation.required")
		_, err = e.svc.SaveRevision(e.outsiderCtx, e.m.ID, "Ny", e.m.Version)
		wantErr(t, err, errs.ErrForbidden)
		_, err = e.svc.SaveRevision(e.unitACtx, e.m.ID, "Ny", e.m.Version)
		wantErr(t, err, errs.ErrForbidden)
		_, err = e.svc.Revisions(e.unitACtx, e.m.ID)
		wantErr(t, err, errs.ErrForbidden)
	})
}

func TestDiffRevisions(t *testing.T) {
	t.Parallel()
	a := implement.RevisionAction{Title: "A", Start: day("2026-10-01"), Due: day("2026-10-02"), Status: implement.ActionPlanned}
	b := implement.RevisionAction{Title: "B", Start: day("2026-10-01"), Due: day("2026-10-02"), Status: implement.ActionPlanned}
	bDone := b
	bDone.Status = implement.ActionDone
	for _, tc := range []struct {
		name                    string
		prev, cur               []implement.RevisionAction
		added, removed, changed []string
	}{
		{"first", nil, []implement.RevisionAction{a, b}, []string{"A", "B"}, nil, nil},
		{"same", []implement.RevisionAction{a, b}, []implement.RevisionAction{a, b}, nil, nil, nil},
		{"status changed", []implement.RevisionAction{a, b}, []implement.RevisionAction{a, bDone}, nil, nil, []string{"B"}},
		{"removed", []implement.RevisionAction{a, b}, []implement.RevisionAction{b}, nil, []string{"A"}, nil},
		{"duplicate title added", []implement.RevisionAction{a}, []implement.RevisionAction{a, a}, []string{"A"}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := implement.DiffRevisions(tc.prev, tc.cur)
			if !slices.Equal(d.Added, orEmpty(tc.added)) || !slices.Equal(d.Removed, orEmpty(tc.removed)) || !slices.Equal(d.Changed, orEmpty(tc.changed)) {
				t.Errorf("diff = %+v", d)
			}
			if d.Empty() != (len(tc.added)+len(tc.removed)+len(tc.changed) == 0) {
				t.Errorf("Empty() = %v", d.Empty())
			}
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestComment_SendValidates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmEnv(t, d)
		ok := implement.CommentRound{Deadline: day("2026-09-21"), UnitIDs: []int64{e.unitA}}
		for _, tc := range []struct {
			name       string
			ctx        context.Context
			edit       func(r *implement.CommentRound)
			field, key string
			err        error
		}{
			{"no recipients", e.leadCtx, func(r *implement.CommentRound) { r.UnitIDs = nil }, "recipients", "implement.comment.no_recipients", nil},
			{"no deadline", e.leadCtx, func(r *implement.CommentRound) { r.Deadline = day("0001-01-01") }, "deadline", "validation.required", nil},
			{"deadline yesterday", e.leadCtx, func(r *implement.CommentRound) { r.Deadline = day("2026-08-31") }, "deadline", "implement.comment.deadline_past", nil},
			{"unit outside the support", e.leadCtx, func(r *implement.CommentRound) { r.UnitIDs = []int64{e.unitA, e.strangerUnit} }, "unit_ids", "implement.comment.unit_not_allowed", nil},
			{"municipality not in the implementation", e.leadCtx, func(r *implement.CommentRound) { r.Municipalities = []string{"2309"} }, "municipalities", "implement.comment.municipality_not_allowed", nil},
			{"outsider", e.outsiderCtx, func(*implement.CommentRound) {}, "", "", errs.ErrForbidden},
			{"unit user", e.unitACtx, func(*implement.CommentRound) {}, "", "", errs.ErrForbidden},
		} {
			in := ok
			tc.edit(&in)
			_, err := e.svc.SendForComments(tc.ctx, e.m.ID, in)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Errorf("%s: got %v, want %v", tc.name, err, tc.err)
				}
				continue
			}
			wantField(t, err, tc.field, tc.key)
		}
		if got := e.cmFresh(t).PlanRevision; got != 0 {
			t.Errorf("refused sends saved revision %d", got)
		}
		// An empty plan cannot be sent.
		exec(t, d, `DELETE FROM actions WHERE implementation_id = ?`, e.m.ID)
		_, err := e.svc.SendForComments(e.leadCtx, e.m.ID, ok)
		wantField(t, err, "plan", "implement.comment.empty_plan")
	})
}

func TestComment_SendSnapshotsOnlyAChangedPlanAndMailsRecipients(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmEnv(t, d)
		// The gaps' affected units may be chosen too.
		exec(t, d, `INSERT INTO gap_units (gap_id, unit_id) SELECT id, ? FROM gap_analyses WHERE implementation_id = ?`, e.strangerUnit, e.m.ID)
		rd := must(e.svc.SendForComments(e.leadCtx, e.m.ID, implement.CommentRound{Deadline: day("2026-09-01"),
			UnitIDs: []int64{e.unitA, e.strangerUnit, e.unitA}, Municipalities: []string{e.muniA}}))(t)
		if rd.Revision != 1 || len(rd.Recipients) != 3 || !slices.Equal(rd.Municipalities, []string{e.muniA}) || rd.SentOn != day("2026-09-01") {
			t.Fatalf("round = %+v", rd)
		}
		if got := cmRecipient(t, rd, 0, e.muniA).Name; got != "Ragunda" {
			t.Errorf("municipality recipient named %q", got)
		}
		want := []string{"Kim.Kommun@kommun.example.se", "agnes@example.se"}
		if got := cmOutbox(t, d); !slices.Equal(got, want) {
			t.Errorf("mailed %v, want %v", got, want)
		}
		var body string
		if err := d.QueryRowContext(t.Context(), `SELECT body FROM mail_outbox WHERE to_addr = 'agnes@example.se'`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		if link := "/remissvar/" + itoa(cmRecipient(t, rd, e.unitA, "").ID); !strings.Contains(body, link) || !strings.Contains(body, "Vårdförlopp Testsjukdom") {
			t.Errorf("mail body lacks %s or the support:\n%s", link, body)
		}
		// Unchanged: the second round sends revision 1 again.
		rd2 := must(e.svc.SendForComments(e.leadCtx, e.m.ID, implement.CommentRound{Deadline: day("2026-09-30"), UnitIDs: []int64{e.unitB}}))(t)
		if rd2.Revision != 1 {
			t.Errorf("unchanged plan sent as revision %d, want 1", rd2.Revision)
		}
		// Changed: a new revision is saved first.
		e.cmAction(t, "Ny åtgärd", "2026-12-01", "2026-12-02", 0)
		rd3 := must(e.svc.SendForComments(e.coordinator, e.m.ID, implement.CommentRound{Deadline: day("2026-09-30"), UnitIDs: []int64{e.unitB}}))(t)
		if rd3.Revision != 2 || e.cmFresh(t).PlanRevision != 2 {
			t.Errorf("changed plan sent as revision %d", rd3.Revision)
		}
		rs := must(e.svc.CommentRounds(e.auditor, e.m.ID))(t)
		if len(rs) != 3 || rs[0].ID != rd.ID || rs[2].ID != rd3.ID {
			t.Errorf("rounds = %+v", rs)
		}
	})
}

func TestComment_WhoMayComment(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmEnv(t, d)
		rd := e.cmSend(t)
		unitRc, muniRc := cmRecipient(t, rd, e.unitA, ""), cmRecipient(t, rd, 0, e.muniA)
		for _, tc := range []struct {
			name      string
			ctx       context.Context
			recipient int64
			author    string // "" = refused as not found
			reads     bool   // may read the recipient's page
		}{
			{"the unit's enhet user", e.unitACtx, unitRc.ID, "Agnes Alfa", true},
			{"an enhet user of another unit", e.unitBCtx, unitRc.ID, "", false},
			{"the municipality's contact", e.kommunA, muniRc.ID, "Kim Kommun", true},
			{"a kommun user of another municipality", e.kommunB, muniRc.ID, "", false},
			{"a kommun user on a unit's recipient", e.kommunA, unitRc.ID, "", false},
			{"the coordinator on the unit's behalf", e.coordinator, unitRc.ID, "samordnare för Hälsocentral Alfa", true},
			{"the coordinator on the municipality's behalf", e.coordinator, muniRc.ID, "samordnare för Ragunda", true},
			{"the working group reads but does not comment", e.leadCtx, unitRc.ID, "", true},
			{"ledning reads but does not comment", e.chief, muniRc.ID, "", true},
			{"an outsider", e.outsiderCtx, unitRc.ID, "", true},
		} {
			_, err := e.svc.ViewCommentRecipient(tc.ctx, tc.recipient)
			if tc.reads != (err == nil) {
				t.Errorf("%s: view: %v", tc.name, err)
			}
			if !tc.reads && !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("%s: view refused with %v, want not found", tc.name, err)
			}
			c, err := e.svc.AddComment(tc.ctx, tc.recipient, "Synpunkt från "+tc.name)
			if tc.author == "" {
				if !errors.Is(err, errs.ErrNotFound) {
					t.Errorf("%s: comment got %v, want not found", tc.name, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			if c.Author != tc.author || c.Late {
				t.Errorf("%s: comment = %+v, want author %q", tc.name, c, tc.author)
			}
		}
		_, err := e.svc.AddComment(e.unitACtx, unitRc.ID, " ")
		wantField(t, err, "body", "validation.required")
		_, err = e.svc.AddComment(e.unitACtx, 999999, "X")
		wantErr(t, err, errs.ErrNotFound)
	})
}

func TestComment_LateCommentsAndClosing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmEnv(t, d)
		rd := e.cmSend(t)
		rc := cmRecipient(t, rd, e.unitA, "")
		e.clock.set(time.Date(2026, 9, 21, 21, 59, 0, 0, time.UTC)) // 23.59 on the deadline in Sweden
		onTime := must(e.svc.AddComment(e.unitACtx, rc.ID, "I tid"))(t)
		e.clock.set(time.Date(2026, 9, 21, 22, 1, 0, 0, time.UTC)) // 00.01 the day after
		late := must(e.svc.AddComment(e.unitACtx, rc.ID, "Sent"))(t)
		if onTime.Late || !late.Late {
			t.Fatalf("late = %v, %v; want false, true", onTime.Late, late.Late)
		}
		_, err := e.svc.CloseRound(e.leadCtx, e.m.ID, rd.ID, rd.Version+1)
		wantErr(t, err, errs.ErrConflict)
		_, err = e.svc.CloseRound(e.unitACtx, e.m.ID, rd.ID, rd.Version)
		wantErr(t, err, errs.ErrForbidden)
		closed := must(e.svc.CloseRound(e.leadCtx, e.m.ID, rd.ID, rd.Version))(t)
		if !closed.Closed() || closed.ClosedOn != day("2026-09-22") {
			t.Fatalf("closed = %+v", closed)
		}
		_, err = e.svc.CloseRound(e.leadCtx, e.m.ID, rd.ID, closed.Version)
		wantErr(t, err, errs.ErrLocked)
		_, err = e.svc.AddComment(e.unitACtx, rc.ID, "För sent")
		wantField(t, err, "body", "implement.comment.round_closed")
		v := must(e.svc.ViewCommentRecipient(e.unitACtx, rc.ID))(t)
		if v.CanComment || len(v.Recipient.Comments) != 2 || !v.Recipient.Comments[1].Late || v.Revision.Number != 1 || len(v.Revision.Actions) != 2 {
			t.Errorf("view = %+v", v)
		}
	})
}

func TestComment_AnswersByVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmEnv(t, d)
		rd := e.cmSend(t)
		c := must(e.svc.AddComment(e.kommunA, cmRecipient(t, rd, 0, e.muniA).ID, "Kommunen behöver mer tid"))(t)
		_, err := e.svc.AnswerComment(e.kommunA, c.ID, "Svar", c.Version)
		wantErr(t, err, errs.ErrForbidden)
		_, err = e.svc.AnswerComment(e.leadCtx, c.ID, " ", c.Version)
		wantField(t, err, "answer", "validation.required")
		a := must(e.svc.AnswerComment(e.leadCtx, c.ID, "Vi flyttar slutdatumet", c.Version))(t)
		if a.Answer != "Vi flyttar slutdatumet" || a.AnsweredBy != "Lena Lead" || a.AnsweredAt == nil || a.Version != c.Version+1 {
			t.Fatalf("answered = %+v", a)
		}
		_, err = e.svc.AnswerComment(e.coordinator, c.ID, "Annat svar", c.Version)
		wantErr(t, err, errs.ErrConflict)
		b := must(e.svc.AnswerComment(e.coordinator, c.ID, "Annat svar", a.Version))(t)
		if b.Answer != "Annat svar" || b.AnsweredBy != "samordnare" {
			t.Errorf("replaced answer = %+v", b)
		}
		_, err = e.svc.AnswerComment(e.leadCtx, 999999, "X", 1)
		wantErr(t, err, errs.ErrNotFound)
	})
}

func TestComment_TasksWaitForRecipientsThatHaveNotCommented(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmEnv(t, d)
		rd := e.cmSend(t)
		tasks := func(ctx context.Context) []implement.Task {
			t.Helper()
			var out []implement.Task
			for _, tk := range must(e.svc.Tasks(ctx))(t) {
				if tk.Key == "implement.task.comment" {
					out = append(out, tk)
				}
			}
			return out
		}
		unitRc, muniRc := cmRecipient(t, rd, e.unitA, ""), cmRecipient(t, rd, 0, e.muniA)
		for _, tc := range []struct {
			name string
			ctx  context.Context
			href string
		}{
			{"unit A", e.unitACtx, "/remissvar/" + itoa(unitRc.ID)},
			{"municipality A", e.kommunA, "/remissvar/" + itoa(muniRc.ID)},
			{"unit B", e.unitBCtx, ""},
			{"municipality B", e.kommunB, ""},
			{"lead", e.leadCtx, ""},
		} {
			got := tasks(tc.ctx)
			if tc.href == "" {
				if len(got) != 0 {
					t.Errorf("%s: tasks %+v, want none", tc.name, got)
				}
				continue
			}
			if len(got) != 1 || got[0].Href != tc.href || got[0].Title != "Vårdförlopp Testsjukdom" || got[0].Due != day("2026-09-21") || got[0].Late {
				t.Errorf("%s: tasks %+v", tc.name, got)
			}
		}
		e.clock.set(time.Date(2026, 9, 25, 9, 0, 0, 0, time.UTC))
		if got := tasks(e.kommunA); len(got) != 1 || !got[0].Late {
			t.Errorf("after the deadline: %+v, want one late task", got)
		}
		must(e.svc.AddComment(e.unitACtx, unitRc.ID, "Klart"))(t)
		if got := tasks(e.unitACtx); len(got) != 0 {
			t.Errorf("after commenting: %+v", got)
		}
		must(e.svc.CloseRound(e.leadCtx, e.m.ID, rd.ID, rd.Version))(t)
		if got := tasks(e.kommunA); len(got) != 0 {
			t.Errorf("after closing: %+v", got)
		}
	})
}

func TestComment_HistoryInDateOrder(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmEnv(t, d)
		rd := e.cmSend(t)
		c := must(e.svc.AddComment(e.unitACtx, cmRecipient(t, rd, e.unitA, "").ID, "Mer tid behövs"))(t)
		e.clock.set(start.Add(48 * time.Hour))
		must(e.svc.AnswerComment(e.leadCtx, c.ID, "Vi förlänger", c.Version))(t)
		exec(t, d, `UPDATE actions SET due_on = ? WHERE id = ?`, day("2026-12-31"), e.actionB)
		h := must(e.svc.History(e.chief, e.m.ID))(t)
		if !h.PlanChanged || !slices.Equal(h.Pending.Changed, []string{"Ta fram checklista"}) || h.Actions != 2 {
			t.Errorf("pending = %v %+v", h.PlanChanged, h.Pending)
		}
		must(e.svc.SaveRevision(e.leadCtx, e.m.ID, "Förlängt efter remissen", e.cmFresh(t).Version))(t)
		h = must(e.svc.History(e.chief, e.m.ID))(t)
		if len(h.Events) != 3 || h.Events[0].Revision == nil || h.Events[1].Round == nil || h.Events[2].Revision == nil {
			t.Fatalf("events = %+v", h.Events)
		}
		if h.PlanChanged || h.Events[2].Revision.Number != 2 || !slices.Equal(h.Events[2].Revision.Diff.Changed, []string{"Ta fram checklista"}) {
			t.Errorf("second revision = %+v", h.Events[2].Revision)
		}
		got := h.Events[1].Round.Recipients[0].Comments
		if h.Events[1].Round.Recipients[0].UnitID != e.unitA || len(got) != 1 || got[0].Answer != "Vi förlänger" {
			t.Errorf("round in history = %+v", h.Events[1].Round)
		}
		_, err := e.svc.History(e.unitACtx, e.m.ID)
		wantErr(t, err, errs.ErrForbidden)
	})
}
