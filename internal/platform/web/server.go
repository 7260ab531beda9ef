package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/alexedwards/scs/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/requestid"
)

// HandlerFunc is a page or API handler that returns its error for the server to
// render, so no handler repeats "render error; return".
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one registered route and the permission it requires.
type Route struct {
	Method  string
	Path    string
	Perm    access.Permission
	Summary string
	MaxBody int64 // largest request body the route takes; 0 is the server's Config.MaxBody
}

// NavItem is one entry of the main navigation, shown to those holding Perm.
type NavItem struct {
	Href  string
	Key   string
	Perm  access.Permission
	Order int
}

// Config holds what the shell needs to know about its deployment.
type Config struct {
	Version string
	TLS     bool // served over HTTPS (directly or behind a proxy): Secure cookies and HSTS
	MaxBody int64
}

// Server is the shared HTTP shell: router, renderer, sessions and error pages.
type Server struct {
	cfg      Config
	log      *slog.Logger
	cat      *i18n.Catalog
	sessions *scs.SessionManager
	mux      *http.ServeMux
	routes   []Route
	nav      []NavItem
	render   *renderer
	inner    []Middleware
}

// NewServer returns a shell using the catalogue and sessions.
func NewServer(cfg Config, log *slog.Logger, cat *i18n.Catalog, sessions *scs.SessionManager) (*Server, error) {
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	s := &Server{cfg: cfg, log: log, cat: cat, sessions: sessions, mux: http.NewServeMux()}
	r, err := newRenderer(cat)
	if err != nil {
		return nil, err
	}
	s.render = r
	s.mux.Handle("GET /static/", staticHandler())
	s.routes = append(s.routes, Route{Method: http.MethodGet, Path: "/static/", Perm: access.Public})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, fmt.Errorf("no route for %s: %w", r.URL.Path, errs.ErrNotFound))
	})
	return s, nil
}

// Catalog returns the message catalogue.
func (s *Server) Catalog() *i18n.Catalog { return s.cat }

// Sessions returns the session manager.
func (s *Server) Sessions() *scs.SessionManager { return s.sessions }

// Logger returns the server's logger.
func (s *Server) Logger() *slog.Logger { return s.log }

// Version is the running version, shown in the footer.
func (s *Server) Version() string { return s.cfg.Version }

// Handle registers a handler for pattern ("GET /konto") open to those holding perm.
func (s *Server) Handle(pattern string, perm access.Permission, h HandlerFunc) {
	s.handle(pattern, perm, 0, s.adapt(h))
}

// HandleUpload registers h like Handle for a route that takes request bodies
// up to limit bytes (file uploads) instead of the server-wide Config.MaxBody.
// A larger body fails to read with *http.MaxBytesError, which the error
// adapter answers with 413 naming the limit.
func (s *Server) HandleUpload(pattern string, perm access.Permission, limit int64, h HandlerFunc) {
	if limit <= 0 {
		panic("web: upload route needs a positive body limit: " + pattern)
	}
	s.handle(pattern, perm, limit, s.adapt(h))
}

// HandleHTTP registers a plain http.Handler for pattern behind the permission check.
func (s *Server) HandleHTTP(pattern string, perm access.Permission, h http.Handler) {
	s.handle(pattern, perm, 0, h)
}

// adapt renders the error h returns.
func (s *Server) adapt(h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.Error(w, r, err)
		}
	})
}

// handle registers h behind the permission check and, when limit > 0, with
// its own body limit, set only once the permission check passed.
func (s *Server) handle(pattern string, perm access.Permission, limit int64, h http.Handler) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		panic("web: route pattern needs a method: " + pattern)
	}
	s.routes = append(s.routes, Route{Method: method, Path: path, Perm: perm, MaxBody: limit})
	if limit > 0 {
		next := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			SetBodyLimit(w, r, limit)
			next.ServeHTTP(w, r)
		})
	}
	s.mux.Handle(pattern, s.guard(perm, h))
}

// AddRoute records a route registered elsewhere (the API's operations), so the
// route listing and its access test cover it.
func (s *Server) AddRoute(r Route) { s.routes = append(s.routes, r) }

// Mount hands every request under prefix to h, which checks its own permissions
// per route and reports them with AddRoute.
func (s *Server) Mount(prefix string, h http.Handler) { s.mux.Handle(prefix, h) }

// Routes lists every registered route.
func (s *Server) Routes() []Route { return slices.Clone(s.routes) }

// AddNav adds an item to the main navigation.
func (s *Server) AddNav(item NavItem) {
	s.nav = append(s.nav, item)
	slices.SortStableFunc(s.nav, func(a, b NavItem) int { return a.Order - b.Order })
}

// navFor returns the navigation items p may follow.
func (s *Server) navFor(p access.Principal, path string) []NavLink {
	var out []NavLink
	for _, n := range s.nav {
		if p.Can(n.Perm) {
			cur := n.Href == path || (n.Href != "/" && strings.HasPrefix(path, n.Href+"/"))
			out = append(out, NavLink{Href: n.Href, Key: n.Key, Current: cur})
		}
	}
	return out
}

// guard admits requests whose principal holds perm.
func (s *Server) guard(perm access.Permission, h http.Handler) http.Handler {
	if perm.Public {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := access.From(r.Context())
		if p.Can(perm) {
			h.ServeHTTP(w, r)
			return
		}
		if p.Anonymous() {
			if !isAPI(r) && r.Method == http.MethodGet {
				http.Redirect(w, r, "/logga-in?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.Error(w, r, errs.ErrUnauthenticated)
			return
		}
		s.Error(w, r, fmt.Errorf("%s needs %s: %w", r.URL.Path, perm.Name, errs.ErrForbidden))
	})
}

// Handler returns the whole chain: request id → log → recover → security headers
// → cross-origin protection → body limit → sessions → the given middleware (auth)
// → locale → router.
func (s *Server) Handler(auth ...Middleware) http.Handler {
	mw := []Middleware{RequestID, Logger(s.log), s.Recover, SecurityHeaders(s.cfg.TLS), s.CrossOrigin, MaxBody(s.cfg.MaxBody), s.loadSession}
	mw = append(mw, auth...)
	mw = append(mw, s.Locale)
	mw = append(mw, s.inner...)
	return Chain(s.mux, mw...)
}

// WrapRouter adds middleware that runs right around the router, after the
// locale is chosen and with the same *http.Request the router matches, so it
// can read r.Pattern afterwards (metrics).
func (s *Server) WrapRouter(mw Middleware) { s.inner = append(s.inner, mw) }

// loadSession loads and saves the session for page and API requests, and skips
// static files and health checks so those never touch the database.
func (s *Server) loadSession(next http.Handler) http.Handler {
	withSession := s.sessions.LoadAndSave(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz" || p == "/metrics" {
			next.ServeHTTP(w, r)
			return
		}
		withSession.ServeHTTP(w, r)
	})
}

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Instance  string         `json:"instance,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []ProblemField `json:"errors,omitempty"`
}

// ProblemField names one invalid field of a request.
type ProblemField struct {
	Location string `json:"location"`
	Message  string `json:"message"`
	Value    any    `json:"value,omitempty"`
}

// ProblemFor builds the problem body for err in the caller's locale. Internal
// errors say only that something went wrong and give the request id.
func (s *Server) ProblemFor(r *http.Request, err error) Problem {
	kind := errs.KindOf(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		kind = errs.TooLarge
	}
	loc := LocaleFrom(r.Context())
	p := Problem{
		Type:      "https://kunskapsnav.se/problems/" + kind.String(),
		Title:     s.cat.T(loc, kind.Key()),
		Status:    kind.Status(),
		Instance:  r.URL.Path,
		RequestID: requestid.From(r.Context()),
	}
	if mbe != nil {
		p.Detail = s.cat.T(loc, "error.too_large_limit", "max", megabytes(mbe.Limit))
	}
	if v, ok := errs.AsValidation(err); ok {
		for _, f := range v.Fields {
			where := f.Name
			if !strings.Contains(where, ".") {
				where = "body." + where // fields of a request body unless named otherwise
			}
			p.Errors = append(p.Errors, ProblemField{Location: where, Message: s.cat.T(loc, f.Key, f.Args...)})
		}
	}
	return p
}

// megabytes is n bytes in whole MB (MiB), rounded up, as limits are shown.
func megabytes(n int64) int64 { return (n + 1<<20 - 1) >> 20 }

// WriteProblem writes p as application/problem+json.
func WriteProblem(w http.ResponseWriter, p Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// Error answers a failed request: problem+json for the API, the error page in
// the user's language otherwise. Only internal errors are logged as errors.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	p := s.ProblemFor(r, err)
	if p.Status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "request_id", p.RequestID, "path", r.URL.Path, "error", err.Error())
	}
	if isAPI(r) {
		WriteProblem(w, p)
		return
	}
	s.renderError(w, r, p)
}
