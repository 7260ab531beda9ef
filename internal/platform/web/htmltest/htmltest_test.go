package htmltest_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
)

// fakeTB records the failures a helper reports instead of failing the test.
type fakeTB struct {
	testing.TB
	failures []string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.failures = append(f.failures, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	runtime.Goexit()
}

// run calls fn with a fakeTB in its own goroutine, as a Fatalf ends it, and
// returns the failures reported.
func run(fn func(tb testing.TB)) []string {
	tb := &fakeTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(tb)
	}()
	<-done
	return tb.failures
}

const page = `<!doctype html>
<html lang="sv">
<head><title>Stöd</title></head>
<body>
<a class="skip" href="#main">Till innehållet</a>
<main id="main">
  <h1>Stöd   i
    katalogen</h1>
  <form action="/katalog" method="get">
    <label for="f-q">Sök</label>
    <input id="f-q" name="q" type="search" value="lex &amp; co">
    <fieldset id="f-kind">
      <legend>Slag</legend>
      <input id="f-kind-a" name="kind" type="checkbox" value="a" checked>
      <label for="f-kind-a">A</label>
      <input id="f-kind-b" name="kind" type="checkbox" value="b">
      <label for="f-kind-b">B</label>
    </fieldset>
    <input type="submit" value="Sök">
  </form>
  <table>
    <caption>2 stöd</caption>
    <thead><tr><th scope="col">Namn</th><th scope="col">Ägare</th></tr></thead>
    <tbody>
      <tr><th scope="row"><a href="/katalog/1">Ett</a></th><td>Anna</td></tr>
      <tr><th scope="row"><a href="/katalog/2">Två</a></th><td>Bertil</td></tr>
    </tbody>
  </table>
</main>
</body>
</html>`

func TestDoc_AllFindsElementsBySelector(t *testing.T) {
	t.Parallel()
	doc := htmltest.Parse(t, page)
	tests := []struct {
		sel  string
		want []string // the text of each match
	}{
		{"main h1", []string{"Stöd i katalogen"}},
		{"h1 main", nil},
		{`label[for="f-q"]`, []string{"Sök"}},
		{"label[for=f-kind-b]", []string{"B"}},
		{"#f-kind legend", []string{"Slag"}},
		{"main table tbody tr td", []string{"Anna", "Bertil"}},
		{"tbody th a[href^='/katalog/']", []string{"Ett", "Två"}},
		{"a.skip", []string{"Till innehållet"}},
		{"input[checked] + label", []string{"A"}},
		{"nav", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, n := range doc.All(tt.sel) {
			got = append(got, htmltest.Text(n))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("All(%q) (-want +got):\n%s", tt.sel, diff)
		}
	}
}

func TestIn_LimitsAQueryToPartOfThePage(t *testing.T) {
	t.Parallel()
	doc := htmltest.Parse(t, page)
	rows := doc.All("tbody tr")
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	if got := htmltest.Attr(htmltest.In(rows[1]).One(t, "th a"), "href"); got != "/katalog/2" {
		t.Errorf("second row links to %q, want /katalog/2", got)
	}
	if got := htmltest.In(rows[0]).All("tr"); len(got) != 0 {
		t.Errorf("a query below a row finds the row itself")
	}
}

func TestAttr_ReadsValuesAndBooleanAttributes(t *testing.T) {
	t.Parallel()
	doc := htmltest.Parse(t, page)
	q, a, b := doc.One(t, "#f-q"), doc.One(t, "#f-kind-a"), doc.One(t, "#f-kind-b")
	if got := htmltest.Attr(q, "value"); got != "lex & co" {
		t.Errorf("value %q, want the entity decoded", got)
	}
	if got := htmltest.Attr(q, "missing"); got != "" {
		t.Errorf("a missing attribute reads %q", got)
	}
	if !htmltest.HasAttr(a, "checked") || htmltest.HasAttr(b, "checked") {
		t.Errorf("checked: a %v, b %v, want true, false", htmltest.HasAttr(a, "checked"), htmltest.HasAttr(b, "checked"))
	}
}

func TestDoc_OneFailsUnlessExactlyOneMatches(t *testing.T) {
	t.Parallel()
	doc := htmltest.Parse(t, page)
	tests := []struct {
		sel  string
		want []string
	}{
		{"main h1", nil},
		{"nav", []string{`0 elements match "nav", want one`}},
		{"tbody tr", []string{`2 elements match "tbody tr", want one`}},
	}
	for _, tt := range tests {
		got := run(func(tb testing.TB) { doc.One(tb, tt.sel) })
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("One(%q) failures (-want +got):\n%s", tt.sel, diff)
		}
	}
}

func TestCheckAccessible_ReportsWhatAPageLacks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		page string
		want []string
	}{
		{"accessible", page, nil},
		{
			"no h1",
			`<main><p>Text</p></main>`,
			[]string{"0 h1 elements, want one, in main"},
		},
		{
			"h1 outside main",
			`<h1>Rubrik</h1><main></main>`,
			[]string{"1 h1 elements, want one, in main"},
		},
		{
			"duplicate id",
			`<main><h1 id="x">Rubrik</h1><p id="x">Text</p></main>`,
			[]string{`id "x" is used twice`},
		},
		{
			"unlabelled fields",
			`<main><h1>Rubrik</h1>
			 <input id="f-a" name="a"><select id="f-b" name="b"></select><textarea name="c"></textarea>
			 <input type="hidden" name="csrf"><input type="submit"></main>`,
			[]string{`input "a" has no label`, `select "b" has no label`, `textarea "c" has no label`},
		},
		{
			"fieldset without legend",
			`<main><h1>Rubrik</h1><fieldset><p>Välj</p></fieldset></main>`,
			[]string{"a fieldset lacks its legend"},
		},
		{
			"table without caption or scope",
			`<main><h1>Rubrik</h1><table><tr><th>Namn</th><td>Anna</td></tr></table></main>`,
			[]string{"a table lacks its caption", `th "Namn" has no scope`},
		},
		{
			"error summary links nowhere",
			`<main><h1>Rubrik</h1><div class="error-summary"><a href="#f-name">Ange ett namn</a><a href="/x">X</a></div></main>`,
			[]string{
				`error summary links to "#f-name", which is not on the page`,
				`error summary links to "/x", which is not on the page`,
			},
		},
	}
	for _, tt := range tests {
		got := run(func(tb testing.TB) { htmltest.CheckAccessible(tb, htmltest.Parse(tb, tt.page)) })
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: failures (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestText_CollapsesWhiteSpace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		want string
	}{
		{"<p>  ett\n\ttvå  </p>", "ett två"},
		{"<p>ett <b>två</b><!-- inte -->tre</p>", "ett tvåtre"},
		{"<p></p>", ""},
	}
	for _, tt := range tests {
		if got := htmltest.Text(htmltest.Parse(t, tt.body).One(t, "p")); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}
