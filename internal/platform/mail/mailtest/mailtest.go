// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) inside
// a test, so tests of code that sends mail see exactly what a mail server would
// receive: the envelope, the decoded headers and the decoded body. It can
// refuse deliveries (temporarily or for good), require STARTTLS and a login.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
)

// Server is an SMTP server on a free local port that keeps what it accepts.
type Server struct {
	Host string
	Port int

	mu       sync.Mutex
	received []Message
	rcpts    int
	refuse   func(n int, to string) error
	user     string
	password string
	authed   bool
	arrived  chan struct{}
}

// Message is one message the server accepted, as a mail program shows it.
type Message struct {
	EnvelopeFrom  string
	EnvelopeTo    []string
	From          string // the From header
	To            string // the To header
	Subject       string // decoded
	ContentType   string
	AutoSubmitted string
	Body          string // decoded, with \n line ends
	Raw           []byte // as received
}

// Start starts a server, offering STARTTLS when tlsConfig is given, and stops
// it when the test ends.
func Start(tb testing.TB, tlsConfig *tls.Config) *Server {
	tb.Helper()
	s := &Server{arrived: make(chan struct{}, 1)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{srv: s}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.TLSConfig = tlsConfig
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	tb.Cleanup(func() { srv.Close() })
	host, port, _ := net.SplitHostPort(l.Addr().String())
	s.Host = host
	s.Port, _ = strconv.Atoi(port)
	return s
}

// Config is a sender configuration for the server, without TLS, from
// "Kunskapsnav <noreply@regionjh.se>".
func (s *Server) Config() mail.Config {
	return mail.Config{Host: s.Host, Port: s.Port, From: "Kunskapsnav <noreply@regionjh.se>", TLS: mail.TLSNone}
}

// Refuse makes the server answer the n-th RCPT command (counting from 1),
// for recipient to, with the error fn returns, when it is not nil.
func (s *Server) Refuse(fn func(n int, to string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = fn
}

// RequireLogin makes the server accept mail only after AUTH PLAIN with user
// and password.
func (s *Server) RequireLogin(user, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.password = user, password
}

// Attempts is how many RCPT commands the server has seen.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcpts
}

// LoggedIn reports whether a client has signed in.
func (s *Server) LoggedIn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authed
}

// Messages returns what the server has accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.received...)
}

// Wait waits up to timeout until the server has accepted n messages and
// returns them; it fails the test when they do not come.
func (s *Server) Wait(tb testing.TB, n int, timeout time.Duration) []Message {
	tb.Helper()
	deadline := time.After(timeout)
	for {
		if got := s.Messages(); len(got) >= n {
			return got
		}
		select {
		case <-s.arrived:
		case <-deadline:
			tb.Fatalf("mailtest: %d of %d messages within %v", len(s.Messages()), n, timeout)
		}
	}
}

// TryLater is a temporary refusal, as a greylisting server gives.
var TryLater = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "Greylisted, try again later"}

// NoSuchUser is a permanent refusal.
var NoSuchUser = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}

type session struct {
	srv  *Server
	from string
	to   []string
}

func (se *session) AuthMechanisms() []string {
	se.srv.mu.Lock()
	defer se.srv.mu.Unlock()
	if se.srv.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		se.srv.mu.Lock()
		defer se.srv.mu.Unlock()
		if user != se.srv.user || password != se.srv.password {
			return errors.New("invalid credentials")
		}
		se.srv.authed = true
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	se.srv.mu.Lock()
	defer se.srv.mu.Unlock()
	if se.srv.user != "" && !se.srv.authed {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.srv.mu.Lock()
	se.srv.rcpts++
	n, refuse := se.srv.rcpts, se.srv.refuse
	se.srv.mu.Unlock()
	if refuse != nil {
		if err := refuse(n, to); err != nil {
			return err
		}
	}
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parse(b)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "unreadable message: " + err.Error()}
	}
	m.EnvelopeFrom, m.EnvelopeTo = se.from, append([]string(nil), se.to...)
	se.srv.mu.Lock()
	se.srv.received = append(se.srv.received, m)
	se.srv.mu.Unlock()
	select {
	case se.srv.arrived <- struct{}{}:
	default: // a waiter is already due to look
	}
	return nil
}

func (se *session) Reset() { se.from, se.to = "", nil }

func (se *session) Logout() error { return nil }

// parse reads a received message as a mail program would.
func parse(raw []byte) (Message, error) {
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return Message{}, err
	}
	var body io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return Message{}, err
	}
	return Message{
		From: m.Header.Get("From"), To: m.Header.Get("To"), Subject: subject,
		ContentType: m.Header.Get("Content-Type"), AutoSubmitted: m.Header.Get("Auto-Submitted"),
		Body: strings.ReplaceAll(string(b), "\r\n", "\n"), Raw: raw,
	}, nil
}

// SelfSigned returns a server TLS configuration for 127.0.0.1 and a client
// configuration that trusts it.
func SelfSigned(tb testing.TB) (server, client *tls.Config) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
	client = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	return server, client
}
