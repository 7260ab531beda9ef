package forum_test

import (
	"slices"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestCases_NumberedPerRegistrationYearWithRegisteredStep(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCaseFixture(t, d)
		a := f.newCase(t, "Hjärtsvikt", caseDay(3, 1))
		b := f.newCase(t, "KOL", caseDay(4, 1))
		old := f.newCase(t, "Astma", date.New(2025, 12, 30))
		today := caseMust(f.svc.CreateCase(f.as("sara"), forum.Case{Title: "Utan datum", Kind: forum.OtherCase}))(t)
		for _, tt := range []struct {
			c      forum.Case
			number string
		}{{a, "2026/0001"}, {b, "2026/0002"}, {old, "2025/0001"}, {today, "2026/0003"}} {
			if tt.c.Number != tt.number || tt.c.Status != forum.Registered || tt.c.Version != 1 {
				t.Errorf("%s: number %s status %s version %d, want %s registered 1", tt.c.Title, tt.c.Number, tt.c.Status, tt.c.Version, tt.number)
			}
			steps := caseMust(f.svc.Steps(f.as("rut"), tt.c.ID))(t)
			if len(steps) != 1 || steps[0].Kind != forum.Registered || steps[0].Date != tt.c.RegisteredOn || steps[0].CreatedBy != "Sara" {
				t.Errorf("%s: steps %+v", tt.c.Title, steps)
			}
		}
		if today.RegisteredOn != caseDay(11, 23) || today.ResponsibleName != "" || a.ResponsibleName != "Ulf Utvecklare" {
			t.Errorf("registered %s, responsible %q / %q", today.RegisteredOn, today.ResponsibleName, a.ResponsibleName)
		}

		// Every change is in the audit log, with who made it.
		var n int
		if err := d.QueryRowContext(f.as("rut"), `SELECT COUNT(*) FROM audit_log WHERE actor_name = 'sara' AND action = 'create'
			AND entity IN ('case', 'case_step') AND entity_id = ?`, caseID(a.ID)).Scan(&n); err != nil || n != 2 {
			t.Errorf("audit records of creating case %d: %d (%v)", a.ID, n, err)
		}

		bad := []struct {
			name  string
			c     forum.Case
			field string
			key   string
		}{
			{"no title", forum.Case{Kind: forum.Introduction}, "title", "validation.required"},
			{"unknown kind", forum.Case{Title: "X", Kind: "vet ej"}, "kind", "validation.choice"},
			{"unknown person", forum.Case{Title: "X", Kind: forum.Introduction, ResponsiblePersonID: 9999}, "responsible_person_id", "forum.case.person_missing"},
		}
		for _, tt := range bad {
			_, err := f.svc.CreateCase(f.as("sara"), tt.c)
			wantCaseProblem(t, tt.name, err, tt.field, tt.key)
		}
		_, err := f.svc.CreateCase(f.as("ulf"), forum.Case{Title: "X", Kind: forum.Introduction})
		wantCaseProblem(t, "improvement lead", err, "", "forbidden")

		// Search and filters.
		for _, tt := range []struct {
			name   string
			filter forum.CaseFilter
			want   []string
		}{
			{"all, newest first", forum.CaseFilter{}, []string{"2026/0003", "2026/0002", "2026/0001", "2025/0001"}},
			{"number", forum.CaseFilter{Query: "2025/"}, []string{"2025/0001"}},
			{"title", forum.CaseFilter{Query: "kol"}, []string{"2026/0002"}},
			{"kind", forum.CaseFilter{Kind: forum.OtherCase}, []string{"2026/0003"}},
			{"responsible", forum.CaseFilter{ResponsibleID: f.ulf}, []string{"2026/0002", "2026/0001", "2025/0001"}},
			{"status", forum.CaseFilter{Status: forum.Anchoring}, nil},
		} {
			got := caseMust(f.svc.Cases(f.as("rut"), tt.filter))(t)
			var numbers []string
			for _, c := range got {
				numbers = append(numbers, c.Number)
			}
			if !slices.Equal(numbers, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, numbers, tt.want)
			}
		}
		_, err = f.svc.Cases(f.as("rut"), forum.CaseFilter{Status: "okänd"})
		wantCaseProblem(t, "unknown status filter", err, "status", "validation.choice")
	})
}

func TestCaseSteps_ForwardOnlyDatedAndNothingAfterClosed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCaseFixture(t, d)
		c := f.newCase(t, "Hjärtsvikt", caseDay(3, 1))
		f.step(t, forum.Step{CaseID: c.ID, Kind: forum.Prepared, Date: caseDay(3, 10)})
		f.step(t, forum.Step{CaseID: c.ID, Kind: forum.Anchoring, Date: caseDay(9, 15), ForumID: f.ksr, MeetingID: f.ksrOpen, Outcome: forum.Supports})
		f.step(t, forum.Step{CaseID: c.ID, Kind: forum.Anchoring, Date: caseDay(9, 20), ForumID: f.joint, Outcome: forum.SupportsWithComments, Comment: "Kommunerna vill ha en gemensam rutin."})

		bad := []struct {
			name  string
			step  forum.Step
			field string
			key   string
		}{
			{"backwards", forum.Step{Kind: forum.Prepared, Date: caseDay(10, 1)}, "kind", "forum.step.backwards"},
			{"registered again", forum.Step{Kind: forum.Registered, Date: caseDay(10, 1)}, "kind", "forum.step.registered_once"},
			{"before the previous step", forum.Step{Kind: forum.Anchoring, Date: caseDay(9, 19), ForumID: f.hsl, Outcome: forum.Supports}, "date", "forum.step.before_previous"},
			{"anchoring without forum", forum.Step{Kind: forum.Anchoring, Date: caseDay(10, 1), Outcome: forum.Supports}, "forum_id", "forum.validation.anchoring_forum"},
			{"anchoring without outcome", forum.Step{Kind: forum.Anchoring, Date: caseDay(10, 1), ForumID: f.hsl}, "outcome", "forum.validation.anchoring_outcome"},
			{"meeting of another forum", forum.Step{Kind: forum.Anchoring, Date: caseDay(10, 1), ForumID: f.hsl, MeetingID: f.ksrOpen, Outcome: forum.Supports}, "meeting_id", "forum.meeting_not_of_forum"},
			{"comments without comment", forum.Step{Kind: forum.Anchoring, Date: caseDay(10, 1), ForumID: f.hsl, Outcome: forum.SupportsWithComments}, "comment", "forum.validation.comment_required"},
			{"decision step by hand", forum.Step{Kind: forum.Decided, Date: caseDay(10, 1)}, "kind", "forum.step.decision_by_decision"},
			{"no date", forum.Step{Kind: forum.FollowUp}, "date", "validation.required"},
		}
		for _, tt := range bad {
			tt.step.CaseID = c.ID
			_, err := f.svc.AddStep(f.as("sara"), tt.step, 0)
			wantCaseProblem(t, tt.name, err, tt.field, tt.key)
		}

		// A stale case version is a conflict.
		cur := caseMust(f.svc.Case(f.as("sara"), c.ID))(t)
		_, err := f.svc.AddStep(f.as("sara"), forum.Step{CaseID: c.ID, Kind: forum.FollowUp, Date: caseDay(10, 1)}, cur.Version-1)
		wantCaseProblem(t, "stale case version", err, "", "conflict")

		f.step(t, forum.Step{CaseID: c.ID, Kind: forum.Closed, Date: caseDay(11, 1)})
		_, err = f.svc.AddStep(f.as("sara"), forum.Step{CaseID: c.ID, Kind: forum.Closed, Date: caseDay(11, 2)}, 0)
		wantCaseProblem(t, "after closed", err, "kind", "forum.step.after_closed")

		steps := caseMust(f.svc.Steps(f.as("rut"), c.ID))(t)
		var kinds []forum.Status
		for _, s := range steps {
			kinds = append(kinds, s.Kind)
		}
		if want := []forum.Status{forum.Registered, forum.Prepared, forum.Anchoring, forum.Anchoring, forum.Closed}; !slices.Equal(kinds, want) {
			t.Errorf("steps %v, want %v", kinds, want)
		}
		if steps[2].ForumName != "Kunskapsstyrningsrådet" || steps[2].MeetingID != f.ksrOpen || steps[3].Outcome != forum.SupportsWithComments {
			t.Errorf("anchoring steps: %+v %+v", steps[2], steps[3])
		}
		if got := caseMust(f.svc.Case(f.as("rut"), c.ID))(t); got.Status != forum.Closed {
			t.Errorf("status %s", got.Status)
		}
		got := caseMust(f.svc.Cases(f.as("rut"), forum.CaseFilter{ForumID: f.joint}))(t)
		if len(got) != 1 || got[0].ID != c.ID {
			t.Errorf("cases of the joint forum: %+v", got)
		}
	})
}

func TestCases_TwoCoordinatorsEditingTheSameCaseConflict(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCaseFixture(t, d)
		c := f.newCase(t, "Hjärtsvikt", caseDay(3, 1))
		saras, svens := c, c
		saras.Title, svens.Title = "Hjärtsvikt – nytt vårdprogram", "Hjärtsvikt i primärvården"
		saved := caseMust(f.svc.UpdateCase(f.as("sara"), saras))(t)
		if saved.Version != 2 || saved.Title != saras.Title || saved.Number != c.Number || saved.RegisteredOn != c.RegisteredOn {
			t.Fatalf("saved %+v", saved)
		}
		_, err := f.svc.UpdateCase(f.as("sven"), svens)
		wantCaseProblem(t, "second save", err, "", "conflict")
		svens.Version = saved.Version
		if got := caseMust(f.svc.UpdateCase(f.as("sven"), svens))(t); got.Title != svens.Title {
			t.Errorf("save again: %+v", got)
		}
	})
}

func TestCaseLinks_AnyRecordOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCaseFixture(t, d)
		c := f.newCase(t, "Hjärtsvikt", caseDay(3, 1))
		other := f.newCase(t, "KOL", caseDay(3, 2))
		l := caseMust(f.svc.AddLink(f.as("sara"), forum.Link{CaseID: c.ID, Entity: "support", EntityID: "42", Label: "Nationellt vårdprogram hjärtsvikt"}))(t)
		caseMust(f.svc.AddLink(f.as("sara"), forum.Link{CaseID: other.ID, Entity: "support", EntityID: "42"}))(t)
		_, err := f.svc.AddLink(f.as("sara"), forum.Link{CaseID: c.ID, Entity: "support", EntityID: "42"})
		wantCaseProblem(t, "twice", err, "entity_id", "forum.link.duplicate")
		_, err = f.svc.AddLink(f.as("sara"), forum.Link{CaseID: c.ID, Entity: "support"})
		wantCaseProblem(t, "no id", err, "entity_id", "validation.required")
		if got := caseMust(f.svc.CasesLinkedTo(f.as("rut"), "support", "42"))(t); len(got) != 2 {
			t.Errorf("cases linked to support 42: %d", len(got))
		}
		caseMust(f.svc.DeleteLink(f.as("sara"), l.ID))(t)
		if got := caseMust(f.svc.Links(f.as("rut"), c.ID))(t); len(got) != 0 {
			t.Errorf("links after delete: %+v", got)
		}
	})
}

func TestTrail_EverythingInDateOrder(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCaseFixture(t, d)
		c := f.newCase(t, "Hjärtsvikt", caseDay(3, 1))
		f.step(t, forum.Step{CaseID: c.ID, Kind: forum.Anchoring, Date: caseDay(9, 15), ForumID: f.ksr, MeetingID: f.ksrOpen, Outcome: forum.Supports})
		f.sendTo(t, c.ID, caseDay(9, 20), caseDay(10, 20), "2380", "2321")
		if _, err := d.ExecContext(f.as("sara"), `UPDATE municipal_requests SET answer = 'accepts', answered_on = ?, answered_by = 'Karin' WHERE municipality = '2380'`, caseDay(10, 1)); err != nil {
			t.Fatal(err)
		}
		doc := f.document(t, c.ID, "Underlag HSL") // uploaded today, 23 November
		dec := caseMust(f.svc.RecordDecision(f.as("sara"), forum.Decision{CaseID: c.ID, ForumID: f.hsl, MeetingID: f.hslOpen, DecidedOn: caseDay(11, 10),
			Text: "HSL beslutar att införa vårdprogrammet.", FollowUpOn: caseDay(11, 20), BasisDocumentIDs: []int64{doc.ID}, Municipalities: []string{"2380"}}, 0))(t)
		caseMust(f.svc.RecordFollowUp(f.as("sara"), forum.FollowUpRecord{DecisionID: dec.ID, DoneOn: caseDay(11, 21), Note: "Infört på alla vårdcentraler."}))(t)
		caseMust(f.svc.AddLink(f.as("sara"), forum.Link{CaseID: c.ID, Entity: "support", EntityID: "7", Label: "Vårdprogram"}))(t)

		tr := caseMust(f.svc.Trail(f.as("rut"), c.ID))(t)
		var got []string
		for _, e := range tr.Events {
			got = append(got, e.Date.String()+" "+string(e.Kind))
		}
		want := []string{"2026-03-01 step", "2026-09-15 step", "2026-09-20 sent", "2026-10-01 answer", "2026-11-10 step", "2026-11-10 decision",
			"2026-11-21 follow_up", "2026-11-23 document", "2026-11-23 link"}
		if !slices.Equal(got, want) {
			t.Fatalf("trail\n got %v\nwant %v", got, want)
		}
		if e := tr.Events[1]; e.Meeting == nil || e.Meeting.ID != f.ksrOpen || e.Step.ForumName != "Kunskapsstyrningsrådet" {
			t.Errorf("anchoring event: %+v", e)
		}
		if e := tr.Events[2]; len(e.Requests) != 2 {
			t.Errorf("sending event: %+v", e)
		}
		if e := tr.Events[5]; e.Decision.ID != dec.ID || e.Decision.FollowedUpOn != caseDay(11, 21) || e.Meeting == nil {
			t.Errorf("decision event: %+v", e.Decision)
		}
	})
}
