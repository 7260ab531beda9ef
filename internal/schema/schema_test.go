package schema_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestReferenceData_LoadedOnEveryInstall checks that migrating an empty
// database loads the national structure from the shipped CSV files.
func TestReferenceData_LoadedOnEveryInstall(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		counts := []struct {
			query string
			want  int
		}{
			{`SELECT COUNT(*) FROM healthcare_regions`, 6},
			{`SELECT COUNT(*) FROM regions`, 21},
			{`SELECT COUNT(*) FROM regions WHERE healthcare_region = 'norra'`, 4},
			{`SELECT COUNT(*) FROM municipalities WHERE region = 'jamtland-harjedalen'`, 8},
			{`SELECT COUNT(*) FROM org_groups WHERE kind = 'npo' AND level = 'national' AND seats = 6`, 25},
			{`SELECT COUNT(*) FROM org_groups WHERE kind = 'nsg'`, 8},
			{`SELECT COUNT(*) FROM org_groups WHERE kind = 'primary_care_council' AND seats = 12`, 1},
			{`SELECT COUNT(*) FROM org_groups WHERE host_region = 'norra'`, 2},
			{`SELECT COUNT(*) FROM org_settings WHERE home_region = 'jamtland-harjedalen'`, 1},
			{`SELECT COUNT(*) FROM supports WHERE kind = 'care_pathway' AND status = 'watched' AND reference = ?`, 15},
			{`SELECT COUNT(*) FROM supports s JOIN org_groups g ON g.id = s.national_owner_id WHERE g.kind = 'npo' AND s.kind = 'care_pathway'`, 15},
			{`SELECT COUNT(*) FROM supports WHERE kind = 'care_pathway' AND published_on IS NULL`, 5},
		}
		for _, c := range counts {
			var n int
			var args []any
			if strings.Contains(c.query, "?") {
				args = append(args, true)
			}
			if err := d.QueryRowContext(ctx, c.query, args...).Scan(&n); err != nil || n != c.want {
				t.Errorf("%s = %d, %v; want %d", c.query, n, err, c.want)
			}
		}
		var owner string
		if err := d.QueryRowContext(ctx, `SELECT g.code FROM supports s JOIN org_groups g ON g.id = s.national_owner_id WHERE s.code = 'stroke-och-tia'`).Scan(&owner); err != nil || owner != "nervsystemets-sjukdomar" {
			t.Errorf("stroke pathway owner: %q %v", owner, err)
		}
		var name string
		if err := d.QueryRowContext(ctx, `SELECT name FROM healthcare_regions WHERE code = 'sydostra'`).Scan(&name); err != nil || name != "Sydöstra" {
			t.Errorf("Sydöstra: %q %v", name, err)
		}
	})
}
