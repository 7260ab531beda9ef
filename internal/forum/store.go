package forum

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// like makes a case-insensitive LIKE pattern that matches s anywhere; use it
// with "LOWER(column) LIKE ? ESCAPE '\'".
func like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(strings.TrimSpace(s))) + "%"
}

// exists reports whether query returns a row.
func exists(ctx context.Context, q db.Querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("exists: %w", err)
	}
	return true, nil
}

// isSecretary reports whether user holds a current secretary membership in
// the group of forum on day today.
func isSecretary(ctx context.Context, q db.Querier, userID, forumID int64, today date.Date) (bool, error) {
	return exists(ctx, q, `SELECT 1 FROM forums f
		JOIN memberships m ON m.group_id = f.group_id
		JOIN people p ON p.id = m.person_id
		WHERE f.id = ? AND p.user_id = ? AND m.role = 'secretary'
		  AND m.start_date <= ? AND (m.end_date IS NULL OR m.end_date >= ?)`,
		forumID, userID, today, today)
}

// contactMunicipalities lists the municipalities a user answers for.
func contactMunicipalities(ctx context.Context, q db.Querier, userID int64) ([]string, error) {
	return db.All(ctx, q, func(s db.Scanner) (string, error) {
		var code string
		return code, s.Scan(&code)
	}, `SELECT municipality FROM municipality_contacts WHERE user_id = ? ORDER BY municipality`, userID)
}
