package implement

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// The action plan.

// Action returns one action of an implementation the user may read.
func (s *Service) Action(ctx context.Context, id, actionID int64) (Action, error) {
	if _, _, err := s.Implementation(ctx, id); err != nil {
		return Action{}, err
	}
	return findAction(ctx, s.db, id, actionID)
}

// Actions lists an implementation's actions in order.
func (s *Service) Actions(ctx context.Context, id int64) ([]Action, error) {
	if _, _, err := s.Implementation(ctx, id); err != nil {
		return nil, err
	}
	return listActions(ctx, s.db, id)
}

// CreateAction adds an action at the end of the plan.
func (s *Service) CreateAction(ctx context.Context, in Action) (Action, error) {
	var out Action
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, in.ImplementationID)
		if err != nil {
			return nil, err
		}
		a := in
		if err := s.checkAction(ctx, tx, m, &a); err != nil {
			return nil, err
		}
		if a.Position, err = nextActionPosition(ctx, tx, m.ID); err != nil {
			return nil, err
		}
		if a.ID, err = insertAction(ctx, tx, a, now); err != nil {
			return nil, err
		}
		if err := replaceActionGaps(ctx, tx, a.ID, a.GapIDs); err != nil {
			return nil, err
		}
		if out, err = findAction(ctx, tx, m.ID, a.ID); err != nil {
			return nil, err
		}
		cs := []audit.Change{{Entity: entityAction, EntityID: a.ID, Action: audit.Create, After: out}}
		c, err := s.progressStatus(ctx, tx, m, out, now)
		return append(cs, c...), err
	})
	return out, err
}

// UpdateAction saves an action whole, by version.
func (s *Service) UpdateAction(ctx context.Context, in Action) (Action, error) {
	var out Action
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, in.ImplementationID)
		if err != nil {
			return nil, err
		}
		before, err := findAction(ctx, tx, m.ID, in.ID)
		if err != nil {
			return nil, err
		}
		if before.Version != in.Version {
			return nil, errs.ErrConflict
		}
		a := in
		a.Position = before.Position
		if err := s.checkAction(ctx, tx, m, &a); err != nil {
			return nil, err
		}
		if err := updateAction(ctx, tx, a, now); err != nil {
			return nil, err
		}
		if err := replaceActionGaps(ctx, tx, a.ID, a.GapIDs); err != nil {
			return nil, err
		}
		if out, err = findAction(ctx, tx, m.ID, a.ID); err != nil {
			return nil, err
		}
		cs := []audit.Change{{Entity: entityAction, EntityID: a.ID, Action: audit.Update, Before: before, After: out}}
		c, err := s.progressStatus(ctx, tx, m, out, now)
		return append(cs, c...), err
	})
	return out, err
}

// DeleteAction removes an action, by version.
func (s *Service) DeleteAction(ctx context.Context, id, actionID, version int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		before, err := findAction(ctx, tx, m.ID, actionID)
		if err != nil {
			return nil, err
		}
		if err := db.DeleteVersioned(ctx, tx, "actions", actionID, version); err != nil {
			return nil, err
		}
		return []audit.Change{{Entity: entityAction, EntityID: actionID, Action: audit.Delete, Before: before}}, nil
	})
}

// checkAction normalises and validates a, and checks its responsible person
// and that its gaps are gaps of m.
func (s *Service) checkAction(ctx context.Context, tx *db.Tx, m Implementation, a *Action) error {
	a.ImplementationID = m.ID
	a.GapIDs = distinct(a.GapIDs)
	a.Normalize()
	v, err := checkRow(ctx, tx, a.Validate(), a.ResponsibleID)
	if err != nil {
		return err
	}
	own, err := gapsOf(ctx, tx, m.ID, a.GapIDs)
	if err != nil {
		return err
	}
	for _, g := range a.GapIDs {
		if !own[g] {
			v.Add("gap_ids", "implement.action.gap_other_support")
			break
		}
	}
	return v.Err()
}

// progressStatus moves a support that is still decided to being introduced
// once one of its actions is started or done.
func (s *Service) progressStatus(ctx context.Context, tx *db.Tx, m Implementation, a Action, now time.Time) ([]audit.Change, error) {
	if a.Status != ActionStarted && a.Status != ActionDone {
		return nil, nil
	}
	sp, err := catalog.SupportIn(ctx, tx, m.SupportID)
	if err != nil {
		return nil, err
	}
	if sp.Status != catalog.Decided {
		return nil, nil
	}
	_, c, err := catalog.TransitionTx(ctx, tx, sp.ID, catalog.BeingIntroduced, s.Today(), s.say("implement.action.start_reason"), 0, now)
	if err != nil {
		return nil, err
	}
	return []audit.Change{c}, nil
}

// actionTasks lists, for the signed-in user's person, their own overdue
// actions per workspace, and for the coordinator the workspaces with overdue
// actions.
func (s *Service) actionTasks(ctx context.Context) ([]Task, error) {
	today := s.Today()
	var tasks []Task
	person, _, err := personOfUser(ctx, s.db, access.From(ctx).UserID)
	if err != nil {
		return nil, err
	}
	if person != 0 {
		own, err := overdueActions(ctx, s.db, person, today)
		if err != nil {
			return nil, err
		}
		for _, g := range own {
			// Only where they can open the plan: a responsible person
			// outside the working group without an overview role cannot.
			if _, _, err := s.Implementation(ctx, g.implementationID); errors.Is(err, errs.ErrForbidden) {
				continue
			} else if err != nil {
				return nil, err
			}
			tasks = append(tasks, Task{Key: "implement.task.action_overdue", Title: g.title, Count: g.count, Due: g.due, Late: true,
				Href: planURL(g.implementationID) + "?forsenade=1&ansvarig=" + strconv.FormatInt(person, 10)})
		}
	}
	if CanCoordinate(ctx) {
		all, err := overdueActions(ctx, s.db, 0, today)
		if err != nil {
			return nil, err
		}
		for _, g := range all {
			tasks = append(tasks, Task{Key: "implement.task.workspace_overdue", Title: g.title, Count: g.count, Due: g.due, Late: true,
				Href: planURL(g.implementationID) + "?forsenade=1"})
		}
	}
	return tasks, nil
}

func planURL(id int64) string { return "/inforande/" + strconv.FormatInt(id, 10) + "/handlingsplan" }

// The communication plan.

// Communication returns one row of the communication plan.
func (s *Service) Communication(ctx context.Context, id, commID int64) (Communication, error) {
	if _, _, err := s.Implementation(ctx, id); err != nil {
		return Communication{}, err
	}
	return findCommunication(ctx, s.db, id, commID)
}

// Communications lists the communication plan by planned date.
func (s *Service) Communications(ctx context.Context, id int64) ([]Communication, error) {
	if _, _, err := s.Implementation(ctx, id); err != nil {
		return nil, err
	}
	return listCommunications(ctx, s.db, id)
}

func checkCommunication(ctx context.Context, tx *db.Tx, c *Communication) error {
	c.Normalize()
	v, err := checkRow(ctx, tx, c.Validate(), c.ResponsibleID)
	if err != nil {
		return err
	}
	return v.Err()
}

// checkRow starts the checks of a row of the action or communication plan:
// the field errors of rule (its Validate) and whether its responsible
// person (0 for none) exists.
func checkRow(ctx context.Context, tx *db.Tx, rule error, responsibleID int64) (*errs.ValidationError, error) {
	v := &errs.ValidationError{}
	if ve, ok := errs.AsValidation(rule); ok {
		v.Fields = append(v.Fields, ve.Fields...)
	}
	if responsibleID != 0 {
		ok, err := personExists(ctx, tx, responsibleID)
		if err != nil {
			return nil, err
		}
		if !ok {
			v.Add("responsible_id", "implement.action.person_missing")
		}
	}
	return v, nil
}

// CreateCommunication adds a row to the communication plan.
func (s *Service) CreateCommunication(ctx context.Context, in Communication) (Communication, error) {
	var out Communication
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, in.ImplementationID)
		if err != nil {
			return nil, err
		}
		c := in
		c.ImplementationID = m.ID
		if err := checkCommunication(ctx, tx, &c); err != nil {
			return nil, err
		}
		if c.ID, err = insertCommunication(ctx, tx, c, now); err != nil {
			return nil, err
		}
		out, err = findCommunication(ctx, tx, m.ID, c.ID)
		return []audit.Change{{Entity: entityCommunication, EntityID: c.ID, Action: audit.Create, After: out}}, err
	})
	return out, err
}

// UpdateCommunication saves a row of the communication plan, by version.
func (s *Service) UpdateCommunication(ctx context.Context, in Communication) (Communication, error) {
	var out Communication
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, in.ImplementationID)
		if err != nil {
			return nil, err
		}
		before, err := findCommunication(ctx, tx, m.ID, in.ID)
		if err != nil {
			return nil, err
		}
		if before.Version != in.Version {
			return nil, errs.ErrConflict
		}
		c := in
		c.ImplementationID = m.ID
		if err := checkCommunication(ctx, tx, &c); err != nil {
			return nil, err
		}
		if err := updateCommunication(ctx, tx, c, now); err != nil {
			return nil, err
		}
		out, err = findCommunication(ctx, tx, m.ID, c.ID)
		return []audit.Change{{Entity: entityCommunication, EntityID: c.ID, Action: audit.Update, Before: before, After: out}}, err
	})
	return out, err
}

// DeleteCommunication removes a row of the communication plan, by version.
func (s *Service) DeleteCommunication(ctx context.Context, id, commID, version int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		before, err := findCommunication(ctx, tx, m.ID, commID)
		if err != nil {
			return nil, err
		}
		if err := db.DeleteVersioned(ctx, tx, "communications", commID, version); err != nil {
			return nil, err
		}
		return []audit.Change{{Entity: entityCommunication, EntityID: commID, Action: audit.Delete, Before: before}}, nil
	})
}

// The readiness checklist.

// Checklist lists an implementation's checklist items in order.
func (s *Service) Checklist(ctx context.Context, id int64) ([]ChecklistItem, error) {
	if _, _, err := s.Implementation(ctx, id); err != nil {
		return nil, err
	}
	return listItems(ctx, s.db, id)
}

// ItemEdit is the working group's change of a checklist item: done or open,
// a note and the forum case that documents it.
type ItemEdit struct {
	ImplementationID int64     `json:"-"`
	ID               int64     `json:"-"`
	State            ItemState `json:"state" enum:"open,done" doc:"done or open; waiving is the coordinator's own operation"`
	Note             string    `json:"note,omitempty" doc:"At most 2000 characters"`
	CaseID           int64     `json:"case_id,omitempty" minimum:"0" doc:"A forum case (from /cases) that documents the item; 0 for none"`
	Version          int64     `json:"version" minimum:"1" doc:"The item's version last read; a stale version is refused with 409"`
}

// changeItem runs fn on checklist item iid of implementation id inside one
// transaction, after check, and saves what fn made of it by version.
func (s *Service) changeItem(ctx context.Context, id, iid, version int64, check func(context.Context) error,
	fn func(tx *db.Tx, it *ChecklistItem) error) (ChecklistItem, error) {
	var out ChecklistItem
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if err := check(ctx); err != nil {
			return nil, err
		}
		m, err := editable(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		before, err := findItem(ctx, tx, m.ID, iid)
		if err != nil {
			return nil, err
		}
		if before.Version != version {
			return nil, errs.ErrConflict
		}
		it := before
		if err := fn(tx, &it); err != nil {
			return nil, err
		}
		if err := updateItem(ctx, tx, it, now); err != nil {
			return nil, err
		}
		out, err = findItem(ctx, tx, m.ID, iid)
		return []audit.Change{{Entity: entityItem, EntityID: iid, Action: audit.Update, Before: before, After: out}}, err
	})
	return out, err
}

func noCheck(context.Context) error { return nil }

// SetItem marks a checklist item done or open with a note and a case link,
// by version: the working group's step. A waived item is the coordinator's
// to reopen (Unwaive).
func (s *Service) SetItem(ctx context.Context, in ItemEdit) (ChecklistItem, error) {
	note := strings.TrimSpace(in.Note)
	return s.changeItem(ctx, in.ImplementationID, in.ID, in.Version, noCheck, func(tx *db.Tx, it *ChecklistItem) error {
		var v errs.ValidationError
		if in.State != ItemOpen && in.State != ItemDone {
			v.Add("state", "validation.choice")
		}
		if it.State == ItemWaived {
			v.Add("state", "implement.checklist.is_waived")
		}
		v.Text("note", note, false, 2000)
		if in.CaseID != 0 {
			if ok, err := caseExists(ctx, tx, in.CaseID); err != nil {
				return err
			} else if !ok {
				v.Add("case_id", "implement.checklist.case_missing")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if in.State != it.State {
			it.DecidedBy, it.DecidedOn = "", date.Date{}
			if in.State == ItemDone {
				it.DecidedBy, it.DecidedOn = audit.DisplayName(ctx), s.Today()
			}
		}
		it.State, it.Note, it.CaseID = in.State, note, in.CaseID
		return nil
	})
}

// Waive settles a checklist item without doing it: the coordinator's step,
// with a reason of 1–2000 characters, by version.
func (s *Service) Waive(ctx context.Context, id, iid int64, reason string, version int64) (ChecklistItem, error) {
	reason = strings.TrimSpace(reason)
	return s.changeItem(ctx, id, iid, version, requireCoordinator, func(_ *db.Tx, it *ChecklistItem) error {
		var v errs.ValidationError
		v.Text("waive_reason", reason, true, 2000)
		if err := v.Err(); err != nil {
			return err
		}
		it.State, it.WaiveReason, it.DecidedBy, it.DecidedOn = ItemWaived, reason, audit.DisplayName(ctx), s.Today()
		return nil
	})
}

// Unwaive opens a waived item again (the coordinator's step), by version.
func (s *Service) Unwaive(ctx context.Context, id, iid, version int64) (ChecklistItem, error) {
	return s.changeItem(ctx, id, iid, version, requireCoordinator, func(_ *db.Tx, it *ChecklistItem) error {
		if it.State != ItemWaived {
			return errs.Invalidf("state", "implement.checklist.not_waived")
		}
		it.State, it.WaiveReason, it.DecidedBy, it.DecidedOn = ItemOpen, "", "", date.Date{}
		return nil
	})
}

// AddItem adds the working group's own item to the end of the checklist.
func (s *Service) AddItem(ctx context.Context, id int64, label string, required bool) (ChecklistItem, error) {
	label = strings.TrimSpace(label)
	var out ChecklistItem
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		var v errs.ValidationError
		v.Text("label", label, true, 300)
		if err := v.Err(); err != nil {
			return nil, err
		}
		pos, err := nextItemPosition(ctx, tx, m.ID)
		if err != nil {
			return nil, err
		}
		iid, err := insertItem(ctx, tx, ChecklistItem{ImplementationID: m.ID, Label: label, Required: required, Position: pos}, now)
		if err != nil {
			return nil, err
		}
		out, err = findItem(ctx, tx, m.ID, iid)
		return []audit.Change{{Entity: entityItem, EntityID: iid, Action: audit.Create, After: out}}, err
	})
	return out, err
}

// DeleteItem removes an item the working group added, by version; the items
// of the region's model stay (the coordinator may waive them).
func (s *Service) DeleteItem(ctx context.Context, id, iid, version int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		before, err := findItem(ctx, tx, m.ID, iid)
		if err != nil {
			return nil, err
		}
		if before.Key != "" {
			return nil, errs.Invalidf("item", "implement.checklist.model_item")
		}
		if err := db.DeleteVersioned(ctx, tx, "checklist_items", iid, version); err != nil {
			return nil, err
		}
		return []audit.Change{{Entity: entityItem, EntityID: iid, Action: audit.Delete, Before: before}}, nil
	})
}

// CaseChoices lists the forum cases a checklist item may link to: those
// linked to the support or the implementation, then the most recent.
func (s *Service) CaseChoices(ctx context.Context, id int64) ([]CaseRef, error) {
	m, _, err := s.Implementation(ctx, id)
	if err != nil {
		return nil, err
	}
	return casesForChecklist(ctx, s.db, m, 50)
}

// Cases returns the number and title of the cases the items link to.
func (s *Service) Cases(ctx context.Context, items []ChecklistItem) (map[int64]CaseRef, error) {
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.CaseID)
	}
	return casesByID(ctx, s.db, ids)
}

// MarkIntroduced records that the support is introduced on day on (today
// when zero): the working group's or the coordinator's step, refused until
// every required checklist item is done or waived. The support moves to
// introduced in the same transaction, and the workspace is locked.
func (s *Service) MarkIntroduced(ctx context.Context, id int64, on date.Date, version int64) (Implementation, error) {
	if on.IsZero() {
		on = s.Today()
	}
	var out Implementation
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		// No checklist change may commit between reading it and locking.
		if err := lockImplementation(ctx, tx, id, true); err != nil {
			return nil, err
		}
		before, err := editableAt(ctx, tx, id, version)
		if err != nil {
			return nil, err
		}
		items, err := listItems(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if ok, open := Ready(items); !ok {
			return nil, errs.Invalidf("checklist", "implement.introduce.not_ready", "count", len(open), "n", len(open))
		}
		if on.Before(before.StartedOn) {
			return nil, errs.Invalidf("on", "implement.introduce.before_start", "date", before.StartedOn.Time())
		}
		var cs []audit.Change
		sp, err := catalog.SupportIn(ctx, tx, before.SupportID)
		if err != nil {
			return nil, err
		}
		if sp.Status == catalog.Decided {
			_, c, err := catalog.TransitionTx(ctx, tx, sp.ID, catalog.BeingIntroduced, on, s.say("implement.start.reason"), 0, now)
			if err != nil {
				return nil, err
			}
			cs = append(cs, c)
		}
		_, c, err := catalog.TransitionTx(ctx, tx, sp.ID, catalog.Introduced, on, s.say("implement.introduce.reason"), 0, now)
		if err != nil {
			return nil, err
		}
		if err := setIntroduced(ctx, tx, id, on, version, now); err != nil {
			return nil, err
		}
		// Introduced is the end: questionnaires and comment rounds still
		// open close with it, so no unit answers or is reminded after.
		surveys, rounds, err := closeOpenParts(ctx, tx, id, on, now)
		if err != nil {
			return nil, err
		}
		for _, sid := range surveys {
			cs = append(cs, audit.Change{Entity: entitySurvey, EntityID: sid, Action: audit.Update, After: map[string]any{"status": SurveyClosed, "closed_on": on}})
		}
		for _, rid := range rounds {
			cs = append(cs, audit.Change{Entity: entityCommentRound, EntityID: rid, Action: audit.Update, After: map[string]any{"closed_on": on}})
		}
		if out, err = findImplementation(ctx, tx, id); err != nil {
			return nil, err
		}
		return append(cs, c, audit.Change{Entity: entityImplementation, EntityID: id, Action: audit.Update, Before: before, After: out}), nil
	})
	return out, err
}

// The region's checklist model.

// ChecklistModel returns the region's checklist model (the default model on
// first use): for the coordinator and those who oversee.
func (s *Service) ChecklistModel(ctx context.Context) ([]ModelItem, error) {
	if !CanOversee(ctx) {
		return nil, fmt.Errorf("checklist model: %w", errs.ErrForbidden)
	}
	ms, err := listModel(ctx, s.db)
	if err != nil || len(ms) > 0 {
		return ms, err
	}
	err = s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		created, err := s.ensureModel(ctx, tx, now)
		cs := make([]audit.Change, 0, len(created))
		for _, m := range created {
			cs = append(cs, audit.Change{Entity: entityModelItem, EntityID: m.ID, Action: audit.Create, After: m})
		}
		return cs, err
	})
	if err != nil {
		return nil, err
	}
	return listModel(ctx, s.db)
}

// ModelEdit is one change to the region's checklist model: an item kept
// (with its id and the version last read), a new item (no id) or an item
// removed.
type ModelEdit struct {
	ID            int64  `json:"id,omitempty" minimum:"0" doc:"The item's id; absent for a new item"`
	Label         string `json:"label" doc:"At most 300 characters"`
	Required      bool   `json:"required,omitempty"`
	MunicipalOnly bool   `json:"municipal_only,omitempty" doc:"Only for supports that concern the municipalities"`
	Position      int    `json:"position,omitempty" doc:"The item's place in the list; items are shown by position"`
	Remove        bool   `json:"remove,omitempty" doc:"Remove the item from the model"`
	Version       int64  `json:"version,omitempty" minimum:"0" doc:"The version last read of an existing item; a stale version is refused with 409"`
}

// SaveModel changes the region's checklist model: the coordinator's step.
// Each existing item is changed or removed by its version; items not sent
// are left as they are. The model is copied into new workspaces only.
func (s *Service) SaveModel(ctx context.Context, edits []ModelEdit) ([]ModelItem, error) {
	if err := requireCoordinator(ctx); err != nil {
		return nil, err
	}
	var v errs.ValidationError
	for i := range edits {
		e := &edits[i]
		e.Label = strings.TrimSpace(e.Label)
		if !e.Remove {
			v.Text("items."+strconv.Itoa(i)+".label", e.Label, true, 300)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if _, err := s.ensureModel(ctx, tx, now); err != nil {
			return nil, err
		}
		var cs []audit.Change
		for i, e := range edits {
			if e.ID == 0 {
				if e.Remove {
					continue
				}
				key, err := newModelKey(ctx, tx, e.Label, i)
				if err != nil {
					return nil, err
				}
				m := ModelItem{Key: key, Label: e.Label, Required: e.Required, MunicipalOnly: e.MunicipalOnly, Position: e.Position}
				if m.ID, err = insertModelItem(ctx, tx, m, now); err != nil {
					return nil, err
				}
				after, err := findModelItem(ctx, tx, m.ID)
				if err != nil {
					return nil, err
				}
				cs = append(cs, audit.Change{Entity: entityModelItem, EntityID: m.ID, Action: audit.Create, After: after})
				continue
			}
			before, err := findModelItem(ctx, tx, e.ID)
			if err != nil {
				return nil, err
			}
			if before.Version != e.Version {
				return nil, errs.ErrConflict
			}
			if e.Remove {
				if err := db.DeleteVersioned(ctx, tx, "checklist_model", e.ID, e.Version); err != nil {
					return nil, err
				}
				cs = append(cs, audit.Change{Entity: entityModelItem, EntityID: e.ID, Action: audit.Delete, Before: before})
				continue
			}
			m := before
			m.Label, m.Required, m.MunicipalOnly, m.Position = e.Label, e.Required, e.MunicipalOnly, e.Position
			if m == before {
				continue
			}
			if err := updateModelItem(ctx, tx, m, now); err != nil {
				return nil, err
			}
			after, err := findModelItem(ctx, tx, e.ID)
			if err != nil {
				return nil, err
			}
			cs = append(cs, audit.Change{Entity: entityModelItem, EntityID: e.ID, Action: audit.Update, Before: before, After: after})
		}
		return cs, nil
	})
	if err != nil {
		return nil, err
	}
	return listModel(ctx, s.db)
}

// newModelKey makes a key for a new model item from its label: lower-case
// letters and digits joined by _, unique in the model.
func newModelKey(ctx context.Context, tx *db.Tx, label string, n int) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToLower(label) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'å' || r == 'ä':
			b.WriteByte('a')
		case r == 'ö':
			b.WriteByte('o')
		default:
			if s := b.String(); s != "" && !strings.HasSuffix(s, "_") {
				b.WriteByte('_')
			}
		}
		if b.Len() >= 40 {
			break
		}
	}
	base := strings.Trim(b.String(), "_")
	if base == "" {
		base = "item_" + strconv.Itoa(n+1)
	}
	key := base
	for i := 2; ; i++ {
		taken, err := modelKeyTaken(ctx, tx, key)
		if err != nil || !taken {
			return key, err
		}
		key = base + "_" + strconv.Itoa(i)
		if i > 1000 {
			return "", fmt.Errorf("checklist model: no free key for %q", base)
		}
	}
}
