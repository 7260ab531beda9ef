package auth

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// SessionStore keeps web sessions in the database so every app node shares them.
// It implements scs.CtxStore. Rows are keyed by a hash of the session token, so
// a copy of the table cannot be used to take over a session.
type SessionStore struct {
	db  *db.DB
	now func() time.Time
}

// NewSessionStore returns a store on d.
func NewSessionStore(d *db.DB, now func() time.Time) *SessionStore {
	return &SessionStore{db: d, now: now}
}

func sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// FindCtx returns the data of an unexpired session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token = ? AND expiry > ?`,
		sessionKey(token), s.now().UTC()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return data, true, nil
}

// CommitCtx saves session data until expiry.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		sessionKey(token), data, expiry.UTC())
	if err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// DeleteCtx removes a session.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token = ?`, sessionKey(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Find is FindCtx without a context, for scs.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context, for scs.
func (s *SessionStore) Commit(token string, data []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, data, expiry)
}

// Delete is DeleteCtx without a context, for scs.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteExpired removes expired sessions and stale login throttles; run it now and then.
func (s *SessionStore) DeleteExpired(ctx context.Context) (int64, error) {
	now := s.now().UTC()
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= ?`, now)
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_throttle WHERE window_start < ? AND (locked_until IS NULL OR locked_until < ?)`,
		now.Add(-24*time.Hour), now); err != nil {
		return 0, fmt.Errorf("delete old login throttles: %w", err)
	}
	return res.RowsAffected()
}
