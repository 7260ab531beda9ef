package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/jobs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/llm"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
	"github.com/kunskapsnav/kunskapsnav/internal/schema"
)

// Version is the running version, set at build time with
// -ldflags "-X github.com/kunskapsnav/kunskapsnav/internal/app.Version=1.2.3".
var Version = "dev"

// Config is everything the server is told at start.
type Config struct {
	Addr            string
	DatabaseURL     string
	Demo            bool
	PublicURL       string // https://… turns on Secure cookies and HSTS
	TLSCert         string
	TLSKey          string
	SessionIdle     time.Duration
	SessionLifetime time.Duration
	MaxBody         int64
	Now             func() time.Time // the clock; time.Now when nil
	Throttle        auth.Throttle
	Mail            mail.Config // outgoing mail; no Host keeps messages in the outbox
	LLM             llm.Config  // machine drafting of report summaries; no URL turns it off
}

// TLS reports whether the server is reached over HTTPS.
func (c Config) TLS() bool {
	return c.TLSCert != "" || len(c.PublicURL) > 8 && c.PublicURL[:8] == "https://"
}

// App is a wired Kunskapsnav.
type App struct {
	cfg      Config
	log      *slog.Logger
	DB       *db.DB
	Audit    *audit.Log
	Auth     *auth.Service
	Sessions *auth.SessionStore
	Web      *web.Server
	API      *api.API
	Handler  http.Handler
	// Jobs is the background job queue: features register periodic work on it
	// while wiring routes; serve starts it, tests do not unless they ask.
	Jobs *jobs.Queue
	// Outbox holds outgoing mail; mail.Enqueue adds to it.
	Outbox  *mail.Outbox
	metrics *httpMetrics
}

// Open connects to the database and runs pending migrations.
func Open(ctx context.Context, url string) (*db.DB, error) {
	d, err := db.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if _, _, err := migrate(ctx, d); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// migrate applies the pending migrations of our schema and of the job
// queue's tables, and returns how many of each it applied.
func migrate(ctx context.Context, d *db.DB) (ours, queue int, err error) {
	applied, err := d.Migrate(ctx, schema.For(d.Dialect()))
	if err != nil {
		return 0, 0, err
	}
	queue, err = jobs.Migrate(ctx, d)
	if err != nil {
		return len(applied), 0, err
	}
	return len(applied), queue, nil
}

// New wires the application on an open, migrated database.
func New(cfg Config, log *slog.Logger, d *db.DB) (*App, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = time.Hour
	}
	if cfg.SessionLifetime == 0 {
		cfg.SessionLifetime = 12 * time.Hour
	}
	if cfg.Throttle == (auth.Throttle{}) {
		cfg.Throttle = auth.DefaultThrottle
	}
	cat, err := i18n.Load()
	if err != nil {
		return nil, fmt.Errorf("load message catalogue: %w", err)
	}
	a := &App{cfg: cfg, log: log, DB: d}
	if err := a.background(); err != nil {
		return nil, err
	}
	a.Audit = audit.New(cfg.Now)
	a.Auth = auth.NewService(d, a.Audit, cfg.Now, cfg.Throttle)
	a.Sessions = auth.NewSessionStore(d, cfg.Now)
	sessions := auth.NewSessions(a.Sessions, cfg.SessionIdle, cfg.SessionLifetime, cfg.TLS())
	a.Web, err = web.NewServer(web.Config{Version: Version, TLS: cfg.TLS(), MaxBody: cfg.MaxBody}, log, cat, sessions)
	if err != nil {
		return nil, err
	}
	if err := a.routes(); err != nil {
		return nil, err
	}
	a.Handler = a.Web.Handler(auth.Middleware(a.Auth, a.Web))
	return a, nil
}

// background sets up the job queue and the mail outbox, and flushes the
// outbox from the queue when an SMTP server is configured.
func (a *App) background() error {
	var err error
	if a.Jobs, err = jobs.New(a.DB, a.log); err != nil {
		return err
	}
	var sender *mail.Sender
	if a.cfg.Mail.Configured() {
		if sender, err = mail.NewSender(a.cfg.Mail); err != nil {
			return err
		}
	}
	a.Outbox = mail.NewOutbox(a.DB, sender, a.cfg.Now, a.log)
	if sender != nil {
		a.Jobs.Every(mail.FlushJob, mail.FlushInterval, func(ctx context.Context) error {
			_, err := a.Outbox.Flush(ctx)
			return err
		})
	}
	return nil
}
