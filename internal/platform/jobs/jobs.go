package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// Func is the work of a named job. It gets a context that ends when the job
// times out or the queue stops hard; an error makes River retry it later.
type Func func(ctx context.Context) error

// MaxAttempts is how often a failing job runs before River gives it up; the
// retries come after about 1 s, 16 s, 81 s and 256 s.
const MaxAttempts = 5

// Timeout bounds one run of a job.
const Timeout = 15 * time.Minute

// ErrNotStarted is returned by Run before Start and after Stop.
var ErrNotStarted = errors.New("jobs: the queue is not running")

// Queue is the background job queue: named functions, run periodically or on
// demand, by whichever app node fetches them first.
type Queue struct {
	db  *db.DB
	log *slog.Logger

	mu      sync.Mutex
	named   map[string]job
	client  client        // set by Start
	pool    *pgxpool.Pool // PostgreSQL only, set by Start
	stopped bool
}

type job struct {
	interval time.Duration // 0: run only on demand
	fn       Func
}

// client is what the queue uses of a River client of either driver.
type client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// New returns a queue on d that is not yet running: register jobs with Every
// and Register, then Start it.
func New(d *db.DB, log *slog.Logger) (*Queue, error) {
	switch d.Dialect() {
	case db.SQLite, db.Postgres:
	default:
		return nil, fmt.Errorf("jobs: unsupported database %q", d.Dialect())
	}
	return &Queue{db: d, log: log, named: map[string]job{}}, nil
}

// Every registers fn as the periodic job name: it runs once when the queue
// starts and then every interval, on one node of the cluster (River's elected
// leader enqueues it); a failing run is retried up to MaxAttempts times, and a
// new run is not queued while one is still waiting, running or retrying. fn
// must therefore be idempotent. Like http.ServeMux.Handle, Every panics on an
// empty or duplicate name, an interval under a second, or a call after Start,
// which are wiring mistakes.
func (q *Queue) Every(name string, interval time.Duration, fn Func) {
	if interval < time.Second {
		panic(fmt.Sprintf("jobs: %s: interval %v is under a second", name, interval))
	}
	q.add(name, job{interval: interval, fn: fn})
}

// Register registers fn as the job name that runs only when asked with Run. It
// panics like Every.
func (q *Queue) Register(name string, fn Func) {
	q.add(name, job{fn: fn})
}

func (q *Queue) add(name string, j job) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case name == "":
		panic("jobs: a job needs a name")
	case j.fn == nil:
		panic(fmt.Sprintf("jobs: %s: no function", name))
	case q.client != nil:
		panic(fmt.Sprintf("jobs: %s: registered after Start", name))
	}
	if _, dup := q.named[name]; dup {
		panic(fmt.Sprintf("jobs: %s: registered twice", name))
	}
	q.named[name] = j
}

// Names lists the registered jobs in name order.
func (q *Queue) Names() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	names := make([]string, 0, len(q.named))
	for n := range q.named {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Start connects River to the database and starts fetching and working jobs
// in the background. The jobs run until Stop, even after ctx is cancelled,
// so that shutdown can let running jobs finish. River's tables must exist
// (Migrate).
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.client != nil || q.stopped {
		return errors.New("jobs: the queue was already started")
	}
	cfg := q.config()
	var c client
	switch q.db.Dialect() {
	case db.Postgres:
		pool, err := q.db.PgxPool(ctx)
		if err != nil {
			return fmt.Errorf("jobs: %w", err)
		}
		rc, err := river.NewClient(riverpgxv5.New(pool), cfg)
		if err != nil {
			pool.Close()
			return fmt.Errorf("jobs: %w", err)
		}
		c, q.pool = rc, pool
	default:
		// SQLite has one writer at a time: poll less often than River's default
		// second and run few jobs at once, so the queue's writes queue briefly
		// on the busy timeout beside the application's instead of crowding them.
		cfg.FetchPollInterval = 2 * time.Second
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}}
		rc, err := river.NewClient(riversqlite.New(q.db.SQL()), cfg)
		if err != nil {
			return fmt.Errorf("jobs: %w", err)
		}
		c = rc
	}
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		q.closePool()
		return fmt.Errorf("jobs: start: %w", err)
	}
	q.client = c
	q.log.Info("job queue started", "jobs", len(q.named))
	return nil
}

// Stop stops fetching new jobs and waits for running ones to finish; when ctx
// ends first, it cancels them and waits briefly for them to return. Stop on a
// queue that never started does nothing.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.client == nil || q.stopped {
		return nil
	}
	q.stopped = true
	defer q.closePool()
	err := q.client.Stop(ctx)
	if err == nil {
		q.log.Info("job queue stopped")
		return nil
	}
	hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := q.client.StopAndCancel(hard); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	q.log.Warn("job queue stopped: running jobs were cancelled", "reason", err.Error())
	return nil
}

func (q *Queue) closePool() {
	if q.pool != nil {
		q.pool.Close()
		q.pool = nil
	}
}

// Run queues the registered job name to run now, whatever its schedule (a
// "send now" button); it returns ErrNotStarted before Start.
func (q *Queue) Run(ctx context.Context, name string) error {
	q.mu.Lock()
	_, ok := q.named[name]
	c := q.client
	if q.stopped {
		c = nil
	}
	q.mu.Unlock()
	if !ok {
		return fmt.Errorf("jobs: no job named %q", name)
	}
	if c == nil {
		return ErrNotStarted
	}
	if _, err := c.Insert(ctx, args{Name: name}, nil); err != nil {
		return fmt.Errorf("jobs: queue %s: %w", name, err)
	}
	return nil
}

// config is the River configuration for the registered jobs.
func (q *Queue) config() *river.Config {
	workers := river.NewWorkers()
	river.AddWorker(workers, &worker{q: q})
	var periodic []*river.PeriodicJob
	for name, j := range q.named {
		if j.interval == 0 {
			continue
		}
		periodic = append(periodic, river.NewPeriodicJob(
			river.PeriodicInterval(j.interval),
			func() (river.JobArgs, *river.InsertOpts) { return args{Name: name}, &periodicInsert },
			&river.PeriodicJobOpts{ID: name, RunOnStart: true},
		))
	}
	return &river.Config{
		Logger:       q.log.With("component", "river"),
		Workers:      workers,
		PeriodicJobs: periodic,
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}},
		MaxAttempts:  MaxAttempts,
		JobTimeout:   Timeout,
	}
}

// periodicInsert keeps one run of a periodic job queued at a time: while a run
// waits, runs or waits to retry, the next tick adds none.
var periodicInsert = river.InsertOpts{UniqueOpts: river.UniqueOpts{
	ByArgs: true,
	ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled,
	},
}}

// args are the arguments of every job: which registered function to run.
type args struct {
	Name string `json:"name" river:"unique"`
}

// Kind is River's name for our jobs; the function is chosen by Name.
func (args) Kind() string { return "kunskapsnav.job" }

// worker runs a job by calling the function registered under its name.
type worker struct {
	river.WorkerDefaults[args]
	q *Queue
}

func (w *worker) Work(ctx context.Context, j *river.Job[args]) error {
	w.q.mu.Lock()
	named, ok := w.q.named[j.Args.Name]
	w.q.mu.Unlock()
	if !ok {
		// A node of another version may not know the job; a retry may reach one that does.
		return fmt.Errorf("no job named %q on this node", j.Args.Name)
	}
	if err := named.fn(ctx); err != nil {
		w.q.log.Warn("job failed", "job", j.Args.Name, "attempt", j.Attempt, "error", err.Error())
		return err
	}
	return nil
}
