package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// bigPeopleCSV is an import of n people, each row padded to about 120 bytes.
func bigPeopleCSV(n int) string {
	var b strings.Builder
	b.WriteString("namn;titel;e-post;hsa-id\r\n")
	for i := range n {
		fmt.Fprintf(&b, "Person %05d;Specialistsjuksköterska inom kunskapsstyrning;person%05d@example.se;SE2321000207-P%05d\r\n", i, i, i)
	}
	return b.String()
}

// TestUploadLimit_ImportLargerThanServerLimit imports a file larger than the
// server-wide body limit (1 MiB) through the page and the API: the import
// routes declare their own limit.
func TestUploadLimit_ImportLargerThanServerLimit(t *testing.T) {
	t.Parallel()
	const people = 11_000
	file := bigPeopleCSV(people)
	if len(file) <= 1<<20 {
		t.Fatalf("file is only %d bytes", len(file))
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		c := ta.login(t, "samordnare")
		res, page := ta.upload(t, c, "people", "personer.csv", file)
		if res.StatusCode != http.StatusOK || !confirmAction.MatchString(page) {
			t.Fatalf("page import of %d bytes: %d\n%.2000s", len(file), res.StatusCode, page)
		}
		res, out := ta.importAPI(t, ta.token(t, "samordnare"), "/api/v1/import/people", "text/csv", []byte(file))
		if res.StatusCode != http.StatusOK || out["new"] != float64(people) {
			t.Fatalf("API import of %d bytes: %d %v", len(file), res.StatusCode, out["errors"])
		}
	})
}

// TestUploadLimit_OverTheRouteLimitIs413 sends more than the import routes
// take: the page shows the form again with the limit at the file field, the
// API answers with a problem naming the limit.
func TestUploadLimit_OverTheRouteLimitIs413(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	huge := bigPeopleCSV(120_000) // about 12.5 MB, over the 10 MiB file limit and the page's 11 MiB
	c := ta.login(t, "samordnare")
	res, page := ta.upload(t, c, "people", "personer.csv", huge)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "Filen är större än 10 MB.") ||
		!strings.Contains(page, `id="f-file-error"`) {
		t.Fatalf("page: %d, want 413 with the limit at the file field\n%.3000s", res.StatusCode, page)
	}
	res, out := ta.importAPI(t, ta.token(t, "samordnare"), "/api/v1/import/people", "text/csv", []byte(huge))
	if res.StatusCode != http.StatusRequestEntityTooLarge || out["detail"] != "Här tas högst 10 MB emot." {
		t.Fatalf("API: %d %v, want 413 naming the limit", res.StatusCode, out)
	}
}

// TestUploadLimit_RoutesListTheirLimit checks that the route listing shows
// which routes take larger bodies, pages and API alike.
func TestUploadLimit_RoutesListTheirLimit(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	want := map[string]int64{
		"POST /organisation/import":               11 << 20,
		"POST /api/v1/import/{kind}":              10 << 20,
		"POST /organisation/personer/ny":          0,
		"POST /api/v1/me/tokens":                  0,
		"POST /organisation/import/{id}/bekrafta": 0,
	}
	for _, r := range ta.Web.Routes() {
		key := r.Method + " " + r.Path
		if limit, ok := want[key]; ok {
			if r.MaxBody != limit {
				t.Errorf("%s: MaxBody %d, want %d", key, r.MaxBody, limit)
			}
			delete(want, key)
		}
	}
	for key := range want {
		t.Errorf("route %s is not listed", key)
	}
}
