package htmltest

import (
	"strings"
	"testing"
)

// CheckAccessible reports, as test errors, where a page lacks the structure
// every page owes its readers: one h1, in main; unique ids; a label for every
// field; a legend for every fieldset; captions and scoped headers in tables;
// and error-summary links that lead to an element on the page.
func CheckAccessible(tb testing.TB, doc *Doc) {
	tb.Helper()
	if h1 := doc.All("h1"); len(h1) != 1 || len(doc.All("main h1")) != 1 {
		tb.Errorf("%d h1 elements, want one, in main", len(h1))
	}
	ids := map[string]bool{}
	for _, n := range doc.All("[id]") {
		id := Attr(n, "id")
		if ids[id] {
			tb.Errorf("id %q is used twice", id)
		}
		ids[id] = true
	}
	for _, tag := range []string{"input", "select", "textarea"} {
		for _, f := range doc.All("main " + tag) {
			if typ := Attr(f, "type"); typ == "hidden" || typ == "submit" {
				continue
			}
			if len(doc.All(`label[for="`+Attr(f, "id")+`"]`)) != 1 {
				tb.Errorf("%s %q has no label", tag, Attr(f, "name"))
			}
		}
	}
	for _, fs := range doc.All("main fieldset") {
		if len(In(fs).All("legend")) != 1 {
			tb.Errorf("a fieldset lacks its legend")
		}
	}
	for _, table := range doc.All("main table") {
		if len(In(table).All("caption")) != 1 {
			tb.Errorf("a table lacks its caption")
		}
		for _, th := range In(table).All("th") {
			if scope := Attr(th, "scope"); scope != "col" && scope != "row" {
				tb.Errorf("th %q has no scope", Text(th))
			}
		}
	}
	for _, a := range doc.All(".error-summary a") {
		href := Attr(a, "href")
		id, ok := strings.CutPrefix(href, "#")
		if !ok || !ids[id] {
			tb.Errorf("error summary links to %q, which is not on the page", href)
		}
	}
}
