package org

import (
	"math"
	"net/url"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

func TestFormShare_DecimalCommaOrPoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"12,5", 12.5, true},
		{"12.5", 12.5, true},
		{"12,5 %", 12.5, true},
		{" 100 ", 100, true},
		{"0,25", 0.25, true},
		{"", 0, true},
		{"-1", -1, true}, // read, then refused by Membership.Validate
		{"12,555", 0, false},
		{"1e2", 0, false},
		{"NaN", 0, false},
		{"tolv", 0, false},
		{"12,5,5", 0, false},
	}
	for _, tt := range tests {
		form := &web.Form{Values: url.Values{"share": {tt.in}}}
		got := formShare(form, "share")
		if ok := !form.HasErrors(); ok != tt.ok || got != tt.want {
			t.Errorf("formShare(%q) = %v, ok %v; want %v, ok %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzFormShare(f *testing.F) {
	for _, s := range []string{"12,5", "100", "", "-0,01", "999999,99", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		form := &web.Form{Values: url.Values{"share": {s}}}
		got := formShare(form, "share")
		if math.IsNaN(got) || math.IsInf(got, 0) || math.Abs(got) >= 1_000_000 {
			t.Fatalf("formShare(%q) = %v", s, got)
		}
		if form.HasErrors() && got != 0 {
			t.Fatalf("formShare(%q) = %v with an error", s, got)
		}
	})
}
