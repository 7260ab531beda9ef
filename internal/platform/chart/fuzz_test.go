package chart

import (
	"errors"
	"math"
	"testing"
)

// FuzzTicks checks that Ticks never panics and that, when it gives ticks,
// they are strictly increasing, cover the range and are few.
func FuzzTicks(f *testing.F) {
	seeds := []struct {
		lo, hi float64
		n      int
	}{
		{0, 10, 5}, {1, 5, 4}, {58.9, 80, 5}, {0.12, 0.97, 5}, {-3, 7, 5}, {5, 5, 5}, {0, 0, 5},
		{-1e-300, 1e-300, 5}, {1e15, 1e15 + 1, 5}, {-math.MaxFloat64, math.MaxFloat64, 5},
		{math.MaxFloat64 / 2, math.MaxFloat64, 3}, {1e-320, 2e-320, 5}, {3, 2, 5}, {0, 1, 0}, {0, 1, -7}, {0, 1, 1000},
	}
	for _, s := range seeds {
		f.Add(s.lo, s.hi, s.n)
	}
	f.Fuzz(func(t *testing.T, lo, hi float64, n int) {
		ticks, err := Ticks(lo, hi, n)
		if err != nil {
			if !errors.Is(err, ErrRange) && !errors.Is(err, ErrNotFinite) {
				t.Fatalf("Ticks(%g, %g, %d): unexpected error %v", lo, hi, n, err)
			}
			if finite(lo) && finite(hi) && lo <= hi && hi-lo >= 1 && math.Abs(lo) < 1e12 && math.Abs(hi) < 1e12 {
				t.Fatalf("Ticks(%g, %g, %d): %v for an ordinary range", lo, hi, n, err)
			}
			return
		}
		if len(ticks) < 2 {
			t.Fatalf("Ticks(%g, %g, %d) = %v: fewer than 2", lo, hi, n, ticks)
		}
		if want := max(1, min(n, 100)) + 3; len(ticks) > want {
			t.Fatalf("Ticks(%g, %g, %d): %d ticks, want at most %d", lo, hi, n, len(ticks), want)
		}
		if ticks[0] > lo || ticks[len(ticks)-1] < hi {
			t.Fatalf("Ticks(%g, %g, %d) = %v does not cover the range", lo, hi, n, ticks)
		}
		for i := 1; i < len(ticks); i++ {
			if !(ticks[i] > ticks[i-1]) {
				t.Fatalf("Ticks(%g, %g, %d) = %v is not strictly increasing at %d", lo, hi, n, ticks, i)
			}
		}
	})
}
