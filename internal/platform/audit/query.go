package audit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// Filter narrows a listing of the log. Zero fields do not filter.
type Filter struct {
	Actor    string    // username, exact
	Entity   string    // entity name, exact
	EntityID string    // entity id, exact
	Action   Action    // action, exact
	From     time.Time // at or after
	To       time.Time // before
}

// Page asks for one page of results, newest first: at most Limit entries with
// an id below After (0 for the first page).
type Page struct {
	After int64
	Limit int
}

// List returns one page of entries matching f, newest first, and the cursor of
// the next page (0 when there is none).
func (l *Log) List(ctx context.Context, q db.Querier, f Filter, p Page) ([]Entry, int64, error) {
	if p.Limit <= 0 || p.Limit > 1000 {
		p.Limit = 50
	}
	where, args := f.where()
	if p.After > 0 {
		where = append(where, "id < ?")
		args = append(args, p.After)
	}
	query := `SELECT id, at, actor_id, actor_name, entity, entity_id, action, before, after, request_id FROM audit_log`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY id DESC LIMIT %d", p.Limit+1)
	entries, err := db.All(ctx, q, scanEntry, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit log: %w", err)
	}
	var next int64
	if len(entries) > p.Limit {
		entries = entries[:p.Limit]
		next = entries[len(entries)-1].ID
	}
	return entries, next, nil
}

// Each calls fn for every entry matching f, newest first, reading in batches so
// an export of the whole log runs in constant memory.
func (l *Log) Each(ctx context.Context, q db.Querier, f Filter, fn func(Entry) error) error {
	var after int64
	for {
		entries, next, err := l.List(ctx, q, f, Page{After: after, Limit: 500})
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := fn(e); err != nil {
				return err
			}
		}
		if next == 0 {
			return nil
		}
		after = next
	}
}

// Entities lists the entity names present in the log, for the filter form.
//
// A DISTINCT over the log reads every row, and the log only grows. Instead
// the query skips from one name to the next along the index on
// (entity, entity_id): one index lookup per name, whatever the log's size
// (a "loose index scan", written the same for both engines).
func (l *Log) Entities(ctx context.Context, q db.Querier) ([]string, error) {
	names, err := db.All(ctx, q, func(s db.Scanner) (string, error) {
		var n string
		return n, s.Scan(&n)
	}, `
		WITH RECURSIVE names (entity) AS (
			SELECT MIN(entity) FROM audit_log
			UNION ALL
			SELECT (SELECT a.entity FROM audit_log a WHERE a.entity > names.entity ORDER BY a.entity LIMIT 1)
			FROM names
			WHERE names.entity IS NOT NULL
		)
		SELECT entity FROM names WHERE entity IS NOT NULL ORDER BY entity`)
	if err != nil {
		return nil, fmt.Errorf("list audit entities: %w", err)
	}
	return names, nil
}

func (f Filter) where() ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.Actor != "" {
		add("actor_name = ?", f.Actor)
	}
	if f.Entity != "" {
		add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		add("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		add("action = ?", string(f.Action))
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("at < ?", f.To.UTC())
	}
	return where, args
}

func scanEntry(s db.Scanner) (Entry, error) {
	var e Entry
	var actorID sql.NullInt64
	var before, after sql.NullString
	err := s.Scan(&e.ID, &e.At, &actorID, &e.ActorName, &e.Entity, &e.EntityID, &e.Action, &before, &after, &e.RequestID)
	e.ActorID = actorID.Int64
	if before.Valid {
		e.Before = []byte(before.String)
	}
	if after.Valid {
		e.After = []byte(after.String)
	}
	e.At = e.At.UTC()
	return e, err
}
