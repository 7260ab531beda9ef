package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Tab presses the Tab key.
func (b *Browser) Tab() error { return b.press("Tab", kb.Tab) }

// ShiftTab presses Shift+Tab.
func (b *Browser) ShiftTab() error {
	return b.press("Shift+Tab", kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
}

// Enter presses the Enter key. When the key starts a navigation, such as the
// submission of a form or the activation of a link, Enter waits until the
// new page has loaded.
func (b *Browser) Enter() error { return b.press("Enter", kb.Enter) }

// Type types the text into the focused element, one key press a character.
// A newline presses Enter, with the wait of [Browser.Enter].
func (b *Browser) Type(text string) error { return b.press(fmt.Sprintf("typing %q", text), text) }

// navTrackerJS marks, in the page, the key presses that plan a navigation: a
// form submission or the activation of a link. Both run a task later, so the
// protocol events of the navigation can come after the key press returns. The
// listeners see the events when they are dispatched, and the check after the
// key press reads whether the page let them go on.
const navTrackerJS = `(() => {
	const k = "__kunskapsnavBrowsertest";
	if (!window[k]) {
		const s = {last: null};
		window[k] = s;
		addEventListener("submit", e => { s.last = e; }, true);
		addEventListener("click", e => { s.last = e; }, true);
	}
	window[k].last = null;
	return 0;
})()`

// navPlannedJS tells whether the last submit or click after navTrackerJS will
// navigate this tab.
const navPlannedJS = `(() => {
	const s = window.__kunskapsnavBrowsertest;
	const e = s && s.last;
	if (!e || e.defaultPrevented) return false;
	const samePlace = t => !t || t === "_self" || (t === "_top" && window.top === window) || (t === "_parent" && window.parent === window);
	if (e.type === "submit") {
		const f = e.target;
		const submitter = e.submitter;
		const method = ((submitter && submitter.getAttribute("formmethod")) || f.method || "").toLowerCase();
		if (method === "dialog") return false;
		const target = (submitter && submitter.getAttribute("formtarget")) || f.target;
		return samePlace(target);
	}
	const a = e.target instanceof Element && e.target.closest("a[href], area[href]");
	if (!a || a.hasAttribute("download")) return false;
	return samePlace(a.target);
})()`

// press sends the keys as real key events (Input.dispatchKeyEvent). If the
// keys start a navigation of the tab, it waits until the new document has
// loaded, or a navigation within the document has finished.
func (b *Browser) press(what, keys string, opts ...chromedp.KeyOption) error {
	ctx, cancel := b.opCtx()
	defer cancel()

	frame, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (cdp.FrameID, error) {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return "", err
		}
		if tree.FrameTree == nil || tree.FrameTree.Frame == nil {
			return "", errors.New("the tab has no main frame")
		}
		if _, err := evalValue[chromedp.Void](ctx, t, navTrackerJS, false); err != nil {
			return "", err
		}
		return tree.FrameTree.Frame.ID, nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}

	w := &navWatch{frame: frame, done: make(chan struct{})}
	lctx, lcancel := context.WithCancel(ctx)
	defer lcancel()
	if err := chromedp.Listen(lctx, w.handle); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}

	planned, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (bool, error) {
		if _, err := chromedp.KeyEvent(keys, opts...)(ctx, t); err != nil {
			return false, err
		}
		// The answer also orders the events: the listener has seen each
		// event that the page sent before it. The document may be going
		// away, so an error only means that it is.
		planned, err := evalValue[bool](ctx, t, navPlannedJS, false)
		return planned && err == nil, nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if !planned && !w.started() {
		return nil
	}
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: waiting for the page that the key press navigates to: %w", what, ctx.Err())
	}
}

// navWatch follows the events of a navigation of the main frame.
type navWatch struct {
	frame cdp.FrameID

	mu      sync.Mutex
	begun   bool // a navigation of the main frame was requested or started
	done    chan struct{}
	closed  bool
	loading bool // the new document started to load
}

func (w *navWatch) started() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.begun
}

func (w *navWatch) handle(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev := ev.(type) {
	case *page.EventFrameRequestedNavigation:
		if ev.FrameID == w.frame && ev.Disposition == page.ClientNavigationDispositionCurrentTab {
			w.begun = true
		}
	case *page.EventFrameStartedNavigating:
		if ev.FrameID == w.frame {
			w.begun = true
		}
	case *page.EventFrameStartedLoading:
		if ev.FrameID == w.frame {
			w.begun = true
			w.loading = true
		}
	case *page.EventNavigatedWithinDocument:
		if ev.FrameID == w.frame {
			w.finish()
		}
	case *page.EventLoadEventFired:
		if w.loading {
			w.finish()
		}
	case *page.EventFrameStoppedLoading:
		if ev.FrameID == w.frame && w.loading {
			w.finish()
		}
	}
}

func (w *navWatch) finish() {
	if !w.closed {
		w.closed = true
		close(w.done)
	}
}

// FocusedSelectorMatches reports whether the focused element
// (document.activeElement) matches the CSS selector.
func (b *Browser) FocusedSelectorMatches(sel string) (bool, error) {
	ok, err := b.evalBool(`(sel) => { const e = document.activeElement; return !!e && e.matches(sel); }`, sel)
	if err != nil {
		return false, fmt.Errorf("focused element matches %q: %w", sel, err)
	}
	return ok, nil
}

// describeFocusJS names the focused element for error messages.
const describeFocusJS = `(() => {
	const e = document.activeElement;
	if (!e || e === document.body) return "body";
	let s = e.tagName.toLowerCase();
	if (e.id) s += "#" + e.id;
	for (const a of ["name", "type", "href"]) {
		if (e.hasAttribute(a)) s += "[" + a + "=" + JSON.stringify(e.getAttribute(a)) + "]";
	}
	const text = (e.innerText || e.value || "").trim().slice(0, 30);
	if (text) s += " " + JSON.stringify(text);
	return s;
})()`

// TabTo presses Tab until the focused element matches the CSS selector, at
// most max times. It presses nothing when the element has the focus already.
// The error lists the elements that the focus went through.
func (b *Browser) TabTo(sel string, max int) error {
	var path []string
	for i := 0; ; i++ {
		ok, err := b.FocusedSelectorMatches(sel)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if i == max {
			break
		}
		if err := b.Tab(); err != nil {
			return err
		}
		ctx, cancel := b.opCtx()
		d, err := chromedp.Run(ctx, chromedp.Evaluate[string](describeFocusJS))
		cancel()
		if err != nil {
			d = "(" + err.Error() + ")"
		}
		path = append(path, d)
	}
	return fmt.Errorf("no focus on %q after %d Tab presses; the focus went: %s", sel, max, strings.Join(path, " → "))
}

// evalBool calls the JavaScript function fn with the string argument arg, and
// decodes its boolean result.
func (b *Browser) evalBool(fn, arg string) (bool, error) {
	return evalCall[bool](b, fn, arg)
}

// evalCall calls the JavaScript function fn with the string argument arg in
// the main world of the page, and decodes its result into T.
func evalCall[T any](b *Browser, fn, arg string) (T, error) {
	a, err := json.Marshal(arg)
	if err != nil {
		var zero T
		return zero, err
	}
	ctx, cancel := b.opCtx()
	defer cancel()
	return chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (T, error) {
		return evalValue[T](ctx, t, "("+fn+")("+string(a)+")", false)
	})
}
