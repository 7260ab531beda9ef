package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/llm"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
	"github.com/kunskapsnav/kunskapsnav/internal/schema"
)

// Env names the environment variables the CLI reads.
const (
	EnvAddr      = "KUNSKAPSNAV_ADDR"
	EnvDatabase  = "KUNSKAPSNAV_DATABASE_URL"
	EnvPublicURL = "KUNSKAPSNAV_PUBLIC_URL"
	EnvTLSCert   = "KUNSKAPSNAV_TLS_CERT"
	EnvTLSKey    = "KUNSKAPSNAV_TLS_KEY"
	EnvLogLevel  = "KUNSKAPSNAV_LOG_LEVEL"

	EnvSMTPHost     = "KUNSKAPSNAV_SMTP_HOST"
	EnvSMTPPort     = "KUNSKAPSNAV_SMTP_PORT"
	EnvSMTPFrom     = "KUNSKAPSNAV_SMTP_FROM"
	EnvSMTPUser     = "KUNSKAPSNAV_SMTP_USER"
	EnvSMTPPassword = "KUNSKAPSNAV_SMTP_PASSWORD" // only from the environment, never a flag
	EnvSMTPTLS      = "KUNSKAPSNAV_SMTP_TLS"

	EnvLLMURL   = "KUNSKAPSNAV_LLM_URL"
	EnvLLMModel = "KUNSKAPSNAV_LLM_MODEL"
	EnvLLMKey   = llm.APIKeyEnv // only from the environment, never a flag
)

// Defaults for the server.
const (
	DefaultAddr     = "127.0.0.1:8080"
	DefaultDatabase = "sqlite:kunskapsnav.db"
)

// IO is where the CLI reads and writes, so tests can run it in-process.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	Getenv func(string) string
}

// Main runs the kunskapsnav command with args (without the program name) and
// returns the process exit code.
func Main(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv})
}

const usage = `kunskapsnav – kunskapsstyrning from national recommendation to measured result

Usage:
  kunskapsnav <command> [flags]

Commands:
  serve          start the web server (runs migrations first)
  migrate up     apply pending database migrations
  migrate status list migrations and whether they are applied
  user create    create a local user account
  user set-password  set a user's password
  user grant     give a user roles
  user list      list user accounts
  version        print the version

Run "kunskapsnav <command> --help" for the flags of a command.
`

// Run is Main with explicit context and streams.
func Run(ctx context.Context, args []string, std IO) int {
	if len(args) == 0 {
		fmt.Fprint(std.Err, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(ctx, args[1:], std)
	case "migrate":
		err = cmdMigrate(ctx, args[1:], std)
	case "user":
		err = cmdUser(ctx, args[1:], std)
	case "version":
		fmt.Fprintf(std.Out, "kunskapsnav %s\n", Version)
	case "help", "-h", "--help":
		fmt.Fprint(std.Out, usage)
	default:
		fmt.Fprintf(std.Err, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	if err != nil {
		fmt.Fprintf(std.Err, "kunskapsnav: %s\n", describe(err))
		return 1
	}
	return 0
}

var errUsage = errors.New("usage")

// parseErr classifies a flag parsing error: help asked for, or bad usage (the
// flag package has already printed why).
func parseErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return errUsage
}

// describe turns an error into a line for a person at a terminal.
func describe(err error) string {
	if v, ok := errs.AsValidation(err); ok {
		var parts []string
		for _, f := range v.Fields {
			parts = append(parts, fmt.Sprintf("%s: %s", f.Name, cliMessage(f)))
		}
		return "invalid input: " + strings.Join(parts, "; ")
	}
	return err.Error()
}

// cliMessage gives English text for the validation keys the CLI can meet.
func cliMessage(f errs.Field) string {
	switch f.Key {
	case "validation.username":
		return "use 2–40 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
	case "validation.username_taken":
		return "that username is already taken"
	case "validation.required":
		return "required"
	case "validation.email":
		return "not a valid e-mail address"
	case "validation.password_short":
		return fmt.Sprintf("at least %d characters", auth.MinPasswordLength)
	case "validation.password_username":
		return "must differ from the username"
	case "validation.role":
		return fmt.Sprintf("unknown role (roles: %s)", roleList())
	}
	return f.Key
}

func roleList() string {
	names := make([]string, len(access.Roles))
	for i, r := range access.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

func newFlags(name, synopsis string, std IO) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(std.Err)
	fs.Usage = func() {
		fmt.Fprintf(std.Err, "Usage: kunskapsnav %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func envOr(std IO, key, def string) string {
	if v := std.Getenv(key); v != "" {
		return v
	}
	return def
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func cmdServe(ctx context.Context, args []string, std IO) error {
	fs := newFlags("serve", "serve [--addr ADDR] [--db URL] [--demo] [--smtp-host HOST --smtp-from ADDR]…", std)
	var cfg Config
	fs.StringVar(&cfg.Addr, "addr", envOr(std, EnvAddr, DefaultAddr), "address to listen on (env "+EnvAddr+")")
	fs.StringVar(&cfg.DatabaseURL, "db", envOr(std, EnvDatabase, DefaultDatabase), "database: sqlite:FILE or postgres://… (env "+EnvDatabase+")")
	fs.BoolVar(&cfg.Demo, "demo", false, "on an empty database load demo data and print the demo logins")
	fs.StringVar(&cfg.PublicURL, "public-url", envOr(std, EnvPublicURL, ""), "URL people use to reach the server; https:// turns on Secure cookies and HSTS (env "+EnvPublicURL+")")
	fs.StringVar(&cfg.TLSCert, "tls-cert", envOr(std, EnvTLSCert, ""), "serve HTTPS with this certificate file (env "+EnvTLSCert+")")
	fs.StringVar(&cfg.TLSKey, "tls-key", envOr(std, EnvTLSKey, ""), "private key for --tls-cert (env "+EnvTLSKey+")")
	fs.DurationVar(&cfg.SessionIdle, "session-idle", time.Hour, "sign out after this long without activity")
	fs.DurationVar(&cfg.SessionLifetime, "session-lifetime", 12*time.Hour, "sign out this long after login, active or not")
	logLevel := fs.String("log-level", envOr(std, EnvLogLevel, "info"), "debug, info, warn or error (env "+EnvLogLevel+")")
	smtpFlags(fs, std, &cfg.Mail)
	fs.StringVar(&cfg.LLM.URL, "llm-url", envOr(std, EnvLLMURL, ""), "OpenAI-compatible endpoint (e.g. https://api.openai.com/v1) that drafts report summaries from aggregated, non-personal facts; empty turns drafting off; the API key is read from env "+EnvLLMKey+" (env "+EnvLLMURL+")")
	fs.StringVar(&cfg.LLM.Model, "llm-model", envOr(std, EnvLLMModel, ""), "model name for --llm-url (env "+EnvLLMModel+")")
	if err := fs.Parse(args); err != nil {
		return parseErr(err)
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if cfg.Mail.Configured() {
		cfg.Mail.Password = std.Getenv(EnvSMTPPassword)
		if err := cfg.Mail.Validate(); err != nil {
			return fmt.Errorf("%w (see --smtp-from, --smtp-port, --smtp-tls, --smtp-user)", err)
		}
	}
	if cfg.LLM.Enabled() {
		cfg.LLM.APIKey = std.Getenv(EnvLLMKey)
		if err := cfg.LLM.Validate(); err != nil {
			return fmt.Errorf("%w (see --llm-url, --llm-model)", err)
		}
	}
	return Serve(ctx, cfg, newLogger(std.Err, *logLevel), std.Out)
}

// smtpFlags adds the outgoing-mail flags of serve; the password comes only
// from the environment so it never shows in the process list.
func smtpFlags(fs *flag.FlagSet, std IO, c *mail.Config) {
	fs.StringVar(&c.Host, "smtp-host", envOr(std, EnvSMTPHost, ""), "SMTP server for outgoing mail; empty keeps messages in the outbox unsent (env "+EnvSMTPHost+")")
	port, err := strconv.Atoi(envOr(std, EnvSMTPPort, strconv.Itoa(mail.DefaultPort)))
	if err != nil {
		port = mail.DefaultPort
	}
	fs.IntVar(&c.Port, "smtp-port", port, "SMTP server port (env "+EnvSMTPPort+")")
	fs.StringVar(&c.From, "smtp-from", envOr(std, EnvSMTPFrom, ""), "sender of outgoing mail, e.g. \"Kunskapsnav <noreply@region.se>\" (env "+EnvSMTPFrom+")")
	fs.StringVar(&c.Username, "smtp-user", envOr(std, EnvSMTPUser, ""), "SMTP user name, if the server wants one; the password is read from env "+EnvSMTPPassword+" (env "+EnvSMTPUser+")")
	fs.Func("smtp-tls", "SMTP encryption `mode`: starttls, tls (implicit, port 465) or none (env "+EnvSMTPTLS+") (default starttls)", func(v string) error {
		c.TLS = mail.TLSMode(v)
		return nil
	})
	c.TLS = mail.TLSMode(envOr(std, EnvSMTPTLS, string(mail.TLSStartTLS)))
}

func dbFlag(fs *flag.FlagSet, std IO) *string {
	return fs.String("db", envOr(std, EnvDatabase, DefaultDatabase), "database: sqlite:FILE or postgres://… (env "+EnvDatabase+")")
}

func cmdMigrate(ctx context.Context, args []string, std IO) error {
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(std.Out, "Usage: kunskapsnav migrate up|status [--db URL]")
			return flag.ErrHelp
		}
		fmt.Fprintln(std.Err, "Usage: kunskapsnav migrate up|status [--db URL]")
		return errUsage
	}
	fs := newFlags("migrate "+args[0], "migrate "+args[0]+" [--db URL]", std)
	url := dbFlag(fs, std)
	if err := fs.Parse(args[1:]); err != nil {
		return parseErr(err)
	}
	d, err := db.Open(ctx, *url)
	if err != nil {
		return err
	}
	defer d.Close()
	fsys := schema.For(d.Dialect())
	if args[0] == "up" {
		applied, queue, err := migrate(ctx, d)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.Out, "applied %d migration(s) and %d of the job queue\n", applied, queue)
		return nil
	}
	st, err := d.MigrationStatus(ctx, fsys)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(std.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tSTATE\tAPPLIED AT\tFILE")
	for _, m := range st {
		state, at := "pending", ""
		if m.Applied {
			state, at = "applied", m.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", m.Version, state, at, m.Name)
	}
	return tw.Flush()
}

type roleFlags []access.Role

func (r *roleFlags) String() string { return fmt.Sprint(*r) }
func (r *roleFlags) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		role, ok := access.ParseRole(strings.TrimSpace(s))
		if !ok {
			return fmt.Errorf("unknown role %q (roles: %s)", s, roleList())
		}
		*r = append(*r, role)
	}
	return nil
}

func cmdUser(ctx context.Context, args []string, std IO) error {
	const synopsis = "Usage: kunskapsnav user create|set-password|grant|list [flags]"
	if len(args) == 0 {
		fmt.Fprintln(std.Err, synopsis)
		return errUsage
	}
	sub := args[0]
	fs := newFlags("user "+sub, "user "+sub+" [flags]", std)
	url := dbFlag(fs, std)
	var username, name, email string
	var roles roleFlags
	switch sub {
	case "create":
		fs.StringVar(&username, "username", "", "login name (required)")
		fs.StringVar(&name, "name", "", "full name (required)")
		fs.StringVar(&email, "email", "", "work e-mail")
		fs.Var(&roles, "role", "role to grant, repeatable or comma-separated: "+roleList())
		fs.Usage = usageWith(fs, std, "user create --username NAME --name \"Full Name\" [--email E] [--role R]…\n\nThe password is read from standard input (asked for twice at a terminal).")
	case "set-password":
		fs.StringVar(&username, "username", "", "login name (required)")
		fs.Usage = usageWith(fs, std, "user set-password --username NAME\n\nThe password is read from standard input (asked for twice at a terminal).")
	case "grant":
		fs.StringVar(&username, "username", "", "login name (required)")
		fs.Var(&roles, "role", "role to grant, repeatable or comma-separated: "+roleList())
		fs.Usage = usageWith(fs, std, "user grant --username NAME --role R [--role R]…")
	case "list":
		fs.Usage = usageWith(fs, std, "user list")
	case "-h", "--help":
		fmt.Fprintln(std.Out, synopsis)
		return flag.ErrHelp
	default:
		fmt.Fprintln(std.Err, synopsis)
		return errUsage
	}
	if err := fs.Parse(args[1:]); err != nil {
		return parseErr(err)
	}
	if sub != "list" && username == "" {
		fmt.Fprintln(std.Err, "--username is required")
		return errUsage
	}
	if sub == "grant" && len(roles) == 0 {
		fmt.Fprintln(std.Err, "--role is required")
		return errUsage
	}
	d, err := Open(ctx, *url)
	if err != nil {
		return err
	}
	defer d.Close()
	svc := auth.NewService(d, audit.New(time.Now), time.Now, auth.DefaultThrottle)
	ctx = audit.WithSystemActor(ctx, "cli")
	switch sub {
	case "create":
		pw, err := readPassword(std)
		if err != nil {
			return err
		}
		u, err := svc.CreateUser(ctx, auth.NewUser{Username: username, DisplayName: name, Email: email, Password: pw, Roles: roles})
		if err != nil {
			return err
		}
		fmt.Fprintf(std.Out, "created user %s (id %d) with roles %v\n", u.Username, u.ID, u.Roles)
	case "set-password":
		pw, err := readPassword(std)
		if err != nil {
			return err
		}
		if err := svc.SetPassword(ctx, username, pw); err != nil {
			return err
		}
		fmt.Fprintf(std.Out, "password set for %s\n", username)
	case "grant":
		u, err := svc.Grant(ctx, username, roles...)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.Out, "%s now has roles %v\n", u.Username, u.Roles)
	case "list":
		users, err := svc.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(std.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tNAME\tROLES\tACTIVE")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\n", u.Username, u.DisplayName, joinRoles(u.Roles), u.Active)
		}
		return tw.Flush()
	}
	return nil
}

func usageWith(fs *flag.FlagSet, std IO, synopsis string) func() {
	return func() {
		fmt.Fprintf(std.Err, "Usage: kunskapsnav %s\n\n", synopsis)
		fs.PrintDefaults()
	}
}

func joinRoles(rs []access.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// readPassword asks twice at a terminal (without echo), or reads one line from
// piped input, so passwords never appear in the process list or shell history.
func readPassword(std IO) (string, error) {
	if f, ok := std.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(std.Err, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(std.Err)
		if err != nil {
			return "", err
		}
		fmt.Fprint(std.Err, "Repeat password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(std.Err)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(std.In).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password given on standard input")
	}
	return line, nil
}
