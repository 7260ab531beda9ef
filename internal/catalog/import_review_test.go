package catalog_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
)

// checkImportPage fails where an import page lacks the structure every page
// owes its readers (htmltest.CheckAccessible), or where a link of its error
// summary leads to an element that cannot take the focus.
func checkImportPage(t *testing.T, what string, res *http.Response, body string) {
	t.Helper()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "<html") {
		return
	}
	doc := htmltest.Parse(t, body)
	htmltest.CheckAccessible(t, doc)
	for _, a := range doc.All(".error-summary a") {
		id, ok := strings.CutPrefix(htmltest.Attr(a, "href"), "#")
		if !ok {
			continue
		}
		for _, n := range doc.All(`[id="` + id + `"]`) {
			switch {
			case n.Data == "input" || n.Data == "select" || n.Data == "textarea" || n.Data == "button":
			case htmltest.HasAttr(n, "tabindex"):
			default:
				t.Errorf("%s: the error summary links to %s, a %s that cannot take the focus", what, id, n.Data)
			}
		}
	}
}
