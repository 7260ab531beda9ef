package forum_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// GET /api/v1/cases pages through every case in registration order.
func TestCaseAPI_ListIsPaged(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMunSite(t, d)
		rut := s.login(t, "rut")
		var want []float64
		for _, title := range []string{"Första", "Andra", "Tredje"} {
			want = append(want, float64(s.newCase(t, title, munToday.AddDays(-10))))
		}
		var got []float64
		cursor := ""
		for pages := 0; pages < 5; pages++ {
			page := s.api(t, rut, http.MethodGet, "/cases?limit=2&cursor="+url.QueryEscape(cursor), "", http.StatusOK)
			for _, it := range page["items"].([]any) {
				got = append(got, it.(map[string]any)["id"].(float64))
			}
			next, _ := page["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		if len(got) != len(want) {
			t.Fatalf("paged cases %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("paged cases %v, want %v", got, want)
			}
		}
		s.api(t, rut, http.MethodGet, "/cases?cursor=inte-en-markör", "", http.StatusUnprocessableEntity)
	})
}
