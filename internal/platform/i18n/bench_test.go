package i18n_test

import (
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// A page calls T a hundred times or so; these keep that cheap.
func BenchmarkCatalog_T(b *testing.B) {
	c, err := i18n.LoadFS(catalogFS(testSV, testEN))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			c.T(i18n.SV, "literal")
		}
	})
	b.Run("placeholders", func(b *testing.B) {
		for b.Loop() {
			c.T(i18n.SV, "greeting", "name", "Anna", "count", 12345)
		}
	})
	b.Run("plural", func(b *testing.B) {
		for b.Loop() {
			c.N(i18n.EN, "items.in", 3, "place", "Kalmar")
		}
	})
}
