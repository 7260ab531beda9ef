package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/requestid"
)

// Action is what happened to an entity.
type Action string

// The actions recorded.
const (
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete"
	Login  Action = "login"
	Logout Action = "logout"
)

// Actions lists every action, for filters.
var Actions = []Action{Create, Update, Delete, Login, Logout}

// Entry is one audit record.
type Entry struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at"`
	ActorID   int64           `json:"actor_id,omitempty"`
	ActorName string          `json:"actor"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Action    Action          `json:"action"`
	Before    json.RawMessage `json:"before,omitempty"`
	After     json.RawMessage `json:"after,omitempty"`
	RequestID string          `json:"request_id,omitempty"`
}

// Change describes one change to record. Before is nil for a create, After nil
// for a delete. Values are stored as JSON, so types must not carry secrets in
// exported JSON fields.
type Change struct {
	Entity   string
	EntityID int64
	Action   Action
	Before   any
	After    any
}

// Log writes and reads the audit log.
type Log struct {
	now func() time.Time
}

// New returns a Log that stamps records with now().
func New(now func() time.Time) *Log {
	return &Log{now: now}
}

type systemKey struct{}

// WithSystemActor names the actor for changes made outside a request, such as a
// command-line tool or a background job.
func WithSystemActor(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, systemKey{}, name)
}

// actor returns who is making the change in ctx.
func actor(ctx context.Context) (int64, string) {
	if p := access.From(ctx); !p.Anonymous() {
		return p.UserID, p.Username
	}
	if name, ok := ctx.Value(systemKey{}).(string); ok {
		return 0, name
	}
	return 0, "anonymous"
}

// Record writes c in the caller's transaction q.
func (l *Log) Record(ctx context.Context, q db.Querier, c Change) error {
	before, err := encode(c.Before)
	if err != nil {
		return fmt.Errorf("audit %s %s: before: %w", c.Entity, c.Action, err)
	}
	after, err := encode(c.After)
	if err != nil {
		return fmt.Errorf("audit %s %s: after: %w", c.Entity, c.Action, err)
	}
	id, name := actor(ctx)
	var actorID any
	if id != 0 {
		actorID = id
	}
	_, err = q.ExecContext(ctx, `
		INSERT INTO audit_log (at, actor_id, actor_name, entity, entity_id, action, before, after, request_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.now().UTC(), actorID, name, c.Entity, strconv.FormatInt(c.EntityID, 10), string(c.Action),
		before, after, requestid.From(ctx))
	if err != nil {
		return fmt.Errorf("audit %s %d %s: %w", c.Entity, c.EntityID, c.Action, err)
	}
	return nil
}

func encode(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// DisplayName is the name of who makes a change in ctx as records show it
// to people (a step's or a rating's "by"): the signed-in user's full name,
// else their username, else the system actor's name.
func DisplayName(ctx context.Context) string {
	if p := access.From(ctx); p.Name != "" {
		return p.Name
	}
	return ActorName(ctx)
}

// ActorName is the name under which a change made in ctx is recorded.
func ActorName(ctx context.Context) string {
	_, name := actor(ctx)
	return name
}

// Tx runs fn in a transaction of d and records the changes it returns in the
// same transaction, so a change and its audit record are saved together or
// not at all. now is read inside the transaction (once per attempt).
func (l *Log) Tx(ctx context.Context, d *db.DB, now func() time.Time, fn func(tx *db.Tx, now time.Time) ([]Change, error)) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		cs, err := fn(tx, now())
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := l.Record(ctx, tx, c); err != nil {
				return err
			}
		}
		return nil
	})
}
