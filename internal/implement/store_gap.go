package implement

import (
	"context"
	"fmt"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// healthcareRegionNames returns the names of the sjukvårdsregioner by code.
func healthcareRegionNames(ctx context.Context, q db.Querier) (map[string]string, error) {
	type row struct{ code, name string }
	rows, err := db.All(ctx, q, func(s db.Scanner) (row, error) {
		var r row
		return r, s.Scan(&r.code, &r.name)
	}, `SELECT code, name FROM healthcare_regions ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("healthcare region names: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.code] = r.name
	}
	return out, nil
}

// healthcareRegionExists reports whether code names a sjukvårdsregion.
func healthcareRegionExists(ctx context.Context, q db.Querier, code string) (bool, error) {
	return db.Exists(ctx, q, `SELECT 1 FROM healthcare_regions WHERE code = ?`, code)
}

// hasDraftTemplate reports whether a sjukvårdsregion has a draft version.
func hasDraftTemplate(ctx context.Context, q db.Querier, region string) (bool, error) {
	return db.Exists(ctx, q, `SELECT 1 FROM gap_templates WHERE healthcare_region = ? AND published_on IS NULL`, region)
}
