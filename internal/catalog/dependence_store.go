package catalog

import (
	"context"
	"fmt"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// leadNames maps every person who leads a support to their name.
func leadNames(ctx context.Context, q db.Querier) (map[int64]string, error) {
	type lead struct {
		id   int64
		name string
	}
	leads, err := db.All(ctx, q, func(s db.Scanner) (lead, error) {
		var l lead
		return l, s.Scan(&l.id, &l.name)
	}, `SELECT DISTINCT people.id, people.name FROM support_leads JOIN people ON people.id = support_leads.person_id`)
	if err != nil {
		return nil, fmt.Errorf("list lead names: %w", err)
	}
	names := make(map[int64]string, len(leads))
	for _, l := range leads {
		names[l.id] = l.name
	}
	return names, nil
}
