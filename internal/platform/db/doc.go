// Package db opens Kunskapsnav's one SQL database, SQLite (embedded, pure Go) or
// PostgreSQL, and gives every feature the same small toolkit: queries written
// once with ? placeholders and rebound per dialect, one transaction per use case
// with retries on PostgreSQL serialization failures, embedded migrations run by
// goose, and driver errors mapped to the errs vocabulary.
package db
