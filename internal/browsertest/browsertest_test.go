package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// strictCSP is a policy like the one the app sends: no inline scripts or
// styles and no eval.
const strictCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// htmlPage serves body as an HTML page with the strict policy.
func htmlPage(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", strictCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

func serve(t *testing.T, mux *http.ServeMux) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

const accessiblePage = `<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><title>Kunskapsnav – start</title>
<link rel="stylesheet" href="/site.css"></head>
<body>
<a class="skip" href="#main">Hoppa till innehållet</a>
<header><nav aria-label="Huvudmeny"><ul>
<li><a href="/om">Om tjänsten</a></li>
<li><a href="https://example.org/extern">Extern länk</a></li>
</ul></nav></header>
<main id="main">
<h1>Välkommen</h1>
<p id="intro">Här finns kunskap om allt.</p>
<img src="/logo.svg" alt="Kunskapsnavs logotyp" width="20" height="20">
<form action="/sok" method="get" role="search">
<label for="q">Sök</label> <input id="q" name="q" type="search">
<button type="submit">Sök</button>
</form>
</main>
<script src="/app.js"></script>
</body></html>`

func staticFiles(mux *http.ServeMux) {
	mux.HandleFunc("/site.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, "body { font-family: sans-serif; color: #111; background: #fff; } .skip:not(:focus) { position: absolute; left: -9999px; }")
	})
	mux.HandleFunc("/logo.svg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><circle cx="10" cy="10" r="8"/></svg>`)
	})
	mux.HandleFunc("/app.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `document.documentElement.classList.add("js");`)
	})
}

func TestAccessiblePageUnderStrictCSP(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	staticFiles(mux)
	mux.HandleFunc("/{$}", htmlPage(accessiblePage))
	srv := serve(t, mux)

	b := New(t)
	if err := b.Navigate(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	// The external script ran: the policy lets 'self' scripts run.
	if ok, err := evalCall[bool](b, `(c) => document.documentElement.classList.contains(c)`, "js"); err != nil || !ok {
		t.Errorf("app.js did not run: %v, %v", ok, err)
	}

	v, err := b.Axe()
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 0 {
		t.Errorf("want no violations, got\n%s", FormatViolations(v))
	}
	// A second run reuses the injected axe-core.
	if v, err := b.Axe(); err != nil || len(v) != 0 {
		t.Errorf("second Axe: %v\n%s", err, FormatViolations(v))
	}
	// Neither the page nor the injection of axe-core made an error, such
	// as a CSP violation.
	if errs := b.ConsoleErrors(); len(errs) != 0 {
		t.Errorf("want no console errors, got %q", errs)
	}

	text, err := b.Text("#intro")
	if err != nil || text != "Här finns kunskap om allt." {
		t.Errorf("Text(#intro) = %q, %v", text, err)
	}
	if _, err := b.Text("#missing"); err == nil {
		t.Error("Text(#missing): want an error")
	}
	links, err := b.Links("nav a")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{srv.URL + "/om", "https://example.org/extern"}
	if diff := cmp.Diff(want, links); diff != "" {
		t.Errorf("Links(nav a) (-want +got):\n%s", diff)
	}
	loc, err := b.Location()
	if err != nil || loc != srv.URL+"/" {
		t.Errorf("Location() = %q, %v; want %q", loc, err, srv.URL+"/")
	}

	shot := filepath.Join(t.TempDir(), "shots", "start.png")
	if err := b.Screenshot(shot); err != nil {
		t.Fatal(err)
	}
	png, err := os.ReadFile(shot)
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Errorf("screenshot is no PNG: %v", err)
	}
}

func TestAxeFindsViolations(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	staticFiles(mux)
	mux.HandleFunc("/{$}", htmlPage(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Brister</title></head>
<body><main><h1>Brister</h1>
<img src="/logo.svg" width="20" height="20">
<form action="/" method="post"><input id="namn" name="namn" type="text"></form>
</main></body></html>`))
	srv := serve(t, mux)

	b := New(t)
	if err := b.Navigate(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	v, err := b.Axe()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range v {
		ids = append(ids, x.ID)
	}
	for _, id := range []string{"image-alt", "label"} {
		if !slices.Contains(ids, id) {
			t.Errorf("want violation %q, got %v", id, ids)
		}
	}
	for _, x := range v {
		if x.Impact == "" || x.Help == "" || !strings.HasPrefix(x.HelpURL, "https://") || len(x.Nodes) == 0 {
			t.Errorf("violation %q misses fields: %+v", x.ID, x)
		}
	}
	msg := FormatViolations(v)
	for _, s := range []string{"image-alt", "label", `#namn: <input id="namn"`, "<img"} {
		if !strings.Contains(msg, s) {
			t.Errorf("FormatViolations misses %q:\n%s", s, msg)
		}
	}
	if FormatViolations(nil) != "" {
		t.Error(`FormatViolations(nil) != ""`)
	}
}

func TestConsoleErrors(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", htmlPage(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Fel</title></head>
<body><main><h1>Fel</h1><script src="/fel.js"></script></main></body></html>`))
	mux.HandleFunc("/fel.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `console.log("bara info"); console.error("något gick fel", 42);`)
	})
	mux.HandleFunc("/kastar", htmlPage(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Kastar</title></head>
<body><main><h1>Kastar</h1><script src="/kastar.js"></script></main></body></html>`))
	mux.HandleFunc("/kastar.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `throw new Error("trasigt skript");`)
	})
	mux.HandleFunc("/saknas", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", strictCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `<!doctype html><html lang="sv"><head><title>Saknas</title></head><body><main><h1>Sidan finns inte</h1></main></body></html>`)
	})
	mux.HandleFunc("/csp", htmlPage(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>CSP</title></head>
<body><main><h1>CSP</h1><script>document.title = "inline";</script>
<img src="/saknas.png" alt="saknas"></main></body></html>`))
	srv := serve(t, mux)

	b := New(t)
	if err := b.Navigate(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	errs := b.ConsoleErrors()
	if len(errs) != 1 || !strings.Contains(errs[0], "console.error: något gick fel 42") || !strings.Contains(errs[0], "/fel.js:1") {
		t.Errorf("want the console.error of fel.js, got %q", errs)
	}

	b.ResetConsole()
	if errs := b.ConsoleErrors(); len(errs) != 0 {
		t.Errorf("after ResetConsole: %q", errs)
	}

	if err := b.Navigate(srv.URL + "/kastar"); err != nil {
		t.Fatal(err)
	}
	errs = b.ConsoleErrors()
	if len(errs) != 1 || !strings.Contains(errs[0], "uncaught exception: Error: trasigt skript") {
		t.Errorf("want the uncaught exception, got %q", errs)
	}

	// The 404 status of a page is no console error: the page is what the
	// test looks at.
	b.ResetConsole()
	if err := b.Navigate(srv.URL + "/saknas"); err != nil {
		t.Fatal(err)
	}
	if errs := b.ConsoleErrors(); len(errs) != 0 {
		t.Errorf("a 404 page made console errors: %q", errs)
	}

	// The inline script breaks the policy, and the image is missing: both
	// are errors of the browser log.
	if err := b.Navigate(srv.URL + "/csp"); err != nil {
		t.Fatal(err)
	}
	errs = b.ConsoleErrors()
	joined := strings.Join(errs, "\n")
	if !strings.Contains(joined, "Content Security Policy") || !strings.Contains(joined, "404") {
		t.Errorf("want a CSP violation and a failed load, got %q", errs)
	}
}

func TestKeyboardForm(t *testing.T) {
	t.Parallel()
	got := make(chan string, 1)
	mux := http.NewServeMux()
	staticFiles(mux)
	mux.HandleFunc("GET /{$}", htmlPage(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Formulär</title></head>
<body><main><h1>Ny anteckning</h1>
<p><a href="/annat">En länk före formuläret</a></p>
<form action="/spara" method="post">
<label for="titel">Titel</label> <input id="titel" name="titel" type="text">
<button type="submit" id="spara">Spara</button>
</form></main></body></html>`))
	mux.HandleFunc("POST /spara", func(w http.ResponseWriter, r *http.Request) {
		got <- r.PostFormValue("titel")
		http.Redirect(w, r, "/klart", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /klart", htmlPage(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Sparad</title></head>
<body><main><h1 id="rubrik">Sparad</h1><p><a id="tillbaka" href="/#titel">Tillbaka</a></p></main></body></html>`))
	srv := serve(t, mux)

	b := New(t)
	if err := b.Navigate(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	if err := b.TabTo("#titel", 5); err != nil {
		t.Fatal(err)
	}
	if err := b.Type("Åsa’s anteckning"); err != nil {
		t.Fatal(err)
	}
	// ShiftTab goes back to the link and Tab forward to the field again.
	if err := b.ShiftTab(); err != nil {
		t.Fatal(err)
	}
	if ok, err := b.FocusedSelectorMatches(`a[href="/annat"]`); err != nil || !ok {
		t.Errorf("after Shift+Tab the link should have the focus: %v, %v", ok, err)
	}
	if err := b.Tab(); err != nil {
		t.Fatal(err)
	}
	if err := b.TabTo("#spara", 3); err != nil {
		t.Fatal(err)
	}
	if err := b.Enter(); err != nil {
		t.Fatal(err)
	}
	select {
	case v := <-got:
		if v != "Åsa’s anteckning" {
			t.Errorf("server got titel=%q", v)
		}
	default:
		t.Fatal("Enter returned before the server got the form")
	}
	// Enter waited for the page after the redirect.
	if loc, err := b.Location(); err != nil || loc != srv.URL+"/klart" {
		t.Errorf("Location() = %q, %v; want /klart", loc, err)
	}
	if h, err := b.Text("#rubrik"); err != nil || h != "Sparad" {
		t.Errorf("Text(#rubrik) = %q, %v", h, err)
	}

	// Enter on a link follows it, and waits for the page.
	if err := b.TabTo("#tillbaka", 3); err != nil {
		t.Fatal(err)
	}
	if err := b.Enter(); err != nil {
		t.Fatal(err)
	}
	if loc, err := b.Location(); err != nil || loc != srv.URL+"/#titel" {
		t.Errorf("Location() = %q, %v; want /#titel", loc, err)
	}

	// TabTo gives up after max presses and tells where the focus went.
	err := b.TabTo("#finns-inte", 2)
	if err == nil || !strings.Contains(err.Error(), "after 2 Tab presses") {
		t.Errorf("TabTo(#finns-inte) = %v", err)
	}
	if errs := b.ConsoleErrors(); len(errs) != 0 {
		t.Errorf("console errors: %q", errs)
	}
}

func TestNewTabIsIsolated(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/satt", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "ett", Path: "/"})
		htmlPage(`<!doctype html><html lang="sv"><head><title>Satt</title></head><body><main><h1>Satt</h1></main></body></html>`)(w, r)
	})
	mux.HandleFunc("/las", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("session")
		v := "ingen"
		if err == nil {
			v = c.Value
		}
		htmlPage(`<!doctype html><html lang="sv"><head><title>Läs</title></head><body><main><h1 id="v">`+v+`</h1></main></body></html>`)(w, r)
	})
	srv := serve(t, mux)

	b := New(t)
	if err := b.Navigate(srv.URL + "/satt"); err != nil {
		t.Fatal(err)
	}
	other := b.NewTab(t)
	if err := other.Navigate(srv.URL + "/las"); err != nil {
		t.Fatal(err)
	}
	if v, err := other.Text("#v"); err != nil || v != "ingen" {
		t.Errorf("new tab sees cookie %q, %v; want none", v, err)
	}
	if err := b.Navigate(srv.URL + "/las"); err != nil {
		t.Fatal(err)
	}
	if v, err := b.Text("#v"); err != nil || v != "ett" {
		t.Errorf("first tab sees cookie %q, %v; want ett", v, err)
	}
}

func TestRequireChromiumFromEnv(t *testing.T) {
	t.Setenv(EnvChromium, filepath.Join(t.TempDir(), "no-such-chromium"))
	if _, err := findChromium(); err == nil {
		t.Error("findChromium with a missing KUNSKAPSNAV_CHROMIUM: want an error")
	}
}
