package forum_test

import (
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// TestMain runs the package's tests (all of them, not only the municipal
// ones) and then stops the PostgreSQL server they shared.
func TestMain(m *testing.M) { dbtest.Main(m) }
