// Package schema holds Kunskapsnav's database schema as numbered, up-only
// migrations: SQL files, one folder per dialect, and Go steps that load the
// national reference data (sjukvårdsregioner, regions, municipalities, NPO,
// NSG; in step 10 the published care pathways) from the CSV files in
// reference/, which ship with the product. A released migration is never edited; a change is a new step with the next
// number in both folders.
package schema

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"

	"github.com/pressly/goose/v3"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

//go:embed sqlite/*.sql postgres/*.sql reference/*.csv
var files embed.FS

// For returns the migrations for dialect d.
func For(d db.Dialect) db.MigrationSet {
	sub, err := fs.Sub(files, string(d))
	if err != nil {
		panic(fmt.Sprintf("schema: no migrations for %s: %v", d, err)) // embedded at build time
	}
	return db.MigrationSet{
		FS: sub,
		Go: []*goose.Migration{
			goose.NewGoMigration(3, &goose.GoFunc{RunTx: referenceData(d)}, nil),
			goose.NewGoMigration(10, &goose.GoFunc{RunTx: carePathways(d)}, nil),
		},
	}
}

// Hash identifies this version of the schema (every migration and reference
// file), so a migrated test template is rebuilt when any of them changes.
func Hash() string {
	h := sha256.New()
	var names []string
	_ = fs.WalkDir(files, ".", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	sort.Strings(names)
	for _, n := range names {
		b, _ := fs.ReadFile(files, n)
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
