package web

import (
	"testing"
)

func TestLocalPath_OnlyThisSite(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"/konto", "/konto"},
		{"/logg?entity=user", "/logg?entity=user"},
		{"", "/"},
		{"konto", "/"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"/ok\r\nSet-Cookie: x", "/"},
	}
	for _, tt := range tests {
		if got := LocalPath(tt.in, "/"); got != tt.want {
			t.Errorf("LocalPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "//x", "/\\x", "http://x", "/a?b=c", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := LocalPath(p, "/")
		if len(got) == 0 || got[0] != '/' || (len(got) > 1 && (got[1] == '/' || got[1] == '\\')) {
			t.Fatalf("LocalPath(%q) = %q leaves the site", p, got)
		}
	})
}

func TestFieldView_NeverEchoesPasswords(t *testing.T) {
	t.Parallel()
	f := NewForm()
	f.Set("password", "hemligt")
	f.Set("username", "anna")
	f.AddError("username", "validation.username")
	if v := newFieldView(f, "password", "auth.password", "type=password"); v.Value != "" {
		t.Errorf("password value echoed: %q", v.Value)
	}
	v := newFieldView(f, "username", "auth.username", "required", "autocomplete=username", "hint=x.y")
	if v.Value != "anna" || v.Error == nil || !v.Required || v.Autocomplete != "username" || v.Hint != "x.y" || v.ID != "f-username" {
		t.Errorf("field view: %+v", v)
	}
}
