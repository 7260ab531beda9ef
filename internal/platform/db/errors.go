package db

import (
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

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

// pgKey reads the columns from PostgreSQL's detail of a unique violation:
// "Key (user_id)=(7) already exists."
var pgKey = regexp.MustCompile(`^Key \((.+?)\)=`)

// DuplicateColumns names the table and columns of the unique constraint err
// violates, as the schema spells them, so a caller can tell which value was
// taken when a table has several; ok is false when err is no unique violation
// or the engine does not name the columns.
func DuplicateColumns(err error) (table string, columns []string, ok bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		m := pgKey.FindStringSubmatch(pgErr.Detail)
		if pgErr.Code != "23505" || m == nil {
			return "", nil, false
		}
		return pgErr.TableName, strings.Split(m[1], ", "), true
	}
	var sqErr *sqlite.Error
	if !errors.As(err, &sqErr) || (sqErr.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE && sqErr.Code() != sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return "", nil, false
	}
	// "UNIQUE constraint failed: people.user_id" (columns joined by ", ")
	msg := sqErr.Error()
	const marker = "constraint failed: "
	i := strings.LastIndex(msg, marker)
	if i < 0 {
		return "", nil, false
	}
	list, _, _ := strings.Cut(msg[i+len(marker):], " (") // the result code the driver appends
	for _, tc := range strings.Split(list, ", ") {
		t, c, found := strings.Cut(tc, ".")
		if !found || (table != "" && t != table) {
			return "", nil, false // an index on an expression: "index 'name'"
		}
		table, columns = t, append(columns, c)
	}
	return table, columns, true
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
