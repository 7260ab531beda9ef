package errs

import (
	"fmt"
	"net/http"
	"testing"
)

func TestKindOf_MapsWrappedErrorsToStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		err    error
		kind   Kind
		status int
	}{
		{"not found", fmt.Errorf("find user 7: %w", ErrNotFound), NotFound, http.StatusNotFound},
		{"conflict", fmt.Errorf("update: %w", ErrConflict), Conflict, http.StatusConflict},
		{"duplicate", ErrDuplicate, Duplicate, http.StatusConflict},
		{"referenced", ErrReferenced, Referenced, http.StatusConflict},
		{"forbidden", ErrForbidden, Forbidden, http.StatusForbidden},
		{"unauthenticated", ErrUnauthenticated, Unauthenticated, http.StatusUnauthorized},
		{"too large", ErrTooLarge, TooLarge, http.StatusRequestEntityTooLarge},
		{"invalid", fmt.Errorf("create: %w", Invalidf("name", "validation.required")), Invalid, http.StatusUnprocessableEntity},
		{"other", fmt.Errorf("disk on fire"), Internal, http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := KindOf(tt.err); got != tt.kind {
				t.Errorf("KindOf = %v, want %v", got, tt.kind)
			}
			if got := KindOf(tt.err).Status(); got != tt.status {
				t.Errorf("Status = %d, want %d", got, tt.status)
			}
		})
	}
}

func TestValidationError_EmptyIsNil(t *testing.T) {
	t.Parallel()
	var v ValidationError
	if v.Err() != nil {
		t.Fatal("empty validation error must be nil")
	}
	v.Add("email", "validation.email")
	if v.Err() == nil || !v.Has("email") || v.Has("name") {
		t.Fatalf("unexpected state: %v", v.Fields)
	}
}
