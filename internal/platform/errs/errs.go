package errs

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Sentinel errors wrapped (with %w) by stores and services.
var (
	// ErrNotFound means the record asked for does not exist or is not visible.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the record was changed by someone else since it was read.
	ErrConflict = errors.New("changed by someone else")
	// ErrDuplicate means a unique value (name, code, username) is already taken.
	ErrDuplicate = errors.New("already exists")
	// ErrReferenced means the record is still used by other records and cannot be removed.
	ErrReferenced = errors.New("still referenced")
	// ErrForbidden means the user is signed in but lacks the permission.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated means the request carries no valid session or token.
	ErrUnauthenticated = errors.New("not signed in")
	// ErrLocked means the record is locked (approved minutes, a closed case)
	// and can no longer change; corrections are new records.
	ErrLocked = errors.New("locked")
	// ErrTooLarge means the request body or an uploaded file exceeds its limit.
	ErrTooLarge = errors.New("too large")
	// ErrUnavailable means a service the request needs (such as a configured
	// external endpoint) is not configured or does not answer.
	ErrUnavailable = errors.New("unavailable")
)

// Kind classifies an error for the edges.
type Kind int

// The kinds of error, each with one HTTP status.
const (
	Internal Kind = iota
	Invalid
	NotFound
	Conflict
	Duplicate
	Referenced
	Forbidden
	Unauthenticated
	TooLarge
	Locked
	Unavailable
)

// Field is one validation problem with one input field: the field's name as the
// form and the JSON body spell it, and a message-catalogue key with arguments.
type Field struct {
	Name string
	Key  string
	Args []any
}

// ValidationError collects field problems; the zero value is ready to use.
type ValidationError struct {
	Fields []Field
}

// Add records a problem with field name, described by catalogue key and its arguments.
func (v *ValidationError) Add(name, key string, args ...any) {
	v.Fields = append(v.Fields, Field{Name: name, Key: key, Args: args})
}

// Has reports whether field name already has a problem.
func (v *ValidationError) Has(name string) bool {
	for _, f := range v.Fields {
		if f.Name == name {
			return true
		}
	}
	return false
}

// Text checks a text field: when required it must hold more than spaces,
// and it may be at most max characters long.
func (v *ValidationError) Text(name, value string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(value) == "":
		v.Add(name, "validation.required")
	case utf8.RuneCountInString(value) > max:
		v.Add(name, "validation.too_long", "max", max)
	}
}

// Err returns v as an error when it holds problems, else nil.
func (v *ValidationError) Err() error {
	if v == nil || len(v.Fields) == 0 {
		return nil
	}
	return v
}

// Error lists the fields and keys, for logs and tests.
func (v *ValidationError) Error() string {
	parts := make([]string, 0, len(v.Fields))
	for _, f := range v.Fields {
		parts = append(parts, f.Name+": "+f.Key)
	}
	return "invalid input: " + strings.Join(parts, ", ")
}

// Invalidf returns a validation error for a single field.
func Invalidf(name, key string, args ...any) error {
	v := &ValidationError{}
	v.Add(name, key, args...)
	return v
}

// AsValidation returns the validation error inside err, if any.
func AsValidation(err error) (*ValidationError, bool) {
	var v *ValidationError
	if errors.As(err, &v) {
		return v, true
	}
	return nil, false
}

// KindOf classifies err; anything unrecognised is Internal.
func KindOf(err error) Kind {
	if _, ok := AsValidation(err); ok {
		return Invalid
	}
	switch {
	case errors.Is(err, ErrNotFound):
		return NotFound
	case errors.Is(err, ErrConflict):
		return Conflict
	case errors.Is(err, ErrDuplicate):
		return Duplicate
	case errors.Is(err, ErrReferenced):
		return Referenced
	case errors.Is(err, ErrForbidden):
		return Forbidden
	case errors.Is(err, ErrUnauthenticated):
		return Unauthenticated
	case errors.Is(err, ErrTooLarge):
		return TooLarge
	case errors.Is(err, ErrLocked):
		return Locked
	case errors.Is(err, ErrUnavailable):
		return Unavailable
	}
	return Internal
}

// Status is the HTTP status for a kind.
func (k Kind) Status() int {
	switch k {
	case Invalid:
		return http.StatusUnprocessableEntity
	case NotFound:
		return http.StatusNotFound
	case Conflict, Duplicate, Referenced, Locked:
		return http.StatusConflict
	case Forbidden:
		return http.StatusForbidden
	case Unauthenticated:
		return http.StatusUnauthorized
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	case Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Key is the message-catalogue key that tells a person what went wrong.
func (k Kind) Key() string {
	switch k {
	case Invalid:
		return "error.invalid"
	case NotFound:
		return "error.not_found"
	case Conflict:
		return "error.conflict"
	case Duplicate:
		return "error.duplicate"
	case Referenced:
		return "error.referenced"
	case Forbidden:
		return "error.forbidden"
	case Unauthenticated:
		return "error.unauthenticated"
	case TooLarge:
		return "error.too_large"
	case Locked:
		return "error.locked"
	case Unavailable:
		return "error.unavailable"
	}
	return "error.internal"
}

// String names the kind, as used in problem+json type URIs.
func (k Kind) String() string {
	return strings.TrimPrefix(k.Key(), "error.")
}

// Wrap adds context to err in the project's style, keeping nil as nil.
func Wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
