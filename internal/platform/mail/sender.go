package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSMode is how the connection to the SMTP server is protected.
type TLSMode string

// The TLS modes.
const (
	TLSNone     TLSMode = "none"     // plain text; only for a relay on the same host or network
	TLSStartTLS TLSMode = "starttls" // upgrade with STARTTLS, required (port 587)
	TLSImplicit TLSMode = "tls"      // TLS from the first byte (port 465)
)

// DefaultPort is the submission port, for STARTTLS.
const DefaultPort = 587

// Timeout bounds each step of talking to the SMTP server.
const Timeout = 30 * time.Second

// Config says how to reach the SMTP server. The zero Host means mail is not
// configured: messages stay in the outbox.
type Config struct {
	Host     string
	Port     int    // DefaultPort when 0
	From     string // the sender, "Kunskapsnav <noreply@region.se>" or a bare address
	Username string // empty: no authentication
	Password string // never logged (LogValue leaves it out)
	TLS      TLSMode
	// TLSConfig overrides the TLS settings (a private CA); nil uses the
	// system's roots and the host name.
	TLSConfig *tls.Config
}

// Configured reports whether an SMTP host is set.
func (c Config) Configured() bool { return c.Host != "" }

// LogValue describes the configuration for logs, without the password.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("host", c.Host), slog.Int("port", c.port()), slog.String("from", c.From),
		slog.String("user", c.Username), slog.Bool("password_set", c.Password != ""), slog.String("tls", string(c.TLS)))
}

func (c Config) port() int {
	if c.Port == 0 {
		return DefaultPort
	}
	return c.Port
}

// Validate checks a configuration that names a host: a valid sender address,
// a port and a known TLS mode.
func (c Config) Validate() error {
	if _, err := netmail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("mail: sender address %q: %w", c.From, err)
	}
	if p := c.port(); p < 1 || p > 65535 {
		return fmt.Errorf("mail: port %d is out of range", p)
	}
	switch c.TLS {
	case TLSNone, TLSStartTLS, TLSImplicit:
	default:
		return fmt.Errorf("mail: TLS mode %q is none of none, starttls, tls", c.TLS)
	}
	if c.Password != "" && c.Username == "" {
		return errors.New("mail: a password needs a user name")
	}
	return nil
}

// Sender sends messages over SMTP.
type Sender struct {
	cfg  Config
	opts []gomail.Option
}

// NewSender returns a sender for cfg, which must name a host.
func NewSender(cfg Config) (*Sender, error) {
	if !cfg.Configured() {
		return nil, errors.New("mail: no SMTP host")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opts := []gomail.Option{gomail.WithPort(cfg.port()), gomail.WithTimeout(Timeout)}
	switch cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	}
	if cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(cfg.TLSConfig))
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	return &Sender{cfg: cfg, opts: opts}, nil
}

// Send sends msgs over one connection and returns, for each message in
// order, nil when the server accepted it or why it did not.
func (s *Sender) Send(ctx context.Context, msgs []Message) []error {
	out := make([]error, len(msgs))
	built := make([]*gomail.Msg, len(msgs))
	var batch []*gomail.Msg
	for i, m := range msgs {
		gm, err := s.build(m)
		if err != nil {
			out[i] = err
			continue
		}
		built[i] = gm
		batch = append(batch, gm)
	}
	if len(batch) == 0 {
		return out
	}
	var sendErr error
	c, err := gomail.NewClient(s.cfg.Host, s.opts...)
	if err != nil {
		sendErr = fmt.Errorf("smtp client: %w", err)
	} else {
		sendErr = c.DialAndSendWithContext(ctx, batch...)
	}
	for i, gm := range built {
		switch {
		case gm == nil, gm.IsDelivered():
		case gm.SendError() != nil:
			out[i] = gm.SendError()
		case sendErr != nil:
			out[i] = sendErr
		default:
			out[i] = errors.New("smtp: not delivered")
		}
	}
	return out
}

// build makes the MIME message: plain UTF-8 text, quoted-printable, with the
// subject encoded for non-ASCII letters, and marked as sent automatically so
// that mail servers do not answer it with out-of-office replies.
func (s *Sender) build(m Message) (*gomail.Msg, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	gm := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := gm.From(s.cfg.From); err != nil {
		return nil, fmt.Errorf("sender address: %w", err)
	}
	if err := gm.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient address: %w", err)
	}
	gm.Subject(m.Subject)
	gm.SetDate()
	gm.SetMessageID()
	gm.SetGenHeader("Auto-Submitted", "auto-generated")
	gm.SetUserAgent("Kunskapsnav")
	gm.SetBodyString(gomail.TypeTextPlain, m.Body)
	return gm, nil
}
