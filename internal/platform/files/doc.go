// Package files keeps uploaded documents (meeting attachments, decision
// bases) in the database with their name, type, size and SHA-256 hash, so
// every app node serves them and a changed byte is detectable. Check accepts
// only an allowlist of office, text and image types whose content agrees with
// the file name; FromRequest reads an upload from a multipart form and Serve
// sends a stored file back as a safe download.
package files
