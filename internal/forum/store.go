package forum

import (
	"context"
	"fmt"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// isSecretary reports whether user holds a current secretary membership in
// the group of forum on day today.
func isSecretary(ctx context.Context, q db.Querier, userID, forumID int64, today date.Date) (bool, error) {
	return db.Exists(ctx, q, `SELECT 1 FROM forums f
		JOIN memberships m ON m.group_id = f.group_id
		JOIN people p ON p.id = m.person_id
		WHERE f.id = ? AND p.user_id = ? AND m.role = 'secretary'
		  AND m.start_date <= ? AND (m.end_date IS NULL OR m.end_date >= ?)`,
		forumID, userID, today, today)
}

// ContactMunicipalitiesIn lists through q the codes of the municipalities a
// user answers for (is a municipality contact of): for a feature that
// reaches the municipalities' contacts, such as a comment round.
func ContactMunicipalitiesIn(ctx context.Context, q db.Querier, userID int64) ([]string, error) {
	return contactMunicipalities(ctx, q, userID)
}

// contactMunicipalities lists the municipalities a user answers for.
func contactMunicipalities(ctx context.Context, q db.Querier, userID int64) ([]string, error) {
	return municipalityCodes(ctx, q, `SELECT municipality FROM municipality_contacts WHERE user_id = ? ORDER BY municipality`, userID)
}

// municipalityCodes lists the municipality codes that query selects.
func municipalityCodes(ctx context.Context, q db.Querier, query string, args ...any) ([]string, error) {
	codes, err := db.All(ctx, q, scanCode, query, args...)
	if err != nil {
		return nil, fmt.Errorf("municipality codes: %w", err)
	}
	return codes, nil
}
