package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// collect is the event listener of the tab. It keeps the console errors:
// calls of console.error, uncaught exceptions and unhandled rejections, and
// browser log entries of the level error, such as a violation of the
// Content-Security-Policy or a resource that failed to load.
//
// The HTTP error status of a document, such as a page that answers 404 or a
// form that answers 422, is not an error here: the page is what the test
// checks. A failed load of /favicon.ico, which the browser asks for by
// itself after the load of the page, is left out too, because it would come
// at a random time.
//
// It runs on the goroutine that reads the messages of the tab, so it must be
// fast and must not call the browser.
func (b *Browser) collect(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		msg = "console." + string(ev.Type) + ": " + formatArgs(ev.Args) + stackPlace(ev.StackTrace)
	case *runtime.EventExceptionThrown:
		msg = "uncaught exception: " + formatException(ev.ExceptionDetails)
	case *network.EventRequestWillBeSent:
		if ev.Type == network.ResourceTypeDocument {
			b.consoleMu.Lock()
			b.documents[ev.RequestID] = true
			b.consoleMu.Unlock()
		}
		return
	case *log.EventEntryAdded:
		e := ev.Entry
		if e == nil || e.Level != log.EntryLevelError || isFavicon(e) {
			return
		}
		if e.Source == log.EntrySourceNetwork && e.NetworkRequestID != "" {
			b.consoleMu.Lock()
			doc := b.documents[e.NetworkRequestID]
			b.consoleMu.Unlock()
			if doc {
				return
			}
		}
		msg = fmt.Sprintf("log (%s): %s", e.Source, e.Text)
		if e.URL != "" {
			msg += " [" + e.URL + "]"
		}
	default:
		return
	}
	b.consoleMu.Lock()
	b.console = append(b.console, msg)
	b.consoleMu.Unlock()
}

// isFavicon reports whether the entry is the failed load of /favicon.ico.
func isFavicon(e *log.Entry) bool {
	if e.Source != log.EntrySourceNetwork || e.URL == "" {
		return false
	}
	u, err := url.Parse(e.URL)
	return err == nil && u.Path == "/favicon.ico"
}

// ConsoleErrors returns the console errors of the tab since it opened or
// since the last ResetConsole, oldest first. The errors of all pages that
// the tab showed are kept: a navigation does not clear them. An HTTP error
// status of a page itself, and a failed load of /favicon.ico, are not
// console errors here; a subresource that fails to load is.
func (b *Browser) ConsoleErrors() []string {
	// A round trip to the page makes the listener see each event that the
	// page sent before it.
	ctx, cancel := b.opCtx()
	_, _ = chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: "0"})
		return chromedp.Void{}, err
	})
	cancel()

	b.consoleMu.Lock()
	defer b.consoleMu.Unlock()
	return slices.Clone(b.console)
}

// ResetConsole forgets the console errors collected so far.
func (b *Browser) ResetConsole() {
	_ = b.ConsoleErrors() // take in the events that are on their way
	b.consoleMu.Lock()
	b.console = nil
	b.consoleMu.Unlock()
}

// formatArgs joins the arguments of a console call as the console shows them.
func formatArgs(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		parts = append(parts, formatValue(a))
	}
	return strings.Join(parts, " ")
}

func formatValue(o *runtime.RemoteObject) string {
	if o == nil {
		return "undefined"
	}
	if len(o.Value) > 0 {
		var s string
		if err := json.Unmarshal(o.Value, &s); err == nil {
			return s
		}
		return string(o.Value)
	}
	if o.UnserializableValue != "" {
		return string(o.UnserializableValue)
	}
	if o.Description != "" {
		return o.Description
	}
	return string(o.Type)
}

func formatException(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	text := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		// The description holds the message and the stack; keep the
		// message.
		text, _, _ = strings.Cut(d.Exception.Description, "\n")
	}
	if d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
		return text + stackPlace(d.StackTrace)
	}
	if d.URL != "" {
		return fmt.Sprintf("%s [%s:%d]", text, d.URL, d.LineNumber+1)
	}
	return text
}

// stackPlace gives the place of the top frame, as " [url:line]".
func stackPlace(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	if f.URL == "" {
		return ""
	}
	return fmt.Sprintf(" [%s:%d]", f.URL, f.LineNumber+1)
}
