package auth

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// User is a local account. It never carries the password hash, so it can be
// shown, logged in the audit trail and returned by the API as it is.
type User struct {
	ID          int64         `json:"id"`
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	Email       string        `json:"email"`
	Locale      string        `json:"locale"`
	Active      bool          `json:"active"`
	Demo        bool          `json:"demo"`
	Roles       []access.Role `json:"roles"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
	Version     int64         `json:"version"`
}

// Principal is the user as a request's access principal.
func (u User) Principal() access.Principal {
	return access.Principal{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Roles: u.Roles}
}

// NewUser is the input for creating an account.
type NewUser struct {
	Username    string
	DisplayName string
	Email       string
	Password    string
	Roles       []access.Role
	Locale      string
	Demo        bool
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// MinPasswordLength is the shortest password a person may choose.
const MinPasswordLength = 10

// Normalize trims fields and lower-cases the username.
func (n *NewUser) Normalize() {
	n.Username = strings.ToLower(strings.TrimSpace(n.Username))
	n.DisplayName = strings.TrimSpace(n.DisplayName)
	n.Email = strings.TrimSpace(n.Email)
	if n.Locale == "" {
		n.Locale = "sv"
	}
	slices.Sort(n.Roles)
	n.Roles = slices.Compact(n.Roles)
}

// Validate checks the new account; demo accounts may have short passwords.
func (n NewUser) Validate() error {
	var v errs.ValidationError
	if !usernamePattern.MatchString(n.Username) {
		v.Add("username", "validation.username")
	}
	if n.DisplayName == "" {
		v.Add("display_name", "validation.required")
	} else if utf8.RuneCountInString(n.DisplayName) > 200 {
		v.Add("display_name", "validation.too_long", "max", 200)
	}
	if n.Email != "" {
		if _, err := mail.ParseAddress(n.Email); err != nil || strings.ContainsAny(n.Email, " <>") {
			v.Add("email", "validation.email")
		}
	}
	if !n.Demo {
		if key, args := passwordProblem(n.Username, n.Password); key != "" {
			v.Add("password", key, args...)
		}
	}
	for _, r := range n.Roles {
		if _, ok := access.ParseRole(string(r)); !ok {
			v.Add("roles", "validation.role", "role", string(r))
		}
	}
	if n.Locale != "sv" && n.Locale != "en" {
		v.Add("locale", "validation.locale")
	}
	return v.Err()
}

// passwordProblem returns the catalogue key describing why password is too
// weak, or "" if it is acceptable.
func passwordProblem(username, password string) (string, []any) {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return "validation.password_short", []any{"min", MinPasswordLength}
	}
	if len(password) > 256 {
		return "validation.too_long", []any{"max", 256}
	}
	if strings.EqualFold(password, username) {
		return "validation.password_username", nil
	}
	return "", nil
}
