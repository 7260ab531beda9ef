package app

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// widest names the elements, outside boxes that scroll, that reach past 320
// px, to say what to fix.
const widest = `[...document.querySelectorAll('body *')]
	.filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.table-scroll'))
	.slice(0, 8).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 40))`

// TestBrowser_OrganisationPagesReflowAt320 shows the organisation pages 320
// CSS pixels wide (WCAG 2.1 reflow): nothing may need sideways scrolling of
// the page; wide tables scroll inside their own box.
func TestBrowser_OrganisationPagesReflowAt320(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	pages := append(orgPages(t, ta), "/organisation/rapporter/representation", "/organisation/rapporter/kostnad",
		"/organisation/rapporter/personberoende", "/organisation/import")
	b := browsertest.New(t).NewTab(t)
	loginByKeyboard(t, b, ta.srv.URL, "samordnare")
	ctx, cancel := context.WithTimeout(b.Ctx(), 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if err := b.Navigate(ta.srv.URL + p); err != nil {
			t.Fatal(err)
		}
		width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if width > 320 {
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](widest))
			t.Errorf("%s is %d px wide at 320 px; too wide: %q", p, width, wide)
		}
	}
}
