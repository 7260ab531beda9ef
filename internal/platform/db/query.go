package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Scanner is what a row scan function reads from: *sql.Row or *sql.Rows.
type Scanner interface {
	Scan(dest ...any) error
}

// All runs query and scans every row with scan. It always closes the rows and
// checks their error, so callers cannot forget.
func All[T any](ctx context.Context, q Querier, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, MapError(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, MapError(err)
	}
	return out, nil
}

// One runs a query expected to return one row; no row is errs.ErrNotFound.
func One[T any](ctx context.Context, q Querier, scan func(Scanner) (T, error), query string, args ...any) (T, error) {
	v, err := scan(q.QueryRowContext(ctx, query, args...))
	if err != nil {
		var zero T
		return zero, MapError(err)
	}
	return v, nil
}

// Insert runs an INSERT … RETURNING id and returns the new id.
func Insert(ctx context.Context, q Querier, query string, args ...any) (int64, error) {
	var id int64
	if err := q.QueryRowContext(ctx, query, args...).Scan(&id); err != nil {
		return 0, MapError(err)
	}
	return id, nil
}

// Affected checks that res changed exactly one row; none is errs.ErrNotFound.
func Affected(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("rows affected: %w", err)
	}
	if n == 0 {
		return errs.ErrNotFound
	}
	return nil
}

// UpdateVersioned runs an optimistic-locking UPDATE (one that ends in
// "WHERE id = ? AND version = ?" and sets version = version + 1). When no row
// changed it tells apart a row that is gone (errs.ErrNotFound) from one changed
// by someone else since it was read (errs.ErrConflict).
func UpdateVersioned(ctx context.Context, q Querier, table string, id int64, query string, args ...any) error {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("rows affected: %w", err)
	}
	if n == 1 {
		return nil
	}
	return explainMiss(ctx, q, table, id)
}

// DeleteVersioned deletes row id of table if it still has version; like
// UpdateVersioned it tells a vanished row from a concurrent change.
func DeleteVersioned(ctx context.Context, q Querier, table string, id, version int64) error {
	res, err := q.ExecContext(ctx, "DELETE FROM "+table+" WHERE id = ? AND version = ?", id, version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return explainMiss(ctx, q, table, id)
}

// explainMiss says why a versioned write changed no row: the row is gone, or
// someone else changed it first.
func explainMiss(ctx context.Context, q Querier, table string, id int64) error {
	var exists int
	if err := q.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE id = ?", id).Scan(&exists); err != nil {
		return MapError(err)
	}
	return errs.ErrConflict
}

// NullID is a reference as a query argument: 0, no reference, is NULL.
func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// NullString is an optional text as a query argument: "" is NULL, so that
// absent values do not collide in a unique column.
func NullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// NullInt is an optional number as a query argument: 0 is NULL.
func NullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// ScanID scans a row of one id column, for All and One.
func ScanID(s Scanner) (int64, error) {
	var id int64
	return id, s.Scan(&id)
}

// Exists reports whether query returns a row.
func Exists(ctx context.Context, q Querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("exists: %w", err)
	}
	return true, nil
}

// Like makes a case-insensitive LIKE pattern that matches s anywhere; use it
// with "LOWER(column) LIKE ? ESCAPE '\'".
func Like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(strings.TrimSpace(s))) + "%"
}
