// Package schema holds Kunskapsnav's database schema as numbered, up-only SQL
// migrations, one folder per dialect, embedded in the binary and run by
// db.Migrate. A released migration is never edited; a change is a new file with
// the next number in both folders.
package schema

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// FS returns the migrations for dialect d.
func FS(d db.Dialect) fs.FS {
	sub, err := fs.Sub(files, string(d))
	if err != nil {
		panic(fmt.Sprintf("schema: no migrations for %s: %v", d, err)) // embedded at build time
	}
	return sub
}
