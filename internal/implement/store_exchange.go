package implement

import (
	"context"
	"fmt"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// Comparisons (imported exchange files).

const comparisonColumns = `id, implementation_id, source_region, schema_version, payload, sha256, imported_by, imported_at`

func scanComparison(s db.Scanner) (StoredComparison, error) {
	var c StoredComparison
	err := s.Scan(&c.ID, &c.ImplementationID, &c.SourceRegion, &c.SchemaVersion, &c.Payload, &c.SHA256, &c.ImportedBy, &c.ImportedAt)
	c.ImportedAt = c.ImportedAt.UTC()
	return c, err
}

func listComparisons(ctx context.Context, q db.Querier, implementationID int64) ([]StoredComparison, error) {
	cs, err := db.All(ctx, q, scanComparison, `SELECT `+comparisonColumns+` FROM gap_comparisons
		WHERE implementation_id = ? ORDER BY imported_at DESC, id DESC`, implementationID)
	if err != nil {
		return nil, fmt.Errorf("list comparisons of implementation %d: %w", implementationID, err)
	}
	return cs, nil
}

func findComparison(ctx context.Context, q db.Querier, implementationID, id int64) (StoredComparison, error) {
	c, err := db.One(ctx, q, scanComparison, `SELECT `+comparisonColumns+` FROM gap_comparisons
		WHERE id = ? AND implementation_id = ?`, id, implementationID)
	if err != nil {
		return StoredComparison{}, fmt.Errorf("find comparison %d of implementation %d: %w", id, implementationID, err)
	}
	return c, nil
}

// findComparisonBySHA returns the implementation's comparison imported
// from a file with hash sum, if any.
func findComparisonBySHA(ctx context.Context, q db.Querier, implementationID int64, sum string) (StoredComparison, error) {
	return db.One(ctx, q, scanComparison, `SELECT `+comparisonColumns+` FROM gap_comparisons
		WHERE implementation_id = ? AND sha256 = ? ORDER BY id LIMIT 1`, implementationID, sum)
}

func insertComparison(ctx context.Context, q db.Querier, c StoredComparison, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO gap_comparisons (implementation_id, source_region, schema_version, payload, sha256,
		imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.ImplementationID, c.SourceRegion, c.SchemaVersion, c.Payload, c.SHA256, c.ImportedBy, now)
}

func deleteComparison(ctx context.Context, q db.Querier, implementationID, id int64) error {
	res, err := q.ExecContext(ctx, `DELETE FROM gap_comparisons WHERE id = ? AND implementation_id = ?`, id, implementationID)
	if err != nil {
		return fmt.Errorf("delete comparison %d: %w", id, db.MapError(err))
	}
	return db.Affected(res)
}

// homeRegion is the name of the home region and the code of its
// sjukvårdsregion, as the organisation's settings name them.
func homeRegion(ctx context.Context, q db.Querier) (name, healthcareRegion string, err error) {
	err = q.QueryRowContext(ctx, `SELECT r.name, r.healthcare_region FROM org_settings s JOIN regions r ON r.code = s.home_region
		WHERE s.id = 1`).Scan(&name, &healthcareRegion)
	if err != nil {
		return "", "", fmt.Errorf("home region: %w", db.MapError(err))
	}
	return name, healthcareRegion, nil
}
