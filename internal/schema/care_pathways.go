package schema

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// carePathways loads the nationally published personcentrerade och
// sammanhållna vårdförlopp from reference/vardforlopp.csv into the catalog
// (migration 10): each is a care_pathway support owned nationally by its NPO,
// watched and marked as reference data.
//
// The CSV gives only the year a pathway was published (blank when not known);
// it is stored as 1 January of that year, since published_on is a date column
// shared with supports whose exact date is known. A blank year stays NULL.
func carePathways(d db.Dialect) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		rows, err := readCSV("vardforlopp.csv")
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		for _, r := range rows {
			var npo int64
			if err := tx.QueryRowContext(ctx, db.Rebind(d, `SELECT id FROM org_groups WHERE kind = 'npo' AND code = ?`), r["npo_code"]).Scan(&npo); err != nil {
				return fmt.Errorf("care pathway %s: NPO %q: %w", r["code"], r["npo_code"], err)
			}
			var published any
			if y := r["published"]; y != "" {
				year, err := strconv.Atoi(y)
				if err != nil || year < 1990 || year > 2100 {
					return fmt.Errorf("care pathway %s: published year %q", r["code"], y)
				}
				published = fmt.Sprintf("%04d-01-01", year)
			}
			if _, err := tx.ExecContext(ctx, db.Rebind(d, `
				INSERT INTO supports (kind, code, title, national_owner_id, publisher, published_on, status, reference, created_at, updated_at)
				VALUES ('care_pathway', ?, ?, ?, 'Nationellt system för kunskapsstyrning', ?, 'watched', ?, ?, ?)`),
				r["code"], r["name_sv"], npo, published, true, now, now); err != nil {
				return fmt.Errorf("care pathway %s: %w", r["code"], err)
			}
		}
		return nil
	}
}
