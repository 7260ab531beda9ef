package db

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// MapError translates driver errors into the errs vocabulary, keeping the
// driver's error in the chain for logs: no rows → errs.ErrNotFound, unique
// violation → errs.ErrDuplicate, foreign-key violation → errs.ErrReferenced.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", errs.ErrNotFound, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return fmt.Errorf("%w: %s: %w", errs.ErrDuplicate, pgErr.ConstraintName, err)
		case "23503":
			return fmt.Errorf("%w: %s: %w", errs.ErrReferenced, pgErr.ConstraintName, err)
		}
		return err
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", errs.ErrDuplicate, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: %w", errs.ErrReferenced, err)
		}
	}
	return err
}

// isRetryable reports PostgreSQL serialization failures and deadlocks, which a
// rerun of the whole transaction resolves.
func isRetryable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "40001" || pgErr.Code == "40P01"
	}
	return false
}
