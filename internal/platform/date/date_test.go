package date

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDate_ParseFormatScan(t *testing.T) {
	t.Parallel()
	d, err := Parse("2026-11-23")
	if err != nil || d.String() != "2026-11-23" {
		t.Fatalf("Parse = %v, %v", d, err)
	}
	for _, bad := range []string{"2026-13-01", "23/11/2026", "2026-02-30", "x"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if z, err := Parse(" "); err != nil || !z.IsZero() {
		t.Errorf("empty: %v %v", z, err)
	}
	var s Date
	for _, src := range []any{"2026-11-23", []byte("2026-11-23"), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), "2026-11-23 00:00:00+00:00"} {
		if err := s.Scan(src); err != nil || s != d {
			t.Errorf("Scan(%v) = %v, %v", src, s, err)
		}
	}
	b, _ := json.Marshal(struct{ D Date }{d})
	if string(b) != `{"D":"2026-11-23"}` {
		t.Errorf("json: %s", b)
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Errorf("zero Value = %v, want NULL", v)
	}
	if !d.Before(d.AddDays(1)) || Of(time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC), time.FixedZone("CET", 3600)).String() != "2026-11-24" {
		t.Error("arithmetic")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("2026-11-23")
	f.Add("0000-01-01")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err == nil && !d.IsZero() {
			again, err := Parse(d.String())
			if err != nil || again != d {
				t.Fatalf("round trip of %q: %v %v", s, again, err)
			}
		}
	})
}
