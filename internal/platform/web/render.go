package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/requestid"
)

//go:embed templates/*.html
var baseTemplates embed.FS

// BaseTemplates are the shell's own templates (layout, partials, pages), for the
// test that checks every catalogue key they use.
func BaseTemplates() fs.FS { return baseTemplates }

// NavLink is a navigation item as the layout shows it.
type NavLink struct {
	Href    string
	Key     string
	Current bool
}

// Page is what every template receives: the layout's data and the page's own
// typed Data. Templates show the title, its {name} fields filled from
// TitleArgs, with {{title .}}.
type Page struct {
	TitleKey  string
	TitleArgs []any // name/value pairs for the {name} fields of TitleKey
	Locale    i18n.Locale
	User      access.Principal
	Nav       []NavLink
	Flashes   []Flash
	Version   string
	RequestID string
	Path      string
	ReturnTo  string
	Data      any
}

// Title is the translated page title.
func (p Page) Title(cat *i18n.Catalog) string { return cat.T(p.Locale, p.TitleKey, p.TitleArgs...) }

// renderer holds every page template parsed once per locale at start, with the
// catalogue bound to the locale, so rendering never clones or parses.
type renderer struct {
	cat   *i18n.Catalog
	pages map[i18n.Locale]map[string]*template.Template
}

func newRenderer(cat *i18n.Catalog) (*renderer, error) {
	r := &renderer{cat: cat, pages: map[i18n.Locale]map[string]*template.Template{}}
	for _, loc := range i18n.Supported() {
		r.pages[loc] = map[string]*template.Template{}
	}
	if err := r.add("web", baseTemplates, "templates"); err != nil {
		return nil, err
	}
	return r, nil
}

// AddTemplates parses the page templates in dir of fsys (every *.html, each
// defining "content"), named prefix/basename, e.g. "audit/list".
func (s *Server) AddTemplates(prefix string, fsys fs.FS, dir string) error {
	return s.render.add(prefix, fsys, dir)
}

func (r *renderer) add(prefix string, fsys fs.FS, dir string) error {
	files, err := fs.Glob(fsys, path.Join(dir, "*.html"))
	if err != nil {
		return err
	}
	for _, loc := range i18n.Supported() {
		base, err := r.base(loc)
		if err != nil {
			return err
		}
		for _, f := range files {
			name := strings.TrimSuffix(path.Base(f), ".html")
			if prefix == "web" && (name == "layout" || name == "partials") {
				continue
			}
			t, err := base.Clone()
			if err != nil {
				return err
			}
			if _, err := t.ParseFS(fsys, f); err != nil {
				return fmt.Errorf("parse template %s: %w", f, err)
			}
			r.pages[loc][prefix+"/"+name] = t
		}
	}
	return nil
}

// base parses the layout and partials with functions bound to loc.
func (r *renderer) base(loc i18n.Locale) (*template.Template, error) {
	t := template.New("layout.html").Funcs(r.funcs(loc))
	return t.ParseFS(baseTemplates, "templates/layout.html", "templates/partials.html")
}

func (r *renderer) funcs(loc i18n.Locale) template.FuncMap {
	cat := r.cat
	return template.FuncMap{
		"t":     func(key string, args ...any) string { return cat.T(loc, key, args...) },
		"tn":    func(key string, n int, args ...any) string { return cat.N(loc, key, n, args...) },
		"targs": func(key string, args []any) string { return cat.T(loc, key, args...) },
		"title": func(p Page) string { return cat.T(loc, p.TitleKey, p.TitleArgs...) },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return i18n.FormatDate(loc, t)
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return i18n.FormatDateTime(loc, t)
		},
		"isodatetime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"num":         func(n int64) string { return i18n.FormatInt(loc, n) },
		"field":       newFieldView,
		"lang":        func() string { return string(loc) },
	}
}

// Render writes the page template name with data in the request's locale,
// inside the shared layout. It renders to a buffer first, so a failing template
// becomes a proper error page rather than half a page.
func (s *Server) Render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any, titleArgs ...any) error {
	page := s.page(w, r, titleKey, data, titleArgs)
	return s.renderPage(w, status, name, page)
}

func (s *Server) renderPage(w http.ResponseWriter, status int, name string, page Page) error {
	t, ok := s.render.pages[page.Locale][name]
	if !ok {
		return fmt.Errorf("render: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", page); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// page gathers the layout's data for r.
func (s *Server) page(w http.ResponseWriter, r *http.Request, titleKey string, data any, titleArgs []any) Page {
	p := access.From(r.Context())
	return Page{
		TitleKey:  titleKey,
		TitleArgs: titleArgs,
		Locale:    LocaleFrom(r.Context()),
		User:      p,
		Nav:       s.navFor(p, r.URL.Path),
		Flashes:   s.popFlashes(r),
		Version:   s.cfg.Version,
		RequestID: requestid.From(r.Context()),
		Path:      r.URL.Path,
		ReturnTo:  r.URL.RequestURI(),
		Data:      data,
	}
}

// ErrorPage is the data of the error page.
type ErrorPage struct {
	Status    int
	Key       string
	Detail    string // what the error says about this request, e.g. the body limit
	RequestID string
	SignedIn  bool
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, p Problem) {
	key := "error.internal"
	switch p.Status {
	case http.StatusNotFound:
		key = "error.not_found"
	case http.StatusForbidden:
		key = "error.forbidden"
	case http.StatusUnauthorized:
		key = "error.unauthenticated"
	case http.StatusConflict:
		key = "error.conflict"
	case http.StatusRequestEntityTooLarge:
		key = "error.too_large"
	case http.StatusUnprocessableEntity:
		key = "error.invalid"
	}
	data := ErrorPage{Status: p.Status, Key: key, Detail: p.Detail, RequestID: p.RequestID, SignedIn: !access.From(r.Context()).Anonymous()}
	page := s.page(w, r, fmt.Sprintf("error.title_%d", titleStatus(p.Status)), data, nil)
	if err := s.renderPage(w, p.Status, "web/error", page); err != nil {
		s.log.ErrorContext(r.Context(), "render error page", "error", err.Error())
		http.Error(w, http.StatusText(p.Status), p.Status)
	}
}

// titleStatus picks which titled error page to show for a status.
func titleStatus(status int) int {
	switch status {
	case 401, 403, 404, 409, 413, 422:
		return status
	}
	if status >= 500 {
		return 500
	}
	return 400
}
