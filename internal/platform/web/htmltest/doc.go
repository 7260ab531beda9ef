// Package htmltest supports tests that assert what a page shows by CSS
// selector (main h1, label[for=f-name]) rather than by string matching. It
// parses a response body with golang.org/x/net/html, queries it with
// github.com/andybalholm/cascadia, and checks the structure every page owes
// its readers (CheckAccessible). Only tests import it.
package htmltest
