package forum

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// Cases.

const caseColumns = `c.id, c.number, c.title, c.kind, c.description, c.responsible_person_id, COALESCE(p.name, ''),
	c.status, c.registered_on, c.version`

const caseFrom = ` FROM cases c LEFT JOIN people p ON p.id = c.responsible_person_id`

func scanCase(s db.Scanner) (Case, error) {
	var c Case
	var resp sql.NullInt64
	err := s.Scan(&c.ID, &c.Number, &c.Title, &c.Kind, &c.Description, &resp, &c.ResponsibleName, &c.Status, &c.RegisteredOn, &c.Version)
	c.ResponsiblePersonID = resp.Int64
	return c, err
}

func findCase(ctx context.Context, q db.Querier, caseID int64) (Case, error) {
	c, err := db.One(ctx, q, scanCase, `SELECT `+caseColumns+caseFrom+` WHERE c.id = ?`, caseID)
	if err != nil {
		return Case{}, fmt.Errorf("find case %d: %w", caseID, err)
	}
	return c, nil
}

// caseWhere builds the conditions of a case listing.
func caseWhere(f CaseFilter) (string, []any) {
	var where []string
	var args []any
	if s := strings.TrimSpace(f.Query); s != "" {
		where = append(where, `(LOWER(c.title) LIKE ? ESCAPE '\' OR LOWER(c.number) LIKE ? ESCAPE '\')`)
		args = append(args, db.Like(s), db.Like(s))
	}
	if f.Kind != "" {
		where, args = append(where, "c.kind = ?"), append(args, f.Kind)
	}
	if f.Status != "" {
		where, args = append(where, "c.status = ?"), append(args, f.Status)
	}
	if f.ResponsibleID != 0 {
		where, args = append(where, "c.responsible_person_id = ?"), append(args, f.ResponsibleID)
	}
	if f.ForumID != 0 {
		where = append(where, `(EXISTS (SELECT 1 FROM case_steps s WHERE s.case_id = c.id AND s.forum_id = ?)
			OR EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c.id AND d.forum_id = ?))`)
		args = append(args, f.ForumID, f.ForumID)
	}
	if f.AfterID > 0 {
		where, args = append(where, "c.id > ?"), append(args, f.AfterID)
	}
	if len(f.IDs) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(f.IDs)), ", ")
		where = append(where, "c.id IN ("+marks+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

func listCases(ctx context.Context, q db.Querier, f CaseFilter) ([]Case, error) {
	where, args := caseWhere(f)
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + strconv.Itoa(f.Limit)
	}
	order := ` ORDER BY c.registered_on DESC, c.id DESC`
	if f.ByID {
		order = ` ORDER BY c.id`
	}
	cs, err := db.All(ctx, q, scanCase, `SELECT `+caseColumns+caseFrom+where+order+limit, args...)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	return cs, nil
}

// nextCaseNumber is the next free number of a registration year: 2026/0013.
func nextCaseNumber(ctx context.Context, q db.Querier, year int) (string, error) {
	prefix := strconv.Itoa(year) + "/"
	var n int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(CAST(SUBSTR(number, 6) AS INTEGER)), 0) FROM cases WHERE number LIKE ?`, prefix+"%").Scan(&n)
	if err != nil {
		return "", fmt.Errorf("next case number %d: %w", year, err)
	}
	return fmt.Sprintf("%s%04d", prefix, n+1), nil
}

func insertCase(ctx context.Context, q db.Querier, c Case, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO cases (number, title, kind, description, responsible_person_id, status, registered_on, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Number, c.Title, c.Kind, c.Description, db.NullID(c.ResponsiblePersonID), Registered, c.RegisteredOn, now, now)
}

func updateCase(ctx context.Context, q db.Querier, c Case, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "cases", c.ID, `
		UPDATE cases SET title = ?, kind = ?, description = ?, responsible_person_id = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		c.Title, c.Kind, c.Description, db.NullID(c.ResponsiblePersonID), now, c.ID, c.Version)
}

// setCaseStatus moves a case to status; with version > 0 only if nobody
// changed the case since it was read.
func setCaseStatus(ctx context.Context, q db.Querier, caseID, version int64, status Status, now time.Time) error {
	if version > 0 {
		return db.UpdateVersioned(ctx, q, "cases", caseID,
			`UPDATE cases SET status = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`, status, now, caseID, version)
	}
	res, err := q.ExecContext(ctx, `UPDATE cases SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?`, status, now, caseID)
	if err != nil {
		return fmt.Errorf("set case %d status: %w", caseID, err)
	}
	return db.Affected(res)
}

func personExists(ctx context.Context, q db.Querier, personID int64) (bool, error) {
	return db.Exists(ctx, q, `SELECT 1 FROM people WHERE id = ?`, personID)
}

// Steps.

const stepColumns = `s.id, s.case_id, s.kind, s.step_date, s.forum_id, COALESCE(g.name, ''), s.meeting_id, s.outcome, s.comment, s.created_by, s.version`

const stepFrom = ` FROM case_steps s LEFT JOIN forums f ON f.id = s.forum_id LEFT JOIN org_groups g ON g.id = f.group_id`

func scanStep(s db.Scanner) (Step, error) {
	var st Step
	var forum, meeting sql.NullInt64
	err := s.Scan(&st.ID, &st.CaseID, &st.Kind, &st.Date, &forum, &st.ForumName, &meeting, &st.Outcome, &st.Comment, &st.CreatedBy, &st.Version)
	st.ForumID, st.MeetingID = forum.Int64, meeting.Int64
	return st, err
}

func findStep(ctx context.Context, q db.Querier, stepID int64) (Step, error) {
	st, err := db.One(ctx, q, scanStep, `SELECT `+stepColumns+stepFrom+` WHERE s.id = ?`, stepID)
	if err != nil {
		return Step{}, fmt.Errorf("find step %d: %w", stepID, err)
	}
	return st, nil
}

// listSteps lists a case's steps in workflow order: by date, then as entered.
func listSteps(ctx context.Context, q db.Querier, caseID int64) ([]Step, error) {
	steps, err := db.All(ctx, q, scanStep, `SELECT `+stepColumns+stepFrom+` WHERE s.case_id = ? ORDER BY s.step_date, s.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("list steps of case %d: %w", caseID, err)
	}
	return steps, nil
}

// lastStep is the latest step of a case; a case always has its registered step.
func lastStep(ctx context.Context, q db.Querier, caseID int64) (Step, error) {
	st, err := db.One(ctx, q, scanStep, `SELECT `+stepColumns+stepFrom+` WHERE s.case_id = ? ORDER BY s.step_date DESC, s.id DESC LIMIT 1`, caseID)
	if err != nil {
		return Step{}, fmt.Errorf("last step of case %d: %w", caseID, err)
	}
	return st, nil
}

func insertStep(ctx context.Context, q db.Querier, st Step, by string, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO case_steps (case_id, kind, step_date, forum_id, meeting_id, outcome, comment, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		st.CaseID, st.Kind, st.Date, db.NullID(st.ForumID), db.NullID(st.MeetingID), st.Outcome, st.Comment, by, now, now)
}

// Forums and meetings as cases and decisions refer to them.

// forumRef reads a forum with its group's name and kind.
func forumRef(ctx context.Context, q db.Querier, forumID int64) (Forum, error) {
	f, err := db.One(ctx, q, func(s db.Scanner) (Forum, error) {
		var f Forum
		return f, s.Scan(&f.ID, &f.GroupID, &f.Name, &f.GroupKind, &f.Description, &f.Active, &f.Version)
	}, `SELECT f.id, f.group_id, g.name, g.kind, f.description, f.active, f.version
		FROM forums f JOIN org_groups g ON g.id = f.group_id WHERE f.id = ?`, forumID)
	if err != nil {
		return Forum{}, fmt.Errorf("forum %d: %w", forumID, err)
	}
	return f, nil
}

// forumRefs lists every forum with its group's name and kind, by name.
func forumRefs(ctx context.Context, q db.Querier) ([]Forum, error) {
	return db.All(ctx, q, func(s db.Scanner) (Forum, error) {
		var f Forum
		return f, s.Scan(&f.ID, &f.GroupID, &f.Name, &f.GroupKind, &f.Description, &f.Active, &f.Version)
	}, `SELECT f.id, f.group_id, g.name, g.kind, f.description, f.active, f.version
		FROM forums f JOIN org_groups g ON g.id = f.group_id ORDER BY g.name, f.id`)
}

func scanMeetingRef(s db.Scanner) (MeetingRef, error) {
	var m MeetingRef
	var approved sql.NullTime
	err := s.Scan(&m.ID, &m.ForumID, &m.Title, &m.StartsAt, &approved)
	m.StartsAt = m.StartsAt.UTC()
	if approved.Valid {
		m.ApprovedAt = approved.Time.UTC()
	}
	return m, err
}

func meetingRef(ctx context.Context, q db.Querier, meetingID int64) (MeetingRef, error) {
	m, err := db.One(ctx, q, scanMeetingRef, `SELECT id, forum_id, title, starts_at, approved_at FROM meetings WHERE id = ?`, meetingID)
	if err != nil {
		return MeetingRef{}, fmt.Errorf("meeting %d: %w", meetingID, err)
	}
	return m, nil
}

// meetingRefs lists the meetings of a forum (or of every forum for 0), newest
// first, at most limit.
func meetingRefs(ctx context.Context, q db.Querier, forumID int64, limit int) ([]MeetingRef, error) {
	where, args := "", []any{}
	if forumID != 0 {
		where, args = " WHERE forum_id = ?", append(args, forumID)
	}
	return db.All(ctx, q, scanMeetingRef, `SELECT id, forum_id, title, starts_at, approved_at FROM meetings`+where+
		` ORDER BY starts_at DESC, id DESC LIMIT `+strconv.Itoa(limit), args...)
}

// meetingRefsByID reads the meetings with the given ids.
func meetingRefsByID(ctx context.Context, q db.Querier, ids []int64) (map[int64]MeetingRef, error) {
	out := map[int64]MeetingRef{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	ms, err := db.All(ctx, q, scanMeetingRef, `SELECT id, forum_id, title, starts_at, approved_at FROM meetings WHERE id IN (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+`)`, args...)
	for _, m := range ms {
		out[m.ID] = m
	}
	return out, err
}

// Links.

func scanLink(s db.Scanner) (Link, error) {
	var l Link
	return l, s.Scan(&l.ID, &l.CaseID, &l.Entity, &l.EntityID, &l.Label, &l.CreatedAt)
}

func findLink(ctx context.Context, q db.Querier, linkID int64) (Link, error) {
	l, err := db.One(ctx, q, scanLink, `SELECT id, case_id, entity, entity_id, label, created_at FROM case_links WHERE id = ?`, linkID)
	if err != nil {
		return Link{}, fmt.Errorf("find link %d: %w", linkID, err)
	}
	l.CreatedAt = l.CreatedAt.UTC()
	return l, nil
}

func listLinks(ctx context.Context, q db.Querier, caseID int64) ([]Link, error) {
	ls, err := db.All(ctx, q, scanLink, `SELECT id, case_id, entity, entity_id, label, created_at FROM case_links WHERE case_id = ? ORDER BY created_at, id`, caseID)
	for i := range ls {
		ls[i].CreatedAt = ls[i].CreatedAt.UTC()
	}
	return ls, err
}

func insertLink(ctx context.Context, q db.Querier, l Link, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO case_links (case_id, entity, entity_id, label, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		l.CaseID, l.Entity, l.EntityID, l.Label, now)
}

func deleteLink(ctx context.Context, q db.Querier, linkID int64) error {
	res, err := q.ExecContext(ctx, `DELETE FROM case_links WHERE id = ?`, linkID)
	if err != nil {
		return fmt.Errorf("delete link %d: %w", linkID, err)
	}
	return db.Affected(res)
}

// casesLinkedTo lists the cases a record is linked to.
func casesLinkedTo(ctx context.Context, q db.Querier, entity, entityID string) ([]Case, error) {
	return db.All(ctx, q, scanCase, `SELECT `+caseColumns+caseFrom+`
		WHERE c.id IN (SELECT case_id FROM case_links WHERE entity = ? AND entity_id = ?) ORDER BY c.registered_on DESC, c.id DESC`, entity, entityID)
}

// Municipal requests of a case, for its trail.

func listCaseRequests(ctx context.Context, q db.Querier, caseID int64) ([]MunicipalRequest, error) {
	return db.All(ctx, q, scanRequest, `SELECT `+requestColumns+requestFrom+` WHERE r.case_id = ? ORDER BY r.sent_on, m.name, r.id`, caseID)
}

// homeMunicipalities lists the municipalities of the home region, by name.
func homeMunicipalities(ctx context.Context, q db.Querier) ([]MunicipalityRef, error) {
	return db.All(ctx, q, func(s db.Scanner) (MunicipalityRef, error) {
		var m MunicipalityRef
		return m, s.Scan(&m.Code, &m.Name)
	}, `SELECT m.code, m.name FROM municipalities m JOIN org_settings st ON st.home_region = m.region WHERE st.id = 1 ORDER BY m.name`)
}

// personRefs lists the people of the registry by name.
func personRefs(ctx context.Context, q db.Querier) ([]PersonRef, error) {
	return db.All(ctx, q, func(s db.Scanner) (PersonRef, error) {
		var p PersonRef
		return p, s.Scan(&p.ID, &p.Name, &p.Title)
	}, `SELECT id, name, title FROM people ORDER BY name, id`)
}

// listCaseDocuments lists the documents of a case, oldest first.
func listCaseDocuments(ctx context.Context, q db.Querier, caseID int64) ([]Document, error) {
	return listDocuments(ctx, q, DocumentFilter{CaseID: caseID})
}
