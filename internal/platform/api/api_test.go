package api

import (
	"errors"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

func TestCursor_RoundTrip(t *testing.T) {
	t.Parallel()
	for _, id := range []int64{1, 42, 1 << 40} {
		got, err := DecodeCursor(EncodeCursor(id))
		if err != nil || got != id {
			t.Errorf("round trip %d = %d, %v", id, got, err)
		}
	}
	if EncodeCursor(0) != "" {
		t.Error("cursor of 0 must be empty (last page)")
	}
	for _, bad := range []string{"zzzz", "!!", EncodeCursor(5) + "x", "aWQ6LTE"} {
		if _, err := DecodeCursor(bad); err == nil {
			t.Errorf("DecodeCursor(%q) accepted", bad)
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add("")
	f.Add(EncodeCursor(7))
	f.Add("aWQ6")
	f.Fuzz(func(t *testing.T, c string) {
		id, err := DecodeCursor(c)
		if err == nil && c != "" && (id <= 0 || EncodeCursor(id) == "") {
			t.Fatalf("DecodeCursor(%q) = %d without error", c, id)
		}
	})
}

func TestFieldLocation_NamesMissingField(t *testing.T) {
	t.Parallel()
	tests := []struct{ loc, msg, want string }{
		{"body", "expected required property display_name to be present", "body.display_name"},
		{"body.x", "expected string", "body.x"},
		{"", "expected required property name to be present", "name"},
	}
	for _, tt := range tests {
		if got := fieldLocation(tt.loc, tt.msg); got != tt.want {
			t.Errorf("fieldLocation(%q, %q) = %q, want %q", tt.loc, tt.msg, got, tt.want)
		}
	}
}

func TestInQuery_RenamesFields(t *testing.T) {
	t.Parallel()
	err := InQuery(errs.Invalidf("cursor", "validation.cursor"))
	v, ok := errs.AsValidation(err)
	if !ok || !v.Has("query.cursor") {
		t.Fatalf("InQuery = %v", err)
	}
	plain := errors.New("x")
	if InQuery(plain) != plain {
		t.Fatal("non-validation errors must pass through")
	}
}
