package mail_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail/mailtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newOutbox(t *testing.T, d *db.DB, cfg mail.Config, c *clock) *mail.Outbox {
	t.Helper()
	s, err := mail.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return mail.NewOutbox(d, s, c.Now, slog.New(slog.DiscardHandler))
}

func enqueue(t *testing.T, d *db.DB, m mail.Message, c *clock) int64 {
	t.Helper()
	id, err := mail.Enqueue(context.Background(), d, m, c.Now())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// row is what the outbox holds about one message.
type row struct {
	Status    mail.Status
	Attempts  int
	LastError string
	Next      time.Time
	Sent      bool
}

func outboxRow(t *testing.T, o *mail.Outbox, id int64) row {
	t.Helper()
	entries, _, err := o.List(context.Background(), 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.ID == id {
			return row{Status: e.Status, Attempts: e.Attempts, LastError: e.LastError, Next: e.NextAttemptAt.UTC(), Sent: !e.SentAt.IsZero()}
		}
	}
	t.Fatalf("message %d not in the outbox", id)
	return row{}
}

var reminder = mail.Message{
	To:       "anna.andersson@regionjh.se",
	Subject:  "Påminnelse: enkäten för Åre vårdcentral – svara före fredag (ÅÄÖ åäö)",
	Body:     "Hej Anna!\n\nDin enhet har ännu inte svarat på enkäten om införandet.\nSvara på https://kunskapsnav.regionjh.se/infora/enkater/7 – tack!\n\nMed vänlig hälsning\nKunskapsstyrningsenheten\n",
	Kind:     "implement.survey_reminder",
	Entity:   "survey",
	EntityID: 7,
}

func TestFlush_DeliversToTheSMTPServer(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t, nil)
		c := newClock()
		o := newOutbox(t, d, srv.Config(), c)
		id := enqueue(t, d, reminder, c)
		sent, err := o.Flush(context.Background())
		if err != nil || sent != 1 {
			t.Fatalf("flush sent %d, %v; want 1", sent, err)
		}
		got := srv.Messages()
		if len(got) != 1 {
			t.Fatalf("server received %d messages, want 1", len(got))
		}
		if got[0].EnvelopeFrom != "noreply@regionjh.se" || len(got[0].EnvelopeTo) != 1 || got[0].EnvelopeTo[0] != reminder.To {
			t.Errorf("envelope from %q to %q", got[0].EnvelopeFrom, got[0].EnvelopeTo)
		}
		p := got[0]
		p.Raw, p.EnvelopeFrom, p.EnvelopeTo = nil, "", nil
		want := mailtest.Message{
			From: `"Kunskapsnav" <noreply@regionjh.se>`, To: "<" + reminder.To + ">", Subject: reminder.Subject,
			ContentType: "text/plain; charset=UTF-8", AutoSubmitted: "auto-generated", Body: reminder.Body,
		}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Errorf("received message (-want +got):\n%s", diff)
		}
		if !isASCII(got[0].Raw) {
			t.Error("the message has raw 8-bit bytes; headers and body must be encoded")
		}
		if r := outboxRow(t, o, id); r.Status != mail.Sent || r.Attempts != 1 || r.LastError != "" || !r.Sent {
			t.Errorf("outbox row %+v", r)
		}
		// Nothing is due any more.
		if sent, err := o.Flush(context.Background()); err != nil || sent != 0 || len(srv.Messages()) != 1 {
			t.Errorf("second flush sent %d, %v; server has %d", sent, err, len(srv.Messages()))
		}
	})
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func TestFlush_RetriesLaterAfterATemporaryRefusal(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t, nil)
		srv.Refuse(func(n int, _ string) error {
			if n == 1 {
				return mailtest.TryLater
			}
			return nil
		})
		c := newClock()
		o := newOutbox(t, d, srv.Config(), c)
		id := enqueue(t, d, reminder, c)
		if sent, err := o.Flush(ctx); err != nil || sent != 0 {
			t.Fatalf("first flush sent %d, %v; want 0", sent, err)
		}
		r := outboxRow(t, o, id)
		if r.Status != mail.Pending || r.Attempts != 1 || !strings.Contains(r.LastError, "451") || !r.Next.Equal(c.Now().Add(mail.Backoff(1))) {
			t.Fatalf("after the refusal: %+v", r)
		}
		// Not due yet: a flush a minute later leaves it alone.
		c.Add(time.Minute)
		if sent, err := o.Flush(ctx); err != nil || sent != 0 || srv.Attempts() != 1 {
			t.Fatalf("early flush sent %d, %v after %d attempts", sent, err, srv.Attempts())
		}
		c.Add(mail.Backoff(1))
		if sent, err := o.Flush(ctx); err != nil || sent != 1 {
			t.Fatalf("retry sent %d, %v; want 1", sent, err)
		}
		if got := srv.Messages(); len(got) != 1 || got[0].Subject != reminder.Subject {
			t.Fatalf("server received %d messages", len(got))
		}
		if r := outboxRow(t, o, id); r.Status != mail.Sent || r.Attempts != 2 || r.LastError != "" || !r.Sent {
			t.Errorf("after the retry: %+v", r)
		}
	})
}

func TestFlush_GivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t, nil)
		srv.Refuse(func(int, string) error { return mailtest.NoSuchUser })
		c := newClock()
		o := newOutbox(t, d, srv.Config(), c)
		id := enqueue(t, d, reminder, c)
		for n := 1; n <= mail.MaxAttempts; n++ {
			if sent, err := o.Flush(ctx); err != nil || sent != 0 {
				t.Fatalf("attempt %d: sent %d, %v", n, sent, err)
			}
			c.Add(mail.Backoff(n))
		}
		r := outboxRow(t, o, id)
		if r.Status != mail.Failed || r.Attempts != mail.MaxAttempts || !strings.Contains(r.LastError, "550") {
			t.Fatalf("after %d attempts: %+v", mail.MaxAttempts, r)
		}
		c.Add(24 * time.Hour)
		if _, err := o.Flush(ctx); err != nil || srv.Attempts() != mail.MaxAttempts {
			t.Fatalf("a failed message was tried again: %d attempts, %v", srv.Attempts(), err)
		}
	})
}

func TestFlush_ConcurrentFlushesSendEachMessageOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t, nil)
		c := newClock()
		const n = 45 // more than one batch
		for i := range n {
			m := reminder
			m.Subject = fmt.Sprintf("Meddelande %d", i)
			enqueue(t, d, m, c)
		}
		// Four flushes at once, as from four app nodes.
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 4 {
			o := newOutbox(t, d, srv.Config(), c)
			wg.Go(func() {
				sent, err := o.Flush(ctx)
				if err != nil {
					t.Errorf("flush: %v", err)
				}
				mu.Lock()
				total += sent
				mu.Unlock()
			})
		}
		wg.Wait()
		seen := map[string]int{}
		for _, m := range srv.Messages() {
			seen[m.Subject]++
		}
		for i := range n {
			if s := fmt.Sprintf("Meddelande %d", i); seen[s] != 1 {
				t.Errorf("%q received %d times", s, seen[s])
			}
		}
		if total != n || len(srv.Messages()) != n {
			t.Errorf("flushes report %d sent, server received %d; want %d", total, len(srv.Messages()), n)
		}
	})
}

func TestFlush_StartTLSWithAuthentication(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		serverTLS, clientTLS := mailtest.SelfSigned(t)
		srv := mailtest.Start(t, serverTLS)
		srv.RequireLogin("kunskapsnav", "hemligt-lösenord")
		cfg := srv.Config()
		cfg.TLS, cfg.TLSConfig = mail.TLSStartTLS, clientTLS
		cfg.Username, cfg.Password = "kunskapsnav", "hemligt-lösenord"
		c := newClock()
		o := newOutbox(t, d, cfg, c)
		enqueue(t, d, reminder, c)
		if sent, err := o.Flush(context.Background()); err != nil || sent != 1 {
			t.Fatalf("flush sent %d, %v; want 1", sent, err)
		}
		if len(srv.Messages()) != 1 || !srv.LoggedIn() {
			t.Fatalf("received %d, authenticated %v", len(srv.Messages()), srv.LoggedIn())
		}
	})
}

func TestFlush_RequiredStartTLSRefusesAPlainServer(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t, nil) // offers no STARTTLS
		cfg := srv.Config()
		cfg.TLS = mail.TLSStartTLS
		c := newClock()
		o := newOutbox(t, d, cfg, c)
		id := enqueue(t, d, reminder, c)
		if sent, err := o.Flush(context.Background()); err != nil || sent != 0 {
			t.Fatalf("flush sent %d, %v; want 0", sent, err)
		}
		if len(srv.Messages()) != 0 {
			t.Fatal("the message went over an unencrypted connection")
		}
		if r := outboxRow(t, o, id); r.Status != mail.Pending || r.Attempts != 1 || r.LastError == "" {
			t.Errorf("outbox row %+v", r)
		}
	})
}

func TestFlush_WithoutSMTPMessagesStayPending(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newClock()
		o := mail.NewOutbox(d, nil, c.Now, slog.New(slog.DiscardHandler))
		id := enqueue(t, d, reminder, c)
		if _, err := o.Flush(context.Background()); !errors.Is(err, mail.ErrNotConfigured) {
			t.Fatalf("flush: %v, want ErrNotConfigured", err)
		}
		if o.Configured() {
			t.Error("an outbox without a sender says it is configured")
		}
		if r := outboxRow(t, o, id); r.Status != mail.Pending || r.Attempts != 0 {
			t.Errorf("outbox row %+v", r)
		}
	})
}

func TestEnqueue_RejectsInvalidMessages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tests := []struct {
			name  string
			edit  func(m *mail.Message)
			field string
		}{
			{"no address", func(m *mail.Message) { m.To = "" }, "to"},
			{"no domain", func(m *mail.Message) { m.To = "anna@" }, "to"},
			{"not an address", func(m *mail.Message) { m.To = "anna andersson" }, "to"},
			{"name and address", func(m *mail.Message) { m.To = "Anna <anna@regionjh.se>" }, "to"},
			{"two addresses", func(m *mail.Message) { m.To = "anna@regionjh.se, bo@regionjh.se" }, "to"},
			{"line break in address", func(m *mail.Message) { m.To = "anna@regionjh.se\r\nBcc: x@example.org" }, "to"},
			{"header injection in subject", func(m *mail.Message) { m.Subject = "Hej\r\nBcc: x@example.org" }, "subject"},
			{"newline in subject", func(m *mail.Message) { m.Subject = "Hej\nhopp" }, "subject"},
			{"no subject", func(m *mail.Message) { m.Subject = " " }, "subject"},
			{"long subject", func(m *mail.Message) { m.Subject = strings.Repeat("å", mail.MaxSubject+1) }, "subject"},
			{"no body", func(m *mail.Message) { m.Body = "" }, "body"},
			{"no kind", func(m *mail.Message) { m.Kind = "" }, "kind"},
		}
		for _, tt := range tests {
			m := reminder
			tt.edit(&m)
			_, err := mail.Enqueue(context.Background(), d, m, time.Now())
			v, ok := errs.AsValidation(err)
			if !ok || !v.Has(tt.field) {
				t.Errorf("%s: got %v, want a problem with %s", tt.name, err, tt.field)
			}
		}
		var n int
		if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM mail_outbox`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("outbox holds %d rows, %v; want none", n, err)
		}
	})
}

func TestEnqueue_IsPartOfTheCallersTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("the change failed")
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if _, err := mail.Enqueue(ctx, tx, reminder, time.Now()); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		o := mail.NewOutbox(d, nil, nil, slog.New(slog.DiscardHandler))
		if entries, _, err := o.List(ctx, 0, 10); err != nil || len(entries) != 0 {
			t.Fatalf("a rolled-back change left %d messages, %v", len(entries), err)
		}
	})
}

func TestList_NewestFirstInPages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newClock()
		var ids []int64
		for i := range 5 {
			m := reminder
			m.Subject = fmt.Sprintf("Nr %d", i)
			ids = append(ids, enqueue(t, d, m, c))
			c.Add(time.Minute)
		}
		o := mail.NewOutbox(d, nil, c.Now, slog.New(slog.DiscardHandler))
		first, next, err := o.List(ctx, 0, 3)
		if err != nil || len(first) != 3 || first[0].ID != ids[4] || first[2].ID != ids[2] || next != ids[2] {
			t.Fatalf("first page %v next %d, %v", first, next, err)
		}
		if first[0].Subject != "Nr 4" || first[0].Kind != reminder.Kind || first[0].Entity != "survey" || first[0].EntityID != 7 || first[0].Status != mail.Pending {
			t.Errorf("entry %+v", first[0])
		}
		second, next, err := o.List(ctx, next, 3)
		if err != nil || len(second) != 2 || second[0].ID != ids[1] || next != 0 {
			t.Fatalf("second page %v next %d, %v", second, next, err)
		}
	})
}

func TestConfig_ValidatesAndNeverLogsThePassword(t *testing.T) {
	t.Parallel()
	good := mail.Config{Host: "smtp.regionjh.se", From: "Kunskapsnav <noreply@regionjh.se>", Username: "kn", Password: "hemligt", TLS: mail.TLSStartTLS}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("mail", "smtp", good)
	if strings.Contains(buf.String(), "hemligt") || !strings.Contains(buf.String(), "smtp.regionjh.se") {
		t.Errorf("log line: %s", buf.String())
	}
	tests := []struct {
		name string
		edit func(c *mail.Config)
	}{
		{"no sender", func(c *mail.Config) { c.From = "" }},
		{"bad sender", func(c *mail.Config) { c.From = "noreply" }},
		{"bad port", func(c *mail.Config) { c.Port = 70000 }},
		{"unknown TLS mode", func(c *mail.Config) { c.TLS = "ssl3" }},
		{"password without user", func(c *mail.Config) { c.Username = "" }},
	}
	for _, tt := range tests {
		c := good
		tt.edit(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
		if _, err := mail.NewSender(c); err == nil {
			t.Errorf("%s: NewSender accepted", tt.name)
		}
	}
	if _, err := mail.NewSender(mail.Config{}); err == nil {
		t.Error("NewSender without a host succeeded")
	}
}

func TestBackoff_DoublesFromTwoMinutes(t *testing.T) {
	t.Parallel()
	want := []time.Duration{2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, 64 * time.Minute, 128 * time.Minute}
	var total time.Duration
	for i, w := range want {
		if got := mail.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w)
		}
		total += w
	}
	if total > 5*time.Hour {
		t.Errorf("eight attempts span %v", total)
	}
}

func TestTemplates_EveryKeyIsInTheCatalogue(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := i18n.TemplateKeys(mail.Templates(), "templates/*.html")
	if err != nil || len(keys) == 0 {
		t.Fatalf("template keys: %v, %v", keys, err)
	}
	all := []string{"mail.nav", "mail.validation.one_line"}
	for k := range keys {
		all = append(all, k)
	}
	for _, s := range []mail.Status{mail.Pending, mail.Sent, mail.Failed} {
		all = append(all, "mail.status."+string(s))
	}
	for _, k := range all {
		for _, loc := range i18n.Supported() {
			if !cat.Has(loc, k) {
				t.Errorf("key %q missing in %s", k, loc)
			}
		}
	}
}
