package auth

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

const userColumns = `id, username, display_name, email, locale, active, demo, created_at, updated_at, version`

func scanUser(s db.Scanner) (User, error) {
	var u User
	err := s.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Email, &u.Locale, &u.Active, &u.Demo, &u.CreatedAt, &u.UpdatedAt, &u.Version)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, err
}

func findUserByID(ctx context.Context, q db.Querier, id int64) (User, error) {
	u, err := db.One(ctx, q, scanUser, `SELECT `+userColumns+` FROM users WHERE id = ?`, id)
	if err != nil {
		return User{}, fmt.Errorf("find user %d: %w", id, err)
	}
	return withRoles(ctx, q, u)
}

func findUserByUsername(ctx context.Context, q db.Querier, username string) (User, string, error) {
	var hash string
	u, err := db.One(ctx, q, func(s db.Scanner) (User, error) {
		var u User
		err := s.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Email, &u.Locale, &u.Active, &u.Demo, &u.CreatedAt, &u.UpdatedAt, &u.Version, &hash)
		return u, err
	}, `SELECT `+userColumns+`, password_hash FROM users WHERE username = ?`, username)
	if err != nil {
		return User{}, "", fmt.Errorf("find user %q: %w", username, err)
	}
	u, err = withRoles(ctx, q, u)
	return u, hash, err
}

func withRoles(ctx context.Context, q db.Querier, u User) (User, error) {
	roles, err := db.All(ctx, q, func(s db.Scanner) (access.Role, error) {
		var r access.Role
		return r, s.Scan(&r)
	}, `SELECT role FROM user_roles WHERE user_id = ? ORDER BY role`, u.ID)
	if err != nil {
		return User{}, fmt.Errorf("roles of user %d: %w", u.ID, err)
	}
	u.Roles = roles
	return u, nil
}

func listUsers(ctx context.Context, q db.Querier) ([]User, error) {
	users, err := db.All(ctx, q, scanUser, `SELECT `+userColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	type pair struct {
		id   int64
		role access.Role
	}
	pairs, err := db.All(ctx, q, func(s db.Scanner) (pair, error) {
		var p pair
		return p, s.Scan(&p.id, &p.role)
	}, `SELECT user_id, role FROM user_roles ORDER BY user_id, role`)
	if err != nil {
		return nil, fmt.Errorf("list user roles: %w", err)
	}
	byID := map[int64][]access.Role{}
	for _, p := range pairs {
		byID[p.id] = append(byID[p.id], p.role)
	}
	for i := range users {
		users[i].Roles = byID[users[i].ID]
	}
	return users, nil
}

func insertUser(ctx context.Context, q db.Querier, n NewUser, hash string, now time.Time) (int64, error) {
	id, err := db.Insert(ctx, q, `
		INSERT INTO users (username, display_name, email, password_hash, locale, active, demo, created_at, updated_at, password_changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		n.Username, n.DisplayName, n.Email, hash, n.Locale, true, n.Demo, now, now, now)
	if err != nil {
		return 0, fmt.Errorf("insert user %q: %w", n.Username, err)
	}
	if err := replaceRoles(ctx, q, id, n.Roles); err != nil {
		return 0, err
	}
	return id, nil
}

func replaceRoles(ctx context.Context, q db.Querier, userID int64, roles []access.Role) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("clear roles of user %d: %w", userID, err)
	}
	roles = slices.Clone(roles)
	slices.Sort(roles)
	for _, r := range slices.Compact(roles) {
		if _, err := q.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, userID, string(r)); err != nil {
			return fmt.Errorf("grant %s to user %d: %w", r, userID, err)
		}
	}
	return nil
}

// updateUser writes the editable fields of u if its version is still current.
func updateUser(ctx context.Context, q db.Querier, u User, now time.Time) error {
	err := db.UpdateVersioned(ctx, q, "users", u.ID, `
		UPDATE users SET display_name = ?, email = ?, locale = ?, active = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		u.DisplayName, u.Email, u.Locale, u.Active, now, u.ID, u.Version)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, err)
	}
	return nil
}

func setPasswordHash(ctx context.Context, q db.Querier, id int64, hash string, now time.Time) error {
	res, err := q.ExecContext(ctx, `
		UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		hash, now, now, id)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	return db.Affected(res)
}

func bumpVersion(ctx context.Context, q db.Querier, id int64, now time.Time) error {
	res, err := q.ExecContext(ctx, `UPDATE users SET updated_at = ?, version = version + 1 WHERE id = ?`, now, id)
	if err != nil {
		return fmt.Errorf("touch user %d: %w", id, err)
	}
	return db.Affected(res)
}

// Throttling.

type throttleState struct {
	failures    int
	windowStart time.Time
	lockedUntil sql.NullTime
}

func findThrottle(ctx context.Context, q db.Querier, key string) (throttleState, bool, error) {
	var st throttleState
	err := q.QueryRowContext(ctx, `SELECT failures, window_start, locked_until FROM login_throttle WHERE key = ?`, key).
		Scan(&st.failures, &st.windowStart, &st.lockedUntil)
	if err == sql.ErrNoRows {
		return st, false, nil
	}
	if err != nil {
		return st, false, fmt.Errorf("read login throttle: %w", err)
	}
	return st, true, nil
}

func saveThrottle(ctx context.Context, q db.Querier, key string, st throttleState, exists bool) error {
	var err error
	if exists {
		_, err = q.ExecContext(ctx, `UPDATE login_throttle SET failures = ?, window_start = ?, locked_until = ? WHERE key = ?`,
			st.failures, st.windowStart, st.lockedUntil, key)
	} else {
		_, err = q.ExecContext(ctx, `INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)`,
			key, st.failures, st.windowStart, st.lockedUntil)
	}
	if err != nil {
		return fmt.Errorf("save login throttle: %w", err)
	}
	return nil
}

func clearThrottle(ctx context.Context, q db.Querier, key string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = ?`, key); err != nil {
		return fmt.Errorf("clear login throttle: %w", err)
	}
	return nil
}

// API tokens.

// Token is a personal API token as listed; the secret itself is shown once.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

const tokenColumns = `id, user_id, name, prefix, created_at, expires_at, last_used_at`

func scanToken(s db.Scanner) (Token, error) {
	var t Token
	var exp, used sql.NullTime
	err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &exp, &used)
	t.CreatedAt = t.CreatedAt.UTC()
	if exp.Valid {
		v := exp.Time.UTC()
		t.ExpiresAt = &v
	}
	if used.Valid {
		v := used.Time.UTC()
		t.LastUsedAt = &v
	}
	return t, err
}

func listTokens(ctx context.Context, q db.Querier, userID int64) ([]Token, error) {
	tokens, err := db.All(ctx, q, scanToken, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens of user %d: %w", userID, err)
	}
	return tokens, nil
}

func findTokenByHash(ctx context.Context, q db.Querier, hash string) (Token, error) {
	return db.One(ctx, q, scanToken, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ?`, hash)
}

func insertToken(ctx context.Context, q db.Querier, t Token, hash string) (int64, error) {
	var exp any
	if t.ExpiresAt != nil {
		exp = t.ExpiresAt.UTC()
	}
	id, err := db.Insert(ctx, q, `
		INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, t.UserID, t.Name, t.Prefix, hash, t.CreatedAt, exp)
	if err != nil {
		return 0, fmt.Errorf("insert token: %w", err)
	}
	return id, nil
}

func deleteToken(ctx context.Context, q db.Querier, userID, id int64) (Token, error) {
	t, err := db.One(ctx, q, scanToken, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return Token{}, fmt.Errorf("find token %d: %w", id, err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = ?`, id); err != nil {
		return Token{}, fmt.Errorf("delete token %d: %w", id, err)
	}
	return t, nil
}

func touchToken(ctx context.Context, q db.Querier, id int64, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, id)
	return err
}

func countUsers(ctx context.Context, q db.Querier, where string) (int, error) {
	var n int
	query := `SELECT COUNT(*) FROM users`
	if where != "" {
		query += " WHERE " + strings.TrimSpace(where)
	}
	if err := q.QueryRowContext(ctx, query).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}
