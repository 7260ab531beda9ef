package org_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// BenchmarkPages measures the organisation tree (whole and searched) and the
// national structure page, rendered over HTTP, on the large organisation of
// seedBench. Target: the tree page under 100 ms.
func BenchmarkPages(b *testing.B) {
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.Open(b, e)
			seedBench(b, d)
			s := newSite(b, d)
			c := s.login(b, "sara")
			for _, path := range []string{"/organisation", "/organisation?q=" + url.QueryEscape("Enhet 0004"), "/organisation/nationell-struktur"} {
				b.Run(path, func(b *testing.B) {
					for b.Loop() {
						if res, body := s.get(b, c, path); res.StatusCode != http.StatusOK {
							b.Fatalf("status %d\n%s", res.StatusCode, body)
						}
					}
				})
			}
		})
	}
}
