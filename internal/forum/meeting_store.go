package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// Meetings.

const meetingColumns = `m.id, m.forum_id, g.name, m.title, m.starts_at, m.ends_at, m.place, m.link, m.status,
	m.adjusters, m.approved_at, m.approved_by, m.version`

const meetingFrom = ` FROM meetings m JOIN forums f ON f.id = m.forum_id JOIN org_groups g ON g.id = f.group_id`

func scanMeeting(s db.Scanner) (Meeting, error) {
	var m Meeting
	var approved sql.NullTime
	err := s.Scan(&m.ID, &m.ForumID, &m.ForumName, &m.Title, &m.StartsAt, &m.EndsAt, &m.Place, &m.Link, &m.Status,
		&m.Adjusters, &approved, &m.ApprovedBy, &m.Version)
	m.StartsAt, m.EndsAt = m.StartsAt.UTC(), m.EndsAt.UTC()
	if approved.Valid {
		m.ApprovedAt = approved.Time.UTC()
	}
	return m, err
}

// findMeeting returns meeting id, or errs.ErrNotFound.
func findMeeting(ctx context.Context, q db.Querier, id int64) (Meeting, error) {
	m, err := db.One(ctx, q, scanMeeting, `SELECT `+meetingColumns+meetingFrom+` WHERE m.id = ?`, id)
	if err != nil {
		return Meeting{}, fmt.Errorf("find meeting %d: %w", id, err)
	}
	return m, nil
}

// yearBounds is the first instant of year y and of the year after, in Sweden.
func yearBounds(y int) (time.Time, time.Time) {
	loc := i18n.Stockholm()
	return time.Date(y, 1, 1, 0, 0, 0, 0, loc).UTC(), time.Date(y+1, 1, 1, 0, 0, 0, 0, loc).UTC()
}

func listMeetings(ctx context.Context, q db.Querier, f MeetingFilter) ([]Meeting, error) {
	var where []string
	var args []any
	if f.ForumID != 0 {
		where, args = append(where, "m.forum_id = ?"), append(args, f.ForumID)
	}
	if f.Year != 0 {
		from, to := yearBounds(f.Year)
		where, args = append(where, "m.starts_at >= ? AND m.starts_at < ?"), append(args, from, to)
	}
	if f.Status != "" {
		where, args = append(where, "m.status = ?"), append(args, f.Status)
	}
	if !f.After.IsZero() {
		where, args = append(where, "m.starts_at >= ?"), append(args, f.After.UTC())
	}
	if !f.Before.IsZero() {
		where, args = append(where, "m.starts_at < ?"), append(args, f.Before.UTC())
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		p := db.Like(s)
		where = append(where, `(LOWER(m.title) LIKE ? ESCAPE '\' OR LOWER(g.name) LIKE ? ESCAPE '\' OR LOWER(m.place) LIKE ? ESCAPE '\'
			OR EXISTS (SELECT 1 FROM agenda_items a WHERE a.meeting_id = m.id
				AND (LOWER(a.title) LIKE ? ESCAPE '\' OR LOWER(a.minutes) LIKE ? ESCAPE '\')))`)
		args = append(args, p, p, p, p, p)
	}
	query := `SELECT ` + meetingColumns + meetingFrom
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	order := ` ORDER BY m.starts_at DESC, m.id DESC`
	if f.Ascending {
		order = ` ORDER BY m.starts_at, m.id`
	}
	query += order
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	ms, err := db.All(ctx, q, scanMeeting, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list meetings: %w", err)
	}
	return ms, nil
}

// listMeetingYears lists the years in which meetings start, newest first,
// from the first meeting's year to the last's.
func listMeetingYears(ctx context.Context, q db.Querier) ([]int, error) {
	var first, last time.Time
	err := q.QueryRowContext(ctx, `SELECT starts_at FROM meetings ORDER BY starts_at LIMIT 1`).Scan(&first)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("first meeting: %w", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT starts_at FROM meetings ORDER BY starts_at DESC LIMIT 1`).Scan(&last); err != nil {
		return nil, fmt.Errorf("last meeting: %w", err)
	}
	var years []int
	for y := last.In(i18n.Stockholm()).Year(); y >= first.In(i18n.Stockholm()).Year(); y-- {
		years = append(years, y)
	}
	return years, nil
}

func insertMeeting(ctx context.Context, q db.Querier, m Meeting, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO meetings (forum_id, title, starts_at, ends_at, place, link, status, adjusters, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.ForumID, m.Title, m.StartsAt.UTC(), m.EndsAt.UTC(), m.Place, m.Link, m.Status, m.Adjusters, now, now)
}

func updateMeeting(ctx context.Context, q db.Querier, m Meeting, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "meetings", m.ID, `
		UPDATE meetings SET title = ?, starts_at = ?, ends_at = ?, place = ?, link = ?, status = ?, adjusters = ?,
			updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		m.Title, m.StartsAt.UTC(), m.EndsAt.UTC(), m.Place, m.Link, m.Status, m.Adjusters, now, m.ID, m.Version)
}

// touchMeeting bumps the meeting's version, for changes to its attendance
// that must not cross a concurrent change.
func touchMeeting(ctx context.Context, q db.Querier, id, version int64, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "meetings", id, `
		UPDATE meetings SET updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`, now, id, version)
}

func approveMeeting(ctx context.Context, q db.Querier, id, version int64, by string, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "meetings", id, `
		UPDATE meetings SET approved_at = ?, approved_by = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ? AND approved_at IS NULL`, now, by, now, id, version)
}

// Agenda items.

const agendaColumns = `id, meeting_id, position, title, description, presenter, case_id, minutes, version`

func scanAgendaItem(s db.Scanner) (AgendaItem, error) {
	var a AgendaItem
	var caseID sql.NullInt64
	err := s.Scan(&a.ID, &a.MeetingID, &a.Position, &a.Title, &a.Description, &a.Presenter, &caseID, &a.Minutes, &a.Version)
	a.CaseID = caseID.Int64
	return a, err
}

func findAgendaItem(ctx context.Context, q db.Querier, id int64) (AgendaItem, error) {
	a, err := db.One(ctx, q, scanAgendaItem, `SELECT `+agendaColumns+` FROM agenda_items WHERE id = ?`, id)
	if err != nil {
		return AgendaItem{}, fmt.Errorf("find agenda item %d: %w", id, err)
	}
	return a, nil
}

func listAgendaItems(ctx context.Context, q db.Querier, meetingID int64) ([]AgendaItem, error) {
	items, err := db.All(ctx, q, scanAgendaItem, `SELECT `+agendaColumns+` FROM agenda_items WHERE meeting_id = ? ORDER BY position, id`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("list agenda of meeting %d: %w", meetingID, err)
	}
	return items, nil
}

func nextAgendaPosition(ctx context.Context, q db.Querier, meetingID int64) (int, error) {
	var n sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MAX(position) FROM agenda_items WHERE meeting_id = ?`, meetingID).Scan(&n); err != nil {
		return 0, fmt.Errorf("next agenda position: %w", err)
	}
	return int(n.Int64) + 1, nil
}

func insertAgendaItem(ctx context.Context, q db.Querier, a AgendaItem, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO agenda_items (meeting_id, position, title, description, presenter, case_id, minutes, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.MeetingID, a.Position, a.Title, a.Description, a.Presenter, db.NullID(a.CaseID), a.Minutes, now, now)
}

func updateAgendaItem(ctx context.Context, q db.Querier, a AgendaItem, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "agenda_items", a.ID, `
		UPDATE agenda_items SET position = ?, title = ?, description = ?, presenter = ?, case_id = ?, minutes = ?,
			updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		a.Position, a.Title, a.Description, a.Presenter, db.NullID(a.CaseID), a.Minutes, now, a.ID, a.Version)
}

// Attendance.

func listAttendance(ctx context.Context, q db.Querier, meetingID int64) ([]Attendance, error) {
	rows, err := db.All(ctx, q, func(s db.Scanner) (Attendance, error) {
		var a Attendance
		return a, s.Scan(&a.MeetingID, &a.PersonID, &a.PersonName, &a.Status, &a.Note)
	}, `SELECT a.meeting_id, a.person_id, p.name, a.status, a.note
		FROM meeting_attendance a JOIN people p ON p.id = a.person_id
		WHERE a.meeting_id = ? ORDER BY p.name, p.id`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("list attendance of meeting %d: %w", meetingID, err)
	}
	return rows, nil
}

func replaceAttendance(ctx context.Context, q db.Querier, meetingID int64, rows []Attendance) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM meeting_attendance WHERE meeting_id = ?`, meetingID); err != nil {
		return fmt.Errorf("clear attendance: %w", err)
	}
	for _, a := range rows {
		if _, err := q.ExecContext(ctx, `INSERT INTO meeting_attendance (meeting_id, person_id, status, note) VALUES (?, ?, ?, ?)`,
			meetingID, a.PersonID, a.Status, a.Note); err != nil {
			return fmt.Errorf("attendance of person %d: %w", a.PersonID, db.MapError(err))
		}
	}
	return nil
}

// AgendaCase is a case an agenda item can handle, for choosing it.
type AgendaCase struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
	Title  string `json:"title"`
}

// listAgendaCases lists the cases that are not closed, and the case with
// id also (the one an item already handles), newest first.
func listAgendaCases(ctx context.Context, q db.Querier, id int64) ([]AgendaCase, error) {
	return db.All(ctx, q, func(s db.Scanner) (AgendaCase, error) {
		var c AgendaCase
		return c, s.Scan(&c.ID, &c.Number, &c.Title)
	}, `SELECT id, number, title FROM cases WHERE status <> 'closed' OR id = ? ORDER BY registered_on DESC, id DESC`, id)
}

// homeRegionName is the name of the region the installation serves.
func homeRegionName(ctx context.Context, q db.Querier) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT r.name FROM org_settings s JOIN regions r ON r.code = s.home_region WHERE s.id = 1`).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("home region: %w", err)
	}
	return name, nil
}

// countMeetingReferences counts the decisions that refer to a meeting (as
// theirs, through one of its agenda items or by a basis document of it) and
// the case steps (anchorings, decisions) that name it.
func countMeetingReferences(ctx context.Context, q db.Querier, id int64) (decisions, steps int, err error) {
	err = q.QueryRowContext(ctx, `
		SELECT
			(SELECT COUNT(*) FROM decisions d
				WHERE d.meeting_id = ?
					OR d.agenda_item_id IN (SELECT a.id FROM agenda_items a WHERE a.meeting_id = ?)
					OR d.id IN (SELECT b.decision_id FROM decision_basis b
						JOIN forum_documents fd ON fd.id = b.document_id WHERE fd.meeting_id = ?)),
			(SELECT COUNT(*) FROM case_steps s WHERE s.meeting_id = ?)`,
		id, id, id, id).Scan(&decisions, &steps)
	if err != nil {
		return 0, 0, fmt.Errorf("references to meeting %d: %w", id, err)
	}
	return decisions, steps, nil
}
