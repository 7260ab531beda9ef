package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the SQL engine behind a DB.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database of either dialect.
type DB struct {
	sql     *sql.DB
	dialect Dialect
	dsn     string // the driver's connection string; may hold a password, never log it
}

// Querier runs queries; both *DB and *Tx are Queriers, so store helpers work inside
// and outside a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() Dialect
}

// Open connects to the database named by rawURL: "sqlite:PATH" (or "sqlite://PATH",
// "file:PATH") for SQLite, "postgres://…" or "postgresql://…" for PostgreSQL.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	dialect, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	var sdb *sql.DB
	switch dialect {
	case SQLite:
		sdb, err = sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// WAL lets readers run beside one writer; a handful of connections is plenty
		// and keeps write contention to the busy timeout.
		sdb.SetMaxOpenConns(8)
		sdb.SetMaxIdleConns(8)
		sdb.SetConnMaxIdleTime(5 * time.Minute)
	case Postgres:
		sdb, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sdb.SetMaxOpenConns(20)
		sdb.SetMaxIdleConns(10)
		sdb.SetConnMaxIdleTime(5 * time.Minute)
	}
	d := &DB{sql: sdb, dialect: dialect, dsn: dsn}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sdb.PingContext(pingCtx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("connect to %s database: %w", dialect, err)
	}
	return d, nil
}

// parseURL splits the configured URL into a dialect and a driver DSN.
func parseURL(rawURL string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return Postgres, rawURL, nil
	case strings.HasPrefix(rawURL, "sqlite:"), strings.HasPrefix(rawURL, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite:"), "file:")
		path = strings.TrimPrefix(path, "//")
		query := ""
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path, query = path[:i], path[i+1:]
		}
		if path == "" {
			return "", "", fmt.Errorf("database url %q: missing file path", rawURL)
		}
		if path == ":memory:" {
			return "", "", fmt.Errorf("database url %q: in-memory SQLite is not supported, name a file", rawURL)
		}
		q, err := url.ParseQuery(query)
		if err != nil {
			return "", "", fmt.Errorf("database url %q: %w", rawURL, err)
		}
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "synchronous(NORMAL)")
		// Writers take the write lock at BEGIN, so two transactions never both read
		// and then fail to upgrade; they queue on the busy timeout instead.
		q.Set("_txlock", "immediate")
		q.Set("_time_format", "sqlite")
		return SQLite, "file:" + path + "?" + q.Encode(), nil
	}
	return "", "", fmt.Errorf("database url %q: must start with sqlite: or postgres://", redactURL(rawURL))
}

// redactURL hides a password in a database URL so it can be shown or logged.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

// Redact returns rawURL with any password replaced, safe for logs and messages.
func Redact(rawURL string) string { return redactURL(rawURL) }

// Dialect reports the engine.
func (d *DB) Dialect() Dialect { return d.dialect }

// SQL exposes the underlying pool for libraries that need a *sql.DB (migrations, sessions).
func (d *DB) SQL() *sql.DB { return d.sql }

// PgxPool opens a native pgx pool on the same PostgreSQL database, for
// libraries that need pgx rather than database/sql (the job queue); the
// caller closes it. It fails on SQLite.
func (d *DB) PgxPool(ctx context.Context) (*pgxpool.Pool, error) {
	if d.dialect != Postgres {
		return nil, fmt.Errorf("pgx pool: the database is %s, not postgres", d.dialect)
	}
	p, err := pgxpool.New(ctx, d.dsn)
	if err != nil {
		// pgx's parse errors can quote the connection string; say only what failed.
		return nil, errors.New("pgx pool: cannot use the database url")
	}
	return p, nil
}

// Close closes the pool.
func (d *DB) Close() error { return d.sql.Close() }

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.sql.PingContext(ctx) }

// ExecContext runs a statement written with ? placeholders.
func (d *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := d.sql.ExecContext(ctx, Rebind(d.dialect, query), args...)
	return res, MapError(err)
}

// QueryContext runs a query written with ? placeholders.
func (d *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := d.sql.QueryContext(ctx, Rebind(d.dialect, query), args...)
	return rows, MapError(err)
}

// QueryRowContext runs a single-row query written with ? placeholders.
func (d *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return d.sql.QueryRowContext(ctx, Rebind(d.dialect, query), args...)
}

// Tx is one transaction; use it only inside the function given to DB.Tx.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
}

// Dialect reports the engine.
func (t *Tx) Dialect() Dialect { return t.dialect }

// ExecContext runs a statement written with ? placeholders.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(ctx, Rebind(t.dialect, query), args...)
	return res, MapError(err)
}

// QueryContext runs a query written with ? placeholders.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := t.tx.QueryContext(ctx, Rebind(t.dialect, query), args...)
	return rows, MapError(err)
}

// QueryRowContext runs a single-row query written with ? placeholders.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, Rebind(t.dialect, query), args...)
}

// maxAttempts bounds retries of transactions that PostgreSQL aborted to keep
// them serializable.
const maxAttempts = 5

// Tx runs fn in one transaction and commits when fn returns nil. On PostgreSQL a
// serialization failure or deadlock reruns fn from the start, so fn must not have
// effects outside the transaction.
func (d *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err = d.tryTx(ctx, fn)
		if err == nil || !isRetryable(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
	}
	return err
}

func (d *DB) tryTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	stx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", MapError(err))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
	}()
	if err := fn(&Tx{tx: stx, dialect: d.dialect}); err != nil {
		if rbErr := stx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", MapError(err))
	}
	return nil
}
