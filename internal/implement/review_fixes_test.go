package implement_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Marking crowding-out asks the deeper analysis even before the gap's size
// is judged.
func TestGap_CrowdingOutWithoutSizeNeedsTheDeeperAnalysis(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		_, err := e.svc.SaveGap(e.coordinator, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], CrowdingOut: true,
			Answers: map[string]string{"current_practice": "Så här gör vi i dag."}})
		wantField(t, err, "answers.displaced", "implement.gap.deeper_required")
	})
}

// A recommendation with a gap analysis cannot be deleted from the catalog:
// the analysis would be lost without a trace.
func TestRecommendation_WithAnAnalysisIsNotDeleted(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		must(e.svc.SaveGap(e.coordinator, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: implement.GapSmall,
			Answers: map[string]string{"current_practice": "I dag", "desired_practice": "Sedan"}}))(t)
		r := must(e.catalog.Recommendation(e.coordinator, e.recs[0]))(t)
		if err := e.catalog.DeleteRecommendation(e.coordinator, r.ID, r.Version); !errors.Is(err, errs.ErrReferenced) {
			t.Errorf("delete of an analysed recommendation: %v, want ErrReferenced", err)
		}
		if v := must(e.svc.GapOf(e.coordinator, m.ID, e.recs[0]))(t); v.Gap.ID == 0 {
			t.Error("the analysis is gone")
		}
	})
}

// settleAll marks every checklist item of m done.
func (e *env) settleAll(t *testing.T, m implement.Implementation) {
	t.Helper()
	for _, it := range must(e.svc.Checklist(e.coordinator, m.ID))(t) {
		must(e.svc.SetItem(e.coordinator, implement.ItemEdit{ImplementationID: m.ID, ID: it.ID, State: implement.ItemDone, Version: it.Version}))(t)
	}
}

// Introducing closes the questionnaires still taking answers, so units
// neither answer nor get reminders afterwards.
func TestMarkIntroduced_ClosesTheQuestionnaires(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		s := must(e.svc.CreateSurvey(e.coordinator, implement.SurveyInput{ImplementationID: m.ID, Title: "Nuläge",
			Deadline: day("2026-09-20"), RecommendationIDs: e.recs[:1]}))(t)
		must(e.svc.SendSurvey(e.coordinator, m.ID, s.ID, s.Version))(t)
		e.settleAll(t, m)
		m = must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation
		must(e.svc.MarkIntroduced(e.coordinator, m.ID, day("2026-09-02"), m.Version))(t)
		view := must(e.svc.Survey(e.coordinator, m.ID, s.ID))(t)
		if view.Survey.Status != implement.SurveyClosed {
			t.Fatalf("questionnaire %s after the introduction, want closed", view.Survey.Status)
		}
		for _, r := range view.Survey.Recipients {
			_, err := e.svc.SaveAnswer(e.unitACtx, r.ID, r.Version, []implement.SurveyAnswer{{RecommendationID: e.recs[0], Compliance: implement.Complies}})
			if err == nil {
				t.Errorf("unit %d answered after the introduction", r.UnitID)
			}
		}
		if err := e.svc.SendDueReminders(e.coordinator); err != nil {
			t.Fatal(err)
		}
		var mails int
		if err := d.QueryRowContext(e.coordinator, `SELECT COUNT(*) FROM mail_outbox WHERE kind = 'implement.survey_reminder'`).Scan(&mails); err != nil {
			t.Fatal(err)
		}
		if mails != 0 {
			t.Errorf("%d reminders after the introduction", mails)
		}
	})
}

// A checklist item reopened at the moment the support is marked introduced
// never leaves it introduced with a required item open (on PostgreSQL the
// implementation's row is locked; on SQLite the write lock serialises).
func TestMarkIntroduced_RacesWithAChecklistChange(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for i := range 6 {
			sid := e.support
			if i > 0 {
				sid = must(e.catalog.CreateSupport(e.coordinator, catalog.Support{Kind: catalog.LocalRoutine, Title: "Stöd " + itoa(int64(i)), Status: catalog.Decided}))(t).ID
			}
			m := must(e.svc.StartImplementation(e.coordinator, implement.Start{SupportID: sid}))(t)
			e.settleAll(t, m)
			items := must(e.svc.Checklist(e.coordinator, m.ID))(t)
			var item implement.ChecklistItem
			for _, it := range items {
				if it.Required {
					item = it
				}
			}
			m = must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation
			var wg sync.WaitGroup
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, _ = e.svc.MarkIntroduced(e.coordinator, m.ID, day("2026-09-02"), m.Version)
			}()
			go func() {
				defer wg.Done()
				_, _ = e.svc.SetItem(e.coordinator, implement.ItemEdit{ImplementationID: m.ID, ID: item.ID, State: implement.ItemOpen, Version: item.Version})
			}()
			wg.Wait()
			w := must(e.svc.Workspace(e.coordinator, m.ID))(t)
			if !w.Implementation.IntroducedOn.IsZero() && !w.Ready {
				t.Fatalf("round %d: introduced with a required item open", i)
			}
		}
	})
}

// The start page shows an overdue action only to those who can open its
// plan.
func TestActionTasks_OnlyWhereThePlanCanBeRead(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		// Agnes (enhet, not in the working group) is responsible for an overdue action.
		must(e.svc.CreateAction(e.coordinator, implement.Action{ImplementationID: m.ID, Title: "Försenad", ResponsibleID: e.contactA,
			Start: day("2026-08-01"), Due: day("2026-08-15"), Status: implement.ActionPlanned}))(t)
		if tasks := must(e.svc.Tasks(e.unitACtx))(t); len(tasks) != 0 {
			t.Errorf("tasks of a responsible who cannot read the plan: %+v", tasks)
		}
		must(e.svc.CreateAction(e.coordinator, implement.Action{ImplementationID: m.ID, Title: "Också försenad", ResponsibleID: e.lead,
			Start: day("2026-08-01"), Due: day("2026-08-15"), Status: implement.ActionPlanned}))(t)
		tasks := must(e.svc.Tasks(e.leadCtx))(t)
		if len(tasks) != 1 || tasks[0].Key != "implement.task.action_overdue" || tasks[0].Count != 1 {
			t.Errorf("the lead's tasks: %+v", tasks)
		}
	})
}

// "Min enhet" lists the comment rounds to the user's unit, open or closed,
// and the workspaces whose working group the user is in.
func TestMyUnit_ListsCommentRoundsAndOwnWorkspaces(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		must(e.svc.CreateAction(e.coordinator, implement.Action{ImplementationID: m.ID, Title: "Utbilda", Start: day("2026-09-10"),
			Due: day("2026-10-10"), Status: implement.ActionPlanned}))(t)
		m = must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation
		r := must(e.svc.SendForComments(e.coordinator, m.ID, implement.CommentRound{ImplementationID: m.ID, Deadline: day("2026-09-30"),
			UnitIDs: []int64{e.unitA}, Version: m.Version}))(t)
		det := must(e.svc.CommentRoundOf(e.coordinator, m.ID, r.ID))(t)
		must(e.svc.CloseRound(e.coordinator, m.ID, r.ID, det.Round.Version))(t)

		mine := must(e.svc.MyUnit(e.unitACtx))(t)
		if len(mine.Rounds) != 1 || !mine.Rounds[0].Closed || mine.Rounds[0].RecipientID != det.Round.Recipients[0].ID {
			t.Errorf("unit A's rounds: %+v", mine.Rounds)
		}
		if other := must(e.svc.MyUnit(e.unitBCtx))(t); len(other.Rounds) != 0 {
			t.Errorf("unit B sees unit A's round: %+v", other.Rounds)
		}
		lead := must(e.svc.MyUnit(e.leadCtx))(t)
		if len(lead.Working) != 1 || lead.Working[0].ImplementationID != m.ID {
			t.Errorf("the lead's workspaces: %+v", lead.Working)
		}
	})
}

// Naming the municipalities concerned adds the municipal agreement to the
// checklist of a workspace started without it.
func TestUpdateGroup_MunicipalitiesAddTheMunicipalAgreement(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		has := func() int {
			n := 0
			for _, it := range must(e.svc.Checklist(e.coordinator, m.ID))(t) {
				if it.Key == implement.ItemMunicipal {
					n++
				}
			}
			return n
		}
		if has() != 0 {
			t.Fatal("a support not concerning municipalities started with the municipal item")
		}
		var code string
		if err := d.QueryRowContext(e.coordinator, `SELECT code FROM municipalities ORDER BY code LIMIT 1`).Scan(&code); err != nil {
			t.Fatal(err)
		}
		m.Municipalities = []string{code}
		m = must(e.svc.UpdateGroup(e.coordinator, m))(t)
		m = must(e.svc.UpdateGroup(e.coordinator, m))(t)
		if n := has(); n != 1 {
			t.Errorf("%d municipal items after naming a municipality twice, want 1", n)
		}
	})
}
