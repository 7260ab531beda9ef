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

// Serve runs the server until ctx is cancelled (SIGINT/SIGTERM), then shuts
// down gracefully: it stops accepting, lets running requests finish for up to
// 20 seconds, and closes the database.
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
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
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
