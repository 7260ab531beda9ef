package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/jobs"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// wait bounds how long a test waits for River to work a job.
const wait = 45 * time.Second

// migrated returns a fresh database of the engine with River's tables.
func migrated(t *testing.T, d *db.DB) *db.DB {
	t.Helper()
	if _, err := jobs.Migrate(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}

// start starts q and stops it when the test ends.
func start(t *testing.T, q *jobs.Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
}

func newQueue(t *testing.T, d *db.DB) *jobs.Queue {
	t.Helper()
	q, err := jobs.New(d, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// counter counts calls and signals each one.
type counter struct {
	mu    sync.Mutex
	n     int
	calls chan int
}

func newCounter() *counter { return &counter{calls: make(chan int, 100)} }

func (c *counter) call() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	c.calls <- c.n
	return c.n
}

// await waits until the counter reached n calls.
func (c *counter) await(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case got := <-c.calls:
			if got >= n {
				return
			}
		case <-deadline:
			t.Fatalf("only %d of %d calls within %v", len(c.calls), n, wait)
		}
	}
}

func TestMigrate_CreatesRiverTablesOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		n, err := jobs.Migrate(ctx, d)
		if err != nil || n == 0 {
			t.Fatalf("first migrate applied %d, %v", n, err)
		}
		if n, err := jobs.Migrate(ctx, d); err != nil || n != 0 {
			t.Fatalf("second migrate applied %d, %v; want 0", n, err)
		}
		var jobsCount int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job`).Scan(&jobsCount); err != nil || jobsCount != 0 {
			t.Fatalf("river_job: %d, %v", jobsCount, err)
		}
	})
}

func TestQueue_PeriodicJobRunsOnStartAndAgain(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		q := newQueue(t, migrated(t, d))
		c := newCounter()
		q.Every("test.tick", time.Second, func(context.Context) error {
			c.call()
			return nil
		})
		start(t, q)
		c.await(t, 2)
	})
}

func TestQueue_FailingJobIsRetried(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		q := newQueue(t, migrated(t, d))
		c := newCounter()
		done := make(chan struct{})
		q.Every("test.flaky", time.Hour, func(context.Context) error {
			switch c.call() {
			case 1:
				return errors.New("the mail server is down")
			case 2:
				close(done)
			}
			return nil
		})
		start(t, q)
		select {
		case <-done:
		case <-time.After(wait):
			t.Fatalf("the failed run was not retried within %v", wait)
		}
		// River records the failed attempt on the job it retried.
		var attempts int
		var errs string
		err := d.QueryRowContext(context.Background(), `SELECT attempt, errors FROM river_job WHERE kind = 'kunskapsnav.job'`).Scan(&attempts, &errs)
		if err != nil || attempts != 2 {
			t.Fatalf("job attempt = %d, %v; want 2", attempts, err)
		}
	})
}

func TestQueue_RunQueuesARegisteredJobNow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		q := newQueue(t, migrated(t, d))
		c := newCounter()
		q.Register("test.now", func(context.Context) error {
			c.call()
			return nil
		})
		if err := q.Run(ctx, "test.now"); !errors.Is(err, jobs.ErrNotStarted) {
			t.Fatalf("run before start: %v, want ErrNotStarted", err)
		}
		start(t, q)
		if err := q.Run(ctx, "test.unknown"); err == nil {
			t.Fatal("run of an unknown job succeeded")
		}
		if err := q.Run(ctx, "test.now"); err != nil {
			t.Fatal(err)
		}
		c.await(t, 1)
		if err := q.Run(ctx, "test.now"); err != nil {
			t.Fatal(err)
		}
		c.await(t, 2)
	})
}

// TestQueue_ApplicationWritesSucceedWhileItRuns checks that River's polling
// and job bookkeeping do not make the application's own writes fail: on SQLite
// both share one writer, and the busy timeout must absorb the waits.
func TestQueue_ApplicationWritesSucceedWhileItRuns(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		q := newQueue(t, migrated(t, d))
		c := newCounter()
		q.Every("test.busy", time.Second, func(ctx context.Context) error {
			// The job writes too, as real jobs do.
			_, err := d.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)`, fmt.Sprintf("job-%d", c.call()), "x")
			return err
		})
		start(t, q)
		var wg sync.WaitGroup
		errc := make(chan error, 8)
		for w := range 4 {
			wg.Go(func() {
				for i := range 50 {
					err := d.Tx(ctx, func(tx *db.Tx) error {
						_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)`, fmt.Sprintf("app-%d-%d", w, i), "v")
						return err
					})
					if err != nil {
						errc <- err
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Errorf("application write failed while the queue ran: %v", err)
		}
		c.await(t, 2)
		var n int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM meta WHERE key LIKE 'app-%'`).Scan(&n); err != nil || n != 200 {
			t.Fatalf("application rows = %d, %v; want 200", n, err)
		}
	})
}

func TestQueue_WiringMistakesPanic(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t, db.SQLite)
	noop := func(context.Context) error { return nil }
	tests := []struct {
		name string
		do   func(q *jobs.Queue)
	}{
		{"empty name", func(q *jobs.Queue) { q.Every("", time.Minute, noop) }},
		{"twice", func(q *jobs.Queue) { q.Every("a", time.Minute, noop); q.Register("a", noop) }},
		{"interval under a second", func(q *jobs.Queue) { q.Every("a", time.Millisecond, noop) }},
		{"no function", func(q *jobs.Queue) { q.Register("a", nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQueue(t, d)
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tt.do(q)
		})
	}
}

func TestQueue_StopWithoutStartIsHarmless(t *testing.T) {
	t.Parallel()
	q := newQueue(t, dbtest.Open(t, db.SQLite))
	if err := q.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}
