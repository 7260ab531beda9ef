package org_test

import (
	"context"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// TestPeople_DuplicateNamesTheTakenField checks that another person's HSA-id
// is reported at the HSA-id and another person's user account at the account,
// each with its own message.
func TestPeople_DuplicateNamesTheTakenField(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := audit.WithSystemActor(context.Background(), "test")
		userID, err := db.Insert(c, d, `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at)
			VALUES (?, ?, 'x', ?, ?, ?) RETURNING id`, "sara", "Sara", today, today, today)
		if err != nil {
			t.Fatal(err)
		}
		must(s.CreatePerson(c, org.Person{Name: "Sara Samordnare", HSAID: "SE2321000207-P001", UserID: userID}))(t)
		other := must(s.CreatePerson(c, org.Person{Name: "Olle Ordförande"}))(t)

		tests := []struct {
			name       string
			person     org.Person
			field, key string
		}{
			{"new person with a taken HSA-id", org.Person{Name: "Bo", HSAID: "se2321000207-p001"}, "hsa_id", "org.person.taken"},
			{"new person with a taken account", org.Person{Name: "Bo", UserID: userID}, "user_id", "org.person.user_taken"},
			{"edit to a taken account", func() org.Person { p := other; p.UserID = userID; return p }(), "user_id", "org.person.user_taken"},
			{"edit to a taken HSA-id", func() org.Person { p := other; p.HSAID = "SE2321000207-P001"; return p }(), "hsa_id", "org.person.taken"},
		}
		for _, tt := range tests {
			var err error
			if tt.person.ID == 0 {
				_, err = s.CreatePerson(c, tt.person)
			} else {
				_, err = s.UpdatePerson(c, tt.person)
			}
			v, ok := errs.AsValidation(err)
			if !ok || len(v.Fields) != 1 || v.Fields[0].Name != tt.field || v.Fields[0].Key != tt.key {
				t.Errorf("%s: got %v, want %s at %s", tt.name, err, tt.key, tt.field)
			}
		}
	})
}
