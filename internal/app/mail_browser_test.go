package app

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail/mailtest"
)

// TestBrowser_MailOutboxWithoutViolations shows the outbox with sent,
// waiting and failed messages and checks it with axe-core.
func TestBrowser_MailOutboxWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	ctx := context.Background()
	now := time.Now()
	for i := range 3 {
		if _, err := mail.Enqueue(ctx, ta.DB, testMail(i), now); err != nil {
			t.Fatal(err)
		}
	}
	// The server refuses the first message for good and the second once.
	srv := mailtest.Start(t, nil)
	seen := map[string]bool{}
	srv.Refuse(func(_ int, to string) error {
		switch {
		case to == testMail(0).To:
			return mailtest.NoSuchUser
		case to == testMail(1).To && !seen[to]:
			seen[to] = true
			return mailtest.TryLater
		}
		return nil
	})
	sender, err := mail.NewSender(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	clock := now
	o := mail.NewOutbox(ta.DB, sender, func() time.Time { return clock }, slog.New(slog.DiscardHandler))
	for n := 1; n <= mail.MaxAttempts; n++ {
		if _, err := o.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(mail.Backoff(n))
	}
	// A fourth message waits for its first attempt.
	if _, err := mail.Enqueue(ctx, ta.DB, testMail(3), clock.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	entries, _, err := o.List(ctx, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[mail.Status]int{}
	for _, e := range entries {
		if e.Kind == testMail(0).Kind {
			statuses[e.Status]++
		}
	}
	if statuses[mail.Sent] != 2 || statuses[mail.Failed] != 1 || statuses[mail.Pending] != 1 {
		t.Fatalf("outbox statuses %v, want 2 sent, 1 failed, 1 pending", statuses)
	}
	base := ta.srv.URL
	b := browsertest.New(t).NewTab(t)
	loginByKeyboard(t, b, base, "demo")
	visitAndCheck(t, b, base, "demo", []string{"/admin/epost", "/admin/epost?after=3"})
}
