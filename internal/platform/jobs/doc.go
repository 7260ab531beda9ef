// Package jobs runs Kunskapsnav's background work in a database-backed queue
// (River, on PostgreSQL through pgx and on SQLite), so any app node can take a
// job and nothing is lost on restart. While wiring, features register named
// functions: Every for periodic work (retried by River on error), Register for
// work run only on demand with Run. serve starts the queue after the HTTP
// server listens and stops it gracefully on shutdown; tests start it only when
// they ask. Migrate creates River's own tables beside ours.
package jobs
