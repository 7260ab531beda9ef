package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// ErrBadCredentials is the one answer to a failed login, whether the username is
// unknown, the password wrong or the account inactive, so a login never tells
// whether an account exists.
var ErrBadCredentials = errors.New("wrong username or password")

// ErrThrottled means too many failed logins; try again later.
var ErrThrottled = errors.New("too many failed logins")

// Throttle limits failed logins per username and per client address.
type Throttle struct {
	Window       time.Duration // failures count within this window
	UserFailures int           // failures per username before locking it
	AddrFailures int           // failures per address before locking it
	Lock         time.Duration // how long a lock lasts
}

// DefaultThrottle locks a username after 5 failures, or an address after 20,
// within 15 minutes, for 15 minutes.
var DefaultThrottle = Throttle{Window: 15 * time.Minute, UserFailures: 5, AddrFailures: 20, Lock: 15 * time.Minute}

// Service is the use cases of accounts; each exported method is one transaction.
type Service struct {
	db       *db.DB
	audit    *audit.Log
	now      func() time.Time
	throttle Throttle
}

// NewService returns the account service.
func NewService(d *db.DB, log *audit.Log, now func() time.Time, throttle Throttle) *Service {
	return &Service{db: d, audit: log, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }, throttle: throttle}
}

const entityUser = "user"
const entityToken = "api_token"

// CreateUser validates n and creates the account with its roles.
func (s *Service) CreateUser(ctx context.Context, n NewUser) (User, error) {
	n.Normalize()
	if err := n.Validate(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.db.Tx(ctx, func(tx *db.Tx) error {
		id, err := insertUser(ctx, tx, n, hash, s.now())
		if err != nil {
			if errors.Is(err, errs.ErrDuplicate) {
				return fmt.Errorf("%w: %w", errs.Invalidf("username", "validation.username_taken"), err)
			}
			return err
		}
		if u, err = findUserByID(ctx, tx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Change{Entity: entityUser, EntityID: id, Action: audit.Create, After: u})
	})
	return u, err
}

// User returns the account with id.
func (s *Service) User(ctx context.Context, id int64) (User, error) {
	return findUserByID(ctx, s.db, id)
}

// UserByUsername returns the account named username.
func (s *Service) UserByUsername(ctx context.Context, username string) (User, error) {
	u, _, err := findUserByUsername(ctx, s.db, strings.ToLower(strings.TrimSpace(username)))
	return u, err
}

// Users lists every account with its roles.
func (s *Service) Users(ctx context.Context) ([]User, error) {
	return listUsers(ctx, s.db)
}

// CountUsers returns how many accounts exist and how many of them are demo accounts.
func (s *Service) CountUsers(ctx context.Context) (all, demo int, err error) {
	if all, err = countUsers(ctx, s.db, ""); err != nil {
		return 0, 0, err
	}
	demo, err = countUsers(ctx, s.db, "demo = "+s.trueLiteral())
	return all, demo, err
}

func (s *Service) trueLiteral() string {
	if s.db.Dialect() == db.Postgres {
		return "TRUE"
	}
	return "1"
}

// SetPassword replaces the password of username (an administrator's action).
func (s *Service) SetPassword(ctx context.Context, username, password string) error {
	username = strings.ToLower(strings.TrimSpace(username))
	if key, args := passwordProblem(username, password); key != "" {
		return errs.Invalidf("password", key, args...)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		u, _, err := findUserByUsername(ctx, tx, username)
		if err != nil {
			return err
		}
		if err := setPasswordHash(ctx, tx, u.ID, hash, s.now()); err != nil {
			return err
		}
		after, err := findUserByID(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Change{Entity: entityUser, EntityID: u.ID, Action: audit.Update,
			Before: passwordEvent{User: u, Event: "password_set"}, After: passwordEvent{User: after, Event: "password_set"}})
	})
}

// passwordEvent marks a password change in the audit log without the password.
type passwordEvent struct {
	User
	Event string `json:"event"`
}

// ChangePassword lets a signed-in user replace their own password, given the current one.
func (s *Service) ChangePassword(ctx context.Context, userID int64, current, next string) error {
	var v errs.ValidationError
	if current == "" {
		v.Add("current", "validation.required")
	}
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		u, err := findUserByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		_, hash, err := findUserByUsername(ctx, tx, u.Username)
		if err != nil {
			return err
		}
		if current != "" {
			if ok, err := CheckPassword(hash, current); err != nil || !ok {
				v.Add("current", "validation.current_password")
			}
		}
		if key, args := passwordProblem(u.Username, next); key != "" {
			v.Add("password", key, args...)
		}
		if err := v.Err(); err != nil {
			return err
		}
		newHash, err := HashPassword(next)
		if err != nil {
			return err
		}
		if err := setPasswordHash(ctx, tx, u.ID, newHash, s.now()); err != nil {
			return err
		}
		after, err := findUserByID(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Change{Entity: entityUser, EntityID: u.ID, Action: audit.Update,
			Before: passwordEvent{User: u, Event: "password_changed"}, After: passwordEvent{User: after, Event: "password_changed"}})
	})
}

// Grant gives username the roles, keeping the ones it has.
func (s *Service) Grant(ctx context.Context, username string, roles ...access.Role) (User, error) {
	return s.changeRoles(ctx, username, func(have []access.Role) []access.Role { return append(have, roles...) }, roles)
}

// Revoke takes roles away from username.
func (s *Service) Revoke(ctx context.Context, username string, roles ...access.Role) (User, error) {
	return s.changeRoles(ctx, username, func(have []access.Role) []access.Role {
		var keep []access.Role
		for _, r := range have {
			drop := false
			for _, x := range roles {
				drop = drop || r == x
			}
			if !drop {
				keep = append(keep, r)
			}
		}
		return keep
	}, roles)
}

func (s *Service) changeRoles(ctx context.Context, username string, change func([]access.Role) []access.Role, roles []access.Role) (User, error) {
	for _, r := range roles {
		if _, ok := access.ParseRole(string(r)); !ok {
			return User{}, errs.Invalidf("roles", "validation.role", "role", string(r))
		}
	}
	var after User
	err := s.db.Tx(ctx, func(tx *db.Tx) error {
		before, _, err := findUserByUsername(ctx, tx, strings.ToLower(strings.TrimSpace(username)))
		if err != nil {
			return err
		}
		if err := replaceRoles(ctx, tx, before.ID, change(before.Roles)); err != nil {
			return err
		}
		if err := bumpVersion(ctx, tx, before.ID, s.now()); err != nil {
			return err
		}
		if after, err = findUserByID(ctx, tx, before.ID); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Change{Entity: entityUser, EntityID: before.ID, Action: audit.Update, Before: before, After: after})
	})
	return after, err
}

// UpdateProfile saves the editable fields of u (display name, e-mail, locale,
// active) if nobody changed the account since u was read.
func (s *Service) UpdateProfile(ctx context.Context, u User) (User, error) {
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	u.Email = strings.TrimSpace(u.Email)
	check := NewUser{Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, Locale: u.Locale, Demo: true}
	if err := check.Validate(); err != nil {
		return User{}, err
	}
	var after User
	err := s.db.Tx(ctx, func(tx *db.Tx) error {
		before, err := findUserByID(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if err := updateUser(ctx, tx, u, s.now()); err != nil {
			return err
		}
		if after, err = findUserByID(ctx, tx, u.ID); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Change{Entity: entityUser, EntityID: u.ID, Action: audit.Update, Before: before, After: after})
	})
	return after, err
}

// SetLocale remembers the user's language choice.
func (s *Service) SetLocale(ctx context.Context, userID int64, locale string) error {
	if locale != "sv" && locale != "en" {
		return errs.Invalidf("locale", "validation.locale")
	}
	for attempt := 0; ; attempt++ {
		u, err := s.User(ctx, userID)
		if err != nil {
			return err
		}
		if u.Locale == locale {
			return nil
		}
		u.Locale = locale
		_, err = s.UpdateProfile(ctx, u)
		// A language switch is the user's own latest wish: retry a lost race once.
		if errors.Is(err, errs.ErrConflict) && attempt == 0 {
			continue
		}
		return err
	}
}

// Authenticate checks a username and password from address addr. It answers
// ErrBadCredentials for every kind of failure and ErrThrottled while the
// username or address is locked after too many failures.
func (s *Service) Authenticate(ctx context.Context, username, password, addr string) (User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" || password == "" || utf8.RuneCountInString(username) > 100 || len(password) > 1024 {
		_, _ = CheckPassword(dummyHash, password)
		return User{}, ErrBadCredentials
	}
	keys := []throttleKey{{"user:" + username, s.throttle.UserFailures}, {"addr:" + addr, s.throttle.AddrFailures}}
	now := s.now()
	for _, k := range keys {
		st, ok, err := findThrottle(ctx, s.db, k.key)
		if err != nil {
			return User{}, err
		}
		if ok && st.lockedUntil.Valid && now.Before(st.lockedUntil.Time) {
			return User{}, ErrThrottled
		}
	}
	u, hash, err := findUserByUsername(ctx, s.db, username)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return User{}, err
	}
	if errors.Is(err, errs.ErrNotFound) {
		hash = dummyHash
	}
	ok, herr := CheckPassword(hash, password)
	if err != nil || herr != nil || !ok || !u.Active {
		if ferr := s.recordFailure(ctx, keys); ferr != nil {
			return User{}, ferr
		}
		return User{}, ErrBadCredentials
	}
	err = s.db.Tx(ctx, func(tx *db.Tx) error {
		if err := clearThrottle(ctx, tx, keys[0].key); err != nil {
			return err
		}
		ctx := access.With(ctx, u.Principal())
		return s.audit.Record(ctx, tx, audit.Change{Entity: entityUser, EntityID: u.ID, Action: audit.Login})
	})
	return u, err
}

// throttleKey is one thing failed logins are counted against, with its limit.
type throttleKey struct {
	key   string
	limit int
}

// recordFailure counts a failed login against every key and locks those over their limit.
func (s *Service) recordFailure(ctx context.Context, keys []throttleKey) error {
	now := s.now()
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		for _, k := range keys {
			key, limit := k.key, k.limit
			st, ok, err := findThrottle(ctx, tx, key)
			if err != nil {
				return err
			}
			if !ok || now.Sub(st.windowStart) > s.throttle.Window {
				st = throttleState{windowStart: now}
			}
			st.failures++
			if limit > 0 && st.failures >= limit {
				st.lockedUntil.Time, st.lockedUntil.Valid = now.Add(s.throttle.Lock), true
			}
			if err := saveThrottle(ctx, tx, key, st, ok); err != nil {
				return err
			}
		}
		return nil
	})
}

// RecordLogout writes the end of a session to the audit log.
func (s *Service) RecordLogout(ctx context.Context, u access.Principal) error {
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		return s.audit.Record(access.With(ctx, u), tx, audit.Change{Entity: entityUser, EntityID: u.UserID, Action: audit.Logout})
	})
}

// tokenPrefix starts every API token so a leaked one is easy to recognise.
const tokenPrefix = "kn_"

// NewToken is the input for creating a personal API token.
type NewToken struct {
	Name      string
	ExpiresAt *time.Time
}

// CreateToken makes a personal API token for userID and returns its secret,
// which is shown once and stored only as a hash.
func (s *Service) CreateToken(ctx context.Context, userID int64, n NewToken) (string, Token, error) {
	n.Name = strings.TrimSpace(n.Name)
	var v errs.ValidationError
	if n.Name == "" {
		v.Add("name", "validation.required")
	} else if utf8.RuneCountInString(n.Name) > 100 {
		v.Add("name", "validation.too_long", "max", 100)
	}
	now := s.now()
	if n.ExpiresAt != nil && !n.ExpiresAt.After(now) {
		v.Add("expires_at", "validation.future_date")
	}
	if err := v.Err(); err != nil {
		return "", Token{}, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", Token{}, fmt.Errorf("token: %w", err)
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	t := Token{UserID: userID, Name: n.Name, Prefix: secret[:len(tokenPrefix)+6], CreatedAt: now, ExpiresAt: n.ExpiresAt}
	err := s.db.Tx(ctx, func(tx *db.Tx) error {
		id, err := insertToken(ctx, tx, t, hashToken(secret))
		if err != nil {
			return err
		}
		t.ID = id
		return s.audit.Record(ctx, tx, audit.Change{Entity: entityToken, EntityID: id, Action: audit.Create, After: t})
	})
	if err != nil {
		return "", Token{}, err
	}
	return secret, t, nil
}

// Tokens lists userID's API tokens.
func (s *Service) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	return listTokens(ctx, s.db, userID)
}

// DeleteToken revokes one of userID's tokens.
func (s *Service) DeleteToken(ctx context.Context, userID, tokenID int64) error {
	return s.db.Tx(ctx, func(tx *db.Tx) error {
		t, err := deleteToken(ctx, tx, userID, tokenID)
		if err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Change{Entity: entityToken, EntityID: t.ID, Action: audit.Delete, Before: t})
	})
}

// UserByToken returns the active user owning the API token secret.
func (s *Service) UserByToken(ctx context.Context, secret string) (User, error) {
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 200 {
		return User{}, errs.ErrUnauthenticated
	}
	t, err := findTokenByHash(ctx, s.db, hashToken(secret))
	if errors.Is(err, errs.ErrNotFound) {
		return User{}, errs.ErrUnauthenticated
	}
	if err != nil {
		return User{}, err
	}
	now := s.now()
	if t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
		return User{}, errs.ErrUnauthenticated
	}
	u, err := findUserByID(ctx, s.db, t.UserID)
	if err != nil {
		return User{}, err
	}
	if !u.Active {
		return User{}, errs.ErrUnauthenticated
	}
	// Record use at most once a minute, so busy clients do not write on every call.
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := touchToken(ctx, s.db, t.ID, now); err != nil {
			return User{}, fmt.Errorf("touch token %d: %w", t.ID, err)
		}
	}
	return u, nil
}

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// SaveUser saves an administrator's edit of an account (name, e-mail, active,
// roles) if nobody changed the account since u was read.
func (s *Service) SaveUser(ctx context.Context, u User) (User, error) {
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	u.Email = strings.TrimSpace(u.Email)
	check := NewUser{Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, Locale: u.Locale, Roles: u.Roles, Demo: true}
	if err := check.Validate(); err != nil {
		return User{}, err
	}
	if p := access.From(ctx); p.UserID == u.ID && (!u.Active || !slices.Contains(u.Roles, access.Admin)) {
		// An administrator cannot lock themselves out by mistake.
		return User{}, errs.Invalidf("roles", "validation.self_lockout")
	}
	var after User
	err := s.db.Tx(ctx, func(tx *db.Tx) error {
		before, err := findUserByID(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		u.Username = before.Username
		if err := updateUser(ctx, tx, u, s.now()); err != nil {
			return err
		}
		if err := replaceRoles(ctx, tx, u.ID, u.Roles); err != nil {
			return err
		}
		if after, err = findUserByID(ctx, tx, u.ID); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Change{Entity: entityUser, EntityID: u.ID, Action: audit.Update, Before: before, After: after})
	})
	return after, err
}
