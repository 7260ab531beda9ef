package implement_test

import (
	"context"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

func TestPlan_CreateActionRules(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		own := e.planGap(t, m, e.recs[0], implement.GapLarge)
		otherM := must(e.svc.StartImplementation(e.coordinator, implement.Start{SupportID: e.other}))(t)
		foreign := e.planGap(t, otherM, e.otherRec, implement.GapSmall)
		tests := []struct {
			name      string
			ctx       context.Context
			edit      func(a *implement.Action)
			field     string
			key       string
			forbidden bool
		}{
			{"valid with own gap", e.leadCtx, func(a *implement.Action) { a.GapIDs = []int64{own}; a.ResponsibleID = e.lead }, "", "", false},
			{"due before start", e.leadCtx, func(a *implement.Action) { a.Due = day("2026-08-01") }, "due", "implement.action.due_before_start", false},
			{"gap of another support", e.leadCtx, func(a *implement.Action) { a.GapIDs = []int64{own, foreign} }, "gap_ids", "implement.action.gap_other_support", false},
			{"unknown responsible", e.leadCtx, func(a *implement.Action) { a.ResponsibleID = 999999 }, "responsible_id", "implement.action.person_missing", false},
			{"done without date", e.leadCtx, func(a *implement.Action) { a.Status = implement.ActionDone }, "done_on", "implement.action.done_on_required", false},
			{"no title", e.leadCtx, func(a *implement.Action) { a.Title = "  " }, "title", "validation.required", false},
			{"outsider", e.outsiderCtx, func(*implement.Action) {}, "", "", true},
			{"unit user", e.unitACtx, func(*implement.Action) {}, "", "", true},
			{"leadership reads only", e.chief, func(*implement.Action) {}, "", "", true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := count(t, e.d, `SELECT COUNT(*) FROM actions`)
				a := planAction(m, "Utbilda personalen "+tt.name)
				tt.edit(&a)
				got, err := e.svc.CreateAction(tt.ctx, a)
				switch {
				case tt.forbidden:
					wantErr(t, err, errs.ErrForbidden)
				case tt.field != "":
					wantField(t, err, tt.field, tt.key)
				case err != nil:
					t.Fatal(err)
				default:
					if got.ID == 0 || len(got.GapIDs) != 1 || got.GapIDs[0] != own || got.Position < 1 {
						t.Fatalf("saved %+v", got)
					}
					if n := count(t, e.d, `SELECT COUNT(*) FROM actions`); n != before+1 {
						t.Fatalf("%d actions, want %d", n, before+1)
					}
					return
				}
				if n := count(t, e.d, `SELECT COUNT(*) FROM actions`); n != before {
					t.Fatalf("%d actions after a refused save, want %d", n, before)
				}
				if n := count(t, e.d, `SELECT COUNT(*) FROM action_gaps ag JOIN gap_analyses g ON g.id = ag.gap_id WHERE g.implementation_id = ?`, otherM.ID); n != 0 {
					t.Fatalf("%d links to the other support's gaps", n)
				}
			})
		}
	})
}

func TestPlan_UpdateAndDeleteActionByVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		a := must(e.svc.CreateAction(e.leadCtx, planAction(m, "Ta fram rutin")))(t)
		// A milestone is one day: start becomes due.
		edit := a
		edit.Title, edit.Milestone, edit.Status = "Rutin beslutad", true, implement.ActionStarted
		saved := must(e.svc.UpdateAction(e.leadCtx, edit))(t)
		if saved.Version != a.Version+1 || !saved.Milestone || saved.Start != saved.Due || saved.Title != "Rutin beslutad" {
			t.Fatalf("saved %+v", saved)
		}
		stale := a
		stale.Title = "Gammal"
		_, err := e.svc.UpdateAction(e.coordinator, stale)
		wantErr(t, err, errs.ErrConflict)
		wantErr(t, e.svc.DeleteAction(e.leadCtx, m.ID, a.ID, a.Version), errs.ErrConflict)
		wantErr(t, e.svc.DeleteAction(e.outsiderCtx, m.ID, a.ID, saved.Version), errs.ErrForbidden)
		if err := e.svc.DeleteAction(e.leadCtx, m.ID, a.ID, saved.Version); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Action(e.leadCtx, m.ID, a.ID)
		wantErr(t, err, errs.ErrNotFound)
	})
}

func TestPlan_StartedActionMovesDecidedSupport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status implement.ActionStatus
		done   string
		want   catalog.Status
	}{
		{implement.ActionPlanned, "", catalog.Decided},
		{implement.ActionStarted, "", catalog.BeingIntroduced},
		{implement.ActionDone, "2026-09-01", catalog.BeingIntroduced},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				e := newEnv(t, d)
				m := e.started(t)
				// The support went back to decided (as after a correction).
				if _, err := d.ExecContext(context.Background(), `UPDATE supports SET status = 'decided' WHERE id = ?`, e.support); err != nil {
					t.Fatal(err)
				}
				a := planAction(m, "Första steget")
				a.Status = tt.status
				if tt.done != "" {
					a.DoneOn = day(tt.done)
				}
				must(e.svc.CreateAction(e.leadCtx, a))(t)
				sp := must(e.catalog.Support(e.coordinator, e.support))(t)
				if sp.Status != tt.want {
					t.Fatalf("support %s, want %s", sp.Status, tt.want)
				}
				hist := must(e.catalog.History(e.coordinator, e.support))(t)
				last := hist[len(hist)-1]
				if tt.want == catalog.BeingIntroduced && (last.To != catalog.BeingIntroduced || last.Reason == "") {
					t.Fatalf("last transition %+v", last)
				}
			})
		})
	}
}

func TestPlan_Communications(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		c := implement.Communication{ImplementationID: m.ID, TargetGroup: "Sjuksköterskor", Message: "Ny rutin", Channel: implement.ChannelWorkplace,
			PlannedOn: day("2026-10-01"), ResponsibleID: e.lead}
		bad := c
		bad.Channel = "fax"
		_, err := e.svc.CreateCommunication(e.leadCtx, bad)
		wantField(t, err, "channel", "validation.choice")
		_, err = e.svc.CreateCommunication(e.outsiderCtx, c)
		wantErr(t, err, errs.ErrForbidden)
		saved := must(e.svc.CreateCommunication(e.leadCtx, c))(t)
		done := saved
		done.DoneOn = day("2026-10-02")
		done = must(e.svc.UpdateCommunication(e.leadCtx, done))(t)
		if !done.Done() || done.Version != saved.Version+1 {
			t.Fatalf("saved %+v", done)
		}
		_, err = e.svc.UpdateCommunication(e.leadCtx, saved)
		wantErr(t, err, errs.ErrConflict)
		wantErr(t, e.svc.DeleteCommunication(e.leadCtx, m.ID, saved.ID, saved.Version), errs.ErrConflict)
		if err := e.svc.DeleteCommunication(e.leadCtx, m.ID, saved.ID, done.Version); err != nil {
			t.Fatal(err)
		}
		if cs := must(e.svc.Communications(e.chief, m.ID))(t); len(cs) != 0 {
			t.Fatalf("left %+v", cs)
		}
	})
}

func TestPlan_ChecklistItems(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		items := must(e.svc.Checklist(e.leadCtx, m.ID))(t)
		it := items[0]
		caseID := insert(t, d, `INSERT INTO cases (number, title, kind, status, registered_on, created_at, updated_at)
			VALUES ('2026-001', 'Förankring', 'other', 'open', '2026-08-01', ?, ?) RETURNING id`, start, start)
		tests := []struct {
			name  string
			ctx   context.Context
			edit  implement.ItemEdit
			field string
			key   string
			err   error
		}{
			{"unknown case", e.leadCtx, implement.ItemEdit{State: implement.ItemDone, CaseID: 999999}, "case_id", "implement.checklist.case_missing", nil},
			{"waived state not set here", e.leadCtx, implement.ItemEdit{State: implement.ItemWaived}, "state", "validation.choice", nil},
			{"outsider", e.outsiderCtx, implement.ItemEdit{State: implement.ItemDone}, "", "", errs.ErrForbidden},
			{"stale version", e.leadCtx, implement.ItemEdit{State: implement.ItemDone, Version: 99}, "", "", errs.ErrConflict},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ed := tt.edit
				ed.ImplementationID, ed.ID = m.ID, it.ID
				if ed.Version == 0 {
					ed.Version = it.Version
				}
				_, err := e.svc.SetItem(tt.ctx, ed)
				if tt.err != nil {
					wantErr(t, err, tt.err)
				} else {
					wantField(t, err, tt.field, tt.key)
				}
			})
		}
		done := must(e.svc.SetItem(e.leadCtx, implement.ItemEdit{ImplementationID: m.ID, ID: it.ID, State: implement.ItemDone,
			Note: " Beslut i ledningsgruppen ", CaseID: caseID, Version: it.Version}))(t)
		if done.State != implement.ItemDone || done.CaseID != caseID || done.Note != "Beslut i ledningsgruppen" || done.DecidedBy == "" || done.DecidedOn.IsZero() {
			t.Fatalf("done %+v", done)
		}

		// Waiving is the coordinator's, with a reason.
		w := items[1]
		_, err := e.svc.Waive(e.leadCtx, m.ID, w.ID, "Inte aktuellt", w.Version)
		wantErr(t, err, errs.ErrForbidden)
		_, err = e.svc.Waive(e.coordinator, m.ID, w.ID, "  ", w.Version)
		wantField(t, err, "waive_reason", "validation.required")
		waived := must(e.svc.Waive(e.coordinator, m.ID, w.ID, "Redan infört i regionen", w.Version))(t)
		if waived.State != implement.ItemWaived || waived.WaiveReason != "Redan infört i regionen" {
			t.Fatalf("waived %+v", waived)
		}
		_, err = e.svc.SetItem(e.leadCtx, implement.ItemEdit{ImplementationID: m.ID, ID: w.ID, State: implement.ItemOpen, Version: waived.Version})
		wantField(t, err, "state", "implement.checklist.is_waived")
		_, err = e.svc.Unwaive(e.leadCtx, m.ID, w.ID, waived.Version)
		wantErr(t, err, errs.ErrForbidden)
		open := must(e.svc.Unwaive(e.coordinator, m.ID, w.ID, waived.Version))(t)
		if open.State != implement.ItemOpen || open.WaiveReason != "" {
			t.Fatalf("unwaived %+v", open)
		}

		// Own items: added by the working group, deleted; model items stay.
		_, err = e.svc.AddItem(e.leadCtx, m.ID, "", true)
		wantField(t, err, "label", "validation.required")
		own := must(e.svc.AddItem(e.leadCtx, m.ID, "Uppföljning i APT", true))(t)
		if own.Key != "" || !own.Required || own.Position <= items[len(items)-1].Position {
			t.Fatalf("added %+v", own)
		}
		wantField(t, e.svc.DeleteItem(e.leadCtx, m.ID, it.ID, done.Version), "item", "implement.checklist.model_item")
		if err := e.svc.DeleteItem(e.leadCtx, m.ID, own.ID, own.Version); err != nil {
			t.Fatal(err)
		}
	})
}

func TestPlan_MarkIntroduced(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		e.clock.set(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
		_, err := e.svc.MarkIntroduced(e.leadCtx, m.ID, date.Date{}, m.Version)
		wantField(t, err, "checklist", "implement.introduce.not_ready")
		_, err = e.svc.MarkIntroduced(e.outsiderCtx, m.ID, date.Date{}, m.Version)
		wantErr(t, err, errs.ErrForbidden)
		e.planSettle(t, m)
		_, err = e.svc.MarkIntroduced(e.leadCtx, m.ID, date.Date{}, m.Version+5)
		wantErr(t, err, errs.ErrConflict)
		sp := must(e.catalog.Support(e.coordinator, e.support))(t)
		if sp.Status != catalog.BeingIntroduced {
			t.Fatalf("support %s before introduction", sp.Status)
		}
		got := must(e.svc.MarkIntroduced(e.leadCtx, m.ID, date.Date{}, m.Version))(t)
		if got.IntroducedOn != day("2027-03-01") {
			t.Fatalf("introduced on %s", got.IntroducedOn)
		}
		sp = must(e.catalog.Support(e.coordinator, e.support))(t)
		if sp.Status != catalog.Introduced {
			t.Fatalf("support %s, want introduced", sp.Status)
		}
		hist := must(e.catalog.History(e.coordinator, e.support))(t)
		if last := hist[len(hist)-1]; last.To != catalog.Introduced || last.On != day("2027-03-01") || last.Reason == "" {
			t.Fatalf("last transition %+v", last)
		}
		// The workspace is locked.
		_, err = e.svc.CreateAction(e.leadCtx, planAction(m, "För sent"))
		wantErr(t, err, errs.ErrLocked)
		_, err = e.svc.AddItem(e.coordinator, m.ID, "För sent", false)
		wantErr(t, err, errs.ErrLocked)
		_, err = e.svc.MarkIntroduced(e.leadCtx, m.ID, date.Date{}, got.Version)
		wantErr(t, err, errs.ErrLocked)
	})
}

func TestPlan_ActionTasks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		for i, due := range []string{"2026-09-10", "2026-09-20", "2026-12-01"} {
			a := planAction(m, "Åtgärd "+due)
			a.Due, a.ResponsibleID = day(due), e.lead
			if i == 1 {
				a.ResponsibleID = e.outsider
			}
			must(e.svc.CreateAction(e.leadCtx, a))(t)
		}
		done := planAction(m, "Klar")
		done.Due, done.ResponsibleID, done.Status, done.DoneOn = day("2026-09-05"), e.lead, implement.ActionDone, day("2026-09-05")
		must(e.svc.CreateAction(e.leadCtx, done))(t)
		e.clock.set(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC))
		tests := []struct {
			name  string
			ctx   context.Context
			key   string
			count int
		}{
			{"lead's own", e.leadCtx, "implement.task.action_overdue", 1},
			{"outsider's own", e.outsiderCtx, "implement.task.action_overdue", 1},
			{"coordinator's workspaces", e.coordinator, "implement.task.workspace_overdue", 2},
			{"unit user", e.unitACtx, "", 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tasks := must(e.svc.Tasks(tt.ctx))(t)
				var found []implement.Task
				for _, task := range tasks {
					if task.Key == "implement.task.action_overdue" || task.Key == "implement.task.workspace_overdue" {
						found = append(found, task)
					}
				}
				if tt.key == "" {
					if len(found) != 0 {
						t.Fatalf("tasks %+v", found)
					}
					return
				}
				if len(found) != 1 || found[0].Key != tt.key || found[0].Count != tt.count || !found[0].Late || found[0].Title != "Vårdförlopp Testsjukdom" {
					t.Fatalf("tasks %+v", found)
				}
			})
		}
	})
}

func TestPlan_ChecklistModel(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, err := e.svc.ChecklistModel(e.unitACtx)
		wantErr(t, err, errs.ErrForbidden)
		ms := must(e.svc.ChecklistModel(e.chief))(t)
		if len(ms) != len(implement.DefaultChecklist) {
			t.Fatalf("%d items", len(ms))
		}
		_, err = e.svc.SaveModel(e.chief, nil)
		wantErr(t, err, errs.ErrForbidden)
		first, last := ms[0], ms[len(ms)-1]
		edits := []implement.ModelEdit{
			{ID: first.ID, Version: first.Version, Label: "Beslutsunderlag klart", Required: false, Position: first.Position},
			{ID: last.ID, Version: last.Version, Remove: true},
			{Label: "Patientinformation översatt", Required: true, Position: 99},
		}
		_, err = e.svc.SaveModel(e.coordinator, []implement.ModelEdit{{Label: ""}})
		wantField(t, err, "items.0.label", "validation.required")
		got := must(e.svc.SaveModel(e.coordinator, edits))(t)
		if len(got) != len(ms) || got[0].Label != "Beslutsunderlag klart" || got[0].Required || got[len(got)-1].Label != "Patientinformation översatt" ||
			got[len(got)-1].Key != "patientinformation_oversatt" {
			t.Fatalf("model %+v", got)
		}
		_, err = e.svc.SaveModel(e.coordinator, edits[:1])
		wantErr(t, err, errs.ErrConflict)
		// New workspaces get the new model.
		m := e.started(t)
		items := must(e.svc.Checklist(e.coordinator, m.ID))(t)
		if items[0].Label != "Beslutsunderlag klart" || items[len(items)-1].Label != "Patientinformation översatt" {
			t.Fatalf("items %+v", items)
		}
	})
}
