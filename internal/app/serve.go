package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// Serve runs the server and the background job queue until ctx is cancelled
// (SIGINT/SIGTERM), then shuts down gracefully: it stops accepting, lets
// running requests and jobs finish for up to 20 seconds, and closes the
// database.
func Serve(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer) error {
	d, err := Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := New(cfg, log, d)
	if err != nil {
		return err
	}
	if cfg.Demo {
		loaded, err := a.LoadDemo(ctx)
		if err != nil {
			return err
		}
		printDemoLogins(out, loaded)
		// Hashing the demo passwords took ~20 MiB each; hand it back to the OS.
		debug.FreeOSMemory()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go a.cleanSessions(ctx)
	errc := make(chan error, 1)
	go func() {
		if cfg.TLSCert != "" {
			errc <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	rss, _ := residentMiB()
	log.Info("kunskapsnav ready", "addr", ln.Addr().String(), "database", db.Redact(cfg.DatabaseURL), "dialect", string(d.Dialect()),
		"version", Version, "rss_mib", rss)
	fmt.Fprintf(out, "Kunskapsnav %s listens on %s://%s\n", Version, scheme, ln.Addr())
	if cfg.Mail.Configured() {
		log.Info("mail is sent over SMTP", "smtp", cfg.Mail)
	} else {
		log.Info("mail is not configured (no --smtp-host): messages are kept in the outbox, see /admin/epost")
	}
	if cfg.LLM.Enabled() {
		log.Info("report summaries can be drafted by machine", "llm_url", cfg.LLM.Redacted(), "llm_model", cfg.LLM.Model)
	}
	if err := a.Jobs.Start(ctx); err != nil {
		_ = srv.Close()
		return err
	}
	select {
	case err := <-errc:
		stopJobs(a, log)
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	// Running jobs get what is left of the shutdown time to finish.
	if jobsErr := a.Jobs.Stop(shutdownCtx); jobsErr != nil {
		log.Warn("stop job queue", "error", jobsErr.Error())
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// stopJobs stops the job queue when the HTTP server ended by itself.
func stopJobs(a *App, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := a.Jobs.Stop(ctx); err != nil {
		log.Warn("stop job queue", "error", err.Error())
	}
}

func printDemoLogins(out io.Writer, loaded bool) {
	if loaded {
		fmt.Fprintln(out, "Demo data loaded.")
	} else {
		fmt.Fprintln(out, "Demo data already present.")
	}
	fmt.Fprintf(out, "Demo logins (password %q for all):\n", DemoPassword)
	for _, l := range DemoLogins {
		fmt.Fprintf(out, "  %-12s %s\n", l.Username, l.Roles[0])
	}
}

// cleanSessions removes expired sessions every ten minutes.
func (a *App) cleanSessions(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if _, err := a.Sessions.DeleteExpired(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("clean sessions", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
