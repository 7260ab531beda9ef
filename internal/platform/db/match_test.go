package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestExistsAndLike_FindTextAnywhereLiterally(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		for _, name := range []string{"Åsa 100% Öberg", "Bo_Berg"} {
			if _, err := db.Insert(ctx, d, `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at)
				VALUES (?, ?, 'x', ?, ?, ?) RETURNING id`, name, name, now, now, now); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			search string
			want   bool
		}{
			{"100%", true},
			{" 100% ", true},
			{"1000", false},
			{"o_b", true},
			{"o_", true},
			{"a_b", false},
			{"%", true},
			{`\`, false},
		}
		for _, tt := range tests {
			got, err := db.Exists(ctx, d, `SELECT 1 FROM users WHERE LOWER(username) LIKE ? ESCAPE '\'`, db.Like(tt.search))
			if err != nil {
				t.Fatalf("%q: %v", tt.search, err)
			}
			if got != tt.want {
				t.Errorf("Exists(LIKE %q) = %v, want %v", db.Like(tt.search), got, tt.want)
			}
		}
	})
}
