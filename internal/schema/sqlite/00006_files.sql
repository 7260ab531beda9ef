-- +goose Up
-- Uploaded documents (attachments, decision bases), kept in the database with
-- their hash so every app node serves them and a changed byte is detectable.
CREATE TABLE files (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at  TIMESTAMP NOT NULL
);
CREATE INDEX files_sha256 ON files (sha256);
