package forum

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// Forums.

const forumColumns = `f.id, f.group_id, g.name, g.kind, f.description, f.active, f.version`

const forumFrom = ` FROM forums f JOIN org_groups g ON g.id = f.group_id`

func scanForum(s db.Scanner) (Forum, error) {
	var f Forum
	return f, s.Scan(&f.ID, &f.GroupID, &f.Name, &f.GroupKind, &f.Description, &f.Active, &f.Version)
}

// findForum returns forum id, or errs.ErrNotFound.
func findForum(ctx context.Context, q db.Querier, id int64) (Forum, error) {
	f, err := db.One(ctx, q, scanForum, `SELECT `+forumColumns+forumFrom+` WHERE f.id = ?`, id)
	if err != nil {
		return Forum{}, fmt.Errorf("find forum %d: %w", id, err)
	}
	return f, nil
}

func listForums(ctx context.Context, q db.Querier, f ForumFilter) ([]Forum, error) {
	var where []string
	var args []any
	if !f.IncludeInactive {
		where, args = append(where, "f.active = ?"), append(args, true)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		where = append(where, `(LOWER(g.name) LIKE ? ESCAPE '\' OR LOWER(f.description) LIKE ? ESCAPE '\')`)
		args = append(args, db.Like(s), db.Like(s))
	}
	query := `SELECT ` + forumColumns + forumFrom
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	forums, err := db.All(ctx, q, scanForum, query+` ORDER BY g.name, f.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list forums: %w", err)
	}
	return forums, nil
}

func insertForum(ctx context.Context, q db.Querier, f Forum, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO forums (group_id, description, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`,
		f.GroupID, f.Description, f.Active, now, now)
}

func updateForum(ctx context.Context, q db.Querier, f Forum, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "forums", f.ID, `
		UPDATE forums SET description = ?, active = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		f.Description, f.Active, now, f.ID, f.Version)
}

// listForumCandidates lists the groups of the registry that are not yet a
// forum, by name.
func listForumCandidates(ctx context.Context, q db.Querier) ([]ForumGroup, error) {
	return db.All(ctx, q, func(s db.Scanner) (ForumGroup, error) {
		var g ForumGroup
		return g, s.Scan(&g.ID, &g.Name, &g.Kind)
	}, `SELECT g.id, g.name, g.kind FROM org_groups g
		WHERE NOT EXISTS (SELECT 1 FROM forums f WHERE f.group_id = g.id)
		ORDER BY g.name, g.id`)
}

// listForumMembers lists the memberships of the forum's group that run on
// day on, by role and name.
func listForumMembers(ctx context.Context, q db.Querier, forumID int64, on date.Date) ([]ForumMember, error) {
	return db.All(ctx, q, func(s db.Scanner) (ForumMember, error) {
		var m ForumMember
		var end date.Date
		err := s.Scan(&m.PersonID, &m.Name, &m.Title, &m.Role, &m.Start, &end)
		m.End = end
		return m, err
	}, `SELECT p.id, p.name, p.title, m.role, m.start_date, m.end_date
		FROM forums f
		JOIN memberships m ON m.group_id = f.group_id
		JOIN people p ON p.id = m.person_id
		WHERE f.id = ? AND m.start_date <= ? AND (m.end_date IS NULL OR m.end_date >= ?)
		ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'process_leader' THEN 1 WHEN 'secretary' THEN 2
			WHEN 'member' THEN 3 WHEN 'deputy' THEN 4 ELSE 5 END, p.name, p.id`,
		forumID, on, on)
}

// Mandates.

const mandateColumns = `id, forum_id, subject, case_kind, power, scope, notes, version`

func scanMandate(s db.Scanner) (Mandate, error) {
	var m Mandate
	return m, s.Scan(&m.ID, &m.ForumID, &m.Subject, &m.CaseKind, &m.Power, &m.Scope, &m.Notes, &m.Version)
}

func findMandate(ctx context.Context, q db.Querier, id int64) (Mandate, error) {
	m, err := db.One(ctx, q, scanMandate, `SELECT `+mandateColumns+` FROM forum_mandates WHERE id = ?`, id)
	if err != nil {
		return Mandate{}, fmt.Errorf("find mandate %d: %w", id, err)
	}
	return m, nil
}

func listMandates(ctx context.Context, q db.Querier, forumID int64) ([]Mandate, error) {
	ms, err := db.All(ctx, q, scanMandate, `SELECT `+mandateColumns+` FROM forum_mandates WHERE forum_id = ?
		ORDER BY CASE power WHEN 'decide' THEN 0 ELSE 1 END, subject, id`, forumID)
	if err != nil {
		return nil, fmt.Errorf("list mandates of forum %d: %w", forumID, err)
	}
	return ms, nil
}

func insertMandate(ctx context.Context, q db.Querier, m Mandate, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO forum_mandates (forum_id, subject, case_kind, power, scope, notes, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.ForumID, m.Subject, m.CaseKind, m.Power, m.Scope, m.Notes, now, now)
}

func updateMandate(ctx context.Context, q db.Querier, m Mandate, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "forum_mandates", m.ID, `
		UPDATE forum_mandates SET subject = ?, case_kind = ?, power = ?, scope = ?, notes = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		m.Subject, m.CaseKind, m.Power, m.Scope, m.Notes, now, m.ID, m.Version)
}
