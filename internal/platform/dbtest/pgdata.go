package dbtest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// pgData is the contents of a seeded PostgreSQL database, kept in memory so Seed
// can load it into a database that already exists. Creating a database copies
// the system catalogues too, which costs far more than the few rows a seed
// writes; loading them needs a superuser, to switch off foreign-key checks while
// the tables fill in any order.
type pgData struct {
	tables    []pgTable
	sequences []pgSequence
}

type pgTable struct {
	name    string // quoted, with its schema
	columns string // quoted, comma-separated, without generated columns
	rows    []byte // COPY text format
}

type pgSequence struct {
	name  string // quoted, with its schema
	value int64
}

// pgTables lists the user tables and their columns.
const pgTables = `
SELECT format('%I.%I', n.nspname, c.relname),
       string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
GROUP BY n.nspname, c.relname
ORDER BY 1`

// pgShape returns the tables and columns of d, to tell whether a seed changed
// the schema (then only a copy of the whole database will do).
func pgShape(ctx context.Context, d *db.DB) ([]pgTable, error) {
	rows, err := d.QueryContext(ctx, pgTables)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var tables []pgTable
	for rows.Next() {
		var t pgTable
		if err := rows.Scan(&t.name, &t.columns); err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	return tables, rows.Err()
}

func sameShape(a, b []pgTable) bool {
	return slices.EqualFunc(a, b, func(x, y pgTable) bool { return x.name == y.name && x.columns == y.columns })
}

// readPGData reads every table and sequence of d.
func readPGData(ctx context.Context, d *db.DB, tables []pgTable) (*pgData, error) {
	data := &pgData{}
	err := withPGConn(ctx, d, func(pc *pgconn.PgConn) error {
		for _, t := range tables {
			var buf bytes.Buffer
			if _, err := pc.CopyTo(ctx, &buf, fmt.Sprintf("COPY (SELECT %s FROM %s) TO STDOUT", t.columns, t.name)); err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
			t.rows = buf.Bytes()
			data.tables = append(data.tables, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err := d.QueryContext(ctx, `
		SELECT format('%I.%I', schemaname, sequencename), last_value
		FROM pg_sequences
		WHERE last_value IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("list sequences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s pgSequence
		if err := rows.Scan(&s.name, &s.value); err != nil {
			return nil, err
		}
		data.sequences = append(data.sequences, s)
	}
	return data, rows.Err()
}

// load replaces the rows of every table in d, which has the seeded database's
// schema, with the seeded rows, in one transaction.
func (data *pgData) load(ctx context.Context, d *db.DB) error {
	return withPGConn(ctx, d, func(pc *pgconn.PgConn) error {
		// DELETE beats TRUNCATE here: the tables hold few rows, and TRUNCATE
		// makes new files for each.
		head := "BEGIN; SET LOCAL session_replication_role = replica"
		for _, t := range data.tables {
			head += "; DELETE FROM " + t.name
		}
		if _, err := pc.Exec(ctx, head).ReadAll(); err != nil {
			return err
		}
		err := data.fill(ctx, pc)
		if err == nil {
			_, err = pc.Exec(ctx, "COMMIT").ReadAll()
		}
		if err != nil {
			_, _ = pc.Exec(ctx, "ROLLBACK").ReadAll()
		}
		return err
	})
}

func (data *pgData) fill(ctx context.Context, pc *pgconn.PgConn) error {
	for _, t := range data.tables {
		if len(t.rows) == 0 {
			continue
		}
		if _, err := pc.CopyFrom(ctx, bytes.NewReader(t.rows), fmt.Sprintf("COPY %s (%s) FROM STDIN", t.name, t.columns)); err != nil {
			return fmt.Errorf("copy into %s: %w", t.name, err)
		}
	}
	var sets []string
	for _, s := range data.sequences {
		sets = append(sets, fmt.Sprintf("SELECT setval('%s', %d)", strings.ReplaceAll(s.name, "'", "''"), s.value))
	}
	if len(sets) == 0 {
		return nil
	}
	_, err := pc.Exec(ctx, strings.Join(sets, "; ")).ReadAll()
	return err
}

// withPGConn runs fn on one of d's connections at the protocol level, for COPY.
func withPGConn(ctx context.Context, d *db.DB, fn func(pc *pgconn.PgConn) error) error {
	conn, err := d.SQL().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("not a pgx connection: %T", dc)
		}
		return fn(c.Conn().PgConn())
	})
}

// isSuperuser reports whether d's user may switch off foreign-key checks.
func isSuperuser(ctx context.Context, d *db.DB) (bool, error) {
	var super bool
	err := d.QueryRowContext(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return super, err
}
