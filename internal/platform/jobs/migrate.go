package jobs

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// migrateLock is the PostgreSQL advisory lock held while River's tables are
// migrated, so that nodes starting together migrate one at a time.
const migrateLock = 727275

// Migrate creates or updates River's own tables (river_job, river_leader, …)
// in d and returns how many of River's migrations it applied; it does nothing
// when they are current. Run it after the application's migrations.
func Migrate(ctx context.Context, d *db.DB) (int, error) {
	cfg := &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)}
	switch d.Dialect() {
	case db.Postgres:
		pool, err := d.PgxPool(ctx)
		if err != nil {
			return 0, fmt.Errorf("migrate job queue: %w", err)
		}
		defer pool.Close()
		conn, err := pool.Acquire(ctx)
		if err != nil {
			return 0, fmt.Errorf("migrate job queue: %w", err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
			return 0, fmt.Errorf("migrate job queue: lock: %w", err)
		}
		defer func() {
			// Closing the pool ends the session and its lock anyway.
			_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock)
		}()
		m, err := rivermigrate.New(riverpgxv5.New(pool), cfg)
		if err != nil {
			return 0, fmt.Errorf("migrate job queue: %w", err)
		}
		return up(ctx, m)
	default:
		m, err := rivermigrate.New(riversqlite.New(d.SQL()), cfg)
		if err != nil {
			return 0, fmt.Errorf("migrate job queue: %w", err)
		}
		return up(ctx, m)
	}
}

func up[TTx any](ctx context.Context, m *rivermigrate.Migrator[TTx]) (int, error) {
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("migrate job queue: %w", err)
	}
	return len(res.Versions), nil
}
