package implement

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// The action plan, the communication plan and the checklist: the writes
// (the reads the whole package uses are in store.go).

func findAction(ctx context.Context, q db.Querier, implementationID, id int64) (Action, error) {
	a, err := db.One(ctx, q, scanAction, `SELECT `+actionColumns+` FROM actions WHERE id = ? AND implementation_id = ?`, id, implementationID)
	if err != nil {
		return Action{}, fmt.Errorf("find action %d: %w", id, err)
	}
	a.GapIDs, err = db.All(ctx, q, db.ScanID, `SELECT gap_id FROM action_gaps WHERE action_id = ? ORDER BY gap_id`, id)
	if a.GapIDs == nil {
		a.GapIDs = []int64{}
	}
	return a, err
}

func nextActionPosition(ctx context.Context, q db.Querier, implementationID int64) (int, error) {
	var n sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MAX(position) FROM actions WHERE implementation_id = ?`, implementationID).Scan(&n); err != nil {
		return 0, fmt.Errorf("action position: %w", err)
	}
	return int(n.Int64) + 1, nil
}

func insertAction(ctx context.Context, q db.Querier, a Action, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO actions (implementation_id, title, description, responsible_id, start_on, due_on, status,
		effort_hours, milestone, done_on, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.ImplementationID, a.Title, a.Description, db.NullID(a.ResponsibleID), a.Start, a.Due, string(a.Status),
		a.EffortHours, a.Milestone, a.DoneOn, a.Position, now, now)
}

func updateAction(ctx context.Context, q db.Querier, a Action, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "actions", a.ID, `UPDATE actions SET title = ?, description = ?, responsible_id = ?,
		start_on = ?, due_on = ?, status = ?, effort_hours = ?, milestone = ?, done_on = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		a.Title, a.Description, db.NullID(a.ResponsibleID), a.Start, a.Due, string(a.Status), a.EffortHours, a.Milestone, a.DoneOn,
		now, a.ID, a.Version)
}

func replaceActionGaps(ctx context.Context, q db.Querier, actionID int64, gaps []int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM action_gaps WHERE action_id = ?`, actionID); err != nil {
		return fmt.Errorf("clear action gaps: %w", err)
	}
	for _, g := range gaps {
		if _, err := q.ExecContext(ctx, `INSERT INTO action_gaps (action_id, gap_id) VALUES (?, ?)`, actionID, g); err != nil {
			return fmt.Errorf("add action gap %d: %w", g, db.MapError(err))
		}
	}
	return nil
}

// gapsOf returns which of ids are gap analyses of the implementation.
func gapsOf(ctx context.Context, q db.Querier, implementationID int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{implementationID}
	for _, id := range ids {
		args = append(args, id)
	}
	found, err := db.All(ctx, q, db.ScanID, `SELECT id FROM gap_analyses WHERE implementation_id = ? AND id IN (?`+
		strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("gaps of implementation %d: %w", implementationID, err)
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

func personExists(ctx context.Context, q db.Querier, id int64) (bool, error) {
	return db.Exists(ctx, q, `SELECT 1 FROM people WHERE id = ?`, id)
}

func caseExists(ctx context.Context, q db.Querier, id int64) (bool, error) {
	return db.Exists(ctx, q, `SELECT 1 FROM cases WHERE id = ?`, id)
}

// overdueGroup is a count of overdue actions in one implementation.
type overdueGroup struct {
	implementationID int64
	title            string
	count            int
	due              date.Date // the earliest due date among them
}

// overdueActions counts the overdue actions of implementations not yet
// introduced, per implementation; only the person's own when person is not 0.
func overdueActions(ctx context.Context, q db.Querier, person int64, today date.Date) ([]overdueGroup, error) {
	gs, err := db.All(ctx, q, func(s db.Scanner) (overdueGroup, error) {
		var g overdueGroup
		return g, s.Scan(&g.implementationID, &g.title, &g.count, &g.due)
	}, `SELECT i.id, s.title, COUNT(*), MIN(a.due_on) FROM actions a
		JOIN implementations i ON i.id = a.implementation_id
		JOIN supports s ON s.id = i.support_id
		WHERE a.status IN ('planned', 'started') AND a.due_on < ? AND i.introduced_on IS NULL
			AND (? = 0 OR a.responsible_id = ?)
		GROUP BY i.id, s.title ORDER BY MIN(a.due_on), i.id`, today, person, person)
	if err != nil {
		return nil, fmt.Errorf("overdue actions: %w", err)
	}
	return gs, nil
}

// Communications.

func findCommunication(ctx context.Context, q db.Querier, implementationID, id int64) (Communication, error) {
	c, err := db.One(ctx, q, scanCommunication, `SELECT `+communicationColumns+` FROM communications WHERE id = ? AND implementation_id = ?`,
		id, implementationID)
	if err != nil {
		return Communication{}, fmt.Errorf("find communication %d: %w", id, err)
	}
	return c, nil
}

func insertCommunication(ctx context.Context, q db.Querier, c Communication, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO communications (implementation_id, target_group, message, channel, planned_on,
		responsible_id, done_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.ImplementationID, c.TargetGroup, c.Message, string(c.Channel), c.PlannedOn, db.NullID(c.ResponsibleID), c.DoneOn, now, now)
}

func updateCommunication(ctx context.Context, q db.Querier, c Communication, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "communications", c.ID, `UPDATE communications SET target_group = ?, message = ?, channel = ?,
		planned_on = ?, responsible_id = ?, done_on = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		c.TargetGroup, c.Message, string(c.Channel), c.PlannedOn, db.NullID(c.ResponsibleID), c.DoneOn, now, c.ID, c.Version)
}

// Checklist items.

func findItem(ctx context.Context, q db.Querier, implementationID, id int64) (ChecklistItem, error) {
	it, err := db.One(ctx, q, scanItem, `SELECT `+itemColumns+` FROM checklist_items WHERE id = ? AND implementation_id = ?`, id, implementationID)
	if err != nil {
		return ChecklistItem{}, fmt.Errorf("find checklist item %d: %w", id, err)
	}
	return it, nil
}

func nextItemPosition(ctx context.Context, q db.Querier, implementationID int64) (int, error) {
	var n sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MAX(position) FROM checklist_items WHERE implementation_id = ?`, implementationID).Scan(&n); err != nil {
		return 0, fmt.Errorf("checklist position: %w", err)
	}
	return int(n.Int64) + 1, nil
}

// updateItem writes an item's state, note, case, waiver and who decided, by
// version.
func updateItem(ctx context.Context, q db.Querier, it ChecklistItem, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "checklist_items", it.ID, `UPDATE checklist_items SET state = ?, note = ?, case_id = ?,
		waive_reason = ?, decided_by = ?, decided_on = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		string(it.State), it.Note, db.NullID(it.CaseID), it.WaiveReason, it.DecidedBy, it.DecidedOn, now, it.ID, it.Version)
}

// The region's checklist model.

func findModelItem(ctx context.Context, q db.Querier, id int64) (ModelItem, error) {
	m, err := db.One(ctx, q, scanModelItem, `SELECT `+modelColumns+` FROM checklist_model WHERE id = ?`, id)
	if err != nil {
		return ModelItem{}, fmt.Errorf("find checklist model item %d: %w", id, err)
	}
	return m, nil
}

func updateModelItem(ctx context.Context, q db.Querier, m ModelItem, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "checklist_model", m.ID, `UPDATE checklist_model SET label = ?, required = ?, municipal_only = ?,
		position = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		m.Label, m.Required, m.MunicipalOnly, m.Position, now, m.ID, m.Version)
}

func modelKeyTaken(ctx context.Context, q db.Querier, key string) (bool, error) {
	return db.Exists(ctx, q, `SELECT 1 FROM checklist_model WHERE item_key = ?`, key)
}

// Cases for the checklist's case link.

// CaseRef is a forum case that a checklist item may link to.
type CaseRef struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
	Title  string `json:"title"`
}

// casesForChecklist lists the cases linked to the support or the
// implementation first, then the most recent cases, at most limit.
func casesForChecklist(ctx context.Context, q db.Querier, m Implementation, limit int) ([]CaseRef, error) {
	scan := func(s db.Scanner) (CaseRef, error) {
		var c CaseRef
		return c, s.Scan(&c.ID, &c.Number, &c.Title)
	}
	linked, err := db.All(ctx, q, scan, `SELECT c.id, c.number, c.title FROM cases c WHERE EXISTS (SELECT 1 FROM case_links l
		WHERE l.case_id = c.id AND ((l.entity = 'support' AND l.entity_id = ?) OR (l.entity = ? AND l.entity_id = ?)))
		ORDER BY c.registered_on DESC, c.id DESC`, fmt.Sprint(m.SupportID), entityImplementation, fmt.Sprint(m.ID))
	if err != nil {
		return nil, fmt.Errorf("linked cases: %w", err)
	}
	recent, err := db.All(ctx, q, scan, `SELECT id, number, title FROM cases ORDER BY registered_on DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("recent cases: %w", err)
	}
	seen := map[int64]bool{}
	var out []CaseRef
	for _, c := range append(linked, recent...) {
		if !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	return out, nil
}

// casesByID returns the number and title of cases by id.
func casesByID(ctx context.Context, q db.Querier, ids []int64) (map[int64]CaseRef, error) {
	out := map[int64]CaseRef{}
	ids = distinct(ids)
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	cs, err := db.All(ctx, q, func(s db.Scanner) (CaseRef, error) {
		var c CaseRef
		return c, s.Scan(&c.ID, &c.Number, &c.Title)
	}, `SELECT id, number, title FROM cases WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	for _, c := range cs {
		out[c.ID] = c
	}
	return out, nil
}
