package access

import (
	"context"
	"testing"
)

func TestPrincipal_Can(t *testing.T) {
	t.Parallel()
	anon := Principal{}
	admin := Principal{UserID: 1, Roles: []Role{Admin}}
	auditor := Principal{UserID: 2, Roles: []Role{Auditor}}
	unit := Principal{UserID: 3, Roles: []Role{Unit}}
	tests := []struct {
		name string
		p    Principal
		perm Permission
		want bool
	}{
		{"anonymous public", anon, Public, true},
		{"anonymous signed-in", anon, SignedIn, false},
		{"anonymous audit", anon, AuditRead, false},
		{"admin holds everything", admin, AuditRead, true},
		{"admin admin-only", admin, AdminOnly, true},
		{"auditor reads audit", auditor, AuditRead, true},
		{"auditor is no admin", auditor, AdminOnly, false},
		{"unit cannot read audit", unit, AuditRead, false},
		{"unit signed in", unit, SignedIn, true},
		{"role without id is anonymous", Principal{Roles: []Role{Admin}}, SignedIn, false},
	}
	for _, tt := range tests {
		if got := tt.p.Can(tt.perm); got != tt.want {
			t.Errorf("%s: Can = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestContext_DefaultsToAnonymous(t *testing.T) {
	t.Parallel()
	if !From(context.Background()).Anonymous() {
		t.Fatal("empty context must be anonymous")
	}
	ctx := With(context.Background(), Principal{UserID: 9, Username: "x"})
	if From(ctx).UserID != 9 {
		t.Fatal("principal lost")
	}
}

func TestParseRole(t *testing.T) {
	t.Parallel()
	for _, r := range Roles {
		if got, ok := ParseRole(string(r)); !ok || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, ok)
		}
	}
	if _, ok := ParseRole("superuser"); ok {
		t.Error("unknown role parsed")
	}
}
