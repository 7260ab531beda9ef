package web

import (
	"context"
	"net/http"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

type localeKey struct{}
type preferredKey struct{}

// LocaleCookie remembers the language of visitors who are not signed in.
const LocaleCookie = "kn_lang"

// WithPreferredLocale records a signed-in user's saved language in ctx; the
// auth middleware calls it, and it wins over cookie and browser.
func WithPreferredLocale(ctx context.Context, loc string) context.Context {
	return context.WithValue(ctx, preferredKey{}, loc)
}

// LocaleFrom returns the request's locale, Swedish by default.
func LocaleFrom(ctx context.Context) i18n.Locale {
	if l, ok := ctx.Value(localeKey{}).(i18n.Locale); ok {
		return l
	}
	return i18n.Default
}

// Locale picks the request's language: the user's saved choice, else the
// language cookie, else the browser's Accept-Language, else Swedish.
func (s *Server) Locale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), localeKey{}, chooseLocale(r))))
	})
}

func chooseLocale(r *http.Request) i18n.Locale {
	if pref, ok := r.Context().Value(preferredKey{}).(string); ok {
		if l, ok := i18n.Parse(pref); ok {
			return l
		}
	}
	if c, err := r.Cookie(LocaleCookie); err == nil {
		if l, ok := i18n.Parse(c.Value); ok {
			return l
		}
	}
	return i18n.Negotiate(r.Header.Get("Accept-Language"))
}

// SetLocaleCookie remembers loc in the visitor's browser for a year.
func (s *Server) SetLocaleCookie(w http.ResponseWriter, loc i18n.Locale) {
	http.SetCookie(w, &http.Cookie{
		Name: LocaleCookie, Value: string(loc), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.TLS,
	})
}
