package implement

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Implementations.

const implementationColumns = `id, support_id, template_id, sponsor_id, started_on, planned_end, introduced_on,
	summary, summary_by, summary_machine, summary_draft, summary_draft_at, plan_revision, created_at, updated_at, version`

func scanImplementation(s db.Scanner) (Implementation, error) {
	var m Implementation
	var sponsor sql.NullInt64
	var draftAt sql.NullTime
	err := s.Scan(&m.ID, &m.SupportID, &m.TemplateID, &sponsor, &m.StartedOn, &m.PlannedEnd, &m.IntroducedOn,
		&m.Summary, &m.SummaryBy, &m.SummaryMachine, &m.SummaryDraft, &draftAt, &m.PlanRevision, &m.CreatedAt, &m.UpdatedAt, &m.Version)
	if err != nil {
		return Implementation{}, err
	}
	m.SponsorID = sponsor.Int64
	if draftAt.Valid {
		t := draftAt.Time.UTC()
		m.SummaryDraftAt = &t
	}
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	m.MemberIDs, m.Municipalities = []int64{}, []string{}
	return m, nil
}

// findImplementation reads an implementation with its members and
// municipalities.
func findImplementation(ctx context.Context, q db.Querier, id int64) (Implementation, error) {
	m, err := db.One(ctx, q, scanImplementation, `SELECT `+implementationColumns+` FROM implementations WHERE id = ?`, id)
	if err != nil {
		return Implementation{}, fmt.Errorf("find implementation %d: %w", id, err)
	}
	return withGroup(ctx, q, m)
}

// findImplementationOfSupport reads the implementation of a support.
func findImplementationOfSupport(ctx context.Context, q db.Querier, supportID int64) (Implementation, error) {
	m, err := db.One(ctx, q, scanImplementation, `SELECT `+implementationColumns+` FROM implementations WHERE support_id = ?`, supportID)
	if err != nil {
		return Implementation{}, fmt.Errorf("find implementation of support %d: %w", supportID, err)
	}
	return withGroup(ctx, q, m)
}

func withGroup(ctx context.Context, q db.Querier, m Implementation) (Implementation, error) {
	members, err := db.All(ctx, q, db.ScanID, `SELECT person_id FROM implementation_members WHERE implementation_id = ? ORDER BY person_id`, m.ID)
	if err != nil {
		return Implementation{}, fmt.Errorf("members of implementation %d: %w", m.ID, err)
	}
	if members != nil {
		m.MemberIDs = members
	}
	munis, err := db.All(ctx, q, func(s db.Scanner) (string, error) {
		var c string
		return c, s.Scan(&c)
	}, `SELECT municipality FROM implementation_municipalities WHERE implementation_id = ? ORDER BY municipality`, m.ID)
	if err != nil {
		return Implementation{}, fmt.Errorf("municipalities of implementation %d: %w", m.ID, err)
	}
	if munis != nil {
		m.Municipalities = munis
	}
	return m, nil
}

func listImplementations(ctx context.Context, q db.Querier) ([]Implementation, error) {
	ms, err := db.All(ctx, q, scanImplementation, `SELECT `+implementationColumns+` FROM implementations ORDER BY started_on, id`)
	if err != nil {
		return nil, fmt.Errorf("list implementations: %w", err)
	}
	return ms, nil
}

func insertImplementation(ctx context.Context, q db.Querier, m Implementation, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO implementations (support_id, template_id, sponsor_id, started_on, planned_end,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.SupportID, m.TemplateID, db.NullID(m.SponsorID), m.StartedOn, m.PlannedEnd, now, now)
}

// updateGroup writes the working group (sponsor, members, municipalities)
// and the planned end, by version.
func updateGroup(ctx context.Context, q db.Querier, m Implementation, now time.Time) error {
	err := db.UpdateVersioned(ctx, q, "implementations", m.ID, `UPDATE implementations SET sponsor_id = ?, planned_end = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		db.NullID(m.SponsorID), m.PlannedEnd, now, m.ID, m.Version)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM implementation_members WHERE implementation_id = ?`, m.ID); err != nil {
		return fmt.Errorf("clear members: %w", err)
	}
	for _, p := range m.MemberIDs {
		if _, err := q.ExecContext(ctx, `INSERT INTO implementation_members (implementation_id, person_id) VALUES (?, ?)`, m.ID, p); err != nil {
			return fmt.Errorf("add member %d: %w", p, db.MapError(err))
		}
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM implementation_municipalities WHERE implementation_id = ?`, m.ID); err != nil {
		return fmt.Errorf("clear municipalities: %w", err)
	}
	for _, c := range m.Municipalities {
		if _, err := q.ExecContext(ctx, `INSERT INTO implementation_municipalities (implementation_id, municipality) VALUES (?, ?)`, m.ID, c); err != nil {
			return fmt.Errorf("add municipality %s: %w", c, db.MapError(err))
		}
	}
	return nil
}

// lockImplementation locks an implementation's row on PostgreSQL until the
// transaction ends: for update (exclusive) or for share. SQLite's write
// transaction already holds the database's lock.
func lockImplementation(ctx context.Context, tx *db.Tx, id int64, exclusive bool) error {
	if tx.Dialect() != db.Postgres {
		return nil
	}
	mode := "SHARE"
	if exclusive {
		mode = "UPDATE"
	}
	var got int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM implementations WHERE id = ? FOR `+mode, id).Scan(&got); err != nil {
		return fmt.Errorf("lock implementation %d: %w", id, db.MapError(err))
	}
	return nil
}

func setTemplate(ctx context.Context, q db.Querier, id, templateID, version int64, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "implementations", id, `UPDATE implementations SET template_id = ?, updated_at = ?,
		version = version + 1 WHERE id = ? AND version = ?`, templateID, now, id, version)
}

func setIntroduced(ctx context.Context, q db.Querier, id int64, on date.Date, version int64, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "implementations", id, `UPDATE implementations SET introduced_on = ?, updated_at = ?,
		version = version + 1 WHERE id = ? AND version = ?`, on, now, id, version)
}

// Who may edit.

// isWorkingGroupMember reports whether the user is an improvement lead of
// the support, a member of its working group, or its sponsor.
func isWorkingGroupMember(ctx context.Context, q db.Querier, m Implementation, userID int64) (bool, error) {
	if userID == 0 {
		return false, nil
	}
	return db.Exists(ctx, q, `SELECT 1 FROM people p WHERE p.user_id = ? AND (
			p.id = ?
			OR EXISTS (SELECT 1 FROM support_leads l WHERE l.support_id = ? AND l.person_id = p.id)
			OR EXISTS (SELECT 1 FROM implementation_members im WHERE im.implementation_id = ? AND im.person_id = p.id))`,
		userID, m.SponsorID, m.SupportID, m.ID)
}

// personOfUser returns the registry person linked to a user, 0 if none, and
// the unit that person works at.
func personOfUser(ctx context.Context, q db.Querier, userID int64) (person, unit int64, err error) {
	type row struct{ person, unit int64 }
	r, err := db.One(ctx, q, func(s db.Scanner) (row, error) {
		var r row
		var u sql.NullInt64
		err := s.Scan(&r.person, &u)
		r.unit = u.Int64
		return r, err
	}, `SELECT id, unit_id FROM people WHERE user_id = ?`, userID)
	if err != nil {
		if errors.Is(err, errs.ErrNotFound) {
			return 0, 0, nil
		}
		return 0, 0, fmt.Errorf("person of user %d: %w", userID, err)
	}
	return r.person, r.unit, nil
}

// Templates.

const templateColumns = `id, healthcare_region, number, title, questions, published_on, published_by, created_at, updated_at, version`

func scanTemplate(s db.Scanner) (Template, error) {
	var t Template
	var questions string
	err := s.Scan(&t.ID, &t.HealthcareRegion, &t.Number, &t.Title, &questions, &t.PublishedOn, &t.PublishedBy, &t.CreatedAt, &t.UpdatedAt, &t.Version)
	if err != nil {
		return Template{}, err
	}
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(questions), &t.Questions); err != nil {
		return Template{}, fmt.Errorf("template %d: questions: %w", t.ID, err)
	}
	return t, nil
}

func questionsJSON(qs []Question) string {
	if qs == nil {
		qs = []Question{}
	}
	b, _ := json.Marshal(qs)
	return string(b)
}

func findTemplate(ctx context.Context, q db.Querier, id int64) (Template, error) {
	t, err := db.One(ctx, q, scanTemplate, `SELECT `+templateColumns+` FROM gap_templates WHERE id = ?`, id)
	if err != nil {
		return Template{}, fmt.Errorf("find template %d: %w", id, err)
	}
	return t, nil
}

// listTemplates lists a sjukvårdsregion's template versions, newest first;
// every region's when region is "".
func listTemplates(ctx context.Context, q db.Querier, region string) ([]Template, error) {
	ts, err := db.All(ctx, q, scanTemplate, `SELECT `+templateColumns+` FROM gap_templates
		WHERE ? = '' OR healthcare_region = ? ORDER BY healthcare_region, number DESC`, region, region)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	return ts, nil
}

// latestPublished is the newest published version of a sjukvårdsregion's template.
func latestPublished(ctx context.Context, q db.Querier, region string) (Template, error) {
	t, err := db.One(ctx, q, scanTemplate, `SELECT `+templateColumns+` FROM gap_templates
		WHERE healthcare_region = ? AND published_on IS NOT NULL ORDER BY number DESC LIMIT 1`, region)
	if err != nil {
		return Template{}, fmt.Errorf("latest template of %s: %w", region, err)
	}
	return t, nil
}

func nextTemplateNumber(ctx context.Context, q db.Querier, region string) (int, error) {
	var n sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT MAX(number) FROM gap_templates WHERE healthcare_region = ?`, region).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("template number: %w", err)
	}
	return int(n.Int64) + 1, nil
}

func insertTemplate(ctx context.Context, q db.Querier, t Template, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO gap_templates (healthcare_region, number, title, questions, published_on, published_by,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.HealthcareRegion, t.Number, t.Title, questionsJSON(t.Questions), t.PublishedOn, t.PublishedBy, now, now)
}

func updateTemplate(ctx context.Context, q db.Querier, t Template, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "gap_templates", t.ID, `UPDATE gap_templates SET title = ?, questions = ?, published_on = ?,
		published_by = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		t.Title, questionsJSON(t.Questions), t.PublishedOn, t.PublishedBy, now, t.ID, t.Version)
}

func templateInUse(ctx context.Context, q db.Querier, id int64) (bool, error) {
	return db.Exists(ctx, q, `SELECT 1 FROM implementations WHERE template_id = ?
		UNION ALL SELECT 1 FROM gap_analyses WHERE template_id = ?`, id, id)
}

// homeHealthcareRegion is the sjukvårdsregion of the home region in the
// organisation's settings.
func homeHealthcareRegion(ctx context.Context, q db.Querier) (string, error) {
	var code string
	err := q.QueryRowContext(ctx, `SELECT r.healthcare_region FROM org_settings s JOIN regions r ON r.code = s.home_region WHERE s.id = 1`).Scan(&code)
	if err != nil {
		return "", fmt.Errorf("home sjukvårdsregion: %w", db.MapError(err))
	}
	return code, nil
}

// Gap analyses.

const gapColumns = `id, implementation_id, recommendation_id, template_id, gap, crowding_out, answers, updated_by, created_at, updated_at, version`

func scanGap(s db.Scanner) (Gap, error) {
	var g Gap
	var size, answers string
	err := s.Scan(&g.ID, &g.ImplementationID, &g.RecommendationID, &g.TemplateID, &size, &g.CrowdingOut, &answers,
		&g.UpdatedBy, &g.CreatedAt, &g.UpdatedAt, &g.Version)
	if err != nil {
		return Gap{}, err
	}
	g.Size = GapSize(size)
	g.CreatedAt, g.UpdatedAt = g.CreatedAt.UTC(), g.UpdatedAt.UTC()
	g.Answers = map[string]string{}
	if err := json.Unmarshal([]byte(answers), &g.Answers); err != nil {
		return Gap{}, fmt.Errorf("gap %d: answers: %w", g.ID, err)
	}
	g.UnitIDs = []int64{}
	return g, nil
}

func answersJSON(a map[string]string) string {
	if a == nil {
		a = map[string]string{}
	}
	b, _ := json.Marshal(a)
	return string(b)
}

// pairs reads a link table's (owner, linked) id pairs as the linked ids by
// owner, in the query's order.
func pairs(ctx context.Context, q db.Querier, query string, args ...any) (map[int64][]int64, error) {
	type link struct{ owner, linked int64 }
	links, err := db.All(ctx, q, func(s db.Scanner) (link, error) {
		var l link
		return l, s.Scan(&l.owner, &l.linked)
	}, query, args...)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]int64)
	for _, l := range links {
		out[l.owner] = append(out[l.owner], l.linked)
	}
	return out, nil
}

// listGaps lists an implementation's gap analyses with their units.
func listGaps(ctx context.Context, q db.Querier, implementationID int64) ([]Gap, error) {
	gs, err := db.All(ctx, q, scanGap, `SELECT `+gapColumns+` FROM gap_analyses WHERE implementation_id = ? ORDER BY id`, implementationID)
	if err != nil {
		return nil, fmt.Errorf("list gaps: %w", err)
	}
	links, err := pairs(ctx, q, `SELECT gu.gap_id, gu.unit_id FROM gap_units gu JOIN gap_analyses g ON g.id = gu.gap_id
		WHERE g.implementation_id = ? ORDER BY gu.gap_id, gu.unit_id`, implementationID)
	if err != nil {
		return nil, fmt.Errorf("gap units: %w", err)
	}
	for i := range gs {
		gs[i].UnitIDs = append(gs[i].UnitIDs, links[gs[i].ID]...)
	}
	return gs, nil
}

// findGapOf reads the gap analysis of a recommendation.
func findGapOf(ctx context.Context, q db.Querier, recommendationID int64) (Gap, error) {
	g, err := db.One(ctx, q, scanGap, `SELECT `+gapColumns+` FROM gap_analyses WHERE recommendation_id = ?`, recommendationID)
	if err != nil {
		return Gap{}, fmt.Errorf("gap of recommendation %d: %w", recommendationID, err)
	}
	g.UnitIDs, err = db.All(ctx, q, db.ScanID, `SELECT unit_id FROM gap_units WHERE gap_id = ? ORDER BY unit_id`, g.ID)
	if g.UnitIDs == nil {
		g.UnitIDs = []int64{}
	}
	return g, err
}

func insertGap(ctx context.Context, q db.Querier, g Gap, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO gap_analyses (implementation_id, recommendation_id, template_id, gap, crowding_out,
		answers, updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		g.ImplementationID, g.RecommendationID, g.TemplateID, string(g.Size), g.CrowdingOut, answersJSON(g.Answers), g.UpdatedBy, now, now)
}

func updateGap(ctx context.Context, q db.Querier, g Gap, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "gap_analyses", g.ID, `UPDATE gap_analyses SET gap = ?, crowding_out = ?, answers = ?,
		updated_by = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		string(g.Size), g.CrowdingOut, answersJSON(g.Answers), g.UpdatedBy, now, g.ID, g.Version)
}

func replaceGapUnits(ctx context.Context, q db.Querier, gapID int64, units []int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM gap_units WHERE gap_id = ?`, gapID); err != nil {
		return fmt.Errorf("clear gap units: %w", err)
	}
	for _, u := range units {
		if _, err := q.ExecContext(ctx, `INSERT INTO gap_units (gap_id, unit_id) VALUES (?, ?)`, gapID, u); err != nil {
			return fmt.Errorf("add gap unit %d: %w", u, db.MapError(err))
		}
	}
	return nil
}

// recommendationSupport is the support a recommendation belongs to.
func recommendationSupport(ctx context.Context, q db.Querier, recommendationID int64) (int64, error) {
	var id int64
	if err := q.QueryRowContext(ctx, `SELECT support_id FROM recommendations WHERE id = ?`, recommendationID).Scan(&id); err != nil {
		return 0, fmt.Errorf("support of recommendation %d: %w", recommendationID, db.MapError(err))
	}
	return id, nil
}

// Checklist.

const itemColumns = `id, implementation_id, item_key, label, required, state, note, case_id, waive_reason, decided_by, decided_on,
	position, updated_at, version`

func scanItem(s db.Scanner) (ChecklistItem, error) {
	var it ChecklistItem
	var state string
	var caseID sql.NullInt64
	err := s.Scan(&it.ID, &it.ImplementationID, &it.Key, &it.Label, &it.Required, &state, &it.Note, &caseID, &it.WaiveReason,
		&it.DecidedBy, &it.DecidedOn, &it.Position, &it.UpdatedAt, &it.Version)
	it.State, it.CaseID, it.UpdatedAt = ItemState(state), caseID.Int64, it.UpdatedAt.UTC()
	return it, err
}

func listItems(ctx context.Context, q db.Querier, implementationID int64) ([]ChecklistItem, error) {
	its, err := db.All(ctx, q, scanItem, `SELECT `+itemColumns+` FROM checklist_items WHERE implementation_id = ? ORDER BY position, id`, implementationID)
	if err != nil {
		return nil, fmt.Errorf("list checklist: %w", err)
	}
	return its, nil
}

func insertItem(ctx context.Context, q db.Querier, it ChecklistItem, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO checklist_items (implementation_id, item_key, label, required, state, position,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		it.ImplementationID, it.Key, it.Label, it.Required, string(ItemOpen), it.Position, now, now)
}

const modelColumns = `id, item_key, label, required, municipal_only, position, updated_at, version`

func scanModelItem(s db.Scanner) (ModelItem, error) {
	var m ModelItem
	err := s.Scan(&m.ID, &m.Key, &m.Label, &m.Required, &m.MunicipalOnly, &m.Position, &m.UpdatedAt, &m.Version)
	m.UpdatedAt = m.UpdatedAt.UTC()
	return m, err
}

func listModel(ctx context.Context, q db.Querier) ([]ModelItem, error) {
	ms, err := db.All(ctx, q, scanModelItem, `SELECT `+modelColumns+` FROM checklist_model ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("checklist model: %w", err)
	}
	return ms, nil
}

func insertModelItem(ctx context.Context, q db.Querier, m ModelItem, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO checklist_model (item_key, label, required, municipal_only, position, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.Key, m.Label, m.Required, m.MunicipalOnly, m.Position, now, now)
}

// Actions (read side used by the whole package; the plan's writes are in
// store_plan.go).

const actionColumns = `id, implementation_id, title, description, responsible_id, start_on, due_on, status, effort_hours,
	milestone, done_on, position, created_at, updated_at, version`

func scanAction(s db.Scanner) (Action, error) {
	var a Action
	var status string
	var resp sql.NullInt64
	err := s.Scan(&a.ID, &a.ImplementationID, &a.Title, &a.Description, &resp, &a.Start, &a.Due, &status, &a.EffortHours,
		&a.Milestone, &a.DoneOn, &a.Position, &a.CreatedAt, &a.UpdatedAt, &a.Version)
	a.Status, a.ResponsibleID = ActionStatus(status), resp.Int64
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	a.GapIDs = []int64{}
	return a, err
}

// listActions lists an implementation's actions with the gaps they close.
func listActions(ctx context.Context, q db.Querier, implementationID int64) ([]Action, error) {
	as, err := db.All(ctx, q, scanAction, `SELECT `+actionColumns+` FROM actions WHERE implementation_id = ? ORDER BY position, id`, implementationID)
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	links, err := pairs(ctx, q, `SELECT ag.action_id, ag.gap_id FROM action_gaps ag JOIN actions a ON a.id = ag.action_id
		WHERE a.implementation_id = ? ORDER BY ag.action_id, ag.gap_id`, implementationID)
	if err != nil {
		return nil, fmt.Errorf("action gaps: %w", err)
	}
	for i := range as {
		as[i].GapIDs = append(as[i].GapIDs, links[as[i].ID]...)
	}
	return as, nil
}

// Communications (read side).

const communicationColumns = `id, implementation_id, target_group, message, channel, planned_on, responsible_id, done_on,
	created_at, updated_at, version`

func scanCommunication(s db.Scanner) (Communication, error) {
	var c Communication
	var channel string
	var resp sql.NullInt64
	err := s.Scan(&c.ID, &c.ImplementationID, &c.TargetGroup, &c.Message, &channel, &c.PlannedOn, &resp, &c.DoneOn,
		&c.CreatedAt, &c.UpdatedAt, &c.Version)
	c.Channel, c.ResponsibleID = Channel(channel), resp.Int64
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, err
}

func listCommunications(ctx context.Context, q db.Querier, implementationID int64) ([]Communication, error) {
	cs, err := db.All(ctx, q, scanCommunication, `SELECT `+communicationColumns+` FROM communications
		WHERE implementation_id = ? ORDER BY planned_on, id`, implementationID)
	if err != nil {
		return nil, fmt.Errorf("list communications: %w", err)
	}
	return cs, nil
}

// Names for pages and reports.

// personNames returns the names of people by id.
func personNames(ctx context.Context, q db.Querier, ids []int64) (map[int64]string, error) {
	return namesOf(ctx, q, "people", ids)
}

// unitNames returns the names of units by id.
func unitNames(ctx context.Context, q db.Querier, ids []int64) (map[int64]string, error) {
	return namesOf(ctx, q, "units", ids)
}

// municipalityNames returns the names of municipalities by code, in one
// query.
func municipalityNames(ctx context.Context, q db.Querier, codes []string) (map[string]string, error) {
	out := make(map[string]string, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	type row struct{ code, name string }
	rows, err := db.All(ctx, q, func(s db.Scanner) (row, error) {
		var r row
		return r, s.Scan(&r.code, &r.name)
	}, `SELECT code, name FROM municipalities WHERE code IN (?`+strings.Repeat(", ?", len(codes)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("municipality names: %w", err)
	}
	for _, r := range rows {
		out[r.code] = r.name
	}
	return out, nil
}

func namesOf(ctx context.Context, q db.Querier, table string, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := ids[:n]
		ids = ids[n:]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		type row struct {
			id   int64
			name string
		}
		rows, err := db.All(ctx, q, func(s db.Scanner) (row, error) {
			var r row
			return r, s.Scan(&r.id, &r.name)
		}, `SELECT id, name FROM `+table+` WHERE id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("names of %s: %w", table, err)
		}
		for _, r := range rows {
			out[r.id] = r.name
		}
	}
	return out, nil
}

// closeOpenParts closes an implementation's questionnaires still taking
// answers and its comment rounds still taking comments, on day on: for the
// moment it is introduced and locked. It returns the ids it closed.
func closeOpenParts(ctx context.Context, q db.Querier, implementationID int64, on date.Date, now time.Time) (surveys, rounds []int64, err error) {
	if surveys, err = db.All(ctx, q, db.ScanID, `SELECT id FROM unit_surveys WHERE implementation_id = ? AND status = ? ORDER BY id`,
		implementationID, string(SurveySent)); err != nil {
		return nil, nil, fmt.Errorf("open questionnaires: %w", err)
	}
	if _, err = q.ExecContext(ctx, `UPDATE unit_surveys SET status = ?, closed_on = ?, updated_at = ?, version = version + 1
		WHERE implementation_id = ? AND status = ?`, string(SurveyClosed), on, now, implementationID, string(SurveySent)); err != nil {
		return nil, nil, fmt.Errorf("close questionnaires: %w", err)
	}
	if rounds, err = db.All(ctx, q, db.ScanID, `SELECT id FROM comment_rounds WHERE implementation_id = ? AND closed_on IS NULL ORDER BY id`,
		implementationID); err != nil {
		return nil, nil, fmt.Errorf("open comment rounds: %w", err)
	}
	if _, err = q.ExecContext(ctx, `UPDATE comment_rounds SET closed_on = ?, updated_at = ?, version = version + 1
		WHERE implementation_id = ? AND closed_on IS NULL`, on, now, implementationID); err != nil {
		return nil, nil, fmt.Errorf("close comment rounds: %w", err)
	}
	return surveys, rounds, nil
}

// workingOn lists the implementations whose working group the user's
// person is in (improvement lead, member or sponsor), by support title.
func workingOn(ctx context.Context, q db.Querier, userID int64) ([]WorkingOn, error) {
	out, err := db.All(ctx, q, func(s db.Scanner) (WorkingOn, error) {
		var w WorkingOn
		return w, s.Scan(&w.ImplementationID, &w.Support)
	}, `SELECT i.id, s.title FROM implementations i
		JOIN supports s ON s.id = i.support_id
		JOIN people p ON p.user_id = ?
		WHERE i.sponsor_id = p.id
		   OR EXISTS (SELECT 1 FROM support_leads l WHERE l.support_id = i.support_id AND l.person_id = p.id)
		   OR EXISTS (SELECT 1 FROM implementation_members m WHERE m.implementation_id = i.id AND m.person_id = p.id)
		ORDER BY s.title, i.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("implementations of user %d: %w", userID, err)
	}
	if out == nil {
		out = []WorkingOn{}
	}
	return out, nil
}
