package db

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// MigrationSet is a dialect's migrations: numbered SQL files, and Go functions
// for steps that SQL cannot express well (loading reference data from CSV).
type MigrationSet struct {
	FS fs.FS
	Go []*goose.Migration
}

// Migration is the state of one migration.
type Migration struct {
	Version   int64
	Name      string
	Applied   bool
	AppliedAt time.Time
}

func (d *DB) provider(migrations MigrationSet) (*goose.Provider, error) {
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if len(migrations.Go) > 0 {
		opts = append(opts, goose.WithGoMigrations(migrations.Go...))
	}
	dialect := goose.DialectSQLite3
	if d.dialect == Postgres {
		dialect = goose.DialectPostgres
		// Several app nodes may start at once; the advisory lock lets one migrate.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, d.sql, migrations.FS, opts...)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// Migrate applies every pending migration in order, each in its own transaction,
// and returns the versions applied.
func (d *DB) Migrate(ctx context.Context, migrations MigrationSet) ([]int64, error) {
	p, err := d.provider(migrations)
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// MigrationStatus lists every known migration and whether it has been applied.
func (d *DB) MigrationStatus(ctx context.Context, migrations MigrationSet) ([]Migration, error) {
	p, err := d.provider(migrations)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]Migration, 0, len(st))
	for _, s := range st {
		out = append(out, Migration{
			Version:   s.Source.Version,
			Name:      migrationName(s.Source),
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

// MigrationsCurrent reports whether no migration is pending.
func (d *DB) MigrationsCurrent(ctx context.Context, migrations MigrationSet) (bool, error) {
	p, err := d.provider(migrations)
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("check migrations: %w", err)
	}
	return !pending, nil
}

func migrationName(s *goose.Source) string {
	if s.Path != "" {
		return s.Path
	}
	return fmt.Sprintf("%05d (Go)", s.Version)
}
