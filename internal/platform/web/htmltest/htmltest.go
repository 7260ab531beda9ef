package htmltest

import (
	"strings"
	"testing"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Doc is a parsed page, or part of one, to query by CSS selector.
type Doc struct {
	root *html.Node
}

// Parse parses body as an HTML document, failing the test if it cannot.
func Parse(tb testing.TB, body string) *Doc {
	tb.Helper()
	root, err := html.Parse(strings.NewReader(body))
	if err != nil {
		tb.Fatalf("parse page: %v\n%s", err, body)
	}
	return &Doc{root: root}
}

// In returns the part of a page below n, so that a query can be limited to it.
func In(n *html.Node) *Doc {
	return &Doc{root: n}
}

// All returns the elements below the document's root that match the CSS
// selector sel, in document order. It panics if sel is not a valid selector,
// which is a mistake in the test.
func (d *Doc) All(sel string) []*html.Node {
	m, err := cascadia.ParseGroup(sel)
	if err != nil {
		panic("htmltest: selector " + sel + ": " + err.Error())
	}
	return cascadia.QueryAll(d.root, m)
}

// One returns the element that matches sel, failing the test unless exactly
// one element does.
func (d *Doc) One(tb testing.TB, sel string) *html.Node {
	tb.Helper()
	found := d.All(sel)
	if len(found) != 1 {
		tb.Fatalf("%d elements match %q, want one", len(found), sel)
	}
	return found[0]
}

// Text returns the text content of n with each run of white space made one
// space and none at either end.
func Text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// Attr returns the value of n's attribute name, or "" if n has none.
func Attr(n *html.Node, name string) string {
	v, _ := lookup(n, name)
	return v
}

// HasAttr reports whether n has the attribute name, such as a boolean
// attribute like checked that has no value.
func HasAttr(n *html.Node, name string) bool {
	_, ok := lookup(n, name)
	return ok
}

func lookup(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}
