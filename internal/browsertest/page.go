package browsertest

import (
	"errors"
	"fmt"

	"github.com/chromedp/chromedp"
)

// errNoElement is the error of Text when no element matches.
var errNoElement = errors.New("no element matches")

// Text returns the rendered text (innerText) of the first element that
// matches the CSS selector, without leading and trailing white space. It
// does not wait for the element: it fails when none matches.
func (b *Browser) Text(sel string) (string, error) {
	s, err := evalCall[*string](b, `(sel) => { const e = document.querySelector(sel); return e ? e.innerText.trim() : null; }`, sel)
	if err != nil {
		return "", fmt.Errorf("text of %q: %w", sel, err)
	}
	if s == nil {
		return "", fmt.Errorf("text of %q: %w", sel, errNoElement)
	}
	return *s, nil
}

// Location returns the URL of the page in the tab.
func (b *Browser) Location() (string, error) {
	ctx, cancel := b.opCtx()
	defer cancel()
	return chromedp.Run(ctx, chromedp.Location())
}

// Links returns the absolute URLs of the href attributes of the elements that
// match the CSS selector, in document order. Elements without href are left
// out.
func (b *Browser) Links(sel string) ([]string, error) {
	links, err := evalCall[[]string](b, `(sel) => Array.from(document.querySelectorAll(sel))
		.filter(e => e.hasAttribute("href"))
		.map(e => new URL(e.getAttribute("href"), document.baseURI).href)`, sel)
	if err != nil {
		return nil, fmt.Errorf("links of %q: %w", sel, err)
	}
	return links, nil
}
