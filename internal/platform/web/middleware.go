package web

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/requestid"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies middleware so the first listed runs first.
func Chain(h http.Handler, mw ...Middleware) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// statusWriter remembers the status and size of a response for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// RequestID gives each request an id, in its context and the X-Request-Id header.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := requestid.New()
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(requestid.With(r.Context(), id)))
	})
}

// Logger writes one structured line per request. It logs the path without the
// query string, and never headers or cookies, so tokens and session ids stay out
// of the logs.
func Logger(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, r)
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			level := slog.LevelInfo
			if sw.status >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(r.Context(), level, "request",
				slog.String("request_id", requestid.From(r.Context())),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", sw.status),
				slog.Int("bytes", sw.size),
				slog.Int64("user_id", access.From(r.Context()).UserID),
				slog.Duration("duration", time.Since(start)),
			)
		})
	}
}

// Recover turns a panic into a 500 page carrying the request id, and logs it.
func (s *Server) Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic", "request_id", requestid.From(r.Context()),
					"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				s.Error(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// SecurityHeaders sets a strict Content-Security-Policy (no inline script or
// style), no sniffing, no framing, a strict referrer policy and, when served over
// TLS, HSTS.
func SecurityHeaders(tls bool) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
				"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if tls {
				h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// CrossOrigin rejects unsafe requests (POST, PUT, PATCH, DELETE) that a browser
// sends from another origin, using the standard library's protection against
// cross-site request forgery. Requests from non-browser API clients, which send
// neither Sec-Fetch-Site nor Origin, pass.
func (s *Server) CrossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, fmt.Errorf("cross-origin request: %w", errs.ErrForbidden))
	}))
	return cop.Handler(next)
}

// MaxBody limits request bodies to n bytes; a larger body fails to read with
// *http.MaxBytesError, which the error adapter answers with 413. A route that
// takes larger bodies lifts the limit with SetBodyLimit.
func MaxBody(n int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			SetBodyLimit(w, r, n)
			next.ServeHTTP(w, r)
		})
	}
}

// limitedBody is a request body read through a limit, keeping the body
// itself so a route can set its own limit in place of the server-wide one,
// and remembering whether a read went over the limit.
type limitedBody struct {
	io.ReadCloser // the body through the limit
	raw           io.ReadCloser
	over          *http.MaxBytesError
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var mbe *http.MaxBytesError
	if err != nil && errors.As(err, &mbe) {
		b.over = mbe
	}
	return n, err
}

// BodyTooLarge returns the limit r's body went over when it was read, or nil.
// It serves code that sees only what a library made of the failed read (the
// API's multipart forms).
func BodyTooLarge(r *http.Request) *http.MaxBytesError {
	if b, ok := r.Body.(*limitedBody); ok {
		return b.over
	}
	return nil
}

// SetBodyLimit limits r's body to n bytes in place of any limit set before
// (the server-wide Config.MaxBody). Call it before anything reads the body:
// Server.HandleUpload and API operations with MaxBodyBytes do, after the
// permission check, so only those allowed may send that much.
func SetBodyLimit(w http.ResponseWriter, r *http.Request, n int64) {
	if r.Body == nil {
		return
	}
	raw := r.Body
	if lb, ok := raw.(*limitedBody); ok {
		raw = lb.raw
	}
	r.Body = &limitedBody{ReadCloser: http.MaxBytesReader(w, raw, n), raw: raw}
}

// isAPI reports whether r is for the JSON API rather than a page.
func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/")
}
