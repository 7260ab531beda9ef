-- +goose Up
-- Uploaded import files waiting for the person who previewed them to confirm
-- the import; kept in the database so any app node can finish the import.
CREATE TABLE imports (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    filename   TEXT NOT NULL DEFAULT '',
    file_hash  TEXT NOT NULL,
    size       INTEGER NOT NULL,
    content    BLOB NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX imports_created_at ON imports (created_at);
