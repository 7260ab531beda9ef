package schema

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// HomeRegion is the home region of a new installation, whose municipalities
// ship in reference/; an administrator can change it.
const HomeRegion = "jamtland-harjedalen"

// The 2018 cost assumptions: with 30 people at 10 % of full time they give the
// report's "about 5 MSEK a year" (3 FTE × 1.3 MSEK × 1.25 + 30 × 4 000 SEK).
const (
	defaultAnnualCostPerFTE = 1_300_000
	defaultOverheadPercent  = 25
	defaultTravelPerPerson  = 4_000
	defaultKeyRoleLimit     = 3
)

// readCSV reads a shipped reference file: header row, then records.
func readCSV(name string) ([]map[string]string, error) {
	f, err := files.Open("reference/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reference/%s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("reference/%s: no records", name)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = strings.TrimSpace(r[i])
		}
		out = append(out, m)
	}
	return out, nil
}

// slug makes a code from a Swedish name: "Stockholm-Gotland" → "stockholm-gotland",
// "Sydöstra" → "sydostra".
func slug(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, _ := transform.String(t, strings.ToLower(s))
	return strings.ReplaceAll(out, " ", "-")
}

// referenceData loads the national reference structure in migration 3.
func referenceData(d db.Dialect) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		exec := func(q string, args ...any) error {
			_, err := tx.ExecContext(ctx, db.Rebind(d, q), args...)
			return err
		}
		now := time.Now().UTC()
		regions, err := readCSV("regions.csv")
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, r := range regions {
			hr := r["healthcare_region"]
			if !seen[hr] {
				seen[hr] = true
				if err := exec(`INSERT INTO healthcare_regions (code, name) VALUES (?, ?)`, slug(hr), hr); err != nil {
					return fmt.Errorf("healthcare region %s: %w", hr, err)
				}
			}
			if err := exec(`INSERT INTO regions (code, name, healthcare_region, county_code) VALUES (?, ?, ?, ?)`,
				r["code"], r["name"], slug(hr), r["county_code"]); err != nil {
				return fmt.Errorf("region %s: %w", r["code"], err)
			}
		}
		munis, err := readCSV("municipalities-jamtland-harjedalen.csv")
		if err != nil {
			return err
		}
		for _, m := range munis {
			if err := exec(`INSERT INTO municipalities (code, name, region) VALUES (?, ?, ?)`, m["code"], m["name"], HomeRegion); err != nil {
				return fmt.Errorf("municipality %s: %w", m["code"], err)
			}
		}
		for _, g := range []struct{ file, kind, area string }{{"npo.csv", "npo", ""}, {"nsg.csv", "nsg", ""}} {
			rows, err := readCSV(g.file)
			if err != nil {
				return err
			}
			for _, r := range rows {
				// Every NPO and NSG has one representative per sjukvårdsregion.
				if err := exec(`INSERT INTO org_groups (kind, code, name, name_en, level, seats, reference, created_at, updated_at)
					VALUES (?, ?, ?, ?, 'national', 6, ?, ?, ?)`, g.kind, r["code"], r["name_sv"], r["name_en"], true, now, now); err != nil {
					return fmt.Errorf("%s %s: %w", g.kind, r["code"], err)
				}
			}
		}
		// Norra hosts two NPOs (the region's 2018 report); hosting is editable.
		if err := exec(`UPDATE org_groups SET host_region = 'norra' WHERE code IN ('endokrina-sjukdomar', 'levnadsvanor')`); err != nil {
			return fmt.Errorf("hosting: %w", err)
		}
		// The national primary-care council: two members per sjukvårdsregion.
		if err := exec(`INSERT INTO org_groups (kind, code, name, name_en, level, seats, reference, created_at, updated_at)
			VALUES ('primary_care_council', 'nationellt-primarvardsrad', 'Nationellt primärvårdsråd', 'National primary care council', 'national', 12, ?, ?, ?)`,
			true, now, now); err != nil {
			return fmt.Errorf("primary care council: %w", err)
		}
		return exec(`INSERT INTO org_settings (id, home_region, annual_cost_per_fte, overhead_percent, travel_per_person, key_role_limit, updated_at)
			VALUES (1, ?, ?, ?, ?, ?, ?)`, HomeRegion, defaultAnnualCostPerFTE, defaultOverheadPercent, defaultTravelPerPerson, defaultKeyRoleLimit, now)
	}
}
