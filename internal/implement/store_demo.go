package implement

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

type nameID struct {
	name string
	id   int64
}

func scanNameID(s db.Scanner) (nameID, error) {
	var r nameID
	return r, s.Scan(&r.name, &r.id)
}

func byName(ctx context.Context, q db.Querier, what, query string) (map[string]int64, error) {
	rows, err := db.All(ctx, q, scanNameID, query)
	if err != nil {
		return nil, fmt.Errorf("demo %s: %w", what, err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		if _, seen := out[r.name]; !seen {
			out[r.name] = r.id
		}
	}
	return out, nil
}

// demoPeople maps the registry's people by name.
func demoPeople(ctx context.Context, q db.Querier) (map[string]int64, error) {
	return byName(ctx, q, "people", `SELECT name, id FROM people ORDER BY id`)
}

// demoUnitIDs maps the units by name.
func demoUnitIDs(ctx context.Context, q db.Querier) (map[string]int64, error) {
	return byName(ctx, q, "units", `SELECT name, id FROM units ORDER BY id`)
}

// demoContacts maps each unit's name to the person answering for it: a
// person with a user first, then a manager, then anyone working there.
func demoContacts(ctx context.Context, q db.Querier) (map[string]int64, error) {
	rows, err := db.All(ctx, q, func(s db.Scanner) (nameID, error) {
		var r nameID
		var id sql.NullInt64
		err := s.Scan(&r.name, &id)
		r.id = id.Int64
		return r, err
	}, `SELECT u.name, p.id FROM units u JOIN people p ON p.unit_id = u.id
		ORDER BY u.id, CASE WHEN p.user_id IS NOT NULL THEN 0 WHEN p.title LIKE '%chef%' THEN 1 ELSE 2 END, p.id`)
	if err != nil {
		return nil, fmt.Errorf("demo contacts: %w", err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		if _, seen := out[r.name]; !seen {
			out[r.name] = r.id
		}
	}
	return out, nil
}
