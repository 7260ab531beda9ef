package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/jobs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail/mailtest"
)

// testMail is a message as a feature would queue it.
func testMail(n int) mail.Message {
	return mail.Message{
		To:      fmt.Sprintf("person%d@regionjh.se", n),
		Subject: fmt.Sprintf("Påminnelse nr %d", n),
		Body:    "Hej!\nSvara på enkäten.\n",
		Kind:    "test.reminder",
	}
}

func TestMailOutboxPage_ListsMessagesNewestFirstInPages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		ctx := context.Background()
		at := time.Now()
		for i := range 52 {
			if _, err := mail.Enqueue(ctx, d, testMail(i), at.Add(time.Duration(i)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		admin := ta.login(t, "demo")
		res, body := ta.get(t, admin, "/admin/epost")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("outbox page: %d", res.StatusCode)
		}
		newest, oldestShown := strings.Index(body, "Påminnelse nr 51<"), strings.Index(body, "Påminnelse nr 2<")
		if newest < 0 || oldestShown < newest || strings.Contains(body, "Påminnelse nr 1<") {
			t.Fatalf("first page does not list 51 down to 2, newest first")
		}
		if !strings.Contains(body, "Ingen e-postserver (SMTP) är inställd") {
			t.Error("the page does not say that mail is not configured")
		}
		_, body = ta.get(t, admin, "/admin/epost?after=99999999")
		if !strings.Contains(body, "Påminnelse nr 51<") {
			t.Error("a cursor past the newest does not start from the newest")
		}
		i := strings.Index(body, `href="/admin/epost?after=`)
		if i < 0 {
			t.Fatal("no link to the next page")
		}
		next := body[i+len(`href="`):]
		next = strings.ReplaceAll(next[:strings.IndexByte(next, '"')], "&amp;", "&")
		_, body = ta.get(t, admin, next)
		if !strings.Contains(body, "Påminnelse nr 1<") || !strings.Contains(body, "Påminnelse nr 0<") || strings.Contains(body, "Påminnelse nr 2<") {
			t.Error("the second page does not list the two oldest")
		}
		if res, _ := ta.get(t, ta.login(t, "samordnare"), "/admin/epost"); res.StatusCode != http.StatusForbidden {
			t.Errorf("coordinator: %d, want 403", res.StatusCode)
		}
	})
}

func TestApp_FlushesMailOnlyWhenSMTPIsConfiguredAndDoesNotStartJobs(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t, db.SQLite)
	quiet := slog.New(slog.DiscardHandler)
	a, err := New(Config{}, quiet, d)
	if err != nil {
		t.Fatal(err)
	}
	if names := a.Jobs.Names(); slices.Contains(names, mail.FlushJob) {
		t.Errorf("without SMTP the queue has jobs %v", names)
	}
	if a.Outbox.Configured() {
		t.Error("the outbox says it is configured without SMTP")
	}
	a, err = New(Config{Mail: mail.Config{Host: "smtp.regionjh.se", From: "noreply@regionjh.se", TLS: mail.TLSStartTLS}}, quiet, d)
	if err != nil {
		t.Fatal(err)
	}
	if names := a.Jobs.Names(); !slices.Contains(names, mail.FlushJob) {
		t.Errorf("with SMTP the queue has jobs %v, want %s", names, mail.FlushJob)
	}
	// New wires the queue but never starts it; serve does.
	if err := a.Jobs.Run(context.Background(), mail.FlushJob); !errors.Is(err, jobs.ErrNotStarted) {
		t.Errorf("run after New: %v, want ErrNotStarted", err)
	}
	if _, err := New(Config{Mail: mail.Config{Host: "smtp.regionjh.se", From: "nobody", TLS: mail.TLSStartTLS}}, quiet, d); err == nil {
		t.Error("New accepted an invalid sender address")
	}
}

// TestServe_SendsQueuedMailThroughTheJobQueue runs the server as serve does,
// with an SMTP server, and checks that a message queued before the start is
// delivered by the periodic flush job, and that shutdown stops the queue.
func TestServe_SendsQueuedMailThroughTheJobQueue(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			d, url := dbtest.OpenURL(t, e)
			id, err := mail.Enqueue(context.Background(), d, testMail(1), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			srv := mailtest.Start(t, nil)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				done <- Serve(ctx, Config{Addr: "127.0.0.1:0", DatabaseURL: url, Mail: srv.Config()}, slog.New(slog.DiscardHandler), io.Discard)
			}()
			got := srv.Wait(t, 1, time.Minute)
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("serve: %v", err)
			}
			if got[0].Subject != "Påminnelse nr 1" || got[0].EnvelopeTo[0] != "person1@regionjh.se" {
				t.Errorf("received %+v", got[0])
			}
			var status string
			if err := d.QueryRowContext(context.Background(), `SELECT status FROM mail_outbox WHERE id = ?`, id).Scan(&status); err != nil || status != string(mail.Sent) {
				t.Errorf("outbox status %q, %v; want sent", status, err)
			}
		})
	}
}

func TestCLI_MigrateUpCreatesTheJobQueueTablesOnce(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			d, url := dbtest.OpenEmpty(t, e)
			if code, out, errOut := runCLI(t, "", "migrate", "up", "--db", url); code != 0 || strings.Contains(out, " 0 of the job queue") {
				t.Fatalf("migrate up: %d %s %s", code, out, errOut)
			}
			if code, out, errOut := runCLI(t, "", "migrate", "up", "--db", url); code != 0 || !strings.Contains(out, "applied 0 migration(s) and 0 of the job queue") {
				t.Fatalf("second migrate up: %d %s %s", code, out, errOut)
			}
			var n int
			if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM river_job`).Scan(&n); err != nil {
				t.Fatalf("river_job after migrate up: %v", err)
			}
		})
	}
}
