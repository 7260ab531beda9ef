package forum_test

import (
	"slices"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestDecisions_BadInputIsRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCaseFixture(t, d)
		c := f.newCase(t, "Hjärtsvikt", caseDay(3, 1))
		other := f.newCase(t, "KOL", caseDay(3, 1))
		foreign := f.document(t, other.ID, "Annat ärendes underlag")
		f.sendTo(t, c.ID, caseDay(9, 1), caseDay(10, 1), "2380", "2321")
		ok := forum.Decision{CaseID: c.ID, ForumID: f.hsl, DecidedOn: caseDay(11, 10), Text: "Införs."}
		with := func(change func(*forum.Decision)) forum.Decision {
			d := ok
			change(&d)
			return d
		}
		tests := []struct {
			name  string
			who   string
			d     forum.Decision
			field string
			key   string
		}{
			{"no forum", "sara", with(func(d *forum.Decision) { d.ForumID = 0 }), "forum_id", "forum.validation.decision_forum"},
			{"no date", "sara", with(func(d *forum.Decision) { d.DecidedOn = date.Date{} }), "decided_on", "forum.validation.decision_date"},
			{"no text", "sara", with(func(d *forum.Decision) { d.Text = " " }), "text", "validation.required"},
			{"unknown forum", "sara", with(func(d *forum.Decision) { d.ForumID = 999 }), "forum_id", "forum.forum_missing"},
			{"meeting of another forum", "sara", with(func(d *forum.Decision) { d.MeetingID = f.ksrOpen }), "meeting_id", "forum.meeting_not_of_forum"},
			{"meeting with approved minutes", "sara", with(func(d *forum.Decision) { d.MeetingID = f.hslDone }), "meeting_id", "forum.decision.meeting_approved"},
			{"follow-up before the decision", "sara", with(func(d *forum.Decision) { d.FollowUpOn = caseDay(11, 1) }), "follow_up_on", "forum.validation.follow_up_before_decision"},
			{"basis of another case", "sara", with(func(d *forum.Decision) { d.BasisDocumentIDs = []int64{foreign.ID} }), "basis_document_ids", "forum.decision.basis_not_of_case"},
			{"municipality not sent to", "sara", with(func(d *forum.Decision) { d.Municipalities = []string{"2380", "2309"} }), "municipalities", "forum.decision.municipality_not_sent"},
			{"before the case's last step", "sara", with(func(d *forum.Decision) { d.DecidedOn = caseDay(2, 1) }), "decided_on", "forum.step.before_registered"},
			{"ledning outside HSL", "lena", with(func(d *forum.Decision) { d.ForumID = f.ksr }), "", "forbidden"},
			{"improvement lead", "ulf", ok, "", "forbidden"},
		}
		for _, tt := range tests {
			_, err := f.svc.RecordDecision(f.as(tt.who), tt.d, 0)
			wantCaseProblem(t, tt.name, err, tt.field, tt.key)
		}
		if ds := caseMust(f.svc.Decisions(f.as("rut"), forum.DecisionFilter{}))(t); len(ds) != 0 {
			t.Fatalf("bad decisions were saved: %d", len(ds))
		}
		if got := caseMust(f.svc.Case(f.as("rut"), c.ID))(t); got.Status != forum.Registered {
			t.Fatalf("a refused decision moved the case to %s", got.Status)
		}

		// Ledning records decisions in HSL; the case gets its decision step.
		saved := caseMust(f.svc.RecordDecision(f.as("lena"), with(func(d *forum.Decision) {
			d.MeetingID, d.Municipalities, d.FollowUpOn = f.hslOpen, []string{"2321", "2380", "2380"}, caseDay(12, 1)
		}), 0))(t)
		if saved.ForumName != "Hälso- och sjukvårdsledningen" || saved.CaseNumber != c.Number || saved.Locked || !slices.Equal(saved.Municipalities, []string{"2321", "2380"}) ||
			saved.CreatedBy != "Lena" {
			t.Errorf("saved %+v", saved)
		}
		if got := caseMust(f.svc.Case(f.as("rut"), c.ID))(t); got.Status != forum.Decided {
			t.Errorf("case status %s after the decision", got.Status)
		}
		// A closed case takes no decision.
		f.step(t, forum.Step{CaseID: c.ID, Kind: forum.Closed, Date: caseDay(11, 12)})
		_, err := f.svc.RecordDecision(f.as("sara"), with(func(d *forum.Decision) { d.DecidedOn = caseDay(11, 13) }), 0)
		wantCaseProblem(t, "closed case", err, "case_id", "forum.step.after_closed")
	})
}

func TestDecisions_LockedOnceApprovedCorrectionsReferenceTheOld(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCaseFixture(t, d)
		c := f.newCase(t, "Hjärtsvikt", caseDay(3, 1))
		atMeeting := caseMust(f.svc.RecordDecision(f.as("sara"), forum.Decision{CaseID: c.ID, ForumID: f.hsl, MeetingID: f.hslOpen, DecidedOn: caseDay(11, 10), Text: "Införs 2027."}, 0))(t)
		noMeeting := caseMust(f.svc.RecordDecision(f.as("sara"), forum.Decision{ForumID: f.ksr, DecidedOn: caseDay(11, 11), Text: "Rådet tillstyrker."}, 0))(t)
		if atMeeting.Locked || !noMeeting.Locked {
			t.Fatalf("locked: at meeting %v, without meeting %v", atMeeting.Locked, noMeeting.Locked)
		}

		// Before the minutes are approved the decision can be edited, once per version.
		edit := atMeeting
		edit.Text = "Införs från 1 mars 2027."
		edited := caseMust(f.svc.UpdateDecision(f.as("sara"), edit))(t)
		if edited.Text != edit.Text || edited.Version != 2 || edited.CaseID != c.ID {
			t.Errorf("edited %+v", edited)
		}
		_, err := f.svc.UpdateDecision(f.as("sven"), edit)
		wantCaseProblem(t, "stale edit", err, "", "conflict")
		_, err = f.svc.UpdateDecision(f.as("sara"), noMeeting)
		wantCaseProblem(t, "edit without meeting", err, "", "locked")

		if _, err := d.ExecContext(f.as("sara"), `UPDATE meetings SET approved_at = ? WHERE id = ?`, caseNow, f.hslOpen); err != nil {
			t.Fatal(err)
		}
		locked := caseMust(f.svc.Decision(f.as("rut"), atMeeting.ID))(t)
		if !locked.Locked {
			t.Fatal("not locked after approval")
		}
		locked.Text = "Ändrat i efterhand."
		_, err = f.svc.UpdateDecision(f.as("sara"), locked)
		wantCaseProblem(t, "edit after approval", err, "", "locked")

		// A correction is a new decision on the same case; the old one stays.
		_, err = f.svc.CorrectDecision(f.as("sara"), atMeeting.ID, forum.Decision{ForumID: f.hsl, DecidedOn: caseDay(11, 1), Text: "Rättelse."})
		wantCaseProblem(t, "correction dated before", err, "decided_on", "forum.decision.correction_before")
		_, err = f.svc.CorrectDecision(f.as("lena"), noMeeting.ID, forum.Decision{ForumID: f.hsl, DecidedOn: caseDay(11, 20), Text: "Rättelse."})
		wantCaseProblem(t, "ledning correcting the council", err, "", "forbidden")
		corr := caseMust(f.svc.CorrectDecision(f.as("lena"), atMeeting.ID, forum.Decision{ForumID: f.hsl, DecidedOn: caseDay(11, 20), Text: "Införs från 1 april 2027.", FollowUpOn: caseDay(11, 22)}))(t)
		if corr.CorrectsID != atMeeting.ID || corr.CaseID != c.ID || !corr.Locked {
			t.Errorf("correction %+v", corr)
		}
		old := caseMust(f.svc.Decision(f.as("rut"), atMeeting.ID))(t)
		if old.Text != "Införs från 1 mars 2027." || old.CorrectedByID != corr.ID {
			t.Errorf("original after correction %+v", old)
		}
		if steps := caseMust(f.svc.Steps(f.as("rut"), c.ID))(t); len(steps) != 2 {
			t.Errorf("a correction wrote a step: %d steps", len(steps))
		}
	})
}

func TestDecisions_FollowUpDueOnTheResponsiblesStartPage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCaseFixture(t, d)
		c := f.newCase(t, "Hjärtsvikt", caseDay(3, 1)) // ulf responsible
		record := func(dec forum.Decision) forum.Decision {
			t.Helper()
			return caseMust(f.svc.RecordDecision(f.as("sara"), dec, 0))(t)
		}
		caseDue := record(forum.Decision{CaseID: c.ID, ForumID: f.hsl, DecidedOn: caseDay(5, 1), Text: "A", FollowUpOn: caseDay(11, 1)})
		lenaDue := record(forum.Decision{CaseID: c.ID, ForumID: f.hsl, DecidedOn: caseDay(5, 2), Text: "B", FollowUpOn: caseDay(11, 23), ResponsiblePersonID: f.lena})
		record(forum.Decision{CaseID: c.ID, ForumID: f.hsl, DecidedOn: caseDay(5, 3), Text: "C", FollowUpOn: caseDay(11, 24)}) // not yet due
		record(forum.Decision{ForumID: f.ksr, DecidedOn: caseDay(5, 4), Text: "D", FollowUpOn: caseDay(6, 1)})                 // nobody responsible
		corrected := record(forum.Decision{CaseID: c.ID, ForumID: f.hsl, DecidedOn: caseDay(5, 5), Text: "E", FollowUpOn: caseDay(6, 1)})
		caseMust(f.svc.CorrectDecision(f.as("sara"), corrected.ID, forum.Decision{ForumID: f.hsl, DecidedOn: caseDay(5, 6), Text: "E rättat", FollowUpOn: caseDay(12, 1)}))(t)

		ids := func(ds []forum.Decision) []int64 {
			var out []int64
			for _, d := range ds {
				out = append(out, d.ID)
			}
			return out
		}
		if got := ids(caseMust(f.svc.DueFollowUps(f.as("ulf"), f.users["ulf"].UserID))(t)); !slices.Equal(got, []int64{caseDue.ID}) {
			t.Errorf("ulf's due follow-ups %v, want %v", got, []int64{caseDue.ID})
		}
		if got := ids(caseMust(f.svc.DueFollowUps(f.as("lena"), f.users["lena"].UserID))(t)); !slices.Equal(got, []int64{lenaDue.ID}) {
			t.Errorf("lena's due follow-ups %v", got)
		}
		if got := caseMust(f.svc.DueFollowUps(f.as("rut"), f.users["rut"].UserID))(t); len(got) != 0 {
			t.Errorf("rut has due follow-ups: %v", ids(got))
		}

		bad := []struct {
			name  string
			who   string
			r     forum.FollowUpRecord
			field string
			key   string
		}{
			{"no date", "sara", forum.FollowUpRecord{Note: "Klart"}, "done_on", "validation.required"},
			{"no note", "sara", forum.FollowUpRecord{DoneOn: caseDay(11, 2)}, "note", "validation.required"},
			{"before the decision", "sara", forum.FollowUpRecord{DoneOn: caseDay(4, 1), Note: "Klart"}, "done_on", "forum.follow_up.before_decision"},
			{"in the future", "sara", forum.FollowUpRecord{DoneOn: caseDay(12, 1), Note: "Klart"}, "done_on", "forum.follow_up.in_future"},
			{"improvement lead", "ulf", forum.FollowUpRecord{DoneOn: caseDay(11, 2), Note: "Klart"}, "", "forbidden"},
		}
		for _, tt := range bad {
			tt.r.DecisionID = caseDue.ID
			_, err := f.svc.RecordFollowUp(f.as(tt.who), tt.r)
			wantCaseProblem(t, tt.name, err, tt.field, tt.key)
		}
		caseMust(f.svc.RecordFollowUp(f.as("lena"), forum.FollowUpRecord{DecisionID: caseDue.ID, DoneOn: caseDay(11, 2), Note: "Följsamheten är 85 %."}))(t)
		if got := caseMust(f.svc.DueFollowUps(f.as("ulf"), f.users["ulf"].UserID))(t); len(got) != 0 {
			t.Errorf("a followed-up decision is still due: %v", ids(got))
		}
		if got := caseMust(f.svc.Decision(f.as("rut"), caseDue.ID))(t); got.FollowUpStatusOn(f.svc.Today()) != forum.FollowUpDone || got.FollowedUpOn != caseDay(11, 2) {
			t.Errorf("followed up %+v", got)
		}
	})
}

func TestDecisions_ListByForumPeriodAndFollowUpStatus(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCaseFixture(t, d)
		c := f.newCase(t, "Hjärtsvikt", caseDay(1, 2))
		record := func(forumID int64, on, followUp date.Date, text string) forum.Decision {
			t.Helper()
			return caseMust(f.svc.RecordDecision(f.as("sara"), forum.Decision{ForumID: forumID, DecidedOn: on, FollowUpOn: followUp, Text: text}, 0))(t)
		}
		a := record(f.hsl, caseDay(2, 1), caseDay(3, 1), "Hjärtsvikt införs")
		b := record(f.hsl, caseDay(6, 1), caseDay(12, 1), "KOL införs")
		e := record(f.ksr, caseDay(6, 15), date.Date{}, "Rådet tillstyrker")
		x := caseMust(f.svc.RecordDecision(f.as("sara"), forum.Decision{CaseID: c.ID, ForumID: f.ksr, DecidedOn: caseDay(7, 1), Text: "Ärendet bereds"}, 0))(t)
		caseMust(f.svc.RecordFollowUp(f.as("sara"), forum.FollowUpRecord{DecisionID: a.ID, DoneOn: caseDay(3, 2), Note: "Klart"}))(t)
		h2 := record(f.hsl, caseDay(8, 1), caseDay(9, 1), "Astma införs")

		tests := []struct {
			name   string
			filter forum.DecisionFilter
			want   []int64
		}{
			{"all, newest first", forum.DecisionFilter{}, []int64{h2.ID, x.ID, e.ID, b.ID, a.ID}},
			{"forum", forum.DecisionFilter{ForumID: f.hsl}, []int64{h2.ID, b.ID, a.ID}},
			{"period", forum.DecisionFilter{From: caseDay(6, 1), To: caseDay(6, 30)}, []int64{e.ID, b.ID}},
			{"due", forum.DecisionFilter{FollowUp: forum.FollowUpDue}, []int64{h2.ID}},
			{"pending", forum.DecisionFilter{FollowUp: forum.FollowUpPending}, []int64{b.ID}},
			{"done", forum.DecisionFilter{FollowUp: forum.FollowUpDone}, []int64{a.ID}},
			{"none", forum.DecisionFilter{FollowUp: forum.NoFollowUp}, []int64{x.ID, e.ID}},
			{"text or case", forum.DecisionFilter{Query: "hjärtsvikt"}, []int64{x.ID, a.ID}},
			{"case", forum.DecisionFilter{CaseID: c.ID}, []int64{x.ID}},
			{"page", forum.DecisionFilter{Limit: 2, Offset: 2}, []int64{e.ID, b.ID}},
			{"by id after", forum.DecisionFilter{ByID: true, AfterID: b.ID}, []int64{e.ID, x.ID, h2.ID}},
		}
		for _, tt := range tests {
			got := caseMust(f.svc.Decisions(f.as("rut"), tt.filter))(t)
			var ids []int64
			for _, d := range got {
				ids = append(ids, d.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, ids, tt.want)
			}
			tt.filter.Limit, tt.filter.Offset = 0, 0
			if tt.name != "page" {
				if n := caseMust(f.svc.CountDecisions(f.as("rut"), tt.filter))(t); n != len(tt.want) {
					t.Errorf("%s: count %d, want %d", tt.name, n, len(tt.want))
				}
			}
		}
		sum := caseMust(f.svc.DecisionSummary(f.as("rut"), forum.DecisionFilter{From: caseDay(1, 1), To: caseDay(12, 31)}))(t)
		want := []forum.ForumSummary{
			{ForumID: f.hsl, ForumName: "Hälso- och sjukvårdsledningen", Total: 3, Due: 1, Pending: 1, Done: 1},
			{ForumID: f.ksr, ForumName: "Kunskapsstyrningsrådet", Total: 2, None: 2},
		}
		if !slices.Equal(sum, want) {
			t.Errorf("summary %+v, want %+v", sum, want)
		}
		_, err := f.svc.Decisions(f.as("rut"), forum.DecisionFilter{From: caseDay(6, 1), To: caseDay(5, 1)})
		wantCaseProblem(t, "period backwards", err, "to", "validation.date_order")
	})
}
