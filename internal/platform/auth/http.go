package auth

import (
	"context"
	"embed"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Templates are the package's page templates, for the catalogue-key test.
func Templates() embed.FS { return templates }

// sessionUserKey holds the signed-in user's id in the session.
const sessionUserKey = "user_id"

// NewSessions returns the session manager: database-backed, HttpOnly SameSite=Lax
// cookie, Secure over TLS, idle and absolute expiry.
func NewSessions(store *SessionStore, idle, absolute time.Duration, secure bool) *scs.SessionManager {
	m := scs.New()
	m.Store = store
	m.IdleTimeout = idle
	m.Lifetime = absolute
	m.Cookie.Name = "kn_session"
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Secure = secure
	m.Cookie.Path = "/"
	m.Cookie.Persist = false
	return m
}

// Handler serves login, logout and the account pages.
type Handler struct {
	svc *Service
	web *web.Server
}

// Register adds the account routes to s.
func Register(s *web.Server, svc *Service) error {
	h := &Handler{svc: svc, web: s}
	if err := s.AddTemplates("auth", templates, "templates"); err != nil {
		return err
	}
	s.Handle("GET /logga-in", access.Public, h.loginForm)
	s.Handle("POST /logga-in", access.Public, h.login)
	s.Handle("POST /logga-ut", access.SignedIn, h.logout)
	s.Handle("GET /konto", access.SignedIn, h.account)
	s.Handle("POST /konto/losenord", access.SignedIn, h.changePassword)
	s.Handle("POST /konto/nycklar", access.SignedIn, h.createToken)
	s.Handle("POST /konto/nycklar/{id}/ta-bort", access.SignedIn, h.deleteToken)
	s.Handle("POST /sprak", access.Public, h.setLanguage)
	h.registerAdmin(s)
	return nil
}

// Middleware makes the request's principal from a Bearer token or the session,
// and passes the user's saved language on to the locale choice.
func (h *Handler) Middleware(next http.Handler) http.Handler {
	return Middleware(h.svc, h.web)(next)
}

// Middleware makes the request's principal from a Bearer token or the session.
func Middleware(svc *Service, s *web.Server) web.Middleware {
	sessions := s.Sessions()
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			if authz := r.Header.Get("Authorization"); authz != "" {
				scheme, secret, _ := strings.Cut(authz, " ")
				if !strings.EqualFold(scheme, "Bearer") {
					s.Error(w, r, errs.ErrUnauthenticated)
					return
				}
				u, err := svc.UserByToken(ctx, strings.TrimSpace(secret))
				if err != nil {
					s.Error(w, r, err)
					return
				}
				next.ServeHTTP(w, r.WithContext(withUser(ctx, u)))
				return
			}
			if sessionLoaded(ctx, sessions) {
				if id := sessions.GetInt64(ctx, sessionUserKey); id != 0 {
					u, err := svc.User(ctx, id)
					switch {
					case err == nil && u.Active:
						ctx = withUser(ctx, u)
					case err == nil || errors.Is(err, errs.ErrNotFound):
						// The account was removed or deactivated: end the session.
						_ = sessions.Destroy(ctx)
					default:
						s.Error(w, r, err)
						return
					}
				}
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

func withUser(ctx context.Context, u User) context.Context {
	return web.WithPreferredLocale(access.With(ctx, u.Principal()), u.Locale)
}

// sessionLoaded reports whether the session middleware ran for this request.
func sessionLoaded(ctx context.Context, sessions *scs.SessionManager) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	sessions.Status(ctx)
	return true
}

// LoginPage is the data of the login page.
type LoginPage struct {
	Form      *web.Form
	Next      string
	LoggedOut bool
	Problem   string
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) error {
	if !access.From(r.Context()).Anonymous() {
		return web.Redirect(w, r, web.LocalPath(r.URL.Query().Get("next"), "/"))
	}
	data := LoginPage{Form: web.NewForm(), Next: web.LocalPath(r.URL.Query().Get("next"), ""), LoggedOut: r.URL.Query().Has("utloggad")}
	return h.web.Render(w, r, http.StatusOK, "auth/login", "auth.login.title", data)
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	data := LoginPage{Form: form, Next: web.LocalPath(form.Get("next"), "")}
	username, password := form.Get("username"), form.Raw("password")
	if username == "" {
		form.AddError("username", "validation.required")
	}
	if password == "" {
		form.AddError("password", "validation.required")
	}
	if form.HasErrors() {
		return h.web.Render(w, r, http.StatusUnprocessableEntity, "auth/login", "auth.login.title", data)
	}
	u, err := h.svc.Authenticate(r.Context(), username, password, clientAddr(r))
	switch {
	case errors.Is(err, ErrBadCredentials):
		data.Problem = "auth.login.failed"
		form.AddError("username", "auth.login.failed")
		return h.web.Render(w, r, http.StatusUnauthorized, "auth/login", "auth.login.title", data)
	case errors.Is(err, ErrThrottled):
		data.Problem = "auth.login.throttled"
		form.AddError("username", "auth.login.throttled")
		return h.web.Render(w, r, http.StatusTooManyRequests, "auth/login", "auth.login.title", data)
	case err != nil:
		return err
	}
	sessions := h.web.Sessions()
	// A new token on login: a session id planted before login is worthless after it.
	if err := sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	sessions.Put(r.Context(), sessionUserKey, u.ID)
	h.web.SetLocaleCookie(w, localeOf(u))
	return web.Redirect(w, r, web.LocalPath(data.Next, "/"))
}

func localeOf(u User) i18n.Locale {
	if l, ok := i18n.Parse(u.Locale); ok {
		return l
	}
	return i18n.Default
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) error {
	p := access.From(r.Context())
	if err := h.web.Sessions().Destroy(r.Context()); err != nil {
		return err
	}
	if err := h.svc.RecordLogout(r.Context(), p); err != nil {
		return err
	}
	return web.Redirect(w, r, "/logga-in?utloggad=1")
}

// AccountPage is the data of the account page.
type AccountPage struct {
	User          User
	Tokens        []Token
	PasswordForm  *web.Form
	TokenForm     *web.Form
	NewToken      string
	NewTokenName  string
	MinPasswordLn int
}

func (h *Handler) accountPage(r *http.Request) (AccountPage, error) {
	p := access.From(r.Context())
	u, err := h.svc.User(r.Context(), p.UserID)
	if err != nil {
		return AccountPage{}, err
	}
	tokens, err := h.svc.Tokens(r.Context(), p.UserID)
	if err != nil {
		return AccountPage{}, err
	}
	return AccountPage{User: u, Tokens: tokens, PasswordForm: web.NewForm(), TokenForm: web.NewForm(), MinPasswordLn: MinPasswordLength}, nil
}

func (h *Handler) account(w http.ResponseWriter, r *http.Request) error {
	data, err := h.accountPage(r)
	if err != nil {
		return err
	}
	return h.web.Render(w, r, http.StatusOK, "auth/account", "auth.account.title", data)
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	p := access.From(r.Context())
	next, confirm := form.Raw("password"), form.Raw("password_confirm")
	if next != confirm {
		form.AddError("password_confirm", "validation.password_mismatch")
	}
	if !form.HasErrors() {
		err = h.svc.ChangePassword(r.Context(), p.UserID, form.Raw("current"), next)
		if err == nil {
			h.web.AddFlash(r, "success", "auth.password.changed")
			return web.Redirect(w, r, "/konto")
		}
		if !form.Fail(err) {
			return err
		}
	}
	data, err := h.accountPage(r)
	if err != nil {
		return err
	}
	data.PasswordForm = form
	return h.web.Render(w, r, http.StatusUnprocessableEntity, "auth/account", "auth.account.title", data)
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	n := NewToken{Name: form.Get("name")}
	if raw := form.Get("expires_at"); raw != "" {
		t, err := time.ParseInLocation("2006-01-02", raw, i18n.Stockholm())
		if err != nil {
			form.AddError("expires_at", "validation.date")
		} else {
			t = t.AddDate(0, 0, 1) // valid through the whole chosen day
			n.ExpiresAt = &t
		}
	}
	var secret string
	if !form.HasErrors() {
		secret, _, err = h.svc.CreateToken(r.Context(), access.From(r.Context()).UserID, n)
		if err != nil && !form.Fail(err) {
			return err
		}
	}
	data, derr := h.accountPage(r)
	if derr != nil {
		return derr
	}
	status := http.StatusOK
	if form.HasErrors() {
		data.TokenForm = form
		status = http.StatusUnprocessableEntity
	} else {
		// The secret is shown this once, on this response, and never stored.
		data.NewToken, data.NewTokenName = secret, n.Name
	}
	return h.web.Render(w, r, status, "auth/account", "auth.account.title", data)
}

func (h *Handler) deleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errs.ErrNotFound
	}
	if err := h.svc.DeleteToken(r.Context(), access.From(r.Context()).UserID, id); err != nil {
		return err
	}
	h.web.AddFlash(r, "success", "auth.token.deleted")
	return web.Redirect(w, r, "/konto")
}

func (h *Handler) setLanguage(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	lang := form.Get("lang")
	loc, ok := i18n.Parse(lang)
	if !ok {
		return errs.Invalidf("lang", "validation.locale")
	}
	h.web.SetLocaleCookie(w, loc)
	if p := access.From(r.Context()); !p.Anonymous() {
		if err := h.svc.SetLocale(r.Context(), p.UserID, string(loc)); err != nil {
			return err
		}
	}
	return web.Redirect(w, r, web.LocalPath(form.Get("next"), "/"))
}

// clientAddr is the client's IP address for login throttling.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
